"""The dev gold (tests/data/gold, copied from ../shared/gold) scored with our own scorer.

The floors rise as quality grows; they are measured figures minus a small margin, so a
regression of a few claims fails the build. The dev gold is never used for training.
"""

import csv

import pytest

from conftest import GOLD
from policy_nlp.claims import CLAIM_FIELDS, extract
from policy_nlp.documents import read_document
from policy_nlp.evaluate import score_files
from policy_nlp.numbers import format_decimal

FLOORS = {"detection": 0.97, "strict": 0.85, "year": 0.83, "kind": 0.85}


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("gold") / "claims.csv"
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, CLAIM_FIELDS)
        w.writeheader()
        for path in sorted((GOLD / "docs").glob("*.txt")):
            doc = read_document(path)
            for c in extract(
                doc.text, doc_id=doc.doc_id, year=doc.year, doc_type=doc.doc_type, title=doc.title
            ):
                row = c.to_dict()
                row["value"] = format_decimal(row["value"])
                row["value_high"] = (
                    "" if row["value_high"] is None else format_decimal(row["value_high"])
                )
                row["year"] = "" if row["year"] is None else row["year"]
                w.writerow(row)
    return score_files(GOLD, out)


def test_gold_has_502_claims(dev_scores):
    assert dev_scores.docs == 21
    assert dev_scores.gold == 502


def test_detection_floor(dev_scores):
    assert dev_scores.detection["f1"] >= FLOORS["detection"], dev_scores.report()


def test_strict_floor(dev_scores):
    assert dev_scores.strict["f1"] >= FLOORS["strict"], dev_scores.report()


def test_field_floors(dev_scores):
    assert dev_scores.field_accuracy["year"] >= FLOORS["year"], dev_scores.report()
    assert dev_scores.field_accuracy["kind"] >= FLOORS["kind"], dev_scores.report()
    assert dev_scores.field_accuracy["value"] >= 0.99, dev_scores.report()
