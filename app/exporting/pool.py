"""Exporting on every core: worker processes convert chunks, this process reads and writes.

The exporting process reads the store, packs each batch of articles into plain data and
hands it to a worker; each worker has its own Converter, with its own spaCy pipeline made
in the worker. Results are taken back in order, with at most `AHEAD` chunks per worker in
flight, so memory stays bounded whatever the export's size, and the sink writes in article
order: the output is the same bytes as converting in this process. Cancel is asked before
every chunk is handed out and before every result is taken; a chunk under way when the
export stops is finished and dropped (shutting down waits for it, at most one chunk a
worker).

Start-up costs ~0.2 s (fork, spacy.blank and a cold tokenizer cache in each worker), so
exports of fewer than `MIN_ARTICLES` articles, formats without a Converter and one-core
machines convert in this process. On an idle 2-core machine two workers win from a few
hundred articles on (400: 0.38 s against 0.44 s for prodigy, 0.32 s against 0.41 s for
spacy; 10,000: ~1.6x faster). They use ~15% more CPU in all (each worker warms its own
tokenizer cache), so while another program keeps the other core busy they can be slower
than one process.

How workers start (fork, fork server or spawn): app/cores.py.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

from app import cores
from app.cores import cpus, in_order
from app.exporting.common import Converter, Exporter, Options, batched, load
from app.progress import CancelCheck, Cancelled

MIN_ARTICLES = 200          # fewer: convert in this process
MAX_WORKERS = 4             # past ~4, reading the store in this process is the bottleneck
AHEAD = 2                   # chunks in flight per worker
MIN_CHUNK = 32


def workers_for(exporter: Exporter, articles: int) -> int:
    """How many worker processes an export of `articles` articles should use; 0: none."""
    if exporter.converter is None or articles < MIN_ARTICLES:
        return 0
    n = min(cpus(), MAX_WORKERS)
    return n if n >= 2 else 0


def chunk_size(exporter: Exporter, articles: int) -> int:
    """The exporter's batch, smaller when that would leave workers idle; the same with or
    without workers (the chunks shape a DocBin's deflated bytes: same input, same file)."""
    return min(exporter.batch_size, max(MIN_CHUNK, articles // (MAX_WORKERS * 4)))


def context() -> BaseContext:
    return cores.context(["app.exporting.pool", "app.tokens"])


class Converting:
    """Batches of an export to converted items, in order: in this process or in workers.

        with Converting(exporter, articles) as converting:
            for count, items in converting.map(exporter.read(ids), cancel):
                ...
    """

    def __init__(self, exporter: Exporter, articles: int, *,
                 workers: int | None = None) -> None:
        self.exporter = exporter
        self.workers = workers_for(exporter, articles) if workers is None else workers
        self.size = chunk_size(exporter, articles)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Converting:
        if self.workers:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context(), initializer=_start,
                initargs=(self.exporter.converter, self.exporter.job.options))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, annotations: Iterable[Any], cancel: CancelCheck) -> Iterator[tuple[int, Any]]:
        """(articles, items) per batch, in order; Cancelled between batches when asked."""
        if self._pool is None:
            for batch in batched(annotations, self.size):
                if cancel():
                    raise Cancelled
                yield len(batch), self.exporter.convert(batch)
            return
        jobs = ((len(batch), self.exporter.pack(batch))
                for batch in batched(annotations, self.size))
        for count, (items, problems) in in_order(self._pool, _convert, jobs,
                                                  ahead=AHEAD * self.workers, cancel=cancel):
            self.exporter.job.problems += problems
            yield count, items


# --- in the worker -----------------------------------------------------------------------

_converter: Callable[[Any], tuple[Any, list[str]]] | None = None


def _start(converter: str, options: Options) -> None:
    """Worker start: drop any pipeline inherited by fork, make this worker's converter."""
    global _converter
    from app.tokens import forget_pipelines
    forget_pipelines()
    made: Converter = load(converter)(options)
    _converter = made


def _convert(packed: Any) -> tuple[Any, list[str]]:
    assert _converter is not None, "worker started without its converter"
    return _converter(packed)
