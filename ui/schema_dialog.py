"""Project > Labels and claim schema...: edit labels and claim attributes in place.

Every finished edit is saved at once through the store (`save_label`, `remove_label`,
`save_attribute_def`); a refused one shows the store's one-line error and the cell goes
back. Schema edits are not part of undo, and the dialog says so. `schema_changed` tells the
main window to rebuild its label palette and shortcuts.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.resources import label_colours, schema_from_json, schema_to_json
from models import errors
from models.domain import AttributeDef, Label, Layer
from models.errors import NewsmarkError
from models.store import Store
from ui.shortcuts import ACTIONS, ShortcutSettings, conflicts

LABEL_COLUMNS = ["Name", "Layer", "Colour", "Hotkey", "Description"]
ATTRIBUTE_COLUMNS = ["Name", "Kind", "Values (comma-separated)", "Default", "Description"]
KINDS = ("choice", "text")
NOTE = ("Changes are saved as soon as you make them. They are not part of undo: Ctrl+Z "
        "does not take them back. A label in use cannot be removed; to rename one, add the "
        "new label and relabel its spans.")


def _item(text: str | None, *, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text or "")
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _combo(options, current: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems([str(o) for o in options])
    combo.setCurrentText(str(current))
    return combo


def parse_values(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))


def normal_hotkey(text: str) -> str | None:
    """A label hotkey as the schema keeps it ("1", "c", "Shift+P"); None for none."""
    text = text.strip()
    if not text:
        return None
    sequence = QKeySequence(text)
    portable = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    if sequence.count() != 1 or not portable:
        raise errors.SchemaError(f"{text!r} is not one key; use a key like 1, c or Shift+P")
    return portable.lower() if len(portable) == 1 else portable


class SchemaDialog(QDialog):
    schema_changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 shortcuts: ShortcutSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels and claim schema")
        self.store = store
        self.shortcuts = shortcuts      # given: a label hotkey may not take an action's key
        self._loading = False
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self._labels_box())
        layout.addWidget(self._attributes_box())
        layout.addWidget(self.message)
        layout.addLayout(self._bottom_row())
        self.reload()
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)    # Return ends a cell edit; it presses no button
        self.resize(820, 680)

    # --- building --------------------------------------------------------------------

    def _table(self, columns: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.horizontalHeader().setSectionResizeMode(len(columns) - 1,
                                                      QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        return table

    def _labels_box(self) -> QGroupBox:
        self.labels = self._table(LABEL_COLUMNS)
        self.labels.itemChanged.connect(self._label_item_changed)
        self.new_label = QLineEdit(placeholderText="new label name, e.g. SHIP")
        self.new_layer = _combo(Layer, Layer.ENTITY)
        self.add_label_button = QPushButton("Add label")
        self.add_label_button.clicked.connect(self.add_label)
        self.new_label.returnPressed.connect(self.add_label)
        self.remove_label_button = QPushButton("Remove label")
        self.remove_label_button.clicked.connect(self.remove_selected_label)
        row = QHBoxLayout()
        for widget in (self.new_label, self.new_layer, self.add_label_button):
            row.addWidget(widget)
        row.addStretch()
        row.addWidget(self.remove_label_button)
        box = QGroupBox("Labels")
        layout = QVBoxLayout(box)
        layout.addWidget(self.labels)
        layout.addLayout(row)
        return box

    def _attributes_box(self) -> QGroupBox:
        self.attributes = self._table(ATTRIBUTE_COLUMNS)
        self.attributes.itemChanged.connect(self._attribute_item_changed)
        self.new_attribute = QLineEdit(placeholderText="new claim attribute, e.g. source_type")
        self.new_kind = _combo(KINDS, "choice")
        self.add_attribute_button = QPushButton("Add attribute")
        self.add_attribute_button.clicked.connect(self.add_attribute)
        self.new_attribute.returnPressed.connect(self.add_attribute)
        row = QHBoxLayout()
        for widget in (self.new_attribute, self.new_kind, self.add_attribute_button):
            row.addWidget(widget)
        row.addStretch()
        box = QGroupBox("Claim attributes")
        layout = QVBoxLayout(box)
        layout.addWidget(self.attributes)
        layout.addLayout(row)
        return box

    def _bottom_row(self) -> QHBoxLayout:
        self.import_button = QPushButton("Import JSON...")
        self.import_button.clicked.connect(self.import_json)
        self.export_button = QPushButton("Export JSON...")
        self.export_button.clicked.connect(self.export_json)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        row.addStretch()
        row.addWidget(buttons)
        return row

    # --- filling -------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the store's schema as it is now."""
        self._loading = True
        try:
            schema = self.store.schema()
            self.labels.setRowCount(0)
            for label in schema.labels:
                self._add_label_row(label)
            self.attributes.setRowCount(0)
            for definition in schema.attributes:
                self._add_attribute_row(definition)
        finally:
            self._loading = False
        self.labels.resizeColumnsToContents()
        self.attributes.resizeColumnsToContents()

    def _add_label_row(self, label: Label) -> None:
        row = self.labels.rowCount()
        self.labels.insertRow(row)
        self.labels.setItem(row, 0, _item(label.name, editable=False))
        layer = _combo(Layer, label.layer)
        layer.currentTextChanged.connect(
            lambda text, name=label.name: self.save_label(name, layer=Layer(text)))
        self.labels.setCellWidget(row, 1, layer)
        colour = QPushButton(label.colour)
        colour.setAutoDefault(False)
        colour.setStyleSheet(f"background-color: {label.colour};")
        colour.clicked.connect(lambda _=False, name=label.name: self.choose_colour(name))
        self.labels.setCellWidget(row, 2, colour)
        self.labels.setItem(row, 3, _item(label.hotkey))
        self.labels.setItem(row, 4, _item(label.description))

    def _add_attribute_row(self, definition: AttributeDef) -> None:
        row = self.attributes.rowCount()
        self.attributes.insertRow(row)
        self.attributes.setItem(row, 0, _item(definition.name, editable=False))
        kind = _combo(KINDS, definition.kind)
        kind.currentTextChanged.connect(
            lambda text, name=definition.name: self.save_attribute(name, kind=text))
        self.attributes.setCellWidget(row, 1, kind)
        self.attributes.setItem(row, 2, _item(", ".join(definition.values)))
        self.attributes.setItem(row, 3, _item(definition.default))
        self.attributes.setItem(row, 4, _item(definition.description))

    def label_row(self, name: str) -> int:
        return next(r for r in range(self.labels.rowCount())
                    if self.labels.item(r, 0).text() == name)

    def attribute_row(self, name: str) -> int:
        return next(r for r in range(self.attributes.rowCount())
                    if self.attributes.item(r, 0).text() == name)

    # --- saving ----------------------------------------------------------------------------

    def _saved(self, text: str) -> None:
        self.message.setText(text)
        self.schema_changed.emit()

    def _refused(self, exc: NewsmarkError) -> None:
        self.message.setText(str(exc))

    def show_label(self, name: str) -> None:
        """Put one label's stored values back in its row (after a save or a refusal)."""
        label, row = self.store.label(name), self.label_row(name)
        if label is None:
            return
        self._loading = True
        try:
            layer = self.labels.cellWidget(row, 1)
            layer.blockSignals(True)
            layer.setCurrentText(str(label.layer))
            layer.blockSignals(False)
            colour = self.labels.cellWidget(row, 2)
            colour.setText(label.colour)
            colour.setStyleSheet(f"background-color: {label.colour};")
            self.labels.item(row, 3).setText(label.hotkey or "")
            self.labels.item(row, 4).setText(label.description)
        finally:
            self._loading = False

    def show_attribute(self, name: str) -> None:
        definition = next((d for d in self.store.schema().attributes if d.name == name), None)
        if definition is None:
            return
        row = self.attribute_row(name)
        self._loading = True
        try:
            kind = self.attributes.cellWidget(row, 1)
            kind.blockSignals(True)
            kind.setCurrentText(definition.kind)
            kind.blockSignals(False)
            self.attributes.item(row, 2).setText(", ".join(definition.values))
            self.attributes.item(row, 3).setText(definition.default or "")
            self.attributes.item(row, 4).setText(definition.description)
        finally:
            self._loading = False

    def save_label(self, name: str, **changes) -> bool:
        label = self.store.label(name)
        if label is None:
            self._refused(errors.UnknownLabel(name))
            return False
        try:
            if "hotkey" in changes:
                changes["hotkey"] = self._free_hotkey(name, changes["hotkey"])
            self.store.save_label(replace(label, **changes))
        except NewsmarkError as exc:
            self._refused(exc)
            return False
        finally:
            self.show_label(name)
        self._saved(f"Saved label {name}.")
        return True

    def _free_hotkey(self, name: str, text: str | None) -> str | None:
        hotkey = normal_hotkey(text or "")
        taken = next((lab.name for lab in self.store.schema().labels
                      if lab.name != name and hotkey and lab.hotkey
                      and normal_hotkey(lab.hotkey) == hotkey), None)
        if taken:
            raise errors.SchemaError(f"hotkey {hotkey} is already {taken}'s; choose another key")
        if hotkey and self.shortcuts is not None:
            clash = conflicts(self.shortcuts.bindings(), {name: hotkey})
            action = next((r for rows in clash.values() if f"label:{name}" in rows
                           for r in rows if r in ACTIONS), None)
            if action is not None:
                raise errors.SchemaError(f"hotkey {hotkey} is the key of "
                                         f"\"{ACTIONS[action][0]}\"; choose another key")
        return hotkey

    @Slot(QTableWidgetItem)
    def _label_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        name = self.labels.item(item.row(), 0).text()
        field = {3: "hotkey", 4: "description"}.get(item.column())
        if field:
            self.save_label(name, **{field: item.text().strip()})

    def choose_colour(self, name: str) -> None:
        label = self.store.label(name)
        if label is None:
            return
        colour = QColorDialog.getColor(QColor(label.colour), self, f"Colour of {name}")
        if colour.isValid():
            self.save_label(name, colour=colour.name())

    @Slot()
    def add_label(self) -> bool:
        name = self.new_label.text().strip()
        try:
            if not name or any(c.isspace() for c in name):
                raise errors.SchemaError("a label name is one word without spaces, e.g. SHIP")
            if self.store.label(name) is not None:
                raise errors.SchemaError(f"label {name} exists already")
            colours = label_colours()
            colour = colours[len(self.store.schema().labels) % len(colours)]
            self.store.save_label(Label(name, Layer(self.new_layer.currentText()), colour))
        except NewsmarkError as exc:
            self.message.setText(str(exc))
            return False
        self.new_label.clear()
        self.reload()
        self._saved(f"Added label {name}.")
        return True

    @Slot()
    def remove_selected_label(self) -> bool:
        row = self.labels.currentRow()
        if row < 0:
            self.message.setText("Select the label to remove first.")
            return False
        name = self.labels.item(row, 0).text()
        try:
            self.store.remove_label(name)
        except NewsmarkError as exc:
            self.message.setText(str(exc))
            return False
        self.reload()
        self._saved(f"Removed label {name}.")
        return True

    def save_attribute(self, name: str, **changes) -> bool:
        definition = next((d for d in self.store.schema().attributes if d.name == name), None)
        if definition is None:
            return False
        new = replace(definition, **changes)
        try:
            if new.kind == "choice" and new.default and new.default not in new.values:
                raise errors.SchemaError(f"the default of {name} must be one of its values "
                                         f"({', '.join(new.values) or 'none yet'})")
            self.store.save_attribute_def(new)
        except NewsmarkError as exc:
            self._refused(exc)
            return False
        finally:
            self.show_attribute(name)
        self._saved(f"Saved claim attribute {name}.")
        return True

    @Slot(QTableWidgetItem)
    def _attribute_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        name = self.attributes.item(item.row(), 0).text()
        text = item.text().strip()
        if item.column() == 2:
            self.save_attribute(name, values=parse_values(text))
        elif item.column() == 3:
            self.save_attribute(name, default=text or None)
        elif item.column() == 4:
            self.save_attribute(name, description=text)

    @Slot()
    def add_attribute(self) -> bool:
        name = self.new_attribute.text().strip()
        try:
            if not name or any(c.isspace() for c in name):
                raise errors.SchemaError("an attribute name is one word, e.g. source_type")
            if any(d.name == name for d in self.store.schema().attributes):
                raise errors.SchemaError(f"claim attribute {name} exists already")
            self.store.save_attribute_def(AttributeDef(name, self.new_kind.currentText()))
        except NewsmarkError as exc:
            self.message.setText(str(exc))
            return False
        self.new_attribute.clear()
        self.reload()
        self._saved(f"Added claim attribute {name}; give its values.")
        return True

    # --- JSON --------------------------------------------------------------------------------

    @Slot()
    def import_json(self) -> bool:
        """Add or update labels and attributes from a schema JSON (nothing is removed)."""
        path, _ = QFileDialog.getOpenFileName(self, "Import a label schema",
                                              str(self.store.path.parent),
                                              "JSON (*.json);;All files (*)")
        if not path:
            return False
        try:
            schema = schema_from_json(read_json(Path(path)), where=path)
            with self.store.transaction():
                for label in schema.labels:
                    self.store.save_label(label)
                for definition in schema.attributes:
                    self.store.save_attribute_def(definition)
        except NewsmarkError as exc:
            self.message.setText(str(exc))
            return False
        self.reload()
        self._saved(f"Imported {len(schema.labels)} label(s) and "
                    f"{len(schema.attributes)} claim attribute(s) from {path}.")
        return True

    @Slot()
    def export_json(self) -> bool:
        suggested = str(self.store.path.parent / f"{self.store.path.stem}-schema.json")
        path, _ = QFileDialog.getSaveFileName(self, "Export the label schema", suggested,
                                              "JSON (*.json);;All files (*)")
        if not path:
            return False
        data = orjson.dumps(schema_to_json(self.store.schema()), option=orjson.OPT_INDENT_2)
        try:
            Path(path).write_bytes(data + b"\n")
        except OSError as exc:
            self.message.setText(str(errors.SchemaError(
                f"could not write {path}: {exc.strerror or exc}; choose another place")))
            return False
        self.message.setText(f"Schema written to {path}.")
        return True


def read_json(path: Path) -> object:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise errors.SchemaError(f"{path}: cannot read a label schema ({exc})") from exc
