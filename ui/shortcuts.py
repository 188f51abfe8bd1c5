"""The keyboard: every configurable action with its default keys, the user's overrides, F1.

    shortcuts = ShortcutSettings(qsettings)
    action.setShortcuts(shortcuts.sequences("undo"))

Label hotkeys (1-9, 0, c, k, h in the default schema) belong to the project's schema, not
to QSettings; the F1 dialog lists them with the actions and saves their changes through
`store.save_label` (schema edits are not part of undo). Keys are compared in Qt's portable
text ("Ctrl+Shift+Z"); a key used twice is a conflict, except an action and the label it
applies (C is both "Claim" and the CLAIM label's hotkey).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QKeySequenceEdit, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from models.domain import Label, Schema
from models.errors import NewsmarkError
from models.store import Store

# action id -> (menu text, default keys); the main window builds its QActions from this.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "undo": ("Undo", ("Ctrl+Z",)),
    "redo": ("Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    "done_next": ("Mark done and go to next", ("Ctrl+Return",)),
    "next_article": ("Next article", ("Alt+Right",)),
    "previous_article": ("Previous article", ("Alt+Left",)),
    "search": ("Search articles", ("Ctrl+F",)),
    "shortcuts_help": ("Keyboard shortcuts", ("F1",)),
    "import": ("Import...", ("Ctrl+I",)),
    "export": ("Export...", ("Ctrl+E",)),
    "open": ("Open project...", ("Ctrl+O",)),
    "quit": ("Quit", ("Ctrl+Q",)),
    "zoom_in": ("Zoom in", ("Ctrl++", "Ctrl+=")),
    "zoom_out": ("Zoom out", ("Ctrl+-",)),
    "delete_span": ("Delete span", ("Delete",)),
    "accept": ("Accept suggestion", ("A",)),
    "reject": ("Reject suggestion", ("X",)),
    "accept_all": ("Accept all suggestions", ("Shift+A",)),
    "next_suggestion": ("Next suggestion", ("Tab",)),
    "previous_suggestion": ("Previous suggestion", ("Shift+Tab",)),
    "claim": ("Mark claim", ("C",)),
    "cue": ("Mark reporting cue", ("K",)),
    "claimant": ("Set claimant of the claim", ("W",)),
    "escape": ("Cancel selection / stop editing", ("Esc",)),
    "occurrences": ("Label all occurrences of the span in this article", ("Ctrl+L",)),
    "occurrences_everywhere": ("Label occurrences of the span in all articles",
                               ("Ctrl+Shift+L",)),
}

# Actions that apply a label: sharing a key with that label's hotkey is no conflict.
LABEL_OF_ACTION = {"claim": "CLAIM", "cue": "CUE"}

GROUP = "shortcuts"
MAX_KEYS = 2        # a primary and an alternative sequence per action


def key_text(keys: str | QKeySequence | None) -> str:
    """One key sequence in Qt's portable text ("Ctrl+Shift+Z"); "" for none."""
    if keys is None:
        return ""
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def label_keys(schema: Schema) -> dict[str, str]:
    """Label name -> its hotkey in portable text, for labels that have one."""
    return {lab.name: key_text(lab.hotkey) for lab in schema.labels if lab.hotkey}


def conflicts(actions: Mapping[str, Iterable[str]],
              labels: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Key -> the rows using it, for every key used by more than one row.

    Rows are action ids and "label:NAME". An action and the label it applies may share.
    """
    users: dict[str, list[str]] = {}
    for action_id, keys in actions.items():
        for key in {key_text(k) for k in keys if k}:
            users.setdefault(key, []).append(action_id)
    for name, key in (labels or {}).items():
        if key:
            users.setdefault(key_text(key), []).append(f"label:{name}")
    return {key: rows for key, rows in users.items() if len(_meanings(rows)) > 1}


def _meanings(rows: list[str]) -> set[str]:
    return {f"label:{LABEL_OF_ACTION[r]}" if r in LABEL_OF_ACTION else r for r in rows}


class ShortcutSettings:
    """The user's key overrides, kept in QSettings group "shortcuts" (id -> "K1; K2")."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def defaults(self, action_id: str) -> list[str]:
        return [key_text(k) for k in ACTIONS[action_id][1]]

    def keys(self, action_id: str) -> list[str]:
        override = self.overrides().get(action_id)
        return override if override is not None else self.defaults(action_id)

    def keys_for(self, action_id: str) -> list[str] | None:
        """The keys of a catalogue action; None for an action the catalogue does not know."""
        return self.keys(action_id) if action_id in ACTIONS else None

    def sequences(self, action_id: str) -> list[QKeySequence]:
        return [QKeySequence(k) for k in self.keys(action_id)]

    def bindings(self) -> dict[str, list[str]]:
        return {action_id: self.keys(action_id) for action_id in ACTIONS}

    def overrides(self) -> dict[str, list[str]]:
        self.settings.beginGroup(GROUP)
        try:
            stored = {k: str(self.settings.value(k, "")) for k in self.settings.childKeys()}
        finally:
            self.settings.endGroup()
        return {k: [key_text(s) for s in v.split("; ") if s] for k, v in stored.items()
                if k in ACTIONS}

    def set_keys(self, action_id: str, keys: Iterable[str]) -> None:
        """Override an action's keys; the defaults again remove the override."""
        wanted = [t for t in dict.fromkeys(key_text(k) for k in keys) if t]
        name = f"{GROUP}/{action_id}"
        if wanted == self.defaults(action_id):
            self.settings.remove(name)
        else:
            self.settings.setValue(name, "; ".join(wanted))

    def reset(self) -> None:
        self.settings.remove(GROUP)


def _item(text: str, *, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ShortcutsDialog(QDialog):
    """F1: every action and label hotkey with its keys, editable, conflicts flagged.

    `source` gives the label hotkeys: a Store (they can be edited and are saved to its
    schema) or a Schema (shown, not editable).
    """
    saved = Signal()

    def __init__(self, shortcuts: ShortcutSettings, source: Store | Schema | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = shortcuts
        self.store = source if isinstance(source, Store) else None
        schema = source.schema() if isinstance(source, Store) else source
        self.labels: list[Label] = list(schema.labels) if schema is not None else []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "Alternative"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.edits: dict[str, list[QKeySequenceEdit]] = {}   # row id -> its key edits
        self.row_of: dict[str, int] = {}
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.reset_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.reset_button.setText("Reset to defaults")
        self.reset_button.clicked.connect(self.reset_to_defaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel("Label hotkeys belong to the project's schema; changing them is not "
                      "part of undo." if self.store is not None else
                      "Label hotkeys belong to the project's schema: change them in "
                      "Labels and claim schema.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.table, self.warning, note, buttons):
            layout.addWidget(widget)
        self._fill()
        self.resize(560, 640)

    # --- building --------------------------------------------------------------------

    def _fill(self) -> None:
        for action_id, (text, _) in ACTIONS.items():
            self._add_row(action_id, text.replace("...", ""), self.shortcuts.keys(action_id),
                          MAX_KEYS)
        for lab in self.labels:
            self._add_row(f"label:{lab.name}", f"Label {lab.name} ({lab.layer})",
                          [key_text(lab.hotkey)] if lab.hotkey else [], 1)
            self.edits[f"label:{lab.name}"][0].setEnabled(self.store is not None)
        self.table.resizeColumnsToContents()
        self.flag_conflicts()

    def _add_row(self, row_id: str, text: str, keys: list[str], count: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.row_of[row_id] = row
        self.table.setItem(row, 0, _item(text))
        self.edits[row_id] = []
        for column in range(count):
            edit = QKeySequenceEdit(QKeySequence(keys[column] if column < len(keys) else ""))
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            edit.keySequenceChanged.connect(self.flag_conflicts)
            self.table.setCellWidget(row, column + 1, edit)
            self.edits[row_id].append(edit)

    # --- reading the table -------------------------------------------------------------

    def keys_of(self, row_id: str) -> list[str]:
        return [t for t in (key_text(e.keySequence()) for e in self.edits[row_id]) if t]

    def action_keys(self) -> dict[str, list[str]]:
        return {action_id: self.keys_of(action_id) for action_id in ACTIONS}

    def label_keys(self) -> dict[str, str]:
        return {lab.name: (self.keys_of(f"label:{lab.name}") or [""])[0] for lab in self.labels}

    def conflicts(self) -> dict[str, list[str]]:
        return conflicts(self.action_keys(), self.label_keys())

    @Slot()
    def flag_conflicts(self) -> dict[str, list[str]]:
        found = self.conflicts()
        flagged = {row_id for rows in found.values() for row_id in rows}
        for row_id, row in self.row_of.items():
            item = self.table.item(row, 0)
            item.setBackground(QBrush(QColor("#f4b6b6")) if row_id in flagged else QBrush())
            item.setToolTip("this key is used twice" if row_id in flagged else "")
        self.warning.setText("" if not found else "Conflicts (fix them to save): " + "; ".join(
            f"{key}: {', '.join(self._name(r) for r in rows)}" for key, rows in found.items()))
        self.save_button.setEnabled(not found)
        return found

    def _name(self, row_id: str) -> str:
        return self.table.item(self.row_of[row_id], 0).text()

    # --- actions -------------------------------------------------------------------------

    @Slot()
    def reset_to_defaults(self) -> None:
        """Every action back to its default keys (label hotkeys are the schema's; kept)."""
        for action_id in ACTIONS:
            defaults = self.shortcuts.defaults(action_id)
            for column, edit in enumerate(self.edits[action_id]):
                edit.setKeySequence(QKeySequence(defaults[column] if column < len(defaults)
                                                 else ""))
        self.flag_conflicts()

    @Slot()
    def save(self) -> None:
        if self.flag_conflicts():
            return
        for action_id, keys in self.action_keys().items():
            self.shortcuts.set_keys(action_id, keys)
        try:
            self._save_labels()
        except NewsmarkError as exc:
            self.warning.setText(str(exc))
            return
        self.saved.emit()
        self.accept()

    def _save_labels(self) -> None:
        wanted = self.label_keys()
        for lab in self.labels:
            key = wanted[lab.name]
            if key != key_text(lab.hotkey) and self.store is not None:
                hotkey = key.lower() if len(key) == 1 else key
                self.store.save_label(replace(lab, hotkey=hotkey or None))
