"""Read one file into a ``Document``: check the file, choose the reader, read the header.

Formats: ``.txt``/``.md`` (``decode``), ``.html``/``.htm`` (``html``), ``.docx`` (``docx``),
``.pdf`` with a text layer (``pdf``), and ``.doc``/``.wps``/``.rtf`` through LibreOffice
(``office``). The text kept is the text every offset in the
tables refers to: the file decoded, a BOM dropped, newlines untouched (for HTML, DOCX and
PDF: the text extracted, one paragraph per line). Title, date, year, issuer and doc_type
come from the text's header (``metadata``), gaps filled from what the file states outside
its text (an HTML ``<title>``, a page's 发文机关 and 成文日期, DOCX/PDF properties).

A file that cannot be read raises ``DocumentError`` whose message names the file and says
why in words a person can act on (``not a valid Word file (zip archive is corrupt)``,
``PDF has no text layer (a scan?); run OCR first``); an empty one has ``status='empty'``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policy_nlp.read.decode import decode_text_file, text_sha256
from policy_nlp.read.discover import OTHER_FORMATS, SUFFIXES, assign_doc_ids, find_inputs
from policy_nlp.read.docx import read_docx
from policy_nlp.read.extracted import DocumentError, Extracted
from policy_nlp.read.html import read_html
from policy_nlp.read.limits import DEFAULT_LIMITS, TEXT_SUFFIXES, Limits
from policy_nlp.read.metadata import Header, header_metadata
from policy_nlp.read.office import CONVERTED, read_office
from policy_nlp.read.pdf import read_pdf
from policy_nlp.read.stream import TextStream

__all__ = [
    "SUFFIXES",
    "Document",
    "DocumentError",
    "assign_doc_ids",
    "failed_document",
    "find_inputs",
    "in_pieces",
    "iter_documents",
    "open_text_stream",
    "read_document",
    "with_text",
]


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
    doc_type: str = ""  # one of schema.DOC_TYPES
    year_source: str = ""  # how ``year`` was found (read.metadata.Header.year_source)
    doc_type_source: str = ""  # how ``doc_type`` was found
    encoding: str = ""  # utf-8, utf-8-sig, utf-16-le/be, gb18030; docx or pdf for those
    sha256: str = ""  # of the text (UTF-8), so the same text in any encoding or format matches
    status: str = "ok"  # ok, empty, error
    error: str = ""
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_header(
        cls, doc_id: str, path: str, text: str, header: Header, **fields: str
    ) -> Document:
        """A document whose metadata is ``header``'s (``fields``: encoding, sha256 …)."""
        return cls(
            doc_id=doc_id,
            path=path,
            text=text,
            title=header.title,
            year=header.year,
            date=header.date,
            issuer=header.issuer,
            doc_type=header.doc_type,
            year_source=header.year_source,
            doc_type_source=header.doc_type_source,
            **fields,
        )


def _text_file(data: bytes, path: Path) -> Extracted:
    """A plain-text file (.txt, .md) decoded; raises ``DocumentError`` for binary data."""
    try:
        text, enc, digest = decode_text_file(data)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from None
    return Extracted(text, enc, sha256=digest)


def _check_file(p: Path, limits: Limits = DEFAULT_LIMITS, *, pieces: bool = False) -> None:
    """Raise ``DocumentError`` unless ``p`` is a regular file this process may open, within
    ``limits.max_file_mb`` (``max_text_mb`` for a text read in ``pieces``)."""
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
    cap, option = (
        (limits.max_text_mb, "--max-text-mb") if pieces else (limits.max_file_mb, "--max-file-mb")
    )
    if cap and st.st_size > cap * 2**20:
        raise DocumentError(
            p,
            f"file is {st.st_size / 2**20:,.0f} MB, over the limit of {cap} MB "
            f"per document (split it, or raise {option})",
        )


# The reader of each suffix in SUFFIXES: (bytes, path) -> Extracted, or DocumentError.
_READERS: dict[str, Callable[[bytes, Path], Extracted]] = {
    ".txt": _text_file,
    ".md": _text_file,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    **dict.fromkeys(CONVERTED, read_office),  # .doc, .wps, .rtf: LibreOffice, then .docx
}


def _read_bytes(p: Path) -> bytes:
    """The file's bytes; raises ``DocumentError`` saying why they cannot be read."""
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


def read_document(
    path: str | Path, *, doc_id: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Read one file into a ``Document``; raises ``DocumentError`` saying why it cannot.

    An empty file (or one with no text) raises ``DocumentError`` with ``status='empty'``; a
    file over one of ``limits`` (size, what a Word file unpacks to) says which.
    """
    p = Path(path)
    doc_id = doc_id or p.stem
    _check_file(p, limits)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        hint = OTHER_FORMATS.get(suffix)
        raise DocumentError(
            p,
            f"unsupported file type {suffix or '(none)'}"
            + (f" ({hint})" if hint else f"; this tool reads {', '.join(SUFFIXES)}"),
        )
    data = _read_bytes(p)
    if not data or data.isspace():
        raise DocumentError(p, "file is empty", status="empty")
    if suffix == ".docx" or suffix in CONVERTED:  # these take the limits on what they unpack
        got = _READERS[suffix](data, p, limits)  # type: ignore[call-arg]
    else:
        got = _READERS[suffix](data, p)
    del data
    text = got.text
    if not text or text.isspace():
        raise DocumentError(p, "no text in the file", status="empty")
    header = header_metadata(text).completed(
        title=got.title, issuer=got.issuer, dateline=got.dateline
    )
    return Document.from_header(
        doc_id, str(p), text, header, encoding=got.encoding, sha256=got.sha256 or text_sha256(text)
    )


def in_pieces(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether ``path`` is a plain-text file large enough to be read in pieces
    (``Limits.piece_mb``); False for anything that cannot be looked at."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        return False
    return limits.in_pieces(p.suffix.lower(), size)


def open_text_stream(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> TextStream:
    """A huge text file to read a piece at a time (``TextStream``), after the checks
    ``read_document`` makes (a regular file, within ``limits.max_text_mb``); raises
    ``DocumentError``."""
    p = Path(path)
    _check_file(p, limits, pieces=True)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        raise DocumentError(p, f"only {', '.join(TEXT_SUFFIXES)} files are read in pieces")
    return TextStream(p)


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
