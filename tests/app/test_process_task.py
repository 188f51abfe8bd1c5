"""run_in_process: a task in a spawned process, with progress, cancel and errors relayed."""
from __future__ import annotations

import os
import threading

import pytest

from app.process_task import run_in_process
from models import errors

T = "tests.app._process_targets"


def test_process_task_relays_progress_and_returns_the_result():
    seen = []
    result = run_in_process(f"{T}:count", {"n": 5}, progress=seen.append)
    assert result["sum"] == 10 and result["pid"] != os.getpid()
    assert [(p.done, p.total, p.message) for p in seen] == [
        (n, 5, f"step {n}") for n in range(1, 6)]


def test_process_task_raises_the_childs_newsmark_error_as_itself():
    with pytest.raises(errors.ExportError) as caught:
        run_in_process(f"{T}:refuse", {})
    assert str(caught.value) == "error E030: out.jsonl: the folder does not exist"


def test_process_task_other_errors_become_one_line():
    with pytest.raises(errors.WorkerFailed, match="ZeroDivisionError: division by zero"):
        run_in_process(f"{T}:crash", {})


def test_process_task_a_dead_child_is_reported():
    with pytest.raises(errors.WorkerFailed, match="exit code 3"):
        run_in_process(f"{T}:die", {})


def test_process_task_cancel_reaches_the_child():
    asked = threading.Event()

    def cancel() -> bool:
        asked.set()
        return True
    assert run_in_process(f"{T}:until_cancelled", {}, cancel=cancel) == "stopped"
    assert asked.is_set()


def test_process_task_may_start_processes_of_its_own():
    assert run_in_process(f"{T}:grandchild", {}) == 0


def test_process_task_child_stops_when_its_parent_is_killed(tmp_path):
    """The window's process killed (SIGKILL, a crash): the task does not run on alone."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path
    pid_file = tmp_path / "child.pid"
    code = ("import sys; from app.process_task import run_in_process; "
            f"run_in_process('{T}:note_pid_then_wait', {{'pid_file': sys.argv[1]}})")
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen([sys.executable, "-c", code, str(pid_file)], cwd=root)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"     # a zombie has ended
    except FileNotFoundError:
        return False
