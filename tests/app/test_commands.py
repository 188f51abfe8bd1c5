"""Commands change the project in one committed step each, and undo/redo replays them."""
from __future__ import annotations

import pytest

from app.commands import (AddSpan, Batch, LinkToClaim, RelabelSpan, RemoveSpan, SetClaimAttribute,
                          SetSpanState, SetStatus, execute)
from app.history import History
from app.project import open_project
from models import errors
from models.domain import RelationLabel, State, Status


def spans_of(store, article):
    return [(s.start, s.end, s.label, s.state) for s in store.spans(article)]


def test_commands_add_span_is_committed_before_returning(store, article, project_path):
    execute(store, AddSpan(article, 0, 3, "PERSON"), annotator="bea")
    other = open_project(project_path)  # a second connection sees it at once
    try:
        assert (0, 3, "PERSON", State.ACCEPTED) in spans_of(other, article)
        assert next(s for s in other.spans(article) if s.start == 0).annotator == "bea"
    finally:
        other.close()


@pytest.mark.parametrize("start,end", [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
def test_commands_add_span_rejects_bad_offsets_and_saves_nothing(store, article, start, end):
    before = spans_of(store, article)
    with pytest.raises(errors.InvalidSpan):
        execute(store, AddSpan(article, start, end, "PERSON"), annotator="bea")
    assert spans_of(store, article) == before
    assert not History(store, annotator="bea").can_undo()


def test_commands_unknown_label_is_refused(store, article):
    with pytest.raises(errors.UnknownLabel):
        execute(store, AddSpan(article, 0, 3, "NOPE"), annotator="bea")


def test_commands_undo_redo_every_kind_of_change(store, article):
    history = History(store, annotator="bea")
    original = store.annotation(article)
    claim = next(s for s in original.spans if s.label == "CLAIM")
    person = next(s for s in original.spans if s.label == "PERSON")
    steps = [
        AddSpan(article, 0, 3, "PERSON"),
        RelabelSpan(person.id, "ORG"),
        SetClaimAttribute(claim.id, "stance", "affirm"),
        LinkToClaim(claim.id, person.id, RelationLabel.CLAIMANT),
        SetStatus(article, Status.DONE),
        RemoveSpan(claim.id),
    ]
    snapshots = [store.annotation(article)]
    for command in steps:
        execute(store, command, annotator="bea")
        snapshots.append(store.annotation(article))
    assert snapshots[-1] != snapshots[0]
    for expected in reversed(snapshots[:-1]):
        history.undo()
        assert _comparable(store.annotation(article)) == _comparable(expected)
    assert not history.can_undo()
    for expected in snapshots[1:]:
        history.redo()
        assert _comparable(store.annotation(article)) == _comparable(expected)
    assert not history.can_redo()


def _comparable(annotation):
    """Everything but the article's `updated` time, which status changes touch."""
    a = annotation.article
    return (a.status, annotation.spans, annotation.relations, annotation.attributes)


def test_commands_remove_claim_takes_relations_and_attributes_and_undo_restores_them(store, article):
    claim = next(s for s in store.spans(article) if s.label == "CLAIM")
    person = next(s for s in store.spans(article) if s.label == "PERSON")
    execute(store, LinkToClaim(claim.id, person.id, RelationLabel.CLAIMANT), annotator="bea")
    execute(store, SetClaimAttribute(claim.id, "verdict", "refuted"), annotator="bea")
    execute(store, RemoveSpan(claim.id), annotator="bea")
    assert store.relations_of(claim.id) == []
    History(store, annotator="bea").undo()
    assert [r.child_id for r in store.relations_of(claim.id)] == [person.id]
    assert store.annotation(article).attributes[claim.id] == {"claimant_kind": "entity",
                                                              "verdict": "refuted"}


def test_commands_undo_survives_restart(store, article, project_path):
    execute(store, AddSpan(article, 0, 3, "DATE"), annotator="bea")
    store.close()
    reopened = open_project(project_path)
    try:
        History(reopened, annotator="bea").undo()
        assert (0, 3, "DATE", State.ACCEPTED) not in spans_of(reopened, article)
        History(reopened, annotator="bea").redo()
        assert (0, 3, "DATE", State.ACCEPTED) in spans_of(reopened, article)
    finally:
        reopened.close()


def test_commands_undo_is_per_annotator(store, article):
    execute(store, AddSpan(article, 0, 3, "DATE"), annotator="bea")
    execute(store, AddSpan(article, 4, 7, "ORG"), annotator="cal")
    History(store, annotator="bea").undo()
    labels = {s.label for s in store.spans(article)}
    assert "DATE" not in labels and "ORG" in labels


def test_commands_new_action_clears_redo(store, article):
    history = History(store, annotator="bea")
    execute(store, AddSpan(article, 0, 3, "DATE"), annotator="bea")
    history.undo()
    assert history.can_redo()
    execute(store, AddSpan(article, 4, 7, "ORG"), annotator="bea")
    assert not history.can_redo()
    with pytest.raises(errors.NothingToUndo):
        history.redo()


def test_commands_undo_refuses_when_someone_else_changed_the_row(store, article):
    execute(store, AddSpan(article, 0, 3, "DATE"), annotator="bea")
    span = next(s for s in store.spans(article) if s.label == "DATE")
    execute(store, RelabelSpan(span.id, "ORG"), annotator="cal")
    with pytest.raises(errors.UndoConflict):
        History(store, annotator="bea").undo()
    assert store.span(span.id).label == "ORG"


def test_commands_batch_is_one_undo_step(store, article):
    execute(store, Batch([AddSpan(article, 0, 3, "DATE", state=State.SUGGESTED),
                          AddSpan(article, 4, 7, "ORG", state=State.SUGGESTED)]), annotator="m")
    suggested = [s.id for s in store.spans(article) if s.state == State.SUGGESTED]
    execute(store, Batch([SetSpanState(i, State.ACCEPTED) for i in suggested],
                         description="accept all"), annotator="bea")
    assert all(store.span(i).state == State.ACCEPTED for i in suggested)
    history = History(store, annotator="bea")
    assert history.undo_text() == "accept all"
    history.undo()
    assert all(store.span(i).state == State.SUGGESTED for i in suggested)


def test_commands_claimant_link_replaces_the_previous_one(store, article):
    claim = next(s for s in store.spans(article) if s.label == "CLAIM")
    person = next(s for s in store.spans(article) if s.label == "PERSON")
    execute(store, AddSpan(article, 41, 46, "GPE"), annotator="bea")
    paris = next(s for s in store.spans(article) if s.label == "GPE")
    execute(store, LinkToClaim(claim.id, person.id, RelationLabel.CLAIMANT), annotator="bea")
    execute(store, LinkToClaim(claim.id, paris.id, RelationLabel.CLAIMANT), annotator="bea")
    assert [r.child_id for r in store.relations_of(claim.id)] == [paris.id]


def test_commands_attribute_values_are_checked_against_the_schema(store, article):
    claim = next(s for s in store.spans(article) if s.label == "CLAIM")
    person = next(s for s in store.spans(article) if s.label == "PERSON")
    with pytest.raises(errors.SchemaError):
        execute(store, SetClaimAttribute(claim.id, "stance", "furious"), annotator="bea")
    with pytest.raises(errors.InvalidSpan):
        execute(store, SetClaimAttribute(person.id, "stance", "affirm"), annotator="bea")
    execute(store, SetClaimAttribute(claim.id, "note", "any free text ✓"), annotator="bea")
    assert store.annotation(article).attributes[claim.id]["note"] == "any free text ✓"


def test_commands_every_change_is_in_the_history_with_who_and_before_after(store, article):
    execute(store, AddSpan(article, 0, 3, "DATE"), annotator="bea")
    rows = store.conn.execute(
        "SELECT s.action, a.name, h.tbl, h.before, h.after FROM history h "
        "JOIN steps s ON s.id = h.step_id JOIN annotators a ON a.id = s.annotator_id "
        "WHERE s.kind = 'do'").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("label DATE", "bea", "spans", None)]
    assert '"label":"DATE"' in rows[0][4]
