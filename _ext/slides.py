"""Projector slides copied from the site's own pages (issue #14): one job, the decks' content.

A deck (slides/*.md, built by `make slides` with slides/conf.py) holds no text of its own beyond its title and a
question or two. Its slides come from the pages, at write time, out of each page's resolved doctree (the student
edition, in which solutions and instructor notes were never parsed):

``{slide} DOC#SECTION``
    Slides from one section of a page. ``:take:`` says what: ``text`` (its paragraphs and lists, the default),
    ``bilingual`` (a quotation, Chinese and English side by side), ``table``, ``diagram`` (the drawn diagram alone,
    the same Mermaid node the page has, drawn by offline_mermaid as inline SVG) or ``key-points`` (the page's
    key-points box). ``:pick: N`` takes the N-th of that kind in the section; ``:rows: A-B`` and ``:columns: 1,2,3``
    keep part of a table; ``:title:`` replaces the section's own title. The directive's content, if any, is added to
    the last slide. Without an argument, the slide is the content alone (``:title:`` required).
``{exercise-slides} PLAN TITLE``
    The prompt of each exercise of a lesson plan (read from docs/instructor/lesson-plans.md, the same ``:segments:``
    that the plan's table is computed from), with its number, title, format and minutes from the exercise metadata.
    ``:exercise: LABEL`` takes one of them, so that a diagram can come before it; the deck must then show every
    exercise of the plan once, in the plan's order.

Content too long for one slide is split over several ("Title (1/2)"), at paragraph, list-item or table-row
boundaries; nothing is shrunk. In an exercise, a diagram gets a slide of its own and a LINDDUN worksheet is left to
the handout. Links become plain text (a projected slide is not clicked), ids are dropped (they
would repeat the page's). Every problem, such as a section that does not exist, is an error naming the deck's file
and line.

Around the decks, two small things only they need: ``_build/slides/index.html`` links every deck, and each deck
carries the two style sheets of reveal.js's print view so that the Content-Security-Policy lets that view work.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid

from exercise_meta import LABEL, SEGMENT_NAMED, exercise_number, split_list

logger = logging.getLogger(__name__)

DECKS = "slides/"  # the folder of the deck sources; only its documents get slides
PLANS = "docs/instructor/lesson-plans.md"  # where the lesson plans, and so each deck's exercises, are defined
KINDS = ("text", "bilingual", "table", "diagram", "key-points")
# How much fits on one slide at the deck's type size, in characters of English (a Chinese character counts two).
# Measured on the 1280 x 720 slide with slides/_static/slides.css; tests/test_slides.py checks that nothing overflows.
BUDGET = {"text": 900, "bilingual": 620, "exercise": 820, "table": 900}
WORKSHEET_NOTE = "The worksheet for this exercise is on the handout and on the exercise page."
TABLE_ROWS = 7  # at most this many table rows on a slide
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


class slide_source(nodes.General, nodes.Element):
    """Replaced by slides when the deck is written (every page has been read by then)."""


def weight(node: nodes.Node) -> int:
    text = node.astext()
    return len(text) + len(CJK.findall(text))


def ranges(value: str) -> list[int]:
    """``"1-4, 7"`` -> [1, 2, 3, 4, 7]; an error names what was wrong."""
    out = []
    for part in value.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if not match:
            raise ValueError(f"cannot read {part!r}: write numbers and ranges such as '1-4, 7'")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise ValueError(f"the range {part!r} is empty or starts before 1")
        out.extend(range(first, last + 1))
    return out


class Slide(SphinxDirective):
    """``{slide} DOC#SECTION``: slides copied from a section of a page (see the module docstring)."""

    optional_arguments = 1
    has_content = True
    option_spec = {
        "take": lambda v: directives.choice(v.strip(), KINDS),
        "pick": directives.positive_int,
        "rows": directives.unchanged_required,
        "columns": directives.unchanged_required,
        "per-slide": directives.positive_int,
        "title": directives.unchanged_required,
    }

    def run(self):
        node = slide_source(kind="slide")
        node.source, node.line = self.get_source_info()
        if self.arguments:
            doc, _, section = self.arguments[0].partition("#")
            doc = doc.strip().strip("/").removesuffix(".md")
            if doc not in self.env.found_docs:
                raise self.error(f"slide: no page {doc!r} (write the page's path from the repository root, without "
                                 ".md, then '#' and a section's anchor, e.g. "
                                 "cases/face-data-remark/timeline#the-timeline)")
            if not section:
                raise self.error(f"slide: say which section of {doc!r}: add '#' and the section's anchor")
            node["doc"], node["section"] = doc, section.strip()
        elif "title" not in self.options:
            raise self.error("slide: a slide without a source page needs a :title:")
        for key in ("rows", "columns"):
            if key in self.options:
                try:
                    node[key] = ranges(self.options[key])
                except ValueError as err:
                    raise self.error(f"slide: :{key}: {err}") from None
        node["take"] = self.options.get("take", "text")
        node["pick"] = self.options.get("pick", 1)
        node["per"] = self.options.get("per-slide")
        node["title"] = self.options.get("title")
        if self.content:
            extra = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, extra)
            node += extra.children
        return [node]


def plan_exercises(title: str, srcdir: str | Path = Path(__file__).resolve().parents[1]) -> list[str] | None:
    """The exercise labels of the lesson plan called ``title``, in order; None if there is no such plan."""
    text = (Path(srcdir) / PLANS).read_text(encoding="utf-8")
    pattern = r"^```\{lesson-plan\}\s+" + re.escape(title) + r"\s*\n((?::[\w-]+:.*\n)*)"
    match = re.search(pattern, text, re.M)
    if not match:
        return None
    segments = re.search(r"^:segments:(.*)$", match[1], re.M)
    items = split_list(segments[1] if segments else "")
    return [item for item in items if not SEGMENT_NAMED.match(item) and LABEL.match(item)]


class ExerciseSlides(SphinxDirective):
    """``{exercise-slides} PLAN TITLE``: the prompts of the plan's exercises (see the module docstring)."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"exercise": directives.unchanged_required}

    def run(self):
        title = self.arguments[0].strip()
        self.env.note_dependency(str(Path(self.env.srcdir) / PLANS))
        labels = plan_exercises(title, self.env.srcdir)
        if labels is None:
            raise self.error(f"exercise-slides: no lesson plan titled {title!r} in {PLANS}")
        if not labels:
            raise self.error(f"exercise-slides: the lesson plan {title!r} has no exercises")
        one = self.options.get("exercise", "").strip()
        if one and one not in labels:
            raise self.error(f"exercise-slides: {one!r} is not an exercise of the plan {title!r} "
                             f"(its exercises: {', '.join(labels)})")
        node = slide_source(kind="exercises", plan=title, labels=[one] if one else labels, all=labels)
        node.source, node.line = self.get_source_info()
        return [node]


# -- Copying from the pages ----------------------------------------------------------------------------------------


def plain(node: nodes.Element) -> nodes.Element:
    """A copy fit for a slide: links as plain text, no ids, no targets."""
    node = node.deepcopy()
    for ref in list(node.findall(nodes.reference)):
        ref.replace_self(nodes.inline("", "", *ref.children, classes=ref.get("classes", [])))
    for target in list(node.findall(nodes.target)):
        target.parent.remove(target)
    for element in node.findall(nodes.Element):
        element["ids"] = []
    return node


def own_children(section: nodes.section, kind) -> list[nodes.Element]:
    """Nodes of a type in the section but not in its subsections."""
    return [n for n in section.findall(kind) if _section_of(n) is section]


def _section_of(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def split_units(units: list[nodes.Element], budget: int, size=weight) -> list[list[nodes.Element]]:
    chunks: list[list[nodes.Element]] = [[]]
    used = 0
    for unit in units:
        w = size(unit)
        if chunks[-1] and used + w > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(unit)
        used += w
    return chunks


def list_items(node: nodes.Element) -> list[nodes.Element]:
    """A list as one list per item (numbered lists keep their numbers), so that a slide can end between items."""
    if not isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        return [node]
    out = []
    start = node.get("start", 1)
    for i, item in enumerate(node.children):
        one = node.copy()
        if isinstance(node, nodes.enumerated_list):
            one["start"] = start + i
        one += item.deepcopy()
        out.append(one)
    return out


def text_units(section: nodes.section) -> list[nodes.Element]:
    units = []
    for child in section.children:
        if isinstance(child, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.block_quote)):
            units.extend(list_items(plain(child)))
    return units


def bilingual_slides(box: nodes.Element, budget: int) -> list[list[nodes.Element]]:
    """Chinese and English side by side; a long quotation is split point by point, each point beside its translation."""
    box = plain(box)
    def part(test):
        return next((c for c in box.children if test(c["classes"])), None)

    zh = part(lambda classes: not {"bilingual-en", "bilingual-attribution"} & set(classes))
    en = part(lambda classes: "bilingual-en" in classes)
    attribution = part(lambda classes: "bilingual-attribution" in classes)
    zh_units = list(zh.children) if zh is not None else []
    en_units = [u for c in (en.children if en is not None else []) for u in list_items(c)]
    if len(zh_units) != len(en_units) or not zh_units:
        return [[box]]
    pairs = list(zip(zh_units, en_units))
    chunks = split_units(pairs, budget, size=lambda p: max(weight(p[0]), weight(p[1])))
    slides = []
    for chunk in chunks:
        one = box.copy()
        z, e = zh.copy(), en.copy()
        for a, b in chunk:
            z += a.deepcopy()
            e += b.deepcopy()
        one += [z, e]
        if attribution is not None:
            one += attribution.deepcopy()
        slides.append([one])
    return slides


def table_slides(table: nodes.table, rows: list[int] | None, columns: list[int] | None, per: int | None,
                 where: str) -> list[list[nodes.Element]]:
    table = plain(table)
    group = table.next_node(nodes.tgroup)
    body = group.next_node(nodes.tbody)
    head = group.next_node(nodes.thead)
    all_rows = list(body.children)
    if rows and max(rows) > len(all_rows):
        raise ValueError(f"{where}: :rows: asks for row {max(rows)}, but the table has {len(all_rows)}")
    kept = [all_rows[i - 1] for i in rows] if rows else all_rows
    ncols = len([c for c in group.children if isinstance(c, nodes.colspec)])
    if columns and max(columns) > ncols:
        raise ValueError(f"{where}: :columns: asks for column {max(columns)}, but the table has {ncols}")

    def cut(row: nodes.row) -> nodes.row:
        row = row.deepcopy()
        if columns:
            cells = list(row.children)
            row.children = []
            for i in columns:
                row += cells[i - 1]
        return row

    kept = [cut(row) for row in kept]
    if per:
        chunks = [kept[i:i + per] for i in range(0, len(kept), per)]
    else:
        chunks = [c[i:i + TABLE_ROWS] for c in split_units(kept, BUDGET["table"]) for i in range(0, len(c), TABLE_ROWS)]
    slides = []
    for chunk in chunks:
        new = table.copy()
        for child in table.children:
            if isinstance(child, nodes.title):
                new += child.deepcopy()
        tg = group.copy()
        specs = [c for c in group.children if isinstance(c, nodes.colspec)]
        tg["cols"] = len(columns) if columns else ncols
        for i in columns or range(1, ncols + 1):
            tg += specs[i - 1].deepcopy()
        if head is not None:
            th = head.copy()
            for row in head.children:
                th += cut(row)
            tg += th
        tb = body.copy()
        tb += chunk
        tg += tb
        new += tg
        slides.append([new])
    return slides


def make_slide(title: str, content: list[nodes.Node], classes: list[str]) -> nodes.section:
    section = nodes.section(classes=["deck-slide", *classes])
    section += nodes.title(text=title)
    section += content
    return section


def numbered(title: str, chunks: list[list[nodes.Node]], classes: list[str]) -> list[nodes.section]:
    n = len(chunks)
    return [make_slide(f"{title} ({i}/{n})" if n > 1 else title, chunk, classes) for i, chunk in enumerate(chunks, 1)]


class Resolver:
    """Copies content from the pages' doctrees into one deck; each doctree is resolved once per build."""

    def __init__(self, app: Sphinx):
        self.app = app
        cache = getattr(app, "_slides_doctrees", None)
        if cache is None:
            cache = app._slides_doctrees = {}
        self.cache = cache

    def doctree(self, doc: str) -> nodes.document:
        if doc not in self.cache:
            self.cache[doc] = self.app.env.get_and_resolve_doctree(doc, self.app.builder)
        return self.cache[doc]

    def section(self, doc: str, anchor: str) -> nodes.section:
        tree = self.doctree(doc)
        found = [s for s in tree.findall(nodes.section) if anchor in s["ids"] or s.get("slug") == anchor]
        if not found:
            known = [s["ids"][0] for s in tree.findall(nodes.section) if s["ids"]]
            raise ValueError(f"no section {anchor!r} on the page {doc!r}; its sections: {', '.join(known)}")
        return found[0]

    def slides_for(self, node: slide_source) -> list[nodes.section]:
        extra = [c.deepcopy() for c in node.children]
        if "doc" not in node:
            return [make_slide(node["title"], extra, ["deck-own"])]
        doc, take, pick = node["doc"], node["take"], node["pick"]
        section = self.section(doc, node["section"])
        title = node["title"] or section[0].astext()
        where = f"{doc}#{node['section']}"

        def nth(kind, test=lambda n: True):
            found = [n for n in own_children(section, kind) if test(n)]
            if len(found) < pick:
                raise ValueError(f"{where} has {len(found)} {take} block(s); :pick: {pick} asks for more")
            return found[pick - 1]

        if take == "text":
            units = text_units(section)
            if not units:
                raise ValueError(f"{where} has no paragraphs or lists of its own")
            chunks = split_units(units, node["per"] or BUDGET["text"])
        elif take == "bilingual":
            box = nth(nodes.container, lambda n: "bilingual" in n["classes"])
            chunks = bilingual_slides(box, node["per"] or BUDGET["bilingual"])
        elif take == "table":
            chunks = table_slides(nth(nodes.table), node.get("rows"), node.get("columns"), node["per"], where)
        elif take == "diagram":
            chunks = [[nth(mermaid).deepcopy()]]
        else:  # key-points: the page's box (it closes the page, outside any section but the first)
            boxes = [n for n in self.doctree(doc).findall(nodes.admonition) if "key-points" in n["classes"]]
            if not boxes:
                raise ValueError(f"the page {doc!r} has no key-points box")
            content = [plain(c) for c in boxes[0].children if not isinstance(c, nodes.title)]
            chunks = [[u for c in content for u in list_items(c)]]
        if extra:
            chunks[-1].extend(extra)
        return numbered(title, chunks, [f"deck-{take}"])

    def exercise_slides(self, label: str) -> list[nodes.section]:
        from sphinx_exercise.nodes import exercise_enumerable_node

        meta = self.app.env.exercise_meta.get(label)
        if meta is None:
            raise ValueError(f"no exercise with the label {label!r}")
        tree = self.doctree(meta["docname"])
        node = next((n for n in tree.findall(exercise_enumerable_node) if n.get("label") == label), None)
        if node is None:
            raise ValueError(f"the exercise {label!r} was not found on {meta['docname']!r}")
        number = exercise_number(self.app.env, label)
        title = f"Exercise {'.'.join(map(str, number)) if number else ''} — {meta['title']} ({meta['minutes']} min)"
        body = node[1]
        summary = f"{meta['format'].capitalize()} · {meta['minutes']} min" + (" · graded" if meta["graded"] else "")
        units = []
        for child in body.children:
            classes = child.get("classes", [])
            if "exercise-meta" in classes:
                continue
            if "dataflow" in classes:  # the diagram, on a slide of its own; its text table stays on the page
                units.extend(plain(m) for m in child.findall(mermaid))
            elif "linddun-worksheet" in classes:  # a worksheet is filled in on paper, not read off a screen
                units.append(nodes.paragraph(text=WORKSHEET_NOTE, classes=["deck-worksheet-note"]))
            else:
                units.extend(list_items(plain(child)))
        chunks = split_units(units, BUDGET["exercise"], size=lambda u: BUDGET["exercise"] if isinstance(u, mermaid)
                             else weight(u))
        chunks[0].insert(0, nodes.paragraph(text=summary, classes=["deck-exercise-meta"]))
        return numbered(title, chunks, ["deck-exercise"])


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not docname.startswith(DECKS):
        return
    resolver = Resolver(app)
    shown: list[str] = []
    plans: dict[str, tuple[list[str], slide_source]] = {}
    for node in list(doctree.findall(slide_source)):
        try:
            if not isinstance(node.parent, nodes.section) or not isinstance(node.parent.parent, nodes.document):
                raise ValueError("put each slide directive directly under the deck's title, not under a ## heading")
            if node["kind"] == "exercises":
                slides = [s for label in node["labels"] for s in resolver.exercise_slides(label)]
                shown.extend(node["labels"])
                plans.setdefault(node["plan"], (node["all"], node))
            else:
                slides = resolver.slides_for(node)
        except ValueError as err:
            logger.error(f"slides: {err}", location=node, type="slides")
            node.parent.remove(node)
            continue
        node.replace_self(slides)
    for plan, (labels, node) in plans.items():
        in_deck = [lb for lb in shown if lb in labels]
        if in_deck != labels:
            logger.error(f"slides: the deck shows the exercises {in_deck} but the plan {plan!r} has {labels}, in that "
                         "order; show each once, in the plan's order", location=node, type="slides")
    for i, section in enumerate(doctree.findall(nodes.section)):
        if not section["ids"]:
            section["ids"] = [f"slide-{i}"]


def print_view_styles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Let reveal.js's print view (a deck's address + ``?print-pdf``: one slide per page) pass the site's CSP.

    That view adds two style sheets of its own when it opens, and the Content-Security-Policy (_ext/csp.py) allows
    only the inline styles it finds in the page. So the page carries the same two texts, computed as reveal.js computes
    them from the slide size, inside an inert ``<template>``: csp.py hashes them, and they apply only when reveal.js
    adds them itself. tests/test_slides.py opens the print view and expects no console error.
    """
    if not pagename.startswith(DECKS):
        return
    conf = app.config.revealjs_script_conf or {}
    width, height, margin = conf.get("width", 960), conf.get("height", 700), conf.get("margin", 0.04)
    page = f"@page{{size:{int(width * (1 + margin))}px {int(height * (1 + margin))}px; margin: 0px;}}"
    media = (".reveal section>img, .reveal section>video, .reveal section>iframe"
             f"{{max-width: {width}px; max-height:{height}px}}")
    context["metatags"] = (context.get("metatags") or "") + (
        f'\n<template class="print-view-styles"><style>{page}</style><style>{media}</style></template>')


def write_index(app: Sphinx, exception) -> None:
    """_build/slides/index.html: a link to each deck, and how to present and print one."""
    if exception is not None or app.builder.name != "revealjs":
        return
    env = app.env
    items = "\n".join(
        f'<li><a href="{doc}.html">{html.escape(env.titles[doc].astext())}</a></li>'
        for doc in sorted(env.found_docs) if doc.startswith(DECKS)
    )
    Path(app.outdir, "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(app.config.project)} Projector slides</title>
</head>
<body>
<main>
<h1>{html.escape(app.config.project)} Projector slides</h1>
<p>One deck per lesson plan, for the students' eyes: no model answers and no instructor notes.</p>
<ul>
{items}
</ul>
<h2>Presenting</h2>
<p>Right arrow or Space: next slide. Left arrow: previous. Home and End: first and last. F: full screen. Esc: an
overview of every slide. Each slide has its own address (#/5), so a class can return to it.</p>
<h2>Printing</h2>
<p>Add <code>?print-pdf</code> to a deck's address, then print, or save as PDF, in landscape: one slide per page.</p>
</main>
</body>
</html>
""", encoding="utf-8")


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """A deck depends on every page it copies from: rewrite the decks whenever anything changed."""
    if added or changed or removed:
        return sorted(d for d in env.found_docs if d.startswith(DECKS) and d not in removed)
    return []


def setup(app: Sphinx):
    app.setup_extension("exercise_meta")
    app.add_directive("slide", Slide)
    app.add_directive("exercise-slides", ExerciseSlides)
    app.add_node(slide_source)
    app.connect("doctree-resolved", resolve)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", print_view_styles)
    app.connect("build-finished", write_index)  # before csp.py (priority 900) adds the policy to every page
    return {"parallel_read_safe": True, "parallel_write_safe": False}
