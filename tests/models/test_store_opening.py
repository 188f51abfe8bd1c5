"""Files Store refuses: a clear one-line error, and the file left exactly as it was."""
from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from app.project import create_project
from models import errors
from models.domain import ArticleRecord, Label, Layer
from models.schema import APPLICATION_ID, SCHEMA_VERSION
from models.store import Store
from tests.models._support import crash_after, first_migration_only, pragma, project_with_articles


def snapshot(folder: Path) -> dict[str, tuple[str, int] | None]:
    """Every file of the folder with its sha256 and mtime (ns).

    Only the presence of a -shm counts: it is SQLite's shared index of the -wal, which
    every reader rebuilds, and holds nothing of the file's content.
    """
    return {p.name: None if p.name.endswith("-shm") else
            (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def assert_one_line(error: errors.NewsmarkError, path: Path) -> None:
    message = str(error)
    assert message.startswith(f"error {error.code}: ") and error.code.startswith("E")
    assert "\n" not in message and str(path) in message


def make_text(path: Path) -> None:
    path.write_text("These are my notes, not a project.\n")


def make_empty(path: Path) -> None:
    path.touch()


def make_foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA application_id = 1234; CREATE TABLE notes (body TEXT);"
                       "INSERT INTO notes VALUES ('mine');")
    conn.close()


def make_foreign_wal(path: Path) -> None:
    """Another program's WAL database (application_id 0) with its last rows still in -wal."""
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode = WAL; CREATE TABLE notes (body TEXT);")
    conn.close()
    crash_after(path, "INSERT INTO notes VALUES ('in the wal');")


def make_damaged(path: Path) -> None:
    project_with_articles(path)
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as f:
        f.seek(pages // 2 * 4096)
        f.write(random.Random(7).randbytes(3 * 4096))


def make_truncated(path: Path) -> None:
    project_with_articles(path)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def make_newer(path: Path) -> None:
    create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def make_newer_in_wal(path: Path) -> None:
    """A newer Newsmark upgraded the file and crashed before its checkpoint."""
    create_project(path).close()
    crash_after(path, f"BEGIN; CREATE TABLE future (x); PRAGMA user_version = {SCHEMA_VERSION + 1}; "
                      "COMMIT;")


def make_folder(path: Path) -> None:
    path.mkdir()


REFUSED = [
    (make_text, errors.NotAProject),
    (make_empty, errors.NotAProject),
    (make_foreign, errors.NotAProject),
    (make_foreign_wal, errors.NotAProject),
    (make_damaged, errors.DamagedProject),
    (make_truncated, errors.DamagedProject),
    (make_newer, errors.NewerSchema),
    (make_newer_in_wal, errors.NewerSchema),
    (make_folder, errors.NotAProject),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize("make, refusal", REFUSED, ids=[m.__name__[5:] for m, _ in REFUSED])
def test_store_refuses_file_and_leaves_it_untouched(tmp_path, make, refusal, readonly):
    path = tmp_path / "x.nmk"
    make(path)
    before = snapshot(tmp_path)
    with pytest.raises(refusal) as refused:
        Store.open(path, readonly=readonly)
    assert_one_line(refused.value, path)
    assert snapshot(tmp_path) == before  # same bytes, same mtimes, no -wal/-shm left behind


def test_store_open_missing_file_or_folder(tmp_path):
    with pytest.raises(errors.ProjectNotFound) as missing:
        Store.open(tmp_path / "absent.nmk")
    assert_one_line(missing.value, tmp_path / "absent.nmk")
    for attempt in (lambda p: Store.open(p), lambda p: Store.create(p)):
        with pytest.raises(errors.DirectoryMissing) as no_folder:
            attempt(tmp_path / "nowhere" / "x.nmk")
        assert_one_line(no_folder.value, tmp_path / "nowhere")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("make", [make_text, make_empty, make_foreign, make_newer])
def test_store_create_refuses_existing_file(tmp_path, make):
    path = tmp_path / "x.nmk"
    make(path)
    before = snapshot(tmp_path)
    with pytest.raises(errors.ProjectExists) as exists:
        Store.create(path)
    assert_one_line(exists.value, path)
    assert snapshot(tmp_path) == before


def test_store_readonly_reads_and_refuses_writes(store, article, project_path, open_store):
    store.close()
    digest = hashlib.sha256(project_path.read_bytes()).hexdigest()
    ro = open_store(project_path, readonly=True)
    assert ro.readonly and ro.article_ids() == [article]
    assert [s.label for s in ro.spans(article)] == ["PERSON", "CLAIM"]
    attempts = [
        lambda: ro.step("add span", annotator="ann", article_id=article).__enter__(),
        lambda: ro.insert_articles([ArticleRecord(text="new")], annotator="ann"),
        lambda: ro.save_label(Label("NEW", Layer.ENTITY, "#000000")),
        lambda: ro.annotator_id("someone new"),
    ]
    for attempt in attempts:
        with pytest.raises(errors.ReadOnlyProject) as refused:
            attempt()
        assert_one_line(refused.value, project_path)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # even bypassing the store
        ro.conn.execute("DELETE FROM spans")
    assert ro.check() == []
    ro.close()
    assert hashlib.sha256(project_path.read_bytes()).hexdigest() == digest


def test_store_readonly_without_upgrade_leaves_an_old_project_as_it_is(tmp_path):
    path = tmp_path / "old.nmk"
    Store.create(path, migrations=first_migration_only()).close()
    store = Store.open(path, readonly=True, upgrade=False)
    assert store.readonly and store.schema_version == 1
    store.backup(tmp_path / "copy.nmk")
    store.close()
    assert pragma(path, "user_version") == pragma(tmp_path / "copy.nmk", "user_version") == 1


def test_store_opened_to_read_an_old_writable_project_is_upgraded_first(tmp_path):
    """`newsmark stats` or `export` on a project from an older Newsmark just works."""
    path = tmp_path / "old.nmk"
    Store.create(path, migrations=first_migration_only()).close()
    store = Store.open(path, readonly=True)
    assert store.readonly and store.schema_version == SCHEMA_VERSION
    store.close()
    assert pragma(path, "user_version") == SCHEMA_VERSION


def test_store_open_reads_its_own_crashed_wal(tmp_path, open_store):
    """A project whose last steps are only in -wal (crash) opens with them."""
    path = tmp_path / "p.nmk"
    project_with_articles(path, n=3)
    crash_after(path, "UPDATE articles SET status = 'done' WHERE id = 1;")
    store = open_store(path)
    assert store.article(1).status == "done" and store.check() == []
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_store_create_that_fails_leaves_nothing_behind(tmp_path, open_store):
    """A half-made project would block the retry (ProjectExists) and open as NotAProject."""
    broken = Migrations("newsmark")

    @broken(name="0001_fails")
    def fails(db) -> None:
        db.executescript("CREATE TABLE t (x);")
        raise RuntimeError("bug in a migration")

    path = tmp_path / "new.nmk"
    with pytest.raises(RuntimeError):
        Store.create(path, migrations=broken)
    assert list(tmp_path.iterdir()) == []
    Store.create(path).close()
    assert open_store(path).schema_version == SCHEMA_VERSION
