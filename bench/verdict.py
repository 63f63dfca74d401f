"""Verdict save and claim panel (issue 16): server CPU per request, gunicorn workers and
PostgreSQL backends together, each beside a plain-SQL floor measured in the same run.

    .venv/bin/python bench/verdict.py [--requests 300] [--keep-db]

(also run by `make bench`). Its own database (BENCH_VERDICT_DATABASE_URL, else the name of
BENCH_DATABASE_URL's database + "_verdict") is created, filled with bench/data.py's helpers
(a 20,000-word article with 10,000 claims and a small one with 50, one or two verdicts per
claim), served by gunicorn as bench/run.py serves it (production settings, 3 sync workers),
measured and dropped. Requests are sequential from one client; around each one the CPU of
the workers and of the database's backends is read from /proc (bench/cpu_verdict.py), so
the figure is the median of per-request server CPU, not a rate on a shared machine.

Scenarios, each on distinct claims of the 10,000-claim article (the panel also on the small one):
- claim panel: `GET /claims/<id>/` with `HX-Request` (the fragment the review page swaps in);
- verdict save, review page: the htmx form a reviewer submits, `POST /claims/<id>/verdict/`
  (rating, rationale, version 0: a first verdict), answered with the panel, row and paragraph;
- verdict change, review page: the same form again with version 1 on the claims just rated;
- verdict save, API: `POST /api/v1/verdicts/` with a token.
Every 2xx is counted and compared with the rows present at the end (verdicts, their versions,
history entries). Floors: the statements such a request needs, over psycopg on one kept
connection (prepared after the first runs), its backend's CPU read the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import db  # noqa: E402
from report import Result, table  # noqa: E402
from stats import median, ms  # noqa: E402

OUT = BENCH / "out"
TARGET_NS = 4_000_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="sequential requests per scenario (default 300)")
    parser.add_argument("--floor-runs", type=int, default=1000, help="floor operations per scenario (default 1000)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--budget", type=int, default=40, help="seconds at most per scenario")
    return parser.parse_args(argv)


def database_url() -> str:
    if os.environ.get("BENCH_VERDICT_DATABASE_URL"):
        return os.environ["BENCH_VERDICT_DATABASE_URL"]
    base = os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL)
    return db.with_database(base, db.database_name(base) + "_verdict")


# --- data -------------------------------------------------------------------------------


class Setup:
    """Ids, sessions and tokens the scenarios use."""


def build() -> Setup:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils.crypto import get_random_string

    import data
    from annotate.models import ApiToken, Claim, Membership, Project, Rating

    User = get_user_model()
    rng = random.Random(20240516)
    fixture = data.Fixture()
    s = Setup()
    started = time.perf_counter()
    with transaction.atomic():
        # No e-mail addresses: the "ready for a final verdict" notifications stay rows (a
        # production server would hand them to its SMTP relay after the commit).
        editor = User.objects.create_user("bench-editor", "", data.PASSWORD)
        reviewer = User.objects.create_user("bench-reviewer", "", data.PASSWORD)
        voter = User.objects.create_user("bench-voter", "", data.PASSWORD)  # gives the verdicts measured
        floor_user = User.objects.create_user("bench-floor", "", data.PASSWORD)  # the floor's verdicts
        counter = User.objects.create_user("bench-counter", "", data.PASSWORD)  # in-process query counts
        # Two verdicts needed: a claim with one verdict before becomes ready (editors notified).
        project = Project.objects.create(slug="bench", name="Bench desk", required_verdicts=2)
        Membership.objects.bulk_create(
            [Membership(user=editor, project=project, role="editor")]
            + [Membership(user=u, project=project, role="reviewer") for u in (reviewer, voter, floor_user, counter)]
        )
        ratings = list(Rating.objects.filter(project=project).order_by("position", "id"))
        _loadable()
        a10k = data._article(project, editor, "a10k", 4, fixture)
        small = data._article(project, editor, "small", 3, fixture)
        data._claims(a10k, [editor, reviewer], ratings, 10_000, rng, lambda i: i % 2 == 0)
        data._claims(small, [editor, reviewer], ratings, 50, rng, lambda i: i % 2 == 0)
        s.voter_token = ApiToken.objects.issue(voter)[1]
        session = SessionStore()
        session["_auth_user_id"] = str(voter.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = voter.get_session_auth_hash()
        session.set_expiry(3600)
        session.create()
        s.session, s.csrf = session.session_key, get_random_string(32)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(_LOAD_DEFAULTS.replace("SET DEFAULT ''", "DROP DEFAULT"))  # the schema as migrated again
        cur.execute("ANALYZE")
    s.project, s.voter, s.floor_user, s.counter, s.ratings = project, voter, floor_user, counter, ratings
    big = list(Claim.objects.filter(article=a10k).order_by("id").values_list("id", flat=True))
    rng.shuffle(big)
    s.claims = {"a10k": big, "small": list(Claim.objects.filter(article=small).values_list("id", flat=True))}
    s.article_ids = fixture.article_ids
    s.build_seconds = time.perf_counter() - started
    return s


# bench/data.py's COPY lists predate these NOT NULL columns (no database default): give them
# one while loading, in this throw-away database only, and take it away again before measuring.
_LOAD_DEFAULTS = ("ALTER TABLE annotate_span ALTER COLUMN revised_quote SET DEFAULT '';"
                  " ALTER TABLE annotate_claim ALTER COLUMN claimant_key SET DEFAULT ''")


def _loadable():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(_LOAD_DEFAULTS)


# --- the app ----------------------------------------------------------------------------


def panel_requests(s, key, n):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/articles/1/"}
    ids = s.claims[key]
    return [("GET", f"/claims/{ids[i % len(ids)]}/", None, headers, ids[i % len(ids)]) for i in range(n)]


def htmx_verdict_requests(s, claim_ids, version):
    headers = {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": s.csrf,
               "HX-Current-URL": "http://127.0.0.1/articles/1/"}
    out = []
    for i, pk in enumerate(claim_ids):
        rating = s.ratings[(i + version) % len(s.ratings)].pk
        body = urlencode({"rating": rating, "rationale": f"Checked against the {2000 + i % 25} report ({version}).",
                          "version": version})
        out.append(("POST", f"/claims/{pk}/verdict/", body.encode(), headers, pk))
    return out


def api_verdict_requests(s, claim_ids):
    headers = {"Authorization": f"Token {s.voter_token}", "Content-Type": "application/json", "Accept": "application/json"}
    return [("POST", "/api/v1/verdicts/", json.dumps({"claim": pk, "rating": s.ratings[i % len(s.ratings)].pk,
                                                      "rationale": f"Within the margin of the {2000 + i % 25} survey."}).encode(),
             headers, pk) for i, pk in enumerate(claim_ids)]


def measure_http(meter, port, cookies, requests, budget, expect):
    """Each request on its own, CPU sampled around it. Returns per-request figures and acknowledged claim ids."""
    import load

    client = load.Client(port, {"Cookie": cookies} if cookies else {})
    cpu, workers, postgres, wall, acked, bad, ended = [], [], [], [], [], [], 0
    deadline = time.perf_counter() + budget
    try:
        for method, path, body, headers, pk in requests:
            before = meter.sample()
            status, response_headers, data, elapsed = client.request(method, path, body=body, headers=headers)
            delta = meter.delta(before, meter.sample())
            if status in expect:
                acked.append(pk)
            else:
                bad.append(f"{method} {path} answered {status}: {data[:160]!r}")
            cpu.append(delta.total_ns)
            workers.append(delta.workers_ns)
            postgres.append(delta.postgres_ns)
            wall.append(elapsed)
            ended += delta.ended
            if time.perf_counter() > deadline:
                break
    finally:
        client.close()
    return {"cpu": cpu, "workers": workers, "postgres": postgres, "wall": wall, "acked": acked, "bad": bad,
            "ended": ended, "last": data}


def count_queries(s, method, path, data=None, **extra):
    """Statements one request runs, in-process (Django test client, same settings and database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(s.counter)
    token = extra.pop("token", None)
    if token:
        client.logout()
        extra["HTTP_AUTHORIZATION"] = f"Token {token}"
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data=data, **extra)
    assert 200 <= response.status_code < 300, (path, response.status_code, response.content[:300])
    statements = [q["sql"] for q in captured.captured_queries]
    plain = [q for q in statements if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return {"queries": len(plain), "savepoints": len(statements) - len(plain), "sql": statements}


# --- floors -----------------------------------------------------------------------------

SESSION = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > now()"
USER = "SELECT id, password, last_login, is_superuser, username, email, is_active FROM auth_user WHERE id = %s"
TOKEN = ("SELECT t.id, t.expires, u.id, u.username, u.is_active FROM annotate_apitoken t JOIN auth_user u ON u.id = t.user_id"
         " WHERE t.prefix = %s")
CLAIM = ("SELECT c.id, c.text, c.claimant, c.status, c.version, c.final_rating_id, c.project_id, s.start, s.\"end\", s.quote,"
         " s.orphaned, a.title, a.revision, p.slug, p.blind_review, p.required_verdicts, m.role"
         " FROM annotate_claim c JOIN annotate_span s ON s.id = c.span_id JOIN annotate_article a ON a.id = c.article_id"
         " JOIN annotate_project p ON p.id = c.project_id"
         " JOIN annotate_membership m ON m.project_id = c.project_id AND m.user_id = %s WHERE c.id = %s")
RATINGS = "SELECT id, label, value, colour, position FROM annotate_rating WHERE project_id = %s ORDER BY position, id"
VERDICTS = ("SELECT v.id, v.rating_id, v.rationale, v.version, v.reviewer_id, u.username, r.label, r.value"
            " FROM annotate_verdict v JOIN auth_user u ON u.id = v.reviewer_id JOIN annotate_rating r ON r.id = v.rating_id"
            " WHERE v.claim_id = %s ORDER BY v.id")
EVIDENCE = ("SELECT e.id, e.stance, e.excerpt, e.note, e.created_at, src.url, src.title, u.username"
            " FROM annotate_evidence e JOIN annotate_source src ON src.id = e.source_id"
            " LEFT JOIN auth_user u ON u.id = e.added_by_id WHERE e.claim_id = %s ORDER BY e.created_at, e.id")
COMMENTS = ("SELECT c.id, c.text, c.created_at, u.username FROM annotate_comment c LEFT JOIN auth_user u ON u.id = c.author_id"
            " WHERE c.claim_id = %s ORDER BY c.created_at, c.id")
HISTORY = ("SELECT h.id, h.action, h.changes, h.created_at, u.username FROM annotate_historyentry h"
           " LEFT JOIN auth_user u ON u.id = h.actor_id WHERE h.claim_id = %s ORDER BY h.created_at DESC, h.id DESC")
# Spans overlapping [low, high): starting inside it, or before it and reaching in (two index ranges).
PARAGRAPH_SPANS = ("SELECT s.start, s.\"end\", c.id, c.status, c.final_rating_id, v.rating_id FROM annotate_span s"
                   " JOIN annotate_claim c ON c.span_id = s.id"
                   " LEFT JOIN annotate_verdict v ON v.claim_id = c.id AND v.reviewer_id = %(user)s"
                   " WHERE s.article_id = %(article)s AND NOT s.orphaned"
                   " AND ((s.start >= %(low)s AND s.start < %(high)s) OR (s.start < %(low)s AND s.\"end\" > %(low)s))")
INSERT_VERDICT = ("INSERT INTO annotate_verdict (claim_id, reviewer_id, rating_id, rationale, version, created_at, updated_at)"
                  " VALUES (%s, %s, %s, %s, 1, now(), now()) RETURNING id")
INSERT_HISTORY = ("INSERT INTO annotate_historyentry (claim_id, verdict_id, actor_id, action, changes, created_at)"
                  " VALUES (%s, %s, %s, 'verdict_created', %s, now())")
TOUCH_CLAIM = "UPDATE annotate_claim SET status = 'in_review', updated_at = now() WHERE id = %s AND status = 'open'"
VERDICT_ROW = ("SELECT v.id, v.claim_id, p.slug, c.article_id, u.username, r.id, r.label, r.value, v.rationale, v.version,"
               " v.created_at, v.updated_at FROM annotate_verdict v JOIN annotate_claim c ON c.id = v.claim_id"
               " JOIN annotate_project p ON p.id = c.project_id JOIN auth_user u ON u.id = v.reviewer_id"
               " JOIN annotate_rating r ON r.id = v.rating_id WHERE v.id = %s")


def floor_run(url, meter, kind, s, claim_ids, runs, session_key):
    """The statements a request of `kind` needs, over psycopg on one connection; per op: backend CPU and wall time."""
    import psycopg

    import cpu_verdict

    user = s.floor_user.pk
    rating = s.ratings[0].pk
    article = s.article_ids["a10k"]
    token_prefix = s.voter_token[:8]
    with psycopg.connect(url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        meter.exclude.add(backend)
        conn.commit()
        cur = conn.cursor()

        def panel(pk):
            cur.execute(CLAIM, (user, pk))
            row = cur.fetchone()
            for statement, arg in ((RATINGS, row[6]), (VERDICTS, pk), (EVIDENCE, pk), (COMMENTS, pk), (HISTORY, pk)):
                cur.execute(statement, (arg,))
                cur.fetchall()
            return row

        def op(pk):
            if kind == "api_save":
                cur.execute(TOKEN, (token_prefix,))
            else:
                cur.execute(SESSION, (session_key,))
            cur.fetchone()
            cur.execute(USER, (user,))
            cur.fetchone()
            if kind == "panel":
                panel(pk)
                conn.commit()
                return
            cur.execute(CLAIM, (user, pk))
            cur.fetchone()
            cur.execute(INSERT_VERDICT, (pk, user, rating, "Checked against the report."))
            verdict = cur.fetchone()[0]
            cur.execute(INSERT_HISTORY, (pk, verdict, user, json.dumps({"rating": "True", "rationale": "Checked."})))
            cur.execute(TOUCH_CLAIM, (pk,))
            conn.commit()
            if kind == "api_save":
                cur.execute(VERDICT_ROW, (verdict,))
                cur.fetchone()
            else:  # the refreshed panel and the spans of the claim's paragraph
                row = panel(pk)
                cur.execute(PARAGRAPH_SPANS, {"user": user, "article": article, "low": max(0, row[7] - 400),
                                              "high": row[8] + 400})
                cur.fetchall()
            conn.commit()

        warm = 20
        cpu, wall = [], []
        for i, pk in enumerate(claim_ids[: runs + warm]):
            before = cpu_verdict.backend_ns(backend)
            t = time.perf_counter()
            op(pk)
            elapsed = time.perf_counter() - t
            if i >= warm:
                cpu.append(cpu_verdict.backend_ns(backend) - before)
                wall.append(elapsed)
        if kind != "panel":  # the floor's writes are not the app's: leave the data as the app left it
            cur.execute("DELETE FROM annotate_historyentry WHERE actor_id = %s", (user,))
            cur.execute("DELETE FROM annotate_verdict WHERE reviewer_id = %s", (user,))
            conn.commit()
        meter.exclude.discard(backend)
    return {"cpu": cpu, "wall": wall}


# --- the run ----------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    url = database_url()
    import run  # production_env: the same server environment as the rest of `make bench`

    env = run.production_env(url)
    try:
        db.recreate(url)
    except db.DatabaseUnavailable as exc:
        print(f"bench/verdict: {exc}", file=sys.stderr)
        return 2
    import server as servers

    try:
        return _run(args, url, env, servers)
    except KeyboardInterrupt:
        print("\nbench/verdict: interrupted; stopping servers and dropping the database", file=sys.stderr)
        return 130
    finally:
        servers.clean_up(url, args.keep_db)


def _step(message, started):
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def _run(args, url, env, servers) -> int:
    started = time.monotonic()
    _step(f"collectstatic; database {db.database_name(url)}", started)
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True, timeout=300)
    os.environ.update(env)
    # This process loads the data (COPY with the search triggers firing per row): no statement
    # limit here, as for management commands; the server keeps the production default.
    os.environ.update({"DB_STATEMENT_TIMEOUT": "0", "DB_ANSWER_TIMEOUT": "0"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import cpu_verdict

    call_command("migrate", verbosity=0, interactive=False)
    _step("build data", started)
    s = build()
    _step(f"data ready in {s.build_seconds:.1f} s", started)

    # Claims by use: the panel reads any; each write scenario gets claims of its own.
    ids = s.claims["a10k"]
    n = args.requests
    htmx_ids, api_ids, count_ids = ids[:n], ids[n:2 * n], ids[2 * n:2 * n + 4]
    floor_ids = ids[2 * n + 10:]

    queries = {
        "panel a10k": count_queries(s, "get", f"/claims/{ids[-1]}/", HTTP_HX_REQUEST="true"),
        "panel small": count_queries(s, "get", f"/claims/{s.claims['small'][0]}/", HTTP_HX_REQUEST="true"),
        "htmx save": count_queries(s, "post", f"/claims/{count_ids[0]}/verdict/",
                                   {"rating": s.ratings[1].pk, "rationale": "Counted.", "version": 0}, HTTP_HX_REQUEST="true"),
        "htmx change": count_queries(s, "post", f"/claims/{count_ids[0]}/verdict/",
                                     {"rating": s.ratings[2].pk, "rationale": "Counted again.", "version": 1},
                                     HTTP_HX_REQUEST="true"),
        "api save": count_queries(s, "post", "/api/v1/verdicts/",
                                  json.dumps({"claim": count_ids[1], "rating": s.ratings[1].pk, "rationale": "Counted."}),
                                  content_type="application/json", token=_token(s.counter)),
    }
    (OUT / "verdict-queries.json").parent.mkdir(parents=True, exist_ok=True)
    (OUT / "verdict-queries.json").write_text(json.dumps(queries, indent=2))

    connection.ensure_connection()
    own = connection.connection.info.backend_pid
    cookies = f"sessionid={s.session}; csrftoken={s.csrf}"
    results, raw = [], {}
    with servers.Gunicorn(env, workers=args.workers, worker_class="sync", threads=1,
                          log=OUT / "logs" / "gunicorn-verdict.log", name="verdict").start() as app:
        meter = cpu_verdict.Meter(app, db.database_name(url), own)
        _step(f"gunicorn up on :{app.port} ({app.describe})", started)
        # Warm every worker on every path (imports, template and URL caches, first connections).
        warm = measure_http(meter, app.port, cookies, panel_requests(s, "small", 3 * args.workers), 30, {200})
        warm_ids = s.claims["small"][:2 * args.workers]
        measure_http(meter, app.port, cookies, htmx_verdict_requests(s, warm_ids[: args.workers], 0), 30, {200})
        measure_http(meter, app.port, None, api_verdict_requests(s, warm_ids[args.workers:]), 30, {201})
        if warm["bad"]:
            print("\n".join(warm["bad"][:3]), file=sys.stderr)

        scenarios = [
            ("panel_a10k", "Claim panel, 10,000-claim article (htmx GET)", panel_requests(s, "a10k", n), {200},
             "panel", "panel a10k"),
            ("panel_small", "Claim panel, 50-claim article (htmx GET)", panel_requests(s, "small", n), {200},
             "panel", "panel small"),
            ("htmx_save", "Verdict save, review page (htmx POST, first verdict)", htmx_verdict_requests(s, htmx_ids, 0),
             {200}, "htmx_save", "htmx save"),
            ("htmx_change", "Verdict change, review page (htmx POST, version 1)", htmx_verdict_requests(s, htmx_ids, 1),
             {200}, None, "htmx change"),
            ("api_save", "Verdict save, API (POST /api/v1/verdicts/)", api_verdict_requests(s, api_ids), {201},
             "api_save", "api save"),
        ]
        for key, name, requests, expect, floor_kind, query_key in scenarios:
            _step(name, started)
            got = measure_http(meter, app.port, None if key == "api_save" else cookies, requests, args.budget, expect)
            raw[key] = got
            floor = None
            if floor_kind:
                floor_claims = floor_ids if floor_kind != "panel" else (s.claims["a10k"] if key == "panel_a10k" else s.claims["small"] * 40)
                floor = floor_run(url, meter, floor_kind, s, floor_claims, args.floor_runs, s.session)
                raw[key + "_floor"] = floor
            results.append(_result(name, got, floor, queries[query_key]))

    counts = _acknowledged(s, raw)
    info = [f"- {db.database_name(url)}: {len(s.claims['a10k']):,} + {len(s.claims['small'])} claims, built in "
            f"{s.build_seconds:.1f} s; gunicorn {args.workers} sync workers, production settings; "
            f"sequential requests from one client, CPU read from /proc around each",
            f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            f"- nothing lost: {counts['text']}"]
    text = "\n".join(info) + "\n\n" + table(results) + "\n\nNotes:\n" + "\n".join(
        f"- {r.scenario}: {note}" for r in results for note in r.notes) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "verdict.md").write_text(text)
    (OUT / "verdict.json").write_text(json.dumps({"raw": raw, "counts": counts}, default=str))
    print()
    print(text)
    ok = all(r.outcome in ("pass", "info") for r in results) and counts["ok"]
    return 0 if ok else 1


def _token(user):
    from annotate.models import ApiToken

    return ApiToken.objects.issue(user)[1]


def _result(name, got, floor, queries) -> Result:
    n = len(got["cpu"])
    cpu = median(got["cpu"]) / 1e9 if n else None
    notes = [f"{n} requests, {len(got['acked'])} answered as expected; server CPU median {ms(cpu)} "
             f"(workers {ms(median(got['workers']) / 1e9)}, PostgreSQL {ms(median(got['postgres']) / 1e9)}), "
             f"mean {ms(sum(got['cpu']) / max(1, n) / 1e9)}; latency median {ms(median(got['wall']))}; "
             f"{len(got['last']) / 1024:.1f} KB answer",
             f"queries per request (in-process): {queries['queries']}"
             + (f" (+ {queries['savepoints']} SAVEPOINT/RELEASE)" if queries["savepoints"] else "")]
    if got["ended"]:
        notes.append(f"{got['ended']} server process(es) ended during the run: their last CPU is not counted")
    if got["bad"]:
        notes.append(f"{len(got['bad'])} unexpected answers; first: {got['bad'][0]}")
    floor_text, ratio_text = "–", "–"
    if floor:
        f_cpu = median(floor["cpu"]) / 1e9
        floor_text = f"{ms(f_cpu)} CPU ({ms(median(floor['wall']))} wall)"
        ratio_text = f"{cpu / f_cpu:.1f}×" if f_cpu else "–"
        notes.append(f"floor: {len(floor['cpu'])} runs of the statements such a request needs, over psycopg; "
                     "PostgreSQL backend CPU per run (wall time in brackets)")
    ok = cpu is not None and cpu * 1e9 <= TARGET_NS and not got["bad"]
    return Result(name, "≤ 4 ms server CPU", median=f"{ms(cpu)} CPU", p99="–", floor=floor_text, ratio=ratio_text,
                  outcome="pass" if ok else "FAIL", notes=notes, raw={})


def _acknowledged(s, raw) -> dict:
    """Every acknowledged write is in the database: verdicts, their versions, their history entries."""
    from annotate.models import HistoryEntry, Verdict

    created = set(raw["htmx_save"]["acked"]) | set(raw["api_save"]["acked"])
    changed = set(raw["htmx_change"]["acked"])
    mine = dict(Verdict.objects.filter(reviewer=s.voter, claim_id__in=created).values_list("claim_id", "version"))
    missing = created - mine.keys()
    wrong_version = [pk for pk in created if pk in mine and mine[pk] != (2 if pk in changed else 1)]
    history = HistoryEntry.objects.filter(actor=s.voter, claim_id__in=created).count()
    ok = not missing and not wrong_version and history == len(created) + len(changed)
    text = (f"{len(created)} verdicts and {len(changed)} changes acknowledged; {len(mine)} of those verdicts present, "
            f"{len(created) - len(wrong_version) - len(missing)} at the acknowledged version, {history} history entries "
            f"(expected {len(created) + len(changed)}) — {'OK' if ok else 'MISMATCH'}")
    return {"ok": ok, "text": text, "missing": sorted(missing)[:20], "wrong_version": wrong_version[:20]}


if __name__ == "__main__":
    sys.exit(main())
