"""Mine candidate entries for the policy user dictionary (src/policy_nlp/data/userdict.txt).

Method (the one documented at the top of userdict.txt):

1. Segment every document of the corpus with jieba's own dictionary only (``HMM=False``, no user
   dictionary), so the candidates are exactly the words that dictionary splits.
2. Inside each clause (a run of Chinese tokens between punctuation, digits or Latin letters), count
   every sequence of 2 to 4 consecutive tokens whose characters join to 3-8 characters.
3. Keep a sequence that is
   - frequent: at least ``--min-freq`` occurrences (default 4) in at least 2 documents;
   - cohesive: its pointwise mutual information at the weakest split point (min over the ways to cut
     it into a left and a right part, PMI = log c(xy)·N / (c(x)·c(y))) is at least ``--min-pmi``;
   - free: the entropy of the token before it and of the token after it (branching entropy; a
     clause boundary counts as a new symbol each time) are both at least ``--min-entropy``, so it is
     not just a piece of a longer fixed phrase;
   - not glued to a function word or a number at either edge.
4. Print the survivors, best first (frequency × weakest PMI × smaller branching entropy), as TSV:
   candidate, freq, docs, min_pmi, left_entropy, right_entropy, score, jieba's cut.

The output is a list to curate by hand, not a dictionary: a person keeps named policy concepts and
indicator names (数字经济, 专精特新, 城镇调查失业率) and drops generic verb phrases (加快建设,
深入实施) that would hide the subject inside a boilerplate token.

    .venv/bin/python bench/mine_userdict.py corpus > bench/out/userdict_candidates.tsv
"""

from __future__ import annotations

import argparse
import logging
import math
import re
import sys
from collections import Counter, defaultdict

from policy_nlp.read.document import DocumentError, find_inputs, read_document

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
# Characters that never start or end a policy term (function words, measure words, directions).
EDGE_STOP = set("的了和与及或并且而在是为对等将把被从由向到以于之其这那各每也都又中上下里内外个")
BOUNDARY = None


def clauses(tokens: list[str]) -> list[list[str]]:
    """Runs of all-Chinese tokens; anything else (punctuation, digits, Latin) ends a run."""
    out, cur = [], []
    for t in tokens:
        if _CJK.match(t):
            cur.append(t)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def entropy(counter: Counter) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log(c / total) for c in counter.values()) if total else 0.0


def mine(paths: list[str], *, min_freq: int, min_pmi: float, min_entropy: float, max_n: int = 4):
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    counts: Counter[tuple[str, ...]] = Counter()
    docs: defaultdict[tuple[str, ...], set[int]] = defaultdict(set)
    left: defaultdict[tuple[str, ...], Counter] = defaultdict(Counter)
    right: defaultdict[tuple[str, ...], Counter] = defaultdict(Counter)
    n_tokens = 0
    boundary_id = 0
    for d, f in enumerate(find_inputs(paths)):
        try:
            text = read_document(f).text
        except DocumentError as exc:
            print(f"skipped {exc}", file=sys.stderr)
            continue
        for clause in clauses(tk.lcut(text, HMM=False)):
            n_tokens += len(clause)
            for i in range(len(clause)):
                for n in range(1, max_n + 1):
                    if i + n > len(clause):
                        break
                    gram = tuple(clause[i : i + n])
                    counts[gram] += 1
                    if n == 1:
                        continue
                    docs[gram].add(d)
                    boundary_id += 1
                    left[gram][clause[i - 1] if i > 0 else ("<b>", boundary_id)] += 1
                    right[gram][clause[i + n] if i + n < len(clause) else ("<b>", boundary_id)] += 1
    rows = []
    for gram, c in counts.items():
        if len(gram) < 2 or c < min_freq or len(docs[gram]) < 2:
            continue
        word = "".join(gram)
        if not 3 <= len(word) <= 8 or word[0] in EDGE_STOP or word[-1] in EDGE_STOP:
            continue
        if tk.FREQ.get(word):  # already a dictionary word (jieba keeps it whole)
            continue
        pmi = min(
            math.log(c * n_tokens / (counts[gram[:k]] * counts[gram[k:]]))
            for k in range(1, len(gram))
        )
        hl, hr = entropy(left[gram]), entropy(right[gram])
        if pmi < min_pmi or min(hl, hr) < min_entropy:
            continue
        score = c * pmi * min(hl, hr)
        rows.append((word, c, len(docs[gram]), pmi, hl, hr, score, "/".join(gram)))
    rows.sort(key=lambda r: (-r[6], r[0]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--min-freq", type=int, default=4)
    ap.add_argument("--min-pmi", type=float, default=3.0)
    ap.add_argument("--min-entropy", type=float, default=1.0)
    args = ap.parse_args(argv)
    rows = mine(
        args.paths, min_freq=args.min_freq, min_pmi=args.min_pmi, min_entropy=args.min_entropy
    )
    print("candidate\tfreq\tdocs\tmin_pmi\tleft_entropy\tright_entropy\tscore\tjieba_cut")
    for word, c, nd, pmi, hl, hr, score, cut in rows:
        print(f"{word}\t{c}\t{nd}\t{pmi:.2f}\t{hl:.2f}\t{hr:.2f}\t{score:.1f}\t{cut}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
