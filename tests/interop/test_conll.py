"""CoNLL-2003 / IOB2 / BILOU: export with the project tokenizer, import of every scheme,
bad lines with FILE:LINE reasons, the CLI, and a round trip by tokens (the text is rebuilt)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.training import offsets_to_biluo_tags
from spacy.util import filter_spans

from app import tokens
from app.cli import main
from app.exporting import export, pool
from app.exporting.common import Job
from app.exporting.service import exporter_class
from app.importing import Problem, import_paths
from app.interop.tagging import biluo_tags
from app.project import create_project, open_project
from models import errors
from models.domain import ArticleRecord, SpanRecord, State
from tests.interop._roundtrip import make_project, newsmark_records, projects, spans_of, texts

DATA = Path(__file__).parent.parent / "data" / "interop" / "conll"
# hypothesis tests of the interop token formats (they use tmp_path_factory, not tmp_path)
ROUND_TRIPS = settings(max_examples=25, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = "Acme Corp hired Jane Doe. She said  it\r\nworks in Kyiv.\n\nDr. Ada Lovelace came."


def at(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def span(text: str, piece: str, label: str, **kwargs) -> SpanRecord:
    return SpanRecord(*at(text, piece), label, **kwargs)


def exported(folder: Path, records: list[ArticleRecord], **options) -> tuple[str, list[str]]:
    """The CoNLL file of a project of these articles, and the export's problems."""
    folder.mkdir(exist_ok=True)
    project = make_project(folder / "p.nmk", records)
    with open_project(project, readonly=True) as store:
        report = export(store, "conll", folder / "out.conll", **options)
    return (folder / "out.conll").read_text(encoding="utf-8"), report.problems


def imported(store) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    """(text, [(covered text, label, annotator)]) of each article, in order."""
    return [(a.article.text, [(a.article.text[s.start:s.end], s.label, s.annotator)
                              for s in a.spans]) for a in store.iter_annotations()]


def representable(text: str, entities: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The entities a token format can carry, by spaCy's own functions: on token
    boundaries, not whitespace-edged, the longest of overlapping ones (in store order)."""
    doc = tokens.tokenize_one(text)
    found = []
    for start, end, label in sorted(entities, key=lambda e: (e[0], -e[1], e[2])):
        piece = doc.char_span(start, end, label=label, alignment_mode="strict")
        if piece is not None and text[start:end] == text[start:end].strip():
            found.append(piece)
    return sorted((s.start_char, s.end_char, s.label_) for s in filter_spans(found))


def token_view(words: list[tuple[int, int]], text: str, entities: list[tuple[int, int, str]]
               ) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Token texts and entities as (first, end) token indices."""
    first = {s: i for i, (s, _) in enumerate(words)}
    last = {e: i for i, (_, e) in enumerate(words)}
    return ([text[s:e] for s, e in words],
            sorted((first[s], last[e] + 1, label) for s, e, label in entities))


# --- export ------------------------------------------------------------------------------

def test_conll_export_writes_four_columns_sentences_and_docstart(tmp_path):
    records = [ArticleRecord(TEXT, spans=[span(TEXT, "Acme Corp", "ORG"),
                                          span(TEXT, "Jane Doe", "PERSON"),
                                          span(TEXT, "Kyiv", "GPE"),
                                          span(TEXT, "said", "CUE"),
                                          span(TEXT, "She said", "CLAIM")])]
    content, problems = exported(tmp_path, records)
    assert problems == []
    assert content == (
        "-DOCSTART- -X- -X- O\n\n"
        "Acme -X- _ B-ORG\nCorp -X- _ I-ORG\nhired -X- _ O\nJane -X- _ B-PERSON\n"
        "Doe -X- _ I-PERSON\n. -X- _ O\n\n"
        "She -X- _ O\nsaid -X- _ O\nit -X- _ O\nworks -X- _ O\nin -X- _ O\n"
        "Kyiv -X- _ B-GPE\n. -X- _ O\n\n"
        "Dr. -X- _ O\nAda -X- _ O\nLovelace -X- _ O\ncame -X- _ O\n. -X- _ O\n\n")


def test_conll_export_bilou_tags(tmp_path):
    text = "Ada Lovelace met the 72nd Mechanized Brigade in Kyiv"
    records = [ArticleRecord(text, spans=[span(text, "Ada Lovelace", "PERSON"),
                                          span(text, "72nd Mechanized Brigade", "MIL_UNIT"),
                                          span(text, "Kyiv", "GPE")])]
    content, _ = exported(tmp_path, records, scheme="bilou")
    tags = [line.split(" ")[-1] for line in content.splitlines()[2:] if line]
    assert tags == ["B-PERSON", "L-PERSON", "O", "O", "B-MIL_UNIT", "I-MIL_UNIT",
                    "L-MIL_UNIT", "O", "U-GPE"]


def test_conll_export_refuses_an_unknown_scheme(tmp_path):
    with pytest.raises(errors.ExportError, match="unknown tag scheme 'bio'; choose iob2 or bilou"):
        exported(tmp_path, [ArticleRecord("Hi.")], scheme="bio")


def test_conll_export_reports_what_it_leaves_out(tmp_path):
    text = "Acme Corp hired Jane Doe in Kyiv."
    records = [ArticleRecord(text, spans=[
        span(text, "Acme Corp", "ORG"), span(text, "cme", "ORG"),       # off tokens
        span(text, "Jane Doe", "PERSON"), span(text, "Jane", "PERSON"),  # overlapped
        SpanRecord(27, 32, "GPE"),                                       # " Kyiv": edged
        span(text, "hired", "CLAIM")])]                                  # not an entity
    content, problems = exported(tmp_path, records)
    assert len(problems) == 3
    assert any("1-4 ORG 'cme': not on token boundaries" in p for p in problems)
    assert any("16-20 PERSON 'Jane': overlaps PERSON 'Jane Doe' (16-24)" in p for p in problems)
    assert any("27-32 GPE ' Kyiv': entity starts or ends with whitespace" in p
               for p in problems)
    assert "Kyiv -X- _ O" in content and "Jane -X- _ B-PERSON" in content


def test_conll_export_suggestions_only_when_asked(tmp_path):
    text = "Ada met Kyiv officials."
    records = [ArticleRecord(text, spans=[span(text, "Kyiv", "GPE", state=State.SUGGESTED),
                                          span(text, "Ada", "PERSON", state=State.REJECTED)])]
    plain, _ = exported(tmp_path, records)
    asked, _ = exported(tmp_path / "asked", records, include_suggestions=True)
    assert "Kyiv -X- _ O" in plain and "Kyiv -X- _ B-GPE" in asked
    assert "Ada -X- _ O" in asked


def test_conll_export_never_breaks_a_sentence_inside_an_entity(tmp_path):
    text = "Yahoo! Inc. said so. Then it stopped."
    records = [ArticleRecord(text, spans=[span(text, "Yahoo! Inc.", "ORG")])]
    content, _ = exported(tmp_path, records)
    blocks = content.split("\n\n")[1:-1]
    assert blocks[0].splitlines()[:3] == ["Yahoo -X- _ B-ORG", "! -X- _ I-ORG",
                                          "Inc. -X- _ I-ORG"]
    assert blocks[-1].startswith("Then")


def test_conll_export_reports_a_docstart_token(tmp_path):
    text = "Header -DOCSTART- here"
    content, problems = exported(tmp_path, [ArticleRecord(text)])
    assert problems == [f"{ArticleRecord(text).uid}:7-17 token -DOCSTART-: reads back as "
                        "an article break"]


def test_conll_cli_export_bilou_warns_and_imports_back(tmp_path, capsys):
    text = "Acme Corp hired Jane Doe."
    project = make_project(tmp_path / "p.nmk", [ArticleRecord(text, spans=[
        span(text, "Acme Corp", "ORG"), span(text, "Acm", "ORG")])])
    out = tmp_path / "out.conll"
    assert main(["export", str(project), "-f", "conll", "-o", str(out), "--scheme",
                 "bilou"]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "0-3 ORG 'Acm': not on token boundaries" in err
    assert "Corp -X- _ L-ORG" in out.read_text()
    create_project(tmp_path / "back.nmk").close()
    assert main(["import", str(tmp_path / "back.nmk"), str(out), "--annotator", "bo"]) == 0
    assert "1 imported" in capsys.readouterr().out
    with open_project(tmp_path / "back.nmk") as store:
        assert imported(store) == [("Acme Corp hired Jane Doe .", [("Acme Corp", "ORG", "bo")])]


@pytest.mark.parametrize("fmt", ["conll", "hf"])
def test_conll_and_hf_exports_in_workers_write_the_same_bytes(tmp_path, monkeypatch, fmt):
    text = "Article {}: Jane Doe met Acme Corp in Kyiv. Then she left."
    records = [ArticleRecord(text.format(i), spans=[
        span(text.format(i), "Jane Doe", "PERSON"), span(text.format(i), "ane", "PERSON"),
        span(text.format(i), "Acme Corp", "ORG")]) for i in range(40)]
    project = make_project(tmp_path / "p.nmk", records)
    with open_project(project, readonly=True) as store:
        here = export(store, fmt, tmp_path / "here.out")
        monkeypatch.setattr(pool, "MIN_ARTICLES", 1)
        monkeypatch.setattr(pool, "MIN_CHUNK", 4)
        assert pool.workers_for(exporter_class(fmt)(Job(store)), 40) or pool.cpus() < 2
        workers = export(store, fmt, tmp_path / "workers.out")
    assert (tmp_path / "here.out").read_bytes() == (tmp_path / "workers.out").read_bytes()
    assert here.problems == workers.problems and len(here.problems) == 40


@ROUND_TRIPS
@given(drawn=texts(), picks=st.lists(st.tuples(st.integers(0, 17), st.integers(0, 3),
                                               st.sampled_from(["ORG", "PERSON"]))))
def test_conll_biluo_tags_are_spacys(drawn, picks):
    text, words = drawn
    entities = representable(text, [(words[i % len(words)][0],
                                      words[min(i % len(words) + n, len(words) - 1)][1], label)
                                     for i, n, label in picks])
    doc = tokens.tokenize_one(text)
    spans = [doc.char_span(s, e, label=label) for s, e, label in entities]
    assert biluo_tags(len(doc), [(s.start, s.end, s.label_) for s in spans]) == \
        offsets_to_biluo_tags(doc, entities)


# --- import ------------------------------------------------------------------------------

SAME = [("EU rejects German call to boycott British lamb .\nPeter Blackburn",
         [("EU", "ORG"), ("German", "MISC"), ("British", "MISC"), ("Peter Blackburn", "PER")]),
        ("S. Korea Ltd Hyundai said .", [("S. Korea Ltd", "ORG"), ("Hyundai", "ORG")])]


@pytest.mark.parametrize("name", ["conll2003_iob1.conll", "iob2.iob", "bilou.bilou"])
def test_conll_import_reads_every_scheme_alike(store, name):
    report = import_paths(store, [DATA / name], annotator="ann")
    assert report.ok and report.imported == 2
    assert [(text, [(c, lab) for c, lab, _ in spans]) for text, spans in imported(store)] == SAME
    assert {who for _, spans in imported(store) for *_, who in spans} == {"ann"}


def test_conll_import_without_docstart_one_article_per_sentence(store):
    report = import_paths(store, [DATA / "sentences.bio"], fmt="conll", annotator="ann")
    assert report.ok and report.imported == 2
    assert imported(store) == [("Kyiv is shelled", [("Kyiv", "LOC", "ann")]),
                               ("Su-34 jets hit Kharkiv", [("Su-34 jets", "WEAPON", "ann"),
                                                           ("Kharkiv", "GPE", "ann")])]


def test_conll_import_rejects_bad_lines_with_file_and_line(store):
    path = DATA / "bad.conll"
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [
        Problem(str(path), 9, 'tag "B_PER" is not IOB/BILOU (the article from line 6 '
                              "is left out)"),
        Problem(str(path), 14, "one column (\"lonely\"); a token line is TOKEN ... TAG "
                               "(the article from line 12 is left out)")]
    assert imported(store) == [("Good one", [("one", "PER", "ann")]),
                               ("Last one", [("Last one", "ORG", "ann")])]


def test_conll_import_bad_utf8_refuses_its_article_only(store):
    path = DATA / "latin1.conll"
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), 1, "invalid UTF-8 (byte 0xe9 at column 4) "
                                                     "(the article from line 1 is left out)")]
    assert imported(store) == [("ok", [("ok", "X", "ann")])]


def test_conll_import_no_new_labels_refuses(store, tmp_path):
    path = tmp_path / "x.conll"
    path.write_text("Ada B-PERSON\nsaid O\n\nAcme B-COMPANY\n")
    report = import_paths(store, [path], annotator="ann", allow_new_labels=False)
    assert [p.reason for p in report.rejected] == ["unknown label COMPANY (--no-new-labels)"]
    assert report.imported == 1


# --- round trip --------------------------------------------------------------------------

def conll_round_trip(folder: Path, records: list[ArticleRecord], **options
                     ) -> tuple[list[dict], list[dict]]:
    """Newsmark records of a project and of its CoNLL export imported (detected by the
    suffix) into a new one, in article order: the texts differ, so uids cannot match."""
    original = make_project(folder / "original.nmk", records)
    with open_project(original, readonly=True) as store:
        export(store, "conll", folder / "out.conll", **options)
    create_project(folder / "back.nmk").close()
    with open_project(folder / "back.nmk") as store:
        report = import_paths(store, [folder / "out.conll"], annotator="importer")
    assert report.ok, report.rejected
    return (newsmark_records(original, folder / "original.jsonl"),
            newsmark_records(folder / "back.nmk", folder / "back.jsonl"))


def sent_view(record: dict) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The original: the tokenizer's tokens, the entities a CoNLL file can carry."""
    text = record["text"]
    bounds = tokens.token_bounds(tokens.tokenize_one(text), skip_space=True)
    entities = representable(text, spans_of(record, layers=("entity",)))
    return token_view(list(zip(bounds.starts, bounds.ends)), text, entities)


def back_view(record: dict) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The import: words of the rebuilt text, its spans."""
    text = record["text"]
    words = [m.span() for m in re.finditer(r"\S+", text)]
    return token_view(words, text, spans_of(record))


@ROUND_TRIPS
@given(records=projects(attributes=False))
def test_conll_round_trip_keeps_tokens_and_entities(tmp_path_factory, records):
    before, back = conll_round_trip(tmp_path_factory.mktemp("rt"), records)
    sent = [sent_view(r) for r in before]
    assume(len({tuple(words) for words, _ in sent}) == len(sent))   # no two texts collapse
    assert [back_view(r) for r in back] == sent
    assert all(s["annotator"] == "importer" for r in back for s in r["spans"])
