"""Importing a spaCy DocBin (.spacy): each Doc is an article, its exact text `doc.text`.

- `doc.ents` become spans, and so does every span of every `doc.spans[key]` group.
  A label the project's schema knows keeps its layer. A new label goes to the claim layer
  in the group "claims" and to the cue layer in "cues" (the names our spaCy export writes,
  app/exporting/docbin.py), CLAIM to the claim layer and CUE and HEDGE to the cue layer
  wherever they are; any other new label is an entity label.
- Token attributes (tags, lemmas, heads), doc.cats, doc.user_data and custom `doc._.`
  extensions are not read. A DocBin names no language: Docs are read with the project
  tokenizer's vocabulary (blank English), which only has to hold their strings.
- Reports count Docs as lines: "line" 3 is the third Doc in the file.
- `DocBin.from_bytes` holds the whole file (and its decompressed arrays) in memory; Docs
  are then made one at a time. A DocBin too large for memory must be split with spaCy.

A project exported to spacy and imported back has the same texts (same uids) and, with
exact offsets, its entities on token boundaries (at most one per token) and its claims
and cues; relations and attributes are not in a DocBin.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from app.importing.checks import Context, Rejected, check_text, first_line
from app.importing.readers import Entry
from app.importing.records import Foreign
from models.domain import ArticleRecord, Layer, SpanRecord

GROUP_LAYERS = {"claims": Layer.CLAIM, "cues": Layer.CUE}
LABEL_LAYERS = {"CLAIM": Layer.CLAIM, "CUE": Layer.CUE, "HEDGE": Layer.CUE}


def read(path: Path) -> Iterator[Entry]:
    """One entry per Doc, its index + 1 as its line; spaCy is imported only here."""
    from spacy.tokens import DocBin  # noqa: PLC0415

    from app.tokens import nlp_for  # noqa: PLC0415
    data = path.read_bytes()
    try:
        docs = DocBin().from_bytes(data)
    except Exception as exc:  # noqa: BLE001 - zlib, msgpack or spaCy on a file that is not one
        first = str(exc).split(". ")[0][:120]
        yield 1, Rejected(f"not a spaCy DocBin ({type(exc).__name__}: {first})"), len(data)
        return
    count = len(docs) or 1
    for number, doc in enumerate(docs.get_docs(nlp_for().vocab), 1):
        yield number, Foreign(partial(build, doc)), len(data) * number // count


def build(doc: Any, ctx: Context) -> ArticleRecord:
    text = check_text(doc.text)
    found = [(span, where, None) for where, span in _named("doc.ents", doc.ents)]
    for key, group in doc.spans.items():
        found += [(span, where, GROUP_LAYERS.get(key))
                  for where, span in _named(f"doc.spans[{key!r}]", group)]
    spans, layers = [], []
    for span, where, layer in found:
        if not span.label_.strip():
            raise Rejected(f"{where}: empty label")
        spans.append(SpanRecord(span.start_char, span.end_char, span.label_,
                                annotator=ctx.annotator))
        layers.append(layer or LABEL_LAYERS.get(span.label_))
    ctx.admit_labels(spans, layers)
    return ArticleRecord(text=text, title=first_line(text), spans=spans)


def _named(name: str, spans: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """Each span with where it is, for a reason: `doc.spans['sc'][3]`."""
    for i, span in enumerate(spans):
        yield f"{name}[{i}]", span
