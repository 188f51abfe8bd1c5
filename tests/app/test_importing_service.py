"""The import run: duplicates, new labels, strict, batches, progress and cancel."""
from __future__ import annotations

import gc
from pathlib import Path

import orjson
import pytest

from app.importing import ImportReport, import_paths, service
from app.progress import Progress
from models.domain import Layer
from models.store import Store


def jsonl_file(tmp_path: Path, records: list[dict], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def numbered(n: int, label: str = "ORG") -> list[dict]:
    return [{"text": f"Article {i:05d} about Acme.", "spans": [{"start": 20, "end": 24, "label": label}]}
            for i in range(n)]


def test_importing_report_ok_and_defaults():
    report = ImportReport(files=0, imported=0, duplicates=0, skipped=0, rejected=[],
                          new_labels=[], cancelled=False)
    assert report.ok


def test_importing_duplicates_in_file_and_project(store, tmp_path):
    first = jsonl_file(tmp_path, [{"text": "One."}, {"text": "Two."}, {"text": "One."}], "a.jsonl")
    report = import_paths(store, [first], annotator="ann")
    assert (report.imported, report.duplicates) == (2, 1)
    (tmp_path / "b.txt").write_text("Two.")
    again = import_paths(store, [first, tmp_path / "b.txt"], annotator="ann")
    assert (again.imported, again.duplicates, again.rejected) == (0, 4, [])
    assert len(store.article_ids()) == 2


def test_importing_duplicate_keeps_the_first_annotations(store, tmp_path):
    records = [{"text": "Acme hired Ada.", "spans": [{"start": 0, "end": 4, "label": "ORG"}]},
               {"text": "Acme hired Ada.", "spans": [{"start": 11, "end": 14, "label": "PERSON"}]}]
    report = import_paths(store, [jsonl_file(tmp_path, records)], annotator="ann", batch_size=1)
    assert (report.imported, report.duplicates) == (1, 1)
    assert [s.label for s in store.spans(store.article_ids()[0])] == ["ORG"]


def test_importing_adds_new_labels_to_the_schema(store, tmp_path):
    records = [{"text": "Acme hired Ada.", "spans": [{"start": 0, "end": 4, "label": "COMPANY"},
                                                     {"start": 11, "end": 14, "label": "PERSON"}]},
               {"newsmark": 1, "text": "Ada claims X.", "spans": [
                   {"start": 4, "end": 12, "label": "ASSERTION", "layer": "claim"}]}]
    report = import_paths(store, [jsonl_file(tmp_path, records)], annotator="ann")
    assert report.ok and report.imported == 2
    assert report.new_labels == ["COMPANY", "ASSERTION"]
    assert (store.label("COMPANY").layer, store.label("ASSERTION").layer) == (Layer.ENTITY, Layer.CLAIM)
    assert store.label("COMPANY").colour.startswith("#")


def test_importing_no_new_labels_rejects_unknown_labels(store, tmp_path):
    records = [{"text": "Acme hired Ada.", "spans": [{"start": 0, "end": 4, "label": "ORG"}]},
               {"text": "Acme fired Ada.", "spans": [{"start": 0, "end": 4, "label": "ORG"},
                                                     {"start": 11, "end": 14, "label": "HUMAN"}]}]
    report = import_paths(store, [jsonl_file(tmp_path, records)], annotator="ann",
                          allow_new_labels=False)
    assert [(p.line, p.reason) for p in report.rejected] == [
        (2, "unknown label HUMAN (--no-new-labels)")]
    assert report.imported == 1 and report.new_labels == [] and store.label("HUMAN") is None


@pytest.mark.parametrize("allow_new_labels", [True, False])
def test_importing_strict_imports_nothing_when_anything_is_bad(store, tmp_path, allow_new_labels):
    good = numbered(5, label="FRESH")
    path = jsonl_file(tmp_path, good[:2] + [{"text": ""}] + good[2:] + [{"text": 3}])
    report = import_paths(store, [path], annotator="ann", strict=True, batch_size=2,
                          allow_new_labels=allow_new_labels)
    expected = [(3, "empty text"), (7, "text is not a string (a number)")]
    if not allow_new_labels:
        expected = sorted(expected + [(n, "unknown label FRESH (--no-new-labels)")
                                      for n in (1, 2, 4, 5, 6)])
    assert [(p.line, p.reason) for p in report.rejected] == expected
    assert (report.imported, report.new_labels) == (0, [])
    assert store.article_ids() == [] and store.label("FRESH") is None


def test_importing_strict_with_a_missing_path_imports_nothing(store, tmp_path):
    path = jsonl_file(tmp_path, numbered(3))
    report = import_paths(store, [path, tmp_path / "gone.jsonl"], annotator="ann", strict=True)
    assert [(p.line, p.reason) for p in report.rejected] == [(0, "no such file or folder")]
    assert report.imported == 0 and store.article_ids() == []


def test_importing_strict_imports_everything_when_all_is_good(store, tmp_path):
    path = jsonl_file(tmp_path, numbered(7, label="FRESH") + [{"text": "x", "answer": "reject"}])
    seen: list[Progress] = []
    report = import_paths(store, [path], annotator="ann", strict=True, batch_size=3,
                          progress=seen.append)
    assert (report.imported, report.skipped, report.new_labels) == (7, 1, ["FRESH"])
    size = path.stat().st_size
    assert {p.total for p in seen} == {2 * size} and seen[-1].done == 2 * size
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_importing_batches_are_one_insert_each(store, tmp_path, monkeypatch):
    calls: list[tuple[int, str | None]] = []
    real = Store.insert_articles

    def spy(self, records, *, annotator, action="import"):
        calls.append((len(records), annotator))
        return real(self, records, annotator=annotator, action=action)
    monkeypatch.setattr(Store, "insert_articles", spy)
    records = numbered(5) + [{"newsmark": 1, "text": "Own format."}] + numbered(7)[5:]
    report = import_paths(store, [jsonl_file(tmp_path, records)], annotator="ann", batch_size=2)
    assert report.imported == 8
    assert calls == [(2, "ann"), (2, "ann"), (1, "ann"), (1, None), (2, "ann")]


def test_importing_batches_end_at_a_size_in_bytes_too(store, tmp_path, monkeypatch):
    """Long articles make smaller batches, so a batch's records stay bounded in memory."""
    calls: list[int] = []
    real = Store.insert_articles

    def spy(self, records, **kwargs):
        calls.append(len(records))
        return real(self, records, **kwargs)
    monkeypatch.setattr(Store, "insert_articles", spy)
    path = jsonl_file(tmp_path, numbered(10))
    line = len(path.read_bytes()) // 10                     # each record's line is as long
    monkeypatch.setattr(service, "BATCH_BYTES", 3 * line)
    report = import_paths(store, [path], annotator="ann", batch_size=100)
    assert report.imported == 10 and calls == [3, 3, 3, 1]


def test_importing_pauses_the_collector_and_enables_it_again(store, tmp_path, monkeypatch):
    seen = []
    real = Store.insert_articles

    def spy(self, records, **kwargs):
        seen.append(gc.isenabled())
        return real(self, records, **kwargs)
    monkeypatch.setattr(Store, "insert_articles", spy)
    gc.enable()
    import_paths(store, [jsonl_file(tmp_path, numbered(3))], annotator="ann")
    assert seen == [False] and gc.isenabled()


def test_importing_progress_counts_bytes_per_batch(store, tmp_path):
    a = jsonl_file(tmp_path, numbered(10), "a.jsonl")
    b = tmp_path / "b.txt"
    b.write_text("A text file.")
    seen: list[Progress] = []
    import_paths(store, [a, b], annotator="ann", batch_size=4, progress=seen.append)
    total = a.stat().st_size + b.stat().st_size
    assert len(seen) == 3
    assert all(p.total == total for p in seen)
    assert 0 < seen[0].done < seen[1].done < seen[2].done == total
    assert seen[0].message == "importing a.jsonl: 4 records"


@pytest.mark.parametrize("stop_after, imported", [(0, 0), (1, 3), (2, 6)])
def test_importing_cancel_between_batches_keeps_what_was_committed(store, tmp_path, stop_after,
                                                                   imported):
    path = jsonl_file(tmp_path, numbered(10))
    asked = []

    def cancel() -> bool:
        asked.append(len(store.article_ids()))
        return len(asked) > stop_after
    report = import_paths(store, [path], annotator="ann", batch_size=3, cancel=cancel)
    assert report.cancelled and report.imported == imported
    assert len(store.article_ids()) == imported and store.check() == []
    rest = import_paths(store, [path], annotator="ann", batch_size=3)
    assert (rest.imported, rest.duplicates, rest.cancelled) == (10 - imported, imported, False)


def test_importing_cancel_is_not_reported_when_the_work_was_done(store, tmp_path):
    path = jsonl_file(tmp_path, numbered(6))
    report = import_paths(store, [path], annotator="ann", batch_size=3,
                          cancel=lambda: len(store.article_ids()) >= 6)
    assert (report.imported, report.cancelled) == (6, False)
