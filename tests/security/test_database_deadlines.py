"""The database deadlines themselves (issue 18, item 4): pages get a short statement timeout,
exports a longer one that does not leak to the next request, and the per-thread budgets
of annotate/dbdeadline.py nest as documented. The black hole is in test_database_black_hole.py."""

import time

import pytest
from django.db import OperationalError, connection

from annotate import dbdeadline, exports
from annotate.middleware import is_database_down


def test_budgets_nest_and_restore(settings):
    settings.FACTMARK_DB_ANSWER_TIMEOUT = 15
    assert dbdeadline.remaining() == 15
    with dbdeadline.longer(300):
        assert dbdeadline.remaining() == 300
        with dbdeadline.within(2):
            assert 1.5 < dbdeadline.remaining() <= 2
            with dbdeadline.within(60):  # an inner budget never extends the outer one
                assert dbdeadline.remaining() <= 2
        assert dbdeadline.remaining() == 300
    assert dbdeadline.remaining() == 15
    settings.FACTMARK_DB_ANSWER_TIMEOUT = 0
    assert dbdeadline.remaining() is None


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("statement timeouts are PostgreSQL's")


@pytest.mark.postgres
def test_pages_run_under_the_statement_timeout(db, settings):
    _postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.FACTMARK_DB_STATEMENT_TIMEOUT}s"
    assert type(connection.connection).__name__ == "DeadlineConnection"


@pytest.mark.postgres
def test_a_statement_over_the_timeout_is_an_outage_not_a_hang(db):
    _postgresql()
    with pytest.raises(OperationalError) as cancelled:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '100ms'")
            cursor.execute("SELECT pg_sleep(2)")
    assert is_database_down(cancelled.value)  # 57014: a 503 with Retry-After


@pytest.mark.postgres
def test_an_export_may_run_longer_and_the_page_timeout_is_back_afterwards(db, settings):
    _postgresql()
    settings.FACTMARK_DB_EXPORT_STATEMENT_TIMEOUT = 30
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '100ms'")  # a page's (tiny, for the test)
    started = time.monotonic()
    out = b"".join(exports.verdicts.copy_out(connection, "COPY (SELECT 'slow export' FROM pg_sleep(0.3)) TO STDOUT", []))
    assert out == b"slow export\n" and time.monotonic() - started >= 0.3
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "100ms"
        cursor.execute("RESET statement_timeout")


@pytest.mark.postgres
def test_a_client_deadline_closes_a_connection_that_waits_too_long(db, settings):
    _postgresql()
    with pytest.raises(OperationalError) as expired:
        with dbdeadline.within(0.3), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")
    assert "timeout expired" in str(expired.value) and is_database_down(expired.value)
    assert connection.connection.closed
