"""The label palette: one flat button per label of the schema, grouped by layer.

A click labels the current selection or, with none, arms the label for the next one
(`Workbench.apply_label`); the armed label is shown pressed. Also home of the two small
drawing helpers the right-hand panel shares: colour swatches and section headers.
"""
from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from models.domain import Label, Layer

LAYER_TITLES = {Layer.ENTITY: "Entities", Layer.CLAIM: "Claims", Layer.CUE: "Cues"}
SWATCH = 12


@cache
def swatch_icon(colour: str, *, hollow: bool = False) -> QIcon:
    """A small rounded square of the label's colour; hollow (outlined) for suggestions."""
    pixmap = QPixmap(SWATCH, SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour_ = QColor(colour)
    painter.setPen(QPen(colour_.darker(130), 1.5 if hollow else 1))
    painter.setBrush(Qt.BrushStyle.NoBrush if hollow else colour_)
    painter.drawRoundedRect(1, 1, SWATCH - 2, SWATCH - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def section_header(text: str, parent: QWidget | None = None) -> QLabel:
    """A quiet section title: small, semi-bold capitals in the placeholder colour."""
    header = QLabel(text, parent)
    font = QFont(header.font())
    font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
    font.setWeight(QFont.Weight.DemiBold)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
    header.setFont(font)
    header.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return header


def button_text(label: Label) -> str:
    return f"{label.hotkey} {label.name}" if label.hotkey else label.name


class LabelPalette(QWidget):
    """Buttons for every label; `buttons[name]` is the button of a label."""

    def __init__(self, workbench, parent: QWidget | None = None, *, columns: int = 2) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.columns = columns
        self.buttons: dict[str, QToolButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rebuild()
        workbench.armed_changed.connect(self._show_armed)
        workbench.schema_changed.connect(self.rebuild)

    def rebuild(self) -> None:
        """Build the buttons from the schema again (call after labels were added or removed)."""
        while (item := self._layout.takeAt(0)) is not None:
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        labels = self.workbench.store.schema().labels
        for layer, title in LAYER_TITLES.items():
            mine = [lab for lab in labels if lab.layer == layer]
            if mine:
                self._layout.addWidget(section_header(title, self))
                self._layout.addWidget(self._group(mine))
        self._show_armed(self.workbench.armed)

    def _group(self, labels: list[Label]) -> QWidget:
        group = QWidget(self)
        grid = QGridLayout(group)
        grid.setContentsMargins(0, 0, 0, 2)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        for i, label in enumerate(labels):
            grid.addWidget(self._button(label, group), i // self.columns, i % self.columns)
        return group

    def _button(self, label: Label, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setText(button_text(label))
        button.setIcon(swatch_icon(label.colour))
        button.setIconSize(QSize(SWATCH, SWATCH))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)   # a click keeps the article's focus
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setToolTip(label.description)
        button.setAccessibleName(f"label {label.name}")
        button.clicked.connect(lambda _=False, lab=label: self._apply(lab))
        self.buttons[label.name] = button
        return button

    def _apply(self, label: Label) -> None:
        bench = self.workbench
        if bench.selection is None and bench.armed == label:
            bench.arm(None)                                # a second click disarms
        else:
            bench.apply_label(label, initiator=self)
        self._show_armed(bench.armed)                      # undo the button's own toggle

    def _show_armed(self, armed: Label | None) -> None:
        for name, button in self.buttons.items():
            button.setChecked(armed is not None and armed.name == name)
