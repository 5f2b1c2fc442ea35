"""The mention grammar: the numbers of a text that state a quantity, with their exact values.

One pattern, built from the unit and comparator tables (``data/units.tsv``,
``data/comparators.tsv``), finds a number with its magnitude, unit and glued approximators:
Arabic (full-width too), Chinese (五十四万亿元, 百分之十点二), mixed (1万6千多户), 七成, 三分之一,
1/3, 翻一番. Values are exact ``Decimal``s. Ranges (6%-6.5%) and units written once for a list
(1409万、1305万人次) are joined; bare numbers (2021, 一是) are not quantities.

``candidates`` works on normalised text (``text.normalize``) and returns ``Mention`` records;
``exclusions.find_mentions`` drops those the spec says are not claims, and ``claims.extract``
resolves the fields of the rest.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

import regex

from policy_nlp.claims.lexicon import (
    CN_DIGITS,
    CN_MAGNITUDES,
    alternation,
    comparators,
    unit_table,
    words,
)
from policy_nlp.numerals import NumberError, fraction_percent, magnitude, parse_number, to_chinese
from policy_nlp.patterns import ARABIC_YEAR

__all__ = [
    "CJK",
    "YEAR_MENTION",
    "Mention",
    "candidates",
    "has_big_magnitude",
    "separates_list",
    "tidy",
]


def _units_after_number() -> dict[str, tuple[str, str]]:
    """The units a number can carry (``per`` rows only ever follow a slash: 元/月, not 3月)."""
    return {k: v for k, v in unit_table().items() if v[1] != "per"}


# Characters after a unit surface that show it is the start of a noun instead (家庭, 人才 …).
_UNIT_NOT_FOLLOWED = {
    "家": "庭属乡园居",
    "人": "民才员口群士工造",
    "户": "籍口型外",
    "台": "湾阶风",
    "种": "植子业养",
    "所": "有在以属得谓需",
    "处": "理置于罚长",
    "对": "于外接口标象比",
    "场": "所景馆地",
    "支": "持付出撑援",
    "座": "谈",
    "条": "件例款",
    "次": "级",
    "名": "单称义",
    "位": "置于",
}
_CN = rf"[{CN_DIGITS}{CN_MAGNITUDES}]+(?:点[{CN_DIGITS}]+)?"
_AR = r"(?<![\d.])\d+(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?"
_MAG = rf"[{CN_MAGNITUDES}]+"
_MIXED = (
    r"(?<![\d.])\d+[万亿](?:\d+[千百十])+"  # 1万6千, 1亿3千: Arabic digits in Chinese positions
)
_CN_BIG = rf"[{CN_DIGITS}十百千]*[万亿][{CN_DIGITS}{CN_MAGNITUDES}]*(?:点[{CN_DIGITS}]+)?"
_CHENG_NOT = "员本果效为交立熟绩都品型就长功年分色材片套活真"


@cache
def _mention_re() -> regex.Pattern:
    not_followed = {s: f"(?![{chars}])" for s, chars in _UNIT_NOT_FOLLOWED.items()}
    unit = "(?:" + alternation(_units_after_number(), not_followed) + ")"
    per = "(?:" + alternation(unit_table(), not_followed) + ")"  # after a slash: 元/月 too
    _, suffix = comparators()
    suf = alternation(w for w in suffix if w not in ("多", "余"))
    # a number is a candidate only when something that can make it a quantity follows
    # (approximator, 成, magnitude, unit, glued comparator) or it may open a range or a list;
    # a bare Chinese numeral needs 万 or 亿 in it (上千万, 八千多万). This keeps the thousands of
    # bare digits and numeral characters (2021, 一是, 统一) out of the Python code below.
    tail = rf"(?:多|余|成|{_MAG}|{unit}|{suf}|[-至到、和及与,，])"
    # every alternative starts with one of these characters (a digit, a numeral, 翻 or 倍); the
    # lookahead lets the engine pass over all other characters without trying the alternatives
    pattern = rf"""
      (?=[\d{CN_DIGITS}{CN_MAGNITUDES}翻倍])
    (?:
      (?P<frac>(?P<den>\d+|[{CN_DIGITS}十百千万]+)分之(?P<fnum>{_AR}|{_CN}))(?P<suf>{suf})?
    | (?P<fan>翻(?:一|两|三|1|2|3)?番|倍增)
    | (?P<half>一半)(?P<suf>{suf})?
    | (?P<slash>(?<![\d./])(?P<sa>\d{{1,3}})/(?P<sb>\d{{1,3}})(?![\d./]))(?P<suf>{suf})?
    | (?P<num>{_MIXED}|(?:{_AR}|{_CN})(?={tail})|{_CN_BIG})(?P<ap>多|余)?
      (?: (?P<cheng>成)(?![{_CHENG_NOT}])
        | (?P<unit>{unit})(?:/(?P<dmag>{_MAG})?(?P<dunit>{per}))?
        | (?P<mag>{_MAG})(?P<ap2>多|余)?(?P<unit>{unit})(?:/(?P<dmag>{_MAG})?(?P<dunit>{per}))?
        | (?P<mag>{_MAG})(?P<ap2>多|余)?
      )?
      (?P<suf>{suf})?
    )
    """
    return regex.compile(pattern, regex.VERBOSE)


# ----------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class Mention:
    """A number that may be a claim: its span, exact value, unit and glued comparator."""

    start: int
    end: int
    value: Decimal
    unit: str = ""
    category: str = ""
    suffix_comp: str = ""
    value_high: Decimal | None = None
    magnitude: int = 1
    chinese: bool = False
    has_unit: bool = False
    kind_hint: str = ""  # "fan": 翻番/倍增 words


_DIGIT_RUN = re.compile(r"\d+")
_JOINERS = set("-至到、和及与,，")  # a bare number before these may join a range or a list
_FAN_VALUES = {
    "翻番": 2,
    "翻一番": 2,
    "翻1番": 2,
    "倍增": 2,
    "翻两番": 4,
    "翻2番": 4,
    "翻三番": 8,
    "翻3番": 8,
}


_GROUPS = ("num", "unit", "mag", "cheng", "suf", "ap", "ap2", "frac", "fan", "slash", "half", "den",
           "fnum", "sa", "sb", "dunit", "dmag")  # fmt: skip


@cache
def _group_getter():
    """Picks the named groups out of ``Match.groups()`` (far cheaper than ``groupdict()``)."""
    at = _mention_re().groupindex
    return operator.itemgetter(*(at[name] - 1 for name in _GROUPS))


def _read_match(m: regex.Match) -> Mention | None:
    (
        num,
        unit_,
        mag_,
        cheng,
        suf,
        ap,
        ap2,
        frac,
        fan,
        slash,
        half,
        den,
        fnum,
        sa,
        sb,
        dunit,
        dmag,
    ) = _group_getter()(m.groups())
    start, end = m.span()
    arabic = num is not None and num[0].isdigit()
    if arabic and not (unit_ or mag_ or cheng or suf) and m.string[end : end + 1] not in _JOINERS:
        return (
            None  # a bare Arabic number (year, list marker, code) that no range or list completes
        )
    if (
        num is not None
        and not arabic
        and not (unit_ or cheng or suf or ap)
        and not has_big_magnitude(num + (mag_ or ""))
    ):
        return None  # a bare Chinese numeral without 万/亿 (一是, 十四五): not a quantity
    comp = comparators()[1].get(suf, "") if suf else ""
    try:
        if frac:
            den_text = den
            den = (
                Decimal(magnitude(den_text))
                if not den_text[0].isdigit() and all(c in "十百千万" for c in den_text)
                else parse_number(den_text)
            )
            value = fraction_percent(parse_number(fnum), den)
            return Mention(
                start,
                end,
                value,
                "%",
                "percent",
                comp,
                has_unit=True,
                chinese=not fnum[0].isdigit(),
            )
        if fan:
            return Mention(
                start,
                end,
                Decimal(_FAN_VALUES[fan]),
                "倍",
                "multiple",
                has_unit=True,
                chinese=True,
                kind_hint="fan",
            )
        if slash:
            a_, b_ = Decimal(sa), Decimal(sb)
            if not 0 < a_ < b_:
                return None  # not a proper fraction: a date or a code
            return Mention(
                start, end, fraction_percent(a_, b_), "%", "percent", comp, has_unit=True
            )
        if half:
            return Mention(
                start, end, Decimal(50), "%", "percent", comp, has_unit=True, chinese=True
            )
        chinese = not arabic
        mag_text = mag_ or ""
        if arabic and has_big_magnitude(num):  # 1万6千(多万): read as Chinese
            num, chinese = _DIGIT_RUN.sub(lambda d: to_chinese(int(d.group())), num), True
            value, mag_text = parse_number(num + mag_text), ""
        elif chinese and mag_text and not ap:
            # 一亿五千 + 万 is one numeral, 一亿五千万, not (一亿五千) x 万
            value, mag_text = parse_number(num + mag_text), ""
        else:
            value = parse_number(num)
        mag, scaled = 1, bool(mag_text)
        if scaled:
            mag = magnitude(mag_text)
            value *= mag
    except (NumberError, KeyError, ArithmeticError):
        return None
    if value >= _LARGEST:
        return None  # 1万亿亿亿: no quantity in these documents comes near 10**20
    if ap or ap2:
        comp = comp or ">"
    unit, category, has_unit = "", "", False
    if cheng:
        value *= 10
        unit, category, has_unit, scaled = "%", "percent", True, True
    elif unit_:
        unit, category = unit_table()[unit_]
        has_unit = True
        if dunit:
            unit = f"{unit}/{dmag or ''}{unit_table()[dunit][0]}"
            category = "compound"
    if chinese and not _CN_MAGNITUDE_SET.isdisjoint(num):
        mag = max(mag, 10)
    if scaled:  # a product; parse_number's own values are canonical already (below 10**20,
        value = tidy(value)  # its form and _tidy's agree)
    # positional, in field order (the commonest record, built thousands of times a document)
    return Mention(start, end, value, unit, category, comp, None, mag, chinese, has_unit)


_LARGEST = Decimal(10) ** 20
CJK = regex.compile(r"\p{Han}")
# a mention that is exactly a year (2021): not the low end of a range (2021-2025年)
YEAR_MENTION = regex.compile(ARABIC_YEAR)
_CN_MAGNITUDE_SET = frozenset(CN_MAGNITUDES)
_FROM_END = re.compile(r"[从由]$")


def has_big_magnitude(text: str) -> bool:
    """Whether a numeral holds 万 or 亿."""
    return "万" in text or "亿" in text


_ONE = Decimal(1)


def tidy(value: Decimal) -> Decimal:
    """Canonical form of a value: an integer without fraction digits, else no trailing zeros."""
    if value.adjusted() < 20 and value == value.to_integral_value():
        return value.quantize(_ONE)
    return value.normalize()


def candidates(norm: str) -> list[Mention]:
    """Every quantity of a normalised text, in text order: ranges joined, shared units given to
    each item of a list. The spec's exclusions are applied after (``exclusions.find_mentions``)."""
    found = [mn for mn in map(_read_match, _mention_re().finditer(norm)) if mn is not None]
    found = _join_ranges(norm, found)
    _share_units(norm, found)
    return [mn for mn in found if mn.has_unit or _is_quantity(mn, norm)]


# words before a bare Chinese numeral with 万 or 亿 that make it a quantity (超三千万, 达到两亿)
@cache
def _bare_cue() -> re.Pattern:
    return re.compile(rf"(?:{alternation(words('mention_cues.tsv', 'bare_cue'))})$")


_BARE_CUE_WINDOW = 2  # characters before the numeral the cue is looked for in


def _is_quantity(mn: Mention, norm: str) -> bool:
    """Whether a mention states a quantity: a unit, a ``+``, an Arabic number of 10,000 or more
    (1.3万亿), or a Chinese numeral with 万 or 亿 that is long (三千五百万) or follows a cue (超三千万).
    Bare numbers (2021, 一是) are not quantities."""
    if mn.has_unit:
        return True
    s, e = mn.start, mn.end
    if norm.endswith("+", s, e):
        return True
    if not mn.chinese:
        return mn.magnitude >= 10_000
    if not has_big_magnitude(norm[s:e]):
        return False
    return e - s >= 3 or _bare_cue().search(norm, max(0, s - _BARE_CUE_WINDOW), s) is not None


# what may stand between the two ends of a range and between the items of a list, matched over
# the whole gap (``fullmatch(norm, a, b)``: no copy of a gap that may run for pages)
_RANGE_SEP = regex.compile(r"\s*(?:-|至|到)\s*")
_LIST_SEP = regex.compile(r"\s*(?:、|和|及|与|以及|或|,|，)\s*")


def separates_list(norm: str, start: int, end: int) -> bool:
    """Whether ``norm[start:end]`` only separates two items of a list (、 和 及 与 以及 或 ,)."""
    return _LIST_SEP.fullmatch(norm, start, end) is not None


def _join_ranges(norm: str, mentions: list[Mention]) -> list[Mention]:
    """``6%-6.5%``, ``6-6.5%``, ``2-3家``: one claim from value to value_high."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        if i + 1 < len(mentions):
            b = mentions[i + 1]
            if (
                b.has_unit
                and (not a.has_unit or a.unit == b.unit)
                and not a.suffix_comp
                and _RANGE_SEP.fullmatch(norm, a.end, b.start)
                and not _FROM_END.search(norm[max(0, a.start - 2) : a.start])
                and not YEAR_MENTION.fullmatch(norm, a.start, a.end)
                and a.value < b.value * (b.magnitude if not a.has_unit and a.magnitude == 1 else 1)
            ):
                low = a.value
                if not a.has_unit and a.magnitude == 1 and b.magnitude > 1 and not b.chinese:
                    low = a.value * b.magnitude
                out.append(
                    replace(
                        b,
                        start=a.start,
                        value=tidy(low),
                        value_high=b.value,
                        suffix_comp="range",
                        chinese=a.chinese and b.chinese,
                    )
                )
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _share_units(norm: str, mentions: list[Mention]) -> None:
    """A unit written once for several numbers applies to each: ``分别达1409万、1305万人次``."""
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        if not a.has_unit and b.has_unit and separates_list(norm, a.end, b.start):
            a.unit, a.category = b.unit, b.category
            a.has_unit = True
