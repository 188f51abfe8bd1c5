"""Training benchmark: `train` on generated news-like articles, end to end.

    python bench/bench_training.py [--articles 50] [--sentences 1] [--max-epochs 30]

Articles are templated sentences (tests/app/_training.py) with every person, city,
organisation and claim annotated, status done; --sentences joins several into one
article. Prints the time to prepare (export + config), to the first evaluation, in
total, the evaluations and epochs run, the best scores, and the trained model's load
time and suggestion rate.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.project import create_project  # noqa: E402
from app.training import TrainedModelSuggester, train  # noqa: E402
from models.domain import ArticleRecord, SpanRecord, Status  # noqa: E402
from tests.app._training import article  # noqa: E402


def articles(n: int, sentences: int) -> list[ArticleRecord]:
    rng = random.Random(7)
    records = []
    for i in range(n):
        text, spans = "", []
        for j in range(sentences):
            part = article(rng, i * sentences + j)
            offset = len(text)
            spans += [SpanRecord(s.start + offset, s.end + offset, s.label) for s in part.spans]
            text += part.text + " "
        records.append(ArticleRecord(text=text.rstrip(), status=Status.DONE, spans=spans))
    return records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--sentences", type=int, default=1)
    parser.add_argument("--max-epochs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.nmk"
        with create_project(path) as store:
            store.insert_articles(articles(args.articles, args.sentences), annotator="bench")
        marks: dict[str, float] = {}
        start = time.perf_counter()

        def progress(p) -> None:
            if p.total is not None and "training" not in marks:
                marks["training"] = time.perf_counter() - start

        def on_epoch(_) -> None:
            marks.setdefault("first evaluation", time.perf_counter() - start)

        run = train(path, Path(tmp) / "run", max_epochs=args.max_epochs, progress=progress,
                    on_epoch=on_epoch)
        total = time.perf_counter() - start
        loaded = time.perf_counter()
        suggester = TrainedModelSuggester(run.output_dir)
        loaded = time.perf_counter() - loaded
        texts = [a.text for a in articles(200, args.sentences)]
        suggesting = time.perf_counter()
        sum(len(s.spans) for s in suggester.suggest(texts))
        suggesting = time.perf_counter() - suggesting
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{args.articles} articles of ~{words:.0f} words, {os.cpu_count()} CPUs, "
          f"pipeline {' + '.join(run.pipeline)}")
    print(f"  prepared (export, config)   {marks['training']:6.2f} s")
    print(f"  first evaluation            {marks.get('first evaluation', float('nan')):6.2f} s")
    print(f"  total                       {total:6.2f} s   "
          f"({len(run.epochs)} evaluations, last epoch {run.epochs[-1].epoch}, "
          f"step {run.epochs[-1].step})")
    best = run.best
    claims = f", claims F {best.claims.f:.2f}" if best.claims else ""
    print(f"  best: epoch {best.epoch}, entities F {best.entities.f:.2f}{claims}")
    print(f"  model load                  {loaded:6.2f} s")
    print(f"  suggest                     {len(texts) / suggesting:6.0f} articles/s")


if __name__ == "__main__":
    main()
