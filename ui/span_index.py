"""Spans of the article on screen, in Qt positions, found by position in O(log n)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from models.domain import Label, Layer, Span, SpanId, State
from ui.offsets import OffsetMap


@dataclass(frozen=True, slots=True)
class ViewSpan:
    span: Span
    label: Label
    qs: int          # Qt position of the first character
    qe: int          # Qt position after the last character

    @property
    def id(self) -> SpanId:
        return self.span.id

    @property
    def layer(self) -> Layer:
        return self.span.layer

    @property
    def suggested(self) -> bool:
        return self.span.state == State.SUGGESTED


class SpanIndex:
    """Visible spans (rejected ones are hidden) sorted by start, with interval lookups."""

    def __init__(self, spans: list[Span], labels: dict[str, Label], offsets: OffsetMap) -> None:
        shown = [ViewSpan(s, labels[s.label], offsets.to_qt(s.start), offsets.to_qt(s.end))
                 for s in spans if s.state != State.REJECTED and s.label in labels]
        shown.sort(key=lambda v: (v.qs, -v.qe))
        self.spans = shown
        self._starts = [v.qs for v in shown]
        self._longest = max((v.qe - v.qs for v in shown), default=0)
        self.by_id = {v.id: v for v in shown}

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list[ViewSpan]:
        """Spans that share at least one position with [start, end)."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return [v for v in self.spans[lo:hi] if v.qe > start]

    def at(self, position: int) -> list[ViewSpan]:
        """Spans containing the position, innermost (shortest) first."""
        found = [v for v in self.overlapping(position, position + 1)]
        return sorted(found, key=lambda v: v.qe - v.qs)

    def innermost(self, position: int, *, layer: Layer | None = None) -> ViewSpan | None:
        for v in self.at(position):
            if layer is None or v.layer == layer:
                return v
        return None

    def ending_at(self, block_start: int, block_end: int) -> list[ViewSpan]:
        """Spans whose last character lies in [block_start, block_end)."""
        return [v for v in self.overlapping(block_start, block_end)
                if block_start < v.qe <= block_end]

    def next_suggestion(self, position: int, *, backwards: bool = False) -> ViewSpan | None:
        suggestions = [v for v in self.spans if v.suggested]
        if not suggestions:
            return None
        starts = [v.qs for v in suggestions]
        if backwards:
            i = bisect_left(starts, position) - 1
            return suggestions[i] if i >= 0 else suggestions[-1]
        i = bisect_right(starts, position)
        return suggestions[i] if i < len(suggestions) else suggestions[0]
