// Progressive enhancement for survey pages: save the page's answers as they are given.
// Without JavaScript the page works the same through its buttons; this only saves earlier.
(function () {
  "use strict";
  // After a failed "Volgende" the page comes back with an error summary: move focus there so
  // screen readers read it and keyboard users can jump from it to each question.
  var summary = document.getElementById("fouten");
  if (summary) { summary.focus(); }
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var busy = false;
  var again = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 204) {
        say(status ? status.getAttribute("data-saved") : "");
      } else if (response.status === 200) {
        say(status ? status.getAttribute("data-invalid") : "");
      } else {
        say("");
      }
    }).catch(function () {
      say("");
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { later(150); });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") { later(1500); }
  });
})();
