"""`recover flow batch`: one flow run over many rules files, sequential or on a local Dask cluster."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("runner", [None, "dask"])
def test_batch_runs_every_document_and_survives_a_failing_one(tmp_path, runner):
    corpus = tmp_path / "rules"
    generate(4, 77, corpus)
    (corpus / "broken.yaml").write_text(
        "document: broken\nsource: no-such-report.txt\ntables:\n  - id: t\n    label: {column: name}\n    columns: [a]\n"
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_API_URL", None)
    cmd = [str(BIN / "recover"), "flow", "batch", str(corpus), "--out", str(tmp_path / "out"), "--no-validate"]
    if runner:
        cmd += ["--task-runner", runner]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 1  # the broken document
    assert f"{corpus / 'no-such-report.txt'}: no such file [source-missing]" in proc.stderr.splitlines()
    assert proc.stdout.startswith("5 documents, ")
    done = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert done == ["doc-77-0000", "doc-77-0001", "doc-77-0002", "doc-77-0003"]
    for d in done:
        assert (tmp_path / "out" / d / "datapackage.json").exists()


def test_batch_rejects_an_unknown_task_runner(run_cli, tmp_path):
    status, _, err = run_cli("flow", "batch", str(tmp_path), "--out", str(tmp_path / "o"), "--task-runner", "ray")
    assert status == 2 and err == "recover flow batch: --task-runner takes dask or dask=ADDRESS, not 'ray' [usage]\n"
