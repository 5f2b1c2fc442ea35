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
from policy_nlp.evaluate.tracking import TrackingScores, read_tracking_csv, score_tracking

__all__ = [
    "GoldError",
    "Scores",
    "TrackingScores",
    "load_gold",
    "load_predictions",
    "locate",
    "match",
    "read_tracking_csv",
    "score",
    "score_files",
    "score_tracking",
]
