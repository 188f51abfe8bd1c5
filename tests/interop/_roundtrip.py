"""The round trip every interop format is tested with, and hypothesis projects to feed it.

    project -> export F -> import F into a new project -> export newsmark

must equal the original's newsmark export for everything F can carry. Each format's test
gives `carried(record) -> comparable`, the part of a newsmark record the format keeps
(for example brat: text, entity/claim/cue spans with labels, relations, attributes; not
states, times or annotators), and the round trip compares those projections article by
article (matched by uid: the text must come back exactly).

    @given(projects())
    def test_doccano_round_trip(tmp_path_factory, records):
        original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "doccano")
        assert [carried(r) for r in back] == [carried(r) for r in original]
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from hypothesis import strategies as st

from app.exporting import REGISTRY as EXPORTS
from app.exporting import export
from app.importing import import_paths
from app.project import create_project, open_project
from models.domain import (ArticleRecord, RelationLabel, RelationRecord, SpanRecord, State,
                           Status)

# Pieces that break offset arithmetic: astral emoji, a ZWJ sequence, a combining accent,
# CRLF, a lone CR, a line separator, curly quotes, tabs, double spaces.
PIECES = ["Ada", "Lovelace", "said", "Kyiv", "72nd", "Brigade", "\U0001F469\u200d\U0001F52C",
          "\U0001F680", "Cafe\u0301", "\u201cheld\u201d", "allegedly", "reported", "12",
          "drones", ",", ".", "Su-34", "according", "to", "NATO", "O\u2019Brien", "Zo\u00eb"]
GAPS = [" ", " ", " ", "  ", "\r\n", "\n", "\n\n", "\t", "\r", "\u2028 "]
ENTITY_LABELS = ["PERSON", "ORG", "GPE", "LOC", "DATE", "WEAPON", "MIL_UNIT"]


@st.composite
def texts(draw: Any) -> tuple[str, list[tuple[int, int]]]:
    """A text and its words' code point offsets (spans are drawn on word boundaries)."""
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=18))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words), max_size=len(words)))
    text, bounds = "", []
    for word, gap in zip(words, gaps):
        bounds.append((len(text), len(text) + len(word)))
        text += word + gap
    return text, bounds


@st.composite
def articles(draw: Any, *, states: bool = True, attributes: bool = True) -> ArticleRecord:
    """An article with nested and overlapping entities, claims, cues, hedges, relations."""
    text, bounds = draw(texts())
    spans: dict[tuple[int, int, str], SpanRecord] = {}
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(bounds) - 1))
        j = draw(st.integers(i, min(i + 3, len(bounds) - 1)))
        label = draw(st.sampled_from(ENTITY_LABELS + ["CLAIM", "CUE", "HEDGE"]))
        state = draw(st.sampled_from([State.ACCEPTED, State.ACCEPTED, State.SUGGESTED,
                                      State.REJECTED])) if states else State.ACCEPTED
        start, end = bounds[i][0], bounds[j][1]
        spans.setdefault((start, end, label), SpanRecord(
            start, end, label, state=state, annotator=draw(st.sampled_from(["ann", "bo"]))))
    listed = sorted(spans.values(), key=lambda s: (s.start, -s.end, s.label))
    relations = []
    claims = [k for k, s in enumerate(listed) if s.label == "CLAIM"]
    for k in claims:
        if attributes and draw(st.booleans()):
            listed[k].attributes = {"stance": draw(st.sampled_from(["affirm", "refute"])),
                                    "note": draw(st.sampled_from(["", "check \u201cthis\u201d",
                                                                  "two\nlines"]))}
        for child, s in enumerate(listed):
            if child == k:
                continue
            label = {"CUE": RelationLabel.CUE, "HEDGE": RelationLabel.HEDGE}.get(
                s.label, RelationLabel.CLAIMANT)
            if draw(st.integers(0, 3)) == 0:
                relations.append(RelationRecord(k, child, str(label), annotator="ann"))
    return ArticleRecord(text=text, title=draw(st.sampled_from(["", "A title", "Zo\u00eb"])),
                         status=draw(st.sampled_from(list(Status))), spans=listed,
                         relations=relations)


def projects(**kwargs: Any) -> Any:
    """Lists of articles with distinct texts (an import skips a repeated text)."""
    return st.lists(articles(**kwargs), min_size=1, max_size=4,
                    unique_by=lambda a: a.text)


def make_project(path: Path, records: list[ArticleRecord]) -> Path:
    create_project(path).close()
    with open_project(path) as store:
        store.insert_articles(records, annotator=None)
    return path


def newsmark_records(project: Path, out: Path, **options: Any) -> list[dict]:
    """The project's newsmark export, parsed, with suggestions and rejections."""
    with open_project(project, readonly=True) as store:
        export(store, "newsmark", out, include_suggestions=True, **options)
    with open(out, "rb") as f:
        return [orjson.loads(line) for line in f]


def round_trip(folder: Path, records: list[ArticleRecord], fmt: str, *,
               export_options: dict | None = None, import_options: dict | None = None
               ) -> tuple[list[dict], list[dict]]:
    """(original, back): newsmark records of the project and of its F round trip, by uid."""
    original = make_project(folder / "original.nmk", records)
    target = folder / f"out{EXPORTS[fmt].suffix}"       # a folder for brat
    with open_project(original, readonly=True) as store:
        export(store, fmt, target, **(export_options or {}))
    back = folder / "back.nmk"
    create_project(back).close()
    with open_project(back) as store:
        report = import_paths(store, [target], fmt=fmt, annotator="importer",
                              **(import_options or {}))
    assert not report.rejected, report.rejected
    before = newsmark_records(original, folder / "original.jsonl")
    after = {r["uid"]: r for r in newsmark_records(back, folder / "back.jsonl")}
    return before, [after.get(r["uid"], {"missing": r["uid"]}) for r in before]


def spans_of(record: dict, *, layers: tuple[str, ...] = ("entity", "claim", "cue"),
             states: tuple[str, ...] = ("accepted",)) -> list[tuple[int, int, str]]:
    """(start, end, label) of a newsmark record's spans in these layers and states, sorted."""
    return sorted((s["start"], s["end"], s["label"]) for s in record.get("spans", [])
                  if s["layer"] in layers and s["state"] in states)


def relations_of(record: dict, *, states: tuple[str, ...] = ("accepted",)
                 ) -> list[tuple[tuple, tuple, str]]:
    """Relations as ((start, end, label) of head, of child, label), sorted."""
    spans = record.get("spans", [])
    kept = [(spans[r["head"]], spans[r["child"]], r["label"]) for r in record.get("relations", [])]
    return sorted(((h["start"], h["end"], h["label"]), (c["start"], c["end"], c["label"]), lab)
                  for h, c, lab in kept if h["state"] in states and c["state"] in states)
