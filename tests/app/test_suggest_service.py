"""Running suggesters: storage rules, label mapping, pipelines from a directory, cancel."""
from __future__ import annotations

import pytest
import spacy

from app.suggest.base import SuggestedRelation, SuggestedSpan, Suggestions
from app.suggest.pipeline import PipelineSuggester
from app.suggest.service import make_suggester, run_suggester
from models import errors
from models.domain import ArticleRecord, SpanRecord, State

TEXT = "Maria Hendrix said the bridge in Kherson was destroyed on Tuesday."


class Fixed:
    """A suggester that proposes the same annotations for every text."""
    name = "fixed"

    def __init__(self, suggestions: Suggestions) -> None:
        self.suggestions = suggestions
        self.seen: list[str] = []

    def labels(self):
        return {s.label for s in self.suggestions.spans}

    def suggest(self, texts):
        for text in texts:
            self.seen.append(text)
            yield self.suggestions


def kherson() -> SuggestedSpan:
    return SuggestedSpan(TEXT.index("Kherson"), TEXT.index("Kherson") + 7, "GPE")


@pytest.fixture
def article_id(store):
    store.insert_articles([ArticleRecord(text=TEXT, spans=[SpanRecord(0, 13, "PERSON")])],
                          annotator="ann")
    return store.article_ids()[0]


def states(store, article_id):
    return {(s.start, s.end, s.label): (s.state, s.origin) for s in store.spans(article_id)}


def test_suggest_service_stores_suggestions_with_origin(store, article_id):
    report = run_suggester(store, Fixed(Suggestions([kherson()])))
    assert (report.articles, report.added, report.existing) == (1, 1, 0)
    k = kherson()
    assert states(store, article_id)[(k.start, k.end, "GPE")] == (State.SUGGESTED, "fixed")


def test_suggest_service_never_overwrites_decisions_and_remembers_rejections(store, article_id):
    k = kherson()
    with store.step("reject", annotator="ann", article_id=article_id):
        store.add_span(article_id, k.start, k.end, "GPE", state=State.REJECTED)
    accepted = SuggestedSpan(0, 13, "PERSON")
    report = run_suggester(store, Fixed(Suggestions([k, accepted])))
    assert (report.added, report.existing) == (0, 2)
    assert states(store, article_id)[(k.start, k.end, "GPE")] == (State.REJECTED, "manual")
    assert states(store, article_id)[(0, 13, "PERSON")] == (State.ACCEPTED, "import")


def test_suggest_service_claims_come_with_relations_and_valid_attributes(store, article_id):
    claim = SuggestedSpan(TEXT.index("the bridge"), len(TEXT) - 1, "CLAIM",
                          attributes={"certainty": "probable", "stance": "furious", "bogus": "x"})
    cue = SuggestedSpan(14, 18, "CUE")
    person = SuggestedSpan(0, 13, "PERSON")          # exists already as accepted
    run_suggester(store, Fixed(Suggestions([claim, cue, person], [
        SuggestedRelation(0, 1, "cue"), SuggestedRelation(0, 2, "claimant")])))
    ann = store.annotation(article_id)
    claim_span = next(s for s in ann.spans if s.label == "CLAIM")
    assert ann.attributes[claim_span.id] == {"certainty": "probable"}
    linked = {(r.label, next(s.label for s in ann.spans if s.id == r.child_id)) for r in ann.relations}
    assert linked == {("cue", "CUE"), ("claimant", "PERSON")}


def test_suggest_service_unknown_labels_are_not_stored(store, article_id):
    report = run_suggester(store, Fixed(Suggestions([SuggestedSpan(0, 5, "SPACESHIP")])))
    assert report.added == 0 and all(s.label != "SPACESHIP" for s in store.spans(article_id))


def test_suggest_service_cancel_between_batches_keeps_what_was_stored(store):
    store.insert_articles([ArticleRecord(text=f"{i} {TEXT}") for i in range(5)], annotator="a")
    calls = []
    report = run_suggester(store, Fixed(Suggestions([SuggestedSpan(0, 1, "QUANTITY")])),
                           batch_size=2, cancel=lambda: len(calls) >= 1,
                           progress=calls.append)
    assert report.cancelled and report.articles == 2
    assert sum(1 for i in store.article_ids() for s in store.spans(i) if s.state == State.SUGGESTED) == 2


def test_suggest_service_pipeline_directory_with_label_mapping(store, article_id, tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Kherson"},
                        {"label": "CARDINAL", "pattern": "two"},
                        {"label": "WORK_OF_ART", "pattern": "bridge"}])
    nlp.to_disk(tmp_path / "pipe")
    suggester = PipelineSuggester(tmp_path / "pipe", schema_labels=[l.name for l in store.schema().labels])
    assert suggester.labels() >= {"GPE", "QUANTITY"} and "WORK_OF_ART" not in suggester.labels()
    report = run_suggester(store, suggester)
    assert report.added == 1
    assert (kherson().start, kherson().end, "GPE") in states(store, article_id)


def test_suggest_service_training_output_folder_loads_model_best(store, tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Kherson"}])
    (tmp_path / "run").mkdir()
    nlp.to_disk(tmp_path / "run" / "model-best")
    from app.training import TrainedModelSuggester
    suggester = make_suggester(str(tmp_path / "run"), store)
    assert isinstance(suggester, TrainedModelSuggester) and suggester.name == "model:run"


def test_suggest_service_unknown_spec_is_a_clear_error(store):
    with pytest.raises(errors.BadInput, match="no such pipeline"):
        make_suggester("en_core_web_nothing", store)


def test_suggest_job_in_a_process_stores_what_the_thread_would(store, tmp_path):
    from app.suggest.service import SuggestJob, run_job_in_process
    patterns = tmp_path / "p.jsonl"
    patterns.write_text('{"label": "GPE", "pattern": "Kherson"}\n', encoding="utf-8")
    texts = [TEXT, "Nothing to see.", "Kherson again, and Kherson."]
    store.insert_articles([ArticleRecord(text=t) for t in texts], annotator="ann")
    seen = []
    report = run_job_in_process(SuggestJob(str(store.path), str(patterns)), progress=seen.append)
    assert (report.suggester, report.articles, report.added) == ("patterns:p", 3, 3)
    assert seen[-1].done == 3
    phrases = run_job_in_process(SuggestJob(str(store.path), "occurrences",
                                            phrases={"Maria Hendrix": "PERSON"}))
    assert (phrases.articles, phrases.added) == (1, 1)      # only the article the index names
    stored = {(a, s.label, s.origin) for a in store.article_ids() for s in store.spans(a)
              if s.state == State.SUGGESTED}
    first, _, third = store.article_ids()
    assert stored == {(first, "GPE", "patterns:p"), (third, "GPE", "patterns:p"),
                      (first, "PERSON", "occurrences")}
