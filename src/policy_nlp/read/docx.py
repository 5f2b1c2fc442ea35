"""The text of a Word (.docx) file: paragraphs and table rows in document order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from policy_nlp.read.decode import sniff
from policy_nlp.read.extracted import DocumentError, Extracted
from policy_nlp.read.limits import DEFAULT_LIMITS, Limits

__all__ = ["read_docx"]


def read_docx(data: bytes, path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The document's paragraphs and table rows (cells tab-separated) in order, and its title
    property; raises ``DocumentError`` saying what the file is when it is no Word file, or
    when it unpacks to more than ``limits`` allow (checked before it is unpacked)."""
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
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise DocumentError(
            path, f"not a valid Word file (zip archive is corrupt or truncated: {exc})"
        ) from None
    _check_sizes(zf, path, limits)  # before anything is unpacked (testzip unpacks all)
    try:
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
    _check_elements(zf, path, limits)
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


def _check_sizes(zf: zipfile.ZipFile, path: Path, limits: Limits) -> None:
    """Refuse a file whose parts unpack to more than ``limits.docx_max_mb`` (their declared
    sizes: ``zipfile`` never unpacks a part past its declared size)."""
    if not limits.docx_max_mb:
        return
    total = sum(info.file_size for info in zf.infolist())
    if total > limits.docx_max_mb * 2**20:
        raise DocumentError(
            path,
            f"Word file unpacks to {total / 2**20:,.0f} MB, over the limit of "
            f"{limits.docx_max_mb} MB (a zip bomb, or a huge document; --docx-max-mb)",
        )


def _check_elements(zf: zipfile.ZipFile, path: Path, limits: Limits) -> None:
    """Count the elements of ``word/document.xml`` in a stream (nothing kept) and refuse a
    file with more than ``limits.docx_max_elements``: python-docx holds the whole tree."""
    if not limits.docx_max_elements:
        return
    from lxml import etree

    count = 0
    try:
        with zf.open("word/document.xml") as f:
            for _, elem in etree.iterparse(
                f, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
            ):
                count += 1
                if count > limits.docx_max_elements:
                    raise DocumentError(
                        path,
                        f"Word file has more than {limits.docx_max_elements:,} XML elements "
                        "(a zip bomb, or a huge document; --docx-max-elements)",
                    )
                elem.clear(keep_tail=True)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
    except DocumentError:
        raise
    except Exception as exc:  # broken XML: python-docx says so below, in its words
        if type(exc).__name__ == "XMLSyntaxError":
            raise DocumentError(path, f"Word file is damaged (its XML is broken: {exc})") from None
