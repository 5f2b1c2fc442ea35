"""Hostile inputs and a hostile environment (issue 17): no single file can stall, exhaust or
subvert a batch. Limits per document, watched workers, formula-safe cells, exact values,
file names that are not UTF-8, links out of the inputs, the output folder's lock, one-line
errors. Time and memory figures are measured by ``bench/fault_suite.py``, not here."""

from __future__ import annotations

import csv
import fcntl
import os
import zipfile
from pathlib import Path

import pytest

from builders import make_docx
from policy_nlp import load, tables
from policy_nlp.batch import RunConfig, write_tables
from policy_nlp.batch.lock import LOCK_NAME, output_lock
from policy_nlp.batch.supervise import map_supervised
from policy_nlp.cli import main
from policy_nlp.read import DocumentError, display_path, find_inputs, read_document, real_path
from policy_nlp.read.discover import discover
from policy_nlp.read.limits import Limits

GOOD = "全市经济运行报告\n2023年全市地区生产总值达到4.32万亿元，比上年增长5.5%。\n"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def _cells(folder: Path):
    for f in sorted(folder.glob("*.csv")):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for row in reader:
                yield f.stem, dict(zip(header, row, strict=True))


# ----------------------------------------------------------------------------- formula-safe cells


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", " =x", "  @x", " plain", "plain", "", "="],
)
def test_formula_safe_cells_never_start_a_formula_and_read_back_exactly(text):
    cell = tables.formula_safe(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert tables.formula_plain(cell) == text


def test_no_csv_cell_of_a_run_starts_a_formula_and_load_gives_the_originals(tmp_path):
    inp = _good(tmp_path / "in")
    payload = (
        '标题\n=HYPERLINK("http://evil.example","点击")全年粮食产量增长5%。\n'
        "+cmd|' /C calc' 产值达到3亿元。\n"
    )
    for name in ("=1+1.txt", "@evil.txt"):
        (inp / name).write_text(payload, encoding="utf-8")
    out = tmp_path / "out"
    write_tables([inp], out, jobs=1)
    numeric = {n for t in tables.TABLES for n, d in tables.COLUMNS[t].items() if d != "string"}
    risky = [
        (table, name, value)
        for table, row in _cells(out)
        for name, value in row.items()
        if value.startswith(FORMULA_STARTS) and name not in numeric
    ]
    assert risky == []
    saved = load(out)
    assert {"=1+1", "@evil"} <= set(saved.documents["doc_id"])
    assert "=" in set(saved.claims["comparator"])
    assert saved.claims["sentence"].str.startswith("=HYPERLINK").any()
    assert saved.claims["sentence"].str.startswith("+cmd").any()


# ----------------------------------------------------------------------------- exact values


def test_values_above_2_to_53_are_written_exactly(tmp_path):
    inp = _good(tmp_path / "in")
    (inp / "big.txt").write_text(
        "标题\n2023年财政收入达到12345678901234567元。\n", encoding="utf-8"
    )
    write_tables([inp], tmp_path / "out", jobs=1)
    values = [row["value"] for t, row in _cells(tmp_path / "out") if t == "claims"]
    assert "12345678901234567" in values
    assert "4320000000000" in values


# ----------------------------------------------------------------------------- limits per document


def test_docx_over_its_unpacked_size_is_refused_before_unpacking(tmp_path):
    f = make_docx(tmp_path / "a.docx", ["标题"] + ["增长5%。" * 500] * 200)
    assert f.stat().st_size < 2**20 // 4  # compressed, far below the limit
    with pytest.raises(DocumentError, match="unpacks to 2 MB, over the limit of 1 MB"):
        read_document(f, limits=Limits(docx_max_mb=1))


def test_docx_with_too_many_elements_is_refused(tmp_path):
    f = make_docx(tmp_path / "a.docx", ["标题"] + ["增长5%。"] * 50)
    with pytest.raises(DocumentError, match="more than 20 XML elements"):
        read_document(f, limits=Limits(docx_max_elements=20))
    assert read_document(f).text.startswith("标题")


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("标题\n" + "增长5%。" * 300_000, encoding="utf-8")
    with pytest.raises(DocumentError, match="over the limit of 1 MB"):
        read_document(f, limits=Limits(max_file_mb=1))


def _work(item, shared):
    if item == "sleep":
        import time

        time.sleep(60)
    if item == "die":
        os.kill(os.getpid(), 9)
    return item.upper()


def _failed(item, reason):
    return f"failed {item}: {reason}"


def test_a_document_over_the_time_limit_or_whose_worker_dies_fails_alone():
    chunks = [["a", "sleep", "b"], ["die", "c"], ["d"]]
    out = list(
        map_supervised(
            _work, chunks, shared=None, failed=_failed, jobs=2, time_limit=1.5, memory_limit=None
        )
    )
    assert out[0][0] == "A" and out[0][2] == "B"
    assert "time limit of 1.5 s" in out[0][1]
    assert out[1][0].startswith("failed die: its worker process was killed")
    assert out[1][1:] == ["C"] and out[2] == ["D"]


# ----------------------------------------------------------------------------- files and folders


def test_links_out_of_the_inputs_are_refused_and_the_output_folder_skipped(tmp_path):
    inp = _good(tmp_path / "in")
    secret = tmp_path / "secret.txt"
    secret.write_text("标题\n增长5%。\n", encoding="utf-8")
    os.symlink(secret, inp / "link.txt")
    (inp / "out").mkdir()
    (inp / "out" / "report.html").write_text("<p>增长5%</p>", encoding="utf-8")
    (inp / "out" / "other.txt").write_text("标题\n增长5%。\n", encoding="utf-8")
    files, refused = discover([inp], exclude=[inp / "out"])
    assert [f.name for f in files] == ["good.txt", "link.txt"]
    assert "outside the folders given" in refused[str(inp / "link.txt")]
    assert discover([inp], exclude=[inp / "out"], follow_links=True)[1] == {}
    assert inp / "out" / "other.txt" in find_inputs([inp])


def test_a_file_name_that_is_not_utf8_is_readable_and_round_trips(tmp_path):
    inp = _good(tmp_path / "in")
    raw = os.path.join(os.fsencode(inp), "政府工作报告.txt".encode("gbk"))
    with open(raw, "w", encoding="utf-8") as f:
        f.write(GOOD)
    name = os.fsdecode(raw)
    shown = display_path(name)
    shown.encode("utf-8")  # a table can hold it
    assert real_path(shown) == name
    out = tmp_path / "out"
    write_tables([inp], out, jobs=1)
    docs = load(out).documents
    assert set(docs["doc_id"]) == {"good", "政府工作报告"}
    path = docs.loc[docs["doc_id"] == "政府工作报告", "path"].iloc[0]
    assert os.path.exists(real_path(path))


def test_nul_bytes_in_utf8_text_are_read(tmp_path):
    f = tmp_path / "nul.txt"
    text = "标题\n2023年产值增长6.5%。\x00\n"
    f.write_bytes(text.encode())
    doc = read_document(f)
    assert doc.encoding == "utf-8" and doc.text == text.replace("\x00", " ")  # offsets kept


def test_deep_html_is_read_whole(tmp_path):
    f = tmp_path / "deep.html"
    f.write_text(
        "<html><body>" + "<font>" * 400 + "<p>深层页面</p><p>产值增长6.5%。</p></body></html>",
        encoding="utf-8",
    )
    assert "产值增长6.5%" in read_document(f).text


# ----------------------------------------------------------------------------- the output folder


def test_a_second_writer_waits_for_the_lock_and_stale_temps_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".claims.csv.abcd1234.tmp"
    stale.write_text("half a table")
    with output_lock(out):
        assert not stale.exists()
        with pytest.raises(BlockingIOError), output_lock(out, wait=False):
            pass
    fd = os.open(out / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the run ended
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------- one-line errors


def test_out_below_a_file_is_a_one_line_usage_error(tmp_path, capsys):
    inp = _good(tmp_path / "in")
    (tmp_path / "afile").write_text("x")
    assert main(["run", str(inp), "--out", str(tmp_path / "afile" / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "which is a file" in err


def test_a_damaged_models_folder_is_a_one_line_error(tmp_path, capsys):
    import shutil

    from conftest import ROOT

    inp = _good(tmp_path / "in")
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    (models / "keywords_idf.json").write_text('{"idf": [1, 2', encoding="utf-8")
    args = ["run", str(inp), "--out", str(tmp_path / "out"), "--quiet", "--models", str(models)]
    assert main(args) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "keywords_idf.json" in err


def test_an_unexpected_failure_has_its_own_exit_status(tmp_path, capsys, monkeypatch):
    from policy_nlp.batch import runner

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(runner, "_write_tables", broken)
    inp = _good(tmp_path / "in")
    assert main(["run", str(inp), "--out", str(tmp_path / "out"), "--quiet"]) == 4
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ZeroDivisionError" in err


def test_limits_are_options_checked_once():
    with pytest.raises(ValueError, match="--time-limit"):
        RunConfig(time_limit=-1)
    with pytest.raises(ValueError, match="--docx-max-mb"):
        RunConfig(docx_max_mb=-5)
    assert RunConfig().limits == Limits()


def test_zip_sizes_are_the_declared_ones(tmp_path):
    f = make_docx(tmp_path / "a.docx", ["标题", "增长5%。"])
    with zipfile.ZipFile(f) as zf:
        total = sum(i.file_size for i in zf.infolist())
    assert total > 0


def test_a_long_line_is_never_cut_inside_a_number():
    from policy_nlp.pieces import MAX_LINE, pieces

    text = "各" * (MAX_LINE - 10) + "财政收入达到1234567890123元，增长5%。"
    cuts = [end for _, end in pieces(text)][:-1]
    assert cuts and all(not (text[c - 1].isdigit() and text[c].isdigit()) for c in cuts)


def test_libreoffice_evaluates_no_cell_of_the_tables(tmp_path):
    """The real tool: LibreOffice (headless) imports each CSV, with formula evaluation on, and
    the spreadsheet it writes holds no formula."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed (apt-get install -y libreoffice-calc-nogui)")
        pytest.skip("soffice is not installed (apt-get install -y libreoffice-calc-nogui)")
    inp = _good(tmp_path / "in")
    payload = (
        '标题\n=HYPERLINK("http://evil.example","点击")全年粮食产量增长5%。\n@SUM(1)产值3亿元。\n'
    )
    for name in ("=1+1.txt", "+2.txt", "-3.txt", "@evil.txt"):
        (inp / name).write_text(payload, encoding="utf-8")
    out = tmp_path / "out"
    write_tables([inp], out, jobs=1)
    control = tmp_path / "control.csv"  # the same check sees a formula where there is one
    control.write_text("a\r\n=1+1\r\n", encoding="utf-8")
    converted = tmp_path / "converted"
    csvs = [str(p) for p in sorted(out.glob("*.csv"))] + [str(control)]
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         # CSV import: comma, quote, UTF-8, from line 1, …, "evaluate formulas" on
         "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1",
         "--convert-to", "fods", "--outdir", str(converted), *csvs],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert "table:formula=" in (converted / "control.fods").read_text(encoding="utf-8")
    for path in sorted(out.glob("*.csv")):
        text = (converted / f"{path.stem}.fods").read_text(encoding="utf-8")
        assert "table:formula=" not in text, path.name
