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
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from policy_nlp.atomic import atomic_write
from policy_nlp.report.load import ReportData, ReportError, load_tables
from policy_nlp.report.markup import esc
from policy_nlp.report.panel import section_panel
from policy_nlp.report.scorecard import section_scorecard
from policy_nlp.report.sections import (
    section_claims,
    section_indicators,
    section_overview,
    section_targets_by_year,
)
from policy_nlp.report.words import section_keywords, section_topics
from policy_nlp.resources import data_path

__all__ = [
    "SECTIONS",
    "ReportData",
    "ReportError",
    "Section",
    "load_tables",
    "render",
    "write_report",
]


class Section(NamedTuple):
    """A section of the page: its anchor and title in the navigation, and its renderer
    (``ReportData`` -> a ``<section>``, or ``""`` when it has nothing to show)."""

    anchor: str
    title: str
    render: Callable[[ReportData], str]


# in page order; a section that renders "" (the scorecard without tracking) is left out, link too
SECTIONS = (
    Section("overview", "Overview", section_overview),
    Section("targets", "Targets by year", section_targets_by_year),
    Section("indicators", "Indicators", section_indicators),
    Section("panel", "Headline panel", section_panel),
    Section("scorecard", "Scorecard", section_scorecard),
    Section("topics", "Topics", section_topics),
    Section("keywords", "Keywords", section_keywords),
    Section("claims", "All claims", section_claims),
)


def _csp_hash(source: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style or script."""
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        + "'"
    )


def render(data: ReportData) -> str:
    """The report page for ``data`` (a complete HTML document, everything inline)."""
    from policy_nlp.version import __version__

    css = data_path("report.css").read_text(encoding="utf-8")
    js = data_path("report.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    shown = [(section, html) for section in SECTIONS if (html := section.render(data))]
    folder = Path(data.folder).name or data.folder
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="policy_nlp ' + esc(__version__) + '">'
        f"<title>Policy documents report: {esc(folder)}</title>"
        '<link rel="icon" href="data:,">'
        f"<style>{css}</style></head><body>"
        f"<header><h1>Policy documents report · 政策文件报告</h1>"
        f'<p class="meta">Tables in {esc(folder)}; numeric claims, keywords and topics from '
        f"policy_nlp {esc(__version__)}.</p></header>"
        "<nav>" + "".join(f'<a href="#{s.anchor}">{esc(s.title)}</a>' for s, _ in shown) + "</nav>"
        "<main>" + "".join(html for _, html in shown) + "</main>"
        f"<script>{js}</script></body></html>\n"
    )


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Read the tables in ``folder`` and write the report (default ``folder/report.html``)."""
    data = load_tables(folder)
    path = Path(out) if out is not None else Path(folder) / "report.html"
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(data))
    return path
