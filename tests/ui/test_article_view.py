"""The article view, driven with real key and mouse events (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from models.domain import ArticleRecord, RelationLabel, State
from ui.article_view import ArticleView
from ui.workbench import Workbench

TEXT = ("👩‍🔬 Dr. Ada Lovelace said the engine works.\r\n"
        "Officials in Paris reportedly confirmed it. Cafe\u0301 owners agreed.")


def view_of(qtbot, store, text: str, width: int = 900, height: int = 500) -> ArticleView:
    """A shown ArticleView on a new article with `text`, annotated by "tester"."""
    store.insert_articles([ArticleRecord(text=text, title="Engine")], annotator="ann")
    bench = Workbench(store, annotator="tester")
    widget = ArticleView(bench)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    bench.show_article(store.article_ids()[-1])
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(qtbot, store):
    widget = view_of(qtbot, store, TEXT)
    widget.setFocus()
    return widget


def spans(view, **where):
    return [(s.start, s.end, s.label) for s in view.workbench.spans()
            if all(getattr(s, k) == v for k, v in where.items())]


def point_at(view, offset: int, *, after: bool = False) -> QPointF:
    """Viewport point of a code point offset (just inside the character)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    rect = view.cursorRect(cursor)
    return QPointF(rect.center().x() + (-2 if after else 2), rect.center().y())


def drag(view, start: int, end: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Press at `start`, move and release at `end`, as a hand on a mouse would."""
    vp = view.viewport()
    a, b = point_at(view, start), point_at(view, end, after=True)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, pos, button, buttons in ((QEvent.Type.MouseButtonPress, a, left, left),
                                       (QEvent.Type.MouseMove, b, none, left),
                                       (QEvent.Type.MouseButtonRelease, b, left, none)):
        event = QMouseEvent(kind, pos, vp.mapToGlobal(pos), button, buttons, modifiers)
        QApplication.sendEvent(vp, event)


def key(qtbot, view, k, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(view, k, modifiers)


def test_article_view_opens_with_caret_at_start_and_focus(view):
    assert view.toPlainText().startswith("👩‍🔬 Dr. Ada")
    assert view.textCursor().position() == 0
    assert view.hasFocus()


def test_article_view_hotkey_labels_the_keyboard_selection(qtbot, view):
    ada = TEXT.index("Ada")
    view.set_caret(ada)
    for _ in range(len("Ada Lovelace")):
        key(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, view, Qt.Key.Key_1)
    assert spans(view) == [(ada, ada + 12, "PERSON")]
    assert TEXT[ada:ada + 12] == "Ada Lovelace"


def test_article_view_ctrl_shift_right_extends_by_token(qtbot, view):
    ada = TEXT.index("Ada")
    view.set_caret(ada)
    key(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.selection() == (ada, ada + len("Ada Lovelace"))


def test_article_view_drag_snaps_to_tokens_and_alt_drag_is_exact(qtbot, view):
    paris = TEXT.index("Paris")
    drag(view, paris + 1, paris + 3)                      # "ari" inside "Paris"
    assert view.selection() == (paris, paris + 5)
    drag(view, paris + 1, paris + 3, Qt.KeyboardModifier.AltModifier)
    assert view.selection() == (paris + 1, paris + 3)


def test_article_view_armed_label_applies_to_the_next_mouse_selection(qtbot, view):
    key(qtbot, view, Qt.Key.Key_3)                        # no selection: arms GPE
    assert view.workbench.armed.name == "GPE"
    paris = TEXT.index("Paris")
    drag(view, paris, paris + 5)
    assert spans(view) == [(paris, paris + 5, "GPE")]


def test_article_view_emoji_and_crlf_offsets_land_on_the_right_code_points(qtbot, view):
    cafe = TEXT.index("Cafe\u0301")
    drag(view, cafe, cafe + 5)
    key(qtbot, view, Qt.Key.Key_2)
    (start, end, _), = spans(view)
    assert TEXT[start:end] == "Cafe\u0301"
    rects = view.line_rects(*view.offsets.span_to_qt(start, end))
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(start))
    assert abs(rects[0].left() - view.cursorRect(cursor).left()) <= 2   # drawn where it is


def test_article_view_double_click_selects_a_token(qtbot, view):
    paris = TEXT.index("Paris")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, paris + 2).toPoint())
    assert view.selection() == (paris, paris + 5)


def test_article_view_claim_with_cue_hedge_and_claimant_by_keys(qtbot, view):
    ada = TEXT.index("Ada Lovelace")
    drag(view, ada, ada + 12)
    key(qtbot, view, Qt.Key.Key_1)                        # PERSON
    claim = TEXT.index("the engine works")
    drag(view, claim, claim + len("the engine works"))
    key(qtbot, view, Qt.Key.Key_C)                        # CLAIM, now being edited
    claim_id = view.workbench.claim_id
    assert claim_id is not None
    said = TEXT.index("said")
    drag(view, said, said + 4)
    key(qtbot, view, Qt.Key.Key_K)                        # CUE, linked to the claim
    view.set_caret(ada + 2)
    key(qtbot, view, Qt.Key.Key_W)                        # claimant = entity at caret
    relations = {(r.label, view.workbench.store.span(r.child_id).label)
                 for r in view.workbench.store.relations_of(claim_id)}
    assert relations == {("cue", "CUE"), ("claimant", "PERSON")}
    attrs = view.workbench.store.annotation(view.workbench.article_id).attributes[claim_id]
    assert attrs["claimant_kind"] == "entity"


def test_article_view_click_on_entity_while_picking_sets_claimant(qtbot, view, store):
    bench = view.workbench
    ada, claim = TEXT.index("Ada Lovelace"), TEXT.index("the engine works")
    bench.set_selection((ada, ada + 12))
    bench.apply_label(store.label("PERSON"))
    bench.set_selection((claim, claim + 16))
    claim_id = bench.apply_label(store.label("CLAIM"))
    view.set_claimant_picking(True)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, ada + 3).toPoint())
    (rel,) = store.relations_of(claim_id)
    assert rel.label == RelationLabel.CLAIMANT and store.span(rel.child_id).label == "PERSON"
    assert not view.claimant_picking


def test_article_view_delete_removes_the_innermost_span_at_the_caret(qtbot, view, store):
    bench = view.workbench
    paris = TEXT.index("Paris")
    sentence = TEXT.index("Officials")
    bench.set_selection((sentence, sentence + 42))
    bench.apply_label(store.label("CLAIM"))
    bench.set_selection((paris, paris + 5))
    bench.apply_label(store.label("GPE"))
    view.set_caret(paris + 1)
    key(qtbot, view, Qt.Key.Key_Delete)
    assert [s[2] for s in spans(view)] == ["CLAIM"]
    key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # no window: no action
    bench.undo()
    assert sorted(s[2] for s in spans(view)) == ["CLAIM", "GPE"]


def test_article_view_suggestions_are_drawn_differently_and_rejected_hidden(qtbot, view, store):
    bench = view.workbench
    paris = TEXT.index("Paris")
    article = bench.article_id
    with store.step("suggest", annotator="model", article_id=article):
        a = store.add_span(article, paris, paris + 5, "GPE", state=State.SUGGESTED, origin="m")
        b = store.add_span(article, 0, 2, "ORG", state=State.REJECTED, origin="m")
    bench.show_article(None)
    bench.show_article(article)
    shown = {v.id: v for v in view.index.spans}
    assert a in shown and shown[a].suggested
    assert b not in shown
    block = view.document().findBlock(view.offsets.to_qt(paris))
    ranges = block.layout().formats()
    fmt = next(f.format for f in ranges if f.start <= view.offsets.to_qt(paris) - block.position() < f.start + f.length)
    assert fmt.underlineStyle() == fmt.UnderlineStyle.DashUnderline
    assert fmt.background().color().alpha() < 100


def test_article_view_escape_clears_selection_then_claim(qtbot, view, store):
    bench = view.workbench
    claim = TEXT.index("the engine works")
    bench.set_selection((claim, claim + 16))
    bench.apply_label(store.label("CLAIM"))
    view.select(claim, claim + 16)
    key(qtbot, view, Qt.Key.Key_Escape)
    assert view.selection() is None and bench.claim_id is not None
    key(qtbot, view, Qt.Key.Key_Escape)
    assert bench.claim_id is None


def test_article_view_restores_caret_of_the_article_after_switching(qtbot, view, store):
    bench = view.workbench
    first = bench.article_id
    store.insert_articles([ArticleRecord(text="Another text here.")], annotator="ann")
    view.set_caret(30)
    view.save_view_state()
    bench.show_article(store.article_ids()[-1])
    bench.show_article(first)
    assert view.caret() == 30


def test_article_view_many_spans_stay_in_sync_after_edits(qtbot, view, store):
    """Every span drawn has the formats of its label at its exact place."""
    bench = view.workbench
    for word in ("Ada", "Paris", "owners"):
        i = TEXT.index(word)
        bench.set_selection((i, i + len(word)))
        bench.apply_label(store.label("ORG"))
    assert len(view.index) == 3
    for v in view.index.spans:
        block = view.document().findBlock(v.qs)
        rel = v.qs - block.position()
        ranges = block.layout().formats()
        fmt = next(r.format for r in ranges if r.start <= rel < r.start + r.length)
        assert fmt.background().color().name() == store.label("ORG").colour


def test_article_view_keys_are_configurable(qtbot, view, store):
    bench = view.workbench
    paris = TEXT.index("Paris")
    bench.set_selection((paris, paris + 5))
    bench.apply_label(store.label("GPE"))
    view.set_keys({"delete_span": ["Ctrl+D"], "escape": ["Esc"], "claimant": ["W"]})
    view.set_caret(paris + 1)
    key(qtbot, view, Qt.Key.Key_Delete)                   # no longer bound: nothing removed
    assert spans(view) == [(paris, paris + 5, "GPE")]
    key(qtbot, view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert spans(view) == []


def test_article_view_incremental_index_equals_a_fresh_one(qtbot, view, store):
    """Spans are updated in place after each change; the result must equal a rebuild."""
    from app.commands import RelabelSpan, SetSpanState
    from ui.span_index import SpanIndex
    bench = view.workbench
    ids = []
    for word in ("Ada", "Lovelace", "Paris", "owners", "engine"):
        i = TEXT.index(word)
        bench.set_selection((i, i + len(word)))
        ids.append(bench.apply_label(store.label("ORG")))
    bench.run(RelabelSpan(ids[1], "PERSON"))
    bench.run(SetSpanState(ids[2], State.REJECTED))
    bench.remove_span(ids[3])
    bench.undo()
    bench.undo()
    bench.redo()

    def shape(index):
        return [(v.id, v.qs, v.qe, v.span.label, v.span.state) for v in index.spans]
    labels = {lab.name: lab for lab in store.schema().labels}
    fresh = SpanIndex(store.spans(bench.article_id), labels, view.offsets)
    assert shape(view.index) == shape(fresh)
    assert len(view.index) == 4


@pytest.mark.parametrize("prefix", [
    "👩‍🔬 ZWJ sequence, then ",            # astral + ZWJ: 2 UTF-16 units each
    "Line one\r\nthen ",                   # CRLF folded into one break
    "Line one\rthen ",                     # lone CR is a break
    "Line one\u2028then ",                 # LINE SEPARATOR
    "\ufeffBOM first, then ",              # Qt drops a leading U+FEFF
    "Cafe\u0301 and ",                     # combining mark
    "𝔸𝔹ℂ 🇺🇦 flags and ",                  # astral letters, a flag (two regional indicators)
])
def test_article_view_span_lands_on_code_points_and_is_drawn_there(qtbot, store, prefix):
    text = prefix + "Paris is calm."
    view = view_of(qtbot, store, text, 700, 300)
    bench = view.workbench
    start = text.index("Paris")
    drag(view, start + 1, start + 4)                     # inside the word: snaps to it
    qtbot.keyClick(view, Qt.Key.Key_3)
    (span,) = store.spans(bench.article_id)
    assert (span.start, span.end, text[span.start:span.end]) == (start, start + 5, "Paris")
    v = view.index.by_id[span.id]
    cursor = QTextCursor(view.document())
    cursor.setPosition(v.qs)
    cursor.setPosition(v.qe, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "Paris"                # the Qt range holds the word
    (rect,) = view.line_rects(v.qs, v.qe)
    cursor.setPosition(v.qs)
    assert abs(rect.left() - view.cursorRect(cursor).left()) <= 2


def _suggest(store, article, *words_labels):
    ids = []
    with store.step("suggest", annotator=None, article_id=article):
        for word, label in words_labels:
            i = TEXT.index(word)
            ids.append(store.add_span(article, i, i + len(word), label, state=State.SUGGESTED,
                                      origin="patterns"))
    return ids


def test_article_view_review_suggestions_with_tab_a_and_x(qtbot, view, store):
    bench = view.workbench
    article = bench.article_id
    ada, paris, owners = _suggest(store, article, ("Ada", "PERSON"), ("Paris", "GPE"),
                                  ("owners", "NORP"))
    bench.reload()
    key(qtbot, view, Qt.Key.Key_Tab)                      # first suggestion selected
    assert view.selection() == (TEXT.index("Ada"), TEXT.index("Ada") + 3)
    key(qtbot, view, Qt.Key.Key_A)                        # accept, move to Paris
    assert store.span(ada).state == State.ACCEPTED and store.span(ada).annotator == "tester"
    assert view.selection() == (TEXT.index("Paris"), TEXT.index("Paris") + 5)
    key(qtbot, view, Qt.Key.Key_X)                        # reject: hidden, remembered
    assert store.span(paris).state == State.REJECTED
    assert paris not in view.index.by_id
    assert view.selection() == (TEXT.index("owners"), TEXT.index("owners") + 6)
    key(qtbot, view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)   # wraps around
    assert view.selection() == (TEXT.index("owners"), TEXT.index("owners") + 6)
    assert view.hasFocus()                                # Tab did not move the focus away


def test_article_view_shift_a_accepts_all_as_one_undo_step(qtbot, view, store):
    bench = view.workbench
    ids = _suggest(store, bench.article_id, ("Ada", "PERSON"), ("Paris", "GPE"))
    bench.reload()
    key(qtbot, view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert all(store.span(i).state == State.ACCEPTED for i in ids)
    assert all(not v.suggested for v in view.index.spans)
    bench.undo()
    assert all(store.span(i).state == State.SUGGESTED for i in ids)
