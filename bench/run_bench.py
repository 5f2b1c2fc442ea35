"""Throughput and memory of policy_nlp against plain jieba, on an N-MB corpus built from corpus/.

    python bench/run_bench.py --mb 10            # what `make bench` runs (MB=10 by default)
    python bench/run_bench.py --mb 50 --jobs 2

What it measures, all in one run so the figures share the machine's load:

1. the whole pipeline as a user runs it: ``policy-nlp run CORPUS --out DIR --quiet`` in a
   subprocess, wall time from process start until the tables are written; its peak memory as
   the largest single process (``ru_maxrss`` from ``wait4``) and as the summed PSS of the process
   tree (parent and workers, sampled every 50 ms from ``/proc``; PSS counts pages shared after
   ``fork`` once);
2. each stage in this process, on one core, as the pipeline runs it: read, claims, tracking
   (``describe`` per document, ``link`` over the batch), tokenise, keywords, topics, tables (MB/s
   of input text, UTF-8 bytes of the files);
3. plain single-process ``jieba.lcut`` over the same texts (dictionary loaded first, timed apart),
   and the ratio pipeline wall time / ``jieba.lcut`` time: the target is <= 0.5 (aim 0.25);
4. the tokeniser backends behind ``--tokenizer``: speed, and how often rjieba's tokens differ
   from jieba's over the texts (the same dictionary and user dictionary).

The corpus is ``corpus/*.txt`` copied round-robin (``<name>~0001.txt`` …) until it holds N MB.
Nothing here asserts timings; the figures are printed (and saved as JSON with ``--json``).
"""

from __future__ import annotations

import argparse
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


def build_corpus(source: Path, dest: Path, mb: float) -> tuple[list[Path], int]:
    """Copy ``source/*.txt`` round-robin into ``dest`` until it holds ``mb`` MB; (files, bytes)."""
    originals = sorted(source.glob("*.txt"))
    if not originals:
        raise SystemExit(f"no .txt files in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    files, total, k = [], 0, 0
    while total < mb * MB:
        for src in originals:
            if total >= mb * MB:
                break
            f = dest / f"{src.stem}~{k:04d}.txt"
            shutil.copyfile(src, f)
            files.append(f)
            total += f.stat().st_size
        k += 1
    return files, total


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
    proc = subprocess.Popen(cmd)
    sampler = TreeMemory(proc.pid) if Path("/proc/self/smaps_rollup").exists() else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop()
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


class Stopwatch:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def time(self, name: str):
        watch = self

        class _Ctx:
            def __enter__(self):
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                watch.times[name] = watch.times.get(name, 0.0) + time.perf_counter() - self.t0

        return _Ctx()


def run_stages(files: list[Path], tokenizer: str, out: Path) -> tuple[dict, list[str]]:
    """Each stage over every file, one core, in this process; returns (seconds, texts).

    The stages do what ``pipeline.run`` does, with its own helpers: claims become table rows
    in the worker, tokens are counted, only the topic vocabulary's counts are kept, the tables
    are built and written as ``Result.to_csv`` writes them.
    """
    from collections import Counter
    from dataclasses import replace

    from policy_nlp import artifacts, tracking
    from policy_nlp.batch import result as tables_of_run
    from policy_nlp.batch import runner as pipeline
    from policy_nlp.batch import worker
    from policy_nlp.claims.extractor import extract
    from policy_nlp.read.document import assign_doc_ids, read_document
    from policy_nlp.tokens import Tokenizer

    sw = Stopwatch()
    ids = assign_doc_ids(files)
    with sw.time("read"):
        docs = [read_document(f, doc_id=d) for f, d in zip(files, ids, strict=True)]
    claim_rows, claims_per_doc = [], {}
    with sw.time("claims"):
        for d in docs:
            claims = extract(
                d.text, doc_id=d.doc_id, year=d.year, doc_type=d.doc_type, title=d.title
            )
            claims_per_doc[d.doc_id] = claims
            claim_rows.extend(worker.claim_rows(claims))
    facts = []
    with sw.time("tracking: describe"):
        for d in docs:
            facts.extend(tracking.describe(claims_per_doc[d.doc_id], d.text))
    tk = Tokenizer(backend=tokenizer)
    with sw.time("tokeniser load"):
        tk.cut("加载")
    counts = {}
    with sw.time("tokenise"):
        for d in docs:
            counts[d.doc_id] = dict(sorted(Counter(worker.content_tokens(tk, d.text)).items()))
    with sw.time("models load"):
        kw = artifacts.load_keywords(None)
        topic_model = artifacts.load_topics(None)
    results = []
    with sw.time("keywords"):
        for d in docs:
            meta = replace(
                d,
                text="",
                extra={"chars": len(d.text), "n_claims": len(claims_per_doc[d.doc_id])},
            )
            results.append(worker.DocResult(meta, keywords=kw.keywords(counts[d.doc_id])))
    with sw.time("scikit-learn load"):
        for name in pipeline.AGGREGATION_IMPORTS:
            __import__(name)
    with sw.time("topics"):
        vocabulary = frozenset(topic_model.vocabulary_)
        kept = {k: {t: n for t, n in c.items() if t in vocabulary} for k, c in counts.items()}
        doc_topics = topic_model.doc_topics_frame(kept)
    with sw.time("tables: build"):
        documents = tables_of_run.documents_frame(results)
        result = tables_of_run.Result(
            claims=tables_of_run.claim_rows_frame(claim_rows),
            documents=documents,
            keywords=tables_of_run.keywords_frame(results),
            topics=topic_model.topics_frame(),
            doc_topics=doc_topics,
        )
    with sw.time("tracking: link"):
        result.tracking = tracking.link(facts, documents, tokenizer=tokenizer)
    with sw.time("tables: write"):
        result.to_csv(out)
    return sw.times, [d.text for d in docs]


def run_tokenisers(texts: list[str], sample: list[str]) -> dict:
    """Plain jieba.lcut over ``texts``; the policy Tokenizer backends and their agreement on ``sample``."""
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
        return f"  {name:<26}{'':>10}{'':>10}  {note}"
    mbps = nbytes / MB / seconds if seconds > 0 else float("inf")
    return f"  {name:<26}{seconds:>9.2f}s{mbps:>8.2f}MB/s  {note}".rstrip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=10, help="corpus size in MB (default 10)")
    p.add_argument("--jobs", type=int, default=None, help="--jobs for the pipeline (default: all)")
    p.add_argument("--tokenizer", choices=("rjieba", "jieba"), default="rjieba")
    p.add_argument("--source", type=Path, default=ROOT / "corpus", help="texts to replicate")
    p.add_argument("--workdir", type=Path, help="keep the corpus and tables here")
    p.add_argument("--no-stages", action="store_true", help="only the pipeline and jieba")
    p.add_argument("--json", type=Path, help="also save the figures as JSON")
    args = p.parse_args(argv)

    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="policy-nlp-bench-")
        work = Path(tmp.name)
    else:
        work = args.workdir
    try:
        corpus = work / f"corpus-{args.mb:g}MB"
        if corpus.exists():
            shutil.rmtree(corpus)
        files, nbytes = build_corpus(args.source, corpus, args.mb)
        print(f"corpus: {len(files)} files, {nbytes / MB:.1f} MB in {corpus}", flush=True)
        extra = ["--tokenizer", args.tokenizer]
        if args.jobs:
            extra += ["--jobs", str(args.jobs)]
        pipe = run_pipeline(corpus, work / "out-pipeline", extra)
        print(f"pipeline: {pipe['wall_s']:.2f}s exit {pipe['exit']}", flush=True)
        stages, texts = ({}, None)
        if not args.no_stages:
            stages, texts = run_stages(files, args.tokenizer, work / "out-stages")
        if texts is None:
            from policy_nlp.read.document import read_document

            texts = [read_document(f).text for f in files]
        sample = [f.read_text(encoding="utf-8-sig") for f in sorted(args.source.glob("*.txt"))]
        tok = run_tokenisers(texts, sample)
        helps = help_time()
    finally:
        if tmp is not None:
            tmp.cleanup()

    ratio = pipe["wall_s"] / tok["jieba_lcut_s"]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print()
    print(f"policy_nlp bench: {nbytes / MB:.1f} MB, {len(files)} files, {cores} cores")
    print(f"  {'':<26}{'time':>10}{'speed':>10}")
    print(_row("pipeline (policy-nlp run)", pipe["wall_s"], nbytes, " ".join(extra)))
    print(_row("jieba.lcut (1 process)", tok["jieba_lcut_s"], nbytes))
    print(_row("jieba dictionary load", tok["jieba_init_s"], 0, "not in jieba.lcut's time"))
    print(f"  ratio pipeline / jieba.lcut: {ratio:.2f}  (wall time; target <= 0.5, aim 0.25)")
    print(
        f"  CPU time: pipeline {pipe['cpu_s']:.2f}s (all processes), jieba.lcut "
        f"{tok['jieba_lcut_cpu_s']:.2f}s; ratio {pipe['cpu_s'] / tok['jieba_lcut_cpu_s']:.2f}"
    )
    try:
        load = os.getloadavg()[0]
        print(
            f"  load average at the end: {load:.1f} on {cores} cores (others' load skews wall times)"
        )
    except OSError:
        pass
    mem = pipe["tree_pss_mb"]
    print(
        f"  peak memory: largest process {pipe['max_process_rss_mb']:.0f} MB RSS; "
        f"whole process tree {mem:.0f} MB PSS"
        if mem is not None
        else f"  peak memory: largest process {pipe['max_process_rss_mb']:.0f} MB RSS"
    )
    if stages:
        print("stages in one process, one core:")
        for name, secs in stages.items():
            note = "once per process" if name.endswith("load") else ""
            print(_row(name, secs, 0 if note else nbytes, note))
        per_core = sum(v for k, v in stages.items() if not k.endswith("load"))
        print(_row("sum of stages", per_core, nbytes))
    a = tok["agreement"]
    print(
        f"tokenisers on {args.source.name}/ ({a['docs']} documents, cut with the user dictionary):"
    )
    print(f"  rjieba {tok['rjieba_cut_mbps']:.2f} MB/s, jieba {tok['jieba_cut_mbps']:.2f} MB/s")
    print(
        f"  identical token sequences in {a['identical_docs']}/{a['docs']} documents; "
        f"{a['differing_tokens']} of {a['jieba_tokens']} tokens differ"
    )
    print(f"policy-nlp --help: {helps:.2f}s (best of 3)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "mb": nbytes / MB,
                    "files": len(files),
                    "cores": cores,
                    "pipeline": pipe,
                    "ratio_to_jieba": ratio,
                    "cpu_ratio_to_jieba": pipe["cpu_s"] / tok["jieba_lcut_cpu_s"],
                    "stages_s": stages,
                    "tokenisers": tok,
                    "help_s": helps,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0 if pipe["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
