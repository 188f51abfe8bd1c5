"""spaCy DocBin: entities in doc.ents, claims and cues in span groups, what spaCy would refuse
reported, and data that `spacy debug data` passes and `spacy train` trains on."""
from __future__ import annotations

import random
import subprocess
import sys
import zlib

import pytest
import spacy
import srsly
from spacy.tokens import DocBin
from spacy.util import filter_spans

from app.exporting import docbin, export
from models import errors
from models.domain import Layer, State
from tests.app._exporting import HARD, add, at, messy, span

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


# --- the streamed DocBin is spaCy's own, deflated differently -------------------------------

def _the_spacy_way(store, **options) -> bytes:
    """DocBin.to_bytes() of Docs annotated plainly with spaCy, as the export always did."""
    nlp = spacy.blank("en")
    states = [State.ACCEPTED] + ([State.SUGGESTED] if options.get("include_suggestions") else [])
    docs = []
    for a in store.iter_annotations(states=states):
        doc = nlp.make_doc(a.article.text)
        entities, groups = [], {"claims": [], "cues": []}
        for s in a.spans:
            covered = a.article.text[s.start:s.end]
            if s.layer is Layer.ENTITY and covered != covered.strip():
                continue
            found = doc.char_span(s.start, s.end, s.label, alignment_mode="strict")
            if found is not None:
                (entities if s.layer is Layer.ENTITY else
                 groups["claims" if s.layer is Layer.CLAIM else "cues"]).append(found)
        doc.ents = filter_spans(entities)
        for key, spans in groups.items():
            doc.spans[key] = spans
        docs.append(doc)
    return DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], docs=docs).to_bytes()


@pytest.mark.parametrize("options", [{}, {"include_suggestions": True}])
@pytest.mark.parametrize("articles", [60, 400])    # 400: over 64 KiB of tokens, bin32
def test_exporting_spacy_holds_exactly_what_spacy_docbin_holds(store, tmp_path, articles,
                                                               options):
    messy(store, articles)
    export(store, "spacy", tmp_path / "out.spacy", **options)
    data = (tmp_path / "out.spacy").read_bytes()
    assert zlib.decompress(data) == zlib.decompress(_the_spacy_way(store, **options))
    assert len(srsly.msgpack_loads(zlib.decompress(data))["tokens"]) >= (
        1 << 16 if articles == 400 else 0)


def test_exporting_spacy_nothing_to_export_is_an_empty_docbin(store, tmp_path):
    report = export(store, "spacy", tmp_path / "out.spacy")
    assert report.articles == 0
    assert zlib.decompress((tmp_path / "out.spacy").read_bytes()) == zlib.decompress(
        DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"]).to_bytes())


def test_exporting_spacy_too_big_for_one_docbin_is_a_clear_error(store, tmp_path, monkeypatch):
    monkeypatch.setattr(docbin, "BIN32_LIMIT", 100)
    messy(store, 20)
    (tmp_path / "exports").mkdir()
    with pytest.raises(errors.ExportError, match="too many tokens for one spaCy DocBin"):
        export(store, "spacy", tmp_path / "exports" / "out.spacy")
    assert list((tmp_path / "exports").iterdir()) == []


def test_exporting_spacy_attribute_ids_are_spacys():
    from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH
    assert docbin.ATTR_IDS == [ORTH, ENT_IOB, ENT_TYPE] == DocBin(attrs=docbin.ATTRS).attrs


def test_exporting_spacy_adler32_combines_like_zlib():
    rng = random.Random(3)
    for _ in range(200):
        a, b = rng.randbytes(rng.randint(0, 300)), rng.randbytes(rng.randint(0, 70_000))
        assert docbin.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == \
            zlib.adler32(a + b)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 255, 256, 65_535, 65_536, 70_000])
def test_exporting_spacy_msgpack_headers_are_msgpacks(size):
    assert docbin.bin_header(size) + bytes(size) == srsly.msgpack_dumps(bytes(size))
    assert docbin.array_header(size) + b"\x80" * size == srsly.msgpack_dumps([{}] * size)
