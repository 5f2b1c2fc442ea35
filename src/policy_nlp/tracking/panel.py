"""The headline panel (spec/panel.md): one row per region, year, headline indicator and horizon.

``build_panel(claims, documents, facts=…, outcomes=…)`` reads the claims of a batch whose
``headline_key`` is set and fills each cell:

- the **target** of year Y is the first statement in the report of year Y (the ``预期目标``
  sentence first); a restatement that agrees collapses into the row, one that differs goes to
  ``note``; a difference between two figures (``比去年增加5700亿元``) is no target;
- the **achievement** of year Y comes from a document dated after Y, best source first: the
  statistical communiqué, then the report of Y+1, then the nearest later one; other values go to
  ``note``; a target never fills it;
- ``horizon``: a figure over several years (年均, 这五年, 累计, as ``describe`` reads its
  scope) is a ``period`` row and never fills an annual one;
- an outcomes file (``read_outcomes``) fills achievements the documents lack.

Status and gap follow ``spec/tracking.md`` (``judge``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import regex

from policy_nlp import tables
from policy_nlp.patterns import ARABIC_YEAR_DIGITS, BRACKET_NOTE, DIFFERENCE_BEFORE
from policy_nlp.regions import NATION, find_region, region
from policy_nlp.schema import COLUMNS
from policy_nlp.text import normalize
from policy_nlp.tracking.facts import Fact, cell_float, cell_int, cell_str, describe
from policy_nlp.tracking.headline import (
    KEY_SEPARATOR,
    enumerated_names,
    headline,
    headline_key,
    signed_value,
)
from policy_nlp.tracking.indicators import cue_pattern, polarity
from policy_nlp.tracking.link import TOLERANCE_POINTS, TOLERANCE_RELATIVE, judge

__all__ = ["PANEL_FIELDS", "build_panel", "document_region", "panel_frame"]

PANEL_FIELDS = tuple(COLUMNS["panel"])

# a difference between two figures, written just before the figure: 比上年增加5700亿元
_DIFFERENCE = regex.compile(DIFFERENCE_BEFORE)
_BRACKET_NOTE = regex.compile(BRACKET_NOTE)
# words before a target that mark the year's headline statement (今年…拟, 主要预期目标), and
# words that mark a figure said of the past (一直控制在3%以内)
_HEADLINE_SENTENCE = regex.compile(r"预期目标|主要目标|今年|拟")
_PAST_WORDS = regex.compile(r"一直|以来|已经|曾")
# After 从/由 in its clause, before the level reached (从上半年5.5%降到5.3%; 由前三年分别上升
# 4.9%、5.5%、0.2%，转为下降1.2%): a level or change started from.
_STARTING = regex.compile(r"[从由][^，。；：,;到至]{0,30}$")
# a speaker or signature line: 国务院总理 李克强, 浙江省人民政府, 省长 王浩
SIGNATURE_LINES = 8
SIGNATURE_CHARS = 30
# a work report opens: 我代表国务院（浙江省人民政府），向大会报告政府工作
_ON_BEHALF = regex.compile(r"我代表(\p{Han}{0,20}?(?:国务院|人民政府))")
SPEAKER_CHARS = 600
_SIGNER = regex.compile(r"总理|人民政府|省长|市长|县长|区长|旗长|州长|主席")
_TITLE_YEAR = regex.compile(rf"^\D{{0,4}}({ARABIC_YEAR_DIGITS})(?!\d)")
_EXACT = ("=", "~")
_CLAUSE_BREAK = regex.compile(r"[，。；：！？,;\n]")
_SOURCE_RANK = {"stat_communique": 0, "gov_work_report": 1, "plan_report": 1}


@dataclass(frozen=True)
class _Doc:
    year: int | None
    doc_type: str
    region: str  # code, "" when unknown
    level: str = ""


def document_region(issuer: str, title: str, text: str = "") -> tuple[str, str, str]:
    """(region, region_code, level) of a document, from its issuer, else its title, else the
    government it speaks for at the top of ``text`` (``我代表国务院``) or a speaker or
    signature line at its top or bottom (``国务院总理 李克强``, ``浙江省人民政府``); empty
    strings when none names a division."""
    for source in (issuer, title):
        r = find_region(source or "")
        if r is not None:
            return r.full_name, r.code, r.level
    speakers = [m.group(1) for m in _ON_BEHALF.finditer((text or "")[:SPEAKER_CHARS])]
    for line in speakers + _signature_lines(text or ""):
        r = find_region(line)
        if r is not None:
            return r.full_name, r.code, r.level
    return "", "", ""


def _signature_lines(text: str) -> list[str]:
    """Short lines near the top or the bottom of a text that name a speaker or a signer."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    near = lines[:SIGNATURE_LINES] + lines[-SIGNATURE_LINES:]
    return [ln for ln in near if len(ln) <= SIGNATURE_CHARS and _SIGNER.search(ln)]


def _documents(documents: pd.DataFrame | None) -> dict[str, _Doc]:
    out: dict[str, _Doc] = {}
    if documents is None or documents.empty:
        return out
    for r in documents.to_dict("records"):
        title = cell_str(r.get("title"))
        year = cell_int(r.get("year"))
        if year is None:  # 2017政府工作报告: the year the title opens with
            m = _TITLE_YEAR.match(title)
            year = int(m.group(1)) if m else None
        code, level = cell_str(r.get("region_code")), cell_str(r.get("level"))
        if not code:
            _, code, level = document_region(cell_str(r.get("issuer")), title)
        out[cell_str(r.get("doc_id"))] = _Doc(year, cell_str(r.get("doc_type")), code, level)
    return out


@dataclass
class _Mention:
    doc_id: str
    start: int
    mention: str
    value: float
    value_high: float | None
    comparator: str
    horizon: str
    headline_sentence: bool
    starting: bool = False  # X in 从X降到Y: the level started from, not the one reached
    base: bool = False  # a starting value of a year before the one reviewed


def _named_in(indicator: str, sentence: str) -> bool:
    """Whether the sentence itself names the indicator: its words are there (a bracketed note
    aside), or for a share of an amount (财政赤字占国内生产总值比重, from 全国财政赤字合计
    9500亿元，占国内生产总值比重在3%以内) both the amount's and the share's words are."""
    text = _BRACKET_NOTE.sub("", normalize(sentence))
    name = normalize(indicator)
    if name in text:
        return True
    subject, share, rest = name.partition("占")
    return bool(share and subject and rest) and subject in text and share + rest in text


def _records(claims: pd.DataFrame) -> list[dict]:
    """The claims table's rows as dicts of plain values, as ``to_dict("records")`` gives them
    (a missing number None): built from each column's list, several times cheaper than
    boxing cell by cell."""
    names = list(claims.columns)
    columns = [_plain(claims[name]) for name in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _plain(column: pd.Series) -> list:
    """A column's values; a missing number None (``to_dict`` turns a masked NA so)."""
    values = column.tolist()
    if str(column.dtype) in ("Int64", "Float64"):
        return [None if v is pd.NA else v for v in values]
    return values


def _cells(
    claims: pd.DataFrame, docs: Mapping[str, _Doc], scopes: Mapping[tuple[str, int], str]
) -> dict[tuple, dict[str, list[_Mention]]]:
    """(region_code, year, code, horizon) -> {"target": [...], "achievement": [...]}."""
    cells: dict[tuple, dict[str, list[_Mention]]] = {}
    records = _records(claims)
    # keyed by the run, with the figure's neighbours in view (a table may hold only its keyed rows)
    keyed = "indicator_key" in claims.columns and bool(
        claims["indicator_key"].fillna("").astype(str).ne("").any()
    )
    members = {} if keyed else enumerated_names(records)
    named: dict[tuple[str, str], bool] = {}  # a sentence's claims often share its name

    def named_in(indicator: str, sentence: str) -> bool:
        key = (indicator, sentence)
        if key not in named:
            named[key] = _named_in(indicator, sentence)
        return named[key]

    for i, r in enumerate(records):
        kind = cell_str(r.get("kind"))
        if kind not in ("target", "achievement"):
            continue
        value = cell_float(r.get("value"))
        unit, change = cell_str(r.get("unit")), cell_str(r.get("change"))
        doc_id, start = cell_str(r.get("doc_id")), cell_int(r.get("start")) or 0
        doc = docs.get(doc_id, _Doc(None, "", ""))
        if keyed:
            code = cell_str(r.get("indicator_key"))
        elif i in members:  # 城镇、农村居民人均可支配收入分别增长4.4%、5.9%: one member each
            code = headline_key(members[i], unit, change, doc.level)
        else:
            code = cell_str(r.get("indicator_key")) or headline_key(
                cell_str(r.get("indicator")), unit, change, doc.level
            )
        # 社会消费品零售总额、固定资产投资增长4%左右: one figure of each listed indicator
        codes = [c for c in code.split(KEY_SEPARATOR) if c]
        if value is None or not doc.region:
            continue
        for code in codes:
            year = cell_int(r.get("year"))
            if year is None and doc.year is not None and doc.doc_type == "gov_work_report":
                year = doc.year if kind == "target" else doc.year - 1
            if year is None:
                continue
            sentence, mention = cell_str(r.get("sentence")), cell_str(r.get("mention"))
            if sentence and not named_in(cell_str(r.get("indicator")), sentence):
                continue  # a name borrowed from another sentence: no headline figure
            at = sentence.find(mention)
            before = sentence[:at] if at >= 0 else ""
            if headline(code).kind == "level" and _DIFFERENCE.search(before):
                continue  # 比上年增加5700亿元: a difference, not a level
            if cue_pattern("subset").search("".join(_CLAUSE_BREAK.split(before)[-2:])):
                continue  # 扣除房地产开发投资后，固定资产投资增长2.7%: a sub-indicator
            if kind == "achievement" and doc.year is not None and doc.year <= year:
                continue  # a report of Y cannot know Y's outcome: a target read as one
            if kind == "target" and doc.year is not None and year < doc.year:
                continue  # a past year's target restated in a review
            horizon = "period" if scopes.get((doc_id, start)) == "period" else "annual"
            if kind == "target" and doc.year is not None and year > doc.year:
                horizon = "period"  # a deadline beyond the report's year: a plan's target
            starting = bool(_STARTING.search(before))
            # 从2020年的3.68万亿元增长到…: the base of a comparison, older than the year reviewed
            base = (
                starting and kind == "achievement" and doc.year is not None and year < doc.year - 1
            )
            high = cell_float(r.get("value_high"))
            m = _Mention(
                doc_id,
                start,
                mention,
                signed_value(code, value, unit, change),
                None if high is None else signed_value(code, high, unit, change),
                cell_str(r.get("comparator")) or "=",
                horizon,
                bool(_HEADLINE_SENTENCE.search(before)) and not _PAST_WORDS.search(before),
                starting,
                base,
            )
            cells.setdefault((doc.region, year, code, horizon), {}).setdefault(kind, []).append(m)
    return cells


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _differs(code: str, a: float, b: float) -> bool:
    """Beyond the spec's tolerance (0.5 points for %, else 5% of the figure)."""
    tol = TOLERANCE_POINTS if headline(code).unit == "%" else TOLERANCE_RELATIVE * abs(a)
    return abs(a - b) > tol + 1e-9


def _pick_target(year: int, ms: list[_Mention], docs: Mapping[str, _Doc]) -> tuple[_Mention, str]:
    def rank(m: _Mention) -> tuple:
        d = docs[m.doc_id]
        return (d.year != year, not m.headline_sentence, m.doc_id, m.start)

    ordered = sorted(ms, key=rank)
    best = ordered[0]
    notes = []
    for m in ordered[1:]:
        if not _same(m.value, best.value) or m.comparator != best.comparator:
            notes.append(f"target restated as {m.mention} ({m.doc_id}@{m.start})")
    return best, "; ".join(dict.fromkeys(notes))


def _pick_achievement(
    year: int, code: str, ms: list[_Mention], docs: Mapping[str, _Doc]
) -> tuple[_Mention, str]:
    def rank(m: _Mention) -> tuple:
        d = docs[m.doc_id]
        return (
            _SOURCE_RANK.get(d.doc_type, 2),
            abs((d.year or year + 1) - year - 1),
            m.comparator not in _EXACT,  # 达到62661亿元 before 迈上6万亿元台阶
            m.starting,  # 从上半年5.5%降到5.3%: the year's value is 5.3%
            m.doc_id,
            m.start,
        )

    ordered = sorted(ms, key=rank)
    best = ordered[0]
    notes = [
        f"also {m.mention} ({m.doc_id}@{m.start})"
        for m in ordered[1:]
        if _differs(code, best.value, m.value)
    ]
    return best, "; ".join(dict.fromkeys(notes))


def _period_of(year: int, horizon: str) -> str:
    return f"{year - 4}-{year}" if horizon == "period" else ""


def build_panel(
    claims: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    facts: Iterable[Fact] | None = None,
    scopes: Mapping[tuple[str, int], str] | None = None,
    texts: Mapping[str, str] | None = None,
    outcomes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The panel table of a batch's claims and documents tables.

    ``facts`` (the run's tracking facts) or ``scopes`` ((doc_id, start) -> ``period`` for the
    figures over several years) give each figure's scope as read with its paragraph; without
    them the claims are described again (with ``texts`` when given, else their sentences). ``outcomes`` is ``read_outcomes``'s frame (region_code, year, indicator, value).
    """
    docs = _documents(documents)
    if scopes is None and facts is None:
        facts = []
        if not claims.empty:
            ordered = claims.sort_values(["doc_id", "start"], kind="mergesort")
            for doc_id, group in ordered.groupby("doc_id", sort=True):
                text = texts.get(str(doc_id)) if texts else None
                facts.extend(describe(group.to_dict("records"), text))
    if scopes is None:
        scopes = {(f.doc_id, f.start): f.scope for f in facts or ()}
    cells = _cells(claims, docs, scopes) if not claims.empty else {}
    official = _outcomes_index(outcomes)
    for rc, year, code in official:
        cells.setdefault((rc, year, code, "annual"), {})
    rows = []
    for (rc, year, code, horizon), found in list(cells.items()):
        if not found.get("target"):
            # an old base (从2009年的2.8%) settles a target the batch holds, but makes no row
            found["achievement"] = [m for m in found.get("achievement", []) if not m.base]
            if not found["achievement"]:
                continue
        h = headline(code)
        reg = region(rc)
        row: dict = {
            "government": _government(reg.full_name if reg else "", rc),
            "region": reg.full_name if reg else "",
            "region_code": rc,
            "level": reg.level if reg else "",
            "year": year,
            "horizon": horizon,
            "period": _period_of(year, horizon),
            "indicator": code,
            "indicator_name": h.name,
            "unit": h.unit,
        }
        notes = []
        target = None
        if found.get("target"):
            target, note = _pick_target(year, found["target"], docs)
            notes.append(note)
            row.update(
                target_value=target.value,
                target_value_high=target.value_high,
                target_comparator=target.comparator,
                target_doc_id=target.doc_id,
                target_start=target.start,
                target_mention=target.mention,
            )
        achieved = None
        if found.get("achievement"):
            ach, note = _pick_achievement(year, code, found["achievement"], docs)
            notes.append(note)
            achieved = ach.value
            row.update(
                achieved_value=ach.value,
                achievement_doc_id=ach.doc_id,
                achievement_start=ach.start,
                achievement_mention=ach.mention,
                outcome_source="document",
            )
        file_value = official.get((rc, year, code)) if horizon == "annual" else None
        if file_value is not None:
            if achieved is None:
                achieved = file_value
                row.update(achieved_value=file_value, outcome_source="outcomes")
            elif _differs(code, achieved, file_value):
                notes.append(f"outcomes file gives {file_value:g}")
        if target is not None:
            if achieved is None:
                row["status"] = "unsettled"
            else:
                pol = polarity(h.name, "down" if h.kind == "cut" else "")
                status, gap = judge(
                    value=target.value,
                    value_high=target.value_high,
                    comparator=target.comparator,
                    unit=h.unit,
                    polarity=pol,
                    achieved=achieved,
                )
                row.update(status=status, gap=gap)
        row["note"] = "; ".join(n for n in notes if n)
        rows.append(row)
    return panel_frame(rows)


def _government(full_name: str, code: str) -> str:
    if code == NATION:
        return "国务院"
    if not full_name:
        return ""
    r = region(code)
    return f"{r.name if r else full_name}人民政府"


def panel_frame(rows: list[dict]) -> pd.DataFrame:
    """The panel table of row dicts, typed and sorted (``tables.typed`` rules)."""
    if not rows:
        return tables.empty_frame("panel")
    return tables.typed(pd.DataFrame(rows, columns=list(PANEL_FIELDS)), "panel")


def _outcomes_index(outcomes: pd.DataFrame | None) -> dict[tuple[str, int, str], float]:
    if outcomes is None or outcomes.empty:
        return {}
    return {
        (str(r["region_code"]), int(r["year"]), str(r["indicator"])): float(r["value"])
        for r in outcomes.to_dict("records")
    }
