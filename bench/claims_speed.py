"""Claim extraction alone, on one core: MB/s of CPU time (issue 3 asks for >= 5 MB/s).

    .venv/bin/python bench/claims_speed.py                 # corpus/, best of 5
    .venv/bin/python bench/claims_speed.py DIR --repeat 9

Reads every ``*.txt`` of the folder first (reading is not timed), then runs
``policy_nlp.claims.extractor.extract`` over all of them, ``--repeat`` times, and reports the fastest pass
in CPU time of this process (``time.process_time``), so other work on a shared machine weighs
less than in wall time. MB are UTF-8 bytes of the document texts. The shipped tense model is
loaded before timing (once per process in real use). Nothing is asserted; the figure is printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB_S = 5.0


def main(argv: list[str] | None = None) -> None:
    from policy_nlp.claims.extractor import extract
    from policy_nlp.claims.tense import default_classifier
    from policy_nlp.read.document import read_document

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "corpus"), help="default: corpus/")
    ap.add_argument("--repeat", type=int, default=5, help="passes; the fastest counts (5)")
    a = ap.parse_args(argv)
    files = sorted(Path(a.folder).glob("*.txt"))
    if not files:
        raise SystemExit(f"{a.folder}: no .txt files")
    docs = [read_document(f) for f in files]
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    default_classifier()
    best, n = float("inf"), 0
    for _ in range(max(1, a.repeat)):
        t0 = time.process_time()
        n = 0
        for d in docs:
            n += len(
                extract(d.text, doc_id=d.doc_id, year=d.year, doc_type=d.doc_type, title=d.title)
            )
        best = min(best, time.process_time() - t0)
    speed = mb / best if best > 0 else float("inf")
    print(
        f"claims: {len(docs)} documents, {mb:.2f} MB, {n} claims; fastest of {a.repeat} passes "
        f"{best:.3f} s CPU: {speed:.2f} MB/s (target >= {TARGET_MB_S:g} MB/s on one core)"
    )


if __name__ == "__main__":
    main()
