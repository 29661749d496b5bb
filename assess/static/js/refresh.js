// Keeps a status block up to date while mail waits in the outbox: the element with
// data-refresh="ms" is fetched again from the same URL and swapped in, until the fresh copy
// no longer asks for it. Without JavaScript, reloading the page shows the same.
(function () {
  "use strict";
  var block = document.querySelector("[data-refresh]");
  if (!block || !block.id || !window.fetch || !window.DOMParser) { return; }

  function later(element) {
    var wait = parseInt(element.getAttribute("data-refresh"), 10);
    if (wait > 0) { window.setTimeout(update, wait); }
  }

  function update() {
    fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null) { later(block); return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(block.id);
      if (!fresh) { return; }
      block.innerHTML = fresh.innerHTML;
      if (fresh.hasAttribute("data-refresh")) {
        later(fresh);
      } else {
        block.removeAttribute("data-refresh");
      }
    }).catch(function () { later(block); });
  }

  later(block);
})();
