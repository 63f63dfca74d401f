"""Public index, feeds (parsed with feedparser), embeddable cards and oEmbed."""

import json

import feedparser
import pytest
from django.utils import timezone

from annotate import services
from annotate.models import Claim
from tests.conftest import make_claim, rating


def _published(cast, quote, label, claimant=""):
    claim = make_claim(cast.article, quote, cast.alice, claimant=claimant, text=f"Claim: {quote} <b>bold</b>")
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, label), "Because <script>x</script>.")
    return services.publish(claim, cast.bob, claim.version)


@pytest.fixture
def desk(cast):
    first = _published(cast, "41 million euros", "False", "The mayor")
    second = _published(cast, "12,000 homes", "Accurate", "The council")
    draft = make_claim(cast.article, "three years late", cast.alice)
    return cast, first, second, draft


def test_index_lists_published_newest_first_without_json_ld(client, desk, django_assert_num_queries):
    cast, first, second, draft = desk
    with django_assert_num_queries(4):  # project, scale, count, page
        response = client.get(f"/f/{cast.project.slug}/")
    html = response.content.decode()
    assert html.index(f"factcheck-{second.pk}") < html.index(f"factcheck-{first.pk}")
    assert f"factcheck-{draft.pk}" not in html and "application/ld+json" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html
    assert f'href="/f/{cast.project.slug}/{cast.article.pk}/#claim-{first.pk}"' in html
    for kind in ("application/atom+xml", "application/rss+xml", "application/feed+json"):
        assert f'rel="alternate" type="{kind}"' in html


def test_index_filters_by_rating_and_claimant(client, desk):
    cast, first, second, _ = desk
    html = client.get(f"/f/{cast.project.slug}/?rating={rating(cast.project, 'False').pk}").content.decode()
    assert f"factcheck-{first.pk}" in html and f"factcheck-{second.pk}" not in html
    html = client.get(f"/f/{cast.project.slug}/?claimant=the+council").content.decode()
    assert f"factcheck-{second.pk}" in html and f"factcheck-{first.pk}" not in html
    assert client.get(f"/f/{cast.project.slug}/?rating=abc").status_code == 400
    assert client.get(f"/f/{cast.project.slug}/?claimant=nobody").status_code == 200


def test_index_paginates(client, desk, monkeypatch):
    cast, first, second, _ = desk
    monkeypatch.setattr("annotate.views.public_index.PAGE_SIZE", 1)
    page2 = client.get(f"/f/{cast.project.slug}/?page=2").content.decode()
    assert f"factcheck-{first.pk}" in page2 and f"factcheck-{second.pk}" not in page2


def test_a_desk_with_nothing_published_has_no_index(client, cast):
    make_claim(cast.article, "41 million euros", cast.alice)
    assert client.get(f"/f/{cast.project.slug}/").status_code == 404


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_and_carry_published_and_corrected_fact_checks(client, desk, kind):
    cast, first, second, draft = desk
    # A new final verdict after publication is a correction: the entry comes back to the top.
    first = Claim.objects.get(pk=first.pk)
    services.settle_claim(first, cast.bob, first.version, rating(cast.project, "Misleading"), "Corrected figure.", note="The figure was wrong.")
    parsed = feedparser.parse(client.get(f"/f/{cast.project.slug}/feed.{kind}").content)
    assert not parsed.bozo, parsed.bozo_exception
    titles = [e.title for e in parsed.entries]
    assert titles[0].startswith("Corrected: Misleading: Claim: 41 million euros")
    assert titles[1] == "Accurate: Claim: 12,000 homes <b>bold</b>"
    assert len(parsed.entries) == 2
    assert parsed.entries[0].link.endswith(f"/f/{cast.project.slug}/{cast.article.pk}/#claim-{first.pk}")
    # The rationale's markup is text: the feed's HTML escapes it.
    assert "<script>" not in parsed.entries[1].summary and "&lt;script&gt;" in parsed.entries[1].summary


def test_json_feed(client, desk):
    cast, first, second, _ = desk
    response = client.get(f"/f/{cast.project.slug}/feed.json")
    assert response["Content-Type"] == "application/feed+json"
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"].rsplit("-", 1)[1] for item in data["items"]] == [str(second.pk), str(first.pk)]


def test_embed_card_is_framable_only_by_the_configured_origins(client, desk):
    cast, first, _, draft = desk
    path = f"/f/{cast.project.slug}/{cast.article.pk}/{first.pk}/embed/"
    response = client.get(path)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"
    cast.project.embed_origins = "https://news.example.org\nhttps://cms.example.org:8443/"
    cast.project.save()
    response = client.get(path)
    assert "frame-ancestors https://news.example.org https://cms.example.org:8443" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert b"Read the fact-check" in response.content
    # Everything else stays unframable.
    for other in (f"/f/{cast.project.slug}/", f"/f/{cast.project.slug}/{cast.article.pk}/"):
        r = client.get(other)
        assert "frame-ancestors 'none'" in r["Content-Security-Policy"] and r["X-Frame-Options"] == "DENY"
    assert client.get(f"/f/{cast.project.slug}/{cast.article.pk}/{draft.pk}/embed/").status_code == 404


def test_embed_origins_are_validated(cast):
    from django.core.exceptions import ValidationError

    cast.project.embed_origins = "https://ok.example.org\nhttps://bad.example.org/path\n*"
    with pytest.raises(ValidationError, match="bad.example.org/path"):
        cast.project.full_clean()


def test_oembed_answers_rich_json_discoverable_from_the_page(client, desk):
    cast, first, _, draft = desk
    page = client.get(f"/f/{cast.project.slug}/{cast.article.pk}/").content.decode()
    assert 'type="application/json+oembed"' in page
    url = f"http://testserver/f/{cast.project.slug}/{cast.article.pk}/#claim-{first.pk}"
    data = client.get("/oembed/", {"url": url, "maxwidth": 300}).json()
    assert data["version"] == "1.0" and data["type"] == "rich" and data["width"] == 300 and data["height"] == 280
    assert f'/f/{cast.project.slug}/{cast.article.pk}/{first.pk}/embed/' in data["html"]
    assert "&lt;b&gt;" in data["html"]
    assert client.get("/oembed/", {"url": url, "format": "xml"}).status_code == 501
    assert client.get("/oembed/", {"url": url.replace(str(first.pk), str(draft.pk))}).status_code == 404
    assert client.get("/oembed/", {"url": "https://elsewhere.example/f/x/1/"}).status_code == 404
    assert client.get("/oembed/", {"url": url, "maxwidth": "wide"}).status_code == 400
    assert client.get("/oembed/").status_code == 400


def test_index_items_show_claim_claimant_and_rating_in_colour_and_words(client, desk):
    cast, first, _, _ = desk
    html = client.get(f"/f/{cast.project.slug}/").content.decode()
    item = html[html.index(f'id="factcheck-{first.pk}"'):]
    item = item[: item.index("</li>")]
    false = rating(cast.project, "False")
    assert f'fill="{false.colour}"' in item and '<bdi class="rating-label">False</bdi>' in item
    assert "Claimed by" in item and "The mayor" in item and "Claim: 41 million euros" in item


def test_pages_keep_the_filters(client, cast, monkeypatch):
    monkeypatch.setattr("annotate.views.public_index.PAGE_SIZE", 1)
    made = [_published(cast, quote, "False", "The mayor") for quote in ("41 million euros", "12,000 homes", "three years late")]
    _published(cast, "about 20 times a year", "False", "The council")
    html = client.get(f"/f/{cast.project.slug}/?claimant=The+mayor").content.decode()
    assert "Page 1 of 3" in html
    assert 'href="?claimant=The+mayor&amp;page=2" rel="next"' in html
    page3 = client.get(f"/f/{cast.project.slug}/?claimant=The+mayor&page=3").content.decode()
    assert f"factcheck-{made[0].pk}" in page3 and "The council" not in page3
    # A page past the end shows the last one; a page that is not a number, the first.
    assert f"factcheck-{made[0].pk}" in client.get(f"/f/{cast.project.slug}/?claimant=The+mayor&page=99").content.decode()
    assert f"factcheck-{made[2].pk}" in client.get(f"/f/{cast.project.slug}/?claimant=The+mayor&page=x").content.decode()


def test_an_embed_is_framable_only_by_its_own_projects_origins(client, desk):
    cast, first, _, _ = desk
    cast.other.embed_origins = "https://other.example.org"
    cast.other.save()
    response = client.get(f"/f/{cast.project.slug}/{cast.article.pk}/{first.pk}/embed/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "other.example.org" not in response["Content-Security-Policy"]
    # The card of another project's address is not found, whatever its origins.
    assert client.get(f"/f/{cast.other.slug}/{cast.article.pk}/{first.pk}/embed/").status_code == 404
