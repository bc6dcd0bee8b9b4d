"""Experiment 3: one typed data-flow model that draws every diagram.

The model has four kinds of thing:

* an :class:`Organisation` is a trust boundary (a company, a platform, a
  government body);
* an :class:`Actor` is a person or group outside our control (end users, a
  buyer); a :class:`Process` does something with data; a :class:`Store`
  keeps it;
* a :class:`Flow` moves one or more :class:`DataCategory` values from one
  element to another, for a purpose, with a :class:`Status` saying how well
  the flow is attested;
* a :class:`DataFlowDiagram` is a named set of flows.

Two other kinds of diagram live in the same catalogue so that every diagram
in the module has one source: a :class:`StakeholderMap` (who had what at
stake) and a :class:`StatementSequence` (who said what, when).

From a diagram the module derives, at build time:

* Mermaid source with ``accTitle`` and ``accDescr`` (:func:`to_mermaid`);
  each rendering function takes ``lang`` ("zh_CN": the labels of the Chinese catalogue, :mod:`facelab.i18n`;
  by default the language of ``facelab.set_language``);
* the rows of its text equivalent (:func:`to_table`);
* a LINDDUN-style privacy-threat worksheet (:func:`to_linddun_rows`).

And it answers questions such as "which flows carry biometric data across an
organisation boundary?" (:func:`crossing_flows`).

What the model does not do: it records what sources *say* moved, with a
status for each claim. It cannot tell whether a flow really happened, and a
diagram is only as good as the statements it draws on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from .i18n import N_
from .i18n import text as _t

__all__ = [
    "DataCategory",
    "Status",
    "Organisation",
    "Actor",
    "Process",
    "Store",
    "Flow",
    "DataFlowDiagram",
    "Stake",
    "StakeholderMap",
    "Statement",
    "StatementSequence",
    "Diagram",
    "LINDDUN_CATEGORIES",
    "crossing_flows",
    "flows_carrying",
    "compare_crossings",
    "to_mermaid",
    "Layout",
    "shared_data",
    "shared_data_label",
    "Table",
    "to_table",
    "to_table_rows",
    "to_linddun_rows",
]


class DataCategory(Enum):
    """What a flow carries. Each category says whether it is biometric."""

    FACE_DATA = ("face data, form not stated", True, True)
    RAW_IMAGE = ("raw face images", True, True)
    MASKED_IMAGE = ("masked face photos", True, True)
    LANDMARKS = ("landmark coordinates", True, True)
    PERIOCULAR_FEATURES = ("eye-region features", True, True)
    RECONSTRUCTED_FACE = ("reconstructed lower face", True, True)
    TEMPLATE = ("face templates", True, True)
    IDENTITY_LABELS = ("identity labels", False, True)
    MATCH_RESULTS = ("match results", False, True)
    ACCESS_LOGS = ("clock-in and gate logs", False, True)
    REQUEST_LOGS = ("request logs", False, True)
    MODEL_WEIGHTS = ("model weights", False, False)
    ACCURACY_METRICS = ("accuracy metrics", False, False)
    SOFTWARE = ("software", False, False)
    KNOW_HOW = ("know-how", False, False)
    ENGINEER_ACCESS = ("engineers on site", False, False)
    PAYMENT = ("payment", False, False)

    def __init__(self, label: str, biometric: bool, personal: bool):
        self.label = label
        #: True if the data is derived from a face by technical processing.
        self.biometric = biometric
        #: True if the data relates to identifiable people.
        self.personal = personal

    def __str__(self) -> str:
        return self.label

    @classmethod
    def coerce(cls, value: Union["DataCategory", str], *, where: str = "") -> "DataCategory":
        """Return the category named by ``value`` (a member, its name or its label)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip()
            if key.upper() in cls.__members__:
                return cls.__members__[key.upper()]
            for member in cls:
                if member.label == key.lower():
                    return member
        known = ", ".join(cls.__members__)
        place = f" in {where}" if where else ""
        raise ValueError(
            f"unknown data category {value!r}{place}; known categories: {known}"
        )


class Status(Enum):
    """How well a flow or a statement is attested."""

    DESCRIBED = ("described", "general practice as sources describe it")
    REPORTED = ("reported", "reported by the press")
    STATED = ("stated", "a party's own statement")
    ALLEGED = ("alleged", "claimed by someone, not shown")
    RETRACTED = ("retracted", "claimed, then withdrawn by the speaker")
    DENIED = ("denied", "denied by a party to it")
    UNVERIFIED = ("unverified", "could not be checked")

    def __init__(self, label: str, meaning: str):
        self.label = label
        self.meaning = meaning

    def __str__(self) -> str:
        return self.label

    @property
    def contested(self) -> bool:
        """True for statuses drawn with a dashed line."""
        return self in (Status.ALLEGED, Status.RETRACTED, Status.DENIED, Status.UNVERIFIED)

    @classmethod
    def coerce(cls, value: Union["Status", str], *, where: str = "") -> "Status":
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            for member in cls:
                if value.strip().lower() in (member.label, member.name.lower()):
                    return member
        known = ", ".join(m.label for m in cls)
        place = f" in {where}" if where else ""
        raise ValueError(f"unknown status {value!r}{place}; known statuses: {known}")


_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
#: Words Mermaid reserves, which cannot be node ids.
_RESERVED = {
    "end", "graph", "flowchart", "subgraph", "style", "classdef", "class", "click",
    "linkstyle", "default", "call", "href", "direction", "participant", "actor", "note",
    "loop", "alt", "opt", "par", "rect", "critical", "break", "box", "create", "destroy",
}


def _check_key(key: str, what: str) -> None:
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(
            f"{what} key {key!r} must start with a letter and hold only letters and digits "
            "(it becomes a Mermaid node id)"
        )
    if key.lower() in _RESERVED:
        raise ValueError(f"{what} key {key!r} is a word Mermaid reserves; choose another key")


@dataclass(frozen=True)
class Organisation:
    """A trust boundary: data that leaves it is under someone else's control."""

    key: str
    name: str

    def __post_init__(self):
        _check_key(self.key, "Organisation")


@dataclass(frozen=True)
class _Element:
    key: str
    label: str
    org: Organisation | None = None
    note: str = ""
    kind = "element"

    def __post_init__(self):
        _check_key(self.key, type(self).__name__)
        if self.org is not None and not isinstance(self.org, Organisation):
            raise TypeError(
                f"{type(self).__name__} {self.key!r}: org must be an Organisation or None, "
                f"got {type(self.org).__name__}"
            )

    def __str__(self) -> str:
        return self.label

    @property
    def where(self) -> str:
        return self.org.name if self.org else N_("outside any organisation")


@dataclass(frozen=True)
class Actor(_Element):
    """A person or group: a source or destination outside the system (an external entity)."""

    kind = "actor"


@dataclass(frozen=True)
class Process(_Element):
    """Something that uses or transforms data."""

    kind = "process"


@dataclass(frozen=True)
class Store(_Element):
    """Somewhere data is kept."""

    kind = "store"


Element = Union[Actor, Process, Store]


@dataclass(frozen=True, repr=False)
class Flow:
    """Data moving from ``source`` to ``target``.

    ``data`` is a tuple of :class:`DataCategory` (names such as ``"TEMPLATE"``
    or labels such as ``"face templates"`` are accepted and converted).
    ``safeguard`` names the law or rule that should have stopped or governed
    the flow, where a case discusses one.
    """

    source: Element
    target: Element
    data: tuple[DataCategory, ...]
    purpose: str
    status: Status = Status.DESCRIBED
    note: str = ""
    safeguard: str = ""

    def __post_init__(self):
        for end in ("source", "target"):
            if not isinstance(getattr(self, end), _Element):
                raise TypeError(
                    f"Flow {end} must be an Actor, Process or Store, "
                    f"got {type(getattr(self, end)).__name__}"
                )
        name = f"flow {self.source.key} -> {self.target.key} ({self.purpose!r})"
        data = (self.data,) if isinstance(self.data, (str, DataCategory)) else tuple(self.data)
        if not data:
            raise ValueError(f"{name} carries no data; give at least one data category")
        object.__setattr__(self, "data", tuple(DataCategory.coerce(d, where=name) for d in data))
        object.__setattr__(self, "status", Status.coerce(self.status, where=name))

    @property
    def biometric(self) -> bool:
        """True if any category the flow carries is biometric."""
        return any(d.biometric for d in self.data)

    @property
    def personal(self) -> bool:
        """True if any category the flow carries is personal data."""
        return any(d.personal for d in self.data)

    @property
    def crosses_boundary(self) -> bool:
        """True if source and target sit in different organisations."""
        return self.source.org != self.target.org

    @property
    def data_label(self) -> str:
        return ", ".join(d.label for d in self.data)

    def __str__(self) -> str:
        return f"{self.source.label} -> {self.target.label}: {self.data_label}"

    def __repr__(self) -> str:
        return f"<Flow {self} [{self.status}]>"


@dataclass(frozen=True)
class DataFlowDiagram:
    """A named set of flows (plus any elements that no flow touches)."""

    name: str
    title: str
    description: str
    flows: tuple[Flow, ...]
    extra_elements: tuple[Element, ...] = ()
    kind = "dataflow"

    def __post_init__(self):
        object.__setattr__(self, "flows", tuple(self.flows))
        seen: dict[str, Element] = {}
        endpoints = [e for f in self.flows for e in (f.source, f.target)] + list(self.extra_elements)
        for el in endpoints:
            other = seen.setdefault(el.key, el)
            if other != el:
                raise ValueError(
                    f"diagram {self.name!r}: two different elements share the key {el.key!r}"
                )
        orgs = {o.key: o for o in self.organisations}
        if set(orgs) & set(seen):
            clash = sorted(set(orgs) & set(seen))
            raise ValueError(f"diagram {self.name!r}: keys used for both an organisation and an element: {clash}")

    @property
    def elements(self) -> tuple[Element, ...]:
        """Every element, in order of first appearance."""
        out: dict[str, Element] = {}
        for f in self.flows:
            out.setdefault(f.source.key, f.source)
            out.setdefault(f.target.key, f.target)
        for el in self.extra_elements:
            out.setdefault(el.key, el)
        return tuple(out.values())

    def element(self, key: str) -> Element:
        """The element with ``key``; a ``KeyError`` lists the keys in this diagram."""
        for el in self.elements:
            if el.key == key:
                return el
        keys = ", ".join(el.key for el in self.elements)
        raise KeyError(f"diagram {self.name!r} has no element {key!r}; its elements: {keys}")

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        out: dict[str, Organisation] = {}
        for el in self.elements:
            if el.org is not None:
                out.setdefault(el.org.key, el.org)
        return tuple(out.values())


@dataclass(frozen=True)
class Stake:
    """One actor in a stakeholder map and what the event put at stake for it."""

    key: str
    actor: str
    role: str
    stake: str
    short: str
    status: Status = Status.DESCRIBED

    def __post_init__(self):
        _check_key(self.key, "Stake")
        object.__setattr__(self, "status", Status.coerce(self.status, where=f"stake {self.key!r}"))


@dataclass(frozen=True)
class StakeholderMap:
    """Actors around one event, each with what it had at stake."""

    name: str
    title: str
    description: str
    centre: str
    stakes: tuple[Stake, ...]
    kind = "stakeholders"


@dataclass(frozen=True)
class Statement:
    """Something a party said, when, to whom, and how well that is attested."""

    time: str
    speaker: str
    audience: str
    text: str
    status: Status = Status.REPORTED
    short: str = ""
    """A few words for the diagram; the table shows ``text`` in full."""

    def __post_init__(self):
        object.__setattr__(self, "status", Status.coerce(self.status, where=f"statement {self.text!r}"))


@dataclass(frozen=True)
class StatementSequence:
    """A sequence of statements, drawn as a Mermaid sequence diagram."""

    name: str
    title: str
    description: str
    participants: tuple[tuple[str, str], ...]
    statements: tuple[Statement, ...]
    kind = "sequence"

    def __post_init__(self):
        keys = [k for k, _ in self.participants]
        for k in keys:
            _check_key(k, "Participant")
        for s in self.statements:
            for who in (s.speaker, s.audience):
                if who not in keys:
                    raise ValueError(
                        f"sequence {self.name!r}: statement at {s.time!r} names participant "
                        f"{who!r}, which is not one of {keys}"
                    )

    def label(self, key: str) -> str:
        return dict(self.participants)[key]


Diagram = Union[DataFlowDiagram, StakeholderMap, StatementSequence]


# -- Queries -----------------------------------------------------------------


def _require_dataflow(diagram, what: str) -> DataFlowDiagram:
    if not isinstance(diagram, DataFlowDiagram):
        raise TypeError(
            f"{what} needs a DataFlowDiagram, got {type(diagram).__name__} "
            f"{getattr(diagram, 'name', '')!r}"
        )
    return diagram


def crossing_flows(
    diagram: DataFlowDiagram,
    *,
    biometric: bool | None = None,
    personal: bool | None = None,
    external: bool = True,
) -> list[Flow]:
    """Flows whose source and target lie in different organisations.

    With ``biometric=True`` keep only flows that carry biometric data (with
    ``False``, only flows that carry none); ``personal`` filters the same way.
    With ``external=False`` leave out flows to or from an element outside
    every organisation (such as end users), keeping flows between organisations.
    """
    diagram = _require_dataflow(diagram, "crossing_flows")
    out = []
    for f in diagram.flows:
        if not f.crosses_boundary:
            continue
        if not external and (f.source.org is None or f.target.org is None):
            continue
        if biometric is not None and f.biometric != biometric:
            continue
        if personal is not None and f.personal != personal:
            continue
        out.append(f)
    return out


def flows_carrying(diagram: DataFlowDiagram, category: DataCategory | str) -> list[Flow]:
    """Flows that carry ``category`` (a member, name or label)."""
    diagram = _require_dataflow(diagram, "flows_carrying")
    cat = DataCategory.coerce(category, where=f"flows_carrying({diagram.name!r})")
    return [f for f in diagram.flows if cat in f.data]


def compare_crossings(
    *diagrams: DataFlowDiagram, biometric: bool | None = True, external: bool = True
) -> str:
    """A plain-text comparison of boundary-crossing flows in several diagrams."""
    lines = []
    for d in diagrams:
        flows = crossing_flows(d, biometric=biometric, external=external)
        lines.append(f"{d.name}: {len(flows)}")
        for f in flows:
            lines.append(f"  {f}  [{f.status}]")
    return "\n".join(lines)


# -- Rendering ---------------------------------------------------------------


def _q(text: str) -> str:
    """Make text safe inside a quoted Mermaid label."""
    return text.replace('"', "'").replace("\n", " ")


def _plain(text: str) -> str:
    """Make text safe for accTitle, accDescr and sequence messages."""
    return re.sub(r"\s+", " ", text.replace(";", ",").replace("#", "no. ")).strip()


_SHAPES = {
    "actor": ('(["', '"])'),
    "process": ('["', '"]'),
    "store": ('[("', '")]'),
}


_SUFFIX = {
    Status.ALLEGED: N_(" (alleged)"),
    Status.RETRACTED: N_(" (alleged, later retracted)"),
    Status.DENIED: N_(" (denied)"),
    Status.UNVERIFIED: N_(" (unverified)"),
}


def _data_label(f: Flow, lang: str | None = None) -> str:
    return _t(", ", lang, context="list separator").join(_t(d.label, lang) for d in f.data)


def _suffix(status: Status, lang: str | None = None) -> str:
    return _t(_SUFFIX[status], lang) if status in _SUFFIX else ""


def _edge_label(f: Flow, lang: str | None = None) -> str:
    return _q(_data_label(f, lang) + _suffix(f.status, lang))


def _head(kind: str, d, lang: str | None) -> list[str]:
    return [kind, f"    accTitle: {_plain(_t(d.title, lang))}", f"    accDescr: {_plain(_t(d.description, lang))}"]


def _dataflow_mermaid(d: DataFlowDiagram, lang: str | None = None, quiet: tuple | None = None) -> list[str]:
    lines = _head("flowchart TB", d, lang)

    def node(el: Element) -> str:
        left, right = _SHAPES[el.kind]
        return f"{el.key}{left}{_q(_t(el.label, lang))}{right}"

    for org in d.organisations:
        lines.append(f'    subgraph {org.key}["{_q(_t(org.name, lang))}"]')
        for el in d.elements:
            if el.org == org:
                lines.append(f"        {node(el)}")
        lines.append("    end")
    for el in d.elements:
        if el.org is None:
            lines.append(f"    {node(el)}")
    for f in d.flows:
        arrow = "-.->" if f.status.contested else "-->"
        if quiet is not None and f.data == quiet and f.status not in _SUFFIX and not f.status.contested:
            lines.append(f"    {f.source.key} {arrow} {f.target.key}")  # a slide's layout: see shared_data
            continue
        lines.append(f'    {f.source.key} {arrow}|"{_edge_label(f, lang)}"| {f.target.key}')
    return lines


def _stakeholder_mermaid(d: StakeholderMap, lang: str | None = None) -> list[str]:
    lines = _head("flowchart LR", d, lang)
    lines.append(f'    centre["{_q(_t(d.centre, lang))}"]')
    for s in d.stakes:
        lines.append(f'    {s.key}(["{_q(_t(s.actor, lang))}"])')
    for s in d.stakes:
        arrow = "-.->" if s.status.contested else "-->"
        lines.append(f'    {s.key} {arrow}|"{_q(_t(s.short, lang))}"| centre')
    return lines


def _sequence_mermaid(d: StatementSequence, lang: str | None = None) -> list[str]:
    lines = _head("sequenceDiagram", d, lang)
    for key, label in d.participants:
        lines.append(f"    participant {key} as {_plain(_t(label, lang))}")
    for s in d.statements:
        arrow = "-->>" if s.status.contested else "->>"
        text = _plain(f"{_t(s.time, lang)}{_t(': ', lang, context='time: statement')}{_t(s.short or s.text, lang)}")
        text += _suffix(s.status, lang)
        lines.append(f"    {s.speaker}{arrow}{s.audience}: {text}")
    return lines


@dataclass(frozen=True)
class Layout:
    """How to draw a diagram somewhere other than a page: the same model, the same labels, another layout.

    A projected slide is wider than tall and read from the back of a room, so the decks (_ext/teaching/slides.py)
    draw each diagram with larger type, narrower labels (more lines, fewer words each), tighter spacing and, for a
    flowchart, the direction that fits the slide best. Nothing here changes what the diagram says.
    """

    font_px: int = 16
    """The labels' type size, in the drawing's own pixels."""
    wrap_px: int = 200
    """How wide a label may grow before it breaks into another line."""
    direction: str | None = None
    """``"TB"`` or ``"LR"`` for a flowchart; None keeps the diagram's own."""
    compact: bool = True
    """Less space between boxes (labels keep their padding)."""
    quiet_shared_data: bool = True
    """Arrows that carry what most arrows carry (:func:`shared_data`) go unlabelled; say it once beside the drawing."""

    def init(self) -> str:
        """Mermaid's ``%%{init}%%`` line for this layout (configuration only: no label changes)."""
        import json

        config: dict = {"fontSize": self.font_px, "themeVariables": {"fontSize": f"{self.font_px}px"},
                        "flowchart": {"wrappingWidth": self.wrap_px},
                        "sequence": {"wrap": True, "width": self.wrap_px, "messageFontSize": self.font_px,
                                     "actorFontSize": self.font_px, "noteFontSize": self.font_px}}
        if self.compact:
            config["flowchart"].update(nodeSpacing=30, rankSpacing=25, padding=8, diagramPadding=2,
                                       # room for a group's title that wraps to a second line
                                       subGraphTitleMargin={"top": 4, "bottom": round(self.font_px * 1.2) + 4})
            config["sequence"].update(actorMargin=20)
        return "%%{init: " + json.dumps(config, sort_keys=True) + "}%%"


def shared_data(diagram: Diagram) -> tuple[DataCategory, ...] | None:
    """What most arrows of a data-flow diagram carry, when at least three stated arrows carry exactly that; else None.

    A slide's layout leaves those arrows unlabelled (their status is stated, so nothing is hidden but a repetition)
    and names the data once under the drawing."""
    if not isinstance(diagram, DataFlowDiagram):
        return None
    counts: dict[tuple, int] = {}
    for f in diagram.flows:
        if f.status not in _SUFFIX and not f.status.contested:
            counts[f.data] = counts.get(f.data, 0) + 1
    data, count = max(counts.items(), key=lambda item: item[1], default=(None, 0))
    return data if count >= 3 else None


def shared_data_label(diagram: Diagram, lang: str | None = None) -> str | None:
    """The label of :func:`shared_data` (``"masked face photos"``), as the arrows would carry it; None if none."""
    data = shared_data(diagram)
    return None if data is None else _data_label(next(f for f in diagram.flows if f.data == data), lang)


def to_mermaid(diagram: Diagram, lang: str | None = None, layout: Layout | None = None) -> str:
    """Mermaid source for any diagram in the catalogue, with accTitle and accDescr (``lang="zh_CN"``: in Chinese).

    ``layout`` draws it for another medium (:class:`Layout`, e.g. a projected slide); without it, as on the pages."""
    if isinstance(diagram, DataFlowDiagram):
        quiet = shared_data(diagram) if layout is not None and layout.quiet_shared_data else None
        lines = _dataflow_mermaid(diagram, lang, quiet)
    elif isinstance(diagram, StakeholderMap):
        lines = _stakeholder_mermaid(diagram, lang)
    elif isinstance(diagram, StatementSequence):
        lines = _sequence_mermaid(diagram, lang)
    else:
        raise TypeError(f"cannot draw a {type(diagram).__name__}")
    if layout is not None:
        if layout.direction and lines[0].startswith("flowchart "):
            lines[0] = f"flowchart {layout.direction}"
        lines.insert(0, layout.init())
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Table:
    """A text equivalent: a caption, a header row and body rows (all strings)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def _where(el: Element, lang: str | None = None) -> str:
    label = _t(el.label, lang)
    if el.org is None or el.org.name in el.label:
        return label
    return _t("{label} ({org})", lang).format(label=label, org=_t(el.org.name, lang))


def _headers(names, lang: str | None) -> tuple[str, ...]:
    return tuple(_t(n, lang) for n in names)


def to_table(diagram: Diagram, lang: str | None = None) -> Table:
    """The text equivalent of a diagram, as a :class:`Table` (``lang="zh_CN"``: in Chinese)."""
    caption = _t("Text equivalent of the diagram: {title}", lang).format(title=_t(diagram.title, lang))
    if isinstance(diagram, DataFlowDiagram):
        header = ["From", "Data", "To", "Purpose", "Status"]
        with_safeguard = any(f.safeguard for f in diagram.flows)
        if with_safeguard:
            header.append("What should have stopped or governed it")
        rows = []
        stop = _t(". ", lang, context="between two sentences")
        for f in diagram.flows:
            status = _t(f.status.label, lang) + (_t(" (crosses a boundary)", lang) if f.crosses_boundary else "")
            purpose = _t(f.purpose, lang) + (f"{stop}{_t(f.note, lang)}" if f.note else "")
            row = [_where(f.source, lang), _data_label(f, lang), _where(f.target, lang), purpose, status]
            if with_safeguard:
                row.append(_t(f.safeguard, lang) if f.safeguard else "-")
            rows.append(tuple(row))
        return Table(caption, _headers(header, lang), tuple(rows))
    if isinstance(diagram, StakeholderMap):
        header = _headers(("Actor", "Role", "What was at stake", "Status"), lang)
        rows = tuple((_t(s.actor, lang), _t(s.role, lang), _t(s.stake, lang), _t(s.status.label, lang))
                     for s in diagram.stakes)
        return Table(caption, header, rows)
    if isinstance(diagram, StatementSequence):
        header = _headers(("Time", "Actor", "Statement", "Status"), lang)
        rows = tuple(
            (_t(s.time, lang), _t(diagram.label(s.speaker), lang), _t(s.text, lang), _t(s.status.label, lang))
            for s in diagram.statements
        )
        return Table(caption, header, rows)
    raise TypeError(f"cannot tabulate a {type(diagram).__name__}")


def to_table_rows(diagram: Diagram) -> tuple[tuple[str, ...], ...]:
    """Just the body rows of :func:`to_table`."""
    return to_table(diagram).rows


#: LINDDUN threat categories, and the element kinds each applies to
#: (after the mapping table of the original LINDDUN method).
LINDDUN_CATEGORIES = {
    "Linking": ("actor", "process", "store", "flow"),
    "Identifying": ("actor", "process", "store", "flow"),
    "Non-repudiation": ("process", "store", "flow"),
    "Detecting": ("process", "store", "flow"),
    "Data disclosure": ("process", "store", "flow"),
    "Unawareness": ("actor",),
    "Non-compliance": ("process", "store", "flow"),
}


def _threats(kind: str, lang: str | None = None) -> str:
    return _t(", ", lang, context="list separator").join(
        _t(c, lang) for c, kinds in LINDDUN_CATEGORIES.items() if kind in kinds)


def _flow_prompt(f: Flow, lang: str | None = None) -> str:
    prompts = []
    if f.biometric and f.crosses_boundary and f.source.org is None:
        prompts.append(_t("People hand biometric data to {where}: do they know what follows, and can they refuse?",
                          lang).format(where=_t(f.target.where, lang)))
    elif f.biometric and f.crosses_boundary:
        prompts.append(_t("Biometric data leaves {where}: who agreed, and can the receiver identify people?",
                          lang).format(where=_t(f.source.where, lang)))
    elif f.biometric:
        prompts.append(_t("Biometric data: is it needed here, and who can read it?", lang))
    elif f.personal:
        prompts.append(_t("Can these records be linked back to a person?", lang))
    elif f.crosses_boundary:
        prompts.append(_t("Could anything learned from personal data travel with this?", lang))
    if f.status.contested:
        prompts.append(_t("The flow is {status}: what evidence would settle it?", lang).format(
            status=_t(f.status.label, lang)))
    if len(prompts) == 2:
        return _t("{first} {then}", lang, context="two questions in a row").format(first=prompts[0], then=prompts[1])
    return "".join(prompts) or _t("Is this flow needed for its purpose?", lang)


def _element_prompt(el: Element, d: DataFlowDiagram, lang: str | None = None) -> str:
    return _t(_element_prompt_en(el, d), lang)


def _element_prompt_en(el: Element, d: DataFlowDiagram) -> str:
    incoming = [f for f in d.flows if f.target == el]
    outgoing = [f for f in d.flows if f.source == el]
    bio = any(f.biometric for f in incoming + outgoing)
    if el.kind == "actor":
        if outgoing and any(f.personal for f in outgoing):
            return N_("Do these people know what happens to their data, and can they refuse?")
        return N_("What does this party learn, and is that proportionate?")
    if el.kind == "store":
        return (
            N_("Biometric data at rest: how long is it kept, and who can query it?")
            if bio
            else N_("How long is this kept, and who can read it?")
        )
    return (
        N_("Does this step need biometric data, or could it work on less?")
        if bio
        else N_("What does this step learn about people?")
    )


def to_linddun_rows(diagram: DataFlowDiagram, lang: str | None = None) -> Table:
    """A LINDDUN-style worksheet: one row per actor, process, store and flow (``lang="zh_CN"``: in Chinese)."""
    diagram = _require_dataflow(diagram, "to_linddun_rows")
    header = _headers(("Element", "Kind", "Threat categories to consider", "Question to start with"), lang)
    rows = []
    for el in diagram.elements:
        rows.append((_where(el, lang), _t(el.kind, lang), _threats(el.kind, lang), _element_prompt(el, diagram, lang)))
    for f in diagram.flows:
        flow = _t("{source} -> {target}: {data}", lang).format(
            source=_t(f.source.label, lang), target=_t(f.target.label, lang), data=_data_label(f, lang))
        rows.append((flow, _t("flow", lang), _threats("flow", lang), _flow_prompt(f, lang)))
    caption = _t("LINDDUN-style worksheet for: {title}", lang).format(title=_t(diagram.title, lang))
    return Table(caption, header, tuple(rows))
