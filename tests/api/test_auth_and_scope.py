"""Who may read what: token and session authentication, anonymous refused, outsiders see nothing."""

import pytest

from tests.api.conftest import ids, results, token_client

LISTS = [
    "/api/v1/projects/",
    "/api/v1/articles/",
    "/api/v1/claims/",
    "/api/v1/verdicts/",
    "/api/v1/sources/",
    "/api/v1/claimreviews/",
    "/api/v1/annotations/",
    "/api/v1/export/verdicts.csv",
    "/api/v1/export/verdicts.jsonl",
    "/api/v1/export/verdicts.json",
]


def detail_urls(cast, desk):
    verdict = desk.published.verdicts.get(reviewer=cast.alice)
    source = desk.published.evidence.get().source
    return [
        f"/api/v1/projects/{cast.project.slug}/",
        f"/api/v1/articles/{cast.article.pk}/",
        f"/api/v1/claims/{desk.published.pk}/",
        f"/api/v1/verdicts/{verdict.pk}/",
        f"/api/v1/sources/{source.pk}/",
        f"/api/v1/claimreviews/{desk.published.pk}/",
        f"/api/v1/annotations/{desk.published.pk}/",
    ]


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_gets_401_on_every_list_and_export(api, url):
    response = api.anon.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/json")


def test_anonymous_gets_401_on_every_detail(api, cast, desk):
    for url in detail_urls(cast, desk):
        assert api.anon.get(url).status_code == 401, url


def test_anonymous_cannot_write(api, cast, desk):
    assert api.anon.post("/api/v1/claims/", {"article": cast.article.pk, "start": 0, "end": 7, "quote": "Harbour"}, format="json").status_code == 401
    assert api.anon.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": "False"}, format="json").status_code == 401
    assert api.anon.patch(f"/api/v1/claims/{desk.fresh.pk}/", {"version": 1, "text": "x"}, format="json").status_code == 401
    assert api.anon.post("/api/v1/articles/", {"project": cast.project.slug, "text": "A\n\nB"}, format="json").status_code == 401


def test_a_wrong_token_is_refused(cast):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/claims/").status_code == 401


def test_the_token_in_the_authorization_header_authenticates(cast, desk):
    client = token_client(cast.alice)
    assert desk.published.pk in ids(client.get("/api/v1/claims/"))


def test_a_browser_session_authenticates_too(client, cast, desk):
    client.force_login(cast.alice)
    response = client.get("/api/v1/claims/")
    assert desk.published.pk in ids(response)


def test_a_session_write_needs_the_csrf_token(cast):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    response = client.post("/api/v1/claims/", {"article": cast.article.pk, "start": 0, "end": 7, "quote": "Harbour"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_outsider_sees_nothing_of_the_project_in_any_list(api, cast, desk):
    for url in LISTS[:7]:
        response = api.carol.get(url)
        data = response.json()
        items = data["first"]["items"] if url.endswith("annotations/") else results(response)
        texts = repr(items)
        assert cast.project.slug not in texts, url
        assert "cost 41 million euros" not in texts, url


def test_an_outsider_sees_only_their_own_desk(api, cast, desk):
    assert [p["slug"] for p in results(api.carol.get("/api/v1/projects/"))] == [cast.other.slug]
    assert ids(api.carol.get("/api/v1/claims/")) == [desk.foreign.pk]
    assert ids(api.carol.get("/api/v1/articles/")) == [desk.foreign_article.pk]


def test_an_outsider_gets_404_on_every_detail(api, cast, desk):
    for url in detail_urls(cast, desk):
        assert api.carol.get(url).status_code == 404, url


def test_an_outsider_exports_no_row_of_the_project(api, cast, desk):
    from tests.api.conftest import streamed

    text = streamed(api.carol.get("/api/v1/export/verdicts.csv"))
    assert cast.project.slug not in text
    assert "Port statistics." in text


def test_members_of_every_role_read_the_project(api, cast, desk):
    for client in (api.alice, api.erin, api.bob, api.dora):
        assert ids(client.get("/api/v1/claims/")) == [desk.published.pk, desk.reviewing.pk, desk.fresh.pk]


@pytest.mark.parametrize("kind", ["articles", "claims", "verdicts", "sources", "claimreviews", "annotations"])
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "99999999999999999999999"])
def test_a_malformed_or_impossible_id_is_a_404(api, desk, kind, bad_id):
    assert api.bob.get(f"/api/v1/{kind}/{bad_id}/").status_code == 404
