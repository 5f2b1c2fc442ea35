"""Throughput and memory of ``policy-nlp run`` against plain jieba, per stage of the CLI's own
code, on three N-MB corpora built from the repository's documents (``bench/corpora.py``).

    python bench/run_bench.py --mb 10            # what `make bench` runs (MB=10 by default)
    MB=100 make bench                            # the same at 100 MB
    python bench/run_bench.py --mb 50 --corpus series --jobs 2

For each corpus (``copies``: corpus/ copied round-robin; ``series``: a multi-year archive of
government work reports, the same governments over years, no two files alike; ``long-lines``:
the series with each body on one line, as web pages and PDFs give text), all in one run so the
figures share the machine's load:

1. the whole pipeline as a user runs it: ``policy-nlp run CORPUS --out DIR --quiet`` in a
   subprocess, wall time from process start until the tables are written, CPU time of the
   process and its workers; its peak memory as the largest single process (``ru_maxrss`` from
   ``wait4``) and as the summed PSS of the process tree (sampled every 50 ms from ``/proc``);
2. the CLI's stages: ``write_tables`` (what ``policy-nlp run`` calls) in this process with one
   job, with a CPU clock around the functions it calls (read, claims extraction, tracking's
   description of each figure, headline keys, tokenise and count, keywords, topic placement,
   CSV formatting in the worker, part files, linking, panel, assembling the tables). Each
   stage's time is its own (the stages it calls are subtracted), CPU-s per MB of input;
3. plain single-process ``jieba.lcut`` over the same texts (dictionary loaded first, timed
   apart) and the rjieba floor (``Tokenizer("rjieba").cut`` with the policy dictionary: what
   tokenising alone costs); the ratios pipeline wall / ``jieba.lcut`` and pipeline CPU / floor;
4. the tokeniser backends behind ``--tokenizer`` on corpus/: speed, and how often rjieba's
   tokens differ from jieba's.

Nothing here asserts timings; the figures are printed (and saved as JSON with ``--json``).
Wall times on a shared machine move with others' load: compare CPU figures, or paired runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000


# ----------------------------------------------------------------------------- corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import build_copies, build_long_lines, build_series  # noqa: E402

CORPORA = {"copies": build_copies, "series": build_series, "long-lines": build_long_lines}


# ----------------------------------------------------------------------------- memory


def _tree_pids(root: int) -> list[int]:
    """``root`` and its descendants, from /proc/<pid>/task/<tid>/children."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; ``peak_kb`` is the largest sum."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            total = sum(_pss_kb(p) for p in _tree_pids(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# ----------------------------------------------------------------------------- pipeline


def _policy_nlp_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "policy-nlp"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "policy_nlp"]


def run_pipeline(corpus: Path, out: Path, extra: list[str]) -> dict:
    """``policy-nlp run`` in a subprocess: wall seconds, peak memory, exit status."""
    cmd = [*_policy_nlp_cmd(), "run", str(corpus), "--out", str(out), "--quiet", *extra]
    t0 = time.perf_counter()
    # its stderr (a line per duplicate file of the copies corpus) kept apart, shown on failure
    log = out.parent / f"{out.name}.stderr"
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, stderr=err)
    sampler = TreeMemory(proc.pid) if Path("/proc/self/smaps_rollup").exists() else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop()
    if proc.returncode != 0:
        print(log.read_text(encoding="utf-8", errors="replace")[-2000:], file=sys.stderr)
    return {
        "cmd": " ".join(cmd),
        "wall_s": wall,
        "exit": proc.returncode,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # the process and its (joined) workers
        "max_process_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "tree_pss_mb": sampler.peak_kb / 1024 if sampler else None,
    }


def help_time() -> float:
    """Wall seconds of ``policy-nlp --help`` (best of three)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([*_policy_nlp_cmd(), "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


# ----------------------------------------------------------------------------- stages


class StageClock:
    """CPU seconds per stage, each stage's own: time spent in a stage it calls is that
    stage's, not the caller's."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._stack: list[list] = []  # [stage, started, time of the stages it called]

    def enter(self, stage: str) -> None:
        self._stack.append([stage, time.process_time(), 0.0])

    def outermost(self) -> str:
        """The stage the current call is in (its outermost), or ""."""
        return self._stack[0][0] if self._stack else ""

    def leave(self) -> None:
        stage, started, inner = self._stack.pop()
        spent = time.process_time() - started
        self.times[stage] = self.times.get(stage, 0.0) + spent - inner
        if self._stack:
            self._stack[-1][2] += spent


# (object, attribute, stage): the functions ``write_tables`` calls, looked up where it calls
# them (module globals and attributes of the faces), so the timed code is the CLI's own
def _timed_functions() -> list[tuple[object, str, str]]:
    from policy_nlp import tables, tracking
    from policy_nlp.batch import runner, spill, worker
    from policy_nlp.keywords import PlainKeywordExtractor
    from policy_nlp.topics import PlainTopicModel

    return [
        (worker, "read_document", "read"),
        (worker, "extract", "claims: extract"),
        (worker, "claim_rows", "claims: rows"),
        (tracking, "describe", "tracking: describe"),
        (tracking, "headline_keys", "tracking: headline keys"),
        (tracking, "document_region", "tracking: government"),
        (tracking, "jurisdiction", "tracking: government"),
        (worker, "count_content_tokens", "tokenise and count"),
        (PlainKeywordExtractor, "keywords", "keywords"),  # the models a run applies
        (PlainTopicModel, "doc_topic_rows", "topics: placement"),
        (tables, "sort_rows", _CSV),
        (tables, "csv_lines", _CSV),
        (tables, "csv_text", _CSV),
        (spill, "link_records", "worker: facts as JSON"),
        (spill.TableFiles, "add", "parent: part files"),
        (spill.TableFiles, "add_link_facts", "parent: part files"),
        (spill.TableFiles, "link", "tracking: link"),
        (tracking, "build_panel", "tracking: panel"),
        (runner, "documents_frame", "parent: tables"),
        (runner, "claim_rows_frame", "parent: tables"),
        (spill.TableFiles, "add_frame", "parent: tables"),
        (spill.TableFiles, "commit", "parent: tables"),
    ]


_CSV = "CSV formatting"  # the worker's (asked by no timed stage); else the asking stage's


def _wrap(clock: StageClock, func, stage: str):
    def timed(*args, **kwargs):
        if stage == _CSV and clock.outermost():
            # the rows of a stage's own table: its time (tracking.link_rows is lazy, so linking
            # itself runs while its rows are formatted)
            return func(*args, **kwargs)
        clock.enter(f"worker: {_CSV}" if stage == _CSV else stage)
        try:
            return func(*args, **kwargs)
        finally:
            clock.leave()

    return timed


def run_stages(corpus: Path, out: Path, tokenizer: str, extra: dict | None = None) -> dict:
    """``write_tables`` (``policy-nlp run``'s code) in this process, one job, timed per stage.

    Returns {stage: CPU seconds}; "loading" is the tokeniser, the tense model and the saved
    models (once per process), "other" the rest of the run outside the timed functions."""
    from policy_nlp.batch import RunConfig, runner
    from policy_nlp.claims.tense import default_classifier
    from policy_nlp.tokens import get_tokenizer

    clock = StageClock()
    t0 = time.process_time()
    get_tokenizer(tokenizer).cut("预热")
    default_classifier()
    loading = time.process_time() - t0
    patched = [(obj, name, getattr(obj, name)) for obj, name, _ in _timed_functions()]
    for (obj, name, stage), (_, _, func) in zip(_timed_functions(), patched, strict=True):
        setattr(obj, name, _wrap(clock, func, stage))
    config = RunConfig(
        jobs=1, tokenizer=tokenizer, time_limit=0, memory_limit_mb=0, **(extra or {})
    )
    try:
        t0 = time.process_time()
        runner.write_tables([corpus], out, config=config)
        total = time.process_time() - t0
    finally:
        for obj, name, func in patched:
            setattr(obj, name, func)
    times = {"loading": loading, **clock.times}
    times["other"] = total - sum(clock.times.values())
    return times


def run_tokenisers(texts: list[str], sample: list[str] | None = None) -> dict:
    """Plain jieba.lcut and the rjieba floor over ``texts``; the policy Tokenizer backends and
    their agreement on ``sample`` (when given)."""
    import logging

    import jieba

    from policy_nlp.tokens import Tokenizer

    res: dict = {}
    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    jieba.initialize()
    res["jieba_init_s"] = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for t in texts:
        n += len(jieba.lcut(t))
    res["jieba_lcut_s"] = time.perf_counter() - t0
    res["jieba_lcut_cpu_s"] = time.process_time() - c0
    res["jieba_tokens"] = n
    floor = Tokenizer(backend="rjieba")
    floor.cut("加载")
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        floor.cut(t)
    res["rjieba_floor_s"] = time.perf_counter() - t0
    res["rjieba_floor_cpu_s"] = time.process_time() - c0
    if not sample:
        return res
    sample_bytes = sum(len(t.encode("utf-8")) for t in sample)
    cuts = {}
    for backend in ("rjieba", "jieba"):
        tk = Tokenizer(backend=backend)
        tk.cut("加载")
        t0 = time.perf_counter()
        cuts[backend] = [tk.cut(t) for t in sample]
        res[f"{backend}_cut_mbps"] = sample_bytes / MB / (time.perf_counter() - t0)
    same_docs = sum(a == b for a, b in zip(cuts["rjieba"], cuts["jieba"], strict=True))
    diff_tokens = 0
    for a, b in zip(cuts["rjieba"], cuts["jieba"], strict=True):
        if a != b:
            from difflib import SequenceMatcher

            sm = SequenceMatcher(a=a, b=b, autojunk=False)
            diff_tokens += sum(
                max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"
            )
    res["agreement"] = {
        "docs": len(sample),
        "identical_docs": same_docs,
        "jieba_tokens": sum(map(len, cuts["jieba"])),
        "differing_tokens": diff_tokens,
    }
    return res


# ----------------------------------------------------------------------------- report


def _row(name: str, seconds: float | None, nbytes: int, note: str = "") -> str:
    if seconds is None:
        return f"  {name:<28}{'':>10}{'':>10}  {note}"
    mbps = nbytes / MB / seconds if seconds > 0 else float("inf")
    return f"  {name:<28}{seconds:>9.2f}s{mbps:>8.2f}MB/s  {note}".rstrip()


def bench_corpus(kind: str, args: argparse.Namespace, work: Path, extra: list[str]) -> dict:
    """Every figure of one corpus (built in ``work``, removed after)."""
    from policy_nlp.read.document import read_document

    corpus = work / f"{kind}-{args.mb:g}MB"
    if corpus.exists():
        shutil.rmtree(corpus)
    files, nbytes = (
        CORPORA[kind](args.source, corpus, args.mb)
        if kind == "copies"
        else CORPORA[kind](corpus, args.mb)
    )
    print(f"{kind}: {len(files)} files, {nbytes / MB:.1f} MB in {corpus}", flush=True)
    pipe = run_pipeline(corpus, work / f"out-{kind}", extra)
    print(f"  pipeline: {pipe['wall_s']:.2f}s exit {pipe['exit']}", flush=True)
    stages = {}
    if not args.no_stages:
        stages = run_stages(
            corpus,
            work / f"out-{kind}-stages",
            args.tokenizer,
            {"tracking": False} if args.no_tracking else None,
        )
    texts = [read_document(f).text for f in files]
    tok = run_tokenisers(texts)
    shutil.rmtree(corpus, ignore_errors=True)
    return {"files": len(files), "bytes": nbytes, "pipeline": pipe, "stages_cpu_s": stages, **tok}


def report(kind: str, r: dict, extra: list[str]) -> None:
    """The figures of one corpus, printed."""
    nbytes, pipe, stages = r["bytes"], r["pipeline"], r["stages_cpu_s"]
    mb = nbytes / MB
    print(f"{kind}: {mb:.1f} MB, {r['files']} files")
    print(f"  {'':<28}{'time':>10}{'speed':>10}")
    print(_row("pipeline (policy-nlp run)", pipe["wall_s"], nbytes, " ".join(extra)))
    print(_row("jieba.lcut (1 process)", r["jieba_lcut_s"], nbytes))
    print(_row("rjieba floor (1 process)", r["rjieba_floor_s"], nbytes, "Tokenizer.cut alone"))
    print(
        f"  ratio pipeline / jieba.lcut: {pipe['wall_s'] / r['jieba_lcut_s']:.3f} (wall); "
        f"pipeline / rjieba floor: {pipe['cpu_s'] / r['rjieba_floor_cpu_s']:.2f} (CPU)"
    )
    print(
        f"  CPU: pipeline {pipe['cpu_s']:.2f}s = {pipe['cpu_s'] / mb:.3f} CPU-s/MB (all "
        f"processes); jieba.lcut {r['jieba_lcut_cpu_s'] / mb:.3f}; rjieba floor "
        f"{r['rjieba_floor_cpu_s'] / mb:.3f} CPU-s/MB"
    )
    mem = pipe["tree_pss_mb"]
    print(
        f"  peak memory: largest process {pipe['max_process_rss_mb']:.0f} MB RSS"
        + (f"; whole process tree {mem:.0f} MB PSS" if mem is not None else "")
    )
    if stages:
        print("  the CLI's stages, one process, one job (CPU-s, CPU-s/MB, share):")
        per_mb = sum(v for k, v in stages.items() if k != "loading")
        for name, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
            note = "once per process" if name == "loading" else f"{secs / per_mb:6.1%}"
            print(f"    {name:<28}{secs:>8.2f}s{secs / mb:>8.3f}  {note}")
        print(f"    {'sum of stages':<28}{per_mb:>8.2f}s{per_mb / mb:>8.3f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=10, help="corpus size in MB (default 10)")
    p.add_argument("--jobs", type=int, default=None, help="--jobs for the pipeline (default: all)")
    p.add_argument("--tokenizer", choices=("rjieba", "jieba"), default="rjieba")
    p.add_argument("--corpus", choices=(*CORPORA, "all"), default="all", help="which corpus (all)")
    p.add_argument("--source", type=Path, default=ROOT / "corpus", help="texts to copy")
    p.add_argument("--workdir", type=Path, help="build the corpora and tables here")
    p.add_argument("--no-stages", action="store_true", help="only the pipeline and jieba")
    p.add_argument("--no-tracking", action="store_true", help="run --no-tracking")
    p.add_argument("--json", type=Path, help="also save the figures as JSON")
    args = p.parse_args(argv)

    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="policy-nlp-bench-")
        work = Path(tmp.name)
    else:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    extra = ["--tokenizer", args.tokenizer]
    if args.jobs:
        extra += ["--jobs", str(args.jobs)]
    if args.no_tracking:
        extra += ["--no-tracking"]
    kinds = list(CORPORA) if args.corpus == "all" else [args.corpus]
    figures: dict = {}
    try:
        for kind in kinds:
            figures[kind] = bench_corpus(kind, args, work, extra)
        sample = [f.read_text(encoding="utf-8-sig") for f in sorted(args.source.glob("*.txt"))]
        agreement = run_tokenisers(sample[:1], sample)
        helps = help_time()
    finally:
        if tmp is not None:
            tmp.cleanup()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print()
    print(f"policy_nlp bench: {args.mb:g} MB per corpus, {cores} cores")
    with contextlib.suppress(OSError):
        print(
            f"  load average at the end: {os.getloadavg()[0]:.1f} (others' load skews wall times)"
        )
    for kind in kinds:
        report(kind, figures[kind], extra)
    per_mb = {k: f["pipeline"]["cpu_s"] / (f["bytes"] / MB) for k, f in figures.items()}
    for a, b in (("copies", "series"), ("series", "long-lines")):
        if a in per_mb and b in per_mb:
            print(f"{b} / {a}, pipeline CPU-s per MB: {per_mb[b] / per_mb[a]:.2f}")
    a = agreement["agreement"]
    print(f"tokenisers on {args.source.name}/ ({a['docs']} documents, with the user dictionary):")
    print(
        f"  rjieba {agreement['rjieba_cut_mbps']:.2f} MB/s, jieba {agreement['jieba_cut_mbps']:.2f}"
        f" MB/s; identical token sequences in {a['identical_docs']}/{a['docs']} documents; "
        f"{a['differing_tokens']} of {a['jieba_tokens']} tokens differ"
    )
    print(f"policy-nlp --help: {helps:.2f}s (best of 3)")
    if args.json:
        payload = {"mb": args.mb, "cores": cores, "corpora": figures, "help_s": helps}
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return 0 if all(f["pipeline"]["exit"] == 0 for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
