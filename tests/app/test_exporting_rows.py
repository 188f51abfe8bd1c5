"""The lean export read: Store.iter_span_rows is iter_annotations without the objects."""
from __future__ import annotations

import pytest

from models.domain import State, Status
from tests.app._exporting import messy


@pytest.fixture
def corpus(store):
    messy(store, 60)
    return store


@pytest.mark.parametrize("filters", [
    {}, {"states": [State.ACCEPTED]}, {"states": [State.ACCEPTED, State.REJECTED]},
    {"annotator": "bo"}, {"status": [Status.DONE]}, {"article_ids": [3, 9, 10, 40]}])
def test_exporting_span_rows_are_iter_annotations_without_the_objects(corpus, filters):
    expected = [((a.article.id, a.article.uid, a.article.title, a.article.text,
                  a.article.source, a.article.url, a.article.author, a.article.published),
                 [(s.id, s.start, s.end, s.label, str(s.state)) for s in a.spans],
                 [(r.head_id, r.child_id, r.label) for r in a.relations])
                for a in corpus.iter_annotations(**filters)]
    got = list(corpus.iter_span_rows(**filters, batch=7))
    assert got == expected and sum(len(r[2]) for r in got) > 0
    assert all(rels == [] for _, _, rels in corpus.iter_span_rows(**filters, relations=False))
