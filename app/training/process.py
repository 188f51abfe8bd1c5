"""Starting the training process, reading its events, stopping it.

The process is spawned (a fresh interpreter: safe from a GUI thread, and what frozen
builds support with multiprocessing.freeze_support), daemonic (it dies with an orderly
exit of this process), and runs app/training/worker.py `main`. Its events arrive as JSON
lines in a file that this side polls; see worker.py for the protocol.

Stopping: create the stop file, wait up to GRACE_SECONDS for the process to finish the
step it is in and save model-last, then terminate it (only if it hangs, e.g. while
initializing on a large corpus: nothing is saved yet then).
"""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from app.training import worker

POLL_SECONDS = 0.1
GRACE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class Files:
    """Where a run keeps its files inside the output folder."""
    folder: Path

    @property
    def config(self) -> Path:
        return self.folder / "config.cfg"

    @property
    def corpus(self) -> Path:
        return self.folder / "corpus"

    @property
    def events(self) -> Path:
        return self.folder / "events.jsonl"

    @property
    def log(self) -> Path:
        return self.folder / "train.log"

    @property
    def stop(self) -> Path:
        return self.folder / "stop"

    @property
    def model_best(self) -> Path:
        return self.folder / "model-best"

    @property
    def model_last(self) -> Path:
        return self.folder / "model-last"


class TrainingProcess:
    def __init__(self, files: Files, *, claims: bool) -> None:
        self.files = files
        self._offset = 0
        self._stop_asked: float | None = None
        job = {"config": str(files.config), "output_dir": str(files.folder),
               "events": str(files.events), "stop": str(files.stop), "log": str(files.log),
               "claims": claims}
        files.events.write_bytes(b"")
        files.stop.unlink(missing_ok=True)
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(target=worker.main, args=(job,), daemon=True,
                                       name="newsmark-training")

    def start(self) -> None:
        self.process.start()

    def events(self) -> Iterator[dict[str, Any]]:
        """The events written since the last call: whole lines only."""
        with open(self.files.events, "rb") as f:
            f.seek(self._offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self._offset += end
        for line in data[:end].split(b"\n"):
            if line.strip():
                yield orjson.loads(line)

    def alive(self) -> bool:
        return self.process.is_alive()

    def wait(self, seconds: float = POLL_SECONDS) -> None:
        self.process.join(seconds)

    def ask_to_stop(self) -> None:
        """Ask for a clean stop; after GRACE_SECONDS, `enforce_stop` terminates."""
        if self._stop_asked is None:
            self.files.stop.touch()
            self._stop_asked = time.monotonic()

    @property
    def stopping(self) -> bool:
        return self._stop_asked is not None

    def enforce_stop(self) -> None:
        """Terminate (then kill) a process that ignored the stop request for too long."""
        if self._stop_asked is None or time.monotonic() - self._stop_asked < GRACE_SECONDS:
            return
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)

    @property
    def exitcode(self) -> int | None:
        return self.process.exitcode

    def close(self) -> None:
        self.kill()
        self.process.close()
        self.files.stop.unlink(missing_ok=True)
