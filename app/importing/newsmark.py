"""Newsmark's own lossless JSONL record (`"newsmark": 1`), as the exporters write it.

Everything in it is kept: status, times, each span's state, origin, annotator and
claim attributes, relations with their annotator and time. A span's `id` is its index.
"""
from __future__ import annotations

from typing import Any

from app.importing.checks import (Context, Rejected, describe, integer, list_of, meta_of, name_of,
                                  offsets, optional_str, storable, text_of, within)
from models.domain import (ArticleRecord, Layer, RelationRecord, SpanRecord, State, Status,
                           text_uid)

VERSION = 1


def from_newsmark(record: dict, ctx: Context) -> ArticleRecord:
    if record["newsmark"] != VERSION or type(record["newsmark"]) is not int:
        raise Rejected(f"newsmark format {describe(record['newsmark'])} is not supported "
                       f"(this Newsmark reads {VERSION})")
    text = text_of(record)
    uid = optional_str(record, "uid")
    if uid is not None and uid != text_uid(text):
        raise Rejected("uid is not the sha256 of the text (text altered?)")
    title = optional_str(record, "title") or ""
    spans, layers = _spans(record, text, ctx)
    relations = _relations(record, len(spans))
    article = ArticleRecord(
        text=text, title=title, source=optional_str(record, "source"),
        url=optional_str(record, "url"), author=optional_str(record, "author"),
        published=optional_str(record, "published"), meta=storable(meta_of(record)),
        status=_choice(Status, record.get("status", "new"), "status"),
        created=optional_str(record, "created"), updated=optional_str(record, "updated"),
        spans=spans, relations=relations)
    ctx.admit_labels(spans, layers)
    return article


def _choice(kind: type, value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(v) for v in kind)
        raise Rejected(f"{what} {describe(value)} is not one of {allowed}") from None


def _annotator(item: dict, where: str) -> str | None:
    who = optional_str(item, "annotator", where)
    if who is not None and not who.strip():
        raise Rejected(f"{where}: empty annotator (use null for none)")
    return who


def _spans(record: dict, text: str, ctx: Context) -> tuple[list[SpanRecord], list[Layer | None]]:
    spans: list[SpanRecord] = []
    layers: list[Layer | None] = []
    seen: dict[tuple[int, int, str], int] = {}
    for i, item in enumerate(list_of(record, "spans")):
        where = f"span {i}"
        start, end = offsets(item, where)
        within(text, start, end, where)
        if "id" in item and item["id"] != i:
            raise Rejected(f"{where}: id {describe(item['id'])} is not its position {i}")
        label = name_of(item, "label", where)
        key = (start, end, label)
        if key in seen:
            raise Rejected(f"{where} repeats span {seen[key]} (same start, end and label)")
        seen[key] = i
        layer = item.get("layer")
        layers.append(None if layer is None else _choice(Layer, layer, f"{where}: layer"))
        spans.append(SpanRecord(
            start, end, label,
            state=_choice(State, item.get("state", "accepted"), f"{where}: state"),
            origin=name_of(item, "origin", where) if "origin" in item else "import",
            annotator=_annotator(item, where),
            created=optional_str(item, "created", where),
            updated=optional_str(item, "updated", where),
            attributes=_attributes(item, where, ctx)))
    return spans, layers


def _attributes(item: dict, where: str, ctx: Context) -> dict[str, str]:
    values = item.get("attributes")
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise Rejected(f"{where}: attributes is not an object ({describe(values)})")
    for name, value in values.items():
        definition = ctx.attributes.get(name)
        if definition is None:
            raise Rejected(f"{where}: attribute {name!r} is not in the project's schema")
        if not isinstance(value, str):
            raise Rejected(f"{where}: attribute {name} is not a string ({describe(value)})")
        if definition.kind == "choice" and value not in definition.values:
            raise Rejected(f"{where}: {name} {value!r} is not one of "
                           f"{', '.join(definition.values)}")
    return dict(values)


def _relations(record: dict, count: int) -> list[RelationRecord]:
    relations = []
    for i, item in enumerate(list_of(record, "relations")):
        where = f"relation {i}"
        if not isinstance(item, dict):
            raise Rejected(f"{where} is not an object ({describe(item)})")
        head, child = integer(item, "head", where), integer(item, "child", where)
        for end, index in (("head", head), ("child", child)):
            if index >= count:
                raise Rejected(f"{where}: {end} {index} points at a missing span "
                               f"(the record has {count})")
        if head == child:
            raise Rejected(f"{where}: a span cannot relate to itself")
        relations.append(RelationRecord(
            head, child, name_of(item, "label", where), annotator=_annotator(item, where),
            created=optional_str(item, "created", where)))
    return relations
