// The register sandbox's only script (no inline scripts: the pages run under a strict CSP).
// Focus the scan field so a barcode scanner's Enter always lands in it, and print receipts.
document.addEventListener("DOMContentLoaded", () => {
  const scan = document.querySelector("[data-autofocus]");
  const dialog = document.querySelector("[role=dialog] button");
  if (dialog) {
    dialog.focus();
  } else if (scan) {
    scan.focus();
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
