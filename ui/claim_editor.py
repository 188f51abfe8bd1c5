"""The editor of the claim being edited: its claimant, cue, hedges and every claim attribute.

Controls are built from the schema's attribute defs. A combo runs `SetClaimAttribute` at
once (one undo step each); text fields are debounced (Frescobaldi's `changesStopped`) and
flushed on focus-out, when the claim or article changes, and by `flush()`. The model is
written into the widgets with their signals blocked (napari's `qt_signals_blocked`), so
showing a value never runs a command.

The article view reads `claimant_picking` (and listens to `claimant_pick_requested`): while
it is on, a click on an entity calls `workbench.set_claimant(span_id)`; the editor turns it
off by itself once the claimant link changed.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QPalette, QWheelEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QSizePolicy, QStackedWidget, QToolButton,
                               QVBoxLayout, QWidget)

from app.commands import Batch, Command, SetClaimAttribute, Unlink
from models.domain import AttributeDef, Label, Layer, Relation, RelationLabel, Span, SpanId, State
from ui.label_palette import SWATCH, section_header, swatch_icon

KIND, CLAIMANT_TEXT, NOTE = "claimant_kind", "claimant_text", "note"
UNSET = "—"
DEBOUNCE_MS = 600
HINT = "Select a claim (click it) or make one: select text and {press}"
KIND_TEXTS = {"entity": "entity in the text", "author": "the article's author",
              "unnamed": "unnamed source"}
CLAIMANT_PLACEHOLDERS = {"author": "the author's name (optional)",
                         "unnamed": "how the text calls them, e.g. “a senior official”"}
MISSING_CLAIMANT = {"entity": "not picked yet: press “Pick in text”, then click an entity",
                    None: "pick an entity in the text, or choose author or unnamed"}
Link = tuple[Relation, Span]


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """Write model values into widgets without their change signals firing."""
    previous = [obj.blockSignals(True) for obj in objects]
    try:
        yield
    finally:
        for obj, was in zip(objects, previous):
            obj.blockSignals(was)


def press(labels: list[Label]) -> str:
    """How to apply the first of `labels` from the keyboard: "press C" (or "click CLAIM")."""
    if not labels:
        return "label it"
    label = labels[0]
    return f"press {label.hotkey.upper()}" if label.hotkey else f"click {label.name}"


def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()


def elide_lines(text: str, metrics: QFontMetrics, width: int, lines: int) -> str:
    """Word-wrap `text` into at most `lines` lines of `width` pixels, eliding the last."""
    words, out, current = text.split(), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if not current or metrics.horizontalAdvance(trial) <= width:
            current = trial
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[i:])
            break
    out.append(current)
    return "\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in out)


class ElidedText(QLabel):
    """Plain text shown on at most `lines` lines, elided; the whole text is the tooltip."""

    def __init__(self, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self.setToolTip(text if len(text) < 2000 else text[:2000] + "…")
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 40)
        self.setText(elide_lines(self.full[:2000], self.fontMetrics(), width, self.lines))


class _Combo(QComboBox):
    """A combo that takes the wheel only when focused: scrolling the panel changes nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class LinkedSpan(QWidget):
    """A span linked to the claim: its text and label (click: show it) and an unlink button."""
    focus_requested = Signal(object)     # SpanId
    unlink_requested = Signal(object)    # relation id

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relation: Relation | None = None
        self.span: Span | None = None
        self.button = QToolButton(self)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setIconSize(QSize(SWATCH, SWATCH))
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.button.clicked.connect(self._focus)
        self.unlink = QToolButton(self)
        self.unlink.setAutoRaise(True)
        self.unlink.setText("×")
        self.unlink.setToolTip(f"Unlink this {role} from the claim (the span stays)")
        self.unlink.setAccessibleName(f"unlink {role}")
        self.unlink.clicked.connect(self._unlink)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.button, 1)
        layout.addWidget(self.unlink)

    def _focus(self) -> None:
        if self.span is not None:
            self.focus_requested.emit(self.span.id)

    def _unlink(self) -> None:
        if self.relation is not None:
            self.unlink_requested.emit(self.relation.id)

    def show_link(self, link: Link, text: str, colour: str) -> None:
        self.relation, self.span = link
        covered = " ".join(text[self.span.start:self.span.end].split())
        shown = covered if len(covered) <= 40 else covered[:39] + "…"
        self.button.setText(f"{shown}  · {self.span.label}")
        self.button.setIcon(swatch_icon(colour, hollow=self.span.state == State.SUGGESTED))
        self.button.setToolTip(f"{covered}\n{self.span.label}: click to show it in the text")


class ClaimEditor(QWidget):
    claimant_pick_requested = Signal(bool)

    def __init__(self, workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.controls: dict[str, QWidget] = {}
        self.hedges: list[LinkedSpan] = []
        self._claim_id: SpanId | None = None
        self._span: Span | None = None
        self._text = ("", None)                   # (article text, its article id)
        self._values: dict[str, str] = {}
        self._links: dict[str, list[Link]] = {}
        self._claimant_id: SpanId | None = None   # the claimant shown, to see the view pick
        self._dirty: set[str] = set()
        self._picking = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.form: QWidget | None = None
        self._build()
        workbench.claim_changed.connect(self._on_claim_changed)
        workbench.article_changed.connect(self._on_article_changed)
        workbench.changed.connect(self._on_changed)
        workbench.schema_changed.connect(self.rebuild)
        self._on_claim_changed(workbench.claim_id)

    # --- public ------------------------------------------------------------------------

    @property
    def claim_id(self) -> SpanId | None:
        return self._claim_id

    @property
    def claimant_picking(self) -> bool:
        """True while the next click on an entity in the article should make it the claimant."""
        return self._picking

    def set_claimant_picking(self, on: bool) -> None:
        on = bool(on) and self._claim_id is not None
        with signals_blocked(self.pick):
            self.pick.setChecked(on)
        if on != self._picking:
            self._picking = on
            self.claimant_pick_requested.emit(on)

    def flush(self) -> None:
        """Store the text typed so far at once (before closing, undoing, switching)."""
        self._timer.stop()
        dirty, self._dirty = self._dirty, set()
        claim = self._claim_id
        if not dirty or claim is None or not self._is_claim(self.workbench.store.span(claim)):
            return
        commands: list[Command] = []
        for name in sorted(dirty):
            value = self._typed(name) or None
            if value != self._values.get(name):
                commands.append(SetClaimAttribute(claim, name, value))
        if commands:
            command = commands[0] if len(commands) == 1 else Batch(commands, "edit claim text")
            if self.workbench.run(command, initiator=self) is not None:
                self._remember(commands)

    def rebuild(self) -> None:
        """Build the controls from the schema again (labels or attributes were edited)."""
        self.flush()
        self.set_claimant_picking(False)
        self._build_form()
        self._load(links=True, attributes=True)

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(section_header("Claim", self))
        self.text = ElidedText(3, self)
        self.text.setWordWrap(False)
        layout.addWidget(self.text)
        self._build_form()
        layout.addStretch(1)

    def _build_form(self) -> None:
        """The claimant, cue and hedge rows and one control per attribute of the schema."""
        claims = [lab for lab in self.workbench.store.schema().labels if lab.layer == Layer.CLAIM]
        self.hint = HINT.format(press=press(claims))
        old, self.form = self.form, QWidget(self)
        self.controls, self.hedges = {}, []
        self._links, self._claimant_id = {}, None
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._build_claimant(form)
        self._build_links(form)
        for definition in self.workbench.store.schema().attributes:
            if definition.name not in (KIND, CLAIMANT_TEXT):
                form.addRow(self._row_label(definition), self._control(definition))
        if old is None:
            self.layout().addWidget(self.form)
        else:
            self.layout().replaceWidget(old, self.form)
            old.deleteLater()
        self._order_tabs()

    def _row_label(self, definition: AttributeDef) -> QLabel:
        label = QLabel(humanize(definition.name), self.form)
        default = f" (default: {definition.default})" if definition.default else ""
        label.setToolTip(definition.description + default)
        return label

    def _control(self, definition: AttributeDef) -> QWidget:
        if definition.kind == "choice":
            control = self._combo(definition)
        elif definition.name == NOTE:
            control = QPlainTextEdit(self.form)
            control.setTabChangesFocus(True)
            control.setPlaceholderText(definition.description)
            control.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            control.textChanged.connect(lambda n=definition.name: self._edited(n))
            control.installEventFilter(self)
        else:
            control = QLineEdit(self.form)
            control.setPlaceholderText(definition.description)
            control.textEdited.connect(lambda _t, n=definition.name: self._edited(n))
            control.installEventFilter(self)
        control.setToolTip(definition.description)
        control.setAccessibleName(humanize(definition.name))
        self.controls[definition.name] = control
        return control

    def _combo(self, definition: AttributeDef) -> _Combo:
        combo = _Combo(self.form)
        combo.addItem(UNSET, None)
        for value in definition.values:
            text = KIND_TEXTS.get(value, value) if definition.name == KIND else value
            combo.addItem(text.replace("_", " "), value)
        combo.currentIndexChanged.connect(lambda _i, n=definition.name: self._chosen(n))
        return combo

    def _definition(self, name: str) -> AttributeDef | None:
        return next((d for d in self.workbench.store.schema().attributes if d.name == name), None)

    def _build_claimant(self, form: QFormLayout) -> None:
        row = QHBoxLayout()
        row.setSpacing(4)
        kind = self._definition(KIND)
        if kind is not None:
            row.addWidget(self._control(kind), 1)
        self.pick = QToolButton(self.form)
        self.pick.setText("Pick in text")
        self.pick.setCheckable(True)
        self.pick.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pick.setToolTip("Then click an entity in the article: it becomes the claimant")
        self.pick.toggled.connect(self.set_claimant_picking)
        row.addWidget(self.pick)
        form.addRow("Claimant", row)
        self.claimant = LinkedSpan("claimant", self.form)
        self._connect(self.claimant)
        self.claimant_missing = self._missing("")
        self.claimant_stack = QStackedWidget(self.form)
        for page in (self.claimant, self.claimant_missing):
            self.claimant_stack.addWidget(page)
        if (text := self._definition(CLAIMANT_TEXT)) is not None:
            self.claimant_stack.addWidget(self._control(text))
        form.addRow("", self.claimant_stack)

    def _build_links(self, form: QFormLayout) -> None:
        self.cue = LinkedSpan("cue", self.form)
        self._connect(self.cue)
        self.cue_missing = self._missing(f"none: select the cue words and {self._press('CUE')}")
        cue_box = self._box(self.cue, self.cue_missing)
        form.addRow("Cue", cue_box)
        self.hedges_missing = self._missing(f"none: select a hedge and {self._press('HEDGE')}")
        self.hedge_box = self._box(self.hedges_missing)
        form.addRow("Hedges", self.hedge_box)

    def _press(self, name: str) -> str:
        return press([lab for lab in self.workbench.store.schema().labels if lab.name == name])

    def _missing(self, text: str) -> QLabel:
        label = QLabel(text, self.form)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _box(self, *widgets: QWidget) -> QWidget:
        box = QWidget(self.form)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    def _connect(self, link: LinkedSpan) -> None:
        link.focus_requested.connect(self.workbench.focus_span)
        link.unlink_requested.connect(self._unlink)

    def _order_tabs(self) -> None:
        chain: list[QWidget] = []
        if KIND in self.controls:
            chain.append(self.controls[KIND])
        chain += [self.pick, self.claimant.button, self.claimant.unlink]
        if CLAIMANT_TEXT in self.controls:
            chain.append(self.controls[CLAIMANT_TEXT])
        chain += [self.cue.button, self.cue.unlink]
        for hedge in self.hedges:
            chain += [hedge.button, hedge.unlink]
        chain += [w for n, w in self.controls.items() if n not in (KIND, CLAIMANT_TEXT)]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # --- following the workbench ---------------------------------------------------------

    def _on_claim_changed(self, claim_id: SpanId | None) -> None:
        self.flush()
        self._claim_id = claim_id
        self.set_claimant_picking(False)
        self._load(links=True, attributes=True)

    def _on_article_changed(self, _article_id: object) -> None:
        self.flush()
        self._text = ("", None)

    def _on_changed(self, changes, initiator) -> None:
        if self._claim_id is None:
            return
        if changes.article_id not in (None, self.workbench.article_id):
            return
        if initiator is self and set(changes.rows) <= {"attributes"}:
            return                                        # the widgets already show it
        links = bool(changes.touched("spans") or changes.touched("relations"))
        self._load(links=links, attributes=bool(changes.touched("attributes")))

    # --- reading the store into the widgets ----------------------------------------------

    @staticmethod
    def _is_claim(span: Span | None) -> bool:
        return span is not None and span.layer == Layer.CLAIM and span.state != State.REJECTED

    def _load(self, *, links: bool, attributes: bool) -> None:
        store = self.workbench.store
        span = store.span(self._claim_id) if self._claim_id is not None else None
        if self._claim_id is not None and not self._is_claim(span):
            self.workbench.set_claim(None)                # removed, rejected or relabelled
            if self._claim_id is not None:                # the workbench had moved on already
                self._on_claim_changed(None)
            return
        self._span = span
        if span is None:
            self._show_empty()
            return
        self.form.setEnabled(True)
        self.text.set_full_text(" ".join(self._article_text(span)[span.start:span.end].split()))
        if attributes:
            self._values = dict(store.annotation(span.article_id).attributes.get(span.id, {}))
            self._show_values()
        if links or attributes:
            self._show_links(self._read_links(span.id) if links else self._links)

    def _article_text(self, span: Span) -> str:
        if self._text[1] != span.article_id:
            self._text = (self.workbench.store.article(span.article_id).text, span.article_id)
        return self._text[0]

    def _read_links(self, claim_id: SpanId) -> dict[str, list[Link]]:
        store = self.workbench.store
        found: dict[str, list[Link]] = {str(role): [] for role in RelationLabel}
        for relation in store.relations_of(claim_id):
            child = store.span(relation.child_id)
            if child is not None and child.state != State.REJECTED:
                found.setdefault(relation.label, []).append((relation, child))
        return found

    def _show_empty(self) -> None:
        self.text.set_full_text(self.hint)
        self.text.setToolTip("")
        self._values, self._links, self._dirty = {}, {}, set()
        self._show_values()
        self._show_links({})
        self.form.setEnabled(False)

    def _show_values(self) -> None:
        for name, control in self.controls.items():
            if name in self._dirty:
                continue                                  # what the user is typing wins
            value = self._values.get(name)
            with signals_blocked(control):
                if isinstance(control, QComboBox):
                    control.setCurrentIndex(max(control.findData(value), 0) if value else 0)
                elif isinstance(control, QPlainTextEdit):
                    if control.toPlainText() != (value or ""):
                        control.setPlainText(value or "")
                elif control.text() != (value or ""):
                    control.setText(value or "")

    def _show_links(self, links: dict[str, list[Link]]) -> None:
        self._links = links
        claimant = links.get(RelationLabel.CLAIMANT, [])
        if claimant:
            self._show_link(self.claimant, claimant[0])
        claimant_id = claimant[0][1].id if claimant else None
        if claimant_id is not None and claimant_id != self._claimant_id:
            self.set_claimant_picking(False)              # the view has just picked it
        self._claimant_id = claimant_id
        self._show_claimant_page(bool(claimant))
        cue = links.get(RelationLabel.CUE, [])
        if cue:
            self._show_link(self.cue, cue[0])
        self.cue.setVisible(bool(cue))
        self.cue_missing.setVisible(not cue)
        self._show_hedges(links.get(RelationLabel.HEDGE, []))

    def _show_link(self, widget: LinkedSpan, link: Link) -> None:
        label = self.workbench.store.schema().label(link[1].label)
        widget.show_link(link, self._article_text(link[1]), label.colour if label else "#cccccc")

    def _show_claimant_page(self, linked: bool) -> None:
        kind = self._values.get(KIND)
        text = self.controls.get(CLAIMANT_TEXT)
        if linked:
            page = self.claimant
        elif kind in CLAIMANT_PLACEHOLDERS and text is not None:
            text.setPlaceholderText(CLAIMANT_PLACEHOLDERS[kind])
            page = text
        else:
            self.claimant_missing.setText(MISSING_CLAIMANT.get(kind, "") if self._span else "")
            page = self.claimant_missing
        self._show_page(self.claimant_stack, page)

    @staticmethod
    def _show_page(stack: QStackedWidget, page: QWidget) -> None:
        """Show one page; the stack takes that page's height, not the tallest page's."""
        shown, hidden = QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored
        for i in range(stack.count()):
            stack.widget(i).setSizePolicy(shown, shown if stack.widget(i) is page else hidden)
        stack.setCurrentWidget(page)
        stack.updateGeometry()

    def _show_hedges(self, hedges: list[Link]) -> None:
        ids = [rel.id for rel, _ in hedges]
        if ids != [h.relation.id for h in self.hedges if h.relation]:
            layout = self.hedge_box.layout()
            had_focus = self.hedge_box.isAncestorOf(QApplication.focusWidget())
            for old in self.hedges:
                old.hide()
                old.deleteLater()
            self.hedges = []
            for _ in hedges:
                widget = LinkedSpan("hedge", self.hedge_box)
                self._connect(widget)
                layout.addWidget(widget)
                self.hedges.append(widget)
            self._order_tabs()
            if had_focus:                                 # unlinked from the keyboard: stay here
                (self.hedges[0].unlink if self.hedges else self.cue.button).setFocus()
        for widget, link in zip(self.hedges, hedges):
            self._show_link(widget, link)
        self.hedges_missing.setVisible(not hedges)

    # --- user edits -> commands --------------------------------------------------------

    def _typed(self, name: str) -> str:
        control = self.controls[name]
        return control.toPlainText() if isinstance(control, QPlainTextEdit) else control.text()

    def _edited(self, name: str) -> None:
        if self._claim_id is not None:
            self._dirty.add(name)
            self._timer.start()                           # restart: wait until typing stops

    def _chosen(self, name: str) -> None:
        claim = self._claim_id
        value = self.controls[name].currentData()
        if claim is None or value == self._values.get(name):
            return
        commands: list[Command] = [SetClaimAttribute(claim, name, value)]
        claimant = self._links.get(RelationLabel.CLAIMANT, [])
        if name == KIND and value != "entity" and claimant:
            commands.append(Unlink(claimant[0][0].id, self.workbench.article_id))
        command = commands[0] if len(commands) == 1 else Batch(commands, f"set {name}")
        if self.workbench.run(command, initiator=self) is None:
            self._show_values()                           # not stored: show what is
            return
        self._remember(commands[:1])
        if name == KIND:
            self._show_links(self._read_links(claim) if len(commands) > 1 else self._links)
            self.set_claimant_picking(value == "entity" and not claimant)

    def _remember(self, commands: list) -> None:
        for command in commands:
            if command.value is None:
                self._values.pop(command.name, None)
            else:
                self._values[command.name] = command.value

    def _unlink(self, relation_id: int) -> None:
        self.workbench.run(Unlink(relation_id, self.workbench.article_id), initiator=self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._dirty:
            self.flush()
        return super().eventFilter(watched, event)
