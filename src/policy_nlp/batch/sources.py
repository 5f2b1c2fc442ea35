"""Where each document of a folder of tables came from, as an absolute path.

``documents.csv`` keeps each path as it was given (``corpus/x.txt``), so that the same command
gives the same tables on any machine. ``--append`` must find those files again wherever it is
run from: beside the tables, a small JSON file (``.policy-nlp-sources.json``, not a table)
maps each doc_id to the absolute path it was read from, written with the tables and merged on
every append.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from policy_nlp.atomic import atomic_write

__all__ = ["SOURCES_FILE", "read_sources", "write_sources"]

SOURCES_FILE = ".policy-nlp-sources.json"


def read_sources(out: str | Path) -> dict[str, str]:
    """doc_id -> absolute path of the documents in ``out`` (empty when the file is missing or
    unreadable: the paths in documents.csv are then the only guide)."""
    try:
        data = json.loads((Path(out) / SOURCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_sources(out: str | Path, rows: Iterable[tuple[str, str]]) -> None:
    """Record (doc_id, path as given) of this run, absolute from the working folder, merged
    with what ``out`` recorded before."""
    known = read_sources(out)
    for doc_id, path in rows:
        if path:
            known[str(doc_id)] = os.path.abspath(path)
    with atomic_write(Path(out) / SOURCES_FILE, "w", encoding="utf-8") as f:
        json.dump(dict(sorted(known.items())), f, ensure_ascii=False, indent=0)
