"""How far the rjieba backend reproduces jieba's tokens (the figure quoted in tokens.py).

Both backends are policy_nlp Tokenizers (jieba's dictionary + the policy user dictionary, HMM on).
Agreement = 2 x (tokens in the longest aligned matching blocks) / (jieba tokens + rjieba tokens),
over all tokens and over content tokens; plus the number of documents cut identically.

    .venv/bin/python bench/tokenizer_agreement.py corpus
"""

from __future__ import annotations

import argparse
import difflib
import time

from policy_nlp.read.document import DocumentError, find_inputs, read_document
from policy_nlp.tokens import Tokenizer, is_content_token


def matched(a: list[str], b: list[str]) -> int:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in sm.get_matching_blocks())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--show", type=int, default=10, help="print this many differing spans")
    args = ap.parse_args(argv)
    texts = []
    for f in find_inputs(args.paths):
        try:
            texts.append(read_document(f).text)
        except DocumentError:
            continue
    tj, tr = Tokenizer(backend="jieba"), Tokenizer(backend="rjieba")
    for tk in (tj, tr):
        t0 = time.perf_counter()
        tk.cut("预热")
        print(f"{tk.engine}: load {time.perf_counter() - t0:.2f}s", end="; ")
    totals = {"all": [0, 0, 0], "content": [0, 0, 0]}
    same = shown = 0
    timing = {"jieba": 0.0, "rjieba": 0.0}
    for text in texts:
        t0 = time.perf_counter()
        a = tj.cut(text)
        timing["jieba"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        b = tr.cut(text)
        timing["rjieba"] += time.perf_counter() - t0
        same += a == b
        for key, (x, y) in {
            "all": (a, b),
            "content": (
                [t for t in a if is_content_token(t)],
                [t for t in b if is_content_token(t)],
            ),
        }.items():
            totals[key][0] += matched(x, y)
            totals[key][1] += len(x)
            totals[key][2] += len(y)
        if a != b and shown < args.show:
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op != "equal" and shown < args.show:
                    print(f"\n  jieba {a[i1:i2]} / rjieba {b[j1:j2]}", end="")
                    shown += 1
    print()
    print(f"cut time: jieba {timing['jieba']:.2f}s, rjieba {timing['rjieba']:.2f}s")
    for key, (m, la, lb) in totals.items():
        print(f"{key:8s} tokens: jieba {la}, rjieba {lb}, agreement {200 * m / (la + lb):.2f}%")
    print(f"documents cut identically: {same}/{len(texts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
