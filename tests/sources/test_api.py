"""The sources API: snapshot, check state and verification fields; POST /api/v1/sources/{id}/recheck/.

Responses are validated against the OpenAPI document the app serves (the same strict check
as tests/api/test_openapi_schema.py), so the declared shape cannot drift.
"""

import pytest

from annotate import services
from annotate.models import Snapshot
from tests.api.conftest import token_client
from tests.api.test_openapi_schema import check
from tests.sources.conftest import CHANGED_PAGE

pytestmark = pytest.mark.django_db

EXCERPT = "the barrier cost 41 million euros, four million more than planned"


@pytest.fixture
def cited(cast, claim, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.add_evidence(claim, cast.alice, url=f"{site.base}/audit", stance="supports", excerpt=EXCERPT)


@pytest.fixture
def openapi(cast):
    return token_client(None).get("/api/schema/", {"format": "json"}).json()


def test_a_source_exposes_its_snapshot_check_state_and_evidence_verification(cast, cited, openapi):
    api = token_client(cast.erin)
    response = api.get(f"/api/v1/sources/{cited.source_id}/")
    assert response.status_code == 200
    check(openapi, response)
    body = response.json()
    snapshot = Snapshot.objects.get()
    assert body["snapshot"]["sha256"] == snapshot.sha256 and body["snapshot"]["http_status"] == 200
    assert body["check_state"] == "ok" and body["archived_url"] == ""
    [evidence] = body["evidence"]
    assert (evidence["claim"], evidence["verification"], evidence["snapshot"]) == (cited.claim_id, "found", snapshot.pk)
    listed = api.get("/api/v1/sources/")
    check(openapi, listed)
    assert listed.json()["results"][0]["snapshot"]["id"] == snapshot.pk


def test_recheck_through_the_api_flags_a_changed_page(cast, cited, site, openapi):
    site.pages["/audit"] = (200, "text/html; charset=utf-8", CHANGED_PAGE.encode())
    response = token_client(cast.alice).post(f"/api/v1/sources/{cited.source_id}/recheck/")
    assert response.status_code == 202
    check(openapi, response, "post")
    body = response.json()
    assert body["task_status"] == "SUCCESSFUL"  # the immediate backend of the tests; READY on a worker
    assert body["source"]["evidence"][0]["verification"] == "close"
    assert body["source"]["snapshot"]["id"] == Snapshot.objects.order_by("-id").first().pk


def test_recheck_is_refused_to_outsiders_and_anonymous_callers(cast, cited, site):
    hits = len(site.hits)
    assert token_client(cast.carol).post(f"/api/v1/sources/{cited.source_id}/recheck/").status_code == 404
    assert token_client(None).post(f"/api/v1/sources/{cited.source_id}/recheck/").status_code == 401
    assert token_client(cast.carol).get(f"/api/v1/sources/{cited.source_id}/").status_code == 404
    assert len(site.hits) == hits


def test_the_recheck_operation_is_in_the_openapi_document(openapi):
    operation = openapi["paths"]["/api/v1/sources/{id}/recheck/"]["post"]
    assert "202" in operation["responses"] and "404" in operation["responses"]
