"""Code points <-> Qt positions, checked against what a real QTextDocument holds."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from ui.offsets import OffsetMap

TRICKY = [
    "👩‍🔬 Dr. Ada spoke.\r\nParis",
    "plain ascii text",
    "line one\rParis two",         # lone CR
    "a\u2028b Paris",               # LINE SEPARATOR
    "\ufeffParis leads",            # leading BOM character
    "Cafe\u0301 in Paris",          # combining mark
    "“Quoted” — Paris\r\n\r\n𝔸𝔹 Paris",
]


def covered(doc: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


@pytest.mark.parametrize("text", TRICKY)
def test_offsets_every_word_lands_on_the_same_text(qapp, text):
    doc = QTextDocument()
    doc.setPlainText(text)
    mapping = OffsetMap.for_document(text, doc)
    i = text.find("Paris")
    if i < 0:
        i = text.find("ascii")
    word = text[i:i + 5]
    qs, qe = mapping.span_to_qt(i, i + 5)
    assert covered(doc, qs, qe) == word
    assert mapping.span_to_text(qs, qe) == (i, i + 5)


def test_offsets_table_matches_the_formats_doc_example(qapp):
    text = "👩‍🔬 Dr. Ada spoke.\r\nParis"
    doc = QTextDocument()
    doc.setPlainText(text)
    mapping = OffsetMap.for_document(text, doc)
    assert mapping.span_to_qt(8, 11) == (10, 13)    # "Ada"
    assert mapping.span_to_qt(20, 25) == (21, 26)   # "Paris" after CRLF


def test_offsets_position_inside_a_surrogate_pair_rounds_to_the_character(qapp):
    text = "a𝔸b"
    doc = QTextDocument()
    doc.setPlainText(text)
    mapping = OffsetMap.for_document(text, doc)
    assert mapping.to_text(2) == 1 and mapping.to_text(2, end=True) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \r\n\u2028\u0301é👩‍🔬𝔸\ufeff\t")), max_size=40))
def test_offsets_round_trip_any_text(qapp, text):
    doc = QTextDocument()
    doc.setPlainText(text)
    mapping = OffsetMap.for_document(text, doc)
    for i in range(len(text) + 1):
        q = mapping.to_qt(i)
        assert 0 <= q <= doc.characterCount() - 1
        back = mapping.to_text(q)
        assert mapping.to_qt(back) == q
    for i, c in enumerate(text):
        if c not in "\r\n\u2028\ufeff":
            assert covered(doc, *mapping.span_to_qt(i, i + 1)) == c
