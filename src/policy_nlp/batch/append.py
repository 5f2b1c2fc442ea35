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
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from policy_nlp import tables
from policy_nlp.errors import PolicyNLPError

__all__ = ["AppendError", "Existing", "check_topics", "merge", "read_existing"]

# Tables read back from DIR (targets and achievements are views of claims; tracking is redone).
_STORED = ("documents", "claims", "keywords", "topics", "doc_topics")


class AppendError(PolicyNLPError, ValueError):
    """The tables cannot be appended to as asked (a usage error: the message says why)."""


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
