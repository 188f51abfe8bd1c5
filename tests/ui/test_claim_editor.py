"""The claim editor: claimant, cue, hedges and attributes, bound to the store both ways."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from app.commands import AddLinkedSpan, AddSpan, SetClaimAttribute
from models.domain import AttributeDef, RelationLabel
from ui.claim_editor import ClaimEditor, elide_lines



@pytest.fixture
def editor(qtbot, workbench):
    widget = ClaimEditor(workbench)
    qtbot.addWidget(widget)
    widget.resize(340, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def span_id(store, article, label):
    return next(s.id for s in store.spans(article) if s.label == label)


@pytest.fixture
def claim(workbench, store, article):
    claim_id = span_id(store, article, "CLAIM")
    workbench.set_claim(claim_id)
    return claim_id


def stored(store, article, claim_id) -> dict[str, str]:
    return store.annotation(article).attributes.get(claim_id, {})


def links(store, claim_id, role) -> list:
    return [r for r in store.relations_of(claim_id) if r.label == role]


def test_claim_editor_without_a_claim_shows_the_hint_and_is_disabled(editor):
    assert editor.text.full == "Select a claim (click it) or make one: select text and press C"
    assert not editor.form.isEnabled()


def test_claim_editor_selecting_a_claim_enables_it_with_its_text(editor, claim):
    assert editor.form.isEnabled()
    assert editor.text.full == "the engine works"


def test_claim_editor_has_a_control_for_every_attribute_of_the_schema(editor, store):
    names = {d.name for d in store.schema().attributes}
    assert set(editor.controls) == names
    assert isinstance(editor.controls["note"], QPlainTextEdit)
    assert isinstance(editor.controls["claimant_text"], QLineEdit)
    stance = editor.controls["stance"]
    assert isinstance(stance, QComboBox)
    assert [stance.itemText(i) for i in range(stance.count())] == [
        "—", "affirm", "refute", "neutral", "unknown"]


def test_claim_editor_typing_in_the_stance_combo_stores_it_and_undo_restores(
        qtbot, editor, workbench, store, article, claim):
    stance = editor.controls["stance"]
    qtbot.keyClicks(stance, "ref")
    assert stance.currentData() == "refute"
    assert stored(store, article, claim)["stance"] == "refute"
    workbench.undo()
    assert "stance" not in stored(store, article, claim)
    assert stance.currentText() == "—"
    workbench.redo()
    assert stance.currentText() == "refute"


def test_claim_editor_arrow_keys_change_a_combo_one_step_each(qtbot, editor, workbench, store, article, claim):
    verdict = editor.controls["verdict"]
    qtbot.keyClick(verdict, Qt.Key.Key_Down)
    qtbot.keyClick(verdict, Qt.Key.Key_Down)
    assert stored(store, article, claim)["verdict"] == "supported"
    workbench.undo()
    assert verdict.currentData() == "unverified"


def test_claim_editor_shows_values_set_by_others(editor, workbench, claim):
    workbench.run(SetClaimAttribute(claim, "claim_type", "statistic"))
    assert editor.controls["claim_type"].currentData() == "statistic"


def test_claim_editor_note_is_stored_after_typing_stops(qtbot, editor, store, article, claim):
    note = editor.controls["note"]
    qtbot.keyClicks(note, "check the figures")
    assert "note" not in stored(store, article, claim)              # debounced, not yet
    qtbot.waitUntil(lambda: stored(store, article, claim).get("note") == "check the figures",
                    timeout=3000)


def test_claim_editor_flush_stores_typed_text_at_once_as_one_step(qtbot, editor, workbench, store,
                                                                 article, claim):
    qtbot.keyClicks(editor.controls["note"], "source?")
    editor.controls["claimant_text"].setFocus()
    qtbot.keyClicks(editor.controls["claimant_text"], "an official")
    editor.flush()
    assert stored(store, article, claim) == {"note": "source?", "claimant_text": "an official"}
    workbench.undo()
    assert stored(store, article, claim) == {}
    assert editor.controls["note"].toPlainText() == ""


def test_claim_editor_focus_out_stores_the_text(qtbot, editor, store, article, claim):
    note = editor.controls["note"]
    note.setFocus()
    qtbot.keyClicks(note, "later")
    editor.controls["stance"].setFocus()                  # well before the debounce fires
    assert note.hasFocus() is False
    assert stored(store, article, claim).get("note") == "later"


def test_claim_editor_switching_claims_stores_text_on_the_old_claim(qtbot, editor, workbench, store, article,
                                                                  claim):
    workbench.run(AddSpan(article, 41, 46, "CLAIM"))
    other = next(s.id for s in store.spans(article) if s.label == "CLAIM" and s.id != claim)
    qtbot.keyClicks(editor.controls["note"], "first")
    workbench.set_claim(other)
    assert stored(store, article, claim)["note"] == "first"
    assert editor.controls["note"].toPlainText() == ""
    assert editor.text.full == "Paris"


def test_claim_editor_clearing_a_text_unsets_it(qtbot, editor, workbench, store, article, claim):
    workbench.run(SetClaimAttribute(claim, "note", "x"))
    note = editor.controls["note"]
    assert note.toPlainText() == "x"
    note.selectAll()
    qtbot.keyClick(note, Qt.Key.Key_Backspace)
    editor.flush()
    assert "note" not in stored(store, article, claim)


def test_claim_editor_shows_the_claimant_set_in_the_text(qtbot, editor, workbench, store, article, claim):
    person = span_id(store, article, "PERSON")
    qtbot.mouseClick(editor.pick, Qt.MouseButton.LeftButton)
    assert editor.claimant_picking
    with qtbot.waitSignal(editor.claimant_pick_requested) as blocker:
        workbench.set_claimant(person)                  # what the view does on the next click
    assert blocker.args == [False]
    assert not editor.claimant_picking and not editor.pick.isChecked()
    assert editor.claimant_stack.currentWidget() is editor.claimant
    assert editor.claimant.button.text() == "Ada Lovelace  · PERSON"
    assert editor.controls["claimant_kind"].currentData() == "entity"


def test_claim_editor_choosing_entity_kind_starts_picking(qtbot, editor, store, article, claim):
    with qtbot.waitSignal(editor.claimant_pick_requested) as blocker:
        qtbot.keyClicks(editor.controls["claimant_kind"], "ent")
    assert blocker.args == [True] and editor.pick.isChecked()
    assert stored(store, article, claim)["claimant_kind"] == "entity"
    assert "Pick in text" in editor.claimant_missing.text()


def test_claim_editor_pick_button_requests_picking(qtbot, editor, claim):
    with qtbot.waitSignal(editor.claimant_pick_requested) as blocker:
        qtbot.mouseClick(editor.pick, Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    with qtbot.waitSignal(editor.claimant_pick_requested) as blocker:
        qtbot.keyClick(editor.pick, Qt.Key.Key_Space)
    assert blocker.args == [False]


def test_claim_editor_author_kind_with_text_is_stored(qtbot, editor, store, article, claim):
    kind = editor.controls["claimant_kind"]
    qtbot.keyClicks(kind, "the")                        # "the article's author"
    assert stored(store, article, claim)["claimant_kind"] == "author"
    text = editor.controls["claimant_text"]
    assert editor.claimant_stack.currentWidget() is text
    qtbot.keyClicks(text, "Jane Roe")
    editor.flush()
    assert stored(store, article, claim) == {"claimant_kind": "author", "claimant_text": "Jane Roe"}


def test_claim_editor_unnamed_kind_replaces_the_entity_claimant_in_one_step(
        qtbot, editor, workbench, store, article, claim):
    workbench.set_claimant(span_id(store, article, "PERSON"))
    qtbot.keyClicks(editor.controls["claimant_kind"], "unn")
    assert stored(store, article, claim)["claimant_kind"] == "unnamed"
    assert links(store, claim, RelationLabel.CLAIMANT) == []
    assert editor.claimant_stack.currentWidget() is editor.controls["claimant_text"]
    workbench.undo()
    assert len(links(store, claim, RelationLabel.CLAIMANT)) == 1
    assert editor.controls["claimant_kind"].currentData() == "entity"
    assert editor.claimant_stack.currentWidget() is editor.claimant


def test_claim_editor_unlinking_the_cue_removes_the_relation(qtbot, editor, workbench, store, article, claim):
    workbench.set_selection((17, 21))                     # "said"
    workbench.apply_label(store.schema().label("CUE"))
    assert editor.cue.isVisible() and "said" in editor.cue.button.text()
    qtbot.mouseClick(editor.cue.unlink, Qt.MouseButton.LeftButton)
    assert links(store, claim, RelationLabel.CUE) == []
    assert any(s.label == "CUE" for s in store.spans(article))     # the span stays
    assert not editor.cue.isVisible() and editor.cue_missing.isVisible()


def test_claim_editor_lists_hedges_and_unlinks_one(qtbot, editor, workbench, store, article, claim):
    workbench.run(AddLinkedSpan(article, 0, 3, "HEDGE", claim, RelationLabel.HEDGE))
    workbench.run(AddLinkedSpan(article, 41, 46, "HEDGE", claim, RelationLabel.HEDGE))
    assert [h.button.text() for h in editor.hedges] == ["Dr.  · HEDGE", "Paris  · HEDGE"]
    qtbot.mouseClick(editor.hedges[0].unlink, Qt.MouseButton.LeftButton)
    assert [h.button.text() for h in editor.hedges] == ["Paris  · HEDGE"]
    assert len(links(store, claim, RelationLabel.HEDGE)) == 1


def test_claim_editor_clicking_a_linked_span_focuses_it(qtbot, editor, workbench, store, article, claim):
    person = span_id(store, article, "PERSON")
    workbench.set_claimant(person)
    with qtbot.waitSignal(workbench.span_focus_requested) as blocker:
        qtbot.mouseClick(editor.claimant.button, Qt.MouseButton.LeftButton)
    assert blocker.args == [person]


def test_claim_editor_removing_the_claim_shows_the_hint(editor, workbench, claim):
    workbench.remove_span(claim)
    assert editor.text.full == editor.hint and not editor.form.isEnabled()
    workbench.undo()                                      # the claim is back, not selected
    assert workbench.claim_id is None


def test_claim_editor_undoing_the_claim_away_clears_it(editor, workbench, store, article):
    workbench.set_selection((41, 46))
    claim_id = workbench.apply_label(store.schema().label("CLAIM"))
    assert editor.claim_id == claim_id
    workbench.undo()
    assert workbench.claim_id is None and editor.text.full == editor.hint


def test_claim_editor_typing_is_not_overwritten_by_other_changes(qtbot, editor, workbench, store, article,
                                                                 claim):
    qtbot.keyClicks(editor.controls["note"], "half a tho")
    workbench.run(SetClaimAttribute(claim, "stance", "affirm"))
    assert editor.controls["note"].toPlainText() == "half a tho"
    assert editor.controls["stance"].currentData() == "affirm"


def test_claim_editor_elide_lines_keeps_to_the_line_count(editor):
    metrics = editor.fontMetrics()
    text = " ".join(["word"] * 200)
    out = elide_lines(text, metrics, 120, 3).split("\n")
    assert len(out) == 3 and out[-1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 120 for line in out)


def test_claim_editor_builds_controls_for_attributes_added_later(qtbot, editor, workbench, store, article,
                                                                claim):
    qtbot.keyClicks(editor.controls["note"], "kept")
    store.save_attribute_def(AttributeDef("region", "choice", ("north", "south")))
    workbench.schema_changed.emit()
    assert stored(store, article, claim)["note"] == "kept"          # flushed before rebuilding
    region = editor.controls["region"]
    qtbot.keyClicks(region, "so")
    assert stored(store, article, claim)["region"] == "south"
    assert editor.controls["note"].toPlainText() == "kept"


def test_claim_editor_unlinking_a_hedge_from_the_keyboard_keeps_focus_in_the_editor(
        qtbot, editor, workbench, store, article, claim):
    workbench.run(AddLinkedSpan(article, 0, 3, "HEDGE", claim, RelationLabel.HEDGE))
    workbench.run(AddLinkedSpan(article, 41, 46, "HEDGE", claim, RelationLabel.HEDGE))
    editor.hedges[0].unlink.setFocus()
    qtbot.keyClick(editor.hedges[0].unlink, Qt.Key.Key_Space)
    assert len(editor.hedges) == 1
    assert QApplication.focusWidget() is editor.hedges[0].unlink
