"""What a reader gives back (``Extracted``) and the error every reader raises (``DocumentError``)."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Extracted:
    text: str
    encoding: str
    title: str = ""  # a title the container states (HTML <title>, DOCX/PDF properties)
    meta: dict = field(default_factory=dict)  # issuer/date a page states outside its text
