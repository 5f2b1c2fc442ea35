"""Reading a run's tables for the report: the CSV files, checked, as typed frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from policy_nlp import tables
from policy_nlp.errors import PolicyNLPError
from policy_nlp.schema import TRACKING_STATUSES

REQUIRED_TABLES = ("documents", "claims")
OPTIONAL_TABLES = ("keywords", "topics", "doc_topics")
TRACKING_COLUMNS = (
    "target_doc_id", "target_start", "target_end", "target_mention", "indicator", "year",
    "target_value", "target_value_high", "target_comparator", "unit", "achievement_doc_id",
    "achievement_start", "achievement_end", "achievement_mention", "achieved_value", "status",
    "gap",
)  # fmt: skip
TRACKING_INTS = ("target_start", "target_end", "year", "achievement_start", "achievement_end")
TRACKING_FLOATS = ("target_value", "target_value_high", "achieved_value", "gap")
STATUSES = TRACKING_STATUSES


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


# ----------------------------------------------------------------------------- reading


def _header(path: Path) -> list[str]:
    try:
        return list(pd.read_csv(path, encoding="utf-8-sig", nrows=0, dtype=str).columns)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None
    except OSError as exc:
        raise ReportError(path, f"cannot be read ({exc.strerror or exc})") from None


def _read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The CSV at ``path`` as strings, after checking it has ``columns``."""
    missing = [c for c in columns if c not in _header(path)]
    if missing:
        raise ReportError(path, f"missing column(s) {', '.join(missing)}")
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None


def _read_tracking(path: Path) -> pd.DataFrame:
    df = _read_table(path, TRACKING_COLUMNS)[list(TRACKING_COLUMNS)]
    bad = df.index[~df["status"].isin(STATUSES)]
    if len(bad):
        row = int(bad[0])
        raise ReportError(
            path,
            f"row {row + 2}: status {df.at[row, 'status']!r} is not one of {', '.join(STATUSES)}",
        )
    out = df.astype("string")
    for name in TRACKING_INTS + TRACKING_FLOATS:
        numbers = pd.to_numeric(df[name], errors="coerce")
        bad = df.index[numbers.isna() & (df[name].str.strip() != "")]
        if len(bad):
            row = int(bad[0])
            raise ReportError(path, f"row {row + 2}: {name} {df.at[row, name]!r} is not a number")
        out[name] = numbers.astype("Int64" if name in TRACKING_INTS else "Float64")
    return out.sort_values(
        ["year", "indicator", "target_doc_id", "target_start"], kind="mergesort", na_position="last"
    ).reset_index(drop=True)


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
        frames[name] = tables.typed(_read_table(path, list(tables.COLUMNS[name])), name)
    tracking_path = folder / "tracking.csv"
    tracking = _read_tracking(tracking_path) if tracking_path.is_file() else None
    return ReportData(folder=str(folder), tracking=tracking, **frames)
