"""Running a suggester over articles: batches, progress, cancel, storage.

    report = run_suggester(store, make_suggester("patterns", store), article_ids=[...])

Texts stream through the suggester (nlp.pipe) in batches, in worker processes when there
are many (app/suggest/pool.py); each batch is stored in one transaction
(models.store.Store.add_suggestions), so cancelling keeps what was stored.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback, never, no_progress
from app.suggest.base import Suggester, Suggestions
from app.suggest.pool import Suggesting
from models import errors
from models.domain import ArticleId, RelationRecord, SpanRecord, State, Status
from models.store import Store

BUILT_IN = ("patterns", "claims")


@dataclass
class SuggestReport:
    suggester: str
    articles: int = 0
    added: int = 0
    existing: int = 0
    cancelled: bool = False


def make_suggester(spec: str, store: Store) -> Suggester:
    """`patterns`, `claims`, `occurrences` (accepted entities' texts wherever they occur),
    a patterns .jsonl file, a pipeline directory or package name."""
    if spec == "patterns":
        from app.suggest.patterns import PatternSuggester
        return PatternSuggester.default()
    if spec == "occurrences":
        from app.suggest.occurrences import OccurrenceSuggester
        return OccurrenceSuggester.from_project(store)
    if spec == "claims":
        from app.suggest.claims import ClaimSuggester
        return ClaimSuggester()
    if spec.endswith(".jsonl"):
        from app.suggest.patterns import PatternSuggester
        if not Path(spec).is_file():
            raise errors.BadInput(f"{spec}: no such patterns file")
        return PatternSuggester.from_files([Path(spec)])
    if (Path(spec) / "model-best").is_dir():             # a Newsmark training run
        from app.training import TrainedModelSuggester
        return TrainedModelSuggester(spec)
    from app.suggest.pipeline import PipelineSuggester
    labels = [lab.name for lab in store.schema().labels]
    mapping = store.setting(f"label_map:{spec}")
    import orjson
    return PipelineSuggester(spec, schema_labels=labels,
                             mapping=orjson.loads(mapping) if mapping else None)


def save_label_map(store: Store, spec: str, pairs: Iterable[str]) -> dict[str, str]:
    """Remember THEIRS=OURS label mappings for a pipeline (on top of the OntoNotes default)."""
    import orjson

    from app.suggest.pipeline import ONTONOTES
    stored = store.setting(f"label_map:{spec}")
    mapping = orjson.loads(stored) if stored else dict(ONTONOTES)
    known = {lab.name for lab in store.schema().labels}
    for pair in pairs:
        theirs, sep, ours = pair.partition("=")
        if not sep or not theirs:
            raise errors.BadInput(f"--map {pair}: write THEIRS=OURS, e.g. FAC=LOC")
        if ours and ours not in known:
            raise errors.UnknownLabel(ours)
        if ours:
            mapping[theirs] = ours
        else:
            mapping.pop(theirs, None)
    store.set_setting(f"label_map:{spec}", orjson.dumps(mapping).decode())
    return mapping


def _records(suggestions: Suggestions, known: set[str]) -> tuple[list[SpanRecord], list[RelationRecord]]:
    """Drop spans whose label the project does not have, and relations that lose an end."""
    keep = [i for i, s in enumerate(suggestions.spans) if s.label in known]
    index = {old: new for new, old in enumerate(keep)}
    spans = [SpanRecord(s.start, s.end, s.label, state=State.SUGGESTED, attributes=dict(s.attributes))
             for s in (suggestions.spans[i] for i in keep)]
    relations = [RelationRecord(index[r.head], index[r.child], r.label)
                 for r in suggestions.relations if r.head in index and r.child in index]
    return spans, relations


def run_suggester(store: Store, suggester: Suggester, *,
                  article_ids: Iterable[ArticleId] | None = None,
                  status: Iterable[Status] | None = None, batch_size: int = 128,
                  progress: ProgressCallback = no_progress, cancel: CancelCheck = never,
                  workers: int | None = None) -> SuggestReport:
    """Suggest over the articles, storing each batch in one transaction.

    With enough articles and cores the suggester runs in worker processes while this one
    reads and stores (app/suggest/pool.py); `workers=0` keeps it here.
    """
    narrowed = getattr(suggester, "candidates", None)   # a suggester may know where to look
    if article_ids is not None:
        ids = list(article_ids)
    elif narrowed is not None and (found := narrowed(store, status=status)) is not None:
        ids = found
    else:
        ids = store.article_ids(status=status)
    known = {lab.name for lab in store.schema().labels}
    definitions = {d.name: d for d in store.schema().attributes}
    report = SuggestReport(suggester.name)
    chunks = (store.texts(ids[first:first + batch_size])
              for first in range(0, len(ids), batch_size))
    try:
        with Suggesting(suggester, len(ids), workers=workers) as suggesting:
            for batch, found in suggesting.map(chunks, cancel):
                items = []
                for (article_id, _), suggestions in zip(batch, found):
                    spans, relations = _records(suggestions, known)
                    for s in spans:
                        s.attributes = {k: v for k, v in s.attributes.items()
                                        if k in definitions and (definitions[k].kind == "text"
                                                                 or v in definitions[k].values)}
                    items.append((article_id, spans, relations))
                added, existing = store.add_suggestions(items, origin=suggester.name)
                report.articles += len(batch)
                report.added += added
                report.existing += existing
                progress(Progress(report.articles, len(ids),
                                  f"{suggester.name}: {report.added} suggested"))
    except Cancelled:
        report.cancelled = True
    return report


@dataclass(frozen=True)
class SuggestJob:
    """A suggester run described in plain data, for a separate process."""
    project: str
    spec: str                                   # as make_suggester takes it
    phrases: dict[str, str] | None = None       # spec "occurrences" of only these texts
    article_ids: list[ArticleId] | None = None
    status: tuple[Status, ...] | None = None


def run_job(job: SuggestJob, *, progress: ProgressCallback = no_progress,
            cancel: CancelCheck = never) -> SuggestReport:
    """Open the project, make the suggester, run it (in whichever process calls this)."""
    from app.project import open_project
    with open_project(job.project) as store:
        if job.phrases is not None:
            from app.suggest.occurrences import OccurrenceSuggester
            suggester: Suggester = OccurrenceSuggester(job.phrases)
        else:
            suggester = make_suggester(job.spec, store)
        return run_suggester(store, suggester, article_ids=job.article_ids, status=job.status,
                             progress=progress, cancel=cancel)


def run_job_in_process(job: SuggestJob, *, progress: ProgressCallback = no_progress,
                       cancel: CancelCheck = never) -> SuggestReport:
    """run_job in a spawned process: spaCy never holds the GIL of the caller's process, so
    a window waiting on it stays responsive (app/process_task.py)."""
    from app.process_task import run_in_process
    return run_in_process("app.suggest.service:run_job", job, progress=progress,
                          cancel=cancel, name="newsmark-suggest")
