"""No error goes unnoticed: uncaught exceptions are logged in full and shown in one line.

PySide6 prints an exception raised in a slot and carries on, so a failed save could pass
unseen. `install_excepthook()` replaces `sys.excepthook` (which PySide6 calls for them):
the traceback goes to the log file, the annotator sees one line. A NewsmarkError is shown
as its own message (it already says what to do); anything else as "internal error: ...".

    hook = install_excepthook()          # in run_gui, after QApplication exists
    ...
    hook.uninstall()                     # tests; puts the previous hook back
"""
from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from models.errors import NewsmarkError

log = logging.getLogger("newsmark")


def log_file() -> Path:
    return user_log_path("newsmark", appauthor=False) / "newsmark.log"


def one_line(exc: BaseException) -> str:
    """What the annotator reads about `exc`: one line, never a traceback."""
    if isinstance(exc, NewsmarkError):
        return str(exc)
    text = " ".join(str(exc).split()) or "no details"
    return f"internal error: {type(exc).__name__}: {text} (the log has the details)"


def add_log_file(path: Path | None = None) -> logging.Handler:
    """Send every logger (ui/, app/, workers' tracebacks) at WARNING and up to the log file."""
    path = Path(path) if path is not None else log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return handler


_kept: set[QDialog] = set()


def keep_until_closed(dialog: QDialog) -> QDialog:
    """A dialog without a parent is Python's to delete: keep it until it is closed."""
    _kept.add(dialog)
    dialog.finished.connect(lambda *_: _kept.discard(dialog))
    return dialog


def message_box(line: str, *, title: str = "Newsmark", parent: QWidget | None = None,
                icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """A non-blocking message box (open(), not exec()) that deletes itself when closed."""
    box = QMessageBox(icon, title, line, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    keep_until_closed(box)
    box.open()
    return box


_error_box: QMessageBox | None = None


def show_message_box(line: str) -> None:
    """The hook's default `show`: one error box at a time, showing the latest line."""
    global _error_box  # noqa: PLW0603 (the one box on screen)
    if QApplication.instance() is None:
        print(f"newsmark: {line}", file=sys.stderr)
        return
    if _error_box is not None and _error_box in _kept and _error_box.isVisible():
        _error_box.setText(line)
        return
    _error_box = message_box(line, parent=QApplication.activeWindow())


class ExceptHook:
    """sys.excepthook that logs the traceback and shows one line; Ctrl+C still quits."""

    def __init__(self, *, show: Callable[[str], None], handler: logging.FileHandler) -> None:
        self.show = show
        self.handler = handler
        self.log_path = Path(handler.baseFilename)
        self.previous = sys.excepthook
        self.shown: list[str] = []          # every line shown, for tests and the status bar

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        self._write(exc_type, exc, tb)
        line = one_line(exc)
        self.shown.append(line)
        try:
            self.show(line)
        except Exception:  # noqa: BLE001 (showing must never raise from the hook)
            log.exception("could not show an error")

    def _write(self, exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("uncaught exception\n%s", text.rstrip())
        self.handler.flush()

    def uninstall(self) -> None:
        """Put the previous hook back and stop writing to the log file."""
        if sys.excepthook is self:
            sys.excepthook = self.previous
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()


def install_excepthook(*, show: Callable[[str], None] | None = None,
                       log_path: str | Path | None = None) -> ExceptHook:
    """Replace sys.excepthook; `show` defaults to a non-blocking QMessageBox."""
    handler = add_log_file(Path(log_path) if log_path is not None else None)
    hook = ExceptHook(show=show or show_message_box, handler=handler)
    sys.excepthook = hook
    return hook
