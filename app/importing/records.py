"""Turning what a reader yields into a checked ArticleRecord (or None: skip it).

Four shapes arrive: `Fields` (text and metadata, from .txt, .csv, .html), a Newsmark
lossless record (`"newsmark": 1`, see newsmark.py), a Prodigy-style task
(`text`, `spans`, `meta`, optional `relations`) and `Foreign`: another tool's record
(app/interop/) that builds itself. Spans of Fields and Prodigy tasks are accepted, origin
"import", by the annotator of the import; a Foreign record sets each span's annotator
itself (`ctx.annotator` when its format names none).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.importing.checks import (Context, Rejected, check_text, first_line, kind_of, meta_of,
                                  name_of, offsets, optional_str, storable, text_of, within)
from app.importing.newsmark import from_newsmark
from models.domain import ArticleRecord, RelationRecord, SpanRecord, State

FIELDS = ("title", "url", "source", "author", "published")
PRODIGY_INTERNAL = frozenset({"_input_hash", "_task_hash", "_view_id", "tokens", "answer",
                              "_session_id", "_timestamp", "relations"})
SKIPPED_ANSWERS = frozenset({"reject", "ignore"})


@dataclass
class Fields:
    """An article without annotations, as a plain-text, CSV or HTML reader finds it."""
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Foreign:
    """Another tool's record: `build(ctx)` checks it and returns the ArticleRecord (None:
    skip it) or raises Rejected. It must call `ctx.admit_labels` for the labels it uses and
    set every span's and relation's annotator (ctx.annotator when the format names none)."""
    build: Callable[[Context], ArticleRecord | None]


def build(payload: Any, ctx: Context) -> ArticleRecord | None:
    """The record to import, or None when it is to be skipped; raises Rejected."""
    if isinstance(payload, Fields):
        return from_fields(payload)
    if isinstance(payload, Foreign):
        return payload.build(ctx)
    if not isinstance(payload, dict):
        raise Rejected(f"not a JSON object ({kind_of(payload)})")
    if "newsmark" in payload:
        return from_newsmark(payload, ctx)
    return from_prodigy(payload, ctx)


def from_fields(fields: Fields) -> ArticleRecord:
    text = check_text(fields.text)
    return ArticleRecord(text=text, title=fields.title or first_line(text),
                         source=fields.source, url=fields.url, author=fields.author,
                         published=fields.published, meta=fields.meta)


def from_prodigy(task: dict, ctx: Context) -> ArticleRecord | None:
    answer = task.get("answer")
    if isinstance(answer, str) and answer in SKIPPED_ANSWERS:
        return None
    text = text_of(task)
    meta = meta_of(task)
    values = {key: _field(task, meta, key) for key in FIELDS}
    extra = {k: v for k, v in task.items()
             if k not in PRODIGY_INTERNAL and k not in FIELDS and k not in ("text", "spans", "meta")}
    spans, keys = _prodigy_spans(task, text, ctx.annotator)
    relations = _prodigy_relations(task, keys, ctx.annotator)
    ctx.admit_labels(spans, [None] * len(spans))
    return ArticleRecord(text=text, title=values["title"] or first_line(text),
                         source=values["source"], url=values["url"], author=values["author"],
                         published=values["published"], meta=storable({**extra, **meta}),
                         spans=spans, relations=relations)


def _field(task: dict, meta: dict, key: str) -> str | None:
    """A top-level field, else the same key in meta when it is a string there."""
    value = optional_str(task, key)
    if value is None and isinstance(meta.get(key), str):
        value = meta[key]
    return value


def _prodigy_spans(task: dict, text: str, annotator: str | None
                   ) -> tuple[list[SpanRecord], dict[tuple[Any, Any, Any], int]]:
    items = task.get("spans") or []
    if not isinstance(items, list):
        raise Rejected(f"spans is not a list ({kind_of(items)})")
    spans: list[SpanRecord] = []
    keys: dict[tuple[Any, Any, Any], int] = {}
    size = len(text)
    related = bool(task.get("relations"))     # only then are spans looked up by offsets
    accepted, origin = State.ACCEPTED, "import"
    for i, item in enumerate(items):
        if type(item) is dict:      # the common, valid span: accepted without the checks
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            covered = item.get("text")
            if (type(start) is int and type(end) is int and 0 <= start < end <= size
                    and type(label) is str and label.strip()
                    and (type(covered) is not str or text[start:end] == covered)):
                if related:
                    keys.setdefault((start, end, label), len(spans))
                spans.append(SpanRecord(start, end, label, accepted, origin, annotator))
                continue
        where = f"span {i}"         # anything else goes through the checks for its reason
        start, end = offsets(item, where)
        label = name_of(item, "label", where)
        start, end = covering(text, start, end, item.get("text"), where)
        within(text, start, end, where)
        keys.setdefault((item["start"], item["end"], label), len(spans))
        spans.append(SpanRecord(start, end, label, annotator=annotator))
    return spans, keys


def covering(text: str, start: int, end: int, covered: Any, where: str) -> tuple[int, int]:
    """Check offsets against the text a span says it covers; UTF-16 offsets are converted."""
    if not isinstance(covered, str) or text[start:end] == covered:
        return start, end
    converted = from_utf16(text, start), from_utf16(text, end)
    if None not in converted and text[converted[0]:converted[1]] == covered:
        return converted  # type: ignore[return-value]
    raise Rejected(f"{where}: text[{start}:{end}] is {text[start:end][:30]!r} "
                   f"but the span says {covered[:30]!r}")


def from_utf16(text: str, unit: int) -> int | None:
    """The code point index at a UTF-16 code unit index, None when it falls inside a pair."""
    count = 0
    for i, ch in enumerate(text):
        if count >= unit:
            return i if count == unit else None
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if count == unit else None


def _prodigy_relations(task: dict, keys: dict, annotator: str | None) -> list[RelationRecord]:
    items = task.get("relations") or []
    if not isinstance(items, list):
        raise Rejected(f"relations is not a list ({kind_of(items)})")
    relations = []
    for i, item in enumerate(items):
        where = f"relation {i}"
        if not isinstance(item, dict):
            raise Rejected(f"{where} is not an object ({kind_of(item)})")
        label = name_of(item, "label", where)
        head, child = (_span_index(item, end, keys, where) for end in ("head_span", "child_span"))
        if head == child:
            raise Rejected(f"{where}: a span cannot relate to itself")
        relations.append(RelationRecord(head, child, label, annotator=annotator))
    return relations


def _span_index(relation: dict, end: str, keys: dict, where: str) -> int:
    span = relation.get(end)
    if not isinstance(span, dict):
        raise Rejected(f"{where}: no {end}")
    key = (span.get("start"), span.get("end"), span.get("label"))
    hashable = type(key[0]) is int and type(key[1]) is int and isinstance(key[2], str)
    if not hashable or key not in keys:
        raise Rejected(f"{where}: {end} {key[0]}-{key[1]} {key[2]} is not one of the spans")
    return keys[key]
