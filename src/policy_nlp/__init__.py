"""policy_nlp: Chinese policy documents to tables of numeric claims, keywords and topics.

>>> import policy_nlp
>>> df = policy_nlp.extract_claims("到2024年全市数字经济核心产业产值超过2.6万亿元。")
>>> row = df.iloc[0]
>>> row["mention"], float(row["value"]), row["unit"], row["comparator"], row["kind"], int(row["year"])
('2.6万亿元', 2600000000000.0, '元', '>', 'target', 2024)

Public API (imported lazily, so ``import policy_nlp`` is cheap):
``extract_claims(text, year=None)`` -> DataFrame; ``tokenize(text)`` -> list[str];
``run(paths, out=None, ...)`` -> Result with typed DataFrames and ``to_csv``;
``Claim``, the record behind every claims row.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
__all__ = ["Claim", "Result", "__version__", "extract_claims", "run", "tokenize"]

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from policy_nlp.batch.runner import Result, run
    from policy_nlp.claims.extractor import Claim


def extract_claims(
    text: str, year: int | None = None, *, doc_id: str = "", doc_type: str | None = None
) -> pd.DataFrame:
    """Numeric claims of ``text`` as a typed DataFrame (the claims table's columns).

    ``year`` is the document's own year (relative years such as 今年 resolve against it);
    when None it is read from the text's header if there is one. ``doc_type`` likewise.
    """
    from policy_nlp.claims.extractor import extract
    from policy_nlp.read.document import header_metadata
    from policy_nlp.tables import claims_frame

    meta = header_metadata(text)
    return claims_frame(
        extract(
            text,
            doc_id=doc_id,
            year=year if year is not None else meta["year"],
            doc_type=doc_type if doc_type is not None else meta["doc_type"],
            title=meta["title"],
        )
    )


def tokenize(text: str, *, backend: str = "rjieba", keep_stopwords: bool = False) -> list[str]:
    """Policy-tuned tokens of ``text`` (content tokens unless ``keep_stopwords``)."""
    from policy_nlp.tokens import tokenize as _tokenize

    return _tokenize(text, backend=backend, keep_stopwords=keep_stopwords)


def __getattr__(name: str):
    if name == "run":
        from policy_nlp.batch.runner import run

        return run
    if name == "Result":
        from policy_nlp.batch.runner import Result

        return Result
    if name == "Claim":
        from policy_nlp.claims.extractor import Claim

        return Claim
    raise AttributeError(f"module 'policy_nlp' has no attribute {name!r}")
