"""Does a passage report results (review) or set goals (plan)? A small learned classifier.

Work reports review the past year and then plan the next; excerpts often lose the section
headings that say which part a paragraph belongs to, and many sentences carry no cue word
(新增精品示范村200个 is a plan, 新增5A级物流企业3家 a result). ``TenseClassifier`` reads the
wording instead: a logistic regression on hashed character n-gram frequencies (digits masked).
The model is linear in frequencies, so one pass over a document scores every passage of it.

The model is saved as NPZ (weights): no pickle. Training (weak supervision from the corpus's
section headings and our annotated claims) lives apart, in ``policy_nlp.fit.tense``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from policy_nlp.errors import ModelError, NotFittedError

__all__ = ["DocumentScores", "TenseClassifier", "default_classifier", "mask_digits"]

FORMAT = "policy_nlp.tense/3"
# digits carry no tense (增长5.5% and 增长8% read the same); masked one for one, so that the
# positions of a masked text are the positions of the document
_MASK = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)
_SALT = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D)


def mask_digits(text: str) -> str:
    """Every digit becomes ``0``; the length is unchanged: ``增长5.5%`` -> ``增长0.0%``."""
    return text.translate(_MASK)


def _ngram_ids(text: str, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed ids of the character 1-, 2- and 3-grams starting at each position of ``text``.

    Code points are combined arithmetically in NumPy (no Python loop per character); each
    order has its own salt to keep them apart. Products may wrap around in int64; the ids are
    their floor remainders, which for a power-of-two modulus (the default ``n_features`` and
    ``1 << 61``) are the low bits: a bitwise AND, several times cheaper than ``%``, same ids.
    """
    raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    digit = (raw - 0x30) < 10  # 0-9 (the subtraction wraps around below 0x30)
    digit |= (raw - 0xFF10) < 10  # ０-９
    if n_features & (n_features - 1) == 0 and n_features <= 1 << 32:
        return _low_bit_ids(raw, digit, n_features)
    cp = raw.astype(np.int64)
    cp[digit] = 0x30  # mask_digits
    uni = cp * _SALT[0]
    bi = cp[:-1] * 1_000_003
    bi += cp[1:]
    bi *= _SALT[1]
    tri = cp[:-2] * 1_000_003
    tri += cp[1:-1]
    tri *= 1_000_003
    tri += cp[2:]
    tri &= (1 << 61) - 1  # == tri % (1 << 61)
    tri *= _SALT[2]
    for ids in (uni, bi, tri):
        if n_features & (n_features - 1) == 0:
            ids &= n_features - 1
        else:
            np.remainder(ids, n_features, out=ids)
    return uni, bi, tri


def _low_bit_ids(
    raw: np.ndarray, digit: np.ndarray, n_features: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_ngram_ids`` for a power-of-two ``n_features`` up to 2**32, in uint32 arithmetic.

    The ids are the low bits of sums and products, and the low bits of a sum or product
    depend only on the low bits of its operands: wrapping around 2**32 (uint32) instead of
    2**64 (int64), and skipping the 2**61 fold, gives the same ids with half the memory
    traffic (the default model's scoring of a document: a third of its time)."""
    cp = raw.copy()
    cp[digit] = 0x30  # mask_digits
    mask = np.uint32(n_features - 1)
    step = np.uint32(1_000_003)
    uni = cp * np.uint32(_SALT[0])
    bi = cp[:-1] * step
    bi += cp[1:]
    bi *= np.uint32(_SALT[1])
    tri = cp[:-2] * step
    tri += cp[1:-1]
    tri *= step
    tri += cp[2:]
    tri *= np.uint32(_SALT[2])
    for ids in (uni, bi, tri):
        ids &= mask
    return uni, bi, tri


class DocumentScores:
    """Plan log-odds of any passage of one text, in O(1) per passage after one pass.

    The model is linear in length-normalised n-gram counts, so a passage's score is the mean of
    the weights of the n-grams inside it: prefix sums over the text answer every span.
    """

    def __init__(self, model: TenseClassifier, text: str):
        uni, bi, tri = _ngram_ids(text, model.n_features)
        w = model._compact_coef()
        self._intercept = model.intercept_
        n = len(text)
        # prefix sums of the weights of the 1-, 2- and 3-grams starting at each position, padded
        # so that every order has n + 1 entries (an n-gram past the end weighs nothing); summed
        # in float64 whatever the weights' type
        sums = np.zeros((3, n + 1))
        for s, ids in zip(sums, (uni, bi, tri), strict=True):
            np.cumsum(w.take(ids), out=s[1 : len(ids) + 1], dtype=np.float64)
            s[len(ids) + 1 :] = s[len(ids)]
        self._uni, self._bi, self._tri = sums
        self._n = n

    def logit(self, start: int, end: int) -> float:
        """log-odds that ``text[start:end]`` sets goals rather than reports results."""
        length = end - start
        if length <= 0:
            return self._intercept
        # the span holds length unigrams, length-1 bigrams and length-2 trigrams; the sums are
        # read as Python floats (``item``: no NumPy scalar per operation, the same doubles)
        uni, bi, tri = self._uni.item, self._bi.item, self._tri.item
        total = uni(end) - uni(start)
        count = length
        if length > 1:
            total += bi(end - 1) - bi(start)
            count += length - 1
        if length > 2:
            total += tri(end - 2) - tri(start)
            count += length - 2
        return self._intercept + total / count


class TenseClassifier:
    """P(plan) for a passage, linear in its hashed character n-gram frequencies.

    scikit-learn estimator contract. Parameters: ``n_features`` hash buckets for the 1- to
    3-grams; ``C`` the inverse regularisation of the logistic regression (features are
    frequencies that sum to one, so weak regularisation suits them); ``random_state``.
    """

    def __init__(self, *, n_features: int = 1 << 17, C: float = 1000.0, random_state: int = 0):
        self.n_features = n_features
        self.C = C
        self.random_state = random_state

    def _frequencies(self, texts: Sequence[str]):
        from scipy import sparse

        indptr, indices, data = [0], [], []
        for text in texts:
            ids = np.concatenate(_ngram_ids(text, self.n_features))
            uniq, counts = np.unique(ids, return_counts=True)
            indices.append(uniq)
            data.append(counts / max(len(ids), 1))
            indptr.append(indptr[-1] + len(uniq))
        if not texts:
            return sparse.csr_matrix((0, self.n_features))
        return sparse.csr_matrix(
            (np.concatenate(data), np.concatenate(indices), np.asarray(indptr)),
            shape=(len(texts), self.n_features),
        )

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TenseClassifier:
        """Learn from passages labelled ``"review"`` or ``"plan"``."""
        from sklearn.linear_model import LogisticRegression

        y = np.array([1 if lab == "plan" else 0 for lab in labels])
        clf = LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state)
        clf.fit(self._frequencies(texts), y)
        self.coef_ = clf.coef_[0].astype(float)
        self.intercept_ = float(clf.intercept_[0])
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("TenseClassifier is not fitted: call fit() or load() first")

    def _compact_coef(self) -> np.ndarray:
        """``coef_`` as float32 when that holds it exactly (a saved model does: it is stored so):
        half the memory to gather weights from, the same values. Cached per ``coef_`` array."""
        cached = getattr(self, "_coef32", None)
        if cached is None or cached[0] is not self.coef_:
            w = self.coef_.astype(np.float32)
            self._coef32 = (self.coef_, w if np.array_equal(w, self.coef_) else self.coef_)
        return self._coef32[1]

    def document(self, text: str) -> DocumentScores:
        """Scores for every passage of ``text`` (one pass over the text)."""
        self._check()
        return DocumentScores(self, text)

    def logit(self, text: str) -> float:
        """log-odds of plan for one text."""
        return self.document(text).logit(0, len(text))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(plan) for each text."""
        z = np.array([self.logit(t) for t in texts], dtype=float)
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: str | Path) -> Path:
        """Write the fitted model as NPZ (arrays only, loaded without pickle)."""
        from policy_nlp.atomic import atomic_write

        self._check()
        meta = json.dumps(
            {
                "format": FORMAT,
                "n_features": self.n_features,
                "C": self.C,
                "random_state": self.random_state,
            }
        )
        with atomic_write(path, "wb") as f:
            np.savez_compressed(
                f,
                meta=np.array(meta),
                coef=self.coef_.astype(np.float32),
                intercept=np.array(self.intercept_),
            )
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> TenseClassifier:
        """A fitted model from a file written by ``save``."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise ModelError(f"{path}: not a policy_nlp tense model of format {FORMAT}")
            self = cls(
                n_features=int(meta["n_features"]),
                C=float(meta["C"]),
                random_state=int(meta["random_state"]),
            )
            self.coef_ = z["coef"].astype(float)
            self.intercept_ = float(z["intercept"])
        return self


@cache
def default_classifier() -> TenseClassifier | None:
    """The shipped model (``models/tense.json``), or None when it is not there."""
    from policy_nlp.artifacts import default_models_dir

    path = default_models_dir() / "tense.npz"
    return TenseClassifier.load(path) if path.is_file() else None
