"""Read the package's data files (word lists, unit tables, dictionaries) once.

Every file under ``policy_nlp/data`` starts with ``#`` comment lines that say what it
holds and where it comes from; blank lines and comment lines are skipped here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["data_path", "read_lines", "read_table"]


def data_path(name: str) -> Path:
    """Path of a data file shipped in the package (``policy_nlp/data/NAME``)."""
    return Path(str(resources.files("policy_nlp") / "data" / name))


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-comment, non-blank lines of a data file, stripped."""
    text = data_path(name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file; trailing empty cells are kept as ``""``."""
    text = data_path(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.rstrip("\n").split("\t")))
    return tuple(rows)
