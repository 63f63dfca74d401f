"""The editor's workflow in real Chromium under the strict CSP: settle a final verdict from
the queue through a conflict without losing the typed text, publish, read the public page."""

import json

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Claim, Status
from tests.browser.conftest import assert_no_problems, login, wait_for_htmx
from tests.conftest import make_claim, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_settles_through_a_conflict_publishes_and_reads_the_public_page(page, live_server, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "Budget papers agree.")
    services.save_verdict(claim, cast.erin, rating(cast.project, "Misleading"), "Upkeep is left out.")

    login(page, live_server, cast.bob)
    page.goto(f"{live_server.url}/p/{cast.project.slug}/queue/")
    wait_for_htmx(page)
    row = page.locator(f"#queue-row-{claim.pk}")
    expect(row).to_contain_text("Reviewers disagree")

    # Another editor settles the claim while Bob is typing.
    fresh = Claim.objects.get(pk=claim.pk)
    services.settle_claim(fresh, cast.dora, fresh.version, rating(cast.project, "False"), "Dora: it was 52 million.")

    typed = "Right figure, but the upkeep is not included."
    row.get_by_label("Rating").select_option(label="Mostly accurate")
    row.get_by_label("Rationale").fill(typed)
    row.get_by_role("button", name="Save final verdict").click()

    row = page.locator(f"#queue-row-{claim.pk}")
    expect(row.locator(".conflict")).to_contain_text("Someone else changed this")
    expect(row.locator(".conflict")).to_contain_text("Dora: it was 52 million.")
    expect(row.get_by_label("Rationale")).to_have_value(typed)
    assert Claim.objects.get(pk=claim.pk).approved_by == cast.dora

    # Saving again, deliberately, over the current version.
    row.get_by_role("button", name="Update final verdict").click()
    expect(row.locator(".notice")).to_have_text("Final verdict saved.")
    settled = Claim.objects.select_related("final_rating").get(pk=claim.pk)
    assert settled.approved_by == cast.bob and settled.final_rating.label == "Mostly accurate"
    assert settled.final_rationale == typed

    row.get_by_role("button", name="Publish").click()
    # A published claim leaves the queue: its row becomes a one-line notice.
    expect(row).to_contain_text("published: it left the queue")
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED

    page.goto(f"{live_server.url}/f/{cast.project.slug}/{cast.article.pk}/")
    entry = page.locator(f"#claim-{claim.pk}")
    expect(entry).to_contain_text("Mostly accurate")
    expect(entry).to_contain_text(typed)
    # A click on the highlight jumps to its verdict (static/js/public.js).
    page.locator(f'mark[data-claims="{claim.pk}"]').click()
    assert page.url.endswith(f"#claim-{claim.pk}")
    expect(entry).to_be_focused()
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["reviewRating"]["alternateName"] == "Mostly accurate"

    # The only HTTP error was the expected 409; no CSP violation, no script error.
    page.problems[:] = [p for p in page.problems if not p.startswith("http 409: POST")]
    assert_no_problems(page)
