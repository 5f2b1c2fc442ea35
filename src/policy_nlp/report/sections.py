"""The claims sections of the report page: overview, targets by year, indicators, all claims.

Each section function takes the ``ReportData`` and returns a ``<section>`` (or ``""`` when it
has nothing to show). The kinds come from ``policy_nlp.schema``; the colours and limits here
are shared with the other sections (``scorecard``, ``words``).
"""

from __future__ import annotations

import pandas as pd

from policy_nlp.report.charts import hbar_chart, vbar_chart
from policy_nlp.report.lazy import LAZY_ROWS, lazy_table
from policy_nlp.report.load import ReportData
from policy_nlp.report.markup import (
    badge,
    column,
    doc_titles,
    esc,
    html_table,
    is_missing,
    num_cell,
    sentence_cell,
    value_range,
)
from policy_nlp.schema import KINDS  # the colours cover both

__all__ = [
    "CLAIM_HEADERS", "COLORS", "KIND_LABELS", "MAX_CHART_ROWS", "section_claims",
    "section_indicators", "section_overview", "section_targets_by_year",
]  # fmt: skip

# "Targets", "Achievements", "Provisions": chart legends and (lower-cased) card and column labels
KIND_LABELS = {kind: f"{kind.capitalize()}s" for kind in KINDS}
# the kinds that name an indicator and are set side by side (a target, its achievement)
TRACKED_KINDS = ("target", "achievement")
COLORS = {
    "target": "#0072b2", "achievement": "#e69f00", "provision": "#999999",
    "met": "#009e73", "missed": "#d55e00", "unsettled": "#bbbbbb",
}  # fmt: skip  # Okabe-Ito: tells apart for colour-blind readers too

TOP_INDICATORS = 15  # indicators in the chart and the side-by-side table
LIST_ITEMS = 8  # targets (achievements) listed per indicator before "… and N more"
MAX_CHART_ROWS = 60  # documents in a per-document chart (the ones with most claims)
MAX_CLAIM_ROWS = 50_000  # rows of the claims table in the page (all of them are in claims.csv)

# Column headers of the page's tables (``#`` before a numeric one); a filter names its column
# by its header.
DOCUMENT_HEADERS = (
    "doc_id", "title", "issuer", "date", "type", "status", "#claims",
    *(f"#{label.lower()}" for label in KIND_LABELS.values()), "error",
)  # fmt: skip
CLAIM_HEADERS = ("doc_id", "#start", "mention", "#value", "unit", "comparator", "kind", "#year",
                 "change", "indicator", "sentence")  # fmt: skip


def _kind_counts(claims: pd.DataFrame) -> dict[str, int]:
    """Claims per kind, every kind present (0 when none)."""
    counts = claims["kind"].astype("object").value_counts()
    return {k: int(counts.get(k, 0)) for k in KIND_LABELS}


def section_overview(data: ReportData) -> str:
    """Counts, claims per document by kind (chart) and the documents table."""
    docs = data.documents
    n_ok = int((docs["status"] == "ok").sum())
    kinds = _kind_counts(data.claims)
    cards = [
        ("", len(docs), "documents"),
        ("", n_ok, "read"),
        ("", len(docs) - n_ok, "failed or empty"),
        ("", len(data.claims), "claims"),
    ] + [(k, kinds[k], KIND_LABELS[k].lower()) for k in KIND_LABELS]
    parts = ['<section id="overview"><h2>Overview · 概览</h2><div class="cards">']
    parts += [
        f'<div class="card {cls}"><div class="n">{n:,}</div><div class="l">{esc(label)}</div></div>'
        for cls, n, label in cards
    ]
    parts.append("</div>")
    per_doc = (
        data.claims.assign(kind=data.claims["kind"].astype("object"))
        .groupby(["doc_id", "kind"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(KIND_LABELS), fill_value=0)
    )
    kind_by_doc = {d: per_doc.loc[d].tolist() for d in per_doc.index}
    ok = data.read_documents()
    per_doc = per_doc.reindex(ok["doc_id"].tolist(), fill_value=0)
    note = ""
    if len(per_doc) > MAX_CHART_ROWS:
        order = per_doc.sum(axis=1).sort_values(ascending=False, kind="mergesort")
        per_doc = per_doc.loc[sorted(order.index[:MAX_CHART_ROWS])]
        note = f" The {MAX_CHART_ROWS} documents with most claims are shown."
    if len(per_doc):
        titles = doc_titles(ok)
        parts.append(
            "<figure>"
            + hbar_chart(
                "chart-claims-per-document",
                "Claims per document, by kind · 各文件数值陈述",
                list(per_doc.index),
                [(KIND_LABELS[k], COLORS[k], per_doc[k].tolist()) for k in KIND_LABELS],
                x_label="Claims (count)",
                y_label="Document",
                stacked=True,
                desc="Stacked bars: for each document, its numbers of targets, achievements "
                "and provisions.",
                category_titles=[f"{d} {titles.get(d) or ''}".strip() for d in per_doc.index],
            )
            + f"<figcaption>Each bar is one document; colours split its claims by kind.{note}"
            "</figcaption></figure>"
        )
    rows = []
    for r in docs.itertuples(index=False):
        k = kind_by_doc.get(r.doc_id, [0] * len(KIND_LABELS))
        rows.append(
            f"<tr><td>{esc(r.doc_id)}</td><td>{esc(r.title)}</td><td>{esc(r.issuer)}</td>"
            f'<td class="nw">{esc(r.date)}</td><td>{esc(r.doc_type)}</td><td>{badge(r.status)}</td>'
            + num_cell(r.n_claims)
            + "".join(num_cell(v) for v in k)
            + f"<td>{esc(r.error)}</td></tr>"
        )
    parts.append("<h3>Documents</h3>")
    parts.append(
        html_table(
            "documents-table",
            DOCUMENT_HEADERS,
            rows,
        )
    )
    parts.append("</section>")
    return "".join(parts)


def section_targets_by_year(data: ReportData) -> str:
    """Targets by the year they fall due (chart)."""
    targets = data.claims[data.claims["kind"] == "target"]
    by_year = targets["year"].dropna().astype(int).value_counts().sort_index()
    unknown = int(targets["year"].isna().sum())
    parts = ['<section id="targets"><h2>Targets by deadline year · 目标年份</h2>']
    if by_year.empty:
        parts.append('<p class="note">No target with a deadline year in these tables.</p>')
    else:
        busiest = by_year.sort_values(ascending=False, kind="mergesort").index[0]
        parts.append(
            "<figure>"
            + vbar_chart(
                "chart-targets-by-year",
                "Targets by deadline year · 各年到期目标数",
                [str(y) for y in by_year.index],
                [(KIND_LABELS["target"], COLORS["target"], by_year.tolist())],
                x_label="Deadline year",
                y_label="Targets (count)",
                desc="Bars: the number of targets that fall due in each year.",
            )
            + f"<figcaption>{len(targets) - unknown:,} targets with a deadline year "
            f"({unknown:,} without one are not shown); most fall due in {busiest}. "
            "Filter the claims table below by kind and year to list them.</figcaption></figure>"
        )
    parts.append("</section>")
    return "".join(parts)


def _claim_item(row) -> str:
    """One claim in a list: year, mention, document; the sentence on hover."""
    year = "" if is_missing(row.year) else f"{int(row.year)} · "
    return (
        f'<span title="{esc(row.sentence)}">{esc(year)}<b>{esc(row.mention)}</b> '
        f'<span class="meta">{esc(row.doc_id)}</span></span>'
    )


def section_indicators(data: ReportData) -> str:
    """The indicators named most often by targets and achievements (chart and lists)."""
    claims = data.claims[data.claims["kind"].isin(TRACKED_KINDS) & (data.claims["indicator"] != "")]
    parts = ['<section id="indicators"><h2>Most frequent indicators · 常见指标</h2>']
    if claims.empty:
        parts.append('<p class="note">No target or achievement names an indicator.</p></section>')
        return "".join(parts)
    counts = (
        claims.assign(kind=claims["kind"].astype("object"))
        .groupby(["indicator", "kind"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(TRACKED_KINDS), fill_value=0)
    )
    counts["total"] = counts[list(TRACKED_KINDS)].sum(axis=1)
    counts = counts.reset_index().sort_values(
        ["total", "indicator"], ascending=[False, True], kind="mergesort"
    )
    top = counts.head(TOP_INDICATORS)
    parts.append(
        "<figure>"
        + hbar_chart(
            "chart-indicators",
            "Most frequent indicators: targets and achievements · 指标目标与实绩",
            top["indicator"].tolist(),
            [(KIND_LABELS[k], COLORS[k], top[k].tolist()) for k in TRACKED_KINDS],
            x_label="Claims (count)",
            y_label="Indicator",
            stacked=False,
            desc="Grouped bars: for each of the most frequent indicators, its number of targets "
            "and of achievements.",
        )
        + f"<figcaption>The {len(top)} indicators named most often by targets and achievements, "
        "as the documents word them.</figcaption></figure>"
    )
    rows = []
    for ind in top["indicator"]:
        cells = []
        for kind in TRACKED_KINDS:
            sub = claims[(claims["indicator"] == ind) & (claims["kind"] == kind)].sort_values(
                ["year", "doc_id", "start"], kind="mergesort", na_position="last"
            )
            items = [_claim_item(r) for r in sub.head(LIST_ITEMS).itertuples(index=False)]
            if len(sub) > LIST_ITEMS:
                items.append(f'<span class="meta">… and {len(sub) - LIST_ITEMS} more</span>')
            cells.append(f'<td class="list">{"".join(items)}</td>')
        rows.append(f"<tr><td>{esc(ind)}</td>{''.join(cells)}</tr>")
    parts.append("<h3>Targets and achievements side by side</h3>")
    parts.append(
        html_table(
            "indicators-table",
            ("indicator", *(f"{k}s (year · value · document)" for k in TRACKED_KINDS)),
            rows,
            sortable=False,
        )
    )
    parts.append("</section>")
    return "".join(parts)


def section_claims(data: ReportData) -> str:
    """Every claim (up to ``MAX_CLAIM_ROWS``) in a table to search, filter and sort."""
    claims = data.claims
    shown = claims.head(MAX_CLAIM_ROWS)
    note = (
        f" The first {MAX_CLAIM_ROWS:,} of {len(claims):,} claims are shown; claims.csv has all."
        if len(claims) > MAX_CLAIM_ROWS
        else ""
    )
    lazy = len(shown) > LAZY_ROWS
    rows = []
    for r in shown.itertuples(index=False) if not lazy else ():
        rows.append(
            f"<tr><td>{esc(r.doc_id)}</td>"
            + num_cell(r.start, str(int(r.start)) if not is_missing(r.start) else "")
            + f'<td class="nw">{esc(r.mention)}</td>'
            + num_cell(r.value, value_range(r.value, r.value_high, None))
            + f"<td>{esc(r.unit)}</td><td>{esc(r.comparator)}</td>"
            f"<td>{esc(r.kind)}</td>"
            + num_cell(r.year, "" if is_missing(r.year) else str(int(r.year)))
            + f"<td>{esc(r.change)}</td><td>{esc(r.indicator)}</td>"
            + sentence_cell(str(r.sentence), str(r.mention))
            + "</tr>"
        )
    years = sorted({int(y) for y in claims["year"].dropna()})
    kinds = [k for k in KIND_LABELS if (claims["kind"] == k).any()]
    controls = (
        '<div class="controls">'
        '<input type="search" data-filter-for="claims-table" placeholder="Search claims…" '
        'aria-label="Search the claims">'
        f'<select data-filter-for="claims-table" data-col="{column(CLAIM_HEADERS, "kind")}" '
        'aria-label="Kind">'
        '<option value="">any kind</option>'
        + "".join(f'<option value="{k}">{k}</option>' for k in kinds)
        + '</select><select data-filter-for="claims-table" '
        f'data-col="{column(CLAIM_HEADERS, "year")}" aria-label="Year">'
        '<option value="">any year</option>'
        + "".join(f'<option value="{y}">{y}</option>' for y in years)
        + '</select><span class="note" data-count-for="claims-table"></span></div>'
    )
    if lazy:  # drawn a page at a time from compact JSON (report/lazy.py)
        table = lazy_table(
            "claims-table", CLAIM_HEADERS, CLAIM_KINDS, _claim_cells(shown),
            mention_column=2, extra_class="wide",
        )  # fmt: skip
        note += f" {len(shown):,} rows: shown a page at a time."
    else:
        table = (
            '<div class="scroll">'
            + html_table("claims-table", CLAIM_HEADERS, rows, extra_class="wide")
            + "</div>"
        )
    return (
        '<section id="claims"><h2>All claims · 全部数值陈述</h2>'
        f'<p class="note">Click a column header to sort; type to search.{note}</p>'
        + controls
        + table
        + "</section>"
    )


# the cell kinds of CLAIM_HEADERS in a lazy table
CLAIM_KINDS = ("text", "num", "text", "num", "text", "text", "text", "num", "text", "text",
               "sentence")  # fmt: skip


def _num(value: object, shown: str) -> tuple[float | None, str]:
    return (None, "") if is_missing(value) else (float(value), shown)  # type: ignore[arg-type]


def _claim_cells(claims: pd.DataFrame) -> list[tuple]:
    """The claims' cells for ``lazy_table`` (the same texts the HTML rows show)."""
    return [
        (
            r.doc_id,
            _num(r.start, "" if is_missing(r.start) else str(int(r.start))),
            r.mention,
            _num(r.value, value_range(r.value, r.value_high, None)),
            r.unit,
            r.comparator,
            r.kind,
            _num(r.year, "" if is_missing(r.year) else str(int(r.year))),
            r.change,
            r.indicator,
            str(r.sentence),
        )
        for r in claims.itertuples(index=False)
    ]
