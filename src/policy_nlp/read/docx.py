"""The text of a Word (.docx) file: paragraphs and table rows in document order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from policy_nlp.read.decode import sniff
from policy_nlp.read.extracted import DocumentError, Extracted

__all__ = ["read_docx"]


def read_docx(data: bytes, path: Path) -> Extracted:
    """The document's paragraphs and table rows (cells tab-separated) in order, and its title
    property; raises ``DocumentError`` saying what the file is when it is no Word file."""
    import docx  # python-docx
    from docx.table import Table

    if not data.startswith(b"PK"):
        kind = sniff(data)
        if kind.startswith("an old Office"):
            raise DocumentError(
                path,
                "not a .docx file: it is an old Word 97-2003 (.doc) file or a password-protected "
                "document; open it in Word or WPS and save it as .docx without a password",
            )
        raise DocumentError(
            path,
            "not a valid Word file (not a zip archive"
            + (f"; it looks like {kind})" if kind else ")"),
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise DocumentError(
            path, f"not a valid Word file (zip archive is corrupt or truncated: {exc})"
        ) from None
    except Exception as exc:  # zlib errors and the like inside a damaged member
        raise DocumentError(
            path, f"not a valid Word file (zip archive is corrupt: {type(exc).__name__})"
        ) from None
    if "word/document.xml" not in names:
        what = (
            "an Excel workbook"
            if any(n.startswith("xl/") for n in names)
            else "a PowerPoint file"
            if any(n.startswith("ppt/") for n in names)
            else "a zip archive"
        )
        raise DocumentError(path, f"not a Word file (it is {what}, not a .docx document)")
    if bad is not None:
        raise DocumentError(
            path, f"not a valid Word file (zip archive is corrupt: {bad} fails its checksum)"
        )
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many types for damaged parts
        name = type(exc).__name__
        if name == "XMLSyntaxError":
            raise DocumentError(path, f"Word file is damaged (its XML is broken: {exc})") from None
        raise DocumentError(path, f"not a valid Word file ({name}: {exc})") from None
    lines: list[str] = []
    for block in d.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(block, Table):
            lines.extend(_docx_table_rows(block))
        else:
            lines.append(block.text.rstrip())
    title = (d.core_properties.title or "").strip()
    return Extracted("\n".join(lines), "docx", title)


def _docx_table_rows(table) -> list[str]:
    """One line per row, a merged cell once."""
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell is returned once per grid column
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells).rstrip())
    return rows
