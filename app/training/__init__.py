"""Training a spaCy model (ner, + spancat on claims) from a project's finished articles.

    from app.training import train, new_output_dir, TrainedModelSuggester

    out = new_output_dir("news.nmk")              # news-models/run-20261122-101500
    run = train("news.nmk", out, progress=show, on_epoch=plot, cancel=stop_pressed)
    run.best.per_label["GPE"].f                   # scores at the best evaluation
    suggester = TrainedModelSuggester(run.output_dir)      # name "model:run-2026..."

Past runs: models.training_store.runs(store) / best_run(store). Errors a user can meet:
NotEnoughTrainingData (E050), TrainingError (E051), in models/errors.py.
"""
from app.training.corpus import MIN_ARTICLES
from app.training.scores import EpochScores, Scores
from app.training.service import DEFAULT_MAX_EPOCHS, TrainingRun, new_output_dir, train
from app.training.suggester import TrainedModelSuggester, model_folder

__all__ = ["DEFAULT_MAX_EPOCHS", "MIN_ARTICLES", "EpochScores", "Scores",
           "TrainedModelSuggester", "TrainingRun", "model_folder", "new_output_dir", "train"]
