"""HTML pieces of the report: escaping, number formats, cells and tables."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd


def _e(value) -> str:
    """Escaped text for HTML and SVG (every document text goes through here)."""
    return "" if _missing(value) else html.escape(str(value), quote=True)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _fmt_value(value) -> str:
    """A number for reading: exact, with thousands separators, no exponent."""
    if _missing(value):
        return ""
    f = float(value)
    if f.is_integer():
        return format(int(f), ",")
    return format(Decimal(repr(f)), ",f")


def _fmt_signed(value) -> str:
    if _missing(value):
        return ""
    return ("+" if float(value) > 0 else "") + _fmt_value(value)


def _num_cell(value, shown: str | None = None) -> str:
    if _missing(value):
        return '<td class="num"></td>'
    return (
        f'<td class="num" data-v="{_e(repr(float(value)))}">{_e(shown or _fmt_value(value))}</td>'
    )


def _table(
    table_id: str,
    headers: str,
    rows: Sequence[str],
    *,
    sortable: bool = True,
    extra_class: str = "",
) -> str:
    """A table from headers (``|``-separated, ``#`` before a numeric one) and rendered rows."""
    cls = " ".join(c for c in ("sortable" if sortable else "", extra_class) if c)
    head = "".join(
        f'<th scope="col" class="num">{_e(h[1:])}</th>'
        if h.startswith("#")
        else f"<th>{_e(h)}</th>"
        for h in headers.split("|")
    )
    return (
        f'<table id="{table_id}" class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _badge(value: str) -> str:
    return f'<span class="badge {_e(value)}">{_e(value)}</span>' if value else ""


def _value_range(value, high, unit) -> str:
    if _missing(value):
        return ""
    text = _fmt_value(value)
    if not _missing(high):
        text += f"–{_fmt_value(high)}"
    return f"{text} {unit}".strip() if not _missing(unit) else text


def _sentence_cell(sentence: str, mention: str) -> str:
    """The sentence with the mention's first occurrence marked (both escaped)."""
    at = sentence.find(mention) if mention else -1
    if at < 0:
        return f'<td class="sentence">{_e(sentence)}</td>'
    return (
        f'<td class="sentence">{_e(sentence[:at])}<mark>{_e(mention)}</mark>'
        f"{_e(sentence[at + len(mention) :])}</td>"
    )
