"""Start-up of the frozen app (dist/Newsmark, PyInstaller) against the unfrozen one, same run.

    python bench/bench_startup.py [--runs 7] [--frozen dist/Newsmark/Newsmark] [--project P]

Both are started as a user would (`newsmark open PROJECT`, `newsmark --version`) in fresh
processes, alternately, after one warm-up each (the page cache holds both afterwards):
  window    process start -> the window shown and the event loop running, i.e. the line
            $NEWSMARK_READY_QUIT_MS prints (ui/ready.py); the app then quits at once
  --version process start -> exit: what a CLI command pays before doing anything
Prints the median and the minimum of each. The project is the sample (12 articles) unless
given. Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a display is set. Build the frozen
app first: `make installer` (or `.venv/bin/pyinstaller build.spec`).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = "newsmark: window ready"      # ui/ready.py READY_LINE (not imported: no Qt here)


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, NEWSMARK_ANNOTATOR="bench", NEWSMARK_READY_QUIT_MS="0",
               XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"))
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)
    return env


def time_window(cmd: list[str], project: Path, env: dict[str, str]) -> float:
    """Seconds from starting `cmd open project` to the ready line."""
    start = time.perf_counter()
    proc = subprocess.Popen([*cmd, "open", str(project)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.strip() == READY:
            elapsed = time.perf_counter() - start
            break
    else:
        raise SystemExit(f"{cmd[0]}: no '{READY}' line; stderr:\n{proc.stderr.read()}")
    proc.wait(60)
    return elapsed


def time_version(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*cmd, "--version"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def make_project(folder: Path, cmd: list[str], env: dict[str, str]) -> Path:
    project = folder / "sample.nmk"
    subprocess.run([*cmd, "init", str(project)], env=env, check=True, capture_output=True)
    subprocess.run([*cmd, "import", str(project), str(ROOT / "resources/sample/articles.jsonl")],
                   env=env, check=True, capture_output=True)
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", type=Path, default=ROOT / "dist/Newsmark/Newsmark")
    parser.add_argument("--project", type=Path)
    args = parser.parse_args()
    if not args.frozen.exists():
        raise SystemExit(f"no frozen app at {args.frozen}: run `make installer` first")
    apps = {"unfrozen": [str(ROOT / ".venv/bin/newsmark")], "frozen": [str(args.frozen)]}
    if not Path(apps["unfrozen"][0]).exists():
        apps["unfrozen"] = [sys.executable, "-m", "ui.entry"]
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        project = args.project or make_project(Path(tmp), apps["unfrozen"], env)
        times: dict[tuple[str, str], list[float]] = {}
        for name, cmd in apps.items():                     # warm-up: page cache, .pyc
            time_window(cmd, project, env)
            time_version(cmd, env)
        for _ in range(args.runs):
            for name, cmd in apps.items():
                times.setdefault((name, "window"), []).append(time_window(cmd, project, env))
                times.setdefault((name, "--version"), []).append(time_version(cmd, env))
    platform = env.get("QT_QPA_PLATFORM", "display " + env.get("DISPLAY", "wayland"))
    print(f"start-up, {args.runs} runs each after a warm-up ({platform}), project "
          f"{'the sample (12 articles)' if not args.project else args.project}")
    print(f"{'':10} {'':16} {'median s':>9} {'min s':>7}")
    for what in ("window", "--version"):
        for name in apps:
            t = times[(name, what)]
            print(f"{what:10} {name:16} {statistics.median(t):9.3f} {min(t):7.3f}")
        ratio = statistics.median(times[("frozen", what)]) / statistics.median(times[("unfrozen", what)])
        print(f"{what:10} {'frozen/unfrozen':16} {ratio:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
