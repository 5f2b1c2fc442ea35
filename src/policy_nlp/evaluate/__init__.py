"""Scoring against gold: claims tables against annotated claims (the spec's scoring), and
tracking tables against annotated links, panels against reference tables; both read gold through ``evaluate.gold``."""

from policy_nlp.evaluate.claims import (
    Scores,
    load_gold,
    load_predictions,
    match,
    score,
    score_files,
)
from policy_nlp.evaluate.gold import GoldError, locate, prf
from policy_nlp.evaluate.panel import score_panel
from policy_nlp.evaluate.tracking import TrackingScores, read_tracking_csv, score_tracking

__all__ = [
    "GoldError",
    "Scores",
    "TrackingScores",
    "load_gold",
    "load_predictions",
    "locate",
    "match",
    "prf",
    "read_tracking_csv",
    "score",
    "score_files",
    "score_panel",
    "score_tracking",
]
