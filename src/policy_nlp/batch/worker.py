"""The per-document work: one pure function (``process_document``), so local processes and a
Dask cluster run the same code, and the tasks it is given (``make_tasks``, ``batches``).

Only what the tables need comes back from a worker, as a ``DocResult`` (claim rows, metadata,
keywords, tracking facts, the document's topic weights), so memory follows the size of the
tables, not of the texts; for ``write_tables`` the rows come back as CSV text instead
(``Options.stream``), formatted in the worker, in parallel.

The per-document functions (``claims_and_facts``, ``content_tokens``, ``count_content_tokens``,
``paragraph_counts``) cut a huge document into pieces (``policy_nlp.pieces``) so its cost
stays linear; the benchmarks call them one by one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from policy_nlp import tables, tracking
from policy_nlp.batch import spill
from policy_nlp.batch.config import RunConfig
from policy_nlp.claims import extract
from policy_nlp.pieces import pieces, slices
from policy_nlp.read import (
    SUFFIXES,
    Document,
    DocumentError,
    display_path,
    failed_document,
    read_document,
)
from policy_nlp.read.limits import DEFAULT_LIMITS, Limits
from policy_nlp.schema import CLAIM_FIELDS, Claim

if TYPE_CHECKING:  # pragma: no cover
    from policy_nlp.tokens import Tokenizer

__all__ = [
    "BATCH_BYTES",
    "BATCH_DOCS",
    "INTERNAL_ERROR",
    "DocResult",
    "Options",
    "Task",
    "analyse_document",
    "batches",
    "claim_rows",
    "claims_and_facts",
    "content_tokens",
    "count_content_tokens",
    "keyword_rows",
    "make_tasks",
    "paragraph_counts",
    "process_batch",
    "process_document",
    "stage_failed",
    "task_failed",
    "task_size",
]

BATCH_BYTES = 128 * 1024  # input bytes per task sent to a worker (many small files share one)
BATCH_DOCS = 64  # files per task at most (a task's results come back together)


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
    limits: Limits = DEFAULT_LIMITS  # caps on one input file
    tracking: bool = True  # False: no tracking facts (no describe, nothing for the panel)

    @classmethod
    def of(
        cls,
        config: RunConfig,
        *,
        keyword_model: object | None,
        topic_model: object | None,
        stream: bool,
    ) -> Options:
        """The workers' part of ``config``, with the saved models a run loaded (None: fitted
        on the batch after the map)."""
        return cls(
            tokenizer=config.tokenizer,
            keyword_model=keyword_model,
            keyword_method=config.keyword_method,
            topic_passages=topic_model is None,
            topic_model=topic_model if keyword_model is not None else None,
            stream=stream,
            limits=config.limits,
            tracking=config.tracking,
        )


@dataclass(frozen=True)
class Task:
    """One input file: ``path`` as the user gave it (the documents table's path) and where a
    worker finds its content: ``source`` is a path to read, or the file's bytes."""

    path: str
    doc_id: str
    source: str | bytes | None = None  # None: read ``path``
    error: str = ""  # the client could not read the file: why (read_document's reason)
    status: str = "error"  # with ``error``: "error", "empty" or "skipped"


@dataclass
class DocResult:
    """What the tables need from one document (its text is dropped to keep memory flat).

    One record for both ways a run writes: its rows (``claims``, ``keywords``, ``facts``,
    ``doc_topics``) or, with ``Options.stream``, the same as text (``text``, ``link_facts``,
    ``kinds``); what models fitted on the batch need (``token_counts``, ``passages``,
    ``rank``) comes either way.
    """

    document: Document
    claims: list[tuple] = field(default_factory=list)  # claims table rows, the table's column order
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
    # with Options.stream: the claims rows of headline indicators (for the panel) and the
    # starts of the figures that span several years
    headline: list[tuple] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)


def _read(task: Task, limits: Limits = DEFAULT_LIMITS) -> Document:
    if task.error:
        raise DocumentError(task.path, task.error, status=task.status)
    if isinstance(task.source, bytes):  # a worker that may not see the client's files
        with tempfile.TemporaryDirectory(prefix="policy-nlp-") as tmp:
            f = Path(tmp) / f"document{PurePath(task.path).suffix}"
            f.write_bytes(task.source)
            doc = read_document(f, doc_id=task.doc_id, limits=limits)
    else:
        doc = read_document(task.source or task.path, doc_id=task.doc_id, limits=limits)
    return doc if doc.path == task.path else replace(doc, path=task.path)


_CLAIM_ROW = attrgetter(*CLAIM_FIELDS)


def claim_rows(claims: Iterable[Claim], level: str = "") -> list[tuple]:
    """Claims as table rows, values still the claims' exact ``Decimal`` (the CSV cells are
    written from them, never through a float), equal sentences shared, and the headline
    indicator (``tracking.headline_keys``, for a government of ``level``) last."""
    claims = list(claims)
    rows, sentences = [], {}
    for c, key in zip(claims, tracking.headline_keys(claims, level), strict=True):
        row = list(_CLAIM_ROW(c))
        row[-1] = sentences.setdefault(row[-1], row[-1])
        row.append(key)
        rows.append(tuple(row))
    return rows


def process_document(task: Task, options: Options) -> DocResult:
    """Read one file and run every per-document stage on it; never raises for bad input.

    Whatever goes wrong inside one document (a bad file, or a bug in a stage, or a panic in the
    Rust tokeniser, which is not an ``Exception``) becomes that document's ``error`` row; the
    batch goes on.
    """
    try:
        doc = _read(task, options.limits)
    except BaseException as exc:
        return stage_failed(
            task, exc, doing="reading the file", bug="unexpected error while reading"
        )
    try:
        return analyse_document(doc, options)
    except BaseException as exc:  # a bug in a stage must not stop the batch
        return stage_failed(task, exc, doing="processing the text", bug=INTERNAL_ERROR)


INTERNAL_ERROR = "internal error while processing (please report it)"


def stage_failed(task: Task, exc: BaseException, *, doing: str, bug: str) -> DocResult:
    """The ``error`` row of a document whose stage raised ``exc``: its own reason for a bad
    file (``DocumentError``), running out of memory while ``doing``, else ``bug`` with the
    exception. An interrupt or an exit is raised again: it stops the batch, not the document."""
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        raise exc
    if isinstance(exc, DocumentError):
        return DocResult(failed_document(task.path, task.doc_id, exc))
    if isinstance(exc, MemoryError):
        return task_failed(task, f"ran out of memory while {doing}")
    return task_failed(task, f"{bug}: {type(exc).__name__}: {exc}")


def task_failed(task: Task, reason: str) -> DocResult:
    """The result of a document that failed for ``reason`` (also when its worker was stopped
    over a limit, or died: ``policy_nlp.batch.supervise``)."""
    return DocResult(failed_document(task.path, task.doc_id, DocumentError(task.path, reason)))


def analyse_document(doc: Document, options: Options) -> DocResult:
    """Every stage after reading, for one document (``process_document`` catches its errors)."""
    claims, facts = claims_and_facts(doc, describe=options.tracking)
    from policy_nlp.keywords import textrank_scores
    from policy_nlp.tokens import get_tokenizer

    # token counts, never the token list: a huge document stays small in memory
    tk = get_tokenizer(options.tokenizer)
    passages: list[dict[str, int]] = []
    if options.topic_passages:
        from policy_nlp.fit.topics import passages as long_enough

        paragraphs = list(paragraph_counts(tk, doc.text))
        counts: Counter[str] = Counter()
        for para in paragraphs:
            counts.update(para)
        passages = [dict(p) for p in long_enough(paragraphs)]
    else:
        counts = count_content_tokens(tk, doc.text)
    kw, rank = options.keyword_model, {}
    if kw is not None:  # TextRank reads the tokens again, in order (streamed)
        keywords = kw.keywords(counts if kw.method == "tfidf" else content_tokens(tk, doc.text))
    else:
        keywords = []
        if options.keyword_method == "textrank":
            rank = textrank_scores(content_tokens(tk, doc.text))
    doc_topics: list[tuple] = []
    token_counts: dict[str, int] = {}
    if options.topic_model is not None:  # the counts' only other use: placed here, in parallel
        doc_topics = options.topic_model.doc_topic_rows({doc.doc_id: counts})
    else:  # sent back for the models fitted on the batch, in a fixed order
        token_counts = dict(sorted(counts.items()))
    region = tracking.document_region(doc.issuer or "", doc.title or "", _ends(doc.text))
    extra = {"chars": len(doc.text), "n_claims": len(claims), "region": region}
    meta = replace(doc, text="", extra=extra)
    result = DocResult(
        meta,
        claim_rows(claims, region[2]),
        token_counts,
        keywords,
        facts=facts,
        passages=passages,
        rank=rank,
        doc_topics=doc_topics,
    )
    return _as_text(result, options.tracking) if options.stream else result


def _ends(text: str, chars: int = 2000) -> str:
    """The top and bottom of a text, where a speaker or signature line stands."""
    return text if len(text) <= 2 * chars else text[:chars] + "\n" + text[-chars:]


_KIND_AT = CLAIM_FIELDS.index("kind")  # the kind's place in a claims row


def _as_text(r: DocResult, tracked: bool = True) -> DocResult:
    """The document's rows as CSV text and its tracking facts as JSON lines (Options.stream);
    without ``tracked``, nothing for tracking or the panel."""
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
        text["keywords"] = tables.csv_text("keywords", keyword_rows(r))
    if r.doc_topics:
        text["doc_topics"] = tables.csv_text("doc_topics", r.doc_topics)
    link_facts = {}
    if r.facts:
        government = tracking.jurisdiction(doc.issuer or "", doc.title or "")
        link_facts = spill.link_records(r.facts, government)
    return replace(
        r,
        claims=[],
        keywords=[],
        facts=[],
        doc_topics=[],
        text=text,
        link_facts=link_facts,
        kinds=dict(kinds),
        headline=[row for row in claims if row[-1]] if tracked else [],
        periods=[f.start for f in r.facts if f.scope == "period"],
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


def make_tasks(
    files: Sequence[Path],
    doc_ids: Sequence[str],
    send: str | None,
    refused: Mapping[str, str] | None = None,
    skipped: Mapping[str, str] | None = None,
) -> Iterator[Task]:
    """A task per file; ``send`` (``RunConfig.task_input``) "bytes" reads the file here (lazily,
    as tasks are sent), "paths" sends its absolute path, None lets the worker read the path as
    given. A file in ``refused`` (path -> reason: a link out of the inputs) is not read: its
    task carries the reason. A path that is not UTF-8 is shown escaped (``display_path``)."""
    refused, skipped = refused or {}, skipped or {}
    for f, doc_id in zip(files, doc_ids, strict=True):
        shown = display_path(f)
        if str(f) in skipped:  # a file of another type in a searched folder: listed, not read
            yield Task(shown, doc_id, error=skipped[str(f)], status="skipped")
        elif str(f) in refused:
            yield Task(shown, doc_id, error=refused[str(f)])
        elif send == "bytes":
            yield replace(_task_with_bytes(f, doc_id), path=shown)
        elif send == "paths":
            yield Task(shown, doc_id, os.path.abspath(f))
        else:
            yield Task(shown, doc_id, None if shown == str(f) else str(f))


def task_size(task: Task) -> int:
    """The bytes a task will read (its file's size; 0 when it cannot be seen)."""
    if isinstance(task.source, bytes):
        return len(task.source)
    try:
        return os.stat(task.source or task.path).st_size
    except OSError:
        return 0


def batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Consecutive tasks grouped up to BATCH_BYTES of input (or BATCH_DOCS files)."""
    batch, size = [], 0
    for t in tasks:
        batch.append(t)
        size += task_size(t)
        if size >= BATCH_BYTES or len(batch) >= BATCH_DOCS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def claims_and_facts(
    doc: Document, *, describe: bool = True
) -> tuple[list[Claim], list[tracking.Fact]]:
    """Claims and tracking facts (none without ``describe``), piece by piece for a document
    with huge lines (``pieces``)."""
    text = doc.text
    claims: list[Claim] = []
    facts: list[tracking.Fact] = []
    for start, end in pieces(text):
        part = text if (start, end) == (0, len(text)) else text[start:end]
        found = extract(
            part, doc_id=doc.doc_id, year=doc.year, doc_type=doc.doc_type, title=doc.title
        )
        described = tracking.describe(found, part) if describe else []
        if start:  # offsets into the whole text
            found = [replace(c, start=c.start + start, end=c.end + start) for c in found]
            described = [replace(f, start=f.start + start, end=f.end + start) for f in described]
        claims.extend(found)
        facts.extend(described)
    return claims, facts


def content_tokens(tk: Tokenizer, text: str) -> Iterator[str]:
    """``tk.iter_content_tokens(text)`` a slice at a time: the tokeniser builds the token
    list of a whole line, so a 50 MB line is given to it in slices cut where it would cut."""
    for start, end in slices(text):
        yield from tk.iter_content_tokens(text[start:end])


def count_content_tokens(tk: Tokenizer, text: str) -> Counter[str]:
    """Content-token counts, a slice at a time (the fast path of ``content_tokens``): every
    token counted straight from what the tokeniser returns (``Tokenizer.count``), then the
    distinct tokens that are not content tokens removed (``keep_content``: set operations, a
    pure test, so the same counts)."""
    from policy_nlp.tokens import keep_content

    counts: Counter[str] = Counter()
    for start, end in slices(text):
        part = tk.count(text if (start, end) == (0, len(text)) else text[start:end])
        if counts:
            counts.update(part)
        else:
            counts = part
    keep_content(counts)
    return counts


def paragraph_counts(tk: Tokenizer, text: str) -> Iterator[dict[str, int]]:
    """``tk.iter_paragraph_counts(text)`` a slice at a time (a line longer than a slice
    counts as several paragraphs)."""
    for start, end in slices(text):
        yield from tk.iter_paragraph_counts(text[start:end])


def keyword_rows(r: DocResult) -> list[tuple]:
    """The keywords table's rows of one document (doc_id, rank, keyword, score)."""
    return [
        (r.document.doc_id, rank, kw, score) for rank, (kw, score) in enumerate(r.keywords, start=1)
    ]
