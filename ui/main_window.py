"""The main window: article list | article view | annotation panel, menus and status bar.

Every menu action is one call into the workbench (and through it into app/); the window
itself holds no annotation state.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter,
                               QStatusBar)

from app import __version__
from app.commands import SetStatus
from models.domain import Status
from ui.annotation_panel import AnnotationPanel
from ui.article_list import ArticleListPanel
from ui.article_view import VIEW_KEYS, ArticleView
from ui.workbench import Workbench


class MainWindow(QMainWindow):
    open_requested = Signal(str)        # path of a project to open instead of this one
    new_requested = Signal(str)         # path of a project to create and open

    def __init__(self, workbench: Workbench, *, settings=None, shortcuts=None,
                 tokenizer=None, runner=None) -> None:
        super().__init__()
        self.workbench = workbench
        self.settings = settings
        self.shortcuts = shortcuts
        self.runner = runner
        self.setWindowTitle(f"Newsmark — {workbench.store.path.name}")
        self.setAcceptDrops(True)
        self.article_list = ArticleListPanel(workbench)
        self.view = ArticleView(workbench, tokenizer=tokenizer)
        self.panel = AnnotationPanel(workbench)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.article_list, self.view, self.panel):
            splitter.addWidget(widget)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 6)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([330, 760, 380])
        self.setCentralWidget(splitter)
        self.splitter = splitter
        self._build_status_bar()
        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self._apply_view_keys()
        self._apply_view_settings()
        self._connect()
        self.resize(1400, 900)

    # --- building ------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = QStatusBar()
        self.position_label = QLabel()
        self.progress_label = QLabel()
        self.annotator_label = QLabel(f"annotator: {self.workbench.annotator}")
        self.save_label = QLabel("saved")
        self.save_label.setObjectName("saveState")
        for widget in (self.position_label, self.progress_label, self.annotator_label,
                       self.save_label):
            bar.addPermanentWidget(widget)
        self.setStatusBar(bar)

    def _action(self, key: str, text: str, slot, shortcut: str | list[str] | None = None,
                *, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        keys = self._keys_for(key, shortcut)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.actions[key] = action
        self.addAction(action)
        return action

    def _keys_for(self, key: str, default: str | list[str] | None) -> list[str]:
        if self.shortcuts is not None:
            keys = self.shortcuts.keys_for(key)
            if keys is not None:
                return list(keys)
        if default is None:
            return []
        return [default] if isinstance(default, str) else list(default)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file = menus.addMenu("&File")
        file.addAction(self._action("new", "&New project…", self.new_project, "Ctrl+N"))
        file.addAction(self._action("open", "&Open…", self.open_project, "Ctrl+O"))
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        file.addAction(self._action("import", "&Import…", self.import_files, "Ctrl+I"))
        file.addAction(self._action("export", "&Export…", self.export_files, "Ctrl+E"))
        file.addAction(self._action("backup", "&Backup…", self.backup, None))
        file.addAction(self._action("retry", "Retry &save", self.workbench.retry, None))
        file.addSeparator()
        file.addAction(self._action("quit", "&Quit", self.close, "Ctrl+Q"))

        edit = menus.addMenu("&Edit")
        edit.addAction(self._action("undo", "&Undo", self.undo, "Ctrl+Z"))
        edit.addAction(self._action("redo", "&Redo", self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"]))
        edit.addSeparator()
        edit.addAction(self._action("schema", "&Labels and claim schema…", self.edit_schema, None))
        edit.addAction(self._action("edit_shortcuts", "&Keyboard shortcuts…", self.show_shortcuts, None))

        view = menus.addMenu("&View")
        view.addAction(self._action("dark", "&Dark theme", self.toggle_theme, None, checkable=True))
        view.addAction(self._action("zoom_in", "&Larger text", lambda: self.zoom(1), "Ctrl++"))
        view.addAction(self._action("zoom_out", "&Smaller text", lambda: self.zoom(-1), "Ctrl+-"))

        annotate = menus.addMenu("&Annotate")
        annotate.addAction(self._action("done_next", "Mark &done and next", self.done_and_next,
                                        ["Ctrl+Return", "Ctrl+Enter"]))
        annotate.addAction(self._action("next_article", "&Next article", self.next_article, "Alt+Right"))
        annotate.addAction(self._action("previous_article", "&Previous article",
                                        self.previous_article, "Alt+Left"))
        annotate.addAction(self._action("skip", "S&kip article", lambda: self.set_status(Status.SKIPPED), None))
        annotate.addAction(self._action("reopen", "Mark in &progress",
                                        lambda: self.set_status(Status.IN_PROGRESS), None))
        annotate.addSeparator()
        suggest = annotate.addMenu("S&uggest")
        for spec, text in (("patterns", "with &patterns"), ("claims", "&claims, cues and hedges"),
                           ("occurrences", "labelled &texts wherever else they occur")):
            suggest.addAction(self._action(f"suggest_{spec}", f"{text} (this article)",
                                           lambda _=False, s=spec: self.suggest(s, whole_corpus=False)))
            suggest.addAction(self._action(f"suggest_{spec}_all", f"{text} (all articles)",
                                           lambda _=False, s=spec: self.suggest(s, whole_corpus=True)))
        suggest.addAction(self._action("suggest_pipeline", "with a spaCy pipeline or patterns file…",
                                       self.suggest_with_file))
        annotate.addAction(self._action("occurrences", "Label all &occurrences of this span",
                                        self.view.label_occurrences, None))
        annotate.addAction(self._action("occurrences_everywhere",
                                        "Label occurrences of this span in &all articles",
                                        self.occurrences_everywhere, "Ctrl+Shift+L"))
        annotate.addAction(self._action("train", "&Train a model…", self.train_model, None))
        annotate.addSeparator()
        annotate.addAction(self._action("search", "&Find articles", self.article_list.focus_search, "Ctrl+F"))
        annotate.addAction(self._action("focus_text", "Focus the &text", self.view.setFocus, "Ctrl+1"))

        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self._action("shortcuts_help", "&Keyboard shortcuts", self.show_shortcuts, "F1"))
        help_menu.addAction(self._action("about", "&About Newsmark", self.about, None))

    def _connect(self) -> None:
        wb = self.workbench
        wb.save_state_changed.connect(self._show_save_state)
        wb.error.connect(lambda message: self.statusBar().showMessage(message, 8000))
        wb.article_changed.connect(lambda _: self._update_status())
        wb.changed.connect(lambda *_: self._update_status())
        self.article_list.filter_changed.connect(self._update_status)
        self.panel.claimant_pick_requested.connect(self.view.set_claimant_picking)
        self.view.claimant_picking_changed.connect(self.panel.set_claimant_picking)

    # --- state shown ---------------------------------------------------------------------

    def _update_status(self) -> None:
        index, total = self.article_list.position()
        self.position_label.setText(f"article {index} of {total}" if index else f"{total} articles")
        counts = self.workbench.store.status_counts()
        done, all_ = counts[Status.DONE], sum(counts.values())
        self.progress_label.setText(f"done {done} / {all_}")
        self.actions["undo"].setText(f"&Undo {self.workbench.history.undo_text() or ''}".strip())
        self.actions["redo"].setText(f"&Redo {self.workbench.history.redo_text() or ''}".strip())

    def _show_save_state(self, state: str) -> None:
        self.save_label.setText(state if state == "saved" else "NOT SAVED")
        self.save_label.setToolTip(state)
        self.save_label.setStyleSheet("" if state == "saved" else "color: white; background: #c0392b;")

    def undo(self) -> None:
        self.panel.flush()          # a note being typed is saved (and undone) first
        self.workbench.undo()

    def redo(self) -> None:
        self.panel.flush()
        self.workbench.redo()

    # --- navigation ------------------------------------------------------------------------

    def next_article(self) -> None:
        self.article_list.next_article()
        self.view.setFocus()

    def previous_article(self) -> None:
        self.article_list.previous_article()
        self.view.setFocus()

    def set_status(self, status: Status) -> None:
        if self.workbench.article_id is not None:
            self.workbench.run(SetStatus(self.workbench.article_id, status), initiator=self)

    def done_and_next(self) -> None:
        if self.workbench.article_id is None:
            return
        if self.workbench.run(SetStatus(self.workbench.article_id, Status.DONE), initiator=self):
            self.next_article()

    def start(self) -> None:
        """Show the article where the annotator left off (or the first), text focused."""
        self.article_list.reload()
        self.workbench.show_article(self.workbench.last_article())
        self._update_status()
        self.view.setFocus()

    # --- suggestions ---------------------------------------------------------------

    def suggest(self, spec: str, *, whole_corpus: bool) -> None:
        from ui.suggest_actions import run_suggest
        run_suggest(self, self.workbench, spec, whole_corpus=whole_corpus, runner=self.runner,
                    on_done=lambda _: self.article_list.reload())

    def occurrences_everywhere(self) -> None:
        """Suggest the span at the caret wherever its text occurs, in every article."""
        from ui.suggest_actions import run_suggest
        span = self.view.span_at_caret()
        if span is None:
            self.workbench.error.emit("put the caret on a span first")
            return
        text = self.workbench.store.article(span.article_id).text
        phrases = {text[span.start:span.end]: span.label}
        run_suggest(self, self.workbench, "occurrences", whole_corpus=True, runner=self.runner,
                    phrases=phrases, on_done=lambda _: self.article_list.reload())

    def train_model(self) -> None:
        from ui.training_dialog import TrainingDialog
        dialog = TrainingDialog(self, self.workbench, runner=self.runner)
        dialog.open()

    def suggest_with_file(self) -> None:
        from ui.suggest_actions import ask_pipeline
        spec = ask_pipeline(self)
        if spec:
            self.suggest(spec, whole_corpus=False)

    # --- files -------------------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                              "Newsmark projects (*.nmk)")
        if path:
            self.new_requested.emit(path if path.endswith(".nmk") else path + ".nmk")

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
                                              "Newsmark projects (*.nmk);;All files (*)")
        if path:
            self.open_requested.emit(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects() if self.settings is not None else []
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self.open_requested.emit(p))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def import_files(self, paths: list[str] | None = None) -> None:
        from ui import io_dialogs
        fmt = None
        if not paths:
            paths = io_dialogs.ask_import_paths(self)
            fmt = io_dialogs.ImportDialog.chosen_format
        if paths:
            io_dialogs.run_import(self, self.workbench, paths, runner=self.runner,
                                  on_done=self._after_import, fmt=fmt)

    def _after_import(self, *_) -> None:
        self.article_list.reload()
        if self.workbench.article_id is None:
            self.workbench.show_article(self.workbench.last_article())
        else:           # an import may have changed it (claim attributes from a claims CSV)
            self.workbench.reload()
        self._update_status()

    def export_files(self) -> None:
        from ui import io_dialogs
        dialog = io_dialogs.ExportDialog(self, self.workbench, runner=self.runner)
        dialog.open()

    def backup(self) -> None:
        from ui import io_dialogs
        io_dialogs.backup_project(self, self.workbench.store)

    def edit_schema(self) -> None:
        from ui.schema_dialog import SchemaDialog
        dialog = SchemaDialog(self.workbench.store, parent=self, shortcuts=self.shortcuts)
        dialog.schema_changed.connect(self.workbench.schema_changed.emit)
        dialog.open()

    def show_shortcuts(self) -> None:
        from ui.shortcuts import ShortcutsDialog
        dialog = ShortcutsDialog(self.shortcuts, self.workbench.store, parent=self)
        dialog.saved.connect(self.apply_shortcuts)
        dialog.open()

    def apply_shortcuts(self) -> None:
        """Re-read the configured keys into every action (after the shortcuts dialog)."""
        for key, action in self.actions.items():
            keys = self.shortcuts.keys_for(key) if self.shortcuts is not None else None
            if keys is not None:
                action.setShortcuts([QKeySequence(k) for k in keys])
        self._apply_view_keys()

    def _apply_view_settings(self) -> None:
        if self.settings is None:
            return
        self.actions["dark"].setChecked(self.settings.theme() == "dark")
        size = self.settings.font_size()
        if size:
            font = self.view.font()
            font.setPointSize(int(size))
            self.view.set_text_font(font)

    def _apply_view_keys(self) -> None:
        bindings = {action: (self.shortcuts.keys_for(action) if self.shortcuts else None) or keys
                    for action, keys in VIEW_KEYS.items()}
        self.view.set_keys(bindings)

    def about(self) -> None:
        QMessageBox.about(self, "About Newsmark",
                          f"Newsmark {__version__}\nOffline annotation of entities and claims in news.")

    # --- view -----------------------------------------------------------------------------

    def toggle_theme(self, dark: bool) -> None:
        from PySide6.QtWidgets import QApplication

        from ui.theme import apply_theme
        apply_theme(QApplication.instance(), "dark" if dark else "light")
        if self.settings is not None:
            self.settings.set_theme("dark" if dark else "light")

    def zoom(self, step: int) -> None:
        font = self.view.font()
        font.setPointSize(max(8, min(32, font.pointSize() + step)))
        self.view.set_text_font(font)
        if self.settings is not None:
            self.settings.set_font_size(font.pointSize())

    # --- drag and drop, closing ------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.panel.flush()
        self.view.save_view_state()
        if self.settings is not None:
            self.settings.save_window(self)
        event.accept()
