"""$NEWSMARK_READY_QUIT_MS=N: once the window is up, say so on stdout and quit N ms later.

For what times or checks the real application from outside, frozen or not: the start-up
benchmark (bench/bench_startup.py) and the installer test (packaging/test_installer.sh).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

READY_LINE = "newsmark: window ready"


def quit_when_ready(app, environ: Mapping[str, str] | None = None) -> Callable[[], None] | None:
    """The on_ready callback $NEWSMARK_READY_QUIT_MS asks for, or None when it is unset."""
    environ = os.environ if environ is None else environ
    ms = environ.get("NEWSMARK_READY_QUIT_MS", "").strip()
    if not ms.isdigit():
        return None

    def ready() -> None:
        from PySide6.QtCore import QTimer
        if sys.stdout is not None:            # a windowed Windows .exe has no stdout
            print(READY_LINE, flush=True)
        QTimer.singleShot(int(ms), app.quit)
    return ready
