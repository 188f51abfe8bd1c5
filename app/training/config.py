"""The spaCy training config: `spacy init config` for English, CPU, efficiency, no vectors,
tuned for the small data sets an annotation project has.

- Pipeline: tok2vec + ner; + spancat on doc.spans["claims"] once the training part holds
  MIN_CLAIMS claims. spancat's default suggester proposes 1-3 token spans, and claims
  are clauses: it proposes every span from the shortest to the longest claim in the data
  instead (at most MAX_CLAIM_TOKENS), the range that lets it learn (1-8 tokens on 4-5
  token claims: it never predicted one; 3-6 tokens: F 100% after 6 epochs).
- Evaluation about once an epoch: eval_frequency = the batches of one epoch (counted
  with spaCy's own batcher over the training docs' lengths), at most spaCy's 200 steps.
- Early stop: `patience` = PATIENCE_EVALS evaluations without a better score; max_steps
  off, so `max_epochs` bounds the run.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.training.corpus import Corpus
from app.training.scores import CLAIMS_KEY

LANG = "en"
MIN_CLAIMS = 20             # claims in the training part before spancat is trained
MAX_CLAIM_TOKENS = 40       # longest span spancat proposes
PATIENCE_EVALS = 5          # evaluations without improvement before stopping
MAX_EVAL_FREQUENCY = 200    # spaCy's default: big data sets still evaluate every 200 steps
BATCH_START, BATCH_STOP = 100, 1000     # words per batch, compounding (spaCy's default)


@dataclass(frozen=True, slots=True)
class Plan:
    """The settings of one training run, stored with it."""
    pipeline: tuple[str, ...]           # trained components (tok2vec shared under them)
    max_epochs: int
    eval_frequency: int
    patience: int
    seed: int
    claim_sizes: tuple[int, int] | None     # spancat's suggester range, in tokens

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def plan(corpus: Corpus, *, max_epochs: int, seed: int) -> Plan:
    claims = corpus.claim_lengths
    sizes = None
    if len(claims) >= MIN_CLAIMS:
        sizes = (min(min(claims), MAX_CLAIM_TOKENS), min(max(claims), MAX_CLAIM_TOKENS))
    frequency = min(batches_per_epoch(corpus.doc_lengths), MAX_EVAL_FREQUENCY)
    return Plan(("ner", "spancat") if sizes else ("ner",), max_epochs, frequency,
                PATIENCE_EVALS * frequency, seed, sizes)


def batches_per_epoch(lengths: list[int]) -> int:
    """The batches spaCy's batcher makes of docs of these lengths, at the starting size."""
    from spacy.training.batchers import minibatch_by_words
    return max(1, sum(1 for _ in minibatch_by_words(lengths, BATCH_START,
                                                    get_length=lambda n: n)))


def make_config(plan: Plan, corpus: Corpus):   # -> confection.Config (spaCy's)
    from spacy.cli.init_config import init_config
    config = init_config(lang=LANG, pipeline=list(plan.pipeline), optimize="efficiency",
                         gpu=False, pretraining=False, silent=True)
    config["paths"]["train"] = str(corpus.train)
    config["paths"]["dev"] = str(corpus.dev)
    config["system"]["seed"] = plan.seed
    training = config["training"]
    training.update({"max_epochs": plan.max_epochs, "max_steps": 0,
                     "eval_frequency": plan.eval_frequency, "patience": plan.patience})
    training["batcher"]["size"].update({"start": BATCH_START, "stop": BATCH_STOP})
    if plan.claim_sizes:
        _spancat(config, plan.claim_sizes)
    return config


def _spancat(config, sizes: tuple[int, int]) -> None:
    component = config["components"]["spancat"]
    component["spans_key"] = CLAIMS_KEY
    component["suggester"] = {"@misc": "spacy.ngram_range_suggester.v1",
                              "min_size": sizes[0], "max_size": sizes[1]}
    weights = config["training"]["score_weights"]
    for key in [k for k in weights if k.startswith("spans_sc_")]:
        weights[key.replace("_sc_", f"_{CLAIMS_KEY}_")] = weights[key]
        weights[key] = None         # null: spaCy drops it (the factory's default key "sc")


def write_config(config, path: Path) -> Path:
    config.to_disk(path)
    return path
