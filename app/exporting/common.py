"""What every export format shares: options, the exporter contract, files written atomically.

An exporter reads articles from the store, turns each batch into output items (JSONL lines,
spaCy Docs) and hands them to a sink. A sink writes to a hidden temporary file beside its
target; the service renames every temporary file onto its target only when the whole
export succeeded, so a cancelled or failed export never leaves a half file behind.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from models.domain import Annotation, ArticleId, State, Status
from models.store import Store


@dataclass(frozen=True, slots=True)
class Options:
    status: tuple[Status, ...] | None = None
    annotator: str | None = None
    include_suggestions: bool = False
    include_rejected: bool = False


@dataclass(slots=True)
class Job:
    """One export run: where it reads from, what was asked, what went wrong so far."""
    store: Store
    options: Options = field(default_factory=Options)
    problems: list[str] = field(default_factory=list)

    def states(self, *, rejected: bool = False) -> tuple[State, ...]:
        """The span states to export: accepted, suggested if asked, rejected if `rejected`."""
        wanted = [State.ACCEPTED]
        if self.options.include_suggestions:
            wanted.append(State.SUGGESTED)
        if rejected:
            wanted.append(State.REJECTED)
        return tuple(wanted)

    def report_span(self, uid: str, text: str, start: int, end: int, label: str,
                    why: str) -> None:
        self.problems.append(span_problem(uid, text, start, end, label, why))


def span_problem(uid: str, text: str, start: int, end: int, label: str, why: str) -> str:
    """One line: `uid:start-end LABEL 'covered text': why`."""
    return f"{uid}:{start}-{end} {label} {text[start:end]!r}: {why}"


class Sink(Protocol):
    temp: Path

    def write(self, items: list) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class Exporter:
    """A format: how to read, how to turn a batch into items, where items go.

    Subclasses implement `convert`; most keep the rest. (Name and suffix: service.REGISTRY.)
    """
    batch_size = 256

    def __init__(self, job: Job) -> None:
        self.job = job

    def states(self) -> tuple[State, ...]:
        return self.job.states()

    def read(self, article_ids: list[ArticleId] | None) -> Iterator[Any]:
        opts = self.job.options
        return self.job.store.iter_annotations(status=opts.status, annotator=opts.annotator,
                                               states=self.states(), article_ids=article_ids)

    def convert(self, batch: list[Annotation]) -> list:
        raise NotImplementedError

    def open_sink(self, path: Path) -> Sink:
        return JsonlSink(path)


def temp_path(target: Path) -> Path:
    """A hidden, unique name beside `target`: the rename onto it stays on one file system."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


class JsonlSink:
    """Lines (bytes ending in a newline) streamed to a temporary file."""

    def __init__(self, target: Path) -> None:
        self.temp = temp_path(target)
        self._file: IO[bytes] = open(self.temp, "xb", buffering=1 << 20)

    def write(self, items: list[bytes]) -> None:
        self._file.write(b"".join(items))

    def close(self) -> None:
        self._file.close()

    def abort(self) -> None:
        self._file.close()
        discard(self.temp)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def discard(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
