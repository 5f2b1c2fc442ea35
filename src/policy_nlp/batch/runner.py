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
import os
import stat
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import attrgetter
from pathlib import Path, PurePath

import pandas as pd

from policy_nlp import artifacts, tables, tracking
from policy_nlp.batch import append as appending
from policy_nlp.batch import spill
from policy_nlp.batch.append import AppendError
from policy_nlp.batch.engines import default_jobs, map_ordered
from policy_nlp.claims.extractor import CLAIM_FIELDS, Claim, extract
from policy_nlp.errors import OptionError, TableError, UnknownTableError
from policy_nlp.pieces import pieces, slices
from policy_nlp.read.document import (
    SUFFIXES,
    Document,
    DocumentError,
    assign_doc_ids,
    failed_document,
    find_inputs,
    read_document,
)

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
BATCH_BYTES = 128 * 1024  # input bytes per task sent to a worker (many small files share one)
BATCH_DOCS = 64
# scikit-learn takes a second or more to import and is needed only to fit keyword or topic
# models on the batch: then the parent imports it while the workers run
AGGREGATION_IMPORTS = (
    "sklearn.feature_extraction.text",
    "sklearn.preprocessing",
    "sklearn.decomposition",
)


@dataclass(frozen=True)
class Options:
    """What every worker needs to process a document: sent once per worker, not per task."""

    tokenizer: str = "rjieba"
    keyword_model: object | None = None  # a fitted KeywordExtractor, or None
    keyword_method: str = "tfidf"  # needed when keyword_model is None (fitted after the map)
    topic_passages: bool = False  # keep paragraph counts: the topic model is fitted on this batch
    # the saved topic model (with a saved keyword model): workers place each document on its
    # topics themselves (rows are solved one by one, so per document equals per batch)
    topic_model: object | None = None
    # for write_tables: the document's rows come back as CSV text (``DocResult.text``) and its
    # tracking facts as JSON lines (``DocResult.link_facts``), formatted here, in parallel
    stream: bool = False


@dataclass(frozen=True)
class Task:
    """One input file: ``path`` as the user gave it (the documents table's path) and where a
    worker finds its content: ``source`` is a path to read, or the file's bytes."""

    path: str
    doc_id: str
    source: str | bytes | None = None  # None: read ``path``
    error: str = ""  # the client could not read the file: why (read_document's reason)
    status: str = "error"  # with ``error``: "error" or "empty"


@dataclass
class DocResult:
    """What the tables need from one document (its text is dropped to keep memory flat)."""

    document: Document
    claims: list[tuple] = field(default_factory=list)  # claims table rows, CLAIM_FIELDS order
    token_counts: dict[str, int] = field(default_factory=dict)  # empty when doc_topics is set
    keywords: list[tuple[str, float]] = field(default_factory=list)
    facts: list[tracking.Fact] = field(default_factory=list)  # claims as target tracking reads them
    passages: list[dict[str, int]] = field(default_factory=list)  # only with topic_passages
    rank: dict[str, float] = field(default_factory=dict)  # TextRank scores when IDF comes later
    doc_topics: list[tuple] = field(default_factory=list)  # doc_topics rows, with topic_model
    # with Options.stream, instead of claims, keywords, doc_topics and facts: table -> CSV
    # lines, tracking facts by link bucket (spill.link_records), claims per kind
    text: dict[str, str] = field(default_factory=dict)
    link_facts: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)


def _read(task: Task) -> Document:
    if task.error:
        raise DocumentError(task.path, task.error, status=task.status)
    if isinstance(task.source, bytes):  # a worker that may not see the client's files
        with tempfile.TemporaryDirectory(prefix="policy-nlp-") as tmp:
            f = Path(tmp) / f"document{PurePath(task.path).suffix}"
            f.write_bytes(task.source)
            doc = read_document(f, doc_id=task.doc_id)
    else:
        doc = read_document(task.source or task.path, doc_id=task.doc_id)
    return doc if doc.path == task.path else replace(doc, path=task.path)


_CLAIM_ROW = attrgetter(*CLAIM_FIELDS)


def _claim_rows(claims: Iterable[Claim]) -> list[tuple]:
    """Claims as table rows: values as float (as the table holds them), equal sentences shared."""
    rows, sentences = [], {}
    for c in claims:
        row = [float(v) if isinstance(v, Decimal) else v for v in _CLAIM_ROW(c)]
        row[-1] = sentences.setdefault(row[-1], row[-1])
        rows.append(tuple(row))
    return rows


def process_document(task: Task, options: Options) -> DocResult:
    """Read one file and run every per-document stage on it; never raises for bad input.

    Whatever goes wrong inside one document (a bad file, or a bug in a stage, or a panic in the
    Rust tokeniser, which is not an ``Exception``) becomes that document's ``error`` row; the
    batch goes on.
    """
    try:
        doc = _read(task)
    except DocumentError as exc:
        return DocResult(failed_document(task.path, task.doc_id, exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        return _failed(task, "unexpected error while reading", exc)
    try:
        return _process(doc, options)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a bug in a stage must not stop the batch
        return _failed(task, "internal error while processing (please report it)", exc)


def _failed(task: Task, what: str, exc: BaseException) -> DocResult:
    reason = f"{what}: {type(exc).__name__}: {exc}"
    return DocResult(failed_document(task.path, task.doc_id, DocumentError(task.path, reason)))


def _process(doc, options: Options) -> DocResult:
    """Every stage after reading, for one document."""
    claims, facts = _claims_and_facts(doc)
    from policy_nlp.keywords import textrank_scores
    from policy_nlp.tokens import get_tokenizer

    # token counts, never the token list: a huge document stays small in memory
    tk = get_tokenizer(options.tokenizer)
    passages: list[dict[str, int]] = []
    if options.topic_passages:
        from policy_nlp.fit.topics import passages as long_enough

        paragraphs = list(_paragraph_counts(tk, doc.text))
        counts: Counter[str] = Counter()
        for para in paragraphs:
            counts.update(para)
        passages = [dict(p) for p in long_enough(paragraphs)]
    else:
        counts = _count_content_tokens(tk, doc.text)
    kw, rank = options.keyword_model, {}
    if kw is not None:  # TextRank reads the tokens again, in order (streamed)
        keywords = kw.keywords(counts if kw.method == "tfidf" else _content_tokens(tk, doc.text))
    else:
        keywords = []
        if options.keyword_method == "textrank":
            rank = textrank_scores(_content_tokens(tk, doc.text))
    doc_topics: list[tuple] = []
    token_counts: dict[str, int] = {}
    if options.topic_model is not None:  # the counts' only other use: placed here, in parallel
        doc_topics = options.topic_model.doc_topic_rows({doc.doc_id: counts})
    else:  # sent back for the models fitted on the batch, in a fixed order
        token_counts = dict(sorted(counts.items()))
    meta = replace(doc, text="", extra={"chars": len(doc.text), "n_claims": len(claims)})
    result = DocResult(
        meta,
        _claim_rows(claims),
        token_counts,
        keywords,
        facts=facts,
        passages=passages,
        rank=rank,
        doc_topics=doc_topics,
    )
    return _as_text(result) if options.stream else result


_KIND_AT = CLAIM_FIELDS.index("kind")


def _as_text(r: DocResult) -> DocResult:
    """The document's rows as CSV text and its tracking facts as JSON lines (Options.stream)."""
    doc = r.document
    claims = tables.sort_rows("claims", r.claims)  # the table's order within the document
    kinds = Counter(row[_KIND_AT] for row in claims)
    lines = tables.csv_lines("claims", claims)  # targets and achievements are subsets
    of_kind = [(row[_KIND_AT], line) for row, line in zip(claims, lines, strict=True)]
    text = {
        "claims": "".join(lines),
        "targets": "".join(line for kind, line in of_kind if kind == "target"),
        "achievements": "".join(line for kind, line in of_kind if kind == "achievement"),
    }
    if r.keywords:
        text["keywords"] = tables.csv_text("keywords", _keyword_rows(r))
    if r.doc_topics:
        text["doc_topics"] = tables.csv_text("doc_topics", r.doc_topics)
    government = tracking.jurisdiction(doc.issuer or "", doc.title or "")
    return replace(
        r,
        claims=[],
        keywords=[],
        facts=[],
        doc_topics=[],
        text=text,
        link_facts=spill.link_records(r.facts, government),
        kinds=dict(kinds),
    )


def process_batch(tasks: Sequence[Task], options: Options) -> list[DocResult]:
    """``process_document`` over a few files: one task for a worker."""
    return [process_document(t, options) for t in tasks]


def _task_with_bytes(f: Path, doc_id: str) -> Task:
    """A task carrying the file's bytes; a file that cannot be sent carries the reason a local
    run would give (``read_document`` says it, and fails before reading any content)."""
    try:
        if stat.S_ISREG(os.stat(f).st_mode) and f.suffix.lower() in SUFFIXES:
            return Task(str(f), doc_id, f.read_bytes())
    except OSError:
        pass
    try:
        read_document(f, doc_id=doc_id)
    except DocumentError as exc:
        return Task(str(f), doc_id, error=exc.reason, status=exc.status)
    except Exception as exc:
        return Task(str(f), doc_id, error=f"unexpected error: {exc!r}")
    return Task(str(f), doc_id, f.read_bytes())  # readable after all (it changed meanwhile)


def _tasks(files: Sequence[Path], doc_ids: Sequence[str], send: str | None) -> Iterator[Task]:
    """A task per file; ``send`` "bytes" reads the file here (lazily, as tasks are sent),
    "paths" sends its absolute path, None lets the worker read the path as given."""
    for f, doc_id in zip(files, doc_ids, strict=True):
        if send == "bytes":
            yield _task_with_bytes(f, doc_id)
        elif send == "paths":
            yield Task(str(f), doc_id, os.path.abspath(f))
        else:
            yield Task(str(f), doc_id)


def _size(task: Task) -> int:
    if isinstance(task.source, bytes):
        return len(task.source)
    try:
        return os.stat(task.source or task.path).st_size
    except OSError:
        return 0


def _batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Consecutive tasks grouped up to BATCH_BYTES of input (or BATCH_DOCS files)."""
    batch, size = [], 0
    for t in tasks:
        batch.append(t)
        size += _size(t)
        if size >= BATCH_BYTES or len(batch) >= BATCH_DOCS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


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


def _count_content_tokens(tk, text: str) -> Counter[str]:
    """Content-token counts, a slice at a time (the fast path of ``_content_tokens``)."""
    from policy_nlp.tokens import is_content_token

    counts: Counter[str] = Counter()
    for start, end in slices(text):
        counts.update(tk.cut(text[start:end]))
    # each distinct token tested once, not each occurrence (a pure test: the same counts)
    return Counter({t: n for t, n in counts.items() if is_content_token(t)})


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
            raise UnknownTableError(f"no table {name!r}; tables are {', '.join(tables.TABLES)}")
        return getattr(self, name)

    def to_csv(self, out_dir: str | Path) -> list[Path]:
        """Write every table as ``<name>.csv`` into ``out_dir`` (atomically, UTF-8 with BOM).

        ``documents.csv`` comes last: a run killed midway leaves it listing only documents
        whose rows every other table already holds (``--append`` relies on it).
        """
        out = Path(out_dir)
        claims = tables.as_text(self.claims)  # targets and achievements are slices of it
        paths = []
        for name in [n for n in tables.TABLES if n != "documents"] + ["documents"]:
            if name in ("claims", "targets", "achievements"):
                kind = {"targets": "target", "achievements": "achievement"}.get(name)
                rows = claims if kind is None else claims[claims["kind"] == kind]
                paths.append(tables.write_text_table(rows, out / f"{name}.csv"))
            else:
                paths.append(tables.write_csv(self.table(name), out / f"{name}.csv"))
        return paths

    def to_excel(self, path: str | Path) -> Path:
        """Write every table into one workbook at ``path``, a sheet each (atomically)."""
        return tables.write_xlsx({name: self.table(name) for name in tables.TABLES}, path)


def load(folder: str | Path) -> Result:
    """The tables a run wrote into ``folder`` (CSV), read back with their dtypes.

    ``targets`` and ``achievements`` are views of ``claims``; a table missing from the folder
    comes back empty. A folder without ``documents.csv`` is not a run's output.
    """
    folder = Path(folder)
    if not (folder / "documents.csv").is_file():
        raise TableError(f"{folder}: no documents.csv here; not a folder of policy-nlp tables")
    frames = {}
    for name in ("claims", "documents", "keywords", "topics", "doc_topics", "tracking"):
        path = folder / f"{name}.csv"
        frames[name] = (
            tables.read_csv_table(path, name) if path.is_file() else tables.empty_frame(name)
        )
    return Result(**frames, batch=frames["documents"])


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


def _keyword_rows(r: DocResult) -> list[tuple]:
    return [
        (r.document.doc_id, rank, kw, score) for rank, (kw, score) in enumerate(r.keywords, start=1)
    ]


def _keywords_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    rows = [row for r in results for row in _keyword_rows(r)]
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["keywords"])), "keywords")


def _claims_frame(rows: list[tuple]) -> pd.DataFrame:
    if not rows:
        return tables.empty_frame("claims")
    return tables.typed(pd.DataFrame(rows, columns=list(CLAIM_FIELDS)), "claims")


def _doc_topics_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    rows = [row for r in results for row in r.doc_topics]
    columns = list(tables.COLUMNS["doc_topics"])
    return tables.typed(pd.DataFrame(rows, columns=columns), "doc_topics")


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
        return _appended(existing, news, results, claims, facts, out, models, jobs, tokenizer)
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
        tracking=tracking.link(facts, documents, tokenizer=tokenizer),
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
        files.link(
            tracking.documents_info(documents),
            jobs=_local_jobs(jobs, engine),
            tokenizer=tokenizer,
        )
        files.add_frame("documents", documents)
        files.commit(_WRITE_ORDER)
    return Summary(
        documents=documents,
        batch=documents,
        claims=sum(kinds.values()),
        targets=kinds["target"],
        achievements=kinds["achievement"],
    )


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
        r.claims = [(doc_id, *row[1:]) for row in r.claims]
        r.facts = [replace(f, doc_id=doc_id) for f in r.facts]
        r.doc_topics = [(doc_id, *row[1:]) for row in r.doc_topics]


def _appended(
    existing: appending.Existing,
    news: _NewDocuments,
    results: list[DocResult],
    claims: list[tuple],
    facts: list[tracking.Fact],
    out: str | Path,
    models: str | Path | None,
    jobs: int | None,
    tokenizer: str,
) -> Result:
    """The tables in ``out`` with this batch added, written unless nothing changed (the
    workers placed the new documents on the saved topics: ``--append`` needs both models)."""
    topic_model = artifacts.load_topics(models)
    batch = _documents_frame(results)
    drop = news.replaced
    documents = appending.merge(existing.documents, batch, "documents", drop)
    claims_df = appending.merge(existing.claims, _claims_frame(claims), "claims", drop)
    old_facts = _existing_facts(existing, documents, drop, jobs)
    result = Result(
        claims=claims_df,
        documents=documents,
        keywords=appending.merge(existing.keywords, _keywords_frame(results), "keywords", drop),
        topics=topic_model.topics_frame(),
        doc_topics=appending.merge(
            existing.doc_topics, _doc_topics_frame(results), "doc_topics", drop
        ),
        tracking=tracking.link(old_facts + facts, documents, tokenizer=tokenizer),
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
            # read here: the client has the files (Dask workers may not)
            map_ordered(_reread, tasks, jobs=jobs),
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
