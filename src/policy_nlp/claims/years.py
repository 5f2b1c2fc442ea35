"""The year a claim refers to."""

from __future__ import annotations

from policy_nlp.claims import structure
from policy_nlp.claims.context import _REPORT_TYPES, _Ctx


def _year(
    ctx: _Ctx,
    kind: str,
    years: list[tuple[int, int, int, str]],
    para: structure.Paragraph | None,
) -> int | None:
    """The year a claim refers to: its deadline for a target, when it held for an achievement."""
    doc_year = ctx.doc_year
    if kind == "provision":
        return None
    if years:
        _, _, y, how = years[-1]
        if (
            how == "previous"
            and kind == "achievement"
            and para is not None
            and para.mode == "review"
        ):
            return y - 1  # 上年 in a review of last year is the year before it
        if kind == "target" and (doc_year is None or y >= doc_year):
            return y
        if kind == "achievement" and (doc_year is None or y <= doc_year or how != "deadline"):
            return y
    if para is not None:
        if kind == "target" and para.period and (para.mode != "review" or para.names_period):
            return structure.period_end(para.period)
        if kind == "target" and para.deadline and (doc_year is None or para.deadline >= doc_year):
            return para.deadline
    if doc_year is None:
        return None
    if kind == "achievement":
        # reports review the year (or the five years) before they are given
        return doc_year - 1 if ctx.doc_type in _REPORT_TYPES else doc_year
    if kind == "target" and (ctx.doc_type in _REPORT_TYPES or ctx.title_year == doc_year):
        return doc_year
    return None
