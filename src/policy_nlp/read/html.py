"""The main text of an HTML page, one line per paragraph, without the site's chrome.

Also what the page states outside its text: the ``<title>``, and issuer and date from a
gov.cn-style info table or a news page's publication stamp.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from policy_nlp.patterns import ARABIC_YEAR_DIGITS
from policy_nlp.read.decode import BOMS, decode_bytes
from policy_nlp.read.extracted import DocumentError, Extracted
from policy_nlp.resources import read_table

__all__ = ["read_html"]

# A <meta charset> is looked for in the page's first 4 KB (HTML5 wants it in the first
# 1,024 bytes; older pages put it after scripts and styles).
_CHARSET_BYTES = 4096
# A publication stamp's label is looked for this many characters before and after a date.
_STAMP_BEFORE = 40
_STAMP_AFTER = 60
# A stamp line and a furniture line are short (longer lines are text that mentions the words).
_MAX_STAMP_LINE = 80
_MAX_FURNITURE_LINE = 40
# A heading is a short line with some Chinese in it.
_MAX_HEADING = 120
_MIN_HEADING_HANZI = 4
# Shares of the page's Chinese outside links: chrome holding at least half of it is kept; a
# child holding 60% of its parent's is the main text; a block with 60% in links is a link list.
_CHROME_SHARE = 0.5
_MAIN_SHARE = 0.6
_LINK_SHARE = 0.6
# Two headings are the same if one holds the other (at least 4 characters) with at most 8
# characters added (a year, 全文).
_SAME_MIN = 4
_SAME_SLACK = 8


class _Chrome(NamedTuple):
    classes: frozenset[str]  # class and id tokens of navigation, footers, share bars …
    furniture: tuple[str, ...]  # starts of furniture lines (打印本页, 相关稿件 …)
    stamp: re.Pattern[str]  # a publication stamp's labels (来源：, 发布时间 …)


@cache
def _chrome() -> _Chrome:
    """The page chrome of ``data/html_chrome.tsv``."""
    rows = read_table("html_chrome.tsv")
    return _Chrome(
        classes=frozenset(v.lower() for k, v in rows if k == "class"),
        furniture=tuple(v for k, v in rows if k == "line"),
        stamp=re.compile("|".join(re.escape(v) for k, v in rows if k == "stamp")),
    )


class _PageInfo(NamedTuple):
    """What a page states about the document outside its text."""

    issuer: str = ""  # 发文机关
    dateline: str = ""  # 成文日期, or the date of the page's publication stamp


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
    if not any(data.startswith(bom) for bom, _, _ in BOMS):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-8"), "utf-8"
        m = _DECLARED_CHARSET.search(data[:_CHARSET_BYTES])
        if m:
            declared = m.group(1).decode("ascii").lower()
            codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return data.decode(codec), codec
    try:
        return decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(path, f"not a readable HTML page: {exc}") from None


_ISSUER_FIELD = re.compile(r"发文机关[：:]\s*([^\s：:]{2,40})")
_DATE_FIELD = re.compile(r"成文日期[：:]\s*([^\s]{6,16}日)")
_STAMP_DATE = re.compile(rf"(?<!\d){ARABIC_YEAR_DIGITS}-\d{{1,2}}-\d{{1,2}}(?!\d)")


def _page_info(text: str) -> _PageInfo:
    """Issuer and date from a gov.cn-style info table (发文机关：…  成文日期：…)."""
    m = _ISSUER_FIELD.search(text)
    issuer = m.group(1) if m else ""
    m = _DATE_FIELD.search(text)
    if m:
        return _PageInfo(issuer, m.group(1))
    stamp = _chrome().stamp
    for m in _STAMP_DATE.finditer(text):  # a news page's publication stamp
        if stamp.search(text[max(0, m.start() - _STAMP_BEFORE) : m.end() + _STAMP_AFTER]):
            return _PageInfo(issuer, m.group(0))
    return _PageInfo(issuer)


def read_html(data: bytes, path: Path) -> Extracted:
    """The page's main text, one line per paragraph, its heading first; raises
    ``DocumentError`` for a page that cannot be decoded or parsed."""
    import lxml.html  # a tolerant parser for real gov.cn pages
    from lxml import etree

    page, encoding = _decode_html(data, path)
    page = _XML_DECL.sub("", page, count=1)  # lxml refuses str input with an encoding declaration
    # huge_tree: nesting up to libxml2's 2,048 levels instead of 256 (old pages leave <font>
    # tags unclosed by the hundred); deeper than that the page is refused, never cut silently
    parser = lxml.html.HTMLParser(huge_tree=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(page, parser=parser)
    except Exception as exc:  # lxml raises several types for markup it cannot use
        raise DocumentError(path, f"not a readable HTML page ({exc})") from None
    if any("depth" in (e.message or "").lower() for e in parser.error_log):
        raise DocumentError(
            path,
            "HTML is nested too deeply to read whole (over 2,048 levels of unclosed tags); "
            "open it in a browser and save it again",
        )
    title_el = root.find(".//title")
    page_title = _clean_page_title(title_el.text_content() if title_el is not None else "")
    body = root.find(".//body")
    if body is None:
        body = root
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree()
    for el in list(body.iter(*_DROP_TAGS)):
        el.drop_tree()
    info = _page_info(body.text_content())
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
    return Extracted("\n".join(lines), encoding, page_title, info.issuer, info.dateline)


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
    return a == b or (
        min(len(a), len(b)) >= _SAME_MIN
        and (a in b or b in a)
        and abs(len(a) - len(b)) <= _SAME_SLACK
    )


def _text_without_links(el) -> int:
    total = _cjk(el.text_content())
    links = sum(_cjk(a.text_content()) for a in el.iter("a"))
    return max(0, total - links)


_TITLE_CLASSES = ("title", "tit", "articletitle", "bt", "biaoti", "headline")


class _Heading(NamedTuple):
    at: int  # the element's place in the page (document order)
    text: str


def _heading_candidates(body, order: dict) -> list[_Heading]:
    """Possible article headings with their place in the page (``order``): the ``<h1>``
    elements (else ``<h2>``, else blocks whose class says title), outside navigation."""
    chrome = _chrome().classes

    def usable(el) -> str:
        if any(_is_chrome(a, chrome) for a in el.iterancestors()):
            return ""  # the site's logo or a menu; 相关稿件 over a related-links list
        text = " ".join(el.text_content().split())
        return text if _cjk(text) >= _MIN_HEADING_HANZI and len(text) <= _MAX_HEADING else ""

    for tags in (("h1",), ("h2",)):
        found = [_Heading(order[el], t) for el in body.iter(*tags) if (t := usable(el))]
        if found:
            return found
    return [
        _Heading(order[el], t)
        for el in body.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("body", "html")
        and any(c in _TITLE_CLASSES for c in _class_tokens(el))
        and not _is_chrome(el, chrome)
        and (t := usable(el))
    ][:1]


def _pick_heading(candidates: list[_Heading], main_at: int, main_end: int) -> str:
    """The candidate nearest before the main block (or first inside it), else the longest."""
    inside = [c for c in candidates if main_at <= c.at <= main_end]
    before = [c for c in candidates if c.at < main_at]
    if inside:
        return inside[0].text
    if before:
        return before[-1].text
    return max(candidates, key=lambda c: _cjk(c.text)).text if candidates else ""


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
    chrome = _chrome().classes
    total = _text_without_links(body)
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if _is_chrome(el, chrome) and _text_without_links(el) < _CHROME_SHARE * max(total, 1):
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
        if _text_without_links(top) < _MAIN_SHARE * total:
            return best
        best = top


def _drop_link_lists(main) -> None:
    """Lists and blocks that are mostly links (related articles, 上一篇/下一篇)."""
    for el in list(main.iter("ul", "ol", "dl", "div", "table", "p", "li")):
        if el is main or el.getparent() is None:
            continue
        text = _cjk(el.text_content())
        links = sum(_cjk(a.text_content()) for a in el.iter("a"))
        if text and links >= _LINK_SHARE * text and (el.tag != "p" or links == text):
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
    furniture = _chrome().furniture
    out = []
    for raw in text.split("\n"):
        if _is_stamp(raw):
            continue
        line = re.sub(r"[ \t\r\f\v\xa0]*\t[ \t\r\f\v\xa0]*", "\t", raw)
        line = re.sub(r"[ \r\f\v\xa0]+", " ", line).strip(" \t\u3000")
        if not line:
            continue
        if len(line) <= _MAX_FURNITURE_LINE and line.lstrip("【[ ").startswith(
            tuple(f.lstrip("【[") for f in furniture)
        ):
            continue
        out.append(line)
    return out


_STAMP_TIME = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}")


def _is_stamp(line: str) -> bool:
    """A page's publication stamp: ``2024-03-12 18:02 来源：新华社`` (short, a time, a label)."""
    line = line.strip()
    return (
        len(line) <= _MAX_STAMP_LINE
        and bool(_chrome().stamp.search(line))
        and bool(_STAMP_TIME.search(line))
    )


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
