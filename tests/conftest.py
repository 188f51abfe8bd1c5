"""One conftest for the whole suite: headless Qt, cheap projects that close themselves."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.project import create_project  # noqa: E402
from models.domain import ArticleRecord, SpanRecord  # noqa: E402
from models.store import Store  # noqa: E402

_open_stores: list[Store] = []


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "test.nmk"


@pytest.fixture
def store(project_path: Path) -> Store:
    """A fresh project with the default schema."""
    s = create_project(project_path)
    _open_stores.append(s)
    return s


@pytest.fixture
def open_store():
    """Open a project and have it closed at the end of the test."""
    def _open(path, **kwargs) -> Store:
        s = Store.open(path, **kwargs)
        _open_stores.append(s)
        return s
    return _open


@pytest.fixture(autouse=True)
def _close_stores():
    yield
    while _open_stores:
        _open_stores.pop().close()


@pytest.fixture
def article(store: Store):
    """One article with an accepted PERSON and CLAIM, returns its id."""
    text = "Dr. Ada Lovelace said the engine works.\r\nParis 👩‍🔬 café."
    store.insert_articles([ArticleRecord(text=text, title="Engine", spans=[
        SpanRecord(4, 16, "PERSON"), SpanRecord(22, 38, "CLAIM")])], annotator="ann")
    return store.article_ids()[0]


@pytest.fixture
def workbench(qapp, store, article):
    """The GUI's controller on a project with one annotated article, shown."""
    from ui.workbench import Workbench
    bench = Workbench(store, annotator="tester")
    bench.show_article(article)
    return bench


@pytest.fixture(autouse=True)
def _no_leaked_widgets():
    """Fail a test that leaves a top-level widget behind (napari's `_testsupport.py`)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    before = set(app.topLevelWidgets()) if app is not None else set()
    yield
    app = QApplication.instance()
    if app is None:
        return
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = [w for w in app.topLevelWidgets() if w not in before]
    assert leaked == [], f"top-level widgets left behind: {leaked}"
