"""What the app remembers between runs, per user (not per project): QSettings behind names.

    settings = AppSettings()                                     # the user's real settings
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
"""
from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QWidget

from ui.shortcuts import ShortcutSettings

MAX_RECENT = 10
THEMES = ("light", "dark")
FONT_SIZES = range(6, 49)


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings("Newsmark", "newsmark")
        self.shortcuts = ShortcutSettings(self.qsettings)

    def _text(self, key: str) -> str:
        value = self.qsettings.value(key, "")
        return value if isinstance(value, str) else ""

    def sync(self) -> None:
        self.qsettings.sync()

    # --- who is annotating -----------------------------------------------------------------

    def annotator(self) -> str:
        return self._text("annotator").strip()

    def set_annotator(self, name: str) -> None:
        self.qsettings.setValue("annotator", name.strip())

    # --- recent projects -------------------------------------------------------------------

    def recent_projects(self) -> list[str]:
        """Absolute paths, most recent first, at most ten, only files that still exist."""
        value = self.qsettings.value("recent_projects", [], type=list) or []
        paths = [p for p in value if isinstance(p, str) and p]
        return [p for p in paths if Path(p).is_file()][:MAX_RECENT]

    def add_recent_project(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        self._set_recent([path, *(p for p in self.recent_projects() if p != path)])

    def remove_recent_project(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        self._set_recent([p for p in self.recent_projects() if p != path])

    def _set_recent(self, paths: list[str]) -> None:
        self.qsettings.setValue("recent_projects", paths[:MAX_RECENT])

    # --- the main window ---------------------------------------------------------------------

    def save_window(self, window: QMainWindow) -> None:
        self.qsettings.setValue("window/geometry", window.saveGeometry())
        self.qsettings.setValue("window/state", window.saveState())

    def restore_window(self, window: QMainWindow) -> bool:
        """Put the window back where it was; False when nothing was saved yet."""
        geometry, state = self._bytes("window/geometry"), self._bytes("window/state")
        restored = bool(geometry) and window.restoreGeometry(geometry)
        if state:
            window.restoreState(state)
        return restored

    def _bytes(self, key: str) -> QByteArray:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    # --- look --------------------------------------------------------------------------------

    def theme(self) -> str:
        """The theme name, "light" or "dark" (a hand-edited unknown value reads as light)."""
        value = self._text("theme")
        return value if value in THEMES else "light"

    def set_theme(self, name: str) -> None:
        if name not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {name!r}")
        self.qsettings.setValue("theme", name)

    def font_size(self) -> int | None:
        """Point size of the article text and lists; None means the system's."""
        try:
            size = int(self.qsettings.value("font_size", 0))
        except (TypeError, ValueError):
            return None
        return size if size in FONT_SIZES else None

    def set_font_size(self, size: int | None) -> None:
        if size is None:
            self.qsettings.remove("font_size")
        else:
            self.qsettings.setValue("font_size", min(max(int(size), FONT_SIZES.start),
                                                     FONT_SIZES.stop - 1))

    # --- keys ----------------------------------------------------------------------------------

    def shortcut_overrides(self) -> dict[str, list[str]]:
        return self.shortcuts.overrides()


def login_name() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):
        return "annotator"


def ask_annotator(parent: QWidget | None, settings: AppSettings, *,
                  environ: Mapping[str, str] | None = None) -> str:
    """The annotator's name: $NEWSMARK_ANNOTATOR, else the saved one, else asked once.

    Cancelling the question uses the login name for this run and asks again next time.
    """
    environ = os.environ if environ is None else environ
    if environ.get("NEWSMARK_ANNOTATOR", "").strip():
        return environ["NEWSMARK_ANNOTATOR"].strip()
    if settings.annotator():
        return settings.annotator()
    name, ok = QInputDialog.getText(
        parent, "Who is annotating?",
        "Your name or initials, recorded with every annotation you make:",
        QLineEdit.EchoMode.Normal, login_name())
    if ok and name.strip():
        settings.set_annotator(name)
        return settings.annotator()
    return login_name()
