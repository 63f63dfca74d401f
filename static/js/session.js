/* Factmark, every page: nothing typed is lost.
 *
 * Drafts: every form marked data-draft="<key>" (the claim panel's verdict, claim,
 * source and comment forms: key = user id + claim id + form, so a browser shared by two
 * people never hands one's draft to the other) keeps its fields in sessionStorage
 * while the reviewer types, under "factmark:draft:<key>". After a reload, a crash or a
 * new login, the form comes back from the server and the draft is put back into it,
 * with a note and a Discard button. A save the server accepts (2xx) clears the draft;
 * a refused one (409 stale version, 422 bad input) keeps it. The form's version number
 * is kept with the draft, so a draft restored over a claim changed meanwhile meets a
 * 409 (both texts shown) instead of overwriting it.
 *
 * Session expiry: an htmx request on an ended session is answered 401 with an
 * HX-Trigger "session-expired" event (annotate/session_expiry.py). Nothing is swapped;
 * the drafts are saved and a dialog offers the login page, whose `next` is the page
 * the reviewer is on.
 *
 * Delegated listeners only, no inline script or style (strict CSP).
 */
(function () {
  "use strict";

  const PREFIX = "factmark:draft:";
  const SKIP_TYPES = ["hidden", "submit", "button", "file", "reset", "image", "password"];

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  const keyOf = (form) => PREFIX + form.dataset.draft;

  /* The fields a draft keeps: what a person types or picks, plus the version it was typed against. */
  function draftFields(form) {
    return Array.from(form.elements).filter((el) => el.name && el.name !== "csrfmiddlewaretoken" &&
      (el.name === "version" || !SKIP_TYPES.includes(el.type)));
  }

  function read(form) {
    const values = {};
    draftFields(form).forEach((el) => {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; else if (!(el.name in values)) values[el.name] = ""; }
      else if (el.type === "checkbox") values[el.name] = el.checked ? el.value : "";
      else values[el.name] = el.value;
    });
    return values;
  }

  function write(form, values) {
    draftFields(form).forEach((el) => {
      if (!(el.name in values)) return;
      if (el.type === "radio") el.checked = el.value === values[el.name];
      else if (el.type === "checkbox") el.checked = values[el.name] !== "";
      else el.value = values[el.name];
    });
  }

  /* The typed fields (not the version) differ from what the server rendered. */
  function differs(form, values) {
    const now = read(form);
    return Object.keys(values).some((name) => name !== "version" && name in now && now[name] !== values[name]);
  }

  function save(form) {
    const store = storage();
    if (!store || !form.dataset.draft) return;
    const values = read(form);
    const server = form.dataset.draftServer ? JSON.parse(form.dataset.draftServer) : null;
    const changed = !server || Object.keys(values).some((name) => name !== "version" && values[name] !== server[name]);
    // A form sent back refused (409, 422) holds the typed text as its "server" values: keep that draft.
    const refused = form.closest("section, article") && form.closest("section, article").querySelector(".conflict, [aria-invalid='true'], .error");
    try {
      if (changed || refused) store.setItem(keyOf(form), JSON.stringify(values));
      else store.removeItem(keyOf(form));
    } catch (e) { /* storage full or refused: the form still holds the text */ }
  }

  function clear(form) {
    const store = storage();
    if (store && form.dataset.draft) store.removeItem(keyOf(form));
    const note = form.querySelector(".draft-note");
    if (note) note.remove();
  }

  function note(form) {
    if (form.querySelector(".draft-note")) return;
    const p = document.createElement("p");
    p.className = "draft-note";
    p.setAttribute("role", "status");
    p.append("Your unsaved text from this device was put back. ");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.dataset.draftDiscard = "";
    discard.textContent = "Discard it";
    p.append(discard);
    form.prepend(p);
  }

  /* Remember what the server rendered, then put a stored draft back over it: once per form element
     (htmx fires afterSettle once per swapped element, out-of-band ones included, all naming the same target). */
  function restore(scope) {
    const store = storage();
    (scope || document).querySelectorAll("form[data-draft]:not([data-draft-server])").forEach((form) => {
      form.dataset.draftServer = JSON.stringify(read(form));
      if (!store) return;
      let values = null;
      try { values = JSON.parse(store.getItem(keyOf(form)) || "null"); } catch (e) { values = null; }
      if (!values) return;
      if (!differs(form, values)) return;  // e.g. a refused form that came back with the typed text
      write(form, values);
      note(form);
    });
  }

  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) save(form);
  });
  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) save(form);
  });
  // Keys that pick a rating set .checked without an input event: snapshot at submit too.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-draft]");
    if (form) save(form);
  }, true);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-draft-discard]");
    if (!button) return;
    const form = button.closest("form[data-draft]");
    if (!form) return;
    clear(form);
    const server = form.dataset.draftServer ? JSON.parse(form.dataset.draftServer) : {};
    write(form, server);
  });

  // Before the swap: afterwards the form is gone from the page (and the event comes from its container).
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    const form = event.detail.elt;
    const xhr = event.detail.xhr;
    if (!(form instanceof HTMLFormElement) || !form.dataset.draft || !xhr) return;
    if (xhr.status >= 200 && xhr.status < 300) clear(form);
  });

  document.addEventListener("htmx:afterSettle", (event) => restore(event.detail.target));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => restore(document));
  else restore(document);

  // --- an ended session -----------------------------------------------------------

  document.addEventListener("session-expired", (event) => {
    document.querySelectorAll("form[data-draft]").forEach(save);
    const detail = event.detail || {};
    const dialog = document.getElementById("session-dialog");
    const link = document.getElementById("session-login");
    if (link && detail.login) link.href = detail.login;
    if (dialog && !dialog.open) dialog.showModal();
    else if (!dialog && detail.login) window.location.assign(detail.login);
  });
})();
