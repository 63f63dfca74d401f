/* Factmark review page: every overlapping claim reachable, every extent visible (issue 12, item 3).
 *
 * - A click (or Enter at the caret, see review-keyboard.js) on text covered by several
 *   claims opens a small chooser listing them, outermost first; arrow keys move, Enter
 *   opens, Escape closes and gives the focus back. One claim: it opens at once, as before.
 * - Hovering or focusing a claim row, or an entry of the chooser, outlines every piece of
 *   that claim's highlight (`is-extent`), so a claim nested under another shows where it
 *   starts and ends.
 * Opening goes through the row's link, which review.js turns into an htmx request.
 * Delegated listeners, no inline script or style (strict CSP); CSSOM positioning only.
 */
(function () {
  "use strict";

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.from((scope || document).querySelectorAll(selector));
  let returnFocus = null;

  function rowText(id) {
    const span = $(`#claim-row-${id} .claim-link > bdi`);
    return span ? span.textContent : "";
  }

  function openClaim(id) {
    const link = $(`#claim-row-${id} .claim-link`);
    if (link) link.click();
  }

  function closeChooser(restore) {
    const chooser = $("#overlap-chooser");
    if (!chooser) return;
    chooser.remove();
    showExtent(null);
    if (restore && returnFocus && document.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
  }

  /* A menu of the claims `ids` covering a point of the text, placed at `rect` (client coordinates). */
  function openChooser(ids, rect) {
    closeChooser(false);
    const column = $(".review-article");
    if (!column) return;
    returnFocus = document.activeElement;
    const chooser = document.createElement("div");
    chooser.id = "overlap-chooser";
    chooser.className = "overlap-chooser";
    chooser.setAttribute("role", "menu");
    chooser.setAttribute("aria-label", `${ids.length} claims cover this text`);
    const note = document.createElement("p");
    note.textContent = `${ids.length} claims cover this text:`;
    note.setAttribute("aria-hidden", "true");
    chooser.append(note);
    ids.forEach((id) => {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "menuitem");
      button.dataset.claim = id;
      const row = $(`#claim-row-${id}`);
      const colour = row ? Array.from(row.classList).filter((c) => c === "rt" || c.startsWith("rt-")) : [];
      button.classList.add(...colour);
      const num = document.createElement("b");
      num.textContent = `#${id}`;
      const text = document.createElement("bdi");
      text.textContent = rowText(id);
      button.append(num, text);
      chooser.append(button);
    });
    column.append(chooser);
    const box = column.getBoundingClientRect();
    const left = Math.max(0, Math.min(rect.left - box.left, box.width - chooser.offsetWidth));
    chooser.style.top = `${rect.bottom - box.top + 6}px`;
    chooser.style.left = `${left}px`;
    const first = $("button", chooser);
    if (first) first.focus();
  }

  function showExtent(id) {
    $$("#article-body mark.is-extent").forEach((m) => m.classList.remove("is-extent"));
    if (id) $$(`#article-body mark[data-claims~="${id}"]`).forEach((m) => m.classList.add("is-extent"));
  }

  /* Open the claim under a mark: directly when it is the only one, else through the chooser. */
  function chooseAt(mark, rect) {
    const ids = mark.dataset.claims.split(" ");
    if (ids.length === 1) openClaim(ids[0]);
    else openChooser(ids, rect || mark.getBoundingClientRect());
  }
  window.factmarkOverlaps = { chooseAt, close: closeChooser };

  // Capture phase: runs before review.js's click handler, which skips default-prevented clicks.
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const item = event.target.closest("#overlap-chooser button[data-claim]");
    if (item) {
      event.preventDefault();
      const id = item.dataset.claim;
      closeChooser(false);
      openClaim(id);
      return;
    }
    if (!event.target.closest("#overlap-chooser")) closeChooser(false);
    const mark = event.target.closest("#article-body mark[data-claims]");
    if (!mark || !window.getSelection().isCollapsed) return;
    const ids = mark.dataset.claims.split(" ");
    if (ids.length < 2) return; // review.js opens it
    event.preventDefault();
    openChooser(ids, { left: event.clientX, bottom: event.clientY, top: event.clientY });
  }, true);

  document.addEventListener("keydown", (event) => {
    const chooser = $("#overlap-chooser");
    if (!chooser || !chooser.contains(event.target)) return;
    const items = $$("button[data-claim]", chooser);
    const at = items.indexOf(event.target);
    let next = null;
    switch (event.key) {
      case "ArrowDown": case "j": next = items[(at + 1) % items.length]; break;
      case "ArrowUp": case "k": next = items[(at - 1 + items.length) % items.length]; break;
      case "Home": next = items[0]; break;
      case "End": next = items[items.length - 1]; break;
      case "Escape": closeChooser(true); break;
      case "Tab": closeChooser(false); return;
      case "Enter": case " ": {
        const id = event.target.dataset.claim;
        closeChooser(false);
        if (id) openClaim(id);
        break;
      }
      default: return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (next) next.focus();
  }, true); // capture: before review.js, whose Escape would close the open claim

  function extentSource(target) {
    if (!(target instanceof Element)) return null;
    const item = target.closest("#overlap-chooser button[data-claim], .claim-row .claim-link, .claim-row");
    if (!item) return null;
    if (item.dataset.claim) return item.dataset.claim;
    const link = $(".claim-link", item);
    return link ? link.dataset.claim : null;
  }

  document.addEventListener("mouseover", (event) => {
    const id = extentSource(event.target);
    if (id) showExtent(id);
  });
  document.addEventListener("mouseout", (event) => {
    if (extentSource(event.target) && !extentSource(event.relatedTarget)) showExtent(null);
  });
  document.addEventListener("focusin", (event) => {
    const id = extentSource(event.target);
    showExtent(id);
  });
})();
