"""``recover flow …``: the pipeline as Prefect flows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from recover.cli import print_report, run_options

if TYPE_CHECKING:
    from prefect import State

    from recover.pipeline import RunReport


@click.group("flow")
def flow() -> None:
    """Run the pipeline as Prefect flows (retries, caching, artifacts, run history)."""


@flow.command("run")
@run_options
def flow_run(sources: tuple[str, ...], rules_path: str | None, out: str, no_validate: bool) -> int:
    """Run the pipeline as one Prefect flow run: the same outputs as `recover run`."""
    from recover.rules import load_rules

    # a bad rules file is a one-line error before Prefect starts; without one, the rules are inferred (zero-config)
    rules = load_rules(rules_path) if rules_path is not None else None
    if rules is None and not sources:
        raise click.UsageError("no SOURCE given and no rules file (--rules FILE) to take one from")
    from recover.flows import quiet_terminal
    from recover.flows.local_api import api_ready, start_local_api

    quiet_terminal()  # the terminal shows the one line `recover run` prints; Prefect's logs go to the API
    api = start_local_api()  # boots while Prefect (and Great Expectations) are imported
    from recover.flows.pipeline import recover_flow

    if not no_validate:
        from recover import validate

        validate._gx()
    with api_ready(api):
        # the flow returns its final state (Completed or Failed, holding the report): Prefect ends the run in it,
        # where its typing would wrap it in another State
        state = cast(
            "State[RunReport]",
            recover_flow(list(sources), rules_path, str(Path(out)), run_validation=not no_validate, return_state=True),
        )
    report = state.result(raise_on_failure=False)
    if isinstance(report, BaseException):
        raise report
    url = flow_run_url(state)
    if url:
        click.echo(f"  flow run: {url}")
    return print_report(report, rules)


def flow_run_url(state) -> str | None:
    """Given a flow run's final state, return its page in the Prefect UI, when a server (not the embedded API) ran it."""
    import os

    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL

    if not os.environ.get("PREFECT_API_URL"):
        return None  # the embedded API is gone when the run ends: no page to link to
    ui = PREFECT_UI_URL.value() or (PREFECT_API_URL.value() or "").removesuffix("/api")
    run_id = state.state_details.flow_run_id
    return f"{ui.rstrip('/')}/runs/flow-run/{run_id}" if ui and run_id else None


def batch_items(folder: Path) -> list[str]:
    """Given a folder, return what a batch runs: its rules files, then each document no rules file names as its
    source, as ``path::name`` (its output folder's name, unique in the batch)."""
    from recover.errors import RecoverError
    from recover.flows.batch import DOCUMENT_SUFFIXES
    from recover.pipeline import document_names
    from recover.rules import load_rules

    rules_paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    named: set[Path] = set()
    taken: set[str] = set()
    for p in rules_paths:
        try:
            rules = load_rules(p)
        except RecoverError:
            continue  # reported when the batch runs it
        taken.add(rules.document)
        source = rules.source_location()
        if source and "://" not in source:
            named.add(Path(source).resolve())
    docs = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file() and p.resolve() not in named
    )
    names = document_names([str(p) for p in docs])  # one or several: safe names, never the shared _data_docs
    names = [n if n not in taken else f"{n}-zero-config" for n in names]
    return [str(p) for p in rules_paths] + [f"{p}::{n}" for p, n in zip(docs, names)]


@flow.command("batch")
@click.argument("rules_dir", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder: one sub-folder per document."
)
@click.option(
    "--task-runner",
    "task_runner",
    default=None,
    metavar="dask[=ADDRESS]",
    help="Run documents in parallel on a local Dask cluster, or on the cluster at ADDRESS.",
)
@click.option("--no-validate", is_flag=True, help="Skip the Great Expectations validation stage.")
def flow_batch(rules_dir: str, out: str, task_runner: str | None, no_validate: bool) -> int:
    """Run one document per rules file in RULES_DIR (its source: key), and every other document in it (.txt, .html,
    .pdf) without rules (zero-config, its inferred rules written beside its CSVs), as one flow run."""
    from recover.flows import quiet_terminal

    quiet_terminal()  # a failing document is one line here; Prefect's logs of it go to the API (before Prefect's import)
    if task_runner is not None and not (task_runner == "dask" or task_runner.startswith("dask=")):
        raise click.UsageError(f"--task-runner takes dask or dask=ADDRESS, not '{task_runner}'")
    paths = batch_items(Path(os.path.normpath(rules_dir)))  # `rules/../docs` is named `docs` in every line and log
    if not paths:
        raise click.UsageError(
            f"{rules_dir}: no rules files (*.yaml) and no documents (.txt, .html, .pdf) in this folder"
        )
    from recover.flows.local_api import api_ready, start_local_api

    api = start_local_api()  # one local Prefect API for the whole batch
    from recover.flows.batch import batch_flow, task_runner_for

    if not no_validate:  # documents validated here import Great Expectations: while the API boots
        from recover import validate

        validate._gx()
    with task_runner_for(task_runner, run_validation=not no_validate) as (runner, workers, submit), api_ready(api):
        # the flow returns its final state (Failed when a document could not be read), holding the summaries
        state = cast(
            "State[list[dict]]",
            batch_flow.with_options(task_runner=runner)(
                paths, out, run_validation=not no_validate, workers=workers, submit=submit, return_state=True
            ),
        )
    results = state.result(raise_on_failure=False)
    if isinstance(results, BaseException):
        raise results
    click.echo(batch_summary(results, out))
    url = flow_run_url(state)
    if url:
        click.echo(f"  flow run: {url}")
    for r in results:
        for p in r["problems"]:
            click.echo(p, err=True)
    return batch_status(results)


def batch_summary(results: list[dict], out: str) -> str:
    """Given a batch's summaries and its output folder, return the line it prints: documents complete, incomplete and
    not read, and the cells of the documents read (never those of the documents read alone, as if all were)."""
    failed = sum(bool(r.get("failed")) for r in results)
    ok = sum(r["ok"] for r in results)
    done = sum(r["cells"][0] for r in results)
    total = sum(r["cells"][1] for r in results)
    read = len(results) - failed
    return (
        f"{len(results)} documents, {ok} complete, {read - ok} incomplete, {failed} not read; "
        f"{done} of {total} cells recovered in the {read} read -> {Path(out)}/"
    )


def batch_status(results: list[dict]) -> int:
    """Given a batch's summaries, return its exit status: 2 when a document could not be read (its source or rules
    file), 1 when one completed with problems, else 0."""
    if any(r.get("failed") for r in results):
        return 2
    return 0 if all(r["ok"] for r in results) else 1


@flow.command("serve")
@click.argument("rules_dir", required=False, default="rules", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--out",
    "out",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder: one sub-folder per document.",
)
def flow_serve(rules_dir: str, out: str) -> int:
    """Serve one deployment per rules file in RULES_DIR (its source: and schedule: keys), until interrupted."""
    from recover.rules import load_rules

    paths = sorted(Path(rules_dir).resolve().glob("*.y*ml"))
    rules = [load_rules(p) for p in paths]  # every rules file is checked before anything is served
    if not rules:
        raise click.UsageError(f"{rules_dir}: no rules files (*.yaml) in this folder")
    from recover.flows.local_api import api_ready, check_api_url

    if os.environ.get("PREFECT_API_URL"):
        check_api_url(os.environ["PREFECT_API_URL"])  # one line (exit 2), not Prefect's ConnectError
    from prefect import serve

    from recover.flows.pipeline import recover_flow

    deployments = []
    for path, r in zip(paths, rules):
        deployments.append(
            recover_flow.to_deployment(
                name=r.document,
                parameters={"locations": [], "rules_path": str(path), "out": str(Path(out).resolve() / r.document)},
                cron=r.schedule,
                description=f"recover {r.document} from {r.source_location() or '(no source: key)'}",
            )
        )
    click.echo(f"serving {len(deployments)} deployment(s): " + ", ".join(f"recover/{r.document}" for r in rules))
    with api_ready(None):  # Prefect's own temporary server, if any: its startup timeout is one line too
        # to_deployment is typed for async callers too; called here, outside an event loop, it returns the deployment
        serve(*deployments, print_starting_message=False)  # type: ignore[arg-type]
    return 0
