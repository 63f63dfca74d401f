"""Nothing typed is lost (issue 12, item 1), in real Chromium at a laptop and a phone size:
the session ends in another tab and Save meets it; a reload in the middle of typing; a
stale version. Each checks the database, the form and the stored draft."""

import json

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Claim, Comment, Verdict
from tests.browser.conftest import PASSWORD, login, wait_for_htmx
from tests.browser.sized import VIEWPORTS, csp_violations, open_page
from tests.conftest import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "Critics claim the project ran three years late"
RATIONALE = "The contract shows a two-year delay, not three; see the audit, page 14."


def drafts(page):
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(sessionStorage).filter(k => k.startsWith('factmark:draft:'))"
        ".map(k => [k.slice(15), JSON.parse(sessionStorage.getItem(k))]))"
    )


def open_claim(page, live_server, claim):
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_save_after_the_session_ended_keeps_the_text_and_saves_after_logging_in(browser, live_server, cast, viewport):
    claim = make_claim(cast.article, QUOTE, cast.alice)
    page = open_page(browser, viewport)
    login(page, live_server, cast.alice)
    open_claim(page, live_server, claim)
    page.get_by_label("Misleading").check()
    page.get_by_label("Rationale").fill(RATIONALE)

    # Logged out in another tab of the same browser.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/")
    other.get_by_role("button", name="Log out").click()
    other.wait_for_url("**/login/")
    other.close()

    page.get_by_role("button", name="Save verdict").click()
    dialog = page.locator("#session-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Your session has ended")
    # No login page inside the panel, the form and its text untouched, nothing saved.
    expect(page.locator("#claim-detail .site-header")).to_have_count(0)
    expect(page.locator("#claim-detail h1", has_text="Log in")).to_have_count(0)
    expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
    expect(page.get_by_label("Misleading")).to_be_checked()
    assert not Verdict.objects.exists()
    key = f"u{cast.alice.pk}-claim-{claim.pk}-verdict"  # per user: a shared browser never hands a draft to the next person
    assert drafts(page)[key]["rationale"] == RATIONALE

    login_link = page.get_by_role("link", name="Log in again")
    assert login_link.get_attribute("href") == f"/login/?next=/claims/{claim.pk}/"
    login_link.click()
    page.wait_for_url("**/login/**")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith(f"/claims/{claim.pk}/"), page.url  # the claim's own page, not a 405
    wait_for_htmx(page)
    # The draft is back, ready to save.
    expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
    expect(page.get_by_label("Misleading")).to_be_checked()
    expect(page.locator("#verdict-form .draft-note")).to_be_visible()
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#announcer")).to_have_text("Verdict saved: Misleading.")
    verdict = Verdict.objects.get()
    assert (verdict.reviewer, verdict.rating.label, verdict.rationale) == (cast.alice, "Misleading", RATIONALE)
    assert key not in drafts(page)  # cleared once saved
    assert csp_violations(page) == []
    assert [p for p in page.problems if "401" not in p] == []  # the 401 itself is the expected answer
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_text_typed_before_a_reload_comes_back_and_is_cleared_once_saved(browser, live_server, cast, viewport):
    claim = make_claim(cast.article, QUOTE, cast.alice)
    page = open_page(browser, viewport)
    login(page, live_server, cast.alice)
    open_claim(page, live_server, claim)
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_label("Claim as checked").fill("The barrier opened three years late.")
    page.get_by_role("textbox", name="Comment").fill("Ask the council for the contract.")
    page.reload()
    wait_for_htmx(page)
    expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
    expect(page.get_by_label("Claim as checked")).to_have_value("The barrier opened three years late.")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("Ask the council for the contract.")
    expect(page.locator(".draft-note")).to_have_count(3)

    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#announcer")).to_have_text("Comment added.")
    assert Comment.objects.get().text == "Ask the council for the contract."
    saved = drafts(page)
    assert f"u{cast.alice.pk}-claim-{claim.pk}-comment" not in saved
    # The other forms were swapped with the panel; their drafts came back into them.
    expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
    assert saved[f"u{cast.alice.pk}-claim-{claim.pk}-verdict"]["rationale"] == RATIONALE

    # Discard puts the saved text back and forgets the draft.
    page.locator("#edit-form").get_by_role("button", name="Discard it").click()
    expect(page.get_by_label("Claim as checked")).to_have_value(QUOTE)
    assert f"u{cast.alice.pk}-claim-{claim.pk}-edit" not in drafts(page)
    page.reload()
    wait_for_htmx(page)
    expect(page.get_by_label("Claim as checked")).to_have_value(QUOTE)
    expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
    assert csp_violations(page) == [] and page.problems == []
    page.context.close()


def test_a_stale_version_keeps_the_typed_text_beside_the_current_one(browser, live_server, cast):
    claim = make_claim(cast.article, QUOTE, cast.alice)
    page = open_page(browser, VIEWPORTS[0].values[0])
    login(page, live_server, cast.alice)
    open_claim(page, live_server, claim)
    page.get_by_label("Claim as checked").fill("Mine: the project ran two years late.")
    # Meanwhile erin saves another wording.
    claim.refresh_from_db()
    services.update_claim(claim, cast.erin, claim.version, text="Erin's wording.", claimant="", claim_date=None)
    page.get_by_role("button", name="Save claim").click()
    conflict = page.locator("#claim-detail .conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Erin's wording.")
    expect(page.get_by_label("Claim as checked")).to_have_value("Mine: the project ran two years late.")
    assert Claim.objects.get().text == "Erin's wording."
    # A reload (or a crash) does not lose it either.
    page.reload()
    wait_for_htmx(page)
    expect(page.get_by_label("Claim as checked")).to_have_value("Mine: the project ran two years late.")
    page.get_by_role("button", name="Save claim").click()
    # The draft kept the version it was typed against: saving it meets the conflict again, never a silent overwrite.
    expect(page.locator("#claim-detail .conflict")).to_be_visible()
    assert Claim.objects.get().text == "Erin's wording."
    page.get_by_role("button", name="Save claim").click()  # now deliberately, at the current version
    expect(page.locator("#announcer")).to_have_text("Claim saved.")
    assert Claim.objects.get().text == "Mine: the project ran two years late."
    assert csp_violations(page) == []
    assert [p for p in page.problems if " 409" not in p and "409:" not in p] == [], page.problems
    page.context.close()


def test_a_draft_is_never_handed_to_the_next_person_in_the_same_browser(browser, live_server, cast):
    claim = make_claim(cast.article, QUOTE, cast.alice)
    page = open_page(browser, VIEWPORTS[1].values[0])
    login(page, live_server, cast.alice)
    open_claim(page, live_server, claim)
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    login(page, live_server, cast.erin)  # same tab, same sessionStorage
    open_claim(page, live_server, claim)
    expect(page.get_by_label("Rationale")).to_have_value("")
    expect(page.locator(".draft-note")).to_have_count(0)
    assert list(drafts(page)) == [f"u{cast.alice.pk}-claim-{claim.pk}-verdict"]  # alice's stays hers
    assert csp_violations(page) == [] and page.problems == []
    page.context.close()
