"""Pause Python's cyclic garbage collector while bulk work runs.

An import or an export allocates about a million short-lived containers (parsed JSON,
records, row tuples) and frees them by reference counting: they form no cycles. The
collector still runs about 900 times over the 10,000-article bench file, scanning each
batch held again and again: 0.15-0.23 s of a 2 s import, 0.13 s of a 0.9 s export
(bench/bench_core.py).

    with collection_paused():
        ...

Pausing is process-wide (the GUI imports and exports in worker threads), so pauses nest and count:
the collector is enabled again when the last one ends, and only if it was enabled when the
first began. Cycles made meanwhile are collected then.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
