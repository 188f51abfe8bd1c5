"""The project file's schema, as forward migrations.

Each migration runs inside the single BEGIN IMMEDIATE transaction that `Store` opens for
migrating, together with its record in `_sqlite_migrations` and the `PRAGMA user_version`
bump, so a process killed midway leaves the previous version intact.
Never edit a released migration: add a new one.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APPLICATION_ID = 0x4E4D4B31  # "NMK1": marks a file as a Newsmark project
MIGRATION_SET = "newsmark"

migrations = Migrations(MIGRATION_SET)


def _run(db: Database, sql: str) -> None:
    db.executescript(sql)  # split into statements inside the open transaction


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    _run(db, """
    CREATE TABLE annotators (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
        created TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        source TEXT, url TEXT, author TEXT, published TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'in_progress', 'done', 'skipped')),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX articles_status ON articles(status);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TABLE labels (
        name TEXT PRIMARY KEY CHECK (length(name) > 0),
        layer TEXT NOT NULL CHECK (layer IN ('entity', 'claim', 'cue')),
        colour TEXT NOT NULL,
        hotkey TEXT,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE TABLE attribute_defs (
        name TEXT PRIMARY KEY CHECK (length(name) > 0),
        kind TEXT NOT NULL CHECK (kind IN ('choice', 'text')),
        choices TEXT NOT NULL DEFAULT '[]',
        default_value TEXT,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('accepted', 'suggested', 'rejected')),
        origin TEXT NOT NULL,
        annotator_id INTEGER REFERENCES annotators(id),
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        CHECK (start >= 0 AND "end" > start),
        UNIQUE (article_id, start, "end", label)
    );
    CREATE INDEX spans_label ON spans(label);
    CREATE TABLE relations (
        id INTEGER PRIMARY KEY,
        head_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
        child_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
        label TEXT NOT NULL CHECK (length(label) > 0),
        annotator_id INTEGER REFERENCES annotators(id),
        created TEXT NOT NULL,
        UNIQUE (head_id, child_id, label)
    );
    CREATE INDEX relations_child ON relations(child_id);
    CREATE TABLE attributes (
        id INTEGER PRIMARY KEY,
        span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
        name TEXT NOT NULL REFERENCES attribute_defs(name) ON UPDATE CASCADE,
        value TEXT NOT NULL,
        UNIQUE (span_id, name)
    );
    CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        annotator_id INTEGER REFERENCES annotators(id),
        action TEXT NOT NULL,
        article_id INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('do', 'undo', 'redo', 'bulk')),
        target INTEGER REFERENCES steps(id)
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        step_id INTEGER NOT NULL REFERENCES steps(id),
        tbl TEXT NOT NULL,
        row_id INTEGER NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX history_step ON history(step_id);
    CREATE TABLE undo_stack (
        step_id INTEGER PRIMARY KEY REFERENCES steps(id),
        annotator_id INTEGER REFERENCES annotators(id),
        undone INTEGER NOT NULL DEFAULT 0,
        moved INTEGER NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """)
    # Prevent history rows from being changed: the log is append-only.
    _run(db, """
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    """)


@migrations(name="0002_spans_by_annotator")
def spans_by_annotator(db: Database) -> None:
    """Exports and stats filter spans by annotator: index them so."""
    _run(db, "CREATE INDEX spans_annotator ON spans(annotator_id);")


@migrations(name="0003_training_runs")
def training_runs(db: Database) -> None:
    """Every model trained from the project, with its scores and learning curve (JSON)."""
    _run(db, """
    CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL CHECK (status IN ('finished', 'cancelled', 'failed')),
        output_dir TEXT NOT NULL,
        articles INTEGER NOT NULL,
        config TEXT NOT NULL DEFAULT '{}',
        best_scores TEXT,
        per_label TEXT NOT NULL DEFAULT '{}',
        epochs TEXT NOT NULL DEFAULT '[]'
    );
    """)


@migrations(name="0004_fts_filled_by_store")
def fts_filled_by_store(db: Database) -> None:
    """Imports fill the search index with one executemany per batch (Store.insert_articles).

    The per-row AFTER INSERT trigger cost 0.9 s of a 10,000-article import (FTS5 flushes
    its pending terms at every trigger sub-statement); updates and deletes keep theirs.
    """
    _run(db, "DROP TRIGGER articles_ai;")


@migrations(name="0005_fts_hash_size")
def fts_hash_size(db: Database) -> None:
    """Let the search index gather 16 MiB of terms in memory before writing a segment.

    At FTS5's default of 1 MiB a 2,000-article import batch wrote 8 segments, merged later;
    now it writes one at its commit: 0.07 s less for the 10,000-article bench import. The
    setting lives in the index's own config table, so it holds for every connection.
    """
    _run(db, "INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 16777216);")


SCHEMA_VERSION = len(migrations._migrations)
