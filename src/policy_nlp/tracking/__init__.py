"""Tracking: link each target to the achievement that settles it, across a batch.

``track(claims, documents)`` gives the tracking table; ``describe`` turns one document's
claims into ``Fact`` records and ``link``/``link_rows`` pair them within a government's
(year, scope) bucket. Modules by concern: ``indicators`` (names, similarity, polarity),
``government`` (jurisdiction), ``facts`` (``describe``), ``link`` (``judge``, ``link``,
``track``), ``headline`` (the panel's canonical codes), ``panel`` (``build_panel``),
``outcomes`` (``read_outcomes``). Functions that compare names take ``tokenizer=`` (a ``Tokenizer``, a backend name,
or None for the default backend). Scoring against gold is in ``policy_nlp.evaluate``.
"""

from policy_nlp.tracking.facts import Fact, describe
from policy_nlp.tracking.government import Government, jurisdiction
from policy_nlp.tracking.headline import (
    Headline,
    headline,
    headline_codes,
    headline_key,
    headline_keys,
    signed_value,
)
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
    LinkCache,
    documents_info,
    judge,
    link,
    link_bucket,
    link_buckets,
    link_rows,
    linkable,
    track,
    trackable,
)
from policy_nlp.tracking.outcomes import read_outcomes
from policy_nlp.tracking.panel import PANEL_FIELDS, build_panel, document_region

__all__ = [
    "PANEL_FIELDS",
    "TRACKING_FIELDS",
    "DocInfo",
    "Fact",
    "Government",
    "Headline",
    "IndicatorKey",
    "LinkCache",
    "build_panel",
    "describe",
    "display_name",
    "document_region",
    "documents_info",
    "headline",
    "headline_codes",
    "headline_key",
    "headline_keys",
    "indicator_key",
    "indicator_similarity",
    "judge",
    "jurisdiction",
    "link",
    "link_bucket",
    "link_buckets",
    "link_rows",
    "linkable",
    "polarity",
    "read_outcomes",
    "same_indicator",
    "signed_value",
    "track",
    "trackable",
]
