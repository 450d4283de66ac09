"""``recover flow batch``: many documents, one rules file each, as one flow run; in parallel on Dask.

Each document runs the whole pipeline into ``DIR/<document id>/`` (its own outputs swap in
together); one that fails is reported on one line and the batch goes on with the others.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed

from recover import pipeline
from recover.errors import RecoverError
from recover.rules import load_rules

#: Seconds to wait for the local Prefect API a Dask batch starts.
DEFAULT_SERVER_START_SECONDS = 120


@task(name="document", retries=0)
def document_task(rules_path: str, out: str, run_validation: bool) -> dict:
    """Given a rules file, run its document through the pipeline into OUT/<document id>/; return a summary."""
    try:
        rules = load_rules(rules_path)
        report = pipeline.run([], rules, Path(out) / rules.document, validate=run_validation)
    except RecoverError as e:
        return {"rules": rules_path, "document": Path(rules_path).stem, "ok": False, "problems": [e.line], "cells": [0, 0]}
    _, result = report.documents[0]
    return {"rules": rules_path, "document": rules.document, "ok": not report.problems, "problems": report.problems,
            "cells": list(result.cells)}


@contextlib.contextmanager
def shared_local_api(needed: bool):
    """Without PREFECT_API_URL, give Dask's worker processes one local Prefect API to share.

    Left alone, each worker process starts an ephemeral server of its own on the same
    database, and under load they time out; one server for the batch avoids that.
    """
    import os

    if not needed or os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start(timeout=DEFAULT_SERVER_START_SECONDS)
    os.environ["PREFECT_API_URL"] = server.api_url  # inherited by the workers Dask spawns
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def task_runner_for(spec: str | None):
    """Given ``dask`` or ``dask=ADDRESS`` (or None), return the Prefect task runner to use."""
    if not spec:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask import DaskTaskRunner

    _, _, address = spec.partition("=")
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None})


@flow(name="recover-batch", log_prints=False)
def batch_flow(rules_paths: list[str], out: str, run_validation: bool = True, progress: bool | None = None) -> list[dict]:
    """Given rules files, run each one's document as a task of this flow run; return one summary per document."""
    progress = sys.stderr.isatty() if progress is None else progress  # a bar on a terminal, not in logs
    futures = [document_task.submit(p, out, run_validation) for p in rules_paths]
    results, done = [], 0
    for fut in as_completed(futures):
        results.append(fut.result())
        done += 1
        if progress:
            bar = "#" * (30 * done // len(futures))
            sys.stderr.write(f"\rbatch: [{bar:<30}] {done}/{len(futures)} documents")
            sys.stderr.flush()
    if progress and futures:
        sys.stderr.write("\n")
    results.sort(key=lambda r: r["rules"])
    create_table_artifact(table=[{k: (", ".join(v) if isinstance(v, list) and k == "problems" else v) for k, v in r.items()} for r in results],
                          key="recover-batch", description="one row per document")
    return results
