"""Suggesting on every core: worker processes run the suggester, this process stores.

A suggester that can travel (`base.travels`: it is made again in each worker from the
arguments it was made with) runs in worker processes over chunks of texts; this process
reads the texts, hands chunks out, takes the suggestions back in order and stores them,
so storage overlaps the model's work instead of adding to it. At most `AHEAD` chunks per
worker are in flight: memory stays bounded whatever the corpus. Cancel is asked before
every chunk is handed out and before every result is taken.

Fewer than `MIN_ARTICLES` articles, one core, or a suggester that cannot travel: the
suggester runs in this process, chunk after chunk, the same way.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from app.cores import context, cpus, in_order
from app.progress import CancelCheck, Cancelled
from app.suggest.base import Suggester, Suggestions, travels

MIN_ARTICLES = 200
MAX_WORKERS = 4
AHEAD = 2


def workers_for(suggester: Suggester, articles: int) -> int:
    if not travels(suggester) or articles < MIN_ARTICLES:
        return 0
    n = min(cpus(), MAX_WORKERS)
    return n if n >= 2 else 0


class Suggesting:
    """Chunks of texts to their suggestions, in order, here or in worker processes.

        with Suggesting(suggester, len(ids)) as suggesting:
            for chunk, suggestions in suggesting.map(chunks, cancel):
                ...
    """

    def __init__(self, suggester: Suggester, articles: int, *,
                 workers: int | None = None) -> None:
        self.suggester = suggester
        self.workers = workers_for(suggester, articles) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Suggesting:
        if self.workers:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context(["app.suggest.pool"]), initializer=_start,
                initargs=(self.suggester,))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, chunks: Iterable[list[tuple[Any, str]]], cancel: CancelCheck
            ) -> Iterator[tuple[list[tuple[Any, str]], list[Suggestions]]]:
        """(chunk, one Suggestions per text) for each chunk of (key, text); Cancelled
        between chunks when asked."""
        if self._pool is None:
            for chunk in chunks:
                if cancel():
                    raise Cancelled
                yield chunk, list(self.suggester.suggest(t for _, t in chunk))
            return
        jobs = ((chunk, [t for _, t in chunk]) for chunk in chunks)
        yield from in_order(self._pool, _suggest, jobs, ahead=AHEAD * self.workers,
                            cancel=cancel)


# --- in the worker -----------------------------------------------------------------------

_suggester: Suggester | None = None


def _start(suggester: Suggester) -> None:
    """Worker start: the suggester arrives made again from its arguments (base.Rebuilt)."""
    global _suggester
    from app.tokens import forget_pipelines
    forget_pipelines()
    _suggester = suggester


def _suggest(texts: list[str]) -> list[Suggestions]:
    assert _suggester is not None, "worker started without its suggester"
    return list(_suggester.suggest(texts))
