"""``run --no-tracking`` (``tracking=False``): claims, keywords and topics only. The other
tables are byte for byte those of a full run, no tracking.csv or panel.csv is written (an
earlier run's are removed), and ``load`` reads such a folder with empty typed tables."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import policy_nlp
from pinned_tables import PINS
from policy_nlp import tables
from policy_nlp.batch import run
from policy_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]
SERIES = "tests/data/series/docs"  # relative, as the pins ran it: documents.csv keeps the path
TRACKING = ("tracking.csv", "panel.csv")


@pytest.fixture(scope="module")
def untracked(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("untracked")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        status = main(["run", SERIES, "--out", str(out), "--quiet", "--jobs", "2", "--no-tracking"])
    finally:
        os.chdir(cwd)
    assert status == 0
    return out


def test_no_tracking_or_panel_file(untracked):
    assert not any((untracked / name).exists() for name in TRACKING)


def test_other_tables_equal_a_full_runs(untracked):
    pinned = json.loads(PINS.read_text(encoding="utf-8"))
    written = sorted(p.name for p in untracked.glob("*.csv"))
    expected = sorted(n.split("/")[1] for n in pinned if n.startswith("series/"))
    assert written == [n for n in expected if n not in TRACKING]
    for name in written:
        digest = hashlib.sha256((untracked / name).read_bytes()).hexdigest()
        assert digest == pinned[f"series/{name}"], name


def test_load_reads_the_folder_with_empty_typed_tracking(untracked):
    result = policy_nlp.load(untracked)
    assert not result.tracked
    assert result.tracking.empty and result.panel.empty
    assert list(result.tracking.columns) == list(tables.COLUMNS["tracking"])
    assert str(result.tracking["year"].dtype) == "Int64"
    assert len(result.claims) > 0 and "no tracking" in repr(result)


def test_overwrite_removes_an_earlier_runs_tracking(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / SERIES, docs)
    for name in os.listdir(docs)[2:]:
        (docs / name).unlink()
    out = tmp_path / "out"
    assert main(["run", str(docs), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert all((out / name).is_file() for name in TRACKING)
    args = ["run", str(docs), "--out", str(out), "--quiet", "--jobs", "1", "--no-tracking"]
    assert main([*args, "--overwrite", "-f", "xlsx"]) == 0
    assert not any((out / name).exists() for name in TRACKING)
    from openpyxl import load_workbook

    sheets = load_workbook(out / "tables.xlsx", read_only=True).sheetnames
    assert "claims" in sheets and "tracking" not in sheets


def test_run_tracking_false_in_memory_and_append(tmp_path):
    docs = sorted((ROOT / SERIES).glob("gwr*.txt"))
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for f in docs[:2]:
        shutil.copy(f, first)
    for f in docs[2:3]:
        shutil.copy(f, second)
    out = tmp_path / "out"
    result = run([first], out=out, jobs=1, tracking=False)
    assert result.tracking.empty and result.panel.empty and not result.tracked
    assert not any((out / name).exists() for name in TRACKING)
    assert len(result.claims) > 0
    # appending with tracking links every document, the earlier ones too
    tracked = run([second], out=out, jobs=1, append=True)
    assert (out / "tracking.csv").is_file() and len(tracked.tracking) > 0
    assert set(tracked.tracking["target_doc_id"]) & {f.stem for f in docs[:2]}
    # and appending without it removes the tracking files, which would no longer hold
    again = tmp_path / "c"
    again.mkdir()
    shutil.copy(docs[3], again)
    run([again], out=out, jobs=1, append=True, tracking=False)
    assert not any((out / name).exists() for name in TRACKING)
    assert len(policy_nlp.load(out).documents) == 4


def test_outcomes_without_tracking_is_a_usage_error(tmp_path, capsys):
    outcomes = tmp_path / "nbs.csv"
    outcomes.write_text("region,year,indicator,value\n全国,2013,gdp_growth,7.7\n", encoding="utf-8")
    args = ["run", str(ROOT / SERIES), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*args, "--no-tracking", "--outcomes", str(outcomes)]) == 2
    assert "--no-tracking" in capsys.readouterr().err
    assert not (tmp_path / "out" / "documents.csv").exists()
