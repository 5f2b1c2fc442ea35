"""A figure's scope: one year's figure, or a figure over a period (这五年, 年均, “十二五”时期).

The scope is read, nearest first, from the figure's own clause (年均增长, 累计), its
sentence's lead (五年累计，…), the paragraph before it (这五年，… against 过去一年，…) and,
when the paragraph says nothing, the section it stands in: a report's review of five years
(``一、过去五年工作回顾``, ``五年来，我们主要做了以下工作：``) or a plan's targets
(``二、“十二五”时期的主要目标和任务``) make their changes and totals period figures, while a
level reached (``地区生产总值达到13697.5亿元``) stays the value of the period's last year.

``DocLayout`` is built once per document (paragraph starts and section scopes), so a figure's
paragraph is found by bisection instead of by reading back through the text. Each paragraph is
cleaned and searched once, on its first figure (``_Paragraph``): a figure's window is a prefix of
its paragraph, so what the window says is read from the paragraph's matches by bisection
instead of cleaning and searching up to 2000 characters again per figure.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial

import regex

from policy_nlp.patterns import PLAN_PERIOD, YEAR_NIAN, read_year
from policy_nlp.text import normalize
from policy_nlp.tracking.indicators import NOISE, cue_pattern, cue_words

__all__ = [
    "HEADING_CHARS",
    "LEAD_CLAUSE_CHARS",
    "SCOPE_WINDOW",
    "DocLayout",
    "figure_scope",
    "window_scope",
]

# Characters of the paragraph before a figure that can say it spans years: a long line
# (a whole report on one line) is read back only so far.
SCOPE_WINDOW = 2000
# A sentence's first clause this short (五年累计) that names a period sets the whole sentence's
# scope.
LEAD_CLAUSE_CHARS = 6
# The longest line read as a heading or a list's lead line (一、过去五年工作回顾).
HEADING_CHARS = 40

# How much of a line is read for a heading or a paragraph's lead (both at most HEADING_CHARS
# once quotes and brackets are out).
_READ_CHARS = 4 * HEADING_CHARS
_SENTENCE_INSIDE = regex.compile(r"[。；;]")
_CLAUSE_BREAK = regex.compile(r"[，。；：！？,;\n]")
_SENTENCE_BREAK = regex.compile(r"[。！？\n]")
# the last clause break before an offset (searched backwards from it)
_LAST_CLAUSE_BREAK = regex.compile(_CLAUSE_BREAK.pattern, regex.REVERSE)
# A top-level heading (一、 第二部分) closes the section before it; a sub-heading ((一)
# 1.) does not.
_TOP_HEADING = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]{1,3}部分)"
)
_SUB_HEADING = regex.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．])")
_YEAR_NAMED = regex.compile(YEAR_NIAN)
# One year named as what a sentence speaks of (2025年，), not the start of a span (2021年以来).
_ONE_YEAR = regex.compile(rf"{YEAR_NIAN}(?!以来|至|到|[-—－~～])")
# a character before a year that makes it a base, start or deadline (比2002年, 从2020年, 到2025年)
_BASE = frozenset("比较与同从由到至自")
# a comparison with a named base year in the figure's clause (比2002年增长65.5%)
_BASE_YEAR = regex.compile(rf"(?:比|较|与|同)\s*{YEAR_NIAN}")


@cache
def _plan_period() -> regex.Pattern:
    """A five-year-plan period named in a paragraph: “十一五”时期, 十二五期间."""
    return regex.compile(rf"{PLAN_PERIOD}(?:{cue_pattern('plan-period').pattern})")


@cache
def _time_cue() -> regex.Pattern:
    """Any cue to a period or to one year that a heading or a lead is read for: most lines
    name none, and one search says so instead of four."""
    cues = (cue_pattern("period"), _plan_period(), cue_pattern("annual"), _YEAR_NAMED)
    return regex.compile("|".join(f"(?:{c.pattern})" for c in cues))


@cache
def _time_marks() -> tuple[str, ...]:
    """Characters one of which every ``_time_cue`` match holds: 年 (of a year and of the cue
    words that have it), 五 (of a plan period) and a character of each other cue word. Text
    without any cannot name a time, and need not be cleaned to tell."""
    words = cue_words("period") + cue_words("annual")
    return tuple({"年", "五"} | {w[0] for w in words if "年" not in w})


def _names_period(text: str) -> bool:
    return bool(cue_pattern("period").search(text) or _plan_period().search(text))


def _names_year(text: str) -> bool:
    return bool(cue_pattern("annual").search(text) or _YEAR_NAMED.search(text))


def _heading_scope(line: str, current: str) -> str:
    """The section scope after ``line``: ``period``, ``year`` or ``""`` (none said)."""
    if len(line) > _READ_CHARS:
        return current  # a paragraph, not a heading (without reading it through)
    if not current and not any(mark in line for mark in _time_marks()):
        return ""  # naming no time, a heading could only close a section, and none is open
    bare = NOISE.sub("", line)
    if not bare or len(bare) > HEADING_CHARS or _SUB_HEADING.match(bare):
        return current
    body = bare.rstrip("。.：:！!")
    if _SENTENCE_INSIDE.search(body):
        return current  # a short sentence, not a heading
    if not _time_cue().search(body):
        return "" if _TOP_HEADING.match(bare) else current
    period, year = _names_period(body), _names_year(body)
    if period and not year:
        return "period"
    if year:
        return "year"
    return "" if _TOP_HEADING.match(bare) else current


def _lead_scope(line: str, current: str) -> str:
    """The scope after a paragraph that opens by naming its time: 刚刚过去的2025年，… starts
    an account of one year inside a five-year review, 过去的五年极不寻常。… one of five years;
    a paragraph that opens otherwise keeps the scope it stands in."""
    head = line[:_READ_CHARS]  # a lead is short: the paragraph is not read
    if not any(mark in head for mark in _time_marks()):
        return current  # cleaning only takes characters out: no time is named
    text = NOISE.sub("", head)
    address = cue_pattern("address").match(text)  # 各位代表，刚刚过去的2025年，…
    if address:
        text = text[address.end() :].lstrip("，,！!：: ")
    end = _CLAUSE_BREAK.search(text)
    lead = text[: end.start()] if end else text
    if len(lead) > HEADING_CHARS or not _time_cue().search(lead):
        return current
    period = _names_period(lead)
    year = bool(cue_pattern("annual").search(lead)) or any(
        lead[m.start() - 1 : m.start()] not in _BASE for m in _ONE_YEAR.finditer(lead)
    )
    if period and not year:
        return "period"
    if year and not period:
        return "year"
    return current


@dataclass(frozen=True, slots=True)
class DocLayout:
    """A document's normalised text, its paragraph starts and each paragraph's section scope."""

    text: str
    starts: tuple[int, ...]
    sections: tuple[str, ...]
    # each paragraph's figure windows, read on the paragraph's first figure (index -> reading)
    _read: dict[int, _Paragraph] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, text: str) -> DocLayout:
        """Read ``text`` once: paragraphs are lines; headings set the scope of what follows."""
        norm = normalize(text)
        starts, sections = [], []
        scope, pos = "", 0
        for line in norm.split("\n"):
            starts.append(pos)
            sections.append(scope)  # a heading's own line keeps the scope before it
            if line:  # an empty line changes no scope
                heading = _heading_scope(line, scope)
                scope = heading if heading != scope else _lead_scope(line, scope)
            pos += len(line) + 1
        return cls(norm, tuple(starts), tuple(sections))

    def paragraph(self, start: int) -> int:
        """The index of the paragraph holding offset ``start``."""
        return max(bisect_right(self.starts, start) - 1, 0)

    def window(self, start: int) -> tuple[str, str]:
        """The text a figure at ``start`` reads back (its paragraph up to it, at most
        ``SCOPE_WINDOW`` characters) and the scope of the section it stands in."""
        p = self.paragraph(start)
        return self.text[max(self.starts[p], start - SCOPE_WINDOW) : start], self.sections[p]

    def _paragraph_read(self, p: int) -> _Paragraph:
        read = self._read.get(p)
        if read is None:
            end = self.starts[p + 1] - 1 if p + 1 < len(self.starts) else len(self.text)
            read = self._read[p] = _Paragraph(self.text[self.starts[p] : end])
        return read


def _is_flow(clause: str, indicator: str, change: str) -> bool:
    """A figure that counts what happened in its period (a change, 新增, 新建, 解决) rather
    than a level reached at its end."""
    if change in ("up", "down"):
        return True
    return bool(cue_pattern("flow").search(clause) or cue_pattern("flow").search(indicator))


def _last_annual(before: str) -> int:
    """Where the last cue back to one year ends (-1: none). In the figure's own sentence any
    cue counts; in earlier sentences only a sentence's lead (过去一年，… 刚刚过去的2025年，…):
    粮食产量屡创新高，去年达到54641万吨 speaks of its own sentence, not of the paragraph's
    next figures."""
    sentence_start = _sentence_start(before, len(before))
    last = -1
    for m in cue_pattern("annual").finditer(before):
        if m.start() >= sentence_start or _leads(before, m):
            last = max(last, m.end())
    for m in _ONE_YEAR.finditer(before):
        in_sentence = m.start() >= sentence_start and before[m.start() - 1 : m.start()] not in _BASE
        if in_sentence or _leads(before, m):  # 2007年单位国内生产总值能耗…, 2025年，…
            last = max(last, m.end())
    return last


def _sentence_start(text: str, end: int) -> int:
    """Where the sentence holding ``text[end - 1]`` starts (after 。！？ or a line end)."""
    return max(text.rfind("。", 0, end), text.rfind("！", 0, end), text.rfind("？", 0, end),
               text.rfind("\n", 0, end)) + 1  # fmt: skip


def _leads(text: str, m: regex.Match) -> bool:
    """Whether ``m`` is what its sentence opens with: in its first clause, which it ends."""
    head = _sentence_start(text, m.start()) - 1
    return not _CLAUSE_BREAK.search(text, head + 1, m.start()) and text[m.end() : m.end() + 1] in (
        "，",
        ",",
        "：",
        ":",
    )


class _Removal:
    """The matches of ``pattern`` taken out of ``text`` (as ``pattern.sub("", text)``), and
    where an offset of ``text`` lands in what is left."""

    __slots__ = ("ends", "removed", "starts", "text")

    def __init__(self, pattern: regex.Pattern, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.removed = [0]  # characters taken out by the first i matches
        kept, last = [], 0
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.removed.append(self.removed[-1] + m.end() - m.start())
            kept.append(text[last : m.start()])
            last = m.end()
        kept.append(text[last:])
        self.text = "".join(kept)

    def at(self, cut: int) -> int | None:
        """Where ``cut`` lands in the cleaned text; None when a match spans it (the prefix
        ``text[:cut]`` might then be cleaned otherwise)."""
        i = bisect_right(self.ends, cut)
        if i < len(self.starts) and self.starts[i] < cut:
            return None
        return cut - self.removed[i]


class _Matches:
    """The matches of ``pattern`` in a paragraph's cleaned text, as ``finditer`` finds them,
    and whether each opens its sentence (``_leads``, the text after the match unread when the
    window ends there)."""

    __slots__ = ("ends", "leads", "starts")

    def __init__(self, pattern: regex.Pattern, text: str, *, leads: bool = False) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.leads: list[bool] = []
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            if leads:
                self.leads.append(_leads(text, m))

    def upto(self, cut: int) -> int | None:
        """How many matches end by ``cut``; None when one spans it (a prefix of the text
        might match otherwise at its end)."""
        i = bisect_right(self.ends, cut)
        if i < len(self.starts) and self.starts[i] < cut:
            return None
        return i


class _Paragraph:
    """A paragraph cleaned as a figure's window is, and the matches the window is read for.

    A figure's window (``SCOPE_WINDOW`` characters at most) is a prefix of its paragraph. The
    patterns here look behind no further than the paragraph's start and read nothing after a
    match but ``_ONE_YEAR``'s lookahead, so a prefix matches as the paragraph does up to its
    end, unless a match spans the end: then the window is read on its own, as it is when the
    paragraph is longer than the window.
    """

    __slots__ = ("annual", "noise", "one_year", "period", "plan", "sentence_starts", "text",
                 "year_mean")  # fmt: skip

    def __init__(self, raw: str) -> None:
        self.noise = _Removal(NOISE, raw)
        self.year_mean = _Removal(cue_pattern("year-mean"), self.noise.text)
        text = self.text = self.year_mean.text
        self.period = _Matches(cue_pattern("period"), text)
        self.plan = _Matches(_plan_period(), text)
        self.sentence_starts = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
        # the cues back to one year, read on a paragraph's first figure that needs them
        self.annual: _Matches | None = None
        self.one_year: _Matches | None = None

    def parts(self, cut: int) -> tuple[str, str, int, Callable[[], int]] | None:
        """``_window_parts`` of the paragraph's first ``cut`` characters, or None when a match
        spans the cut (then the window is read on its own)."""
        n = self.noise.at(cut)
        c = None if n is None else self.year_mean.at(n)
        if c is None:
            return None
        period, plan = self.period.upto(c), self.plan.upto(c)
        if period is None or plan is None:
            return None
        text = self.text
        # the clause is searched back from c within its sentence (a sentence break is a
        # clause break too)
        i = bisect_right(self.sentence_starts, c)
        sentence_start = self.sentence_starts[i - 1] if i else 0
        last = _LAST_CLAUSE_BREAK.search(text, sentence_start, c)
        clause = text[last.end() if last else sentence_start : c]
        end = _CLAUSE_BREAK.search(text, sentence_start, c)
        lead = text[sentence_start : end.start() if end else c]
        last_period = max(
            self.period.ends[period - 1] if period else -1,
            self.plan.ends[plan - 1] if plan else -1,
        )
        return clause, lead, last_period, partial(self._last_annual, c, sentence_start)

    def cleaned(self, start: int, end: int) -> str | None:
        """The paragraph's characters ``start:end`` cleaned as ``_clean`` cleans them alone,
        or None when a removed match spans either end (the piece alone might be cleaned
        otherwise). The removals look behind nothing, so elsewhere the piece's matches are the
        paragraph's."""
        a, b = self.noise.at(start), self.noise.at(end)
        if a is None or b is None:
            return None
        a, b = self.year_mean.at(a), self.year_mean.at(b)
        if a is None or b is None:
            return None
        return self.text[a:b]

    def _last_annual(self, c: int, sentence_start: int) -> int:
        """``_last_annual`` of the first ``c`` characters of the cleaned text."""
        text = self.text
        if "年" in text[max(c - 2, 0) : c]:
            return _last_annual(text[:c])  # a year just before c: its lookahead reads past c
        if self.annual is None or self.one_year is None:
            self.annual = _Matches(cue_pattern("annual"), text, leads=True)
            self.one_year = _Matches(_ONE_YEAR, text, leads=True)
        a, y = self.annual, self.one_year
        annual, one_year = a.upto(c), y.upto(c)
        if annual is None or one_year is None:
            return _last_annual(text[:c])
        # ends grow, so the last match that counts ends last; a match ending at c has nothing
        # after it in the window (it leads nothing)
        last = -1
        for k in range(annual - 1, -1, -1):
            if a.starts[k] >= sentence_start or (a.leads[k] and a.ends[k] < c):
                last = a.ends[k]
                break
        for k in range(one_year - 1, -1, -1):
            if y.ends[k] <= last:
                break
            s = y.starts[k]
            if (s >= sentence_start and text[s - 1 : s] not in _BASE) or (
                y.leads[k] and y.ends[k] < c
            ):
                last = y.ends[k]
                break
        return last


def _window_parts(before: str) -> tuple[str, str, int, Callable[[], int]]:
    """What a figure's scope is read from in ``before`` (cleaned): its clause, its sentence's
    lead clause, where the last cue to a period ends and where the last cue back to one year
    ends (asked only when needed)."""
    # the last clause and the first clause of the last sentence, found by searching (not by
    # splitting the whole window): the same pieces as _CLAUSE_BREAK.split(before)[-1] and
    # _CLAUSE_BREAK.split(_SENTENCE_BREAK.split(before)[-1])[0]
    last = _LAST_CLAUSE_BREAK.search(before)
    clause = before[last.end() :] if last else before
    sentence_start = _sentence_start(before, len(before))
    end = _CLAUSE_BREAK.search(before, sentence_start)
    lead = before[sentence_start : end.start() if end else len(before)]
    last_period = max(
        (m.end() for r in (cue_pattern("period"), _plan_period()) for m in r.finditer(before)),
        default=-1,
    )
    return clause, lead, last_period, partial(_last_annual, before)


def _clean(before: str) -> str:
    """The window as read: bracketed codes and quotes out, 年均 of a one-year mean out."""
    return cue_pattern("year-mean").sub("", NOISE.sub("", before))


def window_scope(
    before: str,
    section: str = "",
    *,
    indicator: str = "",
    change: str = "",
    year: int | None = None,
) -> str:
    """``period`` or ``year`` for a figure after ``before`` (the text it reads back, as
    ``DocLayout.window`` gives it) in a section of scope ``section``; see ``figure_scope``."""
    return _scope(*_window_parts(_clean(before)), section, indicator, change, year)


def figure_scope(
    layout: DocLayout | None,
    start: int,
    sentence: str,
    in_sentence: int,
    *,
    indicator: str = "",
    change: str = "",
    year: int | None = None,
) -> str:
    """``period`` when the figure at ``start`` covers several years, else ``year``.

    ``year`` is the figure's own: a change against a base year before the year ahead of it
    (2007年…比2002年增长65.5%) is the change over those years. Without a ``layout`` (no
    document text), only the figure's sentence up to it is read."""
    if layout is None or not 0 <= start <= len(layout.text):
        before = normalize(sentence[: max(in_sentence, 0)])
        return window_scope(before, "", indicator=indicator, change=change, year=year)
    p = layout.paragraph(start)
    cut = start - layout.starts[p]
    read = layout._paragraph_read(p)
    if cut <= SCOPE_WINDOW:
        parts = read.parts(cut)
    else:  # a long paragraph (a web page's or a PDF's line): its last SCOPE_WINDOW characters
        window = read.cleaned(cut - SCOPE_WINDOW, cut)
        parts = None if window is None else _window_parts(window)
    if parts is None:  # a window the paragraph's reading does not answer: read it alone
        return window_scope(*layout.window(start), indicator=indicator, change=change, year=year)
    return _scope(*parts, layout.sections[p], indicator, change, year)


def _scope(
    clause: str,
    lead: str,
    last_period: int,
    last_annual: Callable[[], int],
    section: str,
    indicator: str,
    change: str,
    year: int | None,
) -> str:
    """The scope from what ``_window_parts`` reads (``last_annual`` asked only when needed)."""
    period_clause = cue_pattern("period-clause")
    if period_clause.search(clause):
        return "period"
    if (
        year is not None
        and "年" in clause  # (a base year is written with 年: most clauses are not searched)
        and any(read_year(m.group(1)) < year - 1 for m in _BASE_YEAR.finditer(clause))
    ):
        return "period"
    # a sentence that opens with a short period lead (五年累计，…；…下降17.2%) is one
    # period's account to its end
    if len(lead) <= LEAD_CLAUSE_CHARS and period_clause.search(lead):
        return "period"
    if last_period < 0:
        if section != "period" or last_annual() >= 0:
            return "year"
    elif last_period < last_annual():
        return "year"
    # a paragraph or section about several years: its changes and totals are the period's, a
    # level reached (这五年，…经济总量达到2.67万亿元) is the value of its last year
    return "period" if _is_flow(clause, indicator, change) else "year"
