"""Words that distance the author from a claim: HEDGE spans, and the claims only a hedge heads.

A hedge is an adverb (allegedly, reportedly, purportedly, ...), a phrase ("purporting to show",
"claims to", "is said/believed/thought/reported/alleged to"), or unconfirmed / unverified /
alleged / purported before a noun. A hedge inside a claim, its claimant, or before its cue is
that claim's. One outside every claim heads a claim of its own, the words after it to the end
of the clause ("The group allegedly moved weapons" -> "moved weapons ..."; "A video purporting
to show the strike circulated" -> "the strike"), except one that only qualifies a noun.
"Could not be (independently) verified" is no HEDGE span: it is about a claim made elsewhere,
and the sample leaves it unmarked; it makes the claims just before it doubtful (possible).
"""
from __future__ import annotations

from app.suggest.claims.lexicon import (ATTACH_ONLY, AUX, CUES, DETS, DISCLAIMER, HEDGE_BY_FIRST,
                                        HEDGE_WORDS, MAIN_VERBS)
from app.suggest.claims.content import Content
from app.suggest.claims.cues import Cue
from app.suggest.claims.reading import Claim


class Hedges(Content):
    """The hedge layer: HEDGE spans, the claims they head, and "could not be verified"."""

    def _hedges(self, a: int, b: int) -> list[tuple[int, int]]:
        found, k = [], a
        while k < b:
            hedge = self._hedge_at(k, a, b)
            if hedge:
                found.append(hedge)
                k = hedge[1]
            else:
                k += 1
        return found

    def _hedge_at(self, k: int, a: int, b: int) -> tuple[int, int] | None:
        w, before = self.low[k], self.low[k - 1] if k > a else ""
        for phrase in HEDGE_BY_FIRST.get(w, ()):
            if tuple(self.low[k:k + len(phrase)]) == phrase and k + len(phrase) <= b:
                if phrase[0].startswith("claim") and (before in DETS or not self.text[k].islower()):
                    return None
                return k, k + len(phrase)
        if w in HEDGE_WORDS or w in ("unconfirmed", "unverified"):
            return k, k + 1
        if w in ATTACH_ONLY and (before in DETS or before in ("’s", "'s")):
            return k, k + 1
        return None

    def _read_hedges(self, hedges: list[tuple[int, int]], cues: list[Cue], a: int, b: int,
                     number: int) -> None:
        """A hedge inside a claim (or its claimant, or before its cue) is that claim's; one
        outside every claim heads a claim of its own, unless it only qualifies a noun."""
        for s, e in hedges:
            if any((s, e) in c.hedges for c in self.unit_claims[number]):
                continue
            holders = [c for c in self.unit_claims[number] if c.start <= s < c.end
                       or c.np and c.np[0] <= s < c.np[1]]
            if holders:
                min(holders, key=lambda c: c.end - c.start).hedges.append((s, e))
            elif self.low[e - 1] not in ATTACH_ONLY and self.low[s] not in ("unconfirmed",
                                                                            "unverified"):
                claim = self._hedged_claim(s, e, cues, a, b, number)
                if claim:
                    self._add(claim, number)

    def _hedged_claim(self, s: int, e: int, cues: list[Cue], a: int, b: int,
                      number: int) -> Claim | None:
        limit = min((c.left for c in cues if c.left > e), default=b)
        end = self._clause_end(e, limit)
        words = self.low[s:e]
        if words[0].startswith("purport") and self._subject_only(a, s):
            end = next((k for k in range(e + 1, end) if self.low[k] in MAIN_VERBS or (
                self.text[k].islower() and self.low[k].endswith("ed"))), end)
        content = self._trimmed(e, end)
        if content is None:
            return None
        claim = Claim(*content, quote_type="mixed" if self._quote_kind(*content)[0] == "mixed"
                       else "none", hedges=[(s, e)])
        if words[0].startswith("claim"):
            k = self._past_adverbs(s - 1, a)
            np = self._noun_phrase_before(k, a) if k >= a and not self._boundary(k) \
                else self._sentence_subject(a, s)
            if np:
                claim.np = np
                self._resolve(claim, np, number)
        elif words[-1] == "reportedly" or words[1:2] == ["reported"]:
            claim.claimant_text = "unattributed reports"           # the sample's convention
        elif words[0].startswith("purport") and self.unit_claims[number]:
            earlier = self.unit_claims[number][-1]
            claim.claimant, claim.claimant_text = earlier.claimant, earlier.claimant_text
        return claim

    def _subject_only(self, a: int, s: int) -> bool:
        """"A video purporting to show": the hedge is inside the sentence's subject."""
        words = range(self._lead(a, s), s)
        return len(words) <= 5 and not any(self.low[k] in AUX or self.low[k] in CUES
                                           or self._boundary(k) for k in words)

    def _read_disclaimer(self, a: int, b: int, number: int) -> None:
        """"The footage could not be independently verified.": the claims just before it."""
        match = DISCLAIMER.search(self.raw, self.start[a], self.end[b - 1])
        if not match:
            return
        earlier = self.unit_claims[number - 1] if number else []
        for claim in earlier + self.unit_claims[number]:
            if self.start[claim.start] < match.start():
                claim.doubtful = True
