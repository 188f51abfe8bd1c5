"""Import, export and backup run on workers with their own connection and report what they did."""
from __future__ import annotations

import time

import orjson
import pytest
from PySide6.QtCore import QThreadPool, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.importing import ImportReport
from models.domain import ArticleRecord, Status
from models.errors import SaveFailed
from models.store import Store
from ui import io_dialogs
from ui.io_dialogs import (ExportDialog, ImportDialog, ask_import_paths, backup_project,
                           run_import)
from ui.workers import SyncPool, TaskRunner



@pytest.fixture
def window(qtbot):
    """The main window stand-in: dialogs and message boxes are its children."""
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def sync_runner(qapp):
    return TaskRunner(pool=SyncPool())


@pytest.fixture
def pool_runner(qapp):
    pool = QThreadPool()
    yield TaskRunner(pool=pool)
    pool.waitForDone(10_000)


@pytest.fixture
def news(tmp_path):
    """A Prodigy-style JSONL with a new label, a broken line and a duplicate, plus a .txt."""
    folder = tmp_path / "news"
    folder.mkdir()
    lines = [{"text": "Acme Shipyards launched the Orca.", "spans": [
                 {"start": 0, "end": 14, "label": "SHIPYARD"}]},
             "{not json",
             {"text": "Dr. Ada Lovelace said the engine works.\r\nParis 👩‍🔬 café."},
             {"text": "Acme Shipyards launched the Orca."}]
    (folder / "tasks.jsonl").write_text(
        "\n".join(x if isinstance(x, str) else orjson.dumps(x).decode() for x in lines) + "\n",
        encoding="utf-8")
    (folder / "note.txt").write_text("A short note about the port of Odesa.", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    return folder


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def close_boxes(parent: QWidget) -> list[str]:
    texts = []
    for box in parent.findChildren(QMessageBox):
        texts.append(box.text())
        box.close()
    return texts


# --- import ------------------------------------------------------------------------------

def test_io_dialogs_import_summary_lists_rejected_records(qtbot, window, workbench, news,
                                                          sync_runner, store):
    reports = []
    job = run_import(window, workbench, [news], on_done=reports.append, runner=sync_runner)
    report = reports[0]
    assert (report.imported, report.duplicates, report.skipped, len(report.rejected)) == (2, 2, 1, 1)
    summary = job.summary
    assert summary.isVisible() and summary.windowTitle() == "Import finished"
    assert summary.summary.text().startswith(
        "2 article(s) imported from 2 file(s); 2 duplicate(s), 1 skipped, 1 rejected.")
    assert "New labels added to the schema: SHIPYARD." in summary.summary.text()
    assert summary.details.isReadOnly() and summary.details.isVisible()
    assert summary.details.toPlainText().startswith(f"{news / 'tasks.jsonl'}:2: ")
    assert workbench.store.label("SHIPYARD") is not None    # the GUI's cached schema was dropped
    assert len(store.article_ids()) == 3
    summary.close()


def test_io_dialogs_import_runs_on_a_pool_thread(qtbot, window, workbench, news, pool_runner,
                                                 store, monkeypatch):
    opened = []
    real_open = Store.open
    monkeypatch.setattr(Store, "open", classmethod(
        lambda cls, path, **kw: opened.append(path) or real_open(path, **kw)))
    job = io_dialogs.ImportJob(window, workbench, [news / "note.txt"], runner=pool_runner)
    with qtbot.waitSignal(job.finished, timeout=10_000) as blocker:
        job.start()
    assert blocker.args[0].imported == 1
    assert opened == [store.path]                  # the worker's own connection
    qtbot.waitUntil(lambda: job.summary.isVisible())
    assert not job.progress.isVisible()
    assert len(store.article_ids()) == 2
    job.summary.close()


def test_io_dialogs_import_failure_shows_one_line(qtbot, window, workbench, news, sync_runner,
                                                  monkeypatch):
    def failing(*args, **kwargs):
        raise SaveFailed("test.nmk", reason="disk full")
    monkeypatch.setattr(io_dialogs, "import_paths", failing)
    failures = []
    job = io_dialogs.ImportJob(window, workbench, [news], runner=sync_runner)
    job.failed.connect(failures.append)
    job.start()
    assert failures == ["error E007: could not save to test.nmk: disk full; nothing of this "
                        "action was stored, try again"]
    assert job.summary is None
    assert close_boxes(window) == failures


def test_io_dialogs_import_cancel_keeps_what_was_committed(qtbot, window, workbench, news,
                                                           sync_runner, monkeypatch):
    def cancelled_at_once(store, paths, **kwargs):
        assert kwargs["cancel"]() is False             # the worker's check is passed through
        return ImportReport(files=2, cancelled=True)
    monkeypatch.setattr(io_dialogs, "import_paths", cancelled_at_once)
    job = run_import(window, workbench, [news], runner=sync_runner)
    assert job.summary.windowTitle() == "Import cancelled"
    assert job.summary.summary.text().startswith("Cancelled: what was imported before stays")
    assert not job.summary.details.isVisible()
    job.summary.close()


def test_io_dialogs_import_dialog_files_and_folder(window, monkeypatch, news):
    asked = {}

    def get_files(parent, caption, directory, filters):
        asked["filters"] = filters
        return [str(news / "tasks.jsonl"), str(news / "note.txt")], ""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", get_files)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(news))
    assert ImportDialog.get_files(window) == [str(news / "tasks.jsonl"), str(news / "note.txt")]
    assert all(f"*{s}" in asked["filters"] for s in (".txt", ".jsonl", ".csv", ".html"))
    assert ImportDialog.get_folder(window) == [str(news)]
    assert ask_import_paths(window, folder=True) == [str(news)]
    assert ask_import_paths(window) == [str(news / "tasks.jsonl"), str(news / "note.txt")]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "")
    assert ImportDialog.get_folder(window) == []


def test_io_dialogs_import_filter_picks_the_format(qtbot, window, workbench, sync_runner,
                                                   monkeypatch, tmp_path):
    """A tool's filter in the file dialog forces that format; the first one detects it."""
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text('{"text": "Acme hired Jane.", "label": [[0, 4, "ORG"]]}\n', encoding="utf-8")
    picked = {}

    def get_files(parent, caption, directory, filters):
        names = filters.split(";;")
        assert names[0].startswith("Articles and annotations, format found")
        picked["filter"] = next(f for f in names if f.startswith("prodigy:"))
        return [str(tasks)], picked["filter"]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", get_files)
    assert ask_import_paths(window) == [str(tasks)]
    assert ImportDialog.chosen_format == "prodigy"
    reports = []
    run_import(window, workbench, [tasks], on_done=reports.append, runner=sync_runner,
               fmt=ImportDialog.chosen_format)
    # Read as Prodigy, a doccano `label` list is no span: the text arrives bare.
    assert reports[0].imported == 1
    new = [a for a in workbench.store.article_ids() if a != workbench.article_id]
    assert not workbench.store.annotation(new[0]).spans


# --- export ------------------------------------------------------------------------------

@pytest.fixture
def export_dialog(qtbot, window, workbench, sync_runner):
    dialog = ExportDialog(window, workbench, runner=sync_runner)
    dialog.show()
    return dialog


def test_io_dialogs_export_options_follow_the_format(qtbot, export_dialog):
    d = export_dialog
    assert [d.format.itemText(i) for i in range(d.format.count())] == [
        "newsmark", "prodigy", "spacy", "claims", "doccano", "labelstudio", "brat", "conll",
        "hf", "claims-csv"]
    assert [d.annotator.itemText(i) for i in range(d.annotator.count())] == ["All annotators", "ann"]
    d.format.setCurrentText("prodigy")
    assert d.include_rejected.isEnabled() and not d.split.isEnabled()
    d.format.setCurrentText("spacy")
    assert d.split.isEnabled() and not d.include_rejected.isEnabled()
    assert not d.train_fraction.isEnabled()
    click(qtbot, d.split)
    assert d.train_fraction.isEnabled() and d.seed.isEnabled() and d.to_folder
    d.statuses[Status.NEW].setChecked(False)
    d.annotator.setCurrentIndex(1)
    assert d.options() == dict(status=[Status.IN_PROGRESS, Status.DONE, Status.SKIPPED],
                               annotator="ann", include_suggestions=False, include_rejected=False,
                               split=0.8, seed=0, scheme="iob2")
    d.format.setCurrentText("conll")
    assert d.scheme.isEnabled() and not d.split.isEnabled() and "CoNLL" in d.summary.text()
    d.scheme.setCurrentText("bilou")
    assert d.options()["scheme"] == "bilou" and d.options()["split"] is None
    d.format.setCurrentText("brat")
    assert not d.scheme.isEnabled() and "folder" in d.output.placeholderText()


def test_io_dialogs_export_folder_format_asks_for_a_new_folder(qtbot, export_dialog, tmp_path,
                                                              monkeypatch):
    asked = {}

    def save_name(parent, caption, suggested, filters):
        asked.update(caption=caption, suggested=suggested)
        return str(tmp_path / "brat-out"), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    export_dialog.format.setCurrentText("brat")
    click(qtbot, export_dialog.choose)
    assert asked["caption"] == "Export into a new folder" and asked["suggested"].endswith("-brat")
    assert export_dialog.output.text() == str(tmp_path / "brat-out")


def test_io_dialogs_export_writes_and_reports(qtbot, export_dialog, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    click(qtbot, export_dialog.choose)
    assert export_dialog.output.text() == str(out)
    with qtbot.waitSignal(export_dialog.finished_export) as blocker:
        click(qtbot, export_dialog.export_button)
    report = blocker.args[0]
    assert report.articles == 1 and report.outputs == [out]
    assert orjson.loads(out.read_bytes().splitlines()[0])["title"] == "Engine"
    assert export_dialog.message.text() == f"Exported 1 article(s), 1 record(s) to {out}."
    assert not export_dialog.result.isVisible()


def test_io_dialogs_export_needs_an_output_and_a_status(qtbot, export_dialog):
    assert export_dialog.start_export() is None
    assert "Choose where" in export_dialog.message.text()
    export_dialog.output.setText("/tmp/x.jsonl")
    for box in export_dialog.statuses.values():
        box.setChecked(False)
    assert export_dialog.start_export() is None
    assert "at least one article status" in export_dialog.message.text()


def test_io_dialogs_export_closing_cancels_a_running_export(qtbot, window, workbench, tmp_path,
                                                           pool_runner, monkeypatch):
    import app.exporting
    started = []

    def slow_export(store, fmt, out, *, progress, cancel, **options):
        started.append(fmt)
        while not cancel():             # on the pool thread: touch nothing of Qt
            time.sleep(0.001)
        return app.exporting.ExportReport(fmt, cancelled=True)
    monkeypatch.setattr(app.exporting, "export", slow_export)
    dialog = ExportDialog(window, workbench, runner=pool_runner)
    dialog.show()
    dialog.output.setText(str(tmp_path / "out.jsonl"))
    handle = dialog.start_export()
    qtbot.waitUntil(lambda: started == ["newsmark"])
    dialog.reject()
    with qtbot.waitSignal(dialog.finished_export, timeout=5000):
        pass
    assert handle.cancel_requested and dialog.message.text() == "Export cancelled: nothing was written."


def test_io_dialogs_export_failure_is_one_line_in_the_dialog(qtbot, export_dialog, tmp_path):
    export_dialog.output.setText(str(tmp_path / "missing" / "out.jsonl"))
    click(qtbot, export_dialog.export_button)
    assert export_dialog.message.text().startswith(
        f"error E030: {tmp_path / 'missing'}: the folder does not exist")
    assert export_dialog.export_button.isEnabled()


@pytest.mark.slow
def test_io_dialogs_export_spacy_split_lists_problems(qtbot, window, workbench, store, article,
                                                      tmp_path, pool_runner, monkeypatch):
    with store.step("add span", annotator="ann", article_id=article):
        store.add_span(article, 5, 9, "ORG")          # "a Lo": not on token boundaries
    store.insert_articles([ArticleRecord(text="Kyiv is the capital.")], annotator="ann")
    dialog = ExportDialog(window, workbench, runner=pool_runner)
    dialog.show()
    dialog.format.setCurrentText("spacy")
    dialog.split.setChecked(True)
    folder = tmp_path / "corpus"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(folder))
    click(qtbot, dialog.choose)
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000) as blocker:
        click(qtbot, dialog.export_button)
    report = blocker.args[0]
    assert report.outputs == [folder / "train.spacy", folder / "dev.spacy"]
    assert all(p.is_file() for p in report.outputs)
    assert len(report.problems) == 1 and "ORG" in report.problems[0]
    assert dialog.result.isVisible() and dialog.result.toPlainText() == report.problems[0]
    assert "1 span(s) could not be represented in spacy" in dialog.message.text()


# --- backup ------------------------------------------------------------------------------

def test_io_dialogs_backup_makes_a_project_copy(qtbot, window, store, article, tmp_path,
                                                sync_runner, monkeypatch, open_store):
    dest = tmp_path / "copies" / "backup"
    dest.parent.mkdir()
    asked = {}

    def save_name(parent, caption, directory, filters, **kwargs):
        asked.update(directory=directory, options=kwargs.get("options"))
        return str(dest), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    made = []
    backup_project(window, store, runner=sync_runner, on_done=made.append)
    assert made == [dest.with_suffix(".nmk")]
    assert asked["directory"].startswith(str(store.path.parent / "test-backup-"))
    copy = open_store(made[0], readonly=True)
    assert copy.article_ids() == store.article_ids() and copy.check() == []
    assert any("copied to" in t for t in close_boxes(window))


def test_io_dialogs_backup_refuses_to_overwrite(qtbot, window, store, sync_runner, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(store.path), ""))
    made = []
    handle = backup_project(window, store, runner=sync_runner, on_done=made.append)
    assert made == [] and handle.error.startswith("error E009:")
    assert close_boxes(window) == [handle.error]


def test_io_dialogs_backup_cancelled_dialog_does_nothing(window, store, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert backup_project(window, store) is None
