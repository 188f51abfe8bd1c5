"""Token tags, shared by CoNLL (conll.py) and Hugging Face (hf.py): entities to IOB2/BILOU
tags over the project tokenizer's tokens on export, tags back to entities on import.

Export: the same tokens as every other export (app.tokens, through its sentencizer
pipeline, whose tokenizer is the same), with whitespace tokens dropped; the same entities
as the spaCy export, chosen by its own code (app/exporting/docbin.py): entity-layer spans
on token boundaries, not whitespace-edged, the longest of overlapping ones; every span
left out is reported as an export problem, never dropped silently. Tags are BILUO, the
same as spaCy's `offsets_to_biluo_tags` (see `biluo_tags`), turned into IOB2 by spaCy's
`biluo_to_iob` when asked.

Import: one decoder reads IOB1, IOB2, BILOU (and IOBES: E- and S- are L- and U-): tags go
to IOB with spaCy's `biluo_to_iob`, back to BILUO with `iob_to_biluo` and to entities with
`tags_to_entities`. So an I- without a B- starts an entity (IOB1, and what spaCy does), a
B- that no L- closes is a whole entity, and a BILOU file needs no declaration. Files in
these formats carry no text, so it is rebuilt: tokens joined by single spaces, sentences
by a newline; offsets are into that new text.

spaCy is imported where it is used, never at module import: hf.sniff runs for every
.jsonl file an import meets.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy

from app.exporting.common import Converter, Exporter, Job, Options
from app.exporting.docbin import ENTITY, DocBinConverter, DocBinExporter, Packed
from app.importing.checks import Context, check_text, describe, first_line
from models import errors
from models.domain import ArticleRecord, SpanRecord

SCHEMES = {"iob2": "BI", "bilou": "BILU"}       # the tag prefixes each export scheme uses
TAG = re.compile(r"O|[BIELSU]-\S+")
IOBES = {"E-": "L-", "S-": "U-"}


def tag_problem(tag: str) -> str | None:
    """Why a tag cannot be read (None: it can): `O` or a prefix, a dash and a label."""
    return None if TAG.fullmatch(tag) else f"tag {describe(tag)} is not IOB/BILOU"


def tag_names(labels: Sequence[str], scheme: str) -> list[str]:
    """The names (id2label) of every tag an export can write: O, then each label's tags."""
    return ["O", *(f"{prefix}-{label}" for label in labels for prefix in SCHEMES[scheme])]


# --- export ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Tagged:
    """An article as tagged tokens: whitespace tokens dropped, tags in the asked scheme."""
    words: list[str]
    offsets: list[tuple[int, int]]      # each word's [start, end) in the article's text
    tags: list[str]
    breaks: list[int]                   # words that start a sentence (never 0)


class TaggingExporter(DocBinExporter):
    """Reads and packs as the spaCy export does (its entities are the ones tagged);
    writes JSONL-like byte items, not a DocBin."""
    open_sink = Exporter.open_sink      # a JsonlSink

    def __init__(self, job: Job) -> None:
        if job.options.scheme not in SCHEMES:
            raise errors.ExportError(f"unknown tag scheme {job.options.scheme!r}; choose "
                                     f"{' or '.join(SCHEMES)}")
        super().__init__(job)


class _Chooser(DocBinConverter):
    """The spaCy export's choice of entities, by its own code; labels stay strings."""

    def _label(self, label: str) -> str:  # type: ignore[override]
        return label

    def entities(self, uid: str, text: str, spans: list[tuple[int, int, str, int]],
                 table: numpy.ndarray, problems: list[str]) -> list[tuple[int, int, str]]:
        """(first token, end token, label) of the kept entities; the rest reported."""
        kept, _ = self._spans(uid, text, spans, table, problems)
        return kept  # type: ignore[return-value]


class TaggingConverter(Converter):
    """Tagged articles of a chunk; subclasses turn each into an output item (`item`)."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        from spacy.attrs import (IDX, IS_SPACE, LENGTH, NORM, ORTH,  # noqa: PLC0415
                                 SENT_START, SPACY)

        from app import tokens  # noqa: PLC0415
        self.pipeline = tokens.sentencizer_for()
        # the chooser reads the first five, as DocBinConverter's own table
        self.columns = [ORTH, NORM, IDX, LENGTH, SPACY, IS_SPACE, SENT_START]
        self.chooser = _Chooser(options)

    def __call__(self, packed: list[Packed]) -> tuple[list[bytes], list[str]]:
        problems: list[str] = []
        docs = self.pipeline.pipe([p[1] for p in packed], batch_size=len(packed) or 1)
        items = [self.item(article, self.tag(article, doc, problems), problems)
                 for article, doc in zip(packed, docs)]
        return items, problems

    def item(self, article: Packed, tagged: Tagged, problems: list[str]) -> bytes:
        """The output item (bytes) of one article; problems met are appended."""
        raise NotImplementedError

    def tag(self, article: Packed, doc: Any, problems: list[str]) -> Tagged:
        from spacy.training import biluo_to_iob  # noqa: PLC0415
        uid, text, spans = article
        table = doc.to_array(self.columns).reshape(-1, len(self.columns)).astype(numpy.int64)
        entities = self.chooser.entities(uid, text, [s for s in spans if s[3] == ENTITY],
                                         table[:, :5], problems)
        biluo = biluo_tags(len(table), entities)
        starts, ends = table[:, 2], table[:, 2] + table[:, 3]
        kept = numpy.flatnonzero(table[:, 5] == 0)
        offsets = list(zip(starts[kept].tolist(), ends[kept].tolist()))
        words = [text[s:e] for s, e in offsets]
        assert len(" ".join(words).split()) == len(words), "a spaCy token holds whitespace"
        tags = [biluo[i] for i in kept.tolist()]
        breaks = _breaks(table[:, 6] == 1, kept, tags)
        if self.options.scheme == "iob2":
            tags = biluo_to_iob(tags)
        return Tagged(words, offsets, tags, breaks)


def biluo_tags(count: int, entities: list[tuple[int, int, str]]) -> list[str]:
    """BILUO tags of `count` tokens with these non-overlapping entities (first, end token):
    what spaCy's offsets_to_biluo_tags gives for their character offsets (tested), from
    the token indices the chooser already has; spaCy's makes a Token object per token and
    per pass, and that was a third of an export's time."""
    tags = ["O"] * count
    for first, end, label in entities:
        if end - first == 1:
            tags[first] = f"U-{label}"
        else:
            tags[first:end] = [f"B-{label}", *[f"I-{label}"] * (end - first - 2), f"L-{label}"]
    return tags


def _breaks(sentence_start: numpy.ndarray, kept: numpy.ndarray, biluo: list[str]) -> list[int]:
    """Kept tokens that start a sentence: one of the tokens since the previous kept token
    (a dropped whitespace token often) starts one. Never inside an entity: the rule-based
    sentencizer knows nothing of them, and a tag sequence cannot cross a sentence."""
    seen = numpy.cumsum(sentence_start)[kept]
    return [int(k) for k in numpy.flatnonzero(seen[1:] > seen[:-1]) + 1
            if biluo[k][:2] not in ("I-", "L-")]


# --- import ------------------------------------------------------------------------------

def entities_of(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(label, first, end) token spans of tags in any scheme (see the module's docstring);
    the tags have passed `tag_problem`."""
    from spacy.training import biluo_to_iob, iob_to_biluo, tags_to_entities  # noqa: PLC0415
    iob = biluo_to_iob([IOBES.get(t[:2], t[:2]) + t[2:] for t in tags])
    return [(label, first, last + 1) for label, first, last in tags_to_entities(
        iob_to_biluo(iob))]


def rebuild(sentences: Sequence[Sequence[str]]) -> tuple[str, list[int]]:
    """The text of tokens joined by single spaces, sentences by "\\n"; each token's start."""
    starts: list[int] = []
    at = 0
    for sentence in sentences:
        for word in sentence:
            starts.append(at)
            at += len(word) + 1         # the space or newline after it
    return "\n".join(" ".join(sentence) for sentence in sentences), starts


def tagged_record(sentences: Sequence[Sequence[str]], tags: Sequence[str],
                  ctx: Context) -> ArticleRecord:
    """An article from tagged tokens (tags flat, one per token), its text rebuilt."""
    text, starts = rebuild(sentences)
    check_text(text)
    words = [w for sentence in sentences for w in sentence]
    spans = [SpanRecord(starts[first], starts[end - 1] + len(words[end - 1]), label,
                        annotator=ctx.annotator)
             for label, first, end in entities_of(tags)]
    ctx.admit_labels(spans, [None] * len(spans))
    return ArticleRecord(text=text, title=first_line(text), spans=spans)
