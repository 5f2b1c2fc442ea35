"""The spec's examples (tests/data/spec_cases.jsonl) as a shared table: text -> expected claims.

Each case lists every claim the text holds (an empty list: the text holds none); each
expected claim names only the fields the case is about.
"""

from decimal import Decimal

import pytest

from conftest import DATA, load_jsonl
from policy_nlp.claims.extractor import COMPARATORS, KINDS, Claim, extract

# v1 examples and the v2 constructions ("More genres, decided"), our own sentences
CASES = load_jsonl(DATA / "spec_cases.jsonl") + load_jsonl(DATA / "spec_cases_v2.jsonl")


def _same(field, got, want):
    if field in ("value", "value_high") and want is not None:
        return got is not None and abs(float(got) - float(want)) <= 1e-6 * max(
            1.0, abs(float(want))
        )
    return got == want


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_spec_case(case):
    claims = extract(case["text"], year=case["year"], doc_type=case["doc_type"])
    assert len(claims) == len(case["claims"]), [c.mention for c in claims]
    for got, want in zip(claims, case["claims"], strict=True):
        for field, value in want.items():
            assert _same(field, getattr(got, field), value), (
                got.mention,
                field,
                getattr(got, field),
                value,
            )


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_offsets_slice_out_mentions(case):
    text = case["text"]
    for c in extract(text, year=case["year"], doc_type=case["doc_type"]):
        assert text[c.start : c.end] == c.mention
        assert c.mention in c.sentence
        assert c.comparator in COMPARATORS
        assert c.kind in KINDS
        assert c.change in ("up", "down", "")
        assert isinstance(c.value, Decimal)


def test_claim_to_dict_keeps_exact_values():
    (c,) = extract("全市GDP达到4.32万亿元。")
    d = c.to_dict()
    assert list(d) == list(Claim.__dataclass_fields__)
    assert d["value"] == Decimal("4320000000000")


def test_relative_years_resolve_against_document_year():
    text = "今年城镇新增就业要达到1100万人以上。去年城镇新增就业1361万人。"
    got = {
        c.mention: (c.kind, c.year) for c in extract(text, year=2019, doc_type="gov_work_report")
    }
    assert got == {"1100万人以上": ("target", 2019), "1361万人": ("achievement", 2018)}
    unknown = {c.mention: c.year for c in extract(text)}
    assert unknown == {"1100万人以上": None, "1361万人": None}


def test_deadline_in_plan_heading_applies_to_list_below():
    text = "行动计划（2021-2023年）\n（二）发展目标\n到2023年，工业互联网建设量质并进。\n--平台建设长足进步。培育3家综合型平台，20家行业型平台。"
    claims = extract(text, year=2021, doc_type="plan", title="行动计划（2021-2023年）")
    assert [(c.mention, c.kind, c.year) for c in claims] == [
        ("3家", "target", 2023),
        ("20家", "target", 2023),
    ]


def test_extract_never_raises_on_odd_text():
    for text in [
        "",
        "。。。",
        "增长",
        "%%%",
        "第",
        "万亿元",
        "1" * 500,
        "百分之",
        "分之一",
        "翻番",
        "\n\n\n",
    ]:
        extract(text)
