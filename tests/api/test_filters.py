"""Every filter of the API: project, article, claim, status, rating (label or id), reviewer,
published and updated_since, on every endpoint that offers it."""

import datetime

import pytest
from django.utils import timezone

from annotate.models import Claim, Source, Verdict
from tests.api.conftest import ids, results
from tests.conftest import make_article, make_claim, rating


@pytest.fixture
def second_article(cast, desk):
    article = make_article(cast.project, body="Second story.\n\nRents fell by a third last year.", title="Rents", user=cast.alice)
    claim = make_claim(article, "Rents fell by a third", cast.alice)
    return article, claim


class TestClaimFilters:
    def test_project(self, api, cast, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"project": cast.project.slug})) == [desk.published.pk, desk.reviewing.pk, desk.fresh.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"project": cast.other.slug})) == []

    def test_article(self, api, cast, desk, second_article):
        article, claim = second_article
        assert ids(api.bob.get("/api/v1/claims/", {"article": article.pk})) == [claim.pk]

    def test_status_one_or_several(self, api, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"status": "open"})) == [desk.fresh.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"status": ["open", "published"]})) == [desk.published.pk, desk.fresh.pk]

    def test_an_unknown_status_is_a_400(self, api, desk):
        response = api.bob.get("/api/v1/claims/", {"status": "lost"})
        assert response.status_code == 400
        assert "status" in response.json()

    def test_final_rating_by_label_or_id(self, api, cast, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"rating": "false"})) == [desk.published.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"rating": rating(cast.project, "False").pk})) == [desk.published.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"rating": "Accurate"})) == []

    def test_reviewer(self, api, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"reviewer": "alice"})) == [desk.published.pk, desk.reviewing.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"reviewer": "erin"})) == [desk.published.pk]

    def test_published(self, api, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"published": "true"})) == [desk.published.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"published": "false"})) == [desk.reviewing.pk, desk.fresh.pk]

    def test_updated_since(self, api, desk):
        past = timezone.now() - datetime.timedelta(days=3)
        Claim.objects.filter(pk__in=[desk.published.pk, desk.reviewing.pk]).update(updated_at=past)
        since = (past + datetime.timedelta(days=1)).isoformat()
        assert ids(api.bob.get("/api/v1/claims/", {"updated_since": since})) == [desk.fresh.pk]
        assert ids(api.bob.get("/api/v1/claims/", {"updated_since": past.isoformat()})) == [desk.published.pk, desk.reviewing.pk, desk.fresh.pk]

    def test_a_bad_updated_since_is_a_400(self, api, desk):
        response = api.bob.get("/api/v1/claims/", {"updated_since": "last tuesday"})
        assert response.status_code == 400
        assert "updated_since" in response.json()

    def test_filters_combine(self, api, cast, desk):
        assert ids(api.bob.get("/api/v1/claims/", {"project": cast.project.slug, "reviewer": "alice", "status": "in_review"})) == [desk.reviewing.pk]


class TestVerdictFilters:
    def test_project_article_and_claim(self, api, cast, desk, second_article):
        article, claim = second_article
        assert len(ids(api.bob.get("/api/v1/verdicts/", {"project": cast.project.slug}))) == 3
        assert ids(api.bob.get("/api/v1/verdicts/", {"article": article.pk})) == []
        assert len(ids(api.bob.get("/api/v1/verdicts/", {"article": cast.article.pk}))) == 3
        assert [v["reviewer"] for v in results(api.bob.get("/api/v1/verdicts/", {"claim": desk.published.pk}))] == ["alice", "erin"]

    def test_status_of_the_claim(self, api, desk):
        assert {v["claim"] for v in results(api.bob.get("/api/v1/verdicts/", {"status": "in_review"}))} == {desk.reviewing.pk}

    def test_rating_by_label_or_id(self, api, cast, desk):
        misleading = rating(cast.project, "Misleading")
        assert [v["reviewer"] for v in results(api.bob.get("/api/v1/verdicts/", {"rating": "misleading"}))] == ["erin"]
        assert [v["reviewer"] for v in results(api.bob.get("/api/v1/verdicts/", {"rating": misleading.pk}))] == ["erin"]

    def test_reviewer(self, api, desk):
        assert {v["claim"] for v in results(api.bob.get("/api/v1/verdicts/", {"reviewer": "alice"}))} == {desk.published.pk, desk.reviewing.pk}

    def test_updated_since(self, api, cast, desk):
        Verdict.objects.filter(reviewer=cast.alice).update(updated_at=timezone.now() - datetime.timedelta(days=2))
        since = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert [v["reviewer"] for v in results(api.bob.get("/api/v1/verdicts/", {"updated_since": since}))] == ["erin"]


class TestSourceFilters:
    def test_project_claim_and_updated_since(self, api, cast, desk):
        source = Source.objects.get()
        assert ids(api.bob.get("/api/v1/sources/", {"project": cast.project.slug})) == [source.pk]
        assert ids(api.bob.get("/api/v1/sources/", {"project": cast.other.slug})) == []
        assert ids(api.bob.get("/api/v1/sources/", {"claim": desk.published.pk})) == [source.pk]
        assert ids(api.bob.get("/api/v1/sources/", {"claim": desk.fresh.pk})) == []
        assert ids(api.bob.get("/api/v1/sources/", {"updated_since": "2999-01-01T00:00:00Z"})) == []


class TestClaimReviewFilters:
    def test_project_article_rating_and_updated_since(self, api, cast, desk):
        def reviewed(params):
            return [r["claimReviewed"] for r in results(api.bob.get("/api/v1/claimreviews/", params))]

        assert reviewed({"project": cast.project.slug}) == ["cost 41 million euros"]
        assert reviewed({"article": cast.article.pk}) == ["cost 41 million euros"]
        assert reviewed({"rating": "Accurate"}) == []
        assert reviewed({"rating": "False"}) == ["cost 41 million euros"]
        assert reviewed({"updated_since": "2999-01-01T00:00:00Z"}) == []


class TestAnnotationFilters:
    def items(self, client, **params):
        return [item["id"].rstrip("/").rsplit("/", 1)[1] for item in client.get("/api/v1/annotations/", params).json()["first"]["items"]]

    def test_article_project_published_status_rating_reviewer_updated_since(self, api, cast, desk, second_article):
        article, claim = second_article
        assert self.items(api.bob, article=article.pk) == [str(claim.pk)]
        assert self.items(api.bob, project=cast.other.slug) == []
        assert self.items(api.bob, published="true") == [str(desk.published.pk)]
        assert self.items(api.bob, status="in_review") == [str(desk.reviewing.pk)]
        assert self.items(api.bob, rating="False") == [str(desk.published.pk)]
        assert self.items(api.bob, reviewer="erin") == [str(desk.published.pk)]
        assert self.items(api.bob, updated_since="2999-01-01T00:00:00Z") == []


class TestExportFilters:
    def test_the_csv_export_filters_like_verdicts(self, api, cast, desk):
        from tests.api.conftest import streamed

        text = streamed(api.bob.get("/api/v1/export/verdicts.csv", {"reviewer": "erin"}))
        assert len(text.strip().splitlines()) == 2  # header + erin's one verdict
        text = streamed(api.bob.get("/api/v1/export/verdicts.csv", {"status": "published"}))
        assert len(text.strip().splitlines()) == 3

    def test_a_bad_filter_on_an_export_is_a_json_400(self, api, desk):
        response = api.bob.get("/api/v1/export/verdicts.jsonl", {"updated_since": "soon"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert "updated_since" in response.json()
