"""Solve: the readings of every row that some whole-table solution uses, and the cells they agree on.

1. Each row's digit run is read as k numbers through the grammar's lattice, pruned by the
   row rules and the reviewer's overrides (``RowLattice.readings``).
2. Column totals (a totals row, complete or partial, and totals known from prose) couple
   the rows. Propagation keeps, per column, only values that some choice of the other rows
   can complete: exact subset sums over Python-int bitsets where the totals are small
   enough, interval bounds otherwise. Propagation is sound: it never drops a reading that
   a solution uses.
3. A search with propagation finds whole-table solutions; each reading not yet seen in a
   solution is tried once (and reused witnesses mark many at a time). What remains is the
   exact set of readings some solution uses; a cell is written only where they all agree.

The work is bounded: a row whose readings exceed ``DEFAULT_MAX_READINGS`` and a table whose
search exceeds ``DEFAULT_MAX_TABLE_WORK`` end as ``too_ambiguous``; the cells still
written are those every candidate left by sound propagation agrees on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from .model import BLANK, Cell, Number, Reading, RowSolution, SourceRow, TableRegion, TableSolution, _Blank
from .numbers import (
    DEFAULT_MAX_ROW_STEPS,
    DEFAULT_MAX_RUN_CHARS,
    NumberFormat,
    Piece,
    RowLattice,
    cells_to_pieces,
    text_to_piece_options,
)
from .rules import TableSpec

#: Most readings of one row kept after its rules; past it the row is too ambiguous.
DEFAULT_MAX_READINGS = 20_000
#: Most work spent on one table's search, in units of one reading scanned or one 64 KiB bitset shift
#: (about a second of CPU per 2,000,000).
DEFAULT_MAX_TABLE_WORK = 4_000_000
#: Most rows left open at once in the table search (the depth of its recursion).
DEFAULT_MAX_SEARCH_DEPTH = 400
#: Largest column total for exact (bitset) propagation; above it, bounds are used.
DEFAULT_MAX_BITSET_TOTAL = 1 << 24
#: Most readings listed per row in the provenance.
DEFAULT_REPORT_CAP = 1_000


@dataclass
class RowReadings:
    """One row's readings under the grammar, its rules and its overrides."""

    readings: list[Reading]
    complete: bool  # False: a bound was hit, the readings are a sample
    reason: str = ""
    cell_values: list[set[Cell]] = field(default_factory=list)  # grammar-only values per column when incomplete
    readable: bool = True  # False: no way to read the printed numbers as the table's cells at all


def row_to_pieces(row: SourceRow, fmt: NumberFormat) -> list[tuple[NumberFormat, list[Piece]]]:
    """Given a source row and the number format, return each way to read its printed numbers: (format, pieces).

    One per format the rules allow (``number_format.also``) and per way the label and the
    numbers may part (``row.tails``); printed cells give one each.
    """
    out: list[tuple[NumberFormat, list[Piece]]] = []
    for f in fmt.formats:
        options: list[list[Piece] | None]
        if row.cells is not None:
            options = [cells_to_pieces(row.cells, f)]
        else:
            tails = row.tails or (row.digits,)
            glued = row.tails_glued or (row.glued,) * len(tails)
            options = [p for t, g in zip(tails, glued) for p in (text_to_piece_options(t, f, g) or [])]
        for pieces in options:
            if pieces is not None and (f, pieces) not in out:
                out.append((f, pieces))
    return out


_LABEL_MARK = re.compile(r"(?:\s*(?:[*†‡§¶#¹²³⁰⁴⁵⁶⁷⁸⁹]+|\(\w\)|\d{1,2}/))+\s*$")


def row_to_marks(row: SourceRow, fmt: NumberFormat) -> str:
    """Given a source row, return the footnote marks printed on its label and numbers (``*``, ``(1)``, ``†``), space-separated."""
    marks: list[str] = []
    text = row.line.text
    cut = text.rfind(row.digits) if row.digits and row.cells is None else -1
    label = text[:cut] if cut >= 0 else text if row.cells is None else ""
    m = _LABEL_MARK.search(label.rstrip())
    if m:
        marks += m.group().split()
    for _, pieces in row_to_pieces(row, fmt)[:1]:
        marks += [p.mark for p in pieces if p.mark] + [f"({p.text})?" for p in pieces if p.optional]
    return " ".join(dict.fromkeys(marks))


def row_to_readings(
    row: SourceRow,
    spec: TableSpec,
    fmt: NumberFormat,
    cell_bounds: Sequence[tuple[Number, Number] | None] | None = None,
) -> RowReadings:
    """Given a source row, its table's spec and the number format, return the row's readings.

    The readings of every way to read the row are merged (alternatives); a row none of whose
    ways the grammar can read as the table's cells is ``unreadable``.
    """
    k = len(spec.columns)
    size = max(len(t) for t in (row.tails or (row.digits,)))
    if size > DEFAULT_MAX_RUN_CHARS:
        return RowReadings(
            [],
            False,
            f"digit run of {size:,} characters exceeds the bound of {DEFAULT_MAX_RUN_CHARS:,} (DEFAULT_MAX_RUN_CHARS)",
            [set() for _ in range(k)],
        )
    rules: list[tuple[tuple[int, ...], Number]] = list(spec.rule_vectors())
    pins = spec.overrides.get(row.label, {})
    for col, value in pins.items():
        vec = tuple(1 if c == col else 0 for c in spec.columns)
        rules.append((vec, value))
    readings: list[Reading] = []
    seen: set[Reading] = set()
    values: list[set[Cell]] = [set() for _ in range(k)]
    stop, readable = "", False
    for f, pieces in row_to_pieces(row, fmt):
        lattice = RowLattice(pieces, k, f)
        if not lattice.feasible:
            continue
        readable = True
        got, why = lattice.readings(
            rules,
            max_readings=DEFAULT_MAX_READINGS,
            max_steps=DEFAULT_MAX_ROW_STEPS,
            firm=len(pins),
            cell_bounds=cell_bounds,
        )
        for x in got:
            if x not in seen:
                seen.add(x)
                readings.append(x)
        if why:
            stop = stop or why
            for j, vs in enumerate(lattice.cell_values()):
                values[j] |= vs
        elif got:
            for x in got:
                for j, v in enumerate(x):
                    values[j].add(v)
    if not readable:
        return RowReadings(
            [], True, f"its printed numbers cannot be read as {k} cells", [set() for _ in range(k)], readable=False
        )
    if len(readings) > DEFAULT_MAX_READINGS and not stop:
        stop = "max_readings"
    if not stop:
        return RowReadings(readings, True)
    for col, value in pins.items():
        j = spec.columns.index(col)
        values[j] = values[j] & {value}
    bound = "DEFAULT_MAX_READINGS" if stop == "max_readings" else "DEFAULT_MAX_ROW_STEPS"
    limit = DEFAULT_MAX_READINGS if stop == "max_readings" else DEFAULT_MAX_ROW_STEPS
    return RowReadings(
        readings[:DEFAULT_MAX_READINGS], False, f"readings exceed the bound of {limit:,} ({bound})", values
    )


# ----------------------------------------------------------------------------- table constraints


@dataclass(frozen=True)
class ColumnTotal:
    """sum of the body rows' column ``col`` == (or <=) the target: the totals row's cell, or a known number."""

    col: int
    exact: bool
    target_row: int | None  # index of the totals row among the domains, or None
    known: Number | None


NO_TABLE_SOLUTION = "the column totals cannot be met by any reading of the rows"


class Conflict(Exception):
    """No reading of some row survives the constraints."""


class BudgetExceeded(Exception):
    """The table search used its step budget."""


#: Each row's readings still possible.
Domains = list[list[Reading]]


def _zero(v: Cell) -> Number:
    """Given a cell value, return it, or 0 for a blank (a column with blanks is only bounded by its total)."""
    return 0 if isinstance(v, _Blank) else v


def _bitset_of(values: Iterable[int]) -> int:
    out = 0
    for v in values:
        out |= 1 << v
    return out


class Work:
    """A work counter with a limit; ``add`` raises BudgetExceeded past it."""

    def __init__(self, limit: float = float("inf")):
        self.limit, self.used = limit, 0

    def add(self, units: int) -> None:
        self.used += units
        if self.used > self.limit:
            raise BudgetExceeded


def _column_support(doms: Domains, body: list[int], ct: ColumnTotal, work: Work) -> dict[int, set[Number]]:
    """Given domains and one column total, return for each involved row the values that can be completed."""
    c = ct.col
    vals = {r: {_zero(x[c]) for x in doms[r]} for r in body}
    if ct.target_row is not None:
        targets = {_zero(x[c]) for x in doms[ct.target_row]}
    else:
        assert ct.known is not None  # a total without a totals row is a known number
        targets = {ct.known}
    all_vals = [v for r in body for v in vals[r]] + list(targets)
    top = max(targets)
    exact_ints = all(isinstance(v, int) and v >= 0 for v in all_vals) and top <= DEFAULT_MAX_BITSET_TOTAL
    support: dict[int, set[Number]] = {}
    if exact_ints:  # every value a non-negative int (just checked): exact propagation over bitsets
        ivals = cast("dict[int, set[int]]", vals)
        itargets = cast("set[int]", targets)
        itop = cast(int, top)
        work.add(2 * len(all_vals) * (1 + itop // 524_288))
        mask = (1 << (itop + 1)) - 1
        fwd = [1]
        for r in body:
            f, acc = fwd[-1], 0
            for v in ivals[r]:
                if v <= itop:  # a larger value fits under no target (and would cost memory to shift)
                    acc |= f << v
            fwd.append(acc & mask)
        back = _bitset_of(itargets) if ct.exact else mask
        for pos in range(len(body) - 1, -1, -1):
            r = body[pos]
            support[r] = {v for v in ivals[r] if v <= itop and (fwd[pos] << v) & back}
            nb = 0
            for v in ivals[r]:
                if v <= itop:
                    nb |= back >> v
            back = nb
        total = fwd[-1]
        if ct.target_row is not None:
            if ct.exact:
                support[ct.target_row] = {t for t in itargets if (total >> t) & 1}
            else:
                low = (total & -total).bit_length() - 1 if total else None
                support[ct.target_row] = {t for t in itargets if low is not None and low <= t}
        else:
            reachable = (total >> cast(int, ct.known)) & 1 if ct.exact else total != 0
            if not reachable:
                raise Conflict
        return support
    # interval bounds
    lo = {r: min(vals[r]) for r in body}
    hi = {r: max(vals[r]) for r in body}
    sl, sh = sum(lo.values()), sum(hi.values())
    tl, th = min(targets), max(targets)
    for r in body:
        upper = th - (sl - lo[r])
        lower = tl - (sh - hi[r]) if ct.exact else None
        support[r] = {v for v in vals[r] if v <= upper and (lower is None or v >= lower)}
    if ct.target_row is not None:
        support[ct.target_row] = {t for t in targets if t >= sl and (not ct.exact or t <= sh)}
    else:
        assert ct.known is not None  # a total without a totals row is a known number
        if not (sl <= ct.known and (not ct.exact or ct.known <= sh)):
            raise Conflict
    return support


def propagate(doms: Domains, body: list[int], totals: Sequence[ColumnTotal], work: Work | None = None) -> Domains:
    """Given domains, the body rows and the column totals, return the domains with unsupported readings removed."""
    work = work or Work()
    doms = [list(d) for d in doms]
    changed = True
    while changed:
        changed = False
        for ct in totals:
            if any(not doms[r] for r in body) or (ct.target_row is not None and not doms[ct.target_row]):
                raise Conflict
            work.add(sum(len(d) for d in doms))
            support = _column_support(doms, body, ct, work)
            for r, ok in support.items():
                kept = [x for x in doms[r] if _zero(x[ct.col]) in ok]
                if not kept:
                    raise Conflict
                if len(kept) != len(doms[r]):
                    doms[r] = kept
                    changed = True
    return doms


class _Search:
    """Depth-first search with propagation over the rows' domains, within a work budget."""

    def __init__(self, body: list[int], totals: Sequence[ColumnTotal], max_work: int):
        self.body, self.totals, self.work = body, totals, Work(max_work)

    def propagate(self, doms: Domains) -> Domains:
        return propagate(doms, self.body, self.totals, self.work)

    def solution(self, doms: Domains) -> list[Reading] | None:
        """Given propagated domains, return one whole-table solution or None."""
        open_rows = [r for r, d in enumerate(doms) if len(d) > 1]
        if not open_rows:
            return [d[0] for d in doms]
        if len(open_rows) > DEFAULT_MAX_SEARCH_DEPTH:
            raise BudgetExceeded
        r = min(open_rows, key=lambda r: len(doms[r]))
        for x in doms[r]:
            trial = list(doms)
            trial[r] = [x]
            try:
                trial = self.propagate(trial)
            except Conflict:
                continue
            found = self.solution(trial)
            if found is not None:
                return found
        return None


@dataclass
class TableOutcome:
    """The readings some whole-table solution uses, per row (or the candidates left, when the search stopped)."""

    supported: list[list[Reading]]
    satisfiable: bool
    complete: bool  # False: the work budget ran out; ``supported`` holds candidates
    reason: str = ""
    witness: bool = True  # a whole-table solution was found


def domains_to_outcome(
    doms: Domains, body: list[int], totals: Sequence[ColumnTotal], max_work: int = DEFAULT_MAX_TABLE_WORK
) -> TableOutcome:
    """Given each row's readings and the column totals, return the readings some whole-table solution uses."""
    if not totals:
        return TableOutcome([list(d) for d in doms], all(doms), True)
    search = _Search(body, totals, max_work)
    too_much = f"search exceeds the bound of {max_work:,} work units (DEFAULT_MAX_TABLE_WORK)"
    try:
        doms = search.propagate(doms)
        witness = search.solution(doms)
    except Conflict:
        return TableOutcome([[] for _ in doms], False, True, NO_TABLE_SOLUTION)
    except BudgetExceeded:
        return TableOutcome(doms, True, False, too_much, witness=False)
    if witness is None:
        return TableOutcome([[] for _ in doms], False, True, NO_TABLE_SOLUTION)
    seen = [{w} for w in witness]
    try:
        for r in sorted(range(len(doms)), key=lambda r: len(doms[r])):
            for x in list(doms[r]):
                if x in seen[r]:
                    continue
                trial = list(doms)
                trial[r] = [x]
                try:
                    trial = search.propagate(trial)
                    found = search.solution(trial)
                except Conflict:
                    found = None
                if found is None:
                    doms[r] = [y for y in doms[r] if y != x]
                else:
                    for i, y in enumerate(found):
                        seen[i].add(y)
    except BudgetExceeded:
        return TableOutcome(doms, True, False, too_much)
    return TableOutcome([[x for x in d if x in s] for d, s in zip(doms, seen)], True, True)


# ----------------------------------------------------------------------------- the table


def _agree(readings: Sequence[Reading], k: int) -> list[Cell | None]:
    """Given readings, return each column's value where they all agree, else None."""
    if not readings:
        return [None] * k
    first = readings[0]
    return [first[j] if all(x[j] == first[j] for x in readings) else None for j in range(k)]


def _column_totals(
    spec: TableSpec, doms: Domains, body: list[int], target: int | None, exact: bool
) -> list[ColumnTotal]:
    """Given the solve's domains, return the column totals that hold soundly.

    A column whose totals-row cell may be blank has no total; a column with a blank in the body
    is only bounded by its total (the blank hides a count), and a bound (partial totals, blanks)
    is used only where no value of the column is negative.
    """
    totals: list[ColumnTotal] = []
    for j, col in enumerate(spec.columns):
        known = spec.known.get(col)
        if target is None and known is None:
            continue
        if target is not None and any(x[j] is BLANK for x in doms[target]):
            continue
        has_blank = any(x[j] is BLANK for r in body for x in doms[r])
        negative = any(x[j] is not BLANK and x[j] < 0 for d in doms for x in d) or (known is not None and known < 0)
        col_exact = exact and not has_blank
        if not col_exact and negative:
            continue
        totals.append(ColumnTotal(j, col_exact, target, None if target is not None else known))
    return totals


def _column_range(rr: RowReadings, j: int) -> tuple[Number, Number] | None:
    """Given a row's readings (or its grammar-only values, where the bound stopped them), return column j's
    (lowest, highest) value, or None if a value there is no plain non-negative number (a blank, a negative)."""
    values = {x[j] for x in rr.readings} if rr.complete else rr.cell_values[j]
    numbers = [v for v in values if not isinstance(v, _Blank) and v >= 0]
    if not values or len(numbers) < len(values):
        return None
    return min(numbers), max(numbers)


def _read_within_bounds(
    rows: list[SourceRow], per_row: list[RowReadings | None], total_idx: int | None, spec: TableSpec, fmt: NumberFormat
) -> None:
    """Read again, within the bounds the rest of the table implies, the rows whose readings passed a work bound.

    A totals row lies between the sums of the body's lowest and highest values per column; a body row's
    value at most the total's highest less the other rows' lowest (and, with exact totals, at least the
    total's lowest less their highest). These are implied by every whole-table solution, so reading within
    them loses none (the result stays exact); they let a totals row the body pins down be read."""
    if total_idx is None or not spec.complete:
        return
    body = [i for i, rr in enumerate(per_row) if rr is not None and i != total_idx and rows[i].matched]
    read: dict[int, RowReadings] = {i: rr for i, rr in enumerate(per_row) if rr is not None}  # body and total
    if any(read[i].complete and not read[i].readings for i in body) or total_idx not in read:
        return
    k = len(spec.columns)
    for _ in range(2):
        open_rows = [i for i in body + [total_idx] if not read[i].complete and read[i].readable]
        if not open_rows:
            return
        ranges = {i: [_column_range(read[i], j) for j in range(k)] for i in body + [total_idx]}
        changed = False
        for i in open_rows:
            bounds: list[tuple[Number, Number] | None] = []
            for j in range(k):
                parts = [ranges[b][j] for b in body if b != i]
                tot = ranges[total_idx][j]
                known = [p for p in parts if p is not None]
                if len(known) < len(parts) or (i != total_idx and tot is None):
                    bounds.append(None)
                    continue
                lo_sum, hi_sum = sum(p[0] for p in known), sum(p[1] for p in known)
                if i == total_idx:
                    bounds.append((lo_sum, hi_sum))
                else:
                    assert tot is not None
                    bounds.append((max(0, tot[0] - hi_sum), tot[1] - lo_sum))
            if all(b is None for b in bounds):
                continue
            again = row_to_readings(rows[i], spec, fmt, bounds)
            if again.complete:
                per_row[i] = read[i] = again
                changed = True
        if not changed:
            return


def region_to_solution(region: TableRegion, spec: TableSpec, fmt: NumberFormat) -> TableSolution:
    """Given a located table, its spec and the number format, return the solved table.

    Every row of the region comes back, in source order: rows read from the page (their
    cells where all the table's solutions agree), an identical repeat as ``duplicate``, a row
    whose numbers cannot be read as ``unreadable``. Rows whose label matches no value of the
    vocabulary are read on their own (their row rules only) and keep the totals to bounds.
    """
    k = len(spec.columns)
    rows = region.rows
    per_row = [row_to_readings(r, spec, fmt) if r.duplicate_of is None else None for r in rows]
    total_idx = next(
        (
            i
            for i, r in enumerate(rows)
            if spec.totals_row and r.label == spec.totals_row and r.matched and r.duplicate_of is None
        ),
        None,
    )
    _read_within_bounds(rows, per_row, total_idx, spec, fmt)
    problems = [f"table {spec.id}: {note}" for note in region.notes]

    # rows that join the solve: fully enumerated, with readings, their label in the vocabulary (or none is given)
    in_solve = [i for i, rr in enumerate(per_row) if rr is not None and rr.complete and rr.readings and rows[i].matched]
    # a body row left out of the solve (no reading, too many, an unknown label) turns exact totals into upper bounds,
    # and so does a line of the table that could not be read as a row at all
    missing_body = region.strays > 0 or any(
        i != total_idx and i not in in_solve and rows[i].duplicate_of is None for i in range(len(rows))
    )
    doms: Domains = []
    for i in in_solve:
        rr = per_row[i]
        assert rr is not None  # a row of the solve has its readings
        d = rr.readings
        if i == total_idx:
            d = [x for x in d if all(x[spec.columns.index(c)] == v for c, v in spec.known.items())]
        doms.append(d)
    pos = {i: p for p, i in enumerate(in_solve)}
    target = pos.get(total_idx) if total_idx is not None else None
    body = [p for p, i in enumerate(in_solve) if i != total_idx]
    totals = _column_totals(spec, doms, body, target, spec.complete and not missing_body) if all(doms) else []
    if any(not d for d in doms):
        outcome = TableOutcome([[] for _ in doms], False, True, "")
    else:
        outcome = domains_to_outcome(doms, body, totals)

    out: list[RowSolution] = []
    first_of: dict[int, RowSolution] = {}
    cells: list[Cell | None]
    for i, (row, rr) in enumerate(zip(rows, per_row)):
        pinned = bool(spec.overrides.get(row.label))
        if rr is None:  # an identical repeat of an earlier row: the same cells, published once
            orig = first_of.get(row.duplicate_of) if row.duplicate_of is not None else None
            cells = list(orig.cells) if orig else [None] * k
            out.append(RowSolution(row, cells, "duplicate", [], 0, False, f"repeats line {row.duplicate_of}"))
            continue
        if i in pos:
            cand = outcome.supported[pos[i]]
            if not outcome.satisfiable:
                status, cells, reason = "unsatisfiable", [None] * k, outcome.reason
            elif not outcome.complete and (len(cand) > 1 or not outcome.witness):
                # sound propagation keeps every solution's reading: agreement is safe once a solution exists
                cells = _agree(cand, k) if outcome.witness else [None] * k
                status, reason = "too_ambiguous", outcome.reason
            else:
                status = "corrected" if pinned else ("recovered" if len(cand) == 1 else "ambiguous")
                cells, reason = _agree(cand, k), ""
                if pinned:  # the provenance says where the value came from
                    reason = "overrides: " + ", ".join(f"{c}={v}" for c, v in spec.overrides[row.label].items())
            sol = RowSolution(
                row, cells, status, cand[:DEFAULT_REPORT_CAP], len(cand), len(cand) > DEFAULT_REPORT_CAP, reason
            )
        elif not rr.readable:
            sol = RowSolution(row, [None] * k, "unreadable", [], 0, False, rr.reason)
        elif rr.complete and not rr.readings:
            why = "its digits cannot be read as {} numbers{}".format(
                k, " meeting the row rules" if spec.rules or pinned else ""
            )
            sol = RowSolution(row, [None] * k, "unsatisfiable", [], 0, False, why)
        elif rr.complete:  # read on its own: its label is not in the vocabulary
            cand = rr.readings
            status = "recovered" if len(cand) == 1 else "ambiguous"
            sol = RowSolution(
                row,
                _agree(cand, k),
                status,
                cand[:DEFAULT_REPORT_CAP],
                len(cand),
                len(cand) > DEFAULT_REPORT_CAP,
                "its label matches no label value",
            )
        else:
            cells = [next(iter(v)) if len(v) == 1 else None for v in rr.cell_values]
            if not outcome.satisfiable:
                cells = [None] * k
            sol = RowSolution(
                row, cells, "too_ambiguous", rr.readings[:DEFAULT_REPORT_CAP], len(rr.readings), True, rr.reason
            )
        sol.marks = row_to_marks(row, fmt)
        first_of[row.line.number] = sol
        out.append(sol)

    published = [r for r in out if r.status != "duplicate"]
    empty = sum(c is None for r in published for c in r.cells)
    if empty:
        by_status: dict[str, int] = {}
        for r in published:
            if (r.status != "recovered" and r.status != "corrected") or any(c is None for c in r.cells):
                by_status[r.status] = by_status.get(r.status, 0) + 1
        detail = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        reasons = sorted({r.reason for r in published if r.reason and any(c is None for c in r.cells)})
        problems.append(
            f"table {spec.id}: {empty} of {k * len(published)} cells left empty ({detail} rows)"
            + (f": {'; '.join(reasons)}" if reasons else "")
        )
    unmatched = [r.row.line.number for r in published if not r.row.matched]
    if unmatched:
        lines = ", ".join(str(n) for n in unmatched[:10]) + (" …" if len(unmatched) > 10 else "")
        problems.append(
            f"table {spec.id}: {len(unmatched)} row(s) whose label matches no label value, published as printed (line {lines}); "
            "add them to the vocabulary or as aliases"
        )
    if spec.totals_row and total_idx is None and region.found:
        problems.append(f"table {spec.id}: totals row '{spec.totals_row}' not found; its totals were not used")
    if not region.found and not region.notes:
        problems.append(f"table {spec.id}: not found")
    warnings = [f"table {spec.id}: {w}" for w in region.warnings]
    return TableSolution(spec.id, list(spec.columns), spec.label_column, out, region.found, problems, warnings)
