// The sandbox register's side of the Payments API (x-series-api.lightspeedhq.com
// docs/payments_api_reference): Astro Loyalty's Gateway URL opens in an iframe over the sale;
// messages are JSON strings. DATA is answered with register_sale; SETUP shows or hides the
// Close button; PRINT, DECLINE, EXIT and ACCEPT are reported to the sandbox, which logs them
// (ACCEPT records a payment), and all but PRINT close the window.
(function () {
  "use strict";
  var dialog = document.getElementById("payment-window");
  var opener = document.querySelector("[data-open-gateway]");
  if (!dialog || !opener) {
    return;
  }
  var frame = document.getElementById("astro-frame");
  var closer = dialog.querySelector("[data-close-window]");
  var gatewayOrigin = dialog.dataset.gatewayOrigin;
  var registerSale = JSON.parse(document.getElementById("register-sale").textContent);
  var pageToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;

  // The sandbox shares its host with Astro, so logging in inside the window rotates the CSRF
  // cookie: read it when sending (a real register is another site and has its own).
  function csrf() {
    var found = document.cookie.split("; ").find(function (c) {
      return c.indexOf("csrftoken=") === 0;
    });
    return found ? found.slice("csrftoken=".length) : pageToken;
  }

  function reply(message) {
    frame.contentWindow.postMessage(JSON.stringify(message), gatewayOrigin);
  }

  function report(step) {
    return fetch(dialog.dataset.stepUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ step: step, amount: dialog.dataset.amount }),
      credentials: "same-origin",
    });
  }

  function finish(step) {
    report(step).finally(function () {
      dialog.close();
      // Back on the Pay screen, as the register is after its payment window closes.
      window.location.replace(dialog.dataset.saleUrl + "?pay=1");
    });
  }

  opener.addEventListener("click", function () {
    frame.src = dialog.dataset.gatewaySrc;
    dialog.showModal();
  });
  closer.addEventListener("click", function () {
    finish("EXIT");
  });

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== gatewayOrigin) {
      return;
    }
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    switch (message && message.step) {
      case "DATA":
        reply({ success: true, step: "DATA", register_sale: registerSale });
        break;
      case "SETUP":
        closer.hidden = !(message.setup && message.setup.enable_close);
        break;
      case "PRINT":
        report("PRINT");
        break;
      case "ACCEPT":
      case "DECLINE":
      case "EXIT":
        finish(message.step);
        break;
      default:
        break;
    }
  });
})();
