"""The article list: the left panel, the project's articles through the annotator's filters.

`ArticleListModel` holds only the ids that pass the filter, in id (import) order, and
fetches the rows' summaries a page at a time when the view first shows them (Anki's
browser table model, `qt/aqt/browser/table/model.py`): 100,000 articles cost one id query
and a page of summaries. A row whose status changes stays in the list until the filter runs
again (as in Anki), so stepping to the next article never skips one.
"""
from __future__ import annotations

import contextlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from PySide6.QtCore import (QAbstractTableModel, QItemSelectionModel, QModelIndex, QObject,
                            QPersistentModelIndex, Qt, QTimer, Signal)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit,
                               QTableView, QVBoxLayout, QWidget)

from models.domain import ArticleId, ArticleSummary, Status
from models.recording import Changes
from models.store import Store
from ui.workbench import Workbench

COLUMNS = ("Title", "Status", "Entities", "Claims", "Suggestions", "Updated")
TITLE, STATUS, ENTITIES, CLAIMS, SUGGESTIONS, UPDATED = range(len(COLUMNS))
NUMBERS = (ENTITIES, CLAIMS, SUGGESTIONS)
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole

STATUS_COLOURS = {Status.NEW: "#9e9e9e", Status.IN_PROGRESS: "#f0a202",
                  Status.DONE: "#2e9d4f", Status.SKIPPED: "#d0d0d0"}
MUTED = "#8a8a8a"
_ROW_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
              Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_HEADER_TIPS = {SUGGESTIONS: "Open suggestions: pre-annotations not yet accepted or rejected",
                ENTITIES: "Accepted entity spans", CLAIMS: "Accepted claims"}


@contextlib.contextmanager
def qt_signals_blocked(obj: QObject) -> Iterator[None]:
    """Silence `obj` for a programmatic change (napari `_qt/utils.py`), restoring the old state."""
    previous = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(previous)


def status_word(status: Status) -> str:
    return str(status).replace("_", " ")


def dot_icon(colour: str, size: int = 10) -> QIcon:
    """A small filled circle: the status (or label) colour beside its name."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def short_time(stamp: str, *, today: date | None = None) -> str:
    """A stored UTC stamp in local time: "14:05" today, "12 Mar" this year, else the date."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    today = today or datetime.now().astimezone().date()
    if moment.date() == today:
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b" if moment.year == today.year else "%Y-%m-%d")


def long_time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What the annotator asked for; empty fields do not filter."""
    search: str = ""
    status: Status | None = None
    label: str | None = None
    annotator: str | None = None


class ArticleListModel(QAbstractTableModel):
    """Filtered article ids, with their summaries fetched a page at a time and cached."""

    PAGE = 200
    CACHE_LIMIT = 20 * PAGE

    def __init__(self, store: Store, *, article_filter: ArticleFilter | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.filter = article_filter or ArticleFilter()
        self._ids: list[ArticleId] = self._query(self.filter)
        self._cache: dict[ArticleId, ArticleSummary | None] = {}
        self._icons: dict[Status, QIcon] = {}

    # --- the rows --------------------------------------------------------------------

    def _query(self, f: ArticleFilter) -> list[ArticleId]:
        return self.store.article_ids(status=[f.status] if f.status else None,
                                      search=f.search or None, label=f.label,
                                      annotator=f.annotator)

    def set_filter(self, article_filter: ArticleFilter) -> None:
        """Run a new filter: the model resets and the cache empties."""
        ids = self._query(article_filter)
        self.beginResetModel()
        self.filter, self._ids = article_filter, ids
        self._cache.clear()
        self.endResetModel()

    def reload(self) -> None:
        """Run the filter again (after an import): new ids at the end are inserted, in
        place; any other difference resets the model."""
        ids, old = self._query(self.filter), self._ids
        if ids[:len(old)] != old:
            self.set_filter(self.filter)
            return
        self.refresh_all()
        if len(ids) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(ids) - 1)
            self._ids = ids
            self.endInsertRows()

    def refresh_rows(self, article_ids: Iterable[ArticleId]) -> None:
        """Forget these articles' summaries; the view fetches them again as it repaints."""
        for article_id in article_ids:
            self._cache.pop(article_id, None)
            row = self.row_of(article_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_all(self) -> None:
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def row_of(self, article_id: ArticleId | None) -> int | None:
        """The row of an article, or None if the filter leaves it out (ids are sorted)."""
        if article_id is None:
            return None
        row = bisect_left(self._ids, article_id)
        return row if row < len(self._ids) and self._ids[row] == article_id else None

    def article_at(self, row: int) -> ArticleId | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def neighbour(self, article_id: ArticleId | None, step: int) -> ArticleId | None:
        """The article `step` rows after (or before) `article_id` in the filtered order.

        An article the filter leaves out sits where its id would be; None sits before the
        first row. Returns None past either end.
        """
        row = self.row_of(article_id)
        if row is not None:
            target = row + step
        elif article_id is None:
            target = step - 1 if step > 0 else -1
        elif step > 0:
            target = bisect_right(self._ids, article_id) + step - 1
        else:
            target = bisect_left(self._ids, article_id) + step
        return self.article_at(target)

    def summary(self, row: int) -> ArticleSummary | None:
        """The row's summary, fetching its page on first use."""
        article_id = self._ids[row]
        if article_id not in self._cache:
            self._fetch_page(row // self.PAGE)
        return self._cache.get(article_id)

    def _fetch_page(self, page: int) -> None:
        start = page * self.PAGE
        wanted = [i for i in self._ids[start:start + self.PAGE] if i not in self._cache]
        found = {s.id: s for s in self.store.article_summaries(wanted)}
        excess = len(self._cache) + len(wanted) - self.CACHE_LIMIT
        for stale in list(islice(self._cache, max(excess, 0))):
            del self._cache[stale]                      # the oldest pages go first
        for article_id in wanted:
            self._cache[article_id] = found.get(article_id)  # None: deleted meanwhile

    @property
    def cache_size(self) -> int:
        return len(self._cache)

    # --- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMBERS:
            return _RIGHT
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == ARTICLE_ID_ROLE:
            return int(self._ids[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in NUMBERS else None
        if role not in _ROW_ROLES:
            return None                                 # no fetch for roles we do not show
        summary = self.summary(index.row())
        if summary is None:
            return None
        return self._summary_data(summary, index.column(), role)

    def _summary_data(self, s: ArticleSummary, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(s, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(s.status) if column == STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(s, column)
        if s.status == Status.SKIPPED:                  # ForegroundRole
            return QColor(MUTED)
        return None

    def _icon(self, status: Status) -> QIcon:
        if status not in self._icons:
            self._icons[status] = dot_icon(STATUS_COLOURS[status])
        return self._icons[status]


def _display(s: ArticleSummary, column: int) -> str:
    if column == TITLE:
        return s.title or f"(untitled #{s.id})"
    if column == STATUS:
        return status_word(s.status)
    if column == UPDATED:
        return short_time(s.updated)
    return str((s.entities, s.claims, s.suggestions)[NUMBERS.index(column)])


def _tooltip(s: ArticleSummary, column: int) -> str | None:
    if column == TITLE:
        return f"{s.title or '(untitled)'}\n#{s.id}"
    if column == UPDATED:
        return long_time(s.updated)
    return None


class ArticleListPanel(QWidget):
    """Search, filters and the list; choosing a row shows that article in the workbench."""

    article_chosen = Signal(object)     # ArticleId: the annotator picked a row (not emitted
    #                                     when the list follows workbench.article_changed)
    filter_changed = Signal()           # the list was filtered or reloaded: position() moved

    SEARCH_DELAY_MS = 150

    def __init__(self, workbench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.store: Store = workbench.store
        self.search = QLineEdit(placeholderText="Search (Ctrl+F)", clearButtonEnabled=True)
        self.status_filter = _filter_combo("Status")
        self.label_filter = _filter_combo("Label")
        self.annotator_filter = _filter_combo("Annotator")
        self.model = ArticleListModel(self.store, parent=self)
        self.view = QTableView()
        self._search_timer = QTimer(self, singleShot=True, interval=self.SEARCH_DELAY_MS)
        self._set_up_view()
        self._fill_filters()
        self._lay_out()
        self._connect()
        self._select(workbench.article_id)

    # --- building ------------------------------------------------------------------------

    def _set_up_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)
        view.setSortingEnabled(False)                   # id order; no full sort over 100k
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # uniform: no row is measured
        rows.setDefaultSectionSize(view.fontMetrics().height() + 6)
        self._set_up_columns(view.horizontalHeader())

    def _set_up_columns(self, header: QHeaderView) -> None:
        """Fixed widths from the font: ResizeToContents would fetch a thousand rows."""
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        samples = {STATUS: "in progress", ENTITIES: "Entities", CLAIMS: "Claims",
                   SUGGESTIONS: "Suggestions", UPDATED: "2026-12-31"}
        for column, sample in samples.items():
            extra = 36 if column == STATUS else 20      # the dot, the sort-less header margin
            header.resizeSection(column, metrics.horizontalAdvance(sample) + extra)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for combo in (self.status_filter, self.label_filter, self.annotator_filter):
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._search_now)
        self._search_timer.timeout.connect(self._apply_filter)
        for combo in (self.status_filter, self.label_filter, self.annotator_filter):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.article_chosen.connect(self.workbench.show_article)
        self.workbench.article_changed.connect(self._select)
        self.workbench.changed.connect(self._on_changed)

    # --- the filter choices ----------------------------------------------------------------

    def _fill_filters(self) -> None:
        if self.status_filter.count() == 0:
            self.status_filter.addItem("All", None)
            for status in Status:
                self.status_filter.addItem(dot_icon(STATUS_COLOURS[status]), status_word(status),
                                           str(status))
        self._update_status_counts()
        _refill(self.label_filter, "All labels",
                [(lab.name, lab.name, dot_icon(lab.colour)) for lab in self.store.schema().labels])
        self._fill_annotators()

    def _fill_annotators(self) -> None:
        _refill(self.annotator_filter, "All annotators",
                [(name, name, None) for name in self.store.annotators()])

    def _update_status_counts(self) -> None:
        counts = self.store.status_counts()
        self.status_filter.setItemText(0, f"All ({sum(counts.values()):,})")
        for i, status in enumerate(Status, start=1):
            self.status_filter.setItemText(i, f"{status_word(status)} ({counts[status]:,})")

    def _current_filter(self) -> ArticleFilter:
        status = self.status_filter.currentData()
        return ArticleFilter(search=self.search.text().strip(),
                             status=Status(status) if status else None,
                             label=self.label_filter.currentData() or None,
                             annotator=self.annotator_filter.currentData() or None)

    def _on_search_edited(self, _text: str) -> None:
        self._search_timer.start()                      # restarts: filters once typing pauses

    def _search_now(self) -> None:
        self._apply_filter()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_filter(self, *_: object) -> None:
        self._search_timer.stop()
        wanted = self._current_filter()
        if wanted != self.model.filter:
            self.model.set_filter(wanted)
            self._after_filtering()

    def _after_filtering(self) -> None:
        self._select(self.workbench.article_id)
        self.filter_changed.emit()

    # --- following the workbench -------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self.model.article_at(current.row()) if current.isValid() else None
        if article_id is not None:
            self.article_chosen.emit(article_id)

    def _select(self, article_id: ArticleId | None) -> None:
        """Show the workbench's article as the current row, without choosing it again."""
        row = self.model.row_of(article_id)
        selection = self.view.selectionModel()
        with qt_signals_blocked(self):
            if row is None:
                selection.clear()
                return
            index = self.model.index(row, TITLE)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        statuses = changes.touched("articles")
        if changes.article_id is None and changes.rows:
            self.model.refresh_all()                    # a batch over several articles
        else:
            self.model.refresh_rows({changes.article_id, *statuses} - {None})
        if statuses:
            self._update_status_counts()
        if self.annotator_filter.findData(self.workbench.annotator) < 0:
            self._fill_annotators()                     # their first step made them known

    # --- what the main window calls --------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def next_article(self) -> ArticleId | None:
        """Show the next article in the filtered order; None (and no change) at the end."""
        return self._step(1)

    def previous_article(self) -> ArticleId | None:
        return self._step(-1)

    def _step(self, step: int) -> ArticleId | None:
        target = self.model.neighbour(self.workbench.article_id, step)
        if target is not None:
            self.workbench.show_article(target)
        return target

    def position(self) -> tuple[int, int]:
        """(1-based row of the current article, rows); 0 when the filter leaves it out."""
        row = self.model.row_of(self.workbench.article_id)
        return (row + 1 if row is not None else 0), self.model.rowCount()

    def reload(self) -> None:
        """After an import (or any change made outside workbench.run): query again."""
        self._fill_filters()
        wanted = self._current_filter()
        if wanted != self.model.filter:
            self.model.set_filter(wanted)               # a chosen label or annotator is gone
        else:
            self.model.reload()
        self._after_filtering()


def _filter_combo(what: str) -> QComboBox:
    combo = QComboBox(toolTip=f"Show only articles with this {what.lower()}")
    combo.setAccessibleName(f"{what} filter")
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo


def _refill(combo: QComboBox, everything: str, items: list[tuple[str, str, QIcon | None]]) -> None:
    """Replace a filter's choices, keeping the chosen one if it is still there."""
    chosen = combo.currentData()
    with qt_signals_blocked(combo):
        combo.clear()
        combo.addItem(everything, None)
        for text, data, icon in items:
            if icon is None:
                combo.addItem(text, data)
            else:
                combo.addItem(icon, text, data)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
