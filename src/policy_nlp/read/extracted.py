"""What a reader gives back (``Extracted``) and the error every reader raises (``DocumentError``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policy_nlp.errors import PolicyNLPError

__all__ = ["DocumentError", "Extracted"]


class DocumentError(PolicyNLPError):
    """A file that cannot be read as a document; the message says why, for a person."""

    def __init__(self, path: str | Path, reason: str, *, status: str = "error") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class Extracted:
    """A file's text as a reader extracted it, and what the file states outside that text."""

    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16-le/be, gb18030 …; docx or pdf for those
    title: str = ""  # a title the container states (HTML <title>, DOCX/PDF properties)
    issuer: str = ""  # an issuer a page states outside its text (发文机关)
    dateline: str = ""  # a date a page states outside its text (成文日期, its stamp)
    sha256: str = ""  # the text's ``text_sha256`` when the reader had it at hand (else computed)
