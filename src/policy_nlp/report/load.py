"""Reading a run's tables for the report: the CSV files, checked, as typed frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from policy_nlp import tables
from policy_nlp.errors import PolicyNLPError
from policy_nlp.schema import ADDED_COLUMNS, COLUMNS, TRACKING_STATUSES
from policy_nlp.tables import formula_plain

__all__ = ["OPTIONAL_TABLES", "REQUIRED_TABLES", "ReportData", "ReportError", "load_tables"]

# The tables the page is built from (``run`` writes them); without the optional ones, and
# without tracking.csv, their sections say so.
REQUIRED_TABLES = ("documents", "claims")
OPTIONAL_TABLES = ("keywords", "topics", "doc_topics")
# tracking.csv is checked here rather than by ``tables.typed``, so that a bad cell is named
_TRACKING = COLUMNS["tracking"]
_TRACKING_NUMBERS = [c for c, t in _TRACKING.items() if t == "Int64"] + [
    c for c, t in _TRACKING.items() if t == "Float64"
]
# the scorecard's order: by year, then indicator, then where the target is
_TRACKING_ORDER = ["year", "indicator", "target_doc_id", "target_start"]


def _line(row: int) -> int:
    """The line of the CSV file that holds data row ``row`` (0-based, after the header)."""
    return row + 2


class ReportError(PolicyNLPError):
    """A table the report cannot read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class ReportData:
    """The tables a report is built from (``tracking`` is None without tracking.csv)."""

    folder: str
    documents: pd.DataFrame
    claims: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    tracking: pd.DataFrame | None = None

    def read_documents(self) -> pd.DataFrame:
        """The documents that were read (status ``ok``): the rows of per-document charts."""
        return self.documents[self.documents["status"] == "ok"]


# ----------------------------------------------------------------------------- reading


def _header(path: Path) -> list[str]:
    """The column names of the CSV at ``path``."""
    try:
        return list(pd.read_csv(path, encoding="utf-8-sig", nrows=0, dtype=str).columns)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None
    except OSError as exc:
        raise ReportError(path, f"cannot be read ({exc.strerror or exc})") from None


def _read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The CSV at ``path`` as strings, after checking it has ``columns``."""
    header = _header(path)
    added = {c for cols in ADDED_COLUMNS.values() for c in cols}
    missing = [c for c in columns if c not in header and c not in added]
    if missing:
        raise ReportError(path, f"missing column(s) {', '.join(missing)}")
    try:
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None
    # the texts as the documents wrote them (a number never starts with an apostrophe)
    return df.map(formula_plain) if len(df) else df


def _read_tracking(path: Path) -> pd.DataFrame:
    """tracking.csv, checked cell by cell (statuses, numbers) and in the scorecard's order."""
    df = _read_table(path, list(_TRACKING))
    for name in ADDED_COLUMNS["tracking"]:  # a table written before the column existed
        if name not in df.columns:
            df[name] = ""
    df = df[list(_TRACKING)]
    bad = df.index[~df["status"].isin(TRACKING_STATUSES)]
    if len(bad):
        row = int(bad[0])
        raise ReportError(
            path,
            f"row {_line(row)}: status {df.at[row, 'status']!r} is not one of "
            f"{', '.join(TRACKING_STATUSES)}",
        )
    out = df.astype("string")
    for name in _TRACKING_NUMBERS:
        numbers = pd.to_numeric(df[name], errors="coerce")
        bad = df.index[numbers.isna() & (df[name].str.strip() != "")]
        if len(bad):
            row = int(bad[0])
            raise ReportError(
                path, f"row {_line(row)}: {name} {df.at[row, name]!r} is not a number"
            )
        out[name] = numbers.astype(_TRACKING[name])
    return out.sort_values(_TRACKING_ORDER, kind="mergesort", na_position="last").reset_index(
        drop=True
    )


def load_tables(folder: str | Path) -> ReportData:
    """Read the tables of a run's output folder (documents.csv and claims.csv are required)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(folder, "no such folder")
    frames: dict[str, pd.DataFrame] = {}
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in REQUIRED_TABLES:
                raise ReportError(
                    path, "missing; write the tables first: policy-nlp run … --out DIR"
                )
            frames[name] = tables.empty_frame(name)
            continue
        frames[name] = tables.typed(_read_table(path, list(COLUMNS[name])), name)
    tracking_path = folder / "tracking.csv"
    tracking = _read_tracking(tracking_path) if tracking_path.is_file() else None
    return ReportData(folder=str(folder), tracking=tracking, **frames)
