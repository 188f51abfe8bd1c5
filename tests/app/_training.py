"""A small project with consistent annotations to train on: templated news sentences with
people (PERSON), cities (GPE), organisations (ORG) and one claim each (CLAIM)."""
from __future__ import annotations

import random

from models.domain import ArticleRecord, SpanRecord, Status
from models.store import Store

PEOPLE = ["Maria Hendrix", "Oleksandr Koval", "Ada Lovelace", "Grace Hopper", "Alan Turing",
          "John Backus", "Frances Allen", "Barbara Liskov", "Donald Knuth", "Anna Petrova",
          "Tomas Novak", "Sofia Ramirez"]
CITIES = ["Paris", "Kyiv", "Lagos", "Lima", "Oslo", "Hanoi", "Quito", "Berlin", "Madrid",
          "Nairobi", "Warsaw", "Dublin"]
ORGS = ["Acme Corp", "Globex", "Initech", "Hooli", "Umbrella", "the Defence Ministry"]
CLAIMS = ["prices will fall next year", "the bridge was destroyed", "the talks have failed",
          "the factory will close", "the army has withdrawn", "turnout was record high"]
TEMPLATES = [
    "{person} said in {city} that {claim}. {org} declined to comment.",
    "Speaking in {city} on Monday, {person} claimed that {claim}.",
    "{org} told reporters in {city} that {claim}, according to {person}.",
    "In {city}, {person} of {org} said {claim}.",
]


def article(rng: random.Random, n: int) -> ArticleRecord:
    """One short article; every person, city, organisation and claim in it annotated."""
    parts = {"person": rng.choice(PEOPLE), "city": rng.choice(CITIES),
             "org": rng.choice(ORGS), "claim": rng.choice(CLAIMS)}
    template = rng.choice(TEMPLATES)
    text = template.format(**parts) + f" Report {n}."
    labels = {"person": "PERSON", "city": "GPE", "org": "ORG", "claim": "CLAIM"}
    spans = []
    for key, label in labels.items():
        if "{" + key + "}" not in template:
            continue
        start = text.index(parts[key])
        spans.append(SpanRecord(start, start + len(parts[key]), label))
    return ArticleRecord(text=text, title=f"Report {n}", status=Status.DONE, spans=spans)


def fill(store: Store, n: int, *, seed: int = 3, status: Status = Status.DONE) -> None:
    rng = random.Random(seed)
    records = [article(rng, i) for i in range(n)]
    for record in records:
        record.status = status
    store.insert_articles(records, annotator="ann")
