"""The domain of a Newsmark project: articles, labels, spans, relations, claim attributes.

Offsets are Unicode code points into the exact stored text, half-open [start, end).
Instances are immutable snapshots returned by the store; rows never leave it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NewType

ArticleId = NewType("ArticleId", int)
SpanId = NewType("SpanId", int)
RelationId = NewType("RelationId", int)
AnnotatorId = NewType("AnnotatorId", int)
StepId = NewType("StepId", int)


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


class Layer(StrEnum):
    ENTITY = "entity"
    CLAIM = "claim"
    CUE = "cue"


class State(StrEnum):
    ACCEPTED = "accepted"
    SUGGESTED = "suggested"
    REJECTED = "rejected"


class RelationLabel(StrEnum):
    """Relations from a claim span to the spans that belong to it."""
    CLAIMANT = "claimant"
    CUE = "cue"
    HEDGE = "hedge"


def text_uid(text: str) -> str:
    """The identity of an article: sha256 of its exact text (UTF-8, surrogates refused)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    id: ArticleId
    uid: str
    title: str
    text: str
    source: str | None
    url: str | None
    author: str | None
    published: str | None
    meta: dict[str, Any]
    status: Status
    created: str
    updated: str


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list of articles shows, without the text."""
    id: ArticleId
    title: str
    status: Status
    entities: int
    claims: int
    suggestions: int
    updated: str


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    layer: Layer
    colour: str
    hotkey: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """A claim attribute: a closed value set (kind "choice") or free text (kind "text")."""
    name: str
    kind: str
    values: tuple[str, ...] = ()
    default: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Schema:
    labels: tuple[Label, ...]
    attributes: tuple[AttributeDef, ...]

    def label(self, name: str) -> Label | None:
        return next((lab for lab in self.labels if lab.name == name), None)


@dataclass(frozen=True, slots=True)
class Span:
    id: SpanId
    article_id: ArticleId
    start: int
    end: int
    label: str
    layer: Layer
    state: State
    origin: str
    annotator: str | None
    created: str
    updated: str


@dataclass(frozen=True, slots=True)
class Relation:
    id: RelationId
    head_id: SpanId
    child_id: SpanId
    label: str
    annotator: str | None
    created: str


@dataclass(frozen=True, slots=True)
class Annotation:
    """An article with every span, relation and claim attribute it carries."""
    article: Article
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    attributes: dict[SpanId, dict[str, str]]


# --- records going in: validated by app/, written in bulk by the store -----------------

@dataclass(slots=True)
class SpanRecord:
    start: int
    end: int
    label: str
    state: State = State.ACCEPTED
    origin: str = "import"
    annotator: str | None = None
    created: str | None = None
    updated: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RelationRecord:
    head: int       # index into ArticleRecord.spans
    child: int
    label: str
    annotator: str | None = None
    created: str | None = None


@dataclass(slots=True)
class ArticleRecord:
    text: str
    title: str = ""
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    status: Status = Status.NEW
    created: str | None = None
    updated: str | None = None
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return text_uid(self.text)
