"""The fast paths of reading and counting give what the plain paths give."""

from collections import Counter
from pathlib import Path

import pytest

from policy_nlp.batch.worker import count_content_tokens
from policy_nlp.read.decode import decode_bytes, decode_text_file, text_sha256
from policy_nlp.tokens import get_tokenizer, is_content_token

ROOT = Path(__file__).resolve().parents[1]
TEXT = "2025年国务院政府工作报告\n国内生产总值增长5%左右。\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),  # the fast path: hashed from the bytes
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),  # a BOM: not the bytes' hash
        TEXT.encode("gb18030"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-8").replace("。".encode(), b"\x00", 1),  # a stray NUL read as a space
        TEXT.encode("utf-8") + b"x" * 70000 + b"\x00",  # a NUL after the judged head
    ],
)
def test_decode_text_file_hashes_the_decoded_text(data):
    text, encoding, digest = decode_text_file(data)
    assert (text, encoding) == decode_bytes(data)
    assert digest == text_sha256(text)


def test_tokenizer_count_counts_every_token():
    tk = get_tokenizer("rjieba")
    text = (ROOT / "corpus" / "gov-report-2024-national.txt").read_text(encoding="utf-8-sig")
    assert tk.count(text) == Counter(tk.cut(text))


def test_content_counts_keep_first_occurrence_order(monkeypatch):
    tk = get_tokenizer("rjieba")
    text = (ROOT / "corpus" / "anhui-gov-report-2026.txt").read_text(encoding="utf-8-sig")
    expected = Counter(t for t in tk.cut(text) if is_content_token(t))
    assert list(count_content_tokens(tk, text).items()) == list(expected.items())
    # a text cut into several slices (at a line end, as ``pieces.slices`` cuts) counts the same
    cut = text.index("\n", 5000) + 1
    monkeypatch.setattr("policy_nlp.batch.worker.slices", lambda s: [(0, cut), (cut, len(s))])
    assert list(count_content_tokens(tk, text).items()) == list(expected.items())


def test_sort_rows_plain_cells_sort_as_the_general_keys():
    from policy_nlp import tables

    width = len(tables.COLUMNS["claims"])

    def row(doc, start, end, tag):
        cells = [doc, start, end, tag] + [""] * (width - 4)
        return tuple(cells)

    rows = [row("b", 5, 9, "x"), row("a", 7, 8, "y"), row("a", 7, 8, "z"), row("a", -1, 3, "w")]
    rows += [row("a", 10, 2, "v"), row("", 0, 0, "u")]
    plain = tables.sort_rows("claims", rows)  # every key cell an int or a str: the fast path
    assert [r[3] for r in plain] == ["u", "w", "y", "z", "v", "x"]  # stable: y before z
    # a missing start takes the general keys, which put it last within its document
    general = tables.sort_rows("claims", [*rows, row("a", None, None, "n")])
    assert [r[3] for r in general] == ["u", "w", "y", "z", "v", "n", "x"]


# a figure's window read from its paragraph's matches (tracking.scope's fast path) against the
# window read on its own; the text puts matches across the window's end at many offsets:
# bracketed codes and quotes (NOISE), 年均浓度 (year-mean), years before 以来/至 (the
# lookahead of a one-year cue), period, plan-period and annual cues, leads and bases
_SCOPE_TEXT = (
    "一、过去五年工作回顾\n"
    "这五年，细颗粒物（PM2.5）年均浓度下降到30微克，“十二五”时期累计新增就业500万人。"
    "去年，粮食产量达到1.3万亿斤；2021年以来年均增长5%，比2015年增长30%。\n"
    "过去一年，2025年至2026年 地区生产总值 增长5.2%，《规划》实施（2021-2025）。"
    "五年累计，城乡居民收入年均值增长6%！十二五期间，过去的五年，今年增长7%？\n"
    "二、2026年工作安排\n"
    "各位代表，2026年，发展预期目标是：经济增长5%左右，两年来改革（试点）推进，三年来【重点】。\n"
    "细颗粒物年均浓度为30微克。全年经济“” 累计增长8%。\n"
    "这五年经济平稳，工业增加值2021年以来增长5%。\n"
)


@pytest.mark.parametrize(
    "text",
    [_SCOPE_TEXT, (ROOT / "corpus" / "gov-report-2024-national.txt").read_text("utf-8-sig")],
)
def test_figure_scope_reads_each_window_as_the_window_alone(text):
    from policy_nlp.tracking.scope import DocLayout, figure_scope, window_scope

    layout = DocLayout.of(text)
    step = 1 if len(text) < 1000 else 7  # every offset of the short text, a sample of the long
    for start in range(0, len(text) + 1, step):
        for kw in ({}, {"change": "up", "year": 2026}, {"indicator": "新增就业"}):
            expected = window_scope(*layout.window(start), **kw)
            assert figure_scope(layout, start, "", 0, **kw) == expected, (start, kw)


@pytest.mark.parametrize("window", [40, 150, 700])
def test_figure_scope_reads_the_windows_of_a_long_line_as_the_window_alone(window, monkeypatch):
    # a paragraph longer than the window (a web page's or a PDF's line): the window's start
    # moves with the figure and may cut a bracket, a quote run, 年均浓度 or a cue in two
    from policy_nlp.tracking import scope

    monkeypatch.setattr(scope, "SCOPE_WINDOW", window)
    text = _SCOPE_TEXT.replace("\n", "", 3) * 2
    layout = scope.DocLayout.of(text)
    for start in range(len(text) + 1):
        for kw in ({}, {"change": "up", "year": 2026}):
            expected = scope.window_scope(*layout.window(start), **kw)
            assert scope.figure_scope(layout, start, "", 0, **kw) == expected, (start, kw)


def test_a_piece_of_a_paragraph_is_cleaned_as_the_piece_alone_or_not_at_all():
    from policy_nlp.tracking import scope

    raw = _SCOPE_TEXT.replace("\n", "")
    read = scope._Paragraph(raw)
    answered = 0
    for a in range(len(raw)):
        for b in range(a, len(raw) + 1, 3):
            piece = read.cleaned(a, b)
            if piece is not None:
                answered += 1
                assert piece == scope._clean(raw[a:b]), (a, b)
    assert answered > len(raw) ** 2 / 8  # most pieces are answered from the paragraph


def test_a_lead_naming_only_a_plan_period_still_sets_the_section():
    # a line is cleaned and read for its lead only when it holds a character every time cue
    # has (年, or 五 of a plan period): “十二五”时期 has no 年
    from policy_nlp.tracking.scope import DocLayout, figure_scope

    text = "“十二五”时期，全省经济较快增长。\n城镇新增就业500万人。\n"
    layout = DocLayout.of(text)
    at = text.index("500万人")
    assert layout.sections == ("", "period", "period")
    assert figure_scope(layout, at, "", 0, indicator="城镇新增就业") == "period"
