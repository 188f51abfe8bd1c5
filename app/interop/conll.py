"""CoNLL-2003 style token columns: IOB2 (default) or BILOU entity tags, -DOCSTART- per article.

Export, one token a line, four columns separated by one space, CoNLL-2003's layout:

    -DOCSTART- -X- -X- O        each article starts so, then a blank line
    <blank>
    Acme -X- _ B-ORG            TOKEN POS CHUNK TAG: the token as the project tokenizer
    Corp -X- _ I-ORG            (app.tokens) cuts it; POS unknown (-X-), chunk unknown (_);
    hired -X- _ O               TAG the entity tag, IOB2 or (--scheme bilou) BILOU
    <blank>                     a blank line ends each sentence (spaCy's rule-based
    He -X- _ O                  sentencizer, app.tokens.sentencizer_for; never inside an
    <blank>                     entity), the last one too

Whitespace tokens are dropped, so no token holds whitespace. Only entity-layer spans are
written (accepted ones; suggestions too when asked), the same entities as the spaCy export
(app/interop/tagging.py): spans off token boundaries, whitespace-edged or overlapping a
longer one are reported and left out. The format has no offsets, no overlaps, no
relations, claims, attributes, annotators or article metadata, and nothing else is
written beside it: export newsmark (or claims) for those. A token "-DOCSTART-" in a text
reads back as an article break: it is reported.

Import reads CoNLL-2003 (IOB1), IOB2, BILOU and IOBES files: the first column is the
token, the last the tag, columns separated by spaces or tabs. The scheme need not be
named: one decoder reads them all, article by article (tagging.py; an I- without a B-
starts an entity, as spaCy reads it). Files with
-DOCSTART- lines hold one article per -DOCSTART-; files without (the first token line
comes before any) hold one article per sentence block. The text is rebuilt: tokens joined
by single spaces, sentences by a newline. So the article that comes back from an export is
not the one that went out (other text, other uid, other offsets): compare token texts and
entity token spans, not characters. An article with a bad line is refused whole, reported
at that line (`FILE:LINE: tag "B_PER" is not IOB/BILOU ...`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from app.exporting.docbin import Packed
from app.importing.checks import Rejected, describe
from app.importing.readers import Entry, _decode, _lines
from app.importing.records import Foreign
from app.interop.tagging import (Tagged, TaggingConverter, TaggingExporter, tag_problem,
                                 tagged_record)

DOCSTART = "-DOCSTART-"
DOCSTART_LINE = f"{DOCSTART} -X- -X- O"
COLUMNS = re.compile(r"[ \t]+")        # not str.split(): NBSP and the like stay in tokens
BREAK = "reads back as an article break"


class ConllExporter(TaggingExporter):
    converter = "app.interop.conll:ConllConverter"


class ConllConverter(TaggingConverter):

    def item(self, article: Packed, tagged: Tagged, problems: list[str]) -> bytes:
        """The article's lines: -DOCSTART-, then its sentences, each ended by a blank line."""
        if DOCSTART in tagged.words:
            start, end = tagged.offsets[tagged.words.index(DOCSTART)]
            problems.append(f"{article[0]}:{start}-{end} token {DOCSTART}: {BREAK}")
        lines = [DOCSTART_LINE, ""]
        breaks = set(tagged.breaks)
        for i, (word, tag) in enumerate(zip(tagged.words, tagged.tags)):
            if i in breaks:
                lines.append("")
            lines.append(f"{word} -X- _ {tag}")
        return ("\n".join(lines) + "\n\n").encode("utf-8")


# --- import ------------------------------------------------------------------------------

@dataclass
class _Article:
    """The lines of one article as they are read."""
    line: int                                   # its first line
    sentences: list[list[str]] = field(default_factory=lambda: [[]])
    tags: list[str] = field(default_factory=list)
    fault: tuple[int, str] | None = None        # the first bad line and why

    def add(self, number: int, fields: list[str]) -> None:
        if self.fault is not None:
            return
        if len(fields) < 2:
            self.fault = (number, f"one column ({describe(fields[0])}); a token line is "
                                  "TOKEN ... TAG")
        elif reason := tag_problem(fields[-1]):
            self.fault = (number, reason)
        else:
            self.sentences[-1].append(fields[0])
            self.tags.append(fields[-1])

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def entry(self, position: int) -> Entry | None:
        """What the reader yields for it; None for an article without tokens."""
        if self.fault is not None:
            number, reason = self.fault
            return number, Rejected(f"{reason} (the article from line {self.line} is left "
                                    "out)"), position
        sentences = [s for s in self.sentences if s]
        if not sentences:
            return None
        return self.line, Foreign(partial(tagged_record, sentences, self.tags)), position


def read(path: Path) -> Iterator[Entry]:
    """Articles of a CoNLL/IOB/BILOU file, each at its first line (-DOCSTART- or token)."""
    article: _Article | None = None
    by_docstart: bool | None = None     # found at the first line that is not blank
    position = 0
    for number, raw, position in _lines(path):
        line = _decode(raw)
        if isinstance(line, Rejected):
            article = article or _Article(number)
            article.fault = article.fault or (number, str(line))
            continue
        fields = COLUMNS.split(line.strip(" \t\r\n"))
        if fields[0] == DOCSTART:
            by_docstart = True if by_docstart is None else by_docstart
        elif fields != [""]:
            by_docstart = False if by_docstart is None else by_docstart
            article = article or _Article(number)
            article.add(number, fields)
            continue
        elif by_docstart:               # a blank line inside an article: a sentence ends
            if article is not None:
                article.end_sentence()
            continue
        yield from _finished(article, position)
        article = _Article(number) if fields[0] == DOCSTART else None
    yield from _finished(article, position)


def _finished(article: _Article | None, position: int) -> Iterator[Entry]:
    if article is not None and (entry := article.entry(position)) is not None:
        yield entry
