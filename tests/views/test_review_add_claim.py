"""POST /articles/<id>/claims/: a selection becomes a claim; htmx gets only what changed."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from annotate.models import Claim
from tests.conftest import ARTICLE_BODY, HX, make_claim

pytestmark = pytest.mark.django_db


def add_url(article):
    return reverse("claim-add", args=[article.pk])


def selection(quote, occurrence_from=0):
    start = ARTICLE_BODY.index(quote, occurrence_from)
    return {"start": start, "end": start + len(quote), "quote": quote}


def test_htmx_gets_the_new_panel_the_touched_paragraph_and_the_new_row_only(client, cast):
    client.force_login(cast.alice)
    response = client.post(add_url(cast.article), selection("protects 12,000 homes"), headers=HX)
    assert response.status_code == 200
    claim = Claim.objects.get()
    html = response.content.decode()
    assert f'<h2 id="claim-heading" tabindex="-1">Claim #{claim.pk}</h2>' in html
    # The paragraph holding the selection, swapped out of band, and no other paragraph.
    assert '<p id="para-1" data-start="38" hx-swap-oob="true">' in html
    assert html.count("<p id=\"para-") == 1
    assert f'<mark class="hl s-open d1" data-claims="{claim.pk}" data-label="#{claim.pk}">protects 12,000 homes</mark>' in html
    # The new row, first in the (empty) list.
    assert f'<ul hx-swap-oob="afterbegin:#claim-list"><li id="claim-row-{claim.pk}"' in html
    assert response.headers["HX-Push-Url"] == reverse("claim-detail", args=[claim.pk])
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["announce"]["message"] == f"Claim #{claim.pk} added."


def test_a_new_row_goes_after_the_claim_before_it_in_article_order(client, cast):
    first = make_claim(cast.article, "The council said", cast.alice)
    make_claim(cast.article, "the mayor denies", cast.alice)
    client.force_login(cast.alice)
    html = client.post(add_url(cast.article), selection("41 million euros"), headers=HX).content.decode()
    assert f'<ul hx-swap-oob="afterend:#claim-row-{first.pk}">' in html


def test_a_selection_across_paragraphs_and_an_existing_highlight_is_accepted(client, cast):
    existing = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    client.force_login(cast.alice)
    quote = "12,000 homes.\n\nCritics claim"
    response = client.post(add_url(cast.article), selection(quote), headers=HX)
    assert response.status_code == 200
    claim = Claim.objects.exclude(pk=existing.pk).get()
    assert claim.span.quote == quote
    html = response.content.decode()
    assert 'id="para-1"' in html and 'id="para-2"' in html and 'id="para-3"' not in html
    assert f'data-claims="{existing.pk} {claim.pk}"' in html  # the overlap, two deep
    assert f'<ul hx-swap-oob="afterend:#claim-row-{existing.pk}">' in html


def test_a_new_row_goes_after_the_last_claim_of_an_earlier_paragraph(client, cast):
    first = make_claim(cast.article, "The council said", cast.alice)
    make_claim(cast.article, "Engineers expect", cast.alice)
    client.force_login(cast.alice)
    html = client.post(add_url(cast.article), selection("three years late"), headers=HX).content.decode()
    assert f'<ul hx-swap-oob="afterend:#claim-row-{first.pk}">' in html


def test_a_new_row_sorts_by_start_then_longer_first_then_id(client, cast):
    before = make_claim(cast.article, "The council said", cast.alice)
    outer = make_claim(cast.article, "41 million euros and protects", cast.alice)
    client.force_login(cast.alice)
    # Same start, shorter: inside the outer claim, so after it.
    html = client.post(add_url(cast.article), selection("41 million"), headers=HX).content.decode()
    assert f'<ul hx-swap-oob="afterend:#claim-row-{outer.pk}">' in html
    inner = Claim.objects.latest("id")
    # Same start, longer than both: before them, after the claim that starts earlier.
    html = client.post(add_url(cast.article), selection("41 million euros and protects 12,000"), headers=HX).content.decode()
    assert f'<ul hx-swap-oob="afterend:#claim-row-{before.pk}">' in html
    # Same range as the inner claim: after it (ids break ties).
    html = client.post(add_url(cast.article), selection("41 million"), headers=HX).content.decode()
    assert f'<ul hx-swap-oob="afterend:#claim-row-{inner.pk}">' in html


def test_without_htmx_it_redirects_to_the_new_claim(client, cast):
    client.force_login(cast.alice)
    response = client.post(add_url(cast.article), selection("three years late"))
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claim-detail", args=[claim.pk])


@pytest.mark.parametrize(
    "data, message",
    [
        ({"start": 10, "end": 20, "quote": "not the text"}, "does not match the article"),
        ({"start": 36, "end": 38, "quote": "\n\n"}, "only whitespace"),
        ({"start": 5, "end": 99999, "quote": "x"}, "the article has only"),
        ({"start": 5, "end": 5, "quote": "x"}, "The selection is empty"),
        ({"start": "a", "end": 5, "quote": "x"}, "Enter a whole number"),
        ({"start": 0, "end": 5}, "This field is required"),
    ],
)
def test_a_bad_selection_is_refused_with_a_message_and_creates_nothing(client, cast, data, message):
    client.force_login(cast.alice)
    response = client.post(add_url(cast.article), data, headers=HX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.headers["HX-Retarget"] == "#selection-message"
    assert Claim.objects.count() == 0


def test_a_bad_selection_without_htmx_shows_the_page_with_the_message(client, cast):
    client.force_login(cast.alice)
    response = client.post(add_url(cast.article), {"start": 36, "end": 38, "quote": "\n\n"})
    assert response.status_code == 422
    html = response.content.decode()
    assert '<div class="error" role="alert">The selection contains only whitespace' in html
    assert Claim.objects.count() == 0


def test_an_outsider_cannot_add_a_claim(client, cast):
    client.force_login(cast.carol)
    assert client.post(add_url(cast.article), selection("three years late"), headers=HX).status_code == 404
    assert Claim.objects.count() == 0


def test_an_anonymous_post_is_sent_to_login(client, cast):
    response = client.post(add_url(cast.article), selection("three years late"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Claim.objects.count() == 0


def test_get_is_not_allowed(client, cast):
    client.force_login(cast.alice)
    assert client.get(add_url(cast.article)).status_code == 405


# Span, claim and history entry in one INSERT on PostgreSQL (annotate/claimrows.py): two queries fewer.
_ONE_INSERT = 2 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize(
    "quote, queries",
    [
        # session, user, article; savepoint, the article's row lock (its revision: claims and
        # revisions serialise), span, claim, history, release; spans on the touched paragraph
        # (which hold the claim before it: "The council said"); the project's ratings;
        # desk memory's candidates for auto-linking (one query). On PostgreSQL span, claim and
        # history are one INSERT (annotate/claimrows.py, issue 16): two queries fewer.
        ("41 million euros", 12),
        # the same, plus the last claim before the paragraph (none before it in the paragraph)
        ("three years late", 13),
    ],
)
def test_adding_a_claim_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries, quote, queries):
    for existing in ("The council said", "the mayor denies", "Engineers expect"):
        make_claim(cast.article, existing, cast.alice)
    client.force_login(cast.alice)
    with django_assert_num_queries(queries - _ONE_INSERT):
        client.post(add_url(cast.article), selection(quote), headers=HX)


def test_the_query_count_does_not_grow_with_the_claims_of_the_article(client, cast, django_assert_num_queries):
    words = [(m, m + 4) for m in range(len(ARTICLE_BODY) - 4) if ARTICLE_BODY[m:m + 4].strip() == ARTICLE_BODY[m:m + 4]]
    for start, end in words[:60]:
        make_claim(cast.article, ARTICLE_BODY[start:end], cast.alice)
    client.force_login(cast.alice)
    with django_assert_num_queries(13 - _ONE_INSERT):
        client.post(add_url(cast.article), selection("three years late"), headers=HX)
