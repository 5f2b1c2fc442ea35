"""Find numeric claims in a policy document and resolve every field of the spec.

A claim is a quantity asserted about a measurable indicator (``spec/claims.md``):
``国内生产总值达到74.4万亿元`` gives value 74400000000000, unit 元, comparator ``=``,
kind achievement. ``extract`` works in three steps:

1. *mentions* and 2. *exclusions* (``mentions.find_mentions``): numbers with magnitude, unit
   and glued approximators, minus dates, ordinals, names (5G, “十四五”, “3+6”), list markers,
   rubric points, thresholds that define a group (亿元以上项目), time spans used as time (4年来);
3. *fields*: comparator, change, kind, year and indicator from the words around the number
   and from the document's structure (``structure.analyse``).

Extraction never raises on text: arbitrary input gives a (possibly empty) list.

>>> [c.mention for c in extract("2021年全市GDP达到4.32万亿元，增长8.1%。")]
['4.32万亿元', '8.1%']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache

import regex

from policy_nlp.claims import structure
from policy_nlp.claims.mentions import (
    CJK,
    Mention,
    alternation,
    comparators,
    find_mentions,
    separates_list,
)
from policy_nlp.claims.tense import DocumentScores, TenseClassifier, default_classifier
from policy_nlp.patterns import YEAR, read_year
from policy_nlp.resources import read_table
from policy_nlp.schema import CLAIM_FIELDS, COMPARATORS, KINDS, Claim
from policy_nlp.text import SentenceIndex, char_positions, normalize

__all__ = ["CLAIM_FIELDS", "COMPARATORS", "KINDS", "Claim", "extract"]

# ----------------------------------------------------------------------------- data tables


@cache
def _change_cues() -> dict[str, str]:
    return {word: change for word, change in read_table("change_cues.tsv")}


@cache
def _kind_cues() -> dict[str, tuple[str, str]]:
    return {word: (kind, strength) for word, kind, strength in read_table("kind_cues.tsv")}


# Patterns of words and explicit character sets use the standard library's engine: the same
# matches as ``regex``, with a fraction of its overhead per call on these short strings. Those
# with \d, \s or \p{…} stay with ``regex`` (the two engines' classes differ at the margins).
_TO_END = regex.compile(r"(?:到|至)\s*$")
_COMPARE_END = re.compile(r"[比较]$")
_RIGHT_LEAD = re.compile(r"^(?:的|以上|以下|左右)+")
_FROM_IN_CLAUSE = re.compile(r"[从由][^，。；]{0,20}$")
_TO_LEVEL_AFTER = re.compile(
    r"[^，。；]{0,12}?(?:提高|提升|增加|增长|扩大|减少|下降|降低|缩小|优化整合|调整|增至|降至|到|至|为)"
)
_CLAUSE_END = "，。；：！？,;:!?\n"


# ----------------------------------------------------------------------------- fields


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


@cache
def _prefix_re() -> regex.Pattern:
    prefix, _ = comparators()
    return regex.compile(rf"(?:{alternation(prefix)})\s*$")


def _prefix_comparator(norm: str, start: int) -> tuple[str, str]:
    m = _prefix_re().search(norm, max(0, start - 6), start)
    if not m:
        return "", ""
    word = m.group(0).strip()
    return comparators()[0][word], word


@cache
def _change_rev_re() -> re.Pattern:
    """The change cue words reversed, longest first: searching the reversed clause finds the
    cue that ends nearest the number (and the longest one ending there) in one pass."""
    return re.compile(alternation(w[::-1] for w in _change_cues()))


def _last_cue(text: str) -> tuple[int, int, str] | None:
    """(start, end, word) of the change cue word ending last in ``text``, the longest of those."""
    m = _change_rev_re().search(text[::-1])
    if m is None:
        return None
    return len(text) - m.end(), len(text) - m.start(), m.group(0)[::-1]


_GAP = re.compile(r"比[^，。；、,;]{1,12}?(高|低)(?:出)?(?:了)?$")
_TRANSPARENT = re.compile(r"(?:超过|突破|超|达到|达|近|约|不低于|不少于|至少|控制在|逾|高达)$")


def _change(left: str, right: str = "", counted: bool = False) -> str:
    """up, down or '' from the nearest cue word before the number (within its clause).

    ``right`` is the rest of the clause after the number (``8%左右的国内生产总值增长目标``);
    ``counted`` says the number counts objects named after it (提升40所普通高中办学能力), which
    makes it the size of an action's object, not of a change.
    """
    cues = _change_cues()
    gap = _GAP.search(left)
    if gap:  # 比去年预算高0.2个百分点: a gap to a reference
        return "up" if gap.group(1) == "高" else "down"
    best = _last_cue(left)
    if best is None:
        target = _GROWTH_AFTER.match(right)  # 提出8%左右的国内生产总值增长目标
        return "up" if target else ""
    best_start, best_end, word = best
    tail = left[best_end:]
    if tail.startswith("的") or right_noun_follows(tail):
        # a modifier (经济增长的贡献率, 对经济增长贡献率35.1%): look before it
        return _change(left[:best_start], right, counted)
    if len(tail) > 8:
        return ""
    change = cues[word]
    if word in ("高于", "低于") and not tail.strip():
        return ""  # 增速要高于40%: a comparator right at the number, not a gap to a reference
    if change == "level" and (_TRANSPARENT.search(word) or word in ("为", "是")):
        # 增长超20%, 增长目标为16%, 涨幅控制在3%: the change word before the comparator decides
        before = _TARGET_FILLER.sub("", left[:best_start])[-6:]
        inner = _last_cue(before)
        if inner and inner[1] == len(before) and cues[inner[2]] in ("up", "down"):
            return cues[inner[2]]
    if change in ("up", "down") and counted and not tail.strip(_FILLER_CHARS):
        return ""
    return change if change in ("up", "down") else ""


def right_noun_follows(tail: str) -> bool:
    """``增长贡献率``: the change word modifies a noun right after it."""
    return tail.startswith(("贡献率", "贡献", "极", "点"))


_GROWTH_AFTER = re.compile(r"^(?:左右|以上|以内)?的[^，。；]{0,12}?(?:增长|增速)(?:预期)?目标")
_TARGET_FILLER = re.compile(r"(?:预期目标|目标|预期|均|都|分别)+$")
_FILLER_CHARS = "了约近均都分别 "


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


_LIMIT_BEFORE = re.compile(r"(?:有效期|期限|时限|不超过|不得超过|最长)[^，。；]{0,8}$")
_STRONG_PROVISION = re.compile(
    r"给予|奖补|补贴|补助|奖励|贴息|资助|一次性|减免|免征|减按|税率|费率|收费标准|放行|办结"
)


# Reports (work reports, Party congress reports) decide kind with the tense classifier. The
# weights of the other evidence were chosen on our annotated sets (tests/data/train, dev gold;
# held-out checked after): kind accuracy gold 0.87 -> 0.96, held-out reports 0.92 -> 0.93.
_REPORT_TYPES = ("gov_work_report", "party_report")
_W_SENTENCE, _W_MODE, _W_CUE, _W_LEAD = 0.5, 1.0, 1.0, 3.0
_DECISIVE = 4.5  # |log-odds| beyond which the sentence term (weight 0.5, within ±9) cannot flip it
_SHORT_PARAGRAPH = 80  # characters: shorter lines borrow their neighbours as context
_DEFAULT = "default"


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


def _kind(
    ctx: _Ctx,
    mn: Mention,
    c_start: int,
    s_start: int,
    s_end: int,
    para: structure.Paragraph | None,
    years: list[tuple[int, int, int, str]],
) -> str:
    doc_year, doc_type = ctx.doc_year, ctx.doc_type
    # a quantitative rule laid down by a policy document
    time_limit = mn.category == "time" and (
        ctx.norm.endswith(("内", "之内"), mn.start, mn.end)
        or _LIMIT_BEFORE.search(ctx.norm, max(0, mn.start - 12), mn.start)
    )
    if doc_type not in _REPORT_TYPES and (
        _STRONG_PROVISION.search(ctx.norm, s_start, s_end) or time_limit
    ):
        return "provision"  # a rule: subsidy rates and caps, fees, time limits (7个工作日内答复)
    # an explicit deadline right there
    if years and years[-1][3] == "deadline":
        y = years[-1][2]
        return "target" if doc_year is None or y >= doc_year else "achievement"
    learned = doc_type in _REPORT_TYPES and ctx.classifier is not None and para is not None
    for lo in () if learned else (c_start, s_start):
        cue = ctx.last_strong_cue(lo, mn.start)
        if cue:
            return cue[3]
    mode = para.lead_mode or para.mode if para else ""
    if years:
        _, _, y, how = years[-1]
        if how in ("explicit", "relative") and doc_year is not None:
            if y < doc_year:
                return "achievement"
            if y > doc_year or (how == "relative" and y == doc_year):
                return "target"
        if how == "period" and doc_year is not None:
            return "achievement" if y < doc_year else "target"
    if learned:
        # reports: the learned reading of the paragraph and sentence, plus the section the
        # headings put it in and the nearest strong cue word, as evidence in log-odds
        lo, hi = ctx.context_of(para)
        # a paragraph that opens by saying what it lists (主要预期目标是：) outweighs the section
        weight = _W_LEAD if para.lead_mode else _W_MODE
        z = ctx.plan_logit(lo, hi) + weight * {"plan": 1, "review": -1}.get(mode, 0)
        cue = ctx.last_strong_cue(s_start, mn.start)  # the nearest in its sentence
        if cue:
            z += _W_CUE * (1 if cue[3] == "target" else -1)
        if abs(z) < _DECISIVE:  # the sentence's own reading only matters near the boundary
            z += _W_SENTENCE * ctx.plan_logit(s_start, s_end)
        return "target" if z > 0 else "achievement"
    if mode == "review":
        return "achievement"
    if mode == "plan":
        return "target"
    weak = [c for c in ctx.cues_in(s_start, s_end) if c[3] != "provision"]
    t = sum(1 for c in weak if c[3] == "target")
    a = sum(1 for c in weak if c[3] == "achievement")
    if doc_type in ("plan", "policy"):
        return "achievement" if a > t + 1 else "target"
    if t > a:
        return "target"
    return "achievement"


def _year(
    ctx: _Ctx,
    kind: str,
    years: list[tuple[int, int, int, str]],
    para: structure.Paragraph | None,
) -> int | None:
    """The year a claim refers to: its deadline for a target, when it held for an achievement."""
    doc_year = ctx.doc_year
    if kind == "provision":
        return None
    if years:
        _, _, y, how = years[-1]
        if (
            how == "previous"
            and kind == "achievement"
            and para is not None
            and para.mode == "review"
        ):
            return y - 1  # 上年 in a review of last year is the year before it
        if kind == "target" and (doc_year is None or y >= doc_year):
            return y
        if kind == "achievement" and (doc_year is None or y <= doc_year or how != "deadline"):
            return y
    if para is not None:
        if kind == "target" and para.period and (para.mode != "review" or para.names_period):
            return structure.period_end(para.period)
        if kind == "target" and para.deadline and (doc_year is None or para.deadline >= doc_year):
            return para.deadline
    if doc_year is None:
        return None
    if kind == "achievement":
        # reports review the year (or the five years) before they are given
        return doc_year - 1 if ctx.doc_type in _REPORT_TYPES else doc_year
    if kind == "target" and (ctx.doc_type in _REPORT_TYPES or ctx.title_year == doc_year):
        return doc_year
    return None


# Words that end the text before a number without naming what is measured: stripped as a run
# (增长到, 比上年增长) from the end of the indicator. Which run is stripped depends only on the words
# (the earliest position from which the rest is made of them), so they are matched as a prefix tree.
_INDICATOR_TAIL_WORDS = (
    "年均", "分别", "同比", "平均", "均", "总体", "累计", "比上年", "比去年", "较上年", "较去年",
    "今年", "去年", "全年", "增长", "增速", "增幅", "增加", "提升", "提高", "上涨", "上升", "上调",
    "下降", "降低", "减少", "缩短", "压减", "达到", "达", "为", "是", "超过", "超", "突破", "破", "逾",
    "近", "约", "接近", "不低于", "不少于", "至少", "不超过", "控制在", "保持在", "稳定在", "提高到",
    "提升至", "提高至", "提升到", "增至", "降至", "降到", "增加到", "减少到", "下降到", "实现", "完成",
    "累计达", "总额", "的", "了", "在", "由", "从", "到", "至", "和", "与", "及", "、",
)  # fmt: skip
# 比2010年, 由2010年的, 2010年, and the same in Chinese numerals (比一九五七年的)
_Y = YEAR
_INDICATOR_TAIL_YEARS = rf"[比较]{_Y}年的?|[由从]{_Y}年的|{_Y}年"
_INDICATOR_STRIP_TAIL = regex.compile(
    rf"(?:{alternation(_INDICATOR_TAIL_WORDS)}|{_INDICATOR_TAIL_YEARS}|\s)+$"
)
# the characters such a run can end with (the years end with 年 or 的; spaces are tested apart):
# text ending otherwise (most indicators) is left as it is without running the pattern
_INDICATOR_TAIL_ENDS = frozenset(w[-1] for w in _INDICATOR_TAIL_WORDS) | {"年", "的"}
_INDICATOR_STRIP_HEAD = regex.compile(
    r"^(?:其中|全年|今年|去年|同时|此外|另外|全省|全市|全区|全县|全国|我省|我市|我区|力争|确保|争取|推动|实现|要|将|拟|"
    rf"[一二三四五六七八九十]+是|省级|市级|按照|按|{_Y}年|到{_Y}年|[“”\"、，,\s])+"
)
# verbs that take the counted thing as object: 新建24座公共厕所 names 新建公共厕所
_ACTION_WORDS = (
    "新增", "新建", "新开工", "新改建", "建成", "建设", "改造", "改建", "改扩建", "培育", "创建", "打造",
    "实施", "推进", "完成", "开展", "引进", "认定", "淘汰", "关停", "发放", "投入", "投资", "解决", "提供",
    "开通", "设立", "组建", "招引", "吸引", "带动", "续建", "推出", "出台", "发布", "举办", "建立", "布局",
    "落地", "治理", "修复", "新认证", "累计创建", "累计建成",
)  # fmt: skip
# the run of these verbs ending the text (its start depends only on the words: a prefix tree)
_ACTION = re.compile(rf"(?:{alternation(_ACTION_WORDS)})+$")
_ACTION_ENDS = frozenset(w[-1] for w in _ACTION_WORDS)
_RIGHT_NOUN = regex.compile(
    r"(?:的)?([^，。；、：:,;（(\d]{2,24}?)(?=[，。；、：:,;（(]|[和及与][\d零一二两三四五六七八九十百千万]|$)"
)


def _indicator(
    norm: str,
    mn: Mention,
    seg_start: int,
    clause_end: int,
    prev_indicator: str,
    label: str = "",
) -> str:
    """The short name of what is measured: the words before the number in its clause, or the
    noun it counts (培育29个国家级集群 -> 培育国家级集群), or the label of its item (钢：从X增加到Y
    -> 钢), or the shared subject of a list. Words after a number that say how it changes
    (从一百三十五万吨增加到四百十二万吨) do not name it."""
    seg_start = max(seg_start, mn.start - 40)  # an indicator is short; look no further back
    left = norm[seg_start : mn.start].lstrip("、和及与以,， ")  # list separators (和, 及, 以及 …)
    if left and (left[-1] in _INDICATOR_TAIL_ENDS or left[-1].isspace()):
        left = _INDICATOR_STRIP_TAIL.sub("", left)
    core = _INDICATOR_STRIP_HEAD.sub("", left).strip()
    # (core is stripped: the run of verbs can only end with a verb's last character)
    verb = _ACTION.search(core) if core[-1:] in _ACTION_ENDS else None
    if not core or core.endswith("等") or verb:  # the words before do not name it: look after
        rm = _RIGHT_NOUN.match(norm, mn.end, clause_end)
        right = _RIGHT_LEAD.sub("", rm.group(1)).strip() if rm else ""
        if right and not _RIGHT_CHANGE.match(right):  # 从X增加到Y: X is a level, not a count
            return ((verb.group(0) if verb else "") + right)[:30]
    if len(core) >= 2:
        return core[-30:]
    return label or prev_indicator


# a change verb right after a number: what follows is its new level, not what it counts
_RIGHT_CHANGE = re.compile(
    r"(?:增加|增长|提高|提升|扩大|减少|下降|降低|缩小|上升|上调|下调|增至|降至|达到|到|至)"
)
# an item's label before a colon at the start of its line: 钢：…, （三）粮食：…
_ITEM_LABEL = regex.compile(
    r"\s*(?:——|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])?(\p{Han}[\p{Han}、]{0,11})"
)


def _item_label(norm: str, c_start: int) -> str:
    """The label of the item a clause starting at ``c_start`` opens (``钢：`` -> 钢), else ""."""
    if c_start < 2 or norm[c_start - 1] not in "：:":
        return ""
    line_start = norm.rfind("\n", 0, c_start) + 1
    m = _ITEM_LABEL.fullmatch(norm, line_start, c_start - 1)
    if m is None:
        return ""
    return _INDICATOR_STRIP_HEAD.sub("", m.group(1))  # 其中： names nothing


def extract(
    text: str,
    *,
    doc_id: str = "",
    year: int | None = None,
    doc_type: str = "",
    title: str = "",
    classifier: TenseClassifier | str | None = _DEFAULT,
) -> list[Claim]:
    """All numeric claims of one document, in text order.

    ``year`` is the document's own year (from its header): relative years such as 今年
    resolve against it, and stay empty when it is unknown. ``doc_type`` (gov_work_report,
    plan, policy, party_report, article) guides the kind of claims with no cue of their own.
    ``classifier`` reads review versus plan passages in reports: the shipped model
    (``models/tense.npz``) by default, ``None`` for the cue-word rules alone.
    """
    if not text:
        return []
    norm = normalize(text)
    mentions = find_mentions(norm)
    if not mentions:
        return []
    if classifier == _DEFAULT:
        classifier = default_classifier() if doc_type in _REPORT_TYPES else None
    ctx = _Ctx.build(norm, year, doc_type, classifier)
    ty = [read_year(m.group(1)) for m in _YEAR_RE.finditer(normalize(title))]
    ctx.title_year = (
        ty[0] if len(ty) == 1 and not structure._RANGE_TITLE.search(normalize(title)) else None
    )
    paras = structure.analyse(text, doc_year=year, doc_type=doc_type, title=title)
    ctx.paragraphs, ctx.paragraph_starts = paras, [p.start for p in paras]
    sentences = SentenceIndex(text)
    clauses = _Clauses(norm)
    claims: list[Claim] = []
    # 从X…到Y: (index of X, the year written with X (由2010年的X) or None, span)
    starts: list[tuple[int, int | None, int]] = []
    prev_comp = ("", 0)
    prev_indicator = ""
    prev_end = -1
    sentence_span, sentence = (-1, -1), ""
    for mn in mentions:
        sent = sentences.around(mn.start)
        s_start, s_end = sent.start, max(sent.end, mn.end)
        c_start = clauses.start(mn.start, s_start)
        k = bisect.bisect_right(ctx.paragraph_starts, mn.start) - 1
        para = paras[k] if k >= 0 and mn.start < paras[k].end else None
        c_end = clauses.end(mn.end)
        p_start = para.start if para else s_start
        # comparator: glued suffix, else the word just before, else shared in an enumeration
        if mn.suffix_comp:
            comp = comparator = mn.suffix_comp
        else:
            comp = _prefix_comparator(norm, mn.start)[0]
            if (
                not comp
                and prev_end >= 0
                and prev_comp[1] == prev_end
                and separates_list(norm, prev_end, mn.start)
            ):
                comp = prev_comp[0]
            comparator = comp or "="
        right_clause = norm[mn.end : c_end]
        counted = mn.category == "count" and CJK.match(norm, mn.end, c_end) is not None
        # cue words act within a few characters of the number
        near_left = norm[max(c_start, mn.start - 24) : mn.start]
        change = "up" if mn.kind_hint == "fan" else _change(near_left, right_clause, counted)
        if (
            not change
            and claims
            and prev_end >= 0
            and claims[-1].change
            and claims[-1].unit == mn.unit
            and separates_list(norm, prev_end, mn.start)
        ):  # 分别增长544.4%、199.2%、110.9%: the list's later items, past the cue's reach
            change = claims[-1].change
        years = ctx.years_near(
            mn.start, s_start, p_start, para is not None and para.mode == "review"
        )
        kind = _kind(ctx, mn, c_start, s_start, s_end, para, years)
        year_value = _year(ctx, kind, years, para)
        if _FROM_IN_CLAUSE.search(near_left) and _TO_LEVEL_AFTER.match(norm, mn.end, mn.end + 16):
            dated = years[-1][2] if years and years[-1][3] == "attached" else None
            starts.append((len(claims), dated, para.span if para else 1))
        same_clause = prev_end >= c_start
        indicator = _indicator(
            norm,
            mn,
            prev_end if same_clause else c_start,
            c_end,
            prev_indicator,
            _item_label(norm, c_start),
        )
        if (s_start, s_end) != sentence_span:  # claims of one sentence share its string
            sentence_span, sentence = (s_start, s_end), text[s_start:s_end]
        claims.append(
            Claim(
                doc_id,
                mn.start,
                mn.end,
                text[mn.start : mn.end],
                mn.value,
                mn.value_high,
                mn.unit,
                comparator,
                kind,
                year_value,
                change,
                indicator,
                sentence,
            )  # positional, in field order (CLAIM_FIELDS): the hot loop of extraction
        )
        prev_comp = (comp if comp and not mn.suffix_comp else "", mn.end)
        prev_end = mn.end
        prev_indicator = indicator
    _distribute_suffixes(norm, claims)
    _date_starting_values(norm, claims, starts, year, doc_type)
    return claims


def _date_starting_values(
    norm: str, claims: list[Claim], starts: list, doc_year: int | None, doc_type: str = ""
) -> None:
    """``从X提高到Y``: X is the level started from, an achievement one span before Y.

    The span is five (or ten) years in a review or plan of that many years
    (从五十四万亿元增长到八十万亿元) and one year otherwise (由55元提高到70元); a year written
    with X (由2010年的…) stands. A Party congress (held in autumn) reviews from the year of the
    previous congress to last year: X is dated at the previous congress, one year later.
    """
    for i, dated, span in starts:
        if i + 1 >= len(claims):
            continue
        x, y = claims[i], claims[i + 1]
        if y.start - x.end > 16 or any(c in "。；\n" for c in norm[x.end : y.start]):
            continue
        year = dated  # 由2010年的X: the year written with X, whatever the sentence's deadline
        if year is None and y.year is not None:
            ahead = doc_year is not None and y.year - doc_year >= 3
            years = span if span > 1 else 5 if ahead else 1
            year = (
                y.year
                - years
                + (1 if doc_type == "party_report" and years > 1 and not ahead else 0)
            )
        claims[i] = replace(x, kind="achievement", year=year)


_EACH_BEFORE = re.compile(r"分别[^，。；]{0,8}$")


def _distribute_suffixes(norm: str, claims: list[Claim]) -> None:
    """``分别增长5%、6.5%左右``: the glued approximator of the last item applies to the list."""
    i = len(claims) - 1
    while i > 0:
        last = claims[i]
        j = i
        while j > 0 and separates_list(norm, claims[j - 1].end, claims[j].start):
            j -= 1
        if (
            j < i
            and last.comparator in ("~", ">=", "<=")
            and _EACH_BEFORE.search(norm[max(0, claims[j].start - 12) : claims[j].start])
        ):
            for k in range(j, i):
                if claims[k].comparator == "=":
                    claims[k] = replace(claims[k], comparator=last.comparator)
        i = j - 1 if j < i else i - 1
