"""Run the per-document stage on local processes (or a Dask cluster), results in input order.

The same pure function runs everywhere; only the aggregation (topics, tables) happens once,
in the calling process. Local runs use ``concurrent.futures`` (portable, unlike
``jieba.enable_parallel``) with a bounded window of pending documents, so memory does not
grow with the batch.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["ENGINES", "default_jobs", "map_ordered"]

ENGINES = ("local", "dask")
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def map_ordered(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[R]:
    """``func(item)`` for every item, yielded in input order."""
    if engine == "dask":
        from policy_nlp.dask_engine import map_on_cluster

        yield from map_on_cluster(func, items, scheduler=scheduler)
        return
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    jobs = jobs or default_jobs()
    if jobs <= 1:
        for item in items:
            yield func(item)
        return
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
