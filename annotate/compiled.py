"""Querysets of the hot read paths compiled to SQL once per process and database, then run
with new parameters (issue 16: the claim panel and the verdict save).

Django compiles a queryset to SQL on every evaluation; for the claim panel's small
queries (a handful of rows each) that compilation was most of their cost. `Compiled`
builds the queryset once with placeholder arguments, keeps its SQL and compiler, and on
each call runs that SQL with the real arguments, turning the rows into model instances
exactly as QuerySet iteration does (select_related objects, annotations, deferred
fields, the database's converters), or into the tuples of a values_list() queryset.

The arguments must be plain values that the queryset passes through as SQL parameters
(ids, strings), never something that changes the SQL's shape (a list for __in, None).
Unlike a filter, nothing checks them: an id from outside must pass `is_id` first (the ORM
answers "no rows" for an integer no column can hold; the database would raise).
Each call runs on the default connection through Django's cursor, so query counting
(tests, debug toolbar) sees it as any ORM query.
"""

from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Placeholders: integers no id, offset or parameter of these querysets takes in practice, yet
# inside every integer field's range (Django compiles an out-of-range lookup to "no rows").
_SENTINEL = 2_147_303_000


def is_id(value):
    """An integer an id column (bigint, or SQLite's 64-bit integer) can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


class Compiled:
    def __init__(self, build, arity=1):
        self.build = build
        self.arity = arity
        self._plans = {}

    def _plan(self, connection):
        key = (connection.alias, connection.vendor)
        plan = self._plans.get(key)
        if plan is None:
            sentinels = [_SENTINEL + i for i in range(self.arity)]
            queryset = self.build(*sentinels)
            if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
                raise TypeError("Compiled supports model and values_list() querysets")
            compiler = queryset.query.get_compiler(using=connection.alias)
            sql, params = compiler.as_sql()
            slots = [[i for i, p in enumerate(params) if p == s and not isinstance(p, bool)] for s in sentinels]
            if not all(slots):
                raise ValueError("an argument did not become an SQL parameter of the compiled query")
            plan = self._plans[key] = _Plan(queryset, compiler, sql, list(params), slots)
        return plan

    def __call__(self, *args, attach=None):
        """The rows for these arguments: model instances (each with `attach`'s attributes set), or tuples."""
        connection = connections["default"]
        plan = self._plan(connection)
        params = list(plan.params)
        for slot, value in zip(plan.slots, args):
            for i in slot:
                params[i] = value
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        return plan.rows(rows, connection.alias, attach)

    def first(self, *args, attach=None):
        rows = self(*args, attach=attach)
        return rows[0] if rows else None


class _Plan:
    def __init__(self, queryset, compiler, sql, params, slots):
        self.compiler, self.sql, self.params, self.slots = compiler, sql, params, slots
        # The database's converters (JSON, dates on SQLite, ...), as QuerySet iteration applies them.
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        self.model_rows = queryset._iterable_class is ModelIterable
        if self.model_rows:
            select, klass_info = compiler.select, compiler.klass_info
            self.model = klass_info["model"]
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
            self.annotations = list(compiler.annotation_col_map.items())
            self.klass_info, self.select = klass_info, select

    def rows(self, rows, alias, attach):
        converted = self.compiler.apply_converters(rows, self.converters) if self.converters else rows
        if not self.model_rows:
            return [tuple(row) for row in converted]
        populators = get_related_populators(self.klass_info, self.select, alias)
        out = []
        for row in converted:
            obj = self.model.from_db(alias, self.init_list, row[self.start:self.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            for name, value in (attach or {}).items():
                setattr(obj, name, value)
            out.append(obj)
        return out
