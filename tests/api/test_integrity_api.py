"""Through the API: published means settled, claims name the revision they quote, revisions are an editor's
action once an article has settled claims (issue 18, items 2 and 3)."""

import pytest

from annotate.models import Article, Claim, HistoryEntry, Span, Status
from tests.conftest import ARTICLE_BODY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field, value", [("text", "The barrier cost 14 million."), ("claimant", "Someone else"), ("claim_date", "2024-01-01")])
def test_a_reviewer_cannot_patch_the_words_of_a_published_claim(api, desk, field, value):
    claim = desk.published
    response = api.erin.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, field: value}, format="json")
    assert response.status_code == 403
    assert "published" in response.json()["detail"] and "only an editor" in response.json()["detail"]
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.version, stored.text, stored.status) == (claim.version, claim.text, Status.PUBLISHED)
    assert not HistoryEntry.objects.filter(claim=claim, action="claim_edited").exists()


def test_an_editor_may_correct_a_published_claim(api, desk):
    claim = desk.published
    response = api.bob.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "text": "Corrected wording."}, format="json")
    assert response.status_code == 200 and response.json()["text"] == "Corrected wording."


def test_a_reviewer_still_edits_a_claim_in_review(api, desk):
    claim = desk.reviewing
    response = api.alice.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "claimant": "The mayor"}, format="json")
    assert response.status_code == 200


def _selection(article, quote, **extra):
    start = article.body.index(quote)
    return {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote, **extra}


def test_a_claim_posted_against_an_old_revision_is_refused_with_409(api, cast):
    response = api.bob.post(f"/api/v1/articles/{cast.article.pk}/revisions/", {"body": "Update.\n\n" + ARTICLE_BODY}, format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=cast.article.pk)
    response = api.alice.post("/api/v1/claims/", _selection(article, "protects 12,000 homes", revision=1), format="json")
    assert response.status_code == 409
    assert response.json()["revision"] == 2 and "reload the article" in response.json()["detail"]
    assert not Claim.objects.exists()
    response = api.alice.post("/api/v1/claims/", _selection(article, "protects 12,000 homes", revision=2), format="json")
    assert response.status_code == 201 and response.json()["revision"] == 2


def test_the_revisions_api_reports_what_happened_to_each_span(api, desk):
    article = Article.objects.get(pk=desk.fresh.article_id)
    body = ARTICLE_BODY.replace("ran three years late", "ran four years late").replace("The council said", "Update.\n\nThe council said")
    response = api.bob.post(f"/api/v1/articles/{article.pk}/revisions/", {"body": body, "revision": 1}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"article": article.pk, "revision": 2, "placed": 2, "moved": 2, "changed": 1, "orphaned": 0}
    span = Span.objects.get(pk=desk.fresh.span_id)
    assert span.changed_in_revision and span.quote == "ran three years late" and span.revised_quote == "ran four years late"
    # The claim in the API says so: the checked wording in `quote`, the new one in `revised_quote`.
    data = api.alice.get(f"/api/v1/claims/{desk.fresh.pk}/").json()
    assert (data["changed_in_revision"], data["orphaned"], data["quote"], data["revised_quote"]) == (
        True, True, "ran three years late", "ran four years late")
    listed = {c["id"]: c for c in api.alice.get("/api/v1/claims/").json()["results"]}
    assert listed[desk.published.pk]["changed_in_revision"] is False and listed[desk.published.pk]["revised_quote"] == ""


@pytest.mark.parametrize("who, expected", [("alice", 403), ("erin", 403), ("bob", 201), ("dora", 201), ("carol", 404)])
def test_revising_an_article_with_a_published_claim_takes_an_editor(api, desk, who, expected):
    article = Article.objects.get(pk=desk.published.article_id)
    response = getattr(api, who).post(f"/api/v1/articles/{article.pk}/revisions/", {"body": ARTICLE_BODY.replace("41", "14")}, format="json")
    assert response.status_code == expected, response.content
    assert Article.objects.get(pk=article.pk).revision == (2 if expected == 201 else 1)


def test_a_revision_with_a_stale_revision_number_or_no_text_is_refused(api, cast):
    url = f"/api/v1/articles/{cast.article.pk}/revisions/"
    assert api.alice.post(url, {"body": "New text.", "revision": 7}, format="json").status_code == 409
    assert api.alice.post(url, {}, format="json").status_code == 400
    assert api.alice.post(url, {"body": ARTICLE_BODY}, format="json").status_code == 400  # identical text
    assert Article.objects.get(pk=cast.article.pk).revision == 1
