"""One writer at a time in an output folder, and what a killed writer left there cleaned.

Two runs writing to the same folder at once (two ``--append`` runs, say) would each read the
tables, add their documents and write: the second rename wins and the first run's documents
are lost. ``output_lock`` takes an exclusive ``flock`` on ``DIR/.policy-nlp.lock`` for the
whole run; a second writer waits for it (saying so on stderr once), so both runs' documents
end up in the tables. The lock is released by the kernel when its process ends, however it
ends, so a killed run never leaves the folder locked.

Holding the lock, the folder has no other writer: temporary files left by a run that was
killed or ran out of disk (``.<table>.csv.XXXXXXXX.tmp``, from ``policy_nlp.atomic``) are
removed before anything is written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LOCK_NAME", "output_lock", "remove_stale_temps"]

LOCK_NAME = ".policy-nlp.lock"
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # tempfile.mkstemp's names, atomic's prefix


@contextlib.contextmanager
def output_lock(folder: str | Path, *, wait: bool = True) -> Iterator[Path]:
    """Hold the folder's writer lock (creating the folder); wait for another writer, or with
    ``wait=False`` raise ``BlockingIOError``. Stale temporary files are removed first."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise
            print(
                f"policy-nlp: waiting for another run that is writing to {folder}",
                file=sys.stderr,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        remove_stale_temps(folder)
        yield folder
    finally:
        os.close(fd)  # releases the lock


def remove_stale_temps(folder: str | Path) -> int:
    """Remove the temporary files a killed run left in ``folder``; returns how many (call it
    only while holding ``output_lock``: a live writer's temporary files look the same)."""
    n = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if _TEMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    n += 1
    return n
