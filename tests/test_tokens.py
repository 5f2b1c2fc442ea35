"""Tokenizer: the policy dictionary, stopwords, numbers, both backends, streaming."""

from __future__ import annotations

import pickle
import re
from collections import Counter

import pytest

from policy_nlp.resources import data_path, read_lines
from policy_nlp.tokens import (
    Tokenizer,
    count_tokens,
    get_tokenizer,
    is_content_token,
    keep_content,
    non_content_tokens,
    read_user_dict,
    stopwords,
    tokenize,
)

BACKENDS = ("jieba", "rjieba")

TEXT = (
    "加快发展数字经济，推动高质量发展。\n"
    "深化“一网通办”改革，推进数字化转型，培育新质生产力和专精特新企业。\n"
    "2025年地区生产总值增长5.5%，城镇调查失业率5.2%，“十四五”规划圆满收官。\n"
)


@pytest.fixture(scope="module", params=BACKENDS)
def tk(request) -> Tokenizer:
    return Tokenizer(backend=request.param)


@pytest.mark.parametrize(
    "word", ["数字经济", "高质量发展", "一网通办", "数字化转型", "新质生产力", "专精特新"]
)
def test_policy_dictionary_keeps_terms_whole(tk, word):
    assert word in tk.cut(TEXT)


def test_jieba_alone_splits_those_terms():
    # the reason the dictionary exists: without it these are cut into pieces
    import jieba

    plain = jieba.Tokenizer()
    tokens = plain.lcut(TEXT)
    assert "数字经济" not in tokens and "一网通办" not in tokens and "高质量发展" not in tokens


def test_backends_cut_chinese_text_identically():
    a = Tokenizer(backend="jieba").cut(TEXT)
    b = Tokenizer(backend="rjieba").cut(TEXT)
    assert a == b
    assert "".join(a) == TEXT


def test_content_tokens_drop_stopwords_numbers_and_punctuation(tk):
    tokens = tk.content_tokens(TEXT)
    for boiler in ("加快", "推动", "推进", "深化", "培育", "增长", "的", "和"):
        assert boiler not in tokens
    assert not [t for t in tokens if re.search(r"\d", t)]  # 2025年, 5.5%, 5.2% gone
    assert "十四五" not in tokens
    assert {"数字经济", "一网通办", "地区生产总值", "城镇调查失业率"} <= set(tokens)


@pytest.mark.parametrize(
    "token", ["2025年", "5.5%", "十四五", "三年", "一批", "第一", "亿元", "万平方米", "百分之三十"]
)
def test_number_like_tokens_are_not_content(token):
    assert not is_content_token(token)


@pytest.mark.parametrize("token", ["一带一路", "一网通办", "三农", "5G", "GDP", "数字经济"])
def test_terms_that_start_with_numerals_are_kept(token):
    assert is_content_token(token)


MIXED = ["数字经济", "2025年", "的", "一网通办", "，", "十四五", " ", "5G", "推进", "GDP", "三农"]


# 3: fewer than MIXED, so the remembered statuses are forgotten and learned again on each call
@pytest.mark.parametrize("limit", [1 << 20, 3])
def test_non_content_tokens_agree_with_is_content_token(monkeypatch, limit):
    monkeypatch.setattr("policy_nlp.tokens.KNOWN_TOKENS", limit)
    expected = {t for t in MIXED if not is_content_token(t)}
    assert expected == {"2025年", "的", "，", "十四五", " ", "推进"}
    for _ in range(2):  # first learned, then remembered
        assert non_content_tokens(set(MIXED)) == expected
        assert non_content_tokens(dict.fromkeys(MIXED).keys()) == expected
    assert non_content_tokens({"数字经济", "的"}) == {"的"}


def test_keep_content_removes_in_place_and_keeps_order():
    counts = Counter({t: i for i, t in enumerate(MIXED, start=1)})
    assert keep_content(counts) is counts
    assert list(counts.items()) == [
        ("数字经济", 1),
        ("一网通办", 4),
        ("5G", 8),
        ("GDP", 10),
        ("三农", 11),
    ]


def test_paragraph_counts_are_each_lines_content_counts(tk):
    expected = [
        count_tokens(t for t in tk.cut(line) if is_content_token(t))
        for line in TEXT.splitlines(keepends=True)
    ]
    got = list(tk.iter_paragraph_counts(TEXT))
    assert got == [c for c in expected if c]
    assert all(list(c) == sorted(c) for c in got) and len(got) == 3


def test_default_stopwords_are_chinese_with_policy_boilerplate():
    words = stopwords()
    assert {"的", "和", "推进", "加快", "全面", "进一步"} <= words
    assert not [w for w in words if re.fullmatch(r"[A-Za-z]+", w)]  # not jieba's English list
    assert len(words) == len(set(read_lines("stopwords.txt")))


def test_data_files_start_with_a_provenance_header():
    for name in ("stopwords.txt", "userdict.txt"):
        first = data_path(name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#")


def test_user_dictionary_entries_are_well_formed():
    entries = read_user_dict(data_path("userdict.txt"))
    words = [w for w, _, _ in entries]
    assert len(words) == len(set(words)), "duplicate entries"
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) for w in words)
    assert all(tag in {"n", "nz", "l", "t"} for _, _, tag in entries)
    assert not set(words) & stopwords()


def test_read_user_dict_formats_and_errors(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text(
        "# comment\n数字经济\n碳达峰 100\n一网通办 nz\n新质生产力 50 nz\n", encoding="utf-8"
    )
    assert read_user_dict(path) == [
        ("数字经济", None, None),
        ("碳达峰", 100, None),
        ("一网通办", None, "nz"),
        ("新质生产力", 50, "nz"),
    ]
    path.write_text("数字经济 many nz\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dict\.txt:1"):
        read_user_dict(path)


def test_own_user_dictionary(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("生产总值增长 n\n", encoding="utf-8")
    assert "生产总值增长" in Tokenizer(backend="jieba", user_dict=path).cut("地区生产总值增长")


def test_streaming_matches_whole_text(tk):
    text = TEXT * 3
    assert list(tk.iter_tokens(text)) == tk.cut(text)
    counts = tk.count_content_tokens(text)
    assert counts == count_tokens(tk.content_tokens(text))
    summed: dict[str, int] = {}
    for para in tk.iter_paragraph_counts(text):
        for t, c in para.items():
            summed[t] = summed.get(t, 0) + c
    assert summed == counts
    assert len(list(tk.iter_paragraph_counts(text))) == 9


def test_tokenizer_pickles_without_its_segmenter():
    tk = Tokenizer(backend="jieba")
    tk.cut("数字经济")
    clone = pickle.loads(pickle.dumps(tk))
    assert clone._impl is None
    assert clone.cut("发展数字经济") == ["发展", "数字经济"]


def test_bad_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="backend"):
        Tokenizer(backend="spacy")


def test_tokenize_helper_and_shared_default():
    assert get_tokenizer("jieba") is get_tokenizer("jieba")
    assert tokenize("推进数字经济发展", backend="jieba", drop_stopwords=True) == ["数字经济"]
    assert tokenize("推进数字经济。", backend="jieba") == ["推进", "数字经济", "。"]
    # the switch's old name still works, inverted
    assert tokenize("推进数字经济发展", backend="jieba", keep_stopwords=False) == ["数字经济"]


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_tokenize_returns_every_token_so_joining_gives_the_text(backend):
    import policy_nlp

    text = "全面推进城市数字化转型，\n 2025年GDP增长5%。\r\n\t末尾 "
    assert "".join(tokenize(text, backend=backend)) == text
    assert "".join(policy_nlp.tokenize(text, backend=backend)) == text
    assert policy_nlp.tokenize("全面推进城市数字化转型", backend=backend) == [
        "全面", "推进", "城市", "数字化转型",
    ]  # fmt: skip
    assert policy_nlp.tokenize("全面推进城市数字化转型", drop_stopwords=True) == [
        "城市", "数字化转型",
    ]  # fmt: skip


def test_rjieba_builtin_dictionary_cuts_like_jiebas_dict_txt():
    """The fast load (jieba-rs's compiled-in dictionary) cuts exactly as jieba's dict.txt does."""
    import rjieba

    from conftest import CORPUS
    from policy_nlp.resources import data_path
    from policy_nlp.tokens import Tokenizer, _jieba_dict_path, read_user_dict

    explicit = rjieba.Jieba.empty()
    with open(_jieba_dict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts:
                explicit.add_word(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)
    for word, freq, tag in read_user_dict(data_path("userdict.txt")):
        explicit.add_word(word, freq, tag)
    fast = Tokenizer(backend="rjieba")
    for path in sorted(CORPUS.glob("*.txt"))[:8]:
        text = path.read_text(encoding="utf-8")
        assert fast.cut(text) == list(explicit.cut(text, True)), path.name
