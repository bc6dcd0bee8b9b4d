"""`make bench`: measure, report, never fail.

Speed and size budgets live here, not in timed tests, because the machines are shared and noisy. Each figure is
printed with its budget and OK or OVER; the exit status is always 0.

    python scripts/bench.py              # everything, including a full `make test`
    python scripts/bench.py --no-test    # skip the (slow) `make test` timing
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from site_tools import Tab, find_chromium, html_pages, sphinx_build, sphinx_builds  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import lighthouse  # noqa: E402

KB = 1024
LIGHTHOUSE_RUNS = 3  # ../shared/budgets.md: a time (and so a performance score) is judged on the median of three
REPEATS = 3  # noisy timings (incremental rebuild, drawing) are repeated and the median reported
BUDGETS = {
    "plain page": 150 * KB,
    "diagram page": 300 * KB,
    "last diagram drawn (s)": 0.3,
    "both editions built (s)": 20.0,
    "incremental rebuild (s)": 2.0,
    "make test (s)": 300.0,  # ../shared/budgets.md
    "facelab demos (s)": 10.0,
    "make check (s)": 60.0,  # after a one-page edit, once a first build exists
}


def verdict(name: str, value: float) -> str:
    return "OK" if value <= BUDGETS[name] else "OVER"


def line(label: str, value: str, budget: str = "", mark: str = "") -> None:
    print(f"  {label:<44} {value:>12}  {budget:>12}  {mark}")


def measure_builds(out: Path) -> Path:
    print("Builds (fresh output folders)")
    # The calibration build (../shared/budgets.md): the student edition alone, strict, into an empty folder.
    calibration = sphinx_build(ROOT, out / "calibration")
    status = "" if calibration.returncode == 0 else "  (FAILED: run `make html` to see why)"
    line("calibration: student edition alone", f"{calibration.seconds:.1f} s", "", status)
    # Both English editions as `make editions` builds them: side by side, one process (one core) each.
    english = sphinx_builds(ROOT, {out / "student": (), out / "instructor": ("-t", "instructor")})
    for folder, build in english.items():
        status = "" if build.returncode == 0 else "  (FAILED: run `make editions` to see why)"
        line(f"full build, {folder.name} edition (side by side)", f"{build.seconds:.1f} s", "", status)
    both = max(build.seconds for build in english.values())
    line("both editions (make editions)", f"{both:.1f} s", f"<= {BUDGETS['both editions built (s)']:.0f} s",
         verdict("both editions built (s)", both))
    zh = sphinx_builds(ROOT, {out / "zh": ("-D", "language=zh_CN"),
                              out / "instructor-zh": ("-D", "language=zh_CN", "-t", "instructor")})
    for folder, build in zh.items():
        status = "" if build.returncode == 0 else "  (FAILED: run `make html-zh` to see why)"
        line(f"full build, Chinese {'instructor' if 'instructor' in folder.name else 'student'} edition",
             f"{build.seconds:.1f} s", "", status)
    for edition in ("student", "zh"):  # the whole subset, and the slices the pages load from (_ext/i18n/cjk_font.py)
        font = out / edition / "_static" / "whose-face-cjk.woff2"
        slices = sorted((out / edition / "_static" / "whose-face-cjk").glob("*.woff2"))
        if font.is_file() and slices:
            sizes = [f.stat().st_size / KB for f in slices]
            line(f"CJK font, {edition} edition", f"{font.stat().st_size / KB:.0f} KB whole; {len(slices)} slices of "
                 f"{min(sizes):.0f}-{max(sizes):.0f} KB")
    page = ROOT / "docs" / "how-to-use.md"
    runs = []
    # As on a reader's machine, Python keeps its compiled bytecode between builds (some shells turn that off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(REPEATS):
        page.touch()
        runs.append(sphinx_build(ROOT, out / "student", env=env).seconds)
    again = statistics.median(runs)
    line(f"rebuild after touching a page (median of {REPEATS})", f"{again:.1f} s",
         f"<= {BUDGETS['incremental rebuild (s)']:.0f} s", verdict("incremental rebuild (s)", again))
    line("  fastest / slowest", f"{min(runs):.1f} / {max(runs):.1f} s")
    return out / "student"


# When each diagram is first painted: the page's own parser inserts the inline SVG, and the frame after that shows
# it (a rendering opportunity comes only once the stylesheets that block rendering have loaded). The callback of
# requestAnimationFrame runs just before that frame is painted, a task queued from it just after.
PAINTED = """(() => {
  window.__wfDiagramPainted = null;
  const seen = new WeakSet();
  new MutationObserver(() => {
    let fresh = false;
    document.querySelectorAll('.mermaid > svg').forEach(svg => { if (!seen.has(svg)) { seen.add(svg); fresh = true; } });
    if (fresh) requestAnimationFrame(() => setTimeout(() => { window.__wfDiagramPainted = performance.now(); }));
  }).observe(document, {childList: true, subtree: true});
})();"""


def load(browser, path: Path) -> tuple[int, float | None, float | None]:
    """Bytes loaded, seconds to the paint that shows the last diagram, and seconds to the load event (both None on
    a page without diagrams), in a fresh tab from file://."""
    with Tab(browser) as tab:
        tab.page.add_init_script(PAINTED)
        visit = tab.open(path.as_uri())
        if visit.page.locator(".mermaid svg").count():
            visit.page.wait_for_function("window.__wfDiagramPainted !== null", timeout=10_000)
        times = visit.page.evaluate(
            "document.querySelector('.mermaid svg') ? [window.__wfDiagramPainted, "
            "performance.getEntriesByType('navigation')[0].loadEventEnd] : null")
    if times is None:
        return visit.bytes_loaded, None, None
    painted, loaded = times
    return visit.bytes_loaded, painted / 1000, loaded / 1000


def measure_pages(site: Path) -> None:
    exe = find_chromium()
    if exe is None:
        print("Pages: skipped, no Chromium found (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    print("Pages opened from file:// (bytes loaded; from navigation start to the paint that shows the last diagram, "
          f"and to the load event, median of {REPEATS} loads)")
    plain, diagram, times, loads = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        for path in html_pages(site):
            loaded, drawn, event = load(browser, path)
            if drawn is not None:  # a noisy figure: the median of REPEATS loads, each in a fresh tab
                again = [load(browser, path) for _ in range(REPEATS - 1)]
                drawn = statistics.median([drawn] + [run[1] for run in again])
                event = statistics.median([event] + [run[2] for run in again])
            rel = str(path.relative_to(site))
            if drawn is None:
                plain.append(loaded)
                line(rel, f"{loaded / KB:.0f} KB", f"<= {BUDGETS['plain page'] / KB:.0f} KB",
                     verdict("plain page", loaded))
            else:
                diagram.append(loaded)
                times.append(drawn)
                loads.append(event)
                line(rel, f"{loaded / KB:.0f} KB, {drawn:.2f} s",
                     f"<= {BUDGETS['diagram page'] / KB:.0f} KB, {BUDGETS['last diagram drawn (s)']} s",
                     ("OVER" if "OVER" in (verdict("diagram page", loaded), verdict("last diagram drawn (s)", drawn))
                      else "OK") + f"  (load event {event:.2f} s)")
        browser.close()
    if plain:
        line("median plain page", f"{statistics.median(plain) / KB:.0f} KB")
    if diagram:
        line("median diagram page", f"{statistics.median(diagram) / KB:.0f} KB")
        line("median / worst time to last diagram", f"{statistics.median(times):.2f} / {max(times):.2f} s")
        line("median / worst time to the load event", f"{statistics.median(loads):.2f} / {max(loads):.2f} s")


def measure_assets(site: Path) -> None:
    print("Assets")
    for rel in ("_static/search-snippets.js", "searchindex.js"):
        path = site / rel
        if path.exists():
            line(rel, f"{path.stat().st_size / KB:.0f} KB")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    line("whole student site", f"{total / KB / KB:.1f} MB")


def measure_demos() -> None:
    print("Teaching code")
    try:
        from facelab import demos
    except ImportError:
        print("  facelab.demos not found")
        return
    start = time.perf_counter()
    demos.run_all()
    seconds = time.perf_counter() - start
    line("all facelab demos", f"{seconds:.1f} s", "<= 10 s", verdict("facelab demos (s)", seconds))


def measure_test() -> None:
    print("Test suite")
    start = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env["PYTEST_ADDOPTS"] = "--durations=10"  # where the time goes: the ten slowest steps
    proc = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    lines = proc.stdout.splitlines()
    summary = [l for l in lines if " passed" in l or " failed" in l or " error" in l]
    tail = summary[-1].strip("= ") if summary else f"exit status {proc.returncode}"
    line("make test (wall time, one run)", f"{seconds:.0f} s", "<= 300 s", verdict("make test (s)", seconds))
    print(f"  result: {tail}")
    slowest = next((i for i, l in enumerate(lines) if "slowest 10 durations" in l), None)
    if slowest is not None:
        print("  the ten slowest steps (two test processes run side by side, so they overlap):")
        for l in lines[slowest + 1:slowest + 11]:
            print(f"    {l}")


def measure_check() -> None:
    """`make check` after a one-sentence edit of one page (the builds it needs exist from a first run), the edit
    then undone: what an author waits for after each change."""
    print("Author's check")
    page = ROOT / "cases" / "masked-photos" / "reported.md"
    original = page.read_text(encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    subprocess.run(["make", "-s", "check"], cwd=ROOT, capture_output=True, text=True, env=env)  # the first builds
    try:
        page.write_text(original.replace("\n\n", "\n\nA sentence the benchmark adds.\n\n", 1), encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run(["make", "-s", "check"], cwd=ROOT, capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - start
    finally:
        page.write_text(original, encoding="utf-8")
    # The added English sentence has no translation, so the check must name it: that is part of what is timed.
    line("make check after a one-page edit", f"{seconds:.0f} s", "<= 60 s", verdict("make check (s)", seconds))
    print(f"  exit status {proc.returncode} (not 0 expected: the new sentence is untranslated)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-test", action="store_true", help="skip timing `make test`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = measure_builds(Path(tmp))
        measure_pages(site)
        measure_assets(site)
        lighthouse.report(site, LIGHTHOUSE_RUNS)
        print("Chinese edition:")
        lighthouse.report(Path(tmp) / "zh", LIGHTHOUSE_RUNS)
    measure_demos()
    measure_check()
    if not args.no_test:
        measure_test()
    return 0


if __name__ == "__main__":
    sys.exit(main())
