"""The dashboard of the 100,000-claim project (issue 17), cached and right after a write.

For each filter combination the page offers (measured: 26 weeks with all articles, the
same with one article, the page's default range, and a 30-day range that starts and ends
mid-week): one request to fill the cache, then sequential requests served from it
("cached"); then rounds of one real write through annotate.services in this process (a
claim created, a verdict given, a fact-check published, in turn; each commits, its
database triggers mark the days it changes) followed by one request ("after a write"),
timed to the last byte. The floor beside each is the request's own SQL replayed over
plain psycopg in one rolled-back transaction (captured in-process with the same kind
of write before it). Server CPU per request comes from the gunicorn workers' /proc times.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import floor
import load
import textgen
from report import Result, ratio
from stats import median, ms, percentile

TARGET = 0.200
KINDS = ("claim created", "verdict given", "fact-check published")


def _session_headers(fixture):
    return {"Cookie": f"sessionid={fixture.session}; csrftoken={fixture.csrf}"}


class Writer:
    """One real write of each kind on the project, through the services, as the desk makes them."""

    def __init__(self, project, seed=17):
        from django.contrib.auth import get_user_model

        from annotate.models import Article

        User = get_user_model()
        self.project = project
        self.editor = User.objects.get(username="bench-editor")
        self.reviewer = User.objects.get(username="bench-reviewer")
        self.rng = random.Random(seed)
        self.articles = list(Article.objects.filter(project=project).order_by("id"))
        self.ratings = list(project.ratings.all())
        self.done = 0

    def write(self, kind: str):
        from annotate import services
        from annotate.models import Claim, Status

        self.done += 1
        if kind == "claim created":
            article = self.rng.choice(self.articles)
            ((start, end),) = textgen.sentence_spans(article.body, self.rng, 1)
            return services.add_claim(article, self.editor, start, end, article.body[start:end],
                                      claimant=f"Bench claimant {self.done % 7}")
        if kind == "verdict given":
            claim = (Claim.objects.filter(project=self.project, status__in=[Status.OPEN, Status.IN_REVIEW])
                     .exclude(verdicts__reviewer=self.reviewer).order_by("-id").first())
            return services.save_verdict(claim, self.reviewer, self.rng.choice(self.ratings), "Bench.")
        claim = Claim.objects.filter(project=self.project, status=Status.APPROVED).order_by("-id").first()
        return services.publish(claim, self.editor, claim.version)


def _statements(path, writer) -> dict[str, list[str]]:
    """The SQL of the page served from the cache and right after a write, captured in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(writer.editor)
    out = {}
    for kind in ("after a write", "cached"):
        if kind == "after a write":
            writer.write(KINDS[0])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        out[kind] = [q["sql"] for q in queries.captured_queries]
    return out


def run(server, fixture, db_url) -> list[Result]:
    from annotate.models import Project

    project = Project.objects.get(slug=fixture.project_slugs["dashboard"])
    claims, verdicts = fixture.counts.get("dashboard_claims", 0), fixture.counts.get("dashboard_verdicts", 0)
    article = project.articles.order_by("id").first()
    today = dt.date.today()
    # A range whose first and last weeks are cut: Wednesday to a Thursday 30 days on.
    wednesday = today - dt.timedelta(days=(today.weekday() - 2) % 7 + 35)
    combos = [
        ("26 weeks", f"?start={today - dt.timedelta(weeks=26)}&end={today}"),
        ("26 weeks, one article", f"?start={today - dt.timedelta(weeks=26)}&end={today}&article={article.pk}"),
        ("default range (12 weeks)", ""),
        ("30 days, mid-week to mid-week", f"?start={wednesday}&end={wednesday + dt.timedelta(days=30)}"),
    ]
    base = f"/p/{project.slug}/dashboard/"
    writer = Writer(project)
    since = dt.datetime.combine(today - dt.timedelta(weeks=26), dt.time.min, tzinfo=dt.timezone.utc)
    week_floor = floor.dashboard_weeks(db_url, project.pk, since, since + dt.timedelta(weeks=26, days=1))
    # The bulk load's triggers marked every day stale: computed once here, as migration 0011 does
    # for an existing database (no deadline), not by the first view.
    first, days = _first_totals(project)
    client = load.Client(server.port, _session_headers(fixture))
    results = []
    try:
        status, _, data, _ = client.get(base + combos[0][1])
        if status != 200:
            return [Result(f"Dashboard, {claims:,} claims", "< 200 ms", outcome="error",
                           notes=[f"GET {base} answered {status}: {data[:200]!r}"])]
        for label, query in combos:
            results += _measure(server, client, writer, base + query, label, claims, verdicts, db_url)
    finally:
        client.close()
    results[0].notes.append(
        f"{claims:,} claims, {verdicts:,} verdicts. The partial totals of the bulk-loaded data ({days} days) were "
        f"computed once before the measurements, as migration 0011 does: {ms(first)}. One GROUP BY week of the project's claims alone takes "
        f"{ms(median(week_floor))} in this run: what every chart paid before the partial totals.")
    return results


def _first_totals(project):
    from django.db import connection

    from annotate import dashboard_totals, dbdeadline

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    try:
        with dbdeadline.longer(0):
            started = time.perf_counter()
            days = dashboard_totals.refresh(project.pk)
            return time.perf_counter() - started, days
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def _measure(server, client, writer, path, label, claims, verdicts, db_url) -> list[Result]:
    statements = _statements(path, writer)
    warm_floor = floor.replay(db_url, statements["cached"])
    cold_floor = floor.replay(db_url, statements["after a write"], repeat=5)
    client.get(path)  # fill the cache
    warm, cpu, deadline = [], server.cpu_seconds(), time.perf_counter() + 15
    for _ in range(20):
        _, _, data, elapsed = client.get(path)
        warm.append(elapsed)
        if time.perf_counter() > deadline:
            break
    warm_cpu = (server.cpu_seconds() - cpu) / len(warm)
    cold, by_kind, cpu_total, deadline = [], {kind: [] for kind in KINDS}, 0.0, time.perf_counter() + 40
    for i in range(9):
        kind = KINDS[i % len(KINDS)]
        writer.write(kind)
        cpu = server.cpu_seconds()
        status, _, data, elapsed = client.get(path)
        cpu_total += server.cpu_seconds() - cpu
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status} after a write")
        cold.append(elapsed)
        by_kind[kind].append(elapsed)
        if time.perf_counter() > deadline:
            break
    name = f"Dashboard, {claims:,} claims, {label}"
    per_kind = ", ".join(f"{kind} {ms(median(times))}" for kind, times in by_kind.items() if times)
    return [
        Result(f"{name} (cached)", "< 200 ms", median=ms(median(warm)), p99=ms(percentile(warm, 99)),
               floor=f"{ms(median(warm_floor))} (its {len(statements['cached'])} queries)",
               ratio=ratio(median(warm), median(warm_floor)),
               outcome="pass" if median(warm) < TARGET else "FAIL",
               notes=[f"{len(warm)} sequential requests, {len(data) / 1024:.0f} KB of HTML, server "
                      f"CPU {ms(warm_cpu)} each; every chart from the dashboard cache"],
               raw={"times": warm, "floor": warm_floor, "cpu": warm_cpu}),
        Result(f"{name}, after a write", "< 200 ms", median=ms(median(cold)), p99=ms(percentile(cold, 99)),
               floor=f"{ms(median(cold_floor))} (its {len(statements['after a write'])} queries)",
               ratio=ratio(median(cold), median(cold_floor)),
               outcome="pass" if median(cold) < TARGET else "FAIL",
               notes=[f"{len(cold)} rounds of one write through the services then one "
                      f"request (medians: {per_kind}); server CPU {ms(cpu_total / len(cold))} per request; the "
                      "stale days recomputed, the charts read from the partial totals, drawn and cached"],
               raw={"times": cold, "floor": cold_floor, "cpu": cpu_total / len(cold),
                    "by_kind": by_kind}),
    ]
