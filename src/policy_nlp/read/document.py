"""Read policy documents from disk into ``Document`` records, with header metadata.

Formats: ``.txt``/``.md`` (UTF-8 with or without BOM, UTF-16 with a BOM or without one,
GB18030/GBK), ``.html``/``.htm`` (the main text only, one line per paragraph), ``.docx`` and
``.pdf`` with a text layer. The text kept is the text every offset in the tables refers to:
the file decoded, a BOM dropped, newlines untouched (for HTML, DOCX and PDF: the text
extracted, one paragraph per line).

A file that cannot be read raises ``DocumentError`` whose message names the file and says
why in words a person can act on (``not a valid Word file (zip archive is corrupt)``,
``PDF has no text layer (a scan?); run OCR first``); an empty one has ``status='empty'``.

Metadata comes from the document's own header: the title (first line), the date
(``——2019年3月5日在…会议上``, ``（2018年1月2日）``, ``二〇二六年一月二十七日``, or the
date under the issuer's name at the end of a 通知), the year (from that date, else the
title, else a document number such as ``〔2021〕``), the issuer and a coarse document type.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policy_nlp.read.decode import decode_bytes, text_sha256
from policy_nlp.read.discover import SUFFIXES, assign_doc_ids, find_inputs
from policy_nlp.read.docx import read_docx
from policy_nlp.read.extracted import DocumentError, Extracted
from policy_nlp.read.html import read_html
from policy_nlp.read.metadata import header_metadata, issuer_name, read_date
from policy_nlp.read.pdf import read_pdf

__all__ = [
    "SUFFIXES",
    "Document",
    "DocumentError",
    "assign_doc_ids",
    "failed_document",
    "find_inputs",
    "iter_documents",
    "read_document",
    "with_text",
]

# Formats people have but this tool does not read, with what to do about them.
_OTHER_FORMATS = {
    ".doc": "an old Word 97-2003 file; open it in Word or WPS and save it as .docx",
    ".wps": "a WPS Writer file; save it as .docx",
    ".rtf": "an RTF file; save it as .docx",
    ".odt": "an OpenDocument file; save it as .docx",
    ".xls": "a spreadsheet, not a document",
    ".xlsx": "a spreadsheet, not a document",
    ".jpg": "an image; run OCR first and save the text",
    ".jpeg": "an image; run OCR first and save the text",
    ".png": "an image; run OCR first and save the text",
    ".tif": "an image; run OCR first and save the text",
    ".tiff": "an image; run OCR first and save the text",
}


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: its text and what its header says about it."""

    doc_id: str
    path: str
    text: str
    title: str = ""
    year: int | None = None
    date: str = ""  # ISO yyyy-mm-dd (or yyyy-mm) when the document gives its date
    issuer: str = ""
    doc_type: str = ""  # gov_work_report, plan, policy, party_report, article
    encoding: str = ""  # utf-8, utf-8-sig, utf-16-le/be, gb18030; docx or pdf for those
    sha256: str = ""  # of the text (UTF-8), so the same text in any encoding or format matches
    status: str = "ok"  # ok, empty, error
    error: str = ""
    extra: dict = field(default_factory=dict, compare=False, repr=False)


def _text_file(data: bytes, path: Path) -> Extracted:
    try:
        text, enc = decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from None
    return Extracted(text, enc)


def _check_file(p: Path) -> None:
    """Raise ``DocumentError`` unless ``p`` is a regular file this process may open."""
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise DocumentError(
                p, f"broken link: it points to {os.readlink(p)}, which does not exist"
            ) from None
        raise DocumentError(p, "file not found") from None
    except PermissionError:
        raise DocumentError(
            p, "permission denied: cannot open the folder it is in (check its permissions)"
        ) from None
    except OSError as exc:
        raise DocumentError(p, f"cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        if not os.access(p, os.R_OK | os.X_OK):
            raise DocumentError(
                p, "permission denied: cannot open this folder, so its documents were not read"
            )
        raise DocumentError(p, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(p, "not a regular file (a pipe, socket or device); copy it to a file")


def _read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except PermissionError:
        raise DocumentError(
            p, "permission denied: this user may not read the file (check its permissions)"
        ) from None
    except IsADirectoryError:
        raise DocumentError(p, "is a folder, not a file") from None
    except OSError as exc:
        raise DocumentError(p, f"cannot read the file ({exc.strerror or exc})") from None


def read_document(path: str | Path, *, doc_id: str | None = None) -> Document:
    """Read one file into a ``Document``; raises ``DocumentError`` saying why it cannot.

    An empty file (or one with no text) raises ``DocumentError`` with ``status='empty'``.
    """
    p = Path(path)
    doc_id = doc_id or p.stem
    _check_file(p)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        hint = _OTHER_FORMATS.get(suffix)
        raise DocumentError(
            p,
            f"unsupported file type {suffix or '(none)'}"
            + (f" ({hint})" if hint else f"; this tool reads {', '.join(SUFFIXES)}"),
        )
    data = _read_bytes(p)
    if not data or data.isspace():
        raise DocumentError(p, "file is empty", status="empty")
    if suffix in (".txt", ".md"):
        got = _text_file(data, p)
    elif suffix in (".html", ".htm"):
        got = read_html(data, p)
    elif suffix == ".docx":
        got = read_docx(data, p)
    else:
        got = read_pdf(data, p)
    del data
    text = got.text
    if not text or text.isspace():
        raise DocumentError(p, "no text in the file", status="empty")
    meta = header_metadata(text)
    if got.title and not meta["title"]:
        meta["title"] = got.title
    if got.meta.get("issuer") and not meta["issuer"]:
        meta["issuer"] = issuer_name(got.meta["issuer"])
    if got.meta.get("dateline") and not meta["date"]:
        found = read_date(got.meta["dateline"])
        if found:
            meta["date"], meta["year"] = found
    return Document(
        doc_id=doc_id,
        path=str(p),
        text=text,
        encoding=got.encoding,
        sha256=text_sha256(text),
        **meta,
    )


def failed_document(path: str | Path, doc_id: str, error: DocumentError) -> Document:
    """The record a batch keeps for a file it could not read."""
    return Document(doc_id=doc_id, path=str(path), text="", status=error.status, error=error.reason)


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Document]:
    """Every input under ``paths`` as a ``Document``; unreadable files give failed records."""
    files = find_inputs(paths)
    for f, doc_id in zip(files, assign_doc_ids(files), strict=True):
        try:
            yield read_document(f, doc_id=doc_id)
        except DocumentError as exc:
            yield failed_document(f, doc_id, exc)


def with_text(doc: Document, text: str) -> Document:
    """A copy of ``doc`` with other text (tests and callers that build documents in memory)."""
    return replace(doc, text=text, sha256=text_sha256(text))
