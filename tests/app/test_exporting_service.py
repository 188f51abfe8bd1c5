"""The export service: registry, targets, atomic files, progress, cancel, train/dev split."""
from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from app.exporting import FORMATS, REGISTRY, Format, export
from app.exporting.common import Exporter, JsonlSink
from app.exporting.service import exporter_class
from app.progress import Progress
from models import errors
from models.domain import Status
from tests.app._exporting import add, read_jsonl, span

ALL = ["newsmark", "prodigy", "spacy", "claims"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def five(store):
    for n in range(5):
        text = f"Article {n}: Ada Lovelace spoke in Paris."
        add(store, text, [span(text, "Ada Lovelace", "PERSON")], title=f"A{n}",
            status=Status.DONE if n % 2 == 0 else Status.NEW)
    return store


@pytest.fixture
def out_dir(tmp_path):
    """A folder for exports alone (the project and its -wal sit in out_dir)."""
    (tmp_path / "exports").mkdir()
    return tmp_path / "exports"


def test_exporting_formats_are_the_registry():
    assert FORMATS == ("newsmark", "prodigy", "spacy", "claims", "doccano", "labelstudio",
                       "brat", "conll", "hf", "claims-csv") == tuple(REGISTRY)
    assert {f: REGISTRY[f].suffix for f in FORMATS} == {
        "newsmark": ".jsonl", "prodigy": ".jsonl", "spacy": ".spacy", "claims": ".jsonl",
        "doccano": ".jsonl", "labelstudio": ".json", "brat": "", "conll": ".conll",
        "hf": ".jsonl", "claims-csv": ".csv"}
    assert [f for f in FORMATS if REGISTRY[f].folder] == ["brat"]


def test_exporting_listing_formats_does_not_load_spacy():
    code = ("import sys; import app.exporting as e; e.export; "
            "print(e.FORMATS, 'spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr


@pytest.mark.parametrize("fmt", ["csv", "", "Newsmark"])
def test_exporting_unknown_format_lists_the_formats(five, out_dir, fmt):
    with pytest.raises(errors.UnknownFormat) as caught:
        export(five, fmt, out_dir / "out")
    assert all(name in str(caught.value) for name in FORMATS)
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("fmt", ALL)
def test_exporting_into_a_missing_folder_is_a_clear_error(five, out_dir, fmt):
    with pytest.raises(errors.ExportError, match="does not exist"):
        export(five, fmt, out_dir / "nowhere" / "out.jsonl")


@pytest.mark.parametrize("fmt", ALL)
def test_exporting_onto_a_folder_without_split_is_refused(five, out_dir, fmt):
    with pytest.raises(errors.ExportError, match="is a folder"):
        export(five, fmt, out_dir)


@pytest.mark.parametrize("fmt", ALL)
def test_exporting_reports_progress_per_batch(five, out_dir, fmt, monkeypatch):
    monkeypatch.setattr(exporter_class(fmt), "batch_size", 2)
    seen: list[Progress] = []
    report = export(five, fmt, out_dir / "out", progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(2, 5), (4, 5), (5, 5)]
    assert report.articles == 5 and report.outputs == [out_dir / "out"]


@pytest.mark.parametrize("fmt", ALL)
@pytest.mark.parametrize("stop_after", [0, 1, 2, 3])   # 3: after the last batch
def test_exporting_cancelled_leaves_no_file_and_keeps_the_old_one(five, out_dir, fmt,
                                                                   stop_after, monkeypatch):
    monkeypatch.setattr(exporter_class(fmt), "batch_size", 2)
    out = out_dir / "out"
    out.write_bytes(b"previous export")
    calls = []
    report = export(five, fmt, out, progress=calls.append, cancel=lambda: len(calls) >= stop_after)
    assert report.cancelled and report.outputs == []
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in out_dir.iterdir()) == ["out"]        # no temporary file


@pytest.mark.parametrize("fmt", ALL)
def test_exporting_failure_midway_leaves_no_file(five, out_dir, fmt, monkeypatch):
    cls = exporter_class(fmt)
    monkeypatch.setattr(cls, "batch_size", 2)
    real = cls.convert
    calls = []

    def failing(self, batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(self, batch)

    monkeypatch.setattr(cls, "convert", failing)
    with pytest.raises(RuntimeError):
        export(five, fmt, out_dir / "out")
    assert list(out_dir.iterdir()) == []


def test_exporting_disk_full_is_an_export_error(five, out_dir, monkeypatch):
    def full(self, items):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(JsonlSink, "write", full)
    with pytest.raises(errors.ExportError, match="No space left"):
        export(five, "newsmark", out_dir / "out.jsonl")
    assert list(out_dir.iterdir()) == []


def test_exporting_a_new_format_is_one_registry_entry(five, out_dir, monkeypatch):
    class Titles(Exporter):
        def convert(self, batch):
            return [a.article.title.encode() + b"\n" for a in batch]

    import tests.app.test_exporting_service as here
    monkeypatch.setattr(here, "Titles", Titles, raising=False)
    monkeypatch.setitem(REGISTRY, "titles", Format("tests.app.test_exporting_service:Titles",
                                                   ".txt", "one title a line"))
    report = export(five, "titles", out_dir / "t.txt", status=[Status.DONE])
    assert (out_dir / "t.txt").read_text() == "A0\nA2\nA4\n" and report.records == 3
    split = export(five, "titles", out_dir / "split", split=0.5)
    assert [p.name for p in split.outputs] == ["train.txt", "dev.txt"]


@pytest.mark.parametrize("fmt, suffix", [("newsmark", ".jsonl"), ("prodigy", ".jsonl"),
                                         ("claims", ".jsonl"), ("spacy", ".spacy")])
def test_exporting_split_writes_train_and_dev_in_a_folder(five, out_dir, fmt, suffix):
    report = export(five, fmt, out_dir / "data", split=0.6, seed=3)
    assert report.outputs == [out_dir / "data" / f"train{suffix}",
                              out_dir / "data" / f"dev{suffix}"]
    assert all(p.exists() for p in report.outputs) and report.articles == 5


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_exporting_split_is_by_article_and_repeatable(five, out_dir, seed):
    def titles(name):
        export(five, "newsmark", out_dir / name, split=0.6, seed=seed)
        return ([r["title"] for r in read_jsonl(out_dir / name / "train.jsonl")],
                [r["title"] for r in read_jsonl(out_dir / name / "dev.jsonl")])

    train, dev = titles("a")
    assert (train, dev) == titles("b")                  # same seed, same split
    assert len(train) == 3 and len(dev) == 2            # round(5 * 0.6)
    assert sorted(train + dev) == ["A0", "A1", "A2", "A3", "A4"]


def test_exporting_split_differs_between_seeds(five, out_dir):
    splits = set()
    for seed in range(6):
        export(five, "newsmark", out_dir / str(seed), split=0.6, seed=seed)
        splits.add(tuple(r["title"] for r in read_jsonl(out_dir / str(seed) / "train.jsonl")))
    assert len(splits) > 1


@pytest.mark.parametrize("split", [0, 1, 1.5, -0.2])
def test_exporting_split_out_of_range_is_refused(five, out_dir, split):
    with pytest.raises(errors.ExportError, match="between 0 and 1"):
        export(five, "newsmark", out_dir / "data", split=split)
    assert not (out_dir / "data").exists()


def test_exporting_split_keeps_dev_non_empty(store, out_dir):
    for n in range(2):
        add(store, f"Text {n}.", [])
    export(store, "newsmark", out_dir / "data", split=0.99)
    assert len(read_jsonl(out_dir / "data" / "dev.jsonl")) == 1


def test_exporting_split_onto_a_file_is_refused(five, out_dir):
    (out_dir / "data").write_text("x")
    with pytest.raises(errors.ExportError, match="is a file"):
        export(five, "newsmark", out_dir / "data", split=0.5)


def test_exporting_cancelled_split_removes_the_folder_it_made(five, out_dir):
    report = export(five, "newsmark", out_dir / "data", split=0.5, cancel=lambda: True)
    assert report.cancelled and not (out_dir / "data").exists()


def test_exporting_pauses_the_collector_and_enables_it_again(five, out_dir, monkeypatch):
    import gc
    seen = []
    real = exporter_class("newsmark").convert

    def spy(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)
    monkeypatch.setattr(exporter_class("newsmark"), "convert", spy)
    gc.enable()
    export(five, "newsmark", out_dir / "out.jsonl")
    assert seen and not any(seen) and gc.isenabled()
