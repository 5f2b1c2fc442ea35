"""Normalise text for matching and split it into sentences, keeping offsets.

Offsets always refer to the document text as read (see ``policy_nlp.read``): normalisation
maps character to character, so a match at ``[i, j)`` in the normalised text is the same
span in the original. Documents mix full-width and ASCII digits and punctuation
(``４７．２万亿元``; the Shanghai article uses ASCII commas); patterns see one form.

>>> normalize("增长９．２％")
'增长9.2%'
>>> text = "甲。乙！\\n丙"
>>> [text[s.start:s.end] for s in split_sentences(text)]
['甲。', '乙！', '丙']
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = ["SentenceIndex", "Span", "char_positions", "normalize", "paragraphs", "split_sentences"]

# Full-width forms whose ASCII twin matters to number patterns. Chinese clause punctuation
# (，。；：、) is kept as written: it separates clauses, unlike ASCII "," in "1,234".
_KEEP = set("，。；：、！？（）“”")
# Dashes and tildes used between the two ends of a range all become "-" (one char each).
_RANGE_DASHES = "－—–‐‑‒―～~〜"
# Code points of the Basic Multilingual Plane: the lookup tables cover them (every character
# folded or looked for lies there).
_BMP = 0x10000
# Below this length ``str.translate`` is faster than the NumPy path (its fixed cost).
_ARRAY_MIN_CHARS = 512


@cache
def _table() -> dict[int, str]:
    """Code point -> its folded character, for ``str.translate``."""
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):
        ch = chr(code)
        if ch in _KEEP:
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1:
            table[code] = folded
    for ch in _RANGE_DASHES:
        table[ord(ch)] = "-"
    table[0x3000] = " "  # ideographic space
    table[0x00A0] = " "
    table[0x2236] = ":"  # ratio colon ∶
    return table


@cache
def _lookup() -> np.ndarray:
    """The folding table as an array indexed by code point, over the Basic Multilingual Plane
    (every folded character lies there; the others map to themselves)."""
    lut = np.arange(_BMP, dtype=np.uint32)
    for code, folded in _table().items():
        lut[code] = ord(folded)
    return lut


def normalize(text: str) -> str:
    """Same-length copy of ``text`` with full-width ASCII, dashes and spaces folded.

    Done on the code points with NumPy, one table lookup per character (a whole document in
    about a millisecond); the result equals ``text.translate`` with the folding table.
    """
    if text.isascii() and "~" not in text:
        return text
    if len(text) < _ARRAY_MIN_CHARS:
        return text.translate(_table())
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    lut = _lookup()
    if int(cp.max()) < len(lut):
        out = lut[cp]
    else:  # characters past the BMP (rare): looked up clipped, then put back unchanged
        out = lut[np.minimum(cp, len(lut) - 1)]
        np.copyto(out, cp, where=cp >= len(lut))
    return out.tobytes().decode("utf-32-le")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's text."""

    start: int
    end: int


_ENDS_SENTENCE = r"[。！？!?][。！？!?”’」』）)】\"']*"  # the mark and its closing quotes
_BOUNDARY = re.compile(rf"{_ENDS_SENTENCE}|[\r\n]")
_SENTENCE_END = re.compile(_ENDS_SENTENCE)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans: a sentence ends after 。！？!? (and closing quotes) or at a newline.

    Empty and whitespace-only stretches are skipped; spans never cross a newline.
    """
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0) in "\r\n":
            _push(spans, text, start, m.start())
        else:
            _push(spans, text, start, m.end())
        start = m.end()
    _push(spans, text, start, len(text))
    return spans


class SentenceIndex:
    """The sentence around any position, found by bisecting boundary positions.

    Gives the same spans as ``split_sentences`` without building them all: extraction only
    needs the sentences that hold a number. Line breaks are found once; the sentence ends of a
    line are found when a position in it is first asked about (no sentence crosses a line
    break, and a line's ends are those a scan of the whole text finds there).
    """

    def __init__(self, text: str):
        self.text = text
        self.breaks = char_positions(text, "\r\n")
        self._line = (0, -1, [])  # start, end and sentence ends of the line asked about last
        self._last = (-1, -1, Span(0, 0))  # line start, sentence number in it, its span

    def around(self, pos: int) -> Span:
        """The (whitespace-stripped) sentence holding ``pos``."""
        text = self.text
        line_start, line_end, ends = self._line
        if not line_start <= pos <= line_end:
            k = bisect.bisect_left(self.breaks, pos)  # the first break at or after pos
            line_start = self.breaks[k - 1] + 1 if k else 0
            line_end = self.breaks[k] if k < len(self.breaks) else len(text)
            ends = [m.end() for m in _SENTENCE_END.finditer(text, line_start, line_end)]
            self._line = (line_start, line_end, ends)
        j = bisect.bisect_right(ends, pos)
        if self._last[:2] == (line_start, j):  # the numbers of a sentence ask in turn
            return self._last[2]
        start = ends[j - 1] if j else line_start
        end = ends[j] if j < len(ends) else line_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        span = Span(start, end)
        self._last = (line_start, j, span)
        return span


@cache
def _char_table(chars: str) -> np.ndarray:
    """A boolean per BMP code point: is it one of ``chars``."""
    table = np.zeros(_BMP, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


def char_positions(text: str, chars: str) -> list[int]:
    """Positions in ``text`` of any of ``chars`` (characters of the BMP), ascending.

    One table lookup per code point in NumPy: several times faster than a regular expression
    over a long document, where the positions are many (clause ends, line breaks).
    """
    if not text:
        return []
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.flatnonzero(_char_table(chars)[np.minimum(cp, _BMP - 1)]).tolist()


def _push(spans: list[Span], text: str, start: int, end: int) -> None:
    """Append ``[start, end)`` stripped of surrounding whitespace, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def paragraphs(text: str) -> list[Span]:
    """Line spans (a paragraph per line in these documents), stripped of surrounding space."""
    spans: list[Span] = []
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            _push(spans, text, start, len(text))
            return spans
        _push(spans, text, start, end)
        start = end + 1
