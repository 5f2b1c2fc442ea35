"""Atomic file writes: a temporary file in the same folder, then a rename.

A run killed at any moment leaves each file either as it was or complete. Every writer of the
package (tables, workbook, report, models) goes through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "commit", "temp_file"]


def temp_file(path: str | Path) -> tuple[int, str]:
    """A new temporary file next to ``path`` (``.<name>.*.tmp``, as readable as any file the
    user writes): (open descriptor, its path)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a table is as readable as any file
    return fd, tmp


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs):
    """Open a temporary file next to ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_file(path)
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        commit(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def commit(tmp: str | Path, path: str | Path) -> None:
    """Move a finished, flushed temporary file over ``path`` (same folder): the one moment a
    table file changes, for ``atomic_write`` and for tables assembled from part files."""
    os.replace(tmp, path)
