"""Django's PostgreSQL backend, with a client-side deadline on every wait for the database.

Why: a database that stops answering without closing the connection (packets dropped, a
frozen server, a proxy that stops forwarding) is invisible to statement_timeout (the
server never sees the query) and to TCP keepalives when something still acknowledges the
packets. Every wait of a psycopg connection (a query, COMMIT, a COPY block, the health
check's SELECT 1) goes through Connection.wait(), so bounding that one method bounds them
all: past the deadline the connection is closed and an OperationalError "timeout expired"
is raised, which annotate.middleware classifies as an outage (503 with Retry-After).

The deadline is `settings.FACTMARK_DB_ANSWER_TIMEOUT` seconds per wait (a little longer than
the server's statement_timeout, so a slow query is cancelled by the server first), or what
`annotate.dbdeadline.within()` / `longer()` set for the current thread (health check: shorter;
exports: longer).
"""

import math
import select
import types

import psycopg
from django.db.backends.postgresql import base

from annotate import dbdeadline


class DeadlineConnection(psycopg.Connection):
    def wait(self, gen, interval=0.1, timeout=None):
        limit = dbdeadline.remaining()
        if timeout is None and limit is not None:
            timeout = max(limit, 0.001)
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except psycopg.errors._WaitTimeout:
            # The protocol state is unknown now: the connection cannot be reused.
            self.pgconn.finish()
            raise psycopg.OperationalError(f"timeout expired: the database did not answer within {timeout:g} s") from None

    @classmethod
    def connect(cls, conninfo="", **kwargs):
        limit = dbdeadline.remaining()
        if limit is not None and limit <= 0:
            # The budget (e.g. /healthz's) is spent: no new connection attempt.
            raise psycopg.OperationalError("timeout expired: no time left to connect to the database")
        if limit is not None and "connect_timeout" in kwargs:
            # libpq counts whole seconds and at least 2.
            kwargs["connect_timeout"] = max(2, min(int(kwargs["connect_timeout"]), math.ceil(limit)))
        return super().connect(conninfo, **kwargs)


class _Psycopg(types.ModuleType):
    """The psycopg module as Django's backend sees it, except that connect() makes DeadlineConnections."""

    def __getattr__(self, name):
        return getattr(psycopg, name)


_psycopg = _Psycopg("psycopg")
_psycopg.connect = DeadlineConnection.connect


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _psycopg

    def is_usable(self):
        # The check before a persistent connection is reused: short, as /healthz's.
        with dbdeadline.within(dbdeadline.health_timeout()):
            return super().is_usable()

    def close_if_health_check_failed(self):
        """CONN_HEALTH_CHECKS without a round trip per request (issue 16).

        Django checks a kept connection with `SELECT 1` before each request's first query:
        a round trip to PostgreSQL on every request. An idle connection's socket has nothing
        to read unless the server wrote to it unasked, and a server that restarted, was shut
        down or ended the backend (pg_terminate_backend, idle timeouts) writes its FATAL
        message and closes, which makes the socket readable. So: nothing to read and the
        connection idle and OK -> kept as it is; anything else -> the real check (is_usable,
        SELECT 1 under the health deadline), as before. A peer that vanished silently is
        caught by the answer deadline of the first query instead (annotate.dbdeadline).
        """
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self._looks_alive() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _looks_alive(self):
        conn = self.connection
        try:
            if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                return False
            readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
        except (OSError, ValueError, psycopg.Error):
            return False
        return not readable
