"""The SQL of claim creation's hot path (issue 16): the quote checked against the locked
article row without fetching its body, and span, claim and history entry written in one
statement.

- `lock_quote`: one statement takes the article's row lock (FOR NO KEY UPDATE, as
  services.lock_article_text) and returns its revision with the text around the selection
  only: `substr(body, …)` of the selection and its context (anchoring.CONTEXT characters
  each side), not the ~120 KB body. `window_quote` decides from that slice exactly what
  anchoring.check_selection decides when it succeeds; anything else (out of range, another
  text, whitespace) returns None and the caller checks the whole text as before, so every
  error message stays the one anchoring words. SQLite has the same substr (code points).
- `insert_claim`: on PostgreSQL one INSERT with two data-modifying CTEs writes the span,
  the claim and its "claim_created" history entry (one round trip instead of three, still
  in the caller's transaction); elsewhere three ORM inserts. Both send the models'
  pre_save and post_save signals, as Model.save() does, so the bidi stripping and the
  dashboard's receivers see these rows as before.

The statements are built once per process from the models' fields (the ORM's compile
cost showed in the profile), so a new column is picked up without editing SQL here.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.db.models.signals import post_save, pre_save

from annotate import anchoring, prepared
from annotate.models import Article, Claim, ClaimMatch, HistoryEntry, Span


MAX_OFFSET = 2**31 - 1 - 2 * anchoring.CONTEXT


@lru_cache(maxsize=4)
def _lock_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Article._meta.db_table)
    sql = f"SELECT revision, substr(body, %s, %s) FROM {table} WHERE id = %s"
    return sql + (" FOR NO KEY UPDATE" if vendor == "postgresql" else "")


def lock_quote(article_pk: int, start, end, quote: str) -> tuple[int, anchoring.Quote | None]:
    """(current revision, Quote or None): the row locked, the selection checked on a slice of the text."""
    window = None
    # Offsets past PostgreSQL's integer (substr's argument) cannot be in any article: no slice,
    # and the whole-text check words the error as before.
    if type(start) is int and type(end) is int and 0 <= start < end <= MAX_OFFSET:
        window = (max(0, start - anchoring.CONTEXT), end + anchoring.CONTEXT)
    lo, hi = window or (0, 0)
    with prepared.cursor() as cursor:
        cursor.execute(_lock_sql(connection.vendor), [lo + 1, hi - lo, article_pk])
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist("The article was deleted in the meantime.")
    current, text = row
    return current, (window_quote(text or "", lo, start, end, quote) if window else None)


def window_quote(text: str, lo: int, start: int, end: int, quote: str) -> anchoring.Quote | None:
    """The Quote `anchoring.check_selection(body, start, end, quote)` returns, from `text` =
    body[lo:end + CONTEXT] with lo = max(0, start - CONTEXT); None whenever it would not succeed.

    >>> body = "The sky is blue today, and the sea is grey."
    >>> lo = max(0, 11 - anchoring.CONTEXT)
    >>> window_quote(body[lo:15 + anchoring.CONTEXT], lo, 11, 15, "blue") == anchoring.check_selection(body, 11, 15, "blue")
    True
    >>> window_quote(body[lo:15 + anchoring.CONTEXT], lo, 11, 15, "red") is None
    True
    """
    if len(text) < end - lo:  # the selection ends past the text
        return None
    exact = text[start - lo:end - lo]
    if exact != quote or exact.isspace():
        return None
    return anchoring.Quote(exact=exact, prefix=text[:start - lo], suffix=text[end - lo:])


# --- the inserts ------------------------------------------------------------------


def _columns(model, skip=()):
    """(fields given a value, in order): every concrete field but the key, the ones filled by a
    database default, and `skip` (set from the statement itself)."""
    return [
        f for f in model._meta.concrete_fields
        if not f.primary_key and f.db_default is NOT_PROVIDED and f.attname not in skip
    ]


def _values(instance, fields):
    return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]


def _returned(model):
    """Columns the database fills (key, database defaults), in field order."""
    return [f for f in model._meta.concrete_fields if f.primary_key or f.db_default is not NOT_PROVIDED]


@lru_cache(maxsize=1)
def _insert_sql() -> str:
    qn = connection.ops.quote_name

    def insert(model, skip_sql: dict[str, str]):
        fields = _columns(model, skip_sql)
        names = [qn(f.column) for f in fields] + [qn(model._meta.get_field(a).column) for a in skip_sql]
        values = ["%s"] * len(fields) + list(skip_sql.values())
        back = ", ".join(qn(f.column) for f in _returned(model))
        return f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(names)}) VALUES ({', '.join(values)}) RETURNING {back}"

    span = insert(Span, {})
    claim = insert(Claim, {"span_id": "(SELECT id FROM s)"})
    history = insert(HistoryEntry, {"claim_id": "(SELECT id FROM c)"})
    return f"WITH s AS ({span}), c AS ({claim}), h AS ({history}) SELECT * FROM s, c, h"


def _fill(instance, values):
    for field, value in zip(_returned(type(instance)), values):
        setattr(instance, field.attname, field.from_db_value(value, None, connection)
                if hasattr(field, "from_db_value") else value)
    instance._state.adding = False
    instance._state.db = connection.alias


def _write(sql, params):
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def insert_claim(span: Span, claim: Claim, entry: HistoryEntry) -> None:
    """Write the three new rows (span, its claim, the claim's history entry) in the current transaction."""
    if connection.vendor != "postgresql":
        span.save(force_insert=True)
        claim.span = span
        claim.save(force_insert=True)
        entry.claim = claim
        entry.save(force_insert=True)
        return
    rows = (span, claim, entry)
    for row in rows:
        pre_save.send(sender=type(row), instance=row, raw=False, using=connection.alias, update_fields=None)
    params = (_values(span, _columns(Span)) + _values(claim, _columns(Claim, {"span_id": None}))
              + _values(entry, _columns(HistoryEntry, {"claim_id": None})))
    got = _write(_insert_sql(), params)
    n_span, n_claim = len(_returned(Span)), len(_returned(Claim))
    _fill(span, got[:n_span])
    claim.span = span
    _fill(claim, got[n_span:n_span + n_claim])
    entry.claim = claim
    _fill(entry, got[n_span + n_claim:])
    for row in rows:
        post_save.send(sender=type(row), instance=row, created=True, update_fields=None, raw=False,
                       using=connection.alias)


class _LinksAfterCommit:
    """True on PostgreSQL, where insert_links is one statement and needs no transaction of its own."""

    def __bool__(self):
        return connection.vendor == "postgresql"


LINKS_AFTER_COMMIT = _LinksAfterCommit()


@lru_cache(maxsize=16)
def _links_sql(n: int) -> str:
    qn = connection.ops.quote_name

    def insert(model):
        fields = _columns(model)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        back = ", ".join(qn(f.column) for f in _returned(model))
        return (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
                f"VALUES {', '.join([row] * n)} RETURNING {back}")

    # Both return (id, their database default's timestamp): one answer, the links first.
    return (f"WITH m AS ({insert(ClaimMatch)}), h AS ({insert(HistoryEntry)}) "
            "SELECT 1, * FROM m UNION ALL SELECT 2, * FROM h")


def insert_links(links: list[ClaimMatch], entries: list[HistoryEntry]) -> None:
    """Desk memory's automatic links of a new claim and their history entries, as bulk_create
    writes them (no signals, keys and database defaults filled in), in one statement on
    PostgreSQL (a claim created on a desk of look-alike claims often links: two round trips
    and two ORM compilations fewer)."""
    if connection.vendor != "postgresql" or len(links) != len(entries) or not links:
        ClaimMatch.objects.bulk_create(links)
        HistoryEntry.objects.bulk_create(entries)
        return
    params = []
    for match in links:
        params += _values(match, _columns(ClaimMatch))
    for entry in entries:
        params += _values(entry, _columns(HistoryEntry))
    with prepared.cursor() as cursor:
        cursor.execute(_links_sql(len(links)), params)
        rows = cursor.fetchall()
    for row, values in zip(links + entries, [r[1:] for r in rows if r[0] == 1] + [r[1:] for r in rows if r[0] == 2]):
        _fill(row, values)
