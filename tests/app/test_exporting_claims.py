"""Claims JSONL: one record per claim with its sentence, claimant, cue, hedges, attributes."""
from __future__ import annotations

import pytest

from app.exporting import export
from models.domain import State
from tests.app._exporting import HARD, add, at, read_jsonl, span

CLAIM = "the engine works"
SECOND = "Cafe\u0301 reported it\u2028too"
TEXT = HARD + " The mayor warned that prices could rise."


@pytest.fixture
def project(store):
    spans = [span(TEXT, CLAIM, "CLAIM", attributes={"stance": "affirm", "claimant_kind": "entity"}),
             span(TEXT, "Ada Lovelace", "PERSON"),
             span(TEXT, "said", "CUE"),
             span(TEXT, "allegedly", "HEDGE"),
             span(TEXT, SECOND, "CLAIM", attributes={"claimant_kind": "author"}),
             span(TEXT, "prices could rise", "CLAIM",
                  attributes={"claimant_kind": "unnamed", "claimant_text": "the mayor"}),
             span(TEXT, "Paris", "CLAIM", state=State.SUGGESTED),
             span(TEXT, "rise", "CLAIM", state=State.REJECTED)]
    add(store, TEXT, spans, relations=[(0, 1, "claimant"), (0, 2, "cue"), (0, 3, "hedge"),
                                       (4, 3, "hedge")],
        title="Engine", author="Bo Reporter")
    add(store, "No claims here.", [span("No claims here.", "No", "PERSON")])
    return store


def _claims(store, tmp_path, **options):
    report = export(store, "claims", tmp_path / "claims.jsonl", **options)
    return report, {r["claim"]["text"]: r for r in read_jsonl(tmp_path / "claims.jsonl")}


def test_exporting_claims_one_record_per_accepted_claim(project, tmp_path):
    report, claims = _claims(project, tmp_path)
    assert sorted(claims) == sorted([CLAIM, SECOND, "prices could rise"])
    assert (report.articles, report.records, report.problems) == (2, 3, [])
    first = claims[CLAIM]
    assert list(first) == ["article_uid", "article_title", "claim", "sentence", "claimant",
                           "cue", "hedges", "attributes", "annotator"]
    assert (first["article_title"], first["annotator"]) == ("Engine", "ann")


@pytest.mark.parametrize("suggestions, expected", [(False, 3), (True, 4)])
def test_exporting_claims_suggestions_only_when_asked(project, tmp_path, suggestions, expected):
    _, claims = _claims(project, tmp_path, include_suggestions=suggestions)
    assert len(claims) == expected and "rise" not in claims


def test_exporting_claims_offsets_slice_the_exact_text(project, tmp_path):
    _, claims = _claims(project, tmp_path)
    for record in claims.values():
        for part in [record["claim"], record["sentence"], record["cue"], *record["hedges"],
                     record["claimant"] if "start" in (record["claimant"] or {}) else None]:
            if part is not None:
                assert TEXT[part["start"]:part["end"]] == part["text"]
    assert (claims[SECOND]["claim"]["start"], claims[SECOND]["claim"]["end"]) == at(TEXT, SECOND)


def test_exporting_claims_sentence_holds_the_claim_start(project, tmp_path):
    _, claims = _claims(project, tmp_path)
    assert claims[CLAIM]["sentence"]["text"] == ("Dr. Ada Lovelace said \u201cthe engine "
                                                 "works\u201d.")
    assert claims["prices could rise"]["sentence"]["text"] == (
        "The mayor warned that prices could rise.")
    for record in claims.values():
        sentence = record["sentence"]
        assert sentence["start"] <= record["claim"]["start"] < sentence["end"]


def test_exporting_claims_claimant_cue_hedges_from_relations(project, tmp_path):
    _, claims = _claims(project, tmp_path)
    first = claims[CLAIM]
    start, end = at(TEXT, "Ada Lovelace")
    assert first["claimant"] == {"kind": "entity", "text": "Ada Lovelace", "start": start,
                                 "end": end, "label": "PERSON"}
    assert first["cue"] == {"text": "said", "start": at(TEXT, "said")[0],
                            "end": at(TEXT, "said")[1], "label": "CUE"}
    assert [h["text"] for h in first["hedges"]] == ["allegedly"]


@pytest.mark.parametrize("claim, claimant", [
    (SECOND, {"kind": "author", "text": "Bo Reporter"}),   # the article's author
    ("prices could rise", {"kind": "unnamed", "text": "the mayor"}),
])
def test_exporting_claims_claimant_from_attributes(project, tmp_path, claim, claimant):
    _, claims = _claims(project, tmp_path)
    assert claims[claim]["claimant"] == claimant
    assert claims[claim]["cue"] is None


def test_exporting_claims_without_claimant_is_null_and_entity_kind_is_reported(store, tmp_path):
    text = "Officials claimed the bridge fell."
    add(store, text, [span(text, "the bridge fell", "CLAIM"),
                      span(text, "claimed the bridge", "CLAIM",
                           attributes={"claimant_kind": "entity"})])
    report, claims = _claims(store, tmp_path)
    assert claims["the bridge fell"]["claimant"] is None
    assert claims["claimed the bridge"]["claimant"] is None
    assert len(report.problems) == 1 and "no claimant relation" in report.problems[0]


def test_exporting_claims_attributes_carry_every_definition_with_defaults(project, tmp_path):
    _, claims = _claims(project, tmp_path)
    attributes = claims[CLAIM]["attributes"]
    names = [d.name for d in project.schema().attributes]
    assert list(attributes) == names
    assert attributes["stance"] == "affirm"                 # set
    assert attributes["certainty"] == "unknown"             # default of the schema
    assert attributes["claim_type"] is None                 # no default
    assert claims[SECOND]["attributes"]["stance"] == "unknown"
