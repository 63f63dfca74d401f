"""Verdict rows (one per reviewer verdict) for CSV, JSON Lines and JSON, streamed with
constant memory and never an article body: on PostgreSQL the database writes the rows
(COPY … TO STDOUT) and Python forwards ~64 KB chunks; on SQLite `.values_list()` of the
needed columns is iterated and written in small chunks. See `verdict_chunks`.
"""

import csv
import io
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.db.models.lookups import In

from annotate import dbdeadline
from annotate.sqljson import IsoText, JSONText, JSONTimestamp
from annotate.models import Verdict
from annotate.exports.common import CHUNK_SIZE, FLUSH_ROWS

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
            return copy_out(connection, f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params)
        sql, params = _select(queryset, {name: F(path) for name, path in VERDICT_COLUMNS})
        # CSV mode with a quote and delimiter that JSON text never contains, so COPY adds no
        # escaping: each line is exactly row_to_json()'s output.
        return copy_out(
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


def copy_out(connection, statement, params, chunk_bytes=65536):
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
