"""The core formats through the same generated round trip as the other tools' formats."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from app.tokens import align, token_bounds, tokenize_one
from tests.interop._roundtrip import projects, relations_of, round_trip, spans_of

EVERY_STATE = ("accepted", "suggested", "rejected")
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def everything(record: dict) -> tuple:
    """What the newsmark format keeps and this comparison can see: all of it but times."""
    spans = [(s["start"], s["end"], s["label"], s["layer"], s["state"], s["annotator"],
              s.get("attributes")) for s in record["spans"]]
    return (record["text"], record["title"], record["status"], sorted(spans, key=str),
            relations_of(record, states=EVERY_STATE))


@SETTINGS
@given(records=projects())
def test_newsmark_round_trip_keeps_everything(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "newsmark",
                                export_options={"include_suggestions": True})
    assert [everything(r) for r in back] == [everything(r) for r in original]


def on_tokens(record: dict) -> tuple:
    """What Prodigy keeps: accepted spans on token boundaries (the others are reported),
    and the relations among them."""
    bounds = token_bounds(tokenize_one(record["text"]))
    spans = [s for s in spans_of(record) if align(bounds, s[0], s[1]) is not None]
    kept = set(spans)
    relations = [r for r in relations_of(record) if r[0] in kept and r[1] in kept]
    return record["text"], spans, relations


@SETTINGS
@given(records=projects())
def test_prodigy_round_trip_keeps_spans_on_tokens_and_relations(tmp_path_factory, records):
    original, back = round_trip(tmp_path_factory.mktemp("rt"), records, "prodigy")
    assert [on_tokens(r) for r in back] == [on_tokens(r) for r in original]
