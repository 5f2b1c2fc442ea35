"""Run the per-document stage on a Dask distributed cluster (optional extra ``[dask]``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

__all__ = ["map_on_cluster"]


def map_on_cluster(func: Callable, items: Iterable, *, scheduler: str | None) -> Iterator:
    """``func(item)`` for every item on the cluster at ``scheduler``, in input order."""
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError(
            "the dask engine needs the extra: pip install 'policy_nlp[dask]'"
        ) from exc
    if not scheduler:
        raise ValueError("--engine dask needs --scheduler tcp://HOST:PORT")
    with Client(scheduler, set_as_default=False) as client:
        futures = client.map(func, list(items), pure=False)
        for fut in futures:
            yield fut.result()
