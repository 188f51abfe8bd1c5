"""Prodigy's token lists as JSON for a whole chunk of docs at once, with numpy.

    token_jsons(texts, tables)[i] == orjson.dumps(token_dicts(token_bounds(doc_i), text_i))

for `tables[i] = doc_i.to_array([IDX, LENGTH, SPACY])`, byte for byte (tested on hard
texts). Building ~600 dicts an article and dumping them was most of what a Prodigy
conversion does besides tokenizing; this makes the whole conversion ~13% cheaper (2,000
news articles, warm tokenizer, min of 5: 0.83 s of CPU against 0.96 s). Each token becomes one
fixed-width row of bytes,

    ,{"text":"<text>","start":<start>,"end":<end>,"id":<id>,"ws":true}     ("[" first,
                                                                              "]" after last)

with 0x00 padding where a text or a number is shorter than its column (JSON never holds
a raw 0x00: orjson escapes it), and dropping the padding leaves the JSON. Texts come
JSON-escaped from orjson.dumps of the whole text, through a code point -> escaped byte
offset map; a token longer than the text column goes on as many rows as it needs.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy
import orjson

PAD = 0
TEXT_WIDTH = 16                  # a longer token takes more rows
DIGITS = 5                       # numbers below 10**5 come from a table, larger ones are
                                 # worked out (an article over 100,000 characters)
DOCS_AT_ONCE = 64                # bounds the arrays: ~64 x 600 tokens x 73 bytes of rows
_U8 = numpy.uint8

# bytes in the escaped text per code point below 128: 1, 2 for \b \t \n \f \r \" \\ , 6 for
# the other controls (\u00XX); above: UTF-8's 2, 3 or 4
_ASCII_WIDTH = numpy.ones(128, numpy.int64)
_ASCII_WIDTH[:0x20] = 6
_ASCII_WIDTH[[0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x22, 0x5C]] = 2
_POWERS = 10 ** numpy.arange(1, 19, dtype=numpy.int64)


def _bytes(text: str) -> numpy.ndarray:
    return numpy.frombuffer(text.encode(), _U8)


def _digit_table() -> numpy.ndarray:
    """Row v: the decimal digits of v, right-aligned in DIGITS bytes, PAD on the left."""
    values = numpy.arange(10 ** DIGITS, dtype=numpy.int64)
    table = numpy.empty((len(values), DIGITS), _U8)
    for k in range(DIGITS):
        table[:, DIGITS - 1 - k] = (values // 10 ** k) % 10 + ord("0")
    width = _digits(values)
    table[numpy.arange(DIGITS)[None, :] < (DIGITS - width)[:, None]] = PAD
    return table


_TABLE: numpy.ndarray | None = None


def _digits(values: numpy.ndarray) -> numpy.ndarray:
    """How many decimal digits each (non-negative) value has."""
    return numpy.searchsorted(_POWERS, values, "right") + 1


def _rows_of(table: numpy.ndarray, index: numpy.ndarray) -> numpy.ndarray:
    """table[index] for a C-contiguous 2-D uint8 table: one memcpy a row."""
    width = table.shape[1]
    as_items = table.view(numpy.dtype((numpy.void, width))).reshape(-1)
    return as_items[index].view(_U8).reshape(-1, width)


def _put_number(rows: numpy.ndarray, column: int, width: int, values: numpy.ndarray) -> None:
    global _TABLE
    if width <= DIGITS and (not len(values) or int(values.max()) < 10 ** DIGITS):
        if _TABLE is None:
            _TABLE = _digit_table()
        rows[:, column:column + width] = _rows_of(_TABLE, values)[:, DIGITS - width:]
        return
    width_of = _digits(values)
    rest = values.copy()
    for k in range(width - 1, -1, -1):
        rows[:, column + k] = numpy.where(width - 1 - k < width_of, rest % 10 + ord("0"), PAD)
        rest //= 10


# "ws" and what closes a token: true/false, then "]" after a doc's last token
_TAILS = numpy.zeros((4, 7), _U8)
for _space in (0, 1):
    for _last in (0, 1):
        _tail = (b"true}" if _space else b"false}") + (b"]" if _last else b"")
        _TAILS[2 * _space + _last, :len(_tail)] = numpy.frombuffer(_tail, _U8)


def token_jsons(texts: Sequence[str], tables: Sequence[numpy.ndarray]) -> list[bytes]:
    """The JSON of each text's Prodigy tokens ({"text", "start", "end", "id", "ws"})."""
    out: list[bytes] = []
    for k in range(0, len(texts), DOCS_AT_ONCE):
        out += _token_jsons(texts[k:k + DOCS_AT_ONCE], tables[k:k + DOCS_AT_ONCE])
    return out


def _token_jsons(texts: Sequence[str], tables: Sequence[numpy.ndarray]) -> list[bytes]:
    out = [b"[]"] * len(texts)
    live = [i for i, table in enumerate(tables) if len(table)]
    if not live:
        return out
    counts = numpy.array([len(tables[i]) for i in live], numpy.int64)
    table = numpy.concatenate([tables[i] for i in live]).astype(numpy.int64).reshape(-1, 3)
    doc_first = numpy.zeros(len(counts), numpy.int64)        # each doc's first token
    numpy.cumsum(counts[:-1], out=doc_first[1:])
    first = numpy.zeros(len(table), bool)
    first[doc_first] = True
    last = numpy.zeros(len(table), bool)
    last[doc_first + counts - 1] = True
    ids = numpy.arange(len(table), dtype=numpy.int64) - numpy.repeat(doc_first, counts)
    start, end, space = table[:, 0], table[:, 0] + table[:, 1], table[:, 2]
    escaped, at, size = _escaped([texts[i] for i in live], counts, start, end)
    rows = _rows(escaped, at, size, start, end, ids, space, first, last)
    json = rows[rows != PAD]
    length = (10 + size + 10 + _digits(start) + 7 + _digits(end) + 6 + _digits(ids) + 6
              + 6 - space + last)
    offset = numpy.zeros(len(table) + 1, numpy.int64)
    numpy.cumsum(length, out=offset[1:])
    begin, finish = offset[doc_first].tolist(), offset[doc_first + counts].tolist()
    for k, i in enumerate(live):
        out[i] = json[begin[k]:finish[k]].tobytes()
    return out


def _escaped(texts: list[str], counts: numpy.ndarray, start: numpy.ndarray,
             end: numpy.ndarray) -> tuple[bytes, numpy.ndarray, numpy.ndarray]:
    """The texts JSON-escaped one after the other, and where each token is in them and
    how many bytes it takes: JSON escapes one character at a time, so escaping the joined
    texts is joining the escaped texts."""
    joined = "".join(texts)
    escaped = orjson.dumps(joined)[1:-1]
    doc_at = numpy.zeros(len(texts), numpy.int64)
    numpy.cumsum([len(t) for t in texts[:-1]], out=doc_at[1:])
    at, stop = start + numpy.repeat(doc_at, counts), end + numpy.repeat(doc_at, counts)
    if len(escaped) != len(joined):             # not plain ASCII: code points -> bytes
        points = numpy.frombuffer(joined.encode("utf-32-le"), numpy.uint32)
        width = numpy.where(points < 0x80, _ASCII_WIDTH[numpy.minimum(points, 127)],
                            2 + (points >= 0x800) + (points >= 0x10000))
        offset = numpy.zeros(len(points) + 1, numpy.int64)
        numpy.cumsum(width, out=offset[1:])
        at, stop = offset[at], offset[stop]
    return escaped, at, stop - at


def _rows(escaped: bytes, at: numpy.ndarray, size: numpy.ndarray, start: numpy.ndarray,
          end: numpy.ndarray, ids: numpy.ndarray, space: numpy.ndarray, first: numpy.ndarray,
          last: numpy.ndarray) -> numpy.ndarray:
    """One padded row per token (more for a token longer than the text column)."""
    n = len(at)
    text_width = int(min(TEXT_WIDTH, size.max()))
    row_count = numpy.maximum(1, -(-size // text_width))
    split = int(row_count.sum()) != n
    if split:                                   # row r shows part[r] of token[r]
        token_row = numpy.zeros(n, numpy.int64)
        numpy.cumsum(row_count[:-1], out=token_row[1:])
        token = numpy.repeat(numpy.arange(n), row_count)
        part = numpy.arange(len(token)) - token_row[token]
        head, tail = part == 0, part == row_count[token] - 1
    pos_width, id_width = int(_digits(end.max())), int(_digits(ids.max()))
    layout = [b',{"text":"', bytes(text_width), b'","start":', bytes(pos_width), b',"end":',
              bytes(pos_width), b',"id":', bytes(id_width), b',"ws":', bytes(7)]
    column = numpy.cumsum([0] + [len(p) for p in layout]).tolist()
    c_text, c_start, c_end, c_id, c_tail = (column[k] for k in (1, 3, 5, 7, 9))
    template = numpy.frombuffer(b"".join(layout), _U8)
    rows = numpy.empty((len(token) if split else n, len(template)), _U8)
    rows[:] = template

    source = numpy.frombuffer(escaped + bytes(text_width), _U8)
    windows = numpy.ndarray((len(source) - text_width + 1,),     # [k]: text_width bytes
                            numpy.dtype((numpy.void, text_width)), source, strides=(1,))
    masks = (numpy.arange(text_width)[None, :] <                 # [k]: k bytes of 0xFF
             numpy.arange(text_width + 1)[:, None]).astype(_U8) * 0xFF
    if split:
        shown = numpy.minimum(size[token] - part * text_width, text_width)
        text = windows[at[token] + part * text_width]
        rows[~head, :c_text] = PAD
    else:
        shown, text = size, windows[at]
    numpy.bitwise_and(text.view(_U8).reshape(-1, text_width), _rows_of(masks, shown),
                      out=rows[:, c_text:c_text + text_width])

    ends_here = rows[tail] if split else rows
    _put_number(ends_here, c_start, pos_width, start)
    _put_number(ends_here, c_end, pos_width, end)
    _put_number(ends_here, c_id, id_width, ids)
    ends_here[:, c_tail:] = _rows_of(_TAILS, 2 * space + last)
    if split:
        rows[tail] = ends_here
        rows[~tail, c_text + text_width:] = PAD
        rows[numpy.flatnonzero(head)[first], 0] = ord("[")
    else:
        rows[first, 0] = ord("[")
    return rows
