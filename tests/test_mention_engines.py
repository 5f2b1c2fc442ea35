"""The mention grammar runs in two engines: the standard library's (fast) and ``regex`` (the
reference, kept for texts beyond the BMP). They must find the same matches with the same
groups, so that the claims never depend on which one ran."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import regex

from policy_nlp.claims import mentions
from policy_nlp.claims.indicator_table import table_row_mentions
from policy_nlp.text import normalize

ROOT = Path(__file__).resolve().parents[1]
_BMP = "".join(map(chr, range(0x10000)))

# characters the grammar cares about, and others, to build texts at random
_ALPHABET = [
    *"0123456789.,，、-—至到和及与%‰成多余几幾半点分之/翻番倍增一二两三四五六七八九十百千万亿零〇○",
    *"壹贰叁肆伍陆柒捌玖兩拾佰仟萬億负元圆角人家户台次个项吨米平方千瓦年月日以上下左右内级约近超",
    *"庭民才的是统一全市增长。；：“”（）() \t\n\u3000\u2002\u00a0\x1cA+xG٣",
    "美元", "百分点", "千米", "千瓦时", "平方米", "万元/吨", "亿千瓦", "个百分点", "工作日",
]  # fmt: skip


def _texts() -> list[str]:
    found = [normalize(p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("corpus/*.txt"))]
    rnd = random.Random(16)
    found += ["".join(rnd.choices(_ALPHABET, k=rnd.randint(1, 40))) for _ in range(3000)]
    return found


def _scan(pattern, text: str) -> list[tuple]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_the_two_engines_find_the_same_matches_and_groups():
    fast, reference = mentions._mention_fast(), mentions._mention_re()
    assert fast.groupindex == dict(reference.groupindex)
    for text in _texts():
        assert _scan(fast, text) == _scan(reference, text), text[:60]


def test_the_classes_the_fast_engine_spells_out_are_those_of_regex():
    assert set(re.findall(r"\d", _BMP)) == set(regex.findall(r"\d", _BMP))
    spaces = set(regex.findall(r"\s", _BMP))
    assert set(re.findall(mentions._WHITE_SPACE, _BMP)) == spaces
    assert set(re.findall(r"\s", _BMP)) != spaces  # why \s is spelled out (U+001C-U+001F)


def test_every_group_of_the_grammar_is_read():
    assert set(mentions._mention_fast().groupindex) == set(mentions._GROUPS)


@pytest.mark.parametrize(
    "text",
    [
        "到2025年全市GDP达到4.32万亿元，增长8.1%。",
        "三百到五百万元",
        "3.5亿千瓦",
        "1万6千多户",
        "增长5%左右",
    ],
)
def test_a_text_beyond_the_bmp_reads_the_same(text):
    """An emoji takes the text to the reference engine: the mentions are those of the text
    without it (the emoji is one character, at the end, so offsets agree)."""
    plain = [(m.start, m.end, m.value, m.unit) for m in mentions.candidates(text)]
    wide = [(m.start, m.end, m.value, m.unit) for m in mentions.candidates(text + "😀")]
    assert plain and wide == plain


@pytest.mark.parametrize(
    ("row", "figures"),
    [
        ("城镇调查失业率（%）    预期性    5.5    <5.5", ["5.5", "5.5"]),
        ("预期性\t7.5\n", ["7.5"]),
        ("研发投入  约束性  〔20〕", ["20"]),
        ("其中预期性 7.5", []),  # one space is no cell gap
        ("研发投入  预期性目标  7.5", []),  # the word inside a longer cell
    ],
)
def test_table_rows_are_found_by_their_attribute_cell(row, figures):
    assert [row[m.start : m.end] for m in table_row_mentions(row)] == figures
