"""Hugging Face token classification JSONL: export with text, char spans and the label
names file; import of integer or string tags, names from the record or beside the file;
detection by sniffing; a lossless round trip through text + spans."""
from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import given

from app.cli import main
from app.exporting import export
from app.importing import Problem, import_paths
from app.importing.formats import detect
from app.interop.hf import labels_path
from app.interop.sniffing import hf as sniff
from app.project import open_project
from models.domain import ArticleRecord, State
from tests.interop._roundtrip import make_project, projects, round_trip, spans_of
from tests.interop.test_conll import ROUND_TRIPS, SAME, imported, span

DATA = Path(__file__).parent.parent / "data" / "interop" / "hf"
TEXT = "Acme Corp hired Jane  Doe.\r\nShe said so."


def exported(folder: Path, records: list[ArticleRecord], **options
             ) -> tuple[list[dict], dict, list[str]]:
    """The JSONL records, the label names file and the problems of an hf export."""
    folder.mkdir(exist_ok=True)
    project = make_project(folder / "p.nmk", records)
    out = folder / "out.jsonl"
    with open_project(project, readonly=True) as store:
        report = export(store, "hf", out, **options)
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    return lines, orjson.loads(labels_path(out).read_bytes()), report.problems


def test_hf_export_tokens_tags_text_spans_and_offsets(tmp_path):
    spans = [span(TEXT, "Acme Corp", "ORG"), span(TEXT, "Jane  Doe", "PERSON"),
             span(TEXT, "Jane", "PERSON"), span(TEXT, "She said so", "CLAIM"),
             span(TEXT, "said", "CUE")]
    [line], labels, problems = exported(tmp_path, [ArticleRecord(TEXT, spans=spans)])
    names = labels["names"]
    assert line["id"] == ArticleRecord(TEXT).uid and line["text"] == TEXT
    assert line["tokens"] == ["Acme", "Corp", "hired", "Jane", "Doe", ".", "She", "said",
                              "so", "."]
    assert [names[t] for t in line["ner_tags"]] == ["B-ORG", "I-ORG", "O", "B-PERSON",
                                                    "I-PERSON", "O", "O", "O", "O", "O"]
    assert [TEXT[s:e] for s, e in line["token_offsets"]] == line["tokens"]
    assert [(TEXT[s["start"]:s["end"]], s["label"], s["layer"]) for s in line["spans"]] == [
        ("Acme Corp", "ORG", "entity"), ("Jane  Doe", "PERSON", "entity"),
        ("Jane", "PERSON", "entity"), ("She said so", "CLAIM", "claim"),
        ("said", "CUE", "cue")]
    assert len(problems) == 1 and "overlaps PERSON 'Jane  Doe'" in problems[0]


def test_hf_label_names_are_the_schemas_entity_labels_in_order(tmp_path):
    _, labels, _ = exported(tmp_path, [ArticleRecord("Hi.")], scheme="bilou")
    assert labels["names"][:6] == ["O", "B-PERSON", "I-PERSON", "L-PERSON", "U-PERSON",
                                   "B-ORG"]
    assert "B-CLAIM" not in labels["names"] and labels["scheme"] == "bilou"
    assert labels["id2label"]["4"] == "U-PERSON" and labels["label2id"]["B-ORG"] == 5


def test_hf_export_suggestions_when_asked(tmp_path):
    text = "Ada met Kyiv officials."
    records = [ArticleRecord(text, spans=[span(text, "Kyiv", "GPE", state=State.SUGGESTED)])]
    [plain], labels, _ = exported(tmp_path / "plain", records)
    [asked], _, _ = exported(tmp_path / "asked", records, include_suggestions=True)
    assert plain["spans"] == [] and set(plain["ner_tags"]) == {0}
    assert labels["names"][asked["ner_tags"][2]] == "B-GPE" and len(asked["spans"]) == 1


def test_hf_cli_export_bilou_writes_the_names_beside(tmp_path, capsys):
    text = "Jane Doe spoke."
    project = make_project(tmp_path / "p.nmk", [ArticleRecord(text, spans=[
        span(text, "Jane Doe", "PERSON"), span(text, "ane", "PERSON")])])
    out = tmp_path / "data.jsonl"
    assert main(["export", str(project), "-f", "hf", "-o", str(out), "--scheme", "bilou"]) == 0
    assert "warning: " in capsys.readouterr().err
    names = orjson.loads((tmp_path / "data.labels.json").read_bytes())["names"]
    [line] = [orjson.loads(b) for b in out.read_bytes().splitlines()]
    assert [names[t] for t in line["ner_tags"]] == ["B-PERSON", "L-PERSON", "O", "O"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("data", "."))) == [
        "data.jsonl", "data.labels.json"]            # no temporary file left behind


# --- import ------------------------------------------------------------------------------

def test_hf_import_integer_tags_through_the_names_file_beside(store):
    report = import_paths(store, [DATA / "conll2003.jsonl"], annotator="ann")
    assert report.ok and report.imported == 3
    texts = [(t, [(c, lab) for c, lab, _ in spans]) for t, spans in imported(store)]
    assert texts == [(SAME[0][0].split("\n")[0], SAME[0][1][:3]),
                     ("Peter Blackburn", [("Peter Blackburn", "PER")]), SAME[1]]


def test_hf_import_names_in_the_record_and_string_tags(store):
    report = import_paths(store, [DATA / "own_names.jsonl"], annotator="ann")
    assert report.ok
    assert imported(store) == [
        ("Zo\u00eb met the 72nd Brigade", [("Zo\u00eb", "PERSON", "ann"),
                                            ("72nd Brigade", "MIL_UNIT", "ann")]),
        ("Kyiv was shelled", [("Kyiv", "GPE", "ann")])]


def test_hf_import_rejects_bad_records_with_file_and_line(store):
    path = DATA / "bad.jsonl"
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), line, reason) for line, reason in [
        (2, "ner_tags has 1 tags for 2 tokens"),
        (3, 'ner_tags[0]: tag "B_ORG" is not IOB/BILOU'),
        (4, "ner_tags are numbers but no label names say what they mean: add label_names "
            "to the record or a .labels.json beside the file"),
        (5, 'tokens[1] is "", not a token'),
        (6, "ner_tags[0]: 7 is not a label id (there are 2 names)"),
        (7, "span 0: 0-9 lies outside the text (length 4)"),
        (8, "not JSON: unexpected end of data (column 1)")]]
    assert imported(store) == [("Fine", [("Fine", "ORG", "ann")])]


def test_hf_import_a_json_array_counts_records_as_lines(store):
    path = DATA / "array.json"
    assert detect(path) == "hf"
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), 2, "ner_tags[0] is true, not a tag")]
    assert imported(store) == [("Jane Doe spoke", [("Jane Doe", "PERSON", "ann")])]


def test_hf_import_bad_names_file_is_reported_once(store, tmp_path):
    shutil.copy(DATA / "conll2003.jsonl", tmp_path / "x.jsonl")
    (tmp_path / "x.labels.json").write_text('{"names": [1, 2]}')
    report = import_paths(store, [tmp_path / "x.jsonl"], annotator="ann")
    assert report.rejected[0] == Problem(str(tmp_path / "x.jsonl"), 0,
                                         "x.labels.json has no list of names (strings)")
    assert len(report.rejected) == 4 and report.imported == 0


@pytest.mark.parametrize("record, is_hf", [
    ({"tokens": ["a"], "ner_tags": [0]}, True),
    ({"tokens": ["a"], "ner_tags": ["O"], "text": "a", "spans": []}, True),
    ({"text": "a", "spans": []}, False),
    ({"tokens": "a", "ner_tags": [0]}, False),
    (["tokens", "ner_tags"], False),
])
def test_hf_sniff(record, is_hf):
    assert sniff(record) is is_hf


def test_hf_import_detected_among_jsonl_formats(store, tmp_path):
    path = tmp_path / "prodigy_or_hf.jsonl"
    path.write_bytes(orjson.dumps({"tokens": ["Kyiv"], "ner_tags": ["U-GPE"]}) + b"\n")
    assert detect(path) == "hf"
    assert import_paths(store, [path], annotator="ann").imported == 1
    assert imported(store) == [("Kyiv", [("Kyiv", "GPE", "ann")])]


# --- round trip --------------------------------------------------------------------------

def carried(record: dict) -> tuple[str, list[tuple[int, int, str]]]:
    return record.get("text", ""), spans_of(record)


@ROUND_TRIPS
@given(records=projects(attributes=False))
def test_hf_round_trip_is_exact_through_text_and_spans(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "hf")
    assert [carried(r) for r in back] == [carried(r) for r in original]
    assert {s["layer"] for r in back for s in r["spans"]} <= {"entity", "claim", "cue"}
    assert [spans_of(r, layers=("claim", "cue")) for r in back] == \
        [spans_of(r, layers=("claim", "cue")) for r in original]
