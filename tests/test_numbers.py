from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_nlp.numerals import (
    NumberError,
    format_decimal,
    fraction_percent,
    magnitude,
    parse_arabic,
    parse_chinese,
    parse_number,
    to_chinese,
)

CASES = [
    ("4.32万亿", "4320000000000"),
    ("五十四万亿", "54000000000000"),
    ("八十万亿", "80000000000000"),
    ("1.37万亿", "1370000000000"),
    ("10738.8亿", "1073880000000"),
    ("3.5万", "35000"),
    ("百万", "1000000"),
    ("千亿", "100000000000"),
    ("万", "10000"),
    ("一千五百", "1500"),
    ("十点二", "10.2"),
    ("一点二", "1.2"),
    ("三亿五千万", "350000000"),
    ("十亿四千万", "1040000000"),
    ("两万三千", "23000"),
    ("一万零五", "10005"),
    ("二〇二六", "2026"),
    ("４７．２万亿", "47200000000000"),
    ("1,234.5", "1234.5"),
    ("壹佰贰拾", "120"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_number_exact(text, expected):
    value = parse_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert format_decimal(value) == expected


def test_magnitudes_multiply_out():
    assert magnitude("万亿") == 10**12
    assert magnitude("千万") == 10**7
    assert magnitude("") == 1
    with pytest.raises(NumberError):
        magnitude("元")


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "万元", "十点"])
def test_not_numerals_raise(bad):
    with pytest.raises(NumberError):
        parse_number(bad)


def test_fraction_percent():
    assert fraction_percent(Decimal(1), Decimal(3)).quantize(Decimal("0.000001")) == Decimal(
        "33.333333"
    )
    with pytest.raises(NumberError):
        fraction_percent(Decimal(1), Decimal(0))


def test_parse_arabic_fullwidth():
    assert parse_arabic("２０２１") == Decimal(2021)


def test_no_float_artefacts():
    # 4.32 * 10**12 in floats is 4319999999999.9995; Decimal keeps it exact
    assert format_decimal(parse_number("4.32万亿")) == "4320000000000"


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_round_trip(n):
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_arabic_round_trip(integer, cents):
    text = f"{integer:,}.{cents:02d}"
    assert parse_arabic(text) == Decimal(integer) + Decimal(cents) / 100


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_format_decimal_reads_back(d):
    assert Decimal(format_decimal(d)) == d


# ----------------------------------------------------------------------------- v2: read whole or refuse

SPOKEN = [
    ("三万七千八百四十六", "37846"),  # every digit, with no unit after it
    ("三万五", "35000"),  # a lone digit after a unit is the next position down
    ("两千六", "2600"),
    ("一百二", "120"),
    ("一百二十万三", "1203000"),
    ("一万零五", "10005"),  # after 零 it is units
    ("三亿二万一千五百", "300021500"),
    ("壹佰贰拾叁万", "1230000"),
    ("肆佰叁拾萬", "4300000"),
    ("兩千六", "2600"),
    ("一万亿零一亿", "1000100000000"),
    ("两千三点一", "2300.1"),
    ("一百点123", "100.123"),
    ("负2.6", "-2.6"),
    ("-1.8", "-1.8"),
    ("负一七二零", "-1720"),
]


@pytest.mark.parametrize(("text", "expected"), SPOKEN)
def test_spoken_and_financial_forms(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "bad", ["九十百", "十七百", "一万二万", "七八百", "五亿七千万十七百", "一二百"]
)
def test_malformed_numerals_are_refused_not_cut(bad):
    # never a prefix (九十), never a guess (190): the reader refuses
    with pytest.raises(NumberError):
        parse_number(bad)


FINANCIAL = str.maketrans("一二三四五六七八九十百千万亿", "壹贰叁肆伍陆柒捌玖拾佰仟萬億")


@given(st.integers(min_value=1, max_value=10**16 - 1))
def test_financial_round_trip(n):
    assert parse_chinese(to_chinese(n).translate(FINANCIAL)) == n


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=9))
def test_decimal_round_trip(n, tenth):
    assert parse_chinese(f"{to_chinese(n)}点{to_chinese(tenth)}") == n + Decimal(tenth) / 10


@given(st.text(alphabet="零一二两三四五六七八九十百千万亿", min_size=1, max_size=10))
def test_any_numeral_is_read_to_its_canonical_form_or_refused(text):
    # a numeral either reads back through its canonical spelling or is refused: no prefix value
    try:
        value = parse_chinese(text)
    except NumberError:
        return
    assert value >= 0
    if value < 10**16:
        assert parse_chinese(to_chinese(int(value))) == value
