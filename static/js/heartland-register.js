// The sandbox register: what Heartland Retail's POS does with a UI extension (docs/heartland.md
// §7). The frame stays hidden until the extension asks to be shown; "redirect" sends this
// window to the URL it names. Only messages from the extension's own frame and origin count.
(function () {
  "use strict";
  var frame = document.getElementById("astro-extension");
  if (!frame) {
    return;
  }
  var origin = new URL(frame.getAttribute("src"), window.location.href).origin;

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== origin) {
      return;
    }
    var message;
    try {
      message = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
    } catch (error) {
      return;
    }
    if (!message || typeof message.command !== "string") {
      return;
    }
    if (message.command === "show") {
      frame.classList.remove("is-hidden");
    } else if (message.command === "hide") {
      frame.classList.add("is-hidden");
    } else if (message.command === "redirect" && message.params && typeof message.params.url === "string") {
      var target = new URL(message.params.url, window.location.href);
      if (target.protocol === "https:" || target.protocol === "http:") {
        window.location.assign(target.href);
      }
    }
  });
})();
