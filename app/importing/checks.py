"""The checks every imported record goes through; a failed check raises Rejected(reason).

Reasons are one short line naming the part of the record at fault ("span 2: end 5 is
not after start 9"); the service prefixes FILE:LINE. Offsets are code points into the
exact text, checked as JSON gives them: `true` is not an integer here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from models.domain import AttributeDef, Layer, Schema, SpanRecord

MAX_INT = 2**63 - 1     # SQLite's INTEGER
PREVIEW = 30


class Rejected(Exception):
    """A record (or a line) that cannot be imported; str(exc) is the reason."""


@dataclass
class Context:
    """What checking needs to know of the project, and the labels this run adds."""
    labels: dict[str, Layer]
    attributes: dict[str, AttributeDef]
    allow_new_labels: bool
    annotator: str | None
    new: dict[str, Layer] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # of the record being built

    def warn(self, reason: str) -> None:
        """Something of a record that was imported differently or left out, not refused:
        reported as `FILE:LINE: warning: reason` beside the rejected records."""
        self.warnings.append(reason)

    @classmethod
    def of(cls, schema: Schema, *, allow_new_labels: bool, annotator: str | None) -> Context:
        return cls({lab.name: lab.layer for lab in schema.labels},
                   {d.name: d for d in schema.attributes}, allow_new_labels, annotator)

    def admit_labels(self, spans: list[SpanRecord], layers: list[Layer | None]) -> None:
        """Refuse unknown labels with --no-new-labels, else note them to be added."""
        unknown: dict[str, Layer] = {}
        for span, layer in zip(spans, layers):
            if span.label not in self.labels and span.label not in unknown:
                unknown[span.label] = layer or Layer.ENTITY
        if unknown and not self.allow_new_labels:
            raise Rejected(f"unknown label {next(iter(unknown))} (--no-new-labels)")
        self.labels.update(unknown)
        self.new.update(unknown)


def describe(value: Any) -> str:
    """A value as JSON, cut short, for a reason."""
    try:
        shown = orjson.dumps(value).decode()
    except (orjson.JSONEncodeError, TypeError):
        shown = type(value).__name__
    return shown if len(shown) <= PREVIEW else shown[:PREVIEW - 3] + "..."


def kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def text_of(record: dict) -> str:
    if "text" not in record or record["text"] is None:
        raise Rejected("missing text")
    return check_text(record["text"])


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise Rejected(f"text is not a string ({kind_of(text)})")
    if not text.strip():
        raise Rejected("empty text")
    if "\x00" in text:
        raise Rejected(f"text contains a NUL character (offset {text.index(chr(0))})")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Rejected(f"text contains a lone surrogate (offset {exc.start})") from None
    return text


def optional_str(record: dict, key: str, where: str = "") -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        prefix = f"{where}: " if where else ""
        raise Rejected(f"{prefix}{key} is not a string ({kind_of(value)})")
    return value


def name_of(record: dict, key: str, where: str) -> str:
    """A required label-like string: present, a string, not blank."""
    if record.get(key) is None:
        raise Rejected(f"{where}: no {key}")
    value = record[key]
    if not isinstance(value, str):
        raise Rejected(f"{where}: {key} is not a string ({describe(value)})")
    if not value.strip():
        raise Rejected(f"{where}: empty {key}")
    return value


def integer(record: dict, key: str, where: str) -> int:
    if key not in record:
        raise Rejected(f"{where}: no {key}")
    value = record[key]
    if type(value) is int:           # bool is an int subclass: refused here
        if value > MAX_INT:
            raise Rejected(f"{where}: {key} is too large ({value})")
        if value < 0:
            raise Rejected(f"{where}: {key} is negative ({value})")
        return value
    raise Rejected(f"{where}: {key} is not an integer ({describe(value)})")


def offsets(span: Any, where: str) -> tuple[int, int]:
    if not isinstance(span, dict):
        raise Rejected(f"{where} is not an object ({kind_of(span)})")
    start, end = integer(span, "start", where), integer(span, "end", where)
    if end <= start:
        raise Rejected(f"{where}: end {end} is not after start {start}")
    return start, end


def within(text: str, start: int, end: int, where: str) -> None:
    if end > len(text):
        raise Rejected(f"{where}: {start}-{end} lies outside the text (length {len(text)})")


def list_of(record: dict, key: str) -> list:
    """An optional list: absent or null is empty, anything else not a list is refused."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Rejected(f"{key} is not a list ({describe(value)})")
    return value


def meta_of(record: dict) -> dict:
    meta = record.get("meta")
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise Rejected(f"meta is not an object ({kind_of(meta)})")
    return meta


def storable(meta: dict) -> dict:
    """Meta must serialise back (orjson writes at most 255 levels deep)."""
    if any(isinstance(v, (dict, list)) for v in meta.values()):
        try:
            orjson.dumps(meta)
        except orjson.JSONEncodeError as exc:
            raise Rejected(f"meta cannot be stored ({exc})") from None
    return meta


def first_line(text: str) -> str:
    """The default title: the first line that is not blank, stripped."""
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        if line := text[pos:nl].strip():
            return line
        pos = nl + 1
    return ""
