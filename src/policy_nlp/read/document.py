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

import codecs as codecs_module
import contextlib
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from policy_nlp.errors import PolicyNLPError
from policy_nlp.numerals import NumberError, parse_chinese
from policy_nlp.resources import read_table
from policy_nlp.text import normalize

__all__ = [
    "DOC_TYPES",
    "SUFFIXES",
    "Document",
    "DocumentError",
    "assign_doc_ids",
    "decode_bytes",
    "find_inputs",
    "header_metadata",
    "read_document",
    "text_sha256",
]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
from policy_nlp.schema import DOC_TYPES  # noqa: E402  (re-exported)

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


class DecodeError(PolicyNLPError, ValueError):
    """Bytes that are not text in an encoding this tool reads; the message says why."""


class DocumentError(PolicyNLPError):
    """A file that cannot be read as a document; the message says why, for a person."""

    def __init__(self, path: str | Path, reason: str, *, status: str = "error") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.status = status


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


# ----------------------------------------------------------------------------- discovery


def _is_hidden(name: str) -> bool:
    # dot files, and the ~$name.docx owner files Word leaves next to an open document
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


# ----------------------------------------------------------------------------- what bytes are

_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls) or a password-protected document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"{\\rtf", "an RTF file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)  # fmt: skip
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<meta|<!--)", re.I)


def _sniff(data: bytes) -> str:
    """What the first bytes say the file is (``""`` when they say nothing)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:1024]
    if b"%PDF-" in head:
        return "a PDF file"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "an HTML page"
    return ""


# ----------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
# Control characters that do not occur in text (tab, newlines, form feed and ESC-free).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]")
_SAMPLE = 20_000  # characters looked at to judge a decoding


def _control_chars(text: str, limit: int) -> int:
    n = 0
    for _ in _CONTROL.finditer(text):
        n += 1
        if n > limit:
            break
    return n


def _looks_like_text(text: str) -> bool:
    """No more than one control character in a thousand (a few stray ones are tolerated)."""
    limit = max(2, len(text) // 1000)
    return _control_chars(text, limit) <= limit


@cache
def _gb2312_hanzi(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xF7


def _plausibility(text: str) -> float:
    """Share of characters that ordinary Chinese text is made of.

    ASCII text, common punctuation and the 6,763 hanzi of GB2312 count; a wrong decoding
    (UTF-8 bytes read as GBK, UTF-16 read as GBK, binary data) yields rare characters,
    private-use code points and control characters instead.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    good = 0
    for ch in sample:
        o = ord(ch)
        if (
            (32 <= o < 127)
            or ch in "\t\n\r\f"
            or 0x3000 <= o <= 0x303F  # CJK punctuation
            or 0xFF01 <= o <= 0xFF5E  # full-width forms
            or 0x2010 <= o <= 0x2027  # dashes, quotes, ellipsis
            or ch in "·×÷°±℃‰№"
            or (0x4E00 <= o <= 0x9FFF and _gb2312_hanzi(ch))
        ):
            good += 1
    return good / len(sample)


def _best_decoding(data: bytes, codecs: list[str]) -> tuple[str, str] | None:
    """The decoding among ``codecs`` whose text looks most like ordinary text, if any does.

    Candidates are judged on the first 64 KB and only the winner decodes the whole file
    (a 50 MB file is not decoded three times). UTF-16 without a BOM cannot be told from its
    NUL bytes alone: Chinese has them only where ASCII characters are (digits, newlines),
    and 一 (U+4E00) puts one on the other side of the pair.
    """
    head = data[:65536]
    scored = []
    for codec in codecs:
        try:
            sample = codecs_module.getincrementaldecoder(codec)().decode(
                head, final=len(head) == len(data)
            )
        except UnicodeDecodeError:
            continue
        if _looks_like_text(sample):
            scored.append((-_plausibility(sample), codecs.index(codec), codec))
    for score, _, codec in sorted(scored):
        if -score < 0.9:
            break
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, codec
    return None


def _binary_reason(data: bytes) -> str:
    kind = _sniff(data)
    return f"binary data, not text (it looks like {kind})" if kind else "binary data, not text"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns ``(text, encoding)`` or raises ``ValueError``.

    Tried in order: a BOM (UTF-8, UTF-16, UTF-32; the BOM is dropped), UTF-16 without a BOM
    when the file holds NUL bytes, UTF-8, then GB18030 (a superset of GBK and GB2312) and
    BOM-less UTF-16, each judged by how ordinary the decoded text looks. Binary data
    and text in no known encoding are refused with a reason a person can act on.

    >>> decode_bytes("增长5%".encode("gbk"))
    ('增长5%', 'gb18030')
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {name.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (bad bytes at byte {exc.start + len(bom)})"
                ) from None
            if not _looks_like_text(text):
                raise DecodeError(_binary_reason(data))
            return text, name
    if b"\x00" in data[:65536]:
        found = _best_decoding(data, ["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
        if found is None:
            raise DecodeError(_binary_reason(data))
        return found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if not _looks_like_text(text):
            raise DecodeError(_binary_reason(data))
        return text, "utf-8"
    found = _best_decoding(
        data, ["gb18030"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    )
    if found is not None:
        return found
    if (
        _sniff(data) not in ("", "an HTML page")
        or _control_chars(data[:4096].decode("latin-1"), 8) > 8
    ):
        raise DecodeError(_binary_reason(data))
    # Mostly valid UTF-8 with a few bad bytes: a damaged file, not another encoding.
    lossy = data[:1_000_000].decode("utf-8", errors="replace")
    if lossy.count("\ufffd") * 100 < max(1, sum(1 for c in lossy if ord(c) > 127)):
        raise DecodeError(
            f"damaged UTF-8 text (invalid byte 0x{data[utf8_error.start]:02x} at byte "
            f"{utf8_error.start}); download or export it again"
        )
    raise DecodeError("not text in an encoding this tool reads (UTF-8, UTF-16, GB18030/GBK)")


def text_sha256(text: str) -> str:
    """SHA-256 of the text's UTF-8 bytes, hashed in slices so a huge text is not copied."""
    h = hashlib.sha256()
    step = 1 << 20
    for i in range(0, len(text), step):
        h.update(text[i : i + step].encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()


# ----------------------------------------------------------------------------- text files


@dataclass
class _Extracted:
    text: str
    encoding: str
    title: str = ""  # a title the container states (HTML <title>, DOCX/PDF properties)
    meta: dict = field(default_factory=dict)  # issuer/date a page states outside its text


def _text_file(data: bytes, path: Path) -> _Extracted:
    try:
        text, enc = decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from None
    return _Extracted(text, enc)


# ----------------------------------------------------------------------------- HTML


@cache
def _chrome() -> tuple[frozenset[str], tuple[str, ...]]:
    rows = read_table("html_chrome.tsv")
    return (
        frozenset(v.lower() for k, v in rows if k == "class"),
        tuple(v for k, v in rows if k == "line"),
    )


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "aside", "iframe", "button",
    "select", "textarea", "input", "svg", "canvas", "object", "embed", "map", "head",
)  # fmt: skip
_LINE_TAGS = {
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "main", "ul", "ol", "dl", "blockquote", "pre", "table", "tbody", "thead", "tfoot",
    "center", "address", "figure", "figcaption", "caption", "hr", "header", "footer", "tr",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_TITLE_SEPARATORS = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+|\s*--+\s*")


def _cjk(s: str) -> int:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff")


def _decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """The page as text: a BOM, else strict UTF-8, else the declared charset, else detection."""
    if not any(data.startswith(bom) for bom, _, _ in _BOMS):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-8"), "utf-8"
        m = _DECLARED_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return data.decode(codec), codec
    try:
        return decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(path, f"not a readable HTML page: {exc}") from None


def _page_meta(text: str) -> dict:
    """Issuer and date from a gov.cn-style info table (发文机关：…  成文日期：…)."""
    meta: dict = {}
    m = re.search(r"发文机关[：:]\s*([^\s：:]{2,40})", text)
    if m:
        meta["issuer"] = m.group(1)
    m = re.search(r"成文日期[：:]\s*([^\s]{6,16}日)", text)
    if m:
        meta["dateline"] = m.group(1)
    else:  # a news page's publication stamp
        for m in re.finditer(r"(?<!\d)(?:19|20)\d\d-\d{1,2}-\d{1,2}(?!\d)", text):
            if _STAMP_WORDS.search(text[max(0, m.start() - 40) : m.end() + 60]):
                meta["dateline"] = m.group(0)
                break
    return meta


def _html_text(data: bytes, path: Path) -> _Extracted:
    import lxml.html  # a tolerant parser for real gov.cn pages
    from lxml import etree

    page, encoding = _decode_html(data, path)
    page = _XML_DECL.sub("", page, count=1)  # lxml refuses str input with an encoding declaration
    try:
        root = lxml.html.document_fromstring(page)
    except Exception as exc:  # lxml raises several types for markup it cannot use
        raise DocumentError(path, f"not a readable HTML page ({exc})") from None
    title_el = root.find(".//title")
    page_title = _clean_page_title(title_el.text_content() if title_el is not None else "")
    body = root.find(".//body")
    if body is None:
        body = root
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree()
    for el in list(body.iter(*_DROP_TAGS)):
        el.drop_tree()
    meta = _page_meta(body.text_content())
    order = {el: i for i, el in enumerate(body.iter())}  # places before anything is dropped
    candidates = _heading_candidates(body, order)
    _drop_chrome(body)
    main = _main_block(body)
    last = max((order.get(el, -1) for el in main.iter()), default=order.get(main, 0))
    heading = _pick_heading(candidates, order.get(main, 0), last)
    _drop_link_lists(main)
    lines = _lines(main)
    title = heading or page_title
    if title and not any(_same(title, ln) for ln in lines[:3]):
        lines.insert(0, title)  # the heading sits outside the content block on most sites
    return _Extracted("\n".join(lines), encoding, page_title, meta)


def _clean_page_title(title: str) -> str:
    """``国务院关于…的通知_国务院文件_中国政府网`` → ``国务院关于…的通知``;
    ``…的批复-政府信息公开`` → ``…的批复`` (a short tail without digits is the site's name)."""
    title = " ".join(title.split())
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if parts and _cjk(parts[0]) >= 2:
        title = parts[0]
    m = re.search(r"\s*[-—–－]\s*([^-—–－\d]{2,15})$", title)
    if m and _cjk(title[: m.start()]) >= 4:
        title = title[: m.start()]
    return title


def _same(a: str, b: str) -> bool:
    """The same heading, give or take spaces and a year or 全文 added on one side."""
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a) and abs(len(a) - len(b)) <= 8)


def _text_without_links(el) -> int:
    total = _cjk(el.text_content())
    links = sum(_cjk(a.text_content()) for a in el.iter("a"))
    return max(0, total - links)


_TITLE_CLASSES = ("title", "tit", "articletitle", "bt", "biaoti", "headline")


def _heading_candidates(body, order: dict) -> list[tuple[int, str]]:
    """Possible article headings with their place in the page (``order``): the ``<h1>``
    elements (else ``<h2>``, else blocks whose class says title), outside navigation."""
    chrome, _ = _chrome()

    def usable(el) -> str:
        if any(_is_chrome(a, chrome) for a in el.iterancestors()):
            return ""  # the site's logo or a menu; 相关稿件 over a related-links list
        text = " ".join(el.text_content().split())
        return text if _cjk(text) >= 4 and len(text) <= 120 else ""

    for tags in (("h1",), ("h2",)):
        found = [(order[el], t) for el in body.iter(*tags) if (t := usable(el))]
        if found:
            return found
    return [
        (order[el], t)
        for el in body.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("body", "html")
        and any(c in _TITLE_CLASSES for c in _class_tokens(el))
        and not _is_chrome(el, chrome)
        and (t := usable(el))
    ][:1]


def _pick_heading(candidates: list[tuple[int, str]], main_at: int, main_end: int) -> str:
    """The candidate nearest before the main block (or first inside it), else the longest."""
    inside = [c for c in candidates if main_at <= c[0] <= main_end]
    before = [c for c in candidates if c[0] < main_at]
    if inside:
        return inside[0][1]
    if before:
        return before[-1][1]
    return max(candidates, key=lambda c: _cjk(c[1]))[1] if candidates else ""


def _class_tokens(el) -> list[str]:
    marker = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return [t for t in re.split(r"[\s_\-]+", marker) if t]


def _is_chrome(el, chrome: frozenset[str]) -> bool:
    if not isinstance(el.tag, str):
        return False
    if el.tag in ("header", "footer"):  # the page's, not an article's own header
        return not any(a.tag in ("article", "main") for a in el.iterancestors())
    return el.tag in _DROP_TAGS or any(t in chrome for t in _class_tokens(el))


def _drop_chrome(body) -> None:
    """Drop navigation, headers, footers, share bars, unless they hold most of the text."""
    chrome, _ = _chrome()
    total = _text_without_links(body)
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if _is_chrome(el, chrome) and _text_without_links(el) < 0.5 * max(total, 1):
            el.drop_tree()


_PARAGRAPH_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "a",
}


def _main_block(body):
    """The element holding the main text: the smallest block with most of the page's
    Chinese outside links (never a single paragraph: a long one would hide the others)."""
    best = body
    while True:
        total = _text_without_links(best)
        children = [c for c in best if isinstance(c.tag, str) and c.tag not in _PARAGRAPH_TAGS]
        if not children or total == 0:
            return best
        top = max(children, key=_text_without_links)
        if _text_without_links(top) < 0.6 * total:
            return best
        best = top


def _drop_link_lists(main) -> None:
    """Lists and blocks that are mostly links (related articles, 上一篇/下一篇)."""
    for el in list(main.iter("ul", "ol", "dl", "div", "table", "p", "li")):
        if el is main or el.getparent() is None:
            continue
        text = _cjk(el.text_content())
        links = sum(_cjk(a.text_content()) for a in el.iter("a"))
        if text and links >= 0.6 * text and (el.tag != "p" or links == text):
            el.drop_tree()


def _lines(main) -> list[str]:
    """One line per paragraph-like element (``<p>``, ``<div>``, ``<li>``, a table row with
    its cells separated by tabs, ``<br>`` breaks a line); whitespace the way a browser shows it."""
    parts: list[str] = []
    _collect(main, parts)
    text = "".join(parts)
    # A line break in the page source between two Chinese characters shows as nothing.
    text = re.sub(
        r"(?<=[\u3000-\u9fff\uff00-\uffef])\x01+(?=[\u3000-\u9fff\uff00-\uffef])", "", text
    )
    text = text.replace("\x01", " ")
    _, furniture = _chrome()
    out = []
    for raw in text.split("\n"):
        if _is_stamp(raw):
            continue
        line = re.sub(r"[ \t\r\f\v\xa0]*\t[ \t\r\f\v\xa0]*", "\t", raw)
        line = re.sub(r"[ \r\f\v\xa0]+", " ", line).strip(" \t\u3000")
        if not line:
            continue
        if len(line) <= 40 and line.lstrip("【[ ").startswith(
            tuple(f.lstrip("【[") for f in furniture)
        ):
            continue
        out.append(line)
    return out


_STAMP_WORDS = re.compile(r"来源[：:]|发布时间|发布日期|浏览次数|点击数|阅读次数")
_STAMP_TIME = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}")


def _is_stamp(line: str) -> bool:
    """A page's publication stamp: ``2024-03-12 18:02 来源：新华社`` (short, a time, a label)."""
    line = line.strip()
    return len(line) <= 80 and bool(_STAMP_WORDS.search(line)) and bool(_STAMP_TIME.search(line))


def _source_text(s: str) -> str:
    # whitespace in the page source: a run with a line break is marked \x01 (see _lines)
    return re.sub(r"[ \t\r\n\f\v]+", lambda m: "\x01" if "\n" in m.group() else " ", s)


def _collect(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br" or tag in _LINE_TAGS:
        out.append("\n")
    elif tag in _CELL_TAGS:
        out.append("\t")
    if el.text and tag:
        out.append(_source_text(el.text))
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(_source_text(child.tail))
    if tag in _LINE_TAGS:
        out.append("\n")


# ----------------------------------------------------------------------------- DOCX


def _docx_text(data: bytes, path: Path) -> _Extracted:
    import docx  # python-docx
    from docx.table import Table

    if not data.startswith(b"PK"):
        kind = _sniff(data)
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
    return _Extracted("\n".join(lines), "docx", title)


def _docx_table_rows(table) -> list[str]:
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


# ----------------------------------------------------------------------------- PDF

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


def _pdf_text(data: bytes, path: Path) -> _Extracted:
    import pypdf

    if b"%PDF-" not in data[:1024]:
        kind = _sniff(data)
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
            if b"%%EOF" not in data[-2048:]:
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
    return _Extracted(text, "pdf", title)


def _join_pdf_lines(pages: list[str]) -> str:
    """The PDF's lines with layout breaks undone: a line that fills the page width (within
    two characters of a typical full line) and does not end a sentence continues on the next
    line, also across a page break, unless the next line starts a numbered heading. Page
    numbers and a running header repeated at the top of the pages are dropped."""
    page_lines = [[ln.strip() for ln in p.split("\n")] for p in pages]
    page_lines = [[ln for ln in p if ln and not _PAGE_NUMBER.match(ln)] for p in page_lines]
    if len(page_lines) >= 3:  # a running header: the same first line on most later pages
        firsts = [p[0] for p in page_lines[1:] if p]
        for cand in sorted(set(firsts)):
            if firsts.count(cand) >= 0.6 * (len(page_lines) - 1):
                page_lines = [page_lines[0]] + [
                    p[1:] if p and p[0] == cand else p for p in page_lines[1:]
                ]
    lines = [ln for p in page_lines for ln in p]
    if not lines:
        return ""
    widths = sorted(w for w in map(_width, lines))
    long = [w for w in widths if w >= 0.7 * widths[-1]]
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
        wrapped = full >= 15 and _width(ln) >= full - 2 and not _FINAL.search(ln)
    return "\n".join(out)


# ----------------------------------------------------------------------------- metadata

_CN_NUM = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d\d|[{_CN_NUM}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月"
    rf"(?:\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日)?"
)
_ISO_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DATE_LABEL = re.compile(r"^(?:发布|成文|印发|发文|公布)?(?:日期|时间)[：:]")
_TITLE_YEAR = re.compile(r"(?<![\d\-—－~至])((?:19|20)\d\d)\s*年(?![\d\-—－~至])")
_MEETING = re.compile(
    r"在(?P<place>[^第，。\s]{0,20}?)第?[一二三四五六七八九十\d]+届(?P<national>全国)?人民代表大会"
)
_PARTY_CONGRESS = re.compile(
    r"在中国共产党(?P<place>[^第，。\s]{0,20}?)第[一二三四五六七八九十\d]+次(?P<national>全国)?代表大会"
)
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\s*\d+\s*号")
_SPACED = re.compile(r"(?:\S\s+){2,}\S")
_ISSUER_BEFORE = re.compile(r"^(?P<issuer>.{2,40}?)(?:关于|印发|转发)")
_ORGANISATION = re.compile(
    r"(?:国务院|中央|委员会|协会|联合会|人民政府|政府|办公厅|办公室|厅|局|部|委|署|院|小组|中心)$"
)
# a dateline that opens a line: ——2019年3月5日在…, —2017年2月11日在… (one dash in some copies)
_DATELINE = re.compile(
    r"^[—―－–-]{1,2}\s*(?:(?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3})\s*年"
)
# the speech's own opening: 我代表中国共产党浙江省第十四届委员会向大会作报告
_PARTY_SPEECH = re.compile(
    r"代表(?:中国共产党|中共)(?P<place>[^。，第]{0,20}?)(?:第[一二三四五六七八九十\d]+届)?(?:中央)?委员会向大会作报告"
)
# 现在，我代表国务院，向大会报告政府工作 / 代表区人民政府向大会报告工作
_GOV_SPEECH = re.compile(
    r"代表[^。]{0,20}(?:国务院|人民政府)[，,]?\s*向大会(?:报告|作)[^。]{0,6}工作"
)
_DATE_ONLY = re.compile(rf"^[（(]?\s*{_DATE.pattern}\s*[）)]?$")


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        return int(parse_chinese(text))
    except (NumberError, KeyError, ValueError):
        return None


def _read_date(line: str) -> tuple[str, int] | None:
    """``(iso date, year)`` of the first valid date in ``line`` (Chinese or ISO form)."""
    for m in (_DATE.search(line), _ISO_DATE.search(line)):
        if not m:
            continue
        y = _num(m["y"])
        if y is None or not 1900 <= y <= 2100:
            continue
        mo = _num(m["m"])
        if not mo or not 1 <= mo <= 12:
            continue
        d = _num(m["d"]) if m["d"] else None
        if d and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}", y
        return f"{y:04d}-{mo:02d}", y
    return None


def _issuer_name(raw: str) -> str:
    """``中共中央 国务院`` → ``中共中央、国务院`` (joint issuers are written space-apart)."""
    parts = raw.replace("\u3000", " ").split()
    return "、".join(parts)


def header_metadata(text: str) -> dict:
    """Title, date, year, issuer and doc_type read from the first lines of a document.

    Only header lines count: the title line, a dateline (``——2019年3月5日在…``), a
    parenthesised date (``（2018年1月2日）``), a labelled date (``发布日期：2021-10-25``) or a
    line that is just a date; a year quoted in the body (``到2024年…``) is not the
    document's year. A 通知 or 意见 dated only under the issuer's name at its end
    (``安徽省人民政府办公厅`` / ``2021年9月2日``) takes that date and issuer.

    >>> header_metadata("国务院关于印发“十四五”数字经济发展规划的通知\\n国发〔2021〕29号")["year"]
    2021
    """
    lines = [normalize(ln).strip() for ln in text[:4000].splitlines() if ln.strip()][:8]
    title, rest = "", ""
    if lines:
        first = lines[0]
        if _SPACED.fullmatch(first) and all(len(t) == 1 for t in first.split()):
            first = re.sub(r"\s+", "", first)  # spaced-out title: 政 府 工 作 报 告
        head, sep, tail = ([*re.split(r"(——|--)", first, maxsplit=1), "", ""])[:3]
        if head.count("（") + head.count("(") > head.count("）") + head.count(")"):
            head, sep, tail = first, "", ""  # a dash inside brackets: 每周一学（6月27日——7月3日）
        if _DATELINE.match(first):  # the file starts at its dateline: no title line
            rest = first
        elif len(head) <= 100 and not head.rstrip().endswith(("。", "；", "，")):
            title = head.strip()
            rest = sep + tail
    candidates = [rest] if rest else []
    for ln in lines[1:6]:
        if (
            ln.startswith(("——", "--", "（", "(", "〔"))
            or _DATELINE.match(ln)
            or _DATE_LABEL.match(ln)
            or (len(ln) <= 40 and _DATE.search(ln) and not ln.endswith("。"))
        ):
            candidates.append(ln)
    date, year = "", None
    for line in candidates:
        found = _read_date(line)
        if found:
            date, year = found
            break
    signed_date, signed_year, signed_by = _signature(text)
    if not date:
        date, year = signed_date, signed_year
    if year is None and title:
        m = _TITLE_YEAR.search(title)
        if m:
            year = int(m.group(1))
    header = "\n".join(lines)[:800]
    if year is None:  # a document number such as 皖开放办〔2022〕6号 dates the document
        m = _DOC_NUMBER_YEAR.search(header)
        if m:
            year = int(m.group(1))
    doc_type = _doc_type(title, "\n".join(lines[:3]), header)
    issuer = ""
    m = _MEETING.search(header)
    p = _PARTY_CONGRESS.search(header)
    if doc_type == "gov_work_report" and m:
        place = m["place"].strip()
        issuer = "国务院" if m["national"] or place in ("", "全国") else f"{place}人民政府"
    elif doc_type == "party_report" and p:
        place = p["place"].strip()
        issuer = "中共中央" if p["national"] or not place else f"中共{place}委"
    elif doc_type == "party_report" and (sp := _PARTY_SPEECH.search(header)):
        place = sp["place"].strip()  # 我代表中国共产党浙江省第十四届委员会 -> 中共浙江省委
        issuer = "中共中央" if place in ("", "中央") else f"中共{place}委"
    elif m2 := _ISSUER_BEFORE.match(title):
        issuer = _issuer_name(m2["issuer"].strip())
    elif signed_by:
        issuer = signed_by
    return {"title": title, "date": date, "year": year, "issuer": issuer, "doc_type": doc_type}


def _signature(text: str) -> tuple[str, int | None, str]:
    """Date (and issuer) under the signature at the end: ``国务院`` / ``2021年12月12日``."""
    tail = [normalize(ln).strip() for ln in text[-1500:].splitlines() if ln.strip()][-5:]
    for i in range(len(tail) - 1, -1, -1):
        if not _DATE_ONLY.match(tail[i]):
            continue
        found = _read_date(tail[i])
        if not found:
            continue
        issuer = ""
        if i > 0:
            prev = tail[i - 1]
            if (
                len(prev) <= 40
                and _ORGANISATION.search(prev)
                and not re.search(r"[。，；：]", prev)
            ):
                issuer = _issuer_name(prev)
        if issuer:  # a bare date at the end without a signature could be anything
            return found[0], found[1], issuer
    return "", None, ""


def _doc_type(title: str, header: str, opening: str = "") -> str:
    """The kind of document from its title and first lines (``header``); ``opening`` (the
    first lines, up to 800 characters) is read only for the speech's own words: a report
    whose copy lost its title still says 我代表…委员会向大会作报告 or is dated at a session of
    a people's congress (——2017年2月11日在…人民代表大会第六次会议上)."""
    t = title + "\n" + header
    if (
        "政府工作报告" in title
        or "政府工作报告" in header.split("\n")[0]
        or re.search(r"政\s*府\s*工\s*作\s*报\s*告", header.split("\n")[0])
    ):
        return "gov_work_report"
    if re.search(
        r"代表大会上的报告|党代会|向党的[一二三四五六七八九十]+大作?报告|党的[一二三四五六七八九十]+大报告",
        t,
    ) or _PARTY_SPEECH.search(opening):
        return "party_report"
    if re.search(r"规划|纲要|五年计划|行动计划|行动方案|实施方案|工作方案", title):
        return "plan"
    if re.search(r"通知|意见|办法|措施|规定|条例|决定|细则|指南|政策|批复|公告|通告|函$", title):
        return "policy"
    # no title says what it is: a speech to a people's congress reporting the government's work
    if _GOV_SPEECH.search(opening) or any(
        _DATELINE.match(ln) and _MEETING.search(ln) for ln in header.split("\n")
    ):
        return "gov_work_report"
    return "article"


# ----------------------------------------------------------------------------- entry point


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
        got = _html_text(data, p)
    elif suffix == ".docx":
        got = _docx_text(data, p)
    else:
        got = _pdf_text(data, p)
    del data
    text = got.text
    if not text or text.isspace():
        raise DocumentError(p, "no text in the file", status="empty")
    meta = header_metadata(text)
    if got.title and not meta["title"]:
        meta["title"] = got.title
    if got.meta.get("issuer") and not meta["issuer"]:
        meta["issuer"] = _issuer_name(got.meta["issuer"])
    if got.meta.get("dateline") and not meta["date"]:
        found = _read_date(got.meta["dateline"])
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
