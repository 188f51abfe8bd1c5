"""The one place where code points (store, spaCy, every format) meet Qt positions.

Qt counts UTF-16 units, and `setPlainText` folds CRLF into one block break, turns a lone CR
into a break and drops a leading U+FEFF. `OffsetMap` aligns the stored text with the text
the document really holds, so the mapping is right whatever Qt does to the text.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

_BREAKS = "\n\r\u2029"


class OffsetMap:
    """Maps code point offsets of `text` to positions in a QTextDocument holding `raw`."""

    def __init__(self, text: str, raw: str) -> None:
        self.length = len(text)
        if raw == text and len(text.encode("utf-16-le")) == 2 * len(text):
            self._to_qt: list[int] | None = None  # identity: the common case, no table
        else:
            self._to_qt = _align(text, raw)

    @classmethod
    def for_document(cls, text: str, document) -> OffsetMap:
        return cls(text, document.toRawText())

    def to_qt(self, offset: int) -> int:
        offset = min(max(offset, 0), self.length)
        return offset if self._to_qt is None else self._to_qt[offset]

    def to_text(self, position: int, *, end: bool = False) -> int:
        """The code point offset at a Qt position; `end=True` rounds inside a character up."""
        if self._to_qt is None:
            return min(max(position, 0), self.length)
        table = self._to_qt
        index = bisect_left(table, position) if end else bisect_right(table, position) - 1
        return min(max(index, 0), self.length)

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_to_text(self, start: int, end: int) -> tuple[int, int]:
        return self.to_text(start), self.to_text(end, end=True)


def _align(text: str, raw: str) -> list[int]:
    table = [0] * (len(text) + 1)
    i = j = q = 0
    while i < len(text):
        c = text[i]
        table[i] = q
        r = raw[j] if j < len(raw) else ""
        if c == "\ufeff" and r != c:
            i += 1                              # Qt drops a leading BOM character
            continue
        if c == "\r" and text[i + 1:i + 2] == "\n" and r == "\u2029":
            table[i + 1] = q + 1                # CRLF is one break
            i, j, q = i + 2, j + 1, q + 1
            continue
        if c == r or (c in _BREAKS and r == "\u2029"):
            i, j, q = i + 1, j + 1, q + (2 if ord(c) > 0xFFFF else 1)
            continue
        raise ValueError(f"the document's text differs from the stored text at {i} ({c!r} vs {r!r})")
    table[len(text)] = q
    return table
