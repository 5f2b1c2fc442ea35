"""The ``policy-nlp`` command line: run a batch, report on it, inspect one document, score,
fit the models (topics and keyword IDF, the review/plan classifier).

Exit status: 0 success; 1 when any input document failed (its row in documents.csv says
why; the other documents' tables are written); 2 for usage errors (bad options, a path
that does not exist, a Dask scheduler that cannot be reached); 3 when the environment
fails the run (a full disk, a read-only or unwritable output folder, a damaged models
folder, Dask workers lost); 4 for an unexpected failure (a bug: one line, and the traceback
with POLICY_NLP_TRACEBACK=1). Every error is one line on stderr. Heavy modules are imported
inside the commands so ``--help`` is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING

from policy_nlp.cli_inspect import cmd_extract, cmd_tokenize
from policy_nlp.errors import PolicyNLPError
from policy_nlp.fit.tense import add_arguments as add_tense_arguments

if TYPE_CHECKING:  # pragma: no cover
    from policy_nlp.batch import RunConfig

__all__ = ["main"]

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_UNEXPECTED = 0, 1, 2, 3, 4
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command its pipe's reader left (128 + SIGPIPE)


class UsageError(PolicyNLPError):
    """A problem with the command line itself (exit status 2)."""


def _existing(paths: list[str]) -> list[str]:
    # a broken link exists (as a link): it becomes a failed document that says so
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return paths


def _run_config(args: argparse.Namespace) -> RunConfig:
    """The ``RunConfig`` of ``policy-nlp run``'s arguments (checked there: ``UsageError``)."""
    from policy_nlp.batch import AppendError, RunConfig
    from policy_nlp.errors import OptionError

    try:
        return RunConfig(
            jobs=args.jobs,
            engine=args.engine,
            scheduler=args.scheduler,
            dask_input=args.dask_input,
            tokenizer=args.tokenizer,
            models=args.models,
            refit_topics=args.refit_topics,
            top_keywords=args.top_keywords,
            keyword_method=args.keyword_method,
            progress=not args.quiet,
            append=args.append,
            overwrite=args.overwrite,
            outcomes=args.outcomes,
            time_limit=args.time_limit,
            memory_limit_mb=args.memory_limit,
            max_file_mb=args.max_file_mb,
            max_text_mb=args.max_text_mb,
            piece_mb=args.piece_mb,
            docx_max_mb=args.docx_max_mb,
            docx_max_elements=args.docx_max_elements,
            follow_links=args.follow_links,
            tracking=not args.no_tracking,
        )
    except (OptionError, AppendError) as exc:
        raise UsageError(str(exc)) from None


def _check_out(out: str) -> None:
    """``--out`` must be a folder, or a path whose first existing parent is a folder."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"--out {out} is a file; give a folder for the tables")
    parent = os.path.dirname(os.path.abspath(out))
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if parent and not os.path.isdir(parent):
        raise UsageError(f"--out {out} is below {parent}, which is a file; give a folder")


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    from policy_nlp.errors import OptionError
    from policy_nlp.writers import parse_formats

    try:
        formats = parse_formats(",".join(args.format or ["csv"]))
    except OptionError as exc:
        raise UsageError(str(exc)) from None
    return (*formats, "xlsx") if args.xlsx and "xlsx" not in formats else formats


# Python's cyclic garbage collector, as the run sets it: a batch allocates millions of
# short-lived objects that reference counting frees, and keeps large caches alive; with the
# default first threshold (700) collections took 4% of a run's CPU time, with this 0.5%
# (series of 5 MB, one process, measured with gc.callbacks)
GC_THRESHOLDS = (10_000, 20, 100)


@contextlib.contextmanager
def _fewer_collections():
    """Rarer collections while ``run`` writes the tables, and everything loaded so far frozen
    out of them (forked workers inherit both); the settings are restored after (``main`` may
    run in a caller's process)."""
    import gc

    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _cmd_run(args: argparse.Namespace) -> int:
    from policy_nlp.batch import AppendError, EngineError, write_tables
    from policy_nlp.errors import OptionError
    from policy_nlp.writers import write_formats

    _existing(args.paths)
    formats = _formats(args)
    if args.append and args.overwrite:
        raise UsageError(
            "--append adds to the tables in the folder, --overwrite replaces them: give one"
        )
    config = _run_config(args)
    _check_out(args.out)
    try:
        # the tables go to disk as documents finish: memory does not grow with the batch
        with _fewer_collections():
            summary = write_tables(args.paths, args.out, config=config)
    except (AppendError, EngineError, OptionError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        if exc.errno is not None and not exc.filename:  # a write that failed: say where
            exc.filename = args.out
        raise
    write_formats(args.out, formats)  # beside the CSV files, made from them
    for note in summary.notes:  # bad rows of --outcomes: reported, never fatal
        print(f"policy-nlp: {note}", file=sys.stderr)
    batch = summary.batch  # this run's inputs (on --append, not the rows already there)
    failed = batch[~batch["status"].isin(["ok", "skipped"])]
    for _, row in batch[batch["status"] != "ok"].iterrows():  # skipped files, then failures
        print(f"policy-nlp: {row['path']}: {row['status']}: {row['error']}", file=sys.stderr)
    for _, row in batch[batch["duplicate_of"] != ""].iterrows():
        print(
            f"policy-nlp: {row['path']}: duplicate: the same text as {row['duplicate_of']} "
            "(documents.csv: duplicate_of)",
            file=sys.stderr,
        )
    skipped_files = int((batch["status"] == "skipped").sum())
    if not args.quiet:
        read = f"{len(batch) - len(failed) - skipped_files} documents read, {len(failed)} failed"
        if skipped_files:
            read += f", {skipped_files} other files skipped"
        if args.append:
            read = (
                f"{len(batch) - len(failed)} documents added, {len(summary.skipped)} already "
                f"in the tables, {len(failed)} failed; the tables hold {len(summary.documents)} "
                "documents"
            )
        print(
            f"{read}; {summary.claims} claims ({summary.targets} targets, "
            f"{summary.achievements} achievements); tables in {args.out}",
            file=sys.stderr,
        )
    return EXIT_INPUT_FAILED if len(failed) else EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    _existing([args.file] if args.file != "-" else [])
    return cmd_extract(args)


def _cmd_tokenize(args: argparse.Namespace) -> int:
    _existing([args.file] if args.file != "-" else [])
    return cmd_tokenize(args)


def _cmd_evaluate(args: argparse.Namespace) -> int:

    from policy_nlp.evaluate.claims import GoldError, score_files

    _existing([args.gold_dir, args.claims_csv])
    try:
        scores = score_files(
            args.gold_dir, args.claims_csv, docs=set(args.docs.split(",")) if args.docs else None
        )
    except (GoldError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(
        json.dumps(scores.to_dict(), ensure_ascii=False, indent=2) if args.json else scores.report()
    )
    for err in scores.errors[: args.show_errors]:
        print(*err, sep="\t", file=sys.stderr)
    return EXIT_OK


def _cmd_evaluate_tracking(args: argparse.Namespace) -> int:

    from policy_nlp.evaluate.claims import GoldError
    from policy_nlp.evaluate.tracking import score_tracking

    _existing([args.links_jsonl, args.docs_dir, args.tracking_csv])
    try:
        scores = score_tracking(args.links_jsonl, args.docs_dir, args.tracking_csv)
    except (GoldError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(
        json.dumps(scores.to_dict(), ensure_ascii=False, indent=2) if args.json else scores.report()
    )
    for err in scores.errors[: args.show_errors]:
        print(json.dumps(err, ensure_ascii=False), file=sys.stderr)
    return EXIT_OK


def _cmd_evaluate_panel(args: argparse.Namespace) -> int:

    from policy_nlp.errors import TableError
    from policy_nlp.evaluate.panel import score_panel

    _existing([args.reference_csv, args.panel_csv])
    try:
        scores = score_panel(args.reference_csv, args.panel_csv)
    except TableError as exc:
        raise UsageError(str(exc)) from None
    errors = scores.pop("errors")
    if args.json:
        print(json.dumps(scores, ensure_ascii=False, indent=2))
    else:
        print(
            f"cells right {scores['cells_right']}/{scores['cells']} "
            f"({scores['share_right']:.1%}); target {scores['target_right']}, achieved "
            f"{scores['achieved_right']}, status {scores['status_right']}; false links "
            f"{scores['false_links']}, missed {scores['missed']}, rows outside the reference "
            f"{scores['extra_rows']}"
        )
    for err in errors[: args.show_errors]:
        print(json.dumps(err, ensure_ascii=False), file=sys.stderr)
    return EXIT_OK


def _cmd_fit_topics(args: argparse.Namespace) -> int:
    from policy_nlp.fit.topics import fit_models

    _existing(args.paths)
    try:
        report = fit_models(
            args.paths, models=args.models, n_topics=args.n_topics, tokenizer=args.tokenizer
        )
    except ValueError as exc:  # too few readable documents, or a bad parameter
        raise UsageError(str(exc)) from None
    print(report)
    return EXIT_OK


def _cmd_fit_tense(args: argparse.Namespace) -> int:
    from policy_nlp.fit.tense import fit_tense
    from policy_nlp.read import DocumentError

    _existing([args.corpus, *args.annotated, *args.exclude])
    try:
        summary = fit_tense([args.corpus], args.annotated, exclude=args.exclude, out=args.out)
    except DocumentError as exc:
        print(f"policy-nlp: {exc}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    print(summary)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from policy_nlp.report.page import ReportError, write_report

    _existing([args.dir])
    try:
        path = write_report(args.dir, args.out)
    except ReportError as exc:
        print(f"policy-nlp: {exc}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    if not args.quiet:
        print(f"report in {path}", file=sys.stderr)
    return EXIT_OK


def _add_fit_topics(tf: argparse.ArgumentParser) -> None:
    """The arguments of ``fit topics`` (and of its alias ``topics fit``)."""
    tf.add_argument("paths", nargs="+", metavar="CORPUS")
    tf.add_argument("--models", required=True, metavar="DIR")
    tf.add_argument("--n-topics", type=int, default=10, help="number of topics (default 10)")
    tf.add_argument("--tokenizer", choices=("rjieba", "jieba"), default="rjieba")
    tf.set_defaults(func=_cmd_fit_topics)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    p = argparse.ArgumentParser(
        prog="policy-nlp",
        description="Turn Chinese policy documents into tables of numeric claims, keywords and topics.",
        epilog="Exit status: 0 ok, 1 some input failed (see documents.csv), 2 usage error, "
        "3 the environment failed (disk full, read-only output, bad models, Dask), 4 a bug.",
    )
    from policy_nlp.version import __version__

    p.add_argument("--version", action="version", version=f"policy-nlp {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("run", help="process files or folders into CSV tables")
    r.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)"
    )
    r.add_argument(
        "-o", "--out", "--output", dest="out", required=True, metavar="DIR",
        help="folder for the tables (--output: the same)",
    )  # fmt: skip
    r.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="worker processes (default: all cores)",
    )  # fmt: skip
    r.add_argument(
        "-f", "--format", action="append", metavar="LIST",
        help="output formats, a comma list of csv,xlsx,parquet,jsonl,dta (default csv; the CSV "
        "files are always written: --append, report and load read them)",
    )  # fmt: skip
    r.add_argument(
        "--overwrite", action="store_true",
        help="replace the tables of an earlier run in DIR (and its workbook, report and other "
        "formats); without it or --append, a folder holding tables is refused",
    )  # fmt: skip
    r.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="where per-document work runs"
    )
    r.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="Dask scheduler address, tcp://HOST:PORT (with --engine dask)",
    )
    r.add_argument(
        "--dask-input",
        choices=("bytes", "paths"),
        help="how Dask workers get the files: 'bytes' sent from here (default; workers need "
        "not see your files) or 'paths' (absolute paths on a filesystem all workers share)",
    )
    r.add_argument(
        "--tokenizer", choices=("rjieba", "jieba"), default="rjieba", help="tokeniser backend"
    )
    r.add_argument(
        "--models", metavar="DIR", help="trained artifacts (default: the shipped models/)"
    )
    r.add_argument(
        "--refit-topics", action="store_true", help="fit the topic model on this batch instead"
    )
    r.add_argument(
        "--append",
        action="store_true",
        help="add the documents to the tables already in DIR (those whose text is there are "
        "skipped, so re-running is safe)",
    )
    r.add_argument(
        "--top-keywords",
        type=int,
        default=10,
        metavar="N",
        help="keywords per document (default 10)",
    )
    r.add_argument("--keyword-method", choices=("tfidf", "textrank"), default="tfidf")
    r.add_argument(
        "--outcomes",
        metavar="FILE",
        help="CSV of official outcomes (region_code or region, year, indicator, value[, unit]) "
        "that settle the panel's targets; bad rows are reported by line and skipped",
    )
    r.add_argument(
        "--no-tracking",
        action="store_true",
        help="skip tracking and the panel (claims, keywords and topics only): no tracking.csv "
        "or panel.csv is written, and an earlier run's are removed",
    )
    r.add_argument(
        "--xlsx", action="store_true", help="also write DIR/tables.xlsx (the same as --format xlsx)"
    )
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    lim = r.add_argument_group("limits per document (0 switches one off)")
    lim.add_argument(
        "--time-limit",
        type=float,
        default=90.0,
        metavar="SECONDS",
        help="a document taking longer gets status error (default 90)",
    )
    lim.add_argument(
        "--memory-limit",
        type=int,
        default=1024,
        metavar="MB",
        help="a worker growing past this on one document stops it (default 1024)",
    )
    lim.add_argument(
        "--max-file-mb",
        type=int,
        default=100,
        metavar="MB",
        help="largest input file read whole: HTML, Word, PDF (default 100)",
    )
    lim.add_argument(
        "--max-text-mb",
        type=int,
        default=1024,
        metavar="MB",
        help="largest plain-text file, read in pieces (default 1024)",
    )
    lim.add_argument(
        "--piece-mb",
        type=int,
        default=16,
        metavar="MB",
        help="plain-text files larger than this are read and processed in pieces (default 16)",
    )
    lim.add_argument(
        "--docx-max-mb",
        type=int,
        default=256,
        metavar="MB",
        help="what a .docx may unpack to (default 256)",
    )
    lim.add_argument(
        "--docx-max-elements",
        type=int,
        default=2_000_000,
        metavar="N",
        help="XML elements in a .docx (default 2000000)",
    )
    r.add_argument(
        "--follow-links",
        action="store_true",
        help="read files that links inside the input folders point to outside them",
    )
    r.set_defaults(func=_cmd_run)

    rp = sub.add_parser(
        "report", help="write DIR/report.html: charts and tables of a run's output, one file"
    )
    rp.add_argument("dir", metavar="DIR", help="a folder written by run --out (and tracking)")
    rp.add_argument(
        "-o", "--out", "--output", dest="out", metavar="FILE",
        help="where to write (default DIR/report.html; --output: the same)",
    )  # fmt: skip
    rp.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    rp.set_defaults(func=_cmd_report)

    e = sub.add_parser("extract", help="print one document's claims as a table")
    e.add_argument("file", metavar="FILE", help="a document, or - for text on standard input")
    e.add_argument("--year", type=int, help="the document's year, if its header does not say")
    e.add_argument(
        "-f", "--format", choices=("table", "csv", "json"), default="table",
        help="table (aligned, for reading), csv (claims.csv's cells) or json (one claim per line); "
        "values are exact, never with an exponent",
    )  # fmt: skip
    e.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    e.set_defaults(func=_cmd_extract)

    t = sub.add_parser("tokenize", help="print a document's policy-tuned tokens")
    t.add_argument("file", metavar="FILE", help="a document, or - for text on standard input")
    t.add_argument("--tokenizer", choices=("rjieba", "jieba"), default="rjieba")
    t.add_argument(
        "--drop-stopwords", action="store_true",
        help="only content tokens (no stopwords, punctuation, numbers), as keywords and topics see",
    )  # fmt: skip
    t.add_argument("--all", action="store_true", help=argparse.SUPPRESS)  # old: now the default
    t.add_argument("--one-per-line", action="store_true")
    t.set_defaults(func=_cmd_tokenize)

    v = sub.add_parser("evaluate", help="score a claims CSV against gold annotations")
    v.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of <doc_id>.jsonl (and docs/)")
    v.add_argument("claims_csv", metavar="CLAIMS_CSV")
    v.add_argument("--docs", help="comma-separated doc_ids to score")
    v.add_argument("--json", action="store_true", help="print the scores as JSON")
    v.add_argument(
        "--show-errors", type=int, default=0, metavar="N", help="list N errors on stderr"
    )
    v.set_defaults(func=_cmd_evaluate)

    et = sub.add_parser(
        "evaluate-tracking", help="score a tracking CSV against target-to-achievement link gold"
    )
    et.add_argument("links_jsonl", metavar="LINKS_JSONL", help="one gold target per line")
    et.add_argument("docs_dir", metavar="DOCS_DIR", help="folder of the gold's <doc_id>.txt")
    et.add_argument("tracking_csv", metavar="TRACKING_CSV", help="tracking.csv from `run`")
    et.add_argument("--json", action="store_true", help="print the scores as JSON")
    et.add_argument(
        "--show-errors", type=int, default=0, metavar="N", help="list N wrong rows on stderr"
    )
    et.set_defaults(func=_cmd_evaluate_tracking)

    ep = sub.add_parser(
        "evaluate-panel", help="score a panel CSV against a reference table of targets/outcomes"
    )
    ep.add_argument("reference_csv", metavar="REFERENCE_CSV", help="the analyst's table")
    ep.add_argument("panel_csv", metavar="PANEL_CSV", help="panel.csv from `run`")
    ep.add_argument("--json", action="store_true", help="print the scores as JSON")
    ep.add_argument(
        "--show-errors", type=int, default=0, metavar="N", help="print N wrong cells to stderr"
    )
    ep.set_defaults(func=_cmd_evaluate_panel)

    fp = sub.add_parser("fit", help="fit the shipped models: topics and keyword IDF, tense")
    fsub = fp.add_subparsers(dest="fit_command", required=True, metavar="MODEL")
    _add_fit_topics(
        fsub.add_parser(
            "topics", help="fit keyword IDF and topics on a corpus, save them in plain files"
        )
    )
    ft = fsub.add_parser(
        "tense",
        help="train the review/plan classifier on work reports (by section) and annotated claims",
    )
    add_tense_arguments(ft)
    ft.set_defaults(func=_cmd_fit_tense)

    tp = sub.add_parser("topics", help="topic model commands (topics fit = fit topics)")
    tsub = tp.add_subparsers(dest="topics_command", required=True, metavar="SUBCOMMAND")
    _add_fit_topics(
        tsub.add_parser("fit", help="fit keyword IDF and topics (the same as `fit topics`)")
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``policy-nlp``; returns the exit status."""
    parser = build_parser()
    with contextlib.suppress(AttributeError, ValueError):  # file names that are not UTF-8
        sys.stderr.reconfigure(errors="backslashreplace")
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # `policy-nlp extract … | head`: the reader is gone; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's flush at exit writes nowhere
        return EXIT_BROKEN_PIPE
    except UsageError as exc:
        print(f"policy-nlp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except PolicyNLPError as exc:  # a damaged models folder, a table that cannot be read …
        print(f"policy-nlp: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except OSError as exc:  # a full disk, a read-only folder, a lost file system
        print(f"policy-nlp: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception as exc:
        if os.environ.get("POLICY_NLP_TRACEBACK"):
            raise
        print(
            f"policy-nlp: unexpected error ({type(exc).__name__}: {_one_line(exc)}); this is a "
            "bug, please report it (POLICY_NLP_TRACEBACK=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _os_error(exc: OSError) -> str:
    """An operating-system error as one line naming the file and what to do."""
    import errno

    if exc.errno is None:  # a timeout or a lost connection (Dask), not a file
        return f"{type(exc).__name__}: {_one_line(exc)}"
    what = exc.strerror or _one_line(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    hint = {
        errno.ENOSPC: " (the disk is full: free some space and run again)",
        errno.EDQUOT: " (over the disk quota: free some space and run again)",
        errno.EROFS: " (a read-only file system: give another --out)",
        errno.EACCES: " (this user may not write there: give another --out)",
        errno.EPERM: " (this user may not write there: give another --out)",
        errno.ENOTDIR: " (a file stands where a folder is needed: give another --out)",
    }.get(exc.errno or 0, "")
    return f"{where}{what}{hint}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
