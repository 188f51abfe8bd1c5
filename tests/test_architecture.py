"""The layers stay in one direction, and every CLI command is documented."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def test_architecture_layers_hold():
    """import-linter: ui -> app -> models; models has no Qt/spaCy; app has no Qt."""
    result = subprocess.run([sys.executable, "-c",
                             "import sys; from importlinter.cli import lint_imports_command as c; "
                             "sys.argv=['lint-imports']; c()"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_architecture_every_cli_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"newsmark {name}" not in readme]
    assert missing == []


def test_architecture_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    first_block = lines[lines.index("```") + 1: lines.index("```") + 3]
    assert [line.split("#")[0].strip() for line in first_block] == ["make run", "make test"]
