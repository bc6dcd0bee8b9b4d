"""facelab's wheel carries its message catalogues compiled: locale/<lang>/LC_MESSAGES/facelab.po of the repository
become facelab/locale/<lang>/LC_MESSAGES/facelab.mo in the package (facelab/i18n.py reads them). Everything else is
in pyproject.toml. The compiler is the few lines below (the .po format as Babel writes it; fuzzy and untranslated
messages left out, as msgfmt does), so building the wheel needs nothing beyond setuptools."""

from __future__ import annotations

import ast
import struct
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def read_po(path: Path) -> dict[str, str]:
    """msgid (with its context, 'ctxt\\x04id') -> msgstr, for the translated messages that are not fuzzy."""
    messages, entry, field, fuzzy = {}, {}, None, False

    def finish():
        nonlocal entry, fuzzy
        if "msgid" in entry and entry.get("msgstr") and not fuzzy:
            key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
            messages[key] = entry["msgstr"]
        entry, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or (line.startswith("#") and not line.startswith("#,")):
            if not line and entry:
                finish()
            continue
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            if field == "msgctxt" and "msgid" in entry:
                finish()
            entry[field] = ast.literal_eval(value)
    return messages


def write_mo(messages: dict[str, str], path: Path) -> None:
    """The GNU .mo format: a header, two tables of (length, offset), then the strings."""
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, id_at, str_at = [], start, start + len(ids)
    for k in keys:
        offsets.append((len(k.encode()), id_at, len(messages[k].encode()), str_at))
        id_at += len(k.encode()) + 1
        str_at += len(messages[k].encode()) + 1
    out = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    out += b"".join(struct.pack("ii", n, o) for n, o, _, _ in offsets)
    out += b"".join(struct.pack("ii", n, o) for _, _, n, o in offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + ids + strs)


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        for po in sorted((HERE / "locale").glob("*/LC_MESSAGES/facelab.po")):
            lang = po.parent.parent.name
            write_mo(read_po(po), Path(self.build_lib) / "facelab" / "locale" / lang / "LC_MESSAGES" / "facelab.mo")


setup(cmdclass={"build_py": BuildWithCatalogues})
