"""The data-flow tables on a phone (390 x 844): every column readable without scrolling sideways.

On a narrow screen each row of a data-flow table is a card and each cell is shown under its column's name
(_static/whose-face.css, the .cell-label names written into the cells by _ext/teaching/dataflow.py), so the Status column, the
case's stated-versus-claimed distinction, is never off-screen behind a scroll nobody sees.
"""

from __future__ import annotations

import pytest
from site_tools import Tab

PAGES = ["cases/face-data-remark/data-flows.html", "cases/masked-photos/supply-chain.html"]
PHONE = {"width": 390, "height": 844}
CELLS_JS = """() => Array.from(document.querySelectorAll('table.dataflow-table')).map(t => {
    const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.trim());
    const wrapper = t.closest('.table-wrapper') || t.parentElement;
    const cells = Array.from(t.querySelectorAll('tbody td')).map((td, i) => {
        const r = td.getBoundingClientRect(); const label = td.querySelector('.cell-label');
        return {right: r.right, left: r.left, width: r.width,
                label: label && getComputedStyle(label).display !== 'none' ? label.textContent.trim() : '',
                column: heads[i % heads.length]};
    });
    return {heads, cells, scroll: wrapper.scrollWidth - wrapper.clientWidth};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_data_flow_tables_read_on_a_390_px_phone(browser, student, page):
    with Tab(browser) as tab:
        tab.page.set_viewport_size(PHONE)
        tab.open((student / page).as_uri())
        tables = tab.page.evaluate(CELLS_JS)
        width = tab.page.evaluate("document.documentElement.clientWidth")
    assert tables, f"{page}: no data-flow table"
    for n, table in enumerate(tables, 1):
        where = f"{page}, table {n}"
        assert "Status" in table["heads"], f"{where}: no Status column"
        assert table["scroll"] <= 1, f"{where}: scrolls sideways by {table['scroll']} px"
        for cell in table["cells"]:
            assert 0 <= cell["left"] and cell["right"] <= width + 0.5, f"{where}: a {cell['column']} cell off-screen"
            assert cell["label"] == f"{cell['column']}:", f"{where}: a cell not named by its column: {cell}"


@pytest.mark.browser
def test_data_flow_tables_keep_their_columns_on_a_wide_screen(browser, student):
    """On a laptop the table stays a table: cells side by side, the names only in its header."""
    with Tab(browser) as tab:
        tab.page.set_viewport_size({"width": 1280, "height": 800})
        tab.open((student / PAGES[0]).as_uri())
        table = tab.page.evaluate(CELLS_JS)[0]
    first_row = table["cells"][: len(table["heads"])]
    assert len({round(c["left"]) for c in first_row}) == len(first_row), "the cells are not side by side"
    assert all(c["label"] == "" for c in table["cells"]), "column names shown in the cells on a wide screen"
