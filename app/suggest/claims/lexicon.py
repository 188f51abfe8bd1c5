"""The words the claim rules know: reporting verbs, hedges, titles, organisation words.

Every rule that asks "is this word a ..." asks here, so that a word is added in one place.
Sets hold lower-case words; regexes are matched on the raw text. The lists were written while
reading resources/sample/articles.jsonl and say what that sample needs, not all of English.
"""
from __future__ import annotations

import re


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
PREDICTION = _words("will would ’ll 'll shall")
NOT_LY = _words("ally family rally assembly supply reply monopoly anomaly italy only")
ORG_LINKED = ORG_WORDS | _words("republic kingdom state states city gulf bay sea islands")
