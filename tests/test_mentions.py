"""The word alternations behind the mention, cue and idiom patterns."""

import re
from decimal import Decimal

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_nlp.claims.lexicon import alternation
from policy_nlp.claims.mentions import tidy
from policy_nlp.numerals import NumberError, parse_number

WORDS = st.lists(st.text(alphabet="增长率加人次元上升+.%", min_size=1, max_size=4), max_size=12)
TEXT = st.text(alphabet="增长率加人次元上升+.%民才 ", max_size=40)


def flat(words, after=None) -> str:
    """The plain reading of an alternation: every word, longest first, each with its lookahead."""
    after = after or {}
    return "|".join(re.escape(w) + after.get(w, "") for w in sorted(words, key=len, reverse=True))


def test_alternation_is_a_prefix_tree():
    assert alternation(["增长", "增长率", "增加"]) == "增(?:长(?:率)?|加)"
    assert alternation(["人", "人次"], {"人": "(?![民才])"}) == "人(?:次|(?![民才]))"


@settings(max_examples=300)
@given(WORDS, TEXT, st.booleans())
def test_alternation_matches_like_the_longest_first_list(words, text, guard):
    after = {w: "(?![民才])" for w in words[::2]} if guard else {}
    tree, plain = alternation(words, after), flat(words, after)
    for engine in (re, regex):
        assert [m.span() for m in engine.finditer(tree, text)] == [
            m.span() for m in engine.finditer(plain, text)
        ]
        # inside a longer pattern, backtracking tries the shorter words in the same order
        assert [m.span() for m in engine.finditer(f"(?:{tree})率?[次元]", text)] == [
            m.span() for m in engine.finditer(f"(?:{plain})率?[次元]", text)
        ]


NUMERALS = st.one_of(
    st.from_regex(r"[0-9]{1,22}(\.[0-9]{1,30})?", fullmatch=True),
    st.text(alphabet="零一二两三四五六七八九十百千万亿点", min_size=1, max_size=12),
)


@settings(max_examples=400)
@given(NUMERALS)
def test_numbers_are_read_in_the_form_mentions_keep(text):
    # _read_match keeps parse_number's value as it is unless it multiplies it
    try:
        value = parse_number(text)
    except (NumberError, KeyError, ArithmeticError):  # what _read_match passes over
        return
    if value < Decimal(10) ** 20:
        assert tidy(value).as_tuple() == value.as_tuple()


# ----------------------------------------------------------------------------- v2 constructions

from policy_nlp.claims.mentions import candidates  # noqa: E402
from policy_nlp.text import normalize  # noqa: E402

V2 = [
    ("全市参观人数累计达到三万七千八百四十六。", "三万七千八百四十六", "37846", None, ""),
    ("单个项目补助三百到五百万元。", "三百到五百万元", "3000000", "5000000", "元"),
    ("全年实现税收86.5 亿元。", "86.5 亿元", "8650000000", None, "元"),
    ("全年实现营业收入12，345万元。", "12，345万元", "123450000", None, "元"),
    ("每亩增产两吨半。", "两吨半", "2.5", None, "吨"),
    ("新增就业岗位三十几万个。", "三十几万个", "300000", None, "个"),
    ("全镇共有七八百户家庭。", "七八百户", "700", "800", "户"),
    ("全区新增市场主体2万5000户。", "2万5000户", "25000", None, "户"),
    ("项目总投资3亿2万1千5百元。", "3亿2万1千5百元", "300021500", None, "元"),
    ("合同金额为壹佰贰拾叁万元整。", "壹佰贰拾叁万元", "1230000", None, "元"),
    ("控制在2℃以内。", "2℃以内", "2", None, "℃"),
    ("出生率为千分之6.39。", "千分之6.39", "6.39", None, "‰"),
    ("居民消费价格上涨-1.8%。", "-1.8%", "-1.8", None, "%"),
    ("居民消费价格上涨－1.8%。", "－1.8%", "-1.8", None, "%"),
    ("出厂价格同比负2.6%。", "负2.6%", "-2.6", None, "%"),
    ("处3万元以上30万元以下的罚款。", "3万元以上30万元以下", "30000", "300000", "元"),
    ("并处违法所得2倍以上5倍以下的罚款。", "2倍以上5倍以下", "2", "5", "倍"),
    (
        "面积不少于3000平方米且不超过5000平方米。",
        "3000平方米且不超过5000平方米",
        "3000",
        "5000",
        "平方米",
    ),
    ("培育3个500亿元级产业集群。", "500亿元级", "50000000000", None, "元"),
    ("上证指数收于849.8点。", "849.8点", "849.8", None, "点"),
    ("五年新增电力装机3.5亿千瓦。", "3.5亿千瓦", "350000000", None, "千瓦"),
    ("建设完整社区试点19个。", "19个", "19", None, "个"),
]


@pytest.mark.parametrize(("text", "mention", "value", "high", "unit"), V2, ids=[c[1] for c in V2])
def test_v2_constructions(text, mention, value, high, unit):
    norm = normalize(text)
    found = {text[m.start : m.end]: m for m in candidates(norm)}
    assert mention in found, list(found)
    mn = found[mention]
    assert mn.value == Decimal(value)
    assert mn.value_high == (None if high is None else Decimal(high))
    assert mn.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "本项目收到九十百元。",
        "陆家嘴金融城。",
        "力争为经营主体减负1000亿元以上。",
        "加强队伍建设。",
    ],
)
def test_no_wrong_value_from_words_or_malformed_numerals(text):
    norm = normalize(text)
    for mn in candidates(norm):
        # 减负1000亿元 is 1000亿元, not -1000亿元; 九十百 and 陆家 are no numbers
        assert mn.value > 0 and text[mn.start] not in "负九陆", (text[mn.start : mn.end], mn.value)
