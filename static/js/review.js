/* Factmark review page: text selection -> claim, keyboard, focus after htmx swaps, the "?" overlay.
 *
 * Offsets are CODE POINTS, as Python counts them: each paragraph carries
 * data-start (the code-point offset of its first character in the body), and the
 * text before a selection boundary is measured with cpLength, which counts a
 * surrogate pair once. The server gets codepoints and checks the quote against
 * body[start:end]; nothing converts UTF-16 on the way.
 *
 * The paragraph separators of the body are not in the DOM: the text between two
 * paragraphs is "\n\n" unless the later <p> says otherwise in data-gap. A
 * selection across paragraphs is quoted with those separators, so the quote
 * equals body[start:end].
 *
 * No element is cached at load: a history restore swaps the whole <body>.
 * Everything here is a delegated listener; no inline handlers (strict CSP).
 */
(function () {
  "use strict";

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.from((scope || document).querySelectorAll(selector));

  if (window.htmx) {
    // (400/409/422 answers carry inline errors and are swapped: base.html's htmx-config says so.)
    // A long article is megabytes of DOM: never snapshot it into storage; Back reloads
    // the page from the server, as a full page (not an htmx fragment).
    htmx.config.historyCacheSize = 0;
    htmx.config.historyRestoreAsHxRequest = false;
  }

  // --- code points --------------------------------------------------------------

  function cpLength(text) {
    let n = text.length;
    for (let i = 0; i < text.length - 1; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
      }
    }
    return n;
  }

  const paraStart = (p) => Number(p.dataset.start);
  const paraEnd = (p) => paraStart(p) + cpLength(p.textContent);
  const gapBefore = (p) => (p.dataset.gap !== undefined ? p.dataset.gap : "\n\n");

  function paragraphOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest("#article-body > p[data-start]") : null;
  }

  /* A selection boundary as [paragraph, code-point offset in the body]. A boundary
     between paragraphs snaps forward (start) or back (end) to the nearest text. */
  function boundary(articleBody, container, offset, isEnd) {
    const p = paragraphOf(container);
    if (p) {
      const range = document.createRange();
      range.setStart(p, 0);
      range.setEnd(container, offset);
      return [p, paraStart(p) + cpLength(range.toString())];
    }
    if (container !== articleBody) return null;
    const paras = articleBody.children;
    if (isEnd) {
      const before = paras[offset - 1];
      return before ? [before, paraEnd(before)] : null;
    }
    const after = paras[offset];
    return after ? [after, paraStart(after)] : null;
  }

  /* body[start:end] rebuilt from the paragraphs firstP..lastP and the gaps between them. */
  function quoteBetween(firstP, lastP, start, end) {
    const out = [];
    let previousEnd = null;
    for (let p = firstP; p; p = p.nextElementSibling) {
      const ps = paraStart(p);
      if (previousEnd !== null) {
        const gap = Array.from(gapBefore(p));
        const a = Math.max(start, previousEnd);
        const b = Math.min(end, ps);
        if (a < b) out.push(gap.slice(a - previousEnd, b - previousEnd).join(""));
      }
      const chars = Array.from(p.textContent);
      const a = Math.max(start, ps);
      const b = Math.min(end, ps + chars.length);
      if (a < b) out.push(chars.slice(a - ps, b - ps).join(""));
      previousEnd = ps + chars.length;
      if (p === lastP) break;
    }
    return out.join("");
  }

  /* What is selected now: {state: "none" | "outside" | "ok", start, end, quote, rect}. */
  function readSelection() {
    const articleBody = $("#article-body");
    const column = $(".review-article");
    const selection = window.getSelection();
    if (!articleBody || !selection.rangeCount || selection.isCollapsed) return { state: "none" };
    const range = selection.getRangeAt(0);
    const rect = range.getBoundingClientRect();
    const inside = articleBody.contains(range.startContainer) && articleBody.contains(range.endContainer);
    if (!inside) {
      const touchesArticle = column.contains(range.startContainer) || column.contains(range.endContainer) || range.intersectsNode(articleBody);
      return touchesArticle && !$("#selection-toolbar").contains(range.startContainer) ? { state: "outside", rect } : { state: "none" };
    }
    const first = boundary(articleBody, range.startContainer, range.startOffset, false);
    const last = boundary(articleBody, range.endContainer, range.endOffset, true);
    if (!first || !last || first[1] >= last[1]) return { state: "none" };
    let [start, end] = [first[1], last[1]];
    let quote = quoteBetween(first[0], last[0], start, end);
    if (/\S/.test(quote)) {
      // Trim what the mouse caught around the words; whitespace-only goes to the server as is, which refuses it.
      const lead = quote.match(/^\s*/)[0];
      const trail = quote.match(/\s*$/)[0];
      start += cpLength(lead);
      end -= cpLength(trail);
      quote = quote.slice(lead.length, quote.length - trail.length);
    }
    return { state: "ok", start, end, quote, rect };
  }

  // --- the floating "Add claim" control ------------------------------------------

  const OUTSIDE_MESSAGE = "Only the article text can become a claim: select words inside the article body.";
  let pendingFrame = 0;

  function fillSelectionForms(current) {
    $$("form[data-selection]").forEach((form) => {
      form.elements.start.value = current.state === "ok" ? current.start : "";
      form.elements.end.value = current.state === "ok" ? current.end : "";
      form.elements.quote.value = current.state === "ok" ? current.quote : "";
    });
  }

  function showToolbar(current) {
    const toolbar = $("#selection-toolbar");
    const column = $(".review-article");
    if (!toolbar || !column) return;
    if (current.state === "none") {
      toolbar.hidden = true;
      return;
    }
    const message = $("#selection-message");
    const orphanOpen = $('#claim-detail [data-orphaned="true"]');
    const addForm = $("#add-claim-form");
    addForm.hidden = current.state !== "ok";
    $("#add-claim-button").textContent = "Add claim";
    if (message) message.textContent = current.state === "outside" ? OUTSIDE_MESSAGE : (orphanOpen ? "Or re-place the open claim on this text from its panel." : "");
    toolbar.hidden = false;
    const box = column.getBoundingClientRect();
    const top = current.rect.bottom - box.top + 8;
    const left = Math.max(0, Math.min(current.rect.left - box.left, box.width - toolbar.offsetWidth));
    // CSSOM from a script file is allowed by the CSP; style="" in the HTML would not be.
    toolbar.style.top = top + "px";
    toolbar.style.left = left + "px";
  }

  document.addEventListener("selectionchange", () => {
    if (pendingFrame) return;
    pendingFrame = requestAnimationFrame(() => {
      pendingFrame = 0;
      const current = readSelection();
      if (current.state === "none" && document.activeElement && document.activeElement.closest("#selection-toolbar")) return;
      fillSelectionForms(current);
      showToolbar(current);
    });
  });

  // Pressing a button must not collapse the selection it is about to send.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("#selection-toolbar button, form[data-selection] button")) event.preventDefault();
  });

  // Before htmx sends a selection form: fill it from the live selection, or refuse with a message.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-selection]");
    if (!form) return;
    const current = readSelection();
    if (current.state === "ok") fillSelectionForms(current);
    if (!form.elements.start.value) {
      event.preventDefault();
      event.stopImmediatePropagation();
      const text = current.state === "outside" ? OUTSIDE_MESSAGE : "Select the words in the article first, then press the button.";
      const message = $("#selection-message");
      if (form.id === "add-claim-form" && message) message.textContent = text;
      announce(text);
    }
  }, true);

  // --- opening and closing claims --------------------------------------------------

  const reviewUrl = () => ($("#review") || document.body).dataset.reviewUrl;
  const claimLinks = () => $$("#claim-list .claim-link, #orphan-list .claim-link");
  let focusAfterSwap = null;

  /* The clicked element is the request's source, so htmx's events start from it. */
  function openClaim(url, source) {
    focusAfterSwap = "panel";
    htmx.ajax("GET", url, { source: source, target: "#claim-detail", swap: "innerHTML" });
  }

  function openClaimById(id) {
    const link = $(`#claim-row-${id} .claim-link`);
    if (link) openClaim(link.href, link);
  }

  function currentClaimId() {
    const card = $("#claim-detail [data-claim]");
    return card ? card.dataset.claim : null;
  }

  function closeClaim() {
    const id = currentClaimId();
    if (!id) return;
    $("#claim-detail").innerHTML = '<p class="placeholder">Open a claim from the list, or click a highlight in the text.</p>';
    history.pushState({ htmx: true }, "", reviewUrl());
    syncCurrent();
    const link = $(`#claim-row-${id} .claim-link`);
    if (link) link.focus();
    announce(`Claim #${id} closed.`);
  }

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a.claim-link");
    if (link) {
      event.preventDefault();
      openClaim(link.href, link);
      return;
    }
    if (event.target.closest("#claim-detail [data-close]")) {
      event.preventDefault();
      closeClaim();
      return;
    }
    if (event.target.closest("#shortcuts-open")) {
      toggleShortcuts();
      return;
    }
    const mark = event.target.closest("#article-body mark[data-claims]");
    if (mark && window.getSelection().isCollapsed) {
      // The innermost claim first; a second click on the same spot opens the one around it.
      const ids = mark.dataset.claims.split(" ");
      const at = ids.indexOf(currentClaimId());
      openClaimById(at > 0 ? ids[at - 1] : ids[ids.length - 1]);
    }
  });

  /* Mark the open claim's row and highlights; keep the count in the panel heading right. */
  function syncCurrent() {
    const id = currentClaimId();
    $$(".is-current").forEach((el) => el.classList.remove("is-current"));
    $$('.claim-link[aria-current="true"]').forEach((el) => el.removeAttribute("aria-current"));
    if (id) {
      $$(`#article-body mark[data-claims~="${id}"]`).forEach((el) => el.classList.add("is-current"));
      const row = $(`#claim-row-${id}`);
      if (row) {
        row.classList.add("is-current");
        $(".claim-link", row).setAttribute("aria-current", "true");
      }
    }
    const count = $("#claim-count");
    if (count) count.textContent = $$("#claim-list > li").length;
    const verdicts = $("#verdict-count");
    if (verdicts) verdicts.textContent = $$(".claim-row .rating-badge:not(.r-missing)").length;
  }

  function revealCurrent() {
    const id = currentClaimId();
    if (!id) return;
    const row = $(`#claim-row-${id}`);
    if (row) row.scrollIntoView({ block: "nearest" });
    const mark = $(`#article-body mark[data-claims~="${id}"]`);
    if (mark) {
      const r = mark.getBoundingClientRect();
      if (r.bottom < 0 || r.top > window.innerHeight) mark.scrollIntoView({ block: "center" });
    }
  }

  function focusTarget(kind) {
    const detail = $("#claim-detail");
    if (kind === "error") {
      const bad = $('[aria-invalid="true"], .conflict, .error', detail);
      if (bad) {
        if (!bad.matches("input, textarea, select")) bad.setAttribute("tabindex", "-1");
        bad.focus();
        return;
      }
    }
    if (kind === "list") {
      const heading = $("#claims-heading");
      const links = claimLinks();
      const target = links[Math.min(lastIndex, links.length - 1)] || heading;
      if (target === heading) heading.setAttribute("tabindex", "-1");
      if (target) target.focus();
      return;
    }
    const heading = $("#claim-heading", detail);
    if (heading) heading.focus({ preventScroll: false });
  }

  let lastIndex = 0;

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    syncCurrent();
    if (!target || target.id !== "claim-detail") {
      if (target && target.id === "selection-message") focusAfterSwap = null;
      return;
    }
    const id = currentClaimId();
    if (id) {
      lastIndex = Math.max(0, claimLinks().findIndex((a) => a.dataset.claim === id));
      window.getSelection().removeAllRanges();
      $("#selection-toolbar").hidden = true;
    }
    revealCurrent();
    // A reviewer already typing in the new panel keeps the focus they chose.
    const active = document.activeElement;
    if (active && target.contains(active) && active.matches(TYPING)) { focusAfterSwap = null; return; }
    focusTarget(focusAfterSwap || (id ? "panel" : "list"));
    focusAfterSwap = null;
  });

  // --- announcements ----------------------------------------------------------------

  function announce(message) {
    const region = $("#announcer");
    if (!region || !message) return;
    region.textContent = "";
    // A fresh text node after a tick, so the same message twice is read twice.
    setTimeout(() => { region.textContent = message; }, 30);
  }

  document.addEventListener("announce", (event) => {
    const detail = event.detail || {};
    announce(detail.message || detail.value);
    if (detail.focus) focusAfterSwap = detail.focus;
  });

  const INLINE_ERRORS = [400, 409, 422]; // swapped in place, announced through HX-Trigger

  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : "";
    if (INLINE_ERRORS.includes(status) || status === 401) return; // 401: session.js shows the login dialog
    announce(status === 403 ? "You are not allowed to do that." : `The server could not do that (error ${status}).`);
  });
  document.addEventListener("htmx:sendError", () => announce("No connection to the server: nothing was saved."));

  // --- keyboard ---------------------------------------------------------------------

  function toggleShortcuts() {
    const dialog = $("#shortcuts-dialog");
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  }

  function move(step) {
    const links = claimLinks();
    if (!links.length) return;
    let index = links.indexOf(document.activeElement);
    if (index < 0) {
      const id = currentClaimId();
      index = id ? links.findIndex((a) => a.dataset.claim === id) : -1;
      if (index < 0 && step < 0) index = links.length;
    }
    const next = links[Math.max(0, Math.min(links.length - 1, index + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  function pickRating(n) {
    const radios = $$('#verdict-form input[name="rating"]');
    const radio = radios[n - 1];
    if (!radio) return;
    radio.checked = true;
    const label = radio.closest("label");
    announce(`Rating ${label ? label.textContent.replace(/\s+/g, " ").trim() : n} picked. Press s to save.`);
  }

  function saveVerdict() {
    const form = $("#verdict-form");
    if (form) form.requestSubmit();
  }

  const TYPING = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]):not([type=hidden])";

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !$("#review")) return;
    const target = event.target;
    const typing = target instanceof Element && target.closest(TYPING);
    const dialog = $("#shortcuts-dialog");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = $("#verdict-form");
      if (form && (!typing || form.contains(target))) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.key === "Escape") {
      if (dialog && dialog.open) return; // the dialog closes itself
      if (typing) { target.blur(); return; }
      if (currentClaimId()) {
        event.preventDefault();
        closeClaim();
      }
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog && dialog.open && event.key !== "?") return;
    const inPanel = target instanceof Element && target.closest(".review-aside");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "ArrowDown": if (!inPanel) return; move(1); break;
      case "ArrowUp": if (!inPanel) return; move(-1); break;
      case "?": toggleShortcuts(); break;
      case "s": if (!$("#verdict-form")) return; saveVerdict(); break;
      default:
        if (/^[1-9]$/.test(event.key) && $("#verdict-form")) { pickRating(Number(event.key)); break; }
        return;
    }
    event.preventDefault();
  });

  // The entry the page was loaded into belongs to htmx's history too, so Back to it
  // restores it (from the server) like the entries htmx pushed.
  if (!history.state || !history.state.htmx) history.replaceState({ htmx: true }, "", location.href);

  // Initial state, also after a history restore swapped the body.
  document.addEventListener("DOMContentLoaded", syncCurrent);
  document.addEventListener("htmx:historyRestore", syncCurrent);
  if (document.readyState !== "loading") syncCurrent();
})();
