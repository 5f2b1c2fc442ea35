"""``run NEW --out DIR --append``: new documents added, known texts skipped, re-runs change
nothing, topics kept, and the result is what one run over everything gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from builders import make_docx
from conftest import CORPUS
from policy_nlp import tables
from policy_nlp.batch import AppendError, run
from policy_nlp.cli import main

A = ["gov-report-2009-national", "gov-report-2010-national"]
B = ["gov-report-2011-national", "hailar-district-gov-report-2016"]
EXACT = [n for n in tables.TABLES if n != "doc_topics"]


def _batch(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / f"{name}.txt", folder / f"{name}.txt")
    return folder


def _cli(*args) -> int:
    return main(["run", *map(str, args), "--quiet", "--jobs", "1"])


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.glob("*.csv"))}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A run over A then --append B, and one run over A and B together."""
    root = tmp_path_factory.mktemp("append")
    a, b = _batch(root / "A", A), _batch(root / "B", B)
    appended, together = root / "appended", root / "together"
    assert _cli(a, "--out", appended) == 0
    first = _snapshot(appended)
    assert _cli(b, "--out", appended, "--append") == 0
    assert _cli(a, b, "--out", together) == 0
    return root, first, appended, together


def test_append_gives_what_one_run_over_everything_gives(runs):
    _, _, appended, together = runs
    for name in EXACT:
        assert (appended / f"{name}.csv").read_bytes() == (together / f"{name}.csv").read_bytes(), (
            name
        )
    docs = _read(appended, "documents")
    assert sorted(docs["doc_id"]) == sorted(A + B)
    assert len(_read(appended, "tracking")) > 0  # targets of 2010 settled by the 2011 report


def test_topic_weights_of_appended_documents(runs):
    """Topics are the saved model's; a document's weights match a joint run's to 1e-3 (the
    solver's stopping rule looks at the whole batch, so the last digits differ)."""
    _, _, appended, together = runs
    x = tables.read_csv_table(appended / "doc_topics.csv", "doc_topics")
    y = tables.read_csv_table(together / "doc_topics.csv", "doc_topics")
    merged = x.merge(y, on=["doc_id", "topic_id"], how="outer", suffixes=("_a", "_t")).fillna(0)
    assert set(merged["doc_id"]) == set(A + B)
    assert (merged["weight_a"] - merged["weight_t"]).abs().max() < 1e-3


def test_existing_rows_are_kept_as_they_were(runs):
    _, first, appended, _ = runs
    before = pd.read_csv(pd.io.common.BytesIO(first["claims.csv"][0]), encoding="utf-8-sig", dtype=str,
                         keep_default_na=False)  # fmt: skip
    after = _read(appended, "claims")
    kept = after[after["doc_id"].isin(A)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, before)
    assert (appended / "topics.csv").read_bytes() == first["topics.csv"][0]


def test_appending_again_changes_nothing(runs, capsys):
    root, _, appended, _ = runs
    before = _snapshot(appended)
    assert _cli(root / "A", root / "B", "--out", appended, "--append") == 0
    assert _snapshot(appended) == before  # not even rewritten
    assert main(["run", str(root / "A"), "--out", str(appended), "--append", "--jobs", "1"]) == 0
    assert "0 documents added, 2 already in the tables" in capsys.readouterr().err


def test_same_text_under_another_name_or_format_is_skipped(tmp_path):
    out = tmp_path / "out"
    a = _batch(tmp_path / "A", A[:1])
    assert _cli(a, "--out", out) == 0
    copies = tmp_path / "copies"
    copies.mkdir()
    text = (CORPUS / f"{A[0]}.txt").read_text(encoding="utf-8")
    (copies / "renamed.txt").write_bytes(text.encode("gb18030"))
    result = run([copies], out=out, append=True, jobs=1)
    assert result.skipped == [str(copies / "renamed.txt")]
    assert list(result.documents["doc_id"]) == [A[0]]
    assert len(result.batch) == 0


def test_new_doc_ids_do_not_collide_with_existing_ones(tmp_path):
    out = tmp_path / "out"
    first, second = tmp_path / "2023", tmp_path / "2024"
    first.mkdir()
    second.mkdir()
    (first / "report.txt").write_text(
        "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国内生产总值增长5%左右。",
        encoding="utf-8",
    )
    (second / "report.txt").write_text(
        "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国内生产总值增长5%左右。",
        encoding="utf-8",
    )
    assert _cli(first, "--out", out) == 0
    assert _cli(second, "--out", out, "--append") == 0
    docs = _read(out, "documents").set_index("doc_id")
    assert docs.loc["report", "year"] == "2023" and docs.loc["report-2", "year"] == "2024"
    claims = _read(out, "claims")
    assert sorted(claims["doc_id"]) == ["report", "report-2"]
    years = claims.set_index("doc_id")["year"]
    assert int(years["report-2"]) == int(years["report"]) + 1  # each kept its own document's year


def test_a_fixed_file_replaces_its_failed_row(tmp_path):
    out, src = tmp_path / "out", tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / f"{A[0]}.txt", src / "good.txt")
    (src / "plan.docx").write_bytes(b"PK\x03\x04 truncated download")
    assert _cli(src, "--out", out) == 1
    docs = _read(out, "documents").set_index("doc_id")
    assert docs.loc["plan", "status"] == "error"
    assert _cli(src, "--out", out, "--append") == 1  # still broken: same row, still reported
    assert len(_read(out, "documents")) == 2
    make_docx(
        src / "plan.docx", ["关于印发行动计划的通知", "到2025年，培育工业互联网平台100个以上。"]
    )
    assert _cli(src, "--out", out, "--append") == 0
    docs = _read(out, "documents").set_index("doc_id")
    assert sorted(docs.index) == ["good", "plan"] and docs.loc["plan", "status"] == "ok"
    assert "100个以上" in set(_read(out, "claims")["mention"])


def test_a_killed_append_is_finished_by_the_next_one(tmp_path, monkeypatch):
    """Killed after claims.csv but before documents.csv: those claims are orphans, dropped
    when the tables are read again, and the documents are added once."""
    a, b = _batch(tmp_path / "A", A), _batch(tmp_path / "B", B[:1])
    out, together = tmp_path / "out", tmp_path / "together"
    assert _cli(a, "--out", out) == 0
    assert _cli(a, b, "--out", together) == 0
    real = tables.write_csv

    def dies_at_documents(df, path, **kw):
        if Path(path).name == "documents.csv":
            raise KeyboardInterrupt  # the run stops here
        return real(df, path, **kw)

    monkeypatch.setattr(tables, "write_csv", dies_at_documents)
    with pytest.raises(KeyboardInterrupt):
        run([b], out=out, append=True, jobs=1)
    monkeypatch.setattr(tables, "write_csv", real)
    assert B[0] in set(_read(out, "claims")["doc_id"])  # orphans
    assert B[0] not in set(_read(out, "documents")["doc_id"])
    assert _cli(b, "--out", out, "--append") == 0
    for name in EXACT:
        assert (out / f"{name}.csv").read_bytes() == (together / f"{name}.csv").read_bytes(), name


def test_append_to_an_empty_folder_is_a_run(tmp_path):
    a = _batch(tmp_path / "A", A[:1])
    assert _cli(a, "--out", tmp_path / "new", "--append") == 0
    assert _cli(a, "--out", tmp_path / "plain") == 0
    for name in EXACT:
        assert (tmp_path / "new" / f"{name}.csv").read_bytes() == (
            tmp_path / "plain" / f"{name}.csv"
        ).read_bytes(), name


def test_refit_topics_tables_cannot_be_appended_to(tmp_path, capsys):
    a, b = _batch(tmp_path / "A", A), _batch(tmp_path / "B", B[:1])
    out = tmp_path / "out"
    assert _cli(a, "--out", out, "--refit-topics") == 0
    before = _snapshot(out)
    assert _cli(b, "--out", out, "--append") == 2
    assert "--refit-topics" in capsys.readouterr().err
    assert _snapshot(out) == before
    with pytest.raises(AppendError, match="cannot be combined"):
        run([b], out=out, append=True, refit_topics=True)


def test_a_folder_of_other_tables_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("id,value\n1,2\n", encoding="utf-8")
    assert _cli(_batch(tmp_path / "A", A[:1]), "--out", out, "--append") == 2
    assert "columns differ" in capsys.readouterr().err
    assert (out / "claims.csv").read_text(encoding="utf-8") == "id,value\n1,2\n"


def test_append_needs_saved_models(tmp_path):
    empty_models = tmp_path / "models"
    empty_models.mkdir()
    with pytest.raises(AppendError, match="saved keyword and topic models"):
        run([_batch(tmp_path / "A", A[:1])], out=tmp_path / "out", append=True, models=empty_models)
