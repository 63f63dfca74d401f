"""The reviewer's workspace in real Chromium: select with the mouse, overlap, verdict, source,
keyboard only, bad selections. Every test reloads the page to see that its work persisted."""

import pytest
from playwright.sync_api import expect

from annotate.models import Claim, Evidence, Source, Verdict
from tests.browser.conftest import assert_no_problems, login, select_text, wait_for_htmx
from tests.conftest import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "The council said the barrier cost 41 million euros and protects 12,000 homes."


def open_review(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    wait_for_htmx(page)


def test_static_files_load_from_the_live_server(page, live_server, cast):
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    for path in ("/static/css/factmark.css", "/static/js/review.js", "/static/django_htmx/htmx-2.min.js"):
        assert page.request.get(live_server.url + path).status == 200, path
    # The stylesheet applies (the masthead is navy) and htmx took the app's settings from review.js.
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(20, 33, 61)"
    assert page.evaluate("htmx.config.historyCacheSize") == 0
    assert_no_problems(page)


def test_selecting_a_sentence_with_the_mouse_adds_a_highlighted_claim(page, live_server, cast):
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    body = page.locator("#article-body")
    assert select_text(page, body, SENTENCE) == SENTENCE
    button = page.get_by_role("button", name="Add claim")
    expect(button).to_be_visible()
    button.click()

    heading = page.locator("#claim-heading")
    expect(heading).to_be_focused()
    claim = Claim.objects.get()
    assert claim.span.quote == SENTENCE and claim.created_by == cast.alice
    mark = page.locator(f'#article-body mark[data-claims="{claim.pk}"]')
    expect(mark).to_have_text(SENTENCE)
    expect(mark).to_have_class("hl s-open d1 is-current")
    expect(page.locator(f"#claim-row-{claim.pk}")).to_contain_text(SENTENCE)
    expect(page.locator("#claim-count")).to_have_text("1")
    expect(page.locator("#announcer")).to_have_text(f"Claim #{claim.pk} added.")
    assert page.url.endswith(f"/claims/{claim.pk}/")

    page.reload()
    wait_for_htmx(page)
    expect(page.locator(f'#article-body mark[data-claims="{claim.pk}"]')).to_have_text(SENTENCE)
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{claim.pk}")
    assert_no_problems(page)


def test_selecting_across_an_existing_highlight_makes_an_overlapping_claim(page, live_server, cast):
    existing = make_claim(cast.article, "41 million euros and protects", cast.alice)
    login(page, live_server, cast.erin)
    open_review(page, live_server, cast.article)
    body = page.locator("#article-body")
    # From plain text into the middle of the existing highlight.
    selected = select_text(page, body, "the barrier cost", end_text="41 million")
    assert selected == "the barrier cost 41 million"
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-heading")).to_be_focused()

    new = Claim.objects.exclude(pk=existing.pk).get()
    assert new.span.quote == "the barrier cost 41 million"
    both = page.locator(f'#article-body mark[data-claims="{new.pk} {existing.pk}"]')
    expect(both).to_have_text("41 million")
    expect(both).to_have_class("hl s-open d2 is-current")
    expect(page.locator(f'#article-body mark[data-claims="{existing.pk}"]')).to_have_text(" euros and protects")
    # Article order in the panel: the new claim starts earlier, so it comes first.
    rows = page.locator("#claim-list > li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_id(f"claim-row-{new.pk}")

    page.reload()
    wait_for_htmx(page)
    expect(page.locator(f'#article-body mark.d2[data-claims="{new.pk} {existing.pk}"]')).to_have_text("41 million")
    assert_no_problems(page)


def test_a_selection_across_paragraphs_is_quoted_with_the_break_between_them(page, live_server, cast):
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    select_text(page, page.locator("#article-body"), "12,000 homes.", end_text="Critics claim")
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-heading")).to_be_focused()
    assert Claim.objects.get().span.quote == "12,000 homes.\n\nCritics claim"
    assert_no_problems(page)


def test_setting_a_verdict(page, live_server, cast):
    claim = make_claim(cast.article, "Critics claim the project ran three years late", cast.alice)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    page.locator(f"#claim-row-{claim.pk} .claim-link").click()
    expect(page.locator("#claim-heading")).to_be_focused()
    page.get_by_label("Misleading").check()
    page.get_by_label("Rationale").fill("The delay was two years, not three.")
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#announcer")).to_have_text("Verdict saved: Misleading.")
    expect(page.locator(f"#claim-row-{claim.pk} .rating-badge")).to_contain_text("Misleading")
    # The first verdict moved the claim into review (underline style) and coloured it as Misleading (rating class).
    misleading = cast.project.ratings.get(label="Misleading")
    expect(page.locator(f'#article-body mark[data-claims="{claim.pk}"]')).to_have_class(f"hl s-in_review d1 rt rt-{misleading.pk} is-current")
    verdict = Verdict.objects.get()
    assert (verdict.reviewer, verdict.rating.label, verdict.rationale) == (cast.alice, "Misleading", "The delay was two years, not three.")

    page.reload()
    wait_for_htmx(page)
    expect(page.get_by_label("Misleading")).to_be_checked()
    expect(page.get_by_label("Rationale")).to_have_value("The delay was two years, not three.")
    assert_no_problems(page)


def test_attaching_a_source_offers_known_ones_as_you_type(page, live_server, cast):
    claim = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    Source.objects.create(project=cast.project, url="https://stats.example.org/homes", title="Homes at risk 2024", publisher="Stats office")
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    url_field = page.get_by_label("Source URL")
    url_field.press_sequentially("homes at", delay=30)
    expect(page.locator("#source-options option")).to_have_count(1)
    expect(page.locator("#source-options option")).to_have_attribute("value", "https://stats.example.org/homes")
    url_field.fill("https://stats.example.org/homes")
    page.get_by_label("Refutes").check()
    page.get_by_label("Excerpt").fill("Only 9,500 homes lie in the flood zone.")
    page.get_by_role("button", name="Attach source").click()
    expect(page.locator("#announcer")).to_have_text("Source attached.")
    expect(page.locator(".evidence-list")).to_contain_text("Homes at risk 2024")
    evidence = Evidence.objects.select_related("source").get()
    assert (evidence.source.title, evidence.stance, evidence.excerpt) == ("Homes at risk 2024", "refutes", "Only 9,500 homes lie in the flood zone.")
    assert Source.objects.count() == 1

    page.reload()
    wait_for_htmx(page)
    expect(page.locator(".evidence-list .stance-badge")).to_have_text("Refutes")
    assert_no_problems(page)


def test_working_a_claim_through_with_the_keyboard_only(page, live_server, cast):
    first = make_claim(cast.article, "The council said the barrier cost 41 million euros", cast.alice)
    second = make_claim(cast.article, "the mayor denies", cast.alice)
    login(page, live_server, cast.erin)
    open_review(page, live_server, cast.article)
    keyboard = page.keyboard

    keyboard.press("?")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    keyboard.press("Escape")
    expect(page.locator("#shortcuts-dialog")).to_be_hidden()

    keyboard.press("j")
    expect(page.locator(f"#claim-row-{first.pk} .claim-link")).to_be_focused()
    keyboard.press("j")
    expect(page.locator(f"#claim-row-{second.pk} .claim-link")).to_be_focused()
    keyboard.press("k")
    keyboard.press("Enter")
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{first.pk}")
    expect(page.locator("#claim-heading")).to_be_focused()

    keyboard.press("5")  # the fifth step of the default scale: False
    expect(page.get_by_role("radio", name="False", exact=True)).to_be_checked()
    keyboard.press("s")
    expect(page.locator("#announcer")).to_have_text("Verdict saved: False.")
    expect(page.locator("#claim-heading")).to_be_focused()

    keyboard.press("j")  # from the open claim to the next one
    expect(page.locator(f"#claim-row-{second.pk} .claim-link")).to_be_focused()
    keyboard.press("Enter")
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{second.pk}")
    expect(page.locator("#claim-heading")).to_be_focused()  # focus settles on the new panel first
    keyboard.press("2")
    page.get_by_label("Rationale").focus()
    keyboard.type("He denied it on the radio.")
    keyboard.press("Control+Enter")
    expect(page.locator("#announcer")).to_have_text("Verdict saved: Mostly accurate.")
    page.locator("#claim-heading").focus()
    keyboard.press("Escape")
    expect(page.locator("#claim-detail > .placeholder")).to_be_visible()
    expect(page.locator(f"#claim-row-{second.pk} .claim-link")).to_be_focused()

    verdicts = {v.claim_id: (v.rating.label, v.rationale) for v in Verdict.objects.filter(reviewer=cast.erin)}
    assert verdicts == {first.pk: ("False", ""), second.pk: ("Mostly accurate", "He denied it on the radio.")}
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(f"#claim-row-{first.pk} .rating-badge")).to_contain_text("False")
    expect(page.locator(f"#claim-row-{second.pk} .rating-badge")).to_contain_text("Mostly accurate")
    assert_no_problems(page)


def test_a_whitespace_only_selection_is_refused_with_a_message(page, live_server, cast):
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    assert select_text(page, page.locator("#para-1"), " ") == " "
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#selection-message")).to_contain_text("only whitespace")
    assert Claim.objects.count() == 0
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#claim-list > li")).to_have_count(0)
    assert_no_problems(page, allow_status=[422])  # the refusal is a 422 on purpose


def test_a_selection_outside_the_article_body_gets_a_message_and_no_button(page, live_server, cast):
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    select_text(page, page.locator("#article-title"), "Tidal barrier")
    expect(page.locator("#selection-message")).to_have_text(
        "Only the article text can become a claim: select words inside the article body."
    )
    expect(page.get_by_role("button", name="Add claim")).to_be_hidden()
    assert Claim.objects.count() == 0
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#claim-list > li")).to_have_count(0)
    assert_no_problems(page)


def test_back_and_forward_move_between_opened_claims(page, live_server, cast):
    first = make_claim(cast.article, "The council said", cast.alice)
    second = make_claim(cast.article, "the mayor denies", cast.alice)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    page.locator(f"#claim-row-{first.pk} .claim-link").click()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{first.pk}")
    page.locator(f"#claim-row-{second.pk} .claim-link").click()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{second.pk}")
    page.go_back()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{first.pk}")
    assert page.url.endswith(f"/claims/{first.pk}/")
    page.go_back()
    expect(page.locator("#claim-detail > .placeholder")).to_be_visible()
    page.go_forward()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{first.pk}")
    # The restored page works: opening another claim still goes through htmx.
    page.locator(f"#claim-row-{second.pk} .claim-link").click()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{second.pk}")
    assert_no_problems(page)


def test_re_placing_an_orphaned_claim_on_new_text(page, live_server, cast):
    from annotate.models import Span

    claim = make_claim(cast.article, "three years late", cast.alice)
    Span.objects.filter(pk=claim.span_id).update(orphaned=True, quote="four years late", start=900, end=915)
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    expect(page.locator("#orphan-list")).to_contain_text("four years late")
    select_text(page, page.locator("#article-body"), "ran three years late")
    page.get_by_role("button", name="Re-place on the selected text").click()
    expect(page.locator("#announcer")).to_have_text(f"Claim #{claim.pk} re-placed.")
    expect(page.locator(f'#article-body mark[data-claims="{claim.pk}"]')).to_have_text("ran three years late")
    expect(page.locator(f"#claim-list #claim-row-{claim.pk}")).to_be_visible()
    assert Span.objects.get(pk=claim.span_id).quote == "ran three years late"
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#orphan-list")).to_have_count(0)
    assert_no_problems(page)


def test_deleting_a_claim_after_confirming(page, live_server, cast):
    claim = make_claim(cast.article, "the mayor denies", cast.alice)
    login(page, live_server, cast.alice)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    wait_for_htmx(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Delete claim…").click()
    expect(page.locator("#claim-deleted-note")).to_have_text(f"Claim #{claim.pk} was deleted.")
    expect(page.locator(f"#claim-row-{claim.pk}")).to_have_count(0)
    expect(page.locator("#article-body mark")).to_have_count(0)
    assert not Claim.objects.exists()
    page.reload()
    wait_for_htmx(page)
    expect(page.locator("#claim-list > li")).to_have_count(0)
    assert_no_problems(page)
