"""spaCy DocBin: entities in doc.ents, claims and cues in span groups, what spaCy would refuse
reported, and data that `spacy debug data` passes and `spacy train` trains on."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

from app.exporting import export
from models.domain import State
from tests.app._exporting import HARD, add, at, span

CLAIM = "the engine works"


def _docs(path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


@pytest.fixture
def project(store):
    spans = [span(HARD, CLAIM, "CLAIM"),
             span(HARD, "Ada Lovelace", "PERSON"),
             span(HARD, "Dr. Ada Lovelace", "ORG"),                 # longer: wins over PERSON
             span(HARD, "Paris", "GPE"),
             span(HARD, "Paris \U0001F469\u200d\U0001F52C", "LOC"),   # longer: wins over GPE
             span(HARD, ".\r\n", "DATE"),                           # ends with whitespace
             span(HARD, "Cafe", "ORG"),                             # cuts Cafe + accent
             span(HARD, "Cafe\u0301", "PERSON", state=State.SUGGESTED),
             span(HARD, "said", "CUE"),
             span(HARD, "allegedly", "HEDGE"),
             span(HARD, "reported it", "CLAIM", state=State.REJECTED)]
    add(store, HARD, spans, relations=[(0, 1, "claimant")])
    return store


def test_exporting_spacy_entities_go_to_doc_ents(project, tmp_path):
    report = export(project, "spacy", tmp_path / "out.spacy")
    (doc,) = _docs(tmp_path / "out.spacy")
    assert doc.text == HARD
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Dr. Ada Lovelace", "ORG"), ("Paris \U0001F469\u200d\U0001F52C", "LOC")]
    assert all(HARD[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert {t.ent_iob_ for t in doc if not t.ent_type_} == {"O"}   # outside, not missing
    assert (report.records, report.outputs) == (1, [tmp_path / "out.spacy"])


def test_exporting_spacy_reports_what_spacy_would_refuse(project, tmp_path):
    report = export(project, "spacy", tmp_path / "out.spacy")
    uid = next(project.iter_annotations()).article.uid
    s, e = at(HARD, ".\r\n")
    assert f"{uid}:{s}-{e} DATE '.\\r\\n': entity starts or ends with whitespace " \
           "(spaCy rejects it)" in report.problems
    s, e = at(HARD, "Cafe")
    assert f"{uid}:{s}-{e} ORG 'Cafe': not on token boundaries" in report.problems
    overlaps = [p for p in report.problems if "overlaps" in p]
    assert len(overlaps) == 2
    assert "PERSON 'Ada Lovelace': overlaps ORG 'Dr. Ada Lovelace' (0-16)" in overlaps[0]
    assert "GPE 'Paris': overlaps LOC" in overlaps[1]
    assert len(report.problems) == 4


def test_exporting_spacy_claims_and_cues_in_span_groups(project, tmp_path):
    export(project, "spacy", tmp_path / "out.spacy")
    (doc,) = _docs(tmp_path / "out.spacy")
    assert [(s.text, s.label_) for s in doc.spans["claims"]] == [(CLAIM, "CLAIM")]
    assert [(s.text, s.label_) for s in doc.spans["cues"]] == [("said", "CUE"),
                                                               ("allegedly", "HEDGE")]


def test_exporting_spacy_suggestions_only_when_asked(project, tmp_path):
    export(project, "spacy", tmp_path / "out.spacy", include_suggestions=True)
    (doc,) = _docs(tmp_path / "out.spacy")
    assert ("Cafe\u0301", "PERSON") in [(e.text, e.label_) for e in doc.ents]


def test_exporting_spacy_never_exports_rejected_spans(project, tmp_path):
    export(project, "spacy", tmp_path / "out.spacy", include_rejected=True)
    (doc,) = _docs(tmp_path / "out.spacy")
    assert "reported it" not in [s.text for s in doc.spans["claims"]]


def test_exporting_spacy_split_by_article(store, tmp_path):
    for n in range(10):
        text = f"Report {n} from Paris."
        add(store, text, [span(text, "Paris", "GPE")])
    report = export(store, "spacy", tmp_path / "corpus", split=0.8, seed=1)
    train, dev = (_docs(p) for p in report.outputs)
    assert (len(train), len(dev)) == (8, 2)
    assert sorted(d.text for d in train + dev) == sorted(f"Report {n} from Paris."
                                                         for n in range(10))


# --- spaCy's own tools on the output -------------------------------------------------------

NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov",
         "Donald Knuth", "Frances Allen", "John Backus"]
ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries"]
PLACES = ["Paris", "Kyiv", "Lagos", "Lima", "Oslo", "Hanoi", "Quito"]
VERBS = ["said", "claimed", "reported", "announced"]


def _corpus(store, n: int) -> None:
    rng = random.Random(5)
    for i in range(n):
        who, org, where, verb = (rng.choice(NAMES), rng.choice(ORGS), rng.choice(PLACES),
                                 rng.choice(VERBS))
        claim = f"{org} will open {i % 7 + 2} offices in {where}"
        text = f"{who} {verb} on day {i} that {claim}.\r\nThe plan \U0001F4C8 was allegedly leaked."
        add(store, text, [span(text, who, "PERSON"), span(text, org, "ORG"),
                          span(text, where, "GPE"), span(text, verb, "CUE"),
                          span(text, "allegedly", "HEDGE"), span(text, claim, "CLAIM")],
            relations=[(5, 0, "claimant"), (5, 3, "cue")])


def _spacy(*args, cwd):
    return subprocess.run([sys.executable, "-m", "spacy", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_exporting_spacy_passes_debug_data_and_trains(store, tmp_path):
    _corpus(store, 130)
    report = export(store, "spacy", tmp_path / "corpus", split=0.8, seed=0)
    assert report.problems == []
    train, dev = report.outputs
    made = _spacy("init", "config", "base.cfg", "--lang", "en", "--pipeline", "ner,spancat",
                  "--optimize", "efficiency", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    config = (tmp_path / "base.cfg").read_text()
    config = config.replace('spans_key = "sc"', 'spans_key = "claims"')
    config = config.replace("spans_sc_", "spans_claims_")
    (tmp_path / "config.cfg").write_text(config)
    paths = ["--paths.train", train, "--paths.dev", dev]
    checked = _spacy("debug", "data", "config.cfg", *paths, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "invalid whitespace entity spans" not in checked.stdout
    assert "misaligned tokens" not in checked.stdout
    trained = _spacy("train", "config.cfg", *paths, "--output", "model",
                     "--training.max_epochs", 1, "--training.max_steps", 12,
                     "--training.eval_frequency", 6, cwd=tmp_path)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert (tmp_path / "model" / "model-last" / "meta.json").exists()


def test_exporting_spacy_leaves_srsly_as_it_found_it(project, tmp_path):
    import srsly
    export(project, "spacy", tmp_path / "out.spacy")
    assert "get_all" not in vars(srsly.msgpack_encoders)     # the per-batch lookup is undone
    assert "numpy" in srsly.msgpack_encoders.get_all()
