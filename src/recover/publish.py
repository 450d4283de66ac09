"""Publish: write a run's outputs all together or not at all.

The whole set is built in a staging folder beside ``--out`` and swapped in at the end
(rename the old set aside, rename the new one in, remove the old), so a failed or
interrupted run leaves the previous complete set, never a mix of runs. A folder that
recover did not write is never replaced.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .errors import OutputError
from .model import BLANK, STATUSES, Fact, Number, TableSolution

#: Marks a folder as written by recover, so that a later run may replace it.
MARKER = ".recover-run"
#: Readings shown per row in the provenance before "N+" is written.
DEFAULT_SOLUTIONS_CAP = 1000

PROVENANCE_COLUMNS = ["line", "page", "raw", "label", "score", "status", "solutions", "alternatives", "blanks", "marks"]


def number_to_text(value: Number | None) -> str:
    """Given a cell value, return it written plainly (no separators), or '' for an empty or blank cell."""
    if value is None or value is BLANK:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def rows_to_csv(rows: list[list[str]]) -> bytes:
    """Given rows of strings, return CSV bytes: UTF-8, no BOM, '\\n' line ends, quoted only where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def solution_to_csv(sol: TableSolution) -> bytes:
    """Given a solved table, return its clean CSV: label column, then the numeric columns."""
    rows = [[sol.label_column] + sol.columns]
    rows += [[r.row.label] + [number_to_text(c) for c in r.cells] for r in sol.rows if r.status != "duplicate"]
    return rows_to_csv(rows)


def _score_text(score: float | None) -> str:
    if score is None:
        return ""
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"


def _readings_json(readings: list) -> str:
    return "[" + ",".join("[" + ",".join("null" if v is BLANK else number_to_text(v) for v in r) + "]" for r in readings) + "]"


def _blanks_json(sol: TableSolution, cells: list) -> str:
    """Given a row's cells, return the columns the page left blank on it, as a JSON list."""
    import json

    return json.dumps([c for c, v in zip(sol.columns, cells) if v is BLANK], ensure_ascii=False)


def solution_to_provenance_csv(sol: TableSolution) -> bytes:
    """Given a solved table, return its provenance CSV: one row per source row."""
    rows = [PROVENANCE_COLUMNS]
    for r in sol.rows:
        capped = r.readings_capped or r.readings_count > DEFAULT_SOLUTIONS_CAP
        count = f"{min(r.readings_count, DEFAULT_SOLUTIONS_CAP)}+" if capped else str(r.readings_count)
        rows.append([
            str(r.row.line.number),
            "" if r.row.line.page is None else str(r.row.line.page),
            r.row.raw,
            r.row.label,
            _score_text(r.row.score),
            r.status,
            count,
            _readings_json(r.readings[:DEFAULT_SOLUTIONS_CAP]),
            _blanks_json(sol, r.cells),
            r.marks,
        ])
    return rows_to_csv(rows)


def facts_to_csv(facts: list[Fact]) -> bytes:
    """Given the facts found, return facts.csv: id, value, sentence."""
    return rows_to_csv([["id", "value", "sentence"]] + [[f.id, number_to_text(f.value), f.sentence] for f in facts])


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(str(out), detail="exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(str(out), detail="refusing to replace a folder that is not empty and was not written by recover")


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Given the output folder, yield a staging folder beside it; on success swap it in, else remove it."""
    out = Path(out)
    _check_replaceable(out)
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)  # mkdtemp's 0700 would outlive the swap
    try:
        yield stage
        (stage / MARKER).write_text("written by recover; this folder is replaced whole by the next run\n")
        _check_replaceable(out)
        if out.exists():
            old = parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(out, old)
            os.rename(stage, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    """Given a staging folder, a file name and bytes, write the file."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_document(folder: Path, solutions: list[TableSolution], facts: list[Fact]) -> None:
    """Given a folder and one document's solved tables and facts, write its CSVs."""
    folder.mkdir(parents=True, exist_ok=True)
    for sol in solutions:
        write_bytes(folder, f"{sol.table_id}.csv", solution_to_csv(sol))
        write_bytes(folder, f"{sol.table_id}.provenance.csv", solution_to_provenance_csv(sol))
    write_bytes(folder, "facts.csv", facts_to_csv(facts))


def _field_type(sol: TableSolution, j: int) -> str:
    return "number" if any(isinstance(r.cells[j], Decimal) for r in sol.rows) else "integer"


def _field(sol: TableSolution, j: int, name: str) -> dict:
    """Given a solved table and a column, return its Table Schema field (non-negative unless the page printed a negative)."""
    negative = any(isinstance(r.cells[j], (int, Decimal)) and r.cells[j] < 0 for r in sol.rows)
    return {"name": name, "type": _field_type(sol, j), **({} if negative else {"constraints": {"minimum": 0}})}


def result_to_datapackage(result, created: str) -> dict:
    """Given a recovered document and the run's start time, return its Frictionless data package descriptor.

    Types, the label column as primary key, the vocabulary and non-negativity as field
    constraints; row rules and totals, which Table Schema cannot express, as ``recover:`` properties.
    """
    rules, source = result.rules, result.source
    resources = []
    for spec, sol in zip(rules.tables, result.solutions):
        published = [r for r in sol.rows if r.status != "duplicate"]
        unique = len({r.row.label for r in published}) == len(published)
        label: dict = {"name": spec.label_column, "type": "string", "constraints": {"required": True, "unique": True} if unique else {"required": True}}
        if spec.canonical and all(r.row.matched for r in published):
            label["constraints"]["enum"] = list(spec.canonical)
        fields = [label] + [_field(sol, j, c) for j, c in enumerate(spec.columns)]
        resources.append({
            "name": spec.id, "path": f"{spec.id}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": spec.title or spec.id,
            "schema": {"fields": fields, **({"primaryKey": [spec.label_column]} if unique else {}), "missingValues": [""]},
            "recover:row_rules": [r.text for r in spec.rules],
            "recover:totals": {"row": spec.totals_row, "complete": spec.complete,
                               "known": {k: float(v) if isinstance(v, Decimal) else v for k, v in spec.known.items()}},
        })
        resources.append({
            "name": f"{spec.id}-provenance", "path": f"{spec.id}.provenance.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": [
                {"name": "line", "type": "integer"}, {"name": "page", "type": "integer"}, {"name": "raw", "type": "string"},
                {"name": "label", "type": "string"}, {"name": "score", "type": "number"},
                {"name": "status", "type": "string", "constraints": {"enum": list(STATUSES)}},
                {"name": "solutions", "type": "string"}, {"name": "alternatives", "type": "string"},
                {"name": "blanks", "type": "string"}, {"name": "marks", "type": "string"},
            ], "missingValues": [""]},
        })
    resources.append({
        "name": "facts", "path": "facts.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
                              {"name": "value", "type": "number"}, {"name": "sentence", "type": "string"}],
                   "primaryKey": ["id"]},
    })
    return {
        "name": rules.document,
        "title": f"{rules.document}: tables recovered by recover",
        "created": created,
        "sources": [{"title": source.origin, "path": source.origin, "recover:sha256": source.sha256, "recover:kind": source.kind}],
        "recover:rules": {"path": str(rules.path), "sha256": rules.sha256},
        "resources": resources,
    }


def write_datapackage(folder: Path, result, created: str) -> None:
    """Given a folder and a recovered document, write its datapackage.json."""
    import json

    write_bytes(folder, "datapackage.json", (json.dumps(result_to_datapackage(result, created), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
