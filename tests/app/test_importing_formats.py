"""Reading each format: .txt, .jsonl (Prodigy), .csv, .html, folders."""
from __future__ import annotations

import socket
from pathlib import Path

import orjson
import pytest

from app.importing import Problem, import_paths


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def jsonl(*records: object) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def articles(store):
    return list(store.iter_annotations())


# --- .txt --------------------------------------------------------------------------------

@pytest.mark.parametrize("content, title, text", [
    (b"\xef\xbb\xbfHello\r\nworld\r\n", "Hello", "Hello\r\nworld\r\n"),
    (b"\r\n  \r\n  The title  \r\nbody", "The title", "\r\n  \r\n  The title  \r\nbody"),
    (b"lone\rcarriage\n", "lone\rcarriage", "lone\rcarriage\n"),
    ("Caf\u00e9 Zoe\u0308 \U0001F469\u200d\U0001F52c\u2028next\n".encode(), None, None),
])
def test_importing_txt_keeps_the_exact_text(store, tmp_path, content, title, text):
    path = write(tmp_path, "a.txt", content)
    report = import_paths(store, [path], annotator="ann")
    expected = text if text is not None else content.decode("utf-8-sig")
    [a] = articles(store)
    assert report.imported == 1 and report.ok
    assert a.article.text == expected
    assert a.article.title == (title if title is not None else expected.split("\n")[0].strip())


@pytest.mark.parametrize("content, line, reason", [
    (b"ok\nok\nbad \xff here\n", 3, "invalid UTF-8 (byte 0xff at column 5)"),
    (b"\xef\xbb\xbf\xc3(\n", 1, "invalid UTF-8 (byte 0xc3 at column 1)"),
    (b"a\r\n\r\n\xed\xa0\x80", 3, "invalid UTF-8 (byte 0xed at column 1)"),   # encoded surrogate
    (b"", 1, "empty text"),
    (b"\xef\xbb\xbf", 1, "empty text"),
    (b"  \r\n\t\n", 1, "empty text"),
    (b"a\x00b", 1, "text contains a NUL character (offset 1)"),
])
def test_importing_txt_rejects_with_the_line(store, tmp_path, content, line, reason):
    path = write(tmp_path, "bad.txt", content)
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), line, reason)]
    assert report.imported == 0 and store.article_ids() == []


# --- .jsonl (Prodigy style) ------------------------------------------------------------------

def test_importing_jsonl_bom_crlf_blank_lines_and_line_separators(store, tmp_path):
    content = (b"\xef\xbb\xbf" + orjson.dumps({"text": "one\u2028two\u0085three"}) + b"\r\n"
               + b"\n   \r\n" + orjson.dumps({"text": "four"}) + b"\n" + b"{bad\n")
    path = write(tmp_path, "a.jsonl", content)
    report = import_paths(store, [path], annotator="ann")
    assert [a.article.text for a in articles(store)] == ["one\u2028two\u0085three", "four"]
    assert [(p.line, p.reason.split(":")[0]) for p in report.rejected] == [(5, "not JSON")]


def test_importing_jsonl_refuses_a_bom_after_line_one(store, tmp_path):
    path = write(tmp_path, "a.jsonl", b'{"text": "a"}\n\xef\xbb\xbf{"text": "b"}\n')
    report = import_paths(store, [path], annotator="ann")
    assert report.imported == 1
    assert [(p.line, "byte order mark" in p.reason) for p in report.rejected] == [(2, True)]


@pytest.mark.parametrize("text, spans", [
    ("\U0001F469\u200d\U0001F52c Dr. Ada spoke.\r\nParis", [(8, 11, "Ada"), (20, 25, "Paris")]),
    ("Cafe\u0301 owner Zoe\u0308 left.", [(0, 5, "Cafe\u0301"), (12, 16, "Zoe\u0308")]),
    ("\u2028\U0001F600x\r\ny", [(2, 3, "x"), (5, 6, "y")]),
])
def test_importing_offsets_are_code_points(store, tmp_path, text, spans):
    record = {"text": text, "spans": [{"start": s, "end": e, "label": "PERSON"} for s, e, _ in spans]}
    path = write(tmp_path, "a.jsonl", jsonl(record))
    assert import_paths(store, [path], annotator="ann").ok
    [a] = articles(store)
    assert [a.article.text[s.start:s.end] for s in a.spans] == [covered for *_, covered in spans]


def test_importing_prodigy_utf16_offsets_are_converted_by_the_span_text(store, tmp_path):
    text = "\U0001F469\u200d\U0001F52c Dr. Ada spoke."
    good = {"text": text, "spans": [{"start": 10, "end": 13, "label": "PERSON", "text": "Ada"}]}
    bad = {"text": text + "!", "spans": [{"start": 0, "end": 2, "label": "PERSON", "text": "Zed"}]}
    path = write(tmp_path, "a.jsonl", jsonl(good, bad))
    report = import_paths(store, [path], annotator="ann")
    [a] = articles(store)
    assert [(s.start, s.end) for s in a.spans] == [(8, 11)]
    assert [p.line for p in report.rejected] == [2]
    assert "but the span says 'Zed'" in report.rejected[0].reason


def test_importing_prodigy_fields_meta_and_internals(store, tmp_path):
    record = {"text": "Acme Corp hired Jane Doe.", "title": "Hiring", "url": "https://x.test/a",
              "meta": {"source": "a-42", "author": "Kim", "published": "2024-01-02", "n": 1},
              "_input_hash": 1, "_task_hash": 2, "_view_id": "ner_manual", "answer": "accept",
              "tokens": [], "_session_id": "s", "_timestamp": 3, "lang": "en"}
    path = write(tmp_path, "a.jsonl", jsonl(record))
    assert import_paths(store, [path], annotator="ann").ok
    art = articles(store)[0].article
    assert (art.title, art.url, art.source, art.author, art.published) == (
        "Hiring", "https://x.test/a", "a-42", "Kim", "2024-01-02")
    assert art.meta == {"lang": "en", "source": "a-42", "author": "Kim",
                        "published": "2024-01-02", "n": 1}


@pytest.mark.parametrize("answer, imported, skipped", [
    ("accept", 1, 0), (None, 1, 0), ("reject", 0, 1), ("ignore", 0, 1)])
def test_importing_prodigy_answers(store, tmp_path, answer, imported, skipped):
    record = {"text": "Some text.", **({"answer": answer} if answer else {})}
    report = import_paths(store, [write(tmp_path, "a.jsonl", jsonl(record))], annotator="ann")
    assert (report.imported, report.skipped, report.rejected) == (imported, skipped, [])


def test_importing_prodigy_spans_are_accepted_imports_by_the_annotator(store, tmp_path):
    record = {"text": "Acme Corp hired Jane Doe.",
              "spans": [{"start": 0, "end": 9, "label": "ORG", "token_start": 0, "token_end": 1},
                        {"start": 16, "end": 24, "label": "PERSON"}]}
    import_paths(store, [write(tmp_path, "a.jsonl", jsonl(record))], annotator="bob")
    spans = articles(store)[0].spans
    assert [(s.label, str(s.state), s.origin, s.annotator) for s in spans] == [
        ("ORG", "accepted", "import", "bob"), ("PERSON", "accepted", "import", "bob")]


def test_importing_prodigy_relations(store, tmp_path):
    org = {"start": 0, "end": 9, "token_start": 0, "token_end": 1, "label": "ORG"}
    person = {"start": 16, "end": 24, "token_start": 3, "token_end": 4, "label": "PERSON"}
    good = {"text": "Acme Corp hired Jane Doe.", "spans": [org, person], "relations": [
        {"head": 1, "child": 4, "head_span": org, "child_span": person, "label": "EMPLOYS"}]}
    bad = {"text": "Acme Corp fired Jane Doe.", "spans": [org, person], "relations": [
        {"head": 1, "child": 4, "head_span": org, "child_span": {**person, "end": 23},
         "label": "FIRED"}]}
    report = import_paths(store, [write(tmp_path, "a.jsonl", jsonl(good, bad))], annotator="ann")
    [a] = articles(store)
    spans = {s.id: (s.start, s.end, s.label) for s in a.spans}
    assert [(spans[r.head_id], spans[r.child_id], r.label, r.annotator) for r in a.relations] == [
        ((0, 9, "ORG"), (16, 24, "PERSON"), "EMPLOYS", "ann")]
    assert [(p.line, p.reason) for p in report.rejected] == [
        (2, "relation 0: child_span 16-23 PERSON is not one of the spans")]


# --- .csv --------------------------------------------------------------------------------------

def test_importing_csv_columns_bom_and_quoted_crlf(store, tmp_path):
    content = ("\ufeffTitle,text,URL,date,source,author,lang\r\n"
               'First,"Line one\r\nline two, with ""quotes""",https://x.test/1,2024-05-01,Wire,Kim,en\r\n'
               ',Second text,,,,,fr\r\n').encode()
    report = import_paths(store, [write(tmp_path, "a.csv", content)], annotator="ann")
    first, second = (a.article for a in articles(store))
    assert report.ok and report.imported == 2
    assert first.text == 'Line one\r\nline two, with "quotes"'
    assert (first.title, first.url, first.published, first.source, first.author, first.meta) == (
        "First", "https://x.test/1", "2024-05-01", "Wire", "Kim", {"lang": "en"})
    assert (second.title, second.url, second.meta) == ("Second text", None, {"lang": "fr"})


@pytest.mark.parametrize("header, row, published", [
    ("Text,Date,Published", "x,2024-01-01,2024-02-02", "2024-02-02"),
    ("Text,Published,Date", "x,,2024-01-01", "2024-01-01"),
    ("TEXT,date", "x,2024-01-01", "2024-01-01"),
    ("text,published", "x,", None),
])
def test_importing_csv_published_or_date(store, tmp_path, header, row, published):
    report = import_paths(store, [write(tmp_path, "a.csv", f"{header}\n{row}\n")], annotator="a")
    art = articles(store)[0].article
    assert report.ok and (art.text, art.published, art.meta) == ("x", published, {})


def test_importing_csv_problem_lines_are_the_readers_line_numbers(store, tmp_path):
    content = (b'title,text\n'
               b'a,"multi\r\nline"\n'            # lines 2-3
               b'b,\n'                            # line 4: empty text
               b'c,"x\r\n\r\n"\n'                 # lines 5-7: whitespace only
               b'd,caf\xe9\n'                     # line 8: invalid UTF-8
               b'e,one,two\n'                     # line 9: too many fields
               b'\n'
               b'f,fine\n')
    path = write(tmp_path, "a.csv", content)
    report = import_paths(store, [path], annotator="ann")
    assert [a.article.text for a in articles(store)] == ["multi\r\nline", "x\r\n\r\n", "fine"]
    assert [(p.line, p.reason) for p in report.rejected] == [
        (4, "empty text"), (8, "invalid UTF-8 (byte 0xe9 at column 6)"),
        (9, "3 fields but the header has 2")]


@pytest.mark.parametrize("content", [b"title,body\nx,y\n", b"", b"\xef\xbb\xbf\n"])
def test_importing_csv_needs_a_text_column(store, tmp_path, content):
    path = write(tmp_path, "a.csv", content)
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), 1, "no 'text' column in the header row")]


# --- .html ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Port reopens after storm | Coast Daily</title>
<meta name="author" content="Jane Reporter">
<meta property="og:site_name" content="Coast Daily">
<meta property="og:url" content="https://example.org/news/port-reopens">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Port reopens after storm</h1>
<p>The harbour authority said on Tuesday that the port of Northhaven reopened after three days
of closure caused by the storm.</p>
<p>\u201cShips are moving again,\u201d said the harbour master, Ana Souza, adding that about 40
vessels had waited offshore.</p>
<p>Officials reportedly expect traffic to return to normal by the end of the week.</p>
</article>
<footer>Copyright Coast Daily, all rights reserved</footer>
</body></html>
"""


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the import tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_importing_html_main_text_and_metadata(store, tmp_path, no_network):
    report = import_paths(store, [write(tmp_path, "page.html", PAGE)], annotator="ann")
    art = articles(store)[0].article
    assert report.ok and report.imported == 1
    assert "Ana Souza" in art.text and "Ships are moving again" in art.text
    assert "Home" not in art.text and "Copyright" not in art.text
    assert (art.title, art.author, art.published, art.url, art.source) == (
        "Port reopens after storm", "Jane Reporter", "2024-03-05",
        "https://example.org/news/port-reopens", "Coast Daily")


@pytest.mark.parametrize("content", [
    b"", b"\xff\xfe\x00", b"<html><body>   </body></html>",
    b"<html><head><title>Only a title</title></head><body><script>x = 1;</script></body></html>"])
def test_importing_html_without_text_is_a_problem(store, tmp_path, no_network, content):
    path = write(tmp_path, "empty.htm", content)
    report = import_paths(store, [path], annotator="ann")
    assert report.rejected == [Problem(str(path), 1, "no article text found in the HTML")]


# --- folders and paths ------------------------------------------------------------------------

def test_importing_folders_recursive_sorted_known_suffixes(store, tmp_path):
    write(tmp_path, "in/b.txt", "B text")
    write(tmp_path, "in/a/z.TXT", "Z text")
    write(tmp_path, "in/a/y.jsonl", jsonl({"text": "Y text"}))
    write(tmp_path, "in/c.csv", "text\nC text\n")
    write(tmp_path, "in/notes.md", "not imported")
    write(tmp_path, "in/a/.DS_Store", b"\x00\x01")
    write(tmp_path, "in/d.json", '{"text": "json is not a known suffix"}')
    report = import_paths(store, [tmp_path / "in"], annotator="ann")
    assert [a.article.text for a in articles(store)] == ["Y text", "Z text", "B text", "C text"]
    assert (report.files, report.imported, report.skipped, report.rejected) == (4, 4, 3, [])


@pytest.mark.parametrize("name, create, reason", [
    ("missing.txt", False, "no such file or folder"),
    ("data.json", True, "cannot tell the format of this .json file; name it with --format "
                        "(newsmark, prodigy, text, csv, html, doccano, labelstudio, brat, "
                        "conll, spacy, hf, claims-csv)"),
    ("README", True, "unknown file type '' (expected .ann, .bilou, .bio, .conll, .csv, .htm, "
                     ".html, .iob, .json, .jsonl, .spacy, .txt)"),
])
def test_importing_explicit_bad_paths_are_problems(store, tmp_path, name, create, reason):
    path = write(tmp_path, name, "text") if create else tmp_path / name
    good = write(tmp_path, "good.txt", "Good text")
    report = import_paths(store, [path, good], annotator="ann")
    assert report.rejected == [Problem(str(path), 0, reason)]
    assert (report.files, report.imported) == (1, 1)


def test_importing_unreadable_file_is_a_problem(store, tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "Secret")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = import_paths(store, [path, write(tmp_path, "ok.txt", "Fine")], annotator="ann")
    assert report.rejected == [Problem(str(path), 0, "cannot read the file (Permission denied)")]
    assert report.imported == 1


def test_importing_detecting_a_prodigy_file_loads_no_other_tools_reader(tmp_path):
    """Detection sniffs every .jsonl; the sniffers must not pull in the DocBin code (srsly:
    70 ms). (numpy is loaded anyway: sqlite-utils imports it when it is installed.)"""
    import subprocess
    import sys
    path = write(tmp_path, "in.jsonl", jsonl({"text": "Ada.", "spans": []}))
    code = ("import sys; from pathlib import Path; from app.importing.formats import detect; "
            f"print(detect(Path({str(path)!r})), "
            "sorted(m for m in ('srsly', 'spacy', 'app.interop.hf', "
            "'app.interop.labelstudio', 'app.interop.doccano') if m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "prodigy []", done.stdout + done.stderr
