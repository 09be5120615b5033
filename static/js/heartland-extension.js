// The Astro Loyalty strip inside Heartland Retail's POS (docs/heartland.md §7). The POS frames
// it and listens for JSON messages {command, params}: "show" makes the strip visible, and
// "redirect" sends the register's own window to params.url, where Astro asks for its login in
// a top-level page (cookies inside a frame do not survive on an iPad).
(function () {
  "use strict";
  var framed = window.parent !== window;
  if (!framed) {
    return; // opened on its own: the link simply works
  }

  function parentOrigin() {
    try {
      return document.referrer ? new URL(document.referrer).origin : "*";
    } catch (error) {
      return "*";
    }
  }

  function send(command, params) {
    window.parent.postMessage(JSON.stringify({ command: command, params: params || {} }), parentOrigin());
  }

  send("show");
  var button = document.getElementById("astro-loyalty");
  if (button && button.tagName === "A") {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      send("redirect", { url: button.href });
    });
  }
})();
