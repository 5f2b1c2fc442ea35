"""The text layer of a PDF, with the layout's line breaks, page numbers and running headers undone."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
import warnings
from pathlib import Path

from policy_nlp.read.decode import SNIFF_BYTES, sniff
from policy_nlp.read.extracted import DocumentError, Extracted

__all__ = ["read_pdf"]

# A PDF ends with %%EOF within its last 2 KB; a file without one was cut off.
_EOF_BYTES = 2048
# A line as wide as the page's full lines, within 2 characters, was wrapped by the layout
# (only when full lines hold 15 characters or more: narrow columns are left alone). The full
# width is the median of the lines at least 70% as wide as the widest.
_WRAP_SLACK = 2
_MIN_FULL_WIDTH = 15
_LONG_LINE = 0.7
# A running header is the same first line on 60% of the pages after the first (3 pages or more).
_HEADER_SHARE = 0.6
_HEADER_MIN_PAGES = 3

# Lines that end a sentence; a full PDF line ending otherwise was wrapped by the layout.
_FINAL = re.compile(r"(?:[。！？!?…]|[。！？][”’」』）)])\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)


_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.、．](?!\d)"
    r"|第[一二三四五六七八九十百]+[条章节部分])"
)


def _width(s: str) -> float:
    """Printed width in Chinese characters (ASCII letters and digits count half)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in s)


@contextlib.contextmanager
def _pypdf_messages():
    """Collect what pypdf logs while reading one file instead of printing it unattributed."""
    logger = logging.getLogger("pypdf")
    messages: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = _Keep(level=logging.DEBUG)
    old = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


def read_pdf(data: bytes, path: Path) -> Extracted:
    """The PDF's text layer with layout breaks undone, and its title property; raises
    ``DocumentError`` for a damaged, encrypted or scanned (text-less) file."""
    import pypdf

    if b"%PDF-" not in data[:SNIFF_BYTES]:
        kind = sniff(data)
        raise DocumentError(
            path, "not a PDF file" + (f" (it looks like {kind})" if kind else " (no %PDF header)")
        )
    with _pypdf_messages(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentError(
                    path, "PDF is password-protected; save a copy without the password first"
                )
            pages = reader.pages
            n_pages = len(pages)
        except DocumentError:
            raise
        except Exception as exc:  # pypdf raises many error types for damaged files
            if b"%%EOF" not in data[-_EOF_BYTES:]:
                reason = "PDF is damaged or truncated (no end-of-file marker); download it again"
            else:
                reason = f"PDF is damaged ({type(exc).__name__}: {exc})"
            raise DocumentError(path, reason) from None
        texts = []
        for i in range(n_pages):
            try:
                texts.append(pages[i].extract_text() or "")
            except Exception as exc:
                raise DocumentError(
                    path, f"PDF page {i + 1} of {n_pages} cannot be read ({type(exc).__name__})"
                ) from None
    text = _join_pdf_lines(texts)
    if not text.strip():
        raise DocumentError(path, "PDF has no text layer (a scan?); run OCR first")
    title = ""
    with contextlib.suppress(Exception):
        title = (reader.metadata.title or "").strip() if reader.metadata else ""
    title = re.sub(r"^Microsoft Word - |\.docx?$", "", title)
    if title.lower() in ("untitled", "无标题"):
        title = ""
    return Extracted(text, "pdf", title)


def _join_pdf_lines(pages: list[str]) -> str:
    """The PDF's lines with layout breaks undone: a line that fills the page width (within
    two characters of a typical full line) and does not end a sentence continues on the next
    line, also across a page break, unless the next line starts a numbered heading. Page
    numbers and a running header repeated at the top of the pages are dropped."""
    page_lines = [[ln.strip() for ln in p.split("\n")] for p in pages]
    page_lines = [[ln for ln in p if ln and not _PAGE_NUMBER.match(ln)] for p in page_lines]
    if (
        len(page_lines) >= _HEADER_MIN_PAGES
    ):  # a running header: the same first line on most later pages
        firsts = [p[0] for p in page_lines[1:] if p]
        for cand in sorted(set(firsts)):
            if firsts.count(cand) >= _HEADER_SHARE * (len(page_lines) - 1):
                page_lines = [page_lines[0]] + [
                    p[1:] if p and p[0] == cand else p for p in page_lines[1:]
                ]
    lines = [ln for p in page_lines for ln in p]
    if not lines:
        return ""
    widths = sorted(w for w in map(_width, lines))
    long = [w for w in widths if w >= _LONG_LINE * widths[-1]]
    full = long[len(long) // 2]  # the width of a full line (the median of the long ones)
    out: list[str] = []
    wrapped = False
    for ln in lines:
        if wrapped and out and not _HEADING_START.match(ln):
            prev = out[-1]
            words = (
                prev[-1:].isascii()
                and prev[-1:].isalpha()
                and ln[:1].isascii()
                and ln[:1].isalpha()
            )
            out[-1] = prev + (" " if words else "") + ln
        else:
            out.append(ln)
        wrapped = (
            full >= _MIN_FULL_WIDTH and _width(ln) >= full - _WRAP_SLACK and not _FINAL.search(ln)
        )
    return "\n".join(out)
