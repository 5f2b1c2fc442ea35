"""What one document may cost to read: the size of the file, and what a Word file unpacks to.

Inputs come from the open web: a 300 KB ``.docx`` can unpack to gigabytes of XML. These caps
are checked before the expensive step (the file's size before reading it, a Word file's
declared sizes before unpacking, its elements while they are counted in a stream), so a file
over a cap is refused at once with the reason and the option that raises it. A plain-text
file (``.txt``, ``.md``) larger than ``piece_mb`` is not held whole but read and processed a
piece at a time (``policy_nlp.read.stream``), so it has a cap of its own, much higher. The
time and memory a document may take in a worker are watched by ``policy_nlp.batch``
(``RunConfig``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "TEXT_SUFFIXES", "Limits"]

TEXT_SUFFIXES = (".txt", ".md")  # read in pieces when large


@dataclass(frozen=True)
class Limits:
    """Caps on one input file (``0`` switches a cap off).

    - ``max_file_mb``: the size of a file read whole (HTML, Word, PDF, and text up to
      ``piece_mb``): about ten times its size in memory;
    - ``docx_max_mb``: what the parts of a ``.docx`` unpack to, in total;
    - ``docx_max_elements``: XML elements in its ``word/document.xml``;
    - ``max_text_mb``: the size of a plain-text file;
    - ``piece_mb``: plain-text files larger than this are read and processed in pieces
      (memory bounded by the piece; ``0``: every text file read whole, capped by
      ``max_file_mb``).
    """

    max_file_mb: int = 100
    docx_max_mb: int = 256
    docx_max_elements: int = 2_000_000
    max_text_mb: int = 1024
    piece_mb: int = 16

    def in_pieces(self, suffix: str, size: int) -> bool:
        """Whether a file of ``suffix`` (lower case) and ``size`` bytes is read in pieces."""
        return bool(self.piece_mb) and suffix in TEXT_SUFFIXES and size > self.piece_mb * 2**20


DEFAULT_LIMITS = Limits()
