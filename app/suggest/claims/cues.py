"""Which words report what someone said: the CUE spans of a sentence, with each one's subject.

A cue is a lower-case reporting verb of lexicon.CUES used as a verb (not "the said agreement",
"to say", "reports of", "media reports say"; a tagger, when there is one, must agree), or
"according to", or an impersonal "It is said" / "It was reported", which is one span; any other
passive ("X was reported") is no cue. A cue with a subject ("Sources say") is the verb alone:
the subject is read here, through the claimant layer, so that it can become the claimant, and
a hedge between subject and cue ("Officials reportedly confirmed") goes with the cue. A negated
cue ("did not say") is no cue. A cue's clause starts at its subject; a later cue joined on with
", and" ends what the cue before it reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.suggest.claims.lexicon import (AUX, BE, BOUNDARY_PUNCT, CONNECTORS, CUES, HEDGE_WORDS,
                                        NEGATION, NOT_BEFORE_CUE, NOUNISH, NOUN_BEFORE,
                                        PARTICIPLES)
from app.suggest.claims.claimants import Claimants


@dataclass
class Cue:
    s: int                   # token range of the CUE span
    e: int
    word: str                # the reporting word, lower case ("according" for "according to")
    kind: str                # "verb", "according" or "impersonal"
    left: int = 0            # where the cue's clause starts: its subject, or the cue itself
    np: tuple[int, int] | None = None       # the subject before the cue
    hedges: list[tuple[int, int]] = field(default_factory=list)   # between subject and cue


class Cues(Claimants):
    """The cue layer: reporting words used as verbs, "according to", and their subjects."""

    def _cues(self, a: int, b: int, taken: set[int]) -> list[Cue]:
        cues = []
        for k in range(a, b):
            if k in taken or k in self.quoted:
                continue
            w = self.low[k]
            if w == "according" and k + 1 < b and self.low[k + 1] == "to":
                cues.append(Cue(k, k + 2, w, "according", left=k))
            elif w in CUES and self.text[k].islower() and self._verb(k, a, b):
                cues.append(self._passive(k, a) or Cue(k, k + 1, w, "verb"))
        return [c for c in cues if c.kind != "passive"]

    def _verb(self, k: int, a: int, b: int) -> bool:
        """Not "the said agreement", "to say", "reports of", "media reports say"."""
        w, nxt = self.low[k], self.low[k + 1] if k + 1 < b else ""
        if k > a and self.low[k - 1] in NOT_BEFORE_CUE:
            return False
        if w in NOUNISH and (nxt in ("of", "from", "about", "by")
                             or k > a and self.low[k - 1] in NOUN_BEFORE):
            return False
        if nxt in CUES and self.text[k + 1].islower():
            return False
        tok = self.toks[k]
        return not self.has_pos or tok.pos_ in ("", "VERB", "AUX") and tok.dep_ != "amod"

    def _passive(self, k: int, a: int) -> Cue | None:
        """"It is said" is one impersonal cue; another "X was reported" is not read."""
        if self.low[k] not in PARTICIPLES:
            return None
        j = self._past_adverbs(k - 1, a)
        if j < a or self.low[j] not in BE:
            return None
        j -= 1
        if j >= a and self.low[j] in ("has", "have", "had"):
            j -= 1
        kind = "impersonal" if j >= a and self.low[j] == "it" else "passive"
        return Cue(j if kind == "impersonal" else k, k + 1, self.low[k], kind, left=j)

    def _subject(self, cue: Cue, a: int) -> bool:
        """Fill in the cue's subject and the hedges before it; False when it is negated."""
        if cue.kind != "verb":
            return True
        k = cue.s - 1
        while k >= a and self._adverb(k):
            if self.low[k] in NEGATION:
                return False
            if self.low[k] in HEDGE_WORDS:
                cue.hedges.append((k, k + 1))
            k -= 1
        cue.left = k + 1
        if k < a or cue.word in ("saying", "adding"):
            return True
        if self.text[k] == ",":
            cue.np = self._apposed(k, a)
        elif self.text[k] not in BOUNDARY_PUNCT:
            cue.np = self._noun_phrase_before(k, a)
        if cue.np is None and k >= a and self.text[k] not in ",":
            cue.np = self._parsed_subject(cue.s)
        if cue.np:
            cue.left = cue.np[0]
        return True

    def _limit(self, cues: list[Cue], k: int, b: int) -> int:
        """Content after cue k stops where a later cue's clause is joined on (", and Y said")."""
        for later in cues[k + 1:]:
            m = later.left
            while m - 1 > cues[k].e and (self.low[m - 1] in CONNECTORS):
                m -= 1
            if m < later.left:
                return m
        return b
