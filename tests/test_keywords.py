"""Keywords: TF-IDF from counts, TextRank from a token stream, the saved IDF, clean output."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from conftest import CORPUS, ROOT
from policy_nlp.errors import NotFittedError
from policy_nlp.keywords import KeywordExtractor, textrank_scores
from policy_nlp.read.document import read_document
from policy_nlp.tokens import get_tokenizer, is_content_token, stopwords

REFERENCE = [
    {"数字经济": 3, "人工智能": 2, "经济": 1, "算力": 1},
    {"乡村振兴": 4, "粮食": 2, "经济": 1},
    {"营商环境": 2, "经济": 2, "民营经济": 1},
    {"生态文明": 2, "碳达峰": 1, "经济": 1},
]


@pytest.fixture(scope="module")
def shipped() -> KeywordExtractor:
    return KeywordExtractor.load(ROOT / "models" / "keywords_idf.json")


def corpus_counts(name: str) -> dict[str, int]:
    doc = read_document(CORPUS / name)
    return get_tokenizer("rjieba").count_content_tokens(doc.text)


def test_terms_in_most_reference_documents_are_never_keywords():
    kx = KeywordExtractor(max_df=0.8).fit(REFERENCE)
    assert "经济" in kx.dropped_ and "经济" not in kx.idf_
    assert "经济" not in dict(kx.keywords({"经济": 50, "算力": 1}))


def test_rarer_terms_rank_higher_at_equal_frequency():
    kx = KeywordExtractor(top_n=3).fit(REFERENCE)
    ranked = kx.keywords({"乡村振兴": 2, "数据要素": 2, "营商环境": 2})
    assert ranked[0][0] == "数据要素"  # never seen in the reference: the highest IDF
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_counts_tokens_and_a_stream_give_the_same_keywords():
    kx = KeywordExtractor(top_n=5).fit(REFERENCE)
    tokens = ["数字经济", "算力", "数字经济", "推进", "2025年", "乡村振兴", "算力", "数字经济"]
    from collections import Counter

    assert kx.keywords(tokens) == kx.keywords(Counter(tokens)) == kx.keywords(iter(tokens))


def test_numbers_dates_and_stopwords_never_come_out():
    kx = KeywordExtractor(top_n=10).fit(REFERENCE)
    got = dict(kx.keywords({"2025年": 9, "十四五": 9, "5.5%": 9, "推进": 9, "一批": 9, "算力": 1}))
    assert list(got) == ["算力"]


@pytest.mark.parametrize(
    "name",
    [
        "gov-report-2024-national.txt",
        "anhui-gov-report-2026.txt",
        "policy-rural-revitalization-opinions-2018.txt",
    ],
)
def test_shipped_model_keywords_on_corpus_documents_are_clean(shipped, name):
    for method in ("tfidf", "textrank"):
        kx = KeywordExtractor.load(ROOT / "models" / "keywords_idf.json", method=method)
        doc = read_document(CORPUS / name)
        tk = get_tokenizer("rjieba")
        got = kx.keywords(
            tk.count_content_tokens(doc.text)
            if method == "tfidf"
            else tk.iter_content_tokens(doc.text)
        )
        words = [w for w, _ in got]
        assert len(words) == 10
        assert not [w for w in words if re.search(r"\d", w) or w in stopwords()]
        assert all(len(w) >= 2 and is_content_token(w) for w in words)


def test_rural_policy_keywords_name_its_subject(shipped):
    words = [
        w
        for w, _ in shipped.keywords(corpus_counts("policy-rural-revitalization-opinions-2018.txt"))
    ]
    assert "乡村振兴" in words[:3]


def test_save_load_round_trip_gives_identical_tables(tmp_path):
    docs = {"a": {"数字经济": 3, "算力": 1}, "b": {"乡村振兴": 2, "粮食": 5}, "c": {}}
    kx = KeywordExtractor(top_n=3).fit(REFERENCE)
    path = kx.save(tmp_path / "idf.json")
    again = KeywordExtractor.load(path)
    pd.testing.assert_frame_equal(kx.keywords_frame(docs), again.keywords_frame(docs))
    assert again.get_params() == kx.get_params()
    assert KeywordExtractor.load(path, top_n=1).top_n == 1
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "policy_nlp.keywords/2" and "经济" in data["dropped"]


def test_load_rejects_other_files_naming_them(tmp_path):
    bad = tmp_path / "not-a-model.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"not-a-model\.json"):
        KeywordExtractor.load(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json"):
        KeywordExtractor.load(broken)


def test_unfitted_and_bad_parameters_are_clear_errors():
    with pytest.raises(NotFittedError, match="not fitted"):
        KeywordExtractor().keywords({"数字经济": 1})
    with pytest.raises(ValueError, match="method"):
        KeywordExtractor(method="yake").fit(REFERENCE)


def test_textrank_needs_the_order_of_tokens():
    kx = KeywordExtractor(method="textrank").fit(REFERENCE)
    with pytest.raises(ValueError, match="order"):
        kx.keywords({"数字经济": 2})
    tokens = ["数字经济", "算力", "人工智能", "数字经济", "算力"]
    rank = textrank_scores(tokens)
    assert kx.keywords(tokens) == kx.keywords({"数字经济": 2, "算力": 2, "人工智能": 1}, rank=rank)


def test_textrank_scores_are_a_distribution_favouring_hubs():
    tokens = ["中心", "甲方", "中心", "乙方", "中心", "丙方", "中心", "丁方"]
    scores = textrank_scores(tokens, window=2)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert max(scores, key=scores.get) == "中心"
    assert textrank_scores([]) == {}
    assert textrank_scores(["孤立"]) == {"孤立": pytest.approx(1.0)}


def test_textrank_reads_a_stream_and_stops_at_its_cap():
    seen = []

    def stream():
        for i in range(10_000):
            seen.append(i)
            yield f"词{i % 50}"

    scores = textrank_scores(stream(), max_tokens=100)
    assert len(seen) <= 101 and len(scores) == 50
    # the extractor still counts every token after the cap
    kx = KeywordExtractor(method="textrank", textrank_max_tokens=100, top_n=100).fit(REFERENCE)
    got = dict(kx.keywords(f"词{i % 50}" for i in range(10_000)))
    assert len(got) == 50


def test_top_n_equals_the_head_of_a_full_ranking_with_ties_by_term():
    # many equal scores across the top_n boundary: the cut keeps the same words a full sort keeps
    counts = corpus_counts("shanghai-digital-transformation-article.txt")
    counts.update({w: 1 for w in ("甲乙丙词", "甲乙丁词", "甲乙戊词", "甲乙己词")})
    everything = KeywordExtractor.load(ROOT / "models" / "keywords_idf.json")
    everything.top_n = 100_000
    full = everything.keywords(counts)
    assert len(full) > 200
    assert full == sorted(full, key=lambda kv: (-kv[1], kv[0]))
    for n in (1, 10, 50, len(full) - 1):
        cut = KeywordExtractor.load(ROOT / "models" / "keywords_idf.json")
        cut.top_n = n
        assert cut.keywords(counts) == full[:n]


def _plain_keywords(kx: KeywordExtractor, tf, rank=None) -> list[tuple[str, float]]:
    """The scoring written term by term in plain Python (what the NumPy scoring must equal)."""
    content = [(t, c) for t, c in tf.items() if c > 0 and is_content_token(t)]
    total = sum(c for _, c in content)
    pairs = []
    for t, c in content:
        weight = kx.idf_.get(t, kx.default_idf_)
        score = rank.get(t, 0.0) * weight if rank is not None else c / total * weight
        if score > 0 and t not in kx.dropped_:
            pairs.append((-score, t))
    return [(t, round(-s, 6)) for s, t in sorted(pairs)[: kx.top_n]]


@pytest.mark.parametrize("name", ["anhui-gov-report-2026.txt", "gov-report-2024-national.txt"])
def test_scores_equal_plain_python_scoring_to_the_last_digit(shipped, name):
    doc = read_document(CORPUS / name)
    tokens = list(get_tokenizer("rjieba").iter_tokens(doc.text))  # stopwords and numbers too
    from collections import Counter

    counts = Counter(tokens)
    counts.update({"零次词语": 0, "负次词语": -2})  # no positive count: never keywords
    assert shipped.dropped_ & counts.keys()  # boilerplate the reference corpus drops is there
    for top_n in (1, 10, 300):
        kx = KeywordExtractor.load(ROOT / "models" / "keywords_idf.json", top_n=top_n)
        assert kx.keywords(counts) == _plain_keywords(kx, counts)
        rank = textrank_scores(t for t in tokens if is_content_token(t))
        kx.method = "textrank"
        assert kx.keywords(counts, rank=rank) == _plain_keywords(kx, counts, rank)
