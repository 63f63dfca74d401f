"""CPU used during a window by the gunicorn workers and by the PostgreSQL backends serving them.

    window = cpu.Window(server, db_url)   # before the load
    ...                                   # the load
    used = window.stop()                  # {"workers": s, "postgres": s, "backends": n}

Both come from /proc/<pid>/stat (utime + stime), read at the start and at the end. The
PostgreSQL side counts the backend processes connected to the benchmark's own database
(pg_stat_activity.datname, so other databases on a shared server are not counted), minus
the harness's own connection; a backend that starts during the window counts from zero.
PostgreSQL's shared processes (WAL writer, checkpointer) are not counted: their work is
shared by every database on the server. Reading another user's /proc/<pid>/stat is
allowed (it is world-readable), so this works without privileges when PostgreSQL is local.
"""

from __future__ import annotations

import psycopg

from server import cpu_seconds


def postgres_backends(db_url: str) -> list[int]:
    """Pids of the backends connected to this database, except the asking connection."""
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        ).fetchall()
    return [pid for (pid,) in rows]


class Window:
    def __init__(self, server, db_url: str):
        self.server, self.db_url = server, db_url
        self.workers = server.cpu_seconds()
        self.backends = {pid: cpu_seconds(pid) for pid in postgres_backends(db_url)}

    def stop(self) -> dict:
        workers = self.server.cpu_seconds() - self.workers
        pids = postgres_backends(self.db_url)
        postgres = sum(max(0.0, cpu_seconds(pid) - self.backends.get(pid, 0.0)) for pid in pids)
        return {"workers": workers, "postgres": postgres, "backends": len(pids)}
