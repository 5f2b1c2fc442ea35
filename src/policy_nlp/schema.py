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
    "DESCRIPTIONS",
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


# Not frozen (a read-only record all the same, hashed by its fields): extraction builds one per
# claim in its hot loop, and a frozen dataclass's __init__ (object.__setattr__ per field) costs
# about ten times a plain one's (issue 16).
@dataclass(slots=True, unsafe_hash=True)
class Claim:
    """One numeric claim, with its span in the document text and the spec's fields.

    ``value`` and ``value_high`` are exact ``Decimal``; ``kind`` is ``target``,
    ``achievement`` or ``provision``; ``change`` is ``up``, ``down`` or ``""`` (a level).
    Treat it as read-only (``dataclasses.replace`` makes a changed copy).
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
DOC_STATUSES = ("ok", "empty", "error", "skipped")
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
        "year_source": "string", "doc_type_source": "string", "duplicate_of": "string",
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
    "documents": (
        "region",
        "region_code",
        "level",
        "year_source",
        "doc_type_source",
        "duplicate_of",
    ),
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

# What each column holds, in a line (at most 80 characters: Stata's variable labels carry them,
# and the README's tables say the same). Per table, a column's own line first, else the shared one.
_SHARED = {
    "doc_id": "document id (the file name without its extension, made unique)",
    "start": "offset of the mention's first character in the document text",
    "end": "offset just after the mention's last character",
    "mention": "the number as written, with magnitude, unit and approximators",
    "value": "exact value, magnitudes multiplied out (4.32万亿元 -> 4320000000000)",
    "value_high": "upper end of a range (6%-6.5% -> 6.5); empty otherwise",
    "unit": "canonical unit: 元, %, 百分点, 倍, a measure word, or empty",
    "comparator": "=, >, >=, <, <=, ~ (about) or range",
    "kind": "target (planned), achievement (realised) or provision (a rule)",
    "year": "year an achievement refers to, or a target's deadline",
    "change": "up/down when the value is the size of a change; empty for a level",
    "indicator": "what is measured, in the document's words",
    "sentence": "the sentence holding the claim",
    "indicator_key": "headline indicator code (gdp_growth, cpi …); a|b: one figure of both",
    "status": "met, missed or unsettled",
    "gap": "achieved minus target, in the target's unit",
    "target_doc_id": "document of the target",
    "target_start": "offset of the target's mention in its document",
    "target_end": "offset just after the target's mention",
    "target_mention": "the target as written",
    "target_value": "the target's exact value",
    "target_value_high": "upper end of a target range",
    "target_comparator": "the target's comparator (=, >, >=, <, <=, ~, range)",
    "achievement_doc_id": "document of the achievement that settles the target",
    "achievement_start": "offset of the achievement's mention in its document",
    "achievement_end": "offset just after the achievement's mention",
    "achievement_mention": "the achievement as written",
    "achieved_value": "the achieved value",
    "region": "region name (province, prefecture or county; 全国 for the nation)",
    "region_code": "GB/T 2260 region code (100000 for the nation)",
    "level": "government level: national, province, prefecture or county",
    "rank": "rank, 1 first",
    "topic_id": "topic id (stable across batches with the same model)",
}
_OWN = {
    "documents": {
        "path": "the input file (absolute, or relative to the tables' folder)",
        "status": "ok, empty, error or skipped",
        "error": "why the file could not be read or was skipped",
        "title": "title from the document's header",
        "issuer": "issuing body",
        "date": "date from the header (YYYY-MM-DD, or as precise as written)",
        "year": "the document's year",
        "doc_type": "genre: gov_work_report, plan, policy, news, ...",
        "encoding": "how the file was decoded (utf-8, gb18030, docx, pdf, ...)",
        "chars": "characters of the decoded text",
        "n_claims": "numeric claims found",
        "sha256": "SHA-256 of the decoded text (same text, same hash)",
        "year_source": "where the year was read (date, title, doc number, ...)",
        "doc_type_source": "where the genre was read (title or text)",
        "duplicate_of": "doc_id of an earlier document of this batch with the same text",
    },
    "keywords": {"keyword": "the keyword", "score": "TF-IDF (or TextRank x IDF) score"},
    "topics": {"term": "a top term of the topic", "weight": "the term's share of the topic"},
    "doc_topics": {"weight": "the topic's share of the document (a row sums to 1)"},
    "tracking": {"year": "the target's deadline year", "unit": "unit of target and achievement"},
    "panel": {
        "government": "the government (issuer) whose target or outcome it is",
        "year": "the year the row is about",
        "horizon": "annual or period (a five-year or cumulative figure)",
        "period": "the period of a period row (2021-2025)",
        "indicator": "headline indicator code (data/indicators.tsv)",
        "indicator_name": "the indicator's name",
        "unit": "unit of target and achieved values",
        "outcome_source": "where the achieved value was read (a document or --outcomes)",
        "note": "restatements that differ, sources that disagree",
    },
}
DESCRIPTIONS: dict[str, dict[str, str]] = {
    table: {name: _OWN.get(table, {}).get(name) or _SHARED[name] for name in cols}
    for table, cols in COLUMNS.items()
}
assert all(len(d) <= 80 for cols in DESCRIPTIONS.values() for d in cols.values())
