"""Genre and reference year of a document (spec v2: "The document's reference year")."""

import pytest

from policy_nlp.patterns import plan_period
from policy_nlp.read.genre import classify, news_date, reference_year

GENRES = [
    ("2023年某市国民经济和社会发展统计公报", "", "", "stat_communique"),
    ("关于2022年某省预算执行情况与2023年预算草案的报告", "", "", "budget_report"),
    (
        "关于二〇二三年国民经济和社会发展计划执行情况与二〇二四年计划草案的报告",
        "",
        "",
        "plan_report",
    ),
    ("某省国民经济和社会发展第十五个五年规划纲要", "", "", "plan_outline"),
    ("某市餐厨垃圾管理条例", "", "", "regulation"),
    ("某省人民政府关于印发《某省数据安全管理办法（试行）》的通知", "", "", "regulation"),
    ("经济运行稳中向好", "《经济日报》（2024年05月20日第 07 版）", "", "news"),
    ("经济运行稳中向好", "", "本报讯（记者 张三）日前，市统计局发布数据。", "news"),
    (
        "全国人口最新数据公布",
        "",
        "国家统计局今日发布《中华人民共和国2022年国民经济和社会发展统计公报》。",
        "stat_communique",
    ),
    ("", "一、2021年工作回顾", "", "gov_work_report"),
]


@pytest.mark.parametrize(("title", "header", "opening", "genre"), GENRES)
def test_genre_from_title_header_or_opening(title, header, opening, genre):
    decision = classify(title, header, opening)
    assert decision is not None and decision.value == genre
    assert decision.source  # says how it was found


def test_ordinary_titles_are_left_to_the_older_rules():
    assert classify("关于加快发展数字经济的意见", "（2021年5月2日）") is None
    assert classify("政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上") is None
    # a dated scheme sets that year's targets; it is not a standing rule
    assert (
        classify("某市人民政府办公室关于印发《某市2022年数字政府建设考评办法》的通知", "") is None
    )


YEARS = [
    ("stat_communique", "2023年某市国民经济和社会发展统计公报", 2024, "", 2023),
    ("stat_communique", "数据公布", None, "发布《2022年国民经济和社会发展统计公报》", 2022),
    ("stat_communique", "某市统计公报", 2024, "", 2023),
    ("budget_report", "关于二〇二二年预算执行情况与二〇二三年预算草案的报告", None, "", 2023),
    ("plan_report", "关于2023年计划执行情况与2024年计划草案的报告", 2024, "", 2024),
    ("plan_outline", "第十五个五年规划纲要", None, "", 2026),
    ("news", "某报道", 2021, "", 2021),
    ("news", "某报道", None, "会议部署2023年重点工作。", 2023),
    ("news", "某报道", None, "提出2024年经济社会发展主要预期目标。", 2024),
]


@pytest.mark.parametrize(("genre", "title", "date_year", "opening", "year"), YEARS)
def test_reference_year_by_genre(genre, title, date_year, opening, year):
    decision = reference_year(genre, title, date_year, opening)
    assert decision is not None and decision.value == year and decision.source


def test_no_year_where_nothing_says_it():
    assert reference_year("news", "某报道", None, "市场运行平稳。") is None


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["《人民日报》（2024年05月20日第 07 版）"], "2024-05-20"),
        (["date: Mon, 18 Oct 2021 04:50:16 GMT"], "2021-10-18"),
        (["（20190308）"], "2019-03-08"),
        (["（20191308）"], None),
        (["date: not a date"], None),
    ],
)
def test_news_dates(lines, date):
    found = news_date(lines)
    assert (found.value if found else None) == date


def test_plan_periods():
    assert plan_period("“十四五”规划") == (2021, 2025)
    assert plan_period("第十五个五年规划纲要") == (2026, 2030)
    assert plan_period("第一个五年计划") == (1953, 1957)
    assert plan_period("第三个五年计划") == (1966, 1970)
    assert plan_period("工作报告") is None


def test_header_says_how_year_and_genre_were_found():
    from policy_nlp.read import header_metadata

    header = header_metadata(
        "2012年某市国民经济和社会发展统计公报\n某市统计局\n（2013年3月20日）\n全年地区生产总值3000亿元。"
    )
    assert (header.doc_type, header.year, header.date) == ("stat_communique", 2012, "2013-03-20")
    assert header.year_source == "title year (communiqué)"
    assert header.doc_type_source == "title: 统计公报"


def test_documents_table_shows_the_sources(tmp_path):
    import policy_nlp

    (tmp_path / "a.txt").write_text(
        "关于2023年某县预算执行情况和2024年预算草案的报告\n各位代表：\n全年收入100亿元。",
        encoding="utf-8",
    )
    docs = policy_nlp.run([tmp_path], jobs=1).documents
    row = docs.iloc[0]
    assert (row["doc_type"], row["year"]) == ("budget_report", 2024)
    assert row["year_source"] == "title: the year of the draft"
