"""Find numeric claims in a policy document and resolve every field of the spec.

A claim is a quantity asserted about a measurable indicator (``spec/claims.md``):
``国内生产总值达到74.4万亿元`` gives value 74400000000000, unit 元, comparator ``=``,
kind achievement. ``extract`` works in three steps:

1. *mentions* and 2. *exclusions* (``mentions.find_mentions``): numbers with magnitude, unit
   and glued approximators, minus dates, ordinals, names (5G, “十四五”, “3+6”), list markers,
   rubric points, thresholds that define a group (亿元以上项目), time spans used as time (4年来);
3. *fields*: comparator, change, kind, year and indicator from the words around the number
   and from the document's structure (``structure.analyse``).

Extraction never raises on text: arbitrary input gives a (possibly empty) list.

>>> [c.mention for c in extract("2021年全市GDP达到4.32万亿元，增长8.1%。")]
['4.32万亿元', '8.1%']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from policy_nlp.claims import structure
from policy_nlp.claims.comparator import _change, _prefix_comparator
from policy_nlp.claims.context import _REPORT_TYPES, _YEAR_RE, _Clauses, _Ctx
from policy_nlp.claims.indicator import _indicator, _item_label
from policy_nlp.claims.kind import _kind
from policy_nlp.claims.mentions import (
    CJK,
    find_mentions,
    separates_list,
)
from policy_nlp.claims.tense import TenseClassifier, default_classifier
from policy_nlp.claims.years import _year
from policy_nlp.patterns import read_year
from policy_nlp.schema import CLAIM_FIELDS, COMPARATORS, KINDS, Claim
from policy_nlp.text import SentenceIndex, normalize

_DEFAULT = "default"
_FROM_IN_CLAUSE = re.compile(r"[从由][^，。；]{0,20}$")
_TO_LEVEL_AFTER = re.compile(
    r"[^，。；]{0,12}?(?:提高|提升|增加|增长|扩大|减少|下降|降低|缩小|优化整合|调整|增至|降至|到|至|为)"
)

__all__ = ["CLAIM_FIELDS", "COMPARATORS", "KINDS", "Claim", "extract"]


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
        classifier = default_classifier() if doc_type in _REPORT_TYPES else None
    ctx = _Ctx.build(norm, year, doc_type, classifier)
    ty = [read_year(m.group(1)) for m in _YEAR_RE.finditer(normalize(title))]
    ctx.title_year = (
        ty[0] if len(ty) == 1 and not structure._RANGE_TITLE.search(normalize(title)) else None
    )
    paras = structure.analyse(text, doc_year=year, doc_type=doc_type, title=title)
    ctx.paragraphs, ctx.paragraph_starts = paras, [p.start for p in paras]
    sentences = SentenceIndex(text)
    clauses = _Clauses(norm)
    claims: list[Claim] = []
    # 从X…到Y: (index of X, the year written with X (由2010年的X) or None, span)
    starts: list[tuple[int, int | None, int]] = []
    prev_comp = ("", 0)
    prev_indicator = ""
    prev_end = -1
    sentence_span, sentence = (-1, -1), ""
    for mn in mentions:
        sent = sentences.around(mn.start)
        s_start, s_end = sent.start, max(sent.end, mn.end)
        c_start = clauses.start(mn.start, s_start)
        k = bisect.bisect_right(ctx.paragraph_starts, mn.start) - 1
        para = paras[k] if k >= 0 and mn.start < paras[k].end else None
        c_end = clauses.end(mn.end)
        p_start = para.start if para else s_start
        # comparator: glued suffix, else the word just before, else shared in an enumeration
        if mn.suffix_comp:
            comp = comparator = mn.suffix_comp
        else:
            comp = _prefix_comparator(norm, mn.start)[0]
            if (
                not comp
                and prev_end >= 0
                and prev_comp[1] == prev_end
                and separates_list(norm, prev_end, mn.start)
            ):
                comp = prev_comp[0]
            comparator = comp or "="
        right_clause = norm[mn.end : c_end]
        counted = mn.category == "count" and CJK.match(norm, mn.end, c_end) is not None
        # cue words act within a few characters of the number
        near_left = norm[max(c_start, mn.start - 24) : mn.start]
        change = "up" if mn.kind_hint == "fan" else _change(near_left, right_clause, counted)
        if (
            not change
            and claims
            and prev_end >= 0
            and claims[-1].change
            and claims[-1].unit == mn.unit
            and separates_list(norm, prev_end, mn.start)
        ):  # 分别增长544.4%、199.2%、110.9%: the list's later items, past the cue's reach
            change = claims[-1].change
        years = ctx.years_near(
            mn.start, s_start, p_start, para is not None and para.mode == "review"
        )
        kind = _kind(ctx, mn, c_start, s_start, s_end, para, years)
        year_value = _year(ctx, kind, years, para)
        if _FROM_IN_CLAUSE.search(near_left) and _TO_LEVEL_AFTER.match(norm, mn.end, mn.end + 16):
            dated = years[-1][2] if years and years[-1][3] == "attached" else None
            starts.append((len(claims), dated, para.span if para else 1))
        same_clause = prev_end >= c_start
        indicator = _indicator(
            norm,
            mn,
            prev_end if same_clause else c_start,
            c_end,
            prev_indicator,
            _item_label(norm, c_start),
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
        prev_comp = (comp if comp and not mn.suffix_comp else "", mn.end)
        prev_end = mn.end
        prev_indicator = indicator
    _distribute_suffixes(norm, claims)
    _date_starting_values(norm, claims, starts, year, doc_type)
    return claims


def _date_starting_values(
    norm: str, claims: list[Claim], starts: list, doc_year: int | None, doc_type: str = ""
) -> None:
    """``从X提高到Y``: X is the level started from, an achievement one span before Y.

    The span is five (or ten) years in a review or plan of that many years
    (从五十四万亿元增长到八十万亿元) and one year otherwise (由55元提高到70元); a year written
    with X (由2010年的…) stands. A Party congress (held in autumn) reviews from the year of the
    previous congress to last year: X is dated at the previous congress, one year later.
    """
    for i, dated, span in starts:
        if i + 1 >= len(claims):
            continue
        x, y = claims[i], claims[i + 1]
        if y.start - x.end > 16 or any(c in "。；\n" for c in norm[x.end : y.start]):
            continue
        year = dated  # 由2010年的X: the year written with X, whatever the sentence's deadline
        if year is None and y.year is not None:
            ahead = doc_year is not None and y.year - doc_year >= 3
            years = span if span > 1 else 5 if ahead else 1
            year = (
                y.year
                - years
                + (1 if doc_type == "party_report" and years > 1 and not ahead else 0)
            )
        claims[i] = replace(x, kind="achievement", year=year)


_EACH_BEFORE = re.compile(r"分别[^，。；]{0,8}$")


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
            and _EACH_BEFORE.search(norm[max(0, claims[j].start - 12) : claims[j].start])
        ):
            for k in range(j, i):
                if claims[k].comparator == "=":
                    claims[k] = replace(claims[k], comparator=last.comparator)
        i = j - 1 if j < i else i - 1
