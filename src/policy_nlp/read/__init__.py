"""Reading inputs: find files, decode them, extract the text of HTML, Word and PDF, and read the
document's header (title, issuer, date, year, type).

``read_document(path)`` gives a ``Document``; a file it cannot read raises ``DocumentError``
with a reason a person can act on.
"""

from policy_nlp.read.document import (
    SUFFIXES,
    Document,
    DocumentError,
    assign_doc_ids,
    decode_bytes,
    failed_document,
    find_inputs,
    header_metadata,
    iter_documents,
    read_document,
    text_sha256,
    with_text,
)

__all__ = [
    "SUFFIXES",
    "Document",
    "DocumentError",
    "assign_doc_ids",
    "decode_bytes",
    "failed_document",
    "find_inputs",
    "header_metadata",
    "iter_documents",
    "read_document",
    "text_sha256",
    "with_text",
]
