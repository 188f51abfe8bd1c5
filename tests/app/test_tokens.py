"""The project tokenizer: offsets into the exact text, alignment, snapping selections."""
from __future__ import annotations

import pytest

from app.tokens import align, nlp_for, snap, token_bounds, token_dicts, tokenize, tokenize_one
from tests.app._exporting import HARD

TEXTS = [HARD, "Hello  world", " lead and trail ", "a\tb\nc", "", "x" * 3,
         "Caf\u00e9 vs Cafe\u0301, \u201cquoted\u201d (\U0001F600)!"]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_bounds_slice_the_exact_text(text):
    doc = tokenize_one(text)
    bounds = token_bounds(doc)
    assert [text[s:e] for s, e in zip(bounds.starts, bounds.ends)] == [t.text for t in doc]
    assert bounds.spaces == [bool(t.whitespace_) for t in doc]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_dicts_match_spacy_tokens(text):
    doc = tokenize_one(text)
    assert token_dicts(token_bounds(doc), text) == [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i,
         "ws": t.whitespace_ != ""} for t in doc]


def test_tokens_tokenize_keeps_order_and_reuses_one_pipeline():
    docs = list(tokenize(TEXTS, batch_size=2))
    assert [d.text for d in docs] == TEXTS
    assert nlp_for("en") is nlp_for("en")


@pytest.mark.parametrize("text", TEXTS[:4] + TEXTS[6:])
def test_tokens_align_agrees_with_strict_char_span(text):
    doc = tokenize_one(text)
    bounds = token_bounds(doc)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            span = doc.char_span(start, end, alignment_mode="strict")
            expected = None if span is None else (span.start, span.end - 1)
            assert align(bounds, start, end) == expected, (start, end)


@pytest.mark.parametrize("selected, snapped", [
    ("Ada", "Ada"),                       # already whole
    ("da Lovel", "Ada Lovelace"),         # grows to whole tokens at both ends
    (" Ada ", "Ada"),                     # whitespace at the edges is dropped
    ("works\u201d.\r\nPa", "works\u201d.\r\nParis"),
    ("\U0001F469", "\U0001F469"),         # spaCy splits the ZWJ sequence
    ("Cafe", "Cafe\u0301"),               # never cuts off a combining mark
    ("\r\n", ""),                         # only whitespace: nothing
])
def test_tokens_snap_grows_a_selection_to_token_bounds(selected, snapped):
    start, end = HARD.index(selected), HARD.index(selected) + len(selected)
    s, e = snap(tokenize_one(HARD), start, end)
    assert HARD[s:e] == snapped
    if not snapped:
        assert s == e == start


def test_tokens_snap_accepts_offsets_too():
    offsets = [(0, 5), (6, 11), (11, 12)]     # "Hello world."
    assert snap(offsets, 2, 7) == (0, 11)
    assert snap(offsets, 5, 6) == (5, 5)      # the gap between tokens
    assert snap(offsets, 4, 12) == (0, 12)


def test_tokens_each_thread_has_its_own_pipeline():
    import threading

    from app.tokens import nlp_for
    seen = {}
    worker = threading.Thread(target=lambda: seen.setdefault("other", nlp_for()))
    worker.start()
    worker.join()
    assert nlp_for() is nlp_for("en")                  # one per thread and language
    assert seen["other"] is not nlp_for()
