"""Prefect flows: the same stage functions as ``recover run``, with retries, caching, artifacts and run history.

Only this package imports Prefect; the library under src/recover never does. Offline, quiet and patient
by default (each setting can be overridden from the environment).
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# the terminal shows warnings only; the run's INFO lines (each stage's) still go to the API, so the UI has them
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "WARNING")
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
# Prefect's own 20 s for its temporary API server to answer is too short on a busy 2-core machine
# (exit 70 from the README's test command); a server that dies is still reported at once.
os.environ.setdefault(
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300"
)  # = local_api.DEFAULT_STARTUP_TIMEOUT_SECONDS
