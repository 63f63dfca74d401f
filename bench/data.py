"""Benchmark data, built straight into the database: bulk_create and COPY (and SQL for the big set).

Runs inside Django (the orchestrator calls `django.setup()` first). Layout:

- project ``bench`` (users bench-editor: editor, bench-reviewer: reviewer):
  ``write`` article (20,000 words, no claims: target of the create-claim load),
  ``a1k`` and ``a10k`` (1,000 and 10,000 claims, each with 1 or 2 verdicts),
  ``reanchor`` (1,000 claims: revised in-process), ``floor`` (plain-SQL inserts).
- project ``bench-export`` (user bench-exporter, a member of nothing else):
  ten 20,000-word articles x 6,000 claims, 4,000 of them with 2 verdicts:
  100,000 verdicts.
- project ``bench-big`` (``--big``; bench-big-exporter): the export project copied
  ten times in SQL: 1,000,000 verdicts.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field

import textgen

PASSWORD = "bench-" + secrets.token_urlsafe(12)


@dataclass
class Fixture:
    article_ids: dict[str, int] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    token: str = ""  # API token of bench-editor
    export_token: str = ""  # bench-exporter: sees only the 100,000 verdicts
    big_token: str = ""  # bench-big-exporter: sees only the 1,000,000 verdicts
    session: str = ""  # session key of bench-editor
    csrf: str = ""  # CSRF secret, sent as cookie and header
    project_slugs: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def new_session(fixture: Fixture, editor=None) -> None:
    """A session of bench-editor (and a CSRF secret) for the htmx and page scenarios; made again on
    --reuse-db, as each run's SECRET_KEY is new and the session's auth hash depends on it."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    editor = editor or get_user_model().objects.get(username="bench-editor")
    session = SessionStore()
    session["_auth_user_id"] = str(editor.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = editor.get_session_auth_hash()
    session.set_expiry(3600)
    session.create()
    fixture.session = session.session_key
    fixture.csrf = get_random_string(32)


def save_fixture(fixture: Fixture, path) -> None:
    """What a kept database needs to be used again (--keep-db, then --reuse-db): ids, bodies, token, session."""
    import dataclasses
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataclasses.asdict(fixture)))


def load_fixture(path) -> Fixture:
    import json

    return Fixture(**json.loads(path.read_text()))


RATIONALES = [
    "The figure comes from the {y} report and is quoted correctly, but it leaves out the revision published a year later.",
    "Official statistics for {y} show a different trend; the claimant compared two different measures.",
    "We could not find any source for this number. The ministry did not answer our questions.",
    "The statement is accurate for {place} but not for the country as a whole, which the speech implied.",
    "Independent analysts confirm the estimate within a margin of about {n} percent.",
]


def _rationale(rng):
    return rng.choice(RATIONALES).format(y=rng.randint(2010, 2024), place=rng.choice(textgen.PLACES), n=rng.randint(2, 15))


def _article(project, user, key, seed, fixture, title_prefix=""):
    from annotate.models import Article, ArticleRevision
    from annotate.textclean import clean, content_hash

    generated = textgen.article(seed=seed)
    body = clean(generated.body)
    article = Article.objects.create(
        project=project,
        title=(title_prefix + generated.title)[:500],
        body=body,
        source_url=f"https://news.example.org/bench/{key}",
        publisher="The Daily Bench",
        author="Maria Lindqvist",
        content_hash=content_hash(body),
        created_by=user,
    )
    ArticleRevision.objects.create(article=article, number=1, title=article.title, body=body,
                                   content_hash=article.content_hash, created_by=user)
    fixture.article_ids[key] = article.pk
    fixture.bodies[key] = body
    return article


def _reserve_ids(cursor, table, n):
    """Take n ids from the table's sequence in one step (the harness is the only writer)."""
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    first = cursor.fetchone()[0]
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first + n - 1])
    return first


def _copy(cursor, table, columns, rows):
    # COPY, not bulk_create: Django compiles ~30 us of SQL per row, which made the
    # 270,000 rows of the data set cost over a minute on a busy 2-core machine.
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _claims(article, users, ratings, count, rng, second_verdict=lambda i: True):
    """`count` spans + claims on sentence-ish ranges, and 1 or 2 verdicts each; returns verdicts made."""
    from django.db import connection

    from annotate.anchoring import select
    from annotate.memory.claimants import normalise_claimant

    body = article.body
    ranges = textgen.sentence_spans(body, rng, count)
    author = users[0].pk
    with connection.cursor() as cursor:
        first_span = _reserve_ids(cursor, "annotate_span", len(ranges))
        first_claim = _reserve_ids(cursor, "annotate_claim", len(ranges))
        spans, claims, verdicts = [], [], []
        for i, (start, end) in enumerate(ranges):
            quote = select(body, start, end)
            claimant = rng.choice(textgen.PEOPLE)
            spans.append((first_span + i, article.pk, start, end, quote.exact, quote.prefix, quote.suffix,
                          article.revision, False, "exact", author, ""))
            claims.append((first_claim + i, article.project_id, article.pk, first_span + i,
                           " ".join(quote.exact.split()), claimant, normalise_claimant(claimant),
                           rng.choice(["open", "in_review", "needs_second_opinion"]), "", 1, author))
            reviewers = users if second_verdict(i) else users[:1]
            for user in reviewers:
                verdicts.append((first_claim + i, user.pk, rng.choice(ratings).pk, _rationale(rng), 1))
        _copy(cursor, "annotate_span", ["id", "article_id", "start", "end", "quote", "prefix", "suffix",
                                        "revision", "orphaned", "anchor_method", "created_by_id", "revised_quote"], spans)
        _copy(cursor, "annotate_claim", ["id", "project_id", "article_id", "span_id", "text", "claimant", "claimant_key", "status",
                                         "final_rationale", "version", "created_by_id"], claims)
        _copy(cursor, "annotate_verdict", ["claim_id", "reviewer_id", "rating_id", "rationale", "version"], verdicts)
    return len(verdicts)


def build(big: bool = False, dashboard: bool = True) -> Fixture:
    """The data set, built with no statement deadline: the app's 10 s limit is for pages, and the
    search triggers (annotate/migrations/0007) make each bulk insert one long statement."""
    from django.db import connection

    from annotate import dbdeadline

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    try:
        with dbdeadline.longer(0):
            return _build(big, dashboard)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def _build(big: bool, dashboard: bool) -> Fixture:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from annotate.models import ApiToken

    from annotate.models import Membership, Project, Rating

    fixture = Fixture()
    rng = random.Random(20240502)
    User = get_user_model()
    started = time.perf_counter()
    with transaction.atomic():
        editor = User.objects.create_user("bench-editor", "editor@bench.example.org", PASSWORD)
        reviewer = User.objects.create_user("bench-reviewer", "reviewer@bench.example.org", PASSWORD)
        exporter = User.objects.create_user("bench-exporter", "exporter@bench.example.org", PASSWORD)
        project = Project.objects.create(slug="bench", name="Bench desk")
        export_project = Project.objects.create(slug="bench-export", name="Bench export desk")
        Membership.objects.bulk_create([
            Membership(user=editor, project=project, role="editor"),
            Membership(user=reviewer, project=project, role="reviewer"),
            Membership(user=exporter, project=export_project, role="editor"),
            Membership(user=reviewer, project=export_project, role="reviewer"),
        ])
        fixture.project_slugs = {"bench": project.slug, "export": export_project.slug}
        ratings = list(Rating.objects.filter(project=project))
        export_ratings = list(Rating.objects.filter(project=export_project))

        for key, seed in (("write", 1), ("floor", 2), ("write_htmx", 6)):
            _article(project, editor, key, seed, fixture)
        a1k = _article(project, editor, "a1k", 3, fixture)
        a10k = _article(project, editor, "a10k", 4, fixture)
        reanchor = _article(project, editor, "reanchor", 5, fixture)
        fixture.counts["a1k_verdicts"] = _claims(a1k, [editor, reviewer], ratings, 1_000, rng, lambda i: i % 2 == 0)
        fixture.counts["a10k_verdicts"] = _claims(a10k, [editor, reviewer], ratings, 10_000, rng, lambda i: i % 2 == 0)
        _claims(reanchor, [editor], ratings, 1_000, rng, lambda i: False)

        verdicts = 0
        for i in range(10):
            article = _article(export_project, exporter, f"export{i}", 100 + i, fixture)
            # 6,000 claims, two thirds with a second verdict: 10,000 verdicts per article.
            made = _claims(article, [exporter, reviewer], export_ratings, 6_000, rng, lambda i: i % 3 != 2)
            verdicts += made
        fixture.counts["export_verdicts"] = verdicts

        fixture.token = ApiToken.objects.issue(editor)[1]
        fixture.export_token = ApiToken.objects.issue(exporter)[1]
        new_session(fixture, editor)
    fixture.timings["build"] = time.perf_counter() - started
    if big:
        started = time.perf_counter()
        _big(fixture, export_project)
        fixture.timings["build_big"] = time.perf_counter() - started
    if dashboard:  # bench/flame.py profiles claim creation only
        build_dashboard(fixture)
    _analyze()
    return fixture


def _big(fixture, export_project):
    """Copy the export project's ten articles ten times over in SQL: 1,000,000 verdicts in one statement each."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from annotate.models import ApiToken

    from annotate.models import Membership, Project, Rating

    User = get_user_model()
    copies = 10
    # Ids of copies are the originals' plus k * STRIDE, which keeps every span/claim pairing intact.
    stride = 10_000_000
    with transaction.atomic():
        big_user = User.objects.create_user("bench-big-exporter", "big@bench.example.org", PASSWORD)
        project = Project.objects.create(slug="bench-big", name="Bench big export desk")
        Membership.objects.create(user=big_user, project=project, role="editor")
        reviewer = User.objects.get(username="bench-reviewer")
        Membership.objects.create(user=reviewer, project=project, role="reviewer")
        # Map the export project's ratings to the big project's by position.
        rating_map = {
            old: new
            for old, new in zip(
                Rating.objects.filter(project=export_project).order_by("position").values_list("id", flat=True),
                Rating.objects.filter(project=project).order_by("position").values_list("id", flat=True),
            )
        }
        params = {"src": export_project.pk, "dst": project.pk, "stride": stride, "copies": copies,
                  "exporter": User.objects.get(username="bench-exporter").pk, "big_user": big_user.pk}
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_rating_map (old bigint, new bigint) ON COMMIT DROP")
            cur.executemany("INSERT INTO bench_rating_map VALUES (%s, %s)", list(rating_map.items()))
            cur.execute(
                """INSERT INTO annotate_article (id, project_id, title, body, source_url, publisher, author,
                       published_on, content_hash, revision, created_by_id, created_at, updated_at, language)
                   SELECT a.id + k * %(stride)s, %(dst)s, a.title || ' #' || k, a.body, a.source_url || '/' || k,
                          a.publisher, a.author, a.published_on, md5(a.content_hash || k), 1, NULL, now(), now(), a.language
                   FROM annotate_article a, generate_series(1, %(copies)s) k WHERE a.project_id = %(src)s""",
                params,
            )
            cur.execute(
                """INSERT INTO annotate_span (id, article_id, start, "end", quote, prefix, suffix, revision,
                       orphaned, anchor_method, created_by_id, created_at, revised_quote)
                   SELECT s.id + k * %(stride)s, s.article_id + k * %(stride)s, s.start, s."end", s.quote, s.prefix,
                          s.suffix, s.revision, s.orphaned, s.anchor_method, NULL, now(), ''
                   FROM annotate_span s JOIN annotate_article a ON a.id = s.article_id,
                        generate_series(1, %(copies)s) k
                   WHERE a.project_id = %(src)s""",
                params,
            )
            cur.execute(
                """INSERT INTO annotate_claim (id, project_id, article_id, span_id, text, claimant, claimant_key, claim_date, status,
                       final_rating_id, final_rationale, approved_by_id, approved_at, published_at, version,
                       created_by_id, created_at, updated_at)
                   SELECT c.id + k * %(stride)s, %(dst)s, c.article_id + k * %(stride)s, c.span_id + k * %(stride)s,
                          c.text, c.claimant, c.claimant_key, c.claim_date, c.status, NULL, '', NULL, NULL, NULL, 1, NULL, now(), now()
                   FROM annotate_claim c, generate_series(1, %(copies)s) k WHERE c.project_id = %(src)s""",
                params,
            )
            cur.execute(
                """INSERT INTO annotate_verdict (claim_id, reviewer_id, rating_id, rationale, version, created_at,
                       updated_at)
                   SELECT v.claim_id + k * %(stride)s,
                          CASE WHEN v.reviewer_id = %(exporter)s THEN %(big_user)s ELSE v.reviewer_id END,
                          m.new, v.rationale, 1, now(), now()
                   FROM annotate_verdict v JOIN annotate_claim c ON c.id = v.claim_id
                        JOIN bench_rating_map m ON m.old = v.rating_id, generate_series(1, %(copies)s) k
                   WHERE c.project_id = %(src)s""",
                params,
            )
            fixture.counts["big_verdicts"] = cur.rowcount
            for table in ("annotate_article", "annotate_span", "annotate_claim"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        fixture.big_token = ApiToken.objects.issue(big_user)[1]
        fixture.project_slugs["big"] = project.slug


def _analyze():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def build_dashboard(fixture, copies=10):
    """Project ``bench-dash``: the a10k article copied ten times in SQL, 100,000 claims created over
    26 weeks, two fifths published and one fifth approved with final ratings, 50,000 verdicts dated
    a day after their claim, and bench-editor as its editor (its session opens the dashboard)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotate.models import Article, Membership, Project, Rating

    User = get_user_model()
    stride = 20_000_000
    source = Article.objects.get(pk=fixture.article_ids["a10k"])
    started = time.perf_counter()
    with transaction.atomic():
        project = Project.objects.create(slug="bench-dash", name="Bench dashboard desk")
        editor, reviewer = User.objects.get(username="bench-editor"), User.objects.get(username="bench-reviewer")
        Membership.objects.bulk_create([Membership(user=editor, project=project, role="editor"),
                                        Membership(user=reviewer, project=project, role="reviewer")])
        old = list(Rating.objects.filter(project=source.project).order_by("position").values_list("id", flat=True))
        new = list(Rating.objects.filter(project=project).order_by("position").values_list("id", flat=True))
        params = {"src": source.pk, "dst": project.pk, "stride": stride, "copies": copies, "new": new}
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_dash_map (old bigint, new bigint) ON COMMIT DROP")
            cur.executemany("INSERT INTO bench_dash_map VALUES (%s, %s)", list(zip(old, new)))
            cur.execute(
                """INSERT INTO annotate_article (id, project_id, title, body, source_url, publisher, author, published_on,
                       content_hash, revision, created_by_id, created_at, updated_at, language)
                   SELECT a.id + k * %(stride)s, %(dst)s, a.title || ' #' || k, a.body, a.source_url || '/' || k,
                          'Outlet ' || (k %% 4), a.author, a.published_on, md5(a.content_hash || k), 1, NULL, now(), now(), a.language
                   FROM annotate_article a, generate_series(1, %(copies)s) k WHERE a.id = %(src)s""", params)
            cur.execute(
                """INSERT INTO annotate_span (id, article_id, start, "end", quote, prefix, suffix, revision, orphaned,
                       anchor_method, created_by_id, created_at, revised_quote)
                   SELECT s.id + k * %(stride)s, s.article_id + k * %(stride)s, s.start, s."end", s.quote, s.prefix,
                          s.suffix, 1, false, 'exact', NULL, now(), ''
                   FROM annotate_span s, generate_series(1, %(copies)s) k WHERE s.article_id = %(src)s""", params)
            cur.execute(
                """INSERT INTO annotate_claim (id, project_id, article_id, span_id, text, claimant, claimant_key, claim_date, status,
                       final_rating_id, final_rationale, approved_by_id, approved_at, published_at, version,
                       created_by_id, created_at, updated_at)
                   SELECT id, %(dst)s, article_id, span_id, text, claimant, claimant_key, NULL,
                          CASE WHEN r < 2 THEN 'published' WHEN r = 2 THEN 'approved' ELSE status END,
                          CASE WHEN r < 3 THEN (%(new)s::bigint[])[1 + (id %% 6)] END,
                          CASE WHEN r < 3 THEN 'Settled.' ELSE '' END, NULL,
                          CASE WHEN r < 3 THEN created + interval '1 day' * (1 + (id %% 9)) END,
                          CASE WHEN r < 2 THEN created + interval '1 day' * (1 + (id %% 9)) + interval '3 hours' END,
                          1, NULL, created, created
                   FROM (SELECT c.id + k * %(stride)s AS id, c.article_id + k * %(stride)s AS article_id,
                                c.span_id + k * %(stride)s AS span_id, c.text, c.claimant, c.claimant_key, c.status,
                                (c.id + k) %% 5 AS r, now() - interval '26 weeks' * random() AS created
                         FROM annotate_claim c, generate_series(1, %(copies)s) k WHERE c.article_id = %(src)s) base""",
                params)
            fixture.counts["dashboard_claims"] = cur.rowcount
            cur.execute(
                """INSERT INTO annotate_verdict (claim_id, reviewer_id, rating_id, rationale, version, created_at, updated_at)
                   SELECT nc.id, v.reviewer_id, m.new, '', 1, nc.created_at + interval '1 day', nc.created_at + interval '1 day'
                   FROM annotate_verdict v JOIN annotate_claim oc ON oc.id = v.claim_id
                        JOIN bench_dash_map m ON m.old = v.rating_id
                        JOIN annotate_claim nc ON nc.span_id %% %(stride)s = oc.span_id AND nc.project_id = %(dst)s
                   WHERE oc.article_id = %(src)s""", params)
            fixture.counts["dashboard_verdicts"] = cur.rowcount
            cur.execute(
                """INSERT INTO annotate_claim_assignees (claim_id, user_id)
                   SELECT id, %(reviewer)s FROM annotate_claim WHERE project_id = %(dst)s AND id %% 7 = 0""",
                params | {"reviewer": reviewer.pk})
            for table in ("annotate_article", "annotate_span", "annotate_claim"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    fixture.project_slugs["dashboard"] = project.slug
    fixture.timings["build_dashboard"] = time.perf_counter() - started
