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


ENTITY_LABELS = ["PERSON", "ORG", "GPE", "LOC", "DATE", "WEAPON", "MIL_UNIT"]
TRICKY = [HARD, 'He said "no" \\ maybe\ttabs\x0bvt and \u2028 sep  two  spaces\r\n\r\nEnd.',
          "   ", "x", "Visit https://example.org/a-very-long/path?with=query&and=more now."]


def messy(store: Store, n: int, *, seed: int = 7) -> None:
    """`n` articles with everything an exporter must cope with: spans on and off token
    boundaries, overlapping, edged by white space, in every layer and state, from two
    annotators, claims with relations; tricky texts (escapes, emoji, CRLF) among them."""
    import random
    rng = random.Random(seed)
    words = ("Officials in Kyiv said the 72nd Brigade \u201cheld\u201d near Bakhmut on "
             "Tuesday, according to Maria Hendrix; 12 drones were allegedly downed.").split()
    records = []
    for i in range(n):
        text = TRICKY[i] if i < len(TRICKY) else " ".join(
            rng.choice(words) for _ in range(rng.randint(5, 60))) + ("\n\n" if i % 3 else "")
        spans: dict[tuple[int, int, str], SpanRecord] = {}
        for _ in range(rng.randint(0, 12) if text.strip() else 0):
            if rng.random() < 0.7:              # whole words, sometimes several
                starts = [k for k in range(len(text)) if (k == 0 or text[k - 1] == " ")
                          and not text[k].isspace()]
                start = rng.choice(starts)
                end = text.find(" ", start + 1 + rng.randint(0, 20))
                end = len(text) if end < 0 else end + (rng.random() < 0.1)   # a space?
            else:                               # anywhere
                start = rng.randrange(len(text))
                end = min(len(text), start + rng.randint(1, 25))
            r = rng.random()
            label = (rng.choice(ENTITY_LABELS) if r < 0.6 else "CLAIM" if r < 0.8
                     else rng.choice(["CUE", "HEDGE"]))
            state = rng.choice([State.ACCEPTED] * 5 + [State.SUGGESTED, State.REJECTED])
            spans[start, end, label] = SpanRecord(start, end, label, state=state,
                                                  annotator=rng.choice(["ann", "bo"]))
        listed = list(spans.values())
        relations = [RelationRecord(c, k, "claimant" if s.label in ENTITY_LABELS
                                    else s.label.lower())
                     for c, claim in enumerate(listed) if claim.label == "CLAIM"
                     for k, s in enumerate(listed) if k != c and s.label != "CLAIM"
                     and rng.random() < 0.3]
        records.append(ArticleRecord(text=text, title=f"T{i}", spans=listed,
                                     relations=relations, status=rng.choice(list(Status)),
                                     author=rng.choice([None, "Bo"]),
                                     source=rng.choice([None, "", "wire"])))
    store.insert_articles(records, annotator="ann")
