"""Precision and recall of the claims suggester against the sample's annotated claims.

    python bench/eval_claims.py [--file resources/sample/articles.jsonl] [--show]

Only articles with at least one annotated CLAIM are scored (the others have no claim layer
yet); what is suggested in the others is counted apart. Figures:
  CLAIM, CUE, HEDGE  exact (same offsets) and overlap (one-to-one, sharing a character)
  claimant           per claim matched by overlap: the gold claimant is an entity span (via the
                     "claimant" relation) or an unnamed claimant_text; the suggestion is right
                     exactly when the entity offsets (or the text, case-folded) are the same,
                     by overlap when the spans overlap (or one text holds the other). Claims
                     the annotators gave to the author are left out.
  attributes         agreement on quote_type, certainty, claimant_kind of overlapping claims
  speed              articles a second over the sample repeated 100 times
The rules were written while reading this sample: these are in-sample figures.
--show prints every miss and every suggestion without a gold partner.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.resources import resource_path  # noqa: E402
from app.suggest.claims import ClaimSuggester  # noqa: E402

LABELS = ("CLAIM", "CUE", "HEDGE")
ATTRIBUTES = ("quote_type", "certainty", "claimant_kind")


def gold_of(article: dict) -> dict:
    """{"spans": {label: [(s, e)]}, "claimants": {(s, e): ("span", (s, e)) | ("text", str)},
    "attributes": {(s, e): {...}}} of one article."""
    by_id = {s["id"]: s for s in article["spans"]}
    spans = {label: [(s["start"], s["end"]) for s in article["spans"] if s["label"] == label]
             for label in LABELS}
    claimants, attributes = {}, {}
    for s in article["spans"]:
        if s["label"] == "CLAIM":
            attrs = s.get("attributes") or {}
            attributes[(s["start"], s["end"])] = attrs
            if attrs.get("claimant_kind") == "unnamed" and attrs.get("claimant_text"):
                claimants[(s["start"], s["end"])] = ("text", attrs["claimant_text"])
    for r in article.get("relations", []):
        if r["label"] == "claimant":
            head, child = by_id[r["head"]], by_id[r["child"]]
            claimants[(head["start"], head["end"])] = ("span", (child["start"], child["end"]))
    return {"spans": spans, "claimants": claimants, "attributes": attributes}


def predicted_of(out) -> dict:
    spans = {label: [(s.start, s.end) for s in out.spans if s.label == label] for label in LABELS}
    claimants, attributes = {}, {}
    for i, s in enumerate(out.spans):
        if s.label != "CLAIM":
            continue
        attributes[(s.start, s.end)] = s.attributes
        child = next((out.spans[r.child] for r in out.relations
                      if r.head == i and r.label == "claimant"), None)
        if child is not None:
            claimants[(s.start, s.end)] = ("span", (child.start, child.end))
        elif s.attributes.get("claimant_text"):
            claimants[(s.start, s.end)] = ("text", s.attributes["claimant_text"])
    return {"spans": spans, "claimants": claimants, "attributes": attributes}


def overlap_pairs(gold: list, pred: list) -> list[tuple]:
    """One-to-one pairs of overlapping spans, largest overlap first."""
    candidates = sorted(((min(g[1], p[1]) - max(g[0], p[0]), g, p) for g in gold for p in pred
                         if min(g[1], p[1]) > max(g[0], p[0])), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g), used_p.add(p), pairs.append((g, p))
    return pairs


def claimant_match(gold: tuple, pred: tuple | None, text: str) -> tuple[bool, bool]:
    """(exact, overlap) agreement of two claimants."""
    if pred is None:
        return False, False
    as_text = [x[1].casefold() if x[0] == "text" else text[x[1][0]:x[1][1]].casefold()
               for x in (gold, pred)]
    if gold[0] == pred[0] == "span":
        (gs, ge), (ps, pe) = gold[1], pred[1]
        return (gs, ge) == (ps, pe), min(ge, pe) > max(gs, ps)
    exact = gold[0] == pred[0] and as_text[0] == as_text[1]
    return exact, exact or as_text[0] in as_text[1] or as_text[1] in as_text[0]


def ratio(a: int, b: int) -> str:
    return f"{a / b:6.1%}" if b else "   n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=resource_path("sample", "articles.jsonl"))
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    articles = [orjson.loads(line) for line in args.file.read_bytes().splitlines() if line.strip()]
    scored = [a for a in articles if any(s["label"] == "CLAIM" for s in a["spans"])]
    others = [a for a in articles if a not in scored]
    suggester = ClaimSuggester()
    counts: Counter = Counter()
    for article, out in zip(scored, suggester.suggest(a["text"] for a in scored)):
        score(article, gold_of(article), predicted_of(out), counts, args.show)
    unscored = Counter(s.label for out in suggester.suggest(a["text"] for a in others)
                       for s in out.spans)
    report(counts, len(scored), others, unscored)
    texts = [a["text"] for a in articles] * 100
    started = time.perf_counter()
    for _ in suggester.suggest(texts):
        pass
    print(f"speed: {len(texts) / (time.perf_counter() - started):.0f} articles/s "
          f"({len(texts)} sample articles, one process)")


def score(article: dict, gold: dict, pred: dict, counts: Counter, show: bool) -> None:
    text = article["text"]
    for label in LABELS:
        g, p = gold["spans"][label], pred["spans"][label]
        pairs = overlap_pairs(g, p)
        counts[label, "gold"] += len(g)
        counts[label, "pred"] += len(p)
        counts[label, "exact"] += len(set(g) & set(p))
        counts[label, "overlap"] += len(pairs)
        if show:
            for x in sorted(set(g) - {a for a, _ in pairs}):
                print(f"  MISSED {label:5} {text[x[0]:x[1]]!r}")
            for x in sorted(set(p) - {b for _, b in pairs}):
                print(f"  EXTRA  {label:5} {text[x[0]:x[1]]!r}")
            for a, b in pairs:
                if a != b:
                    print(f"  OFF    {label:5} gold {text[a[0]:a[1]]!r}\n{'':19}got  {text[b[0]:b[1]]!r}")
    for g, p in overlap_pairs(gold["spans"]["CLAIM"], pred["spans"]["CLAIM"]):
        want, got = gold["claimants"].get(g), pred["claimants"].get(p)
        counts["claimant", "pred"] += bool(got and want)
        if want:
            exact, overlap = claimant_match(want, got, text)
            counts["claimant", "exact"] += exact
            counts["claimant", "overlap"] += overlap
            if show and not exact:
                print(f"  CLAIMANT want {describe(want, text)!r} got {describe(got, text)!r}")
        for name in ATTRIBUTES:
            counts[name, "pairs"] += 1
            same = gold["attributes"].get(g, {}).get(name) == pred["attributes"][p].get(name)
            counts[name, "same"] += same
            if show and not same and name != "claimant_kind":
                print(f"  {name} want {gold['attributes'].get(g, {}).get(name)} got "
                      f"{pred['attributes'][p].get(name)}: {text[g[0]:g[1]][:50]!r}")
    counts["claimant", "gold"] += len(gold["claimants"])


def describe(claimant: tuple | None, text: str) -> str | None:
    if claimant is None:
        return None
    return claimant[1] if claimant[0] == "text" else text[claimant[1][0]:claimant[1][1]]


def report(counts: Counter, articles: int, others: list, unscored: Counter) -> None:
    print(f"claims suggester on {articles} articles with annotated claims")
    print(f"{'':10}{'gold':>6}{'pred':>6}  {'P exact':>8}{'R exact':>8}  {'P overlap':>9}{'R overlap':>10}")
    for name in (*LABELS, "claimant"):
        g, p = counts[name, "gold"], counts[name, "pred"]
        e, o = counts[name, "exact"], counts[name, "overlap"]
        print(f"{name:10}{g:6}{p:6}  {ratio(e, p):>8}{ratio(e, g):>8}  {ratio(o, p):>9}{ratio(o, g):>10}")
    print("attribute agreement on overlapping claims: " + ", ".join(
        f"{name} {ratio(counts[name, 'same'], counts[name, 'pairs']).strip()}" for name in ATTRIBUTES))
    print(f"in the {len(others)} articles without claim annotations: "
          + ", ".join(f"{n} {label}" for label, n in sorted(unscored.items())))


if __name__ == "__main__":
    main()
