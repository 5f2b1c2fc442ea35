"""The topics and keywords sections of the report page."""

from __future__ import annotations

import pandas as pd

from policy_nlp.report.charts import heatmap
from policy_nlp.report.load import ReportData
from policy_nlp.report.markup import doc_titles, esc, fmt_value, html_table, num_cell
from policy_nlp.report.sections import MAX_CHART_ROWS

__all__ = ["section_keywords", "section_topics"]

TOPIC_LABEL_TERMS = 3  # top terms that name a topic in the heatmap
WEIGHT_DIGITS = 4  # decimals of a topic term's weight (shown on hover)


def _topic_labels(topics: pd.DataFrame, n_terms: int = TOPIC_LABEL_TERMS) -> dict[int, str]:
    """Topic id -> a short name: ``T3 农业·粮食·耕地`` (its top terms)."""
    labels = {}
    for tid, group in topics.groupby("topic_id", sort=True):
        terms = group.sort_values("rank", kind="mergesort")["term"].head(n_terms)
        labels[int(tid)] = f"T{int(tid)} " + "·".join(terms)
    return labels


def section_topics(data: ReportData) -> str:
    """Topic shares per document (heatmap) and each topic's top terms."""
    parts = ['<section id="topics"><h2>Topic shares per document · 主题分布</h2>']
    dt = data.doc_topics
    if dt.empty:
        parts.append('<p class="note">No topic shares in these tables.</p></section>')
        return "".join(parts)
    labels = _topic_labels(data.topics)
    topic_ids = sorted(set(labels) | {int(t) for t in dt["topic_id"].dropna()})
    ok = data.read_documents()
    doc_ids = [d for d in ok["doc_id"] if d in set(dt["doc_id"])]
    doc_ids += sorted(set(dt["doc_id"]) - set(doc_ids))
    note = ""
    if len(doc_ids) > MAX_CHART_ROWS:
        note = f" The first {MAX_CHART_ROWS} of {len(doc_ids)} documents are shown."
        doc_ids = doc_ids[:MAX_CHART_ROWS]
    grid = {(r.doc_id, int(r.topic_id)): float(r.weight) for r in dt.itertuples(index=False)}
    titles = doc_titles(ok)
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
            f'<span class="chip" title="{esc(fmt_value(round(float(w), WEIGHT_DIGITS)))}">{esc(t)}</span>'
            for t, w in zip(terms["term"], terms["weight"], strict=True)
        )
        rows.append(f"<tr>{num_cell(tid, f'T{int(tid)}')}<td>{chips}</td></tr>")
    if rows:
        parts.append("<h3>Topics</h3>")
        parts.append(html_table("topics-table", ("#topic", "top terms"), rows, sortable=False))
    parts.append("</section>")
    return "".join(parts)


def section_keywords(data: ReportData) -> str:
    """Each document's top keywords, by rank."""
    parts = ['<section id="keywords"><h2>Top keywords per document · 关键词</h2>']
    kw = data.keywords
    if kw.empty:
        parts.append('<p class="note">No keywords in these tables.</p></section>')
        return "".join(parts)
    titles = doc_titles(data.documents)
    rows = []
    for doc_id, group in kw.groupby("doc_id", sort=True):
        chips = "".join(
            f'<span class="chip" title="rank {int(r)}, score {esc(fmt_value(s))}">{esc(k)}</span>'
            for r, k, s in zip(group["rank"], group["keyword"], group["score"], strict=True)
        )
        rows.append(
            f"<tr><td>{esc(doc_id)}</td><td>{esc(titles.get(doc_id, ''))}</td><td>{chips}</td></tr>"
        )
    parts.append(
        html_table(
            "keywords-table",
            ("doc_id", "title", "keywords, by rank"),
            rows,
        )
    )
    parts.append("</section>")
    return "".join(parts)
