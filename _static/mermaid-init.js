/* Draw every <pre class="mermaid"> on the page with Mermaid's classic build (loaded before this file).
 * Works from file:// (no ES modules), keeps securityLevel "strict", and redraws when furo's colour scheme changes.
 * When all diagrams are drawn, <html data-mermaid="done" data-mermaid-theme="default|dark"> is set; tests and the
 * benchmark wait for it.
 * A diagram that fails is reported on the console with the page file and line it came from. */
(function () {
  "use strict";
  var blocks = [];
  var queue = Promise.resolve(); // every drawing, including redraws on a scheme change, waits for the one before

  // One diagram at a time, one drawing at a time: concurrent mermaid.run() calls share Mermaid's layout state, and
  // on a page with five diagrams they drew one over another with cut-off labels (tests/site_tools.py now checks).
  function draw() {
    queue = queue.then(drawAll);
    return queue;
  }

  function scheme() {
    var chosen = document.body.dataset.theme;
    if (chosen === "dark" || chosen === "light") return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function drawAll() {
    var dark = scheme() === "dark";
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: dark ? "dark" : "default",
      // Mermaid's dark edge labels (#ccc on #585858) measure 4.43:1, short of WCAG AA's 4.5:1; #404040 gives 6:1.
      themeVariables: dark ? { edgeLabelBackground: "#404040" } : {},
      fontFamily: window.getComputedStyle(document.body).fontFamily,
    });
    document.documentElement.dataset.mermaid = "drawing";
    var all = blocks.reduce(function (previous, b) {
      return previous.then(function () {
        b.el.removeAttribute("data-processed");
        b.el.textContent = b.src;
        return window.mermaid.run({ nodes: [b.el] }).catch(function (err) {
          b.el.dataset.mermaidError = "1";
          console.error("Mermaid diagram at " + b.el.dataset.source + " failed to draw: " + (err && err.message ? err.message : err));
        });
      });
    }, Promise.resolve());
    return all.then(function () {
      window.mermaidDrawnAt = performance.now(); // ms since navigation start, read by `make bench`
      document.documentElement.dataset.mermaidTheme = dark ? "dark" : "default";
      document.documentElement.dataset.mermaid = "done";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("pre.mermaid").forEach(function (el) {
      blocks.push({ el: el, src: el.textContent });
    });
    if (!blocks.length) return;
    draw();
    var current = scheme();
    var redraw = function () {
      if (scheme() !== current) {
        current = scheme();
        draw();
      }
    };
    new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ["data-theme"] });
    if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
  });
})();
