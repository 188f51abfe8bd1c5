"""Render the main window on the sample project to a PNG (the README's screenshot).

    python tools/screenshot.py [docs/screenshot.png]

Runs offscreen: no display needed. The first claim of the first article is selected so
the claim editor shows its claimant, cue and attributes.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.importing import import_paths
    from app.project import create_project
    from models.domain import Layer
    from ui.main_window import MainWindow
    from ui.settings import AppSettings
    from ui.shortcuts import ShortcutSettings
    from ui.theme import apply_theme
    from ui.workbench import Workbench

    app = QApplication([])
    apply_theme(app, "light")
    work = Path(tempfile.mkdtemp(prefix="newsmark-shot-"))
    store = create_project(work / "sample.nmk")
    import_paths(store, [ROOT / "resources" / "sample" / "articles.jsonl"], annotator="sample")
    qsettings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    bench = Workbench(store, annotator="ana")
    window = MainWindow(bench, settings=AppSettings(qsettings), shortcuts=ShortcutSettings(qsettings))
    window.resize(1500, 900)
    window.show()
    window.start()
    claim = next(s for s in bench.spans() if s.layer == Layer.CLAIM)
    bench.set_claim(claim.id)
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.close()
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
