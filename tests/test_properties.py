"""Extraction never raises on arbitrary text, and every claim's offsets slice out its mention."""

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
