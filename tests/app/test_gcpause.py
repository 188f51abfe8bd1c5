"""The collector is paused during bulk work, and left as it was found afterwards."""
from __future__ import annotations

import gc
import threading

import pytest

from app.gcpause import collection_paused


@pytest.fixture(autouse=True)
def collector_restored():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_gcpause_pauses_and_enables_again():
    gc.enable()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gcpause_nested_pauses_end_with_the_outer_one():
    gc.enable()
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gcpause_leaves_a_disabled_collector_disabled():
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_gcpause_an_error_inside_still_enables_it():
    gc.enable()
    with pytest.raises(KeyError), collection_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_gcpause_overlapping_pauses_in_two_threads():
    """The GUI imports in a worker thread: a pause ending there must not end another's."""
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collection_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with collection_paused():
        pass
    assert not gc.isenabled()       # the other thread's pause still holds
    release.set()
    thread.join(5)
    assert gc.isenabled()
