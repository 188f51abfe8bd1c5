"""The article list: filters, choosing rows, following the workbench, paging over 100k rows."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.commands import AddSpan, SetStatus
from app.project import create_project
from models.domain import ArticleRecord, SpanRecord, State, Status
from ui.article_list import (CLAIMS, ENTITIES, STATUS, STATUS_COLOURS, SUGGESTIONS, TITLE,
                             UPDATED, ArticleListModel, ArticleListPanel, short_time)
from ui.workbench import Workbench


def _span(text: str, words: str, label: str, **kwargs) -> SpanRecord:
    start = text.index(words)
    return SpanRecord(start, start + len(words), label, **kwargs)


def _record(title: str, text: str, status: Status, spans: list[tuple]) -> ArticleRecord:
    return ArticleRecord(text=text, title=title, status=status,
                         spans=[_span(text, *s[:2], **s[2]) for s in spans])


NEWS = [
    ("Kyiv strikes", "Drones hit Kyiv on Tuesday night.", Status.NEW,
     [("Kyiv", "GPE", {"annotator": "ann"})]),
    ("Budget vote", "Parliament passed the budget.", Status.DONE,
     [("Parliament", "ORG", {"annotator": "bob"})]),
    ("Mayor speaks", "The mayor of Kyiv said power is back.", Status.IN_PROGRESS,
     [("Kyiv", "GPE", {"annotator": "ann"}), ("power is back", "CLAIM", {"annotator": "ann"}),
      ("mayor", "PERSON", {"state": State.SUGGESTED, "annotator": "ann"})]),
    ("Weather", "Rain expected in Lviv.", Status.SKIPPED, []),
    ("Port attack", "Odesa port was attacked.", Status.NEW,
     [("Odesa", "GPE", {"state": State.SUGGESTED, "annotator": "bob"})]),
]



@pytest.fixture
def ids(store):
    store.insert_articles([_record(*news) for news in NEWS], annotator="importer")
    return store.article_ids()


@pytest.fixture
def bench(qapp, store, ids):
    workbench = Workbench(store, annotator="tester")
    workbench.show_article(ids[0])
    return workbench


def _show(qtbot, workbench) -> ArticleListPanel:
    panel = ArticleListPanel(workbench)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.fixture
def panel(qtbot, bench):
    return _show(qtbot, bench)


def _titles(panel: ArticleListPanel) -> list[str]:
    model = panel.model
    return [model.index(row, TITLE).data() for row in range(model.rowCount())]


def _cell(panel: ArticleListPanel, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return panel.model.index(row, column).data(role)


def _selected_rows(panel: ArticleListPanel) -> list[int]:
    return [i.row() for i in panel.view.selectionModel().selectedRows()]


def _count_calls(monkeypatch, store, name: str) -> list:
    """Record the arguments of every call to one store read."""
    calls, real = [], getattr(store, name)

    def counted(*args, **kwargs):
        calls.append(args or kwargs)
        return real(*args, **kwargs)
    monkeypatch.setattr(store, name, counted)
    return calls


# --- rows ------------------------------------------------------------------------------


def test_article_list_rows_show_status_counts_and_time(panel):
    assert _titles(panel) == [n[0] for n in NEWS]
    mayor = 2
    assert [_cell(panel, mayor, c) for c in (STATUS, ENTITIES, CLAIMS, SUGGESTIONS)] == \
        ["in progress", "1", "1", "1"]
    assert _cell(panel, 4, SUGGESTIONS) == "1" and _cell(panel, 4, ENTITIES) == "0"
    assert _cell(panel, 0, UPDATED)
    dot = _cell(panel, mayor, STATUS, Qt.ItemDataRole.DecorationRole).pixmap(10, 10).toImage()
    assert dot.pixelColor(5, 5) == QColor(STATUS_COLOURS[Status.IN_PROGRESS])


def test_article_list_updated_is_short_local_time():
    now = datetime.now().astimezone()
    assert short_time(now.isoformat()) == now.strftime("%H:%M")
    long_ago = now - timedelta(days=800)
    assert short_time(long_ago.isoformat()) == long_ago.strftime("%Y-%m-%d")
    assert short_time("yesterday-ish") == "yesterday-ish"


def test_article_list_view_is_whole_row_single_selection_without_editing(panel):
    view = panel.view
    assert view.selectionBehavior() == view.SelectionBehavior.SelectRows
    assert view.selectionMode() == view.SelectionMode.SingleSelection
    assert view.editTriggers() == view.EditTrigger.NoEditTriggers
    assert view.verticalHeader().isHidden() and view.alternatingRowColors()
    assert not panel.model.flags(panel.model.index(0, TITLE)) & Qt.ItemFlag.ItemIsEditable


# --- filters ---------------------------------------------------------------------------


def test_article_list_search_filters_as_you_type_once_typing_pauses(qtbot, panel, store,
                                                                     monkeypatch):
    queries = _count_calls(monkeypatch, store, "article_ids")
    qtbot.keyClicks(panel.search, "kyi")
    assert panel.model.rowCount() == len(NEWS)              # debounced: not yet filtered
    qtbot.waitUntil(lambda: _titles(panel) == ["Kyiv strikes", "Mayor speaks"])
    assert queries == [{"status": None, "search": "kyi", "label": None, "annotator": None}]


def test_article_list_search_enter_filters_at_once(qtbot, panel):
    qtbot.keyClicks(panel.search, "odesa")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert _titles(panel) == ["Port attack"]


@pytest.mark.parametrize(("combo", "choice", "titles"), [
    ("status_filter", "done", ["Budget vote"]),
    ("status_filter", "new", ["Kyiv strikes", "Port attack"]),
    ("label_filter", "GPE", ["Kyiv strikes", "Mayor speaks", "Port attack"]),
    ("label_filter", "CLAIM", ["Mayor speaks"]),
    ("annotator_filter", "bob", ["Budget vote", "Port attack"]),
    ("annotator_filter", "ann", ["Kyiv strikes", "Mayor speaks"]),
])
def test_article_list_filter_combos_filter(panel, combo, choice, titles):
    widget = getattr(panel, combo)
    widget.setCurrentIndex(widget.findData(choice))
    assert _titles(panel) == titles


def test_article_list_filters_combine_and_all_resets(panel):
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    panel.annotator_filter.setCurrentIndex(panel.annotator_filter.findData("bob"))
    assert _titles(panel) == ["Port attack"]
    panel.status_filter.setCurrentIndex(0)
    panel.annotator_filter.setCurrentIndex(0)
    assert len(_titles(panel)) == len(NEWS)


def test_article_list_filter_choices_come_from_the_project(panel, store):
    labels = [panel.label_filter.itemData(i) for i in range(panel.label_filter.count())]
    assert labels == [None] + [lab.name for lab in store.schema().labels]
    people = [panel.annotator_filter.itemData(i) for i in range(panel.annotator_filter.count())]
    assert people == [None, "ann", "bob", "importer"]
    assert panel.status_filter.itemText(0) == "All (5)"
    assert panel.status_filter.itemText(panel.status_filter.findData("new")) == "new (2)"


# --- choosing and following ---------------------------------------------------------------


def test_article_list_click_row_shows_that_article(qtbot, panel, bench, ids):
    index = panel.model.index(3, TITLE)
    with qtbot.waitSignal(bench.article_changed) as shown:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.view.visualRect(index).center())
    assert shown.args == [ids[3]] and bench.article_id == ids[3]
    assert _selected_rows(panel) == [3]


def test_article_list_keyboard_down_moves_to_next_article(qtbot, panel, bench, ids):
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert bench.article_id == ids[1]
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert bench.article_id == ids[2] and _selected_rows(panel) == [2]


def test_article_list_article_changed_selects_row_without_choosing(qtbot, panel, bench, ids):
    assert _selected_rows(panel) == [0]
    with qtbot.assertNotEmitted(panel.article_chosen):
        bench.show_article(ids[4])
    assert _selected_rows(panel) == [4]
    assert panel.view.currentIndex().row() == 4


def test_article_list_article_outside_filter_has_no_selection(panel, bench, ids):
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    bench.show_article(ids[1])                              # done: filtered out
    assert _selected_rows(panel) == [] and bench.article_id == ids[1]
    assert panel.position() == (0, 2)


def test_article_list_filter_keeps_the_current_article_selected(panel, bench, ids):
    bench.show_article(ids[4])
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    assert _selected_rows(panel) == [1] and bench.article_id == ids[4]


def test_article_list_next_previous_respect_filters(panel, bench, ids):
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    assert panel.position() == (1, 2)
    assert panel.next_article() == ids[4] and bench.article_id == ids[4]
    assert panel.position() == (2, 2) and _selected_rows(panel) == [1]
    assert panel.next_article() is None and bench.article_id == ids[4]
    assert panel.previous_article() == ids[0]
    assert panel.previous_article() is None and bench.article_id == ids[0]


def test_article_list_next_previous_from_an_article_the_filter_leaves_out(panel, bench, ids):
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    bench.show_article(ids[2])
    assert panel.next_article() == ids[4]
    bench.show_article(ids[2])
    assert panel.previous_article() == ids[0]


def test_article_list_focus_search(qtbot, panel):
    panel.search.setText("old words")
    panel.view.setFocus()
    panel.activateWindow()
    panel.focus_search()
    qtbot.waitUntil(panel.search.hasFocus)
    assert panel.search.selectedText() == "old words"


# --- changes ---------------------------------------------------------------------------


def test_article_list_counts_refresh_after_a_command(qtbot, panel, bench, store, ids,
                                                     monkeypatch):
    assert _cell(panel, 0, ENTITIES) == "1"
    fetched = _count_calls(monkeypatch, store, "article_summaries")
    text = store.article(ids[0]).text
    with qtbot.waitSignal(panel.model.dataChanged):
        bench.run(AddSpan(ids[0], *_span_at(text, "Tuesday"), "DATE"))
    assert _cell(panel, 0, ENTITIES) == "2"
    assert fetched == [([ids[0]],)]                         # only the changed row again


def _span_at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_article_list_status_change_refreshes_row_and_counts(panel, bench, ids):
    bench.run(SetStatus(ids[0], Status.DONE))
    assert _cell(panel, 0, STATUS) == "done"
    assert panel.status_filter.itemText(panel.status_filter.findData("done")) == "done (2)"
    assert panel.status_filter.itemText(panel.status_filter.findData("new")) == "new (1)"


def test_article_list_status_change_keeps_the_row_until_the_filter_runs(panel, bench, ids):
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    bench.run(SetStatus(ids[0], Status.DONE))
    assert _titles(panel) == ["Kyiv strikes", "Port attack"]
    assert panel.next_article() == ids[4]


def test_article_list_learns_the_annotator_after_their_first_step(panel, bench, store, ids):
    assert panel.annotator_filter.findData("tester") < 0
    bench.run(AddSpan(ids[3], *_span_at(store.article(ids[3]).text, "Lviv"), "GPE"))
    panel.annotator_filter.setCurrentIndex(panel.annotator_filter.findData("tester"))
    assert _titles(panel) == ["Weather"]


def test_article_list_reload_appends_imported_rows_and_keeps_selection(panel, bench, store,
                                                                       ids):
    bench.show_article(ids[2])
    panel.label_filter.setCurrentIndex(panel.label_filter.findData("GPE"))
    store.insert_articles([_record("Harbour fire", "Fire in Kherson harbour.", Status.NEW,
                                   [("Kherson", "GPE", {"annotator": "cy"})])], annotator="cy")
    panel.reload()
    assert _titles(panel)[-1] == "Harbour fire" and len(_titles(panel)) == 4
    assert _selected_rows(panel) == [1]
    assert panel.annotator_filter.findData("cy") > 0
    assert panel.status_filter.itemText(0) == "All (6)"


# --- the model alone -----------------------------------------------------------------------


def test_article_list_model_cache_stays_bounded(qapp, store, ids, monkeypatch):
    model = ArticleListModel(store)
    model.PAGE, model.CACHE_LIMIT = 2, 3
    fetched = _count_calls(monkeypatch, store, "article_summaries")
    assert [model.summary(row).title for row in range(5)] == [n[0] for n in NEWS]
    assert model.cache_size <= 3
    assert [len(args[0]) for args in fetched] == [2, 2, 1]
    assert model.summary(0).title == "Kyiv strikes"         # evicted, fetched again


# --- 100,000 articles ------------------------------------------------------------------------

MANY = 100_000


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.nmk"
    with create_project(path) as store, store.transaction():
        stamp = "2024-05-01T08:00:00.000Z"
        store.conn.executemany(
            "INSERT INTO articles (uid, title, text, status, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((f"uid{i}", f"Report {i}", f"text {i}", "done" if i % 3 == 0 else "new", stamp, stamp)
             for i in range(MANY)))
    return path


def test_article_list_100k_fetches_only_what_is_shown(qtbot, qapp, open_store, big_project,
                                                      monkeypatch):
    store = open_store(big_project)
    fetched = _count_calls(monkeypatch, store, "article_summaries")
    workbench = Workbench(store, annotator="tester")
    panel = _show(qtbot, workbench)
    qapp.processEvents()
    page = panel.model.PAGE
    assert panel.model.rowCount() == MANY
    assert len(fetched) == 1 and len(fetched[0][0]) <= page
    assert panel.model.cache_size <= page

    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: len(fetched) >= 2)
    qapp.processEvents()
    assert sum(len(args[0]) for args in fetched) <= 3 * page
    assert _cell(panel, MANY - 1, TITLE) == f"Report {MANY - 1}"


def test_article_list_100k_navigation_and_filter_stay_bounded(qtbot, qapp, open_store,
                                                               big_project, monkeypatch):
    store = open_store(big_project)
    workbench = Workbench(store, annotator="tester")
    panel = _show(qtbot, workbench)
    fetched = _count_calls(monkeypatch, store, "article_summaries")
    last = panel.model.article_at(MANY - 1)
    workbench.show_article(last)
    qapp.processEvents()
    assert panel.position() == (MANY, MANY) and panel.next_article() is None
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("done"))
    qapp.processEvents()
    assert panel.model.rowCount() == len(range(0, MANY, 3))
    assert panel.position() == (panel.model.rowCount(), panel.model.rowCount())
    assert sum(len(args[0]) for args in fetched) <= 4 * panel.model.PAGE
