"""Cut a huge document into pieces the per-document stages can take one at a time.

Claim extraction reads a claim's paragraph (a line) up to the claim, so its cost grows with
the square of a line's length: a 50 MB file on one line would never finish. Lines longer than
``MAX_LINE`` characters are therefore cut into pieces that end after a sentence (。！？, else
；, else ，); a document with no such line is one piece and is processed exactly as before.
What a piece loses is context from before its start on the same line (a year or a section
heading stated more than a few thousand characters earlier).

Tokenisation is cut into slices of ``TOKEN_SLICE`` characters at line or sentence ends, where
the tokeniser would split anyway, so the tokens are the same and only counts need be kept.

>>> text = "甲。" * 6
>>> pieces(text, limit=5)
[(0, 4), (4, 8), (8, 12)]
>>> pieces("短行。\\n另一行。", limit=5)  # no line over 5 characters: one piece
[(0, 8)]
>>> pieces("甲乙丙12345元", limit=6)  # never inside a number
[(0, 3), (3, 9)]
"""

from __future__ import annotations

from itertools import pairwise

__all__ = ["MAX_LINE", "TOKEN_SLICE", "pieces", "slices"]

MAX_LINE = 5_000  # characters; the longest line in the shipped corpus has 1,760
TOKEN_SLICE = 200_000  # characters tokenised at a time

_SENTENCE_ENDS = ("。！？!?", "；;", "，,、 ")
_CLOSERS = "”’」』）)】\"'"


_NUMBER = frozenset("0123456789０１２３４５６７８９.．零〇○一二两三四五六七八九十百千万亿")


def _inside_number(text: str, cut: int) -> bool:
    """Whether a cut before ``text[cut]`` falls inside a number (``1234|5``, ``4.|32``,
    ``1,|000``, ``三|千``)."""
    if cut <= 0 or cut >= len(text):
        return False
    a, b = text[cut - 1], text[cut]
    if a in _NUMBER and b in _NUMBER:
        return True
    return a == "," and b.isdigit() and cut >= 2 and text[cut - 2].isdigit()


def _cut_point(text: str, lo: int, hi: int, marks: tuple[str, ...]) -> int:
    """A cut in ``text[lo:hi]`` right after the strongest mark in its second half, never
    inside a number (a cut there moves back to the number's start)."""
    mid = lo + (hi - lo) // 2
    cut = hi
    for group in marks:
        best = max(text.rfind(ch, mid, hi) for ch in group)
        if best >= 0:
            cut = best + 1
            while cut < hi and text[cut] in _CLOSERS:
                cut += 1
            break
    back = cut
    while back > lo + 1 and _inside_number(text, back):
        back -= 1
    return back if back > lo + 1 else cut  # a number as long as the piece: cut it anyway


def pieces(text: str, *, limit: int = MAX_LINE) -> list[tuple[int, int]]:
    """``[start, end)`` pieces covering ``text``: cut only inside lines longer than ``limit``."""
    n = len(text)
    cuts: list[int] = []
    pos = 0
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        start = pos
        while end - start > limit:
            cut = _cut_point(text, start, start + limit, _SENTENCE_ENDS)
            cuts.append(cut)
            start = cut
        pos = end + 1
    bounds = [0, *cuts, n]
    return list(pairwise(bounds))


def slices(text: str, *, size: int = TOKEN_SLICE) -> list[tuple[int, int]]:
    """``[start, end)`` slices of about ``size`` characters, cut after a line or sentence end."""
    n = len(text)
    out: list[tuple[int, int]] = []
    start = 0
    while n - start > size:
        cut = _cut_point(text, start, start + size, ("\n", *_SENTENCE_ENDS))
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out
