"""The one interface every suggester implements, and what it returns.

A suggester reads texts and proposes spans (and, for claims, relations and attributes).
Newsmark stores them with state `suggested` and origin = the suggester's `name`; they
never replace an accepted or rejected span at the same place with the same label, and a
rejected suggestion is not suggested again (models/store.py `add_suggestions`).
Offsets are code points into the exact text, as everywhere.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SuggestedSpan:
    start: int
    end: int
    label: str
    attributes: dict[str, str] = field(default_factory=dict)   # claim attributes


@dataclass(frozen=True, slots=True)
class SuggestedRelation:
    head: int        # index into Suggestions.spans (the claim)
    child: int       # index into Suggestions.spans (claimant, cue or hedge)
    label: str       # "claimant", "cue" or "hedge"


@dataclass(slots=True)
class Suggestions:
    """What a suggester proposes for one text."""
    spans: list[SuggestedSpan] = field(default_factory=list)
    relations: list[SuggestedRelation] = field(default_factory=list)


class Suggester(Protocol):
    """Proposes annotations. `name` becomes the origin of every span it suggests."""

    name: str

    def labels(self) -> set[str]:
        """The project labels it can suggest (after any label mapping)."""
        ...

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        """One Suggestions per text, in order; stream (nlp.pipe), never hold all texts."""
        ...


class Rebuilt:
    """A suggester that can work in other processes (app/suggest/pool.py): it is sent as
    the arguments it was made with and made again there, loading its own pipeline, since
    a spaCy pipeline is large to pickle and a matcher cannot be. `__init__` calls
    `self.remember(...)` with its arguments, or does not when they cannot travel."""

    _made_with: tuple[tuple, dict] | None = None

    def remember(self, *args: object, **kwargs: object) -> None:
        self._made_with = (args, kwargs)

    def __reduce__(self) -> tuple:
        if self._made_with is None:
            raise TypeError(f"{type(self).__name__} made from a live pipeline cannot be sent "
                            "to a worker process")
        return (_rebuild, (type(self), *self._made_with))


def _rebuild(cls: type, args: tuple, kwargs: dict) -> object:
    return cls(*args, **kwargs)


def travels(suggester: object) -> bool:
    """Whether the suggester can be made again in a worker process."""
    return isinstance(suggester, Rebuilt) and suggester._made_with is not None
