// Copy buttons for personal links: shown only when JavaScript runs; without it the link
// stays selectable text in a read-only field.
(function () {
  "use strict";
  function done(button, ok) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = button.getAttribute(ok ? "data-done" : "data-failed"); }
  }
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(button, true); },
        function () { done(button, document.execCommand("copy")); });
    } else {
      done(button, document.execCommand("copy"));
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
