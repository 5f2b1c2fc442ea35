"""Read policy documents from disk into ``Document`` records, with header metadata.

Formats: ``.txt``/``.md`` (UTF-8 with or without BOM, UTF-16, GB18030/GBK), ``.html``/``.htm``
(main text only), ``.docx`` and ``.pdf`` with a text layer. The text kept is the text every
offset in the tables refers to: the file decoded, a BOM dropped, newlines untouched.

Metadata comes from the document's own header: the title (first line), the date
(``——2019年3月5日在…会议上``, ``（2020年10月29日…通过）``, ``二〇二六年一月二十七日``), the
year (from that date, else the title), the issuer and a coarse document type.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policy_nlp.numbers import NumberError, parse_chinese
from policy_nlp.text import normalize

__all__ = [
    "SUFFIXES",
    "Document",
    "DocumentError",
    "assign_doc_ids",
    "decode_bytes",
    "find_inputs",
    "header_metadata",
    "read_document",
]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


class DocumentError(Exception):
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
    date: str = ""  # ISO yyyy-mm-dd when the header gives a full date
    issuer: str = ""
    doc_type: str = ""  # gov_work_report, plan, policy, party_report, article
    encoding: str = ""
    sha256: str = ""
    status: str = "ok"  # ok, empty, error
    error: str = ""
    extra: dict = field(default_factory=dict, compare=False, repr=False)


# ----------------------------------------------------------------------------- discovery


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files to process: given files as they are, folders searched recursively for SUFFIXES.

    Order is deterministic (sorted within each folder); a path given twice is read once.
    """
    seen: set[Path] = set()
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith(".")
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def assign_doc_ids(files: Iterable[Path], taken: Iterable[str] = ()) -> list[str]:
    """doc_id per file: the file name without extension, made unique with ``-2``, ``-3`` …"""
    used = set(taken)
    ids = []
    for f in files:
        base = f.stem or "document"
        doc_id, n = base, 1
        while doc_id in used:
            n += 1
            doc_id = f"{base}-{n}"
        used.add(doc_id)
        ids.append(doc_id)
    return ids


# ----------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    return bad <= max(2, len(text) // 1000)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns ``(text, encoding)`` or raises ``ValueError``.

    Tried in order: a BOM (UTF-8, UTF-16), UTF-16 without BOM (NUL bytes in alternate
    positions), UTF-8, GB18030 (a superset of GBK and GB2312). Binary data is refused.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc)
            return text.lstrip("\ufeff"), "utf-16" if enc == "utf-16" else "utf-8-sig"
    if b"\x00" in data[:4096]:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        if max(even, odd) > len(head) // 8 and len(data) % 2 == 0:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                pass
            else:
                if _looks_like_text(text):
                    return text, "utf-16"
        raise ValueError("binary data, not text (NUL bytes)")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, enc
        raise ValueError("binary data, not text (control characters)")
    raise ValueError("not decodable as UTF-8, UTF-16 or GB18030 text")


# ----------------------------------------------------------------------------- formats


def _read_text_file(path: Path) -> tuple[str, str, str]:
    data = path.read_bytes()
    try:
        text, enc = decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from None
    return text, enc, ""


_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "table", "ul", "ol", "blockquote", "pre", "td", "th",
}  # fmt: skip
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
_CHROME = re.compile(
    r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|banner|copyright|toolbar|login|search",
    re.I,
)


def _html_text(data: bytes, path: Path) -> tuple[str, str, str]:
    import lxml.html  # a tolerant parser for real gov.cn pages

    try:
        root = lxml.html.document_fromstring(data)
    except Exception as exc:  # lxml raises several types for broken markup
        raise DocumentError(path, f"not a readable HTML page ({exc})") from None
    title_el = root.find(".//title")
    title = (title_el.text_content() if title_el is not None else "").strip()
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            el.drop_tree()
            continue
        marker = f"{el.get('id', '')} {el.get('class', '')}"
        if marker.strip() and _CHROME.search(marker) and el.tag not in ("html", "body"):
            el.drop_tree()
    body = root.find(".//body")
    node = _main_block(body if body is not None else root)
    lines: list[str] = []
    _collect(node, lines)
    text = "\n".join(
        line for line in (" ".join(x.split()) for x in "".join(lines).split("\n")) if line
    )
    return text, "html", title


def _cjk_len(s: str) -> int:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff")


def _main_block(node):
    """The element holding the main text: the smallest block with most of the page's Chinese."""
    total = _cjk_len(node.text_content())
    best = node
    while True:
        children = [c for c in best if isinstance(c.tag, str)]
        scored = sorted(
            ((_cjk_len(c.text_content()), i, c) for i, c in enumerate(children)), reverse=True
        )
        if not scored or total == 0 or scored[0][0] < 0.6 * total:
            return best
        best = scored[0][2]


def _collect(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _BLOCK_TAGS:
        out.append("\n")
    if el.text and tag not in ("script", "style"):
        out.append(el.text)
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCK_TAGS:
        out.append("\n")


def _docx_text(path: Path) -> tuple[str, str, str]:
    import zipfile

    import docx  # python-docx

    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(path, f"not a valid Word (.docx) file ({exc})") from None
    except Exception as exc:
        raise DocumentError(path, f"not a valid Word (.docx) file ({type(exc).__name__})") from None
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(line.rstrip() for line in lines)
    return text, "docx", (d.core_properties.title or "").strip()


def _pdf_text(path: Path) -> tuple[str, str, str]:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise DocumentError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip() and pages:
        raise DocumentError(path, "PDF has no text layer (a scan?); run OCR first")
    title = ""
    try:
        title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except Exception:
        title = ""
    return text, "pdf", title


# ----------------------------------------------------------------------------- metadata

_CN_NUM = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d\d|[{_CN_NUM}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月"
    rf"(?:\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日)?"
)
_TITLE_YEAR = re.compile(r"(?<![\d\-—－~至])((?:19|20)\d\d)\s*年(?![\d\-—－~至])")
_MEETING = re.compile(
    r"在(?P<place>[^第，。\s]{0,20}?)第?[一二三四五六七八九十\d]+届(?P<national>全国)?人民代表大会"
)
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\s*\d+\s*号")
regex_spaced = re.compile(r"(?:\S\s+){2,}\S")
_ISSUER_BEFORE = re.compile(r"^(?P<issuer>.{2,40}?)(?:关于|印发|转发)")


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        return int(parse_chinese(text))
    except (NumberError, KeyError):
        return None


def header_metadata(text: str) -> dict:
    """Title, date, year, issuer and doc_type read from the first lines of a document.

    Only header lines count: the title line, a dateline (``——2019年3月5日在…``), a
    parenthesised date (``（2018年1月2日）``) or a line that is just a date; a year quoted in
    the body (``到2024年…``) is not the document's year.
    """
    lines = [normalize(ln).strip() for ln in text[:4000].splitlines() if ln.strip()][:8]
    title, rest = "", ""
    if lines:
        first = lines[0]
        if regex_spaced.fullmatch(first):  # spaced-out title: 政 府 工 作 报 告
            first = re.sub(r"\s+", "", first)
        head, sep, tail = ([*re.split(r"(——|--)", first, maxsplit=1), "", ""])[:3]
        if len(head) <= 100 and not head.rstrip().endswith(("。", "；", "，")):
            title = head.strip()
            rest = sep + tail
    candidates = [rest] if rest else []
    for ln in lines[1:6]:
        if ln.startswith(("——", "--", "（", "(", "〔")) or (
            len(ln) <= 40 and _DATE.search(ln) and not ln.endswith("。")
        ):
            candidates.append(ln)
    date, year = "", None
    for line in candidates:
        m = _DATE.search(line)
        if not m:
            continue
        y = _num(m["y"])
        if y is None or not 1900 <= y <= 2100:
            continue
        mo = _num(m["m"])
        d = _num(m["d"]) if m["d"] else None
        if mo and 1 <= mo <= 12:
            year = y
            date = f"{y:04d}-{mo:02d}-{d:02d}" if d and 1 <= d <= 31 else f"{y:04d}-{mo:02d}"
            break
    if year is None and title:
        m = _TITLE_YEAR.search(title)
        if m:
            year = int(m.group(1))
    header = "\n".join(lines)[:800]
    if year is None:  # a document number such as 皖开放办〔2022〕6号 dates the document
        m = _DOC_NUMBER_YEAR.search(header)
        if m:
            year = int(m.group(1))
    doc_type = _doc_type(title, "\n".join(lines[:3]))
    issuer = ""
    m = _MEETING.search(header)
    if doc_type == "gov_work_report" and m:
        place = m["place"].strip()
        issuer = "国务院" if m["national"] or place in ("", "全国") else f"{place}人民政府"
    elif m2 := _ISSUER_BEFORE.match(title):
        issuer = m2["issuer"].strip()
    return {"title": title, "date": date, "year": year, "issuer": issuer, "doc_type": doc_type}


def _doc_type(title: str, header: str) -> str:
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
    ):
        return "party_report"
    if re.search(r"规划|纲要|五年计划|行动计划|行动方案|实施方案|工作方案", title):
        return "plan"
    if re.search(r"通知|意见|办法|措施|规定|条例|决定|细则|指南|政策", title):
        return "policy"
    return "article"


# ----------------------------------------------------------------------------- entry point


def read_document(path: str | Path, *, doc_id: str | None = None) -> Document:
    """Read one file into a ``Document``; raises ``DocumentError`` saying why it cannot.

    An empty file (or one with no text) raises ``DocumentError`` with ``status='empty'``.
    """
    p = Path(path)
    doc_id = doc_id or p.stem
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(
            p, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(p, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise DocumentError(p, "file is empty", status="empty")
    if suffix in (".txt", ".md"):
        text, encoding, meta_title = _read_text_file(p)
    elif suffix in (".html", ".htm"):
        try:
            decoded, _ = decode_bytes(data)
            data = decoded.encode("utf-8")
        except ValueError:
            pass
        text, encoding, meta_title = _html_text(data, p)
    elif suffix == ".docx":
        text, encoding, meta_title = _docx_text(p)
    else:
        text, encoding, meta_title = _pdf_text(p)
    if not text.strip():
        raise DocumentError(p, "no text in file", status="empty")
    meta = header_metadata(text)
    if meta_title and not meta["title"]:
        meta["title"] = meta_title
    return Document(
        doc_id=doc_id,
        path=str(p),
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
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
    return replace(doc, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
