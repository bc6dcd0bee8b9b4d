"""Pack a built student edition into one archive that works offline: `make zip`.

    python scripts/zip.py [SITE] [DIST]        # defaults: _build/html dist

writes DIST/whose-face-<version>-student.zip (English) or DIST/whose-face-<version>-student-zh.zip (Chinese, from a
build with -D language=zh_CN), holding one folder whose-face-<version>-student/ with the edition in en/ or zh/ inside.
Unzipped into the same place, the two archives put en/ and zh/ side by side, the layout the language switcher's
relative links expect (conf.py, "Languages"). Unzipped anywhere, en/index.html (or zh/index.html) opens from file://
with diagrams, search and figures working (tests/test_publish.py and tests/test_zh.py check this).

- The version is read from the build itself (Sphinx's objects.inv header, from conf.py's `version`), so the name
  always matches the pages inside.
- It refuses an instructor build: the archive is for students, and the instructor edition is never handed out.
- It leaves out what a reader never opens: Sphinx's build cache (.doctrees, .buildinfo), the plot directive's
  working copies (the pages use the copies in _images/), the empty _sources/, and the web-host-only files (404.html,
  whose links start at the site root, and sitemap.xml).
- It adds labs/ for running the labs without the repository: the facelab wheel (built with pip from
  pyproject.toml, once per content of the files it is made from: see build_wheel), a requirements.txt that installs
  it with numpy, matplotlib and ipykernel, and a README in the edition's language (its prose from whose-face.po).
  The notebooks and scripts are already in the site's labs/ (written by _ext/teaching/labs.py), so the zip carries
  them too.
- It adds, at the top, README.txt and index.html, which lead to the edition and its labs (every language, each from
  its catalogue).
- Entries are sorted and, when SOURCE_DATE_EPOCH is set, stamped with that time, so the same build gives the same
  archive.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from i18n.translations import catalogue_languages, format_list, script_tr  # noqa: E402

NAME = "whose-face"
# Paths relative to the site, first component or whole path, that the archive leaves out (see the docstring).
LEFT_OUT_DIRS = {".doctrees", "plot_directive", "_sources"}
LEFT_OUT_FILES = {".buildinfo", "404.html", "sitemap.xml"}


def built_version(site: Path) -> str:
    """The version the site was built with, from the header of Sphinx's objects.inv."""
    inventory = site / "objects.inv"
    if not inventory.is_file():
        sys.exit(f"zip: {site} is not a built site (no objects.inv). Run `make html` first.")
    with inventory.open("rb") as f:
        for line in (f.readline() for _ in range(4)):
            if line.startswith(b"# Version:"):
                return line.split(b":", 1)[1].strip().decode()
    sys.exit(f"zip: no version in {inventory}")


def built_language(site: Path) -> str:
    """'zh' for a Chinese build (<html lang="zh-CN"> on its landing page), else 'en'."""
    landing = (site / "index.html").read_text(encoding="utf-8") if (site / "index.html").is_file() else ""
    match = re.search(r'<html[^>]*\blang="([^"]+)"', landing)
    return "zh" if match and match.group(1).lower().startswith("zh") else "en"


# The banner of every instructor page (conf.py, ANNOUNCEMENT), in each language from its catalogue.
ANNOUNCEMENT = "Instructor edition: contains solutions and instructor notes. Do not publish."


def check_student_edition(site: Path) -> None:
    """Stop if the build is the instructor edition (its pages, or its banner, in any language, are present)."""
    landing = (site / "index.html").read_text(encoding="utf-8") if (site / "index.html").is_file() else ""
    banners = {"Instructor edition", *(tr(ANNOUNCEMENT) for _, _, tr in editions())}
    if (site / "docs" / "instructor").exists() or any(banner in landing for banner in banners):
        sys.exit(f"zip: {site} is the instructor edition; only the student edition is packed (`make html`).")


def files_to_pack(site: Path) -> list[Path]:
    """Every file of the site a reader needs, sorted."""
    keep = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_file() and rel.parts[0] not in LEFT_OUT_DIRS and rel.as_posix() not in LEFT_OUT_FILES:
            keep.append(path)
    return keep


LABS_README = """Run the labs of "Whose Face?"

Python 3.11 or newer (on Debian or Ubuntu also the python3-venv package). Open a terminal in this folder (labs/),
create a virtual environment, install, run. Every command uses the environment's own Python, so nothing needs to be
activated and nothing is installed outside this folder.

Linux:
  python3 -m venv .venv
  .venv/bin/python -m pip install -r requirements.txt
  .venv/bin/python landmarks.py

macOS (Terminal):
  python3 -m venv .venv
  .venv/bin/python -m pip install -r requirements.txt
  .venv/bin/python landmarks.py

Windows (PowerShell or Command Prompt):
  py -m venv .venv
  .venv\\Scripts\\python -m pip install -r requirements.txt
  .venv\\Scripts\\python landmarks.py

The other labs run the same way: gatelog.py, templates.py, dataflow-model.py.

Notebooks (*.ipynb): open this folder in VS Code and pick the .venv interpreter, or install Jupyter into the same
environment and start it from there:
  Linux, macOS:  .venv/bin/python -m pip install notebook
                 .venv/bin/python -m jupyter notebook
  Windows:       .venv\\Scripts\\python -m pip install notebook
                 .venv\\Scripts\\python -m jupyter notebook
The site's page docs/run-labs.html says more.
"""


# The archive's top folder: a page and a text that say where to start. The same bytes in every language's archive, so
# unzipping them into one place overwrites each with itself; each names every edition's folder, in its own language:
# English and each language with a catalogue of the code's messages (locale/<lang>/LC_MESSAGES/whose-face.po), each
# language's lines from its catalogue. A new language is a catalogue, not code.
TITLE = "Whose Face?"
README_LINES = [
    "Open {folder}/index.html in a web browser: the English edition, offline (no server, no network).",
    "Labs (Python): {folder}/labs/README.txt says how to run them on Windows, macOS and Linux.",
]
README_BOTH = "Each archive holds one edition ({folders}); unzip both into the same place to have both side by side."
INDEX_EDITION, INDEX_LABS = "English edition", "labs (Python)"
INDEX_BOTH = "Each archive holds one edition; unzip both into one place to have both."
HERE = "scripts/zip.py"


def folder_of(language: str) -> str:
    """The edition's folder: en, zh (zh_CN), as built_language names it and the language switcher expects."""
    return language.split("_")[0].lower()


def catalogue_language(folder: str) -> str:
    """The language of an edition's folder: en, or the catalogue's (zh -> zh_CN)."""
    return next((lang for lang in catalogue_languages() if folder_of(lang) == folder), "en")


def editions() -> list[tuple[str, str, object]]:
    """(language, folder, translate) for English and every language with a catalogue of the code's messages."""
    return [(language, folder_of(language), script_tr(language, HERE))
            for language in ["en", *catalogue_languages()]]


def top_readme() -> str:
    both = editions()
    folders = [f"{folder}/" for _, folder, _ in both]
    lines = [" / ".join(tr(TITLE) for _, _, tr in both), ""]
    for _, folder, tr in both:
        lines += [tr(line, folder=folder) for line in README_LINES] + [""]
    lines += [tr(README_BOTH, folders=format_list(folders, language, style="or")) for language, _, tr in both]
    return "\n".join(lines) + "\n"


def top_index() -> str:
    both = editions()
    attribute = lambda language: "" if language == "en" else f' lang="{language.replace("_", "-")}"'  # noqa: E731
    title = html.escape(" / ".join(tr(TITLE) for _, _, tr in both))
    heading = " ".join(html.escape(tr(TITLE)) if language == "en" else
                       f"<span{attribute(language)}>{html.escape(tr(TITLE))}</span>" for language, _, tr in both)
    items = [f'<li{attribute(language)}><a href="{folder}/index.html">{html.escape(tr(INDEX_EDITION))}</a> · '
             f'<a href="{folder}/labs/README.txt">{html.escape(tr(INDEX_LABS))}</a></li>'
             for language, folder, tr in both]
    both_text = "\n".join(html.escape(tr(INDEX_BOTH)) if language == "en" else
                          f"<span{attribute(language)}>{html.escape(tr(INDEX_BOTH))}</span>"
                          for language, _, tr in both)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width, initial-scale=1\">\n<title>{title}</title></head>\n<body>\n<main>\n"
            f"<h1>{heading}</h1>\n<ul>\n" + "\n".join(items) + f"\n</ul>\n<p>{both_text}</p>\n</main>\n</body>\n</html>\n")


def top_files() -> dict[str, str]:
    return {"README.txt": top_readme(), "index.html": top_index()}


# What labs/ gains in the archive (labs_extras): the wheel (named here as a glob: its version comes from
# pyproject.toml), a requirements file and a README.
WHEEL = "facelab-*.whl"
REQUIREMENTS_TXT, README_TXT = "requirements.txt", "README.txt"


WHEEL_CACHE = ROOT / "_build" / ".wheel"  # one folder per wheel_key(); `make clean` empties it


def wheel_inputs(root: Path = ROOT) -> list[Path]:
    """The files the wheel is made from: pyproject.toml, setup.py, the licence files, facelab/ (compiled files aside)
    and facelab's catalogues (locale/<lang>/LC_MESSAGES/facelab.po, compiled into the wheel by setup.py)."""
    package = sorted(p for p in (root / "facelab").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    catalogues = sorted((root / "locale").glob("*/LC_MESSAGES/facelab.po"))
    setup = [root / "setup.py"] if (root / "setup.py").is_file() else []
    return [root / "pyproject.toml", *setup, *sorted(root.glob("LICENSE*")), *package, *catalogues]


def wheel_key(root: Path = ROOT) -> str:
    """A digest of the names and bytes of wheel_inputs(): any change to the package gives a new key."""
    digest = hashlib.sha256()
    for path in wheel_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build_wheel() -> Path:
    """The facelab wheel, built by pip from pyproject.toml (setuptools, as any `pip install .` would) and kept in
    _build/.wheel/<wheel_key()>/: built once per content of its inputs, not once per archive. `make zip` packs two
    archives, and a wheel build costs ~4 s of CPU (pip starts setuptools three times), so both take the same file.
    A concurrent build of the same key (two archives packed at once) is made aside and the first one kept."""
    cached = WHEEL_CACHE / wheel_key()
    if not any(cached.glob(WHEEL)):
        part = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        shutil.rmtree(part, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(part), str(ROOT)],
            check=True,
        )
        try:
            part.rename(cached)
        except OSError:  # the other build finished first: its wheel is the same
            shutil.rmtree(part, ignore_errors=True)
    return next(cached.glob(WHEEL))


def _readme_runs(readme: str = LABS_README) -> list[tuple[bool, str]]:
    """The labs' README as runs of lines: (True, prose and headings: the lines that are not indented, line breaks
    kept) or (False, a command line or a blank one: the same in every language)."""
    runs: list[tuple[bool, str]] = []
    for line in readme.splitlines():
        prose = bool(line.strip()) and not line.startswith(" ")
        if prose and runs and runs[-1][0]:
            runs[-1] = (True, runs[-1][1] + "\n" + line)
        else:
            runs.append((prose, line))
    return runs


def readme_messages() -> list[str]:
    """The messages of the labs' README (whose-face.po)."""
    return [text for prose, text in _readme_runs() if prose]


def labs_readme(language: str = "en") -> str:
    """The labs' README.txt in ``language``: its prose from the catalogue (whose-face.po), its commands as they are."""
    tr = script_tr(language, HERE)
    return "\n".join(tr(text) if prose else text for prose, text in _readme_runs()) + "\n"


def labs_extras(language: str = "en") -> dict[str, bytes]:
    """{name in labs/: content} for the wheel, requirements.txt and README.txt (in the edition's language)."""
    wheel = build_wheel()
    requirements = f"./{wheel.name}\nipykernel  # runs the notebooks in Jupyter or VS Code\n"
    return {wheel.name: wheel.read_bytes(), REQUIREMENTS_TXT: requirements.encode(),
            README_TXT: labs_readme(language).encode()}


def make_zip(site: Path, dist: Path) -> Path:
    """Write dist/whose-face-<version>-student[-zh].zip from the built student edition in ``site``; return its path."""
    site, dist = Path(site), Path(dist)
    version = built_version(site)
    check_student_edition(site)
    language = built_language(site)
    top = f"{NAME}-{version}-student"
    folder = f"{top}/{language}"  # en/ and zh/ side by side once both archives are unzipped in one place
    dist.mkdir(parents=True, exist_ok=True)
    archive = dist / (f"{top}.zip" if language == "en" else f"{top}-{language}.zip")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    # ZIP timestamps cannot be earlier than 1980.
    fixed = time.gmtime(max(int(epoch), 315532800))[:6] if epoch else None
    tmp = archive.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files_to_pack(site):
            info = zipfile.ZipInfo(
                f"{folder}/{path.relative_to(site).as_posix()}",
                date_time=fixed or time.localtime(max(path.stat().st_mtime, 315532800))[:6],
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
        for name, text in sorted(top_files().items()):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=fixed or time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode())
        for name, data in sorted(labs_extras(catalogue_language(language)).items()):
            info = zipfile.ZipInfo(f"{folder}/labs/{name}", date_time=fixed or time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(archive)
    return archive


def main(argv: list[str]) -> None:
    site = Path(argv[0]) if argv else ROOT / "_build" / "html"
    dist = Path(argv[1]) if len(argv) > 1 else ROOT / "dist"
    archive = make_zip(site, dist)
    size = archive.stat().st_size / 1e6
    language = built_language(site)
    print(f"zip: wrote {archive} ({size:.1f} MB). Unzip it anywhere and open {NAME}-{built_version(site)}-student/"
          f"{language}/index.html.")


if __name__ == "__main__":
    main(sys.argv[1:])
