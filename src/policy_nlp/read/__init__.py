"""Reading inputs: find files, decode them, extract the text of HTML, Word and PDF, and read the
document's header (title, issuer, date, year, type).

``read_document(path)`` gives a ``Document``; a file it cannot read raises ``DocumentError``
with a reason a person can act on.
"""

from policy_nlp.read.decode import decode_bytes, text_sha256
from policy_nlp.read.discover import (
    SUFFIXES,
    assign_doc_ids,
    discover,
    display_path,
    find_inputs,
    real_path,
)
from policy_nlp.read.document import (
    Document,
    DocumentError,
    failed_document,
    in_pieces,
    iter_documents,
    open_text_stream,
    read_document,
    with_text,
)
from policy_nlp.read.metadata import Header, header_metadata
from policy_nlp.read.stream import TextStream

__all__ = [
    "SUFFIXES",
    "Document",
    "DocumentError",
    "Header",
    "TextStream",
    "assign_doc_ids",
    "decode_bytes",
    "discover",
    "display_path",
    "failed_document",
    "find_inputs",
    "header_metadata",
    "in_pieces",
    "iter_documents",
    "open_text_stream",
    "read_document",
    "real_path",
    "text_sha256",
    "with_text",
]
