"""Find numeric claims in a policy document and resolve every field of the spec.

A claim is a quantity asserted about a measurable indicator (``spec/claims.md``):
``国内生产总值达到74.4万亿元`` gives value 74400000000000, unit 元, comparator ``=``,
kind achievement. ``extract`` works in three steps:

1. *mentions* (``mentions``): numbers with magnitude, unit and glued approximators;
2. *exclusions* (``exclusions``): minus what the spec says is not a claim (dates and time used
   as time, ordinals, names such as 5G or “十四五”, idioms, rubric points, groups, thresholds);
3. *fields*: for each mention, against one ``DocContext`` built once per document,
   its comparator and change (``comparator``), kind (``kind``), year (``years``) and indicator
   (``indicator``).

Extraction never raises on text: arbitrary input gives a (possibly empty) list.

>>> [c.mention for c in extract("2021年全市GDP达到4.32万亿元，增长8.1%。")]
['4.32万亿元', '8.1%']
"""

from __future__ import annotations

import re
from dataclasses import replace

from policy_nlp.claims.comparator import claim_change, claim_comparator
from policy_nlp.claims.context import REPORT_TYPES, DocContext
from policy_nlp.claims.exclusions import find_mentions
from policy_nlp.claims.indicator import claim_indicator
from policy_nlp.claims.kind import claim_kind, plan_figure
from policy_nlp.claims.mentions import is_han, separates_list
from policy_nlp.claims.tense import TenseClassifier, default_classifier
from policy_nlp.claims.years import (
    FollowingLevel,
    claim_year,
    starting_value,
    starts_within_year,
)
from policy_nlp.schema import CLAIM_FIELDS, COMPARATORS, KINDS, Claim
from policy_nlp.text import normalize

__all__ = ["CLAIM_FIELDS", "COMPARATORS", "KINDS", "Claim", "extract"]

_DEFAULT = "default"
CUE_REACH = 24  # characters before a number (within its clause) where change words act


def extract(
    text: str,
    *,
    doc_id: str = "",
    year: int | None = None,
    doc_type: str = "",
    title: str = "",
    classifier: TenseClassifier | str | None = _DEFAULT,
) -> list[Claim]:
    """All numeric claims of one document, in text order.

    ``year`` is the document's own year (from its header): relative years such as 今年
    resolve against it, and stay empty when it is unknown. ``doc_type`` (gov_work_report,
    plan, policy, party_report, article) guides the kind of claims with no cue of their own.
    ``classifier`` reads review versus plan passages in reports: the shipped model
    (``models/tense.npz``) by default, ``None`` for the cue-word rules alone.
    """
    if not text:
        return []
    norm = normalize(text)
    mentions = find_mentions(norm)
    if not mentions:
        return []
    if classifier == _DEFAULT:
        classifier = default_classifier() if doc_type in REPORT_TYPES else None
    ctx = DocContext.build(
        text, norm, doc_year=year, doc_type=doc_type, title=title, classifier=classifier
    )
    claims: list[Claim] = []
    shared = ""  # the comparator the previous mention passes on to a list's next item
    prev_indicator = ""
    prev_end = -1
    sentence_span, sentence = (-1, -1), ""
    last = len(mentions) - 1
    for i, mn in enumerate(mentions):
        place = ctx.place(mn)
        s_start, s_end, c_start, c_end, para, _ = place
        comparator, shared = claim_comparator(norm, mn, shared, prev_end)
        counted = mn.category == "count" and mn.end < c_end and is_han(norm[mn.end])
        near_left = norm[max(c_start, mn.start - CUE_REACH) : mn.start]
        change = claim_change(
            norm, mn, near_left, norm[mn.end : c_end], counted, claims[-1] if claims else None
        )
        years = ctx.years_near(mn.start, place)
        following = mentions[i + 1] if i < last else None
        if following is not None and starting_value(norm, mn, near_left, following):
            # 从X提高到Y: X is the level started from, dated from Y
            y_place = ctx.place(following)
            y_years = ctx.years_near(following.start, y_place)
            y_kind = claim_kind(ctx, following, y_place, y_years)
            kind = claim_kind(ctx, mn, place, years, starting=True)
            year_value = claim_year(
                ctx,
                kind,
                years,
                para,
                FollowingLevel(y_kind, y_years, y_place.para),
                within_year=starts_within_year(near_left),
            )
        else:
            kind = claim_kind(ctx, mn, place, years)
            quoted_plan = plan_figure(ctx, mn, c_start) if kind == "target" else ""
            year_value = claim_year(ctx, kind, years, para, plan_figure=quoted_plan)
        indicator = claim_indicator(
            norm,
            mn,
            prev_end if prev_end >= c_start else c_start,  # a list's later items start after it
            c_end,
            prev_indicator,
            c_start,
        )
        if (s_start, s_end) != sentence_span:  # claims of one sentence share its string
            sentence_span, sentence = (s_start, s_end), text[s_start:s_end]
        claims.append(
            Claim(
                doc_id,
                mn.start,
                mn.end,
                text[mn.start : mn.end],
                mn.value,
                mn.value_high,
                mn.unit,
                comparator,
                kind,
                year_value,
                change,
                indicator,
                sentence,
            )  # positional, in field order (CLAIM_FIELDS): the hot loop of extraction
        )
        prev_end = mn.end
        prev_indicator = indicator
    _distribute_suffixes(norm, claims)
    return claims


_EACH_BEFORE = re.compile(r"分别[^，。；]{0,8}$")
_EACH_REACH = 12  # characters before a list where its 分别 is looked for


def _distribute_suffixes(norm: str, claims: list[Claim]) -> None:
    """``分别增长5%、6.5%左右``: the glued approximator of the last item applies to the list."""
    i = len(claims) - 1
    while i > 0:
        last = claims[i]
        j = i
        while j > 0 and separates_list(norm, claims[j - 1].end, claims[j].start):
            j -= 1
        if (
            j < i
            and last.comparator in ("~", ">=", "<=")
            and _EACH_BEFORE.search(norm[max(0, claims[j].start - _EACH_REACH) : claims[j].start])
        ):
            for k in range(j, i):
                if claims[k].comparator == "=":
                    claims[k] = replace(claims[k], comparator=last.comparator)
        i = j - 1 if j < i else i - 1
