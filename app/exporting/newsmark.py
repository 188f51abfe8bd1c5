"""Newsmark's own lossless JSONL: one article a line with every decision on it.

Accepted and rejected spans always (a rejection is a decision), suggestions when asked.
Span `id` is the span's index in the record, spans ordered by start, end descending, then
store id; relations name spans by index. app/importing reads it back unchanged, so an
import -> export -> import -> export round trip is byte-identical.
"""
from __future__ import annotations

from collections.abc import Iterator

import orjson

from app.exporting.common import Exporter
from models.domain import ArticleId, State

VERSION = 1
_LINE = orjson.OPT_APPEND_NEWLINE


class NewsmarkExporter(Exporter):
    batch_size = 500

    def states(self) -> tuple[State, ...]:
        return self.job.states(rejected=True)

    def read(self, article_ids: list[ArticleId] | None) -> Iterator[dict]:
        opts = self.job.options
        return self.job.store.iter_annotation_dicts(
            status=opts.status, annotator=opts.annotator, states=self.states(),
            article_ids=article_ids, batch=self.batch_size)

    def convert(self, batch: list[dict]) -> list[bytes]:
        return [orjson.dumps({"newsmark": VERSION} | record, option=_LINE) for record in batch]
