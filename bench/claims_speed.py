"""Claim extraction alone, on one core: MB/s of CPU time, and instructions per pass.

    .venv/bin/python bench/claims_speed.py                   # corpus/, best of 5 passes
    .venv/bin/python bench/claims_speed.py DIR --repeat 9
    .venv/bin/python bench/claims_speed.py --instructions    # + instruction counts (valgrind)

Reads every ``*.txt`` of the folder first (reading is not timed), then runs claim extraction
(``policy_nlp.claims.extract``, as the batch worker calls it: piece by piece, ``pieces``) over
all of them, ``--repeat`` times, and reports the fastest pass in CPU time of this process
(``time.process_time``), so other work on a shared machine weighs less than in wall time. MB
are UTF-8 bytes of the document texts. Two texts of the same words are measured:

- ``lines``: the documents as written, one paragraph a line;
- ``long lines``: each document joined into one line (its line breaks dropped), as text from
  web pages and PDFs comes; the worker cuts such lines into pieces (``pieces.MAX_LINE``), and
  ``long lines, whole`` is the same text given to ``extract`` in one call.

``--instructions`` also counts the instructions of one pass of each (valgrind's callgrind:
a run of two passes minus a run of one, so loading, start-up and the first use of patterns
and word lists cancel out), a figure that does not move with the load of a shared machine. The shipped tense model is loaded
before timing (once per process in real use). Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB_S = 10.0  # issue 16: claims extraction at >= 10 MB/s per core
SETS = ("lines", "long lines", "long lines, whole")


def _documents(folder: str) -> list:
    from policy_nlp.read.document import read_document

    files = sorted(Path(folder).glob("*.txt"))
    if not files:
        raise SystemExit(f"{folder}: no .txt files")
    return [read_document(f) for f in files]


def _texts(docs: list, which: str) -> list[tuple[str, object]]:
    if which == "lines":
        return [(d.text, d) for d in docs]
    return [("".join(d.text.splitlines()), d) for d in docs]


def _one_pass(texts: list[tuple[str, object]], whole: bool) -> int:
    """Claims of every text, as the worker extracts them (piece by piece unless ``whole``)."""
    from policy_nlp.claims import extract
    from policy_nlp.pieces import pieces

    n = 0
    for text, d in texts:
        for start, end in [(0, len(text))] if whole else pieces(text):
            part = text if (start, end) == (0, len(text)) else text[start:end]
            n += len(
                extract(part, doc_id=d.doc_id, year=d.year, doc_type=d.doc_type, title=d.title)
            )
    return n


def _run(folder: str, which: str, passes: int) -> tuple[float, float, int]:
    """(MB, fastest pass in CPU seconds, claims) of ``passes`` passes over one set."""
    from policy_nlp.claims.tense import default_classifier

    texts = _texts(_documents(folder), which)
    mb = sum(len(t.encode("utf-8")) for t, _ in texts) / 1e6
    default_classifier()
    best, n = float("inf"), 0
    for _ in range(passes):
        t0 = time.process_time()
        n = _one_pass(texts, whole=which.endswith("whole"))
        best = min(best, time.process_time() - t0)
    return mb, best, n


def _instructions(folder: str, which: str, passes: int) -> int:
    """Instructions of this script's run of ``passes`` passes under callgrind."""
    cmd = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, folder, "--only", which, "--repeat", str(passes),
    ]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    m = re.search(r"Collected\s*:\s*(\d+)", out)
    if m is None:
        raise SystemExit(f"no instruction count from valgrind:\n{out[-2000:]}")
    return int(m.group(1))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "corpus"), help="default: corpus/")
    ap.add_argument("--repeat", type=int, default=5, help="passes; the fastest counts (5)")
    ap.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    ap.add_argument("--only", choices=SETS, help=argparse.SUPPRESS)  # a run under valgrind
    a = ap.parse_args(argv)
    if a.only:
        _run(a.folder, a.only, a.repeat)
        return
    if a.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    speeds = {}
    for which in SETS:
        mb, best, n = _run(a.folder, which, max(1, a.repeat))
        speeds[which] = speed = mb / best if best > 0 else float("inf")
        line = (
            f"claims, {which}: {mb:.2f} MB, {n} claims; fastest of {a.repeat} passes "
            f"{best:.3f} s CPU: {speed:.2f} MB/s per core (target >= {TARGET_MB_S:g})"
        )
        if a.instructions:
            per_pass = _instructions(a.folder, which, 2) - _instructions(a.folder, which, 1)
            line += f"; {per_pass / 1e6:,.0f}M instructions a pass, {per_pass / mb / 1e6:,.0f}M/MB"
        print(line, flush=True)
    print(
        f"long lines / lines, CPU per MB: {speeds['lines'] / speeds['long lines']:.2f} "
        f"(cut as the worker cuts them), {speeds['lines'] / speeds['long lines, whole']:.2f} (whole)"
    )


if __name__ == "__main__":
    main()
