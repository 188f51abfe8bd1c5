"""How long work reports progress and learns that it was cancelled (GUI and CLI alike)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int | None
    message: str = ""


ProgressCallback = Callable[[Progress], None]
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """Raised inside long work when its cancel check says stop; what was committed stays."""


def no_progress(_: Progress) -> None:
    pass


def never() -> bool:
    return False
