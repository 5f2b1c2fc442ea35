"""Orchestrate the stages over a batch: read → claims → tokens → keywords → topics → tracking.

``process_document`` is the per-document work (one pure function, so local processes and a
Dask cluster run the same code); ``run`` streams the inputs through it in batches and
aggregates once. Only what the tables need comes back from a worker (claim rows, metadata,
keywords, tracking facts, the document's topic weights), so memory follows the size of the
tables, not of the texts. ``write_tables`` (what ``policy-nlp run`` calls) writes the same
tables without holding them: workers return each document's rows as CSV text, which goes to
part files at once (``policy_nlp.batch.spill``), so its memory does not grow with the batch. This
module only orchestrates: each stage lives in its own module.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from policy_nlp import artifacts, tables
from policy_nlp.batch import append as appending
from policy_nlp.batch import spill
from policy_nlp.batch.append import AppendError, _appended, _NewDocuments, _prepare_append
from policy_nlp.batch.engines import default_jobs, map_ordered
from policy_nlp.batch.result import (
    Result,
    _claims_frame,
    _doc_topics_frame,
    _documents_frame,
    _keywords_frame,
    load,
)
from policy_nlp.batch.worker import (
    DocResult,
    Options,
    Task,
    _batches,
    _keyword_rows,
    _tasks,
    process_batch,
    process_document,
)
from policy_nlp.errors import OptionError
from policy_nlp.read.document import assign_doc_ids, find_inputs
from policy_nlp.tracking import core as tracking

__all__ = [
    "DASK_INPUTS",
    "AppendError",
    "DocResult",
    "Options",
    "Result",
    "Summary",
    "Task",
    "load",
    "process_document",
    "run",
    "write_tables",
]

DASK_INPUTS = ("bytes", "paths")
# scikit-learn takes a second or more to import and is needed only to fit keyword or topic
# models on the batch: then the parent imports it while the workers run
AGGREGATION_IMPORTS = (
    "sklearn.feature_extraction.text",
    "sklearn.preprocessing",
    "sklearn.decomposition",
)


def _preload(options: Options) -> None:
    """Load the tokeniser and the tense model in the parent before workers fork: the children
    inherit them (about a second each), and the parent needs the tokeniser for tracking anyway."""
    from policy_nlp.claims.tense import default_classifier
    from policy_nlp.tokens import get_tokenizer

    get_tokenizer(options.tokenizer).cut("预热")
    default_classifier()


def _prefetch(modules: Sequence[str]) -> threading.Thread:
    """Import ``modules`` on a thread (started once the workers exist: never fork a thread)."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the import where the module is used reports it
                return

    thread = threading.Thread(target=load, name="policy-nlp-prefetch", daemon=True)
    thread.start()
    return thread


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="documents", unit="doc", file=sys.stderr, disable=None)


def _token_counts(results: Sequence[DocResult]) -> dict[str, dict[str, int]]:
    return {r.document.doc_id: r.token_counts for r in results if r.document.status == "ok"}


@dataclass
class _Plan:
    """What a run will do: its files, their doc_ids, what workers get, the saved models."""

    files: list[Path]
    doc_ids: list[str]
    options: Options
    keyword_model: object | None  # None: fitted on this batch after the map
    topic_model: object | None  # None: fitted on this batch after the map


def _plan(
    paths: Iterable[str | Path],
    existing: appending.Existing | None,
    *,
    tokenizer: str,
    models: str | Path | None,
    refit_topics: bool,
    top_keywords: int,
    keyword_method: str,
    stream: bool,
) -> _Plan:
    files = find_inputs(paths)
    doc_ids = assign_doc_ids(files, existing.doc_ids if existing else ())
    kw_model = artifacts.load_keywords(models, top_n=top_keywords, method=keyword_method)
    topic_model = None if refit_topics else artifacts.load_topics(models)
    options = Options(
        tokenizer=tokenizer,
        keyword_model=kw_model,
        keyword_method=keyword_method,
        topic_passages=topic_model is None,
        topic_model=topic_model if kw_model is not None else None,
        stream=stream,
    )
    return _Plan(files, doc_ids, options, kw_model, topic_model)


def _processed(
    plan: _Plan,
    *,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    dask_input: str,
    progress: bool,
) -> Iterator[DocResult]:
    """``process_document`` over the plan's files on the engine, results in input order."""
    options = plan.options
    send = dask_input if engine == "dask" else None
    local_jobs = default_jobs() if jobs is None else jobs
    if engine == "local" and local_jobs > 1 and plan.files:
        _preload(options)  # forked workers share what is loaded now, instead of each loading it
    batches = map_ordered(
        process_batch,
        _batches(_tasks(plan.files, plan.doc_ids, send)),
        shared=options,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
    )
    parallel = engine == "dask" or local_jobs > 1
    # scikit-learn is needed only to fit models on this batch (applying saved ones is NumPy)
    fitting = options.topic_model is None or options.keyword_model is None
    prefetch, bar, started = None, None, False
    try:
        for batch in batches:
            if not started:  # the workers exist now, so threads may start (no fork after)
                started = True
                prefetch = _prefetch(AGGREGATION_IMPORTS) if parallel and fitting else None
                bar = _progress_bar(len(plan.files)) if progress else None
            yield from batch
            if bar is not None:
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    if prefetch is not None:
        prefetch.join()


def _local_jobs(jobs: int | None, engine: str) -> int:
    if engine != "local":
        return 1
    return default_jobs() if jobs is None else jobs


def _fit_on_batch(
    results: Sequence[DocResult], plan: _Plan, top_keywords: int, keyword_method: str
) -> tuple[object | None, pd.DataFrame]:
    """Fit what has no saved model on this batch: the keyword IDF (then each document's
    keywords, set on its result) and the topics. Returns the topic model (None when the batch
    has too little text) and the doc_topics table."""
    token_counts = _token_counts(results)
    kw_model = plan.keyword_model
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
    topic_model = plan.topic_model
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
    if plan.options.topic_model is not None:  # the workers placed each document on the topics
        doc_topics = _doc_topics_frame(results)
    elif topic_model is not None:
        doc_topics = topic_model.doc_topics_frame(token_counts)
    else:
        doc_topics = tables.empty_frame("doc_topics")
    return topic_model, doc_topics


def _topics_frame(topic_model) -> pd.DataFrame:
    return topic_model.topics_frame() if topic_model else tables.empty_frame("topics")


def run(
    paths: Iterable[str | Path],
    *,
    out: str | Path | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    dask_input: str = "bytes",
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

    ``jobs`` worker processes (default: all cores; the tables are the same for any number);
    ``engine="dask"`` runs the per-document work on the Dask cluster at ``scheduler``
    (``tcp://HOST:PORT``), where ``dask_input`` says how workers get the files: ``"bytes"``
    (sent by this process; workers need not see its files) or ``"paths"`` (absolute paths
    on a filesystem every worker mounts at the same place).

    ``append=True`` adds the documents to the tables already in ``out`` instead (see
    ``policy_nlp.batch.append``): documents whose text is there are skipped, so running it again
    changes nothing. It raises ``AppendError`` when that cannot be done as asked.

    The tables are held in memory (as the returned DataFrames); ``write_tables`` writes the
    same files without holding them, for batches larger than memory.
    """
    if dask_input not in DASK_INPUTS:
        raise OptionError(f"dask_input must be one of {DASK_INPUTS}, not {dask_input!r}")
    existing = _prepare_append(out, refit_topics, models) if append else None
    plan = _plan(
        paths,
        existing,
        tokenizer=tokenizer,
        models=models,
        refit_topics=refit_topics,
        top_keywords=top_keywords,
        keyword_method=keyword_method,
        stream=False,
    )
    results: list[DocResult] = []
    claims: list[tuple] = []
    facts: list[tracking.Fact] = []
    news = _NewDocuments(existing) if existing else None
    for r in _processed(
        plan,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        dask_input=dask_input,
        progress=progress,
    ):
        if news is not None and not news.admit(r):
            continue
        claims.extend(r.claims)
        facts.extend(r.facts)
        r.claims, r.facts = [], []
        results.append(r)
    if existing is not None and news is not None:
        return _appended(existing, news, results, claims, facts, out, models, jobs)
    topic_model, doc_topics = _fit_on_batch(results, plan, top_keywords, keyword_method)
    claims_df = _claims_frame(claims)
    claims.clear()  # the frame holds the same strings; the row tuples can go
    documents = _documents_frame(results)
    result = Result(
        claims=claims_df,
        documents=documents,
        keywords=_keywords_frame(results),
        topics=_topics_frame(topic_model),
        doc_topics=doc_topics,
        tracking=tracking.link(facts, documents),
        batch=documents,
    )
    if out is not None:
        result.to_csv(out)
    return result


# ----------------------------------------------------------------------------- streaming

# the order tables are replaced in: documents.csv last (what --append trusts), as Result.to_csv
_WRITE_ORDER = (*(n for n in tables.TABLES if n != "documents"), "documents")


@dataclass
class Summary:
    """What ``write_tables`` wrote to its folder: the documents table (small: one row per
    document), the rows of this run's inputs, and how many claims of each kind."""

    documents: pd.DataFrame
    batch: pd.DataFrame  # this run's inputs (on --append, without the rows already there)
    claims: int
    targets: int
    achievements: int
    skipped: list[str] = field(default_factory=list)  # paths --append found in the tables

    @classmethod
    def of(cls, result: Result) -> Summary:
        """The summary of a run's ``Result``."""
        kinds = result.claims["kind"].value_counts()
        return cls(
            documents=result.documents,
            batch=result.batch,
            claims=len(result.claims),
            targets=int(kinds.get("target", 0)),
            achievements=int(kinds.get("achievement", 0)),
            skipped=list(result.skipped),
        )


def write_tables(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    dask_input: str = "bytes",
    tokenizer: str = "rjieba",
    models: str | Path | None = None,
    refit_topics: bool = False,
    top_keywords: int = 10,
    keyword_method: str = "tfidf",
    progress: bool = False,
    append: bool = False,
) -> Summary:
    """``run(paths, out=out, ...)`` without holding the tables: the same files in ``out``.

    Each document's rows go to part files in ``out`` as soon as its worker returns them, and
    the tables are assembled from those at the end (``policy_nlp.batch.spill``), so memory does not
    grow with the batch: what stays is one documents row per document and, when a model is
    fitted on this batch (no saved model, or ``refit_topics``), the token counts it is fitted
    on. ``append`` reads the tables already in ``out``, and goes through ``run``.
    """
    if dask_input not in DASK_INPUTS:
        raise OptionError(f"dask_input must be one of {DASK_INPUTS}, not {dask_input!r}")
    engine_args = {
        "jobs": jobs,
        "engine": engine,
        "scheduler": scheduler,
        "dask_input": dask_input,
        "progress": progress,
    }
    if append:
        return Summary.of(
            run(
                paths,
                out=out,
                tokenizer=tokenizer,
                models=models,
                refit_topics=refit_topics,
                top_keywords=top_keywords,
                keyword_method=keyword_method,
                append=True,
                **engine_args,
            )
        )
    plan = _plan(
        paths,
        None,
        tokenizer=tokenizer,
        models=models,
        refit_topics=refit_topics,
        top_keywords=top_keywords,
        keyword_method=keyword_method,
        stream=True,
    )
    results: list[DocResult] = []
    kinds: Counter[str] = Counter()
    with spill.TableFiles(out) as files:
        for r in _processed(plan, **engine_args):
            for table, text in r.text.items():
                files.add(table, r.document.doc_id, text)
            files.add_link_facts(r.link_facts)
            kinds.update(r.kinds)
            r.text, r.link_facts = {}, {}
            results.append(r)
        topic_model, doc_topics = _fit_on_batch(results, plan, top_keywords, keyword_method)
        if plan.options.keyword_model is None:  # scored here, once the IDF was fitted
            for r in results:
                files.add(
                    "keywords", r.document.doc_id, tables.csv_text("keywords", _keyword_rows(r))
                )
                r.keywords = []
        if plan.options.topic_model is None:  # else the workers sent each document's rows
            files.add_frame("doc_topics", doc_topics)
        files.add_frame("topics", _topics_frame(topic_model))
        documents = _documents_frame(results)
        # linked here, on the local cores (the facts are in local files)
        files.link(tracking.documents_info(documents), jobs=_local_jobs(jobs, engine))
        files.add_frame("documents", documents)
        files.commit(_WRITE_ORDER)
    return Summary(
        documents=documents,
        batch=documents,
        claims=sum(kinds.values()),
        targets=kinds["target"],
        achievements=kinds["achievement"],
    )
