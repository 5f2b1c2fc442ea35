"""List candidate policy-boilerplate stopwords from the corpus (src/policy_nlp/data/stopwords.txt).

Method (the one documented at the top of stopwords.txt): segment corpus/ with the policy tokenizer
(jieba + the policy user dictionary, no stopwords applied), then print every multi-character
Chinese word that

- appears in at least ``--min-df`` of the documents (default 0.5: generic words are everywhere), and
- carries, in jieba's own part-of-speech dictionary, a verb, adverb, adjective or abstract-noun tag
  (``v vd vi d ad a an ag``; jieba's tags, not ours), or is tagged ``n``/``vn`` with a document
  frequency of at least ``--noun-df`` (default 0.8: container nouns such as 工作, 体系);
- or, at any document frequency, carries a function-word tag (pronoun, numeral, measure word,
  conjunction, preposition, particle, locative: ``r m mq q c p u f y z``);

as TSV: word, tag, document share, count. A person then reads the list and keeps the words that name
no subject (推进, 加快, 全面, 进一步, 工作, 体系) and drops those an analyst would accept as a topic or
keyword even if they are frequent (就业, 投资, 消费, 改革, 创新, 农业, 安全).

    .venv/bin/python bench/mine_stopwords.py corpus > bench/out/stopword_candidates.tsv
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from policy_nlp.read.document import DocumentError, find_inputs, read_document

_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")
TAGS = ("v", "vd", "vi", "d", "ad", "a", "an", "ag")
NOUN_TAGS = ("n", "vn")
FUNCTION_TAGS = ("r", "m", "mq", "q", "c", "p", "u", "f", "y", "z")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--min-df", type=float, default=0.5)
    ap.add_argument("--noun-df", type=float, default=0.8)
    args = ap.parse_args(argv)

    import jieba.posseg

    from policy_nlp.tokens import Tokenizer

    tk = Tokenizer(backend="jieba")
    tags = jieba.posseg.dt.word_tag_tab if jieba.posseg.dt.word_tag_tab else {}
    if not tags:
        jieba.posseg.dt.initialize()
        tags = jieba.posseg.dt.word_tag_tab
    df: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    n = 0
    for f in find_inputs(args.paths):
        try:
            text = read_document(f).text
        except DocumentError:
            continue
        n += 1
        words = [t for t in tk.cut(text) if _CJK.match(t)]
        tf.update(words)
        df.update(set(words))
    print("word\ttag\tdoc_share\tcount")
    rows = []
    for w, d in df.items():
        share = d / n
        tag = tags.get(w, "?")
        if tag in FUNCTION_TAGS or (
            share >= args.min_df and (tag in TAGS or (tag in NOUN_TAGS and share >= args.noun_df))
        ):
            rows.append((w, tag, share, tf[w]))
    for w, tag, share, c in sorted(rows, key=lambda r: (-r[2], -r[3], r[0])):
        print(f"{w}\t{tag}\t{share:.2f}\t{c}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
