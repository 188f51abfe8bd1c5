"""What every export format shares: options, the exporter contract, files written atomically.

An exporter reads articles from the store, turns each batch into output items (JSONL lines,
a chunk of a DocBin) and hands them to a sink. Formats whose conversion is the expensive part
(tokenizing) name a `Converter`: the exporter packs each batch into plain data and the
converter turns that into items, in this process or in a worker (app/exporting/pool.py).
A sink writes to a hidden temporary file beside its target; the service renames every
temporary file onto its target only when the whole export succeeded, so a cancelled or
failed export never leaves a half file behind.
"""
from __future__ import annotations

import importlib
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
    scheme: str = "iob2"            # conll: iob2 or bilou


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


class Converter:
    """Packed batches to output items, with no store: in the exporting process or a worker.

    `__call__(packed)` returns (items, problems): the items for the sink (`len(items)` is
    the number of records) and the problem lines, in article order. A converter makes its
    own tokenizer pipeline (app.tokens), so each worker process has its own.
    """

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, packed: Any) -> tuple[Any, list[str]]:
        raise NotImplementedError


def load(path: str) -> Any:
    """The object named by "module:Name"."""
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


class Exporter:
    """A format: how to read, how to turn a batch into items, where items go.

    Subclasses implement `convert`, or name a `converter` ("module:Class" of a Converter)
    and implement `pack`; most keep the rest. (Name and suffix: service.REGISTRY.)
    With a converter, large exports convert in worker processes (app/exporting/pool.py).
    """
    batch_size = 256
    converter: str | None = None

    def __init__(self, job: Job) -> None:
        self.job = job
        self._converter: Converter | None = None

    def states(self) -> tuple[State, ...]:
        return self.job.states()

    def read(self, article_ids: list[ArticleId] | None) -> Iterator[Any]:
        opts = self.job.options
        return self.job.store.iter_annotations(status=opts.status, annotator=opts.annotator,
                                               states=self.states(), article_ids=article_ids)

    def pack(self, batch: list[Annotation]) -> Any:
        """A batch as plain, picklable data for the converter."""
        raise NotImplementedError

    def convert(self, batch: list[Annotation]) -> Any:
        """Items of a batch, converted in this process."""
        if self.converter is None:
            raise NotImplementedError
        if self._converter is None:
            self._converter = load(self.converter)(self.job.options)
        items, problems = self._converter(self.pack(batch))
        self.job.problems += problems
        return items

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
