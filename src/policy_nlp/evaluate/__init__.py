"""Scoring against gold: claims tables against annotated claims (the spec's scoring), and
tracking tables against annotated links."""

from policy_nlp.evaluate.claims import (
    GoldError,
    Scores,
    load_gold,
    load_predictions,
    locate,
    match,
    score,
    score_files,
)

__all__ = [
    "GoldError",
    "Scores",
    "load_gold",
    "load_predictions",
    "locate",
    "match",
    "score",
    "score_files",
]
