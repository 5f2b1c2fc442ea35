"""What a claim measures: its indicator, a short name in the document's words.

Per ``spec/claims.md`` ("indicator"): the words before the number in its clause, stripped of
the words that only say how it changes or compares (``data/indicator_words.tsv``, ``tail``);
when those do not name it, the noun the number counts (培育29个国家级集群 -> 培育国家级集群,
after an ``action`` verb); else the label of its item (钢：…) or the subject of its list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import regex

from policy_nlp.claims.lexicon import ORDINAL_DIGITS, alternation, guarded, words
from policy_nlp.claims.mentions import Mention
from policy_nlp.claims.twin import twin
from policy_nlp.patterns import NOTE_OPEN, YEAR

__all__ = ["LIST_NUMERALS", "IndicatorWords", "claim_indicator", "item_label", "word_patterns"]

INDICATOR_REACH = 40  # characters before a number an indicator may start: it is short
INDICATOR_LENGTH = 30  # characters an indicator keeps at most

_RIGHT_LEAD = re.compile(r"^(?:的|以上|以下|左右)+")
# 比2010年, 由2010年的, 2010年, and the same in Chinese numerals (比一九五七年的)
_INDICATOR_TAIL_YEARS = rf"[比较]{YEAR}年的?|[由从]{YEAR}年的|{YEAR}年"
# the numerals that open a list's next number (…和3家, …及十万): as always read, without 〇○ and 亿
LIST_NUMERALS = "零一二两三四五六七八九十百千万"
_RIGHT_NOUN = twin(
    r"(?:的)?([^，。；、：:,;（(\d]{2,24}?)"
    rf"(?=[，。；、：:,;（(]|[和及与][\d{LIST_NUMERALS}]|$)"
)


class IndicatorWords(NamedTuple):
    """The patterns of ``indicator_words.tsv``, built once (``word_patterns``)."""

    tail: tuple[str, ...]  # words ending the text before a number without naming it
    tail_ends: frozenset[str]  # the characters a run of them (or a year) can end with
    strip_tail: re.Pattern  # the run of them (and years, spaces) ending the text
    actions: tuple[str, ...]  # verbs that take the counted thing as object (新建, 培育)
    action: re.Pattern  # the run of those verbs ending the text
    action_ends: frozenset[str]  # the characters such a run can end with
    strip_head: re.Pattern  # the run of head words (and 一是, years, quotes) opening the text


@cache
def word_patterns() -> IndicatorWords:
    """The tail and action word patterns. Which run of tail words is stripped depends only on
    the words (the earliest position from which the rest is made of them), so they are matched
    as a prefix tree; text ending with any other character (most indicators) is left as it is
    without running the pattern (spaces are tested apart)."""
    tail = words("indicator_words.tsv", "tail")
    actions = words("indicator_words.tsv", "action")
    return IndicatorWords(
        tail,
        frozenset(w[-1] for w in tail) | {"年", "的"},
        # (tried at every position of the text before a number: the words behind a lookahead
        # for their first characters, ``guarded``)
        twin(rf"(?:{guarded(tail)}|{_INDICATOR_TAIL_YEARS}|\s)+$"),
        actions,
        re.compile(rf"(?:{guarded(actions)})+$"),
        frozenset(w[-1] for w in actions),
        twin(
            rf"^(?:{alternation(words('indicator_words.tsv', 'head'))}|[{ORDINAL_DIGITS}]+是"
            rf"|{YEAR}年|到{YEAR}年|[“”\"、，,\s])+"
        ),
    )


def claim_indicator(
    norm: str,
    mn: Mention,
    seg_start: int,
    clause_end: int,
    prev_indicator: str,
    clause_start: int | None = None,
) -> str:
    """The short name of what is measured: the words before the number in its clause, or the
    noun it counts (培育29个国家级集群 -> 培育国家级集群), or the label of the item its clause
    (starting at ``clause_start``) opens (钢：从X增加到Y -> 钢), or the shared subject of a list
    (``prev_indicator``). Words after a number that say how it changes
    (从一百三十五万吨增加到四百十二万吨) do not name it."""
    w = word_patterns()
    seg_start = max(seg_start, mn.start - INDICATOR_REACH)
    left = norm[seg_start : mn.start].lstrip("、和及与以,， ")  # list separators (和, 及, 以及 …)
    if "）" in left or ")" in left:
        left = _skip_note(norm, seg_start, left)
    if left and (left[-1] in w.tail_ends or left[-1].isspace()):
        left = w.strip_tail.sub("", left)
    core = w.strip_head.sub("", left).strip()
    # (core is stripped: the run of verbs can only end with a verb's last character)
    verb = w.action.search(core) if core[-1:] in w.action_ends else None
    if not core or core.endswith("等") or verb:  # the words before do not name it: look after
        rm = _RIGHT_NOUN.match(norm, mn.end, clause_end)
        right = _RIGHT_LEAD.sub("", rm.group(1)).strip() if rm else ""
        if right and not _RIGHT_CHANGE.match(right):  # 从X增加到Y: X is a level, not a count
            return ((verb.group(0) if verb else "") + right)[:INDICATOR_LENGTH]
    if len(core) >= 2:
        if core[0] == "占" and prev_indicator and not prev_indicator.startswith("占"):
            # 财政赤字9500亿元，占国内生产总值比重在3%以内: a share of the amount before it
            return (_SUM_WORDS.sub("", prev_indicator) + core)[-INDICATOR_LENGTH:]
        return core[-INDICATOR_LENGTH:]
    label = item_label(norm, clause_start) if clause_start is not None else ""
    return label or prev_indicator


# a note in brackets inside a name: 广义货币M2（注：M2为M右下角加2）预期增长12%左右
_NOTE_OPEN = re.compile(NOTE_OPEN)
_NOTE_REACH = 60  # characters a note may hold
_NAME_BREAK = re.compile(r"[，。；：,;！？\n][^，。；：,;！？\n]*$")


def _skip_note(norm: str, seg_start: int, left: str) -> str:
    """``left`` with a bracketed note it ends inside skipped: the name is the words before the
    note and after it (广义货币M2…预期增长), not the note's own words."""
    close = max(left.rfind("）"), left.rfind(")"))
    if "（" in left[:close] or "(" in left[:close]:
        return left
    notes = list(_NOTE_OPEN.finditer(norm, max(0, seg_start - _NOTE_REACH), seg_start))
    if not notes:
        return left
    note = notes[-1]  # the last note opened before the segment
    head = norm[max(0, note.start() - INDICATOR_REACH) : note.start()]
    brk = _NAME_BREAK.search(head)
    if brk:
        head = head[brk.start() + 1 :]
    return head + left[close + 1 :]


# totals' words dropped from the subject a share is taken of (赤字合计 -> 赤字)
_SUM_WORDS = re.compile(r"(?:合计|总计|共计|总共|共)$")


# a change verb right after a number: what follows is its new level, not what it counts
_RIGHT_CHANGE = re.compile(
    r"(?:增加|增长|提高|提升|扩大|减少|下降|降低|缩小|上升|上调|下调|增至|降至|达到|到|至)"
)
# an item's label before a colon at the start of its line: 钢：…, （三）粮食：…
_ITEM_LABEL = regex.compile(
    rf"\s*(?:——|[（(][{ORDINAL_DIGITS}\d]+[）)]|\d+[.．、])?(\p{{Han}}[\p{{Han}}、]{{0,11}})"
)


def item_label(norm: str, c_start: int) -> str:
    """The label of the item a clause starting at ``c_start`` opens (``钢：`` -> 钢), else ""."""
    if c_start < 2 or norm[c_start - 1] not in "：:":
        return ""
    line_start = norm.rfind("\n", 0, c_start) + 1
    m = _ITEM_LABEL.fullmatch(norm, line_start, c_start - 1)
    if m is None:
        return ""
    return word_patterns().strip_head.sub("", m.group(1))  # 其中： names nothing
