from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "ncmec-2020" / "ncmec-2020-impact-spun.txt"
SEED_RULES = ROOT / "rules" / "ncmec-2020.yaml"
EXPECTED = ROOT / "samples" / "ncmec-2020" / "expected"

# offline and quiet, whatever the caller's environment
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture
def run_cli(capsys):
    """Run the real CLI in-process; return (status, stdout, stderr)."""
    from recover.cli import main

    def _run(*args: str):
        status = main([str(a) for a in args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run
