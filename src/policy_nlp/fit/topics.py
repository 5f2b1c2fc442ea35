"""Fit the corpus-level models (keyword IDF, topics) and measure the topics.

``fit_models`` is what ``policy-nlp topics fit CORPUS --models DIR`` runs: it tokenises the
corpus once (content-token counts per paragraph, summed per document), fits
``KeywordExtractor`` on the documents and ``TopicModel`` on the passages, saves both as plain
files and reports each topic's top terms with its coherence (NPMI of the top-10 terms over
paragraph co-occurrence in the corpus) and the topic diversity (share of distinct terms among
all topics' top 10).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from policy_nlp import artifacts
from policy_nlp.errors import OptionError
from policy_nlp.read import DocumentError, find_inputs, read_document

__all__ = [
    "COHERENCE_TERMS",
    "PASSAGE_MIN_TOKENS",
    "CorpusCounts",
    "corpus_counts",
    "diversity",
    "fit_models",
    "npmi_coherence",
    "passages",
]

# A paragraph with fewer content tokens is a heading or a caption, not a passage to learn from.
PASSAGE_MIN_TOKENS = 5
# Coherence and diversity are measured on each topic's top terms, as many as the report lists.
COHERENCE_TERMS = 10


def passages(paragraphs: Iterable[Mapping[str, int]]) -> list[Mapping[str, int]]:
    """The paragraphs (content-token counts) long enough to fit topics on."""
    return [p for p in paragraphs if sum(p.values()) >= PASSAGE_MIN_TOKENS]


def npmi_coherence(top_terms: Sequence[str], paragraphs: Sequence[Iterable[str]]) -> float:
    """Mean NPMI over pairs of ``top_terms``; probabilities from paragraph co-occurrence.

    NPMI(a, b) = log(p(a,b) / (p(a) p(b))) / -log p(a,b), from 1 (always together) through 0
    (independent) to -1; a pair never seen together, or with a term never seen, scores -1.

    >>> paras = [{"农业", "粮食"}, {"农业", "粮食"}, {"就业"}, {"就业", "农业"}]
    >>> round(npmi_coherence(["农业", "粮食"], paras), 3)
    0.415
    """
    n = len(paragraphs)
    if n == 0 or len(top_terms) < 2:
        return 0.0
    where: dict[str, set[int]] = {t: set() for t in top_terms}
    for i, p in enumerate(paragraphs):
        for t in set(p) & where.keys():
            where[t].add(i)
    scores = []
    for a, b in combinations(top_terms, 2):
        joint = len(where[a] & where[b])
        if joint == 0:
            scores.append(-1.0)
            continue
        p_ab, p_a, p_b = joint / n, len(where[a]) / n, len(where[b]) / n
        scores.append(1.0 if p_ab >= 1.0 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return sum(scores) / len(scores)


def diversity(topics: Sequence[Sequence[str]]) -> float:
    """Share of distinct terms among all topics' top terms (1.0: no term shared)."""
    terms = [t for topic in topics for t in topic]
    return len(set(terms)) / len(terms) if terms else 0.0


@dataclass
class CorpusCounts:
    """What fitting needs from a corpus: counts per document and per paragraph."""

    doc_ids: list[str] = field(default_factory=list)
    documents: list[dict[str, int]] = field(default_factory=list)
    paragraphs: list[dict[str, int]] = field(default_factory=list)
    paragraph_doc: list[int] = field(default_factory=list)  # index into documents, per paragraph
    skipped: list[str] = field(default_factory=list)

    def passages(self) -> tuple[list[dict[str, int]], list[int]]:
        """Paragraphs long enough to fit topics on, with the index of their document."""
        keep = [i for i, p in enumerate(self.paragraphs) if sum(p.values()) >= PASSAGE_MIN_TOKENS]
        return [self.paragraphs[i] for i in keep], [self.paragraph_doc[i] for i in keep]


def corpus_counts(paths: Iterable[str | Path], *, tokenizer: str = "rjieba") -> CorpusCounts:
    """Content-token counts per document and per paragraph; unreadable files are listed, not fatal."""
    from policy_nlp.tokens import get_tokenizer

    tk = get_tokenizer(tokenizer)
    out = CorpusCounts()
    for f in find_inputs(paths):
        try:
            doc = read_document(f)
        except DocumentError as exc:
            out.skipped.append(str(exc))
            continue
        total: dict[str, int] = {}
        for para in tk.iter_paragraph_counts(doc.text):
            out.paragraphs.append(para)
            out.paragraph_doc.append(len(out.documents))
            for t, c in para.items():
                total[t] = total.get(t, 0) + c
        if total:
            out.doc_ids.append(doc.doc_id)
            out.documents.append(dict(sorted(total.items())))
    return out


def fit_models(
    paths: Iterable[str | Path],
    *,
    models: str | Path,
    n_topics: int = 10,
    tokenizer: str = "rjieba",
) -> str:
    """Fit and save keyword IDF and topics on the corpus; return a report of the topics."""
    from policy_nlp.keywords import KeywordExtractor
    from policy_nlp.topics import TopicModel

    cc = corpus_counts(paths, tokenizer=tokenizer)
    if len(cc.documents) < 2:
        raise OptionError("fitting needs at least 2 readable documents with text")
    models = Path(models)
    KeywordExtractor().fit(cc.documents).save(models / artifacts.KEYWORDS_FILE)
    units, groups = cc.passages()
    tm = TopicModel(n_topics=n_topics).fit(units, groups=groups)
    tm.save(models / artifacts.TOPICS_DIR)
    para_sets = [set(p) for p in cc.paragraphs]
    tops = tm.top_terms(COHERENCE_TERMS)
    lines = [f"skipped {s}" for s in cc.skipped]
    scores = []
    for k, (top, share) in enumerate(zip(tops, tm.topic_share_, strict=True)):
        score = npmi_coherence(top, para_sets)
        scores.append(score)
        lines.append(f"topic {k:2d}  share {share:5.1%}  NPMI {score:+.3f}  {' '.join(top)}")
    mean = sum(scores) / len(scores) if scores else 0.0
    lines.append(
        f"{len(cc.documents)} documents, {tm.n_units_} passages, {len(tm.vocabulary_)} terms; "
        f"mean NPMI {mean:+.3f} (top-{COHERENCE_TERMS} terms, paragraph co-occurrence in this "
        "corpus); "
        f"diversity {diversity(tops):.2f}"
    )
    lines.append(f"saved {models / artifacts.KEYWORDS_FILE} and {models / artifacts.TOPICS_DIR}/")
    return "\n".join(lines)
