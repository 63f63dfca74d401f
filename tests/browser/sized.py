"""Pages at a given viewport for the review-page tests (issue 12): a laptop (1366x900) and a
phone (390x844, touch), each recording problems like conftest's `page` and, in addition,
every CSP violation the browser reports (securitypolicyviolation events, collected before
any page script runs)."""

import pytest

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = [pytest.param(LAPTOP, id="1366x900"), pytest.param(PHONE, id="390x844")]

_CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
});
"""


def open_page(browser, viewport):
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, locale="en-GB", has_touch=phone, is_mobile=phone,
                                  device_scale_factor=1)
    context.set_default_timeout(10_000)
    context.add_init_script(_CSP_RECORDER)
    page = context.new_page()
    problems = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"http {r.status}: {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.problems = problems
    return page


def csp_violations(page):
    return page.evaluate("window.__csp || []")


# Widths wider than the viewport: the page itself and any element that sticks out of it.
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || el.closest("dialog:not([open]), [hidden]")) continue;
    if (el.closest(".visually-hidden, .vh, .skip-link")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    // inside a box that scrolls on its own (a code block, a chart table) is fine
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (["auto", "scroll", "hidden", "clip"].includes(s.overflowX)) { clipped = true; break; }
    }
    // A table hidden behind its own sideways scroll still cuts columns off: tables must fit (or become cards).
    if (el.tagName === "TABLE") clipped = false;
    if (!clipped && (r.right > width + 0.5 || r.left < -0.5)) out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out.slice(0, 10);
}
"""


def overflow(page):
    return page.evaluate(OVERFLOW)
