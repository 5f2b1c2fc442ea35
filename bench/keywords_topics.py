"""Measure keywords and topics against the baselines of issue 4, and print a table.

    .venv/bin/python bench/keywords_topics.py            # corpus/, external texts, 10 topics

Keywords (top 10 per document of corpus/):
  policy_nlp TF-IDF (IDF fitted on corpus/, as `policy-nlp topics fit corpus` does) and TextRank,
  against ``jieba.analyse.extract_tags(text, topK=10)`` on the same texts.
Topics (top 10 terms per topic):
  policy_nlp ``TopicModel`` fitted on the passages of corpus/, against a plain scikit-learn
  ``LatentDirichletAllocation`` with the same number of topics over jieba tokens of the corpus
  documents (jieba's own dictionary, tokens of two or more characters that are not punctuation,
  default ``CountVectorizer`` settings, ``random_state=0``). For the NMF-or-LDA choice, also an
  LDA fitted on exactly the passages and vocabulary policy_nlp's NMF uses.

Measures:
  boilerplate  share of listed terms that are boilerplate by bench/data/boilerplate_eval.txt
               (generic policy verbs and adverbs, written independently of the stopword list) or
               by the number rules below (years, dates, numbers, numerals with measure words,
               ordinals, plan periods);
  POS check    share whose tag in jieba's own POS dictionary is adverb, numeral, measure word or
               time word (d ad vd m mq q t), or that match the number rules: a second measure that
               owes nothing to policy_nlp's lists;
  NPMI         mean over topics of the NPMI of the top-10 term pairs over paragraph co-occurrence
               (policy_nlp.fit.topics.npmi_coherence) on documents OUTSIDE corpus/
               (bench/data/external/ and tests/data/heldout/docs/), each model's paragraphs cut by
               its own tokenizer; also on corpus/ paragraphs for reference;
  diversity    share of distinct terms among all topics' top 10.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL_LEXICON = ROOT / "bench" / "data" / "boilerplate_eval.txt"
EXTERNAL = [ROOT / "bench" / "data" / "external", ROOT / "tests" / "data" / "heldout" / "docs"]

# Number rules of the evaluation (deliberately written here, not imported from policy_nlp).
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_RULES = [
    re.compile(r"^\d+(\.\d+)?%?$"),  # 2025, 5.5, 12%
    re.compile(r"^\d{2,4}年(代|度|底|初)?$|^\d{1,2}月(份|底)?$|^\d{1,2}日$"),  # years, months, days
    re.compile(
        rf"^[\d.]*[{_CN_NUM}]*[\d.]*(万|亿|千|百)?(元|美元|亿元|万元|吨|亩|人|户|个|项|家|年|次|公里|千瓦)$"
    ),
    re.compile(rf"^[第首][{_CN_NUM}\d]+"),  # ordinals: 第一, 第十四届, 首次? (首 + numeral only)
    re.compile(
        rf"^[{_CN_NUM}]+(个|项|批|年|次|届|类|大|是|条|件|种|方面)?$"
    ),  # 三年, 一批, 两个, 十四五
    re.compile(r"^十[一二三四五六七八九]五$"),  # plan periods
]


def eval_lexicon() -> set[str]:
    return {
        line.strip()
        for line in EVAL_LEXICON.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def numberish(term: str) -> bool:
    return any(r.match(term) for r in _RULES)


class Judge:
    def __init__(self) -> None:
        import jieba.posseg

        self.lexicon = eval_lexicon()
        jieba.posseg.dt.initialize()
        self.tags = jieba.posseg.dt.word_tag_tab

    def boilerplate(self, term: str) -> bool:
        return term in self.lexicon or numberish(term)

    def pos_generic(self, term: str) -> bool:
        return self.tags.get(term) in {"d", "ad", "vd", "m", "mq", "q", "t"} or numberish(term)

    def shares(self, lists: list[list[str]]) -> tuple[float, float]:
        terms = [t for lst in lists for t in lst]
        if not terms:
            return 0.0, 0.0
        return (
            sum(map(self.boilerplate, terms)) / len(terms),
            sum(map(self.pos_generic, terms)) / len(terms),
        )


def read_texts(paths: list[Path]) -> list[tuple[str, str]]:
    from policy_nlp.read.document import DocumentError, find_inputs, read_document

    out = []
    existing = [p for p in paths if p.exists()]
    for f in find_inputs(existing) if existing else []:
        try:
            doc = read_document(f)
        except DocumentError as exc:
            print(f"skipped {exc}", file=sys.stderr)
            continue
        out.append((doc.doc_id, doc.text))
    return out


def plain_tokens(jt, text: str) -> list[str]:
    return [
        t
        for t in jt.lcut(text)
        if len(t.strip()) >= 2 and re.search(r"[\u4e00-\u9fffA-Za-z0-9]", t)
    ]


def paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--external", type=Path, nargs="*", default=EXTERNAL)
    ap.add_argument("--n-topics", type=int, default=10)
    ap.add_argument("--show", action="store_true", help="print the topics and some keywords")
    args = ap.parse_args(argv)

    import jieba
    import jieba.analyse
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    from policy_nlp.fit.topics import corpus_counts, diversity, npmi_coherence
    from policy_nlp.keywords import KeywordExtractor
    from policy_nlp.resources import read_lines
    from policy_nlp.tokens import get_tokenizer
    from policy_nlp.topics import TopicModel

    logging.getLogger("jieba").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    judge = Judge()
    corpus = read_texts([args.corpus])
    external = read_texts(args.external)
    # identical paragraphs (the same document excerpted twice) count once
    ext_paras = list(dict.fromkeys(p for _, text in external for p in paragraphs(text)))
    print(
        f"corpus: {len(corpus)} documents; outside corpus: {len(external)} documents, "
        f"{len(ext_paras)} paragraphs ({', '.join(str(p) for p in args.external if p.exists())})"
    )
    stop = set(read_lines("stopwords.txt"))
    overlap = len(judge.lexicon & stop)
    print(
        f"evaluation lexicon: {len(judge.lexicon)} words, {overlap} of them "
        f"({overlap / len(judge.lexicon):.0%}) also stopwords; stopwords: {len(stop)} words"
    )

    tk = get_tokenizer("rjieba")
    jt = jieba.Tokenizer()
    jt.initialize()
    cc = corpus_counts([args.corpus])

    # ------------------------------------------------------------------ keywords
    rows = []
    kx = KeywordExtractor(top_n=10).fit(cc.documents)
    tr = KeywordExtractor(top_n=10, method="textrank").fit(cc.documents)
    for label, texts in (("corpus/", corpus), ("outside", external)):
        if not texts:
            continue
        mine = [[k for k, _ in kx.keywords(tk.count_content_tokens(t))] for _, t in texts]
        rank = [[k for k, _ in tr.keywords(tk.iter_content_tokens(t))] for _, t in texts]
        base = [jieba.analyse.extract_tags(t, topK=10) for _, t in texts]
        for name, lists in (
            ("policy_nlp TF-IDF", mine),
            ("policy_nlp TextRank", rank),
            ("jieba extract_tags", base),
        ):
            b, p = judge.shares(lists)
            rows.append((f"keywords {label}", name, len(texts), b, p))
        if args.show and label == "corpus/":
            for (doc_id, _), m, j in list(zip(texts, mine, base, strict=True))[:5]:
                print(f"  {doc_id}\n    mine:  {' '.join(m)}\n    jieba: {' '.join(j)}")
    print()
    print(f"{'measure':22s} {'method':24s} {'docs':>5s} {'boilerplate':>12s} {'POS check':>10s}")
    for measure, name, n, b, p in rows:
        print(f"{measure:22s} {name:24s} {n:5d} {b:12.1%} {p:10.1%}")

    # ------------------------------------------------------------------ topics
    k = args.n_topics
    units, groups = cc.passages()
    tm = TopicModel(n_topics=k).fit(units, groups=groups)
    mine_tops = tm.top_terms(10)
    plain_docs = [plain_tokens(jt, t) for _, t in corpus]
    cv = CountVectorizer(analyzer=lambda x: x)
    x = cv.fit_transform(plain_docs)
    lda = LatentDirichletAllocation(n_components=k, random_state=0).fit(x)
    vocab = cv.get_feature_names_out()
    base_tops = [
        [str(vocab[i]) for i in np.argsort(-c, kind="stable")[:10]] for c in lda.components_
    ]

    # the alternative policy_nlp did not choose: LDA on the same passages and vocabulary
    from scipy import sparse

    index = {t: i for i, t in enumerate(tm.vocabulary_)}
    cells = [(r, index[t], c) for r, u in enumerate(units) for t, c in u.items() if t in index]
    rows, cols, vals = zip(*cells, strict=True)
    xc = sparse.csr_matrix((vals, (rows, cols)), shape=(len(units), len(index)), dtype=float)
    lda_p = LatentDirichletAllocation(n_components=k, random_state=0).fit(xc)
    lda_tops = [
        [tm.vocabulary_[i] for i in np.argsort(-c, kind="stable")[:10]] for c in lda_p.components_
    ]

    ext_mine = [set(tk.iter_content_tokens(p)) for p in ext_paras]
    ext_plain = [set(plain_tokens(jt, p)) for p in ext_paras]
    corpus_mine = [set(p) for p in cc.paragraphs]
    corpus_plain = [set(plain_tokens(jt, p)) for _, t in corpus for p in paragraphs(t)]

    def mean_npmi(tops, paras):
        return float(np.mean([npmi_coherence(t, paras) for t in tops])) if paras else float("nan")

    print()
    print(
        f"{'topics (k=' + str(k) + ')':30s} {'boilerplate':>12s} {'POS check':>10s} "
        f"{'NPMI outside':>13s} {'NPMI corpus':>12s} {'diversity':>10s}"
    )
    for name, tops, ext, own in (
        ("policy_nlp NMF (passages)", mine_tops, ext_mine, corpus_mine),
        ("LDA, same passages and terms", lda_tops, ext_mine, corpus_mine),
        ("plain sklearn LDA (jieba)", base_tops, ext_plain, corpus_plain),
    ):
        b, p = judge.shares(tops)
        print(
            f"{name:30s} {b:12.1%} {p:10.1%} {mean_npmi(tops, ext):+13.3f} "
            f"{mean_npmi(tops, own):+12.3f} {diversity(tops):10.2f}"
        )
    if args.show:
        for name, tops in (("policy_nlp", mine_tops), ("plain LDA", base_tops)):
            print(f"  {name}")
            for i, t in enumerate(tops):
                print(f"    {i:2d} {' '.join(t)}")
    print(f"\n({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
