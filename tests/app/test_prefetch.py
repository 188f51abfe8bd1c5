"""prefetched: a generator run ahead in a thread, with its order, errors and early exits."""
from __future__ import annotations

import threading
import time

import pytest

from app.prefetch import prefetched


def test_prefetch_keeps_the_order_and_runs_in_another_thread():
    threads = set()

    def items():
        for n in range(50):
            threads.add(threading.current_thread().name)
            yield n
    with prefetched(items(), name="reader") as ahead:
        assert list(ahead) == list(range(50))
    assert threads == {"reader"}


def test_prefetch_reads_at_most_depth_ahead():
    made = []

    def items():
        for n in range(100):
            made.append(n)
            yield n
    with prefetched(items(), depth=2) as ahead:
        assert next(ahead) == 0
        time.sleep(0.2)
        assert len(made) <= 4           # the one taken, two queued, one waiting to be put


def test_prefetch_raises_the_producers_error_where_it_happened():
    def items():
        yield 1
        raise ValueError("line 2: broken")
    got = []
    with pytest.raises(ValueError, match="line 2"), prefetched(items()) as ahead:
        for n in ahead:
            got.append(n)
    assert got == [1]


def test_prefetch_leaving_early_closes_the_generator_in_its_thread():
    closed = threading.Event()

    def items():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()
    with prefetched(items()) as ahead:
        assert next(ahead) == 0
    assert closed.is_set()
    assert not any(t.name == "prefetch" for t in threading.enumerate())
