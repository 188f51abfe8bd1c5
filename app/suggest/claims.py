"""Rule-based suggestions of reported claims: what is claimed, by whom, with which cue and hedges.

Works on spacy.blank("en") + sentencizer (the project tokenizer, so every span is on token
boundaries); a pipeline given to ClaimSuggester(nlp) is used as is, and its parse, tags and
entities (when it has them) only narrow what the rules find. Offsets are code points.

What is suggested, per text (conventions of resources/sample/articles.jsonl):
  CLAIM   the content claimed, never the cue, the claimant, the complementiser "that", the
          quote marks of a direct quote, surrounding space or the final . , ; : (a claim that
          ends in a quoted fragment keeps its closing quote, and the period before it)
  CUE     the reporting word ("said", "told", "According to"); an impersonal "It is said" /
          "It was reported" is one span. A cue with a subject ("Sources say", "they say") is
          the verb alone: the subject is the claimant, kept apart so it can be typed/linked.
  HEDGE   allegedly, reportedly, purportedly, supposedly, apparently, seemingly, ostensibly;
          "purporting to (show|be)", "claims to", "is said/believed/thought/reported/alleged
          to"; unconfirmed/unverified/alleged/purported before a noun (only when inside a claim
          or its claimant: they head no claim of their own).
  PERSON/ORG  the claimant when it is a name: titles and possessors left out ("Colonel",
          "Defence Minister", "Ukraine's"); PERSON unless the name holds an organisation word.
Relations: claim -> claimant "claimant", claim -> cue "cue", claim -> hedge "hedge".
Claim attributes: quote_type (direct / mixed when quoted words are inside reported speech /
indirect; none for a claim carried only by a hedge), certainty, claimant_kind (entity, or
unnamed with claimant_text; "author" is never suggested), stance (affirm; refute for deny),
claim_type only when the text says so (quote, statistic, prediction).

Certainty as the author frames it: possible when hedged, with may/might/could, with a
claim-verb (claimed, alleged) or when a later sentence says it "could not be (independently)
verified"; probable with will/would/likely/expected or an unnamed source / "according to";
certain otherwise. "Could not be verified" is not a HEDGE span: it is about a claim made
elsewhere, and the sample leaves it unmarked.

Patterns, tried for each cue in a sentence (sentences are joined while a quote is open):
  A  "<quote>," X said / said X  -> the quote, direct; later quotes of the same speaker in the
     paragraph with no cue of their own are further claims with the same cue and claimant
  B  CONTENT, X said [on Tuesday].   -> CONTENT
  C  X said [on Tuesday] [that] CONTENT  (told: after the recipient) -> up to the end of the
     clause: a later "..., and Y said", ", although", ", which ..." at the end, a dash, ";"
  D  According to X, CONTENT. / CONTENT, according to X.
A hedge outside every claim heads one: the words after it to the end of the clause ("The group
allegedly moved weapons" -> "moved weapons ..."; "A video purporting to show the strike
circulated" -> "the strike").
Pronouns he/she/it are resolved to the last claimant named as PERSON/ORG nearby.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from app.suggest.base import SuggestedRelation, SuggestedSpan, Suggestions
from app.tokens import LANG, snap

NAME = "claims"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SAY = _words("""said says say tell tells told stated claimed claims claim insisted insists
    insist argued argues argue wrote writes write reported reports report alleged alleges allege
    warned warns warn confirmed confirms confirm denied denies deny announced announces announce
    estimated estimates estimate accused accuses accuse stressed explained asserted maintained
    predicted acknowledged admitted noted saying""")
NEEDS_THAT = _words("""added adds adding suggested suggests suggest found finds showed shows
    believes believed thinks concluded revealed disclosed""")
CUES = SAY | NEEDS_THAT
DENY = _words("denied denies deny")
CLAIM_VERBS = _words("claimed claims claim alleged alleges allege")
OBJECT_CUES = _words("confirmed confirms confirm denied denies deny announced announces announce")
TELL = _words("told tells tell")
PARTICIPLES = _words("said claimed reported alleged stated")
HEDGE_WORDS = _words("allegedly reportedly purportedly supposedly apparently seemingly ostensibly")
ATTACH_ONLY = _words("unconfirmed unverified alleged purported")
BE = _words("is are was were be been")
HEDGE_PHRASES = sorted((tuple(p.split()) for p in [
    "purporting to show", "purporting to be", "purporting to", "purports to show", "purports to",
    "purported to show", "purported to", "claims to", "claimed to", "claim to", "claiming to",
    *(f"{be} {verb} to" for be in BE for verb in
      "said believed thought reported alleged rumoured rumored understood".split())]),
    key=len, reverse=True)
HEDGE_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in HEDGE_PHRASES:
    HEDGE_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
DETS = _words("the a an this that these those its their his her our my your such no any some "
              "many several whose each every")
NOT_BEFORE_CUE = (DETS - {"that"}) | _words("to of in by with on from for as unconfirmed first "
                                            "latest new recent ’s 's")
NOUN_BEFORE = _words("media news press police")      # "media reports say", "police reports"
NOUNISH = _words("reports report claims claim estimates estimate")
SKIP_BEFORE = _words("has have had also previously later earlier then again repeatedly long "
                     "further already once first will would could can may might must should "
                     "shall did does do not n't never")
NEGATION = _words("not n't never")
CONJ = _words("and but or while as although though because that which who whom whose when "
              "where after before since if so than whereas nor until unless")
CONNECTORS = _words("and but while whereas ; , although though")
RUN_LINKS = _words("of for and de du des la le del della di da do dos das van von der den al el "
                   "bin ibn y the & -")
POSTMOD = _words("of at for from with in on by familiar close involved not who which that "
                 "published seen based working speaking quoted cited led representing")
ROLE_NOUNS = _words("spokesperson spokesman spokeswoman official officials source sources team "
                    "researchers representative representatives aide aides adviser advisers "
                    "analyst analysts scientists experts engineers lawyer lawyers member members "
                    "head chief director minister staff unit office")
DOC_NOUNS = _words("memo report reports statement study survey document documents data figures "
                   "results analysis assessment filing letter post website release records "
                   "estimate estimates readings audit review briefing")
TITLES = _words("mr mrs ms miss dr prof professor colonel col general gen lieutenant lt major "
                "maj captain capt sergeant sgt admiral commander minister president premier "
                "prime deputy secretary chancellor senator governor mayor judge justice "
                "inspector chief officer spokesperson spokesman spokeswoman ambassador director "
                "chairman chairwoman chair king queen prince princess pope bishop rev sir lord "
                "lady owner executive head author editor founder ceo leader commissioner "
                "superintendent marshal brigadier private corporal")
ORG_WORDS = _words("ministry command office agency forces army council board bureau department "
                   "committee commission university institute company corporation corp inc ltd "
                   "llc plc group party police service centre center authority association union "
                   "bank court government brigade battalion regiment division navy guard trust "
                   "alliance organisation organization agro foundation federation network news "
                   "times post press media reuters afp nato parliament assembly cabinet "
                   "kremlin pentagon council school college club fund states kingdom republic "
                   "emirates nations")
PRONOUNS = _words("he she it they we i you")
SENT_COMMON = _words("the a an this these those it its their his her our local officials "
                     "sources analysts police residents witnesses critics experts researchers "
                     "investigators authorities others some many most several other both all "
                     "officers prosecutors lawmakers insurers farmers doctors scientists "
                     "engineers diplomats observers activists")
NATIONALITY = re.compile(r"(?:an|ian|ese|ish|ch|i|ic)$")
MATRIX = _words("published posted released shared issued gave declined refused urged called "
                "vowed did offered provided") | SAY | NEEDS_THAT
ADVERBIAL_NOUNS = _words("statement interview post briefing letter report note message video "
                         "speech release email broadcast press conference")
TIME_WORDS = _words("yesterday today tonight earlier later also separately previously again "
                    "repeatedly")
PREP_START = _words("of about on to for against in at by from with into over")
DOUBLE = {"“": "”", "„": "“”", "«": "»", '"': '"'}          # opening mark -> closing marks
END_PUNCT = frozenset(".!?")
TRAIL = frozenset({".", ",", ";", ":", "—", "–", "-", "--", "…", "..."})
DASHES = frozenset({"—", "–", "--"})
BOUNDARY_PUNCT = frozenset(",;:()[]—–.!?…“”„«»\"")    # not apostrophes
MODAL_POSSIBLE = _words("may might could")
MODAL_PROBABLE = _words("will would likely probably expected ’ll 'll shall")
STATISTIC = re.compile(r"[$€£¥%]|\b(?:percent|per cent|million|billion|trillion)\b")
NEWLINES = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x85]")
DISCLAIMER = re.compile(r"\b(?:could|can) ?not (?:be )?(?:independently )?(?:verified|confirmed|"
                        r"verify|confirm)\b|\bunable to (?:independently )?(?:verify|confirm)\b|"
                        r"\b(?:has|have) not been (?:independently )?(?:verified|confirmed)\b", re.I)
DATE_WORDS = _words("monday tuesday wednesday thursday friday saturday sunday january february "
                    "march april may june july august september october november december")
AUX = _words("is are was were has have had will would can could may might should must did does do")
MAIN_VERBS = AUX | _words("went came became spread began drew got shows appears")
APPOSITION = _words("who whose which a an the one another himself herself itself themselves also "
                    "both each its his her their formerly now then previously")
LEADING = _words("and but so yet however meanwhile , :")
PREP_FWD = _words("in on at after during when late early last this to from for with before")
LINK_PREPS = _words("at for of from with")
NOT_LY = _words("ally family rally assembly supply reply monopoly anomaly italy only")
ORG_LINKED = ORG_WORDS | _words("republic kingdom state states city gulf bay sea islands")


@dataclass
class _Cue:
    s: int                   # token range of the CUE span
    e: int
    word: str                # the reporting word, lower case ("according" for "according to")
    kind: str                # "verb", "according" or "impersonal"
    left: int = 0            # where the cue's clause starts: its subject, or the cue itself
    np: tuple[int, int] | None = None       # the subject before the cue
    hedges: list[tuple[int, int]] = field(default_factory=list)   # between subject and cue


@dataclass
class _Claim:
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


class ClaimSuggester:
    """Suggests CLAIM spans with their CUE, HEDGE and claimant (PERSON/ORG) by rules."""

    name = NAME

    def __init__(self, nlp: Language | None = None, *, batch_size: int = 64) -> None:
        """Without `nlp`, its own spacy.blank("en") + sentencizer. Use from one thread at a time."""
        self.batch_size = batch_size
        own = nlp is None
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


class _Reader:
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
        self.claims: list[_Claim] = []
        self.unit_claims: list[list[_Claim]] = []
        self.last_entity: dict[str, tuple[tuple[int, int, str], int]] = {}
        self.orgs: list[tuple[tuple[int, int, str], int]] = []
        self.last_direct: tuple[_Claim, int] | None = None

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

    # ---- reading a text

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

    def _add(self, claim: _Claim, number: int) -> None:
        self.claims.append(claim)
        self.unit_claims[number].append(claim)
        if claim.quote_type == "direct" and claim.cue:
            self.last_direct = (claim, self.units[number][2])

    # ---- cues and their subjects

    def _cues(self, a: int, b: int, taken: set[int]) -> list[_Cue]:
        cues = []
        for k in range(a, b):
            if k in taken or k in self.quoted:
                continue
            w = self.low[k]
            if w == "according" and k + 1 < b and self.low[k + 1] == "to":
                cues.append(_Cue(k, k + 2, w, "according", left=k))
            elif w in CUES and self.text[k].islower() and self._verb(k, a, b):
                cues.append(self._passive(k, a) or _Cue(k, k + 1, w, "verb"))
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

    def _passive(self, k: int, a: int) -> _Cue | None:
        """"It is said" is one impersonal cue; another "X was reported" is not read."""
        if self.low[k] not in PARTICIPLES:
            return None
        j = k - 1
        while j >= a and self._adverb(j):
            j -= 1
        if j < a or self.low[j] not in BE:
            return None
        j -= 1
        if j >= a and self.low[j] in ("has", "have", "had"):
            j -= 1
        kind = "impersonal" if j >= a and self.low[j] == "it" else "passive"
        return _Cue(j if kind == "impersonal" else k, k + 1, self.low[k], kind, left=j)

    def _adverb(self, k: int) -> bool:
        w = self.low[k]
        return w in SKIP_BEFORE or w in HEDGE_WORDS or (
            w.endswith("ly") and len(w) > 3 and self.text[k].islower() and w not in NOT_LY)

    def _subject(self, cue: _Cue, a: int) -> bool:
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

    def _limit(self, cues: list[_Cue], k: int, b: int) -> int:
        """Content after cue k stops where a later cue's clause is joined on (", and Y said")."""
        for later in cues[k + 1:]:
            m = later.left
            while m - 1 > cues[k].e and (self.low[m - 1] in CONNECTORS):
                m -= 1
            if m < later.left:
                return m
        return b

    # ---- what a cue reports

    def _read_cue(self, cue: _Cue, a: int, b: int, consumed: int, limit: int,
                  number: int) -> _Claim | None:
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

    def _inherited(self, cue: _Cue, a: int, number: int) -> tuple[int, int] | _Claim | None:
        """No subject: the last claimant of this sentence, or the sentence's own subject."""
        if self.unit_claims[number]:
            return self.unit_claims[number][-1]
        if cue.left > a and (self.text[cue.left - 1] == "," or self.low[cue.left - 1] in CONJ):
            return self._sentence_subject(a, cue.left)
        return None

    def _according(self, cue: _Cue, lo: int, b: int, limit: int, number: int) -> _Claim | None:
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

    def _content_after(self, cue: _Cue, p: int, b: int, limit: int) -> tuple[int, int] | None:
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

    # ---- claimants

    def _claim(self, content: tuple[int, int], kind: str, cue: _Cue | None,
               np: tuple[int, int] | _Claim | None, number: int) -> _Claim:
        claim = _Claim(*content, quote_type=kind)
        if cue:
            claim.cue, claim.cue_word, claim.hedges = (cue.s, cue.e), cue.word, list(cue.hedges)
        if isinstance(np, _Claim):
            claim.claimant, claim.claimant_text = np.claimant, np.claimant_text
        elif np:
            claim.np = np
            self._resolve(claim, np, number)
        return claim

    def _resolve(self, claim: _Claim, np: tuple[int, int], number: int) -> None:
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

    def _entity_in(self, s: int, e: int, claim: _Claim) -> tuple[int, int, str] | None:
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

    def _named(self, run: tuple[int, int], s: int, claim: _Claim) -> tuple[int, int, str] | None:
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

    # ---- what a pipeline with a parser, tagger or recogniser adds

    def _parsed_subject(self, s: int) -> tuple[int, int] | None:
        if not self.has_dep:
            return None
        subject = next((c for c in self.toks[s].children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i > self.toks[s].i:
            return None
        first, last = self.index.get(subject.left_edge.i), self.index.get(subject.right_edge.i)
        return (first, last + 1) if first is not None and last is not None else None

    def _parsed_end(self, cue: int, p: int, end: int) -> int:
        """The end of the cue's clausal complement, when the parse has one (only shortens)."""
        if not self.has_dep:
            return end
        comp = next((c for c in self.toks[cue].children if c.dep_ in ("ccomp", "xcomp")), None)
        last = self.index.get(comp.right_edge.i) if comp is not None else None
        return last + 1 if last is not None and last + 1 - p >= 2 else end

    def _named_entity(self, head: int) -> tuple[int, int, str] | None:
        """The recogniser's PERSON, ORG, GPE, FAC or MIL_UNIT that holds the subject's head."""
        i = self.toks[head].i
        for ent in self.doc.ents:
            first, last = self.index.get(ent.start), self.index.get(ent.end - 1)
            if ent.start <= i < ent.end and first is not None and last is not None \
                    and ent.label_ in ("PERSON", "ORG", "GPE", "FAC", "MIL_UNIT"):
                return first, last + 1, "PERSON" if ent.label_ == "PERSON" else "ORG"
        return None

    # ---- hedges, quotes that go on, "could not be verified"

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

    def _read_hedges(self, hedges: list[tuple[int, int]], cues: list[_Cue], a: int, b: int,
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

    def _hedged_claim(self, s: int, e: int, cues: list[_Cue], a: int, b: int,
                      number: int) -> _Claim | None:
        limit = min((c.left for c in cues if c.left > e), default=b)
        end = self._clause_end(e, limit)
        words = self.low[s:e]
        if words[0].startswith("purport") and self._subject_only(a, s):
            end = next((k for k in range(e + 1, end) if self.low[k] in MAIN_VERBS or (
                self.text[k].islower() and self.low[k].endswith("ed"))), end)
        content = self._trimmed(e, end)
        if content is None:
            return None
        claim = _Claim(*content, quote_type="mixed" if self._quote_kind(*content)[0] == "mixed"
                       else "none", hedges=[(s, e)])
        if words[0].startswith("claim"):
            k = s - 1
            while k >= a and self._adverb(k):
                k -= 1
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
                claim = _Claim(*inner, quote_type="direct", cue=said.cue, cue_word=said.cue_word,
                               claimant=said.claimant, claimant_text=said.claimant_text)
                self._add(claim, number)

    def _read_disclaimer(self, a: int, b: int, number: int) -> None:
        """"The footage could not be independently verified.": the claims just before it."""
        match = DISCLAIMER.search(self.raw, self.start[a], self.end[b - 1])
        if not match:
            return
        earlier = self.unit_claims[number - 1] if number else []
        for claim in earlier + self.unit_claims[number]:
            if self.start[claim.start] < match.start():
                claim.doubtful = True

    # ---- the suggestions

    def _emit(self) -> Suggestions:
        out = _Out()
        for claim in self.claims:
            head = out.span(self.start[claim.start], self.end[claim.end - 1], "CLAIM",
                            self._attributes(claim))
            parts = [(claim.cue, "CUE", "cue")] if claim.cue else []
            if claim.claimant:
                parts.append((claim.claimant[:2], claim.claimant[2], "claimant"))
            parts += [(h, "HEDGE", "hedge") for h in claim.hedges]
            for (s, e), label, relation in parts:
                out.relate(head, out.span(self.start[s], self.end[e - 1], label), relation)
        return out.result

    def _attributes(self, claim: _Claim) -> dict[str, str]:
        words = set(self.low[claim.start:claim.end])
        text = self._slice(claim.start, claim.end).lower()
        attributes = {"quote_type": claim.quote_type, "certainty": self._certainty(claim, words),
                      "claimant_kind": "entity" if claim.claimant else "unnamed",
                      "stance": "refute" if claim.cue_word in DENY else "affirm"}
        if claim.claimant_text and not claim.claimant:
            attributes["claimant_text"] = claim.claimant_text
        if claim.quote_type == "direct":
            attributes["claim_type"] = "quote"
        elif STATISTIC.search(text):
            attributes["claim_type"] = "statistic"
        elif words & _words("will would ’ll 'll shall"):
            attributes["claim_type"] = "prediction"
        return attributes

    @staticmethod
    def _certainty(claim: _Claim, words: set[str]) -> str:
        if claim.hedges or claim.doubtful or words & MODAL_POSSIBLE or \
                claim.cue_word in CLAIM_VERBS:
            return "possible"
        if claim.quote_type == "direct":
            return "certain"
        if words & MODAL_PROBABLE or not claim.claimant or claim.cue_word in (
                "according", "estimated", "estimates", "estimate", "believes", "believed",
                "thinks", "suggested", "suggests"):
            return "probable"
        return "certain"
