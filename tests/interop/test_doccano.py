"""doccano JSONL: both forms in, entities + relations out, offsets judged, the round trip."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.exporting import export
from app.importing import Problem, import_paths
from app.importing.checks import Context, Rejected
from app.interop.doccano import CODE_POINTS, DoccanoExporter, from_doccano
from app.interop.sniffing import doccano as sniff
from app.project import create_project
from app.resources import default_schema
from models.domain import ArticleRecord, RelationRecord, SpanRecord, State
from tests.interop._roundtrip import projects, relations_of, round_trip, spans_of

DATA = Path(__file__).resolve().parents[1] / "data" / "interop" / "doccano"
ROCKET = "\U0001F680"


def covered(store) -> list[list[tuple[str, str]]]:
    """Per article, (covered text, label) of its spans in start order."""
    return [[(a.article.text[s.start:s.end], s.label) for s in a.spans]
            for a in store.iter_annotations()]


def exported(store, tmp_path: Path, **options) -> tuple[list[dict], list[str]]:
    out = tmp_path / "out.jsonl"
    report = export(store, "doccano", out, **options)
    return [orjson.loads(line) for line in out.read_bytes().splitlines()], report.problems


# --- import ------------------------------------------------------------------------------

def test_doccano_label_form_counts_crlf_as_two_and_keeps_metadata(store):
    report = import_paths(store, [DATA / "label_form.jsonl"], annotator="ann")
    assert (report.imported, report.rejected) == (3, [])
    first, categories, empty = store.iter_annotations()
    assert covered(store)[0] == [("Acme Corp", "ORG"), ("Jane Doe", "PERSON"), ("She", "PERSON")]
    assert "\r\n" in first.article.text
    assert (first.article.title, first.article.source, first.article.url,
            first.article.published) == ("Hiring", "a-42", "https://example.org/a", "2024-05-01")
    # an author that is not a string is kept, in meta
    assert first.article.meta == {"id": 17, "section": "business",
                                  "author": ["A. Writer", "B. Writer"]}
    assert {(s.state, s.origin, s.annotator) for s in first.spans} == {
        (State.ACCEPTED, "import", "ann")}
    assert categories.spans == () and categories.article.meta == {"id": 18, "label": ["positive"]}
    assert empty.spans == () and empty.article.title == "Nothing here."


def test_doccano_relations_form_reads_utf16_offsets_when_they_fit_better(store):
    report = import_paths(store, [DATA / "relations_form.jsonl"], annotator="ann")
    assert (report.imported, report.rejected) == (3, [])
    assert covered(store) == [
        [("Ada", "PERSON"), ("Paris", "GPE")],               # Paris lies past the end otherwise
        [("Ada Lovelace", "PERSON"), ("said it", "CLAIM"), ("said", "CUE")],  # words cut otherwise
        [("Ada Lovelace", "PERSON")],                        # code points fit: kept
    ]
    second = list(store.iter_annotations())[1]
    by_id = {s.id: s.label for s in second.spans}
    assert sorted((by_id[r.head_id], by_id[r.child_id], r.label, r.annotator)
                  for r in second.relations) == [("CLAIM", "CUE", "cue", "ann"),
                                                 ("CLAIM", "PERSON", "claimant", "ann")]
    assert list(store.iter_annotations())[0].article.meta == {"id": 1, "Comments": []}


@pytest.mark.parametrize("declared, expected", [
    (None, "-"), ("codepoints", "-"), ("utf-16", "a")])
def test_doccano_offsets_key_decides_and_a_tie_keeps_code_points(store, tmp_path, declared,
                                                                  expected):
    record = {"text": f"{ROCKET} a-b", "label": [[3, 4, "X"]]}
    if declared:
        record["newsmark_offsets"] = declared
    path = tmp_path / "tie.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n")
    import_paths(store, [path], annotator="ann", fmt="doccano")
    assert covered(store) == [[(expected, "X")]]
    assert "newsmark_offsets" not in store.iter_annotations().__next__().article.meta


def test_doccano_bad_records_are_rejected_with_line_and_reason(store):
    path = DATA / "bad.jsonl"
    report = import_paths(store, [path], annotator="ann", fmt="doccano")
    assert report.rejected == [Problem(str(path), line, reason) for line, reason in [
        (1, "label 1 is not [start, end, label] ([11,15])"),
        (2, "entity 0: end_offset 12 is not after start_offset 40"),
        (3, 'entity 0: start_offset is not an integer ("0")'),
        (4, "entity 0: start_offset is not an integer (true)"),
        (5, "relation 0: to_id 9 is not the id of an entity"),
        (6, "label 0: 0-10 lies outside the text (length 4)"),
        (7, "not JSON: unexpected end of data (column 1)"),
        (8, "missing text"),
        (9, "entities is not a list ({})"),
        (10, 'newsmark_offsets "bytes" is not utf-16 or codepoints'),
        (11, "label 0: UTF-16 offset 1 falls inside a character"),
        (12, "entity 0: empty label"),
        (13, "entity 0: id is not a number or a string ([1])"),
        (14, "entity 1: id 1 is used by another entity"),
    ]]
    assert report.imported == 1 and covered(store) == [[("Acme", "ORG"), ("Jane", "PERSON")]]


def test_doccano_json_array_is_detected_and_names_the_element_line(store):
    path = DATA / "array.json"
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), 14, "entity 0: 0-40 lies outside the text "
                                                      "(length 10)")]
    assert covered(store) == [[("Acme Corp", "ORG")]]


@pytest.mark.parametrize("record, expected", [
    ({"text": "a", "label": [[0, 1, "X"]]}, True),
    ({"text": "a", "label": []}, True),
    ({"text": "a", "label": ["positive"]}, True),
    ({"text": "a", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "X"}],
      "relations": []}, True),
    ({"text": "a", "entities": []}, True),
    ({"text": "a", "newsmark_offsets": "utf-16"}, True),
    ({"text": "a", "spans": [], "label": []}, False),                  # Prodigy
    ({"text": "a", "spans": [{"start": 0, "end": 1, "label": "X"}]}, False),
    ({"text": "a", "label": "POS"}, False),
    ({"text": "a", "entities": [{"start": 0, "end": 1}]}, False),
    ({"tokens": ["a"], "ner_tags": [0]}, False),
    ({"data": {"text": "a"}, "annotations": []}, False),
    ([1, 2], False), ("text", False), (None, False),
])
def test_doccano_sniff(record, expected):
    assert sniff(record) is expected


def test_doccano_auto_detection_leaves_prodigy_to_prodigy(store, tmp_path):
    prodigy = tmp_path / "prodigy.jsonl"
    prodigy.write_bytes(orjson.dumps({"text": f"{ROCKET} Ada spoke", "label": [],
                                      "spans": [{"start": 2, "end": 5, "label": "PERSON"}]}))
    report = import_paths(store, [DATA / "relations_form.jsonl", prodigy], annotator="ann")
    assert (report.imported, report.rejected) == (4, [])
    assert covered(store)[0] == [("Ada", "PERSON"), ("Paris", "GPE")]
    assert covered(store)[3] == [("Ada", "PERSON")]


JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 40) | st.sampled_from(
    ["", "ORG", "a", "utf-16", "codepoints", "0"]), lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "label", "start_offset", "end_offset", "from_id",
                                       "to_id", "type", "text"]), inner, max_size=5),
    max_leaves=12)
RECORDS = st.fixed_dictionaries({"text": st.sampled_from([f"{ROCKET} Ada said", "Ada", 3])},
                                optional={"label": JSON, "entities": JSON, "relations": JSON,
                                          "newsmark_offsets": JSON, "title": JSON})


def built_or_rejected(build, value) -> ArticleRecord | None:
    """What `build` makes of a value with the default schema; None when it is Rejected
    (any other exception fails the test). Spans it makes lie inside the text."""
    try:
        article = build(value, Context.of(default_schema(), allow_new_labels=True,
                                          annotator="ann"))
    except Rejected:
        return None
    assert all(0 <= s.start < s.end <= len(article.text) for s in article.spans)
    return article


@settings(max_examples=300, deadline=None)
@given(record=RECORDS | JSON)
def test_doccano_any_json_is_read_or_rejected_never_crashes(record):
    built_or_rejected(from_doccano, record)


# --- export ------------------------------------------------------------------------------

def claim_article() -> ArticleRecord:
    text = f"{ROCKET} Kyiv said\r\nNATO allegedly left."
    spans = [SpanRecord(2, 11, "CLAIM", attributes={"stance": "affirm"}),
             SpanRecord(2, 6, "GPE"), SpanRecord(7, 11, "CUE"),
             SpanRecord(13, 17, "ORG", state=State.SUGGESTED, origin="patterns"),
             SpanRecord(18, 27, "HEDGE", state=State.REJECTED)]
    return ArticleRecord(text=text, title="Kyiv", url="https://example.org/k",
                         meta={"desk": "east", "text": "shadowed"}, spans=spans,
                         relations=[RelationRecord(0, 1, "claimant"), RelationRecord(0, 2, "cue"),
                                    RelationRecord(0, 4, "hedge")])


def test_doccano_export_writes_utf16_entities_relations_and_flat_metadata(store, tmp_path):
    store.insert_articles([claim_article()], annotator="ann")
    [record], problems = exported(store, tmp_path)
    assert record == {
        "text": claim_article().text,
        "entities": [{"id": 1, "label": "CLAIM", "start_offset": 3, "end_offset": 12},
                     {"id": 2, "label": "GPE", "start_offset": 3, "end_offset": 7},
                     {"id": 3, "label": "CUE", "start_offset": 8, "end_offset": 12}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "claimant"},
                      {"id": 2, "from_id": 1, "to_id": 3, "type": "cue"}],
        "title": "Kyiv", "url": "https://example.org/k", "desk": "east",
        "newsmark_offsets": "utf-16"}
    assert problems == [f"{claim_article().uid}: meta 'text' left out (the format uses that key)"]


def test_doccano_export_ids_count_through_the_file_and_suggestions_on_request(store, tmp_path):
    second = ArticleRecord(text="Ada spoke.", spans=[SpanRecord(0, 3, "PERSON")])
    store.insert_articles([claim_article(), second], annotator="ann")
    first, last = exported(store, tmp_path, include_suggestions=True)[0]
    assert [e["label"] for e in first["entities"]] == ["CLAIM", "GPE", "CUE", "ORG"]
    assert last["entities"] == [{"id": 5, "label": "PERSON", "start_offset": 0, "end_offset": 3}]


def test_doccano_export_in_code_points_reads_back(store, tmp_path, monkeypatch):
    monkeypatch.setattr(DoccanoExporter, "units", CODE_POINTS)
    store.insert_articles([claim_article()], annotator="ann")
    [record], _ = exported(store, tmp_path)
    assert record["entities"][0]["start_offset"] == 2
    assert record["newsmark_offsets"] == "codepoints"
    with create_project(tmp_path / "back.nmk") as back:
        import_paths(back, [tmp_path / "out.jsonl"], annotator="ann")
        assert covered(back) == [[("Kyiv said", "CLAIM"), ("Kyiv", "GPE"), ("said", "CUE")]]


def test_doccano_cli_imports_and_exports(tmp_path, capsys):
    project, out = tmp_path / "p.nmk", tmp_path / "out.jsonl"
    assert main(["init", str(project)]) == 0
    assert main(["import", str(project), str(DATA / "relations_form.jsonl"),
                 "--annotator", "ann"]) == 0
    assert main(["export", str(project), "-f", "doccano", "-o", str(out)]) == 0
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [len(r["entities"]) for r in lines] == [2, 3, 1]
    assert main(["import", str(project), str(DATA / "bad.jsonl"), "-f", "doccano"]) == 1
    err = capsys.readouterr().err
    assert f"{DATA / 'bad.jsonl'}:2: entity 0: end_offset 12 is not after start_offset 40" in err


# --- round trip --------------------------------------------------------------------------

def carried(record: dict) -> tuple:
    """What doccano keeps: the text, accepted spans of every layer, relations among them."""
    return record.get("text"), spans_of(record), relations_of(record)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=projects())
def test_doccano_round_trip_keeps_text_spans_and_relations(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "doccano")
    assert [carried(r) for r in back] == [carried(r) for r in original]
