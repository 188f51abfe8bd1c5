"""A progress dialog bound to one running task.

It appears only if the task takes longer than `delay_ms` (300 ms), is determinate once a
report gives a total, and its Cancel button asks the task to stop (what was committed
stays). The GUI thread is never blocked: the task runs on the pool, reports arrive by
queued signals, and the dialog is window-modal, never `exec()`-ed.

QProgressDialog.setValue() runs processEvents() when the dialog is modal, which would
re-enter our slots; so the bar is updated directly and showing is our own timer. Qt's own
(minimumDuration, 4 s from construction) is stopped at once: it used to show a finished
import's dialog at 100%, 4 s after the work had ended, where it stayed.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QWidget

from app.progress import Progress
from ui.workers import TaskHandle

SCALE = 1000        # QProgressBar holds an int; byte counts can pass 2**31


class TaskProgressDialog(QProgressDialog):
    def __init__(self, handle: TaskHandle, parent: QWidget | None = None, *,
                 title: str = "Working", label: str = "", delay_ms: int = 300) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.reset()                                # stops Qt's show timer: ours decides
        self.handle = handle
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoReset(False)
        self.setAutoClose(True)
        self.setMinimumWidth(420)
        self.progress_bar = QProgressBar()
        self.setBar(self.progress_bar)
        self.progress_bar.setRange(0, 0)            # busy until a total is known
        self.cancel_button = QPushButton("Cancel")
        self.setCancelButton(self.cancel_button)
        self.canceled.disconnect(self.cancel)       # stay up, saying "cancelling", until it ends
        self.canceled.connect(self._cancel_task)
        self.show_timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.show_timer.timeout.connect(self._show_if_running)
        handle.progress.connect(self.show_progress)
        handle.ended.connect(self._end)
        if handle.running:
            self.show_timer.start()

    @Slot(object)
    def show_progress(self, progress: Progress) -> None:
        if progress.message and not self.handle.cancel_requested:
            self.setLabelText(progress.message)
        if progress.total:
            self.progress_bar.setRange(0, SCALE)
            self.progress_bar.setValue(min(SCALE, progress.done * SCALE // progress.total))
        else:
            self.progress_bar.setRange(0, 0)

    @property
    def determinate(self) -> bool:
        return self.progress_bar.maximum() > 0

    @Slot()
    def _show_if_running(self) -> None:
        if self.handle.running:
            self.show()

    @Slot()
    def _cancel_task(self) -> None:
        if not self.handle.running:
            return
        self.handle.cancel()
        self.setLabelText("Cancelling: finishing the current batch...")
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:          # Escape: same as Cancel, and the dialog stays up
        if self.handle.running:
            self.canceled.emit()
        else:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.handle.running:
            event.ignore()
            self.canceled.emit()
        else:
            super().closeEvent(event)

    @Slot()
    def _end(self) -> None:
        self.show_timer.stop()
        self.hide()
