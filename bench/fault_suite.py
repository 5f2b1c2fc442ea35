"""Hostile inputs and faults beside a good document: time, peak memory, outcome per case.

Builds every hostile file of issue 17 itself (DOCX bombs, a PDF of 320,000 text operators, a
line of 50,000 〇, huge text files, formula payloads, a GBK file name, links out of the input
folder, deep HTML, a NUL byte, an AES-encrypted PDF, values above 2^53, concurrent and killed
``--append`` runs, a killed worker, a full disk, a read-only output folder, a bad ``--out``, a
tampered models folder, Dask workers that die, a 200 MB text on a Dask worker; the 200 MB text
also in GB18030 and with no time limit, the 50 MB line also read whole) and runs ``policy-nlp run`` on each as a
subprocess, next to a good document. Prints one row per case: wall time, peak memory of the
whole process tree (RSS summed over the run and its children, sampled every 50 ms), exit
status and what happened (the good document's rows kept? the bad one's reason).

    PYTHONPATH=src python bench/fault_suite.py [--only NAME,...] [--work DIR] [--limit 130]

Cases that need root (tmpfs mounts) or the dask extra say so and are skipped elsewhere. A
case still running after ``--limit`` seconds, or above ``--max-gb`` of memory, is killed and
reported as such (the issue's bar: 120 s and 1.5 GB).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
GOOD = (
    "全市经济运行报告\n"
    "2023年全市地区生产总值达到4.32万亿元，比上年增长5.5%。\n"
    "到2025年，城镇新增就业1200万人以上。\n"
)
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Run:
    """One subprocess: its command line, and what to do while it runs."""

    args: list[str]
    during: Callable[[psutil.Process], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    user: int | None = None
    during_at: float = 1.5  # seconds into the run when ``during`` acts
    limit: float | None = None  # seconds before it is killed, when not ``--limit``
    also: list[int] = field(default_factory=list)  # more process trees to measure (a cluster)


@dataclass
class Outcome:
    seconds: float
    peak_mb: float
    status: str  # exit code, or "killed: …"
    stderr: str


# ----------------------------------------------------------------------------- measuring


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measure(run: Run, limit: float, max_bytes: int, cwd: Path) -> Outcome:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **run.env}
    cmd = [sys.executable, "-m", "policy_nlp", *run.args]
    preexec = None
    if run.user is not None:
        uid = run.user

        def preexec() -> None:
            os.setgid(uid)
            os.setuid(uid)

    t0 = time.monotonic()
    p = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,
        start_new_session=True,
    )
    ps = psutil.Process(p.pid)
    peak, killed = 0, ""
    err_chunks: list[bytes] = []
    os.set_blocking(p.stderr.fileno(), False)
    during_done = run.during is None
    others = []
    for pid in run.also:
        with contextlib.suppress(psutil.Error):
            others.append(psutil.Process(pid))
    while p.poll() is None:
        peak = max(peak, _tree_rss(ps) + sum(_tree_rss(o) for o in others))
        chunk = p.stderr.read()
        if chunk:
            err_chunks.append(chunk)
        elapsed = time.monotonic() - t0
        if not during_done and elapsed > run.during_at:
            run.during(ps)
            during_done = True
        if elapsed > limit:
            killed = f"killed after {limit:.0f} s"
        elif peak > max_bytes:
            killed = f"killed above {max_bytes / 2**30:.1f} GB"
        if killed:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            break
        time.sleep(0.05)
    rest = p.stderr.read()
    if rest:
        err_chunks.append(rest)
    seconds = time.monotonic() - t0
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    return Outcome(seconds, peak / 2**20, killed or str(p.returncode), stderr)


# ----------------------------------------------------------------------------- reading results


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    f = out / f"{table}.csv"
    if not f.exists():
        return []
    with open(f, encoding="utf-8-sig", newline="", errors="surrogateescape") as fh:
        return list(csv.DictReader(fh))


def _good_kept(out: Path) -> str:
    docs = {r["doc_id"]: r for r in _rows(out, "documents")}
    good = docs.get("good")
    if good is None:
        return "good: NO TABLES" if not docs else "good: missing"
    n = sum(1 for r in _rows(out, "claims") if r["doc_id"] == "good")
    return f"good: {good['status']} {n} claims"


def _bad_reason(out: Path, skip: tuple[str, ...] = ("good",)) -> str:
    bad = [r for r in _rows(out, "documents") if r["doc_id"] not in skip]
    return "; ".join(
        f"{r['doc_id'][:24]}: {r['status']} {r['error'][:90] or r['n_claims'] + ' claims'}"
        for r in bad[:3]
    )


def _last_error(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip() and "documents:" not in ln]
    if not lines:
        return ""
    tb = any(ln.startswith("Traceback") for ln in lines)
    return ("TRACEBACK " if tb else "") + lines[-1][:120]


def _formula_cells(out: Path) -> int:
    n = 0
    for f in sorted(out.glob("*.csv")):
        with open(f, encoding="utf-8-sig", newline="", errors="surrogateescape") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell.startswith(FORMULA_CHARS) and not _is_number(cell):
                        n += 1
    return n


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------- building inputs


def _good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")


def _docx(path: Path, body_chunks, total: int) -> None:
    """A .docx whose document.xml is streamed from ``body_chunks`` (``total`` bytes of body)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>增长5%</w:t></w:r></w:p>"
    ).encode()
    tail = b"</w:body></w:document>"
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            for chunk in body_chunks:
                f.write(chunk)
            f.write(tail)


def _repeat(unit: bytes, total: int, chunk: int = 1 << 22):
    block = unit * (chunk // len(unit))
    sent = 0
    while sent < total:
        yield block
        sent += len(block)


def _cached(work: Path, name: str, build: Callable[[Path], None]) -> Path:
    path = work / "cache" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        build(tmp)
        tmp.rename(path)
    return path


def _link_in(src: Path, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.link(src, folder / name) if src.stat().st_dev == folder.stat().st_dev else shutil.copy(
        src, folder / name
    )


def _pdf_operators(path: Path, n_ops: int = 320_000, pages: int = 8) -> None:
    ops = b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj 1 0 Td " * n_ops + b"ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{5 + i} 0 R".encode() for i in range(pages))
        + f"] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(ops)).encode() + b" >>\nstream\n" + ops + b"\nendstream",
    ]
    for _ in range(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    _write_pdf(path, objs)


def _write_pdf(path: Path, objs: list[bytes]) -> None:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out.getvalue())


def _aes_pdf(path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 700 Td (GDP grew 5.5% in 2023, reaching 4.32 trillion) Tj ET")
    page[NameObject("/Contents")] = w._add_object(stream)
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    with open(path, "wb") as f:
        w.write(f)


def _corpus_text() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))


def _big_text(path: Path, mb: int, one_line: bool) -> None:
    text = _corpus_text()
    if one_line:
        text = text.replace("\n", "")
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        written = 0
        while written < mb * 2**20:
            f.write(data)
            written += len(data)


# ----------------------------------------------------------------------------- the cases

Case = Callable[[Path, Path, argparse.Namespace], tuple[Run, Callable[[Outcome], str]]]
CASES: dict[str, Case] = {}


def case(name: str):
    def register(fn: Case) -> Case:
        CASES[name] = fn
        return fn

    return register


def _simple(tmp: Path, inp: Path, out: Path, extra: list[str] | None = None):
    run = Run(["run", str(inp), "--out", str(out), "--quiet", "--jobs", "2", *(extra or [])])

    def check(o: Outcome) -> str:
        return f"{_good_kept(out)} | {_bad_reason(out)} | {_last_error(o.stderr)}"

    return run, check


def _with_file(tmp: Path, work: Path, cached: str, build, name: str, extra=None):
    """The good document and one hostile file ``name`` (built once as ``cached`` in ``work``),
    run as ``_simple``."""
    _good(tmp / "in")
    _link_in(_cached(work, cached, build), tmp / "in", name)
    return _simple(tmp, tmp / "in", tmp / "out", extra)


def _text_200mb(p: Path) -> None:
    _big_text(p, 200, one_line=False)


def _line_50mb(p: Path) -> None:
    _big_text(p, 50, one_line=True)


@case("docx-300mb-paragraphs")
def _c1(tmp, work, a):
    def build(p: Path) -> None:
        _docx(p, _repeat(b"<w:p/>", 300 * 2**20), 300 * 2**20)

    return _with_file(tmp, work, "paragraphs.docx", build, "bomb.docx")


@case("docx-2gb-padding")
def _c2(tmp, work, a):
    def build(p: Path) -> None:
        _docx(p, _repeat(b" " * 64, 2 * 2**30), 2 * 2**30)

    return _with_file(tmp, work, "padding.docx", build, "padding.docx")


@case("pdf-320k-operators")
def _c3(tmp, work, a):
    return _with_file(tmp, work, "operators.pdf", _pdf_operators, "operators.pdf")


@case("line-50k-numerals")
def _c4(tmp, work, a):
    _good(tmp / "in")
    (tmp / "in" / "zeros.txt").write_text("标题\n" + "〇" * 50_000 + "\n", encoding="utf-8")
    return _simple(tmp, tmp / "in", tmp / "out")


@case("text-200mb")
def _c5(tmp, work, a):
    return _with_file(tmp, work, "200mb.txt", _text_200mb, "huge.txt")


@case("text-50mb-one-line")
def _c6(tmp, work, a):
    return _with_file(tmp, work, "50mb-line.txt", _line_50mb, "line.txt")


@case("text-200mb-no-time-limit")
def _c5b(tmp, work, a):
    """The 200 MB text with ``--time-limit 0``: read and processed in pieces to the end."""
    run, check = _with_file(tmp, work, "200mb.txt", _text_200mb, "huge.txt", ["--time-limit", "0"])
    run.limit = max(a.limit, 900.0)  # it runs to the end: minutes, not the 120 s bar
    return run, check


@case("text-200mb-gb18030")
def _c5c(tmp, work, a):
    """A 200 MB text in GB18030 (decoded a block at a time), stopped by the time limit."""

    def build(p: Path) -> None:
        source = _cached(work, "200mb.txt", _text_200mb)
        with open(source, "rb") as src, open(p, "wb") as dst:
            for line in src:
                dst.write(line.decode("utf-8").encode("gb18030"))

    return _with_file(tmp, work, "200mb-gb.txt", build, "huge-gb.txt")


@case("text-50mb-one-line-read-whole")
def _c6b(tmp, work, a):
    """The 50 MB one-line text read whole (``--piece-mb 0``), as before pieces."""
    return _with_file(tmp, work, "50mb-line.txt", _line_50mb, "line.txt", ["--piece-mb", "0"])


@case("formula-payloads")
def _c7(tmp, work, a):
    _good(tmp / "in")
    payload = (
        '=HYPERLINK("http://evil.example","点击")全年粮食产量增长5%。\n'
        "+cmd|' /C calc'!A0 产值达到3亿元。\n"
        "@SUM(1+1)*cmd|' /C calc'!A0 投资增长8%。\n"
        "-2+3+cmd|' /C calc'!A0 收入增长6%。\n"
    )
    for name in ("=1+1.txt", "@evil.txt", "+2.txt", "-3.txt"):
        (tmp / "in" / name).write_text("标题\n" + payload, encoding="utf-8")
    run, base = _simple(tmp, tmp / "in", tmp / "out", ["--xlsx"])
    return run, lambda o: f"formula cells in CSV: {_formula_cells(tmp / 'out')} | {base(o)}"


def _many(folder: Path, n: int, tag: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{tag}{i:02d}.txt").write_text(
            f"{tag}报告{i}\n2023年全市{tag}{i}产值达到{i + 1}.5亿元，增长{i % 9 + 1}%。\n",
            encoding="utf-8",
        )


@case("concurrent-append")
def _c8(tmp, work, a):
    _good(tmp / "base")
    _many(tmp / "a", 13, "甲")
    _many(tmp / "b", 12, "乙")
    out = tmp / "out"
    subprocess.run(
        [sys.executable, "-m", "policy_nlp", "run", str(tmp / "base"), "--out", str(out),
         "--quiet", "--jobs", "1"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )  # fmt: skip
    other: list[subprocess.Popen] = []

    def start_other(ps: psutil.Process) -> None:
        pass

    run = Run(["run", str(tmp / "a"), "--out", str(out), "--append", "--quiet", "--jobs", "1"])
    other.append(
        subprocess.Popen(
            [sys.executable, "-m", "policy_nlp", "run", str(tmp / "b"), "--out", str(out),
             "--append", "--quiet", "--jobs", "1"],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stderr=subprocess.PIPE,
        )
    )  # fmt: skip

    def check(o: Outcome) -> str:
        err = other[0].communicate()[1].decode("utf-8", "replace")
        docs = _rows(out, "documents")
        return (
            f"documents {len(docs)} of 26; other run exit {other[0].returncode} "
            f"{_last_error(err)[:60]} | {_last_error(o.stderr)[:60]}"
        )

    return run, check


@case("killed-append")
def _c9(tmp, work, a):
    _good(tmp / "base")
    _many(tmp / "new", 40, "丙")
    out = tmp / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    base = [sys.executable, "-m", "policy_nlp", "run"]
    subprocess.run([*base, str(tmp / "base"), "--out", str(out), "--quiet", "--jobs", "1"],
                   env=env, check=True)  # fmt: skip
    victim = subprocess.Popen([*base, str(tmp / "new"), "--out", str(out), "--append", "--quiet",
                               "--jobs", "1"], env=env, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(a.kill_after)
    victim.kill()
    victim.wait()
    run = Run(["run", str(tmp / "new"), "--out", str(out), "--append", "--quiet", "--jobs", "1"])

    def check(o: Outcome) -> str:
        docs = {r["doc_id"] for r in _rows(out, "documents")}
        claims = _rows(out, "claims")
        orphans = sum(1 for r in claims if r["doc_id"] not in docs)
        per_doc: dict[str, int] = {}
        for r in claims:
            per_doc[r["doc_id"]] = per_doc.get(r["doc_id"], 0) + 1
        dup = sum(1 for d, n in per_doc.items() if d != "good" and n != 2)
        return f"documents {len(docs)} of 41, orphan claims {orphans}, docs with wrong rows {dup}"

    return run, check


@case("gbk-file-name")
def _c10(tmp, work, a):
    _good(tmp / "in")
    name = "政府工作报告.txt".encode("gbk")
    with open(os.path.join(os.fsencode(tmp / "in"), name), "w", encoding="utf-8") as f:
        f.write(GOOD.replace("全市", "全省"))
    return _simple(tmp, tmp / "in", tmp / "out")


@case("killed-worker")
def _c11(tmp, work, a):
    _good(tmp / "in")
    path = _cached(work, "50mb-line.txt", _line_50mb)
    _link_in(path, tmp / "in", "victim.txt")
    _many(tmp / "in", 10, "丁")

    def kill_one(ps: psutil.Process) -> None:
        kids = ps.children(recursive=True)
        big = max(kids, key=lambda k: k.memory_info().rss, default=None)
        if big is not None:
            big.kill()

    run, check = _simple(tmp, tmp / "in", tmp / "out")
    run.during, run.during_at = kill_one, 6.0  # the 50 MB file's worker is the biggest by then
    return run, check


@case("link-outside")
def _c12(tmp, work, a):
    _good(tmp / "in")
    os.symlink("/etc/passwd", tmp / "in" / "passwd.txt")
    return _simple(tmp, tmp / "in", tmp / "out")


@case("out-inside-input")
def _c13(tmp, work, a):
    _good(tmp / "in")
    out = tmp / "in" / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "policy_nlp", "run", str(tmp / "in"), "--out", str(out),
                    "--quiet", "--jobs", "1"], env=env, check=False)  # fmt: skip
    subprocess.run([sys.executable, "-m", "policy_nlp", "report", str(out), "--quiet"], env=env,
                   check=False)  # fmt: skip
    run = Run(["run", str(tmp / "in"), "--out", str(out), "--quiet", "--jobs", "1"])
    return run, lambda o: f"documents read: {len(_rows(out, 'documents'))} (1 expected)"


@case("deep-html")
def _c14(tmp, work, a):
    _good(tmp / "in")
    html = (
        "<html><head><title>深层页面</title></head><body>"
        + "<font>" * 400
        + "<p>深层页面</p><p>2023年全市地区生产总值增长6.5%，粮食产量达到300万吨。</p>"
        + "</body></html>"
    )
    (tmp / "in" / "deep.html").write_text(html, encoding="utf-8")
    return _simple(tmp, tmp / "in", tmp / "out")


@case("nul-byte")
def _c15(tmp, work, a):
    _good(tmp / "in")
    (tmp / "in" / "nul.txt").write_text("标题\n2023年产值增长6.5%。\x00\n", encoding="utf-8")
    return _simple(tmp, tmp / "in", tmp / "out")


@case("aes-pdf")
def _c16(tmp, work, a):
    _good(tmp / "in")
    _aes_pdf(tmp / "in" / "aes.pdf")
    return _simple(tmp, tmp / "in", tmp / "out")


@case("value-above-2^53")
def _c17(tmp, work, a):
    _good(tmp / "in")
    (tmp / "in" / "big.txt").write_text(
        "标题\n2023年全市财政收入达到12345678901234567元。\n", encoding="utf-8"
    )
    run, base = _simple(tmp, tmp / "in", tmp / "out")

    def check(o: Outcome) -> str:
        vals = [r["value"] for r in _rows(tmp / "out", "claims") if r["doc_id"] == "big"]
        return f"value written {vals} (12345678901234567 expected) | {base(o)}"

    return run, check


@case("cut-in-number")
def _c18(tmp, work, a):
    _good(tmp / "in")
    line = "各" * 4_990 + "财政收入达到1234567890123元，增长5%。"
    (tmp / "in" / "cut.txt").write_text("标题\n" + line + "\n", encoding="utf-8")
    run, base = _simple(tmp, tmp / "in", tmp / "out")

    def check(o: Outcome) -> str:
        ms = [r["mention"] for r in _rows(tmp / "out", "claims") if r["doc_id"] == "cut"]
        return f"mentions {ms} | {base(o)}"

    return run, check


def _mount(path: Path, size: str, *, ro: bool = False) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True)  # fmt: skip
    if r.returncode:
        return False
    if ro:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
    MOUNTS.append(path)
    return True


MOUNTS: list[Path] = []


@case("disk-full")
def _c19(tmp, work, a):
    _good(tmp / "in")
    _many(tmp / "in", 30, "戊")
    out = tmp / "out"
    if not _mount(out, "24k"):
        raise RuntimeError("needs root (tmpfs mount)")

    def check(o: Outcome) -> str:
        left = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        return f"temp files left {len(left)} | {_last_error(o.stderr)}"

    run = Run(["run", str(tmp / "in"), "--out", str(out), "--quiet", "--jobs", "2"])
    return run, check


@case("read-only-out")
def _c20(tmp, work, a):
    _good(tmp / "in")
    out = tmp / "out"
    if not _mount(out, "1m", ro=True):
        raise RuntimeError("needs root (tmpfs mount)")
    run = Run(["run", str(tmp / "in"), "--out", str(out), "--quiet", "--jobs", "1"])
    return run, lambda o: _last_error(o.stderr)


@case("out-below-file")
def _c21(tmp, work, a):
    _good(tmp / "in")
    (tmp / "afile").write_text("x")
    run = Run(["run", str(tmp / "in"), "--out", str(tmp / "afile" / "out"), "--quiet"])
    return run, lambda o: _last_error(o.stderr)


@case("tampered-models")
def _c22(tmp, work, a):
    _good(tmp / "in")
    models = tmp / "models"
    shutil.copytree(ROOT / "models", models)
    (models / "keywords_idf.json").write_text('{"idf": [1, 2', encoding="utf-8")
    (models / "topics" / "model.npz").write_bytes(b"PK\x03\x04garbage")
    run = Run(["run", str(tmp / "in"), "--out", str(tmp / "out"), "--quiet", "--models",
               str(models)])  # fmt: skip
    return run, lambda o: _last_error(o.stderr)


def _dask_cluster(
    tmp: Path, workers: int, worker_args: tuple[str, ...] = ()
) -> tuple[str, list[subprocess.Popen]]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    procs = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]  # fmt: skip
    address = f"tcp://127.0.0.1:{port}"
    time.sleep(3)
    for _ in range(workers):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                       address, "--nthreads", "1", "--no-dashboard",
                                       *worker_args], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
    time.sleep(4)
    CLUSTERS.extend(procs)
    return address, procs


CLUSTERS: list[subprocess.Popen] = []


@case("dask-worker-killed")
def _c23(tmp, work, a):
    _good(tmp / "in")
    _many(tmp / "in", 40, "己")
    address, procs = _dask_cluster(tmp, 2)

    def kill_one(ps: psutil.Process) -> None:
        for kid in psutil.Process(procs[1].pid).children(recursive=True):
            kid.kill()
        procs[1].kill()

    run, base = _simple(tmp, tmp / "in", tmp / "out", ["--engine", "dask", "--scheduler", address])
    run.args.remove("--jobs")
    run.args.remove("2")
    run.during = kill_one

    def check(o: Outcome) -> str:
        return f"documents {len(_rows(tmp / 'out', 'documents'))} of 41 | {base(o)}"

    return run, check


@case("dask-text-200mb")
def _c23b(tmp, work, a):
    """The 200 MB text on a Dask worker (``--dask-input paths``): the per-document limits
    apply inside the task, so it is stopped at the time limit and the run goes on."""
    _good(tmp / "in")
    path = _cached(work, "200mb.txt", _text_200mb)
    _link_in(path, tmp / "in", "huge.txt")
    address, procs = _dask_cluster(tmp, 2)
    run, base = _simple(
        tmp,
        tmp / "in",
        tmp / "out",
        ["--engine", "dask", "--scheduler", address, "--dask-input", "paths"],
    )
    run.args.remove("--jobs")
    run.args.remove("2")
    run.also = [p.pid for p in procs]  # the cluster's memory counts too
    return run, base


@case("dask-poison-document")
def _c23c(tmp, work, a):
    """A document that takes down every Dask worker that runs it (the 50 MB line read whole,
    past the workers' own 700 MB memory limit, with the per-document limits off): after
    ``distributed.scheduler.allowed-failures`` workers it gets status error, and the run goes
    on."""
    _good(tmp / "in")
    _many(tmp / "in", 10, "辛")
    path = _cached(work, "50mb-line.txt", _line_50mb)
    _link_in(path, tmp / "in", "poison.txt")
    address, procs = _dask_cluster(tmp, 2, ("--memory-limit", "700MB"))
    run, base = _simple(
        tmp,
        tmp / "in",
        tmp / "out",
        ["--engine", "dask", "--scheduler", address, "--dask-input", "paths", "--piece-mb", "0",
         "--time-limit", "0", "--memory-limit", "0"],
    )  # fmt: skip
    run.args.remove("--jobs")
    run.args.remove("2")
    run.also = [p.pid for p in procs]
    return run, base


@case("dask-all-workers-die")
def _c24(tmp, work, a):
    _good(tmp / "in")
    _many(tmp / "in", 200, "庚")
    address, procs = _dask_cluster(tmp, 1)

    def kill_all(ps: psutil.Process) -> None:
        for p in procs[1:]:
            for kid in psutil.Process(p.pid).children(recursive=True):
                kid.kill()
            p.kill()

    run = Run(["run", str(tmp / "in"), "--out", str(tmp / "out"), "--quiet", "--engine", "dask",
               "--scheduler", address])  # fmt: skip
    run.during = kill_all
    return run, lambda o: _last_error(o.stderr)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--only", help="comma-separated case names")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "policy_nlp_faults"))
    p.add_argument("--limit", type=float, default=130.0, help="seconds before a case is killed")
    p.add_argument("--max-gb", type=float, default=6.0, help="memory before a case is killed")
    p.add_argument("--kill-after", type=float, default=2.0, help="killed-append: seconds")
    a = p.parse_args(argv)
    names = a.only.split(",") if a.only else list(CASES)
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'case':24} {'seconds':>8} {'peak MB':>8} {'exit':>8}  outcome", flush=True)
    for name in names:
        tmp = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work))
        try:
            run, check = CASES[name](tmp, work, a)
            o = measure(run, run.limit or a.limit, int(a.max_gb * 2**30), tmp)
            outcome = check(o)
        except Exception as exc:  # a case that cannot be built here
            o, outcome = Outcome(0, 0, "skip", ""), f"not run: {exc}"
        finally:
            for proc in CLUSTERS:
                proc.kill()
                proc.wait()
            CLUSTERS.clear()
        print(f"{name:24} {o.seconds:8.1f} {o.peak_mb:8.0f} {o.status:>8}  {outcome}", flush=True)
        for m in MOUNTS:
            subprocess.run(["umount", str(m)], check=False)
        MOUNTS.clear()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
