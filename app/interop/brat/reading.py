"""brat standoff import: one `.ann` and the `.txt` beside it are one article.

Offsets are code points of the `.txt` read without newline translation (CRLF is two), as
brat (Python) counts them; the BOM is removed first. Fragments with only line breaks between
them are joined again (brat's own editor makes such fragments when a selection crosses
lines, and the export writes multi-line spans so). A truly discontinuous span (other text
between its fragments) comes in as one span per fragment; its relations, attributes and
notes go to the first fragment. A broken line rejects the document, with the `.ann` line.

What is imported differently or left out is a warning of the import (`ctx.warn`), reported
against the document's entry (`FILE.ann:1`) with the `.ann` line in the reason: discontinuous
spans, attributes the schema does not know or values it does not allow, attributes and notes
on spans that are not claims, skipped relations and E/N/* lines. Warnings are not written
into the article's meta: they are about one import, not the article; kept there, every later
Newsmark JSONL export and re-import would carry them on as if still news, and the brat
export writes nothing from them, so a round trip gains nothing. The meta keeps content with
no other place: `brat_document` (the file's name) and `brat_notes` (notes on spans that are
not claims, and claim notes when the project has no `note` attribute).

The layer of a new label comes from the `annotation.conf` beside the files (or up to two
folders above): labels under `!claim_layer` / `!cue_layer` (as the export writes them); else
CLAIM is a claim, CUE and HEDGE cues, the rest entities. brat has no annotators: spans and
relations get the import's.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from app.importing.checks import Context, Rejected, check_text, first_line
from app.importing.readers import BOM, invalid_utf8
from app.importing.records import Foreign
from app.interop.brat.common import (LINE_BREAKS, NOTE, SUGGESTED, attribute_def,
                                     conf_layers, relation_label)
from models.domain import (ArticleRecord, AttributeDef, Layer, RelationRecord, SpanRecord,
                           State)

ONLY_BREAKS = re.compile(rf"(?:{LINE_BREAKS.pattern})*")
DEFAULT_LAYERS = {"CLAIM": Layer.CLAIM, "CUE": Layer.CUE, "HEDGE": Layer.CUE}
SKIPPED_KINDS = {"E": "event (E)", "N": "normalisation (N)", "*": "equivalence (*)"}
SHOWN_LINES = 5                   # line numbers a warning lists


@dataclass
class Bound:
    """A text-bound (T) annotation: its label, its fragments in the order given, its line."""
    label: str
    fragments: list[tuple[int, int]]
    line: int


@dataclass
class Document:
    """An .ann parsed against its .txt; what needs the project (layers, attributes) waits
    for `build`. Every entry keeps its .ann line, for the warnings."""
    name: str
    text: str
    conf_layers: dict[str, Layer]
    bounds: dict[str, Bound] = field(default_factory=dict)
    # line, id, then label, head, child / name, target, value / target, note
    relations: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    attributes: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)
    notes: list[tuple[int, str, str, str]] = field(default_factory=list)
    other_ids: set[str] = field(default_factory=set)                      # R, E, N ... ids
    skipped: dict[str, list[int]] = field(default_factory=dict)           # kind -> lines
    refs: list[tuple[int, str, str, str]] = field(default_factory=list)   # line, id, what, to
    line: int = 0                                                         # being parsed


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
        doc.skipped.setdefault(kind, []).append(doc.line)
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
    doc.bounds[ident] = Bound(label, fragments, doc.line)


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
    doc.relations.append((doc.line, ident, label, ends[0][2], ends[1][2]))
    doc.other_ids.add(ident)


def _refer(doc: Document, ident: str, what: str, target: str) -> None:
    """Note a reference, checked when the whole file is read (brat allows any order)."""
    doc.refs.append((doc.line, ident, what, target))


def _parse_attribute(doc: Document, ident: str, rest: str) -> None:
    parts = rest.partition("\t")[0].split(" ", 2)
    if len(parts) < 2 or not all(parts):
        raise Rejected(f"{ident}: expected NAME ID [VALUE]")
    _refer(doc, ident, parts[1], parts[1])
    doc.attributes.append((doc.line, ident, parts[0], parts[1],
                           parts[2] if len(parts) == 3 else None))
    doc.other_ids.add(ident)


def _parse_note(doc: Document, ident: str, rest: str) -> None:
    data, _, note = rest.partition("\t")
    parts = data.split()
    if len(parts) != 2:
        raise Rejected(f"{ident}: expected AnnotatorNotes ID, a TAB and the note")
    _refer(doc, ident, parts[1], parts[1])
    doc.notes.append((doc.line, ident, parts[1], note))
    doc.other_ids.add(ident)


_PARSERS = {"T": _parse_bound, "R": _parse_relation, "A": _parse_attribute,
            "M": _parse_attribute, "#": _parse_note}


def _at(ident: str, line: int) -> str:
    """Where in the .ann a warning is from: `T7 (line 9)`."""
    return f"{ident} (line {line})"


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    more = ", ..." if len(numbers) > SHOWN_LINES else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


@dataclass
class _Built:
    """The record being built: spans, which span each T id became, notes for the meta."""
    spans: list[SpanRecord] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    keys: dict[tuple[int, int, str], int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _build(doc: Document, ctx: Context) -> ArticleRecord:
    built = _Built()
    for ident, bound in doc.bounds.items():
        _add_bound(doc, ctx, built, ident, bound)
    _add_attributes(doc, ctx, built)
    _add_notes(doc, ctx, built)
    relations = _relations(doc, ctx, built)
    for kind, lines in doc.skipped.items():
        ctx.warn(f"{_lines(lines)}: skipped {len(lines)} {SKIPPED_KINDS[kind]} line(s): "
                 "Newsmark has no such annotations")
    ctx.admit_labels(built.spans, list(built.layers))
    meta: dict = {"brat_document": doc.name}
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
        ctx.warn(f"{_at(ident, bound.line)}: discontinuous {bound.label} span imported as "
                 f"{len(pieces)} spans (its relations, attributes and notes on the first)")
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
    for line, ident, name, target, value in doc.attributes:
        at = built.index.get(target)
        where = f"{_at(ident, line)}: {name} on {target}"
        if at is None:
            ctx.warn(f"{where}, which is not a span; skipped")
        elif name.lower() == SUGGESTED.lower():
            built.spans[at].state = State.SUGGESTED
        else:
            _set_attribute(ctx, built, at, where,
                           attribute_def(ctx.attributes.values(), name), value)


def _set_attribute(ctx: Context, built: _Built, at: int, where: str,
                   definition: AttributeDef | None, value: str | None) -> None:
    span, layer = built.spans[at], built.layers[at]
    if definition is None:
        ctx.warn(f"{where}: the project has no such claim attribute; skipped")
    elif layer is not Layer.CLAIM:
        ctx.warn(f"{where} ({span.label}, {layer} layer): claim attributes are for claims; "
                 "skipped")
    elif (chosen := _value(definition, value)) is None:
        ctx.warn(f"{where}: {value or '(no value)'!r} is not one of "
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
    lines: dict[int, list[tuple[int, str, str]]] = {}
    for line, ident, target, note in doc.notes:
        at = built.index.get(target)
        if at is None or built.layers[at] is not Layer.CLAIM:
            built.notes.append(f"{target}: {note}")
            what = ", which is not a span" if at is None else \
                f" ({built.spans[at].label}, {built.layers[at]} layer)"
            ctx.warn(f"{_at(ident, line)}: note on {target}{what}: kept in the article's "
                     "meta (brat_notes)")
        elif not _free_attribute(ctx, built.spans[at], note):
            lines.setdefault(at, []).append((line, ident, note))
    for at, parts in lines.items():
        if NOTE in ctx.attributes:
            built.spans[at].attributes[NOTE] = "\n".join(note for _, _, note in parts)
            continue
        built.notes += [f"{built.spans[at].label} note: {note}" for _, _, note in parts]
        for line, ident, _ in parts:
            ctx.warn(f"{_at(ident, line)}: the project has no {NOTE} attribute; kept in the "
                     "article's meta (brat_notes)")


def _free_attribute(ctx: Context, span: SpanRecord, note: str) -> bool:
    name, sep, value = note.partition(": ")
    definition = ctx.attributes.get(name) if sep else None
    if definition is None or definition.kind == "choice" or name == NOTE:
        return False
    span.attributes[name] = value
    return True


def _relations(doc: Document, ctx: Context, built: _Built) -> list[RelationRecord]:
    relations = []
    for line, ident, label, head, child in doc.relations:
        ends = built.index.get(head), built.index.get(child)
        if None in ends:
            ctx.warn(f"{_at(ident, line)}: {label} between {head} and {child}, which are not "
                     "both spans; skipped")
        elif ends[0] == ends[1]:
            ctx.warn(f"{_at(ident, line)}: {label} relates a span to itself; skipped")
        else:
            relations.append(RelationRecord(ends[0], ends[1], relation_label(label),
                                            annotator=ctx.annotator))
    return relations
