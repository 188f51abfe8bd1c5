"""spaCy training data: a DocBin (.spacy) of the project tokenizer's Docs.

- Entity-layer spans become doc.ents. Every exported article counts as fully annotated:
  tokens outside its entities are "O" (outside), not missing (`doc.ents = ents`, whose
  default is outside). So export finished articles (status=done) to train a recognizer.
  doc.ents cannot overlap: spacy.util.filter_spans keeps the longest, the rest are reported.
  Entities that start or end with whitespace are reported and left out (`spacy debug data`
  rejects them), and so are spans off token boundaries (spaCy would drop them, W030).
- Claim-layer spans go to doc.spans["claims"], cue-layer spans (CUE, HEDGE) to
  doc.spans["cues"]: span groups may overlap. Train spancat with spans_key "claims".
- Docs follow article id order, as in every format. Relations and attributes are not
  carried (nor the uid): use newsmark or claims.

The file is what `DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])` with these Docs added
would write (24 bytes a token; spaCy's default twelve attributes would take 96): the same
msgpack message, deflated. It is written as a stream, in bounded memory (DocBin.to_bytes
holds the whole export, twice). No Doc object is annotated: the converter computes
DocBin's columns from `doc.to_array` (ORTH from the tokenizer, ENT_IOB and ENT_TYPE from the
token-aligned entities), its span groups with SpanGroup's byte layout, and deflates its
chunk itself, so workers do the compressing too (app/exporting/pool.py).

A DocBin is one zlib stream of one msgpack map {version, attrs, tokens, spaces, lengths,
strings, cats, flags, span_groups}; `tokens` comes before everything that grows with the
export and its length is only known at the end. So the sink writes:

    zlib header | stored block: map header, version, attrs, "tokens", bin32 length
                | each chunk's tokens, deflated on its own (full flush: byte-aligned,
                  no reference back, so the pieces concatenate as pigz's do)
                | spaces, lengths, strings, cats, flags, span_groups (the per-chunk
                  pieces kept deflated in anonymous temporary files until then)
                | final empty block | adler32, combined from the pieces' checksums

and at the end writes the real length into the stored block (it is not compressed, so
it can be patched in place). Memory: a few chunks, and the set of distinct token texts
(the vocabulary, which a DocBin must list). Level 1 deflate: 3x faster than zlib's
default for ~8% more bytes.
"""
from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

import numpy
import srsly

from app.exporting.common import Converter, Exporter, Options, discard, span_problem, temp_path
from models import errors
from models.domain import ArticleId, Layer

ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE"]
ATTR_IDS = [65, 77, 78]     # DocBin(attrs=ATTRS).attrs, spacy.attrs' ids (tested): the
                            # sink needs them, and the exporting process need not load spaCy
LEVEL = 1
ENTITY, CLAIMS, CUES = 0, 1, 2               # kinds of packed spans
KINDS = {Layer.ENTITY: ENTITY, Layer.CLAIM: CLAIMS, Layer.CUE: CUES}
GROUPS = ((CLAIMS, "claims"), (CUES, "cues"))     # doc.spans keys, in the order set
IOB_I, IOB_O, IOB_B = 1, 2, 3
EDGED = "entity starts or ends with whitespace (spaCy rejects it)"
NOT_ALIGNED = "not on token boundaries"
BIN32_LIMIT = 1 << 32

# uid, text, spans (start, end, label, kind) in the store's order
Packed = tuple[str, str, list[tuple[int, int, str, int]]]


class DocBinExporter(Exporter):
    batch_size = 256
    converter = "app.exporting.docbin:DocBinConverter"
    _label_kinds: dict[str, int] | None = None

    def read(self, article_ids: list[ArticleId] | None) -> Iterator[tuple]:
        opts = self.job.options
        return self.job.store.iter_span_rows(status=opts.status, annotator=opts.annotator,
                                             states=self.states(), article_ids=article_ids,
                                             relations=False)

    def pack(self, batch: list[tuple]) -> list[Packed]:
        kinds = self._kinds()
        return [(article[1], article[3], [(start, end, label, kinds[label])
                                          for _, start, end, label, _ in spans])
                for article, spans, _ in batch]

    def _kinds(self) -> dict[str, int]:
        """Label name -> ENTITY, CLAIMS or CUES, from the project's schema."""
        if self._label_kinds is None:
            self._label_kinds = {label.name: KINDS[label.layer]
                                 for label in self.job.store.schema().labels}
        return self._label_kinds

    def open_sink(self, path: Path) -> DocBinSink:
        return DocBinSink(path)


# --- deflate pieces ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Piece:
    """Raw bytes deflated on their own: concatenable into one zlib stream."""
    data: bytes             # raw deflate, ends byte-aligned (full flush), not final
    size: int               # bytes before deflating
    adler: int              # their adler32


def deflate(raw: bytes) -> Piece:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Piece(packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH), len(raw),
                 zlib.adler32(raw))


def adler32_combine(first: int, second: int, second_size: int) -> int:
    """adler32(a + b) from adler32(a), adler32(b) and len(b) (zlib's adler32_combine)."""
    base = 65521
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    return ((a1 + a2 - 1) % base) | (((b1 + b2 + second_size * (a1 - 1)) % base) << 16)


# --- msgpack headers, as msgpack writes them (smallest form) -----------------------------

def bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + struct.pack(">B", size)
    if size < 1 << 16:
        return b"\xc5" + struct.pack(">H", size)
    return b"\xc6" + struct.pack(">I", size)


def array_header(size: int) -> bytes:
    if size < 16:
        return struct.pack(">B", 0x90 | size)
    if size < 1 << 16:
        return b"\xdc" + struct.pack(">H", size)
    return b"\xdd" + struct.pack(">I", size)


def _packer() -> srsly.msgpack.Packer:
    """srsly's msgpack packer (use_bin_type, like srsly.msgpack_dumps), made once: making
    one scans every installed package's entry points for encoders (~0.5 ms)."""
    return srsly.msgpack.Packer(use_bin_type=True)


# --- converting (in a worker or in the exporting process) --------------------------------

@dataclass(frozen=True, slots=True)
class DocChunk:
    """A chunk of a DocBin: its docs' columns, deflated; len() is the number of docs."""
    docs: int
    tokens: Piece           # per token: ORTH, ENT_IOB, ENT_TYPE as uint64
    spaces: Piece           # per token: one bool byte
    lengths: Piece          # per doc: its token count, int32
    span_groups: Piece      # per doc: a msgpack bin of SpanGroups.to_bytes()
    strings: frozenset[str]

    def __len__(self) -> int:
        return self.docs


class DocBinConverter(Converter):
    """DocBin columns of a chunk; spaCy is imported here, where the converting happens,
    so a process that only reads and writes (workers convert) never loads it."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        from spacy.attrs import IDX, LENGTH, NORM, ORTH, SPACY  # noqa: PLC0415

        from app import tokens  # noqa: PLC0415
        self.tokens = tokens
        self.columns = [ORTH, NORM, IDX, LENGTH, SPACY]
        self.packer = _packer()
        self.vocab = tokens.nlp_for().vocab     # the tokenizer's: token texts are in it
        self.label_ids: dict[str, int] = {}
        self.strings: set[str] = set()      # of the chunk under way: DocBin.add's strings

    def __call__(self, packed: list[Packed]) -> tuple[DocChunk, list[str]]:
        problems: list[str] = []
        self.strings = set()
        tables, groups = [], []
        ent_first, ent_end, ent_label = [], [], []      # chunk-wide token indices
        base = 0
        docs = self.tokens.tokenize([p[1] for p in packed], batch_size=len(packed) or 1)
        for (uid, text, spans), doc in zip(packed, docs):
            table = doc.to_array(self.columns).reshape(-1, 5)
            entities, grouped = self._spans(uid, text, spans, table, problems)
            for first, end, label in entities:
                ent_first.append(base + first)
                ent_end.append(base + end)
                ent_label.append(label)
            groups.append(self._span_groups(grouped))
            tables.append(table)
            base += len(table)
        table = numpy.concatenate(tables) if tables else numpy.zeros((0, 5), numpy.uint64)
        if len(table):
            self.strings.add("")        # tag_, lemma_, dep_, ... of every token: empty
            lookup = self.vocab.strings
            self.strings.update(lookup[h] for h in numpy.unique(table[:, :2]).tolist())
        columns = numpy.empty((len(table), 3), numpy.uint64)
        columns[:, 0] = table[:, 0]
        columns[:, 1], columns[:, 2] = _entity_columns(len(table), ent_first, ent_end,
                                                       ent_label)
        lengths = numpy.asarray([len(t) for t in tables], dtype="int32")
        pack = self.packer.pack
        return DocChunk(len(packed), deflate(columns.tobytes("C")),
                        deflate(table[:, 4].astype(bool).tobytes("C")),
                        deflate(lengths.tobytes("C")),
                        deflate(b"".join([pack(g) for g in groups])),
                        frozenset(self.strings)), problems

    def _label(self, label: str) -> int:
        """The label's id (a symbol such as PERSON, else its hash); DocBin lists it."""
        self.strings.add(label)
        found = self.label_ids.get(label)
        if found is None:
            found = self.label_ids[label] = self.vocab.strings.add(label)
        return found

    def _spans(self, uid: str, text: str, spans: list[tuple[int, int, str, int]],
               table: numpy.ndarray, problems: list[str]
               ) -> tuple[list[tuple[int, int, int]], dict[int, list[tuple]]]:
        """Entities kept (first token, end token, label id) and the span groups' spans;
        every span left out is reported, in the order the export always reported them."""
        starts = table[:, 2].astype(numpy.int64)
        found = self.tokens.align_all(starts, starts + table[:, 3].astype(numpy.int64),
                                      [s[0] for s in spans], [s[1] for s in spans])
        entities: list[tuple] = []          # (first, end token, start, end, label)
        grouped: dict[int, list[tuple]] = {CLAIMS: [], CUES: []}
        for (start, end, label, kind), tokens in zip(spans, found):
            if kind == ENTITY:
                covered = text[start:end]
                if covered != covered.strip():
                    problems.append(span_problem(uid, text, start, end, label, EDGED))
                    continue
            if tokens is None:
                problems.append(span_problem(uid, text, start, end, label, NOT_ALIGNED))
                continue
            span = (tokens[0], tokens[1] + 1, start, end, label)
            (entities if kind == ENTITY else grouped[kind]).append(span)
        kept = _filter_spans(entities)
        if len(kept) < len(entities):
            chosen = {e[2:] for e in kept}
            for e in entities:
                if e[2:] not in chosen:
                    w = next(k for k in kept if k[0] < e[1] and e[0] < k[1])
                    problems.append(span_problem(
                        uid, text, e[2], e[3], e[4], f"overlaps {w[4]} {text[w[2]:w[3]]!r} "
                        f"({w[2]}-{w[3]}), the longer one kept"))
        return [(e[0], e[1], self._label(e[4])) for e in kept], grouped

    def _span_groups(self, grouped: dict[int, list[tuple]]) -> bytes:
        """SpanGroups.to_bytes() of doc.spans = {"claims": [...], "cues": [...]}."""
        out = {}
        for kind, name in GROUPS:
            spans = [struct.pack(">QQQllll", 0, 0, self._label(label), first, end_token,
                                 start, end)
                     for first, end_token, start, end, label in grouped[kind]]
            if spans:
                self.strings.add("")          # DocBin.add: each span's kb_id_ and id_
            out[self.packer.pack({"name": name, "attrs": {}, "spans": spans})] = [name]
        return self.packer.pack(out)


def _filter_spans(spans: list[tuple]) -> list[tuple]:
    """spacy.util.filter_spans on (first, end, ...) tuples: the longest (then the first)
    of overlapping spans, in token order."""
    ordered = sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True)
    kept, seen = [], set()
    for span in ordered:
        if span[0] not in seen and span[1] - 1 not in seen:
            kept.append(span)
            seen.update(range(span[0], span[1]))
    return sorted(kept, key=lambda s: s[0])


def _entity_columns(tokens: int, first: list[int], end: list[int],
                    labels: list[int]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """ENT_IOB and ENT_TYPE of `tokens` tokens with non-overlapping entities [first, end):
    B at a first token, I inside, O outside; the label's id inside, 0 outside."""
    iob = numpy.full(tokens, IOB_O, numpy.uint64)
    ent_type = numpy.zeros(tokens, numpy.uint64)
    if not first:
        return iob, ent_type
    first_at = numpy.asarray(first, numpy.int64)
    end_at = numpy.asarray(end, numpy.int64)
    ids = numpy.asarray(labels, numpy.uint64)
    edges = numpy.zeros(tokens + 1, numpy.uint64)    # +id where one starts, -id where it ends
    edges[first_at] += ids                           # (firsts are distinct, and so are ends;
    edges[end_at] -= ids                             # uint64 wraps, so the sums are exact)
    ent_type[:] = numpy.cumsum(edges[:-1], dtype=numpy.uint64)
    inside = numpy.zeros(tokens + 1, numpy.int64)
    inside[first_at] += 1
    inside[end_at] -= 1
    iob[numpy.cumsum(inside[:-1]) > 0] = IOB_I
    iob[first_at] = IOB_B
    return iob, ent_type


# --- writing (in the exporting process) ---------------------------------------------------

class DocBinSink:
    """DocChunks streamed into one DocBin file; see the module's docstring for the layout."""

    TAIL = ("spaces", "lengths", "span_groups")     # kept in temporary files until the end

    def __init__(self, target: Path) -> None:
        self.temp = temp_path(target)
        self._packer = _packer()
        self._file: BinaryIO | None = open(self.temp, "xb", buffering=1 << 20)
        self._spill: dict[str, IO[bytes]] = {}
        self._sums = {name: [1, 0] for name in ("tokens", *self.TAIL)}   # adler32, size
        self._held: list[bytes] | None = []       # tokens before the head is written
        self._head = b""
        self._bin32 = False                       # the head's tokens length: 4 bytes
        self._docs = 0
        self._strings: set[str] = set()
        self._head_at = 0
        try:
            self._spill = {name: tempfile.TemporaryFile(dir=target.parent)
                           for name in self.TAIL}
        except BaseException:
            self.abort()
            raise

    def write(self, chunk: DocChunk) -> None:
        self._docs += chunk.docs
        self._strings |= chunk.strings
        for name in self.TAIL:
            piece: Piece = getattr(chunk, name)
            self._spill[name].write(piece.data)
            self._add(name, piece)
        self._add("tokens", chunk.tokens)
        if self._sums["tokens"][1] >= BIN32_LIMIT:
            raise errors.ExportError(
                "too many tokens for one spaCy DocBin (4 GB of token data); export fewer "
                "articles per file (status filter, or a split)")
        if self._held is not None:
            self._held.append(chunk.tokens.data)
            if self._sums["tokens"][1] >= 1 << 16:   # msgpack's bin32 from here on
                self._write_head(placeholder=True)
        else:
            self._file.write(chunk.tokens.data)

    def close(self) -> None:
        tokens_adler, tokens_size = self._sums["tokens"]
        if self._held is not None:
            self._write_head(placeholder=False)
        else:
            self._file.seek(self._head_at + len(self._head) - 4)
            self._file.write(struct.pack(">I", tokens_size))
            self._file.seek(0, 2)
        head = self._head_bytes(tokens_size, bin32=self._bin32)
        adler = adler32_combine(zlib.adler32(head), tokens_adler, tokens_size)
        docs, pack = self._docs, self._packer.pack
        for name in self.TAIL:
            if name == "span_groups":
                adler = self._add_raw(adler, pack("strings") + pack(sorted(self._strings)))
                adler = self._repeat(adler, "cats", pack({}), docs)
                # the tokenizer's Docs always know their spaces
                adler = self._repeat(adler, "flags", pack({"has_unknown_spaces": False}), docs)
            size = self._sums[name][1]
            header = pack(name) + (array_header(docs) if name == "span_groups"
                                   else bin_header(size))
            adler = self._add_raw(adler, header)
            spill = self._spill[name]
            spill.seek(0)
            while block := spill.read(1 << 20):
                self._file.write(block)
            adler = adler32_combine(adler, self._sums[name][0], size)
        self._file.write(zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
        self._file.write(struct.pack(">I", adler))
        self._close_files()

    def abort(self) -> None:
        self._close_files()
        discard(self.temp)

    # the head: zlib header, then one stored block with the map's start up to the tokens

    def _head_bytes(self, tokens_size: int, *, bin32: bool) -> bytes:
        pack = self._packer.pack
        header = (b"\xc6" + struct.pack(">I", tokens_size) if bin32
                  else bin_header(tokens_size))
        return (b"\x89" + pack("version") + pack("0.1") + pack("attrs") + pack(ATTR_IDS)
                + pack("tokens") + header)

    def _write_head(self, *, placeholder: bool) -> None:
        head = self._head_bytes(self._sums["tokens"][1], bin32=placeholder)
        self._head, self._bin32 = head, placeholder
        stored = b"\x00" + struct.pack("<HH", len(head), len(head) ^ 0xFFFF)
        zlib_header = zlib.compress(b"", LEVEL)[:2]
        self._file.write(zlib_header + stored)
        self._head_at = len(zlib_header) + len(stored)
        self._file.write(head)
        for data in self._held:
            self._file.write(data)
        self._held = None

    def _add(self, name: str, piece: Piece) -> None:
        adler, size = self._sums[name]
        self._sums[name] = [adler32_combine(adler, piece.adler, piece.size), size + piece.size]

    def _add_raw(self, adler: int, raw: bytes) -> int:
        piece = deflate(raw)
        self._file.write(piece.data)
        return adler32_combine(adler, piece.adler, piece.size)

    def _repeat(self, adler: int, name: str, item: bytes, count: int) -> int:
        """`name`: a msgpack array of `count` times the same packed item."""
        adler = self._add_raw(adler, self._packer.pack(name) + array_header(count))
        block = 1 << 16
        for done in range(0, count, block):
            adler = self._add_raw(adler, item * min(block, count - done))
        return adler

    def _close_files(self) -> None:
        for spill in self._spill.values():
            spill.close()
        self._spill = {}
        if self._file is not None:
            self._file.close()
            self._file = None
