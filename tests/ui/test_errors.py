"""An exception in a slot is logged in full and shown to the annotator in one line."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from models.errors import SaveFailed
from ui.errors import install_excepthook, one_line


@pytest.fixture
def hook(tmp_path):
    shown: list[str] = []
    hook = install_excepthook(show=shown.append, log_path=tmp_path / "logs" / "newsmark.log")
    yield hook
    hook.uninstall()


def click_raising(qtbot, exc: BaseException) -> None:
    button = QPushButton("save")
    qtbot.addWidget(button)

    def slot() -> None:
        raise exc

    button.clicked.connect(slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.qt_no_exception_capture
def test_errors_slot_exception_is_logged_and_shown_in_one_line(qtbot, hook):
    click_raising(qtbot, ZeroDivisionError("division by zero"))
    assert len(hook.shown) == 1
    assert hook.shown[0].startswith("internal error: ZeroDivisionError: division by zero")
    log = hook.log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "in slot" in log and "ZeroDivisionError: division by zero" in log


@pytest.mark.qt_no_exception_capture
def test_errors_newsmark_error_is_shown_as_its_own_message(qtbot, hook):
    exc = SaveFailed("p.nmk", reason="disk I/O error")
    click_raising(qtbot, exc)
    assert hook.shown == [str(exc)]
    assert hook.shown[0].startswith("error E007: could not save to p.nmk")
    assert "SaveFailed" in hook.log_path.read_text(encoding="utf-8")


def test_errors_uninstall_restores_the_previous_hook(tmp_path):
    before = sys.excepthook
    hook = install_excepthook(show=lambda line: None, log_path=tmp_path / "n.log")
    assert sys.excepthook is hook
    hook.uninstall()
    assert sys.excepthook is before


def test_errors_keyboard_interrupt_goes_to_the_previous_hook(hook, monkeypatch):
    passed = []
    monkeypatch.setattr(hook, "previous", lambda *args: passed.append(args[0]))
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert passed == [KeyboardInterrupt] and hook.shown == []


@pytest.mark.parametrize("exc, line", [
    (ValueError("bad\nvalue"), "internal error: ValueError: bad value (the log has the details)"),
    (RuntimeError(), "internal error: RuntimeError: no details (the log has the details)"),
])
def test_errors_one_line_never_spans_lines(exc, line):
    assert one_line(exc) == line


def visible_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def test_errors_default_show_is_one_non_blocking_box(qtbot, tmp_path):
    hook = install_excepthook(log_path=tmp_path / "n.log")
    try:
        hook(RuntimeError, RuntimeError("boom"), None)      # returns: open(), not exec()
        hook(RuntimeError, RuntimeError("again"), None)
    finally:
        hook.uninstall()
    boxes = visible_boxes()
    assert len(boxes) == 1 and "RuntimeError: again" in boxes[0].text()
    qtbot.mouseClick(boxes[0].button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: visible_boxes() == [])
