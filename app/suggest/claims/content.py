"""What a cue reports: the CLAIM content span, by one of four patterns.

Tried for each cue of a sentence (sentences are joined while a quote is open):
  A  "<quote>," X said / said X  -> the quote, direct; later quotes of the same speaker in the
     paragraph with no cue of their own are further claims with the same cue and claimant
  B  CONTENT, X said [on Tuesday].   -> CONTENT
  C  X said [on Tuesday] [that] CONTENT  (told: after the recipient) -> up to the end of the
     clause: a later "..., and Y said", ", although", ", which ..." at the end, a dash, ";"
  D  According to X, CONTENT. / CONTENT, according to X.
The content is never the cue, the claimant, the complementiser "that", the quote marks of a
direct quote, surrounding space or the final . , ; : (a claim that ends in a quoted fragment
keeps its closing quote, and the period before it). quote_type is direct when the content is
one quote, mixed when it holds quoted words, indirect otherwise. A cue without a subject
(", adding that ...") takes the claimant of the claim before it in the sentence. A parse, when
the pipeline has one, can only shorten the clause.
"""
from __future__ import annotations

from app.suggest.claims.lexicon import (ADVERBIAL_NOUNS, AUX, BOUNDARY_PUNCT, CONJ, DASHES,
                                        DATE_WORDS, END_PUNCT, MATRIX, NEEDS_THAT, OBJECT_CUES,
                                        PREP_START, RUN_LINKS, TELL, TIME_WORDS, TRAIL)
from app.suggest.claims.cues import Cue, Cues
from app.suggest.claims.reading import Claim


class Content(Cues):
    """The content layer: the CLAIM span each cue reports, and quotes that go on."""

    def _read_cue(self, cue: Cue, a: int, b: int, consumed: int, limit: int,
                  number: int) -> Claim | None:
        lo = max(a, consumed)
        if cue.kind == "according":
            return self._according(cue, lo, b, limit, number)
        inverted = cue.np is None and cue.kind == "verb" and cue.word not in TELL
        np_after = self._noun_phrase_after(cue.e, b) if inverted else None   # "said X"
        quote = self._quote_before(cue.left, lo)
        if quote:                                                      # "“...,” X said"
            kind, inner = self._quote_kind(*quote)
            return self._claim(inner, kind, cue, cue.np or np_after, number)
        after = self._skip_adverbials(np_after[1] if np_after else cue.e, b)
        if after + 1 < b and self.text[after] == "," and self.low[after + 1] in AUX:
            return None                           # "The plan, the minister said, was final."
        comma = cue.left - 1
        if (after == b or self.text[after] in TRAIL | END_PUNCT) and comma >= lo \
                and self.text[comma] == ",":                          # "CONTENT, X said."
            content = self._trimmed(self._lead(lo, comma), comma)
            if content:
                kind, inner = self._quote_kind(*content)
                return self._claim(inner, kind, cue, cue.np or np_after, number)
            return None
        content = self._content_after(cue, self._skip_adverbials(cue.e, b), b, limit)
        if content is None:
            return None
        kind, inner = self._quote_kind(*content)
        np = cue.np or self._inherited(cue, a, number)
        return self._claim(inner, kind, cue, np, number)

    def _quote_before(self, left: int, lo: int) -> tuple[int, int] | None:
        """The quote that ends, with its comma, right before the subject or the cue."""
        c = left - 1
        comma = c >= lo and self.text[c] == ","
        c -= comma
        o = self.closer.get(c)
        if o is None or o < lo or o != self._lead(lo, o):
            return None
        if comma or self.text[c - 1] in ",?!…":
            return o, c + 1
        return None

    def _inherited(self, cue: Cue, a: int, number: int) -> tuple[int, int] | Claim | None:
        """No subject: the last claimant of this sentence, or the sentence's own subject."""
        if self.unit_claims[number]:
            return self.unit_claims[number][-1]
        if cue.left > a and (self.text[cue.left - 1] == "," or self.low[cue.left - 1] in CONJ):
            return self._sentence_subject(a, cue.left)
        return None

    def _according(self, cue: Cue, lo: int, b: int, limit: int, number: int) -> Claim | None:
        start = self._lead(lo, cue.s)
        if start < cue.s:                                     # "CONTENT, according to X."
            end = next((k for k in range(cue.e, b) if self.text[k] in ",;"), b)
            np, content = self._trimmed(cue.e, end), self._trimmed(start, cue.s)
        else:                                                 # "According to X, CONTENT."
            comma = next((k for k in range(cue.e, b) if self.text[k] == ","), None)
            if comma is None:
                return None
            np = self._trimmed(cue.e, comma)
            content = self._trimmed(comma + 1, self._clause_end(comma + 1, min(b, limit)))
        if content is None:
            return None
        kind, inner = self._quote_kind(*content)
        return self._claim(inner, kind, cue, np, number)

    def _content_after(self, cue: Cue, p: int, b: int, limit: int) -> tuple[int, int] | None:
        if cue.word in TELL:
            p = self._skip_adverbials(self._skip_recipient(p, b), b)
        that = p < b and self.low[p] in ("that", ":")
        p += that
        if p >= b or self.low[p] in PREP_START or self.text[p] in TRAIL | END_PUNCT:
            return None
        if cue.word in NEEDS_THAT and not (that or p in self.opener):
            return None
        end = self._clause_end(p, min(b, limit))
        end = min(end, self._parsed_end(cue.s, p, end))
        if cue.word in OBJECT_CUES and not that:
            end = self._without_time(p, end)
        return self._trimmed(p, end)

    def _skip_recipient(self, p: int, b: int) -> int:
        """"told reporters (that)", "told the BBC": the words the content starts after."""
        for k in range(p, min(b, p + 7)):
            if self.low[k] == "that":
                return k
            if self.text[k] in BOUNDARY_PUNCT:
                break
        if p < b and self.low[p] in ("the", "a", "an"):
            p += 1
        if p < b and self._cap(p):
            while p < b and (self._cap(p) or self.low[p] in RUN_LINKS and p + 1 < b
                             and self._cap(p + 1)):
                p += 1
            return p
        return p + 1 if p < b and self.text[p].islower() else p

    def _skip_adverbials(self, p: int, b: int) -> int:
        """"on Wednesday", "late on Monday", "in a statement", "yesterday", "last week"."""
        for _ in range(4):
            w = self.low[p] if p < b else ""
            nxt = self.low[p + 1] if p + 1 < b else ""
            if w in TIME_WORDS:
                p += 1
            elif w in ("last", "this") and nxt in ("week", "month", "year", "night", "weekend"):
                p += 2
            elif w in ("late", "early") and nxt == "on":
                p += 1
            elif w == "on" and p + 1 < b and (self._cap(p + 1) or self.text[p + 1][0].isdigit()):
                p += 2
                while p < b and (self._cap(p) or self.text[p][0].isdigit()
                                 or self.low[p] in ("morning", "afternoon", "evening", "night")):
                    p += 1
            elif w == "in" and nxt in ("a", "an", "its", "his", "her", "their") and p + 2 < b \
                    and self.low[p + 2] in ADVERBIAL_NOUNS:
                p += 3
            else:
                break
        return p

    def _clause_end(self, p: int, limit: int) -> int:
        """Where the reported clause ends: see the module docstring."""
        k = p
        while k < limit:
            if k in self.opener and self.opener[k] < limit:
                k = self.opener[k] + 1
                continue
            t, nxt = self.text[k], self.low[k + 1] if k + 1 < limit else ""
            rest = range(k + 1, limit)
            if t == ";" or (t in DASHES and not any(self.text[i] in DASHES for i in rest)):
                return k
            if t == "," and (nxt in ("although", "though", "whereas", "according", "saying",
                                     "adding")
                             or nxt == "which" and not any(self.text[i] == "," for i in rest)
                             or nxt in ("a", "an") and self._comment(k + 2, limit)):
                return k
            if self.low[k] in ("and", "but") and nxt in MATRIX and k > p:
                return k - (self.text[k - 1] == ",")
            if t == "," and nxt in ("and", "but") and k + 2 < limit \
                    and self.low[k + 2] in MATRIX:
                return k
            k += 1
        return limit

    def _comment(self, k: int, limit: int) -> bool:
        """", a result that ..." at the end of a sentence: the author's comment."""
        near = [self.low[i] for i in range(k, min(k + 3, limit))]
        return any(w in ("that", "which") for w in near) and \
            not any(self.text[i] == "," for i in range(k, limit))

    def _without_time(self, p: int, end: int) -> int:
        """"confirmed the deal on Tuesday": the time is the cue's."""
        span = self._trimmed(p, end)
        if span is None:
            return end
        e = span[1]
        if e - 2 > p and self.low[e - 2] == "on" and self.low[e - 1] in DATE_WORDS:
            return e - 2
        if e - 1 > p and self.low[e - 1] in ("yesterday", "today"):
            return e - 1
        return end

    def _parsed_end(self, cue: int, p: int, end: int) -> int:
        """The end of the cue's clausal complement, when the parse has one (only shortens)."""
        if not self.has_dep:
            return end
        comp = next((c for c in self.toks[cue].children if c.dep_ in ("ccomp", "xcomp")), None)
        last = self.index.get(comp.right_edge.i) if comp is not None else None
        return last + 1 if last is not None and last + 1 - p >= 2 else end

    def _continue_quotes(self, a: int, b: int, number: int) -> None:
        """A quote with no cue of its own, after a quoted claim in the same paragraph, is the
        same speaker's: “We cannot ...,” said X. “There are other ways ...”"""
        if self.last_direct is None:
            return
        said = self.last_direct[0]
        for o, c in sorted(self.opener.items()):
            if not (a <= o and c < b) or c - o < 4 or o in self.quoted:
                continue
            if any(x.start <= c and o < x.end for x in self.unit_claims[number]):
                continue
            if o != self._lead(a, o) and not self.unit_claims[number]:
                continue
            inner = self._trimmed(o + 1, c)
            if inner:
                claim = Claim(*inner, quote_type="direct", cue=said.cue, cue_word=said.cue_word,
                               claimant=said.claimant, claimant_text=said.claimant_text)
                self._add(claim, number)
