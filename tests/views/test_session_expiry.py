"""An ended session never costs typed work (issue 12, item 1): htmx gets a 401 and an event,
never a login page to swap into a panel; `next` always names a page that can be fetched with GET."""

import json

import pytest
from django.urls import reverse

from annotate.models import Verdict
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "Critics claim the project ran three years late", cast.alice)


def test_an_htmx_save_on_an_ended_session_is_a_401_with_the_login_url_of_the_page(client, cast, claim):
    page = f"http://testserver/claims/{claim.pk}/"
    response = client.post(
        reverse("verdict-save", args=[claim.pk]),
        {"rating": rating(cast.project, "False").pk, "rationale": "typed", "version": 0},
        headers={**HX, "HX-Current-URL": page},
    )
    assert response.status_code == 401
    assert "<html" not in response.content.decode()  # no login page to swap into the panel
    event = json.loads(response["HX-Trigger"])["session-expired"]
    assert event["login"] == f"/login/?next=/claims/{claim.pk}/"
    assert response["Cache-Control"] == "no-store" and response["WWW-Authenticate"].startswith("Session")
    assert not Verdict.objects.exists()


def test_an_htmx_fragment_request_names_the_page_not_the_fragment(client, cast):
    response = client.get(
        reverse("claims-panel", args=[cast.article.pk]),
        headers={**HX, "HX-Current-URL": f"http://testserver/articles/{cast.article.pk}/"},
    )
    assert response.status_code == 401
    assert json.loads(response["HX-Trigger"])["session-expired"]["login"] == f"/login/?next=/articles/{cast.article.pk}/"


def test_another_sites_current_url_is_not_used_as_next(client, cast, claim):
    response = client.post(reverse("comment-add", args=[claim.pk]), {"text": "x"},
                           headers={**HX, "HX-Current-URL": "https://evil.example.org/claims/1/"})
    assert json.loads(response["HX-Trigger"])["session-expired"]["login"] == "/login/?next=/"


def test_a_plain_post_sends_next_to_the_page_it_came_from_not_to_the_post_url(client, cast, claim):
    response = client.post(reverse("verdict-save", args=[claim.pk]), {"rationale": "typed"},
                           HTTP_REFERER=f"http://testserver/claims/{claim.pk}/")
    assert response.status_code == 302
    assert response.url == f"/login/?next=/claims/{claim.pk}/"
    # Without a usable referer: the home page, never /claims/N/verdict/ (a GET there is a 405).
    response = client.post(reverse("verdict-save", args=[claim.pk]), {"rationale": "typed"},
                           HTTP_REFERER="https://evil.example.org/x")
    assert response.url == "/login/?next=/"


def test_a_get_keeps_its_own_path_as_next(client, cast, claim):
    response = client.get(reverse("claim-detail", args=[claim.pk]) + "?x=1")
    assert response.status_code == 302 and response.url == f"/login/?next=/claims/{claim.pk}/%3Fx%3D1"


def test_logging_in_with_that_next_lands_on_the_claim(client, cast, claim):
    response = client.post(reverse("verdict-save", args=[claim.pk]), {}, HTTP_REFERER=f"http://testserver/claims/{claim.pk}/")
    login_url = response.url
    response = client.post(login_url, {"username": "alice", "password": "pw-for-tests-only"})
    assert response.status_code == 302 and response.url == f"/claims/{claim.pk}/"
    assert client.get(response.url).status_code == 200


def test_a_member_still_gets_the_page(client, cast, claim):
    client.force_login(cast.alice)
    assert client.get(reverse("claim-detail", args=[claim.pk]), headers=HX).status_code == 200


def test_favicon_and_the_scale_stylesheet(client, cast, claim):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    url = reverse("scale-stylesheet", args=[cast.project.slug])
    # Nothing published, not a member: the desk does not show.
    assert client.get(url).status_code == 404
    client.force_login(cast.carol)
    assert client.get(url).status_code == 404
    client.force_login(cast.alice)
    css = client.get(url)
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    false = rating(cast.project, "False")
    assert f".rt-{false.pk}{{--rt-line:#cf222e;" in css.content.decode()
