"""Shared by the security tests: a snapshot of the whole database, to prove that a
refused request changed nothing."""

import hashlib
import json

import pytest
from django.apps import apps

# Rows that legitimately change on any request: sessions, login-attempt logs, the cache.
VOLATILE_APPS = {"sessions", "axes"}


def database_state():
    """{model label: (row count, digest of every row)} for every model but the volatile ones."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in VOLATILE_APPS:
            continue
        rows = list(model.objects.order_by("pk").values())
        digest = hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()
        state[model._meta.label] = (len(rows), digest)
    return state


def changed_models(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


@pytest.fixture
def unchanged_database(db):
    """Call it to take a snapshot; call `.assert_unchanged()` on the result afterwards."""

    class Snapshot:
        def __init__(self):
            self.before = database_state()

        def assert_unchanged(self, context=""):
            diff = changed_models(self.before, database_state())
            assert not diff, f"{context}: the database changed ({', '.join(diff)})"

    return Snapshot
