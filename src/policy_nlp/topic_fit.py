"""Fit the corpus-level models (keyword IDF, topics) and measure the topics.

``fit_models`` is what ``policy-nlp topics fit CORPUS --models DIR`` runs: it tokenises the
corpus, fits ``KeywordExtractor`` and ``TopicModel``, saves both as plain files and reports
each topic's top terms with its coherence (NPMI of the top-10 terms over paragraph
co-occurrence) and the topic diversity (share of unique terms among all topics' top 10).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path

import numpy as np

from policy_nlp import artifacts
from policy_nlp.documents import DocumentError, find_inputs, read_document

__all__ = ["diversity", "fit_models", "npmi_coherence"]


def npmi_coherence(top_terms: Sequence[str], paragraphs: Sequence[set[str]]) -> float:
    """Mean NPMI over pairs of ``top_terms``, probabilities from paragraph co-occurrence."""
    n = len(paragraphs)
    if n == 0:
        return 0.0
    df = {t: sum(1 for p in paragraphs if t in p) for t in top_terms}
    scores = []
    for a, b in combinations(top_terms, 2):
        joint = sum(1 for p in paragraphs if a in p and b in p)
        if joint == 0 or df[a] == 0 or df[b] == 0:
            scores.append(-1.0)
            continue
        p_ab, p_a, p_b = joint / n, df[a] / n, df[b] / n
        if p_ab >= 1.0:
            scores.append(1.0)
            continue
        scores.append(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return float(np.mean(scores)) if scores else 0.0


def diversity(topics: Sequence[Sequence[str]]) -> float:
    """Share of unique terms among all topics' top terms (1.0: no term shared)."""
    terms = [t for topic in topics for t in topic]
    return len(set(terms)) / len(terms) if terms else 0.0


def corpus_tokens(
    paths: Iterable[str | Path], *, tokenizer: str = "rjieba"
) -> tuple[list[list[str]], list[set[str]]]:
    """Content tokens per document and token sets per paragraph (for coherence)."""
    from policy_nlp.tokens import get_tokenizer

    tk = get_tokenizer(tokenizer)
    docs, paras = [], []
    for f in find_inputs(paths):
        try:
            doc = read_document(f)
        except DocumentError:
            continue
        docs.append(tk.content_tokens(doc.text))
        for line in doc.text.splitlines():
            if line.strip():
                paras.append(set(tk.content_tokens(line)))
    return docs, paras


def fit_models(
    paths: Iterable[str | Path], *, models: str | Path, n_topics: int = 8, tokenizer: str = "rjieba"
) -> str:
    """Fit and save keyword IDF and topics on the corpus; return a report of the topics."""
    from policy_nlp.keywords import KeywordExtractor
    from policy_nlp.topics import TopicModel

    docs, paras = corpus_tokens(paths, tokenizer=tokenizer)
    if len(docs) < 2:
        raise ValueError("fitting needs at least 2 readable documents")
    models = Path(models)
    KeywordExtractor().fit(docs).save(models / artifacts.KEYWORDS_FILE)
    tm = TopicModel(n_topics=n_topics).fit(docs)
    tm.save(models / artifacts.TOPICS_DIR)
    table = tm.topics_frame()
    lines, tops = [], []
    for k, group in table.groupby("topic_id", sort=True):
        top = list(group.sort_values("rank")["term"])[:10]
        tops.append(top)
        lines.append(f"topic {k}: NPMI {npmi_coherence(top, paras):+.3f}  {' '.join(top)}")
    coh = np.mean([npmi_coherence(t, paras) for t in tops]) if tops else 0.0
    lines.append(
        f"{len(docs)} documents, {len(tm.vocabulary_)} terms; mean NPMI {coh:+.3f}; diversity {diversity(tops):.2f}"
    )
    lines.append(f"saved to {models}")
    return "\n".join(lines)
