"""Prodigy JSONL (ner_manual, relations): tokens, spans with INCLUSIVE token_end, relations.

One "accept" record per article with its accepted spans (and suggestions when asked); with
include_rejected, one "reject" record per rejected span. Spans off token boundaries are
left out of the record and reported. `_input_hash` identifies the text, `_task_hash` the
text with its spans and relations: stable signed 32-bit ints (CRC-32), not Prodigy's own
murmurhash values, which nothing here needs to match.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator

import numpy
import orjson

from app.exporting.common import Converter, Exporter, Options, span_problem
from app.exporting.tokenjson import token_jsons
from models.domain import ArticleId, SpanId, State

NOT_ALIGNED = "not on token boundaries"

SpanRows = tuple[tuple, list[tuple], list[tuple]]       # of Store.iter_span_rows
# text, meta (uid first), spans (id, start, end, label, rejected), relations (head, child, label)
Packed = tuple[str, dict, list[tuple[SpanId, int, int, str, bool]],
               list[tuple[SpanId, SpanId, str]]]


def hash32(data: bytes) -> int:
    """A stable signed 32-bit hash (Python's hash() changes between runs)."""
    value = zlib.crc32(data)
    return value - (1 << 32) if value >= 1 << 31 else value


class ProdigyExporter(Exporter):
    batch_size = 256
    converter = "app.exporting.prodigy:ProdigyConverter"

    def states(self) -> tuple[State, ...]:
        return self.job.states(rejected=self.job.options.include_rejected)

    def read(self, article_ids: list[ArticleId] | None) -> Iterator[SpanRows]:
        opts = self.job.options
        return self.job.store.iter_span_rows(status=opts.status, annotator=opts.annotator,
                                             states=self.states(), article_ids=article_ids)

    def pack(self, batch: list[SpanRows]) -> list[Packed]:
        rejected = str(State.REJECTED)
        return [(article[3], _meta(article),
                 [(i, start, end, label, state == rejected)
                  for i, start, end, label, state in spans], relations)
                for article, spans, relations in batch]


class ProdigyConverter(Converter):
    """Tokenizes and writes the records; spaCy is imported here, where the converting
    happens, so a process that only reads and writes (workers convert) never loads it.
    The tokens' JSON is made for the whole chunk at once (app/exporting/tokenjson.py)."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        from spacy.attrs import IDX, LENGTH, SPACY  # noqa: PLC0415

        from app import tokens  # noqa: PLC0415
        self.tokens = tokens
        self.columns = [IDX, LENGTH, SPACY]

    def __call__(self, packed: list[Packed]) -> tuple[list[bytes], list[str]]:
        lines: list[bytes] = []
        problems: list[str] = []
        texts = [p[0] for p in packed]
        tables = [doc.to_array(self.columns).reshape(-1, 3)
                  for doc in self.tokens.tokenize(texts, batch_size=len(packed) or 1)]
        for article, table, tokens in zip(packed, tables, token_jsons(texts, tables)):
            lines += self._records(article, table, orjson.Fragment(tokens), problems)
        return lines, problems

    def _records(self, article: Packed, table: numpy.ndarray, tokens: orjson.Fragment,
                 problems: list[str]) -> list[bytes]:
        """The article's records, from its tokens (IDX, LENGTH, SPACY) and their JSON."""
        text, meta, spans, relations = article
        uid = meta["uid"]
        shared = {"text": text, "meta": meta, "_input_hash": hash32(text.encode("utf-8"))}
        starts = table[:, 0].astype(numpy.int64)
        aligned = self.tokens.align_all(starts, starts + table[:, 1].astype(numpy.int64),
                                        [s[1] for s in spans], [s[2] for s in spans])
        accepted: dict[SpanId, dict] = {}
        rejected: list[dict] = []
        for (span_id, start, end, label, is_rejected), found in zip(spans, aligned):
            if found is None:
                problems.append(span_problem(uid, text, start, end, label, NOT_ALIGNED))
                continue
            record = {"start": start, "end": end, "token_start": found[0],
                      "token_end": found[1], "label": label}
            if is_rejected:
                rejected.append(record)
            else:
                accepted[span_id] = record
        records = [_record(shared, tokens, list(accepted.values()),
                           _relations(article, accepted, problems), "accept")]
        return records + [_record(shared, tokens, [d], [], "reject") for d in rejected]


def _relations(article: Packed, spans: dict[SpanId, dict], problems: list[str]) -> list[dict]:
    """Relations between spans of the record; `head`/`child` are their LAST token ids."""
    text, meta, all_spans, relations = article
    out = []
    by_id = {s[0]: s for s in all_spans}
    for head_id, child_id, label in relations:
        head, child = spans.get(head_id), spans.get(child_id)
        if head is not None and child is not None:
            out.append({"head": head["token_end"], "child": child["token_end"],
                        "head_span": head, "child_span": child, "label": label})
        elif not (by_id[head_id][4] or by_id[child_id][4]):     # neither is rejected
            _, h_start, h_end, h_label, _ = by_id[head_id]
            _, c_start, c_end, c_label, _ = by_id[child_id]
            problems.append(span_problem(
                meta["uid"], text, h_start, h_end, h_label, f"its {label} relation to "
                f"{c_start}-{c_end} {c_label} left out: a span is not on token boundaries"))
    return out


def _meta(article: tuple) -> dict:
    """uid, title, source, url, author, published: those that are set."""
    _, uid, title, _, source, url, author, published = article
    meta = {"uid": uid, "title": title, "source": source, "url": url, "author": author,
            "published": published}
    return {k: v for k, v in meta.items() if v is not None and v != ""}


def _record(shared: dict, tokens: orjson.Fragment, spans: list[dict], relations: list[dict],
            answer: str) -> bytes:
    task = hash32(orjson.dumps([shared["_input_hash"], spans, relations]))
    return orjson.dumps(shared | {"_task_hash": task, "tokens": tokens, "spans": spans,
                                  "relations": relations, "answer": answer,
                                  "_view_id": "relations" if relations else "ner_manual"},
                        option=orjson.OPT_APPEND_NEWLINE)
