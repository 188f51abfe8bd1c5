"""The history of models trained from a project: one row of `training_runs` per run.

Plain functions over a Store (the table is not part of undo, like settings):

    run_id = save_run(store, started=..., finished=..., status="finished", output_dir=...,
                      articles=50, config={...}, best_scores={...}, per_label={...},
                      epochs=[{...}, ...])
    runs(store)          # newest first
    best_run(store)      # the highest best score among runs that produced a model

The JSON columns are what app/training writes: `config` (settings and data counts),
`best_scores` ({"score", "epoch", "step", "entities": {p, r, f}, "claims": ...} at the
best evaluation, or None), `per_label` ({label: {p, r, f}} at that evaluation) and
`epochs` (every evaluation: the learning curve).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from models.store import Store

STATUSES = ("finished", "cancelled", "failed")
COLUMNS = ("id, started, finished, status, output_dir, articles, config, best_scores, "
           "per_label, epochs")


@dataclass(frozen=True, slots=True)
class TrainingRunRecord:
    id: int
    started: str
    finished: str | None
    status: str
    output_dir: str
    articles: int
    config: dict[str, Any]
    best_scores: dict[str, Any] | None
    per_label: dict[str, Any]
    epochs: list[dict[str, Any]]

    @property
    def score(self) -> float | None:
        return None if self.best_scores is None else self.best_scores.get("score")


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def _record(row: tuple) -> TrainingRunRecord:
    id_, started, finished, status, output_dir, articles, config, best, per_label, epochs = row
    return TrainingRunRecord(id_, started, finished, status, output_dir, articles,
                             orjson.loads(config), orjson.loads(best) if best else None,
                             orjson.loads(per_label), orjson.loads(epochs))


def save_run(store: Store, *, started: str, finished: str | None, status: str,
             output_dir: str, articles: int, config: dict[str, Any],
             best_scores: dict[str, Any] | None, per_label: dict[str, Any],
             epochs: list[dict[str, Any]]) -> int:
    """Store one run; returns its id."""
    if status not in STATUSES:
        raise ValueError(f"unknown training run status {status!r}")
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO training_runs (started, finished, status, output_dir, articles, "
            "config, best_scores, per_label, epochs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (started, finished, status, output_dir, articles, _json(config),
             None if best_scores is None else _json(best_scores), _json(per_label),
             _json(epochs)))
    return cur.lastrowid


def runs(store: Store) -> list[TrainingRunRecord]:
    """Every run, newest first."""
    return [_record(r) for r in store.conn.execute(
        f"SELECT {COLUMNS} FROM training_runs ORDER BY id DESC")]


def run(store: Store, run_id: int) -> TrainingRunRecord | None:
    row = store.conn.execute(f"SELECT {COLUMNS} FROM training_runs WHERE id = ?",
                             (run_id,)).fetchone()
    return _record(row) if row else None


def best_run(store: Store) -> TrainingRunRecord | None:
    """The run with the highest best score that kept a model (finished or cancelled after
    its first evaluation); the newest of equals."""
    row = store.conn.execute(
        f"SELECT {COLUMNS} FROM training_runs WHERE status IN ('finished', 'cancelled') "
        "AND best_scores IS NOT NULL "
        "ORDER BY json_extract(best_scores, '$.score') DESC, id DESC LIMIT 1").fetchone()
    return _record(row) if row else None
