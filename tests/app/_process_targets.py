"""Functions run_in_process calls in a spawned child (importable by name there)."""
from __future__ import annotations

import os
import time

from app.progress import Progress
from models import errors


def count(job, *, progress, cancel):
    for n in range(job["n"]):
        progress(Progress(n + 1, job["n"], f"step {n + 1}"))
    return {"pid": os.getpid(), "sum": sum(range(job["n"]))}


def refuse(job, *, progress, cancel):
    raise errors.ExportError("out.jsonl: the folder does not exist")


def crash(job, *, progress, cancel):
    raise ZeroDivisionError("division by zero in the child")


def until_cancelled(job, *, progress, cancel):
    started = time.monotonic()
    while not cancel():
        if time.monotonic() - started > 30:
            return "never cancelled"
        time.sleep(0.01)
    return "stopped"


def die(job, *, progress, cancel):
    os._exit(3)


def grandchild(job, *, progress, cancel):
    """A task that starts a process of its own, as training does."""
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=os.getpid)
    child.start()
    child.join()
    return child.exitcode


def note_pid_then_wait(job, *, progress, cancel):
    """Writes its pid to job["pid_file"], then waits to be cancelled."""
    with open(job["pid_file"], "w") as f:
        f.write(str(os.getpid()))
    return until_cancelled(job, progress=progress, cancel=cancel)
