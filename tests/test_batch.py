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
    # a local cluster is started only for batches worth it (not these 5 cheap documents): 0 starts it at once
    env["RECOVER_DASK_WORTH_SECONDS"] = "0"
    cmd = [str(BIN / "recover"), "flow", "batch", str(corpus), "--out", str(tmp_path / "out"), "--no-validate"]
    if runner:
        cmd += ["--task-runner", runner]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    ) as run:
        stdout, stderr = run.communicate(timeout=900)  # in a session of its own, to look for what it left behind
    proc = subprocess.CompletedProcess(cmd, run.returncode, stdout, stderr)
    assert proc.returncode == 1  # the broken document
    assert f"{corpus / 'no-such-report.txt'}: no such file [source-missing]" in proc.stderr.splitlines()
    assert proc.stdout.startswith("5 documents, ")
    done = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert done == ["doc-77-0000", "doc-77-0001", "doc-77-0002", "doc-77-0003"]
    for d in done:
        assert (tmp_path / "out" / d / "datapackage.json").exists()
    assert _left_in_session(run.pid) == []  # no Dask worker, no Prefect API server left behind


def _left_in_session(sid: int) -> list[str]:
    ps = subprocess.run(["ps", "-e", "-o", "sid=,pid=,args="], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if line.split(None, 1)[0] == str(sid)]


def test_documents_are_chunked_evenly_in_order():
    from recover.flows.batch import chunked

    assert chunked([str(i) for i in range(10)], 4) == [["0", "1", "2"], ["3", "4", "5"], ["6", "7"], ["8", "9"]]
    assert chunked(["a", "b"], 8) == [["a"], ["b"]]
    assert chunked([], 8) == []


def test_batch_rejects_an_unknown_task_runner(run_cli, tmp_path):
    status, _, err = run_cli("flow", "batch", str(tmp_path), "--out", str(tmp_path / "o"), "--task-runner", "ray")
    assert status == 2 and err == "recover flow batch: --task-runner takes dask or dask=ADDRESS, not 'ray' [usage]\n"
