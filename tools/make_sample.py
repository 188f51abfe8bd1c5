#!/usr/bin/env python3
"""Build Newsmark's bundled sample project: resources/sample/articles.jsonl.

The twelve articles below were written for Newsmark. They are fiction: the people,
companies, quotes, figures and events are invented; only countries, cities, rivers and
widely reported weapon designations are real names.

Annotations are written by SURFACE TEXT, never by offset. A reference is either
  "text"                          -- must occur exactly once in the article
  R("text", occurrence=2)         -- the 2nd occurrence (1-based)
  R("text", within="context")     -- the context must occur once, and the text once inside it
The script finds code-point offsets with str.find, writes the lossless JSONL format
(one article per line) and then re-reads the file and validates it; rerun it after editing:

    .venv/bin/python tools/make_sample.py
"""
from __future__ import annotations

import hashlib
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "resources" / "schema.json"
OUT_PATH = ROOT / "resources" / "sample" / "articles.jsonl"

TS = "2026-11-01T09:00:00.000Z"
SOURCE = "Newsmark sample"
ANNOTATOR = "sample"
STATUSES = ["done"] * 4 + ["in_progress"] * 2 + ["new"] * 6


@dataclass(frozen=True)
class R:
    """A reference to a surface string in the article text."""
    text: str
    occurrence: int | None = None
    within: str | None = None


def E(text: str, label: str, occurrence: int | None = None, within: str | None = None) -> tuple[R, str]:
    """An entity (or any non-claim) span by surface text."""
    return R(text, occurrence, within), label


def P(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------------------
# The articles
# --------------------------------------------------------------------------------------

ARTICLES: list[dict[str, Any]] = [
    # 1 -- conflict (done)
    dict(
        title="Bridge on key supply route destroyed, southern command says",
        author="Petra Lindqvist",
        published="2026-10-13",
        text=P(
            "A road bridge over the Inhulets River south of Kryvyi Rih was destroyed early on "
            "Tuesday, cutting one of the main supply routes to the southern front, Ukraine’s "
            "Southern Steppe Command said.",
            "Colonel Andriy Melnychuk, a spokesperson for the command, said the bridge was hit by "
            "at least three Shahed-136 drones shortly after 4 a.m. and that two fuel trucks were "
            "lost. No one was killed, he added.",
            "Russian state media reported that the strike was carried out by a unit of the 26th "
            "Kuban Combined Arms Army and published a video purporting to show drones hitting the "
            "bridge’s central span. The footage could not be independently verified.",
            "According to a source familiar with the matter, engineers of the 14th Coastal "
            "Defence Brigade began laying a pontoon crossing about 2 kilometres downstream within "
            "hours of the attack.",
            "The bridge, built in 1987, survived the Kherson counteroffensive in 2022 but was "
            "damaged in March when a Su-34 struck it with glide bombs. Local officials said traffic would be diverted through Apostolove for "
            "at least two weeks.",
        ),
        entities=[
            E("Inhulets River", "LOC"),
            E("Kryvyi Rih", "GPE"),
            E("Tuesday", "DATE"),
            E("southern front", "LOC"),
            E("Ukraine", "GPE"),
            E("Southern Steppe Command", "MIL_UNIT"),
            E("Andriy Melnychuk", "PERSON"),
            E("at least three", "QUANTITY"),
            E("Shahed-136", "WEAPON"),
            E("two fuel trucks", "QUANTITY"),
            E("Russian", "NORP"),
            E("26th Kuban Combined Arms Army", "MIL_UNIT"),
            E("14th Coastal Defence Brigade", "MIL_UNIT"),
            E("2 kilometres", "QUANTITY"),
            E("1987", "DATE"),
            E("Kherson counteroffensive", "EVENT"),
            E("2022", "DATE"),
            E("March", "DATE"),
            E("Su-34", "WEAPON"),
            E("Apostolove", "GPE"),
            E("two weeks", "DATE"),
        ],
        claims=[
            {"claim": "the bridge was hit by at least three Shahed-136 drones shortly after 4 a.m.",
             "cue": R("said", within="command, said"), "claimant": "Andriy Melnychuk", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "event", "quote_type": "indirect",
                            "certainty": "probable", "check_worthy": "yes", "verdict": "unverified"}},
            {"claim": "the strike was carried out by a unit of the 26th Kuban Combined Arms Army",
             "cue": "reported", "claimant": None, "hedge": None,
             "attributes": {"claimant_kind": "unnamed", "claimant_text": "Russian state media",
                            "stance": "affirm", "claim_type": "event", "quote_type": "indirect",
                            "certainty": "possible", "check_worthy": "yes", "verdict": "unverified"}},
            {"claim": "drones hitting the bridge’s central span",
             "cue": None, "claimant": None, "hedge": "purporting to show",
             "attributes": {"claimant_kind": "unnamed", "claimant_text": "Russian state media",
                            "stance": "affirm", "claim_type": "event", "quote_type": "none",
                            "certainty": "possible", "check_worthy": "yes",
                            "verdict": "not_enough_info",
                            "note": "A video is offered as evidence; the author does not vouch for it."}},
            {"claim": "engineers of the 14th Coastal Defence Brigade began laying a pontoon "
                      "crossing about 2 kilometres downstream within hours of the attack",
             "cue": "According to", "claimant": None, "hedge": None,
             "attributes": {"claimant_kind": "unnamed",
                            "claimant_text": "a source familiar with the matter",
                            "stance": "affirm", "claim_type": "event", "quote_type": "indirect",
                            "certainty": "probable", "check_worthy": "unsure",
                            "verdict": "unverified"}},
        ],
    ),
    # 2 -- politics, curly quotes and an em dash, direct quotes (done)
    dict(
        title="Estonian coalition splits over plan to raise defence spending",
        author="Mart Kuusik",
        published="2026-09-24",
        text=P(
            "Estonia’s governing coalition was on the brink of collapse on Thursday after its "
            "junior partner refused to back a plan to raise defence spending to 5 percent of gross "
            "domestic product by 2028.",
            "“We cannot ask pensioners to pay for artillery shells,” said Kadri Lepik, who leads "
            "the Green Future party in parliament. “There are other ways to fund this — and the "
            "government knows it.”",
            "Defence Minister Tarmo Vällik said the increase was needed to buy a further six M142 "
            "HIMARS launchers and to expand the Estonian Home Reserve Corps by 4,000 volunteers. "
            "He accused the opposition of “playing politics with national security.”",
            "According to an internal State Budget Office memo seen by this newspaper, the plan "
            "would leave a gap of €410 million in next year’s budget — a figure the office "
            "declined to confirm.",
            "Prime Minister Liis Orav is expected to meet party leaders in Tallinn on Monday. "
            "Analysts said a snap election in the spring could not be ruled out.",
        ),
        entities=[
            E("Estonia", "GPE", within="Estonia’s"),
            E("Thursday", "DATE"),
            E("5 percent", "QUANTITY"),
            E("2028", "DATE"),
            E("Kadri Lepik", "PERSON"),
            E("Green Future", "ORG"),
            E("Tarmo Vällik", "PERSON"),
            E("six", "QUANTITY", within="further six M142"),
            E("M142 HIMARS", "WEAPON"),
            E("Estonian Home Reserve Corps", "ORG"),
            E("4,000 volunteers", "QUANTITY"),
            E("State Budget Office", "ORG"),
            E("€410 million", "QUANTITY"),
            E("next year", "DATE"),
            E("Liis Orav", "PERSON"),
            E("Tallinn", "GPE"),
            E("Monday", "DATE"),
            E("spring", "DATE"),
        ],
        claims=[
            {"claim": "We cannot ask pensioners to pay for artillery shells",
             "cue": R("said", within="said Kadri"), "claimant": "Kadri Lepik", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "quote", "quote_type": "direct",
                            "certainty": "certain", "check_worthy": "no", "verdict": "unverified"}},
            {"claim": "There are other ways to fund this — and the government knows it",
             "cue": R("said", within="said Kadri"), "claimant": "Kadri Lepik", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "quote", "quote_type": "direct",
                            "certainty": "certain", "check_worthy": "unsure",
                            "verdict": "unverified"}},
            {"claim": "the increase was needed to buy a further six M142 HIMARS launchers and to "
                      "expand the Estonian Home Reserve Corps by 4,000 volunteers",
             "cue": R("said", within="Vällik said"), "claimant": "Tarmo Vällik", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "causal", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "yes", "verdict": "unverified"}},
            {"claim": "the plan would leave a gap of €410 million in next year’s budget",
             "cue": "According to", "claimant": "State Budget Office", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "probable", "check_worthy": "yes",
                            "verdict": "not_enough_info",
                            "note": "Memo seen by the paper; the office would not confirm."}},
        ],
    ),
    # 3 -- economy, a claim by the author (done)
    dict(
        title="Grain exporters warn of losses as Danube freight rates climb",
        author="Ioana Dragomir",
        published="2026-10-20",
        text=P(
            "Freight rates for grain barges on the Danube have nearly doubled since August, "
            "squeezing exporters in Romania and Moldova just as the harvest reaches the ports, "
            "industry figures show.",
            "Brenova Agro, one of the largest traders in the region, said it had paid an average "
            "of $38 per tonne to move wheat from Izmail to Constanța in October, compared with $21 "
            "a year earlier. Chief executive Radu Ionescu-Marin said the company would cut "
            "purchases from smaller farms if rates stayed at that level.",
            "Shipping brokers blame low water levels and a shortage of tugboats. Insurers have "
            "also reportedly raised premiums for vessels that pass within 50 kilometres of the "
            "Ukrainian coast after a series of drone attacks on port infrastructure.",
            "The Inland Waterways Freight Council, an intergovernmental body, said on Wednesday "
            "it was studying an emergency support package, but gave no figures. A spokesperson "
            "declined to say when a decision would be made.",
            "Farmers’ groups have long argued that the river’s capacity problems are structural. "
            "They are right: without dredging and new locks, the Danube will remain a bottleneck "
            "for every bad season to come.",
        ),
        entities=[
            E("Danube", "LOC", occurrence=1),
            E("August", "DATE"),
            E("Romania", "GPE"),
            E("Moldova", "GPE"),
            E("Brenova Agro", "ORG"),
            E("$38 per tonne", "QUANTITY"),
            E("Izmail", "GPE"),
            E("Constanța", "GPE"),
            E("October", "DATE"),
            E("$21", "QUANTITY"),
            E("a year earlier", "DATE"),
            E("Radu Ionescu-Marin", "PERSON"),
            E("50 kilometres", "QUANTITY"),
            E("Ukrainian", "NORP"),
            E("Inland Waterways Freight Council", "ORG"),
            E("Wednesday", "DATE"),
            E("Danube", "LOC", occurrence=2),
        ],
        claims=[
            {"claim": "it had paid an average of $38 per tonne to move wheat from Izmail to "
                      "Constanța in October, compared with $21 a year earlier",
             "cue": R("said", within="region, said"), "claimant": "Brenova Agro", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "yes", "verdict": "supported"}},
            {"claim": "the company would cut purchases from smaller farms if rates stayed at that "
                      "level",
             "cue": R("said", within="Ionescu-Marin said"), "claimant": "Radu Ionescu-Marin",
             "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "prediction",
                            "quote_type": "indirect", "certainty": "probable",
                            "check_worthy": "no", "verdict": "unverified"}},
            {"claim": "raised premiums for vessels that pass within 50 kilometres of the Ukrainian "
                      "coast",
             "cue": None, "claimant": None, "hedge": "reportedly",
             "attributes": {"claimant_kind": "unnamed", "claimant_text": "unattributed reports",
                            "stance": "affirm", "claim_type": "event", "quote_type": "none",
                            "certainty": "possible", "check_worthy": "yes",
                            "verdict": "unverified"}},
            {"claim": "without dredging and new locks, the Danube will remain a bottleneck for "
                      "every bad season to come",
             "cue": None, "claimant": None, "hedge": None,
             "attributes": {"claimant_kind": "author", "claimant_text": "Ioana Dragomir",
                            "stance": "affirm", "claim_type": "prediction", "quote_type": "none",
                            "certainty": "certain", "check_worthy": "unsure",
                            "verdict": "unverified",
                            "note": "The author's own view, stated as fact."}},
        ],
    ),
    # 4 -- science (done)
    dict(
        title="Researchers report battery cell that survives 20,000 charge cycles",
        author=None,
        published="2026-10-06",
        text=P(
            "A team at the Kattegat University of Technology says it has built a sodium-ion "
            "battery cell that kept 90 percent of its capacity after 20,000 charge cycles, a "
            "result that could make grid storage considerably cheaper if it holds up outside the "
            "laboratory.",
            "The study, published on Monday in the journal Ion Storage Quarterly, describes a "
            "cathode made from iron and manganese, two metals that are far more abundant than the "
            "cobalt and nickel used in most electric-car batteries.",
            "“This is the first time we have seen that kind of stability at room temperature,” "
            "said Dr Ingrid Sørensen, who led the project. She said a pilot line in Aarhus could "
            "produce cells in small volumes by 2028.",
            "Not everyone is convinced. Professor Oluwaseun Adeyemi of the Northfield Institute "
            "of Technology, who was not involved in the research, said the cells had only been "
            "tested at low charging speeds and that their energy density remained roughly 30 "
            "percent below that of comparable lithium-ion designs.",
            "The university has filed two patent applications and claims to be in talks with "
            "three European manufacturers, which it declined to name.",
        ),
        entities=[
            E("Kattegat University of Technology", "ORG"),
            E("90 percent", "QUANTITY"),
            E("20,000 charge cycles", "QUANTITY"),
            E("Monday", "DATE"),
            E("Ion Storage Quarterly", "ORG"),
            E("Ingrid Sørensen", "PERSON"),
            E("Aarhus", "GPE"),
            E("2028", "DATE"),
            E("Oluwaseun Adeyemi", "PERSON"),
            E("Northfield Institute of Technology", "ORG"),
            E("30 percent", "QUANTITY"),
            E("two patent applications", "QUANTITY"),
            E("three", "QUANTITY", within="three European"),
            E("European", "NORP"),
        ],
        claims=[
            {"claim": "it has built a sodium-ion battery cell that kept 90 percent of its capacity "
                      "after 20,000 charge cycles",
             "cue": "says", "claimant": "Kattegat University of Technology", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "probable", "check_worthy": "yes",
                            "verdict": "unverified"}},
            {"claim": "This is the first time we have seen that kind of stability at room "
                      "temperature",
             "cue": R("said", within="said Dr"), "claimant": "Ingrid Sørensen", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "quote", "quote_type": "direct",
                            "certainty": "certain", "check_worthy": "unsure",
                            "verdict": "unverified"}},
            {"claim": "the cells had only been tested at low charging speeds and that their energy "
                      "density remained roughly 30 percent below that of comparable lithium-ion "
                      "designs",
             "cue": R("said", within="research, said"), "claimant": "Oluwaseun Adeyemi",
             "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "yes", "verdict": "supported"}},
            {"claim": "be in talks with three European manufacturers",
             "cue": None, "claimant": "Kattegat University of Technology", "hedge": "claims to",
             "attributes": {"stance": "affirm", "claim_type": "event", "quote_type": "none",
                            "certainty": "possible", "check_worthy": "unsure",
                            "verdict": "unverified"}},
        ],
    ),
    # 5 -- local news, emoji, precomposed "José", decomposed "Café" (in progress)
    dict(
        title="Riverside café reopens after flood, owner thanks volunteers",
        author="Hannah Pryce",
        published="2026-10-25",
        text=P(
            "Four months after the River Severn burst its banks, the Cafe\u0301 Rivage on Quay "
            "Street in Worcester reopened on Saturday to a queue that stretched around the corner.",
            "Owner Jos\u00e9 Carvalho, 52, said the flood in June had left 1.2 metres of water in the "
            "dining room and destroyed equipment worth about £60,000. “Honestly, I thought we "
            "were finished,” he said.",
            "More than 40 volunteers from the Riverbank Neighbours Trust and a nearby school "
            "helped strip and repaint the building over the summer. On the café’s social media "
            "page, a post announcing the reopening read simply: “We’re back ☕🎉 Thank you, "
            "Worcester!”",
            "The Severn Flood Recovery Board said it had paid out £2.3 million in emergency "
            "grants to 310 businesses since the flood. A board spokesperson said flood defences "
            "along the quay would be raised by 60 centimetres before next winter, although "
            "campaigners say work has not yet started.",
        ),
        entities=[
            E("Four months", "DATE"),
            E("River Severn", "LOC"),
            E("Cafe\u0301 Rivage", "ORG"),
            E("Quay Street", "LOC"),
            E("Worcester", "GPE", within="Street in Worcester"),
            E("Saturday", "DATE"),
            E("Jos\u00e9 Carvalho", "PERSON"),
            E("June", "DATE"),
            E("1.2 metres", "QUANTITY"),
            E("£60,000", "QUANTITY"),
            E("More than 40 volunteers", "QUANTITY"),
            E("Riverbank Neighbours Trust", "ORG"),
            E("summer", "DATE"),
            E("Worcester", "GPE", within="Thank you, Worcester"),
            E("Severn Flood Recovery Board", "ORG"),
            E("£2.3 million", "QUANTITY"),
            E("310 businesses", "QUANTITY"),
            E("60 centimetres", "QUANTITY"),
            E("next winter", "DATE"),
        ],
        claims=[
            {"claim": "the flood in June had left 1.2 metres of water in the dining room and "
                      "destroyed equipment worth about £60,000",
             "cue": R("said", within="52, said"), "claimant": "Jos\u00e9 Carvalho", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "no", "verdict": "unverified"}},
            {"claim": "it had paid out £2.3 million in emergency grants to 310 businesses since the "
                      "flood",
             "cue": R("said", within="Board said"), "claimant": "Severn Flood Recovery Board",
             "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "yes", "verdict": "supported"}},
            {"claim": "flood defences along the quay would be raised by 60 centimetres before next "
                      "winter",
             "cue": R("said", within="spokesperson said"), "claimant": None, "hedge": None,
             "attributes": {"claimant_kind": "unnamed", "claimant_text": "a board spokesperson",
                            "stance": "affirm", "claim_type": "prediction",
                            "quote_type": "indirect", "certainty": "probable",
                            "check_worthy": "yes", "verdict": "unverified"}},
        ],
    ),
    # 6 -- conflict, air defence (in progress)
    dict(
        title="Air defence command says most drones downed in overnight attack on energy sites",
        author="Oleh Savchuk",
        published="2026-10-19",
        text=P(
            "Ukraine’s Western Shield Air Defence Command said it shot down 31 of the 40 "
            "Shahed-type drones and two Kh-101 cruise missiles launched overnight into Sunday, "
            "mostly at energy facilities in the Lviv and Volyn regions.",
            "Lieutenant General Serhiy Kovalenko, who heads the command, said mobile fire groups "
            "and a Patriot battery had been used in the defence of Lviv. Debris from one missile "
            "damaged a substation on the city’s outskirts, leaving about 18,000 households without "
            "power for several hours.",
            "Poland scrambled F-16 jets as a precaution, the Vistula Air Operations Centre said, "
            "adding that its airspace had not been violated.",
            "Russia’s Defence Information Bureau claimed the strikes had hit “military-industrial "
            "facilities” and a fuel depot allegedly used by the 6th Podillia Reserve Brigade. The "
            "claim could not be verified, and a Ukrainian official said the depot had been "
            "abandoned since spring.",
        ),
        entities=[
            E("Ukraine", "GPE"),
            E("Western Shield Air Defence Command", "MIL_UNIT"),
            E("31", "QUANTITY"),
            E("40", "QUANTITY"),
            E("Shahed-type", "WEAPON"),
            E("Kh-101", "WEAPON"),
            E("Sunday", "DATE"),
            E("Lviv", "GPE", occurrence=1),
            E("Volyn", "GPE"),
            E("Serhiy Kovalenko", "PERSON"),
            E("Patriot", "WEAPON"),
            E("Lviv", "GPE", occurrence=2),
            E("18,000 households", "QUANTITY"),
            E("Poland", "GPE"),
            E("F-16", "WEAPON"),
            E("Vistula Air Operations Centre", "MIL_UNIT"),
            E("Russia", "GPE"),
            E("Defence Information Bureau", "ORG"),
            E("6th Podillia Reserve Brigade", "MIL_UNIT"),
            E("Ukrainian", "NORP", within="a Ukrainian official"),
            E("spring", "DATE"),
        ],
        claims=[
            {"claim": "it shot down 31 of the 40 Shahed-type drones and two Kh-101 cruise missiles "
                      "launched overnight into Sunday",
             "cue": R("said", within="Command said"),
             "claimant": "Western Shield Air Defence Command", "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "statistic", "quote_type": "indirect",
                            "certainty": "probable", "check_worthy": "yes",
                            "verdict": "unverified"}},
            {"claim": "mobile fire groups and a Patriot battery had been used in the defence of "
                      "Lviv",
             "cue": R("said", within="command, said"), "claimant": "Serhiy Kovalenko",
             "hedge": None,
             "attributes": {"stance": "affirm", "claim_type": "event", "quote_type": "indirect",
                            "certainty": "certain", "check_worthy": "unsure",
                            "verdict": "unverified"}},
            {"claim": "the strikes had hit “military-industrial facilities” and a fuel depot "
                      "allegedly used by the 6th Podillia Reserve Brigade",
             "cue": "claimed", "claimant": "Defence Information Bureau", "hedge": "allegedly",
             "attributes": {"stance": "affirm", "claim_type": "event", "quote_type": "mixed",
                            "certainty": "possible", "check_worthy": "yes",
                            "verdict": "not_enough_info"}},
            {"claim": "the depot had been abandoned since spring",
             "cue": R("said", within="official said"), "claimant": None, "hedge": None,
             "attributes": {"claimant_kind": "unnamed", "claimant_text": "a Ukrainian official",
                            "stance": "affirm", "claim_type": "event", "quote_type": "indirect",
                            "certainty": "possible", "check_worthy": "yes",
                            "verdict": "unverified",
                            "note": "Contradicts the bureau's claim about the depot."}},
        ],
    ),
    # 7 -- defence procurement (new, a few entities)
    dict(
        title="Czech tank battalion to receive first Leopard 2A8s in 2027",
        author=None,
        published="2026-09-30",
        text=P(
            "Czech officials have signed a contract worth 34 billion koruna for 44 Leopard 2A8 "
            "main battle tanks, with the first deliveries expected in the second half of 2027, the "
            "country’s Armoured Vehicle Procurement Office said on Tuesday.",
            "Procurement chief Pavel Hrubý said the tanks would replace ageing T-72M4 CZ vehicles "
            "in the 17th Moravian Tank Battalion, and that at least 30 percent of the contract "
            "value would go to Czech suppliers.",
            "The deal includes training, spare parts and an option for a further 33 vehicles. "
            "Opposition lawmakers questioned why the office had not held an open tender, and a "
            "parliamentary committee is due to review the contract in January.",
            "According to a person briefed on the negotiations, the contract includes a penalty "
            "of 0.1 percent of its value for every week of delay.",
        ),
        entities=[
            E("Czech", "NORP", occurrence=1),
            E("44", "QUANTITY"),
            E("Leopard 2A8", "WEAPON"),
            E("2027", "DATE"),
            E("Pavel Hrubý", "PERSON"),
        ],
        claims=[],
    ),
    # 8 -- politics, direct quote (new, unannotated)
    dict(
        title="Kraków mayoral race heads for run-off after tight first round",
        author="Agnieszka Rola",
        published="2026-10-13",
        text=P(
            "Voters in Kraków will return to the polls on 26 October after none of the five "
            "candidates for mayor won more than half of the vote in the first round, according to "
            "official results published on Monday.",
            "Independent candidate Zofia Wrona finished first with 38.4 percent, ahead of the "
            "incumbent, Marek Dziedzic, on 31.9 percent. Turnout was 54 percent, slightly higher "
            "than in the last municipal election in 2024.",
            "Wrona, a former transport engineer, has promised to build two new tram lines and to "
            "cap rents in council-owned flats. Dziedzic said her plans would cost at least 2 "
            "billion złoty and could not be paid for without raising local taxes.",
            "“The city needs someone who will finish what was started, not start over,” Dziedzic "
            "told supporters at a rally in the Old Town on Sunday evening. Wrona’s campaign said "
            "it had received the backing of two of the eliminated candidates.",
        ),
        entities=[],
        claims=[],
    ),
    # 9 -- economy (new, unannotated)
    dict(
        title="Chilean copper miner cuts output forecast as prices slide",
        author="Tomás Ibarra",
        published="2026-10-22",
        text=P(
            "Cobrenor, a mid-sized Chilean copper producer, cut its output forecast for next year "
            "by 8 percent on Wednesday, saying that a sharp fall in copper prices had made two of "
            "its older open pits unprofitable.",
            "The company said it now expected to produce about 210,000 tonnes of copper in 2027, "
            "down from an earlier estimate of 228,000 tonnes, and that it would delay an expansion "
            "of its smelter near Calama by at least a year. Its shares fell 6.2 percent in "
            "Santiago.",
            "Copper, which accounts for roughly half of Chile’s exports, has lost about 12 percent "
            "of its value since July amid weaker demand from China. Finance Minister Camila Reyes "
            "Soto said on Thursday that the government would not change its spending plans for "
            "2027, but warned that tax revenue from mining could fall short of forecasts.",
            "Some analysts expect other mid-sized producers to announce cuts of their own before "
            "the end of the year. Others argue that a weaker peso, which reportedly touched its "
            "lowest level in eight months last week, will cushion exporters’ margins.",
        ),
        entities=[],
        claims=[],
    ),
    # 10 -- science (new, unannotated)
    dict(
        title="Survey finds Norwegian glacier lost a fifth of its volume in a decade",
        author=None,
        published="2026-09-18",
        text=P(
            "The Skarvbreen glacier in western Norway has lost about a fifth of its volume since "
            "2015, according to a survey published on Friday by researchers at the Nordfjord "
            "Institute of Glaciology.",
            "The team used drone-mounted radar and GPS stakes drilled into the ice to measure its "
            "thickness at more than 600 points. The glacier’s front has retreated by 340 metres "
            "over the same period, lead author Håkon Bredesen said.",
            "Bredesen said the losses were driven mainly by warmer summers rather than by lower "
            "snowfall, and that the glacier could split into two smaller bodies of ice before "
            "2040. Meltwater from the glacier feeds a hydropower reservoir that supplies "
            "electricity to roughly 9,000 homes.",
            "Glaciologists not involved in the study said the findings were consistent with "
            "measurements elsewhere in Scandinavia. The survey is due to be repeated in 2028.",
        ),
        entities=[],
        claims=[],
    ),
    # 11 -- security, Baltic Sea (new, a few entities)
    dict(
        title="Finland investigates damage to Baltic Sea data cable",
        author="Mikko Rautio",
        published="2026-10-29",
        text=P(
            "Finnish authorities are investigating damage to an undersea data cable linking "
            "Helsinki and Tallinn, investigators said on Wednesday, days after a cargo ship was "
            "seen loitering above it.",
            "Officials said the vessel, a 190-metre bulk carrier sailing under a Cook Islands "
            "flag, had allegedly dragged its anchor along the seabed for roughly 80 kilometres. "
            "The ship’s operator, a company registered in Dubai, denied any wrongdoing.",
            "Inspector Aino Halonen, who leads the investigation, told reporters that divers had "
            "recovered an anchor fragment and that samples would be sent to a laboratory in "
            "Espoo. She declined to speculate on a motive.",
            "The Baltic Coastal Alliance said it had increased patrols in the Gulf of Finland, "
            "deploying two frigates and a P-8 Poseidon maritime patrol aircraft. Estonian "
            "officials said traffic on the cable had been rerouted and that customers had not "
            "lost service.",
        ),
        entities=[
            E("Helsinki", "GPE"),
            E("Tallinn", "GPE"),
            E("Aino Halonen", "PERSON"),
            E("Baltic Coastal Alliance", "ORG"),
        ],
        claims=[],
    ),
    # 12 -- local news, direct quote (new, unannotated)
    dict(
        title="Seville to trial car-free Sundays along the river",
        author="Carmen Vidal Ruiz",
        published="2026-10-08",
        text=P(
            "Seville will close a 3-kilometre stretch of road along the Guadalquivir to cars every "
            "Sunday from next month, city officials announced on Thursday, in a six-month trial "
            "that they hope will cut noise and pollution in the historic centre.",
            "Deputy mayor Lucía Ferrer Ortega said the scheme would cost about €250,000, mostly "
            "for signage and extra buses. “We want families to get this space back, at least one "
            "day a week,” she said.",
            "Local shopkeepers are divided. A survey by the neighbourhood traders’ association "
            "found that 46 percent of its members opposed the plan, while 39 percent supported it. "
            "Taxi drivers have threatened to protest outside the town hall.",
            "Air quality on the riverside road regularly exceeds European Union limits for "
            "nitrogen dioxide in summer, according to readings from roadside monitoring stations. "
            "Officials said they would publish measurements from the trial every month.",
        ),
        entities=[],
        claims=[],
    ),
]


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------

def load_schema() -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    schema = orjson.loads(SCHEMA_PATH.read_bytes())
    layers = {lab["name"]: lab["layer"] for lab in schema["labels"]}
    attrs = {a["name"]: a for a in schema["attributes"]}
    return layers, attrs


def occurrences(text: str, surface: str) -> list[int]:
    found, i = [], text.find(surface)
    while i != -1:
        found.append(i)
        i = text.find(surface, i + 1)
    return found


def locate(text: str, ref: str | R, where: str) -> tuple[int, int, str]:
    """Code-point offsets [start, end) of a reference, asserting it is unambiguous."""
    if isinstance(ref, str):
        ref = R(ref)
    surface = ref.text
    assert surface, f"{where}: empty reference"
    if ref.within is not None:
        ctx = occurrences(text, ref.within)
        assert len(ctx) == 1, f"{where}: context {ref.within!r} found {len(ctx)} times, need 1"
        inner = occurrences(ref.within, surface)
        assert len(inner) == 1, (f"{where}: {surface!r} occurs {len(inner)} times in context "
                                 f"{ref.within!r}, need 1")
        start = ctx[0] + inner[0]
    else:
        found = occurrences(text, surface)
        assert found, f"{where}: {surface!r} not found"
        if ref.occurrence is None:
            assert len(found) == 1, (f"{where}: {surface!r} occurs {len(found)} times; "
                                     f"give occurrence= or within=")
            start = found[0]
        else:
            assert 1 <= ref.occurrence <= len(found), (
                f"{where}: {surface!r} occurrence {ref.occurrence} asked, {len(found)} found")
            start = found[ref.occurrence - 1]
    end = start + len(surface)
    assert text[start:end] == surface
    return start, end, surface


def build_article(n: int, spec: dict[str, Any], layers: dict[str, str],
                  attr_defs: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], list[tuple]]:
    """One JSONL record, plus (start, end, label, surface) of every span for later checks."""
    text: str = spec["text"]
    where = f"article {n} ({spec['title']!r})"

    spans: dict[tuple[int, int, str], dict[str, Any]] = {}   # (start, end, label) -> span
    intended: list[tuple[int, int, str, str]] = []

    def add(ref: str | R, label: str, what: str, attributes: dict[str, str] | None = None,
            share: bool = False) -> tuple[int, int, str]:
        assert label in layers, f"{where}: {what}: label {label!r} not in schema"
        start, end, surface = locate(text, ref, f"{where}: {what}")
        key = (start, end, label)
        if key in spans:
            assert share, f"{where}: {what}: duplicate span {label} {surface!r}"
            return key
        span: dict[str, Any] = {"start": start, "end": end, "label": label,
                                "layer": layers[label], "state": "accepted", "origin": "manual",
                                "annotator": ANNOTATOR, "created": TS, "updated": TS}
        if attributes is not None:
            span["attributes"] = attributes
        spans[key] = span
        intended.append((start, end, label, surface))
        return key

    entity_keys = []
    for ref, label in spec["entities"]:
        assert layers[label] == "entity", f"{where}: {label} is not an entity label"
        entity_keys.append(add(ref, label, f"entity {ref.text!r}"))

    # claims: (claim key, [(relation label, child key), ...])
    claim_links: list[tuple[tuple[int, int, str], list[tuple[str, tuple[int, int, str]]]]] = []
    for c in spec["claims"]:
        assert set(c) == {"claim", "cue", "claimant", "hedge", "attributes"}, f"{where}: claim keys {set(c)}"
        cwhere = f"claim {str(c['claim'])[:40]!r}"
        attrs = dict(c["attributes"])
        if c["claimant"] is not None:
            assert attrs.setdefault("claimant_kind", "entity") == "entity", f"{where}: {cwhere}"
            assert "claimant_text" not in attrs, f"{where}: {cwhere}: claimant is an entity span"
        else:
            assert attrs.get("claimant_kind") in ("author", "unnamed"), (
                f"{where}: {cwhere}: no claimant span needs claimant_kind author/unnamed")
            assert attrs.get("claimant_text"), f"{where}: {cwhere}: give claimant_text"
        for name, value in attrs.items():
            d = attr_defs.get(name)
            assert d is not None, f"{where}: {cwhere}: attribute {name!r} not in schema"
            if d["kind"] == "choice":
                assert value in d["values"], f"{where}: {cwhere}: {name}={value!r} not in {d['values']}"
            else:
                assert isinstance(value, str) and value.strip() == value and value, (
                    f"{where}: {cwhere}: {name} must be non-empty trimmed text")
        attrs = {name: attrs[name] for name in attr_defs if name in attrs}   # schema order

        ckey = add(c["claim"], "CLAIM", cwhere, attributes=attrs)
        links = []
        if c["claimant"] is not None:
            s, e, _ = locate(text, c["claimant"], f"{where}: {cwhere}: claimant")
            match = [k for k in entity_keys if k[0] == s and k[1] == e]
            assert len(match) == 1, f"{where}: {cwhere}: claimant {c['claimant']!r} is not one entity span"
            links.append(("claimant", match[0]))
        if c["cue"] is not None:
            links.append(("cue", add(c["cue"], "CUE", f"{cwhere}: cue", share=True)))
        if c["hedge"] is not None:
            links.append(("hedge", add(c["hedge"], "HEDGE", f"{cwhere}: hedge", share=True)))
        for rel, child in links:
            if rel == "claimant":
                continue
            # the cue sits outside the claim; a hedge may sit inside it; both must be near it
            if rel == "cue":
                assert child[1] <= ckey[0] or child[0] >= ckey[1], f"{where}: {cwhere}: cue overlaps claim"
            gap = max(child[0] - ckey[1], ckey[0] - child[1], 0)
            assert gap <= 120, f"{where}: {cwhere}: {rel} is {gap} characters away from the claim"
        claim_links.append((ckey, links))

    order = sorted(spans, key=lambda k: (k[0], -k[1], k[2]))
    index = {k: i for i, k in enumerate(order)}
    span_list = []
    for i, k in enumerate(order):
        span_list.append({"id": i, **spans[k]})
    rel_rank = {"claimant": 0, "cue": 1, "hedge": 2}
    relations = [{"head": index[ckey], "child": index[child], "label": rel, "annotator": ANNOTATOR,
                  "created": TS}
                 for ckey, links in claim_links for rel, child in links]
    relations.sort(key=lambda r: (r["head"], rel_rank[r["label"]], r["child"]))

    record = {
        "newsmark": 1,
        "uid": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "title": spec["title"],
        "text": text,
        "source": SOURCE,
        "url": None,
        "author": spec["author"],
        "published": spec["published"],
        "meta": {},
        "status": STATUSES[n - 1],
        "created": TS,
        "updated": TS,
        "spans": span_list,
        "relations": relations,
    }
    return record, intended


# --------------------------------------------------------------------------------------
# Validation of the written file
# --------------------------------------------------------------------------------------

RECORD_KEYS = ["newsmark", "uid", "title", "text", "source", "url", "author", "published", "meta",
               "status", "created", "updated", "spans", "relations"]
SPAN_KEYS = ["id", "start", "end", "label", "layer", "state", "origin", "annotator", "created",
             "updated"]
RELATION_KEYS = ["head", "child", "label", "annotator", "created"]


def validate(path: Path, intended: list[list[tuple]], layers: dict[str, str],
             attr_defs: dict[str, dict[str, Any]]) -> tuple[int, int, int]:
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw
    lines = raw.split(b"\n")[:-1]
    assert len(lines) == len(ARTICLES) == 12, f"{len(lines)} lines"
    uids = set()
    total_spans = total_claims = total_relations = 0
    combining_articles = 0
    for n, (line, wanted) in enumerate(zip(lines, intended), 1):
        rec = orjson.loads(line)
        where = f"line {n}"
        assert list(rec) == RECORD_KEYS, f"{where}: keys {list(rec)}"
        assert orjson.dumps(rec) == line, f"{where}: not canonical"
        text = rec["text"]
        assert rec["newsmark"] == 1 and rec["uid"] == hashlib.sha256(text.encode()).hexdigest()
        assert rec["uid"] not in uids
        uids.add(rec["uid"])
        assert rec["status"] == STATUSES[n - 1]
        assert rec["published"].startswith("2026-") and len(rec["published"]) == 10
        assert rec["title"] and rec["title"].strip() == rec["title"]

        # the text: 600-1500 code points, 3-6 paragraphs, clean paragraph breaks
        assert 600 <= len(text) <= 1500, f"{where}: {len(text)} characters"
        paras = text.split("\n\n")
        assert 3 <= len(paras) <= 6, f"{where}: {len(paras)} paragraphs"
        for p in paras:
            assert p and p.strip() == p and "\n" not in p, f"{where}: bad paragraph {p[:30]!r}"
        assert "  " not in text, f"{where}: double space"
        if any(unicodedata.combining(ch) for ch in text):
            combining_articles += 1

        spans = rec["spans"]
        assert [s["id"] for s in spans] == list(range(len(spans)))
        assert [(s["start"], -s["end"], s["label"]) for s in spans] == sorted(
            (s["start"], -s["end"], s["label"]) for s in spans), f"{where}: spans not sorted"
        assert sorted((s["start"], s["end"], s["label"]) for s in spans) == sorted(
            (w[0], w[1], w[2]) for w in wanted)
        for s in spans:
            keys = SPAN_KEYS + (["attributes"] if s["label"] == "CLAIM" else [])
            assert list(s) == keys, f"{where}: span keys {list(s)}"
            assert s["label"] in layers and s["layer"] == layers[s["label"]], f"{where}: {s}"
            assert (s["state"], s["origin"], s["annotator"], s["created"], s["updated"]) == (
                "accepted", "manual", ANNOTATOR, TS, TS)
            start, end = s["start"], s["end"]
            assert 0 <= start < end <= len(text)
            surface = text[start:end]
            assert (start, end, s["label"], surface) in wanted, f"{where}: unexpected {surface!r}"
            assert not surface[0].isspace() and not surface[-1].isspace(), f"{where}: {surface!r}"
            assert "\n" not in surface, f"{where}: span crosses a paragraph: {surface!r}"
            # grapheme boundaries: never start on, nor cut before, a combining mark
            assert not unicodedata.combining(text[start]), f"{where}: {surface!r} starts on a mark"
            assert end == len(text) or not unicodedata.combining(text[end]), (
                f"{where}: {surface!r} cuts a combining mark off")
            if s["label"] == "CLAIM":
                for name, value in s["attributes"].items():
                    d = attr_defs[name]
                    assert d["kind"] != "choice" or value in d["values"], f"{where}: {name}={value}"
                assert list(s["attributes"]) == [a for a in attr_defs if a in s["attributes"]]
        # entity spans never overlap one another
        ents = sorted((s["start"], s["end"]) for s in spans if s["layer"] == "entity")
        for (a0, a1), (b0, b1) in zip(ents, ents[1:]):
            assert a1 <= b0, f"{where}: entities overlap: {text[a0:a1]!r} / {text[b0:b1]!r}"

        rels = rec["relations"]
        seen = set()
        for r in rels:
            assert list(r) == RELATION_KEYS and r["annotator"] == ANNOTATOR and r["created"] == TS
            head, child = spans[r["head"]], spans[r["child"]]
            assert head["label"] == "CLAIM", f"{where}: relation head {head}"
            want = {"claimant": lambda c: c["layer"] == "entity",
                    "cue": lambda c: c["label"] == "CUE",
                    "hedge": lambda c: c["label"] == "HEDGE"}[r["label"]]
            assert want(child), f"{where}: {r['label']} -> {child['label']}"
            assert (r["head"], r["label"]) not in seen, f"{where}: two {r['label']} on one claim"
            seen.add((r["head"], r["label"]))
        claims = [i for i, s in enumerate(spans) if s["label"] == "CLAIM"]
        for i in claims:
            kind = spans[i]["attributes"]["claimant_kind"]
            assert ((i, "claimant") in seen) == (kind == "entity"), f"{where}: claim {i} claimant"
            assert ("claimant_text" in spans[i]["attributes"]) == (kind != "entity")
        for s in spans:
            if s["layer"] == "cue":
                assert any(spans[r["child"]] is s for r in rels), f"{where}: orphan cue {s}"

        if n <= 6:
            assert 10 <= len(spans) <= 30, f"{where}: {len(spans)} spans"
            assert 2 <= len(claims) <= 4, f"{where}: {len(claims)} claims"
        total_spans += len(spans)
        total_claims += len(claims)
        total_relations += len(rels)
    assert combining_articles == 1, "exactly one article carries a decomposed accent"
    return total_spans, total_claims, total_relations


def main() -> int:
    layers, attr_defs = load_schema()
    assert len(ARTICLES) == len(STATUSES) == 12
    records, intended = [], []
    for n, spec in enumerate(ARTICLES, 1):
        rec, wanted = build_article(n, spec, layers, attr_defs)
        records.append(rec)
        intended.append(wanted)

    # the variety the sample promises
    texts = [r["text"] for r in records]
    assert any("“" in t and "”" in t and "—" in t for t in texts), "curly quotes + em dash"
    assert any(any(ord(ch) > 0xFFFF for ch in t) and "Jos\u00e9" in t and "e\u0301" in t
               for t in texts), "emoji + José + decomposed accent in one article"
    used = {s["label"] for r in records for s in r["spans"]}
    assert used == set(layers), f"labels never used: {set(layers) - used}"
    hedges = {r["text"][s["start"]:s["end"]] for r in records for s in r["spans"] if s["label"] == "HEDGE"}
    assert {"allegedly", "reportedly", "purporting to show", "claims to"} <= hedges, hedges
    kinds = {s["attributes"]["claimant_kind"] for r in records for s in r["spans"] if s["label"] == "CLAIM"}
    assert kinds == {"entity", "author", "unnamed"}, kinds

    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_bytes(b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in records))

    n_spans, n_claims, n_rels = validate(OUT_PATH, intended, layers, attr_defs)
    print(f"wrote {OUT_PATH.relative_to(ROOT)}: {len(records)} articles, {n_spans} spans "
          f"({n_claims} claims), {n_rels} relations")
    for r in records:
        print(f"  {r['status']:<11} {len(r['text']):>5} chars {len(r['spans']):>3} spans  {r['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
