"""Target tracking: link each target to the later achievement that settles it, and judge it.

A target (``国内生产总值增长8%左右`` in the 2010 report) is settled by an achievement in another
document of the batch that reports the same indicator for the target's deadline year
(``国内生产总值增长10.3%`` in the 2011 report's review of 2010), as ``spec/tracking.md`` defines:

- same indicator in meaning (``indicator_key`` and ``indicator_similarity``: names are cleaned of
  filler and change words, wordings mapped by ``data/indicator_synonyms.tsv``, then compared by
  characters and the run's tokens), at the same level of government (``jurisdiction``);
- the achievement's year equals the target's year; units compatible; a growth settles a
  growth and a level a level; a figure over several years (年均, 这五年) only a period target;
- status ``met`` / ``missed`` as an analyst reads the target (``judge``), ``unsettled`` when no
  numeric achievement qualifies; ``gap`` = achieved − target in the target's unit.

The work is split so that the pipeline can do the text-heavy part per document in its workers
(``describe``: one ``Fact`` per claim, using the paragraph around it) and the linking once per
batch (``link``). ``track`` does both from the claims and documents tables of a ``Result``.
Linking compares names by tokens of ``tokenizer`` (a ``policy_nlp.tokens.Tokenizer``, a
backend name, or None for the default backend): the run passes its own, so ``--tokenizer``
means one thing everywhere.

>>> judge(value=8, value_high=None, comparator="~", unit="%", polarity="more", achieved=7.6)
('met', -0.4)
>>> judge(value=3, value_high=None, comparator="~", unit="%", polarity="less", achieved=3.6)
('missed', 0.6)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

import pandas as pd
import regex

from policy_nlp import tables
from policy_nlp.errors import OptionError
from policy_nlp.patterns import DIFFERENCE_BEFORE
from policy_nlp.regions import NATION
from policy_nlp.resources import read_table
from policy_nlp.schema import COLUMNS
from policy_nlp.tokens import Tokenizer
from policy_nlp.tracking.facts import Fact, cell_int, cell_str, describe
from policy_nlp.tracking.government import (
    CENTRAL_GOVERNMENT,
    NO_GOVERNMENT,
    Level,
    government_bucket,
    jurisdiction,
    same_government,
)
from policy_nlp.tracking.headline import headline_key
from policy_nlp.tracking.indicators import (
    IndicatorKey,
    display_name,
    indicator_similarity,
    names_indicator,
    polarity,
    resolve_tokenizer,
    same_indicator,
)

__all__ = [
    "TOLERANCE_POINTS",
    "TOLERANCE_RELATIVE",
    "TRACKING_FIELDS",
    "DocInfo",
    "LinkBucket",
    "LinkCache",
    "documents_info",
    "judge",
    "link",
    "link_bucket",
    "link_buckets",
    "link_rows",
    "linkable",
    "track",
    "trackable",
]

TRACKING_FIELDS = tuple(COLUMNS["tracking"])

# 左右 adds this tolerance: half a point for a figure in %; 5% of the figure for other units.
TOLERANCE_POINTS = 0.5
TOLERANCE_RELATIVE = 0.05
# Figures compare equal within this much (floats of decimal figures: 8.0 vs 7.999999…).
_EPS = 1e-9


# ----------------------------------------------------------------------------- status


def judge(
    *,
    value: float,
    value_high: float | None,
    comparator: str,
    unit: str,
    polarity: str,
    achieved: float,
) -> tuple[str, float]:
    """Status (``met``/``missed``) and gap (achieved − target) of a target given its result.

    Floors (``>=``, ``>``) and ceilings (``<=``, ``<``) as written; a range is met inside or on
    the good side (a growth range 6%-6.5% by 6.2% or 7%); a plain figure is a floor when more
    is better and a ceiling when less is; ``~`` (左右) widens that floor or ceiling by the
    tolerance (0.5 points in %, else 5% of the figure). The gap of a range is measured from
    the bound that decides (the low end for a floor, the high end for a ceiling).
    """
    if polarity not in ("more", "less"):
        raise OptionError(f"polarity must be 'more' or 'less', not {polarity!r}")
    target = value
    if comparator in (">=", ">"):
        ok = achieved > value + _EPS if comparator == ">" else achieved >= value - _EPS
    elif comparator in ("<=", "<"):
        ok = achieved < value - _EPS if comparator == "<" else achieved <= value + _EPS
    elif comparator == "range":
        high = value if value_high is None else value_high
        if polarity == "more":
            ok = achieved >= value - _EPS
        else:
            target = high
            ok = achieved <= high + _EPS
    elif comparator == "~":
        tol = TOLERANCE_POINTS if unit == "%" else TOLERANCE_RELATIVE * abs(value)
        ok = (
            achieved >= value - tol - _EPS if polarity == "more" else achieved <= value + tol + _EPS
        )
    elif comparator == "=":
        ok = achieved >= value - _EPS if polarity == "more" else achieved <= value + _EPS
    else:
        raise OptionError(f"unknown comparator {comparator!r}")
    return ("met" if ok else "missed"), _round(achieved - target)


def _round(x: float) -> float:
    """A difference of two decimal figures without float noise (10.3 − 8 = 2.3, not 2.3000…4)."""
    return float(f"{x:.10g}")


# ----------------------------------------------------------------------------- linking


class DocInfo(NamedTuple):
    """What linking needs of a document: its year and the government it speaks for."""

    year: int | None
    government: tuple[str, str, str]


class LinkBucket(NamedTuple):
    """The group a fact is linked within (``link_bucket``)."""

    year: int
    scope: str
    level: Level | None


class _Candidate(NamedTuple):
    """An achievement a target may be settled by. ``order`` sorts a key's candidates as
    ``link_rows`` ranks them after the similarity: its document's year (0 when unknown), its
    document, its offset, its place among its document's achievements in the bucket."""

    order: tuple[int, str, int, int]
    doc_year: int | None
    government: tuple[str, str, str]
    fact: Fact


class LinkCache:
    """What linking learns of names, kept for a whole run of ``link_rows`` calls (one per
    partition of a batch): each distinct indicator key gets a number, the similarity of each
    pair of keys (None: not the same indicator) is computed once, and a target's table cells
    that depend only on its name (display name, headline key, polarity, ``linkable``) once
    per name. Unbounded on purpose: it grows with the run's distinct names, not its documents
    (a bounded cache would forget pairs that come back in the next partition). One cache
    serves one tokenizer."""

    def __init__(self) -> None:
        self.ids: dict[IndicatorKey, int] = {}
        self.similarities: dict[int, dict[int, float | None]] = {}  # key -> other key -> sim
        self.names: dict[tuple[str, str, str], tuple[str, str, str, bool]] = {}

    def key_id(self, key: IndicatorKey) -> int:
        """The number of ``key`` (equal keys, equal numbers)."""
        n = self.ids.get(key)
        if n is None:
            n = self.ids[key] = len(self.ids)
        return n

    def name_cells(self, t: Fact) -> tuple[str, str, str, bool]:
        """(``display_name``, ``headline_key``, ``polarity``, ``linkable``) of a target."""
        name = (t.indicator, t.unit, t.change)
        cells = self.names.get(name)
        if cells is None:
            cells = self.names[name] = (
                display_name(t.indicator),
                headline_key(t.indicator, t.unit, t.change),
                polarity(t.indicator, t.change),
                linkable(t),
            )
        return cells


_NO_INFO = DocInfo(None, NO_GOVERNMENT)
# a name that ends in a comparison with last year (城镇新增就业预期目标比去年多100万人): the
# figure is a difference between two years' targets, not a target
_DIFFERENCE = regex.compile(DIFFERENCE_BEFORE)


def trackable(facts: Iterable[Fact]) -> list[Fact]:
    """The targets to track, in order. A target restated in the same document keeps its own
    row, as spec/tracking.md asks (one row per target); the panel collapses restatements. A
    difference between two years' targets (比去年多100万人) is listed too, but never linked
    (``linkable``): no outcome states a difference of targets."""
    return [t for t in facts if t.kind == "target"]


def linkable(target: Fact) -> bool:
    """Whether an outcome can settle ``target``: not a difference between two years' targets
    (比去年多100万人)."""
    return not _DIFFERENCE.search(target.indicator)


@cache
def _count_units() -> frozenset[str]:
    """Canonical units that count things or people (``count`` in data/units.tsv)."""
    return frozenset(row[1] for row in read_table("units.tsv") if row[2:3] == ("count",))


def _units_agree(t: str, a: str) -> bool:
    """Same unit; or a count unit with none written (新增就业1100万 / 1100万人)."""
    if t == a:
        return True
    if not t or not a:
        return (t or a) in _count_units()
    return False


def _achieved(target: Fact, ach: Fact) -> float | None:
    """The achieved figure in the target's terms, or None when the change does not agree."""
    if bool(target.change) != bool(ach.change):  # a growth never settles a level
        return None
    if target.change and ach.change != target.change:  # 下降0.7% settles a rise target as -0.7
        return -ach.value
    return ach.value


def link(
    facts: Iterable[Fact],
    documents: pd.DataFrame | None = None,
    *,
    tokenizer: Tokenizer | str | None = None,
) -> pd.DataFrame:
    """The tracking table: one row per target fact, with the achievement that settles it.

    ``documents`` (the documents table) gives each document's year, issuer and title: an
    achievement comes from another, later document of the same government. ``tokenizer``
    cuts names the synonym table does not know (see ``same_indicator``).

    Achievements are indexed by year, scope, the government's lowest level and the name's
    concepts, then by name, each name's sorted as they rank: a target reads the first that
    qualifies of each name, most similar names first (a batch of many reports, or one
    government's many years, costs about linear time, not targets × achievements).
    """
    rows = list(link_rows(facts, documents_info(documents), tokenizer=tokenizer))
    if not rows:
        return tables.empty_frame("tracking")
    return tables.typed(pd.DataFrame(rows, columns=list(TRACKING_FIELDS)), "tracking")


def link_bucket(fact: Fact, government: tuple[str, str, str]) -> LinkBucket | None:
    """The group within which ``link`` compares a fact: (year, scope, the lowest level of
    ``government``, its document's ``jurisdiction``) for an achievement with a year or a target
    with a year and a named indicator; None for a fact linked with nothing. Facts of different
    groups never meet, so a batch's facts can be linked a group at a time."""
    return _bucket(fact, government_bucket(government))


def link_buckets(
    facts: Iterable[Fact], government: tuple[str, str, str]
) -> list[LinkBucket | None]:
    """``link_bucket`` of each of one document's ``facts`` (``government`` read once)."""
    level = government_bucket(government)
    return [_bucket(f, level) for f in facts]


def _bucket(fact: Fact, level: Level | None) -> LinkBucket | None:
    """``link_bucket`` given the government's ``government_bucket``."""
    if fact.year is None or fact.kind not in ("target", "achievement"):
        return None
    if fact.kind == "target" and not names_indicator(fact.indicator):
        return None
    return LinkBucket(fact.year, fact.scope, level)


def link_rows(
    facts: Iterable[Fact],
    docs: Mapping[str, tuple[int | None, tuple[str, str, str]]],
    *,
    tokenizer: Tokenizer | str | None = None,
    cache: LinkCache | None = None,
) -> Iterator[dict]:
    """``link``'s rows, unsorted: one per ``trackable`` target fact, in the order of ``facts``.

    ``docs`` is ``documents_info`` of the documents table. The result for a target depends
    only on the facts of its ``link_bucket`` (and their order), so ``facts`` may be any set of
    whole buckets. ``tokenizer`` cuts names (None: the default backend); ``cache`` keeps what
    is learnt of names from one call to the next (a run's calls, all with one tokenizer).
    """
    facts = list(facts)
    tk = resolve_tokenizer(tokenizer)
    cache = LinkCache() if cache is None else cache
    # doc_id -> (year, government, the government's bucket level), looked up once a document
    info: dict[str, tuple[int | None, tuple[str, str, str], Level | None]] = {}

    def doc(doc_id: str) -> tuple[int | None, tuple[str, str, str], Level | None]:
        found = info.get(doc_id)
        if found is None:
            year, gov = docs.get(doc_id, _NO_INFO)
            found = info[doc_id] = (year, gov, government_bucket(gov))
        return found

    # Achievements by group, link_bucket's fields and the key's concepts (same_indicator
    # needs equal concept sets, so a target reads only its own group), then by key number.
    # Each key's candidates are sorted as they rank after the similarity, so a target takes
    # the first that qualifies of each key instead of ranking them all: linear in the facts
    # even when one government's many years fill a bucket.
    groups: dict[tuple, dict[int, tuple[IndicatorKey, list[_Candidate]]]] = {}
    placed: dict[tuple, int] = {}
    for f in facts:
        if f.kind != "achievement" or f.year is None:
            continue
        a_year, a_gov, level = doc(f.doc_id)
        bucket = _bucket(f, level)
        n = placed.get((bucket, f.doc_id), 0)
        placed[bucket, f.doc_id] = n + 1
        if a_year is not None and f.year >= a_year:
            continue  # a report of Y cannot know Y's outcome: a target read as one
        by_key = groups.setdefault((*bucket, f.key.concepts), {})
        k_id = cache.key_id(f.key)
        if k_id not in by_key:
            by_key[k_id] = (f.key, [])
        by_key[k_id][1].append(_Candidate((a_year or 0, f.doc_id, f.start, n), a_year, a_gov, f))
    for by_key in groups.values():
        for _, candidates in by_key.values():
            candidates.sort(key=attrgetter("order"))
    # (group, target key) -> [(similarity, candidates)] of the keys that are the same
    # indicator, most similar first: targets restating one name share it
    matches: dict[tuple[tuple, int], list[tuple[float, list[_Candidate]]]] = {}
    for t in trackable(facts):
        shown, key_code, pol, can_link = cache.name_cells(t)
        t_year, t_gov, level = doc(t.doc_id)
        best: Fact | None = None
        bucket = _bucket(t, level) if can_link else None
        if bucket is not None:
            group = (*bucket, t.key.concepts)
            by_key = groups.get(group)
            if by_key is not None:
                t_id = cache.key_id(t.key)
                found = matches.get((group, t_id))
                if found is None:
                    found = matches[group, t_id] = _same_keys(cache, t.key, t_id, by_key, tk)
                best = _best(t, t_year, t_gov, found)
        yield _row(t, best, shown, key_code, pol)


def _same_keys(
    cache: LinkCache,
    t_key: IndicatorKey,
    t_id: int,
    by_key: dict[int, tuple[IndicatorKey, list[_Candidate]]],
    tk: Tokenizer,
) -> list[tuple[float, list[_Candidate]]]:
    """The keys of a group that are the same indicator as ``t_key`` (key number ``t_id``),
    with their similarity and candidates, most similar first."""
    known = cache.similarities.setdefault(t_id, {})
    found = []
    for k_id, (key, candidates) in by_key.items():
        if k_id in known:
            sim = known[k_id]
        else:
            same = same_indicator(t_key, key, tokenizer=tk)
            sim = known[k_id] = indicator_similarity(t_key, key, tokenizer=tk) if same else None
        if sim is not None:
            found.append((sim, candidates))
    found.sort(key=itemgetter(0), reverse=True)
    return found


def _best(
    t: Fact,
    t_year: int | None,
    t_gov: tuple[str, str, str],
    found: list[tuple[float, list[_Candidate]]],
) -> Fact | None:
    """The achievement that settles ``t``: of the same indicator, from another, later document
    of the same government, in agreeing units and change; the closest name, the nearest year,
    then the first in document order."""
    best, best_rank = None, None
    for sim, candidates in found:
        if best_rank is not None and -sim > best_rank[0]:
            break  # a less similar name never ranks first
        for c in candidates:  # sorted: the first that qualifies is this key's best
            if c.doc_year is not None and t_year is not None and c.doc_year <= t_year:
                continue
            a = c.fact
            if a.doc_id == t.doc_id:
                continue
            if c.government != t_gov and not same_government(t_gov, c.government):
                continue
            if not _units_agree(t.unit, a.unit) or _achieved(t, a) is None:
                continue
            year, doc_id, start, n = c.order
            rank = (-sim, year - (t_year or 0), doc_id, start, n)
            if best_rank is None or rank < best_rank:
                best, best_rank = a, rank
            break
    return best


def documents_info(documents: pd.DataFrame | None) -> dict[str, DocInfo]:
    """doc_id -> (year, ``jurisdiction``) from the documents table, as ``link_rows`` reads it."""
    info: dict[str, DocInfo] = {}
    if documents is None or documents.empty:
        return info
    for r in documents.to_dict("records"):
        gov = jurisdiction(cell_str(r.get("issuer")), cell_str(r.get("title")))
        if gov == NO_GOVERNMENT and cell_str(r.get("region_code")) == NATION:
            gov = CENTRAL_GOVERNMENT  # named only by its speaker line (国务院总理 …)
        info[cell_str(r.get("doc_id"))] = DocInfo(cell_int(r.get("year")), gov)
    return info


def _row(t: Fact, a: Fact | None, shown: str, key_code: str, pol: str) -> dict:
    """A tracking row: target ``t`` settled by ``a`` (None: unsettled); ``shown``, ``key_code``
    and ``pol`` are its name's display name, headline key and polarity."""
    row = {
        "target_doc_id": t.doc_id,
        "target_start": t.start,
        "target_end": t.end,
        "target_mention": t.mention,
        "indicator": shown,
        "year": t.year,
        "target_value": t.value,
        "target_value_high": t.value_high,
        "target_comparator": t.comparator,
        "unit": t.unit,
        "status": "unsettled",
        "indicator_key": key_code,
    }
    if a is not None:
        achieved = _achieved(t, a)
        status, gap = judge(
            value=t.value,
            value_high=t.value_high,
            comparator=t.comparator,
            unit=t.unit or a.unit,
            polarity=pol,
            achieved=achieved,
        )
        row.update(
            achievement_doc_id=a.doc_id,
            achievement_start=a.start,
            achievement_end=a.end,
            achievement_mention=a.mention,
            achieved_value=achieved,
            status=status,
            gap=gap,
        )
    return row


def track(
    claims: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    texts: Mapping[str, str] | None = None,
    *,
    tokenizer: Tokenizer | str | None = None,
) -> pd.DataFrame:
    """The tracking table from a claims table (and the documents table, for years and issuers).

    ``texts`` (doc_id → document text) lets a figure's scope read its whole paragraph;
    ``tokenizer`` cuts names when they are compared (None: the default backend).
    """
    facts: list[Fact] = []
    if not claims.empty:
        ordered = claims.sort_values(["doc_id", "start"], kind="mergesort")
        for doc_id, group in ordered.groupby("doc_id", sort=True):
            text = texts.get(str(doc_id)) if texts else None
            facts.extend(describe(group.to_dict("records"), text))
    return link(facts, documents, tokenizer=tokenizer)
