"""Newsmark's own lossless JSONL: everything kept, import -> export -> import is exact."""
from __future__ import annotations

import orjson
import pytest

from app.importing import import_paths
from app.project import create_project
from models.domain import Layer, text_uid

CLAIM_TEXT = "Ada Lovelace said the engine works.\r\n\U0001F469\u200d\U0001F52c Paris, cafe\u0301."


def span(i, start, end, label, layer, *, state="accepted", origin="manual", annotator="ann",
         attributes=None):
    return {"id": i, "start": start, "end": end, "label": label, "layer": layer, "state": state,
            "origin": origin, "annotator": annotator, "created": "2024-01-02T03:04:05.006Z",
            "updated": f"2024-01-0{i + 3}T00:00:00.000Z", "attributes": attributes or {}}


def record(text, *, spans=(), relations=(), **fields):
    return {"newsmark": 1, "uid": text_uid(text), "title": fields.get("title", "T"), "text": text,
            "source": fields.get("source"), "url": fields.get("url"),
            "author": fields.get("author"), "published": fields.get("published"),
            "meta": fields.get("meta", {}), "status": fields.get("status", "new"),
            "created": "2023-12-31T23:59:59.999Z", "updated": "2024-02-01T00:00:00.000Z",
            "spans": list(spans), "relations": list(relations)}


def dump(store) -> bytes:
    """The Newsmark record format, as FORMATS/the exporters write it, from the store."""
    lines = []
    for ann in store.iter_annotations():
        a = ann.article
        index = {s.id: i for i, s in enumerate(ann.spans)}
        lines.append(orjson.dumps({
            "newsmark": 1, "uid": a.uid, "title": a.title, "text": a.text, "source": a.source,
            "url": a.url, "author": a.author, "published": a.published, "meta": a.meta,
            "status": str(a.status), "created": a.created, "updated": a.updated,
            "spans": [{"id": i, "start": s.start, "end": s.end, "label": s.label,
                       "layer": str(s.layer), "state": str(s.state), "origin": s.origin,
                       "annotator": s.annotator, "created": s.created, "updated": s.updated,
                       "attributes": ann.attributes.get(s.id, {})}
                      for i, s in enumerate(ann.spans)],
            "relations": [{"head": index[r.head_id], "child": index[r.child_id], "label": r.label,
                           "annotator": r.annotator, "created": r.created}
                          for r in ann.relations]}) + b"\n")
    return b"".join(lines)


RECORDS = [
    record(CLAIM_TEXT, title="Engine", source="Wire", url="https://x.test/1", author="Kim",
           published="2024-01-01", meta={"z": 1, "a": [1, {"b": None}], "\u00e9": "\u2028"},
           status="done",
           spans=[span(0, 0, 34, "CLAIM", "claim", attributes={
                      "claimant_kind": "entity", "stance": "affirm", "note": "free \r\n text"}),
                  span(1, 0, 12, "PERSON", "entity", annotator=None),
                  span(2, 13, 17, "CUE", "cue", state="suggested", origin="model"),
                  span(3, 41, 46, "GPE", "entity", state="rejected", annotator="bob"),
                  span(4, 48, 53, "SOURCE_KIND", "cue", origin="rules")],
           relations=[{"head": 0, "child": 1, "label": "claimant", "annotator": "ann",
                       "created": "2024-01-05T00:00:00.000Z"},
                      {"head": 0, "child": 2, "label": "cue", "annotator": None,
                       "created": "2024-01-06T00:00:00.000Z"}]),
    record("A second, plain article.", status="in_progress"),
]


def test_importing_newsmark_round_trip_is_byte_identical(store, tmp_path):
    original = b"".join(orjson.dumps(r) + b"\n" for r in RECORDS)
    (tmp_path / "in.jsonl").write_bytes(original)
    report = import_paths(store, [tmp_path / "in.jsonl"], annotator="importer")
    assert report.ok and report.imported == 2 and report.new_labels == ["SOURCE_KIND"]
    first = dump(store)
    assert first == original
    (tmp_path / "out.jsonl").write_bytes(first)
    again = create_project(tmp_path / "again.nmk")
    try:
        assert import_paths(again, [tmp_path / "out.jsonl"], annotator="other").imported == 2
        assert dump(again) == first
    finally:
        again.close()


def test_importing_newsmark_keeps_null_annotators_and_states(store, tmp_path):
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps(RECORDS[0]) + b"\n")
    import_paths(store, [tmp_path / "in.jsonl"], annotator="importer")
    ann = store.annotation(store.article_ids()[0])
    assert [(s.label, s.annotator, str(s.state), s.origin) for s in ann.spans] == [
        ("CLAIM", "ann", "accepted", "manual"), ("PERSON", None, "accepted", "manual"),
        ("CUE", "ann", "suggested", "model"), ("GPE", "bob", "rejected", "manual"),
        ("SOURCE_KIND", "ann", "accepted", "rules")]
    assert [r.annotator for r in ann.relations] == ["ann", None]
    assert str(ann.article.status) == "done" and ann.article.created == "2023-12-31T23:59:59.999Z"
    assert store.label("SOURCE_KIND").layer == Layer.CUE


def test_importing_newsmark_span_layer_does_not_change_an_existing_label(store, tmp_path):
    rec = record("Ada spoke.", spans=[span(0, 0, 3, "PERSON", "cue")])
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps(rec) + b"\n")
    report = import_paths(store, [tmp_path / "in.jsonl"], annotator="ann")
    assert report.ok and report.new_labels == []
    assert store.label("PERSON").layer == Layer.ENTITY


def bad(**changes):
    rec = record("Ada said so.", spans=[span(0, 0, 3, "PERSON", "entity"),
                                        span(1, 4, 8, "CUE", "cue")],
                 relations=[{"head": 1, "child": 0, "label": "claimant", "annotator": None,
                             "created": "2024-01-01T00:00:00.000Z"}])
    for key, value in changes.items():
        where = rec
        *path, last = key.split("__")
        for part in path:
            where = where[int(part) if part.isdigit() else part]
        where[last] = value
    return rec


@pytest.mark.parametrize("rec, reason", [
    (bad(uid="0" * 64), "uid is not the sha256 of the text (text altered?)"),
    (bad(newsmark=2), "newsmark format 2 is not supported (this Newsmark reads 1)"),
    (bad(newsmark=True), "newsmark format true is not supported (this Newsmark reads 1)"),
    (bad(status="finished"), 'status "finished" is not one of new, in_progress, done, skipped'),
    (bad(created=5), "created is not a string (a number)"),
    (bad(spans__0__attributes={"mood": "sunny"}),
     "span 0: attribute 'mood' is not in the project's schema"),
    (bad(spans__0__attributes={"stance": "maybe"}),
     "span 0: stance 'maybe' is not one of affirm, refute, neutral, unknown"),
    (bad(spans__0__attributes={"note": 3}), "span 0: attribute note is not a string (3)"),
    (bad(spans__0__attributes=["stance"]), 'span 0: attributes is not an object (["stance"])'),
    (bad(spans__1__state="maybe"), 'span 1: state "maybe" is not one of accepted, suggested, rejected'),
    (bad(spans__1__layer="topic"), 'span 1: layer "topic" is not one of entity, claim, cue'),
    (bad(spans__1__id=7), "span 1: id 7 is not its position 1"),
    (bad(spans__1__start=0, spans__1__end=3, spans__1__label="PERSON"),
     "span 1 repeats span 0 (same start, end and label)"),
    (bad(spans__1__annotator=""), "span 1: empty annotator (use null for none)"),
    (bad(spans__1__origin=""), "span 1: empty origin"),
    (bad(spans__1__updated=False), "span 1: updated is not a string (a boolean)"),
    (bad(relations__0__child=1), "relation 0: a span cannot relate to itself"),
    (bad(relations__0__head=2), "relation 0: head 2 points at a missing span (the record has 2)"),
    (bad(relations__0__label=""), "relation 0: empty label"),
    (bad(relations=[3]), "relation 0 is not an object (3)"),
])
def test_importing_newsmark_rejections(store, tmp_path, rec, reason):
    good = record("Fine text.")
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(rec) + b"\n")
    report = import_paths(store, [tmp_path / "in.jsonl"], annotator="ann")
    assert [(p.line, p.reason) for p in report.rejected] == [(2, reason)]
    assert report.imported == 1 and store.stats()["spans"] == 0


def test_importing_newsmark_minimal_record_takes_defaults(store, tmp_path):
    (tmp_path / "in.jsonl").write_bytes(b'{"newsmark": 1, "text": "Just text.", '
                                        b'"spans": [{"start": 0, "end": 4, "label": "NEWONE"}]}\n')
    report = import_paths(store, [tmp_path / "in.jsonl"], annotator="ann")
    ann = store.annotation(store.article_ids()[0])
    assert report.new_labels == ["NEWONE"] and store.label("NEWONE").layer == Layer.ENTITY
    assert (ann.article.title, str(ann.article.status), ann.article.meta) == ("", "new", {})
    assert [(str(s.state), s.origin) for s in ann.spans] == [("accepted", "import")]
