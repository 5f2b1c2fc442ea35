"""Scoring against gold: claims (overlap matching, P/R/F1, per-field accuracy) and tracking
links (target spans, link P/R/F1, status accuracy)."""

import json

import pandas as pd
import pytest

from policy_nlp import tables
from policy_nlp.cli import main
from policy_nlp.evaluate import GoldError, load_gold, locate, match, prf, score, score_tracking


def _g(start, end, **kw):
    base = {
        "mention": "x",
        "start": start,
        "end": end,
        "value": 1,
        "unit": "",
        "kind": "target",
        "optional": False,
    }
    base.update(kw)
    return base


def _p(start, end, **kw):
    base = {"mention": "x", "start": start, "end": end, "value": "1", "unit": "", "kind": "target"}
    base.update(kw)
    return base


def test_overlap_matching_is_one_to_one_nearest_first():
    golds = [_g(0, 4), _g(5, 9)]
    preds = [_p(3, 6), _p(5, 8)]
    assert sorted(match(golds, preds)) == [(0, 0), (1, 1)]


def test_optional_gold_neither_missed_nor_false():
    gold = {"d": [_g(0, 3, optional=True), _g(10, 12)]}
    s = score(gold, {"d": [_p(0, 3), _p(10, 12)]})
    assert (s.gold, s.predicted) == (1, 1)
    assert s.detection["f1"] == 1.0
    s2 = score(gold, {"d": [_p(10, 12)]})
    assert s2.detection["f1"] == 1.0


def test_strict_needs_value_unit_and_kind():
    gold = {"d": [_g(0, 3, value=70, unit="%")]}
    assert score(gold, {"d": [_p(0, 3, value="70", unit="%")]}).strict["f1"] == 1.0
    assert score(gold, {"d": [_p(0, 3, value="70", unit="")]}).strict["f1"] == 0.0
    assert score(gold, {"d": [_p(0, 3, value="7", unit="%")]}).value["f1"] == 0.0
    wrong_kind = score(gold, {"d": [_p(0, 3, value="70", unit="%", kind="achievement")]})
    assert wrong_kind.strict["f1"] == 0.0 and wrong_kind.detection["f1"] == 1.0


def test_null_gold_fields_are_not_scored():
    gold = {"d": [_g(0, 3, kind=None, year=None)]}
    s = score(gold, {"d": [_p(0, 3, kind="achievement", year="1999")]})
    assert s.strict["f1"] == 1.0
    assert "year" not in s.field_accuracy and "kind" not in s.field_accuracy


def test_document_without_claims_makes_predictions_false():
    s = score({"empty": []}, {"empty": [_p(0, 2)]})
    assert s.detection["precision"] == 0.0 and s.predicted == 1


def test_gold_located_by_context(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("增长5%，其中农村增长5%以上。", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {"mention": "5%以上", "context": "农村增长5%以上", "value": 5, "unit": "%"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    (g,) = load_gold(tmp_path)["a"]
    assert (g["start"], g["end"]) == (11, 15)


def test_locate_rejects_ambiguous_context():
    with pytest.raises(GoldError):
        locate("增长5%，增长5%", "增长5%", "5%")


def test_prf_is_zero_without_predictions_or_gold():
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(1, 2, 1) == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3)}


# ----------------------------------------------------------------------------- scoring


def _write_gold(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("目标：增长8%左右，就业900万人以上。", encoding="utf-8")
    (docs / "b.txt").write_text("去年增长9%，就业1100万人。", encoding="utf-8")
    gold = [
        {"target": {"doc_id": "a", "context": "增长8%左右", "mention": "8%左右"},
         "achievement": {"doc_id": "b", "context": "增长9%", "mention": "9%"}, "status": "met"},
        {"target": {"doc_id": "a", "context": "就业900万人以上", "mention": "900万人以上"},
         "achievement": None, "status": "unsettled"},
    ]  # fmt: skip
    links = tmp_path / "links.jsonl"
    links.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf-8")
    return links, docs


def _write_table(path, rows):
    df = pd.DataFrame(rows, columns=list(tables.COLUMNS["tracking"]))
    tables.write_csv(tables.typed(df, "tracking"), path)


def test_score_tracking_counts_links_and_status(tmp_path):
    links, docs = _write_gold(tmp_path)
    table = tmp_path / "tracking.csv"
    _write_table(table, [
        {"target_doc_id": "a", "target_start": 5, "target_end": 9, "achievement_doc_id": "b",
         "achievement_start": 4, "achievement_end": 6, "status": "met"},
        {"target_doc_id": "a", "target_start": 13, "target_end": 20, "achievement_doc_id": "b",
         "achievement_start": 10, "achievement_end": 17, "status": "met"},  # a false link
    ])  # fmt: skip
    s = score_tracking(links, docs, table)
    assert (s.targets, s.found) == (2, 2)
    assert (s.link_precision, s.link_recall) == (0.5, 1.0)
    assert s.link_f1 == pytest.approx(2 / 3)
    assert s.status_accuracy == 0.5
    assert [e["error"] for e in s.errors] == ["wrong link"]
    assert "F1 0.667" in s.report()


def test_evaluate_tracking_cli(tmp_path, capsys):
    links, docs = _write_gold(tmp_path)
    table = tmp_path / "tracking.csv"
    _write_table(table, [{"target_doc_id": "a", "target_start": 5, "target_end": 9,
                          "status": "unsettled"}])  # fmt: skip
    assert main(["evaluate-tracking", str(links), str(docs), str(table)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("targets 2 found 1; links P 0.000 R 0.000 F1 0.000")
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,start\r\na,1\r\n", encoding="utf-8")
    assert main(["evaluate-tracking", str(links), str(docs), str(bad)]) == 2
    assert "missing columns" in capsys.readouterr().err
    links.write_text('{"target": {"doc_id": "a", "context": "没有", "mention": "没有"}, '
                     '"achievement": null, "status": "unsettled"}', encoding="utf-8")  # fmt: skip
    assert main(["evaluate-tracking", str(links), str(docs), str(table)]) == 2
    err = capsys.readouterr().err
    assert "links.jsonl:1" in err and "not found" in err
