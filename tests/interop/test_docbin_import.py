"""spaCy DocBin import: a file spaCy wrote itself, span groups to layers, bad files and
Docs with their index as line, the CLI, and the round trip through our spacy export."""
from __future__ import annotations

from pathlib import Path

import spacy
from hypothesis import given
from spacy.tokens import DocBin, Span

from app.cli import main
from app.importing import Problem, import_paths
from app.importing.formats import detect
from app.project import create_project
from tests.interop._roundtrip import projects, round_trip, spans_of
from tests.interop.test_conll import ROUND_TRIPS, representable

DATA = Path(__file__).parent.parent / "data" / "interop" / "spacy"


def spans_by_layer(store) -> list[tuple[str, list[tuple[str, str, str, str | None]]]]:
    """(text, [(covered, label, layer, annotator)]) of each article, in order."""
    return [(a.article.text, [(a.article.text[s.start:s.end], s.label, str(s.layer),
                               s.annotator) for s in a.spans])
            for a in store.iter_annotations()]


def docbin_file(path: Path, *docs: tuple[str, list, dict]) -> Path:
    """A DocBin of docs (text, ents as (first, end, label), {key: spans alike})."""
    nlp = spacy.blank("en")
    out = DocBin()
    for text, ents, groups in docs:
        doc = nlp(text)
        doc.ents = [Span(doc, s, e, label) for s, e, label in ents]
        for key, spans in groups.items():
            doc.spans[key] = [Span(doc, s, e, label) for s, e, label in spans]
        out.add(doc)
    path.write_bytes(out.to_bytes())
    return path


def test_docbin_import_reads_a_file_spacy_wrote(store):
    path = DATA / "written_by_spacy.spacy"
    assert detect(path) == "spacy"
    report = import_paths(store, [path], annotator="ann")
    assert report.ok and report.imported == 2
    assert sorted(report.new_labels) == ["ASSERTION", "HIRING"]
    assert spans_by_layer(store) == [
        ("Acme Corp hired Jane Doe in Kyiv, officials said.", [
            ("Acme Corp hired Jane Doe in Kyiv", "ASSERTION", "claim", "ann"),   # "claims"
            ("Acme Corp hired Jane Doe", "HIRING", "entity", "ann"),   # a new label of "sc"
            ("Acme Corp", "ORG", "entity", "ann"),
            ("Jane Doe", "PERSON", "entity", "ann"), ("Kyiv", "GPE", "entity", "ann"),
            ("said", "CUE", "cue", "ann")]),
        ("Zo\u00eb  met the 72nd Brigade\r\non Tuesday \U0001F680.", [
            ("Zo\u00eb", "PERSON", "entity", "ann"),
            ("72nd Brigade", "MIL_UNIT", "entity", "ann")])]


def test_docbin_import_new_labels_by_group_and_known_labels_keep_their_layer(store, tmp_path):
    path = docbin_file(tmp_path / "x.spacy", ("Ada said it allegedly", [], {
        "cues": [(1, 2, "SAYS")], "claims": [(2, 3, "PERSON")], "sc": [(3, 4, "HEDGE")]}))
    assert import_paths(store, [path], annotator="ann").ok
    [(_, spans)] = spans_by_layer(store)
    assert sorted(spans) == [("allegedly", "HEDGE", "cue", "ann"),
                             ("it", "PERSON", "entity", "ann"), ("said", "SAYS", "cue", "ann")]


def test_docbin_import_rejects_what_it_cannot_read(store, tmp_path):
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not a docbin")
    empty_label = docbin_file(tmp_path / "labels.spacy", ("Fine text", [(0, 1, "ORG")], {}),
                              ("Second doc", [], {"sc": [(0, 1, "")]}))
    report = import_paths(store, [bad, empty_label], annotator="ann", allow_new_labels=False)
    assert [(p.file, p.line) for p in report.rejected] == [(str(bad), 1), (str(empty_label), 2)]
    assert report.rejected[0].reason.startswith("not a spaCy DocBin (ValueError: [E1014]")
    assert report.rejected[1] == Problem(str(empty_label), 2, "doc.spans['sc'][0]: empty label")
    assert report.imported == 1


def test_docbin_import_by_the_cli(tmp_path, capsys):
    project = tmp_path / "p.nmk"
    create_project(project).close()
    assert main(["import", str(project), str(DATA / "written_by_spacy.spacy")]) == 0
    assert "2 imported" in capsys.readouterr().out


def carried(record: dict) -> tuple[str, list, list]:
    """What a DocBin keeps of an original: the text, its representable entities (those
    of the spacy export), claims and cues."""
    text = record["text"]
    return (text, representable(text, spans_of(record, layers=("entity",))),
            spans_of(record, layers=("claim", "cue")))


def came_back(record: dict) -> tuple[str, list, list]:
    return (record.get("text", ""), spans_of(record, layers=("entity",)),
            spans_of(record, layers=("claim", "cue")))


@ROUND_TRIPS
@given(records=projects(attributes=False))
def test_docbin_round_trip_through_the_spacy_export(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "spacy")
    assert [came_back(r) for r in back] == [carried(r) for r in original]
    assert all(s["annotator"] == "importer" for r in back for s in r["spans"])
