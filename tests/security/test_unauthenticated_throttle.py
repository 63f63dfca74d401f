"""Anonymous and bad-token API requests are throttled (issue 18, item 7), and /api/schema/ and
/api/docs/ are public by choice (README "API"): they describe the API, hold no desk's data,
and are throttled like any anonymous request."""

import pytest
from django.core.cache import cache

from annotate.models import ApiToken

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"


@pytest.fixture
def tight(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "unauth-throttle"}}
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "unauthenticated": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    yield
    cache.clear()


def test_bad_tokens_are_throttled_per_address_and_a_good_token_still_works(client, cast, tight):
    statuses = [client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token guess{i}", REMOTE_ADDR=ADDRESS).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Token guess9", REMOTE_ADDR=ADDRESS)
    assert int(refused["Retry-After"]) > 0 and "throttled" in refused.json()["detail"].lower()
    # Another address has its own budget; a valid token is never counted or refused for it.
    assert client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Token guess", REMOTE_ADDR="203.0.113.78").status_code == 401
    _, key = ApiToken.objects.issue(cast.bob)
    assert client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=ADDRESS).status_code == 200


def test_requests_without_credentials_are_throttled_before_the_401(client, cast, tight):
    statuses = [client.get(f"/api/v1/claims/?n={i}", REMOTE_ADDR=ADDRESS).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_a_logged_in_session_is_not_counted_as_unauthenticated(client, cast, tight):
    client.force_login(cast.alice)
    assert {client.get("/api/v1/projects/", REMOTE_ADDR=ADDRESS).status_code for _ in range(6)} == {200}


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_its_docs_are_public(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "harbour" not in response.content.decode().lower()


def test_the_public_schema_is_throttled_like_any_anonymous_request(client, db, tight):
    statuses = [client.get("/api/schema/", REMOTE_ADDR=ADDRESS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
