"""Starting the window: checks, the application object, the project, a clean shutdown."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from models.errors import NewsmarkError


def check_platform() -> str | None:
    """One line saying why no window can open here, or None."""
    from ui.platform_check import gui_problem
    return gui_problem()


def token_offsets(text: str) -> list[tuple[int, int]]:
    """spaCy's tokens of a text, whitespace tokens left out (runs in a worker)."""
    from app.tokens import token_bounds, tokenize_one
    bounds = token_bounds(tokenize_one(text), skip_space=True)
    return list(zip(bounds.starts, bounds.ends))


class Launcher:
    """Owns the application-wide pieces and the one window on the current project."""

    def __init__(self, app, settings, shortcuts, runner) -> None:
        self.app = app
        self.settings = settings
        self.shortcuts = shortcuts
        self.runner = runner
        self.window = None
        self.store = None

    def tokenizer(self, text: str, done) -> None:
        self.runner.start(lambda progress, cancel: token_offsets(text), on_done=done)

    def open(self, path: str | Path, *, create: bool = False) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from app.project import create_project, open_project
        from ui.main_window import MainWindow
        from ui.settings import ask_annotator
        from ui.workbench import Workbench
        try:
            store = create_project(path) if create else open_project(path)
        except NewsmarkError as exc:
            QMessageBox.critical(self.window, "Newsmark", str(exc))
            return False
        annotator = ask_annotator(self.window, self.settings)
        workbench = Workbench(store, annotator=annotator)
        window = MainWindow(workbench, settings=self.settings, shortcuts=self.shortcuts,
                            tokenizer=self.tokenizer, runner=self.runner)
        window.open_requested.connect(lambda p: self.open(p))
        window.new_requested.connect(lambda p: self.open(p, create=True))
        self.settings.add_recent_project(str(Path(path).resolve()))
        self.settings.restore_window(window)
        old, old_store = self.window, self.store
        self.window, self.store = window, store
        window.show()
        window.activateWindow()      # keyboard shortcuts need an active window (no WM: Xvfb)
        window.start()
        if old is not None:
            old.close()
            old.deleteLater()
        if old_store is not None:
            old_store.close()
        return True

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.close()
        if self.store is not None:
            self.store.close()


def run_gui(project: str | None, *, on_ready=None) -> int:
    """Open the window on `project` (or the most recent one) and run until it closes.

    `on_ready` is called once the window is shown and the event loop turns (benchmarks).
    """
    problem = check_platform()
    if problem:
        print(f"newsmark: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QSettings, QThreadPool, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QFileDialog

    from app.resources import resource_path
    from ui.errors import install_excepthook
    from ui.ready import quit_when_ready
    from ui.settings import AppSettings
    from ui.shortcuts import ShortcutSettings
    from ui.theme import apply_theme
    from ui.workers import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Newsmark")
    app.setOrganizationName("Newsmark")
    app.setDesktopFileName("newsmark")      # matches the .desktop entry the .deb installs
    app.setWindowIcon(QIcon(str(resource_path("icons", "newsmark.png"))))
    install_excepthook()
    qsettings = QSettings()
    settings = AppSettings(qsettings)
    apply_theme(app, settings.theme())
    launcher = Launcher(app, settings, ShortcutSettings(qsettings),
                        TaskRunner(pool=QThreadPool.globalInstance()))
    # SIGTERM (logout, `kill`) closes like the Quit menu; the timer lets Python see it.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    ticker = QTimer(interval=250)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    app.aboutToQuit.connect(launcher.shutdown)
    if project is None:
        recent = settings.recent_projects()
        project = recent[0] if recent else None
    if project is None:
        project, _ = QFileDialog.getOpenFileName(None, "Open a Newsmark project", os.getcwd(),
                                                 "Newsmark projects (*.nmk)")
    if not project or not launcher.open(project):
        return 2
    on_ready = on_ready or quit_when_ready(app)
    if on_ready is not None:
        QTimer.singleShot(0, on_ready)
    return app.exec()
