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


def _order(v: ViewSpan) -> tuple[int, int, int]:
    return (v.qs, -v.qe, v.id)


class SpanIndex:
    """Visible spans (rejected ones are hidden) sorted by start, with interval lookups."""

    def __init__(self, spans: list[Span], labels: dict[str, Label], offsets: OffsetMap) -> None:
        self.labels = labels
        self.offsets = offsets
        shown = [v for v in map(self._view, spans) if v is not None]
        shown.sort(key=_order)
        self.spans = shown
        self._starts = [v.qs for v in shown]
        self._longest = max((v.qe - v.qs for v in shown), default=0)
        self.by_id = {v.id: v for v in shown}

    def _view(self, span: Span) -> ViewSpan | None:
        if span.state == State.REJECTED or span.label not in self.labels:
            return None
        return ViewSpan(span, self.labels[span.label], self.offsets.to_qt(span.start),
                        self.offsets.to_qt(span.end))

    def update(self, span_id: SpanId, span: Span | None) -> list[tuple[int, int]]:
        """Put a changed span in place (None: it is gone); returns the Qt ranges to redraw."""
        dirty = []
        old = self.by_id.pop(span_id, None)
        if old is not None:
            i = bisect_left(self.spans, _order(old), key=_order)
            while self.spans[i].id != span_id:
                i += 1
            del self.spans[i]
            del self._starts[i]
            dirty.append((old.qs, old.qe))
        new = self._view(span) if span is not None else None
        if new is not None:
            i = bisect_right(self.spans, _order(new), key=_order)
            self.spans.insert(i, new)
            self._starts.insert(i, new.qs)
            self.by_id[new.id] = new
            self._longest = max(self._longest, new.qe - new.qs)
            dirty.append((new.qs, new.qe))
        return dirty

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
