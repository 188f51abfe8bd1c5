"""Tasks run off the GUI thread, report back on it, cancel, and fail in one line."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import Qt, QThread, QThreadPool, QTimer

from app.progress import Cancelled, Progress
from models.domain import ArticleRecord
from models.errors import SaveFailed
from ui.progress_dialog import TaskProgressDialog
from ui.workers import SyncPool, TaskRunner, with_store


@pytest.fixture
def pool():
    pool = QThreadPool()
    yield pool
    pool.waitForDone(5000)


@pytest.fixture
def runner(qapp, pool):
    return TaskRunner(pool=pool)


@pytest.fixture
def sync_runner(qapp):
    return TaskRunner(pool=SyncPool())


def test_workers_run_off_the_gui_thread_and_report_on_it(qtbot, runner):
    seen = {}
    progress_threads, done_threads = [], []

    def work(progress, cancel):
        seen["thread"] = QThread.currentThread()
        progress(Progress(1, 2, "half"))
        progress(Progress(2, 2, "all"))
        return 42

    with qtbot.waitSignal(runner.start(work).finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen["thread"] is not QThread.currentThread()

    handle = runner.start(work, on_done=lambda r: done_threads.append(QThread.currentThread()),
                          on_progress=lambda p: progress_threads.append((p, QThread.currentThread())))
    qtbot.waitUntil(lambda: not handle.running, timeout=5000)
    gui = QThread.currentThread()
    assert done_threads == [gui]
    assert [p.message for p, _ in progress_threads][-1] == "all"
    assert all(t is gui for _, t in progress_threads)
    assert handle.result == 42 and not runner.busy


def test_workers_sync_pool_runs_at_once(sync_runner):
    events = []
    handle = sync_runner.start(lambda progress, cancel: progress(Progress(3, 3)) or "done",
                               on_done=events.append, on_progress=events.append)
    assert events == [Progress(3, 3), "done"]
    assert not handle.running and handle.result == "done"


def test_workers_cancel_stops_the_work_at_its_next_check(qtbot, runner):
    started, release = threading.Event(), threading.Event()
    checks = []

    def work(progress, cancel):
        started.set()
        release.wait(5)
        for n in range(1000):
            checks.append(n)
            if cancel():
                raise Cancelled
            time.sleep(0.001)
        return "finished anyway"

    cancelled, done = [], []
    handle = runner.start(work, on_done=done.append, on_cancelled=lambda: cancelled.append(1))
    assert started.wait(5)
    handle.cancel()
    release.set()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert cancelled == [1] and done == [] and handle.was_cancelled
    assert len(checks) == 1


def test_workers_newsmark_error_fails_with_its_own_line(sync_runner):
    errors = []

    def work(progress, cancel):
        raise SaveFailed("p.nmk", reason="disk full")

    handle = sync_runner.start(work, on_error=errors.append)
    assert errors == [str(SaveFailed("p.nmk", reason="disk full"))]
    assert errors[0].startswith("error E007: could not save to p.nmk: disk full")
    assert handle.error == errors[0]


def test_workers_other_errors_are_internal_and_logged(qtbot, runner, caplog):
    def work(progress, cancel):
        return 1 / 0

    with caplog.at_level(logging.ERROR, logger="ui.workers"):
        with qtbot.waitSignal(runner.start(work).failed, timeout=5000) as blocker:
            pass
    line = blocker.args[0]
    assert line.startswith("internal error: ZeroDivisionError: division by zero")
    assert "\n" not in line
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text


def test_workers_with_store_opens_its_own_connection(qtbot, runner, store, project_path):
    connections = []

    def work(worker_store, progress, cancel):
        connections.append(worker_store.conn)
        worker_store.insert_articles([ArticleRecord(text="from the worker")], annotator="w")
        return len(worker_store.article_ids())

    with qtbot.waitSignal(runner.start(with_store(project_path, work)).finished,
                          timeout=5000) as blocker:
        pass
    assert blocker.args == [1]
    assert connections[0] is not store.conn
    assert len(store.article_ids()) == 1          # the GUI's connection sees the commit


def test_workers_progress_dialog_shows_late_and_cancels(qtbot, runner):
    release = threading.Event()

    def work(progress, cancel):
        progress(Progress(250, 1000, "a quarter"))
        while not cancel():
            if release.wait(0.01):
                return "done"
        raise Cancelled

    handle = runner.start(work)
    dialog = TaskProgressDialog(handle, None, delay_ms=100)
    qtbot.addWidget(dialog)
    assert not dialog.isVisible()                  # not before the delay
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: dialog.determinate, timeout=3000)
    assert dialog.progress_bar.value() == 250 and dialog.labelText() == "a quarter"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert handle.cancel_requested and not dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        pass
    assert not dialog.isVisible()


def test_workers_progress_dialog_never_shows_for_quick_work(qtbot, sync_runner):
    handle = sync_runner.start(lambda progress, cancel: None)
    dialog = TaskProgressDialog(handle, None, delay_ms=10)
    qtbot.addWidget(dialog)
    qtbot.wait(50)
    assert not dialog.isVisible()
    # QProgressDialog shows itself minimumDuration (4 s) after construction unless its
    # timer is stopped: no timer of the dialog may be left to show it later.
    assert [t for t in dialog.findChildren(QTimer) if t.isActive()] == []



def test_workers_shutdown_cancels_and_waits_for_running_tasks(qtbot, runner):
    stopped = threading.Event()

    def work(progress, cancel):
        while not cancel():
            time.sleep(0.001)
        stopped.set()
        raise Cancelled

    handle = runner.start(work)
    assert runner.busy
    assert runner.shutdown(timeout_ms=5000)
    assert handle.cancel_requested and stopped.is_set()
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        pass
    assert not runner.busy


def test_workers_shutdown_with_a_sync_pool_has_nothing_to_wait_for(sync_runner):
    assert sync_runner.shutdown()
