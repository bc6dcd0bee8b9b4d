/* Draw every <pre class="mermaid"> on the page with Mermaid's classic build (loaded before this file).
 * Works from file:// (no ES modules), keeps securityLevel "strict", and redraws when furo's colour scheme changes.
 * When all diagrams are drawn, <html data-mermaid="done"> is set; tests and the benchmark wait for it.
 * A diagram that fails is reported on the console with the page file and line it came from. */
(function () {
  "use strict";
  var blocks = [];

  function scheme() {
    var chosen = document.body.dataset.theme;
    if (chosen === "dark" || chosen === "light") return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function draw() {
    var dark = scheme() === "dark";
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: dark ? "dark" : "default",
      fontFamily: window.getComputedStyle(document.body).fontFamily,
    });
    document.documentElement.dataset.mermaid = "drawing";
    var jobs = blocks.map(function (b) {
      b.el.removeAttribute("data-processed");
      b.el.textContent = b.src;
      return window.mermaid.run({ nodes: [b.el] }).catch(function (err) {
        b.el.dataset.mermaidError = "1";
        console.error("Mermaid diagram at " + b.el.dataset.source + " failed to draw: " + (err && err.message ? err.message : err));
      });
    });
    return Promise.all(jobs).then(function () {
      window.mermaidDrawnAt = performance.now(); // ms since navigation start, read by `make bench`
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
