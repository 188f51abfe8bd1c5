"""User actions as command objects: each is one step (one transaction, one undo entry).

    changes = execute(store, AddSpan(article_id, 0, 4, "ORG"), annotator="ada")

`apply` makes the change through the store, which records every row it touches; undoing
replays those rows backwards (app/history.py), so no command needs its own revert code.
The GUI calls nothing else to change annotations.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from models.domain import ArticleId, Layer, RelationLabel, SpanId, State, Status
from models.errors import InvalidSpan
from models.recording import Changes
from models.store import Store


class Command(Protocol):
    @property
    def description(self) -> str: ...

    def article(self, store: Store) -> ArticleId | None: ...

    def apply(self, store: Store) -> None: ...


def execute(store: Store, command: Command, *, annotator: str | None) -> Changes:
    """Run one command as one saved, undoable step; returns only after the commit."""
    with store.step(command.description, annotator=annotator,
                    article_id=command.article(store)) as changes:
        command.apply(store)
    return changes


def _article_of(store: Store, span_id: SpanId) -> ArticleId | None:
    span = store.span(span_id)
    return span.article_id if span else None


@dataclass(frozen=True, slots=True)
class AddSpan:
    article_id: ArticleId
    start: int
    end: int
    label: str
    state: State = State.ACCEPTED
    origin: str = "manual"

    @property
    def description(self) -> str:
        return f"label {self.label}"

    def article(self, store: Store) -> ArticleId:
        return self.article_id

    def apply(self, store: Store) -> None:
        store.add_span(self.article_id, self.start, self.end, self.label,
                       state=self.state, origin=self.origin)


@dataclass(frozen=True, slots=True)
class AddLinkedSpan:
    """Add a span and link it to a claim in one step: a cue, a hedge or the claimant."""
    article_id: ArticleId
    start: int
    end: int
    label: str
    claim_id: SpanId
    role: RelationLabel

    @property
    def description(self) -> str:
        return f"add {self.role} {self.label}"

    def article(self, store: Store) -> ArticleId:
        return self.article_id

    def apply(self, store: Store) -> None:
        span_id = store.add_span(self.article_id, self.start, self.end, self.label)
        LinkToClaim(self.claim_id, span_id, self.role).apply(store)


@dataclass(frozen=True, slots=True)
class _OnSpan:
    span_id: SpanId

    def article(self, store: Store) -> ArticleId | None:
        return _article_of(store, self.span_id)


@dataclass(frozen=True, slots=True)
class RemoveSpan(_OnSpan):
    description = "remove span"

    def apply(self, store: Store) -> None:
        store.remove_span(self.span_id)


@dataclass(frozen=True, slots=True)
class RelabelSpan(_OnSpan):
    label: str

    @property
    def description(self) -> str:
        return f"relabel as {self.label}"

    def apply(self, store: Store) -> None:
        store.update_span(self.span_id, label=self.label)


@dataclass(frozen=True, slots=True)
class SetSpanState(_OnSpan):
    """Accept or reject a suggestion (or reopen a decision)."""
    state: State

    @property
    def description(self) -> str:
        return {State.ACCEPTED: "accept", State.REJECTED: "reject"}.get(self.state, "suggest")

    def apply(self, store: Store) -> None:
        store.update_span(self.span_id, state=self.state)


@dataclass(frozen=True, slots=True)
class SetClaimAttribute(_OnSpan):
    name: str
    value: str | None

    @property
    def description(self) -> str:
        return f"set {self.name}"

    def apply(self, store: Store) -> None:
        span = store.span(self.span_id)
        if span is None or span.layer != Layer.CLAIM:
            raise InvalidSpan(f"span {self.span_id} is not a claim; attributes belong to claims")
        store.set_attribute(self.span_id, self.name, self.value)


@dataclass(frozen=True, slots=True)
class LinkToClaim(_OnSpan):
    """Make `child_id` the claimant, cue or a hedge of the claim `span_id`.

    A claim has one claimant and one cue: linking a new one replaces the old link.
    """
    child_id: SpanId
    role: RelationLabel

    @property
    def description(self) -> str:
        return f"set {self.role}"

    def apply(self, store: Store) -> None:
        claim = store.span(self.span_id)
        if claim is None or claim.layer != Layer.CLAIM:
            raise InvalidSpan(f"span {self.span_id} is not a claim")
        if self.role in (RelationLabel.CLAIMANT, RelationLabel.CUE):
            for rel in store.relations_of(self.span_id):
                if rel.label == self.role and rel.child_id != self.child_id:
                    store.remove_relation(rel.id)
        store.add_relation(self.span_id, self.child_id, str(self.role))
        has_kind = any(d.name == "claimant_kind" for d in store.schema().attributes)
        if self.role == RelationLabel.CLAIMANT and has_kind:
            store.set_attribute(self.span_id, "claimant_kind", "entity")


@dataclass(frozen=True, slots=True)
class Unlink:
    relation_id: int
    article_id: ArticleId | None = None
    description = "remove link"

    def article(self, store: Store) -> ArticleId | None:
        return self.article_id

    def apply(self, store: Store) -> None:
        store.remove_relation(self.relation_id)


@dataclass(frozen=True, slots=True)
class SetStatus:
    article_id: ArticleId
    status: Status

    @property
    def description(self) -> str:
        return f"mark {self.status}"

    def article(self, store: Store) -> ArticleId:
        return self.article_id

    def apply(self, store: Store) -> None:
        store.set_status(self.article_id, self.status)


@dataclass(frozen=True, slots=True)
class Batch:
    """Several commands as one step: one transaction, one undo (e.g. accept all)."""
    commands: Sequence[Command]
    description: str = "several changes"

    def article(self, store: Store) -> ArticleId | None:
        articles = {c.article(store) for c in self.commands}
        return articles.pop() if len(articles) == 1 else None

    def apply(self, store: Store) -> None:
        for command in self.commands:
            command.apply(store)
