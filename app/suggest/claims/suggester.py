"""ClaimSuggester: rule-based suggestions of reported claims, by whom, with which cue and hedges.

Works on spacy.blank("en") + sentencizer (the project tokenizer, so every span is on token
boundaries); a pipeline given to ClaimSuggester(nlp) is used as is, and its parse, tags and
entities (when it has them) only narrow what the rules find; its spans are then snapped to the
project tokenizer. Each text is read sentence by sentence (cues, then what each reports, then
the quotes that go on, the hedges and "could not be verified"; claimants are resolved on the
way), and only here do token ranges become code-point offsets, each span and relation given
once: claim -> claimant "claimant", claim -> cue "cue", claim -> hedge "hedge".
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from app.suggest.base import Rebuilt, SuggestedRelation, SuggestedSpan, Suggestions
from app.suggest.claims.attributes import attributes
from app.suggest.claims.hedges import Hedges
from app.tokens import LANG, snap


NAME = "claims"


class ClaimSuggester(Rebuilt):
    """Suggests CLAIM spans with their CUE, HEDGE and claimant (PERSON/ORG) by rules."""

    name = NAME

    def __init__(self, nlp: Language | None = None, *, batch_size: int = 64) -> None:
        """Without `nlp`, its own spacy.blank("en") + sentencizer. Use from one thread at a time."""
        self.batch_size = batch_size
        own = nlp is None
        if own:                 # a live pipeline given cannot travel to a worker process
            self.remember(batch_size=batch_size)
        if nlp is None:
            nlp = spacy.blank(LANG)
            nlp.add_pipe("sentencizer")
        self.nlp = nlp
        self._sentencizer = Sentencizer()
        self._tokenizer = None if own else spacy.blank(LANG)   # a pipeline's tokens may differ

    def labels(self) -> set[str]:
        return {"CLAIM", "CUE", "HEDGE", "PERSON", "ORG"}

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            yield self.suggest_doc(doc)

    def suggest_doc(self, doc: Doc) -> Suggestions:
        """Suggestions for one doc made by this suggester's pipeline (or any with sentences)."""
        if not doc.has_annotation("SENT_START"):
            doc = self._sentencizer(doc)
        out = _Reader(doc).suggestions()
        return out if self._tokenizer is None else self._snapped(doc.text, out)

    def _snapped(self, text: str, out: Suggestions) -> Suggestions:
        """Spans on the project tokenizer's boundaries when the pipeline tokenizes otherwise."""
        tokens = [(t.idx, t.idx + len(t)) for t in self._tokenizer.make_doc(text) if not t.is_space]
        spans = [SuggestedSpan(*snap(tokens, s.start, s.end), s.label, s.attributes)
                 for s in out.spans]
        return Suggestions(spans, out.relations)


class _Out:
    """Spans and relations of one text; the same span or relation is given once."""

    def __init__(self) -> None:
        self.result = Suggestions()
        self._spans: dict[tuple[int, int, str], int] = {}
        self._relations: set[tuple[int, int, str]] = set()

    def span(self, start: int, end: int, label: str, attributes: dict | None = None) -> int:
        key = (start, end, label)
        if key not in self._spans:
            self._spans[key] = len(self.result.spans)
            self.result.spans.append(SuggestedSpan(start, end, label, attributes or {}))
        return self._spans[key]

    def relate(self, head: int, child: int, label: str) -> None:
        if (head, child, label) not in self._relations:
            self._relations.add((head, child, label))
            self.result.relations.append(SuggestedRelation(head, child, label))


class _Reader(Hedges):
    """One doc, read sentence by sentence into claims, then into spans and relations."""

    def suggestions(self) -> Suggestions:
        for number, (a, b, para) in enumerate(self.units):
            self.unit_claims.append([])
            if self.last_direct and self.last_direct[1] != para:
                self.last_direct = None
            self._read_unit(number, a, b)
        return self._emit()

    def _read_unit(self, number: int, a: int, b: int) -> None:
        hedges = self._hedges(a, b)
        taken = {k for s, e in hedges for k in range(s, e)}
        cues = [c for c in self._cues(a, b, taken) if self._subject(c, a)]
        consumed = a
        for k, cue in enumerate(cues):
            claim = self._read_cue(cue, a, b, consumed, self._limit(cues, k, b), number)
            if claim:
                self._add(claim, number)
                consumed = max(consumed, claim.end, cue.e, claim.np[1] if claim.np else 0)
        self._continue_quotes(a, b, number)
        self._read_hedges(hedges, cues, a, b, number)
        self._read_disclaimer(a, b, number)

    def _emit(self) -> Suggestions:
        out = _Out()
        for claim in self.claims:
            words = set(self.low[claim.start:claim.end])
            text = self._slice(claim.start, claim.end).lower()
            head = out.span(self.start[claim.start], self.end[claim.end - 1], "CLAIM",
                            attributes(claim, words, text))
            parts = [(claim.cue, "CUE", "cue")] if claim.cue else []
            if claim.claimant:
                parts.append((claim.claimant[:2], claim.claimant[2], "claimant"))
            parts += [(h, "HEDGE", "hedge") for h in claim.hedges]
            for (s, e), label, relation in parts:
                out.relate(head, out.span(self.start[s], self.end[e - 1], label), relation)
        return out.result
