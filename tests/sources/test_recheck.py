"""recheck_sources (command and scheduled task): new snapshot only when the bytes changed; flags and history."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from annotate import services, tasks
from annotate.models import Evidence, HistoryEntry, Snapshot, Source
from tests.conftest import make_claim, rating
from tests.sources.conftest import CHANGED_PAGE

pytestmark = pytest.mark.django_db

EXCERPT = "the barrier cost 41 million euros, four million more than planned"


@pytest.fixture
def cited(cast, claim, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.add_evidence(claim, cast.alice, url=f"{site.base}/audit", stance="supports", excerpt=EXCERPT)
    evidence.refresh_from_db()
    assert evidence.verification == "found"
    return evidence


def run(*args):
    out = StringIO()
    call_command("recheck_sources", *args, stdout=out)
    return out.getvalue()


def test_an_unchanged_page_records_no_new_snapshot(cited, site):
    before = Source.objects.get().checked_at
    out = run()
    assert "Re-checked 1 source: 1 fetched." in out
    assert Snapshot.objects.count() == 1
    assert Source.objects.get().checked_at > before


def test_a_changed_page_gets_a_new_snapshot_and_its_lost_excerpt_is_flagged(client, cast, cited, site):
    site.pages["/audit"] = (200, "text/html; charset=utf-8", CHANGED_PAGE.encode())
    out = run("--project", cast.project.slug)
    assert "1 excerpt not found exactly" in out
    assert Snapshot.objects.count() == 2
    evidence = Evidence.objects.get()
    assert evidence.verification == "close"  # 41 → 38 million: the same sentence, changed
    assert evidence.verified_snapshot == Snapshot.objects.order_by("-id").first()
    entry = HistoryEntry.objects.filter(claim=cited.claim, action="source_excerpt_checked").order_by("-id").first()
    assert entry.changes["verification"] == ["found", "close"]
    # The claim panel shows the flag and the history says so.
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[cited.claim_id])).content.decode()
    assert "Close match" in html and "is now a close match (was found on the page)" in html
    # And the editor queue marks the claim.
    services.save_verdict(cited.claim, cast.alice, rating(cast.project, "False"), "", version=0)
    client.force_login(cast.bob)
    assert "1 source to check" in client.get(reverse("editor-queue", args=[cast.project.slug])).content.decode()


def test_a_page_gone_is_flagged_with_history_and_cleared_when_it_returns(client, cast, cited, site):
    del site.pages["/audit"]
    out = run()
    assert "page gone (The server answered 404 Not Found" in out
    source = Source.objects.get()
    assert (source.check_state, source.check_status) == ("gone", 404)
    assert Evidence.objects.get().excerpt == EXCERPT  # nothing the reviewer typed is lost
    assert HistoryEntry.objects.filter(claim=cited.claim, action="source_gone").count() == 1
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[cited.claim_id])).content.decode()
    assert "Page gone (404)" in html and "is gone (HTTP 404)" in html
    site.reset()
    run()
    assert Source.objects.get().check_state == "ok"
    assert HistoryEntry.objects.filter(claim=cited.claim, action="source_back").count() == 1


def test_older_than_and_project_choose_the_sources(cast, cited, site):
    other = make_claim(cast.article, "the mayor denies", cast.alice)
    fresh = Source.objects.create(project=cast.project, url=f"{site.base}/plain", checked_at=timezone.now())
    Evidence.objects.create(claim=other, source=fresh, stance="context")
    Source.objects.filter(pk=cited.source_id).update(checked_at=timezone.now() - timedelta(days=10))
    out = run("--older-than", "7")
    assert "Re-checked 1 source" in out and "/audit" in out and "/plain" not in out
    assert "Re-checked 0 sources." in run("--project", cast.other.slug)
    with pytest.raises(CommandError, match="No project with the slug 'nope'"):
        run("--project", "nope")


def test_the_scheduled_task_rechecks_due_sources(cited, site):
    Source.objects.update(checked_at=timezone.now() - timedelta(days=30))
    site.pages["/audit"] = (200, "text/html; charset=utf-8", CHANGED_PAGE.encode())
    result = tasks.recheck_due_sources.enqueue(reschedule=False)
    assert result.return_value == {"ok": 1}
    assert Snapshot.objects.count() == 2


def test_schedule_queues_one_periodic_task_on_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "Periodic re-check queued." in run("--schedule")
    assert "already queued" in run("--schedule")
    queued = DBTaskResult.objects.get(task_path=tasks.RECHECK_TASK)
    assert queued.status == "READY" and queued.run_after > timezone.now() + timedelta(hours=23)
