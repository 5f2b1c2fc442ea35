"""Records to typed pandas tables, and tables to files that Excel opens correctly.

Every table has a fixed column order and dtypes (nullable ``Int64`` years, ``Float64``
values, a categorical ``kind``), rows sorted deterministically. CSV files are UTF-8 with a
BOM (Excel detects the encoding) and are written atomically: a temporary file in the same
folder, then a rename, so a run killed at any moment leaves each table as it was or complete.
Values are written in plain notation (``4320000000000``, never ``4.32e12`` or ``…9995``).
Workbooks are written by ``policy_nlp.xlsx``.

``csv_text`` writes rows as those CSV files hold them without building a DataFrame (the same
bytes), for tables written document by document (``policy_nlp.batch.spill``).

Formula-safe: a spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (OWASP's CSV-injection list), and file names, sentences and
indicators come from untrusted documents. Every *text* cell that would start so is written
with an apostrophe in front (``'=HYPERLINK(…)``, and the comparator ``=`` as ``'=``): Excel
and LibreOffice show it as text and never evaluate it. A text that already starts with
apostrophes before such a character gets one more, so the rule is reversible, and
``read_csv_table`` (``policy_nlp.load``, ``--append``, the report, the workbook) removes
exactly the one added: the values read back are the originals. Numbers (values, years,
offsets, gaps; ``-0.7`` too) are numbers to a spreadsheet and are written as they are.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, getcontext
from operator import itemgetter
from pathlib import Path

import pandas as pd

from policy_nlp.atomic import atomic_write
from policy_nlp.schema import CLAIM_FIELDS, COLUMNS, KINDS, SORT_KEYS, TABLES, Claim

__all__ = [
    "BOM",
    "COLUMNS",
    "FORMULA_STARTS",
    "INTEGER_TEXT_LIMIT",
    "TABLES",
    "as_text",
    "claims_frame",
    "csv_header",
    "csv_lines",
    "csv_text",
    "empty_frame",
    "format_number",
    "formula_plain",
    "formula_safe",
    "from_csv_text",
    "read_csv_table",
    "sort_rows",
    "typed",
    "write_csv",
    "write_text_table",
]


def _cast(series: pd.Series, dtype: str, name: str) -> pd.Series:
    if dtype == "category" and name == "kind":
        return pd.Categorical(series.astype("object"), categories=list(KINDS))
    # list comprehensions over plain values: several times faster than Series.map on big tables
    values = series.tolist()
    if dtype == "Float64":
        return pd.Series(
            pd.array([_to_float(v) for v in values], dtype="Float64"), index=series.index
        )
    if dtype == "Int64":
        ints = [None if _missing(v) else v for v in values]
        return pd.to_numeric(
            pd.Series(ints, index=series.index, dtype="object"), errors="coerce"
        ).astype("Int64")
    strings = ["" if _missing(v) else v if isinstance(v, str) else str(v) for v in values]
    return pd.Series(pd.array(strings, dtype="string"), index=series.index)


def _missing(v) -> bool:
    return (
        v is None
        or v is pd.NA
        or (isinstance(v, float) and math.isnan(v))
        or (isinstance(v, str) and v == "")
    )


def _to_float(v):
    if _missing(v):
        return None
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


# ----------------------------------------------------------------------------- formula-safe text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet evaluate a cell
# The neutralising mark is a space: a cell starting with one is text to Excel and LibreOffice,
# and any reader that trims whitespace (pandas .str.strip(), the shared score_claims.py) gets
# the value back as it was; an apostrophe would stay in such readers' values.
_QUOTE = " "
_RISKY_FIRST = frozenset("=+-@\t\r ")  # a cell starting otherwise is written as it is


def formula_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet evaluates: a space in front when it starts (after
    any spaces) with one of ``FORMULA_STARTS``."""
    if text and text[0] in _RISKY_FIRST and text.lstrip(_QUOTE).startswith(FORMULA_STARTS):
        return _QUOTE + text
    return text


def formula_plain(cell: str) -> str:
    """The text ``formula_safe`` made ``cell`` from (its inverse)."""
    if cell[:1] == _QUOTE and cell[1:].lstrip(_QUOTE).startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def from_csv_text(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table read from its CSV as text, with the spaces ``formula_safe`` added removed from
    its text columns."""
    text_columns = [n for n, dtype in COLUMNS[table].items() if dtype == "string" and n in df]
    if not len(df):
        return df
    out = df.copy()
    for name in text_columns:
        out[name] = [formula_plain(v) if isinstance(v, str) else v for v in out[name].tolist()]
    return out


# ----------------------------------------------------------------------------- writing


# Whole floats below this are written as their exact integer (``str(int(f))``); from here up,
# as their shortest repr's digits in plain notation (1e21 is where JavaScript's number-to-text
# switches to exponents). Changing it changes the bytes of the tables.
INTEGER_TEXT_LIMIT = 1e21


def format_number(v: object) -> str:
    """Shortest exact text for a float: integers without ``.0``, no exponent (empty when
    missing): how the CSV files and the workbook's column widths write a number."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    f = float(v)
    if f.is_integer() and abs(f) < INTEGER_TEXT_LIMIT:
        return str(int(f))
    text = repr(f)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _for_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name in df.columns:
        column = df[name]
        dtype = str(column.dtype)
        if dtype == "Float64":
            values = column.astype("object").tolist()
            out[name] = [format_number(v) for v in values]
        elif dtype == "Int64":
            values = column.astype("object").tolist()
            out[name] = ["" if v is pd.NA else str(int(v)) for v in values]
        elif dtype == "string":
            values = column.astype("object").where(column.notna(), "").tolist()
            out[name] = [formula_safe(v) for v in values]
        else:
            out[name] = column.astype("object").where(column.notna(), "").tolist()
    return pd.DataFrame(out, columns=df.columns, index=df.index)


def write_csv(df: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write a table as CSV (UTF-8 with BOM by default), atomically; returns the path."""
    return write_text_table(_for_csv(df), path, encoding=encoding)


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """The table as the text its CSV holds (exact numbers, empty cells for missing values)."""
    return _for_csv(df)


def write_text_table(text: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write a table already turned into text (``as_text``) as CSV, atomically."""
    path = Path(path)
    with atomic_write(path, "w", encoding=encoding, newline="") as f:
        text.to_csv(f, index=False, lineterminator="\r\n")
    return path


def write_lines(table: str, lines: Iterable[str], path: str | Path) -> Path:
    """Write CSV lines of ``table`` (``csv_lines``) under its header, UTF-8 with BOM, atomically."""
    path = Path(path)
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(csv_header(table))
        f.writelines(lines)
    return path


# ----------------------------------------------------------------------------- rows as text
# The same cells as ``typed`` then ``write_csv`` give, one row at a time, without a DataFrame:
# for tables written document by document (``policy_nlp.batch.spill``). tests/test_tables.py checks
# that both ways give the same bytes.

BOM = "\ufeff"  # what the utf-8-sig encoding puts first


def _int_cell(v) -> str:
    if type(v) is int:  # the common case first: these run for every cell of a big batch
        return str(v)
    return "" if _missing(v) else str(int(v))


def decimal_text(d: Decimal) -> str:
    """A ``Decimal`` in plain notation, exactly, without trailing zeros (``4.32E+12`` →
    ``4320000000000``, ``12345678901234567`` as it is: no float in between)."""
    if not d.is_finite():
        return ""
    text = str(d)
    # the common case (6.5, 2020, -0.7): its own text is already plain, without trailing
    # zeros and short enough that normalize would not round it; str is much cheaper than
    # normalize and format
    if (
        "E" not in text
        and "e" not in text
        and ("." not in text or text[-1] != "0")
        and len(text) <= getcontext().prec
    ):
        return "0" if text == "-0" else text
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _float_cell(v) -> str:
    if type(v) is Decimal:
        return decimal_text(v)
    if type(v) is float and v == v:
        return str(int(v)) if v.is_integer() and abs(v) < INTEGER_TEXT_LIMIT else format_number(v)
    return "" if _missing(v) else format_number(float(v))


def _plain_str(v) -> str:
    if type(v) is str:
        return v
    return "" if _missing(v) else str(v)


def _str_cell(v) -> str:
    if type(v) is str:
        return formula_safe(v) if v and v[0] in _RISKY_FIRST else v
    return "" if _missing(v) else formula_safe(str(v))


def _kind_cell(v) -> str:
    return v if isinstance(v, str) and v in KINDS else ""


def _cells(table: str) -> list[Callable[[object], str]]:
    by_dtype = {"Int64": _int_cell, "Float64": _float_cell, "string": _str_cell}
    return [
        _kind_cell if dtype == "category" else by_dtype[dtype] for dtype in COLUMNS[table].values()
    ]


# a string cell starting otherwise is written as it is (``formula_safe`` leaves it)
_RISKY_STARTS = tuple(_RISKY_FIRST)
_KIND_SET = frozenset(KINDS)


def _column_text(cell: Callable[[object], str], values: Sequence) -> list[str]:
    """``cell`` of each value of a column. The common cells (a str that needs no mark, an
    int) are written inline: a call per cell costs more than formatting it."""
    if cell is _str_cell:
        return [
            v if type(v) is str and not v.startswith(_RISKY_STARTS) else _str_cell(v)
            for v in values
        ]
    if cell is _int_cell:
        return [str(v) if type(v) is int else _int_cell(v) for v in values]
    if cell is _float_cell:  # the claims' values are exact Decimals
        return [decimal_text(v) if type(v) is Decimal else _float_cell(v) for v in values]
    if cell is _kind_cell:
        return [v if type(v) is str and v in _KIND_SET else _kind_cell(v) for v in values]
    return [cell(v) for v in values]


def _text_rows(table: str, rows: Iterable[Sequence]) -> Iterable[tuple[str, ...]]:
    """``rows`` as their cells' text, formatted a column at a time (see ``_column_text``)."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return []
    cells = _cells(table)
    columns = list(zip(*rows, strict=True))  # strict: every row as long as the first
    if len(columns) != len(cells):
        raise ValueError(f"{table} rows have {len(columns)} cells, not {len(cells)}")
    return zip(*(_column_text(f, col) for f, col in zip(cells, columns, strict=True)), strict=True)


def csv_header(table: str) -> str:
    """The header line of a table's CSV file (no BOM)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(COLUMNS[table])
    return buf.getvalue()


def csv_text(table: str, rows: Iterable[Sequence]) -> str:
    """CSV lines of ``rows`` (tuples in the table's column order, as the pipeline builds them),
    each cell as ``write_csv`` writes the typed table; rows are written in the order given."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(_text_rows(table, rows))
    return buf.getvalue()


def csv_lines(table: str, rows: Iterable[Sequence]) -> list[str]:
    """``csv_text`` row by row: one CSV line (record) per row, to pick subsets from."""
    buf = io.StringIO()
    write = csv.writer(buf, lineterminator="\r\n").writerow
    lengths = [write(row) for row in _text_rows(table, rows)]
    text, out, pos = buf.getvalue(), [], 0
    for n in lengths:
        out.append(text[pos : pos + n])
        pos += n
    return out


def _sort_cell(dtype: str) -> Callable[[object], tuple]:
    if dtype == "Int64":  # missing values last, as typed sorts them
        return lambda v: (1, 0) if _missing(v) else (0, int(v))
    if dtype == "Float64":
        return lambda v: (1, 0.0) if _missing(v) else (0, float(v))
    return lambda v: (0, _plain_str(v))


# key cells of these plain types sort as themselves: no missing value to put last
_PLAIN_KEY_TYPES = {"Int64": int, "string": str}


def sort_rows(table: str, rows: Iterable[Sequence]) -> list[Sequence]:
    """``rows`` in the order ``typed`` puts them (its sort keys, stable, missing values last)."""
    names, kinds = list(COLUMNS[table]), COLUMNS[table]
    rows = list(rows)
    at = [names.index(k) for k in SORT_KEYS[table]]
    plain = [(i, _PLAIN_KEY_TYPES.get(kinds[k])) for i, k in zip(at, SORT_KEYS[table], strict=True)]
    # the common case (every key cell an int or a str, as the pipeline's rows are): the cells
    # themselves order the rows as the general keys below do, without a tuple per cell
    if all(t is not None for _, t in plain) and all(
        type(row[i]) is t for row in rows for i, t in plain
    ):
        return sorted(rows, key=itemgetter(*at))
    keys = [(i, _sort_cell(kinds[k])) for i, k in zip(at, SORT_KEYS[table], strict=True)]
    return sorted(rows, key=lambda row: tuple(f(row[i]) for i, f in keys))


def read_csv_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read a table this module wrote back into its typed form (for ``--append`` and reports)."""
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return typed(from_csv_text(df, table), table)
