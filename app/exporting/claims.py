"""Claims JSONL: one record per claim-layer span, with its sentence, claimant, cue and hedges.

    {"article_uid", "article_title", "claim": {text, start, end}, "sentence": {text, start, end},
     "claimant": {"kind": "entity", text, start, end, label} | {"kind": "author"|"unnamed", text}
                 | null,
     "cue": {text, start, end, label} | null, "hedges": [{text, start, end, label}],
     "attributes": {every attribute of the schema: its value, else its default}, "annotator"}

The sentence is the one holding the claim's start (spaCy's rule-based sentencizer). The
claimant is the entity a "claimant" relation points to; without one, claimant_kind "author"
or "unnamed" with claimant_text (for "author", the article's author when no text is given).
"""
from __future__ import annotations

from bisect import bisect_right

import orjson

from app.exporting.common import Exporter, Job
from app.tokens import sentencizer_for
from models.domain import Annotation, Layer, RelationLabel, Span

_LINE = orjson.OPT_APPEND_NEWLINE


class ClaimsExporter(Exporter):
    batch_size = 256

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.attribute_defs = job.store.schema().attributes

    def convert(self, batch: list[Annotation]) -> list[bytes]:
        with_claims = [a for a in batch if any(s.layer is Layer.CLAIM for s in a.spans)]
        docs = sentencizer_for().pipe((a.article.text for a in with_claims),
                                      batch_size=self.batch_size)
        lines: list[bytes] = []
        for annotation, doc in zip(with_claims, docs):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
            lines += [orjson.dumps(self._record(annotation, claim, sentences), option=_LINE)
                      for claim in annotation.spans if claim.layer is Layer.CLAIM]
        return lines

    def _record(self, annotation: Annotation, claim: Span,
                sentences: list[tuple[int, int]]) -> dict:
        article = annotation.article
        spans = {s.id: s for s in annotation.spans}
        linked: dict[str, list[Span]] = {}
        for rel in annotation.relations:
            if rel.head_id == claim.id:
                linked.setdefault(rel.label, []).append(spans[rel.child_id])
        values = annotation.attributes.get(claim.id, {})
        return {
            "article_uid": article.uid, "article_title": article.title,
            "claim": _piece(article.text, claim.start, claim.end),
            "sentence": _sentence(article.text, claim.start, sentences),
            "claimant": self._claimant(annotation, claim, linked, values),
            "cue": _labelled(article.text, linked.get(RelationLabel.CUE, [None])[0]),
            "hedges": [_labelled(article.text, s) for s in
                       sorted(linked.get(RelationLabel.HEDGE, []), key=lambda s: s.start)],
            "attributes": {d.name: values.get(d.name, d.default)
                           for d in self.attribute_defs},
            "annotator": claim.annotator,
        }

    def _claimant(self, annotation: Annotation, claim: Span, linked: dict[str, list[Span]],
                  values: dict[str, str]) -> dict | None:
        entities = [s for s in linked.get(RelationLabel.CLAIMANT, []) if s.layer is Layer.ENTITY]
        if entities:
            return {"kind": "entity"} | _labelled(annotation.article.text, entities[0])
        kind = values.get("claimant_kind")
        if kind == "author":
            return {"kind": kind, "text": values.get("claimant_text") or annotation.article.author}
        if kind == "unnamed":
            return {"kind": kind, "text": values.get("claimant_text")}
        if kind == "entity":
            self.job.report_span(annotation.article.uid, annotation.article.text, claim.start,
                                 claim.end, claim.label, "claimant_kind is entity but no "
                                 "claimant relation links an entity; claimant left null")
        return None


def _piece(text: str, start: int, end: int) -> dict:
    return {"text": text[start:end], "start": start, "end": end}


def _labelled(text: str, span: Span | None) -> dict | None:
    if span is None:
        return None
    return _piece(text, span.start, span.end) | {"label": span.label}


def _sentence(text: str, start: int, sentences: list[tuple[int, int]]) -> dict:
    index = max(bisect_right(sentences, (start, len(text) + 1)) - 1, 0)
    first, last = sentences[index]
    return _piece(text, first, last)

