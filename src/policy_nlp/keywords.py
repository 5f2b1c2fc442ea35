"""Keywords per document: TF-IDF with an IDF learned on a reference corpus, or TextRank.

``KeywordExtractor`` follows scikit-learn's estimator contract: parameters in ``__init__``,
``fit`` learns ``idf_`` and returns ``self``, ``transform`` gives a pandas table
(doc_id, rank, keyword, score). The IDF is saved as JSON (``save``/``load``), never pickled,
so ``run`` scores every batch against the same reference corpus.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from policy_nlp.tokens import is_content_token

__all__ = ["KeywordExtractor", "textrank_scores"]

METHODS = ("tfidf", "textrank")


class KeywordExtractor:
    """Top keywords per document.

    Parameters: ``top_n`` keywords per document; ``method`` "tfidf" (term frequency times the
    reference IDF) or "textrank" (PageRank over a co-occurrence window, weighted by IDF);
    ``window`` for TextRank; ``max_df`` drops terms in more than that share of reference
    documents (boilerplate every document shares).
    """

    def __init__(
        self, *, top_n: int = 10, method: str = "tfidf", window: int = 5, max_df: float = 0.8
    ):
        self.top_n = top_n
        self.method = method
        self.window = window
        self.max_df = max_df

    # ------------------------------------------------------------------ fitting
    def fit(self, docs: Sequence[Sequence[str]]) -> KeywordExtractor:
        """Learn IDF from tokenised reference documents (lists of content tokens)."""
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        n = len(docs)
        df: Counter[str] = Counter()
        for tokens in docs:
            df.update(set(tokens))
        self.n_docs_ = n
        self.idf_ = {
            term: math.log((1 + n) / (1 + count)) + 1.0
            for term, count in sorted(df.items())
            if n == 0 or count / n <= self.max_df or n < 3
        }
        self.default_idf_ = math.log((1 + n) / 1) + 1.0
        return self

    def _check(self) -> None:
        if not hasattr(self, "idf_"):
            raise RuntimeError("KeywordExtractor is not fitted: call fit() or load() first")

    # ------------------------------------------------------------------ scoring
    def keywords(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        """(keyword, score) pairs for one document's content tokens, best first."""
        self._check()
        tokens = [t for t in tokens if is_content_token(t)]
        if not tokens:
            return []
        tf = Counter(tokens)
        if self.method == "textrank":
            rank = textrank_scores(tokens, window=self.window)
            scores = {t: rank[t] * self.idf_.get(t, self.default_idf_) for t in tf}
        else:
            total = sum(tf.values())
            scores = {t: (c / total) * self.idf_.get(t, self.default_idf_) for t, c in tf.items()}
        # terms the reference corpus marks as boilerplate (over max_df) are left out
        known_common = getattr(self, "dropped_", set())
        ranked = sorted(
            ((t, s) for t, s in scores.items() if t not in known_common),
            key=lambda kv: (-kv[1], kv[0]),
        )
        return [(t, round(float(s), 6)) for t, s in ranked[: self.top_n]]

    def transform(self, docs: Mapping[str, Sequence[str]]) -> pd.DataFrame:
        """Keyword table for ``{doc_id: tokens}``: doc_id, rank, keyword, score."""
        rows = []
        for doc_id in sorted(docs):
            for rank, (kw, score) in enumerate(self.keywords(docs[doc_id]), start=1):
                rows.append({"doc_id": doc_id, "rank": rank, "keyword": kw, "score": score})
        from policy_nlp.tables import typed

        return typed(pd.DataFrame(rows, columns=["doc_id", "rank", "keyword", "score"]), "keywords")

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the fitted IDF as JSON."""
        self._check()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": "policy_nlp.keywords/1",
            "params": {
                "top_n": self.top_n,
                "method": self.method,
                "window": self.window,
                "max_df": self.max_df,
            },
            "n_docs": self.n_docs_,
            "default_idf": self.default_idf_,
            "dropped": sorted(getattr(self, "dropped_", set())),
            "idf": self.idf_,
        }
        from policy_nlp.tables import atomic_write

        with atomic_write(path, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, indent=0, sort_keys=True)
        return path

    @classmethod
    def load(cls, path: str | Path, **params) -> KeywordExtractor:
        """A fitted extractor from a JSON file written by ``save``; ``params`` override."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != "policy_nlp.keywords/1":
            raise ValueError(f"{path}: not a policy_nlp keyword model")
        p = {**data["params"], **params}
        self = cls(**p)
        self.idf_ = {k: float(v) for k, v in data["idf"].items()}
        self.n_docs_ = int(data["n_docs"])
        self.default_idf_ = float(data["default_idf"])
        self.dropped_ = set(data.get("dropped", []))
        return self


def textrank_scores(
    tokens: Sequence[str], *, window: int = 5, damping: float = 0.85, iterations: int = 50
) -> dict[str, float]:
    """PageRank scores of tokens over an undirected co-occurrence graph (window in tokens)."""
    vocab = sorted(set(tokens))
    if not vocab:
        return {}
    from scipy import sparse

    index = {t: i for i, t in enumerate(vocab)}
    n = len(vocab)
    ids = [index[t] for t in tokens]
    rows, cols = [], []
    for i, a in enumerate(ids):
        for b in ids[i + 1 : i + window]:
            if a != b:
                rows += (a, b)
                cols += (b, a)
    weights = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    out_sum = np.asarray(weights.sum(axis=1)).ravel()
    out_sum[out_sum == 0] = 1
    trans = sparse.diags(1.0 / out_sum) @ weights
    score = np.full(n, 1.0 / n)
    for _ in range(iterations):
        score = (1 - damping) / n + damping * (trans.T @ score)
    return {t: float(score[index[t]]) for t in vocab}
