"""The `newsmark` executable: the CLI of app/, with the window for `open` (and no command).

Qt is imported only when a window is wanted, so CLI commands start fast.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from app.cli import main as cli_main


def open_window(project: str | None) -> int:
    from ui.main import run_gui  # noqa: PLC0415 (deferred: Qt loads only for the window)
    return run_gui(project)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, open_window=open_window)


if __name__ == "__main__":
    sys.exit(main())
