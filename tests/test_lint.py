"""The code is lint-clean, formatted, and type-checks: ruff and mypy as configured in pyproject.toml.

Each runs from the project root with the test environment's interpreter (``python -m``), so it is the
version the ``test`` extra installs. mypy is strict on ``recover`` and plain on ``recover.flows`` and
``recover.extractors`` (see ``[tool.mypy]``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_ruff_check_and_format():
    for args in (("ruff", "check", "."), ("ruff", "format", "--check", ".")):
        proc = run(*args)
        assert proc.returncode == 0, f"{' '.join(args)}:\n{proc.stdout}{proc.stderr}"


def test_mypy():
    proc = run("mypy")
    assert proc.returncode == 0, f"mypy:\n{proc.stdout}{proc.stderr}"
