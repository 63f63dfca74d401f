"""The benchmark's own PostgreSQL database: role and database created if possible, dropped at the end.

It uses the same role as `.ci/run` (factmark/factmark on 127.0.0.1:5432) and a
database of its own, so a run never touches anyone's data or test databases.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgresql://factmark:factmark@127.0.0.1:5432/factmark_bench"


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL cannot be reached or the role cannot log in; the message says what to do."""


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance(url: str):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=5)


def _create_role_as_superuser(url: str) -> bool:
    """As root on a Debian PostgreSQL: create the role with CREATEDB, the way `.ci/run` does."""
    parts = urlsplit(url)
    if os.geteuid() != 0 or not shutil.which("su") or not parts.username or not parts.password:
        return False
    user, password = parts.username, parts.password
    if not user.replace("_", "").isalnum() or "'" in password:
        return False
    statement = (
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN "
        f"CREATE ROLE {user} LOGIN PASSWORD '{password}' CREATEDB; END IF; END$$;"
    )
    done = subprocess.run(["su", "postgres", "-c", f'psql -v ON_ERROR_STOP=1 -q -c "{statement}"'],
                          capture_output=True, text=True, timeout=30, check=False)
    return done.returncode == 0


def recreate(url: str) -> None:
    """Drop and create the benchmark database (idempotent); raise DatabaseUnavailable with advice."""
    name = database_name(url)
    if not name.replace("_", "").isalnum():
        raise DatabaseUnavailable(f"Refusing a database name that is not a plain identifier: {name!r}")
    try:
        conn = _maintenance(url)
    except psycopg.OperationalError as first:
        if "refused" in str(first).lower() or not _create_role_as_superuser(url):
            raise DatabaseUnavailable(
                f"Cannot log in to PostgreSQL with {_redacted(url)}: {str(first).strip()}\n"
                "Start PostgreSQL and create the role, e.g.\n"
                "  pg_ctlcluster --skip-systemctl-redirect 15 main start\n"
                "  su postgres -c \"psql -c \\\"CREATE ROLE factmark LOGIN PASSWORD 'factmark' CREATEDB\\\"\"\n"
                "or point BENCH_DATABASE_URL at a role that may create databases."
            ) from None
        conn = _maintenance(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url: str) -> None:
    name = database_name(url)
    try:
        with _maintenance(url) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    except psycopg.Error as exc:  # a failed clean-up must not hide the results
        print(f"warning: could not drop {name}: {exc}")


def server_version(url: str) -> str:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(":" + parts.password + "@", ":***@"))
    return urlunsplit(parts)
