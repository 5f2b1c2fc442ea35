"""A run's tables written document by document, through part files, without holding them.

``policy-nlp run`` keeps its memory flat in the size of the batch: no table is ever held
whole. Each finished document's rows arrive as CSV text (the worker formats them with
``tables.csv_text``) and are appended to a part file per table, remembering where each
document's block lies. At the end a table is assembled in doc_id order, the tables' row
order: the part file itself when the documents came in that order, else its blocks copied in
order into a new file. Only the documents table (one short row per document) stays in memory.

Tracking links targets to achievements across the whole batch, but only within a
``tracking.link_bucket`` (year, scope, government): facts are spilled as lines (a document's
facts of one bucket, as JSON, behind the bucket and its number of targets) into
``LINK_PARTITIONS`` files, each bucket whole into one (the least filled when the bucket first
comes), each file is linked on its own, reading only the buckets that hold a target, and the
sorted rows of all files are merged into the tracking table. Memory for tracking is that of
the largest bucket, not of the batch.

Every file is a temporary file in the output folder, named as ``atomic.atomic_write`` names
its own (``.<table>.csv.*.tmp``). Nothing replaces a table until ``TableFiles.commit``, which
renames the finished files one after another (``documents.csv`` last, as ``Result.to_csv``
does); ``TableFiles.close`` removes whatever is left, after success or failure.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import os
import zlib
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from policy_nlp import atomic, tables, tracking
from policy_nlp.batch.engines import map_ordered
from policy_nlp.batch.lock import remove_stale_temps
from policy_nlp.errors import TableError

__all__ = ["LINK_PARTITIONS", "Packed", "Packer", "TableFiles", "link_records"]

LINK_PARTITIONS = 64  # files the tracking facts are spread over (by link bucket)
# a fact's fields in a record: doc_id, the first, once per line; the last, key, apart
_FACT_FIELDS = tuple(f.name for f in fields(tracking.Fact))[1:-1]
assert [f.name for f in fields(tracking.Fact)] == ["doc_id", *_FACT_FIELDS, "key"]
_fact_values = attrgetter(*_FACT_FIELDS)
_KIND_AT = 1 + _FACT_FIELDS.index("kind")  # in a record, after its place
_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder (dumps makes one a call)


_READ_CHUNK = 8 * 2**20  # bytes copied at a time


@dataclass(frozen=True)
class Packed:
    """Text kept compressed: a huge document's rows (CSV lines, or JSON lines of facts), which
    ``TableFiles`` takes as it takes text. ``len`` is its length in characters."""

    chunks: tuple[bytes, ...]
    chars: int

    def __len__(self) -> int:
        return self.chars

    def data(self) -> Iterator[bytes]:
        """The text's UTF-8 bytes, a chunk at a time."""
        z = zlib.decompressobj()
        for chunk in self.chunks:
            out = z.decompress(chunk)
            if out:
                yield out
        rest = z.flush()
        if rest:
            yield rest


class Packer:
    """Builds a ``Packed`` from text added piece by piece (one zlib stream)."""

    def __init__(self) -> None:
        self._z = zlib.compressobj(1)
        self._chunks: list[bytes] = []
        self._chars = 0

    def add(self, text: str) -> None:
        """Append ``text``."""
        data = self._z.compress(text.encode("utf-8"))
        if data:
            self._chunks.append(data)
        self._chars += len(text)

    def packed(self) -> Packed:
        """What was added (the packer is finished)."""
        self._chunks.append(self._z.flush())
        return Packed(tuple(self._chunks), self._chars)


def _utf8(text: str | Packed) -> Iterator[bytes]:
    if isinstance(text, Packed):
        yield from text.data()
    else:
        yield text.encode("utf-8")


def _head(table: str) -> bytes:
    return (tables.BOM + tables.csv_header(table)).encode("utf-8")


def _open_temp(folder: Path, name: str) -> tuple[BinaryIO, str]:
    fd, tmp = atomic.temp_file(folder / name)
    return os.fdopen(fd, "wb"), tmp


def _finish(f: BinaryIO) -> None:
    f.flush()
    os.fsync(f.fileno())
    f.close()


class _Part:
    """One table's part file: per-document blocks of CSV text after the table's header."""

    def __init__(self, folder: Path, table: str) -> None:
        self.file, self.path = _open_temp(folder, f"{table}.csv")
        self.file.write(_head(table))
        self.blocks: dict[str, tuple[int, int]] = {}  # doc_id -> (offset, length)
        self.order: list[str] = []  # doc_ids as they came

    def add(self, doc_id: str, text: str | Packed) -> None:
        if doc_id in self.blocks:
            raise TableError(f"rows of document {doc_id!r} given twice")
        offset = self.file.tell()
        for data in _utf8(text):
            self.file.write(data)
        self.blocks[doc_id] = (offset, self.file.tell() - offset)
        self.order.append(doc_id)


class TableFiles:
    """The tables of one run in ``folder``, as temporary files until ``commit``.

    ``add`` takes one document's rows of a table (CSV lines, sorted as the table sorts them
    within a document); ``add_frame`` a whole table built in memory (small ones: documents,
    topics); ``add_link_facts`` and ``link`` make the tracking table.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._parts: dict[str, _Part] = {}
        self._ready: dict[str, str] = {}  # table -> finished temporary file
        self._facts: dict[int, tuple[BinaryIO, str]] = {}  # partition -> facts file
        self._partition: dict[str, int] = {}  # link bucket -> partition
        self._targeted: set[str] = set()  # link buckets with a target (the others go unread)
        self._filled = [0] * LINK_PARTITIONS  # bytes per partition
        self._temps: list[str] = []  # every temporary file made, to remove on close

    # ------------------------------------------------------------------ per-document rows
    def add(self, table: str, doc_id: str, text: str | Packed) -> None:
        """One document's rows of ``table`` (``tables.csv_text``, or that text ``Packed``);
        nothing for an empty text."""
        if not text:
            return
        part = self._parts.get(table)
        if part is None:
            part = self._parts[table] = _Part(self.folder, table)
            self._temps.append(part.path)
        part.add(doc_id, text)

    def _assemble(self, table: str) -> str:
        """The table's finished file: its part file, or the blocks copied in doc_id order."""
        part = self._parts.pop(table, None)
        if part is None:  # no document had rows: the header alone
            return self._write(table, iter(()))
        order = sorted(part.order)
        if order == part.order:
            _finish(part.file)
            return part.path
        part.file.flush()
        src = part.file.fileno()

        def blocks() -> Iterator[bytes]:
            for doc_id in order:
                offset, length = part.blocks[doc_id]
                for at in range(offset, offset + length, _READ_CHUNK):
                    yield _read_at(src, at, min(_READ_CHUNK, offset + length - at))

        try:
            return self._write(table, blocks())
        finally:
            part.file.close()
            _unlink(part.path)

    def _write(self, table: str, body: Iterable[bytes]) -> str:
        f, tmp = _open_temp(self.folder, f"{table}.csv")
        self._temps.append(tmp)
        with contextlib.closing(f):
            f.write(_head(table))
            for data in body:
                f.write(data)
            _finish(f)
        return tmp

    # ------------------------------------------------------------------ whole tables
    def add_frame(self, table: str, df: pd.DataFrame) -> None:
        """A whole table (typed, sorted), written now, committed with the others."""
        rows = df.astype("object").itertuples(index=False, name=None)
        text = tables.csv_text(table, rows)
        self._ready[table] = self._write(table, [text.encode("utf-8")])

    # ------------------------------------------------------------------ tracking
    def add_link_facts(self, records: Mapping[str, str | Packed]) -> None:
        """One document's tracking facts, ``link_records`` (bucket -> its line, or its lines
        ``Packed``)."""
        for bucket, text in records.items():
            # a bucket without a target links nothing: its facts are never read (a Packed
            # text is not looked into, and counts as having one)
            if isinstance(text, Packed) or not text.startswith("\t0\t", len(bucket)):
                self._targeted.add(bucket)
            p = self._partition.get(bucket)
            if p is None:  # a new bucket: to the least filled partition (the first of equals)
                p = self._partition[bucket] = self._filled.index(min(self._filled))
            self._filled[p] += len(text)
            entry = self._facts.get(p)
            if entry is None:
                entry = self._facts[p] = _open_temp(self.folder, f"tracking.csv.facts-{p}")
                self._temps.append(entry[1])
            for data in _utf8(text):
                entry[0].write(data)

    def link(
        self,
        docs: Mapping[str, tuple[int | None, tuple]],
        *,
        jobs: int = 1,
        tokenizer: str | None = None,
    ) -> None:
        """Link the facts a partition at a time (``tracking.link_rows``; ``docs`` is
        ``tracking.documents_info`` of the documents table), on ``jobs`` local processes,
        and merge the partitions' sorted rows into the tracking table. ``tokenizer`` is the
        run's backend name, with which names are compared."""
        tasks = []
        targeted: dict[int, set[str]] = {}  # partition -> its buckets with a target
        for bucket in self._targeted:
            targeted.setdefault(self._partition[bucket], set()).add(bucket)
        for p in sorted(self._facts):
            f, facts = self._facts.pop(p)
            f.close()
            run, tmp = _open_temp(self.folder, "tracking.csv.rows")
            run.close()
            self._temps.append(tmp)
            tasks.append((facts, tmp, targeted.get(p, set())))
        jobs = max(1, min(jobs, len(tasks)))
        link = partial(_link_partition, tokenizer=tokenizer)
        # one cache of names for the run: a local worker keeps its copy across its partitions
        shared = (dict(docs), tracking.LinkCache())
        for _ in map_ordered(link, tasks, shared=shared, jobs=jobs):
            pass
        merged = heapq.merge(*(_read_run(run) for _, run, _ in tasks))
        self._ready["tracking"] = self._write(
            "tracking", (line.encode("utf-8") for *_, line in merged)
        )
        for facts, run, _ in tasks:
            _unlink(facts)
            _unlink(run)

    # ------------------------------------------------------------------ commit
    def commit(self, order: Sequence[str]) -> list[Path]:
        """Finish every table of ``order``, then replace the tables in ``folder`` with them,
        one rename each, in that order; returns the paths."""
        ready = {}
        for table in order:
            ready[table] = self._ready.pop(table, None) or self._assemble(table)
        paths = []
        for table in order:
            path = self.folder / f"{table}.csv"
            atomic.commit(ready[table], path)
            self._temps.remove(ready[table])
            paths.append(path)
        return paths

    def close(self) -> None:
        """Remove every temporary file not committed (after success or failure)."""
        for f in [p.file for p in self._parts.values()] + [f for f, _ in self._facts.values()]:
            with contextlib.suppress(OSError):  # a full disk fails the flush of a close too
                f.close()
        for path in self._temps:
            _unlink(path)
        # also a temporary file made when the disk filled up before it could be listed: the
        # run holds the folder's lock (batch.lock), so every temporary file there is its own
        with contextlib.suppress(OSError):
            remove_stale_temps(self.folder)
        self._parts, self._facts, self._ready, self._temps = {}, {}, {}, []

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def link_records(
    facts: Sequence[tracking.Fact], government: tuple[str, str, str], *, first: int = 0
) -> dict[str, str]:
    """One document's facts for ``TableFiles.add_link_facts``: its ``tracking.link_bucket``
    (as JSON) -> a line, that bucket, its number of targets and the JSON list ``[doc_id,
    records]`` (the document id once, not per fact), apart by tabs (JSON has none).
    ``government`` is the document's ``tracking.jurisdiction``. Facts ``link`` never reads
    (achievements without a year, other kinds) are left out; each keeps its place in the
    document, which orders the tracking rows of targets with the same offsets (``first``: the
    place of ``facts[0]``, for a document given a piece at a time)."""
    out: dict[object, list[list]] = {}
    doc_id = facts[0].doc_id if facts else ""
    buckets = tracking.link_buckets(facts, government)
    for seq, (f, bucket) in enumerate(zip(facts, buckets, strict=True), start=first):
        if f.kind != "target" and (f.kind != "achievement" or f.year is None):
            continue
        if f.doc_id != doc_id:
            raise TableError(f"link_records given facts of {doc_id!r} and {f.doc_id!r}")
        record = [seq, *_fact_values(f), sorted(f.key.concepts), f.key.rest]
        # a target linked with nothing goes with its document's other such targets
        out.setdefault(bucket if bucket is not None else doc_id, []).append(record)
    lines = {}
    for bucket, records in out.items():
        key = _json(bucket)
        targets = sum(r[_KIND_AT] == "target" for r in records)
        lines[key] = f"{key}\t{targets}\t{_json([doc_id, records])}\n"
    return lines


def _link_partition(
    task: tuple[str, str, Container[str]],
    shared: tuple[Mapping, tracking.LinkCache],
    *,
    tokenizer: str | None = None,
) -> None:
    """Link one partition's facts (file ``task[0]``, the buckets of ``task[2]``: those with a
    target) and write its rows, sorted as the tracking table sorts them, to ``task[1]`` (one
    JSON list per row: doc_id, start, end, place, CSV). ``shared`` is
    ``tracking.documents_info`` of the documents and the run's ``LinkCache``."""
    facts_path, run_path, buckets = task
    docs, cache = shared
    facts = _read_facts(facts_path, buckets)
    seq_of = {id(f): seq for seq, f in facts}
    targets = [(seq_of[id(f)], f) for f in tracking.trackable(f for _, f in facts)]
    rows = tracking.link_rows([f for _, f in facts], docs, tokenizer=tokenizer, cache=cache)
    lines = tables.csv_lines(
        "tracking", ([row.get(name) for name in tracking.TRACKING_FIELDS] for row in rows)
    )
    # the table's order: doc_id, start, end, then the targets' order in the document
    entries = sorted(
        (t.doc_id, t.start, t.end, seq, line) for (seq, t), line in zip(targets, lines, strict=True)
    )
    with open(run_path, "w", encoding="utf-8") as out:
        for entry in entries:
            out.write(_json(entry) + "\n")


def _read_facts(path: str, buckets: Container[str]) -> list[tuple[int, tracking.Fact]]:
    """The facts of ``buckets`` in a partition file of ``link_records``'s lines, with their
    places; equal keys are shared (a partition's facts repeat names)."""
    keys: dict[tuple, tracking.IndicatorKey] = {}
    facts = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            at = line.index("\t")
            if line[:at] not in buckets:
                continue
            doc_id, records = json.loads(line[line.index("\t", at + 1) + 1 :])
            for seq, *values, concepts, rest in records:
                if len(values) != len(_FACT_FIELDS):
                    raise TableError(f"a tracking fact record with {len(values)} fields")
                name = (rest, *concepts)
                key = keys.get(name)
                if key is None:
                    key = keys[name] = tracking.IndicatorKey(frozenset(concepts), rest)
                facts.append((seq, tracking.Fact(doc_id, *values, key)))
    return facts


def _read_run(path: str) -> Iterator[tuple]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield tuple(json.loads(line))


def _read_at(fd: int, offset: int, length: int) -> bytes:
    chunks = []
    while length > 0:
        data = os.pread(fd, length, offset)
        if not data:
            raise OSError("a part file is shorter than written")
        chunks.append(data)
        offset += len(data)
        length -= len(data)
    return b"".join(chunks)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
