"""`make profile`: a flame graph of API claim creation under load, recorded with py-spy.

    .venv/bin/python bench/flame.py                 # build the data, serve, load, record
    .venv/bin/python bench/flame.py --seconds 15 --rate 250

The same set-up as `make bench` (bench/run.py): its own PostgreSQL database (dropped at
the end), gunicorn as in production, wrk with 16 connections POSTing /api/v1/claims/.
py-spy samples the gunicorn master and its workers (--subprocesses) from outside the
processes, so the code under test is unchanged. It writes:

- bench/out/profile-create_api.svg  the flame graph (open it in a browser),
- bench/out/profile-create_api.txt  the collapsed stacks (one line per stack and its samples),

and prints the top of the profile: the functions with the most samples on the stack
(inclusive) and at the top of it (own time), in the app, Django, DRF and psycopg.
Needs py-spy (requirements-dev.txt) and permission to read other processes' memory
(root, or kernel.yama.ptrace_scope = 0 for the same user).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import db  # noqa: E402

OUT = BENCH / "out"
PY_SPY = ROOT / ".venv" / "bin" / "py-spy"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=12, help="load and recording time (default 12)")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second (default 200)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--top", type=int, default=25, help="rows of each top list")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true",
                        help="use the database and fixture kept by `bench/run.py --keep-db` instead of building")
    parser.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL))
    return parser.parse_args(argv)


def record(pid: int, seconds: int, rate: int, fmt: str, target: Path) -> subprocess.Popen:
    """py-spy on the gunicorn master and its workers; --nonblocking so the workers are never paused."""
    return subprocess.Popen(
        [str(PY_SPY), "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--rate", str(rate),
         "--duration", str(seconds), "--format", fmt, "--output", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _frame_name(frame: str) -> str:
    # A collapsed frame is "function (path/to/file.py:line)"; keep the function and a short path.
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path, _, _line = where.rpartition(":")
    for marker in ("site-packages/", "/work/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


INTERESTING = ("views.py)", "services.py)", "access.py)", "serializers.py)", "claimrows.py)", "similar.py)", "matching.py)",
               "tokencache.py)", "prepared.py)", "auth.py)")
INTERESTING_PATHS = ("annotate/", "rest_framework/", "django/db/models/", "django/db/backends/", "psycopg/", "redis/",
                     "django/contrib/auth/", "django/core/cache/", "django/db/transaction")


def top(collapsed: Path, n: int) -> str:
    """Inclusive and own samples per function, from py-spy's collapsed stacks."""
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        count = int(count)
        # With --subprocesses a stack starts with its processes (the master, then the worker).
        frames = [_frame_name(f) for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [f"{total:,} samples (all processes); share of samples with the function on the stack / at its top:", ""]
    lines.append("Inclusive (the app, DRF, Django's ORM and auth, the drivers; not the server and middleware plumbing)")
    shown = [(frame, count) for frame, count in inclusive.most_common() if frame.endswith(INTERESTING)
             or any(f"({prefix}" in frame for prefix in INTERESTING_PATHS)]
    for frame, count in shown[:n]:
        lines.append(f"  {100 * count / total:5.1f}%  {frame}")
    lines += ["", "Own time"]
    for frame, count in own.most_common(n):
        lines.append(f"  {100 * count / total:5.1f}%  {frame}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not PY_SPY.exists():
        print("profile: py-spy not found; install it with: .venv/bin/pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("profile: wrk not found; install it with: apt-get install wrk", file=sys.stderr)
        return 2
    import run

    env = run.production_env(args.db_url)
    reuse = args.reuse_db and run.FIXTURE_FILE.exists()
    if reuse:
        args.keep_db = True
    try:
        if not reuse:
            db.recreate(args.db_url)
    except db.DatabaseUnavailable as exc:
        print(f"profile: {exc}", file=sys.stderr)
        return 2
    import server as servers

    try:
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True, timeout=300)
        os.environ.update(env)
        # The harness's own connection builds the data (COPY with the search triggers): no request deadline.
        os.environ["DB_STATEMENT_TIMEOUT"] = "0"
        os.environ["DB_ANSWER_TIMEOUT"] = "0"
        import django

        django.setup()
        from django.core.management import call_command

        import data
        import floor
        import scenarios

        call_command("migrate", verbosity=0, interactive=False)
        if reuse:
            fixture = data.load_fixture(run.FIXTURE_FILE)
            data.new_session(fixture)
        else:
            fixture = data.build(dashboard=False)
        insert_floor = floor.insert_rate(args.db_url, fixture.article_ids["floor"], seconds=2)
        OUT.mkdir(parents=True, exist_ok=True)
        svg, raw = OUT / "profile-create_api.svg", OUT / "profile-create_api.txt"
        with servers.Gunicorn(env, workers=args.workers, worker_class="sync", threads=1,
                              log=OUT / "logs" / "gunicorn-profile.log", name="profile").start() as app:
            # Unrecorded first: every worker imports what its first requests need and opens its connections.
            scenarios.create_claims(app, fixture, insert_floor, via="api", seconds=2)
            # Two recorders on the same processes: the picture and the numbers behind the top lists.
            recorders = [record(app.proc.pid, args.seconds + 2, args.rate, "flamegraph", svg),
                         record(app.proc.pid, args.seconds + 2, args.rate, "raw", raw)]
            time.sleep(1)
            result = scenarios.create_claims(app, fixture, insert_floor, via="api", seconds=args.seconds)
            for recorder in recorders:
                try:
                    _, err = recorder.communicate(timeout=60)
                except subprocess.TimeoutExpired:
                    recorder.kill()
                    _, err = recorder.communicate()
                if recorder.returncode != 0:
                    print(f"profile: py-spy failed: {err.decode(errors='replace')[-500:]}", file=sys.stderr)
                    return 1
        print(f"Create claim, API (16 clients) while recorded: {result.median}, p99 {result.p99} ({result.outcome} "
              f"against {result.target}; py-spy's sampling costs some of it)")
        for note in result.notes:
            print(f"  {note}")
        print()
        print(top(raw, args.top))
        print()
        print(f"Flame graph: {svg}\nCollapsed stacks: {raw}")
        return 0
    finally:
        servers.clean_up(args.db_url, args.keep_db)


if __name__ == "__main__":
    sys.exit(main())
