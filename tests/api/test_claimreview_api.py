"""claimreviews/: published claims as schema.org ClaimReview, checked field by field."""

import datetime

from annotate import services
from tests.api.conftest import results
from tests.conftest import make_article, make_claim, rating


def test_a_published_claim_is_a_complete_claimreview(api, cast, desk, settings):
    settings.FACTMARK_ORGANIZATION = "Harbour Fact Desk"
    response = api.bob.get("/api/v1/claimreviews/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    [review] = results(response)
    claim = desk.published
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "cost 41 million euros"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 1}
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "The council"}
    assert review["itemReviewed"]["appearance"] == {"@type": "CreativeWork", "headline": "Tidal barrier opens"}
    assert review["url"] == f"http://testserver/f/{cast.project.slug}/{cast.article.pk}/#claim-{claim.pk}"
    assert review["author"] == {"@type": "Organization", "name": "Harbour Fact Desk"}
    assert review["datePublished"] == claim.published_at.date().isoformat()
    assert review["reviewBody"] == "The budget says 52 million euros."


def test_the_appearance_names_the_articles_url_publisher_and_date(api, cast):
    article = make_article(
        cast.project, body="Ferry news.\n\nFares rise 5% in May.", title="Ferry fares", user=cast.alice,
        source_url="https://news.example/ferry", publisher="Harbour Times", author="Jo Reporter", published=datetime.date(2025, 5, 2),
    )  # fmt: skip
    claim = make_claim(article, "Fares rise 5% in May", cast.alice)
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "Accurate"), "Timetable confirms.")
    services.publish(claim, cast.bob, claim.version)
    [review] = results(api.bob.get("/api/v1/claimreviews/", {"article": article.pk}))
    assert review["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "headline": "Ferry fares",
        "url": "https://news.example/ferry",
        "publisher": {"@type": "Organization", "name": "Harbour Times"},
        "datePublished": "2025-05-02",
    }
    # Without a claimant the article's author said it.
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Jo Reporter"}


def test_a_rating_outside_the_order_has_only_its_label(api, cast, desk):
    claim = services.settle_claim(desk.reviewing, cast.bob, desk.reviewing.version, rating(cast.project, "Unverifiable"), "No data.")
    services.publish(claim, cast.bob, claim.version)
    reviews = {r["claimReviewed"]: r for r in results(api.bob.get("/api/v1/claimreviews/"))}
    assert reviews["protects 12,000 homes"]["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_unpublished_claims_never_appear(api, cast, desk):
    claim = services.settle_claim(desk.reviewing, cast.bob, desk.reviewing.version, rating(cast.project, "Accurate"), "Approved, not published.")
    reviewed = [r["claimReviewed"] for r in results(api.bob.get("/api/v1/claimreviews/"))]
    assert reviewed == ["cost 41 million euros"]
    assert api.bob.get(f"/api/v1/claimreviews/{claim.pk}/").status_code == 404
    services.unpublish(desk.published, cast.bob, desk.published.version, "The source was withdrawn.")
    assert results(api.bob.get("/api/v1/claimreviews/")) == []


def test_one_claimreview_by_claim_id(api, desk):
    response = api.alice.get(f"/api/v1/claimreviews/{desk.published.pk}/")
    assert response.status_code == 200
    assert response.json()["claimReviewed"] == "cost 41 million euros"


def test_plain_json_is_there_for_clients_that_ask_for_it(api, desk):
    response = api.bob.get("/api/v1/claimreviews/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert results(response)[0]["@type"] == "ClaimReview"


def test_an_outsider_gets_only_their_own_desks_reviews(api, desk):
    assert [r["claimReviewed"] for r in results(api.carol.get("/api/v1/claimreviews/"))] == ["9 million containers"]
    assert api.carol.get(f"/api/v1/claimreviews/{desk.published.pk}/").status_code == 404
