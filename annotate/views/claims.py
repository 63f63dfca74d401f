"""The claim panel (/claims/<id>/) and its POST endpoints.

Each endpoint works twice: a plain form POST answers with a redirect back to the
claim (or the whole page with inline errors), an htmx POST answers with the panel
fragment plus, out of band, the claim's row and any paragraph whose highlight changed.
Bad input answers 422, a stale version 409, both with the user's typed text kept.

Query budget of the panel (fixed; pinned in tests/views/test_claim_detail.py): the
claim with the user's role, the project's ratings, the claim's verdicts, evidence,
comments and history (each with its people), one query apiece.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, trigger_client_event

from annotate import rendering, services
from annotate.access import check_settled_change, get_claim_for_user
from annotate.forms.base import add_service_error
from annotate.forms.claims import ClaimEditForm, CommentForm, EvidenceForm, SelectionForm, VerdictForm
from annotate.views.reading import (
    detail_context,
    is_fragment_request,
    neighbour_before,
    paragraphs_and_spans,
    project_ratings,
    review_context,
    row_for,
    touched_paragraphs,
)


def _page_context(request, claim, **detail):
    """The full review page with this claim open: what a reload or a no-JS request gets."""
    article = claim.article
    article.user_role = claim.user_role
    context = review_context(article, request.user, current=claim.pk)
    context.update(detail_context(claim, request.user, **detail))
    return context


def _panel(request, claim, status=200, **detail):
    if is_fragment_request(request):
        return render(request, "annotate/review.html#claim-detail", detail_context(claim, request.user, **detail), status=status)
    return render(request, "annotate/review.html", _page_context(request, claim, **detail), status=status)


@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def claim_detail(request, pk):
    # The fragment never shows the article's text; the whole page does.
    claim = get_claim_for_user(request.user, pk, body=not is_fragment_request(request))
    response = _panel(request, claim)
    if is_fragment_request(request):
        push_url(response, request.path)
    return response


def saved(request, pk, message, *, paragraphs_changed=(), focus="panel", ratings=None):
    """After a successful write: redirect (plain POST) or the refreshed panel + its row (htmx).
    `ratings`: the project's scale when the caller has it already."""
    url = reverse("claim-detail", args=[pk])
    if not is_fragment_request(request):
        return HttpResponseRedirect(url)
    # The article's text only when paragraphs are redrawn from it.
    claim = get_claim_for_user(request.user, pk, body=bool(paragraphs_changed))
    context = detail_context(claim, request.user, ratings=ratings)
    row = row_for(claim, context["my_verdict"])
    context["oob_html"] = touched_paragraphs(claim.article, paragraphs_changed, request.user) + rendering.oob_row_html(row, current=claim.pk)
    response = render(request, "annotate/review.html#claim-detail", context)
    return trigger_client_event(response, "announce", {"message": message, "claim": pk, "focus": focus})


def failed(request, claim, status, message, **detail):
    response = _panel(request, claim, status=status, **detail)
    if is_fragment_request(request):
        trigger_client_event(response, "announce", {"message": message, "claim": claim.pk, "focus": "error"})
    return response


@require_POST
def claim_edit(request, pk):
    claim = get_claim_for_user(request.user, pk)
    check_settled_change(claim)
    form = ClaimEditForm(request.POST)
    if form.is_valid():
        try:
            services.update_claim(claim, request.user, form.cleaned_data["version"], **form.values())
        except services.Conflict as exc:
            # Keep what the user typed, but at the current version so saving again is a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = exc.current.version
            form = ClaimEditForm(data)
            form.is_valid()
            return failed(request, claim, 409, exc.message, forms={"edit": form},
                           edit_conflict={"message": exc.message, "current": exc.current})
        except services.Invalid as exc:
            add_service_error(form, exc)
        else:
            return saved(request, pk, "Claim saved.")
    return failed(request, claim, 422, "The claim was not saved: check the form.", forms={"edit": form})


@require_POST
def verdict_save(request, pk):
    claim = get_claim_for_user(request.user, pk, body=not is_fragment_request(request))
    ratings = project_ratings(claim)
    form = VerdictForm(request.POST, ratings=ratings)
    if form.is_valid():
        version = form.cleaned_data["version"] or None
        try:
            verdict = services.save_verdict(claim, request.user, form.rating_object(), form.cleaned_data["rationale"], version=version)
        except services.Conflict as exc:
            current = exc.current
            data = request.POST.copy()
            data["version"] = current.version if current is not None else 0
            form = VerdictForm(data, ratings=ratings)
            form.is_valid()
            return failed(request, claim, 409, exc.message, forms={"verdict": form},
                           verdict_conflict={"message": exc.message, "current": current})
        except services.Invalid as exc:
            add_service_error(form, exc)
        else:
            # The highlight wears the reviewer's verdict (and a first verdict moves an open claim into review): redraw it.
            changed = [(claim.span.start, claim.span.end)] if not claim.span.orphaned else []
            return saved(request, pk, f"Verdict saved: {verdict.rating.label}.", paragraphs_changed=changed, ratings=ratings)
    return failed(request, claim, 422, "The verdict was not saved: check the form.", forms={"verdict": form})


@require_POST
def evidence_add(request, pk):
    claim = get_claim_for_user(request.user, pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_evidence(claim, request.user, **form.cleaned_data)
        except services.Invalid as exc:
            add_service_error(form, exc)
        else:
            return saved(request, pk, "Source attached.")
    return failed(request, claim, 422, "The source was not attached: check the form.", forms={"evidence": form})


@require_POST
def comment_add(request, pk):
    claim = get_claim_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(claim, request.user, form.cleaned_data["text"])
        except services.Invalid as exc:
            add_service_error(form, exc)
        else:
            return saved(request, pk, "Comment added.")
    return failed(request, claim, 422, "The comment was not added.", forms={"comment": form})


@require_POST
def claim_replace(request, pk):
    """Put an (orphaned) claim's highlight on the text now selected in the article."""
    claim = get_claim_for_user(request.user, pk)
    check_settled_change(claim)
    form = SelectionForm(request.POST)
    old = (claim.span.start, claim.span.end, claim.span.orphaned)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.replace_span(claim, request.user, data["start"], data["end"], data["quote"], revision=data["revision"])
        except services.Invalid as exc:
            status = 409 if isinstance(exc, services.StaleRevision) else 422
            add_service_error(form, exc)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return failed(request, claim, status, message, replace_error=message)
    if not is_fragment_request(request):
        return HttpResponseRedirect(reverse("claim-detail", args=[pk]))
    claim = get_claim_for_user(request.user, pk)
    context = detail_context(claim, request.user)
    changed = [(claim.span.start, claim.span.end)] + ([] if old[2] else [old[:2]])
    row = row_for(claim, context["my_verdict"])
    # The row leaves the "needs re-placing" group (or its old place) and goes where its text now is.
    removal = rendering.oob_delete_html(f"claim-row-{claim.pk}")
    paragraphs, near = paragraphs_and_spans(claim.article, changed, request.user)
    context["oob_html"] = (
        paragraphs + removal + rendering.oob_row_html(row, placed_before=neighbour_before(claim, near), current=claim.pk)
    )
    response = render(request, "annotate/review.html#claim-detail", context)
    return trigger_client_event(response, "announce", {"message": f"Claim #{pk} re-placed.", "claim": pk, "focus": "panel"})


@require_http_methods(["GET", "POST"])
def claim_delete(request, pk):
    """GET: a confirmation page (no-JS); POST: delete (htmx asks with hx-confirm first)."""
    claim = get_claim_for_user(request.user, pk)
    if request.method == "GET":
        return render(request, "annotate/claim_delete.html", {"claim": claim, "article": claim.article})
    article = claim.article
    span = (claim.span.start, claim.span.end, claim.span.orphaned)
    try:
        services.delete_claim(claim, request.user)
    except services.Invalid as exc:
        return failed(request, claim, 422, exc.message, delete_error=exc.message)
    review_url = reverse("review", args=[article.pk])
    if not is_fragment_request(request):
        return HttpResponseRedirect(review_url)
    article.user_role = claim.user_role
    oob = rendering.oob_delete_html(f"claim-row-{pk}")
    if not span[2]:
        oob = touched_paragraphs(article, [span[:2]], request.user) + oob
    response = render(request, "annotate/review.html#claim-deleted", {"deleted_id": pk, "article": article, "oob_html": oob})
    push_url(response, review_url)
    return trigger_client_event(response, "announce", {"message": f"Claim #{pk} deleted.", "focus": "list"})
