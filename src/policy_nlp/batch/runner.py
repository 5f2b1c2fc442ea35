"""Orchestrate the stages over a batch: read → claims → tokens → keywords → topics → tracking.

A run is planned from its ``RunConfig`` (``policy_nlp.batch.config``): the input files, their
doc_ids, the saved models and the workers' ``Options``. The files go through
``process_document`` (``policy_nlp.batch.worker``) in batches, on local processes or a Dask
cluster, and what has no saved model is fitted once on the batch. ``run`` keeps the tables in
memory (a ``Result``); ``write_tables`` (what ``policy-nlp run`` calls) writes the same tables
without holding them: workers return each document's rows as CSV text, which goes to part
files at once (``policy_nlp.batch.spill``), so its memory does not grow with the batch.
``--append`` lives in ``policy_nlp.batch.append``. This module only orchestrates.
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

from policy_nlp import artifacts, tables, tracking
from policy_nlp.batch import append as appending
from policy_nlp.batch import spill
from policy_nlp.batch.config import AppendError, RunConfig
from policy_nlp.batch.engines import map_ordered
from policy_nlp.batch.lock import output_lock
from policy_nlp.batch.pieces import process_task, process_tasks, task_over_limit
from policy_nlp.batch.result import (
    Result,
    claim_rows_frame,
    doc_topics_frame,
    documents_frame,
    keywords_frame,
    write_order,
)
from policy_nlp.batch.sources import write_sources
from policy_nlp.batch.supervise import map_supervised
from policy_nlp.batch.watched import Watched, large_alone, preload, watched_tasks
from policy_nlp.batch.worker import (
    DocResult,
    Options,
    Task,
    batches,
    keyword_rows,
    make_tasks,
    task_failed,
)
from policy_nlp.read import assign_doc_ids, discover
from policy_nlp.writers import output_files

__all__ = ["AGGREGATION_IMPORTS", "Summary", "run", "write_tables"]

# scikit-learn takes a second or more to import and is needed only to fit keyword or topic
# models on the batch: then the parent imports it while the workers run
AGGREGATION_IMPORTS = (
    "sklearn.feature_extraction.text",
    "sklearn.preprocessing",
    "sklearn.decomposition",
)


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

    config: RunConfig
    files: list[Path]
    doc_ids: list[str]
    options: Options
    keyword_model: object | None  # None: fitted on this batch after the map
    topic_model: object | None  # None: fitted on this batch after the map
    refused: dict[str, str] = field(default_factory=dict)  # links not followed: path -> why
    skipped: dict[str, str] = field(default_factory=dict)  # other file types: path -> why


def _plan(
    paths: Iterable[str | Path],
    config: RunConfig,
    existing: appending.Existing | None,
    *,
    stream: bool,
    out: str | Path | None = None,
) -> _Plan:
    if isinstance(paths, (str, Path)):  # one file or folder, not its characters
        paths = [paths]
    skipped: dict[str, str] = {}
    files, refused = discover(
        paths,
        exclude=[out] if out is not None else (),
        follow_links=config.follow_links,
        skipped=skipped,
    )
    doc_ids = assign_doc_ids(files, existing.doc_ids if existing else ())
    kw_model = artifacts.load_keywords(
        config.models, top_n=config.top_keywords, method=config.keyword_method
    )
    topic_model = None if config.refit_topics else artifacts.load_topics(config.models)
    options = Options.of(config, keyword_model=kw_model, topic_model=topic_model, stream=stream)
    return _Plan(config, files, doc_ids, options, kw_model, topic_model, refused, skipped)


def _processed(plan: _Plan) -> Iterator[DocResult]:
    """``process_task`` (``process_document``, or in pieces for a huge text) over the plan's
    files on the engine, results in input order."""
    config, options = plan.config, plan.options
    supervised = config.engine == "local" and bool(config.time_limit or config.memory_limit_mb)
    if config.engine == "local" and (config.local_jobs > 1 or supervised) and plan.files:
        preload(options)  # forked workers share what is loaded now, instead of each loading it
    chunks = batches(
        make_tasks(plan.files, plan.doc_ids, config.task_input, plan.refused, plan.skipped)
    )
    if supervised:  # each document watched: time and memory limits, a dead worker replaced
        results = map_supervised(
            process_task,
            chunks,
            shared=options,
            failed=task_over_limit,
            jobs=config.local_jobs,
            time_limit=config.time_limit or None,
            memory_limit=config.memory_limit_mb * 2**20 or None,
        )
    elif config.engine == "dask":  # the limits applied inside each task (batch.watched)
        limits = Watched(options, config.time_limit or None, config.memory_limit_mb * 2**20 or None)
        results = map_ordered(
            watched_tasks,
            large_alone(chunks),
            shared=limits,
            engine="dask",
            scheduler=config.scheduler,
            failed=_batch_failed,
        )
    else:
        results = map_ordered(process_tasks, chunks, shared=options, jobs=config.jobs)
    parallel = config.engine == "dask" or config.local_jobs > 1 or supervised
    # scikit-learn is needed only to fit models on this batch (applying saved ones is NumPy)
    fitting = options.topic_model is None or options.keyword_model is None
    prefetch, bar, started = None, None, False
    try:
        for batch in results:
            if not started:  # the workers exist now, so threads may start (no fork after)
                started = True
                prefetch = _prefetch(AGGREGATION_IMPORTS) if parallel and fitting else None
                bar = _progress_bar(len(plan.files)) if config.progress else None
            yield from batch
            if bar is not None:
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    if prefetch is not None:
        prefetch.join()


def _batch_failed(tasks: Sequence[Task], reason: str) -> list[DocResult]:
    """The results of a Dask task that failed on the cluster: each file's ``error`` row."""
    return [task_failed(t, reason) for t in tasks]


def _fit_on_batch(results: Sequence[DocResult], plan: _Plan) -> tuple[object | None, pd.DataFrame]:
    """Fit what has no saved model on this batch: the keyword IDF (then each document's
    keywords, set on its result) and the topics. Returns the topic model (None when the batch
    has too little text) and the doc_topics table."""
    token_counts = _token_counts(results)
    top_keywords, keyword_method = plan.config.top_keywords, plan.config.keyword_method
    kw_model = plan.keyword_model
    if kw_model is None and token_counts:  # no saved IDF: learn it from this batch
        from policy_nlp.keywords import PlainKeywordExtractor

        kw_model = PlainKeywordExtractor(top_n=top_keywords, method=keyword_method).fit(
            token_counts.values()
        )
        for r in results:
            if r.document.doc_id in token_counts:
                rank = r.rank if keyword_method == "textrank" else None
                r.keywords = kw_model.keywords(r.token_counts, rank=rank)
                r.rank = {}
    topic_model = plan.topic_model
    if topic_model is None:  # --refit-topics, or no saved model: fit on this batch's passages
        from policy_nlp.topics import PlainTopicModel

        units = [p for r in results for p in r.passages]
        groups = [r.document.doc_id for r in results for _ in r.passages]
        if len(units) < 2:  # short documents: fall back to whole documents
            units, groups = list(token_counts.values()), list(token_counts)
        try:
            topic_model = PlainTopicModel().fit(units, groups=groups)
        except ValueError:  # fewer than 2 documents with content words: no topics
            topic_model = None
        for r in results:
            r.passages = []
    if plan.options.topic_model is not None:  # the workers placed each document on the topics
        doc_topics = doc_topics_frame(results)
    elif topic_model is not None:
        doc_topics = topic_model.doc_topics_frame(token_counts)
    else:
        doc_topics = tables.empty_frame("doc_topics")
    return topic_model, doc_topics


def _outcomes(config: RunConfig) -> tuple[pd.DataFrame | None, list[str]]:
    """The ``--outcomes`` file's rows and the messages about its bad rows (none without one)."""
    if config.outcomes is None:
        return None, []
    return tracking.read_outcomes(config.outcomes)


def _topics_frame(topic_model: object | None) -> pd.DataFrame:
    return topic_model.topics_frame() if topic_model else tables.empty_frame("topics")


def run(
    paths: Iterable[str | Path],
    *,
    out: str | Path | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    dask_input: str | None = None,
    tokenizer: str = "rjieba",
    models: str | Path | None = None,
    refit_topics: bool = False,
    top_keywords: int = 10,
    keyword_method: str = "tfidf",
    progress: bool = False,
    append: bool = False,
    overwrite: bool = False,
    outcomes: str | Path | None = None,
    tracking: bool = True,
    config: RunConfig | None = None,
) -> Result:
    """Process every document under ``paths`` and return the tables (written to ``out`` if given).

    Bad files never stop the batch: they get a row in ``documents`` with status ``error`` or
    ``empty`` and the reason. Topics come from the saved model in ``models`` (so topic ids
    are stable across batches) unless ``refit_topics`` is set or no model is saved.

    ``jobs`` worker processes (default: all cores; the tables are the same for any number);
    ``engine="dask"`` runs the per-document work on the Dask cluster at ``scheduler``
    (``tcp://HOST:PORT``), where ``dask_input`` says how workers get the files: ``"bytes"``
    (the default: sent by this process; workers need not see its files) or ``"paths"``
    (absolute paths on a filesystem every worker mounts at the same place).

    ``append=True`` adds the documents to the tables already in ``out`` instead (see
    ``policy_nlp.batch.append``): documents whose text is there are skipped, so running it again
    changes nothing. It raises ``AppendError`` when that cannot be done as asked. Without it,
    an ``out`` that holds an earlier run's tables is refused (``AppendError``) unless
    ``overwrite=True``, which replaces them and removes that run's other outputs.

    ``tracking=False`` skips tracking and the panel (for claims, keywords and topics only):
    the result's ``tracking`` and ``panel`` are empty and ``out`` gets no ``tracking.csv`` or
    ``panel.csv`` (an earlier run's are removed).

    The options may come as one ``RunConfig`` (``config=``) instead; either way they are
    checked before any file is read (``OptionError``).

    The tables are held in memory (as the returned DataFrames); ``write_tables`` writes the
    same files without holding them, for batches larger than memory.
    """
    config = RunConfig.of(
        config,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        dask_input=dask_input,
        tokenizer=tokenizer,
        models=models,
        refit_topics=refit_topics,
        top_keywords=top_keywords,
        keyword_method=keyword_method,
        progress=progress,
        append=append,
        overwrite=overwrite,
        outcomes=outcomes,
        tracking=tracking,
    )
    if out is None:
        return _run(paths, None, config)
    with output_lock(out):
        return _run(paths, out, config)


def _previous_outputs(out: str | Path, config: RunConfig) -> list[Path]:
    """What an earlier run left in ``out`` (tables in any format, workbook, report): refused
    unless ``overwrite`` (``AppendError``: a usage error), else returned to be removed once this
    run's tables are written."""
    found = output_files(out) if Path(out).is_dir() else []
    if found and not config.overwrite:
        names = ", ".join(p.name for p in found[:3]) + (", …" if len(found) > 3 else "")
        raise AppendError(
            f"{out} already holds the tables of another run ({names}); add to them with "
            "--append, or replace them with --overwrite (append=True / overwrite=True)"
        )
    return found


def _remove_stale(previous: list[Path], out: str | Path, tracked: bool = True) -> None:
    """Remove the earlier run's outputs this run did not write again (its workbook, report,
    Parquet/JSON Lines/Stata files; its tracking and panel when this run has none), so nothing
    in ``out`` is left from the earlier run."""
    written = {Path(out) / f"{name}.csv" for name in write_order(tracked)}
    for path in previous:
        if path not in written:
            path.unlink(missing_ok=True)


def _run(paths: Iterable[str | Path], out: str | Path | None, config: RunConfig) -> Result:
    previous = _previous_outputs(out, config) if out is not None and not config.append else []
    existing = appending.prepare(out, config.models) if config.append else None
    plan = _plan(paths, config, existing, stream=False, out=out)
    results: list[DocResult] = []
    claims: list[tuple] = []
    facts: list[tracking.Fact] = []
    news = appending.NewDocuments(existing) if existing else None
    for r in _processed(plan):
        if news is not None and not news.admit(r):
            continue
        claims.extend(r.claims)
        facts.extend(r.facts)
        r.claims, r.facts = [], []
        results.append(r)
    if existing is not None and news is not None:
        assert out is not None  # appending.prepare refuses a run without it
        return appending.appended(
            existing,
            news,
            results,
            claims,
            facts,
            out,
            config.models,
            config.jobs,
            tokenizer=config.tokenizer,
            outcomes=_outcomes(config)[0],
            tracked=config.tracking,
        )
    topic_model, doc_topics = _fit_on_batch(results, plan)
    claims_df = claim_rows_frame(claims)
    # the CSV keeps the exact Decimal values (the frame's are floats), rows in the frame's order
    exact = tables.csv_lines("claims", tables.sort_rows("claims", claims)) if out else None
    claims.clear()  # the frame holds the same strings; the row tuples can go
    documents = documents_frame(results)
    result = Result(
        claims=claims_df,
        documents=documents,
        keywords=keywords_frame(results),
        topics=_topics_frame(topic_model),
        doc_topics=doc_topics,
        batch=documents,
        tracked=config.tracking,
        claims_text=None if exact is None else (claims_df, exact),
    )
    outcomes, result.notes = _outcomes(config)
    if config.tracking:
        result.tracking = tracking.link(facts, documents, tokenizer=config.tokenizer)
        result.panel = tracking.build_panel(claims_df, documents, facts=facts, outcomes=outcomes)
    if out is not None:
        result.to_csv(out)
        _remove_stale(previous, out, config.tracking)
    return result


# ----------------------------------------------------------------------------- streaming


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
    notes: list[str] = field(default_factory=list)  # bad rows of --outcomes, by line

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
            notes=list(result.notes),
        )


def write_tables(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    dask_input: str | None = None,
    tokenizer: str = "rjieba",
    models: str | Path | None = None,
    refit_topics: bool = False,
    top_keywords: int = 10,
    keyword_method: str = "tfidf",
    progress: bool = False,
    append: bool = False,
    overwrite: bool = False,
    outcomes: str | Path | None = None,
    tracking: bool = True,
    config: RunConfig | None = None,
) -> Summary:
    """``run(paths, out=out, ...)`` without holding the tables: the same files in ``out``.

    Each document's rows go to part files in ``out`` as soon as its worker returns them, and
    the tables are assembled from those at the end (``policy_nlp.batch.spill``), so memory does not
    grow with the batch: what stays is one documents row per document and, when a model is
    fitted on this batch (no saved model, or ``refit_topics``), the token counts it is fitted
    on. ``append`` reads the tables already in ``out``, and goes through ``run``. The options
    are ``run``'s (or one ``RunConfig``, ``config=``).
    """
    config = RunConfig.of(
        config,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        dask_input=dask_input,
        tokenizer=tokenizer,
        models=models,
        refit_topics=refit_topics,
        top_keywords=top_keywords,
        keyword_method=keyword_method,
        progress=progress,
        append=append,
        overwrite=overwrite,
        outcomes=outcomes,
        tracking=tracking,
    )
    if config.append:
        return Summary.of(run(paths, out=out, config=config))
    with output_lock(out):
        return _write_tables(paths, out, config)


def _write_tables(paths: Iterable[str | Path], out: str | Path, config: RunConfig) -> Summary:
    previous = _previous_outputs(out, config)
    plan = _plan(paths, config, None, stream=True, out=out)
    results: list[DocResult] = []
    kinds: Counter[str] = Counter()
    outcomes, notes = _outcomes(config)
    headline: list[tuple] = []  # the panel's claims: few per document
    periods: set[tuple[str, int]] = set()
    with spill.TableFiles(out) as files:
        for r in _processed(plan):
            for table, text in r.text.items():
                files.add(table, r.document.doc_id, text)
            files.add_link_facts(r.link_facts)
            kinds.update(r.kinds)
            headline.extend(r.headline)
            periods.update((r.document.doc_id, start) for start in r.periods)
            r.text, r.link_facts, r.headline, r.periods = {}, {}, [], []
            results.append(r)
        topic_model, doc_topics = _fit_on_batch(results, plan)
        if plan.options.keyword_model is None:  # scored here, once the IDF was fitted
            for r in results:
                files.add(
                    "keywords", r.document.doc_id, tables.csv_text("keywords", keyword_rows(r))
                )
                r.keywords = []
        if plan.options.topic_model is None:  # else the workers sent each document's rows
            files.add_frame("doc_topics", doc_topics)
        files.add_frame("topics", _topics_frame(topic_model))
        documents = documents_frame(results)
        if config.tracking:
            # linked here, on the local cores (the facts are in local files)
            files.link(
                tracking.documents_info(documents),
                jobs=config.local_jobs,
                tokenizer=config.tokenizer,
            )
            scopes = dict.fromkeys(periods, "period")
            panel = tracking.build_panel(
                claim_rows_frame(headline), documents, scopes=scopes, outcomes=outcomes
            )
            files.add_frame("panel", panel)
        files.add_frame("documents", documents)
        files.commit(write_order(config.tracking))
    write_sources(out, zip(documents["doc_id"].tolist(), documents["path"].tolist(), strict=True))
    _remove_stale(previous, out, config.tracking)
    return Summary(
        documents=documents,
        batch=documents,
        claims=sum(kinds.values()),
        targets=kinds["target"],
        achievements=kinds["achievement"],
        notes=notes,
    )
