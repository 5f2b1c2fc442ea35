"""Find the input files under the paths given and give each a unique doc_id.

Folders are searched recursively; hidden files and Word's ``~$`` lock files are skipped.
A link inside a searched folder that leads outside every folder given is not followed
(unless asked): a link to a system file must not become a document. The output folder of the
run (``exclude``) is never searched, so tables and reports it wrote are not read back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "OTHER_FORMATS",
    "SUFFIXES",
    "TOOL_OUTPUTS",
    "assign_doc_ids",
    "discover",
    "display_path",
    "find_inputs",
    "real_path",
]

# The file types read (read.document has a reader for each; .doc, .wps and .rtf through
# LibreOffice, read.office).
SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps", ".rtf")
# Formats people have but this tool does not read, with what to do about them.
OTHER_FORMATS = {
    ".odt": "an OpenDocument file; save it as .docx",
    ".xls": "a spreadsheet, not a document",
    ".xlsx": "a spreadsheet, not a document",
    ".csv": "a table, not a document",
    ".jpg": "an image; run OCR first and save the text",
    ".jpeg": "an image; run OCR first and save the text",
    ".png": "an image; run OCR first and save the text",
    ".tif": "an image; run OCR first and save the text",
    ".tiff": "an image; run OCR first and save the text",
}


def skip_reason(name: str) -> str:
    """Why a file found in a searched folder is not read (its type is not one of SUFFIXES)."""
    suffix = Path(name).suffix.lower()
    hint = OTHER_FORMATS.get(suffix)
    kind = f"{suffix} files" if suffix else "files without an extension"
    return f"not read: {kind} are not a document type this tool reads" + (
        f" ({hint})" if hint else f" ({', '.join(SUFFIXES)})"
    )


# What a run or a report writes into its output folder that has one of SUFFIXES.
TOOL_OUTPUTS = ("report.html",)


def _is_hidden(name: str) -> bool:
    """Dot files, and the ``~$name.docx`` owner files Word leaves next to an open document."""
    return name.startswith((".", "~$"))


def find_inputs(
    paths: Iterable[str | Path],
    *,
    exclude: Iterable[str | Path] = (),
    follow_links: bool = False,
) -> list[Path]:
    """Files to process (``discover`` without the refused links)."""
    return discover(paths, exclude=exclude, follow_links=follow_links)[0]


def discover(
    paths: Iterable[str | Path],
    *,
    exclude: Iterable[str | Path] = (),
    follow_links: bool = False,
    skipped: dict[str, str] | None = None,
) -> tuple[list[Path], dict[str, str]]:
    """Files to process, given paths as they are, folders searched recursively; and the links
    not followed, path -> reason (they are inputs that failed, for the documents table).

    In a folder, every entry whose name ends in one of ``SUFFIXES`` is an input, whatever it
    is: a broken link, a folder called ``x.txt`` or an unreadable file then gets a row that
    says why it could not be read instead of vanishing. Other folders are searched (links to
    folders too, each real folder once). A link that leads outside every folder in ``paths``
    is refused unless ``follow_links``. Folders in ``exclude`` (the output folder) are not
    searched, nor are the files a run writes (``TOOL_OUTPUTS``) in them. Hidden files and
    Word's ``~$`` lock files are skipped. Order is deterministic (sorted by path); a file
    reached twice is read once.

    Given a ``skipped`` dict, the other files found in searched folders (a spreadsheet, an
    image …) are listed too, in the files and in ``skipped`` (path -> why it is not read), so
    the documents table can say so instead of leaving them out in silence.
    """
    paths = list(paths)
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    walk = _Walk(roots, {os.path.realpath(e) for e in exclude}, follow_links)
    walk.skipped = skipped
    seen: set[str] = set()
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        found = walk.folder(p) if p.is_dir() else [p]
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out, walk.refused


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class _Walk:
    """One search: the folders given (``roots``), the folders not to search, what was seen."""

    def __init__(self, roots: list[str], exclude: set[str], follow_links: bool) -> None:
        self.roots, self.exclude, self.follow_links = roots, exclude, follow_links
        self.visited: set[tuple[int, int]] = set()
        self.refused: dict[str, str] = {}
        self.skipped: dict[str, str] | None = None  # given: other files are listed here

    def _outside(self, path: Path) -> str:
        """Why the link ``path`` is not followed ("" when it may be)."""
        if self.follow_links:
            return ""
        target = os.path.realpath(path)
        if _inside(target, self.roots):
            return ""
        return (
            f"a link to {target}, outside the folders given; not read (give that file "
            "itself, or --follow-links)"
        )

    def folder(self, folder: Path) -> list[Path]:
        """Inputs under ``folder`` in name order; ``visited`` holds (device, inode) of the
        folders already searched, so a link back up the tree is not followed twice."""
        try:
            st = folder.stat()
        except OSError:
            return []
        if (st.st_dev, st.st_ino) in self.visited:  # a link back up the tree
            return []
        self.visited.add((st.st_dev, st.st_ino))
        is_output = os.path.realpath(folder) in self.exclude
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except PermissionError:  # reported as a failed input rather than skipped in silence
            return [folder]
        except OSError:
            return []
        found: list[Path] = []
        for entry in entries:
            if _is_hidden(entry.name) or (is_output and entry.name in TOOL_OUTPUTS):
                continue
            path = Path(entry.path)
            link = entry.is_symlink()
            if Path(entry.name).suffix.lower() in SUFFIXES:
                why = self._outside(path) if link and os.path.exists(path) else ""
                if why:
                    self.refused[str(path)] = why
                found.append(path)
            elif (
                entry.is_dir()
            ):  # follows links to folders inside the inputs; `visited` stops loops
                if os.path.realpath(path) in self.exclude:
                    continue
                if link and self._outside(path):
                    continue
                found.extend(self.folder(path))
            elif self.skipped is not None and not (link and self._outside(path)):
                self.skipped[str(path)] = skip_reason(entry.name)
                found.append(path)
        return found


def assign_doc_ids(files: Iterable[Path], taken: Iterable[str] = ()) -> list[str]:
    """doc_id per file: the file name without extension, made unique with ``-2``, ``-3`` …

    ``taken`` holds ids already in use (the tables ``--append`` adds to).
    """
    used = set(taken)
    ids = []
    for f in files:
        base = _readable_name(Path(f).stem) or "document"
        doc_id, n = base, 1
        while doc_id in used:
            n += 1
            doc_id = f"{base}-{n}"
        used.add(doc_id)
        ids.append(doc_id)
    return ids


# ----------------------------------------------------------------------------- file names
# A name that is not UTF-8 (a GBK name from a Chinese Windows archive) reaches Python with
# surrogate escapes, which no UTF-8 table can hold. Its path is written with the bytes that are
# not UTF-8 as \\xNN escapes (``display_path``), which ``real_path`` turns back into the file's
# name; its doc_id is the name read as GB18030 when it is that (readable), else escaped too.


def display_path(path: str | Path) -> str:
    """``path`` as a table holds it: itself when it is valid UTF-8, else with each byte that
    is not as a ``\\xNN`` escape (``real_path`` reverses it)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def real_path(cell: str) -> str:
    """The file a table's path cell names: the cell itself, or with its ``\\xNN`` escapes
    turned back into bytes when only that names an existing file."""
    if "\\x" not in cell or os.path.lexists(cell):
        return cell
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), cell.encode("utf-8"))
    name = os.fsdecode(raw)
    return name if os.path.lexists(name) else cell


def _readable_name(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace")
    return name
