"""The time and memory limits per document on a Dask cluster, applied inside each task.

A Dask worker runs a task on one of its threads, and a thread cannot be stopped: a document
that never finishes would hold the thread for good, one that grows without end would take
the worker (and, with Dask's retries, the next ones) with it. So with a time or memory limit
a task does not process its files itself: it forks one child process, watched as local
workers are (``policy_nlp.batch.supervise``), which processes them one by one. A document
over a limit, or whose child dies, gets status ``error`` with the reason (the same reason as
in a local run), the child is replaced and the task goes on; Dask sees a task that finished.
The tokeniser and the tense model are loaded in the worker process before the first fork, so
each child inherits them (a fork costs milliseconds, not the seconds of loading them).

Without limits (``time_limit`` and ``memory_limit`` both 0) a task runs its files on the
worker's thread, as before. Dask starts its worker processes as daemons, which
``multiprocessing`` forbids to have children; the flag is lifted while a task's child runs
(the child is stopped before the task returns, so none outlives its worker).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from policy_nlp.batch.pieces import process_task, process_tasks, task_over_limit
from policy_nlp.batch.supervise import map_supervised
from policy_nlp.batch.worker import BATCH_BYTES, DocResult, Options, Task, task_size

__all__ = ["Watched", "large_alone", "preload", "watched_tasks"]


@dataclass(frozen=True)
class Watched:
    """What a watched task needs besides its files: the workers' options and the limits."""

    options: Options
    time_limit: float | None = None  # seconds per document (None: none)
    memory_limit: int | None = None  # bytes of resident memory per child (None: none)


def preload(options: Options) -> None:
    """Load the tokeniser and the tense model in this process, so forked children inherit
    them instead of each loading them (about a second each)."""
    from policy_nlp.claims.tense import default_classifier
    from policy_nlp.tokens import get_tokenizer

    get_tokenizer(options.tokenizer).cut("预热")
    default_classifier()


_daemon_lock = threading.Lock()
_forking = 0  # tasks of this process that have lifted the daemon flag


@contextmanager
def _may_have_children() -> Iterator[None]:
    """Lift ``multiprocessing``'s "daemonic processes are not allowed to have children" for
    the tasks running now in this (Dask worker) process."""
    global _forking
    config = getattr(multiprocessing.current_process(), "_config", None)
    if config is None:  # pragma: no cover - not CPython's multiprocessing
        yield
        return
    with _daemon_lock:
        _forking += 1
        if _forking == 1:
            config["_policy_nlp_daemon"] = config.get("daemon", False)
            config["daemon"] = False
    try:
        yield
    finally:
        with _daemon_lock:
            _forking -= 1
            if _forking == 0:
                config["daemon"] = config.pop("_policy_nlp_daemon", False)


def watched_tasks(tasks: Sequence[Task], shared: Watched) -> list[DocResult]:
    """``process_tasks(tasks, shared.options)`` in a watched child process: a document over
    ``shared``'s limits, or whose child died, gets its ``error`` result with the reason."""
    if not shared.time_limit and not shared.memory_limit:
        return process_tasks(tasks, shared.options)
    preload(shared.options)
    with _may_have_children():
        results = map_supervised(
            process_task,
            [list(tasks)],
            shared=shared.options,
            failed=task_over_limit,
            jobs=1,
            time_limit=shared.time_limit,
            memory_limit=shared.memory_limit,
        )
        return [r for chunk in results for r in chunk]


def large_alone(chunks: Iterable[list[Task]]) -> Iterator[list[Task]]:
    """The same tasks in the same order, a file larger than a batch (``BATCH_BYTES``) in a
    task of its own: a task that fails on a cluster (a file that kills every worker running
    it) then fails only that file, not the small files batched with it."""
    for chunk in chunks:
        small: list[Task] = []
        for t in chunk:
            if task_size(t) > BATCH_BYTES:
                if small:
                    yield small
                    small = []
                yield [t]
            else:
                small.append(t)
        if small:
            yield small
