// Pop-ups as modal <dialog>s: focus moves inside, Escape closes, focus returns to the control
// that opened it. A dialog comes from htmx into #dialog-slot, is opened by a button with
// data-open-dialog="<id>", or opens by itself when the server marks it data-autoshow (say, to
// show its own validation error with every answer kept).
(function () {
  let opener = null;

  function scanField() {
    return document.getElementById("scan-code");
  }

  function openDialog(dialog) {
    if (!dialog || dialog.open) return;
    dialog.removeAttribute("data-autoshow"); // once: a later swap elsewhere does not reopen it
    if (!opener || !document.contains(opener)) opener = document.activeElement;
    dialog.showModal();
    const target = dialog.querySelector("[data-focus-after-swap]")
      || dialog.querySelector("[aria-invalid=true]")
      || dialog.querySelector("select, input:not([type=hidden]), textarea, button[type=submit]");
    if (target) target.focus();
  }

  // "close" does not bubble, so listen in the capture phase for every dialog on the page.
  document.addEventListener("close", function (event) {
    const dialog = event.target;
    if (!(dialog instanceof HTMLDialogElement)) return;
    if (dialog.closest("#dialog-slot")) dialog.remove();
    const back = opener && document.contains(opener) ? opener : scanField();
    opener = null;
    if (back) back.focus({ preventScroll: true });
  }, true);

  document.addEventListener("click", function (event) {
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      closer.closest("dialog").close();
      return;
    }
    const button = event.target.closest("[data-open-dialog]");
    if (button) {
      opener = button;
      openDialog(document.getElementById(button.dataset.openDialog));
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const live = document.getElementById("announcer");
    if (live) live.textContent = ""; // nothing stale is read out, or found, after the next action
    const target = event.detail.target;
    if (target && target.id === "dialog-slot" && !document.querySelector("dialog[open]")) {
      opener = document.activeElement;
    }
  });

  // After a region is replaced: open the dialog it brought, put focus where the server asked
  // (the field whose value was refused, with its text selected so a new scan replaces it), and
  // read out its message through the page's live region.
  function settle(root) {
    const slotDialog = document.querySelector("#dialog-slot dialog.modal:not([open])");
    const autoshow = root.querySelector("dialog[data-autoshow]:not([open])");
    if (slotDialog) openDialog(slotDialog);
    else if (autoshow) openDialog(autoshow);
    else {
      const field = root.querySelector("[data-focus-after-swap]");
      if (field && !field.closest("dialog")) {
        field.removeAttribute("data-focus-after-swap");
        field.focus({ preventScroll: true });
        if (field.select && field.getAttribute("aria-invalid") === "true") field.select();
      }
    }
    announce(root);
  }

  function announce(root) {
    const live = document.getElementById("announcer");
    const message = root.querySelector("[data-announce]");
    if (!live || !message) return;
    message.removeAttribute("data-announce");
    live.textContent = "";
    // A fresh text node in a live region that already exists is what screen readers announce.
    window.setTimeout(function () { live.textContent = message.textContent.trim(); }, 50);
  }

  document.addEventListener("htmx:afterSettle", function () {
    settle(document);
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The checkout opens at the top: the scan field takes focus without scrolling the page to it.
    const scan = scanField();
    if (scan) scan.focus({ preventScroll: true });
    const autoshow = document.querySelector("dialog[data-autoshow]");
    if (autoshow) {
      opener = scan;
      openDialog(autoshow);
    }
    announce(document);
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
