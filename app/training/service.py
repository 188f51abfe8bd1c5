"""Training a model from a project: the one entry point, `train`.

    run = train("news.nmk", new_output_dir("news.nmk"), max_epochs=30,
                progress=show, on_epoch=plot, cancel=lambda: stop_pressed)
    run.model           # <out>/model-best (None if cancelled before the first evaluation)

Steps: check there are enough articles (NotEnoughTrainingData), export train/dev DocBins
(app/training/corpus.py), write config.cfg (app/training/config.py), run spaCy in its own
process (app/training/process.py) while relaying each evaluation, then record the run in
the project (models/training_store.py). The call blocks until the end: run it from a
worker thread in the GUI; it opens its own connection to the project.

Progress: while preparing `Progress(0, None, ...)`; while training `Progress(epoch,
max_epochs, "epoch 3: entities F 71%, claims F 40%")` after each evaluation, and
`on_epoch(EpochScores)` with every score; finally `Progress(max_epochs, max_epochs, ...)`.

Cancel: before training starts it raises app.progress.Cancelled and leaves nothing
behind; during training it stops spaCy after its current step and returns the run with
status "cancelled", model-best as saved by the best evaluation so far (recorded too).
spaCy failing raises TrainingError after recording the run as "failed".
"""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.progress import CancelCheck, Progress, ProgressCallback, never, no_progress
from app.training import config as configs
from app.training.corpus import Corpus, build, check_articles
from app.training.process import GRACE_SECONDS, Files, TrainingProcess
from app.training.scores import EpochScores, best_of
from models import errors
from models.recording import now
from models.store import Store
from models.training_store import save_run

DEFAULT_MAX_EPOCHS = 30
EpochCallback = Callable[[EpochScores], None]


@dataclass(frozen=True, slots=True)
class TrainingRun:
    id: int                         # in the project's training_runs
    status: str                     # "finished" or "cancelled"
    output_dir: Path
    model: Path | None              # model-best; None if stopped before the first evaluation
    train_articles: int
    dev_articles: int
    pipeline: tuple[str, ...]
    epochs: tuple[EpochScores, ...]     # the learning curve
    best: EpochScores | None            # the evaluation model-best comes from
    seconds: float
    problems: tuple[str, ...] = ()      # spans the export left out, and why

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(slots=True)
class _Outcome:
    status: str                     # finished, cancelled, failed
    epochs: list[EpochScores]
    message: str = ""


def train(store_path: str | Path, out_dir: str | Path, *, include_unfinished: bool = False,
          seed: int = 0, max_epochs: int = DEFAULT_MAX_EPOCHS,
          progress: ProgressCallback = no_progress, on_epoch: EpochCallback | None = None,
          cancel: CancelCheck = never) -> TrainingRun:
    """Train ner (+ spancat on claims) on the project's finished articles into `out_dir`."""
    if max_epochs < 1:
        raise errors.TrainingError(f"max_epochs is {max_epochs}; give 1 or more")
    started, clock = now(), time.perf_counter()
    with Store.open(store_path) as store:
        if store.readonly:
            raise errors.ReadOnlyProject(str(store.path))
        check_articles(store, include_unfinished=include_unfinished)
        made = not Path(out_dir).exists()
        files = Files(_output_folder(Path(out_dir)))
        try:
            progress(Progress(0, None, "preparing data"))
            corpus = build(store, files.corpus, include_unfinished=include_unfinished,
                           seed=seed, progress=progress, cancel=cancel)
            plan = configs.plan(corpus, max_epochs=max_epochs, seed=seed)
            configs.write_config(configs.make_config(plan, corpus), files.config)
        except BaseException:
            _clear(files.folder, remove=made)      # it was empty or missing: all ours
            raise
        outcome = _watch(files, plan, progress, on_epoch or (lambda _: None), cancel)
        run = _record(store, files, corpus, plan, outcome, started=started,
                      seconds=time.perf_counter() - clock,
                      include_unfinished=include_unfinished)
    if outcome.status == "failed":
        raise errors.TrainingError(f"spaCy stopped with an error ({outcome.message}); "
                                   f"the log is {files.log}")
    progress(Progress(max_epochs, max_epochs, _final_message(run)))
    return run


def new_output_dir(store_path: str | Path) -> Path:
    """A new folder for a run beside the project: <project>-models/run-<date>-<time>."""
    path = Path(store_path)
    base = path.parent / f"{path.stem}-models" / datetime.now().strftime("run-%Y%m%d-%H%M%S")
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def _output_folder(out: Path) -> Path:
    """`out`, made if missing; refused if it holds anything (a run's files are its own)."""
    if out.exists() and not out.is_dir():
        raise errors.TrainingError(f"{out} is a file; give a folder for the trained model")
    if out.exists() and any(out.iterdir()):
        raise errors.TrainingError(f"{out} is not empty; choose a new folder for this run "
                                   "(earlier runs keep theirs)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.TrainingError(f"could not make {out}: {exc.strerror or exc}; "
                                   "choose another folder") from exc
    return out


def _clear(folder: Path, *, remove: bool) -> None:
    for item in folder.iterdir():
        if item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)
    if remove:
        folder.rmdir()


def _watch(files: Files, plan: configs.Plan, progress: ProgressCallback,
           on_epoch: EpochCallback, cancel: CancelCheck) -> _Outcome:
    """Run the training process to its end, relaying evaluations; stop it on cancel."""
    process = TrainingProcess(files, claims="spancat" in plan.pipeline)
    outcome = _Outcome("failed", [])
    progress(Progress(0, plan.max_epochs, f"training {' + '.join(plan.pipeline)}"))
    process.start()
    try:
        final = _follow(process, plan, outcome, progress, on_epoch, cancel)
        process.wait(GRACE_SECONDS)         # it has saved everything: let it exit
    except BaseException:                   # Ctrl-C or a callback failing: stop it cleanly
        process.ask_to_stop()
        process.wait(GRACE_SECONDS)
        raise
    finally:
        process.close()
    outcome.status = {"done": "finished", "stopped": "cancelled"}.get(final["event"], "failed")
    outcome.message = final.get("message", "")
    return outcome


def _follow(process: TrainingProcess, plan: configs.Plan, outcome: _Outcome,
            progress: ProgressCallback, on_epoch: EpochCallback, cancel: CancelCheck) -> dict:
    """Relay evaluations until the process's last event (done, stopped or error)."""
    while True:
        ended = not process.alive()         # before reading: its last events are in
        for event in process.events():
            if event["event"] != "eval":
                return event
            scores = EpochScores.from_json(event["scores"])
            outcome.epochs.append(scores)
            on_epoch(scores)
            progress(Progress(min(scores.epoch, plan.max_epochs), plan.max_epochs,
                              scores.summary() + (" (best so far)" if scores.best else "")))
        if ended:
            return ({"event": "stopped"} if process.stopping else
                    {"event": "error", "message": "the training process ended unexpectedly "
                     f"(exit code {process.exitcode})"})
        if not process.stopping and cancel():
            process.ask_to_stop()
            epoch = outcome.epochs[-1].epoch if outcome.epochs else 0
            progress(Progress(epoch, plan.max_epochs, "stopping: keeping the best model"))
        process.enforce_stop()
        process.wait()


def _record(store: Store, files: Files, corpus: Corpus, plan: configs.Plan,
            outcome: _Outcome, *, started: str, seconds: float,
            include_unfinished: bool) -> TrainingRun:
    import spacy
    best = best_of(outcome.epochs)
    model = files.model_best if (files.model_best / "meta.json").exists() else None
    settings = plan.to_json() | {
        "include_unfinished": include_unfinished, "train_articles": corpus.train_articles,
        "dev_articles": corpus.dev_articles, "entities": corpus.entities,
        "claims": len(corpus.claim_lengths), "problems": len(corpus.problems),
        "seconds": round(seconds, 2), "spacy": spacy.__version__,
        "model": str(model) if model else None, "message": outcome.message}
    best_scores = None if best is None else {
        "score": best.score, "epoch": best.epoch, "step": best.step,
        "entities": best.entities.to_json(),
        "claims": None if best.claims is None else best.claims.to_json()}
    run_id = save_run(store, started=started, finished=now(), status=outcome.status,
                      output_dir=str(files.folder), articles=corpus.articles,
                      config=settings, best_scores=best_scores,
                      per_label={} if best is None else
                      {k: v.to_json() for k, v in best.per_label.items()},
                      epochs=[e.to_json() for e in outcome.epochs])
    return TrainingRun(run_id, outcome.status, files.folder, model if best else None,
                       corpus.train_articles, corpus.dev_articles, plan.pipeline,
                       tuple(outcome.epochs), best, round(seconds, 2), tuple(corpus.problems))


def _final_message(run: TrainingRun) -> str:
    verb = "stopped" if run.cancelled else "finished"
    if run.best is None:
        return f"{verb} before the first evaluation: no model kept"
    return f"{verb} in {run.seconds:.0f} s; best {run.best.summary()}"


@dataclass(frozen=True)
class TrainJob:
    """A training run described in plain data, for a separate process."""
    store_path: str
    out_dir: str
    include_unfinished: bool = False
    seed: int = 0
    max_epochs: int = DEFAULT_MAX_EPOCHS


def train_job(job: TrainJob, *, progress: ProgressCallback = no_progress,
              cancel: CancelCheck = never) -> TrainingRun:
    """`train` for run_in_process: each epoch's scores go out through `progress` too."""
    return train(job.store_path, job.out_dir, include_unfinished=job.include_unfinished,
                 seed=job.seed, max_epochs=job.max_epochs, progress=progress,
                 on_epoch=progress, cancel=cancel)    # type: ignore[arg-type]


def train_in_process(job: TrainJob, *, progress: ProgressCallback = no_progress,
                     on_epoch: EpochCallback | None = None,
                     cancel: CancelCheck = never) -> TrainingRun:
    """`train` with everything it does here (reading the project, tokenizing the corpus,
    writing DocBins, following spaCy) in a separate process, so a window waiting on it
    never stalls (app/process_task.py)."""
    from app.process_task import run_in_process
    return run_in_process("app.training.service:train_job", job, progress=progress,
                          on_event=on_epoch, cancel=cancel, name="newsmark-train")
