"""Official outcomes (``--outcomes FILE``): a user's CSV of achieved values that settle targets the
reports never restate (spec/panel.md, "Outcomes from official statistics").

Columns ``region_code`` (or ``region``, a division's name), ``year``, ``indicator`` (a code of
``data/indicators.tsv``), ``value`` and optional ``unit`` (the code's canonical unit when empty;
万/亿 multiples such as 万人, 亿元, 万吨 are multiplied out). UTF-8 with or without BOM. A bad row
is reported with its line number and skipped; it never stops the run.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from policy_nlp.errors import ModelError, OptionError
from policy_nlp.regions import find_region, region
from policy_nlp.tracking.headline import headline, signed_value

__all__ = ["OUTCOME_COLUMNS", "read_outcomes"]

OUTCOME_COLUMNS = ("region_code", "year", "indicator", "value")
_MULTIPLES = {"万": 1e4, "亿": 1e8, "万亿": 1e12}


def _unit_factor(unit: str, canonical: str) -> float | None:
    """The factor from ``unit`` to the canonical unit, None when they do not agree."""
    if unit in ("", canonical):
        return 1.0
    for prefix, factor in sorted(_MULTIPLES.items(), key=lambda kv: -len(kv[0])):
        if unit.startswith(prefix):
            rest = _unit_factor(unit[len(prefix) :], canonical)
            return None if rest is None else factor * rest
    if canonical == "斤" and unit == "吨":
        return 2000.0
    if canonical == "人" and unit == "人":
        return 1.0
    return None


def read_outcomes(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """The outcomes file as a frame (region_code, year, indicator, value) and the problems
    found, one message per bad row naming the file and its line (``OptionError`` only when the
    file cannot be read or lacks a needed column)."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"--outcomes {p}: cannot read it as UTF-8 text ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in ("year", "indicator", "value") if c not in header]
    if "region_code" not in header and "region" not in header:
        missing.insert(0, "region_code (or region)")
    if missing:
        raise OptionError(f"--outcomes {p}: missing column(s) {', '.join(missing)}")
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(_row(row))
        except ValueError as exc:
            problems.append(f"{p}:{line}: {exc}; row skipped")
    frame = pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))
    return frame, problems


def _row(row: dict) -> tuple[str, int, str, float]:
    get = {k: (v or "").strip() for k, v in row.items() if k}
    code = get.get("region_code", "")
    if code:
        if region(code) is None:
            raise ValueError(f"unknown region_code {code!r}")
    else:
        r = find_region(get.get("region", ""))
        if r is None:
            raise ValueError(f"unknown region {get.get('region', '')!r}")
        code = r.code
    try:
        year = int(get.get("year", ""))
    except ValueError:
        raise ValueError(f"year {get.get('year', '')!r} is not a year") from None
    indicator = get.get("indicator", "")
    try:
        h = headline(indicator)
    except ModelError:
        raise ValueError(f"unknown indicator {indicator!r}") from None
    try:
        value = float(get.get("value", ""))
    except ValueError:
        raise ValueError(f"value {get.get('value', '')!r} is not a number") from None
    if value != value:  # NaN
        raise ValueError("value is not a number")
    factor = _unit_factor(get.get("unit", ""), h.unit)
    if factor is None:
        raise ValueError(f"unit {get.get('unit')!r} does not fit {indicator} (in {h.unit})")
    return code, year, indicator, signed_value(indicator, value * factor, h.unit)
