"""Label all occurrences across the corpus: accepted texts suggested wherever they occur."""
from __future__ import annotations

from app.suggest.occurrences import OccurrenceSuggester, occurrences
from app.suggest.service import make_suggester, run_suggester
from models.domain import ArticleRecord, SpanRecord, State

TEXTS = ["The 72nd Mechanized Brigade held Vuhledar, the Su-34 crews said.",
         "A Su-34 and a Su-34M; the Brigade and the 72nd Mechanized Brigade moved.",
         "Nothing here about aircraft.",
         "Su-34 near Vuhledar again; Vuhledar's mayor spoke."]


def suggested(store) -> set[tuple[int, str, str]]:
    return {(a, store.article(a).text[s.start:s.end], s.label) for a in store.article_ids()
            for s in store.spans(a) if s.state == State.SUGGESTED}


def test_occurrences_corpus_suggester_longest_match_wins_and_words_stay_whole():
    phrases = {"Su-34": "WEAPON", "72nd Mechanized Brigade": "MIL_UNIT", "Brigade": "ORG"}
    (found,) = OccurrenceSuggester(phrases).suggest([TEXTS[1]])
    assert [(TEXTS[1][s.start:s.end], s.label) for s in found.spans] == [
        ("Su-34", "WEAPON"), ("Brigade", "ORG"), ("72nd Mechanized Brigade", "MIL_UNIT")]


def test_occurrences_from_the_project_uses_each_texts_most_frequent_label(store):
    first = TEXTS[0]
    spans = [SpanRecord(4, 27, "MIL_UNIT"), SpanRecord(33, 41, "GPE"),
             SpanRecord(47, 52, "WEAPON"), SpanRecord(47, 52, "ORG", state=State.REJECTED)]
    store.insert_articles([ArticleRecord(text=first, spans=spans)] +
                          [ArticleRecord(text=t) for t in TEXTS[1:]], annotator="ann")
    suggester = make_suggester("occurrences", store)
    assert suggester.phrases == {"72nd Mechanized Brigade": "MIL_UNIT", "Vuhledar": "GPE",
                                 "Su-34": "WEAPON"}
    report = run_suggester(store, suggester)
    ids = store.article_ids()
    assert suggested(store) == {(ids[1], "Su-34", "WEAPON"),
                                (ids[1], "72nd Mechanized Brigade", "MIL_UNIT"),
                                (ids[3], "Su-34", "WEAPON"), (ids[3], "Vuhledar", "GPE")}
    assert report.added == 5            # and "Vuhledar's": the tokenizer splits off 's
    assert report.articles == 3         # the search index left out the one without them


def test_occurrences_one_text_reads_only_the_articles_the_index_finds(store):
    store.insert_articles([ArticleRecord(text=t) for t in TEXTS], annotator="ann")
    suggester = OccurrenceSuggester({"Vuhledar": "GPE"})
    ids = store.article_ids()
    assert suggester.candidates(store) == [ids[0], ids[3]]
    report = run_suggester(store, suggester)
    assert report.articles == 2
    assert suggested(store) == {(ids[0], "Vuhledar", "GPE"), (ids[3], "Vuhledar", "GPE")}
    assert OccurrenceSuggester({"--": "ORG"}).candidates(store) is None     # no words to search


def test_occurrences_never_inside_a_longer_word():
    text = "Su-34M, Su-34s, XSu-34 and Su-34."
    assert [text[s.start:s.end] for s in occurrences(text, "Su-34", label="WEAPON")] == ["Su-34"]
    (found,) = OccurrenceSuggester({"Su-34": "WEAPON"}).suggest([text])
    assert [s.start for s in found.spans] == [text.rindex("Su-34")]
