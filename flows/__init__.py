"""Prefect flows: the same stage functions as ``recover run``, with retries, caching, artifacts and run history.

Only this package imports Prefect; the library under src/recover never does. Offline and quiet
by default (each setting can be overridden from the environment).
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
