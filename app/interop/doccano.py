"""doccano JSONL: sequence labelling (`label`) and relation extraction (`entities`, `relations`).

Import reads both forms doccano writes, one record a line (a JSON array of records is read
too):

    {"text": "...", "label": [[0, 9, "ORG"], [16, 24, "PERSON"]], "source": "a-42"}
    {"text": "...", "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 9}],
     "relations": [{"id": 7, "from_id": 1, "to_id": 2, "type": "claimant"}]}

Every span comes in accepted, origin "import", by the annotator of the import (doccano
names none). Keys other than these are metadata: title, url, source, author and published
(when strings) fill those fields, the rest goes to meta. A `label` that lists strings is a
text classification export: it has no spans and is kept in meta.

Export writes the entities + relations form, one article a line: every exported span of
every layer is an entity with its label, every relation between them a relation whose
`type` is our relation label (claimant, cue, hedge, ...); title, url, source, author,
published and meta are flattened to the top level; entity and relation ids count from 1
through the export. Overlapping spans (claims over entities, nested entities) are all
written: doccano drops overlaps on import unless the project allows them ("Allow
overlapping spans"), so create the project with that setting. Lost: rejected spans, states
(suggestions, when exported, come back accepted), origins, annotators, times, status and
claim attributes (doccano has no per-span attributes).

Offsets. doccano counts offsets in UTF-16 code units (JavaScript string indices) unless
the project counts grapheme clusters; it has no setting that counts code points. So
export writes UTF-16 units (`DoccanoExporter.units`; a subclass with `units =
CODE_POINTS` writes Python indices): that is what a doccano project with default settings
reads correctly, and what doccano itself exports. Each exported record says so in a
`"newsmark_offsets": "utf-16"` key, which doccano keeps as metadata and writes back on
its own export, so a file that went to doccano and back is read exactly. doccano does not
carry the covered text, so a record without that key is judged: where the text has
characters beyond U+FFFF, the offsets are read both ways and the reading whose spans lie
in the text, split no surrogate pair and cut fewer words wins; a tie keeps code points.
CRLF counts as two characters either way (doccano displays it as one, so spans after a
CRLF that were drawn in doccano may be shifted: doccano issues #2114, #2290).

Shared with labelstudio.py: reading JSONL or a JSON array with lines (`json_entries`),
wrapping values as Foreign records (`foreign`), the metadata of a record (`article_from`,
`flat_metadata`).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

from app.exporting.common import Exporter, Job
from app.importing.checks import (Context, Rejected, describe, first_line, integer, kind_of,
                                  list_of, name_of, storable, text_of, within)
from app.importing.readers import BOM, json_reason, read_jsonl
from app.importing.records import FIELDS, Foreign
from app.interop.sniffing import DOCCANO_UNITS_KEY as UNITS_KEY
from models.domain import Annotation, Article, ArticleRecord, RelationRecord, SpanRecord

Entry = tuple[int, Any, int]
UTF16 = "utf-16"
CODE_POINTS = "codepoints"
RESERVED = frozenset({"text", "label", "entities", "relations", UNITS_KEY})
ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_LINE = orjson.OPT_APPEND_NEWLINE
# A JSON string, or a bracket or comma outside strings: enough to find array elements.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.DOTALL)
_NON_SPACE = re.compile(rb"[^ \t\r\n]")


# --- reading -----------------------------------------------------------------------------

def read(path: Path) -> Iterator[Entry]:
    return foreign(json_entries(path), from_doccano)


def foreign(entries: Iterator[Entry], build: Callable[[Any, Context], ArticleRecord | None]
            ) -> Iterator[Entry]:
    """Entries whose JSON values become Foreign records built by `build(value, ctx)`."""
    for line, value, position in entries:
        payload = value if isinstance(value, Rejected) else Foreign(partial(build, value))
        yield line, payload, position


def json_entries(path: Path) -> Iterator[Entry]:
    """JSON values of a JSONL file, or of a file holding one JSON array (or one object
    over many lines)."""
    with open(path, "rb") as f:
        head = f.read(4096).removeprefix(BOM).lstrip(b" \t\r\n")
    whole = head.startswith(b"[") or (head.startswith(b"{") and _one_object(path))
    return array_entries(path) if whole else read_jsonl(path)


def _one_object(path: Path) -> bool:
    """A file whose first line is not JSON but which is one JSON object as a whole."""
    with open(path, "rb") as f:
        try:
            orjson.loads(f.readline().removeprefix(BOM))
            return False
        except orjson.JSONDecodeError:
            pass
    try:
        return isinstance(orjson.loads(path.read_bytes().removeprefix(BOM)), dict)
    except orjson.JSONDecodeError:
        return False


def array_entries(path: Path) -> Iterator[Entry]:
    """The elements of a JSON array (or one object), each with the line it starts on.

    The file is parsed whole by orjson; a scan for commas outside strings finds where
    each element starts, so errors name the element's line, not its index."""
    data = path.read_bytes().removeprefix(BOM)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield exc.lineno, Rejected(json_reason(exc)), len(data)
        return
    if isinstance(value, dict):
        yield 1, value, len(data)
    elif not isinstance(value, list):
        yield 1, Rejected(f"not a JSON array of records ({kind_of(value)})"), len(data)
    else:
        yield from ((line, item, end) for item, (line, end) in zip(value, element_lines(data)))


def element_lines(data: bytes) -> Iterator[tuple[int, int]]:
    """(line, end offset) of each element of the JSON array `data`, in order."""
    depth, line, counted = 0, 1, 0
    starts: list[int] = []
    for match in _TOKENS.finditer(data):
        char = data[match.start()]
        if char in b"[{":
            depth += 1
        elif char in b"]}":
            depth -= 1
        if (char == ord("[") and depth == 1) or (char == ord(",") and depth == 1):
            found = _NON_SPACE.search(data, match.end())
            starts.append(found.start() if found else len(data))
    for start, end in zip(starts, [*starts[1:], len(data)]):
        line += data.count(b"\n", counted, start)
        counted = start
        yield line, end


# --- building a record -------------------------------------------------------------------

def from_doccano(record: Any, ctx: Context) -> ArticleRecord:
    if not isinstance(record, dict):
        raise Rejected(f"not a JSON object ({kind_of(record)})")
    text = text_of(record)
    items = _entity_items(record)
    spans, ids = _spans(items, text, _utf16_table(record, text, [item[0] for item in items]),
                        ctx.annotator)
    relations = _relations(record, ids, ctx.annotator)
    ctx.admit_labels(spans, [None] * len(spans))
    categories = record.get("label") if not items and "entities" not in record else None
    return article_from(text, record, RESERVED, spans, relations,
                        extra={"label": categories} if categories else {})


def _spans(items: list[Item], text: str, table: Utf16 | None, annotator: str | None
           ) -> tuple[list[SpanRecord], dict[Any, int]]:
    """The spans in code points, and the index of each entity id among them."""
    spans: list[SpanRecord] = []
    ids: dict[Any, int] = {}
    for (start, end), label, key, where in items:
        if table is not None:
            start, end = _to_points(table, start, end, where)
        within(text, start, end, where)
        if key in ids:
            raise Rejected(f"{where}: id {describe(key)} is used by another entity")
        if key is not None:
            ids[key] = len(spans)
        spans.append(SpanRecord(start, end, label, annotator=annotator))
    return spans, ids


Item = tuple[tuple[int, int], str, Any, str]     # (start, end), label, entity id, where


def _entity_items(record: dict) -> list[Item]:
    """The spans as given (offsets unconverted), from `entities` or else from `label`."""
    if record.get("entities") is not None:
        return [_entity(item, f"entity {i}")
                for i, item in enumerate(list_of(record, "entities"))]
    triples = list_of(record, "label")
    if all(isinstance(x, str) for x in triples):
        return []                                    # text classification categories
    return [_triple(item, f"label {i}") for i, item in enumerate(triples)]


def _entity(item: Any, where: str) -> Item:
    if not isinstance(item, dict):
        raise Rejected(f"{where} is not an object ({kind_of(item)})")
    key = item.get("id")
    if key is not None and (type(key) is not int and not isinstance(key, str)):
        raise Rejected(f"{where}: id is not a number or a string ({describe(key)})")
    return (bounds(item, ("start_offset", "end_offset"), where), name_of(item, "label", where),
            key, where)


def _triple(item: Any, where: str) -> Item:
    if not isinstance(item, list) or len(item) != 3:
        raise Rejected(f"{where} is not [start, end, label] ({describe(item)})")
    fields = dict(zip(("start", "end", "label"), item))
    return bounds(fields, ("start", "end"), where), name_of(fields, "label", where), None, where


def bounds(item: dict, keys: tuple[str, str], where: str) -> tuple[int, int]:
    """Start and end under these keys: integers, end after start."""
    start, end = integer(item, keys[0], where), integer(item, keys[1], where)
    if end <= start:
        raise Rejected(f"{where}: {keys[1]} {end} is not after {keys[0]} {start}")
    return start, end


def _relations(record: dict, ids: dict[Any, int], annotator: str | None) -> list[RelationRecord]:
    return [_relation(item, f"relation {i}", ids, annotator)
            for i, item in enumerate(list_of(record, "relations"))]


def _relation(item: Any, where: str, ids: dict[Any, int], annotator: str | None
              ) -> RelationRecord:
    """A relation between two entities named by id; its `type` is the relation's label."""
    if not isinstance(item, dict):
        raise Rejected(f"{where} is not an object ({kind_of(item)})")
    head, child = (_entity_index(item, key, ids, where) for key in ("from_id", "to_id"))
    if head == child:
        raise Rejected(f"{where}: a span cannot relate to itself")
    return RelationRecord(head, child, name_of(item, "type", where), annotator=annotator)


def _entity_index(item: dict, key: str, ids: dict[Any, int], where: str) -> int:
    value = item.get(key)
    hashable = type(value) is int or isinstance(value, str)
    if not hashable or value not in ids:
        raise Rejected(f"{where}: {key} {describe(value)} is not the id of an entity")
    return ids[value]


def article_from(text: str, record: dict, reserved: frozenset[str], spans: list[SpanRecord],
                 relations: list[RelationRecord], *, extra: dict | None = None) -> ArticleRecord:
    """The article of a flat record: string title, url, ... as fields, other keys as meta."""
    fields = {key: record[key] for key in FIELDS if isinstance(record.get(key), str)}
    meta = {k: v for k, v in record.items() if k not in reserved and k not in fields}
    return ArticleRecord(text=text, title=fields.get("title") or first_line(text),
                         source=fields.get("source"), url=fields.get("url"),
                         author=fields.get("author"), published=fields.get("published"),
                         meta=storable(meta | (extra or {})), spans=spans, relations=relations)


# --- offsets -----------------------------------------------------------------------------

class Utf16:
    """Code point <-> UTF-16 code unit offsets of one text, through one prefix table."""

    def __init__(self, text: str) -> None:
        self.units = list(accumulate((2 if ord(c) > 0xFFFF else 1 for c in text), initial=0))

    def to_units(self, point: int) -> int:
        return self.units[point]

    def to_points(self, unit: int) -> int | None:
        """The code point index at a unit index; None inside a pair or past the end."""
        point = bisect_left(self.units, unit)
        return point if point < len(self.units) and self.units[point] == unit else None


def _utf16_table(record: dict, text: str, spans: list[tuple[int, int]]) -> Utf16 | None:
    """The table to read UTF-16 offsets through, None when they are code points: as the
    record says, else the reading that fits its text better."""
    declared = record.get(UNITS_KEY)
    if declared is not None and declared not in (UTF16, CODE_POINTS):
        raise Rejected(f"{UNITS_KEY} {describe(declared)} is not {UTF16} or {CODE_POINTS}")
    if declared == CODE_POINTS or not spans or not ASTRAL.search(text):
        return None
    table = Utf16(text)
    if declared == UTF16:
        return table
    as_units = [(table.to_points(s), table.to_points(e)) for s, e in spans]
    return table if _fit(text, as_units) > _fit(text, spans) else None


def _fit(text: str, spans: list[tuple[int | None, int | None]]) -> int:
    """How many spans look drawn by hand (no cut word, no edge space); -1: some cannot be."""
    if any(s is None or e is None or e > len(text) for s, e in spans):
        return -1
    return sum(_clean(text, s, e) for s, e in spans)  # type: ignore[arg-type]


def _clean(text: str, start: int, end: int) -> bool:
    def cuts(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()
    return not (text[start].isspace() or text[end - 1].isspace() or cuts(start) or cuts(end))


def _to_points(table: Utf16, start: int, end: int, where: str) -> tuple[int, int]:
    converted = table.to_points(start), table.to_points(end)
    for unit, point in zip((start, end), converted):
        if point is None and unit < table.units[-1]:
            raise Rejected(f"{where}: UTF-16 offset {unit} falls inside a character")
        if point is None:
            raise Rejected(f"{where}: {start}-{end} lies outside the text "
                           f"({table.units[-1]} UTF-16 units)")
    return converted  # type: ignore[return-value]


# --- export ------------------------------------------------------------------------------

class DoccanoExporter(Exporter):
    """One doccano record a line; `units` says how offsets are counted (see the module)."""
    batch_size = 256
    units = UTF16

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.entity_ids = self.relation_ids = 0

    def convert(self, batch: list[Annotation]) -> list[bytes]:
        return [orjson.dumps(self._record(a), option=_LINE) for a in batch]

    def _record(self, annotation: Annotation) -> dict:
        article = annotation.article
        offset = _offset_writer(article.text, self.units)
        ids: dict[int, int] = {}
        entities = []
        for span in annotation.spans:
            self.entity_ids += 1
            ids[span.id] = self.entity_ids
            entities.append({"id": self.entity_ids, "label": span.label,
                             "start_offset": offset(span.start), "end_offset": offset(span.end)})
        relations = []
        for relation in annotation.relations:
            self.relation_ids += 1
            relations.append({"id": self.relation_ids, "from_id": ids[relation.head_id],
                              "to_id": ids[relation.child_id], "type": relation.label})
        return ({"text": article.text, "entities": entities, "relations": relations}
                | flat_metadata(article, RESERVED, self.job) | {UNITS_KEY: self.units})


def _offset_writer(text: str, units: str) -> Callable[[int], int]:
    if units == CODE_POINTS or not ASTRAL.search(text):
        return int
    return Utf16(text).to_units


def flat_metadata(article: Article, reserved: frozenset[str], job: Job) -> dict[str, Any]:
    """Title, url, source, author, published (those set), then meta, for one flat record.

    A meta key the format itself uses cannot be written: it is left out and reported."""
    values = {key: getattr(article, key) for key in FIELDS if getattr(article, key)}
    for key, value in article.meta.items():
        if key in reserved:
            job.problems.append(f"{article.uid}: meta {key!r} left out (the format uses "
                                "that key)")
        else:
            values.setdefault(key, value)
    return values
