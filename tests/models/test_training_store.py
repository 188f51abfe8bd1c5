"""Training runs kept in the project: saved, listed newest first, the best one found;
an older project gains the table when opened."""
from __future__ import annotations

import pytest

from app.resources import default_schema
from models import schema
from models.store import Store
from models.training_store import best_run, run, runs, save_run
from tests.models._support import first_migration_only, names_in_schema


def _save(store, status, score, *, output_dir="out"):
    return save_run(store, started="2026-01-01T10:00:00.000Z",
                    finished="2026-01-01T10:01:00.000Z", status=status,
                    output_dir=output_dir, articles=50, config={"seed": 0, "max_epochs": 30},
                    best_scores=None if score is None else {"score": score, "epoch": 3},
                    per_label={} if score is None else {"GPE": {"p": 1.0, "r": 0.5, "f": 0.67}},
                    epochs=[{"epoch": 0, "score": 0.1}, {"epoch": 3, "score": score or 0}])


def test_training_store_keeps_every_run_newest_first(store):
    first = _save(store, "finished", 0.5, output_dir="a")
    second = _save(store, "cancelled", 0.7, output_dir="b")
    listed = runs(store)
    assert [r.id for r in listed] == [second, first]
    assert listed[1].per_label["GPE"]["f"] == 0.67
    assert listed[1].epochs[1] == {"epoch": 3, "score": 0.5}
    assert listed[0].config == {"seed": 0, "max_epochs": 30}
    assert run(store, first).output_dir == "a"


def test_training_store_best_run_is_highest_score_with_a_model(store):
    _save(store, "finished", 0.5)
    best = _save(store, "cancelled", 0.8)
    _save(store, "failed", 0.9)                 # failed runs keep no usable model
    _save(store, "cancelled", None)             # stopped before its first evaluation
    assert best_run(store).id == best
    assert best_run(store).score == 0.8


def test_training_store_no_runs(store):
    assert runs(store) == [] and best_run(store) is None


def test_training_store_refuses_unknown_status(store):
    with pytest.raises(ValueError):
        _save(store, "running", 0.5)
    assert runs(store) == []


def test_training_store_older_project_gains_the_table(project_path, open_store):
    Store.create(project_path, schema=default_schema(), migrations=first_migration_only()).close()
    assert "training_runs" not in names_in_schema(project_path)
    upgraded = open_store(project_path)
    assert upgraded.schema_version == schema.SCHEMA_VERSION
    assert _save(upgraded, "finished", 0.4) == 1
