// Draws every chart on the page from the JSON block named by its data-chart attribute.
// Kept in a static file so the Content-Security-Policy can forbid inline scripts.
// Without JavaScript the chart box stays hidden and its table open (templates/_charts.html);
// here the box is shown and the table folded away once the chart has drawn.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ displayModeBar: false, responsive: true }, figure.config || {});
      el.hidden = false;
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config).then(function () {
        el.setAttribute("data-rendered", "true");
        var table = el.parentNode.querySelector("details.chart-table");
        if (table) { table.open = false; }
      }, function () {
        el.hidden = true;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
