"""The HTML report of a run's tables: one self-contained page of charts (SVG) and tables."""

from policy_nlp.report.page import ReportError, load_tables, render, write_report

__all__ = ["ReportError", "load_tables", "render", "write_report"]
