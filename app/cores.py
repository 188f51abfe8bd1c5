"""Using every core: how many there are, and how to start worker processes safely.

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
from multiprocessing.context import BaseContext


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
