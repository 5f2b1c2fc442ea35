"""What every claim of a document looks up, built once per document."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

import regex

from policy_nlp.claims import structure
from policy_nlp.claims.mentions import (
    alternation,
)
from policy_nlp.claims.tense import DocumentScores, TenseClassifier
from policy_nlp.patterns import YEAR, read_year
from policy_nlp.resources import read_table
from policy_nlp.text import char_positions


@cache
def _kind_cues() -> dict[str, tuple[str, str]]:
    return {word: (kind, strength) for word, kind, strength in read_table("kind_cues.tsv")}


# Patterns of words and explicit character sets use the standard library's engine: the same
# matches as ``regex``, with a fraction of its overhead per call on these short strings. Those
# with \d, \s or \p{…} stay with ``regex`` (the two engines' classes differ at the margins).
_TO_END = regex.compile(r"(?:到|至)\s*$")
_COMPARE_END = re.compile(r"[比较]$")
_CLAUSE_END = "，。；：！？,;:!?\n"


class _Clauses:
    """Clause boundaries of a text (，。；：！？ and line breaks), found once, looked up by bisect."""

    def __init__(self, norm: str):
        self.cuts = char_positions(norm, _CLAUSE_END)
        self.length = len(norm)

    def start(self, pos: int, floor: int = 0) -> int:
        """Where the clause holding ``pos`` begins (not before ``floor``)."""
        k = bisect.bisect_left(self.cuts, pos)
        return max(self.cuts[k - 1] + 1 if k else 0, floor)

    def end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends (at the next boundary or the end of the text)."""
        k = bisect.bisect_left(self.cuts, pos)
        return self.cuts[k] if k < len(self.cuts) else self.length


_YEAR_RE = regex.compile(rf"({YEAR})\s*年(?!\s*[-—－~至到]\s*{YEAR})")
# a year that only dates the number right after it: 由2010年的162.4亿元, 从去年的2.1%
_ATTACHED = regex.compile(r"^的[\d零〇一二两三四五六七八九十百千万亿]")
# a price or measurement basis, not a date: 按2010年不变价计算
_BASIS_AFTER = ("不变价", "可比价", "价格计算", "的水平", "相比", "同期", "以来")
_REF_BEFORE = regex.compile(r"(?:比|较|是|相比|相当于|与|同)\s*$")
_REF_RANGE_BEFORE = regex.compile(
    rf"(?:比|较|是|相比|相当于|与|同)\s*{YEAR}\s*年?\s*[-—－~至到]\s*$"
)
_REL_YEARS = {
    "今明两年": 1,
    "今年": 0,
    "本年": 0,
    "当年": 0,
    "全年": 0,
    "去年": -1,
    "上年": -1,
    "过去一年": -1,
    "明年": 1,
    "前年": -2,
}
_REL_RE = re.compile(r"今明两年|今年|本年|去年|上年|过去一年|明年|前年")
_MULTIPLE_AFTER = regex.compile(r"的[\d零〇一二两三四五六七八九十点.]+倍")
_NUMBER_SOON = regex.compile(r"[^，。；、\d]{0,3}[\d零〇一二两三四五六七八九十百]")
_PERIOD_ATTACHED = regex.compile(r"(?:末|期末)?的[\d零〇一二两三四五六七八九十]")


def _year_index(norm: str, doc_year: int | None) -> list[tuple[int, int, int, str]]:
    """(start, end, year, how) of every year expression in the document; references skipped.

    how: ``explicit`` (2015年), ``deadline`` (到2025年), ``relative`` (今年, 去年 against the
    document's year), ``period`` (“十四五” -> 2025). Reference years (比2010年, 较上年) are left out:
    they say what a change is measured against, not when the value holds.
    """
    found = []
    for m in _YEAR_RE.finditer(norm):
        before = norm[max(0, m.start() - 4) : m.start()]
        after = norm[m.end() : m.end() + 4]
        year = read_year(m.group(1))
        ref = _REF_BEFORE.search(before) or _REF_RANGE_BEFORE.search(
            norm, max(0, m.start() - 16), m.start()
        )  # 是1950年到2002年53年的总和: the end of a compared span is a reference too
        if _ATTACHED.match(after) and not (
            ref and _MULTIPLE_AFTER.match(norm, m.end(), m.end() + 10)
        ):
            # 由2010年的162.4亿元: dates the number right after, even as a comparison base;
            # but 是2010年的2.6倍 is a multiple of the base, not a value of that year
            found.append((m.start(), m.end(), year, "attached"))
        elif not (ref or after.startswith((*_BASIS_AFTER, "的"))):
            found.append(
                (m.start(), m.end(), year, "deadline" if _TO_END.search(before) else "explicit")
            )
    if doc_year is not None:
        for m in _REL_RE.finditer(norm):
            attached = _ATTACHED.match(norm[m.end() : m.end() + 2])
            ref = _REF_BEFORE.search(norm[max(0, m.start() - 4) : m.start()])
            if (
                m.group(0) == "上年" and not ref
            ):  # dates only a number that follows closely: 由上年下降2.3%
                attached = attached or _NUMBER_SOON.match(norm, m.end(), m.end() + 5)
            if attached or not ref:
                how = (
                    ("previous" if m.group(0) == "上年" else "attached") if attached else "relative"
                )
                found.append((m.start(), m.end(), doc_year + _REL_YEARS[m.group(0)], how))
    for m in structure._PERIOD.finditer(norm):
        end = structure.period_end(m.group(0))
        attached = _PERIOD_ATTACHED.match(norm[m.end() : m.end() + 5].lstrip('”"’'))
        ref = _REF_BEFORE.search(norm[max(0, m.start() - 5) : m.start()].rstrip('“"'))
        if end and (attached or not ref):
            found.append((m.start(), m.end(), end, "attached" if attached else "period"))
    return sorted(found)


@cache
def _kind_re(strong_only: bool = False) -> re.Pattern:
    cues = _kind_cues()
    return re.compile(
        alternation(w for w, (_, s) in cues.items() if s == "strong" or not strong_only)
    )


def _cue_index(norm: str, strong_only: bool = False) -> list[tuple[int, int, str, str, str]]:
    """(start, end, word, kind, strength) of every kind cue word in the document (only the
    strong ones when that is all the kind decision will read: reports with the classifier)."""
    out = []
    cues = _kind_cues()
    for m in _kind_re(strong_only).finditer(norm):
        word = m.group(0)
        if word in ("去年", "上年", "今年") and _COMPARE_END.search(
            norm[max(0, m.start() - 2) : m.start()]
        ):
            continue
        kind, strength = cues[word]
        out.append((m.start(), m.end(), word, kind, strength))
    return out


def _within(index: list, starts: list[int], lo: int, hi: int) -> list:
    """Entries of a position-sorted index that lie entirely inside ``[lo, hi)``."""
    a = bisect.bisect_left(starts, lo)
    b = bisect.bisect_left(starts, hi)
    return [e for e in index[a:b] if e[1] <= hi]


# Reports (work reports, Party congress reports) decide kind with the tense classifier. The
# weights of the other evidence were chosen on our annotated sets (tests/data/train, dev gold;
# held-out checked after): kind accuracy gold 0.87 -> 0.96, held-out reports 0.92 -> 0.93.
_REPORT_TYPES = ("gov_work_report", "party_report")
_SHORT_PARAGRAPH = 80  # characters: shorter lines borrow their neighbours as context


@dataclass(slots=True)
class _Ctx:
    """What every claim of a document looks up: its year, type and position indexes."""

    norm: str
    doc_year: int | None
    doc_type: str
    years: list[tuple[int, int, int, str]]
    year_starts: list[int]
    cues: list[tuple[int, int, str, str, str]]
    cue_starts: list[int]
    classifier: TenseClassifier | None = None
    title_year: int | None = None
    paragraphs: list = field(default_factory=list)
    paragraph_starts: list = field(default_factory=list)
    scores: DocumentScores | None = None
    logits: dict[tuple[int, int], float] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        norm: str,
        doc_year: int | None,
        doc_type: str,
        classifier: TenseClassifier | None = None,
    ) -> _Ctx:
        years = _year_index(norm, doc_year)
        cues = _cue_index(norm, strong_only=classifier is not None and doc_type in _REPORT_TYPES)
        return cls(
            norm,
            doc_year,
            doc_type,
            years,
            [y[0] for y in years],
            cues,
            [c[0] for c in cues],
            classifier,
        )

    def context_of(self, para: structure.Paragraph) -> tuple[int, int]:
        """The passage the classifier reads for a paragraph: the paragraph, widened to its
        neighbours in the same section when it is a single short line (one sentence per line)."""
        if para.end - para.start >= _SHORT_PARAGRAPH or not self.paragraphs:
            return para.start, para.end
        k = bisect.bisect_left(self.paragraph_starts, para.start)
        lo = hi = k
        while lo > 0 and k - lo < 3 and not self.paragraphs[lo - 1].heading:
            lo -= 1
        while hi + 1 < len(self.paragraphs) and hi - k < 3 and not self.paragraphs[hi + 1].heading:
            hi += 1
        return self.paragraphs[lo].start, self.paragraphs[hi].end

    def plan_logit(self, start: int, end: int) -> float:
        """Log-odds that ``norm[start:end]`` sets goals rather than reports results (cached:
        the claims of a paragraph or a sentence ask about the same passage)."""
        if self.classifier is None:
            return 0.0
        z = self.logits.get((start, end))
        if z is None:
            if self.scores is None:
                self.scores = self.classifier.document(self.norm)  # one pass scores every passage
            z = self.logits[start, end] = min(max(self.scores.logit(start, end), -9.0), 9.0)
        return z

    def years_near(
        self, pos: int, s_start: int, p_start: int, review: bool = False
    ) -> list[tuple[int, int, int, str]]:
        """Year expressions that date a number at ``pos``: those of its sentence before it, else
        the nearest earlier one of its paragraph that is not a deadline; attached years only
        right before the number (由2010年的X, 由上年下降X). In a review (``review``), a plan
        period named in an earlier sentence (“十一五”规划纲要把节能作为约束性目标。) does not date
        the results reported after it."""

        years, year_starts = self.years, self.year_starts
        a = bisect.bisect_left(year_starts, s_start)
        own = [
            y
            for y in years[a : bisect.bisect_left(year_starts, pos, a)]
            if y[1] <= pos
            and (
                y[3] not in ("attached", "previous")
                or pos - y[1] <= (2 if y[3] == "attached" else 5)
            )
        ]
        if own:
            return own
        k = a - 1
        while k >= 0 and years[k][0] >= p_start:  # walk back only as far as needed
            y = years[k]
            if (
                y[1] <= s_start
                and y[3] not in ("deadline", "attached", "previous")
                and not (review and y[3] == "period")
            ):
                return [y]
            k -= 1
        return []

    def cues_in(self, lo: int, hi: int) -> list[tuple[int, int, str, str, str]]:
        return _within(self.cues, self.cue_starts, lo, hi)

    def last_strong_cue(self, lo: int, hi: int) -> tuple[int, int, str, str, str] | None:
        """The strong target/achievement cue word lying inside ``[lo, hi)`` that starts last
        (the one nearest a number at ``hi``), walking back from ``hi``."""
        cues = self.cues
        k = bisect.bisect_left(self.cue_starts, hi) - 1
        while k >= 0 and cues[k][0] >= lo:
            c = cues[k]
            if c[1] <= hi and c[4] == "strong" and c[3] != "provision":
                return c
            k -= 1
        return None
