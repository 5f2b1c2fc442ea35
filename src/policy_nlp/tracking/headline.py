"""Headline indicators: the panel's canonical codes (``data/indicators.tsv``) and the key of a claim.

``headline_key(indicator, unit, change)`` names the headline indicator a claim measures, or ""
when it measures none: its wording must name exactly one concept of the synonym table with at
most a short qualifier beside it, in the code's unit, with a change that fits the code's kind
(a growth settles a growth, a level a level). ``signed_value`` turns a claim's value into the
panel's (a decline of 3.3% is −3.3; a cut keeps its size; 吨 of grain become 斤).

>>> headline_key("国内生产总值", "%", "up"), headline_key("国内生产总值", "元", "")
('gdp_growth', 'gdp_level')
>>> headline_key("财政赤字占国内生产总值的比重", "%", ""), headline_key("中央财政赤字", "元", "")
('deficit_ratio', '')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

import regex

from policy_nlp.errors import ModelError
from policy_nlp.resources import read_table
from policy_nlp.text import normalize
from policy_nlp.tracking.facts import cell_int, cell_str
from policy_nlp.tracking.indicators import QUALIFIER_CHARS, cue_pattern, indicator_key

__all__ = [
    "KEY_SEPARATOR",
    "KINDS",
    "Headline",
    "enumerated_names",
    "enumeration_members",
    "headline",
    "headline_codes",
    "headline_key",
    "headline_keys",
    "signed_value",
]

KINDS = ("rate", "level", "cut")
# units a claim may carry for a code's canonical unit, and the factor to the canonical unit
_UNIT_FACTORS = {
    "%": {"%": 1.0},
    "元": {"元": 1.0},
    "人": {"人": 1.0, "": 1.0},
    "斤": {"斤": 1.0, "吨": 2000.0, "公斤": 2.0},
    "微克/立方米": {"微克/立方米": 1.0, "微克": 1.0},
}


class Headline(NamedTuple):
    """One row of ``data/indicators.tsv``."""

    code: str
    name: str
    concept: str
    kind: str
    unit: str
    exclude: tuple[str, ...]


@cache
def _table() -> dict[str, Headline]:
    out: dict[str, Headline] = {}
    for row in read_table("indicators.tsv"):
        code, name, concept, kind, unit, exclude = (*row, "", "")[:6]
        if kind not in KINDS or unit not in _UNIT_FACTORS or code in out:
            raise ModelError(f"indicators.tsv: bad row {row!r}")
        words = tuple(w for w in exclude.split(",") if w)
        out[code] = Headline(code, name, concept, kind, unit, words)
    return out


def headline_codes() -> tuple[str, ...]:
    """Every code of the vocabulary, in the data file's order."""
    return tuple(_table())


def headline(code: str) -> Headline:
    """The vocabulary row of ``code`` (``ModelError`` for an unknown code)."""
    try:
        return _table()[code]
    except KeyError:
        raise ModelError(f"unknown indicator code {code!r}") from None


@cache
def _by_concept() -> dict[str, tuple[Headline, ...]]:
    out: dict[str, list[Headline]] = {}
    for h in _table().values():
        out.setdefault(h.concept, []).append(h)
    return {k: tuple(v) for k, v in out.items()}


def _is_growth(indicator: str, change: str) -> bool:
    """A rate of change: the claim's change, or a growth word in its own indicator
    (居民消费价格涨幅回落2.6%, 广义货币M2预期增长目标拟定为13%左右)."""
    return bool(change) or bool(cue_pattern("growth").search(normalize(indicator or "")))


@lru_cache(maxsize=1 << 14)
def headline_key(indicator: str, unit: str, change: str = "", level: str = "") -> str:
    """The headline code a claim measures (``indicator``, ``unit``, ``change`` as in the claims
    table), or "" when it measures none of the vocabulary. ``level`` is the issuing
    government's (``national``, ``province`` …; "" unknown): an exclusion word marked
    ``@national`` in the data (地方一般公共预算收入) excludes only in a national document or
    one of unknown level, since below the nation 地方 is the government itself."""
    name = indicator or ""
    key = indicator_key(name)
    if len(key.concepts) != 1 or len(key.rest) > QUALIFIER_CHARS:
        return ""
    (concept,) = key.concepts
    fits = []
    for h in _by_concept().get(concept, ()):
        if (
            any(_excludes(w, name, level) for w in h.exclude)
            or (unit or "") not in _UNIT_FACTORS[h.unit]
        ):
            continue
        if h.kind == "cut" and change == "up":
            continue
        if h.kind == "level" and change:
            continue
        fits.append(h)
    if not fits:
        return ""
    if len(fits) > 1:  # a growth and a level of one concept in one unit: the wording decides
        growth = _is_growth(name, change or "")
        fits = [h for h in fits if (h.kind != "level") == growth] or fits
    return fits[0].code


def _excludes(word: str, name: str, level: str) -> bool:
    bare, _, only = word.partition("@")
    if only and level and level != only:
        return False
    return bare in name


def signed_value(code: str, value: float, unit: str, change: str = "") -> float:
    """A claim's value as the panel holds it: rates signed (a decline is negative), cuts as
    their size, amounts in the code's canonical unit."""
    h = headline(code)
    v = value * _UNIT_FACTORS[h.unit].get(unit or "", 1.0)
    if h.kind == "rate" and change == "down":
        v = -v
    return float(f"{v:.10g}")


# an enumeration of groups in a name: 城镇、农村常住居民人均可支配收入, 规上工业增加值、规上服务业营收
_MEMBER_BREAK = regex.compile(r"[、和与及]")
SHORT_MEMBER_CHARS = 3  # 城镇、农村…: a member this short qualifies the last member's head


@cache
def _enumeration_words() -> tuple[tuple[str, str], ...]:
    rows = [(w, "、".join(g.split(","))) for w, g, *_ in read_table("enumeration_words.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def _enumeration_starts() -> tuple[str, ...]:
    """The enumeration words, for one ``str.startswith`` call."""
    return tuple(w for w, _ in _enumeration_words())


def enumeration_members(name: str) -> list[str]:
    """The names an enumerated indicator name stands for, in order (``[]`` when it is one name).

    >>> enumeration_members("城乡居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> enumeration_members("规上工业增加值、规上服务业营收")
    ['规上工业增加值', '规上服务业营收']
    """
    text = name or ""
    for word, groups in _enumeration_words():
        if text.startswith(word):
            text = groups + text[len(word) :]
            break
    parts = [p for p in _MEMBER_BREAK.split(text) if p]
    if len(parts) < 2:
        return []
    last = parts[-1]
    if all(len(p) <= SHORT_MEMBER_CHARS for p in parts[:-1]):
        head = last[len(parts[0]) :]
        if not head:
            return []
        return [p + head for p in parts[:-1]] + [last]
    return parts


def enumerated_names(records: Sequence[Mapping]) -> dict[int, str]:
    """For claims-table rows, the member an enumerated name gives each figure of a
    ``分别`` list: index -> member name, where a sentence holds as many figures with that name
    (and one unit and change) as the name has members (城镇、农村居民人均可支配收入分别增长
    4.4%、5.9%: the first is urban, the second rural)."""
    return _list_members(_Columns.of([tuple(map(r.get, _KEY_FIELDS)) for r in records]))


_KEY_FIELDS = ("doc_id", "start", "mention", "indicator", "unit", "change", "sentence")
_claim_key_fields = attrgetter(*_KEY_FIELDS)


class _Columns(NamedTuple):
    """The ``_KEY_FIELDS`` of a batch's claims, column by column, as text (start as int):
    read once, each row in one call, rather than cell by cell wherever a rule asks."""

    doc_id: list[str]
    start: list[int]
    mention: list[str]
    indicator: list[str]
    unit: list[str]
    change: list[str]
    sentence: list[str]

    @classmethod
    def of(cls, rows: list[tuple]) -> _Columns:
        """Columns of ``rows``, tuples of the ``_KEY_FIELDS`` cells."""
        if not rows:
            return cls([], [], [], [], [], [], [])
        doc_id, start, *rest = zip(*rows, strict=True)

        def text(col: tuple) -> list[str]:
            return [cell_str(v) for v in col]

        return cls(text(doc_id), [cell_int(v) or 0 for v in start], *map(text, rest))


def _list_members(cols: _Columns) -> dict[int, str]:
    """``enumerated_names`` over a batch's columns."""
    runs: list[list[int]] = []  # figures side by side with one name, nothing between
    prev: tuple = ()
    for i, name in enumerate(cols.indicator):
        if not _MEMBER_BREAK.search(name) and not name.startswith(_enumeration_starts()):
            prev = ()
            continue
        here = (cols.doc_id[i], cols.sentence[i], name)
        if here == prev:
            runs[-1].append(i)
        else:
            runs.append([i])
        prev = here
    groups: dict[tuple, list[int]] = {}
    for n, run in enumerate(runs):
        for i in run:
            key = (n, cols.indicator[i], cols.unit[i], cols.change[i])
            groups.setdefault(key, []).append(i)
    out: dict[int, str] = {}
    for (_, name, _, _), idx in groups.items():
        members = enumeration_members(name)
        if len(members) >= 2 and len(members) == len(idx):
            idx.sort(key=lambda i: cols.start[i])
            out.update(zip(idx, members, strict=True))
    return out


def headline_keys(claims: Sequence, level: str = "") -> list[str]:
    """The headline code of each claim (``Claim`` records or claims-table rows) of one batch or
    document, in order: ``headline_key`` of its name, or of its member of an enumeration
    (``enumerated_names``), for a government of ``level``."""
    cols = _Columns.of(
        [
            tuple(map(c.get, _KEY_FIELDS)) if isinstance(c, Mapping) else _claim_key_fields(c)
            for c in claims
        ]
    )
    members = _list_members(cols)
    measure = cue_pattern("measure")
    out = []
    for i, name in enumerate(cols.indicator):
        unit, change = cols.unit[i], cols.change[i]
        if i in members:
            out.append(headline_key(members[i], unit, change, level))
        # the cheap test first: most names have no member break
        elif _MEMBER_BREAK.search(name) and len(enumeration_members(name)) >= 2:
            # a lone figure of a list of groups (城镇、农村…增长5%) names no one group, unless
            # it is said of each (M2和社会融资规模余额预期增长均为12%左右)
            out.append(
                _shared_key(cols.sentence[i], cols.mention[i], name, unit, change, level)
                or _each_member(name, unit, change, level)
            )
        else:
            key = headline_key(name, unit, change, level)
            if (
                not key
                and i
                and measure.fullmatch(name)
                and (cols.sentence[i - 1], cols.doc_id[i - 1]) == (cols.sentence[i], cols.doc_id[i])
            ):
                key = _subject_before(cols.indicator[i - 1], name, unit, change, level)
            out.append(key)
    return out


def _subject_before(before: str, name: str, unit: str, change: str, level: str) -> str:
    """The headline code of a bare measure (总产量) that shares the subject of the list item
    before it in the sentence (named ``before``): the longest start of that item's name that,
    with the measure, names a headline indicator (粮食播种面积 + 总产量 -> 粮食总产量)."""
    for end in range(len(before) - 1, 1, -1):
        key = headline_key(before[:end] + name, unit, change, level)
        if key:
            return key
    return ""


# a figure said of each member of a list: …均为12%左右, 都增长, 分别增长7.8%
_EACH = regex.compile(r"(?:均|都|分别)[为是达在]?[^，。；]{0,6}$")


# joins the codes of a figure shared by a list of distinct indicators in ``indicator_key``
KEY_SEPARATOR = "|"


def _each_member(name: str, unit: str, change: str, level: str) -> str:
    """The codes of a list of distinct indicators sharing one figure (社会消费品零售总额、固定资产
    投资增长4%左右 -> ``retail_sales_growth|fixed_asset_investment_growth``) when every member is
    one; "" otherwise (城镇、农村…增长5%: groups of one indicator, none named alone)."""
    # each piece as written must name an indicator alone: 城镇、农村…收入 shares one head noun
    codes = [headline_key(p, unit, change, level) for p in _MEMBER_BREAK.split(name) if p]
    if len(codes) < 2 or not all(codes) or len(set(codes)) < len(codes):
        return ""
    return KEY_SEPARATOR.join(codes)


def _shared_key(sentence: str, mention: str, name: str, unit: str, change: str, level: str) -> str:
    """The one headline code among the members of ``name`` when the figure (``mention`` in
    ``sentence``) is said of each."""
    at = sentence.find(mention)
    if at < 0 or not _EACH.search(sentence[:at]):
        return ""
    codes = {headline_key(m, unit, change, level) for m in enumeration_members(name)} - {""}
    return codes.pop() if len(codes) == 1 else ""
