"""Start the real application on a project and type keys into it, from inside (offscreen).

    python tests/_drive_app.py PROJECT KEY...      (KEY in xdotool's names: Right, ctrl+shift+Left, 1)

Used by the end-to-end test when no X server with xdotool is at hand: the application is
the same (`ui.main.run_gui`), only the keys come from QTest instead of the X server.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.main import run_gui  # noqa: E402

MODIFIERS = {"ctrl": Qt.KeyboardModifier.ControlModifier, "shift": Qt.KeyboardModifier.ShiftModifier,
             "alt": Qt.KeyboardModifier.AltModifier}


def qt_key(name: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    *mods, key = name.split("+")
    modifiers = Qt.KeyboardModifier.NoModifier
    for m in mods:
        modifiers |= MODIFIERS[m]
    return getattr(Qt.Key, f"Key_{key}"), modifiers


def type_keys(keys: list[str]) -> None:
    for name in keys:
        key, modifiers = qt_key(name)
        QTest.keyClick(QApplication.focusWidget(), key, modifiers)
        QApplication.processEvents()


if __name__ == "__main__":
    project, keys = sys.argv[1], sys.argv[2:]
    sys.exit(run_gui(project, on_ready=lambda: QTimer.singleShot(300, lambda: type_keys(keys))))
