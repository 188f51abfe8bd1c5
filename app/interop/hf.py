"""Hugging Face token classification JSONL: tokens and integer ner_tags, plus what makes
it lossless (the exact text and every span with character offsets).

Export, one line per article:

    {"id": "<uid>", "tokens": ["Acme", "Corp", ...], "ner_tags": [1, 2, ...],
     "text": "<the exact text>", "token_offsets": [[0, 4], [5, 9], ...],
     "spans": [{"start": 0, "end": 9, "label": "ORG", "layer": "entity"}, ...]}

`tokens` and `ner_tags` are the CoNLL export's (app/interop/conll.py, tagging.py): the
project tokenizer's tokens without whitespace tokens, entity tags in IOB2 or (--scheme
bilou) BILOU, entities off token boundaries or overlapping a longer one reported and left
out of the tags. `spans` holds every exported span of every layer (accepted; suggestions
when asked), whatever the tags could show; offsets are code points into `text`, as
`token_offsets` are (to realign with another tokenizer). Relations, attributes,
annotators, states and article metadata are not written.

The integers mean what `<stem>.labels.json`, written beside the output (`out.jsonl` ->
`out.labels.json`), says: {"names": ["O", "B-PERSON", "I-PERSON", ...], "id2label",
"label2id", "scheme"}: O, then the tags of each entity label of the schema, in schema order,
so the ids of a project stay put from export to export. It is written when the JSONL is
finished, by its own atomic rename; a cancelled export can leave it without its JSONL.

Import: a record with `text` and `spans` is read from those (lossless, offsets checked;
`tokens`/`ner_tags` are then ignored). Otherwise the text is rebuilt from `tokens`
(joined by single spaces, as CoNLL's import does: other text, other offsets) and the
entities from `ner_tags`: integers through the record's `label_names` (or `names`) list,
else the `names` of `<stem>.labels.json` beside the file; strings are tags themselves.
Any scheme is read (tagging.py). A .json file may also be one JSON array of records; its
records are then counted as lines (the first is line 1).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from app.exporting.common import Job, JsonlSink, Sink, temp_path
from app.exporting.docbin import KINDS, Packed
from app.importing.checks import (Context, Rejected, describe, first_line, kind_of, name_of,
                                  offsets, text_of, within)
from app.importing.readers import Entry, read_jsonl
from app.importing.records import Foreign
from app.interop.tagging import (Tagged, TaggingConverter, TaggingExporter, tag_names,
                                 tag_problem, tagged_record)
from models.domain import ArticleRecord, Layer, SpanRecord

LAYERS = {kind: layer for layer, kind in KINDS.items()}
_LINE = orjson.OPT_APPEND_NEWLINE


def labels_path(path: Path) -> Path:
    """The label names file beside a JSONL file: out.jsonl -> out.labels.json."""
    return path.with_name(f"{path.stem}.labels.json")


# --- export ------------------------------------------------------------------------------

class HfExporter(TaggingExporter):
    converter = "app.interop.hf:HfConverter"

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        entities = [lab.name for lab in job.store.schema().labels if lab.layer is Layer.ENTITY]
        self.names = tag_names(entities, job.options.scheme)

    def pack(self, batch: list[tuple]) -> tuple[list[str], list[Packed]]:
        return self.names, super().pack(batch)

    def open_sink(self, path: Path) -> Sink:
        return LabelledSink(path, self.names, self.job.options.scheme)


class HfConverter(TaggingConverter):
    ids: dict[str, int] | None = None      # tag -> its integer, from the first chunk's names

    def __call__(self, packed: tuple[list[str], list[Packed]]  # type: ignore[override]
                 ) -> tuple[list[bytes], list[str]]:
        names, articles = packed
        if self.ids is None:
            self.ids = {name: i for i, name in enumerate(names)}
        return super().__call__(articles)

    def item(self, article: Packed, tagged: Tagged, problems: list[str]) -> bytes:
        uid, text, spans = article
        return orjson.dumps({
            "id": uid, "tokens": tagged.words, "ner_tags": [self.ids[t] for t in tagged.tags],
            "text": text, "token_offsets": tagged.offsets,
            "spans": [{"start": s, "end": e, "label": label, "layer": LAYERS[kind]}
                      for s, e, label, kind in spans]}, option=_LINE)


class LabelledSink(JsonlSink):
    """The JSONL, and at its end the label names file beside it."""

    def __init__(self, target: Path, names: list[str], scheme: str) -> None:
        super().__init__(target)
        self.labels = labels_path(target)
        self.document = {"names": names, "scheme": scheme,
                         "id2label": dict(enumerate(names)),
                         "label2id": {name: i for i, name in enumerate(names)}}

    def close(self) -> None:
        super().close()
        temp = temp_path(self.labels)
        temp.write_bytes(orjson.dumps(self.document, option=orjson.OPT_INDENT_2
                                      | orjson.OPT_NON_STR_KEYS | _LINE))
        os.replace(temp, self.labels)


# --- import ------------------------------------------------------------------------------

def read(path: Path) -> Iterator[Entry]:
    names, problem = _names_beside(path)
    if problem is not None:
        yield 0, Rejected(problem), 0
    for number, value, position in _records(path):
        payload = value if isinstance(value, Rejected) else Foreign(partial(build, value, names))
        yield number, payload, position


def _records(path: Path) -> Iterator[Entry]:
    """JSONL lines, or the elements of a file that is one JSON array."""
    with open(path, "rb") as f:
        head = f.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith(b"["):
        yield from read_jsonl(path)
        return
    data = path.read_bytes()
    try:
        values = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        yield 1, Rejected(f"not JSON: {exc.msg} (line {exc.lineno})"), len(data)
        return
    for number, value in enumerate(values, 1):
        yield number, value, len(data) * number // len(values)


def _names_beside(path: Path) -> tuple[list[str] | None, str | None]:
    """The `names` of `<stem>.labels.json`, if there is one; else why it cannot be read."""
    beside = labels_path(path)
    if not beside.is_file():
        return None, None
    try:
        value = orjson.loads(beside.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        return None, f"{beside.name} cannot be read ({exc}); integer ner_tags need it"
    names = value.get("names") if isinstance(value, dict) else value
    if not _is_names(names):
        return None, f"{beside.name} has no list of names (strings)"
    return names, None


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, str) for n in value)


def build(record: Any, names: list[str] | None, ctx: Context) -> ArticleRecord:
    if not isinstance(record, dict):
        raise Rejected(f"not a JSON object ({kind_of(record)})")
    if "text" in record and "spans" in record:
        return _lossless(record, ctx)
    words = _tokens(record)
    return tagged_record([words], _tags(record, len(words), names), ctx)


def _lossless(record: dict, ctx: Context) -> ArticleRecord:
    """Text and character spans as exported: nothing rebuilt."""
    text = text_of(record)
    items = record["spans"]
    if not isinstance(items, list):
        raise Rejected(f"spans is not a list ({kind_of(items)})")
    spans, layers = [], []
    for i, item in enumerate(items):
        where = f"span {i}"
        start, end = offsets(item, where)
        within(text, start, end, where)
        spans.append(SpanRecord(start, end, name_of(item, "label", where),
                                annotator=ctx.annotator))
        layers.append(_layer(item.get("layer"), where))
    ctx.admit_labels(spans, layers)
    return ArticleRecord(text=text, title=first_line(text), spans=spans)


def _layer(value: Any, where: str) -> Layer | None:
    if value is None:
        return None
    try:
        return Layer(value)
    except ValueError:
        raise Rejected(f"{where}: layer {describe(value)} is not one of "
                       f"{', '.join(Layer)}") from None


def _tokens(record: dict) -> list[str]:
    words = record["tokens"]
    if not isinstance(words, list):
        raise Rejected(f"tokens is not a list ({kind_of(words)})")
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word:
            raise Rejected(f"tokens[{i}] is {describe(word)}, not a token")
    return words


def _tags(record: dict, count: int, names: list[str] | None) -> list[str]:
    """ner_tags as tag strings: integers through the label names."""
    tags = record.get("ner_tags")
    if not isinstance(tags, list):
        raise Rejected(f"ner_tags is {describe(tags)}, not a list")
    if len(tags) != count:
        raise Rejected(f"ner_tags has {len(tags)} tags for {count} tokens")
    names = _record_names(record) or names
    return [_tag(tag, i, names) for i, tag in enumerate(tags)]


def _record_names(record: dict) -> list[str] | None:
    for key in ("label_names", "names"):
        if key in record:
            if not _is_names(record[key]):
                raise Rejected(f"{key} is not a list of strings")
            return record[key]
    return None


def _tag(tag: Any, i: int, names: list[str] | None) -> str:
    if type(tag) is int:
        if names is None:
            raise Rejected("ner_tags are numbers but no label names say what they mean: "
                           "add label_names to the record or a .labels.json beside the file")
        if not 0 <= tag < len(names):
            raise Rejected(f"ner_tags[{i}]: {tag} is not a label id (there are "
                           f"{len(names)} names)")
        tag = names[tag]
    if not isinstance(tag, str):
        raise Rejected(f"ner_tags[{i}] is {describe(tag)}, not a tag")
    if reason := tag_problem(tag):
        raise Rejected(f"ner_tags[{i}]: {reason}")
    return tag
