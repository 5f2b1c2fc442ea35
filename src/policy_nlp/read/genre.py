"""What kind of document a text is, and the year it speaks about.

A claim's year resolves against the year a document *speaks about*, which is not always the
year it was published (``spec/claims.md``, "More genres, decided"): a statistical communiqué
reports the year in its title and appears the next spring; a plan or budget report delivered
in Y reviews Y-1 and sets Y's targets, and its title names both years; a five-year-plan outline
speaks about its period; news speaks about the day it was printed, or, undated, about the year
its text makes current. ``classify`` names the genre and ``reference_year`` the year, each with
the evidence it used (``Decision.source``), so a user can audit both in ``documents.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from policy_nlp.patterns import ARABIC_YEAR, YEAR, YEAR_NIAN, plan_period, read_year

__all__ = [
    "Decision",
    "classify",
    "news_date",
    "reference_year",
]


@dataclass(frozen=True, slots=True)
class Decision:
    """A value read from a document and how it was found (``title: 统计公报``)."""

    value: object
    source: str


# ----------------------------------------------------------------------------- genre

_COMMUNIQUE = re.compile(r"统计公报|经济和社会发展公报|统计快报")
_QUOTED_COMMUNIQUE = re.compile(rf"《[^》]{{0,40}}?({YEAR})\s*年[^》]{{0,40}}?统计公报》")
_BUDGET = re.compile(r"预算执行情况|预算草案|预算(?:调整方案|的报告)|决算(?:草案|的报告)")
_PLAN_REPORT = re.compile(r"计划执行情况|计划草案|(?<!五)年[^，。]{0,16}计划(?:安排)?的报告")
_OUTLINE = re.compile(
    r"五年(?:规划|计划)(?:纲要|和[^，。]{0,12}远景目标纲要|的建议|（草案）|草案)"
    r"|规划纲要|五年计划的报告|五年规划的报告"
)
_REGULATION = re.compile(
    r"(?:条例|办法|规定|细则|规则|实施办法|管理办法)(?:（(?:试行|暂行|修订|修正|草案)[^）]{0,8}）)?$"
)
# a 通知 that only carries a regulation: 关于印发《…管理办法》的通知
_CARRIED = re.compile(r"印发《?(?P<inner>[^》]{2,80})》?的通知$")
_NEWS_LINES = re.compile(
    r"本报讯|本报[^\s，。]{0,8}电|(?:新华社|中新社|新华网|人民网|央视网|中国新闻网)[^\s，。]{0,10}电"
    r"|^(?:author|date|source)\s*:|^(?:来源|作者|记者|编辑|责任编辑)[：:]|（记者[^）]{1,20}）|\(记者[^)]{1,20}\)"
    r"|《[^》]{1,12}(?:日报|晚报|时报)》"
)
_TITLE_YEARS = re.compile(YEAR_NIAN)
_REVIEW_HEADING = re.compile(rf"^[一二三四五六七八九十]+、\s*({YEAR})\s*年(?:政府)?工作回顾")


def classify(title: str, header: str, opening: str = "") -> Decision | None:
    """The genre of a document from its title, else its first lines (``header``) or opening
    (the first few hundred characters): ``stat_communique``, ``budget_report``,
    ``plan_report``, ``plan_outline``, ``regulation`` or ``news``; None when none of these
    (the caller's older rules decide among work reports, plans, policies and articles)."""
    carried = _CARRIED.search(title)
    core = carried["inner"] if carried else title
    if _COMMUNIQUE.search(title):
        return Decision("stat_communique", "title: 统计公报")
    if "报告" in title and _BUDGET.search(title):
        return Decision("budget_report", "title: 预算执行情况/草案的报告")
    if "报告" in title and _PLAN_REPORT.search(title):
        return Decision("plan_report", "title: 计划执行情况/草案的报告")
    if _OUTLINE.search(title):
        return Decision("plan_outline", "title: 五年规划纲要")
    rule = _REGULATION.search(core.strip())
    if rule and not _TITLE_YEARS.search(core):  # a dated 2022年…考评办法 is that year's plan
        return Decision("regulation", "title: " + rule.group(0))
    if _QUOTED_COMMUNIQUE.search(opening[:400]):
        return Decision("stat_communique", "opening: reports a 统计公报")
    for line in header.split("\n"):
        m = _NEWS_LINES.search(line.strip())
        if m:
            return Decision("news", f"header: {m.group(0)[:12]}")
    m = _NEWS_LINES.search(opening[:300])
    if m:
        return Decision("news", f"opening: {m.group(0)[:12]}")
    m = _REVIEW_HEADING.match(header.split("\n")[0].strip()) if header else None
    if m:
        return Decision("gov_work_report", "opening: section heading …工作回顾")
    return None


# ----------------------------------------------------------------------------- dates of news

_RFC_DATE = re.compile(r"^date\s*:\s*(?P<d>.+)$", re.I)
_STAMP = re.compile(rf"[（(]\s*({ARABIC_YEAR})(\d\d)(\d\d)\s*[）)]")
_NEWSPAPER = re.compile(
    rf"《[^》]{{1,12}}》\s*[（(]\s*({ARABIC_YEAR})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"
)


def news_date(lines: list[str]) -> Decision | None:
    """An ISO date from the forms news copies carry: a newspaper line
    (``《人民日报》（2024年05月20日第 07 版）``), a feed's ``date: Mon, 18 Oct 2021 …`` line or a
    compact stamp (``（20190308）``)."""
    for line in lines:
        if m := _NEWSPAPER.search(line):
            return Decision(_iso(m[1], m[2], m[3]), "newspaper line")
        if m := _RFC_DATE.match(line.strip()):
            try:
                d = parsedate_to_datetime(m["d"].strip())
            except (TypeError, ValueError, IndexError):
                continue
            return Decision(d.date().isoformat(), "date: line")
        m = _STAMP.search(line)
        if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
            return Decision(_iso(m[1], m[2], m[3]), "date stamp")
    return None


def _iso(y: str, m: str, d: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


# ----------------------------------------------------------------------------- reference year

_TEXT_PLAN_YEAR = re.compile(
    rf"部署\s*({YEAR})\s*年|({YEAR})\s*年[^，。；]{{0,12}}?(?:预期目标|主要目标|计划草案|预算草案|重点工作|工作安排)"
)


def reference_year(
    genre: str, title: str, date_year: int | None, opening: str = "", *, dated: bool = True
) -> Decision | None:
    """The year a document speaks about, by genre (see the module docstring). ``date_year``
    is the year found so far; ``dated``: it comes from a date, not from the title."""
    years = [read_year(y) for y in _TITLE_YEARS.findall(title)]
    if genre == "stat_communique":
        if years:
            return Decision(years[0], "title year (communiqué)")
        if m := _QUOTED_COMMUNIQUE.search(opening[:400]):
            return Decision(read_year(m[1]), "year of the communiqué it reports")
        if date_year:
            return Decision(date_year - 1, "published the year after (communiqué)")
        return None
    if genre in ("budget_report", "plan_report") and years:
        # delivered early in the year of the draft: the date says it; else the title's last year
        if dated and date_year is not None and max(years) - 1 <= date_year <= max(years):
            return Decision(date_year, "date")
        return Decision(max(years), "title: the year of the draft")
    if genre == "plan_outline" and date_year is None:
        period = plan_period(title)
        if period:
            return Decision(period[0], "title: the plan's first year")
    if date_year is not None:
        return Decision(date_year, "date")
    if genre in ("news", "budget_report", "plan_report"):
        found = [read_year(a or b) for a, b in _TEXT_PLAN_YEAR.findall(opening)]
        if found:
            return Decision(max(found), "text: the year it plans")
    return None
