"""Numeric claims: find the numbers of a text and resolve every field of the claims spec.

``extract(text, ...)`` returns ``Claim`` records (``policy_nlp.schema``) with exact
``Decimal`` values. The rooms inside, in the order a document goes through them:
``mentions`` (the number grammar) and ``exclusions`` (the spec's "not claims", named, in spec
order); ``context`` (built once per document: indexes of clauses, years and cue words, the
``structure`` of review and plan sections, the ``tense`` classifier's scores); one module per
field: ``comparator`` (comparator and change), ``kind``, ``years``, ``indicator``; and
``extractor``, the loop. Their word lists are read from ``data/`` through ``lexicon``.
"""

from policy_nlp.claims.extractor import extract
from policy_nlp.schema import CLAIM_FIELDS, COMPARATORS, KINDS, Claim

__all__ = ["CLAIM_FIELDS", "COMPARATORS", "KINDS", "Claim", "extract"]
