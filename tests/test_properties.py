"""Property tests: the number grammar, the rule parser and the solver, against an independent brute force.

Tables are generated to satisfy their rules, their cells run together in each number
format, then recovered. The truth must always be among the solutions, a determined cell
must equal the truth, and on tiny tables the cells the solver determines must be exactly
those on which every brute-force solution agrees (so ambiguous cells come back empty).
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from recover.model import Line, SourceRow, TableRegion
from recover.numbers import NumberFormat, RowLattice, format_number
from recover.rulegrammar import parse_rule
from recover.rules import TableSpec
from recover.solve import region_to_solution
from tests import brute

FORMATS = [NumberFormat(","), NumberFormat("."), NumberFormat(" "), NumberFormat(None), NumberFormat(",", ".")]
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.one_of(st.integers(0, 20), st.integers(0, 2_000), st.integers(0, 2_000_000))


# ----------------------------------------------------------------------------- number grammar


@PROFILE
@given(fmt=st.sampled_from(FORMATS), cells=st.lists(values, min_size=1, max_size=4))
def test_lattice_readings_equal_brute_force_splits(fmt, cells):
    run = "".join(format_number(v, fmt) for v in cells)
    readings, stop = RowLattice(run, len(cells), fmt).readings(max_readings=10**6)
    assert not stop
    assert tuple(cells) in readings
    assert sorted(readings, key=str) == brute.splits(run, len(cells), fmt.thousands, fmt.decimal)
    assert RowLattice(run, len(cells), fmt).count() == len(readings)


@PROFILE
@given(
    fmt=st.sampled_from([f for f in FORMATS if "." not in (f.thousands, f.decimal)]),
    cells=st.lists(st.one_of(values, st.just("..")), min_size=1, max_size=5),
    unit=st.sampled_from(["..", "..."]),
)
def test_a_row_with_placeholders_run_together_has_its_truth_among_its_readings(fmt, cells, unit):
    """Placeholders printed back to back (`20......`: three `..` or two `...`) are one reading per count that fits: the
    row as printed is always among the readings of its pieces under its own column count, and every reading's blanks
    stand where a placeholder was printed (a blank is never made from digits). Where `.` is a mark of the format, a
    placeholder run between two numbers (`0..0`) is no reading at all (the row's cells stay empty): not tested here;
    nor a row mixing `..` and `...` (no page seen does)."""
    from recover.model import BLANK
    from recover.numbers import text_to_piece_options

    run = "".join(unit if isinstance(c, str) else format_number(c, fmt) for c in cells)
    truth = tuple(BLANK if isinstance(c, str) else c for c in cells)
    options = text_to_piece_options(run, fmt, glued=True)
    assume(
        options is not None
    )  # e.g. a bare `.` decimal mark beside a placeholder: no reading at all, nothing published
    readings = {r for pieces in options for r in RowLattice(pieces, len(cells), fmt).readings(max_readings=10**6)[0]}
    assert truth in readings
    digits = sum(ch.isdigit() for ch in run)
    for r in readings:  # the blanks of a reading take no digit: its numbers print every digit of the row
        assert sum(ch.isdigit() for v in r if v is not BLANK for ch in str(abs(v)).replace(".", "")) <= digits


@PROFILE
@given(fmt=st.sampled_from(FORMATS), cells=st.lists(values, min_size=1, max_size=5))
def test_whitespace_between_cells_is_a_hard_boundary(fmt, cells):
    assume(fmt.thousands != " ")
    run = " ".join(format_number(v, fmt) for v in cells)
    readings, _ = RowLattice(run, len(cells), fmt).readings()
    assert readings == [tuple(cells)]


@PROFILE
@given(fmt=st.sampled_from(FORMATS), value=values)
def test_format_number_is_one_token(fmt, value):
    text = format_number(value, fmt)
    assert brute.token_regex(fmt.thousands, fmt.decimal).fullmatch(text)
    assert RowLattice(text, 1, fmt).readings()[0] == [(value,)]


# ----------------------------------------------------------------------------- rule grammar

COLUMNS = ["a", "b", "c", "d", "e"]


@st.composite
def linear_rules(draw):
    """A rule's text and the coefficients and constant it must parse to."""

    def side():
        terms = draw(st.lists(st.tuples(st.integers(-5, 5), st.sampled_from(COLUMNS + ["1"])), min_size=1, max_size=4))
        text, coeffs, const = "", {}, 0
        for i, (coef, atom) in enumerate(terms):
            coef = coef or 1
            sign = "-" if coef < 0 else "+"
            body = str(abs(coef)) if atom == "1" else (atom if abs(coef) == 1 else f"{abs(coef)}*{atom}")
            text += (("-" if sign == "-" else "") + body) if i == 0 else f" {sign} {body}"
            if atom == "1":
                const += coef
            else:
                coeffs[atom] = coeffs.get(atom, 0) + coef
        return text, coeffs, const

    lt, lc, lk = side()
    rt, rc, rk = side()
    coeffs = {c: lc.get(c, 0) - rc.get(c, 0) for c in COLUMNS}
    return f"{lt} = {rt}", {c: v for c, v in coeffs.items() if v}, rk - lk


@PROFILE
@given(linear_rules())
def test_rule_parses_to_its_coefficients(rule):
    text, coeffs, const = rule
    assume(coeffs)
    parsed = parse_rule(text, COLUMNS)
    assert dict(parsed.coeffs) == coeffs and parsed.const == const


@PROFILE
@given(first=st.integers(0, 4), length=st.integers(0, 4))
def test_sum_range_covers_the_columns_between(first, length):
    last = min(first + length, 4)
    parsed = parse_rule(f"z = sum({COLUMNS[first]}..{COLUMNS[last]})", COLUMNS + ["z"])
    assert dict(parsed.coeffs) == {**{c: -1 for c in COLUMNS[first : last + 1]}, "z": 1}


# ----------------------------------------------------------------------------- the solver


@st.composite
def tables(draw, max_rows=4, max_k=4, small=False):
    """A table that satisfies its rules: (format, spec, rows of true values, totals row index or None).

    ``small``: cells of one or two digits (0-30), so that longer tables keep few readings per row for the brute force."""
    fmt = draw(st.sampled_from(FORMATS))
    k = draw(st.integers(2, max_k))
    row_sum = draw(st.booleans())
    n = draw(st.integers(1, max_rows))
    cell = st.integers(0, 30) if small else st.one_of(st.integers(0, 12), st.integers(0, 400), st.integers(0, 40_000))

    def body_row():
        vals = [draw(cell) for _ in range(k - 1 if row_sum else k)]
        return tuple(vals + [sum(vals)] if row_sum else vals)

    body = [body_row() for _ in range(n)]
    mode = draw(st.sampled_from(["none", "row_complete", "row_partial", "known"]))
    columns = [f"c{j}" for j in range(k)]
    rules = [parse_rule(f"c{k - 1} = sum(c0..c{k - 2})", columns)] if row_sum else []
    sums = [sum(r[j] for r in body) for j in range(k)]
    rows, total_idx, known, complete = list(body), None, {}, True
    if mode in ("row_complete", "row_partial"):
        total = list(sums)
        if mode == "row_partial":
            complete = False
            extra = [draw(st.integers(0, 50)) for _ in range(k)]
            if row_sum:
                extra[-1] = sum(extra[:-1])
            total = [t + e for t, e in zip(total, extra)]
        total_idx = draw(st.sampled_from([0, n]))
        rows.insert(total_idx, tuple(total))
    elif mode == "known":
        chosen = draw(st.sets(st.sampled_from(columns), min_size=1))
        known = {c: sums[columns.index(c)] for c in chosen}
    labels = [f"row {i}" for i in range(len(rows))]
    total_label = labels[total_idx] if total_idx is not None else None
    spec = TableSpec(
        id="t",
        title=None,
        header=None,
        label_column="label",
        columns=columns,
        canonical=[],
        spellings={},
        rules=rules,
        totals_row=total_label,
        known=known,
        complete=complete,
        overrides={},
    )
    return fmt, spec, rows, labels, total_idx


def _solve(fmt, spec, rows, labels):
    src = [
        SourceRow(
            Line(f"{lab}{''.join(format_number(v, fmt) for v in r)}", i + 1),
            lab,
            None,
            "".join(format_number(v, fmt) for v in r),
            glued=True,
        )
        for i, (lab, r) in enumerate(zip(labels, rows))
    ]
    return region_to_solution(TableRegion("t", src, True), spec, fmt)


def _brute(fmt, spec, rows, total_idx):
    k = len(spec.columns)
    vecs = spec.rule_vectors()

    def row_ok(x):
        return all(sum(a * v for a, v in zip(coef, x)) == c for coef, c in vecs)

    readings = [
        [s for s in brute.splits("".join(format_number(v, fmt) for v in r), k, fmt.thousands, fmt.decimal) if row_ok(s)]
        for r in rows
    ]
    size = 1
    for r in readings:
        size *= max(1, len(r))
    if size > 50_000:
        return None

    def table_ok(combo):
        body = [x for i, x in enumerate(combo) if i != total_idx]
        for j, col in enumerate(spec.columns):
            s = sum(x[j] for x in body)
            if total_idx is not None:
                t = combo[total_idx][j]
                if (s != t) if spec.complete else (s > t):
                    return False
                if col in spec.known and t != spec.known[col]:
                    return False
            elif col in spec.known and s != spec.known[col]:
                return False
        return True

    return brute.table_solutions(readings, table_ok)


@PROFILE
@given(tables())
def test_truth_is_a_solution_and_determined_cells_are_true(table):
    fmt, spec, rows, labels, _total_idx = table
    sol = _solve(fmt, spec, rows, labels)
    for truth, r in zip(rows, sol.rows):
        assert r.status != "unsatisfiable", (truth, r)
        if r.status != "too_ambiguous":
            assert truth in r.readings or r.readings_capped
        for cell, true in zip(r.cells, truth):
            assert cell is None or cell == true
    event("ambiguous" if any(c is None for r in sol.rows for c in r.cells) else "all determined")


def _matches_the_brute_force(table) -> list[list]:
    """Given a generated table, check the solver's cells and readings against the brute force; return its cells."""
    fmt, spec, rows, labels, total_idx = table
    solutions = _brute(fmt, spec, rows, total_idx)
    assume(solutions is not None)
    sol = _solve(fmt, spec, rows, labels)
    assume(all(r.status != "too_ambiguous" for r in sol.rows))
    assert tuple(rows) in solutions
    expected = brute.determined(solutions, len(rows), len(spec.columns))
    assert [r.cells for r in sol.rows] == expected
    for i, r in enumerate(sol.rows):
        assert sorted(r.readings, key=str) == sorted({s[i] for s in solutions}, key=str)
    return expected


@PROFILE
@given(tables(max_rows=3, max_k=3))
def test_determined_cells_match_the_brute_force(table):
    expected = _matches_the_brute_force(table)
    event("ambiguous" if any(c is None for row in expected for c in row) else "all determined")


@PROFILE
@given(tables(max_rows=7, max_k=4, small=True))
def test_determined_cells_match_the_brute_force_on_longer_tables(table):
    """The table search (cell by cell, column by column, with a leaf marking every reading it holds) against the brute
    force on tables of up to 8 rows whose fused cells of one or two digits leave several readings per row."""
    _matches_the_brute_force(table)
    _, spec, rows, _, total_idx = table
    event(f"{len(rows)} rows, totals: {'row' if total_idx is not None else 'known' if spec.known else 'none'}")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(tables(), st.integers(1, 9))
def test_totals_the_page_misprinted_tell_nothing_and_publish_nothing_it_did_not_print(table, off):
    """A totals row whose first figure the page misprinted (`off` more than its rows add up to; its sum column as much,
    so its own row rule still holds), so that no reading of the rows meets it: the solver reads the rows without the totals (`NO_TABLE_SOLUTION`). Every cell it then publishes
    is the page's: a body row's true value, the totals row's printed (misprinted) value; never a split or a join of
    digits that the totals would have ruled out."""
    from recover.solve import NO_TABLE_SOLUTION

    fmt, spec, rows, labels, total_idx = table
    assume(total_idx is not None and spec.complete)
    printed = list(rows)
    total = list(printed[total_idx])
    total[0] += off
    if spec.rules:  # the totals row still meets its own row rule (the last column sums the others): only its column
        total[-1] += (
            off  # totals are off; a row rule the page breaks too would be false evidence, which no tool can tell
        )
    printed[total_idx] = tuple(total)
    sol = _solve(fmt, spec, printed, labels)
    assume(any(NO_TABLE_SOLUTION in p for p in sol.problems))
    for truth, r in zip(printed, sol.rows):
        for cell, true in zip(r.cells, truth):
            assert cell is None or cell == true, (truth, r.cells)
    event("fallback taken")


def test_an_ambiguous_table_leaves_its_cells_empty():
    """12|34 or 1|234 or 123|4: nothing pins the split, so no cell is written."""
    fmt = NumberFormat(None)
    spec = TableSpec("t", None, None, "label", ["a", "b"], [], {}, [], None, {}, True, {})
    sol = _solve(fmt, spec, [(12, 34)], ["x"])
    assert sol.rows[0].cells == [None, None]
    assert sol.rows[0].status == "ambiguous" and sol.rows[0].readings_count == 3
    assert sol.problems == ["table t: 2 of 2 cells left empty (1 ambiguous rows)"]


def test_a_partly_determined_row_keeps_the_cells_its_readings_agree_on():
    """5|12|17 and 5|1|217? Only readings meeting c = a + b survive; with no rule, a stays 5 only if every split agrees."""
    fmt = NumberFormat(",")
    spec = TableSpec(
        "t",
        None,
        None,
        "label",
        ["a", "b", "c"],
        [],
        {},
        [parse_rule("c = a + b", ["a", "b", "c"])],
        None,
        {},
        True,
        {},
    )
    sol = _solve(fmt, spec, [(2, 10, 12)], ["x"])  # "21012": 2|10|12 only
    assert sol.rows[0].cells == [2, 10, 12]


def test_huge_values_beside_a_small_total_do_not_exhaust_memory():
    """Bug: a body value far above every target was bit-shifted before masking (MemoryError on 15-digit values)."""
    fmt = NumberFormat(None)
    spec = TableSpec("t", None, None, "label", ["a", "b"], [], {}, [], "row 2", {}, True, {})
    sol = _solve(fmt, spec, [(1, 2), (3, 4), (4, 6)], ["row 0", "row 1", "row 2"])
    assert [r.cells for r in sol.rows] == [[1, 2], [3, 4], [4, 6]]
    big = [(400956280827947, 5), (3, 4), (400956280827950, 9)]
    sol = _solve(fmt, spec, big, ["row 0", "row 1", "row 2"])
    assert all(c is None or c == t for r, truth in zip(sol.rows, big) for c, t in zip(r.cells, truth))


def test_partial_totals_are_met_by_bounds_not_subset_sums():
    """A 3-row table whose totals row is partial (an upper bound) took 7 s (4.8 s before the cell-by-cell search): its
    readings reach values of millions, and each trial shifted bitsets that long to compute subset sums an upper bound
    never needs (a value is possible where the other rows' lowest values leave room for it). The readings some
    solution uses must stay the brute force's (all 114,000 choices of one reading per row, checked here)."""
    fmt = NumberFormat(None)
    spec = TableSpec("t", None, None, "label", ["c0", "c1", "c2", "c3"], [], {}, [], "row 0", {}, False, {})
    rows = [(6738, 162, 12609, 84), (6390, 128, 6284, 62), (333, 32, 6284, 7)]
    readings = [brute.splits("".join(map(str, r)), 4, None) for r in rows]
    solutions = brute.table_solutions(
        readings, lambda combo: all(combo[1][j] + combo[2][j] <= combo[0][j] for j in range(4))
    )
    sol = _solve(fmt, spec, rows, ["row 0", "row 1", "row 2"])
    assert [r.cells for r in sol.rows] == brute.determined(solutions, 3, 4)
    for i, r in enumerate(sol.rows):
        assert r.status == "ambiguous" and sorted(r.readings, key=str) == sorted({s[i] for s in solutions}, key=str)
