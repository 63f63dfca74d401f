"""`make bench`: build data on PostgreSQL, serve the app with gunicorn as in production,
measure every scenario and its plain-PostgreSQL floor, print one table.

    .venv/bin/python bench/run.py            # everything, a few minutes
    .venv/bin/python bench/run.py --big      # plus the 1,000,000-verdict export (about 1 more minute)
    .venv/bin/python bench/run.py --only create_api,list --seconds 4

Every loop is bounded in count and time; only 127.0.0.1 is contacted; the servers
and the database are removed at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import db  # noqa: E402
import report  # noqa: E402
from report import Result  # noqa: E402

FIXTURE_FILE = BENCH / "out" / "fixture.json"
SCENARIOS = ("create_api", "create_htmx", "review", "list", "export", "reanchor", "import", "dashboard")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also export 1,000,000 verdicts (peak memory check)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(SCENARIOS)}")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per load scenario (default 8)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--worker-class", default=os.environ.get("BENCH_WORKER_CLASS", "sync"),
                        choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 1)))
    parser.add_argument("--tune", action="store_true",
                        help="only compare gunicorn worker settings on API claim creation (4 s each)")
    parser.add_argument("--keep-db", action="store_true", help="leave the benchmark database in place")
    parser.add_argument("--reuse-db", action="store_true",
                        help="with a database kept by --keep-db (and its bench/out/fixture.json): skip the data build "
                             "(for iterating; created rows accumulate, so a final run builds afresh)")
    parser.add_argument("--budget", type=int, default=900,
                        help="skip the scenarios left after this many seconds of measuring (the data build, "
                             "3-15 minutes with the search triggers on a busy machine, is not counted)")
    parser.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL))
    args = parser.parse_args(argv)
    args.only = set(filter(None, args.only.split(","))) or set(SCENARIOS)
    unknown = args.only - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    return args


def production_env(db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "FACTMARK_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Its own static root: a collectstatic into staticfiles/ would change what a
        # test run in the same checkout sees.
        "STATIC_ROOT": str(ROOT / "bench" / "out" / "static"),
        "DATABASE_URL": db_url,
        "AXES_ENABLED": "0",
        # Per second, not per minute: DRF's throttle keeps (and pickles into the cache on every
        # request) one timestamp per request of its window, so a one-minute window at 500/s
        # would measure a 30,000-entry list instead of the API. See BENCHMARKS.md.
        "API_THROTTLE_USER": "1000000/s",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    # As a production deployment with several workers: throttle counters in Redis when
    # one answers locally, else the database cache (4 more queries per API request).
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    if _answers(redis_url):
        env["REDIS_URL"] = redis_url
    return env


def _answers(url: str) -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    # Explicit handlers: a shell that starts us in the background ignores SIGINT, which
    # Python would then inherit, and the clean-up below must run whatever stops us.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _sigterm)
    started = time.monotonic()
    needs = {"wrk": {"create_api", "create_htmx"}, "curl": {"export"}}
    missing = [tool for tool, uses in needs.items() if uses & args.only and not shutil.which(tool)]
    if missing:
        print(f"bench: {' and '.join(missing)} not found; install with: apt-get install {' '.join(missing)}",
              file=sys.stderr)
        return 2
    env = production_env(args.db_url)
    reuse = args.reuse_db and FIXTURE_FILE.exists()
    if args.reuse_db:
        args.keep_db = True
    try:
        if not reuse:
            FIXTURE_FILE.unlink(missing_ok=True)
            db.recreate(args.db_url)
    except db.DatabaseUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    import server as servers  # after the path set-up above

    try:
        return _run(args, env, started, servers)
    except KeyboardInterrupt:
        print("\nbench: interrupted; stopping servers and dropping the database", file=sys.stderr)
        return 130
    finally:
        servers.clean_up(args.db_url, args.keep_db)


def _step(message, started):
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def _run(args, env, started, servers) -> int:
    # Before Django starts here: the manifest storage reads staticfiles.json once.
    _step("collectstatic", started)
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True, timeout=300)
    os.environ.update(env)
    # The harness's own connection builds the data (COPY with the search triggers): no request deadline.
    os.environ["DB_STATEMENT_TIMEOUT"] = "0"
    os.environ["DB_ANSWER_TIMEOUT"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    import floor
    import inproc
    import scenarios

    import data

    if args.reuse_db and FIXTURE_FILE.exists():
        _step(f"reusing the kept database and {FIXTURE_FILE}; migrate", started)
        call_command("migrate", verbosity=0, interactive=False)
        fixture = data.load_fixture(FIXTURE_FILE)
        data.new_session(fixture)
    else:
        _step("migrate", started)
        call_command("migrate", verbosity=0, interactive=False)
        _step("build data" + (" (with the 1,000,000-verdict set)" if args.big else ""), started)
        fixture = data.build(big=args.big, dashboard="dashboard" in args.only)
        _step(f"data ready: {fixture.counts} in {fixture.timings}", started)
        if args.keep_db:
            data.save_fixture(fixture, FIXTURE_FILE)

    logs = scenarios.OUT / "logs"

    def main_server():
        return servers.Gunicorn(env, workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                                log=logs / "gunicorn.log", name="app")

    def export_server():
        return servers.Gunicorn(env, workers=1, worker_class="sync", threads=1, log=logs / "gunicorn-export.log",
                                name="export").start()

    if args.tune:
        return _tune(args, env, fixture, servers, scenarios, floor, logs, started)

    results: list[Result] = []
    measuring = time.monotonic()

    def measure(scenario, target, fn, step):
        """Run one scenario; an exception becomes an "error" row (details in the log), never a lost table."""
        if time.monotonic() - measuring > args.budget:
            return [Result(scenario, target, outcome="skipped", notes=[f"time budget of {args.budget} s spent"])]
        _step(step, started)
        try:
            got = fn()
        except Exception as exc:  # noqa: BLE001 - reported in the table and the log
            logs.mkdir(parents=True, exist_ok=True)
            with open(logs / "errors.log", "a") as log:
                log.write(f"--- {scenario}\n{traceback.format_exc()}\n")
            got = Result(scenario, target, outcome="error",
                         notes=[f"{type(exc).__name__}: {str(exc)[:300]} (traceback in {logs / 'errors.log'})"])
        got = got if isinstance(got, list) else [got]
        results.extend(got)
        return got

    _step("floor: 16-thread single-row INSERT", started)
    insert_floor = floor.insert_rate(args.db_url, fixture.article_ids["floor"])

    if "reanchor" in args.only:
        measure("Re-anchor worst case", "bounded", lambda: inproc.reanchor_worst(fixture),
                "re-anchoring, worst case (in-process)")
        measure("Re-anchor 1,000 spans, local edits", "< 200 ms", lambda: inproc.reanchor_local(fixture),
                "re-anchoring, local edits (in-process)")
    if "import" in args.only:
        measure("Import a 20,000-word HTML article", "< 100 ms", lambda: inproc.import_html(fixture, args.db_url),
                "import (in-process)")
    queries = None
    if "review" in args.only:
        try:
            queries = inproc.review_queries(fixture)
        except Exception as exc:  # noqa: BLE001 - reported in the review rows' notes
            queries = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
            print(f"bench: counting the review page's queries failed: {exc}", file=sys.stderr)

    http = {"review", "list", "create_api", "create_htmx", "dashboard"} & args.only
    if http:
        with main_server().start() as app:
            _step(f"gunicorn up on :{app.port} ({app.describe})", started)
            if "review" in args.only:
                for key, claims, target in (("a1k", 1_000, 0.050), ("a10k", 10_000, 0.250)):
                    measure(f"Review page, {claims:,} claims", f"< {target * 1000:.0f} ms",
                            lambda: scenarios.review_page(app, fixture, key, claims, target, queries),
                            f"review page with {claims:,} claims")
            if "dashboard" in args.only:
                import dashboard  # bench/dashboard.py

                measure("Dashboard, 100,000 claims", "< 200 ms", lambda: dashboard.run(app, fixture, args.db_url),
                        "dashboard of the 100,000-claim project, cached and after writes")
            if "list" in args.only:
                measure("API: all 10,000 claims of an article", "< 150 ms", lambda: scenarios.claim_list(app, fixture),
                        "paginated claim list")
            for via, target in (("api", "≥ 500/s, p99 < 40 ms, ≤ 4 ms CPU"), ("htmx", "≥ 300/s, ≤ 6 ms CPU")):
                if f"create_{via}" in args.only:
                    # Last: they add claims to a10k, which the review and list rows count.
                    empty = measure(f"Create claim, {via} (16 clients)", target,
                                    lambda: scenarios.create_claims(app, fixture, insert_floor, via=via,
                                                                    seconds=args.seconds, db_url=args.db_url),
                                    f"create claims via {via} on an empty article ({args.seconds} s of wrk)")
                    full = measure(f"Create claim, {via} (16 clients), 10,000-claim article", target,
                                   lambda: scenarios.create_claims(app, fixture, insert_floor, via=via, key="a10k",
                                                                   seconds=args.seconds, db_url=args.db_url),
                                   f"create claims via {via} on the 10,000-claim article ({args.seconds} s of wrk)")
                    results.append(scenarios.flat(via, empty[0], full[0]))
            if {"create_api", "create_htmx"} & args.only:
                measure("Auto-link candidates", "info",
                        lambda: scenarios.autolink_share(args.db_url, fixture.project_slugs["bench"]),
                        "desk memory's auto-link candidate query alone")

    if "export" in args.only:
        export_project = _project_id(fixture.project_slugs["export"])
        peaks = {}
        for fmt in ("jsonl", "csv"):
            got = measure(f"Export 100,000 verdicts, {fmt.upper()}", "< 1 s, peak < 120 MB",
                          lambda: scenarios.export(export_server, fixture, fmt=fmt, token=fixture.export_token,
                                                   expected=fixture.counts["export_verdicts"],
                                                   project_id=export_project, label="100,000"),
                          f"export 100,000 verdicts as {fmt}")
            peaks[fmt] = got[0].raw.get("peak_kb")
        if args.big:
            big_project = _project_id(fixture.project_slugs["big"])
            for fmt in ("jsonl", "csv"):
                measure(f"Export 1,000,000 verdicts, {fmt.upper()}", "same peak as 100,000",
                        lambda: scenarios.export(export_server, fixture, fmt=fmt, token=fixture.big_token,
                                                 expected=fixture.counts["big_verdicts"], project_id=big_project,
                                                 label="1,000,000", repeat=1, time_target=None,
                                                 same_as_kb=peaks.get(fmt)),
                        f"export 1,000,000 verdicts as {fmt}")

    from db import server_version

    info = report.machine(server_version(args.db_url),
                          f"gunicorn {args.workers} {args.worker_class} worker(s)"
                          + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
                          + "; exports on 1 sync worker; load from wrk 4.1 (1 thread, 16 connections, "
                          + f"{args.seconds} s)")
    info["floor: single-row INSERT, 16 threads"] = (
        f"{insert_floor['rate']:,.0f}/s, median {insert_floor['median'] * 1000:.2f} ms, "
        f"p99 {insert_floor['p99'] * 1000:.2f} ms")
    info["total time"] = f"{time.monotonic() - started:.0f} s"
    text = report.render(results, info)
    report.save(scenarios.OUT, results, info, text)
    print()
    print(text)
    print(f"(also in {scenarios.OUT / 'latest.md'})")
    return 0 if all(r.outcome in ("pass", "info") for r in results) else 1


def _project_id(slug):
    from annotate.models import Project

    return Project.objects.get(slug=slug).pk


def _tune(args, env, fixture, servers, scenarios, floor, logs, started) -> int:
    insert_floor = floor.insert_rate(args.db_url, fixture.article_ids["floor"], seconds=2)
    configs = [("sync", 2, 1), ("sync", 3, 1), ("sync", 4, 1), ("gthread", 2, 4), ("gthread", 2, 8),
               ("gthread", 3, 4)]
    for worker_class, workers, threads in configs:
        with servers.Gunicorn(env, workers=workers, worker_class=worker_class, threads=threads,
                              log=logs / "gunicorn-tune.log", name="tune").start() as app:
            for via in ("api", "htmx"):
                r = scenarios.create_claims(app, fixture, insert_floor, via=via, seconds=4)
                _step(f"{app.describe:28} {via:5} {r.median:30} p99 {r.p99:9} {r.outcome}", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
