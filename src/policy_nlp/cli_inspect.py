"""``policy-nlp extract`` and ``policy-nlp tokenize``: one document (a file, or ``-`` for the
text on standard input) inspected in the terminal or piped on."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["EXTRACT_COLUMNS", "cmd_extract", "cmd_tokenize", "read_input"]

EXIT_OK, EXIT_INPUT_FAILED = 0, 1


def read_input(name: str):
    """The document ``name`` names, or the text on stdin for ``-`` (doc_id ``stdin``)."""
    from policy_nlp.read import Document, decode_bytes, header_metadata, text_sha256

    if name != "-":
        from policy_nlp.read.document import read_document

        return read_document(name)
    from policy_nlp.read.document import DocumentError

    data = sys.stdin.buffer.read()
    try:
        text, encoding = decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(Path("-"), str(exc)) from None
    if not text.strip():
        raise DocumentError(Path("-"), "no text on standard input", status="empty")
    header = header_metadata(text)
    return Document(
        doc_id="stdin", path="-", text=text, title=header.title, year=header.year,
        date=header.date, issuer=header.issuer, doc_type=header.doc_type,
        year_source=header.year_source, doc_type_source=header.doc_type_source,
        encoding=encoding, sha256=text_sha256(text),
    )  # fmt: skip


EXTRACT_COLUMNS = (
    "start",
    "mention",
    "value",
    "unit",
    "comparator",
    "kind",
    "year",
    "change",
    "indicator",
)


def cmd_extract(args: argparse.Namespace) -> int:
    import pandas as pd

    from policy_nlp.claims.extractor import extract
    from policy_nlp.read.document import DocumentError
    from policy_nlp.tables import as_text, claims_frame, formula_plain

    try:
        doc = read_input(args.file)
    except DocumentError as exc:
        print(f"policy-nlp: {exc}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    year = args.year if args.year is not None else doc.year
    claims = list(
        extract(doc.text, doc_id=doc.doc_id, year=year, doc_type=doc.doc_type, title=doc.title)
    )
    if not args.quiet:
        print(
            f"{doc.doc_id}: {doc.title or '(no title)'}; year {year or '?'}; {len(claims)} claims",
            file=sys.stderr,
        )
    if args.format == "json":  # one object per claim, exact values (JSON numbers, no exponent)
        from policy_nlp.tables import decimal_text

        for c in claims:
            d = c.to_dict()
            cells = []
            for key, v in d.items():
                if key in ("value", "value_high"):
                    cell = "null" if v is None else decimal_text(v)
                else:
                    cell = json.dumps(v, ensure_ascii=False)
                cells.append(f"{json.dumps(key)}: {cell}")
            print("{" + ", ".join(cells) + "}")
        return EXIT_OK
    # the cells as claims.csv writes them: exact values in plain notation
    text = as_text(claims_frame(claims))
    if args.format == "csv":
        text.to_csv(sys.stdout, index=False, lineterminator="\n")
        return EXIT_OK
    if text.empty:
        return EXIT_OK
    view = text[list(EXTRACT_COLUMNS)].map(formula_plain)
    with pd.option_context(
        "display.max_rows",
        None,
        "display.width",
        200,
        "display.max_colwidth",
        30,
        "display.unicode.east_asian_width",
        True,
    ):
        print(view.to_string(index=False))
    return EXIT_OK


def cmd_tokenize(args: argparse.Namespace) -> int:
    from policy_nlp.read.document import DocumentError
    from policy_nlp.tokens import tokenize

    try:
        doc = read_input(args.file)
    except DocumentError as exc:
        print(f"policy-nlp: {exc}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    tokens = tokenize(doc.text, backend=args.tokenizer, drop_stopwords=args.drop_stopwords)
    sep = "\n" if args.one_per_line else " "
    print(sep.join(t for t in tokens if t.strip()))  # spaces and line breaks separate them
    return EXIT_OK
