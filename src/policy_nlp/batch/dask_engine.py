"""Run the per-document stage on a Dask distributed cluster (optional extra ``[dask]``).

``policy-nlp run … --engine dask --scheduler tcp://HOST:PORT`` connects to a running
scheduler (``dask scheduler``) with workers (``dask worker tcp://HOST:PORT``) that have the
same policy_nlp version installed. Tasks are submitted through a bounded window, so the client
holds only the files in flight; ``shared`` (models, options) goes to the cluster once, as the
result of a task every task depends on (the scheduler recomputes it if its holders die).
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
RESENDS = 3  # times the tasks are sent again after the scheduler cancelled them


class _Forgotten(Exception):
    """The scheduler cancelled a task (it forgot it, or an input it needs): it can be sent
    again."""


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
    ``failed(item, reason)`` and the run goes on (without ``failed``: ``EngineError``).
    ``shared`` goes to the workers as the result of a task, which the scheduler computes
    again when every worker holding it was lost; tasks it cancels anyway are sent again
    (``RESENDS`` times). A cluster that cannot run tasks at all (scheduler gone, no worker
    left) raises ``EngineError``."""
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
        ref = [_shared_future(client, shared) if has_shared else None]

        def submit(item: Any):
            return client.submit(_call, func, item, ref[0], has_shared, pure=False, retries=RETRIES)

        pending: deque = deque()
        resent = 0

        def first_result() -> Any:
            """The oldest pending task's result. Tasks the scheduler cancelled are sent again
            (with the models) up to ``RESENDS`` times."""
            nonlocal resent
            while True:
                future, item = pending[0]
                try:
                    result = _result(future, item, scheduler, failed)
                except _Forgotten as exc:
                    if resent >= RESENDS:
                        raise EngineError(
                            f"the Dask cluster at {scheduler} kept losing the run's tasks "
                            f"({exc}); no table was changed"
                        ) from None
                    resent += 1
                    if has_shared:
                        ref[0] = _shared_future(client, shared)
                    for n, (_, again) in enumerate(list(pending)):
                        pending[n] = (submit(again), again)
                    continue
                pending.popleft()
                return result

        for item in items:
            pending.append((submit(item), item))
            if len(pending) >= window:
                yield first_result()
        while pending:
            yield first_result()
    finally:
        client.close()


def _identity(value: Any) -> Any:
    return value


def _shared_future(client, shared: Any):
    """``shared`` (the models and options) as the result of a task the tasks depend on, not
    scattered data: when every worker holding it is lost, the scheduler computes it again
    from the task (scattered data would be gone, and every task needing it cancelled)."""
    return client.submit(_identity, shared, pure=False, retries=RETRIES)


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
    from concurrent.futures import CancelledError

    try:
        return future.result()
    except EngineError:
        raise
    except CancelledError as exc:
        raise _Forgotten(" ".join(str(exc).split())[:200]) from None
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
