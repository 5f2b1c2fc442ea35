"""A run's tables in the formats researchers load: Parquet, JSON Lines and Stata ``.dta``,
beside the CSV files (``policy-nlp run --format csv,parquet,jsonl,dta,xlsx``).

The CSV files are the run's record (what ``--append``, ``report`` and ``policy_nlp.load`` read),
so they are always written; the other formats are made from them once the run is done, each
file atomically:

- ``<table>.parquet``: the typed tables (nullable ``Int64`` years and offsets, ``Float64``
  values, ``string`` text, categorical ``kind``), read back by ``pandas.read_parquet`` with the
  same dtypes (pyarrow);
- ``<table>.jsonl``: one JSON object per row, numbers written exactly as the CSV holds them
  (``4320000000000``, never an exponent, a ``value`` with all its digits), missing cells
  ``null``, Chinese as it is (UTF-8);
- ``<table>.dta``: Stata 14+ (format 118, UTF-8 text intact), variable labels from the
  columns' descriptions (``policy_nlp.schema.DESCRIPTIONS``), ``kind`` a labelled variable,
  missing numbers Stata's missing ``.``, texts over 2,045 bytes as ``strL``; ``end`` (a word
  Stata reserves) is ``_end``;
- ``tables.xlsx``: the workbook (``policy_nlp.xlsx``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from policy_nlp.atomic import atomic_write
from policy_nlp.errors import OptionError
from policy_nlp.schema import COLUMNS, DESCRIPTIONS, TABLES
from policy_nlp.tables import from_csv_text, typed

__all__ = [
    "FORMATS",
    "output_files",
    "parse_formats",
    "write_dta",
    "write_formats",
    "write_jsonl",
    "write_parquet",
]

FORMATS = ("csv", "xlsx", "parquet", "jsonl", "dta")
XLSX_FILE = "tables.xlsx"
_STATA_STR_MAX = 2045  # bytes of a fixed-width Stata string; longer texts become strL
# Stata's reserved words among the columns (``end``) get a leading underscore, as pandas does
STATA_RENAMED = {"end": "_end"}


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """The formats of a comma list (``"csv,parquet"``), checked, in the given order, CSV first."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip().lower().lstrip(".") for i in items):
        if not item:
            continue
        if item not in FORMATS:
            raise OptionError(f"unknown format {item!r}; choose from {','.join(FORMATS)}")
        if item not in out:
            out.append(item)
    return ("csv", *(f for f in out if f != "csv"))


def output_files(folder: str | Path) -> list[Path]:
    """Every file a run may have written into ``folder`` (tables in any format, the workbook,
    the report) that is there now."""
    folder = Path(folder)
    names = [f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet", "jsonl", "dta")]
    names += [XLSX_FILE, "report.html"]
    return [folder / n for n in names if (folder / n).is_file()]


def _text_table(folder: Path, table: str) -> pd.DataFrame:
    """A table's CSV as text cells (exact numbers), with formula-safe marks removed."""
    path = folder / f"{table}.csv"
    text = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for name in COLUMNS[table]:
        if name not in text:
            text[name] = ""
    return from_csv_text(text[list(COLUMNS[table])], table)


def write_parquet(df: pd.DataFrame, path: str | Path) -> Path:
    """A typed table as Parquet (its pandas dtypes kept), atomically."""
    with atomic_write(path, "wb") as f:
        df.to_parquet(f, index=False, engine="pyarrow")
    return Path(path)


def write_jsonl(text: pd.DataFrame, table: str, path: str | Path) -> Path:
    """A table given as its CSV text cells as JSON Lines: numbers exact, missing cells null."""
    kinds = COLUMNS[table]
    names = list(kinds)
    numeric = [kinds[n] in ("Int64", "Float64") for n in names]
    keys = [json.dumps(n) for n in names]
    columns = [text[n].tolist() for n in names]
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        for row in zip(*columns, strict=True):
            cells = []
            for key, v, is_number in zip(keys, row, numeric, strict=True):
                if v == "":
                    cell = "null"
                elif is_number:
                    cell = v  # the CSV's plain notation is a JSON number, exactly
                else:
                    cell = json.dumps(v, ensure_ascii=False)
                cells.append(f"{key}: {cell}")
            f.write("{" + ", ".join(cells) + "}\n")
    return Path(path)


def _stata_frame(df: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[str]]:
    """The table in types Stata holds: numbers as doubles (missing: ``.``), text as str
    (missing: empty), ``kind`` categorical; and the columns that need ``strL``."""
    out, long_text = {}, []
    for name, dtype in COLUMNS[table].items():
        column = df[name]
        if dtype in ("Int64", "Float64"):
            out[name] = column.astype("float64")
        elif dtype == "category":
            out[name] = column
        else:
            values = column.astype("object").where(column.notna(), "").tolist()
            out[name] = pd.Series(values, dtype="object", index=df.index)
            if any(len(v.encode("utf-8")) > _STATA_STR_MAX for v in values):
                long_text.append(name)
    frame = pd.DataFrame(out, index=df.index).rename(columns=STATA_RENAMED)
    return frame, [STATA_RENAMED.get(n, n) for n in long_text]


def write_dta(df: pd.DataFrame, table: str, path: str | Path) -> Path:
    """A typed table as a Stata 118 file with variable labels, atomically."""
    frame, long_text = _stata_frame(df, table)
    labels = {STATA_RENAMED.get(n, n): d for n, d in DESCRIPTIONS[table].items()}
    with atomic_write(path, "wb") as f:
        frame.to_stata(
            f,
            write_index=False,
            version=118,
            variable_labels=labels,
            data_label=f"policy_nlp {table} table",
            convert_strl=long_text,
        )
    return Path(path)


def write_formats(folder: str | Path, formats: Sequence[str]) -> list[Path]:
    """Write the tables in ``folder`` (its CSV files) in each of ``formats`` beside them."""
    folder = Path(folder)
    written: list[Path] = []
    wanted = set(formats)
    for table in TABLES:
        if not (folder / f"{table}.csv").is_file() or not wanted & {"parquet", "jsonl", "dta"}:
            continue
        text = _text_table(folder, table)
        if "jsonl" in wanted:
            written.append(write_jsonl(text, table, folder / f"{table}.jsonl"))
        if wanted & {"parquet", "dta"}:
            frame = typed(text, table)
            if "parquet" in wanted:
                written.append(write_parquet(frame, folder / f"{table}.parquet"))
            if "dta" in wanted:
                written.append(write_dta(frame, table, folder / f"{table}.dta"))
    if "xlsx" in wanted:
        from policy_nlp.xlsx import write_xlsx_from_csv

        # a sheet per table the run wrote (a run without tracking has no tracking.csv)
        names = [t for t in TABLES if (folder / f"{t}.csv").is_file()]
        written.append(write_xlsx_from_csv(folder, folder / XLSX_FILE, names))
    return written
