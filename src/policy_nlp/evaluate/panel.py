"""Score a panel table against a hand-made reference (``tests/data/panel/<chain>/reference.csv``).

The reference has one row per (region_code, year, indicator) an analyst filled: the target
(``target_value``, ``target_value_high``, ``target_comparator``), the ``achieved_value`` and the
``status`` (empty where the row holds no target). Only annual rows of the panel are compared.

Cells: each reference row's target (value, high end and comparator together), achieved value and
status, where the reference fills them or the panel does; a cell is right when both agree (values
within 1e-6 relative). A **false link** is a panel achievement the reference does not hold
(a value where the analyst found none, or a different one); a **missed** cell is a reference value
the panel lacks. Rows of the panel outside the reference's (region, indicator) pairs are counted
apart (``extra_rows``), not scored.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from policy_nlp.errors import TableError
from policy_nlp.tracking.facts import cell_float

__all__ = ["REFERENCE_COLUMNS", "score_panel"]

REFERENCE_COLUMNS = (
    "region_code", "year", "indicator", "target_value", "target_value_high",
    "target_comparator", "achieved_value", "status",
)  # fmt: skip


def _text(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()  # a formula-safe cell (" =") reads as its value


def _eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _read(path: str | Path, what: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError) as exc:
        raise TableError(f"{path}: cannot read the {what} ({exc})") from None
    missing = [c for c in REFERENCE_COLUMNS if c not in df.columns]
    if missing:
        raise TableError(f"{path}: the {what} lacks column(s) {', '.join(missing)}")
    return df


def score_panel(reference: str | Path, panel: str | Path | pd.DataFrame) -> dict:
    """Scores of a panel (a ``panel.csv`` path or frame) against a reference CSV.

    Returns cells, cells_right, share_right, the same per field (target, achieved, status),
    false_links, missed, extra_rows and the wrong cells (``errors``: one dict each).
    """
    ref = _read(reference, "reference")
    if isinstance(panel, pd.DataFrame):
        pan = panel.astype("object").where(panel.notna(), "")
    else:
        pan = _read(panel, "panel")
    if "horizon" in pan.columns:
        pan = pan[pan["horizon"].astype(str).isin(["annual", ""])]

    def k(r: dict) -> tuple[str, int, str]:
        return (_text(r["region_code"]), int(float(r["year"])), _text(r["indicator"]))

    got = {k(r): r for r in pan.to_dict("records")}
    want = {k(r): r for r in ref.to_dict("records")}
    pairs = {(rc, ind) for rc, _, ind in want}
    per = {f: [0, 0] for f in ("target", "achieved", "status")}
    errors: list[dict] = []
    false_links = missed = 0
    for cell in sorted(set(want) | {c for c in got if (c[0], c[2]) in pairs}):
        w, g = want.get(cell, {}), got.get(cell, {})
        w_t = (cell_float(w.get("target_value")), cell_float(w.get("target_value_high")))
        g_t = (cell_float(g.get("target_value")), cell_float(g.get("target_value_high")))
        w_c, g_c = _text(w.get("target_comparator")), _text(g.get("target_comparator"))
        fields = {
            "target": (
                (w_t, w_c if w_t[0] is not None else ""),
                (g_t, g_c if g_t[0] is not None else ""),
                w_t[0] is not None or g_t[0] is not None,
            ),
            "achieved": (
                cell_float(w.get("achieved_value")),
                cell_float(g.get("achieved_value")),
                cell_float(w.get("achieved_value")) is not None
                or cell_float(g.get("achieved_value")) is not None,
            ),
            "status": (
                _text(w.get("status")),
                _text(g.get("status")),
                bool(_text(w.get("status")) or _text(g.get("status"))),
            ),
        }
        for name, (a, b, counted) in fields.items():
            if not counted:
                continue
            per[name][0] += 1
            if name == "target":
                ok = _eq(a[0][0], b[0][0]) and _eq(a[0][1], b[0][1]) and a[1] == b[1]
            elif name == "achieved":
                ok = _eq(a, b)
                if not ok and b is not None:
                    false_links += 1
                if not ok and a is not None and b is None:
                    missed += 1
            else:
                ok = a == b
            if ok:
                per[name][1] += 1
            else:
                errors.append(
                    {"cell": "/".join(map(str, cell)), "field": name, "want": a, "got": b}
                )
    cells = sum(n for n, _ in per.values())
    right = sum(r for _, r in per.values())
    extra = sum(1 for c in got if (c[0], c[2]) not in pairs)
    return {
        "cells": cells,
        "cells_right": right,
        "share_right": right / cells if cells else 1.0,
        **{f"{f}_right": f"{r}/{n}" for f, (n, r) in per.items()},
        "false_links": false_links,
        "missed": missed,
        "extra_rows": extra,
        "errors": errors,
    }
