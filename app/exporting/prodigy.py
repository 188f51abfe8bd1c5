"""Prodigy JSONL (ner_manual, relations): tokens, spans with INCLUSIVE token_end, relations.

One "accept" record per article with its accepted spans (and suggestions when asked); with
include_rejected, one "reject" record per rejected span. Spans off token boundaries are
left out of the record and reported. `_input_hash` identifies the text, `_task_hash` the
text with its spans and relations: stable signed 32-bit ints (CRC-32), not Prodigy's own
murmurhash values, which nothing here needs to match.
"""
from __future__ import annotations

import zlib

import orjson

from app.exporting.common import Exporter
from app.tokens import Bounds, align, token_bounds, token_dicts, tokenize
from models.domain import Annotation, Span, SpanId, State

NOT_ALIGNED = "not on token boundaries"


def hash32(data: bytes) -> int:
    """A stable signed 32-bit hash (Python's hash() changes between runs)."""
    value = zlib.crc32(data)
    return value - (1 << 32) if value >= 1 << 31 else value


class ProdigyExporter(Exporter):
    batch_size = 256

    def states(self) -> tuple[State, ...]:
        return self.job.states(rejected=self.job.options.include_rejected)

    def convert(self, batch: list[Annotation]) -> list[bytes]:
        lines: list[bytes] = []
        texts = [a.article.text for a in batch]
        for annotation, doc in zip(batch, tokenize(texts, batch_size=self.batch_size)):
            lines += self._records(annotation, token_bounds(doc))
        return lines

    def _records(self, annotation: Annotation, bounds: Bounds) -> list[bytes]:
        text = annotation.article.text
        shared = {"text": text, "meta": _meta(annotation),
                  "_input_hash": hash32(text.encode("utf-8"))}
        tokens = orjson.Fragment(orjson.dumps(token_dicts(bounds, text)))
        accepted: dict[SpanId, dict] = {}
        rejected: list[dict] = []
        for span in annotation.spans:
            found = self._span(span, bounds, annotation.article.uid, text)
            if found is None:
                continue
            if span.state is State.REJECTED:
                rejected.append(found)
            else:
                accepted[span.id] = found
        records = [_record(shared, tokens, list(accepted.values()),
                           self._relations(annotation, accepted), "accept")]
        return records + [_record(shared, tokens, [d], [], "reject") for d in rejected]

    def _relations(self, annotation: Annotation, spans: dict[SpanId, dict]) -> list[dict]:
        """Relations between spans of the record; `head`/`child` are their LAST token ids."""
        out = []
        by_id = {s.id: s for s in annotation.spans}
        for rel in annotation.relations:
            head, child = spans.get(rel.head_id), spans.get(rel.child_id)
            if head is not None and child is not None:
                out.append({"head": head["token_end"], "child": child["token_end"],
                            "head_span": head, "child_span": child, "label": rel.label})
            elif State.REJECTED not in (by_id[rel.head_id].state, by_id[rel.child_id].state):
                h, c = by_id[rel.head_id], by_id[rel.child_id]
                self.job.report_span(annotation.article.uid, annotation.article.text, h.start,
                                     h.end, h.label, f"its {rel.label} relation to {c.start}-"
                                     f"{c.end} {c.label} left out: a span is not on token "
                                     "boundaries")
        return out

    def _span(self, span: Span, bounds: Bounds, uid: str, text: str) -> dict | None:
        found = align(bounds, span.start, span.end)
        if found is None:
            self.job.report_span(uid, text, span.start, span.end, span.label, NOT_ALIGNED)
            return None
        return {"start": span.start, "end": span.end, "token_start": found[0],
                "token_end": found[1], "label": span.label}


def _meta(annotation: Annotation) -> dict:
    a = annotation.article
    meta = {"uid": a.uid, "title": a.title, "source": a.source, "url": a.url,
            "author": a.author, "published": a.published}
    return {k: v for k, v in meta.items() if v is not None and v != ""}


def _record(shared: dict, tokens: orjson.Fragment, spans: list[dict], relations: list[dict],
            answer: str) -> bytes:
    task = hash32(orjson.dumps([shared["_input_hash"], spans, relations]))
    return orjson.dumps(shared | {"_task_hash": task, "tokens": tokens, "spans": spans,
                                  "relations": relations, "answer": answer,
                                  "_view_id": "relations" if relations else "ner_manual"},
                        option=orjson.OPT_APPEND_NEWLINE)
