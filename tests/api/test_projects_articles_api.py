"""projects/ and articles/: reading, and importing articles through the API."""

import pytest

from annotate import extract
from annotate.models import Article
from tests.api.conftest import ids, results


def test_projects_list_my_role_and_the_rating_scale(api, cast):
    [project] = results(api.bob.get("/api/v1/projects/"))
    assert project["slug"] == cast.project.slug
    assert project["role"] == "editor"
    assert [r["label"] for r in project["ratings"]] == ["Accurate", "Mostly accurate", "Mixed", "Misleading", "False", "Unverifiable"]
    assert project["url"] == f"http://testserver/api/v1/projects/{cast.project.slug}/"


def test_a_project_is_retrieved_by_its_slug(api, cast):
    response = api.alice.get(f"/api/v1/projects/{cast.project.slug}/")
    assert response.status_code == 200
    assert response.json()["role"] == "reviewer"


def test_the_article_list_leaves_out_the_text(api, cast):
    [article] = results(api.alice.get("/api/v1/articles/"))
    assert article["id"] == cast.article.pk
    assert "body" not in article
    assert article["project"] == cast.project.slug
    assert article["revision"] == 1


def test_an_article_comes_with_its_text_and_revision(api, cast):
    article = api.alice.get(f"/api/v1/articles/{cast.article.pk}/").json()
    assert article["body"] == cast.article.body
    assert article["length"] == len(cast.article.body)
    assert article["revision"] == 1


def test_articles_filter_by_project_and_updated_since(api, cast, desk):
    assert ids(api.alice.get("/api/v1/articles/", {"project": cast.project.slug})) == [cast.article.pk]
    assert ids(api.alice.get("/api/v1/articles/", {"project": cast.other.slug})) == []
    assert ids(api.alice.get("/api/v1/articles/", {"updated_since": "2000-01-01T00:00:00Z"})) == [cast.article.pk]
    assert ids(api.alice.get("/api/v1/articles/", {"updated_since": "2999-01-01T00:00:00Z"})) == []


class TestImport:
    def test_a_reviewer_imports_title_and_body(self, api, cast):
        response = api.alice.post(
            "/api/v1/articles/",
            {"project": cast.project.slug, "title": "Ferry fares", "body": "Fares rise 5%.\r\n\r\nThe operator said so.", "source_url": "https://news.example/ferry"},
            format="json",
        )
        assert response.status_code == 201, response.content
        data = response.json()
        article = Article.objects.get(pk=data["id"])
        assert (article.title, article.body, article.source_url) == ("Ferry fares", "Fares rise 5%.\n\nThe operator said so.", "https://news.example/ferry")
        assert article.created_by == cast.alice
        assert data["body"] == article.body
        assert response["Location"] == data["url"]

    def test_plain_text_takes_its_title_from_the_first_line(self, api, cast):
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "text": "Ferry fares rise\n\nThe operator said so."}, format="json")
        assert response.status_code == 201
        assert (response.json()["title"], response.json()["body"]) == ("Ferry fares rise", "The operator said so.")

    def test_html_is_read_as_html_and_its_markup_never_stored(self, api, cast):
        html = "<html><head><title>Ferry</title></head><body><h1>Ferry fares rise</h1><p>The operator <b>said</b> so.</p><script>alert(1)</script></body></html>"
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "text": html, "format": "html"}, format="json")
        assert response.status_code == 201, response.content
        assert "<" not in response.json()["body"]
        assert "alert" not in response.json()["body"]

    def test_a_url_is_fetched_and_extracted(self, api, cast, monkeypatch):
        seen = {}

        def fake_fetch(url, **kwargs):
            seen["url"] = url
            return extract.Extracted(title="Web page", body="The page text.", source_url=url)

        monkeypatch.setattr(extract, "fetch", fake_fetch)
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "url": "https://news.example/a"}, format="json")
        assert response.status_code == 201
        assert seen["url"] == "https://news.example/a"
        assert response.json()["source_url"] == "https://news.example/a"

    def test_a_page_that_cannot_be_fetched_is_a_400_naming_the_url(self, api, cast, monkeypatch):
        def failing_fetch(url, **kwargs):
            raise extract.ImportProblem("news.example did not answer within 10 seconds.")

        monkeypatch.setattr(extract, "fetch", failing_fetch)
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "url": "https://news.example/a"}, format="json")
        assert response.status_code == 400
        assert response.json() == {"url": ["news.example did not answer within 10 seconds."]}

    def test_a_duplicate_is_a_409_linking_the_existing_article(self, api, cast):
        response = api.bob.post("/api/v1/articles/", {"project": cast.project.slug, "title": "Again", "body": cast.article.body}, format="json")
        assert response.status_code == 409
        data = response.json()
        assert data["existing"] == {"id": cast.article.pk, "url": f"http://testserver/api/v1/articles/{cast.article.pk}/", "title": cast.article.title}
        assert "already imported" in data["detail"]
        assert Article.objects.count() == 1

    @pytest.mark.parametrize(
        "payload, field",
        [
            ({"title": "Empty", "body": "   \n\n  "}, "body"),
            ({"body": "No title given."}, "title"),
            ({}, "non_field_errors"),
            ({"text": "A", "url": "https://news.example/"}, "non_field_errors"),
            ({"url": "javascript:alert(1)"}, "url"),
        ],
    )
    def test_bad_input_is_a_400_and_imports_nothing(self, api, cast, payload, field):
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, **payload}, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert Article.objects.count() == 1

    def test_an_oversized_article_is_refused(self, api, cast, settings):
        settings.FACTMARK_MAX_ARTICLE_BYTES = 100
        response = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "text": "Title\n\n" + "x" * 200}, format="json")
        assert response.status_code == 400
        assert "limit" in response.json()["text"][0]

    def test_an_outsider_cannot_import_into_the_project(self, api, cast):
        response = api.carol.post("/api/v1/articles/", {"project": cast.project.slug, "text": "Title\n\nText."}, format="json")
        assert response.status_code == 400
        assert response.json() == {"project": [f"No project {cast.project.slug} in your projects."]}
        assert not Article.objects.filter(title="Title").exists()
