"""Editor pages: the queue of claims waiting for a final verdict, the final verdict,
and workflow status / publishing. Editors and admins only; reviewers get 403 and
non-members 404 (annotate.access).

The final-verdict and status POSTs answer htmx with the fragment they changed: the
queue row when the request targets one (`#queue-row-<pk>`), else the editor-actions
block that the review page's claim panel includes. A plain POST redirects back.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from annotate import services, snapshots
from annotate.access import get_claim_for_user, get_project_for_user
from annotate.agreement import agreement
from annotate.forms_editor import PUBLISH, QUEUE_STATUSES, UNPUBLISH, FinalVerdictForm, QueueFilterForm, StatusForm
from annotate.models import Article, Claim, Role, Verdict

PAGE_SIZE = 25
ACTIONS_TEMPLATE = "annotate/_editor_actions.html"
ROW_TEMPLATE = "annotate/editor_queue.html#queue-row"


def _verdicts_prefetch():
    # Side by side in a stable order: the same reviewer sits in the same place on every row.
    return Prefetch("verdicts", queryset=Verdict.objects.select_related("rating", "reviewer").order_by("reviewer__username", "id"))


def _mark_disagreement(claims):
    """Give each claim `.disagree` (reviewers picked different ratings) from its prefetched verdicts."""
    for claim in claims:
        claim.disagree = len({v.rating_id for v in claim.verdicts.all()}) > 1


def _agreement_by_article(project):
    """Krippendorff's alpha (ordinal, on Rating.value) for the project and each article.

    One query over every verdict of the project; a rating without a value
    (Unverifiable) is a missing value. Alpha ignores who gave which value, so a
    unit is just the list of values given to one claim.
    """
    units = defaultdict(list)
    article_of = {}
    rows = Verdict.objects.filter(claim__project=project).values_list("claim_id", "claim__article_id", "rating__value")
    for claim_id, article_id, value in rows:
        units[claim_id].append(value)
        article_of[claim_id] = article_id
    by_article = defaultdict(list)
    for claim_id, values in units.items():
        by_article[article_of[claim_id]].append(values)
    overall = agreement(units.values(), metric="ordinal")
    return overall, {article_id: agreement(table, metric="ordinal") for article_id, table in by_article.items()}


@require_GET
def queue(request, slug):
    project = get_project_for_user(request.user, slug, role=Role.EDITOR)
    ratings = list(project.ratings.all())
    # Articles with at least one verdict: the filter's choices and the agreement table.
    articles = list(
        Article.objects.filter(project=project)
        .filter(Exists(Verdict.objects.filter(claim__article=OuterRef("pk"))))
        .only("id", "title")
        .order_by("title", "id")
    )
    filter_form = QueueFilterForm(request.GET or None, articles=articles)
    filters = filter_form.filters() if request.GET else {}

    claims = (
        Claim.objects.filter(project=project, status__in=[filters["status"]] if filters.get("status") else QUEUE_STATUSES)
        .filter(Exists(Verdict.objects.filter(claim=OuterRef("pk"))))
        .select_related("article", "span", "final_rating", "approved_by")
        # The row shows the article's title; its body may be megabytes, once per row.
        .defer("article__body")
        .prefetch_related(_verdicts_prefetch())
        .annotate(**snapshots.queue_flags())  # sources whose excerpt is not on the page, or gone
        .order_by("article__title", "article_id", "span__start", "id")
    )
    if filters.get("article"):
        claims = claims.filter(article_id=filters["article"])
    if filters.get("disagree"):
        claims = claims.annotate(rating_count=Count("verdicts__rating", distinct=True)).filter(rating_count__gt=1)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    overall, per_article = _agreement_by_article(project)
    _mark_disagreement(page.object_list)
    for claim in page.object_list:
        claim.project = project  # the fragments' links need its slug: no query per row
        claim.article_agreement = per_article.get(claim.article_id)
    agreement_rows = [(article, per_article[article.pk]) for article in articles if article.pk in per_article]
    return render(
        request,
        "annotate/editor_queue.html",
        {
            "project": project,
            "ratings": ratings,
            "filter_form": filter_form,
            "page": page,
            "overall": overall,
            "agreement_rows": agreement_rows,
            "next_url": request.get_full_path(),
        },
    )


def _next_url(request, claim):
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("editor-queue", args=[claim.project.slug])


def _respond(request, claim, ratings, *, final_form=None, conflict=None, error="", notice="", status=200):
    """Render what the request asked for: the queue row, the actions block, or (plain POST) a page."""
    if status == 200 and not request.htmx:
        messages.success(request, notice)
        return redirect(_next_url(request, claim))
    context = {
        "claim": claim,
        "project": claim.project,
        "ratings": ratings,
        "final_form": final_form,
        "conflict": conflict,
        "error": error,
        "notice": notice,
        "next_url": _next_url(request, claim),
    }
    if request.htmx and request.htmx.target == f"queue-row-{claim.pk}":
        prefetch_related_objects([claim], _verdicts_prefetch())
        _mark_disagreement([claim])
        context["in_queue"] = True
        template = ROW_TEMPLATE
    elif request.htmx:
        template = ACTIONS_TEMPLATE
    else:
        template = "annotate/editor_claim.html"
    response = render(request, template, context, status=status)
    if status == 200:
        # Other panels (the review page's claims list, highlights) refresh on this event;
        # "announce" reads the notice out through the page's aria-live region.
        trigger_client_event(response, "claims-changed", {"claim": claim.pk})
        trigger_client_event(response, "announce", {"message": notice, "claim": claim.pk})
    return response


def _reloaded(claim):
    """The claim as saved (services refresh plain fields only), with what the fragments show."""
    return (
        Claim.objects.select_related("project", "article", "span", "final_rating", "approved_by")
        .defer("article__body")
        .get(pk=claim.pk)
    )


@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def claim_final(request, pk):
    claim = get_claim_for_user(request.user, pk, role=Role.EDITOR)
    ratings = list(claim.project.ratings.all())
    form = FinalVerdictForm(request.POST, ratings=ratings)
    if not form.is_valid():
        return _respond(request, claim, ratings, final_form=form, error="The final verdict was not saved.", status=400)
    data = form.cleaned_data
    try:
        services.settle_claim(claim, request.user, data["version"], data["rating"], data["final_rationale"])
    except services.Invalid as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _respond(request, claim, ratings, final_form=form, error="The final verdict was not saved.", status=400)
    except services.Conflict as exc:
        current = _reloaded(claim)
        # Keep what the editor typed, based on the current version so saving again is a deliberate overwrite.
        kept = request.POST.copy()
        kept["version"] = current.version
        return _respond(
            request, current, ratings, final_form=FinalVerdictForm(kept, ratings=ratings), conflict=exc, status=409
        )
    return _respond(request, _reloaded(claim), ratings, notice="Final verdict saved.")


@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def claim_status(request, pk):
    claim = get_claim_for_user(request.user, pk, role=Role.EDITOR)
    ratings = list(claim.project.ratings.all())
    form = StatusForm(request.POST)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _respond(request, claim, ratings, error=message, status=400)
    action, version = form.cleaned_data["status"], form.cleaned_data["version"]
    try:
        if action == PUBLISH:
            services.publish(claim, request.user, version)
            notice = "Published."
        elif action == UNPUBLISH:
            services.unpublish(claim, request.user, version)
            notice = "Unpublished: the claim is no longer on the public page."
        else:
            services.set_status(claim, request.user, version, action)
            notice = "Status changed."
    except services.Invalid as exc:
        return _respond(request, claim, ratings, error=exc.message, status=400)
    except services.Conflict as exc:
        return _respond(request, _reloaded(claim), ratings, conflict=exc, status=409)
    return _respond(request, _reloaded(claim), ratings, notice=notice)
