"""Article writes: import, revision (re-anchoring every span), and the article row lock
that claim creation, re-placing and revisions share.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotate import anchoring, integrity_hooks, limits, wording
from annotate.importing import read_parts
from annotate.memory.language import detect_language
from annotate.models import (
    HistoryAction,
    CHANGED_IN_REVISION,
    Article,
    ArticleRevision,
    Claim,
    HistoryEntry,
    Span,
)
from annotate.textclean import content_hash
from annotate.writes import Invalid
from annotate.services.sources import clean_url




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
                selection = checked_selection(fresh.body, start, end, quote, offsets)
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


# --- import these parts as an article: the import page, the API and import_articles ----

METADATA = ("title", "author", "publisher", "published", "source_url")


def import_parts(project, user, parts, **metadata):
    """Read `parts` and save them as a new article of `project`: the one way in for the API
    and the import_articles command (the import page previews `read_parts` first, then
    saves with `import_article`). `metadata` (any of METADATA) overrides what was read.
    Raises ImportProblem, Invalid or Duplicate; nothing is saved then."""
    extracted = read_parts(parts)
    for key in METADATA:
        if metadata.get(key):
            setattr(extracted, key, metadata[key])
    return import_article(project, user, extracted)


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
        if flagged_claims:
            flagged = list(Claim.objects.filter(pk__in=flagged_claims))
            transaction.on_commit(lambda: integrity_hooks.notify_changed_in_revision(flagged))
    # Spans orphaned by an earlier revision that stay orphaned are not "placed".
    return RevisionResult(locked, placed=placed, moved=moved, orphaned=orphaned, changed=changed)



def checked_selection(body, start, end, quote, offsets):
    """(start, end, Quote) in code points, or Invalid when the selection does not match the body."""
    try:
        if offsets == "utf16":
            start = anchoring.utf16_to_codepoints(body, start)
            end = anchoring.utf16_to_codepoints(body, end)
        return start, end, anchoring.check_selection(body, start, end, quote)
    except anchoring.AnchorError as exc:
        raise Invalid(str(exc), field="quote") from None

