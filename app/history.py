"""Undo and redo, per annotator, unlimited, across article switches and restarts.

The history lives in the project file (models/recording.py); this is the policy: undo
replays the annotator's latest step backwards, redo the latest undone one forwards, and a
new action clears what could be redone. Each undo/redo is itself a saved step.
"""
from __future__ import annotations

from models.domain import StepId
from models.errors import NothingToUndo
from models.recording import Changes
from models.store import Store


class History:
    def __init__(self, store: Store, *, annotator: str | None) -> None:
        self.store = store
        self.annotator = annotator

    def _next(self, *, undone: bool) -> StepId | None:
        return self.store.undo_candidate(self.annotator, undone=undone)

    def can_undo(self) -> bool:
        return self._next(undone=False) is not None

    def can_redo(self) -> bool:
        return self._next(undone=True) is not None

    def undo_text(self) -> str | None:
        step = self._next(undone=False)
        return self.store.step_action(step) if step else None

    def redo_text(self) -> str | None:
        step = self._next(undone=True)
        return self.store.step_action(step) if step else None

    def undo(self) -> Changes:
        return self._replay(undone=False)

    def redo(self) -> Changes:
        return self._replay(undone=True)

    def _replay(self, *, undone: bool) -> Changes:
        verb = "redo" if undone else "undo"
        with self.store.transaction():
            step = self._next(undone=undone)
            if step is None:
                raise NothingToUndo(verb)
            article = self.store.step_article(step)
            with self.store.step(f"{verb} {self.store.step_action(step)}", annotator=self.annotator,
                                 article_id=article, kind=verb, target=step) as changes:
                self.store.replay(step, backwards=not undone)
                self.store.mark_undone(step, undone=not undone, by_step=changes.step_id)
        return changes
