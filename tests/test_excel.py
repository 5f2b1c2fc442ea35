"""The Excel workbook: a sheet per table, frozen header, sized columns, numbers as numbers and
text that Excel never reads as a formula."""

from __future__ import annotations

import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from conftest import CORPUS
from policy_nlp import xlsx
from policy_nlp.batch.runner import run
from policy_nlp.cli import main
from policy_nlp.tables import TABLES, claims_frame, read_csv_table, typed
from policy_nlp.xlsx import write_xlsx, write_xlsx_from_csv

TRICKY = ["=SUM(A1:A9)", "-5%的降幅", "+1", "@cmd", "#N/A", "00123", "=", "响铃\x07字符"]


def _claims() -> pd.DataFrame:
    rows = [
        {"doc_id": "d", "start": i, "end": i + 2, "mention": m, "value": v, "value_high": None,
         "unit": "元", "comparator": c, "kind": "target", "year": 2025, "change": "",
         "indicator": "数字经济核心产业增加值", "sentence": s}
        for i, (m, v, c, s) in enumerate([
            ("4.32万亿元", 4320000000000, "=", "-5%的降幅写在这里"),
            ("6%-6.5%", 6, "range", "=SUM(A1:A9)"),
            ("8.1%", 8.1, ">=", "#N/A"),
        ])
    ]  # fmt: skip
    return typed(pd.DataFrame(rows), "claims")


def test_numbers_stay_numbers_and_text_stays_text(tmp_path):
    df = _claims()
    df.loc[2, "value_high"] = None
    path = write_xlsx({"claims": df}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["claims"]
    header = [c.value for c in ws[1]]
    assert header == list(df.columns) and all(c.font.b for c in ws[1])
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[header.index("value")] for r in rows] == [4320000000000, 6, 8.1]
    assert isinstance(rows[0][header.index("start")], int)
    assert isinstance(rows[2][header.index("year")], int) and rows[2][header.index("year")] == 2025
    assert rows[0][header.index("value_high")] is None
    assert [r[header.index("comparator")] for r in rows] == ["=", "range", ">="]
    assert [r[header.index("sentence")] for r in rows] == [
        "-5%的降幅写在这里", "=SUM(A1:A9)", "#N/A"
    ]  # fmt: skip
    types = {c.column_letter: c.data_type for c in ws[2]}
    assert types["E"] == "n" and types["H"] == "s" and types["M"] == "s"
    assert ws["E2"].number_format == "#,##0"  # 4320000000000, not 4.32E+12
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="e"' not in sheet  # no formulas, no error cells


def test_tricky_text_in_any_text_column(tmp_path):
    df = typed(pd.DataFrame({"doc_id": "d", "rank": range(1, len(TRICKY) + 1),
                             "keyword": TRICKY, "score": 0.5}), "keywords")  # fmt: skip
    path = write_xlsx({"keywords": df}, tmp_path / "k.xlsx")
    ws = openpyxl.load_workbook(path)["keywords"]
    got = [c.value for c in ws["C"][1:]]
    assert got[:-1] == TRICKY[:-1] and got[-1] == "响铃\ufffd字符"  # control character replaced
    assert all(c.data_type == "s" for c in ws["C"][1:])


def test_sheets_frozen_header_and_widths(tmp_path):
    frames = {"claims": _claims(), "keywords": typed(pd.DataFrame(), "keywords")}
    path = write_xlsx(frames, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["claims", "keywords"]
    ws = wb["claims"]
    assert ws.freeze_panes == "A2" and wb["keywords"].freeze_panes == "A2"
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert widths["L"] >= 2 * len("数字经济核心产业增加值")  # CJK characters count double
    assert widths["E"] >= len("4,320,000,000,000") and 6 <= widths["B"] < widths["E"]
    assert widths["M"] <= 60
    assert wb["keywords"].max_row == 1  # an empty table keeps its header


def test_written_atomically(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"old")

    save = openpyxl.Workbook.save

    def boom(self, filename):  # the workbook is written, then the disk fills up
        save(self, filename)
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        write_xlsx({"claims": _claims()}, path)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["t.xlsx"]


def test_bad_sheet_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot name an Excel sheet"):
        write_xlsx({"a/b": claims_frame([])}, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_run_xlsx_writes_every_table(tmp_path):
    doc = CORPUS / "gov-report-2024-national.txt"
    assert main(["run", str(doc), "--out", str(tmp_path), "--xlsx", "--quiet", "--jobs", "1"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "tables.xlsx", read_only=True)
    assert wb.sheetnames == list(TABLES)
    for name in TABLES:
        table = read_csv_table(tmp_path / f"{name}.csv", name)
        ws = wb[name]
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == list(table.columns) and len(rows) == len(table) + 1, name
    claims = read_csv_table(tmp_path / "claims.csv", "claims")
    first = next(wb["claims"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[4] == float(claims.loc[0, "value"]) and first[3] == claims.loc[0, "mention"]
    wb.close()


def test_workbook_from_the_csv_files_equals_the_one_from_frames(tmp_path, monkeypatch):
    """``policy-nlp run --xlsx`` reads the tables back a chunk at a time: the same workbook."""
    monkeypatch.setattr(xlsx, "_XLSX_CHUNK", 3)  # many chunks
    monkeypatch.setattr(xlsx, "_WIDTH_SAMPLE", 5)  # widths from the first chunk only
    out = tmp_path / "out"
    result = run([CORPUS / "gov-report-2010-national.txt"], out=out, jobs=1)
    frames = result.to_excel(tmp_path / "frames.xlsx")
    files = write_xlsx_from_csv(out, tmp_path / "files.xlsx")
    with zipfile.ZipFile(frames) as a, zipfile.ZipFile(files) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # its creation time differs
                assert a.read(name) == b.read(name), name
    sheet = openpyxl.load_workbook(files, read_only=True)["claims"]
    assert sum(1 for _ in sheet.iter_rows()) == len(result.claims) + 1 > 5 * 3
