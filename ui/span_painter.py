"""How spans look: character formats per block, and the tags and claim bars painted on top.

Entities get their label's colour behind the text; suggestions are faded with a dashed
underline; cues are underlined, hedges wavy and italic; claims are a bar beneath their
lines (nested claims stack), so an entity inside a claim stays readable. Every span gets
a small tag with its label's name, in a gap made after its last character with letter
spacing: the text itself is never changed and the offsets stay exact.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QPainter, QPen, QSyntaxHighlighter,
                           QTextCharFormat, QTextDocument)

from models.domain import Layer
from ui.span_index import SpanIndex, ViewSpan

TAG_SCALE = 0.62
TAG_PADDING = 6.0
BAR_HEIGHT = 3.0
TEXT_ON_COLOUR = QColor("#1d1d1f")


@lru_cache(maxsize=512)
def colour(hex_colour: str, alpha: int = 255) -> QColor:
    c = QColor(hex_colour)
    if not c.isValid():
        c = QColor("#cccccc")
    c.setAlpha(alpha)
    return c


def tag_text(view_span: ViewSpan) -> str:
    return view_span.label.name + ("?" if view_span.suggested else "")


class TagMetrics:
    def __init__(self, base: QFont) -> None:
        self.font = QFont(base)
        self.font.setPointSizeF(max(6.0, base.pointSizeF() * TAG_SCALE))
        self.font.setBold(True)
        self.metrics = QFontMetricsF(self.font)
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        if text not in self._widths:
            self._widths[text] = round(self.metrics.horizontalAdvance(text) + 2 * TAG_PADDING)
        return self._widths[text]


class SpanHighlighter(QSyntaxHighlighter):
    """Character formats for the spans of one article, computed per block on demand."""

    def __init__(self, document: QTextDocument, tags: TagMetrics) -> None:
        super().__init__(document)
        self.index: SpanIndex | None = None
        self.tags = tags

    def set_index(self, index: SpanIndex | None, *, rehighlight: bool = True) -> None:
        self.index = index
        if rehighlight:
            self.rehighlight()

    def rehighlight_range(self, start: int, end: int) -> None:
        doc = self.document()
        block = doc.findBlock(start)
        while block.isValid() and block.position() <= end:
            self.rehighlightBlock(block)
            block = block.next()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if self.index is None or not len(self.index):
            return
        start = self.currentBlock().position()
        end = start + len(text)
        spans = self.index.overlapping(start, end)
        for v in sorted(spans, key=lambda v: v.qs - v.qe):   # outer first, inner on top
            fmt = self._format(v)
            if fmt is not None:
                a, b = max(v.qs, start) - start, min(v.qe, end) - start
                self.setFormat(a, b - a, fmt)
        self._make_tag_room(spans, start, end)

    def _make_tag_room(self, spans: list[ViewSpan], start: int, end: int) -> None:
        room: dict[int, float] = {}
        for v in spans:
            if start < v.qe <= end:
                room[v.qe - 1] = room.get(v.qe - 1, 0.0) + self.tags.width(tag_text(v)) + 2
        for position, width in room.items():
            fmt = self.format(position - start)
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(width)
            self.setFormat(position - start, 1, fmt)

    @staticmethod
    def _format(v: ViewSpan) -> QTextCharFormat | None:
        return _format_for(v.label.colour, v.layer, v.label.name == "HEDGE", v.suggested)


@lru_cache(maxsize=256)
def _format_for(hex_colour: str, layer: Layer, hedge: bool, suggested: bool) -> QTextCharFormat | None:
    if layer == Layer.CLAIM:
        return None
    fmt = QTextCharFormat()
    fmt.setForeground(TEXT_ON_COLOUR)
    if layer == Layer.ENTITY:
        fmt.setBackground(colour(hex_colour, 70 if suggested else 200))
        if suggested:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(colour(hex_colour).darker(160))
        return fmt
    fmt.setBackground(colour(hex_colour, 50 if suggested else 90))
    fmt.setUnderlineColor(colour(hex_colour).darker(130))
    if hedge:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setFontItalic(True)
    else:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline if suggested
                              else QTextCharFormat.UnderlineStyle.SingleUnderline)
    return fmt


def paint_tag(painter: QPainter, tags: TagMetrics, v: ViewSpan, line_rect: QRectF) -> None:
    """The label's name in the gap after the span's last character."""
    text = tag_text(v)
    width = tags.width(text)
    height = min(line_rect.height() - 2, tags.metrics.height() + 2)
    rect = QRectF(line_rect.right() - width - 1, line_rect.center().y() - height / 2,
                  width - 1, height)
    fill = colour(v.label.colour).darker(175 if v.layer == Layer.ENTITY else 140)
    if v.suggested:
        fill.setAlpha(140)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, 3, 3)
    painter.setPen(QColor("white"))
    painter.setFont(tags.font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def paint_claim_bar(painter: QPainter, v: ViewSpan, line_rect: QRectF, depth: int) -> None:
    """A bar under each line of a claim; nested claims sit lower."""
    y = line_rect.bottom() - BAR_HEIGHT + 1 - depth * (BAR_HEIGHT + 1)
    pen = QPen(colour(v.label.colour, 120 if v.suggested else 230), BAR_HEIGHT)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if v.suggested:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(QPointF(line_rect.left(), y), QPointF(line_rect.right(), y))


def paint_outline(painter: QPainter, hex_colour: str, rect: QRectF, *, width: float = 2.0) -> None:
    painter.setPen(QPen(colour(hex_colour).darker(150), width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)
