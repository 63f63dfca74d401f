"""One set of limits (issue 18, item 7): the API refuses what the forms refuse, and the models'
validators (the admin, full_clean) hold the same lengths and URL schemes, all from annotate/limits.py."""

import pytest
from django.core.exceptions import ValidationError

from annotate import limits
from annotate.models import Article, Claim, Comment, Evidence, Source, Verdict
from tests.api.conftest import token_client
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db


def _over(limit):
    return "x" * (limit + 1)


def test_the_api_refuses_an_over_long_claim_text_on_create_and_edit(cast, unchanged_database):
    client = token_client(cast.alice)
    start = cast.article.body.index("tidal")
    snapshot = unchanged_database()
    created = client.post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": start + 5, "quote": "tidal",
                                              "text": _over(limits.CLAIM_TEXT)}, format="json")
    assert created.status_code == 400 and "5000 characters" in created.json()["text"][0]
    snapshot.assert_unchanged("over-long claim")
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    edited = client.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "text": _over(limits.CLAIM_TEXT)}, format="json")
    assert edited.status_code == 400
    assert Claim.objects.get(pk=claim.pk).text != _over(limits.CLAIM_TEXT)


def test_the_api_accepts_a_claim_text_at_the_limit(cast):
    start = cast.article.body.index("tidal")
    response = token_client(cast.alice).post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": start + 5,
                                                                 "quote": "tidal", "text": "y" * limits.CLAIM_TEXT}, format="json")
    assert response.status_code == 201


def test_the_api_refuses_over_long_rationales(cast):
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    verdict = token_client(cast.alice).post("/api/v1/verdicts/", {"claim": claim.pk, "rating": "False", "rationale": _over(limits.RATIONALE)}, format="json")
    assert verdict.status_code == 400 and "rationale" in verdict.json()
    assert not Verdict.objects.exists()
    final = token_client(cast.bob).patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "final_rating": "False",
                                                                        "final_rationale": _over(limits.RATIONALE)}, format="json")
    assert final.status_code == 400 and "final_rationale" in final.json()


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "javascript:alert(1)", "file:///etc/passwd"])
def test_the_api_refuses_a_source_url_that_is_not_a_web_address(cast, url):
    response = token_client(cast.alice).post("/api/v1/articles/", {"project": "harbour-desk", "title": "T", "body": "Some text.",
                                                                   "source_url": url}, format="json")
    assert response.status_code == 400 and "source_url" in response.json()
    assert not Article.objects.filter(title="T").exists()


def test_the_page_form_refuses_the_same_claim_length(client, cast):
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    client.force_login(cast.alice)
    response = client.post(f"/claims/{claim.pk}/edit/", {"text": _over(limits.CLAIM_TEXT), "version": claim.version})
    assert response.status_code in (400, 422)
    assert "at most 5000 characters" in response.content.decode()


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda c: Claim(project=c.project, article=c.article, span=make_claim(c.article, "41 million euros", c.alice).span, text=_over(limits.CLAIM_TEXT)), "text"),
        (lambda c: Comment(claim=make_claim(c.article, "41 million euros", c.alice), author=c.alice, text=_over(limits.COMMENT)), "text"),
        (lambda c: Verdict(claim=make_claim(c.article, "41 million euros", c.alice), reviewer=c.alice, rating=rating(c.project, "False"), rationale=_over(limits.RATIONALE)), "rationale"),
        (lambda c: Article(project=c.project, title="T", body="b", content_hash="h", source_url="ftp://example.org/x"), "source_url"),
        (lambda c: Source(project=c.project, url="ftp://example.org/x"), "url"),
        (lambda c: Evidence(claim=make_claim(c.article, "41 million euros", c.alice), source=Source.objects.create(project=c.project, url="https://e.org/"), stance="context", note=_over(limits.NOTE)), "note"),
    ],
    ids=["claim-text", "comment", "rationale", "article-url-scheme", "source-url-scheme", "evidence-note"],
)
def test_the_models_hold_the_same_limits_for_the_admin(cast, build, field):
    # The admin's ModelForms run the models' validators (full_clean); so do commands that validate.
    with pytest.raises(ValidationError) as refused:
        build(cast).full_clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "https://example.org/" + "a" * limits.URL])
def test_the_import_service_used_by_the_commands_refuses_the_same_urls(cast, url):
    from annotate import services
    from annotate.extract import from_text

    extracted = from_text("Title\n\nSome text of an article.")
    extracted.source_url = url
    with pytest.raises(services.Invalid) as refused:
        services.import_article(cast.project, cast.alice, extracted)
    assert refused.value.field == "source_url"
    assert not Article.objects.filter(title="Title").exists()
