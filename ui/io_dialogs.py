"""File > Import, Export and Back up: the dialogs, each running its work in a worker.

Every job opens its own connection to the project (`with_store`), runs on the pool with a
progress dialog, and ends by showing what it did. The main window reloads on `finished`:

    job = run_import(window, workbench, paths, on_done=lambda report: window.reload())

With a SyncPool runner the work is over when these functions return: pass `on_done`
(or connect before `job.start()`) to hear about it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from app.importing import ImportReport, import_paths
from models.domain import Status
from models.store import Store
from ui.errors import keep_until_closed, message_box
from ui.progress_dialog import TaskProgressDialog
from ui.workbench import Workbench
from ui.workers import TaskHandle, TaskRunner, shared_runner, with_store

PROJECT_FILTER = "Newsmark project (*.nmk)"


def show_error(parent: QWidget | None, line: str, *, title: str = "Newsmark") -> QMessageBox:
    """A non-blocking warning with one line."""
    return message_box(line, title=title, parent=parent)


def details_box(lines: Sequence[str]) -> QPlainTextEdit:
    box = QPlainTextEdit("\n".join(lines))
    box.setReadOnly(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    box.setVisible(bool(lines))
    return box


# --- import ------------------------------------------------------------------------------

def import_filters() -> dict[str, str | None]:
    """File dialog filters -> the import format each stands for (None: found per file)."""
    from app.importing.formats import REGISTRY  # noqa: PLC0415
    every = sorted({s for f in REGISTRY.values() for s in f.suffixes})
    filters: dict[str, str | None] = {
        f"Articles and annotations, format found from each file ({_globs(every)})": None}
    for name, fmt in REGISTRY.items():
        filters[f"{name}: {fmt.summary} ({_globs(fmt.suffixes)})"] = name
    filters["All files (*)"] = None
    return filters


def _globs(suffixes: Sequence[str]) -> str:
    return " ".join(f"*{s}" for s in suffixes)


class ImportDialog:
    """The file dialogs of File > Import: files (several) and their format, or one folder."""
    chosen_format: str | None = None    # of the last get_files: the filter the user picked

    @staticmethod
    def get_files(parent: QWidget | None, directory: str = "") -> list[str]:
        filters = import_filters()
        paths, picked = QFileDialog.getOpenFileNames(parent, "Import articles", directory,
                                                     ";;".join(filters))
        ImportDialog.chosen_format = filters.get(picked)
        return list(paths)

    @staticmethod
    def get_folder(parent: QWidget | None, directory: str = "") -> list[str]:
        path = QFileDialog.getExistingDirectory(parent, "Import a folder of articles", directory)
        return [path] if path else []


def ask_import_paths(parent: QWidget | None, *, folder: bool = False,
                     directory: str = "") -> list[str]:
    """File > Import...: the files (or with `folder`, the folder) to import; [] if cancelled.
    The format picked in the dialog's filter is then `ImportDialog.chosen_format`."""
    ImportDialog.chosen_format = None
    if folder:
        return ImportDialog.get_folder(parent, directory)
    return ImportDialog.get_files(parent, directory)


class ImportSummaryDialog(QDialog):
    """What an import did; refused records listed `FILE:LINE: reason`."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import cancelled" if report.cancelled else "Import finished")
        self.summary = QLabel(import_summary(report))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = details_box([str(p) for p in report.rejected] +
                                   [f"warning: {p}" for p in report.warnings])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(640, 420 if report.rejected or report.warnings else 160)


def import_summary(report: ImportReport) -> str:
    text = (f"{report.imported} article(s) imported from {report.files} file(s); "
            f"{report.duplicates} duplicate(s), {report.skipped} skipped, "
            f"{len(report.rejected)} rejected.")
    if report.new_labels:
        text += f"\nNew labels added to the schema: {', '.join(report.new_labels)}."
    if report.warnings:
        text += f"\n{len(report.warnings)} record(s) imported with a warning."
    if report.rejected or report.warnings:
        text += "\nRejected records and warnings (file:line: reason):"
    if report.cancelled:
        text = "Cancelled: what was imported before stays in the project.\n" + text
    return text


class ImportJob(QObject):
    """Imports `paths` into the workbench's project on a worker, then shows the summary."""
    finished = Signal(object)       # ImportReport
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, workbench: Workbench, paths: Sequence[str | Path],
                 *, runner: TaskRunner | None = None, fmt: str | None = None) -> None:
        super().__init__(parent)
        self.fmt = fmt
        self.parent_widget = parent
        self.workbench = workbench
        self.paths = [str(p) for p in paths]
        self.runner = runner if runner is not None else shared_runner()
        self.handle: TaskHandle | None = None
        self.progress: TaskProgressDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.error: QMessageBox | None = None

    def start(self) -> TaskHandle:
        paths, annotator, fmt = self.paths, self.workbench.annotator, self.fmt

        def work(store: Store, progress, cancel) -> ImportReport:
            return import_paths(store, paths, annotator=annotator, fmt=fmt, progress=progress,
                                cancel=cancel)

        self.handle = self.runner.start(with_store(self.workbench.store.path, work),
                                        on_done=self._done, on_error=self._failed)
        self.progress = TaskProgressDialog(self.handle, self.parent_widget,
                                           title="Importing", label="Reading files...")
        return self.handle

    @Slot(object)
    def _done(self, report: ImportReport) -> None:
        self.summary = ImportSummaryDialog(report, self.parent_widget)
        self.summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        keep_until_closed(self.summary).open()
        self.finished.emit(report)

    @Slot(str)
    def _failed(self, line: str) -> None:
        self.error = show_error(self.parent_widget, line, title="Import failed")
        self.failed.emit(line)


def run_import(parent: QWidget | None, workbench: Workbench, paths: Sequence[str | Path], *,
               on_done: Callable[[ImportReport], None] | None = None,
               runner: TaskRunner | None = None, fmt: str | None = None) -> ImportJob:
    """File > Import... and drag-and-drop: import on a worker, then show the summary.
    `fmt` None finds each file's format from its name and content."""
    job = ImportJob(parent, workbench, paths, runner=runner, fmt=fmt)
    if on_done is not None:
        job.finished.connect(on_done)
    job.start()
    return job


# --- export ------------------------------------------------------------------------------

def export_formats() -> dict:
    """Name -> app.exporting.Format (suffix, summary, folder), in the registry's order."""
    from app.exporting import REGISTRY  # noqa: PLC0415 (exporters load spaCy lazily anyway)
    return dict(REGISTRY)


class ExportDialog(QDialog):
    """File > Export...: format, where, which articles and spans; runs on a worker."""
    finished_export = Signal(object)     # ExportReport

    def __init__(self, parent: QWidget | None, workbench: Workbench, *,
                 runner: TaskRunner | None = None, annotators: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        self.store = store = workbench.store
        self.runner = runner if runner is not None else shared_runner()
        self.handle: TaskHandle | None = None
        self.progress: TaskProgressDialog | None = None
        self.report = None
        self._build(annotators if annotators is not None else store.stats()["annotators"])
        self.update_options()

    # --- building --------------------------------------------------------------------

    def _build(self, annotators: Sequence[str]) -> None:
        self.formats = export_formats()
        self.format = QComboBox()
        for name, fmt in self.formats.items():
            self.format.addItem(name)
            self.format.setItemData(self.format.count() - 1, fmt.summary,
                                    Qt.ItemDataRole.ToolTipRole)
        self.format.currentTextChanged.connect(self.update_options)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.output = QLineEdit()
        self.output.setPlaceholderText("file to write (a folder for a train/dev split)")
        self.choose = QPushButton("Choose...")
        self.choose.clicked.connect(self.choose_output)
        where = QHBoxLayout()
        where.addWidget(self.output)
        where.addWidget(self.choose)
        self.statuses = {s: QCheckBox(str(s).replace("_", " ")) for s in Status}
        status_row = QHBoxLayout()
        for box in self.statuses.values():
            box.setChecked(True)
            status_row.addWidget(box)
        self.annotator = QComboBox()
        self.annotator.addItem("All annotators", None)
        for name in annotators:
            self.annotator.addItem(name, name)
        self.include_suggestions = QCheckBox("Include suggestions (not yet accepted)")
        self.include_rejected = QCheckBox("Include rejected spans (as answer=reject records)")
        self.split = QCheckBox("Split into train and dev")
        self.split.toggled.connect(self.update_options)
        self.train_fraction = QDoubleSpinBox(minimum=0.05, maximum=0.95, singleStep=0.05,
                                             value=0.8, decimals=2)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.scheme = QComboBox()
        self.scheme.addItems(["iob2", "bilou"])
        split_row = QHBoxLayout()
        for widget in (self.split, QLabel("train fraction"), self.train_fraction,
                       QLabel("seed"), self.seed):
            split_row.addWidget(widget)
        self.result = details_box([])
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("", self.summary)
        form.addRow("Output", where)
        form.addRow("Articles", status_row)
        form.addRow("Spans by", self.annotator)
        form.addRow("", self.include_suggestions)
        form.addRow("Prodigy", self.include_rejected)
        form.addRow("spaCy", split_row)
        form.addRow("Tags (CoNLL, HF)", self.scheme)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)

    @Slot()
    def update_options(self) -> None:
        fmt = self.format.currentText()
        self.summary.setText(self.formats[fmt].summary)
        self.output.setPlaceholderText("a new or empty folder" if self.formats[fmt].folder else
                                       "file to write (a folder for a train/dev split)")
        self.include_rejected.setEnabled(fmt == "prodigy")
        self.scheme.setEnabled(fmt in ("conll", "hf"))
        spacy = fmt == "spacy"
        self.split.setEnabled(spacy)
        self.train_fraction.setEnabled(spacy and self.split.isChecked())
        self.seed.setEnabled(spacy and self.split.isChecked())

    @property
    def to_folder(self) -> bool:
        return self.split.isEnabled() and self.split.isChecked()

    @Slot()
    def choose_output(self) -> None:
        fmt = self.format.currentText()
        start = str(self.store.path.parent)
        if self.to_folder:
            path = QFileDialog.getExistingDirectory(self, "Export train and dev files into",
                                                    start)
        elif self.formats[fmt].folder:
            suggested = str(self.store.path.parent / f"{self.store.path.stem}-{fmt}")
            path, _ = QFileDialog.getSaveFileName(self, "Export into a new folder", suggested,
                                                  "Folder (*)")
        else:
            suffix = self.formats[fmt].suffix
            suggested = str(self.store.path.parent / f"{self.store.path.stem}-{fmt}{suffix}")
            path, _ = QFileDialog.getSaveFileName(self, "Export to", suggested,
                                                  f"{fmt} (*{suffix});;All files (*)")
        if path:
            self.output.setText(path)

    # --- running -----------------------------------------------------------------------

    def options(self) -> dict:
        """The keyword arguments of app.exporting.export this dialog stands for."""
        chosen = [s for s, box in self.statuses.items() if box.isChecked()]
        return dict(
            status=None if len(chosen) == len(Status) else chosen,
            annotator=self.annotator.currentData(),
            include_suggestions=self.include_suggestions.isChecked(),
            include_rejected=self.include_rejected.isEnabled() and self.include_rejected.isChecked(),
            split=self.train_fraction.value() if self.to_folder else None,
            seed=self.seed.value(), scheme=self.scheme.currentText())

    @Slot()
    def start_export(self) -> TaskHandle | None:
        fmt, out, options = self.format.currentText(), self.output.text().strip(), self.options()
        if not out:
            self.message.setText("Choose where to write the export first.")
            return None
        if options["status"] == []:
            self.message.setText("Tick at least one article status to export.")
            return None
        self.message.setText("")
        self.export_button.setEnabled(False)

        def work(store: Store, progress, cancel):
            from app.exporting import export  # noqa: PLC0415
            return export(store, fmt, out, progress=progress, cancel=cancel, **options)

        self.handle = self.runner.start(with_store(self.store.path, work, readonly=True),
                                        on_done=self._done, on_error=self._failed)
        self.progress = TaskProgressDialog(self.handle, self, title="Exporting",
                                           label=f"Exporting {fmt}...")
        return self.handle

    def reject(self) -> None:
        """Close; an export still running is cancelled (a cancelled export writes nothing)."""
        if self.handle is not None and self.handle.running:
            self.handle.cancel()
        super().reject()

    @Slot(object)
    def _done(self, report) -> None:
        self.report = report
        self.export_button.setEnabled(True)
        self.message.setText(export_summary(report))
        self.result.setPlainText("\n".join(report.problems))
        self.result.setVisible(bool(report.problems))
        self.finished_export.emit(report)

    @Slot(str)
    def _failed(self, line: str) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(line)


def export_summary(report) -> str:
    if report.cancelled:
        return "Export cancelled: nothing was written."
    outputs = ", ".join(str(p) for p in report.outputs)
    text = f"Exported {report.articles} article(s), {report.records} record(s) to {outputs}."
    if report.problems:
        text += (f" {len(report.problems)} span(s) could not be represented in "
                 f"{report.format} and were left out:")
    return text


# --- backup ------------------------------------------------------------------------------

def backup_name(path: Path) -> str:
    return f"{path.stem}-backup-{datetime.now():%Y%m%d-%H%M%S}{path.suffix or '.nmk'}"


def backup_project(parent: QWidget | None, store: Store, *, runner: TaskRunner | None = None,
                   on_done: Callable[[Path], None] | None = None) -> TaskHandle | None:
    """File > Back up...: a consistent copy of the project, made on a worker; None if cancelled."""
    dest, _ = QFileDialog.getSaveFileName(
        parent, "Back up the project to", str(store.path.parent / backup_name(store.path)),
        PROJECT_FILTER, options=QFileDialog.Option.DontConfirmOverwrite)
    if not dest:
        return None
    target = Path(dest) if Path(dest).suffix else Path(dest).with_suffix(".nmk")
    runner = runner if runner is not None else shared_runner()

    def done(path: Path) -> None:
        message_box(f"The project was copied to {path}.", title="Backup made", parent=parent,
                    icon=QMessageBox.Icon.Information)
        if on_done is not None:
            on_done(path)

    handle = runner.start(with_store(store.path, lambda s, _p, _c: s.backup(target), readonly=True),
                          on_done=done, on_error=lambda line: show_error(parent, line,
                                                                          title="Backup failed"))
    handle.dialog = TaskProgressDialog(handle, parent, title="Backing up",
                                       label=f"Copying to {target}...")
    return handle
