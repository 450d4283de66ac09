"""One local Prefect API per command when ``PREFECT_API_URL`` is not set: started first, shared by all the command runs.

Left to itself, Prefect starts a temporary API server (``SubprocessASGIServer``) the first time a
flow needs one: it imports the server's code into the client only to launch it, then waits idle
while the server boots, and gives up after ``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS``
(20 by default, too short for a busy 2-core machine; ``recover.flows`` raises the default).

Here the same server (the uvicorn command and ephemeral flags ``SubprocessASGIServer`` uses, on the
same ``PREFECT_HOME`` database) is launched before the command imports Prefect, so it boots while
the command imports Prefect, Great Expectations or starts its Dask workers. Every flow run, task
and worker of the command uses it (its address is exported as ``PREFECT_API_URL``), and it is
stopped at exit, after Prefect has flushed its logs and events. A server that does not answer in
time, or exits, is one line naming the setting (exit 2).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path
from typing import IO

from recover.errors import RecoverError

TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
#: Seconds a local Prefect API may take to answer: a cold start migrates its SQLite database, and a
#: busy 2-core machine can take minutes; a server that dies is reported at once, whatever this says.
DEFAULT_STARTUP_TIMEOUT_SECONDS = 300
#: Seconds a stopped server is given to exit before it is killed.
DEFAULT_STOP_SECONDS = 10
#: Seconds the server PREFECT_API_URL names is given to answer its health check before a command uses it.
DEFAULT_API_CHECK_SECONDS = 10


class LocalAPIError(RecoverError):
    """The local Prefect API did not start; ``where`` names the setting to change."""

    slug = "prefect-api"


def startup_timeout() -> int:
    """Return the seconds a local API may take to answer: the setting's value, else our default.

    Checked before Prefect is imported (Prefect's settings would refuse a bad value with a traceback).
    """
    value = os.environ.get(TIMEOUT_SETTING) or str(DEFAULT_STARTUP_TIMEOUT_SECONDS)
    try:
        seconds = int(value)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise LocalAPIError(TIMEOUT_SETTING, detail=f"'{value}' is not a whole number of seconds")
    return seconds


def timeout_error(seconds: int | None = None) -> LocalAPIError:
    """Return the one-line error for a local Prefect API that did not answer in time."""
    seconds = startup_timeout() if seconds is None else seconds
    return LocalAPIError(
        TIMEOUT_SETTING,
        detail=f"the local Prefect API did not answer within {seconds} s; "
        "raise this setting, or set PREFECT_API_URL to a running Prefect server",
    )


#: Settings of the local API that its one command never uses, each turned off unless the user set it: automations
#: (the triggers and actions services) have nothing to act on in a server that lives for one command.
LOCAL_API_OFF = {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false"}


def _die_with_parent() -> None:  # runs in the server's process before exec
    """Ask Linux to send the server SIGTERM when the command that started it dies, however it dies (the server runs in
    a session of its own, so a terminal's Ctrl-C or a kill of the command's process group does not reach it)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalAPI:
    """A temporary Prefect API server in a subprocess: ``start`` returns at once, ``wait`` until it answers."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._proc: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None  # the server's stderr
        self._saved_url: str | None = None

    def start(self) -> None:
        """Launch the server and export its address as PREFECT_API_URL (inherited by the processes we start)."""
        port = _free_port()
        spec = find_spec("prefect")
        assert spec is not None and spec.origin is not None  # Prefect is a dependency of recover
        app_dir = str(Path(spec.origin).parent.parent)
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        # as SubprocessASGIServer._run_uvicorn_command: no UI, the services an ephemeral server runs
        env.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
        env.update({k: v for k, v in LOCAL_API_OFF.items() if k not in os.environ})
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - the server writes to it until stop()
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                app_dir,
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            # a session of its own: Linux shares the CPU between sessions (autogroups), so on a busy machine the
            # server gets its own share instead of taking the command's; it still never outlives the command
            start_new_session=sys.platform.startswith("linux"),
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.url = f"http://127.0.0.1:{port}/api"
        self._saved_url = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = self.url
        atexit.register(self.stop)  # after Prefect's own exit hooks have sent their logs and events

    def _last_log_line(self) -> str:
        assert self._log is not None  # started
        self._log.seek(0)
        lines = [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        return lines[-1].strip()[:300] if lines else "(no output)"

    def wait(self) -> None:
        """Return when the server answers; raise LocalAPIError if it exits or the startup timeout passes."""
        import httpx

        assert self._proc is not None  # started
        seconds = startup_timeout()
        deadline = time.monotonic() + seconds
        with httpx.Client(timeout=10) as client:
            while True:
                status = self._proc.poll()
                if status is not None:
                    raise LocalAPIError(
                        "prefect server",
                        detail=f"the local Prefect API exited with status {status} "
                        f"before answering: {self._last_log_line()}",
                    )
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise timeout_error(seconds)
                time.sleep(0.1)

    def restore_env(self) -> None:
        """Give PREFECT_API_URL back its value from before ``start`` (the server runs on until ``stop``)."""
        if os.environ.get("PREFECT_API_URL") == self.url:
            if self._saved_url is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = self._saved_url

    def stop(self) -> None:
        """Stop the server (terminate, then kill after DEFAULT_STOP_SECONDS) and reap it."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=DEFAULT_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def health_to_answers(status: int | None, body: str) -> bool:
    """Given the status and body of a GET of ``…/health`` (status None: nothing answered), return whether a Prefect
    API answered: its health route returns JSON (``true``), where a UI or another server answers with a page; one
    that asks for credentials (Prefect Cloud without PREFECT_API_KEY) answered too, and Prefect reports the rest."""
    if status in (401, 403):
        return True
    return status == 200 and not body.lstrip().startswith("<")


def api_url_error(url: str, reason: str, api_answers_below: bool) -> LocalAPIError:
    """Given the PREFECT_API_URL that was tried, why it failed and whether ``URL/api`` answers, return the one-line
    error naming the setting, what was tried and the fix."""
    base = url.rstrip("/")
    if api_answers_below:
        fix = f"a Prefect API answers at {base}/api: set PREFECT_API_URL={base}/api"
    elif not base.endswith("/api"):
        fix = (
            f"a Prefect server's API ends in /api (PREFECT_API_URL={base}/api once `.venv/bin/prefect server start` "
            "runs), or unset PREFECT_API_URL to run on a local API"
        )
    else:
        fix = "start the server (`.venv/bin/prefect server start`), or unset PREFECT_API_URL to run on a local API"
    return LocalAPIError("PREFECT_API_URL", detail=f"no Prefect API at {url} (tried {base}/health: {reason}); {fix}")


def check_api_url(url: str, seconds: float = DEFAULT_API_CHECK_SECONDS) -> None:
    """Given PREFECT_API_URL, return if a Prefect API answers there; else raise the one-line LocalAPIError of
    ``api_url_error`` (exit 2): a wrong address is the user's to fix, not an internal error after Prefect's retries."""
    import httpx

    base = url.rstrip("/")

    def get(address: str) -> tuple[int | None, str]:
        key = os.environ.get("PREFECT_API_KEY")
        try:
            with httpx.Client(timeout=seconds, headers={"Authorization": f"Bearer {key}"} if key else None) as client:
                r = client.get(address)
            return r.status_code, r.text[:100]
        except httpx.HTTPError as e:
            return None, " ".join(f"{type(e).__name__}: {e}".split())[:200]
        except Exception as e:  # not a URL httpx can send (InvalidURL, ValueError): the user's to fix
            return None, " ".join(f"{type(e).__name__}: {e}".split())[:200]

    status, body = get(f"{base}/health")
    if health_to_answers(status, body):
        return
    reason = body if status is None else f"HTTP {status}" + ("" if status != 200 else ", not a Prefect API")
    below = not base.endswith("/api") and health_to_answers(*get(f"{base}/api/health"))
    raise api_url_error(url, reason, below)


def start_local_api() -> LocalAPI | None:
    """Without PREFECT_API_URL, launch a local Prefect API and return it (not yet answering); else check that the API
    PREFECT_API_URL names answers (one line if not) and return None."""
    startup_timeout()  # a bad value is one line, before Prefect reads it
    if os.environ.get("PREFECT_API_URL"):
        check_api_url(os.environ["PREFECT_API_URL"])
        return None
    api = LocalAPI()
    api.start()
    return api


@contextlib.contextmanager
def api_ready(api: LocalAPI | None):
    """Wait for the local API (if one was started) and point Prefect at it for the block; one line if Prefect cannot start.

    Prefect's own temporary server (used when nothing was started here) fails with a
    RuntimeError when it does not answer in time; that becomes the same one-line error.
    """
    try:
        if api is None:
            yield
            return
        api.wait()
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api.url}):
            yield
    except RuntimeError as e:
        if "ephemeral Prefect API server" in str(e):
            raise timeout_error() from None
        raise
    finally:
        if api is not None:
            api.restore_env()
