"""What every claim of a document looks up, built once per document: ``DocContext``.

The normalised text, its sentence and clause index, the index of year expressions (2015年,
到2025年, 今年, “十四五”), the index of kind cue words, the document's structure
(``structure.analyse``) and the tense classifier's scores. The field modules (comparator,
kind, years, indicator) read them; nothing here decides a field.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import regex

from policy_nlp.claims import structure
from policy_nlp.claims.lexicon import (
    CN_MAGNITUDES,
    DATE_DIGITS,
    alternation,
    kind_cues,
    relative_years,
    words,
)
from policy_nlp.claims.mentions import Mention
from policy_nlp.claims.tense import DocumentScores, TenseClassifier
from policy_nlp.claims.twin import twin
from policy_nlp.patterns import YEAR, plan_period, read_year
from policy_nlp.text import SentenceIndex, Span, char_positions, normalize

__all__ = [
    "PLAN_TYPES",
    "REPORT_TYPES",
    "RESULT_TYPES",
    "RULE_TYPES",
    "YEAR_EXPRESSION",
    "Clauses",
    "CueRef",
    "DocContext",
    "Place",
    "YearRef",
    "cue_index",
    "year_index",
]

# Reports (work reports, Party congress reports) review one period and plan the next; their
# claims' kind is read with the tense classifier, and their achievements date a year back.
# Documents given to an assembly that review the year (or period) before them and set what
# comes next: the tense classifier reads them, achievements default to the year before.
REPORT_TYPES = ("gov_work_report", "party_report", "plan_report", "budget_report")
# Plans read like plans (targets unless a cue says otherwise); an outline also reviews the
# period before it, so its results default to the year before it, its targets to its last year.
PLAN_TYPES = ("plan", "policy", "plan_outline")
# Documents whose figures are results unless a deadline or a target word says otherwise:
# released statistics and news of them (spec v2, "Kind in more genres").
RESULT_TYPES = ("stat_communique", "news")
# Standing rules: every figure they lay down is a provision, with no year.
RULE_TYPES = ("regulation",)
SHORT_PARAGRAPH = 80  # characters: shorter lines borrow their neighbours as context
NEIGHBOURS = 3  # lines on either side a short line may borrow (within its section)
LOGIT_BOUND = 9.0  # the classifier's log-odds are clipped to ±this
ATTACHED_REACH = 2  # an attached year (由2010年的X) dates a number at most this far after it
PREVIOUS_REACH = 5  # 上年 (由上年下降2.3%) dates a number at most this far after it

# Patterns of words and explicit character sets use the standard library's engine: the same
# matches as ``regex``, with a fraction of its overhead per call on these short strings; those
# with \d or \s run as their twins, with the classes spelled out as ``regex`` reads them.
_TO_END = twin(r"(?:到|至)\s*$")
_COMPARE_END = re.compile(r"[比较]$")
_CLAUSE_END = "，。；：！？,;:!?\n"


class YearRef(NamedTuple):
    """A year expression of the document and how it dates the numbers after it.

    how: ``explicit`` (2015年), ``deadline`` (到2025年), ``relative`` (今年, 去年 against the
    document's year), ``period`` (“十四五” -> 2025), ``attached`` (由2010年的X: only the number
    right after), ``previous`` (由上年下降X: 上年 right before a number).
    """

    start: int
    end: int
    year: int
    how: str


class CueRef(NamedTuple):
    """A kind cue word of the document (``data/kind_cues.tsv``)."""

    start: int
    end: int
    word: str
    kind: str
    strength: str


class Place(NamedTuple):
    """Where a mention sits: its sentence, clause and paragraph."""

    s_start: int  # its sentence (the sentence's end stretched to the mention's)
    s_end: int
    c_start: int  # its clause (，。；：！？ and line breaks), not before the sentence
    c_end: int
    para: structure.Paragraph | None  # its line with what its section says
    p_start: int  # where its paragraph starts (its sentence's start without one)


_NO_SENTENCE = Span(0, 0)  # holds no position


class Clauses:
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


# ----------------------------------------------------------------------------- year index

# a year with 年, not the first year of a span (2021-2025年)
# (a scan of the whole text: ``regex`` finds the few candidates faster than the twin would)
YEAR_EXPRESSION = regex.compile(rf"({YEAR})\s*年(?!\s*[-—－~至到]\s*{YEAR})")
# a year that only dates the number right after it: 由2010年的162.4亿元, 从去年的2.1%
_ATTACHED = twin(rf"^的[\d{DATE_DIGITS}{CN_MAGNITUDES}]")
_REF_BEFORE = twin(r"(?:比|较|是|相比|相当于|与|同)\s*$")
_REF_RANGE_BEFORE = twin(rf"(?:比|较|是|相比|相当于|与|同)\s*{YEAR}\s*年?\s*[-—－~至到]\s*$")
_MULTIPLE_AFTER = twin(rf"的[\d{DATE_DIGITS}十点.]+倍")
# a number right after 较上年 / 比上年 (no verb between): the compared value of last year
_BASE_VALUE = twin(r"[\d零〇一二两三四五六七八九十百千]")
_NUMBER_SOON = twin(rf"[^，。；、\d]{{0,3}}[\d{DATE_DIGITS}十百]")
_PERIOD_ATTACHED = twin(rf"(?:末|期末)?的[\d{DATE_DIGITS}十]")
_REF_WINDOW = 4  # characters before a year where a reference word (比, 较, 与) is looked for
_REF_RANGE_WINDOW = 16  # … and the start of a compared span (是1950年到2002年)
_MULTIPLE_WINDOW = 10  # characters after a year where 的2.6倍 is looked for


@cache
def _relative_re() -> re.Pattern:
    return re.compile(alternation(relative_years()))


@cache
def _not_dating() -> tuple[str, ...]:
    """What right after 2010年 makes it a basis or a reference, not a date (按2010年不变价)."""
    return (*words("year_cues.tsv", "basis"), "的")


def year_index(norm: str, doc_year: int | None) -> list[YearRef]:
    """Every year expression of the document that can date a number, in text order.

    Reference years (比2010年, 较上年) are left out: they say what a change is measured against,
    not when the value holds. Relative years (今年) need the document's year.
    """
    found = []
    not_dating = _not_dating()
    for m in YEAR_EXPRESSION.finditer(norm):
        start, end = m.span()
        before = norm[max(0, start - _REF_WINDOW) : start]
        after = norm[end : end + _REF_WINDOW]
        year = read_year(m.group(1))
        ref = _REF_BEFORE.search(before) or _REF_RANGE_BEFORE.search(
            norm, max(0, start - _REF_RANGE_WINDOW), start
        )  # 是1950年到2002年53年的总和: the end of a compared span is a reference too
        if _ATTACHED.match(after) and not (
            ref and _MULTIPLE_AFTER.match(norm, end, end + _MULTIPLE_WINDOW)
        ):
            # 由2010年的162.4亿元: dates the number right after, even as a comparison base;
            # but 是2010年的2.6倍 is a multiple of the base, not a value of that year
            found.append(YearRef(start, end, year, "attached"))
        elif not (ref or after.startswith(not_dating)):
            how = "deadline" if _TO_END.search(before) else "explicit"
            found.append(YearRef(start, end, year, how))
    if doc_year is not None:
        offsets = relative_years()
        for m in _relative_re().finditer(norm):
            start, end = m.span()
            word = m.group(0)
            attached = _ATTACHED.match(norm[end : end + 2])
            ref = _REF_BEFORE.search(norm[max(0, start - _REF_WINDOW) : start])
            if (
                word == "上年" and not ref
            ):  # dates only a number that follows closely: 由上年下降2.3%
                attached = attached or _NUMBER_SOON.match(norm, end, end + 5)
            elif word == "上年" and _BASE_VALUE.match(norm, end):
                attached, ref = True, None  # 较上年28899万元增长9.9%: last year's value itself
            if attached or not ref:
                how = ("previous" if word == "上年" else "attached") if attached else "relative"
                found.append(YearRef(start, end, doc_year + offsets[word], how))
    for m in structure.PERIOD_NAME.finditer(norm):
        start, end = m.span()
        last = structure.period_end(m.group(0))
        attached = _PERIOD_ATTACHED.match(norm[end : end + 5].lstrip('”"’'))
        ref = _REF_BEFORE.search(norm[max(0, start - 5) : start].rstrip('“"'))
        if last and (attached or not ref):
            found.append(YearRef(start, end, last, "attached" if attached else "period"))
    return sorted(found)


# ----------------------------------------------------------------------------- cue index


@cache
def _kind_re(strong_only: bool = False) -> re.Pattern:
    cues = kind_cues()
    return re.compile(
        alternation(w for w, (_, s) in cues.items() if s == "strong" or not strong_only)
    )


def cue_index(norm: str, strong_only: bool = False) -> list[CueRef]:
    """Every kind cue word of the document, in text order (only the strong ones when that is
    all the kind decision will read: reports with the classifier). 去年/上年/今年 after 比 or 较
    are references, not cues."""
    out = []
    cues = kind_cues()
    for m in _kind_re(strong_only).finditer(norm):
        word = m.group(0)
        if word in ("去年", "上年", "今年") and _COMPARE_END.search(
            norm[max(0, m.start() - 2) : m.start()]
        ):
            continue
        kind, strength = cues[word]
        out.append(CueRef(m.start(), m.end(), word, kind, strength))
    return out


# ----------------------------------------------------------------------------- the context


@dataclass(slots=True)
class DocContext:
    """What every claim of a document looks up: its text, year, type and position indexes."""

    text: str
    norm: str
    doc_year: int | None
    doc_type: str
    years: list[YearRef]
    year_starts: list[int]
    cues: list[CueRef]
    cue_starts: list[int]
    sentences: SentenceIndex
    clauses: Clauses
    paragraphs: list[structure.Paragraph]
    paragraph_starts: list[int]
    classifier: TenseClassifier | None = None
    title_year: int | None = None  # the one year a title names (2023年…统计公报), else None
    plan_period: tuple[int, int] | None = None  # the five-year plan a title presents
    scores: DocumentScores | None = None
    logits: dict[tuple[int, int], float] = field(default_factory=dict)
    context_logits: dict[int, float] = field(default_factory=dict)  # by paragraph start
    last_sentence: Span = _NO_SENTENCE  # the sentence ``place`` found last

    @classmethod
    def build(
        cls,
        text: str,
        norm: str,
        *,
        doc_year: int | None,
        doc_type: str,
        title: str = "",
        classifier: TenseClassifier | None = None,
    ) -> DocContext:
        """Index a document once: ``norm`` is ``normalize(text)``."""
        years = year_index(norm, doc_year)
        cues = cue_index(norm, strong_only=classifier is not None and doc_type in REPORT_TYPES)
        # the folded text (same length): full-width years in headings (一、１９９０年…) count too
        paras = structure.analyse(norm, doc_year=doc_year, doc_type=doc_type, title=title)
        norm_title = normalize(title)
        ty = [read_year(m.group(1)) for m in YEAR_EXPRESSION.finditer(norm_title)]
        title_year = (
            ty[0] if len(ty) == 1 and not structure.RANGE_TITLE.search(norm_title) else None
        )
        return cls(
            text,
            norm,
            doc_year,
            doc_type,
            years,
            [y.start for y in years],
            cues,
            [c.start for c in cues],
            SentenceIndex(text),
            Clauses(norm),
            paras,
            [p.start for p in paras],
            classifier,
            title_year,
            plan_period(norm_title or norm[: norm.find("\n")])
            if doc_type == "plan_outline"
            else None,
        )

    def place(self, mn: Mention) -> Place:
        """The sentence, clause and paragraph of a mention."""
        start, end = mn.start, mn.end
        sent = self.last_sentence
        if not sent.start <= start < sent.end:  # (the numbers of a sentence ask in turn)
            sent = self.last_sentence = self.sentences.around(start)
        s_start, s_end = sent.start, sent.end
        if s_end < end:
            s_end = end
        # the clause by bisecting its cuts here (``Clauses.start``/``end`` inlined: once a claim)
        cuts = self.clauses.cuts
        k = bisect.bisect_left(cuts, start)
        c_start = cuts[k - 1] + 1 if k else 0
        if c_start < s_start:
            c_start = s_start
        j = bisect.bisect_left(cuts, end, k)
        c_end = cuts[j] if j < len(cuts) else self.clauses.length
        k = bisect.bisect_right(self.paragraph_starts, start) - 1
        para = self.paragraphs[k] if k >= 0 and start < self.paragraphs[k].end else None
        # tuple.__new__: a Place without the Python-level __new__ of a NamedTuple (once a claim)
        return tuple.__new__(
            Place, (s_start, s_end, c_start, c_end, para, para.start if para else s_start)
        )

    def context_of(self, para: structure.Paragraph) -> tuple[int, int]:
        """The passage the classifier reads for a paragraph: the paragraph, widened to its
        neighbours in the same section when it is a single short line (one sentence per line)."""
        if para.end - para.start >= SHORT_PARAGRAPH or not self.paragraphs:
            return para.start, para.end
        paras = self.paragraphs
        k = bisect.bisect_left(self.paragraph_starts, para.start)
        lo = hi = k
        while lo > 0 and k - lo < NEIGHBOURS and not paras[lo - 1].heading:
            lo -= 1
        while hi + 1 < len(paras) and hi - k < NEIGHBOURS and not paras[hi + 1].heading:
            hi += 1
        return paras[lo].start, paras[hi].end

    def context_logit(self, para: structure.Paragraph) -> float:
        """``plan_logit`` of the passage the classifier reads for a paragraph (``context_of``),
        found once per paragraph (its claims ask in turn)."""
        z = self.context_logits.get(para.start)
        if z is None:
            z = self.context_logits[para.start] = self.plan_logit(*self.context_of(para))
        return z

    def plan_logit(self, start: int, end: int) -> float:
        """Log-odds that ``norm[start:end]`` sets goals rather than reports results (cached:
        the claims of a paragraph or a sentence ask about the same passage)."""
        if self.classifier is None:
            return 0.0
        z = self.logits.get((start, end))
        if z is None:
            if self.scores is None:
                self.scores = self.classifier.document(self.norm)  # one pass scores every passage
            z = min(max(self.scores.logit(start, end), -LOGIT_BOUND), LOGIT_BOUND)
            self.logits[start, end] = z
        return z

    def years_near(self, pos: int, place: Place) -> list[YearRef]:
        """Year expressions that date a number at ``pos``: those of its sentence before it, else
        the nearest earlier one of its paragraph that is not a deadline; attached years only
        right before the number (由2010年的X, 由上年下降X). In a review, a plan period named in
        an earlier sentence (“十一五”规划纲要把节能作为约束性目标。) does not date the results
        reported after it."""
        s_start, _, _, _, para, p_start = place
        review = para is not None and para.mode == "review"
        years, year_starts = self.years, self.year_starts
        a = bisect.bisect_left(year_starts, s_start)
        b = bisect.bisect_left(year_starts, pos, a)
        own = (
            [
                y
                for y in years[a:b]
                if y.end <= pos
                and (
                    y.how not in ("attached", "previous")
                    or pos - y.end <= (ATTACHED_REACH if y.how == "attached" else PREVIOUS_REACH)
                )
            ]
            if a < b  # (most numbers: no year before them in their sentence)
            else None
        )
        if own:
            return own
        k = a - 1
        while k >= 0 and year_starts[k] >= p_start:  # walk back only as far as needed
            y = years[k]
            if (
                y.end <= s_start
                and y.how not in ("deadline", "attached", "previous")
                # in a review, a plan named or a future year said in an earlier sentence
                # (原定2000年…的目标，已经实现。) does not date the results after it
                and not (
                    review
                    and (
                        y.how == "period" or (self.doc_year is not None and y.year > self.doc_year)
                    )
                )
            ):
                return [y]
            k -= 1
        return []

    def cues_in(self, lo: int, hi: int) -> list[CueRef]:
        """The cue words lying entirely inside ``[lo, hi)``."""
        a = bisect.bisect_left(self.cue_starts, lo)
        b = bisect.bisect_left(self.cue_starts, hi)
        return [c for c in self.cues[a:b] if c.end <= hi]

    def last_strong_cue(self, lo: int, hi: int) -> CueRef | None:
        """The strong target/achievement cue word lying inside ``[lo, hi)`` that starts last
        (the one nearest a number at ``hi``), walking back from ``hi``."""
        cues, starts = self.cues, self.cue_starts
        k = bisect.bisect_left(starts, hi) - 1
        while k >= 0 and starts[k] >= lo:
            c = cues[k]
            _, end, _, kind, strength = c
            if end <= hi and strength == "strong" and kind != "provision":
                return c
            k -= 1
        return None
