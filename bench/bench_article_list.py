"""Article list benchmark: the left panel over a project of many articles, offscreen.

    python bench/bench_article_list.py [--articles 100000]

Prints seconds for: the id query, building the model, the panel's first screen, scrolling
to the end, typing a search, a status filter, and stepping through articles; and how many
summaries were fetched (the list must never fetch them all).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.project import create_project, open_project  # noqa: E402
from ui.article_list import ArticleListModel, ArticleListPanel  # noqa: E402
from ui.workbench import Workbench  # noqa: E402

WORDS = ["Kyiv", "Odesa", "drones", "budget", "ministry", "harbour", "strike", "vote"]


def build(path: Path, n: int) -> None:
    stamp = "2024-05-01T08:00:00.000Z"
    with create_project(path) as store, store.transaction():
        store.conn.executemany(
            "INSERT INTO articles (uid, title, text, status, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((f"uid{i}", f"Report {i}", f"{WORDS[i % 8]} {WORDS[i * 7 % 8]} report {i}",
              "done" if i % 3 == 0 else "new", stamp, stamp) for i in range(n)))


def timed(label: str, action, rows: list) -> object:
    start = time.perf_counter()
    result = action()
    rows.append((label, time.perf_counter() - start))
    return result


def run(path: Path) -> None:
    app = QApplication.instance() or QApplication([])
    store = open_project(path)
    fetched: list[int] = []
    real = store.article_summaries
    store.article_summaries = lambda ids: fetched.append(len(ids)) or real(ids)
    rows: list[tuple[str, float]] = []
    timed("article_ids (all)", store.article_ids, rows)
    timed("model built", lambda: ArticleListModel(store), rows)
    workbench = Workbench(store, annotator="bench")
    panel = timed("panel built", lambda: ArticleListPanel(workbench), rows)
    panel.resize(800, 700)

    def first_screen() -> None:
        panel.show()
        app.processEvents()
    timed("first screen shown", first_screen, rows)

    def to_end() -> None:
        panel.view.scrollToBottom()
        app.processEvents()
    timed("scrolled to the end", to_end, rows)

    def search() -> None:
        panel.search.setText("odesa")
        panel._apply_filter()                           # as the debounce timer would
        app.processEvents()
    timed("search 'odesa'", search, rows)
    panel.search.clear()
    panel._apply_filter()

    def status() -> None:
        panel.status_filter.setCurrentIndex(panel.status_filter.findData("done"))
        app.processEvents()
    timed("status filter 'done'", status, rows)

    def step() -> None:
        for _ in range(100):
            panel.next_article()
            app.processEvents()
    timed("100 x next_article", step, rows)

    print(f"{store.stats()['articles']:,} articles")
    for label, seconds in rows:
        print(f"  {label:<24} {seconds * 1000:8.1f} ms")
    print(f"  summaries fetched: {sum(fetched):,} in {len(fetched)} calls; "
          f"cached now: {panel.model.cache_size:,}")
    panel.deleteLater()
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.nmk"
        start = time.perf_counter()
        build(path, args.articles)
        print(f"built in {time.perf_counter() - start:.1f} s")
        run(path)


if __name__ == "__main__":
    main()
