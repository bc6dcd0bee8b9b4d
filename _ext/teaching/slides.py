"""Projector slides copied from the site's own pages (issue #14): one job, the decks' content.

A deck (slides/*.md, built by `make slides` with slides/conf.py) holds no text of its own beyond its title and a
question or two. Its slides come from the pages, at write time, out of each page's resolved doctree (the student
edition, in which solutions and instructor notes were never parsed):

``{slide} DOC#SECTION``
    Slides from one section of a page. ``:take:`` says what: ``text`` (its paragraphs and lists, the default),
    ``bilingual`` (a quotation, Chinese and English side by side), ``table``, ``diagram`` (the page's diagram drawn
    again for the slide from the same model, see below) or ``key-points`` (the page's key-points box). ``:pick: N``
    takes the N-th of that kind in the section; ``:rows: A-B`` and ``:columns: 1,2,3`` keep part of a table;
    ``:title:`` replaces the section's own title; ``:before: LABEL`` or ``:after: LABEL`` shows the slides just before
    or after an exercise of the deck's plan. The directive's content, if any, is added to the last slide. Without an
    argument, the slide is the content alone (``:title:`` required).
``{exercise-slides} PLAN TITLE``
    Here, the prompt of every exercise of that lesson plan, in the plan's order, with its number, title, format and
    minutes from the exercise metadata. The plan's exercises come from its metadata (the ``lesson-plan`` directive of
    docs/instructor/lesson-plans.md, recorded by _ext/teaching/exercise_meta.py), so an exercise added to a plan is on
    its deck with no change to the deck. One per deck.

A diagram is drawn for the slide (``Resolver.diagram``): the same model (facelab/), with larger type, labels of a few
words a line, arrows that carry what most arrows carry left unlabelled and named once under the drawing, and the
direction (top-down or left-right) that gives the largest labels once the drawing is scaled to the slide's diagram
area; the build stops, naming the deck's file and line, if even that leaves a label under 18 px.

Words of a page that only make sense on the site ("(tables below)") are marked there, ``[ (tables below)]{.web-only}``
(in the page and in its translation), and left out of the slides.

Content too long for one slide is split over several ("Title (1/2)"), at paragraph, list-item or table-row
boundaries; nothing is shrunk. In an exercise, a diagram gets a slide of its own and a LINDDUN worksheet is left to
the handout. Links become plain text (a projected slide is not clicked), ids are dropped (they
would repeat the page's). Every problem, such as a section that does not exist, is an error naming the deck's file
and line.

In Chinese (``make slides-zh``, ``-D language=zh_CN``) the slides come from the Chinese pages, as the Chinese site
shows them (a quotation: its original only, with its source); the deck's own text comes from its catalogue,
locale/zh_CN/LC_MESSAGES/slides/<deck>.po, and what this file writes (slide and exercise titles, ``:title:`` options,
the index page) through ``tr()`` from whose-face.po (_ext/i18n/translations.py). The English decks do not change.

Around the decks, two small things only they need: ``_build/slides/index.html`` links every deck, and each deck
carries the two style sheets of reveal.js's print view so that the Content-Security-Policy lets that view work.
"""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid

from i18n.cjk_font import CSS as CJK_FONT_CSS
from i18n.cjk_font import FAMILY as CJK_FAMILY
from i18n.cjk_font import SYSTEM_FONTS
from teaching.exercise_meta import exercise_number, plan_exercises
from i18n.pseudo import LANGUAGE as PSEUDO_LANGUAGE
from i18n.translations import chinese, tr

logger = logging.getLogger(__name__)

DECKS = "slides/"  # the folder of the deck sources; only its documents get slides
KINDS = ("text", "bilingual", "table", "diagram", "key-points")
# How much fits on one slide at the deck's type size, in characters of English (a Chinese character counts two).
# Measured on the 1280 x 720 slide with slides/_static/slides.css; tests/test_slides.py checks that nothing overflows.
BUDGET = {"text": 900, "bilingual": 620, "exercise": 820, "table": 900}
# In the Chinese decks a full slide of text runs about 10 % longer than the same weight of English (lines break only
# between characters, and never before a closing punctuation mark): measured on the Chinese exercise slides, whose
# last lines reached the slide controls. Their text and exercise slides take this share of the budget.
CHINESE_FILL = 0.9
WORKSHEET_NOTE = "The worksheet for this exercise is on the handout and on the exercise page."
TABLE_ROWS = 7  # at most this many table rows on a slide
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# A diagram gets the slide's area under its title and above its legend (slides/_static/slides.css, .deck-diagram),
# and is drawn for it (Resolver.diagram) so that every label is at least MIN_LABEL_PX there, as body text is.
DIAGRAM_AREA = (1240, 580)
MIN_LABEL_PX = 18


def slide_layouts(diagram, flows) -> list:
    """The layouts tried for a slide: larger type, labels of a few words a line, each direction for a flowchart."""
    if isinstance(diagram, flows.StatementSequence):
        return [flows.Layout(font_px=font, wrap_px=wrap) for font in (20, 24) for wrap in (160, 200, 240)]
    return [flows.Layout(font_px=font, wrap_px=wrap, direction=direction)
            for font in (20, 22, 24) for wrap in (150, 180, 220) for direction in ("TB", "LR")]
JS_ZH = "slides-zh.js"  # Chinese decks only: see chinese_decks
CSS_ZH = "slides-zh.css"  # the Chinese decks' fonts and layout, written into their build only (chinese_decks)


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
        "before": directives.unchanged_required,
        "after": directives.unchanged_required,
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
        if "before" in self.options and "after" in self.options:
            raise self.error("slide: give :before: or :after:, not both")
        for key in ("before", "after"):
            if key in self.options:
                node["place"] = (key, self.options[key].strip())
        # An option is not a page message: its translation is in the code's catalogue (whose-face.po).
        node["title"] = tr(self.options["title"], self.get_location()) if "title" in self.options else None
        if self.content:
            extra = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, extra)
            node += extra.children
        return [node]


class ExerciseSlides(SphinxDirective):
    """``{exercise-slides} PLAN TITLE``: the prompts of the plan's exercises (see the module docstring)."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        node = slide_source(kind="exercises", plan=self.arguments[0].strip())
        node.source, node.line = self.get_source_info()
        return [node]


# -- Copying from the pages ----------------------------------------------------------------------------------------


# Words that point at the web page's layout are marked where they are written, in the page and in its translation:
# ``sensitive[ (tables below)]{.web-only}.`` (MyST's attrs_inline). The site shows them; a slide drops them.
WEB_ONLY = "web-only"


def plain(node: nodes.Element) -> nodes.Element:
    """A copy fit for a slide: links as plain text, no ids, no targets, no words marked web-only."""
    node = node.deepcopy()
    for marked in list(node.findall(lambda n: isinstance(n, nodes.Element) and WEB_ONLY in n.get("classes", []))):
        if marked.parent is not None:  # a whole block marked web-only is left out by its caller (text_units)
            marked.parent.remove(marked)
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
        if WEB_ONLY in child.get("classes", []):
            continue
        if isinstance(child, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.block_quote)):
            units.extend(list_items(plain(child)))
    return units


def bilingual_slides(box: nodes.Element, budget: int) -> list[list[nodes.Element]]:
    """Chinese and English side by side; a long quotation is split point by point, each point beside its translation.

    In the Chinese edition the box holds the original only (the English is never parsed there): it is split alone."""
    box = plain(box)
    def part(test):
        return next((c for c in box.children if test(c["classes"])), None)

    zh = part(lambda classes: not {"bilingual-en", "bilingual-attribution"} & set(classes))
    en = part(lambda classes: "bilingual-en" in classes)
    attribution = part(lambda classes: "bilingual-attribution" in classes)
    zh_units = list(zh.children) if zh is not None else []
    if en is None and zh_units:  # the Chinese edition: the original alone, with its source (page_parts.Bilingual)
        units = [u for c in zh_units for u in list_items(c)]
        chunks = [[(u,) for u in chunk] for chunk in split_units(units, budget)]
    else:
        en_units = [u for c in (en.children if en is not None else []) for u in list_items(c)]
        if len(zh_units) != len(en_units) or not zh_units:
            return [[box]]
        pairs = list(zip(zh_units, en_units))
        chunks = split_units(pairs, budget, size=lambda p: max(weight(p[0]), weight(p[1])))
    slides = []
    for chunk in chunks:
        one = box.copy()
        columns = [zh.copy()] if en is None else [zh.copy(), en.copy()]
        for units in chunk:
            for column, unit in zip(columns, units):
                column += unit.deepcopy()
        one += columns
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
    return [make_slide(tr("{title} ({i}/{n})", DECKS, title=title, i=i, n=n) if n > 1 else title, chunk, classes)
            for i, chunk in enumerate(chunks, 1)]


class Resolver:
    """Copies content from the pages' doctrees into one deck; each doctree is resolved once per build."""

    def __init__(self, app: Sphinx):
        self.app = app
        cache = getattr(app, "_slides_doctrees", None)
        if cache is None:
            cache = app._slides_doctrees = {}
        self.cache = cache
        fill = CHINESE_FILL if chinese(app) else 1
        self.budget = {kind: int(size * fill) for kind, size in BUDGET.items()}

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
            chunks = split_units(units, node["per"] or self.budget["text"])
        elif take == "bilingual":
            box = nth(nodes.container, lambda n: "bilingual" in n["classes"])
            chunks = bilingual_slides(box, node["per"] or self.budget["bilingual"])
        elif take == "table":
            chunks = table_slides(nth(nodes.table), node.get("rows"), node.get("columns"), node["per"], where)
        elif take == "diagram":
            chunks = [[self.diagram(nth(mermaid), where)]]
        else:  # key-points: the page's box (it closes the page, outside any section but the first)
            boxes = [n for n in self.doctree(doc).findall(nodes.admonition) if "key-points" in n["classes"]]
            if not boxes:
                raise ValueError(f"the page {doc!r} has no key-points box")
            content = [plain(c) for c in boxes[0].children if not isinstance(c, nodes.title)]
            chunks = [[u for c in content for u in list_items(c)]]
        if extra:
            chunks[-1].extend(extra)
        return numbered(title, chunks, [f"deck-{take}"])

    def diagram(self, node: mermaid, where: str) -> nodes.container:
        """A page's diagram drawn again for the slide, from the same model (facelab.flows.Layout), in the layout that
        gives the largest labels once scaled to the slide's diagram area; an error if even that is under 18 px."""
        from web.offline_mermaid import renderer

        box = nodes.container(classes=["deck-diagram"])
        name = next((c.removeprefix("dataflow-") for c in node.parent.get("classes", []) if c.startswith("dataflow-")),
                    None)
        if name is None:  # a Mermaid fence typed on a page: no model to draw it again from (the browser test measures it)
            box += plain(node)
            return box
        flows = importlib.import_module("facelab.flows")
        diagram = importlib.import_module("facelab.diagrams").catalogue[name]
        lang = self.app.config.language
        draw = renderer(self.app)
        best = None
        for layout in slide_layouts(diagram, flows):
            code = flows.to_mermaid(diagram, lang, layout)
            size = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', draw.render(code, where))
            label_px = layout.font_px * min(DIAGRAM_AREA[0] / float(size[1]), DIAGRAM_AREA[1] / float(size[2]))
            if best is None or label_px > best[0]:
                best = (label_px, code)
        # The pseudo-locale's markers ([!! … !!], i18n.pseudo) lengthen every label by eight characters: its decks are
        # built to find English, not to be projected, so the floor holds for the real languages only.
        if best[0] < MIN_LABEL_PX and lang != PSEUDO_LANGUAGE:
            raise ValueError(f"{where}: the diagram {name!r} fits the slide only with labels of {best[0]:.1f} px, "
                             f"under {MIN_LABEL_PX}: give its labels fewer words (facelab/diagrams/), or the deck a "
                             "diagram with fewer elements")
        drawn = mermaid()
        drawn["code"], drawn["options"] = best[1], {}
        drawn.source, drawn.line = node.source, node.line
        box += drawn
        shared = flows.shared_data_label(diagram, lang)
        if shared:  # the arrows the slide's layout leaves unlabelled (facelab.flows.shared_data)
            box += nodes.paragraph(text=tr("Arrows without a label carry {data}.", where, data=shared),
                                   classes=["deck-diagram-note"])
        return box

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
        where = f"{DECKS} ({label})"
        title = tr("Exercise {number} — {title} ({minutes} min)", where,
                   number=".".join(map(str, number)) if number else "", title=meta["title"], minutes=meta["minutes"])
        body = node[1]
        # The same words as the exercise's own metadata on its page (_ext/teaching/exercise_meta.py)
        summary = (tr(meta["format"].capitalize(), where) + " · " + tr("{minutes} min", where, minutes=meta["minutes"])
                   + (" · " + tr("graded", where) if meta["graded"] else ""))
        units = []
        for child in body.children:
            classes = child.get("classes", [])
            if "exercise-meta" in classes:
                continue
            if "dataflow" in classes:  # the diagram, on a slide of its own; its text table stays on the page
                units.extend(self.diagram(m, where) for m in child.findall(mermaid))
            elif "linddun-worksheet" in classes:  # a worksheet is filled in on paper, not read off a screen
                units.append(nodes.paragraph(text=tr(WORKSHEET_NOTE, where), classes=["deck-worksheet-note"]))
            else:
                units.extend(list_items(plain(child)))
        budget = self.budget["exercise"]
        chunks = split_units(units, budget, size=lambda u: budget if "deck-diagram" in u["classes"] else weight(u))
        chunks[0].insert(0, nodes.paragraph(text=summary, classes=["deck-exercise-meta"]))
        return numbered(title, chunks, ["deck-exercise"])


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each slide directive replaced by its slides; the plan's exercises, in the plan's order, where the deck names the
    plan, each with the slides placed ``:before:`` or ``:after:`` it."""
    if not docname.startswith(DECKS) or app.builder.name == "gettext":
        return  # `make gettext` extracts a deck's own text only; what it copies is in the pages' catalogues
    resolver = Resolver(app)
    sources = list(doctree.findall(slide_source))
    plans = [n for n in sources if n["kind"] == "exercises"]
    labels: list[str] = []
    replacement: dict[int, list[nodes.Node]] = {}
    placed: dict[tuple[str, str], list[nodes.Node]] = {}

    def fail(node, message):
        logger.error(f"slides: {message}", location=node, type="slides")

    for node in sources:
        if not isinstance(node.parent, nodes.section) or not isinstance(node.parent.parent, nodes.document):
            fail(node, "put each slide directive directly under the deck's title, not under a ## heading")
            replacement[id(node)] = []
    if len(plans) > 1:
        fail(plans[1], f"a deck shows one lesson plan; this one already shows {plans[0]['plan']!r} (line "
                       f"{plans[0].line})")
    if plans:
        found = plan_exercises(app.env, plans[0]["plan"])
        if found is None:
            known = ", ".join(repr(t) for t in sorted(getattr(app.env, "lesson_plans", {})))
            fail(plans[0], f"exercise-slides: no lesson plan titled {plans[0]['plan']!r} (the plans: {known})")
        elif not found:
            fail(plans[0], f"exercise-slides: the lesson plan {plans[0]['plan']!r} has no exercises")
        else:
            labels = found
    for node in sources:
        if id(node) in replacement or node["kind"] == "exercises":
            continue
        try:
            slides = resolver.slides_for(node)
        except ValueError as err:
            fail(node, str(err))
            slides = []
        place = node.get("place")
        if place is None:
            replacement[id(node)] = slides
        elif not plans:
            fail(node, f"slide: :{place[0]}: {place[1]} needs the deck's {{exercise-slides}} (its lesson plan)")
            replacement[id(node)] = []
        elif place[1] not in labels:
            fail(node, f"slide: :{place[0]}: {place[1]!r} is not an exercise of the plan {plans[0]['plan']!r} "
                       f"(its exercises: {', '.join(labels) or 'none'})")
            replacement[id(node)] = []
        else:
            placed.setdefault(place, []).extend(slides)
            replacement[id(node)] = []
    for i, node in enumerate(plans):
        out: list[nodes.Node] = []
        for label in labels if i == 0 else []:
            out.extend(placed.get(("before", label), []))
            try:
                out.extend(resolver.exercise_slides(label))
            except ValueError as err:
                fail(node, str(err))
            out.extend(placed.get(("after", label), []))
        replacement[id(node)] = out
    for node in sources:
        if replacement[id(node)]:
            node.replace_self(replacement[id(node)])
        else:
            node.parent.remove(node)
    for i, section in enumerate(doctree.findall(nodes.section)):
        if not section["ids"]:
            section["ids"] = [f"slide-{i}"]


def print_view_styles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Let reveal.js's print view (a deck's address + ``?print-pdf``: one slide per page) pass the site's CSP.

    That view adds two style sheets of its own when it opens, and the Content-Security-Policy (_ext/web/csp.py) allows
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
    """_build/slides/index.html: a link to each deck, and how to present and print one (in the build's language)."""
    if exception is not None or app.builder.name != "revealjs":
        return
    env = app.env
    where = "slides index.html"

    def text(message: str, **fields) -> str:
        return tr(message, where, **{k: html.escape(str(v)) for k, v in fields.items()})

    items = "\n".join(
        f'<li><a href="{doc}.html">{html.escape(env.titles[doc].astext())}</a></li>'
        for doc in sorted(env.found_docs) if doc.startswith(DECKS)
    )
    # The site's title in the build's language (conf.py's `localise`); English: the project's name, as before.
    name = app.config.html_title if chinese(app) else app.config.project
    heading = text("{name} Projector slides", name=name)
    lang, fonts = "en", ""
    if chinese(app):  # the decks' Chinese fonts (see chinese_decks) for this page too
        lang = "zh-CN"
        fonts = "".join(f'<link rel="stylesheet" href="_static/{css}">\n' for css in (CJK_FONT_CSS, CSS_ZH))
    intro = text("One deck per lesson plan, for the students' eyes: no model answers and no instructor notes.")
    presenting, printing = text("Presenting"), text("Printing")
    keys = text("Right arrow or Space: next slide. Left arrow: previous. Home and End: first and last. F: full screen. "
                "Esc: an\noverview of every slide. Each slide has its own address (#/5), so a class can return to it.")
    print_hint = text("Add {code} to a deck's address, then print, or save as PDF, in landscape: one slide per page.",
                      code="?print-pdf").replace("?print-pdf", "<code>?print-pdf</code>", 1)
    Path(app.outdir, "index.html").write_text(f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
{fonts}</head>
<body>
<main>
<h1>{heading}</h1>
<p>{intro}</p>
<ul>
{items}
</ul>
<h2>{presenting}</h2>
<p>{keys}</p>
<h2>{printing}</h2>
<p>{print_hint}</p>
</main>
</body>
</html>
""", encoding="utf-8")


def drop_inventory(app: Sphinx, exception) -> None:
    """No ``objects.inv`` beside the decks: it would list every page read, the lesson plans' page among them (it is read
    for the plans' metadata, slides/conf.py), and nothing links into a folder of decks by inventory."""
    if exception is None and app.builder.name == "revealjs":
        Path(app.outdir, "objects.inv").unlink(missing_ok=True)


def chinese_decks(app: Sphinx) -> None:
    """A Chinese build of the decks (`make slides-zh`): the pages' catalogues compiled, and the decks' Chinese style.

    - Sphinx compiles only the catalogues of the documents named on the command line (the decks), but every page the
      decks copy from is read in the deck's language: compile every catalogue that is out of date, as `make html-zh`
      does (in every translated language, not only Chinese).
    - Fonts: cjk_font links its stylesheet (the Chinese system fonts, then the module's subset of Source Han Sans CN,
      cut to the characters of this build) to every page; reveal.js's theme names its own fonts, so the decks name
      the same stack. A quotation shows its original only, over the slide's full width.
    Nothing here runs in an English build, whose output stays byte for byte the same.
    """
    if app.builder.name != "revealjs":
        return
    if (app.config.language or "en") != "en":  # any translated language (the pseudo-locale's decks too), not only Chinese
        app.builder.compile_update_catalogs()
    if not chinese(app):
        return
    stack = ", ".join([*SYSTEM_FONTS, f'"{CJK_FAMILY}"', '"Source Sans Pro"', "Helvetica", "sans-serif"])
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS_ZH).write_text(
        "/* Chinese decks only (_ext/teaching/slides.py): Chinese fonts first, as on the Chinese site (_ext/i18n/cjk_font.py). */\n"
        f".reveal {{ --r-main-font: {stack}; --r-heading-font: {stack}; }}\n"
        ".reveal [lang=\"zh-Hans\"] { font-family: var(--r-main-font); }\n"
        ".reveal .bilingual.bilingual-original-only { grid-template-columns: 1fr; }\n"
        f"body {{ font-family: {stack}; }}  /* the decks' index page */\n",
        encoding="utf-8",
    )
    app.add_css_file(CSS_ZH)
    # Chromium shapes the SVG labels of a slide that is hidden when the deck opens (a deep link such as #/4) before
    # the web font has loaded, with the fallback's empty boxes, and never shapes them again (seen on a machine with no
    # Chinese font). Once the font has loaded (asked for here, not waited on), each label is laid out once in another family and set back.
    (static / JS_ZH).write_text(
        "/* Chinese decks only (_ext/teaching/slides.py): redraw the diagrams' labels in the web font once it has loaded. */\n"
        f"document.fonts.load('16px \"{CJK_FAMILY}\"', '\u5b57').then(() => "
        "document.querySelectorAll('.reveal svg text').forEach(t => {\n"
        "  const family = t.style.fontFamily;\n"
        "  t.style.fontFamily = 'serif';\n"
        "  t.getBBox();\n"
        "  t.style.fontFamily = family;\n"
        "}));\n",
        encoding="utf-8",
    )
    app.add_js_file(JS_ZH)


def gettext_keeps_site_messages(app: Sphinx) -> None:
    """`make gettext` runs twice into _build/gettext: the site, then the decks (`-c slides`, only the decks written).

    Both runs write the code's catalogue template, whose-face.pot (_ext/i18n/translations.py). The decks' run first takes
    in the messages of the site's run, so that the template it leaves holds both, for `sphinx-intl update`."""
    if app.builder.name != "gettext":
        return
    pot = Path(app.outdir) / "whose-face.pot"
    if not pot.is_file():
        return
    from babel.messages.pofile import read_po

    with pot.open("rb") as f:
        for message in read_po(f):
            for path, line in message.locations or [("whose-face.pot", 0)]:
                if message.id:
                    tr(message.id, f"{path}:{line}")


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """A deck depends on every page it copies from: rewrite the decks whenever anything changed."""
    if added or changed or removed:
        return sorted(d for d in env.found_docs if d.startswith(DECKS) and d not in removed)
    return []


def setup(app: Sphinx):
    app.setup_extension("teaching.exercise_meta")
    app.add_directive("slide", Slide)
    app.add_directive("exercise-slides", ExerciseSlides)
    app.add_node(slide_source)
    app.connect("doctree-resolved", resolve)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", print_view_styles)
    app.connect("builder-inited", chinese_decks)
    app.connect("builder-inited", gettext_keeps_site_messages)
    # Before cjk_font cuts its subset (priority 500: the index's characters are in it) and before csp.py (900) adds
    # the policy to every page.
    app.connect("build-finished", write_index, priority=400)
    app.connect("build-finished", drop_inventory)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
