"""Read queries of the store. They return domain dataclasses, never rows."""
from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import orjson

from models import errors
from models.domain import (Annotation, Article, ArticleId, ArticleSummary, AttributeDef, Label, Layer, Relation,
                           Schema, Span, SpanId, State, Status, text_uid)

ARTICLE_COLUMNS = ("id, uid, title, text, source, url, author, published, meta, status, "
                   "created, updated")
EXPORT_COLUMNS = "id, uid, title, text, source, url, author, published"
SPAN_SELECT = ('SELECT id, article_id, start, "end", label, state, origin, annotator_id, '
               "created, updated FROM spans")


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, the last a prefix."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _span_filter(states: Iterable[State], annotator: str | None) -> tuple[str, list[str]]:
    """The SQL condition (and its parameters) keeping spans of these states and annotator."""
    wanted = [str(State(s)) for s in states]
    where = f" AND state IN ({', '.join('?' * len(wanted))})"
    if annotator is not None:
        where += " AND annotator_id IN (SELECT id FROM annotators WHERE name = ?)"
        wanted.append(annotator)
    return where, wanted


class Reader:
    conn: sqlite3.Connection
    path: Path
    _schema: Schema | None = None

    # --- schema ------------------------------------------------------------------------

    def schema(self) -> Schema:
        """The label schema, cached until this or another connection changes the file."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != getattr(self, "_schema_data_version", None):
            self._schema = None
            self._schema_data_version = version
        if self._schema is None:
            labels = tuple(Label(n, Layer(l), c, h, d) for n, l, c, h, d in self.conn.execute(
                "SELECT name, layer, colour, hotkey, description FROM labels ORDER BY position"))
            attrs = tuple(AttributeDef(n, k, tuple(orjson.loads(c)), dv, d)
                          for n, k, c, dv, d in self.conn.execute(
                              "SELECT name, kind, choices, default_value, description "
                              "FROM attribute_defs ORDER BY position"))
            self._schema = Schema(labels, attrs)
        return self._schema

    def label(self, name: str) -> Label | None:
        return self.schema().label(name)

    def _layers(self) -> dict[str, Layer]:
        return {lab.name: lab.layer for lab in self.schema().labels}

    def _annotator_names(self) -> dict[int, str]:
        return dict(self.conn.execute("SELECT id, name FROM annotators"))

    # --- articles ------------------------------------------------------------------------

    @staticmethod
    def _article(row: tuple) -> Article:
        (id_, uid, title, text, source, url, author, published, meta, status,
         created, updated) = row
        return Article(ArticleId(id_), uid, title, text, source, url, author, published,
                       orjson.loads(meta), Status(status), created, updated)

    def article(self, article_id: ArticleId) -> Article:
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        if row is None:
            raise errors.InvalidSpan(f"article {article_id} does not exist")
        return self._article(row)

    def article_by_uid(self, uid: str) -> Article | None:
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid = ?",
                                (uid,)).fetchone()
        return self._article(row) if row else None

    def texts(self, article_ids: list[ArticleId]) -> list[tuple[ArticleId, str]]:
        """(id, text) of the given articles, in the order given (missing ones left out)."""
        if not article_ids:
            return []
        marks = ", ".join("?" * len(article_ids))
        found = dict(self.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})",
                                       article_ids))
        return [(i, found[i]) for i in article_ids if i in found]

    def _text_length(self, article_id: ArticleId) -> int:
        row = self.conn.execute("SELECT length(text) FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        if row is None:
            raise errors.InvalidSpan(f"article {article_id} does not exist")
        return row[0]

    def article_ids(self, *, status: Iterable[Status] | None = None, search: str | None = None,
                    label: str | None = None, annotator: str | None = None) -> list[ArticleId]:
        """Ids of the articles that pass every filter given, in id order."""
        where, params = [], []
        if label:
            where.append("id IN (SELECT article_id FROM spans WHERE label = ? "
                         "AND state != 'rejected')")
            params.append(label)
        if annotator:
            where.append("id IN (SELECT s.article_id FROM spans s JOIN annotators a "
                         "ON a.id = s.annotator_id WHERE a.name = ?)")
            params.append(annotator)
        if status:
            statuses = [str(s) for s in status]
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += statuses
        if search and fts_query(search):
            where.append("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(search))
        sql = "SELECT id FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
        return [ArticleId(r[0]) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def article_summaries(self, ids: list[ArticleId]) -> list[ArticleSummary]:
        """Title, status, counts of accepted entities and claims, and open suggestions."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(f"""
            SELECT a.id, a.title, a.status, a.updated,
              (SELECT count(*) FROM spans s JOIN labels l ON l.name = s.label
               WHERE s.article_id = a.id AND s.state = 'accepted' AND l.layer = 'entity'),
              (SELECT count(*) FROM spans s JOIN labels l ON l.name = s.label
               WHERE s.article_id = a.id AND s.state = 'accepted' AND l.layer = 'claim'),
              (SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.state = 'suggested')
            FROM articles a WHERE a.id IN ({marks})""", ids).fetchall()
        by_id = {r[0]: ArticleSummary(ArticleId(r[0]), r[1], Status(r[2]), r[4], r[5], r[6], r[3])
                 for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def status_counts(self) -> dict[Status, int]:
        counts = {s: 0 for s in Status}
        for status, n in self.conn.execute("SELECT status, count(*) FROM articles GROUP BY status"):
            counts[Status(status)] = n
        return counts

    def annotators(self) -> list[str]:
        """Names of everyone who has worked in the project, alphabetically."""
        return [r[0] for r in self.conn.execute("SELECT name FROM annotators ORDER BY name")]

    def labelled_surfaces(self, layers: Iterable[Layer] = (Layer.ENTITY,)
                          ) -> list[tuple[str, str, int]]:
        """(text, label, how often) of every accepted span in these layers, by text then
        count descending: what "label all occurrences" offers across the corpus."""
        names = [str(layer) for layer in layers]
        rows = self.conn.execute(f"""
            SELECT substr(a.text, s.start + 1, s."end" - s.start) AS surface, s.label, count(*)
            FROM spans s JOIN articles a ON a.id = s.article_id JOIN labels l ON l.name = s.label
            WHERE s.state = 'accepted' AND l.layer IN ({', '.join('?' * len(names))})
            GROUP BY surface, s.label ORDER BY surface, count(*) DESC, s.label""", names)
        return [(surface, label, count) for surface, label, count in rows]

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    # --- annotations -------------------------------------------------------------------

    def _spans(self, rows: Iterable[tuple]) -> list[Span]:
        layers, names = self._layers(), self._annotator_names()
        return [Span(SpanId(i), ArticleId(a), s, e, lab, layers[lab], State(st), o,
                     names.get(who), c, u) for i, a, s, e, lab, st, o, who, c, u in rows]

    def spans(self, article_id: ArticleId, *, states: Iterable[State] | None = None) -> list[Span]:
        spans = self._spans(self.conn.execute(
            SPAN_SELECT + ' WHERE article_id = ? ORDER BY start, "end" DESC, id', (article_id,)))
        wanted = set(states) if states is not None else None
        return [s for s in spans if wanted is None or s.state in wanted]

    def span(self, span_id: SpanId) -> Span | None:
        found = self._spans(self.conn.execute(SPAN_SELECT + " WHERE id = ?", (span_id,)))
        return found[0] if found else None

    def relations_of(self, span_id: SpanId) -> list[Relation]:
        """Relations in which the span is the head (a claim's claimant, cue, hedges)."""
        names = self._annotator_names()
        rows = self.conn.execute("SELECT id, head_id, child_id, label, annotator_id, created "
                                 "FROM relations WHERE head_id = ? ORDER BY id", (span_id,))
        return [Relation(i, SpanId(h), SpanId(c), lab, names.get(w), cr)
                for i, h, c, lab, w, cr in rows]

    def annotation(self, article_id: ArticleId) -> Annotation:
        return next(self.iter_annotations(article_ids=[article_id]))

    def iter_annotations(self, *, status: Iterable[Status] | None = None,
                         annotator: str | None = None,
                         states: Iterable[State] = tuple(State),
                         article_ids: Iterable[ArticleId] | None = None,
                         batch: int = 500) -> Iterator[Annotation]:
        """Stream articles with their annotations, in id order, in bounded memory.

        With `annotator`, only that annotator's spans are kept and articles where they
        made none are left out.
        """
        wanted_states = {State(s) for s in states}
        statuses = [str(s) for s in status] if status else None
        who = annotator
        ids = list(article_ids) if article_ids is not None else None
        last = -1
        while True:
            chunk = self._article_chunk(last, batch, statuses, ids)
            if not chunk:
                return
            last = chunk[-1].id
            yield from self._annotate(chunk, wanted_states, who)

    def _article_chunk(self, after: int, batch: int, statuses: list[str] | None,
                       ids: list[ArticleId] | None) -> list[Article]:
        return [self._article(r) for r in self._article_rows(after, batch, statuses, ids,
                                                             ARTICLE_COLUMNS)]

    def _article_rows(self, after: int, batch: int, statuses: list[str] | None,
                      ids: list[ArticleId] | None, columns: str) -> list[tuple]:
        """Up to `batch` rows of `columns` (id first) of the articles after id `after`."""
        where, params = ["id > ?"], [after]
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += statuses
        if ids is not None:
            chosen = sorted(i for i in ids if i > after)[:batch]
            if not chosen:
                return []
            where.append(f"id IN ({', '.join('?' * len(chosen))})")
            params += chosen
        return self.conn.execute(f"SELECT {columns} FROM articles WHERE "
                                 f"{' AND '.join(where)} ORDER BY id LIMIT ?",
                                 (*params, batch)).fetchall()

    def _annotate(self, chunk: list[Article], states: set[State],
                  who: str | None) -> Iterator[Annotation]:
        lo, hi = chunk[0].id, chunk[-1].id
        span_rows = self.conn.execute(
            SPAN_SELECT + ' WHERE article_id BETWEEN ? AND ? ORDER BY article_id, start, "end" DESC, id',
            (lo, hi))
        spans = [s for s in self._spans(span_rows)
                 if s.state in states and (who is None or s.annotator == who)]
        by_article = {a: tuple(g) for a, g in groupby(spans, key=lambda s: s.article_id)}
        article_of = {s.id: s.article_id for s in spans}
        relations: dict[ArticleId, list[Relation]] = {}
        for r in self._relations_between(lo, hi, set(article_of)):
            relations.setdefault(article_of[r.head_id], []).append(r)
        attributes = self._attributes_between(lo, hi, set(article_of))
        for article in chunk:
            mine = by_article.get(article.id, ())
            if who is not None and not mine:
                continue
            yield Annotation(article, mine, tuple(relations.get(article.id, ())),
                             {s.id: attributes[s.id] for s in mine if s.id in attributes})

    def _relations_between(self, lo: int, hi: int, kept: set[SpanId]) -> list[Relation]:
        names = self._annotator_names()
        rows = self.conn.execute(
            "SELECT r.id, r.head_id, r.child_id, r.label, r.annotator_id, r.created "
            "FROM relations r JOIN spans s ON s.id = r.head_id "
            "WHERE s.article_id BETWEEN ? AND ? ORDER BY r.id", (lo, hi))
        return [Relation(i, SpanId(h), SpanId(c), lab, names.get(w), cr)
                for i, h, c, lab, w, cr in rows if h in kept and c in kept]

    def _attributes_between(self, lo: int, hi: int, kept: set[SpanId]) -> dict[SpanId, dict[str, str]]:
        out: dict[SpanId, dict[str, str]] = {}
        rows = self.conn.execute(
            "SELECT t.span_id, t.name, t.value FROM attributes t JOIN spans s ON s.id = t.span_id "
            "JOIN attribute_defs d ON d.name = t.name "
            "WHERE s.article_id BETWEEN ? AND ? ORDER BY t.span_id, d.position", (lo, hi))
        for span_id, name, value in rows:
            if span_id in kept:
                out.setdefault(SpanId(span_id), {})[name] = value
        return out

    def iter_annotation_dicts(self, *, status: Iterable[Status] | None = None,
                              annotator: str | None = None,
                              states: Iterable[State] = tuple(State),
                              article_ids: Iterable[ArticleId] | None = None,
                              batch: int = 500) -> Iterator[dict]:
        """iter_annotations (same filters, same order) as plain JSON-ready dicts, for bulk export.

        Keys: uid, title, text, source, url, author, published, meta, status, created, updated,
        spans [{id (its index), start, end, label, layer, state, origin, annotator, created,
        updated, attributes}], relations [{head, child (span indexes), label, annotator,
        created}]. It skips the dataclasses, which cost more than the rest of an export.
        """
        where, wanted = _span_filter(states, annotator)
        statuses = [str(s) for s in status] if status else None
        ids = list(article_ids) if article_ids is not None else None
        layers = {lab.name: str(lab.layer) for lab in self.schema().labels}
        last = -1
        while chunk := self._article_chunk(last, batch, statuses, ids):
            last = chunk[-1].id
            yield from self._annotation_dicts(chunk, where, wanted, annotator is not None, layers)

    def _annotation_dicts(self, chunk: list[Article], where: str, params: list[str],
                          only_annotated: bool, layers: dict[str, str]) -> Iterator[dict]:
        lo, hi = chunk[0].id, chunk[-1].id
        names = self._annotator_names()
        rows = self.conn.execute(SPAN_SELECT + " WHERE article_id BETWEEN ? AND ?" + where +
                                 ' ORDER BY article_id, start, "end" DESC, id',
                                 (lo, hi, *params)).fetchall()
        kept = {r[0] for r in rows}
        attributes = self._attributes_between(lo, hi, kept)
        spans = {article_id: [
            {"id": k, "start": start, "end": end, "label": label, "layer": layers[label],
             "state": state, "origin": origin, "annotator": names.get(who), "created": created,
             "updated": updated, "attributes": attributes.get(span_id, {})}
            for k, (span_id, _, start, end, label, state, origin, who, created, updated)
            in enumerate(group)] for article_id, group in groupby(rows, key=itemgetter(1))}
        relations: dict[int, list[dict]] = {}
        found = self._relations_between(lo, hi, kept)
        if found:
            ends = {i for r in found for i in (r.head_id, r.child_id)}
            row_of = {r[0]: n for n, r in enumerate(rows) if r[0] in ends}
            articles = [r[1] for r in rows]
            place = {i: (rows[n][1], n - bisect_left(articles, rows[n][1]))  # (article, index)
                     for i, n in row_of.items()}
            for r in found:
                article_id, head = place[r.head_id]
                relations.setdefault(article_id, []).append(
                    {"head": head, "child": place[r.child_id][1], "label": r.label,
                     "annotator": r.annotator, "created": r.created})
        for a in chunk:
            if only_annotated and a.id not in spans:
                continue
            yield {"uid": a.uid, "title": a.title, "text": a.text, "source": a.source,
                   "url": a.url, "author": a.author, "published": a.published, "meta": a.meta,
                   "status": str(a.status), "created": a.created, "updated": a.updated,
                   "spans": spans.get(a.id, []), "relations": relations.get(a.id, [])}

    def iter_span_rows(self, *, status: Iterable[Status] | None = None,
                       annotator: str | None = None, states: Iterable[State] = tuple(State),
                       article_ids: Iterable[ArticleId] | None = None, relations: bool = True,
                       batch: int = 500) -> Iterator[tuple[tuple, list[tuple], list[tuple]]]:
        """iter_annotations (same filters, same order) as plain rows, for bulk export: the
        dataclasses cost an export that tokenizes in worker processes a third of its time.

        Yields (article, spans, relations): article (id, uid, title, text, source, url,
        author, published); spans [(id, start, end, label, state)] by start, end descending,
        id; relations [(head_id, child_id, label)] between those spans, by id (with
        relations=False, always empty). No metadata, attributes, annotators or times.
        """
        where, wanted = _span_filter(states, annotator)
        statuses = [str(s) for s in status] if status else None
        ids = list(article_ids) if article_ids is not None else None
        last = -1
        while chunk := self._article_rows(last, batch, statuses, ids, EXPORT_COLUMNS):
            lo, last = chunk[0][0], chunk[-1][0]
            rows = self.conn.execute(
                'SELECT article_id, id, start, "end", label, state FROM spans '
                "WHERE article_id BETWEEN ? AND ?" + where +
                ' ORDER BY article_id, start, "end" DESC, id', (lo, last, *wanted)).fetchall()
            spans = {a: [r[1:] for r in group] for a, group in groupby(rows, key=itemgetter(0))}
            linked: dict[int, list[tuple]] = {}
            if relations and rows:
                article_of = {r[1]: r[0] for r in rows}
                for head, child, label in self.conn.execute(
                        "SELECT r.head_id, r.child_id, r.label FROM relations r "
                        "JOIN spans s ON s.id = r.head_id WHERE s.article_id BETWEEN ? AND ? "
                        "ORDER BY r.id", (lo, last)):
                    if head in article_of and child in article_of:
                        linked.setdefault(article_of[head], []).append((head, child, label))
            for article in chunk:
                mine = spans.get(article[0])
                if annotator is not None and not mine:
                    continue
                yield article, mine or [], linked.get(article[0], [])

    # --- figures and checks --------------------------------------------------------------

    def stats(self) -> dict:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        pairs = lambda sql: dict(self.conn.execute(sql).fetchall())  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "spans": one("SELECT count(*) FROM spans"),
            "claims": one("SELECT count(*) FROM spans JOIN labels ON labels.name = spans.label "
                          "WHERE labels.layer = 'claim' AND spans.state = 'accepted'"),
            "relations": one("SELECT count(*) FROM relations"),
            "by_status": {str(s): 0 for s in Status} | pairs(
                "SELECT status, count(*) FROM articles GROUP BY status"),
            "by_state": {str(s): 0 for s in State} | pairs(
                "SELECT state, count(*) FROM spans GROUP BY state"),
            "by_label": pairs("SELECT label, count(*) FROM spans WHERE state = 'accepted' "
                              "GROUP BY label ORDER BY label"),
            "annotators": [r[0] for r in self.conn.execute("SELECT name FROM annotators ORDER BY name")],
        }

    def check(self) -> list[str]:
        """Problems found in the file; an empty list means it is sound."""
        problems = [f"integrity: {r[0]}" for r in self.conn.execute("PRAGMA integrity_check")
                    if r[0] != "ok"]
        problems += [f"foreign key: {t} row {rid} points to a missing {p}"
                     for t, rid, p, _ in self.conn.execute("PRAGMA foreign_key_check")]
        problems += [f"span {sid} of article {aid}: {s}-{e} lies outside the text (length {n})"
                     for sid, aid, s, e, n in self.conn.execute(
                         'SELECT s.id, a.id, s.start, s."end", length(a.text) FROM spans s '
                         'JOIN articles a ON a.id = s.article_id WHERE s."end" > length(a.text)')]
        problems += [f"relation {rid} joins spans of two articles" for (rid,) in self.conn.execute(
            "SELECT r.id FROM relations r JOIN spans h ON h.id = r.head_id "
            "JOIN spans c ON c.id = r.child_id WHERE h.article_id != c.article_id")]
        for aid, uid, text in self.conn.execute("SELECT id, uid, text FROM articles"):
            if text_uid(text) != uid:
                problems.append(f"article {aid}: uid does not match its text (text altered?)")
        return problems
