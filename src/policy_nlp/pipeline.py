"""Orchestrate the stages over a batch: read → claims → tokens → keywords → topics → tracking.

``process_document`` is the per-document work (one pure function, so local processes and a
Dask cluster run the same code); ``run`` maps it over the inputs and aggregates once.
This module only orchestrates: each stage lives in its own module.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from policy_nlp import appending, artifacts, tables, tracking
from policy_nlp.appending import AppendError
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
from policy_nlp.pieces import pieces, slices

__all__ = ["AppendError", "DocResult", "Options", "Result", "process_document", "run"]


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
    claims, facts = _claims_and_facts(doc)
    from policy_nlp.keywords import textrank_scores
    from policy_nlp.tokens import get_tokenizer

    # token counts, never the token list: a huge document stays small in memory
    tk = get_tokenizer(options.tokenizer)
    passages: list[dict[str, int]] = []
    if options.topic_passages:
        from policy_nlp.topic_fit import passages as long_enough

        paragraphs = list(_paragraph_counts(tk, doc.text))
        counts: Counter[str] = Counter()
        for para in paragraphs:
            counts.update(para)
        passages = [dict(p) for p in long_enough(paragraphs)]
    else:
        counts = Counter(_content_tokens(tk, doc.text))
    token_counts = dict(sorted(counts.items()))
    kw, rank = options.keyword_model, {}
    if kw is not None:  # TextRank reads the tokens again, in order (streamed)
        keywords = kw.keywords(
            token_counts if kw.method == "tfidf" else _content_tokens(tk, doc.text)
        )
    else:
        keywords = []
        if options.keyword_method == "textrank":
            rank = textrank_scores(_content_tokens(tk, doc.text))
    meta = replace(doc, text="", extra={"chars": len(doc.text), "n_claims": len(claims)})
    return DocResult(
        meta, claims, token_counts, keywords, facts=facts, passages=passages, rank=rank
    )


def _claims_and_facts(doc: Document) -> tuple[list[Claim], list[tracking.Fact]]:
    """Claims and tracking facts, piece by piece for a document with huge lines (``pieces``)."""
    text = doc.text
    claims: list[Claim] = []
    facts: list[tracking.Fact] = []
    for start, end in pieces(text):
        part = text if (start, end) == (0, len(text)) else text[start:end]
        found = extract(
            part, doc_id=doc.doc_id, year=doc.year, doc_type=doc.doc_type, title=doc.title
        )
        described = tracking.describe(found, part)
        if start:  # offsets into the whole text
            found = [replace(c, start=c.start + start, end=c.end + start) for c in found]
            described = [replace(f, start=f.start + start, end=f.end + start) for f in described]
        claims.extend(found)
        facts.extend(described)
    return claims, facts


def _content_tokens(tk, text: str) -> Iterator[str]:
    """``tk.iter_content_tokens(text)`` a slice at a time: the tokeniser builds the token
    list of a whole line, so a 50 MB line is given to it in slices cut where it would cut."""
    for start, end in slices(text):
        yield from tk.iter_content_tokens(text[start:end])


def _paragraph_counts(tk, text: str) -> Iterator[dict[str, int]]:
    """``tk.iter_paragraph_counts(text)`` a slice at a time (a line longer than a slice
    counts as several paragraphs)."""
    for start, end in slices(text):
        yield from tk.iter_paragraph_counts(text[start:end])


@dataclass
class Result:
    """The tables of one run, as typed pandas DataFrames."""

    claims: pd.DataFrame
    documents: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    tracking: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("tracking"))
    # this run's inputs: their documents rows (all of ``documents`` unless appending) and the
    # paths ``--append`` skipped because their text was already in the tables
    batch: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("documents"))
    skipped: list[str] = field(default_factory=list)

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
        """Write every table as ``<name>.csv`` into ``out_dir`` (atomically, UTF-8 with BOM).

        ``documents.csv`` comes last: a run killed midway leaves it listing only documents
        whose rows every other table already holds (``--append`` relies on it).
        """
        out = Path(out_dir)
        order = [n for n in tables.TABLES if n != "documents"] + ["documents"]
        return [tables.write_csv(self.table(name), out / f"{name}.csv") for name in order]

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
    append: bool = False,
) -> Result:
    """Process every document under ``paths`` and return the tables (written to ``out`` if given).

    Bad files never stop the batch: they get a row in ``documents`` with status ``error`` or
    ``empty`` and the reason. Topics come from the saved model in ``models`` (so topic ids
    are stable across batches) unless ``refit_topics`` is set or no model is saved.

    ``append=True`` adds the documents to the tables already in ``out`` instead (see
    ``policy_nlp.appending``): documents whose text is there are skipped, so running it again
    changes nothing. It raises ``AppendError`` when that cannot be done as asked.
    """
    existing = _prepare_append(out, refit_topics, models) if append else None
    files = find_inputs(paths)
    doc_ids = assign_doc_ids(files, existing.doc_ids if existing else ())
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
    news = _NewDocuments(existing) if existing else None
    for r in stream:
        if news is not None and not news.admit(r):
            continue
        claims.extend(r.claims)
        facts.extend(r.facts)
        r.claims, r.facts = [], []
        results.append(r)
    if existing is not None and news is not None:
        return _appended(
            existing, news, results, claims, facts, out, models, jobs, engine, scheduler
        )
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
        batch=documents,
    )
    if out is not None:
        result.to_csv(out)
    return result


# ----------------------------------------------------------------------------- --append


def _prepare_append(
    out: str | Path | None, refit_topics: bool, models: str | Path | None
) -> appending.Existing:
    if out is None:
        raise AppendError("--append needs --out DIR: the folder of tables to add to")
    if refit_topics:
        raise AppendError(
            "--append keeps the topics of the tables it adds to; it cannot be combined with "
            "--refit-topics (run the whole collection again with --refit-topics instead)"
        )
    existing = appending.read_existing(out)
    topic_model = artifacts.load_topics(models)
    if topic_model is None or artifacts.load_keywords(models) is None:
        raise AppendError(
            "--append needs the saved keyword and topic models the tables were made with "
            "(--models DIR, by default the shipped models/), so new rows compare with the old"
        )
    appending.check_topics(existing, topic_model.topics_frame())
    return existing


class _NewDocuments:
    """Decides, result by result, what an appended batch adds, and gives doc_ids."""

    def __init__(self, existing: appending.Existing) -> None:
        self.known = existing.known_texts()
        self.failed = existing.failed_paths()
        self.used = existing.doc_ids
        self.replaced: set[str] = set()
        self.skipped: list[str] = []

    def admit(self, r: DocResult) -> bool:
        doc = r.document
        old_id = self.failed.get(doc.path) or self.failed.get(os.path.abspath(doc.path))
        if old_id is not None and old_id not in self.replaced:
            self.replaced.add(old_id)  # a file that failed before: its row is replaced
            if doc.status != "ok" or doc.sha256 not in self.known:
                self._relabel(r, old_id)
                if doc.status == "ok":
                    self.known[doc.sha256] = old_id
                return True
        if doc.status == "ok" and doc.sha256 in self.known:
            self.skipped.append(doc.path)
            return False
        stem = Path(doc.path).stem or "document"
        new_id, n = stem, 1
        while new_id in self.used:
            n += 1
            new_id = f"{stem}-{n}"
        self.used.add(new_id)
        self._relabel(r, new_id)
        if doc.status == "ok":
            self.known[doc.sha256] = new_id
        return True

    @staticmethod
    def _relabel(r: DocResult, doc_id: str) -> None:
        if r.document.doc_id == doc_id:
            return
        r.document = replace(r.document, doc_id=doc_id)
        r.claims = [replace(c, doc_id=doc_id) for c in r.claims]
        r.facts = [replace(f, doc_id=doc_id) for f in r.facts]


def _appended(
    existing: appending.Existing,
    news: _NewDocuments,
    results: list[DocResult],
    claims: list[Claim],
    facts: list[tracking.Fact],
    out: str | Path,
    models: str | Path | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> Result:
    """The tables in ``out`` with this batch added, written unless nothing changed."""
    topic_model = artifacts.load_topics(models)
    batch = _documents_frame(results)
    drop = news.replaced
    documents = appending.merge(existing.documents, batch, "documents", drop)
    claims_df = appending.merge(existing.claims, tables.claims_frame(claims), "claims", drop)
    new_tokens = _token_counts(results)
    old_facts = _existing_facts(existing, documents, drop, jobs, engine, scheduler)
    result = Result(
        claims=claims_df,
        documents=documents,
        keywords=appending.merge(existing.keywords, _keywords_frame(results), "keywords", drop),
        topics=topic_model.topics_frame(),
        doc_topics=appending.merge(
            existing.doc_topics, topic_model.doc_topics_frame(new_tokens), "doc_topics", drop
        ),
        tracking=tracking.link(old_facts + facts, documents),
        batch=batch,
        skipped=news.skipped,
    )
    changed = bool(results) or existing.orphans > 0 or existing.topics.empty
    if changed or not (Path(out) / "documents.csv").is_file():
        result.to_csv(out)
    return result


def _reread(task: tuple[str, str]) -> str | None:
    """The text of a document already in the tables, if its file still holds that text."""
    path, sha = task
    try:
        doc = read_document(path)
    except Exception:  # moved, changed or unreadable now: tracking reads its sentences
        return None
    return doc.text if doc.sha256 == sha else None


def _existing_facts(
    existing: appending.Existing,
    documents: pd.DataFrame,
    drop: set[str],
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> list[tracking.Fact]:
    """Tracking facts of the documents already in the tables, from their claims rows and,
    where the file is still there unchanged, their text (as a fresh run reads them)."""
    claims = existing.claims[~existing.claims["doc_id"].isin(drop)]
    if claims.empty:
        return []
    docs = documents[documents["doc_id"].isin(set(claims["doc_id"]))]
    tasks = [(str(p), str(h)) for p, h in zip(docs["path"], docs["sha256"], strict=True)]
    texts = dict(
        zip(
            docs["doc_id"],
            map_ordered(_reread, tasks, jobs=jobs, engine=engine, scheduler=scheduler),
            strict=True,
        )
    )
    facts: list[tracking.Fact] = []
    ordered = claims.sort_values(["doc_id", "start"], kind="mergesort")
    for doc_id, group in ordered.groupby("doc_id", sort=True):
        rows = group.to_dict("records")
        text = texts.get(str(doc_id))
        if text is None:
            facts.extend(tracking.describe(rows, None))
            continue
        for start, end in pieces(text):  # as process_document cut it
            part_rows = [
                {**row, "start": row["start"] - start, "end": row["end"] - start}
                for row in rows
                if start <= row["start"] < end
            ]
            part = text if (start, end) == (0, len(text)) else text[start:end]
            described = tracking.describe(part_rows, part)
            if start:
                described = [
                    replace(f, start=f.start + start, end=f.end + start) for f in described
                ]
            facts.extend(described)
    return facts
