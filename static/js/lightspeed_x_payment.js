// Astro's side of Lightspeed X-Series' Payments API (x-series-api.lightspeedhq.com
// docs/payments_api_reference): the register opens Astro's Gateway URL in an iframe; every
// message is a JSON string posted to the register's window, and only the store's own register
// origin (data-register-origin, from the store's connection) is talked to or listened to.
// Steps used: SETUP (keep the register's close button), DATA (ask for register_sale), EXIT
// (done: close Astro's window) and DECLINE without printing (Astro could not help). Astro
// records no payment, so it never sends ACCEPT.
(function () {
  "use strict";
  var root = document.querySelector("[data-register-origin]");
  if (!root) {
    return;
  }
  var origin = root.dataset.registerOrigin;
  var framed = window.parent !== window;

  function send(message) {
    if (!origin || !framed) {
      return false;
    }
    window.parent.postMessage(JSON.stringify(message), origin);
    return true;
  }

  function step(name) {
    var message = { step: name };
    if (name === "DECLINE") {
      message.print = false; // nothing to print: no payment was attempted
    }
    return send(message);
  }

  function showNotFramed() {
    var note = root.querySelector("[data-not-framed]");
    if (note) {
      note.hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-register-step]");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (!step(button.dataset.registerStep)) {
      showNotFramed();
    }
  });

  if (root.dataset.autoStep && !step(root.dataset.autoStep)) {
    showNotFramed();
  }

  if (root.dataset.nextUrl) {
    // The waiting page: ask Astro (which asks the API) again in a few seconds.
    window.setTimeout(function () {
      window.location.replace(root.dataset.nextUrl);
    }, Number(root.dataset.waitMs) || 4000);
  }

  if (root.id === "xseries-gateway") {
    askForTheSale();
  }

  function askForTheSale() {
    var form = root.querySelector("[data-sale-form]");
    var problem = root.querySelector("[data-problem]");
    var given = new URLSearchParams(window.location.search).get("origin");

    function fail(text) {
      problem.textContent = text;
      problem.hidden = false;
      root.querySelector("[data-status]").hidden = true;
    }

    if (!framed) {
      fail("Open this page from the Lightspeed register: press Pay, then Astro Loyalty.");
      return;
    }
    if (!origin) {
      fail("This store is not connected to Lightspeed X-Series yet. Ask an admin to connect it under Settings → X-Series.");
      return;
    }
    if (given && given !== origin) {
      fail("This register (" + given + ") is not the store's Lightspeed register (" + origin + ").");
      return;
    }
    window.addEventListener("message", function (event) {
      if (event.origin !== origin) {
        return;
      }
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (!data || data.step !== "DATA" || !data.register_sale) {
        return;
      }
      form.elements.register_sale.value = JSON.stringify(data.register_sale);
      form.submit();
    });
    send({ step: "SETUP", setup: { enable_close: true } });
    send({ step: "DATA" });
    window.setTimeout(function () {
      if (!form.elements.register_sale.value) {
        fail("The register did not send the sale. Press Back to the sale and try Astro Loyalty again.");
      }
    }, 10000);
  }
})();
