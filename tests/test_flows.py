"""The Prefect flow, for real: an embedded Prefect API, task caching on content hashes, artifacts, and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXPECTED, SEED, SEED_RULES


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    """A real (ephemeral) Prefect API for this module, with its own PREFECT_HOME."""
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


def _task_states(flow_state) -> dict[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_state.state_details.flow_run_id]))
        )
    return {r.name.rsplit("-", 1)[0]: r.state.name for r in runs}


def test_flow_writes_the_same_csvs_and_caches_on_rerun(prefect_api, tmp_path):
    """(Bug: a second run of the suite found the first run's extract and recover `Cached`: results persist in Prefect's
    local storage, which the module's PREFECT_HOME does not move once Prefect's settings are loaded. The rules file is
    a copy with a comment of its own, so its hash, and so the cache key, is new to every run.)"""
    import uuid

    from recover.flows.pipeline import recover_flow

    out = tmp_path / "o"
    rules = tmp_path / "rules.yaml"
    rules.write_text(SEED_RULES.read_text(encoding="utf-8") + f"# {uuid.uuid4()}\n", encoding="utf-8")
    first = recover_flow([str(SEED)], str(rules), str(out), run_validation=False, return_state=True)
    assert first.is_completed()
    for expected in EXPECTED.glob("*.csv"):
        assert (out / expected.name).read_bytes() == expected.read_bytes(), expected.name
    assert _task_states(first) == {
        "fetch": "Completed",
        "extract": "Completed",
        "recover": "Completed",
        "validate-and-publish": "Completed",
    }
    second = recover_flow([str(SEED)], str(rules), str(out), run_validation=False, return_state=True)
    assert _task_states(second) == {
        "fetch": "Completed",
        "extract": "Cached",
        "recover": "Cached",
        "validate-and-publish": "Completed",
    }
    for expected in EXPECTED.glob("*.csv"):
        assert (out / expected.name).read_bytes() == expected.read_bytes(), expected.name


def test_flow_records_summary_and_provenance_artifacts(prefect_api, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from recover.flows.pipeline import recover_flow

    recover_flow([str(SEED)], str(SEED_RULES), str(tmp_path / "o"), run_validation=False)
    with get_client(sync_client=True) as client:
        summary = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["recover-summary"])))
        table = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["recover-provenance"]))
        )
    assert summary and "138 of 138 cells recovered" in summary[0].data
    assert table and table[0].type == "table"


def test_flow_run_cli_matches_recover_run(tmp_path):
    """`recover flow run` on the embedded local Prefect: same CSVs, byte for byte, as `recover run`."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    env.pop("PREFECT_API_URL", None)
    exe = Path(sys.executable).parent / "recover"
    proc = subprocess.run(
        [str(exe), "flow", "run", str(SEED), "--rules", str(SEED_RULES), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "138 of 138 cells recovered" in proc.stdout
    for expected in EXPECTED.glob("*.csv"):
        assert (tmp_path / "o" / expected.name).read_bytes() == expected.read_bytes(), expected.name
    assert (tmp_path / "o" / "datapackage.json").exists() and (tmp_path / "o" / "validation" / "index.html").exists()


def test_flow_run_with_a_bad_rules_file_is_one_line(run_cli, tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("document: x\ntables: []\n")
    status, _, err = run_cli("flow", "run", str(SEED), "--rules", bad, "--out", tmp_path / "o")
    assert (
        status == 2
        and err == f"{bad}:2: tables: List should have at least 1 item after validation, not 0 [rules-bad-value]\n"
    )


def test_flow_keeps_blanks_signs_and_marks_of_a_real_table(prefect_api, tmp_path):
    """The flow runs the same evidence model as `recover run`: an HTML table with empty cells, `-`,
    `(700)` and `500*` comes back as the hand-written CSV (blank cells pickled through Prefect's results)."""
    from recover.flows.pipeline import recover_flow

    real = Path(__file__).parent / "real" / "budget_html"
    out = tmp_path / "o"
    state = recover_flow(
        [str(next(real.glob("document.*")))],
        str(real / "rules.yaml"),
        str(out),
        run_validation=False,
        return_state=True,
    )
    assert state.is_completed()
    for expected in (real / "expected").glob("*.csv"):
        assert (out / expected.name).read_bytes() == expected.read_bytes(), expected.name


@pytest.mark.parametrize(
    "seconds, says", [("1", "did not answer within 1 s"), ("abc", "'abc' is not a whole number of seconds")]
)
def test_a_prefect_api_slow_to_start_is_one_line_naming_the_setting(tmp_path, seconds, says):
    """The local Prefect API's startup allowance is PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (ours: 300 s, not
    Prefect's 20); when it runs out, one line names the setting and the exit status is 2 (it used to be 70)."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "home"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": seconds,
    }
    env.pop("PREFECT_API_URL", None)
    exe = Path(sys.executable).parent / "recover"
    proc = subprocess.run(
        [str(exe), "flow", "run", str(SEED), "--rules", str(SEED_RULES), "--out", str(tmp_path / "o"), "--no-validate"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.splitlines() == [proc.stderr.strip()] and proc.stderr.startswith(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: "
    )
    assert says in proc.stderr and not (tmp_path / "o").exists()


def test_zero_config_flow_run_writes_the_csvs_of_recover_run(prefect_api, run_cli, tmp_path):
    """`recover flow run SOURCE --out DIR` without --rules infers the rules in a task and writes what `recover run` does;
    the final state's message says what was left empty."""
    from recover.flows.pipeline import recover_flow

    plain, flowed = tmp_path / "plain", tmp_path / "flow"
    assert run_cli("run", SEED, "--out", plain, "--no-validate")[0] == 0
    state = recover_flow([str(SEED)], None, str(flowed), run_validation=False, return_state=True)
    assert state.is_completed() and state.message == "138 of 138 cells recovered"
    names = sorted(p.name for p in plain.glob("*.csv")) + ["inferred-rules.yaml"]
    for name in names:
        assert (flowed / name).read_bytes() == (plain / name).read_bytes(), name


def test_flow_state_message_counts_what_was_left_empty(prefect_api, tmp_path):
    """A run that left cells empty is not a plain green Completed: its message names the table and the count."""
    from recover.flows.pipeline import recover_flow

    doc = tmp_path / "bad-row.txt"
    doc.write_text(SEED.read_text(encoding="utf-8").replace("New Mexico1888106", "New Mexico1888107"), encoding="utf-8")
    state = recover_flow([str(doc)], str(SEED_RULES), str(tmp_path / "o"), run_validation=False, return_state=True)
    assert state.is_completed() and state.message == "3 of 36 cells left empty (state)"


def test_cache_keys_change_with_the_code(tmp_path):
    """Bug: the cache keys held only the version (0.1.0), so after an edit or an upgrade from git a rerun served the
    old code's results as Cached. The keys now hold a hash of the package's sources."""
    from recover.flows.pipeline import package_to_fingerprint

    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    (pkg / "notes.txt").write_text("not code")
    before = package_to_fingerprint(pkg)
    (pkg / "notes.txt").write_text("still not code")
    assert package_to_fingerprint(pkg) == before
    (pkg / "sub" / "b.py").write_text("y = 3\n")
    assert package_to_fingerprint(pkg) != before


@pytest.mark.parametrize(
    "args",
    [
        ["flow", "run", str(SEED), "--rules", str(SEED_RULES), "--out", "{tmp}/o"],
        ["flow", "batch", "rules", "--out", "{tmp}/o"],
        ["flow", "serve", "rules"],
    ],
)
def test_a_prefect_api_url_where_nothing_listens_is_one_line(run_cli, tmp_path, monkeypatch, args):
    """Issue 18, bug: with nothing listening at PREFECT_API_URL, `flow run` and `flow batch` exited 70 after 12 s
    (`internal error: RuntimeError: Failed to reach API`), `flow serve` with an internal ConnectError. The address is
    checked before anything runs: one line naming the setting, what was tried and the fix; exit 2."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.chdir(Path(__file__).parent.parent)
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{port}")
    status, out, err = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert (status, out) == (2, "")
    assert err == (
        f"PREFECT_API_URL: no Prefect API at http://127.0.0.1:{port} (tried http://127.0.0.1:{port}/health: "
        "ConnectError: [Errno 111] Connection refused); a Prefect server's API ends in /api "
        f"(PREFECT_API_URL=http://127.0.0.1:{port}/api once `.venv/bin/prefect server start` runs), or unset "
        "PREFECT_API_URL to run on a local API [prefect-api]\n"
    )


def test_what_counts_as_a_prefect_api_answering():
    """A Prefect API's health route answers JSON `true`; a UI's catch-all page or a 404 is not one; Prefect Cloud
    asking for credentials is one (its key is Prefect's to check, not ours to refuse)."""
    from recover.flows.local_api import health_to_answers

    assert health_to_answers(200, "true") and health_to_answers(401, "") and health_to_answers(403, "{}")
    assert not health_to_answers(200, "<!DOCTYPE html><html>…")
    assert not health_to_answers(404, '{"detail":"Not Found"}')
    assert not health_to_answers(None, "ConnectError: [Errno 111] Connection refused")


def test_the_local_api_runs_in_its_own_session_and_never_outlives_its_command(tmp_path):
    """Issue 18 item 6: under load `flow run` took 3.55x `recover run`, partly because the local Prefect API shared the
    command's session, and Linux shares the CPU between sessions (autogroups): the server's boot took the command's
    share. It now runs in a session of its own; since a kill of the command's process group no longer reaches it, it
    is told to end when the command dies (PR_SET_PDEATHSIG), even by SIGKILL, before any exit hook runs."""
    import signal
    import time

    code = (
        "import sys, time\n"
        "from recover.flows.local_api import LocalAPI\n"
        "api = LocalAPI(); api.start(); print(api._proc.pid, flush=True); time.sleep(600)\n"
    )
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "home"))
    env.pop("PREFECT_API_URL", None)
    command = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert command.stdout is not None
        server = int(command.stdout.readline())
        assert os.getsid(server) == server != os.getsid(command.pid)  # a session of its own
        os.kill(command.pid, signal.SIGKILL)  # no exit hook runs
        command.wait(timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                break
            with open(f"/proc/{server}/stat") as f:  # a zombie (not reaped: its parent is gone) has ended
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            time.sleep(0.2)
        else:
            os.kill(server, signal.SIGKILL)
            pytest.fail("the local Prefect API outlived the command that started it")
    finally:
        if command.poll() is None:
            command.kill()
