"""Pattern suggester: pattern files, the shipped defence set, and "label all occurrences"."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from app.resources import default_schema
from app.suggest.base import SuggestedSpan
from app.suggest.occurrences import occurrences
from app.suggest.patterns import PatternSuggester
from app.tokens import align, token_bounds, tokenize_one
from models import errors

ROOT = Path(__file__).resolve().parents[2]


def write_patterns(path: Path, lines: list[object]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n"
                            for line in lines), encoding="utf-8")
    return path


def found(suggester: PatternSuggester, text: str) -> set[tuple[str, str]]:
    (suggestions,) = suggester.suggest([text])
    return {(text[s.start:s.end], s.label) for s in suggestions.spans}


@pytest.fixture(scope="module")
def shipped() -> PatternSuggester:
    return PatternSuggester.default()


# -- pattern files ----------------------------------------------------------------------------

def test_suggest_patterns_phrase_and_token_patterns(tmp_path):
    path = write_patterns(tmp_path / "acme.jsonl", [
        {"label": "ORG", "pattern": "Acme Corp", "id": "acme"},
        {"label": "WEAPON",
         "pattern": [{"TEXT": {"REGEX": r"^Zx-\d+$"}}, {"ORTH": "Mk", "OP": "?"}]},
    ])
    suggester = PatternSuggester.from_files([path])
    text = "Acme Corp sold Zx-9 Mk rockets; acme corp and Zx-A did not."
    (suggestions,) = suggester.suggest([text])
    assert suggestions.spans == [SuggestedSpan(0, 9, "ORG"), SuggestedSpan(15, 22, "WEAPON")]
    assert suggester.name == "patterns:acme"
    assert suggester.labels() == {"ORG", "WEAPON"}


def test_suggest_patterns_name_joins_stems_or_takes_the_given_one(tmp_path):
    a = write_patterns(tmp_path / "a.jsonl", [{"label": "ORG", "pattern": "Acme"}])
    b = write_patterns(tmp_path / "b.jsonl", [{"label": "GPE", "pattern": "Kyiv"}])
    assert PatternSuggester.from_files([a, b]).name == "patterns:a+b"
    assert PatternSuggester.from_files([a], name="house").name == "house"
    assert found(PatternSuggester.from_files([a, b]), "Acme in Kyiv") == {
        ("Acme", "ORG"), ("Kyiv", "GPE")}


def test_suggest_patterns_overlapping_labels_both_suggested(tmp_path):
    path = write_patterns(tmp_path / "p.jsonl", [
        {"label": "ORG", "pattern": "Acme Corp"}, {"label": "LOC", "pattern": "Corp Tower"}])
    assert found(PatternSuggester.from_files([path]), "the Acme Corp Tower fell") == {
        ("Acme Corp", "ORG"), ("Corp Tower", "LOC")}


def test_suggest_patterns_same_label_longest_and_duplicates_once(tmp_path):
    path = write_patterns(tmp_path / "p.jsonl", [
        {"label": "ORG", "pattern": "Defence Ministry"},
        {"label": "ORG", "pattern": "Russian Defence Ministry"},
        {"label": "ORG", "id": "again",
         "pattern": [{"ORTH": "Russian"}, {"ORTH": "Defence"}, {"ORTH": "Ministry"}]},
    ])
    suggester = PatternSuggester.from_files([path])
    (suggestions,) = suggester.suggest(["The Russian Defence Ministry said"])
    assert suggestions.spans == [SuggestedSpan(4, 28, "ORG")]


def test_suggest_patterns_same_label_crossing_matches_keep_one(tmp_path):
    path = write_patterns(tmp_path / "p.jsonl", [
        {"label": "ORG", "pattern": "Acme Corp"}, {"label": "ORG", "pattern": "Corp Tower Trust"}])
    suggester = PatternSuggester.from_files([path])
    assert found(suggester, "the Acme Corp Tower Trust") == {("Corp Tower Trust", "ORG")}
    keeping = PatternSuggester.from_files([path], keep_nested=True)
    (kept,) = keeping.suggest(["Acme Corp Tower Trust"])
    assert len(kept.spans) == 1


def test_suggest_patterns_nested_other_label_dropped_unless_kept(tmp_path):
    path = write_patterns(tmp_path / "p.jsonl", [
        {"label": "DATE", "pattern": "two weeks"}, {"label": "QUANTITY", "pattern": "two"}])
    text = "for two weeks, two men"
    (dropped,) = PatternSuggester.from_files([path]).suggest([text])
    assert [(s.start, s.end, s.label) for s in dropped.spans] == [
        (4, 13, "DATE"), (15, 18, "QUANTITY")]
    (kept,) = PatternSuggester.from_files([path], keep_nested=True).suggest([text])
    assert [(s.start, s.end, s.label) for s in kept.spans] == [
        (4, 7, "QUANTITY"), (4, 13, "DATE"), (15, 18, "QUANTITY")]


def test_suggest_patterns_spans_never_edged_with_whitespace(tmp_path):
    path = write_patterns(tmp_path / "p.jsonl", [
        {"label": "ORG", "pattern": [{"IS_SPACE": True, "OP": "?"}, {"ORTH": "Acme"},
                                     {"IS_SPACE": True, "OP": "+"}]},
        {"label": "LOC", "pattern": [{"IS_SPACE": True}]},
    ])
    text = "go\r\n\r\nAcme\n\n  now\u2028Acme\u00a0x"
    (suggestions,) = PatternSuggester.from_files([path]).suggest([text])
    assert [text[s.start:s.end] for s in suggestions.spans] == ["Acme", "Acme"]
    assert {s.label for s in suggestions.spans} == {"ORG"}


def test_suggest_patterns_one_result_per_text_in_order(shipped):
    texts = (t for t in ["", "Su-34", "nothing here", "on Tuesday"])
    results = list(shipped.suggest(texts))
    assert [[s.label for s in r.spans] for r in results] == [[], ["WEAPON"], [], ["DATE"]]


# -- bad pattern files ------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "reason"), [
    ('{"label": "ORG", "pattern": "Acme"', "not JSON"),
    ('["ORG", "Acme"]', "expected an object"),
    ('{"pattern": "Acme"}', "label must be"),
    ('{"label": "ORG"}', "no pattern"),
    ('{"label": "ORG", "pattern": "Acme", "lable": "x"}', "unknown key 'lable'"),
    ('{"label": "ORG", "pattern": "  "}', "empty phrase pattern"),
    ('{"label": "ORG", "pattern": " Acme"}', "starts or ends with whitespace"),
    ('{"label": "ORG", "pattern": []}', "non-empty list"),
    ('{"label": "ORG", "pattern": [{"ORHT": "Acme"}]}', "bad token pattern"),
    ('{"label": "ORG", "pattern": [{"TEXT": {"REGEX": "(Acme"}}]}', "bad token pattern"),
    ('{"label": "ORG", "pattern": [{"ORTH": "Acme", "OP": "{1,x}"}]}', "bad token pattern"),
    ('{"label": "ORG", "pattern": "Acme", "id": 7}', "id must be a string"),
])
def test_suggest_patterns_bad_file_names_file_and_line(tmp_path, line, reason):
    path = write_patterns(tmp_path / "bad.jsonl", [
        {"label": "ORG", "pattern": "Good Corp"}, "", line, {"label": "ORG", "pattern": "Later"}])
    with pytest.raises(errors.BadInput) as caught:
        PatternSuggester.from_files([path])
    message = str(caught.value)
    assert f"{path}:3: " in message and reason in message
    assert "\n" not in message


@pytest.mark.parametrize("content", [None, "", "\n\n", b"\xff\xfe{"])
def test_suggest_patterns_unreadable_or_empty_file_is_bad_input(tmp_path, content):
    path = tmp_path / "p.jsonl"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(errors.BadInput, match=str(path)):
        PatternSuggester.from_files([path])


def test_suggest_patterns_no_file_given_is_bad_input():
    with pytest.raises(errors.BadInput):
        PatternSuggester.from_files([])


def test_suggest_patterns_file_with_bom_and_crlf_reads(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"label": "ORG", "pattern": "Acme"}\r\n\r\n'
                     b'{"label": "GPE", "pattern": "Kyiv"}\r\n')
    assert found(PatternSuggester.from_files([path]), "Acme, Kyiv") == {
        ("Acme", "ORG"), ("Kyiv", "GPE")}


# -- the shipped set --------------------------------------------------------------------------

def test_suggest_patterns_default_name_and_labels_in_schema(shipped):
    schema = {label.name for label in default_schema().labels}
    assert shipped.name == "patterns"
    assert {"WEAPON", "MIL_UNIT", "ORG", "DATE", "QUANTITY"} <= shipped.labels() <= schema


@pytest.mark.parametrize(("text", "expected"), [
    ("Two Su-34 bombers were seen over Kherson.", [("Two", "QUANTITY"), ("Su-34", "WEAPON")]),
    ("Kyiv says an M142 HIMARS launcher was not hit.", [("M142 HIMARS", "WEAPON")]),
    ("Soldiers of the 72nd Mechanized Brigade held the line.",
     [("72nd Mechanized Brigade", "MIL_UNIT")]),
    ("Troops of the Southern Military District were moved.",
     [("Southern Military District", "MIL_UNIT")]),
    ("The Defence Ministry did not comment.", [("Defence Ministry", "ORG")]),
    ("The Russian Defence Ministry said Su-35S and MiG-29 jets flew.",
     [("Russian Defence Ministry", "ORG"), ("Su-35S", "WEAPON"), ("MiG-29", "WEAPON")]),
    ("Tu-95MS bombers fired Kh-101 missiles; S-400 and Iskander-M units moved.",
     [("Tu-95MS", "WEAPON"), ("Kh-101", "WEAPON"), ("S-400", "WEAPON"), ("Iskander-M", "WEAPON")]),
    ("A Shahed-136 hit a T-72B3 near a Leopard 2A6 and a Patriot PAC-3 battery.",
     [("Shahed-136", "WEAPON"), ("T-72B3", "WEAPON"), ("Leopard 2A6", "WEAPON"),
      ("Patriot PAC-3", "WEAPON")]),
    ("A Bayraktar TB2 and F-16s with AIM-120 missiles flew; a T-90M burned.",
     [("Bayraktar TB2", "WEAPON"), ("F-16s", "WEAPON"), ("AIM-120", "WEAPON"),
      ("T-90M", "WEAPON")]),
    ("The 3rd Separate Assault Brigade fought the 1st Tank Army and the Black Sea Fleet.",
     [("3rd Separate Assault Brigade", "MIL_UNIT"), ("1st Tank Army", "MIL_UNIT"),
      ("Black Sea Fleet", "MIL_UNIT")]),
    ("The General Staff of the Armed Forces, the State Border Guard Service, the Main "
     "Intelligence Directorate and the National Guard met.",
     [("General Staff of the Armed Forces", "ORG"), ("State Border Guard Service", "ORG"),
      ("Main Intelligence Directorate", "ORG"), ("National Guard", "ORG")]),
    ("It lost 12 drones and three missiles on Tuesday, March 3, 2024.",
     [("12 drones", "QUANTITY"), ("three missiles", "QUANTITY"), ("Tuesday", "DATE"),
      ("March 3, 2024", "DATE")]),
])
def test_suggest_patterns_default_finds_defence_names(shipped, text, expected):
    assert found(shipped, text) == set(expected)


@pytest.mark.parametrize("text", [
    "Mr Patel, who runs an M&S store, got an A-level in maths and applied for an F-1 visa.",
    "The M25 and the A1 were shut; the G7 met after COVID-19; MH17 families spoke; K-pop sold.",
    "A B-2 visa, a J-1 visa and an E-40 road; the S-Bahn and a T-shirt; U-turns.",
    "Mrs Cole said the Office and the Service were fine. This Brigade of volunteers cooked.",
])
def test_suggest_patterns_default_ignores_ordinary_words(shipped, text):
    assert found(shipped, text) == set()


def test_suggest_patterns_default_spans_on_token_boundaries(shipped):
    text = ("👩‍🔬 The 47th Brigade\r\nsaid on  Friday that 14 Su-25s and\u2028two Ka-52 "
            "helicopters were hit by the Ukrainian Air Force.")
    (suggestions,) = shipped.suggest([text])
    bounds = token_bounds(tokenize_one(text))
    assert len(suggestions.spans) >= 5
    for s in suggestions.spans:
        covered = text[s.start:s.end]
        assert covered == covered.strip() and align(bounds, s.start, s.end) is not None


def test_suggest_patterns_eval_data_offsets_match():
    script = ROOT / "bench" / "eval_patterns.py"
    spec = importlib.util.spec_from_file_location("eval_patterns", script)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    records = bench.load(bench.DATA)
    assert {r["split"] for r in records} == {"dev", "test"}
    assert bench.gold_problems(records) == []


# -- label all occurrences --------------------------------------------------------------------

def test_suggest_patterns_occurrences_with_emoji_and_crlf():
    text = "Kyiv 👩‍🔬 Kyiv\r\nKyivan Kyiv-based (Kyiv) KYIV kyiv 👍Kyiv.\r\nKyiv"
    spans = occurrences(text, "Kyiv", label="GPE")
    assert all(text[s.start:s.end] == "Kyiv" and s.label == "GPE" for s in spans)
    # 👩‍🔬 is three code points; "Kyiv-based" and "(Kyiv)" split into tokens, "Kyivan" not
    assert [s.start for s in spans] == [0, 9, 22, 34, 51, 58]
    assert [s.start for s in occurrences(text, "Kyiv", label="GPE", exclude=(9, 13))] == [
        0, 22, 34, 51, 58]


def test_suggest_patterns_occurrences_whole_tokens_only():
    text = "Su-34s and Su-34 jets; the Su-34.\r\nA Black\r\nSea Fleet, the Black Sea Fleet."
    su = occurrences(text, "Su-34", label="WEAPON")
    assert [(text[s.start:s.end], s.start) for s in su] == [("Su-34", 11), ("Su-34", 27)]
    fleet = occurrences(text, "Black Sea Fleet", label="MIL_UNIT")
    assert [s.start for s in fleet] == [text.rindex("Black")]
    assert occurrences(text, " Su-34", label="WEAPON") == []
    assert occurrences(text, "", label="WEAPON") == []
    assert occurrences(text, "Su", label="WEAPON") == []


def test_suggest_patterns_occurrences_do_not_overlap():
    text = "aa aa aa"
    assert [(s.start, s.end) for s in occurrences(text, "aa aa", label="ORG")] == [(0, 5)]
