"""The review page: the highlighted article, its claims panel, adding a claim from a selection, source search.

Query budget (fixed whatever the number of claims; pinned in tests/views/test_review_page.py):
the article with the user's role, then one query for every claim row with its span
and the user's own verdict. The heavy HTML is built by annotate/rendering.py.
"""

from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget, trigger_client_event

from annotate import rendering, services
from annotate.access import get_article_for_claim, get_article_for_user, get_project_for_user
from annotate.forms.base import add_service_error
from annotate.forms.claims import SelectionForm
from annotate.models import Source
from annotate.views.reading import (
    detail_context,
    is_fragment_request,
    neighbour_before,
    paragraphs_and_spans,
    project_ratings,
    review_context,
    row_for,
)

SOURCE_SUGGESTIONS = 10


@require_GET
@vary_on_headers("HX-Request")
def review(request, pk):
    article = get_article_for_user(request.user, pk)
    return render(request, "annotate/review.html", review_context(article, request.user))


@require_GET
@vary_on_headers("HX-Request")
def claims_panel(request, pk):
    article = get_article_for_user(request.user, pk)
    context = review_context(article, request.user)
    if is_fragment_request(request):
        return render(request, "annotate/review.html#claims-panel", context)
    return render(request, "annotate/review.html", context)


@require_POST
def claim_add(request, pk):
    """Turn a selection into a claim. htmx gets the new claim's panel plus, out of band,
    the touched paragraph(s) and the new row; nothing else of the article is sent again."""
    article = get_article_for_claim(request.user, pk, body=True)  # its SQL built once (issue 16)
    form = SelectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.add_claim(article, request.user, data["start"], data["end"], data["quote"], revision=data["revision"])
        except services.Invalid as exc:
            add_service_error(form, exc)
            if isinstance(exc, services.StaleRevision):
                return _selection_error(request, article, form, status=409)
    if not form.is_valid():
        return _selection_error(request, article, form)
    return claim_added(request, article, claim)


def claim_added(request, article, claim, extra_oob=None):
    """The answer to a new claim (from a selection or a suggestion): its panel, the touched
    paragraph(s) and the new row out of band; a redirect without htmx."""
    claim.article, claim.project = article, article.project  # already loaded; article carries user_role
    claim.user_role = article.user_role
    url = reverse("claim-detail", args=[claim.pk])
    if not is_fragment_request(request):
        return HttpResponseRedirect(url)
    paragraphs, near = paragraphs_and_spans(article, [(claim.span.start, claim.span.end)], request.user)
    oob_html = paragraphs + rendering.oob_row_html(row_for(claim), placed_before=neighbour_before(claim, near), current=claim.pk) + (extra_oob or mark_safe(""))
    context = detail_context(claim, request.user, fresh=True, ratings=project_ratings(claim), oob_html=oob_html)
    response = render(request, "annotate/review.html#claim-detail", context)
    push_url(response, url)
    return trigger_client_event(response, "announce", {"message": f"Claim #{claim.pk} added.", "claim": claim.pk, "focus": "panel"})


def _selection_error(request, article, form, status=422):
    message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if is_fragment_request(request):
        response = render(request, "annotate/review.html#selection-message", {"selection_error": message}, status=status)
        retarget(response, "#selection-message")
        reswap(response, "outerHTML")
        return trigger_client_event(response, "announce", {"message": message})
    context = review_context(article, request.user)
    context["selection_error"] = message
    return render(request, "annotate/review.html", context, status=status)


@require_GET
def source_search(request, slug):
    """Known sources of the project matching what is typed, as <option>s for a datalist."""
    project = get_project_for_user(request.user, slug)
    q = (request.GET.get("q") or request.GET.get("url") or "").strip()
    sources = []
    if len(q) >= 2:
        sources = list(
            Source.objects.filter(project=project)
            .filter(Q(url__icontains=q) | Q(title__icontains=q) | Q(publisher__icontains=q))
            .order_by("title", "id")
            .values("url", "title", "publisher")[:SOURCE_SUGGESTIONS]
        )
    return render(request, "annotate/review.html#source-options", {"sources": sources, "project": project})
