"""Helpers shared by the store's reliability tests (the second process is _writer.py)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlite_utils.migrations import Migrations

from app.project import create_project
from models import schema
from models.domain import ArticleRecord, SpanRecord

WRITER = Path(__file__).resolve().parent / "_writer.py"
ROOT = WRITER.parents[2]


def start(mode: str, *args: object) -> subprocess.Popen:
    """Run _writer.py MODE ARGS in a process of its own, stdout and stderr as text pipes."""
    return subprocess.Popen([sys.executable, str(WRITER), mode, *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crash_after(path: Path, sql: str) -> None:
    """Another program writes to the database and dies before checkpointing: rows in -wal."""
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('PRAGMA journal_mode = WAL'); c.executescript(sys.argv[2]); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(path), sql], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def names_in_schema(path: Path) -> set[str]:
    """Tables, indexes and triggers of a database file."""
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def first_migration_only() -> Migrations:
    only = Migrations(schema.MIGRATION_SET)
    only(name="0001_initial")(schema.initial)
    return only


def project_with_articles(path: Path, n: int = 300) -> None:
    with create_project(path) as store:
        store.insert_articles([ArticleRecord(text=f"article {i} " + "lorem ipsum " * 150,
                                             spans=[SpanRecord(0, 7, "PERSON")])
                               for i in range(n)], annotator="ann")
