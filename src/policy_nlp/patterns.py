"""Regex fragments that more than one room uses, each written once.

Fragments are plain strings to compose into larger patterns (``rf"({YEAR})\\s*年"``), named
for what they match. Character classes of Chinese numerals come from ``data/numerals.tsv``
(``numeral_chars``); the literal classes below are checked against it by the tests, so the
data file stays the one home of what a numeral character is.
"""

from __future__ import annotations

import re
from functools import cache

from policy_nlp.errors import OptionError
from policy_nlp.resources import read_table

__all__ = [
    "ARABIC_YEAR",
    "ARABIC_YEAR_DIGITS",
    "BRACKET_NOTE",
    "CHINESE_YEAR",
    "CN_YEAR_DIGITS",
    "DIFFERENCE_BEFORE",
    "NOTE_OPEN",
    "PLAN_PERIOD",
    "WITHIN_YEAR",
    "YEAR",
    "YEAR_NIAN",
    "numeral_chars",
    "plan_period",
    "read_year",
]

# The characters that write a year's digits in Chinese (二〇二五, 一九五八): 0-9, no 两.
CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
# The four digits of a year of the documents' range (1900-2099), with no boundary of their
# own (for patterns whose context bounds the year: 2019-03-05 after a non-digit, 2019年 in a
# title after no dash or digit).
ARABIC_YEAR_DIGITS = r"(?:19|20)\d\d"
# The same, not inside a longer number.
ARABIC_YEAR = rf"(?<![\d.]){ARABIC_YEAR_DIGITS}"
# A year in Chinese numerals (二〇二五), not the tail of a longer numeral (百分之二十一九…).
CHINESE_YEAR = rf"(?<![{CN_YEAR_DIGITS}十])[一二][{CN_YEAR_DIGITS}]{{3}}"
# A year as written in these documents, Arabic or Chinese; patterns add the 年 after it.
YEAR = rf"(?:{ARABIC_YEAR}|{CHINESE_YEAR})"
# A year with its 年, the year captured (2025年, 二〇二五 年).
YEAR_NIAN = rf"({YEAR})\s*年"
# A five-year-plan period as named in the text: 一五 … 九五 (the first to the ninth plan),
# 十五, 十一五 … 十六五; patterns that use it bound it (not inside a numeral: 百分之二十五).
# a difference between two years' figures, written just before the figure (比上年增加5700亿元,
# 比去年多100万人): no target or level of its own (tracking.link and tracking.panel)
DIFFERENCE_BEFORE = r"比(?:上年|去年|上一年|前一年)(?:预算|实际)?(?:增加|多|减少|少|扩大|缩小)了?$"
PLAN_PERIOD = r"(?:十[一二三四五六]?|[一二三四五六七八九])五"
# a time within one year, as a starting point is written (从上半年5.5%, 由年初的X): 上半年, 年初,
# 一季度, 3月份, 年中末
WITHIN_YEAR = (
    r"(?:上半年|下半年|年初|年中|前三季度|第?[一二三四]季度|\d{1,2}月份?|"
    r"[一二三四五六七八九十]{1,3}月份?)(?:末|底|初)?"
)
# a note in brackets inside a sentence: 广义货币M2（注：M2为M右下角加2）预期增长12%左右
NOTE_OPEN = r"[（(]注[：:]"
BRACKET_NOTE = rf"{NOTE_OPEN}[^（）()\n]{{0,60}}[）)]"

_YEAR_DIGIT_VALUES = str.maketrans(CN_YEAR_DIGITS, "00012345678" + "9")


def read_year(text: str) -> int:
    """The year a ``YEAR`` match denotes: ``read_year("二〇二五") == 2025``."""
    return int(text.translate(_YEAR_DIGIT_VALUES))


@cache
def numeral_chars(role: str) -> str:
    """The Chinese numeral characters of one role in ``data/numerals.tsv``, in file order:
    ``digit`` (零…九, 两, financial forms), ``small`` (十百千), ``big`` (万亿)."""
    chars = "".join(ch for ch, _, r in read_table("numerals.tsv") if r == role)
    if not chars:
        raise OptionError(f"no numerals of role {role!r} in numerals.tsv")
    return chars


# Five-year plans named in titles (一个五年计划 … 第十五个五年规划, “十四五”).
_PERIOD_NAME = re.compile(r"(十?)([一二三四五六七八九]?)五")  # PLAN_PERIOD with its digits
_PERIOD_ORDINAL = re.compile(r"第([一二三四五六七八九十]{1,3})个五年(?:规划|计划)")
_ORDINALS = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}


def _ordinal(text: str) -> int | None:
    """一…十九 as a number (the ordinal of a five-year plan)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _ORDINALS.get(text[1:], 0) if len(text) == 2 else None
    if len(text) == 1:
        return _ORDINALS.get(text)
    return None


def plan_period(text: str) -> tuple[int, int] | None:
    """(first year, last year) of the five-year plan a title names: ``十四五`` and
    ``第十四个五年规划`` → (2021, 2025); the first plan 1953-1957, the second 1958-1962, the
    third 1966-1970 and every fifth year from there."""
    n = None
    if m := _PERIOD_ORDINAL.search(text):
        n = _ordinal(m[1])
    elif m := next((x for x in _PERIOD_NAME.finditer(text) if x[1] or x[2]), None):
        n = (10 if m[1] else 0) + (_ORDINALS[m[2]] if m[2] else 0)
    if not n:
        return None
    first = {1: 1953, 2: 1958}.get(n, 1966 + 5 * (n - 3))
    return first, first + 4
