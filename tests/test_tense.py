"""The review/plan classifier: contract, persistence, and the shipped model's reproducibility."""

import re
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, DATA, GOLD, ROOT
from policy_nlp.claims.tense import (
    _SALT,
    TenseClassifier,
    _ngram_ids,
    mask_digits,
)
from policy_nlp.cli import main
from policy_nlp.errors import NotFittedError
from policy_nlp.fit import tense as fit_tense
from policy_nlp.fit.tense import training_sentences

TEXTS = [
    "过去一年，国内生产总值增长6.6%。",
    "一年来，城镇新增就业1361万人。",
    "今年要新增就业1100万人以上。",
    "力争到2025年达到10万家。",
]
LABELS = ["review", "review", "plan", "plan"]


def test_digits_are_masked_one_for_one():
    text = "增长5.5%，达到１２万"
    assert mask_digits(text) == "增长0.0%，达到00万"
    assert len(mask_digits(text)) == len(text)  # positions stay the document's positions


def reference_ids(text: str, n_features: int) -> list[np.ndarray]:
    """The hashing as first defined (the saved model's ids): masked code points, floor ``%``."""
    cp = np.array([ord(c) for c in mask_digits(text)], dtype=np.int64)
    uni = (cp * _SALT[0]) % n_features
    bi = ((cp[:-1] * 1_000_003 + cp[1:]) * _SALT[1]) % n_features
    tri = (((cp[:-2] * 1_000_003 + cp[1:-1]) * 1_000_003 + cp[2:]) % (1 << 61)) * _SALT[2]
    return [uni, bi, tri % n_features]


@settings(max_examples=200)
@given(
    st.text(alphabet="增长5.%０９年😀\U0010ffffａ ", max_size=30),
    st.sampled_from([1 << 17, 1 << 4, 1000, 7]),
)
def test_ngram_ids_are_those_of_the_saved_model(text, n_features):
    # products wrap around in int64: the masks must give the floor remainders all the same
    for got, want in zip(
        _ngram_ids(text, n_features), reference_ids(text, n_features), strict=True
    ):
        assert got.tolist() == want.tolist()


def test_passage_scores_are_exact_prefix_sums_of_float64_weights():
    model = TenseClassifier().fit(TEXTS, LABELS)
    doc = "".join(TEXTS)
    for coef in (model.coef_.astype(np.float32).astype(float), model.coef_):  # float32-exact or not
        model.coef_ = coef
        uni, bi, tri = _ngram_ids(doc, model.n_features)
        scores = model.document(doc)
        for start, end in [(0, len(doc)), (3, 20), (5, 7), (10, 11)]:
            total = np.cumsum(coef[uni])[end - 1] - (
                np.cumsum(coef[uni])[start - 1] if start else 0
            )
            total += np.cumsum(coef[bi])[end - 2] - (np.cumsum(coef[bi])[start - 1] if start else 0)
            if end - start > 2:
                total += np.cumsum(coef[tri])[end - 3] - (
                    np.cumsum(coef[tri])[start - 1] if start else 0
                )
            count = 3 * (end - start) - 3 if end - start > 2 else 2 * (end - start) - 1
            assert scores.logit(start, end) == model.intercept_ + float(total) / count


def test_passage_scores_equal_scores_of_the_passage_alone():
    model = TenseClassifier().fit(TEXTS, LABELS)
    doc = "".join(TEXTS)
    scores = model.document(doc)
    start = 0
    for text in TEXTS:
        assert np.isclose(scores.logit(start, start + len(text)), model.logit(text))
        start += len(text)


def test_fit_returns_self_and_separates_training_data():
    model = TenseClassifier(C=10.0)
    assert model.fit(TEXTS, LABELS) is model
    p = model.predict_proba(TEXTS)
    assert (p[:2] < 0.5).all() and (p[2:] > 0.5).all()


def test_logit_matches_predict_proba():
    model = TenseClassifier().fit(TEXTS, LABELS)
    for text in [*TEXTS, "", "完全不同的一句话"]:
        p = model.predict_proba([text])[0]
        assert np.isclose(1 / (1 + np.exp(-model.logit(text))), p)


def test_unfitted_model_refuses():
    with pytest.raises(NotFittedError):
        TenseClassifier().predict_proba(["x"])


def test_save_load_round_trip_without_pickle(tmp_path):
    model = TenseClassifier().fit(TEXTS, LABELS)
    path = model.save(tmp_path / "t.npz")
    with np.load(path, allow_pickle=False) as z:
        assert set(z.files) == {"meta", "coef", "intercept"}
    back = TenseClassifier.load(path)
    assert np.allclose(back.predict_proba(TEXTS), model.predict_proba(TEXTS), atol=1e-6)


def test_training_never_sees_dev_gold_or_heldout_lines():
    texts, labels = training_sentences(
        [CORPUS], [DATA / "train"], [GOLD / "docs", DATA / "heldout" / "docs"]
    )
    assert len(texts) > 1000 and set(labels) == {"review", "plan"}
    banned = set()
    for folder in (GOLD / "docs", DATA / "heldout" / "docs"):
        for f in folder.glob("*.txt"):
            banned.update(
                line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    assert not any(t in banned for t in texts)
    assert not any(
        t in line for line in banned if len(line) > 40 for t in texts[:200] if len(t) > 40
    )


def test_shipped_model_equals_a_fresh_fit():
    texts, labels = training_sentences(
        [CORPUS],
        [DATA / "train"],
        [GOLD / "docs", DATA / "heldout" / "docs", DATA / "blind" / "docs"],
    )
    fresh = TenseClassifier().fit(texts, labels)
    shipped = TenseClassifier.load(ROOT / "models" / "tense.npz")
    probe = [
        "国内生产总值增长6.6%。",
        "今年城镇新增就业1100万人以上。",
        "五年来，城镇化率提高到58.5%。",
    ]
    assert np.allclose(fresh.predict_proba(probe), shipped.predict_proba(probe), atol=1e-4), (
        "models/tense.npz is stale: run `make models`"
    )


def test_fit_tense_from_the_command_line(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "gov-report-2020-national.txt", corpus)
    out = tmp_path / "tense.npz"
    # python -m policy_nlp.fit.tense ARGS is policy-nlp fit tense ARGS
    args = [str(corpus), str(DATA / "train"), "--exclude", str(GOLD / "docs"), "--out", str(out)]
    assert fit_tense.main(args) == 0
    assert re.fullmatch(r"\d+ sentences \(\d+ plan, \d+ review\) -> .*\n", capsys.readouterr().out)
    texts, labels = training_sentences([corpus], [DATA / "train"], [GOLD / "docs"])
    want = TenseClassifier().fit(texts, labels)
    assert np.allclose(TenseClassifier.load(out).predict_proba(TEXTS), want.predict_proba(TEXTS))
    assert main(["fit", "tense", str(tmp_path / "missing"), "--out", str(out)]) == 2
