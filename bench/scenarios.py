"""HTTP scenarios against gunicorn: claim creation under load, the review page, the paginated
claim list, and the streamed exports with the serving worker's peak memory."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from urllib.parse import urlencode

import floor
import load
import textgen
from report import Result, ratio
from stats import mb, median, ms, percentile

OUT = Path(__file__).resolve().parent / "out"


def _available(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _snippet(data: bytes, limit=200) -> str:
    return " ".join(data[:limit].decode("utf-8", "replace").split())


def _bodies(fixture, key, count, encode):
    body = fixture.bodies[key]
    rng = random.Random(7)
    return [encode(start, end, body[start:end]) for start, end in textgen.sentence_spans(body, rng, count)]


def session_headers(fixture):
    return {"Cookie": f"sessionid={fixture.session}; csrftoken={fixture.csrf}"}


# Server CPU per created claim (gunicorn workers + the PostgreSQL backends serving them), issue 16.
CPU_TARGET = {"api": 0.004, "htmx": 0.006}


def claim_rows(db_url: str, article: int) -> dict:
    """Rows present for an article's claims: claims, their spans, and their creation history entries."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        claims, spans, history = conn.execute(
            "SELECT (SELECT count(*) FROM annotate_claim WHERE article_id = %(a)s),"
            " (SELECT count(*) FROM annotate_span WHERE article_id = %(a)s),"
            " (SELECT count(*) FROM annotate_historyentry h JOIN annotate_claim c ON c.id = h.claim_id"
            "   WHERE c.article_id = %(a)s AND h.action = 'claim_created')",
            {"a": article},
        ).fetchone()
    return {"claims": claims, "spans": spans, "history": history}


def _settled(db_url: str, article: int, timeout: float = 10) -> dict:
    """The article's counts once the requests still in flight when wrk stopped have finished."""
    deadline, last = time.monotonic() + timeout, None
    while True:
        now = claim_rows(db_url, article)
        if now == last or time.monotonic() > deadline:
            return now
        last = now
        time.sleep(0.5)


def create_claims(server, fixture, insert_floor, *, via: str, seconds: int, key: str | None = None,
                  db_url: str | None = None) -> Result:
    """16 wrk connections creating claims on distinct offsets of one 20,000-word article: `write`
    (API) or `write_htmx` (htmx), which start empty, or `a10k` (10,000 claims and more)."""
    import cpu

    db_url = db_url or server.env["DATABASE_URL"]
    key = key or ("write" if via == "api" else "write_htmx")
    if key not in fixture.article_ids:  # a fixture kept before write_htmx existed
        key = "write"
    article = fixture.article_ids[key]
    before = claim_rows(db_url, article)
    label = "empty article" if before["claims"] == 0 else f"article with {before['claims']:,} claims"
    cpu_target = CPU_TARGET[via]
    if via == "api":
        name = f"Create claim, API (16 clients), {label}"
        target, minimum = f"≥ 500/s, p99 < 40 ms, ≤ {cpu_target * 1000:.0f} ms CPU", 500
        path = "/api/v1/claims/"
        headers = {"Content-Type": "application/json", "Authorization": f"Token {fixture.token}",
                   "Accept": "application/json"}
        bodies = _bodies(fixture, key, 20_000, lambda s, e, q: json.dumps(
            {"article": article, "start": s, "end": e, "quote": q}))
    else:
        name = f"Create claim, review page htmx (16 clients), {label}"
        target, minimum = f"≥ 300/s, ≤ {cpu_target * 1000:.0f} ms CPU", 300
        path = f"/articles/{article}/claims/"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                   "HX-Current-URL": f"http://127.0.0.1:{server.port}/articles/{article}/",
                   "X-CSRFToken": fixture.csrf, **session_headers(fixture)}
        bodies = _bodies(fixture, key, 20_000, lambda s, e, q: urlencode({"start": s, "end": e, "quote": q}))
    if not _available(path):
        return Result(name, target, outcome="not available", notes=[f"{path} is not routed yet"])

    # One request first: a refused request would make the load figures meaningless.
    client = load.Client(server.port)
    status, response_headers, data, _ = client.request("POST", path, body=bodies[-1].encode(), headers=headers)
    client.close()
    if not 200 <= status < 300:
        return Result(name, target, outcome="error",
                      notes=[f"a single POST {path} answered {status}: {_snippet(data)}"])
    notes = []
    if via == "htmx":
        notes.append(_fragment_note(data, fixture.bodies[key]))

    script = load.write_lua(OUT / f"create_{via}_{key}.lua", path, headers, bodies[:-1])
    window = cpu.Window(server, db_url)
    result = load.wrk(server.port, script, seconds=seconds)
    used = window.stop()
    requests = max(1, result["requests"])
    per_request = (used["workers"] + used["postgres"]) / requests
    rate, p50, p99 = result["rate"], result["p50_us"] / 1e6, result["p99_us"] / 1e6
    floor_rate = insert_floor["rate"]

    # Nothing acknowledged is lost: every 2xx is a claim, its span and its history entry. wrk stops
    # with up to 16 requests in flight, which may still commit, so a few more rows than answers is right.
    after = _settled(db_url, article)
    acknowledged = result["ok"] + 1  # the single request before the load
    in_flight = 16 + result["socket_errors"]
    made = {k: after[k] - before[k] for k in after}
    counted_ok = all(acknowledged <= n <= acknowledged + in_flight for n in made.values())
    ok = (rate >= minimum and (via != "api" or p99 < 0.040) and result["bad"] == 0 and result["socket_errors"] == 0
          and per_request <= cpu_target and counted_ok)
    notes.append(f"{result['ok']:,} created in {result['duration_us'] / 1e6:.1f} s on {server.describe}; "
                 f"server CPU {ms(per_request)} per request = workers {ms(used['workers'] / requests)} + "
                 f"PostgreSQL {ms(used['postgres'] / requests)} ({used['backends']} backends); "
                 f"{result['bad']} non-2xx, {result['socket_errors']} socket errors"
                 + (f"; first failure: {result['first_bad'][:160]}" if result["bad"] else ""))
    notes.append(f"acknowledged {acknowledged:,} (2xx); rows present after: {made['claims']:,} claims, "
                 f"{made['spans']:,} spans, {made['history']:,} creation history entries "
                 + ("(match; at most 16 requests were still in flight when wrk stopped)" if counted_ok
                    else "(MISMATCH: acknowledged writes missing or rows nobody asked for)"))
    return Result(
        name, target,
        median=f"{rate:,.0f}/s (latency {ms(p50)}), CPU {ms(per_request)}", p99=ms(p99),
        floor=f"{floor_rate:,.0f} INSERT/s (p99 {ms(insert_floor['p99'])})",
        ratio=ratio(1 / rate if rate else None, 1 / floor_rate),
        outcome="pass" if ok else "FAIL", notes=notes,
        raw={**result, "cpu": used, "cpu_per_request": per_request, "rows": made, "acknowledged": acknowledged,
             "article": key, "claims_before": before["claims"]},
    )


def autolink_share(db_url: str, project_slug: str, samples: int = 60) -> Result:
    """Desk memory's candidate query (the auto-link every new claim runs) alone: PostgreSQL CPU
    per execution, for the project's most recent claims: the part of claim creation's
    PostgreSQL CPU that is desk memory's lookup."""
    import psycopg

    from annotate.memory import similar
    from annotate.models import Claim
    from server import cpu_seconds

    name = "Desk memory's auto-link candidates alone (per claim created)"
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        ids = [pk for (pk,) in conn.execute(
            "SELECT c.id FROM annotate_claim c JOIN annotate_project p ON p.id = c.project_id"
            " WHERE p.slug = %s ORDER BY c.id DESC LIMIT %s", [project_slug, samples]).fetchall()]
        pid = conn.info.backend_pid
        claims = {c.pk: c for c in Claim.objects.filter(pk__in=ids)}
        for pk in ids[:5]:  # warm, as a worker's kept connection is
            similar.candidate_floor(conn, claims[pk])
        times, cpu = [], cpu_seconds(pid)
        for pk in ids:
            t = time.perf_counter()
            similar.candidate_floor(conn, claims[pk])
            times.append(time.perf_counter() - t)
        cpu = (cpu_seconds(pid) - cpu) / max(1, len(ids))
        total = conn.execute("SELECT count(*) FROM annotate_claim c JOIN annotate_project p ON p.id = c.project_id"
                             " WHERE p.slug = %s", [project_slug]).fetchone()[0]
    return Result(name, "info", median=f"{ms(median(times))}, PostgreSQL CPU {ms(cpu)}", p99=ms(percentile(times, 99)),
                  outcome="info",
                  notes=[f"the lookup's candidate query (rare-lexeme probes of the claims' GIN index, then the "
                         f"40 best with trigram similarity and full-text overlap), "
                         f"for {len(ids)} of the {total:,} claims of project {project_slug} (generated from 14 "
                         "sentence templates, so every claim has thousands of near neighbours); included in the "
                         "create rows' PostgreSQL CPU"],
                  raw={"times": times, "cpu": cpu})


def flat(via: str, empty: Result, full: Result, tolerance: float = 0.10) -> Result:
    """Claim creation on a 10,000-claim article costs the same server CPU as on an empty one (± 10 %)."""
    name = f"Create claim, {via}: 10,000-claim article vs empty, CPU per claim"
    target = f"same ± {tolerance:.0%}"
    a, b = empty.raw.get("cpu_per_request"), full.raw.get("cpu_per_request")
    if not a or not b:
        outcome = "skipped" if "skipped" in (empty.outcome, full.outcome) else "error"
        return Result(name, target, outcome=outcome, notes=["one of the two runs gave no CPU figure"])
    r = b / a
    return Result(name, target, median=f"{ms(b)} vs {ms(a)}", ratio=f"{r:.2f}×",
                  outcome="pass" if abs(r - 1) <= tolerance else "FAIL",
                  notes=[f"server CPU per created claim (workers + PostgreSQL) on the article with "
                         f"{full.raw.get('claims_before', 0):,} claims before the load, against the empty one"])


def _fragment_note(data: bytes, article_body: str) -> str:
    text = data.decode("utf-8", "replace")
    size = len(data)
    whole = len(article_body.encode())
    verdict = "only the changed parts" if size < whole / 4 else "LOOKS LIKE THE WHOLE ARTICLE"
    return f"htmx answer {size / 1024:.1f} KB against {whole / 1024:.0f} KB of article text ({verdict}); " \
           f"{text.count('hx-swap-oob')} out-of-band swaps"


def review_page(server, fixture, key: str, claims: int, target_s: float, queries: dict | None) -> Result:
    article = fixture.article_ids[key]
    path = f"/articles/{article}/"
    name, target = f"Review page, 20,000 words, {claims:,} claims", f"< {target_s * 1000:.0f} ms, fixed queries"
    if not _available(path):
        return Result(name, target, outcome="not available", notes=[f"{path} is not routed yet"])
    client = load.Client(server.port, session_headers(fixture))
    status, _, data, _ = client.get(path)
    if status != 200:
        client.close()
        return Result(name, target, outcome="error", notes=[f"GET {path} answered {status}: {_snippet(data)}"])
    times, deadline, cpu = [], time.perf_counter() + 20, server.cpu_seconds()
    for _ in range(30 if claims <= 1000 else 15):
        status, _, data, elapsed = client.get(path)
        times.append(elapsed)
        if time.perf_counter() > deadline:
            break
    cpu = (server.cpu_seconds() - cpu) / len(times)
    client.close()
    floor_times = floor.review_fetch(server.env["DATABASE_URL"], article)
    notes = [f"{len(data) / 1024:.0f} KB of HTML, {len(times)} sequential requests, server CPU {ms(cpu)} each"]
    fixed = True
    if queries and "error" in queries:
        fixed = False
        notes.append(f"query count not measured: {queries['error']}")
    elif queries:
        counts = {k: v["queries"] for k, v in queries.items()}
        fixed = len(set(counts.values())) == 1
        notes.append(f"queries (in-process): {counts[key]}; 1,000 vs 10,000 claims: "
                     f"{counts.get('a1k')} vs {counts.get('a10k')} ({'same' if fixed else 'NOT FIXED'})")
    return Result(
        name, target, median=ms(median(times)), p99=ms(percentile(times, 99)),
        floor=f"{ms(median(floor_times))} (article + spans)", ratio=ratio(median(times), median(floor_times)),
        outcome="pass" if median(times) < target_s and fixed else "FAIL", notes=notes, raw={"times": times},
    )


def claim_list(server, fixture, page_size: int = 5000) -> Result:
    article = fixture.article_ids["a10k"]
    first = f"/api/v1/claims/?article={article}&page_size={page_size}"
    name, target = "API: all 10,000 claims of an article, paginated", "< 150 ms"
    if not _available("/api/v1/claims/"):
        return Result(name, target, outcome="not available", notes=["/api/v1/claims/ is not routed yet"])
    client = load.Client(server.port, {"Authorization": f"Token {fixture.token}", "Accept": "application/json"})

    parsing = []

    def walk():
        path, rows, pages = first, 0, 0
        while path and pages < 200:
            status, _, data, _ = client.get(path)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {_snippet(data)}")
            t = time.perf_counter()
            page = json.loads(data)
            parsing.append(time.perf_counter() - t)
            rows += len(page["results"])
            pages += 1
            path = load.local_path(page["next"]) if page.get("next") else None
        return rows, pages

    try:
        rows, pages = walk()
    except (RuntimeError, KeyError, ValueError) as exc:
        client.close()
        return Result(name, target, outcome="error", notes=[str(exc)[:300]])
    parsing.clear()
    times, deadline, cpu = [], time.perf_counter() + 20, server.cpu_seconds()
    for _ in range(15):
        t, parsed = time.perf_counter(), sum(parsing)
        walk()
        # The client's own json.loads (Python, on the same two cores) is reported apart.
        times.append(time.perf_counter() - t - (sum(parsing) - parsed))
        if time.perf_counter() > deadline:
            break
    cpu = (server.cpu_seconds() - cpu) / len(times)
    client.close()
    floor_times = floor.list_json(server.env["DATABASE_URL"], article)
    ok = median(times) < 0.150 and rows == 10_000
    return Result(
        name, target, median=ms(median(times)), p99=ms(percentile(times, 99)),
        floor=f"{ms(median(floor_times))} (json_agg of 10,000 rows)", ratio=ratio(median(times), median(floor_times)),
        outcome="pass" if ok else "FAIL",
        notes=[f"{rows:,} claims in {pages} pages (asked page_size={page_size}; the API caps it), following `next`; "
               "time to the last byte of the last page, without the client's JSON parsing; "
               f"{len(times)} walks, server CPU {ms(cpu)} per walk, client JSON parsing "
               f"{ms(sum(parsing) / len(times))} per walk"],
        raw={"times": times, "rows": rows, "pages": pages},
    )


def export(make_server, fixture, *, fmt: str, token: str, expected: int, project_id: int, label: str,
           repeat: int = 3, time_target: float | None = 1.0, memory_target_kb: int = 120 * 1024,
           same_as_kb: int | None = None) -> Result:
    """Each format on a fresh single-worker server: its VmHWM is the export's own peak."""
    path = f"/api/v1/export/verdicts.{fmt}"
    target = (f"< {time_target:.0f} s, " if time_target else "") + "peak < 120 MB" + (
        ", same peak as 100,000" if same_as_kb else "")
    name = f"Export {label} verdicts, {fmt.upper()} (streamed)"
    if not _available(path):
        return Result(name, target, outcome="not available", notes=[f"{path} is not routed yet"])
    headers = {"Authorization": f"Token {token}"}
    server = make_server()
    try:
        boot_kb, cpu = server.peak_rss_kb(), server.cpu_seconds()
        times, got, deadline = [], {}, time.perf_counter() + 60
        for _ in range(repeat):
            got = load.curl_download(server.port, path, headers)
            if got["status"] != 200:
                return Result(name, target, outcome="error",
                              notes=[f"GET {path} answered {got['status']}: {_snippet(got['head'])}"])
            times.append(got["seconds"])
            if time.perf_counter() > deadline:
                break
        peak_kb, cpu = server.peak_rss_kb(), (server.cpu_seconds() - cpu) / max(1, len(times))
    finally:
        server.stop()
    rows = got["lines"] - (1 if fmt == "csv" else 0)
    floor_times, floor_bytes = floor.export_copy(server.env["DATABASE_URL"], project_id, fmt,
                                                 repeat=3 if expected <= 100_000 else 1)
    ok = (rows == expected and peak_kb is not None and peak_kb < memory_target_kb
          and (time_target is None or median(times) < time_target)
          and (same_as_kb is None or peak_kb <= same_as_kb * 1.1 + 5 * 1024))
    size = got["bytes"]
    return Result(
        name, target, median=ms(median(times)), p99="–",
        peak=f"{mb(peak_kb)} (idle {mb(boot_kb)})",
        floor=f"{ms(median(floor_times))} (COPY … TO STDOUT)", ratio=ratio(median(times), median(floor_times)),
        outcome="pass" if ok else "FAIL",
        notes=[f"{rows:,} rows (expected {expected:,}), {size / 1e6:.1f} MB (COPY: {floor_bytes / 1e6:.1f} MB); "
               f"{len(times)} download(s) with curl on a fresh 1-worker sync gunicorn; first byte after "
               f"{ms(got['first_byte'])}; server CPU {ms(cpu)} per download"],
        raw={"times": times, "peak_kb": peak_kb, "boot_kb": boot_kb, "rows": rows},
    )
