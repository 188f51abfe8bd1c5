"""A killed import leaves a sound project that a re-run completes; memory stays bounded."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from app.importing import import_paths
from app.progress import Progress
from app.project import create_project

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from app.importing import import_paths
    from app.project import open_project

    def progress(p):
        print("batch", p.done, flush=True)

    with open_project(sys.argv[2]) as store:
        import_paths(store, [sys.argv[3]], annotator="ann", batch_size=500, progress=progress)
    print("finished", flush=True)
""")


def generate(path: Path, n: int) -> Path:
    """n small Prodigy-style records, each with one span, written as a stream."""
    with open(path, "wb") as f:
        for i in range(n):
            f.write(b'{"text": "Report %07d: Acme Corp said the port reopened.", '
                    b'"spans": [{"start": 16, "end": 25, "label": "ORG"}], "meta": {"n": %d}}\n'
                    % (i, i))
    return path


def test_importing_killed_midway_then_rerun_completes(tmp_path, open_store):
    n = 40_000
    data = generate(tmp_path / "big.jsonl", n)
    project = tmp_path / "p.nmk"
    create_project(project).close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(project), str(data)],
                             stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(3):
            assert child.stdout.readline().startswith("batch")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    store = open_store(project)
    done = len(store.article_ids())
    assert 1500 <= done < n and done % 500 == 0          # whole batches only
    assert store.stats()["spans"] == done and store.check() == []
    report = import_paths(store, [data], annotator="ann", batch_size=500)
    assert (report.imported, report.duplicates, report.rejected) == (n - done, done, [])
    assert len(store.article_ids()) == n and store.stats()["spans"] == n
    assert store.check() == []


@pytest.mark.slow
def test_importing_memory_does_not_grow_with_the_record_count(store, tmp_path):
    data = generate(tmp_path / "many.jsonl", 100_000)
    current: list[int] = []

    def progress(_: Progress) -> None:
        current.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.start()
    try:
        report = import_paths(store, [data], annotator="ann", batch_size=1000, progress=progress)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.imported == 100_000 and report.ok
    assert len(current) == 101
    # Holding the records would cost well over 50 MB; a batch costs about one.
    assert peak < 12_000_000
    assert max(current[-10:]) - min(current[5:15]) < 1_000_000
