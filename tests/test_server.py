"""Against a real Prefect server started here (127.0.0.1): `recover flow run`, and a served deployment triggered and completed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXPECTED, ROOT, SEED, SEED_RULES

BIN = Path(sys.executable).parent


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("server-home")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"

    def healthy():
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait(healthy, 90, "prefect server")
        yield {**env, "PREFECT_API_URL": url}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_flow_run_on_a_real_server(server, tmp_path):
    proc = subprocess.run(
        [
            str(BIN / "recover"),
            "flow",
            "run",
            str(SEED),
            "--rules",
            str(SEED_RULES),
            "--out",
            str(tmp_path / "o"),
            "--no-validate",
        ],
        env=server,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for expected in EXPECTED.glob("*.csv"):
        assert (tmp_path / "o" / expected.name).read_bytes() == expected.read_bytes()
    runs = httpx.post(f"{server['PREFECT_API_URL']}/flow_runs/filter", json={}, timeout=10).json()
    assert any(r["state_type"] == "COMPLETED" for r in runs)


def test_served_deployment_can_be_triggered_and_completes(server, tmp_path):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    text = SEED_RULES.read_text().replace("source: ../samples/", f"source: {ROOT}/samples/")
    (rules_dir / "ncmec-2020.yaml").write_text(text)
    out = tmp_path / "served"
    serve = subprocess.Popen(
        [str(BIN / "recover"), "flow", "serve", str(rules_dir), "--out", str(out)],
        env=server,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        api = server["PREFECT_API_URL"]

        def deployment():
            r = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
            return [d for d in r if d["name"] == "ncmec-2020"]

        dep = _wait(deployment, 120, "the served deployment")[0]
        assert dep["schedules"] and dep["schedules"][0]["schedule"]["cron"] == "0 6 * * 1"
        trigger = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "recover/ncmec-2020"],
            env=server,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert trigger.returncode == 0, trigger.stdout + trigger.stderr

        def completed():
            runs = httpx.post(
                f"{api}/flow_runs/filter", json={"deployments": {"id": {"any_": [dep["id"]]}}}, timeout=10
            ).json()
            states = {r["state_type"] for r in runs}
            assert not states & {"FAILED", "CRASHED"}, runs
            return "COMPLETED" in states

        _wait(completed, 300, "the triggered run")
        assert (out / "ncmec-2020" / "state.csv").read_bytes() == (EXPECTED / "state.csv").read_bytes()
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)


def test_a_run_shows_the_same_truth_in_prefect(server, tmp_path):
    """Against a real server: a run that left cells empty ends with a state message naming the table and the count,
    its stages log through Prefect's run logger, the provenance artifact carries raw text and readings, and the CLI
    prints the run's URL."""
    doc = tmp_path / "bad-row.txt"
    doc.write_text(SEED.read_text(encoding="utf-8").replace("New Mexico1888106", "New Mexico1888107"), encoding="utf-8")
    proc = subprocess.run(
        [
            str(BIN / "recover"),
            "flow",
            "run",
            str(doc),
            "--rules",
            str(SEED_RULES),
            "--out",
            str(tmp_path / "o"),
            "--no-validate",
        ],
        env=server,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    api = server["PREFECT_API_URL"]
    line = next(l for l in proc.stdout.splitlines() if "flow run:" in l)
    run_id = line.rsplit("/", 1)[-1]
    assert line.strip() == f"flow run: {api.removesuffix('/api')}/runs/flow-run/{run_id}"
    run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()
    assert run["state"]["type"] == "COMPLETED" and run["state"]["message"] == "3 of 36 cells left empty (state)"
    logs = httpx.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}}}, timeout=10).json()
    messages = [l["message"] for l in logs]
    assert any(m.startswith("recovered 135 of 138 cells") for m in messages), messages
    assert any("3 of 36 cells left empty" in m for m in messages)
    artifacts = httpx.post(
        f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}, timeout=10
    ).json()
    table = next(a for a in artifacts if a["key"] == "recover-provenance")
    data = table["data"] if isinstance(table["data"], list) else __import__("json").loads(table["data"])
    row = next(r for r in data if r["label"] == "New Mexico")
    assert row["raw"] == "New Mexico1888107" and row["status"] == "unsatisfiable"
    summary = next(a for a in artifacts if a["key"] == "recover-summary")
    assert "New Mexico1888107" in summary["data"] and "Rows to decide" in summary["data"]


def _recover(env, *args, timeout=600):
    return subprocess.run(
        [str(BIN / "recover"), *[str(a) for a in args]], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("command", ["run", "batch", "serve"])
def test_a_server_url_without_api_is_one_line_naming_the_fix(server, tmp_path, command):
    """Issue 18, bug: with `/api` left off PREFECT_API_URL, `flow run` and `flow batch` printed `recover: internal
    error: RuntimeError: Failed to reach API … (please report it)` and exited 70 after 12 s, `flow serve` an internal
    ConnectError. The address is checked first: one line naming the setting, what was tried and the fix; exit 2."""
    base = server["PREFECT_API_URL"].removesuffix("/api")
    args = {
        "run": ["flow", "run", SEED, "--rules", SEED_RULES, "--out", tmp_path / "o"],
        "batch": ["flow", "batch", ROOT / "rules", "--out", tmp_path / "o"],
        "serve": ["flow", "serve", ROOT / "rules"],
    }[command]
    proc = _recover({**server, "PREFECT_API_URL": base}, *args, timeout=120)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"PREFECT_API_URL: no Prefect API at {base} (tried {base}/health: HTTP 404); "
        f"a Prefect API answers at {base}/api: set PREFECT_API_URL={base}/api [prefect-api]\n"
    )
    assert not (tmp_path / "o").exists()


def test_flow_run_prints_the_one_line_of_recover_run(server, tmp_path):
    """Issue 18, bug: a missing source gave 82 lines on stderr (Prefect's ERROR logs and a traceback) before the one
    line `recover run` prints, a dead URL 76. Prefect's logs go to the API; the terminal shows the same line."""
    missing = tmp_path / "nope.txt"
    proc = _recover(server, "flow", "run", missing, "--rules", SEED_RULES, "--out", tmp_path / "o")
    assert (proc.returncode, proc.stderr) == (2, f"{missing}: no such file [source-missing]\n")
    dead = f"http://127.0.0.1:{_free_port()}/report.txt"
    plain = _recover(server, "run", dead, "--rules", SEED_RULES, "--out", tmp_path / "p", "--no-validate")
    flowed = _recover(server, "flow", "run", dead, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert plain.returncode == 2 and len(plain.stderr.splitlines()) == 1 and plain.stderr.startswith(f"{dead}: ")
    assert (flowed.returncode, flowed.stderr) == (2, plain.stderr)


def test_a_batch_with_unread_documents_fails_naming_them(server, tmp_path):
    """Issue 18, bug: a batch whose documents could not be read exited 1 but its flow run was `Completed` without a
    message, its tasks named `documents-0a6`, and its summary read `39 of 39 cells recovered` with 2 of 3 sources
    missing. Now the run is Failed, its message naming how many and which, each task run is named after its document,
    the summary counts the documents read, and the exit status is 2 (a source that cannot be read)."""
    from bench.generate import generate

    folder = tmp_path / "in"
    generate(1, 77, folder)
    for name in ("broken-a", "broken-b"):
        (folder / f"{name}.yaml").write_text(
            f"document: {name}\nsource: no-such-{name}.txt\ntables:\n  - id: t\n    label: {{column: name}}\n"
            "    columns: [a]\n"
        )
    proc = _recover(server, "flow", "batch", folder, "--out", tmp_path / "out", "--no-validate")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr == (
        f"{folder / 'no-such-broken-a.txt'}: no such file [source-missing]\n"
        f"{folder / 'no-such-broken-b.txt'}: no such file [source-missing]\n"
    )
    summary, link = proc.stdout.splitlines()
    assert summary == (
        f"3 documents, 1 complete, 0 incomplete, 2 not read; 19 of 19 cells recovered in the 1 read -> {tmp_path / 'out'}/"
    )
    api = server["PREFECT_API_URL"]
    run_id = link.rsplit("/", 1)[-1]
    run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()
    assert run["state"]["type"] == "FAILED"
    assert run["state"]["message"] == (
        "2 of 3 documents failed (not read): broken-a, broken-b; 19 of 19 cells recovered in the 1 document read"
    )
    tasks = httpx.post(f"{api}/task_runs/filter", json={"flow_runs": {"id": {"any_": [run_id]}}}, timeout=10).json()
    assert sorted(t["name"] for t in tasks) == ["broken-a", "broken-b", "doc-77-0000"]
    artifacts = httpx.post(
        f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}, timeout=10
    ).json()
    table = next(a for a in artifacts if a["key"] == "recover-batch")
    rows = table["data"] if isinstance(table["data"], list) else __import__("json").loads(table["data"])
    assert list(rows[0]) == ["document", "outcome", "problems", "cells", "rules"]  # the outcome first, not off-screen
    assert {(r["document"], r["outcome"]) for r in rows} == {
        ("broken-a", "not read"),
        ("broken-b", "not read"),
        ("doc-77-0000", "complete"),
    }
