"""Extraction never raises on arbitrary text, and every claim's offsets slice out its mention."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_nlp.claims.extractor import extract

PIECES = st.sampled_from(
    [
        *list(
            "0123456789.,%-+万亿千百十一二两三五九零〇点成倍分之以上下内左右多余约近超过达到增长下降年月日个家项人元，。；、“”（）\n "
        ),
        "百分之",
        "个百分点",
        "万元",
        "亿元",
        "左右",
        "以上",
        "到2025年",
        "今年",
        "去年",
        "翻一番",
        "十四五",
        "第",
        "5G",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join), st.one_of(st.none(), st.integers(1990, 2035)))
def test_extract_total_and_offsets_exact(text, year):
    for c in extract(text, year=year, doc_type="gov_work_report"):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.mention
        assert c.value_high is None or c.comparator == "range"


def test_absurd_magnitudes_are_not_quantities():
    # found by hypothesis: values past the Decimal context's precision once raised
    for text in ["1万亿亿亿", "一万亿亿亿亿元", "9" * 40 + "万元"]:
        assert extract(text) == []


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_extract_total_on_any_unicode(text):
    for c in extract(text):
        assert text[c.start : c.end] == c.mention


# ----------------------------------------------------------------------------- the grammar, v2

import time  # noqa: E402
from decimal import Decimal  # noqa: E402

from policy_nlp.claims.exclusions import find_mentions  # noqa: E402
from policy_nlp.claims.mentions import candidates  # noqa: E402
from policy_nlp.numerals import parse_number  # noqa: E402
from policy_nlp.text import normalize  # noqa: E402

NUMBER_PIECES = st.sampled_from(
    [*"0123456789.,，-万亿千百十一二两三七八九零〇点几多余半负到至以上下内元%个倍级",
     "壹佰", "拾", "万元", "亿元", "千瓦", "百分之", "千分之", " ", "，", "。", "以上", "以下"]
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NUMBER_PIECES, max_size=30).map("".join))
def test_every_mention_reads_back_to_its_value(text):
    norm = normalize(text)
    for mn in candidates(norm):
        span = norm[mn.start : mn.end]
        assert mn.value_high is None or mn.value <= mn.value_high, span
        # the numeral the mention starts with is taken whole: no numeral character of the
        # same run stands right before it
        assert mn.start == 0 or not (norm[mn.start - 1].isdigit() and span[0].isdigit()), span
        if mn.value_high is None and mn.unit in ("", "元", "个") and mn.suffix_comp in ("", "="):
            body = span[: len(span) - len(mn.unit)] if span.endswith(mn.unit) else span
            try:
                again = parse_number(body.replace(" ", ""))
            except Exception:
                continue
            assert again == mn.value, (span, again, mn.value)


# Long runs of one character class: the grammar's work must grow linearly (a backtracking
# pattern took minutes on 150 KB of 〇). Times for n and 4n are compared, never against a
# clock: a quadratic pattern gives a ratio near 16, a linear one near 4.
RUNS = ["〇", "1", "一", "万", "十", "1,", "1，", "12，345", "-", "负", ".", "1.", "点", "一点",
        "1万", "七八", "分之", "三百到", "1以上"]  # fmt: skip


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()  # CPU time: other work on the machine does not count
        find_mentions(text)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("piece", RUNS)
def test_grammar_is_linear_in_long_runs(piece):
    n = 12000 // len(piece)
    small, large = _seconds(piece * n), _seconds(piece * (4 * n))
    # allow for noise on a shared machine: linear is ~4, quadratic ~16
    assert large <= 10 * max(small, 2e-3), (piece, small, large)  # below 2 ms is noise


def test_malformed_numerals_give_no_claim():
    assert extract("本项目收到九十百元。") == []
    assert [c.value for c in extract("全市参观人数累计达到三万七千八百四十六。")] == [
        Decimal(37846)
    ]
