/* Factmark review page: the "Suggested claims" and "Check the arithmetic" section.
 *
 * "Make claim" sends the suggestion's key; when the reviewer has selected words inside
 * the suggested sentence, the selection (code points, as review.js measured it into
 * #add-claim-form) goes with it and becomes the claim's span instead. Keys: a makes a
 * claim of the focused suggestion (or of the one holding the selection), x dismisses the
 * focused one. Delegated listeners only (strict CSP); review.js owns everything else.
 */
(function () {
  "use strict";

  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const TYPING = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]):not([type=hidden])";

  /* The live selection as review.js left it in the add-claim form, or null. */
  function selection() {
    const form = $("#add-claim-form");
    if (!form || !form.elements.start.value) return null;
    return { start: Number(form.elements.start.value), end: Number(form.elements.end.value), quote: form.elements.quote.value };
  }

  const inside = (sel, el) => sel && sel.start >= Number(el.dataset.start) && sel.end <= Number(el.dataset.end);

  // Pressing "Make claim" must not collapse the selection it may send.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("form[data-suggestion-accept] button")) event.preventDefault();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-suggestion-accept]");
    if (!form) return;
    const sel = selection();
    const use = inside(sel, form);
    form.elements.start.value = use ? sel.start : "";
    form.elements.end.value = use ? sel.end : "";
    form.elements.quote.value = use ? sel.quote : "";
  }, true);

  // A jump link scrolls the article to the paragraph holding that offset.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#suggestions [data-jump]");
    if (!link) return;
    event.preventDefault();
    const at = Number(link.dataset.jump);
    let target = null;
    document.querySelectorAll("#article-body > p[data-start]").forEach((p) => {
      if (Number(p.dataset.start) <= at) target = p;
    });
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.classList.add("suggestion-flash");
      setTimeout(() => target.classList.remove("suggestion-flash"), 1200);
    }
  });

  function submit(item, which) {
    const form = item && $(`form[data-suggestion-${which}]`, item);
    if (form) form.requestSubmit();
    return Boolean(form);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !$("#suggestions") || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) return;
    const dialog = $("#shortcuts-dialog");
    if (dialog && dialog.open) return;
    const focused = target instanceof Element ? target.closest("#suggestions li[data-suggestion]") : null;
    let done = false;
    if (event.key === "a") {
      let item = focused;
      if (!item) {
        const sel = selection();
        item = sel && Array.from(document.querySelectorAll("#suggestion-list li[data-suggestion]")).find((li) => inside(sel, li));
      }
      done = submit(item, "accept");
    } else if (event.key === "x") {
      if (focused) {
        const next = focused.nextElementSibling || focused.previousElementSibling;
        done = submit(focused, "dismiss");
        if (next && next.matches("[data-suggestion]")) next.focus();
      }
    }
    if (done) event.preventDefault();
  });

  // After a dismissal the count follows the list.
  document.addEventListener("htmx:afterSettle", () => {
    const count = $("#suggestion-count");
    if (count) count.textContent = document.querySelectorAll("#suggestion-list li[data-suggestion]").length;
    const arithmetic = $("#arithmetic-count");
    if (arithmetic) arithmetic.textContent = document.querySelectorAll("#arithmetic-list li[data-suggestion]").length;
  });
})();
