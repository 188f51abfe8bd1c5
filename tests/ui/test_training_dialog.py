"""The training dialog: a real (small) training run, its live curve and the run history."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.app._training import fill
from ui.training_dialog import TrainingDialog
from ui.workers import SyncPool, TaskRunner


@pytest.mark.slow
def test_training_dialog_trains_shows_the_curve_and_keeps_the_run(qtbot, workbench, store):
    fill(store, 40)
    dialog = TrainingDialog(None, workbench, runner=TaskRunner(pool=SyncPool()))
    qtbot.addWidget(dialog)
    dialog.max_epochs.setValue(5)
    with qtbot.waitSignal(dialog.finished_run, timeout=120_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    run = done.args[0]
    assert run.model is not None and (run.model / "config.cfg").exists()
    assert len(dialog.curve.epochs) >= 1 and dialog.curve.points("entities")
    assert dialog.labels.rowCount() >= 1                  # per-label scores shown
    assert dialog.history.rowCount() == 1                 # the run is kept in the project
    assert dialog.suggest_button.isEnabled() and dialog.start_button.isEnabled()


def test_training_dialog_too_little_data_says_so(qtbot, workbench):
    dialog = TrainingDialog(None, workbench, runner=TaskRunner(pool=SyncPool()))
    qtbot.addWidget(dialog)
    dialog.start()
    assert "E050" in dialog.status.text() or "at least" in dialog.status.text()
    assert dialog.start_button.isEnabled() and not dialog.suggest_button.isEnabled()
