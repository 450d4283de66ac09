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

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from .model import (
    BLANK,
    NO_LINE,
    Cell,
    Number,
    Reading,
    RowSolution,
    SourceRow,
    TableRegion,
    TableSolution,
    _Blank,
)
from .numbers import (
    DEFAULT_MAX_ROW_STEPS,
    DEFAULT_MAX_RUN_CHARS,
    ColumnKind,
    Duration,
    NumberFormat,
    Piece,
    RowLattice,
    cell_to_piece,
    cells_to_pieces,
    text_to_piece_options,
)
from .rules import TableSpec

#: Most readings of one row kept after its rules; past it the row is too ambiguous.
DEFAULT_MAX_READINGS = 20_000
#: Most work spent on one table's search, in units of one row value scanned, one reading indexed or one 64 KiB
#: bitset shift (about a second of CPU per 800,000: bench/scaling.py's totals-30x8-hard meets the bound in 5 s).
DEFAULT_MAX_TABLE_WORK = 4_000_000
#: Share of DEFAULT_MAX_TABLE_WORK one trial (a solution with one cell's value, or one reading, fixed) may use.
DEFAULT_MAX_TRIAL_SHARE = 0.02
#: Most cells left open at once in the table search (the depth of its stack of branches).
DEFAULT_MAX_SEARCH_DEPTH = 5_000
#: Largest column total for exact (bitset) propagation; above it, bounds are used.
DEFAULT_MAX_BITSET_TOTAL = 1 << 24
#: Largest column total for exact propagation while the totals row's cell there is still open (several targets): above
#: it, bounds until the search fixes the total (it branches there first), then subset sums up to DEFAULT_MAX_BITSET_TOTAL.
DEFAULT_MAX_OPEN_BITSET_TOTAL = 1 << 16
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


def row_to_pieces(row: SourceRow, fmt: NumberFormat, times: bool = False) -> list[tuple[NumberFormat, list[Piece]]]:
    """Given a source row and the number format, return each way to read its printed numbers: (format, pieces).

    One per format the rules allow (``number_format.also``) and per way the label and the
    numbers may part (``row.tails``); printed cells give one each. With ``times`` (a table with
    a time column) a time is read too; a rank printed before the label (``row.rank``) is the
    first cell, a printed cell of its own (blank where the row prints none).
    """
    out: list[tuple[NumberFormat, list[Piece]]] = []
    for f in fmt.formats:
        options: list[list[Piece] | None]
        if row.cells is not None:
            options = [cells_to_pieces(row.cells, f)]
        else:
            tails = row.tails or (row.digits,)
            glued = row.tails_glued or (row.glued,) * len(tails)
            options = [p for t, g in zip(tails, glued) for p in (text_to_piece_options(t, f, g, times) or [])]
        if row.rank is not None:
            rank = cell_to_piece(row.rank, f) if row.rank else Piece("", "blank")
            options = [None if p is None or rank is None else [rank, *p] for p in options]
        for pieces in options:
            if pieces is not None and (f, pieces) not in out:
                out.append((f, pieces))
    return out


def row_to_kinds(row: SourceRow, spec: TableSpec) -> list[ColumnKind] | None:
    """Given a source row and its table's spec (its columns as a run-together row prints them), return what each of
    the row's cells may read as, or None where the rules say nothing of any column: a totals row's columns outside
    ``totals.printed`` are blank."""
    kinds = [spec.kind_of(c) for c in spec.columns]
    if spec.totals_printed is not None and spec.totals_row and row.label == spec.totals_row and row.matched:
        printed = set(spec.totals_printed)
        kinds = [k if c in printed else dataclasses.replace(k, blank_only=True) for c, k in zip(spec.columns, kinds)]
    return kinds if spec.kinds or spec.totals_printed is not None else None


def reading_meets_ratios(reading: Reading, spec: TableSpec) -> bool:
    """Given a reading of a row (over ``spec.columns``) and its table's spec, return whether it meets every ratio of
    the rules (``s_pct = 100 * g / s``)."""
    values = {c: (None if isinstance(v, _Blank) else v) for c, v in zip(spec.columns, reading)}
    return all(r.holds(values) for r in spec.ratios)


def spec_to_row_spec(spec: TableSpec) -> TableSpec:
    """Given a table's spec, return it as the solver reads a run-together row: its columns every cell the row prints, in
    order (the rank, time columns among the others: ``row_columns``), the same spec where they are its columns."""
    return dataclasses.replace(spec, columns=list(spec.row_columns)) if spec.row_columns else spec


def row_solution_to_published(sol: RowSolution, spec: TableSpec) -> None:
    """Given a row solved over its printed columns (``row_columns``) and its table's spec, set it as published: its
    numeric cells in ``columns``, each time column's cell as printed in ``texts`` (empty where not determined), and its
    readings with the times after the numbers (the CSV's order)."""
    if not spec.row_columns:
        return
    at = {c: j for j, c in enumerate(spec.row_columns)}
    numeric = [at[c] for c in spec.columns]
    times = [at[c] for c in spec.time_columns]
    order = numeric + times
    cells = sol.cells
    sol.texts = tuple(str(cells[j]) if isinstance(cells[j], Duration) else "" for j in times)
    sol.blank_texts = tuple(spec.row_columns[j] for j in times if cells[j] is BLANK)
    sol.time_cells = tuple(cells[j] for j in times)
    sol.cells = [cells[j] for j in numeric]
    sol.readings = [tuple(x[j] for j in order) for x in sol.readings]


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
    kinds = row_to_kinds(row, spec)
    times = kinds is not None and any(kd.form == "time" for kd in kinds)
    for f, pieces in row_to_pieces(row, fmt, times):
        lattice = RowLattice(pieces, k, f, kinds)
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
        if spec.ratios:
            got = [x for x in got if reading_meets_ratios(x, spec)]
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


class OneTrialExceeded(Exception):
    """One trial of the table search used its share of the budget (the rest of the budget goes on)."""


class Work:
    """A work counter with a limit; ``add`` raises BudgetExceeded past it, and OneTrialExceeded past ``trial_limit``."""

    def __init__(self, limit: float = float("inf")):
        self.limit, self.used = limit, 0
        self.trial_limit = float("inf")

    def add(self, units: int) -> None:
        self.used += units
        if self.used > self.limit:
            raise BudgetExceeded
        if self.used > self.trial_limit:
            raise OneTrialExceeded


#: A row's readings still possible, as a bitmask over its readings (bit i: reading i).
Mask = int


def indices_to_mask(indices: Iterable[int], size: int) -> Mask:
    """Given reading indices below ``size``, return their bitmask (built in one pass, not one big-int OR per index)."""
    bits = bytearray((size + 7) // 8)
    for i in indices:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


def mask_to_indices(mask: Mask) -> list[int]:
    """Given a bitmask, return the indices of its set bits, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def readings_to_value_masks(readings: Sequence[Reading], col: int, zero_blank: bool = True) -> dict[Cell, Mask]:
    """Given a row's readings and a column, return each value of the column and the mask of the readings giving it.

    With ``zero_blank`` a blank counts as 0 (what a column total sees of it); without, it is its own value (a cell).
    """
    at: dict[Cell, list[int]] = {}
    for i, x in enumerate(readings):
        at.setdefault(_zero(x[col]) if zero_blank else x[col], []).append(i)
    return {v: indices_to_mask(idx, len(readings)) for v, idx in at.items()}


#: A search node: each row's domain, and per column with a total (in ``_Search.cols`` order) each row's values there.
Node = tuple[list[Mask], list[list[tuple[Number, ...]]]]


class _Search:
    """Depth-first search with propagation over the rows' readings, within a work budget.

    A row's domain is a bitmask over its readings, and each (row, column) keeps the mask of the
    readings giving each value, so propagation touches a row's distinct values, never its readings
    one by one: what a column total allows of a row is an OR of value masks, one AND applies it.
    A node carries each row's values per column, and propagation revisits only the columns where
    some row's values changed.

    The search branches on cells, not rows: the leftmost column with a total whose value is still
    open in some row, and there the row with the fewest values. A run's first cells fix where the
    later ones start, so deciding the table column by column meets each column's total while its
    choices are made (branching on whole rows found its conflicts only many rows later: a 50-row
    table of ten fused columns took more than 3,000 nodes for no solution, against 745 for one).
    A leaf fixes every row's value in every column with a total, so every choice of readings
    within the leaf's domains is a solution: all of them are supported at once.
    """

    def __init__(self, doms: Domains, body: list[int], totals: Sequence[ColumnTotal], max_work: float):
        self.body, self.work = body, Work(max_work)
        self.rows = sorted({*body, *(ct.target_row for ct in totals if ct.target_row is not None)})
        self.totals = sorted(totals, key=lambda ct: ct.col)  # one per column (see _column_totals)
        self.cols = [ct.col for ct in self.totals]
        self.values: list[dict[int, dict[Number, Mask]]] = [
            {r: cast("dict[Number, Mask]", readings_to_value_masks(doms[r], c)) for r in self.rows} for c in self.cols
        ]
        self._supports: dict[tuple[int, tuple[tuple[Number, ...], ...]], dict[int, set[Number]]] = {}
        self.prefer_seen = False
        self.work.add(sum(len(doms[r]) for r in self.rows) * max(1, len(self.cols)))

    def _values_in(self, ci: int, r: int, dom: Mask) -> tuple[Number, ...]:
        """Given a column (its index in ``cols``), a row and the row's domain, return the values the domain gives there."""
        masks = self.values[ci][r]
        self.work.add(len(masks))
        return tuple(v for v, m in masks.items() if m & dom)

    def root(self, dom: list[Mask]) -> Node:
        """Given the rows' domains, return the node that holds them (not yet propagated)."""
        vals: list[list[tuple[Number, ...]]] = [[()] * len(dom) for _ in self.cols]
        for ci in range(len(self.cols)):
            for r in self.rows:
                vals[ci][r] = self._values_in(ci, r, dom[r])
        return dom, vals

    def _column_support(self, ci: int, vals: list[tuple[Number, ...]]) -> dict[int, set[Number]]:
        """Given a column total and each row's values in its column, return for each involved row the values that can be completed."""
        ct = self.totals[ci]
        body = self.body
        key = (ci, tuple(vals[r] for r in body) + ((vals[ct.target_row],) if ct.target_row is not None else ()))
        cached = self._supports.get(key)
        if cached is not None:
            return cached
        targets: set[Number] = set(vals[ct.target_row]) if ct.target_row is not None else {cast(Number, ct.known)}
        support = self._support_of({r: vals[r] for r in body}, targets, ct)
        if len(self._supports) > 4096:
            self._supports.clear()
        self._supports[key] = support
        return support

    def _support_of(
        self, vals: dict[int, tuple[Number, ...]], targets: set[Number], ct: ColumnTotal
    ) -> dict[int, set[Number]]:
        body, work = self.body, self.work
        all_vals = [v for r in body for v in vals[r]] + list(targets)
        top = max(targets)
        # an upper bound (partial totals) is met exactly by the interval bounds below: a value is possible where the
        # other rows' lowest values leave room for it; only an exact total needs the subset sums
        exact_ints = (
            ct.exact
            and all(isinstance(v, int) and v >= 0 for v in all_vals)
            and top <= (DEFAULT_MAX_BITSET_TOTAL if len(targets) == 1 else DEFAULT_MAX_OPEN_BITSET_TOTAL)
        )
        support: dict[int, set[Number]] = {}
        if exact_ints:  # every value a non-negative int (just checked): exact propagation over bitsets
            ivals = cast("dict[int, tuple[int, ...]]", vals)
            # a row with one value left only moves the targets: the subset sums run over the open rows alone
            fixed = sum(ivals[r][0] for r in body if len(ivals[r]) == 1)
            open_rows = [r for r in body if len(ivals[r]) > 1]
            itargets = {t - fixed for t in cast("set[int]", targets) if t >= fixed}
            if not itargets:
                raise Conflict
            itop = max(itargets)
            work.add(len(body) + 2 * sum(len(ivals[r]) for r in open_rows) * (1 + itop // 524_288))
            mask = (1 << (itop + 1)) - 1
            fwd = [1]
            for r in open_rows:
                f, acc = fwd[-1], 0
                for v in ivals[r]:
                    if v <= itop:  # a larger value fits under no target (and would cost memory to shift)
                        acc |= f << v
                fwd.append(acc & mask)
            back = _bitset_of(itargets)
            for pos in range(len(open_rows) - 1, -1, -1):
                r = open_rows[pos]
                support[r] = {v for v in ivals[r] if v <= itop and (fwd[pos] << v) & back}
                nb = 0
                for v in ivals[r]:
                    if v <= itop:
                        nb |= back >> v
                back = nb
            total = fwd[-1]
            if not back & 1:  # back now holds the starts from which the open rows reach a target: 0 must be one
                raise Conflict
            for r in body:
                if len(ivals[r]) == 1:
                    support[r] = {ivals[r][0]}
            if ct.target_row is not None:
                support[ct.target_row] = {
                    t for t in cast("set[int]", targets) if t >= fixed and (total >> (t - fixed)) & 1
                }
            return support
        # interval bounds
        work.add(len(all_vals))
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

    def propagate(self, node: Node, changed: Iterable[int] | None = None) -> Node:
        """Given a node and the rows whose domains were narrowed since its values were taken (None: its values are
        current, every column is checked), return the node with the readings no choice of the other rows can complete
        removed. Raise Conflict where a row has none left."""
        dom, vals = list(node[0]), [list(v) for v in node[1]]
        ncols = len(self.cols)
        queue = set(range(ncols)) if changed is None else set()

        def narrow(r: int) -> None:
            if not dom[r]:
                raise Conflict
            for cj in range(ncols):
                now = self._values_in(cj, r, dom[r])
                if now != vals[cj][r]:
                    vals[cj][r] = now
                    queue.add(cj)

        for r in changed or ():
            narrow(r)
        while queue:
            ci = queue.pop()
            for r, ok in self._column_support(ci, vals[ci]).items():
                if len(ok) == len(vals[ci][r]):
                    continue  # every value of the row is supported: nothing to remove
                masks = self.values[ci][r]
                keep = 0
                for v in ok:
                    keep |= masks[v]
                dom[r] &= keep
                narrow(r)
        return dom, vals

    def _branch(self, node: Node, seen: list[Mask] | None) -> tuple[int, list[Mask]] | None:
        """Given a propagated node, return the row to branch on and the masks of its branches, or None at a leaf.

        The cell: the leftmost column with a total whose value is open in some row; the row there
        with the fewest values. Values no solution found so far has given the cell come first.
        """
        for ci, column in enumerate(node[1]):
            best: tuple[int, int] | None = None
            target = self.totals[ci].target_row
            if target is not None and len(column[target]) > 1:
                # the total first, smallest value first: with it fixed the column's propagation is exact subset sums
                # over a small bitset, where its largest value would leave only interval bounds
                ordered = sorted(column[target])
                masks = [self.values[ci][target][v] for v in ordered]
                if seen is not None:
                    masks.sort(key=lambda m: bool(m & seen[target]) != self.prefer_seen)
                return target, masks
            for r in self.rows:
                n = len(column[r])
                if n > 1 and (best is None or n < best[0]):
                    best = (n, r)
                    if n == 2:
                        break
            if best is not None:
                r = best[1]
                masks = [self.values[ci][r][v] for v in column[r]]
                if seen is not None:  # prefer_seen: stay near the solutions found; else reach for new readings
                    masks.sort(key=lambda m: bool(m & seen[r]) != self.prefer_seen)
                return r, masks
        return None

    def solution(self, node: Node, seen: list[Mask] | None = None) -> list[Mask] | None:
        """Given a propagated node, return a leaf's domains (every choice within them is a solution), or None if there is none.

        ``seen``: the readings already known to be used by a solution; cell values they do not
        give are tried first, so that each leaf found marks as many new readings as it can.
        """
        frames: list[tuple[Node, int, list[Mask]]] = []  # (node, row, branches left)
        current: Node | None = node
        while current is not None:
            b = self._branch(current, seen)
            if b is None:
                return current[0]
            if len(frames) >= DEFAULT_MAX_SEARCH_DEPTH:
                raise BudgetExceeded
            frames.append((current, b[0], b[1][::-1]))
            current = None
            while frames and current is None:
                parent, r, left = frames[-1]
                if not left:
                    frames.pop()
                    continue
                dom = list(parent[0])
                dom[r] &= left.pop()
                try:
                    current = self.propagate((dom, parent[1]), (r,))
                except Conflict:
                    current = None
        return None

    def narrowed(self, node: Node, r: int, branch: Mask) -> Node:
        """Given a node, a row and a mask, return the node with the row narrowed to it, propagated (or raise Conflict)."""
        dom = list(node[0])
        dom[r] &= branch
        return self.propagate((dom, node[1]), (r,))


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
    """Given each row's readings and the column totals, return the readings some whole-table solution uses.

    After one solution, the cells come first: for each cell whose value only one solution has
    given so far, each other value is tried (a solution with it, or none, which removes it). Then,
    for the provenance, each reading no solution has used yet. If the work bound stops the second
    part, the cells are already exact (the candidates left agree exactly where every solution does).
    """
    if not totals:
        return TableOutcome([list(d) for d in doms], all(doms), True)
    too_much = f"search exceeds the bound of {max_work:,} work units (DEFAULT_MAX_TABLE_WORK)"

    def readings_of(dom: list[Mask]) -> list[list[Reading]]:
        return [[d[i] for i in mask_to_indices(m)] for d, m in zip(doms, dom)]

    dom = [(1 << len(d)) - 1 for d in doms]
    try:
        search = _Search(doms, body, totals, max_work)
        node = search.propagate(search.root(dom))
        dom = node[0]
        witness = search.solution(node)
    except Conflict:
        return TableOutcome([[] for _ in doms], False, True, NO_TABLE_SOLUTION)
    except BudgetExceeded:
        return TableOutcome(readings_of(dom), True, False, too_much, witness=False)
    if witness is None:
        return TableOutcome([[] for _ in doms], False, True, NO_TABLE_SOLUTION)
    seen = list(witness)

    undecided = 0

    def settle(r: int, branch: Mask) -> None:
        """Mark the readings of a solution within ``branch`` of row r, or remove the branch from the row if none has one.

        One trial may use ``DEFAULT_MAX_TRIAL_SHARE`` of the budget: past it, the branch stays a
        candidate (undecided) and the next trial goes on, so that one hard cell does not use up the
        budget of all the others."""
        nonlocal seen, node, undecided
        search.work.trial_limit = search.work.used + max_work * DEFAULT_MAX_TRIAL_SHARE
        try:
            found = search.solution(search.narrowed(node, r, branch), seen)
        except Conflict:
            found = None
        except OneTrialExceeded:
            undecided += 1
            return
        finally:
            search.work.trial_limit = float("inf")
        if found is None:
            node = search.narrowed(node, r, ~branch)  # never a conflict: a solution (the witness) is left
        else:
            seen = [s | f for s, f in zip(seen, found)]

    k = len(doms[search.rows[0]][0]) if search.rows else 0  # every row of a solve has readings
    try:
        rows = sorted(search.rows, key=lambda r: node[0][r].bit_count())
        search.prefer_seen = True  # a solution with one cell changed is looked for near the solutions found
        for r in rows:  # the cells: is another value possible where one solution has given one?
            for j in range(k):
                cell = readings_to_value_masks(doms[r], j, zero_blank=False)
                search.work.add(len(doms[r]))
                for m in cell.values():
                    if sum(1 for n in cell.values() if n & seen[r]) > 1:
                        break  # solutions give the cell two values: it is open
                    if not m & seen[r] and m & node[0][r]:
                        settle(r, m)
        search.prefer_seen = False  # each solution found should mark as many new readings as it can
        for r in rows:  # the provenance: every reading some solution uses
            for i in mask_to_indices(node[0][r] & ~seen[r]):
                if not (seen[r] >> i) & 1:  # not marked since, by another solution
                    settle(r, 1 << i)
    except BudgetExceeded:
        return TableOutcome(readings_of(node[0]), True, False, too_much)
    if undecided:
        return TableOutcome(readings_of(node[0]), True, False, too_much)
    dom = node[0]
    return TableOutcome(readings_of([d & s for d, s in zip(dom, seen)]), True, True)


# ----------------------------------------------------------------------------- the table

#: How many missing labels a problem line names before "…".
DEFAULT_MISSING_LISTED = 10


def region_to_absent_labels(region: TableRegion, spec: TableSpec) -> list[str]:
    """Given a located table and its spec, return the labels of its vocabulary that no line matched, in vocabulary
    order: rows of the table the page shows but no line was read as (``label.printed: all``, the default), or none
    where the vocabulary is a list the page prints some of (``printed: some``), or where the table was not found."""
    if not spec.every_value_printed or not spec.canonical or not region.found:
        return []
    found = {r.label for r in region.rows if r.matched}
    return [c for c in spec.canonical if c not in found]


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
    is only bounded by its total (the blank hides a count, unless the rules say it adds nothing: ``totals.blanks``),
    and a bound (partial totals, blanks)
    is used only where no value of the column is negative.
    """
    totals: list[ColumnTotal] = []
    for j, col in enumerate(spec.columns):
        known = spec.known.get(col)
        if target is None and known is None:
            continue
        if not column_is_summed(spec, col):
            continue
        if target is not None and any(x[j] is BLANK for x in doms[target]):
            continue
        has_blank = any(x[j] is BLANK for r in body for x in doms[r])
        negative = any(x[j] is not BLANK and x[j] < 0 for d in doms for x in d) or (known is not None and known < 0)
        col_exact = exact and (not has_blank or spec.blanks_add_nothing)
        if not col_exact and negative:
            continue
        totals.append(ColumnTotal(j, col_exact, target, None if target is not None else known))
    return totals


def column_is_summed(spec: TableSpec, col: str) -> bool:
    """Given a table's spec and one of its columns, return whether the body rows add up to the totals there: not a
    rank, nor a time, nor a column left out of ``totals.columns``."""
    if col == spec.rank_column or spec.kind_of(col).form == "time":
        return False
    return spec.totals_columns is None or col in spec.totals_columns


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
                if not column_is_summed(spec, spec.columns[j]):
                    bounds.append(None)
                    continue
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


@dataclass
class _Problem:
    """A located table as the table search takes it: which rows join the solve, their domains and the column totals."""

    per_row: list[RowReadings | None]  # each row's readings (None: an identical repeat)
    total_idx: int | None  # the totals row, by its index among the region's rows
    in_solve: list[int]  # the rows that join the solve, by index among the region's rows
    doms: Domains  # their readings, in that order
    body: list[int]  # the body rows, by index among ``doms``
    totals: list[ColumnTotal]


def _region_to_problem(
    region: TableRegion, spec: TableSpec, fmt: NumberFormat, per_row: list[RowReadings | None]
) -> _Problem:
    """Given a located table, its spec, the number format and each row's readings, return the table search's input."""
    rows = region.rows
    total_idx = next(
        (
            i
            for i, r in enumerate(rows)
            if spec.totals_row and r.label == spec.totals_row and r.matched and r.duplicate_of is None
        ),
        None,
    )
    _read_within_bounds(rows, per_row, total_idx, spec, fmt)
    # rows that join the solve: fully enumerated, with readings, their label in the vocabulary (or none is given)
    in_solve = [i for i, rr in enumerate(per_row) if rr is not None and rr.complete and rr.readings and rows[i].matched]
    joined = set(in_solve)
    # a body row left out of the solve (no reading, too many, an unknown label) turns exact totals into upper bounds,
    # and so does a line of the table that could not be read as a row at all
    missing_body = (
        region.strays > 0
        or any(i != total_idx and i not in joined and rows[i].duplicate_of is None for i in range(len(rows)))
        or any(c != spec.totals_row for c in region_to_absent_labels(region, spec))  # a row the page shows, unread
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
    return _Problem(per_row, total_idx, in_solve, doms, body, totals)


def region_has_solution(region: TableRegion, spec: TableSpec, fmt: NumberFormat) -> bool:
    """Given a located table, its spec and the number format, return whether every row reads within the work bounds
    and the whole table has one solution: what a hypothesis of zero-config needs, without the cells and the
    provenance (it stops at the first row that cannot be read, and looks for one solution, not all of them)."""
    spec = spec_to_row_spec(spec)
    if not region.rows:
        return False
    per_row: list[RowReadings | None] = []
    for r in region.rows:
        rr = row_to_readings(r, spec, fmt) if r.duplicate_of is None else None
        if rr is not None and (not rr.readable or (rr.complete and not rr.readings)):
            return False
        per_row.append(rr)
    problem = _region_to_problem(region, spec, fmt, per_row)
    if any(rr is not None and not rr.complete for rr in problem.per_row):
        return False
    if not problem.totals:
        return True
    try:
        search = _Search(problem.doms, problem.body, problem.totals, DEFAULT_MAX_TABLE_WORK)
        return search.solution(search.propagate(search.root([(1 << len(d)) - 1 for d in problem.doms]))) is not None
    except (Conflict, BudgetExceeded):
        return False


def region_to_solution(region: TableRegion, spec: TableSpec, fmt: NumberFormat) -> TableSolution:
    """Given a located table, its spec and the number format, return the solved table.

    Every row of the region comes back, in source order: rows read from the page (their
    cells where all the table's solutions agree), an identical repeat as ``duplicate``, a row
    whose numbers cannot be read as ``unreadable``. Rows whose label matches no value of the
    vocabulary are read on their own (their row rules only) and keep the totals to bounds.
    A rank printed before the label and a time column are read with the row's cells (``row_columns``), then
    published: the rank as the first numeric column, each time as printed, in the page's order of columns (``order``).
    """
    published_spec = spec
    spec = spec_to_row_spec(spec)
    k = len(spec.columns)
    rows = region.rows
    problem = _region_to_problem(
        region, spec, fmt, [row_to_readings(r, spec, fmt) if r.duplicate_of is None else None for r in rows]
    )
    per_row, total_idx, in_solve, doms, body, totals = (
        problem.per_row,
        problem.total_idx,
        problem.in_solve,
        problem.doms,
        problem.body,
        problem.totals,
    )
    pos = {i: p for p, i in enumerate(in_solve)}
    problems = [f"table {spec.id}: {note}" for note in region.notes]
    if any(not d for d in doms):
        outcome = TableOutcome([[] for _ in doms], False, True, "")
    else:
        outcome = domains_to_outcome(doms, body, totals)
        if not outcome.satisfiable and totals:
            # the page's figures do not add up to its totals (a rounded or misprinted total): no reading meets them, so
            # they tell nothing; the rows are read without them (a cell their own readings fix is fixed whatever the
            # totals), and the run says so
            alone = domains_to_outcome(doms, body, [])
            if alone.satisfiable:
                outcome = alone
                problems.append(f"table {spec.id}: {NO_TABLE_SOLUTION}: the rows are read without the totals")

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

    absent = region_to_absent_labels(region, spec)
    for label in absent:  # a row the page shows that no line was read as: listed, empty, never dropped
        tied = region.left_out.get(label)
        missing = tied or SourceRow(NO_LINE, label, None, "")
        why = "no line of the page matched this label"
        if tied is not None:
            why = f"line {tied.line.number} reads as this label in another table too: left out of both, to decide"
        out.append(RowSolution(missing, [None] * k, "missing", [], 0, False, why))

    published = [r for r in out if r.status != "duplicate"]
    empty = sum(c is None for r in published for c in r.cells)
    if empty:
        by_status: dict[str, int] = {}
        for r in published:
            if (r.status != "recovered" and r.status != "corrected") or any(c is None for c in r.cells):
                by_status[r.status] = by_status.get(r.status, 0) + 1
        detail = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        reasons = sorted(
            {r.reason for r in published if r.reason and r.status != "missing" and any(c is None for c in r.cells)}
        )
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
    unmatched_labels = [a for a in absent if a not in region.left_out]  # a tied line is said by the region's notes
    if unmatched_labels:
        listed = ", ".join(unmatched_labels[:DEFAULT_MISSING_LISTED]) + (
            ", …" if len(unmatched_labels) > DEFAULT_MISSING_LISTED else ""
        )
        problems.append(
            f"table {spec.id}: {len(unmatched_labels)} label(s) of the vocabulary matched no line, listed empty as missing: "
            f"{listed} (if the page prints only some of the values, say `printed: some` under label:)"
        )
    if spec.totals_row and total_idx is None and region.found:
        problems.append(f"table {spec.id}: totals row '{spec.totals_row}' not found; its totals were not used")
    if not region.found and not region.notes:
        problems.append(f"table {spec.id}: not found")
    warnings = [f"table {spec.id}: {w}" for w in region.warnings]
    for sol in out:
        row_solution_to_published(sol, published_spec)
    return TableSolution(
        spec.id,
        list(published_spec.columns),
        spec.label_column,
        out,
        region.found,
        problems,
        warnings,
        list(published_spec.text_columns),
        list(published_spec.row_columns),  # the page's order: a time column stands where the row prints it
    )
