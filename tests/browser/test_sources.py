"""Sources in real Chromium: attach a source, its snapshot is taken and the excerpt found; the
snapshot page highlights it; a near excerpt shows what differs. Local web server only; tasks
run immediately (in the live server's request), as with FACTMARK_TASKS_IMMEDIATE=1."""

import pytest
from playwright.sync_api import expect

from annotate.models import Evidence
from tests.browser.conftest import assert_no_problems, login, wait_for_htmx
from tests.conftest import make_claim
from tests.sources.conftest import _server, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_source_is_snapshotted_its_excerpt_found_and_highlighted(page, live_server, cast, site):  # noqa: F811
    claim = make_claim(cast.article, "The council said the barrier cost 41 million euros", cast.alice)
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    page.get_by_label("Source URL").fill(f"{site.base}/audit")
    page.get_by_label("Supports").check()
    page.get_by_label("Excerpt").fill("The audit office said the barrier cost 41 million euros")
    page.get_by_label("Archived copy").fill("https://web.archive.org/web/2024/https://news.example/audit")
    page.get_by_role("button", name="Attach source").click()
    expect(page.locator("#announcer")).to_have_text("Source attached.")
    expect(page.locator(".evidence-check .check-badge")).to_have_text("Excerpt found on the page")
    expect(page.locator(".evidence-list")).to_contain_text("Barrier audit")  # the page's own title filled the empty field

    page.get_by_role("link", name="Snapshot").click()
    expect(page.locator("#excerpt-match")).to_have_text("The audit office said the barrier cost 41 million euros")
    expect(page.locator(".snapshot-facts")).to_contain_text(Evidence.objects.get().verified_snapshot.sha256)
    assert_no_problems(page)


def test_a_near_excerpt_shows_the_words_that_differ(page, live_server, cast, site):  # noqa: F811
    claim = make_claim(cast.article, "The council said the barrier cost 41 million euros", cast.alice)
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    page.get_by_label("Source URL").fill(f"{site.base}/audit")
    page.get_by_label("Refutes").check()
    page.get_by_label("Excerpt").fill("The audit office said the barrier cost 14 million euros")
    page.get_by_role("button", name="Attach source").click()
    expect(page.locator(".evidence-check .check-badge")).to_contain_text("Close match")
    expect(page.locator(".excerpt-difference del")).to_have_text("14")
    expect(page.locator(".excerpt-difference ins")).to_have_text("41")
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(".evidence-check .check-badge")).to_contain_text("Close match")
    assert_no_problems(page)
