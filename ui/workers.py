"""Long work off the GUI thread: a QRunnable that reports back by queued signals.

    runner = TaskRunner()                                  # QThreadPool.globalInstance()
    handle = runner.start(with_store(path, work), on_done=show, on_error=complain,
                          on_progress=bar.update)
    handle.cancel()                                        # the work stops at its next check

`work(store, progress, cancel)` runs on a pool thread (Picard's `run_task`). It reports
`app.progress.Progress` through `progress` and asks `cancel()` between batches; what it
returns reaches `on_done` on the GUI thread. A NewsmarkError becomes its own one-line
message for `on_error`; anything else is logged with its traceback and reported as
"internal error: ...". Raising `Cancelled` ends the task as cancelled.

Rules for the work itself:
- Open your OWN database connection in the worker (`with_store`): the GUI's Store belongs
  to the GUI thread, and SQLite's WAL lets both write, each in its own transactions.
- A spaCy `nlp` object is used by one thread at a time: hand it to one task and do not
  touch it from the GUI (or another task) until that task has ended.
- Touch no widget from the work: only the callbacks (GUI thread) may.

Tests pass `TaskRunner(pool=SyncPool())` (Picard's FakeThreadPool): the task runs inside
`start()` and every callback has been called when it returns.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback
from models.errors import NewsmarkError
from models.store import Store
from ui.errors import one_line

log = logging.getLogger(__name__)

Work = Callable[[ProgressCallback, CancelCheck], Any]
StoreWork = Callable[[Store, ProgressCallback, CancelCheck], Any]

PROGRESS_INTERVAL = 0.05    # seconds between two progress reports; more would flood the GUI
SHUTDOWN_WAIT_MS = 5000     # how long quitting waits for cancelled tasks to stop


class Pool(Protocol):
    def start(self, runnable: QRunnable) -> None: ...


class SyncPool:
    """Runs each task at once on the calling thread: deterministic tests, no waiting."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


def with_store(path: str | Path, fn: StoreWork, *, readonly: bool = False) -> Work:
    """Work that opens its own connection to the project at `path` and closes it after."""
    def work(progress: ProgressCallback, cancel: CancelCheck) -> Any:
        with Store.open(path, readonly=readonly) as store:
            return fn(store, progress, cancel)
    return work


class TaskSignals(QObject):
    """Emitted from the pool thread; received on the GUI thread (queued connections)."""
    progress = Signal(object)       # Progress
    finished = Signal(object)       # what the work returned
    failed = Signal(str)            # one line for the annotator
    cancelled = Signal()            # the work raised Cancelled


class Task(QRunnable):
    """Runs `fn(progress, cancel)` once; never lets an exception escape into Qt."""

    def __init__(self, fn: Work, *, cancel_event: threading.Event | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)   # Python owns it: the handle keeps it until it ends
        self.fn = fn
        self.signals = TaskSignals()
        self.cancel_event = cancel_event or threading.Event()
        self._last_report = 0.0

    def run(self) -> None:
        try:
            result = self.fn(self._report, self.cancel_event.is_set)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except NewsmarkError as exc:
            self._emit(self.signals.failed, str(exc))
        except BaseException as exc:  # noqa: BLE001 (reported; the handle always ends)
            log.exception("task failed")
            self._emit(self.signals.failed, one_line(exc))
        else:
            self._emit(self.signals.finished, result)

    def _report(self, progress: Progress) -> None:
        moment = time.monotonic()
        last = progress.total is not None and progress.done >= progress.total
        if last or moment - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = moment
            self._emit(self.signals.progress, progress)

    @staticmethod
    def _emit(signal, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:    # the application is gone (quit while we ran): nobody listens
            log.info("a task ended after the application quit")


class TaskHandle(QObject):
    """The GUI thread's side of one task: its outcome as signals, and `cancel()`."""
    progress = Signal(object)       # Progress
    finished = Signal(object)       # result
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()                # after any of finished, failed, cancelled

    def __init__(self, task: Task, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.task = task
        self.running = True
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        task.signals.failed.connect(self._on_failed)
        task.signals.cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        """Ask the work to stop at its next check; what it committed stays."""
        self.task.cancel_event.set()

    @property
    def cancel_requested(self) -> bool:
        return self.task.cancel_event.is_set()

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self.running:
            self.progress.emit(progress)

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        self.result = result
        self._end(self.finished, result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.error = message
        self._end(self.failed, message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.was_cancelled = True
        self._end(self.cancelled)

    def _end(self, signal, *args: object) -> None:
        self.running = False
        signal.emit(*args)
        self.ended.emit()


class TaskRunner(QObject):
    """Starts tasks on a pool and keeps each alive until its outcome has been delivered."""

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool if pool is not None else QThreadPool.globalInstance()
        self.handles: set[TaskHandle] = set()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def start(self, fn: Work, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[Progress], None] | None = None, *,
              on_cancelled: Callable[[], None] | None = None) -> TaskHandle:
        """Run `fn(progress, cancel)` on the pool; callbacks run on the GUI thread."""
        handle = TaskHandle(Task(fn))
        for signal, callback in ((handle.finished, on_done), (handle.failed, on_error),
                                 (handle.progress, on_progress),
                                 (handle.cancelled, on_cancelled)):
            if callback is not None:
                signal.connect(callback)
        handle.ended.connect(lambda: self._forget(handle))
        self.handles.add(handle)
        self.pool.start(handle.task)
        return handle

    @property
    def busy(self) -> bool:
        return bool(self.handles)

    def cancel_all(self) -> None:
        """Ask every running task to stop; their outcomes still arrive."""
        for handle in list(self.handles):
            handle.cancel()

    @Slot()
    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """On quit: cancel what runs and wait for it, so no task outlives the application."""
        self.cancel_all()
        wait = getattr(self.pool, "waitForDone", None)
        return True if wait is None else bool(wait(timeout_ms))

    def _forget(self, handle: TaskHandle) -> None:
        self.handles.discard(handle)    # the caller may keep it to read result/error


_shared: TaskRunner | None = None


def shared_runner() -> TaskRunner:
    """The application's runner on QThreadPool.globalInstance(), made on first use."""
    global _shared  # noqa: PLW0603 (one per process, like the pool it wraps)
    if _shared is None:
        _shared = TaskRunner()
    return _shared
