"""Pre-annotation benchmark: run_suggester vs bare nlp.pipe, and the GUI's longest stall.

    python bench/bench_suggest.py [--articles 10000]

1. Throughput: a spaCy pipeline (blank English + an entity ruler with the kind of patterns
   a project uses) over the same texts, bare (`nlp.pipe`, results thrown away) and through
   Newsmark (`run_suggester`: reading texts, mapping labels, storing suggestions). Goal:
   Newsmark at >= 90% of bare throughput.
2. Responsiveness: the same suggester runs in a worker thread (as the GUI runs it) while a
   0 ms timer on the GUI thread records the longest gap between event-loop ticks.
   Goal: < 50 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_core import generate  # noqa: E402


def make_pipeline(path: Path) -> None:
    import spacy
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Kyiv"}, {"label": "PERSON", "pattern": "Maria Hendrix"},
                        {"label": "ORG", "pattern": "Defence Ministry"}, {"label": "ORG", "pattern": "NATO"},
                        {"label": "DATE", "pattern": [{"LOWER": "on"}, {"LOWER": "tuesday"}]},
                        {"label": "CARDINAL", "pattern": [{"IS_DIGIT": True}]}])
    nlp.to_disk(path)


def project(work: Path, n: int) -> Path:
    from app.importing import import_paths
    from app.project import create_project
    generate(work / "articles.jsonl", n)
    with create_project(work / "p.nmk") as store:
        import_paths(store, [work / "articles.jsonl"], annotator="bench")
    return work / "p.nmk"


def bare(pipeline: Path, texts: list[str]) -> float:
    import spacy
    nlp = spacy.load(pipeline)
    t = time.perf_counter()
    from app.suggest.pipeline import BATCH
    for doc in nlp.pipe(texts, batch_size=BATCH):     # the batch size Newsmark uses
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return time.perf_counter() - t


def ours(pipeline: Path, path: Path) -> tuple[float, int]:
    from app.project import open_project
    from app.suggest.service import make_suggester, run_suggester
    with open_project(path) as store:
        suggester = make_suggester(str(pipeline), store)
        t = time.perf_counter()
        report = run_suggester(store, suggester)
        return time.perf_counter() - t, report.added


def longest_gap(pipeline: Path, path: Path) -> tuple[float, int]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.project import open_project
    from app.suggest.service import make_suggester, run_suggester
    app = QApplication.instance() or QApplication([])
    gaps, last = [0.0], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    timer = QTimer(interval=0)
    timer.timeout.connect(tick)
    done = threading.Event()

    def work() -> None:
        with open_project(path) as store:
            store.conn.execute("DELETE FROM spans WHERE state = 'suggested'")
            run_suggester(store, make_suggester(str(pipeline), store))
        done.set()

    worker = threading.Thread(target=work)
    timer.start()
    last[0] = time.perf_counter()
    worker.start()
    ticks = 0
    while not done.is_set():
        app.processEvents()
        ticks += 1
    worker.join()
    timer.stop()
    return gaps[0], ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsmark-suggest-bench-"))
    make_pipeline(work / "pipe")
    path = project(work, args.articles)
    from app.project import open_project
    with open_project(path, readonly=True) as store:
        texts = [t for _, t in store.texts(store.article_ids())]
    bare_s = bare(work / "pipe", texts)
    ours_s, added = ours(work / "pipe", path)
    gap, ticks = longest_gap(work / "pipe", path)
    print(f"{args.articles} articles; {added} suggestions stored\n")
    print("| measure | Newsmark | bare | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| pre-annotation throughput | {len(texts) / ours_s:,.0f} articles/s ({ours_s:.2f} s) | "
          f"{len(texts) / bare_s:,.0f} articles/s ({bare_s:.2f} s) | {bare_s / ours_s:.0%} of bare | >= 90% |")
    print(f"| longest GUI event-loop gap while suggesting | {gap * 1000:.0f} ms ({ticks:,} ticks) | - | - | < 50 ms |")


if __name__ == "__main__":
    main()
