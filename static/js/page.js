// Behaviour shared by every page, kept out of the templates: the Content-Security-Policy
// allows no inline script or event handler (onclick=..., onfocus=...).
(function () {
  // A read-only field to copy from (a location's button URL) selects itself when focused.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
