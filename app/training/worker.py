"""The training process: `spacy train` (init_nlp + spacy.training.loop.train) with a logger
that writes each evaluation as one JSON line and stops when asked.

Runs in its own process (started by app/training/process.py), never in the GUI's.
Events, one JSON object a line, appended to `events`:

    {"event": "eval", "scores": EpochScores.to_json()}     after each evaluation
    {"event": "done"} | {"event": "stopped"} | {"event": "error", "message": "..."}

To stop, the parent creates the file `stop`; the logger sees it after the current step
and raises `Stopped`, and spaCy's loop saves model-last on the way out (model-best is
whatever the best evaluation so far saved: nothing is written half). It stops the same
way when the parent process is gone. spaCy's own messages go to `log`.
"""
from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any

import orjson

LOGGER = "newsmark.events_logger.v1"


class Stopped(Exception):
    """The parent asked the training to stop, or is gone."""


def main(job: dict[str, Any]) -> None:
    """The process's entry: job = {config, output_dir, events, stop, log, claims}."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    with open(job["log"], "a", encoding="utf-8", buffering=1) as log, \
            open(job["events"], "ab", buffering=0) as events:
        _redirect(log)
        emit = _emitter(events)
        try:
            _train(job, emit)
        except Stopped:
            emit({"event": "stopped"})
        except BaseException as exc:        # noqa: BLE001 - reported, then the exit code
            traceback.print_exc(file=log)
            emit({"event": "error", "message": _one_line(exc)})
            raise SystemExit(1) from None
        else:
            emit({"event": "done"})


def _train(job: dict[str, Any], emit) -> None:
    from spacy import util
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train
    _register(emit)
    config = util.load_config(job["config"], interpolate=False)
    config["training"]["logger"] = {"@loggers": LOGGER, "stop": job["stop"],
                                    "claims": job["claims"]}
    nlp = init_nlp(config, use_gpu=-1)
    if os.path.exists(job["stop"]):
        raise Stopped
    train(nlp, Path(job["output_dir"]), use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)


def _register(emit) -> None:
    import spacy
    from app.training.scores import from_info

    @spacy.registry.loggers(LOGGER)
    def events_logger(stop: str, claims: bool):
        def setup(nlp, stdout: IO, stderr: IO):
            started = time.perf_counter()

            def log_step(info: dict[str, Any] | None) -> None:
                if info is not None:
                    scores = from_info(info, claims=claims,
                                       seconds=time.perf_counter() - started)
                    emit({"event": "eval", "scores": scores.to_json()})
                if os.path.exists(stop) or not _parent_alive():
                    raise Stopped

            return log_step, lambda: None
        return setup


def _emitter(events: IO[bytes]):
    def emit(event: dict[str, Any]) -> None:
        events.write(orjson.dumps(event) + b"\n")     # one write: a whole line or nothing
    return emit


def _parent_alive() -> bool:
    import multiprocessing
    parent = multiprocessing.parent_process()
    return parent is None or parent.is_alive()


def _redirect(log: IO[str]) -> None:
    """spaCy's printing and logging, and anything written to fds 1 and 2, into the log."""
    sys.stdout = sys.stderr = log
    for fd in (1, 2):
        try:
            os.dup2(log.fileno(), fd)
        except OSError:
            pass


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
