"""A claim changed in revision, in real Chromium: the old and new wording side by side, then
re-placing it on a mouse selection, or accepting the new wording with one click."""

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.extract import Extracted
from annotate.models import Article, Claim, Span, Status
from tests.browser.conftest import assert_no_problems, login, select_text, wait_for_htmx
from tests.conftest import ARTICLE_BODY, make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = "the barrier cost 41 million euros"
NEW = "the barrier cost 14 million euros"


@pytest.fixture
def changed(cast):
    claim = make_claim(cast.article, OLD, cast.alice)
    article = Article.objects.get(pk=cast.article.pk)
    services.revise_article(article, cast.bob, Extracted(title="", body=ARTICLE_BODY.replace("41 million", "14 million")))
    return claim


def open_claim(page, live_server, claim):
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)


def test_re_placing_a_changed_claim_on_a_mouse_selection(page, live_server, cast, changed):
    login(page, live_server, cast.alice)
    open_claim(page, live_server, changed)
    block = page.locator("#changed-in-revision")
    expect(block.locator(".wording-old")).to_contain_text(OLD)
    expect(block.locator(".wording-new")).to_contain_text(NEW)
    expect(block).to_contain_text("a number changed")
    # Not highlighted anywhere until someone decides.
    expect(page.locator(f'#article-body mark[data-claims="{changed.pk}"]')).to_have_count(0)
    select_text(page, page.locator("#article-body"), "cost 14 million euros")
    page.get_by_role("button", name="Re-place on the selected text").click()
    expect(page.locator("#announcer")).to_have_text(f"Claim #{changed.pk} re-placed.")
    expect(page.locator(f'#article-body mark[data-claims="{changed.pk}"]')).to_have_text("cost 14 million euros")
    span = Span.objects.get(pk=changed.span_id)
    assert (span.quote, span.orphaned, span.revision, span.revised_quote) == ("cost 14 million euros", False, 2, "")
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#changed-in-revision")).to_have_count(0)
    assert_no_problems(page)


def test_accepting_the_new_wording_with_one_click(page, live_server, cast, changed):
    login(page, live_server, cast.alice)
    open_claim(page, live_server, changed)
    expect(page.locator("#accept_text")).to_have_value(NEW)
    page.get_by_role("button", name="Accept the new wording").click()
    expect(page.locator("#announcer")).to_have_text("New wording accepted; the verdict is open again.")
    expect(page.locator(f'#article-body mark[data-claims="{changed.pk}"]')).to_have_text(NEW)
    expect(page.locator(f"#claim-list #claim-row-{changed.pk}")).to_be_visible()
    claim = Claim.objects.select_related("span").get(pk=changed.pk)
    assert (claim.text, claim.span.quote, claim.status) == (NEW, NEW, Status.OPEN)
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(".history")).to_contain_text("accepted the new wording")
    assert_no_problems(page)
