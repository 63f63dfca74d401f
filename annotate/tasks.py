"""Background tasks (Django's task API via the django-tasks backport; `manage.py db_worker` runs them).

Each task takes ids, not objects (arguments are stored as JSON), looks the row up again
(it may have been deleted meanwhile) and delegates to annotate/snapshots.py or
annotate/archiving.py. Requests only enqueue, after their transaction commits.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from annotate import archiving, snapshots
from annotate.models import CheckState, Evidence, Source

log = logging.getLogger(__name__)
RECHECK_TASK = "annotate.tasks.recheck_due_sources"


def _actor(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


@task()
def snapshot_source(source_id: int, user_id: int | None = None) -> str:
    """Fetch a source's page, store a snapshot when it changed, verify the excerpts that cite it."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    snapshots.take_snapshot(source, _actor(user_id))
    source.refresh_from_db(fields=["check_state"])
    return source.check_state


@task()
def verify_evidence(evidence_id: int, user_id: int | None = None) -> str:
    """Verify one newly attached excerpt against its source's latest snapshot."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        return "gone"
    snapshots.verify_one(evidence, _actor(user_id))
    evidence.refresh_from_db(fields=["verification"])
    return evidence.verification


@task()
def archive_source(source_id: int, user_id: int | None = None) -> str:
    """Ask the Internet Archive for a copy of the source's page (when archiving is enabled)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not archiving.enabled():
        return ""
    return archiving.capture(source, _actor(user_id))


def recheck(project_slug: str | None = None, older_than_days: int | None = None, on_each=None) -> dict[str, int]:
    """Re-fetch the due sources one after the other; counts by resulting check state."""
    counts: dict[str, int] = {}
    for source in snapshots.sources_due(project_slug, older_than_days).iterator(chunk_size=200):
        snapshots.take_snapshot(source)
        source.refresh_from_db(fields=["check_state"])
        counts[source.check_state] = counts.get(source.check_state, 0) + 1
        if on_each:
            on_each(source)
    return counts


@task()
def recheck_due_sources(reschedule: bool = True) -> dict[str, int]:
    """The scheduled re-check: sources not checked for FACTMARK_RECHECK_OLDER_THAN_DAYS, then run
    again in FACTMARK_RECHECK_EVERY_HOURS (a task that re-queues itself: no separate scheduler)."""
    try:
        return recheck(older_than_days=settings.FACTMARK_RECHECK_OLDER_THAN_DAYS)
    finally:
        if reschedule:
            schedule_recheck()


def schedule_recheck(delay: timedelta | None = None) -> bool:
    """Queue the next scheduled re-check unless one is already waiting. True when one was queued."""
    from django_tasks import default_task_backend
    from django_tasks_db.models import DBTaskResult

    if not default_task_backend.supports_defer:
        return False  # the immediate backend (tests, FACTMARK_TASKS_IMMEDIATE) would run it now, forever
    if DBTaskResult.objects.filter(task_path=RECHECK_TASK, status="READY").exists():
        return False
    delay = timedelta(hours=settings.FACTMARK_RECHECK_EVERY_HOURS) if delay is None else delay
    recheck_due_sources.using(run_after=timezone.now() + delay).enqueue()
    return True


def queue_after_attach(source: Source, evidence: Evidence, user) -> None:
    """Once the attach commits: snapshot a source never fetched, else verify the new excerpt.

    After commit, so a worker never looks for rows that are not there yet; robust, so a
    queue that cannot be reached never undoes (or errors) the attach the reviewer made.
    The scheduled re-check picks up any source still pending.
    """
    user_id = getattr(user, "pk", None)

    def queue():
        # Decided at commit: a source snapshotted meanwhile (a second attach, the demo) is not fetched again.
        if Source.objects.filter(pk=source.pk, check_state=CheckState.PENDING).exists():
            snapshot_source.enqueue(source.pk, user_id)
        else:
            verify_evidence.enqueue(evidence.pk, user_id)

    transaction.on_commit(queue, robust=True)
