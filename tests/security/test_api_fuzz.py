"""Schemathesis against the app's own OpenAPI document, authenticated as an editor.

Every operation of /api/schema/ gets a bounded, derandomised number of generated
requests (MAX_EXAMPLES), sent in-process through the WSGI application with the editor's
token. Checks: no 5xx, the status code is one the schema documents, and the body
conforms to the schema declared for that status. The run's operations and examples
are counted and printed.
"""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from config.wsgi import application
from tests.conftest import make_claim, rating

MAX_EXAMPLES = 25


@pytest.fixture
def _keep_test_connection():
    """Call the WSGI app as Django's test client does: without closing the connection per request.

    request_started/finished close a connection that is not in autocommit mode, which
    the test's transaction is not; on PostgreSQL that would cut the test off its data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(cast, _keep_test_connection):
    from annotate import services

    # Something of every kind, so generated ids sometimes hit real objects.
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "Budget papers say 44.")
    services.add_evidence(claim, cast.alice, url="https://example.org/report", stance="refutes", title="Report")
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "It cost 44 million.")
    services.publish(claim, cast.bob, claim.version)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def editor_token(cast):
    from annotate.models import ApiToken

    return ApiToken.objects.issue(cast.bob)[1]


def test_generated_requests_get_no_server_error_and_a_documented_answer(api_schema, editor_token, capsys):
    # schemathesis.pytest.from_fixture does not work with pytest 9 (it sets Function._nodeid),
    # so each operation gets its own Hypothesis run here, with the same settings.
    run = Counter()
    failures = []
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    headers = {"Authorization": f"Token {editor_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15, "the schema lost operations"

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            run[label] += 1
            # Each request in its own savepoint, as each real request has its own transaction:
            # on PostgreSQL one failed statement would otherwise poison every later example.
            with transaction.atomic():
                case.call_and_validate(headers=headers, checks=checks)
                transaction.set_rollback(True)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, report them together
            failures.append(f"{label}: {exc}"[:3000])

    with capsys.disabled():
        print(f"\nschemathesis: {len(run)} operations, {sum(run.values())} examples, {len(failures)} failing operations")
    assert len(run) == len(operations)
    assert not failures, "\n\n".join(failures)


# What the fuzzer found, pinned: filter values no row can match answer an empty 200, not a 500.
@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/verdicts/", "/api/v1/sources/", "/api/v1/claimreviews/",
                                  "/api/v1/annotations/", "/api/v1/articles/", "/api/v1/export/verdicts.csv"])
@pytest.mark.parametrize("query", ["rating=99999999999999999999999", "rating=%C2%B2", "article=99999999999999999999", "claim=1e30",
                                   "claim=-99999999999999999999", "claim=1.5", "updated_since=1229-12-05T13:40:46-20:08",
                                   "updated_since=0001-01-01T00:00:00%2B14:00", "updated_since=9999-12-31T23:59:59-14:00"])
def test_filter_values_no_row_can_match_give_no_server_error(cast, client, path, query):
    client.force_login(cast.bob)
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400), (path, query, response.status_code)
