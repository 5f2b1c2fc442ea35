"""The standard library's twin of a pattern written for ``regex``: same matches, less overhead.

A call of a ``regex`` pattern costs about three times one of ``re`` (some 3,500 instructions
against 1,200 on the short windows the claim fields read, thousands of times a document).
The two engines agree on everything these patterns use but two classes: ``\\s`` (``regex``'s is
Unicode White_Space; the standard library's also takes U+001C-U+001F) and ``\\d`` (both
Unicode Nd, but ``regex`` knows digits added to Unicode after this Python's tables, all beyond
the BMP). ``twin`` spells both out as ``regex`` reads them, so the twin matches alike on
every text; a pattern using a class the standard library lacks (``\\p{Han}``) stays with
``regex``. Tests compare twins with their originals.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from policy_nlp.errors import PolicyNLPError

__all__ = ["WHITE_SPACE", "twin"]

# regex's \s: the White_Space characters (none lies beyond the BMP)
WHITE_SPACE = r"\t-\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_UNSUPPORTED = "pPXNDSwWbBhHvVKGmM"  # classes and anchors left to regex


@cache
def _newer_digits() -> str:
    """The digits ``regex`` knows that this Python does not (beyond the BMP: plane 1)."""
    plane = "".join(map(chr, range(0x10000, 0x20000)))
    runs: list[list[int]] = []  # as ranges: a class of single characters beyond the BMP is
    for c in regex.findall(r"\d", plane):  # tried one by one, ranges are a few tests
        if not c.isdecimal():
            if runs and runs[-1][1] == ord(c) - 1:
                runs[-1][1] = ord(c)
            else:
                runs.append([ord(c), ord(c)])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


def _spell(pattern: str) -> str:
    out: list[str] = []
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e == "d":
                body = r"\d" + _newer_digits()
                out.append(body if in_class else f"[{body}]")
            elif e == "s":
                out.append(WHITE_SPACE if in_class else f"[{WHITE_SPACE}]")
            elif e in _UNSUPPORTED:
                raise PolicyNLPError(f"no twin for \\{e} in {pattern!r}")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a ] first in a class is itself
                out.append("]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def twin(pattern: str | regex.Pattern, flags: int = 0) -> re.Pattern:
    """The standard library's pattern matching as ``regex.compile(pattern)`` does."""
    if isinstance(pattern, regex.Pattern):
        pattern, flags = pattern.pattern, flags | (pattern.flags & (re.M | re.S | re.X))
    return re.compile(_spell(pattern), flags)
