"""Label all occurrences: a span's text elsewhere becomes a suggestion with its label.

Two uses, one rule. In the article, Ctrl+L on a span suggests the other places its text
occurs (`occurrences`). Across the corpus, `OccurrenceSuggester` suggests every text that
annotators have accepted as an entity wherever else it occurs (`newsmark suggest --with
occurrences`, Annotate > Suggest), or one span's text in every article (the workbench's
"in all articles" action).

An occurrence counts only when it is made of whole tokens of the project tokenizer, and
it is exact and case-sensitive: "Kyiv" is not found in "Kyivan", nor "Su-34" in "Su-34M"
(which the tokenizer splits). The corpus suggester
matches token sequences with spaCy's PhraseMatcher, so a thousand labelled names cost one
pass over each text; where occurrences overlap, the longest wins ("72nd Mechanized
Brigade" over "Brigade"). A text labelled with two labels is suggested with the one it
was given most often.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from app.suggest.base import Rebuilt, SuggestedSpan, Suggestions
from app.tokens import align, nlp_for, token_bounds, tokenize_one
from models.domain import ArticleId, Layer, Status
from models.reading import Reader

NAME = "occurrences"
NARROW = 20         # up to this many texts, the search index finds the articles to read


def occurrences(text: str, surface: str, *, label: str,
                exclude: tuple[int, int] | None = None) -> list[SuggestedSpan]:
    """Every occurrence of `surface` in `text` made of whole tokens, as `label` suggestions.

    Left to right, never overlapping. `exclude` (start, end) leaves out one occurrence,
    the span just labelled. A surface with whitespace at an edge finds nothing.
    """
    if not usable(surface) or surface not in text:
        return []
    bounds = token_bounds(tokenize_one(text))
    found, at = [], text.find(surface)
    while at != -1:
        end = at + len(surface)
        if align(bounds, at, end) is not None and standalone(text, at, end):
            if (at, end) != exclude:
                found.append(SuggestedSpan(at, end, label))
            at = text.find(surface, end)
        else:
            at = text.find(surface, at + 1)
    return found


def usable(surface: str) -> bool:
    return bool(surface) and surface == surface.strip()


def standalone(text: str, start: int, end: int) -> bool:
    """Not glued to a letter or digit: the tokenizer splits "Su-34M" into "Su-34" + "M",
    but "Su-34M" is another aircraft."""
    return not ((start > 0 and text[start - 1].isalnum() and text[start].isalnum())
                or (end < len(text) and text[end].isalnum() and text[end - 1].isalnum()))


class OccurrenceSuggester(Rebuilt):
    """Suggests given texts with their labels wherever they occur as whole tokens."""

    name = NAME

    def __init__(self, phrases: dict[str, str]) -> None:
        self.remember(dict(phrases))
        self.phrases = {s: label for s, label in phrases.items() if usable(s)}
        self.nlp = nlp_for()
        self.matcher = PhraseMatcher(self.nlp.vocab)
        for label in sorted(set(self.phrases.values())):
            self.matcher.add(label, [self.nlp.make_doc(s) for s, lab in self.phrases.items()
                                     if lab == label])

    @classmethod
    def from_project(cls, reader: Reader, *, layers: Iterable[Layer] = (Layer.ENTITY,)
                     ) -> OccurrenceSuggester:
        """Every accepted span's text in these layers, with its most frequent label."""
        phrases: dict[str, str] = {}
        for surface, label, _ in reader.labelled_surfaces(layers):   # most frequent first
            phrases.setdefault(surface, label)
        return cls(phrases)

    def labels(self) -> set[str]:
        return set(self.phrases.values())

    def candidates(self, reader: Reader, *, status: Iterable[Status] | None = None
                   ) -> list[ArticleId] | None:
        """The articles that may hold one of a few texts, found by the search index (its
        words are looser than tokens, so it finds a superset); None: read every article."""
        if len(self.phrases) > NARROW or not all(any(c.isalnum() for c in s)
                                                 for s in self.phrases):
            return None
        found: set[ArticleId] = set()
        for surface in self.phrases:
            found.update(reader.article_ids(search=surface, status=status))
        return sorted(found)

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=256):
            text = doc.text
            spans = filter_spans([s for s in self.matcher(doc, as_spans=True)
                                  if standalone(text, s.start_char, s.end_char)])
            yield Suggestions([SuggestedSpan(s.start_char, s.end_char, s.label_)
                               for s in sorted(spans, key=lambda s: s.start)])
