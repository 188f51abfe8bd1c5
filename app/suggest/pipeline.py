"""Suggestions from a spaCy pipeline: an installed package or a pipeline directory.

The pipeline's entity labels are mapped onto the project schema (OntoNotes names by
default, editable per pipeline); labels with no mapping are not suggested. Spans in
`doc.spans["claims"]` (a spancat trained by Newsmark) are suggested as CLAIM.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from app.suggest.base import Rebuilt, SuggestedSpan, Suggestions
from models import errors

# OntoNotes (en_core_web_*) -> the default news schema.
ONTONOTES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
             "DATE": "DATE", "TIME": "DATE", "QUANTITY": "QUANTITY", "CARDINAL": "QUANTITY",
             "MONEY": "QUANTITY", "PERCENT": "QUANTITY", "EVENT": "EVENT", "FAC": "LOC"}
CLAIM_KEYS = {"claims": "CLAIM", "cues": None}
# Small batches: the GUI thread gets the interpreter back between them (GIL), so the
# window stays responsive while a suggester runs in a worker thread.
BATCH = 16


def installed_pipelines() -> list[str]:
    import spacy
    return sorted(spacy.util.get_installed_models())


def resolve(spec: str | Path) -> Path | str:
    """A pipeline directory (or a training output holding model-best), or a package name."""
    path = Path(spec)
    if path.is_dir():
        if (path / "config.cfg").exists():
            return path
        if (path / "model-best" / "config.cfg").exists():
            return path / "model-best"
        raise errors.BadInput(f"{path}: not a spaCy pipeline (no config.cfg, no model-best/)")
    if str(spec) in installed_pipelines():
        return str(spec)
    names = ", ".join(installed_pipelines()) or "none installed"
    raise errors.BadInput(f"{spec}: no such pipeline directory or installed pipeline "
                          f"(installed: {names})")


class PipelineSuggester(Rebuilt):
    """Entities (and claim spans) predicted by a spaCy pipeline, mapped onto the schema."""

    def __init__(self, spec: str | Path, *, schema_labels: Iterable[str],
                 mapping: dict[str, str] | None = None, name: str | None = None) -> None:
        import spacy
        schema_labels = list(schema_labels)
        self.remember(str(spec), schema_labels=schema_labels, mapping=mapping, name=name)
        where = resolve(spec)
        self.nlp = spacy.load(where)
        known = set(schema_labels)
        base = dict(mapping) if mapping is not None else dict(ONTONOTES)
        own = {label: label for label in self.pipeline_labels() if label in known}
        self.mapping = {k: v for k, v in (own | base).items() if v in known}
        self.name = name or f"model:{Path(str(where)).name}"

    def pipeline_labels(self) -> set[str]:
        labels: set[str] = set()
        for _, component in self.nlp.pipeline:
            labels.update(getattr(component, "labels", ()) or ())
        return labels

    def labels(self) -> set[str]:
        return set(self.mapping.values()) | ({"CLAIM"} if self._has_claims() else set())

    def _has_claims(self) -> bool:
        return any(getattr(c, "key", None) == "claims" for _, c in self.nlp.pipeline)

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        for doc in self.nlp.pipe(texts, batch_size=BATCH):
            spans = [SuggestedSpan(e.start_char, e.end_char, self.mapping[e.label_])
                     for e in doc.ents if e.label_ in self.mapping]
            for key, label in CLAIM_KEYS.items():
                if label and key in doc.spans:
                    spans += [SuggestedSpan(s.start_char, s.end_char, label) for s in doc.spans[key]]
            yield Suggestions(spans=spans)
