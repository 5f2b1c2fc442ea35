"""Score a tracking table against target-to-achievement link gold (``spec/tracking.md``).

Gold is a JSON-lines file, one target per line: ``target`` and ``achievement`` (or null) as
``doc_id``, ``context`` and ``mention`` in the annotated texts of ``docs_dir``, the gold
``status`` and an optional ``note``. A table row matches a gold target when their target
spans overlap (gold in file order, each row once); links score P/R/F1 over (target,
achievement) pairs, status accuracy over all gold targets.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from policy_nlp import tables
from policy_nlp.errors import TableError
from policy_nlp.evaluate.gold import GoldError, locate, prf
from policy_nlp.schema import TRACKING_STATUSES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Span", "TrackingScores", "read_tracking_csv", "score_tracking"]

# the columns a tracking table needs to be scored
_NEEDED = {"target_doc_id", "target_start", "target_end", "status"}


class Span(NamedTuple):
    """A mention's place: document and character offsets."""

    doc_id: str
    start: int
    end: int


class _GoldLink(NamedTuple):
    target: Span
    achievement: Span | None
    status: str
    note: str


class _Predicted(NamedTuple):
    target: Span
    achievement: Span | None
    status: str
    row: dict


@dataclass
class TrackingScores:
    """Scores of a tracking table against link gold (``spec/tracking.md``, "Scoring")."""

    targets: int
    found: int
    link_precision: float
    link_recall: float
    link_f1: float
    status_accuracy: float
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain dict (for JSON)."""
        return asdict(self)

    def report(self) -> str:
        """The one-line summary the shared scorer prints."""
        return (
            f"targets {self.targets} found {self.found}; links P {self.link_precision:.3f} "
            f"R {self.link_recall:.3f} F1 {self.link_f1:.3f}; "
            f"status accuracy {self.status_accuracy:.3f}"
        )


def _gold_span(docs_dir: Path, ref: Mapping, where: str) -> Span:
    for k in ("doc_id", "context", "mention"):
        if not isinstance(ref.get(k), str):
            raise GoldError(f"{where}: missing {k!r}")
    path = docs_dir / f"{ref['doc_id']}.txt"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GoldError(f"{where}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        start, end = locate(text, ref["context"], ref["mention"])
    except GoldError as exc:
        raise GoldError(f"{where}: {exc}") from None
    return Span(ref["doc_id"], start, end)


def _overlap(a: Span | None, b: Span | None) -> bool:
    return bool(a and b and a[0] == b[0] and a[1] < b[2] and b[1] < a[2])


def _read_gold(links_jsonl: str | Path, docs_dir: Path) -> list[_GoldLink]:
    gold = []
    for n, line in enumerate(Path(links_jsonl).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{links_jsonl}:{n}"
        try:
            g = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON: {exc.msg}") from None
        if g.get("status") not in TRACKING_STATUSES:
            raise GoldError(f"{where}: status must be one of {', '.join(TRACKING_STATUSES)}")
        t = _gold_span(docs_dir, g.get("target") or {}, where)
        a = _gold_span(docs_dir, g["achievement"], where) if g.get("achievement") else None
        gold.append(_GoldLink(t, a, g["status"], g.get("note", "")))
    return gold


def _read_predicted(tracking_csv: str | Path) -> list[_Predicted]:
    pred = []
    with open(tracking_csv, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = _NEEDED - set(reader.fieldnames or [])
        if missing:
            raise TableError(f"{tracking_csv}: missing columns {', '.join(sorted(missing))}")
        for n, r in enumerate(reader, 2):
            try:
                t = Span(
                    r["target_doc_id"], int(float(r["target_start"])), int(float(r["target_end"]))
                )
                a = None
                if (r.get("achievement_doc_id") or "").strip():
                    a = Span(
                        r["achievement_doc_id"],
                        int(float(r["achievement_start"])),
                        int(float(r["achievement_end"])),
                    )
            except (TypeError, ValueError):
                raise TableError(f"{tracking_csv}:{n}: offsets are not numbers") from None
            pred.append(_Predicted(t, a, (r.get("status") or "").strip(), r))
    return pred


def score_tracking(
    links_jsonl: str | Path, docs_dir: str | Path, tracking_csv: str | Path
) -> TrackingScores:
    """Score a tracking CSV: targets matched by span overlap (in file order, each row once),
    link P/R/F1 over (target, achievement) pairs, status accuracy over all gold targets."""
    gold = _read_gold(links_jsonl, Path(docs_dir))
    pred = _read_predicted(tracking_csv)
    used: set[int] = set()
    matched = status_ok = link_tp = 0
    errors = []
    for gt, ga, gs, note in gold:
        j = next((j for j, p in enumerate(pred) if j not in used and _overlap(gt, p[0])), None)
        if j is None:
            errors.append(
                {"error": "target not found", "target": gt, "gold_status": gs, "note": note}
            )
            continue
        used.add(j)
        matched += 1
        _, pa, ps, r = pred[j]
        status_ok += ps == gs
        hit = bool(ga and pa and _overlap(ga, pa))
        link_tp += hit
        if ps != gs or ((ga or pa) and not hit):
            errors.append({
                "error": "wrong link" if (ga or pa) and not hit else "wrong status",
                "target": gt, "gold_achievement": ga, "gold_status": gs,
                "achievement": pa, "status": ps, "indicator": r.get("indicator", ""),
                "note": note,
            })  # fmt: skip
    for j, (pt, pa, ps, r) in enumerate(pred):
        if j not in used and pa:  # a link on a row that is no gold target costs precision
            errors.append({
                "error": "link on no gold target", "target": pt, "achievement": pa,
                "status": ps, "indicator": r.get("indicator", ""),
            })  # fmt: skip
    gold_links = sum(1 for g in gold if g.achievement)
    pred_links = sum(1 for p in pred if p.achievement)
    links = prf(link_tp, pred_links, gold_links)
    acc = status_ok / len(gold) if gold else 0.0
    return TrackingScores(
        len(gold), matched, links["precision"], links["recall"], links["f1"], acc, errors
    )


def read_tracking_csv(path: str | Path) -> pd.DataFrame:
    """A tracking.csv written by ``policy-nlp run`` back into its typed form."""
    return tables.read_csv_table(path, "tracking")
