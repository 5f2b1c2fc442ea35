"""Where the trained artifacts (keyword IDF, topic model, tense classifier) live, and loading
the keyword and topic models (``policy-nlp fit`` writes them).

Artifacts are plain files (JSON, NPZ), never pickles. The repository keeps them in
``models/`` (fitted on ``corpus/``); a wheel carries the same files as
``policy_nlp/models``. ``--models DIR`` or ``POLICY_NLP_MODELS`` point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models import NumPy and pandas: loaded when asked for, not here
    from policy_nlp.keywords import PlainKeywordExtractor
    from policy_nlp.topics import PlainTopicModel

__all__ = ["KEYWORDS_FILE", "TOPICS_DIR", "default_models_dir", "load_keywords", "load_topics"]

KEYWORDS_FILE = "keywords_idf.json"
TOPICS_DIR = "topics"


def default_models_dir() -> Path:
    """``POLICY_NLP_MODELS``, else the models shipped in the package, else the checkout's ``models/``."""
    env = os.environ.get("POLICY_NLP_MODELS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "models"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "models"


def load_keywords(models_dir: Path | None, **params) -> PlainKeywordExtractor | None:
    """The saved keyword extractor as a run applies it (no scikit-learn: about a second less
    per run; ``KeywordExtractor.load`` gives the estimator), or None when the folder has none."""
    from policy_nlp.keywords import PlainKeywordExtractor

    path = Path(models_dir or default_models_dir()) / KEYWORDS_FILE
    return PlainKeywordExtractor.load(path, **params) if path.is_file() else None


def load_topics(models_dir: Path | None) -> PlainTopicModel | None:
    """The saved topic model as a run applies it (no scikit-learn; ``TopicModel.load`` gives
    the estimator), or None when the folder has none."""
    from policy_nlp.topics import PlainTopicModel

    path = Path(models_dir or default_models_dir()) / TOPICS_DIR
    return PlainTopicModel.load(path) if (path / "meta.json").is_file() else None
