"""Prodigy JSONL: tokens from the project tokenizer, inclusive token_end, relations, hashes."""
from __future__ import annotations

import random

import numpy
import orjson
import pytest
from spacy.attrs import IDX, LENGTH, SPACY

from app.exporting import export
from app.exporting.prodigy import hash32
from app.exporting.tokenjson import token_jsons
from app.tokens import Bounds, token_bounds, token_dicts, tokenize
from models.domain import State
from tests.app._exporting import HARD, add, at, read_jsonl, span

CLAIM = "said \u201cthe engine works\u201d"


@pytest.fixture
def project(store):
    spans = [span(HARD, CLAIM, "CLAIM"),                                   # 0
             span(HARD, "Ada Lovelace", "PERSON"),                          # 1
             span(HARD, "Paris \U0001F469\u200d\U0001F52C", "GPE"),         # 2
             span(HARD, "Cafe\u0301", "ORG", state=State.SUGGESTED),        # 3
             span(HARD, "reported", "CUE", state=State.REJECTED),           # 4
             span(HARD, "allegedly", "HEDGE"),                              # 5
             span(HARD, "Lovel", "PERSON")]                                 # 6: inside a token
    add(store, HARD, spans, relations=[(0, 1, "claimant"), (0, 5, "hedge"), (0, 6, "claimant")],
        title="Engine", source="wire", url="https://example.org/a")
    return store


def _export(store, tmp_path, **options):
    report = export(store, "prodigy", tmp_path / "out.jsonl", **options)
    return report, read_jsonl(tmp_path / "out.jsonl")


def test_exporting_prodigy_tokens_cover_the_exact_text(project, tmp_path):
    _, (record,) = _export(project, tmp_path)
    tokens = record["tokens"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    assert all(HARD[t["start"]:t["end"]] == t["text"] for t in tokens)
    assert "\r\n" in [t["text"] for t in tokens]                 # whitespace tokens included
    rebuilt = "".join(t["text"] + (" " if t["ws"] else "") for t in tokens)
    assert rebuilt == HARD                                        # ws derived from the text


def test_exporting_prodigy_spans_have_inclusive_token_end(project, tmp_path):
    _, (record,) = _export(project, tmp_path)
    tokens = record["tokens"]
    for s in record["spans"]:
        first, last = tokens[s["token_start"]], tokens[s["token_end"]]
        assert (first["start"], last["end"]) == (s["start"], s["end"])   # inclusive end
    covered = {s["label"]: HARD[s["start"]:s["end"]] for s in record["spans"]}
    assert covered == {"CLAIM": CLAIM, "PERSON": "Ada Lovelace",
                       "GPE": "Paris \U0001F469\u200d\U0001F52C", "HEDGE": "allegedly"}
    person = next(s for s in record["spans"] if s["label"] == "PERSON")
    assert person["token_end"] == person["token_start"] + 1   # two tokens: Ada, Lovelace
    assert list(person) == ["start", "end", "token_start", "token_end", "label"]


def test_exporting_prodigy_reports_spans_off_token_boundaries(project, tmp_path):
    report, (record,) = _export(project, tmp_path)
    uid = record["meta"]["uid"]
    start, end = at(HARD, "Lovel")
    claim = at(HARD, CLAIM)
    assert report.problems == [
        f"{uid}:{start}-{end} PERSON 'Lovel': not on token boundaries",
        f"{uid}:{claim[0]}-{claim[1]} CLAIM '{CLAIM}': its claimant relation to {start}-{end} "
        "PERSON left out: a span is not on token boundaries"]
    assert (start, end) not in {(s["start"], s["end"]) for s in record["spans"]}


def test_exporting_prodigy_relations_point_at_last_tokens(project, tmp_path):
    _, (record,) = _export(project, tmp_path)
    assert record["_view_id"] == "relations"
    assert [r["label"] for r in record["relations"]] == ["claimant", "hedge"]  # not to "Lovel"
    for rel in record["relations"]:
        assert rel["head"] == rel["head_span"]["token_end"]
        assert rel["child"] == rel["child_span"]["token_end"]
        assert record["tokens"][rel["child"]]["end"] == rel["child_span"]["end"]
    assert HARD[record["relations"][0]["child_span"]["start"]:
                record["relations"][0]["child_span"]["end"]] == "Ada Lovelace"


def test_exporting_prodigy_record_shape_and_meta(project, tmp_path):
    _, (record,) = _export(project, tmp_path)
    assert list(record) == ["text", "meta", "_input_hash", "_task_hash", "tokens", "spans",
                            "relations", "answer", "_view_id"]
    assert record["answer"] == "accept"
    assert record["meta"] == {"uid": record["meta"]["uid"], "title": "Engine",
                              "source": "wire", "url": "https://example.org/a"}


@pytest.mark.parametrize("suggestions, labels", [
    (False, ["PERSON", "CLAIM", "GPE", "HEDGE"]),
    (True, ["PERSON", "CLAIM", "GPE", "ORG", "HEDGE"]),
])
def test_exporting_prodigy_suggestions_only_when_asked(project, tmp_path, suggestions, labels):
    _, records = _export(project, tmp_path, include_suggestions=suggestions)
    assert [s["label"] for s in records[0]["spans"]] == labels


@pytest.mark.parametrize("rejected, answers", [(False, ["accept"]), (True, ["accept", "reject"])])
def test_exporting_prodigy_rejected_spans_as_reject_records(project, tmp_path, rejected,
                                                            answers):
    report, records = _export(project, tmp_path, include_rejected=rejected)
    assert [r["answer"] for r in records] == answers
    assert report.records == len(records)
    assert "CUE" not in [s["label"] for s in records[0]["spans"]]
    if rejected:
        (cue,) = records[1]["spans"]
        assert (HARD[cue["start"]:cue["end"]], cue["label"]) == ("reported", "CUE")
        assert records[1]["_input_hash"] == records[0]["_input_hash"]
        assert records[1]["_task_hash"] != records[0]["_task_hash"]
        assert records[1]["tokens"] == records[0]["tokens"]


def test_exporting_prodigy_hashes_are_stable_signed_32_bit(project, tmp_path):
    _, (first,) = _export(project, tmp_path)
    assert first["_input_hash"] == hash32(HARD.encode("utf-8"))
    assert all(-2**31 <= first[k] < 2**31 for k in ("_input_hash", "_task_hash"))
    assert hash32(b"Acme Corp hired Jane Doe.") == -1808150878      # CRC-32, fixed across runs


def test_exporting_prodigy_task_hash_follows_the_annotations(store, tmp_path):
    text = "Acme Corp hired Jane Doe."
    add(store, text, [span(text, "Jane Doe", "PERSON")])
    add(store, text + " ", [span(text, "Acme Corp", "ORG")])
    _, (a, b) = _export(store, tmp_path)
    assert a["_input_hash"] != b["_input_hash"] and a["_task_hash"] != b["_task_hash"]
    assert a["_view_id"] == "ner_manual" and a["relations"] == []


def test_exporting_prodigy_article_without_spans_is_an_empty_accept(store, tmp_path):
    add(store, "Nothing to see.", [])
    _, (record,) = _export(store, tmp_path)
    assert (record["spans"], record["answer"], len(record["tokens"])) == ([], "accept", 4)


# --- the tokens' JSON, a chunk at a time ------------------------------------------------------

ALPHABET = (list("abcXYZ019 .,;-") * 4 + ["  ", "\n", "\r\n", "\t", '"', "\\", "\x00", "\x01",
            "\x1f", "\x7f", "\u00e9", "e\u0301", "\u2028", "\u2029", "\U0001F469\u200d\U0001F52C",
            "\u6f22\u5b57", "\ufeff", "\u201c", "\u201d", "Antidisestablishmentarianism",
            "x" * 40, "https://example.org/a/very/long/path?with=a&query=string"])


def _hard_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120)))
            for _ in range(count)]


@pytest.mark.parametrize("seed", range(6))
def test_exporting_prodigy_token_json_is_orjson_of_the_token_dicts(seed):
    texts = _hard_texts(seed, 40) + [HARD, "", "   ", "\n\n\n"]
    docs = list(tokenize(texts))
    tables = [doc.to_array([IDX, LENGTH, SPACY]) for doc in docs]
    assert token_jsons(texts, tables) == [orjson.dumps(token_dicts(token_bounds(doc), text))
                                          for doc, text in zip(docs, texts)]


def test_exporting_prodigy_token_json_past_a_million_characters():
    text = "ab " * 400_000                          # offsets past the table of digits
    starts = list(range(0, len(text), 3))
    bounds = Bounds(starts, [s + 2 for s in starts], [True] * len(starts))
    table = numpy.array([[s, 2, 1] for s in starts], numpy.uint64)
    assert token_jsons([text, "x"], [table, numpy.array([[0, 1, 0]], numpy.uint64)]) == [
        orjson.dumps(token_dicts(bounds, text)),
        b'[{"text":"x","start":0,"end":1,"id":0,"ws":false}]']
