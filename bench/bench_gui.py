"""Workbench benchmark: a long article with many spans, start-up, memory.

    python bench/bench_gui.py [--chars 200000] [--spans 5000] [--articles 10000] [--big 100000]

Prints, each beside a bare baseline measured in the same run:
  open + draw   a 200,000-character article with 5,000 spans, vs the same article with none
  label         key press -> span stored -> view repainted, on that article (median of 30)
  start-up      process start -> interactive window, on a 10,000-article project,
                vs a bare PySide6 window with a QPlainTextEdit in a fresh process
  memory        max RSS with a 100,000-article project open, vs the bare window
Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a display is set.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from measure import peak_mb  # noqa: E402
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NEWSMARK_ANNOTATOR", "bench")

WORDS = ("the officials said on Tuesday that forces near Kyiv had repelled an attack by "
         "drones while the ministry reported damage to energy sites and residents "
         "described explosions").split()
LABELS = ["PERSON", "ORG", "GPE", "LOC", "DATE", "QUANTITY", "WEAPON"]



def long_article(chars: int, spans: int, seed: int = 1):
    from models.domain import ArticleRecord, SpanRecord
    rng = random.Random(seed)
    parts, pos, bounds = [], 0, []
    while pos < chars:
        word = rng.choice(WORDS)
        bounds.append((pos, pos + len(word)))
        sep = "\n\n" if rng.random() < 0.01 else " "
        parts.append(word + sep)
        pos += len(word) + len(sep)
    text = "".join(parts)
    chosen = sorted(rng.sample(range(len(bounds)), spans))
    records = [SpanRecord(*bounds[i], rng.choice(LABELS)) for i in chosen]
    for i in chosen[::10]:                       # a claim over every tenth entity's sentence
        s = bounds[i][0]
        records.append(SpanRecord(s, min(len(text), bounds[min(i + 12, len(bounds) - 1)][1]), "CLAIM"))
    return ArticleRecord(text=text, title="long"), ArticleRecord(text=text + " ", title="bare", spans=[]), records


def project_with(path: Path, n: int) -> None:
    from app.project import create_project
    from models.domain import ArticleRecord, SpanRecord
    rng = random.Random(2)
    with create_project(path) as store:
        batch = []
        for i in range(n):
            text = f"Article {i}. " + " ".join(rng.choice(WORDS) for _ in range(60))
            batch.append(ArticleRecord(text=text, title=f"Article {i}",
                                       spans=[SpanRecord(0, 7, "ORG")]))
            if len(batch) == 5000:
                store.insert_articles(batch, annotator="bench")
                batch = []
        if batch:
            store.insert_articles(batch, annotator="bench")


def bench_view(chars: int, spans: int) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.project import create_project
    from ui.article_view import ArticleView
    from ui.workbench import Workbench
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="newsmark-gui-bench-"))
    store = create_project(work / "long.nmk")
    article, bare, records = long_article(chars, spans)
    article.spans = records
    store.insert_articles([article, bare], annotator="bench")
    long_id, bare_id = store.article_ids()
    bench = Workbench(store, annotator="bench")
    view = ArticleView(bench)
    view.resize(1000, 900)
    view.show()
    app.processEvents()

    def open_and_draw(article_id) -> float:
        bench.show_article(None)
        app.processEvents()
        t = time.perf_counter()
        bench.show_article(article_id)
        view.viewport().repaint()
        return time.perf_counter() - t

    with_spans = statistics.median(open_and_draw(long_id) for _ in range(5))
    without = statistics.median(open_and_draw(bare_id) for _ in range(5))
    bench.show_article(long_id)
    app.processEvents()
    label_times = []
    for i in range(30):
        start = view.text.index(" ", 1000 + i * 997) + 1
        end = view.text.index(" ", start)
        view.select(start, end)
        t = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_8)       # EVENT: stored, then repainted
        view.viewport().repaint()
        label_times.append(time.perf_counter() - t)
    stored = sum(1 for s in store.spans(long_id) if s.label == "EVENT")
    store.close()
    return {"open_spans": with_spans, "open_bare": without, "label": statistics.median(label_times),
            "label_max": max(label_times), "stored": stored, "spans": len(records)}


def startup(project: Path | None) -> dict:
    """Runs in a fresh process: start -> interactive window (the event loop turned once)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit
    if project is None:
        app = QApplication([])
        window = QPlainTextEdit()
        window.setPlainText("bare")
        window.show()
    else:
        from ui.main import run_gui

    def ready() -> None:
        out = {"seconds": time.perf_counter() - T0, "peak_mb": peak_mb()}
        print(json.dumps(out), flush=True)
        QApplication.instance().quit()

    if project is None:
        QTimer.singleShot(0, ready)
        app.exec()
    else:
        run_gui(str(project), on_ready=ready)
    return {}


def in_fresh_process(project: Path | None) -> dict:
    args = [sys.executable, __file__, "--startup", str(project) if project else "-"]
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp())
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SystemExit(f"start-up run failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--spans", type=int, default=5_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--startup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup:
        startup(None if args.startup == "-" else Path(args.startup))
        return
    view = bench_view(args.chars, args.spans)
    work = Path(tempfile.mkdtemp(prefix="newsmark-gui-bench-"))
    project_with(work / "ten.nmk", args.articles)
    project_with(work / "big.nmk", args.big)
    bare = in_fresh_process(None)
    ten = in_fresh_process(work / "ten.nmk")
    big = in_fresh_process(work / "big.nmk")
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(f"| measure | Newsmark | bare baseline | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| open + draw {args.chars:,} chars, {view['spans']:,} spans | {ms(view['open_spans'])} | "
          f"{ms(view['open_bare'])} (no spans) | {view['open_spans'] / view['open_bare']:.1f}x | < 300 ms |")
    print(f"| label key -> stored -> repainted (median of 30; max {ms(view['label_max'])}) | "
          f"{ms(view['label'])} | - | - | < 30 ms |")
    print(f"| start-up to interactive window, {args.articles:,} articles | {ten['seconds']:.2f} s | "
          f"{bare['seconds']:.2f} s (bare Qt window) | {ten['seconds'] / bare['seconds']:.1f}x | < 2 s |")
    print(f"| memory, {args.big:,}-article project open | {big['peak_mb']:.0f} MB | "
          f"{bare['peak_mb']:.0f} MB | {big['peak_mb'] / bare['peak_mb']:.1f}x | < 300 MB |")
    assert view["stored"] == 30, view


if __name__ == "__main__":
    main()
