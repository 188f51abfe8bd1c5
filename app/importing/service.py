"""Importing files into a project: find, read, check, insert in batches.

Each batch of `batch_size` records (or fewer: BATCH_BYTES of input) is one transaction
(`Store.insert_articles`), so a killed import leaves the project sound and running it
again completes it: texts already there count as duplicates. With `strict=True` a first
pass checks everything and nothing is imported if anything is refused.

Progress counts bytes read: `Progress(done, total, message)` with `total` the size of
all files found (twice that with strict: checking, then importing). It is reported after
each batch; `cancel()` is asked before the next one, and what was committed stays.

A claims CSV (formats.CLAIMS_CSV) adds no articles: it sets the attributes of claims
already in the project, after the articles of the same run are in, one undoable step per
article (app/interop/claims_csv_import.py). With `strict=True` each claims CSV is all or
nothing by itself, and none is read when an article file was refused.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.importing.checks import Context, Rejected
from app.importing.formats import CLAIMS_CSV, name_of
from app.importing.readers import Found, file_size, find_files, reader_for
from app.importing.records import Foreign, build
from app.importing.report import ImportReport, Problem
from app.gcpause import collection_paused
from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback, never, no_progress
from app.resources import label_colours
from models.domain import ArticleRecord, Layer
from models.store import Store

# A batch is one transaction: larger ones commit (fsync) and flush the search index less
# often. 8 MiB of input is ~2,000 news articles; the bench import then peaks at 130 MB.
BATCH_BYTES = 8 << 20


def import_paths(store: Store, paths: Iterable[str | Path], *, annotator: str | None,
                 fmt: str | None = None, strict: bool = False,
                 allow_new_labels: bool = True,
                 progress: ProgressCallback = no_progress, cancel: CancelCheck = never,
                 batch_size: int = 5000) -> ImportReport:
    """Import files and folders of them into `store`, in format `fmt` (None: detected).

    The formats are app/importing/formats.REGISTRY: ours, Prodigy, text, CSV, HTML, the
    other tools' (doccano, Label Studio, brat, CoNLL, spaCy DocBin, Hugging Face), and the
    claims CSV, which updates claims instead.
    """
    with collection_paused():
        return _import_paths(store, paths, annotator=annotator, fmt=fmt, strict=strict,
                             allow_new_labels=allow_new_labels, progress=progress,
                             cancel=cancel, batch_size=batch_size)


def _import_paths(store: Store, paths: Iterable[str | Path], *, annotator: str | None,
                  fmt: str | None, strict: bool, allow_new_labels: bool,
                  progress: ProgressCallback, cancel: CancelCheck,
                  batch_size: int) -> ImportReport:
    found = find_files(paths, fmt)
    claims = [p for p in found.files if name_of(p, fmt) == CLAIMS_CSV]
    found.files = [p for p in found.files if p not in claims]
    report = ImportReport(files=len(found.files), skipped=found.skipped,
                          rejected=list(found.problems))
    if found.files or not claims:
        _import_articles(store, found, report, annotator=annotator, fmt=fmt, strict=strict,
                         allow_new_labels=allow_new_labels, progress=progress, cancel=cancel,
                         batch_size=batch_size)
    if claims and not report.cancelled and not (strict and report.rejected):
        _import_claims(store, claims, report, annotator=annotator, strict=strict,
                       progress=progress, cancel=cancel)
    return report


def _import_articles(store: Store, found: Found, report: ImportReport, *,
                     annotator: str | None, fmt: str | None, strict: bool,
                     allow_new_labels: bool, progress: ProgressCallback, cancel: CancelCheck,
                     batch_size: int) -> None:
    size = found.size
    options = dict(progress=progress, cancel=cancel, batch_size=max(1, batch_size),
                   total=size * (2 if strict else 1))

    def context() -> Context:
        return Context.of(store.schema(), allow_new_labels=allow_new_labels, annotator=annotator)

    if strict:
        checked = ImportReport()
        _Run(store, checked, context(), write=False, fmt=fmt, **options).run(found.files)
        if checked.rejected or checked.cancelled or report.rejected:
            report.rejected += checked.rejected
            report.skipped += checked.skipped
            report.cancelled = checked.cancelled
            return
    base = size if strict else 0
    _Run(store, report, context(), write=True, base=base, fmt=fmt, **options).run(found.files)


def _import_claims(store: Store, files: list[Path], report: ImportReport, *,
                   annotator: str | None, strict: bool, progress: ProgressCallback,
                   cancel: CancelCheck) -> None:
    # Imported here: the claims CSV's columns come with its exporter, which loads spaCy.
    from app.interop.claims_csv_import import import_claims_csv
    for path in files:
        done = import_claims_csv(store, path, annotator=annotator, progress=progress,
                                 cancel=cancel, strict=strict)
        report.files += done.files
        report.imported += done.imported
        report.skipped += done.skipped
        report.rejected += done.rejected
        report.warnings += done.warnings
        if done.cancelled:
            report.cancelled = True
            return


@dataclass
class _Batch:
    """Records read and checked, ready for one insert, and where reading had got to."""
    records: list[ArticleRecord]
    lossless: bool              # Newsmark or foreign records: they name each annotator
    new_labels: dict[str, Layer]
    done: int                   # bytes read so far
    counted: int                # records in this batch (kept only when importing)
    taken: int                  # records accepted so far in this pass
    name: str                   # the file being read


class _Run:
    """One pass over the files: checking only (write=False) or importing.

    Reading and checking make batches (`_Reader`); this side asks `cancel()` before each
    batch, inserts it and reports progress after it. (Reading ahead in a thread was tried:
    binding parameters holds the GIL, so on two cores it was 0.15 s slower, not faster.)
    """

    def __init__(self, store: Store, report: ImportReport, ctx: Context, *, write: bool,
                 progress: ProgressCallback, cancel: CancelCheck, batch_size: int,
                 total: int, base: int = 0, fmt: str | None = None) -> None:
        self.store, self.report, self.write = store, report, write
        self.progress, self.cancel, self.total = progress, cancel, total
        self.reader = _Reader(report, ctx, fmt=fmt, batch_size=batch_size, base=base,
                              keep=write)
        self.annotator = ctx.annotator

    def run(self, files: list[Path]) -> None:
        try:
            with closing(self.reader.batches(files)) as batches:
                self._consume(batches)
        except Cancelled:
            self.report.cancelled = True

    def _consume(self, batches: Iterator[_Batch]) -> None:
        for batch in batches:
            if batch.counted and self.cancel():     # the last batch may be empty
                raise Cancelled
            if self.write:
                self._insert(batch)
            verb = "importing" if self.write else "checking"
            self.progress(Progress(min(batch.done, self.total), self.total,
                                   f"{verb} {batch.name}: {batch.taken} records"))

    def _insert(self, batch: _Batch) -> None:
        if batch.new_labels:
            self.report.new_labels += self.store.ensure_labels(batch.new_labels,
                                                               colours=label_colours())
        if batch.records:
            # Newsmark records carry each span's annotator, null included: no default then.
            who = None if batch.lossless else self.annotator
            inserted, duplicates = self.store.insert_articles(batch.records, annotator=who)
            self.report.imported += inserted
            self.report.duplicates += duplicates


class _Reader:
    """Files -> batches of checked records; refused records go to the report."""

    def __init__(self, report: ImportReport, ctx: Context, *, fmt: str | None,
                 batch_size: int, base: int, keep: bool) -> None:
        self.report, self.ctx, self.fmt, self.keep = report, ctx, fmt, keep
        self.batch_size = batch_size
        self.finished, self.position = base, 0
        self.cut_at = base          # bytes read when the current batch began
        self.records: list[ArticleRecord] = []
        self.counted = 0            # records in the current batch
        self.taken = 0              # records accepted in this pass
        self.lossless = False
        self.path = Path()

    def batches(self, files: list[Path]) -> Iterator[_Batch]:
        for path in files:
            yield from self._read(path)
        yield self._cut()

    def _read(self, path: Path) -> Iterator[_Batch]:
        self.path, self.position = path, 0
        reader = reader_for(path, self.fmt)
        assert reader is not None  # find_files only lists files it can read
        try:
            with closing(reader(path)) as entries:
                for line, payload, position in entries:
                    self.position = position
                    yield from self._take(line, payload)
        except OSError as exc:
            self._refuse(0, f"cannot read the file ({exc.strerror or exc})")
        self.finished += file_size(path)
        self.position = 0

    def _take(self, line: int, payload: Any) -> Iterator[_Batch]:
        self.ctx.warnings.clear()
        try:
            if isinstance(payload, Rejected):
                raise payload
            record = build(payload, self.ctx)
        except Rejected as exc:
            self._refuse(line, str(exc))
            return
        self.report.warnings += [Problem(str(self.path), line, w) for w in self.ctx.warnings]
        if record is None:
            self.report.skipped += 1
            return
        # Newsmark and foreign records set each span's annotator themselves.
        lossless = isinstance(payload, Foreign) or (isinstance(payload, dict)
                                                     and "newsmark" in payload)
        if self.counted and lossless != self.lossless:
            yield self._cut()
        self.lossless = lossless
        self.counted += 1
        self.taken += 1
        if self.keep:
            self.records.append(record)
        if (self.counted >= self.batch_size
                or self.finished + self.position - self.cut_at >= BATCH_BYTES):
            yield self._cut()

    def _refuse(self, line: int, reason: str) -> None:
        self.report.rejected.append(Problem(str(self.path), line, reason))

    def _cut(self) -> _Batch:
        """The batch so far, with the labels it added; the next one starts empty."""
        batch = _Batch(self.records, self.lossless, dict(self.ctx.new),
                       self.finished + self.position, self.counted, self.taken,
                       self.path.name)
        self.records, self.counted = [], 0
        self.cut_at = self.finished + self.position
        self.ctx.new.clear()
        return batch
