"""The `newsmark` command line, called as a user would (in-process for speed, and once for real)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.project import open_project
from models.domain import ArticleRecord, SpanRecord


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    path = tmp_path / "p.nmk"
    assert run(capsys, "init", str(path))[0] == 0
    with open_project(path) as store:
        store.insert_articles([ArticleRecord(text="Acme Corp hired Jane Doe.", spans=[
            SpanRecord(0, 9, "ORG"), SpanRecord(16, 24, "PERSON")])], annotator="ann")
    return path


def test_cli_version_runs_as_a_real_process():
    exe = Path(sys.executable).parent / "newsmark"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ui.entry"]
    result = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsmark {__version__}"


def test_cli_stats_json_counts(project, capsys):
    code, out, _ = run(capsys, "stats", str(project), "--json")
    stats = json.loads(out)
    assert code == 0
    assert (stats["articles"], stats["spans"], stats["claims"]) == (1, 2, 0)
    assert stats["by_status"]["new"] == 1
    assert stats["by_label"] == {"ORG": 1, "PERSON": 1}


def test_cli_stats_text(project, capsys):
    code, out, _ = run(capsys, "stats", str(project))
    assert code == 0 and out.startswith("1 articles, 2 spans, 0 claims")


def test_cli_labels_add_list_remove_export_import(project, tmp_path, capsys):
    assert run(capsys, "labels", "add", str(project), "SHIP", "--layer", "entity",
               "--colour", "#123456", "--hotkey", "s")[0] == 0
    code, out, _ = run(capsys, "labels", "list", str(project))
    assert "SHIP" in out and "#123456" in out
    schema_file = tmp_path / "schema.json"
    assert run(capsys, "labels", "export", str(project), "-o", str(schema_file))[0] == 0
    exported = json.loads(schema_file.read_text())
    assert "SHIP" in [lab["name"] for lab in exported["labels"]]
    assert "stance" in [a["name"] for a in exported["attributes"]]
    assert run(capsys, "labels", "remove", str(project), "SHIP")[0] == 0
    assert "SHIP" not in run(capsys, "labels", "list", str(project))[1]
    assert run(capsys, "labels", "import", str(project), str(schema_file))[0] == 0
    assert "SHIP" in run(capsys, "labels", "list", str(project))[1]


def test_cli_labels_remove_used_label_is_refused(project, capsys):
    code, _, err = run(capsys, "labels", "remove", str(project), "ORG")
    assert code == 2
    assert err.startswith("newsmark: error E022:") and "used by 1 span" in err
    assert err.count("\n") == 1


def test_cli_labels_import_bad_file_names_it(project, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"labels": [{"layer": "entity"}]}')
    code, _, err = run(capsys, "labels", "import", str(project), str(bad))
    assert code == 2 and str(bad) in err and "Traceback" not in err


def test_cli_check_ok_and_broken(project, capsys):
    assert run(capsys, "check", str(project)) == (0, "ok\n", "")
    with open_project(project) as store:
        store.conn.execute("UPDATE articles SET text = 'short'")  # an altered text
    code, out, _ = run(capsys, "check", str(project))
    assert code == 1
    assert "lies outside the text" in out and "uid does not match" in out


def test_cli_backup_is_a_valid_project(project, tmp_path, capsys):
    dest = tmp_path / "copy.nmk"
    assert run(capsys, "backup", str(project), "-o", str(dest))[0] == 0
    with open_project(dest) as copy:
        assert copy.stats()["spans"] == 2


@pytest.mark.parametrize("argv,code,needle", [
    (["stats", "{missing}"], 2, "E001"),
    (["stats", "{dir}/nodir/x.nmk"], 2, "E002"),
    (["init", "{project}"], 2, "E009"),
    (["stats", "{text}"], 2, "E003"),
    (["open", "{project}"], 2, "E040"),
])
def test_cli_errors_are_one_line_with_a_code(project, tmp_path, capsys, argv, code, needle):
    text = tmp_path / "notes.nmk"
    text.write_text("hello")
    values = {"missing": tmp_path / "missing.nmk", "dir": tmp_path, "project": project, "text": text}
    got, out, err = run(capsys, *[a.format(**values) for a in argv])
    assert got == code
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_internal_error_is_one_line_and_logged(project, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("app.cli.log_path", lambda: tmp_path / "log" / "newsmark.log")
    monkeypatch.setattr("models.store.Store.stats", lambda self: 1 / 0)
    code, _, err = run(capsys, "stats", str(project))
    assert code == 2
    assert err.startswith("newsmark: internal error: ZeroDivisionError") and err.count("\n") == 1
    assert "Traceback" in (tmp_path / "log" / "newsmark.log").read_text()


def test_cli_suggest_with_a_pipeline_folder(project, tmp_path, capsys):
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Acme Corp"},
                                               {"label": "GPE", "pattern": "Doe"}])
    nlp.to_disk(tmp_path / "pipe")
    code, out, _ = run(capsys, "suggest", str(project), "--with", str(tmp_path / "pipe"))
    assert code == 0
    assert "1 suggestion(s) added over 1 article(s); 1 already there" in out
    with open_project(project) as store:
        suggested = [s.label for s in store.spans(store.article_ids()[0]) if s.state == "suggested"]
    assert suggested == ["GPE"]


@pytest.mark.slow
def test_cli_train_then_suggest_with_the_model(tmp_path, capsys):
    """train -> model -> suggest, end to end through the command line."""
    from tests.app._training import fill
    path = tmp_path / "t.nmk"
    assert run(capsys, "init", str(path))[0] == 0
    with open_project(path) as store:
        fill(store, 40)
        store.insert_articles([ArticleRecord(text="Officials in Lyon met Maria Costa on Monday.")],
                              annotator="x")
        fresh = store.article_ids()[-1]
    code, out, _ = run(capsys, "train", str(path), "-o", str(tmp_path / "run"), "--max-epochs", "6")
    assert code == 0, out
    assert "epoch 1:" in out and "suggest with it" in out
    assert (tmp_path / "run" / "model-best" / "config.cfg").exists()
    code, out, _ = run(capsys, "suggest", str(path), "--with", str(tmp_path / "run"),
                       "--articles", str(fresh))
    assert code == 0 and "suggestion(s) added" in out
    with open_project(path) as store:
        suggested = {s.origin for s in store.spans(fresh) if s.state == "suggested"}
    assert suggested == {"model:run"}


def test_cli_suggest_label_map_is_applied_and_remembered(project, tmp_path, capsys):
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "FAC", "pattern": "Jane Doe"}])
    nlp.to_disk(tmp_path / "pipe")
    pipe = str(tmp_path / "pipe")
    code, _, err = run(capsys, "suggest", str(project), "--with", pipe, "--map", "FAC=NOPE")
    assert code == 2 and "E010" in err
    assert run(capsys, "suggest", str(project), "--with", pipe, "--map", "FAC=")[0] == 0
    with open_project(project) as store:
        assert not [s for s in store.spans(store.article_ids()[0]) if s.state == "suggested"]
    run(capsys, "suggest", str(project), "--with", pipe, "--map", "FAC=WEAPON")
    with open_project(project) as store:
        assert [s.label for s in store.spans(store.article_ids()[0]) if s.state == "suggested"] == ["WEAPON"]
        assert '"FAC":"WEAPON"' in store.setting(f"label_map:{pipe}")


def test_cli_suggest_with_occurrences_spreads_accepted_texts(capsys, project):
    with open_project(project) as store:
        store.insert_articles([ArticleRecord(text="Jane Doe left Acme Corp on Monday.")],
                              annotator="ann")
    code, out, _ = run(capsys, "suggest", str(project), "--with", "occurrences")
    assert code == 0 and "2" in out
    with open_project(project, readonly=True) as store:
        second = store.article_ids()[1]
        assert sorted((s.start, s.label, s.origin) for s in store.spans(second)) == [
            (0, "PERSON", "occurrences"), (14, "ORG", "occurrences")]


def test_cli_labels_export_writes_the_label_studio_config(capsys, project):
    code, out, _ = run(capsys, "labels", "export", str(project), "--labelstudio")
    assert code == 0 and out.startswith("<View>")
    assert '<Label value="PERSON"' in out and 'toName="text"' in out
