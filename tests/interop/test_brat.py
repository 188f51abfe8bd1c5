"""brat standoff: import of .ann + .txt, export of a folder brat opens, and the round trip."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from app.cli import main
from app.exporting import export
from app.importing import import_paths
from app.project import open_project
from models import errors
from models.domain import Layer, State
from tests.app._exporting import HARD, add, at, span
from tests.interop._roundtrip import projects, relations_of, round_trip

NEWS = Path(__file__).parent.parent / "data" / "interop" / "brat" / "news"
TEXT = (NEWS / "ada.txt").read_bytes().decode("utf-8")
ACME = "Acme hired Jane."


def _only(store) -> tuple:
    """The one article's text, its spans as {(start, end, label): span}, and relations."""
    annotation = store.annotation(store.article_ids()[0])
    spans = {(s.start, s.end, s.label): s for s in annotation.spans}
    by_id = {s.id: (s.start, s.end, s.label) for s in annotation.spans}
    relations = {(by_id[r.head_id], by_id[r.child_id], r.label) for r in annotation.relations}
    return annotation, spans, relations


@pytest.mark.parametrize("fmt", [None, "brat"])
def test_brat_import_reads_the_folder(store, fmt):
    report = import_paths(store, [NEWS], annotator="ann", fmt=fmt)
    assert (report.imported, report.rejected, report.files) == (1, [], 1)
    annotation, spans, _ = _only(store)
    assert annotation.article.text == TEXT                      # CRLF and emoji kept
    assert TEXT[8:20] == "Ada Lovelace" and (8, 20, "PERSON") in spans
    assert all(s.annotator == "ann" for s in spans.values())


def test_brat_import_joins_line_fragments_and_splits_discontinuous_spans(store):
    report = import_paths(store, [NEWS], annotator="ann")
    annotation, spans, _ = _only(store)
    assert (45, 92, "CLAIM") in spans                           # "45 72;74 92": one line break
    assert {(98, 103, "LOC"), (114, 121, "LOC")} <= set(spans)  # "North ... America"
    assert "T7 (line 7): discontinuous LOC span imported as 2 spans" in \
        report.warnings[0].reason


def test_brat_import_relations_attributes_notes_and_suggestions(store):
    import_paths(store, [NEWS], annotator="ann")
    annotation, spans, relations = _only(store)
    claim, person = (26, 42, "CLAIM"), (8, 20, "PERSON")
    assert relations == {(claim, person, "claimant"), (claim, (21, 25, "CUE"), "cue"),
                         ((45, 92, "CLAIM"), (63, 72, "HEDGE"), "hedge"),
                         ((83, 92, "RUMOUR"), (58, 62, "GPE"), "Located")}
    assert annotation.attributes[spans[claim].id] == {
        "stance": "refute", "check_worthy": "yes", "note": "needs a second source"}
    assert spans[(58, 62, "GPE")].state is State.SUGGESTED
    assert annotation.article.meta == {"brat_document": "ada",
                                       "brat_notes": ["T1: the countess"]}


ADA_WARNINGS = [
    "T7 (line 7): discontinuous LOC span imported as 2 spans (its relations, attributes and "
    "notes on the first)",
    "A3 (line 15): Hedged on T6: the project has no such claim attribute; skipped",
    "#2 (line 18): note on T1 (PERSON, entity layer): kept in the article's meta "
    "(brat_notes)",
    "line 19: skipped 1 event (E) line(s): Newsmark has no such annotations",
    "line 20: skipped 1 normalisation (N) line(s): Newsmark has no such annotations"]


def test_brat_import_reports_what_it_left_out_as_warnings_with_file_and_lines(store):
    report = import_paths(store, [NEWS], annotator="ann")
    assert report.imported == 1 and report.rejected == []
    assert [str(w) for w in report.warnings] == [f"{NEWS / 'ada.ann'}:1: {w}"
                                                 for w in ADA_WARNINGS]
    assert "brat_warnings" not in _only(store)[0].article.meta


def test_brat_import_warns_of_attributes_and_notes_off_claims_and_skipped_relations(
        store, tmp_path):
    (tmp_path / "a.txt").write_text(ACME)
    (tmp_path / "a.ann").write_text(
        "T1\tORG 0 4\tAcme\nT2\tCLAIM 5 15\thired Jane\nA1\tstance T1 refute\n"
        "A2\tstance T2 maybe\nR1\tEmploys Arg1:T1 Arg2:T1\nA3\tstance R1 refute\n"
        "#1\tAnnotatorNotes R1\tabout R1\nE1\tHire:T2\nE2\tHire:T2\n")
    report = import_paths(store, [tmp_path], annotator="ann")
    assert report.imported == 1
    assert [(w.line, w.reason) for w in report.warnings] == [(1, reason) for reason in [
        "A1 (line 3): stance on T1 (ORG, entity layer): claim attributes are for claims; "
        "skipped",
        "A2 (line 4): stance on T2: 'maybe' is not one of affirm, refute, neutral, unknown; "
        "skipped",
        "A3 (line 6): stance on R1, which is not a span; skipped",
        "#1 (line 7): note on R1, which is not a span: kept in the article's meta "
        "(brat_notes)",
        "R1 (line 5): Employs relates a span to itself; skipped",
        "lines 8, 9: skipped 2 event (E) line(s): Newsmark has no such annotations"]]


def test_brat_cli_import_prints_the_warnings(tmp_path, capsys):
    back = tmp_path / "back.nmk"
    assert main(["init", str(back)]) == 0
    assert main(["import", str(back), str(NEWS), "--format", "brat"]) == 0
    err = capsys.readouterr().err
    shown = [line for line in err.splitlines() if line.startswith("warning:")]
    assert shown == [f"warning: {NEWS / 'ada.ann'}:1: {w}" for w in ADA_WARNINGS]


def test_brat_import_takes_new_label_layers_from_annotation_conf(store):
    report = import_paths(store, [NEWS], annotator="ann")
    assert report.new_labels == ["RUMOUR"]
    assert store.schema().label("RUMOUR").layer is Layer.CLAIM


def test_brat_import_reads_an_ann_with_crlf_line_ends(store, tmp_path):
    shutil.copy(NEWS / "ada.txt", tmp_path / "ada.txt")
    (tmp_path / "ada.ann").write_bytes((NEWS / "ada.ann").read_bytes().replace(b"\n", b"\r\n"))
    report = import_paths(store, [tmp_path], annotator="ann")
    assert (report.imported, report.rejected) == (1, [])
    assert (26, 42, "CLAIM") in _only(store)[1]


def test_brat_import_without_new_labels_refuses_unknown_ones(store):
    report = import_paths(store, [NEWS], annotator="ann", allow_new_labels=False)
    assert [p.reason for p in report.rejected] == ["unknown label RUMOUR (--no-new-labels)"]



@pytest.mark.parametrize("ann, line, reason", [
    ("T1\tORG 0 4\tAcme\nT2\tPERSON 11 5\tJane\n", 2, "T2: offsets 11 5: end is not after start"),
    ("T1\tORG 0 4\tAcme\nR1\tEmploys Arg1:T1 Arg2:T9\n", 2,
     "R1: Arg2 T9 is not a text-bound annotation of this document"),
    ("T1\tORG 0 4\tAcne\n", 1, "T1: the text at 0 4 is 'Acme' but the line says 'Acne'"),
    ("T1\tORG 0 40\tAcme\n", 1, "T1: offsets 0 40 lie outside the text (length 16)"),
    ("T1\tORG 0 x\tAcme\n", 1, "T1: offsets '0 x' are not two numbers"),
    ("T1 ORG 0 4 Acme\n", 1, "T1 ORG 0 4 Acme: no TAB after the id (the fields are "
                             "TAB-separated)"),
    ("T1\tORG 0 4\tAcme\nT1\tORG 0 4\tAcme\n", 2, "T1: the id is used twice"),
    ("X1\tORG 0 4\tAcme\n", 1, "X1: unknown annotation id (T, R, E, A, M, N, # or * "
                               "followed by a number)"),
    ("T1\tORG 0 4\tAcme\nA1\tstance\n", 2, "A1: expected NAME ID [VALUE]"),
    ("T1\tORG 0 4\tAcme\nR1\t\n", 2, "R1: expected TYPE Arg1:ID Arg2:ID"),
    ("T\tORG 0 4\tAcme\n", 1, "T: unknown annotation id (T, R, E, A, M, N, # or * "
                               "followed by a number)"),
    ("T1\tORG 0 4\tAcme\n#1\tAnnotatorNotes T4\tx\n", 2,
     "#1: T4 is not a text-bound annotation of this document"),
    ("T1\tORG 0 4\tAcme\nT2\tPERSON 11 15\tJ\xe9ne\n".encode("latin-1"), 2,
     "invalid UTF-8 (byte 0xe9 at column 18)"),
])
def test_brat_import_rejects_a_broken_line_with_its_number(store, tmp_path, ann, line, reason):
    (tmp_path / "a.txt").write_text(ACME)
    (tmp_path / "a.ann").write_bytes(ann if isinstance(ann, bytes) else ann.encode())
    report = import_paths(store, [tmp_path], annotator="ann")
    assert report.imported == 0
    assert [str(p) for p in report.rejected] == [f"{tmp_path / 'a.ann'}:{line}: {reason}"]


@pytest.mark.parametrize("txt, reason", [
    (None, "no .txt beside the .ann (expected a.txt)"),
    (b"Acme \xff", "a.txt: invalid UTF-8 (byte 0xff at column 6)"),
    (b"  \r\n", "a.txt: empty text"),
])
def test_brat_import_rejects_a_missing_or_bad_text(store, tmp_path, txt, reason):
    if txt is not None:
        (tmp_path / "a.txt").write_bytes(txt)
    (tmp_path / "a.ann").write_text("")
    report = import_paths(store, [tmp_path / "a.ann"], annotator="ann")
    assert [str(p) for p in report.rejected] == [f"{tmp_path / 'a.ann'}:0: {reason}"]


# --- export ------------------------------------------------------------------------------

MULTI = "Paris \U0001F469\u200d\U0001F52C Cafe\u0301 reported it\u2028too"


@pytest.fixture
def project(store):
    claim = span(HARD, "the engine works", "CLAIM",
                 attributes={"stance": "refute", "note": "two\nlines",
                             "claimant_text": "a\r\nsource"})
    add(store, HARD, [claim, span(HARD, "Ada Lovelace", "PERSON"), span(HARD, "said", "CUE"),
                      span(HARD, MULTI, "CLAIM"), span(HARD, "Paris", "GPE",
                                                       state=State.SUGGESTED),
                      span(HARD, "allegedly", "HEDGE", state=State.REJECTED)],
        relations=[(0, 1, "claimant"), (0, 2, "cue")])
    return store


def test_brat_export_writes_text_ann_and_confs(project, tmp_path):
    out = tmp_path / "brat"
    report = export(project, "brat", out, include_suggestions=True)
    assert (report.articles, report.records, report.problems) == (1, 1, [])
    names = sorted(p.name for p in out.iterdir())
    uid = project.annotation(project.article_ids()[0]).article.uid
    assert names == [f"000001-{uid[:8]}.ann", f"000001-{uid[:8]}.txt", "annotation.conf",
                     "visual.conf"]
    assert (out / f"000001-{uid[:8]}.txt").read_bytes() == HARD.encode("utf-8")
    assert not list(tmp_path.glob(".brat*"))


def test_brat_export_ann_lines(project, tmp_path):
    export(project, "brat", tmp_path / "brat", include_suggestions=True)
    ann = next((tmp_path / "brat").glob("*.ann")).read_bytes().decode("utf-8")
    (s, e), (p, q) = at(HARD, "Ada Lovelace"), at(HARD, "the engine works")
    paris, multi, line_sep = at(HARD, "Paris"), at(HARD, MULTI), HARD.index("\u2028")
    assert ann.split("\n") == [
        f"T1\tPERSON {s} {e}\tAda Lovelace",
        f"T2\tCUE {at(HARD, 'said')[0]} {at(HARD, 'said')[1]}\tsaid",
        f"T3\tCLAIM {p} {q}\tthe engine works",
        f"T4\tCLAIM {multi[0]} {line_sep};{line_sep + 1} {multi[1]}\t"
        f"{MULTI.replace(chr(0x2028), ' ')}",                   # split at the line break
        f"T5\tGPE {paris[0]} {paris[1]}\tParis",
        "#1\tAnnotatorNotes T3\tclaimant_text: a source", "A1\tstance T3 refute",
        "#2\tAnnotatorNotes T3\ttwo", "#3\tAnnotatorNotes T3\tlines",
        "A2\tSuggested T5",
        "R1\tClaimant Arg1:T3 Arg2:T1", "R2\tCue Arg1:T3 Arg2:T2", ""]


def test_brat_export_annotation_conf_declares_what_brat_needs(project, tmp_path):
    export(project, "brat", tmp_path / "brat", include_suggestions=True)
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    sections = [line for line in conf.splitlines() if line.startswith("[")]
    assert sections == ["[entities]", "[relations]", "[events]", "[attributes]"]
    assert "!claim_layer\n\tCLAIM\n" in conf and "!cue_layer\n\tCUE\n\tHEDGE\n" in conf
    assert "\tPERSON\n" in conf and "\tMIL_UNIT\n" in conf
    assert "Claimant\tArg1:CLAIM, Arg2:DATE|EVENT|GPE|LOC" in conf
    assert "Cue\tArg1:CLAIM, Arg2:CUE|HEDGE\n" in conf
    assert "stance\tArg:<ENTITY>, Value:affirm|refute|neutral|unknown\n" in conf
    assert "Suggested\tArg:<ENTITY>\n" in conf
    assert "claimant_text" not in conf and "note" not in conf.split("[attributes]")[1]
    visual = (tmp_path / "brat" / "visual.conf").read_text()
    assert "PERSON\tbgColor:#aa9cfc" in visual


def test_brat_export_reports_each_label_written_with_underscores_once(store, tmp_path):
    store.ensure_labels({"BREAKING NEWS": Layer.CLAIM}, colours=["#ffffff"])
    add(store, ACME, [span(ACME, "Acme", "BREAKING NEWS"), span(ACME, "Jane", "BREAKING NEWS"),
                      span(ACME, "hired", "CUE")],
        relations=[(0, 1, "same story"), (1, 0, "same story"), (0, 2, "cue")])
    report = export(store, "brat", tmp_path / "brat")
    assert report.problems == [
        "label 'BREAKING NEWS' is written as 'BREAKING_NEWS': a brat type cannot hold "
        "whitespace",
        "relation label 'same story' is written as 'same_story': a brat type cannot hold "
        "whitespace"]
    ann = next((tmp_path / "brat").glob("*.ann")).read_text()
    assert "T1\tBREAKING_NEWS 0 4\tAcme" in ann and "R1\tsame_story Arg1:T1 Arg2:T3" in ann
    assert "\tBREAKING_NEWS\n" in (tmp_path / "brat" / "annotation.conf").read_text()


def test_brat_cli_export_prints_the_renamed_label(store, project_path, tmp_path, capsys):
    store.ensure_labels({"BREAKING NEWS": Layer.ENTITY}, colours=["#ffffff"])
    add(store, ACME, [span(ACME, "Acme", "BREAKING NEWS")])
    store.close()
    assert main(["export", str(project_path), "-f", "brat", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: label 'BREAKING NEWS' is written as 'BREAKING_NEWS'" in err


def test_brat_export_without_suggestions_leaves_them_out(project, tmp_path):
    export(project, "brat", tmp_path / "brat")
    ann = next((tmp_path / "brat").glob("*.ann")).read_text()
    assert "GPE" not in ann and "Suggested" not in ann and "HEDGE" not in ann
    assert "Suggested" not in (tmp_path / "brat" / "annotation.conf").read_text()


def test_brat_export_refuses_a_folder_with_files(project, tmp_path):
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "mine.txt").write_text("keep")
    with pytest.raises(errors.ExportError, match="is not empty"):
        export(project, "brat", tmp_path / "brat")


def test_brat_export_cancelled_leaves_nothing(project, tmp_path):
    report = export(project, "brat", tmp_path / "brat", cancel=lambda: True)
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.nmk")]
    assert report.cancelled and left == []


def test_brat_export_then_import_keeps_the_multi_line_claim_whole(project, tmp_path, open_store):
    export(project, "brat", tmp_path / "brat")
    back = tmp_path / "back.nmk"
    assert main(["init", str(back)]) == 0
    store = open_store(back)
    report = import_paths(store, [tmp_path / "brat"], annotator="ann")
    assert (report.imported, report.rejected) == (1, [])
    annotation, spans, _ = _only(store)
    assert (*at(HARD, MULTI), "CLAIM") in spans
    claim = spans[(*at(HARD, "the engine works"), "CLAIM")]
    assert annotation.attributes[claim.id] == {"stance": "refute", "note": "two\nlines",
                                               "claimant_text": "a source"}


def test_brat_cli_export_and_import(project, project_path, tmp_path, capsys):
    out, back = tmp_path / "out", tmp_path / "back.nmk"
    assert main(["export", str(project_path), "-f", "brat", "-o", str(out),
                 "--include-suggestions"]) == 0
    assert main(["init", str(back)]) == 0
    assert main(["import", str(back), str(out), "--format", "brat"]) == 0
    capsys.readouterr()
    with open_project(back, readonly=True) as store:
        spans = {(s.label, s.state) for s in store.annotation(store.article_ids()[0]).spans}
    assert ("GPE", State.SUGGESTED) in spans and ("CLAIM", State.ACCEPTED) in spans


# --- round trip --------------------------------------------------------------------------

def carried(record: dict) -> tuple:
    """What brat keeps: text, accepted and suggested spans (state by the Suggested attribute)
    of every layer with their attributes, relations between them. Spans holding line breaks
    compare exactly too: the import joins the fragments the export splits them into. Not
    kept: rejected spans, times, annotators, status, title."""
    kept = ("accepted", "suggested")
    spans = sorted((s["start"], s["end"], s["label"], s["state"],
                    sorted((s.get("attributes") or {}).items()))
                   for s in record.get("spans", []) if s["state"] in kept)
    return record.get("text"), spans, relations_of(record, states=kept)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects())
def test_brat_round_trip(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "brat",
                                export_options={"include_suggestions": True})
    assert [carried(r) for r in back] == [carried(r) for r in original]
