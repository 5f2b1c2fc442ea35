"""Target tracking: status rules, indicator matching, levels of government, linking, the
tokenizer it is given.

Status rules and matching cases are data tables; the matcher is measured on hand-labelled
indicator pairs from corpus reports (tests/data/indicator_pairs.tsv); the whole stage runs end
to end on the dev tracking gold (tests/data/tracking, a copy of shared/tracking).
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from conftest import CORPUS, DATA
from policy_nlp import tables
from policy_nlp.batch.runner import run, write_tables
from policy_nlp.evaluate import score_tracking
from policy_nlp.text import normalize
from policy_nlp.tracking import (
    DocInfo,
    Fact,
    LinkCache,
    describe,
    display_name,
    indicator_key,
    indicator_similarity,
    judge,
    jurisdiction,
    link,
    link_rows,
    linkable,
    polarity,
    same_indicator,
    track,
    trackable,
)
from policy_nlp.tracking.government import CENTRAL_GOVERNMENT

TRACKING = DATA / "tracking"

# ----------------------------------------------------------------------------- status rules

# value, value_high, comparator, unit, polarity, achieved -> status, gap
STATUS_CASES = [
    # floors
    (900e4, None, ">=", "人", "more", 1102e4, "met", 202e4),
    (900e4, None, ">=", "人", "more", 900e4, "met", 0),
    (900e4, None, ">=", "人", "more", 899e4, "missed", -1e4),
    (20, None, ">", "%", "more", 20, "missed", 0),
    (20, None, ">", "%", "more", 20.1, "met", 0.1),
    # ceilings
    (4.6, None, "<=", "%", "less", 4.3, "met", -0.3),
    (4.6, None, "<=", "%", "less", 4.6, "met", 0),
    (4.6, None, "<=", "%", "less", 4.7, "missed", 0.1),
    (3, None, "<", "%", "less", 3, "missed", 0),
    # a growth range is met inside or above; a less-is-better range inside or below
    (6, 6.5, "range", "%", "more", 6.2, "met", 0.2),
    (6, 6.5, "range", "%", "more", 7.0, "met", 1.0),
    (6, 6.5, "range", "%", "more", 5.9, "missed", -0.1),
    (2, 3, "range", "%", "less", 1.5, "met", -1.5),
    (2, 3, "range", "%", "less", 3.2, "missed", 0.2),
    # plain figures: floor for more-is-better, ceiling for less-is-better
    (7.5, None, "=", "%", "more", 7.7, "met", 0.2),
    (7.5, None, "=", "%", "more", 7.4, "missed", -0.1),
    (3, None, "=", "%", "less", 2.0, "met", -1.0),
    (3, None, "=", "%", "less", 3.1, "missed", 0.1),
    # 左右: half a point in %, the spec's examples
    (8, None, "~", "%", "more", 7.6, "met", -0.4),
    (8, None, "~", "%", "more", 10.3, "met", 2.3),
    (8, None, "~", "%", "more", 7.4, "missed", -0.6),
    (8, None, "~", "%", "more", 7.5, "met", -0.5),
    (3, None, "~", "%", "less", 3.3, "met", 0.3),
    (3, None, "~", "%", "less", 0.9, "met", -2.1),
    (3, None, "~", "%", "less", 3.6, "missed", 0.6),
    # 左右 in other units: 5% of the figure
    (1100e4, None, "~", "人", "more", 1050e4, "met", -50e4),
    (1100e4, None, "~", "人", "more", 1040e4, "missed", -60e4),
    (2.8e12, None, "~", "元", "less", 2.9e12, "met", 0.1e12),
    (2.8e12, None, "~", "元", "less", 3.0e12, "missed", 0.2e12),
]


@pytest.mark.parametrize(
    "value,high,comp,unit,pol,achieved,status,gap",
    STATUS_CASES,
    ids=[f"{c[2]}{c[0]:g}{c[3]}-{c[4]}-{c[5]:g}" for c in STATUS_CASES],
)
def test_status_rules(value, high, comp, unit, pol, achieved, status, gap):
    got_status, got_gap = judge(
        value=value, value_high=high, comparator=comp, unit=unit, polarity=pol, achieved=achieved
    )
    assert got_status == status
    assert got_gap == pytest.approx(gap, abs=1e-6)


def test_judge_rejects_bad_arguments():
    with pytest.raises(ValueError, match="comparator"):
        judge(value=1, value_high=None, comparator="?", unit="%", polarity="more", achieved=1)
    with pytest.raises(ValueError, match="polarity"):
        judge(value=1, value_high=None, comparator="=", unit="%", polarity="up", achieved=1)


@pytest.mark.parametrize(
    "name,change,expected",
    [
        ("国内生产总值", "up", "more"),
        ("城镇新增就业", "", "more"),
        ("居民消费价格涨幅", "up", "less"),
        ("居民消费价格总水平", "up", "less"),
        ("CPI", "up", "less"),
        ("城镇登记失业率", "", "less"),
        ("城镇调查失业率", "", "less"),
        ("赤字率", "", "less"),
        ("单位国内生产总值能耗", "", "less"),
        ("单位国内生产总值能耗", "down", "more"),  # a reduction is the goal
        ("化学需氧量排放量", "down", "more"),
        ("进出口", "up", "more"),
    ],
)
def test_polarity_convention(name, change, expected):
    assert polarity(name, change) == expected


# ----------------------------------------------------------------------------- indicators

MATCH_CASES = [
    ("国内生产总值", "经济增速", True),
    ("国内生产总值增长", "GDP增长", True),
    ("提出国内生产总值", "地区生产总值", True),
    ("城镇新增就业", "新增就业", True),
    ("居民消费价格总水平涨幅", "居民消费价格涨幅", True),
    ("居民消费价格涨幅", "CPI", True),
    ("细颗粒物（PM2.5）年均浓度", "PM2.5浓度", True),
    ("中央财政拟安排保障性安居工程资金", "中央财政安排保障性安居工程补助资金", True),
    ("城镇登记失业率", "城镇调查失业率", False),
    ("城镇新增就业", "城镇登记失业率", False),
    ("城镇居民人均可支配收入", "农村居民人均纯收入", False),
    ("进出口", "出口", False),
    ("国内生产总值", "人均国内生产总值", False),
    ("国内生产总值", "单位国内生产总值能耗", False),
    ("国内生产总值", "服务业增加值在国内生产总值中的比重", False),
    ("消费对经济增长贡献率", "工业对经济增长贡献率", False),
    ("中央财政安排", "中央财政拟安排补贴资金", False),
]


@pytest.mark.parametrize("a,b,same", MATCH_CASES)
def test_matching_cases(a, b, same):
    assert same_indicator(a, b) is same
    assert same_indicator(b, a) is same  # symmetric


def test_indicator_key_and_display_name():
    assert indicator_key("经济增长速度") == indicator_key("国内生产总值增长")
    assert str(indicator_key("城镇新增就业人数")) == "城镇新增就业"
    assert display_name("提出居民消费价格涨幅") == "居民消费价格"
    assert display_name("国内生产总值增长") == "国内生产总值"
    assert display_name("在我们这样一个") == "在我们这样一个"  # nothing to strip: as written


def _pairs():
    lines = (DATA / "indicator_pairs.tsv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader((ln for ln in lines if not ln.startswith("#")), delimiter="\t"))
    return rows[1:]


def _precision_recall(rows):
    tp = fp = fn = 0
    for a, b, same, _ in rows:
        pred, gold = same_indicator(a, b), same == "1"
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
    return tp / (tp + fp), tp / (tp + fn)


def test_labelled_pairs_come_from_corpus_reports_outside_the_dev_gold():
    dev = re.compile(r"gov-report-20(?:09|10|11|12)-national")
    texts = {
        p.stem: normalize(p.read_text(encoding="utf-8"))
        for p in CORPUS.glob("*.txt")
        if not dev.search(p.stem)
    }
    rows = _pairs()
    assert len(rows) >= 100
    assert {r[2] for r in rows} == {"0", "1"}
    for a, b, _, where in rows:
        doc_a, doc_b = (w.strip() for w in where.split("/"))
        for name, doc in ((a, doc_a), (b, doc_b)):
            assert not dev.search(doc)
            flat = re.sub(r"[（）()“”]", "", texts[doc])
            assert (
                re.sub(r"[（）()“”]", "", normalize(name)).replace("、", "")
                in flat.replace("、", "")
                or name.split("、")[0] in texts[doc]
            ), (name, doc)


def test_matcher_precision_and_recall_on_labelled_pairs():
    rows = _pairs()
    wordings, claim_names = rows[:80], rows[80:]
    # measured: wordings P 1.000 R 0.975; extractor's names P 0.909 R 0.625; all P 0.980 R 0.875
    p, r = _precision_recall(wordings)
    assert p >= 0.95 and r >= 0.95, (p, r)
    p, r = _precision_recall(claim_names)
    assert p >= 0.85 and r >= 0.6, (p, r)


# ----------------------------------------------------------------------------- government


@pytest.mark.parametrize(
    "issuer,title,expected",
    [
        ("国务院", "政府工作报告", ("中国", "", "")),
        ("中共中央 国务院", "", ("中国", "", "")),
        ("安徽省人民政府", "", ("安徽省", "", "")),
        ("安徽省人民政府办公厅", "", ("安徽省", "", "")),
        ("北京市经济和信息化局", "", ("北京市", "", "")),
        ("广西壮族自治区人民政府", "", ("广西壮族自治区", "", "")),
        ("呼伦贝尔市海拉尔区人民政府", "", ("", "呼伦贝尔市", "海拉尔区")),
        ("", "2026年湖北省政府工作报告", ("湖北省", "", "")),
        ("", "政府工作报告", ("", "", "")),
    ],
)
def test_jurisdiction(issuer, title, expected):
    assert jurisdiction(issuer, title) == expected


# ----------------------------------------------------------------------------- facts


def _claim(doc_id, start, mention, value, unit, kind, year, change, indicator, sentence, **kw):
    d = dict(
        doc_id=doc_id, start=start, end=start + len(mention), mention=mention, value=value,
        value_high=None, unit=unit, comparator="=", kind=kind, year=year, change=change,
        indicator=indicator, sentence=sentence,
    )  # fmt: skip
    d.update(kw)
    return d


def test_describe_reads_the_name_after_the_figure():
    s = "这里要着重说明，提出８％左右的国内生产总值增长目标，综合考虑了发展的需要和可能。"
    c = _claim("d", 9, "８％左右", 8, "%", "target", 2009, "", "提出", s, comparator="~")
    (f,) = describe([c])
    assert str(f.key) == "国内生产总值"
    assert f.change == "up"  # 增长目标: a growth


def test_describe_splits_enumerations():
    s = "城镇居民人均可支配收入１７１７５元，农村居民人均纯收入５１５３元，实际增长９．８％和８．５％。"
    rows = [
        _claim(
            "d",
            11,
            "１７１７５元",
            17175,
            "元",
            "achievement",
            2009,
            "",
            "城镇居民人均可支配收入",
            s,
        ),
        _claim("d", 27, "５１５３元", 5153, "元", "achievement", 2009, "", "农村居民人均纯收入", s),
        _claim("d", 37, "９．８％", 9.8, "%", "achievement", 2009, "up", "实际", s),
        _claim("d", 42, "８．５％", 8.5, "%", "achievement", 2009, "up", "实际", s),
    ]
    facts = describe(rows)
    assert [str(f.key) for f in facts[2:]] == ["城镇居民人均可支配收入", "农村居民人均收入"]
    s2 = "化学需氧量、二氧化硫排放量分别减少４．４２％和５．９５％。"
    rows = [
        _claim(
            "d",
            14,
            "４．４２％",
            4.42,
            "%",
            "achievement",
            2008,
            "down",
            "化学需氧量、二氧化硫排放量",
            s2,
        ),
        _claim(
            "d",
            20,
            "５．９５％",
            5.95,
            "%",
            "achievement",
            2008,
            "down",
            "化学需氧量、二氧化硫排放量",
            s2,
        ),
    ]
    assert [f.indicator for f in describe(rows)] == ["化学需氧量", "二氧化硫排放量"]
    s3 = "城镇、农村常住居民人均可支配收入分别增长4.4%、5.9%。"
    name = "城镇、农村常住居民人均可支配收入"
    rows = [
        _claim("d", 21, "4.4%", 4.4, "%", "achievement", 2025, "up", name, s3),
        _claim("d", 26, "5.9%", 5.9, "%", "achievement", 2025, "up", name, s3),
    ]
    assert [str(f.key) for f in describe(rows)] == ["城镇居民人均可支配收入", "农村居民人均收入"]


def test_describe_scope_reads_the_paragraph():
    text = "——这五年，社会事业加快发展。城镇新增就业5771万人。\n过去一年，城镇新增就业1168万人，国内生产总值年均增长11.2%。"
    s1, s2 = "城镇新增就业5771万人。", "过去一年，城镇新增就业1168万人，国内生产总值年均增长11.2%。"
    rows = [
        _claim(
            "d",
            text.index("5771"),
            "5771万人",
            5771e4,
            "人",
            "achievement",
            2010,
            "",
            "城镇新增就业",
            s1,
        ),
        _claim(
            "d",
            text.index("1168"),
            "1168万人",
            1168e4,
            "人",
            "achievement",
            2010,
            "",
            "城镇新增就业",
            s2,
        ),
        _claim(
            "d",
            text.index("11.2"),
            "11.2%",
            11.2,
            "%",
            "achievement",
            2010,
            "up",
            "国内生产总值",
            s2,
        ),
    ]
    assert [f.scope for f in describe(rows, text)] == ["period", "year", "period"]
    # without the text only the sentence is read: the five-year total looks like one year's
    assert [f.scope for f in describe(rows)] == ["year", "year", "period"]


# ----------------------------------------------------------------------------- linking


def _fact(doc_id, start, kind, year, value, unit="%", change="up", indicator="国内生产总值", **kw):
    return Fact(
        doc_id=doc_id, start=start, end=start + 3, mention=f"{value}{unit}", kind=kind, year=year,
        value=value, value_high=kw.pop("value_high", None), unit=unit,
        comparator=kw.pop("comparator", "~"), change=change, indicator=indicator,
        scope=kw.pop("scope", "year"), key=indicator_key(indicator),
    )  # fmt: skip


DOCS = pd.DataFrame(
    [
        {"doc_id": "n2010", "year": 2010, "issuer": "国务院", "title": "政府工作报告"},
        {"doc_id": "n2011", "year": 2011, "issuer": "国务院", "title": "政府工作报告"},
        {"doc_id": "d2011", "year": 2011, "issuer": "呼伦贝尔市海拉尔区人民政府", "title": ""},
        {"doc_id": "p2011", "year": 2011, "issuer": "安徽省人民政府", "title": ""},
    ]
)


def _one(facts):
    df = link(facts, DOCS)
    assert list(df.columns) == list(tables.COLUMNS["tracking"])
    return df.iloc[0]


def test_link_settles_a_target_with_the_later_report():
    row = _one([
        _fact("n2010", 10, "target", 2010, 8, indicator="国内生产总值"),
        _fact("n2011", 50, "achievement", 2010, 10.3, indicator="经济增速"),
    ])  # fmt: skip
    assert (row["achievement_doc_id"], row["status"]) == ("n2011", "met")
    assert row["gap"] == pytest.approx(2.3)
    assert row["achieved_value"] == pytest.approx(10.3)


@pytest.mark.parametrize(
    "achievement",
    [
        _fact("d2011", 50, "achievement", 2010, 10.3),  # a district never settles a national target
        _fact("p2011", 50, "achievement", 2010, 10.3),  # nor a province
        _fact("n2011", 50, "achievement", 2011, 10.3),  # another year
        _fact("n2011", 50, "achievement", 2010, 39.8e12, unit="元", change=""),  # a level, in 元
        _fact("n2011", 50, "achievement", 2010, 10.3, change=""),  # a level never settles growth
        _fact("n2011", 50, "achievement", 2010, 11.2, scope="period"),  # 年均 over five years
        _fact("n2011", 50, "achievement", 2010, 10.3, indicator="城镇新增就业"),
        _fact("n2010", 50, "achievement", 2010, 10.3),  # the target's own document
    ],
)
def test_link_refuses(achievement):
    row = _one([_fact("n2010", 10, "target", 2010, 8), achievement])
    assert row["status"] == "unsettled"
    assert pd.isna(row["achievement_doc_id"]) or row["achievement_doc_id"] == ""
    assert pd.isna(row["gap"])


def test_link_counts_a_fall_as_negative_growth_and_names_with_no_unit_as_counts():
    row = _one([
        _fact("n2010", 10, "target", 2010, 4, indicator="居民消费价格涨幅"),
        _fact("n2011", 50, "achievement", 2010, 0.7, change="down", indicator="居民消费价格"),
    ])  # fmt: skip
    assert (row["status"], row["achieved_value"], row["gap"]) == ("met", -0.7, -4.7)
    row = _one([
        _fact("n2010", 10, "target", 2010, 900e4, unit="人", change="", comparator=">=", indicator="城镇新增就业"),
        _fact("n2011", 50, "achievement", 2010, 1168e4, unit="", change="", indicator="新增就业"),
    ])  # fmt: skip
    assert row["status"] == "met"


def test_link_prefers_the_closest_name():
    row = _one([
        _fact("n2010", 10, "target", 2010, 8, indicator="居民消费价格涨幅"),
        _fact("n2011", 40, "achievement", 2010, 3.3, indicator="居民消费价格涨幅"),
        _fact("n2011", 60, "achievement", 2010, 10.3, indicator="国内生产总值"),
    ])  # fmt: skip
    assert row["achievement_start"] == 40


_NATIONAL = {
    f"n{y}": DocInfo(y, CENTRAL_GOVERNMENT) for y in (2010, 2011, 2012)
}  # the State Council's reports of 2010-2012


def test_link_takes_the_first_qualifying_achievement_of_a_name_in_rank_order():
    """A key's achievements are tried in rank order (nearest year, then document order): one
    that fails (a level, for a growth target) gives way to the next, and a later report's
    figure never beats the nearest report's."""
    facts = [
        _fact("n2010", 10, "target", 2010, 8),
        _fact("n2012", 5, "achievement", 2010, 9.5),  # a later report: not the nearest year
        _fact("n2011", 60, "achievement", 2010, 10.3),
        _fact("n2011", 40, "achievement", 2010, 39.8e12, unit="元", change=""),  # a level
        _fact("n2011", 30, "achievement", 2011, 9.2),  # the report's own year: never an outcome
    ]
    (row,) = link_rows(facts, _NATIONAL)
    assert (row["achievement_doc_id"], row["achievement_start"]) == ("n2011", 60)
    (row,) = link_rows([f for f in facts if f.start != 60], _NATIONAL)
    assert (row["achievement_doc_id"], row["achievement_start"]) == ("n2012", 5)


def test_a_link_cache_keeps_name_pairs_across_calls(monkeypatch):
    """One ``LinkCache`` for a run's calls (a partition each): a pair of names is compared once
    per run, and the rows are those of calls without it."""
    import importlib

    link_module = importlib.import_module("policy_nlp.tracking.link")  # the module, not link()
    calls = []
    real = link_module.same_indicator
    monkeypatch.setattr(
        link_module, "same_indicator", lambda a, b, **kw: calls.append((a, b)) or real(a, b, **kw)
    )
    first = [
        _fact("n2010", 10, "target", 2010, 8, indicator="国内生产总值"),
        _fact("n2011", 50, "achievement", 2010, 10.3, indicator="经济增速"),
    ]
    second = [
        _fact("n2011", 10, "target", 2011, 8, indicator="国内生产总值"),
        _fact("n2012", 50, "achievement", 2011, 9.2, indicator="经济增速"),
    ]
    cache = LinkCache()
    rows = [list(link_rows(facts, _NATIONAL, cache=cache)) for facts in (first, second)]
    assert len(calls) == 1  # the second partition's pair was known
    assert rows == [list(link_rows(facts, _NATIONAL)) for facts in (first, second)]
    assert [r[0]["achievement_doc_id"] for r in rows] == ["n2011", "n2012"]


def test_track_from_tables_matches_the_pipeline(tracking_run):
    result, _ = tracking_run
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (TRACKING / "docs").glob("*.txt")}
    again = track(result.claims, result.documents, texts)
    pd.testing.assert_frame_equal(again, result.tracking)
    # without the texts, ——这五年，…。城镇新增就业5771万人 looks like one year's figure
    bare = track(result.claims, result.documents)
    assert (bare["achievement_mention"] == "5771万人").sum() == 1


# ----------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def tracking_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tracking")
    return run([TRACKING / "docs"], out=out, jobs=1), out


def test_run_writes_a_typed_tracking_table(tracking_run):
    result, out = tracking_run
    df = result.tracking
    assert list(df.columns) == list(tables.COLUMNS["tracking"])
    # one row per target claim (a difference between two years' targets is none)
    assert 0 < len(df) <= (result.claims["kind"] == "target").sum()
    assert set(df["status"]) <= {"met", "missed", "unsettled"}
    unsettled = df["status"] == "unsettled"
    assert df.loc[unsettled, "gap"].isna().all()
    assert df.loc[~unsettled, "gap"].notna().all()
    assert str(df["target_value"].dtype) == "Float64" and str(df["year"].dtype) == "Int64"
    on_disk = tables.read_csv_table(out / "tracking.csv", "tracking")
    assert len(on_disk) == len(df)


def test_dev_gold_end_to_end_floor(tracking_run):
    _, out = tracking_run
    scores = score_tracking(TRACKING / "links.jsonl", TRACKING / "docs", out / "tracking.csv")
    assert scores.targets == 21 and scores.found == 21
    # Measured with the current claim extractor: link F1 1.000, status accuracy 1.000 (the
    # issue's bar is 0.90). Early extractors read the 2011 report's review of 2010
    # (过去一年，…国内生产总值增长10.3%…) as 2011 targets; the next test keeps the tracking
    # code honest on its own, with those claims set right by hand.
    assert scores.link_f1 >= 0.95, scores.report()
    assert scores.status_accuracy >= 0.95, scores.report()


def test_dev_gold_with_the_review_sentence_read_as_achievements(tracking_run, tmp_path):
    result, _ = tracking_run
    claims = result.claims.copy()
    fix = claims["doc_id"].str.contains("2011") & claims["sentence"].str.startswith(
        "国内生产总值增长10.3%"
    )
    assert fix.sum() == 3
    claims.loc[fix, "kind"] = "achievement"
    claims.loc[fix, "year"] = 2010
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (TRACKING / "docs").glob("*.txt")}
    tables.write_csv(track(claims, result.documents, texts), tmp_path / "tracking.csv")
    scores = score_tracking(TRACKING / "links.jsonl", TRACKING / "docs", tmp_path / "tracking.csv")
    assert scores.link_f1 >= 0.9 and scores.status_accuracy >= 0.9, scores.report()


NATIONAL = DATA / "panel" / "national"


def test_national_chain_link_floor(tmp_path):
    """State Council reports 2009-2018, link gold written by hand from reference.csv and the
    texts (one gold target per headline target; the explanation's restatements are no targets
    of their own). Measured: link F1 0.660 before the tracking rules of issue 14 (restatements
    collapsed, differences between targets dropped, a report's own year never its outcome),
    0.747 after; precision is held down by links of targets outside the headline reference
    (粮食, 饮水, 棚户区 …), which the gold does not cover."""
    run([NATIONAL / "docs"], out=tmp_path, jobs=1)
    scores = score_tracking(NATIONAL / "links.jsonl", NATIONAL / "docs", tmp_path / "tracking.csv")
    assert scores.found == scores.targets == 77, scores.report()
    assert scores.link_recall >= 0.93, scores.report()
    # precision counts links of targets the gold leaves out (non-headline ones): 0.667 measured
    assert scores.link_f1 >= 0.65, scores.report()
    assert scores.status_accuracy >= 0.98, scores.report()


EXCERPTS = DATA / "tracking_excerpts"


def test_excerpt_chains_link_floor(tmp_path):
    """Excerpt chains annotated blind (State Council 2013-2018, 海拉尔区 2017-2019; every target
    of the excerpts, restatements included). First scoring before the errors were read: link F1
    0.733, status 0.785 (FIRST_SCORING.txt); 0.959 and 0.962 after the rules the errors showed
    (a work report naming no government that speaks as the nation; one figure shared by an
    enumeration's pieces; differences listed but never linked)."""
    run([EXCERPTS / "docs"], out=tmp_path, jobs=1)
    scores = score_tracking(EXCERPTS / "links.jsonl", EXCERPTS / "docs", tmp_path / "tracking.csv")
    assert scores.link_precision >= 0.95 and scores.link_f1 >= 0.93, scores.report()
    assert scores.status_accuracy >= 0.93, scores.report()


def _target(start, indicator, value, *, year=2017, doc="d", unit="万人"):
    return Fact(doc, start, start + 4, "m", "target", year, value, None, unit, ">=", "", indicator)


def test_a_difference_between_targets_is_never_linked_and_restatements_keep_their_rows():
    facts = [
        _target(0, "财政赤字率一直", 3, unit="%"),
        _target(10, "城镇新增就业", 1100),
        _target(20, "城镇新增就业预期目标比去年多", 100),
        _target(30, "赤字率", 3, unit="%"),
        _target(40, "城镇新增就业", 1100),
        _target(50, "城镇新增就业", 1000, year=2018),
    ]
    kept = [f.start for f in trackable(facts)]
    # every target keeps its row (spec/tracking.md: one row per target; the panel, not
    # tracking.csv, collapses restatements); 比去年多 is listed but no outcome settles it
    assert kept == [0, 10, 20, 30, 40, 50]
    assert [f.start for f in facts if not linkable(f)] == [20]
    outcome = Fact("e", 0, 4, "m", "achievement", 2017, 1300, None, "万人", "=", "", "城镇新增就业")
    docs = {"d": DocInfo(2017, CENTRAL_GOVERNMENT), "e": DocInfo(2018, CENTRAL_GOVERNMENT)}
    rows = {r["target_start"]: r for r in link_rows([*facts, outcome], docs)}
    assert rows[20]["status"] == "unsettled" and not rows[20].get("achievement_doc_id")
    assert rows[40]["status"] == "met"  # the same indicator's own target is settled


# ----------------------------------------------------------------------------- tokenizer


class _CharTokenizer:
    """A tokenizer that cuts every character apart, and notes what it cut."""

    def __init__(self):
        self.cut_texts = []

    def cut(self, text):
        self.cut_texts.append(text)
        return list(text)


def test_names_are_cut_with_the_tokenizer_given():
    # names the synonym table does not know, with no character bigram in common
    a, b = "甲乙丙丁", "丁丙乙甲"
    assert (indicator_key(a).rest, indicator_key(b).rest) == (a, b)
    tk = _CharTokenizer()
    assert indicator_similarity(a, b, tokenizer=tk) == 1.0  # the same characters, as tokens
    assert same_indicator(a, b, tokenizer=tk)
    assert {a, b} <= set(tk.cut_texts)
    assert indicator_similarity(a, b) < 1.0  # the default backend's words differ


@pytest.mark.parametrize("how", ["run", "write_tables", "append"])
def test_the_run_tokenizer_reaches_tracking(monkeypatch, tmp_path, how):
    from policy_nlp.tracking import indicators

    asked = []
    factory = indicators.get_tokenizer

    def spy(*args):
        asked.append(args)
        return factory(*args)

    monkeypatch.setattr(indicators, "get_tokenizer", spy)
    docs = [TRACKING / "docs"]
    if how == "write_tables":
        write_tables(docs, tmp_path, jobs=1, tokenizer="jieba")
    else:
        run(docs, out=tmp_path, jobs=1, tokenizer="jieba")
    if how == "append":  # the documents are there already; the tables are linked again
        asked.clear()
        run(docs, out=tmp_path, jobs=1, tokenizer="jieba", append=True)
    assert asked and set(asked) == {("jieba",)}  # never the default backend


# ----------------------------------------------------------------------------- scope by section

_FIVE_YEAR_REVIEW = (
    "2018年政府工作报告\n"
    "一、过去五年工作回顾\n"
    "农业基础巩固。粮食产量去年达到12358亿斤。解决农村人口饮水安全问题，新建改建农村公路127万公里。\n"
    "地区生产总值达到82.7万亿元。\n"
    "二、2018年经济社会发展总体要求\n"
    "新建改建农村公路20万公里。\n"
)


def test_a_five_year_review_section_makes_its_totals_period_figures():
    from policy_nlp.tracking.scope import DocLayout, figure_scope

    layout = DocLayout.of(_FIVE_YEAR_REVIEW)

    def scope_of(figure: str, **kw) -> str:
        at = _FIVE_YEAR_REVIEW.index(figure)
        return figure_scope(layout, at, "", 0, **kw)

    # a total of the five years (新建改建) under 一、过去五年工作回顾, though a sentence
    # before speaks of 去年 (that cue holds for its own sentence only)
    assert scope_of("127万公里", indicator="新建改建农村公路") == "period"
    assert scope_of("12358亿斤", indicator="粮食产量") == "year"  # 去年 in its sentence
    # a level reached at the end of the five years is the last year's value
    assert scope_of("82.7万亿元", indicator="地区生产总值") == "year"
    # the next top-level heading names one year: the section's period scope ends there
    assert scope_of("20万公里", indicator="新建改建农村公路") == "year"
    # a change in the review section is a period figure
    assert scope_of("82.7万亿元", indicator="地区生产总值", change="up") == "period"


def test_a_year_named_in_a_paragraph_lead_keeps_its_figures_annual():
    from policy_nlp.tracking.scope import DocLayout, figure_scope

    text = (
        "“十四五”时期工作回顾\n刚刚过去的2025年，全省顺利完成全年目标任务。地区生产总值增长5.8%。\n"
    )
    at = text.index("5.8%")
    assert figure_scope(DocLayout.of(text), at, "", 0, change="up") == "year"


def test_a_change_against_an_older_base_year_is_a_period_figure():
    from policy_nlp.tracking.scope import DocLayout, figure_scope

    text = "——经济跨上新台阶。2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%，比上年增长11.4%。\n"
    layout = DocLayout.of(text)
    at_cumulative, at_annual = text.index("65.5%"), text.index("11.4%")
    assert figure_scope(layout, at_cumulative, "", 0, change="up", year=2007) == "period"
    assert figure_scope(layout, at_annual, "", 0, change="up", year=2007) == "year"


def test_a_paragraph_lead_naming_its_time_sets_the_scope_of_the_paragraphs_after_it():
    from policy_nlp.tracking.scope import DocLayout, figure_scope

    text = (
        "一、“十四五”时期和2025年工作回顾\n"
        "过去的五年极不寻常。\n"
        "民生福祉不断增进。城镇新增就业603.7万人。\n"
        "各位代表，刚刚过去的2025年，全省上下攻坚克难。\n"
        "民生优先有效落实。城镇新增就业121.7万人。\n"
    )
    layout = DocLayout.of(text)
    five_years, one_year = text.index("603.7万人"), text.index("121.7万人")
    assert figure_scope(layout, five_years, "", 0, indicator="城镇新增就业") == "period"
    assert figure_scope(layout, one_year, "", 0, indicator="城镇新增就业") == "year"
