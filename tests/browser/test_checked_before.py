"""Checked before in real Chromium: a claim made with the mouse on a second article shows the
earlier, published claim with its verdict; "Same claim" links them and the public page says so."""

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Claim, ClaimMatch
from tests.browser.conftest import assert_no_problems, login, select_text, wait_for_htmx
from tests.conftest import make_article, make_claim, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPEAT = "In all, the tidal defences came to 41 million euros"


def test_a_repeated_claim_is_recognised_and_confirmed(page, live_server, cast):
    project = cast.project
    earlier = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice, text="The barrier cost 41 million euros.")
    earlier = services.settle_claim(earlier, cast.bob, earlier.version, rating(project, "False"), "It cost 52 million.")
    earlier = services.publish(earlier, cast.bob, earlier.version)
    second = make_article(project, body=f"Harbour meeting\n\n{REPEAT}, the mayor told residents.", title="Harbour meeting", user=cast.alice)

    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/articles/{second.pk}/")
    wait_for_htmx(page)
    assert select_text(page, page.locator("#article-body"), REPEAT) == REPEAT
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-heading")).to_be_focused()
    section = page.locator("#checked-before")
    expect(section).to_contain_text("The barrier cost 41 million euros.")
    expect(section).to_contain_text("False")
    expect(section).to_contain_text("same numbers: 41 million")

    section.get_by_role("button", name="Same claim").click()
    expect(page.locator("#checked-before")).to_contain_text("Same claim as")
    expect(page.locator("#checked-before").get_by_role("button", name="Propose the earlier verdict “False”")).to_be_visible()
    claim = Claim.objects.get(article=second)
    assert ClaimMatch.objects.get(claim=claim).earlier == earlier

    page.goto(f"{live_server.url}/f/{project.slug}/{cast.article.pk}/")
    expect(page.locator(".also-said")).to_contain_text("Also said in “Harbour meeting”")
    assert_no_problems(page)
