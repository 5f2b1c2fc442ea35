"""Tracking: link each target to the achievement that settles it, across a batch.

``track(claims, documents)`` gives the tracking table; ``describe`` turns one document's
claims into ``Fact`` records and ``link``/``link_rows`` pair them within a government's
(year, scope) bucket. Modules by concern: ``indicators`` (names, similarity, polarity),
``government`` (jurisdiction), ``facts`` (``describe``), ``link`` (``judge``, ``link``,
``track``). Functions that compare names take ``tokenizer=`` (a ``Tokenizer``, a backend name,
or None for the default backend). Scoring against gold is in ``policy_nlp.evaluate``.
"""

from policy_nlp.tracking.facts import Fact, describe
from policy_nlp.tracking.government import Government, jurisdiction
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
    DocInfo,
    documents_info,
    judge,
    link,
    link_bucket,
    link_rows,
    track,
)

__all__ = [
    "TRACKING_FIELDS",
    "DocInfo",
    "Fact",
    "Government",
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
