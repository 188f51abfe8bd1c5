"""The GUI's one way into app/: runs commands, owns undo, and announces what changed.

Panels never write to the store themselves. They call `workbench.run(command, initiator=self)`
and redraw on `changed(changes, initiator)`, ignoring what they started themselves
(Anki's `on_operation_did_execute`). A command returns only after its commit; a failed
save is shown at once and kept so that `retry()` can store it again.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.commands import (AddLinkedSpan, AddSpan, Batch, Command, LinkToClaim, RemoveSpan,
                          SetSpanState, execute)
from app.history import History
from models.domain import ArticleId, Label, Layer, RelationLabel, Span, SpanId, SpanRecord, State
from models.errors import NewsmarkError, SaveFailed, ProjectBusy
from models.recording import Changes
from models.store import Store

log = logging.getLogger(__name__)


class Workbench(QObject):
    changed = Signal(object, object)        # (Changes, initiator or None)
    article_changed = Signal(object)        # ArticleId | None: the article on screen
    armed_changed = Signal(object)          # Label | None: applied to the next selection
    claim_changed = Signal(object)          # SpanId | None: the claim being edited
    selection_changed = Signal(object)      # (start, end) in code points | None
    span_focus_requested = Signal(object)   # SpanId: the view selects it and scrolls to it
    save_state_changed = Signal(str)        # "saved", "not saved: ..."
    error = Signal(str)                     # one line for the annotator
    schema_changed = Signal()               # labels or attributes were edited

    def __init__(self, store: Store, *, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.history = History(store, annotator=annotator)
        self.article_id: ArticleId | None = None
        self.armed: Label | None = None
        self.claim_id: SpanId | None = None
        self.selection: tuple[int, int] | None = None
        self.pending: tuple[Command, object] | None = None
        self.save_state = "saved"

    # --- changing things ---------------------------------------------------------------

    def run(self, command: Command, *, initiator: object = None) -> Changes | None:
        """Execute and commit one command; None if it could not be saved (already shown)."""
        try:
            changes = execute(self.store, command, annotator=self.annotator)
        except (SaveFailed, ProjectBusy) as exc:
            self.pending = (command, initiator)
            self._set_save_state(f"not saved: {exc}")
            self.error.emit(f"{exc}. Your last action is kept: use File > Retry save.")
            return None
        except NewsmarkError as exc:
            self.error.emit(str(exc))
            return None
        self.pending = None
        self._set_save_state("saved")
        self.changed.emit(changes, initiator)
        return changes

    def retry(self) -> Changes | None:
        if self.pending is None:
            return None
        command, initiator = self.pending
        return self.run(command, initiator=initiator)

    def undo(self) -> Changes | None:
        return self._replay(self.history.undo)

    def redo(self) -> Changes | None:
        return self._replay(self.history.redo)

    def _replay(self, action) -> Changes | None:
        try:
            changes = action()
        except NewsmarkError as exc:
            self.error.emit(str(exc))
            return None
        self._set_save_state("saved")
        if changes.article_id is not None and changes.article_id != self.article_id:
            self.show_article(changes.article_id)
        self.changed.emit(changes, None)
        return changes

    def _set_save_state(self, state: str) -> None:
        self.save_state = state
        self.save_state_changed.emit(state)

    # --- what is on screen -----------------------------------------------------------------

    def show_article(self, article_id: ArticleId | None) -> None:
        if article_id == self.article_id:
            return
        self.article_id = article_id
        self.set_claim(None)
        if article_id is not None:
            self.store.set_setting(f"last_article:{self.annotator}", str(article_id))
        self.article_changed.emit(article_id)

    def arm(self, label: Label | None) -> None:
        self.armed = label
        self.armed_changed.emit(label)

    def set_claim(self, span_id) -> None:
        if span_id != self.claim_id:
            self.claim_id = span_id
            self.claim_changed.emit(span_id)

    def set_selection(self, selection: tuple[int, int] | None) -> None:
        """The view reports its selection here (code points), snapped or exact."""
        if selection is not None and selection[0] >= selection[1]:
            selection = None
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    def focus_span(self, span_id: SpanId) -> None:
        self.span_focus_requested.emit(span_id)

    # --- the verbs of annotation (keys, palette clicks and mouse all come here) -----------

    def apply_label(self, label: Label, *, initiator: object = None) -> SpanId | None:
        """Label the selection; with no selection, arm the label for the next one.

        A claim becomes the claim being edited; a cue-layer span made while a claim is
        being edited becomes its cue (CUE) or one of its hedges (HEDGE).
        """
        if self.article_id is None:
            return None
        if self.selection is None:
            self.arm(label)
            return None
        start, end = self._trimmed(*self.selection)
        if start >= end:
            self.error.emit("the selection holds only white space: nothing to label")
            return None
        role = self._role_for(label)
        if role is not None and self.claim_id is not None:
            command: Command = AddLinkedSpan(self.article_id, start, end, label.name,
                                             self.claim_id, role)
        else:
            command = AddSpan(self.article_id, start, end, label.name)
        changes = self.run(command, initiator=initiator)
        if changes is None:
            return None
        span_id = next((i for i in changes.touched("spans")
                        if (span := self.store.span(i)) is not None
                        and (span.start, span.end, span.label) == (start, end, label.name)), None)
        if label.layer == Layer.CLAIM:
            self.set_claim(span_id)
        return span_id

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """Spans never begin or end with white space (spaCy refuses such entities)."""
        text = self.store.article(self.article_id).text if self.article_id is not None else ""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    @staticmethod
    def _role_for(label: Label) -> RelationLabel | None:
        if label.layer != Layer.CUE:
            return None
        return RelationLabel.HEDGE if label.name == "HEDGE" else RelationLabel.CUE

    def set_claimant(self, entity_id: SpanId, *, initiator: object = None) -> bool:
        if self.claim_id is None:
            self.error.emit("select a claim first (click it, or make one with C)")
            return False
        return self.run(LinkToClaim(self.claim_id, entity_id, RelationLabel.CLAIMANT),
                        initiator=initiator) is not None

    def remove_span(self, span_id: SpanId, *, initiator: object = None) -> bool:
        if span_id == self.claim_id:
            self.set_claim(None)
        return self.run(RemoveSpan(span_id), initiator=initiator) is not None

    def decide(self, span_id: SpanId, state: State, *, initiator: object = None) -> bool:
        """Accept or reject a suggestion; the annotator is recorded on it."""
        return self.run(SetSpanState(span_id, state), initiator=initiator) is not None

    def accept_all(self, *, initiator: object = None) -> int:
        """Accept every open suggestion of the article on screen, as one undo step."""
        suggested = [s.id for s in self.spans() if s.state == State.SUGGESTED]
        if not suggested:
            return 0
        command = Batch([SetSpanState(i, State.ACCEPTED) for i in suggested],
                        description=f"accept {len(suggested)} suggestions")
        return len(suggested) if self.run(command, initiator=initiator) is not None else 0

    def suggest_occurrences(self, span_id: SpanId) -> int:
        """Suggest the span's label on every other occurrence of its text in this article."""
        from app.suggest.occurrences import occurrences
        span = self.store.span(span_id)
        if span is None:
            return 0
        text = self.store.article(span.article_id).text
        found = occurrences(text, text[span.start:span.end], label=span.label,
                            exclude=(span.start, span.end))
        records = [SpanRecord(s.start, s.end, s.label, state=State.SUGGESTED) for s in found]
        try:
            added, _ = self.store.add_suggestions([(span.article_id, records, [])],
                                                  origin="occurrences")
        except NewsmarkError as exc:
            self.error.emit(str(exc))
            return 0
        self.reload()
        self.error.emit(f"{added} more occurrence(s) suggested: Tab to review, Shift+A accepts all")
        return added

    def reload(self) -> None:
        """Work done elsewhere (a suggester, an import) changed the article: redraw it."""
        article, self.article_id = self.article_id, None
        self.show_article(article)

    def spans(self) -> list[Span]:
        if self.article_id is None:
            return []
        return self.store.spans(self.article_id)

    def last_article(self) -> ArticleId | None:
        value = self.store.setting(f"last_article:{self.annotator}")
        ids = self.store.article_ids()
        if value is not None and int(value) in ids:
            return ArticleId(int(value))
        return ids[0] if ids else None
