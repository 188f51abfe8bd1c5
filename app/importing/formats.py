"""The import formats: which reader reads a file, by name (`--format`) or by its content.

A format is a reader ("module:function", imported when first used) that turns one file into
entries `(line, payload, position)` as app/importing/readers.py describes, the suffixes it
reads, and a one-line summary. Formats of other tools live in app/interop/; their payloads
are `Foreign` records (app/importing/records.py) that build themselves with the import's
Context, so they go through the same checks, batches and reports as ours.

With `fmt=None` (auto) a file's format is found from its suffix and, for JSON files, from
its first record: each sniffer ("module:function", taking that record) is asked in order.
A .csv file whose header names a claim's columns (CLAIMS_CSV_COLUMNS) is a claims CSV: it
updates the attributes of claims already in the project instead of adding articles
(app/interop/claims_csv_import.py); any other .csv is read as articles.
"""
from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from models import errors

Reader = Callable[[Path], Iterator[tuple[int, Any, int]]]
AUTO = "auto"


@dataclass(frozen=True, slots=True)
class ImportFormat:
    reader: str                 # "module:function": path -> entries
    suffixes: tuple[str, ...]   # lower case, with the dot
    summary: str
    sniff: str | None = None    # "module:function": first JSON record -> is it this format?


_JSONL = "app.importing.readers:read_jsonl"
REGISTRY: dict[str, ImportFormat] = {
    "newsmark": ImportFormat(_JSONL, (".jsonl",), "Newsmark lossless JSONL"),
    "prodigy": ImportFormat(_JSONL, (".jsonl",), "Prodigy JSONL: text, spans, relations, meta"),
    "text": ImportFormat("app.importing.readers:read_txt", (".txt",),
                         "plain text, one article a file, the first line is the title"),
    "csv": ImportFormat("app.importing.readers:read_csv", (".csv",),
                        "CSV with a text column (title, url, source, author, published)"),
    "html": ImportFormat("app.importing.readers:read_html", (".html", ".htm"),
                         "saved news pages: main text and metadata by trafilatura"),
    "doccano": ImportFormat("app.interop.doccano:read", (".jsonl", ".json"),
                            "doccano JSONL: label [[s, e, L]] or entities + relations",
                            sniff="app.interop.sniffing:doccano"),
    "labelstudio": ImportFormat("app.interop.labelstudio:read", (".json",),
                                "Label Studio JSON tasks: labels, relations, choices, "
                                "textareas; predictions as suggestions",
                                sniff="app.interop.sniffing:labelstudio"),
    "brat": ImportFormat("app.interop.brat:read", (".ann",),
                         "brat standoff: .ann beside its .txt (T, R, A/M, # notes)"),
    "conll": ImportFormat("app.interop.conll:read", (".conll", ".iob", ".bio", ".bilou"),
                          "CoNLL-2003 / IOB2 / BILOU token columns, -DOCSTART- per article"),
    "spacy": ImportFormat("app.interop.docbin:read", (".spacy",),
                          "spaCy DocBin: doc.ents and every doc.spans key"),
    "hf": ImportFormat("app.interop.hf:read", (".jsonl", ".json"),
                       "Hugging Face token classification: tokens, ner_tags (+ label names)",
                       sniff="app.interop.sniffing:hf"),
    "claims-csv": ImportFormat("app.interop.claims_csv_import:read", (".csv",),
                               "claims CSV (export -f claims-csv) edited in a spreadsheet: "
                               "claim attributes back onto their claims"),
}
CLAIMS_CSV = "claims-csv"
CLAIMS_CSV_COLUMNS = ("article_uid", "claim_start", "claim_end", "claim_text")
# What --format offers: the claims CSV is found by its header, in any case.
FORMATS: tuple[str, ...] = (AUTO, *REGISTRY)
# Asked in this order for a .jsonl/.json file; none says yes: Newsmark or Prodigy JSONL.
SNIFFED = ("hf", "labelstudio", "doccano")
SNIFF_BYTES = 1 << 20


def load(path: str) -> Any:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def format_of(fmt: str) -> ImportFormat:
    if fmt not in REGISTRY:
        raise errors.UnknownFormat(f"unknown import format {fmt!r}; choose one of "
                                   f"{', '.join(FORMATS)}")
    return REGISTRY[fmt]


def suffixes(fmt: str | None) -> set[str]:
    """The suffixes a format reads; every known suffix for auto."""
    if fmt is None or fmt == AUTO:
        return {s for f in REGISTRY.values() for s in f.suffixes}
    return set(format_of(fmt).suffixes)


def detect(path: Path) -> str | None:
    """The format of a file from its suffix (and first JSON record or CSV header row);
    None: not ours. Finding files, reading them and sorting out claims CSVs all ask, so
    the answer is kept while the file's size and time stay the same."""
    try:
        stat = path.stat()
    except OSError:
        return _detect(path)
    return _detect_unchanged(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _detect_unchanged(path: Path, size: int, mtime_ns: int) -> str | None:
    return _detect(path)


def _detect(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return _sniff(path) or ("prodigy" if suffix == ".jsonl" else None)
    if suffix == ".csv":
        header = {name.strip() for name in first_row(path)}
        return CLAIMS_CSV if header.issuperset(CLAIMS_CSV_COLUMNS) else "csv"
    for name, fmt in REGISTRY.items():
        if suffix in fmt.suffixes:
            return name
    return None


def name_of(path: Path, fmt: str | None = None) -> str | None:
    """The format `path` is read in: `fmt`, or with None or "auto" the detected one."""
    return detect(path) if fmt is None or fmt == AUTO else fmt


def reader_for(path: Path, fmt: str | None = None) -> Reader | None:
    """The reader of `path` in format `fmt` (None or "auto": detected); None if unreadable."""
    name = name_of(path, fmt)
    if name is None:
        return None
    fmt_ = format_of(name)
    if path.suffix.lower() not in fmt_.suffixes:
        return None
    return load(fmt_.reader)


def _sniff(path: Path) -> str | None:
    record = first_record(path)
    if record is None:
        return None
    for name in SNIFFED:
        sniff = REGISTRY[name].sniff
        if sniff is not None and load(sniff)(record):
            return name
    return None


def first_record(path: Path) -> Any:
    """The first JSON value of a JSONL file, or the first element of a JSON array file."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"["):
        return _first_of_array(head, path)
    line = head.split(b"\n", 1)[0]
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return None


def first_row(path: Path) -> list[str]:
    """The cells of a CSV file's first line (its header row); [] if it cannot be read."""
    try:
        with open(path, "rb") as f:
            head = f.readline(SNIFF_BYTES)
    except OSError:
        return []
    line = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def _first_of_array(head: bytes, path: Path) -> Any:
    """The first element of a JSON array, parsed from the file's head alone when it fits
    there: the reader parses the whole file later, a 50 MB export need not be parsed twice."""
    text = head[1:].decode("utf-8", "ignore").lstrip()
    try:
        return json.JSONDecoder().raw_decode(text)[0] if text else None
    except ValueError:      # the first element is longer than the head, or broken
        pass
    try:
        value = orjson.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except (OSError, orjson.JSONDecodeError):
        return None
    return value[0] if isinstance(value, list) and value else None
