"""A run's tables in memory (``Result``), built from the workers' results, and read back from a
folder of CSV files (``load``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from policy_nlp import tables, tracking
from policy_nlp.batch.sources import write_sources
from policy_nlp.batch.worker import DocResult, keyword_rows
from policy_nlp.errors import TableError, UnknownTableError
from policy_nlp.xlsx import write_xlsx

__all__ = [
    "TRACKING_TABLES",
    "WRITE_ORDER",
    "Result",
    "claim_rows_frame",
    "doc_topics_frame",
    "documents_frame",
    "keywords_frame",
    "load",
    "write_order",
]

# the order tables are replaced in: documents.csv last, the record of what the others hold
# (what --append trusts after a run killed midway)
WRITE_ORDER = (*(n for n in tables.TABLES if n != "documents"), "documents")
# the tables a run without tracking (``RunConfig.tracking``) does not write
TRACKING_TABLES = ("tracking", "panel")


def write_order(tracked: bool = True) -> tuple[str, ...]:
    """The tables a run writes, in ``WRITE_ORDER``: without ``tracked``, all but
    ``TRACKING_TABLES``."""
    return WRITE_ORDER if tracked else tuple(n for n in WRITE_ORDER if n not in TRACKING_TABLES)


def remove_tracking_tables(out: str | Path) -> None:
    """Remove an earlier run's tracking and panel files (CSV) from ``out``: a run without
    tracking must not leave tables linked over other documents beside its own."""
    for name in TRACKING_TABLES:
        (Path(out) / f"{name}.csv").unlink(missing_ok=True)


@dataclass(repr=False)
class Result:
    """The tables of one run, as typed pandas DataFrames (``repr`` is one line; in Jupyter,
    a summary of the tables). ``policy_nlp.load(folder)`` reads a run's CSV files back into
    one, with the same dtypes."""

    claims: pd.DataFrame
    documents: pd.DataFrame
    keywords: pd.DataFrame
    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    tracking: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("tracking"))
    panel: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("panel"))
    # this run's inputs: their documents rows (all of ``documents`` unless appending) and the
    # paths ``--append`` skipped because their text was already in the tables
    batch: pd.DataFrame = field(default_factory=lambda: tables.empty_frame("documents"))
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # bad rows of --outcomes, by line
    # False: a run without tracking (``tracking`` and ``panel`` are empty and not written)
    tracked: bool = True
    # the claims table's CSV lines written from the exact Decimal values, with the frame they
    # belong to (``to_csv`` uses them while ``claims`` is still that frame)
    claims_text: tuple[pd.DataFrame, list[str]] | None = field(
        default=None, repr=False, compare=False
    )

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
        whose rows every other table already holds (``--append`` relies on it). Without
        tracking (``tracked`` False) ``tracking.csv`` and ``panel.csv`` are not written, and
        removed first when an earlier run left them.
        """
        out = Path(out_dir)
        if not self.tracked:
            remove_tracking_tables(out)
        exact = self._exact_claim_lines()
        claims = tables.as_text(self.claims) if exact is None else None
        paths = []
        for name in write_order(self.tracked):
            if name in ("claims", "targets", "achievements"):
                kind = {"targets": "target", "achievements": "achievement"}.get(name)
                if exact is not None:  # values from the Decimal, never through a float
                    kinds = self.claims["kind"].astype(str).tolist()
                    lines = [ln for ln, k in zip(exact, kinds, strict=True) if kind in (None, k)]
                    paths.append(tables.write_lines("claims", lines, out / f"{name}.csv"))
                    continue
                rows = claims if kind is None else claims[claims["kind"] == kind]
                paths.append(tables.write_text_table(rows, out / f"{name}.csv"))
            else:
                paths.append(tables.write_csv(self.table(name), out / f"{name}.csv"))
        docs = self.documents
        write_sources(out, zip(docs["doc_id"].tolist(), docs["path"].tolist(), strict=True))
        return paths

    def _exact_claim_lines(self) -> list[str] | None:
        """The exact CSV lines of ``claims`` when they still describe it, else None."""
        if self.claims_text is None:
            return None
        frame, lines = self.claims_text
        return lines if frame is self.claims and len(lines) == len(frame) else None

    def _counts(self) -> list[tuple[str, int, int]]:
        """(table, rows, columns) of each table."""
        return [(n, len(self.table(n)), self.table(n).shape[1]) for n in tables.TABLES]

    def __repr__(self) -> str:
        """One line: documents (how many read), claims by kind, rows of the other tables."""
        docs = self.documents
        ok = int((docs["status"] == "ok").sum())
        kinds = self.claims["kind"].value_counts()
        return (
            f"<Result: {len(docs)} documents ({ok} read), {len(self.claims):,} claims "
            f"({int(kinds.get('target', 0)):,} targets, {int(kinds.get('achievement', 0)):,} "
            f"achievements), {len(self.keywords):,} keywords, {self.topics['topic_id'].nunique()} "
            + (
                f"topics, {len(self.tracking):,} tracking rows, {len(self.panel):,} panel rows>"
                if self.tracked
                else "topics, no tracking>"
            )
        )

    def _repr_html_(self) -> str:
        """Jupyter's view: the tables with their sizes and columns, and the first documents."""
        from html import escape

        rows = "".join(
            f"<tr><td><code>.{n}</code></td><td>{r:,}</td><td>{escape(', '.join(self.table(n).columns))}</td></tr>"
            for n, r, _ in self._counts()
        )
        head = self.documents[["doc_id", "status", "title", "issuer", "year", "n_claims"]].head(5)
        return (
            f"<div><p><b>{escape(repr(self))}</b></p><table><thead><tr><th>table</th><th>rows"
            f"</th><th>columns</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p>first documents:</p>{head.to_html(index=False, na_rep='')}</div>"
        )

    def to_excel(self, path: str | Path) -> Path:
        """Write every table into one workbook at ``path``, a sheet each (atomically)."""
        return write_xlsx({name: self.table(name) for name in tables.TABLES}, path)


def load(folder: str | Path) -> Result:
    """The tables a run wrote into ``folder`` (CSV), read back with their dtypes.

    ``targets`` and ``achievements`` are views of ``claims``; a table missing from the folder
    comes back empty (a run without tracking writes no ``tracking.csv``: ``tracked`` is then
    False). A folder without ``documents.csv`` is not a run's output.
    """
    folder = Path(folder)
    if not (folder / "documents.csv").is_file():
        raise TableError(f"{folder}: no documents.csv here; not a folder of policy-nlp tables")
    frames = {}
    for name in ("claims", "documents", "keywords", "topics", "doc_topics", "tracking", "panel"):
        path = folder / f"{name}.csv"
        frames[name] = (
            tables.read_csv_table(path, name) if path.is_file() else tables.empty_frame(name)
        )
    tracked = (folder / "tracking.csv").is_file()
    return Result(**frames, batch=frames["documents"], tracked=tracked)


def documents_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    """The documents table of the workers' results (a row per document, failed ones too)."""
    rows = []
    first: dict[str, str] = {}  # text (sha256) -> doc_id of its first document in the batch
    for r in results:
        d = r.document
        duplicate_of = ""
        if d.status == "ok" and d.sha256:
            duplicate_of = first.setdefault(d.sha256, d.doc_id)
            duplicate_of = "" if duplicate_of == d.doc_id else duplicate_of
        region, code, level = d.extra.get("region") or tracking.document_region(
            d.issuer or "", d.title or ""
        )
        rows.append({
            "doc_id": d.doc_id, "path": d.path, "status": d.status, "error": d.error,
            "title": d.title, "issuer": d.issuer, "date": d.date, "year": d.year,
            "doc_type": d.doc_type, "encoding": d.encoding, "chars": d.extra.get("chars", 0),
            "n_claims": d.extra.get("n_claims", 0), "sha256": d.sha256,
            "region": region, "region_code": code, "level": level,
            "year_source": d.year_source, "doc_type_source": d.doc_type_source,
            "duplicate_of": duplicate_of,
        })  # fmt: skip
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["documents"])), "documents")


def keywords_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    """The keywords table of the workers' results."""
    rows = [row for r in results for row in keyword_rows(r)]
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["keywords"])), "keywords")


def claim_rows_frame(rows: list[tuple]) -> pd.DataFrame:
    """The claims table of claim rows (``worker.claim_rows``, in the table's column order)."""
    if not rows:
        return tables.empty_frame("claims")
    return tables.typed(pd.DataFrame(rows, columns=list(tables.COLUMNS["claims"])), "claims")


def doc_topics_frame(results: Sequence[DocResult]) -> pd.DataFrame:
    """The doc_topics table of the rows the workers placed on the saved topic model."""
    rows = [row for r in results for row in r.doc_topics]
    columns = list(tables.COLUMNS["doc_topics"])
    return tables.typed(pd.DataFrame(rows, columns=columns), "doc_topics")
