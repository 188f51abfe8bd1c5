"""Helpers for the export tests: articles with hard texts, built through the store."""
from __future__ import annotations

from pathlib import Path

import orjson

from models.domain import ArticleRecord, RelationRecord, SpanRecord, State, Status
from models.store import Store

# CRLF, an astral ZWJ emoji, a combining accent, curly quotes, a line separator
HARD = ("Dr. Ada Lovelace said \u201cthe engine works\u201d.\r\n"
        "Paris \U0001F469\u200d\U0001F52C Cafe\u0301 reported it\u2028too, allegedly.")


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Code point offsets of the nth occurrence of `piece`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def span(text: str, piece: str, label: str, *, state: State = State.ACCEPTED,
         attributes: dict | None = None, annotator: str | None = None) -> SpanRecord:
    start, end = at(text, piece)
    return SpanRecord(start, end, label, state=state, attributes=attributes or {},
                      annotator=annotator)


def add(store: Store, text: str, spans: list[SpanRecord], *,
        relations: list[tuple[int, int, str]] = (), title: str = "",
        status: Status = Status.DONE, annotator: str = "ann", **fields) -> None:
    """One article; relations name spans by their index in `spans`."""
    store.insert_articles([ArticleRecord(
        text=text, title=title, status=status, spans=list(spans),
        relations=[RelationRecord(h, c, lab) for h, c, lab in relations], **fields)],
        annotator=annotator)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, "rb") as f:
        return [orjson.loads(line) for line in f]
