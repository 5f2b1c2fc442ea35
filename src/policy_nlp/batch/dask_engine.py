"""Run the per-document stage on a Dask distributed cluster (optional extra ``[dask]``).

``policy-nlp run … --engine dask --scheduler tcp://HOST:PORT`` connects to a running
scheduler (``dask scheduler``) with workers (``dask worker tcp://HOST:PORT``) that have the
same policy_nlp version installed. Tasks are submitted through a bounded window, so the client
holds only the files in flight; ``shared`` (models, options) is broadcast to the workers once.
Results come back in input order and the tables are built on the client, exactly as in a
local run, so the tables are byte-identical.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from policy_nlp.batch.engines import EngineError
from policy_nlp.version import __version__

__all__ = ["CONNECT_TIMEOUT", "WORKER_TIMEOUT", "map_on_cluster"]

CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
WORKER_TIMEOUT = 60  # seconds to wait for the first worker to join
MIN_WINDOW, WINDOW_PER_THREAD = 4, 2  # tasks in flight: twice the cluster's threads, at least 4
RETRIES = 3  # a task whose worker was lost runs again elsewhere (same function: same rows)


def _call(func: Callable, item: Any, shared: Any, has_shared: bool) -> Any:
    return func(item, shared) if has_shared else func(item)


def _check_workers(client) -> None:
    """Every worker has policy_nlp, at this client's version (else the tables could differ)."""
    from importlib.metadata import version

    found = client.run(version, "policy_nlp", on_error="return")
    wrong = {
        w: ("not installed" if isinstance(v, Exception) else v)
        for w, v in found.items()
        if v != __version__
    }
    if wrong:
        listed = ", ".join(f"{w} ({v})" for w, v in sorted(wrong.items()))
        raise EngineError(f"Dask workers need policy_nlp {__version__} installed; found: {listed}")


def map_on_cluster(
    func: Callable,
    items: Iterable,
    *,
    shared: Any = None,
    scheduler: str | None,
    window: int | None = None,
    failed: Callable[[Any, str], Any] | None = None,
) -> Iterator:
    """``func(item, shared)`` for every item on the cluster at ``scheduler``, in input order.

    A task that raises is run again (``RETRIES`` times, as one whose worker was lost); one
    that still fails, or that killed ``distributed.scheduler.allowed-failures`` workers, gives
    ``failed(item, reason)`` and the run goes on (without ``failed``: ``EngineError``). A
    cluster that cannot run tasks at all (scheduler gone, no worker left) raises
    ``EngineError``."""
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise EngineError(
            "the dask engine needs the extra: pip install 'policy_nlp[dask]'"
        ) from exc
    if not scheduler:
        raise EngineError("--engine dask needs --scheduler tcp://HOST:PORT")
    try:
        client = Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError:
            raise EngineError(
                f"no Dask worker joined the scheduler at {scheduler} within {WORKER_TIMEOUT} s"
            ) from None
        _check_workers(client)
        if window is None:
            window = max(MIN_WINDOW, WINDOW_PER_THREAD * sum(client.nthreads().values()))
        has_shared = shared is not None
        shared_ref = _scatter(client, shared, scheduler) if has_shared else None
        pending: deque = deque()
        for item in items:
            future = client.submit(
                _call, func, item, shared_ref, has_shared, pure=False, retries=RETRIES
            )
            pending.append((future, item))
            if len(pending) >= window:
                yield _result(*pending.popleft(), scheduler, failed)
        while pending:
            yield _result(*pending.popleft(), scheduler, failed)
    finally:
        client.close()


def _scatter(client, shared: Any, scheduler: str, attempts: int = 3):
    """``shared`` on every worker; a worker lost meanwhile makes it try again (on the
    workers left), so one dying worker does not end the run."""
    import time

    for attempt in range(attempts):
        try:
            return client.scatter(shared, broadcast=True, hash=False)
        except (OSError, RuntimeError) as exc:  # CommClosedError is an OSError
            if attempt == attempts - 1:
                raise EngineError(
                    f"cannot send the models to the Dask workers at {scheduler} "
                    f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
                ) from None
            time.sleep(1)
            try:
                client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError:
                raise EngineError(
                    f"no Dask worker left at {scheduler} (all were lost during the run)"
                ) from None
    return None  # pragma: no cover


def _task_failed(exc: BaseException) -> bool:
    """Whether ``exc`` is the task's own failure (it raised, or kept killing its workers)
    rather than the cluster's (the scheduler lost, the connection closed, cancelled)."""
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    if isinstance(exc, KilledWorker):
        return True
    return not isinstance(exc, (CancelledError, OSError, TimeoutError, EngineError))


def _result(future, item: Any, scheduler: str, failed: Callable[[Any, str], Any] | None):
    """A task's result; a task that failed gives ``failed(item, reason)``; a cluster that lost
    it (workers gone, the scheduler down) raises ``EngineError`` in one line instead of Dask's
    traceback."""
    try:
        return future.result()
    except EngineError:
        raise
    except Exception as exc:
        text = " ".join(str(exc).split())[:300]
        if failed is not None and _task_failed(exc):
            return failed(
                item,
                f"failed on the Dask cluster after {RETRIES} retries "
                f"({type(exc).__name__}: {text})",
            )
        raise EngineError(
            f"the Dask cluster at {scheduler} failed the run ({type(exc).__name__}: {text}); "
            "no table was changed"
        ) from None
