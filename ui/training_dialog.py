"""Annotate > Train a model: live learning curve, per-label scores, cancel, past runs.

Training runs in a separate process (app/training); this dialog starts it from a worker
thread and receives each evaluation through a queued signal, so the window never waits.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from app.training import DEFAULT_MAX_EPOCHS, EpochScores, TrainingRun, new_output_dir
from app.training.service import TrainJob, train_in_process
from models import training_store
from ui.workbench import Workbench
from ui.workers import TaskHandle, TaskRunner, shared_runner

CURVES = (("entities", QColor("#3b82f6")), ("claims", QColor("#e67e22")))


class EpochRelay(QObject):
    """Carries evaluations from the training worker thread to the GUI thread (queued)."""
    arrived = Signal(object)


class LearningCurve(QWidget):
    """F-score per evaluation for entities and claims, 0-100%."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.epochs: list[EpochScores] = []
        self.setMinimumHeight(160)

    def add(self, epoch: EpochScores) -> None:
        self.epochs.append(epoch)
        self.update()

    def points(self, name: str) -> list[QPointF]:
        rect = self.rect().adjusted(36, 10, -10, -20)
        n = max(len(self.epochs) - 1, 1)
        out = []
        for i, e in enumerate(self.epochs):
            scores = getattr(e, name)
            if scores is not None:
                out.append(QPointF(rect.left() + rect.width() * i / n,
                                   rect.bottom() - rect.height() * scores.f))
        return out

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(36, 10, -10, -20)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(rect)
        for frac in (0.0, 0.5, 1.0):
            y = rect.bottom() - rect.height() * frac
            painter.drawText(2, int(y) + 4, f"{frac:.0%}")
        for name, colour in CURVES:
            points = self.points(name)
            painter.setPen(QPen(colour, 2))
            if len(points) > 1:
                painter.drawPolyline(points)
            for p in points:
                painter.drawEllipse(p, 2.5, 2.5)
        painter.setPen(self.palette().text().color())
        painter.drawText(rect.left(), self.height() - 4, "F on dev per evaluation:  "
                         "blue entities, orange claims")
        painter.end()


class TrainingDialog(QDialog):
    finished_run = Signal(object)          # TrainingRun

    def __init__(self, parent: QWidget | None, workbench: Workbench, *,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a model")
        self.workbench = workbench
        self.runner = runner if runner is not None else shared_runner()
        self.handle: TaskHandle | None = None
        self.run: TrainingRun | None = None
        self.relay = EpochRelay(self)
        self.relay.arrived.connect(self._on_epoch)
        self._build()
        self._fill_history()

    def _build(self) -> None:
        self.unfinished = QCheckBox("also articles in progress (not only done ones)")
        self.max_epochs = QSpinBox(minimum=1, maximum=200, value=DEFAULT_MAX_EPOCHS)
        form = QFormLayout()
        form.addRow("Train on", self.unfinished)
        form.addRow("At most epochs", self.max_epochs)
        self.status = QLabel("Trains ner (and spancat for claims) on the accepted spans of "
                             "finished articles, offline, in a separate process.")
        self.status.setWordWrap(True)
        self.curve = LearningCurve()
        self.labels = QTableWidget(0, 4)
        self.labels.setHorizontalHeaderLabels(["Label", "P", "R", "F"])
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(["Started", "Status", "Articles", "Best score"])
        for table in (self.labels, self.history):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.start_button = QPushButton("Start training")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.suggest_button = QPushButton("Suggest with this model")
        self.suggest_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.suggest_button.clicked.connect(self.suggest_with_model)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.cancel_button, self.suggest_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.curve)
        layout.addWidget(QLabel("Per label (best evaluation so far)"))
        layout.addWidget(self.labels)
        layout.addWidget(QLabel("Past runs: the learning curve as the corpus grows"))
        layout.addWidget(self.history)
        layout.addLayout(buttons)
        self.resize(620, 720)

    # --- running ------------------------------------------------------------------------

    def start(self) -> None:
        path = self.workbench.store.path
        out = new_output_dir(path)
        unfinished, epochs, relay = self.unfinished.isChecked(), self.max_epochs.value(), self.relay

        job = TrainJob(str(path), str(out), include_unfinished=unfinished, max_epochs=epochs)

        def work(progress, cancel) -> TrainingRun:      # all of it in its own process
            return train_in_process(job, progress=progress, on_epoch=relay.arrived.emit,
                                    cancel=cancel)

        self.curve.epochs.clear()
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(f"preparing data… (model goes to {out})")
        self.handle = self.runner.start(work, on_done=self._done, on_error=self._failed,
                                        on_progress=lambda p: self.status.setText(p.message))

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.status.setText("stopping after the current step; the best model so far is kept…")

    def _on_epoch(self, epoch: EpochScores) -> None:
        self.curve.add(epoch)
        if epoch.best:
            self._show_labels(epoch)

    def _show_labels(self, epoch: EpochScores) -> None:
        rows = sorted(epoch.per_label.items())
        self.labels.setRowCount(len(rows))
        for i, (label, s) in enumerate(rows):
            for j, text in enumerate((label, f"{s.p:.0%}", f"{s.r:.0%}", f"{s.f:.0%}")):
                self.labels.setItem(i, j, QTableWidgetItem(text))

    def _done(self, run: TrainingRun) -> None:
        self.run = run
        best = run.best.summary() if run.best else "no evaluation finished"
        self.status.setText(f"{run.status} in {run.seconds:.0f} s on {run.train_articles} "
                            f"articles; best {best}")
        self._finish(bool(run.model))
        self.finished_run.emit(run)

    def _failed(self, line: str) -> None:
        self.status.setText(line)
        self._finish(False)

    def _finish(self, have_model: bool) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.suggest_button.setEnabled(have_model)
        self._fill_history()

    def suggest_with_model(self) -> None:
        from ui.suggest_actions import run_suggest
        if self.run is not None and self.run.model is not None:
            run_suggest(self.parentWidget(), self.workbench, str(self.run.output_dir),
                        whole_corpus=False, runner=self.runner)

    def _fill_history(self) -> None:
        records = training_store.runs(self.workbench.store)
        self.history.setRowCount(len(records))
        for i, r in enumerate(records):
            score = "-" if r.score is None else f"{r.score:.0%}"
            for j, text in enumerate((r.started[:16].replace("T", " "), r.status,
                                      str(r.articles), score)):
                self.history.setItem(i, j, QTableWidgetItem(text))

    def reject(self) -> None:  # noqa: D102 (closing cancels a running training)
        if self.handle is not None and self.handle.running:
            self.handle.cancel()
        super().reject()
