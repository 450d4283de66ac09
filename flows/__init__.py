"""Prefect flows: the same stage functions as ``recover run``, with retries, caching, artifacts and run history.

Only this package imports Prefect; the library under src/recover never does.
"""
