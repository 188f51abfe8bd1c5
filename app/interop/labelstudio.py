"""Label Studio JSON tasks: labelled regions, relations, per-region choices and text areas.

A file is one JSON array of tasks (a single task object, or one task a line, is read too):

    [{"data": {"text": "...", "title": "..."},
      "annotations": [{"completed_by": 3, "result": [
        {"id": "r1", "from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 20, "text": "...", "labels": ["CLAIM"]}},
        {"id": "r1", "from_name": "stance", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 20, "text": "...", "choices": ["refute"]}},
        {"id": "r1", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 20, "text": ["check this"]}},
        {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right",
         "labels": ["claimant"]}]}],
      "predictions": [{"model_version": "patterns", "result": [...]}]}]

Import. `data.text` is the text (else the only string in `data`); the other keys of `data`
are metadata (title, url, source, author, published as fields, the rest meta). `labels`
results become spans (one per label); `value.text` is checked against the text and, when
it differs, the offsets are read as UTF-16 units (old Label Studio). Annotations come in
accepted, by their `completed_by` (a user id becomes "labelstudio user 3", a user object
its email), else by the annotator of the import; cancelled annotations are skipped.
Predictions come in as suggestions with origin `model_version` (else "labelstudio") and
no annotator. A `relation` result links two regions (`direction` "left" reverses it);
its labels are relation labels, and without labels one from a CLAIM is inferred from the
child (an entity: claimant, HEDGE: hedge, another cue: cue), any other is "related".
`choices` and `textarea` results that share a region's id set the claim attributes of
that name (text areas joined by newlines); controls the project's schema does not name,
document-level results and other result types are skipped. The task's own bookkeeping
(id, times, counts, drafts) is not kept. Reasons name the part at fault ("annotation 0,
result 3: end 5 is not after start 9"); the line is where the task starts in the file.

Export writes one task per article: `data` holds text, title, url, source, author,
published and meta; one annotation holds the accepted spans as `labels` results (from_name
the span's layer), their relations and the claim attributes as per-region `choices` /
`textarea` results; with include_suggestions, each origin's suggestions are a prediction
(`model_version` = origin). Offsets are code points, with the covered text. Lost: who
annotated what and when (Label Studio's `completed_by` is a user id of its own server),
article status, rejected spans, and relations between an accepted span and a suggestion
(a relation lives inside one annotation or prediction; each is reported).

The labeling config that matches the export, from `labeling_config(schema)`; for the
default schema (shortened):

    <View>
      <Labels name="entity" toName="text">
        <Label value="PERSON" background="#aa9cfc"/> ...
      </Labels>
      <Labels name="claim" toName="text"><Label value="CLAIM" background="#4c9be8"/></Labels>
      <Labels name="cue" toName="text">
        <Label value="CUE" background="#f2a93b"/><Label value="HEDGE" background="#e05d5d"/>
      </Labels>
      <Text name="text" value="$text"/>
      <Relations>
        <Relation value="claimant"/><Relation value="cue"/><Relation value="hedge"/>
      </Relations>
      <View visibleWhen="region-selected" whenLabelValue="CLAIM">
        <Choices name="stance" toName="text" perRegion="true" showInline="true">
          <Choice value="affirm"/><Choice value="refute"/> ...
        </Choices> ...
        <TextArea name="note" toName="text" perRegion="true" maxSubmissions="1"/>
      </View>
    </View>
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import orjson

from app.exporting.common import Exporter, Job, JsonlSink
from app.importing.checks import (Context, Rejected, check_text, describe, kind_of, name_of,
                                  offsets, within)
from app.importing.records import covering
from app.interop.doccano import Entry, article_from, flat_metadata, foreign, json_entries
from app.interop.sniffing import LABELSTUDIO_TEXT as TEXT
from models.domain import (Annotation, AttributeDef, ArticleRecord, Layer, RelationLabel,
                           RelationRecord, Schema, Span, SpanRecord, State)

RELATED = "related"             # the label of an unlabelled relation not from a claim
DEFAULT_ORIGIN = "labelstudio"
LAYERS = {str(layer): layer for layer in Layer}     # the from_name of our Labels controls
ATTRIBUTE_TYPES = ("choices", "textarea")


# --- reading -----------------------------------------------------------------------------

def read(path: Path) -> Iterator[Entry]:
    return foreign(json_entries(path), from_task)


def from_task(task: Any, ctx: Context) -> ArticleRecord:
    if not isinstance(task, dict):
        raise Rejected(f"task is not an object ({kind_of(task)})")
    data = task.get("data")
    if not isinstance(data, dict):
        raise Rejected("task has no data object" if data is None else
                       f"data is not an object ({kind_of(data)})")
    key = _text_key(data)
    regions = Regions(check_text(data[key]), ctx)
    for where, results, state, origin, annotator in _blocks(task, ctx):
        regions.read(results, where, state=state, origin=origin, annotator=annotator)
    ctx.admit_labels(regions.spans, regions.layers)
    return article_from(regions.text, data, frozenset({key}), regions.spans,
                        list(regions.relations.values()))


def _text_key(data: dict) -> str:
    """`text`, else the one string value of `data` (a config with `value="$content"`)."""
    if TEXT in data:
        return TEXT
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) != 1:
        raise Rejected("data has no text")
    return strings[0]


Block = tuple[str, list, State, str, str | None]      # where, results, state, origin, who


def _blocks(task: dict, ctx: Context) -> Iterator[Block]:
    """Annotations (not cancelled), then predictions, each with what its spans are."""
    for i, annotation in enumerate(_objects(task, "annotations", "annotation")):
        if annotation.get("was_cancelled") is not True:
            who = _who(annotation.get("completed_by")) or ctx.annotator
            where = f"annotation {i}"
            yield where, _results(annotation, where), State.ACCEPTED, "import", who
    for i, prediction in enumerate(_objects(task, "predictions", "prediction")):
        version = prediction.get("model_version")
        origin = version if isinstance(version, str) and version.strip() else DEFAULT_ORIGIN
        where = f"prediction {i}"
        yield where, _results(prediction, where), State.SUGGESTED, origin, None


def _objects(task: dict, key: str, what: str) -> list[dict]:
    """The objects listed under `key` (`completions`: Label Studio before 1.0)."""
    items = task.get(key, task.get("completions") if key == "annotations" else None)
    if items is None:
        return []
    if not isinstance(items, list):
        raise Rejected(f"{key} is not a list ({describe(items)})")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise Rejected(f"{what} {i} is not an object ({kind_of(item)})")
    return items


def _results(block: dict, where: str) -> list:
    results = block.get("result")
    if results is None:
        return []
    if not isinstance(results, list):
        raise Rejected(f"{where}: result is not a list ({describe(results)})")
    return results


def _who(completed_by: Any) -> str | None:
    """An annotator name from `completed_by`: a user id, a user object or a name."""
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email.strip():
            return email
        completed_by = completed_by.get("id")
    if type(completed_by) is int:
        return f"labelstudio user {completed_by}"
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by
    return None


class Regions:
    """The spans and relations of one task, gathered block by block.

    A span that an earlier block already has (same offsets and label) is that span: an
    annotator's decision is kept over a prediction, and a prediction adds no relation or
    attribute to a span it did not suggest."""

    def __init__(self, text: str, ctx: Context) -> None:
        self.text, self.ctx = text, ctx
        self.spans: list[SpanRecord] = []
        self.layers: list[Layer | None] = []
        self.index: dict[tuple[int, int, str], int] = {}
        self.relations: dict[tuple[int, int, str], RelationRecord] = {}

    def read(self, results: list, where: str, *, state: State, origin: str,
             annotator: str | None) -> None:
        regions: dict[Any, list[int]] = {}
        for k, result in enumerate(results):
            if not isinstance(result, dict):
                raise Rejected(f"{where}, result {k} is not an object ({kind_of(result)})")
            if result.get("type") == "labels":
                found = self._labels(result, f"{where}, result {k}", SpanRecord(
                    0, 0, "", state=state, origin=origin, annotator=annotator))
                if _hashable(result.get("id")):
                    regions.setdefault(result["id"], []).extend(found)
        for k, result in enumerate(results):
            if result.get("type") == "relation":
                self._relation(result, f"{where}, result {k}", regions, state, annotator)
            elif result.get("type") in ATTRIBUTE_TYPES:
                self._attribute(result, f"{where}, result {k}", regions, state)

    def _labels(self, result: dict, where: str, like: SpanRecord) -> list[int]:
        """The spans of a labels result (one per label), as indexes into `spans`."""
        value = _value(result, where)
        start, end = offsets(value, where)
        start, end = covering(self.text, start, end, value.get("text"), where)
        within(self.text, start, end, where)
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise Rejected(f"{where}: no labels")
        layer = LAYERS.get(_control(result))
        return [self._add(start, end, name_of({"label": label}, "label", where), like, layer)
                for label in labels]

    def _add(self, start: int, end: int, label: str, like: SpanRecord,
             layer: Layer | None) -> int:
        key = (start, end, label)
        if key not in self.index:
            self.index[key] = len(self.spans)
            self.spans.append(SpanRecord(start, end, label, state=like.state,
                                         origin=like.origin, annotator=like.annotator))
            self.layers.append(layer)
        return self.index[key]

    def _relation(self, result: dict, where: str, regions: dict[Any, list[int]],
                  state: State, annotator: str | None) -> None:
        head, child = (_region(result, key, regions, where) for key in ("from_id", "to_id"))
        if result.get("direction") == "left":
            head, child = child, head
        if head == child:
            raise Rejected(f"{where}: a span cannot relate to itself")
        if self.spans[head].state is not state:
            return
        labels = result.get("labels") or [self._inferred(head, child)]
        if not isinstance(labels, list):
            raise Rejected(f"{where}: labels is not a list ({describe(labels)})")
        for label in labels:
            name = name_of({"label": label}, "label", where)
            self.relations.setdefault((head, child, name), RelationRecord(
                head, child, name, annotator=annotator))

    def _inferred(self, head: int, child: int) -> str:
        """The relation an unlabelled arrow means: from a claim to its claimant, cue, hedge."""
        if self._layer(head) is not Layer.CLAIM:
            return RELATED
        if self._layer(child) is Layer.ENTITY:
            return RelationLabel.CLAIMANT
        if self._layer(child) is Layer.CUE:
            hedge = self.spans[child].label.casefold() == RelationLabel.HEDGE
            return RelationLabel.HEDGE if hedge else RelationLabel.CUE
        return RELATED

    def _layer(self, k: int) -> Layer:
        return self.ctx.labels.get(self.spans[k].label) or self.layers[k] or Layer.ENTITY

    def _attribute(self, result: dict, where: str, regions: dict[Any, list[int]],
                   state: State) -> None:
        definition = self.ctx.attributes.get(_control(result))
        if definition is None:
            return                              # a control the schema does not know
        region = result.get("id")
        if not _hashable(region) or region not in regions:
            if isinstance(result.get("value"), dict) and "start" in result["value"]:
                raise Rejected(f"{where}: id {describe(region)} is not a labelled region")
            return                              # document-level: not a claim attribute
        value = _attribute_value(result, definition, where)
        for k in regions[region]:
            if self.spans[k].state is state:
                self.spans[k].attributes.setdefault(definition.name, value)


def _control(result: dict) -> str:
    """The name of the control that made a result ("" when it is not a string)."""
    name = result.get("from_name")
    return name if isinstance(name, str) else ""


def _hashable(value: Any) -> bool:
    return type(value) is int or isinstance(value, str)


def _value(result: dict, where: str) -> dict:
    value = result.get("value")
    if not isinstance(value, dict):
        raise Rejected(f"{where}: value is not an object ({kind_of(value)})")
    return value


def _region(result: dict, key: str, regions: dict[Any, list[int]], where: str) -> int:
    value = result.get(key)
    if not _hashable(value) or value not in regions:
        raise Rejected(f"{where}: {key} {describe(value)} is not a labelled region")
    return regions[value][0]


def _attribute_value(result: dict, definition: AttributeDef, where: str) -> str:
    """The one value of a choices or textarea result, checked against the schema."""
    value = _value(result, where)
    if result["type"] == "choices":
        choices = value.get("choices")
        if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], str):
            raise Rejected(f"{where}: {definition.name} choices {describe(choices)} is not "
                           "one choice (a claim attribute holds one value)")
        chosen = choices[0]
    else:
        texts = value.get("text")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise Rejected(f"{where}: {definition.name} text {describe(texts)} is not text")
        chosen = "\n".join(texts)
    if definition.kind == "choice" and chosen not in definition.values:
        raise Rejected(f"{where}: {definition.name} {chosen!r} is not one of "
                       f"{', '.join(definition.values)}")
    return chosen


# --- export ------------------------------------------------------------------------------

class ArraySink(JsonlSink):
    """Items (JSON bytes) streamed into one JSON array: `[`, items joined by `,\\n`, `]`."""

    def __init__(self, target: Path) -> None:
        super().__init__(target)
        self._file.write(b"[")
        self._separator = b"\n"

    def write(self, items: list[bytes]) -> None:
        if items:
            self._file.write(self._separator + b",\n".join(items))
            self._separator = b",\n"

    def close(self) -> None:
        self._file.write(b"\n]\n")
        super().close()


class LabelStudioExporter(Exporter):
    batch_size = 256

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.kinds = {d.name: d.kind for d in job.store.schema().attributes}

    def open_sink(self, path: Path) -> ArraySink:
        return ArraySink(path)

    def convert(self, batch: list[Annotation]) -> list[bytes]:
        return [orjson.dumps(self._task(a)) for a in batch]

    def _task(self, annotation: Annotation) -> dict:
        """The task of an article: accepted spans in one annotation, suggestions by origin."""
        article = annotation.article
        groups: dict[str | None, list[dict]] = {None: []}
        group_of: dict[int, str | None] = {}
        region_of = {s.id: f"r{k}" for k, s in enumerate(annotation.spans)}
        for span in annotation.spans:
            group = None if span.state is State.ACCEPTED else span.origin
            group_of[span.id] = group
            groups.setdefault(group, []).extend(self._region(annotation, span,
                                                             region_of[span.id]))
        for relation in annotation.relations:
            group = group_of[relation.head_id]
            if group == group_of[relation.child_id]:
                groups[group].append({"type": "relation", "from_id": region_of[relation.head_id],
                                      "to_id": region_of[relation.child_id],
                                      "direction": "right", "labels": [relation.label]})
            else:
                self._report_crossing(annotation, relation.head_id, relation.child_id,
                                      relation.label)
        accepted = groups.pop(None)
        return {"data": {TEXT: article.text} | flat_metadata(article, frozenset({TEXT}),
                                                              self.job),
                "annotations": [{"result": accepted}] if accepted else [],
                "predictions": [{"model_version": origin, "result": results}
                                for origin, results in groups.items()]}

    def _region(self, annotation: Annotation, span: Span, region: str) -> list[dict]:
        """A span's labels result and one result per claim attribute, sharing its id."""
        text = annotation.article.text
        where = {"start": span.start, "end": span.end, "text": text[span.start:span.end]}
        results = [_result(region, str(span.layer), "labels", where | {"labels": [span.label]})]
        for name, value in annotation.attributes.get(span.id, {}).items():
            if self.kinds.get(name) == "choice":
                results.append(_result(region, name, "choices", where | {"choices": [value]}))
            else:
                results.append(_result(region, name, "textarea", where | {"text": [value]}))
        return results

    def _report_crossing(self, annotation: Annotation, head_id: int, child_id: int,
                         label: str) -> None:
        spans = {s.id: s for s in annotation.spans}
        head, child = spans[head_id], spans[child_id]
        self.job.report_span(annotation.article.uid, annotation.article.text, head.start,
                             head.end, head.label, f"its {label} relation to {child.start}-"
                             f"{child.end} {child.label} left out: Label Studio keeps a "
                             "relation inside one annotation or prediction")


def _result(region: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def labeling_config(schema: Schema) -> str:
    """The Label Studio labeling config (XML) that shows and edits what the export writes."""
    lines = ["<View>"]
    for layer in Layer:
        labels = [lab for lab in schema.labels if lab.layer is layer]
        if labels:
            lines += [f'  <Labels name="{layer}" toName="{TEXT}">',
                      *(f"    <Label value={quoteattr(lab.name)} "
                        f"background={quoteattr(lab.colour)}/>" for lab in labels),
                      "  </Labels>"]
    lines += [f'  <Text name="{TEXT}" value="${TEXT}"/>', "  <Relations>",
              *(f'    <Relation value="{label}"/>' for label in RelationLabel), "  </Relations>"]
    claims = ",".join(lab.name for lab in schema.labels if lab.layer is Layer.CLAIM)
    lines.append(f'  <View visibleWhen="region-selected" whenLabelValue={quoteattr(claims)}>')
    for d in schema.attributes:
        lines += _attribute_control(d)
    return "\n".join([*lines, "  </View>", "</View>", ""])


def _attribute_control(definition: AttributeDef) -> list[str]:
    name = quoteattr(definition.name)
    if definition.kind != "choice":
        return [f'    <TextArea name={name} toName="{TEXT}" perRegion="true" '
                'maxSubmissions="1"/>']
    return [f'    <Choices name={name} toName="{TEXT}" perRegion="true" showInline="true">',
            *(f"      <Choice value={quoteattr(v)}/>" for v in definition.values),
            "    </Choices>"]
