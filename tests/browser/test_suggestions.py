"""Suggestions in real Chromium: one click makes a claim, the a key makes a claim of a
narrower mouse selection, and a dismissed suggestion stays gone after a reload."""

import pytest
from playwright.sync_api import expect

from annotate.models import Claim, SuggestionDecision
from tests.browser.conftest import assert_no_problems, login, select_text, wait_for_htmx
from tests.conftest import make_article
from tests.unit.test_suggest import OWN_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_review(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    wait_for_htmx(page)
    expect(page.locator("#suggestion-list")).to_be_visible()


def test_one_click_makes_a_claim_and_a_dismissal_survives_a_reload(page, live_server, cast):
    article = make_article(cast.project, body=OWN_ARTICLE, title="Coalition", user=cast.alice)
    login(page, live_server, cast.alice)
    open_review(page, live_server, article)
    expect(page.locator("#arithmetic-list")).to_contain_text("8 named of the 9 stated")
    first = page.locator("#suggestion-list li[data-suggestion]").first
    key = first.get_attribute("data-suggestion")
    first.get_by_role("button", name="Make claim").click()
    expect(page.locator("#claim-heading")).to_be_visible()
    claim = Claim.objects.get()
    expect(page.locator(f"#claim-row-{claim.pk}")).to_be_visible()
    expect(page.locator(f"#suggestion-{key}")).to_have_count(0)

    problem = page.locator("#arithmetic-list li[data-suggestion]").first
    problem_key = problem.get_attribute("data-suggestion")
    problem.get_by_role("button", name="Dismiss").click()
    expect(page.locator(f"#suggestion-{problem_key}")).to_have_count(0)
    assert SuggestionDecision.objects.get(key=problem_key).decision == "dismissed"
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#suggestion-list")).to_be_visible()
    expect(page.locator(f"#suggestion-{problem_key}")).to_have_count(0)
    expect(page.locator(f"#suggestion-{key}")).to_have_count(0)
    assert_no_problems(page)


def test_the_a_key_makes_a_claim_of_a_narrower_selection(page, live_server, cast):
    article = make_article(cast.project, body=OWN_ARTICLE, title="Coalition", user=cast.alice)
    login(page, live_server, cast.alice)
    open_review(page, live_server, article)
    assert select_text(page, page.locator("#article-body"), "403,000 people") == "403,000 people"
    page.keyboard.press("a")
    expect(page.locator("#claim-heading")).to_be_visible()
    assert Claim.objects.get().span.quote == "403,000 people"
