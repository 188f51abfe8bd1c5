"""Using every core: how many there are, how to start worker processes safely, and how
to hand them work in order (`in_order`, shared by the export and suggest pools).

Workers are forked when this process runs one thread (the CLI, or a task's own process);
a process with threads (the GUI works on pool threads) must not fork, so it uses a fork
server (Linux) or spawn (elsewhere), whose first start costs a second more. Those
re-import the main module in each worker, as multiprocessing does: `ui.entry` is guarded
and light.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

from app.progress import Cancelled

K = TypeVar("K")
R = TypeVar("R")


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:              # not on Linux
        return os.cpu_count() or 1


def context(preload: list[str] | None = None) -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux"):
        if "fork" in methods and threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        if "forkserver" in methods:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(preload or [])
            return ctx
    return multiprocessing.get_context("spawn")


def in_order(pool: Executor, fn: Callable[[Any], R], jobs: Iterable[tuple[K, Any]], *,
             ahead: int, cancel: Callable[[], bool]) -> Iterator[tuple[K, R]]:
    """(key, fn(arg)) for each (key, arg) of `jobs`, run on `pool`, yielded in order.

    At most `ahead` jobs are in flight, so memory stays bounded whatever the input's size.
    `cancel()` is asked before every job is handed out and before every result is taken;
    Cancelled is raised when it says yes (jobs under way finish when the pool shuts down).
    """
    pending: deque[tuple[K, Future[R]]] = deque()
    for key, arg in jobs:
        if cancel():
            raise Cancelled
        pending.append((key, pool.submit(fn, arg)))
        if len(pending) > ahead:
            done_key, future = pending.popleft()
            yield done_key, future.result()
    while pending:
        if cancel():
            raise Cancelled
        done_key, future = pending.popleft()
        yield done_key, future.result()
