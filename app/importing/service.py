"""Importing files into a project: find, read, check, insert in batches.

Each batch of `batch_size` records is one transaction (`Store.insert_articles`), so a
killed import leaves the project sound and running it again completes it: texts already
there count as duplicates. With `strict=True` a first pass checks everything and nothing
is imported if anything is refused.

Progress counts bytes read: `Progress(done, total, message)` with `total` the size of
all files found (twice that with strict: checking, then importing). It is reported after
each batch; `cancel()` is asked before the next one, and what was committed stays.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from app.importing.checks import Context, Rejected
from app.importing.readers import file_size, find_files, reader_for
from app.importing.records import Foreign, build
from app.importing.report import ImportReport, Problem
from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback, never, no_progress
from app.resources import label_colours
from models.domain import ArticleRecord
from models.store import Store


def import_paths(store: Store, paths: Iterable[str | Path], *, annotator: str | None,
                 fmt: str | None = None, strict: bool = False,
                 allow_new_labels: bool = True,
                 progress: ProgressCallback = no_progress, cancel: CancelCheck = never,
                 batch_size: int = 1000) -> ImportReport:
    """Import files and folders of them into `store`, in format `fmt` (None: detected).

    The formats are app/importing/formats.REGISTRY: ours, Prodigy, text, CSV, HTML and the
    other tools' (doccano, Label Studio, brat, CoNLL, spaCy DocBin, Hugging Face).
    """
    found = find_files(paths, fmt)
    report = ImportReport(files=len(found.files), skipped=found.skipped,
                          rejected=list(found.problems))
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
            return report
    base = size if strict else 0
    _Run(store, report, context(), write=True, base=base, fmt=fmt, **options).run(found.files)
    return report


class _Run:
    """One pass over the files: checking only (write=False) or importing."""

    def __init__(self, store: Store, report: ImportReport, ctx: Context, *, write: bool,
                 progress: ProgressCallback, cancel: CancelCheck, batch_size: int,
                 total: int, base: int = 0, fmt: str | None = None) -> None:
        self.store, self.report, self.ctx, self.write = store, report, ctx, write
        self.fmt = fmt
        self.progress, self.cancel, self.batch_size = progress, cancel, batch_size
        self.total, self.finished, self.position = total, base, 0
        self.batch: list[ArticleRecord] = []
        self.counted = 0            # records in the current batch
        self.taken = 0              # records accepted in this pass
        self.lossless = False       # the batch holds Newsmark records (they name annotators)
        self.cancel_due = True
        self.path = Path()

    def run(self, files: list[Path]) -> None:
        try:
            for path in files:
                self._ask_cancel()
                self._read(path)
            self._flush()
        except Cancelled:
            self.report.cancelled = True

    def _read(self, path: Path) -> None:
        self.path, self.position = path, 0
        reader = reader_for(path, self.fmt)
        assert reader is not None  # find_files only lists files it can read
        try:
            with closing(reader(path)) as entries:
                for line, payload, position in entries:
                    self.position = position
                    self._take(line, payload)
        except OSError as exc:
            self._refuse(0, f"cannot read the file ({exc.strerror or exc})")
        self.finished += file_size(path)
        self.position = 0

    def _take(self, line: int, payload: Any) -> None:
        self._ask_cancel()
        try:
            if isinstance(payload, Rejected):
                raise payload
            record = build(payload, self.ctx)
        except Rejected as exc:
            self._refuse(line, str(exc))
            return
        if record is None:
            self.report.skipped += 1
            return
        # Newsmark and foreign records set each span's annotator themselves.
        lossless = isinstance(payload, Foreign) or (isinstance(payload, dict)
                                                     and "newsmark" in payload)
        if self.counted and lossless != self.lossless:
            self._flush()
        self.lossless = lossless
        self.counted += 1
        self.taken += 1
        if self.write:
            self.batch.append(record)
        if self.counted >= self.batch_size:
            self._flush()

    def _refuse(self, line: int, reason: str) -> None:
        self.report.rejected.append(Problem(str(self.path), line, reason))

    def _flush(self) -> None:
        if self.write:
            self._insert()
        self.counted = 0
        self.cancel_due = True
        verb = "importing" if self.write else "checking"
        done = min(self.finished + self.position, self.total)
        self.progress(Progress(done, self.total, f"{verb} {self.path.name}: {self.taken} records"))

    def _insert(self) -> None:
        if self.ctx.new:
            self.report.new_labels += self.store.ensure_labels(dict(self.ctx.new),
                                                               colours=label_colours())
            self.ctx.new.clear()
        if self.batch:
            # Newsmark records carry each span's annotator, null included: no default then.
            who = None if self.lossless else self.ctx.annotator
            inserted, duplicates = self.store.insert_articles(self.batch, annotator=who)
            self.report.imported += inserted
            self.report.duplicates += duplicates
            self.batch = []

    def _ask_cancel(self) -> None:
        if self.cancel_due:
            self.cancel_due = False
            if self.cancel():
                raise Cancelled
