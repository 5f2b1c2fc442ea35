"""The HTML report of a run's tables: one self-contained page of charts (SVG) and tables.

``load`` reads and checks the tables, ``sections`` renders each part of the page (``markup``
holds the HTML pieces, ``charts`` the SVG), ``page`` assembles and writes it.
"""

from policy_nlp.report.load import ReportData, ReportError, load_tables
from policy_nlp.report.page import render, write_report

__all__ = ["ReportData", "ReportError", "load_tables", "render", "write_report"]
