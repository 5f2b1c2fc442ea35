"""HTML pieces of the report: escaping, number formats, cells and tables."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

__all__ = [
    "badge", "column", "doc_titles", "esc", "fmt_signed", "fmt_value", "html_table", "is_missing", "num_cell",
    "sentence_cell", "value_range",
]  # fmt: skip


def esc(value: object) -> str:
    """Escaped text for HTML and SVG (every document text goes through here)."""
    return "" if is_missing(value) else html.escape(str(value), quote=True)


def is_missing(value: object) -> bool:
    """An empty cell: None, pandas' NA or NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt_value(value: object) -> str:
    """A number for reading: exact, with thousands separators, no exponent."""
    if is_missing(value):
        return ""
    f = float(value)
    if f.is_integer():
        return format(int(f), ",")
    return format(Decimal(repr(f)), ",f")


def fmt_signed(value: object) -> str:
    """A difference for reading: ``+1,200`` (a leading plus when positive)."""
    if is_missing(value):
        return ""
    return ("+" if float(value) > 0 else "") + fmt_value(value)


def num_cell(value: object, shown: str | None = None) -> str:
    """A numeric table cell: ``shown`` (default the formatted value), sorted by the value."""
    if is_missing(value):
        return '<td class="num"></td>'
    return (
        f'<td class="num" data-v="{esc(repr(float(value)))}">{esc(shown or fmt_value(value))}</td>'
    )


def html_table(
    table_id: str,
    headers: Sequence[str],
    rows: Sequence[str],
    *,
    sortable: bool = True,
    extra_class: str = "",
) -> str:
    """A table from column headers (``#`` before a numeric one) and rendered rows."""
    cls = " ".join(c for c in ("sortable" if sortable else "", extra_class) if c)
    head = "".join(
        f'<th scope="col" class="num">{esc(h[1:])}</th>'
        if h.startswith("#")
        else f"<th>{esc(h)}</th>"
        for h in headers
    )
    return (
        f'<table id="{table_id}" class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def column(headers: Sequence[str], name: str) -> int:
    """The index of column ``name`` among ``headers`` (numeric or not), for a filter's data-col."""
    return [h.removeprefix("#") for h in headers].index(name)


def badge(value: str) -> str:
    """A status as a coloured label (the stylesheet colours it by its class)."""
    return f'<span class="badge {esc(value)}">{esc(value)}</span>' if value else ""


def value_range(value: object, high: object, unit: object) -> str:
    """A value or a range with its unit: ``4.5–5 %``."""
    if is_missing(value):
        return ""
    text = fmt_value(value)
    if not is_missing(high):
        text += f"–{fmt_value(high)}"
    return f"{text} {unit}".strip() if not is_missing(unit) else text


def sentence_cell(sentence: str, mention: str) -> str:
    """The sentence with the mention's first occurrence marked (both escaped)."""
    at = sentence.find(mention) if mention else -1
    if at < 0:
        return f'<td class="sentence">{esc(sentence)}</td>'
    return (
        f'<td class="sentence">{esc(sentence[:at])}<mark>{esc(mention)}</mark>'
        f"{esc(sentence[at + len(mention) :])}</td>"
    )


def doc_titles(documents) -> dict[str, str]:
    """doc_id -> the title with its issuer and year (``政府工作报告 · 国务院 · 2024``), so
    documents with the same title (every 政府工作报告) can be told apart."""
    out = {}
    for r in documents.itertuples(index=False):
        parts = [str(r.title or "")]
        if not is_missing(r.issuer) and r.issuer and str(r.issuer) not in parts[0]:
            parts.append(str(r.issuer))
        if not is_missing(r.year) and str(int(r.year)) not in parts[0]:
            parts.append(str(int(r.year)))
        out[r.doc_id] = " · ".join(p for p in parts if p)
    return out
