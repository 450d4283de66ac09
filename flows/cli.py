"""``recover flow …``: the pipeline as Prefect flows."""

from __future__ import annotations

from pathlib import Path

import click

from recover.cli import print_report, require_rules


@click.group("flow")
def flow() -> None:
    """Run the pipeline as Prefect flows (retries, caching, artifacts, run history)."""


@flow.command("run")
@click.argument("sources", nargs=-1)
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), help="The rules file describing the document's tables.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder (replaced whole, atomically).")
@click.option("--no-validate", is_flag=True, help="Skip the Great Expectations validation stage.")
def flow_run(sources: tuple[str, ...], rules_path: str | None, out: str, no_validate: bool) -> int:
    """Run the pipeline as one Prefect flow run: the same outputs as `recover run`."""
    from recover.rules import load_rules

    rules_path = require_rules(rules_path)
    rules = load_rules(rules_path)  # a bad rules file is a one-line error before Prefect starts
    from recover.flows.pipeline import recover_flow

    report = recover_flow(list(sources), rules_path, str(Path(out)), run_validation=not no_validate)
    return print_report(report, rules)
