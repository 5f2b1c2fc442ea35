"""Add a new batch to the tables an earlier run wrote (``policy-nlp run NEW --out DIR --append``).

The tables in DIR are read back, new documents are those whose text (its SHA-256, the
``sha256`` column) is not there yet, and the tables are written again, each atomically, with
``documents.csv`` last: it is the record of what the other tables hold. A run killed while
writing leaves rows of documents that ``documents.csv`` does not list; they are dropped when
the tables are read again, and the next ``--append`` adds those documents once more.

Rules, so that appending B to the tables of A gives what a run over A and B gives:
- a document whose text is already in DIR is skipped (whatever its path or format);
- a file that failed before (status ``error``/``empty``, same path) is read again and its row
  replaced, keeping its doc_id: fix the file and re-run;
- new doc_ids are unique against the ones in DIR (``report``, ``report-2``, …);
- topics stay as they are: new documents get topic weights from the saved topic model, which
  must be the one that made DIR's topics (so ``--refit-topics`` cannot be combined);
- the tracking table is linked again over all documents.

In a run (``policy_nlp.batch.runner.run`` with ``append``): ``prepare`` reads and checks DIR,
``NewDocuments.admit`` decides per worker result what the batch adds (and gives its doc_id),
and ``appended`` merges, links and writes the tables; ``existing_facts`` gives the tracking
facts of the documents already there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from policy_nlp import artifacts, tables, tracking
from policy_nlp.batch.config import AppendError
from policy_nlp.batch.engines import map_ordered
from policy_nlp.batch.result import (
    Result,
    claim_rows_frame,
    doc_topics_frame,
    documents_frame,
    keywords_frame,
)
from policy_nlp.batch.sources import read_sources
from policy_nlp.batch.worker import DocResult
from policy_nlp.pieces import pieces
from policy_nlp.read import read_document

__all__ = [
    "AppendError",
    "Existing",
    "NewDocuments",
    "appended",
    "candidate_paths",
    "check_topics",
    "existing_facts",
    "merge",
    "prepare",
    "read_existing",
]

# Tables read back from DIR (targets and achievements are views of claims; tracking is redone).
_STORED = ("documents", "claims", "keywords", "topics", "doc_topics")


@dataclass
class Existing:
    """The tables already in DIR, rows of documents not in ``documents.csv`` dropped."""

    documents: pd.DataFrame
    claims: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    orphans: int = 0  # rows dropped because their document is not in documents.csv

    @property
    def doc_ids(self) -> set[str]:
        """doc_ids in use."""
        return set(self.documents["doc_id"])

    def known_texts(self) -> dict[str, str]:
        """sha256 of the text -> doc_id, for documents read successfully."""
        ok = self.documents[self.documents["status"] == "ok"]
        return dict(zip(ok["sha256"], ok["doc_id"], strict=True))

    def failed_paths(self) -> dict[str, str]:
        """Path (as written and absolute) -> doc_id, for documents that failed."""
        bad = self.documents[self.documents["status"] != "ok"]
        out: dict[str, str] = {}
        for path, doc_id in zip(bad["path"], bad["doc_id"], strict=True):
            out[str(path)] = doc_id
            out[os.path.abspath(str(path))] = doc_id
        return out


def read_existing(out_dir: str | Path) -> Existing:
    """The tables in ``out_dir`` (empty ones where a file is missing), checked and cleaned."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise AppendError(f"--out {out} is a file, not a folder of tables")
    frames: dict[str, pd.DataFrame] = {}
    for name in _STORED:
        path = out / f"{name}.csv"
        if not path.is_file():
            frames[name] = tables.empty_frame(name)
            continue
        try:
            header = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns.tolist()
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise AppendError(f"{path} is not a table policy-nlp wrote ({exc})") from None
        if header != list(tables.COLUMNS[name]):
            raise AppendError(
                f"{path} is not a {name} table of this version of policy-nlp (its columns "
                f"differ); append to a folder written by `policy-nlp run`, or use a new --out"
            )
        frames[name] = tables.read_csv_table(path, name)
    docs = frames["documents"]
    known = set(docs["doc_id"])
    orphans = 0
    for name in ("claims", "keywords", "doc_topics"):
        df = frames[name]
        keep = df["doc_id"].isin(known)
        orphans += int((~keep).sum())
        frames[name] = df[keep].reset_index(drop=True)
    return Existing(orphans=orphans, **frames)


def check_topics(existing: Existing, model_topics: pd.DataFrame) -> None:
    """Refuse to mix topic spaces: DIR's topics must be the saved model's."""
    if existing.topics.empty:
        return
    if not _same_table(existing.topics, model_topics, "topics"):
        raise AppendError(
            "the topics in the output folder were not made by the saved topic model (were "
            "they refit with --refit-topics, or made with other --models?); --append adds "
            "documents only with the topic model that made the tables"
        )


def _same_table(a: pd.DataFrame, b: pd.DataFrame, name: str) -> bool:
    """Equal once typed (CSV keeps every float exactly, so a table read back compares equal)."""
    ta = tables.typed(a, name).reset_index(drop=True)
    tb = tables.typed(b, name).reset_index(drop=True)
    return ta.equals(tb)


def merge(existing: pd.DataFrame, new: pd.DataFrame, name: str, drop_ids: set[str]) -> pd.DataFrame:
    """``existing`` without the rows of ``drop_ids`` (replaced documents), plus ``new``."""
    old = existing[~existing["doc_id"].isin(drop_ids)] if drop_ids else existing
    parts = [df for df in (old, new) if len(df)]
    if not parts:
        return tables.empty_frame(name)
    plain = [df.astype("object").where(df.notna(), None) for df in parts]  # pd.NA -> None
    return tables.typed(pd.concat(plain, ignore_index=True), name)


# ----------------------------------------------------------------------------- a run with --append


def prepare(out: str | Path | None, models: str | Path | None) -> Existing:
    """The tables in ``out`` a run will add to, once checked that it can (``AppendError``):
    the saved models are there and made the tables' topics. (``RunConfig`` has refused
    ``--refit-topics`` already.)"""
    if out is None:
        raise AppendError("--append needs --out DIR: the folder of tables to add to")
    existing = read_existing(out)
    topic_model = artifacts.load_topics(models)
    if topic_model is None or artifacts.load_keywords(models) is None:
        raise AppendError(
            "--append needs the saved keyword and topic models the tables were made with "
            "(--models DIR, by default the shipped models/), so new rows compare with the old"
        )
    check_topics(existing, topic_model.topics_frame())
    return existing


class NewDocuments:
    """Decides, result by result, what an appended batch adds, and gives doc_ids."""

    def __init__(self, existing: Existing) -> None:
        self.known = existing.known_texts()
        self.failed = existing.failed_paths()
        self.used = existing.doc_ids
        self.replaced: set[str] = set()
        self.skipped: list[str] = []

    def admit(self, r: DocResult) -> bool:
        """Whether the batch adds ``r`` (relabelled with its doc_id in the tables) or skips it."""
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


def appended(
    existing: Existing,
    news: NewDocuments,
    results: list[DocResult],
    claims: list[tuple],
    facts: list[tracking.Fact],
    out: str | Path,
    models: str | Path | None,
    jobs: int | None,
    *,
    tokenizer: str = "rjieba",
    outcomes: pd.DataFrame | None = None,
    tracked: bool = True,
) -> Result:
    """The tables in ``out`` with this batch added, written unless nothing changed (the
    workers placed the new documents on the saved topics: ``--append`` needs both models).
    Without ``tracked`` nothing is linked (no tracking or panel files: ``RunConfig.tracking``)."""
    topic_model = artifacts.load_topics(models)
    batch = documents_frame(results)
    drop = news.replaced
    documents = merge(existing.documents, batch, "documents", drop)
    claims_df = merge(existing.claims, claim_rows_frame(claims), "claims", drop)
    notes: list[str] = []
    old_facts = existing_facts(existing, documents, drop, jobs, out, notes) if tracked else []
    result = Result(
        claims=claims_df,
        documents=documents,
        keywords=merge(existing.keywords, keywords_frame(results), "keywords", drop),
        topics=topic_model.topics_frame(),
        doc_topics=merge(existing.doc_topics, doc_topics_frame(results), "doc_topics", drop),
        batch=batch,
        skipped=news.skipped,
        notes=notes,
        tracked=tracked,
    )
    if tracked:
        result.tracking = tracking.link(old_facts + facts, documents, tokenizer=tokenizer)
        result.panel = tracking.build_panel(
            claims_df, documents, facts=old_facts + facts, outcomes=outcomes
        )
    # a run without tracking on tables that had it: changed (their tracking files go)
    changed = bool(results) or existing.orphans > 0 or existing.topics.empty
    changed = changed or (not tracked and (Path(out) / "tracking.csv").is_file())
    if changed or not (Path(out) / "documents.csv").is_file():
        result.to_csv(out)
    return result


def candidate_paths(path: str, out: str | Path, recorded: str = "") -> list[str]:
    """Where a document's file may be, wherever ``--append`` runs from: the absolute path
    recorded when it was read (``sources``), its path as stored when absolute, else relative
    to the working folder, to the tables' folder and to the folder holding it (a run from a
    project's root writes ``corpus/x.txt`` beside ``out/``)."""
    if os.path.isabs(path):
        return [path]
    tables = Path(out).resolve()
    seen: list[str] = [recorded] if recorded else []
    for base in (Path.cwd(), tables, tables.parent):
        candidate = str(base / path)
        if candidate not in seen:
            seen.append(candidate)
    return seen


def _reread(task: tuple[str, str, str, str]) -> str | None:
    """The text of a document already in the tables, if a file where it may be (see
    ``candidate_paths``) still holds that text (the same sha256)."""
    path, sha, out, recorded = task
    for candidate in candidate_paths(path, out, recorded):
        try:
            doc = read_document(candidate)
        except Exception:  # moved, changed or unreadable now: tracking reads its sentences
            continue
        if doc.sha256 == sha:
            return doc.text
    return None


def existing_facts(
    existing: Existing,
    documents: pd.DataFrame,
    drop: set[str],
    jobs: int | None,
    out: str | Path = ".",
    notes: list[str] | None = None,
) -> list[tracking.Fact]:
    """Tracking facts of the documents already in the tables, from their claims rows and,
    where the file is still there unchanged, their text (as a fresh run reads them). A file
    that cannot be re-read gets a line in ``notes`` (its tracking reads its sentences only)."""
    claims = existing.claims[~existing.claims["doc_id"].isin(drop)]
    if claims.empty:
        return []
    docs = documents[documents["doc_id"].isin(set(claims["doc_id"]))]
    recorded = read_sources(out)
    tasks = [
        (str(p), str(h), str(out), recorded.get(str(d), ""))
        for d, p, h in zip(docs["doc_id"], docs["path"], docs["sha256"], strict=True)
    ]
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
            if notes is not None:
                path = docs.loc[docs["doc_id"] == doc_id, "path"].iloc[0]
                notes.append(
                    f"{path}: could not be re-read (moved, changed or renamed since it was "
                    f"added); the tracking of {doc_id} reads its claims' sentences only"
                )
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
