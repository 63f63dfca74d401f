"""Cursors whose statements PostgreSQL plans once per connection (issue 16).

Django's psycopg backend binds parameters on the client and never prepares, so PostgreSQL
parses and plans every statement again: for desk memory's candidate query (CTEs, a GiST
walk, a subplan per candidate) that was 3-8 ms of planning for every claim created, more
than running it. `cursor()` gives a Django cursor (logged in tests and DEBUG as any other)
over a psycopg cursor with server-side binding that prepares its statements: the first
execution on a connection plans, the next ones reuse the plan. For the few fixed statements
of the claim-creation path only; elsewhere, and on SQLite, it is Django's usual cursor.

Prepared statements live in the server session, so this needs a direct connection or a
pooler in session mode (not PgBouncer's transaction mode), as compose and the README set up.
"""

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


class _PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


def cursor():
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = _PreparingCursor(connection.connection)
    return (CursorDebugWrapper if connection.queries_logged else CursorWrapper)(raw, connection)
