"""The key catalogue, the user's overrides, and the F1 dialog that edits them."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from app.resources import default_schema
from ui.settings import AppSettings
from ui.shortcuts import ACTIONS, ShortcutSettings, ShortcutsDialog, conflicts, label_keys


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def shortcuts(qsettings):
    return ShortcutSettings(qsettings)


@pytest.fixture
def dialog(qtbot, shortcuts, store):
    d = ShortcutsDialog(shortcuts, store)
    qtbot.addWidget(d)
    d.show()
    return d


@pytest.mark.parametrize("action_id, keys", [
    ("undo", ["Ctrl+Z"]), ("redo", ["Ctrl+Shift+Z", "Ctrl+Y"]), ("done_next", ["Ctrl+Return"]),
    ("next_article", ["Alt+Right"]), ("shortcuts_help", ["F1"]), ("zoom_out", ["Ctrl+-"]),
    ("delete_span", ["Del"]), ("accept_all", ["Shift+A"]), ("previous_suggestion", ["Shift+Tab"]),
    ("claim", ["C"]), ("escape", ["Esc"]),
])
def test_shortcuts_defaults(shortcuts, action_id, keys):
    assert shortcuts.keys(action_id) == keys


def test_shortcuts_defaults_and_schema_hotkeys_do_not_conflict():
    defaults = {a: list(keys) for a, (_, keys) in ACTIONS.items()}
    labels = label_keys(default_schema())
    assert labels["PERSON"] == "1" and labels["MIL_UNIT"] == "0" and labels["CLAIM"] == "C"
    assert conflicts(defaults, labels) == {}


def test_shortcuts_conflicts_name_every_user_of_a_key():
    found = conflicts({"undo": ["Ctrl+Z"], "redo": ["ctrl+z", "Ctrl+Y"], "claim": ["C"]},
                      {"CLAIM": "c", "HEDGE": "Ctrl+Y"})
    assert found == {"Ctrl+Z": ["undo", "redo"], "Ctrl+Y": ["redo", "label:HEDGE"]}


def test_shortcuts_overrides_persist_and_defaults_clear_them(shortcuts, qsettings, tmp_path):
    shortcuts.set_keys("undo", ["Ctrl+U", "Alt+Backspace"])
    shortcuts.set_keys("accept", [])
    qsettings.sync()
    again = ShortcutSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.keys("undo") == ["Ctrl+U", "Alt+Backspace"]
    assert again.keys("accept") == []                   # removed by the user, not defaulted
    assert again.sequences("undo")[1] == QKeySequence("Alt+Backspace")
    again.set_keys("undo", ["Ctrl+Z"])
    assert "undo" not in again.overrides() and again.keys("undo") == ["Ctrl+Z"]
    assert AppSettings(again.settings).shortcut_overrides() == {"accept": []}
    assert again.keys_for("undo") == ["Ctrl+Z"] and again.keys_for("new_project") is None


def test_shortcuts_dialog_lists_every_action_and_label(dialog, store):
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert len(names) == len(ACTIONS) + len(store.schema().labels)
    assert "Redo" in names and "Label PERSON (entity)" in names
    redo = dialog.edits["redo"]
    assert [e.keySequence().toString() for e in redo] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert dialog.edits["label:PERSON"][0].keySequence() == QKeySequence("1")
    assert dialog.save_button.isEnabled() and dialog.warning.text() == ""


def test_shortcuts_dialog_records_a_key_and_flags_the_conflict(qtbot, dialog):
    edit = dialog.edits["search"][0]
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.keySequence() == QKeySequence("Ctrl+Z")
    assert dialog.conflicts() == {"Ctrl+Z": ["undo", "search"]}
    assert not dialog.save_button.isEnabled()
    assert "Ctrl+Z: Undo, Search articles" in dialog.warning.text()
    assert dialog.table.item(dialog.row_of["undo"], 0).background().color().name() == "#f4b6b6"
    qtbot.keyClick(dialog.edits["undo"][0], Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert dialog.save_button.isEnabled() and dialog.warning.text() == ""


def test_shortcuts_dialog_saves_actions_and_label_hotkeys(qtbot, dialog, shortcuts, store):
    dialog.edits["next_article"][0].setKeySequence(QKeySequence("Ctrl+N"))
    dialog.edits["label:HEDGE"][0].setKeySequence(QKeySequence("J"))
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shortcuts.keys("next_article") == ["Ctrl+N"]
    assert shortcuts.overrides() == {"next_article": ["Ctrl+N"]}
    assert store.label("HEDGE").hotkey == "j" and store.label("CLAIM").hotkey == "c"
    assert not dialog.isVisible()


def test_shortcuts_dialog_with_a_schema_shows_label_keys_read_only(qtbot, shortcuts, store):
    dialog = ShortcutsDialog(shortcuts, store.schema())
    qtbot.addWidget(dialog)
    edit = dialog.edits["label:PERSON"][0]
    assert edit.keySequence() == QKeySequence("1") and not edit.isEnabled()
    assert dialog.edits["undo"][0].isEnabled()


def test_shortcuts_dialog_reset_to_defaults(qtbot, dialog, shortcuts):
    shortcuts.set_keys("quit", ["Ctrl+W"])
    dialog.edits["undo"][0].setKeySequence(QKeySequence("F5"))
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.keys_of("undo") == ["Ctrl+Z"]
    assert dialog.keys_of("quit") == ["Ctrl+Q"]
    dialog.save()
    assert shortcuts.overrides() == {}


# --- AppSettings (ui/settings.py; its keys live in the same QSettings) ----------------------

def test_settings_recent_projects_most_recent_first_missing_dropped(tmp_path, qsettings):
    settings = AppSettings(qsettings)
    files = [tmp_path / f"p{i}.nmk" for i in range(12)]
    for f in files:
        f.touch()
        settings.add_recent_project(f)
    settings.add_recent_project(files[3])
    recent = settings.recent_projects()
    assert recent[0] == str(files[3].resolve()) and recent[1] == str(files[11].resolve())
    assert len(recent) == 10 and len(set(recent)) == 10
    files[11].unlink()
    assert str(files[11].resolve()) not in settings.recent_projects()
    qsettings.sync()
    reread = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert reread.recent_projects()[0] == str(files[3].resolve())


def test_settings_one_recent_project_survives_ini(tmp_path, qsettings):
    project = tmp_path / "only.nmk"
    project.touch()
    AppSettings(qsettings).add_recent_project(project)
    qsettings.sync()
    reread = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert reread.recent_projects() == [str(project.resolve())]


def test_settings_theme_font_and_annotator(qsettings):
    settings = AppSettings(qsettings)
    assert settings.theme() == "light" and settings.font_size() is None
    assert settings.annotator() == ""
    settings.set_theme("dark")
    settings.set_font_size(200)
    settings.set_annotator("  ada ")
    assert (settings.theme(), settings.font_size(), settings.annotator()) == ("dark", 48, "ada")
    with pytest.raises(ValueError):
        settings.set_theme("neon")
    qsettings.setValue("theme", "neon")                 # a hand-edited file
    assert settings.theme() == "light"


def test_settings_window_geometry_round_trip(qtbot, qsettings):
    from PySide6.QtWidgets import QMainWindow
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(640, 480)
    settings = AppSettings(qsettings)
    assert not settings.restore_window(window)
    settings.save_window(window)
    other = QMainWindow()
    qtbot.addWidget(other)
    other.resize(300, 200)
    assert settings.restore_window(other)
    assert other.size().toTuple() == (640, 480)


def test_settings_ask_annotator_env_wins_then_saved_then_asks_once(qtbot, qsettings, monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    from ui.settings import ask_annotator
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args: asked.append(args) or ("Grace", True))
    settings = AppSettings(qsettings)
    assert ask_annotator(None, settings, environ={"NEWSMARK_ANNOTATOR": "env"}) == "env"
    assert asked == [] and settings.annotator() == ""
    assert ask_annotator(None, settings, environ={}) == "Grace"
    assert ask_annotator(None, settings, environ={}) == "Grace"
    assert len(asked) == 1 and settings.annotator() == "Grace"


def test_settings_ask_annotator_cancelled_uses_login(qsettings, monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    from ui.settings import ask_annotator, login_name
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("", False))
    settings = AppSettings(qsettings)
    assert ask_annotator(None, settings, environ={}) == login_name()
    assert settings.annotator() == ""                   # asked again next time
