"""Suggesting in worker processes stores exactly what suggesting here stores."""
from __future__ import annotations

import pickle

import pytest
import spacy

from app.suggest import pool
from app.suggest.claims import ClaimSuggester
from app.suggest.occurrences import OccurrenceSuggester
from app.suggest.patterns import PatternSuggester
from app.suggest.pipeline import PipelineSuggester
from app.suggest.service import run_suggester
from models.domain import ArticleRecord, State

TEXTS = [f"Officials in Kyiv said on Tuesday that {n} drones were allegedly downed near "
         f"Bakhmut, according to Maria Hendrix of the 72nd Mechanized Brigade." for n in range(60)]


def stored(store) -> list[tuple]:
    return sorted((a, s.start, s.end, s.label, s.origin) for a in store.article_ids()
                  for s in store.spans(a) if s.state == State.SUGGESTED)


@pytest.fixture
def pipe(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Kyiv"},
                                               {"label": "PERSON", "pattern": "Maria Hendrix"}])
    nlp.to_disk(tmp_path / "pipe")
    return tmp_path / "pipe"


def suggesters(store, pipe):
    labels = [lab.name for lab in store.schema().labels]
    return [PatternSuggester.default(), ClaimSuggester(),
            PipelineSuggester(pipe, schema_labels=labels),
            OccurrenceSuggester({"Bakhmut": "GPE", "72nd Mechanized Brigade": "MIL_UNIT"})]


def test_suggest_pool_suggesters_travel_as_the_arguments_they_were_made_with(store, pipe):
    for suggester in suggesters(store, pipe):
        again = pickle.loads(pickle.dumps(suggester))
        assert type(again) is type(suggester) and again.name == suggester.name
        assert list(again.suggest(TEXTS[:3])) == list(suggester.suggest(TEXTS[:3]))
    with pytest.raises(TypeError, match="live pipeline"):
        pickle.dumps(ClaimSuggester(spacy.blank("en")))
    assert pool.workers_for(ClaimSuggester(spacy.blank("en")), 10_000) == 0


@pytest.mark.parametrize("kind", range(4))
def test_suggest_pool_workers_store_the_same_as_one_process(store, open_store, tmp_path, pipe,
                                                            kind):
    store.insert_articles([ArticleRecord(text=t) for t in TEXTS], annotator="ann")
    here = run_suggester(store, suggesters(store, pipe)[kind], workers=0, batch_size=16)
    expected = stored(store)
    with store.transaction():
        store.conn.execute("DELETE FROM spans WHERE state = 'suggested'")
    there = run_suggester(store, suggesters(store, pipe)[kind], workers=2, batch_size=16)
    assert stored(store) == expected and expected
    assert (there.articles, there.added) == (here.articles, here.added) == (60, len(expected))


def test_suggest_pool_cancel_keeps_the_batches_stored(store):
    store.insert_articles([ArticleRecord(text=t) for t in TEXTS], annotator="ann")
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 6        # six chunks handed out, two stored, then stop
    report = run_suggester(store, PatternSuggester.default(), workers=2, batch_size=10,
                           cancel=cancel)
    assert report.cancelled and 0 < report.articles < 60
    assert {a for a, *_ in stored(store)} <= set(store.article_ids()[:report.articles])
    assert pool.workers_for(PatternSuggester.default(), pool.MIN_ARTICLES - 1) == 0
