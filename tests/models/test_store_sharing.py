"""One project, several writers at once (GUI, CLI import, backup), nothing lost or locked."""
from __future__ import annotations

import shutil
import sqlite3
import threading
import time

import pytest

from models import errors
from models.domain import ArticleRecord
from models.store import Store
from tests.models._support import project_with_articles, start


def test_store_two_processes_write_at_once(store, project_path, open_store):
    """A GUI adding spans step by step while a CLI imports in batches, and this process too."""
    store.insert_articles([ArticleRecord(text="z" * 50_000, title="long")], annotator="ann")
    gui = start("spans", project_path, 600)
    cli = start("import", project_path, 6_000, 200)
    article = store.article_ids()[0]
    mine = []
    while gui.poll() is None or cli.poll() is None:
        with store.step("add span", annotator="me", article_id=article):
            mine.append(store.add_span(article, 10_000 + len(mine), 10_001 + len(mine), "GPE"))
        time.sleep(0.002)  # a fast user, not a loop that never lets go of the lock
    gui_out, gui_err = gui.communicate()
    cli_out, cli_err = cli.communicate()
    assert gui.returncode == 0, gui_err
    assert cli.returncode == 0, cli_err
    assert "locked" not in gui_err + cli_err
    printed = [int(x) for x in gui_out.split()[1:]]
    assert len(printed) == 600 and sum(int(x) for x in cli_out.split()[1:]) == 6_000
    assert len(mine) > 10  # this process really wrote while the others did
    spans = {s.id for s in store.spans(article)}
    assert set(printed) | set(mine) <= spans and len(spans) == 2 * 600 + len(mine)
    assert len(store.article_ids()) == 1 + 6_000
    assert store.check() == []


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the writer stopped writing"
        time.sleep(0.01)


def test_store_backup_while_another_process_writes(store, project_path, tmp_path, open_store):
    store.insert_articles([ArticleRecord(text="z" * 50_000, title="long")], annotator="ann")
    article = store.article_ids()[0]
    writer = start("spans", project_path)
    printed: list[int] = []
    reader = threading.Thread(target=lambda: printed.extend(
        int(line) for line in writer.stdout if line.strip().isdigit()))
    assert writer.stdout.readline() == "ready\n"
    reader.start()
    try:
        wait_until(lambda: len(printed) >= 50)
        committed = list(printed)
        backup = store.backup(tmp_path / "backup.nmk")
        wait_until(lambda: len(printed) >= len(committed) + 50)  # the writer was not stopped
    finally:
        writer.kill()
        writer.wait()
        reader.join()           # it reads to the end of the pipe, then the pipe is closed
        writer.communicate()
    copy = open_store(backup)
    assert copy.check() == []
    kept = {s.id for s in copy.spans(article)}
    assert set(committed) <= kept
    logged = dict(copy.conn.execute(
        "SELECT row_id, count(*) FROM history WHERE tbl = 'spans' GROUP BY row_id"))
    assert logged == {s.id: 1 for s in copy.spans(article) if s.origin == "manual"}


def test_store_backup_has_rows_a_file_copy_misses(store, article, project_path, tmp_path,
                                                  open_store):
    """While a project is open its latest rows live in -wal: copying the .nmk loses them."""
    naive = tmp_path / "copy.nmk"
    shutil.copyfile(project_path, naive)
    with pytest.raises(errors.NewsmarkError):
        Store.open(naive)
    copy = open_store(store.backup(tmp_path / "backup.nmk"))
    assert copy.annotation(article) == store.annotation(article)
    assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_backup_refuses_existing_or_missing_place(store, tmp_path):
    taken = tmp_path / "taken.nmk"
    taken.write_text("keep me")
    with pytest.raises(errors.ProjectExists):
        store.backup(taken)
    assert taken.read_text() == "keep me"
    with pytest.raises(errors.DirectoryMissing):
        store.backup(tmp_path / "nowhere" / "b.nmk")


def test_store_locked_too_long_raises_project_busy(store, article, project_path):
    other = sqlite3.connect(project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.conn.execute("PRAGMA busy_timeout = 100")  # instead of waiting the real 15 s
    before = store.annotation(article)
    with pytest.raises(errors.ProjectBusy) as busy:
        with store.step("add span", annotator="ann", article_id=article):
            store.add_span(article, 0, 3, "ORG")
    other.execute("ROLLBACK")
    other.close()
    message = str(busy.value)
    assert message.startswith("error E008: ") and "\n" not in message
    assert str(project_path) in message
    assert store.annotation(article) == before


def test_store_busy_project_waits_instead_of_failing(store, article, project_path):
    """A write lock held briefly by another connection makes a step wait, not fail."""
    other = sqlite3.connect(project_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    started = time.monotonic()
    with store.step("add span", annotator="ann", article_id=article):
        store.add_span(article, 0, 3, "ORG")
    assert time.monotonic() - started >= 0.25
    other.close()


def test_store_backup_that_fails_leaves_no_half_file(tmp_path):
    project = tmp_path / "p.nmk"
    project_with_articles(project)
    (tmp_path / "backups").mkdir()
    proc = start("backup-full", project, tmp_path / "backups" / "b.nmk")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    failed, left = out.splitlines()
    assert failed.startswith("SaveFailed error E007: could not save to ")
    assert str(tmp_path / "backups" / "b.nmk") in failed
    assert left == "left []"  # the retry is not blocked by a broken file of the same name
