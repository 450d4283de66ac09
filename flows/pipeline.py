"""The pipeline as a Prefect flow: fetch (retried), extract and recover (cached on content hashes), publish.

``recover flow run`` calls :func:`recover_flow`; it writes byte for byte the CSVs that
``recover run`` writes, because both call the same stage functions.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from recover import __version__, pipeline
from recover.errors import BoundError, SourceKindError, SourceMissingError
from recover.model import Document, Source
from recover.rules import Rules, load_rules

#: Retries of a fetch that failed for a transient reason, and the delays between them (seconds).
DEFAULT_FETCH_RETRIES = 2
DEFAULT_FETCH_RETRY_DELAYS = [1, 4]
#: How long a cached extract or recover result is reused.
DEFAULT_CACHE_EXPIRATION = timedelta(days=30)


def _transient(task, task_run, state) -> bool:
    """Retry a fetch unless the failure is final (missing file, not a document, over a bound)."""
    try:
        state.result()
    except (SourceMissingError, SourceKindError, BoundError):
        return False
    except Exception:
        return True
    return False


@task(name="fetch", retries=DEFAULT_FETCH_RETRIES, retry_delay_seconds=DEFAULT_FETCH_RETRY_DELAYS, retry_condition_fn=_transient)
def fetch_task(location: str) -> Source:
    """Given a path or URL, return its Source (its sha256 keys the cached stages after it)."""
    return pipeline.fetch(location)


def _source_key(context, parameters) -> str:
    return f"extract-{__version__}-{parameters['source'].sha256}"


def _recover_key(context, parameters) -> str:
    return f"recover-{__version__}-{parameters['document'].source.sha256}-{parameters['rules'].sha256}"


@task(name="extract", cache_key_fn=_source_key, cache_expiration=DEFAULT_CACHE_EXPIRATION, persist_result=True)
def extract_task(source: Source) -> Document:
    """Given a Source, return its Document (cached on the source's content hash)."""
    return pipeline.extract(source)


@task(name="recover", cache_key_fn=_recover_key, cache_expiration=DEFAULT_CACHE_EXPIRATION, persist_result=True)
def recover_task(document: Document, rules: Rules) -> pipeline.DocumentResult:
    """Given a Document and its rules, return the solved tables and facts (cached on source and rules hashes)."""
    return pipeline.recover(document, rules)


@task(name="validate-and-publish")
def publish_task(locations: list[str], results: list, out: str, validate: bool) -> pipeline.RunReport:
    """Given the recovered documents, write every output together (validation and datapackage included)."""
    return pipeline.publish_all(locations, results, Path(out), validate)


def report_to_markdown(report: pipeline.RunReport) -> str:
    """Given a run's report, return the markdown summary: tables, cells, ambiguous cells and their alternatives."""
    lines = [f"# recover: {len(report.documents)} document(s) -> `{report.out}`", ""]
    for name, result in report.documents:
        done, total = result.cells
        lines += [f"## {result.source.origin}", "", f"{done} of {total} cells recovered; {len(result.facts)} facts.", ""]
        lines += ["| table | rows | cells recovered | status |", "| --- | --- | --- | --- |"]
        for sol in result.solutions:
            cells = [c for r in sol.rows for c in r.cells]
            status = "complete" if sol.complete else "; ".join(sol.problems)
            lines.append(f"| {sol.table_id} | {len(sol.rows)} | {sum(c is not None for c in cells)} of {len(cells)} | {status} |")
        open_rows = [(sol.table_id, r) for sol in result.solutions for r in sol.rows if any(c is None for c in r.cells)]
        if open_rows:
            lines += ["", "Cells left empty, with the readings the evidence allows:", ""]
            for table_id, r in open_rows[:200]:
                alts = "; ".join(str(list(x)) for x in r.readings[:10]) or "none"
                lines.append(f"- {table_id}, line {r.row.line.number} ({r.row.label}): {r.status}; {alts}")
        folder = report.out / name if name else report.out
        lines += ["", f"Data Docs: `{folder / 'validation' / 'index.html'}`", ""]
    return "\n".join(lines)


@flow(name="recover", log_prints=False)
def recover_flow(locations: list[str], rules_path: str, out: str, run_validation: bool = True) -> pipeline.RunReport:
    """Given sources (or none: the rules' source), a rules file and an output folder, run the pipeline as a flow."""
    rules = load_rules(rules_path)
    locations = pipeline.sources_or_default(locations, rules)
    results = []
    for loc in locations:
        source = fetch_task(loc)
        results.append(recover_task(extract_task(source), rules))
    report = publish_task(locations, results, out, run_validation)
    create_markdown_artifact(markdown=report_to_markdown(report), key="recover-summary", description="recover run summary")
    rows = [
        {"document": r.source.origin, "table": s.table_id, "line": row.row.line.number, "label": row.row.label,
         "status": row.status, "solutions": row.readings_count}
        for _, r in report.documents for s in r.solutions for row in s.rows
    ]
    if rows:
        create_table_artifact(table=rows[:5000], key="recover-provenance", description="provenance of every source row")
    return report
