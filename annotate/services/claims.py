"""Claim writes: create from a selection, edit, verdicts, re-place, delete, comments.
"""


from django.db import IntegrityError, transaction
from django.db.models.functions import Now

from annotate import claimrows, lifecycle, notify
from annotate.compiled import Compiled, is_id
from annotate.memory import similar
from annotate.memory.claimants import normalise_claimant
from annotate.models import (
    Article,
    ArticleRevision,
    HistoryAction,
    Claim,
    Comment,
    Evidence,
    HistoryEntry,
    Rating,
    Span,
    Status,
    Verdict,
)
from annotate.writes import Conflict, Invalid, locked_update
from annotate.services.articles import StaleRevision, checked_selection, lock_article_text


# --- claims -------------------------------------------------------------------



def add_claim(article, user, start, end, quote, *, text="", claimant="", claim_date=None, offsets="codepoints", revision=None):
    """Create a span and its claim from a selection; the quote must match the body there.

    `offsets="utf16"` converts a browser's UTF-16 offsets first (the one boundary).
    `revision`: the revision the selection was made on, when the client says; an older
    one than the article's is refused (StaleRevision). An article looked up without its
    body (access.get_article_for_claim) has the quote checked on the locked row's text
    around the selection (claimrows.lock_quote); the whole text only to word an error.
    """
    if revision is not None and revision != article.revision:
        raise StaleRevision(article.revision, revision)
    given = (start, end)
    has_body = "body" not in article.get_deferred_fields()
    if has_body:
        start, end, selected = checked_selection(article.body, start, end, quote, offsets)
    with transaction.atomic():
        if not has_body:
            current, selected = claimrows.lock_quote(article.pk, start, end, quote) if offsets == "codepoints" else (None, None)
            if selected is None or current != article.revision:
                # An error to word, UTF-16 offsets or a revision in between: the whole text, as
                # before (the one the client selected on first, then the current one).
                article.body = _body_seen(article, current)
                start, end, selected = checked_selection(article.body, start, end, quote, offsets)
                has_body = True
        elif claimrows.lock_quote(article.pk, 0, 0, "")[0] == article.revision:
            has_body = False  # locked, and the text checked above is still the current one
        if has_body:
            _, _, rechecked = lock_article_text(article, revision, start=given[0], end=given[1], quote=quote, offsets=offsets)
            if rechecked is not None:
                start, end, selected = rechecked
        span = Span(
            article=article,
            start=start,
            end=end,
            quote=selected.exact,
            prefix=selected.prefix,
            suffix=selected.suffix,
            revision=article.revision,  # the locked row's (lock_quote or lock_article_text)
            created_by=user,
        )
        claim = Claim(
            project_id=article.project_id,
            article=article,
            text=(text or "").strip() or " ".join(selected.exact.split()),
            claimant=claimant,
            claimant_key=normalise_claimant(claimant),
            claim_date=claim_date,
            created_by=user,
        )
        entry = HistoryEntry(actor=user, action=HistoryAction.CLAIM_CREATED, changes={"quote": selected.exact, "start": start, "end": end})
        claimrows.insert_claim(span, claim, entry)  # one statement on PostgreSQL
        claim.project = article.project
        if not claimrows.LINKS_AFTER_COMMIT:
            similar.autolink(claim, user)
    # Desk memory: an earlier claim scoring above the project's auto-link threshold is linked now.
    # On PostgreSQL after the claim's transaction: its links are one INSERT (atomic by itself),
    # and the article's row lock is not held while the nearest claims are looked up, so writers
    # on one article do not queue behind desk memory's search (issue 16).
    if claimrows.LINKS_AFTER_COMMIT:
        similar.autolink(claim, user)
    return claim


def _body_seen(article, current):
    """The text a selection was made on: the article's, or, when a revision came in between
    (`current` is the locked row's), the revision the client had loaded."""
    if current is not None and current != article.revision:
        old = ArticleRevision.objects.filter(article_id=article.pk, number=article.revision).values_list("body", flat=True).first()
        if old is not None:
            return old
    return Article.objects.filter(pk=article.pk).values_list("body", flat=True).get()


CLAIM_EDITABLE = ("text", "claimant", "claim_date")


def update_claim(claim, user, version, **values):
    """Edit the claim as checked, claimant and date under optimistic locking."""
    unknown = set(values) - set(CLAIM_EDITABLE)
    if unknown:
        raise Invalid(f"Cannot change {', '.join(sorted(unknown))} here.")
    if "text" in values and not (values["text"] or "").strip():
        raise Invalid("The claim as checked cannot be empty.", field="text")
    changes = {k: [str(getattr(claim, k) or ""), str(v or "")] for k, v in values.items() if getattr(claim, k) != v}
    if "claimant" in values:
        values = {**values, "claimant_key": normalise_claimant(values["claimant"])}
    with transaction.atomic():
        locked_update(Claim, claim.pk, version, values, lambda: Claim.objects.get(pk=claim.pk))
        if changes:
            HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.CLAIM_EDITED, changes=changes)
    claim.refresh_from_db()
    return claim


def rating_in_project(rating, project_id):
    """The project's rating named by a Rating, its id or its label (case-insensitive, as the
    API accepts); anything not on the project's scale is refused alike."""
    if isinstance(rating, str):
        found = Rating.objects.filter(project_id=project_id, label__iexact=rating).first()
        if found is None:
            raise Invalid(f"“{rating}” is not on this project's rating scale.", field="rating")
        return found
    if isinstance(rating, Rating):
        ok = rating.project_id == project_id
    else:
        rating = _RATING_IN_PROJECT.first(rating, project_id) if is_id(rating) else None
        ok = rating is not None
    if not ok:
        raise Invalid("That rating is not on this project's scale.", field="rating")
    return rating


# Compiled once (annotate/compiled.py): the verdict save's reads.
_RATING_IN_PROJECT = Compiled(lambda pk, project_id: Rating.objects.filter(pk=pk, project_id=project_id).order_by()[:1], arity=2)
_OWN_VERDICT = Compiled(
    lambda claim_id, user_id: Verdict.objects.filter(claim_id=claim_id, reviewer_id=user_id).select_related("rating").order_by()[:1],
    arity=2,
)


def save_verdict(claim, user, rating, rationale="", version=None):
    """Create (version None) or update (version = the one the user saw) the user's own verdict."""
    rating = rating_in_project(rating, claim.project_id)
    rationale = (rationale or "").strip()
    with transaction.atomic():
        existing = _OWN_VERDICT.first(claim.pk, user.pk, attach={"claim": claim})
        if existing is None:
            if version not in (None, 0):
                raise Conflict(None, "Your verdict was deleted in the meantime.")
            try:
                with transaction.atomic():
                    verdict = Verdict.objects.create(claim=claim, reviewer=user, rating=rating, rationale=rationale)
            except IntegrityError:
                # A second tab saved the first verdict at the same moment.
                raise Conflict(Verdict.objects.get(claim=claim, reviewer=user)) from None
            action, changes = HistoryAction.VERDICT_CREATED, {"rating": rating.label, "rationale": rationale}
        else:
            if version is None or version == 0:
                raise Conflict(existing, "You already gave a verdict on this claim; it is shown below.")
            changes = {}
            if existing.rating_id != rating.pk:
                changes["rating"] = [existing.rating.label, rating.label]
            if existing.rationale != rationale:
                changes["rationale"] = [existing.rationale, rationale]
            locked_update(Verdict, existing.pk, version, {"rating": rating, "rationale": rationale},
                           lambda: Verdict.objects.select_related("rating").get(pk=existing.pk))
            verdict = Verdict.objects.select_related("rating").get(pk=existing.pk)
            action = HistoryAction.VERDICT_CHANGED
        if changes:
            HistoryEntry.objects.create(claim=claim, verdict=verdict, actor=user, action=action, changes=changes)
        if claim.status == Status.OPEN:
            Claim.objects.filter(pk=claim.pk, status=Status.OPEN).update(status=Status.IN_REVIEW, updated_at=Now())
        if action == HistoryAction.VERDICT_CREATED:
            notify.verdict_given(claim, user)
    return verdict


def delete_claim(claim, user):
    """The creator may delete a claim nobody else has given a verdict on."""
    if claim.created_by_id != user.pk:
        raise lifecycle.delete_refusal(claim, user, False)
    with transaction.atomic():
        others = Verdict.objects.filter(claim=claim).exclude(reviewer=user).exists()
        refusal = lifecycle.delete_refusal(claim, user, others)
        if refusal is not None:
            raise refusal
        span = claim.span
        Evidence.objects.filter(claim=claim).delete()
        claim.delete()
        span.delete()


def replace_span(claim, user, start, end, quote, *, offsets="codepoints", revision=None):
    """Put a claim's highlight on a new selection (how a reviewer re-places an orphaned span,
    or one changed in revision). The quote must match the current body at those offsets,
    as for add_claim, under the same article lock.
    """
    article = claim.article
    if revision is not None and revision != article.revision:
        raise StaleRevision(article.revision, revision)
    given = (start, end)
    start, end, selected = checked_selection(article.body, start, end, quote, offsets)
    with transaction.atomic():
        current, _, rechecked = lock_article_text(article, revision, start=given[0], end=given[1], quote=quote, offsets=offsets)
        if rechecked is not None:
            start, end, selected = rechecked
        Span.objects.filter(pk=claim.span_id).update(
            start=start, end=end, quote=selected.exact, prefix=selected.prefix, suffix=selected.suffix,
            orphaned=False, anchor_method="manual", revision=current,
            revised_start=None, revised_end=None, revised_quote="",
        )
        Claim.objects.filter(pk=claim.pk).update(updated_at=Now())
        HistoryEntry.objects.create(
            claim_id=claim.pk, actor=user, action=HistoryAction.SPAN_REPLACED,
            changes={"quote": selected.exact, "start": start, "end": end, "was_orphaned": claim.span.orphaned,
                     "was_changed": claim.span.changed_in_revision, "old_quote": claim.span.quote},
        )
    claim.span.refresh_from_db()
    return claim

def add_comment(claim, user, text):
    text = (text or "").strip()
    if not text:
        raise Invalid("A comment cannot be empty.", field="text")
    with transaction.atomic():
        comment = Comment.objects.create(claim=claim, author=user, text=text)
        notify.mentions(comment, claim, user)
    return comment
