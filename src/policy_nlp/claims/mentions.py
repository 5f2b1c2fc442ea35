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
    CN_FINANCIAL_DIGITS,
    CN_FINANCIAL_MAGNITUDES,
    CN_MAGNITUDES,
    alternation,
    comparators,
    guarded,
    unit_table,
    words,
)
from policy_nlp.claims.twin import twin
from policy_nlp.numerals import NumberError, fraction_percent, magnitude, parse_number, to_chinese
from policy_nlp.patterns import ARABIC_YEAR

__all__ = [
    "CJK",
    "YEAR_MENTION",
    "Mention",
    "candidates",
    "has_big_magnitude",
    "is_han",
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
_D = CN_DIGITS + CN_FINANCIAL_DIGITS  # every digit a numeral may hold
_M = CN_MAGNITUDES + CN_FINANCIAL_MAGNITUDES  # every magnitude
_FINANCIAL = frozenset(CN_FINANCIAL_DIGITS + CN_FINANCIAL_MAGNITUDES)
# Every repeat below is possessive (``++``) and every numeral starts where no numeral character
# stands before it: a numeral is taken whole, never cut back to a prefix that happens to fit
# (三万七千八百四十六 is not 三万七千八百四十 + 六), and the engine's work stays linear in a run
# of digits, numerals or separators (each position of a run is tried once, not once per start).
_CN = rf"(?<![{_D}{_M}点半])(?:[{_D}]|{{mchar}})++(?:点(?:[{_D}]++|\d++))?"
# Arabic: thousands groups with , (or ， when exactly three digits follow each and no list goes
# on after), only from the number's true start; else plain digits with a decimal part
_AR = (
    rf"(?<![\d.])(?<![{_D}{_M}]点)(?:(?<!\d[,，])(?:\d{{1,3}}(?:[,，]\d{{3}}(?!\d))++(?![,，]\d)"
    r"|\d++(?:,\d{3}(?!\d))++)"
    r"(?:\.\d++)?|\d++(?:\.\d++)?)"  # 一百点123 is not 123; 试点19个 is 19
)
_MAG = "{mchar}++"
# a bare Chinese numeral (no tail) with 万 or 亿 in it: the lookahead reads its run once
_CN_BIG = rf"(?<![{_D}{_M}点])(?=[{_D}{_M}]*?[万亿萬億]){_CN}"
# Arabic digits in Chinese positions: 1万6千, 2万5000, 3亿2万1千5百, 100万三千, 1千零20
_MIXED = rf"(?<![\d.])\d++{{mchar}}(?:[零〇]?(?:\d++{{mchar}}?|[{_D}]{{mchar}}))++"
_CHENG_NOT = "员本果效为交立熟绩都品型就长功年分色材片套活真"
# a minus sign: ASCII or full-width (folded to -) after a verb, copula or separator, never
# between two ends of a range (6%-6.5%, 2021-2025); 负 before a numeral
_SIGN = rf"(?:-(?=\d)|(?<![减税不胜抱欠担肩自正重辜])负(?=[\d{_D}{_M}]))"  # not 减负, 税负, 不负
# 半 after a unit or 成 (两吨半, 三成半), not when it opens a word (5个半导体)
_HALF_AFTER = "半(?![导岛径场边拉球数夜价成途山封身壁熟自工年月天日小个])"
# an approximation by adjacent digits (七八百, 两三千, 三五百): a range, never the second digit
_ADJACENT = twin(rf"(?<![{_D}])(?:一二|[二两]三|三四|四五|五六|六七|七八|八九|三五)(?=[{_M}])")


def _magnitude_char() -> str:
    """One magnitude character, unless it opens a unit (千瓦, 千米, 百分点): 3.5亿千瓦 is
    3.5亿 of 千瓦, never 3.5亿千 of 瓦."""
    opens: dict[str, list[str]] = {}
    for surface in _units_after_number():
        if surface[0] in _M and len(surface) > 1:
            opens.setdefault(surface[0], []).append(regex.escape(surface[1:]))
    plain = "".join(c for c in _M if c not in opens)
    guarded = [f"{c}(?!{'|'.join(sorted(rest))})" for c, rest in sorted(opens.items())]
    return "(?:" + "|".join([f"[{plain}]", *guarded]) + ")"


@cache
def _mention_source() -> str:
    """The mention grammar as pattern text, written for both engines (fixed-width lookbehinds,
    each group name once: a name used in several branches is numbered, ``suf``, ``suf__2`` …)."""
    not_followed = {s: f"(?![{chars}])" for s, chars in _UNIT_NOT_FOLLOWED.items()}
    # a - after a unit or a number joins a range (3万元-5万元, 2021-2025), never a sign
    unit_ends = regex.escape("".join(sorted({u[-1] for u in unit_table()})))
    # (behind a lookahead for their first characters: after most numbers none fits)
    unit = guarded(_units_after_number(), not_followed)
    per = guarded(unit_table(), not_followed)  # after a slash: 元/月 too
    _, suffix = comparators()
    suf = alternation(w for w in suffix if w not in ("多", "余"))
    # a number is a candidate only when something that can make it a quantity follows
    # (approximator, 成, magnitude, unit, glued comparator) or it may open a range or a list;
    # a bare Chinese numeral needs 万 or 亿 in it (上千万, 八千多万). This keeps the thousands of
    # bare digits and numeral characters (2021, 一是, 统一) out of the Python code below.
    mchar = _magnitude_char()
    mag = _MAG.format(mchar=mchar)
    cn, cn_big, mixed = (t.format(mchar=mchar) for t in (_CN, _CN_BIG, _MIXED))
    # (behind a lookahead for its first characters, as the unit table is: ``lexicon.guarded``)
    firsts = {*"多余几幾成", *_M, *(w[0] for w in _units_after_number()), *(w[0] for w in suffix)}
    tail = (
        rf"(?=\s|[{regex.escape(''.join(sorted(firsts)))}\-至到、和及与,，])"
        rf"(?:多|余|几|幾|成|\s?{mag}|{unit}|{suf}|[-至到、和及与,，])"
    )
    # 元 with 角 and 分 (壹拾壹元壹角壹分, 123元1角1分)
    cents = rf"(?:(?<=[元圆])(?P<jiao>[\d{_D}])角)?(?:(?<=[元圆角])(?P<fen>[\d{_D}])分)?"
    after_unit = rf"{cents}(?P<half2>{_HALF_AFTER})?"
    # every alternative starts with one of these characters (a sign, a digit, a numeral, 翻 or
    # 倍); the lookahead lets the engine pass over all other characters without trying them
    pattern = rf"""
      (?=[-负\d{_D}{_M}翻倍])
      (?:(?<![\d%.A-Za-z)）\]\-{unit_ends}{_M}])(?P<neg>{_SIGN}))?
    (?:
      (?P<frac>(?P<den>(?<![\d.])\d++|(?<![{_D}{_M}])[{_D}十百千万拾佰仟萬]++)分之
        (?P<fnum>{_AR}|{cn}))(?P<suf>{suf})?
    | (?P<fan>翻(?:一|两|三|1|2|3)?番|倍增)
    | (?P<half>一半)(?P<suf>{suf})?
    | (?P<slash>(?<![\d./])(?P<sa>\d{{1,3}})/(?P<sb>\d{{1,3}})(?![\d./]))(?P<suf>{suf})?
    | (?P<num>{mixed}|(?:{_AR}|{cn})(?={tail})|{cn_big})(?P<ap>多|余|几|幾)?
      (?: (?P<cheng>成)(?![{_CHENG_NOT}])(?P<half2>{_HALF_AFTER})?
        | (?P<unit>{unit}){after_unit}(?:/(?P<dmag>{mag})?(?P<dunit>{per}))?
        | \s?(?P<mag>{mag})(?P<ap2>多|余|几|幾)?(?P<unit>{unit}){after_unit}
          (?:/(?P<dmag>{mag})?(?P<dunit>{per}))?
        | \s?(?P<mag>{mag})(?P<ap2>多|余|几|幾)?
      )?
      (?P<suf>{suf})?
    )
    """
    seen: dict[str, int] = {}

    def number(m: re.Match) -> str:
        seen[m[1]] = seen.get(m[1], 0) + 1
        return m[0] if seen[m[1]] == 1 else f"(?P<{m[1]}__{seen[m[1]]}>"

    return re.sub(r"\(\?P<(\w+)>", number, pattern)


@cache
def _mention_re() -> regex.Pattern:
    """The grammar in the ``regex`` engine: the reference, and the scan of a text with
    characters beyond the Basic Multilingual Plane."""
    return regex.compile(_mention_source(), regex.VERBOSE)


# What ``regex`` calls \s (White_Space), spelled out: the standard library's \s also takes
# U+001C-U+001F. Over the BMP the two engines' \d are the same (Unicode Nd; a test checks
# both classes); beyond it ``regex`` knows digits added to Unicode after this Python.
_WHITE_SPACE = r"[\t-\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


@cache
def _mention_fast() -> re.Pattern:
    """The same grammar in the standard library's engine, which runs this pattern 2-3 times
    faster: the same matches and groups on every text within the BMP (tests compare them)."""
    return re.compile(_mention_source().replace("\\s", _WHITE_SPACE), re.VERBOSE)


def _scanner(norm: str) -> re.Pattern | regex.Pattern:
    """The engine for a text: the fast one unless a character lies beyond the BMP (a UTF-16
    encoding of two bytes a character says there is none, in one C-level pass)."""
    if len(norm.encode("utf-16-le", "surrogatepass")) == 2 * len(norm):
        return _mention_fast()
    return _mention_re()


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


# every group of the grammar, in the order ``_read_match`` unpacks them: a name used in several
# branches is numbered there (``_mention_source``); at most one of them takes part in a match
_GROUPS = ("num", "unit", "unit__2", "mag", "mag__2", "cheng", "suf", "suf__2", "suf__3", "suf__4",
           "ap", "ap2", "ap2__2", "frac", "fan", "slash", "half", "den", "fnum", "sa", "sb",
           "dunit", "dunit__2", "dmag", "dmag__2", "neg", "jiao", "jiao__2", "fen", "fen__2",
           "half2", "half2__2", "half2__3")  # fmt: skip


@cache
def _group_getter():
    """Picks the groups out of ``Match.groups()`` (far cheaper than ``groupdict()``); the two
    engines number the groups of the one source alike."""
    at = _mention_fast().groupindex
    return operator.itemgetter(*(at[name] - 1 for name in _GROUPS))


def _read_match(m: re.Match | regex.Match) -> Mention | None:
    """The mention of one match of the grammar, or None when it is no quantity or cannot be
    read whole (a malformed numeral is refused, never cut to a prefix)."""
    (num, unit_, unit2, mag_, mag2, cheng, suf, suf2, suf3, suf4, ap, ap2, ap2b, frac, fan, slash,
     half, den, fnum, sa, sb, dunit, dunit2, dmag, dmag2, neg, jiao, jiao2, fen, fen2, half2,
     half2b, half2c) = _group_getter()(m.groups())  # fmt: skip
    # (a group matches at least one character: ``or`` picks the branch's one that took part)
    suf = suf4 or suf or suf2 or suf3
    if unit2:  # a magnitude, then a unit (3.5亿千瓦)
        unit_, dunit, dmag, jiao, fen, half2 = unit2, dunit2, dmag2, jiao2, fen2, half2c
    else:
        mag_, ap2, half2 = mag_ or mag2, ap2 or ap2b, half2 or half2b
    start, end = m.span()
    arabic = num is not None and num[0].isdigit()
    if arabic and not (unit_ or mag_ or cheng or suf) and m.string[end : end + 1] not in _JOINERS:
        return None  # a bare Arabic number (year, list marker, code) that no range completes
    if suf == "级" and not (mag_ and (not unit_ or unit_table()[unit_][1] == "money")):
        return None  # 3级, 10万吨级: a grade or a class, not an amount (500亿元级 is ~)
    if (
        num is not None
        and not arabic
        and not (unit_ or cheng or suf or ap)
        and not has_big_magnitude(num + (mag_ or ""))
        and m.string[end : end + 1] not in _RANGE_STARTS
    ):
        return None  # a bare Chinese numeral without 万/亿 (一是, 十四五): not a quantity
    if (
        num is not None
        and len(num) == 1
        and num in _FINANCIAL
        and not (cheng or (unit_ and unit_table()[unit_][1] == "money"))
    ):
        return None  # a lone 陆, 伍, 拾 is a word (陆家嘴, 队伍), not a numeral (壹元, 兩成 are)
    if ap in _VAGUE and not (unit_ or cheng):
        return None  # 十几亿人口: 几 is a quantity only with its unit (三十几万个)
    comp = comparators()[1].get(suf, "") if suf else ""
    sign = -1 if neg else 1
    try:
        if frac:
            return _fraction(start, end, den, fnum, comp, sign)
        if fan or half:
            if neg:
                return None
            if fan:
                return Mention(start, end, Decimal(_FAN_VALUES[fan]), "倍", "multiple",
                               has_unit=True, chinese=True, kind_hint="fan")  # fmt: skip
            return Mention(start, end, Decimal(50), "%", "percent", comp, has_unit=True,
                           chinese=True)  # fmt: skip
        if slash:
            a_, b_ = Decimal(sa), Decimal(sb)
            if not 0 < a_ < b_ or neg:
                return None  # not a proper fraction: a date or a code
            return Mention(
                start, end, fraction_percent(a_, b_), "%", "percent", comp, has_unit=True
            )
        chinese = not arabic
        mag_text = mag_ or ""
        high: Decimal | None = None
        if chinese and (pair := _ADJACENT.search(num)) is not None:
            # 七八百: from 七百 to 八百 (the magnitude written once, for both)
            i = pair.start()  # the pair's first digit, then its second
            low_text, high_text = num[: i + 1] + num[i + 2 :], num[:i] + num[i + 1 :]
            value, high = parse_number(low_text + mag_text), parse_number(high_text + mag_text)
            mag_text = ""
        elif arabic and _CHINESE_IN.search(num):  # 1万6千, 2万5000: read as Chinese
            num, chinese = _ARABIC_RUN.sub(_arabic_run_to_chinese, num), True
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
        if category == "index" and (chinese or ("." not in num and value < _INDEX_MIN)):
            return None  # 一点, 3点 (a time of day): index points are written 849.8点
        if dunit:
            unit = f"{unit}/{dmag or ''}{unit_table()[dunit][0]}"
            category = "compound"
    try:
        if jiao or fen:
            value += _cents(jiao, fen)
            scaled = True
        if half2:
            value += Decimal(5) if cheng else Decimal("0.5") * mag
            scaled = True
    except (NumberError, KeyError, ArithmeticError):
        return None
    if chinese and not _CN_MAGNITUDE_SET.isdisjoint(num):
        mag = max(mag, 10)
    if sign < 0:
        value, scaled = -value, True
    if scaled:  # a product; parse_number's own values are canonical already (below 10**20,
        value = tidy(value)  # its form and _tidy's agree)
    if high is not None:
        return Mention(start, end, value, unit, category, "range", tidy(high), mag, chinese,
                       has_unit)  # fmt: skip
    # positional, in field order (the commonest record, built thousands of times a document)
    return Mention(start, end, value, unit, category, comp, None, mag, chinese, has_unit)


_VAGUE = ("几", "幾")
_INDEX_MIN = 24  # 849.8点, 3000点: an index; 8点 may be a time of day
_RANGE_STARTS = frozenset("-至到")  # a bare numeral before these may be a range's low end
_CHINESE_IN = twin(r"[^\d.,，]")
_ARABIC_RUN = twin(r"\d+")


def _arabic_run_to_chinese(m: regex.Match) -> str:
    """One run of Arabic digits inside a mixed numeral, in Chinese (01 -> 零一)."""
    digits = m.group()
    return ("零" if digits[0] == "0" and len(digits) > 1 else "") + to_chinese(int(digits))


def _cents(jiao: str | None, fen: str | None) -> Decimal:
    """角 and 分 after 元: tenths and hundredths."""
    total = Decimal(0)
    if jiao:
        total += parse_number(jiao) / 10
    if fen:
        total += parse_number(fen) / 100
    return total


def _fraction(start: int, end: int, den_text: str, fnum: str, comp: str, sign: int) -> Mention:
    """N分之M: a percentage, or a permille for 千分之 (千分之6.39 -> 6.39 ‰)."""
    numerator = parse_number(fnum)
    chinese = not fnum[0].isdigit()
    if den_text == "千":
        return Mention(start, end, tidy(sign * numerator), "‰", "percent", comp,
                       has_unit=True, chinese=chinese)  # fmt: skip
    den = (
        Decimal(magnitude(den_text))
        if not den_text[0].isdigit() and all(c in "十百千万拾佰仟萬" for c in den_text)
        else parse_number(den_text)
    )
    value = fraction_percent(numerator, den) * sign
    return Mention(start, end, value, "%", "percent", comp, has_unit=True, chinese=chinese)


_LARGEST = Decimal(10) ** 20
CJK = regex.compile(r"\p{Han}")


@cache
def is_han(ch: str) -> bool:
    """Whether a character is a Chinese one (``CJK``): asked of single characters thousands of
    times a document, answered once per character."""
    return CJK.match(ch) is not None


# a mention that is exactly a year (2021): not the low end of a range (2021-2025年)
YEAR_MENTION = twin(ARABIC_YEAR)
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
    found = [mn for mn in map(_read_match, _scanner(norm).finditer(norm)) if mn is not None]
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
_RANGE_SEP = twin(r"\s*(?:--?|至|到)\s*")
_LIST_SEP = twin(r"\s*(?:、|和|及|与|以及|或|,|，)\s*")
# a two-sided limit: 3万元以上30万元以下 (nothing between), 不少于X且不超过Y (the upper word between)
_LIMIT_SEP = twin(r"\s*[，,、]?\s*")
_UPPER_SEP = twin(
    r"\s*[，,、]?\s*(?:且|并且|但|而)?\s*(?:不超过|不高于|不多于|不得超过|最多|最高)\s*"
)
_LOWER_BEFORE = twin(r"(?:不少于|不低于|至少|不小于)\s*$")
_BIG_TAIL = twin(r"[万亿萬億]+$")
_NUMERAL_HEAD = twin(rf"[{_D}{_M}点]+")


def separates_list(norm: str, start: int, end: int) -> bool:
    """Whether ``norm[start:end]`` only separates two items of a list (、 和 及 与 以及 或 ,)."""
    return _LIST_SEP.fullmatch(norm, start, end) is not None


def _shared_magnitude(norm: str, low: Mention, high: Mention) -> int:
    """The big magnitude a bare Chinese low end shares with the high end: 三百到五百万元 -> 万.
    1 when the low end has its own (三万到五万) or the high end has none."""
    if not (low.chinese and high.chinese) or has_big_magnitude(norm[low.start : low.end]):
        return 1
    head = _NUMERAL_HEAD.match(norm, high.start)
    tail = _BIG_TAIL.search(head.group()) if head else None
    return magnitude(tail.group()) if tail else 1


def _two_sided(norm: str, a: Mention, b: Mention) -> bool:
    """``3万元以上30万元以下``, ``2倍以上5倍以下``, ``不少于3000平方米且不超过5000平方米``."""
    if not (b.has_unit and (not a.has_unit or a.unit == b.unit)) or a.value_high is not None:
        return False
    if (
        a.suffix_comp == ">="
        and b.suffix_comp == "<="
        and norm.endswith("以上", a.start, a.end)
        and _LIMIT_SEP.fullmatch(norm, a.end, b.start)
    ):
        return True
    return (
        not a.suffix_comp
        and not b.suffix_comp
        and _UPPER_SEP.fullmatch(norm, a.end, b.start) is not None
        and _LOWER_BEFORE.search(norm, max(0, a.start - 4), a.start) is not None
    )


def _join_ranges(norm: str, mentions: list[Mention]) -> list[Mention]:
    """``6%-6.5%``, ``6-6.5%``, ``2-3家``, ``三百到五百万元``: one claim from value to value_high;
    and two-sided limits (``3万元以上30万元以下``), one range claim covering both ends."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        if i + 1 < len(mentions):
            b = mentions[i + 1]
            if a.value < b.value and _two_sided(norm, a, b):
                out.append(replace(b, start=a.start, value=a.value, value_high=b.value,
                                   suffix_comp="range", kind_hint="limit"))  # fmt: skip
                i += 2
                continue
            shared = 1 if a.has_unit else _shared_magnitude(norm, a, b)
            if (
                (b.has_unit or (shared > 1 and not b.unit))  # 八到九百亿: a bare numeral too
                and (not a.has_unit or a.unit == b.unit)
                and not a.suffix_comp
                and a.value_high is None
                and b.value_high is None
                and _RANGE_SEP.fullmatch(norm, a.end, b.start)
                and not _FROM_END.search(norm[max(0, a.start - 2) : a.start])
                and not YEAR_MENTION.fullmatch(norm, a.start, a.end)
                and a.value * shared
                < b.value * (b.magnitude if not a.has_unit and a.magnitude == 1 else 1)
            ):
                low = a.value * shared
                if not a.has_unit and a.magnitude == 1 and b.magnitude > 1 and not b.chinese:
                    low = a.value * b.magnitude
            else:
                low = None
            if low is not None and low < b.value:  # 二-万 is no range: never low above high
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
