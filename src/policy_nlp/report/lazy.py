"""Lazy tables: a large table of the report travels as compact JSON (each distinct text once)
and the page's script draws one page of rows at a time, so 200 documents' 26,000 claims make a
page of a few MB that opens in seconds, instead of 13 MB of table rows.

A cell is given per column kind: ``text`` (a string id), ``num`` (the number itself when it is
shown as written, else ``[value, string id of the text shown]``; sorted by the value) or
``sentence`` (a string id; the row's mention is marked in it). The JSON holds no ``<`` or
``>`` (written ``\\u003c``, ``\\u003e``), so no text can end or derail its ``<script>`` element;
the script (``data/report.js``) builds the rows with ``textContent``, so no text from a document
is ever parsed as markup; search, the column filters, sorting and the row counter work
on all rows, not only the page shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from policy_nlp.report.markup import esc

__all__ = ["LAZY_ROWS", "PAGE_ROWS", "lazy_table"]

LAZY_ROWS = 2_000  # a table with more rows than this is lazy
PAGE_ROWS = 100  # rows drawn at a time


def _plain(value: float) -> str:
    """How JavaScript's ``String(number)`` writes ``value`` ("" when it might differ: exponents)."""
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    text = repr(f)
    return "" if "e" in text or "inf" in text or "nan" in text else text


class _Strings:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, text: object) -> int:
        s = "" if text is None else str(text)
        return self.ids.setdefault(s, len(self.ids))

    def table(self) -> list[str]:
        return list(self.ids)


def lazy_table(
    table_id: str,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    mention_column: int | None = None,
    extra_class: str = "",
) -> str:
    """A table whose rows the script draws from JSON, with a pager.

    ``rows`` hold per column: a text (``text``, ``sentence``) or ``(value, shown)`` (``num``:
    value None for an empty cell)."""
    strings = _Strings()
    packed = []
    for row in rows:
        cells: list[object] = []
        for kind, cell in zip(kinds, row, strict=True):
            if kind == "num":
                value, shown = cell  # type: ignore[misc]
                if value is None:
                    cells.append(None)
                elif shown == _plain(value):  # the script shows the number as it is
                    cells.append(int(value) if float(value).is_integer() else value)
                else:
                    cells.append([value, strings(shown)])
            else:
                cells.append(strings(cell))
        packed.append(cells)
    payload = json.dumps(
        {"kinds": list(kinds), "mention": mention_column, "strings": strings.table(),
         "rows": packed, "page": PAGE_ROWS},
        ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip
    # no "<" or ">" inside the <script> element: "</script" would end it early and "<!--<script"
    # would make the browser read past its real end (the HTML parser's double-escaped state),
    # swallowing the page; "&" for good measure. JSON.parse reads the escapes back.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    head = "".join(
        f'<th scope="col" class="num">{esc(h[1:])}</th>'
        if h.startswith("#")
        else f"<th>{esc(h)}</th>"
        for h in headers
    )
    cls = " ".join(c for c in ("sortable lazy", extra_class) if c)
    return (
        f'<script type="application/json" id="{table_id}-data">{payload}</script>'
        f'<div class="pager" data-pager-for="{table_id}"><button type="button" data-step="-1">'
        '‹ previous</button> <span class="note"></span> <button type="button" data-step="1">'
        "next ›</button></div>"
        f'<div class="scroll"><table id="{table_id}" class="{cls}" data-lazy="{table_id}-data">'
        f"<thead><tr>{head}</tr></thead><tbody></tbody></table></div>"
    )
