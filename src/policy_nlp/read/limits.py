"""What one document may cost to read: the size of the file, and what a Word file unpacks to.

Inputs come from the open web: a 300 KB ``.docx`` can unpack to gigabytes of XML. These caps
are checked before the expensive step (the file's size before reading it, a Word file's
declared sizes before unpacking, its elements while they are counted in a stream), so a file
over a cap is refused at once with the reason and the option that raises it. The time and
memory a document may take in a worker are watched by ``policy_nlp.batch`` (``RunConfig``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclass(frozen=True)
class Limits:
    """Caps on one input file (``0`` switches a cap off).

    - ``max_file_mb``: the file's size (a 100 MB text takes about 1 GB of memory to process);
    - ``docx_max_mb``: what the parts of a ``.docx`` unpack to, in total;
    - ``docx_max_elements``: XML elements in its ``word/document.xml``.
    """

    max_file_mb: int = 100
    docx_max_mb: int = 256
    docx_max_elements: int = 2_000_000


DEFAULT_LIMITS = Limits()
