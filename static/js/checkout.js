// Pop-ups as modal <dialog>s: focus moves inside, Escape closes, focus returns to the button
// that opened it. htmx puts the dialog into #dialog-slot; this opens it.
(function () {
  let opener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "dialog-slot" && !document.querySelector("dialog[open]")) {
      opener = document.activeElement;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const dialog = event.detail.target.querySelector && event.detail.target.querySelector("dialog.modal");
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector("select, input:not([type=hidden]), button[type=submit]");
    if (first) first.focus();
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (opener && document.contains(opener)) opener.focus();
      else {
        const scan = document.getElementById("scan-code");
        if (scan) scan.focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-close-dialog]")) event.target.closest("dialog").close();
  });
})();

// A request that failed outright (network down, server error, stale page) says so in place
// instead of doing nothing.
(function () {
  function flash(text) {
    const bar = document.getElementById("flash");
    if (!bar) return;
    bar.textContent = text;
    bar.hidden = false;
    bar.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:beforeRequest", function () {
    const bar = document.getElementById("flash");
    if (bar) bar.hidden = true;
  });
  document.addEventListener("htmx:sendError", function () {
    flash("Astro could not be reached. Check the network connection and try again.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
    flash(plain && xhr.responseText ? xhr.responseText
      : "Something went wrong (error " + xhr.status + "). Reload the page and try again.");
  });
})();
