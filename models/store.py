"""The one way into a project file.

    store = Store.create(path, schema=...)      # or Store.open(path)
    with store.step("add span", annotator="ada", article_id=a) as step:
        store.add_span(a, 0, 4, "ORG")
    # committed here, and only here; step.changes says what changed

Every write happens inside `transaction()` (BEGIN IMMEDIATE ... COMMIT). A user action is a
`step()`: one transaction that also appends each row it changes to the history log, from
which app/history.py undoes and redoes. Bulk writes (import) use `insert_articles`.
Rows never leave this module: callers get the dataclasses of models.domain.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from models import connection, errors
from models.domain import (ArticleId, ArticleRecord, AttributeDef, Label, Layer,
                           RelationRecord, Schema, SpanId, SpanRecord, State, Status, StepId)
from models.reading import Reader
from models.recording import Changes, Recorder, now
from models.schema import APPLICATION_ID, migrations as default_migrations

SPAN_COLUMNS = ("id", "article_id", "start", "end", "label", "state", "origin",
                "annotator_id", "created", "updated")
SPAN_HEAD = SPAN_COLUMNS[1:5]   # where a span is and what it is
SPAN_TAIL = SPAN_COLUMNS[5:]    # often one value for a whole import batch


class Store(Reader):
    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool) -> None:
        self.conn = conn
        self.db = Database(conn, execute_plugins=False)
        self.path = path
        self.readonly = readonly
        self._recorder: Recorder | None = None
        self._annotator_ids: dict[str, int] = {}

    # --- opening -------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, schema: Schema | None = None,
               migrations: Migrations = default_migrations) -> Store:
        path = Path(path)
        connection.check_new_path(path)
        conn = connection.connect(path, readonly=False)
        try:
            store = cls(conn, path, readonly=False)
            connection.enable_wal(conn, path)
            with store.transaction():
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                store._migrate(migrations)
                if schema is not None:
                    store._write_schema(schema)
        except BaseException:
            conn.close()
            connection.remove_new(path)  # a half-made project would block the retry
            raise
        return store

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, upgrade: bool = True,
             migrations: Migrations = default_migrations) -> Store:
        """Open an existing project, migrating it forward; never modifies a file it refuses.

        Opened to read, a project from an older Newsmark is upgraded first when its file is
        writable (so `stats` or `export` work on it), unless `upgrade=False`: then it is read
        as it is, for what needs no schema (a backup copies the file before any upgrade).
        """
        path = Path(path)
        connection.check_existing_file(path)
        known = len(migrations._migrations)
        version = connection.inspect(path, known_version=known)
        writable = connection.writable(path)
        if readonly and writable and upgrade and version < known:
            cls.open(path, migrations=migrations).close()    # upgrade once, then read
            version = known
        readonly = readonly or not writable
        conn = connection.connect(path, readonly=readonly)
        try:
            store = cls(conn, path, readonly=readonly)
            if not readonly:
                connection.enable_wal(conn, path)
            if version < known:
                if readonly and not upgrade:
                    return store
                if readonly:
                    raise errors.ReadOnlyProject(str(path))
                with store.transaction():
                    store._migrate(migrations)
        except BaseException:
            conn.close()
            raise
        return store

    def _migrate(self, migrations: Migrations) -> None:
        """Apply pending migrations inside the caller's transaction, with the version bump."""
        migrations.apply(self.db)
        version = len(migrations.applied(self.db))
        self.conn.execute(f"PRAGMA user_version = {version}")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT; nested calls join the outer transaction."""
        if self.conn.in_transaction:
            yield
            return
        if self.readonly:
            raise errors.ReadOnlyProject(str(self.path))
        with connection.translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self._forget_cached()
                raise

    def _forget_cached(self) -> None:
        """After a rollback, cached rows may name things that no longer exist."""
        self._annotator_ids.clear()
        self._schema = None

    @contextlib.contextmanager
    def step(self, action: str, *, annotator: str | None, article_id: ArticleId | None = None,
             kind: str = "do", target: StepId | None = None) -> Iterator[Changes]:
        """One user action: one transaction, every changed row appended to history."""
        if self._recorder is not None:
            raise RuntimeError("steps do not nest")
        with self.transaction():
            annotator_id = self.annotator_id(annotator)
            cur = self.conn.execute(
                "INSERT INTO steps (at, annotator_id, action, article_id, kind, target) "
                "VALUES (?, ?, ?, ?, ?, ?)", (now(), annotator_id, action, article_id, kind, target))
            changes = Changes(StepId(cur.lastrowid), article_id)
            self._recorder = Recorder(self.conn, changes)
            try:
                yield changes
                if kind == "do" and changes.rows:
                    self._push_undo(changes.step_id, annotator_id)
            finally:
                self._recorder = None

    def _push_undo(self, step_id: StepId, annotator_id: int | None) -> None:
        self.conn.execute("DELETE FROM undo_stack WHERE undone = 1 AND annotator_id IS ?",
                          (annotator_id,))
        self.conn.execute("INSERT INTO undo_stack (step_id, annotator_id, undone, moved) "
                          "VALUES (?, ?, 0, ?)", (step_id, annotator_id, step_id))

    @property
    def _rec(self) -> Recorder:
        if self._recorder is None:
            raise RuntimeError("a change must happen inside store.step()")
        return self._recorder

    def annotator_id(self, name: str | None) -> int | None:
        if not name:
            return None
        if name not in self._annotator_ids:
            row = self.conn.execute("SELECT id FROM annotators WHERE name = ?", (name,)).fetchone()
            if row is None:
                with self.transaction():
                    cur = self.conn.execute("INSERT INTO annotators (name, created) VALUES (?, ?)",
                                            (name, now()))
                    row = (cur.lastrowid,)
            self._annotator_ids[name] = row[0]
        return self._annotator_ids[name]

    # --- spans, relations, attributes ----------------------------------------------------

    def add_span(self, article_id: ArticleId, start: int, end: int, label: str, *,
                 state: State = State.ACCEPTED, origin: str = "manual") -> SpanId:
        length = self._text_length(article_id)
        if self.label(label) is None:
            raise errors.UnknownLabel(label)
        if not (0 <= start < end <= length):
            raise errors.InvalidSpan(f"span {start}-{end} is outside the text (0-{length}) "
                                     f"of article {article_id}")
        existing = self.conn.execute(
            'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? AND label = ?',
            (article_id, start, end, label)).fetchone()
        if existing is not None:
            self.update_span(SpanId(existing[0]), state=state, origin=origin)
            return SpanId(existing[0])
        stamp = now()
        return SpanId(self._rec.insert("spans", {
            "article_id": article_id, "start": start, "end": end, "label": label,
            "state": str(state), "origin": origin, "annotator_id": self._rec.annotator_id,
            "created": stamp, "updated": stamp}))

    def update_span(self, span_id: SpanId, *, label: str | None = None, state: State | None = None,
                    origin: str | None = None) -> None:
        values: dict[str, object] = {}
        if label is not None:
            if self.label(label) is None:
                raise errors.UnknownLabel(label)
            values["label"] = label
        if state is not None:
            values["state"] = str(state)
        if origin is not None:
            values["origin"] = origin
        values["annotator_id"] = self._rec.annotator_id
        values["updated"] = now()
        self._rec.update("spans", span_id, values)

    def remove_span(self, span_id: SpanId) -> None:
        """Remove a span with its relations and attributes, each recorded for undo."""
        for (rel_id,) in self.conn.execute(
                "SELECT id FROM relations WHERE head_id = ? OR child_id = ? ORDER BY id",
                (span_id, span_id)).fetchall():
            self._rec.delete("relations", rel_id)
        for (attr_id,) in self.conn.execute(
                "SELECT id FROM attributes WHERE span_id = ? ORDER BY id", (span_id,)).fetchall():
            self._rec.delete("attributes", attr_id)
        self._rec.delete("spans", span_id)

    def add_relation(self, head_id: SpanId, child_id: SpanId, label: str) -> int:
        if head_id == child_id:
            raise errors.InvalidSpan("a span cannot relate to itself")
        arts = {r[0] for r in self.conn.execute(
            "SELECT article_id FROM spans WHERE id IN (?, ?)", (head_id, child_id))}
        if len(arts) != 1:
            raise errors.InvalidSpan("both spans of a relation must exist in the same article")
        row = self.conn.execute("SELECT id FROM relations WHERE head_id = ? AND child_id = ? "
                                "AND label = ?", (head_id, child_id, label)).fetchone()
        if row:
            return row[0]
        return self._rec.insert("relations", {
            "head_id": head_id, "child_id": child_id, "label": label,
            "annotator_id": self._rec.annotator_id, "created": now()})

    def remove_relation(self, relation_id: int) -> None:
        self._rec.delete("relations", relation_id)

    def set_attribute(self, span_id: SpanId, name: str, value: str | None) -> None:
        """Set (or with None, clear) a claim attribute; choices are checked against the schema."""
        definition = next((d for d in self.schema().attributes if d.name == name), None)
        if definition is None:
            raise errors.SchemaError(f"claim attribute {name!r} is not in the project's schema")
        if value is not None and definition.kind == "choice" and value not in definition.values:
            raise errors.SchemaError(f"{value!r} is not a value of {name} "
                                     f"({', '.join(definition.values)})")
        row = self.conn.execute("SELECT id, value FROM attributes WHERE span_id = ? AND name = ?",
                                (span_id, name)).fetchone()
        if value is None:
            if row:
                self._rec.delete("attributes", row[0])
        elif row is None:
            self._rec.insert("attributes", {"span_id": span_id, "name": name, "value": value})
        elif row[1] != value:
            self._rec.update("attributes", row[0], {"value": value})

    def set_status(self, article_id: ArticleId, status: Status) -> None:
        self._rec.update("articles", article_id, {"status": str(status), "updated": now()})

    def set_setting(self, key: str, value: str) -> None:
        """Project-level state (where an annotator left off); not part of undo."""
        with self.transaction():
            self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- undo support: replaying recorded rows -----------------------------------------

    def replay(self, step_id: StepId, *, backwards: bool) -> None:
        """Undo (backwards) or redo a recorded step inside the current step."""
        rows = self.conn.execute("SELECT tbl, row_id, before, after FROM history "
                                 "WHERE step_id = ? ORDER BY id", (step_id,)).fetchall()
        if backwards:
            rows.reverse()
        for tbl, row_id, before, after in rows:
            old, new = (after, before) if backwards else (before, after)
            self._rec.restore(tbl, row_id,
                              expect=orjson.loads(old) if old else None,
                              target=orjson.loads(new) if new else None)

    def undo_candidate(self, annotator: str | None, *, undone: bool) -> StepId | None:
        """The step that undo (undone=False) or redo (undone=True) would replay next."""
        order = "moved" if undone else "step_id"
        row = self.conn.execute(
            f"SELECT step_id FROM undo_stack WHERE undone = ? AND annotator_id IS ? "
            f"ORDER BY {order} DESC LIMIT 1", (int(undone), self.annotator_id(annotator))).fetchone()
        return StepId(row[0]) if row else None

    def step_action(self, step_id: StepId) -> str:
        return self.conn.execute("SELECT action FROM steps WHERE id = ?", (step_id,)).fetchone()[0]

    def step_article(self, step_id: StepId) -> ArticleId | None:
        return self.conn.execute("SELECT article_id FROM steps WHERE id = ?", (step_id,)).fetchone()[0]

    def mark_undone(self, step_id: StepId, *, undone: bool, by_step: StepId) -> None:
        self.conn.execute("UPDATE undo_stack SET undone = ?, moved = ? WHERE step_id = ?",
                          (int(undone), by_step, step_id))

    # --- bulk import -------------------------------------------------------------------

    def insert_articles(self, records: list[ArticleRecord], *, annotator: str | None,
                        action: str = "import") -> tuple[int, int]:
        """Insert articles with their annotations in one transaction.

        Texts already in the project (same uid) are skipped. Returns (inserted, duplicates).
        Labels must exist already (app/ adds new ones first). The write lock is held from
        BEGIN IMMEDIATE, so the ids and duplicates looked up first stay true. Each table
        then gets one statement for the whole batch, its rows passed as one JSON array
        (`_bulk`): for spans that is 0.5 s of the bench import where an executemany of
        the same rows took 0.75 s.
        """
        with self.transaction():
            default_annotator = self.annotator_id(annotator)
            stamp = now()
            step = self.conn.execute(
                "INSERT INTO steps (at, annotator_id, action, kind) VALUES (?, ?, ?, 'bulk')",
                (stamp, default_annotator, action)).lastrowid
            fresh = self._fresh(records)
            if not fresh:
                return 0, len(records)
            first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
            ids = [ArticleId(first + n) for n in range(len(fresh))]
            self._bulk("articles", ("id", "uid", "title", "text", "source", "url", "author",
                                    "published", "meta", "status", "created", "updated"),
                       [(i, uid, r.title, r.text, r.source, r.url, r.author, r.published,
                         orjson.dumps(r.meta).decode(), str(r.status), r.created or stamp,
                         r.updated or stamp) for i, (uid, r) in zip(ids, fresh)])
            # The only place articles are inserted, so the search index is filled here,
            # from the rows just written: their texts are not bound a second time.
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) "
                "SELECT id, title, text FROM articles WHERE id BETWEEN ? AND ?", (ids[0], ids[-1]))
            self.conn.execute(
                "INSERT INTO history (step_id, tbl, row_id, before, after) "
                "SELECT ?, 'articles', value ->> 0, NULL, "
                "json_object('uid', value ->> 1, 'spans', value ->> 2) FROM json_each(?)",
                (step, orjson.dumps([(i, uid, len(r.spans)) for i, (uid, r) in zip(ids, fresh)])))
            self._insert_annotations(list(zip(ids, (r for _, r in fresh))),
                                     default_annotator, stamp)
        return len(fresh), len(records) - len(fresh)

    def _bulk(self, table: str, columns: tuple[str, ...], rows: list[tuple], *,
              shared: dict[str, object] | None = None, verb: str = "INSERT") -> None:
        """Insert `rows` with one statement: a JSON array of arrays, read by json_each.

        JSON keeps every value's type: integers, text and null arrive as they would bound.
        `shared` columns have one value for every row: bound once, not read per row.
        SQLite's JSON functions end a string at an escaped NUL, so rows holding one go in
        with executemany instead.
        """
        shared = shared or {}
        names = ", ".join(f'"{c}"' for c in (*columns, *shared))
        payload = orjson.dumps(rows)
        if b"\\u0000" in payload:
            marks = ", ".join("?" * (len(columns) + len(shared)))
            tail = tuple(shared.values())
            self.conn.executemany(f"{verb} INTO {table} ({names}) VALUES ({marks})",
                                  [(*row, *tail) for row in rows])
            return
        values = ", ".join([f"value ->> {n}" for n in range(len(columns))] + ["?"] * len(shared))
        self.conn.execute(f"{verb} INTO {table} ({names}) SELECT {values} FROM json_each(?)",
                          (*shared.values(), payload))

    def _fresh(self, records: list[ArticleRecord]) -> list[tuple[str, ArticleRecord]]:
        """(uid, record) of the records whose text is neither in the project nor earlier
        in the batch, in order."""
        uids = [r.uid for r in records]
        known: set[str] = set()
        for n in range(0, len(uids), 500):
            chunk = uids[n:n + 500]
            known.update(row[0] for row in self.conn.execute(
                f"SELECT uid FROM articles WHERE uid IN ({', '.join('?' * len(chunk))})", chunk))
        fresh = []
        for uid, rec in zip(uids, records):
            if uid not in known:
                known.add(uid)
                fresh.append((uid, rec))
        return fresh

    def _insert_annotations(self, articles: list[tuple[ArticleId, ArticleRecord]],
                            default_annotator: int | None, stamp: str) -> None:
        plain = [(i, r) for i, r in articles
                 if not r.relations and not any(s.attributes for s in r.spans)]
        self._insert_plain([(i, s) for i, r in plain for s in r.spans], default_annotator, stamp)
        for article_id, rec in articles:
            if rec.relations or any(s.attributes for s in rec.spans):
                self._insert_linked(article_id, rec, default_annotator, stamp)

    def _insert_plain(self, spans: list[tuple[ArticleId, SpanRecord]],
                      default_annotator: int | None, stamp: str) -> None:
        """Spans nothing refers to by id: one statement for all of them."""
        if not spans:
            return
        kinds = {(s.state, s.origin, s.annotator, s.created, s.updated) for _, s in spans}
        if len(kinds) == 1:     # an import of one tool's records: one state, origin, time
            shared = dict(zip(SPAN_TAIL, self._span_tail(spans[0][1], default_annotator, stamp)))
            self._bulk("spans", SPAN_HEAD, [(i, s.start, s.end, s.label) for i, s in spans],
                       shared=shared, verb="INSERT OR IGNORE")
        else:
            self._bulk("spans", (*SPAN_HEAD, *SPAN_TAIL),
                       [(i, s.start, s.end, s.label, *self._span_tail(s, default_annotator, stamp))
                        for i, s in spans], verb="INSERT OR IGNORE")

    def _span_tail(self, s: SpanRecord, default_annotator: int | None, stamp: str) -> tuple:
        """The SPAN_TAIL values of a span going in, with the batch's defaults filled in."""
        return (str(s.state), s.origin,
                self.annotator_id(s.annotator) if s.annotator else default_annotator,
                s.created or stamp, s.updated or s.created or stamp)

    def _insert_linked(self, article_id: ArticleId, rec: ArticleRecord,
                       default_annotator: int | None, stamp: str) -> None:
        """Spans one by one (relations and attributes need their ids), then the rest."""
        span_ids: list[int] = []
        for s in rec.spans:
            cur = self.conn.execute(
                'INSERT OR IGNORE INTO spans (article_id, start, "end", label, state, origin, '
                "annotator_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, s.start, s.end, s.label, *self._span_tail(s, default_annotator, stamp)))
            span_id = cur.lastrowid if cur.rowcount else self.conn.execute(
                'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? AND label = ?',
                (article_id, s.start, s.end, s.label)).fetchone()[0]
            span_ids.append(span_id)
            if s.attributes:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO attributes (span_id, name, value) VALUES (?, ?, ?)",
                    [(span_id, k, v) for k, v in s.attributes.items()])
        if rec.relations:
            self.conn.executemany(
                "INSERT OR IGNORE INTO relations (head_id, child_id, label, annotator_id, created) "
                "VALUES (?, ?, ?, ?, ?)",
                [(span_ids[r.head], span_ids[r.child], r.label,
                  self.annotator_id(r.annotator) if r.annotator else default_annotator,
                  r.created or stamp) for r in rec.relations])

    def add_suggestions(self, items: Iterable[tuple[ArticleId, list[SpanRecord], list[RelationRecord]]],
                        *, origin: str) -> tuple[int, int]:
        """Store suggested spans in one transaction; returns (added, already there).

        A span with the same article, offsets and label as any existing one (accepted,
        rejected or suggested) is left as it is: suggestions never overwrite a decision,
        and a rejected suggestion is not suggested again. Relations and attributes are
        stored only for spans this call added.
        """
        added = existing = 0
        with self.transaction():
            stamp = now()
            step = self.conn.execute(
                "INSERT INTO steps (at, annotator_id, action, kind) VALUES (?, NULL, ?, 'bulk')",
                (stamp, f"suggest {origin}")).lastrowid
            for article_id, spans, relations in items:
                if not relations and not any(s.attributes for s in spans):
                    before = self.conn.total_changes       # plain spans: one executemany
                    self.conn.executemany(
                        'INSERT OR IGNORE INTO spans (article_id, start, "end", label, state, '
                        "origin, annotator_id, created, updated) "
                        "VALUES (?, ?, ?, ?, 'suggested', ?, NULL, ?, ?)",
                        [(article_id, s.start, s.end, s.label, origin, stamp, stamp) for s in spans])
                    count = self.conn.total_changes - before
                    added, existing = added + count, existing + len(spans) - count
                    continue
                ids, new = [], set()
                for s in spans:
                    cur = self.conn.execute(
                        'INSERT OR IGNORE INTO spans (article_id, start, "end", label, state, origin, '
                        "annotator_id, created, updated) VALUES (?, ?, ?, ?, 'suggested', ?, NULL, ?, ?)",
                        (article_id, s.start, s.end, s.label, origin, stamp, stamp))
                    if cur.rowcount:
                        ids.append(cur.lastrowid)
                        new.add(cur.lastrowid)
                        if s.attributes:
                            self.conn.executemany(
                                "INSERT OR IGNORE INTO attributes (span_id, name, value) VALUES (?, ?, ?)",
                                [(cur.lastrowid, k, v) for k, v in s.attributes.items()])
                    else:
                        ids.append(self.conn.execute(
                            'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? '
                            "AND label = ? AND state != 'rejected'",
                            (article_id, s.start, s.end, s.label)).fetchone())
                        ids[-1] = ids[-1][0] if ids[-1] else None
                added += len(new)
                existing += len(spans) - len(new)
                links = [(ids[r.head], ids[r.child], r.label, stamp) for r in relations
                         if ids[r.head] in new and ids[r.child] is not None]
                self.conn.executemany(
                    "INSERT OR IGNORE INTO relations (head_id, child_id, label, annotator_id, created) "
                    "VALUES (?, ?, ?, NULL, ?)", links)
            self.conn.execute("INSERT INTO history (step_id, tbl, row_id, before, after) "
                              "VALUES (?, 'spans', 0, NULL, ?)",
                              (step, orjson.dumps({"suggested": added, "origin": origin}).decode()))
        return added, existing

    # --- schema ------------------------------------------------------------------------

    def _write_schema(self, schema: Schema) -> None:
        for label in schema.labels:
            self.save_label(label)
        for definition in schema.attributes:
            self.save_attribute_def(definition)

    def save_label(self, label: Label) -> None:
        """Add a label, or change an existing one's layer, colour, hotkey or description."""
        with self.transaction():
            position = self.conn.execute(
                "SELECT coalesce((SELECT position FROM labels WHERE name = ?), "
                "(SELECT coalesce(max(position), -1) + 1 FROM labels))", (label.name,)).fetchone()[0]
            self.conn.execute(
                "INSERT INTO labels (name, layer, colour, hotkey, description, position) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET layer = excluded.layer, "
                "colour = excluded.colour, hotkey = excluded.hotkey, "
                "description = excluded.description",
                (label.name, str(label.layer), label.colour, label.hotkey, label.description,
                 position))
            self._schema = None

    def remove_label(self, name: str) -> None:
        with self.transaction():
            used = self.conn.execute("SELECT count(*) FROM spans WHERE label = ?", (name,)).fetchone()[0]
            if used:
                raise errors.SchemaError(f"label {name!r} is used by {used} span(s); "
                                         "relabel or remove them first")
            if self.conn.execute("DELETE FROM labels WHERE name = ?", (name,)).rowcount == 0:
                raise errors.UnknownLabel(name)
            self._schema = None

    def save_attribute_def(self, definition: AttributeDef) -> None:
        with self.transaction():
            position = self.conn.execute(
                "SELECT coalesce((SELECT position FROM attribute_defs WHERE name = ?), "
                "(SELECT coalesce(max(position), -1) + 1 FROM attribute_defs))",
                (definition.name,)).fetchone()[0]
            self.conn.execute(
                "INSERT INTO attribute_defs (name, kind, choices, default_value, description, "
                "position) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "kind = excluded.kind, choices = excluded.choices, "
                "default_value = excluded.default_value, description = excluded.description",
                (definition.name, definition.kind, orjson.dumps(list(definition.values)).decode(),
                 definition.default, definition.description, position))
            self._schema = None

    def ensure_labels(self, names_layers: dict[str, Layer], *, colours: list[str]) -> list[str]:
        """Add the labels that are missing; returns the names added."""
        added = []
        with self.transaction():
            for name, layer in names_layers.items():
                if self.label(name) is None:
                    colour = colours[len(self.schema().labels) % len(colours)]
                    self.save_label(Label(name, layer, colour))
                    added.append(name)
        return added

    # --- maintenance -------------------------------------------------------------------

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy through SQLite's backup API, safe while others write."""
        dest = Path(dest)
        connection.check_new_path(dest)
        try:
            with connection.translated(dest):
                target = sqlite3.connect(dest)
                try:
                    self.conn.backup(target)
                finally:
                    target.close()
        except BaseException:
            connection.remove_new(dest)  # a half-written backup would block the retry
            raise
        return dest
