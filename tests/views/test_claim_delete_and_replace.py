"""Deleting a claim (creator only, after confirmation) and re-placing an orphaned highlight."""

import json

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Claim, HistoryEntry, Span
from tests.conftest import ARTICLE_BODY, HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


def delete_url(claim):
    return reverse("claim-delete", args=[claim.pk])


def test_without_js_a_confirmation_page_comes_first(client, cast, claim):
    client.force_login(cast.alice)
    response = client.get(delete_url(claim))
    assert response.status_code == 200
    assert f"Delete claim #{claim.pk}?" in response.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()
    response = client.post(delete_url(claim))
    assert response.status_code == 302 and response.url == reverse("review", args=[cast.article.pk])
    assert not Claim.objects.exists() and not Span.objects.exists()


def test_with_htmx_the_row_and_highlight_go_away(client, cast, claim):
    client.force_login(cast.alice)
    response = client.post(delete_url(claim), headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<li id="claim-row-{claim.pk}" hx-swap-oob="delete"></li>' in html
    assert '<p id="para-1" data-start="38" hx-swap-oob="true">The council said the barrier' in html
    assert "<mark" not in html
    assert response.headers["HX-Push-Url"] == reverse("review", args=[cast.article.pk])
    assert json.loads(response.headers["HX-Trigger"])["announce"]["message"] == f"Claim #{claim.pk} deleted."


def test_only_the_creator_may_delete(client, cast, claim):
    client.force_login(cast.erin)
    assert client.post(delete_url(claim), headers=HX).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_with_another_reviewers_verdict_cannot_be_deleted(client, cast, claim):
    services.save_verdict(claim, cast.erin, rating(cast.project, "False"))
    client.force_login(cast.alice)
    response = client.post(delete_url(claim), headers=HX)
    assert response.status_code == 422
    assert "Another reviewer has given a verdict" in response.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_outsiders_get_404_and_anonymous_visitors_the_login_page(client, cast, claim):
    client.force_login(cast.carol)
    assert client.get(delete_url(claim)).status_code == 404
    assert client.post(delete_url(claim)).status_code == 404
    client.logout()
    response = client.post(delete_url(claim))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Claim.objects.filter(pk=claim.pk).exists()


# --- re-placing an orphan ---------------------------------------------------------


@pytest.fixture
def orphan(cast, claim):
    Span.objects.filter(pk=claim.span_id).update(orphaned=True, anchor_method="orphaned", start=500, end=540)
    return Claim.objects.select_related("span").get(pk=claim.pk)


def replace(client, claim, quote, htmx=True):
    start = ARTICLE_BODY.index(quote)
    return client.post(reverse("claim-replace", args=[claim.pk]), {"start": start, "end": start + len(quote), "quote": quote},
                       headers=HX if htmx else {})


def test_an_orphan_panel_offers_re_placing_and_dismissing(client, cast, orphan):
    client.force_login(cast.alice)
    html = client.get(reverse("claim-detail", args=[orphan.pk]), headers=HX).content.decode()
    assert 'data-orphaned="true"' in html
    assert "Re-place on the selected text" in html and "Dismiss…" in html


def test_re_placing_an_orphan_moves_its_row_and_highlights_the_new_text(client, cast, orphan):
    client.force_login(cast.alice)
    response = replace(client, orphan, "cost 41 million euros")
    assert response.status_code == 200
    span = Span.objects.get(pk=orphan.span_id)
    assert (span.quote, span.orphaned, span.anchor_method) == ("cost 41 million euros", False, "manual")
    html = response.content.decode()
    assert f'<li id="claim-row-{orphan.pk}" hx-swap-oob="delete"></li>' in html
    assert f'<ul hx-swap-oob="afterbegin:#claim-list"><li id="claim-row-{orphan.pk}"' in html
    assert f'data-claims="{orphan.pk}" data-label="#{orphan.pk}">cost 41 million euros</mark>' in html
    assert HistoryEntry.objects.filter(claim=orphan, action="span_replaced").exists()


def test_re_placing_on_a_bad_selection_is_refused(client, cast, orphan):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-replace", args=[orphan.pk]), {"start": 0, "end": 5, "quote": "Nope!"}, headers=HX)
    assert response.status_code == 422
    assert "does not match the article" in response.content.decode()
    assert Span.objects.get(pk=orphan.span_id).orphaned


def test_re_placing_without_js_redirects_back(client, cast, orphan):
    client.force_login(cast.erin)
    response = replace(client, orphan, "three years late", htmx=False)
    assert response.status_code == 302
    assert not Span.objects.get(pk=orphan.span_id).orphaned


def test_an_outsider_cannot_re_place(client, cast, orphan):
    client.force_login(cast.carol)
    assert replace(client, orphan, "three years late").status_code == 404
    assert Span.objects.get(pk=orphan.span_id).orphaned


def test_dismissing_an_orphan_deletes_it_without_touching_the_text(client, cast, orphan):
    client.force_login(cast.alice)
    response = client.post(delete_url(orphan), headers=HX)
    assert response.status_code == 200
    assert "<p id=" not in response.content.decode()
    assert not Claim.objects.exists()
