"""$NEWSMARK_READY_QUIT_MS: the line and the quit that benchmarks and the installer test wait for."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.project import create_project
from ui.ready import READY_LINE, quit_when_ready

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class FakeApp:
    def __init__(self) -> None:
        self.quits = 0

    def quit(self) -> None:
        self.quits += 1


@pytest.mark.parametrize("value", ["", "soon", "-5"])
def test_ready_without_a_number_adds_no_hook(value):
    assert quit_when_ready(FakeApp(), {"NEWSMARK_READY_QUIT_MS": value}) is None
    assert quit_when_ready(FakeApp(), {}) is None


def test_ready_prints_the_line_then_quits_after_the_delay(qtbot, capsys):
    app = FakeApp()
    ready = quit_when_ready(app, {"NEWSMARK_READY_QUIT_MS": "50"})
    ready()
    assert capsys.readouterr().out == READY_LINE + "\n"
    assert app.quits == 0
    qtbot.waitUntil(lambda: app.quits == 1, timeout=2000)


@pytest.mark.slow
def test_ready_the_real_window_says_ready_and_exits(tmp_path):
    project = tmp_path / "ready.nmk"
    create_project(project).close()
    env = dict(os.environ, NEWSMARK_READY_QUIT_MS="0", QT_QPA_PLATFORM="offscreen",
               NEWSMARK_ANNOTATOR="test", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-m", "ui.entry", "open", str(project)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert READY_LINE in done.stdout.splitlines()


def test_ready_the_window_carries_the_newsmark_icon_and_desktop_name(tmp_path):
    project = tmp_path / "icon.nmk"
    create_project(project).close()
    code = ("import sys; from PySide6.QtWidgets import QApplication; from ui.main import run_gui\n"
            "def ready():\n"
            "    app = QApplication.instance()\n"
            "    print('icon', not app.windowIcon().isNull(), app.desktopFileName())\n"
            "    app.quit()\n"
            "sys.exit(run_gui(sys.argv[1], on_ready=ready))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NEWSMARK_ANNOTATOR="test",
               XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-c", code, str(project)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "icon True newsmark" in done.stdout.splitlines()
