"""Tokenise Chinese policy text with jieba, tuned with a policy user dictionary and stopwords.

A ``Tokenizer`` owns its own segmenter (never jieba's global one) loaded with
``data/userdict.txt`` (jieba's user-dictionary format: ``word [freq] [tag]``), so that
数字经济, 高质量发展 or 一网通办 stay whole. Two backends cut the same way:
``"jieba"`` (the reference implementation) and ``"rjieba"`` (the jieba-rs binding: same
algorithm and dictionary format, much faster). ``content_tokens`` drops stopwords,
punctuation, numbers and single characters: the tokens keyword and topic models use.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from policy_nlp.resources import data_path, read_lines

__all__ = ["BACKENDS", "Tokenizer", "get_tokenizer", "is_content_token", "stopwords", "tokenize"]

BACKENDS = ("rjieba", "jieba")

_NUMERIC = re.compile(r"^[\d０-９.．,%％第一二三四五六七八九十百千万亿两〇零几多余]+$")
_HAS_CJK_OR_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_YEARISH = re.compile(r"^\d+(?:年|月|日|号|届|次|个|项|家|条|万|亿)?$")


@cache
def stopwords() -> frozenset[str]:
    """Chinese function words plus policy boilerplate (``data/stopwords.txt``)."""
    return frozenset(read_lines("stopwords.txt"))


def _user_words(path: Path) -> list[tuple[str, int | None, str | None]]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        words.append((word, freq, tag))
    return words


class Tokenizer:
    """A segmenter with the policy user dictionary; safe to share between threads.

    Parameters are keyword-only: ``backend`` ("rjieba" or "jieba"; "rjieba" falls back to
    "jieba" when the binding is not installed), ``user_dict`` (a path in jieba's format, or
    None for the shipped policy dictionary), ``hmm`` (jieba's HMM for unknown words).
    """

    def __init__(
        self, *, backend: str = "rjieba", user_dict: str | Path | None = None, hmm: bool = True
    ):
        if backend not in BACKENDS:
            raise ValueError(f"unknown tokenizer backend {backend!r}; choose one of {BACKENDS}")
        self.backend = backend
        self.user_dict = Path(user_dict) if user_dict else data_path("userdict.txt")
        self.hmm = hmm
        self._lock = threading.Lock()
        self._impl = None

    def _load(self):
        if self._impl is not None:
            return self._impl
        with self._lock:
            if self._impl is None:
                words = _user_words(self.user_dict)
                impl = None
                if self.backend == "rjieba":
                    try:
                        import rjieba
                    except ImportError:
                        self.backend = "jieba"
                    else:
                        impl = rjieba.Jieba()
                        for word, freq, tag in words:
                            impl.add_word(word, freq, tag)
                if impl is None:
                    import jieba

                    # jieba logs "Building prefix dict…" at DEBUG on its own handler; keep it quiet
                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    impl = jieba.Tokenizer()
                    impl.initialize()
                    for word, freq, tag in words:
                        impl.add_word(word, freq, tag)
                self._impl = impl
        return self._impl

    def cut(self, text: str) -> list[str]:
        """All tokens in order, punctuation and spaces included (``"".join`` gives ``text``)."""
        impl = self._load()
        if self.backend == "rjieba":
            return list(impl.cut(text, self.hmm))
        return impl.lcut(text, HMM=self.hmm)

    def content_tokens(self, text: str) -> list[str]:
        """Tokens that carry meaning: no stopwords, punctuation, numbers or single characters."""
        return [t for t in self.cut(text) if is_content_token(t)]

    def __getstate__(self):  # picklable for process pools: the segmenter is rebuilt lazily
        state = self.__dict__.copy()
        state["_impl"] = None
        state["_lock"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Tokenizer(backend={self.backend!r}, user_dict={str(self.user_dict)!r})"


def is_content_token(token: str) -> bool:
    """True for a multi-character word that is not a stopword, number, date or punctuation."""
    t = token.strip()
    if len(t) < 2 or not _HAS_CJK_OR_LETTER.search(t):
        return False
    if _NUMERIC.match(t) or _YEARISH.match(t):
        return False
    return t not in stopwords()


_DEFAULT: dict[str, Tokenizer] = {}
_DEFAULT_LOCK = threading.Lock()


def get_tokenizer(backend: str = "rjieba") -> Tokenizer:
    """The shared default ``Tokenizer`` for a backend (built on first use)."""
    with _DEFAULT_LOCK:
        if backend not in _DEFAULT:
            _DEFAULT[backend] = Tokenizer(backend=backend)
        return _DEFAULT[backend]


def tokenize(text: str, *, backend: str = "rjieba", keep_stopwords: bool = False) -> list[str]:
    """Policy-tuned tokens of ``text`` for your own models.

    By default only content tokens (see ``is_content_token``); ``keep_stopwords=True`` gives
    every non-space token, punctuation included.
    """
    tk = get_tokenizer(backend)
    if keep_stopwords:
        return [t for t in tk.cut(text) if t.strip()]
    return tk.content_tokens(text)


def count_tokens(tokens: Iterable[str]) -> dict[str, int]:
    """Token counts, sorted by token for deterministic output."""
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    return dict(sorted(counts.items()))
