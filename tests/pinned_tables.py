"""Pinned output tables: what `policy-nlp run` writes over corpus/, the dev gold documents and
a small multi-year series (tests/data/series).

A refactor must leave these tables byte-identical; a change that means to move them updates the
pins on purpose (`python tests/pinned_tables.py --update`) and says so in its commit message.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "tests" / "data" / "pinned" / "tables.json"
INPUTS = {
    "corpus": "corpus",
    "gold": "tests/data/gold/docs",
    "series": "tests/data/series/docs",  # a multi-year series: tracking and the panel
}


def table_hashes() -> dict[str, str]:
    """sha256 of every CSV table of a run over each pinned input, keyed `input/table.csv`."""
    from policy_nlp.cli import main

    hashes: dict[str, str] = {}
    cwd = Path.cwd()
    os.chdir(ROOT)  # documents.csv keeps the paths as given: relative to the repository
    try:
        for name, path in INPUTS.items():
            with tempfile.TemporaryDirectory() as out:
                status = main(["run", path, "--out", out, "--quiet", "--jobs", "2"])
                if status != 0:
                    raise RuntimeError(f"run over {path} exited with {status}")
                for table in sorted(Path(out).glob("*.csv")):
                    digest = hashlib.sha256(table.read_bytes()).hexdigest()
                    hashes[f"{name}/{table.name}"] = digest
    finally:
        os.chdir(cwd)
    return hashes


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/pinned_tables.py --update")
    PINS.write_text(json.dumps(table_hashes(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {PINS.relative_to(ROOT)}")
