"""Row-level change recording: what a step changed, appended to the history log.

Each recorded write stores the row before and after. Undo replays a step's rows backwards
and redo forwards, after checking that each row is still as the step left it.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

import orjson

from models import errors
from models.domain import ArticleId, StepId

# Columns whose values a step may change; articles record only their mutable state.
TRACKED = {
    "spans": ("id", "article_id", "start", "end", "label", "state", "origin", "annotator_id",
              "created", "updated"),
    "relations": ("id", "head_id", "child_id", "label", "annotator_id", "created"),
    "attributes": ("id", "span_id", "name", "value"),
    "articles": ("id", "status", "updated"),
}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Changes:
    """What one step changed (Anki's OpChanges): panels redraw only this."""
    step_id: StepId
    article_id: ArticleId | None
    rows: dict[str, set[int]] = field(default_factory=dict)

    def touched(self, table: str) -> set[int]:
        return self.rows.get(table, set())


class Recorder:
    def __init__(self, conn: sqlite3.Connection, changes: Changes) -> None:
        self.conn = conn
        self.changes = changes
        row = conn.execute("SELECT annotator_id FROM steps WHERE id = ?",
                           (changes.step_id,)).fetchone()
        self.annotator_id: int | None = row[0]

    def _row(self, tbl: str, row_id: int) -> dict | None:
        cols = TRACKED[tbl]
        quoted = ", ".join(f'"{c}"' for c in cols)
        row = self.conn.execute(f"SELECT {quoted} FROM {tbl} WHERE id = ?", (row_id,)).fetchone()
        return dict(zip(cols, row)) if row else None

    def _log(self, tbl: str, row_id: int, before: dict | None, after: dict | None) -> None:
        self.conn.execute(
            "INSERT INTO history (step_id, tbl, row_id, before, after) VALUES (?, ?, ?, ?, ?)",
            (self.changes.step_id, tbl, row_id,
             orjson.dumps(before).decode() if before is not None else None,
             orjson.dumps(after).decode() if after is not None else None))
        self.changes.rows.setdefault(tbl, set()).add(row_id)

    def insert(self, tbl: str, values: dict) -> int:
        cols = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {tbl} ({cols}) VALUES ({marks})", tuple(values.values()))
        row_id = cur.lastrowid
        self._log(tbl, row_id, None, self._row(tbl, row_id))
        return row_id

    def update(self, tbl: str, row_id: int, values: dict) -> None:
        before = self._row(tbl, row_id)
        if before is None:
            raise errors.InvalidSpan(f"{tbl[:-1]} {row_id} does not exist (deleted meanwhile?)")
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.conn.execute(f"UPDATE {tbl} SET {sets} WHERE id = ?", (*values.values(), row_id))
        self._log(tbl, row_id, before, self._row(tbl, row_id))

    def delete(self, tbl: str, row_id: int) -> None:
        before = self._row(tbl, row_id)
        if before is None:
            raise errors.InvalidSpan(f"{tbl[:-1]} {row_id} does not exist (deleted meanwhile?)")
        self.conn.execute(f"DELETE FROM {tbl} WHERE id = ?", (row_id,))
        self._log(tbl, row_id, before, None)

    def restore(self, tbl: str, row_id: int, *, expect: dict | None, target: dict | None) -> None:
        """Bring a row from `expect` to `target` (None = absent), refusing if it moved on."""
        current = self._row(tbl, row_id)
        if current != expect:
            raise errors.UndoConflict(
                f"undo/redo: {tbl[:-1]} {row_id} was changed since by another action")
        if target is None:
            self.conn.execute(f"DELETE FROM {tbl} WHERE id = ?", (row_id,))
        elif current is None:
            cols = ", ".join(f'"{c}"' for c in target)
            marks = ", ".join("?" for _ in target)
            self.conn.execute(f"INSERT INTO {tbl} ({cols}) VALUES ({marks})", tuple(target.values()))
        else:
            sets = ", ".join(f'"{c}" = ?' for c in target if c != "id")
            vals = tuple(v for c, v in target.items() if c != "id")
            self.conn.execute(f"UPDATE {tbl} SET {sets} WHERE id = ?", (*vals, row_id))
        self._log(tbl, row_id, current, self._row(tbl, row_id))
