"""Rule-based claim suggestions: claim, cue, hedge and claimant, at exact code-point offsets."""
from __future__ import annotations

from dataclasses import dataclass

import orjson
import pytest
import spacy
from spacy.language import Language

from app.resources import default_schema, resource_path
from app.suggest.base import Suggestions
from app.suggest.claims import ClaimSuggester
from app.tokens import align, token_bounds, tokenize_one


@pytest.fixture(scope="module")
def suggester() -> ClaimSuggester:
    return ClaimSuggester()


@dataclass
class Read:
    """One suggested claim with what it is linked to, as (start, end) and text."""
    claim: tuple[int, int]
    cue: tuple[int, int] | None
    claimant: tuple[int, int, str] | None      # start, end, label
    hedges: list[tuple[int, int]]
    attributes: dict[str, str]
    indexes: dict[str, int]                      # relation label -> span index


def read(suggester: ClaimSuggester, text: str) -> list[Read]:
    return reads(text, next(iter(suggester.suggest([text]))))


def reads(text: str, out: Suggestions) -> list[Read]:
    found = []
    for i, span in enumerate(out.spans):
        if span.label != "CLAIM":
            continue
        links = [(r.label, r.child, out.spans[r.child]) for r in out.relations if r.head == i]
        cue = next(((s.start, s.end) for label, _, s in links if label == "cue"), None)
        claimant = next(((s.start, s.end, s.label) for label, _, s in links if label == "claimant"),
                        None)
        hedges = [(s.start, s.end) for label, _, s in links if label == "hedge"]
        found.append(Read((span.start, span.end), cue, claimant, hedges, span.attributes,
                          {label: child for label, child, _ in links if label != "hedge"}))
    return found


def at(text: str, part: str, after: str = "") -> tuple[int, int]:
    """The offsets of `part` (its first occurrence after `after`)."""
    start = text.index(part, text.index(after) + len(after) if after else 0)
    return start, start + len(part)


def one(found: list[Read]) -> Read:
    assert len(found) == 1, found
    return found[0]


def who(text: str, r: Read) -> str | None:
    """The claimant as text: the entity span, or the unnamed claimant_text."""
    if r.claimant:
        return text[r.claimant[0]:r.claimant[1]]
    return r.attributes.get("claimant_text")


BRIEF = [
    # text, claim, cue, claimant (label or None when unnamed), hedge, quote_type, certainty
    ("Colonel Maria Hendrix said the bridge was destroyed.", "the bridge was destroyed", "said",
     ("Maria Hendrix", "PERSON"), None, "indirect", "certain"),
    ("The bridge was destroyed, the ministry said.", "The bridge was destroyed", "said",
     ("the ministry", None), None, "indirect", "probable"),
    ("According to the Southern Command, two drones were shot down.", "two drones were shot down",
     "According to", ("Southern Command", "ORG"), None, "indirect", "probable"),
    ("“We will rebuild it,” the mayor said.", "We will rebuild it", "said", ("the mayor", None),
     None, "direct", "certain"),
    ("A video purporting to show the strike circulated online.", "the strike", None, None,
     "purporting to show", "none", "possible"),
    ("The group allegedly moved weapons across the border.", "moved weapons across the border",
     None, None, "allegedly", "none", "possible"),
    ("Officials reportedly confirmed the deal on Tuesday.", "the deal", "confirmed",
     ("Officials", None), "reportedly", "indirect", "possible"),
    ("The company claims to have doubled output.", "have doubled output", None,
     ("The company", None), "claims to", "none", "possible"),
    ("Sources say the talks collapsed.", "the talks collapsed", "say", ("Sources", None), None,
     "indirect", "probable"),
]


@pytest.mark.parametrize("text, claim, cue, claimant, hedge, quote_type, certainty", BRIEF)
def test_suggest_claims_reads_the_brief_sentences(suggester, text, claim, cue, claimant, hedge,
                                                   quote_type, certainty):
    r = one(read(suggester, text))
    assert r.claim == at(text, claim)
    assert r.cue == (at(text, cue) if cue else None)
    assert r.hedges == ([at(text, hedge)] if hedge else [])
    if claimant and claimant[1]:
        assert r.claimant == (*at(text, claimant[0]), claimant[1])
        assert r.attributes["claimant_kind"] == "entity"
    else:
        assert r.claimant is None and r.attributes["claimant_kind"] == "unnamed"
        assert r.attributes.get("claimant_text") == (claimant[0] if claimant else None)
    assert (r.attributes["quote_type"], r.attributes["certainty"]) == (quote_type, certainty)


CUE_FORMS = [
    # text, claim, cue, claimant as text
    ("The governor says the curfew will end.", "the curfew will end", "says", "The governor"),
    ("Analysts say prices will rise.", "prices will rise", "say", "Analysts"),
    ("Inspector Aino Halonen told reporters that divers had found an anchor.",
     "divers had found an anchor", "told", "Aino Halonen"),
    ("Witnesses told Reuters the blast shook the windows.", "the blast shook the windows", "told",
     "Witnesses"),
    ("Russian state media reported that the strike hit a depot.", "the strike hit a depot",
     "reported", "Russian state media"),
    ("The governor reports that power is restored.", "power is restored", "reports",
     "The governor"),
    ("The army claimed it had taken the village.", "it had taken the village", "claimed",
     "The army"),
    ("The army claims the village is under its control.", "the village is under its control",
     "claims", "The army"),
    ("The Defence Ministry confirmed that two soldiers were killed.", "two soldiers were killed",
     "confirmed", "Defence Ministry"),
    ("The ministry denied that troops had crossed the border.", "troops had crossed the border",
     "denied", "The ministry"),
    ("The company announced it would cut 300 jobs.", "it would cut 300 jobs", "announced",
     "The company"),
    ("The minister stated that taxes would rise.", "taxes would rise", "stated", "The minister"),
    ("The mayor added that the school was safe.", "the school was safe", "added", "The mayor"),
    ("Police warned that the roads were closed.", "the roads were closed", "warned", "Police"),
    ("The spokesman insisted the talks were on track.", "the talks were on track", "insisted",
     "The spokesman"),
    ("Two drones were shot down, according to the Southern Command.", "Two drones were shot down",
     "according to", "Southern Command"),
    ("They say the bridge will reopen.", "the bridge will reopen", "say", "They"),
    ("It is said that the ship dragged its anchor.", "the ship dragged its anchor", "It is said",
     None),
    ("He accused the army of shelling the town.", "the army of shelling the town", "accused",
     "He"),
    ("Prosecutors alleged that the firm hid losses.", "the firm hid losses", "alleged",
     "Prosecutors"),
    ("The agency estimated that 300 homes were damaged.", "300 homes were damaged", "estimated",
     "The agency"),
    ("Farmers’ groups have long argued that the river is too shallow.", "the river is too shallow",
     "argued", "Farmers’ groups"),
    ("The report suggested that the dam was weak.", "the dam was weak", "suggested", "The report"),
    ("She wrote on Telegram that the talks had failed.", "the talks had failed", "wrote", "She"),
    ("The bridge was destroyed, said the ministry.", "The bridge was destroyed", "said",
     "the ministry"),
    ("Poland scrambled jets, the Vistula Air Operations Centre said on Tuesday.",
     "Poland scrambled jets", "said", "Vistula Air Operations Centre"),
    ("The Inland Waterways Council, an intergovernmental body, said on Wednesday it was studying "
     "a package.", "it was studying a package", "said", "Inland Waterways Council"),
    ("Professor Oluwaseun Adeyemi of the Northfield Institute, who was not involved, said the "
     "cells were slow.", "the cells were slow", "said", "Oluwaseun Adeyemi"),
]


@pytest.mark.parametrize("text, claim, cue, claimant", CUE_FORMS)
def test_suggest_claims_each_cue_form(suggester, text, claim, cue, claimant):
    r = one(read(suggester, text))
    assert (r.claim, r.cue) == (at(text, claim), at(text, cue))
    assert who(text, r) == claimant
    if claimant and r.claimant:
        assert r.claimant[:2] == at(text, claimant)


def test_suggest_claims_deny_refutes_and_claim_verbs_are_possible(suggester):
    denied = one(read(suggester, "The ministry denied that troops had crossed the border."))
    claimed = one(read(suggester, "The army claimed it had taken the village."))
    assert denied.attributes["stance"] == "refute" and claimed.attributes["stance"] == "affirm"
    assert claimed.attributes["certainty"] == "possible"


HEDGES = [
    # text, hedge, claim
    ("The group allegedly moved weapons across the border.", "allegedly",
     "moved weapons across the border"),
    ("Insurers have also reportedly raised premiums.", "reportedly", "raised premiums"),
    ("The documents are purportedly signed by the minister.", "purportedly",
     "signed by the minister"),
    ("The tank was supposedly destroyed in May.", "supposedly", "destroyed in May"),
    ("The photo apparently shows a missile launcher.", "apparently", "shows a missile launcher"),
    ("State media published a video purporting to show drones hitting the bridge.",
     "purporting to show", "drones hitting the bridge"),
    ("A letter purporting to come from the ministry was fake.", "purporting to",
     "come from the ministry"),
    ("The university claims to be in talks with three manufacturers.", "claims to",
     "be in talks with three manufacturers"),
    ("The ship is said to have dragged its anchor.", "is said to", "have dragged its anchor"),
    ("The commander is believed to have fled.", "is believed to", "have fled"),
]


@pytest.mark.parametrize("text, hedge, claim", HEDGES)
def test_suggest_claims_each_hedge_form_heads_a_claim(suggester, text, hedge, claim):
    r = one(read(suggester, text))
    assert (r.claim, r.hedges, r.cue) == (at(text, claim), [at(text, hedge)], None)
    assert (r.attributes["certainty"], r.attributes["quote_type"]) == ("possible", "none")


@pytest.mark.parametrize("text, hedge, claim", [
    ("According to unconfirmed reports, the dam was breached.", "unconfirmed",
     "the dam was breached"),
    ("Officials said the ship had allegedly dragged its anchor.", "allegedly",
     "the ship had allegedly dragged its anchor"),
    ("The bureau claimed the strikes hit a depot allegedly used by the brigade.", "allegedly",
     "the strikes hit a depot allegedly used by the brigade"),
])
def test_suggest_claims_hedge_inside_a_claim_is_that_claims(suggester, text, hedge, claim):
    r = one(read(suggester, text))
    assert (r.claim, r.hedges) == (at(text, claim), [at(text, hedge)])
    assert r.cue is not None and r.attributes["certainty"] == "possible"


def test_suggest_claims_unconfirmed_alone_heads_nothing(suggester):
    assert next(iter(suggester.suggest(["Unconfirmed reports circulated online."]))).spans == []


def test_suggest_claims_could_not_be_verified_is_no_span_but_makes_it_possible(suggester):
    text = "The minister said the dam was breached. The claim could not be independently verified."
    out = next(iter(suggester.suggest([text])))
    assert [(text[s.start:s.end], s.label) for s in out.spans] == [
        ("the dam was breached", "CLAIM"), ("said", "CUE")]
    assert out.spans[0].attributes["certainty"] == "possible"
    plain = one(read(suggester, "The minister said the dam was breached."))
    assert plain.attributes["certainty"] == "probable"


@pytest.mark.parametrize("text", [
    "The bridge was repaired in May.",
    "They signed the said agreement in May.",
    "A spokesperson declined to say when a decision would be made.",
    "He did not say whether the bridge was safe.",
    "Reports of shelling spread on Monday.",
    "The reported attack killed two.",
    "The claims were false.",
    "The company added 300 jobs.",
    "Exporters warned of losses.",
    "",
])
def test_suggest_claims_nothing_without_a_reporting_cue(suggester, text):
    assert next(iter(suggester.suggest([text]))).spans == []


@pytest.mark.parametrize("text, first, second", [
    ("The ministry said the bridge was destroyed, while the army said it was intact.",
     ("the bridge was destroyed", "The ministry"), ("it was intact", "the army")),
    ("Colonel Maria Hendrix said the bridge was destroyed and Mayor Ana Ruiz said it was not.",
     ("the bridge was destroyed", "Maria Hendrix"), ("it was not", "Ana Ruiz")),
    ("The ministry said two drones were shot down, adding that nobody was hurt.",
     ("two drones were shot down", "The ministry"), ("nobody was hurt", "The ministry")),
    ("Poland scrambled jets, the centre said, adding that its airspace was not violated.",
     ("Poland scrambled jets", "the centre"), ("its airspace was not violated", "the centre")),
])
def test_suggest_claims_two_claims_in_one_sentence(suggester, text, first, second):
    found = read(suggester, text)
    assert [(text[r.claim[0]:r.claim[1]], who(text, r)) for r in found] == [first, second]
    assert found[0].cue != found[1].cue


def test_suggest_claims_offsets_are_exact_after_crlf_and_emoji(suggester):
    text = ("Breaking 👩‍🔬 news.\r\n\r\n“We will rebuild it 🌉,” the mayor said.\r\n"
            "Colonel Maria Hendrix said the bridge 🌉 was destroyed.\r\n")
    quote, indirect = read(suggester, text)
    assert quote.claim == at(text, "We will rebuild it 🌉") == (23, 43)   # code points
    assert quote.cue == at(text, "said")
    assert indirect.claim == at(text, "the bridge 🌉 was destroyed", after="Hendrix")
    assert indirect.claimant == (*at(text, "Maria Hendrix"), "PERSON")
    assert text[indirect.claim[0]:indirect.claim[1]] == "the bridge 🌉 was destroyed"


def test_suggest_claims_quotes_direct_mixed_and_continued(suggester):
    text = "The mayor said: “We will rebuild it. It will take a year.”"
    r = one(read(suggester, text))
    assert (r.claim, r.attributes["quote_type"]) == (at(text, "We will rebuild it. It will take a year"),
                                                     "direct")
    text = "The minister said the attack was “a war crime”."
    r = one(read(suggester, text))
    assert (r.claim, r.attributes["quote_type"]) == (at(text, "the attack was “a war crime”"), "mixed")
    text = '"We will rebuild it," the mayor said.'
    assert one(read(suggester, text)).claim == at(text, "We will rebuild it")


def test_suggest_claims_a_later_quote_is_the_same_speakers(suggester):
    text = ("“We cannot wait,” said Dr Ingrid Sørensen, who led the project. “The data is clear.”"
            " Prices rose.")
    first, second = read(suggester, text)
    assert (first.claim, second.claim) == (at(text, "We cannot wait"), at(text, "The data is clear"))
    assert first.claimant == (*at(text, "Ingrid Sørensen"), "PERSON")
    assert first.indexes == second.indexes            # the same cue and claimant spans
    assert second.attributes["quote_type"] == "direct"


def test_suggest_claims_pronoun_is_the_last_named_claimant(suggester):
    text = "Colonel Maria Hendrix said the bridge was destroyed. She said two trucks were lost."
    first, second = read(suggester, text)
    assert second.claim == at(text, "two trucks were lost")
    assert second.claimant == first.claimant == (*at(text, "Maria Hendrix"), "PERSON")
    assert second.indexes["claimant"] == first.indexes["claimant"]
    assert second.cue == at(text, "said", after="She")


@pytest.mark.parametrize("text, name, label", [
    ("Defence Minister Tarmo Vällik said the increase was needed.", "Tarmo Vällik", "PERSON"),
    ("Ukraine’s Southern Steppe Command said the bridge was destroyed.", "Southern Steppe Command",
     "ORG"),
    ("A team at the Kattegat University of Technology says it has built a cell.",
     "Kattegat University of Technology", "ORG"),
    ("According to an internal State Budget Office memo, the plan would leave a gap.",
     "State Budget Office", "ORG"),
    ("Chief executive Radu Ionescu-Marin said the company would cut purchases.",
     "Radu Ionescu-Marin", "PERSON"),
    ("NATO Secretary General Mark Rutte said allies were united.", "Mark Rutte", "PERSON"),
    ("A spokesperson for the Ministry of Defence said the base was hit.", "Ministry of Defence",
     "ORG"),
    ("Mr Smith, 45, who runs the shop, told the BBC he was “devastated” by the fire.", "Smith",
     "PERSON"),
])
def test_suggest_claims_claimant_name_without_titles_or_possessor(suggester, text, name, label):
    r = one(read(suggester, text))
    assert r.claimant == (*at(text, name), label)


@pytest.mark.parametrize("text, unnamed", [
    ("The claim could not be verified, and a Ukrainian official said the depot was empty.",
     "a Ukrainian official"),
    ("According to a source familiar with the matter, engineers began laying a crossing.",
     "a source familiar with the matter"),
    ("Glaciologists not involved in the study said the findings were consistent.",
     "Glaciologists not involved in the study"),
    ("Officials in Kyiv said the attack killed three people.", "Officials in Kyiv"),
])
def test_suggest_claims_unnamed_claimant_keeps_its_words(suggester, text, unnamed):
    r = one(read(suggester, text))
    assert r.claimant is None and r.attributes["claimant_text"] == unnamed


def sample_texts() -> list[str]:
    lines = resource_path("sample", "articles.jsonl").read_bytes().splitlines()
    return [orjson.loads(line)["text"] for line in lines if line.strip()]


def test_suggest_claims_every_span_is_trimmed_on_tokens_and_every_link_is_typed(suggester):
    texts = sample_texts() + [t for t, *_ in BRIEF + CUE_FORMS + HEDGES] + [
        "x\r\n  “Quoted 👩‍🔬 words here,”\u2028 the mayor said.\r\n"]
    schema = default_schema()
    choices = {a.name: set(a.values) for a in schema.attributes if a.kind == "choice"}
    child_labels = {"cue": {"CUE"}, "hedge": {"HEDGE"}, "claimant": {"PERSON", "ORG"}}
    claims = 0
    for text, out in zip(texts, suggester.suggest(texts)):
        doc = tokenize_one(text)
        bounds = token_bounds(doc)
        for span in out.spans:
            part = text[span.start:span.end]
            tokens = align(bounds, span.start, span.end)
            assert part and part == part.strip() and tokens is not None, part
            assert doc[tokens[1]].text not in (".", ",", ";", ":"), part     # no final period
            for name, value in span.attributes.items():
                assert name in {a.name for a in schema.attributes}
                assert name not in choices or value in choices[name], (name, value)
        for relation in out.relations:
            assert out.spans[relation.head].label == "CLAIM"
            assert out.spans[relation.child].label in child_labels[relation.label]
        claims += sum(s.label == "CLAIM" for s in out.spans)
    assert claims > 60 and suggester.labels() <= {label.name for label in schema.labels}


def test_suggest_claims_streams_one_result_per_text_in_order(suggester):
    pulled = []

    def texts():
        for i in range(10_000):
            pulled.append(i)
            yield "Officials said the bridge was destroyed." if i % 2 else "No claim here."

    results = suggester.suggest(texts())
    first, second = next(results), next(results)
    assert (first.spans, [x.label for x in second.spans]) == ([], ["CLAIM", "CUE"])
    assert len(pulled) < 1000 and suggester.name == "claims"


@Language.component("test_claims_fake_parse")
def _fake_parse(doc):
    """A parse of "State media reported that the strike hit a depot and filmed the fire."."""
    heads = [1, 2, 2, 6, 5, 6, 2, 8, 6, 2, 2, 12, 10, 2]
    deps = ["compound", "nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "det", "dobj", "cc",
            "conj", "det", "dobj", "punct"]
    if len(doc) == len(heads):
        for token, head, dep in zip(doc, heads, deps):
            token.head, token.dep_ = doc[head], dep
    return doc


def test_suggest_claims_a_parse_narrows_the_reported_clause():
    text = "State media reported that the strike hit a depot and filmed the fire."
    nlp = spacy.blank("en")
    nlp.add_pipe("test_claims_fake_parse")
    nlp.add_pipe("sentencizer")
    parsed = one(read(ClaimSuggester(nlp), text))
    ruled = one(read(ClaimSuggester(), text))
    assert parsed.claim == at(text, "the strike hit a depot")
    assert ruled.claim == at(text, "the strike hit a depot and filmed the fire")


def test_suggest_claims_a_recogniser_names_the_claimant():
    text = "Acme Widgets said profits rose."
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Acme Widgets"}])
    recognised = one(read(ClaimSuggester(nlp), text))      # no sentencizer: it adds its own
    assert recognised.claimant == (*at(text, "Acme Widgets"), "ORG")
    assert one(read(ClaimSuggester(), text)).claimant == (*at(text, "Acme Widgets"), "PERSON")
