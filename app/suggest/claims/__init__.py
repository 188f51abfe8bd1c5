"""Rule-based suggestions of reported claims: what is claimed, by whom, with which cue and hedges.

    for suggestions in ClaimSuggester().suggest(texts): ...

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
Claim attributes: quote_type, certainty, claimant_kind, claimant_text, stance, claim_type.

One module a decision, each a layer of the one reader that reads a text:
  lexicon     the words the rules know (reporting verbs, hedges, titles, organisation words)
  reading     tokens, paired quotes, sentences joined across quotes, trimming; the claims found
  claimants   who makes a claim: noun phrases, names (PERSON/ORG), pronouns resolved
  cues        the reporting words and their subjects
  content     the CLAIM span a cue reports (patterns A-D)
  hedges      HEDGE spans, the claims a hedge heads, "could not be verified"
  attributes  quote_type, certainty, claimant_kind, stance, claim_type of a claim
  suggester   ClaimSuggester, and the reader that turns token ranges into spans and relations
"""
from app.suggest.claims.suggester import ClaimSuggester

__all__ = ["ClaimSuggester"]
