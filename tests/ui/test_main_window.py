"""The main window as an annotator uses it: menus' keys, navigation, status bar, saving."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from models.domain import ArticleRecord, Status
from models.store import Store
from ui.main_window import MainWindow
from ui.settings import AppSettings
from ui.shortcuts import ShortcutSettings
from ui.workbench import Workbench

TEXTS = ["Ada Lovelace met officials in Paris on Monday.",
         "The ministry said 12 drones were shot down near Kyiv.",
         "Nothing happened in Lyon."]


@pytest.fixture
def window(qtbot, project_path, tmp_path, store):
    store.insert_articles([ArticleRecord(text=t, title=f"Article {i}") for i, t in enumerate(TEXTS)],
                          annotator="import")
    qsettings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    bench = Workbench(store, annotator="tester")
    win = MainWindow(bench, settings=AppSettings(qsettings), shortcuts=ShortcutSettings(qsettings))
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitExposed(win)
    return win


def label_selection(window, start, end, key, qtbot):
    window.view.select(start, end)
    qtbot.keyClick(window.view, key)


def test_main_window_title_names_the_project_and_text_has_focus(window):
    assert window.windowTitle().startswith("Newsmark")
    assert "test.nmk" in window.windowTitle()
    assert window.view.hasFocus()
    assert window.view.caret() == 0
    assert window.workbench.article_id == window.workbench.store.article_ids()[0]


def test_main_window_ctrl_enter_marks_done_and_opens_the_next(qtbot, window):
    first, second, _ = window.workbench.store.article_ids()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.workbench.store.article(first).status == Status.DONE
    assert window.workbench.article_id == second
    assert window.view.hasFocus()
    assert "done 1 / 3" in window.progress_label.text()
    assert window.position_label.text() == "article 2 of 3"


def test_main_window_alt_arrows_move_between_articles(qtbot, window):
    first, second, third = window.workbench.store.article_ids()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.workbench.article_id == third
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.workbench.article_id == second


def test_main_window_undo_redo_across_article_switches(qtbot, window):
    store = window.workbench.store
    first, second, _ = store.article_ids()
    label_selection(window, 0, 12, Qt.Key.Key_1, qtbot)               # PERSON in article 1
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    label_selection(window, 4, 12, Qt.Key.Key_2, qtbot)               # ORG in article 2
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.spans(second) == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.spans(first) == []
    assert window.workbench.article_id == first                       # undo went back there
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [s.label for s in store.spans(first)] == ["PERSON"]
    qtbot.keyClick(window.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [s.label for s in store.spans(second)] == ["ORG"]
    assert window.workbench.article_id == second


def test_main_window_search_filters_the_list(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.article_list.search.hasFocus()
    qtbot.keyClicks(window.article_list.search, "drones")
    qtbot.waitUntil(lambda: window.article_list.position()[1] == 1)


def test_main_window_failed_save_is_shown_and_kept_for_retry(qtbot, window, monkeypatch):
    store = window.workbench.store
    article = window.workbench.article_id
    real_transaction = Store.transaction
    from models import errors

    def full_disk(self):
        raise errors.SaveFailed(str(self.path), reason="the disk is full (free some space)")
    monkeypatch.setattr(Store, "transaction", full_disk)
    label_selection(window, 0, 12, Qt.Key.Key_1, qtbot)
    assert window.save_label.text() == "NOT SAVED"
    assert "disk is full" in window.statusBar().currentMessage()
    monkeypatch.setattr(Store, "transaction", real_transaction)
    assert store.spans(article) == []
    window.actions["retry"].trigger()
    assert [s.label for s in store.spans(article)] == ["PERSON"]
    assert window.save_label.text() == "saved"


def test_main_window_reopen_restores_article_and_caret(qtbot, tmp_path, project_path, store):
    store.insert_articles([ArticleRecord(text=t, title=f"A{i}") for i, t in enumerate(TEXTS)],
                          annotator="import")
    qsettings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    bench = Workbench(store, annotator="tester")
    win = MainWindow(bench, settings=AppSettings(qsettings))
    qtbot.addWidget(win)
    win.start()
    second = store.article_ids()[1]
    bench.show_article(second)
    win.view.set_caret(17)
    win.close()
    store.close()
    reopened = Store.open(project_path)
    try:
        bench2 = Workbench(reopened, annotator="tester")
        win2 = MainWindow(bench2, settings=AppSettings(qsettings))
        qtbot.addWidget(win2)
        win2.start()
        assert bench2.article_id == second
        assert win2.view.caret() == 17
    finally:
        reopened.close()


def test_main_window_making_a_claim_then_clicking_an_entity_sets_the_claimant(qtbot, window):
    store = window.workbench.store
    label_selection(window, 0, 12, Qt.Key.Key_1, qtbot)               # Ada Lovelace PERSON
    label_selection(window, 13, 45, Qt.Key.Key_C, qtbot)              # the claim
    claim = window.workbench.claim_id
    assert window.view.claimant_picking
    from tests.ui.test_article_view import point_at
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_at(window.view, 3).toPoint())
    (rel,) = store.relations_of(claim)
    assert rel.label == "claimant" and store.span(rel.child_id).label == "PERSON"


def test_main_window_zoom_and_theme_are_remembered(qtbot, window, tmp_path):
    size = window.view.font().pointSize()
    qtbot.keyClick(window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSize() == size + 1
    window.actions["dark"].trigger()
    assert window.settings.theme() == "dark"
    again = MainWindow(window.workbench, settings=window.settings)
    qtbot.addWidget(again)
    assert again.view.font().pointSize() == size + 1
    assert again.actions["dark"].isChecked()
    window.actions["dark"].trigger()                     # back to light for other tests


def test_main_window_suggest_runs_in_a_worker_and_shows_suggestions(qtbot, tmp_path, store):
    import spacy

    from ui.workers import SyncPool, TaskRunner
    store.insert_articles([ArticleRecord(text=TEXTS[0], title="A")], annotator="import")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Paris"}])
    nlp.to_disk(tmp_path / "pipe")
    bench = Workbench(store, annotator="tester")
    win = MainWindow(bench, runner=TaskRunner(pool=SyncPool()))
    qtbot.addWidget(win)
    win.show()
    win.start()
    win.suggest(str(tmp_path / "pipe"), whole_corpus=False)
    qtbot.waitUntil(lambda: any(v.suggested for v in win.view.index.spans))
    (v,) = win.view.index.spans
    assert (v.span.label, TEXTS[0][v.span.start:v.span.end]) == ("GPE", "Paris")
    qtbot.keyClick(win.view, Qt.Key.Key_Tab)
    qtbot.keyClick(win.view, Qt.Key.Key_A)
    assert [(s.label, s.state) for s in store.spans(bench.article_id)] == [("GPE", "accepted")]


def test_main_window_ctrl_l_suggests_the_other_occurrences(qtbot, tmp_path, store):
    text = "Kyiv said Kyiv would hold. Residents of Kyiv agreed; Kyivans too."
    store.insert_articles([ArticleRecord(text=text, title="K")], annotator="import")
    bench = Workbench(store, annotator="tester")
    win = MainWindow(bench)
    qtbot.addWidget(win)
    win.show()
    win.start()
    label_selection(win, 0, 4, Qt.Key.Key_3, qtbot)
    win.view.set_caret(1)
    qtbot.keyClick(win.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    suggested = sorted(s.start for s in store.spans(bench.article_id) if s.state == "suggested")
    assert suggested == [10, 40]                    # not inside "Kyivans"
    assert sum(v.suggested for v in win.view.index.spans) == 2


def test_main_window_ctrl_shift_l_suggests_the_span_in_every_article(qtbot, store, tmp_path):
    from ui.workers import SyncPool, TaskRunner
    texts = ["The Su-34 flew low over Kherson.", "Two Su-34 jets and a Su-34M were seen.",
             "No aircraft here, only a Su-35."]
    store.insert_articles([ArticleRecord(text=t, title=f"T{i}") for i, t in enumerate(texts)],
                          annotator="import")
    bench = Workbench(store, annotator="tester")
    qsettings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(bench, runner=TaskRunner(pool=SyncPool()), settings=AppSettings(qsettings),
                     shortcuts=ShortcutSettings(qsettings))
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitExposed(win)
    assert bench.article_id == store.article_ids()[0]
    label_selection(win, 4, 9, Qt.Key.Key_9, qtbot)         # WEAPON
    win.view.set_caret(5)
    action = win.actions["occurrences_everywhere"]
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    action.trigger()        # offscreen, a second window is never active for its shortcuts
    found = {(a, s.start, s.label) for a in store.article_ids() for s in store.spans(a)
             if s.state == "suggested"}
    second = store.article_ids()[1]
    assert found == {(second, 4, "WEAPON")}         # not "Su-34M", not "Su-35"
    assert "occurrences: 1 new suggestion" in win.statusBar().currentMessage()
