"""Stateful schemathesis run with two users' tokens (issue 18, item 6).

Schemathesis chains operations through OpenAPI links (inferred from the schema: a POST's
answer feeds the GET/PATCH/DELETE of what it made), as alice, a reviewer of the harbour
desk. After every successful step, everything the answer points at (its `url` and the
`url`s inside it) is read again with carol's token — carol belongs to another desk only —
and must be a 404: zero cross-user reads. Every step must be free of server errors.

Bounded: MAX_STEPS steps per scenario, SCENARIOS scenarios, derandomised (well under a minute);
FACTMARK_FUZZ_SCENARIOS=200 makes a larger run (opt-in).
"""

import json
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error

from annotate.models import ApiToken
from tests.security.test_api_fuzz import _keep_test_connection, api_schema  # noqa: F401 - fixtures

SCENARIOS = int(os.environ.get("FACTMARK_FUZZ_SCENARIOS", "20"))
MAX_STEPS = 6


def _urls(body):
    """Every API object URL in a JSON answer."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "url" and isinstance(value, str) and "/api/v1/" in value:
                yield value
            else:
                yield from _urls(value)
    elif isinstance(body, list):
        for item in body:
            yield from _urls(item)


def test_stateful_run_as_two_users_finds_no_server_error_and_no_cross_user_read(api_schema, cast, capsys):  # noqa: F811
    from django.test import Client

    alice = {"Authorization": f"Token {ApiToken.objects.issue(cast.alice)[1]}"}
    carol = ApiToken.objects.issue(cast.carol)[1]
    outsider = Client()
    tally = Counter()
    cross_reads = []

    class Workflow(api_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": alice}

        def call(self, case, **kwargs):
            # Each step in its own savepoint, kept when it succeeds (later steps build on it);
            # on PostgreSQL a failed statement would otherwise poison the rest of the run.
            # The connection must outlive each request, as with Django's test client (see
            # _keep_test_connection); something in the run reconnects the closing signal.
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            with transaction.atomic():
                return case.call(**kwargs)

        def after_call(self, response, case):
            tally["steps"] += 1
            tally[f"{response.status_code // 100}xx"] += 1
            tally[f"{case.operation.method.upper()} {case.operation.path}"] += 1
            if response.status_code >= 300:
                return
            try:
                body = json.loads(response.content)
            except ValueError:
                return  # CSV, JSON Lines
            for url in set(_urls(body)):
                path = url.split("://", 1)[-1].split("/", 1)[-1]
                seen = outsider.get(f"/{path}", HTTP_AUTHORIZATION=f"Token {carol}")
                tally["cross-user reads tried"] += 1
                if seen.status_code != 404:
                    cross_reads.append((url, seen.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=[not_a_server_error])

    Workflow.run(settings=settings(max_examples=SCENARIOS, stateful_step_count=MAX_STEPS, derandomize=True, deadline=None,
                                   database=None, suppress_health_check=list(HealthCheck)))
    with capsys.disabled():
        print(f"\nschemathesis stateful: {SCENARIOS} scenarios, {tally['steps']} calls ({dict((k, v) for k, v in tally.items() if k.endswith('xx'))}), "
              f"{sum(1 for k in tally if ' /' in k)} operations reached, "
              f"{tally['cross-user reads tried']} cross-user reads tried, {len(cross_reads)} succeeded")
    assert tally["steps"] >= SCENARIOS
    assert tally["5xx"] == 0
    assert tally["cross-user reads tried"] > 0, "no step made anything to read back"
    assert not cross_reads, cross_reads
