"""Run a generator a few items ahead in a thread, so reading overlaps writing.

An import spends its time in two places: Python reading and checking records, and SQLite
writing them. SQLite releases the GIL while it works, so the next batch can be read and
checked meanwhile:

    with prefetched(batches(files), depth=2) as items:
        for batch in items:
            store.insert_articles(batch, ...)

The producer runs at most `depth` items ahead. An exception in it is raised in the
consumer at the item where it happened. Leaving the block early (cancel, error) stops the
producer at its next item and closes the generator in its own thread, so files close.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_END = object()
_POLL = 0.05


@contextmanager
def prefetched(items: Iterable[T], *, depth: int = 2,
               name: str = "prefetch") -> Generator[Iterator[T], None, None]:
    slots: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put((True, item)):
                    return
            put((True, _END))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put((False, exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[T]:
        while True:
            ok, item = slots.get()
            if not ok:
                raise item  # type: ignore[misc]
            if item is _END:
                return
            yield item  # type: ignore[misc]

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        worker.join()
