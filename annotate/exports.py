"""Export formats built from the same records, shared by the REST API and `manage.py export_verdicts`.

- Verdict rows (one per reviewer verdict) for CSV, JSON Lines and JSON, streamed with
  constant memory and never an article body: on PostgreSQL the database writes the rows
  (COPY … TO STDOUT) and Python forwards ~64 KB chunks; on SQLite `.values_list()` of the
  needed columns is iterated and written in small chunks. See `verdict_chunks`.
- W3C Web Annotation dicts (one annotation per claim), AnnotationPage and AnnotationCollection.
- ClaimReview dicts come from `annotate.claimreview.claim_review`; this module only loads
  the claims and the scale bounds in batches.

Every builder takes `base`, the absolute origin ("https://factmark.example.org"), so the
API (from the request) and the command (from --base-url) produce the same output.
"""

import csv
import io
import json
from collections import defaultdict
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.db.models.lookups import In
from django.urls import reverse

from annotate import dbdeadline
from annotate.sqljson import IsoText, JSONText, JSONTimestamp
from annotate.claimreview import claim_review, public_url, scale_bounds
from annotate.memory import appearances
from annotate.models import Claim, Evidence, Rating, Status, Verdict
from annotate.urltemplates import url_template

CHUNK_SIZE = 2000  # rows fetched per round trip of the server-side cursor
FLUSH_ROWS = 200  # rows written per streamed chunk (tens of KB)

# JSON for one row: the C encoder, built once (json.dumps would build one per call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def encode_json(data):
    """Compact JSON, non-ASCII kept: how every export writes an object."""
    return _encode(data)


def iso(value):
    """A datetime or date in ISO 8601 ("2025-05-01T08:00:00.123456+00:00"); None stays None.

    The one timestamp format of the API and the exports: what PostgreSQL's JSON writes,
    what sqljson.IsoText writes, and what Python's isoformat() writes for UTC values.
    """
    return None if value is None else value.isoformat()


# --- verdict rows ------------------------------------------------------------------

# (column, ORM path). One row per verdict; claim, article and final verdict joined in.
VERDICT_COLUMNS = (
    ("verdict_id", "id"),
    ("project", "claim__project__slug"),
    ("claim_id", "claim_id"),
    ("claim_text", "claim__text"),
    ("claimant", "claim__claimant"),
    ("quote", "claim__span__quote"),
    ("rating", "rating__label"),
    ("rating_value", "rating__value"),
    ("rationale", "rationale"),
    ("reviewer", "reviewer__username"),
    ("article_id", "claim__article_id"),
    ("article_title", "claim__article__title"),
    ("article_url", "claim__article__source_url"),
    ("claim_status", "claim__status"),
    ("final_rating", "claim__final_rating__label"),
    ("final_rating_value", "claim__final_rating__value"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("published_at", "claim__published_at"),
)
VERDICT_KEYS = tuple(name for name, _ in VERDICT_COLUMNS)

# Spreadsheets run a cell starting with one of these as a formula (CSV injection);
# tab and carriage return are on OWASP's list too.
FORMULA_START = "=+-@\t\r"
# Columns holding text someone typed (or a slug/username that may start with "-" or "@").
_TEXT_COLUMNS = frozenset({"project", "claim_text", "claimant", "quote", "rating", "rationale", "reviewer",
                           "article_title", "article_url", "claim_status", "final_rating"})  # fmt: skip


def neutralise(value):
    """'=SUM(A1)' -> "'=SUM(A1)": a leading apostrophe makes a spreadsheet show the text as text."""
    if value and value[0] in FORMULA_START:
        return "'" + value
    return value


def _neutralised(path):
    """neutralise() done by the database."""
    return Case(
        When(In(Left(F(path), 1), list(FORMULA_START)), then=Concat(Value("'"), F(path))),
        default=F(path),
        output_field=TextField(),
    )


def verdict_export_queryset(queryset=None):
    """Verdicts in export order (by id: the primary key index, stable under inserts)."""
    queryset = Verdict.objects.all() if queryset is None else queryset
    return queryset.order_by("id")


def _select(queryset, columns):
    """SQL of the export rows, one column per VERDICT_KEYS name (aliased: annotations may not
    reuse field names such as claim_id, so they are prefixed inside and renamed outside)."""
    sql, params = queryset.values(**{f"x_{name}": expression for name, expression in columns.items()}).query.sql_with_params()
    outer = ", ".join(f'"x_{name}" AS "{name}"' for name in columns)
    return f"SELECT {outer} FROM ({sql}) export", params


def _csv_columns():
    """Timestamps as ISO text (as in the JSON), user text neutralised for spreadsheets."""
    return {
        name: IsoText(path) if name.endswith("_at") else (_neutralised(path) if name in _TEXT_COLUMNS else F(path))
        for name, path in VERDICT_COLUMNS
    }


def _matches_nothing(queryset):
    """True when no row can match (a filter such as ?claim=1.5 or an id beyond bigint): Django
    then has no SQL to give COPY, and the Python path below yields just the empty export."""
    try:
        queryset.query.sql_with_params()
    except EmptyResultSet:
        return True
    return False


def check_database(alias):
    """Raise the driver's error (an outage: 503) unless the database answers now.

    A streamed export sends its 200 before its first row is read, so a database lost in
    between used to end the response as a bare 500. Asked through the driver's own cursor,
    like Django's health check: one round trip, not counted as one of the export's queries.
    (The first chunk is not read in the view instead: a suspended COPY would hold the
    connection's lock until the response is consumed.)
    """
    connection = connections[alias]
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection.cursor()
        try:
            raw.execute("SELECT 1")
            raw.fetchone()
        finally:
            raw.close()


def verdict_chunks(queryset, fmt):
    """The export of `queryset` (from verdict_export_queryset) as bytes chunks: fmt csv, jsonl or json.

    Constant memory whatever the size: rows stream from the database and leave in chunks of
    about 64 KB; no article body is read. On PostgreSQL the database writes the rows itself
    (COPY … TO STDOUT: CSV, or one row_to_json() per line), so Python only forwards bytes;
    elsewhere (SQLite) the same rows are written here, with the same values.
    """
    if fmt == "json":
        return _json_array(verdict_chunks(queryset, "jsonl"))
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and not _matches_nothing(queryset):
        if fmt == "csv":
            sql, params = _select(queryset, _csv_columns())
            return _copy_out(connection, f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params)
        sql, params = _select(queryset, {name: F(path) for name, path in VERDICT_COLUMNS})
        # CSV mode with a quote and delimiter that JSON text never contains, so COPY adds no
        # escaping: each line is exactly row_to_json()'s output.
        return _copy_out(
            connection,
            f"COPY (SELECT row_to_json(export_row) FROM ({sql}) export_row) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')",
            params,
        )
    if fmt == "csv":
        return _csv_rows(queryset.values_list(*_csv_columns().values()).iterator(chunk_size=CHUNK_SIZE))
    json_row = JSONText(**{name: JSONTimestamp(path) if name.endswith("_at") else path for name, path in VERDICT_COLUMNS})
    return _lines(queryset.annotate(export_row=json_row).values_list("export_row", flat=True).iterator(chunk_size=CHUNK_SIZE))


@contextmanager
def _export_deadlines(raw_cursor):
    """An export's statement may run longer than a page's (settings: DB_EXPORT_STATEMENT_TIMEOUT),
    and so may each wait for its blocks; the session's own timeout is back afterwards, also when
    the client goes away mid-stream (the generator is closed). Not logged as a query: it is
    part of the export's one COPY."""
    seconds = settings.FACTMARK_DB_EXPORT_STATEMENT_TIMEOUT
    raw_cursor.execute(
        "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, false)", [f"{seconds * 1000}"]
    )
    previous = raw_cursor.fetchone()[0]
    try:
        with dbdeadline.longer(seconds + 5 if seconds else 0):
            yield
    finally:
        if not raw_cursor.connection.closed:
            try:
                raw_cursor.execute("SELECT set_config('statement_timeout', %s, false)", [previous])
            except Exception:  # noqa: BLE001 - a failed transaction: the session's value ends with it
                pass


def _copy_out(connection, statement, params, chunk_bytes=65536):
    with connection.cursor() as cursor, _export_deadlines(cursor.cursor):
        if connection.queries_logged:
            # Counted like any other query by the tests' query counters and DEBUG's log.
            connection.queries_log.append({"sql": statement, "time": "0.000"})
        with cursor.cursor.copy(statement, params) as copy:
            pending, size = [], 0
            for block in copy:  # one row per block
                pending.append(block)
                size += len(block)
                if size >= chunk_bytes:
                    yield b"".join(pending)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending)


def _csv_rows(rows, flush_rows=FLUSH_ROWS):
    """CSV with a header and minimal quoting, like COPY's; but "\r\n" line ends (the csv
    module quotes a cell holding a lone "\r" only when "\r" ends lines; COPY always does)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(VERDICT_KEYS)
    while batch := list(islice(rows, flush_rows)):
        writer.writerows(batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate(0)
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _lines(rows, flush_rows=FLUSH_ROWS):
    while batch := list(islice(rows, flush_rows)):
        batch.append("")
        yield "\n".join(batch).encode("utf-8")


def _json_array(jsonl_chunks):
    """JSON Lines chunks (each ending at a line end) -> one JSON array. Rows hold no raw newline."""
    opening = b"[\n"
    for chunk in jsonl_chunks:
        yield opening + chunk[:-1].replace(b"\n", b",\n")
        opening = b",\n"
    yield b"\n]\n" if opening == b",\n" else b"[]\n"


# --- W3C Web Annotation ------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'

# Claim columns an annotation needs (no article body).
ANNOTATION_COLUMNS = (
    "id",
    "article_id",
    "article__source_url",
    "span__start",
    "span__end",
    "span__quote",
    "span__prefix",
    "span__suffix",
    "created_by__username",
    "created_at",
    "updated_at",
    "final_rating__label",
    "final_rationale",
    "approved_by__username",
    "approved_at",
)


def claims_for_annotations(queryset):
    """Claim rows (dicts) for `annotations()`; `queryset` is already scoped and filtered."""
    return queryset.values(*ANNOTATION_COLUMNS)


class _Paths:
    """URL paths built by reverse() once, then by string formatting (reverse per row is slow)."""

    def __init__(self):
        self.annotation = url_template("api:annotation-detail")
        self.article = url_template("api:article-detail")


def annotations_path():
    return reverse("api:annotation-list")


def _agent(username):
    return {"type": "Person", "nickname": username}


def _textual(value, purpose, creator=None, created=None, modified=None):
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}
    if creator:
        body["creator"] = _agent(creator)
    if created:
        body["created"] = created
    if modified:
        body["modified"] = modified
    return body


def annotations(rows, base):
    """W3C Web Annotations for claim rows from `claims_for_annotations()`: two more queries.

    Body: the final verdict (rating label, purpose "assessing"; rationale, purpose
    "commenting") when there is one, else each reviewer's verdict the same way with the
    reviewer as creator; then every source as a SpecificResource with purpose "linking".
    Target: the article's own URL (or its Factmark API URL when it has none) with a
    TextQuoteSelector and a TextPositionSelector (code points, as the W3C model counts).
    """
    rows = list(rows)
    if not rows:
        return []
    paths = _Paths()
    ids = [row["id"] for row in rows]
    verdicts = defaultdict(list)
    for claim_id, label, rationale, reviewer, created, modified in (
        Verdict.objects.filter(claim_id__in=ids)
        .order_by("claim_id", "id")
        .values_list("claim_id", "rating__label", "rationale", "reviewer__username", "created_at", "updated_at")
    ):
        verdicts[claim_id].append((label, rationale, reviewer, iso(created), iso(modified)))
    sources = defaultdict(list)
    for claim_id, url in Evidence.objects.filter(claim_id__in=ids).order_by("claim_id", "id").values_list("claim_id", "source__url"):
        sources[claim_id].append(url)
    # Desk memory: each confirmed match links to the other claim's annotation (one query).
    for claim_id, others in appearances.matched_ids(ids).items():
        sources[claim_id].extend(base + paths.annotation.format(other) for other in others)
    return [_annotation(row, verdicts[row["id"]], sources[row["id"]], base, paths) for row in rows]


def _annotation(row, verdicts, sources, base, paths):
    body = []
    if row["final_rating__label"] is not None:
        settled = iso(row["approved_at"])
        editor = row["approved_by__username"]
        body.append(_textual(row["final_rating__label"], "assessing", editor, settled))
        if row["final_rationale"]:
            body.append(_textual(row["final_rationale"], "commenting", editor, settled))
    else:
        for label, rationale, reviewer, created, modified in verdicts:
            body.append(_textual(label, "assessing", reviewer, created, modified))
            if rationale:
                body.append(_textual(rationale, "commenting", reviewer, created, modified))
    for url in sources:
        body.append({"type": "SpecificResource", "purpose": "linking", "source": url})
    annotation = {
        "@context": ANNO_CONTEXT,
        "id": base + paths.annotation.format(row["id"]),
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso(row["created_at"]),
        "modified": iso(row["updated_at"]),
    }
    if row["created_by__username"]:
        annotation["creator"] = _agent(row["created_by__username"])
    if body:
        annotation["body"] = body
    annotation["target"] = {
        "type": "SpecificResource",
        "source": row["article__source_url"] or base + paths.article.format(row["article_id"]),
        "selector": [
            {"type": "TextQuoteSelector", "exact": row["span__quote"], "prefix": row["span__prefix"], "suffix": row["span__suffix"]},
            {"type": "TextPositionSelector", "start": row["span__start"], "end": row["span__end"]},
        ],
    }
    return annotation


COLLECTION_LABEL = "Factmark claims"


def annotation_page(items, page_id, collection_id, total, next_url=None, prev_url=None, label=COLLECTION_LABEL):
    """An AnnotationPage; `partOf` describes its collection (id, label, total), as the W3C model's example does."""
    page = {
        "@context": ANNO_CONTEXT,
        "id": page_id,
        "type": "AnnotationPage",
        "partOf": {"id": collection_id, "label": label, "total": total},
    }
    if next_url:
        page["next"] = next_url
    if prev_url:
        page["prev"] = prev_url
    page["items"] = items
    return page


def annotation_collection(collection_id, total, first, label=COLLECTION_LABEL):
    """An AnnotationCollection; `first` is its first AnnotationPage, embedded."""
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": first,
    }


# --- ClaimReview ---------------------------------------------------------------------


def published_claims(queryset=None):
    """Published claims with what `claim_review` reads loaded in the same query (no article body)."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=Status.PUBLISHED)
        .select_related("project", "article", "final_rating")
        .defer("article__body", "project__description", "final_rating__description")
    )


class BaseURL:
    """Stands in for a request in `claimreview.public_url` where there is none (the command)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base + path


def claim_reviews(claims, base):
    """ClaimReview dicts for a batch of claims from `published_claims()`: one more query (the scales)."""
    claims = list(claims)
    if not claims:
        return []
    scales = defaultdict(list)
    for rating in Rating.objects.filter(project_id__in={c.project_id for c in claims}).only("project_id", "value"):
        scales[rating.project_id].append(rating)
    where = BaseURL(base)
    also = appearances.linked(claims)  # desk memory: where else each claim was said (one query)
    return [claim_review(c, url=public_url(c, where), bounds=scale_bounds(scales[c.project_id]), also=also.get(c.pk, ())) for c in claims]


def in_batches(queryset, size=1000):
    """Lists of objects (or rows) by ascending id, `size` at a time: keyset pagination, constant memory."""
    last = None
    while True:
        page = queryset.order_by("id")
        if last is not None:
            page = page.filter(id__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]["id"] if isinstance(batch[-1], dict) else batch[-1].pk
        if len(batch) < size:
            return
