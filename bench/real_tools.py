"""The tools the real-document benchmark (`bench/real.py`) runs, and the worker process that runs them.

Every tool's output is a list of `ToolTable`s: rows of (label, values, page), the values in column order with None
where the tool published no number (an empty cell, a text cell, a cell holding two numbers). A tool runs in a
`Worker`: one child process that serves one call at a time (so `recover.read` runs in one process over the
documents, as a user's loop would), killed with its children and restarted when a call passes its time limit or the
process dies: a document that crashes or hangs a tool is scored as missed, and the benchmark goes on.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.real_numbers import NumberFormat, printed_to_number, text_to_clean, text_to_tokens, texts_to_format  # noqa: E402
from bench.real_truth import PLACEHOLDER, cells_to_label_indices  # noqa: E402


@dataclass
class ToolRow:
    """One row a tool published: its label, its cells' numbers in column order (None: no number), its page."""

    label: str
    values: list[Decimal | None]
    page: int | None = None


@dataclass
class ToolTable:
    """One table a tool published: an id, and its rows."""

    id: str
    rows: list[ToolRow] = field(default_factory=list)


def value_to_number(value: Any, fmt: NumberFormat | None = None) -> Decimal | None:
    """Given a cell value a tool returned (a number, a Decimal, a string, NA), return the number it holds, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, str):
        return printed_to_number(value, fmt) if value.strip() else None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else Decimal(repr(f))
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        return Decimal(int(value))
    return None


def grid_to_tooltable(
    table_id: str,
    grid: list[list[Any]],
    page: int | None = None,
    formats: dict[Any, NumberFormat] | None = None,
    side_by_side: bool = False,
) -> ToolTable:
    """Given a peer's table as rows of cells (strings as the tool read them, or numbers it converted), its page and
    the number format of the truth on each page (key None: the document's), return it as a ToolTable: its strings
    read under the truth's format of its page (as a user who knows the page reads them), else under the format its
    own string cells tell; each row's label its leftmost run of non-numeric cells, its values the other cells'
    numbers (a cell holding two numbers or words: None). With `side_by_side` (PDF peers), a row holding several
    label-and-numbers parts also gives each part as a row (`cells_to_segments`)."""
    texts = [
        ["" if c is None else text_to_clean(str(c)) if not isinstance(c, float) or c == c else "" for c in row]
        for row in grid
    ]
    fmt = (formats or {}).get(page) or (formats or {}).get(None)
    if fmt is None:
        fmt, _ = texts_to_format(c for row, raw in zip(texts, grid) for c, r in zip(row, raw) if isinstance(r, str))
    table = ToolTable(table_id)
    for raw_row, text_row in zip(grid, texts):
        values = [value_to_number(c, fmt) if isinstance(c, str) or c is None else value_to_number(c) for c in raw_row]
        label = cells_to_label_indices(text_row, values)
        table.rows.append(
            ToolRow(" ".join(text_row[j] for j in label), [v for j, v in enumerate(values) if j not in label], page)
        )
        if side_by_side:
            table.rows += cells_to_segments(text_row, values, page)
    return table


def cells_to_segments(texts: list[str], values: list[Decimal | None], page: int | None) -> list[ToolRow]:
    """Given a row's cells and their numbers, return its side-by-side parts when it holds several (a label and
    numbers, then another label and numbers: tables printed beside each other that a tool read as one), each as a
    row of its own; [] for a row of one part."""
    starts = [
        j
        for j, (text, value) in enumerate(zip(texts, values))
        if j
        and value is None
        and text
        and not PLACEHOLDER.match(text)
        and next((v for t, v in zip(texts[j - 1 :: -1], values[j - 1 :: -1]) if t), None) is not None
        and any(v is not None for v in values[j + 1 :])
    ]
    if not starts:
        return []
    bounds = [0, *starts, len(texts)]
    segments = []
    for lo, hi in pairwise(bounds):
        label = cells_to_label_indices(texts[lo:hi], values[lo:hi])
        cells = [v for k, v in enumerate(values[lo:hi]) if k not in label]
        if any(v is not None for v in cells):
            segments.append(ToolRow(" ".join(texts[lo + j] for j in label), cells, page))
    return segments if len(segments) > 1 else []


# ----------------------------------------------------------------------------------------------------------------
# the tools (each runs in a Worker; returns (tables, extra) where extra may hold "seconds" to override the timing)


def recover_read(path: str) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run `recover.read(path)` zero-config; return its tables (each row's page from the provenance) and its report."""
    import pandas as pd

    import recover

    result = recover.read(path)
    tables = []
    spans: list[tuple[tuple[str, ...], float, float]] = []  # each table's columns and first and last source line
    for table_id, frame in result.tables.items():
        pages: list[int | None] = []
        lines: list[float] = []
        with contextlib.suppress(Exception):
            prov = result.provenance[table_id]
            prov = prov[prov["status"] != "duplicate"] if "status" in prov else prov
            pages = [None if pd.isna(p) else int(p) for p in prov["page"]]
            lines = [float(x) for x in prov["line"].dropna()]
        table = ToolTable(table_id)
        for i, (index, row) in enumerate(frame.iterrows()):
            label = (
                " ".join(str(x) for x in index) if isinstance(index, tuple) else "" if pd.isna(index) else str(index)
            )
            page = pages[i] if i < len(pages) and len(pages) == len(frame) else None
            table.rows.append(ToolRow(label, [value_to_number(v) for v in row.tolist()], page))
        tables.append(table)
        spans.append((tuple(map(str, frame.columns)), min(lines, default=-1.0), max(lines, default=-1.0)))
    return tables + sections_to_tables(tables, spans), {"report": list(result.report)[:20]}


def sections_to_tables(tables: list[ToolTable], spans: list[tuple[tuple[str, ...], float, float]]) -> list[ToolTable]:
    """Given zero-config's tables and each one's columns and first and last source line, return the runs of tables
    with the same columns whose lines follow each other (a page table with subtotals, inferred as one table per
    section: a rules file holds one totals row per table) as one more table each, `+`-joined ids, as
    `recover_read_rules` scores a page table split in blocks by hand."""
    out: list[ToolTable] = []
    run: list[int] = []
    for k in range(len(tables) + 1):
        follows = k < len(tables) and run and spans[k][0] == spans[run[-1]][0] and spans[k][1] == spans[run[-1]][2] + 1
        if follows:
            run.append(k)
            continue
        if len(run) > 1:
            out.append(ToolTable("+".join(tables[j].id for j in run), [r for j in run for r in tables[j].rows]))
        run = [k] if k < len(tables) and spans[k][1] >= 0 else []
    return out


def recover_read_rules(path: str, rules: str) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run `recover.read(path, rules=rules)`; return its tables like `recover_read`, and, where the rules name several
    tables with the same columns (one page table split in blocks, each with its own totals row: the rules file has
    one totals row per table), those tables' rows together as one more table, `+`-joined ids."""
    import recover

    result = recover.read(path, rules=rules)
    tables = []
    order: dict[str, list[float]] = {}  # each table's rows' source lines (inf: none, a missing row)
    by_columns: dict[tuple[str, ...], list[ToolTable]] = {}
    for table_id, frame in result.tables.items():
        table = ToolTable(table_id)
        for index, row in frame.iterrows():
            table.rows.append(ToolRow(str(index), [value_to_number(v) for v in row.tolist()]))
        tables.append(table)
        lines: list[float] = []
        with contextlib.suppress(Exception):
            prov = result.provenance[table_id]
            prov = prov[prov["status"] != "duplicate"]
            lines = [float(x) for x in prov["line"].fillna(float("inf"))]
        order[table_id] = lines if len(lines) == len(table.rows) else [float("inf")] * len(table.rows)
        by_columns.setdefault(tuple(map(str, frame.columns)), []).append(table)
    for group in by_columns.values():
        if len(group) > 1:
            rows = sorted(
                ((line, k, r) for k, t in enumerate(group) for line, r in zip(order[t.id], t.rows)),
                key=lambda x: (x[0], x[1]),
            )  # in the page's order
            tables.append(ToolTable("+".join(t.id for t in group), [r for _, _, r in rows]))
    return tables, {"report": list(result.report)[:20]}


def recover_run(path: str, out: str, validate: bool) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run the whole pipeline zero-config on one document, as `recover run DOC --out OUT [--no-validate]` does, in this
    process (`recover.pipeline.run`: fetch, extract, infer, recover, publish, and the Great Expectations validation when
    `validate`); return no tables (`recover_read` scores the same reading), only the time."""
    from pathlib import Path

    from recover.pipeline import run

    run([path], None, Path(out), validate=validate)
    return [], {}


def pandas_read_html(
    path: str, formats: dict[Any, NumberFormat] | None = None
) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run `pandas.read_html(path)` as is; return every table it finds (its body rows; the header it took aside)."""
    import pandas as pd

    try:
        frames = pd.read_html(path)
    except ValueError as e:  # "No tables found"
        if "No tables found" in str(e):
            return [], {}
        raise
    return [
        grid_to_tooltable(f"pandas#{k}", frame.astype(object).values.tolist()) for k, frame in enumerate(frames)
    ], {}


def camelot_read(
    path: str,
    flavor: str,
    pages: str,
    formats: dict[Any, NumberFormat] | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run Camelot (`stream`, `lattice`, `network`, `hybrid`) on the pages given ("all" or "1,3"), with the other
    `read_pdf` options given (a Camelot test's own: `line_scale`, `table_regions`, ...); return its tables with their
    page."""
    import camelot

    tables = camelot.read_pdf(path, pages=pages, flavor=flavor, **(options or {}))
    return [
        grid_to_tooltable(f"{flavor}#{k}", t.df.values.tolist(), int(t.page), formats, True)
        for k, t in enumerate(tables)
    ], {}


def pdfplumber_read(
    path: str, formats: dict[Any, NumberFormat] | None = None
) -> tuple[list[ToolTable], dict[str, Any]]:
    """Run pdfplumber's `extract_tables` on every page; return its tables, and aside (not timed) the number tokens
    printed on each page, for the split check."""
    import pdfplumber

    out, tokens, seconds = [], {}, 0.0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            t0 = time.perf_counter()
            found = page.extract_tables()
            seconds += time.perf_counter() - t0
            out += [
                grid_to_tooltable(f"pdfplumber#{number}.{k}", grid, number, formats, True)
                for k, grid in enumerate(found)
            ]
            tokens[number] = text_to_tokens(page.extract_text() or "")
    return out, {"seconds": seconds, "tokens": tokens}


def warm_up(*modules: str) -> tuple[list[ToolTable], dict[str, Any]]:
    """Import the modules a tool needs, so that a document's time is the tool's work, not its start-up."""
    import importlib

    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return [], {}


TOOLS: dict[str, Callable[..., tuple[list[ToolTable], dict[str, Any]]]] = {
    "warm-up": warm_up,
    "recover": recover_read,
    "recover-rules": recover_read_rules,
    "recover-run": recover_run,
    "pandas": pandas_read_html,
    "camelot": camelot_read,
    "pdfplumber": pdfplumber_read,
}


# ----------------------------------------------------------------------------------------------------------------
# the greedy regex split a user writes for run-together rows, given the true column count


@cache
def _number_pattern(fmt: NumberFormat) -> Any:
    """Given a number format, return the pattern of one printed number under it (sign, currency, parentheses, `%`)."""
    import re

    dec = re.escape(fmt.decimal)
    groups = "|".join(r"\d{1,3}(?:" + re.escape(t) + r"\d{3})+" for t in fmt.thousands)
    body = (f"(?:{groups}|\\d+)" if groups else r"\d+") + f"(?:{dec}\\d+)?"
    return re.compile(r"[-−+]?\$?\(?" + body + r"\)?%?")


def line_to_greedy(line: str, count: int, fmt: NumberFormat) -> tuple[str, list[Decimal | None]] | None:
    """Given a run-together line, a column count and the number format, return (label, numbers) as the greedy regex
    `^(.*?)` + k × `(number)` + `$` reads it for the largest k ≤ count that reads the line at all (the shortest label,
    then each number the longest valid one from the left that still lets the rest of the line be read), or None."""
    s = line.rstrip()
    pattern = _number_pattern(fmt)
    n = len(s)
    ends: list[list[int]] = [[] for _ in range(n + 1)]
    for i in range(n):
        if s[i].isdigit() or s[i] in "-−+$(":
            ends[i] = [j for j in range(min(n, i + 40), i, -1) if pattern.fullmatch(s, i, j)]  # longest first
    memo: dict[tuple[int, int], int | None] = {}

    def first(pos: int, k: int) -> int | None:
        """The end of the longest number at `pos` (a space before it aside) after which k - 1 more end the line."""
        key = (pos, k)
        if key not in memo:
            memo[key] = None
            p = pos + 1 if pos < n and s[pos] == " " else pos
            for end in ends[p] if p < n else []:
                if (k == 1 and end == n) or (k > 1 and first(end, k - 1) is not None):
                    memo[key] = end
                    break
        return memo[key]

    for k in range(count, 0, -1):
        start = next((i for i in range(n) if first(i, k) is not None), None)
        if start is None:
            continue
        values: list[Decimal | None] = []
        pos = start
        for left in range(k, 0, -1):
            end = first(pos, left)
            assert end is not None
            values.append(printed_to_number(s[pos:end].strip(), fmt))
            pos = end
        return s[:start].strip(), values
    return None


def text_to_greedy(text: str, count: int, fmt: NumberFormat) -> ToolTable:
    """Given a run-together document, the true count of a table's numeric columns and its number format, return every
    line the greedy split reads (with the count, or fewer numbers where the line has fewer)."""
    table = ToolTable("greedy")
    for line in text.splitlines():
        if any(ch.isdigit() for ch in line) and len(line) <= 2000:
            read = line_to_greedy(line, count, fmt)
            if read is not None:
                table.rows.append(ToolRow(read[0], read[1]))
    return table


# ----------------------------------------------------------------------------------------------------------------
# the worker process


def _serve(conn: Any, log: str) -> None:
    """The worker's loop: run each (tool, args) received, send back (status, result, seconds)."""
    os.setsid()  # its own process group, so that a timeout ends it and the children it started
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    while True:
        try:
            name, args = conn.recv()
        except EOFError:
            return
        t0 = time.perf_counter()
        try:
            tables, extra = TOOLS[name](*args)
            conn.send(("ok", (tables, extra), extra.get("seconds", time.perf_counter() - t0)))
        except BaseException as e:
            print(f"--- {name}{args}\n{traceback.format_exc()}", flush=True)
            conn.send(("error", f"{type(e).__name__}: {str(e)[:200]}", time.perf_counter() - t0))


class Worker:
    """A child process serving tool calls one at a time; `call` returns (status, result, seconds), status "ok",
    "error" (the tool raised), "timeout" or "died"; after a timeout or a death the next call gets a new process."""

    def __init__(self, log: Path, warm: tuple[str, ...] = ()) -> None:
        self.log = str(log)
        self.warm = warm
        self.proc: Any = None
        self.conn: Any = None
        self.startup: list[float] = []  # seconds each start took, imports included (not counted to any document)

    def _start(self) -> None:
        t0 = time.perf_counter()
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.log))
        self.proc.start()
        child.close()
        self.conn.send(("warm-up", self.warm))
        if not self.conn.poll(300):
            raise RuntimeError(f"worker did not start: see {self.log}")
        self.conn.recv()
        self.startup.append(round(time.perf_counter() - t0, 2))

    def stop(self) -> None:
        """End the worker process and the processes it started (its process group)."""
        if self.proc is not None and self.proc.pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.join(5)
        self.proc = None

    def call(self, name: str, args: tuple[Any, ...], timeout: float) -> tuple[str, Any, float]:
        """Run tool `name` on `args` in the worker, waiting at most `timeout` seconds."""
        if self.proc is None or not self.proc.is_alive():
            try:
                self._start()
            except (OSError, EOFError, RuntimeError) as e:
                self.stop()
                return "died", f"worker did not start: {type(e).__name__}: {e}", 0.0
        t0 = time.perf_counter()
        self.conn.send((name, args))
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()  # type: ignore[no-any-return]
            status = "timeout"
        except (EOFError, OSError):
            status = "died"
        self.stop()
        return status, f"{status} after {time.perf_counter() - t0:.0f} s", time.perf_counter() - t0
