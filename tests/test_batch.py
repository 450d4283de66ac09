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
    assert proc.returncode == 2  # the broken document: its source cannot be read (issue 18: was 1)
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


def test_batch_runs_documents_without_rules_files_zero_config(tmp_path, run_cli):
    """A folder of documents with no rules file for some (issue: zero-config batch): each such document is run
    without rules into a folder of its own name (unique: `a.txt` and `a.html` both present), with its inferred
    rules beside its CSVs, the same CSVs `recover run` gives it; a rules file's own source is not run twice."""
    import shutil

    from tests.conftest import SEED

    folder = tmp_path / "in"
    generate(1, 77, folder)  # doc-77-0000.txt, named by doc-77-0000.yaml
    shutil.copy(SEED, folder / "a.txt")
    (folder / "a.html").write_text(
        "<table><tr><th>Area</th><th>Open</th><th>Closed</th></tr>"
        "<tr><td>North</td><td>12</td><td>3</td></tr><tr><td>South</td><td>7</td><td>-</td></tr>"
        "<tr><td>East</td><td>1,204</td><td>15</td></tr></table>",
        encoding="utf-8",
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_API_URL", None)
    out = tmp_path / "out"
    cmd = [str(BIN / "recover"), "flow", "batch", str(folder), "--out", str(out), "--no-validate"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.startswith("3 documents, "), proc.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["a", "a-2", "doc-77-0000"]
    status, _, err = run_cli("run", SEED, "--out", tmp_path / "alone", "--no-validate")
    assert status == 0, err
    for csv_file in (tmp_path / "alone").glob("*.csv"):
        assert (out / "a-2" / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file.name  # a.txt: 2nd
    assert (out / "a-2" / "inferred-rules.yaml").is_file()
    html = (out / "a" / "table_1.csv").read_text(encoding="utf-8").splitlines()
    assert html == ["area,open,closed", "North,12,3", "South,7,", "East,1204,15"]


def test_a_validated_batch_builds_one_data_docs_site(tmp_path):
    """Issue 9: Data Docs once per batch. Each document of a validated batch keeps its results and its review page,
    whose link leads to OUT/_data_docs/, one site built after the last document with every document's suites."""
    import re

    corpus = tmp_path / "rules"
    generate(2, 78, corpus)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_API_URL", None)
    out = tmp_path / "out"
    cmd = [str(BIN / "recover"), "flow", "batch", str(corpus), "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr
    site = out / "_data_docs" / "gx" / "uncommitted" / "data_docs" / "local_site"
    index = (site / "index.html").read_text()
    for doc in ("doc-78-0000", "doc-78-0001"):
        assert f"{doc}.table_" in index, doc
        assert not (out / doc / "validation" / "gx" / "uncommitted" / "data_docs" / "local_site").exists()
        page = (out / doc / "validation" / "index.html").read_text()
        link = re.search(r"href='([^']*local_site/index.html)'", page).group(1)
        assert (out / doc / "validation" / link).resolve() == (site / "index.html").resolve()
    assert "static/vendor/bootstrap.min.css" in index  # offline, like a document's own site
