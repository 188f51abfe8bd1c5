"""The spans of the article on screen, claims first, each group in text order.

`SpanListModel` is a thin adapter over `store.spans()` with a row cache: it reloads only
when the article changes or a step touched spans, and turns the common edits (one span
added, one removed, spans changed in place) into begin/endInsertRows, begin/endRemoveRows
and dataChanged, so the view keeps its scroll position and selection; anything else resets.
"""
from __future__ import annotations

from PySide6.QtCore import (QAbstractListModel, QItemSelectionModel, QModelIndex,
                            QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListView,
                               QVBoxLayout, QWidget)

from models.domain import Label, Layer, Span, SpanId, State
from ui.label_palette import section_header, swatch_icon

SpanRole = Qt.ItemDataRole.UserRole + 1        # the Span of a row
SNIPPET = 160                                   # characters kept before the view elides
SHOWN_STATES = (State.ACCEPTED, State.SUGGESTED)


def snippet(text: str, start: int, end: int) -> str:
    """The covered text on one line: runs of whitespace (CRLF, tabs) become one space."""
    return " ".join(text[start:min(end, start + SNIPPET)].split())


def ordered(spans: list[Span]) -> list[Span]:
    """Claims first, then the rest; each in text order (the store's order, kept by sort)."""
    return sorted((s for s in spans if s.state in SHOWN_STATES),
                  key=lambda s: s.layer != Layer.CLAIM)


class SpanListModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._labels: dict[str, Label] = {}
        self._rows: list[Span] = []
        self._row_of: dict[SpanId, int] = {}

    # --- reading -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        span = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(span)
        if role == Qt.ItemDataRole.DecorationRole:
            label = self._labels.get(span.label)
            return swatch_icon(label.colour if label else "#cccccc",
                               hollow=span.state == State.SUGGESTED)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(span)
        if role == Qt.ItemDataRole.ForegroundRole and span.state == State.SUGGESTED:
            return self._suggested_brush()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(span)
        if role == SpanRole:
            return span
        return None

    def display(self, span: Span) -> str:
        mark = " (suggested)" if span.state == State.SUGGESTED else ""
        return f"{span.label}{mark}   {snippet(self._text, span.start, span.end)}"

    @staticmethod
    def _font(span: Span) -> QFont | None:
        if span.layer != Layer.CLAIM and span.state != State.SUGGESTED:
            return None
        font = QFont()
        font.setBold(span.layer == Layer.CLAIM)
        font.setItalic(span.state == State.SUGGESTED)
        return font

    @staticmethod
    def _suggested_brush() -> QBrush:
        return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)

    def _tooltip(self, span: Span) -> str:
        text = self._text[span.start:span.end]
        text = text if len(text) <= 600 else text[:600] + "…"
        state = "" if span.state == State.ACCEPTED else f" ({span.state})"
        return f"{span.label}{state}, {span.start}-{span.end}\n{text}"

    def span(self, row: int) -> Span | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, span_id: SpanId) -> int | None:
        return self._row_of.get(span_id)

    # --- writing -----------------------------------------------------------------------

    def reset(self, text: str, spans: list[Span], labels: dict[str, Label]) -> None:
        """A new article (or a new schema): everything from scratch."""
        self.beginResetModel()
        self._text, self._labels = text, labels
        self._set_rows(ordered(spans))
        self.endResetModel()

    def update(self, spans: list[Span]) -> None:
        """The same article after a step: the smallest change signals that say what moved."""
        new = ordered(spans)
        old_ids = [s.id for s in self._rows]
        new_ids = [s.id for s in new]
        if old_ids == new_ids:
            self._change_in_place(new)
        elif len(new) == len(self._rows) + 1 and self._single_insert(old_ids, new_ids, new):
            pass
        elif len(new) == len(self._rows) - 1 and self._single_remove(old_ids, new_ids, new):
            pass
        else:
            self.beginResetModel()
            self._set_rows(new)
            self.endResetModel()

    def _set_rows(self, rows: list[Span]) -> None:
        self._rows = rows
        self._row_of = {s.id: i for i, s in enumerate(rows)}

    def _change_in_place(self, new: list[Span]) -> None:
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new)) if a != b]
        self._set_rows(new)
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))

    def _single_insert(self, old_ids: list, new_ids: list, new: list[Span]) -> bool:
        at = _first_difference(old_ids, new_ids)
        if old_ids[at:] != new_ids[at + 1:] or old_ids[:at] != new_ids[:at]:
            return False
        self.beginInsertRows(QModelIndex(), at, at)
        self._set_rows(self._rows[:at] + [new[at]] + self._rows[at:])
        self.endInsertRows()
        self._change_in_place(new)     # neighbours may have been relabelled in the same step
        return True

    def _single_remove(self, old_ids: list, new_ids: list, new: list[Span]) -> bool:
        at = _first_difference(new_ids, old_ids)
        if old_ids[at + 1:] != new_ids[at:] or old_ids[:at] != new_ids[:at]:
            return False
        self.beginRemoveRows(QModelIndex(), at, at)
        self._set_rows(self._rows[:at] + self._rows[at + 1:])
        self.endRemoveRows()
        self._change_in_place(new)
        return True


def _first_difference(shorter: list, longer: list) -> int:
    """Index of the first element where `longer` departs from `shorter`."""
    return next((i for i, (a, b) in enumerate(zip(shorter, longer)) if a != b), len(shorter))


class _SpanView(QListView):
    """Enter opens the current row; Delete (or Backspace) removes it."""
    open_requested = Signal(QModelIndex)
    remove_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(index)
        elif index.isValid() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(index)
        else:
            super().keyPressEvent(event)


class SpanList(QWidget):
    """Header with a count, a filter field, and the list of spans of the current article."""

    def __init__(self, workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.model = SpanListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.header = section_header("Spans", self)
        self.count = QLabel(self)
        self.count.setForegroundRole(self.header.foregroundRole())
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by label or text")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.view = self._make_view()
        self._lay_out()
        workbench.article_changed.connect(self.reload)
        workbench.changed.connect(self._on_changed)
        workbench.claim_changed.connect(self._show_claim)
        workbench.schema_changed.connect(self.reload)       # colours or labels were edited
        self.reload()

    def _make_view(self) -> _SpanView:
        view = _SpanView(self)
        view.setModel(self.proxy)
        view.setUniformItemSizes(True)                 # 5,000 rows lay out instantly
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setFrameShape(QListView.Shape.NoFrame)
        view.setAlternatingRowColors(False)
        view.clicked.connect(self._open)
        view.open_requested.connect(self._open)
        view.remove_requested.connect(self._remove)
        return view

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.header)
        top.addWidget(self.count)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)

    # --- following the workbench ---------------------------------------------------------

    def reload(self, *_: object) -> None:
        bench = self.workbench
        if bench.article_id is None:
            self.model.reset("", [], {})
        else:
            labels = {lab.name: lab for lab in bench.store.schema().labels}
            self.model.reset(bench.store.article(bench.article_id).text, bench.spans(), labels)
        self._show_count()
        self._show_claim(bench.claim_id)

    def _on_changed(self, changes, initiator) -> None:
        ours = changes.article_id is None or changes.article_id == self.workbench.article_id
        if ours and changes.touched("spans") and self.workbench.article_id is not None:
            self.model.update(self.workbench.spans())
            self._show_count()
            self._keep_selection()

    def _show_count(self) -> None:
        self.count.setText(str(self.model.rowCount()))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)

    def _keep_selection(self) -> None:
        """After a removal the view moves `current` on; make it the selected row too."""
        current, selection = self.view.currentIndex(), self.view.selectionModel()
        if current.isValid() and not selection.isSelected(current):
            selection.select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _show_claim(self, span_id: SpanId | None) -> None:
        if span_id is not None:
            self.select_span(span_id)

    def select_span(self, span_id: SpanId) -> bool:
        """Make the span's row current and visible, without focusing it in the text."""
        row = self.model.row_of(span_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row))
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    # --- acting ------------------------------------------------------------------------

    def span_at(self, index: QModelIndex | QPersistentModelIndex) -> Span | None:
        return self.model.span(self.proxy.mapToSource(QModelIndex(index)).row())

    def _open(self, index: QModelIndex) -> None:
        span = self.span_at(index)
        if span is None:
            return
        self.workbench.focus_span(span.id)
        if span.layer == Layer.CLAIM:
            self.workbench.set_claim(span.id)

    def _remove(self, index: QModelIndex) -> None:
        span = self.span_at(index)
        if span is not None:
            self.workbench.remove_span(span.id, initiator=self)
