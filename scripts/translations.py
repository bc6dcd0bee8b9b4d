"""The translators' commands (the work is done by _ext/i18n/catalogue_check.py, which the builds use too).

    python scripts/translations.py facelab-pot DIR     # write DIR/facelab.pot: the labels facelab draws
    python scripts/translations.py update DIR LANG     # merge DIR/**.pot into locale/LANG; name what needs translating
    python scripts/translations.py check [LANG]        # name facelab's labels that LANG's catalogue lacks (exit 1)
    python scripts/translations.py pseudo DIR          # write DIR/qps: the pseudo-locale (_ext/i18n/pseudo.py)
    python scripts/translations.py english SITE        # name the English a pseudo-locale build shows (exit 1)

`make gettext` runs the first two; TRANSLATING.md says what to do with the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]

from i18n import catalogue_check, pseudo  # noqa: E402


def main(argv: list[str]) -> int:
    command, *args = argv or ["check"]
    if command == "facelab-pot" and len(args) == 1:
        catalogue_check.facelab_pot(Path(args[0]))
        return 0
    if command == "update" and len(args) == 2:
        todo = catalogue_check.update(Path(args[0]), args[1])
        if todo:
            print(f"{len(todo)} messages to translate (TRANSLATING.md says how):")
            print("\n".join(f"  {line}" for line in todo))
        else:
            print("every message is translated")
        return 0
    if command == "pseudo" and len(args) == 1:
        print(f"wrote {pseudo.write_catalogues(Path(args[0]))}")
        return 0
    if command == "english" and len(args) == 1:
        problems, _ = pseudo.site_problems(Path(args[0]))
        print("\n".join(problems) or "no English outside the markers (TRANSLATING.md, 'The pseudo-locale')")
        return 1 if problems else 0
    if command == "check" and len(args) <= 1:
        problems = catalogue_check.check_facelab(args[0] if args else "zh_CN")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
