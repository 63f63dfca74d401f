"""The desk's workflow in real Chromium under the strict CSP: an editor assigns a claim from
the queue, the reviewer finds it under My work and opens it with the `n` key, gives a
verdict, the editor sees it arrive in the queue's "ready" tab, settles and publishes it (the
row leaves the queue without a reload). And Set status on a published claim cannot
unpublish it."""

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Claim, Status
from tests.browser.conftest import CHROMIUM_ARGS, assert_no_problems, login, wait_for_htmx  # noqa: F401
from tests.conftest import make_claim, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda r: problems.append(f"http {r.status}: {r.request.method} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.problems = problems
    yield page
    context.close()


def test_assign_my_work_n_verdict_queue_publish(page, second_page, live_server, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.erin)
    other = make_claim(cast.article, "the mayor denies", cast.erin)
    slug = cast.project.slug

    # The editor assigns the claim to alice from the queue (htmx: the block updates in place).
    login(page, live_server, cast.bob)
    page.goto(f"{live_server.url}/p/{slug}/queue/?tab=open")
    wait_for_htmx(page)
    row = page.locator(f"#queue-row-{claim.pk}")
    expect(page.locator('a[data-tab="open"] .tab-count')).to_have_text("(2)")
    row.get_by_label("Assign").select_option(["alice"])
    row.get_by_role("button", name="Save assignees").click()
    expect(row.locator(".assign .notice")).to_have_text("Assignees saved.")
    expect(row.locator(".assignees")).to_contain_text("alice")
    assert list(Claim.objects.get(pk=claim.pk).assignees.values_list("username", flat=True)) == ["alice"]

    # The reviewer sees it under My work, and `n` on the review page opens it.
    reviewer = second_page
    login(reviewer, live_server, cast.alice)
    reviewer.goto(f"{live_server.url}/p/{slug}/mine/")
    expect(reviewer.locator(f"#my-work-{claim.pk}")).to_be_visible()
    expect(reviewer.locator(f"#my-work-{other.pk}")).to_have_count(0)
    reviewer.goto(f"{live_server.url}/articles/{cast.article.pk}/")
    wait_for_htmx(reviewer)
    reviewer.keyboard.press("n")
    reviewer.wait_for_url(f"**/claims/{claim.pk}/")
    wait_for_htmx(reviewer)
    expect(reviewer.locator("#claim-heading")).to_have_text(f"Claim #{claim.pk}")
    reviewer.get_by_label("Misleading").check()
    reviewer.get_by_label("Rationale").fill("Upkeep is left out.")
    reviewer.get_by_role("button", name="Save verdict").click()
    expect(reviewer.locator("#announcer")).to_have_text("Verdict saved: Misleading.")
    # Nothing left for alice now: Next claim says so.
    reviewer.goto(f"{live_server.url}/p/{slug}/mine/")
    expect(reviewer.locator(".empty")).to_contain_text("Nothing waiting for you")

    # The editor sees it arrive among the claims ready for a final verdict, settles and publishes.
    page.goto(f"{live_server.url}/p/{slug}/queue/?tab=ready")
    wait_for_htmx(page)
    expect(page.locator('a[data-tab="ready"] .tab-count')).to_have_text("(1)")
    row = page.locator(f"#queue-row-{claim.pk}")
    expect(row).to_contain_text("1 of 1 verdict")
    expect(row).to_contain_text("Upkeep is left out.")
    row.get_by_label("Rating").select_option(label="Misleading")
    row.get_by_label("Rationale").fill("The upkeep doubles the cost.")
    row.get_by_role("button", name="Save final verdict").click()
    expect(row.locator(".notice")).to_have_text("Final verdict saved.")
    expect(row.locator(".progress")).to_contain_text("Approved")
    row.get_by_role("button", name="Publish").click()
    # The row leaves the queue in place, without a reload.
    expect(page.locator(f"#queue-row-{claim.pk}")).to_contain_text("left the queue")
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(f"#queue-row-{claim.pk}")).to_have_count(0)
    assert_no_problems(page)
    assert reviewer.problems == []


def test_set_status_on_a_published_claim_cannot_unpublish_it(page, live_server, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"))
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "It cost 52 million.")
    # The editor opens the claim while it is approved: Set status is there, and so is Publish.
    login(page, live_server, cast.bob)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    actions = page.locator(f"#editor-actions-{claim.pk}")
    expect(actions.locator(".status-form")).to_be_visible()
    actions.get_by_role("button", name="Publish").click()
    expect(actions.locator(".notice")).to_have_text("Published.")
    # Published: the panel offers no Set status at all, only Unpublish… (its own action).
    expect(actions.locator(".status-form")).to_have_count(0)
    expect(actions.get_by_role("link", name="Unpublish…")).to_be_visible()

    # A Set status form left over from before (a second tab, a forged form) is pressed anyway.
    page.evaluate(
        """([url, version]) => {
            const form = document.createElement("form");
            form.method = "post"; form.action = url; form.id = "stale-status";
            for (const [name, value] of [["status", "open"], ["version", version],
                ["csrfmiddlewaretoken", document.querySelector("input[name=csrfmiddlewaretoken]").value]]) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value; form.append(input);
            }
            const button = document.createElement("button");
            button.type = "submit"; button.textContent = "Set status"; form.append(button);
            document.querySelector("main").append(form);
        }""",
        [f"/claims/{claim.pk}/status/", str(Claim.objects.get(pk=claim.pk).version)],
    )
    with page.expect_navigation():
        page.locator("#stale-status button").click()
    expect(page.locator(".error")).to_contain_text("cannot become open")
    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.status == Status.PUBLISHED and fresh.published_at is not None
    page.goto(f"{live_server.url}/f/{cast.project.slug}/{cast.article.pk}/")
    expect(page.locator(f"#claim-{claim.pk}")).to_contain_text("It cost 52 million.")
    page.problems[:] = [p for p in page.problems if not p.startswith("http 409: POST")]
    assert_no_problems(page)
