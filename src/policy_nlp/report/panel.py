"""The headline panel on the report page (panel.csv): the table, one government's targets
against outcomes by year, and a cross-section of governments for one year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from policy_nlp.report.charts import hbar_chart
from policy_nlp.report.load import ReportData, ReportError
from policy_nlp.report.markup import badge, esc, html_table, num_cell, value_range

__all__ = ["PANEL_HEADERS", "headline_only", "load_panel", "section_panel"]

PANEL_HEADERS = ("region", "region code", "#year", "indicator", "#target", "comparator",
                 "#achieved", "status", "#gap", "note")  # fmt: skip
CHART_INDICATOR = "gdp_growth"  # the indicator the charts show when the panel holds it
_NUMBERS = ("year", "target_value", "target_value_high", "achieved_value", "gap")


def load_panel(folder: str | Path) -> pd.DataFrame | None:
    """``folder/panel.csv`` (annual rows), or None when the run wrote none."""
    path = Path(folder) / "panel.csv"
    if not path.is_file():
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError) as exc:
        raise ReportError(path, f"cannot be read ({exc})") from None
    for name in _NUMBERS:
        if name not in df.columns:
            raise ReportError(path, f"lacks column {name!r}")
        df[name] = pd.to_numeric(df[name].str.strip(), errors="coerce")
    if "horizon" in df.columns:
        df = df[df["horizon"].isin(["annual", ""])]
    return df.reset_index(drop=True)


def headline_only(tracking: pd.DataFrame) -> pd.DataFrame:
    """The tracking rows of headline indicators (``indicator_key`` set); all rows when the
    table has no such column or no headline row."""
    if "indicator_key" not in tracking.columns:
        return tracking
    keyed = tracking["indicator_key"].fillna("").astype(str) != ""
    return tracking[keyed].reset_index(drop=True) if keyed.any() else tracking


def _by_year_chart(df: pd.DataFrame, code: str) -> str:
    counts = df[df["indicator"] == code]["region_code"].value_counts()
    if counts.empty:
        return ""
    rc = sorted(counts.index, key=lambda c: (-counts[c], c))[0]
    rows = df[(df["indicator"] == code) & (df["region_code"] == rc)].sort_values("year")
    name = rows["region"].iloc[0] or rc
    years = [str(int(y)) for y in rows["year"]]
    return _target_vs_outcome(
        "chart-panel-years",
        f"{name}: {code}, target against outcome by year · 目标与实际",
        years,
        rows,
        "Year",
        f"For each year, {name}'s target and achieved value of {code}.",
        "One government's targets and outcomes, year by year (a missing bar: no figure; "
        "negative values are drawn as 0, the table holds them).",
    )


def _cross_section_chart(df: pd.DataFrame, code: str) -> str:
    rows = df[df["indicator"] == code]
    if rows["region_code"].nunique() < 2:
        return ""
    per_year = rows.groupby("year")["region_code"].nunique()
    year = int(max(per_year.index, key=lambda y: (per_year[y], y)))
    rows = rows[rows["year"] == year].sort_values("region_code")
    names = [r or c for r, c in zip(rows["region"], rows["region_code"], strict=True)]
    return _target_vs_outcome(
        "chart-panel-cross",
        f"{year}: {code} by government · {year}年各地",
        names,
        rows,
        "Government",
        f"Each government's target and achieved value of {code} for {year}.",
        "A cross-section: the governments of the batch in one year.",
    )


def _bars(values: pd.Series) -> list[float]:
    """Bar lengths: a missing or negative value is drawn as 0 (the table keeps it)."""
    return [v if v == v and v > 0 else 0.0 for v in values]


def _target_vs_outcome(
    chart_id: str,
    title: str,
    labels: list[str],
    rows: pd.DataFrame,
    y_label: str,
    desc: str,
    caption: str,
) -> str:
    """A figure of targets against outcomes, one pair of bars per label."""
    series = [
        ("Target", "#4e79a7", _bars(rows["target_value"])),
        ("Achieved", "#59a14f", _bars(rows["achieved_value"])),
    ]
    chart = hbar_chart(
        chart_id, title, labels, series, x_label="%", y_label=y_label, stacked=False, desc=desc
    )
    return f"<figure>{chart}<figcaption>{caption}</figcaption></figure>"


def section_panel(data: ReportData) -> str:
    """The panel's section (table and two charts); "" when the folder holds no panel.csv."""
    df = load_panel(data.folder)
    if df is None or df.empty:
        return ""
    codes = df["indicator"].value_counts()
    code = CHART_INDICATOR if CHART_INDICATOR in codes.index else str(codes.index[0])
    parts = [
        '<section id="panel"><h2>Headline panel · 主要指标目标与完成</h2>'
        f'<p class="note">{len(df):,} annual rows: region × year × headline indicator, target '
        "against outcome (panel.csv).</p>",
        _by_year_chart(df, code),
        _cross_section_chart(df, code),
    ]
    rows = []
    for r in df.itertuples(index=False):
        rows.append(
            f"<tr><td>{esc(r.region)}</td><td>{esc(r.region_code)}</td>"
            + num_cell(r.year, str(int(r.year)) if r.year == r.year else "")
            + f"<td>{esc(r.indicator)}</td>"
            + num_cell(r.target_value, value_range(r.target_value, r.target_value_high, r.unit))
            + f"<td>{esc(r.target_comparator)}</td>"
            + num_cell(r.achieved_value, value_range(r.achieved_value, None, r.unit))
            + f"<td>{badge(r.status) if r.status else ''}</td>"
            + num_cell(r.gap, "" if r.gap != r.gap else f"{r.gap:+g}")
            + f"<td>{esc(r.note)}</td></tr>"
        )
    parts.append('<div class="scroll">' + html_table("panel-table", PANEL_HEADERS, rows) + "</div>")
    return "".join(parts) + "</section>"
