"""``recover flow batch``: many documents, one rules file each, as one flow run; in parallel on Dask.

Each document runs the whole pipeline into ``DIR/<document id>/`` (its own outputs swap in
together); one that fails is reported on one line and the batch goes on with the others.

Documents are grouped into chunks, one task per chunk, so a task's overhead (its task run,
its states, its trip to a Dask worker) is paid per chunk, not per document: about
``DEFAULT_CHUNKS_PER_WORKER`` chunks per worker, enough for uneven documents to balance out.

Without a task runner the chunks run one after the other in this process. With
``dask=ADDRESS`` they all go to that cluster. With ``dask`` (a local cluster, whose worker
processes cost seconds to start and to import Prefect and the pipeline) the first chunk runs
here and times the documents: only if what is left would take ``DEFAULT_DASK_WORTH_SECONDS``
or more here is the local cluster started (``recover.flows.cluster``: a worker per core but
one), and this process goes on taking chunks alongside its workers (``alongside``). A batch
of cheap documents so never pays for Dask. (``RECOVER_DASK_WORTH_SECONDS=0``: start it at once
and send it every chunk.)
"""

from __future__ import annotations

import contextlib
import queue
import sys
import time
from collections import deque
from contextvars import ContextVar
from pathlib import Path

from prefect import State, flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.states import Completed, Failed

from recover import pipeline
from recover.errors import RecoverError
from recover.escape import text_to_folder_name
from recover.pipeline import document_names
from recover.rules import load_rules
from recover.validate import SHARED_DOCS

#: Tasks per worker a batch is cut into, and fewest tasks (the progress bar moves once per task);
#: one task per document when there are fewer documents.
DEFAULT_CHUNKS_PER_WORKER = 6
DEFAULT_MIN_CHUNKS = 8
#: Seconds of work left (estimated from the first chunk, run here) from which a local Dask cluster is
#: worth starting: a worker takes about 5 CPU seconds to start and import what it needs.
#: RECOVER_DASK_WORTH_SECONDS overrides it; 0 starts the cluster at once and sends it every chunk.
DEFAULT_DASK_WORTH_SECONDS = 10.0


def dask_worth_seconds() -> float:
    """Return the seconds of work from which a local Dask cluster is started (RECOVER_DASK_WORTH_SECONDS or the default)."""
    import os

    value = os.environ.get("RECOVER_DASK_WORTH_SECONDS")
    try:
        return float(value) if value else DEFAULT_DASK_WORTH_SECONDS
    except ValueError:
        raise RecoverError("RECOVER_DASK_WORTH_SECONDS", detail=f"'{value}' is not a number of seconds") from None


#: The local Dask cluster the running batch may start (set by ``recover flow batch --task-runner dask``).
LOCAL_CLUSTER: ContextVar = ContextVar("recover_local_cluster", default=None)


def local_cluster():
    """Return the local Dask cluster the running batch may start, or None.

    (The flow reads it through this function: Dask pickles the flow's function with the
    globals it names, and a ContextVar cannot be pickled.)
    """
    return LOCAL_CLUSTER.get()


#: What ``recover flow batch`` runs without a rules file (zero-config), by suffix.
DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".pdf")


def run_document(rules_path: str, out: str, run_validation: bool) -> dict:
    """Given a rules file, run its document through the pipeline into OUT/<document id>/; or given a document and its
    folder name (``path::name``), run it without rules (zero-config) into OUT/<name>/; return a summary."""
    zero_config = not rules_path.endswith((".yaml", ".yml"))
    path, _, name = rules_path.rpartition("::") if zero_config else ("", "", Path(rules_path).stem)
    if zero_config and (text_to_folder_name(name) != name or name == SHARED_DOCS):
        name = document_names([path])[0]  # a folder name is never taken raw: nothing outside OUT, nor OUT/_data_docs
    try:
        rules = None if zero_config else load_rules(rules_path)
        if rules is not None:
            name = rules.document
        site = Path(out) / SHARED_DOCS if run_validation else None  # one Data Docs site for the batch: docs_task
        report = pipeline.run([path] if zero_config else [], rules, Path(out) / name, run_validation, site)
    except RecoverError as e:  # not run: the source or the rules file cannot be read (exit 2)
        return {
            "rules": rules_path,
            "document": name,
            "ok": False,
            "failed": True,
            "problems": [e.line],
            "cells": [0, 0],
        }
    _, result = report.documents[0]
    return {
        "rules": rules_path,
        "document": name,
        "ok": not report.problems,
        "failed": False,
        "problems": report.problems,
        "cells": list(result.cells),
    }


@task(name="data-docs", retries=0)
def docs_task(out: str, summaries: list[dict]) -> str | None:
    """Given the batch's output folder and its documents' summaries, build the one Data Docs site of every document
    validated (``OUT/_data_docs/``, swapped in whole like any output set); return a warning line, or None."""
    from recover.publish import staged_output

    folders = [Path(out) / s["document"] for s in summaries if (Path(out) / s["document"] / "validation").is_dir()]
    try:
        with staged_output(Path(out) / SHARED_DOCS) as stage:
            pipeline.build_shared_docs(stage, folders)
    except RecoverError as e:
        return f"warning: the batch's Data Docs were not built: {e.line}"
    return None


@task(name="documents", retries=0, task_run_name="{name}")
def documents_task(rules_paths: list[str], out: str, run_validation: bool, name: str = "documents") -> list[dict]:
    """Given a chunk of rules files, run each one's document; return one summary per document (``name``: the task
    run's, after its documents: ``chunk_to_name``)."""
    return [run_document(p, out, run_validation) for p in rules_paths]


def item_to_name(item: str) -> str:
    """Given a batch item (a rules file, or ``path::name`` for a document without rules), return its document's name
    as the batch writes it: the output folder's name, else the rules file's stem."""
    _, sep, name = item.rpartition("::")
    return name if sep and not item.endswith((".yaml", ".yml")) else Path(item).stem


def chunk_to_name(chunk: list[str]) -> str:
    """Given a chunk of batch items, return its task run's name: its one document's name, or its first and last."""
    names = [item_to_name(i) for i in chunk]
    if len(names) == 1:
        return names[0]
    return f"{names[0]} … {names[-1]} ({len(names)} documents)"


def _chunk_task(chunk: list[str], out: str, run_validation: bool) -> list[dict]:
    """Run a chunk here, its task run named after its documents."""
    return documents_task(chunk, out, run_validation, chunk_to_name(chunk))


def _submit_chunk(chunk: list[str], out: str, run_validation: bool):
    """Submit a chunk to the task runner, its task run named after its documents; return its future."""
    return documents_task.submit(chunk, out, run_validation, chunk_to_name(chunk))


def summaries_to_rows(results: list[dict]) -> list[dict]:
    """Given a batch's summaries, return the rows of its table artifact: the document and its outcome first (``not
    read``, ``incomplete``, ``complete``) and its problems, so a failure is not a column scrolled off to the right."""
    return [
        {
            "document": r["document"],
            "outcome": "not read" if r.get("failed") else ("complete" if r["ok"] else "incomplete"),
            "problems": "; ".join(r["problems"]),
            "cells": f"{r['cells'][0]} of {r['cells'][1]}",
            "rules": r["rules"],
        }
        for r in results
    ]


#: Most documents a batch's state message names.
DEFAULT_NAMES_IN_MESSAGE = 10


def names_to_text(names: list[str]) -> str:
    """Given document names, return them comma-separated, the first DEFAULT_NAMES_IN_MESSAGE and how many more."""
    shown = ", ".join(names[:DEFAULT_NAMES_IN_MESSAGE])
    more = len(names) - DEFAULT_NAMES_IN_MESSAGE
    return shown + (f" and {more} more" if more > 0 else "")


def summaries_to_message(results: list[dict]) -> str:
    """Given a batch's summaries, return its flow run's state message: how many documents were not read (failed) and
    which, how many completed with problems and which, and the cells of the documents read."""
    failed = [r["document"] for r in results if r.get("failed")]
    incomplete = [r["document"] for r in results if not r["ok"] and not r.get("failed")]
    read = len(results) - len(failed)
    done = sum(r["cells"][0] for r in results)
    total = sum(r["cells"][1] for r in results)
    parts = []
    if failed:
        parts.append(f"{len(failed)} of {len(results)} documents failed (not read): {names_to_text(failed)}")
    if incomplete:
        parts.append(f"{len(incomplete)} of {len(results)} documents incomplete: {names_to_text(incomplete)}")
    parts.append(f"{done} of {total} cells recovered in the {read} document{'s' if read != 1 else ''} read")
    return "; ".join(parts)


def chunked(items: list[str], chunks: int) -> list[list[str]]:
    """Given items and a number of chunks, return that many runs of consecutive items (sizes differ by one at most)."""
    n = max(1, min(len(items), chunks))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append(items[start:end])
        start = end
    return [c for c in out if c]


@contextlib.contextmanager
def task_runner_for(spec: str | None, run_validation: bool = True):
    """Given ``dask`` or ``dask=ADDRESS`` (or None), yield the Prefect task runner, its workers and whether chunks go to it.

    For ``dask``, the runner is given the address of a local cluster that is not started yet
    (``LOCAL_CLUSTER`` holds it for the flow, which starts it if the batch is worth it); the
    cluster is closed, and its processes gone, when the block ends.
    """
    if not spec:
        from prefect.task_runners import ThreadPoolTaskRunner

        yield ThreadPoolTaskRunner(max_workers=1), 1, False
        return
    from prefect_dask import DaskTaskRunner

    _, _, address = spec.partition("=")
    if address:
        import distributed

        with distributed.Client(address, set_as_default=False) as client:
            workers = max(1, sum(client.nthreads().values()))
        yield DaskTaskRunner(address=address), workers, True
        return
    from recover.flows.cluster import LocalCluster

    cluster = LocalCluster(validation=run_validation)
    always = dask_worth_seconds() <= 0
    if always:
        cluster.start()  # while the local Prefect API boots
    token = LOCAL_CLUSTER.set(cluster)
    try:
        # by address: the flow run copies its task runner, and a copy keeps the address, not a cluster;
        # the runner connects on its first chunk, so an unstarted cluster costs nothing
        yield DaskTaskRunner(address=cluster.address), cluster.workers + (not always), always
    finally:
        LOCAL_CLUSTER.reset(token)
        cluster.close()


def alongside(pending: deque, cluster, record, out: str, run_validation: bool) -> None:
    """Run the pending chunks here and on the cluster's workers at once, until none is left.

    While the cluster starts, this process takes every chunk; once it is up, each worker is kept
    two chunks (one running, one queued) and this process takes the next one in between.
    """
    finished: queue.SimpleQueue = queue.SimpleQueue()
    inflight = 0
    while pending or inflight:
        if cluster.ready():
            while pending and inflight < 2 * cluster.workers:
                _submit_chunk(pending.popleft(), out, run_validation).add_done_callback(finished.put)
                inflight += 1
        while inflight:
            try:
                future = finished.get_nowait()
            except queue.Empty:
                break
            inflight -= 1
            record(future.result())
        if pending:
            record(_chunk_task(pending.popleft(), out, run_validation))
        elif inflight:
            inflight -= 1
            record(finished.get().result())


@flow(name="recover-batch", log_prints=False)
def batch_flow(
    rules_paths: list[str],
    out: str,
    run_validation: bool = True,
    progress: bool | None = None,
    workers: int = 1,
    submit: bool = False,
) -> State[list[dict]]:
    """Given rules files, run their documents as chunked tasks of this flow run; return its final state holding one
    summary per document: Failed, its message naming the documents not read, when one could not be read; else
    Completed, its message naming those that completed with problems.

    ``submit``: send every chunk to the task runner (a Dask cluster); otherwise chunks run here,
    and with a local cluster in ``LOCAL_CLUSTER`` the rest go to it if it is worth starting.
    """
    progress = sys.stderr.isatty() if progress is None else progress  # a bar on a terminal, not in logs
    pending = deque(chunked(rules_paths, max(DEFAULT_MIN_CHUNKS, DEFAULT_CHUNKS_PER_WORKER * workers)))
    results: list[dict] = []

    def record(summaries: list[dict]) -> None:
        results.extend(summaries)
        if progress:
            bar = "#" * (30 * len(results) // len(rules_paths))
            sys.stderr.write(f"\rbatch: [{bar:<30}] {len(results)}/{len(rules_paths)} documents")
            sys.stderr.flush()

    cluster = local_cluster()
    if cluster is not None and pending and not submit:
        started = time.perf_counter()
        first = pending.popleft()
        record(_chunk_task(first, out, run_validation))
        left = (time.perf_counter() - started) / len(first) * sum(len(c) for c in pending)
        if left >= dask_worth_seconds():
            cluster.start()
            alongside(pending, cluster, record, out, run_validation)
            if cluster.failure is not None:
                print(
                    f"warning: the local Dask cluster did not start ({cluster.failure!r}); the batch ran here",
                    file=sys.stderr,
                )
    if submit:
        for fut in as_completed([_submit_chunk(chunk, out, run_validation) for chunk in pending]):
            record(fut.result())
    else:
        for chunk in pending:
            record(_chunk_task(chunk, out, run_validation))
    if progress and rules_paths:
        sys.stderr.write("\n")
    results.sort(key=lambda r: r["rules"])
    if run_validation and results:
        warning = docs_task(out, results)
        if warning:
            print(warning, file=sys.stderr)
    create_table_artifact(table=summaries_to_rows(results), key="recover-batch", description="one row per document")
    logger = get_run_logger()
    for r in results:
        for p in r["problems"]:
            (logger.error if r.get("failed") else logger.warning)("%s: %s", r["document"], p)
    message = summaries_to_message(results)
    if any(r.get("failed") for r in results):
        return Failed(message=message, data=results)
    return Completed(message=message, data=results)
