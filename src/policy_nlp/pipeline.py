"""Orchestrate the stages over a batch: read → claims → tokens → keywords → topics → tracking.

``process_document`` is the per-document work (one pure function, so local processes and a
Dask cluster run the same code); ``run`` maps it over the inputs and aggregates once.
This module only orchestrates: each stage lives in its own module.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from policy_nlp import artifacts, tables, tracking
from policy_nlp.claims import Claim, extract
from policy_nlp.documents import (
    Document,
    DocumentError,
    assign_doc_ids,
    failed_document,
    find_inputs,
    read_document,
)
from policy_nlp.engines import map_ordered

__all__ = ["DocResult", "Options", "Result", "process_document", "run"]


@dataclass(frozen=True)
class Options:
    """What every worker needs to process a document (picklable, sent once per task)."""

    tokenizer: str = "rjieba"
    keyword_model: object | None = None  # a fitted KeywordExtractor, or None
    keyword_method: str = "tfidf"  # needed when keyword_model is None (fitted after the map)
    topic_passages: bool = False  # keep paragraph counts: the topic model is fitted on this batch


@dataclass
class DocResult:
    """What the tables need from one document (its text is dropped to keep memory flat)."""

    document: Document
    claims: list[Claim] = field(default_factory=list)
    token_counts: dict[str, int] = field(default_factory=dict)
    keywords: list[tuple[str, float]] = field(default_factory=list)
    facts: list[tracking.Fact] = field(default_factory=list)  # claims as target tracking reads them
    passages: list[dict[str, int]] = field(default_factory=list)  # only with topic_passages
    rank: dict[str, float] = field(default_factory=dict)  # TextRank scores when IDF comes later


def process_document(task: tuple[str, str, Options]) -> DocResult:
    """Read one file and run every per-document stage on it; never raises for bad input."""
    path, doc_id, options = task
    try:
        doc = read_document(path, doc_id=doc_id)
    except DocumentError as exc:
        return DocResult(failed_document(path, doc_id, exc))
    except Exception as exc:  # a bug or an unexpected file: the batch goes on
        return DocResult(
            failed_document(path, doc_id, DocumentError(path, f"unexpected error: {exc!r}"))
        )
    claims = extract(
        doc.text, doc_id=doc.doc_id, year=doc.year, doc_type=doc.doc_type, title=doc.title
    )
    from policy_nlp.keywords import textrank_scores
    from policy_nlp.tokens import get_tokenizer

    # token counts, never the token list: a huge document stays small in memory
    tk = get_tokenizer(options.tokenizer)
    passages: list[dict[str, int]] = []
    if options.topic_passages:
        from policy_nlp.topic_fit import passages as long_enough

        paragraphs = list(tk.iter_paragraph_counts(doc.text))
        counts: Counter[str] = Counter()
        for para in paragraphs:
            counts.update(para)
        passages = [dict(p) for p in long_enough(paragraphs)]
    else:
        counts = Counter(tk.iter_content_tokens(doc.text))
    token_counts = dict(sorted(counts.items()))
    kw, rank = options.keyword_model, {}
    if kw is not None:  # TextRank reads the tokens again, in order (streamed)
        keywords = kw.keywords(
            token_counts if kw.method == "tfidf" else tk.iter_content_tokens(doc.text)
        )
    else:
        keywords = []
        if options.keyword_method == "textrank":
            rank = textrank_scores(tk.iter_content_tokens(doc.text))
    facts = tracking.describe(claims, doc.text)
    meta = replace(doc, text="", extra={"chars": len(doc.text), "n_claims": len(claims)})
    return DocResult(
        meta, claims, token_counts, keywords, facts=facts, passages=passages, rank=rank
    )


@dataclass
class Result:
    """The tables of one run, as typed pandas DataFrames."""

    claims: pd.DataFrame
    documents: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    tracking: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("tracking"))

    @property
    def targets(self) -> pd.DataFrame:
        """Claims of kind target."""
        return self.claims[self.claims["kind"] == "target"].reset_index(drop=True)

    @property
    def achievements(self) -> pd.DataFrame:
        """Claims of kind achievement."""
        return self.claims[self.claims["kind"] == "achievement"].reset_index(drop=True)

    def table(self, name: str) -> pd.DataFrame:
        """A table by its file name (``claims``, ``targets``, …)."""
        if name not in tables.TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(tables.TABLES)}")
        return getattr(self, name)

    def to_csv(self, out_dir: str | Path) -> list[Path]:
        """Write every table as ``<name>.csv`` into ``out_dir`` (atomically, UTF-8 with BOM)."""
        out = Path(out_dir)
        return [tables.write_csv(self.table(name), out / f"{name}.csv") for name in tables.TABLES]

    def to_excel(self, path: str | Path) -> Path:
        """Write every table into one workbook at ``path``, a sheet each (atomically)."""
        return tables.write_xlsx({name: self.table(name) for name in tables.TABLES}, path)


def _documents_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    rows = []
    for r in results:
        d = r.document
        rows.append({
            "doc_id": d.doc_id, "path": d.path, "status": d.status, "error": d.error,
            "title": d.title, "issuer": d.issuer, "date": d.date, "year": d.year,
            "doc_type": d.doc_type, "encoding": d.encoding, "chars": d.extra.get("chars", 0),
            "n_claims": d.extra.get("n_claims", 0), "sha256": d.sha256,
        })  # fmt: skip
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["documents"])), "documents")


def _keywords_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    rows = [
        {"doc_id": r.document.doc_id, "rank": rank, "keyword": kw, "score": score}
        for r in results
        for rank, (kw, score) in enumerate(r.keywords, start=1)
    ]
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["keywords"])), "keywords")


def _token_counts(results: Sequence[DocResult]) -> dict[str, dict[str, int]]:
    return {r.document.doc_id: r.token_counts for r in results if r.document.status == "ok"}


def run(
    paths: Iterable[str | Path],
    *,
    out: str | Path | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    tokenizer: str = "rjieba",
    models: str | Path | None = None,
    refit_topics: bool = False,
    top_keywords: int = 10,
    keyword_method: str = "tfidf",
    progress: bool = False,
) -> Result:
    """Process every document under ``paths`` and return the tables (written to ``out`` if given).

    Bad files never stop the batch: they get a row in ``documents`` with status ``error`` or
    ``empty`` and the reason. Topics come from the saved model in ``models`` (so topic ids
    are stable across batches) unless ``refit_topics`` is set or no model is saved.
    """
    files = find_inputs(paths)
    doc_ids = assign_doc_ids(files)
    kw_model = artifacts.load_keywords(models, top_n=top_keywords, method=keyword_method)
    topic_model = None if refit_topics else artifacts.load_topics(models)
    options = Options(
        tokenizer=tokenizer,
        keyword_model=kw_model,
        keyword_method=keyword_method,
        topic_passages=topic_model is None,
    )
    tasks = [(str(f), d, options) for f, d in zip(files, doc_ids, strict=True)]
    stream = map_ordered(process_document, tasks, jobs=jobs, engine=engine, scheduler=scheduler)
    if progress:
        from tqdm import tqdm

        stream = tqdm(
            stream, total=len(tasks), desc="documents", unit="doc", file=sys.stderr, disable=None
        )
    results: list[DocResult] = []
    claims: list[Claim] = []
    facts: list[tracking.Fact] = []
    for r in stream:
        claims.extend(r.claims)
        facts.extend(r.facts)
        r.claims, r.facts = [], []
        results.append(r)
    token_counts = _token_counts(results)
    if kw_model is None and token_counts:  # no saved IDF: learn it from this batch
        from policy_nlp.keywords import KeywordExtractor

        kw_model = KeywordExtractor(top_n=top_keywords, method=keyword_method).fit(
            token_counts.values()
        )
        for r in results:
            if r.document.doc_id in token_counts:
                rank = r.rank if keyword_method == "textrank" else None
                r.keywords = kw_model.keywords(r.token_counts, rank=rank)
                r.rank = {}
    if topic_model is None:  # --refit-topics, or no saved model: fit on this batch's passages
        from policy_nlp.topics import TopicModel

        units = [p for r in results for p in r.passages]
        groups = [r.document.doc_id for r in results for _ in r.passages]
        if len(units) < 2:  # short documents: fall back to whole documents
            units, groups = list(token_counts.values()), list(token_counts)
        try:
            topic_model = TopicModel().fit(units, groups=groups)
        except ValueError:  # fewer than 2 documents with content words: no topics
            topic_model = None
        for r in results:
            r.passages = []
    documents = _documents_frame(results)
    result = Result(
        claims=tables.claims_frame(claims),
        documents=documents,
        keywords=_keywords_frame(results),
        topics=topic_model.topics_frame() if topic_model else tables.empty_frame("topics"),
        doc_topics=topic_model.doc_topics_frame(token_counts)
        if topic_model
        else tables.empty_frame("doc_topics"),
        tracking=tracking.link(facts, documents),
    )
    if out is not None:
        result.to_csv(out)
    return result
