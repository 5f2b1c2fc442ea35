"""Faults a batch meets, through the command line and the pipeline: broken and odd inputs,
the same report in every encoding and format, runs killed while writing, huge lines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from builders import CHROME_MARKERS, gov_html, make_docx, make_pdf, make_scanned_pdf
from conftest import CORPUS, ROOT
from policy_nlp import tables
from policy_nlp.batch.runner import run
from policy_nlp.cli import main

SHORT = "gov-report-2020-national"  # 51 claims, a dateline header, national
PLAN = "anhui-industrial-internet-action-plan-2021"  # a 通知 with a plan, tables of subsidies


def _lines(name: str) -> list[str]:
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- broken inputs

# file name -> (status, words its reason must contain)
BROKEN = {
    "empty.txt": ("empty", "file is empty"),
    "blank.md": ("empty", "file is empty"),
    "photo.txt": ("error", "binary data, not text (it looks like a PNG image)"),
    "damaged.txt": ("error", "damaged UTF-8 text (invalid byte 0xff at byte"),
    "cut.docx": ("error", "not a valid Word file (zip archive is corrupt or truncated"),
    "old.docx": ("error", "not a .docx file: it is an old Word 97-2003 (.doc) file"),
    "scan.pdf": ("error", "PDF has no text layer (a scan?); run OCR first"),
    "cut.pdf": ("error", "PDF is damaged or truncated (no end-of-file marker)"),
    "page.pdf": ("error", "not a PDF file (it looks like an HTML page)"),
    "nav.html": ("empty", "no text in the file"),
    "folder.txt": ("error", "is a folder, not a file"),
    "gone.html": ("error", "broken link: it points to"),
    "pipe.txt": ("error", "not a regular file (a pipe, socket or device)"),
}


def _broken_batch(src: Path) -> None:
    src.mkdir()
    (src / "good.txt").write_text("\n".join(_lines(SHORT)), encoding="utf-8")
    make_docx(src / "good.docx", _lines(PLAN))
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_bytes(b" \r\n\t\n")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    (src / "damaged.txt").write_bytes(
        "增长6.6%。".encode() * 200 + b"\xff" + "完成。".encode() * 200
    )
    docx_bytes = (src / "good.docx").read_bytes()
    (src / "cut.docx").write_bytes(docx_bytes[: len(docx_bytes) // 2])
    (src / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    make_scanned_pdf(src / "scan.pdf")
    pdf = make_pdf(src / "tmp.pdf", _lines(SHORT)[:20]).read_bytes()
    (src / "tmp.pdf").unlink()
    (src / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (src / "page.pdf").write_text(
        "<!DOCTYPE html><html><body>404 页面不存在</body></html>", encoding="utf-8"
    )
    (src / "nav.html").write_text(
        "<html><body><div class='nav'><a>首页</a><a>政策</a></div><script>var x=1;</script></body></html>",
        encoding="utf-8",
    )
    (src / "folder.txt").mkdir()
    (src / "gone.html").symlink_to(src / "deleted.html")
    os.mkfifo(src / "pipe.txt")


def test_each_broken_input_gets_a_row_and_the_batch_goes_on(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    _broken_batch(src)
    status = main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1"])
    assert status == 1  # some input failed
    err = capsys.readouterr().err
    docs = _csv(out / "documents.csv").set_index("doc_id")
    by_file = {Path(p).name: row for p, (_, row) in zip(docs["path"], docs.iterrows(), strict=True)}
    assert set(by_file) == {*BROKEN, "good.txt", "good.docx"}
    for name, (status_, words) in BROKEN.items():
        row = by_file[name]
        assert row["status"] == status_, name
        assert words in row["error"], (name, row["error"])
        assert f"{src / name}: {status_}: {row['error']}" in err  # one stderr line per failure
        assert row["n_claims"] == "0" and row["sha256"] == ""
    for name in ("good.txt", "good.docx"):
        assert by_file[name]["status"] == "ok" and by_file[name]["error"] == ""
        assert int(by_file[name]["n_claims"]) > 0
    claims = _csv(out / "claims.csv")
    assert set(claims["doc_id"]) == {"good"} | {d for d in docs.index if d.startswith("good-")}
    assert "900万人以上" in set(claims["mention"])


def test_a_batch_of_only_broken_inputs_still_writes_every_table(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "e.txt").write_bytes(b"")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"]) == 1
    for name in tables.TABLES:
        assert list(_csv(tmp_path / "out" / f"{name}.csv").columns) == list(tables.COLUMNS[name])


def test_a_broken_link_given_by_name_is_a_failed_document_not_a_usage_error(tmp_path, capsys):
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "moved-away.txt")
    assert main(["run", str(link), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    assert "broken link" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "{src}", "--out", "{out}", "--append", "--refit-topics"], "--refit-topics"),
        (["run", "{src}", "--out", "{out}", "--jobs", "0"], "--jobs must be 1 or more"),
        (["run", "{src}", "--out", "{src}/a.txt"], "is a file"),
        (["run", "{src}/missing.txt", "--out", "{out}"], "no such file or folder"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, argv, words):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("国内生产总值增长6.6%。", encoding="utf-8")
    args = [a.format(src=src, out=tmp_path / "out") for a in argv]
    assert main(args) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing was processed


# ----------------------------------------------------------------------------- same text, any encoding


def test_same_text_same_claims_in_every_encoding(tmp_path):
    text = "\r\n".join(_lines(SHORT))  # Windows line ends: offsets count the \r
    src = tmp_path / "in"
    src.mkdir()
    variants = {
        "utf8": (text.encode("utf-8"), "utf-8"),
        "utf8bom": (text.encode("utf-8-sig"), "utf-8-sig"),
        "utf16": (text.encode("utf-16"), "utf-16-le"),
        "utf16be": (text.encode("utf-16-be"), "utf-16-be"),
        "gbk": (text.encode("gbk"), "gb18030"),
        "gb18030": (text.encode("gb18030"), "gb18030"),
    }
    for name, (data, _) in variants.items():
        (src / f"{name}.txt").write_bytes(data)
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"]) == 0
    docs = _csv(tmp_path / "out" / "documents.csv").set_index("doc_id")
    assert {d: docs.loc[d, "encoding"] for d in variants} == {
        d: e for d, (_, e) in variants.items()
    }
    assert docs["sha256"].nunique() == 1 and docs["year"].unique().tolist() == ["2020"]
    claims = _csv(tmp_path / "out" / "claims.csv")
    per_doc = {
        d: g.drop(columns="doc_id").reset_index(drop=True) for d, g in claims.groupby("doc_id")
    }
    reference = per_doc["utf8"]
    assert len(reference) >= 40
    for name, frame in per_doc.items():
        pd.testing.assert_frame_equal(frame, reference, obj=name)  # offsets included
    start, end, mention = (reference.loc[0, c] for c in ("start", "end", "mention"))
    assert text[int(start) : int(end)] == mention


# ----------------------------------------------------------------------------- same report, any format


def _claim_keys(df: pd.DataFrame) -> Counter:
    cols = ["mention", "value", "value_high", "unit", "comparator", "kind", "year", "change"]
    return Counter(map(tuple, df[cols].astype(str).itertuples(index=False, name=None)))


@pytest.mark.parametrize("name", [SHORT, PLAN])
def test_html_docx_and_pdf_versions_give_the_reports_claims(tmp_path, name):
    lines = _lines(name)
    src = tmp_path / "in"
    src.mkdir()
    (src / "text.txt").write_text("\n".join(lines), encoding="utf-8")
    (src / "page.html").write_text(gov_html(lines), encoding="utf-8")
    (src / "gbk-page.htm").write_bytes(gov_html(lines, charset="gbk").encode("gbk"))
    make_docx(src / "word.docx", lines, table=None)
    make_pdf(src / "print.pdf", lines)
    result = run([src], jobs=1)
    docs = result.documents.set_index("doc_id")
    assert (docs["status"] == "ok").all()
    assert docs["year"].nunique() == 1 and docs["issuer"].nunique() == 1, docs[["year", "issuer"]]
    claims = {d: _claim_keys(g) for d, g in result.claims.groupby("doc_id")}
    assert sum(claims["text"].values()) >= 40
    for doc_id in ("page", "gbk-page", "word", "print"):
        assert claims[doc_id] == claims["text"], doc_id
    # nothing from scripts, menus, related links or the footer reached any text
    for doc_id in ("page", "gbk-page"):
        sentences = " ".join(result.claims.loc[result.claims["doc_id"] == doc_id, "sentence"])
        for marker in CHROME_MARKERS:
            assert marker not in sentences or marker in "\n".join(lines), (doc_id, marker)


# ----------------------------------------------------------------------------- killed while writing

_KILLED_WRITER = """
import sys, time
from policy_nlp.atomic import atomic_write
with atomic_write(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("new,partial\\n" * 1000)
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_writer_killed_midway_leaves_the_old_table(tmp_path):
    target = tmp_path / "claims.csv"
    target.write_text("old,complete\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_text(encoding="utf-8") == "old,complete\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "claims.csv"]
    assert all(n.startswith(".claims.csv.") and n.endswith(".tmp") for n in leftovers)


# A run whose table writer announces each table it has written and waits for a word from the
# test before the next one, so the test can kill it between any two tables.
_SLOW_RUN = """
import sys
from pathlib import Path
from policy_nlp import atomic
from policy_nlp.cli import main
commit = atomic.commit  # every table file is replaced through it
def announcing(tmp, path):
    commit(tmp, path)
    print(Path(path).name, flush=True)
    sys.stdin.readline()
atomic.commit = announcing
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("after", [1, 4, 7])
def test_a_run_killed_between_tables_leaves_each_table_old_or_complete(tmp_path, after):
    old_src, new_src = tmp_path / "old", tmp_path / "new"
    old_src.mkdir()
    new_src.mkdir()
    (old_src / "a.txt").write_text("\n".join(_lines(SHORT)), encoding="utf-8")
    (new_src / "b.txt").write_text("\n".join(_lines(PLAN)), encoding="utf-8")
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert main(["run", str(old_src), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert main(["run", str(new_src), "--out", str(reference), "--quiet", "--jobs", "1"]) == 0
    old = {n: (out / f"{n}.csv").read_bytes() for n in tables.TABLES}
    new = {n: (reference / f"{n}.csv").read_bytes() for n in tables.TABLES}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, "run", str(new_src), "--out", str(out), "--overwrite", "--quiet",
         "--jobs", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    written = []
    for _ in range(after):
        written.append(proc.stdout.readline().strip())
        if len(written) < after:
            proc.stdin.write("\n")
            proc.stdin.flush()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(written) == after and all(w.endswith(".csv") for w in written)
    assert "documents.csv" not in written  # written last, so it still lists the old documents
    for name in tables.TABLES:
        now = (out / f"{name}.csv").read_bytes()
        assert now == (new[name] if f"{name}.csv" in written else old[name]), name


# ----------------------------------------------------------------------------- huge lines


def test_a_huge_single_line_is_processed_in_pieces(tmp_path):
    """200,000 characters on one line: claim extraction is quadratic in a line's length, so
    the line is cut after sentences; every claim's offsets still point into the whole text."""
    text = "".join(_lines(SHORT) + _lines(PLAN) + _lines("gov-report-2024-national"))[:200_000]
    text = (text * (200_000 // len(text) + 1))[:200_000]
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    result = run([path], jobs=1)
    assert time.perf_counter() - t0 < 120  # unbounded (cubic) before: many minutes
    claims = result.claims
    assert len(claims) > 400
    for start, end, mention in claims[["start", "end", "mention"]].itertuples(index=False):
        assert text[start:end] == mention
    assert result.documents.loc[0, "chars"] == 200_000


def test_normal_documents_are_not_cut():
    from policy_nlp.pieces import MAX_LINE, pieces

    for path in CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert max(map(len, text.split("\n"))) < MAX_LINE
        assert pieces(text) == [(0, len(text))]


def test_tokens_of_slices_are_the_tokens_of_the_whole():
    from policy_nlp.pieces import slices
    from policy_nlp.tokens import get_tokenizer

    text = "".join(_lines(SHORT))  # one line, cut at sentence ends
    tk = get_tokenizer("rjieba")
    parts = slices(text, size=997)
    assert len(parts) > 10 and parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(parts))
    pieces_tokens = [t for a, b in parts for t in tk.content_tokens(text[a:b])]
    assert pieces_tokens == tk.content_tokens(text)


def test_a_bug_in_a_stage_becomes_an_error_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    from policy_nlp.batch import worker

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("政府工作报告\n今年城镇新增就业1200万人以上。", encoding="utf-8")
    (src / "boom.txt").write_text("政府工作报告\n今年粮食产量1.3万亿斤以上。", encoding="utf-8")
    real = worker.claims_and_facts

    def fragile(doc, **options):
        if doc.doc_id == "boom":
            raise ZeroDivisionError("a bug")
        return real(doc, **options)

    monkeypatch.setattr(worker, "claims_and_facts", fragile)
    result = run([src], jobs=1)
    docs = result.documents.set_index("doc_id")
    assert docs.loc["boom", "status"] == "error"
    assert (
        "internal error" in docs.loc["boom", "error"]
        and "ZeroDivisionError" in docs.loc["boom", "error"]
    )
    assert docs.loc["a", "status"] == "ok"
    assert "1200万人以上" in set(result.claims["mention"])
