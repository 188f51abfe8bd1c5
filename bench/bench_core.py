"""Core benchmark: import and export of 10,000 news-like articles, beside bare baselines.

    python bench/bench_core.py [--articles 10000] [--keep DIR]

Each measurement runs in its own subprocess so that its peak memory (max RSS) is its own.
Baselines, measured in the same run on the same data:
  import   sqlite3 executemany of the same rows into the same tables and FTS index
  newsmark plain sqlite3 reads of the same rows, dumped with orjson
  prodigy  spaCy's tokenizer over the same texts
  spacy    spaCy's tokenizer over the same texts
Prints a table: seconds, rate, peak RSS, and the ratio to the baseline.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from itertools import accumulate
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from measure import peak_mb  # noqa: E402

NAMES = [("Maria Hendrix", "PERSON"), ("Oleksandr Koval", "PERSON"), ("Defence Ministry", "ORG"),
         ("Kyiv", "GPE"), ("Black Sea", "LOC"), ("Ukrainian", "NORP"), ("on Tuesday", "DATE"),
         ("12 drones", "QUANTITY"), ("Su-34", "WEAPON"), ("72nd Mechanized Brigade", "MIL_UNIT"),
         ("NATO", "ORG"), ("José Álvarez", "PERSON"), ("Zaporizhzhia", "GPE"), ("M142 HIMARS", "WEAPON")]
FILLER = ["Officials said the situation remained tense near the front line.",
          "Residents described hearing explosions late into the night, according to local media.",
          "The claims could not be independently verified.",
          "Analysts expect further strikes on energy infrastructure this winter.",
          "A spokesperson declined to comment on the reports, which allegedly cite intercepted calls."]


SYLLABLES = ["ka", "lo", "mi", "ren", "st", "ov", "an", "te", "ri", "sha", "bel", "dor", "qu",
             "ix", "ne", "pol", "ur", "gra", "ve", "lin", "tho", "sk", "am", "ery"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float], list[str]]:
    """English words of the sample articles, by frequency, with Zipf weights; invented names."""
    text = " ".join(orjson.loads(line)["text"]
                    for line in open(ROOT / "resources" / "sample" / "articles.jsonl", "rb"))
    words = [w for w, _ in Counter(re.findall(r"[A-Za-z]+", text)).most_common()]
    weights = list(accumulate(1 / rank for rank in range(1, len(words) + 1)))
    names = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(20_000)})
    return words, weights, names


def make_article(rng: random.Random, i: int, vocab, size: int = 3000, spans: int = 20) -> dict:
    """~3,000 characters of news-like sentences with 20 entity mentions at known offsets."""
    words, weights, names = vocab
    head = f"Report {i}: "
    parts, out, pos = [head], [], len(head)
    while pos < size:
        if len(out) < spans and rng.random() < 0.5:
            name, label = rng.choice(NAMES)
            out.append({"start": pos, "end": pos + len(name), "label": label})
            parts.append(name + " ")
            pos += len(name) + 1
        chosen = [rng.choice(names) if rng.random() < 0.05 else w
                  for w in rng.choices(words, cum_weights=weights, k=rng.randint(6, 16))]
        if rng.random() < 0.2:
            chosen.append(str(rng.randint(2, 5000)))
        sentence = " ".join(chosen) + rng.choice([".", ".", ",", ";"])
        if rng.random() < 0.1:
            sentence = f"“{sentence}” {rng.choice(FILLER)}"
        sentence += "\n\n" if rng.random() < 0.1 else " "
        parts.append(sentence)
        pos += len(sentence)
    return {"text": "".join(parts), "spans": out, "meta": {"title": f"Report {i}", "source": "bench"}}


def generate(path: Path, n: int) -> None:
    rng = random.Random(42)
    vocab = vocabulary(rng)
    with open(path, "wb") as f:
        for i in range(n):
            f.write(orjson.dumps(make_article(rng, i, vocab)) + b"\n")



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
    rows = [(i + 1, hashlib.sha256(r["text"].encode()).hexdigest(), r["meta"]["title"],
             r["text"], "{}", stamp, stamp) for i, r in enumerate(records)]
    conn.executemany(
        "INSERT INTO articles (id, uid, title, text, meta, status, created, updated) "
        "VALUES (?, ?, ?, ?, ?, 'new', ?, ?)", rows)
    conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                     [(r[0], r[2], r[3]) for r in rows])
    conn.executemany(
        'INSERT INTO spans (article_id, start, "end", label, state, origin, created, updated) '
        "VALUES (?, ?, ?, ?, 'accepted', 'import', ?, ?)",
        [(i + 1, s["start"], s["end"], s["label"], stamp, stamp)
         for i, r in enumerate(records) for s in r["spans"]])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": len(records)}


def phase_export(work: Path, fmt: str) -> dict:
    """The export; with worker processes, also how many and the largest one's peak RSS
    (their pages shared with this process, spaCy's code and data, count in both)."""
    import resource

    from app.exporting import export, pool
    from app.exporting.common import Job, Options
    from app.exporting.service import exporter_class
    from app.project import open_project
    store = open_project(work / "project.nmk", readonly=True)
    out = work / f"out.{fmt}"
    t = time.perf_counter()
    report = export(store, fmt, out)
    elapsed = time.perf_counter() - t
    workers = pool.workers_for(exporter_class(fmt)(Job(store, Options())), report.articles)
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": elapsed, "items": report.articles, "workers": workers,
            "worker_peak_mb": worker_peak if workers else 0}


def phase_bare_dump(work: Path) -> dict:
    """The same export done bare: plain sqlite3 reads of the same rows, orjson dumps."""
    import sqlite3
    from itertools import groupby

    import orjson
    conn = sqlite3.connect(work / "project.nmk")
    t = time.perf_counter()
    spans = conn.execute('SELECT article_id, start, "end", label, state, origin, annotator_id, '
                         "created, updated FROM spans ORDER BY article_id, start")
    by_article = groupby(spans, key=lambda r: r[0])
    pending = next(by_article, None)
    n = 0
    with open(work / "bare.jsonl", "wb") as f:
        for aid, uid, title, text, meta, status, created, updated in conn.execute(
                "SELECT id, uid, title, text, meta, status, created, updated FROM articles ORDER BY id"):
            rows = []
            if pending is not None and pending[0] == aid:
                rows = list(pending[1])
                pending = next(by_article, None)
            f.write(orjson.dumps({
                "uid": uid, "title": title, "text": text, "meta": orjson.loads(meta),
                "status": status, "created": created, "updated": updated,
                "spans": [{"start": r[1], "end": r[2], "label": r[3], "state": r[4],
                           "origin": r[5], "annotator": r[6], "created": r[7], "updated": r[8]}
                          for r in rows]}) + b"\n")
            n += 1
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "items": n}


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
    # (title, phase, bare phase, ratio goal, seconds goal or None): the goals
    rows = [("import", "import", "bare_import", 2.5, 2.0),
            ("export newsmark", "newsmark", "bare_dump", 3.0, 1.0),
            ("export prodigy", "prodigy", "bare_tokenize", 1.5, None),
            ("export spacy", "spacy", "bare_tokenize", 1.5, None)]
    print(f"{args.articles} articles, ~3,000 characters and 20 spans each; work folder {work}\n")
    print("| work | newsmark s | articles/s | peak MB | bare s | bare peak MB | ratio | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for title, ours, bare, goal, seconds in rows:
        o, b = r[ours], r[bare]
        ratio = o["seconds"] / b["seconds"]
        peak = f"{o['peak_mb']:.0f}" + (f" + {o['workers']} workers x {o['worker_peak_mb']:.0f}"
                                        if o.get("workers") else "")
        goals = [f"<= {goal}x {'ok' if ratio <= goal else 'MISSED'}"]
        if seconds is not None:
            goals.append(f"< {seconds:g} s {'ok' if o['seconds'] < seconds else 'MISSED'}")
        print(f"| {title} | {o['seconds']:.2f} | {o['items'] / o['seconds']:,.0f} | "
              f"{peak} | {b['seconds']:.2f} | {b['peak_mb']:.0f} | {ratio:.2f}x | "
              f"{'; '.join(goals)} |")


if __name__ == "__main__":
    main()
