"""Train the review/plan classifier (``policy_nlp.claims.tense.TenseClassifier``).

It is trained by weak supervision: sentences of full reports in ``corpus/`` are labelled by
the section their heading puts them in (``structure.analyse``), plus the kinds of our own
annotated claims (``tests/data/train``). Sentences of the shared dev gold are excluded, so
the dev scores stay honest. The model is saved as NPZ (weights): no pickle.

    python -m policy_nlp.fit.tense corpus tests/data/train --exclude tests/data/gold/docs --out models/tense.npz
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from policy_nlp.claims.tense import TenseClassifier

__all__ = ["main", "training_sentences"]

_DIGITS = re.compile(r"[0-9０-９]")


def training_sentences(
    corpus: Iterable[str | Path],
    annotated: Iterable[str | Path] = (),
    exclude: Iterable[str | Path] = (),
) -> tuple[list[str], list[str]]:
    """Labelled sentences: corpus reports by section, annotated claims by kind; minus ``exclude``.

    ``exclude`` names folders of documents whose lines must not be trained on (the dev gold).
    """
    from policy_nlp.claims import structure
    from policy_nlp.read.document import find_inputs, read_document
    from policy_nlp.text import split_sentences

    banned: set[str] = set()
    for folder in exclude:
        for f in find_inputs([folder]):
            banned.update(
                line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    texts, labels = [], []
    seen: set[str] = set()

    def add(sentence: str, label: str) -> None:
        s = sentence.strip()
        if len(s) >= 8 and s not in seen:
            seen.add(s)
            texts.append(s)
            labels.append(label)

    for f in find_inputs(corpus):
        doc = read_document(f)
        if doc.doc_type != "gov_work_report":
            continue
        for para in structure.analyse(
            doc.text, doc_year=doc.year, doc_type=doc.doc_type, title=doc.title
        ):
            line = doc.text[para.start : para.end].strip()
            if (
                para.heading
                or not para.mode
                or line in banned
                or any(line in b for b in banned if len(line) > 30)
            ):
                continue
            for span in split_sentences(line):
                sent = line[span.start : span.end]
                if _DIGITS.search(sent):  # the sentences that carry claims
                    add(sent, para.mode)
    for folder in annotated:
        folder = Path(folder)
        for jl in sorted(folder.glob("*.jsonl")):
            text = (folder / "docs" / f"{jl.stem}.txt").read_text(encoding="utf-8")
            spans = split_sentences(text)
            for line in jl.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                g = json.loads(line)
                if g.get("kind") not in ("target", "achievement") or g.get("optional"):
                    continue
                pos = text.find(g["context"])
                for span in spans:
                    if span.start <= pos < span.end:
                        add(
                            text[span.start : span.end],
                            "plan" if g["kind"] == "target" else "review",
                        )
                        break
    return texts, labels


def main(argv: list[str] | None = None) -> None:
    """Train and save the classifier (see the module docstring for the command)."""
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m policy_nlp.fit.tense", description=__doc__.splitlines()[0]
    )
    ap.add_argument("corpus", help="folder of full reports (labelled by their section headings)")
    ap.add_argument(
        "annotated", nargs="*", help="folders of annotated claims (<doc_id>.jsonl + docs/)"
    )
    ap.add_argument(
        "--exclude", action="append", default=[], help="folders whose lines are never trained on"
    )
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    texts, labels = training_sentences([a.corpus], a.annotated, a.exclude)
    model = TenseClassifier().fit(texts, labels)
    model.save(a.out)
    plan = sum(1 for lab in labels if lab == "plan")
    print(f"{len(texts)} sentences ({plan} plan, {len(texts) - plan} review) -> {a.out}")


if __name__ == "__main__":  # pragma: no cover
    main()
