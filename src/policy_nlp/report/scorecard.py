"""The target scorecard of the report page: targets met, missed or unsettled (tracking.csv)."""

from __future__ import annotations

from policy_nlp.report.charts import vbar_chart
from policy_nlp.report.lazy import LAZY_ROWS, lazy_table
from policy_nlp.report.load import ReportData
from policy_nlp.report.markup import (
    badge,
    column,
    esc,
    fmt_signed,
    html_table,
    is_missing,
    num_cell,
    value_range,
)
from policy_nlp.report.sections import COLORS
from policy_nlp.schema import TRACKING_STATUSES

__all__ = ["SCORECARD_HEADERS", "section_scorecard"]

# ``#`` before a numeric column; the status filter names its column by its header
SCORECARD_HEADERS = ("#year", "indicator", "target", "comparator", "#target value",
                     "achievement", "#achieved", "status", "#gap")  # fmt: skip


def section_scorecard(data: ReportData, *, all_indicators: bool = False) -> str:
    """Targets met, missed or unsettled (counts, chart by year, table); "" without tracking.
    Headline indicators only (``indicator_key`` set) unless ``all_indicators``."""
    tr = data.tracking
    if tr is None:
        return ""
    if not all_indicators:
        from policy_nlp.report.panel import headline_only

        tr = headline_only(tr)
    counts = {s: int((tr["status"] == s).sum()) for s in TRACKING_STATUSES}
    settled = counts["met"] + counts["missed"]
    parts = ['<section id="scorecard"><h2>Target scorecard · 目标完成情况</h2><div class="cards">']
    parts.append(
        f'<div class="card"><div class="n">{len(tr):,}</div><div class="l">targets tracked</div></div>'
    )
    parts += [
        f'<div class="card {s}"><div class="n">{counts[s]:,}</div><div class="l">{s}</div></div>'
        for s in TRACKING_STATUSES
    ]
    parts.append("</div>")
    if settled:
        parts.append(
            f'<p class="note">{counts["met"] / settled:.0%} of the {settled:,} settled targets were '
            "met. A target is settled by an achievement reported for the same indicator and year "
            "in another document of the batch.</p>"
        )
    with_year = tr.dropna(subset=["year"])
    if len(with_year):
        by_year = (
            with_year.assign(
                year=with_year["year"].astype(int), status=with_year["status"].astype(object)
            )
            .groupby(["year", "status"])
            .size()
            .unstack(fill_value=0)
            .reindex(columns=list(TRACKING_STATUSES), fill_value=0)
            .sort_index()
        )
        parts.append(
            "<figure>"
            + vbar_chart(
                "chart-scorecard",
                "Targets by year: met, missed, unsettled · 各年目标完成情况",
                [str(y) for y in by_year.index],
                [(s, COLORS[s], by_year[s].tolist()) for s in TRACKING_STATUSES],
                x_label="Target year",
                y_label="Targets (count)",
                desc="Stacked bars: for each target year, how many targets were met, missed or "
                "are unsettled.",
            )
            + "<figcaption>Each bar counts the targets due in a year, split by what the later "
            "reports say.</figcaption></figure>"
        )
    lazy = len(tr) > LAZY_ROWS
    rows = []
    for r in tr.itertuples(index=False) if not lazy else ():
        gap = "" if is_missing(r.gap) else f"{fmt_signed(r.gap)} {r.unit or ''}".strip()
        rows.append(
            "<tr>"
            + num_cell(r.year, "" if is_missing(r.year) else str(int(r.year)))
            + f"<td>{esc(r.indicator)}</td>"
            f'<td><b>{esc(r.target_mention)}</b> <span class="meta">{esc(r.target_doc_id)}</span></td>'
            f"<td>{esc(r.target_comparator)}</td>"
            + num_cell(r.target_value, value_range(r.target_value, r.target_value_high, r.unit))
            + f"<td><b>{esc(r.achievement_mention)}</b> "
            f'<span class="meta">{esc(r.achievement_doc_id)}</span></td>'
            + num_cell(r.achieved_value, value_range(r.achieved_value, None, r.unit))
            + f"<td>{badge(r.status)}</td>"
            + num_cell(r.gap, gap)
            + "</tr>"
        )
    parts.append(
        '<div class="controls"><input type="search" data-filter-for="scorecard-table" '
        'placeholder="Search targets…" aria-label="Search the scorecard">'
        f'<select data-filter-for="scorecard-table" data-col="{column(SCORECARD_HEADERS, "status")}" '
        'aria-label="Status">'
        '<option value="">any status</option>'
        + "".join(f'<option value="{s}">{s}</option>' for s in TRACKING_STATUSES)
        + '</select><span class="note" data-count-for="scorecard-table"></span></div>'
    )
    if lazy:  # drawn a page at a time from compact JSON (report/lazy.py)
        parts.append(
            lazy_table("scorecard-table", SCORECARD_HEADERS, _KINDS, _cells(tr)) + "</section>"
        )
        return "".join(parts)
    parts.append(
        '<div class="scroll">'
        + html_table(
            "scorecard-table",
            SCORECARD_HEADERS,
            rows,
        )
        + "</div></section>"
    )
    return "".join(parts)


_KINDS = ("num", "text", "text", "text", "num", "text", "num", "text", "num")


def _num(value: object, shown: str) -> tuple[float | None, str]:
    return (None, "") if is_missing(value) else (float(value), shown)  # type: ignore[arg-type]


def _cells(tr) -> list[tuple]:
    """The scorecard's cells for ``lazy_table`` (the texts the HTML rows show)."""
    out = []
    for r in tr.itertuples(index=False):
        gap = "" if is_missing(r.gap) else f"{fmt_signed(r.gap)} {r.unit or ''}".strip()
        achievement = f"{r.achievement_mention or ''} {r.achievement_doc_id or ''}".strip()
        out.append((
            _num(r.year, "" if is_missing(r.year) else str(int(r.year))),
            r.indicator, f"{r.target_mention} {r.target_doc_id}", r.target_comparator,
            _num(r.target_value, value_range(r.target_value, r.target_value_high, r.unit)),
            achievement, _num(r.achieved_value, value_range(r.achieved_value, None, r.unit)),
            r.status, _num(r.gap, gap),
        ))  # fmt: skip
    return out
