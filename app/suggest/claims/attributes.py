"""The attributes of a CLAIM span: quote_type, certainty, claimant_kind, stance, claim_type.

Certainty as the author frames the claim: possible when hedged, with may/might/could, with a
claim-verb (claimed, alleged) or when a later sentence says it "could not be (independently)
verified"; probable with will/would/likely/expected, an unnamed source or "according to";
certain otherwise. claimant_kind is entity, or unnamed with claimant_text ("author" is never
suggested); stance is refute for deny and affirm otherwise; claim_type is set only when the
text says so: a quote, a statistic, a prediction.
"""
from __future__ import annotations

from app.suggest.claims.lexicon import (CLAIM_VERBS, DENY, MODAL_POSSIBLE, MODAL_PROBABLE,
                                        PREDICTION, STATISTIC)
from app.suggest.claims.reading import Claim


def attributes(claim: Claim, words: set[str], text: str) -> dict[str, str]:
    """Of a claim whose lower-case tokens are `words` and whose lower-case text is `text`."""
    attributes = {"quote_type": claim.quote_type, "certainty": certainty(claim, words),
                  "claimant_kind": "entity" if claim.claimant else "unnamed",
                  "stance": "refute" if claim.cue_word in DENY else "affirm"}
    if claim.claimant_text and not claim.claimant:
        attributes["claimant_text"] = claim.claimant_text
    if claim.quote_type == "direct":
        attributes["claim_type"] = "quote"
    elif STATISTIC.search(text):
        attributes["claim_type"] = "statistic"
    elif words & PREDICTION:
        attributes["claim_type"] = "prediction"
    return attributes


def certainty(claim: Claim, words: set[str]) -> str:
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
