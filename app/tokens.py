"""The project tokenizer: spaCy's rule-based tokenizer of a blank pipeline, nothing downloaded.

Export, training and the GUI (snapping a selection to whole tokens) share it, so a span drawn
in the GUI is on token boundaries in every exported format. Offsets are code points into
the exact text given, like everywhere else in Newsmark.

Pipelines are created on first use and cached per thread: spaCy objects are not
thread-safe, and in the GUI process the view's token worker and an export worker may
tokenize at the same time.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
import threading
from itertools import count
from typing import NamedTuple

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

LANG = "en"


def nlp_for(lang: str = LANG) -> Language:
    """The blank pipeline (tokenizer only) of a language, one per process."""
    return _pipeline(lang, sentencizer=False)


def sentencizer_for(lang: str = LANG) -> Language:
    """A blank pipeline with the rule-based sentencizer, one per process."""
    return _pipeline(lang, sentencizer=True)


_local = threading.local()


def _pipeline(lang: str, *, sentencizer: bool) -> Language:
    cached = _local.__dict__.setdefault("pipelines", {})
    if (lang, sentencizer) not in cached:
        nlp = spacy.blank(lang)
        if sentencizer:
            nlp.add_pipe("sentencizer")
        cached[(lang, sentencizer)] = nlp
    return cached[(lang, sentencizer)]


def forget_pipelines() -> None:
    """Drop this thread's pipelines: a worker process inherited them and makes its own."""
    _local.__dict__.pop("pipelines", None)


def tokenize(texts: Iterable[str], *, lang: str = LANG, batch_size: int = 256) -> Iterator[Doc]:
    """Docs of the texts, in order (tokenizer only: the fast path for many texts)."""
    return nlp_for(lang).tokenizer.pipe(texts, batch_size=batch_size)


def tokenize_one(text: str, *, lang: str = LANG) -> Doc:
    return nlp_for(lang).make_doc(text)


class Bounds(NamedTuple):
    """Per token, in order: start and end (code points) and whether whitespace follows."""
    starts: list[int]
    ends: list[int]
    spaces: list[bool]


def token_bounds(doc: Doc, *, skip_space: bool = False) -> Bounds:
    """Token offsets from the doc's arrays, without making a Token object each.

    With skip_space, tokens made only of whitespace ("\\r\\n", a second space) are left out.
    """
    if not len(doc):
        return Bounds([], [], [])
    table = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE] if skip_space else
                         [IDX, LENGTH, SPACY]).astype(numpy.int64)
    if skip_space:
        table = table[table[:, 3] == 0]
    table[:, 1] += table[:, 0]                  # start + length: the end
    starts, ends = table[:, :2].T.tolist()
    return Bounds(starts, ends, table[:, 2].astype(bool).tolist())


def token_dicts(bounds: Bounds, text: str) -> list[dict]:
    """Prodigy's tokens: {"text", "start", "end", "id", "ws"}; `text` is the doc's text."""
    starts, ends, spaces = bounds
    return [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": ws}
            for i, s, e, ws in zip(count(), starts, ends, spaces)]


def align(bounds: Bounds, start: int, end: int) -> tuple[int, int] | None:
    """(first token, last token INCLUSIVE) of exactly [start, end), or None off boundaries.

    The same answer as doc.char_span(start, end, alignment_mode="strict"), by bisection.
    """
    starts, ends = bounds.starts, bounds.ends
    first = bisect_left(starts, start)
    if first == len(starts) or starts[first] != start:
        return None
    last = bisect_left(ends, end)
    if last == len(ends) or ends[last] != end or last < first:
        return None
    return first, last


def align_all(starts: numpy.ndarray, ends: numpy.ndarray, span_starts: Sequence[int],
              span_ends: Sequence[int]) -> list[tuple[int, int] | None]:
    """`align` of many spans at once, on token start and end offsets as arrays (from
    doc.to_array([IDX, LENGTH]): starts, starts + lengths): one search for all of them."""
    if not len(span_starts):
        return []
    if not len(starts):
        return [None] * len(span_starts)
    want_start = numpy.asarray(span_starts, dtype=numpy.int64)
    want_end = numpy.asarray(span_ends, dtype=numpy.int64)
    first = numpy.searchsorted(starts, want_start, "left")
    last = numpy.searchsorted(ends, want_end, "left")
    n = len(starts)
    ok = ((first < n) & (last < n) & (last >= first)
          & (starts[numpy.minimum(first, n - 1)] == want_start)
          & (ends[numpy.minimum(last, n - 1)] == want_end))
    return [(f, t) if good else None
            for f, t, good in zip(first.tolist(), last.tolist(), ok.tolist())]


def snap(doc_or_offsets: Doc | Sequence[tuple[int, int]], start: int,
         end: int) -> tuple[int, int]:
    """Grow [start, end) to whole tokens; whitespace at either edge is dropped first.

    Give a Doc (its whitespace tokens never count) or token (start, end) offsets in order.
    A selection that holds no token returns the empty (start, start).
    """
    if isinstance(doc_or_offsets, Doc):
        bounds = token_bounds(doc_or_offsets, skip_space=True)
        starts, ends = bounds.starts, bounds.ends
    else:
        starts = [s for s, _ in doc_or_offsets]
        ends = [e for _, e in doc_or_offsets]
    first = bisect_right(ends, start)        # first token ending after start
    last = bisect_left(starts, end) - 1      # last token starting before end
    if start >= end or first > last:
        return start, start
    return starts[first], ends[last]
