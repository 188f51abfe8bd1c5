"""The Qt binding itself: a release that corrupts reference counts must never be installed."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


def test_qt_binding_signal_emit_keeps_reference_counts(qapp):
    """PySide6 6.12.0 on Python 3.11 drops a reference to True per emit, then aborts."""
    emitter = _Emitter()
    seen: list = []
    emitter.fired.connect(lambda: seen.append(1))
    emitter.carried.connect(lambda value: seen.append(value is True))
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit()
        emitter.carried.emit(True)
    assert len(seen) == 400
    del seen
    assert abs(sys.getrefcount(True) - before) < 50
