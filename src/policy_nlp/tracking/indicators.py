"""Indicator names: canonical keys, similarity, and which way a figure is better.

Names are compared by meaning as far as the data files know it: ``indicator_key`` maps the
wordings of ``data/indicator_synonyms.tsv`` to canonical names and drops the filler words of
``data/tracking_cues.tsv``; what is left is compared by character bigrams and by tokens of
the run's tokenizer (``tokenizer``: a ``policy_nlp.tokens.Tokenizer``, a backend name, or
None for the default backend). ``polarity`` reads ``data/indicator_polarity.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from policy_nlp.patterns import WITHIN_YEAR
from policy_nlp.resources import read_table
from policy_nlp.text import normalize
from policy_nlp.tokens import Tokenizer, get_tokenizer

__all__ = [
    "FILLER_PEELS",
    "MIN_NAME_CHARS",
    "NOISE",
    "QUALIFIER_CHARS",
    "QUALIFIER_PENALTY_CHARS",
    "SAME_INDICATOR_FREE_TEXT",
    "IndicatorKey",
    "cue_pattern",
    "cue_words",
    "display_name",
    "indicator_key",
    "indicator_similarity",
    "names_indicator",
    "polarity",
    "resolve_tokenizer",
    "same_indicator",
]

# Names the synonym table does not know are one indicator when their words are this similar
# (中央财政安排 must not match 中央财政拟安排补贴资金). Fixed on the full 2009-2012 national
# reports; the labelled pairs in tests/data/indicator_pairs.tsv measure it (see the README).
SAME_INDICATOR_FREE_TEXT = 0.8
# A name needs at least this many characters beside its canonical names to name something
# by itself (率, 额 name nothing).
MIN_NAME_CHARS = 2
# A qualifier of at most this many characters beside a canonical name on one side only still
# names the same indicator (一般公共预算支出规模 is 一般公共预算支出).
QUALIFIER_CHARS = 2
# A qualifier of this many characters beside a canonical name, on one side only, takes the
# whole of the leftover words' half of ``indicator_similarity`` (fewer take a share).
QUALIFIER_PENALTY_CHARS = 4
# Filler is peeled off a displayed name's ends this many times (中央财政 / 拟 / 安排 …).
FILLER_PEELS = 3

# Brackets, quotes and spaces never carry meaning in an indicator name, nor does a Latin
# alias in brackets (细颗粒物（PM2.5）年均浓度 is 细颗粒物年均浓度).
# a from-phrase left at a name's end (单位国内生产总值能耗由前三年, 失业率从上半年): the time
# started from, no part of what is measured
_FROM_TAIL = regex.compile(rf"[由从](?:前[一二三两四五]年|上年|去年|上一年|{WITHIN_YEAR})的?$")
NOISE = regex.compile(r"[（(][A-Za-z0-9.\s_]+[）)]|[\s“”\"'‘’《》〈〉（）()【】\[\]]+")
_NOT_NAME_CHAR = regex.compile(r"[^\p{Han}A-Z0-9.]")

# ----------------------------------------------------------------------------- data tables


# a subscript written out on a web page: PM_2.5, PM₂.₅ (and PM_10) are PM2.5 (PM10)
_SUBSCRIPT = regex.compile(r"(?<=PM)[_\s]+(?=\d)|(?<=PM)[₂](?:[.．][₅])?")


def _fold(text: str) -> str:
    """``text`` normalised with ASCII letters in upper case, as names are compared."""
    folded = normalize(text).upper()
    if "PM" not in folded:
        return folded
    return _SUBSCRIPT.sub(lambda m: "" if m.group(0)[0] in "_ \t" else "2.5", folded)


@cache
def _synonyms() -> tuple[tuple[str, str], ...]:
    """(wording, canonical name), longest wording first, ASCII folded to upper case."""
    rows = {
        (_fold(row[1]), row[0])
        for row in read_table("indicator_synonyms.tsv")
        if row[2:3] != ("bare",)
    }
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@cache
def _canonical() -> dict[str, str]:
    """Wording -> canonical name (``_synonyms`` as a dict, built once)."""
    return dict(_synonyms())


@cache
def _weak_wordings() -> frozenset[str]:
    """Wordings that name their indicator only when nothing else in the name does."""
    return frozenset(
        _fold(row[1]) for row in read_table("indicator_synonyms.tsv") if row[2:3] == ("weak",)
    )


@cache
def _bare_wordings() -> dict[str, str]:
    """Wordings that name their indicator only as the whole name (经济), to canonical name."""
    return {
        _fold(row[1]): row[0]
        for row in read_table("indicator_synonyms.tsv")
        if row[2:3] == ("bare",)
    }


# indicator_key's two word lists are plain alternations of words, which the standard
# library's engine matches alike and about three times faster than regex's (they run on
# every new name)
@cache
def _synonym_re() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w, _ in _synonyms()))


@cache
def _filler_re() -> re.Pattern:
    """``cue_pattern("filler")`` for the standard library's engine."""
    return re.compile("|".join(re.escape(w) for w in _cues()["filler"]))


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    """Words of ``data/tracking_cues.tsv`` by role, longest first."""
    out: dict[str, list[str]] = {}
    for word, role in read_table("tracking_cues.tsv"):
        out.setdefault(role, []).append(word)
    return {role: tuple(sorted(ws, key=len, reverse=True)) for role, ws in out.items()}


def cue_words(role: str) -> tuple[str, ...]:
    """The words of one role of ``data/tracking_cues.tsv``, longest first."""
    return _cues()[role]


@cache
def cue_pattern(role: str) -> regex.Pattern:
    """The words of one role of ``data/tracking_cues.tsv`` (``filler``, ``growth``, ``period``
    …) as one pattern, longest first; ``.pattern`` is the alternation to compose with."""
    return regex.compile("|".join(regex.escape(w) for w in _cues()[role]))


@cache
def _polarity_words() -> tuple[tuple[str, str], ...]:
    rows = [(_fold(w), p) for w, p in read_table("indicator_polarity.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def _edge_fillers() -> regex.Pattern:
    alt = cue_pattern("filler").pattern
    return regex.compile(rf"^(?:{alt})+|(?:{alt})+$")


# ----------------------------------------------------------------------------- tokenizer


def resolve_tokenizer(tokenizer: Tokenizer | str | None = None) -> Tokenizer:
    """The tokenizer to cut names with: a ``Tokenizer`` as given, a backend name's shared
    one, or for None the default backend's (``policy_nlp.tokens.get_tokenizer()``)."""
    if tokenizer is None:
        return get_tokenizer()
    if isinstance(tokenizer, str):
        return get_tokenizer(tokenizer)
    return tokenizer


@cache
def _token_set(text: str, tokenizer: Tokenizer) -> frozenset[str]:
    return frozenset(t for t in tokenizer.cut(text) if t.strip())


# ----------------------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class IndicatorKey:
    """A normalised indicator name: the canonical names it contains and the words left over."""

    concepts: frozenset[str]
    rest: str

    def __str__(self) -> str:
        return "+".join(sorted(self.concepts)) + (f"|{self.rest}" if self.rest else "")


def display_name(name: str) -> str:
    """An indicator name for the table: the document's words without filler at either end.

    >>> display_name("提出居民消费价格涨幅"), display_name("中央财政拟安排保障性安居工程资金")
    ('居民消费价格', '保障性安居工程')
    """
    text = NOISE.sub("", name or "")
    for _ in range(FILLER_PEELS):  # peel in turns, ends first
        text = _edge_fillers().sub("", text)
    return text if len(text) >= MIN_NAME_CHARS else (name or "")


@lru_cache(maxsize=1 << 16)  # pure, and names repeat across claims and documents
def indicator_key(name: str) -> IndicatorKey:
    """Normalise an indicator name: wordings to canonical names, filler and change words out.

    >>> str(indicator_key("经济增速"))
    '国内生产总值'
    >>> indicator_key("提出国内生产总值增长") == indicator_key("GDP")
    True
    """
    text = _FROM_TAIL.sub("", NOISE.sub("", _fold(name or "")))
    strong, weak = [], []
    canon = _canonical()

    def take(m: re.Match) -> str:
        (weak if m.group(0) in _weak_wordings() else strong).append(canon[m.group(0)])
        return "\0"

    filler = _filler_re()
    whole = _NOT_NAME_CHAR.sub("", filler.sub("", text))
    if whole in _bare_wordings():
        return IndicatorKey(frozenset([_bare_wordings()[whole]]), "")
    text = _synonym_re().sub(take, text)
    rest = "".join(filler.sub("", part) for part in text.split("\0"))
    rest = _NOT_NAME_CHAR.sub("", rest)
    # a weak wording beside other words names nothing by itself
    if strong or len(rest) >= MIN_NAME_CHARS:
        return IndicatorKey(frozenset(strong), rest)
    return IndicatorKey(frozenset(weak), rest)


@lru_cache(maxsize=1 << 16)  # pure, asked several times per claim
def names_indicator(name: str) -> bool:
    """True when ``name`` names something to track: a canonical name, or enough words left
    once filler is out (提出, 实际 name nothing)."""
    key = indicator_key(name)
    return bool(key.concepts) or len(key.rest) >= MIN_NAME_CHARS


# ----------------------------------------------------------------------------- similarity


@lru_cache(maxsize=1 << 16)  # names repeat across every pair they are compared in
def _bigrams(text: str) -> frozenset[str]:
    if len(text) <= 1:
        return frozenset({text} - {""})
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _text_similarity(a: str, b: str, tokenizer: Tokenizer | str | None) -> float:
    """Best of character-bigram Dice and token Jaccard (1.0 for two empty strings)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _pair_similarity(a, b, resolve_tokenizer(tokenizer))


@lru_cache(maxsize=1 << 18)  # pairs of names, keyed by the strings (cheap to hash)
def _pair_similarity(a: str, b: str, tk: Tokenizer) -> float:
    ba, bb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ba & bb) / (len(ba) + len(bb))
    ta, tb = _token_set(a, tk), _token_set(b, tk)
    jacc = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    return max(dice, jacc)


def _qualifier_penalty(rest: str) -> float:
    """How much a qualifier left beside a canonical name counts against a match (0 to 1)."""
    return min(1.0, len(rest) / QUALIFIER_PENALTY_CHARS)


def indicator_similarity(
    a: str | IndicatorKey,
    b: str | IndicatorKey,
    *,
    tokenizer: Tokenizer | str | None = None,
) -> float:
    """Similarity in [0, 1] of two indicator names, by meaning as far as the tables know it.

    Names with canonical names in common score by those plus what is left beside them
    (城镇居民人均可支配收入 and 农村居民人均纯收入 share none and score 0); names the synonym
    table does not know are compared by characters and by ``tokenizer``'s tokens.
    """
    ka = a if isinstance(a, IndicatorKey) else indicator_key(a)
    kb = b if isinstance(b, IndicatorKey) else indicator_key(b)
    if ka.concepts and kb.concepts:
        shared = len(ka.concepts & kb.concepts) / len(ka.concepts | kb.concepts)
        if not shared:
            return 0.0
        if ka.rest and kb.rest:
            rest = _text_similarity(ka.rest, kb.rest, tokenizer)
        else:
            rest = 1.0 - _qualifier_penalty(ka.rest or kb.rest)
        return 0.5 * shared + 0.5 * rest
    if ka.concepts or kb.concepts:  # one name known to the table, the other not
        known, other = (ka, kb) if ka.concepts else (kb, ka)
        whole = "".join(sorted(known.concepts)) + known.rest
        return 0.5 * _text_similarity(whole, other.rest, tokenizer)
    return _text_similarity(ka.rest, kb.rest, tokenizer)


def same_indicator(
    a: str | IndicatorKey,
    b: str | IndicatorKey,
    *,
    tokenizer: Tokenizer | str | None = None,
) -> bool:
    """True when two names measure the same indicator.

    Names with canonical names need the same ones, and what is left beside them must agree:
    nothing on either side, a qualifier of at most two characters on one (一般公共预算支出规模),
    or nearly the same words on both (消费对经济增长贡献率 is not 工业对经济增长贡献率). Names
    the table does not know need nearly the same words (similarity ≥ 0.8), by characters or
    by ``tokenizer``'s tokens.

    >>> same_indicator("国内生产总值", "经济增速"), same_indicator("城镇新增就业", "城镇登记失业率")
    (True, False)
    """
    ka = a if isinstance(a, IndicatorKey) else indicator_key(a)
    kb = b if isinstance(b, IndicatorKey) else indicator_key(b)
    if ka.concepts and kb.concepts:
        if ka.concepts != kb.concepts:
            return False
        if ka.rest and kb.rest:
            return _text_similarity(ka.rest, kb.rest, tokenizer) >= SAME_INDICATOR_FREE_TEXT
        return len(ka.rest or kb.rest) <= QUALIFIER_CHARS
    if ka.concepts or kb.concepts:
        return False
    return _text_similarity(ka.rest, kb.rest, tokenizer) >= SAME_INDICATOR_FREE_TEXT


def polarity(name: str, change: str = "") -> str:
    """``more`` or ``less``: which way the stated figure is better.

    A reduction (``change == "down"``) is always a goal to reach or beat; otherwise the
    convention table decides (居民消费价格, 失业率, 赤字率, 能耗 … are ``less``).
    """
    if change == "down":
        return "more"
    folded = _fold(name or "")
    for word, pol in _polarity_words():
        if word in folded:
            return pol
    return "more"
