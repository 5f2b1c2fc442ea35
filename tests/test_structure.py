"""Document structure: what a lead line ending with a colon says about the list items under it."""

from __future__ import annotations

from policy_nlp.structure import analyse

TEXT = (
    "关于第一个五年计划的报告\n"
    "按照计划，主要农业产品一九五七年的计划产量及其比一九五二年增长的情况如下列：\n"
    "　　粮食：达到三千八百五十六亿斤。\n"
    "　　棉花：达到三千二百七十万担。\n"
    "五年内，农业总产值增长百分之二十三点三。\n"
    "　　烤烟：达到七百八十万担。\n"
    "一九五二年主要产品的产量如下：\n"
    "　　钢：一百三十五万吨。\n"
)


def lines_and_paragraphs(text: str, year: int):
    paras = analyse(text, doc_year=year, doc_type="gov_work_report")
    return [(text[p.start : p.end].strip(), p) for p in paras]


def test_items_under_a_lead_with_a_later_year_are_plans_with_that_deadline():
    got = dict(lines_and_paragraphs(TEXT, 1955))
    for line in ("粮食：达到三千八百五十六亿斤。", "棉花：达到三千二百七十万担。"):
        assert (got[line].lead_mode, got[line].deadline) == ("plan", 1957)


def test_a_line_that_is_not_an_item_ends_the_list():
    got = dict(lines_and_paragraphs(TEXT, 1955))
    assert got["烤烟：达到七百八十万担。"].deadline is None  # after 五年内…, not under the lead
    assert got["五年内，农业总产值增长百分之二十三点三。"].deadline is None


def test_items_under_a_lead_with_a_past_year_are_reviews_and_a_reference_year_is_not_theirs():
    got = dict(lines_and_paragraphs(TEXT, 1955))
    assert got["钢：一百三十五万吨。"].lead_mode == "review"
    assert got["钢：一百三十五万吨。"].deadline is None
    # 比一九五二年 in the first lead is the base of the growth, not the items' year
    assert got["粮食：达到三千八百五十六亿斤。"].deadline == 1957
