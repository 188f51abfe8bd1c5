"""What one evaluation during training measured, as plain data (it crosses a process).

spaCy evaluates on the dev set every `eval_frequency` steps (about once an epoch here);
the training process writes each evaluation as one JSON line (app/training/worker.py),
and this module reads it back into an `EpochScores`. Scores are fractions in [0, 1].
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CLAIMS_KEY = "claims"                   # doc.spans key of claims: spancat's spans_key


@dataclass(frozen=True, slots=True)
class Scores:
    p: float
    r: float
    f: float

    def to_json(self) -> dict[str, float]:
        return {"p": self.p, "r": self.r, "f": self.f}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scores:
        return cls(float(data.get("p") or 0.0), float(data.get("r") or 0.0),
                   float(data.get("f") or 0.0))


@dataclass(frozen=True, slots=True)
class EpochScores:
    """One evaluation on the dev set: a point of the learning curve."""
    epoch: int                  # passes over the training data completed before it
    step: int                   # updates so far
    seconds: float              # since training started
    score: float                # spaCy's weighted score: what picks model-best
    losses: dict[str, float]    # per component, summed since the previous evaluation
    entities: Scores            # ner, all labels
    claims: Scores | None       # spancat on doc.spans["claims"]; None without spancat
    per_label: dict[str, Scores] = field(default_factory=dict)   # entity labels and CLAIM
    best: bool = False          # the best so far: model-best holds this model

    def summary(self) -> str:
        text = f"epoch {self.epoch}: entities F {self.entities.f:.0%}"
        if self.claims is not None:
            text += f", claims F {self.claims.f:.0%}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "step": self.step, "seconds": self.seconds,
                "score": self.score, "losses": self.losses,
                "entities": self.entities.to_json(),
                "claims": None if self.claims is None else self.claims.to_json(),
                "per_label": {k: v.to_json() for k, v in self.per_label.items()},
                "best": self.best}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EpochScores:
        claims = data.get("claims")
        return cls(int(data["epoch"]), int(data["step"]), float(data["seconds"]),
                   float(data["score"]), {k: float(v) for k, v in data["losses"].items()},
                   Scores.from_json(data["entities"]),
                   None if claims is None else Scores.from_json(claims),
                   {k: Scores.from_json(v) for k, v in data["per_label"].items()},
                   bool(data.get("best")))


def from_info(info: dict[str, Any], *, claims: bool, seconds: float) -> EpochScores:
    """An EpochScores from the `info` that spaCy's training loop gives its logger."""
    other = info.get("other_scores") or {}
    per_label = {label: Scores.from_json(s)
                 for label, s in (other.get("ents_per_type") or {}).items()}
    prefix = f"spans_{CLAIMS_KEY}"
    if claims:
        per_label |= {label: Scores.from_json(s)
                      for label, s in (other.get(f"{prefix}_per_type") or {}).items()}
    results = info.get("checkpoints") or []
    score = float(info.get("score") or 0.0)
    return EpochScores(
        epoch=int(info["epoch"]), step=int(info["step"]), seconds=round(seconds, 3),
        score=score, losses={k: float(v) for k, v in (info.get("losses") or {}).items()},
        entities=_overall(other, "ents"),
        claims=_overall(other, prefix) if claims else None,
        per_label=per_label, best=bool(results) and score >= max(r[0] for r in results))


def _overall(scores: dict[str, Any], prefix: str) -> Scores:
    return Scores(float(scores.get(f"{prefix}_p") or 0.0), float(scores.get(f"{prefix}_r") or 0.0),
                  float(scores.get(f"{prefix}_f") or 0.0))


def best_of(epochs: list[EpochScores]) -> EpochScores | None:
    """The evaluation model-best was saved from. spaCy copies model-last to model-best
    whenever a score equals the best so far, so of equal scores the last one is there."""
    best = None
    for scores in epochs:
        if best is None or scores.score >= best.score:
            best = scores
    return best
