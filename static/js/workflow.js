// The desk's workflow on the review page: key `n` opens the next claim assigned to me
// (the oldest without my verdict, skipping the one open now). A separate file so the
// review page's own script stays the review-page engineer's; no inline script (CSP).
(function () {
  "use strict";
  const TYPING = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]):not([type=hidden])";

  document.addEventListener("keydown", (event) => {
    const review = document.getElementById("review");
    if (!review || event.defaultPrevented || event.key !== "n") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) return;
    const dialog = document.getElementById("shortcuts-dialog");
    if (dialog && dialog.open) return;
    const url = review.dataset.nextClaimUrl;
    if (!url) return;
    event.preventDefault();
    const current = /\/claims\/(\d+)\//.exec(location.pathname);
    location.assign(url + (current ? "?after=" + current[1] : ""));
  });
})();
