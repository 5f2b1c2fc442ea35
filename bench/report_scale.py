"""Report size and render time at N documents (default 200), in headless Chromium.

    python bench/report_scale.py [--docs 200] [--keep DIR]

Makes N distinct documents from corpus/*.txt (copy k of a file gets a marker character after
every 。, so no sentence repeats across copies and the page cannot shrink by sharing them),
runs the pipeline, writes report.html, and prints its size and the time headless Chromium
takes to load it and run its script (``--dump-dom``, which returns after the load event),
minus the time it takes for an empty page (the browser's own start). It also checks that the
page's script ran and drew the first page of the claims table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking"]  # fmt: skip


def _documents(folder: Path, n: int) -> None:
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    for i in range(n):
        src, copy = sources[i % len(sources)], i // len(sources)
        text = src.read_text(encoding="utf-8")
        if copy:
            text = text.replace("。", "。" + MARKS[copy % len(MARKS)] * (1 + copy // len(MARKS)))
        (folder / f"{src.stem}-{copy}.txt").write_text(text, encoding="utf-8")


def _dump(exe: str, url: str, profile: Path) -> tuple[float, str]:
    start = time.perf_counter()
    got = subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return time.perf_counter() - start, got.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--keep", help="folder to keep the documents and tables in")
    args = parser.parse_args()
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 1
    work = Path(args.keep or tempfile.mkdtemp(prefix="report-scale-"))
    docs, out = work / "docs", work / "out"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    docs.mkdir(parents=True)
    _documents(docs, args.docs)
    from policy_nlp.batch import write_tables
    from policy_nlp.report.page import write_report

    summary = write_tables([docs], out)
    start = time.perf_counter()
    page = write_report(out)
    written = time.perf_counter() - start
    empty = work / "empty.html"
    empty.write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
    base, _ = _dump(exe, empty.as_uri(), work / "profile")
    took, dom = _dump(exe, page.as_uri(), work / "profile")
    drawn = dom.split('id="claims-table"', 1)[-1].split("</tbody>", 1)[0].count("<tr>") - 1
    print(f"documents {len(summary.documents)}, claims {summary.claims:,}")
    print(f"report.html {page.stat().st_size / 1e6:.2f} MB, written in {written:.1f} s")
    print(
        f"Chromium: load and script {took - base:.1f} s (total {took:.1f} s, of which "
        f"{base:.1f} s starting the browser on an empty page)"
    )
    ready = 'data-report-ready="1"' in dom
    print(f"script ran: {ready}; claims rows drawn on the first page: {drawn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
