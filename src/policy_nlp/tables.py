"""Records to typed pandas tables, and tables to files that Excel opens correctly.

Every table has a fixed column order and dtypes (nullable ``Int64`` years, ``Float64``
values, a categorical ``kind``), rows sorted deterministically. CSV files are UTF-8 with a
BOM (Excel detects the encoding) and are written atomically: a temporary file in the same
folder, then a rename, so a run killed at any moment leaves each table as it was or complete.
Values are written in plain notation (``4320000000000``, never ``4.32e12`` or ``…9995``).
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pandas as pd

from policy_nlp.claims import CLAIM_FIELDS, KINDS, Claim

__all__ = [
    "COLUMNS",
    "TABLES",
    "atomic_write",
    "claims_frame",
    "empty_frame",
    "read_csv_table",
    "typed",
    "write_csv",
]

# Column name -> dtype, per table, in output order.
COLUMNS: dict[str, dict[str, str]] = {
    "claims": {
        "doc_id": "string", "start": "Int64", "end": "Int64", "mention": "string",
        "value": "Float64", "value_high": "Float64", "unit": "string", "comparator": "string",
        "kind": "category", "year": "Int64", "change": "string", "indicator": "string",
        "sentence": "string",
    },
    "documents": {
        "doc_id": "string", "path": "string", "status": "string", "error": "string",
        "title": "string", "issuer": "string", "date": "string", "year": "Int64",
        "doc_type": "string", "encoding": "string", "chars": "Int64", "n_claims": "Int64",
        "sha256": "string",
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
        "status": "string", "gap": "Float64",
    },
}  # fmt: skip
COLUMNS["targets"] = COLUMNS["claims"]
COLUMNS["achievements"] = COLUMNS["claims"]
TABLES = (
    "claims", "targets", "achievements", "documents", "keywords", "topics", "doc_topics",
    "tracking",
)  # fmt: skip
SORT_KEYS = {
    "claims": ["doc_id", "start", "end"],
    "targets": ["doc_id", "start", "end"],
    "achievements": ["doc_id", "start", "end"],
    "documents": ["doc_id"],
    "keywords": ["doc_id", "rank"],
    "topics": ["topic_id", "rank"],
    "doc_topics": ["doc_id", "topic_id"],
    "tracking": ["target_doc_id", "target_start", "target_end"],
}
assert tuple(COLUMNS["claims"]) == CLAIM_FIELDS


def _cast(series: pd.Series, dtype: str, name: str) -> pd.Series:
    if dtype == "category" and name == "kind":
        return pd.Categorical(series.astype("object"), categories=list(KINDS))
    if dtype == "Float64":
        return pd.to_numeric(series.map(_to_float), errors="coerce").astype("Float64")
    if dtype == "Int64":
        return pd.to_numeric(
            series.map(lambda v: None if v is None or v == "" else v), errors="coerce"
        ).astype("Int64")
    return series.map(
        lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    ).astype("string")


def _to_float(v):
    if v is None or v is pd.NA or v == "":
        return None
    if isinstance(v, Decimal):
        return float(v)
    return float(v)


def empty_frame(table: str) -> pd.DataFrame:
    """A table with its columns and dtypes and no rows."""
    return typed(pd.DataFrame(columns=list(COLUMNS[table])), table)


def typed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table with its columns in order, each cast to its dtype, rows sorted."""
    cols = COLUMNS[table]
    out = pd.DataFrame(
        {
            name: _cast(
                df[name] if name in df else pd.Series([None] * len(df), dtype="object"), dtype, name
            )
            for name, dtype in cols.items()
        }
    )
    if len(out):
        out = out.sort_values(SORT_KEYS[table], kind="mergesort", na_position="last").reset_index(
            drop=True
        )
    return out


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """The claims table from ``Claim`` records."""
    rows = [c.to_dict() for c in claims]
    if not rows:
        return empty_frame("claims")
    return typed(pd.DataFrame(rows, columns=list(CLAIM_FIELDS)), "claims")


# ----------------------------------------------------------------------------- writing


def _fmt_number(v) -> str:
    """Shortest exact text for a float: integers without ``.0``, no exponent."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    f = float(v)
    if f.is_integer() and abs(f) < 1e21:
        return str(int(f))
    text = repr(f)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _for_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for name in out.columns:
        if str(out[name].dtype) == "Float64":
            out[name] = out[name].map(_fmt_number).astype("object")
        elif str(out[name].dtype) == "Int64":
            out[name] = out[name].map(lambda v: "" if v is pd.NA else str(int(v))).astype("object")
        else:
            out[name] = out[name].astype("object").where(out[name].notna(), "")
    return out


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs):
    """Open a temporary file next to ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a table is as readable as any file
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_csv(df: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write a table as CSV (UTF-8 with BOM by default), atomically; returns the path."""
    path = Path(path)
    with atomic_write(path, "w", encoding=encoding, newline="") as f:
        _for_csv(df).to_csv(f, index=False, lineterminator="\r\n")
    return path


def read_csv_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read a table this module wrote back into its typed form (for ``--append`` and reports)."""
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return typed(df, table)
