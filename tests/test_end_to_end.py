"""The real application, started as its own process, driven by keys, killed, then checked.

Under Xvfb with xdotool (what `.ci/run` installs) the keys come from xdotool, exactly as a
user's keyboard would send them. Without them the same process is started offscreen and
tests/_drive_app.py types the same keys with QTest from inside it. Either way the process
is killed with SIGKILL and the spans must be in the project file.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.project import create_project, open_project
from models.domain import ArticleRecord

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Colonel Maria Hendrix said the bridge in Kherson was destroyed on Tuesday."
HAVE_X = bool(shutil.which("Xvfb") and shutil.which("xdotool"))


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "e2e.nmk"
    with create_project(path) as store:
        store.insert_articles([ArticleRecord(text=TEXT, title="Bridge")], annotator="import")
    return path


def wait_for(predicate, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def spans_in(path: Path) -> list[tuple[str, str]]:
    with open_project(path, readonly=True) as store:
        article = store.article_ids()[0]
        return sorted((TEXT[s.start:s.end], s.label) for s in store.spans(article))


def base_env(tmp_path: Path) -> dict:
    env = dict(os.environ, NEWSMARK_ANNOTATOR="e2e", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)
    return env


def start_xvfb(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    display = f":{90 + os.getpid() % 100}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), 15, "Xvfb")
    return xvfb, display


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display),
                          capture_output=True, text=True, timeout=20).stdout.strip()


def test_end_to_end_keys_typed_into_the_real_app_survive_sigkill(project, tmp_path):
    env = base_env(tmp_path)
    xvfb = None
    if HAVE_X:
        xvfb, display = start_xvfb(tmp_path)
        env["DISPLAY"] = display
        cmd = [sys.executable, "-m", "ui.entry", "open", str(project)]
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
        cmd = [sys.executable, str(ROOT / "tests" / "_drive_app.py"), str(project), *SEQUENCE]
    app = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        if HAVE_X:
            wait_for(lambda: xdotool(env["DISPLAY"], "search", "--name", "^Newsmark"), 60, "window")
            time.sleep(1.0)
            window = xdotool(env["DISPLAY"], "search", "--name", "^Newsmark").split()[0]
            xdotool(env["DISPLAY"], "windowactivate", "--sync", window)
            for key in SEQUENCE:
                xdotool(env["DISPLAY"], "key", "--clearmodifiers", key)
                time.sleep(0.05)
        wait_for(lambda: len(spans_in(project)) >= 3, 60, "the spans to be stored")
        time.sleep(0.3)
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
        output = app.stdout.read() if app.stdout else ""
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=10)
    assert app.returncode == -signal.SIGKILL, output
    assert spans_in(project) == sorted([("Maria Hendrix", "PERSON"), ("Kherson", "GPE"),
                                        ("Tuesday", "DATE")]), output
    with open_project(project) as store:
        assert store.check() == []


# What a user types (xdotool key names): the caret starts at the start of the text, which
# has the focus. Ctrl+Shift+Right/Left extend the selection by one spaCy token.
SEQUENCE = (["Right"] * 8 + ["ctrl+shift+Right"] * 2 + ["1"]          # "Maria Hendrix" PERSON
            + ["Escape"] + ["Right"] * 20                               # caret before "Kherson"
            + ["ctrl+shift+Right", "3"]                                 # GPE
            + ["Escape", "ctrl+End", "Left", "ctrl+shift+Left", "6"])   # "Tuesday" DATE


def test_end_to_end_sigterm_closes_cleanly_and_keeps_the_work(project, tmp_path):
    """SIGTERM (logout, `kill`) shuts the app like Quit: exit 0, no traceback, data intact."""
    env = base_env(tmp_path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    keys = ["Right"] * 8 + ["ctrl+shift+Right"] * 2 + ["1"]
    app = subprocess.Popen([sys.executable, str(ROOT / "tests" / "_drive_app.py"), str(project), *keys],
                           env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        wait_for(lambda: len(spans_in(project)) == 1, 60, "the span to be stored")
        app.send_signal(signal.SIGTERM)
        output, _ = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, output
    assert "Traceback" not in output, output
    assert spans_in(project) == [("Maria Hendrix", "PERSON")]
    with open_project(project) as store:
        assert store.check() == []
