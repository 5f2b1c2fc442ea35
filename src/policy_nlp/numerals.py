"""Read numerals as exact ``Decimal`` values: Arabic, Chinese and mixtures.

Pure functions, no state: ``parse_number("4.32万亿") == Decimal("4320000000000")``,
``parse_number("五十四万亿") == Decimal("54000000000000")``. Values stay ``Decimal``
until a table is written, so magnitudes never pick up float artefacts.

>>> parse_number("1.37万亿")
Decimal('1370000000000')
>>> parse_number("一千五百")
Decimal('1500')
>>> parse_number("十点二")
Decimal('10.2')
>>> to_chinese(120000000)
'一亿二千万'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from policy_nlp.errors import PolicyNLPError
from policy_nlp.resources import read_table

__all__ = [
    "NumberError",
    "format_decimal",
    "fraction_percent",
    "magnitude",
    "parse_arabic",
    "parse_chinese",
    "parse_number",
    "to_chinese",
]

_DECIMAL_POINT = "点"
_MINUS = ("-", "－", "负")  # a sign written before a numeral: -1.8, 负2.6
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class NumberError(PolicyNLPError, ValueError):
    """Raised when a string is not a numeral this module can read."""


@cache
def _numerals() -> dict[str, tuple[int, str]]:
    return {ch: (int(value), role) for ch, value, role in read_table("numerals.tsv")}


@cache
def _digit_chars() -> str:
    """The standard character of each digit 0-9 (零一二…九): the first ``numerals.tsv`` lists
    for its value (the file lists 零 before 〇 and ○, 一 before 壹, 二 before 贰 and 两)."""
    first: dict[int, str] = {}
    for ch, (value, role) in _numerals().items():
        if role == "digit":
            first.setdefault(value, ch)
    return "".join(first[d] for d in range(10))


def parse_arabic(text: str) -> Decimal:
    """Read an Arabic numeral with optional thousands separators and full-width digits.

    >>> parse_arabic("１２,３４５.５")
    Decimal('12345.5')
    """
    s = text.translate(_FULLWIDTH).replace(",", "").strip()
    if not s or not all(c.isdigit() or c == "." for c in s) or s.count(".") > 1:
        raise NumberError(f"not an Arabic numeral: {text!r}")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - guarded above
        raise NumberError(f"not an Arabic numeral: {text!r}") from exc


def magnitude(text: str) -> int:
    """Multiplier written with magnitude characters: ``万亿`` -> 10**12, ``千万`` -> 10**7.

    >>> magnitude("万亿")
    1000000000000
    >>> magnitude("")
    1
    """
    table = _numerals()
    result = 1
    for ch in text:
        value, role = table.get(ch, (0, ""))
        if role not in ("small", "big"):
            raise NumberError(f"not a magnitude: {text!r}")
        result *= value
    return result


def _chinese_integer(text: str) -> int:
    """A Chinese integer read whole, or ``NumberError``: never a prefix, never a guess.

    Within a section (below 万) the small units fall (千 > 百 > 十) and each takes at most one
    digit, so 九十百 and 十七百 are refused; two digits side by side are refused unless the
    whole numeral is positional (二〇二六). A lone digit right after a unit stands for the next
    lower position, as spoken (三万五 = 35000, 两千六 = 2600, 一百二 = 120); after 零 it is
    units (一万零五 = 10005).
    """
    table = _numerals()
    roles = [table[ch][1] for ch in text]
    if roles and all(r == "digit" for r in roles) and len(text) > 1:
        # positional digits, as in years written 二〇二六
        return int("".join(str(table[ch][0]) for ch in text))
    # pieces closed by 万 or 亿: (value, unit); a larger unit absorbs the smaller pieces
    # before it, so 五十四万亿 is 54 * 10**4 * 10**8 and 一万亿零一亿 is 10**12 + 10**8
    pieces: list[tuple[int, int]] = []
    section = 0
    number: int | None = None  # a digit waiting for its unit
    last_small = _NO_UNIT  # the last small unit of the section: the next must be smaller
    last_unit = 0  # the unit just before, when nothing (not even 零) came after it
    zero = False
    for ch in text:
        value, role = table[ch]
        if role == "digit":
            if number is not None:
                raise NumberError(f"two digits side by side: {text!r}")
            if value == 0:
                zero, last_unit = True, 0
                continue
            number = value
        elif role == "small":
            if value >= last_small:
                raise NumberError(f"units out of order: {text!r}")
            section += (1 if number is None else number) * value
            number, last_small, last_unit, zero = None, value, value, False
        else:
            base = section + (number or 0)
            section, number, last_small, zero = 0, None, _NO_UNIT, False
            pulled, unit = False, value
            while pieces and (pieces[-1][1] < value or (base == 0 and pieces[-1][1] == value)):
                piece_value, piece_unit = pieces.pop()
                base += piece_value  # a smaller piece, or 万万 (= 亿) with nothing between
                unit = max(unit, piece_unit * value)
                pulled = True
            if pieces and pieces[-1][1] <= unit:
                raise NumberError(f"magnitudes out of order: {text!r}")
            pieces.append(((base if base or pulled else 1) * value, unit))
            last_unit = value
    tail = section
    if number is not None:
        # 三万五, 两千六: the digit after a unit (not after 十, not after 零) is the next position
        tail += number * (last_unit // 10) if last_unit > 10 and not zero else number
    return sum(v for v, _ in pieces) + tail


_NO_UNIT = 10**5  # above every small unit: a section's first unit may be any of them


def parse_chinese(text: str) -> Decimal:
    """Read a Chinese numeral, with ``点`` decimals: ``八十万亿``, ``十点二``, ``二〇二六``.

    >>> parse_chinese("三亿五千万")
    Decimal('350000000')
    >>> parse_chinese("一点二")
    Decimal('1.2')
    """
    table = _numerals()
    s = text.strip()
    head_part = s.partition(_DECIMAL_POINT)[0]
    if not s or any(c not in table for c in head_part):
        raise NumberError(f"not a Chinese numeral: {text!r}")
    if _DECIMAL_POINT in s:
        head, _, tail = s.partition(_DECIMAL_POINT)
        # the fraction is a run of digits, possibly followed by a magnitude: 三点五万
        digits = ""
        i = 0
        while i < len(tail) and (
            (tail[i].isascii() and tail[i].isdigit()) or table.get(tail[i], (0, ""))[1] == "digit"
        ):
            digits += tail[i] if tail[i].isascii() else str(table[tail[i]][0])
            i += 1
        if not digits or _DECIMAL_POINT in tail:
            raise NumberError(f"not a Chinese numeral: {text!r}")
        value = Decimal(_chinese_integer(head) if head else 0) + Decimal("0." + digits)
        return value * magnitude(tail[i:])
    return Decimal(_chinese_integer(s))


@lru_cache(maxsize=4096)  # pure, and asked the same numerals over and over (2021, 5%, 一)
def parse_number(text: str) -> Decimal:
    """Read Arabic, Chinese or mixed numerals with magnitudes: ``3.5万``, ``百亿``, ``4.32万亿``.

    >>> parse_number("3.5万")
    Decimal('35000')
    """
    if len(text) <= 20 and text.isdigit() and text.isascii():
        return Decimal(text)  # the commonest case, 2021: already in canonical form (see _tidy)
    if text[:1] in _MINUS and len(text) > 1:
        return -parse_number(text[1:])
    if _PLAIN.fullmatch(text):  # 4.32: no folding or magnitude
        return _tidy(Decimal(text))
    s = text.translate(_FULLWIDTH).strip()
    i = 0
    while i < len(s) and (s[i].isdigit() or s[i] in ".,"):
        i += 1
    if i:
        return _tidy(parse_arabic(s[:i]) * magnitude(s[i:]))
    return _tidy(parse_chinese(s))


_ONE = Decimal(1)


def _tidy(value: Decimal) -> Decimal:
    """Same number, canonical form: integers without a fraction, no trailing zeros."""
    if value.adjusted() < 27 and value == value.to_integral_value():
        return value.quantize(_ONE)  # within the context's 28 digits
    return value.normalize()


def fraction_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``N分之M`` as a percentage: ``fraction_percent(1, 3)`` is 33.33… (exact to 28 digits)."""
    if denominator == 0:
        raise NumberError("fraction with a zero denominator")
    return Decimal(numerator) * 100 / Decimal(denominator)


def format_decimal(value: Decimal) -> str:
    """Plain notation without exponent or trailing zeros: ``Decimal('4.32E+12')`` -> ``4320000000000``.

    >>> format_decimal(Decimal("35000.0"))
    '35000'
    """
    if value == value.to_integral_value():
        return str(value.quantize(_ONE))
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_SECTION_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def _section_to_chinese(n: int) -> str:
    """A section below 10,000 in Chinese numerals (``to_chinese`` drops a leading 一 of 一十五)."""
    digits = _digit_chars()
    out, zero = [], False
    for value, char in _SECTION_UNITS:
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
            out.append(digits[d] + char)
            zero = False
        elif out:
            zero = True
    if n:
        if zero or (out and not out[-1].endswith("十")):
            out.append("零")
        out.append(digits[n])
    return "".join(out)


def to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (standard form, 十五 not 一十五).

    >>> to_chinese(105), to_chinese(10), to_chinese(100000005)
    ('一百零五', '十', '一亿零五')
    """
    if n < 0:
        raise NumberError("negative numbers are not written here")
    if n == 0:
        return "零"
    parts: list[str] = []
    sections = []
    while n:
        n, rest = divmod(n, 10_000)
        sections.append(rest)
    big = ["", "万", "亿", "万亿"]
    if len(sections) > len(big):
        raise NumberError("number too large")
    need_zero = False
    for idx in range(len(sections) - 1, -1, -1):
        sec = sections[idx]
        if sec == 0:
            need_zero = bool(parts)
            continue
        text = _section_to_chinese(sec)
        if parts and (need_zero or sec < 1000) and not text.startswith("零"):
            text = "零" + text
        parts.append(text + big[idx])
        need_zero = False
    result = "".join(parts)
    return result[1:] if result.startswith("一十") else result
