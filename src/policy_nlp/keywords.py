"""Keywords per document: TF-IDF with an IDF learned on a reference corpus, or TextRank.

``KeywordExtractor`` is a scikit-learn transformer (``policy_nlp.estimator``): parameters in
``__init__`` (``get_params``/``set_params``, ``sklearn.base.clone``), ``fit`` learns ``idf_`` and
returns ``self``, ``transform`` gives a documents x terms array of keyword scores (a
document's ``top_n`` keywords non-zero; the columns are ``get_feature_names_out()``, the
reference vocabulary), ``fit_transform`` and ``set_output(transform="pandas")`` work as for any
transformer; ``keywords_frame`` gives the keyword table (doc_id, rank, keyword, score). The IDF is saved as JSON (``save``/``load``), never pickled,
so ``run`` scores every batch against the same reference corpus (``models/`` holds the IDF of
``corpus/``).

Only content tokens count (``policy_nlp.tokens.is_content_token``: multi-character words, no
numbers, dates or stopwords), and terms found in more than ``max_df`` of the reference documents
(boilerplate every policy document shares) are never keywords.

Memory: TF-IDF needs only a document's token counts (a mapping token -> count), never its token
list. TextRank needs the order of the tokens: it reads them as a stream, keeps only the
co-occurrence counts of the graph, and stops after ``textrank_max_tokens`` content tokens (a
document beyond that is ranked on its first part; counts still cover the whole text).
"""

from __future__ import annotations

import json
import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from policy_nlp.errors import ModelError, OptionError
from policy_nlp.fitted import PlainModel, with_estimator_base
from policy_nlp.schema import COLUMNS
from policy_nlp.tokens import is_content_token, non_content_tokens

# KeywordExtractor is built by __getattr__ on first use
__all__ = ["METHODS", "KeywordExtractor", "PlainKeywordExtractor", "textrank_scores"]  # noqa: F822

METHODS = ("tfidf", "textrank")
FORMAT = "policy_nlp.keywords/2"
# TextRank's defaults: the co-occurrence window, in content tokens, and how many content tokens
# of a document it reads (the graph of a longer one is built from its first part)
TEXTRANK_WINDOW = 5
TEXTRANK_MAX_TOKENS = 100_000
# max_df needs this many reference documents: in fewer, a share of them says nothing
MAX_DF_MIN_DOCS = 3
# decimals of a keyword's score and of a saved IDF (the tables and the JSON file stay stable)
SCORE_DIGITS = 6

Tokens = Mapping[str, int] | Iterable[str]


class PlainKeywordExtractor(PlainModel):
    """Top keywords per document: ``KeywordExtractor`` without scikit-learn's base (what a run
    applies; ``KeywordExtractor`` adds ``get_params``, ``clone``, ``set_output`` …).

    Parameters (keyword-only):

    - ``top_n``: keywords per document (10);
    - ``method``: ``"tfidf"`` (term frequency x reference IDF) or ``"textrank"`` (PageRank over
      a co-occurrence window, times the reference IDF so shared vocabulary sinks);
    - ``max_df``: terms in more than this share of the reference documents are dropped (0.8);
    - ``window``: TextRank co-occurrence window in content tokens (5);
    - ``textrank_max_tokens``: TextRank reads at most this many content tokens (100,000).

    >>> kx = PlainKeywordExtractor(top_n=2).fit([{"数字经济": 1, "乡村振兴": 1}, {"乡村振兴": 2, "农业": 1}])
    >>> kx.keywords({"数字经济": 3, "乡村振兴": 1, "2025年": 9})
    [('数字经济', 1.054099), ('乡村振兴', 0.25)]
    """

    def __init__(
        self,
        *,
        top_n: int = 10,
        method: str = "tfidf",
        max_df: float = 0.8,
        window: int = TEXTRANK_WINDOW,
        textrank_max_tokens: int = TEXTRANK_MAX_TOKENS,
    ) -> None:
        self.top_n = top_n
        self.method = method
        self.max_df = max_df
        self.window = window
        self.textrank_max_tokens = textrank_max_tokens

    def _validate(self) -> None:
        if self.method not in METHODS:
            raise OptionError(f"method must be one of {METHODS}, not {self.method!r}")
        if not 0 < self.max_df <= 1:
            raise OptionError(f"max_df must be in (0, 1], not {self.max_df!r}")
        if self.top_n < 1 or self.window < 2 or self.textrank_max_tokens < 1:
            raise OptionError("top_n and textrank_max_tokens must be >= 1 and window >= 2")

    # ------------------------------------------------------------------ fitting
    def fit(self, docs: Iterable[Tokens], y: object = None) -> PlainKeywordExtractor:
        """Learn the IDF from reference documents, each given as token counts or tokens
        (``y`` is ignored: scikit-learn's signature)."""
        self._validate()
        df: Counter[str] = Counter()
        n = 0
        for doc in docs:
            n += 1
            df.update(t for t in (doc.keys() if isinstance(doc, Mapping) else set(doc)))
        self.n_docs_ = n
        self.idf_ = {}
        self.dropped_ = set()
        for term, count in sorted(df.items()):
            if not is_content_token(term):
                continue
            if n >= MAX_DF_MIN_DOCS and count / n > self.max_df:
                self.dropped_.add(term)
            else:
                self.idf_[term] = math.log((1 + n) / (1 + count)) + 1.0
        # a term the reference corpus never saw is as rare as can be: document frequency 0
        self.default_idf_ = math.log(1 + n) + 1.0
        return self

    def _check(self) -> None:
        self._check_fitted("idf_")

    # ------------------------------------------------------------------ scoring
    def keywords(
        self, tokens: Tokens, *, rank: Mapping[str, float] | None = None
    ) -> list[tuple[str, float]]:
        """(keyword, score) pairs for one document, best first; ties broken by the term.

        ``tokens`` is the document's token counts (a mapping) or its tokens in order (any
        iterable, read once). TextRank needs the order: give it tokens, or counts plus ``rank``,
        the document's ``textrank_scores`` computed earlier.
        """
        self._check()
        self._validate()
        if self.method == "textrank" and rank is None:
            if isinstance(tokens, Mapping):
                raise OptionError(
                    "TextRank needs the tokens in document order, not counts "
                    "(or pass rank=textrank_scores(tokens))"
                )
            counts: Counter[str] = Counter()
            stream = iter(tokens)

            def counted():
                for t in stream:
                    if is_content_token(t):
                        counts[t] += 1
                        yield t

            rank = textrank_scores(
                counted(), window=self.window, max_tokens=self.textrank_max_tokens
            )
            for _ in counted():  # count what TextRank did not read
                pass
            tf: Mapping[str, int] = counts
        elif isinstance(tokens, Mapping):
            tf = tokens
        else:
            tf = Counter(tokens)
        terms, values = _positive_content(tf)
        if not terms:
            return []
        # one NumPy operation per step over the document's terms rather than Python per term:
        # the same IEEE-754 operations in the same order, so the same scores to the last bit
        weights = np.fromiter(
            map(self._weights().get, terms, repeat(self.default_idf_)), float, len(terms)
        )
        if self.method == "textrank":
            scores = np.fromiter(map(rank.get, terms, repeat(0.0)), float, len(terms)) * weights
        else:
            scores = values / sum(map(tf.__getitem__, terms)) * weights  # a sum as Python's
        # best first, ties by the term: every term scoring at least the top_n-th best score
        # (found by a partition, no full sort), then those few sorted by (-score, term)
        best = np.flatnonzero(scores > 0)
        if len(best) > self.top_n:
            cut = np.partition(scores[best], len(best) - self.top_n)[len(best) - self.top_n]
            best = best[scores[best] >= cut]
        ranked = sorted((-float(scores[i]), terms[i]) for i in best)[: self.top_n]
        return [(t, round(-s, SCORE_DIGITS)) for s, t in ranked]

    def _weights(self) -> dict[str, float]:
        """term -> IDF, with 0.0 for the dropped terms (their scores are 0: never keywords),
        built once per fitted ``idf_`` and ``dropped_`` (one lookup per term when scoring)."""
        cached = self.__dict__.get("_weights_cache")
        if cached is None or cached[0] is not self.idf_ or cached[1] is not self.dropped_:
            weights = {**self.idf_, **dict.fromkeys(self.dropped_, 0.0)}
            cached = (self.idf_, self.dropped_, weights)
            self._weights_cache = cached
        return cached[2]

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())
        state.pop("_weights_cache", None)  # a cache: not sent to workers
        return state

    def transform(self, docs: Iterable[Tokens]) -> np.ndarray:
        """Keyword scores of each document (token counts or tokens) over the reference vocabulary:
        an array of shape (documents, ``len(get_feature_names_out())``) where a document's
        ``top_n`` keywords have their score and every other term 0 (a keyword the reference
        corpus never saw has no column). For the keyword table, see ``keywords_frame``."""
        self._check()
        if isinstance(docs, Mapping):
            raise OptionError(
                "transform takes a list of documents (token counts or tokens); for the keyword "
                "table of {doc_id: tokens} use keywords_frame"
            )
        index = self._term_index()
        rows = [self.keywords(doc) for doc in docs]
        out = np.zeros((len(rows), len(index)))
        for r, pairs in enumerate(rows):
            for term, score in pairs:
                j = index.get(term)
                if j is not None:
                    out[r, j] = score
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The terms of ``transform``'s columns: the reference vocabulary, sorted."""
        self._check()
        return np.asarray(sorted(self.idf_), dtype=object)

    def _term_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(sorted(self.idf_))}

    def keywords_frame(self, docs: Mapping[str, Tokens]) -> pd.DataFrame:
        """Keyword table for ``{doc_id: tokens or counts}``: doc_id, rank, keyword, score."""
        from policy_nlp.tables import typed

        rows = []
        for doc_id in sorted(docs):
            for rank, (kw, score) in enumerate(self.keywords(docs[doc_id]), start=1):
                rows.append({"doc_id": doc_id, "rank": rank, "keyword": kw, "score": score})
        return typed(pd.DataFrame(rows, columns=list(COLUMNS["keywords"])), "keywords")

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the fitted IDF as JSON (atomically)."""
        from policy_nlp.atomic import atomic_write

        self._check()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT,
            "params": self.params(),
            "n_docs": self.n_docs_,
            "default_idf": self.default_idf_,
            "dropped": sorted(self.dropped_),
            "idf": {t: round(v, SCORE_DIGITS) for t, v in sorted(self.idf_.items())},
        }
        with atomic_write(path, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, indent=0, sort_keys=True)
        return path

    @classmethod
    def load(cls, path: str | Path, **params) -> PlainKeywordExtractor:
        """A fitted extractor from a JSON file written by ``save``; ``params`` override."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: cannot read keyword model: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{path}: not a policy_nlp keyword model (format {FORMAT})")
        self = cls(**{**data["params"], **params})
        self._validate()
        self.idf_ = {str(k): float(v) for k, v in data["idf"].items()}
        self.n_docs_ = int(data["n_docs"])
        self.default_idf_ = float(data["default_idf"])
        self.dropped_ = set(data["dropped"])
        return self


def _positive_content(tf: Mapping[str, int]) -> tuple[list[str], np.ndarray]:
    """The content tokens of ``tf`` with a positive count, and those counts (floats), in
    ``tf``'s order. Counts of content tokens only (``count_content_tokens``) are taken whole."""
    rejected = non_content_tokens(tf.keys())
    terms = [t for t in tf if t not in rejected] if rejected else list(tf)
    values = np.fromiter(map(tf.__getitem__, terms), float, len(terms))
    if not (values > 0).all():
        terms = [t for t, v in zip(terms, values > 0, strict=True) if v]
        values = values[values > 0]
    return terms, values


@cache
def _estimator_class() -> type:
    return with_estimator_base(
        PlainKeywordExtractor,
        "KeywordExtractor",
        "Top keywords per document as a scikit-learn transformer",
    )


def __getattr__(name: str) -> object:
    # ``KeywordExtractor`` (the scikit-learn estimator) is built on first use (PEP 562), so
    # importing this module and applying a saved model never imports scikit-learn
    if name == "KeywordExtractor":
        return _estimator_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def textrank_scores(
    tokens: Iterable[str],
    *,
    window: int = TEXTRANK_WINDOW,
    damping: float = 0.85,
    iterations: int = 100,
    tol: float = 1e-9,
    max_tokens: int | None = TEXTRANK_MAX_TOKENS,
) -> dict[str, float]:
    """PageRank of each token over its co-occurrence graph (TextRank, Mihalcea & Tarau 2004).

    Two tokens are linked, with a weight that counts how often it happens, when they occur
    within ``window`` tokens of each other. ``tokens`` is read as a stream; only the edge
    counts are kept, and reading stops after ``max_tokens`` tokens (None: no limit). Scores sum
    to 1; a token that never co-occurs with another keeps only the teleport share.
    """
    index: dict[str, int] = {}
    edges: Counter[tuple[int, int]] = Counter()
    recent: deque[int] = deque(maxlen=window - 1)
    for n, t in enumerate(tokens):
        if max_tokens is not None and n >= max_tokens:
            break
        i = index.setdefault(t, len(index))
        for j in recent:
            if j != i:
                edges[(i, j) if i < j else (j, i)] += 1
        recent.append(i)
    size = len(index)
    if size == 0:
        return {}
    from scipy import sparse

    if edges:
        pairs = np.array(list(edges.keys()), dtype=np.int64)
        w = np.array(list(edges.values()), dtype=float)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        weights = sparse.csr_matrix((np.concatenate([w, w]), (rows, cols)), shape=(size, size))
    else:
        weights = sparse.csr_matrix((size, size))
    out_sum = np.asarray(weights.sum(axis=1)).ravel()
    dangling = out_sum == 0
    out_sum[dangling] = 1.0
    trans = (sparse.diags(1.0 / out_sum) @ weights).T.tocsr()
    score = np.full(size, 1.0 / size)
    for _ in range(iterations):
        new = (1 - damping) / size + damping * (trans @ score + score[dangling].sum() / size)
        if np.abs(new - score).sum() < tol:
            score = new
            break
        score = new
    terms = sorted(index, key=index.__getitem__)
    return {t: float(score[index[t]]) for t in terms}
