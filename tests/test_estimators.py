"""KeywordExtractor and TopicModel are scikit-learn transformers: clone, params, fit_transform,
NotFittedError (both the package's and scikit-learn's), feature names and set_output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn.exceptions
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from conftest import ROOT
from policy_nlp import errors
from policy_nlp.keywords import KeywordExtractor
from policy_nlp.topics import TopicModel

DOCS = [
    {"数字经济": 3, "人工智能": 2, "算力": 1},
    {"乡村振兴": 4, "粮食": 2, "耕地": 1},
    {"营商环境": 2, "民营经济": 1, "算力": 1},
    {"生态文明": 2, "碳达峰": 1, "湿地": 1},
]


@pytest.mark.parametrize(
    "estimator",
    [KeywordExtractor(top_n=2, max_df=0.9), TopicModel(n_topics=2, min_df=1, max_df=1.0)],
)
def test_clone_params_and_fit_transform(estimator):
    copy = clone(estimator)
    assert copy is not estimator and copy.get_params() == estimator.get_params()
    copy.set_params(random_state=1) if isinstance(copy, TopicModel) else copy.set_params(top_n=1)
    assert copy.get_params() != estimator.get_params()
    once = clone(estimator).fit_transform(DOCS)
    fitted = clone(estimator).fit(DOCS)
    np.testing.assert_array_equal(once, fitted.transform(DOCS))
    assert once.shape == (len(DOCS), len(fitted.get_feature_names_out()))


@pytest.mark.parametrize("estimator", [KeywordExtractor(), TopicModel()])
def test_not_fitted_is_the_packages_and_sklearns_error(estimator):
    for caught in (errors.NotFittedError, sklearn.exceptions.NotFittedError, errors.PolicyNLPError):
        with pytest.raises(caught, match="not fitted"):
            estimator.transform(DOCS)


def test_keyword_scores_sit_under_their_terms_and_set_output_gives_a_frame():
    kx = KeywordExtractor(top_n=2, max_df=0.9).fit(DOCS)
    frame = kx.set_output(transform="pandas").transform([{"算力": 2, "粮食": 1, "芯片": 1}])
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(kx.get_feature_names_out())
    row = frame.iloc[0]
    top = dict(
        KeywordExtractor(top_n=2, max_df=0.9).fit(DOCS).keywords({"算力": 2, "粮食": 1, "芯片": 1})
    )
    assert {t: row[t] for t in top if t in row} == {t: s for t, s in top.items() if t in row}
    assert (row > 0).sum() == len([t for t in top if t in row])
    with pytest.raises(errors.OptionError, match="keywords_frame"):
        kx.transform({"a": {"算力": 1}})


def test_topic_model_set_output_names_topics_and_works_in_a_pipeline():
    tm = TopicModel(n_topics=2, min_df=1, max_df=1.0).set_output(transform="pandas")
    out = Pipeline([("topics", tm)]).fit_transform(DOCS)
    assert list(out.columns) == ["topic_0", "topic_1"]
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_saved_models_still_load_as_the_new_classes():
    kx = KeywordExtractor.load(ROOT / "models" / "keywords_idf.json")
    tm = TopicModel.load(ROOT / "models" / "topics")
    assert len(kx.get_feature_names_out()) == len(kx.idf_)
    assert len(tm.get_feature_names_out()) == tm.n_topics_
    assert clone(tm).get_params() == tm.get_params()


def test_a_run_applies_the_saved_models_without_importing_scikit_learn(tmp_path):
    # scikit-learn (and SciPy's statistics under it) cost about a second of CPU per run
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "某市2025年政府工作报告\n2025年全市地区生产总值增长6%，粮食产量达到120万吨。\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from policy_nlp.cli import main\n"
        f"status = main(['run', {str(tmp_path / 'docs')!r}, '--out', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        "print(status, sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "0 []"
    assert (tmp_path / "out" / "keywords.csv").read_text(encoding="utf-8").count("\n") > 1


def test_plain_models_save_the_estimators_parameters_and_load_as_either_class(tmp_path):
    import pickle

    from policy_nlp.keywords import PlainKeywordExtractor

    kx = KeywordExtractor(top_n=3, max_df=0.9).fit(DOCS)
    assert kx.params() == kx.get_params(deep=False)
    path = kx.save(tmp_path / "idf.json")
    plain = PlainKeywordExtractor.load(path)
    assert type(plain) is PlainKeywordExtractor and plain.params() == kx.get_params(deep=False)
    assert plain.keywords(DOCS[0]) == kx.keywords(DOCS[0])
    assert type(pickle.loads(pickle.dumps(kx))) is KeywordExtractor
    assert TopicModel(n_topics=4).params() == TopicModel(n_topics=4).get_params(deep=False)
