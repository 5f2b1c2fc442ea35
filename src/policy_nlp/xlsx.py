"""Tables to an Excel workbook: a sheet per table, numbers as numbers and text always as text
(a comparator ``=`` never becomes a formula).

``write_xlsx`` writes frames held in memory; ``write_xlsx_from_csv`` makes the same workbook
from a run's CSV files a chunk at a time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from policy_nlp.atomic import atomic_write
from policy_nlp.errors import OptionError
from policy_nlp.schema import TABLES
from policy_nlp.tables import empty_frame, format_number, from_csv_text, typed

__all__ = ["write_xlsx", "write_xlsx_from_csv"]

# Excel refuses these control characters in cells (openpyxl raises on them); they are replaced.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_TEXT = 32767  # the longest text a cell holds
_WIDTH_SAMPLE = 1000  # rows looked at to size a column
_MIN_WIDTH, _MAX_WIDTH = 6, 60  # column widths, in Excel's units (about one digit each)


def _display_width(text: str) -> int:
    """Width of ``text`` in Excel column units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_text(value) -> str:
    text = "" if value is None or value is pd.NA else str(value)
    return _XLSX_ILLEGAL.sub("\ufffd", text)[:_XLSX_MAX_TEXT]


def _xlsx_rows(df: pd.DataFrame):
    """Per row, per column: (value, kind) with kind ``int``, ``float`` or ``text``."""
    kinds = []
    for name in df.columns:
        dtype = str(df[name].dtype)
        if dtype.startswith(("Int", "int", "UInt", "uint")):
            kinds.append("int")
        elif dtype.startswith(("Float", "float")):
            kinds.append("float")
        else:
            kinds.append("text")
    columns = [df[name].astype("object").tolist() for name in df.columns]
    for values in zip(*columns, strict=True):
        row = []
        for v, kind in zip(values, kinds, strict=True):
            missing = v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
            if kind == "int":
                row.append((None if missing else int(v), kind))
            elif kind == "float":
                row.append((None if missing else float(v), kind))
            else:
                text = "" if missing else _xlsx_text(v)
                row.append((text or None, kind))  # an empty cell, not an empty string
        yield row


def _xlsx_shown(value, kind: str) -> str:
    """The text Excel shows for a cell (to size its column)."""
    if kind == "float" and float(value).is_integer():
        return format(int(value), ",")
    return value if kind == "text" else format_number(value)


def write_xlsx(frames: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write tables into one Excel workbook, a sheet per table (in the given order), atomically.

    Each sheet has a bold, frozen header row and column widths sized to the content (wide
    characters count twice). Integer and float columns are written as numbers (whole values
    with thousands separators, so ``4320000000000`` never shows as ``4.32E+12``); every other
    cell is written as text with its type set explicitly, so ``=``, ``-5%`` or ``#N/A`` stay
    text and are never read as formulas or errors. Characters Excel cannot hold (ASCII
    control characters) become U+FFFD; text beyond Excel's 32767 characters per cell is cut.
    """
    return _write_workbook({name: iter([df]) for name, df in frames.items()}, path)


_XLSX_CHUNK = 20_000  # rows of a CSV table read at a time (at least _WIDTH_SAMPLE)
_SHEET_NAME_MAX = 31  # characters Excel allows in a sheet name
_SHEET_NAME_BAD = re.compile(r"[][:*?/\\]")  # characters Excel refuses in one


def write_xlsx_from_csv(
    folder: str | Path, path: str | Path, names: Sequence[str] = TABLES
) -> Path:
    """``write_xlsx`` of the tables ``<name>.csv`` in ``folder``, read a chunk at a time, so a
    big batch's workbook is written without holding its tables in memory (same workbook)."""
    folder = Path(folder)

    def chunks(name: str) -> Iterator[pd.DataFrame]:
        with pd.read_csv(
            folder / f"{name}.csv",
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            chunksize=max(_XLSX_CHUNK, _WIDTH_SAMPLE),  # the first chunk sizes the columns
        ) as reader:
            empty = True
            for chunk in reader:
                empty = False
                # the texts without the CSV's formula-safe apostrophes (text cells of a
                # workbook are typed as text: never evaluated); the stable sort keeps the order
                yield typed(from_csv_text(chunk, name), name)
            if empty:
                yield empty_frame(name)

    return _write_workbook({name: chunks(name) for name in names}, path)


def _write_workbook(sheets: Mapping[str, Iterator[pd.DataFrame]], path: str | Path) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    for name in sheets:
        if len(name) > _SHEET_NAME_MAX or _SHEET_NAME_BAD.search(name):
            raise OptionError(
                f"{name!r} cannot name an Excel sheet ({_SHEET_NAME_MAX} characters, no []:*?/\\)"
            )
    wb = Workbook(write_only=True)
    for name, chunks in sheets.items():
        _write_sheet(wb.create_sheet(title=name), chunks)
    with atomic_write(path, "wb") as f:
        wb.save(f)
    return path


def _write_sheet(ws, chunks: Iterator[pd.DataFrame]) -> None:
    """One sheet from a table given in chunks (the first sizes the columns)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    ws.freeze_panes = "A2"
    first = True
    n_rows, n_columns = 0, 0
    for df in chunks:
        n_rows, n_columns = n_rows + len(df), len(df.columns)
        rows = _xlsx_rows(df)
        if first:
            first = False
            rows = list(rows)
            for i, col in enumerate(df.columns, start=1):
                width = max(
                    [_display_width(str(col))]
                    + [
                        _display_width(_xlsx_shown(v, k))
                        for v, k in (r[i - 1] for r in rows[:_WIDTH_SAMPLE])
                        if v is not None
                    ]
                )
                ws.column_dimensions[get_column_letter(i)].width = min(
                    _MAX_WIDTH, max(_MIN_WIDTH, width + 2)
                )
            header = []
            for col in df.columns:
                cell = WriteOnlyCell(ws, value=_xlsx_text(col))
                cell.data_type = "s"
                cell.font = bold
                header.append(cell)
            ws.append(header)
        for r in rows:
            cells = []
            for v, kind in r:
                if v is None or kind == "int" or (kind == "float" and not v.is_integer()):
                    cells.append(v)  # numbers and empty cells need no styling
                    continue
                cell = WriteOnlyCell(ws, value=v)
                if kind == "text":
                    cell.data_type = "s"  # set after the value: never a formula or an error code
                else:
                    cell.number_format = "#,##0"
                cells.append(cell)
            ws.append(cells)
    if n_columns:  # filter buttons on the header of every sheet, over all its rows
        ws.auto_filter.ref = f"A1:{get_column_letter(n_columns)}{n_rows + 1}"
