"""Topics: NMF fit on passages, stable ids, plain-file persistence, placing new documents."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import CORPUS, ROOT
from policy_nlp import artifacts
from policy_nlp.batch.runner import run
from policy_nlp.cli import main
from policy_nlp.fit.topics import corpus_counts, diversity, npmi_coherence, passages
from policy_nlp.read.document import read_document
from policy_nlp.tokens import get_tokenizer, is_content_token
from policy_nlp.topics import TopicModel

THEMES = {
    "farm": ["粮食", "耕地", "农民", "乡村振兴", "高标准农田", "种业", "农产品"],
    "digital": ["数字经济", "算力", "人工智能", "数据要素", "工业互联网", "大模型", "芯片"],
    "green": ["碳达峰", "生态文明", "污染防治", "清洁能源", "碳排放", "湿地", "森林"],
}


def synthetic_passages(n: int = 30, seed: int = 1) -> list[dict[str, int]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        words = THEMES[list(THEMES)[i % 3]]
        picked = rng.choice(words, size=5, replace=False)
        out.append({str(w): int(rng.integers(1, 4)) for w in picked})
    return out


@pytest.fixture(scope="module")
def small() -> TopicModel:
    return TopicModel(n_topics=3, min_df=2, max_df=0.9).fit(synthetic_passages())


@pytest.fixture(scope="module")
def shipped() -> TopicModel:
    return TopicModel.load(ROOT / "models" / artifacts.TOPICS_DIR)


def theme_of(terms: list[str]) -> str:
    votes = {name: len(set(terms) & set(words)) for name, words in THEMES.items()}
    return max(votes, key=votes.get)


def test_topics_separate_the_themes(small):
    tops = small.top_terms(5)
    assert sorted(theme_of(t) for t in tops) == ["digital", "farm", "green"]
    for t in tops:  # every listed term comes from its own theme
        assert set(t) <= set(THEMES[theme_of(t)])
    assert small.topic_share_.sum() == pytest.approx(1.0)
    assert list(small.topic_share_) == sorted(small.topic_share_, reverse=True)


def test_refit_is_deterministic_and_ids_do_not_depend_on_input_order(small):
    again = TopicModel(n_topics=3, min_df=2, max_df=0.9).fit(synthetic_passages())
    pd.testing.assert_frame_equal(small.topics_frame(), again.topics_frame())
    np.testing.assert_array_equal(small.components_, again.components_)


def test_transform_places_a_new_document_in_its_topic(small):
    new = {"粮食": 3, "耕地": 2, "农民": 1, "从未见过的词": 4}
    weights = small.transform([new])[0]
    assert weights.sum() == pytest.approx(1.0)
    assert theme_of(small.top_terms(5)[int(np.argmax(weights))]) == "farm"
    assert weights.max() > 0.8


def test_a_document_is_placed_the_same_way_in_any_batch(small):
    doc = {"算力": 2, "碳达峰": 1, "数据要素": 1}
    alone = small.transform([doc])[0]
    in_batch = small.transform([{"粮食": 5}, doc, {"湿地": 1, "森林": 2}])[1]
    np.testing.assert_allclose(alone, in_batch, rtol=0, atol=1e-12)


def test_a_document_without_known_terms_weighs_nothing(small):
    assert small.transform([{"陌生": 3}, {}]).tolist() == [[0.0] * 3, [0.0] * 3]
    frame = small.doc_topics_frame({"none": {"陌生": 1}, "farm": {"粮食": 2, "耕地": 1}})
    assert set(frame["doc_id"]) == {"farm"}
    assert (frame["weight"] >= small.min_weight).all()


def test_save_load_round_trip_gives_identical_tables(small, tmp_path):
    small.save(tmp_path / "topics")
    again = TopicModel.load(tmp_path / "topics")
    docs = {"a": {"粮食": 2, "算力": 1}, "b": ["碳达峰", "碳排放", "湿地"]}
    pd.testing.assert_frame_equal(small.topics_frame(), again.topics_frame())
    pd.testing.assert_frame_equal(small.doc_topics_frame(docs), again.doc_topics_frame(docs))
    assert again.get_params() == small.get_params()
    with np.load(tmp_path / "topics" / "model.npz", allow_pickle=False) as z:
        assert {a.dtype.kind for a in z.values()} == {"f"}
    meta = json.loads((tmp_path / "topics" / "meta.json").read_text(encoding="utf-8"))
    assert meta["format"] == "policy_nlp.topics/2" and len(meta["top_terms"]) == 3


def test_load_rejects_mismatched_or_foreign_files(small, tmp_path):
    d = small.save(tmp_path / "topics")
    (d / "vocabulary.json").write_text('["只有一个词"]', encoding="utf-8")
    with pytest.raises(ValueError, match="does not match"):
        TopicModel.load(d)
    (d / "meta.json").write_text('{"format": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a policy_nlp topic model"):
        TopicModel.load(d)
    with pytest.raises(ValueError, match="cannot read"):
        TopicModel.load(tmp_path / "missing")


def test_fit_needs_two_units_and_relaxes_min_df_on_small_batches():
    with pytest.raises(ValueError, match="at least 2"):
        TopicModel().fit([{"粮食": 1}])
    tm = TopicModel(n_topics=2).fit([{"粮食": 2, "耕地": 1}, {"算力": 3, "芯片": 1}])
    assert tm.n_topics_ == 2 and set(tm.vocabulary_) == {"粮食", "耕地", "算力", "芯片"}


def test_npmi_and_diversity():
    paras = [{"a", "b"}, {"a", "b"}, {"c"}, {"c", "d"}]
    assert npmi_coherence(["a", "b"], paras) == pytest.approx(1.0)
    assert npmi_coherence(["a", "c"], paras) == -1.0
    assert npmi_coherence(["a", "zz"], paras) == -1.0
    assert diversity([["a", "b"], ["b", "c"]]) == 0.75


# ---------------------------------------------------------------- the shipped model


def test_shipped_model_has_ten_clean_topics(shipped):
    table = shipped.topics_frame()
    assert shipped.n_topics_ == 10 and len(table) == 100
    terms = list(table["term"])
    assert all(is_content_token(t) and not re.search(r"\d", t) for t in terms)
    assert diversity(shipped.top_terms(10)) >= 0.85


def test_shipped_model_places_a_rural_document_in_the_rural_topic(shipped):
    doc = read_document(CORPUS / "policy-rural-revitalization-opinions-2018.txt")
    weights = shipped.transform([get_tokenizer("rjieba").count_content_tokens(doc.text)])[0]
    top = shipped.top_terms(10)[int(np.argmax(weights))]
    assert {"乡村", "农村", "农业", "乡村振兴"} & set(top)


def test_refit_on_the_corpus_is_deterministic_and_matches_models_dir(shipped):
    cc = corpus_counts([CORPUS])
    units, groups = cc.passages()
    assert len(units) == len(passages(cc.paragraphs)) > 1000
    a = TopicModel().fit(units, groups=groups)
    b = TopicModel().fit(units, groups=groups)
    pd.testing.assert_frame_equal(a.topics_frame(), b.topics_frame())
    # same corpus, same seed, same ids: models/ is up to date with the code and data files
    assert a.top_terms(10) == shipped.top_terms(10)


def test_run_applies_the_saved_model_and_refit_fits_the_batch(shipped):
    two = [
        CORPUS / "beijing-data-zones-guidance-2022.txt",
        CORPUS / "anhui-rcep-opening-up-opinions-2022.txt",
    ]
    models = ROOT / "models"
    first = run(two[:1], models=models, jobs=1)
    both = run(two, models=models, jobs=1)
    pd.testing.assert_frame_equal(first.topics, shipped.topics_frame())
    pd.testing.assert_frame_equal(both.topics, shipped.topics_frame())
    # a document gets the same topics whatever else is in the batch
    pd.testing.assert_frame_equal(
        first.doc_topics.reset_index(drop=True),
        both.doc_topics[
            both.doc_topics["doc_id"] == first.doc_topics["doc_id"].iloc[0]
        ].reset_index(drop=True),
    )
    refit = run(two, models=models, jobs=1, refit_topics=True)
    assert not refit.topics.equals(shipped.topics_frame())
    assert set(refit.doc_topics["doc_id"]) == set(both.documents["doc_id"])
    assert len(refit.keywords) == 20


@pytest.mark.parametrize("command", [["fit", "topics"], ["topics", "fit"]])
def test_cli_fit_topics_writes_models_and_reports_quality(tmp_path, capsys, command):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "gov-report-2020-national.txt",
        "beijing-data-zones-guidance-2022.txt",
        "policy-rural-revitalization-opinions-2018.txt",
    ):
        shutil.copy(CORPUS / name, corpus / name)
    assert main([*command, str(corpus), "--models", str(tmp_path / "m"), "--n-topics", "4"]) == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"^topic +\d+ .*NPMI [+-]\d\.\d{3}", out, flags=re.M)) == 4
    assert re.search(r"diversity \d\.\d\d", out)
    assert (tmp_path / "m" / artifacts.KEYWORDS_FILE).is_file()
    assert TopicModel.load(tmp_path / "m" / artifacts.TOPICS_DIR).n_topics_ == 4
    assert (
        main([*command, str(tmp_path / "empty-dir-does-not-exist"), "--models", str(tmp_path)]) != 0
    )


def test_vocabulary_index_is_rebuilt_for_a_new_vocabulary_and_never_pickled(small):
    import copy
    import pickle

    docs = synthetic_passages(6, seed=3)
    before = small.transform(docs)
    clone = pickle.loads(pickle.dumps(small))
    assert "_index" not in clone.__dict__  # a cache, not sent to Dask workers
    np.testing.assert_array_equal(clone.transform(docs), before)
    # a model whose vocabulary is replaced (reordered columns) reads terms at their new place
    other = copy.copy(small)
    order = list(reversed(range(len(small.vocabulary_))))
    other.vocabulary_ = [small.vocabulary_[i] for i in order]
    other.components_ = small.components_[:, order]
    other.idf_ = small.idf_[order]
    np.testing.assert_allclose(other.transform(docs), before, rtol=1e-9, atol=1e-12)


def _plain_transform(model: TopicModel, counts: dict[str, int], iterations: int) -> np.ndarray:
    """One document's weights written step by step (the solver's definition): sublinear
    TF-IDF over the vocabulary, l2-normalised in column order, then multiplicative KL updates
    with a convergence test after every step."""
    index = {t: i for i, t in enumerate(model.vocabulary_)}
    cols = sorted(index[t] for t, n in counts.items() if t in index and n > 0)
    tf = np.array([counts[model.vocabulary_[j]] for j in cols], dtype=float)
    vals = (1.0 + np.log(tf)) * model.idf_[cols]
    norm = 0.0
    for v in vals:  # added in column order, one by one
        norm += v * v
    data = vals / (np.sqrt(norm) or 1.0)
    h = model.components_
    k = h.shape[0]
    hc, h_sum = h[:, cols], h.sum(axis=1) + 1e-12
    w = np.full(k, np.sqrt(data.sum() / h.shape[1] / k))
    for _ in range(iterations):
        new = w * ((hc @ (data / (w @ hc + 1e-12))) / h_sum)
        done = np.abs(new - w).max() <= 1e-12 * new.max()
        w = new
        if done:
            break
    return w / (w.sum() or 1.0)


@pytest.mark.parametrize("iterations", [1, 7, 8, 9, 17, 300])  # around the solver's blocks
def test_placement_equals_a_step_by_step_solve_to_the_last_bit(iterations):
    model = TopicModel.load(ROOT / "models" / "topics")
    tk = get_tokenizer("rjieba")
    for name in ("anhui-gov-report-2026.txt", "gov-report-2024-national.txt"):
        counts = tk.count_content_tokens(read_document(CORPUS / name).text)
        counts["未见词语"] = 3  # a word outside the vocabulary
        got = model.transform([counts], iterations=iterations)[0]
        assert np.array_equal(got, _plain_transform(model, counts, iterations))
