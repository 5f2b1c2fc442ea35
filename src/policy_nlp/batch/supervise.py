"""Local worker processes watched one document at a time: a time and a memory limit per
document, and a worker that dies (killed, out of memory, a crash in native code) replaced.

``ProcessPoolExecutor`` cannot stop one task, and when one of its workers dies every pending
future fails with ``BrokenProcessPool``: one bad file would stop the batch. Here each worker
is a forked process with its own pipe; it receives a chunk of items (a few small files) and
sends each item's result back as soon as it is done, so the parent always knows which item a
worker is on and since when. An item that runs past ``time_limit`` seconds, or whose worker
grows past ``memory_limit`` bytes of resident memory, or whose worker dies, gets the result
``failed(item, reason)``; the worker is killed and a new one forked, and the rest of its chunk
goes to the next free worker. Results come back in input order, as from ``map_ordered``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from typing import Any

__all__ = ["POLL_SECONDS", "map_supervised"]

POLL_SECONDS = 0.1  # how often the parent looks at the clocks and the workers' memory
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _serve(conn, func: Callable, shared: Any) -> None:
    """A worker's loop: a chunk in, each item's result out as soon as it is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, items = msg
        for i, item in enumerate(items):
            conn.send((key, i, func(item, shared)))


@dataclass
class _Worker:
    proc: Any
    conn: Any
    key: int = -1  # the chunk it is on (-1: idle)
    items: list = field(default_factory=list)
    first: int = 0  # index of its items' first in the chunk
    done: int = 0  # of its items finished
    since: float = 0.0  # when it started the current item

    def rss(self) -> int:
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGKILL":
            return "its worker process was killed (SIGKILL: out of memory, or by hand)"
        return f"its worker process died ({name})"
    return f"its worker process exited unexpectedly (status {code})"


def map_supervised(
    func: Callable[[Any, Any], Any],
    chunks: Iterable[list],
    *,
    shared: Any,
    failed: Callable[[Any, str], Any],
    jobs: int,
    time_limit: float | None,
    memory_limit: int | None,
    window: int | None = None,
) -> Iterator[list]:
    """``[func(item, shared) for item in chunk]`` for every chunk, in input order, on ``jobs``
    watched worker processes; an item over a limit, or whose worker died, gives
    ``failed(item, reason)`` instead. At most ``window`` chunks (default four per worker) are
    drawn ahead of the one being yielded."""
    ctx = get_context("fork")  # workers inherit what the parent loaded (tokeniser, models)
    window = window or jobs * 4
    source = iter(chunks)
    exhausted = False
    results: dict[int, list] = {}  # chunk key -> results so far (None: not yet)
    queue: deque[tuple[int, int, list]] = deque()  # (key, first index, items) to hand out
    next_key = next_out = 0
    workers: list[_Worker] = []

    def spawn() -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, func, shared), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    try:
        workers.extend(spawn() for _ in range(jobs))
        while True:
            while not exhausted and next_key - next_out < window:
                try:
                    chunk = list(next(source))
                except StopIteration:
                    exhausted = True
                    break
                results[next_key] = [None] * len(chunk)
                queue.append((next_key, 0, chunk))
                next_key += 1
            for n, w in enumerate(workers):
                if w.key < 0 and queue:
                    if not w.proc.is_alive():  # died between two chunks
                        _stop(w)
                        w = workers[n] = spawn()
                    key, first, items = queue.popleft()
                    w.key, w.items, w.first, w.done = key, items, first, 0
                    w.since = time.monotonic()
                    w.conn.send((key, items))
            while next_out in results and all(isinstance(v, _Done) for v in results[next_out]):
                yield [v.value for v in results.pop(next_out)]
                next_out += 1
            if exhausted and next_out == next_key:
                return
            busy = [w for w in workers if w.key >= 0]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], POLL_SECONDS)
            now = time.monotonic()
            for w in list(busy):
                if w.conn in ready:
                    try:
                        while w.conn.poll():
                            key, i, r = w.conn.recv()
                            results[key][w.first + i] = _Done(r)
                            w.done = i + 1
                            w.since = time.monotonic()
                            if w.done == len(w.items):
                                w.key, w.items = -1, []
                                break
                    except (EOFError, OSError):
                        pass
                if w.key < 0:
                    continue
                if not w.proc.is_alive():
                    reason = _exit_reason(w.proc.exitcode)
                elif time_limit and now - w.since > time_limit:
                    reason = f"took longer than the time limit of {time_limit:g} s per document (--time-limit)"
                elif memory_limit and w.rss() > memory_limit:
                    reason = (
                        f"needed more than the memory limit of {memory_limit // 2**20} MB "
                        "per document (--memory-limit)"
                    )
                else:
                    continue
                _stop(w)
                _fail_current(w, results, queue, failed, reason)
                workers[workers.index(w)] = spawn()
    finally:
        for w in workers:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send(None)
        for w in workers:
            w.proc.join(timeout=1)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
            w.conn.close()


@dataclass
class _Done:
    value: Any


def _fail_current(
    w: _Worker, results: dict, queue: deque, failed: Callable[[Any, str], Any], reason: str
) -> None:
    """The item ``w`` was on failed for ``reason``; the rest of its chunk waits for another."""
    first, i = w.first, w.done
    results[w.key][first + i] = _Done(failed(w.items[i], reason))
    rest = w.items[i + 1 :]
    if rest:
        queue.appendleft((w.key, first + i + 1, rest))
    w.key, w.items = -1, []


def _stop(w: _Worker) -> None:
    if w.proc.is_alive():
        w.proc.kill()
    w.proc.join()
    w.conn.close()
