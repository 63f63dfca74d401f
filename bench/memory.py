"""Desk memory on PostgreSQL: similar-claims lookup with 100,000 claims in the project (target
< 50 ms median) and search over 10,000 articles / 100,000 claims (target < 100 ms median),
each beside a plain-SQL floor measured in the same run, on two data sets:

- `varied` (bench/claimgen.py): a desk's claims with varied topics, places, institutions,
  people and figures, a tenth of them restating an earlier claim in other words;
- `templates` (bench/textgen.py): every claim one of 14 sentence templates with small
  word lists, so each new claim has thousands of near-identical neighbours: the worst case.

    .venv/bin/python bench/memory.py [--data varied,templates] [--keep-db] [--articles 10000] [--claims-per-article 10]

(also run by `make bench`). Each data set gets its own database, factmark_bench_memory_<data>
(BENCH_MEMORY_DATABASE_URL names the base), created, filled by COPY (the search triggers
fire for every row, as in production), measured and dropped. The app's timings are the
Python functions the views call (annotate.memory.similar.ranked,
annotate.memory.search.search), not HTTP: the page adds its render on top. The floors are
one psycopg query each: the lookup's own candidate query (annotate.memory.similar's SQL,
same parameters) and, for search, the GIN @@ match ranked by ts_rank in one configuration.
"""

import argparse
from dataclasses import replace
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import claimgen  # noqa: E402
import db  # noqa: E402
import textgen  # noqa: E402

QUERIES = ["unemployment", "hospital waiting times", '"child poverty" Northbridge', "inflation -rents", "emissions OR pension",
           "central bank", "Maria Lindqvist", "road deaths rose", "broadband", "water quality port authority"]
VARIED_QUERIES = ["dental waiting lists", "ferry fares", '"rail subsidies" Ashford', "housing evictions -rural", "strikes OR outages",
                  "health board", "Greta Lindgren", "pension debts rose", "broadband", "water company fines"]


class Templates:
    """The worst case: textgen's 14 templates (no claimants); new claims are more of the same."""

    name = "templates"
    queries = QUERIES

    def __init__(self, seed=13):
        self.rng = random.Random(seed)

    def article(self, i, per_article):
        title = f"{self.rng.choice(textgen.TOPICS).capitalize()} in {self.rng.choice(textgen.PLACES)} ({i})"
        return title, [(textgen._sentence(self.rng), "", None) for _ in range(per_article)]

    def new_claims(self, count):
        return [(textgen._sentence(self.rng), "", None) for _ in range(count)]


class Varied:
    """A desk's claims (claimgen): varied vocabulary, a tenth restating an earlier claim.

    New claims: every other one restates a claim already in the project (its frame is the
    key the lookup should find), the others are new frames (nothing should be suggested)."""

    name = "varied"
    queries = VARIED_QUERIES

    def __init__(self, seed=13):
        self.rng = random.Random(seed)
        self.made = []

    def article(self, i, per_article):
        made = claimgen.claims(self.rng, per_article) if not self.made else [
            self._next() for _ in range(per_article)]
        self.made.extend(made)
        title = f"{made[0].frame.topic.capitalize()} in {made[0].frame.place} ({i})"
        return title, [(c.text, c.claimant, c.frame) for c in made]

    def _next(self):
        if self.rng.random() < 0.1:
            f, text = claimgen.restate(self.rng.choice(self.made).frame, self.rng)
            return claimgen.Claim(text, f.claimant, f)
        f = claimgen.frame(self.rng)
        return claimgen.Claim(claimgen.render(f, self.rng), f.claimant, f)

    def new_claims(self, count):
        out = []
        for k in range(count):
            if k % 2 == 0:
                f, text = claimgen.restate(self.rng.choice(self.made).frame, self.rng)
            else:
                f = claimgen.frame(self.rng)
                text = claimgen.render(f, self.rng)
            out.append((text, f.claimant, f))
        return out


def _times_ms(fn, runs):
    times = []
    for arg in runs:
        t = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t) * 1000)
    return times


def _median_p90(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _backend_cpu_ms():
    """CPU time (user + system) of Django's PostgreSQL backend process so far (ms); 0 when /proc is not readable."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _with_cpu(fn):
    """fn()'s result and the CPU it took: (Python process ms, PostgreSQL backend ms)."""
    py, pg = time.process_time(), _backend_cpu_ms()
    result = fn()
    return result, ((time.process_time() - py) * 1000, _backend_cpu_ms() - pg)


def build(url, data, articles, per_article):
    """One project, `articles` articles of `per_article` sentences, each sentence a claim (COPY).

    Returns the project, the user and {claim id: frame} (frames only for the varied data)."""
    import psycopg
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotate.memory.claimants import normalise_claimant
    from annotate.models import Project

    user = get_user_model().objects.create_user("bench", password="bench-only")
    project = Project.objects.create(slug="memory-bench", name="Memory bench")
    total = articles * per_article
    frames = {}
    t = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        first = _reserve(cur, "annotate_article", articles)
        span_first = _reserve(cur, "annotate_span", total)
        claim_first = _reserve(cur, "annotate_claim", total)
        bodies = []
        with cur.copy("COPY annotate_article (id, project_id, title, body, source_url, publisher, author, content_hash, revision, language, created_by_id) FROM STDIN") as copy:
            for i in range(articles):
                title, sentences = data.article(i, per_article)
                body = "\n\n".join(text for text, _, _ in sentences)
                bodies.append((first + i, sentences))
                copy.write_row((first + i, project.pk, title, body, "", "Bench Gazette", "", f"{i:064d}", 1, "en", user.pk))
        claims = []
        with cur.copy('COPY annotate_span (id, article_id, start, "end", quote, prefix, suffix, revision, orphaned, anchor_method, revised_quote) FROM STDIN') as copy:
            n = 0
            for article_id, sentences in bodies:
                offset = 0
                for text, claimant, frame in sentences:
                    copy.write_row((span_first + n, article_id, offset, offset + len(text), text, "", "", 1, False, "exact", ""))
                    claims.append((claim_first + n, article_id, span_first + n, text, claimant))
                    if frame is not None:
                        frames[claim_first + n] = frame
                    offset += len(text) + 2
                    n += 1
        with cur.copy("COPY annotate_claim (id, project_id, article_id, span_id, text, claimant, claimant_key, status, version, final_rationale, created_by_id) FROM STDIN") as copy:
            for pk, article_id, span_id, text, claimant in claims:
                copy.write_row((pk, project.pk, article_id, span_id, text, claimant, normalise_claimant(claimant), "open", 1, "", user.pk))
        conn.commit()
    print(f"  {data.name}: built {articles:,} articles and {len(claims):,} claims (search documents by trigger) in {time.perf_counter() - t:.0f} s")
    connection.close()
    return project, user, frames


def _reserve(cur, table, count):
    cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    first = cur.fetchone()[0]
    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", (first + count,))
    return first


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="varied,templates", help="comma-separated: varied, templates")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    kinds = {"varied": Varied, "templates": Templates}
    chosen = [kinds[name.strip()] for name in args.data.split(",") if name.strip()]
    base = os.environ.get("BENCH_MEMORY_DATABASE_URL", db.with_database(os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL), "factmark_bench_memory"))
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings", "AXES_ENABLED": "0"})
    rows, notes = [], []
    for kind in chosen:
        url = db.with_database(base, f"{db.database_name(base)}_{kind.name}")
        db.recreate(url)
        os.environ["DATABASE_URL"] = url
        _connect_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            got_rows, got_notes = measure(url, kind(), args)
            rows += got_rows
            notes += got_notes
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep_db:
                db.drop(url)
    print("\n| desk memory | data | app median | app p90 | plain-SQL floor (median) | ratio | target |\n|---|---|---|---|---|---|---|")
    failed = False
    for name, data, (app, p90), (floor, _), target in rows:
        verdict = "OK" if app < target else "TOO SLOW"
        failed |= app >= target
        print(f"| {name} | {data} | {app:.1f} ms | {p90:.1f} ms | {floor:.1f} ms | {app / floor:.1f}× | < {target} ms {verdict} |")
    print()
    for note in notes:
        print(f"- {note}")
    return 1 if failed else 0


def _connect_django(url):
    """Django set up once; later data sets point the default connection at their database."""
    import django
    from django.conf import settings

    if not settings.configured:
        django.setup()
        return
    from django.db import connections

    connections.close_all()
    name = db.database_name(url)
    for alias in ("default",):
        connections.databases[alias]["NAME"] = name
        connections[alias].settings_dict["NAME"] = name


def measure(url, data, args):
    import psycopg

    from annotate import services
    from annotate.extract import Extracted
    from annotate.memory import search, similar
    from annotate.models import Article

    project, user, frames = build(url, data, args.articles, args.claims_per_article)
    new = data.new_claims(args.runs)
    body = "\n\n".join(text for text, _, _ in new)
    article = services.import_article(project, user, Extracted(title="New claims", body=body))
    new_claims, position = [], 0
    for text, claimant, frame in new:
        start = body.index(text, position)
        position = start + len(text)
        claim = services.add_claim(article, user, start, start + len(text), text, claimant=claimant)
        claim.project = project
        new_claims.append((claim, frame))
    notes = []
    with psycopg.connect(url, autocommit=True) as conn:
        # As loaded: the GIN index's pending list holds what the triggers inserted since it was last merged.
        conn.execute("ANALYZE")
        loaded = _median_p90(_times_ms(lambda cf: similar.ranked(cf[0], decided={}), new_claims))
        # The steady state: autovacuum merges the pending list into the index (done here now; it says how many pages).
        pending = conn.execute("SELECT gin_clean_pending_list('searchdoc_vector_gin') + gin_clean_pending_list('searchdoc_claim_vector_gin')").fetchone()[0]
        conn.execute("VACUUM ANALYZE")
    found = {}
    lookup_times, cpu = _with_cpu(lambda: _times_ms(lambda cf: found.__setitem__(cf[0].pk, similar.ranked(cf[0], decided={})), new_claims))
    lookup = _median_p90(lookup_times)
    notes.append(f"{data.name}: similar claims: CPU per lookup {cpu[0] / len(new_claims):.1f} ms in Python, "
                 f"{cpu[1] / len(new_claims):.1f} ms in the PostgreSQL backend; right after loading, before the GIN pending lists "
                 f"are merged ({pending} pages): median {loaded[0]:.1f} ms, p90 {loaded[1]:.1f} ms")
    # The floor: the same statement over plain psycopg, not prepared (Django does not prepare either).
    with psycopg.connect(url, prepare_threshold=None) as conn:
        floor_lookup = _median_p90(_times_ms(lambda cf: similar.candidate_floor(conn, cf[0]), new_claims))
        queries = (data.queries * (args.runs // len(data.queries) + 1))[:args.runs]
        searched = _median_p90(_times_ms(lambda q: search.search(project, search.Params(q=q)), queries))
        floor_search = _median_p90(_times_ms(lambda q: conn.execute(
            "SELECT id FROM annotate_searchdocument WHERE project_id = %s AND vector @@ websearch_to_tsquery('english', %s)"
            " ORDER BY ts_rank(vector, websearch_to_tsquery('english', %s)) DESC LIMIT 21", (project.pk, q, q)).fetchall(), queries))
    articles = Article.objects.filter(project=project).count()
    claims = args.articles * args.claims_per_article
    notes.insert(0, f"{data.name}: {len(new_claims)} lookups, {len(queries)} searches")
    if frames:
        # What is claimed, whoever says it: a restatement by another claimant is the same claim.
        by_frame = {}
        for pk, f in frames.items():
            by_frame.setdefault(replace(f, claimant=""), set()).add(pk)
        new_claims = [(c, replace(f, claimant="")) for c, f in new_claims]
        restated = [(c, f) for c, f in new_claims if f in by_frame]
        hits = sum(1 for c, f in restated if any(s.candidate.id in by_frame[f] for s in found[c.pk][:5]))
        shortlisted = sum(1 for c, f in restated if any(k.id in by_frame[f] for k in similar.candidates(c)))
        fresh = [c for c, f in new_claims if f not in by_frame]
        wrong = sum(1 for c in fresh if found[c.pk])
        notes.append(f"{data.name}: restated claims whose earlier claim is among the first five suggestions: {hits} of {len(restated)} "
                     f"(among the {similar.CANDIDATES} candidates scored: {shortlisted}); "
                     f"new claims with any suggestion: {wrong} of {len(fresh)}")
    rows = [
        ("similar claims for a new claim", f"{data.name}, {claims:,} claims", lookup, floor_lookup, 50),
        ("search (all kinds, ranked, highlighted)", f"{data.name}, {articles:,} articles", searched, floor_search, 100),
    ]
    return rows, notes


if __name__ == "__main__":
    sys.exit(main())
