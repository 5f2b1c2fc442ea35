"""Numeric claims: find the numbers of a text and resolve every field of the claims spec.

``extract(text, ...)`` returns ``Claim`` records (``policy_nlp.schema``) with exact
``Decimal`` values; the rooms inside are the mention grammar and its exclusions, the
document's structure, the review/plan classifier, and one module per field.
"""

from policy_nlp.claims.extractor import extract
from policy_nlp.schema import CLAIM_FIELDS, COMPARATORS, KINDS, Claim

__all__ = ["CLAIM_FIELDS", "COMPARATORS", "KINDS", "Claim", "extract"]
