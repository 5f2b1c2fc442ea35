import bisect
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_nlp.text import (
    _BOUNDARY,
    SentenceIndex,
    _table,
    char_positions,
    normalize,
    paragraphs,
    split_sentences,
)


def test_normalize_keeps_length_and_folds_fullwidth():
    text = "国内生产总值４７．２万亿元，增长９．２％；６％－６．５％"
    out = normalize(text)
    assert len(out) == len(text)
    assert "47.2万亿元" in out and "9.2%" in out and "6%-6.5%" in out
    assert "，" in out and "；" in out  # clause punctuation stays as written


@given(st.text())
def test_normalize_is_length_preserving(text):
    assert len(normalize(text)) == len(text)


FOLDED_OR_NOT = st.sampled_from(
    ["４", "．", "％", "－", "～", "　", "，", "。", "a", "年", "😀", "\U00020000"]
)


@settings(max_examples=30)
@given(st.lists(FOLDED_OR_NOT, min_size=512, max_size=600).map("".join))
def test_normalize_of_documents_is_the_folding_table(text):
    # long texts take the array path; characters past the BMP pass through unchanged
    assert normalize(text) == text.translate(_table())


def test_sentences_keep_offsets_and_mixed_punctuation():
    text = "全市GDP达到4.32万亿元,首次突破4万亿元。工业总产值达到42014亿元！\n下一段"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "全市GDP达到4.32万亿元,首次突破4万亿元。",
        "工业总产值达到42014亿元！",
        "下一段",
    ]


def test_closing_quote_stays_with_sentence():
    text = "他说：“要加快发展。”然后离开。"
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "他说：“要加快发展。”",
        "然后离开。",
    ]


@given(st.text())
def test_sentence_spans_are_ordered_and_inside_text(text):
    spans = split_sentences(text)
    last = 0
    for s in spans:
        assert last <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]
        last = s.end


SENTENCE_PIECES = st.sampled_from(list("甲乙 。！？!?”’」』）)】\"'\r\n，"))


def whole_text_sentence(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` from every boundary of the text (what the index must give)."""
    bounds = [m.span() for m in _BOUNDARY.finditer(text)]
    cuts = [a if text[a] in "\r\n" else b for a, b in bounds]
    starts = [b for _, b in bounds]
    k = bisect.bisect_right(starts, pos)
    start = starts[k - 1] if k else 0
    end = cuts[k] if k < len(cuts) else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@settings(max_examples=300)
@given(st.lists(SENTENCE_PIECES, max_size=30).map("".join))
def test_sentence_index_reads_lines_like_the_whole_text(text):
    # every position, asked in order and out of order (the index keeps one line at hand)
    index = SentenceIndex(text)
    spans = split_sentences(text)
    for pos in [*range(len(text) + 1), *range(len(text), -1, -3)]:
        got = index.around(pos)
        assert (got.start, got.end) == whole_text_sentence(text, pos)
        assert [s for s in spans if s.start <= pos < s.end] in ([], [got])


@given(st.text(alphabet="，。ab\n😀", max_size=60))
def test_char_positions(text):
    assert char_positions(text, "，\n") == [m.start() for m in re.finditer("[，\n]", text)]


def test_paragraphs_are_lines():
    text = "标题\n\n  第一段。\r\n第二段"
    assert [text[s.start : s.end] for s in paragraphs(text)] == ["标题", "第一段。", "第二段"]
