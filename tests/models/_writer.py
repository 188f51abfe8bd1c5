"""A second process for the store's reliability tests: python _writer.py MODE PATH [ARGS].

spans PATH [STEPS]    add two spans per step (one user action) to the longest article, print
                      the step's first span id once the step has returned; forever unless
                      STEPS is given
import PATH N BATCH   insert N articles in batches of BATCH, print each batch's count
migrate-crash PATH    open with the real migrations plus a third one that dies midway
full PATH             cap the size of any file this process writes, then try to save
backup-full PATH DEST the same cap, then try a backup to DEST
"""
from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlite_utils.migrations import Migrations  # noqa: E402

from models import errors, schema  # noqa: E402
from models.domain import ArticleRecord  # noqa: E402
from models.store import Store  # noqa: E402


def say(*words: object) -> None:
    print(*words, flush=True)


def write_spans(path: str, steps: str | None = None) -> None:
    store = Store.open(path)
    article = store.conn.execute("SELECT id FROM articles ORDER BY length(text) DESC").fetchone()[0]
    k = store.conn.execute("SELECT count(*) FROM spans WHERE article_id = ? AND origin = 'manual' "
                           "AND label = 'PERSON'", (article,)).fetchone()[0]
    say("ready")
    for _ in range(int(steps) if steps else 10**9):
        with store.step("add span", annotator="gui", article_id=article):
            first = store.add_span(article, k, k + 1, "PERSON")
            store.add_span(article, k, k + 2, "ORG")
        say(first)
        k += 1


def import_articles(path: str, n: str, batch: str) -> None:
    store = Store.open(path)
    say("ready")
    size = int(batch)
    for lo in range(0, int(n), size):
        records = [ArticleRecord(text=f"imported {i} " + "lorem ipsum " * 40, title=f"t{i}")
                   for i in range(lo, min(lo + size, int(n)))]
        inserted, _ = store.insert_articles(records, annotator="cli")
        say(inserted)


def crashing_migrations() -> Migrations:
    crashing = Migrations(schema.MIGRATION_SET)
    crashing(name="0001_initial")(schema.initial)
    crashing(name="0002_spans_by_annotator")(schema.spans_by_annotator)

    @crashing(name="0003_dies_midway")
    def dies(db) -> None:
        db.executescript("CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT);"
                         "ALTER TABLE articles ADD COLUMN extra_note TEXT;"
                         "INSERT INTO extra (note) VALUES ('half done');")
        os._exit(9)
    return crashing


def migrate_crash(path: str) -> None:
    Store.open(path, migrations=crashing_migrations())
    say("survived")  # never reached: the migration exits the process


def fill_disk(path: str) -> None:
    store = Store.open(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full file then fails the write (EFBIG)
    biggest = max(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    resource.setrlimit(resource.RLIMIT_FSIZE, (biggest + 8192, resource.RLIM_INFINITY))
    try:
        store.insert_articles([ArticleRecord(text=f"big {i} " + "x" * 50_000) for i in range(20)],
                              annotator="cli")
    except errors.NewsmarkError as exc:
        say(type(exc).__name__, str(exc))
    say("articles", len(store.article_ids()))


def backup_disk_full(path: str, dest: str) -> None:
    store = Store.open(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(path) // 2, resource.RLIM_INFINITY))
    try:
        store.backup(dest)
    except errors.NewsmarkError as exc:
        say(type(exc).__name__, str(exc))
    say("left", sorted(p.name for p in Path(dest).parent.iterdir()))


if __name__ == "__main__":
    modes = {"spans": write_spans, "import": import_articles, "migrate-crash": migrate_crash,
             "full": fill_disk, "backup-full": backup_disk_full}
    modes[sys.argv[1]](*sys.argv[2:])
