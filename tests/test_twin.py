"""``claims.twin``: the standard library's twin of a ``regex`` pattern matches as it does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from policy_nlp.claims import comparator, context, exclusions, indicator, mentions, structure
from policy_nlp.claims.twin import twin
from policy_nlp.errors import PolicyNLPError
from policy_nlp.patterns import ARABIC_YEAR, YEAR
from policy_nlp.text import normalize

ROOT = Path(__file__).resolve().parents[1]
# digits regex knows beyond this Python's tables (Kawi, Nag Mundari), spaces of every kind
_ODD = "\U00011f53\U0001e4f5٣\u2002\u3000\x1c\x85"


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"\d+", "a\U00011f53\U00011f54b", "\U00011f53\U00011f54"),
        (r"[^\d.]+", "12ab\U00011f53", "ab"),
        (r"x\s*y", "x\u2002\u3000y", "x\u2002\u3000y"),
        (r"x\s*y", "x\x1cy", None),  # the standard library's \s would take U+001C
        (r"[\s\d]+", " ٣\U0001e4f5", " ٣\U0001e4f5"),
        (r"[]\d]+", "]1", "]1"),
    ],
)
def test_twin_reads_classes_as_regex(pattern, text, found):
    m, r = twin(pattern).search(text), regex.compile(pattern).search(text)
    assert (m and m.group()) == (r and r.group()) == found


def test_a_class_the_standard_library_lacks_has_no_twin():
    with pytest.raises(PolicyNLPError):
        twin(r"\p{Han}")


def _patterns():
    pats = [
        ARABIC_YEAR,
        YEAR,
        mentions._RANGE_SEP.pattern,
        mentions._LIST_SEP.pattern,
        mentions._UPPER_SEP.pattern,
        mentions._LOWER_BEFORE.pattern,
        mentions._NUMERAL_HEAD.pattern,
        mentions._ADJACENT.pattern,
        exclusions._COUNT_LATER.pattern,
        exclusions._COUNTED_BEFORE.pattern,
        exclusions._BIG_ONLY.pattern,
        exclusions.cues().meeting_after.pattern,
        context._REF_RANGE_BEFORE.pattern,
        context._NUMBER_SOON.pattern,
        context._MULTIPLE_AFTER.pattern,
        comparator._prefix_re().pattern,
        indicator.word_patterns().strip_tail.pattern,
        indicator.word_patterns().strip_head.pattern,
        indicator._RIGHT_NOUN.pattern,
        # structure reads every line with these
        structure.PERIOD_NAME.pattern,
        structure._ENUM.pattern,
        structure._TOP_ENUM.pattern,
        structure._DIGIT.pattern,
        structure._YEAR.pattern,
        structure._DEADLINE.pattern,
        structure._DATED_TITLE.pattern,
        structure._REVIEW_LEAD.pattern,
        structure._REFERENCE_BEFORE.pattern,
    ]
    return [(p, twin(p), regex.compile(p)) for p in pats]


def test_twins_of_the_claims_patterns_match_as_regex_does():
    text = normalize((ROOT / "corpus" / "gov-report-2010-national.txt").read_text("utf-8"))
    rnd = random.Random(16)
    windows = [text[i : i + rnd.randint(1, 30)] for i in rnd.sample(range(len(text)), 1500)]
    windows = [w[:k] + rnd.choice(_ODD) + w[k:] if rnd.random() < 0.3 else w
               for w in windows for k in [rnd.randint(0, len(w))]]  # fmt: skip
    for source, fast, ref in _patterns():
        for w in windows:
            for call in ("search", "match", "fullmatch"):
                a, b = getattr(fast, call)(w), getattr(ref, call)(w)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (
                    source[:40],
                    w,
                )
            pos = rnd.randint(0, len(w))
            a, b = fast.search(w, pos), ref.search(w, pos)
            assert (a and a.span()) == (b and b.span())
