"""The article on screen: read-only text, spans drawn in place, keyboard-first labelling.

The text is plain text (never HTML; nothing is loaded). Offsets go through `OffsetMap`
(ui/offsets.py), the one place where code points meet Qt's UTF-16 positions. Only the
blocks on screen are formatted and painted, so a 200,000-character article with 5,000
spans opens at once.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QFont, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QTextCursor,
                           QTextOption)
from PySide6.QtWidgets import QPlainTextEdit

from models.domain import ArticleId, Layer, RelationLabel, Span, SpanId, State
from ui.offsets import OffsetMap
from ui.span_index import SpanIndex, ViewSpan
from ui.span_painter import (SpanHighlighter, TagMetrics, paint_claim_bar, paint_outline,
                             paint_tag, tag_text)
from ui.workbench import Workbench

WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)
INCREMENTAL_LIMIT = 200        # more spans changed at once (accept all, undo of a bulk): rebuild
# Keys of the view's own verbs (configurable: ui/shortcuts.py); labels use schema hotkeys.
VIEW_KEYS = {"delete_span": ["Delete", "Backspace"], "claimant": ["W"], "escape": ["Esc"],
             "accept": ["A"], "reject": ["X"], "accept_all": ["Shift+A"],
             "next_suggestion": ["Tab"], "previous_suggestion": ["Shift+Tab", "Shift+Backtab"],
             "occurrences": ["Ctrl+L"]}
Move = QTextCursor.MoveOperation
Anchor = QTextCursor.MoveMode


def fallback_tokens(text: str) -> list[tuple[int, int]]:
    """Word boundaries until spaCy's tokens arrive from the worker."""
    return [m.span() for m in WORD.finditer(text)]


class ArticleView(QPlainTextEdit):
    """Shows `workbench.article_id`; reports selections to the workbench; keys label."""

    view_state_changed = Signal()
    claimant_picking_changed = Signal(bool)

    def __init__(self, workbench: Workbench, *, tokenizer=None, parent=None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.tokenizer = tokenizer          # callable(text, done_callback) or None
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                     | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.setObjectName("articleView")
        self.setFont(self._reading_font(13))
        self.tags = TagMetrics(self.font())
        self.highlighter = SpanHighlighter(self.document(), self.tags)
        self.text = ""
        self.article_id: ArticleId | None = None     # the article this view shows
        self.offsets = OffsetMap("", "")
        self.index = SpanIndex([], {}, self.offsets)
        self.tokens: list[tuple[int, int]] = []
        self.claimant_picking = False
        self.keys: dict[str, str] = {}
        self.set_keys(VIEW_KEYS)
        self._state_timer = QTimer(self, singleShot=True, interval=400)
        self._state_timer.timeout.connect(self.save_view_state)
        self.cursorPositionChanged.connect(self._state_timer.start)
        self.verticalScrollBar().valueChanged.connect(self._state_timer.start)
        workbench.article_changed.connect(self.load_article)
        workbench.changed.connect(self._on_changed)
        workbench.claim_changed.connect(lambda _: self.viewport().update())
        workbench.span_focus_requested.connect(self.focus_span)
        workbench.schema_changed.connect(lambda: self._reindex(rehighlight=True))

    @staticmethod
    def _reading_font(size: int) -> QFont:
        font = QFont()
        font.setFamilies(["Noto Serif", "Georgia", "DejaVu Serif", "serif"])
        font.setPointSize(size)
        return font

    def set_text_font(self, font: QFont) -> None:
        self.setFont(font)
        self.tags = TagMetrics(font)
        self.highlighter.tags = self.tags
        self._reindex(rehighlight=True)

    # --- loading -------------------------------------------------------------------

    def load_article(self, article_id: ArticleId | None) -> None:
        self.save_view_state()
        store = self.workbench.store
        self.article_id = article_id
        self.text = store.article(article_id).text if article_id is not None else ""
        self.highlighter.set_index(None, rehighlight=False)
        self.setPlainText(self.text)
        self.document().setDocumentMargin(18)
        self.offsets = OffsetMap.for_document(self.text, self.document())
        self.tokens = fallback_tokens(self.text)
        if self.tokenizer is not None and self.text:
            self.tokenizer(self.text, self._tokens_arrived(article_id))
        self._reindex(rehighlight=True)
        self._restore_view_state(article_id)

    def _tokens_arrived(self, article_id: ArticleId | None):
        def done(tokens: list[tuple[int, int]]) -> None:
            if article_id == self.workbench.article_id:
                self.tokens = tokens
        return done

    def _reindex(self, *, rehighlight: bool) -> None:
        labels = {lab.name: lab for lab in self.workbench.store.schema().labels}
        old = self.index
        self.index = SpanIndex(self.workbench.spans(), labels, self.offsets)
        if rehighlight:
            self.highlighter.set_index(self.index)
        else:
            self.highlighter.set_index(self.index, rehighlight=False)
            for a, b in _changed_ranges(old, self.index):
                self.highlighter.rehighlight_range(a, b)
        self.viewport().update()

    def _on_changed(self, changes, initiator) -> None:
        if changes.article_id not in (None, self.workbench.article_id):
            return
        touched = changes.touched("spans")
        if len(touched) > INCREMENTAL_LIMIT:
            self._reindex(rehighlight=False)
            return
        store = self.workbench.store
        for span_id in touched:
            span = store.span(span_id)
            if span is not None and span.article_id != self.article_id:
                span = None
            for a, b in self.index.update(span_id, span):
                self.highlighter.rehighlight_range(a, b)
        self.viewport().update()

    # --- selection in code points ----------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.span_to_text(cursor.selectionStart(), cursor.selectionEnd())

    def select(self, start: int, end: int) -> None:
        """Select [start, end) (code points) and tell the workbench."""
        qs, qe = self.offsets.span_to_qt(start, end)
        cursor = self.textCursor()
        cursor.setPosition(qs)
        cursor.setPosition(qe, Anchor.KeepAnchor)
        self.setTextCursor(cursor)
        self.workbench.set_selection((start, end) if end > start else None)

    def caret(self) -> int:
        return self.offsets.to_text(self.textCursor().position())

    def set_caret(self, offset: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(offset))
        self.setTextCursor(cursor)
        self.workbench.set_selection(None)

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Grow a selection to whole tokens (whitespace at the edges dropped)."""
        starts = [s for s, _ in self.tokens]
        ends = [e for _, e in self.tokens]
        first = bisect_right(ends, start)
        last = bisect_left(starts, end) - 1
        if start >= end or first > last:
            return start, start
        return starts[first], ends[last]

    def focus_span(self, span_id: SpanId) -> None:
        v = self.index.by_id.get(span_id)
        if v is None:
            return
        self.select(v.span.start, v.span.end)
        self.centerCursor()
        self.setFocus()

    # --- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.textCursor().hasSelection():
            cursor = self.textCursor()
            cursor.clearSelection()          # a press starts a new selection, never a text drag
            self.setTextCursor(cursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        exact = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        chosen = self.selection()
        if chosen is not None:
            start, end = chosen if exact else self.snap(*chosen)
            self.select(start, end)
            if end > start and self.workbench.armed is not None:
                self.apply_label(self.workbench.armed)
            return
        self.workbench.set_selection(None)
        self._clicked(self.cursorForPosition(event.position().toPoint()).position())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        position = self.offsets.to_text(self.cursorForPosition(event.position().toPoint()).position())
        token = next(((s, e) for s, e in self.tokens if s <= position < e), None)
        if token is None:
            super().mouseDoubleClickEvent(event)
            return
        self.select(*token)

    def _clicked(self, qt_position: int) -> None:
        """A click without a drag: pick a claimant, or select the claim under it."""
        entity = self.index.innermost(qt_position, layer=Layer.ENTITY)
        if self.claimant_picking and entity is not None:
            self.workbench.set_claimant(entity.id, initiator=self)
            self.set_claimant_picking(False)
            return
        self.set_claimant_picking(False)        # a click elsewhere ends the picking
        claim = self.index.innermost(qt_position, layer=Layer.CLAIM)
        self.workbench.set_claim(claim.id if claim else None)

    def set_claimant_picking(self, on: bool) -> None:
        if on != self.claimant_picking:
            self.claimant_picking = on
            self.claimant_picking_changed.emit(on)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if on
                                  else Qt.CursorShape.IBeamCursor)

    # --- keyboard ---------------------------------------------------------------------

    def set_keys(self, bindings: dict[str, list[str]]) -> None:
        """Key sequence text -> view action ("delete_span", "claimant", "escape")."""
        self.keys = {QKeySequence(k).toString(QKeySequence.SequenceFormat.PortableText): action
                     for action, keys in bindings.items() for k in keys}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        pressed = QKeySequence(event.keyCombination()).toString(QKeySequence.SequenceFormat.PortableText)
        action = self.keys.get(pressed)
        if action is not None:
            self._run_view_action(action)
            return
        if self._label_key(event) or self._token_move(event):
            return
        super().keyPressEvent(event)
        self.workbench.set_selection(self.selection())

    def event(self, event) -> bool:  # noqa: D102 (Tab reviews suggestions, not focus)
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def _run_view_action(self, action: str) -> None:
        verbs = {"delete_span": self.remove_at_caret, "claimant": self._claimant_at_caret,
                 "escape": self.escape,
                 "accept": lambda: self.decide_at_caret(State.ACCEPTED),
                 "reject": lambda: self.decide_at_caret(State.REJECTED),
                 "accept_all": lambda: self.workbench.accept_all(initiator=self),
                 "next_suggestion": lambda: self.jump_to_suggestion(backwards=False),
                 "previous_suggestion": lambda: self.jump_to_suggestion(backwards=True),
                 "occurrences": self.label_occurrences}
        verbs[action]()

    def _suggestion_at_caret(self) -> ViewSpan | None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            exact = [v for v in self.index.overlapping(cursor.selectionStart(), cursor.selectionEnd())
                     if v.suggested and (v.qs, v.qe) == (cursor.selectionStart(), cursor.selectionEnd())]
            if exact:
                return exact[0]
        return next((v for v in self.index.at(cursor.position()) if v.suggested), None)

    def span_at_caret(self) -> Span | None:
        """The innermost span at the caret (or the selection's start), from the store."""
        cursor = self.textCursor()
        span = self.index.innermost(cursor.selectionStart() if cursor.hasSelection()
                                    else cursor.position())
        return None if span is None else self.workbench.store.span(span.id)

    def label_occurrences(self) -> None:
        """Ctrl+L: suggest the span's label wherever its text occurs again in the article."""
        span = self.span_at_caret()
        if span is None:
            self.workbench.error.emit("put the caret on a span first")
            return
        self.workbench.suggest_occurrences(span.id)

    def decide_at_caret(self, state: State) -> None:
        """A / X: accept or reject the suggestion at the caret, then go to the next one."""
        target = self._suggestion_at_caret()
        if target is None:
            self.workbench.error.emit("no suggestion here: Tab goes to the next one")
            return
        if self.workbench.decide(target.id, state, initiator=self):
            self.jump_to_suggestion(backwards=False, after=target.qs)

    def jump_to_suggestion(self, *, backwards: bool, after: int | None = None) -> None:
        cursor = self.textCursor()
        here = cursor.selectionStart() if backwards else cursor.selectionEnd()
        position = here if after is None else after
        target = self.index.next_suggestion(position, backwards=backwards)
        if target is None:
            self.workbench.error.emit("no open suggestions in this article")
            return
        self.select(target.span.start, target.span.end)
        self.ensureCursorVisible()

    def _label_key(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        key = event.text().lower()
        if not key or not key.isprintable():
            return False
        label = next((lab for lab in self.workbench.store.schema().labels if lab.hotkey == key), None)
        if label is not None:
            self.apply_label(label)
            return True
        return False

    def apply_label(self, label) -> None:
        """Label the selection; a new claim with no claimant asks for one by a click."""
        span_id = self.workbench.apply_label(label, initiator=self)
        if span_id is None or label.layer != Layer.CLAIM:
            return
        if not any(r.label == RelationLabel.CLAIMANT for r in self.workbench.store.relations_of(span_id)):
            self.set_claimant_picking(True)
            self.workbench.error.emit("claim made: click the entity who makes it "
                                      "(or select its cue and press K; Esc to skip)")

    def _claimant_at_caret(self) -> None:
        entity = self.index.innermost(self.textCursor().position(), layer=Layer.ENTITY)
        if entity is None:
            self.set_claimant_picking(True)
            self.workbench.error.emit("click the entity who makes the claim (Esc cancels)")
        else:
            self.workbench.set_claimant(entity.id, initiator=self)

    def escape(self) -> None:
        """Esc: stop picking and disarm; clear the selection, or else the claim."""
        self.set_claimant_picking(False)
        self.workbench.arm(None)
        if self.textCursor().hasSelection():
            self.set_caret(self.caret())
        else:
            self.workbench.set_claim(None)

    def remove_at_caret(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            found = [v for v in self.index.overlapping(cursor.selectionStart(), cursor.selectionEnd())
                     if (v.qs, v.qe) == (cursor.selectionStart(), cursor.selectionEnd())]
            target = found[0] if found else None
        else:
            target = self.index.innermost(cursor.position())
        if target is not None:
            self.workbench.remove_span(target.id, initiator=self)

    def _token_move(self, event: QKeyEvent) -> bool:
        """Ctrl+Shift+Left/Right extend the selection by spaCy token."""
        mods = event.modifiers()
        wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if mods != wanted or event.key() not in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return False
        cursor = self.textCursor()
        here = self.offsets.to_text(cursor.position())
        if event.key() == Qt.Key.Key_Right:
            target = next((e for _, e in self.tokens if e > here), len(self.text))
        else:
            target = next((s for s, _ in reversed(self.tokens) if s < here), 0)
        cursor.setPosition(self.offsets.to_qt(target), Anchor.KeepAnchor)
        self.setTextCursor(cursor)
        self.workbench.set_selection(self.selection())
        return True

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not len(self.index):
            return
        first, last = self._visible_range()
        visible = self.index.overlapping(first, last)
        if not visible:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_claims(painter, [v for v in visible if v.layer == Layer.CLAIM])
        self._paint_tags(painter, [v for v in visible if first <= v.qe - 1 < last])
        painter.end()

    def _paint_tags(self, painter: QPainter, spans: list[ViewSpan]) -> None:
        """Tags of spans ending at the same character sit side by side, innermost first."""
        by_end: dict[int, list[ViewSpan]] = {}
        for v in spans:
            by_end.setdefault(v.qe, []).append(v)
        for group in by_end.values():
            group.sort(key=lambda v: v.qe - v.qs)
            rects = self.line_rects(group[0].qe - 1, group[0].qe)
            if not rects:
                continue
            end = rects[-1]
            widths = [self.tags.width(tag_text(v)) + 2 for v in group]
            right = end.right() - sum(widths)
            for v, width in zip(group, widths):
                right += width
                paint_tag(painter, self.tags, v, QRectF(end.left(), end.top(),
                                                        right - end.left(), end.height()))

    def _paint_claims(self, painter: QPainter, claims: list[ViewSpan]) -> None:
        for v in claims:
            depth = sum(1 for o in claims if o is not v and o.qs <= v.qs and o.qe >= v.qe
                        and (o.qe - o.qs) > (v.qe - v.qs))
            for rect in self.line_rects(v.qs, v.qe):
                paint_claim_bar(painter, v, rect, depth)
        selected = self.index.by_id.get(self.workbench.claim_id) if self.workbench.claim_id else None
        if selected is None:
            return
        for rect in self.line_rects(selected.qs, selected.qe):
            paint_outline(painter, selected.label.colour, rect, width=1.0)
        for rel in self.workbench.store.relations_of(selected.id):
            linked = self.index.by_id.get(rel.child_id)
            if linked is None:
                continue
            width = 2.5 if rel.label == RelationLabel.CLAIMANT else 1.5
            for rect in self.line_rects(linked.qs, linked.qe):
                paint_outline(painter, linked.label.colour, rect, width=width)

    def _visible_range(self) -> tuple[int, int]:
        block = self.firstVisibleBlock()
        first = block.position()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        last = first
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            last = block.position() + block.length()
            block = block.next()
        return first, last

    def line_rects(self, qs: int, qe: int) -> list[QRectF]:
        """Viewport rectangles covering [qs, qe), one per line it spans."""
        rects: list[QRectF] = []
        block = self.document().findBlock(qs)
        offset = self.contentOffset()
        while block.isValid() and block.position() < qe:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            layout = block.layout()
            base = block.position()
            origin = layout.position()
            first = layout.lineForTextPosition(max(qs - base, 0)).lineNumber() if qs > base else 0
            for i in range(max(first, 0), layout.lineCount()):
                line = layout.lineAt(i)
                if base + line.textStart() >= qe:
                    break
                a = max(qs, base + line.textStart())
                b = min(qe, base + line.textStart() + line.textLength())
                if a >= b:
                    continue
                x1 = line.cursorToX(a - base)[0]
                x2 = line.cursorToX(b - base)[0]
                rects.append(QRectF(geometry.left() + origin.x() + x1,
                                    geometry.top() + line.y(), x2 - x1, line.height()))
            block = block.next()
        return rects

    # --- where the annotator left off ------------------------------------------------

    def _state_key(self, article_id: ArticleId) -> str:
        return f"view:{self.workbench.annotator}:{article_id}"

    def save_view_state(self) -> None:
        """Remember caret and scroll of this article (debounced; never worth an error box)."""
        article_id = self.article_id
        if article_id is None or not self.text:
            return
        state = f"{self.caret()}:{self.verticalScrollBar().value()}"
        try:
            if self.workbench.store.setting(self._state_key(article_id)) != state:
                self.workbench.store.set_setting(self._state_key(article_id), state)
        except Exception:  # noqa: BLE001 (closed or busy project: the next move saves it)
            return
        self.view_state_changed.emit()

    def _restore_view_state(self, article_id: ArticleId | None) -> None:
        value = self.workbench.store.setting(self._state_key(article_id)) if article_id else None
        caret, _, scroll = (value or "0:0").partition(":")
        self.set_caret(int(caret))
        QTimer.singleShot(0, lambda: self.verticalScrollBar().setValue(int(scroll or 0)))


def _changed_ranges(old: SpanIndex, new: SpanIndex) -> list[tuple[int, int]]:
    """Qt ranges whose formats may differ between two indexes (spans added/removed/changed)."""
    before = {(v.id, v.qs, v.qe, v.span.label, v.span.state) for v in old.spans}
    after = {(v.id, v.qs, v.qe, v.span.label, v.span.state) for v in new.spans}
    return [(qs, qe) for _, qs, qe, _, _ in before ^ after]
