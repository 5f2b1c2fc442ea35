"""A topic model over policy documents (scikit-learn NMF), saved and loaded as plain files.

``TopicModel`` follows scikit-learn's estimator contract (parameters in ``__init__``,
fitted attributes ending in ``_``, ``fit`` returns ``self``). It is saved as
``vocabulary.json`` + ``model.npz`` + ``meta.json`` (never pickle), so the topics of the
reference corpus keep their ids in every batch and ``transform`` places new documents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["TopicModel"]

FORMAT = "policy_nlp.topics/1"


class TopicModel:
    """NMF topics over TF-IDF of content tokens.

    Parameters: ``n_topics``; ``max_features`` (vocabulary size); ``min_df``/``max_df``
    (document-frequency bounds, drop rare and boilerplate terms); ``top_n`` terms per topic in
    tables; ``random_state`` (fixed: same input, same topics).
    """

    def __init__(
        self,
        *,
        n_topics: int = 8,
        max_features: int = 3000,
        min_df: int | float = 2,
        max_df: float = 0.6,
        top_n: int = 10,
        random_state: int = 0,
    ):
        self.n_topics = n_topics
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.top_n = top_n
        self.random_state = random_state

    def _vectorizer(self, vocabulary=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(
            analyzer=_identity,
            vocabulary=vocabulary,
            min_df=1 if vocabulary is not None else self.min_df,
            max_df=1.0 if vocabulary is not None else self.max_df,
            max_features=None if vocabulary is not None else self.max_features,
            sublinear_tf=True,
        )

    def fit(self, docs: Sequence[Sequence[str]]) -> TopicModel:
        """Learn vocabulary, IDF and topics from tokenised documents."""
        from sklearn.decomposition import NMF

        docs = [list(d) for d in docs]
        if len(docs) < 2:
            raise ValueError("a topic model needs at least 2 documents")
        vec = self._vectorizer()
        try:
            x = vec.fit_transform(docs)
        except ValueError:  # every term pruned by min_df/max_df on a tiny batch
            vec = self._vectorizer()
            vec.set_params(min_df=1, max_df=1.0)
            x = vec.fit_transform(docs)
        k = max(1, min(self.n_topics, x.shape[0], x.shape[1]))
        nmf = NMF(n_components=k, init="nndsvda", random_state=self.random_state, max_iter=500)
        nmf.fit(x)
        self.vocabulary_ = [str(t) for t in vec.get_feature_names_out()]
        self.idf_ = vec.idf_.astype(float)
        self.components_ = nmf.components_.astype(float)
        self.n_topics_ = k
        return self

    def _check(self) -> None:
        if not hasattr(self, "components_"):
            raise RuntimeError("TopicModel is not fitted: call fit() or load() first")

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic weights per document (rows sum to 1; all-zero for a document with no known term)."""
        from sklearn.decomposition import non_negative_factorization

        self._check()
        x = self._tfidf(docs)
        if x.shape[0] == 0:
            return np.zeros((0, self.n_topics_))
        w, _, _ = non_negative_factorization(
            x,
            H=self.components_,
            n_components=self.n_topics_,
            update_H=False,
            random_state=self.random_state,
            max_iter=500,
        )
        sums = w.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1
        return w / sums

    def _tfidf(self, docs):
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize

        counts = CountVectorizer(analyzer=_identity, vocabulary=self.vocabulary_).transform(
            [list(d) for d in docs]
        )
        counts = counts.astype(float)
        counts.data = 1 + np.log(counts.data)  # sublinear tf, as in fit
        return normalize(counts.multiply(self.idf_).tocsr())

    # ------------------------------------------------------------------ tables
    def topics_frame(self) -> pd.DataFrame:
        """topic_id, rank, term, weight: the top terms of every topic."""
        self._check()
        rows = []
        for k, comp in enumerate(self.components_):
            order = sorted(range(len(comp)), key=lambda i: (-comp[i], self.vocabulary_[i]))[
                : self.top_n
            ]
            for rank, i in enumerate(order, start=1):
                if comp[i] > 0:
                    rows.append(
                        {
                            "topic_id": k,
                            "rank": rank,
                            "term": self.vocabulary_[i],
                            "weight": round(float(comp[i]), 6),
                        }
                    )
        from policy_nlp.tables import typed

        return typed(pd.DataFrame(rows, columns=["topic_id", "rank", "term", "weight"]), "topics")

    def doc_topics_frame(self, docs: Mapping[str, Sequence[str]]) -> pd.DataFrame:
        """doc_id, topic_id, weight for every document and topic with a positive weight."""
        ids = sorted(docs)
        w = self.transform([docs[i] for i in ids]) if ids else np.zeros((0, 0))
        rows = [
            {"doc_id": doc_id, "topic_id": k, "weight": round(float(w[r, k]), 6)}
            for r, doc_id in enumerate(ids)
            for k in range(w.shape[1])
            if w[r, k] > 0
        ]
        from policy_nlp.tables import typed

        return typed(pd.DataFrame(rows, columns=["doc_id", "topic_id", "weight"]), "doc_topics")

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | Path) -> Path:
        """Write vocabulary.json, model.npz and meta.json into ``directory``."""
        from policy_nlp.tables import atomic_write

        self._check()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        with atomic_write(d / "vocabulary.json", "w", encoding="utf-8") as f:
            json.dump(self.vocabulary_, f, ensure_ascii=False)
        with atomic_write(d / "model.npz", "wb") as f:
            np.savez(f, components=self.components_, idf=self.idf_)
        meta = {
            "format": FORMAT,
            "params": {
                "n_topics": self.n_topics,
                "max_features": self.max_features,
                "min_df": self.min_df,
                "max_df": self.max_df,
                "top_n": self.top_n,
                "random_state": self.random_state,
            },
            "n_topics": self.n_topics_,
        }
        with atomic_write(d / "meta.json", "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1, sort_keys=True)
        return d

    @classmethod
    def load(cls, directory: str | Path) -> TopicModel:
        """A fitted model from files written by ``save`` (NPZ loaded without pickle)."""
        d = Path(directory)
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{d}: not a policy_nlp topic model")
        self = cls(**meta["params"])
        self.vocabulary_ = json.loads((d / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(d / "model.npz", allow_pickle=False) as z:
            self.components_ = z["components"]
            self.idf_ = z["idf"]
        self.n_topics_ = int(meta["n_topics"])
        return self


def _identity(tokens):
    return tokens
