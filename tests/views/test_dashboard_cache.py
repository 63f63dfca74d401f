"""The dashboard's cache: a second view is served from it, and every kind of write shows on the next view."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import dashboard_cache, services
from annotate.models import Claim, HistoryEntry
from tests.conftest import make_claim, rating


def _csv(client, project, slug):
    response = client.get(f"/p/{project.slug}/dashboard/{slug}.csv")
    assert response.status_code == 200
    return {row[0]: row[1:] for row in list(csv.reader(io.StringIO(response.content.decode())))[1:]}


def _total(rows, column=0):
    return sum(int(cells[column] or 0) for cells in rows.values())


@pytest.fixture
def editor(client, cast):
    client.force_login(cast.bob)
    return client


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_second_view_comes_from_the_cache_and_draws_the_same_numbers(editor, cast):
    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="The mayor")
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"))
    path = f"/p/{cast.project.slug}/dashboard/"
    first = editor.get(path).content
    with CaptureQueriesContext(connection) as ctx:
        second = editor.get(path).content
    # session, user, project, scale, articles, the write stamp, one cache read: no aggregate.
    assert len(ctx.captured_queries) == 7
    start = first.index(b'<div class="charts">')
    assert b'data-value="1"' in first[start:] and first[start:] == second[second.index(b'<div class="charts">'):]
    # The CSV is read from the same entry: exactly the numbers drawn.
    assert _queries(editor, f"/p/{cast.project.slug}/dashboard/activity.csv") == 7


def test_each_service_write_shows_on_the_next_view(editor, cast):
    p = cast.project
    assert _total(_csv(editor, p, "activity")) == 0
    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="The mayor")
    assert _total(_csv(editor, p, "activity"), 0) == 1  # created
    services.save_verdict(claim, cast.alice, rating(p, "False"))
    assert _total(_csv(editor, p, "activity"), 1) == 1  # verdicts
    services.save_verdict(claim, cast.erin, rating(p, "False"))
    second = make_claim(cast.article, "12,000 homes", cast.alice)
    services.save_verdict(second, cast.alice, rating(p, "Accurate"))
    verdict = services.save_verdict(second, cast.erin, rating(p, "Accurate"))
    assert [cells for cells in _csv(editor, p, "agreement").values() if cells[0]] == [["1.00", "2"]]
    services.save_verdict(second, cast.erin, rating(p, "False"), version=verdict.version)
    (alpha, claims), = [cells for cells in _csv(editor, p, "agreement").values() if cells[0]]
    assert float(alpha) < 1 and claims == "2"
    claim = Claim.objects.get(pk=claim.pk)
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(p, "False"), "Wrong.")
    assert _csv(editor, p, "claimants") == {"The mayor": ["1"]}
    claim = services.update_claim(claim, cast.alice, claim.version, claimant="The council")
    assert _csv(editor, p, "claimants") == {"The council": ["1"]}
    claim = services.publish(claim, cast.bob, claim.version)
    assert _csv(editor, p, "ratings")["False"] == ["1"]
    assert _total(_csv(editor, p, "activity"), 2) == 1  # published
    services.unpublish(claim, cast.bob, claim.version, "Source withdrawn.")
    assert _csv(editor, p, "ratings")["False"] == ["0"]
    other = make_claim(cast.article, "three years late", cast.alice)
    assert _total(_csv(editor, p, "activity"), 0) == 3
    services.delete_claim(other, cast.alice)
    assert _total(_csv(editor, p, "activity"), 0) == 2


def _count_generations(monkeypatch):
    calls = []
    real = dashboard_cache.new_generation
    monkeypatch.setattr(dashboard_cache, "new_generation", lambda: calls.append(1) or real())
    return calls


# Committed for real (on-commit callbacks run), as in production.
@pytest.mark.django_db(transaction=True)
def test_admin_edits_and_deletions_without_history_invalidate_it(editor, cast, monkeypatch):
    p = cast.project
    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="The mayor")
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(p, "False"), "Wrong.")
    assert _csv(editor, p, "outlets") == {}
    # As the admin does: Model.save(), no history entry.
    cast.article.publisher = "Harbour Herald"
    cast.article.save()
    assert _csv(editor, p, "outlets") == {"Harbour Herald": ["1"]}
    claim.claimant = "The harbour master"
    claim.save()
    assert _csv(editor, p, "claimants") == {"The harbour master": ["1"]}
    verdict = services.save_verdict(claim, cast.alice, rating(p, "False"))
    assert _total(_csv(editor, p, "activity"), 1) == 1
    generations = _count_generations(monkeypatch)
    verdict.delete()
    assert len(generations) == 1
    assert _total(_csv(editor, p, "activity"), 1) == 0


@pytest.mark.django_db(transaction=True)
def test_assignees_members_and_usernames_show_on_the_workload(editor, cast):
    from tests.conftest import make_user

    p = cast.project
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    assert _csv(editor, p, "workload")["alice"] == ["0", "0"]
    claim.assignees.add(cast.alice)
    assert _csv(editor, p, "workload")["alice"] == ["1", "0"]
    claim.assignees.remove(cast.alice)
    assert _csv(editor, p, "workload")["alice"] == ["0", "0"]
    p.memberships.create(user=make_user("frank"), role="reviewer")
    assert "frank" in _csv(editor, p, "workload")
    p.memberships.get(user__username="frank").delete()
    assert "frank" not in _csv(editor, p, "workload")
    cast.alice.username = "alice2"
    cast.alice.save()
    assert "alice2" in _csv(editor, p, "workload")


def test_a_new_label_or_colour_on_the_scale_is_drawn_at_once(editor, cast):
    p = cast.project
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(p, "False"), "Wrong.")
    services.publish(claim, cast.bob, claim.version)
    assert _csv(editor, p, "ratings")["False"] == ["1"]
    # A bulk update (no signal, no history): the scale is part of the key.
    p.ratings.filter(label="False").update(label="Wrong")
    rows = _csv(editor, p, "ratings")
    assert rows["Wrong"] == ["1"] and "False" not in rows


@pytest.mark.django_db(transaction=True)
def test_deleting_many_claims_invalidates_once(editor, cast, monkeypatch):
    for quote in ("41 million euros", "12,000 homes", "three years late"):
        make_claim(cast.article, quote, cast.alice)
    assert _total(_csv(editor, cast.project, "activity"), 0) == 3
    generations = _count_generations(monkeypatch)
    Claim.objects.filter(article=cast.article).delete()
    assert len(generations) == 1
    assert _total(_csv(editor, cast.project, "activity"), 0) == 0


def test_the_stamp_moves_when_an_older_id_commits_late(cast):
    """Ids are handed out before commit: a write that took an id below the newest, and commits
    after it, leaves MAX(id) where it was; the count of the last ids still moves."""
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    entries = [HistoryEntry.objects.create(claim=claim, actor=cast.alice, action="test") for _ in range(3)]
    late = entries[1]
    HistoryEntry.objects.filter(pk=late.pk).delete()  # not committed yet, as far as readers know
    before = dashboard_cache.write_stamp()
    HistoryEntry.objects.create(pk=late.pk, claim=claim, actor=cast.alice, action="test")  # now it commits
    after = dashboard_cache.write_stamp()
    assert before[0] == after[0] == entries[2].pk
    assert after != before


def test_a_lost_generation_is_a_new_one(editor, cast):
    from django.core.cache import cache

    make_claim(cast.article, "41 million euros", cast.alice)
    path = f"/p/{cast.project.slug}/dashboard/activity.csv"
    editor.get(path)
    cache.delete(dashboard_cache.GENERATION_KEY)
    # The entry was computed under the lost generation: never used again.
    assert _queries(editor, path) > 7
    assert _queries(editor, path) == 7  # session, user, project, scale, articles, stamp, cache read


def test_parameters_other_than_the_filters_share_the_cached_entry(editor, cast):
    make_claim(cast.article, "41 million euros", cast.alice)
    path = f"/p/{cast.project.slug}/dashboard/?article={cast.article.pk}"
    editor.get(path)
    assert _queries(editor, path + "&utm_source=newsletter") == 7
    html = editor.get(path + "&utm_source=newsletter").content.decode()
    # The CSV links carry the filter only (the login dialog's `next` may keep the whole URL).
    csv_links = re.findall(r'href="([^"]*\.csv[^"]*)"', html)
    assert csv_links and all("utm_source" not in link for link in csv_links) and f".csv?article={cast.article.pk}" in html
