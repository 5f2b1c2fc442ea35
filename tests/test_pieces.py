"""Huge plain-text documents read and processed in pieces (read.stream, batch.pieces): the text
given out whole and in its own coordinates, claims where the whole text has them, the same
tables from the streaming writer and from ``run``, and the size caps that apply."""

from __future__ import annotations

import csv

import pytest

import policy_nlp.read.stream as stream
from conftest import CORPUS
from policy_nlp import run, tables, write_tables
from policy_nlp.batch.config import RunConfig
from policy_nlp.batch.pieces import process_task
from policy_nlp.batch.worker import Options, Task, process_document
from policy_nlp.cli import main
from policy_nlp.read import DocumentError, decode_bytes, in_pieces, open_text_stream, text_sha256
from policy_nlp.read.limits import Limits

_CLAIM_KEY = slice(1, 8)  # start, end, mention, value, value_high, unit, comparator


@pytest.fixture(scope="module")
def corpus_text() -> str:
    """Every corpus document, one after another: about 400,000 characters of real prose."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of 30,000 characters, read 64 KB at a time: many pieces from a small file."""
    monkeypatch.setattr(stream, "PIECE_CHARS", 30_000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 65_536)
    monkeypatch.setattr(stream, "HEAD_BYTES", 8_192)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_pieces_give_back_the_whole_text(tmp_path, corpus_text, small_pieces, encoding):
    f = tmp_path / "big.txt"
    f.write_bytes(corpus_text.encode(encoding))
    whole, enc = decode_bytes(f.read_bytes())
    s = open_text_stream(f)
    parts = list(s.pieces())
    assert len(parts) > 10
    assert "".join(parts) == whole
    assert (s.encoding, s.chars, s.sha256) == (enc, len(whole), text_sha256(whole))
    # cut after a line end or a sentence end, never inside a number
    for p in parts[:-1]:
        assert p[-1] in "\n。！？!?；;，,、 ”’」』）)】\"'", repr(p[-20:])
        assert not (p[-1].isdigit())


def test_a_one_line_text_is_cut_at_sentence_ends(tmp_path, corpus_text, small_pieces):
    line = corpus_text.replace("\n", "")
    f = tmp_path / "line.txt"
    f.write_text(line, encoding="utf-8")
    parts = list(open_text_stream(f).pieces())
    assert len(parts) > 10 and "".join(parts) == line
    assert all(p.endswith(("。", "！", "？", "”", "）")) for p in parts[:-1])


def test_bytes_that_turn_binary_halfway_are_refused_with_where(tmp_path, small_pieces):
    f = tmp_path / "mixed.txt"
    f.write_bytes(("增长5%。\n" * 20_000).encode() + bytes(range(1, 32)) * 4000)  # valid UTF-8
    with pytest.raises(DocumentError, match=r"binary data, not text \(found before byte"):
        list(open_text_stream(f).pieces())


def test_bad_bytes_halfway_name_their_offset(tmp_path, small_pieces):
    f = tmp_path / "bad.txt"
    good = ("增长5%。\n" * 20_000).encode()
    f.write_bytes(good + b"\xff\xfe\xfd" + good)
    with pytest.raises(DocumentError, match=rf"not valid UTF-8 text from byte {len(good):,}"):
        list(open_text_stream(f).pieces())


def test_claims_in_pieces_are_those_of_the_whole_text(tmp_path, corpus_text, small_pieces):
    f = tmp_path / "big.txt"
    f.write_text(corpus_text, encoding="utf-8")
    assert f.stat().st_size > 2**20
    limits = Limits(piece_mb=0)
    whole = process_document(Task(str(f), "d"), Options(limits=limits))
    pieces = process_task(Task(str(f), "d"), Options(limits=Limits(piece_mb=1)))
    assert pieces.document.extra.get("pieces") and not whole.document.extra.get("pieces")
    assert pieces.document.status == "ok"
    # the same figures at the same offsets in the whole text (context-read fields such as the
    # year a heading gives may differ at a piece's start)
    assert [r[_CLAIM_KEY] for r in pieces.claims] == [r[_CLAIM_KEY] for r in whole.claims]
    assert all(corpus_text[r[1] : r[2]] == r[3] for r in pieces.claims)
    assert (
        sum(a != b for a, b in zip(whole.claims, pieces.claims, strict=True))
        < len(whole.claims) * 0.1
    )
    assert pieces.token_counts == whole.token_counts  # slices cut where the tokeniser cuts
    assert pieces.document.sha256 == whole.document.sha256
    assert pieces.document.extra["chars"] == len(corpus_text)


def test_streamed_and_in_memory_tables_agree_for_a_huge_text(tmp_path, corpus_text, small_pieces):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text(corpus_text, encoding="utf-8")
    (folder / "small.txt").write_text("标题\n2023年粮食产量增长5%。\n", encoding="utf-8")
    config = RunConfig(jobs=1, piece_mb=1, time_limit=0, memory_limit_mb=0)
    summary = write_tables([folder], tmp_path / "streamed", config=config)
    result = run([folder], out=tmp_path / "held", config=config)
    assert summary.claims == len(result.claims) > 3000
    for name in tables.TABLES:
        a = _cells(tmp_path / "streamed" / f"{name}.csv")
        assert a == _cells(tmp_path / "held" / f"{name}.csv"), name


def _cells(path) -> list[list[str]]:
    """A CSV's cells, numbers with a fraction as floats: ``run``'s frames hold values as floats
    (三分之一 is 33.333333333333336 there, the Decimal's 33.33…333 in ``write_tables``)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return [[_number(c) for c in row] for row in rows]


def _number(cell: str) -> str:
    try:
        return repr(float(cell)) if "." in cell else cell
    except ValueError:
        return cell


def test_size_caps_of_text_read_in_pieces_and_read_whole(tmp_path):
    f = tmp_path / "t.txt"
    f.write_bytes(("增长5%。\n" * 200_000).encode())  # 2.3 MB
    assert in_pieces(f, Limits(piece_mb=1)) and not in_pieces(f, Limits(piece_mb=0))
    assert not in_pieces(tmp_path / "t.html", Limits(piece_mb=1))
    with pytest.raises(DocumentError, match=r"over the limit of 1 MB .*raise --max-text-mb"):
        open_text_stream(f, Limits(piece_mb=1, max_text_mb=1))
    out = tmp_path / "out"
    status = main(["run", str(f), "--out", str(out), "--quiet", "--jobs", "1", "--piece-mb", "0",
                   "--max-file-mb", "1"])  # fmt: skip
    assert status == 1
    docs = (out / "documents.csv").read_text(encoding="utf-8-sig")
    assert "raise --max-file-mb" in docs
    status = main(["run", str(f), "--out", str(out), "--quiet", "--jobs", "1", "--overwrite",
                   "--piece-mb", "1", "--max-file-mb", "1"])  # fmt: skip
    assert status == 0  # read in pieces: the cap of files read whole does not apply
    assert ",ok," in (out / "documents.csv").read_text(encoding="utf-8-sig")


def test_a_huge_text_over_the_time_limit_says_what_it_needs(tmp_path):
    from policy_nlp.batch.pieces import task_over_limit

    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(200 * 2**20)  # sparse: only the size is looked at
    reason = "took longer than the time limit of 90 s per document (--time-limit)"
    r = task_over_limit(Task(str(f), "huge"), reason)
    assert r.document.status == "error"
    assert r.document.error.startswith(reason)
    assert "a text of 200 MB needs about 200 s per core" in r.document.error
    small = tmp_path / "small.txt"
    small.write_text("增长5%。", encoding="utf-8")
    assert task_over_limit(Task(str(small), "s"), reason).document.error == reason


def test_a_large_file_gets_a_dask_task_of_its_own(tmp_path):
    from policy_nlp.batch.watched import large_alone
    from policy_nlp.batch.worker import BATCH_BYTES

    big = Task("big.txt", "big", b"x" * (BATCH_BYTES + 1))
    a, b, c = (Task(f"{n}.txt", n, b"small") for n in "abc")
    assert list(large_alone([[a, big, b], [c]])) == [[a], [big], [b], [c]]
    assert list(large_alone([[a, b]])) == [[a, b]]


def test_a_stage_that_raises_gives_the_documents_error_row_and_an_interrupt_stops_the_batch():
    from policy_nlp.batch.worker import INTERNAL_ERROR, Task, stage_failed
    from policy_nlp.read import DocumentError

    task = Task("a.txt", "d1")

    def reason(exc):
        return stage_failed(task, exc, doing="reading", bug=INTERNAL_ERROR).document.error

    assert (
        reason(DocumentError("a.txt", "no text in the file", status="empty"))
        == "no text in the file"
    )
    assert reason(MemoryError()) == "ran out of memory while reading"
    assert reason(ValueError("x")) == f"{INTERNAL_ERROR}: ValueError: x"
    with pytest.raises(KeyboardInterrupt):
        stage_failed(task, KeyboardInterrupt(), doing="reading", bug=INTERNAL_ERROR)
