"""Label Studio JSON: tasks in (annotations, predictions, attributes), tasks out, round trip."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.exporting import export
from app.importing import Problem, import_paths
from app.interop.doccano import element_lines
from app.interop.labelstudio import from_task, labeling_config
from app.interop.sniffing import labelstudio as sniff
from models.domain import ArticleRecord, RelationRecord, SpanRecord, State
from tests.interop._roundtrip import projects, relations_of, round_trip
from tests.interop.test_doccano import built_or_rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "interop" / "labelstudio"


def described(store) -> list[dict]:
    """Per article: spans as (covered text, label, state, origin, annotator, attributes),
    relations as (head text, child text, label, annotator)."""
    out = []
    for a in store.iter_annotations():
        text, spans = a.article.text, {s.id: s for s in a.spans}
        out.append({
            "spans": [(text[s.start:s.end], s.label, s.state, s.origin, s.annotator,
                       a.attributes.get(s.id, {})) for s in a.spans],
            "relations": sorted((text[spans[r.head_id].start:spans[r.head_id].end],
                                 text[spans[r.child_id].start:spans[r.child_id].end],
                                 r.label, r.annotator) for r in a.relations)})
    return out


# --- import ------------------------------------------------------------------------------

def test_labelstudio_tasks_import_with_predictions_attributes_and_relations(store):
    report = import_paths(store, [DATA / "tasks.json"], annotator="ann")
    assert (report.imported, report.rejected, report.new_labels) == (4, [], [])
    drones, old, cancelled, content = described(store)
    user, model = ("labelstudio user 7", "ner-v2")
    assert drones["spans"] == [
        ("Kyiv", "GPE", State.ACCEPTED, "import", user, {}),
        ("said", "CUE", State.ACCEPTED, "import", user, {}),
        ("Russia allegedly fired 12 drones", "CLAIM", State.ACCEPTED, "import", user,
         {"stance": "affirm", "claim_type": "event", "note": "first\nsecond"}),
        ("Russia", "NORP", State.SUGGESTED, model, None, {}),
        ("allegedly", "HEDGE", State.ACCEPTED, "import", user, {}),
        ("according to", "CUE", State.SUGGESTED, "labelstudio", None, {}),
        ("NATO", "ORG", State.SUGGESTED, model, None, {}),
    ]
    claim = "Russia allegedly fired 12 drones"
    # labelled, inferred from a cue, inferred from HEDGE through a "left" arrow; the
    # prediction's relation from an accepted span is not taken
    assert drones["relations"] == [(claim, "Kyiv", "claimant", user), (claim, "allegedly",
                                   "hedge", user), (claim, "said", "cue", user)]
    assert old["spans"] == [("Ada Lovelace", "PERSON", State.ACCEPTED, "import",
                             "ada@example.org", {})]                    # UTF-16 offsets
    assert cancelled["spans"] == [] and content["spans"][0][:2] == ("task", "ORG")
    articles = [a.article for a in store.iter_annotations()]
    assert [(a.title, a.source, a.url, a.meta) for a in articles[:2]] == [
        ("Drones", "wire", None, {"lang": "en"}),
        ("Old export", None, "https://example.org/b", {"year": 2019})]


def test_labelstudio_bad_tasks_are_rejected_with_line_and_reason(store):
    path = DATA / "bad.json"
    report = import_paths(store, [path], annotator="ann", fmt="labelstudio")
    result = "annotation 0, result"
    assert report.rejected == [Problem(str(path), line, reason) for line, reason in [
        (2, "task has no data object"),
        (3, f"{result} 0: end 2 is not after start 5"),
        (4, f"{result} 0: text[0:4] is 'Acme' but the span says 'Corp'"),
        (5, f'{result} 1: to_id "r9" is not a labelled region'),
        (6, f"{result} 1: stance 'maybe' is not one of affirm, refute, neutral, unknown"),
        (7, f'{result} 0: start is not an integer ("0")'),
        (8, "annotation 0: result is not a list ({})"),
        (9, "prediction 0, result 0: no labels"),
        (11, "task is not an object (a number)"),
        (12, f'{result} 1: stance choices ["affirm","refute"] is not one choice (a claim '
             "attribute holds one value)"),
        (13, 'annotations is not a list ("none")'),
    ]]
    assert report.imported == 1


def test_labelstudio_broken_json_names_its_line(store, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n {"data": {"text": "a"}},\n {"data": {"text": "b"}\n]\n')
    report = import_paths(store, [path], annotator="ann", fmt="labelstudio")
    assert [(p.line, p.reason.split(":")[0]) for p in report.rejected] == [(4, "not JSON")]
    assert report.imported == 0


def test_labelstudio_one_task_object_is_read(store, tmp_path):
    path = tmp_path / "one.json"
    path.write_bytes(orjson.dumps({"data": {"text": "Ada spoke."}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "x", "to_name": "text",
         "value": {"start": 0, "end": 3, "labels": ["PERSON"]}}]}]}, option=orjson.OPT_INDENT_2))
    assert import_paths(store, [path], annotator="ann", fmt="labelstudio").imported == 1
    assert described(store)[0]["spans"][0][:3] == ("Ada", "PERSON", State.ACCEPTED)


def test_labelstudio_new_labels_take_the_layer_of_their_control(store, tmp_path):
    path = tmp_path / "layers.json"
    result = [{"id": "a", "type": "labels", "from_name": "claim", "to_name": "text",
               "value": {"start": 0, "end": 10, "labels": ["ASSERTION"]}},
              {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
               "value": {"start": 0, "end": 3, "labels": ["SPEAKER"]}},
              {"type": "relation", "from_id": "a", "to_id": "b"},
              {"type": "relation", "from_id": "b", "to_id": "a"}]
    path.write_bytes(orjson.dumps([{"data": {"text": "Ada spoke."},
                                    "annotations": [{"result": result}]}]))
    report = import_paths(store, [path], annotator="ann")
    assert report.new_labels == ["ASSERTION", "SPEAKER"]
    assert store.schema().label("ASSERTION").layer == "claim"
    assert store.schema().label("SPEAKER").layer == "entity"
    assert [r[2] for r in described(store)[0]["relations"]] == ["related", "claimant"]


@pytest.mark.parametrize("record, expected", [
    ({"id": 1, "data": {"text": "a"}, "annotations": [], "predictions": []}, True),
    ({"data": {"content": "a"}, "predictions": []}, True),
    ({"data": {"text": "a"}}, True),
    ({"data": {"content": "a"}}, False),
    ({"data": "a", "annotations": []}, False),
    ({"text": "a", "label": [[0, 1, "X"]]}, False),
    ({"text": "a", "spans": []}, False),
    ([], False), (None, False),
])
def test_labelstudio_sniff(record, expected):
    assert sniff(record) is expected


@pytest.mark.parametrize("text, lines", [
    ('[{"a": "x, y"},\n {"b": ["[", "]"]},\n\n "s\\"],[",\n 3]', [1, 2, 4, 5]),
    ('[\n  {\n "x": [1,\n 2]\n },\n\n  {"y": "a,\\nb"}\n]', [2, 7]),
    ('  [ {"a": {"b": [1, 2, {"c": "}"}]}} , [[]]  ,"\\\\" ]', [1, 1, 1]),
    ("[1]", [1]), ("[\n]", []),
])
def test_labelstudio_array_elements_are_found_outside_strings(text, lines):
    data = text.encode()
    found = list(element_lines(data))[:len(orjson.loads(data))]
    assert [line for line, _ in found] == lines


JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 30) | st.sampled_from(
    ["", "r1", "r2", "labels", "relation", "choices", "textarea", "left", "stance", "affirm",
     "claim", "CLAIM", "ORG", "Ada"]), lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "type", "from_name", "value", "start", "end",
                                       "text", "labels", "choices", "from_id", "to_id",
                                       "direction", "result", "completed_by", "email"]),
                      inner, max_size=6), max_leaves=16)
RESULT = st.fixed_dictionaries({"type": st.sampled_from(["labels", "relation", "choices",
                                                         "textarea", "rating"])},
                               optional={"id": st.sampled_from(["r1", "r2", 1]), "value": JSON,
                                         "from_name": JSON, "from_id": JSON, "to_id": JSON,
                                         "labels": JSON, "direction": JSON})
TASKS = st.fixed_dictionaries({"data": st.fixed_dictionaries({"text": st.sampled_from(
    ["Ada said it", "\U0001F680 Ada", 1])})}, optional={
    "annotations": st.lists(st.fixed_dictionaries({"result": st.lists(RESULT, max_size=5)},
                                                  optional={"completed_by": JSON}), max_size=2)
    | JSON, "predictions": st.lists(st.fixed_dictionaries(
        {"result": st.lists(RESULT, max_size=4)}, optional={"model_version": JSON}),
        max_size=2)})


@settings(max_examples=300, deadline=None)
@given(task=TASKS | JSON)
def test_labelstudio_any_json_is_read_or_rejected_never_crashes(task):
    article = built_or_rejected(from_task, task)
    assert article is None or all(r.head != r.child for r in article.relations)


# --- export ------------------------------------------------------------------------------

def claim_article() -> ArticleRecord:
    text = "\U0001F680 Kyiv said NATO allegedly left."
    return ArticleRecord(text=text, title="Kyiv", author="A. Writer", meta={"desk": "east"},
                         spans=[SpanRecord(2, 11, "CLAIM", attributes={"stance": "affirm",
                                                                       "note": "two\nlines"}),
                                SpanRecord(2, 6, "GPE"), SpanRecord(7, 11, "CUE"),
                                SpanRecord(12, 16, "ORG", state=State.SUGGESTED, origin="rules"),
                                SpanRecord(17, 26, "HEDGE", state=State.SUGGESTED, origin="rules"),
                                SpanRecord(27, 31, "GPE", state=State.REJECTED)],
                         relations=[RelationRecord(0, 1, "claimant"), RelationRecord(0, 2, "cue"),
                                    RelationRecord(0, 4, "hedge"), RelationRecord(3, 4, "near")])


def exported(store, tmp_path: Path, **options) -> tuple[list, list[str], bytes]:
    out = tmp_path / "out.json"
    report = export(store, "labelstudio", out, **options)
    return orjson.loads(out.read_bytes()), report.problems, out.read_bytes()


def labels(region: str, layer: str, start: int, end: int, text: str, label: str) -> dict:
    return {"id": region, "from_name": layer, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_labelstudio_export_writes_one_task_per_article(store, tmp_path):
    store.insert_articles([claim_article()], annotator="ann")
    [task], problems, _ = exported(store, tmp_path)
    where = {"start": 2, "end": 11, "text": "Kyiv said"}
    assert task == {
        "data": {"text": claim_article().text, "title": "Kyiv", "author": "A. Writer",
                 "desk": "east"},
        "annotations": [{"result": [
            labels("r0", "claim", 2, 11, "Kyiv said", "CLAIM"),
            {"id": "r0", "from_name": "stance", "to_name": "text", "type": "choices",
             "value": where | {"choices": ["affirm"]}},
            {"id": "r0", "from_name": "note", "to_name": "text", "type": "textarea",
             "value": where | {"text": ["two\nlines"]}},
            labels("r1", "entity", 2, 6, "Kyiv", "GPE"),
            labels("r2", "cue", 7, 11, "said", "CUE"),
            {"type": "relation", "from_id": "r0", "to_id": "r1", "direction": "right",
             "labels": ["claimant"]},
            {"type": "relation", "from_id": "r0", "to_id": "r2", "direction": "right",
             "labels": ["cue"]}]}],
        "predictions": []}
    assert problems == []


def test_labelstudio_export_suggestions_are_predictions_by_origin(store, tmp_path):
    store.insert_articles([claim_article(), ArticleRecord(text="Nothing.")], annotator="ann")
    (task, empty), problems, raw = exported(store, tmp_path, include_suggestions=True)
    assert task["predictions"] == [{"model_version": "rules", "result": [
        labels("r3", "entity", 12, 16, "NATO", "ORG"),
        labels("r4", "cue", 17, 26, "allegedly", "HEDGE"),
        {"type": "relation", "from_id": "r3", "to_id": "r4", "direction": "right",
         "labels": ["near"]}]}]
    assert empty == {"data": {"text": "Nothing."}, "annotations": [],
                     "predictions": []}
    assert problems == [f"{claim_article().uid}:2-11 CLAIM 'Kyiv said': its hedge relation to "
                        "17-26 HEDGE left out: Label Studio keeps a relation inside one "
                        "annotation or prediction"]
    assert raw.startswith(b"[\n{") and raw.count(b"\n") == 4      # a task a line


def test_labelstudio_export_of_nothing_is_an_empty_array(store, tmp_path):
    assert exported(store, tmp_path)[0] == []


def test_labelstudio_labeling_config_names_every_label_and_attribute(store):
    root = ET.fromstring(labeling_config(store.schema()))
    controls = {e.get("name"): e.tag for e in root.iter() if e.get("toName") == "text"}
    assert controls["entity"] == controls["claim"] == controls["cue"] == "Labels"
    assert (controls["stance"], controls["note"]) == ("Choices", "TextArea")
    assert {e.get("value") for e in root.iter("Label")} == {lab.name for lab in
                                                            store.schema().labels}
    assert {e.get("value") for e in root.iter("Relation")} == {"claimant", "cue", "hedge"}


def test_labelstudio_cli_imports_and_exports(tmp_path, capsys):
    project, out = tmp_path / "p.nmk", tmp_path / "out.json"
    assert main(["init", str(project)]) == 0
    assert main(["import", str(project), str(DATA / "tasks.json"), "--annotator", "ann"]) == 0
    assert main(["export", str(project), "-f", "labelstudio", "-o", str(out),
                 "--include-suggestions"]) == 0
    tasks = orjson.loads(out.read_bytes())
    assert [len(t["predictions"]) for t in tasks] == [2, 0, 0, 0]
    assert main(["import", str(project), str(DATA / "bad.json"), "-f", "labelstudio"]) == 1
    assert f"{DATA / 'bad.json'}:2: task has no data object" in capsys.readouterr().err


# --- round trip --------------------------------------------------------------------------

def carried(record: dict) -> tuple:
    """What Label Studio keeps: the text, accepted and suggested spans with their origin
    and attributes, relations among accepted spans and among suggestions."""
    spans = sorted((s["start"], s["end"], s["label"], s["state"], s["origin"],
                    sorted(s["attributes"].items())) for s in record.get("spans", [])
                   if s["state"] != "rejected")
    return (record.get("text"), spans, relations_of(record),
            relations_of(record, states=("suggested",)))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=projects())
def test_labelstudio_round_trip_keeps_spans_attributes_and_suggestions(tmp_path_factory,
                                                                       records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "labelstudio",
                                export_options={"include_suggestions": True})
    assert [carried(r) for r in back] == [carried(r) for r in original]
