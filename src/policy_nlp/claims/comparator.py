"""A claim's comparator (``=``, ``>``, ``~`` …) and change (up, down or a level).

The comparator comes from a glued suffix (20%左右), else the comparator word just before the
number (超过1400亿元), else the one the first item of a list has (分别超过8万元和4万元)
(``data/comparators.tsv``). The change comes from the nearest change word before the number
within its clause (``data/change_cues.tsv``), or from a gap to a reference (比去年高0.2个百分点).
"""

from __future__ import annotations

import re
from functools import cache

from policy_nlp.claims.lexicon import alternation, change_cues, comparators
from policy_nlp.claims.mentions import Mention, separates_list
from policy_nlp.claims.twin import twin
from policy_nlp.resources import read_table
from policy_nlp.schema import Claim

__all__ = ["change", "claim_change", "claim_comparator", "prefix_comparator"]

PREFIX_REACH = 6  # characters before a number where its comparator word is looked for
CUE_REACH = 8  # characters a change word may stand before the number (增长了约 8%)
INNER_REACH = 6  # … and before a comparator word it governs (增长目标为16%)

_GAP = re.compile(r"比[^，。；、,;]{1,12}?(高|低)(?:出)?(?:了)?$")
# comparator words a change word before them reaches through: 增长超20%, 涨幅控制在3%
_TRANSPARENT = re.compile(r"(?:超过|突破|超|达到|达|近|约|不低于|不少于|至少|控制在|逾|高达)$")
_GROWTH_AFTER = re.compile(r"^(?:左右|以上|以内)?的[^，。；]{0,12}?(?:增长|增速)(?:预期)?目标")
_TARGET_FILLER = re.compile(r"(?:预期目标|目标|预期|均|都|分别|拟定|确定|设定|定)+$")
_FILLER_CHARS = "了约近均都分别 "
# nouns a change word modifies (增长贡献率, 提高点): the change word is not a cue then
_MODIFIED_NOUNS = ("贡献率", "贡献", "极", "点")


@cache
def _prefix_re() -> re.Pattern:
    prefix, _ = comparators()
    return twin(rf"(?:{alternation(prefix)})\s*$")


def prefix_comparator(norm: str, start: int) -> str:
    """The comparator of the comparator word just before ``start`` (超过 -> ``>``), else ""."""
    m = _prefix_re().search(norm, max(0, start - PREFIX_REACH), start)
    if not m:
        return ""
    return comparators()[0][m.group(0).strip()]


def claim_comparator(norm: str, mn: Mention, shared: str, prev_end: int) -> tuple[str, str]:
    """The comparator of a mention, and what the next item of a list may share.

    ``shared`` is what the previous mention (ending at ``prev_end``, -1 for none) passes on:
    the comparator of its prefix word, which an item right after it in a list takes when it
    has none (分别超过8万元和4万元: both ``>``). A glued suffix decides and passes nothing on.
    """
    if mn.suffix_comp:
        return mn.suffix_comp, ""
    comp = prefix_comparator(norm, mn.start)
    if not comp and shared and prev_end >= 0 and separates_list(norm, prev_end, mn.start):
        comp = shared
    return comp or "=", comp


@cache
def _change_rev_re() -> re.Pattern:
    """The change cue words reversed, longest first: searching the reversed clause finds the
    cue that ends nearest the number (and the longest one ending there) in one pass."""
    return re.compile(alternation(w[::-1] for w in change_cues()))


def _last_cue(text: str) -> tuple[int, int, str] | None:
    """(start, end, word) of the change cue word ending last in ``text``, the longest of those."""
    m = _change_rev_re().search(text[::-1])
    if m is None:
        return None
    return len(text) - m.end(), len(text) - m.start(), m.group(0)[::-1]


# a rate word only names the number's subject within its own clause
_CLAUSE_BREAK_AFTER = re.compile(r"[，。；：,;:]")


@cache
def _rate_words() -> tuple[re.Pattern, dict[str, str]]:
    """Indicators that are themselves rates of change (涨幅, 增速, 自然增长率: up; 降幅: down),
    from ``data/rate_indicators.tsv``: their value measures a change whatever the verb
    (spec v2, "Signs, rates of change and change words")."""
    rates = dict(read_table("rate_indicators.tsv"))
    return re.compile(alternation(sorted(rates, key=len, reverse=True))), rates


def _rate_of_change(left: str, *, across_clauses: bool = False) -> str:
    """up or down when the clause's subject before a level word is a rate of change
    (居民消费价格涨幅回落到2.1%, 自然增长率为-1.57‰), else ''."""
    pattern, direction = _rate_words()
    matches = pattern.finditer(left)  # they do not overlap: the last one ends last
    found = None
    for found in matches:  # noqa: B007 (the loop only walks to the last match, no key calls)
        pass
    if found is None or (not across_clauses and _CLAUSE_BREAK_AFTER.search(left, found.end())):
        return ""
    return direction[found.group(0)]


def change(left: str, right: str = "", counted: bool = False) -> str:
    """up, down or '' from the nearest cue word before the number (within its clause).

    ``left`` is the clause before the number; ``right`` the rest of the clause after it
    (``8%左右的国内生产总值增长目标``); ``counted`` says the number counts objects named after it
    (提升40所普通高中办学能力), which makes it the size of an action's object, not of a change.
    """
    cues = change_cues()
    gap = _GAP.search(left) if "比" in left else None  # (most clauses: no 比, no pattern run)
    if gap:  # 比去年预算高0.2个百分点: a gap to a reference
        return "up" if gap.group(1) == "高" else "down"
    best = _last_cue(left)
    if best is None:
        target = _GROWTH_AFTER.match(right)  # 提出8%左右的国内生产总值增长目标
        return "up" if target else _rate_of_change(left)
    best_start, best_end, word = best
    tail = left[best_end:]
    if tail.startswith("的") or tail.startswith(_MODIFIED_NOUNS):
        # a modifier (经济增长的贡献率, 对经济增长贡献率35.1%): look before it
        return change(left[:best_start], right, counted)
    if len(tail) > CUE_REACH:
        return ""
    found = cues[word]
    if word in ("高于", "低于") and not tail.strip():
        return ""  # 增速要高于40%: a comparator right at the number, not a gap to a reference
    if found == "level" and (_TRANSPARENT.search(word) or word in ("为", "是")):
        # 增长超20%, 增长目标为16%, 涨幅控制在3%: the change word before the comparator decides
        before = _TARGET_FILLER.sub("", left[:best_start])[-INNER_REACH:]
        inner = _last_cue(before)
        if inner and inner[1] == len(before) and cues[inner[2]] in ("up", "down"):
            return cues[inner[2]]
    if found in ("up", "down") and counted and not tail.strip(_FILLER_CHARS):
        return ""
    if found in ("up", "down"):
        return found
    return _rate_of_change(left[:best_start])  # 涨幅回落到2.1%: a rate's level is a change


# What may precede a number in a clause without naming what it measures: a place or a verb
# of aiming (北京, 力争控制在, 分别是：); a clause with more of its own names its subject.
_SUBJECTLESS = re.compile(r"力争|争取|确保|控制在|保持在|稳定在|分别|大约|约|为|是|在|\s")
_PIECE_BREAK = re.compile(r"[：:，,、；;]")
_OWN_SUBJECT = 12  # characters of the clause before the number that are looked at
_NO_SUBJECT = 3  # at most this many other characters: a place name, not an indicator
_RATE_UNITS = ("%", "‰")  # a rate of change is a percentage; counts and amounts are not


def _row_change(row: str) -> str:
    """up or down from the change words of a table row's indicator cell (年均增长, 降低)."""
    best = _last_cue(row)
    found = change_cues().get(best[2], "") if best else ""
    if found in ("up", "down"):
        return found
    return _rate_of_change(row)


def claim_change(
    norm: str, mn: Mention, left: str, right: str, counted: bool, prev: Claim | None
) -> str:
    """The change of a mention: ``change`` of the words around it (翻番 is up), else the change
    of the previous claim when the two are items of one list with one unit
    (分别增长544.4%、199.2%、110.9%: the later items are past the cue's reach)."""
    if mn.kind_hint == "fan":
        return "up"
    if mn.category == "table":  # a table row: the indicator's own words (…年均增长（%）)
        line_start = norm.rfind("\n", 0, mn.start) + 1
        return _row_change(norm[line_start : mn.start])
    found = change(left, right, counted)
    if (
        not found
        and mn.unit in _RATE_UNITS
        # the clause's own words, after 分别是： or a list's 、 (split only when they matter)
        and len(_SUBJECTLESS.sub("", _PIECE_BREAK.split(left[-_OWN_SUBJECT:])[-1])) <= _NO_SUBJECT
    ):
        # a clause with no subject of its own (北京10.7%, 力争控制在15%左右) takes the rate of
        # change its sentence named before it (从GDP增速来看，…分别是：北京10.7%)
        start = max(norm.rfind("。", 0, mn.start), norm.rfind("\n", 0, mn.start)) + 1
        found = _rate_of_change(norm[start : mn.start], across_clauses=True)
    if (
        not found
        and prev is not None
        and prev.change
        and prev.unit == mn.unit
        and separates_list(norm, prev.end, mn.start)
    ):
        return prev.change
    return found
