"""Shortcuts taken for speed in claim extraction give what the patterns they skip would give."""

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_nlp import extract_claims
from policy_nlp.claims.indicator import word_patterns

WORDS = word_patterns()
_ACTION, _ACTION_ENDS, _ACTION_WORDS = WORDS.action, WORDS.action_ends, WORDS.actions
_INDICATOR_STRIP_TAIL, _INDICATOR_TAIL_ENDS = WORDS.strip_tail, WORDS.tail_ends
_INDICATOR_TAIL_WORDS = WORDS.tail

# the characters of the tail words, digits and years, spaces and a few others
TAIL_TEXT = st.lists(
    st.sampled_from(
        [*_INDICATOR_TAIL_WORDS, *"".join(_INDICATOR_TAIL_WORDS), *"2010年的 \n　指标率"]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=500)
@given(TAIL_TEXT)
def test_indicator_tail_is_only_stripped_after_its_end_characters(text):
    # extraction skips the pattern when the text ends with any other character
    if _INDICATOR_STRIP_TAIL.search(text):
        assert text[-1] in _INDICATOR_TAIL_ENDS or text[-1].isspace()


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from([*_ACTION_WORDS, *"".join(_ACTION_WORDS), *"设施项目个"]), max_size=6
    ).map("".join)
)
def test_action_verbs_end_with_their_end_characters(text):
    if _ACTION.search(text):
        assert text[-1] in _ACTION_ENDS


# ----------------------------------------------------------------------------- numeral classes


def _numeral_file_chars() -> set[str]:
    from policy_nlp.patterns import numeral_chars

    return set(numeral_chars("digit") + numeral_chars("small") + numeral_chars("big"))


def test_literal_numeral_classes_are_subsets_of_the_data_file():
    # the classes leave out the financial forms (壹贰叁, 拾佰仟, 萬億) on purpose, and some
    # leave out 〇○ or 亿 as they always have; every character they hold is a numeral of
    # data/numerals.tsv, so the data file stays the one home of what a numeral is
    from policy_nlp.claims import exclusions, indicator, lexicon

    data = _numeral_file_chars()
    for name, chars in [
        ("CN_DIGITS", lexicon.CN_DIGITS),
        ("CN_MAGNITUDES", lexicon.CN_MAGNITUDES),
        ("DATE_DIGITS", lexicon.DATE_DIGITS),
        ("ORDINAL_DIGITS", lexicon.ORDINAL_DIGITS),
        ("LIST_NUMERALS", indicator.LIST_NUMERALS),
        ("COUNT_NUMERALS", exclusions.COUNT_NUMERALS),
    ]:
        assert set(chars) <= data, (name, set(chars) - data)


def test_standard_digits_come_from_the_data_file():
    from policy_nlp.numerals import _digit_chars, to_chinese

    assert _digit_chars() == "零一二三四五六七八九"
    assert to_chinese(2026) == "二千零二十六"


def test_year_and_plan_period_patterns_are_the_shared_ones():
    from policy_nlp.claims import structure
    from policy_nlp.patterns import PLAN_PERIOD

    assert PLAN_PERIOD in structure.PERIOD_NAME.pattern
    assert [m.group(0) for m in structure.PERIOD_NAME.finditer("“十四五”时期，十五五规划")] == [
        "十四五",
        "十五五",
    ]


def test_relative_years_read_from_the_data_file():
    from policy_nlp.claims.context import year_index

    found = {(y.year, y.how) for y in year_index("今年增长5%，去年增长4%，明年", 2024)}
    assert found == {(2024, "relative"), (2023, "relative"), (2025, "relative")}


def test_a_bracketed_note_inside_a_name_is_skipped():
    table = extract_claims(
        "稳健的货币政策要松紧适度。广义货币M2（注：M2为M右下角加2）预期增长12%左右，在实际执行中。"
    )
    assert table["indicator"].tolist() == ["广义货币M2预期"]


def test_a_level_started_from_within_the_year_is_dated_as_the_year():
    text = "政府工作报告\n——2026年1月20日\n一、2025年工作回顾\n年末城镇调查失业率从上半年5.5%降到5.3%。\n"
    table = extract_claims(text)
    assert table[["mention", "year"]].values.tolist() == [["5.5%", 2025], ["5.3%", 2025]]
