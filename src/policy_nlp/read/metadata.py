"""What a document's own header says about it: title, date, year, issuer and a coarse type.

The title is the first line; the date comes from a dateline (``——2019年3月5日在…会议上``),
a parenthesised date (``（2018年1月2日）``, ``二〇二六年一月二十七日``), or the date under the
issuer's name at the end of a 通知; the year from that date, else the title, else a document
number such as ``〔2021〕``.
"""

from __future__ import annotations

import re

from policy_nlp.numerals import NumberError, parse_chinese
from policy_nlp.text import normalize

__all__ = ["header_metadata", "issuer_name", "read_date"]

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


def read_date(line: str) -> tuple[str, int] | None:
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


def issuer_name(raw: str) -> str:
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
        found = read_date(line)
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
        issuer = issuer_name(m2["issuer"].strip())
    elif signed_by:
        issuer = signed_by
    return {"title": title, "date": date, "year": year, "issuer": issuer, "doc_type": doc_type}


def _signature(text: str) -> tuple[str, int | None, str]:
    """Date (and issuer) under the signature at the end: ``国务院`` / ``2021年12月12日``."""
    tail = [normalize(ln).strip() for ln in text[-1500:].splitlines() if ln.strip()][-5:]
    for i in range(len(tail) - 1, -1, -1):
        if not _DATE_ONLY.match(tail[i]):
            continue
        found = read_date(tail[i])
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
                issuer = issuer_name(prev)
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
