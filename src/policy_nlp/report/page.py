"""The HTML report: one self-contained page of charts and tables from a run's output folder.

``write_report(DIR)`` reads the CSV tables that ``policy-nlp run --out DIR`` wrote (and
``tracking.csv`` when target tracking wrote one) and writes ``DIR/report.html``: counts of
documents and claims by kind, targets by deadline year, the most frequent indicators with
their targets and achievements side by side, a target scorecard (met / missed / unsettled),
topic shares per document, top keywords per document, and every claim in a table with search
and sort.

The page needs no network when it is viewed: styles, script and charts (SVG) are inline, and
a Content-Security-Policy forbids loading anything else or running any script but its own.
Charts name CJK fonts first (Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei,
PingFang SC, WenQuanYi Micro Hei) so Chinese renders wherever one of them is installed.
Every text that comes from a document is escaped. The same tables give the same page
(no timestamps).
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from policy_nlp import tables
from policy_nlp.atomic import atomic_write
from policy_nlp.errors import PolicyNLPError
from policy_nlp.report.charts import hbar_chart, heatmap, vbar_chart
from policy_nlp.resources import data_path
from policy_nlp.schema import TRACKING_STATUSES

__all__ = [
    "TRACKING_COLUMNS",
    "ReportData",
    "ReportError",
    "load_tables",
    "render",
    "write_report",
]

REQUIRED_TABLES = ("documents", "claims")
OPTIONAL_TABLES = ("keywords", "topics", "doc_topics")
TRACKING_COLUMNS = (
    "target_doc_id", "target_start", "target_end", "target_mention", "indicator", "year",
    "target_value", "target_value_high", "target_comparator", "unit", "achievement_doc_id",
    "achievement_start", "achievement_end", "achievement_mention", "achieved_value", "status",
    "gap",
)  # fmt: skip
TRACKING_INTS = ("target_start", "target_end", "year", "achievement_start", "achievement_end")
TRACKING_FLOATS = ("target_value", "target_value_high", "achieved_value", "gap")
STATUSES = TRACKING_STATUSES
KIND_LABELS = {"target": "Targets", "achievement": "Achievements", "provision": "Provisions"}
COLORS = {
    "target": "#0072b2", "achievement": "#e69f00", "provision": "#999999",
    "met": "#009e73", "missed": "#d55e00", "unsettled": "#bbbbbb",
}  # fmt: skip  # Okabe-Ito: tells apart for colour-blind readers too

TOP_INDICATORS = 15  # indicators in the chart and the side-by-side table
LIST_ITEMS = 8  # targets (achievements) listed per indicator before "… and N more"
MAX_CHART_ROWS = 60  # documents in a per-document chart (the ones with most claims)
MAX_CLAIM_ROWS = 50_000  # rows of the claims table in the page (all of them are in claims.csv)


class ReportError(PolicyNLPError):
    """A table the report cannot read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class ReportData:
    """The tables a report is built from (``tracking`` is None without tracking.csv)."""

    folder: str
    documents: pd.DataFrame
    claims: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    tracking: pd.DataFrame | None = None


# ----------------------------------------------------------------------------- reading


def _header(path: Path) -> list[str]:
    try:
        return list(pd.read_csv(path, encoding="utf-8-sig", nrows=0, dtype=str).columns)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None
    except OSError as exc:
        raise ReportError(path, f"cannot be read ({exc.strerror or exc})") from None


def _read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """The CSV at ``path`` as strings, after checking it has ``columns``."""
    missing = [c for c in columns if c not in _header(path)]
    if missing:
        raise ReportError(path, f"missing column(s) {', '.join(missing)}")
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReportError(path, f"not a CSV table ({exc.__class__.__name__}: {exc})") from None


def _read_tracking(path: Path) -> pd.DataFrame:
    df = _read_table(path, TRACKING_COLUMNS)[list(TRACKING_COLUMNS)]
    bad = df.index[~df["status"].isin(STATUSES)]
    if len(bad):
        row = int(bad[0])
        raise ReportError(
            path,
            f"row {row + 2}: status {df.at[row, 'status']!r} is not one of {', '.join(STATUSES)}",
        )
    out = df.astype("string")
    for name in TRACKING_INTS + TRACKING_FLOATS:
        numbers = pd.to_numeric(df[name], errors="coerce")
        bad = df.index[numbers.isna() & (df[name].str.strip() != "")]
        if len(bad):
            row = int(bad[0])
            raise ReportError(path, f"row {row + 2}: {name} {df.at[row, name]!r} is not a number")
        out[name] = numbers.astype("Int64" if name in TRACKING_INTS else "Float64")
    return out.sort_values(
        ["year", "indicator", "target_doc_id", "target_start"], kind="mergesort", na_position="last"
    ).reset_index(drop=True)


def load_tables(folder: str | Path) -> ReportData:
    """Read the tables of a run's output folder (documents.csv and claims.csv are required)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(folder, "no such folder")
    frames: dict[str, pd.DataFrame] = {}
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in REQUIRED_TABLES:
                raise ReportError(
                    path, "missing; write the tables first: policy-nlp run … --out DIR"
                )
            frames[name] = tables.empty_frame(name)
            continue
        frames[name] = tables.typed(_read_table(path, list(tables.COLUMNS[name])), name)
    tracking_path = folder / "tracking.csv"
    tracking = _read_tracking(tracking_path) if tracking_path.is_file() else None
    return ReportData(folder=str(folder), tracking=tracking, **frames)


# ----------------------------------------------------------------------------- text helpers


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


# ----------------------------------------------------------------------------- sections


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


def _value_range(value, high, unit) -> str:
    if _missing(value):
        return ""
    text = _fmt_value(value)
    if not _missing(high):
        text += f"–{_fmt_value(high)}"
    return f"{text} {unit}".strip() if not _missing(unit) else text


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


def _sentence_cell(sentence: str, mention: str) -> str:
    """The sentence with the mention's first occurrence marked (both escaped)."""
    at = sentence.find(mention) if mention else -1
    if at < 0:
        return f'<td class="sentence">{_e(sentence)}</td>'
    return (
        f'<td class="sentence">{_e(sentence[:at])}<mark>{_e(mention)}</mark>'
        f"{_e(sentence[at + len(mention) :])}</td>"
    )


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


# ----------------------------------------------------------------------------- the page


def _csp_hash(source: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        + "'"
    )


def render(data: ReportData) -> str:
    """The report page for ``data`` (a complete HTML document, everything inline)."""
    from policy_nlp import __version__

    css = data_path("report.css").read_text(encoding="utf-8")
    js = data_path("report.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    sections = [
        _section_overview(data),
        _section_targets_by_year(data),
        _section_indicators(data),
        _section_scorecard(data),
        _section_topics(data),
        _section_keywords(data),
        _section_claims(data),
    ]
    nav = [("overview", "Overview"), ("targets", "Targets by year"), ("indicators", "Indicators")]
    if data.tracking is not None:
        nav.append(("scorecard", "Scorecard"))
    nav += [("topics", "Topics"), ("keywords", "Keywords"), ("claims", "All claims")]
    folder = Path(data.folder).name or data.folder
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="policy_nlp ' + _e(__version__) + '">'
        f"<title>Policy documents report: {_e(folder)}</title>"
        '<link rel="icon" href="data:,">'
        f"<style>{css}</style></head><body>"
        f"<header><h1>Policy documents report · 政策文件报告</h1>"
        f'<p class="meta">Tables in {_e(folder)}; numeric claims, keywords and topics from '
        f"policy_nlp {_e(__version__)}.</p></header>"
        "<nav>" + "".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in nav) + "</nav>"
        "<main>" + "".join(s for s in sections if s) + "</main>"
        f"<script>{js}</script></body></html>\n"
    )


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Read the tables in ``folder`` and write the report (default ``folder/report.html``)."""
    data = load_tables(folder)
    path = Path(out) if out is not None else Path(folder) / "report.html"
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(data))
    return path
