"""Source snapshots, excerpt verification and archive links: the writes the background tasks make.

Called from annotate/tasks.py (a worker process) and from the recheck_sources command;
never from a request's thread, except through the immediate task backend in tests.
The network is reached only through annotate/netfetch.py, with the same guards as
article import. A fetch failure never touches the evidence a reviewer typed: it only
records the source's check state and flags.

History: every change of an evidence's verification state, and a page going (or coming
back), writes a HistoryEntry on each claim the source supports, in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from annotate import extract, netfetch, verify
from annotate.decoding import ImportProblem
from annotate.models import CheckState, Evidence, HistoryAction, HistoryEntry, Snapshot, Source, Verification

log = logging.getLogger(__name__)

USER_AGENT = "Factmark/1.0 (fact-checking; source snapshot)"


def fetch_guards() -> dict:
    """The netfetch arguments every fetch of this app uses (settings decide; tests add local hosts)."""
    return {
        "timeout": settings.FACTMARK_FETCH_TIMEOUT,
        "allow_private": settings.FACTMARK_IMPORT_ALLOW_PRIVATE,
        "hosts": settings.FACTMARK_FETCH_TEST_HOSTS or None,
    }


def latest_snapshot(source_id):
    return Snapshot.objects.filter(source_id=source_id).order_by("-fetched_at", "-id").first()


def take_snapshot(source: Source, actor=None) -> Snapshot | None:
    """Fetch the source's page; store a snapshot when the bytes changed; re-verify its evidence.

    Returns the latest snapshot (new or unchanged), or None when the fetch failed (the
    source's check_state says why: gone, or failed for reasons that say nothing about the page).
    """
    try:
        page = netfetch.fetch(source.url, max_bytes=settings.FACTMARK_SOURCE_MAX_BYTES, user_agent=USER_AGENT,
                              noun="page", **fetch_guards())  # fmt: skip
    except netfetch.FetchProblem as problem:
        _record_failure(source, problem, actor)
        return None
    return record_page(source, page, actor)


def record_page(source: Source, page: netfetch.Fetched, actor=None) -> Snapshot:
    """Store what a fetched page says (a new snapshot only when its bytes changed) and verify the evidence."""
    digest = hashlib.sha256(page.data).hexdigest()
    previous = latest_snapshot(source.pk)
    if previous is not None and previous.sha256 == digest:
        with transaction.atomic():
            _record_check(source, CheckState.OK, page.status, "", actor)
        return previous
    try:
        article = extract.from_page(page, max_bytes=settings.FACTMARK_SOURCE_MAX_BYTES)
        text, title, publisher, published = article.body, article.title, article.publisher, article.published
    except ImportProblem as problem:
        # A page with no main text (an empty page, a binary blob): stored as fetched but empty,
        # so excerpts read "not found" and the reviewer sees why.
        text, title, publisher, published = "", "", "", None
        log.info("source %s: no text in the page: %s", source.pk, problem)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            source=source, final_url=page.url[:2000], http_status=page.status, sha256=digest, text=text,
            title=title[:500], publisher=publisher[:200], published_on=published,
        )  # fmt: skip
        _fill_empty_fields(source, snapshot)
        _record_check(source, CheckState.OK, page.status, "" if text else "The page has no readable text.", actor)
        verify_evidence(Evidence.objects.filter(source=source), snapshot, actor)
    return snapshot


def _fill_empty_fields(source: Source, snapshot: Snapshot) -> None:
    """The page's own title, publisher and date fill the source's empty fields (never overwrite a reviewer's)."""
    changed = []
    for field in ("title", "publisher", "published_on"):
        if not getattr(source, field) and getattr(snapshot, field):
            setattr(source, field, getattr(snapshot, field))
            changed.append(field)
    if changed:
        source.save(update_fields=changed)


def _record_check(source: Source, state: str, status: int | None, error: str, actor) -> None:
    was_gone = Source.objects.filter(pk=source.pk, check_state=CheckState.GONE).exists()
    Source.objects.filter(pk=source.pk).update(
        check_state=state, check_status=status, check_error=error[:500], checked_at=timezone.now()
    )
    source.check_state, source.check_status, source.check_error = state, status, error[:500]
    now_gone = state == CheckState.GONE
    if was_gone != now_gone:
        action = HistoryAction.SOURCE_GONE if now_gone else HistoryAction.SOURCE_BACK
        _history(Evidence.objects.filter(source=source), actor, action,
                 lambda ev: {"url": source.url, "status": status, "error": error[:200]})  # fmt: skip


def _record_failure(source: Source, problem: netfetch.FetchProblem, actor) -> None:
    state = CheckState.GONE if problem.page_gone else CheckState.FAILED
    with transaction.atomic():
        _record_check(source, state, problem.status, str(problem), actor)


def verify_evidence(evidence, snapshot: Snapshot | None, actor=None) -> None:
    """Search each evidence's excerpt in the snapshot; store the state; history when it changed."""
    now = timezone.now()
    for item in evidence.select_related("source"):
        if snapshot is None:
            continue
        match = verify.verify(item.excerpt, snapshot.text)
        before = item.verification
        item.verification = match.state
        item.verified_snapshot = snapshot
        item.match_start, item.match_end, item.match_score = match.start, match.end, match.score
        item.matched_text = match.passage
        item.verified_at = now
        item.save(update_fields=["verification", "verified_snapshot", "match_start", "match_end", "match_score",
                                 "matched_text", "verified_at"])  # fmt: skip
        if before != match.state and match.state != Verification.NO_EXCERPT:
            HistoryEntry.objects.create(
                claim_id=item.claim_id, actor=actor, action=HistoryAction.SOURCE_EXCERPT_CHECKED,
                changes={"url": item.source.url, "verification": [before, match.state], "score": match.score},
            )  # fmt: skip


def verify_one(evidence: Evidence, actor=None) -> None:
    """Verify a newly attached excerpt against the source's latest snapshot (if any)."""
    snapshot = latest_snapshot(evidence.source_id)
    if snapshot is not None:
        with transaction.atomic():
            verify_evidence(Evidence.objects.filter(pk=evidence.pk), snapshot, actor)


def _history(evidence, actor, action, changes) -> None:
    HistoryEntry.objects.bulk_create(
        [HistoryEntry(claim_id=item.claim_id, actor=actor, action=action, changes=changes(item)) for item in evidence]
    )


def sources_due(project_slug: str | None = None, older_than_days: int | None = None):
    """Sources to re-check: of one project or all; not checked within older_than_days (never checked first)."""
    sources = Source.objects.all()
    if project_slug:
        sources = sources.filter(project__slug=project_slug)
    if older_than_days is not None:
        cutoff = timezone.now() - timedelta(days=older_than_days)
        sources = sources.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))
    return sources.order_by(F("checked_at").asc(nulls_first=True), "id")


FLAGGED = (Verification.CLOSE, Verification.NOT_FOUND)


def flagged_evidence():
    """Evidence an editor should look at before publishing: excerpt not (exactly) on the page, or page gone."""
    return Evidence.objects.filter(Q(verification__in=FLAGGED) | Q(source__check_state=CheckState.GONE))


def queue_flags():
    """Annotation for a claim queryset: source_flags, the number of flagged evidence rows (one subquery, no join)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counted = flagged_evidence().filter(claim=OuterRef("pk")).order_by().values("claim").annotate(n=Count("id")).values("n")
    return {"source_flags": Coalesce(Subquery(counted), 0)}
