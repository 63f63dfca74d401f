"""Dashboard: numbers from SQL aggregates, roles both ways, CSV = table = SVG, fixed query count."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from annotate import dashboard_cache, services, stats
from annotate.agreement import alpha
from annotate.models import Claim, Verdict
from tests.conftest import make_claim, make_user, rating

QUOTES = ["41 million euros", "12,000 homes", "three years late", "about 20 times a year"]


def _desk(cast, published=2):
    """Four claims, two reviewers' verdicts on each, `published` of them published as False."""
    claims = []
    for i, quote in enumerate(QUOTES):
        claim = make_claim(cast.article, quote, cast.alice, claimant="The mayor" if i % 2 == 0 else "The council")
        services.save_verdict(claim, cast.alice, rating(cast.project, "False" if i < 2 else "Mixed"))
        services.save_verdict(claim, cast.erin, rating(cast.project, "False" if i != 1 else "Accurate"))
        claims.append(claim)
    for claim in claims[:published]:
        claim = Claim.objects.get(pk=claim.pk)
        claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "Wrong.")
        services.publish(claim, cast.bob, claim.version)
    claims[2].assignees.add(cast.alice)
    claims[3].assignees.add(cast.alice, cast.erin)
    return claims


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def _figure(html, slug):
    start = html.index(f'id="chart-{slug}"')
    return html[start:html.index("</figure>", start)]


def test_editor_sees_every_chart_and_each_csv_matches_its_table_and_bars(client, cast):
    _desk(cast)
    client.force_login(cast.bob)
    response = client.get(f"/p/{cast.project.slug}/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("activity", "ratings", "time-to-publish", "agreement", "workload", "claimants", "outlets"):
        figure = _figure(html, slug)
        assert 'role="img"' in figure and "<title" in figure and "<desc" in figure and "Show as table" in figure
        rows = _csv(client.get(f"/p/{cast.project.slug}/dashboard/{slug}.csv"))
        drawn = sorted(re.findall(r'data-value="([^"]*)"', figure))
        series = len([h for h in rows[0][1:]]) - (1 if slug in ("time-to-publish", "agreement") else 0)
        tabled = sorted(cell for row in rows[1:] for cell in row[1 : 1 + series] if cell != "")
        assert drawn == tabled, slug
    week = stats.week_start(timezone.now()).date().isoformat()
    activity = {row[0]: row[1:] for row in _csv(client.get(f"/p/{cast.project.slug}/dashboard/activity.csv"))[1:]}
    assert activity[week] == ["4", "8", "2"]
    ratings = dict(_csv(client.get(f"/p/{cast.project.slug}/dashboard/ratings.csv"))[1:])
    assert ratings["False"] == "2" and ratings["Accurate"] == "0"
    workload = {row[0]: row[1:] for row in _csv(client.get(f"/p/{cast.project.slug}/dashboard/workload.csv"))[1:]}
    assert workload["alice"] == ["2", "4"] and workload["erin"] == ["1", "4"] and workload["bob"] == ["0", "0"]
    claimants = dict(_csv(client.get(f"/p/{cast.project.slug}/dashboard/claimants.csv"))[1:])
    assert claimants == {"The mayor": "1", "The council": "1"}


def test_agreement_from_sql_equals_alpha_of_the_verdict_table(client, cast):
    _desk(cast)
    table = {}
    for claim_id, value in Verdict.objects.values_list("claim_id", "rating__value"):
        table.setdefault(claim_id, []).append(value)
    today = timezone.now().date()
    months = stats.agreement_by_month(cast.project, stats.Filters(today - dt.timedelta(days=40), today))
    (month,) = [m for m in months.values()]
    assert month.claims == 4
    assert month.alpha == pytest.approx(alpha(table.values(), "ordinal"))


def test_time_to_publish_is_the_nearest_rank_median_and_p90(cast):
    claims = _desk(cast, published=4)
    now = timezone.now()
    for hours, claim in zip((1, 2, 3, 10), claims):
        Claim.objects.filter(pk=claim.pk).update(created_at=F("published_at") - dt.timedelta(hours=hours))
    spreads = stats.time_to_publish(cast.project, stats.Filters(now.date() - dt.timedelta(days=7), now.date()))
    (spread,) = spreads.values()
    assert spread.count == 4
    assert spread.median == pytest.approx(2 * 3600, abs=2) and spread.p90 == pytest.approx(10 * 3600, abs=2)


def test_the_filters_apply_to_the_charts(client, cast):
    _desk(cast)
    client.force_login(cast.bob)
    old = "?start=2020-01-01&end=2020-03-01"
    rows = _csv(client.get(f"/p/{cast.project.slug}/dashboard/activity.csv{old}"))[1:]
    assert rows and all(row[1:] == ["0", "0", "0"] for row in rows)
    other = make_claim(cast.article, "the mayor denies", cast.alice)
    assert other
    rows = _csv(client.get(f"/p/{cast.project.slug}/dashboard/ratings.csv?article={cast.article.pk}"))
    assert dict(rows[1:])["False"] == "2"


@pytest.mark.parametrize("query", ["start=2026-13-01", "start=2026-05-01&end=2026-04-01", "start=2020-01-01&end=2026-01-01", "article=999999"])
def test_bad_filters_are_a_clear_400(client, cast, query):
    client.force_login(cast.bob)
    response = client.get(f"/p/{cast.project.slug}/dashboard/?{query}")
    assert response.status_code == 400
    assert b"form-errors" in response.content or b"errorlist" in response.content
    assert b'role="img"' not in response.content


def test_a_reviewer_sees_only_their_own_workload(client, cast):
    _desk(cast)
    client.force_login(cast.alice)
    html = client.get(f"/p/{cast.project.slug}/dashboard/").content.decode()
    assert 'id="chart-workload"' in html and 'id="chart-activity"' not in html
    rows = _csv(client.get(f"/p/{cast.project.slug}/dashboard/workload.csv"))
    assert [row[0] for row in rows[1:]] == ["alice"]
    assert client.get(f"/p/{cast.project.slug}/dashboard/activity.csv").status_code == 403
    client.force_login(cast.carol)
    assert client.get(f"/p/{cast.project.slug}/dashboard/").status_code == 404
    assert client.get(f"/p/{cast.project.slug}/dashboard/nosuch.csv").status_code == 404


def test_csv_labels_cannot_run_as_formulas(client, cast):
    claim = make_claim(cast.article, "41 million euros", cast.alice, claimant="=HYPERLINK(1)")
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "No.")
    client.force_login(cast.bob)
    rows = _csv(client.get(f"/p/{cast.project.slug}/dashboard/claimants.csv"))
    assert rows[1] == ["'=HYPERLINK(1)", "1"]


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _miss_and_hit(client, path):
    dashboard_cache.new_generation()
    return _count_queries(client, path), _count_queries(client, path)


def test_query_count_is_the_same_for_a_small_and_a_larger_project(client, cast):
    client.force_login(cast.bob)
    path = f"/p/{cast.project.slug}/dashboard/"
    small = _miss_and_hit(client, path)
    _desk(cast, published=3)
    for name in ("frank", "gina", "hugo"):
        user = make_user(name)
        cast.project.memberships.create(user=user, role="reviewer")
    from tests.conftest import make_article

    for n in range(3):
        article = make_article(cast.project, body=f"Second text {n}. It says 5 things.\n\nAnd 7 more.", title=f"T{n}", user=cast.alice)
        for quote in ("5 things", "7 more"):
            claim = make_claim(article, quote, cast.alice)
            services.save_verdict(claim, cast.erin, rating(cast.project, "Mixed"))
    large = _miss_and_hit(client, path)
    assert small == large, (small, large)
    # A hit: session, user, project+role, scale, articles, the write stamp, one cache read.
    assert large[1] == 2 + 3 + 2
    # A miss adds the refresh of the stale days (three statements in their own transaction, stale
    # days or not), one read of the partial totals (activity, ratings, agreement, claimants and
    # outlets), time to publish, the workload, and the cache write.
    from django.core.cache import cache
    from django.db import transaction

    with CaptureQueriesContext(connection) as ctx:
        cache.set("dashboard:probe", (1, {}), 60)
    with CaptureQueriesContext(connection) as bracket:
        with transaction.atomic():
            pass
    assert large[0] == large[1] + len(bracket.captured_queries) + 3 + 3 + len(ctx.captured_queries)


def test_the_demo_dashboard_draws_non_empty_charts_and_its_index_and_feed_carry_the_published_check(client, db):
    from django.core.management import call_command

    from annotate.models import Project

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe twice
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="editor"))
    html = client.get("/p/demo-desk/dashboard/").content.decode()
    for slug in ("activity", "ratings", "time-to-publish", "agreement", "workload", "claimants", "outlets"):
        values = re.findall(r'data-value="([^"]*)"', _figure(html, slug))
        assert any(v not in ("", "0") for v in values), slug
    weeks = {row[0] for row in _csv(client.get("/p/demo-desk/dashboard/activity.csv"))[1:] if row[1] != "0"}
    assert len(weeks) >= 3
    project = Project.objects.get(slug="demo-desk")
    client.logout()
    assert b"factcheck-" in client.get(f"/f/{project.slug}/").content
    assert b"<entry>" in client.get(f"/f/{project.slug}/feed.atom").content


CHARTS = ("activity", "ratings", "time-to-publish", "agreement", "workload", "claimants", "outlets")


def _numbers(client, project, slug, query=""):
    """Every number a chart's CSV carries (its drawn series and extra columns)."""
    response = client.get(f"/p/{project.slug}/dashboard/{slug}.csv{query}")
    assert response.status_code == 200, response.content
    return [cell for row in _csv(response)[1:] for cell in row[1:] if cell not in ("", "0")]


def test_the_admin_sees_every_chart_as_the_editor_does(client, cast):
    _desk(cast)
    client.force_login(cast.dora)
    html = client.get(f"/p/{cast.project.slug}/dashboard/").content.decode()
    for slug in CHARTS:
        assert f'id="chart-{slug}"' in html, slug
        assert client.get(f"/p/{cast.project.slug}/dashboard/{slug}.csv").status_code == 200


@pytest.mark.parametrize("slug", CHARTS)
def test_the_date_range_and_the_article_filter_apply_to_every_chart(client, cast, slug):
    """Each chart has numbers for the desk; a range before any of them, or another article, leaves none.
    (Open assignments are a state: the article filter applies to them, the dates do not.)"""
    from tests.conftest import make_article

    _desk(cast, published=2)
    cast.article.publisher = "Harbour Herald"
    cast.article.save()
    quiet = make_article(cast.project, body="A quiet text. Nothing in it is checked.", title="Quiet", user=cast.alice)
    client.force_login(cast.bob)
    assert _numbers(client, cast.project, slug)
    old = _numbers(client, cast.project, slug, "?start=2020-01-01&end=2020-03-01")
    other = _numbers(client, cast.project, slug, f"?article={quiet.pk}")
    assert other == []
    if slug == "workload":
        # alice and erin keep their open assignments (2 and 1); their verdicts this week are out of range.
        assert sorted(old) == ["1", "2"]
    else:
        assert old == []
    assert _numbers(client, cast.project, slug, f"?article={cast.article.pk}") == _numbers(client, cast.project, slug)


def test_each_chart_has_a_title_axis_labels_a_text_alternative_a_table_and_a_csv(client, cast):
    from annotate import dashboard

    _desk(cast)
    client.force_login(cast.bob)
    html = client.get(f"/p/{cast.project.slug}/dashboard/?article={cast.article.pk}").content.decode()
    ctx = dashboard.Context(cast.project, stats.Filters(timezone.now().date(), timezone.now().date()),
                            list(cast.project.ratings.all()), cast.bob, True, timezone.now())
    for chart in dashboard.build(ctx):
        figure = _figure(html, chart.slug)
        assert f"<h2 id=\"chart-{chart.slug}-heading\">{chart.title}</h2>" in figure
        assert f'<title id="chart-{chart.slug}-title">{chart.title}</title>' in figure
        assert re.search(rf'<desc id="chart-{chart.slug}-desc">[^<]*{re.escape(chart.title)}[^<]+</desc>', figure)
        assert f'aria-labelledby="chart-{chart.slug}-title chart-{chart.slug}-desc"' in figure
        labels = re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', figure)
        assert labels == [chart.x_label, chart.y_label], chart.slug
        assert "<summary>Show as table</summary>" in figure and "<table>" in figure
        # The CSV link keeps the filters, so it downloads the numbers drawn.
        assert f'href="/p/{cast.project.slug}/dashboard/{chart.slug}.csv?article={cast.article.pk}"' in figure
