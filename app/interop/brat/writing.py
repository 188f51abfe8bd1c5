"""brat standoff export: `NNNNNN-uidprefix.txt` and `.ann` per article into a new folder,
annotation.conf and visual.conf beside them.

Export keeps text, spans of every layer, relations, claim attributes (choices as `A` lines,
the note and other free-text attributes as `#` AnnotatorNotes, `claimant_text: ...`) and,
with include_suggestions, suggestions as `A Suggested T5`. A span text cannot hold a line
break, so a multi-line span is written as fragments split at its line breaks (the import
joins them again); a note is written one `#` line per line, a free-text attribute other than
the note on one line. brat has no states, times or annotators, so those are dropped. A brat
type cannot hold whitespace: a label or relation label with some is written with `_`, and
reported once as an export problem.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from app.exporting.common import Exporter, Job, temp_path
from app.interop.brat.common import (CONF, LINE_BREAKS, NOTE, SUGGESTED, brat_type,
                                     layer_group, relation_type)
from models.domain import Annotation, Layer, RelationLabel, Schema, Span, State

NOTES = "AnnotatorNotes"


@dataclass
class Conf:
    """What annotation.conf declares, gathered while the documents are written."""
    schema: Schema
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    suggested: bool = False

    def relate(self, label: str, head: str, child: str) -> None:
        heads, children = self.relations.setdefault(label, (set(), set()))
        heads.add(head)
        children.add(child)


class BratExporter(Exporter):
    """Documents `NNNNNN-uidprefix.txt/.ann` into a folder, annotation.conf at the end."""
    batch_size = 200

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.conf = Conf(job.store.schema())
        self.count = 0
        self.renamed: set[tuple[str, bool]] = set()
        for name, (heads, children) in _standard_relations(self.conf.schema).items():
            self.conf.relations[name] = (set(heads), set(children))

    def convert(self, batch: list[Annotation]) -> list[tuple[str, bytes, bytes]]:
        items = []
        for annotation in batch:
            self.count += 1
            name = f"{self.count:06d}-{annotation.article.uid[:8]}"
            ann = "".join(line + "\n" for line in self.ann_lines(annotation))
            items.append((name, annotation.article.text.encode("utf-8"), ann.encode("utf-8")))
        return items

    def ann_lines(self, annotation: Annotation) -> list[str]:
        writer = _AnnWriter(annotation, self)
        return writer.lines()

    def type_of(self, label: str, *, relation: bool = False) -> str:
        """The brat type of a label (of a relation); one with whitespace, written with `_`,
        is reported once as a problem of the export."""
        kind = relation_type(label) if relation else brat_type(label)
        if brat_type(label) != label and (label, relation) not in self.renamed:
            self.renamed.add((label, relation))
            what = "relation label" if relation else "label"
            self.job.problems.append(f"{what} {label!r} is written as {kind!r}: a brat type "
                                     "cannot hold whitespace")
        return kind

    def open_sink(self, path: Path) -> BratSink:
        return BratSink(path, self.conf)


def _standard_relations(schema: Schema) -> dict[str, tuple[list[str], list[str]]]:
    """Claimant: claim -> entity; Cue, Hedge: claim -> cue, as the schema has them."""
    by_layer = {layer: [lab.name for lab in schema.labels if lab.layer is layer]
                for layer in Layer}
    return {relation_type(str(RelationLabel.CLAIMANT)): (by_layer[Layer.CLAIM],
                                                         by_layer[Layer.ENTITY]),
            relation_type(str(RelationLabel.CUE)): (by_layer[Layer.CLAIM], by_layer[Layer.CUE]),
            relation_type(str(RelationLabel.HEDGE)): (by_layer[Layer.CLAIM],
                                                      by_layer[Layer.CUE])}


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span split at its line breaks, empty pieces dropped (a brat text is one line)."""
    pieces, at = [], start
    for match in LINE_BREAKS.finditer(text, start, end):
        pieces.append((at, match.start()))
        at = match.end()
    pieces.append((at, end))
    return [(s, e) for s, e in pieces if e > s]


class _AnnWriter:
    """One article's .ann lines: T, then A (suggestions, attributes), # notes, R."""

    def __init__(self, annotation: Annotation, exporter: BratExporter) -> None:
        self.annotation, self.exporter = annotation, exporter
        self.conf, self.job = exporter.conf, exporter.job
        self.text = annotation.article.text
        self.ids: dict[int, str] = {}
        self.out: list[str] = []
        self.attrs = self.notes = 0
        self.defs = {d.name: d for d in self.conf.schema.attributes}
        self.order = {name: n for n, name in enumerate(self.defs)}     # schema order

    def lines(self) -> list[str]:
        for span in self.annotation.spans:
            self._bound(span)
        for span in self.annotation.spans:
            if span.id in self.ids:
                self._extras(span)
        self._relations()
        return self.out

    def _bound(self, span: Span) -> None:
        pieces = fragments(self.text, span.start, span.end)
        if not pieces:
            self.job.report_span(self.annotation.article.uid, self.text, span.start, span.end,
                                 span.label, "only line breaks: brat cannot show it; left out")
            return
        self.ids[span.id] = f"T{len(self.ids) + 1}"
        places = ";".join(f"{s} {e}" for s, e in pieces)
        shown = " ".join(self.text[s:e] for s, e in pieces)
        kind = self.exporter.type_of(span.label)
        self.out.append(f"{self.ids[span.id]}\t{kind} {places}\t{shown}")

    def _extras(self, span: Span) -> None:
        tid = self.ids[span.id]
        if span.state is State.SUGGESTED:
            self.conf.suggested = True
            self._attribute(f"{SUGGESTED} {tid}")
        values = self.annotation.attributes.get(span.id, {})
        ordered = sorted(values.items(), key=lambda item: self.order.get(item[0], len(self.order)))
        for name, value in ordered:
            definition = self.defs.get(name)
            if definition is not None and definition.kind == "choice":
                self._attribute(f"{name} {tid} {value}")
            elif name != NOTE:
                self._note(tid, f"{name}: {' '.join(LINE_BREAKS.split(value))}")
        if NOTE in values:
            for part in LINE_BREAKS.split(values[NOTE]):
                self._note(tid, part)

    def _attribute(self, fields: str) -> None:
        self.attrs += 1
        self.out.append(f"A{self.attrs}\t{fields}")

    def _note(self, tid: str, note: str) -> None:
        self.notes += 1
        self.out.append(f"#{self.notes}\t{NOTES} {tid}\t{note}")

    def _relations(self) -> None:
        labels = {s.id: brat_type(s.label) for s in self.annotation.spans}
        written = [r for r in self.annotation.relations
                   if r.head_id in self.ids and r.child_id in self.ids]
        for n, rel in enumerate(written, 1):
            kind = self.exporter.type_of(rel.label, relation=True)
            self.conf.relate(kind, labels[rel.head_id], labels[rel.child_id])
            self.out.append(f"R{n}\t{kind} Arg1:{self.ids[rel.head_id]} "
                            f"Arg2:{self.ids[rel.child_id]}")


class BratSink:
    """Documents written into a temporary folder beside the target; the confs at close."""

    def __init__(self, target: Path, conf: Conf) -> None:
        self.temp = temp_path(target)
        self.temp.mkdir()
        self.conf = conf

    def write(self, items: list[tuple[str, bytes, bytes]]) -> None:
        for name, text, ann in items:
            (self.temp / f"{name}.txt").write_bytes(text)
            (self.temp / f"{name}.ann").write_bytes(ann)

    def close(self) -> None:
        (self.temp / CONF).write_bytes(annotation_conf(self.conf).encode("utf-8"))
        (self.temp / "visual.conf").write_bytes(visual_conf(self.conf).encode("utf-8"))

    def abort(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


def annotation_conf(conf: Conf) -> str:
    """Entity types grouped under `!<layer>_layer` (the import reads the layers back),
    relations with the argument types seen, overlaps allowed, the claim attributes."""
    lines = ["# Written by Newsmark. Types under !<layer>_layer keep their Newsmark layer.",
             "[entities]"]
    for layer in Layer:
        names = [brat_type(lab.name) for lab in conf.schema.labels if lab.layer is layer]
        if names:
            lines += [layer_group(layer), *(f"\t{name}" for name in names)]
    lines += ["", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    for kind, (heads, children) in sorted(conf.relations.items()):
        if heads and children:
            lines.append(f"{kind}\tArg1:{'|'.join(sorted(heads))}, "
                         f"Arg2:{'|'.join(sorted(children))}")
    lines += ["", "[events]", "", "[attributes]"]
    lines += [f"{d.name}\tArg:<ENTITY>, Value:{'|'.join(d.values)}"
              for d in conf.schema.attributes if d.kind == "choice"]
    if conf.suggested:
        lines.append(f"{SUGGESTED}\tArg:<ENTITY>")
    return "\n".join(lines) + "\n"


def visual_conf(conf: Conf) -> str:
    """The project's label colours, so brat draws spans as Newsmark does."""
    lines = ["[labels]", "", "[drawing]"]
    lines += [f"{brat_type(lab.name)}\tbgColor:{lab.colour}" for lab in conf.schema.labels]
    return "\n".join(lines) + "\n"
