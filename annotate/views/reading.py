"""The review page's read side, shared by the review page (views/review.py), the claim
panel (views/claims.py) and the features that answer with either (suggestions, integrity,
sources): claim rows, paragraphs and their spans, the neighbour before a row, the claim
panel's context and the project's ratings. Reads only; the HTML is built by rendering.py.
"""

from types import SimpleNamespace

from django.db.models import Case, F, FilteredRelation, Q, TextField, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from annotate import lifecycle, rendering, services
from annotate.access import can
from annotate.compiled import Compiled
from annotate.forms.claims import ClaimEditForm, CommentForm, EvidenceForm, VerdictForm
from annotate.urltemplates import url_for
from annotate.models import Claim, Comment, Evidence, HistoryAction, HistoryEntry, Rating, Role, Span, Verdict

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


def neighbour_before(claim, near=None):
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
    """(HTML of `touched_paragraphs`, (low, spans) for `neighbour_before`, or None when no range is left).

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
    if user is None:
        spans = _PARAGRAPH_SPANS(article.pk, low, high)
    else:
        rows = _PARAGRAPH_SPANS_MINE(article.pk, low, high, user.pk)
        spans = [(s, e, pk, st, rendering.colour_key(st, final, mine)) for s, e, pk, st, final, mine in rows]
    return rendering.paragraphs_html(article.body, spans, ranges, wanted=wanted), (low, spans)


def _paragraph_spans(article_id, low, high, user_id=None):
    # Overlapping [low, high) is "starts inside it, or starts before and reaches into it": the same
    # rows as start < high AND end > low, which PostgreSQL estimated at a quarter of the article
    # and answered by reading all of it (10 ms on 10,000 claims); split, both halves are index ranges.
    overlap = Q(start__gte=low, start__lt=high) | Q(start__lt=low, end__gt=low)
    qs = Span.objects.filter(overlap, article_id=article_id, orphaned=False, claim__isnull=False)
    if user_id is None:
        fields = ("start", "end", "claim__id", "claim__status")
    else:
        qs = qs.annotate(mine=FilteredRelation("claim__verdicts", condition=Q(claim__verdicts__reviewer_id=user_id)))
        fields = ("start", "end", "claim__id", "claim__status", "claim__final_rating", "mine__rating")
    return qs.order_by().values_list(*fields)  # rendering sorts them; Span's default ordering would join the article to sort


# Compiled once (annotate/compiled.py): every htmx write that redraws paragraphs runs one of these.
_PARAGRAPH_SPANS = Compiled(_paragraph_spans, arity=3)
_PARAGRAPH_SPANS_MINE = Compiled(_paragraph_spans, arity=4)


def row_for(claim, my_verdict=None):
    span = claim.span
    return rendering.ClaimRow(
        claim.pk, span.start, span.end, span.quote, span.orphaned, claim.text, claim.status,
        my_verdict.rating.label if my_verdict else "", my_verdict.rating.value if my_verdict else None,
        my_verdict.rating_id if my_verdict else None, claim.final_rating_id,
    )


# The panel's reads, compiled once (annotate/compiled.py). Explicit orderings: the models'
# default ones start with "claim", which joins the claim and the article only to sort rows
# that all belong to this one claim (and Rating's would join the project to sort by its name).
_RATINGS = Compiled(lambda project_id: Rating.objects.filter(project_id=project_id).order_by("position", "id"))
_VERDICTS = Compiled(lambda claim_id: Verdict.objects.filter(claim_id=claim_id).select_related("reviewer", "rating").order_by("id"))
_EVIDENCE = Compiled(
    lambda claim_id: Evidence.objects.filter(claim_id=claim_id).select_related("source", "added_by").order_by("created_at", "id")
)
_COMMENTS = Compiled(lambda claim_id: Comment.objects.filter(claim_id=claim_id).select_related("author").order_by("created_at", "id"))
_HISTORY = Compiled(
    lambda claim_id: HistoryEntry.objects.filter(claim_id=claim_id).select_related("actor").order_by("-created_at", "-id")
)


def project_ratings(claim):
    """The project's rating scale in order."""
    return _RATINGS(claim.project_id)


def detail_context(claim, user, *, fresh=False, forms=None, ratings=None, **extra):
    """Everything the claim panel shows, precomputed. `fresh`: a claim just created has
    no verdicts, evidence or comments yet, so those queries are skipped."""
    ratings = project_ratings(claim) if ratings is None else ratings
    if claim.final_rating_id is not None and not Claim.final_rating.is_cached(claim):
        # Loaded without it (access.get_claim_for_user(body=False)): it is on the project's scale.
        claim.final_rating = next((r for r in ratings if r.pk == claim.final_rating_id), None) or claim.final_rating
    if fresh:
        verdicts, evidence, comments = [], [], []
        history = [SimpleNamespace(actor=user, created_at=timezone.now(), action=HistoryAction.CLAIM_CREATED,
                                   changes={"quote": claim.span.quote})]
    else:
        own = {"claim": claim}  # as filter(claim=claim) would: each row's claim is this one, not a query away
        verdicts = _VERDICTS(claim.pk, attach=own)
        evidence = _EVIDENCE(claim.pk, attach=own)
        comments = _COMMENTS(claim.pk, attach=own)
        history = _HISTORY(claim.pk, attach=own)
    mine = next((v for v in verdicts if v.reviewer_id == user.pk), None)
    others = [v for v in verdicts if v.reviewer_id != user.pk]
    if blind_for(claim, mine):
        history = [e for e in history if not (e.action.startswith("verdict") and e.actor_id != user.pk)]
    forms = forms or {}
    edit_form = forms.get("edit") or ClaimEditForm(
        initial={"text": claim.text, "claimant": claim.claimant, "claim_date": claim.claim_date, "version": claim.version}
    )
    verdict_form = forms.get("verdict") or VerdictForm(
        ratings=ratings,
        initial={"rating": mine.rating_id if mine else None, "rationale": mine.rationale if mine else "",
                 "version": mine.version if mine else 0},
    )
    chosen = str(verdict_form["rating"].value())
    context = {
        "claim": claim,
        "claim_id": str(claim.pk),  # a string: the template prints it a dozen times, and ints go through localize
        "urls": _urls(claim),
        "span": claim.span,
        "article": claim.article,
        "ratings": ratings,
        # (rating, checked, index, number, pk, value class), as strings for the same reason
        "rating_choices": [
            (r, str(r.pk) == chosen, str(i), str(i + 1), str(r.pk), "none" if r.value is None else str(r.value))
            for i, r in enumerate(ratings)
        ],
        "my_verdict": mine,
        "other_verdict_count": len(others),
        "evidence": evidence,
        "comments": comments,
        "history": [(entry, rendering.describe_history(entry)) for entry in history],
        "edit_form": edit_form,
        "verdict_form": verdict_form,
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "can_delete": lifecycle.delete_refusal(claim, user, bool(others)) is None,
        "is_editor_for_claim": can(claim, Role.EDITOR),
        # Published means settled: a reviewer may not change a settled claim's wording or place.
        "may_change_wording": claim.status not in lifecycle.SETTLED or can(claim, Role.EDITOR),
        "changed": services.integrity.proposal(claim) if claim.span.changed_in_revision else None,
        "status_label": rendering.STATUS_LABELS.get(claim.status, claim.status),
        "oob_html": mark_safe(""),
    }
    context.update(extra)
    return context


def blind_for(claim, mine):
    """Blind review (the project's setting): a reviewer without a verdict of their own does
    not see what others rated, not even through the history. Editors always see it."""
    return claim.project.blind_review and mine is None and not can(claim, Role.EDITOR)


def _urls(claim):
    """The panel's URLs, each used twice (action and hx-post): reversed from cached patterns."""
    pk = claim.pk
    urls = {key: url_for(name, pk) for key, name in _PANEL_URLS}
    urls["review"] = url_for("review", claim.article_id)
    urls["source_search"] = url_for("source-search", claim.project.slug)
    return urls


_PANEL_URLS = (("verdict", "verdict-save"), ("edit", "claim-edit"), ("evidence", "evidence-add"),
               ("comment", "comment-add"), ("delete", "claim-delete"), ("replace", "claim-replace"))
