"""Plain-PostgreSQL floors: the same work with psycopg and SQL only, measured in the same run.

The app cannot beat these; the ratio app/floor says how much the web stack
(Django, DRF, templates, Python serialisation) adds on this machine today.
"""

from __future__ import annotations

import statistics
import threading
import time

import psycopg

from stats import percentile


def insert_rate(url: str, article_id: int, seconds: float = 3.0, threads: int = 16, limit: int = 200_000) -> dict:
    """Single-row INSERTs into annotate_span (its indexes, checks and FK), autocommit, from 16 threads."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    start_gate = threading.Barrier(threads + 1)
    # Until the main thread sets it after the gate: a worker that passes the gate first must not
    # see an expired deadline (on a busy machine every worker did, and the floor had no samples).
    deadline = [float("inf")]
    per_thread = limit // threads
    errors: list[BaseException] = []

    def worker(i):
        try:
            with psycopg.connect(url, autocommit=True, options="-c jit=off") as conn:
                cur = conn.cursor()
                start_gate.wait(timeout=30)
                mine = latencies[i]
                n = 0
                while n < per_thread and time.perf_counter() < deadline[0]:
                    offset = (i * per_thread + n) % 100_000
                    t = time.perf_counter()
                    cur.execute(
                        'INSERT INTO annotate_span (article_id, start, "end", quote, prefix, suffix, revision,'
                        " orphaned, anchor_method, revised_quote) VALUES (%s, %s, %s, %s, %s, %s, 1, false, 'exact', '')",
                        (article_id, offset, offset + 40, "the figure quoted by the minister in 2021",
                         "According to officials, ", " which was later revised."),
                    )
                    mine.append(time.perf_counter() - t)
                    n += 1
        except BaseException as exc:  # reported below, never swallowed
            errors.append(exc)
            start_gate.abort()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    start_gate.wait(timeout=30)
    began = time.perf_counter()
    deadline[0] = began + seconds
    for t in pool:
        t.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    flat = [x for xs in latencies for x in xs]
    with psycopg.connect(url, autocommit=True, options="-c jit=off") as conn:
        conn.execute("DELETE FROM annotate_span WHERE article_id = %s", (article_id,))
    return {"rate": len(flat) / elapsed, "median": statistics.median(flat), "p99": percentile(flat, 99), "n": len(flat)}


def _timed(fn, repeat: int, budget: float) -> list[float]:
    """Run fn up to `repeat` times or until `budget` seconds are spent (at least once)."""
    times, stop = [], time.perf_counter() + budget
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() > stop:
            break
    return times


def review_fetch(url: str, article_id: int, repeat: int = 20) -> list[float]:
    """The article row and its spans with their claims, in text order: what the review page must read."""
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            with conn.cursor() as cur:
                cur.execute("SELECT id, title, body, revision FROM annotate_article WHERE id = %s", (article_id,))
                cur.fetchone()
                cur.execute(
                    'SELECT s.id, s.start, s."end", s.orphaned, c.id, c.text, c.status, c.final_rating_id'
                    " FROM annotate_span s JOIN annotate_claim c ON c.span_id = s.id"
                    ' WHERE s.article_id = %s ORDER BY s.start, s."end" DESC, s.id',
                    (article_id,),
                )
                cur.fetchall()

        run()  # warm the cache and the plan
        return _timed(run, repeat, 10)


def list_json(url: str, article_id: int, repeat: int = 20) -> list[float]:
    """All claims of one article with their spans as one JSON document (json_agg)."""
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT json_agg(t)::text FROM (SELECT c.id, c.article_id AS article, c.text, c.claimant,"
                    ' c.status, c.version, c.updated_at, s.start, s."end", s.quote, s.prefix, s.suffix'
                    " FROM annotate_claim c JOIN annotate_span s ON s.id = c.span_id"
                    " WHERE c.article_id = %s ORDER BY c.id) t",
                    (article_id,),
                )
                cur.fetchone()

        run()
        return _timed(run, repeat, 10)


EXPORT_SELECT = """
    SELECT v.id AS verdict_id, p.slug AS project, c.id AS claim_id, c.text AS claim_text, c.claimant, s.quote,
           r.label AS rating, r.value AS rating_value, v.rationale, u.username AS reviewer, a.id AS article_id,
           a.title AS article_title, a.source_url AS article_url, c.status AS claim_status,
           f.label AS final_rating, f.value AS final_rating_value, v.created_at, v.updated_at, c.published_at
    FROM annotate_verdict v
    JOIN annotate_claim c ON c.id = v.claim_id
    JOIN annotate_project p ON p.id = c.project_id
    JOIN annotate_span s ON s.id = c.span_id
    JOIN annotate_rating r ON r.id = v.rating_id
    JOIN auth_user u ON u.id = v.reviewer_id
    JOIN annotate_article a ON a.id = c.article_id
    LEFT JOIN annotate_rating f ON f.id = c.final_rating_id
    WHERE c.project_id = {project}
    ORDER BY v.id
"""


def export_copy(url: str, project_id: int, fmt: str, repeat: int = 3) -> tuple[list[float], int]:
    """COPY (SELECT …) TO STDOUT of every verdict of a project with the export's 19 columns, as JSON lines or CSV."""
    inner = EXPORT_SELECT.format(project=int(project_id))
    if fmt == "jsonl":
        statement = f"COPY (SELECT row_to_json(t) FROM ({inner}) t) TO STDOUT"
    else:
        statement = f"COPY ({inner}) TO STDOUT WITH (FORMAT csv, HEADER)"
    size = [0]
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            total = 0
            with conn.cursor() as cur, cur.copy(statement) as copy:
                for block in copy:
                    total += len(block)
            size[0] = total

        return _timed(run, repeat, 20), size[0]


def insert_article(url: str, project_id: int, body: str, repeat: int = 10) -> list[float]:
    """INSERT one article row of that size, rolled back: the database's part of an import."""
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            with conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO annotate_article (project_id, title, body, source_url, publisher, author,"
                    " content_hash, revision, language) VALUES (%s, 'floor', %s, '', '', '', md5(random()::text), 1, 'en')",
                    (project_id, body),
                )
            conn.rollback()

        run()
        return _timed(run, repeat, 5)


def dashboard_weeks(url: str, project_id: int, since, until, repeat: int = 10) -> list[float]:
    """The project's claims counted per week over the range: the smallest aggregate an uncached
    dashboard must run (it runs seven of this kind, over claims and verdicts)."""
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT date_trunc('week', created_at AT TIME ZONE 'UTC'), count(*) FROM annotate_claim"
                    " WHERE project_id = %s AND created_at >= %s AND created_at < %s GROUP BY 1",
                    (project_id, since, until),
                )
                cur.fetchall()

        run()
        return _timed(run, repeat, 10)


def replay(url: str, statements: list[str], repeat: int = 10) -> list[float]:
    """The very statements a request ran (as Django logged them, parameters inlined), run again
    over plain psycopg in one transaction that is rolled back: the database's share of that request."""
    with psycopg.connect(url, options="-c jit=off") as conn:
        def run():
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
                    if cur.description:
                        cur.fetchall()
            conn.rollback()

        run()
        return _timed(run, repeat, 20)
