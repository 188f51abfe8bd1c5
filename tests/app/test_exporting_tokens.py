"""The project tokenizer as exports use it: one pipeline per process, many spans aligned at
once."""
from __future__ import annotations

import numpy
import pytest

from app.tokens import (align, align_all, forget_pipelines, nlp_for, sentencizer_for,
                        token_bounds, tokenize, tokenize_one)
from tests.app._exporting import HARD


def test_exporting_tokens_one_pipeline_however_it_is_asked_for():
    assert nlp_for() is nlp_for("en")           # functools.cache tells these calls apart
    assert sentencizer_for() is sentencizer_for("en") and sentencizer_for() is not nlp_for()
    doc = next(tokenize(["Ada Lovelace"]))
    assert doc.vocab is nlp_for().vocab         # the vocab that holds the token texts


def test_exporting_tokens_a_worker_drops_the_pipelines_it_inherited():
    before = nlp_for()
    forget_pipelines()
    assert nlp_for() is not before and nlp_for() is nlp_for("en")


@pytest.mark.parametrize("text", [HARD, "Hello  world", " lead and trail ", "", "a\tb\nc"])
def test_exporting_tokens_align_all_is_align(text):
    bounds = token_bounds(tokenize_one(text))
    pairs = [(s, e) for s in range(len(text) + 1) for e in range(s + 1, len(text) + 2)]
    starts = numpy.asarray(bounds.starts, numpy.int64)
    got = align_all(starts, numpy.asarray(bounds.ends, numpy.int64),
                    [s for s, _ in pairs], [e for _, e in pairs])
    assert got == [align(bounds, s, e) for s, e in pairs]


def test_exporting_tokens_align_all_without_spans_or_tokens():
    empty = numpy.zeros(0, numpy.int64)
    assert align_all(empty, empty, [], []) == []
    assert align_all(empty, empty, [0, 1], [1, 2]) == [None, None]
