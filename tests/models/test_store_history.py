"""The undo log is append-only, and a step that fails leaves no trace."""
from __future__ import annotations

import sqlite3

import pytest

from models import errors
from models.domain import State, Status


def dump(store) -> list[str]:
    return list(store.conn.iterdump())


@pytest.mark.parametrize("sql", ["UPDATE history SET after = NULL", "DELETE FROM history",
                                 "UPDATE history SET step_id = step_id + 1 WHERE id = 1"])
def test_store_history_rows_cannot_change(store, article, sql):
    with store.step("add span", annotator="ann", article_id=article):
        store.add_span(article, 0, 3, "ORG")
    before = dump(store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute(sql)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with store.transaction():
            store.conn.execute(sql)
    assert dump(store) == before


class Boom(Exception):
    pass


def failing_steps(store, article):
    """Each changes several tables, then fails: by the caller, the store, or SQLite."""
    span = store.spans(article)[0]

    def caller_raises():
        store.add_span(article, 0, 3, "ORG")
        store.set_attribute(span.id, "note", "half done")
        store.set_status(article, Status.DONE)
        raise Boom

    def store_refuses():
        store.update_span(span.id, state=State.REJECTED)
        store.remove_span(store.spans(article)[1].id)
        store.add_span(article, 0, 3, "NO_SUCH_LABEL")

    def sqlite_refuses():
        store.add_span(article, 5, 9, "GPE")
        store.conn.execute("DELETE FROM history")

    return [(caller_raises, Boom), (store_refuses, errors.UnknownLabel),
            (sqlite_refuses, sqlite3.IntegrityError)]


@pytest.mark.parametrize("which", [0, 1, 2], ids=["caller", "store", "sqlite"])
def test_store_failed_step_rolls_back_completely(store, article, which):
    with store.step("first", annotator="ann", article_id=article):
        store.add_span(article, 17, 21, "CLAIM")
    before = dump(store)
    body, raised = failing_steps(store, article)[which]
    with pytest.raises(raised):
        with store.step("doomed", annotator="new annotator", article_id=article):
            body()
    assert dump(store) == before  # no step, history, undo entry, annotator or change left
    assert not store.conn.in_transaction
    with store.step("after", annotator="new annotator", article_id=article) as changes:
        store.add_span(article, 0, 3, "ORG")  # the store goes on working
    assert changes.touched("spans") and store.check() == []
