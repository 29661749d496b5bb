// Draws every chart on the page from the JSON block named by its data-chart attribute.
// Kept in a static file so the Content-Security-Policy can forbid inline scripts.
//
// plotly.js is 1.2 MB of script: initialising it, and drawing a chart, block the main thread
// for long tasks on a phone. So nothing of it runs before the page has painted, and a chart is
// drawn only when it comes near the screen (IntersectionObserver): plotly.js is fetched when
// the first chart does, initialised in steps, and the charts are drawn one per task, so a tap
// or scroll in between is answered. A report read without scrolling never pays for the charts below.
//
// The page does not move when a chart appears: with scripting on, the CSS gives the box its
// chart's height (templates/_charts.html) and keeps the table folded from the first paint, and
// this script closes the tables' <details> before anything is drawn. Without JavaScript the
// box takes no room and the table stays open. If plotly.js cannot load or draw, the tables
// open again.
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlySrc = script && script.getAttribute("data-plotly");
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  var queue = [];
  var loading = null;
  var drawing = false;

  function tableOf(el) {
    return el.parentNode.querySelector("details.chart-table");
  }

  function giveUp(el) {
    el.setAttribute("data-failed", "true");
    var table = tableOf(el);
    if (table) { table.open = true; }
  }

  function loadPlotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.Plotly) { resolve(); return; }
        var tag = document.createElement("script");
        tag.src = plotlySrc;
        tag.async = true;
        tag.onload = function () { initialise().then(resolve, reject); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  // The bundle (assess/vendor/plotly/build.sh) initialises plotly.js in steps, one per task,
  // instead of in one long task; the last step gives Plotly.
  function initialise() {
    return new Promise(function (resolve, reject) {
      var steps = window.PlotlySteps;
      if (window.Plotly) { resolve(); return; }
      if (!Array.isArray(steps) || !steps.length) { reject(); return; }
      var k = 0;
      nextTask(function step() {
        var result;
        try {
          result = steps[k]();
        } catch (error) {
          reject(error);
          return;
        }
        k += 1;
        if (k < steps.length) {
          nextTask(step);
        } else {
          window.Plotly = result;
          resolve();
        }
      });
    });
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return Promise.resolve(); }
    var figure = JSON.parse(source.textContent);
    var config = Object.assign({ displayModeBar: false, responsive: true }, figure.config || {});
    return window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config).then(
      function () {
        el.setAttribute("data-rendered", "true");
        performance.mark("chart-drawn:" + el.id);
      },
      function () { giveUp(el); }
    );
  }

  // One chart per task: yield to the browser between charts (input, paint) before the next.
  function nextTask(fn) {
    if (window.scheduler && typeof window.scheduler.postTask === "function") {
      window.scheduler.postTask(fn, { priority: "user-visible" });
    } else {
      setTimeout(fn, 0);
    }
  }

  function pump() {
    if (drawing || !queue.length) { return; }
    drawing = true;
    loadPlotly().then(function () {
      nextTask(function step() {
        var el = queue.shift();
        if (!el) { drawing = false; return; }
        draw(el).then(function () {
          if (queue.length) { nextTask(step); } else { drawing = false; }
        });
      });
    }, function () {
      queue.concat(charts.filter(function (el) { return !el.hasAttribute("data-rendered"); }))
        .forEach(giveUp);
      queue = [];
    });
  }

  function want(el) {
    if (el.hasAttribute("data-queued")) { return; }
    el.setAttribute("data-queued", "true");
    queue.push(el);
    // Page order: a chart higher up is drawn first when several come into view at once.
    queue.sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    pump();
  }

  // Printing shows every chart that plotly.js can still draw; the others print as tables
  // (css/print.css hides a box that was never drawn).
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) { return; }
    charts.forEach(function (el) {
      if (!el.hasAttribute("data-rendered") && !el.hasAttribute("data-failed")) {
        el.setAttribute("data-queued", "true");
        queue = queue.filter(function (other) { return other !== el; });
        draw(el);
      }
    });
  });

  if (!charts.length) { return; }
  // Browsers without the `scripting` media query show the boxes this way (a restyle of the
  // whole page, so not where the CSS did it already).
  if (!(window.matchMedia && window.matchMedia("(scripting: enabled)").matches)) {
    document.documentElement.setAttribute("data-charts", "");
  }
  charts.forEach(function (el) {
    var table = tableOf(el);
    if (table) {
      table.open = false;
      table.setAttribute("data-folded", "");
    }
  });
  if (!plotlySrc && !window.Plotly) { charts.forEach(giveUp); return; }
  if (!("IntersectionObserver" in window)) { charts.forEach(want); return; }
  // Half a screen ahead, so a chart scrolled to at reading speed is drawn when it arrives.
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        want(entry.target);
      }
    });
  }, { rootMargin: "0px 0px 50% 0px" });
  charts.forEach(function (el) { observer.observe(el); });
})();
