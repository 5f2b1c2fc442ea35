"""A claim's kind: target (planned, expected), achievement (realised) or provision (a rule).

Per ``spec/claims.md`` ("kind"): a quantitative rule a policy document lays down is a
provision; an explicit deadline (到2025年) decides; then the strong cue words of the clause
and sentence (力争, 目标, 已, 累计: ``data/kind_cues.tsv``); then the year the number holds for
against the document's year; then, in reports, the tense classifier's reading of the passage
with the section it sits in; else the section's mode and the weak cues of the sentence.
"""

from __future__ import annotations

import re
from functools import cache

from policy_nlp.claims.context import (
    PLAN_TYPES,
    REPORT_TYPES,
    RESULT_TYPES,
    RULE_TYPES,
    DocContext,
    Place,
    YearRef,
)
from policy_nlp.claims.lexicon import alternation, words
from policy_nlp.claims.mentions import Mention

__all__ = ["claim_kind", "plan_figure"]

LIMIT_REACH = 12  # characters before a duration where a time-limit word (有效期, 最长) acts
SECTIONED_TYPES = ("plan_report", "budget_report")
PLAN_WORD_REACH = 10  # characters before a number where a plan's own word (预算数) names it

# Reports (work reports, Party congress reports) decide kind with the tense classifier. The
# weights of the other evidence were chosen on our annotated sets (tests/data/train, dev gold;
# held-out checked after): kind accuracy gold 0.87 -> 0.96, held-out reports 0.92 -> 0.93.
_W_SENTENCE, _W_MODE, _W_CUE, _W_LEAD = 0.5, 1.0, 1.0, 3.0
_MODE_SIGN = {"plan": 1, "review": -1}  # which way a section's mode weighs
_DECISIVE = 4.5  # |log-odds| beyond which the sentence term (weight 0.5, within ±9) cannot flip it


@cache
def _rule_words() -> re.Pattern:
    """Words that make a sentence of a policy a rule (给予, 补贴, 税率: provision_cues.tsv)."""
    return re.compile(alternation(words("provision_cues.tsv", "rule")))


# a completion rate: 完成全年目标的95.0%, 完成预算的101.7%, 完成年度计划任务95%
_COMPLETION = re.compile(r"完成(?:了)?(?:全年|年度|年初)?(?:目标|计划|预算|任务)(?:任务)?(?:的)?")
_COMPLETION_BEFORE = re.compile(_COMPLETION.pattern + "$")
# a plan's figure set against what was done: 完成预算数…, 超过计划增长5%的要求
_QUOTED_BEFORE = re.compile(r"(?:完成|超过|超出|高于|低于|好于|达到)了?\s*$")


@cache
def _plan_figure_before() -> tuple[re.Pattern, frozenset[str]]:
    """A plan's or budget's own figure named right before the number (预算数31220万元,
    计划增长5%, 年初预算安排…): the figure is a target, even in a review (spec v2: a past
    plan's figure quoted against its result is a target of that past year). With the first
    characters of those words: a window holding none of them cannot match."""
    # not the excess over a plan (超年度计划28%, 比预算数多…): that is a result
    plan_words = words("provision_cues.tsv", "plan_figure")
    pattern = re.compile(
        rf"(?<![超比])(?:{alternation(plan_words)})"
        r"(?:为|是|增长|下降|增加|减少|安排|要求)?(?:超过|达到|达|约|近)?$"
    )
    return pattern, frozenset(w[0] for w in plan_words)


@cache
def _limit_before() -> re.Pattern:
    """A time-limit word shortly before a duration (有效期3年, 最长不超过6个月)."""
    return re.compile(rf"(?:{alternation(words('provision_cues.tsv', 'limit'))})[^，。；]{{0,8}}$")


def plan_figure(ctx: DocContext, mn: Mention, c_start: int) -> str:
    """``plan`` when the number is a plan's or budget's own figure, named right before it in
    its clause (预算数31220万元, 计划增长5%, 专项债务限额3.9万亿元): a target; ``quoted`` when
    that figure is quoted against a result (完成预算数…的101.7%, 超过计划增长5%的要求): a target
    of the reviewed year; else ``""``."""
    lo = max(c_start, mn.start - PLAN_WORD_REACH)
    pattern, firsts = _plan_figure_before()
    if firsts.isdisjoint(ctx.norm[lo : mn.start]):
        return ""  # no plan word starts in the window (most numbers): the pattern is not run
    m = pattern.search(ctx.norm, lo, mn.start)
    if m is None:
        return ""
    return "quoted" if _QUOTED_BEFORE.search(ctx.norm, c_start, m.start()) else "plan"


def claim_kind(
    ctx: DocContext,
    mn: Mention,
    place: Place,
    years: list[YearRef],
    *,
    starting: bool = False,
) -> str:
    """target, achievement or provision for a mention at ``place``, with ``years`` the year
    expressions that date it (``DocContext.years_near``). ``starting``: the mention is the
    level a change starts from (从X提高到Y: ``years.starting_value``), an achievement."""
    if starting:
        return "achievement"  # 从X提高到Y: X is the level started from
    norm, doc_year, doc_type = ctx.norm, ctx.doc_year, ctx.doc_type
    s_start, s_end, c_start, _, para, _ = place
    # a quantitative rule laid down by a policy document
    time_limit = mn.category == "time" and (
        norm.endswith(("内", "之内"), mn.start, mn.end)
        or _limit_before().search(norm, max(0, mn.start - LIMIT_REACH), mn.start)
    )
    deadline = years[-1].year if years and years[-1].how == "deadline" else None
    if doc_type in RULE_TYPES and (deadline is None or (doc_year and deadline < doc_year)):
        return "provision"  # a regulation's fines, fees, limits and periods
    if doc_type not in REPORT_TYPES and (_rule_words().search(norm, s_start, s_end) or time_limit):
        return "provision"  # a rule: subsidy rates and caps, fees, time limits (7个工作日内答复)
    # an explicit deadline right there
    if deadline is not None:
        return "target" if doc_year is None or deadline >= doc_year else "achievement"
    lo = max(c_start, mn.start - PLAN_WORD_REACH)
    if norm.find("完成", lo, mn.start) >= 0 and _COMPLETION_BEFORE.search(norm, lo, mn.start):
        return "achievement"  # 完成全年目标的95.0%: how much of a goal was done
    if plan_figure(ctx, mn, c_start):
        return "target"  # 完成预算数31220万元的101.7%: the budget's figure
    learned = doc_type in REPORT_TYPES and ctx.classifier is not None and para is not None
    for lo in () if learned else (c_start, s_start):
        cue = ctx.last_strong_cue(lo, mn.start)
        if cue:
            return cue.kind
    mode = para.lead_mode or para.mode if para else ""
    if years:
        y, how = years[-1].year, years[-1].how
        if how in ("explicit", "relative") and doc_year is not None:
            if y < doc_year:
                return "achievement"
            # 今年 plans in a report; in news and communiqués it dates released data
            this_year_plans = how == "relative" and y == doc_year and doc_type not in RESULT_TYPES
            if y > doc_year or this_year_plans:
                return "target"
        if how == "period" and doc_year is not None:
            return "achievement" if y < doc_year else "target"
    if doc_type in SECTIONED_TYPES and mode in ("review", "plan"):
        # plan and budget reports head their sections plainly (计划执行情况, 预算草案, 主要目标):
        # the section decides; a review may still quote a plan (计划…), but a plan's 比上年增长
        # compares its goal with last year, it does not report a result
        cue = ctx.last_strong_cue(c_start, mn.start)
        if mode == "review" and cue is not None and cue.kind == "target":
            return "target"
        return "achievement" if mode == "review" else "target"
    if doc_type in RESULT_TYPES:
        # released data: results unless a cue, a later year or the sentence's words say not
        done = [m.span() for m in _COMPLETION.finditer(norm, s_start, s_end)]
        weak = [
            c.kind
            for c in ctx.cues_in(s_start, s_end)
            if c.kind != "provision" and not any(a <= c.start < b for a, b in done)
        ]  # 完成全年目标 reports a result: its 目标 is not a target word
        return "target" if weak.count("target") > weak.count("achievement") + 1 else "achievement"
    if learned:
        # reports: the learned reading of the paragraph and sentence, plus the section the
        # headings put it in and the nearest strong cue word, as evidence in log-odds
        # a paragraph that opens by saying what it lists (主要预期目标是：) outweighs the section
        weight = _W_LEAD if para.lead_mode else _W_MODE
        z = ctx.context_logit(para) + weight * _MODE_SIGN.get(mode, 0)
        cue = ctx.last_strong_cue(s_start, mn.start)  # the nearest in its sentence
        if cue:
            z += _W_CUE * (1 if cue.kind == "target" else -1)
        if abs(z) < _DECISIVE:  # the sentence's own reading only matters near the boundary
            z += _W_SENTENCE * ctx.plan_logit(s_start, s_end)
        return "target" if z > 0 else "achievement"
    if mode == "review":
        return "achievement"
    if mode == "plan":
        return "target"
    weak = [c for c in ctx.cues_in(s_start, s_end) if c.kind != "provision"]
    t = sum(1 for c in weak if c.kind == "target")
    a = sum(1 for c in weak if c.kind == "achievement")
    if doc_type in PLAN_TYPES:
        return "achievement" if a > t + 1 else "target"
    if t > a:
        return "target"
    return "achievement"
