"""Publish: write a run's outputs all together or not at all.

The whole set is built in a staging folder beside ``--out`` and swapped in at the end
(rename the old set aside, rename the new one in, remove the old), so a failed or
interrupted run leaves the previous complete set, never a mix of runs. A folder that
recover did not write is never replaced.

While the set is staged, SIGINT, SIGTERM and SIGHUP (what ``timeout``, CI runners and
orchestrators send) stop the run through an exception, so the staging folder is removed;
during the swap itself they wait until it is over. Two runs on one ``--out`` take turns
for the swap (an advisory lock on the parent folder), so each replaces a whole set.
Every field of every CSV written stays under Python's default ``csv`` field limit.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from .errors import Interrupted, OutputError
from .model import BLANK, STATUSES, Cell, Fact, Reading, TableSolution
from .numbers import Duration

if TYPE_CHECKING:
    from .pipeline import DocumentResult

#: Marks a folder as written by recover, so that a later run may replace it.
MARKER = ".recover-run"
#: Readings shown per row in the provenance before "N+" is written.
DEFAULT_SOLUTIONS_CAP = 1000

#: Longest raw text, or list of alternatives, written in one provenance field; a longer one is cut and says its full length.
DEFAULT_MAX_PROVENANCE_CHARS = 10_000
#: Longest field written in any CSV (Python's csv reads fields up to 131,072 characters by default); a longer one is cut.
DEFAULT_MAX_FIELD_CHARS = 100_000
#: Most seconds a run waits for another run on the same folder to finish its swap.
DEFAULT_MAX_SWAP_WAIT_SECONDS = 60.0
#: Signals that stop a run cleanly while its outputs are staged.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

PROVENANCE_COLUMNS = [
    "line",
    "page",
    "raw",
    "label",
    "score",
    "status",
    "solutions",
    "alternatives",
    "blanks",
    "marks",
    "reason",  # why the row has its status: a reviewer's override (`overrides: opened=1`), a repeat, a contradiction
]


def cut_text(text: str, limit: int) -> str:
    """Given a text and a length, return it whole if it fits, else its start and a marker: ``…[cut: 2,000,000 characters]``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[cut: {len(text):,} characters]"


def number_to_text(value: Cell | None) -> str:
    """Given a cell value, return it written plainly (no separators), or '' for an empty or blank cell."""
    if value is None or value is BLANK:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def rows_to_csv(rows: list[list[str]]) -> bytes:
    """Given rows of strings, return CSV bytes: UTF-8, no BOM, '\\n' line ends, quoted only where needed.

    A field longer than DEFAULT_MAX_FIELD_CHARS is cut (``cut_text``), so every file reads with
    Python's default csv field limit; a row holding a carriage return is quoted whole (the
    minimal quoting of Python 3.11 would leave it bare, and unreadable).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        row = [cut_text(f, DEFAULT_MAX_FIELD_CHARS) if isinstance(f, str) else f for f in row]
        (quoted if any(isinstance(f, str) and "\r" in f for f in row) else writer).writerow(row)
    return buf.getvalue().encode("utf-8")


def solution_to_csv(sol: TableSolution, spreadsheet_safe: bool = False) -> bytes:
    """Given a solved table, return its clean CSV: label column, then the numeric columns and a printed table's text
    columns (as printed) in the page's order (``spreadsheet_safe``: a label that starts like a formula gets a leading ``'``,
    ``escape.text_to_spreadsheet_cell``)."""
    from .escape import text_to_spreadsheet_cell

    safe = text_to_spreadsheet_cell if spreadsheet_safe else str
    order = sol.published_columns()
    rows = [[sol.label_column] + [name for name, _, _ in order]]
    rows += [
        [safe(r.row.label)]
        + [(r.texts[j] if j < len(r.texts) else "") if text else number_to_text(r.cells[j]) for _, j, text in order]
        for r in sol.rows
        if r.status != "duplicate"
    ]
    return rows_to_csv(rows)


def _score_text(score: float | None) -> str:
    if score is None:
        return ""
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"


def _readings_json(readings: list[Reading], limit: int | None = None) -> str:
    """Given readings, return them as a JSON list; past ``limit`` characters, the readings that fit, then ``…[cut: N characters]``."""
    items = [
        "["
        + ",".join("null" if v is BLANK else f'"{v}"' if isinstance(v, Duration) else number_to_text(v) for v in r)
        + "]"
        for r in readings
    ]  # a time (``13:00``) as a JSON string
    whole = len(items) + 1 + sum(map(len, items))  # the brackets and commas too
    if limit is None or whole <= limit:
        return "[" + ",".join(items) + "]"
    kept: list[str] = []
    size = 2
    for item in items:
        if size + len(item) + 1 > limit:
            break
        kept.append(item)
        size += len(item) + 1
    return "[" + ",".join(kept) + f"]…[cut: {whole:,} characters]"


def _blanks_json(sol: TableSolution, cells: list[Cell | None], texts: tuple[str, ...] = ()) -> str:
    """Given a row's cells (and the time columns it left blank), return the columns the page left blank on it, as a
    JSON list."""
    import json

    return json.dumps([c for c, v in zip(sol.columns, cells) if v is BLANK] + list(texts), ensure_ascii=False)


def solution_to_provenance_csv(sol: TableSolution, spreadsheet_safe: bool = False) -> bytes:
    """Given a solved table, return its provenance CSV: one row per source row (``spreadsheet_safe``: as
    ``solution_to_csv``, for the raw line and the label)."""
    from .escape import text_to_spreadsheet_cell

    safe = text_to_spreadsheet_cell if spreadsheet_safe else str
    rows = [PROVENANCE_COLUMNS]
    for r in sol.rows:
        capped = r.readings_capped or r.readings_count > DEFAULT_SOLUTIONS_CAP
        count = f"{min(r.readings_count, DEFAULT_SOLUTIONS_CAP)}+" if capped else str(r.readings_count)
        rows.append(
            [
                str(r.row.line.number) if r.row.line.number else "",  # a missing row has no line
                "" if r.row.line.page is None else str(r.row.line.page),
                safe(cut_text(r.row.raw, DEFAULT_MAX_PROVENANCE_CHARS)),
                safe(r.row.label),
                _score_text(r.row.score),
                r.status,
                count,
                _readings_json(r.readings[:DEFAULT_SOLUTIONS_CAP], DEFAULT_MAX_PROVENANCE_CHARS),
                _blanks_json(sol, r.cells, r.blank_texts),
                r.marks,
                cut_text(r.reason, DEFAULT_MAX_PROVENANCE_CHARS),
            ]
        )
    return rows_to_csv(rows)


def facts_to_csv(facts: list[Fact]) -> bytes:
    """Given the facts found, return facts.csv: id, value, sentence."""
    return rows_to_csv([["id", "value", "sentence"]] + [[f.id, number_to_text(f.value), f.sentence] for f in facts])


def _os_reason(e: OSError) -> str:
    """Given an OSError, return its reason in a few words."""
    if isinstance(e, (NotADirectoryError, FileExistsError)):
        return "a folder on its path is a file"
    return (e.strerror or type(e).__name__).lower()


def _check_replaceable(out: Path, where: str | None = None) -> None:
    """Given the output folder (and the name the user gave it), raise an OutputError unless recover may replace it."""
    where = str(out) if where is None else where
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(where, detail="exists and is not a folder")
        if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
            raise OutputError(
                where, detail="refusing to replace a folder that is not empty and was not written by recover"
            )
    except OSError as e:
        raise OutputError(where, detail=f"cannot be read: {_os_reason(e)}") from None


class _StopSignals:
    """While outputs are staged, SIGINT, SIGTERM and SIGHUP raise Interrupted (so the staging folder is removed);
    inside ``deferred()`` they wait until the block is over. Only the main thread can take signals; elsewhere, a no-op."""

    def __init__(self) -> None:
        self.saved: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
        self.deferring = False
        self.pending: int | None = None

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for name in STOP_SIGNALS:
                sig = getattr(signal, name, None)
                if sig is None:
                    continue
                try:
                    self.saved[sig] = signal.signal(sig, self._handle)
                except (ValueError, OSError):  # pragma: no cover - not settable here
                    pass
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, old in self.saved.items():
            signal.signal(sig, old)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.deferring:
            self.pending = self.pending or signum
            return
        raise Interrupted(signum)

    @contextlib.contextmanager
    def deferred(self, published: bool = False) -> Iterator[None]:
        """Hold the stop signals for the block; one that came meanwhile is raised at its end (``published``: after the swap)."""
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
        if self.pending:
            raise Interrupted(self.pending, published=published)


@contextlib.contextmanager
def folder_lock(folder: Path, max_seconds: float, timed_out: Callable[[], Exception]) -> Iterator[None]:
    """Hold an advisory lock (``flock``) on a folder for the duration of a with block, waiting at most ``max_seconds``
    for whoever holds it, then raising ``timed_out()``. Where locks cannot be had (not POSIX, a folder that cannot be
    opened, a file system without locks) the block runs unlocked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder we cannot open: go on without the lock
        yield
        return
    try:
        waited = time.monotonic() + max_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > waited:
                    raise timed_out() from None
                time.sleep(0.01)
            except OSError:  # pragma: no cover - a file system without locks
                break
        yield
    finally:
        os.close(fd)


def _swap_lock(parent: Path, out: Path) -> contextlib.AbstractContextManager[None]:
    """Hold an advisory lock on the output's parent folder, so that two runs swap in their sets one after the other
    (without locks, the renames still never mix two sets)."""
    return folder_lock(
        parent,
        DEFAULT_MAX_SWAP_WAIT_SECONDS,
        lambda: OutputError(
            str(out),
            detail=f"another run kept it locked for over {DEFAULT_MAX_SWAP_WAIT_SECONDS:g} s "
            "(DEFAULT_MAX_SWAP_WAIT_SECONDS); nothing was replaced",
        ),
    )


def _swap_in(stage: Path, out: Path, parent: Path) -> Path | None:
    """Given a complete staging folder, put it at ``out``; return the old set's new name (to remove), if there was one."""
    if not os.path.lexists(out):
        os.rename(stage, out)
        return None
    old = parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
    os.rename(out, old)
    try:
        os.rename(stage, out)
    except BaseException:
        try:
            os.rename(old, out)  # put the previous set back
        except OSError:  # another run's whole set got there first: the previous one is superseded
            _remove(old)
        raise
    return old


def _remove(path: Path) -> None:
    """Remove a replaced set (a folder, or whatever stood at ``--out``), ignoring what is already gone."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Given the output folder, yield a staging folder beside it; on success swap it in, else remove it.

    Any failure leaves the previous set as it was and nothing beside it: an error, SIGINT,
    SIGTERM or SIGHUP while staging; a folder that cannot be written (one line, OutputError).
    """
    out = Path(out)
    where = str(out)
    # a symlink to the outputs is kept: the set is replaced where it points, and the link still leads to it
    target = Path(os.path.realpath(out) if os.path.islink(out) else os.path.abspath(out))
    if not target.name:
        raise OutputError(where, detail="the root folder cannot be replaced")
    parent = target.parent
    with _StopSignals() as signals:
        _check_replaceable(target, where)
        stage: Path | None = None
        try:
            with signals.deferred():  # a signal between the mkdir and the cleanup below would leave the folder
                try:
                    parent.mkdir(parents=True, exist_ok=True)
                    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
                except OSError as e:
                    raise OutputError(where, detail=f"cannot be created: {_os_reason(e)}") from None
            umask = os.umask(0)
            os.umask(umask)
            stage.chmod(0o777 & ~umask)  # mkdtemp's 0700 would outlive the swap
            yield stage
            (stage / MARKER).write_text("written by recover; this folder is replaced whole by the next run\n")
            with _swap_lock(parent, out):
                _check_replaceable(target, where)
                with signals.deferred(published=True):
                    try:
                        old = _swap_in(stage, target, parent)
                    except OSError as e:
                        raise OutputError(
                            where,
                            detail=f"cannot be replaced ({_os_reason(e)}): another run may be writing it; "
                            "this run's outputs were discarded",
                        ) from None
                    if old is not None:
                        _remove(old)
        except BaseException:
            if stage is not None:
                shutil.rmtree(stage, ignore_errors=True)
            raise


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    """Given a staging folder, a file name and bytes, write the file."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_document(
    folder: Path, solutions: list[TableSolution], facts: list[Fact], spreadsheet_safe: bool = False
) -> None:
    """Given a folder and one document's solved tables and facts, write its CSVs (``spreadsheet_safe``: labels that
    start like a formula get a leading ``'``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for sol in solutions:
        write_bytes(folder, f"{sol.table_id}.csv", solution_to_csv(sol, spreadsheet_safe))
        write_bytes(folder, f"{sol.table_id}.provenance.csv", solution_to_provenance_csv(sol, spreadsheet_safe))
    write_bytes(folder, "facts.csv", facts_to_csv(facts))


def _field_type(sol: TableSolution, j: int) -> str:
    return "number" if any(isinstance(r.cells[j], Decimal) for r in sol.rows) else "integer"


def _field(sol: TableSolution, j: int, name: str) -> dict[str, Any]:
    """Given a solved table and a column, return its Table Schema field (non-negative unless the page printed a negative)."""
    negative = any(isinstance(v, (int, Decimal)) and v < 0 for v in (r.cells[j] for r in sol.rows))
    return {"name": name, "type": _field_type(sol, j), **({} if negative else {"constraints": {"minimum": 0}})}


def location_from_folder(location: str, folder: str | None) -> str:
    """Given a source's path or URL and the folder of the data package that names it, return it as the package
    gives it: a URL as it is, a path relative to the package's own folder (valid wherever the run started), POSIX."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location) or folder is None:
        return location
    return Path(os.path.relpath(os.path.abspath(location), os.path.abspath(folder))).as_posix()


def result_to_datapackage(result: DocumentResult, created: str) -> dict[str, Any]:
    """Given a recovered document and the run's start time, return its Frictionless data package descriptor.

    Types, the label column as primary key, the vocabulary and non-negativity as field
    constraints; row rules and totals, which Table Schema cannot express, as ``recover:`` properties.
    """
    rules, source = result.rules, result.source
    resources: list[dict[str, Any]] = []
    for spec, sol in zip(rules.tables, result.solutions):
        published = [r for r in sol.rows if r.status != "duplicate"]
        unique = len({r.row.label for r in published}) == len(published)
        label: dict[str, Any] = {
            "name": spec.label_column,
            "type": "string",
            "constraints": {"required": True, "unique": True} if unique else {"required": True},
        }
        if spec.canonical and all(r.row.matched for r in published):
            label["constraints"]["enum"] = list(spec.canonical)
        fields = [label] + [
            {"name": c, "type": "string"} if text else _field(sol, j, c) for c, j, text in sol.published_columns()
        ]
        for f in fields[1:]:
            if f["type"] != "string" and spec.kind_of(f["name"]).form == "decimal":  # declared `decimal N`: a number
                f["type"] = "number"
        resources.append(
            {
                "name": spec.id,
                "path": f"{spec.id}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": spec.title or spec.id,
                "schema": {
                    "fields": fields,
                    **({"primaryKey": [spec.label_column]} if unique else {}),
                    "missingValues": [""],
                },
                "recover:row_rules": [r.text for r in spec.rules],
                "recover:totals": {
                    "row": spec.totals_row,
                    "complete": spec.complete,
                    "known": {k: float(v) if isinstance(v, Decimal) else v for k, v in spec.known.items()},
                },
            }
        )
        resources.append(
            {
                "name": f"{spec.id}-provenance",
                "path": f"{spec.id}.provenance.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": "line", "type": "integer"},
                        {"name": "page", "type": "integer"},
                        {"name": "raw", "type": "string"},
                        {"name": "label", "type": "string"},
                        {"name": "score", "type": "number"},
                        {"name": "status", "type": "string", "constraints": {"enum": list(STATUSES)}},
                        {"name": "solutions", "type": "string"},
                        {"name": "alternatives", "type": "string"},
                        {"name": "blanks", "type": "string"},
                        {"name": "marks", "type": "string"},
                        {"name": "reason", "type": "string"},
                    ],
                    "missingValues": [""],
                },
            }
        )
    resources.append(
        {
            "name": "facts",
            "path": "facts.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
                    {"name": "value", "type": "number"},
                    {"name": "sentence", "type": "string"},
                ],
                "primaryKey": ["id"],
            },
        }
    )
    return {
        "name": rules.document,
        "title": f"{rules.document}: tables recovered by recover",
        "created": created,
        "sources": [
            {
                "title": source.origin,
                "path": location_from_folder(source.origin, result.out_hint),
                "recover:sha256": source.sha256,
                "recover:kind": source.kind,
            }
        ],
        "recover:rules": {"path": location_from_folder(str(rules.path), result.out_hint), "sha256": rules.sha256},
        "resources": resources,
    }


def write_datapackage(folder: Path, result: DocumentResult, created: str) -> None:
    """Given a folder and a recovered document, write its datapackage.json."""
    import json

    write_bytes(
        folder,
        "datapackage.json",
        (json.dumps(result_to_datapackage(result, created), indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )
