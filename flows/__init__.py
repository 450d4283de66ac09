"""Prefect flows: the same stage functions as ``recover run``, with retries, caching, artifacts and run history.

Only this package imports Prefect; the library under src/recover never does. Offline, quiet and patient
by default (each setting can be overridden from the environment).
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
#: The settings of the terminal's share of Prefect's logs (its console handlers), and those the user set.
CONSOLE_LEVELS = (
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL",
)
_USER_SET = frozenset(k for k in CONSOLE_LEVELS if k in os.environ)
# the terminal shows warnings only; the run's INFO lines (each stage's) still go to the API, so the UI has them
for _key in CONSOLE_LEVELS:
    os.environ.setdefault(_key, "WARNING")


def quiet_terminal() -> None:
    """Keep the flow and task runs' logs (their errors and tracebacks included) off the terminal of a command that
    prints its own lines (``recover flow run``, ``flow batch``): they go to the API, where the UI shows them. Only the
    settings the user did not set; to be called before Prefect is imported. (Prefect 3 has one console handler, which
    the flow and task runs' loggers reach through ``prefect``: ``PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL`` is the one
    that counts; the other two are kept for older versions.)"""
    for key in CONSOLE_LEVELS:
        if key not in _USER_SET:
            os.environ[key] = "CRITICAL"


os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
# Prefect's own 20 s for its temporary API server to answer is too short on a busy 2-core machine
# (exit 70 from the README's test command); a server that dies is still reported at once.
os.environ.setdefault(
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300"
)  # = local_api.DEFAULT_STARTUP_TIMEOUT_SECONDS
