"""brat standoff: a `doc.txt` and its `doc.ann` per article, `annotation.conf` per folder.

    T1	ORG 0 9	Acme Corp            text-bound: type, offsets (`s e;s e` fragments), text
    R1	Claimant Arg1:T8 Arg2:T2     relation: head, child
    A1	stance T8 refute             attribute (`A2 Suggested T5`: no value, binary)
    #1	AnnotatorNotes T8	a note

Offsets are code points of the `.txt` read without newline translation (CRLF is two), as
brat (Python) counts them; the BOM is removed first. A span text cannot hold a line break,
so the export writes a multi-line span as fragments split at its line breaks, and the import
joins fragments again when only line breaks lie between them (brat's own editor makes such
fragments when a selection crosses lines): a round trip keeps such spans whole. A truly
discontinuous span (other text between its fragments) comes in as one span per fragment; its
relations, attributes and notes go to the first fragment.

What the import report cannot carry (it has no warnings list, and app/importing/report.py is
not this module's) goes into the article's meta, kept with the article and written by the
Newsmark JSONL export: `brat_document` (the file's name), `brat_warnings` (discontinuous
spans, skipped E/N/* lines, attributes the schema does not know or values it does not
allow, self relations) and `brat_notes` (notes on spans that are not claims: claim
attributes belong to claims). The export writes a note one `#` line per line: its line
breaks come back as LF. A broken line rejects the document, with
the `.ann` line number. The layer of a new label comes from the `annotation.conf` beside the
files (or up to two folders above): labels under `!claim_layer` / `!cue_layer` (as this
export writes them); else CLAIM is a claim, CUE and HEDGE cues, the rest entities.

Export keeps text, spans of every layer, relations, claim attributes (choices as `A` lines,
the note and other free-text attributes as `#` AnnotatorNotes, `claimant_text: ...`) and,
with include_suggestions, suggestions as `A Suggested T5`. brat has no states, times or
annotators (the import's annotator is used), so those are dropped; a free-text attribute
other than the note is written on one line.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from app.exporting.common import Exporter, Job, temp_path
from app.importing.checks import Context, Rejected, check_text, first_line
from app.importing.readers import BOM, invalid_utf8
from app.importing.records import Foreign
from models.domain import (Annotation, ArticleRecord, AttributeDef, Layer, RelationLabel,
                           RelationRecord, Schema, Span, SpanRecord, State)

# Every character str.splitlines() (and so brat's line reader) breaks a line at.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
ONLY_BREAKS = re.compile(rf"(?:{LINE_BREAKS.pattern})*")
SUGGESTED = "Suggested"
NOTES = "AnnotatorNotes"
NOTE = "note"
CONF = "annotation.conf"
CONF_LEVELS = 3                   # the document's folder and two above it
DEFAULT_LAYERS = {"CLAIM": Layer.CLAIM, "CUE": Layer.CUE, "HEDGE": Layer.CUE}
SKIPPED_KINDS = {"E": "event (E)", "N": "normalisation (N)", "*": "equivalence (*)"}


# --- import -----------------------------------------------------------------------------

@dataclass
class Bound:
    """A text-bound (T) annotation: its label and its fragments, in the order given."""
    label: str
    fragments: list[tuple[int, int]]


@dataclass
class Document:
    """An .ann parsed against its .txt; what needs the project (layers, attributes) waits
    for `build`."""
    name: str
    text: str
    conf_layers: dict[str, Layer]
    bounds: dict[str, Bound] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, label, h, c
    attributes: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)          # id, target, text
    other_ids: set[str] = field(default_factory=set)                         # R, E, N ... ids
    skipped: dict[str, int] = field(default_factory=dict)                    # kind -> lines
    refs: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, id, what, to
    line: int = 0                                                        # being parsed


def read(path: Path) -> Iterator[tuple[int, Rejected | Foreign, int]]:
    """The document of one `.ann` and the `.txt` beside it: one entry, or the first broken
    line as a rejection (line 0: the .txt itself is at fault)."""
    data = path.read_bytes()
    text = _text_beside(path)
    if isinstance(text, Rejected):
        yield 0, text, len(data)
        return
    doc = Document(path.stem, text, conf_layers(path.parent))
    for doc.line, line in _ann_lines(data):
        try:
            _parse_line(doc, line)
        except Rejected as exc:
            yield doc.line, exc, len(data)
            return
    for number, ident, what, target in doc.refs:
        if target not in doc.bounds and target not in doc.other_ids:
            yield number, Rejected(f"{ident}: {what} is not a text-bound annotation of this "
                                   "document"), len(data)
            return
    yield 1, Foreign(partial(_build, doc)), len(data)


def _text_beside(path: Path) -> str | Rejected:
    txt = path.with_suffix(".txt")
    if not txt.is_file():
        return Rejected(f"no .txt beside the .ann (expected {txt.name})")
    body = txt.read_bytes().removeprefix(BOM)
    try:
        return check_text(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Rejected(f"{txt.name}: {invalid_utf8(body, exc)}")
    except Rejected as exc:
        return Rejected(f"{txt.name}: {exc}")


def _ann_lines(data: bytes) -> Iterator[tuple[int, str | Rejected]]:
    """Lines split at LF only (a CR before it is the line end), never translated."""
    for number, raw in enumerate(data.removeprefix(BOM).split(b"\n"), 1):
        raw = raw.removesuffix(b"\r")
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, Rejected(invalid_utf8(raw, exc))


def _parse_line(doc: Document, line: str | Rejected) -> None:
    if isinstance(line, Rejected):
        raise line
    if not line.strip():
        return
    ident, tab, rest = line.partition("\t")
    if not tab:
        raise Rejected(f"{ident[:20]}: no TAB after the id (the fields are TAB-separated)")
    kind = ident[:1]
    numbered = ident == "*" or any(c.isdigit() for c in ident)
    if not numbered or (kind not in _PARSERS and kind not in SKIPPED_KINDS):
        raise Rejected(f"{ident[:20]}: unknown annotation id (T, R, E, A, M, N, # or * "
                       "followed by a number)")
    if ident != "*" and (ident in doc.bounds or ident in doc.other_ids):
        raise Rejected(f"{ident}: the id is used twice")
    if kind in SKIPPED_KINDS:
        doc.skipped[kind] = doc.skipped.get(kind, 0) + 1
        doc.other_ids.add(ident)
        return
    _PARSERS[kind](doc, ident, rest)


def _parse_bound(doc: Document, ident: str, rest: str) -> None:
    data, tab, covered = rest.partition("\t")
    label, _, places = data.partition(" ")
    if not label or not places.strip():
        raise Rejected(f"{ident}: expected TYPE START END before the text")
    fragments = [_fragment(doc.text, ident, piece) for piece in places.split(";")]
    shown = " ".join(doc.text[s:e] for s, e in fragments)
    if tab and covered != shown:
        hint = " (CRLF counted as one character?)" if "\r\n" in doc.text else ""
        raise Rejected(f"{ident}: the text at {places.strip()} is {shown[:30]!r} but the line "
                       f"says {covered[:30]!r}{hint}")
    doc.bounds[ident] = Bound(label, fragments)


def _fragment(text: str, ident: str, piece: str) -> tuple[int, int]:
    numbers = piece.split()
    if len(numbers) != 2 or not all(n.isascii() and n.isdigit() for n in numbers):
        raise Rejected(f"{ident}: offsets {piece.strip()!r} are not two numbers")
    start, end = int(numbers[0]), int(numbers[1])
    if end <= start:
        raise Rejected(f"{ident}: offsets {start} {end}: end is not after start")
    if end > len(text):
        raise Rejected(f"{ident}: offsets {start} {end} lie outside the text "
                       f"(length {len(text)})")
    return start, end


def _parse_relation(doc: Document, ident: str, rest: str) -> None:
    label, *args = rest.partition("\t")[0].split() or [""]
    ends = [arg.partition(":") for arg in args]
    if not label or len(ends) != 2 or not all(sep and target for _, sep, target in ends):
        raise Rejected(f"{ident}: expected TYPE Arg1:ID Arg2:ID")
    for role, _, target in ends:
        _refer(doc, ident, f"{role} {target}", target)
    doc.relations.append((ident, label, ends[0][2], ends[1][2]))
    doc.other_ids.add(ident)


def _refer(doc: Document, ident: str, what: str, target: str) -> None:
    """Note a reference, checked when the whole file is read (brat allows any order)."""
    doc.refs.append((doc.line, ident, what, target))


def _parse_attribute(doc: Document, ident: str, rest: str) -> None:
    parts = rest.partition("\t")[0].split(" ", 2)
    if len(parts) < 2 or not all(parts):
        raise Rejected(f"{ident}: expected NAME ID [VALUE]")
    _refer(doc, ident, parts[1], parts[1])
    doc.attributes.append((ident, parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    doc.other_ids.add(ident)


def _parse_note(doc: Document, ident: str, rest: str) -> None:
    data, _, note = rest.partition("\t")
    parts = data.split()
    if len(parts) != 2:
        raise Rejected(f"{ident}: expected AnnotatorNotes ID, a TAB and the note")
    _refer(doc, ident, parts[1], parts[1])
    doc.notes.append((ident, parts[1], note))
    doc.other_ids.add(ident)


_PARSERS = {"T": _parse_bound, "R": _parse_relation, "A": _parse_attribute,
            "M": _parse_attribute, "#": _parse_note}


@dataclass
class _Built:
    """The record being built: spans, which span each T id became, what to tell the user."""
    spans: list[SpanRecord] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    keys: dict[tuple[int, int, str], int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _build(doc: Document, ctx: Context) -> ArticleRecord:
    built = _Built()
    for ident, bound in doc.bounds.items():
        _add_bound(doc, ctx, built, ident, bound)
    _add_attributes(doc, ctx, built)
    _add_notes(doc, ctx, built)
    relations = _relations(doc, ctx, built)
    built.warnings += [f"skipped {n} {SKIPPED_KINDS[k]} line(s): Newsmark has no such "
                       "annotations" for k, n in doc.skipped.items()]
    ctx.admit_labels(built.spans, list(built.layers))
    meta: dict = {"brat_document": doc.name}
    if built.warnings:
        meta["brat_warnings"] = built.warnings
    if built.notes:
        meta["brat_notes"] = built.notes
    return ArticleRecord(text=doc.text, title=first_line(doc.text), meta=meta,
                         spans=built.spans, relations=relations)


def layer_of(label: str, ctx: Context, conf: dict[str, Layer]) -> Layer:
    """The project's layer, else the conf's, else CLAIM/CUE/HEDGE by name, else entity."""
    return (ctx.labels.get(label) or conf.get(label)
            or DEFAULT_LAYERS.get(label.upper(), Layer.ENTITY))


def _add_bound(doc: Document, ctx: Context, built: _Built, ident: str, bound: Bound) -> None:
    pieces = _joined(doc.text, bound.fragments)
    if len(pieces) > 1:
        built.warnings.append(f"{ident} {bound.label}: a discontinuous span, imported as "
                              f"{len(pieces)} spans (its relations, attributes and notes "
                              "on the first)")
    for k, (start, end) in enumerate(pieces):
        at = built.keys.get((start, end, bound.label))
        if at is None:
            at = built.keys[(start, end, bound.label)] = len(built.spans)
            built.spans.append(SpanRecord(start, end, bound.label, annotator=ctx.annotator))
            built.layers.append(layer_of(bound.label, ctx, doc.conf_layers))
        if k == 0:
            built.index[ident] = at


def _joined(text: str, fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments with only line breaks between them become one span again."""
    pieces: list[tuple[int, int]] = []
    for start, end in fragments:
        last = pieces[-1] if pieces else None
        if last and last[1] <= start and ONLY_BREAKS.fullmatch(text, last[1], start):
            pieces[-1] = (last[0], end)
        else:
            pieces.append((start, end))
    return pieces


def _add_attributes(doc: Document, ctx: Context, built: _Built) -> None:
    for ident, name, target, value in doc.attributes:
        at = built.index.get(target)
        if at is None:
            built.warnings.append(f"{ident}: {name} on {target}, which is not imported")
        elif name.lower() == SUGGESTED.lower():
            built.spans[at].state = State.SUGGESTED
        else:
            _set_attribute(ctx, built, at, f"{ident} {name}", _attribute_def(ctx, name),
                           value)


def _attribute_def(ctx: Context, name: str) -> AttributeDef | None:
    """The schema's attribute of a brat name, ignoring case, `_` and `-` (ClaimType)."""
    folded = re.sub(r"[_\-]", "", name).lower()
    return next((d for d in ctx.attributes.values()
                 if re.sub(r"[_\-]", "", d.name).lower() == folded), None)


def _set_attribute(ctx: Context, built: _Built, at: int, where: str,
                   definition: AttributeDef | None, value: str | None) -> None:
    span, layer = built.spans[at], built.layers[at]
    if definition is None:
        built.warnings.append(f"{where}: the project has no such claim attribute; skipped")
    elif layer is not Layer.CLAIM:
        built.warnings.append(f"{where}: on a {layer} span; claim attributes are for claims")
    elif (chosen := _value(definition, value)) is None:
        built.warnings.append(f"{where}: {value or '(no value)'!r} is not one of "
                              f"{', '.join(definition.values)}; skipped")
    else:
        span.attributes[definition.name] = chosen


def _value(definition: AttributeDef, value: str | None) -> str | None:
    """A brat value as the schema spells it; a binary attribute (no value) is "yes"."""
    value = "yes" if value is None else value
    if definition.kind != "choice":
        return value
    return next((v for v in definition.values if v.lower() == value.lower()), None)


def _add_notes(doc: Document, ctx: Context, built: _Built) -> None:
    """Notes of a claim: `name: value` sets that free-text attribute, the rest (one line per
    `#`, in order) is the note. Notes of other spans go to meta."""
    lines: dict[int, list[str]] = {}
    for ident, target, note in doc.notes:
        at = built.index.get(target)
        if at is None or built.layers[at] is not Layer.CLAIM:
            built.notes.append(f"{target}: {note}")
        elif not _free_attribute(ctx, built.spans[at], note):
            lines.setdefault(at, []).append(note)
    for at, parts in lines.items():
        if NOTE in ctx.attributes:
            built.spans[at].attributes[NOTE] = "\n".join(parts)
        else:
            built.notes += [f"{built.spans[at].label} note: {p}" for p in parts]


def _free_attribute(ctx: Context, span: SpanRecord, note: str) -> bool:
    name, sep, value = note.partition(": ")
    definition = ctx.attributes.get(name) if sep else None
    if definition is None or definition.kind == "choice" or name == NOTE:
        return False
    span.attributes[name] = value
    return True


def _relations(doc: Document, ctx: Context, built: _Built) -> list[RelationRecord]:
    known = {str(label) for label in RelationLabel}
    relations = []
    for ident, label, head, child in doc.relations:
        ends = built.index.get(head), built.index.get(child)
        if None in ends:
            built.warnings.append(f"{ident}: {label} between {head} and {child}, which are "
                                  "not both imported; skipped")
        elif ends[0] == ends[1]:
            built.warnings.append(f"{ident}: {label} relates a span to itself; skipped")
        else:
            name = label.lower() if label.lower() in known else label
            relations.append(RelationRecord(ends[0], ends[1], name, annotator=ctx.annotator))
    return relations


def conf_layers(folder: Path) -> dict[str, Layer]:
    """Layers of the entity types in the nearest annotation.conf (up to two folders up):
    a type under a `!claim_layer` / `!cue_layer` / `!entity_layer` parent (or `!claim` ...)."""
    for place in [folder, *folder.parents][:CONF_LEVELS]:
        conf = place / CONF
        if conf.is_file():
            try:
                return _layers_in(conf.read_bytes().decode("utf-8", "replace"))
            except OSError:
                return {}
    return {}


def _layers_in(conf: str) -> dict[str, Layer]:
    layers: dict[str, Layer] = {}
    stack: list[tuple[int, Layer | None]] = []
    section = ""
    for line in conf.splitlines():
        if line.strip().startswith("["):
            section = line.strip().strip("[]").lower()
        elif section == "entities" and line.strip() and not line.strip().startswith("#"):
            depth = len(line) - len(line.lstrip("\t "))
            abstract, name = line.strip().startswith("!"), line.split()[0].lstrip("!")
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else None
            layer = (_layer_named(name) if abstract else None) or parent
            stack.append((depth, layer))
            if layer is not None and not abstract:
                layers[name] = layer
    return layers


def _layer_named(name: str) -> Layer | None:
    base = name.lower().removesuffix("_layer").removesuffix("-layer")
    return Layer(base) if base in set(Layer) else None


# --- export -----------------------------------------------------------------------------

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
        writer = _AnnWriter(annotation, self.conf, self.job)
        return writer.lines()

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


def relation_type(label: str) -> str:
    """Our claimant/cue/hedge as brat-style types (Claimant ...); others as they are."""
    return label.capitalize() if label in set(RelationLabel) else brat_type(label)


def brat_type(label: str) -> str:
    """A brat type cannot hold whitespace (the type is the first space-separated field)."""
    return re.sub(r"\s", "_", label)


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

    def __init__(self, annotation: Annotation, conf: Conf, job: Job) -> None:
        self.annotation, self.conf, self.job = annotation, conf, job
        self.text = annotation.article.text
        self.ids: dict[int, str] = {}
        self.out: list[str] = []
        self.attrs = self.notes = 0
        self.defs = {d.name: d for d in conf.schema.attributes}
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
        self.out.append(f"{self.ids[span.id]}\t{brat_type(span.label)} {places}\t{shown}")

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
            kind = relation_type(rel.label)
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
            lines += [f"!{layer}_layer", *(f"\t{name}" for name in names)]
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
