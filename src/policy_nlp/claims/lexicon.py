"""The claims room's vocabulary: the word tables it reads from ``data/``, each read once, the
numeral character classes its patterns share, and ``alternation``, which turns a word list
into a pattern.

Every module of ``claims`` takes its cue words from here, so a data row is read in one place
and a character class is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from policy_nlp.errors import OptionError
from policy_nlp.resources import read_lines, read_table

__all__ = [
    "CN_DIGITS",
    "CN_FINANCIAL_DIGITS",
    "CN_FINANCIAL_MAGNITUDES",
    "CN_MAGNITUDES",
    "DATE_DIGITS",
    "ORDINAL_DIGITS",
    "alternation",
    "change_cues",
    "comparators",
    "guarded",
    "kind_cues",
    "not_claims",
    "relative_years",
    "unit_table",
    "words",
]

# Numeral character classes. They are not all of ``data/numerals.tsv`` on purpose (the tests
# check that each is a subset of it): policy texts write quantities with the ordinary digits,
# and the financial forms (壹贰叁 …, 拾佰仟, 萬億) would only widen the patterns' search.
# The digits 0-9 as quantities are written (两 included).
CN_DIGITS = "零〇○一二两三四五六七八九"
# The magnitudes, small (十百千) and big (万亿).
CN_MAGNITUDES = "十百千万亿"
# The financial (大写) and traditional forms, which contracts, budgets and older copies quote
# (壹佰贰拾叁万元, 肆佰叁拾萬): the mention grammar reads them too; a lone financial digit is
# never a numeral there (陆家嘴, 队伍).
CN_FINANCIAL_DIGITS = "壹贰叁肆伍陆柒捌玖兩"
CN_FINANCIAL_MAGNITUDES = "拾佰仟萬億"
# The digits that may follow 的 after a year in the year index (由2010年的162.4亿元): as the
# index has always read them, without ○.
DATE_DIGITS = "零〇一二两三四五六七八九"
# The numerals of enumerations and ordinals (一、, （三）, 第十四个五年规划, 十次全会).
ORDINAL_DIGITS = "一二三四五六七八九十"


def alternation(words: Iterable[str], after: dict[str, str] | None = None) -> str:
    """A pattern matching any of ``words``, the longest first where several start at a position.

    Built as a prefix tree (``增(?:长(?:率)?|加)``) rather than a flat list of words sorted longest
    first: the words that match at one position are prefixes of one another, and the tree tries
    them in the same order (longest first, shorter ones on backtracking), so the matches are
    those of the flat list, while each position is read once instead of once per word.
    ``after`` maps a word to a pattern that must follow it (a lookahead such as ``(?![庭属])``).
    """
    after = after or {}
    end = ""  # key of a word's own end in the tree (characters are non-empty keys)
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[end] = after.get(word, "")
    return _tree_pattern(root) if root else ""


def guarded(words: Iterable[str], after: dict[str, str] | None = None) -> str:
    """``alternation(words, after)`` behind a lookahead for the words' first characters.

    The engine tries an alternation's branches one by one, a test per first character (a
    hundred for the unit table): where none fits, as at most positions, one class test says
    so at once. The matches are the same: no word starts with another character.
    """
    words = list(words)
    firsts = "".join(re.escape(c) for c in sorted({w[0] for w in words}))
    return f"(?=[{firsts}])(?:{alternation(words, after)})"


def _tree_pattern(node: dict) -> str:
    """The pattern of one prefix-tree node: its continuations, then (last) ending here."""
    branches = [re.escape(ch) + _tree_pattern(child) for ch, child in node.items() if ch]
    if "" in node:
        if not branches:
            return node[""]
        if not node[""] and len(branches) == 1:
            return f"(?:{branches[0]})?"
        branches.append(node[""])
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@cache
def unit_table() -> dict[str, tuple[str, str]]:
    """Surface form -> (canonical unit, category), every row of ``units.tsv``."""
    return {row[0]: (row[1], row[2]) for row in read_table("units.tsv")}


@cache
def comparators() -> tuple[dict[str, str], dict[str, str]]:
    """Word -> comparator of ``comparators.tsv``: (prefix words, glued suffix words)."""
    prefix: dict[str, str] = {}
    suffix: dict[str, str] = {}
    for word, position, comp in read_table("comparators.tsv"):
        (prefix if position == "prefix" else suffix)[word] = comp
    return prefix, suffix


@cache
def change_cues() -> dict[str, str]:
    """Word -> up, down or level, the rows of ``change_cues.tsv``."""
    return {word: change for word, change in read_table("change_cues.tsv")}


@cache
def kind_cues() -> dict[str, tuple[str, str]]:
    """Word -> (kind, strength), the rows of ``kind_cues.tsv``."""
    return {word: (kind, strength) for word, kind, strength in read_table("kind_cues.tsv")}


@cache
def relative_years() -> dict[str, int]:
    """Word -> offset from the document's year (今年 0, 去年 -1), of ``year_cues.tsv``."""
    return {row[0]: int(row[2]) for row in read_table("year_cues.tsv") if row[1] == "relative"}


def not_claims() -> tuple[str, ...]:
    """Idioms and names with numerals that are never claims (``not_claims.txt``)."""
    return read_lines("not_claims.txt")


@cache
def words(name: str, role: str) -> tuple[str, ...]:
    """The words of one role of a ``word<TAB>role`` data file, in file order:
    ``words("indicator_words.tsv", "action")``."""
    found = tuple(row[0] for row in read_table(name) if row[1] == role)
    if not found:
        raise OptionError(f"no words of role {role!r} in {name}")
    return found
