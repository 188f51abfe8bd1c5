"""Exporting a project: the format registry and the one entry point, `export`.

A format is one registry entry: its exporter class ("module:Class", imported only when the
format is used, so listing formats or writing JSONL does not load spaCy), the suffix of its
files and a one-line summary for the CLI and the GUI.

Progress counts articles: `Progress(done, total, message)` after each batch, `total` the
articles that pass the status filter. `cancel()` is asked before every batch and once more
before the files are put in place; a cancelled export writes nothing. Large exports of
formats with a Converter (prodigy, spacy) convert on every core (app/exporting/pool.py),
into the same bytes.
"""
from __future__ import annotations

import importlib
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.exporting.common import Exporter, Job, Options, Sink
from app.exporting.pool import Converting
from app.gcpause import collection_paused
from app.progress import CancelCheck, Cancelled, Progress, ProgressCallback, never, no_progress
from models import errors
from models.domain import ArticleId, Status
from models.store import Store

@dataclass(frozen=True, slots=True)
class Format:
    exporter: str               # "module:Class"
    suffix: str                 # of the file written, of train/dev files when split
    summary: str
    folder: bool = False        # writes a folder (brat): its sink's `temp` is a folder


REGISTRY: dict[str, Format] = {
    "newsmark": Format("app.exporting.newsmark:NewsmarkExporter", ".jsonl",
                       "lossless JSONL: every span and decision, relations, attributes"),
    "prodigy": Format("app.exporting.prodigy:ProdigyExporter", ".jsonl",
                      "Prodigy JSONL (ner_manual, relations) with tokens"),
    "spacy": Format("app.exporting.docbin:DocBinExporter", ".spacy",
                    "spaCy DocBin for `spacy train`: entities, claims, cues"),
    "claims": Format("app.exporting.claims:ClaimsExporter", ".jsonl",
                     "one JSON line per claim: sentence, claimant, cue, hedges, attributes"),
    "doccano": Format("app.interop.doccano:DoccanoExporter", ".jsonl",
                      "doccano JSONL: entities and relations (UTF-16 offsets, as doccano counts)"),
    "labelstudio": Format("app.interop.labelstudio:LabelStudioExporter", ".json",
                          "Label Studio JSON tasks: labels, relations, claim attributes"),
    "brat": Format("app.interop.brat:BratExporter", "",
                   "brat standoff folder: .txt + .ann per article, annotation.conf",
                   folder=True),
    "conll": Format("app.interop.conll:ConllExporter", ".conll",
                    "CoNLL-2003 style entity tags (IOB2, or BILOU), spaCy tokens"),
    "hf": Format("app.interop.hf:HfExporter", ".jsonl",
                 "Hugging Face token classification JSONL (+ text, char spans, label names)"),
    "claims-csv": Format("app.interop.claims_csv:ClaimsCsvExporter", ".csv",
                         "one CSV row per claim with its attributes, safe for spreadsheets"),
}
FORMATS: tuple[str, ...] = tuple(REGISTRY)     # changes with REGISTRY only at import


@dataclass
class ExportReport:
    format: str
    articles: int = 0
    records: int = 0
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    """One output file and the articles that go in it (None: all that pass the filters)."""
    path: Path
    article_ids: list[ArticleId] | None


def format_of(fmt: str) -> Format:
    if fmt not in REGISTRY:
        raise errors.UnknownFormat(f"unknown export format {fmt!r}; choose one of "
                                   f"{', '.join(REGISTRY)}")
    return REGISTRY[fmt]


def exporter_class(fmt: str) -> type[Exporter]:
    module, name = format_of(fmt).exporter.split(":")
    return getattr(importlib.import_module(module), name)


def export(store: Store, fmt: str, out: str | Path, *,
           status: Iterable[Status] | None = None, annotator: str | None = None,
           include_suggestions: bool = False, include_rejected: bool = False,
           split: float | None = None, seed: int = 0, scheme: str = "iob2",
           progress: ProgressCallback = no_progress, cancel: CancelCheck = never) -> ExportReport:
    """Write the project's articles in format `fmt` to `out` (a folder when `split` is given).

    With split=0.8 the articles are shuffled with random.Random(seed) and 80% of them go
    to train<suffix>, the rest to dev<suffix>, inside the folder `out`.
    """
    exporter = exporter_class(fmt)(Job(store, Options(
        status=tuple(Status(s) for s in status) if status else None, annotator=annotator,
        include_suggestions=include_suggestions, include_rejected=include_rejected,
        scheme=scheme)))
    report = ExportReport(fmt, problems=exporter.job.problems)
    out = Path(out)
    made_folder = False if split is None else _folder_target(out, split)
    try:
        if REGISTRY[fmt].folder:
            parts = [Part(_whole_folder_target(out, split), None)]
        else:
            parts = _parts(store, out, REGISTRY[fmt].suffix, split, seed, exporter.job.options)
        with collection_paused():   # rows and records are freed by counting (app/gcpause.py)
            _run(exporter, parts, report, progress, cancel)
        report.outputs = [p.path for p in parts]
    except Cancelled:
        report.cancelled = True
    finally:
        if made_folder and not report.outputs:
            _remove_empty(out)
    return report


def _parts(store: Store, out: Path, suffix: str, split: float | None, seed: int,
           options: Options) -> list[Part]:
    """One file; or with a split, train and dev by article, neither empty from 2 articles."""
    if split is None:
        return [Part(_file_target(out), None)]
    ids = store.article_ids(status=options.status)
    random.Random(seed).shuffle(ids)
    cut = min(max(round(len(ids) * split), 1), len(ids) - 1) if len(ids) > 1 else len(ids)
    return [Part(out / f"train{suffix}", sorted(ids[:cut])),
            Part(out / f"dev{suffix}", sorted(ids[cut:]))]


def _run(exporter: Exporter, parts: list[Part], report: ExportReport,
         progress: ProgressCallback, cancel: CancelCheck) -> None:
    total = sum(len(p.article_ids) for p in parts if p.article_ids is not None) or len(
        exporter.job.store.article_ids(status=exporter.job.options.status))
    sinks: list[Sink] = []
    try:
        with Converting(exporter, total) as converting:
            for part in parts:
                sinks.append(sink := _open(exporter, part.path))
                for count, items in converting.map(exporter.read(part.article_ids), cancel):
                    _write(sink, items, part.path)
                    report.articles += count
                    report.records += len(items)
                    progress(Progress(report.articles, total, f"{report.format}: "
                                      f"{report.articles} articles, {report.records} records"))
                _finish(sink, part.path)
        if cancel():
            raise Cancelled
        for sink, part in zip(sinks, parts):
            os.replace(sink.temp, part.path)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise


def _open(exporter: Exporter, path: Path) -> Sink:
    try:
        return exporter.open_sink(path)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _write(sink: Sink, items: list, path: Path) -> None:
    try:
        sink.write(items)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _finish(sink: Sink, path: Path) -> None:
    try:
        sink.close()
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _write_error(path: Path, exc: OSError) -> errors.ExportError:
    return errors.ExportError(f"could not write {path}: {exc.strerror or exc}; "
                              "nothing was exported, free some space or choose another place")


def _file_target(out: Path) -> Path:
    if not out.parent.is_dir():
        raise errors.ExportError(f"{out.parent}: the folder does not exist; create it first "
                                 "or choose another path")
    if out.is_dir():
        raise errors.ExportError(f"{out} is a folder; give a file name to export to "
                                 "(a folder is for split exports)")
    return out


def _whole_folder_target(out: Path, split: float | None) -> Path:
    """The folder a folder format (brat) fills: new, or empty; it is replaced at the end."""
    if split is not None:
        raise errors.ExportError("--split is for file formats; a folder format writes "
                                 "one folder of documents")
    _check_folder(out, "this format writes a folder, give a new or empty folder")
    if out.is_dir() and any(out.iterdir()):
        raise errors.ExportError(f"{out} is not empty; give a new or empty folder so no "
                                 "file of yours is overwritten")
    return out


def _folder_target(out: Path, split: float) -> bool:
    """Check a split and its folder, making the folder if only it is missing; True if made."""
    if not 0 < split < 1:
        raise errors.ExportError(f"split {split} is not between 0 and 1 "
                                 "(0.8 puts 80% of the articles in train, 20% in dev)")
    _check_folder(out, "a split export writes train and dev files into a folder, give a folder")
    if out.exists():
        return False
    out.mkdir()
    return True


def _check_folder(out: Path, if_file: str) -> None:
    """A folder to write into: its parent exists and it is not a file."""
    if not out.parent.is_dir():
        raise errors.ExportError(f"{out.parent}: the folder does not exist; create it first "
                                 "or choose another path")
    if out.exists() and not out.is_dir():
        raise errors.ExportError(f"{out} is a file; {if_file}")


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:         # not empty: something else is in it
        pass
