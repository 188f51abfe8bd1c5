"""The right-hand panel: palette buttons, the span list, and how both follow the workbench."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.commands import AddSpan, RelabelSpan, SetSpanState
from models.domain import Label, Layer, State
from ui.annotation_panel import AnnotationPanel
from ui.span_list import SpanListModel, SpanRole



@pytest.fixture
def panel(qtbot, workbench):
    widget = AnnotationPanel(workbench)
    qtbot.addWidget(widget)
    widget.resize(340, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows(panel) -> list[str]:
    model = panel.span_list.proxy
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def click_row(qtbot, panel, row: int) -> None:
    view = panel.span_list.view
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def span_id(store, article, label):
    return next(s.id for s in store.spans(article) if s.label == label)


# --- palette -------------------------------------------------------------------------

def test_annotation_panel_palette_buttons_show_hotkey_name_and_description(panel, store):
    button = panel.label_palette.buttons["PERSON"]
    assert button.text() == "1 PERSON"
    assert button.toolTip() == store.schema().label("PERSON").description
    assert set(panel.label_palette.buttons) == {lab.name for lab in store.schema().labels}


def test_annotation_panel_palette_click_labels_the_selection(qtbot, panel, workbench, store, article):
    workbench.set_selection((0, 3))
    qtbot.mouseClick(panel.label_palette.buttons["ORG"], Qt.MouseButton.LeftButton)
    assert any((s.start, s.end, s.label) == (0, 3, "ORG") for s in store.spans(article))
    assert workbench.armed is None
    assert not panel.label_palette.buttons["ORG"].isChecked()


def test_annotation_panel_palette_click_without_selection_arms_the_label(qtbot, panel, workbench):
    buttons = panel.label_palette.buttons
    qtbot.mouseClick(buttons["GPE"], Qt.MouseButton.LeftButton)
    assert workbench.armed is not None and workbench.armed.name == "GPE"
    assert buttons["GPE"].isChecked()
    qtbot.mouseClick(buttons["LOC"], Qt.MouseButton.LeftButton)
    assert workbench.armed.name == "LOC"
    assert [n for n, b in buttons.items() if b.isChecked()] == ["LOC"]
    qtbot.mouseClick(buttons["LOC"], Qt.MouseButton.LeftButton)       # a second click disarms
    assert workbench.armed is None
    assert not any(b.isChecked() for b in buttons.values())


def test_annotation_panel_palette_shows_a_label_armed_elsewhere(panel, workbench, store):
    workbench.arm(store.schema().label("HEDGE"))
    assert panel.label_palette.buttons["HEDGE"].isChecked()


# --- span list -------------------------------------------------------------------------

def test_annotation_panel_span_list_shows_claims_first_with_their_text(panel):
    assert rows(panel) == ["CLAIM   the engine works", "PERSON   Ada Lovelace"]
    assert panel.span_list.count.text() == "2"


def test_annotation_panel_span_list_follows_commands_and_undo(panel, workbench, article):
    workbench.run(AddSpan(article, 41, 46, "GPE"))
    assert rows(panel)[-1] == "GPE   Paris"
    workbench.undo()
    assert rows(panel) == ["CLAIM   the engine works", "PERSON   Ada Lovelace"]


def test_annotation_panel_span_list_inserts_a_row_without_resetting(qtbot, panel, workbench, article):
    panel.span_list.view.setCurrentIndex(panel.span_list.proxy.index(1, 0))
    resets = []
    panel.span_list.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(panel.span_list.model.rowsInserted):
        workbench.run(AddSpan(article, 0, 3, "PERSON"))
    assert resets == []
    assert panel.span_list.view.currentIndex().data() == "PERSON   Ada Lovelace"


def test_annotation_panel_span_list_text_is_one_line_across_crlf(panel, workbench, article):
    workbench.run(AddSpan(article, 33, 46, "EVENT"))          # "works.\r\nParis"
    assert "EVENT   works. Paris" in rows(panel)


def test_annotation_panel_span_list_marks_suggestions_and_hides_rejected(panel, workbench, store, article):
    workbench.run(AddSpan(article, 41, 46, "GPE", state=State.SUGGESTED))
    model = panel.span_list.model
    row = model.row_of(span_id(store, article, "GPE"))
    index = model.index(row)
    assert index.data() == "GPE (suggested)   Paris"
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    workbench.run(SetSpanState(span_id(store, article, "GPE"), State.REJECTED))
    assert not any("Paris" in r for r in rows(panel))


def test_annotation_panel_span_list_redraws_a_relabelled_span(panel, workbench, store, article):
    workbench.run(RelabelSpan(span_id(store, article, "PERSON"), "ORG"))
    assert "ORG   Ada Lovelace" in rows(panel)


def test_annotation_panel_span_list_click_focuses_the_span(qtbot, panel, workbench, store, article):
    person = span_id(store, article, "PERSON")
    with qtbot.waitSignal(workbench.span_focus_requested) as blocker:
        click_row(qtbot, panel, 1)
    assert blocker.args == [person]
    assert workbench.claim_id is None


def test_annotation_panel_span_list_click_on_a_claim_makes_it_the_claim(qtbot, panel, workbench, store, article):
    with qtbot.waitSignal(workbench.claim_changed):
        click_row(qtbot, panel, 0)
    assert workbench.claim_id == span_id(store, article, "CLAIM")
    assert panel.claim_editor.form.isEnabled()


def test_annotation_panel_span_list_enter_focuses_the_current_span(qtbot, panel, workbench, store, article):
    view = panel.span_list.view
    view.setCurrentIndex(view.model().index(1, 0))
    with qtbot.waitSignal(workbench.span_focus_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [span_id(store, article, "PERSON")]


def test_annotation_panel_span_list_delete_removes_the_span(qtbot, panel, workbench, store, article):
    view = panel.span_list.view
    view.setCurrentIndex(view.model().index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [s.label for s in store.spans(article)] == ["CLAIM"]
    assert rows(panel) == ["CLAIM   the engine works"]
    workbench.undo()
    assert rows(panel) == ["CLAIM   the engine works", "PERSON   Ada Lovelace"]


def test_annotation_panel_span_list_filter_narrows_rows(qtbot, panel):
    qtbot.keyClicks(panel.span_list.filter, "ada")
    assert rows(panel) == ["PERSON   Ada Lovelace"]
    panel.span_list.filter.clear()
    assert len(rows(panel)) == 2


def test_annotation_panel_span_list_selects_the_claim_being_edited(panel, workbench, store, article):
    workbench.set_claim(span_id(store, article, "CLAIM"))
    current = panel.span_list.view.currentIndex()
    assert current.data(SpanRole).id == workbench.claim_id


def test_annotation_panel_span_list_empties_without_an_article(panel, workbench):
    workbench.show_article(None)
    assert rows(panel) == []


def test_annotation_panel_span_list_model_turns_one_removal_into_rows_removed(qtbot, store, article):
    model = SpanListModel()
    spans = store.spans(article)
    model.reset(store.article(article).text, spans, {})
    with qtbot.waitSignal(model.rowsRemoved) as blocker:
        model.update([s for s in spans if s.label == "CLAIM"])
    assert blocker.args[1:] == [1, 1]
    assert model.rowCount() == 1


def test_annotation_panel_tab_reaches_every_control_in_order(qtbot, panel, workbench, store, article):
    workbench.set_claim(span_id(store, article, "CLAIM"))
    first = panel.label_palette.buttons["PERSON"]
    first.setFocus()
    seen = [first]
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is first:
            break
        seen.append(QApplication.focusWidget())
    editor = panel.claim_editor
    wanted = [*panel.label_palette.buttons.values(), panel.span_list.filter, panel.span_list.view,
              editor.controls["claimant_kind"], editor.pick, *[editor.controls[n] for n in
              ("stance", "claim_type", "quote_type", "certainty", "check_worthy", "verdict", "note")]]
    assert [w for w in seen if w in wanted] == wanted


def test_annotation_panel_follows_schema_edits(panel, workbench, store):
    store.save_label(Label("SHIP", Layer.ENTITY, "#123456", "s", "Named vessels"))
    store.save_label(Label("PERSON", Layer.ENTITY, "#000000", "1", "People"))
    workbench.schema_changed.emit()
    assert panel.label_palette.buttons["SHIP"].text() == "s SHIP"
    icon = panel.span_list.model.index(1).data(Qt.ItemDataRole.DecorationRole)
    assert icon.pixmap(12, 12).toImage().pixelColor(6, 6).name() == "#000000"
