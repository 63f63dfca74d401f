// Public fact-check page: a click on a highlight jumps to its verdict in the list of
// checked claims (the innermost claim when highlights nest). Loaded as a file: the CSP
// allows no inline script.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-claims]");
    if (!mark || window.getSelection().toString()) {
      return; // not a highlight, or the reader is selecting text
    }
    var ids = mark.getAttribute("data-claims").split(" ");
    var entry = document.getElementById("claim-" + ids[ids.length - 1]);
    if (!entry) {
      return;
    }
    history.replaceState(null, "", "#" + entry.id);
    entry.setAttribute("tabindex", "-1");
    entry.scrollIntoView({ block: "start" });
    entry.focus({ preventScroll: true });
  });
})();
