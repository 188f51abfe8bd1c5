"""Every reason a record is refused: one Problem FILE:LINE: reason, the rest imported."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importing import Problem, import_paths
from app.project import create_project

GOOD_BEFORE = b'{"text": "A good first article."}\n'
GOOD_AFTER = b'{"text": "A good last article.", "spans": [{"start": 2, "end": 6, "label": "ORG"}]}\n'

# (the bad line as bytes, the reason, or what the reason starts with when it ends in "...")
BAD_LINES = [
    # not JSON at all, or JSON that orjson refuses
    (rb'{"text": "a\ud800"}', "not JSON: a lone surrogate in a string (column 12)"),
    (rb'{"text": "a\udc00b"}', "not JSON: a lone surrogate in a string..."),
    (b"NaN", "not JSON: NaN and Infinity are not JSON (column 1)"),
    (b'{"text": "x", "score": -Infinity}', "not JSON: NaN and Infinity are not JSON..."),
    (b"[" * 2000, "not JSON: nested too deeply (more than 1024 levels)..."),
    (b'{"text": "x",}', "not JSON: ..."),
    (b'{"text": "a\x00b"}', "not JSON: unexpected control character in string..."),
    (b'{"text": "caf\xe9"}', "invalid UTF-8 (byte 0xe9 at column 14)"),
    (b'{"text": "\xed\xa0\x80"}', "invalid UTF-8 (byte 0xed at column 11)"),
    (b'{"text": "ok"} {"text": "again"}', "not JSON: unexpected content after document..."),
    # JSON but not an article
    (b"[1, 2]", "not a JSON object (a list)"),
    (b'"just a string"', "not a JSON object (a string)"),
    (b"42", "not a JSON object (a number)"),
    (b"null", "not a JSON object (null)"),
    (b'{"title": "no text"}', "missing text"),
    (b'{"text": null}', "missing text"),
    (b'{"text": ""}', "empty text"),
    (b'{"text": " \\r\\n\\t"}', "empty text"),
    (b'{"text": 5}', "text is not a string (a number)"),
    (b'{"text": ["a"]}', "text is not a string (a list)"),
    (b'{"text": "a\\u0000b"}', "text contains a NUL character (offset 1)"),
    (b'{"text": "x", "meta": [1]}', "meta is not an object (a list)"),
    (b'{"text": "x", "title": 3}', "title is not a string (a number)"),
    (b'{"text": "x", "spans": {"start": 0}}', "spans is not a list (an object)"),
    # spans
    (b'{"text": "abc", "spans": [5]}', "span 0 is not an object (a number)"),
    (b'{"text":"x","spans":[{"start":true,"end":1,"label":"A"}]}',
     "span 0: start is not an integer (true)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": false, "label": "A"}]}',
     "span 0: end is not an integer (false)"),
    (b'{"text": "abc", "spans": [{"end": 1, "label": "ORG"}]}', "span 0: no start"),
    (b'{"text": "abc", "spans": [{"start": 0, "label": "ORG"}]}', "span 0: no end"),
    (b'{"text": "abc", "spans": [{"start": "0", "end": 1, "label": "ORG"}]}',
     'span 0: start is not an integer ("0")'),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1.5, "label": "ORG"}]}',
     "span 0: end is not an integer (1.5)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": null, "label": "ORG"}]}',
     "span 0: end is not an integer (null)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1180591620717411303424, "label": "ORG"}]}',
     "integer 1180591620717411303424 does not fit in 64 bits"),
    (b'{"text": "abc 12345678901234567890123", "meta": {"n": -9223372036854775809}}',
     "integer -9223372036854775809 does not fit in 64 bits"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1e30, "label": "ORG"}]}',
     "span 0: end is not an integer (1e+30)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 9223372036854775808, "label": "ORG"}]}',
     "span 0: end is too large (9223372036854775808)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 18446744073709551615, "label": "ORG"}]}',
     "span 0: end is too large (18446744073709551615)"),
    (b'{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "ORG"}]}',
     "span 0: start is negative (-1)"),
    (b'{"text": "abc", "spans": [{"start": 2, "end": 2, "label": "ORG"}]}',
     "span 0: end 2 is not after start 2"),
    (b'{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "ORG"}]}',
     "span 0: end 1 is not after start 2"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 4, "label": "ORG"}]}',
     "span 0: 0-4 lies outside the text (length 3)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 9223372036854775807, "label": "ORG"}]}',
     "span 0: 0-9223372036854775807 lies outside the text (length 3)"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1}]}', "span 0: no label"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": ""}]}', "span 0: empty label"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "  "}]}', "span 0: empty label"),
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": 7}]}',
     "span 0: label is not a string (7)"),
    # one bad span rejects the whole record, good spans included
    (b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "ORG"}, '
     b'{"start": 1, "end": 9, "label": "ORG"}]}', "span 1: 1-9 lies outside the text (length 3)"),
    # relations
    (b'{"text": "ab", "spans": [{"start": 0, "end": 1, "label": "ORG"}], "relations": [{"label": "R", '
     b'"head_span": {"start": 0, "end": 1, "label": "ORG"}, "child_span": {"start": 1, "end": 2, '
     b'"label": "ORG"}}]}', "relation 0: child_span 1-2 ORG is not one of the spans"),
    (b'{"text": "ab", "spans": [{"start": 0, "end": 1, "label": "ORG"}], "relations": [{"label": "R", '
     b'"child_span": {"start": 0, "end": 1, "label": "ORG"}}]}', "relation 0: no head_span"),
    (b'{"text": "ab", "relations": [{"head_span": {}, "child_span": {}}]}', "relation 0: no label"),
    (b'{"text": "ab", "relations": "none"}', "relations is not a list (a string)"),
    (b'{"newsmark": 1, "text": "ab", "spans": [{"start": 0, "end": 1, "label": "ORG"}], '
     b'"relations": [{"head": 0, "child": 3, "label": "claimant"}]}',
     "relation 0: child 3 points at a missing span (the record has 1)"),
    (b'{"newsmark": 1, "text": "ab", "relations": [{"head": true, "child": 0, "label": "cue"}]}',
     "relation 0: head is not an integer (true)"),
]


def matches(reason: str, expected: str) -> bool:
    return reason.startswith(expected[:-3]) if expected.endswith("...") else reason == expected


@pytest.mark.parametrize("line, reason", BAD_LINES, ids=[r for _, r in BAD_LINES])
def test_importing_rejects_bad_records_with_line_and_reason(store, tmp_path, line, reason):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(GOOD_BEFORE + line + b"\n" + GOOD_AFTER)
    report = import_paths(store, [path], annotator="ann")
    assert [(p.file, p.line) for p in report.rejected] == [(str(path), 2)]
    assert matches(report.rejected[0].reason, reason), report.rejected[0].reason
    assert str(report.rejected[0]) == f"{path}:2: {report.rejected[0].reason}"
    assert report.imported == 2 and not report.ok
    texts = [a.article.text for a in store.iter_annotations()]
    assert texts == ["A good first article.", "A good last article."]
    assert store.stats()["spans"] == 1 and store.check() == []


def test_importing_problem_prints_as_file_line_reason():
    assert str(Problem("a/b.jsonl", 7, "empty text")) == "a/b.jsonl:7: empty text"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["text", "spans", "start", "end", "label", "meta", "relations",
                         "newsmark", "answer", "title", "head_span", "child_span", "head",
                         "child", "state", "layer", "attributes", "uid", "x"]), inner, max_size=5),
    max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(JSON, min_size=1, max_size=6))
def test_importing_never_raises_on_any_json(tmp_path_factory, records):
    """Whatever JSON arrives, each line is imported, a duplicate, skipped or one Problem."""
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "any.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    store = create_project(folder / "p.nmk")
    try:
        report = import_paths(store, [path], annotator="ann")
        accounted = report.imported + report.duplicates + report.skipped + len(report.rejected)
        assert accounted == len(records)
        assert store.check() == []
    finally:
        store.close()
