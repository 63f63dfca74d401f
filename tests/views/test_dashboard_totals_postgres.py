"""Two dashboards refresh the same stale day at once on PostgreSQL: the totals are counted once.

The first refresh is held inside its transaction (after it deleted the day's old totals,
before it inserts the new ones and commits) while a write marks the same day again and a
second refresh starts; the second must wait for the first to commit and then replace its
rows, not add to them. (Here the second would also wait on the dirty rows the first
deleted; the advisory lock covers the orders where it would not: two refreshes that start
together and split the dirty rows between them, or that lock them in opposite orders.)
SQLite serialises writers, so there is nothing to race there.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from annotate import dashboard_totals, services, stats
from annotate.models import Claim
from tests.conftest import make_claim, rating
from tests.views.test_dashboard_totals import TODAY, _check

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_refreshes_of_the_same_day_count_it_once(cast, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so two refreshes cannot overlap")
    project = cast.project
    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="The mayor")
    services.save_verdict(claim, cast.alice, rating(project, "False"))
    dashboard_totals.refresh(project.pk)
    services.save_verdict(claim, cast.erin, rating(project, "False"))  # the day is stale again

    inside, release = threading.Event(), threading.Event()
    real = dashboard_totals._recompute_sql
    held = []

    def recompute(project_id, ranges):
        if not held:  # only the first refresh is held
            held.append(1)
            inside.set()
            release.wait(timeout=10)
        return real(project_id, ranges)

    monkeypatch.setattr(dashboard_totals, "_recompute_sql", recompute)
    errors = []

    def refresh():
        try:
            dashboard_totals.refresh(project.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=refresh)
    first.start()
    assert inside.wait(timeout=10)
    second_claim = make_claim(cast.article, "12,000 homes", cast.alice, claimant="The council")  # same day
    second = threading.Thread(target=refresh)
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the second refresh must wait for the first to commit"
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)
    assert not first.is_alive() and not second.is_alive() and not errors, errors
    ratings = list(project.ratings.all())
    _check(project, ratings, stats.Filters(TODAY - dt.timedelta(days=7), TODAY))
    numbers = dashboard_totals.read(project.pk, stats.Filters(TODAY, TODAY), ratings, stats.TOP)
    assert sum(numbers.activity["created"].values()) == 2 == Claim.objects.filter(project=project).count()
    assert sum(numbers.activity["verdicts"].values()) == 2
    assert second_claim.pk
