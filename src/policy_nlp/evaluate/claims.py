"""Score a claims table against hand-annotated gold claims, as ``spec/claims.md`` defines.

Gold is a folder of ``<doc_id>.jsonl`` files (one claim per line: the spec's fields plus
``context`` and ``optional``), with the annotated texts in ``docs/``. A claim without
``start``/``end`` is located by its ``context`` (a unique substring containing the mention),
so annotators may write only ``context`` and ``mention``.

Matching: a prediction matches a gold claim of the same document when their spans overlap,
one to one, nearest starts first. Detection P/R/F1 over non-optional gold (a prediction
matched to optional gold is ignored); per-field accuracy over matched pairs where gold is not
null; value F1 (span and value right); strict F1 (span, value, unit and kind right).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from policy_nlp.errors import TableError
from policy_nlp.evaluate.gold import GoldError, locate, prf
from policy_nlp.tables import formula_plain

__all__ = [
    "FIELDS",
    "Scores",
    "char_f1",
    "field_ok",
    "load_gold",
    "load_predictions",
    "match",
    "score",
    "score_files",
]

FIELDS = ("value", "unit", "comparator", "kind", "year", "change")


def load_gold(gold_dir: str | Path, only: set[str] | None = None) -> dict[str, list[dict]]:
    """Gold claims per doc_id; every gold file counts, even one with no claims."""
    gold_dir = Path(gold_dir)
    gold: dict[str, list[dict]] = {}
    for path in sorted(gold_dir.glob("*.jsonl")):
        if only is not None and path.stem not in only:
            continue
        gold.setdefault(path.stem, [])
        text = None
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                g = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}:{n}: not JSON ({exc.msg})") from None
            doc_id = g.get("doc_id") or path.stem
            if g.get("start") is None or g.get("end") is None:
                if text is None:
                    doc = gold_dir / "docs" / f"{doc_id}.txt"
                    if not doc.is_file():
                        raise GoldError(
                            f"{path}:{n}: no start/end and no document {doc} to locate it"
                        )
                    text = doc.read_text(encoding="utf-8-sig")
                try:
                    g["start"], g["end"] = locate(text, g["context"], g["mention"])
                except (KeyError, GoldError) as exc:
                    raise GoldError(f"{path}:{n}: {exc}") from None
            gold.setdefault(doc_id, []).append(g)
    return gold


def load_predictions(csv_path: str | Path, doc_ids: set[str]) -> dict[str, list[dict]]:
    """Rows of a claims CSV (UTF-8, BOM allowed) for the given documents."""
    pred: dict[str, list[dict]] = defaultdict(list)
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"doc_id", "start", "end", "value", "unit", "kind"} - set(reader.fieldnames or [])
        if missing:
            raise TableError(f"{csv_path}: lacks columns {sorted(missing)}")
        for raw in reader:
            row = {k: formula_plain(v) if isinstance(v, str) else v for k, v in raw.items()}
            if row["doc_id"] in doc_ids:
                row["start"], row["end"] = int(float(row["start"])), int(float(row["end"]))
                pred[row["doc_id"]].append(row)
    return pred


def _num(x) -> float | None:
    if x is None:
        return None
    s = str(x).strip()
    if s == "" or s.lower() in ("nan", "none", "null", "<na>"):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _text(x) -> str:
    if x is None:
        return ""
    s = str(x).strip()
    return "" if s.lower() in ("nan", "none", "null", "<na>") else s


def field_ok(name: str, gold: dict, pred: dict) -> bool | None:
    """Whether a predicted field is right; None where gold leaves it unscored (null)."""
    g = gold.get(name)
    if g is None:
        return None
    if name == "value":
        p = _num(pred.get("value"))
        ok = p is not None and math.isclose(p, float(g), rel_tol=1e-6, abs_tol=1e-9)
        if ok and gold.get("value_high") is not None:
            ph = _num(pred.get("value_high"))
            ok = ph is not None and math.isclose(ph, float(gold["value_high"]), rel_tol=1e-6)
        return ok
    if name == "year":
        p = _num(pred.get("year"))
        return p is not None and int(p) == int(g)
    return _text(pred.get(name)).lower() == str(g).strip().lower()


def char_f1(gold: str, pred: str) -> float:
    """Character-overlap F1 between two strings (bag of characters)."""
    g, p = Counter(_text(gold)), Counter(_text(pred))
    common = sum((g & p).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def match(golds: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold, prediction) index pairs of overlapping spans, nearest starts first."""
    pairs = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if p["start"] < g["end"] and g["start"] < p["end"]:
                pairs.append((abs(p["start"] - g["start"]), i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in sorted(pairs):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


@dataclass
class Scores:
    """Scores of a claims table against gold, with the list of errors."""

    docs: int
    gold: int
    predicted: int
    detection: dict
    value: dict
    strict: dict
    field_accuracy: dict
    field_support: dict
    indicator_char_f1: float
    errors: list = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        """The scores (without the error list) as plain data."""
        return {k: v for k, v in self.__dict__.items() if k != "errors"}

    def report(self) -> str:
        """A short human-readable report."""
        d, s, v = self.detection, self.strict, self.value
        lines = [
            f"docs {self.docs}  gold {self.gold}  predicted {self.predicted}",
            f"detection  P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}",
        ]
        for name, acc in self.field_accuracy.items():
            lines.append(f"  {name:<10} accuracy {acc:.3f}  (n={self.field_support[name]})")
        lines.append(f"  indicator  char-F1 {self.indicator_char_f1:.3f}")
        lines.append(
            f"value      P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}   (span and value right)"
        )
        lines.append(
            f"strict     P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}   (span, value, unit and kind right)"
        )
        return "\n".join(lines)


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> Scores:
    """Score predictions (rows per doc_id) against gold (claims per doc_id)."""
    tp = fp = fn = strict_tp = value_tp = 0
    hits: Counter = Counter()
    support: Counter = Counter()
    ind: list[float] = []
    errors: list[tuple] = []
    for doc_id, golds in gold.items():
        preds = pred.get(doc_id, [])
        pairs = match(golds, preds)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = golds[i], preds[j]
            if g.get("optional"):
                continue
            tp += 1
            oks = {}
            for name in FIELDS:
                ok = field_ok(name, g, p)
                oks[name] = ok
                if ok is not None:
                    support[name] += 1
                    hits[name] += ok
            if g.get("indicator"):
                ind.append(char_f1(g["indicator"], p.get("indicator")))
            value_tp += bool(oks["value"])
            if oks["value"] and oks["unit"] and oks["kind"] is not False:
                strict_tp += 1
            else:
                bad = [n for n in ("value", "unit", "kind") if oks[n] is False]
                errors.append(
                    (
                        "wrong " + "/".join(bad),
                        doc_id,
                        g["mention"],
                        {n: (g.get(n), p.get(n)) for n in bad},
                    )
                )
        for i, g in enumerate(golds):
            if i not in matched_g and not g.get("optional"):
                fn += 1
                errors.append(("missed", doc_id, g["mention"], g.get("context")))
        for j, p in enumerate(preds):
            if j not in matched_p:
                fp += 1
                errors.append(("spurious", doc_id, p.get("mention", ""), (p["start"], p["end"])))
    n_pred, n_gold = tp + fp, tp + fn
    return Scores(
        docs=len(gold),
        gold=n_gold,
        predicted=n_pred,
        detection=prf(tp, n_pred, n_gold),
        value=prf(value_tp, n_pred, n_gold),
        strict=prf(strict_tp, n_pred, n_gold),
        field_accuracy={n: hits[n] / support[n] for n in FIELDS if support[n]},
        field_support=dict(support),
        indicator_char_f1=sum(ind) / len(ind) if ind else 0.0,
        errors=errors,
    )


def score_files(
    gold_dir: str | Path, claims_csv: str | Path, *, docs: set[str] | None = None
) -> Scores:
    """Score a claims CSV against a gold folder (only documents with a gold file count)."""
    gold = load_gold(gold_dir, docs)
    if not gold:
        raise GoldError(f"{gold_dir}: no gold files (*.jsonl)")
    return score(gold, load_predictions(claims_csv, set(gold)))
