"""Desk memory on PostgreSQL: similar-claims lookup with 100,000 claims in the project (target
< 50 ms median) and search over 10,000 articles / 100,000 claims (target < 100 ms median),
each beside a plain-SQL floor measured in the same run.

    .venv/bin/python bench/memory.py [--keep-db] [--articles 10000] [--claims-per-article 10]

(also run by `make bench`). Its own database, factmark_bench_memory (BENCH_MEMORY_DATABASE_URL
to change it), is created, filled by COPY (the search triggers fire for every row, as in
production), measured and dropped. The app's timings are the Python functions the views
call (annotate.memory.similar.ranked, annotate.memory.search.search), not HTTP: the page
adds its render on top. The floors are one psycopg query each: the 40 nearest claims by
trigram distance (the GiST index walk the lookup starts with), and the GIN @@ match ranked
by ts_rank in one configuration for search.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import db  # noqa: E402
import textgen  # noqa: E402

QUERIES = ["unemployment", "hospital waiting times", '"child poverty" Northbridge', "inflation -rents", "emissions OR pension",
           "central bank", "Maria Lindqvist", "road deaths rose", "broadband", "water quality port authority"]


def _median_ms(fn, runs):
    times = []
    for arg in runs:
        t = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build(articles, per_article):
    """One project, `articles` articles of `per_article` sentences, each sentence a claim (COPY)."""
    import psycopg
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.models import Project

    user = get_user_model().objects.create_user("bench", password="bench-only")
    project = Project.objects.create(slug="memory-bench", name="Memory bench")
    rng = random.Random(13)
    url = os.environ["DATABASE_URL"]
    t = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence('annotate_article', 'id'))")
        first = cur.fetchone()[0]
        cur.execute("SELECT setval(pg_get_serial_sequence('annotate_article', 'id'), %s)", (first + articles,))
        bodies = []
        with cur.copy("COPY annotate_article (id, project_id, title, body, source_url, publisher, author, content_hash, revision, language, created_by_id) FROM STDIN") as copy:
            for i in range(articles):
                sentences = [textgen._sentence(rng) for _ in range(per_article)]
                body = "\n\n".join(sentences)
                bodies.append((first + i, sentences))
                title = f"{rng.choice(textgen.TOPICS).capitalize()} in {rng.choice(textgen.PLACES)} ({i})"
                copy.write_row((first + i, project.pk, title, body, "", "Bench Gazette", "", f"{i:064d}", 1, "en", user.pk))
        cur.execute("SELECT nextval(pg_get_serial_sequence('annotate_span', 'id'))")
        span_first = cur.fetchone()[0]
        total = articles * per_article
        cur.execute("SELECT setval(pg_get_serial_sequence('annotate_span', 'id'), %s)", (span_first + total,))
        claims = []
        with cur.copy('COPY annotate_span (id, article_id, start, "end", quote, prefix, suffix, revision, orphaned, anchor_method) FROM STDIN') as copy:
            n = 0
            for article_id, sentences in bodies:
                offset = 0
                for s in sentences:
                    copy.write_row((span_first + n, article_id, offset, offset + len(s), s, "", "", 1, False, "exact"))
                    claims.append((article_id, span_first + n, s))
                    offset += len(s) + 2
                    n += 1
        with cur.copy("COPY annotate_claim (project_id, article_id, span_id, text, claimant, claimant_key, status, version, final_rationale, created_by_id) FROM STDIN") as copy:
            for article_id, span_id, s in claims:
                copy.write_row((project.pk, article_id, span_id, s, "", "", "open", 1, "", user.pk))
        conn.commit()
        cur.execute("ANALYZE")
    print(f"  built {articles:,} articles and {len(claims):,} claims (search documents by trigger) in {time.perf_counter() - t:.0f} s")
    connection.close()
    return project, user, rng


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_MEMORY_DATABASE_URL", db.with_database(os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL), "factmark_bench_memory"))
    db.recreate(url)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "AXES_ENABLED": "0"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        return measure(url, args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            db.drop(url)


def measure(url, args):
    import psycopg

    from annotate import services
    from annotate.memory import search, similar
    from annotate.models import Article

    project, user, rng = build(args.articles, args.claims_per_article)
    # New claims to look up: sentences of the same generator in a new article (near-repeats of existing claims).
    sentences = [textgen._sentence(rng) for _ in range(args.runs)]
    body = "\n\n".join(sentences)
    from annotate.extract import Extracted

    article = services.import_article(project, user, Extracted(title="New claims", body=body))
    new_claims = []
    for s in sentences:
        start = body.index(s)
        claim = services.add_claim(article, user, start, start + len(s), s)
        claim.project = project
        new_claims.append(claim)
    lookup = _median_ms(lambda c: similar.ranked(c, decided={}), new_claims)
    with psycopg.connect(url) as conn:
        floor_lookup = _median_ms(lambda c: conn.execute(
            "SELECT id FROM annotate_claim WHERE project_id = %s AND id < %s ORDER BY text <-> %s LIMIT 40",
            (project.pk, c.pk, c.text)).fetchall(), new_claims)
        queries = (QUERIES * (args.runs // len(QUERIES) + 1))[:args.runs]
        found = _median_ms(lambda q: search.search(project, search.Params(q=q)), queries)
        floor_search = _median_ms(lambda q: conn.execute(
            "SELECT id FROM annotate_searchdocument WHERE project_id = %s AND vector @@ websearch_to_tsquery('english', %s)"
            " ORDER BY ts_rank(vector, websearch_to_tsquery('english', %s)) DESC LIMIT 21", (project.pk, q, q)).fetchall(), queries)
    articles = Article.objects.filter(project=project).count()
    rows = [
        ("similar claims for a new claim", f"{args.articles * args.claims_per_article:,} claims", lookup, floor_lookup, 50),
        ("search (all kinds, ranked, highlighted)", f"{articles:,} articles", found, floor_search, 100),
    ]
    print("\n| desk memory | data | app median | plain-SQL floor | target |\n|---|---|---|---|---|")
    for name, data, app, floor, target in rows:
        verdict = "OK" if app < target else "TOO SLOW"
        print(f"| {name} | {data} | {app:.1f} ms | {floor:.1f} ms | < {target} ms {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
