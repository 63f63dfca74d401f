"""Browser test setup, shared by every tests/browser/test_*.py.

- `browser`: one headless Debian Chromium for the whole run (one sync_playwright per
  process: a second one raises "Sync API inside the asyncio loop"). A missing browser
  FAILS the run; browser tests never skip.
- `page`: a fresh context and page per test, recording console errors, page errors (a
  CSP violation shows up there) and HTTP error responses (but /favicon.ico) in
  `page.problems`; `assert_no_problems(page)`.
- `login(page, live_server, user)`: logs in through the real login form.
- `select_text(page, locator, text, end_text=None)`: selects with the MOUSE, pressing at
  the first character's client rect and releasing at the last one's, as a person would.
- `wait_for_htmx(page)`: htmx is deferred; wait for it after every navigation.

Tests need `@pytest.mark.browser`, `@pytest.mark.django_db(transaction=True)` and
`live_server`. Static files are served by live_server from StaticFilesStorage (the
autouse fixture in tests/conftest.py), so htmx and the app's CSS/JS load for real.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FACTMARK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw-for-tests-only"  # what tests/conftest.make_user sets


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}. Install it (apt-get install -y chromium) or set FACTMARK_CHROMIUM; "
            "browser tests fail rather than skip.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []

    def on_console(message):
        # A failed load is reported with its URL by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"http {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.problems = problems
    yield page
    context.close()


def assert_no_problems(page, allow_status=()):
    """No JavaScript error, CSP violation or HTTP error happened on the page.

    `allow_status`: codes a test provoked on purpose (e.g. 422, 409); their responses and
    htmx's "Response Status Error Code …" log lines are then not problems.
    """
    expected = tuple(f"http {code}:" for code in allow_status) + tuple(
        f"console: Response Status Error Code {code} " for code in allow_status
    )
    problems = [p for p in page.problems if not p.startswith(expected)] if expected else page.problems
    assert problems == [], problems


def wait_for_htmx(page):
    page.wait_for_function("window.htmx !== undefined")


def login(page, live_server, user, password=PASSWORD):
    """Log in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login/" not in page.url, f"login failed for {user}"


_TEXT_RECTS = """
([root, text, endText]) => {
  // Find text (and endText after it) in the text nodes under root; return the client
  // rects of the first and last selected characters.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.data; }
  const from = all.indexOf(text);
  if (from < 0) return null;
  const last = endText ? all.indexOf(endText, from) : from;
  if (last < 0) return null;
  const to = last + (endText || text).length;
  const at = (offset) => {
    for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
  };
  const charRect = (offset) => {
    const [node, i] = at(offset);
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = range.getClientRects();
    return rects[rects.length - 1];
  };
  const first = charRect(from), lastRect = charRect(to - 1);
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: lastRect.right - 1, y2: lastRect.top + lastRect.height / 2};
}
"""


def select_text(page, locator, text, end_text=None):
    """Select from the start of `text` to the end of `end_text` (or of `text`) with the mouse."""
    element = locator.element_handle()
    element.scroll_into_view_if_needed()
    box = page.evaluate(_TEXT_RECTS, [element, text, end_text])
    assert box is not None, f"{text!r} not found in {locator}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=10)
    page.mouse.up()
    return page.evaluate("() => window.getSelection().toString()")
