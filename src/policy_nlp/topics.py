"""A topic model over policy text (scikit-learn NMF), saved and loaded as plain files.

``TopicModel`` is a scikit-learn transformer (``policy_nlp.estimator``: parameters in
``__init__``, ``get_params``/``set_params``, ``sklearn.base.clone``, fitted attributes ending in
``_``, ``fit`` returns ``self``, ``fit_transform``, ``get_feature_names_out`` (``topic_0`` …)
and ``set_output(transform="pandas")``). It is saved as ``vocabulary.json`` +
``model.npz`` + ``meta.json`` (never pickle; the NPZ is read with ``allow_pickle=False``), so the
topics of the reference corpus keep their ids in every batch and ``transform`` places new
documents among them.

Why NMF, and how (measured with ``bench/keywords_topics.py``; figures in the README):

- it is fitted on *passages* (paragraphs with at least 5 content tokens) rather than whole
  documents: 25 long reports give a topic model little to learn from, ~2,000 paragraphs give it
  subjects (agriculture, employment, ecology …) instead of document genres;
- terms are content tokens (policy dictionary, stopwords and numbers removed) in at least
  ``min_df`` passages from at least ``min_docs`` documents, and in at most ``max_df`` of the
  passages, weighted by sublinear TF-IDF;
- NMF with the Kullback-Leibler loss, not LDA: on the same passages and terms LDA reaches about
  the same coherence outside the corpus (NPMI -0.06 against -0.11 for NMF at 10 topics) but its
  topics share many terms (diversity 0.73, below the 0.85 the project asks for; NMF 0.90), keep
  more boilerplate (3% against 1%) and are less coherent on the corpus itself (+0.18 / +0.21).
  NMF with the Frobenius loss was less coherent than with Kullback-Leibler in a grid over 8-12
  topics and the vocabulary bounds.

Topic ids are stable: NMF starts from NNDSVDa (a seeded SVD, ``random_state``) and topics are
numbered by their share of the fitted text, largest first (ties by top term), so the same input
and seed give the same ids. ``transform`` scores each document on its own (multiplicative
updates for that row only), so a document's weights do not depend on the rest of its batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from policy_nlp.errors import ModelError, OptionError
from policy_nlp.fitted import PlainModel, with_estimator_base
from policy_nlp.schema import COLUMNS
from policy_nlp.tokens import is_content_token

# TopicModel is built by __getattr__ on first use
__all__ = ["FORMAT", "TRANSFORM_ITERATIONS", "PlainTopicModel", "TopicModel"]  # noqa: F822

FORMAT = "policy_nlp.topics/2"

Tokens = Mapping[str, int] | Iterable[str]


_KL_TOL = 1e-12  # a document's topic weights are solved once no step moves one by more
_EPS = 1e-12  # keeps the multiplicative updates away from a division by zero
# steps of the per-document solver at most (Kullback-Leibler stops earlier at _KL_TOL)
TRANSFORM_ITERATIONS = 300
# decimals of the weights in the topics and doc_topics tables
WEIGHT_DIGITS = 6
# topics whose shares agree to this many decimals are ordered by their top term instead, so
# float noise cannot swap two topic ids
SHARE_DIGITS = 12


# steps of the per-document solver taken between two looks at whether it has converged
KL_BLOCK = 8


def _kl_steps(data, hc, h_sum, w, iterations: int) -> np.ndarray:
    """One document's topic weights: ``w <- w * (hc @ (data / (w @ hc + eps))) / h_sum``
    until no weight moves by more than _KL_TOL of the largest, or ``iterations`` steps.

    The steps are taken KL_BLOCK at a time into a block of rows, and the stopping test is then
    made for all of them at once: the first step that passes it is the answer, exactly the
    step a test after every step would stop at (the steps past it are thrown away). Each
    step is the same NumPy arithmetic as one written plainly, into preallocated buffers: five
    fewer NumPy calls per step, no allocation, the same bits.
    """
    eps = np.float64(_EPS)  # a NumPy scalar: no conversion from a Python float per step
    t = np.empty(hc.shape[1])
    u = np.empty(hc.shape[0])
    block = np.empty((KL_BLOCK + 1, hc.shape[0]))
    done = 0
    while done < iterations:
        steps = min(KL_BLOCK, iterations - done)
        block[0] = w
        for i in range(steps):
            np.dot(block[i], hc, out=t)  # np.dot: the same BLAS call as @, less overhead
            t += eps
            np.divide(data, t, out=t)
            np.dot(hc, t, out=u)
            u /= h_sum
            np.multiply(block[i], u, out=block[i + 1])
        new, old = block[1 : steps + 1], block[:steps]
        converged = np.abs(new - old).max(axis=1) <= _KL_TOL * new.max(axis=1)
        if converged.any():
            return block[1 + int(np.argmax(converged))].copy()
        w = block[steps].copy()
        done += steps
    return w


def _as_counts(doc: Tokens) -> Mapping[str, int]:
    if isinstance(doc, Mapping):
        return doc
    counts: dict[str, int] = {}
    for t in doc:
        counts[t] = counts.get(t, 0) + 1
    return counts


class PlainTopicModel(PlainModel):
    """NMF topics over sublinear TF-IDF of content tokens: ``TopicModel`` without
    scikit-learn's base (what a run applies; ``fit`` imports scikit-learn's NMF).

    Parameters (keyword-only): ``n_topics`` (10); ``min_df`` (int: fewest passages a term must
    occur in, or float: share; 10); ``max_df`` (share of passages a term may occur in at most,
    0.3); ``min_docs`` (when ``fit`` is told which document each passage comes from, a term must
    occur in at least this many documents, so one report's place names make no topic; 3);
    ``beta_loss`` ("kullback-leibler" or "frobenius"); ``max_iter`` (1000); ``top_n``
    terms per topic in ``topics_frame`` (10); ``min_weight`` (a document's topics below this
    weight are left out of ``doc_topics_frame``, 0.01); ``random_state`` (0).

    A batch too small for ``min_df`` (fewer terms left than topics) is fitted with every term
    seen at least twice, then once, rather than failing.
    """

    def __init__(
        self,
        *,
        n_topics: int = 10,
        min_df: int | float = 10,
        max_df: float = 0.3,
        min_docs: int = 3,
        beta_loss: str = "kullback-leibler",
        max_iter: int = 1000,
        top_n: int = 10,
        min_weight: float = 0.01,
        random_state: int = 0,
    ) -> None:
        self.n_topics = n_topics
        self.min_df = min_df
        self.max_df = max_df
        self.min_docs = min_docs
        self.beta_loss = beta_loss
        self.max_iter = max_iter
        self.top_n = top_n
        self.min_weight = min_weight
        self.random_state = random_state

    def _validate(self) -> None:
        if self.n_topics < 1 or self.top_n < 1:
            raise OptionError("n_topics and top_n must be >= 1")
        if self.beta_loss not in ("kullback-leibler", "frobenius"):
            raise OptionError(
                f"beta_loss must be 'kullback-leibler' or 'frobenius', not {self.beta_loss!r}"
            )
        if not 0 < self.max_df <= 1:
            raise OptionError(f"max_df must be in (0, 1], not {self.max_df!r}")

    # ------------------------------------------------------------------ fitting
    def _vocabulary(
        self, df: Mapping[str, int], docs: Mapping[str, int] | None, n_units: int
    ) -> list[str]:
        low = self.min_df if isinstance(self.min_df, int) else int(np.ceil(self.min_df * n_units))
        high = max(self.max_df * n_units, 1)
        for floor, doc_floor in ((low, self.min_docs), (2, 1), (1, 1)):  # relax, do not fail
            vocab = sorted(
                t
                for t, c in df.items()
                if floor <= c <= high and (docs is None or docs[t] >= doc_floor)
            )
            if len(vocab) >= min(self.n_topics, n_units) and vocab:
                return vocab
        return sorted(df)

    def fit(
        self,
        units: Iterable[Tokens],
        y: object = None,
        *,
        groups: Sequence[object] | None = None,
    ) -> PlainTopicModel:
        """Learn vocabulary, IDF and topics from passages (or documents): counts or token lists
        (``y`` is ignored: scikit-learn's signature).

        ``groups`` names the document of each unit (one hashable per unit); with it a term must
        occur in ``min_docs`` documents to enter the vocabulary.
        """
        from sklearn.decomposition import NMF

        self._validate()
        units = list(units)
        if groups is not None and len(groups) != len(units):
            raise OptionError(f"groups has {len(groups)} entries for {len(units)} units")
        pairs = []
        for u, g in zip(units, groups if groups is not None else [None] * len(units), strict=True):
            c = {t: n for t, n in _as_counts(u).items() if n > 0 and is_content_token(t)}
            if c:
                pairs.append((c, g))
        counts = [c for c, _ in pairs]
        if len(counts) < 2:
            raise OptionError(
                "a topic model needs at least 2 passages or documents with content words"
            )
        df: dict[str, int] = {}
        seen_in: dict[str, set] = {}
        for c, g in pairs:
            for t in c:
                df[t] = df.get(t, 0) + 1
                seen_in.setdefault(t, set()).add(g)
        docs = {t: len(s) for t, s in seen_in.items()} if groups is not None else None
        vocab = self._vocabulary(df, docs, len(counts))
        n = len(counts)
        self.vocabulary_ = vocab
        self.idf_ = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab])
        x = self._tfidf(counts)
        keep = np.asarray(x.sum(axis=1)).ravel() > 0
        x = x[keep]
        k = max(1, min(self.n_topics, x.shape[0], x.shape[1]))
        solver = (
            {"solver": "mu", "beta_loss": "kullback-leibler"}
            if self.beta_loss != "frobenius"
            else {}
        )
        nmf = NMF(
            n_components=k,
            init="nndsvda",
            random_state=self.random_state,
            max_iter=self.max_iter,
            **solver,
        )
        w = nmf.fit_transform(x)
        h = nmf.components_
        share = w.sum(axis=0) * h.sum(axis=1)
        share = share / share.sum() if share.sum() > 0 else np.full(k, 1.0 / k)
        top_term = [vocab[int(np.argmax(row))] for row in h]
        order = sorted(range(k), key=lambda i: (-round(float(share[i]), SHARE_DIGITS), top_term[i]))
        self.components_ = np.ascontiguousarray(h[order], dtype=float)
        self.topic_share_ = np.asarray(share[order], dtype=float)
        self.n_topics_ = k
        self.n_units_ = int(x.shape[0])
        return self

    def _check(self) -> None:
        self._check_fitted("components_")

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The names of ``transform``'s columns: ``topic_0``, ``topic_1`` … (topic ids)."""
        self._check()
        return np.asarray([f"topic_{k}" for k in range(self.components_.shape[0])], dtype=object)

    def __getstate__(self) -> dict:
        parent = getattr(super(), "__getstate__", None)  # object has none before Python 3.11
        state = dict(parent() if parent else self.__dict__)
        state.pop("_index", None)  # a cache: not sent to workers
        return state

    def _vocabulary_index(self) -> dict[str, int]:
        """term -> column, built once per vocabulary (applying the model calls this per document)."""
        cached = self.__dict__.get("_index")
        if cached is None or cached[0] is not self.vocabulary_:
            cached = (self.vocabulary_, {t: i for i, t in enumerate(self.vocabulary_)})
            self._index = cached
        return cached[1]

    def _tfidf(self, counts: Sequence[Mapping[str, int]]):
        """Rows of l2-normalised sublinear TF-IDF over the fitted vocabulary (CSR, each row's
        columns in ascending order)."""
        from scipy import sparse

        index = self._vocabulary_index()
        # a document's terms in the vocabulary found by a set intersection (it walks the
        # smaller side: most of a document's words are not topic terms) and weighted by NumPy
        # over the whole row; columns sorted within each row, as scipy's canonical CSR has them
        indptr, cols, tfs = [0], [], []
        for c in counts:
            terms = list(c.keys() & index.keys())
            col = np.fromiter(map(index.__getitem__, terms), np.intp, len(terms))
            tf = np.fromiter(map(c.__getitem__, terms), float, len(terms))
            col, tf = col[tf > 0], tf[tf > 0]
            order = np.argsort(col)
            cols.append(col[order])
            tfs.append(tf[order])
            indptr.append(indptr[-1] + len(col))
        cols_a = np.concatenate(cols) if cols else np.zeros(0, np.intp)
        tf_a = np.concatenate(tfs) if tfs else np.zeros(0)
        vals = (1.0 + np.log(tf_a)) * self.idf_[cols_a]
        # each row scaled to unit length (NumPy: applying a saved model never imports
        # scikit-learn); bincount adds each row's squares in column order
        rows_of = np.repeat(np.arange(len(counts)), np.diff(indptr))
        norms = np.sqrt(np.bincount(rows_of, weights=vals**2, minlength=len(counts)))
        norms[norms == 0] = 1.0
        vals = vals / norms[rows_of]
        return sparse.csr_matrix(
            (vals, cols_a, np.asarray(indptr, dtype=np.intp)), shape=(len(counts), len(index))
        )

    # ------------------------------------------------------------------ applying
    def transform(
        self, docs: Iterable[Tokens], *, iterations: int = TRANSFORM_ITERATIONS
    ) -> np.ndarray:
        """Topic weights per document (rows sum to 1; all zero for a document with no known term).

        Each row is solved on its own (the topics stay fixed), so the result for a document does
        not depend on which other documents are in the batch.
        """
        self._check()
        x = self._tfidf([_as_counts(d) for d in docs])
        h = self.components_
        k = h.shape[0]
        if x.shape[0] == 0:
            return np.zeros((0, k))
        if self.beta_loss == "frobenius":
            w = self._solve_frobenius(x, h, iterations)
        else:
            w = self._solve_kl(x, h, iterations)
        sums = w.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1.0
        return w / sums

    @staticmethod
    def _solve_kl(x, h, iterations):
        """Multiplicative updates for min_W KL(X || WH) with H fixed (Lee & Seung 2001).

        Rows do not interact when H is fixed, so each is solved on its own with dense vectors
        over its own terms: the same arithmetic whether a document comes alone or in a batch.
        """
        eps = _EPS
        x = x.tocsr()
        k = h.shape[0]
        h_sum = h.sum(axis=1) + eps
        w = np.zeros((x.shape[0], k))
        for r in range(x.shape[0]):
            a, b = x.indptr[r], x.indptr[r + 1]
            if a == b:
                continue
            data = x.data[a:b]
            hc = h[:, x.indices[a:b]]  # (k, terms of this row)
            start = np.full(k, np.sqrt(data.sum() / x.shape[1] / k))
            w[r] = _kl_steps(data, hc, h_sum, start, iterations)
        return w

    @staticmethod
    def _solve_frobenius(x, h, iterations):
        eps = _EPS
        k = h.shape[0]
        row_mean = np.asarray(x.sum(axis=1)).ravel() / x.shape[1]
        w = np.tile(np.sqrt(row_mean / k)[:, None], (1, k))
        hht = h @ h.T
        xht = np.asarray(x @ h.T)
        for _ in range(iterations):
            w *= xht / (w @ hht + eps)
        return w

    # ------------------------------------------------------------------ tables
    def top_terms(self, n: int | None = None) -> list[list[str]]:
        """The ``n`` (default ``top_n``) heaviest terms of each topic, in topic-id order."""
        self._check()
        n = n or self.top_n
        out = []
        for comp in self.components_:
            order = sorted(range(len(comp)), key=lambda i: (-comp[i], self.vocabulary_[i]))
            out.append([self.vocabulary_[i] for i in order[:n] if comp[i] > 0])
        return out

    def topics_frame(self) -> pd.DataFrame:
        """topic_id, rank, term, weight: the top terms of every topic (weights scaled to sum 1)."""
        from policy_nlp.tables import typed

        self._check()
        index = {t: i for i, t in enumerate(self.vocabulary_)}
        rows = []
        for k, (comp, terms) in enumerate(zip(self.components_, self.top_terms(), strict=True)):
            total = comp.sum() or 1.0
            for rank, term in enumerate(terms, start=1):
                weight = round(float(comp[index[term]] / total), WEIGHT_DIGITS)
                rows.append({"topic_id": k, "rank": rank, "term": term, "weight": weight})
        return typed(pd.DataFrame(rows, columns=list(COLUMNS["topics"])), "topics")

    def doc_topics_frame(self, docs: Mapping[str, Tokens]) -> pd.DataFrame:
        """doc_id, topic_id, weight for every document and topic weighing at least ``min_weight``."""
        from policy_nlp.tables import typed

        rows = self.doc_topic_rows(docs)
        return typed(pd.DataFrame(rows, columns=list(COLUMNS["doc_topics"])), "doc_topics")

    def doc_topic_rows(self, docs: Mapping[str, Tokens]) -> list[tuple[str, int, float]]:
        """``doc_topics_frame``'s rows as (doc_id, topic_id, weight) tuples, in its order
        (no DataFrame: the pipeline calls this once per document)."""
        ids = sorted(docs)
        w = self.transform([docs[i] for i in ids]) if ids else np.zeros((0, 0))
        return [
            (doc_id, k, round(float(w[r, k]), WEIGHT_DIGITS))
            for r, doc_id in enumerate(ids)
            for k in range(w.shape[1])
            if w[r, k] >= self.min_weight and w[r, k] > 0
        ]

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | Path) -> Path:
        """Write vocabulary.json, model.npz and meta.json into ``directory`` (each atomically)."""
        from policy_nlp.atomic import atomic_write

        self._check()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        with atomic_write(d / "vocabulary.json", "w", encoding="utf-8") as f:
            json.dump(self.vocabulary_, f, ensure_ascii=False, indent=0)
        with atomic_write(d / "model.npz", "wb") as f:
            np.savez(
                f,
                components=np.asarray(self.components_, dtype=np.float64),
                idf=np.asarray(self.idf_, dtype=np.float64),
                topic_share=np.asarray(self.topic_share_, dtype=np.float64),
            )
        meta = {
            "format": FORMAT,
            "params": self.params(),
            "n_topics": self.n_topics_,
            "n_units": self.n_units_,
            "n_terms": len(self.vocabulary_),
            "top_terms": [" ".join(t) for t in self.top_terms()],  # for people reading the file
        }
        with atomic_write(d / "meta.json", "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1, sort_keys=True)
        return d

    @classmethod
    def load(cls, directory: str | Path) -> PlainTopicModel:
        """A fitted model from files written by ``save`` (the NPZ is read without pickle)."""
        d = Path(directory)
        try:
            meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
            vocabulary = json.loads((d / "vocabulary.json").read_text(encoding="utf-8"))
            with np.load(d / "model.npz", allow_pickle=False) as z:
                components, idf, share = z["components"], z["idf"], z["topic_share"]
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{d}: cannot read topic model: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelError(f"{d}: not a policy_nlp topic model (format {FORMAT})")
        if components.shape != (int(meta["n_topics"]), len(vocabulary)) or idf.shape != (
            len(vocabulary),
        ):
            raise ModelError(f"{d}: model.npz does not match vocabulary.json")
        self = cls(**meta["params"])
        self.vocabulary_ = [str(t) for t in vocabulary]
        self.components_ = components
        self.idf_ = idf
        self.topic_share_ = share
        self.n_topics_ = int(meta["n_topics"])
        self.n_units_ = int(meta["n_units"])
        return self


@cache
def _estimator_class() -> type:
    return with_estimator_base(
        PlainTopicModel, "TopicModel", "NMF topics as a scikit-learn transformer"
    )


def __getattr__(name: str) -> object:
    # ``TopicModel`` (the scikit-learn estimator) is built on first use (PEP 562), so
    # importing this module and applying a saved model never imports scikit-learn
    if name == "TopicModel":
        return _estimator_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
