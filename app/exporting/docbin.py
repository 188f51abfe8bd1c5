"""spaCy training data: a DocBin (.spacy) of the project tokenizer's Docs.

- Entity-layer spans become doc.ents. Every exported article counts as fully annotated:
  tokens outside its entities are "O" (outside), not missing (`doc.ents = ents`, whose
  default is outside). So export finished articles (status=done) to train a recognizer.
  doc.ents cannot overlap: spacy.util.filter_spans keeps the longest, the rest are reported.
  Entities that start or end with whitespace are reported and left out (`spacy debug data`
  rejects them), and so are spans off token boundaries (spaCy would drop them, W030).
- Claim-layer spans go to doc.spans["claims"], cue-layer spans (CUE, HEDGE) to
  doc.spans["cues"]: span groups may overlap. Train spancat with spans_key "claims".
- Docs follow article id order, as in every format. Relations and attributes are not
  carried (nor the uid: DocBin's user_data costs ~3 ms a doc): use newsmark or claims.

A DocBin is written at the end in one piece, so it holds the export in memory: it keeps
only what is annotated (ORTH, ENT_IOB, ENT_TYPE: 24 bytes a token; spaCy's default twelve
attributes would take 96).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import srsly
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from app.exporting.common import Exporter, discard, temp_path
from app.tokens import tokenize
from models.domain import Annotation, Layer, Span

SPAN_KEYS = {Layer.CLAIM: "claims", Layer.CUE: "cues"}
ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE"]


@contextlib.contextmanager
def _msgpack_encoders_looked_up_once() -> Iterator[None]:
    """DocBin.add serialises each doc's span groups with srsly, which looks its msgpack
    encoders up every time, scanning every installed package's entry points and catalogue's
    whole registry (~0.5 ms a call, three calls a doc). Look them up once for the batch."""
    registry = srsly.msgpack_encoders
    found = registry.get_all()
    registry.get_all = lambda: dict(found)      # shadows the method on this one object
    try:
        yield
    finally:
        del registry.get_all


class DocBinSink:
    def __init__(self, target: Path) -> None:
        self.temp = temp_path(target)
        self._docs: DocBin | None = DocBin(attrs=ATTRS)

    def write(self, items: list[Doc]) -> None:
        with _msgpack_encoders_looked_up_once():
            for doc in items:
                self._docs.add(doc)

    def close(self) -> None:
        data = self._docs.to_bytes()
        self._docs = None
        with open(self.temp, "xb") as f:
            f.write(data)

    def abort(self) -> None:
        self._docs = None
        discard(self.temp)


class DocBinExporter(Exporter):
    batch_size = 256

    def convert(self, batch: list[Annotation]) -> list[Doc]:
        docs = list(tokenize([a.article.text for a in batch], batch_size=self.batch_size))
        for annotation, doc in zip(batch, docs):
            self._annotate(annotation, doc)
        return docs

    def open_sink(self, path: Path) -> DocBinSink:
        return DocBinSink(path)

    def _annotate(self, annotation: Annotation, doc: Doc) -> None:
        groups: dict[str, list[SpacySpan]] = {key: [] for key in SPAN_KEYS.values()}
        entities: list[SpacySpan] = []
        for span in annotation.spans:
            if span.layer is Layer.ENTITY and self._edged_by_space(annotation, span):
                continue
            found = self._char_span(annotation, doc, span)
            if found is None:
                continue
            if span.layer is Layer.ENTITY:
                entities.append(found)
            else:
                groups[SPAN_KEYS[span.layer]].append(found)
        doc.ents = self._without_overlaps(annotation, entities)
        for key, spans in groups.items():
            doc.spans[key] = spans

    def _edged_by_space(self, annotation: Annotation, span: Span) -> bool:
        covered = annotation.article.text[span.start:span.end]
        if covered == covered.strip():
            return False
        self._report(annotation, span.start, span.end, span.label,
                     "entity starts or ends with whitespace (spaCy rejects it)")
        return True

    def _char_span(self, annotation: Annotation, doc: Doc, span: Span) -> SpacySpan | None:
        found = doc.char_span(span.start, span.end, span.label, alignment_mode="strict")
        if found is None:
            self._report(annotation, span.start, span.end, span.label, "not on token boundaries")
        return found

    def _without_overlaps(self, annotation: Annotation,
                          entities: list[SpacySpan]) -> list[SpacySpan]:
        kept = filter_spans(entities)
        if len(kept) < len(entities):
            chosen = {(e.start_char, e.end_char, e.label_) for e in kept}
            for e in entities:
                if (e.start_char, e.end_char, e.label_) not in chosen:
                    winner = next(k for k in kept if k.start < e.end and e.start < k.end)
                    self._report(annotation, e.start_char, e.end_char, e.label_,
                                 f"overlaps {winner.label_} {winner.text!r} "
                                 f"({winner.start_char}-{winner.end_char}), the longer one kept")
        return kept

    def _report(self, annotation: Annotation, start: int, end: int, label: str, why: str) -> None:
        self.job.report_span(annotation.article.uid, annotation.article.text, start, end,
                             label, why)
