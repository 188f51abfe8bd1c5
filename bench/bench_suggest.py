"""Pre-annotation benchmark: run_suggester vs bare nlp.pipe, and the GUI's longest stall.

    python bench/bench_suggest.py [--articles 10000] [--train-articles 200]

1. Throughput: a spaCy pipeline (blank English + an entity ruler with the kind of patterns
   a project uses) over the same texts, bare (`nlp.pipe`, results thrown away; with
   n_process=1 and with one process a core) and through Newsmark (`run_suggester`: reading
   texts, mapping labels, storing suggestions; in one process, and as it runs by default,
   with worker processes when there are cores). Goal: Newsmark at >= 90% of bare.
2. Responsiveness: the GUI's own code paths run on a worker thread while a 0 ms timer on
   the GUI thread records the longest gap between event-loop ticks: a corpus-wide
   suggester (run_job_in_process, as Annotate > Suggest > all articles runs it) and a
   training run (app.training.train, as the training dialog runs it). Goal: < 50 ms.
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


def bare(pipeline: Path, texts: list[str], n_process: int = 1) -> float:
    import spacy
    nlp = spacy.load(pipeline)
    t = time.perf_counter()
    from app.suggest.pipeline import BATCH
    for doc in nlp.pipe(texts, batch_size=BATCH, n_process=n_process):
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return time.perf_counter() - t


def ours(pipeline: Path, path: Path, workers: int | None) -> tuple[float, int, int]:
    from app.project import open_project
    from app.suggest import pool
    from app.suggest.service import make_suggester, run_suggester
    with open_project(path) as store:
        with store.transaction():
            store.conn.execute("DELETE FROM spans WHERE state = 'suggested'")
        suggester = make_suggester(str(pipeline), store)
        used = pool.workers_for(suggester, len(store.article_ids())) if workers is None else 0
        t = time.perf_counter()
        report = run_suggester(store, suggester, workers=workers)
        return time.perf_counter() - t, report.added, used


def longest_gap(work) -> tuple[float, int]:
    """The longest gap between GUI event-loop ticks while `work()` runs on a thread."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    gaps, last = [0.0], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    timer = QTimer(interval=0)
    timer.timeout.connect(tick)
    done = threading.Event()

    def run() -> None:
        try:
            work()
        finally:
            done.set()

    worker = threading.Thread(target=run)
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


def suggesting_in_the_gui(pipeline: Path, path: Path) -> None:
    from app.project import open_project
    from app.suggest.service import SuggestJob, run_job_in_process
    with open_project(path) as store, store.transaction():
        store.conn.execute("DELETE FROM spans WHERE state = 'suggested'")
    run_job_in_process(SuggestJob(str(path), str(pipeline)))


def training_project(work: Path, n: int) -> Path:
    """`n` done articles with their entities (a corpus to train on)."""
    from app.importing import import_paths
    from app.project import create_project
    from models.domain import Status
    generate(work / "train.jsonl", n)
    with create_project(work / "t.nmk") as store:
        import_paths(store, [work / "train.jsonl"], annotator="bench")
        with store.transaction():
            store.conn.execute("UPDATE articles SET status = ?", (str(Status.DONE),))
    return work / "t.nmk"


def training_in_the_gui(path: Path, out: Path) -> None:
    from app.training.service import TrainJob, train_in_process
    train_in_process(TrainJob(str(path), str(out), max_epochs=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--train-articles", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsmark-suggest-bench-"))
    make_pipeline(work / "pipe")
    path = project(work, args.articles)
    from app.cores import cpus
    from app.project import open_project
    with open_project(path, readonly=True) as store:
        texts = [t for _, t in store.texts(store.article_ids())]
    cores = cpus()
    bare_1 = bare(work / "pipe", texts)
    bare_n = bare(work / "pipe", texts, n_process=cores)
    alone_s, added, _ = ours(work / "pipe", path, workers=0)
    pooled_s, _, used = ours(work / "pipe", path, workers=None)
    gap, ticks = longest_gap(lambda: suggesting_in_the_gui(work / "pipe", path))
    trained = training_project(work, args.train_articles)
    train_gap, train_ticks = longest_gap(lambda: training_in_the_gui(trained, work / "model"))
    n = len(texts)

    def rate(seconds: float) -> str:
        return f"{n / seconds:,.0f} articles/s ({seconds:.2f} s)"
    print(f"{n} articles; {added} suggestions stored; {cores} cores\n")
    print("| measure | Newsmark | bare | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| pre-annotation, one process | {rate(alone_s)} | nlp.pipe: {rate(bare_1)} | "
          f"{bare_1 / alone_s:.0%} of bare | >= 90% |")
    print(f"| pre-annotation, as it runs ({used} workers) | {rate(pooled_s)} | nlp.pipe: "
          f"{rate(bare_1)} | {bare_1 / pooled_s:.0%} of bare | >= 90% |")
    print(f"| pre-annotation, as it runs | {rate(pooled_s)} | nlp.pipe n_process={cores}: "
          f"{rate(bare_n)} | {bare_n / pooled_s:.0%} of bare | >= 90% |")
    print(f"| longest GUI event-loop gap, suggesting all articles | {gap * 1000:.0f} ms "
          f"({ticks:,} ticks) | - | - | < 50 ms |")
    print(f"| longest GUI event-loop gap, training ({args.train_articles} articles, 2 epochs) "
          f"| {train_gap * 1000:.0f} ms ({train_ticks:,} ticks) | - | - | < 50 ms |")


if __name__ == "__main__":
    main()
