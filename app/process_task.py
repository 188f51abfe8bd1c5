"""Run a long task in a spawned process, with progress and cancel, as if it ran here.

The GUI runs long work on worker threads, but a thread running spaCy holds Python's GIL
for tens of milliseconds at a time (the tokenizer and matchers are Cython loops), and the
GUI thread stalls meanwhile. A separate process has its own interpreter: the thread that
waits for it only relays progress, and the window stays responsive.

    report = run_in_process("app.suggest.service:run_job", job, progress=..., cancel=...)

`target` ("module:function") is called in the child as `target(job, progress=, cancel=)`
with a picklable `job`; what it returns must be picklable. What the child passes to
`progress` arrives here: a Progress at `progress`, anything else (an epoch's scores, say)
at `on_event`. A NewsmarkError in the child is
raised here as the same error; anything else as WorkerFailed with its last line (the
traceback goes to the log). Cancel is passed on to the child's `cancel()`; a child that
does not end within GRACE_SECONDS of leaving is terminated.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from app.progress import CancelCheck, Progress, ProgressCallback, never, no_progress
from models import errors

POLL_SECONDS = 0.05
GRACE_SECONDS = 5.0
log = logging.getLogger(__name__)


def run_in_process(target: str, job: Any, *, progress: ProgressCallback = no_progress,
                   cancel: CancelCheck = never, on_event: Callable[[Any], None] | None = None,
                   name: str = "newsmark-task") -> Any:
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    stop = context.Event()
    # Not daemonic: a task may start processes of its own (training does). If this process
    # dies, the child sees it and cancels itself (_watch_parent).
    child = context.Process(target=_child, args=(target, job, events, stop, os.getpid()),
                            daemon=False, name=name)
    child.start()
    try:
        return _follow(child, events, stop, progress, cancel, on_event or (lambda _: None))
    finally:
        stop.set()
        child.join(GRACE_SECONDS)
        if child.is_alive():
            child.terminate()
            child.join()
        events.close()


def _follow(child: Any, events: Any, stop: Any, progress: ProgressCallback,
            cancel: CancelCheck, on_event: Callable[[Any], None]) -> Any:
    while True:
        if not stop.is_set() and cancel():
            stop.set()
        try:
            kind, payload = events.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if not child.is_alive() and events.empty():
                raise errors.WorkerFailed(f"the background process ended without a result "
                                          f"(exit code {child.exitcode}); nothing more was saved")
            continue
        if kind == "progress":
            progress(Progress(*payload))
        elif kind == "event":
            on_event(payload)
        elif kind == "done":
            return payload
        elif kind == "error":
            name, detail, kwargs = payload
            raise getattr(errors, name, errors.NewsmarkError)(detail, **kwargs)
        else:               # "crash"
            log.error("background process failed:\n%s", payload)
            last = payload.strip().splitlines()[-1] if payload.strip() else "unknown error"
            raise errors.WorkerFailed(f"the background process failed: {last}")


def _watch_parent(parent: int, stop: Any) -> None:
    """Cancel the task when the process that started it is gone (a crash, a kill).

    It sleeps rather than `stop.wait()`: a multiprocessing Event's set() waits for every
    waiter to wake, and a waiter in a process that has exited never does."""
    while not stop.is_set():
        time.sleep(1.0)
        if os.getppid() != parent:
            stop.set()


def _child(target: str, job: Any, events: Any, stop: Any, parent: int) -> None:
    threading.Thread(target=_watch_parent, args=(parent, stop), daemon=True).start()

    def report(item: Any) -> None:
        if isinstance(item, Progress):
            events.put(("progress", (item.done, item.total, item.message)))
        else:
            events.put(("event", item))
    try:
        module, function = target.split(":")
        result = getattr(importlib.import_module(module), function)(
            job, progress=report, cancel=stop.is_set)
        events.put(("done", result))
    except errors.NewsmarkError as exc:
        events.put(("error", (type(exc).__name__, exc.detail, exc.kwargs)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        events.put(("crash", traceback.format_exc()))
    finally:
        events.close()
        events.join_thread()
