"""How long the app waits for the database, per thread (see annotate/pgbackend/base.py).

Pages and API calls wait at most FACTMARK_DB_ANSWER_TIMEOUT seconds for each answer; the
health check has its own short budget for the whole probe (`within`); exports wait longer
for each block, as their statement may legitimately run for minutes (`longer`).
Management commands (migrate, imports, training) run with no deadline unless configured.
"""

import threading
import time
from contextlib import contextmanager

from django.conf import settings

_local = threading.local()


def health_timeout():
    return settings.FACTMARK_DB_HEALTH_TIMEOUT


def remaining():
    """Seconds the current wait may last: what is left of a `within` budget, else the per-answer default (None: no limit)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None:
        return deadline - time.monotonic()
    per_answer = getattr(_local, "per_answer", None)
    if per_answer is not None:
        return per_answer or None
    return settings.FACTMARK_DB_ANSWER_TIMEOUT or None


@contextmanager
def within(seconds):
    """Everything inside (connecting included) must be answered `seconds` from now."""
    previous = getattr(_local, "deadline", None)
    deadline = time.monotonic() + seconds
    _local.deadline = deadline if previous is None else min(previous, deadline)
    try:
        yield
    finally:
        _local.deadline = previous


@contextmanager
def longer(seconds):
    """Each answer inside may take up to `seconds` (exports: a long statement before its first row)."""
    previous = getattr(_local, "per_answer", None)
    _local.per_answer = seconds
    try:
        yield
    finally:
        _local.per_answer = previous
