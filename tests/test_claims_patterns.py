"""Shortcuts taken for speed in claim extraction give what the patterns they skip would give."""

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_nlp.claims.indicator import (
    _ACTION,
    _ACTION_ENDS,
    _ACTION_WORDS,
    _INDICATOR_STRIP_TAIL,
    _INDICATOR_TAIL_ENDS,
    _INDICATOR_TAIL_WORDS,
)

# the characters of the tail words, digits and years, spaces and a few others
TAIL_TEXT = st.lists(
    st.sampled_from(
        [*_INDICATOR_TAIL_WORDS, *"".join(_INDICATOR_TAIL_WORDS), *"2010年的 \n　指标率"]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=500)
@given(TAIL_TEXT)
def test_indicator_tail_is_only_stripped_after_its_end_characters(text):
    # extraction skips the pattern when the text ends with any other character
    if _INDICATOR_STRIP_TAIL.search(text):
        assert text[-1] in _INDICATOR_TAIL_ENDS or text[-1].isspace()


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from([*_ACTION_WORDS, *"".join(_ACTION_WORDS), *"设施项目个"]), max_size=6
    ).map("".join)
)
def test_action_verbs_end_with_their_end_characters(text):
    if _ACTION.search(text):
        assert text[-1] in _ACTION_ENDS
