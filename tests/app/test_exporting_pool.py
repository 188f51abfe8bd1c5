"""Exporting on every core: worker processes give the same bytes, in order; cancel and
failures leave nothing behind; small exports stay in one process."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.exporting import export, pool
from app.exporting.common import Job, Options
from app.exporting.docbin import DocBinExporter
from app.exporting.prodigy import ProdigyConverter
from app.exporting.service import exporter_class
from models.domain import Status
from tests.app._exporting import messy

ROOT = Path(__file__).resolve().parents[2]
POOLED = ["prodigy", "spacy"]
OPTIONS = [{}, {"include_suggestions": True, "include_rejected": True},
           {"status": [Status.DONE, Status.NEW], "annotator": "bo"}]


@pytest.fixture
def corpus(store):
    messy(store, 60)
    return store


@pytest.fixture
def pooled(monkeypatch):
    """Workers for any export (not only from 200 articles on), 4 articles a chunk."""
    monkeypatch.setattr(pool, "MIN_ARTICLES", 0)
    monkeypatch.setattr(pool, "MIN_CHUNK", 1)
    monkeypatch.setattr(pool, "cpus", lambda: 2)
    for fmt in POOLED:
        monkeypatch.setattr(exporter_class(fmt), "batch_size", 4)


def _export_both(store, tmp_path, monkeypatch, fmt, **options):
    """(in-process report, bytes), (pooled report, bytes) of the same export."""
    monkeypatch.setattr(pool, "MIN_ARTICLES", 10 ** 9)
    alone = export(store, fmt, tmp_path / "alone", **options)
    monkeypatch.setattr(pool, "MIN_ARTICLES", 0)
    seen = []
    workers = export(store, fmt, tmp_path / "workers", progress=seen.append, **options)
    return ((alone, (tmp_path / "alone").read_bytes()),
            (workers, (tmp_path / "workers").read_bytes()), seen)


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("fmt", POOLED)
def test_exporting_with_workers_writes_the_same_bytes_in_order(corpus, tmp_path, monkeypatch,
                                                                pooled, fmt, options):
    (alone, data), (workers, pooled_data), seen = _export_both(corpus, tmp_path, monkeypatch,
                                                               fmt, **options)
    assert pooled_data == data
    assert workers.problems == alone.problems and len(alone.problems) > 10
    assert (workers.articles, workers.records) == (alone.articles, alone.records)
    step = seen[0].done                                 # one progress per chunk, in order
    assert len(seen) > 5 and [p.done for p in seen] == list(
        range(step, workers.articles, step)) + [workers.articles]


@pytest.mark.parametrize("fmt", POOLED)
def test_exporting_with_workers_splits_the_same_way(corpus, tmp_path, monkeypatch, pooled, fmt):
    monkeypatch.setattr(pool, "MIN_ARTICLES", 10 ** 9)
    alone = export(corpus, fmt, tmp_path / "alone", split=0.7, seed=2)
    monkeypatch.setattr(pool, "MIN_ARTICLES", 0)
    workers = export(corpus, fmt, tmp_path / "workers", split=0.7, seed=2)
    for a, w in zip(alone.outputs, workers.outputs, strict=True):
        assert a.read_bytes() == w.read_bytes()


@pytest.mark.parametrize("fmt", POOLED)
@pytest.mark.parametrize("stop_after", [1, 3, 15])      # 15: after the last chunk
def test_exporting_with_workers_cancelled_leaves_no_file(corpus, tmp_path, pooled, fmt,
                                                          stop_after):
    out = tmp_path / "exports" / "out"
    out.parent.mkdir()
    out.write_bytes(b"previous export")
    calls = []
    report = export(corpus, fmt, out, progress=calls.append,
                    cancel=lambda: len(calls) >= stop_after)
    assert report.cancelled and report.outputs == [] and len(calls) == stop_after
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_exporting_with_workers_a_failure_in_a_worker_leaves_no_file(corpus, tmp_path, pooled,
                                                                     monkeypatch):
    real = ProdigyConverter.__call__

    def failing(self, packed):               # forked workers inherit the patch
        if any(meta["title"] == "T30" for _, meta, *_ in packed):
            raise RuntimeError("boom in a worker")
        return real(self, packed)

    monkeypatch.setattr(ProdigyConverter, "__call__", failing)
    (tmp_path / "exports").mkdir()
    with pytest.raises(RuntimeError, match="boom in a worker"):
        export(corpus, "prodigy", tmp_path / "exports" / "out.jsonl")
    assert list((tmp_path / "exports").iterdir()) == []


def test_exporting_from_a_thread_uses_no_fork_and_the_same_bytes(corpus, tmp_path,
                                                                 monkeypatch, pooled):
    """The GUI exports from a pool thread: a process with threads must not fork, its
    workers come from a fork server; same output."""
    monkeypatch.setattr(pool, "MIN_ARTICLES", 10 ** 9)
    export(corpus, "spacy", tmp_path / "alone")
    monkeypatch.setattr(pool, "MIN_ARTICLES", 0)
    methods = []
    real_context = pool.context
    monkeypatch.setattr(pool, "context",
                        lambda: methods.append(real_context().get_start_method()) or
                        real_context())
    done = threading.Thread(target=export, args=(corpus, "spacy", tmp_path / "workers"))
    done.start()
    done.join(120)
    assert methods == ["forkserver"]
    assert (tmp_path / "workers").read_bytes() == (tmp_path / "alone").read_bytes()


def test_exporting_small_exports_and_one_core_stay_in_process(corpus, monkeypatch):
    exporter = DocBinExporter(Job(corpus, Options()))
    monkeypatch.setattr(pool, "cpus", lambda: 8)
    assert pool.workers_for(exporter, pool.MIN_ARTICLES - 1) == 0
    assert pool.workers_for(exporter, 10_000) == pool.MAX_WORKERS
    assert pool.workers_for(exporter_class("newsmark")(Job(corpus, Options())), 10_000) == 0
    monkeypatch.setattr(pool, "cpus", lambda: 1)
    assert pool.workers_for(exporter, 10_000) == 0


def test_exporting_chunks_do_not_depend_on_the_machine(corpus):
    exporter = DocBinExporter(Job(corpus, Options()))
    assert [pool.chunk_size(exporter, n) for n in (10, 500, 2_000, 100_000)] == [
        pool.MIN_CHUNK, pool.MIN_CHUNK, 125, 256]


def test_exporting_with_workers_this_process_never_loads_spacy(tmp_path):
    """Workers import spaCy, in parallel, while this process reads the first chunks."""
    code = ("import sys; from app.exporting import export, pool; "
            "from app.project import create_project; from tests.app._exporting import messy; "
            "pool.MIN_ARTICLES = 0; pool.cpus = lambda: 2; "
            "store = create_project(sys.argv[1] + '/p.nmk'); messy(store, 30); "
            "[export(store, f, sys.argv[1] + '/out.' + f) for f in ('prodigy', 'spacy')]; "
            "print('spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stdout + done.stderr
    assert (tmp_path / "out.spacy").stat().st_size > 0
