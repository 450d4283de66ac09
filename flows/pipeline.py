"""The pipeline as a Prefect flow: fetch (retried), extract and recover (cached on content hashes), publish.

``recover flow run`` calls :func:`recover_flow`; it writes byte for byte the CSVs that
``recover run`` writes, because both call the same stage functions.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import cache
from pathlib import Path

from prefect import State, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import Completed, Failed

from recover import __version__, pipeline
from recover.errors import BoundError, SourceKindError, SourceMissingError
from recover.escape import text_to_markdown
from recover.model import Document, Source
from recover.rules import Rules, load_rules

#: Retries of a fetch that failed for a transient reason, and the delays between them (seconds).
DEFAULT_FETCH_RETRIES = 2
DEFAULT_FETCH_RETRY_DELAYS: list[float] = [1, 4]
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


@task(
    name="fetch",
    retries=DEFAULT_FETCH_RETRIES,
    retry_delay_seconds=DEFAULT_FETCH_RETRY_DELAYS,
    retry_condition_fn=_transient,
)
def fetch_task(location: str) -> Source:
    """Given a path or URL, return its Source (its sha256 keys the cached stages after it)."""
    source = pipeline.fetch(location)
    get_run_logger().info(
        "fetched %s: %s, %s bytes, sha256 %s", location, source.kind, f"{len(source.data):,}", source.sha256[:12]
    )
    return source


def package_to_fingerprint(root: Path) -> str:
    """Given the folder of an installed package, return a hash of its Python sources (names and bytes).

    A cached result is only as good as the code that made it: keying on the version alone served results of the old
    code after an edit or an upgrade from git (same version number), so the caches also key on this."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@cache
def _code() -> str:
    import recover
    import recover.extractors
    import recover.flows

    folders = []
    for m in (recover, recover.extractors, recover.flows):  # three folders in an editable install
        assert m.__file__ is not None  # a package read from its files
        folders.append(Path(m.__file__).resolve().parent)
    return f"{__version__}-" + "-".join(package_to_fingerprint(f) for f in folders)


def _source_key(context, parameters) -> str:
    return f"extract-{_code()}-{parameters['source'].sha256}"


def _recover_key(context, parameters) -> str:
    return f"recover-{_code()}-{parameters['document'].source.sha256}-{parameters['rules'].sha256}"


def _infer_key(context, parameters) -> str:
    return f"infer-{_code()}-{parameters['document'].source.sha256}"


@task(name="extract", cache_key_fn=_source_key, cache_expiration=DEFAULT_CACHE_EXPIRATION, persist_result=True)
def extract_task(source: Source) -> Document:
    """Given a Source, return its Document (cached on the source's content hash)."""
    document = pipeline.extract(source)
    get_run_logger().info(
        "extracted %s lines from %s (%s lines with printed cells)",
        f"{len(document.lines):,}",
        source.origin,
        f"{sum(l.cells is not None for l in document.lines):,}",
    )
    return document


@task(name="infer", cache_key_fn=_infer_key, cache_expiration=DEFAULT_CACHE_EXPIRATION, persist_result=True)
def infer_task(document: Document) -> tuple[Rules, str | None, list[str]]:
    """Given a Document without rules (zero-config), return the rules inferred for it, their text and notes (cached)."""
    rules, text, notes = pipeline.infer(document)
    get_run_logger().info(
        "inferred %s table(s) for %s%s", len(rules.tables), document.source.origin, "".join(f"; {n}" for n in notes)
    )
    return rules, text, notes


@task(name="recover", cache_key_fn=_recover_key, cache_expiration=DEFAULT_CACHE_EXPIRATION, persist_result=True)
def recover_task(document: Document, rules: Rules) -> pipeline.DocumentResult:
    """Given a Document and its rules, return the solved tables and facts (cached on source and rules hashes)."""
    result = pipeline.recover(document, rules)
    done, total = result.cells
    logger = get_run_logger()
    logger.info(
        "recovered %s of %s cells of %s (%s tables)",
        f"{done:,}",
        f"{total:,}",
        document.source.origin,
        len(result.solutions),
    )
    for problem in result.problems:
        logger.warning("%s", problem)
    return result


@task(name="validate-and-publish")
def publish_task(locations: list[str], results: list, out: str, validate: bool) -> pipeline.RunReport:
    """Given the recovered documents, write every output together (validation and datapackage included)."""
    report = pipeline.publish_all(locations, results, Path(out), validate)
    logger = get_run_logger()
    logger.info("published %s document(s) to %s", len(report.documents), report.out)
    for line in (p for _, r in report.documents for p in r.validation_problems):
        logger.error("%s", line)
    return report


def report_to_markdown(report: pipeline.RunReport) -> str:
    """Given a run's report, return the markdown summary: tables, cells, ambiguous cells and their alternatives."""
    md = text_to_markdown  # every text from a document (or a name from one) is escaped for markdown
    lines = [f"# recover: {len(report.documents)} document(s) -> {md(str(report.out))}", ""]
    for name, result in report.documents:
        done, total = result.cells
        lines += [
            f"## {md(result.source.origin)}",
            "",
            f"{done} of {total} cells recovered; {len(result.facts)} facts.",
            "",
        ]
        lines += ["| table | rows | cells recovered | status |", "| --- | --- | --- | --- |"]
        for sol in result.solutions:
            cells = [c for r in sol.rows for c in r.cells]
            status = "complete" if sol.complete else md("; ".join(sol.problems))
            lines.append(
                f"| {sol.table_id} | {len(sol.rows)} | {sum(c is not None for c in cells)} of {len(cells)} | {status} |"
            )
        open_rows = [
            (sol.table_id, r)
            for sol in result.solutions
            for r in sol.rows
            if r.status not in ("recovered", "corrected", "duplicate") or any(c is None for c in r.cells)
        ]
        if open_rows:
            lines += ["", "Rows to decide (cells left empty), with the readings the evidence allows:", ""]
            lines += ["| table | line | raw | label | status | readings |", "| --- | --- | --- | --- | --- | --- |"]
            for table_id, r in open_rows[:200]:
                alts = "; ".join("[" + ", ".join(_text(v) for v in x) + "]" for x in r.readings[:10]) or "none"
                raw = md(r.row.raw[:200])
                line = r.row.line.number or ""  # a missing row has no line
                lines.append(f"| {table_id} | {line} | {raw} | {md(r.row.label)} | {r.status} | {alts} |")
        lines += [
            "",
            "Validation: "
            + (md("; ".join(result.validation_problems)) if result.validation_problems else "no check violated"),
        ]
        folder = report.out / name if name else report.out
        lines += ["", f"Review page: {md(str(folder / 'validation' / 'index.html'))}", ""]
    return "\n".join(lines)


def _text(v) -> str:
    from recover.model import BLANK
    from recover.publish import number_to_text

    return "blank" if v is BLANK else number_to_text(v)


def report_to_state_message(report: pipeline.RunReport) -> str:
    """Given a run's report, return the flow run's final state message: what was left empty and what was violated."""
    parts = []
    for _, result in report.documents:
        for sol in result.solutions:
            cells = [c for r in sol.rows if r.status != "duplicate" for c in r.cells]
            empty = sum(c is None for c in cells)
            if empty:
                parts.append(f"{empty} of {len(cells)} cells left empty ({sol.table_id})")
            elif not sol.found:
                parts.append(f"table {sol.table_id} not found")
        violated = len(result.validation_problems)
        if violated:
            parts.append(f"{violated} check(s) violated ({result.source.origin})")
    done = sum(r.cells[0] for _, r in report.documents)
    total = sum(r.cells[1] for _, r in report.documents)
    return "; ".join(parts) if parts else f"{done} of {total} cells recovered"


@flow(name="recover", log_prints=False)
def recover_flow(
    locations: list[str], rules_path: str | None, out: str, run_validation: bool = True
) -> State[pipeline.RunReport]:
    """Given sources (or none: the rules' source), a rules file (or None: zero-config) and an output folder, run the
    pipeline as a flow. The final state carries the report: Completed, its message saying what was left empty, or
    Failed when a published value violates a check."""
    from recover.publish import number_to_text

    results = []
    if rules_path is None:
        if not locations:
            from recover.errors import UsageError

            raise UsageError(
                "recover flow run", detail="no SOURCE given and no rules file (--rules FILE) to take one from"
            )
        for loc in locations:
            document = extract_task(fetch_task(loc))
            rules, text, notes = infer_task(document)
            result = recover_task(document, rules)
            result.inferred_rules, result.inference_problems = text, list(notes)
            results.append(result)
    else:
        rules = load_rules(rules_path)
        locations = pipeline.sources_or_default(locations, rules)
        for loc in locations:
            results.append(recover_task(extract_task(fetch_task(loc)), rules))
    report = publish_task(locations, results, out, run_validation)
    create_markdown_artifact(
        markdown=report_to_markdown(report), key="recover-summary", description="recover run summary"
    )
    rows = [
        {
            "document": r.source.origin,
            "table": s.table_id,
            "line": row.row.line.number or None,  # a missing row has no line
            "page": row.row.line.page,
            "raw": row.row.raw[:500],
            "label": row.row.label,
            "status": row.status,
            "solutions": row.readings_count,
            "alternatives": "; ".join("[" + ", ".join(_text(v) for v in x) + "]" for x in row.readings[:10]),
            "cells": ", ".join(number_to_text(c) if c is not None else "?" for c in row.cells),
            "reason": row.reason,
        }
        for _, r in report.documents
        for s in r.solutions
        for row in s.rows
    ]
    if rows:
        create_table_artifact(table=rows[:5000], key="recover-provenance", description="provenance of every source row")
    message = report_to_state_message(report)
    if any(r.validation_problems for _, r in report.documents):
        return Failed(message=message, data=report)
    return Completed(message=message, data=report)
