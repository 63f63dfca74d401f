"""Correcting a published fact-check: same URL, a Correction record (when, who, what, a
public note), "Corrected on …" on the public page, ClaimReview dateModified, the old wording
in the history; refused without a note, to reviewers and to outsiders."""

import json
import re

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Claim, Correction, HistoryEntry, Status
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"))
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "It cost 52 million.")
    return services.publish(claim, cast.bob, claim.version)


def correct(client, claim, **values):
    data = {"rating": rating(claim.project, "Misleading").pk, "final_rationale": "It cost 48 million after the audit.",
            "version": claim.version, **values}
    return client.post(reverse("claim-final", args=[claim.pk]), data, headers=HX)


def jsonld(page):
    return [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_an_editor_corrects_a_published_fact_check(client, cast, published, who):
    public_url = reverse("public-article", args=[cast.project.slug, cast.article.pk])
    before = jsonld(client.get(public_url).text)[0]
    client.force_login(getattr(cast, who))
    response = correct(client, published, correction_note="The audit revised the cost to 48 million.")
    assert response.status_code == 200 and "Correction published" in response.text
    claim = Claim.objects.get(pk=published.pk)
    assert claim.status == Status.PUBLISHED and claim.published_at == published.published_at and claim.corrected_at
    correction = Correction.objects.get(claim=claim)
    assert correction.corrected_by == getattr(cast, who)
    assert correction.changes == {"rating": ["False", "Misleading"], "rationale": ["It cost 52 million.", "It cost 48 million after the audit."]}
    # History keeps the old wording.
    entry = HistoryEntry.objects.get(claim=claim, action="corrected")
    assert entry.changes["rationale"][0] == "It cost 52 million."
    panel = client.get(reverse("claim-detail", args=[claim.pk])).text
    assert "It cost 52 million." in panel and "corrected the published fact-check" in panel

    client.logout()
    page = client.get(public_url).text
    assert "Corrected on" in page and "The audit revised the cost to 48 million." in page
    after = jsonld(page)[0]
    assert after["url"] == before["url"]
    assert "dateModified" not in before and after["dateModified"].startswith(claim.corrected_at.date().isoformat())
    assert after["reviewRating"]["alternateName"] == "Misleading"


def test_a_correction_without_a_note_is_refused_and_changes_nothing(client, cast, published):
    client.force_login(cast.bob)
    response = correct(client, published, correction_note=" ")
    assert response.status_code == 400 and "public correction note" in response.text
    claim = Claim.objects.get(pk=published.pk)
    assert claim.final_rationale == "It cost 52 million." and claim.corrected_at is None
    assert not Correction.objects.exists()


def test_an_unchanged_verdict_is_not_a_correction(client, cast, published):
    client.force_login(cast.bob)
    response = correct(client, published, rating=rating(cast.project, "False").pk, final_rationale="It cost 52 million.", correction_note="Nothing.")
    assert response.status_code == 400 and "nothing to correct" in response.text
    assert not Correction.objects.exists()


@pytest.mark.parametrize("who,expected", [("alice", 403), ("carol", 404)])
def test_reviewers_and_outsiders_cannot_correct(client, cast, published, who, expected):
    client.force_login(getattr(cast, who))
    assert correct(client, published, correction_note="Mine.").status_code == expected
    assert not Correction.objects.exists()


def test_the_feeds_mark_the_correction(client, cast, published):
    client.force_login(cast.bob)
    correct(client, published, correction_note="Revised.")
    client.logout()
    feed = client.get(f"/f/{cast.project.slug}/feed.json").json()
    assert feed["items"][0]["title"].startswith("Corrected: Misleading")
