"""Figures in the indicator table of a plan, written as a text row of cells.

A five-year-plan outline lists its main indicators as a table; copied to text, a row is its
cells apart by runs of spaces or tabs: ``全社会研发经费投入年均增长（%）    预期性    7.5``. The
unit sits in the row's heading, so the figure after the indicator's attribute (预期性 or
约束性) is a bare number: the grammar of ``mentions`` rightly refuses bare numbers elsewhere,
but here the row says what the number is. Per the spec, the unit is what is written after
the number (none), and a symbol before it is its comparator (``≥85``, ``＞100``); a figure in
brackets (``〔20〕``) is a cumulative figure over the plan, written as the table's notes say.
"""

from __future__ import annotations

import re
from decimal import Decimal

from policy_nlp.claims.mentions import Mention

__all__ = ["table_row_mentions"]

# a row that names an indicator's attribute as one of its cells: the word, found by substring
# search (a pattern would be tried at every character of a document that has no table), as a
# cell (at the start of its line or after a gap, with a gap or the line's end after it)
_ATTRIBUTES = ("预期性", "约束性")
_GAP = " \t\u3000"
_CELL_END = re.compile(r"[ \t\u3000]{2,}|\t|$", re.M)
# the cells after it: one figure each, with an optional symbol, brackets and glued approximator
_CELL = re.compile(
    r"(?:[ \t\u3000]{2,}|\t)[≥＞>≤＜<]?(?P<open>〔)?"
    r"(?P<num>-?\d+(?:\.\d+)?)(?P<suffix>以上|以下|左右|以内)?(?(open)〕)(?=[ \t\u3000]{2,}|\t|$)"
)
_SUFFIX = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}


def table_row_mentions(norm: str) -> list[Mention]:
    """Mentions of the figures after an attribute cell in the rows of an indicator table."""
    found: list[Mention] = []
    for s in _word_starts(norm):
        pos = s + 3  # the attribute's end
        if not (
            s == 0
            or norm[s - 1] in "\n\t"
            or (s >= 2 and norm[s - 1] in _GAP and norm[s - 2] in _GAP)
        ) or not _CELL_END.match(norm, pos):
            continue
        line_end = norm.find("\n", pos)
        line_end = len(norm) if line_end < 0 else line_end
        while (cell := _CELL.match(norm, pos, line_end)) is not None:
            end = cell.end("suffix") if cell["suffix"] else cell.end("num")
            found.append(
                Mention(
                    cell.start("num"),
                    end,
                    Decimal(cell["num"]),
                    suffix_comp=_SUFFIX.get(cell["suffix"] or "", ""),
                    category="table",
                )
            )
            pos = cell.end()
    return found


def _word_starts(norm: str) -> list[int]:
    """Where the attribute words stand in ``norm``, in text order."""
    starts = []
    for word in _ATTRIBUTES:
        i = norm.find(word)
        while i >= 0:
            starts.append(i)
            i = norm.find(word, i + len(word))
    return sorted(starts)
