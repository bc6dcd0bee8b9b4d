/* Search words highlighted on the page a search result opens: kept in the page address, never stored, and never
 * written into a drawing (issue #33). It replaces Sphinx's sphinx_highlight.js on every page: _ext/web/offline_search.py
 * swaps the one file for the other in the page's script list, so Sphinx's file is never loaded.
 *
 * What Sphinx 9's sphinx_highlight.js does, and why it is not used:
 * - searchtools.js writes the search words to localStorage ("sphinx_highlight_terms") whenever a search runs, and
 *   they stay there if no result is opened. From file:// every local page can read them; on a shared host every
 *   site of the same origin can. A course on privacy keeps nothing of what its readers search for.
 * - It walks the whole body, SVG included: it writes a <tspan> into the diagrams' own <style>, <title> and <desc>.
 *   The changed style no longer matches its Content-Security-Policy hash, so the browser drops it and the diagram
 *   turns into black shapes; and it calls getBBox() on <title>, which has none ("parent.getBBox is not a
 *   function"), which stops the rest of the highlighting.
 *
 * What this file does instead:
 * - It declares SPHINX_HIGHLIGHT_ENABLED = false: the switch searchtools.js reads before it stores the words or
 *   highlights anything. Sphinx's own code therefore neither stores nor highlights.
 * - It removes "sphinx_highlight_terms" if an earlier version of the site left it.
 * - It reads the words from the address (?highlight=, which search-offline.js adds to every result link), marks
 *   them with span.highlighted in the page's main text (Sphinx's class, so furo's style applies), and skips every
 *   element that is not prose: svg, math, style, script, title, desc, form fields. Then it takes the parameter out
 *   of the address (history.replaceState, as Sphinx does), so a bookmark or a reload does not carry the words.
 * - Escape removes the marks, as Sphinx's does (when the theme enables search shortcuts).
 */
"use strict";

// Read by searchtools.js (Sphinx): false means it neither writes the words to localStorage nor highlights them.
const SPHINX_HIGHLIGHT_ENABLED = false;

(() => {
  // Elements whose text is not prose to mark: drawings and their style, code that runs, form fields, marks.
  const SKIP = "svg, math, style, script, noscript, template, title, desc, textarea, select, option, button, "
    + "input, .nohighlight, .highlighted";
  const PARAMETER = "highlight";

  try {
    localStorage.removeItem("sphinx_highlight_terms"); // left by Sphinx's highlighter in an earlier build
  } catch (error) {
    // storage disabled by the reader: nothing was stored either
  }

  /* Wrap every occurrence of `term` (lower case) in the text nodes under `root`, outside SKIP. */
  const mark = (root, term) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement && !node.parentElement.closest(SKIP) && node.nodeValue.toLowerCase().includes(term)
          ? NodeFilter.FILTER_ACCEPT
          : NodeFilter.FILTER_REJECT,
    });
    const found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    for (let node of found) {
      let position = node.nodeValue.toLowerCase().indexOf(term);
      while (position >= 0) {
        const match = node.splitText(position); // node: the text before; match: from the term on
        node = match.splitText(term.length); // node: the text after the term
        const span = document.createElement("span");
        span.className = "highlighted";
        match.replaceWith(span);
        span.append(match);
        position = node.nodeValue.toLowerCase().indexOf(term);
      }
    }
  };

  const highlight = () => {
    if (typeof Search !== "undefined") return; // the search page marks its own snippets (search-offline.js)
    const url = new URL(window.location.href);
    const words = (url.searchParams.get(PARAMETER) || "").toLowerCase().split(/\s+/).filter((w) => w);
    if (url.searchParams.has(PARAMETER)) {
      url.searchParams.delete(PARAMETER);
      window.history.replaceState(window.history.state, "", url);
    }
    const root = document.querySelector("article[role=main], div.body, [role=main]") || document.body;
    // Longest first, so that a word inside a longer one ("face" in "interface") does not split the longer mark.
    [...new Set(words)].sort((a, b) => b.length - a.length).forEach((word) => mark(root, word));
  };

  const hide = () => document.querySelectorAll("span.highlighted").forEach((span) => span.replaceWith(...span.childNodes));

  const listenForEscape = () => {
    if (typeof DOCUMENTATION_OPTIONS === "undefined" || !DOCUMENTATION_OPTIONS.ENABLE_SEARCH_SHORTCUTS) return;
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      if (["TEXTAREA", "INPUT", "SELECT", "BUTTON"].includes(document.activeElement?.tagName)) return;
      if (!document.querySelector("span.highlighted")) return;
      hide();
      event.preventDefault();
    });
  };

  const start = () => {
    highlight();
    listenForEscape();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
