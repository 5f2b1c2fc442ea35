"""The spec's "not claims": named predicates that drop a mention, in the spec's order.

``spec/claims.md`` lists what is never a claim: time expressions used as time; ordinals, list
markers and editions; numbers inside names or labels; idioms and vague quantifiers; parameters
of the document's own structure; definitions of groups and scopes; and, among the harder cases,
thresholds that define a group and steps. Each has one predicate below, in that order, taking
the ``Site`` of a mention (the mention and the characters around it, read once). Every
predicate only adds a reason to drop a mention, so their order does not change the answer.

``find_mentions`` is the grammar's quantities (``mentions.candidates``) minus these.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

import regex

from policy_nlp.claims.indicator_table import table_row_mentions
from policy_nlp.claims.lexicon import CN_DIGITS, ORDINAL_DIGITS, alternation, not_claims, words
from policy_nlp.claims.mentions import YEAR_MENTION, Mention, candidates, is_han
from policy_nlp.claims.twin import twin
from policy_nlp.patterns import ARABIC_YEAR
from policy_nlp.text import char_positions

__all__ = [
    "COUNT_NUMERALS",
    "EXCLUSIONS",
    "Cues",
    "Site",
    "cues",
    "excluded",
    "find_mentions",
]

_CUES = "mention_cues.tsv"
AFTER_WINDOW = 8  # characters after a mention its exclusions read (群体, 分）, 次全会 …)
TIME_CUE_WINDOW = 12  # characters before a duration where time cues act (审批时间压缩至3日)
AGE_CUE_WINDOW = 24  # the age cue may sit a clause before the age (寿命提高1岁，达到74.5岁)
LINE_START_SLACK = 4  # a list marker may follow this many spaces at the start of its line
QUOTE_WINDOW = 10  # characters either side of a mention searched for its quote marks
SHORT_QUOTE = 12  # a quoted label holds at most this many characters (“3个95%”)


class Cues(NamedTuple):
    """The cue patterns and words of ``data/mention_cues.tsv`` the exclusions read, built once."""

    time_as_time: re.Pattern  # 连续, 为期, 通过 … right before a duration
    time_cue_before: re.Pattern  # 审批时间, 有效期 … in the clause before a duration
    time_cue_after: re.Pattern  # 办结, 答复 … right after a duration ending with 内
    age_cue_before: re.Pattern  # 寿命, 年龄 before an age
    meeting_after: re.Pattern  # 全会, 会议 … after 次/届
    structure_parts: tuple[str, ...]  # 方面, 部分, 环节 after a count
    group_after: tuple[str, ...]  # 的部分, 群体 … after a figure
    idioms: re.Pattern  # the words of not_claims.txt


@cache
def cues() -> Cues:
    """The exclusions' cue patterns (``mention_cues.tsv``, ``not_claims.txt``)."""
    limit_before = alternation(words(_CUES, "time_limit_before"), {"期": "(?![末间初中])"})
    meeting = alternation(words(_CUES, "meeting"))
    return Cues(
        re.compile(rf"(?:{alternation(words(_CUES, 'time_as_time'))})$"),
        re.compile(rf"(?:{limit_before})[^，。；,;]{{0,14}}$"),
        re.compile(rf"^(?:{alternation(words(_CUES, 'time_limit_after'))})"),
        re.compile(rf"(?:{alternation(words(_CUES, 'age_cue'))})[^。；;]{{0,20}}$"),
        twin(rf"^(?:[、和][{ORDINAL_DIGITS}\d]+次)*(?:{meeting})"),
        words(_CUES, "structure_part"),
        words(_CUES, "group_after"),
        # literal alternations run several times faster in the standard library's engine
        re.compile(alternation(not_claims())),
    )


class Site:
    """A mention and what its exclusions read around it: ``prev``/``nxt`` are the characters
    just before and after it (a text boundary reads as a line break). One site per document
    is moved from mention to mention (``at``): its fields are those of the current one."""

    __slots__ = (
        "after", "cues", "idiom_ends", "idiom_starts", "line_start", "mention", "norm", "nxt",
        "prev", "quotes", "text",
    )  # fmt: skip

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.cues = cues()
        # spans of the idioms and names with numerals of the document (not_claims.txt), as two
        # ascending lists (the matches do not overlap): bisected by position, once a mention
        idioms = [m.span() for m in self.cues.idioms.finditer(norm)]
        self.idiom_starts = [a for a, _ in idioms]
        self.idiom_ends = [b for _, b in idioms]
        # where the opening quote marks stand, found once (a bisect a mention, not a search)
        self.quotes = char_positions(norm, _OPEN_QUOTES)

    def at(self, mn: Mention, line_start: int) -> Site:
        """The site of ``mn``, whose line starts at ``line_start``."""
        norm = self.norm
        s, e = mn.start, mn.end
        self.mention = mn
        self.text = norm[s:e]  # the mention as written (normalised)
        self.prev = norm[s - 1] if s > 0 else "\n"
        self.nxt = norm[e] if e < len(norm) else "\n"
        self.after = norm[e : e + AFTER_WINDOW]
        self.line_start = line_start
        return self


# ----------------------------------------------------------------------------- patterns


_YEAR_NIAN = twin(ARABIC_YEAR + "年")
_NEWLINE = re.compile("\n")
_OPEN_QUOTES, _CLOSE_QUOTES = '“‘「『"', '”’」』"'
_NUMERALS = frozenset("0123456789" + CN_DIGITS)
_ANY_MAG = frozenset("百千万亿")
_ABOUT = frozenset("近约超逾达上破过数几成余")  # words that make a bare magnitude a quantity
_BIG_ONLY = twin(r"[万亿]+(?![\d十百千万亿])")
_GROUP_NOUN_AFTER = regex.compile(r"的?(?![和及与])\p{Han}")
# the numerals of a count that a threshold defines (14个, 三千亿元城市 3个): as always read
COUNT_NUMERALS = "一二两三四五六七八九十百"
_COUNT_WORDS = rf"[\d{COUNT_NUMERALS}]+(?:个|家|项|座|所|户)"
_COUNT_LATER = twin(rf"[^，。；,;]{{0,16}}?{_COUNT_WORDS}")
_ABOVE_WORDS = ("大于", "高于")  # 年产值大于1000万元的企业有35家: a threshold, like 超过
_COUNTED_BEFORE = twin(rf"{_COUNT_WORDS}(?:超过|超|过)$")


def _bare_magnitude(text: str) -> bool:
    """百亿, 万家: a magnitude with no digit before it."""
    return text[0] in "十百千万亿" and _NUMERALS.isdisjoint(text)


# ----------------------------------------------------------------------------- the exclusions


# the language of a rule around a time limit: 应当/不得/可以/须 before it, 不得 after it
_RULE_WORDS = re.compile(r"应当|不得|可以|必须|须|之日起|期限|届满")
_RULE_AFTER = re.compile(r"[^，。；]{0,2}(?:不得|不能|禁止|不予|不再|办结|作出|完成)")


def time_used_as_time(s: Site) -> bool:
    """Time expressions used as time (spec: ``2021年10月18日``, ``4年来``, ``通过三年努力``,
    ``24小时运转``): years, dates and year ranges, and durations without a cue that the duration
    is what is measured (a duration is a claim in ``审批时间压缩至3个工作日``)."""
    mn, text = s.mention, s.text
    if (s.nxt in "年-" or s.prev == "-") and YEAR_MENTION.fullmatch(text):
        return True
    if mn.category != "time":
        return False
    if _YEAR_NIAN.fullmatch(text):
        return True
    if s.prev == "月" and mn.unit == "日":
        return True  # a date, whatever cue is near: 发布时间：2022年10月17日
    left = s.norm[max(0, mn.start - TIME_CUE_WINDOW) : mn.start]
    if s.cues.time_as_time.search(left):
        return True
    suffix_inner = text.endswith(("内", "以内", "之内"))
    limit = (
        mn.unit == "工作日"
        or mn.kind_hint == "limit"
        or (suffix_inner and (mn.unit == "日" or s.cues.time_cue_after.match(s.after) is not None))
        # spec v2: a limit with 内 in a rule's words (应当于1小时内, 3年内不得申请)
        or (
            suffix_inner
            and not mn.chinese
            and (_RULE_WORDS.search(left) is not None or _RULE_AFTER.match(s.after) is not None)
        )
    )
    return not (limit or s.cues.time_cue_before.search(left))


def ordinal_or_list_marker(s: Site) -> bool:
    """Ordinals, list markers, editions used as names (spec: ``第三十四次``, ``一是``,
    ``十一届``, ``十次全会``; v2: ``三期工程``, ``[2]``): 第/前/每 before, 版/代/型/号/级/期/届
    after, a marker opening its line (4.着力…), a number alone in brackets (（1）), meetings."""
    mn, prev, nxt, text = s.mention, s.prev, s.nxt, s.text
    if nxt in "版代型号级期届" or prev in "第前每" or (prev == "国" and mn.chinese):
        return True
    at_line_start = (
        mn.start - s.line_start <= LINE_START_SLACK
        and s.norm[s.line_start : mn.start].strip() == ""
    )
    if at_line_start and (nxt in ".、)）" or text.endswith(".")):
        return True
    if prev in "(（[［【〔" and nxt in ")）]］】〕":
        return True
    if mn.unit in ("次", "届") and s.cues.meeting_after.match(s.after):
        return True
    return mn.unit == "届"


def inside_name(s: Site) -> bool:
    """Numbers inside names or labels (spec: ``5G``, ``G60``, ``2.0``, ``“十四五”``,
    ``“3+6”重点产业``, ``7纳米``): letters or ``+`` glued on, versions and ratios (2.0.1,
    4.0:37.2), short quoted labels, product and facility classes (7纳米芯片, 750千伏工程)."""
    mn, prev, nxt, text, norm = s.mention, s.prev, s.nxt, s.text, s.norm
    e = mn.end
    if (prev.isascii() and (prev.isalpha() or prev in "_+.-/")) or (
        nxt.isascii() and nxt.isalpha()
    ):
        return True
    if (
        nxt == "+"
        and len(norm) > e + 1
        and (norm[e + 1].isdigit() or (norm[e + 1].isascii() and norm[e + 1].isalpha()))
    ):
        return True
    if (
        text.endswith("+")
        and e < len(norm)
        and (nxt.isdigit() or (nxt.isascii() and nxt.isalpha()))
    ):
        return True
    if nxt in ".:" and e + 1 < len(norm) and norm[e + 1].isdigit():  # 2.0.1, 4.0:37.2
        return True
    if prev == ":" and mn.start >= 2 and norm[mn.start - 2].isdigit():
        return True
    # short quoted labels: “四个走在前”, “3个95%” (a quoted 翻番 still says what happened)
    if (
        mn.kind_hint != "fan"
        and _quote_opens_before(s.quotes, mn.start)
        and _in_short_quote(norm, mn.start, e)
    ):
        return True
    if mn.unit == "类" and not mn.chinese and is_han(nxt) and _COUNT_LATER.match(norm, e, e + 24):
        return True  # 1类新药2个: a class label, the count comes after
    return mn.category == "spec" and is_han(nxt)


def idiom_or_vague_quantifier(s: Site) -> bool:
    """Idioms and vague quantifiers (spec: ``千行百业``, ``一批``, ``一座``, ``两网``): spans of
    ``data/not_claims.txt``, 数万/几亿/若干, zero in Chinese (零差错), small Chinese counts
    (两个维护, 三种类型), and a bare 万家/万人 that names what follows (万家灯火)."""
    mn, prev, text = s.mention, s.prev, s.text
    k = bisect.bisect_left(s.idiom_starts, mn.end)  # the last idiom starting before its end
    if k and s.idiom_ends[k - 1] > mn.start:
        return True
    if mn.chinese and (mn.value == 0 or prev in "数几若"):
        return True
    if mn.chinese and mn.category == "count" and mn.value < 10 and _ANY_MAG.isdisjoint(text):
        return True
    # a bare 万 or 亿 with no number (万元国内生产总值, 86.5 亿元 cut apart): never an amount,
    # unless a word before makes it one (近万家, 上亿元, 超万亿元)
    if (
        text[0] in "万亿"
        and mn.category != "percent"
        and _BIG_ONLY.match(text)
        and prev not in _ABOUT
    ):
        return True
    # 万家惠农贸市场, 守护万家灯火, 万人高价值发明专利拥有量 (近万家企业, 十座炼焦炉 stay)
    return (
        len(text) == 2
        and text[0] == "万"
        and _bare_magnitude(text)
        and mn.category == "count"
        and is_han(s.nxt)
        and prev not in _ABOUT
    )


def structure_parameter(s: Site) -> bool:
    """Parameters of the document's own structure (spec: rubric points ``（25分）``): points in
    brackets, and counts of the document's own parts (三个方面, 两个环节)."""
    if s.prev in "(（[［【〔" and s.after[:2] in ("分)", "分）"):
        return True
    return s.mention.category == "count" and s.after.startswith(s.cues.structure_parts)


def group_or_scope(s: Site) -> bool:
    """Definitions of groups and scopes (spec: ``65岁以上老年人``, ``0—6岁儿童``,
    ``15分钟社区生活圈``, ``50米内换乘``): ages with no cue that the age is measured, distances
    and areas 内 before a noun, and figures that bound a group (不到100万元的部分, 20—60万元群体)."""
    mn, norm = s.mention, s.norm
    if mn.category == "age" and not s.cues.age_cue_before.search(
        norm[max(0, mn.start - AGE_CUE_WINDOW) : mn.start]
    ):
        return True
    if mn.category in ("length", "area") and s.text.endswith("内") and is_han(s.nxt):
        return True
    return s.after.startswith(s.cues.group_after)


# what a rule lays down right after an amount with 以上/以下: the amount is the sanction or the
# grant itself (处2000元以下的罚款, 给予5万元以下的补助), not a threshold of a group
_SANCTION_AFTER = re.compile(r"的?(?:罚款|罚金|拘留|滞纳金|补助|补贴|奖励|资助|赔偿)")


def threshold(s: Site) -> bool:
    """Thresholds that define the group being counted (spec: ``营收过百亿元的企业``,
    ``总投资亿元以上项目``; ``超10亿元重大项目14个``, ``3个过三千亿元城市``), but not an amount
    (超过1400亿元资产价值)."""
    mn, prev, nxt, norm = s.mention, s.prev, s.nxt, s.norm
    s_, e = mn.start, mn.end
    if (
        s.text.endswith(("以上", "以下"))
        and mn.kind_hint != "limit"  # 处3万元以上30万元以下的罚款: a two-sided limit is the claim
        and mn.category not in ("percent", "count", "point")
        and is_han(nxt)
        and not _SANCTION_AFTER.match(norm, e)  # 处2000元以下的罚款: the fine itself
    ):
        return True
    if (
        mn.category == "money"
        and (prev in "超过" or norm.endswith(_ABOVE_WORDS, max(0, s_ - 2), s_))
        and _GROUP_NOUN_AFTER.match(norm, e, e + 2)
        and (
            _COUNT_LATER.match(norm, e, e + 24) or _COUNTED_BEFORE.search(norm, max(0, s_ - 8), s_)
        )
    ):
        return True
    return prev == "过" and nxt == "的"


def step(s: Site) -> bool:
    """Steps (spec v2, optional: ``连跨3个百亿元台阶``): a bare magnitude sized by a count
    (连跨两个万亿元台阶) is a step, not an amount."""
    return s.prev == "个" and _bare_magnitude(s.text)


def base_of_rate(s: Site) -> bool:
    """The base of a rate (spec v2: ``1美元兑6.8976元`` -> only 6.8976元): the amount 兑 follows.
    (``每百元营业收入`` is read as an ordinal by 每; ``万元国内生产总值`` as a bare magnitude.)"""
    return s.nxt == "兑"


# The spec's exclusions, in its order.
EXCLUSIONS: tuple[Callable[[Site], bool], ...] = (
    time_used_as_time,
    ordinal_or_list_marker,
    inside_name,
    idiom_or_vague_quantifier,
    structure_parameter,
    group_or_scope,
    threshold,
    step,
    base_of_rate,
)


def excluded(s: Site) -> bool:
    """Whether any of the spec's exclusions drops the mention at ``s``."""
    return (
        time_used_as_time(s)
        or ordinal_or_list_marker(s)
        or inside_name(s)
        or idiom_or_vague_quantifier(s)
        or structure_parameter(s)
        or group_or_scope(s)
        or threshold(s)
        or step(s)
        or base_of_rate(s)
    )  # EXCLUSIONS written out: a call each, no loop, for the thousands of mentions of a report


def find_mentions(norm: str) -> list[Mention]:
    """The mentions of a normalised text that may be claims: the grammar's quantities minus
    the spec's exclusions."""
    site = Site(norm)
    newlines = [m.start() for m in _NEWLINE.finditer(norm)]
    kept = []
    for mn in candidates(norm):
        k = bisect.bisect_left(newlines, mn.start)  # the line's start, without rescanning it
        if not excluded(site.at(mn, newlines[k - 1] + 1 if k else 0)):
            kept.append(mn)
    cells = table_row_mentions(norm)
    if cells:  # the figures of an indicator table's rows, where the grammar found none
        taken = [(m.start, m.end) for m in kept]
        kept += [c for c in cells if not any(s < c.end and c.start < e for s, e in taken)]
        kept.sort(key=lambda m: m.start)
    return kept


def _quote_opens_before(quotes: list[int], pos: int) -> bool:
    """Whether an opening quote mark stands within ``QUOTE_WINDOW`` characters before ``pos``
    (``quotes``: their positions, ascending)."""
    k = bisect.bisect_left(quotes, pos - QUOTE_WINDOW)
    return k < len(quotes) and quotes[k] < pos


def _in_short_quote(norm: str, s: int, e: int) -> bool:
    """Whether ``norm[s:e]`` sits inside a short quotation (“3个95%”) within one clause."""
    left = norm[max(0, s - QUOTE_WINDOW) : s]
    right = norm[e : e + QUOTE_WINDOW]
    lq = max(left.rfind(q) for q in _OPEN_QUOTES)
    if lq < 0:
        return False
    if any(c in _CLOSE_QUOTES for c in left[lq + 1 :] if c != '"') or any(
        c in "，。；" for c in left[lq + 1 :]
    ):
        return False
    rq = min((right.find(q) for q in _CLOSE_QUOTES if right.find(q) >= 0), default=-1)
    if rq < 0 or any(c in "，。；" for c in right[:rq]):
        return False
    return (len(left) - lq - 1) + (e - s) + rq <= SHORT_QUOTE
