/* Search snippets that work from file:// (loaded on search.html only, deferred, after searchtools.js).
 *
 * Sphinx's searchtools.js finds and ranks the results; this script only adds the snippet under each one, from
 * window.SEARCH_SNIPPETS (_static/search-snippets.js, written at build time), instead of fetching the result page,
 * which browsers block from file://. Why it is built this way: _ext/web/offline_search.py.
 *
 * - Snippets: a MutationObserver on #search-results gives every new `ul.search > li` one `p.context`, cut around
 *   the first match (from the result's section when it links to one) and with the query words in
 *   `span.highlighted`.
 * - Result links carry the query words in their address (`page.html?highlight=...`), for search-highlight.js to
 *   mark on the page they open; nothing is stored (issue #33).
 * - Chinese (and other CJK) queries: Search.performTermsSearch is wrapped to add the pages whose text contains
 *   every query term as a substring, since Sphinx's English index cannot find a two-character word or a phrase
 *   across a line break.
 */
"use strict";
(() => {
  const CONTEXT = 120; // characters before the match, as in Sphinx's Search.makeSearchSummary
  const LENGTH = 240; // characters shown
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

  let query = new URLSearchParams(window.location.search).get("q") || "";
  const texts = () => window.SEARCH_SNIPPETS || {};
  const ellipsis = () => (window.SEARCH_SNIPPETS_UI || {}).ellipsis || "..."; // "……" in the Chinese edition
  const escapeRegExp = (s) => s.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&");

  /* The query words as Sphinx reads them (its splitQuery, stopwords and stemmer, when present). */
  const queryTerms = (q) => {
    const split =
      typeof splitQuery === "function"
        ? splitQuery(q)
        : q.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu);
    const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
    const words = [];
    const stems = [];
    for (const term of split.filter((t) => t)) {
      const lower = term.toLowerCase();
      if (typeof stopwords !== "undefined" && stopwords.has(lower)) continue;
      if (/^\d+$/.test(lower)) continue;
      words.push(lower);
      if (stemmer) stems.push(stemmer.stemWord(lower));
    }
    return { words, stems };
  };

  /* One regex for the terms, longest first. A term of one or two letters (not CJK) matches only as a whole word,
   * so that searching for "a" does not light up every "a" inside other words. */
  const pattern = (list) => {
    const unique = [...new Set(list.filter((t) => t))].sort((a, b) => b.length - a.length);
    const source = (t) =>
      t.length < 3 && !CJK.test(t) ? `(?<![\\p{L}\\p{N}])${escapeRegExp(t)}(?![\\p{L}\\p{N}])` : escapeRegExp(t);
    return unique.length ? new RegExp(unique.map(source).join("|"), "giu") : null;
  };

  const find = (text, regex, from) => {
    regex.lastIndex = from;
    const match = regex.exec(text);
    return match ? { index: match.index, length: match[0].length } : null;
  };

  /* Text with each run of Chinese characters in `lang="zh-Hans"`, as on the pages (page_parts), for screen readers. */
  const HAN_RUN = /([\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)/u;
  const appendText = (parent, text) => {
    text.split(HAN_RUN).forEach((part, i) => {
      if (!part) return;
      if (i % 2 === 0) return parent.append(part); // split() puts the captured runs at odd indexes
      const span = parent.appendChild(document.createElement("span"));
      span.lang = "zh-Hans";
      span.append(part);
    });
  };

  /* A `p.context` like Sphinx's: LENGTH characters around the first match, query words highlighted. */
  const makeSnippet = ([text, anchors], anchor, terms) => {
    const from = anchor && anchors && Object.hasOwn(anchors, anchor) ? anchors[anchor] : 0;
    let match = null;
    // The words as typed first (so the highlighted word is the one searched for), then their stems.
    for (const regex of [pattern(terms.words), pattern(terms.stems)]) {
      if (regex) match = find(text, regex, from) || find(text, regex, 0);
      if (match) break;
    }
    const position = match ? match.index : from;
    // Start at the sentence that holds the match (at most CONTEXT characters before it), so the snippet opens on the
    // matching text rather than on whatever precedes it.
    let start = Math.max(position - CONTEXT, 0);
    const sentence = Math.max(text.lastIndexOf(". ", position), text.lastIndexOf("。", position));
    if (sentence >= start) start = sentence + (text[sentence] === "。" ? 1 : 2);
    else {
      // Do not cut a word in two: start after the nearest space, or at the top when it is close.
      const space = text.lastIndexOf(" ", start);
      if (start < 20) start = 0;
      else if (space >= 0 && start - space < 20) start = space + 1;
    }
    const end = Math.min(text.length, Math.max(start + LENGTH, match ? match.index + match.length : 0));
    const piece = text.slice(start, end);

    const snippet = document.createElement("p");
    snippet.classList.add("context");
    if (start > 0) snippet.append(ellipsis());
    const highlight = pattern([...terms.words, ...terms.stems]);
    let last = 0;
    if (highlight) {
      for (const m of piece.matchAll(highlight)) {
        appendText(snippet, piece.slice(last, m.index));
        const mark = snippet.appendChild(document.createElement("span"));
        mark.classList.add("highlighted");
        appendText(mark, m[0]);
        last = m.index + m[0].length;
      }
    }
    appendText(snippet, piece.slice(last));
    if (end < text.length) snippet.append(ellipsis());
    return snippet;
  };

  /* Result links are `docname + LINK_SUFFIX + #anchor`, relative to search.html (html builder). */
  const addSnippet = (item) => {
    if (item.querySelector(":scope > p.context")) return;
    const link = item.querySelector(":scope > a");
    if (!link) return;
    const [path, anchor = ""] = (link.getAttribute("href") || "").split("#");
    const suffix =
      (typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.LINK_SUFFIX) || ".html";
    const docname = path.endsWith(suffix) ? path.slice(0, -suffix.length) : path;
    const terms = queryTerms(query);
    const entry = Object.hasOwn(texts(), docname) ? texts()[docname] : null;
    if (entry) item.appendChild(makeSnippet(entry, decodeURIComponent(anchor), terms));
    // The words travel to the result page in its address, where search-highlight.js marks them: Sphinx would keep
    // them in localStorage instead (see search-highlight.js).
    if (terms.words.length && !path.includes("?"))
      link.setAttribute("href", `${path}?highlight=${encodeURIComponent(terms.words.join(" "))}${anchor ? `#${anchor}` : ""}`);
  };

  const watch = () => {
    const results = document.getElementById("search-results");
    if (!results) return;
    const scan = (root) => root.querySelectorAll("ul.search > li").forEach(addSnippet);
    new MutationObserver((records) => {
      for (const record of records)
        for (const added of record.addedNodes) {
          if (added.nodeType !== Node.ELEMENT_NODE) continue;
          if (added.matches("ul.search > li")) addSnippet(added);
          else scan(added);
        }
    }).observe(results, { childList: true, subtree: true });
    scan(results);
  };

  /* Pages whose text holds every query term, for queries with CJK characters. */
  const substringResults = (found) => {
    const { words } = queryTerms(query);
    if (!words.some((w) => CJK.test(w))) return [];
    const index = Search._index;
    const listed = new Set(found.map((result) => result[0]));
    const kind = typeof SearchResultKind !== "undefined" ? SearchResultKind.text : "text";
    const score = typeof Scorer !== "undefined" ? Scorer.term : 5;
    const results = [];
    index.docnames.forEach((docname, i) => {
      if (listed.has(docname) || !Object.hasOwn(texts(), docname)) return;
      const text = texts()[docname][0].toLowerCase();
      if (words.every((w) => text.includes(w)))
        results.push([docname, index.titles[i], "", null, score, index.filenames[i], kind]);
    });
    return results;
  };

  if (typeof Search !== "undefined") {
    if (typeof Search.query === "function") {
      const sphinxQuery = Search.query;
      Search.query = (q) => {
        query = q; // the query actually run, whoever started it
        return sphinxQuery(q);
      };
    }
    if (typeof Search.performTermsSearch === "function") {
      const sphinxTermsSearch = Search.performTermsSearch;
      Search.performTermsSearch = (...args) => {
        const results = sphinxTermsSearch(...args);
        return results.concat(substringResults(results));
      };
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
