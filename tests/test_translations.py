"""`make gettext`'s merge (issue #30, _ext/i18n/catalogue_check.py ``update``): unchanged catalogues stay byte for byte as
they were, a changed message becomes fuzzy with its old translation, and the list names what to translate, with the
catalogue's file and line and the English source's."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from i18n import catalogue_check  # noqa: E402

POT = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

#: ../../page.md:3
msgid "{first}"
msgstr ""

#: ../../page.md:5
msgid "Second paragraph."
msgstr ""
'''
PO = '''# Hand-written header comment
msgid ""
msgstr ""
"POT-Creation-Date: 2026-01-01 00:00+0000\\n"
"Language: xx\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#: ../../page.md:5
msgid "Second paragraph."
msgstr "Deuxième paragraphe."

#: ../../page.md:3
msgid "First paragraph."
msgstr "Premier paragraphe."
'''


def tree(tmp_path: Path, first: str) -> tuple[Path, Path]:
    pots = tmp_path / "gettext"
    pots.mkdir(exist_ok=True)
    (pots / "page.pot").write_text(POT.replace("{first}", first), encoding="utf-8")
    po = tmp_path / "locale" / "xx" / "LC_MESSAGES" / "page.po"
    if not po.exists():
        po.parent.mkdir(parents=True)
        po.write_text(PO, encoding="utf-8")
    return pots, po


def test_an_unchanged_catalogue_is_left_byte_for_byte(tmp_path, capsys):
    pots, po = tree(tmp_path, "First paragraph.")
    before = po.read_bytes()
    assert catalogue_check.update(pots, "xx", tmp_path) == []
    assert po.read_bytes() == before
    assert "updated" not in capsys.readouterr().out


def test_a_changed_message_is_fuzzy_and_named_with_file_and_line(tmp_path, capsys):
    pots, po = tree(tmp_path, "First paragraph, changed.")
    todo = catalogue_check.update(pots, "xx", tmp_path)
    text = po.read_text(encoding="utf-8")
    assert "updated locale/xx/LC_MESSAGES/page.po" in capsys.readouterr().out
    assert text.startswith("# Hand-written header comment") and "2026-01-01 00:00" in text  # header kept
    assert text.index("Second paragraph.") < text.index("First paragraph, changed.")  # its own order kept
    assert '#, fuzzy\n#| msgid "First paragraph."\nmsgid "First paragraph, changed."\nmsgstr "Premier paragraphe."' \
        in text, text  # the old English beside the new, the old translation kept
    line = text.splitlines().index('msgid "First paragraph, changed."') + 1
    assert todo == [f"locale/xx/LC_MESSAGES/page.po:{line}: fuzzy (source ../../page.md:3): "
                    "'First paragraph, changed.'"]
    again = po.read_bytes()
    assert catalogue_check.update(pots, "xx", tmp_path) == todo and po.read_bytes() == again  # stable


def test_a_long_old_message_survives_the_round_trip_and_goes_once_translated(tmp_path):
    """The old English of a long fuzzy message stays one "#|" line (Babel wraps comments at 76 columns by default and
    reads a wrapped "#|" line back as a translator's comment: 705 such stray lines had piled up in the catalogues);
    once the translator clears the fuzzy mark, the next merge drops the old English."""
    long_first = "First paragraph, " + "which goes on and on, " * 8 + "and ends."
    pots, po = tree(tmp_path, long_first)
    po.write_text(PO.replace("First paragraph.", long_first), encoding="utf-8")  # translated as it was
    pots, po = tree(tmp_path, long_first.replace("ends.", "ends at last."))
    catalogue_check.update(pots, "xx", tmp_path)
    text = po.read_text(encoding="utf-8")
    assert f'#| msgid "{long_first}"\n' in text, text  # one line, not wrapped
    assert not [line for line in text.splitlines() if line.startswith("# ") and "Hand-written" not in line], text
    po.write_text(text.replace("#, fuzzy\n", ""), encoding="utf-8")  # the translator's work done
    (pots / "page.pot").write_text((pots / "page.pot").read_text(encoding="utf-8").replace(
        "Second paragraph.", "Second paragraph, edited."), encoding="utf-8")  # another edit: the merge writes again
    catalogue_check.update(pots, "xx", tmp_path)
    text = po.read_text(encoding="utf-8")
    assert text.count("#| msgid") == 1 and '#| msgid "Second paragraph."' in text, text  # only the new fuzzy one's
    assert not [line for line in text.splitlines() if line.startswith("# ") and "Hand-written" not in line], text
