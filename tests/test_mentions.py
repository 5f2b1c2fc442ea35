"""The word alternations behind the mention, cue and idiom patterns."""

import re
from decimal import Decimal

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_nlp.claims.lexicon import alternation
from policy_nlp.claims.mentions import tidy
from policy_nlp.numerals import NumberError, parse_number

WORDS = st.lists(st.text(alphabet="增长率加人次元上升+.%", min_size=1, max_size=4), max_size=12)
TEXT = st.text(alphabet="增长率加人次元上升+.%民才 ", max_size=40)


def flat(words, after=None) -> str:
    """The plain reading of an alternation: every word, longest first, each with its lookahead."""
    after = after or {}
    return "|".join(re.escape(w) + after.get(w, "") for w in sorted(words, key=len, reverse=True))


def test_alternation_is_a_prefix_tree():
    assert alternation(["增长", "增长率", "增加"]) == "增(?:长(?:率)?|加)"
    assert alternation(["人", "人次"], {"人": "(?![民才])"}) == "人(?:次|(?![民才]))"


@settings(max_examples=300)
@given(WORDS, TEXT, st.booleans())
def test_alternation_matches_like_the_longest_first_list(words, text, guard):
    after = {w: "(?![民才])" for w in words[::2]} if guard else {}
    tree, plain = alternation(words, after), flat(words, after)
    for engine in (re, regex):
        assert [m.span() for m in engine.finditer(tree, text)] == [
            m.span() for m in engine.finditer(plain, text)
        ]
        # inside a longer pattern, backtracking tries the shorter words in the same order
        assert [m.span() for m in engine.finditer(f"(?:{tree})率?[次元]", text)] == [
            m.span() for m in engine.finditer(f"(?:{plain})率?[次元]", text)
        ]


NUMERALS = st.one_of(
    st.from_regex(r"[0-9]{1,22}(\.[0-9]{1,30})?", fullmatch=True),
    st.text(alphabet="零一二两三四五六七八九十百千万亿点", min_size=1, max_size=12),
)


@settings(max_examples=400)
@given(NUMERALS)
def test_numbers_are_read_in_the_form_mentions_keep(text):
    # _read_match keeps parse_number's value as it is unless it multiplies it
    try:
        value = parse_number(text)
    except (NumberError, KeyError, ArithmeticError):  # what _read_match passes over
        return
    if value < Decimal(10) ** 20:
        assert tidy(value).as_tuple() == value.as_tuple()
