import json

import pytest

from policy_nlp.evaluate.claims import GoldError, load_gold, locate, match, score


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
