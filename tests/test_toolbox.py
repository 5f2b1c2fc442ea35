"""The researcher's toolbox: output formats, the CLI's conventions, batch safety, more inputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CORPUS, ROOT
from policy_nlp import tables
from policy_nlp.cli import build_parser, main

DOC = CORPUS / "gov-report-2024-national.txt"
OTHER = CORPUS / "anhui-gov-report-2026.txt"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policy_nlp", *args], input=stdin, capture_output=True, env=ENV
    )


@pytest.fixture(scope="module")
def formats_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats") / "out"
    status = main(
        ["run", str(DOC), str(OTHER), "-o", str(out), "-q", "-j", "1", "--format", "parquet,jsonl",
         "-f", "dta", "--xlsx"]
    )  # fmt: skip
    assert status == 0
    return out


def test_parquet_keeps_every_tables_dtypes(formats_run):
    for name in tables.TABLES:
        frame = pd.read_parquet(formats_run / f"{name}.parquet")
        expected = tables.read_csv_table(formats_run / f"{name}.csv", name)
        assert {c: str(t) for c, t in frame.dtypes.items()} == {
            c: str(t) for c, t in expected.dtypes.items()
        }, name
        pd.testing.assert_frame_equal(frame, expected, check_categorical=False)


def test_jsonl_holds_exact_values_as_the_csv(formats_run):
    lines = (formats_run / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    text = pd.read_csv(formats_run / "claims.csv", dtype=str, keep_default_na=False)
    assert len(lines) == len(text)
    raw = lines[0]
    assert ("e+" not in raw and "中" in raw) or "万" in raw  # Chinese as it is, never \\u escapes
    row = json.loads(raw)
    assert row["doc_id"] == text.loc[0, "doc_id"] and row["value"] == float(text.loc[0, "value"])
    assert f'"value": {text.loc[0, "value"]},' in raw  # the CSV's exact digits
    assert row["value_high"] is None


def test_stata_file_is_version_118_with_chinese_and_variable_labels(formats_run):
    from pandas.io.stata import StataReader

    from policy_nlp.schema import DESCRIPTIONS

    path = formats_run / "documents.dta"
    assert b"<release>118</release>" in path.read_bytes()[:64]
    with StataReader(path) as reader:
        labels = reader.variable_labels()
        data = reader.read()
    assert labels["title"] == DESCRIPTIONS["documents"]["title"]
    assert "政府工作报告" in set(data["title"])
    claims = pd.read_stata(formats_run / "claims.dta")
    assert "_end" in claims and set(claims["kind"].dropna()) <= {
        "target",
        "achievement",
        "provision",
    }


def test_xlsx_still_comes_with_the_old_flag(formats_run):
    assert (formats_run / "tables.xlsx").is_file()


def test_every_column_has_a_short_description():
    from policy_nlp.schema import COLUMNS, DESCRIPTIONS

    for table, cols in COLUMNS.items():
        assert set(DESCRIPTIONS[table]) == set(cols)
        assert all(0 < len(d) <= 80 for d in DESCRIPTIONS[table].values())


def test_an_unknown_format_is_a_usage_error(tmp_path):
    assert main(["run", str(DOC), "-o", str(tmp_path / "o"), "--format", "csv,sav"]) == 2


def test_version_and_short_flags():
    got = _cli("--version")
    assert got.returncode == 0 and got.stdout.decode().startswith("policy-nlp ")
    parser = build_parser()
    args = parser.parse_args(["run", "x", "-o", "d", "-j", "2", "-q"])
    assert (args.out, args.jobs, args.quiet) == ("d", 2, True)
    # one name per option across commands; the old names stay as aliases
    assert parser.parse_args(["run", "x", "--output", "d"]).out == "d"
    assert parser.parse_args(["report", "d", "--output", "f.html"]).out == "f.html"
    assert parser.parse_args(["report", "d", "-o", "f.html", "-q"]).out == "f.html"
    assert parser.parse_args(["tokenize", "f", "--drop-stopwords"]).drop_stopwords


def test_extract_reads_stdin_and_writes_json_and_csv_with_exact_values():
    text = "2021年全市GDP达到4.32万亿元。到2025年总额超过12345678901234567元。".encode()
    got = _cli("extract", "-", "--format", "json", "-q", stdin=text)
    assert got.returncode == 0, got.stderr
    rows = [json.loads(line) for line in got.stdout.decode().splitlines()]
    assert [r["mention"] for r in rows] == ["4.32万亿元", "12345678901234567元"]
    assert b'"value": 12345678901234567,' in got.stdout and b"e+" not in got.stdout
    got = _cli("extract", "-", "-f", "csv", "-q", stdin=text)
    assert b"4320000000000" in got.stdout and b"e+" not in got.stdout
    got = _cli("extract", "-", stdin=text)  # the table for reading: no exponent either
    assert b"4320000000000" in got.stdout and b"e+12" not in got.stdout


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_nlp", "tokenize", "--one-per-line", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
    )  # fmt: skip
    proc.stdin.write(DOC.read_bytes() * 20)  # far more tokens than a pipe buffers
    proc.stdin.close()
    proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read()
    assert proc.wait() == 141
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_tokenize_command_prints_every_token_or_content_tokens(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("全面推进城市数字化转型", encoding="utf-8")
    assert _cli("tokenize", str(f)).stdout.decode().split() == [
        "全面",
        "推进",
        "城市",
        "数字化转型",
    ]
    assert _cli("tokenize", str(f), "--drop-stopwords").stdout.decode().split() == [
        "城市", "数字化转型",
    ]  # fmt: skip


def test_run_refuses_a_folder_of_another_runs_tables_and_overwrite_cleans_it(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(DOC), "-o", str(out), "-q", "-j", "1", "--format", "csv,dta"]) == 0
    from policy_nlp.report.page import write_report

    write_report(out)
    before = (out / "documents.csv").read_bytes()
    assert main(["run", str(OTHER), "-o", str(out), "-q", "-j", "1"]) == 2
    assert (out / "documents.csv").read_bytes() == before  # nothing replaced
    assert main(["run", str(OTHER), "-o", str(out), "-q", "-j", "1", "--overwrite"]) == 0
    assert not (out / "report.html").exists() and not (out / "claims.dta").exists()
    assert set(pd.read_csv(out / "documents.csv")["doc_id"]) == {"anhui-gov-report-2026"}
    assert main(["run", str(DOC), "-o", str(out), "--append", "--overwrite"]) == 2


def test_python_run_refuses_too(tmp_path):
    from policy_nlp.batch import AppendError, run

    run([DOC], out=tmp_path, jobs=1)
    with pytest.raises(AppendError, match="--append"):
        run([DOC], out=tmp_path, jobs=1)


def test_skipped_files_and_duplicates_are_listed(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DOC, src / "a.txt")
    shutil.copy(DOC, src / "b.txt")
    (src / "budget.xlsx").write_bytes(b"PK\x03\x04")
    assert main(["run", str(src), "-o", str(tmp_path / "out"), "-j", "1"]) == 0  # not failures
    err = capsys.readouterr().err
    assert "budget.xlsx: skipped: not read: .xlsx files" in err
    assert "b.txt: duplicate: the same text as a" in err
    docs = tables.read_csv_table(tmp_path / "out" / "documents.csv", "documents")
    by_id = docs.set_index("doc_id")
    assert (
        by_id.loc["budget", "status"] == "skipped" and "spreadsheet" in by_id.loc["budget", "error"]
    )
    assert by_id.loc["b", "duplicate_of"] == "a" and by_id.loc["a", "duplicate_of"] == ""


def test_append_finds_earlier_documents_from_another_folder_and_says_when_it_cannot(
    tmp_path, monkeypatch, capsys
):
    proj = tmp_path / "proj"
    (proj / "docs").mkdir(parents=True)
    shutil.copy(DOC, proj / "docs" / "a.txt")
    monkeypatch.chdir(proj)
    assert main(["run", "docs", "-o", "out", "-q", "-j", "1"]) == 0
    (tmp_path / "new").mkdir()
    shutil.copy(OTHER, tmp_path / "new" / "b.txt")
    monkeypatch.chdir(tmp_path)  # elsewhere: docs/a.txt is found beside the tables
    assert main(["run", "new", "-o", "proj/out", "-q", "-j", "1", "--append"]) == 0
    assert "could not be re-read" not in capsys.readouterr().err
    shutil.copy(
        CORPUS / "policy-rural-revitalization-opinions-2018.txt", tmp_path / "new" / "c.txt"
    )
    (proj / "docs" / "a.txt").unlink()
    assert main(["run", "new", "-o", "proj/out", "-q", "-j", "1", "--append"]) == 0
    assert "docs/a.txt: could not be re-read" in capsys.readouterr().err


def test_append_from_an_unrelated_folder_finds_documents_by_their_recorded_paths(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "work" / "docs").mkdir(parents=True)
    shutil.copy(DOC, tmp_path / "work" / "docs" / "a.txt")
    (tmp_path / "tables").mkdir()
    monkeypatch.chdir(tmp_path / "work")  # tables elsewhere: docs/ is not beside them
    assert main(["run", "docs", "-o", str(tmp_path / "tables" / "out"), "-q", "-j", "1"]) == 0
    (tmp_path / "elsewhere" / "new").mkdir(parents=True)
    shutil.copy(OTHER, tmp_path / "elsewhere" / "new" / "b.txt")
    monkeypatch.chdir(tmp_path / "elsewhere")  # neither docs/a.txt nor ../docs/a.txt here
    args = ["run", "new", "-o", str(tmp_path / "tables" / "out"), "-q", "-j", "1", "--append"]
    assert main(args) == 0
    assert "could not be re-read" not in capsys.readouterr().err


def test_big5_text_is_read():
    from policy_nlp.read import decode_bytes

    text = "2023年臺灣地區生產總值增長百分之五，政府工作報告指出，經濟持續穩定發展。\n" * 3
    assert decode_bytes(text.encode("big5")) == (text, "big5")
    assert decode_bytes(text.encode("gb18030"))[1] == "gb18030"  # the rules still come first


def _rtf(path):
    body = "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in "2021年全市GDP达到4.32万亿元。")
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + body + "\\par}", "ascii")


def test_doc_wps_and_rtf_are_read_through_libreoffice(tmp_path):
    from policy_nlp.read import read_document
    from policy_nlp.read.office import soffice

    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed (apt-get install -y libreoffice-writer-nogui)")
        pytest.skip("soffice is not installed (apt-get install -y libreoffice-writer-nogui)")
    _rtf(tmp_path / "a.rtf")
    subprocess.run(
        [soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "a.rtf")],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    shutil.copy(tmp_path / "a.doc", tmp_path / "a.wps")
    for suffix in ("rtf", "doc", "wps"):
        doc = read_document(tmp_path / f"a.{suffix}")
        assert doc.text.strip() == "2021年全市GDP达到4.32万亿元。" and doc.encoding == suffix


def test_without_libreoffice_the_error_names_the_install_command(tmp_path, monkeypatch):
    from policy_nlp.read import DocumentError, read_document

    _rtf(tmp_path / "a.rtf")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(DocumentError, match="apt-get install libreoffice-writer-nogui"):
        read_document(tmp_path / "a.rtf")


def test_result_repr_is_short_and_jupyter_gets_html(tmp_path):
    import policy_nlp

    assert main(["run", str(DOC), "-o", str(tmp_path), "-q", "-j", "1"]) == 0
    result = policy_nlp.load(tmp_path)
    text = repr(result)
    assert len(text) < 300 and text.startswith("<Result: 1 documents (1 read)")
    html = result._repr_html_()
    assert "<table" in html and ".claims" in html and len(html) < 20_000
    assert {"run", "Result", "Claim", "load"} <= set(dir(policy_nlp))
    assert str(result.claims["year"].dtype) == "Int64"


@pytest.fixture(scope="module")
def lazy_report(tmp_path_factory):
    """A report whose claims and scorecard tables are lazy (the threshold lowered)."""
    from policy_nlp.report import page, scorecard, sections

    out = tmp_path_factory.mktemp("lazy") / "out"
    assert main(["run", str(DOC), str(OTHER), "-o", str(out), "-q", "-j", "1", "--xlsx"]) == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sections, "LAZY_ROWS", 5)
        mp.setattr(scorecard, "LAZY_ROWS", 5)
        path = page.write_report(out)
    return out, path.read_text(encoding="utf-8")


def test_large_tables_travel_as_json_and_never_as_markup(lazy_report):
    out, html = lazy_report
    claims = pd.read_csv(out / "claims.csv", dtype=str)
    body = html.split('id="claims-table"', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == 1  # the header only: rows are drawn by the script
    data = html.split('id="claims-table-data">', 1)[1].split("</script>", 1)[0]
    assert "</" not in data  # a document's "</script>" cannot end the block
    payload = json.loads(data.replace("<\\/", "</"))
    assert len(payload["rows"]) == len(claims) and payload["page"] == 100
    assert 'id="scorecard-table-data"' in html


def test_chromium_draws_a_page_of_a_lazy_table(lazy_report, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    out, _ = lazy_report
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=300,
    ).stdout  # fmt: skip
    assert 'data-report-ready="1"' in dom
    n = len(pd.read_csv(out / "claims.csv", dtype=str))
    body = dom.split('id="claims-table"', 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") - 1 == min(n, 100)
    assert f"{n} of {n} rows shown" in dom and "page 1 of" in dom
    assert "<mark>" in body  # the mention marked in its sentence


def test_report_titles_carry_issuer_and_year(lazy_report):
    from policy_nlp.report.markup import doc_titles

    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "title": ["政府工作报告", "2026年政府工作报告"],
         "issuer": ["国务院", "安徽省人民政府"], "year": pd.array([2024, 2026], dtype="Int64")}
    )  # fmt: skip
    assert doc_titles(docs) == {
        "a": "政府工作报告 · 国务院 · 2024", "b": "2026年政府工作报告 · 安徽省人民政府",
    }  # fmt: skip
    _, html = lazy_report
    assert "政府工作报告 · 国务院 · 2024" in html


def test_every_workbook_sheet_has_an_autofilter(lazy_report):
    import openpyxl

    out, _ = lazy_report
    wb = openpyxl.load_workbook(out / "tables.xlsx", read_only=False)
    for ws in wb:
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.auto_filter.ref.endswith(str(ws.max_row)), ws.title


def test_readme_load_round_trip(tmp_path):
    """The README's example: a run's tables read back by policy_nlp.load equal the run's own."""
    import policy_nlp

    result = policy_nlp.run([DOC, OTHER], out=tmp_path, jobs=1)
    again = policy_nlp.load(tmp_path)
    for name in ("claims", "documents", "keywords", "topics", "doc_topics", "tracking", "panel"):
        pd.testing.assert_frame_equal(again.table(name), result.table(name), obj=name)
    assert str(again.claims.dtypes["year"]) == "Int64"
    assert str(again.claims.dtypes["kind"]) == "category"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pd.testing.assert_frame_equal(again.claims, result.claims)" in readme
