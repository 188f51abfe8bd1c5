"""Work survives a killed process, a migration killed midway, and a full disk."""
from __future__ import annotations

import random
import signal
import sqlite3
import time

import pytest

from app.resources import default_schema
from models import errors, schema
from models.domain import ArticleRecord, SpanRecord
from models.store import Store
from tests.models._support import first_migration_only, names_in_schema, pragma, start


@pytest.mark.slow
def test_store_sigkill_loses_no_finished_step(store, project_path, open_store):
    store.insert_articles([ArticleRecord(text="x" * 100_000, title="long")], annotator="ann")
    store.close()
    rng = random.Random(1234)
    printed: list[int] = []
    deadline = time.monotonic() + 35
    kills = 0
    while kills < 50 and time.monotonic() < deadline:
        proc = start("spans", project_path)
        if rng.random() < 0.2:  # now and then during start-up and opening (WAL recovery)
            time.sleep(rng.uniform(0, 0.1))
        else:
            assert proc.stdout.readline() == "ready\n", proc.stderr.read()
            time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err
        printed += [int(line) for line in out.split() if line.isdigit()]
        kills += 1
    assert kills == 50
    assert len(printed) > 100  # the kills did land while steps were being written
    assert pragma(project_path, "integrity_check") == "ok"
    reopened = open_store(project_path)
    assert reopened.check() == []
    present = {s.id for s in reopened.spans(reopened.article_ids()[0])}
    assert set(printed) <= present
    # each step is whole: both of its spans, its step row and both history rows, or nothing
    logged = dict(reopened.conn.execute(
        "SELECT row_id, count(*) FROM history WHERE tbl = 'spans' GROUP BY row_id"))
    assert logged == {span_id: 1 for span_id in present}
    per_step = {n for (n,) in reopened.conn.execute(
        "SELECT count(h.id) FROM steps s LEFT JOIN history h ON h.step_id = s.id "
        "WHERE s.action = 'add span' GROUP BY s.id")}
    assert per_step == {2}
    assert len(present) == 2 * reopened.conn.execute(
        "SELECT count(*) FROM steps WHERE action = 'add span'").fetchone()[0]


def test_store_migration_killed_midway_leaves_previous_version(project_path, open_store):
    old = Store.create(project_path, schema=default_schema(), migrations=first_migration_only())
    old.insert_articles([ArticleRecord(text="Kept through a failed upgrade.",
                                       spans=[SpanRecord(0, 4, "PERSON")])], annotator="ann")
    old.close()
    before = names_in_schema(project_path)
    assert "spans_annotator" not in before

    proc = start("migrate-crash", project_path)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 9, err
    assert "survived" not in out

    assert pragma(project_path, "integrity_check") == "ok"
    assert names_in_schema(project_path) == before  # 0002's index and 0003's DDL are gone
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == ["0001_initial"]
    assert "extra_note" not in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    conn.close()

    upgraded = open_store(project_path)
    assert upgraded.schema_version == schema.SCHEMA_VERSION
    assert "spans_annotator" in names_in_schema(project_path)
    assert upgraded.check() == []
    assert [s.label for s in upgraded.spans(upgraded.article_ids()[0])] == ["PERSON"]


def test_store_disk_full_raises_save_failed_and_keeps_saved_work(store, article):
    saved = store.annotation(article)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [ArticleRecord(text=f"big {i} " + "y" * 20_000) for i in range(10)]
    with pytest.raises(errors.SaveFailed) as failed:
        store.insert_articles(big, annotator="ann")
    message = str(failed.value)
    assert message.startswith("error E007: could not save") and "\n" not in message
    assert str(store.path) in message

    with pytest.raises(errors.SaveFailed):  # a user action that runs out of room
        with store.step("many spans", annotator="ann", article_id=article):
            for i in range(30):
                store.set_attribute(store.add_span(article, i, i + 1, "CLAIM"), "note", "z" * 4000)
    assert store.article_ids() == [article]
    assert store.annotation(article) == saved
    assert store.conn.execute("SELECT count(*) FROM steps WHERE action = 'many spans'"
                              ).fetchone()[0] == 0
    assert store.check() == []

    store.conn.execute("PRAGMA max_page_count = 1073741823")  # room again: saving works again
    with store.step("one span", annotator="ann", article_id=article):
        store.add_span(article, 0, 3, "ORG")
    assert len(store.spans(article)) == len(saved.spans) + 1


def test_store_file_size_limit_raises_save_failed(store, article, project_path, open_store):
    saved = store.annotation(article)
    store.close()
    proc = start("full", project_path)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("SaveFailed error E007: could not save"), out + err
    assert lines[-1] == "articles 1"  # and it could still read afterwards
    assert pragma(project_path, "integrity_check") == "ok"
    reopened = open_store(project_path)
    assert reopened.annotation(article) == saved
    assert reopened.check() == []
