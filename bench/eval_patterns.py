"""Precision and recall of the pattern suggester on hand-annotated news paragraphs.

    python bench/eval_patterns.py                 # dev and test tables, shipped patterns
    python bench/eval_patterns.py --errors dev    # also list dev misses and false alarms
    python bench/eval_patterns.py --patterns my.jsonl --data other.jsonl
    python bench/eval_patterns.py --check         # only check the gold offsets
    python bench/eval_patterns.py --newsmark resources/sample/articles.jsonl
                                                  # also score the finished articles of a
                                                  # Newsmark export, annotated by someone else

Data: tests/data/patterns_eval.jsonl, one paragraph a line, Newsmark-like:
    {"id", "split": "dev"|"test", "text", "spans": [{"start", "end", "label", "text"}]}
Sixteen invented paragraphs (fictional people and events, real weapon names), written
before the patterns were tuned; odd lines are `dev` (tune on them, look at their errors),
even lines are `test` (report them, do not tune on them). Every run first checks the gold:
`text[start:end] == span["text"]`, spans on token boundaries of spacy.blank("en"), no
whitespace at either edge, labels in the default schema.

Gold guideline (labels scored: WEAPON MIL_UNIT ORG DATE QUANTITY; all their mentions are
annotated, not only those the patterns aim at):
  WEAPON    system names and designations with variant and proper name ("M142 HIMARS",
            "Leopard 2A6", "Patriot PAC-3"), not the generic noun ("missiles", "jets").
  MIL_UNIT  units, formations, commands, fleets, military districts, groups of forces, with
            their ordinal ("72nd Mechanized Brigade"); a country or "Russia's" stays outside.
  ORG       organisations, service branches included ("Ukrainian Air Force"); a nationality
            adjective belongs to a generic body's name ("Russian Defence Ministry").
  DATE      dates, weekdays, months, years, relative dates and durations ("two weeks",
            "Tuesday morning", "the end of the year"); never the preposition ("on").
  QUANTITY  counts, measures, money, percentages, with an approximator and the counted noun
            ("at least 20 armoured vehicles"); if a name follows the number, only the number
            ("four" in "four Kh-101 cruise missiles"), as the sample project does.
Scores: exact = same start, end and label; partial = a one-to-one pairing of overlapping
spans with the same label. Spans the patterns do not aim at still count as misses.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.resources import default_schema  # noqa: E402
from app.suggest.patterns import PatternSuggester  # noqa: E402
from app.tokens import align, token_bounds, tokenize_one  # noqa: E402

DATA = ROOT / "tests" / "data" / "patterns_eval.jsonl"
SCORED = ("WEAPON", "MIL_UNIT", "ORG", "DATE", "QUANTITY")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [orjson.loads(line) for line in lines if line.strip()]


def load_newsmark(path: Path) -> list[dict]:
    """Finished articles (status "done") of a Newsmark JSONL export as eval records: their
    accepted entity spans, split "external". Unfinished ones would count misses as false alarms."""
    records = []
    for n, article in enumerate(load(path)):
        if article.get("status", "done") != "done":
            continue
        text = article["text"]
        spans = [{**s, "text": text[s["start"]:s["end"]]} for s in article.get("spans", [])
                 if s.get("layer", "entity") == "entity"
                 and s.get("state", "accepted") == "accepted"]
        records.append({"id": article.get("uid", str(n))[:8], "split": "external", "text": text,
                        "spans": spans})
    return records


def gold_problems(records: list[dict]) -> list[str]:
    """Every way a gold span disagrees with its text, the tokenizer or the schema."""
    known = {label.name for label in default_schema().labels}
    problems = []
    for rec in records:
        text, bounds = rec["text"], token_bounds(tokenize_one(rec["text"]))
        for s in rec["spans"]:
            where = f"{rec['id']} {s['start']}-{s['end']} {s['label']}"
            covered = text[s["start"]:s["end"]]
            if covered != s.get("text"):
                problems.append(f"{where}: covers {covered!r}, not {s.get('text')!r}")
            elif not covered or covered != covered.strip():
                problems.append(f"{where}: empty or edged with whitespace")
            elif align(bounds, s["start"], s["end"]) is None:
                problems.append(f"{where}: {covered!r} is not on token boundaries")
            if s["label"] not in known:
                problems.append(f"{where}: label not in the schema")
    return problems


def pair_partial(gold: list[tuple], found: list[tuple]) -> set[tuple]:
    """Found spans paired one-to-one with an overlapping gold span of the same label."""
    free, paired = set(gold), set()
    for f in sorted(found):
        overlapping = [g for g in free if g[2] == f[2] and g[0] < f[1] and f[0] < g[1]]
        if overlapping:
            best = max(overlapping, key=lambda g: min(g[1], f[1]) - max(g[0], f[0]))
            free.discard(best)
            paired.add(f)
    return paired


def score(records: list[dict], predictions: list[list[tuple]], labels: tuple[str, ...]):
    """Counts per label: {"exact": Counter(tp, fp, fn), "partial": ...}."""
    counts = {mode: {label: Counter() for label in labels} for mode in ("exact", "partial")}
    for rec, found in zip(records, predictions):
        gold = [(s["start"], s["end"], s["label"]) for s in rec["spans"] if s["label"] in labels]
        found = [f for f in found if f[2] in labels]
        hits = {"exact": set(gold) & set(found), "partial": pair_partial(gold, found)}
        for mode, good in hits.items():
            for label in labels:
                tp = sum(1 for f in good if f[2] == label)
                counts[mode][label].update(
                    tp=tp, fp=sum(1 for f in found if f[2] == label) - tp,
                    fn=sum(1 for g in gold if g[2] == label) - tp)
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def print_table(title: str, counts: dict, labels: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(f"{'label':<10} {'gold':>5} {'found':>5} | {'P':>5} {'R':>5} {'F':>5} exact"
          f" | {'P':>5} {'R':>5} {'F':>5} partial")
    for label in (*labels, "overall"):
        exact, partial = (sum(counts[mode].values(), Counter()) if label == "overall"
                          else counts[mode][label] for mode in ("exact", "partial"))
        figures = [" ".join(f"{v:5.2f}" for v in prf(c)) for c in (exact, partial)]
        print(f"{label:<10} {exact['tp'] + exact['fn']:>5} {exact['tp'] + exact['fp']:>5} | "
              f"{figures[0]} exact | {figures[1]} partial")


def print_errors(records: list[dict], predictions: list[list[tuple]], labels) -> None:
    for rec, found in zip(records, predictions):
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"] if s["label"] in labels}
        found = {f for f in found if f[2] in labels}
        for kind, spans in (("missed", gold - found), ("false ", found - gold)):
            for s, e, label in sorted(spans):
                print(f"  {rec['id']} {kind} {label:<9} {rec['text'][s:e]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--patterns", type=Path, nargs="*", help="pattern files (default: shipped)")
    ap.add_argument("--newsmark", type=Path, help="also score this Newsmark JSONL export")
    ap.add_argument("--errors", choices=["dev", "test", "external"],
                    help="list the errors of one split")
    ap.add_argument("--check", action="store_true", help="only check the gold offsets")
    args = ap.parse_args(argv)

    records = load(args.data)
    problems = gold_problems(records)
    for problem in problems:
        print("gold:", problem)
    if problems or args.check:
        print(f"{len(records)} paragraphs, {sum(len(r['spans']) for r in records)} gold spans, "
              f"{len(problems)} problems")
        return 1 if problems else 0
    if args.newsmark:
        external = load_newsmark(args.newsmark)
        for problem in gold_problems(external):
            print("external gold (scored as it is):", problem)
        records += external

    suggester = (PatternSuggester.from_files(args.patterns) if args.patterns
                 else PatternSuggester.default())
    labels = tuple(label for label in SCORED if label in suggester.labels())
    predictions = [[(s.start, s.end, s.label) for s in sug.spans]
                   for sug in suggester.suggest(r["text"] for r in records)]
    print(f"suggester {suggester.name!r}; labels scored: {' '.join(labels)}")
    for split in ("dev", "test", "external"):
        chosen = [i for i, r in enumerate(records) if r.get("split") == split]
        recs, preds = [records[i] for i in chosen], [predictions[i] for i in chosen]
        if not recs:
            continue
        print_table(f"{split} ({len(recs)} paragraphs)", score(recs, preds, labels), labels)
        if args.errors == split:
            print_errors(recs, preds, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
