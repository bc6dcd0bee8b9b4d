"""Tests for facelab.flows and the diagram catalogue (experiment 3: one model for every diagram)."""

import dataclasses
import re
from pathlib import Path

import pytest

from facelab.diagrams import catalogue, get, names
from facelab.flows import (
    Actor,
    DataCategory,
    DataFlowDiagram,
    Flow,
    Organisation,
    Process,
    StatementSequence,
    Store,
    compare_crossings,
    crossing_flows,
    flows_carrying,
    to_linddun_rows,
    to_mermaid,
    to_table,
)

ROOT = Path(__file__).resolve().parents[1]

#: The names the case pages were written against.
EXPECTED = {
    "remark-stakeholders",
    "remark-evening",
    "remark-cloud-api",
    "remark-private-deployment",
    "remark-feature-points",
    "remark-lee-account",
    "remark-ant-account",
    "masks-supply-chain",
    "masks-recognition",
}


def test_catalogue_defines_every_expected_diagram():
    assert EXPECTED <= set(names())


def test_every_dataflow_name_used_on_a_page_is_in_the_catalogue():
    used = set()
    for page in ROOT.glob("**/*.md"):
        if any(part in {"node_modules", ".venv", "_build"} for part in page.parts):
            continue
        used |= set(re.findall(r"```\{(?:dataflow|linddun-worksheet)\}[ \t]+([A-Za-z0-9-]+)[ \t]*\n", page.read_text(encoding="utf-8")))
    assert used, "no page draws a diagram"
    assert used <= set(names()), f"unknown diagrams on pages: {sorted(used - set(names()))}"


@pytest.mark.parametrize("name", sorted(catalogue))
def test_every_diagram_renders_with_acc_title_and_description(name):
    diagram = catalogue[name]
    source = to_mermaid(diagram)
    lines = source.splitlines()
    assert lines[0] in {"flowchart TB", "flowchart LR", "sequenceDiagram"}
    assert lines[1].startswith("    accTitle: ") and len(lines[1]) > 20
    assert lines[2].startswith("    accDescr: ") and len(lines[2]) > 40
    assert ";" not in lines[1] + lines[2]
    table = to_table(diagram)
    assert table.rows and all(len(r) == len(table.header) for r in table.rows)
    assert table.caption.startswith("Text equivalent")


@pytest.mark.parametrize("name", sorted(catalogue))
def test_every_diagram_is_legible(name):
    diagram = catalogue[name]
    if isinstance(diagram, DataFlowDiagram):
        count = len(diagram.elements)
    elif isinstance(diagram, StatementSequence):
        count = len(diagram.participants)
    else:
        count = len(diagram.stakes) + 1
    assert count <= 12, f"{name} has {count} nodes"


def test_flowchart_node_ids_are_alphanumeric_and_labels_quoted():
    for name, diagram in catalogue.items():
        for line in to_mermaid(diagram).splitlines()[3:]:
            line = line.strip()
            if line == "end" or line.startswith(("participant", "subgraph")):
                continue
            ident = re.match(r"[A-Za-z][A-Za-z0-9]*", line)
            assert ident, f"{name}: {line}"
            if "|" in line:
                assert re.search(r'\|"[^"]*"\|', line), f"{name}: unquoted edge label: {line}"


def test_contested_flows_are_dashed_and_unverified_ones_labelled():
    src = to_mermaid(catalogue["remark-private-deployment"])
    assert 'onPrem -.->|"accuracy metrics (unverified)"| vendorRnd' in src
    assert 'vendorRnd -->|"software, model weights"| onPrem' in src
    assert "(denied)" in to_mermaid(catalogue["remark-ant-account"])
    assert "later retracted" in to_mermaid(catalogue["remark-lee-account"])


def test_trust_boundaries_are_subgraphs():
    src = to_mermaid(catalogue["remark-cloud-api"])
    assert 'subgraph client["Client company"]' in src
    assert 'subgraph vendor["Face-recognition vendor"]' in src


def test_biometric_crossings_differ_by_deployment_model():
    cloud = crossing_flows(catalogue["remark-cloud-api"], biometric=True, external=False)
    private = crossing_flows(catalogue["remark-private-deployment"], biometric=True, external=False)
    points = crossing_flows(catalogue["remark-feature-points"], biometric=True, external=False)
    assert [f.data for f in cloud][0] == (DataCategory.RAW_IMAGE,)
    assert private == []
    assert DataCategory.LANDMARKS in points[0].data and str(points[0].status) == "unverified"
    non_bio = crossing_flows(catalogue["remark-private-deployment"], biometric=False, external=False)
    assert {d for f in non_bio for d in f.data} >= {DataCategory.SOFTWARE, DataCategory.ENGINEER_ACCESS}
    assert "remark-private-deployment: 0" in compare_crossings(
        catalogue["remark-private-deployment"], external=False
    )


def test_supply_chain_flows_carry_safeguards():
    rows = to_table(catalogue["masks-supply-chain"])
    assert rows.header[-1].startswith("What should have stopped")
    text = " ".join(r[-1] for r in rows.rows)
    assert "PIPL Arts. 28-29" in text and "BIPA §15(c)" in text and "scraping" in text


def test_linddun_worksheet_has_one_row_per_element_and_flow():
    d = catalogue["remark-cloud-api"]
    ws = to_linddun_rows(d)
    assert len(ws.rows) == len(d.elements) + len(d.flows)
    by_kind = {r[1]: r[2] for r in ws.rows}
    assert "Unawareness" in by_kind["actor"] and "Non-compliance" not in by_kind["actor"]
    assert by_kind["flow"].split(", ") == [
        "Linking", "Identifying", "Non-repudiation", "Detecting", "Data disclosure", "Non-compliance"
    ]
    with pytest.raises(TypeError, match="DataFlowDiagram"):
        to_linddun_rows(catalogue["remark-evening"])


def test_adding_a_flow():
    cloud = catalogue["remark-cloud-api"]
    store = cloud.element("vendorStore")
    extra = Flow(store, Process("vendorTraining", "Vendor model training", store.org), ("RAW_IMAGE",), "train")
    mine = dataclasses.replace(cloud, name="mine", flows=cloud.flows + (extra,))
    assert flows_carrying(mine, "raw face images")[-1] is extra
    assert "vendorTraining" in to_mermaid(mine)


def test_unknown_data_category_is_a_clear_error():
    a, b = Actor("alice", "Alice"), Store("locker", "Locker", Organisation("org", "Org"))
    with pytest.raises(ValueError, match=r"unknown data category 'FACEPRINT' in flow alice -> locker \('keep'\)"):
        Flow(a, b, ("FACEPRINT",), "keep")
    with pytest.raises(ValueError, match="unknown status"):
        Flow(a, b, ("TEMPLATE",), "keep", status="rumoured")
    with pytest.raises(ValueError, match="no data"):
        Flow(a, b, (), "keep")
    with pytest.raises(TypeError, match="Flow source"):
        Flow("alice", b, ("TEMPLATE",), "keep")


def test_bad_keys_are_clear_errors():
    with pytest.raises(ValueError, match="letters and digits"):
        Actor("end-users", "End users")
    with pytest.raises(ValueError, match="reserves"):
        Process("end", "End")
    a1, a2 = Actor("x", "One"), Actor("x", "Two")
    with pytest.raises(ValueError, match="share the key 'x'"):
        DataFlowDiagram("d", "t", "d", (Flow(a1, a2, ("TEMPLATE",), "p"),))


def test_unknown_diagram_lists_known_names():
    with pytest.raises(KeyError, match="remark-cloud-api"):
        get("remark-nope")


# -- Chinese labels (issue #18; through gettext since issue #30: facelab/i18n.py) --------------------------------


def test_every_diagram_has_chinese_labels():
    """Every text a diagram shows has a Chinese form in locale/zh_CN/LC_MESSAGES/facelab.po."""
    for diagram in catalogue.values():
        code = to_mermaid(diagram, lang="zh_CN")
        labels = re.findall(r'"([^"]*)"', code) + re.findall(r"acc(?:Title|Descr): (.*)", code)
        assert labels and all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), (diagram.name, labels)
        table = to_table(diagram, lang="zh_CN")
        assert table.caption.startswith("图的文字版：")
        if isinstance(diagram, DataFlowDiagram):
            assert to_linddun_rows(diagram, lang="zh_CN").header[0] == "元素"


def test_set_language_draws_every_later_label_in_it():
    import facelab

    diagram = catalogue["remark-cloud-api"]
    try:
        facelab.set_language("zh_CN")
        assert to_table(diagram).caption == to_table(diagram, lang="zh_CN").caption != to_table(diagram, "en").caption
    finally:
        facelab.set_language(None)
    assert to_table(diagram).caption.startswith("Text equivalent of the diagram: ")


def test_a_missing_label_falls_back_to_english_and_is_reported():
    from facelab import i18n

    missing = []
    i18n.on_missing = lambda message, lang: missing.append((message, lang))
    try:
        assert i18n.text("no such label", "zh_CN") == "no such label"
        assert i18n.text("Meitu", "zh_CN") == "美图"
    finally:
        i18n.on_missing = None
    assert missing == [("no such label", "zh_CN")]
    assert i18n.text("no such label", "en") == "no such label"
