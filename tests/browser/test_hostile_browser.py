"""Hostile content in real Chromium: the review page, the claim panel that htmx swaps in,
a claim made by selecting hostile text with the mouse, the editor queue and the public
page. Every payload that could run sets `window.__pwned` or opens an alert; neither may
happen, and no CSP violation may be reported (an injected inline script that the CSP
blocked is still an escaping bug)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, login, select_text, wait_for_htmx
from tests.security.hostile_data import PAYLOADS, build_hostile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hostile(cast):
    return build_hostile(cast)


@pytest.fixture
def watched(page):
    """The page, with every dialog recorded (and dismissed so nothing blocks)."""
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def assert_nothing_ran(page, where):
    assert page.evaluate("typeof window.__pwned") == "undefined", f"a payload ran on {where}"
    assert page.dialogs == [], f"a dialog opened on {where}: {page.dialogs}"
    assert page.locator("iframe").count() == 0, f"an injected iframe on {where}"
    # Shown as text: the reader sees the payload's characters.
    assert PAYLOADS[0] in page.locator("main").inner_text(), f"hostile text not shown on {where}"


def test_hostile_text_never_runs_on_the_review_page_and_in_the_claim_panel(watched, live_server, hostile):
    page = watched
    login(page, live_server, hostile.alice)
    page.goto(f"{live_server.url}/articles/{hostile.hostile_article.pk}/")
    wait_for_htmx(page)
    assert_nothing_ran(page, "the review page")

    # The claim panel arrives by htmx and is swapped into the page.
    for claim in (hostile.claim, hostile.on_quote):
        page.locator(f'#claim-list a[data-claim="{claim.pk}"]').click()
        page.wait_for_selector(f'#claim-detail [data-claim="{claim.pk}"]')
        assert_nothing_ran(page, f"the panel of claim #{claim.pk}")

    # A claim made by selecting hostile text with the mouse.
    body = page.locator("#article-body")
    quote = PAYLOADS[3]
    assert select_text(page, body, quote) == quote
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-detail blockquote.claim-quote")).to_have_text(quote)
    assert_nothing_ran(page, "the new claim's panel")

    # A hostile comment posted through the htmx form.
    page.locator("#claim-detail textarea[name=text]").last.fill(PAYLOADS[1] + " " + PAYLOADS[0])
    page.locator("#claim-detail form[action$='/comments/'] button[type=submit]").click()
    expect(page.locator("#claim-detail")).to_contain_text(PAYLOADS[1] + " " + PAYLOADS[0])
    assert_nothing_ran(page, "the panel after a hostile comment")

    page.reload()
    wait_for_htmx(page)
    assert_nothing_ran(page, "the reloaded review page")
    assert_no_problems(page)


def test_hostile_text_never_runs_in_the_editor_queue(watched, live_server, hostile):
    page = watched
    login(page, live_server, hostile.bob)
    page.goto(f"{live_server.url}/p/{hostile.project.slug}/queue/?status=published")
    wait_for_htmx(page)
    assert_nothing_ran(page, "the editor queue")
    assert_no_problems(page)


def test_hostile_text_never_runs_on_the_public_page(watched, live_server, hostile):
    page = watched
    page.goto(f"{live_server.url}/f/{hostile.project.slug}/{hostile.hostile_article.pk}/")
    assert_nothing_ran(page, "the public page")
    # The JSON-LD blocks are intact data: the browser parses each back to the exact claim text.
    reviews = page.evaluate("[...document.querySelectorAll('script[type=\"application/ld+json\"]')].map(s => JSON.parse(s.textContent))")
    assert {r["claimReviewed"] for r in reviews} == {hostile.claim.text, hostile.on_quote.text}
    assert_no_problems(page)
