"""The ground floor's vocabulary: the Claim record, closed value sets and every table's shape.

Every room reads these instead of keeping its own lists: the extractor builds ``Claim``
records, ``tables`` turns them into typed frames with ``COLUMNS`` and ``SORT_KEYS``, the report
and the evaluator read the same names. Nothing here imports another module of the package.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

__all__ = [
    "ADDED_COLUMNS",
    "CLAIMS_DERIVED",
    "CLAIM_FIELDS",
    "COLUMNS",
    "COMPARATORS",
    "DOC_STATUSES",
    "DOC_TYPES",
    "HORIZONS",
    "KINDS",
    "SORT_KEYS",
    "TABLES",
    "TRACKING_STATUSES",
    "Claim",
]

KINDS = ("target", "achievement", "provision")
COMPARATORS = ("=", ">", ">=", "<", "<=", "~", "range")
CLAIM_FIELDS = (
    "doc_id", "start", "end", "mention", "value", "value_high", "unit", "comparator",
    "kind", "year", "change", "indicator", "sentence",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Claim:
    """One numeric claim, with its span in the document text and the spec's fields.

    ``value`` and ``value_high`` are exact ``Decimal``; ``kind`` is ``target``,
    ``achievement`` or ``provision``; ``change`` is ``up``, ``down`` or ``""`` (a level).
    """

    doc_id: str
    start: int
    end: int
    mention: str
    value: Decimal
    value_high: Decimal | None
    unit: str
    comparator: str
    kind: str | None
    year: int | None
    change: str
    indicator: str
    sentence: str

    def to_dict(self) -> dict:
        """The claim as a plain dict in table column order (values stay ``Decimal``)."""
        d = asdict(self)
        return {k: d[k] for k in CLAIM_FIELDS}


DOC_TYPES = (
    "gov_work_report", "party_report", "plan_report", "budget_report", "plan_outline",
    "stat_communique", "plan", "regulation", "policy", "news", "article",
)  # fmt: skip
DOC_STATUSES = ("ok", "empty", "error")
HORIZONS = ("annual", "period")
TRACKING_STATUSES = ("met", "missed", "unsettled")

# Column name -> dtype, per table, in output order.
COLUMNS: dict[str, dict[str, str]] = {
    "claims": {
        "doc_id": "string", "start": "Int64", "end": "Int64", "mention": "string",
        "value": "Float64", "value_high": "Float64", "unit": "string", "comparator": "string",
        "kind": "category", "year": "Int64", "change": "string", "indicator": "string",
        "sentence": "string", "indicator_key": "string",
    },
    "documents": {
        "doc_id": "string", "path": "string", "status": "string", "error": "string",
        "title": "string", "issuer": "string", "date": "string", "year": "Int64",
        "doc_type": "string", "encoding": "string", "chars": "Int64", "n_claims": "Int64",
        "sha256": "string", "region": "string", "region_code": "string", "level": "string",
        "year_source": "string", "doc_type_source": "string",
    },
    "keywords": {"doc_id": "string", "rank": "Int64", "keyword": "string", "score": "Float64"},
    "topics": {"topic_id": "Int64", "rank": "Int64", "term": "string", "weight": "Float64"},
    "doc_topics": {"doc_id": "string", "topic_id": "Int64", "weight": "Float64"},
    "tracking": {
        "target_doc_id": "string", "target_start": "Int64", "target_end": "Int64",
        "target_mention": "string", "indicator": "string", "year": "Int64",
        "target_value": "Float64", "target_value_high": "Float64", "target_comparator": "string",
        "unit": "string", "achievement_doc_id": "string", "achievement_start": "Int64",
        "achievement_end": "Int64", "achievement_mention": "string", "achieved_value": "Float64",
        "status": "string", "gap": "Float64", "indicator_key": "string",
    },
    "panel": {
        "government": "string", "region": "string", "region_code": "string", "level": "string",
        "year": "Int64", "horizon": "string", "period": "string", "indicator": "string",
        "indicator_name": "string", "unit": "string", "target_value": "Float64",
        "target_value_high": "Float64", "target_comparator": "string",
        "achieved_value": "Float64", "status": "string", "gap": "Float64",
        "target_doc_id": "string", "target_start": "Int64", "target_mention": "string",
        "achievement_doc_id": "string", "achievement_start": "Int64",
        "achievement_mention": "string", "outcome_source": "string", "note": "string",
    },
}  # fmt: skip
COLUMNS["targets"] = COLUMNS["claims"]
COLUMNS["achievements"] = COLUMNS["claims"]
TABLES = (
    "claims", "targets", "achievements", "documents", "keywords", "topics", "doc_topics",
    "tracking", "panel",
)  # fmt: skip
# Columns added after tables were first written: a table of an earlier run may lack them, and
# readers fill them empty instead of refusing the file.
ADDED_COLUMNS = {
    "claims": ("indicator_key",),
    "documents": ("region", "region_code", "level", "year_source", "doc_type_source"),
    "tracking": ("indicator_key",),
}
SORT_KEYS = {
    "claims": ["doc_id", "start", "end"],
    "targets": ["doc_id", "start", "end"],
    "achievements": ["doc_id", "start", "end"],
    "documents": ["doc_id"],
    "keywords": ["doc_id", "rank"],
    "topics": ["topic_id", "rank"],
    "doc_topics": ["doc_id", "topic_id"],
    "tracking": ["target_doc_id", "target_start", "target_end"],
    "panel": ["region_code", "indicator", "horizon", "year"],
}
# the claims table is the Claim's fields, then the headline indicator the run derives from them
CLAIMS_DERIVED = ("indicator_key",)
assert tuple(COLUMNS["claims"]) == CLAIM_FIELDS + CLAIMS_DERIVED
