"""The review page's suggestions: listed with reasons, accepted in one step, dismissals remembered, cached per revision."""

import pytest

from annotate.models import ArticleSuggestions, Claim, SuggestionDecision
from tests.conftest import HX, make_article
from tests.unit.test_suggest import OWN_ARTICLE


@pytest.fixture
def own(cast):
    return make_article(cast.project, body=OWN_ARTICLE, title="Coalition", user=cast.alice)


def _items(client, article):
    from annotate import suggestions

    return suggestions.open_suggestions(article)


def test_panel_lists_suggestions_with_reasons_and_the_arithmetic(client, cast, own):
    client.force_login(cast.alice)
    page = client.get(f"/articles/{own.pk}/")
    assert 'hx-get="/articles/%d/suggestions/"' % own.pk in page.content.decode()
    html = client.get(f"/articles/{own.pk}/suggestions/", headers=HX).content.decode()
    assert "Suggested claims" in html and "states a statistic or amount" in html
    assert "8 named of the 9 stated" in html and "Implied base ≈ 310 million" in html
    assert "scored by rules" in html


def test_accept_makes_a_claim_in_one_step_and_dismiss_is_remembered(client, cast, own):
    client.force_login(cast.alice)
    items = _items(client, own)
    worthy = next(i for i in items if i["kind"] == "check-worthy")
    response = client.post(f"/articles/{own.pk}/suggestions/{worthy['key']}/accept/", {}, headers=HX)
    assert response.status_code == 200
    claim = Claim.objects.get(article=own)
    assert (claim.span.start, claim.span.end, claim.span.quote) == (worthy["start"], worthy["end"], worthy["quote"])
    assert f'id="suggestion-{worthy["key"]}" hx-swap-oob="delete"' in response.content.decode()
    # Already decided: refused, nothing changes.
    again = client.post(f"/articles/{own.pk}/suggestions/{worthy['key']}/accept/", {}, headers=HX)
    assert again.status_code == 422 and Claim.objects.filter(article=own).count() == 1

    problem = next(i for i in _items(client, own) if i["kind"] == "inconsistency")
    assert client.post(f"/articles/{own.pk}/suggestions/{problem['key']}/dismiss/", headers=HX).status_code == 200
    assert problem["key"] not in {i["key"] for i in _items(client, own)}
    assert SuggestionDecision.objects.get(key=problem["key"]).decision == "dismissed"
    assert problem["detail"]["title"] not in client.get(f"/articles/{own.pk}/suggestions/", headers=HX).content.decode()


def test_a_narrower_selection_inside_the_sentence_becomes_the_span_and_one_outside_is_refused(client, cast, own):
    client.force_login(cast.alice)
    worthy = next(i for i in _items(client, own) if "403,000" in i["quote"])
    start = own.body.index("403,000 people")
    outside = client.post(f"/articles/{own.pk}/suggestions/{worthy['key']}/accept/", {"start": 0, "end": 4, "quote": own.body[:4]}, headers=HX)
    assert outside.status_code == 422 and not Claim.objects.exists()
    ok = client.post(f"/articles/{own.pk}/suggestions/{worthy['key']}/accept/", {"start": start, "end": start + 14, "quote": "403,000 people"})
    assert ok.status_code == 302
    assert Claim.objects.get().span.quote == "403,000 people"


def test_outsider_gets_404_and_nothing_changes(client, cast, own):
    key = _items(client, own)[0]["key"]
    client.force_login(cast.carol)
    assert client.get(f"/articles/{own.pk}/suggestions/").status_code == 404
    assert client.post(f"/articles/{own.pk}/suggestions/{key}/dismiss/").status_code == 404
    assert not SuggestionDecision.objects.exists()


def test_computed_once_per_revision_and_read_in_fixed_queries(client, cast, own, django_assert_num_queries):
    client.force_login(cast.alice)
    client.get(f"/articles/{own.pk}/suggestions/", headers=HX)
    assert ArticleSuggestions.objects.filter(article=own).count() == 1
    # session, user, article + role, model version, cached set, decisions, spans
    with django_assert_num_queries(7):
        client.get(f"/articles/{own.pk}/suggestions/", headers=HX)
    assert ArticleSuggestions.objects.get(article=own).revision == own.revision
