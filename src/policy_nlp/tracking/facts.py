"""Tracking facts: a claim as tracking sees it, with its indicator and scope (moved from core.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import regex

from policy_nlp.text import normalize
from policy_nlp.tracking.indicators import _NOISE, IndicatorKey, _words_re, indicator_key

# The pieces of an enumerated name: 城镇居民人均可支配收入和农村居民人均纯收入.
_ENUM_SPLIT = regex.compile(r"[、和及与]")
# What a figure is, read after it: ８％左右的国内生产总值增长目标.
_RIGHT_NAME = regex.compile(
    r"^(?:左右|以上|以内|以下)?的?([^，。；：、\d%]{2,24}?)(?:预期目标|目标|任务)"
)
# A five-year-plan period named in a paragraph: “十一五”时期, 十二五期间.
_PLAN_PERIOD = regex.compile(r"十[一二三四五六]?五(?:时期|期间|以来)")
_CLAUSE_BREAK = regex.compile(r"[，。；：！？,;\n]")


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


def _num(v) -> float | None:
    if v is None or v is pd.NA or v == "":
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


def _str(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)


def _named(name: str) -> bool:
    key = indicator_key(name)
    return bool(key.concepts) or len(key.rest) >= 2


def _mention_in_sentence(sentence: str, mention: str, nth: int) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = sentence.find(mention, pos + 1)
        if pos < 0:
            return -1
    return pos


def _share_head(parts: list[str]) -> list[str]:
    """Give short modifiers the head noun of the last item: 城镇、农村常住居民人均可支配收入
    reads 城镇常住居民人均可支配收入 and 农村常住居民人均可支配收入."""
    if len(parts) < 2:
        return parts
    last = parts[-1]
    out = [p + last[len(p) :] if len(p) <= 2 and len(last) > len(p) + 1 else p for p in parts[:-1]]
    return [*out, last]


def describe(claims: Iterable, text: str | None = None) -> list[Fact]:
    """Tracking facts for the claims of one document (``Claim`` records or claims-table rows).

    With the document's ``text``, a figure's scope also reads the paragraph before it
    (——这五年，…。城镇新增就业5771万人 is a five-year total); without it, only its sentence.
    """
    rows = list(claims)
    if not rows:
        return []
    if text is not None:
        text = normalize(text)  # once per document, not once per figure
    # each row's field reader, chosen once (claims-table dicts or Claim records)
    fields_of = [c.get if isinstance(c, Mapping) else partial(getattr, c) for c in rows]
    raw = [_str(get("indicator")) for get in fields_of]
    names = list(raw)
    changes = [_str(get("change")) for get in fields_of]
    sentences = [_str(get("sentence")) for get in fields_of]
    starts = [_int(get("start")) or 0 for get in fields_of]
    mentions = [_str(get("mention")) for get in fields_of]
    # where each mention sits in its sentence (k-th occurrence for repeated figures)
    seen: dict[tuple[str, str], int] = {}
    in_sent = []
    for i in range(len(rows)):
        k = (sentences[i], mentions[i])
        in_sent.append(_mention_in_sentence(sentences[i], mentions[i], seen.get(k, 0)))
        seen[k] = seen.get(k, 0) + 1
    # 1. a name read after the figure: ８％左右的国内生产总值增长目标
    for i in range(len(rows)):
        if _named(raw[i]) or in_sent[i] < 0:
            continue
        after = normalize(sentences[i][in_sent[i] + len(mentions[i]) :])
        m = _RIGHT_NAME.match(after)
        if m and _named(m.group(1)):
            names[i] = m.group(1)
            if not changes[i] and _words_re("growth").search(m.group(1)):
                changes[i] = "up"
    # 2. enumerations: figures in a row sharing one indicator and one sentence
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and raw[j + 1] == raw[i] and sentences[j + 1] == sentences[i]:
            j += 1
        group = range(i, j + 1)
        if len(group) > 1:
            parts = _share_head([p for p in _ENUM_SPLIT.split(raw[i]) if p])
            if len(parts) == len(group) and all(_named(p) for p in parts):
                for g, p in zip(group, parts, strict=True):
                    names[g] = p
            elif not _named(raw[i]):  # 城镇…收入17175元，农村…收入5153元，实际增长9.8%和8.5%
                before = []
                for k in range(i - 1, -1, -1):
                    if sentences[k] != sentences[i]:
                        break
                    if _named(names[k]) and names[k] not in before:
                        before.insert(0, names[k])
                if len(before) >= len(group):
                    for g, p in zip(group, before[-len(group) :], strict=True):
                        names[g] = p
        i = j + 1
    out = []
    for i, get in enumerate(fields_of):
        value = _num(get("value"))
        if value is None:
            continue
        out.append(
            Fact(
                doc_id=_str(get("doc_id")),
                start=starts[i],
                end=_int(get("end")) or starts[i],
                mention=mentions[i],
                kind=_str(get("kind")),
                year=_int(get("year")),
                value=value,
                value_high=_num(get("value_high")),
                unit=_str(get("unit")),
                comparator=_str(get("comparator")) or "=",
                change=changes[i],
                indicator=names[i],
                scope=_scope(text, starts[i], sentences[i], in_sent[i]),
                key=indicator_key(names[i]),
            )
        )
    return out


_SCOPE_WINDOW = 2000  # characters of the paragraph before a figure that can say it spans years


def _scope(text: str | None, start: int, sentence: str, in_sent: int) -> str:
    """``period`` when the figure covers several years, else ``year``."""
    if text is not None and 0 <= start <= len(text):  # text is normalised already
        floor = max(0, start - _SCOPE_WINDOW)  # a long line is read back only so far
        before = text[text.rfind("\n", floor, start) + 1 : start]
    else:
        before = normalize(sentence[: max(in_sent, 0)])
    before = _NOISE.sub("", before)
    clause = _CLAUSE_BREAK.split(before)[-1]
    if _words_re("period-clause").search(clause):
        return "period"
    last_period = max(
        (m.end() for r in (_words_re("period"), _PLAN_PERIOD) for m in r.finditer(before)),
        default=-1,
    )
    last_annual = max((m.end() for m in _words_re("annual").finditer(before)), default=-1)
    return "period" if last_period > last_annual else "year"
