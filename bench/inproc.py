"""Scenarios measured inside the harness process: re-anchoring, import, and the review page's query count."""

from __future__ import annotations

import random
import time
from types import SimpleNamespace

import floor
import textgen
from report import Result, ratio, unavailable
from stats import median, ms, percentile


def _timed(fn, repeat, budget, setup=None):
    times, stop = [], time.perf_counter() + budget
    for _ in range(repeat):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() > stop:
            break
    return times


def _spans(article_id):
    from annotate.anchoring import Position, Quote
    from annotate.models import Span

    return [(s.pk, Position(s.start, s.end), Quote(s.quote, s.prefix, s.suffix))
            for s in Span.objects.filter(article_id=article_id)]


def reanchor_local(fixture) -> list[Result]:
    from annotate import anchoring, services
    from annotate.models import Article
    from django.contrib.auth import get_user_model

    article_id = fixture.article_ids["reanchor"]
    old = fixture.bodies["reanchor"]
    new = textgen.revise_locally(old, random.Random(99), edits=6)
    spans = _spans(article_id)
    holder = {}

    def run():
        holder["r"] = anchoring.reanchor_all(old, new, spans)

    times = _timed(run, 10, 10)
    placed = sum(a is not None for a in holder["r"].values())
    methods = {}
    for a in holder["r"].values():
        methods[a.method if a else "orphaned"] = methods.get(a.method if a else "orphaned", 0) + 1
    pure = Result(
        "Re-anchor 1,000 spans, 6 local edits (reanchor_all)", "< 200 ms",
        median=ms(median(times)), p99=ms(max(times)),
        outcome="pass" if median(times) < 0.2 else "FAIL",
        notes=[f"{len(spans)} spans on a {len(old.split()):,}-word text: " +
               ", ".join(f"{v} {k}" for k, v in sorted(methods.items())) + f"; {len(times)} runs"],
        raw={"times": times, "placed": placed},
    )

    # The same revision through the write path: lock, re-anchor, bulk update, history, revision row.
    user = get_user_model().objects.get(username="bench-editor")
    bodies = [new, old]
    service_times = []
    for i in range(4):
        article = Article.objects.get(pk=article_id)
        extracted = SimpleNamespace(title="", body=bodies[i % 2], author="", publisher="", published=None,
                                    source_url="")
        t = time.perf_counter()
        result = services.revise_article(article, user, extracted)
        service_times.append(time.perf_counter() - t)
    whole = Result(
        "Revise article: re-anchor + save 1,000 spans (revise_article)", "< 200 ms",
        median=ms(median(service_times)), p99=ms(max(service_times)),
        outcome="pass" if median(service_times) < 0.2 else "FAIL",
        notes=[f"{len(service_times)} revisions alternating old/new text; last: {result.placed} placed, "
               f"{result.moved} moved, {result.changed} changed in revision, {result.orphaned} orphaned"],
        raw={"times": service_times},
    )
    return [pure, whole]


def reanchor_worst(fixture) -> Result:
    """Every span touched by edits and no quote found exactly: each one pays the fuzzy search."""
    from annotate import anchoring

    old = fixture.bodies["reanchor"]
    new = textgen.rewrite_everything(old)
    spans = _spans(fixture.article_ids["reanchor"])
    t = time.perf_counter()
    result = anchoring.reanchor_all(old, new, spans)
    whole = time.perf_counter() - t
    fuzzy = sum(1 for a in result.values() if a is not None and a.method == "fuzzy")
    orphaned = sum(1 for a in result.values() if a is None)

    # One call at the documented limits: the longest quote that is still fuzzy-matched,
    # absent from the text, with a hint, over a whole-text-sized window.
    quote = anchoring.Quote(("zq" + new[: anchoring.FUZZY_MAX_QUOTE])[: anchoring.FUZZY_MAX_QUOTE])
    t = time.perf_counter()
    anchoring.reanchor(new, quote, hint=len(new) // 2)
    single = time.perf_counter() - t
    return Result(
        "Re-anchor worst case: whole text rewritten, 1,000 spans fuzzy", "bounded (see notes)",
        median=ms(whole), p99="–",
        outcome="info",
        notes=[f"one run: {fuzzy} fuzzy, {orphaned} orphaned, {len(spans) - fuzzy - orphaned} exact/context; "
               f"a single call at the limits (quote of {anchoring.FUZZY_MAX_QUOTE:,} characters, "
               f"window {2 * anchoring.FUZZY_RADIUS + anchoring.FUZZY_MAX_QUOTE:,} characters) took {ms(single)}"],
        raw={"whole": whole, "single": single, "fuzzy": fuzzy, "orphaned": orphaned},
    )


def import_html(fixture, db_url) -> Result:
    name = "Import a 20,000-word HTML article (from_html + import_article)"
    try:
        from annotate import extract
    except ImportError as exc:
        return unavailable(name, "< 100 ms", f"annotate.extract cannot be imported yet: {exc}")
    if not hasattr(extract, "from_html"):
        return unavailable(name, "< 100 ms", "annotate.extract.from_html does not exist yet")
    from annotate import services
    from annotate.models import Article, Project
    from django.contrib.auth import get_user_model

    project = Project.objects.get(slug=fixture.project_slugs["bench"])
    user = get_user_model().objects.get(username="bench-editor")
    art = textgen.article(seed=900)
    html = textgen.as_html(art)
    holder = {}

    def run():
        extracted = extract.from_html(html)
        holder["article"] = services.import_article(project, user, extracted)
        holder["extracted"] = extracted

    def clean_up():
        if "article" in holder:
            Article.objects.filter(pk=holder.pop("article").pk).delete()

    extract_times = _timed(lambda: extract.from_html(html), 5, 10)
    times = _timed(run, 7, 15, setup=clean_up)
    clean_up()
    body = holder["extracted"].body
    floor_times = floor.insert_article(db_url, project.pk, body)
    kept = len(body.split())
    return Result(
        name, "< 100 ms",
        median=ms(median(times)), p99=ms(max(times)),
        floor=f"{ms(median(floor_times))} (INSERT the body)", ratio=ratio(median(times), median(floor_times)),
        outcome="pass" if median(times) < 0.1 else "FAIL",
        notes=[f"{len(html) / 1024:.0f} KB of HTML, {kept:,} words kept of {art.words:,}; "
               f"from_html alone {ms(median(extract_times))}; {len(times)} runs"],
        raw={"times": times, "extract": extract_times, "floor": floor_times},
    )


def review_queries(fixture) -> dict | None:
    """Queries the review page runs for 1,000 and 10,000 claims: they must be the same number."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    try:
        resolve(f"/articles/{fixture.article_ids['a1k']}/")
    except Resolver404:
        return None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench-editor"))
    counts = {}
    for key in ("a1k", "a10k"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/articles/{fixture.article_ids[key]}/")
        counts[key] = {"status": response.status_code, "queries": len(ctx.captured_queries),
                       "sql": [q["sql"][:160] for q in ctx.captured_queries]}
    return counts


def summarise_times(times):
    return {"median": median(times), "p99": percentile(times, 99), "n": len(times)}
