"""No 500 from input (issue 18, item 6): the six reproduced ways to a server error.

A NUL byte or a lone surrogate in JSON, a form or a query string is a 400 with a message
and changes nothing; an over-long login name is refused like any wrong login; the API
answers every error as JSON, a 500 included; an export whose database is lost before its
first byte answers the JSON 503.
"""

import inspect
import json

import pytest
from django.db import OperationalError
from django.test import Client

from annotate.middleware import MESSAGE
from tests.api.conftest import desk  # noqa: F401 - fixture
from tests.api.conftest import api, token_client  # noqa: F401 - fixture
from tests.conftest import make_claim

NUL = "a\u0000b"
SURROGATE = "a\ud800b"  # json.dumps writes it as the escape "\ud800", as an attacker would send it


def _json(value):
    return json.dumps(value)  # ensure_ascii: the surrogate travels as a \\u escape


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone-surrogate"])
def test_a_bad_character_in_a_verdict_rating_is_a_400(cast, bad, unchanged_database):
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    client = token_client(cast.erin)
    snapshot = unchanged_database()
    response = client.post("/api/v1/verdicts/", _json({"claim": claim.pk, "rating": bad, "rationale": "x"}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "character" in json.dumps(response.json()).lower()
    snapshot.assert_unchanged("verdict with a bad rating")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone-surrogate"])
def test_a_bad_character_in_a_final_rating_is_a_400(cast, bad, unchanged_database):
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    client = token_client(cast.bob)
    snapshot = unchanged_database()
    response = client.patch(f"/api/v1/claims/{claim.pk}/", _json({"version": claim.version, "final_rating": bad}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "character" in json.dumps(response.json()).lower()
    snapshot.assert_unchanged("claim with a bad final rating")


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "lone-surrogate"])
def test_a_bad_character_anywhere_in_api_json_is_a_400(cast, bad):
    client = token_client(cast.alice)
    response = client.post("/api/v1/claims/", _json({"article": cast.article.pk, "text": "ok", "nested": {"deep": [bad]}}), content_type="application/json")
    assert response.status_code == 400
    assert "character" in response.json()["detail"].lower()


def test_a_nul_in_a_query_string_is_a_400_on_a_page(cast, client):
    client.force_login(cast.alice)
    response = client.get("/p/harbour-desk/sources/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_api_query_string_is_a_json_400(cast):
    response = token_client(cast.alice).get("/api/v1/claims/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["q"][0]  # shaped as the API's filter errors: {parameter: [messages]}


def test_a_nul_in_a_form_field_is_refused_inline_and_saves_nothing(cast, client, unchanged_database):
    client.force_login(cast.alice)
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    snapshot = unchanged_database()
    response = client.post(f"/claims/{claim.pk}/comments/", {"text": "hello\x00world"})
    assert response.status_code == 422  # the form again, its field marked
    assert "Null characters are not allowed" in response.content.decode()
    snapshot.assert_unchanged("comment with a NUL")


@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_over_long_login_name_is_refused_cleanly(cast, length):
    client = Client(raise_request_exception=False)
    response = client.post("/login/", {"username": "u" * length, "password": "whatever"})
    assert response.status_code == 200  # the login page again, with its error
    assert "at most 150 characters" in response.content.decode()


def test_a_login_name_near_the_limit_is_an_ordinary_wrong_login(cast):
    client = Client(raise_request_exception=False)
    response = client.post("/login/", {"username": "u" * 150, "password": "whatever"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_an_api_server_error_answers_json(cast, monkeypatch):
    from annotate.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.ProjectViewSet, "list", broken)
    client = token_client(cast.alice)
    client.raise_request_exception = False
    response = client.get("/api/v1/projects/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "server error" in response.json()["detail"].lower()
    assert "a bug" not in response.content.decode()  # no internals leak


def test_an_unknown_api_path_answers_json_404(cast):
    response = token_client(cast.alice).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_an_export_whose_database_is_lost_before_the_first_byte_answers_json_503(cast, monkeypatch, fmt):
    from django.db import connections

    wrapper = connections["default"]
    real_ensure = wrapper.ensure_connection
    calls = []

    def lost():
        # Authentication has asked the database already; it is lost just before the export starts.
        if any(frame.function == "check_database" for frame in inspect.stack()[1:3]):
            calls.append("export")
            raise OperationalError("server closed the connection unexpectedly")
        return real_ensure()

    monkeypatch.setattr(wrapper, "ensure_connection", lost)
    client = token_client(cast.bob)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/export/verdicts.{fmt}")
    assert calls == ["export"]
    assert response.status_code == 503
    assert not response.streaming
    assert response.json()["detail"] == MESSAGE
    assert response["Retry-After"] == "30"
