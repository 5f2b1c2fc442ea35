"""Claim extraction is linear in a line's length on long runs of one character class.

A hostile document can hold a line of 50,000 〇 or of digits; a pattern that backtracks over
such a run costs the square of its length (minutes for 150 KB). This property test times
``policy_nlp.claims.extract`` on a run of ``N`` and of ``4 N`` repetitions of each class and
fails when the time grows more than twice as fast as the length (a ratio above 8 where linear
gives 4; quadratic gives 16). It measures CPU time, the best of a few passes, and only judges
runs long enough to time (the larger one over 20 ms); the runs stay under ``pieces.MAX_LINE``
so only the patterns are measured, not the per-line context that ``pieces`` cuts.

Every class once backtracked in the mention pattern (``claims/mentions.py``) before its
repeats were made possessive and a numeral could start only where no numeral stands before it.
"""

from __future__ import annotations

import time

import pytest

from policy_nlp.claims import extract
from policy_nlp.pieces import MAX_LINE

N = 1_200  # characters; 4 N stays under MAX_LINE
GROWTH = 4
SUPER_LINEAR = 8.0  # time ratio for a 4x longer run; linear gives about 4, quadratic 16
MEASURABLE = 0.02  # seconds: shorter runs are too fast to judge (and are not a threat)

CLASSES = [
    pytest.param("〇", id="numeral-ling"),
    pytest.param("一", id="numeral-yi"),
    pytest.param("万", id="numeral-wan"),
    pytest.param("1", id="digits"),
    pytest.param("１", id="full-width-digits"),
    pytest.param("1,", id="separator-comma"),
    pytest.param("、", id="separator-dunhao"),
    pytest.param("一、", id="separator-list"),
    pytest.param("。", id="punctuation-stop"),
    pytest.param("%", id="punctuation-percent"),
    pytest.param("（", id="punctuation-bracket"),
]


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        extract(text)
        best = min(best, time.process_time() - t0)
        if best > 1.0:  # slow enough to be measured once
            break
    return best


@pytest.mark.parametrize("unit", CLASSES)
def test_extraction_is_linear_on_long_runs(unit):
    short_run = unit * (N // len(unit))
    long_run = unit * (GROWTH * N // len(unit))
    assert len(long_run) < MAX_LINE
    short = _cpu(f"标题\n{short_run}\n")
    long = _cpu(f"标题\n{long_run}\n")
    if long < MEASURABLE:
        return  # too fast to tell growth from noise: no threat either way
    ratio = long / max(short, 1e-4)
    assert ratio < SUPER_LINEAR, (
        f"{unit!r}: {len(short_run)} chars {short:.3f} s, {len(long_run)} chars {long:.3f} s "
        f"(x{ratio:.1f} for x{GROWTH} the length)"
    )
