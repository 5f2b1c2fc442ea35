"""Target tracking: link each target to the later achievement that settles it, and judge it.

A target (``国内生产总值增长8%左右`` in the 2010 report) is settled by an achievement in another
document of the batch that reports the same indicator for the target's deadline year
(``国内生产总值增长10.3%`` in the 2011 report's review of 2010), as ``spec/tracking.md`` defines:

- same indicator in meaning (``indicator_key`` and ``indicator_similarity``: names are cleaned of
  filler and change words, wordings mapped by ``data/indicator_synonyms.tsv``, then compared by
  characters and jieba tokens), at the same level of government (``jurisdiction``);
- the achievement's year equals the target's year; units compatible; a growth settles a
  growth and a level a level; a figure over several years (年均, 这五年) only a period target;
- status ``met`` / ``missed`` as an analyst reads the target (``judge``), ``unsettled`` when no
  numeric achievement qualifies; ``gap`` = achieved − target in the target's unit.

The work is split so that the pipeline can do the text-heavy part per document in its workers
(``describe``: one ``Fact`` per claim, using the paragraph around it) and the linking once per
batch (``link``). ``track`` does both from the claims and documents tables of a ``Result``.

>>> judge(value=8, value_high=None, comparator="~", unit="%", polarity="more", achieved=7.6)
('met', -0.4)
>>> judge(value=3, value_high=None, comparator="~", unit="%", polarity="less", achieved=3.6)
('missed', 0.6)
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache, partial
from pathlib import Path

import pandas as pd
import regex

from policy_nlp import tables
from policy_nlp.errors import OptionError, TableError
from policy_nlp.resources import read_table
from policy_nlp.schema import TRACKING_STATUSES
from policy_nlp.text import normalize

__all__ = [
    "TRACKING_FIELDS",
    "Fact",
    "IndicatorKey",
    "TrackingScores",
    "describe",
    "display_name",
    "documents_info",
    "indicator_key",
    "indicator_similarity",
    "judge",
    "jurisdiction",
    "link",
    "link_bucket",
    "link_rows",
    "polarity",
    "read_tracking_csv",
    "same_indicator",
    "score_tracking",
    "track",
]

TRACKING_FIELDS = tuple(tables.COLUMNS["tracking"])
STATUSES = TRACKING_STATUSES

# Names the synonym table does not know are one indicator when their words are this similar
# (中央财政安排 must not match 中央财政拟安排补贴资金). Fixed on the full 2009-2012 national
# reports; the labelled pairs in tests/data/indicator_pairs.tsv measure it (see the README).
SAME_INDICATOR_FREE_TEXT = 0.8
# 左右 adds this tolerance: half a point for a figure in %; 5% of the figure for other units.
TOLERANCE_POINTS = 0.5
TOLERANCE_RELATIVE = 0.05
_EPS = 1e-9

# ----------------------------------------------------------------------------- data tables


@cache
def _synonyms() -> tuple[tuple[str, str], ...]:
    """(wording, canonical name), longest wording first, ASCII folded to upper case."""
    rows = {(_fold(row[1]), row[0]) for row in read_table("indicator_synonyms.tsv")}
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@cache
def _weak_wordings() -> frozenset[str]:
    """Wordings that name their indicator only when nothing else in the name does."""
    return frozenset(
        _fold(row[1]) for row in read_table("indicator_synonyms.tsv") if row[2:3] == ("weak",)
    )


@cache
def _synonym_re() -> regex.Pattern:
    return regex.compile("|".join(regex.escape(w) for w, _ in _synonyms()))


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word, role in read_table("tracking_cues.tsv"):
        out.setdefault(role, []).append(word)
    return {role: tuple(sorted(ws, key=len, reverse=True)) for role, ws in out.items()}


def _words_re(role: str) -> regex.Pattern:
    return _compiled(_cues()[role])


@cache
def _compiled(words: tuple[str, ...]) -> regex.Pattern:
    return regex.compile("|".join(regex.escape(w) for w in words))


@cache
def _polarity_words() -> tuple[tuple[str, str], ...]:
    rows = [(_fold(w), p) for w, p in read_table("indicator_polarity.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _fold(text: str) -> str:
    return normalize(text).upper()


# ----------------------------------------------------------------------------- indicators

# Brackets, quotes and spaces never carry meaning in an indicator name, nor does a Latin
# alias in brackets (细颗粒物（PM2.5）年均浓度 is 细颗粒物年均浓度).
_NOISE = regex.compile(r"[（(][A-Za-z0-9.\s_]+[）)]|[\s“”\"'‘’《》〈〉（）()【】\[\]]+")
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
class IndicatorKey:
    """A normalised indicator name: the canonical names it contains and the words left over."""

    concepts: frozenset[str]
    rest: str

    def __str__(self) -> str:
        return "+".join(sorted(self.concepts)) + (f"|{self.rest}" if self.rest else "")


def _strip_fillers(text: str) -> str:
    return _words_re("filler").sub("", text)


@cache
def _edge_fillers() -> regex.Pattern:
    alt = _words_re("filler").pattern
    return regex.compile(rf"^(?:{alt})+|(?:{alt})+$")


def display_name(name: str) -> str:
    """An indicator name for the table: the document's words without filler at either end.

    >>> display_name("提出居民消费价格涨幅"), display_name("中央财政拟安排保障性安居工程资金")
    ('居民消费价格', '保障性安居工程')
    """
    text = _NOISE.sub("", name or "")
    for _ in range(3):  # 中央财政 / 拟 / 安排 … peel in turns, ends first
        text = _edge_fillers().sub("", text)
    return text if len(text) >= 2 else (name or "")


_NOT_NAME_CHAR = regex.compile(r"[^\p{Han}A-Z0-9.]")


@lru_cache(maxsize=1 << 16)  # pure, and names repeat across claims and documents
def indicator_key(name: str) -> IndicatorKey:
    """Normalise an indicator name: wordings to canonical names, filler and change words out.

    >>> str(indicator_key("经济增速"))
    '国内生产总值'
    >>> indicator_key("提出国内生产总值增长") == indicator_key("GDP")
    True
    """
    text = _NOISE.sub("", _fold(name or ""))
    strong, weak = [], []
    canon = dict(_synonyms())

    def take(m: regex.Match) -> str:
        (weak if m.group(0) in _weak_wordings() else strong).append(canon[m.group(0)])
        return "\0"

    text = _synonym_re().sub(take, text)
    rest = "".join(_strip_fillers(part) for part in text.split("\0"))
    rest = _NOT_NAME_CHAR.sub("", rest)
    if strong or len(rest) >= 2:  # a weak wording beside other words names nothing by itself
        return IndicatorKey(frozenset(strong), rest)
    return IndicatorKey(frozenset(weak), rest)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} - {""}


def _text_similarity(a: str, b: str) -> float:
    """Best of character-bigram Dice and jieba-token Jaccard (1.0 for two empty strings)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ba, bb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ba & bb) / (len(ba) + len(bb))
    ta, tb = _token_set(a), _token_set(b)
    jacc = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    return max(dice, jacc)


@cache
def _token_set(text: str) -> frozenset[str]:
    from policy_nlp.tokens import get_tokenizer

    return frozenset(t for t in get_tokenizer().cut(text) if t.strip())


def _rest_penalty(rest: str) -> float:
    """How much a qualifier left beside a canonical name counts against a match (0 to 1)."""
    return min(1.0, len(rest) / 4)


def indicator_similarity(a: str | IndicatorKey, b: str | IndicatorKey) -> float:
    """Similarity in [0, 1] of two indicator names, by meaning as far as the tables know it.

    Names with canonical names in common score by those plus what is left beside them
    (城镇居民人均可支配收入 and 农村居民人均纯收入 share none and score 0); names the synonym
    table does not know are compared by characters and tokens.
    """
    ka = a if isinstance(a, IndicatorKey) else indicator_key(a)
    kb = b if isinstance(b, IndicatorKey) else indicator_key(b)
    if ka.concepts and kb.concepts:
        shared = len(ka.concepts & kb.concepts) / len(ka.concepts | kb.concepts)
        if not shared:
            return 0.0
        if ka.rest and kb.rest:
            rest = _text_similarity(ka.rest, kb.rest)
        else:
            rest = 1.0 - _rest_penalty(ka.rest or kb.rest)
        return 0.5 * shared + 0.5 * rest
    if ka.concepts or kb.concepts:  # one name known to the table, the other not
        known, other = (ka, kb) if ka.concepts else (kb, ka)
        return 0.5 * _text_similarity("".join(sorted(known.concepts)) + known.rest, other.rest)
    return _text_similarity(ka.rest, kb.rest)


def same_indicator(a: str | IndicatorKey, b: str | IndicatorKey) -> bool:
    """True when two names measure the same indicator.

    Names with canonical names need the same ones, and what is left beside them must agree:
    nothing on either side, a qualifier of at most two characters on one (一般公共预算支出规模),
    or nearly the same words on both (消费对经济增长贡献率 is not 工业对经济增长贡献率). Names
    the table does not know need nearly the same words (similarity ≥ 0.8).

    >>> same_indicator("国内生产总值", "经济增速"), same_indicator("城镇新增就业", "城镇登记失业率")
    (True, False)
    """
    ka = a if isinstance(a, IndicatorKey) else indicator_key(a)
    kb = b if isinstance(b, IndicatorKey) else indicator_key(b)
    if ka.concepts and kb.concepts:
        if ka.concepts != kb.concepts:
            return False
        if ka.rest and kb.rest:
            return _text_similarity(ka.rest, kb.rest) >= SAME_INDICATOR_FREE_TEXT
        return len(ka.rest or kb.rest) <= 2
    if ka.concepts or kb.concepts:
        return False
    return _text_similarity(ka.rest, kb.rest) >= SAME_INDICATOR_FREE_TEXT


def polarity(name: str, change: str = "") -> str:
    """``more`` or ``less``: which way the stated figure is better.

    A reduction (``change == "down"``) is always a goal to reach or beat; otherwise the
    convention table decides (居民消费价格, 失业率, 赤字率, 能耗 … are ``less``).
    """
    if change == "down":
        return "more"
    folded = _fold(name or "")
    for word, pol in _polarity_words():
        if word in folded:
            return pol
    return "more"


# ----------------------------------------------------------------------------- status


def judge(
    *,
    value: float,
    value_high: float | None,
    comparator: str,
    unit: str,
    polarity: str,
    achieved: float,
) -> tuple[str, float]:
    """Status (``met``/``missed``) and gap (achieved − target) of a target given its result.

    Floors (``>=``, ``>``) and ceilings (``<=``, ``<``) as written; a range is met inside or on
    the good side (a growth range 6%-6.5% by 6.2% or 7%); a plain figure is a floor when more
    is better and a ceiling when less is; ``~`` (左右) widens that floor or ceiling by the
    tolerance (0.5 points in %, else 5% of the figure). The gap of a range is measured from
    the bound that decides (the low end for a floor, the high end for a ceiling).
    """
    if polarity not in ("more", "less"):
        raise OptionError(f"polarity must be 'more' or 'less', not {polarity!r}")
    target = value
    if comparator in (">=", ">"):
        ok = achieved > value + _EPS if comparator == ">" else achieved >= value - _EPS
    elif comparator in ("<=", "<"):
        ok = achieved < value - _EPS if comparator == "<" else achieved <= value + _EPS
    elif comparator == "range":
        high = value if value_high is None else value_high
        if polarity == "more":
            ok = achieved >= value - _EPS
        else:
            target = high
            ok = achieved <= high + _EPS
    elif comparator == "~":
        tol = TOLERANCE_POINTS if unit == "%" else TOLERANCE_RELATIVE * abs(value)
        ok = (
            achieved >= value - tol - _EPS if polarity == "more" else achieved <= value + tol + _EPS
        )
    elif comparator == "=":
        ok = achieved >= value - _EPS if polarity == "more" else achieved <= value + _EPS
    else:
        raise OptionError(f"unknown comparator {comparator!r}")
    return ("met" if ok else "missed"), _round(achieved - target)


def _round(x: float) -> float:
    """A difference of two decimal figures without float noise (10.3 − 8 = 2.3, not 2.3000…4)."""
    return float(f"{x:.10g}")


# ----------------------------------------------------------------------------- facts


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


# ----------------------------------------------------------------------------- government

_NATIONAL = regex.compile(r"^(?:中共中央|国务院|中华人民共和国|全国|国家|中央)")
_PROVINCE = regex.compile(r"^(?:北京市|天津市|上海市|重庆市|\p{Han}{2,7}?(?:省|自治区|特别行政区))")
_PREFECTURE = regex.compile(r"^\p{Han}{2,6}?(?:自治州|市|州|盟|地区)")
_COUNTY = regex.compile(r"^\p{Han}{1,6}?(?:自治县|区|县|旗|市)")


def jurisdiction(issuer: str = "", title: str = "") -> tuple[str, str, str]:
    """The government a document speaks for: (province, prefecture, county) names.

    ``("中国", "", "")`` for the central government; ``("", "", "")`` when neither issuer nor
    title names one. 呼伦贝尔市海拉尔区人民政府 gives ``("", "呼伦贝尔市", "海拉尔区")``.
    """
    for source in (issuer, title):
        s = regex.sub(r"^\s*(?:19|20)\d\d\s*年", "", normalize(source or "")).strip()
        s = regex.sub(r"\s+", "", s)
        if not s:
            continue
        parts = []
        for pattern in (_PROVINCE, _PREFECTURE, _COUNTY):
            m = pattern.match(s)
            if m and not regex.match(r"人民政府|政府", m.group(0)):
                parts.append(m.group(0))
                s = s[m.end() :]
            else:
                parts.append("")
        if any(parts):
            return tuple(parts)  # type: ignore[return-value]
        if _NATIONAL.match(regex.sub(r"\s+", "", normalize(source))):
            return ("中国", "", "")
    return ("", "", "")


def _same_government(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Same level and the same place; a level named in only one of the two is not compared
    above the lowest (海拉尔区 is 呼伦贝尔市海拉尔区), but the lowest levels must agree."""
    if not any(a) or not any(b):
        return not any(a) and not any(b)
    low_a = max(i for i, p in enumerate(a) if p)
    low_b = max(i for i, p in enumerate(b) if p)
    if low_a != low_b or a[low_a] != b[low_b]:
        return False
    return all(not x or not y or x == y for x, y in zip(a, b, strict=True))


# ----------------------------------------------------------------------------- linking


@cache
def _count_units() -> frozenset[str]:
    """Canonical units that count things or people (``count`` in data/units.tsv)."""
    return frozenset(row[1] for row in read_table("units.tsv") if row[2:3] == ("count",))


def _units_agree(t: str, a: str) -> bool:
    """Same unit; or a count unit with none written (新增就业1100万 / 1100万人)."""
    if t == a:
        return True
    if not t or not a:
        return (t or a) in _count_units()
    return False


def _achieved(target: Fact, ach: Fact) -> float | None:
    """The achieved figure in the target's terms, or None when the change does not agree."""
    if bool(target.change) != bool(ach.change):  # a growth never settles a level
        return None
    if target.change and ach.change != target.change:  # 下降0.7% settles a rise target as -0.7
        return -ach.value
    return ach.value


def _government_bucket(gov: tuple[str, str, str]) -> tuple[int, str] | None:
    """The lowest level named (``_same_government`` needs it equal), None when none is."""
    if not any(gov):
        return None
    low = max(i for i, p in enumerate(gov) if p)
    return (low, gov[low])


def link(facts: Iterable[Fact], documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The tracking table: one row per target fact, with the achievement that settles it.

    ``documents`` (the documents table) gives each document's year, issuer and title: an
    achievement comes from another, later document of the same government.

    Achievements are indexed by year, scope and the government's lowest level, then by
    document, so a target is compared only with the achievements it can be settled by (a
    batch of many reports costs about linear time, not targets × achievements).
    """
    rows = list(link_rows(facts, documents_info(documents)))
    if not rows:
        return tables.empty_frame("tracking")
    return tables.typed(pd.DataFrame(rows, columns=list(TRACKING_FIELDS)), "tracking")


def link_bucket(fact: Fact, government: tuple[str, str, str]) -> tuple | None:
    """The group within which ``link`` compares a fact: (year, scope, the lowest level of
    ``government``, its document's ``jurisdiction``) for an achievement with a year or a target
    with a year and a named indicator; None for a fact linked with nothing. Facts of different
    groups never meet, so a batch's facts can be linked a group at a time."""
    if fact.year is None or fact.kind not in ("target", "achievement"):
        return None
    if fact.kind == "target" and not _named(fact.indicator):
        return None
    return (fact.year, fact.scope, _government_bucket(government))


def link_rows(
    facts: Iterable[Fact], docs: Mapping[str, tuple[int | None, tuple]]
) -> Iterator[dict]:
    """``link``'s rows, unsorted: one per target fact, in the order of ``facts``.

    ``docs`` is ``documents_info`` of the documents table. The result for a target depends
    only on the facts of its ``link_bucket`` (and their order), so ``facts`` may be any set of
    whole buckets.
    """
    facts = list(facts)
    no_info: tuple[int | None, tuple] = (None, ("", "", ""))
    # bucket -> indicator key -> (doc_id, place among the document's achievements in the
    # bucket, achievement): a target reads only the achievements whose key means the same
    pool: dict[tuple, dict[IndicatorKey, list[tuple[str, int, Fact]]]] = {}
    placed: dict[tuple, int] = {}
    for f in facts:
        if f.kind == "achievement":
            bucket = link_bucket(f, docs.get(f.doc_id, no_info)[1])
            if bucket is not None:
                n = placed.get((bucket, f.doc_id), 0)
                placed[bucket, f.doc_id] = n + 1
                pool.setdefault(bucket, {}).setdefault(f.key, []).append((f.doc_id, n, f))
    for t in facts:
        if t.kind != "target":
            continue
        best, best_rank = None, None
        t_year, t_gov = docs.get(t.doc_id, no_info)
        bucket = link_bucket(t, t_gov)
        for key, achievements in (pool.get(bucket, {}) if bucket is not None else {}).items():
            if not _same_cached(t.key, key):
                continue
            for doc_id, n, a in achievements:
                if doc_id == t.doc_id:
                    continue
                a_year, a_gov = docs.get(doc_id, no_info)
                if t_year is not None and a_year is not None and a_year <= t_year:
                    continue
                if not _same_government(t_gov, a_gov):
                    continue
                if not _units_agree(t.unit, a.unit) or _achieved(t, a) is None:
                    continue
                # the closest name, the nearest year, then the first in document order
                rank = (
                    -_similarity_cached(t.key, key),
                    (a_year or 0) - (t_year or 0),
                    doc_id,
                    a.start,
                    n,
                )
                if best_rank is None or rank < best_rank:
                    best, best_rank = a, rank
        yield _row(t, best)


# pairs of names repeat across documents and buckets (pure functions; bounded caches)
_same_cached = lru_cache(maxsize=1 << 15)(same_indicator)
_similarity_cached = lru_cache(maxsize=1 << 15)(indicator_similarity)


def documents_info(documents: pd.DataFrame | None) -> dict[str, tuple[int | None, tuple]]:
    """doc_id -> (year, ``jurisdiction``) from the documents table, as ``link_rows`` reads it."""
    info: dict[str, tuple[int | None, tuple]] = {}
    if documents is None or documents.empty:
        return info
    for r in documents.to_dict("records"):
        info[_str(r.get("doc_id"))] = (
            _int(r.get("year")),
            jurisdiction(_str(r.get("issuer")), _str(r.get("title"))),
        )
    return info


def _row(t: Fact, a: Fact | None) -> dict:
    row = {
        "target_doc_id": t.doc_id,
        "target_start": t.start,
        "target_end": t.end,
        "target_mention": t.mention,
        "indicator": display_name(t.indicator),
        "year": t.year,
        "target_value": t.value,
        "target_value_high": t.value_high,
        "target_comparator": t.comparator,
        "unit": t.unit,
        "status": "unsettled",
    }
    if a is not None:
        achieved = _achieved(t, a)
        status, gap = judge(
            value=t.value,
            value_high=t.value_high,
            comparator=t.comparator,
            unit=t.unit or a.unit,
            polarity=polarity(t.indicator, t.change),
            achieved=achieved,
        )
        row.update(
            achievement_doc_id=a.doc_id,
            achievement_start=a.start,
            achievement_end=a.end,
            achievement_mention=a.mention,
            achieved_value=achieved,
            status=status,
            gap=gap,
        )
    return row


def track(
    claims: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    texts: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The tracking table from a claims table (and the documents table, for years and issuers).

    ``texts`` (doc_id → document text) lets a figure's scope read its whole paragraph.
    """
    facts: list[Fact] = []
    if not claims.empty:
        ordered = claims.sort_values(["doc_id", "start"], kind="mergesort")
        for doc_id, group in ordered.groupby("doc_id", sort=True):
            text = texts.get(str(doc_id)) if texts else None
            facts.extend(describe(group.to_dict("records"), text))
    return link(facts, documents)


# ----------------------------------------------------------------------------- scoring


@dataclass
class TrackingScores:
    """Scores of a tracking table against link gold (``spec/tracking.md``, "Scoring")."""

    targets: int
    found: int
    link_precision: float
    link_recall: float
    link_f1: float
    status_accuracy: float
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain dict (for JSON)."""
        return asdict(self)

    def report(self) -> str:
        """The one-line summary the shared scorer prints."""
        return (
            f"targets {self.targets} found {self.found}; links P {self.link_precision:.3f} "
            f"R {self.link_recall:.3f} F1 {self.link_f1:.3f}; "
            f"status accuracy {self.status_accuracy:.3f}"
        )


def _gold_span(docs_dir: Path, ref: Mapping, where: str) -> tuple[str, int, int]:
    from policy_nlp.evaluate.claims import GoldError, locate

    for k in ("doc_id", "context", "mention"):
        if not isinstance(ref.get(k), str):
            raise GoldError(f"{where}: missing {k!r}")
    path = docs_dir / f"{ref['doc_id']}.txt"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GoldError(f"{where}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        start, end = locate(text, ref["context"], ref["mention"])
    except GoldError as exc:
        raise GoldError(f"{where}: {exc}") from None
    return ref["doc_id"], start, end


def _overlap(a, b) -> bool:
    return bool(a and b and a[0] == b[0] and a[1] < b[2] and b[1] < a[2])


def score_tracking(
    links_jsonl: str | Path, docs_dir: str | Path, tracking_csv: str | Path
) -> TrackingScores:
    """Score a tracking CSV: targets matched by span overlap (in file order, each row once),
    link P/R/F1 over (target, achievement) pairs, status accuracy over all gold targets."""
    from policy_nlp.evaluate.claims import GoldError

    docs_dir = Path(docs_dir)
    gold = []
    for n, line in enumerate(Path(links_jsonl).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{links_jsonl}:{n}"
        try:
            g = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON: {exc.msg}") from None
        if g.get("status") not in STATUSES:
            raise GoldError(f"{where}: status must be one of {', '.join(STATUSES)}")
        t = _gold_span(docs_dir, g.get("target") or {}, where)
        a = _gold_span(docs_dir, g["achievement"], where) if g.get("achievement") else None
        gold.append((t, a, g["status"], g.get("note", "")))
    pred = []
    with open(tracking_csv, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"target_doc_id", "target_start", "target_end", "status"} - set(
            reader.fieldnames or []
        )
        if missing:
            raise TableError(f"{tracking_csv}: missing columns {', '.join(sorted(missing))}")
        for n, r in enumerate(reader, 2):
            try:
                t = (r["target_doc_id"], int(float(r["target_start"])), int(float(r["target_end"])))
                a = None
                if (r.get("achievement_doc_id") or "").strip():
                    a = (
                        r["achievement_doc_id"],
                        int(float(r["achievement_start"])),
                        int(float(r["achievement_end"])),
                    )
            except (TypeError, ValueError):
                raise TableError(f"{tracking_csv}:{n}: offsets are not numbers") from None
            pred.append((t, a, (r.get("status") or "").strip(), r))
    used: set[int] = set()
    matched = status_ok = link_tp = 0
    errors = []
    for gt, ga, gs, note in gold:
        j = next((j for j, p in enumerate(pred) if j not in used and _overlap(gt, p[0])), None)
        if j is None:
            errors.append(
                {"error": "target not found", "target": gt, "gold_status": gs, "note": note}
            )
            continue
        used.add(j)
        matched += 1
        _, pa, ps, r = pred[j]
        status_ok += ps == gs
        hit = bool(ga and pa and _overlap(ga, pa))
        link_tp += hit
        if ps != gs or ((ga or pa) and not hit):
            errors.append({
                "error": "wrong link" if (ga or pa) and not hit else "wrong status",
                "target": gt, "gold_achievement": ga, "gold_status": gs,
                "achievement": pa, "status": ps, "indicator": r.get("indicator", ""),
                "note": note,
            })  # fmt: skip
    for j, (pt, pa, ps, r) in enumerate(pred):
        if j not in used and pa:  # a link on a row that is no gold target costs precision
            errors.append({
                "error": "link on no gold target", "target": pt, "achievement": pa,
                "status": ps, "indicator": r.get("indicator", ""),
            })  # fmt: skip
    gold_links = sum(1 for _, ga, _, _ in gold if ga)
    pred_links = sum(1 for _, pa, _, _ in pred if pa)
    p = link_tp / pred_links if pred_links else 0.0
    r = link_tp / gold_links if gold_links else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = status_ok / len(gold) if gold else 0.0
    return TrackingScores(len(gold), matched, p, r, f1, acc, errors)


def read_tracking_csv(path: str | Path) -> pd.DataFrame:
    """A tracking.csv written by ``policy-nlp run`` back into its typed form."""
    return tables.read_csv_table(path, "tracking")
