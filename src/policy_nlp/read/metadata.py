"""What a document's own header says about it: title, date, year, issuer and a coarse type.

The title is the first line; the date comes from a dateline (``——2019年3月5日在…会议上``),
a parenthesised date (``（2018年1月2日）``, ``二〇二六年一月二十七日``), or the date under the
issuer's name at the end of a 通知; the year from that date, else the title, else a document
number such as ``〔2021〕``. ``header_metadata(text)`` gives a ``Header``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from policy_nlp.numerals import NumberError, parse_chinese
from policy_nlp.patterns import (
    ARABIC_YEAR,
    ARABIC_YEAR_DIGITS,
    CN_YEAR_DIGITS,
    PLAN_PERIOD,
    YEAR,
    YEAR_NIAN,
    read_year,
)
from policy_nlp.read.chrome import MAX_CHROME_LINES, leading_chrome
from policy_nlp.read.genre import classify, news_date, reference_year
from policy_nlp.regions import find_region
from policy_nlp.resources import read_table
from policy_nlp.text import normalize

__all__ = ["Header", "header_metadata"]

# Where the header is looked for: the first 8 non-blank lines within the first 4,000
# characters (a long opening paragraph cannot push the search into the body).
_HEAD_CHARS = 4000
_HEAD_LINES = 8
# A date is read from the lines right under the title, at most this many of them.
_DATE_LINES = 5
# A first line longer than this is text, not a title; a short line with a date may be a date line.
_MAX_TITLE = 100
_MAX_DATE_LINE = 40
# The opening read for the meeting, the speech, the issuer and a document number.
_OPENING_CHARS = 800
# The first lines whose words say the type (政府工作报告 spaced out, 党代会).
_TYPE_LINES = 3
# The signature at the end: a date on one of the last 5 lines within the last 1,500
# characters, the issuer's name (at most 40 characters) on the line above it.
_TAIL_CHARS = 1500
_TAIL_LINES = 5
_MAX_ISSUER = 40

# Numerals of a date written in Chinese: a year's digits, and 十 for months and days.
_DATE_DIGITS = CN_YEAR_DIGITS + "十"
_DATE = re.compile(
    rf"(?P<y>{ARABIC_YEAR_DIGITS}|[{_DATE_DIGITS}]{{4}})\s*年"
    rf"\s*(?P<m>\d{{1,2}}|[{_DATE_DIGITS}]{{1,2}})\s*月"
    rf"(?:\s*(?P<d>\d{{1,2}}|[{_DATE_DIGITS}]{{1,3}})\s*日)?"
)
_ISO_DATE = re.compile(
    rf"(?<!\d)(?P<y>{ARABIC_YEAR_DIGITS})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?!\d)"
)
_DATE_LABEL = re.compile(r"^(?:发布|成文|印发|发文|公布)?(?:日期|时间)[：:]")
# a year in the title, not one end of a span (2021-2025年, 2021至2025年)
_TITLE_YEAR = re.compile(rf"(?<![\d\-—－~至])({ARABIC_YEAR_DIGITS})\s*年(?![\d\-—－~至])")
_MEETING = re.compile(
    r"在(?P<place>[^第，。\s]{0,20}?)第?[一二三四五六七八九十\d]+届(?P<national>全国)?人民代表大会"
)
_PARTY_CONGRESS = re.compile(
    r"在中国共产党(?P<place>[^第，。\s]{0,20}?)第[一二三四五六七八九十\d]+次(?P<national>全国)?代表大会"
)
# a document number: 国发〔2021〕29号 (the bracket bounds the year)
_DOC_NUMBER_YEAR = re.compile(rf"[〔\[［(（]({ARABIC_YEAR})[〕\]］)）]\s*\d+\s*号")
_SPACED = re.compile(r"(?:\S\s+){2,}\S")
_ISSUER_BEFORE = re.compile(r"^(?P<issuer>.{2,40}?)(?:关于|印发|转发)")
# a dateline that opens a line: ——2019年3月5日在…, —2017年2月11日在… (one dash in some copies)
_DATELINE = re.compile(rf"^[—―－–-]{{1,2}}\s*{YEAR}\s*年")
# the speech's own opening: 我代表中国共产党浙江省第十四届委员会向大会作报告
_PARTY_SPEECH = re.compile(
    r"代表(?:中国共产党|中共)(?P<place>[^。，第]{0,20}?)(?:第[一二三四五六七八九十\d]+届)?(?:中央)?委员会向大会作报告"
)
# 现在，我代表国务院，向大会报告政府工作 / 代表区人民政府向大会报告工作
_GOV_SPEECH = re.compile(
    r"代表[^。]{0,20}(?:国务院|人民政府)[，,]?\s*向大会(?:报告|作)[^。]{0,6}工作"
)
_PARTY_REPORT = re.compile(
    r"代表大会上的报告|党代会|向党的[一二三四五六七八九十]+大作?报告|党的[一二三四五六七八九十]+大报告"
)
_GOV_REPORT_SPACED = re.compile(r"政\s*府\s*工\s*作\s*报\s*告")
_DATE_ONLY = re.compile(rf"^[（(]?\s*{_DATE.pattern}\s*[）)]?$")
# the second half of a title broken over two lines: 第十五个五年规划纲要, “十四五”规划
_CONTINUED_TITLE = re.compile(
    rf"^(?:第[一二三四五六七八九十]+个五年|“?{PLAN_PERIOD}”?)[^。，；]{{0,20}}$"
)
_TITLE_YEARS = re.compile(YEAR_NIAN)
# a title that opens with its year and no 年: 2017政府工作报告
_TITLE_LEAD_YEAR = re.compile(rf"^({ARABIC_YEAR_DIGITS})(?=[\u4e00-\u9fff])")
# the speaker's own words name the government: 我代表国务院，向大会报告政府工作
_SPEAKER_FOR = re.compile(r"代表(国务院|[^，。、\s]{2,20}?人民政府)[，,]?\s*向大会")
# how much of the text may say which year a dateless news item or report plans for
_PLAN_TEXT_CHARS = 3000
# How much of a work report's body is read for how it speaks of itself (我国 against 全省),
# and how clearly it must speak as the nation (national reports: 20–35 to 0–3 over a whole
# report; provincial ones about 3 to 1).
_SELF_TEXT_CHARS = 30_000
NATION_SELF_MIN = 2
NATION_SELF_RATIO = 5


@dataclass(frozen=True, slots=True)
class Header:
    """What a document's header says about it; ``""`` or ``None`` where it says nothing."""

    title: str = ""
    issuer: str = ""
    date: str = ""  # ISO yyyy-mm-dd (or yyyy-mm)
    year: int | None = None  # the year the document speaks about (see read.genre)
    doc_type: str = ""  # one of schema.DOC_TYPES
    year_source: str = ""  # how ``year`` was found (``date``, ``title year (communiqué)`` …)
    doc_type_source: str = ""  # how ``doc_type`` was found (``title: 统计公报`` …)

    def completed(self, *, title: str = "", issuer: str = "", dateline: str = "") -> Header:
        """This header with its gaps filled from what the file states outside its text
        (an HTML ``<title>``, a page's 发文机关 and 成文日期, DOCX or PDF properties)."""
        header = self
        if title and not header.title:
            header = replace(header, title=title)
        if issuer and not header.issuer:
            header = replace(header, issuer=_issuer_name(issuer))
        if dateline and not header.date:
            found = _read_date(dateline)
            if found:
                header = replace(header, date=found.date)
                if header.year is None:
                    header = replace(header, year=found.year, year_source="date")
        return header


class _Dated(NamedTuple):
    """A date read from a line: ISO text (``2021-09-02`` or ``2021-09``) and its year."""

    date: str
    year: int


class _Cues(NamedTuple):
    organisation: re.Pattern[str]  # an issuer's name: ends in 人民政府, 办公厅, 局 …
    plan_title: re.Pattern[str]
    policy_title: re.Pattern[str]
    nation_self: re.Pattern[str]
    local_self: re.Pattern[str]


@cache
def _cues() -> _Cues:
    """The header words of ``data/header_cues.tsv`` as patterns."""
    rows = read_table("header_cues.tsv")

    def alternation(kind: str) -> str:
        return "|".join(re.escape(word) for k, word in rows if k == kind)

    return _Cues(
        organisation=re.compile(rf"(?:{alternation('issuer_ending')})$"),
        plan_title=re.compile(alternation("plan_title")),
        policy_title=re.compile(
            rf"{alternation('policy_title')}|(?:{alternation('policy_title_end')})$"
        ),
        # 全国人民代表大会 and 全国政协 name a body, not the country spoken of
        nation_self=re.compile(rf"(?:{alternation('nation_self')})(?!人民代表大会|人大|政协)"),
        local_self=re.compile(alternation("local_self")),
    )


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        return int(parse_chinese(text))
    except (NumberError, KeyError, ValueError):
        return None


def _read_date(line: str) -> _Dated | None:
    """The first valid date in ``line`` (Chinese or ISO form), if any."""
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
            return _Dated(f"{y:04d}-{mo:02d}-{d:02d}", y)
        return _Dated(f"{y:04d}-{mo:02d}", y)
    return None


def _issuer_name(raw: str) -> str:
    """``中共中央 国务院`` → ``中共中央、国务院`` (joint issuers are written space-apart)."""
    parts = raw.replace("\u3000", " ").split()
    return "、".join(parts)


def header_metadata(text: str) -> Header:
    """Title, date, year, issuer and doc_type read from the first lines of a document.

    Only header lines count: the title line, a dateline (``——2019年3月5日在…``), a
    parenthesised date (``（2018年1月2日）``), a labelled date (``发布日期：2021-10-25``) or a
    line that is just a date; a year quoted in the body (``到2024年…``) is not the
    document's year. A 通知 or 意见 dated only under the issuer's name at its end
    (``安徽省人民政府办公厅`` / ``2021年9月2日``) takes that date and issuer.

    >>> header_metadata("国务院关于印发“十四五”数字经济发展规划的通知\\n国发〔2021〕29号").year
    2021
    """
    # only the lines kept are normalised; page chrome (下载 / 打印 … of a saved page) skipped
    head = [ln for ln in text[:_HEAD_CHARS].splitlines() if ln.strip()]
    lines = [normalize(ln).strip() for ln in head[: MAX_CHROME_LINES + _HEAD_LINES]]
    lines = lines[leading_chrome(lines) :][:_HEAD_LINES]
    title, rest, skip = _title_lines(lines)
    candidates = [rest] if rest else []
    candidates += [ln for ln in lines[skip : skip + _DATE_LINES] if _may_hold_date(ln)]
    date, year, year_source = "", None, ""
    for line in candidates:
        found = _read_date(line)
        if found:
            (date, year), year_source = found, "date"
            break
    if not date and (printed := news_date(lines[: skip + _DATE_LINES])):
        date, year, year_source = printed.value, int(printed.value[:4]), printed.source
    signed = _signature(text)
    if not date and signed:
        date, year, year_source = signed.date, signed.year, "date under the signature"
    if year is None and title:
        m = _TITLE_YEAR.search(title) or _TITLE_LEAD_YEAR.match(title)
        if m:
            year, year_source = int(m.group(1)), "title year"
    opening = "\n".join(lines)[:_OPENING_CHARS]
    if year is None:  # a document number such as 皖开放办〔2022〕6号 dates the document
        m = _DOC_NUMBER_YEAR.search(opening)
        if m:
            year, year_source = int(m.group(1)), "document number"
    doc_type, doc_type_source = _doc_type(title, "\n".join(lines[:_TYPE_LINES]), opening)
    genre = classify(title, "\n".join(lines[:_TYPE_LINES]), opening)
    # a genre read from the title wins; news lines only tell an otherwise untyped text
    if genre is not None and (genre.value != "news" or doc_type == "article"):
        doc_type, doc_type_source = str(genre.value), genre.source
    if doc_type_source.startswith("opening: section heading") and lines:
        m = _TITLE_YEARS.search(lines[0])  # 一、2021年工作回顾: the report of the next year
        if m:
            year, year_source = read_year(m.group(1)) + 1, "the year after the year it reviews"
    else:
        ref = reference_year(
            doc_type, title, year, normalize(text[:_PLAN_TEXT_CHARS]), dated=bool(date)
        )
        if ref is not None and ref.value != year:
            year, year_source = int(ref.value), ref.source
    issuer = _issuer(doc_type, title, opening) or (signed.issuer if signed else "")
    if not issuer and skip == 2 and _is_issuer_line(lines[0]):
        issuer = _issuer_name(lines[0])  # 中共某县委 某县人民政府 above the title
    if (
        not issuer
        and doc_type == "gov_work_report"
        and find_region(title) is None
        and _speaks_for_nation(normalize(text[:_SELF_TEXT_CHARS]))
    ):
        issuer = "国务院"
    return Header(
        title=title,
        issuer=issuer,
        date=date,
        year=year,
        doc_type=doc_type,
        year_source=year_source if year is not None else "",
        doc_type_source=doc_type_source,
    )


def _speaks_for_nation(body: str) -> bool:
    """Whether a work report that names no government speaks as the nation's: 我国/全国
    at least ``NATION_SELF_MIN`` times and over ``NATION_SELF_RATIO`` times as often as a
    place's 全省/我市/全区 (a province's report says 全国 too, but of the country around it)."""
    cues = _cues()
    nation = len(cues.nation_self.findall(body))
    local = len(cues.local_self.findall(body))
    return nation >= NATION_SELF_MIN and nation > NATION_SELF_RATIO * local


def _title_lines(lines: list[str]) -> tuple[str, str, int]:
    """``(title, rest, skip)``: the title from the first line (or two), the dateline after a
    dash on it, and how many lines the title took. An issuers' line above a 关于… title
    (``中共某县委 某县人民政府`` / ``关于…的实施意见``) gives the title to the second line; a title
    broken after its first half (``某市国民经济和社会发展`` / ``第十五个五年规划纲要``) is joined."""
    if not lines:
        return "", "", 1
    if len(lines) > 1 and _is_issuer_line(lines[0]) and lines[1].startswith("关于"):
        title, rest = _title(lines[1])
        return title, rest, 2
    title, rest = _title(lines[0])
    if title and not rest and len(lines) > 1 and _CONTINUED_TITLE.match(lines[1]):
        joined, rest = _title(title + lines[1])
        if joined:
            return joined, rest, 2
    return title, rest, 1


def _is_issuer_line(line: str) -> bool:
    """A line made only of issuers' names (``中共某县委 某县人民政府``)."""
    parts = line.replace("\u3000", " ").split()
    return (
        bool(parts)
        and len(line) <= _MAX_ISSUER
        and all(_cues().organisation.search(p) or p.endswith("委") for p in parts)
    )


def _title(first: str) -> tuple[str, str]:
    """``(title, rest)`` of the first line: the title before a dash, the dateline after it
    (``政府工作报告——2019年3月5日在…``); no title when the line is a dateline or a sentence."""
    if _SPACED.fullmatch(first) and all(len(t) == 1 for t in first.split()):
        first = re.sub(r"\s+", "", first)  # spaced-out title: 政 府 工 作 报 告
    head, sep, tail = ([*re.split(r"(——|--)", first, maxsplit=1), "", ""])[:3]
    if head.count("（") + head.count("(") > head.count("）") + head.count(")"):
        head, sep, tail = first, "", ""  # a dash inside brackets: 每周一学（6月27日——7月3日）
    if _DATELINE.match(first):  # the file starts at its dateline: no title line
        return "", first
    if len(head) <= _MAX_TITLE and not head.rstrip().endswith(("。", "；", "，")):
        return head.strip(), sep + tail
    return "", ""


def _may_hold_date(line: str) -> bool:
    """A header line that may give the document's date (a dateline, a bracket, a label, a
    short line with a date such as a repost's ``某某发布 2023-03-27``), not a sentence of the
    body."""
    return bool(
        line.startswith(("——", "--", "（", "(", "〔"))
        or _DATELINE.match(line)
        or _DATE_LABEL.match(line)
        or (
            len(line) <= _MAX_DATE_LINE
            and (_DATE.search(line) or _ISO_DATE.search(line))
            and not line.endswith("。")
        )
    )


def _issuer(doc_type: str, title: str, opening: str) -> str:
    """The issuer the opening names: the government or party committee a report is given
    for, else the body before 关于/印发/转发 in the title."""
    m = _MEETING.search(opening)
    p = _PARTY_CONGRESS.search(opening)
    if doc_type == "gov_work_report" and m:
        place = m["place"].strip()
        return "国务院" if m["national"] or place in ("", "全国") else f"{place}人民政府"
    if doc_type == "party_report" and p:
        place = p["place"].strip()
        return "中共中央" if p["national"] or not place else f"中共{place}委"
    if doc_type == "party_report" and (sp := _PARTY_SPEECH.search(opening)):
        place = sp["place"].strip()  # 我代表中国共产党浙江省第十四届委员会 -> 中共浙江省委
        return "中共中央" if place in ("", "中央") else f"中共{place}委"
    if m2 := _ISSUER_BEFORE.match(title):
        return _issuer_name(m2["issuer"].strip())
    if doc_type == "gov_work_report" and (sp := _SPEAKER_FOR.search(opening)):
        name = sp.group(1)  # 国务院, 浙江省人民政府; not a bare 区人民政府 that names no place
        if name == "国务院" or not name.startswith(("区", "市", "县", "省", "州", "旗")):
            return name
    return ""


class _Signature(NamedTuple):
    date: str
    year: int
    issuer: str


def _signature(text: str) -> _Signature | None:
    """Date and issuer under the signature at the end: ``国务院`` / ``2021年12月12日``."""
    kept = [ln for ln in text[-_TAIL_CHARS:].splitlines() if ln.strip()][-_TAIL_LINES:]
    tail = [normalize(ln).strip() for ln in kept]
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
                len(prev) <= _MAX_ISSUER
                and _cues().organisation.search(prev)
                and not re.search(r"[。，；：]", prev)
            ):
                issuer = _issuer_name(prev)
        if issuer:  # a bare date at the end without a signature could be anything
            return _Signature(found.date, found.year, issuer)
    return None


def _doc_type(title: str, first_lines: str, opening: str = "") -> tuple[str, str]:
    """The kind of document from its title and first lines, and where that was read;
    ``opening`` (the first lines, up to ``_OPENING_CHARS``) is read only for the speech's own
    words: a report whose copy lost its title still says 我代表…委员会向大会作报告 or is dated
    at a session of a people's congress (——2017年2月11日在…人民代表大会第六次会议上)."""
    first_line = first_lines.split("\n")[0]
    if "政府工作报告" in title:
        return "gov_work_report", "title: 政府工作报告"
    if "政府工作报告" in first_line or _GOV_REPORT_SPACED.search(first_line):
        return "gov_work_report", "first line: 政府工作报告"
    if _PARTY_REPORT.search(title + "\n" + first_lines):
        return "party_report", "title: 代表大会上的报告"
    if _PARTY_SPEECH.search(opening):
        return "party_report", "opening: 代表…委员会向大会作报告"
    if m := _cues().plan_title.search(title):
        return "plan", f"title: {m.group(0)}"
    if m := _cues().policy_title.search(title):
        return "policy", f"title: {m.group(0)}"
    # no title says what it is: a speech to a people's congress reporting the government's work
    if _GOV_SPEECH.search(opening):
        return "gov_work_report", "opening: 代表…向大会报告工作"
    if any(_DATELINE.match(ln) and _MEETING.search(ln) for ln in first_lines.split("\n")):
        return "gov_work_report", "opening: dateline at a people's congress"
    return "article", "default"
