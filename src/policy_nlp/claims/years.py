"""The year a claim refers to: ``claim_year``, decided once per claim.

Per ``spec/claims.md`` ("year"): a target's deadline, the year an achievement held, empty for a
provision. The evidence is the year expressions that date the number (``DocContext.years_near``:
2015年, 到2025年, 今年, “十四五”), the section the number sits in (its deadline and five-year
plan: ``structure.analyse``) and the document's own year and type. The level a change starts
from (从X提高到Y) is dated from Y, one span earlier.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from policy_nlp.claims import structure
from policy_nlp.claims.context import REPORT_TYPES, RESULT_TYPES, DocContext, YearRef
from policy_nlp.claims.mentions import Mention
from policy_nlp.patterns import WITHIN_YEAR

__all__ = ["FollowingLevel", "claim_year", "starting_value", "starts_within_year"]

FROM_TO_GAP = 16  # at most this many characters between X and Y in 从X提高到Y
AHEAD = 3  # a Y this many years or more past the document's year is a five-year plan's target
PLAN_SPAN = 5  # years a plan's target lies ahead of its starting level

_FROM_IN_CLAUSE = re.compile(r"[从由][^，。；]{0,20}$")
# X started from a time within Y's own year (从上半年5.5%降到5.3%, 由年初的X): dated as Y.
_FROM_WITHIN_YEAR = re.compile(rf"[从由]{WITHIN_YEAR}的?$")
_TO_LEVEL_AFTER = re.compile(
    r"[^，。；]{0,12}?(?:提高|提升|增加|增长|扩大|减少|下降|降低|缩小|优化整合|调整|增至|降至|到|至|为)"
)


class FollowingLevel(NamedTuple):
    """What dates Y in 从X提高到Y, for X's year: Y's kind, years near it and paragraph."""

    kind: str
    years: list[YearRef]
    para: structure.Paragraph | None


def starting_value(norm: str, mn: Mention, left: str, following: Mention) -> bool:
    """Whether ``mn`` is X in 从X提高到Y (由55元提高到70元): 从/由 before it in its clause
    (``left``), a change word soon after, and Y, the ``following`` mention, close by in the
    same sentence."""
    return (
        ("从" in left or "由" in left)  # (most clauses: without running the pattern)
        and _FROM_IN_CLAUSE.search(left) is not None
        and _TO_LEVEL_AFTER.match(norm, mn.end, mn.end + FROM_TO_GAP) is not None
        and following.start - mn.end <= FROM_TO_GAP
        and not any(c in "。；\n" for c in norm[mn.end : following.start])
    )


def starts_within_year(left: str) -> bool:
    """Whether X in 从X到Y starts from a time within Y's year (从上半年, 由年初的): ``left`` is
    X's clause up to it."""
    return _FROM_WITHIN_YEAR.search(left) is not None


def claim_year(
    ctx: DocContext,
    kind: str,
    years: list[YearRef],
    para: structure.Paragraph | None,
    following: FollowingLevel | None = None,
    *,
    plan_figure: str = "",
    within_year: bool = False,
) -> int | None:
    """The year a claim refers to: its deadline for a target, when it held for an achievement.

    ``years`` are the year expressions that date it, ``para`` its paragraph. ``following`` is
    given when the claim is X in 从X提高到Y (``starting_value``): X is then dated by a year
    written with it (由2010年的X), else one span before Y: five (or ten) years in a review or
    plan of that many years (从五十四万亿元增长到八十万亿元), one otherwise (由55元提高到70元). A
    Party congress (held in autumn) reviews from the year of the previous congress to last
    year: X is dated at the previous congress, one year later. ``plan_figure``: the claim is a
    plan's or budget's own figure (``kind.plan_figure``); quoted against a result or in a
    review, it is a target of the reviewed year. ``within_year``: X starts from a time of
    Y's own year (从上半年5.5%降到5.3%): X is dated as Y.
    """
    doc_year = ctx.doc_year
    if following is not None:
        if years and years[-1].how == "attached":
            return years[-1].year  # 由2010年的X, whatever the sentence's deadline
        y_year = claim_year(ctx, *following)
        if y_year is None or within_year:
            return y_year
        ahead = doc_year is not None and y_year - doc_year >= AHEAD
        span = para.span if para else 1
        back = span if span > 1 else PLAN_SPAN if ahead else 1
        autumn = ctx.doc_type == "party_report" and back > 1 and not ahead
        return y_year - back + (1 if autumn else 0)
    if kind == "provision":
        return None
    if years and ctx.doc_type in RESULT_TYPES and years[-1].how == "previous":
        years = years[:-1]  # 比上年增长: a communiqué's or news item's base, not its year
    if years:
        y, how = years[-1].year, years[-1].how
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
    if kind == "target" and ctx.plan_period is not None:
        return ctx.plan_period[1]  # an outline's targets: the plan's last year
    if doc_year is None:
        return None
    review = para is not None and para.mode == "review"
    if kind == "target" and (plan_figure == "quoted" or (plan_figure and review)):
        return doc_year - 1  # a past plan's figure quoted in the review of its year
    if kind == "achievement":
        # reports review the year (or the five years) before they are given
        reviews = ctx.doc_type in REPORT_TYPES or ctx.doc_type == "plan_outline"
        return doc_year - 1 if reviews else doc_year
    if kind == "target" and (ctx.doc_type in REPORT_TYPES or ctx.title_year == doc_year):
        return doc_year
    return None
