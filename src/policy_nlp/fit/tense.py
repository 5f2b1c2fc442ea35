"""Train the review/plan classifier (``policy_nlp.claims.tense.TenseClassifier``).

It is trained by weak supervision: sentences of full reports in ``corpus/`` are labelled by
the section their heading puts them in (``structure.analyse``), plus the kinds of our own
annotated claims (``tests/data/train``). Sentences of the shared dev gold are excluded, so
the dev scores stay honest. The model is saved as NPZ (weights): no pickle.

    policy-nlp fit tense corpus tests/data/train --exclude tests/data/gold/docs --out models/tense.npz

(``python -m policy_nlp.fit.tense …`` takes the same arguments.)
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "MIN_QUOTED_CHARS",
    "MIN_SENTENCE_CHARS",
    "add_arguments",
    "fit_tense",
    "main",
    "training_sentences",
]

# the sentences that carry claims are the ones with a digit
_DIGITS = re.compile(r"[0-9０-９]")
# a shorter sentence (a fragment, a heading that slipped through) teaches the model nothing
MIN_SENTENCE_CHARS = 8
# a corpus line this long or longer found inside an excluded line is a quote of the dev gold:
# excluded too (shorter lines are common phrases, found inside anything)
MIN_QUOTED_CHARS = 31
# the labels the classifier learns, and the kind of annotated claim each stands for
_LABEL_OF_KIND = {"target": "plan", "achievement": "review"}


def _excluded_lines(exclude: Iterable[str | Path]) -> set[str]:
    """Every non-blank line (stripped) of the documents in the ``exclude`` folders."""
    from policy_nlp.read import find_inputs

    banned: set[str] = set()
    for folder in exclude:
        for f in find_inputs([folder]):
            banned.update(
                line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    return banned


def _report_sentences(corpus: Iterable[str | Path], banned: set[str]) -> Iterable[tuple[str, str]]:
    """(sentence, section mode) for the sentences with a digit in the corpus's work reports."""
    from policy_nlp.claims.structure import analyse
    from policy_nlp.read import find_inputs, read_document
    from policy_nlp.text import split_sentences

    for f in find_inputs(corpus):
        doc = read_document(f)
        if doc.doc_type != "gov_work_report":
            continue
        for para in analyse(doc.text, doc_year=doc.year, doc_type=doc.doc_type, title=doc.title):
            line = doc.text[para.start : para.end].strip()
            if (
                para.heading
                or not para.mode
                or line in banned
                or (len(line) >= MIN_QUOTED_CHARS and any(line in b for b in banned))
            ):
                continue
            for span in split_sentences(line):
                sent = line[span.start : span.end]
                if _DIGITS.search(sent):
                    yield sent, para.mode


def _annotated_sentences(annotated: Iterable[str | Path]) -> Iterable[tuple[str, str]]:
    """(sentence, label) for the annotated targets and achievements (``<doc_id>.jsonl`` beside
    ``docs/<doc_id>.txt``); optional claims are left out."""
    from policy_nlp.text import split_sentences

    for folder in map(Path, annotated):
        for jl in sorted(folder.glob("*.jsonl")):
            text = (folder / "docs" / f"{jl.stem}.txt").read_text(encoding="utf-8")
            spans = split_sentences(text)
            for line in jl.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                g = json.loads(line)
                if g.get("kind") not in _LABEL_OF_KIND or g.get("optional"):
                    continue
                pos = text.find(g["context"])
                for span in spans:
                    if span.start <= pos < span.end:
                        yield text[span.start : span.end], _LABEL_OF_KIND[g["kind"]]
                        break


def training_sentences(
    corpus: Iterable[str | Path],
    annotated: Iterable[str | Path] = (),
    exclude: Iterable[str | Path] = (),
) -> tuple[list[str], list[str]]:
    """Labelled sentences: corpus reports by section, annotated claims by kind; minus ``exclude``.

    ``exclude`` names folders of documents whose lines must not be trained on (the dev gold).
    Each sentence is kept once (its first label), in the order found.
    """
    banned = _excluded_lines(exclude)
    texts, labels = [], []
    seen: set[str] = set()
    for sentence, label in (*_report_sentences(corpus, banned), *_annotated_sentences(annotated)):
        s = sentence.strip()
        if len(s) >= MIN_SENTENCE_CHARS and s not in seen:
            seen.add(s)
            texts.append(s)
            labels.append(label)
    return texts, labels


def fit_tense(
    corpus: Iterable[str | Path],
    annotated: Iterable[str | Path] = (),
    *,
    exclude: Iterable[str | Path] = (),
    out: str | Path,
) -> str:
    """Train the classifier on ``training_sentences``, save it to ``out``; return a summary."""
    from policy_nlp.claims.tense import TenseClassifier

    texts, labels = training_sentences(corpus, annotated, exclude)
    TenseClassifier().fit(texts, labels).save(out)
    plan = sum(1 for lab in labels if lab == "plan")
    return f"{len(texts)} sentences ({plan} plan, {len(texts) - plan} review) -> {out}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``policy-nlp fit tense`` (and of ``python -m policy_nlp.fit.tense``)."""
    parser.add_argument(
        "corpus",
        metavar="CORPUS",
        help="folder of full reports (labelled by their section headings)",
    )
    parser.add_argument(
        "annotated",
        nargs="*",
        metavar="ANNOTATED",
        help="folders of annotated claims (<doc_id>.jsonl + docs/)",
    )
    parser.add_argument(
        "--exclude",
        action="extend",
        nargs="+",
        default=[],
        metavar="DIR",
        help="folders whose lines are never trained on (the dev gold); may be repeated",
    )
    parser.add_argument(
        "--out", required=True, metavar="FILE", help="the model, e.g. models/tense.npz"
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m policy_nlp.fit.tense ARGS``: what ``policy-nlp fit tense ARGS`` does."""
    parser = argparse.ArgumentParser(
        prog="python -m policy_nlp.fit.tense", description=__doc__.splitlines()[0]
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    print(fit_tense([args.corpus], args.annotated, exclude=args.exclude, out=args.out))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
