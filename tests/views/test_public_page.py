"""The public fact-check page /f/<slug>/<article_id>/: no login, published claims only,
ClaimReview JSON-LD per claim that user text cannot break out of, fixed query count."""

import json
import re

import pytest
from django.urls import reverse

from annotate import services
from tests.conftest import make_article, make_claim, rating

pytestmark = pytest.mark.django_db


def url(article):
    return reverse("public-article", args=[article.project.slug, article.pk])


def settle(cast, claim, label="False", rationale="The audited accounts give 52 million euros.", publish=True):
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, label), rationale)
    if publish:
        claim = services.publish(claim, cast.bob, claim.version)
    return claim


def jsonld_blocks(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


@pytest.fixture
def published(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice, claimant="The council")
    services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"), "ALICE-PRIVATE-RATIONALE")
    services.add_comment(claim, cast.erin, "ERIN-PRIVATE-COMMENT")
    services.add_evidence(
        claim, cast.alice, url="https://audit.example.org/report", stance="refutes",
        title="Audit <b>report</b> 2024", publisher="Court of Audit", excerpt="Total cost: 52 million.",
    )
    return settle(cast, claim)


def test_anyone_can_read_a_published_fact_check_without_logging_in(client, cast, published):
    response = client.get(url(cast.article))
    assert response.status_code == 200
    page = response.text
    assert cast.article.title in page
    assert f'id="claim-{published.pk}"' in page
    assert "the barrier cost 41 million euros" in page
    assert "The audited accounts give 52 million euros." in page
    assert "The council" in page
    # The final rating by colour and by text.
    assert 'fill="#cf222e"' in page and '<bdi class="rating-label">False</bdi>' in page
    # Its sources, with stance, publisher and a link that passes no authority.
    assert "Refutes" in page and "Court of Audit" in page and "Total cost: 52 million." in page
    assert '<a href="https://audit.example.org/report" rel="nofollow noopener"><bdi>Audit &lt;b&gt;report&lt;/b&gt; 2024</bdi></a>' in page


def test_only_the_published_claim_is_highlighted(client, cast, published):
    draft = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    settled = make_claim(cast.article, "ran three years late", cast.alice)
    settle(cast, settled, label="Accurate", rationale="APPROVED-NOT-PUBLISHED", publish=False)
    page = client.get(url(cast.article)).text
    marks = re.findall(r'<mark[^>]*data-claims="([^"]*)"', page)
    assert marks and all(m == str(published.pk) for m in marks)
    assert f'id="claim-{draft.pk}"' not in page and f'id="claim-{settled.pk}"' not in page
    assert "APPROVED-NOT-PUBLISHED" not in page
    # The article text is all there, draft quotes included, just not highlighted.
    assert "protects 12,000 homes" in page


def test_reviewers_verdicts_comments_and_history_never_appear(client, cast, published):
    page = client.get(url(cast.article)).text
    assert "ALICE-PRIVATE-RATIONALE" not in page
    assert "ERIN-PRIVATE-COMMENT" not in page
    assert "alice" not in page and "erin" not in page and "bob" not in page
    assert "Mixed" not in page  # alice's rating
    assert "csrfmiddlewaretoken" not in page


def test_it_embeds_one_claimreview_per_published_claim(client, cast, published):
    second = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    second = settle(cast, second, label="Accurate", rationale="Flood maps list 12,000 homes.")
    make_claim(cast.article, "ran three years late", cast.alice)  # a draft: no JSON-LD for it
    blocks = jsonld_blocks(client.get(url(cast.article)).text)
    assert len(blocks) == 2
    by_text = {b["claimReviewed"]: b for b in blocks}
    review = by_text["the barrier cost 41 million euros"]
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver{url(cast.article)}#claim-{published.pk}"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 1}
    assert review["itemReviewed"]["author"]["name"] == "The council"
    assert review["reviewBody"] == "The audited accounts give 52 million euros."
    assert by_text["protects 12,000 homes"]["reviewRating"]["ratingValue"] == 5


def test_a_claim_text_cannot_break_out_of_the_json_ld_block(client, cast, published):
    hostile = "</script><script>alert(1)</script>"
    published.refresh_from_db()
    services.update_claim(published, cast.alice, published.version, text=hostile)
    html = client.get(url(cast.article)).text
    assert "<script>alert(1)</script>" not in html
    # The JSON-LD block and the page's script file, nothing else.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">', '<script src="/static/js/public.js" defer>']
    blocks = jsonld_blocks(html)
    assert len(blocks) == 1 and blocks[0]["claimReviewed"] == hostile


def test_publishing_makes_a_claim_appear_and_unpublishing_removes_it(client, cast, published):
    extra = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    extra = settle(cast, extra, label="Accurate", rationale="Maps agree.", publish=False)
    assert f'id="claim-{extra.pk}"' not in client.get(url(cast.article)).text

    client.force_login(cast.bob)
    assert client.post(reverse("claim-status", args=[extra.pk]), {"status": "publish", "version": extra.version}).status_code == 302
    client.logout()
    assert f'id="claim-{extra.pk}"' in client.get(url(cast.article)).text

    client.force_login(cast.bob)
    extra.refresh_from_db()
    assert client.post(reverse("claim-unpublish", args=[extra.pk]), {"reason": "Source withdrawn.", "confirm": "on", "version": extra.version}).status_code == 302
    client.logout()
    page = client.get(url(cast.article)).text
    assert f'id="claim-{extra.pk}"' not in page and "Maps agree." not in page
    assert len(jsonld_blocks(page)) == 1


def test_an_article_without_a_published_claim_is_404(client, cast):
    claim = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    settle(cast, claim, publish=False)
    assert client.get(url(cast.article)).status_code == 404


def test_an_unpublished_article_is_404_even_for_its_editor(client, cast):
    client.force_login(cast.bob)
    assert client.get(url(cast.article)).status_code == 404


def test_the_article_must_belong_to_the_project_in_the_address(client, cast, published):
    wrong = reverse("public-article", args=[cast.other.slug, cast.article.pk])
    assert client.get(wrong).status_code == 404
    assert client.get(reverse("public-article", args=[cast.project.slug, 999999])).status_code == 404


def test_a_logged_in_member_sees_the_same_public_page(client, cast, published):
    client.force_login(cast.alice)
    response = client.get(url(cast.article))
    assert response.status_code == 200
    assert "ALICE-PRIVATE-RATIONALE" not in response.text and "alice" not in response.text


def test_it_may_be_cached_publicly_for_a_short_while(client, cast, published):
    response = client.get(url(cast.article))
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=300" in cache_control
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("count", [2, 20])
def test_the_number_of_queries_does_not_grow_with_the_claims(client, cast, django_assert_num_queries, count):
    body = "\n\n".join(f"Paragraph {i} says the harbour cost {i} million." for i in range(count))
    article = make_article(cast.project, body=body, title="Many claims", user=cast.alice)
    for i in range(count):
        claim = make_claim(article, f"the harbour cost {i} million", cast.alice)
        services.add_evidence(claim, cast.alice, url=f"https://example.org/{i}", stance="supports", title=f"Source {i}")
        services.add_evidence(claim, cast.alice, url=f"https://example.org/x{i}", stance="context")
        settle(cast, claim, label="Accurate", rationale=f"Checked {i}.")
    # article with project, published claims with span and final rating,
    # their evidence with sources, the scale's bounds, their appearances elsewhere.
    with django_assert_num_queries(5):
        response = client.get(url(article))
    assert response.status_code == 200
    assert len(jsonld_blocks(response.text)) == count


def test_the_claim_is_printed_once_when_its_wording_is_the_quote(client, cast):
    """Issue 12, item 8: the restatement equal to the quote was printed twice; no internal #ids for readers."""
    same = make_claim(cast.article, "Critics claim the project ran three years late", cast.alice)
    reworded = make_claim(cast.article, "protects 12,000 homes", cast.alice, text="The barrier protects 12,000 homes.")
    for claim in (same, reworded):
        services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "")
        settle(cast, claim)
    html = client.get(url(cast.article)).content.decode()
    section = html.split('id="checked-heading"')[1]
    assert section.count("Critics claim the project ran three years late") == 1
    assert "The barrier protects 12,000 homes." in section and '<blockquote class="quote" dir="auto">protects 12,000 homes</blockquote>' in section
    assert f"#{same.pk}<" not in section and f">#{reworded.pk}" not in section
    # The editor queue does the same.
    same_queue = make_claim(cast.article, "the mayor denies", cast.alice)
    services.save_verdict(same_queue, cast.alice, rating(cast.project, "False"), "")
    client.force_login(cast.bob)
    queue = client.get(f"/p/{cast.project.slug}/queue/").content.decode()
    row = queue.split(f'id="queue-row-{same_queue.pk}"')[1].split("</article>")[0]
    assert row.count("the mayor denies") == 1
