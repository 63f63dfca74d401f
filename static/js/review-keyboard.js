/* Factmark review page: claims from the keyboard (issue 12, item 4).
 *
 * The article text (#article-body, tabindex=0) is a caret region: once focused, the
 * arrow keys move a caret (drawn by .article-caret, since browsers draw none in text
 * that is not editable), Shift+arrows select (Ctrl/Alt for words, Home/End for lines),
 * "." selects the sentence at the caret (Intl.Segmenter), Enter opens the claim at the
 * caret (the chooser of review-overlaps.js when several cover it). Anywhere, "c" with
 * text selected in the article presses Add claim; review.js turns the selection into
 * code-point offsets as it does for the mouse. Selection moves use Selection.modify,
 * so bidirectional text moves the way the browser lays it out.
 */
(function () {
  "use strict";

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const TYPING = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]):not([type=hidden])";
  const body = () => $("#article-body");

  function selectionInArticle() {
    const article = body();
    const selection = window.getSelection();
    if (!article || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    return article.contains(range.startContainer) && article.contains(range.endContainer) ? selection : null;
  }

  function firstTextPosition(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode();
    return node ? [node, 0] : [root, 0];
  }

  function placeCaretAtStart() {
    const article = body();
    if (!article) return;
    const [node, offset] = firstTextPosition(article);
    window.getSelection().collapse(node, offset);
  }

  function announce(message) {
    const region = $("#announcer");
    if (!region) return;
    region.textContent = "";
    setTimeout(() => { region.textContent = message; }, 30);
  }

  // --- the caret ------------------------------------------------------------------

  function drawCaret() {
    const article = body();
    const column = $(".review-article");
    let caret = $("#article-caret");
    const selection = selectionInArticle();
    const show = article && column && document.activeElement === article && selection && selection.isCollapsed;
    if (!show) { if (caret) caret.hidden = true; return; }
    const range = selection.getRangeAt(0).cloneRange();
    let rect = range.getClientRects()[0];
    if (!rect) {
      // A collapsed range at a node boundary may have no box: measure the next character.
      const node = range.startContainer;
      if (node.nodeType === Node.TEXT_NODE && range.startOffset < node.length) {
        range.setEnd(node, range.startOffset + 1);
        const r = range.getClientRects()[0];
        if (r) rect = { left: r.left, top: r.top, height: r.height };
      }
    }
    if (!rect) { if (caret) caret.hidden = true; return; }
    if (!caret) {
      caret = document.createElement("span");
      caret.id = "article-caret";
      caret.className = "article-caret";
      caret.setAttribute("aria-hidden", "true");
      column.append(caret);
    }
    const box = column.getBoundingClientRect();
    caret.hidden = false;
    caret.style.left = `${rect.left - box.left}px`;
    caret.style.top = `${rect.top - box.top}px`;
    caret.style.height = `${rect.height || 20}px`;
  }

  document.addEventListener("selectionchange", () => requestAnimationFrame(drawCaret));
  document.addEventListener("focusin", (event) => {
    if (event.target === body() && !selectionInArticle()) placeCaretAtStart();
    requestAnimationFrame(drawCaret);
  });
  document.addEventListener("focusout", () => requestAnimationFrame(drawCaret));

  // --- the sentence at the caret -----------------------------------------------------

  function textPosition(p, offset) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset <= node.length) return [node, offset];
      offset -= node.length;
      last = node;
    }
    return last ? [last, last.length] : [p, 0];
  }

  function selectSentence() {
    const selection = selectionInArticle();
    if (!selection) return false;
    const range = selection.getRangeAt(0);
    const start = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer : range.startContainer.parentElement;
    const p = start && start.closest("#article-body > p");
    if (!p) return false;
    const before = document.createRange();
    before.setStart(p, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const at = before.toString().length;
    const text = p.textContent;
    let from = 0, to = text.length;
    if (window.Intl && Intl.Segmenter) {
      const lang = p.closest("[lang]") ? p.closest("[lang]").lang : undefined;
      for (const piece of new Intl.Segmenter(lang, { granularity: "sentence" }).segment(text)) {
        if (piece.index <= at && at < piece.index + piece.segment.length) {
          from = piece.index;
          to = piece.index + piece.segment.length;
          break;
        }
      }
    }
    while (to > from && /\s/.test(text[to - 1])) to--;
    if (to <= from) return false;
    const [startNode, startOffset] = textPosition(p, from);
    const [endNode, endOffset] = textPosition(p, to);
    selection.setBaseAndExtent(startNode, startOffset, endNode, endOffset);
    announce(`Selected: ${text.slice(from, to)} Press c to add a claim.`);
    return true;
  }

  // --- keys ---------------------------------------------------------------------------

  const MOVES = {
    ArrowLeft: ["backward", "character"],
    ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"],
    ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  let announceTimer = 0;
  function announceSelectionSoon() {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      const selection = selectionInArticle();
      if (selection && !selection.isCollapsed) announce(`Selected: ${selection.toString()} Press c to add a claim.`);
    }, 700);
  }

  function inArticleKey(event) {
    const selection = window.getSelection();
    if (MOVES[event.key] && !event.metaKey) {
      if (!selectionInArticle()) placeCaretAtStart();
      let [direction, granularity] = MOVES[event.key];
      if ((event.ctrlKey || event.altKey) && granularity === "character") granularity = "word";
      selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
      if (event.shiftKey) announceSelectionSoon();
      return true;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === ".") return selectSentence();
    if (event.key === "Enter") {
      const current = selectionInArticle();
      if (!current) return false;
      const node = current.focusNode;
      const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
      const mark = element && element.closest("mark[data-claims]");
      if (!mark || !window.factmarkOverlaps) return false;
      const range = current.getRangeAt(0).cloneRange();
      range.collapse(false);
      const rect = range.getClientRects()[0] || mark.getBoundingClientRect();
      window.factmarkOverlaps.chooseAt(mark, rect);
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !$("#review")) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) return;
    const dialog = $("#shortcuts-dialog");
    if (dialog && dialog.open) return;
    if (target === body() && inArticleKey(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === "c" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const selection = selectionInArticle();
      const form = $("#add-claim-form");
      if (!selection || selection.isCollapsed || !form) return;
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
