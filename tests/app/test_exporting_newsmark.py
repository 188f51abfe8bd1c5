"""The lossless newsmark JSONL: shape, key order, every decision, a byte-identical round trip."""
from __future__ import annotations

import pytest

from app.exporting import export
from app.importing import import_paths
from app.project import create_project
from models.domain import State, Status
from tests.app._exporting import HARD, add, at, read_jsonl, span

KEYS = ["newsmark", "uid", "title", "text", "source", "url", "author", "published", "meta",
        "status", "created", "updated", "spans", "relations"]
SPAN_KEYS = ["id", "start", "end", "label", "layer", "state", "origin", "annotator", "created",
             "updated", "attributes"]


@pytest.fixture
def project(store):
    spans = [span(HARD, "said \u201cthe engine works\u201d", "CLAIM",
                  attributes={"stance": "affirm", "claimant_kind": "entity"}),
             span(HARD, "Ada Lovelace", "PERSON"),
             span(HARD, "Paris", "GPE", state=State.REJECTED),
             span(HARD, "Cafe\u0301", "ORG", state=State.SUGGESTED, annotator="bot"),
             span(HARD, "allegedly", "HEDGE")]
    add(store, HARD, spans, relations=[(0, 1, "claimant"), (0, 4, "hedge")], title="Engine",
        source="wire", url="https://example.org/a", author="Bo", published="2024-05-01",
        meta={"desk": "science", "n": [1, 2]}, status=Status.IN_PROGRESS)
    add(store, "Second text, no spans.", [], status=Status.NEW)
    return store


def test_exporting_newsmark_writes_exactly_the_documented_shape(project, tmp_path):
    report = export(project, "newsmark", tmp_path / "out.jsonl")
    first, second = read_jsonl(tmp_path / "out.jsonl")
    assert (report.articles, report.records, report.problems) == (2, 2, [])
    assert list(first) == KEYS and first["newsmark"] == 1
    assert [list(s) for s in first["spans"]] == [SPAN_KEYS] * 4
    assert list(first["relations"][0]) == ["head", "child", "label", "annotator", "created"]
    assert (first["title"], first["source"], first["author"], first["status"]) == (
        "Engine", "wire", "Bo", "in_progress")
    assert first["meta"] == {"desk": "science", "n": [1, 2]}
    assert second["spans"] == [] and second["relations"] == []


def test_exporting_newsmark_orders_spans_and_points_relations_at_indexes(project, tmp_path):
    export(project, "newsmark", tmp_path / "out.jsonl")
    record = read_jsonl(tmp_path / "out.jsonl")[0]
    spans = record["spans"]
    assert [s["id"] for s in spans] == list(range(len(spans)))
    order = [(s["start"], -s["end"]) for s in spans]
    assert order == sorted(order)
    by_label = {s["label"]: s for s in spans}
    rels = {(spans[r["head"]]["label"], spans[r["child"]]["label"], r["label"])
            for r in record["relations"]}
    assert rels == {("CLAIM", "PERSON", "claimant"), ("CLAIM", "HEDGE", "hedge")}
    assert by_label["CLAIM"]["attributes"] == {"claimant_kind": "entity", "stance": "affirm"}
    assert list(by_label["CLAIM"]["attributes"]) == ["claimant_kind", "stance"]  # schema order
    assert by_label["CLAIM"]["layer"] == "claim" and by_label["HEDGE"]["layer"] == "cue"


def test_exporting_newsmark_offsets_slice_the_exact_text(project, tmp_path):
    export(project, "newsmark", tmp_path / "out.jsonl")
    record = read_jsonl(tmp_path / "out.jsonl")[0]
    assert record["text"] == HARD                       # CRLF, U+2028, NFD kept as they are
    covered = {s["label"]: record["text"][s["start"]:s["end"]] for s in record["spans"]}
    assert covered["PERSON"] == "Ada Lovelace"
    assert covered["CLAIM"] == "said \u201cthe engine works\u201d"
    assert [(s["start"], s["end"]) for s in record["spans"]] == [
        at(HARD, "Ada Lovelace"), at(HARD, "said \u201cthe engine works\u201d"),
        at(HARD, "Paris"), at(HARD, "allegedly")]


def test_exporting_newsmark_is_utf8_without_ascii_escapes(project, tmp_path):
    export(project, "newsmark", tmp_path / "out.jsonl")
    raw = (tmp_path / "out.jsonl").read_bytes()
    assert "\U0001F469\u200d\U0001F52C".encode() in raw and "\u2028".encode() in raw
    assert b"\\u" not in raw                     # no \uXXXX escapes at all
    assert raw.count(b"\n") == 2                  # one line per article: CRLF is escaped


@pytest.mark.parametrize("suggestions, states", [
    (False, {"accepted", "rejected"}),                   # a rejection is a decision: always kept
    (True, {"accepted", "rejected", "suggested"}),
])
def test_exporting_newsmark_keeps_rejections_and_suggestions_only_when_asked(
        project, tmp_path, suggestions, states):
    export(project, "newsmark", tmp_path / "out.jsonl", include_suggestions=suggestions)
    record = read_jsonl(tmp_path / "out.jsonl")[0]
    assert {s["state"] for s in record["spans"]} == states


@pytest.mark.parametrize("status, annotator, titles", [
    ([Status.IN_PROGRESS], None, ["Engine"]),
    ([Status.NEW, Status.DONE], None, [""]),
    (None, "ann", ["Engine"]),                           # the second article has no span of ann
    (None, "nobody", []),
])
def test_exporting_newsmark_passes_filters_to_the_store(project, tmp_path, status, annotator,
                                                         titles):
    report = export(project, "newsmark", tmp_path / "out.jsonl", status=status,
                    annotator=annotator)
    assert [r["title"] for r in read_jsonl(tmp_path / "out.jsonl")] == titles
    assert report.articles == len(titles)


def test_exporting_newsmark_annotator_filter_keeps_only_their_spans(project, tmp_path):
    export(project, "newsmark", tmp_path / "out.jsonl", annotator="bot",
           include_suggestions=True)
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert [(s["label"], s["annotator"]) for s in record["spans"]] == [("ORG", "bot")]
    assert record["relations"] == []


def test_exporting_newsmark_round_trip_is_byte_identical(project, tmp_path):
    first = tmp_path / "first.jsonl"
    export(project, "newsmark", first, include_suggestions=True)
    outputs = [first.read_bytes()]
    for n in range(2):                                   # import -> export, twice
        other = create_project(tmp_path / f"copy{n}.nmk")
        try:
            imported = import_paths(other, [tmp_path / f"{'first' if n == 0 else n - 1}.jsonl"],
                                    annotator="someone")
            assert imported.rejected == []
            export(other, "newsmark", tmp_path / f"{n}.jsonl", include_suggestions=True)
        finally:
            other.close()
        outputs.append((tmp_path / f"{n}.jsonl").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def _reference(store, **filters) -> list[dict]:
    """The newsmark records built the slow, obvious way from iter_annotations."""
    records = []
    for a in store.iter_annotations(**filters):
        index = {s.id: n for n, s in enumerate(a.spans)}
        art = a.article
        records.append({
            "newsmark": 1, "uid": art.uid, "title": art.title, "text": art.text,
            "source": art.source, "url": art.url, "author": art.author,
            "published": art.published, "meta": art.meta, "status": str(art.status),
            "created": art.created, "updated": art.updated,
            "spans": [{"id": n, "start": s.start, "end": s.end, "label": s.label,
                       "layer": str(s.layer), "state": str(s.state), "origin": s.origin,
                       "annotator": s.annotator, "created": s.created, "updated": s.updated,
                       "attributes": a.attributes.get(s.id, {})} for n, s in enumerate(a.spans)],
            "relations": [{"head": index[r.head_id], "child": index[r.child_id],
                           "label": r.label, "annotator": r.annotator, "created": r.created}
                          for r in a.relations]})
    return records


@pytest.mark.parametrize("options, filters", [
    ({}, {"states": [State.ACCEPTED, State.REJECTED]}),
    ({"include_suggestions": True}, {}),
    ({"annotator": "bot", "include_suggestions": True}, {"annotator": "bot"}),
    ({"status": [Status.NEW]}, {"status": [Status.NEW], "states": [State.ACCEPTED,
                                                                  State.REJECTED]}),
])
def test_exporting_newsmark_matches_the_store_annotations(project, tmp_path, options, filters):
    text = "Grace Hopper found the bug in Cambridge."
    add(project, text, [span(text, "Grace Hopper", "PERSON", annotator="bot"),
                        span(text, "found the bug", "CLAIM", state=State.SUGGESTED,
                             annotator="bot", attributes={"note": "moth"})],
        relations=[(1, 0, "claimant")], annotator="bot")
    export(project, "newsmark", tmp_path / "out.jsonl", **options)
    assert read_jsonl(tmp_path / "out.jsonl") == _reference(project, **filters)
