"""Who makes a claim: the subject of its cue, the X of "according to X", or a name met before.

The claimant is read from a noun phrase: the words before the cue back to a boundary, past an
apposition ("X, a spokesperson for Y, said" -> X), after an inverted cue ("said X"), or the
sentence's own subject. In it, the name that makes the claim is a run of capitalised words:
titles and possessors left out ("Defence Minister", "Ukraine's"), ORG when the run holds an
organisation word and PERSON otherwise, nobody for a bare title ("the Minister"); a role or
document noun ("a team at X", "a memo by X") hands over to the organisation named with it.
With no name, the phrase's own words are kept as claimant_text ("Officials in Kyiv"). A pronoun
he/she/it, and "the university" after "the Kattegat University of Technology said", are the
claimant named a few sentences before: that is why this layer remembers the PERSON and ORG it
found. A pipeline's parser and recogniser, when it has them, are asked first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.suggest.claims.lexicon import (APPOSITION, AUX, DATE_WORDS, DETS, DOC_NOUNS, HEDGE_WORDS,
                                        LINK_PREPS, NATIONALITY, ORG_LINKED, ORG_WORDS, POSTMOD,
                                        PREP_FWD, PRONOUNS, ROLE_NOUNS, RUN_LINKS, TIME_WORDS,
                                        TITLES)
from app.suggest.claims.reading import Claim, Reading

if TYPE_CHECKING:
    from app.suggest.claims.cues import Cue


class Claimants(Reading):
    """The claimant layer: noun phrases, the names in them and the claimants met so far."""

    # ---- noun phrases: a cue's subject

    def _apposed(self, comma: int, a: int) -> tuple[int, int] | None:
        """"X, a spokesperson for Y, said" / "X, 52, who runs Y, said" -> X."""
        first = next((k for k in range(comma - 1, a - 1, -1) if self.text[k] == ","), None)
        if first is None or first + 1 >= comma:
            return None
        w = self.low[first + 1]
        if not (w in APPOSITION or w[:1].isdigit()):
            return None
        np = self._noun_phrase_before(first - 1, a)
        while np and np[0] - 2 >= a and self.text[np[0] - 1] == "," and (
                self.low[np[0]] in APPOSITION or self.low[np[0]][:1].isdigit()):
            np = self._noun_phrase_before(np[0] - 2, a)                 # "X, 45, who ..."
        return np

    def _noun_phrase_before(self, k: int, a: int) -> tuple[int, int] | None:
        j = k
        while j >= a and not self._boundary(j):
            j -= 1
        s = j + 1
        if s > k or k - s >= 14:
            return None
        if self.text[s][:1].isupper() and self.low[s] in ("in", "on", "at", "after", "during",
                                                           "for", "from", "with", "earlier"):
            s = next((i for i in range(s + 2, k + 1)
                      if self.low[i] in ("the", "a", "an") or self._cap(i)), s + 1)
        return (s, k + 1) if s <= k else None

    def _noun_phrase_after(self, p: int, b: int) -> tuple[int, int] | None:
        """The subject after an inverted cue: "said Dr Ingrid Sørensen, who ..."."""
        j = p
        while j < b and j - p < 8 and not self._boundary(j) and self.low[j] not in PREP_FWD \
                and self.low[j] not in TIME_WORDS:
            j += 1
        if j == p or not (self._cap(p) or self.low[p] in DETS or self.low[p] in PRONOUNS):
            return None
        return p, j

    def _sentence_subject(self, a: int, b: int) -> tuple[int, int] | None:
        """"The university has filed ... and claims to": the words before the first verb."""
        s = self._lead(a, b)
        j = s
        while j < b and j - s < 8 and not self._boundary(j) and self.low[j] not in AUX \
                and self.low[j] not in HEDGE_WORDS \
                and not (self.text[j].islower() and self.low[j].endswith("ed")):
            j += 1
        return (s, j) if j > s else None

    def _parsed_subject(self, s: int) -> tuple[int, int] | None:
        if not self.has_dep:
            return None
        subject = next((c for c in self.toks[s].children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i > self.toks[s].i:
            return None
        first, last = self.index.get(subject.left_edge.i), self.index.get(subject.right_edge.i)
        return (first, last + 1) if first is not None and last is not None else None

    # ---- the claimant in a noun phrase

    def _claim(self, content: tuple[int, int], kind: str, cue: Cue | None,
               np: tuple[int, int] | Claim | None, number: int) -> Claim:
        claim = Claim(*content, quote_type=kind)
        if cue:
            claim.cue, claim.cue_word, claim.hedges = (cue.s, cue.e), cue.word, list(cue.hedges)
        if isinstance(np, Claim):
            claim.claimant, claim.claimant_text = np.claimant, np.claimant_text
        elif np:
            claim.np = np
            self._resolve(claim, np, number)
        return claim

    def _resolve(self, claim: Claim, np: tuple[int, int], number: int) -> None:
        s, e = np
        if e - s == 1 and self.low[s] in PRONOUNS:
            label = {"he": "PERSON", "she": "PERSON", "it": "ORG"}.get(self.low[s])
            found = self.last_entity.get(label) if label else None
            if found and number - found[1] <= 4:
                claim.claimant = found[0]
            else:
                claim.claimant_text = self.text[s]
            return
        entity = self._earlier_org(s, e, number) or self._entity_in(s, e, claim)
        if entity:
            claim.claimant = entity
            self.last_entity[entity[2]] = (entity, number)
            if entity[2] == "ORG":
                self.orgs.append((entity, number))
        else:
            claim.claimant_text = self._slice(s, e)

    def _earlier_org(self, s: int, e: int, number: int) -> tuple[int, int, str] | None:
        """"the university" after "the Kattegat University of Technology said"."""
        w = self.low[s + 1] if e - s == 2 and self.low[s] == "the" else ""
        if w not in ORG_WORDS:
            return None
        return next((org for org, at in reversed(self.orgs) if number - at <= 6 and (
            w in self.low[org[0]:org[1]] or w in ("company", "firm"))), None)

    def _entity_in(self, s: int, e: int, claim: Claim) -> tuple[int, int, str] | None:
        """The name that makes the claim in a subject, or None when nobody is named."""
        runs = self._runs(s, e)
        core = next((k for k in range(s + 1, e) if self.low[k] in POSTMOD
                     and not any(r0 < k < r1 for r0, r1 in runs)), e)
        head = core - 1
        parsed = self._named_entity(head)
        if parsed:
            return parsed
        run = next((r for r in runs if r[0] <= head < r[1]), None)
        if run is None and self.low[head] in ROLE_NOUNS | DOC_NOUNS:          # "a team at X"
            run = next((r for r in runs if r[0] >= core and self.low[core] in LINK_PREPS
                        and self._organisation(r)), None)
            if run is None and self.low[head] in DOC_NOUNS:
                run = next((r for r in runs if r[1] <= head and not self._nationality(r)), None)
        return self._named(run, s, claim) if run else None

    def _runs(self, s: int, e: int) -> list[tuple[int, int]]:
        """Capitalised names in [s, e): "Kattegat University of Technology", "Ionescu-Marin"."""
        runs, k = [], s
        while k < e:
            if not self._cap(k) or self.low[k] in DATE_WORDS:
                k += 1
                continue
            j = k + 1
            while j < e:
                if self._cap(j) and self.low[j] not in DATE_WORDS:
                    j += 1
                elif self.low[j] in RUN_LINKS and j + 1 < e and self._linked(j, k):
                    j += 1
                else:
                    break
            while j > k + 1 and not self._cap(j - 1):
                j -= 1
            runs.append((k, j))
            k = j
        return runs

    def _linked(self, j: int, k: int) -> bool:
        """"Ministry of the Interior", "Trade and Industry", "Ionescu-Marin"; not "Adeyemi of"."""
        w = self.low[j]
        if w == "-":
            return not self.spaced[j] and not self.spaced[j + 1]
        if w in ("of", "for", "the"):
            before = next((i for i in range(j - 1, k, -1) if self.low[i] not in ("of", "the")), k)
            return self.low[before] in ORG_LINKED and (self._cap(j + 1) or self.low[j + 1] == "the")
        return self._cap(j + 1)

    def _nationality(self, run: tuple[int, int]) -> bool:
        return run[1] - run[0] == 1 and bool(NATIONALITY.search(self.low[run[0]]))

    def _named(self, run: tuple[int, int], s: int, claim: Claim) -> tuple[int, int, str] | None:
        """PERSON (titles left out) or ORG; None for a bare title ("the Minister")."""
        r0, r1 = run
        titled = [k for k in range(r0, r1) if self.low[k].rstrip(".") in TITLES]
        if titled and titled[-1] + 1 < r1 and not self._organisation((titled[-1] + 1, r1)):
            return titled[-1] + 1, r1, "PERSON"          # "NATO Secretary General Mark Rutte"
        if self._organisation(run):
            return r0, r1, "ORG"
        if titled:
            return None                                  # "the Minister"
        if r1 - r0 > 1 or (r0 > s and self.low[r0 - 1] in TITLES) or self._known(r0):
            return r0, r1, "PERSON"
        content = self.low[claim.start:claim.end]
        place = self.low[r0].endswith(("ia", "land", "stan"))                  # Russia said
        return r0, r1, "ORG" if place or content[:1] == ["it"] or "its" in content else "PERSON"

    def _organisation(self, run: tuple[int, int]) -> bool:
        r0, r1 = run
        return any(self.low[k] in ORG_WORDS for k in range(r0, r1)) or (
            r1 - r0 == 1 and self.text[r0].isupper() and len(self.text[r0]) > 1)

    def _known(self, k: int) -> bool:
        known = self.last_entity.get("PERSON")
        return bool(known) and self.text[known[0][1] - 1] == self.text[k]

    def _named_entity(self, head: int) -> tuple[int, int, str] | None:
        """The recogniser's PERSON, ORG, GPE, FAC or MIL_UNIT that holds the subject's head."""
        i = self.toks[head].i
        for ent in self.doc.ents:
            first, last = self.index.get(ent.start), self.index.get(ent.end - 1)
            if ent.start <= i < ent.end and first is not None and last is not None \
                    and ent.label_ in ("PERSON", "ORG", "GPE", "FAC", "MIL_UNIT"):
                return first, last + 1, "PERSON" if ent.label_ == "PERSON" else "ORG"
        return None
