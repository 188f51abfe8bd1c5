"""A trained model as a suggester: its entities, and its claims if it has a spancat.

    suggester = TrainedModelSuggester(run.output_dir)     # or the model-best folder
    run_suggester(store, suggester, article_ids=...)      # app/suggest/service.py

The model was trained on the project's own labels, so they are suggested as they are
(no label mapping). Its name, the origin of what it suggests, is "model:<run folder>",
so suggestions of different runs stay apart. Like every spaCy pipeline it is used by one
thread at a time.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from app.suggest.base import Rebuilt, SuggestedSpan, Suggestions
from app.training.scores import CLAIMS_KEY
from models import errors

BEST, LAST = "model-best", "model-last"


def model_folder(path: str | Path) -> Path:
    """The pipeline folder of a run folder (its model-best) or of a model folder itself."""
    path = Path(path)
    if (path / BEST / "config.cfg").is_file():
        return path / BEST
    if (path / "config.cfg").is_file() and (path / "meta.json").is_file():
        return path
    raise errors.BadInput(f"{path}: no trained model there (no model-best; a run stopped "
                          "before its first evaluation keeps none): train again")


def suggester_name(model: Path) -> str:
    """model:<run folder>, from .../<run folder>/model-best."""
    return f"model:{model.parent.name if model.name in (BEST, LAST) else model.name}"


class TrainedModelSuggester(Rebuilt):
    """Suggests what a model trained by Newsmark predicts: doc.ents, doc.spans["claims"]."""

    def __init__(self, path: str | Path, *, batch_size: int = 64) -> None:
        import spacy
        self.remember(str(path), batch_size=batch_size)
        self.path = model_folder(path)
        self.name = suggester_name(self.path)
        self.batch_size = batch_size
        try:
            self.nlp = spacy.load(self.path)
        except (OSError, ValueError) as exc:
            raise errors.BadInput(f"{self.path}: the model cannot be loaded ({exc}); "
                                  "train again") from exc

    def labels(self) -> set[str]:
        labels: set[str] = set()
        for _, component in self.nlp.pipeline:
            labels.update(getattr(component, "labels", ()) or ())
        return labels

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            spans = [SuggestedSpan(e.start_char, e.end_char, e.label_) for e in doc.ents]
            if CLAIMS_KEY in doc.spans:
                spans += [SuggestedSpan(s.start_char, s.end_char, s.label_)
                          for s in doc.spans[CLAIMS_KEY]]
            yield Suggestions(spans=spans)
