"""Confirmed appearances flow out: ClaimReview appearance/firstAppearance, W3C links, the public page."""

import datetime
import json

import pytest
from django.urls import reverse

from annotate.memory import similar
from tests.api.conftest import token_client
from tests.api.test_web_annotation_w3c import SCHEMAS, Suite

pytestmark = pytest.mark.django_db


def jsonld(html):
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_a_confirmed_appearance_is_in_the_published_claimreview(memory):
    api = token_client(memory.bob)
    before = api.get(f"/api/v1/claimreviews/{memory.earlier.pk}/").json()
    assert isinstance(before["itemReviewed"]["appearance"], dict)  # one appearance: as before
    memory.second.published_on = datetime.date(2020, 1, 2)
    memory.second.save()
    similar.decide(memory.later, memory.erin, memory.earlier.pk, "confirmed")
    item = api.get(f"/api/v1/claimreviews/{memory.earlier.pk}/").json()["itemReviewed"]
    assert [a["headline"] for a in item["appearance"]] == ["Tidal barrier opens", "Mayor defends flood spending"]
    second = item["appearance"][1]
    assert second["publisher"] == {"@type": "Organization", "name": "Harbour Post"} and second["datePublished"] == "2020-01-02"
    # The second article is dated 2020; the first has no date, so its claim counts from today.
    assert item["firstAppearance"] == second
    # Dismissing takes it out again.
    similar.decide(memory.later, memory.erin, memory.earlier.pk, "dismissed")
    assert isinstance(api.get(f"/api/v1/claimreviews/{memory.earlier.pk}/").json()["itemReviewed"]["appearance"], dict)


def test_the_public_page_says_also_said_in_and_embeds_the_appearances(client, memory):
    url = reverse("public-article", args=[memory.project.slug, memory.article.pk])
    assert "Also said in" not in client.get(url).content.decode()
    similar.decide(memory.later, memory.erin, memory.earlier.pk, "confirmed")
    html = client.get(url).content.decode()
    assert "Also said in “<bdi>Mayor defends flood spending</bdi>” (<bdi>Harbour Post</bdi>)" in html
    assert len(jsonld(html)["itemReviewed"]["appearance"]) == 2
    assert "Building the tidal barrier" not in html  # the other claim itself is not published


def test_the_w3c_annotation_links_the_matched_annotation_and_still_meets_the_musts(memory):
    similar.decide(memory.later, memory.erin, memory.earlier.pk, "confirmed")
    api = token_client(memory.bob)
    earlier = api.get(f"/api/v1/annotations/{memory.earlier.pk}/").json()
    later = api.get(f"/api/v1/annotations/{memory.later.pk}/").json()
    assert {"type": "SpecificResource", "purpose": "linking", "source": later["id"]} in earlier["body"]
    assert {"type": "SpecificResource", "purpose": "linking", "source": earlier["id"]} in later["body"]
    suite = Suite(SCHEMAS)
    for annotation in (earlier, later):
        checked, failures = suite.check("annotation", annotation)
        assert checked and failures == []
