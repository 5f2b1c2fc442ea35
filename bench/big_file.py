"""Peak memory and time of `policy-nlp run` on one huge single-line text file.

    python bench/big_file.py                # 50 MB, --jobs 1 and --jobs 2
    python bench/big_file.py --mb 5 --stages

The file is the shipped corpus with its line breaks removed, repeated to the size asked for:
one line of real policy prose (about 17 million characters for 50 MB of UTF-8). The command
runs as a child process; its peak resident memory is the largest of it and its workers
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``, what ``/usr/bin/time -v`` reports).
``--stages`` also runs the stages in this process and prints the memory after each one, to
show where it goes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_file(path: Path, mb: float) -> int:
    """Write ``mb`` MB of corpus prose on one line; returns its size in bytes."""
    unit = "".join(
        p.read_text(encoding="utf-8").replace("\r", "").replace("\n", "")
        for p in sorted((ROOT / "corpus").glob("*.txt"))
    ).encode("utf-8")
    target = int(mb * 2**20)
    with path.open("wb") as f:
        written = 0
        while written + len(unit) <= target:
            f.write(unit)
            written += len(unit)
        f.write(unit[: target - written].decode("utf-8", "ignore").encode("utf-8"))
    return path.stat().st_size


# Runs a command and prints the peak resident memory of it and its workers, in KB.
_MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(proc.stderr)
print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cli(path: Path, jobs: int) -> dict:
    """Run the command in a fresh child process; its time, peak memory and claims."""
    out = path.parent / f"out-jobs{jobs}"
    cmd = [sys.executable, "-m", "policy_nlp", "run", str(path), "--out", str(out), "--quiet",
           "--jobs", str(jobs)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    code, peak_kb = (int(x) for x in proc.stdout.split())
    claims = sum(1 for _ in (out / "claims.csv").open(encoding="utf-8-sig")) - 1 if code == 0 else 0
    return {
        "jobs": jobs,
        "exit": code,
        "seconds": round(elapsed, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "claims": claims,
        "stderr": proc.stderr.strip()[-500:],
    }


def stages(path: Path) -> None:
    """Memory after each stage, run here one after the other."""
    from collections import Counter

    from policy_nlp import tables
    from policy_nlp.batch.worker import claims_and_facts, content_tokens
    from policy_nlp.read.document import read_document
    from policy_nlp.tokens import get_tokenizer

    print(f"  start                 rss {_rss_mb():7.1f} MB  peak {_peak_mb():7.1f} MB")
    t0 = time.perf_counter()
    doc = read_document(path)
    print(f"  read ({len(doc.text):,} chars)  rss {_rss_mb():7.1f} MB  peak {_peak_mb():7.1f} MB  "
          f"{time.perf_counter() - t0:.1f}s")  # fmt: skip
    t0 = time.perf_counter()
    claims, facts = claims_and_facts(doc)
    print(f"  claims ({len(claims):,})     rss {_rss_mb():7.1f} MB  peak {_peak_mb():7.1f} MB  "
          f"{time.perf_counter() - t0:.1f}s")  # fmt: skip
    t0 = time.perf_counter()
    counts = Counter(content_tokens(get_tokenizer("rjieba"), doc.text))
    print(f"  tokens ({sum(counts.values()):,})     rss {_rss_mb():7.1f} MB  "
          f"peak {_peak_mb():7.1f} MB  {time.perf_counter() - t0:.1f}s")  # fmt: skip
    t0 = time.perf_counter()
    df = tables.claims_frame(claims)
    print(f"  claims table          rss {_rss_mb():7.1f} MB  peak {_peak_mb():7.1f} MB  "
          f"{time.perf_counter() - t0:.1f}s")  # fmt: skip
    t0 = time.perf_counter()
    tables.write_csv(df, path.parent / "claims-stage.csv")
    print(f"  claims.csv written    rss {_rss_mb():7.1f} MB  peak {_peak_mb():7.1f} MB  "
          f"{time.perf_counter() - t0:.1f}s")  # fmt: skip
    del facts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=50, help="file size in MB (default 50)")
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    p.add_argument("--stages", action="store_true", help="also show memory stage by stage")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="policy-nlp-big-") as tmp:
        path = Path(tmp) / "big.txt"
        size = make_file(path, args.mb)
        print(f"{path.name}: {size / 2**20:.1f} MB on one line")
        for jobs in args.jobs:
            r = run_cli(path, jobs)
            print(
                f"policy-nlp run --jobs {jobs}: exit {r['exit']}, {r['seconds']} s, "
                f"peak RSS {r['peak_rss_mb']} MB, {r['claims']:,} claims"
            )
            if r["exit"] != 0:
                print(r["stderr"])
        if args.stages:
            print("stages in one process:")
            stages(path)


if __name__ == "__main__":
    main()
