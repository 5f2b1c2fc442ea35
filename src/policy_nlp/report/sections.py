"""The sections of the report page, one function each, from the tables to HTML."""

from __future__ import annotations

import pandas as pd

from policy_nlp.report.charts import hbar_chart, heatmap, vbar_chart
from policy_nlp.report.load import STATUSES, ReportData
from policy_nlp.report.markup import (
    _badge,
    _e,
    _fmt_signed,
    _fmt_value,
    _missing,
    _num_cell,
    _sentence_cell,
    _table,
    _value_range,
)

KIND_LABELS = {"target": "Targets", "achievement": "Achievements", "provision": "Provisions"}
COLORS = {
    "target": "#0072b2", "achievement": "#e69f00", "provision": "#999999",
    "met": "#009e73", "missed": "#d55e00", "unsettled": "#bbbbbb",
}  # fmt: skip  # Okabe-Ito: tells apart for colour-blind readers too

TOP_INDICATORS = 15  # indicators in the chart and the side-by-side table
LIST_ITEMS = 8  # targets (achievements) listed per indicator before "… and N more"
MAX_CHART_ROWS = 60  # documents in a per-document chart (the ones with most claims)
MAX_CLAIM_ROWS = 50_000  # rows of the claims table in the page (all of them are in claims.csv)


def _ok_documents(data: ReportData) -> pd.DataFrame:
    return data.documents[data.documents["status"] == "ok"]


def _kind_counts(claims: pd.DataFrame) -> dict[str, int]:
    counts = claims["kind"].astype("object").value_counts()
    return {k: int(counts.get(k, 0)) for k in KIND_LABELS}


def _section_overview(data: ReportData) -> str:
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
        f'<div class="card {cls}"><div class="n">{n:,}</div><div class="l">{_e(label)}</div></div>'
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
    ok = _ok_documents(data)
    per_doc = per_doc.reindex(ok["doc_id"].tolist(), fill_value=0)
    note = ""
    if len(per_doc) > MAX_CHART_ROWS:
        order = per_doc.sum(axis=1).sort_values(ascending=False, kind="mergesort")
        per_doc = per_doc.loc[sorted(order.index[:MAX_CHART_ROWS])]
        note = f" The {MAX_CHART_ROWS} documents with most claims are shown."
    if len(per_doc):
        titles = dict(zip(ok["doc_id"], ok["title"], strict=True))
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
        k = kind_by_doc.get(r.doc_id, [0, 0, 0])
        rows.append(
            f"<tr><td>{_e(r.doc_id)}</td><td>{_e(r.title)}</td><td>{_e(r.issuer)}</td>"
            f'<td class="nw">{_e(r.date)}</td><td>{_e(r.doc_type)}</td><td>{_badge(r.status)}</td>'
            + _num_cell(r.n_claims)
            + "".join(_num_cell(v) for v in k)
            + f"<td>{_e(r.error)}</td></tr>"
        )
    parts.append("<h3>Documents</h3>")
    parts.append(
        _table(
            "documents-table",
            "doc_id|title|issuer|date|type|status|#claims|#targets|#achievements|#provisions|error",
            rows,
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _section_targets_by_year(data: ReportData) -> str:
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
                [("Targets", COLORS["target"], by_year.tolist())],
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
    year = "" if _missing(row.year) else f"{int(row.year)} · "
    return (
        f'<span title="{_e(row.sentence)}">{_e(year)}<b>{_e(row.mention)}</b> '
        f'<span class="meta">{_e(row.doc_id)}</span></span>'
    )


def _section_indicators(data: ReportData) -> str:
    claims = data.claims[
        data.claims["kind"].isin(["target", "achievement"]) & (data.claims["indicator"] != "")
    ]
    parts = ['<section id="indicators"><h2>Most frequent indicators · 常见指标</h2>']
    if claims.empty:
        parts.append('<p class="note">No target or achievement names an indicator.</p></section>')
        return "".join(parts)
    counts = (
        claims.assign(kind=claims["kind"].astype("object"))
        .groupby(["indicator", "kind"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["target", "achievement"], fill_value=0)
    )
    counts["total"] = counts["target"] + counts["achievement"]
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
            [
                ("Targets", COLORS["target"], top["target"].tolist()),
                ("Achievements", COLORS["achievement"], top["achievement"].tolist()),
            ],
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
        for kind in ("target", "achievement"):
            sub = claims[(claims["indicator"] == ind) & (claims["kind"] == kind)].sort_values(
                ["year", "doc_id", "start"], kind="mergesort", na_position="last"
            )
            items = [_claim_item(r) for r in sub.head(LIST_ITEMS).itertuples(index=False)]
            if len(sub) > LIST_ITEMS:
                items.append(f'<span class="meta">… and {len(sub) - LIST_ITEMS} more</span>')
            cells.append(f'<td class="list">{"".join(items)}</td>')
        rows.append(f"<tr><td>{_e(ind)}</td>{''.join(cells)}</tr>")
    parts.append("<h3>Targets and achievements side by side</h3>")
    parts.append(
        _table(
            "indicators-table",
            "indicator|targets (year · value · document)|achievements (year · value · document)",
            rows,
            sortable=False,
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _section_scorecard(data: ReportData) -> str:
    tr = data.tracking
    if tr is None:
        return ""
    counts = {s: int((tr["status"] == s).sum()) for s in STATUSES}
    settled = counts["met"] + counts["missed"]
    parts = ['<section id="scorecard"><h2>Target scorecard · 目标完成情况</h2><div class="cards">']
    parts.append(
        f'<div class="card"><div class="n">{len(tr):,}</div><div class="l">targets tracked</div></div>'
    )
    parts += [
        f'<div class="card {s}"><div class="n">{counts[s]:,}</div><div class="l">{s}</div></div>'
        for s in STATUSES
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
            .reindex(columns=list(STATUSES), fill_value=0)
            .sort_index()
        )
        parts.append(
            "<figure>"
            + vbar_chart(
                "chart-scorecard",
                "Targets by year: met, missed, unsettled · 各年目标完成情况",
                [str(y) for y in by_year.index],
                [(s, COLORS[s], by_year[s].tolist()) for s in STATUSES],
                x_label="Target year",
                y_label="Targets (count)",
                desc="Stacked bars: for each target year, how many targets were met, missed or "
                "are unsettled.",
            )
            + "<figcaption>Each bar counts the targets due in a year, split by what the later "
            "reports say.</figcaption></figure>"
        )
    rows = []
    for r in tr.itertuples(index=False):
        gap = "" if _missing(r.gap) else f"{_fmt_signed(r.gap)} {r.unit or ''}".strip()
        rows.append(
            "<tr>"
            + _num_cell(r.year, "" if _missing(r.year) else str(int(r.year)))
            + f"<td>{_e(r.indicator)}</td>"
            f'<td><b>{_e(r.target_mention)}</b> <span class="meta">{_e(r.target_doc_id)}</span></td>'
            f"<td>{_e(r.target_comparator)}</td>"
            + _num_cell(r.target_value, _value_range(r.target_value, r.target_value_high, r.unit))
            + f"<td><b>{_e(r.achievement_mention)}</b> "
            f'<span class="meta">{_e(r.achievement_doc_id)}</span></td>'
            + _num_cell(r.achieved_value, _value_range(r.achieved_value, None, r.unit))
            + f"<td>{_badge(r.status)}</td>"
            + _num_cell(r.gap, gap)
            + "</tr>"
        )
    parts.append(
        '<div class="controls"><input type="search" data-filter-for="scorecard-table" '
        'placeholder="Search targets…" aria-label="Search the scorecard">'
        '<select data-filter-for="scorecard-table" data-col="7" aria-label="Status">'
        '<option value="">any status</option>'
        + "".join(f'<option value="{s}">{s}</option>' for s in STATUSES)
        + '</select><span class="note" data-count-for="scorecard-table"></span></div>'
    )
    parts.append(
        '<div class="scroll">'
        + _table(
            "scorecard-table",
            "#year|indicator|target|comparator|#target value|achievement|#achieved|status|#gap",
            rows,
        )
        + "</div></section>"
    )
    return "".join(parts)


def _topic_labels(topics: pd.DataFrame, n_terms: int = 3) -> dict[int, str]:
    labels = {}
    for tid, group in topics.groupby("topic_id", sort=True):
        terms = group.sort_values("rank", kind="mergesort")["term"].head(n_terms)
        labels[int(tid)] = f"T{int(tid)} " + "·".join(terms)
    return labels


def _section_topics(data: ReportData) -> str:
    parts = ['<section id="topics"><h2>Topic shares per document · 主题分布</h2>']
    dt = data.doc_topics
    if dt.empty:
        parts.append('<p class="note">No topic shares in these tables.</p></section>')
        return "".join(parts)
    labels = _topic_labels(data.topics)
    topic_ids = sorted(set(labels) | {int(t) for t in dt["topic_id"].dropna()})
    ok = _ok_documents(data)
    doc_ids = [d for d in ok["doc_id"] if d in set(dt["doc_id"])]
    doc_ids += sorted(set(dt["doc_id"]) - set(doc_ids))
    note = ""
    if len(doc_ids) > MAX_CHART_ROWS:
        note = f" The first {MAX_CHART_ROWS} of {len(doc_ids)} documents are shown."
        doc_ids = doc_ids[:MAX_CHART_ROWS]
    grid = {(r.doc_id, int(r.topic_id)): float(r.weight) for r in dt.itertuples(index=False)}
    titles = dict(zip(ok["doc_id"], ok["title"], strict=True))
    parts.append(
        "<figure>"
        + heatmap(
            "chart-topics",
            "Topic shares per document · 各文件主题占比",
            doc_ids,
            [labels.get(t, f"T{t}") for t in topic_ids],
            [[grid.get((d, t), 0.0) for t in topic_ids] for d in doc_ids],
            x_label="Topic (top terms)",
            y_label="Document",
            desc="Heatmap: the share of each topic in each document; darker is larger.",
            row_titles=[f"{d} {titles.get(d) or ''}".strip() for d in doc_ids],
        )
        + f"<figcaption>Each row is a document, each column a topic named by its top terms; "
        f"the number is the topic's share of the document.{note}</figcaption></figure>"
    )
    rows = []
    for tid, group in data.topics.groupby("topic_id", sort=True):
        terms = group.sort_values("rank", kind="mergesort")
        chips = "".join(
            f'<span class="chip" title="{_e(_fmt_value(round(float(w), 4)))}">{_e(t)}</span>'
            for t, w in zip(terms["term"], terms["weight"], strict=True)
        )
        rows.append(f"<tr>{_num_cell(tid, f'T{int(tid)}')}<td>{chips}</td></tr>")
    if rows:
        parts.append("<h3>Topics</h3>")
        parts.append(_table("topics-table", "#topic|top terms", rows, sortable=False))
    parts.append("</section>")
    return "".join(parts)


def _section_keywords(data: ReportData) -> str:
    parts = ['<section id="keywords"><h2>Top keywords per document · 关键词</h2>']
    kw = data.keywords
    if kw.empty:
        parts.append('<p class="note">No keywords in these tables.</p></section>')
        return "".join(parts)
    titles = dict(zip(data.documents["doc_id"], data.documents["title"], strict=True))
    rows = []
    for doc_id, group in kw.groupby("doc_id", sort=True):
        chips = "".join(
            f'<span class="chip" title="rank {int(r)}, score {_e(_fmt_value(s))}">{_e(k)}</span>'
            for r, k, s in zip(group["rank"], group["keyword"], group["score"], strict=True)
        )
        rows.append(
            f"<tr><td>{_e(doc_id)}</td><td>{_e(titles.get(doc_id, ''))}</td><td>{chips}</td></tr>"
        )
    parts.append(
        _table(
            "keywords-table",
            "doc_id|title|keywords, by rank",
            rows,
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _section_claims(data: ReportData) -> str:
    claims = data.claims
    shown = claims.head(MAX_CLAIM_ROWS)
    note = (
        f" The first {MAX_CLAIM_ROWS:,} of {len(claims):,} claims are shown; claims.csv has all."
        if len(claims) > MAX_CLAIM_ROWS
        else ""
    )
    rows = []
    for r in shown.itertuples(index=False):
        rows.append(
            f"<tr><td>{_e(r.doc_id)}</td>"
            + _num_cell(r.start, str(int(r.start)) if not _missing(r.start) else "")
            + f'<td class="nw">{_e(r.mention)}</td>'
            + _num_cell(r.value, _value_range(r.value, r.value_high, None))
            + f"<td>{_e(r.unit)}</td><td>{_e(r.comparator)}</td>"
            f"<td>{_e(r.kind)}</td>"
            + _num_cell(r.year, "" if _missing(r.year) else str(int(r.year)))
            + f"<td>{_e(r.change)}</td><td>{_e(r.indicator)}</td>"
            + _sentence_cell(str(r.sentence), str(r.mention))
            + "</tr>"
        )
    years = sorted({int(y) for y in claims["year"].dropna()})
    kinds = [k for k in KIND_LABELS if (claims["kind"] == k).any()]
    controls = (
        '<div class="controls">'
        '<input type="search" data-filter-for="claims-table" placeholder="Search claims…" '
        'aria-label="Search the claims">'
        '<select data-filter-for="claims-table" data-col="6" aria-label="Kind">'
        '<option value="">any kind</option>'
        + "".join(f'<option value="{k}">{k}</option>' for k in kinds)
        + '</select><select data-filter-for="claims-table" data-col="7" aria-label="Year">'
        '<option value="">any year</option>'
        + "".join(f'<option value="{y}">{y}</option>' for y in years)
        + '</select><span class="note" data-count-for="claims-table"></span></div>'
    )
    return (
        '<section id="claims"><h2>All claims · 全部数值陈述</h2>'
        f'<p class="note">Click a column header to sort; type to search.{note}</p>'
        + controls
        + '<div class="scroll">'
        + _table(
            "claims-table",
            "doc_id|#start|mention|#value|unit|comparator|kind|#year|change|indicator|sentence",
            rows,
            extra_class="wide",
        )
        + "</div></section>"
    )
