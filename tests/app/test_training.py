"""Training: a model learns the project's entities and claims in a process of its own,
becomes a suggester at once, is recorded with its scores; cancel keeps the best model;
too little data is one clear line."""
from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from app.progress import Cancelled
from app.project import create_project, open_project
from app.training import (MIN_ARTICLES, TrainedModelSuggester, model_folder,
                          new_output_dir, train)
from app.training import config as configs
from app.training.corpus import Corpus
from models import errors
from models.domain import ArticleRecord, Status
from models.training_store import best_run, run as stored_run, runs
from tests.app._training import fill

MAX_EPOCHS = 20


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("training") / "news.nmk"
    with create_project(path) as store:
        fill(store, 50)
    return path


@pytest.fixture(scope="module")
def trained(project):
    """One run on 50 short articles, with what it reported."""
    seen, evaluations = [], []
    run = train(project, project.parent / "run-1", max_epochs=MAX_EPOCHS,
                progress=seen.append, on_epoch=evaluations.append)
    return run, seen, evaluations


@pytest.mark.slow
def test_training_learns_entities_and_claims(trained):
    run, _, _ = trained
    assert run.status == "finished"
    assert run.model == run.output_dir / "model-best"
    assert (run.model / "meta.json").is_file()
    assert run.pipeline == ("ner", "spancat")           # 40 claims in train: spancat too
    assert (run.train_articles, run.dev_articles) == (40, 10)
    assert run.best.entities.f >= 0.9 and run.best.claims.f >= 0.9
    assert {"GPE", "PERSON", "ORG", "CLAIM"} <= set(run.best.per_label)


@pytest.mark.slow
def test_training_reports_every_evaluation_and_progress(trained):
    run, seen, evaluations = trained
    assert evaluations == list(run.epochs) and len(evaluations) >= 3
    assert [e.epoch for e in evaluations] == sorted(e.epoch for e in evaluations)
    assert evaluations[-1].epoch < MAX_EPOCHS            # stopped early: no better score
    during = [p for p in seen if p.total == MAX_EPOCHS]
    assert [p.done for p in during] == sorted(p.done for p in during)
    assert during[-1].done == MAX_EPOCHS and "finished" in during[-1].message
    assert any("entities F" in p.message for p in during)


@pytest.mark.slow
def test_training_model_suggests_at_once(trained):
    run, _, _ = trained
    suggester = TrainedModelSuggester(run.output_dir)
    assert suggester.name == "model:run-1"
    assert {"GPE", "PERSON", "CLAIM"} <= suggester.labels()
    text = "\U0001F4C8 Speaking in Oslo on Friday, Grace Hopper claimed that prices will fall next year."
    (suggestions,) = suggester.suggest([text])
    found = {(text[s.start:s.end], s.label) for s in suggestions.spans}
    assert found & {("Oslo", "GPE"), ("Grace Hopper", "PERSON")}     # code point offsets


@pytest.mark.slow
def test_training_run_is_stored_with_per_label_scores(trained, project):
    run, _, _ = trained
    with open_project(project) as store:
        record = stored_run(store, run.id)
        assert best_run(store) is not None
    assert (record.status, record.output_dir, record.articles) == ("finished", str(run.output_dir), 50)
    assert record.per_label["GPE"]["f"] == run.best.per_label["GPE"].f
    assert record.best_scores["score"] == run.best.score
    assert [e["epoch"] for e in record.epochs] == [e.epoch for e in run.epochs]
    assert record.config["pipeline"] == ["ner", "spancat"]
    assert record.config["train_articles"] == 40 and record.config["entities"]["GPE"] == 40


@pytest.mark.slow
def test_training_cancel_from_a_thread_stops_spacy_and_keeps_best_model(trained, project):
    evaluations, done = [], {}

    def work():
        done["run"] = train(project, project.parent / "run-cancelled", max_epochs=MAX_EPOCHS,
                            on_epoch=evaluations.append, cancel=lambda: bool(evaluations))

    worker = threading.Thread(target=work)           # as the GUI does: off its own thread
    worker.start()
    worker.join(60)
    run = done["run"]
    assert run.status == "cancelled" and run.cancelled
    assert len(run.epochs) <= 3 < len(trained[0].epochs)
    assert multiprocessing.active_children() == []   # the training process is gone
    assert not (run.output_dir / "stop").exists()
    assert run.model is not None
    assert TrainedModelSuggester(run.model).name == "model:run-cancelled"
    with open_project(project) as store:
        assert [r.status for r in runs(store)][:2] == ["cancelled", "finished"]   # history


@pytest.mark.slow
def test_training_cancel_before_the_first_evaluation_keeps_no_model(project, tmp_path):
    seen = []
    run = train(project, tmp_path / "early", max_epochs=MAX_EPOCHS, progress=seen.append,
                cancel=lambda: any(p.message.startswith("training") for p in seen))
    assert (run.status, run.model, run.epochs) == ("cancelled", None, ())
    assert not (tmp_path / "early" / "model-best").exists()
    assert "no model kept" in seen[-1].message
    with pytest.raises(errors.BadInput, match="no trained model"):
        model_folder(run.output_dir)
    with open_project(project) as store:
        assert stored_run(store, run.id).best_scores is None


@pytest.mark.slow
def test_training_spacy_error_is_one_line_and_recorded(project, tmp_path, monkeypatch):
    real = configs.make_config

    def broken(plan, corpus):
        config = real(plan, corpus)
        config["components"]["ner"]["factory"] = "no_such_factory"
        return config

    monkeypatch.setattr(configs, "make_config", broken)
    with pytest.raises(errors.TrainingError) as failed:
        train(project, tmp_path / "broken", max_epochs=2)
    message = str(failed.value)
    assert message.startswith("error E051: spaCy stopped with an error")
    assert "\n" not in message and str(tmp_path / "broken" / "train.log") in message
    assert "no_such_factory" in (tmp_path / "broken" / "train.log").read_text()
    with open_project(project) as store:
        assert runs(store)[0].status == "failed"


# --- before spaCy starts: fast -----------------------------------------------------------

def test_training_too_few_done_articles_is_one_clear_line(store, tmp_path):
    fill(store, 6)
    fill(store, 30, seed=4, status=Status.NEW)
    with pytest.raises(errors.NotEnoughTrainingData) as refused:
        train(store.path, tmp_path / "out")
    message = str(refused.value)
    assert message.startswith("error E050: ") and "\n" not in message
    assert f"6 done article(s) to train on, training needs at least {MIN_ARTICLES} done" in message
    assert "mark 4 more as done" in message
    assert not (tmp_path / "out").exists()


def test_training_unfinished_articles_count_when_asked(store, tmp_path):
    fill(store, 6)
    fill(store, 2, seed=4, status=Status.IN_PROGRESS)
    with pytest.raises(errors.NotEnoughTrainingData, match="8 done or in-progress article"):
        train(store.path, tmp_path / "out", include_unfinished=True)


def test_training_articles_without_entities_are_refused(store, tmp_path):
    store.insert_articles([ArticleRecord(text=f"Nothing named here, day {i}.", status=Status.DONE)
                           for i in range(12)], annotator="ann")
    with pytest.raises(errors.NotEnoughTrainingData, match="0 accepted entities"):
        train(store.path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert runs(store) == []


def test_training_cancelled_while_preparing_leaves_nothing(store, tmp_path):
    fill(store, 12)
    with pytest.raises(Cancelled):
        train(store.path, tmp_path / "out", cancel=lambda: True)
    assert not (tmp_path / "out").exists()
    assert runs(store) == []


def test_training_refuses_a_folder_with_files(store, tmp_path):
    fill(store, 12)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(errors.TrainingError, match="not empty; choose a new folder"):
        train(store.path, tmp_path / "out")
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_training_new_output_dir_is_new_and_beside_the_project(tmp_path):
    first = new_output_dir(tmp_path / "news.nmk")
    first.mkdir(parents=True)
    second = new_output_dir(tmp_path / "news.nmk")
    assert first.parent == second.parent == tmp_path / "news-models"
    assert second != first and not second.exists()


@pytest.mark.parametrize("claims, pipeline", [(19, ("ner",)), (20, ("ner", "spancat"))])
def test_training_plan_adds_spancat_from_enough_claims(tmp_path, claims, pipeline):
    corpus = Corpus(tmp_path / "train.spacy", tmp_path / "dev.spacy", 40, 10, [25] * 40,
                    {"GPE": 40}, [4, 9] + [5] * (claims - 2))
    plan = configs.plan(corpus, max_epochs=7, seed=3)
    assert plan.pipeline == pipeline
    assert 8 <= plan.eval_frequency <= 12              # ~1000 words in ~100-word batches
    config = configs.make_config(plan, corpus)
    assert config["training"]["max_epochs"] == 7 and config["system"]["seed"] == 3
    assert config["training"]["patience"] == configs.PATIENCE_EVALS * plan.eval_frequency
    assert config["paths"]["train"] == str(tmp_path / "train.spacy")
    if "spancat" in pipeline:
        spancat = config["components"]["spancat"]
        assert spancat["spans_key"] == "claims"
        assert (spancat["suggester"]["min_size"], spancat["suggester"]["max_size"]) == (4, 9)
        weights = config["training"]["score_weights"]
        assert weights["spans_claims_f"] == 0.5 and weights["spans_sc_f"] is None


def test_training_refused_data_leaves_a_chosen_empty_folder_empty(store, tmp_path):
    store.insert_articles([ArticleRecord(text=f"Nothing named here, day {i}.", status=Status.DONE)
                           for i in range(12)], annotator="ann")
    (tmp_path / "chosen").mkdir()
    with pytest.raises(errors.NotEnoughTrainingData):
        train(store.path, tmp_path / "chosen")
    assert list((tmp_path / "chosen").iterdir()) == []
