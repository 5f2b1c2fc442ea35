"""A huge plain-text document processed a piece at a time, its memory bounded by the piece.

``process_task`` is what the engines run for each file: a ``.txt``/``.md`` file larger than
``Limits.piece_mb`` goes through ``analyse_in_pieces``, every other file through
``process_document`` as before (so the tables of ordinary documents do not move).

The text is read in pieces of about a million characters (``policy_nlp.read.TextStream``:
cut after a line end, else a sentence end, never inside a number). Each piece gets the
per-document stages on its own: claims and tracking facts (offsets shifted into the whole
text, so every offset in the tables points into the file's text), token counts (added up:
bounded by the vocabulary, not the text), and its rows formatted at once. What the document
keeps while the rest is read is therefore its output, not its text: claim rows, or with
``Options.stream`` their CSV text compressed (``spill.Packed``, about a quarter of its bytes).

What differs from a document read whole: the header (title, date, year, type) is read from
the first ``HEAD_CHARS`` characters (a date or issuer under a closing signature is not seen,
for the header as for tracking's region); a claim
reads the context of its piece (a section heading or year more than a piece earlier is not
seen); TextRank, for ``--keyword-method textrank``, reads the first piece; a topic model
fitted on the batch takes the first ``MAX_PASSAGES`` passages of the document.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePath

from policy_nlp import tables, tracking
from policy_nlp.batch import spill
from policy_nlp.batch.worker import (
    INTERNAL_ERROR,
    DocResult,
    Options,
    Task,
    claim_rows,
    claims_and_facts,
    content_tokens,
    count_content_tokens,
    keyword_rows,
    paragraph_counts,
    process_document,
    stage_failed,
    task_failed,
)
from policy_nlp.read import (
    Document,
    DocumentError,
    header_metadata,
    in_pieces,
    open_text_stream,
)
from policy_nlp.schema import CLAIM_FIELDS

__all__ = [
    "HEAD_CHARS",
    "MAX_PASSAGES",
    "analyse_in_pieces",
    "process_task",
    "process_tasks",
    "task_over_limit",
]

HEAD_CHARS = 20_000  # characters the header of a huge document is read from
MAX_PASSAGES = 5_000  # passages of one huge document a topic model is fitted on
_ENDS = 2_000  # characters at the top where tracking looks for a speaker
_KIND_AT = CLAIM_FIELDS.index("kind")  # the kind's place in a claims row


def process_task(task: Task, options: Options) -> DocResult:
    """``process_document``, or ``analyse_in_pieces`` for a huge plain-text file; never raises
    for bad input."""
    if isinstance(task.source, bytes):
        if not task.error and options.limits.in_pieces(
            PurePath(task.path).suffix.lower(), len(task.source)
        ):
            return _from_bytes(task, options)
    elif not task.error and in_pieces(task.source or task.path, options.limits):
        return analyse_in_pieces(task, options)
    return process_document(task, options)


def task_over_limit(task: Task, reason: str) -> DocResult:
    """``task_failed`` for a document stopped over a limit (``supervise``), saying for a huge
    text what it would need (it is processed at about a megabyte a second per core)."""
    if "--time-limit" in reason and not isinstance(task.source, bytes):
        try:
            size = os.stat(task.source or task.path).st_size
        except OSError:
            size = 0
        if size > 2**20 * 16:
            reason += (
                f"; a text of {size / 2**20:,.0f} MB needs about {size / 2**20:,.0f} s per core"
                " at a megabyte a second: raise --time-limit, or split it"
            )
    return task_failed(task, reason)


def process_tasks(tasks: Sequence[Task], options: Options) -> list[DocResult]:
    """``process_task`` over a few files: one task for a worker."""
    return [process_task(t, options) for t in tasks]


def _from_bytes(task: Task, options: Options) -> DocResult:
    """A huge text sent as bytes (Dask's ``--dask-input bytes``): from a temporary file."""
    with tempfile.TemporaryDirectory(prefix="policy-nlp-") as tmp:
        f = Path(tmp) / f"document{PurePath(task.path).suffix}"
        f.write_bytes(task.source)  # type: ignore[arg-type]
        return analyse_in_pieces(replace(task, source=str(f)), options)


def analyse_in_pieces(task: Task, options: Options) -> DocResult:
    """Every per-document stage over a huge text file, a piece at a time; never raises for
    bad input (a failure gives the document's ``error`` row, as ``process_document``)."""
    try:
        return _analyse(task, options)
    except BaseException as exc:  # a bug in a stage must not stop the batch
        return stage_failed(task, exc, doing="processing the text in pieces", bug=INTERNAL_ERROR)


class _Collected:
    """What the pieces of one document add up to."""

    def __init__(self, stream: bool) -> None:
        self.stream = stream
        self.claims: list[tuple] = []
        self.facts: list[tracking.Fact] = []
        self.counts: Counter[str] = Counter()
        self.passages: list[dict[str, int]] = []
        self.rank_tokens: list[str] | None = None
        self.n_claims = 0
        self.n_facts = 0
        self.kinds: Counter[str] = Counter()
        self.text: dict[str, spill.Packer] = {}
        self.links: dict[str, spill.Packer] = {}
        self.headline: list[tuple] = []
        self.periods: list[int] = []

    def add_rows(self, rows: list[tuple], facts: list[tracking.Fact], government) -> None:
        self.n_claims += len(rows)
        if not self.stream:
            self.claims.extend(rows)
            self.facts.extend(facts)
            return
        rows = tables.sort_rows("claims", rows)
        lines = tables.csv_lines("claims", rows)
        kinds = [row[_KIND_AT] for row in rows]
        self.kinds.update(kinds)
        for table, keep in (
            ("claims", None),
            ("targets", "target"),
            ("achievements", "achievement"),
        ):
            text = "".join(ln for k, ln in zip(kinds, lines, strict=True) if keep in (None, k))
            if text:
                self.text.setdefault(table, spill.Packer()).add(text)
        self.headline.extend(row for row in rows if row[-1])
        self.periods.extend(f.start for f in facts if f.scope == "period")
        records = spill.link_records(facts, government, first=self.n_facts)
        for bucket, text in records.items():
            self.links.setdefault(bucket, spill.Packer()).add(text)
        self.n_facts += len(facts)


def _pieces(task: Task, options: Options) -> tuple[object, Iterator[str]]:
    stream = open_text_stream(task.source or task.path, options.limits)
    return stream, stream.pieces()


def _analyse(task: Task, options: Options) -> DocResult:
    from policy_nlp.tokens import get_tokenizer

    if task.error:
        raise DocumentError(task.path, task.error, status=task.status)
    stream, pieces = _pieces(task, options)
    tk = get_tokenizer(options.tokenizer)
    got = _Collected(options.stream)
    doc: Document | None = None
    government = region = None
    start, any_text = 0, False
    for piece in pieces:
        any_text = any_text or not piece.isspace()
        if doc is None:
            head = piece[:HEAD_CHARS]
            doc = Document.from_header(task.doc_id, task.path, "", header_metadata(head))
            government = tracking.jurisdiction(doc.issuer or "", doc.title or "")
            region = tracking.document_region(doc.issuer or "", doc.title or "", head[:_ENDS])
        claims, facts = claims_and_facts(replace(doc, text=piece))
        if start:
            claims = [replace(c, start=c.start + start, end=c.end + start) for c in claims]
            facts = [replace(f, start=f.start + start, end=f.end + start) for f in facts]
        got.add_rows(claim_rows(claims, region[2]), facts, government)
        _tokens(tk, piece, got, options)
        start += len(piece)
    if doc is None or not any_text:
        raise DocumentError(task.path, "no text in the file", status="empty")
    extra = {"chars": stream.chars, "n_claims": got.n_claims, "region": region, "pieces": True}
    meta = replace(doc, encoding=stream.encoding, sha256=stream.sha256, extra=extra)
    return _result(meta, got, tk, options)


def _tokens(tk, piece: str, got: _Collected, options: Options) -> None:
    """Add a piece's token counts (and passages, and TextRank's tokens from the first piece)."""
    if options.topic_passages:
        from policy_nlp.fit.topics import passages as long_enough

        paragraphs = list(paragraph_counts(tk, piece))
        for para in paragraphs:
            got.counts.update(para)
        room = MAX_PASSAGES - len(got.passages)
        if room > 0:
            got.passages.extend(dict(p) for p in long_enough(paragraphs)[:room])
    else:
        got.counts.update(count_content_tokens(tk, piece))
    kw = options.keyword_model
    wants_order = (kw is not None and kw.method != "tfidf") or (
        kw is None and options.keyword_method == "textrank"
    )
    if wants_order and got.rank_tokens is None:
        got.rank_tokens = list(content_tokens(tk, piece))


def _result(meta: Document, got: _Collected, tk, options: Options) -> DocResult:
    from policy_nlp.keywords import textrank_scores

    counts = got.counts
    kw, rank = options.keyword_model, {}
    if kw is not None:
        keywords = kw.keywords(counts if kw.method == "tfidf" else iter(got.rank_tokens or ()))
    else:
        keywords = []
        if options.keyword_method == "textrank":
            rank = textrank_scores(iter(got.rank_tokens or ()))
    doc_topics: list[tuple] = []
    token_counts: dict[str, int] = {}
    if options.topic_model is not None:
        doc_topics = options.topic_model.doc_topic_rows({meta.doc_id: counts})
    else:
        token_counts = dict(sorted(counts.items()))
    result = DocResult(
        meta,
        got.claims,
        token_counts,
        keywords,
        facts=got.facts,
        passages=got.passages,
        rank=rank,
        doc_topics=doc_topics,
    )
    if not options.stream:
        return result
    text: dict[str, object] = {table: p.packed() for table, p in got.text.items()}
    if keywords:
        text["keywords"] = tables.csv_text("keywords", keyword_rows(result))
    if doc_topics:
        text["doc_topics"] = tables.csv_text("doc_topics", doc_topics)
    return replace(
        result,
        keywords=[],
        doc_topics=[],
        text=text,  # type: ignore[arg-type]
        link_facts={b: p.packed() for b, p in got.links.items()},  # type: ignore[misc]
        kinds=dict(got.kinds),
        headline=got.headline,
        periods=got.periods,
    )
