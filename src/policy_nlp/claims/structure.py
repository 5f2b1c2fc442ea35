"""What a document's layout says about the numbers in it: review or plan, deadlines, periods.

A government work report reviews the past (``一、2025年工作回顾``, ``过去一年``) and then
plans (``今年发展的主要预期目标``, ``三、2026年重点工作``); a plan sets a deadline once
(``到2023年，…``) for the targets listed under it; a five-year-plan section
(``“十五五”时期主要目标``) sets its period's last year. ``analyse`` reads that structure
paragraph by paragraph so that claims can inherit what their own sentence does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from policy_nlp.claims.lexicon import CN_DIGITS, CN_MAGNITUDES, ORDINAL_DIGITS
from policy_nlp.claims.twin import twin
from policy_nlp.patterns import PLAN_PERIOD, YEAR, YEAR_NIAN, read_year

__all__ = [
    "PERIODS",
    "PERIOD_NAME",
    "RANGE_TITLE",
    "Paragraph",
    "analyse",
    "period_end",
    "plan_period_for",
    "plan_title_period",
]

# Five-year plans: the Chinese ordinal and its first year. "十四五" covers 2021–2025.
PERIODS = {
    "一五": 1953,
    "二五": 1958,
    "三五": 1966,
    "四五": 1971,
    "五五": 1976,
    "六五": 1981,
    "七五": 1986,
    "八五": 1991,
    "九五": 1996,
    "十五": 2001,
    "十一五": 2006,
    "十二五": 2011,
    "十三五": 2016,
    "十四五": 2021,
    "十五五": 2026,
    "十六五": 2031,
}
# A five-year plan named in the text (“十四五”时期, 十三五规划), not inside a numeral: 百分之二十五。
# is 25, not the 十五 plan.
PERIOD_NAME = regex.compile(
    rf"(?<![{CN_DIGITS}{CN_MAGNITUDES}点之第])"
    rf"{PLAN_PERIOD}(?=[”\"’」』]?(?:时期|期间|期末|末|规划|以来|开局|时|目标|的|发展|$|[，。、）)]))"
)

# searched line by line below: its twin (``twin``), the same matches with less overhead a call
_PERIOD_IN_LINE = twin(PERIOD_NAME)
_O = ORDINAL_DIGITS
_ENUM = twin(rf"^\s*(?:[{_O}]+、|第[{_O}]+部分|[（(][{_O}]+[）)])")
_TOP_ENUM = twin(rf"^\s*(?:[{_O}]+、|第[{_O}]+部分)")
# Alternations of plain words run several times faster in the standard library's engine, with
# the same matches; patterns with \d or \s, read line by line, run as their twins (``twin``).
_REVIEW = re.compile(
    r"回顾|过去[一五]年|过去的一年|五年来|成就|工作总结|取得的成绩|主要成绩|发展成效|执行情况"
)
_PLAN = re.compile(
    r"目标|任务|安排|要求|重点工作|部署|展望|政策取向|指导思想|基本原则|主要举措|保障措施|重点任务|今年|明年|工作建议|草案"
)
_DIGIT = twin(r"\d")
_YEAR = twin(YEAR_NIAN)
_DEADLINE = twin(rf"(?:到|至|截至|截止到|力争到|争取到|预计到)\s*({YEAR})\s*年")
RANGE_TITLE = regex.compile(rf"{YEAR}\s*[-—－–~至到]\s*({YEAR})\s*年")
_DATED_TITLE = twin(rf"^\s*{YEAR}\s*年[^，。；\d]*(?:工作|任务|回顾|安排|目标|部署)[^，。；\d]*$")
_ONE_YEAR = re.compile(r"过去一年|过去的一年|一年来|去年|刚刚过去的")
_NEW_PLAN = re.compile(r"纲要草案|《纲要》|规划纲要|纲要（草案）|今后五年|未来五年")
_FIVE_YEARS = re.compile(
    r"过去五年|五年来|这五年|五年间|五年的|的五年|本届政府|十年来|过去十年|这十年"
)


def _covered(text: str) -> int:
    """Years a review names: 10 for 十年来, 5 for 五年来 / 过去五年 / 本届政府, else 0."""
    m = _FIVE_YEARS.search(text)
    return 0 if not m else 10 if "十" in m.group(0) else 5


# a lead that announces goals (…主要预期目标是：), not one that reports them met (完成全年主要目标任务)
_PLAN_OPENERS = ("今年", "明年", "做好今年")
_GOAL_WORDS = (
    "主要预期目标",
    "主要目标",
    "预期目标",
    "发展目标",
    "目标任务",
    "总体要求",
    "工作安排",
)
_PLAN_LEAD = regex.compile(
    rf"^(?:{'|'.join(_PLAN_OPENERS)})(?![\d{_O}]+月)"
    rf"|^[^。]{{0,40}}?(?<!完成|实现|完成了|实现了)(?:{'|'.join(_GOAL_WORDS)})[^。，]{{0,4}}?(?:是|为|：|:)"
)
# a document that is a five-year plan (…第十四个五年规划…纲要, 第一个五年计划) sets its period
_PLAN_TITLE = regex.compile(rf"第([{_O}]+)个五年(?:规划|计划)|({PLAN_PERIOD})(?:”)?规划")
_OWN_PERIOD = re.compile(r"纲要|今后五年|未来五年|五年|年均")
_REVIEW_WORDS = ("过去一年", "过去的一年", "过去五年", "五年来", "一年来", "回顾")
_REVIEW_LEAD = twin(rf"^[^。]{{0,20}}?(?:{'|'.join(_REVIEW_WORDS)}|过去的{YEAR}年|刚刚过去的)")
# Every match of the two lead patterns holds one of these words (过去的 also stands for 过去的2025年
# and 刚刚过去的): lines without any (most of them) skip the patterns, whose lazy scans and
# lookbehinds cost far more than this search.
_LEAD_WORDS = re.compile("|".join((*_PLAN_OPENERS, *_GOAL_WORDS, *_REVIEW_WORDS, "过去的")))


def period_end(name: str) -> int | None:
    """Last year of a five-year plan: ``period_end("十四五") == 2025``."""
    first = PERIODS.get(name)
    return first + 4 if first else None


def plan_title_period(title: str) -> str | None:
    """The five-year plan a document's title names: ``第十四个五年规划…`` -> ``十四五``."""
    m = _PLAN_TITLE.search(title or "")
    if not m:
        return None
    name = f"{m.group(1)}五" if m.group(1) else m.group(2)
    return name if name in PERIODS else None


def plan_period_for(year: int | None) -> str | None:
    """The five-year plan a year falls in: ``plan_period_for(2026) == "十五五"``."""
    if year is None:
        return None
    for name, first in PERIODS.items():
        if first <= year <= first + 4:
            return name
    return None


@dataclass(slots=True)
class Paragraph:
    """One line of the document with what its section says about the claims in it."""

    start: int
    end: int
    mode: str = ""  # "review", "plan" or "" (unknown)
    deadline: int | None = None  # 到20XX年 in force (from a heading, a lead sentence or the title)
    period: str | None = None  # five-year plan named by the section or the lead sentence
    heading: bool = False
    lead_mode: str = ""  # mode said by this paragraph's own lead sentence
    span: int = 1  # years a review or plan passage covers: 5 in a five-year review or plan
    names_period: bool = False  # the paragraph itself speaks of the five-year plan (纲要, 十五五)


# A paragraph: a line stripped of the spaces around it (``text.paragraphs``, as its spans), found
# by the engine in one pass: ``\s`` is what ``str.isspace`` strips, so the spans are the same.
_LINE = re.compile(r"[^\s](?:[^\n]*[^\s])?")
_HEADING_MAX = 60  # characters a heading holds at most (stripped)


def _is_heading(line: str) -> bool:
    if len(line) > _HEADING_MAX and not (line[0].isspace() or line[-1].isspace()):
        return False  # the length tests below, without copying a long line to strip it
    s = line.strip()
    if _ENUM.match(s) and len(s) <= _HEADING_MAX:
        return True
    if len(s) > 30 or s.endswith(("。", "；", "：", ":", "，")):
        return False
    # numbers make a line a statement (增长5%), unless it is a dated section title (2026年重点工作)
    return not _DIGIT.search(s) or bool(_DATED_TITLE.match(s))


def analyse(
    text: str, *, doc_year: int | None, doc_type: str = "", title: str = ""
) -> list[Paragraph]:
    """Paragraphs of ``text`` with the section mode, deadline and period each one inherits."""
    out: list[Paragraph] = []
    mode = ""
    deadline: int | None = None
    m = RANGE_TITLE.search(title)
    if m:
        deadline = read_year(m.group(1))
    period: str | None = plan_title_period(title)
    period_shared = False
    # a work report given in the first year of a five-year plan reviews the whole last plan
    # and presents the new one (《纲要草案》); other reports review one year
    new_plan = plan_period_for(doc_year) if doc_type == "gov_work_report" else None
    opens_plan = bool(new_plan and PERIODS[new_plan] == doc_year)
    default_covered = 5 if doc_type == "party_report" or opens_plan else 1
    years_covered = default_covered
    intro: tuple[str, int | None] | None = None  # (mode, deadline) a list's lead line gives
    section_periods: list[str] = []  # the periods the last top heading names
    for i, found in enumerate(_LINE.finditer(text)):
        line = found.group()
        para = Paragraph(*found.span())
        item = intro is not None and _LIST_ITEM.match(line) is not None
        if i == 0 and doc_type == "gov_work_report":
            para.heading = True
        elif len(line) <= _HEADING_MAX and _is_heading(line):  # (long lines: no call)
            para.heading = True
            top = bool(_TOP_ENUM.match(line)) or not _ENUM.match(line)
            new_mode = _heading_mode(line, doc_year)
            if new_mode and (top or not mode or new_mode != mode):
                mode = new_mode
            pm = _PERIOD_IN_LINE.search(line)
            if pm:
                period = pm.group(0)
                # “十五五”时期目标任务和2026年工作安排: the period only where a paragraph names it
                period_shared = any(read_year(x) == doc_year for x in _YEAR.findall(line))
            elif top and new_mode:
                period = None
            if top and new_mode:
                years_covered = _covered(line) or (5 if pm else default_covered)
            if top:
                section_periods = [m.group(0) for m in _PERIOD_IN_LINE.finditer(line)]
            dm = _DEADLINE.search(line)
            if dm:
                deadline = read_year(dm.group(1))
            elif top and new_mode == "plan" and doc_year:
                # 二、1981年国民经济计划的任务 in a report of 1980: the section plans that year
                ahead = [y for y in (read_year(x) for x in _YEAR.findall(line)) if y > doc_year]
                if ahead:
                    deadline = max(ahead)
        else:
            lead = line[:60]
            plan_at = review_at = None
            if _LEAD_WORDS.search(lead):
                plan_at, review_at = _PLAN_LEAD.search(lead), _REVIEW_LEAD.search(lead)
            if plan_at and (not review_at or plan_at.end() < review_at.end()):
                para.lead_mode = "plan"
            elif review_at:
                para.lead_mode = "review"
            if para.lead_mode and doc_type == "gov_work_report":
                mode = para.lead_mode
            if _FIVE_YEARS.search(line, 0, 30):
                years_covered = _covered(lead[:30])
            elif _ONE_YEAR.search(line, 0, 30):
                years_covered = 1
            dm = _DEADLINE.match(line)  # paragraphs are stripped of spaces (　 too)
            if dm:
                deadline = read_year(dm.group(1))
        para.mode = mode
        para.span = years_covered
        para.deadline = deadline
        if item and intro is not None:  # 粮食：达到…, under 一九五七年的计划产量如下：
            para.lead_mode = intro[0] or para.lead_mode
            para.deadline = intro[1] or deadline
        elif not para.heading and line.rstrip().endswith(("：", ":")):
            intro = _list_intro(line, doc_year)
        else:
            intro = None
        # whether the line itself names the five-year plan: searched only where it matters
        own = None
        if period is not None and period_shared and not para.heading:
            own = bool(_PERIOD_IN_LINE.search(line) or _OWN_PERIOD.search(line))
            para.period = period if own else None
        else:
            para.period = period
        if opens_plan and not para.heading and _NEW_PLAN.search(line):
            para.period = new_plan  # 《纲要草案》 in a 2026 report is the 15th five-year plan
            para.names_period = True
            if new_plan in section_periods[1:]:
                # “十三五”时期发展成就和“十四五”时期主要目标任务: the section turns from the
                # review of the last plan to the new plan's targets where the draft is presented
                mode, period, period_shared, years_covered = "plan", new_plan, False, 5
                para.mode, para.span = mode, years_covered  # this paragraph sets the targets
        elif para.period:
            if own is None:
                own = bool(_PERIOD_IN_LINE.search(line) or _OWN_PERIOD.search(line))
            para.names_period = own
        out.append(para)
    return out


# an item of a list under a lead line ending with a colon: 粮食：达到三千八百五十六亿斤
_LIST_ITEM = regex.compile(r"\s*\p{Han}[\p{Han}、]{0,11}[：:]")
_REFERENCE_BEFORE = twin(r"(?:比|较|同|与|相比|相对于)\s*$")


def _list_intro(line: str, doc_year: int | None) -> tuple[str, int | None] | None:
    """What a lead line ending with a colon says about the items under it: ("plan", 1957) for
    主要农业产品一九五七年的计划产量…如下列：, ("review", None) for a past year; None when it
    names no year (the items keep their section's reading). Reference years (比一九五二年) are
    not the items' year."""
    if doc_year is None:
        return None
    years = [
        read_year(m.group(1))
        for m in _YEAR.finditer(line)
        if not _REFERENCE_BEFORE.search(line, max(0, m.start() - 4), m.start())
    ]
    if not years:
        return None
    year = years[-1]
    if year > doc_year:
        return ("plan", year)
    if year < doc_year:
        return ("review", None)
    return None


def _heading_mode(line: str, doc_year: int | None) -> str:
    years = [read_year(y) for y in _YEAR.findall(line)]
    if _REVIEW.search(line):
        return "review"
    if doc_year and years:
        if all(y < doc_year for y in years) and not _PLAN.search(line):
            return "review"
        if any(y >= doc_year for y in years):
            return "plan"
    pm = _PERIOD_IN_LINE.search(line)
    if pm and doc_year and PERIODS.get(pm.group(0), 0) + 4 < doc_year and not _PLAN.search(line):
        return "review"
    if _PLAN.search(line):
        return "plan"
    return ""
