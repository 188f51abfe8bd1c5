"""One doc as the claim rules read it, and the claims found in it so far.

Decides what a token is (whitespace is none), which quote marks pair up (within a paragraph;
an apostrophe is no quote), where a sentence ends (sentences are joined while a quote is open,
so a quote and its cue are read together), when a capitalised word looks like a name rather
than a sentence start, where a phrase stops (punctuation, conjunctions, a lower-case reporting
verb) and how a span is trimmed of edge punctuation and of quote marks whose partner is outside.
Every index is into the tokens without whitespace; offsets become code points only when the
suggester emits spans. claimants, cues, content and hedges are the layers built on this class,
in that order, into the one reader of suggester.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import SENT_START
from spacy.tokens import Doc

from app.suggest.claims.lexicon import (BOUNDARY_PUNCT, CONJ, CUES, DOUBLE, HEDGE_WORDS, LEADING,
                                        NEWLINES, NOT_BEFORE_CUE, NOT_LY, SENT_COMMON, SKIP_BEFORE,
                                        TRAIL)


@dataclass
class Claim:
    start: int               # token range [start, end) of the content
    end: int
    quote_type: str
    cue: tuple[int, int] | None = None
    cue_word: str = ""
    claimant: tuple[int, int, str] | None = None     # token range and PERSON / ORG
    claimant_text: str | None = None
    np: tuple[int, int] | None = None                # where the claimant was read
    hedges: list[tuple[int, int]] = field(default_factory=list)
    doubtful: bool = False


class Reading:
    """One doc: its tokens without whitespace, quotes paired, sentences joined across quotes."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.raw = doc.text                      # Doc.text is rebuilt at every call
        self.toks = [t for t in doc if not t.is_space]
        self.text = [t.text for t in self.toks]
        self.low = [t.lower_ for t in self.toks]
        self.start = [t.idx for t in self.toks]
        self.end = [t.idx + len(t.text) for t in self.toks]
        self.index = {t.i: k for k, t in enumerate(self.toks)}
        n = len(self.toks)
        gaps = [self.raw[self.end[k - 1]:self.start[k]] if k else "" for k in range(n)]
        self.brk = [k == 0 or bool(NEWLINES.search(gaps[k])) for k in range(n)]
        self.spaced = [k == 0 or gaps[k] != "" for k in range(n)]
        self.has_dep = doc.has_annotation("DEP")
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.opener: dict[int, int] = {}
        self.closer: dict[int, int] = {}
        starts = doc.to_array([SENT_START]).reshape(-1).tolist() if len(doc) else []
        self.begins = {k for k, t in enumerate(self.toks) if starts[t.i] == 1}
        self._pair_quotes()
        self.quoted = {k for o, c in self.opener.items() for k in range(o + 1, c)}
        self.units = self._units()
        self.firsts = {k for k in range(n) if self.brk[k]} | self.begins | {
            o + 1 for o in self.opener}
        self.lowered = {w for w, t in zip(self.low, self.text) if w == t}
        self.claims: list[Claim] = []
        self.unit_claims: list[list[Claim]] = []
        self.last_entity: dict[str, tuple[tuple[int, int, str], int]] = {}
        self.orgs: list[tuple[tuple[int, int, str], int]] = []
        self.last_direct: tuple[Claim, int] | None = None

    # ---- tokens, quotes, sentences

    def _slice(self, s: int, e: int) -> str:
        return self.raw[self.start[s]:self.end[e - 1]]

    def _pair_quotes(self) -> None:
        """Pair quote marks within a paragraph; an apostrophe is no quote."""
        double = single = None
        for k, t in enumerate(self.text):
            if self.brk[k]:
                double = single = None
            if double is not None and t in DOUBLE[self.text[double]]:
                self._pair(double, k)
                double = None
            elif single is not None and t in "’'" and not self.spaced[k] and (
                    t == "’" and self.text[single] == "‘" or self.text[k - 1] in ",.?!"):
                self._pair(single, k)
                single = None
            elif t in DOUBLE:
                double = k
            elif t == "‘" or (t == "'" and self.spaced[k] and k + 1 < len(self.text)
                              and not self.spaced[k + 1]):
                single = k

    def _pair(self, o: int, c: int) -> None:
        if c - o > 1:
            self.opener[o], self.closer[c] = c, o

    def _units(self) -> list[tuple[int, int, int]]:
        """(first, end, paragraph) of each sentence, joined while a quote is open."""
        covered = set()
        for o, c in self.opener.items():
            covered.update(range(o + 1, c + 1))
        begins = {k - 1 if k - 1 in self.opener else k for k in self.begins}   # “ goes with its words
        cuts, para, paras = [], -1, []
        for k in range(len(self.toks)):
            if self.brk[k]:
                para += 1
            if self.brk[k] or (k in begins and k not in covered):
                cuts.append(k)
                paras.append(para)
        bounds = cuts + [len(self.toks)]
        return [(bounds[i], bounds[i + 1], paras[i]) for i in range(len(cuts))]

    def _cap(self, k: int) -> bool:
        """Capitalised like a name: not a common word that merely starts a sentence."""
        t = self.text[k]
        if not t[:1].isupper():
            return False
        w = self.low[k]
        return not (k in self.firsts and (w in SENT_COMMON or w in self.lowered
                                          or w.endswith(("ists", "ysts", "ians", "ants", "ents"))))

    def _boundary(self, k: int) -> bool:
        t, w = self.text[k], self.low[k]
        if k in self.opener or k in self.closer:
            return True
        if t in BOUNDARY_PUNCT:
            return True
        if w in CONJ:
            return not (w == "and" and 0 < k < len(self.text) - 1 and self._cap(k - 1)
                        and self._cap(k + 1))
        return w in CUES and t.islower() and not (k and self.low[k - 1] in NOT_BEFORE_CUE)

    def _lead(self, s: int, e: int) -> int:
        """Past leading conjunctions, commas and colons."""
        while s < e and self.low[s] in LEADING:
            s += 1
        return s

    def _trimmed(self, s: int, e: int) -> tuple[int, int] | None:
        """Without edge punctuation and quote marks whose partner is outside [s, e)."""
        while e > s and (self.text[e - 1] in TRAIL or self.closer.get(e - 1, s) < s
                         or e - 1 in self.opener):
            e -= 1
        while s < e and (self.text[s] in TRAIL or self.opener.get(s, -1) >= e
                         or s in self.closer):
            s += 1
        return (s, e) if s < e else None

    def _quote_kind(self, s: int, e: int) -> tuple[str, tuple[int, int]]:
        """direct (and the words inside) when [s, e) is one quote, mixed when it holds one."""
        if s in self.opener and self.opener[s] == e - 1:
            inner = self._trimmed(s + 1, e - 1)
            if inner:
                return "direct", inner
        if any(s <= o < e for o in self.opener):
            return "mixed", (s, e)
        return "indirect", (s, e)

    def _adverb(self, k: int) -> bool:
        w = self.low[k]
        return w in SKIP_BEFORE or w in HEDGE_WORDS or (
            w.endswith("ly") and len(w) > 3 and self.text[k].islower() and w not in NOT_LY)

    def _past_adverbs(self, k: int, a: int) -> int:
        """The first word at or before k (back to a) that is not an adverb; a - 1 when none is."""
        while k >= a and self._adverb(k):
            k -= 1
        return k

    # ---- the claims found

    def _add(self, claim: Claim, number: int) -> None:
        self.claims.append(claim)
        self.unit_claims[number].append(claim)
        if claim.quote_type == "direct" and claim.cue:
            self.last_direct = (claim, self.units[number][2])
