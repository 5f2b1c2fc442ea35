"""Find the input files under the paths given and give each a unique doc_id.

Folders are searched recursively; hidden files and Word's ``~$`` lock files are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SUFFIXES", "assign_doc_ids", "find_inputs"]

# The file types read (read.document has a reader for each).
SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def _is_hidden(name: str) -> bool:
    """Dot files, and the ``~$name.docx`` owner files Word leaves next to an open document."""
    return name.startswith((".", "~$"))


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files to process: given paths as they are, folders searched recursively.

    In a folder, every entry whose name ends in one of ``SUFFIXES`` is an input, whatever it
    is: a broken link, a folder called ``x.txt`` or an unreadable file then gets a row that
    says why it could not be read instead of vanishing. Other folders are searched (links to
    folders too, each real folder once). Hidden files and Word's ``~$`` lock files are
    skipped. Order is deterministic (sorted by path); a file reached twice is read once.
    """
    seen: set[str] = set()
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        found = _walk(p, set()) if p.is_dir() else [p]
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _walk(folder: Path, visited: set[tuple[int, int]]) -> list[Path]:
    """Inputs under ``folder`` in name order; ``visited`` holds (device, inode) of the
    folders already searched, so a link back up the tree is not followed twice."""
    try:
        st = folder.stat()
    except OSError:
        return []
    if (st.st_dev, st.st_ino) in visited:  # a link back up the tree
        return []
    visited.add((st.st_dev, st.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:  # reported as a failed input rather than skipped in silence
        return [folder]
    except OSError:
        return []
    found: list[Path] = []
    for entry in entries:
        if _is_hidden(entry.name):
            continue
        path = Path(entry.path)
        if Path(entry.name).suffix.lower() in SUFFIXES:
            found.append(path)
        elif entry.is_dir():  # follows links to folders; `visited` stops loops
            found.extend(_walk(path, visited))
    return found


def assign_doc_ids(files: Iterable[Path], taken: Iterable[str] = ()) -> list[str]:
    """doc_id per file: the file name without extension, made unique with ``-2``, ``-3`` …

    ``taken`` holds ids already in use (the tables ``--append`` adds to).
    """
    used = set(taken)
    ids = []
    for f in files:
        base = Path(f).stem or "document"
        doc_id, n = base, 1
        while doc_id in used:
            n += 1
            doc_id = f"{base}-{n}"
        used.add(doc_id)
        ids.append(doc_id)
    return ids
