"""policy_nlp: Chinese policy documents to tables of numeric claims, keywords and topics.

>>> import policy_nlp
>>> df = policy_nlp.extract_claims("到2024年全市数字经济核心产业产值超过2.6万亿元。")
>>> row = df.iloc[0]
>>> row["mention"], float(row["value"]), row["unit"], row["comparator"], row["kind"], int(row["year"])
('2.6万亿元', 2600000000000.0, '元', '>', 'target', 2024)

Public API (imported lazily, so ``import policy_nlp`` is cheap):

- ``extract_claims(text, year=None)`` -> DataFrame of claims; ``Claim``, the record behind a row
- ``tokenize(text)`` -> every policy-tuned token (``drop_stopwords=True``: content tokens)
- ``run(paths)`` -> ``Result`` (typed DataFrames, ``to_csv``, ``to_excel``);
  ``write_tables(paths, out)`` the same tables streamed to files; ``load(folder)`` -> ``Result``
- ``track(claims, documents)`` -> the tracking table (targets linked to achievements)
- ``write_report(folder)`` -> ``folder/report.html``
- ``PolicyNLPError``, the base of every error the package raises on purpose
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from policy_nlp.version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())


# public name -> the module that defines it (imported on first use)
_LAZY = {
    "Claim": "policy_nlp.schema",
    "PolicyNLPError": "policy_nlp.errors",
    "Result": "policy_nlp.batch.result",
    "load": "policy_nlp.batch.result",
    "run": "policy_nlp.batch.runner",
    "track": "policy_nlp.tracking",
    "write_report": "policy_nlp.report.page",
    "write_tables": "policy_nlp.batch.runner",
}
__all__ = [
    "Claim",
    "PolicyNLPError",
    "Result",
    "__version__",
    "extract_claims",
    "load",
    "run",
    "tokenize",
    "track",
    "write_report",
    "write_tables",
]

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from policy_nlp.batch.result import Result, load
    from policy_nlp.batch.runner import run, write_tables
    from policy_nlp.errors import PolicyNLPError
    from policy_nlp.report.page import write_report
    from policy_nlp.schema import Claim
    from policy_nlp.tracking import track


def extract_claims(
    text: str, year: int | None = None, *, doc_id: str = "", doc_type: str | None = None
) -> pd.DataFrame:
    """Numeric claims of ``text`` as a typed DataFrame (the claims table's columns).

    ``year`` is the document's own year (relative years such as 今年 resolve against it);
    when None it is read from the text's header if there is one. ``doc_type`` likewise.
    """
    from policy_nlp.claims import extract
    from policy_nlp.read import header_metadata
    from policy_nlp.tables import claims_frame

    header = header_metadata(text)
    return claims_frame(
        extract(
            text,
            doc_id=doc_id,
            year=year if year is not None else header.year,
            doc_type=doc_type if doc_type is not None else header.doc_type,
            title=header.title,
        )
    )


def tokenize(
    text: str,
    *,
    backend: str = "rjieba",
    drop_stopwords: bool = False,
    keep_stopwords: bool | None = None,
) -> list[str]:
    """Policy-tuned tokens of ``text``: every token, so ``"".join(tokenize(text)) == text``;
    ``drop_stopwords=True`` the content tokens only (``keep_stopwords``: the old name, inverted)."""
    from policy_nlp import tokens

    return tokens.tokenize(
        text, backend=backend, drop_stopwords=drop_stopwords, keep_stopwords=keep_stopwords
    )


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups skip this hook
        return value
    raise AttributeError(f"module 'policy_nlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
