"""Labels and claim attributes edited in place, saved at once, refused in one line."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QColorDialog, QFileDialog, QLineEdit

from app.resources import schema_to_json
from models.domain import Layer
from ui.schema_dialog import SchemaDialog
from ui.shortcuts import ShortcutSettings


@pytest.fixture
def dialog(qtbot, store):
    d = SchemaDialog(store)
    qtbot.addWidget(d)
    d.show()
    return d


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def edit_cell(qtbot, table, row, column, text):
    """Type into a cell the way a user does: open the editor, type, press Return."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert table.window().isVisible()      # Return did not press a dialog button


def test_schema_dialog_shows_the_store_schema_and_the_undo_note(dialog, store):
    assert dialog.labels.rowCount() == len(store.schema().labels)
    assert dialog.attributes.rowCount() == len(store.schema().attributes)
    row = dialog.label_row("CLAIM")
    assert dialog.labels.cellWidget(row, 1).currentText() == "claim"
    assert dialog.labels.item(row, 3).text() == "c"
    assert dialog.labels.cellWidget(row, 2).text() == "#4c9be8"
    stance = dialog.attribute_row("stance")
    assert dialog.attributes.item(stance, 2).text() == "affirm, refute, neutral, unknown"
    assert "not part of undo" in dialog.note.text()


def test_schema_dialog_adds_a_label_and_remove_refuses_a_used_one(qtbot, dialog, store, article):
    changed = []
    dialog.schema_changed.connect(lambda: changed.append(1))
    qtbot.keyClicks(dialog.new_label, "SHIP")
    dialog.new_layer.setCurrentText("entity")
    click(qtbot, dialog.add_label_button)
    assert store.label("SHIP").layer == Layer.ENTITY and changed == [1]
    assert dialog.labels.item(dialog.labels.rowCount() - 1, 0).text() == "SHIP"

    dialog.labels.selectRow(dialog.label_row("PERSON"))   # used by the article's span
    click(qtbot, dialog.remove_label_button)
    assert store.label("PERSON") is not None
    assert dialog.message.text() == ("error E022: label 'PERSON' is used by 1 span(s); "
                                     "relabel or remove them first")

    dialog.labels.selectRow(dialog.label_row("SHIP"))
    click(qtbot, dialog.remove_label_button)
    assert store.label("SHIP") is None and changed == [1, 1]
    assert "SHIP" not in [dialog.labels.item(r, 0).text() for r in range(dialog.labels.rowCount())]


def test_schema_dialog_refuses_a_label_that_exists(qtbot, dialog, store):
    qtbot.keyClicks(dialog.new_label, "ORG")
    click(qtbot, dialog.add_label_button)
    assert "exists already" in dialog.message.text()
    assert len(store.schema().labels) == dialog.labels.rowCount() == 13


def test_schema_dialog_edits_hotkey_description_and_layer(qtbot, dialog, store):
    pressed = []
    for button in (dialog.add_label_button, dialog.remove_label_button, dialog.import_button):
        button.clicked.connect(lambda *_: pressed.append(1))
    row = dialog.label_row("HEDGE")
    edit_cell(qtbot, dialog.labels, row, 3, "J")
    assert store.label("HEDGE").hotkey == "j"
    assert dialog.labels.item(row, 3).text() == "j"
    edit_cell(qtbot, dialog.labels, row, 4, "allegedly, reportedly")
    assert store.label("HEDGE").description == "allegedly, reportedly"
    dialog.labels.cellWidget(row, 1).setCurrentText("entity")
    assert store.label("HEDGE").layer == Layer.ENTITY
    assert pressed == []


def test_schema_dialog_refuses_a_taken_hotkey_and_puts_the_cell_back(qtbot, dialog, store):
    row = dialog.label_row("HEDGE")
    edit_cell(qtbot, dialog.labels, row, 3, "1")
    assert store.label("HEDGE").hotkey == "h"
    assert dialog.labels.item(row, 3).text() == "h"
    assert dialog.message.text().startswith("error E022: hotkey 1 is already PERSON's")


def test_schema_dialog_refuses_an_action_key_when_it_knows_the_shortcuts(qtbot, store, tmp_path):
    shortcuts = ShortcutSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    shortcuts.set_keys("accept", ["Y"])
    dialog = SchemaDialog(store, shortcuts=shortcuts)
    qtbot.addWidget(dialog)
    dialog.show()
    row = dialog.label_row("HEDGE")
    edit_cell(qtbot, dialog.labels, row, 3, "y")
    assert store.label("HEDGE").hotkey == "h"
    assert dialog.message.text() == ('error E022: hotkey y is the key of "Accept suggestion"; '
                                     "choose another key")
    edit_cell(qtbot, dialog.labels, dialog.label_row("CLAIM"), 3, "C")   # the claim action's own
    assert store.label("CLAIM").hotkey == "c" and dialog.message.text() == "Saved label CLAIM."


def test_schema_dialog_colour_from_the_colour_dialog(qtbot, dialog, store, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args: QColor("#123456"))
    button = dialog.labels.cellWidget(dialog.label_row("ORG"), 2)
    click(qtbot, button)
    assert store.label("ORG").colour == "#123456"
    assert button.text() == "#123456"


def test_schema_dialog_attribute_values_and_default(qtbot, dialog, store):
    qtbot.keyClicks(dialog.new_attribute, "source_type")
    click(qtbot, dialog.add_attribute_button)
    row = dialog.attribute_row("source_type")
    edit_cell(qtbot, dialog.attributes, row, 2, "official, witness , , media")
    edit_cell(qtbot, dialog.attributes, row, 3, "witness")
    definition = store.schema().attributes[-1]
    assert (definition.name, definition.kind, definition.values, definition.default) == (
        "source_type", "choice", ("official", "witness", "media"), "witness")
    edit_cell(qtbot, dialog.attributes, row, 3, "rumour")
    assert store.schema().attributes[-1].default == "witness"
    assert "must be one of its values" in dialog.message.text()
    assert dialog.attributes.item(row, 3).text() == "witness"
    dialog.attributes.cellWidget(row, 1).setCurrentText("text")
    assert store.schema().attributes[-1].kind == "text"


def test_schema_dialog_export_then_import_json(qtbot, dialog, store, tmp_path, monkeypatch):
    out = tmp_path / "schema.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    click(qtbot, dialog.export_button)
    data = orjson.loads(out.read_bytes())
    assert data == schema_to_json(store.schema())

    data["labels"].append({"name": "SHIP", "layer": "entity", "colour": "#abcdef"})
    data["labels"][0]["description"] = "People"
    out.write_bytes(orjson.dumps(data))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    click(qtbot, dialog.import_button)
    assert store.label("SHIP").colour == "#abcdef"
    assert store.label("PERSON").description == "People"
    assert dialog.labels.rowCount() == 14
    assert dialog.message.text().startswith("Imported 14 label(s)")


def test_schema_dialog_import_refuses_a_bad_file_and_changes_nothing(qtbot, dialog, store,
                                                                     tmp_path, monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text('{"labels": [{"name": "X", "layer": "planet"}]}', encoding="utf-8")
    before = store.schema()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    click(qtbot, dialog.import_button)
    assert store.schema() == before
    assert dialog.message.text().startswith(f"error E022: {bad}: not a label schema")
