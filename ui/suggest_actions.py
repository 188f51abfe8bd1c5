"""Annotate > Suggest: run a suggester over this article or all of them, in a worker.

The suggester runs on its own database connection off the GUI thread (spaCy never runs
on the GUI thread): for one article in a worker thread, for the whole corpus in a separate
process, so a long run never stalls the window. When it ends, the article on screen is
redrawn with its suggestions.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.suggest.service import SuggestJob, SuggestReport, run_job, run_job_in_process
from ui.progress_dialog import TaskProgressDialog
from ui.workbench import Workbench
from ui.workers import TaskHandle, TaskRunner, shared_runner


def run_suggest(parent: QWidget | None, workbench: Workbench, spec: str, *, whole_corpus: bool,
                runner: TaskRunner | None = None,
                on_done: Callable[[SuggestReport], None] | None = None,
                phrases: dict[str, str] | None = None) -> TaskHandle | None:
    """Run the suggester `spec` names (with `phrases`: those texts' occurrences).

    Over the whole corpus it runs in a separate process (the worker thread only relays
    progress), so spaCy never stalls the window; over one article, in the worker thread.
    """
    if not whole_corpus and workbench.article_id is None:
        return None
    job = SuggestJob(str(workbench.store.path), spec, phrases=phrases,
                     article_ids=None if whole_corpus else [workbench.article_id])
    run = run_job_in_process if whole_corpus else run_job

    def work(progress, cancel) -> SuggestReport:
        return run(job, progress=progress, cancel=cancel)

    def done(report: SuggestReport) -> None:
        workbench.reload()
        workbench.error.emit(f"{report.suggester}: {report.added} new suggestion(s) in "
                             f"{report.articles} article(s); Tab goes to the next, A accepts, X rejects")
        if on_done is not None:
            on_done(report)

    def failed(line: str) -> None:
        QMessageBox.warning(parent, "Newsmark", line)

    runner = runner if runner is not None else shared_runner()
    handle = runner.start(work, on_done=done, on_error=failed)
    TaskProgressDialog(handle, parent, title="Suggesting", label=f"Running {spec}...")
    return handle


def ask_pipeline(parent: QWidget | None) -> str | None:
    """A spaCy pipeline folder (or training output) or a patterns .jsonl file."""
    path, _ = QFileDialog.getOpenFileName(parent, "Patterns file (or cancel to pick a pipeline folder)",
                                          "", "spaCy patterns (*.jsonl)")
    if path:
        return path
    folder = QFileDialog.getExistingDirectory(parent, "spaCy pipeline folder")
    return folder or None
