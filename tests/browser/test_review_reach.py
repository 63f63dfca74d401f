"""The review page in real Chromium at 1366x900 and 390x844 (issue 12, items 2, 3, 4, 6):
colour follows the verdict, every overlapping claim is reachable and its extent visible,
claims are made from the keyboard, and an Arabic phrase selected with the mouse becomes
exactly that claim."""

import re

import pytest
from playwright.sync_api import expect

from annotate import services, verdict_colours
from annotate.models import Claim
from tests.browser.conftest import login, select_text, wait_for_htmx
from tests.browser.sized import LAPTOP, VIEWPORTS, csp_violations, open_page, overflow
from tests.conftest import make_article, make_claim, rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rgb(colour):
    r, g, b = verdict_colours.rgb(colour)
    return f"rgb({r}, {g}, {b})"


def open_review(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    wait_for_htmx(page)


def clean(page):
    assert csp_violations(page) == []
    assert page.problems == [], page.problems
    page.context.close()


# --- 2. colour follows the verdict -------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_highlights_wear_the_verdicts_colour_with_a_legend(browser, live_server, cast, viewport):
    false = make_claim(cast.article, "Critics claim the project ran three years late", cast.alice)
    unrated = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    published = make_claim(cast.article, "close about 20 times a year", cast.alice)
    services.save_verdict(false, cast.alice, rating(cast.project, "False"), "Two years.")
    misleading = rating(cast.project, "Misleading")
    services.save_verdict(published, cast.erin, misleading, "")
    published.refresh_from_db()
    published = services.settle_claim(published, cast.bob, published.version, misleading, "Only in storms.")
    published = services.publish(published, cast.bob, published.version)

    page = open_page(browser, viewport)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    background = lambda pk: page.locator(f'#article-body mark[data-claims="{pk}"]').evaluate("m => getComputedStyle(m).backgroundColor")
    assert background(false.pk) == rgb(verdict_colours.palette("#cf222e")["bg"])  # my verdict: False
    assert background(unrated.pk) == "rgb(230, 232, 235)"  # not rated: neutral
    # Settled and published: the final verdict's colour, whoever looks.
    assert background(published.pk) == rgb(verdict_colours.palette("#bc4c00")["bg"])
    # Status is a second, non-colour mark: the underline style.
    style = lambda pk: page.locator(f'#article-body mark[data-claims="{pk}"]').evaluate("m => getComputedStyle(m).textDecorationStyle")
    assert (style(false.pk), style(unrated.pk), style(published.pk)) == ("dashed", "dotted", "double")
    legend = page.locator(".verdict-legend").first
    expect(legend).to_be_visible()
    for label in ("Accurate", "Mostly accurate", "Mixed", "Misleading", "False", "Unverifiable", "No verdict yet"):
        expect(legend).to_contain_text(label)
    # The badge's own colours, as the browser computed them, reach 4.5:1.
    badge = page.locator(f"#claim-row-{false.pk} .rating-badge")
    expect(badge).to_contain_text("False")
    colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    as_hex = ["#" + "".join(f"{int(n):02x}" for n in re.findall(r"\d+", c)[:3]) for c in colours]
    assert verdict_colours.contrast(*as_hex) >= 4.5
    assert overflow(page) == []

    # The reader's page: the final verdict's colour, not the green of "published", and a legend.
    page.goto(f"{live_server.url}/f/{cast.project.slug}/{cast.article.pk}/")
    mark = page.locator(f'mark[data-claims="{published.pk}"]')
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == rgb(verdict_colours.palette("#bc4c00")["bg"])
    expect(page.locator(".verdict-legend")).to_contain_text("Misleading")
    expect(page.locator(".public-claims")).not_to_contain_text(f"#{published.pk}")  # no internal ids for readers
    assert mark.evaluate("m => getComputedStyle(m, '::before').content") == '"▸"'
    assert overflow(page) == []
    clean(page)


# --- 3. overlaps ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_text_under_two_claims_offers_both_and_each_extent_shows(browser, live_server, cast, viewport):
    outer = make_claim(cast.article, "the barrier cost 41 million euros and protects 12,000 homes", cast.alice)
    inner = make_claim(cast.article, "41 million euros", cast.alice)
    page = open_page(browser, viewport)
    login(page, live_server, cast.erin)
    open_review(page, live_server, cast.article)
    both = page.locator(f'#article-body mark[data-claims="{outer.pk} {inner.pk}"]')
    expect(both).to_have_text("41 million euros")
    both.click()
    chooser = page.locator("#overlap-chooser")
    expect(chooser).to_be_visible()
    items = chooser.get_by_role("menuitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(f"#{outer.pk}")
    expect(items.nth(1)).to_contain_text(f"#{inner.pk}")
    expect(items.nth(0)).to_be_focused()
    box = chooser.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    # Keyboard: down, Enter opens the inner (nested) claim.
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{inner.pk}")
    expect(chooser).to_have_count(0)
    # The mouse: the outer one is reachable from the same text.
    both.click()
    page.locator("#overlap-chooser").get_by_role("menuitem", name=re.compile(f"#{outer.pk}")).click()
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{outer.pk}")
    # Escape closes the chooser and changes nothing.
    both.click()
    expect(page.locator("#overlap-chooser")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#overlap-chooser")).to_have_count(0)
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{outer.pk}")

    # Focusing a row outlines its whole extent, and only its own.
    page.locator(f"#claim-row-{outer.pk} .claim-link").focus()
    extent = page.locator("#article-body mark.is-extent")
    expect(extent).to_have_count(3)  # before, under and after the nested claim
    assert "".join(extent.all_text_contents()) == "the barrier cost 41 million euros and protects 12,000 homes"
    assert extent.first.evaluate("m => getComputedStyle(m).outlineStyle") == "dashed"
    page.locator(f"#claim-row-{inner.pk}").hover()
    expect(page.locator("#article-body mark.is-extent")).to_have_count(1)
    expect(page.locator("#article-body mark.is-extent")).to_have_text("41 million euros")
    clean(page)


def test_enter_at_the_caret_in_overlapping_text_offers_the_chooser(browser, live_server, cast):
    outer = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    inner = make_claim(cast.article, "41 million", cast.alice)
    page = open_page(browser, LAPTOP)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    page.locator("#article-body").focus()
    # Put the caret inside "41 million" (a click there would open the chooser itself).
    page.evaluate(f"""() => {{ const t = document.querySelector('#article-body mark[data-claims="{outer.pk} {inner.pk}"]').firstChild;
                     getSelection().collapse(t, 3); }}""")
    expect(page.locator("#article-caret")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#overlap-chooser").get_by_role("menuitem")).to_have_count(2)
    page.keyboard.press("Enter")
    expect(page.locator("#claim-heading")).to_have_text(f"Claim #{outer.pk}")
    clean(page)


# --- 4. claims from the keyboard --------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_claims_from_the_keyboard_alone(browser, live_server, cast, viewport):
    page = open_page(browser, viewport)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    keyboard = page.keyboard
    # Tab reaches the article text, which takes a caret.
    for _ in range(30):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "article-body":
            break
    assert page.evaluate("document.activeElement.id") == "article-body"
    expect(page.locator("#article-caret")).to_be_visible()
    # Down to the second paragraph (one line or several, as the width makes it), "." selects its sentence, c makes the claim.
    caret_paragraph = "() => getSelection().anchorNode.parentElement.closest('p').id"
    for _ in range(6):
        keyboard.press("ArrowDown")
        if page.evaluate(caret_paragraph) == "para-1":
            break
    assert page.evaluate(caret_paragraph) == "para-1"
    keyboard.press(".")
    keyboard.press("c")
    expect(page.locator("#claim-heading")).to_be_visible()
    first = Claim.objects.get()
    assert first.span.quote == "The council said the barrier cost 41 million euros and protects 12,000 homes."

    # Shift+arrows select; the Add claim control is the next Tab stop and says so.
    page.locator("#article-body").focus()
    page.evaluate("""() => { const p = document.querySelector('#para-2'); const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                    getSelection().collapse(w.nextNode(), 0); }""")
    for _ in range(len("Critics claim")):
        keyboard.press("Shift+ArrowRight")
    assert page.evaluate("getSelection().toString()") == "Critics claim"
    keyboard.press("Tab")
    button = page.locator("#add-claim-button")
    expect(button).to_be_focused()
    assert button.get_attribute("aria-keyshortcuts") == "c"
    keyboard.press("Enter")
    expect(page.locator("#claim-heading")).not_to_have_text(f"Claim #{first.pk}")
    second = Claim.objects.exclude(pk=first.pk).get()
    assert second.span.quote == "Critics claim"
    expect(page.locator(f'#article-body mark[data-claims="{second.pk}"]')).to_have_text("Critics claim")
    clean(page)


def test_the_c_key_takes_a_mouse_selection_and_a_keeps_working_for_suggestions(browser, live_server, cast):
    page = open_page(browser, LAPTOP)
    login(page, live_server, cast.alice)
    open_review(page, live_server, cast.article)
    assert select_text(page, page.locator("#article-body"), "three years late") == "three years late"
    page.keyboard.press("c")
    expect(page.locator("#claim-heading")).to_be_visible()
    assert Claim.objects.get().span.quote == "three years late"
    clean(page)


# --- 6. right-to-left and mixed scripts -------------------------------------------------------

ARABIC = "قالَ الوزيرُ إنّ الجسرَ كلّف 41 مليون يورو.\n\nوقال المنتقدون إن المشروع تأخر ثلاث سنوات."
MIXED = "The minister said «الجسر آمن تماماً» on Tuesday, and the council agreed."

_RTL_RECTS = """
([root, text]) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let all = "", nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.data; }
  const from = all.indexOf(text), to = from + text.length;
  const rect = (offset) => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) {
      const r = document.createRange(); r.setStart(nodes[i][0], offset - nodes[i][1]); r.setEnd(nodes[i][0], offset - nodes[i][1] + 1);
      return r.getClientRects()[0]; } };
  const first = rect(from), last = rect(to - 1);
  // Right to left: a phrase starts at the right edge of its first letter and ends at the left edge of its last.
  return {x1: first.right - 1, y1: first.top + first.height / 2, x2: last.left + 1, y2: last.top + last.height / 2};
}
"""


def select_rtl(page, locator, text):
    locator.scroll_into_view_if_needed()
    box = page.evaluate(_RTL_RECTS, [locator.element_handle(), text])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=12)
    page.mouse.up()
    return page.evaluate("getSelection().toString()")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_arabic_phrase_selected_with_the_mouse_becomes_exactly_that_claim(browser, live_server, cast, viewport):
    article = make_article(cast.project, body=ARABIC + "\n\n" + MIXED, title="الجسر", user=cast.alice)
    page = open_page(browser, viewport)
    login(page, live_server, cast.alice)
    open_review(page, live_server, article)
    first = page.locator("#para-0")
    # The paragraph runs right to left: its first letter sits at the right edge of the text column.
    edges = first.evaluate("""p => { const r = document.createRange(); const t = p.firstChild; r.setStart(t, 0); r.setEnd(t, 1);
                               return [r.getBoundingClientRect().right, p.getBoundingClientRect().right]; }""")
    assert abs(edges[0] - edges[1]) <= 2
    assert page.locator("#article-body").get_attribute("dir") == "auto"
    assert page.locator("#article-title").evaluate("h => getComputedStyle(h).direction") in ("rtl", "ltr")

    phrase = "إنّ الجسرَ كلّف 41 مليون"
    assert select_rtl(page, first, phrase) == phrase
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-heading")).to_be_visible()
    claim = Claim.objects.get()
    assert claim.span.quote == phrase
    assert article.body[claim.span.start : claim.span.end] == phrase
    expect(page.locator(f'#article-body mark[data-claims="{claim.pk}"]')).to_have_text(phrase)

    # Arabic inside an English paragraph.
    embedded = "الجسر آمن تماماً"
    assert select_rtl(page, page.locator("#para-2"), embedded) == embedded
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("#claim-heading")).not_to_have_text(f"Claim #{claim.pk}")
    second = Claim.objects.exclude(pk=claim.pk).get()
    assert second.span.quote == embedded and article.body[second.span.start : second.span.end] == embedded
    assert overflow(page) == []
    clean(page)
