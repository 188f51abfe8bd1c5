"""Claims CSV: one row per claim, the claims JSONL flattened, safe to open in a spreadsheet."""
from __future__ import annotations

import csv

import pytest

from app.exporting import export
from app.interop.claims_csv import DANGEROUS, safe
from models.domain import State
from tests.app._exporting import HARD, add, read_jsonl, span

ATTRIBUTES = ["stance", "claim_type", "quote_type", "certainty", "check_worthy", "verdict",
              "note"]
HEADER = ["article_uid", "article_title", "claim_text", "claim_start", "claim_end", "sentence",
          "claimant_kind", "claimant_text", "claimant_label", "cue", "hedges", *ATTRIBUTES,
          "annotator"]
NOTE = 'says "no",\r\nthen\u2028yes'


@pytest.fixture
def project(store):
    claim = span(HARD, "the engine works", "CLAIM",
                 attributes={"stance": "refute", "note": NOTE, "claimant_kind": "entity"})
    add(store, HARD, [claim, span(HARD, "Ada Lovelace", "PERSON"), span(HARD, "said", "CUE"),
                      span(HARD, "allegedly", "HEDGE"), span(HARD, "reported", "HEDGE"),
                      span(HARD, "Paris", "CLAIM", attributes={"claimant_kind": "unnamed",
                                                               "claimant_text": "@someone"}),
                      span(HARD, "too", "CLAIM", state=State.SUGGESTED)],
        relations=[(0, 1, "claimant"), (0, 2, "cue"), (0, 3, "hedge"), (0, 4, "hedge")],
        title="=HYPERLINK(\"http://x\")")
    return store


def _rows(store, tmp_path, **options) -> tuple[bytes, list[list[str]]]:
    path = tmp_path / "claims.csv"
    report = export(store, "claims-csv", path, **options)
    data = path.read_bytes()
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert report.problems == [] and report.records == len(rows) - 1
    return data, rows


def test_claims_csv_header_and_one_row_per_accepted_claim(project, tmp_path):
    _, rows = _rows(project, tmp_path)
    assert rows[0] == HEADER
    assert sorted(r[2] for r in rows[1:]) == ["Paris", "the engine works"]


def test_claims_csv_columns_of_a_claim(project, tmp_path):
    _, rows = _rows(project, tmp_path)
    row = dict(zip(HEADER, next(r for r in rows[1:] if r[2] == "the engine works")))
    uid = project.annotation(project.article_ids()[0]).article.uid
    assert row == {
        "article_uid": uid, "article_title": "'=HYPERLINK(\"http://x\")",
        "claim_text": "the engine works", "claim_start": "23", "claim_end": "39",
        "sentence": "Dr. Ada Lovelace said \u201cthe engine works\u201d.",
        "claimant_kind": "entity", "claimant_text": "Ada Lovelace", "claimant_label": "PERSON",
        "cue": "said", "hedges": "reported | allegedly", "stance": "refute", "claim_type": "",
        "quote_type": "", "certainty": "unknown", "check_worthy": "", "verdict": "unverified",
        "note": NOTE, "annotator": "ann"}
    assert HARD[23:39] == "the engine works"


def test_claims_csv_neutralises_formulas_in_every_column(project, tmp_path):
    _, rows = _rows(project, tmp_path)
    paris = dict(zip(HEADER, next(r for r in rows[1:] if r[2] == "Paris")))
    assert (paris["claimant_kind"], paris["claimant_text"]) == ("unnamed", "'@someone")
    assert all(not cell.startswith(DANGEROUS) for row in rows for cell in row)


@pytest.mark.parametrize("first", DANGEROUS)
def test_claims_csv_safe_prefixes_each_dangerous_first_character(first):
    assert safe(f"{first}1+2") == f"'{first}1+2"
    assert safe(f"a{first}") == f"a{first}"


@pytest.mark.parametrize("value, cell", [(None, ""), (12, "12"), ("", ""), ("'x", "'x")])
def test_claims_csv_safe_cells(value, cell):
    assert safe(value) == cell


def test_claims_csv_bom_crlf_and_quoting_read_back(project, tmp_path):
    data, rows = _rows(project, tmp_path)
    assert data.startswith(b"\xef\xbb\xbfarticle_uid,")
    assert data.split(b"\r\n")[0].endswith(b",annotator") and b'"says ""no"",' in data
    assert NOTE in [cell for row in rows for cell in row]      # newlines inside a cell


def test_claims_csv_agrees_with_the_claims_jsonl(project, tmp_path):
    _, rows = _rows(project, tmp_path, include_suggestions=True)
    export(project, "claims", tmp_path / "claims.jsonl", include_suggestions=True)
    records = read_jsonl(tmp_path / "claims.jsonl")
    assert [(r[2], r[3], r[4], r[5]) for r in rows[1:]] == [
        (c["claim"]["text"], str(c["claim"]["start"]), str(c["claim"]["end"]),
         safe(c["sentence"]["text"])) for c in records]
    assert rows[2][5].startswith("'\r\nParis")           # a sentence after a CRLF: neutralised
    assert len(rows) == 4


def test_claims_csv_cli(project, project_path, tmp_path, capsys):
    from app.cli import main
    out = tmp_path / "c.csv"
    assert main(["export", str(project_path), "-f", "claims-csv", "-o", str(out)]) == 0
    capsys.readouterr()
    assert out.read_bytes().count(b"\r\n") >= 3
