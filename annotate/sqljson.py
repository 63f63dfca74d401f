"""JSON rows built by the database, for the bulk lists (claims, verdicts).

Listing the 10,000 claims of an article must take well under 150 ms. Parsing 20,000
timestamps into datetimes, turning them back into strings, building 10,000 dicts and
encoding them costs Python ~200 ms of CPU on the benchmark machine; PostgreSQL builds the
same JSON text in a few tens of milliseconds (json_build_object keeps key order, unlike
jsonb). So these rows arrive as finished JSON text and the response only joins them.
SQLite (the embedded default) does the same with json_object().

The shapes are declared by ClaimSerializer / VerdictSerializer for the OpenAPI schema, and
the schema test validates real responses on both databases, so they cannot drift apart.
Timestamps are ISO 8601 as everywhere in the API (see annotate.exports.common.iso).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextField, Value
from django.db.models.functions import Cast, Concat


class IsoText(Func):
    """A timestamp column as ISO 8601 text, formatted by the database.

    Parsing 200,000 timestamps into datetimes and formatting them again costs Python about
    half a second; the database writes the text for next to nothing, in the form Python's
    isoformat() and PostgreSQL's JSON write ("2025-05-01T08:00:00.123456+00:00", no
    fraction when it is zero). SQLite stores "YYYY-MM-DD HH:MM:SS[.fff]" in UTC already.
    """

    output_field = TextField()

    def __init__(self, expression):
        super().__init__(_expr(expression), output_field=TextField())

    def as_postgresql(self, compiler, connection, **extra):
        template = "REPLACE((%(expressions)s AT TIME ZONE 'UTC')::text, ' ', 'T') || '+00:00'"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = self.as_sql(compiler, connection, template="%(expressions)s", **extra)
        return f"CASE WHEN {sql} IS NULL THEN NULL ELSE REPLACE({sql}, ' ', 'T') || '+00:00' END", params * 3


def _expr(value):
    return value if hasattr(value, "resolve_expression") else F(value)



class JSONText(Func):
    """A JSON object, key order kept, as text: JSONText(id="id", label="rating__label")."""

    output_field = TextField()
    nested = False

    def __init__(self, **fields):
        args = []
        for key, value in fields.items():
            # Keys are cast so PostgreSQL knows their type whatever the parameter binding.
            args += [Cast(Value(key), TextField()), _expr(value)]
        super().__init__(*args, output_field=TextField())

    def as_postgresql(self, compiler, connection, **extra):
        template = "JSON_BUILD_OBJECT(%(expressions)s)" if self.nested else "JSON_BUILD_OBJECT(%(expressions)s)::text"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="JSON_OBJECT(%(expressions)s)", **extra)


class NestedJSON(JSONText):
    """A JSON object inside another (not cast to text on PostgreSQL)."""

    nested = True


class JSONObjectOrNull(Func):
    """A nested object, or null when `unless_null` is NULL (a final rating not given yet)."""

    output_field = TextField()

    def __init__(self, unless_null, **fields):
        args = [_expr(unless_null)]
        for key, value in fields.items():
            args += [Cast(Value(key), TextField()), _expr(value)]
        super().__init__(*args, output_field=TextField())

    def _build(self, compiler, connection, function):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        condition, *pairs = parts
        return f"CASE WHEN {condition} IS NULL THEN NULL ELSE {function}({', '.join(pairs)}) END", params

    def as_postgresql(self, compiler, connection, **extra):
        return self._build(compiler, connection, "JSON_BUILD_OBJECT")

    def as_sqlite(self, compiler, connection, **extra):
        # JSON(): keep the value an object inside the outer JSON_OBJECT, not a quoted string.
        sql, params = self._build(compiler, connection, "JSON_OBJECT")
        return f"JSON({sql})", params


class _NativeOnPostgreSQL(Func):
    """A value PostgreSQL's JSON functions already write right; SQLite needs `as_sqlite`."""

    output_field = TextField()

    def __init__(self, expression):
        super().__init__(_expr(expression), output_field=TextField())

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)


class JSONBool(_NativeOnPostgreSQL):
    """A boolean column as JSON true/false (SQLite stores 0/1)."""

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="JSON(CASE WHEN %(expressions)s THEN 'true' ELSE 'false' END)", **extra)


class JSONTimestamp(_NativeOnPostgreSQL):
    """A timestamp inside a JSON object: PostgreSQL's JSON writes ISO 8601 itself; SQLite needs IsoText."""

    def as_sqlite(self, compiler, connection, **extra):
        return IsoText(self.get_source_expressions()[0]).as_sqlite(compiler, connection, **extra)


class AssigneesJSON(Func):
    """The claim's assignees' usernames as a JSON array, sorted; built by the database.

    A correlated subquery on the claim-assignee table, so a list page stays two queries.
    """

    output_field = TextField()

    def __init__(self):
        super().__init__(F("id"), output_field=TextField())

    def _tables(self):
        from annotate.models import Claim

        through = Claim.assignees.through
        user = Claim.assignees.field.related_model
        return through._meta.db_table, user._meta.db_table, user._meta.get_field(user.USERNAME_FIELD).column

    def as_postgresql(self, compiler, connection, **extra):
        through, users, username = self._tables()
        template = (
            f'COALESCE((SELECT JSON_AGG(u."{username}" ORDER BY u."{username}") FROM "{through}" a '
            f'JOIN "{users}" u ON u."id" = a."user_id" WHERE a."claim_id" = %(expressions)s), \'[]\'::json)'
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        through, users, username = self._tables()
        template = (
            f'(SELECT JSON_GROUP_ARRAY(n) FROM (SELECT u."{username}" AS n FROM "{through}" a '
            f'JOIN "{users}" u ON u."id" = a."user_id" WHERE a."claim_id" = %(expressions)s ORDER BY n))'
        )
        sql, params = self.as_sql(compiler, connection, template=template, **extra)
        return f"JSON({sql})", params


def url(template, pk="id"):
    """The absolute API URL of each row, from a "…/claims/{}/" template."""
    head, tail = template.split("{}")
    return Concat(Value(head), Cast(F(pk), TextField()), Value(tail), output_field=TextField())


def claim_columns(url_template):
    """The ClaimSerializer shape: key -> expression, in order."""
    return dict(
        id=F("id"),
        url=url(url_template),
        project="project__slug",
        article="article_id",
        start="span__start",
        end="span__end",
        quote="span__quote",
        prefix="span__prefix",
        suffix="span__suffix",
        orphaned=JSONBool("span__orphaned"),
        # Integrity (issue 18): a revision left other words where the quote was; `quote` is the checked wording.
        changed_in_revision=JSONBool(ExpressionWrapper(Q(span__anchor_method="changed"), output_field=BooleanField())),
        revised_quote="span__revised_quote",
        text="text",
        claimant="claimant",
        claim_date="claim_date",
        status="status",
        final_rating=JSONObjectOrNull("final_rating_id", id="final_rating_id", label="final_rating__label", value="final_rating__value"),
        final_rationale="final_rationale",
        approved_by="approved_by__username",
        approved_at=JSONTimestamp("approved_at"),
        published_at=JSONTimestamp("published_at"),
        assignees=AssigneesJSON(),
        corrected_at=JSONTimestamp("corrected_at"),
        version="version",
        created_by="created_by__username",
        created_at=JSONTimestamp("created_at"),
        updated_at=JSONTimestamp("updated_at"),
    )


def verdict_columns(url_template):
    """The VerdictSerializer shape: key -> expression, in order."""
    return dict(
        id=F("id"),
        url=url(url_template),
        claim="claim_id",
        project="claim__project__slug",
        article="claim__article_id",
        reviewer="reviewer__username",
        rating=NestedJSON(id="rating_id", label="rating__label", value="rating__value"),
        rationale="rationale",
        version="version",
        created_at=JSONTimestamp("created_at"),
        updated_at=JSONTimestamp("updated_at"),
    )


def json_rows(queryset, columns):
    """(id, JSON text) per row of `queryset`, the object having `columns` (key -> expression) in order.

    PostgreSQL: row_to_json() over a subquery whose column names are the keys. It is about
    twice as fast as json_build_object() and writes compact JSON. (The keys are aliased in
    two steps because an annotation may not reuse a field name such as "id" or "text".)
    SQLite: json_object().
    """
    columns = {key: _expr(value) for key, value in columns.items()}
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset.annotate(json_row=JSONText(**columns)).values_list("id", "json_row"))
    try:
        inner, params = queryset.values(**{f"x_{key}": value for key, value in columns.items()}).query.sql_with_params()
    except EmptyResultSet:  # a condition no row can meet (an id beyond bigint): Django runs no query
        return []
    named = ", ".join(f'"x_{key}" AS "{key}"' for key in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT json_row.id, row_to_json(json_row)::text FROM (SELECT {named} FROM ({inner}) keyed) json_row", params)
        return cursor.fetchall()
