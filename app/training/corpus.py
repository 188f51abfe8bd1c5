"""The training data: train.spacy and dev.spacy from the project, and what is in them.

Written by the spaCy DocBin export (app/exporting), split by article with a fixed seed;
only accepted spans go in. Articles count as fully annotated (unmarked tokens are "O"),
so by default only `done` articles are used; `include_unfinished` adds the ones in
progress. New and skipped articles are never used.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.exporting import export
from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback
from app.training.scores import CLAIMS_KEY
from models import errors
from models.domain import Status
from models.store import Store

MIN_ARTICLES = 10       # split 80/20: at least 8 to learn from and 2 to measure on
MIN_ENTITIES = 5        # accepted entities in the training part
SPLIT = 0.8


@dataclass(frozen=True, slots=True)
class Corpus:
    train: Path
    dev: Path
    train_articles: int
    dev_articles: int
    doc_lengths: list[int]                      # tokens of each training doc
    entities: dict[str, int]                    # accepted entities per label, training part
    claim_lengths: list[int] = field(default_factory=list)   # tokens of each claim (train)
    problems: list[str] = field(default_factory=list)        # spans the export left out

    @property
    def articles(self) -> int:
        return self.train_articles + self.dev_articles


def statuses(*, include_unfinished: bool) -> tuple[Status, ...]:
    return (Status.DONE, Status.IN_PROGRESS) if include_unfinished else (Status.DONE,)


def check_articles(store: Store, *, include_unfinished: bool) -> int:
    """How many articles training would use; NotEnoughTrainingData below MIN_ARTICLES."""
    found = len(store.article_ids(status=statuses(include_unfinished=include_unfinished)))
    if found < MIN_ARTICLES:
        which = "done or in-progress" if include_unfinished else "done"
        raise errors.NotEnoughTrainingData(
            f"{store.path.name}: {found} {which} article(s) to train on, training needs at "
            f"least {MIN_ARTICLES} {which} articles: annotate and mark "
            f"{MIN_ARTICLES - found} more as done")
    return found


def build(store: Store, folder: Path, *, include_unfinished: bool, seed: int,
          progress: ProgressCallback, cancel: CancelCheck) -> Corpus:
    """Export train/dev DocBins into `folder` and count what they hold."""
    report = export(store, "spacy", folder, split=SPLIT, seed=seed,
                    status=statuses(include_unfinished=include_unfinished),
                    progress=lambda p: progress(Progress(0, None, f"preparing data: {p.message}")),
                    cancel=cancel)
    if report.cancelled:
        raise Cancelled
    train, dev = report.outputs
    corpus = _count(train, dev, report.problems)
    if sum(corpus.entities.values()) < MIN_ENTITIES:
        raise errors.NotEnoughTrainingData(
            f"{store.path.name}: the training part of the {corpus.articles} articles holds "
            f"{sum(corpus.entities.values())} accepted entities, training needs at least "
            f"{MIN_ENTITIES}: annotate more entities")
    return corpus


def _count(train: Path, dev: Path, problems: list[str]) -> Corpus:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab
    vocab = Vocab()             # its own: the project tokenizer's may be in use elsewhere
    lengths, claims, entities = [], [], Counter()
    for doc in DocBin().from_disk(train).get_docs(vocab):
        lengths.append(len(doc))
        entities.update(e.label_ for e in doc.ents)
        if CLAIMS_KEY in doc.spans:
            claims += [len(s) for s in doc.spans[CLAIMS_KEY]]
    dev_articles = len(DocBin().from_disk(dev))
    return Corpus(train, dev, len(lengths), dev_articles, lengths, dict(entities), claims,
                  list(problems))
