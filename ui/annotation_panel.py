"""The right-hand panel: label palette on top, then the span list and the claim editor.

The span list and the claim editor share a splitter (`panel.splitter`, whose state the main
window may save); the claim editor scrolls when the panel is short. Panels write nothing
themselves: every change goes through the workbench.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ui.claim_editor import ClaimEditor
from ui.label_palette import LabelPalette
from ui.span_list import SpanList


class AnnotationPanel(QWidget):
    """`claimant_pick_requested(bool)` and `claimant_picking` mirror the claim editor's."""
    claimant_pick_requested = Signal(bool)

    def __init__(self, workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.setObjectName("annotationPanel")
        self.label_palette = LabelPalette(workbench, self)
        self.span_list = SpanList(workbench, self)
        self.claim_editor = ClaimEditor(workbench, self)
        self.claim_editor.claimant_pick_requested.connect(self.claimant_pick_requested)
        self.splitter = self._split()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.label_palette)
        layout.addWidget(self.splitter, 1)

    def _split(self) -> QSplitter:
        scroll = QScrollArea(self)
        scroll.setWidget(self.claim_editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(8)
        splitter.addWidget(self.span_list)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        return splitter

    @property
    def claimant_picking(self) -> bool:
        return self.claim_editor.claimant_picking

    def set_claimant_picking(self, on: bool) -> None:
        self.claim_editor.set_claimant_picking(on)

    def flush(self) -> None:
        """Store pending typed text now: call before closing, undo/redo, or backup."""
        self.claim_editor.flush()
