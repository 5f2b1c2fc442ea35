"""Run the per-document stage on local processes (or a Dask cluster), results in input order.

The same pure function runs everywhere; only the aggregation (topics, tables) happens once,
in the calling process. Local runs use ``concurrent.futures`` (portable, unlike
``jieba.enable_parallel``) with a bounded window of pending tasks, so memory does not grow
with the batch: items are drawn from the input iterator only as workers free up.

``shared`` is what every call needs and is the same for all of them (models, options): it
travels once per worker process (the pool's initializer; on Dask, one broadcast), not once
per task.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from policy_nlp.errors import OptionError, PolicyNLPError

__all__ = ["ENGINES", "WINDOW_PER_WORKER", "EngineError", "default_jobs", "map_ordered"]

ENGINES = ("local", "dask")
WINDOW_PER_WORKER = 4  # items in flight per local worker: none waits, memory stays bounded
T = TypeVar("T")
R = TypeVar("R")

# In a worker process of a local pool: the ``shared`` value of the map it serves.
_WORKER_SHARED: Any = None


class EngineError(PolicyNLPError, RuntimeError):
    """The engine itself cannot run (no cluster reachable, workers without policy_nlp)."""


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _init_worker(shared: Any) -> None:
    global _WORKER_SHARED
    _WORKER_SHARED = shared


def _call_with_worker_shared(func: Callable, item: Any) -> Any:
    return func(item, _WORKER_SHARED)


def map_ordered(
    func: Callable[..., R],
    items: Iterable[T],
    *,
    shared: Any = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    window: int | None = None,
    failed: Callable[[T, str], R] | None = None,
) -> Iterator[R]:
    """``func(item, shared)`` (``func(item)`` when ``shared`` is None) for every item, in order.

    ``func`` must be a module-level function (workers import it by name). ``jobs`` worker
    processes (default: all cores; 1 runs in this process); ``engine="dask"`` runs on the
    cluster at ``scheduler`` and ignores ``jobs``. At most ``window`` items (default four per
    worker) are in flight, so ``items`` may be a lazy iterator over a large batch. On Dask,
    ``failed(item, reason)`` stands for the result of a task that failed on the cluster
    (``map_on_cluster``).
    """
    if engine == "dask":
        from policy_nlp.batch.dask_engine import map_on_cluster

        yield from map_on_cluster(
            func, items, shared=shared, scheduler=scheduler, window=window, failed=failed
        )
        return
    if engine != "local":
        raise OptionError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise OptionError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        for item in items:
            yield func(item) if shared is None else func(item, shared)
        return
    window = window or jobs * WINDOW_PER_WORKER
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        initializer=None if shared is None else _init_worker,
        initargs=() if shared is None else (shared,),
    )
    call = (
        (lambda item: pool.submit(func, item))
        if shared is None
        else (lambda item: pool.submit(_call_with_worker_shared, func, item))
    )
    try:
        pending: deque = deque()
        for item in items:
            pending.append(call(item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # also when the consumer stops early: drop what has not started
        pool.shutdown(wait=True, cancel_futures=True)
