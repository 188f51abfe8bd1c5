"""Claims CSV import: the claim attributes filled in a spreadsheet, back onto their claims.

    report = import_claims_csv(store, "claims.csv", annotator="ada")

The file is one that `newsmark export -f claims-csv` wrote (app/interop/claims_csv.py),
edited and saved as CSV UTF-8. Each row names a claim by article_uid, claim_start and
claim_end (code points), and claim_text must still be the text at those offsets (line ends
compared loosely: spreadsheets rewrite CRLF inside cells). Then each column named like a
claim attribute of the project's schema sets that attribute: a choice must be one of its
values (in any letter case), a text attribute (note) takes the cell as it is; an empty cell
leaves the attribute as it was (so an attribute is never cleared from a sheet). The quote
the export put before a cell beginning with = + - @, a tab or a CR is removed
(`claims_csv.unquote`), and only that one.

Other columns are not imported: article_title, sentence, claimant_kind, claimant_text,
claimant_label, cue, hedges and annotator are there for people to read (the claimant
columns show the resolved claimant, not the attributes); a column the export does not write
is named in one warning.

A row that cannot be read or matched, or holds a value outside its attribute's set, is
refused as `FILE:LINE: reason` (LINE: where the row starts; for a byte that is not UTF-8,
its own line) and nothing of it is changed; the other rows are imported. The changes of one
article are one `Batch` of `SetClaimAttribute` run by `app.commands.execute`: one
transaction and one undo step recorded for the annotator, so undo takes a spreadsheet back
article by article. A row that changes nothing is counted as skipped. With `strict=True`
nothing is changed if any row is refused.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.commands import Batch, SetClaimAttribute, execute
from app.importing.checks import Rejected, describe
from app.importing.formats import CLAIMS_CSV_COLUMNS
from app.importing.readers import BOM, CSV_FIELD_LIMIT, Entry, file_size, invalid_utf8
from app.importing.report import ImportReport, Problem
from app.interop.claims_csv import FIXED, unquote
from app.progress import CancelCheck, Progress, ProgressCallback, never, no_progress
from models.domain import ArticleId, AttributeDef, Layer, SpanId, State
from models.errors import NewsmarkError
from models.store import Store

DIGITS = re.compile(r"[0-9]{1,18}")
LINE_ENDS = re.compile(r"\r\n?")
EVERY = 1000                    # rows between progress reports and cancel checks


# --- reading ---------------------------------------------------------------------------------

def read(path: Path) -> Iterator[Entry]:
    """Rows as {column: cell, unquoted}, each at the line it starts on; `Rejected` for a row
    that cannot be read, and at line 1 for a header without the claim's columns."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with open(path, "rb") as f:
        lines = _Lines(f)
        rows = csv.reader(lines)
        try:
            header = [name.strip() for name in next(rows, [])]
        except csv.Error as exc:
            yield 1, Rejected(f"malformed CSV header ({exc})"), lines.position
            return
        missing = [name for name in CLAIMS_CSV_COLUMNS if name not in header]
        if 1 in lines.bad or missing:
            yield 1, lines.bad.get(1) or Rejected(
                f"not a claims CSV: no {', '.join(missing)} column in the header row "
                "(export one with `newsmark export PROJECT -f claims-csv`)"), lines.position
            return
        yield from _rows(rows, lines, header)


class _Lines:
    """A file's lines decoded for csv.reader, counting them and the bytes read; a line that
    is not UTF-8 is read with replacement characters and remembered as bad."""

    def __init__(self, f: IO[bytes]) -> None:
        self.file, self.number, self.position = f, 0, 0
        self.bad: dict[int, Rejected] = {}

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = self.file.readline()
        if not raw:
            raise StopIteration
        self.number += 1
        self.position += len(raw)
        if self.number == 1:
            raw = raw.removeprefix(BOM)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad[self.number] = Rejected(invalid_utf8(raw, exc) + "; save the sheet "
                                             "as CSV UTF-8")
            return raw.decode("utf-8", "replace")


def _rows(rows: Iterator[list[str]], lines: _Lines, header: list[str]) -> Iterator[Entry]:
    first = lines.number + 1                # the line the next row starts on
    try:
        for row in rows:
            entry = _entry(row, header, lines, first)
            if entry is not None:
                yield *entry, lines.position
            first = lines.number + 1
    except csv.Error as exc:
        yield first, Rejected(f"malformed CSV ({exc}); the rest of the file was not "
                              "read"), lines.position


def _entry(row: list[str], header: list[str], lines: _Lines,
           first: int) -> tuple[int, dict[str, str] | Rejected] | None:
    """A row read from lines `first` to `lines.number`; None for a blank one."""
    bad = next((n for n in range(first, lines.number + 1) if n in lines.bad), None)
    if bad is not None:                     # the line of the bad byte, for its column
        return bad, lines.bad[bad]
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(header):
        return first, Rejected(f"{len(row)} fields but the header has {len(header)}")
    return first, dict(zip(header, map(unquote, row)))


# --- checking: what each row would change ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Claim:
    article_id: ArticleId
    span_id: SpanId
    text: str
    values: dict[str, str | None]       # every attribute: its value, else its default


@dataclass(frozen=True, slots=True)
class _Change:
    line: int
    span_id: SpanId
    values: dict[str, str]


class _Plan:
    """The rows of one file checked against the project: the changes, article by article."""

    def __init__(self, store: Store, file: str, report: ImportReport) -> None:
        self.store, self.file, self.report = store, file, report
        self.attributes = {d.name: d for d in store.schema().attributes if d.name not in FIXED}
        self.articles: dict[str, dict[tuple[int, int], _Claim] | None] = {}
        self.seen: dict[SpanId, int] = {}
        self.changes: dict[ArticleId, list[_Change]] = {}
        self.warned = False

    def take(self, line: int, row: dict[str, str] | Rejected) -> None:
        try:
            if isinstance(row, Rejected):
                raise row
            self._warn_unknown(row)
            self._take(line, row)
        except Rejected as exc:
            self.report.rejected.append(Problem(self.file, line, str(exc)))

    def _take(self, line: int, row: dict[str, str]) -> None:
        uid = row["article_uid"].strip()
        if not uid:
            raise Rejected("article_uid is empty")
        start, end = _offset(row, "claim_start"), _offset(row, "claim_end")
        where = f"claim {start}-{end} in article {_short(uid)}"
        claim = self._claim(uid, start, end, where)
        if not _same(row["claim_text"], claim.text):
            raise Rejected(f"{where}: the text differs from the project's "
                           f"({describe(row['claim_text'])} vs {describe(claim.text)})")
        if claim.span_id in self.seen:
            raise Rejected(f"{where}: already on line {self.seen[claim.span_id]}")
        values = self._changed(row, claim, where)
        self.seen[claim.span_id] = line
        if not values:
            self.report.skipped += 1
            return
        self.changes.setdefault(claim.article_id, []).append(_Change(line, claim.span_id, values))

    def _claim(self, uid: str, start: int, end: int, where: str) -> _Claim:
        if uid not in self.articles:
            article = self.store.article_by_uid(uid)
            self.articles[uid] = None if article is None else self._claims_of(article.id)
        claims = self.articles[uid]
        if claims is None:
            raise Rejected(f"no article {_short(uid)} in the project")
        if (start, end) not in claims:
            raise Rejected(f"{where}: no such claim in the project")
        return claims[start, end]

    def _claims_of(self, article_id: ArticleId) -> dict[tuple[int, int], _Claim]:
        """The article's claims by offsets (an accepted one first where two share them)."""
        annotation = self.store.annotation(article_id)
        text, claims = annotation.article.text, {}
        spans = [s for s in annotation.spans
                 if s.layer is Layer.CLAIM and s.state is not State.REJECTED]
        for span in sorted(spans, key=lambda s: s.state is not State.ACCEPTED):
            stored = annotation.attributes.get(span.id, {})
            claims.setdefault((span.start, span.end), _Claim(
                article_id, span.id, text[span.start:span.end],
                {name: stored.get(name, d.default) for name, d in self.attributes.items()}))
        return claims

    def _changed(self, row: dict[str, str], claim: _Claim, where: str) -> dict[str, str]:
        changed, wrong = {}, []
        for name, definition in self.attributes.items():
            cell = row.get(name, "")
            if not cell.strip():
                continue
            value = _value(definition, cell)
            if value is None:
                wrong.append(f"{name} {describe(cell)} is not one of "
                             f"{', '.join(definition.values)}")
            elif value != claim.values[name]:
                changed[name] = value
        if wrong:
            raise Rejected(f"{where}: {'; '.join(wrong)}")
        return changed

    def _warn_unknown(self, row: dict[str, str]) -> None:
        if self.warned:
            return
        self.warned = True
        known = {*FIXED, *self.attributes, "annotator"}
        unknown = [name for name in row if name not in known]
        if unknown:
            self.report.warnings.append(Problem(self.file, 1, (
                f"column{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))} "
                "not a claim attribute of this project; ignored")))


def _offset(row: dict[str, str], name: str) -> int:
    cell = row[name].strip()
    if not DIGITS.fullmatch(cell):
        raise Rejected(f"{name} is not a whole number ({describe(row[name])})")
    return int(cell)


def _short(uid: str) -> str:
    return uid if len(uid) <= 12 else uid[:8] + "\u2026"


def _same(cell: str, text: str) -> bool:
    return cell == text or LINE_ENDS.sub("\n", cell) == LINE_ENDS.sub("\n", text)


def _value(definition: AttributeDef, cell: str) -> str | None:
    """The value a cell stands for; None if it is not one of a choice's values."""
    if definition.kind != "choice":
        return cell
    choices = {v.casefold(): v for v in definition.values}
    return choices.get(cell.strip().casefold())


# --- importing -------------------------------------------------------------------------------

def import_claims_csv(store: Store, path: str | Path, *, annotator: str | None,
                      progress: ProgressCallback = no_progress, cancel: CancelCheck = never,
                      strict: bool = False) -> ImportReport:
    """Set the claim attributes a claims CSV changes: one undoable step per article.

    `imported` counts the claims changed, `skipped` the rows that change nothing. Progress
    counts bytes, twice the file's size: checking every row, then saving each article;
    `cancel()` is asked every thousand rows and before each article, and what was saved
    stays.
    """
    path = Path(path)
    report = ImportReport(files=1)
    plan = _Plan(store, str(path), report)
    total = 2 * file_size(path)
    try:
        if not _check(path, plan, progress, cancel, total):
            report.cancelled = True
            return report
    except OSError as exc:
        report.rejected.append(Problem(str(path), 0, f"cannot read the file "
                                                     f"({exc.strerror or exc})"))
        return report
    if not (strict and report.rejected):
        _save(store, plan, annotator=annotator, progress=progress, cancel=cancel, total=total)
    return report


def _check(path: Path, plan: _Plan, progress: ProgressCallback, cancel: CancelCheck,
           total: int) -> bool:
    """Every row into the plan; False if cancelled."""
    count = 0
    for count, (line, row, position) in enumerate(read(path), 1):
        plan.take(line, row)
        if count % EVERY == 0:
            if cancel():
                return False
            progress(Progress(position, total, f"checking {path.name}: {count} rows"))
    progress(Progress(total // 2, total, f"checked {path.name}: {count} rows"))
    return True


def _save(store: Store, plan: _Plan, *, annotator: str | None, progress: ProgressCallback,
          cancel: CancelCheck, total: int) -> None:
    name, report = Path(plan.file).name, plan.report
    for done, changes in enumerate(plan.changes.values(), 1):
        if cancel():
            report.cancelled = True
            return
        batch = Batch([SetClaimAttribute(c.span_id, attribute, value) for c in changes
                       for attribute, value in c.values.items()],
                      description=f"set claim attributes from {name}")
        try:
            execute(store, batch, annotator=annotator)
        except NewsmarkError as exc:     # changed since it was checked (the GUI is open)
            report.rejected += [Problem(plan.file, c.line, f"not saved: {exc}")
                                for c in changes]
            continue
        report.imported += len(changes)
        progress(Progress(total // 2 + total // 2 * done // len(plan.changes), total,
                          f"importing {name}: {report.imported} claims"))
