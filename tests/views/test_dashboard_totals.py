"""The dashboard's partial totals give exactly the numbers a full recomputation gives,
after any mix of writes: services (create, verdict, settle, publish, unpublish, delete,
claimant edits), the admin's Model.save() and delete(), and bulk UPDATEs that send no
signal, with writes spread over many days; checked for random date ranges and articles."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotate import dashboard_totals, lifecycle, services, stats
from annotate.models import Article, Claim, DashboardDirty, DashboardTotal, Status, Verdict
from annotate.writes import Conflict, Invalid
from tests.conftest import make_article

CLAIMANTS = ["The mayor", "The council", "", "A spokesperson", "the mayor"]
# Writes without a date of their own happen now: the ranges end today.
TODAY = timezone.now().date()


def _now(day_offset=0, hour=12):
    return dt.datetime.combine(TODAY - dt.timedelta(days=day_offset), dt.time(hour), tzinfo=dt.timezone.utc)


def _random_filters(rng, articles):
    start = TODAY - dt.timedelta(days=rng.randrange(0, 70))
    end = min(TODAY, start + dt.timedelta(days=rng.randrange(0, 60)))
    return stats.Filters(start, end, rng.choice([None, None, *[a.pk for a in articles]]))


def _check(project, ratings, filters):
    dashboard_totals.refresh(project.pk)
    got = dashboard_totals.read(project.pk, filters, ratings, stats.TOP)
    assert got.activity == stats.activity(project, filters), filters
    assert got.by_rating == stats.published_by_rating(project, filters), filters
    assert got.agreement == stats.agreement_by_month(project, filters, ratings=ratings), filters
    assert got.claimants == stats.top_false_claimants(project, filters, ratings), filters
    assert got.outlets == stats.top_false_outlets(project, filters, ratings), filters
    assert dashboard_totals.time_to_publish(project.pk, filters, got) == stats.time_to_publish(project, filters), filters


class Desk:
    def __init__(self, cast, rng):
        self.cast, self.rng, self.p = cast, rng, cast.project
        self.ratings = list(self.p.ratings.all())
        self.articles = [cast.article] + [
            make_article(self.p, body=f"Second text {n}. It says {n + 5} things.\n\nAnd {n + 7} more were said.",
                         title=f"T{n}", user=cast.alice, publisher=f"Outlet {n % 2}")
            for n in range(2)
        ]
        self.reviewers = [cast.alice, cast.erin, cast.bob, cast.dora]

    def _claims(self, **filters):
        return list(Claim.objects.filter(project=self.p, **filters).order_by("id"))

    def _pick(self, **filters):
        claims = self._claims(**filters)
        return self.rng.choice(claims) if claims else None

    def create(self):
        article = self.rng.choice(self.articles)
        words = [i for i, ch in enumerate(article.body) if ch == " "]
        start = self.rng.choice([0] + [i + 1 for i in words[:-1]])
        end = min([i for i in words if i > start + 1] + [len(article.body)])
        quote = article.body[start:end]
        user = self.rng.choice([self.cast.alice, self.cast.erin])
        claim = services.add_claim(article, user, start, end, quote, claimant=self.rng.choice(CLAIMANTS))
        if self.rng.random() < 0.8:  # spread over the weeks, with an UPDATE (no signal)
            Claim.objects.filter(pk=claim.pk).update(created_at=_now(self.rng.randrange(0, 75), self.rng.randrange(24)))

    def verdict(self):
        claim = self._pick()
        if claim is None:
            return
        user = self.rng.choice(self.reviewers)
        existing = Verdict.objects.filter(claim=claim, reviewer=user).first()
        verdict = services.save_verdict(claim, user, self.rng.choice(self.ratings), "Because.",
                                        version=existing.version if existing else None)
        if self.rng.random() < 0.5:
            Verdict.objects.filter(pk=verdict.pk).update(created_at=_now(self.rng.randrange(0, 75)))

    def settle(self):
        claim = self._pick(status__in=[Status.OPEN, Status.IN_REVIEW, Status.SECOND_OPINION, Status.APPROVED])
        if claim is None:
            return
        # Half on the false side of the scale: the claimant and outlet charts count those.
        false = [r for r in self.ratings if r.pk in stats.false_side(self.ratings)]
        final = self.rng.choice(false if self.rng.random() < 0.5 else self.ratings)
        claim = services.settle_claim(claim, self.cast.bob, claim.version, final, "Settled.")
        if self.rng.random() < 0.7:
            Claim.objects.filter(pk=claim.pk).update(approved_at=_now(self.rng.randrange(0, 75)))

    def publish(self):
        claim = self._pick(status=Status.APPROVED)
        if claim is None:
            return
        services.publish(claim, self.cast.bob, claim.version)
        if self.rng.random() < 0.7:
            Claim.objects.filter(pk=claim.pk).update(published_at=_now(self.rng.randrange(0, 75)))

    def unpublish(self):
        claim = self._pick(status=Status.PUBLISHED)
        if claim is not None:
            services.unpublish(claim, self.cast.bob, claim.version, "Source withdrawn.")

    def reopen(self):
        claim = self._pick(status=Status.APPROVED)
        if claim is not None:
            targets = [t.target for t in lifecycle.TRANSITIONS if t.source == Status.APPROVED and t.target != Status.PUBLISHED]
            if targets:
                services.set_status(claim, self.cast.bob, claim.version, self.rng.choice(targets), reason="Look again.")

    def edit_claimant(self):
        # Mostly a settled claim: the claimant chart counts those.
        claim = self._pick(status__in=lifecycle.SETTLED) if self.rng.random() < 0.7 else self._pick()
        if claim is not None:
            services.update_claim(claim, claim.created_by, claim.version, claimant=self.rng.choice(CLAIMANTS))

    def admin_edit(self):
        # The admin: Model.save() of a claim moved to another day, or of an article's publisher.
        if self.rng.random() < 0.5:
            claim = self._pick()
            if claim is not None:
                claim.created_at = _now(self.rng.randrange(0, 75))
                claim.save()
        else:
            article = Article.objects.get(pk=self.rng.choice(self.articles).pk)
            article.publisher = self.rng.choice(["Outlet 0", "Outlet 1", "Harbour Herald", ""])
            article.save()

    def delete_claim(self):
        claim = self._pick()
        if claim is None:
            return
        try:
            services.delete_claim(claim, claim.created_by)
        except (PermissionDenied, Invalid, lifecycle.NotAllowed):
            claim.delete()  # the admin's delete: its verdicts go with it

    def delete_verdict(self):
        verdict = Verdict.objects.filter(claim__project=self.p).order_by("?").first()
        if verdict is not None:
            verdict.delete()

    def bulk(self):
        # A bulk UPDATE of several rows at once, no signal: publication dates moved a week back.
        ids = [c.pk for c in self._claims(status=Status.PUBLISHED)[:3]]
        Claim.objects.filter(pk__in=ids).update(published_at=_now(self.rng.randrange(7, 60)))


WRITES = ["create"] * 6 + ["verdict"] * 6 + ["settle"] * 3 + ["publish"] * 3 + [
    "unpublish", "reopen", "edit_claimant", "edit_claimant", "edit_claimant", "admin_edit", "delete_claim",
    "delete_verdict", "bulk"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_mix_of_writes_gives_the_numbers_of_a_full_recomputation(cast, seed, monkeypatch):
    rng = random.Random(seed)
    desk = Desk(cast, rng)
    for step in range(70):
        write = rng.choice(WRITES)
        try:
            getattr(desk, write)()
        except (Conflict, lifecycle.NotAllowed, PermissionDenied, Invalid):
            pass  # a move the lifecycle refuses changes nothing
        if step % 4 == 3:
            for _ in range(3):
                _check(cast.project, desk.ratings, _random_filters(rng, desk.articles))
    # The whole range and each article, at the end.
    for article_id in [None, *[a.pk for a in desk.articles]]:
        _check(cast.project, desk.ratings, stats.Filters(TODAY - dt.timedelta(days=80), TODAY, article_id))
    assert DashboardTotal.objects.filter(project_id=cast.project.pk).exists()


def test_a_scale_change_needs_no_recomputation_and_is_drawn(cast):
    desk = Desk(cast, random.Random(5))
    for write in ["create"] * 4 + ["verdict"] * 10 + ["settle"] * 3:
        getattr(desk, write)()
    filters = stats.Filters(TODAY - dt.timedelta(days=80), TODAY)
    _check(cast.project, desk.ratings, filters)
    # Unverifiable gets a value (and becomes part of agreement and maybe the false side).
    unverifiable = next(r for r in desk.ratings if r.value is None)
    unverifiable.value = 0
    unverifiable.save()
    ratings = list(cast.project.ratings.all())
    assert dashboard_totals.refresh(cast.project.pk) == 0
    _check(cast.project, ratings, filters)


def test_writers_only_insert_the_days_they_change_and_a_refresh_takes_them(cast):
    desk = Desk(cast, random.Random(9))
    desk.create()
    claim = Claim.objects.filter(project=cast.project).get()
    dashboard_totals.refresh(cast.project.pk)
    assert not DashboardDirty.objects.filter(project_id=cast.project.pk).exists()
    # An edit of what the dashboard does not count (the claim's wording) marks nothing.
    services.update_claim(claim, claim.created_by, claim.version, text="Reworded.")
    assert not DashboardDirty.objects.exists()
    # A verdict marks its own day and its claim's creation day.
    services.save_verdict(claim, cast.alice, desk.ratings[0])
    days = set(DashboardDirty.objects.values_list("day", flat=True))
    assert days == {timezone.now().date(), Claim.objects.get(pk=claim.pk).created_at.date()}
    assert dashboard_totals.refresh(cast.project.pk) == len(days)
    assert dashboard_totals.refresh(cast.project.pk) == 0


def test_the_refresh_costs_three_statements_whatever_is_stale(cast):
    desk = Desk(cast, random.Random(11))
    for write in ["create"] * 8 + ["verdict"] * 8:
        getattr(desk, write)()
    counts = []
    for _ in range(2):  # many stale days, then none
        with CaptureQueriesContext(connection) as ctx:
            dashboard_totals.refresh(cast.project.pk)
        counts.append(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"] and q["sql"] != "BEGIN"]))
    assert counts == [3, 3]


def test_a_deleted_project_leaves_no_totals(cast):
    desk = Desk(cast, random.Random(13))
    for write in ["create"] * 3 + ["verdict"] * 3:
        getattr(desk, write)()
    dashboard_totals.refresh(cast.project.pk)
    pk = cast.project.pk
    desk.create()
    # A project goes once its claims have gone (its ratings and articles are protected until then).
    for claim in Claim.objects.filter(project=cast.project):
        claim.delete()
    assert DashboardDirty.objects.filter(project_id=pk).exists()
    cast.project.delete()
    assert not DashboardTotal.objects.filter(project_id=pk).exists()
    assert not DashboardDirty.objects.filter(project_id=pk).exists()


def test_a_claimant_edit_on_a_settled_claim_is_recounted(cast):
    desk = Desk(cast, random.Random(17))
    desk.create()
    claim = Claim.objects.get(project=cast.project)
    false = next(r for r in desk.ratings if r.pk in stats.false_side(desk.ratings))
    claim = services.settle_claim(claim, cast.bob, claim.version, false, "Wrong.")
    filters = stats.Filters(TODAY - dt.timedelta(days=80), TODAY)
    _check(cast.project, desk.ratings, filters)
    claim = services.update_claim(claim, claim.created_by, claim.version, claimant="The harbour master")
    _check(cast.project, desk.ratings, filters)
    assert dashboard_totals.read(cast.project.pk, filters, desk.ratings, stats.TOP).claimants == [("The harbour master", 1)]


def test_each_verdict_carries_its_claims_project_whatever_wrote_it(cast):
    from annotate.models import Project

    desk = Desk(cast, random.Random(19))
    desk.create()
    claim = Claim.objects.get(project=cast.project)
    verdict = services.save_verdict(claim, cast.alice, desk.ratings[0])
    assert Verdict.objects.get(pk=verdict.pk).project_id == cast.project.pk
    verdict.rationale = "Edited in the admin."
    verdict.project_id = None  # what an instance in memory holds
    verdict.save()
    assert Verdict.objects.get(pk=verdict.pk).project_id == cast.project.pk
    other = Project.objects.get(slug="other-desk")
    Claim.objects.filter(pk=claim.pk).update(project=other)
    assert Verdict.objects.get(pk=verdict.pk).project_id == other.pk


def test_the_triggers_are_in_place_after_every_migration(db):
    # A later migration that rebuilds the claim or verdict table (SQLite does, to alter a
    # column) would drop them: this fails then, and the migration must create them again.
    if connection.vendor == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'factmark_%%'"
        expected = {"factmark_dashboard", "factmark_dashboard_update", "factmark_verdict_project"}
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'factmark_%%'"
        expected = {f"factmark_dashboard_{t}_{e}" for t in ("claim", "verdict") for e in ("insert", "delete", "update")}
        expected |= {f"factmark_verdict_project_{e}" for e in ("insert", "update", "move")}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = {row[0] for row in cursor.fetchall()}
    assert expected <= names
