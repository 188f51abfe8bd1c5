"""Finding the files to import and reading each format as a stream of entries.

A reader yields `(line, payload, position)`: the line the entry starts on (counted from 1),
a JSON value, `Fields`, or `Rejected` for a line that cannot be read, and how many bytes
of the file have been consumed so far (for progress). Files are read in binary and decoded
strictly, line by line where the format has lines: nothing is held whole but one record.
"""
from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from app.importing import formats
from app.importing.checks import Rejected
from app.importing.records import Fields
from app.importing.report import Problem

Entry = tuple[int, Any, int]
BOM = codecs.BOM_UTF8
CSV_FIELD_LIMIT = 64 * 1024 * 1024
LONG_NUMBER = re.compile(r"[0-9]{19,}")
CSV_COLUMNS = ("text", "title", "url", "source", "author", "published", "date")


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0          # files with unknown suffixes inside folders

    @property
    def size(self) -> int:
        return sum(file_size(p) for p in self.files)


def find_files(paths: Iterable[str | Path], fmt: str | None = None) -> Found:
    """Explicit files as given, folders walked recursively in sorted order.

    `fmt` None (or "auto") detects each file's format; in a folder a `.txt` beside an
    `.ann` of the same name is half of a brat document, read through its `.ann`.
    """
    found = Found()
    known = formats.suffixes(fmt)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _brat_text(child, fmt):
                    continue
                if child.suffix.lower() in known and reader_for(child, fmt):
                    found.files.append(child)
                else:
                    found.skipped += 1
        elif not path.exists():
            found.problems.append(Problem(str(path), 0, "no such file or folder"))
        elif reader_for(path, fmt) is None:
            found.problems.append(Problem(str(path), 0, _unreadable(path, fmt, known)))
        else:
            found.files.append(path)
    return found


def _brat_text(path: Path, fmt: str | None) -> bool:
    return (fmt in (None, formats.AUTO, "brat") and path.suffix.lower() == ".txt"
            and path.with_suffix(".ann").is_file())


def _unreadable(path: Path, fmt: str | None, known: set[str]) -> str:
    if path.suffix.lower() in known:
        return (f"cannot tell the format of this {path.suffix} file; "
                f"name it with --format ({', '.join(formats.FORMATS[1:])})")
    return f"unknown file type {path.suffix!r} (expected {', '.join(sorted(known))})"


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def invalid_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column})"


def read_txt(path: Path) -> Iterator[Entry]:
    """One article per file: the whole content, exactly (no newline translation)."""
    data = path.read_bytes()
    body = data[len(BOM):] if data.startswith(BOM) else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield body.count(b"\n", 0, exc.start) + 1, Rejected(invalid_utf8(body, exc)), len(data)
        return
    yield 1, Fields(text), len(data)


def _lines(path: Path) -> Iterator[tuple[int, bytes, int]]:
    """Raw lines (split on b"\\n" only, never translated), the BOM of line 1 removed."""
    position = 0
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            position += len(raw)
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            yield number, raw, position


def _decode(raw: bytes) -> str | Rejected:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(invalid_utf8(raw, exc))


def read_jsonl(path: Path) -> Iterator[Entry]:
    for number, raw, position in _lines(path):
        try:        # orjson checks the UTF-8 itself: no str is made only to be read again
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            value = _from_text(raw)
            if value is _BLANK:
                continue
        if _has_float(value):
            line = raw.decode("utf-8")
            if LONG_NUMBER.search(line):
                value = _oversized(line) or value
        yield number, value, position


_BLANK = object()


def _from_text(raw: bytes) -> Any:
    """A line orjson refused as bytes, read as text for the reason: invalid UTF-8 (where),
    its JSON error, or _BLANK for a blank line."""
    line = _decode(raw)
    if isinstance(line, Rejected):
        return line
    if not line.strip(" \t\r\n"):
        return _BLANK
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Rejected(json_reason(exc))


def _has_float(value: Any) -> bool:
    """Whether a parsed value holds a float: orjson's reading of an oversized integer is
    one, and walking the value is five times cheaper than searching every line for digits."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
    return False


def _oversized(line: str) -> Rejected | None:
    """orjson silently reads integers beyond 64 bits as floats: find them exactly."""
    def check(digits: str) -> int:
        if not -2**63 <= int(digits) < 2**64:
            raise OverflowError(digits)
        return int(digits)
    try:
        json.loads(line, parse_int=check)
    except OverflowError as exc:
        digits = exc.args[0] if len(exc.args[0]) <= 30 else exc.args[0][:27] + "..."
        return Rejected(f"integer {digits} does not fit in 64 bits")
    except (ValueError, RecursionError):
        pass
    return None


def json_reason(exc: orjson.JSONDecodeError) -> str:
    hints = {"depth limit exceeded": "nested too deeply (more than 1024 levels)",
             "surrogate": "a lone surrogate in a string",
             "number is infinity": "a number too large for a double"}
    msg = next((hint for key, hint in hints.items() if key in exc.msg), exc.msg)
    if exc.doc[exc.pos:exc.pos + 3] in ("NaN", "Inf", "-In"):
        msg = "NaN and Infinity are not JSON"
    return f"not JSON: {msg} (column {exc.colno})"


def read_csv(path: Path) -> Iterator[Entry]:
    """Records with a header row; a `text` column is required, unknown columns go to meta."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    bad: dict[int, Rejected] = {}
    seen = [0]

    def decoded() -> Iterator[str]:
        for number, raw, position in _lines(path):
            seen[0] = position
            line = _decode(raw)
            if isinstance(line, Rejected):
                bad[number] = line
                line = raw.decode("utf-8", "replace")  # keeps the quoting intact
            yield line

    source = decoded()
    try:
        yield from _csv_records(csv.reader(source), bad, seen)
    finally:
        source.close()


def _csv_records(reader: Any, bad: dict[int, Rejected], seen: list[int]) -> Iterator[Entry]:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield 1, Rejected(f"malformed CSV header ({exc})"), seen[0]
        return
    if 1 in bad or header is None or "text" not in [h.strip().lower() for h in header]:
        reason = bad[1] if 1 in bad else Rejected("no 'text' column in the header row")
        yield 1, reason, seen[0]
        return
    names = [h.strip() for h in header]
    while True:
        first = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, Rejected(f"malformed CSV ({exc}); the rest of the file "
                                            "was not read"), seen[0]
            return
        broken = [n for n in range(first, reader.line_num + 1) if n in bad]
        if broken:
            yield broken[0], bad[broken[0]], seen[0]
        elif len(row) != len(names):
            if row:
                yield reader.line_num, Rejected(f"{len(row)} fields but the header has "
                                                f"{len(names)}"), seen[0]
        else:
            yield reader.line_num, _csv_fields(names, row), seen[0]


def _csv_fields(names: list[str], row: list[str]) -> Fields:
    known: dict[str, str] = {}
    meta: dict[str, str] = {}
    for name, value in zip(names, row):
        if name.lower() in CSV_COLUMNS and name.lower() not in known:
            known[name.lower()] = value
        else:
            meta[name] = value
    return Fields(known["text"], title=known.get("title") or None,
                  source=known.get("source") or None, url=known.get("url") or None,
                  author=known.get("author") or None,
                  published=known.get("published") or known.get("date") or None, meta=meta)


def read_html(path: Path) -> Iterator[Entry]:
    """Main text and metadata of a saved page, by trafilatura; nothing is fetched."""
    import trafilatura  # slow to import: only when a page is read

    data = path.read_bytes()
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                          include_images=False, include_links=False)
    except Exception as exc:  # noqa: BLE001 - a parser failing on odd HTML is bad input
        yield 1, Rejected(f"cannot read the HTML ({type(exc).__name__}: {exc})"), len(data)
        return
    if doc is None or not (doc.text or "").strip():
        yield 1, Rejected("no article text found in the HTML"), len(data)
        return
    yield 1, Fields(doc.text, title=doc.title, source=doc.sitename, url=doc.url,
                    author=doc.author, published=doc.date), len(data)


def reader_for(path: Path, fmt: str | None = None) -> Callable[[Path], Iterator[Entry]] | None:
    return formats.reader_for(path, fmt)
