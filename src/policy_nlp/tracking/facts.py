"""Tracking facts: a claim as tracking sees it, with the name it measures and its scope.

``describe`` is the text-heavy half of tracking, run per document (in the pipeline's
workers): a claim whose indicator names nothing (提出, 实际) takes the name written after
its figure or shared in an enumeration, and each figure's scope (one year, or a period such
as 这五年) is read from the paragraph before it. The cue words are in
``data/tracking_cues.tsv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from operator import attrgetter

import pandas as pd
import regex

from policy_nlp.text import normalize
from policy_nlp.tracking.indicators import (
    MIN_NAME_CHARS,
    IndicatorKey,
    cue_pattern,
    cue_words,
    indicator_key,
    names_indicator,
)
from policy_nlp.tracking.scope import DocLayout, figure_scope

__all__ = [
    "RIGHT_NAME_CHARS",
    "SHORT_MODIFIER_CHARS",
    "Fact",
    "cell_float",
    "cell_int",
    "cell_str",
    "describe",
]

# The longest name read after a figure, in characters (８％左右的国内生产总值增长目标).
RIGHT_NAME_CHARS = 24
# An enumerated modifier of at most this many characters borrows the last item's head noun
# (城镇、农村常住居民人均可支配收入).
SHORT_MODIFIER_CHARS = 2

# The pieces of an enumerated name: 城镇居民人均可支配收入和农村居民人均纯收入.
_ENUM_SPLIT = regex.compile(r"[、和及与]")


@cache
def _right_name() -> tuple[regex.Pattern, int]:
    """What a figure is, read after it: ８％左右的国内生产总值增长目标; and the most characters
    the pattern reads (it is anchored and bounded, so only that much of a sentence's tail is
    normalised per figure instead of the whole tail)."""
    lead, head = cue_pattern("name-lead").pattern, cue_pattern("name-head").pattern
    name = rf"[^，。；：、\d%]{{{MIN_NAME_CHARS},{RIGHT_NAME_CHARS}}}?"
    longest = len(cue_words("name-lead")[0]) + len("的") + len(cue_words("name-head")[0])
    return regex.compile(rf"^(?:{lead})?的?({name})(?:{head})"), longest + RIGHT_NAME_CHARS


@dataclass(frozen=True, slots=True)
class Fact:
    """A claim as tracking sees it: its fields plus a derived indicator, change and scope.

    ``indicator`` is the claim's indicator, or when that names nothing (提出, 实际) the name
    read from the words after the figure or shared in an enumeration; ``scope`` is ``year``
    for one year's figure and ``period`` for a figure over several years (年均, 这五年).
    """

    doc_id: str
    start: int
    end: int
    mention: str
    kind: str
    year: int | None
    value: float
    value_high: float | None
    unit: str
    comparator: str
    change: str
    indicator: str
    scope: str = "year"
    key: IndicatorKey = field(default=IndicatorKey(frozenset(), ""), compare=False)


# ----------------------------------------------------------------------------- table cells


# ints this small come back unchanged from float: cell_int need not convert them
_EXACT_INT = 1 << 53


def cell_float(v: object) -> float | None:
    """A table cell as a float; None when empty, missing or not a number."""
    if type(v) is float:  # the common cell, without the checks below
        return None if math.isnan(v) else v
    if v is None or v is pd.NA or v == "":
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def cell_int(v: object) -> int | None:
    """A table cell as an int (truncated); None when empty, missing or not a number."""
    if type(v) is int and -_EXACT_INT < v < _EXACT_INT:  # the float round trip changes nothing
        return v
    f = cell_float(v)
    return None if f is None else int(f)


def cell_str(v: object) -> str:
    """A table cell as text; "" when missing."""
    if type(v) is str:  # the common cell, without the checks below
        return v
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)


# ----------------------------------------------------------------------------- describe


def _share_head(parts: list[str]) -> list[str]:
    """Give short modifiers the head noun of the last item: 城镇、农村常住居民人均可支配收入
    reads 城镇常住居民人均可支配收入 and 农村常住居民人均可支配收入."""
    if len(parts) < 2:
        return parts
    last = parts[-1]
    out = [
        p + last[len(p) :] if len(p) <= SHORT_MODIFIER_CHARS and len(last) > len(p) + 1 else p
        for p in parts[:-1]
    ]
    return [*out, last]


def _places(sentences: list[str], mentions: list[str]) -> list[int]:
    """Where each mention sits in its sentence (the k-th occurrence for repeated figures)."""
    # the k-th occurrence is found after the (k-1)-th, not by counting from the start again
    last: dict[tuple[str, str], int] = {}
    places = []
    for sentence, mention in zip(sentences, mentions, strict=True):
        k = (sentence, mention)
        before = last.get(k)
        if before is None:
            at = sentence.find(mention)
        else:  # once not found, no later occurrence is
            at = sentence.find(mention, before + 1) if before >= 0 else -1
        places.append(at)
        last[k] = at
    return places


def _names_after(
    raw: list[str],
    sentences: list[str],
    mentions: list[str],
    places: list[int],
    names: list[str],
    changes: list[str],
) -> None:
    """A name read after the figure (８％左右的国内生产总值增长目标) for a claim whose own
    names nothing; a growth word in it makes the change ``up``. Updates ``names``, ``changes``."""
    for i in range(len(raw)):
        if names_indicator(raw[i]) or places[i] < 0:
            continue
        right_name, reach = _right_name()
        at = places[i] + len(mentions[i])
        # normalize is per character, so the cut tail normalises to the whole one's start
        m = right_name.match(normalize(sentences[i][at : at + reach]))
        if m and names_indicator(m.group(1)):
            names[i] = m.group(1)
            if not changes[i] and cue_pattern("growth").search(m.group(1)):
                changes[i] = "up"


def _names_in_enumerations(raw: list[str], sentences: list[str], names: list[str]) -> None:
    """Figures in a row sharing one indicator and one sentence: each takes its piece of an
    enumerated name, or the names of the figures before it in the sentence (城镇…收入17175元，
    农村…收入5153元，实际增长9.8%和8.5%). Updates ``names``."""
    i = 0
    while i < len(raw):
        j = i
        while j + 1 < len(raw) and raw[j + 1] == raw[i] and sentences[j + 1] == sentences[i]:
            j += 1
        group = range(i, j + 1)
        if len(group) > 1:
            parts = _share_head([p for p in _ENUM_SPLIT.split(raw[i]) if p])
            if len(parts) == len(group) and all(names_indicator(p) for p in parts):
                for g, p in zip(group, parts, strict=True):
                    names[g] = p
            elif not names_indicator(raw[i]):
                before: list[str] = []
                for k in range(i - 1, -1, -1):
                    if sentences[k] != sentences[i]:
                        break
                    if names_indicator(names[k]) and names[k] not in before:
                        before.insert(0, names[k])
                if len(before) >= len(group):
                    for g, p in zip(group, before[-len(group) :], strict=True):
                        names[g] = p
        i = j + 1


def _names_in_runs(
    raw: list[str], sentences: list[str], units: list[str], changes: list[str], names: list[str]
) -> dict[int, list[str]]:
    """An enumerated name over figures of two kinds (城镇和农村居民人均可支配收入分别达35512元、
    25689元，分别同比增长7.8%): each run of one unit and change as long as the enumeration
    takes its pieces; a lone figure of a run is shared by every piece. Updates ``names``;
    returns the shared figures' pieces (index -> names)."""
    shared: dict[int, list[str]] = {}
    i = 0
    while i < len(raw):
        j = i
        while j + 1 < len(raw) and raw[j + 1] == raw[i] and sentences[j + 1] == sentences[i]:
            j += 1
        # a lone figure is no run: its name is not split
        parts = _share_head([p for p in _ENUM_SPLIT.split(raw[i]) if p]) if j > i else []
        if (
            j > i
            and len(parts) > 1
            and names[i] == raw[i]
            and all(names_indicator(p) for p in parts)
        ):
            k = i
            while k <= j:
                end = k
                while end + 1 <= j and (units[end + 1], changes[end + 1]) == (units[k], changes[k]):
                    end += 1
                if end - k + 1 == len(parts):
                    for g, p in zip(range(k, end + 1), parts, strict=True):
                        names[g] = p
                elif end == k:
                    shared[k] = parts
                k = end + 1
        i = j + 1
    return shared


# The claim fields describe reads, in this order (``_columns``).
_FIELDS = ("doc_id", "start", "end", "mention", "value", "value_high", "unit", "comparator",
           "kind", "year", "change", "indicator", "sentence")  # fmt: skip
_claim_fields = attrgetter(*_FIELDS)


def _columns(rows: list) -> list[tuple]:
    """The ``_FIELDS`` of ``rows`` (claims-table dicts or ``Claim`` records) column by column,
    each row's fields read in one call."""
    cells = [
        tuple(map(r.get, _FIELDS)) if isinstance(r, Mapping) else _claim_fields(r) for r in rows
    ]
    return list(zip(*cells, strict=True))


def _texts(cells: Iterable) -> list[str]:
    """``cell_str`` of each cell, a plain str passed as it is without a call (most are)."""
    return [v if type(v) is str else cell_str(v) for v in cells]


def describe(claims: Iterable, text: str | None = None) -> list[Fact]:
    """Tracking facts for the claims of one document (``Claim`` records or claims-table rows).

    With the document's ``text``, a figure's scope also reads the paragraph before it
    (——这五年，…。城镇新增就业5771万人 is a five-year total); without it, only its sentence.
    """
    rows = list(claims)
    if not rows:
        return []
    layout = DocLayout.of(text) if text is not None else None  # once per document
    (doc_id_cells, start_cells, end_cells, mention_cells, value_cells, high_cells, unit_cells,
     comparator_cells, kind_cells, year_cells, change_cells, indicators,
     sentence_cells) = _columns(rows)  # fmt: skip
    raw = _texts(indicators)
    names = list(raw)
    changes = _texts(change_cells)
    sentences = _texts(sentence_cells)
    starts = [cell_int(v) or 0 for v in start_cells]
    mentions = _texts(mention_cells)
    places = _places(sentences, mentions)
    _names_after(raw, sentences, mentions, places, names, changes)
    _names_in_enumerations(raw, sentences, names)
    units = _texts(unit_cells)
    shared = _names_in_runs(raw, sentences, units, changes, names)
    values = [cell_float(v) for v in value_cells]
    years = [cell_int(v) for v in year_cells]
    scopes = [
        # a claim without a value makes no fact: its scope is not read
        figure_scope(layout, start, sentence, place, indicator=name, change=change, year=year)
        if value is not None
        else ""
        for value, start, sentence, place, name, change, year in zip(
            values, starts, sentences, places, names, changes, years, strict=True
        )
    ]
    kinds = _texts(kind_cells)
    # the facts built column by column, the columns in Fact's field order (one positional
    # call per fact costs half a call by keywords)
    facts = map(
        Fact,
        _texts(doc_id_cells),
        starts,
        [cell_int(v) or start for v, start in zip(end_cells, starts, strict=True)],
        mentions,
        kinds,
        years,
        values,
        [cell_float(v) for v in high_cells],
        units,
        [c or "=" for c in _texts(comparator_cells)],
        changes,
        names,
        scopes,
        map(indicator_key, names),
    )
    out = []
    for i, fact in enumerate(facts):
        if values[i] is None:
            continue
        if kinds[i] == "achievement" and i in shared:
            # 分别同比增长7.8%: one outcome of each piece (a target keeps its one row)
            out.extend(replace(fact, indicator=p, key=indicator_key(p)) for p in shared[i])
        else:
            out.append(fact)
    return out
