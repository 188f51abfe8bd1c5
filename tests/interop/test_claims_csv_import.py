"""Claims CSV import: attributes edited in a spreadsheet come back, one undo step an article."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.cli import main
from app.exporting import export
from app.history import History
from app.importing import Problem, import_paths
from app.importing.formats import detect
from app.interop.claims_csv import safe
from app.interop.claims_csv_import import import_claims_csv
from models.domain import Layer
from tests.app._exporting import HARD, add, span

OTHER = "Officials said prices rose 5%.\r\nCritics said that was false."
NOTE = 'says "no",\r\nthen\u2028yes'


@pytest.fixture
def project(store):
    add(store, HARD, [span(HARD, "the engine works", "CLAIM",
                           attributes={"stance": "refute", "note": NOTE}),
                      span(HARD, "Paris", "CLAIM", attributes={"note": "=SUM(B2)"})])
    add(store, OTHER, [span(OTHER, "prices rose 5%.\r\nCritics", "CLAIM"),
                       span(OTHER, "that was false", "CLAIM", attributes={"note": "'=x"})])
    return store


def sheet(store, tmp_path) -> tuple[Path, list[str], list[dict[str, str]]]:
    """The claims CSV of the project, as the csv module reads it: header and rows."""
    path = tmp_path / "claims.csv"
    export(store, "claims-csv", path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return path, rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def save(path: Path, header: list[str], rows: list[dict[str, str]]) -> list[int]:
    """Write the sheet back as a spreadsheet would; the line each row starts on."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    starts = []
    for row in rows:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow([row.get(name, "") for name in header])
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return starts


def by_text(rows: list[dict[str, str]], piece: str) -> dict[str, str]:
    return next(r for r in rows if r["claim_text"] == piece)


def attributes(store, piece: str) -> dict[str, str]:
    for article_id in store.article_ids():
        annotation = store.annotation(article_id)
        text = annotation.article.text
        for s in annotation.spans:
            if s.layer is Layer.CLAIM and text[s.start:s.end] == piece:
                return annotation.attributes.get(s.id, {})
    raise KeyError(piece)


def edited(store, tmp_path) -> tuple[Path, list[str], list[dict[str, str]]]:
    """The sheet with a verdict in the first article, a stance, check_worthy and a note
    starting with = (quoted as the export quotes it) in the second."""
    path, header, rows = sheet(store, tmp_path)
    by_text(rows, "the engine works")["verdict"] = "refuted"
    other = by_text(rows, "that was false")
    other.update(stance="affirm", check_worthy="Yes ", note=safe("=SUM(A1:A3) is wrong"))
    return path, header, rows


def test_claims_csv_import_sets_the_edited_attributes(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    save(path, header, rows)
    report = import_claims_csv(project, path, annotator="checker")
    assert (report.imported, report.skipped, report.rejected, report.warnings) == (2, 2, [], [])
    assert attributes(project, "the engine works") == {
        "stance": "refute", "note": NOTE, "verdict": "refuted"}
    assert attributes(project, "that was false") == {
        "stance": "affirm", "check_worthy": "yes", "note": "=SUM(A1:A3) is wrong"}
    assert attributes(project, "Paris") == {"note": "=SUM(B2)"}


def test_claims_csv_import_of_an_unedited_export_changes_nothing(project, tmp_path):
    path, _, rows = sheet(project, tmp_path)
    assert by_text(rows, "that was false")["note"] == "''=x"    # a quote of the user's own
    report = import_claims_csv(project, path, annotator="checker")
    assert (report.imported, report.skipped, report.rejected) == (0, 4, [])
    assert not History(project, annotator="checker").can_undo()
    assert attributes(project, "that was false") == {"note": "'=x"}


def test_claims_csv_import_keeps_quotes_the_export_did_not_add(project, tmp_path):
    path, header, rows = sheet(project, tmp_path)
    by_text(rows, "Paris")["note"] = "'tis so"
    by_text(rows, "the engine works")["note"] = "''@home"
    save(path, header, rows)
    assert import_claims_csv(project, path, annotator="checker").imported == 2
    assert attributes(project, "Paris")["note"] == "'tis so"
    assert attributes(project, "the engine works")["note"] == "'@home"


def test_claims_csv_import_is_one_undo_step_per_article_recorded_for_the_annotator(
        project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    save(path, header, rows)
    import_claims_csv(project, path, annotator="checker")
    assert not History(project, annotator="ann").can_undo()
    history = History(project, annotator="checker")
    assert history.undo_text() == "set claim attributes from claims.csv"
    history.undo()
    assert attributes(project, "that was false") == {"note": "'=x"}
    assert attributes(project, "the engine works")["verdict"] == "refuted"
    history.undo()
    assert attributes(project, "the engine works") == {"stance": "refute", "note": NOTE}
    assert not history.can_undo()
    history.redo()
    assert attributes(project, "the engine works")["verdict"] == "refuted"


@pytest.mark.parametrize("column, cell, reason", [
    ("claim_start", "24", "claim 24-39 in article {uid}: no such claim in the project"),
    ("claim_text", "the engine worked",
     'claim 23-39 in article {uid}: the text differs from the project\'s '
     '("the engine worked" vs "the engine works")'),
    ("verdict", "maybe", 'claim 23-39 in article {uid}: verdict "maybe" is not one of '
                         "unverified, supported, refuted, not_enough_info"),
    ("claim_end", "39.0", 'claim_end is not a whole number ("39.0")'),
    ("claim_start", "'-1", 'claim_start is not a whole number ("-1")'),
    ("article_uid", "4b65", "no article 4b65 in the project"),
    ("article_uid", " ", "article_uid is empty"),
])
def test_claims_csv_import_refuses_a_bad_row_with_its_line_and_keeps_the_rest(
        project, tmp_path, column, cell, reason):
    path, header, rows = edited(project, tmp_path)
    bad = by_text(rows, "the engine works")
    uid = bad["article_uid"][:8] + "\u2026"
    bad[column] = cell
    lines = save(path, header, rows)
    report = import_claims_csv(project, path, annotator="checker")
    assert report.rejected == [Problem(str(path), lines[rows.index(bad)],
                                       reason.format(uid=uid))]
    assert (report.imported, report.skipped) == (1, 2)
    assert attributes(project, "that was false")["stance"] == "affirm"
    assert "verdict" not in attributes(project, "the engine works")


def test_claims_csv_import_lines_count_line_breaks_inside_cells(project, tmp_path):
    path, header, rows = sheet(project, tmp_path)
    for row in rows:
        row["verdict"] = "nope"
    lines = save(path, header, rows)
    report = import_claims_csv(project, path, annotator="checker")
    assert [p.line for p in report.rejected] == lines
    assert lines[1] - lines[0] > 1                       # the NOTE holds a CRLF


def test_claims_csv_import_refuses_a_claim_twice_and_reads_crlf_as_lf(project, tmp_path):
    path, header, rows = sheet(project, tmp_path)
    crlf = by_text(rows, "prices rose 5%.\r\nCritics")
    crlf.update(claim_text="prices rose 5%.\nCritics", verdict="supported")
    lines = save(path, header, [*rows, dict(crlf, verdict="refuted")])
    report = import_claims_csv(project, path, annotator="checker")
    assert report.imported == 1
    assert attributes(project, "prices rose 5%.\r\nCritics") == {"verdict": "supported"}
    assert report.rejected == [Problem(str(path), lines[-1], (
        f"claim 15-39 in article {crlf['article_uid'][:8]}\u2026: already on line "
        f"{lines[rows.index(crlf)]}"))]


def test_claims_csv_import_strict_changes_nothing_when_a_row_is_bad(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    by_text(rows, "Paris")["stance"] = "sure"
    save(path, header, rows)
    report = import_claims_csv(project, path, annotator="checker", strict=True)
    assert (report.imported, len(report.rejected)) == (0, 1)
    assert "verdict" not in attributes(project, "the engine works")
    assert not History(project, annotator="checker").can_undo()


def test_claims_csv_import_warns_of_unknown_columns_and_ignores_the_others(project, tmp_path):
    path, header, rows = sheet(project, tmp_path)
    row = by_text(rows, "Paris")
    row.update(Verdict="refuted", sentence="changed", claimant_kind="author", cue="x",
               claimant_text="Bob", annotator="zed", article_title="t")
    save(path, [*header, "Verdict"], rows)
    report = import_claims_csv(project, path, annotator="checker")
    assert report.warnings == [Problem(str(path), 1, "column 'Verdict' not a claim attribute "
                                                     "of this project; ignored")]
    assert (report.imported, report.skipped) == (0, 4)
    assert attributes(project, "Paris") == {"note": "=SUM(B2)"}


def test_claims_csv_import_refuses_a_file_without_the_claim_columns(project, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("article_uid,claim_start,claim_end,verdict\r\nx,1,2,refuted\r\n")
    report = import_paths(project, [path], annotator="checker", fmt="claims-csv")
    assert report.rejected == [Problem(str(path), 1, (
        "not a claims CSV: no claim_text column in the header row (export one with "
        "`newsmark export PROJECT -f claims-csv`)"))]


def test_claims_csv_import_refuses_a_row_that_is_not_utf8(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    lines = save(path, header, rows)
    data = path.read_bytes().replace(b"is wrong", b"is wr\xf6ng")
    path.write_bytes(data)
    line = next(n for n, raw in enumerate(data.split(b"\n"), 1) if b"\xf6" in raw)
    column = data.split(b"\n")[line - 1].index(b"\xf6") + 1
    report = import_claims_csv(project, path, annotator="checker")
    assert lines[3] < line                               # the row's sentence holds a CRLF
    assert [(p.line, p.reason) for p in report.rejected] == [(line, (
        f"invalid UTF-8 (byte 0xf6 at column {column}); save the sheet as CSV UTF-8"))]
    assert report.imported == 1


def test_claims_csv_import_cancelled_before_an_article_keeps_what_was_saved(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    save(path, header, rows)
    asked = []
    report = import_claims_csv(project, path, annotator="checker",
                               cancel=lambda: asked.append(1) or len(asked) > 1)
    assert report.cancelled and report.imported == 1
    assert "stance" not in attributes(project, "that was false")


def test_claims_csv_import_detected_by_its_header(project, tmp_path):
    path, _, _ = sheet(project, tmp_path)
    articles = tmp_path / "articles.csv"
    articles.write_text("text,title\r\nSome text,T\r\n")
    assert (detect(path), detect(articles)) == ("claims-csv", "csv")


def test_claims_csv_import_with_articles_in_one_run(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    save(path, header, rows)
    articles = tmp_path / "articles.csv"
    articles.write_text("text,title\r\nA new article.,T\r\n")
    report = import_paths(project, [articles, path], annotator="checker")
    assert (report.files, report.imported, report.skipped, report.rejected) == (2, 3, 2, [])
    assert len(project.article_ids()) == 3


def test_claims_csv_import_cli_detects_the_file_and_prints_the_summary(
        project, project_path, tmp_path, capsys):
    path, header, rows = edited(project, tmp_path)
    by_text(rows, "Paris")["verdict"] = "maybe"
    save(path, header, rows)
    code = main(["import", str(project_path), str(path), "--annotator", "checker"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.strip() == "2 imported, 0 duplicate(s) skipped, 1 skipped, 1 rejected"
    assert f"{path}:" in err and "verdict \"maybe\" is not one of" in err
    assert attributes(project, "the engine works")["verdict"] == "refuted"
    assert History(project, annotator="checker").can_undo()


def test_claims_csv_import_passes_over_blank_rows_and_refuses_short_ones(project, tmp_path):
    path, header, rows = edited(project, tmp_path)
    lines = save(path, header, rows)
    data = path.read_bytes() + b",,,\r\n\r\n" + b"," * (len(header) - 1) + b"\r\nx,1\r\n"
    path.write_bytes(data)
    report = import_claims_csv(project, path, annotator="checker")
    short = data.count(b"\n")
    assert report.rejected == [Problem(str(path), short, f"2 fields but the header has "
                                                         f"{len(header)}")]
    assert (report.imported, report.skipped, short > lines[-1]) == (2, 2, True)
