"""Tokenise Chinese policy text with jieba, tuned with a policy user dictionary and stopwords.

A ``Tokenizer`` owns its own segmenter (never jieba's global one) loaded with jieba's main
dictionary plus ``data/userdict.txt`` (jieba's user-dictionary format: ``word [freq] [tag]``), so
that 数字经济, 高质量发展 or 一网通办 stay whole. Two backends cut the same way:

- ``"jieba"``, the reference implementation;
- ``"rjieba"``, the jieba-rs binding (same algorithm, several times faster). It is given exactly the
  same entries: jieba's own ``dict.txt`` word by word, then the user dictionary through the same
  ``add_word`` calls, so both compute the same frequencies for user words.

Agreement, measured on corpus/ (25 documents, 221,904 jieba tokens) with
``python bench/tokenizer_agreement.py corpus``: 99.99% of tokens agree (aligned tokens over the
mean token count), and 99.99% of the content tokens that keywords and topics use. The only
differences are ASCII runs joined by ``-`` or ``_`` that jieba-rs keeps as one token and jieba
splits (``2021-2023``, ``PM_2.5``, ``5G-A``); Chinese text segments identically.

``content_tokens`` / ``iter_content_tokens`` / ``count_content_tokens`` keep only what keyword and
topic models should see (see ``is_content_token``); text is cut line by line so a huge document
never needs its full token list in memory.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, MutableMapping, Set
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from policy_nlp.errors import ModelError, OptionError
from policy_nlp.resources import data_path, read_lines

__all__ = [
    "BACKENDS",
    "Tokenizer",
    "count_tokens",
    "get_tokenizer",
    "is_content_token",
    "keep_content",
    "non_content_tokens",
    "read_user_dict",
    "stopwords",
    "tokenize",
]

BACKENDS = ("rjieba", "jieba")

log = logging.getLogger(__name__)

_HAS_CJK_OR_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# The characters of a number: digits, Chinese numerals, and the words of an approximate one
# (几, 多, 余, 半).
_NUMERAL = "0-9０-９零〇一二三四五六七八九十百千万亿两几多余半"


@cache
def _number_like() -> re.Pattern[str]:
    """A number (Arabic or Chinese, with decimals, percent, ranges) optionally led by 第/首 and
    followed by measure words (``data/measure_words.txt``): numbers, years, dates, counts and
    plan periods (十四五) in one rule."""
    measure = "".join(read_lines("measure_words.txt"))
    return re.compile(rf"^(?:百分之|千分之)?[第首]?[{_NUMERAL}.．,，%％\-~]+[{measure}]*$")


@cache
def stopwords() -> frozenset[str]:
    """Chinese function words plus policy boilerplate (``data/stopwords.txt``)."""
    return frozenset(read_lines("stopwords.txt"))


def read_user_dict(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Entries of a user dictionary in jieba's format: ``word [freq] [tag]`` per line.

    ``#`` lines and blank lines are skipped. A bad frequency raises ``ValueError`` naming the file
    and the line.
    """
    path = Path(path)
    entries: list[tuple[str, int | None, str | None]] = []
    text = path.read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        elif rest and len(rest) > 1:
            raise ModelError(f"{path}:{number}: frequency must be a whole number: {line!r}")
        if rest:
            tag = rest[0]
        entries.append((word, freq, tag))
    return entries


def _jieba_dict_path() -> Path:
    return Path(str(resources.files("jieba") / "dict.txt"))


def _quiet_jieba() -> None:
    # jieba logs "Building prefix dict…" at DEBUG through its own stderr handler; keep it quiet
    logging.getLogger("jieba").setLevel(logging.WARNING)


class Tokenizer:
    """A segmenter with the policy user dictionary; safe to share between threads and processes.

    Parameters are keyword-only: ``backend`` ("rjieba" or "jieba"; "rjieba" falls back to
    "jieba" with a warning when the binding is not installed), ``user_dict`` (a path in jieba's
    format, or None for the shipped policy dictionary), ``hmm`` (jieba's HMM for unknown words).
    """

    def __init__(
        self, *, backend: str = "rjieba", user_dict: str | Path | None = None, hmm: bool = True
    ) -> None:
        if backend not in BACKENDS:
            raise OptionError(f"unknown tokenizer backend {backend!r}; choose one of {BACKENDS}")
        self.backend = backend
        self.user_dict = Path(user_dict) if user_dict else data_path("userdict.txt")
        self.hmm = hmm
        self._lock = threading.Lock()
        self._impl = None
        self._engine = backend  # the backend actually loaded (rjieba may fall back to jieba)

    # ------------------------------------------------------------------ loading
    def _load(self):
        if self._impl is not None:
            return self._impl
        with self._lock:
            if self._impl is None:
                words = read_user_dict(self.user_dict)
                impl = None
                if self.backend == "rjieba":
                    impl = self._load_rjieba(words)
                if impl is None:
                    impl = self._load_jieba(words)
                self._impl = impl
        return self._impl

    def _load_rjieba(self, words):
        try:
            import rjieba
        except ImportError:
            log.warning("rjieba is not installed; tokenizing with jieba instead")
            return None
        # jieba-rs compiles in jieba's main dictionary (dict.txt): the same vocabulary as the
        # jieba backend, loaded in Rust in ~0.06 s instead of 350k add_word calls (~0.5 s);
        # tests/test_tokens.py checks that both give the same tokens on corpus/
        impl = rjieba.Jieba()
        for word, freq, tag in words:
            impl.add_word(word, freq, tag)
        self._engine = "rjieba"
        return impl

    def _load_jieba(self, words):
        import jieba

        _quiet_jieba()
        impl = jieba.Tokenizer()  # jieba's default dictionary: the same dict.txt rjieba is given
        impl.initialize()
        for word, freq, tag in words:
            impl.add_word(word, freq, tag)
        self._engine = "jieba"
        return impl

    @property
    def engine(self) -> str:
        """The backend in use once loaded ("rjieba" or "jieba")."""
        self._load()
        return self._engine

    # ------------------------------------------------------------------ cutting
    def cut(self, text: str) -> list[str]:
        """All tokens in order, punctuation and spaces included (``"".join`` gives ``text``)."""
        impl = self._load()
        if self._engine == "rjieba":
            return list(impl.cut(text, self.hmm))
        return impl.lcut(text, HMM=self.hmm)

    def count(self, text: str) -> Counter[str]:
        """Every token's count (punctuation and spaces too), counted straight from what the
        backend returns: no copy of the token list, no Python loop over the tokens."""
        impl = self._load()
        if self._engine == "rjieba":
            return Counter(impl.cut(text, self.hmm))
        return Counter(impl.cut(text, HMM=self.hmm))

    def iter_tokens(self, text: str) -> Iterator[str]:
        """``cut`` line by line: the same tokens without building the whole list at once.

        jieba and jieba-rs never join tokens across a line break, so this equals ``cut(text)``.
        """
        for line in _lines(text):
            yield from self.cut(line)

    def iter_content_tokens(self, text: str) -> Iterator[str]:
        """Content tokens in document order (see ``is_content_token``), produced lazily."""
        return (t for t in self.iter_tokens(text) if is_content_token(t))

    def content_tokens(self, text: str) -> list[str]:
        """Tokens that carry meaning: no stopwords, punctuation, numbers or single characters."""
        return list(self.iter_content_tokens(text))

    def count_content_tokens(self, text: str) -> dict[str, int]:
        """Content token -> count, sorted by token: all keywords and topics need from a document."""
        return count_tokens(self.iter_content_tokens(text))

    def iter_paragraph_counts(self, text: str) -> Iterator[dict[str, int]]:
        """Content-token counts of each line that has any (a paragraph in these documents),
        sorted by token: every token counted, then the other tokens dropped (``keep_content``)."""
        for line in _lines(text):
            counts = keep_content(self.count(line))
            if counts:
                yield dict(sorted(counts.items()))

    # ------------------------------------------------------------------ pickling
    def __getstate__(self):  # picklable for process pools: the segmenter is rebuilt lazily
        state = self.__dict__.copy()
        state["_impl"] = None
        state["_lock"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Tokenizer(backend={self.backend!r}, user_dict={str(self.user_dict)!r}, hmm={self.hmm})"


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its newline, without splitting the whole text at once."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


# tokens remembered by is_content_token: it is pure and words repeat, so most calls are
# dictionary lookups
CONTENT_TOKEN_CACHE = 1 << 20


@lru_cache(maxsize=CONTENT_TOKEN_CACHE)
def is_content_token(token: str) -> bool:
    """True for a word keyword and topic models should see.

    False for single characters, punctuation and spaces, numbers and anything number-like (years,
    dates, percentages, 三年, 一批, 亿元, 第一, 十四五) and stopwords (``stopwords()``).

    >>> [t for t in ["数字经济", "2025年", "十四五", "一批", "推进", "的", "5G"] if is_content_token(t)]
    ['数字经济', '5G']
    """
    t = token.strip()
    if len(t) < 2 or not _HAS_CJK_OR_LETTER.search(t):
        return False
    if _number_like().match(t):
        return False
    return t not in stopwords()


class _Known:
    """Tokens whose status ``is_content_token`` has given, in two sets: every one seen and those
    that are not content tokens."""

    __slots__ = ("rejected", "seen")

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.rejected: set[str] = set()


# The status of the tokens a process has met, kept as sets rather than asked of
# is_content_token token by token: a document's distinct tokens are then sorted out by two
# C-level set operations (``keys() - seen``, ``keys() & rejected``) instead of a Python call
# each, and only the few tokens never seen before are tested.
_known = _Known()
KNOWN_TOKENS = 1 << 20  # tokens remembered at most; beyond that they are forgotten and relearned


def non_content_tokens(tokens: Set[str]) -> set[str]:
    """The tokens of ``tokens`` (a set, or a mapping's ``keys()``) that are not content tokens
    (``is_content_token``): the same answer, token for token, found with set operations.

    >>> sorted(non_content_tokens({"数字经济", "2025年", "的"}))
    ['2025年', '的']
    """
    global _known
    known = _known  # this call's sets, even if another thread starts new ones meanwhile
    # issuperset walks ``tokens`` only (``tokens - seen`` may walk all of ``seen``)
    if not known.seen.issuperset(tokens):
        new = [t for t in tokens if t not in known.seen]
        if len(known.seen) + len(new) > KNOWN_TOKENS:
            known = _known = _Known()
            new = list(tokens)
        # rejected before seen: a token in ``seen`` always has its status recorded
        known.rejected.update(t for t in new if not is_content_token(t))
        known.seen.update(new)
    return tokens & known.rejected


def keep_content(counts: MutableMapping[str, int]) -> MutableMapping[str, int]:
    """``counts`` without the tokens that are not content tokens, removed in place (the others
    keep their order); returns ``counts``."""
    for t in non_content_tokens(counts.keys()):
        counts.pop(t)  # not ``del``: Counter's __delitem__ is written in Python, dict.pop is not
    return counts


_DEFAULT: dict[str, Tokenizer] = {}
_DEFAULT_LOCK = threading.Lock()


def get_tokenizer(backend: str = "rjieba") -> Tokenizer:
    """The shared default ``Tokenizer`` for a backend (built on first use, loaded lazily)."""
    with _DEFAULT_LOCK:
        if backend not in _DEFAULT:
            _DEFAULT[backend] = Tokenizer(backend=backend)
        return _DEFAULT[backend]


def tokenize(
    text: str,
    *,
    backend: str = "rjieba",
    drop_stopwords: bool = False,
    keep_stopwords: bool | None = None,
) -> list[str]:
    """Policy-tuned tokens of ``text``, every one in order, so ``"".join(tokenize(text)) ==
    text`` (jieba's convention, with the policy dictionary): spaces and punctuation included.

    ``drop_stopwords=True`` gives only the content tokens keyword and topic models see (no
    stopwords, punctuation, spaces, numbers or single characters: ``is_content_token``).
    ``keep_stopwords`` is the switch's old name (``keep_stopwords=False`` is
    ``drop_stopwords=True``), kept for existing code.

    >>> tokenize("全面推进城市数字化转型", backend="jieba")
    ['全面', '推进', '城市', '数字化转型']
    >>> tokenize("全面推进城市数字化转型", backend="jieba", drop_stopwords=True)
    ['城市', '数字化转型']
    """
    if keep_stopwords is not None:
        drop_stopwords = not keep_stopwords
    tk = get_tokenizer(backend)
    if drop_stopwords:
        return tk.content_tokens(text)
    return list(tk.iter_tokens(text))


def count_tokens(tokens: Iterable[str]) -> dict[str, int]:
    """Token counts, sorted by token for deterministic output."""
    return dict(sorted(Counter(tokens).items()))
