"""Tracking: link each target to the achievement that settles it, across a batch.

``track(claims, documents)`` gives the tracking table; ``describe`` turns one document's
claims into ``Fact`` records and ``link``/``link_rows`` pair them within a government's
(year, scope) bucket.
"""

from policy_nlp.tracking.facts import Fact, describe
from policy_nlp.tracking.government import jurisdiction
from policy_nlp.tracking.indicators import (
    IndicatorKey,
    display_name,
    indicator_key,
    indicator_similarity,
    polarity,
    same_indicator,
)
from policy_nlp.tracking.link import (
    TRACKING_FIELDS,
    documents_info,
    judge,
    link,
    link_bucket,
    link_rows,
    track,
)

__all__ = [
    "TRACKING_FIELDS",
    "Fact",
    "IndicatorKey",
    "describe",
    "display_name",
    "documents_info",
    "indicator_key",
    "indicator_similarity",
    "judge",
    "jurisdiction",
    "link",
    "link_bucket",
    "link_rows",
    "polarity",
    "same_indicator",
    "track",
]
