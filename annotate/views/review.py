"""The review page: the highlighted article, its claims panel, adding a claim from a selection, source search.

Query budget (fixed whatever the number of claims; pinned in tests/views/test_review_page.py):
the article with the user's role, then one query for every claim row with its span
and the user's own verdict. The heavy HTML is built by annotate/rendering.py.
"""

from django.db.models import Case, F, FilteredRelation, Q, TextField, Value, When
from django.db.models.functions import Substr
from django.utils.functional import cached_property
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget, trigger_client_event

from annotate import rendering, services
from annotate.access import can, get_article_for_user, get_project_for_user
from annotate.forms import SelectionForm, add_service_error
from annotate.models import Claim, Rating, Role, Source, Span

SOURCE_SUGGESTIONS = 10


def is_fragment_request(request):
    """htmx asking for a fragment; a history restore (back button after a cache miss) wants the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def claim_rows(article, user):
    """Every claim of the article in text order, with the user's own verdict, in one query."""
    qs = (
        Claim.objects.filter(article=article)
        .annotate(
            mine=FilteredRelation("verdicts", condition=Q(verdicts__reviewer=user)),
            # Only what the row shows: the quote of orphans, the start of the text.
            row_quote=Case(When(span__orphaned=True, then=F("span__quote")), default=Value(""), output_field=TextField()),
            row_text=Substr("text", 1, rendering.ROW_TEXT_LIMIT + 1),
        )
        .order_by("span__start", "-span__end", "id")
        .values_list(
            "id", "span__start", "span__end", "row_quote", "span__orphaned", "row_text", "status",
            "mine__rating__label", "mine__rating__value", "mine__rating", "final_rating",
        )
    )
    return [rendering.ClaimRow(*values[:7], values[7] or "", *values[8:]) for values in qs]


class Scale:
    """The desk's rating scale for the legend and its colour stylesheet, read only if the template asks
    (fragments such as the claims panel never do, so their query budget stays as it is)."""

    def __init__(self, project):
        self.project = project

    @cached_property
    def _loaded(self):
        from annotate.views.chrome import rating_styles

        return rating_styles(Rating.objects.filter(project_id=self.project.pk).order_by("position", "id"))

    @property
    def styles(self):
        return self._loaded[0]

    @property
    def version(self):
        return self._loaded[1]


def review_context(article, user, current=None):
    """Context of the full review page; `current` is the id of the open claim, if any."""
    rows = claim_rows(article, user)
    placed = [r for r in rows if not r.orphaned]
    orphans = [r for r in rows if r.orphaned]
    return {
        "article": article,
        "project": article.project,
        "is_editor": can(article, Role.EDITOR),
        "article_html": rendering.article_html(article.body, rows),
        "rows_html": rendering.claim_rows_html(placed, current),
        "orphans_html": rendering.claim_rows_html(orphans, current),
        "claim_count": len(placed),
        "orphan_count": len(orphans),
        "verdict_count": sum(1 for r in rows if r.my_rating),
        "current_id": current,
        "scale": Scale(article.project),
    }


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


def _neighbour_before(claim, near=None):
    """Id of the placed claim just before this one in article order; 0 when it comes first.

    `near` is (low, spans) from `touched_paragraphs`: every placed span that starts at or
    after `low` and comes before this one is among those spans, so only when none does
    a query look further back, and then for the last claim starting before `low` (no OR).
    """
    span = claim.span
    placed = Claim.objects.filter(article_id=claim.article_id, span__orphaned=False)
    if near is None:
        placed = placed.filter(
            Q(span__start__lt=span.start)
            | Q(span__start=span.start, span__end__gt=span.end)
            | Q(span__start=span.start, span__end=span.end, id__lt=claim.pk)
        )
    else:
        low, spans = near
        key = (span.start, -span.end, claim.pk)
        before = [k for k in ((s, -e, pk) for s, e, pk, *_ in spans if s >= low) if k < key]
        if before:
            return max(before)[2]
        placed = placed.filter(span__start__lt=low)
    before = placed.order_by("-span__start", "span__end", "-id").values_list("id", flat=True).first()
    return before or 0


def touched_paragraphs(article, ranges, user=None):
    """Out-of-band HTML for the paragraphs covering `ranges`, with every highlight on them (one query)."""
    return paragraphs_and_spans(article, ranges, user)[0]


def paragraphs_and_spans(article, ranges, user=None):
    """(HTML of `touched_paragraphs`, (low, spans) for `_neighbour_before`, or None when no range is left).

    The paragraphs are found around the ranges (rendering.touched_paragraphs), not by
    splitting the whole body; `spans` are (start, end, claim id, status) of every placed
    span on them, and `low` is where the first of them starts. With `user`, each span also
    carries the rating whose colour it wears (rendering.colour_key: final once settled,
    else that user's own verdict), fetched in the same query.
    """
    ranges = [(s, e) for s, e in ranges if s < e]
    if not ranges:
        return mark_safe(""), None
    wanted = rendering.touched_paragraphs(article.body, ranges)
    low, high = rendering.touched_bounds(wanted, ranges)
    qs = Span.objects.filter(article=article, orphaned=False, start__lt=high, end__gt=low, claim__isnull=False)
    if user is None:
        fields = ("start", "end", "claim__id", "claim__status")
    else:
        qs = qs.annotate(mine=FilteredRelation("claim__verdicts", condition=Q(claim__verdicts__reviewer=user)))
        fields = ("start", "end", "claim__id", "claim__status", "claim__final_rating", "mine__rating")
    rows = qs.order_by().values_list(*fields)  # rendering sorts them; Span's default ordering would join the article to sort
    if user is None:
        spans = list(rows)
    else:
        spans = [(s, e, pk, st, rendering.colour_key(st, final, mine)) for s, e, pk, st, final, mine in rows]
    return rendering.paragraphs_html(article.body, spans, ranges, wanted=wanted), (low, spans)


def row_for(claim, my_verdict=None):
    span = claim.span
    return rendering.ClaimRow(
        claim.pk, span.start, span.end, span.quote, span.orphaned, claim.text, claim.status,
        my_verdict.rating.label if my_verdict else "", my_verdict.rating.value if my_verdict else None,
        my_verdict.rating_id if my_verdict else None, claim.final_rating_id,
    )


@require_POST
def claim_add(request, pk):
    """Turn a selection into a claim. htmx gets the new claim's panel plus, out of band,
    the touched paragraph(s) and the new row; nothing else of the article is sent again."""
    article = get_article_for_user(request.user, pk)
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
    from annotate.views.claims import detail_context, project_ratings  # the claim panel's own

    claim.article, claim.project = article, article.project  # already loaded; article carries user_role
    claim.user_role = article.user_role
    url = reverse("claim-detail", args=[claim.pk])
    if not is_fragment_request(request):
        return HttpResponseRedirect(url)
    paragraphs, near = paragraphs_and_spans(article, [(claim.span.start, claim.span.end)], request.user)
    oob_html = paragraphs + rendering.oob_row_html(row_for(claim), placed_before=_neighbour_before(claim, near), current=claim.pk) + (extra_oob or mark_safe(""))
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
