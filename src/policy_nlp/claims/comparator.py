"""A claim's comparator and change."""

from __future__ import annotations

import re
from functools import cache

import regex

from policy_nlp.claims.mentions import (
    alternation,
    comparators,
)
from policy_nlp.resources import read_table


@cache
def _change_cues() -> dict[str, str]:
    return {word: change for word, change in read_table("change_cues.tsv")}


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
