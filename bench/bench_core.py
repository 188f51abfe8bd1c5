"""Core benchmark: import and export of 10,000 news-like articles, beside bare baselines.

    python bench/bench_core.py [--articles 10000] [--keep DIR]

Each measurement runs in its own subprocess so that its peak memory (max RSS) is its own.
Baselines, measured in the same run on the same data:
  import   sqlite3 executemany of the same rows into the same tables and FTS index
  newsmark orjson dump of the same records (already in memory)
  prodigy  spaCy's tokenizer over the same texts
  spacy    spaCy's tokenizer over the same texts
Prints a table: seconds, rate, peak RSS, and the ratio to the baseline.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [("Maria Hendrix", "PERSON"), ("Oleksandr Koval", "PERSON"), ("Defence Ministry", "ORG"),
         ("Kyiv", "GPE"), ("Black Sea", "LOC"), ("Ukrainian", "NORP"), ("on Tuesday", "DATE"),
         ("12 drones", "QUANTITY"), ("Su-34", "WEAPON"), ("72nd Mechanized Brigade", "MIL_UNIT"),
         ("NATO", "ORG"), ("José Álvarez", "PERSON"), ("Zaporizhzhia", "GPE"), ("M142 HIMARS", "WEAPON")]
FILLER = ["Officials said the situation remained tense near the front line.",
          "Residents described hearing explosions late into the night, according to local media.",
          "The claims could not be independently verified.",
          "Analysts expect further strikes on energy infrastructure this winter.",
          "A spokesperson declined to comment on the reports, which allegedly cite intercepted calls."]


def make_article(rng: random.Random, i: int, size: int = 3000, spans: int = 20) -> dict:
    parts, out, pos = [f"Report {i}: "], [], len(f"Report {i}: ")
    while len(out) < spans:
        name, label = rng.choice(NAMES)
        out.append({"start": pos, "end": pos + len(name), "label": label})
        sentence = f"{name} was mentioned. {rng.choice(FILLER)} "
        parts.append(sentence)
        pos += len(sentence)
    while pos < size:
        sentence = rng.choice(FILLER) + ("\n\n" if rng.random() < 0.2 else " ")
        parts.append(sentence)
        pos += len(sentence)
    return {"text": "".join(parts), "spans": out, "meta": {"title": f"Report {i}", "source": "bench"}}


def generate(path: Path, n: int) -> None:
    import orjson
    rng = random.Random(42)
    with open(path, "wb") as f:
        for i in range(n):
            f.write(orjson.dumps(make_article(rng, i)) + b"\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- phases (each runs in a fresh process) ---------------------------------------------

def phase_import(work: Path) -> dict:
    from app.importing import import_paths
    from app.project import create_project
    store = create_project(work / "project.nmk")
    t = time.perf_counter()
    report = import_paths(store, [work / "articles.jsonl"], annotator="bench")
    elapsed = time.perf_counter() - t
    store.close()
    assert report.imported > 0 and not report.rejected, report
    return {"seconds": elapsed, "items": report.imported}


def phase_bare_import(work: Path) -> dict:
    """The same rows into the same tables and FTS index, with one executemany each."""
    import hashlib
    import sqlite3

    import orjson

    from app.project import create_project
    create_project(work / "bare.nmk").close()
    records = [orjson.loads(line) for line in open(work / "articles.jsonl", "rb")]
    conn = sqlite3.connect(work / "bare.nmk", isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    stamp = "2026-01-01T00:00:00.000Z"
    conn.executemany(
        "INSERT INTO articles (id, uid, title, text, meta, status, created, updated) "
        "VALUES (?, ?, ?, ?, ?, 'new', ?, ?)",
        [(i + 1, hashlib.sha256(r["text"].encode()).hexdigest(), r["meta"]["title"], r["text"],
          "{}", stamp, stamp) for i, r in enumerate(records)])
    conn.executemany(
        'INSERT INTO spans (article_id, start, "end", label, state, origin, created, updated) '
        "VALUES (?, ?, ?, ?, 'accepted', 'import', ?, ?)",
        [(i + 1, s["start"], s["end"], s["label"], stamp, stamp)
         for i, r in enumerate(records) for s in r["spans"]])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": len(records)}


def phase_export(work: Path, fmt: str) -> dict:
    from app.exporting import export
    from app.project import open_project
    store = open_project(work / "project.nmk", readonly=True)
    out = work / f"out.{fmt}"
    t = time.perf_counter()
    report = export(store, fmt, out)
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": report.articles}


def phase_bare_dump(work: Path) -> dict:
    """orjson dump of the same records, built in memory beforehand."""
    import orjson

    from app.project import open_project
    store = open_project(work / "project.nmk", readonly=True)
    records = []
    for ann in store.iter_annotations():
        a = ann.article
        records.append({"uid": a.uid, "title": a.title, "text": a.text, "meta": a.meta,
                        "spans": [{"start": s.start, "end": s.end, "label": s.label,
                                   "state": str(s.state), "origin": s.origin,
                                   "annotator": s.annotator} for s in ann.spans]})
    t = time.perf_counter()
    with open(work / "bare.jsonl", "wb") as f:
        for r in records:
            f.write(orjson.dumps(r) + b"\n")
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": len(records)}


def phase_bare_tokenize(work: Path) -> dict:
    import orjson
    import spacy
    texts = [orjson.loads(line)["text"] for line in open(work / "articles.jsonl", "rb")]
    nlp = spacy.blank("en")
    t = time.perf_counter()
    n = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": len(texts), "tokens": n}


PHASES = {
    "import": phase_import, "bare_import": phase_bare_import,
    "newsmark": lambda w: phase_export(w, "newsmark"), "prodigy": lambda w: phase_export(w, "prodigy"),
    "spacy": lambda w: phase_export(w, "spacy"), "bare_dump": phase_bare_dump,
    "bare_tokenize": phase_bare_tokenize,
}


def run_phase(name: str, work: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--work", str(work)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        out = PHASES[args.phase](args.work)
        out["peak_mb"] = peak_mb()
        print(json.dumps(out))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsmark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    generate(work / "articles.jsonl", args.articles)
    r = {name: run_phase(name, work) for name in PHASES}
    rows = [("import", "import", "bare_import", 2.5), ("export newsmark", "newsmark", "bare_dump", 3.0),
            ("export prodigy", "prodigy", "bare_tokenize", 1.5),
            ("export spacy", "spacy", "bare_tokenize", 1.5)]
    print(f"{args.articles} articles, ~3,000 characters and 20 spans each; work folder {work}\n")
    print(f"| work | newsmark s | articles/s | peak MB | bare s | bare peak MB | ratio | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for title, ours, bare, goal in rows:
        o, b = r[ours], r[bare]
        ratio = o["seconds"] / b["seconds"]
        print(f"| {title} | {o['seconds']:.2f} | {o['items'] / o['seconds']:,.0f} | "
              f"{o['peak_mb']:.0f} | {b['seconds']:.2f} | {b['peak_mb']:.0f} | {ratio:.2f}x | "
              f"<= {goal}x {'ok' if ratio <= goal else 'MISSED'} |")


if __name__ == "__main__":
    main()
