"""Store.insert_articles: one statement per table, values and types exactly as given."""
from __future__ import annotations

import orjson

from models.domain import ArticleRecord, SpanRecord, State

TEXT = "Ada Lovelace met Charles Babbage in London."


def _ids(store):
    return [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]


def test_store_bulk_one_kind_of_span_shares_its_state_origin_and_annotator(store):
    store.insert_articles([ArticleRecord(text=TEXT, spans=[SpanRecord(0, 12, "PERSON"),
                                                           SpanRecord(17, 32, "PERSON"),
                                                           SpanRecord(36, 42, "GPE")])],
                          annotator="ada")
    spans = store.spans(_ids(store)[0])
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 12, "PERSON"), (17, 32, "PERSON"),
                                                           (36, 42, "GPE")]
    assert {(s.state, s.origin, s.annotator) for s in spans} == {(State.ACCEPTED, "import", "ada")}
    assert len({s.created for s in spans}) == 1 and spans[0].created == spans[0].updated
    types = store.conn.execute('SELECT DISTINCT typeof(article_id), typeof(start), typeof("end"), '
                               "typeof(label), typeof(annotator_id) FROM spans").fetchall()
    assert types == [("integer", "integer", "integer", "text", "integer")]


def test_store_bulk_mixed_spans_keep_each_value_and_their_order(store):
    spans = [SpanRecord(36, 42, "GPE", state=State.SUGGESTED, origin="patterns"),
             SpanRecord(0, 12, "PERSON", annotator="bo", created="2020-01-01T00:00:00.000Z"),
             SpanRecord(17, 32, "PERSON", state=State.REJECTED, origin="model-x",
                        created="2021-01-01T00:00:00.000Z", updated="2022-01-01T00:00:00.000Z")]
    store.insert_articles([ArticleRecord(text=TEXT, spans=spans)], annotator="ada")
    rows = store.conn.execute('SELECT start, state, origin, annotator_id IS NULL, created, updated '
                              "FROM spans ORDER BY id").fetchall()
    assert [r[:4] for r in rows] == [(36, "suggested", "patterns", 0), (0, "accepted", "import", 0),
                                     (17, "rejected", "model-x", 0)]
    by_start = {s.start: s for s in store.spans(_ids(store)[0])}
    assert (by_start[36].annotator, by_start[0].annotator) == ("ada", "bo")
    assert (by_start[0].created, by_start[0].updated) == ("2020-01-01T00:00:00.000Z",) * 2
    assert (by_start[17].created, by_start[17].updated) == ("2021-01-01T00:00:00.000Z",
                                                            "2022-01-01T00:00:00.000Z")


def test_store_bulk_a_nul_in_any_value_is_kept_whole(store):
    """SQLite's JSON functions would end these strings at the NUL: the rows are bound."""
    store.insert_articles([ArticleRecord(text=TEXT, title="Ada\x00Lovelace", author="B\x00o",
                                         meta={"note": "a\x00b"},
                                         spans=[SpanRecord(0, 12, "PERSON", origin="x\x00y"),
                                                SpanRecord(36, 42, "GPE", origin="m\x00")])],
                          annotator="ada")
    article = store.article(_ids(store)[0])
    assert (article.title, article.author, article.meta) == ("Ada\x00Lovelace", "B\x00o",
                                                             {"note": "a\x00b"})
    assert [s.origin for s in store.spans(article.id)] == ["x\x00y", "m\x00"]


def test_store_bulk_texts_and_search_index_exact(store):
    texts = [TEXT, "Caf\u00e9 \U0001F600 e\u0301\r\n\u201cquoted\u201d \\u0000 not a NUL"]
    assert store.insert_articles([ArticleRecord(text=t) for t in texts], annotator=None) == (2, 0)
    assert [store.article(i).text for i in _ids(store)] == texts
    assert store.article_ids(search="quoted") == [_ids(store)[1]]
    assert store.article_ids(search="Babbage") == [_ids(store)[0]]


def test_store_bulk_history_names_each_article_as_json_text(store):
    store.insert_articles([ArticleRecord(text=TEXT, spans=[SpanRecord(0, 12, "PERSON")]),
                           ArticleRecord(text=TEXT),             # a duplicate: no row
                           ArticleRecord(text="Second.")], annotator="ada")
    rows = store.conn.execute("SELECT row_id, typeof(after), after FROM history "
                              "WHERE tbl = 'articles' ORDER BY id").fetchall()
    uids = dict(store.conn.execute("SELECT id, uid FROM articles"))
    assert [(r[0], r[1]) for r in rows] == [(i, "text") for i in _ids(store)]
    assert [orjson.loads(r[2]) for r in rows] == [{"uid": uids[r[0]], "spans": n}
                                                  for r, n in zip(rows, [1, 0])]


def test_store_bulk_only_duplicates_insert_nothing(store):
    store.insert_articles([ArticleRecord(text=TEXT)], annotator=None)
    assert store.insert_articles([ArticleRecord(text=TEXT)] * 2, annotator=None) == (0, 2)
    assert len(_ids(store)) == 1
