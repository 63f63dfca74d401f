"""Write paths. Each runs in one transaction, records history in it, and raises
`Invalid` (bad input: nothing changed) or `Conflict` (stale version: nothing changed).

Views and API views validate shape with forms/serializers, then call these.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone

from annotate import anchoring, claimrows, integrity_hooks, lifecycle, limits, notify, tasks, wording
from annotate.memory import similar
from annotate.memory.claimants import normalise_claimant
from annotate.memory.language import detect_language
from annotate.models import (
    HistoryAction,
    CHANGED_IN_REVISION,
    Article,
    ArticleRevision,
    Claim,
    Comment,
    Evidence,
    HistoryEntry,
    Rating,
    Source,
    Span,
    Stance,
    Status,
    Verdict,
)
from annotate.textclean import content_hash
from annotate.writes import Conflict, Invalid, locked_update, role_of  # noqa: F401  (re-exported: callers say services.Invalid)


class StaleRevision(Invalid):
    """The selection was made on an older revision of the article's text; nothing was saved."""

    def __init__(self, current, seen):
        super().__init__(
            f"The article was revised while you had it open (you saw revision {seen}; it is now at revision "
            f"{current}), so your selection was not saved: reload the article and select the text again.",
            field="revision",
        )
        self.current = current
        self.seen = seen


class Duplicate(Invalid):
    def __init__(self, existing):
        super().__init__(f"This article was already imported as “{existing.title}” (#{existing.pk}).", field="body")
        self.existing = existing


def _history(claim_id, actor, action, changes=None, verdict=None):
    return HistoryEntry(claim_id=claim_id, actor=actor, action=action, changes=changes or {}, verdict=verdict)


# --- articles -----------------------------------------------------------------


@dataclass
class RevisionResult:
    article: Article
    placed: int
    moved: int
    orphaned: int
    changed: int = 0  # flagged "changed in revision": other words where the quote was


def lock_article_text(article, seen_revision=None, *, start=None, end=None, quote=None, offsets="codepoints"):
    """Lock the article row for this transaction and make sure a selection quotes its current text.

    Creating a claim, re-placing a span and saving a revision all take this row lock
    (a revision with FOR UPDATE, the others FOR NO KEY UPDATE, which conflicts with it
    but not with the foreign keys of other rows), so a span is always stored against
    the revision whose text it quotes. One statement when nothing changed (the hot
    path); when a revision came in between, the selection is checked again against
    the new text. `seen_revision` is the revision the client says it selected on: an
    older one is refused with StaleRevision. Returns (revision, body, (start, end, Quote)).
    """
    current = Article.objects.select_for_update(no_key=True).filter(pk=article.pk).values_list("revision", flat=True).get()
    if seen_revision is not None and seen_revision != current:
        raise StaleRevision(current, seen_revision)
    selection = None
    if current != article.revision:
        fresh = Article.objects.only("body", "revision").get(pk=article.pk)
        if quote is not None:
            try:
                selection = _checked_selection(fresh.body, start, end, quote, offsets)
            except Invalid:
                raise StaleRevision(current, article.revision) from None
        article.body, article.revision = fresh.body, current
    return current, article.body, selection


def _check_source_url(url):
    """The same URL rule as the forms, API and admin (annotate/limits.py), for commands too."""
    if not url:
        return
    if len(url) > limits.URL:
        raise Invalid(f"The source URL is longer than {limits.URL} characters.", field="source_url")
    clean_url(url, field="source_url")


def import_article(project, user, extracted):
    """Save a cleaned article (an `extract.Extracted`) in `project`; refuse duplicates."""
    body = extracted.body
    if not body.strip():
        raise Invalid("The article has no text.", field="body")
    _check_source_url(extracted.source_url)
    digest = content_hash(body)
    existing = Article.objects.filter(project=project, content_hash=digest).first()
    if existing is not None:
        raise Duplicate(existing)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                project=project,
                title=(extracted.title or body.split("\n", 1)[0])[: limits.TITLE],
                body=body,
                source_url=extracted.source_url or "",
                publisher=(extracted.publisher or "")[: limits.PUBLISHER],
                author=(extracted.author or "")[: limits.AUTHOR],
                published_on=extracted.published,
                content_hash=digest,
                language=detect_language(body),
                created_by=user,
            )
            ArticleRevision.objects.create(
                article=article, number=1, title=article.title, body=body, content_hash=digest, created_by=user
            )
    except IntegrityError:
        # Two imports of the same text raced; the other one won.
        existing = Article.objects.filter(project=project, content_hash=digest).first()
        if existing is None:
            raise
        raise Duplicate(existing) from None
    return article


def revise_article(article, user, extracted, revision=None):
    """Store a new revision of the text and re-anchor every span: a span moves only onto its own
    words; other words where its quote was flag it "changed in revision"; nothing near: orphaned.

    `revision`: the revision this text replaces, when the caller says; checked under the lock.
    """
    body = extracted.body
    digest = content_hash(body)
    if digest == article.content_hash:
        raise Invalid("This text is identical to the current revision.", field="body")
    if Article.objects.filter(project_id=article.project_id, content_hash=digest).exclude(pk=article.pk).exists():
        raise Duplicate(Article.objects.get(project_id=article.project_id, content_hash=digest))
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if revision is not None and revision != locked.revision:
            raise StaleRevision(locked.revision, revision)
        old_body = locked.body
        spans = list(
            Span.objects.filter(article=locked)
            .annotate(claim_pk=F("claim__id"))
            .only("start", "end", "quote", "prefix", "suffix", "orphaned", "anchor_method", "revised_quote")
        )
        results = anchoring.reanchor_all(
            old_body,
            body,
            [(s.pk, anchoring.Position(s.start, s.end), anchoring.Quote(s.quote, s.prefix, s.suffix)) for s in spans],
        )
        number = locked.revision + 1
        moved = orphaned = placed = changed = 0
        history, flagged_claims = [], []
        # Most spans only shift by the length of an edit before them: one UPDATE per
        # distinct shift. Only spans whose text or context changed are written one by one
        # (bulk_update of 1,000 rows builds a CASE per row and field: seconds of Python).
        # A span moves only onto its own words (anchoring.Anchor.moves); other words where
        # its quote was flag it "changed in revision", keeping the wording that was checked.
        shifted, rewritten, newly_orphaned = defaultdict(list), [], []
        for span in spans:
            anchor = results.get(span.pk)
            if anchor is None:
                if not span.orphaned or span.changed_in_revision:
                    orphaned += 1
                    newly_orphaned.append(span.pk)
                    if span.claim_pk:
                        history.append(_history(span.claim_pk, user, HistoryAction.SPAN_ORPHANED, {"revision": number, "quote": span.quote}))
                continue
            start, end = anchor.position.start, anchor.position.end
            if not anchor.moves:
                candidate = body[start:end]
                if (span.revised_quote, span.changed_in_revision) != (candidate, True) and span.claim_pk:
                    history.append(_history(span.claim_pk, user, HistoryAction.SPAN_CHANGED, {
                        "revision": number, "quote": span.quote, "new_quote": candidate,
                        "kinds": list(wording.describe_change(span.quote, candidate)), "where": anchor.method,
                    }))
                    flagged_claims.append(span.claim_pk)
                span.orphaned, span.anchor_method = True, CHANGED_IN_REVISION
                span.revised_start, span.revised_end, span.revised_quote = start, end, candidate
                changed += 1
                rewritten.append(span)
                continue
            placed += 1
            new = anchoring.select(body, start, end)
            if (start, end) != (span.start, span.end) or span.orphaned:
                moved += (start, end) != (span.start, span.end)
                if span.claim_pk:
                    history.append(_history(span.claim_pk, user, HistoryAction.SPAN_MOVED, {
                        "revision": number, "from": [span.start, span.end], "to": [start, end],
                        "method": anchor.method, "was_orphaned": span.orphaned,
                    }))
            if not span.orphaned and (new.exact, new.prefix, new.suffix) == (span.quote, span.prefix, span.suffix):
                shifted[(start - span.start, anchor.method)].append(span.pk)
            else:
                span.start, span.end = start, end
                span.quote, span.prefix, span.suffix = new.exact, new.prefix, new.suffix
                span.orphaned, span.anchor_method, span.revision = False, anchor.method, number
                span.revised_start = span.revised_end = None
                span.revised_quote = ""
                rewritten.append(span)
        for (delta, method), ids in shifted.items():
            Span.objects.filter(pk__in=ids).update(start=F("start") + delta, end=F("end") + delta, anchor_method=method, revision=number)
        for span in rewritten:
            span.save(update_fields=[
                "start", "end", "quote", "prefix", "suffix", "orphaned", "anchor_method", "revision",
                "revised_start", "revised_end", "revised_quote",
            ])
        Span.objects.filter(pk__in=newly_orphaned).update(
            orphaned=True, anchor_method="orphaned", revised_start=None, revised_end=None, revised_quote=""
        )
        # One timestamp for the whole revision, set here: a db_default compiled per row made
        # bulk_create of 600 moves cost ~0.4 s of Python.
        now = timezone.now()
        for entry in history:
            entry.created_at = now
        HistoryEntry.objects.bulk_create(history)
        locked.body = body
        locked.content_hash = digest
        locked.revision = number
        locked.language = detect_language(body)
        if extracted.title:
            locked.title = extracted.title[:500]
        locked.updated_at = timezone.now()
        locked.save()
        ArticleRevision.objects.create(article=locked, number=number, title=locked.title, body=body, content_hash=digest, created_by=user)
        for claim in Claim.objects.filter(pk__in=flagged_claims) if flagged_claims else ():
            transaction.on_commit(lambda claim=claim: integrity_hooks.notify_changed_in_revision(claim))
    # Spans orphaned by an earlier revision that stay orphaned are not "placed".
    return RevisionResult(locked, placed=placed, moved=moved, orphaned=orphaned, changed=changed)


# --- claims -------------------------------------------------------------------


def _checked_selection(body, start, end, quote, offsets):
    """(start, end, Quote) in code points, or Invalid when the selection does not match the body."""
    try:
        if offsets == "utf16":
            start = anchoring.utf16_to_codepoints(body, start)
            end = anchoring.utf16_to_codepoints(body, end)
        return start, end, anchoring.check_selection(body, start, end, quote)
    except anchoring.AnchorError as exc:
        raise Invalid(str(exc), field="quote") from None


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
        start, end, selected = _checked_selection(article.body, start, end, quote, offsets)
    with transaction.atomic():
        if not has_body:
            current, selected = claimrows.lock_quote(article.pk, start, end, quote) if offsets == "codepoints" else (None, None)
            if selected is None or current != article.revision:
                # An error to word, UTF-16 offsets or a revision in between: the whole text, as
                # before (the one the client selected on first, then the current one).
                article.body = _body_seen(article, current)
                start, end, selected = _checked_selection(article.body, start, end, quote, offsets)
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
        rating = Rating.objects.filter(pk=rating, project_id=project_id).first()
        ok = rating is not None
    if not ok:
        raise Invalid("That rating is not on this project's scale.", field="rating")
    return rating


def save_verdict(claim, user, rating, rationale="", version=None):
    """Create (version None) or update (version = the one the user saw) the user's own verdict."""
    rating = rating_in_project(rating, claim.project_id)
    rationale = (rationale or "").strip()
    with transaction.atomic():
        existing = Verdict.objects.filter(claim=claim, reviewer=user).select_related("rating").first()
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
    start, end, selected = _checked_selection(article.body, start, end, quote, offsets)
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


# --- sources, evidence, comments ----------------------------------------------

_url_validator = limits.web_url  # the one URL rule (annotate/limits.py)


def clean_url(url, field="url"):
    url = (url or "").strip()
    try:
        _url_validator(url)
    except ValidationError:
        raise Invalid("Enter a web address starting with http:// or https://.", field=field) from None
    return url


def add_evidence(claim, user, *, url, stance, title="", publisher="", published_on=None, archived_url="", excerpt="", note=""):
    """Attach a source (created in the project if new, shared if known) to a claim with a stance."""
    url = clean_url(url)
    if archived_url:
        archived_url = clean_url(archived_url, field="archived_url")
    if stance not in Stance.values:
        raise Invalid("Pick a stance: supports, refutes or context.", field="stance")
    with transaction.atomic():
        source, created = Source.objects.get_or_create(
            project_id=claim.project_id,
            url=url,
            defaults={"title": title[:500], "publisher": publisher[:200], "published_on": published_on, "archived_url": archived_url, "created_by": user},
        )
        if not created:
            # A known source: what the reviewer typed fills its empty fields, never overwrites them.
            typed = {"title": title[:500], "publisher": publisher[:200], "published_on": published_on, "archived_url": archived_url}
            empty = [field for field, value in typed.items() if value and not getattr(source, field)]
            for field in empty:
                setattr(source, field, typed[field])
            if empty:
                source.save(update_fields=empty)
        if Evidence.objects.filter(claim=claim, source=source).exists():
            raise Invalid("This source is already attached to the claim.", field="url")
        evidence = Evidence.objects.create(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note, added_by=user)
        HistoryEntry.objects.create(claim=claim, actor=user, action=HistoryAction.SOURCE_ADDED, changes={"url": url, "stance": stance})
        Claim.objects.filter(pk=claim.pk).update(updated_at=Now())
        # Snapshot and excerpt check run in the background (annotate/tasks.py), after commit.
        tasks.queue_after_attach(source, evidence, user)
    return evidence


def add_comment(claim, user, text):
    text = (text or "").strip()
    if not text:
        raise Invalid("A comment cannot be empty.", field="text")
    with transaction.atomic():
        comment = Comment.objects.create(claim=claim, author=user, text=text)
        notify.mentions(comment, claim, user)
    return comment


# --- editor: final verdict, status, publishing ---------------------------------


def _check_version(claim, version, current):
    if claim.version != version:
        raise Conflict(current())


def settle_claim(claim, user, version, rating, rationale, note=""):
    """Record the editor's final verdict: status approved, who and when.

    On a published fact-check this is a correction (annotate.corrections): same URL, a
    Correction record with the old and new wording and a public `note`.
    """
    rating = rating_in_project(rating, claim.project_id)
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("Write the rationale for the final verdict.", field="final_rationale")
    current = lambda: Claim.objects.select_related("final_rating").get(pk=claim.pk)  # noqa: E731
    role = role_of(claim, user)
    if claim.status == Status.PUBLISHED:
        from annotate import corrections

        _check_version(claim, version, current)
        lifecycle.check(claim.status, Status.PUBLISHED, role, has_final=True)
        return corrections.correct(claim, user, version, rating, rationale, note, current)
    if claim.status == Status.APPROVED:
        if not lifecycle.may(role, lifecycle.find(Status.APPROVED, Status.PUBLISHED)):
            raise PermissionDenied("Only a project editor may settle a final verdict.")
    else:
        lifecycle.check(claim.status, Status.APPROVED, role, has_final=True)
    now = timezone.now()
    with transaction.atomic():
        locked_update(
            Claim,
            claim.pk,
            version,
            {"final_rating": rating, "final_rationale": rationale, "approved_by": user, "approved_at": now, "status": Status.APPROVED},
            current,
        )
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.FINAL_VERDICT, changes={"rating": rating.label, "rationale": rationale})
    claim.refresh_from_db()
    return claim


def set_status(claim, user, version, status, reason="", via=None):
    """Move a claim along annotate.lifecycle's table; anything else is refused, nothing changed.

    Raises Invalid (unknown status, no final verdict, no reason), lifecycle.NotAllowed
    (no such move from here), PermissionDenied (role too low) or Conflict (stale version).
    """
    if status not in Status.values:
        raise Invalid("Unknown status.", field="status")
    _check_version(claim, version, lambda: Claim.objects.get(pk=claim.pk))
    transition = lifecycle.check(
        claim.status, status, role_of(claim, user), has_final=claim.final_rating_id is not None, reason=reason, via=via
    )
    values = {"status": status}
    if status == Status.PUBLISHED:
        values["published_at"] = claim.published_at or timezone.now()
    elif claim.status == Status.PUBLISHED:
        values["published_at"] = None
    changes = {"status": [claim.status, status]}
    if transition.needs_reason:
        changes["reason"] = reason.strip()
    with transaction.atomic():
        locked_update(Claim, claim.pk, version, values, lambda: Claim.objects.get(pk=claim.pk))
        HistoryEntry.objects.create(claim_id=claim.pk, actor=user, action=HistoryAction.STATUS_CHANGED, changes=changes)
    claim.refresh_from_db()
    return claim


def change_claim(claim, user, version, changes):
    """Several changes to one claim (wording, final verdict, status, assignees), applied
    together or not at all, all based on the version the user saw.

    `changes` holds any of CLAIM_EDITABLE, final_rating (a rating, id or label),
    final_rationale, correction_note, status, reason and assignees. Each step bumps the
    version and the next is based on it, in one transaction. Raises Conflict on a stale
    version, Invalid (the final rating's problems named "final_rating"), lifecycle.NotAllowed
    or PermissionDenied; nothing is changed then.
    """
    from annotate import services_workflow

    if claim.version != version:
        raise Conflict(claim)
    with transaction.atomic():
        edits = {key: changes[key] for key in CLAIM_EDITABLE if key in changes}
        if edits:
            claim = update_claim(claim, user, version, **edits)
            version = claim.version
        if "final_rating" in changes or "final_rationale" in changes:
            ref = changes.get("final_rating", claim.final_rating_id)
            if ref is None:
                raise Invalid("Pick the final rating.", field="final_rating")
            try:
                claim = settle_claim(claim, user, version, ref, changes.get("final_rationale", claim.final_rationale),
                                     note=changes.get("correction_note", ""))
            except Invalid as exc:
                # The other services name the rating "rating"; among a claim's fields it is "final_rating".
                raise Invalid(exc.message, field="final_rating" if exc.field == "rating" else exc.field) from None
            version = claim.version
        if "status" in changes and changes["status"] != claim.status:
            claim = set_status(claim, user, version, changes["status"], reason=changes.get("reason", ""))
            version = claim.version
        if "assignees" in changes:
            claim = services_workflow.set_assignees(claim, user, version, changes["assignees"])
    return claim


def publish(claim, user, version):
    return set_status(claim, user, version, Status.PUBLISHED)


def unpublish(claim, user, version, reason):
    """Take a fact-check off the public page on purpose: the reason is kept in the history."""
    return set_status(claim, user, version, Status.APPROVED, reason=reason)
