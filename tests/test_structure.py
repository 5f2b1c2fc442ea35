"""Document structure: what a lead line ending with a colon says about the list items under it."""

from __future__ import annotations

from policy_nlp.claims.structure import analyse

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


REPORT_2021 = (
    "政府工作报告\n"
    "——2021年3月5日在第十三届全国人民代表大会第四次会议上\n"
    "二、“十三五”时期发展成就和“十四五”时期主要目标任务\n"
    "过去五年，国内生产总值从不到70万亿元增加到超过100万亿元。\n"
    "国务院编制了《国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）》。\n"
    "——推动绿色发展。\n"
    "单位国内生产总值能耗和二氧化碳排放分别降低13.5%、18%。\n"
    "三、2021年重点工作\n"
    "国内生产总值增长6%以上。\n"
)


def test_a_section_reviewing_one_plan_turns_to_the_next_where_its_draft_is_presented():
    got = dict(lines_and_paragraphs(REPORT_2021, 2021))
    review = got["过去五年，国内生产总值从不到70万亿元增加到超过100万亿元。"]
    assert review.mode == "review"
    draft = got["国务院编制了《国民经济和社会发展第十四个五年规划和2035年远景目标纲要（草案）》。"]
    assert (draft.mode, draft.period) == ("plan", "十四五")  # its own targets are the plan's
    target = got["单位国内生产总值能耗和二氧化碳排放分别降低13.5%、18%。"]
    assert (target.mode, target.period, target.span) == ("plan", "十四五", 5)
    after = got["国内生产总值增长6%以上。"]  # the next top heading ends it
    assert after.period != "十四五"


def test_paragraphs_are_the_stripped_lines_text_paragraphs_gives():
    from policy_nlp.text import paragraphs

    text = "  一、回顾 \n\n\u3000\u3000增长5%。\r\n \x1c\n第二行\x85尾\u2028\n\t"
    spans = [(p.start, p.end) for p in analyse(text, doc_year=2024)]
    assert spans == [(s.start, s.end) for s in paragraphs(text)]
    assert spans[:2] == [(2, 6), (11, 16)]  # 一、回顾 and 增长5%。 without their spaces
