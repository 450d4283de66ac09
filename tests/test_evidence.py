"""The evidence model of real tables: blanks, placeholders, signs, marks, hard boundaries, repeated and wrapped rows.

One test per class of issue 7 (each docstring says what went wrong before), then a Hypothesis
property against an independent brute force: the truth is always a reading, a blank is
always read blank, and a row that kept its boundaries has exactly one reading.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.labels import assign, split_tail
from recover.model import BLANK, Line, SourceRow, TableRegion
from recover.numbers import NumberFormat, RowLattice, cells_to_pieces, text_to_pieces
from recover.rulegrammar import parse_rule
from recover.rules import TableSpec
from recover.solve import region_to_solution
from tests.conftest import EXPECTED, SEED_RULES

COMMA = NumberFormat(",")
SUM3 = [((1, 1, -1), 0)]  # total = active + resolved


def readings(tail: str, k: int, rules=(), fmt: NumberFormat = COMMA, glued: bool = False) -> list[tuple]:
    pieces = text_to_pieces(tail, fmt, glued)
    assert pieces is not None, tail
    got, stop = RowLattice(pieces, k, fmt).readings(list(rules))
    assert not stop
    return sorted(got, key=repr)


def spec(
    columns=("active", "resolved", "total"),
    rules=("total = active + resolved",),
    values=(),
    totals_row=None,
    complete=True,
    known=None,
):
    cols = list(columns)
    canonical = list(values) + ([totals_row] if totals_row and totals_row not in values else [])
    return TableSpec(
        id="t",
        title=None,
        header=None,
        label_column="label",
        columns=cols,
        canonical=canonical,
        spellings={c: c for c in canonical},
        rules=[parse_rule(r, cols) for r in rules],
        totals_row=totals_row,
        known=dict(known or {}),
        complete=complete,
        overrides={},
    )


def region(rows: list[tuple[str, str]], cells: bool = False, glued: bool = False) -> TableRegion:
    out = []
    for n, (label, tail) in enumerate(rows, start=1):
        printed = tuple(tail.split("|")) if cells else None
        text = f"{label}{tail}" if glued else f"{label} {tail}"
        out.append(SourceRow(Line(text, n), label, 100.0, tail, cells=printed, glued=glued))
    return TableRegion("t", out, True)


# ----------------------------------------------------------------------------- hard boundaries


def test_a_printed_token_is_never_split_when_the_row_kept_its_boundaries():
    """`Alabama — 5 16` was published `5, 1, 6`: the dash dropped and `16` split so the rule held."""
    assert readings("— 5 16", 3, SUM3) == [(BLANK, 5, 16)]
    assert readings("5 16", 3, SUM3) == []  # two printed numbers are not three cells


def test_a_fused_run_is_still_split_by_the_grammar():
    """The seed's rows lost every boundary; they must still split (`2,04225,03027,072`)."""
    assert readings("2,04225,03027,072", 3, SUM3, glued=True) == [(2042, 25030, 27072)]
    assert len(readings("- 15287", 3)) == 6  # a lone dash before one fused run separates it from the label


def test_tabs_and_nbsp_are_whitespace():
    """`Alaska<TAB>100<TAB>23<TAB>123` was split inside `100`: tabs and NBSP were not boundaries."""
    assert readings("100\t23\t123", 3) == [(100, 23, 123)]
    assert readings("100\u00a023\u2009123", 3) == [(100, 23, 123)]


def test_printed_cells_are_one_cell_each():
    """An HTML row `<td></td><td>5</td><td>16</td>` lost its blank and split `16`."""
    pieces = cells_to_pieces(["", "5", "16"], COMMA)
    assert RowLattice(pieces, 3, COMMA).readings(SUM3)[0] == [(BLANK, 5, 16)]
    pieces = cells_to_pieces(["-", "-", "123"], COMMA)
    assert RowLattice(pieces, 3, COMMA).readings(SUM3)[0] == [(BLANK, BLANK, 123)]
    assert cells_to_pieces(["94 000"], COMMA) is None  # two printed words in one cell are not a number


# ----------------------------------------------------------------------------- placeholders, signs, marks


def test_a_number_printed_apart_is_never_split():
    """`East 370` (a PDF row whose other cells were not drawn) was published 3 | 7 | 0."""
    assert readings("370", 3) == []
    assert readings("370", 3, fmt=COMMA) == []
    pieces = text_to_pieces("370", COMMA, glued=True)  # glued to its label, a run may still be fused
    assert RowLattice(pieces, 3, COMMA).readings()[0] == [(3, 7, 0)]


def test_a_dash_before_one_number_may_be_a_blank():
    """`Ohio - 16` was published 1 | 6 (the dash taken for decoration): the page printed a blank and 16."""
    from recover.numbers import text_to_piece_options

    options = text_to_piece_options("- 16", COMMA)
    got = {x for p in options for x in RowLattice(p, 2, COMMA).readings()[0]}
    assert got == {(BLANK, 16), (1, 6)}  # or a separator before a fused 1|6: alternatives, nothing published
    options = text_to_piece_options("- 15287", COMMA)  # not one number under ',': only a separator
    assert len(options) == 1 and {x for x in RowLattice(options[0], 3, COMMA).readings()[0]} >= {(15, 28, 7)}


def test_a_lowercase_letter_between_numbers_is_a_mark():
    """`Robbery7a35` was published 3 | 5: `7a` was taken into the label."""
    assert split_tail("Robbery7a35", COMMA) == ("Robbery", "7a35")
    assert readings("7a35", 2) == [(7, 35)]
    assert split_tail("RegionC0C1C2", COMMA)[1] == "2"  # capitals between figures are a word


def test_placeholders_are_blank_cells():
    """`Arizona n/a n/a 112` was published `1, 1, 2`."""
    assert readings("n/a n/a 112", 3, SUM3) == [(BLANK, BLANK, 112)]
    assert readings("(D) .. 7", 3, SUM3) == [(BLANK, BLANK, 7)]


def test_a_placeholder_meaning_zero_is_zero():
    fmt = NumberFormat(",", zero=("–",))
    assert readings("– 5 5", 3, SUM3, fmt) == [(0, 5, 5)]


def test_negatives_in_parentheses_and_with_signs():
    """`South4,5005,200(700)` was dropped: parentheses and signs were not part of the grammar."""
    assert readings("4,5005,200(700)", 3, [((1, -1, -1), 0)]) == [(4500, 5200, -700)]
    assert readings("-12 −3 –9", 3) == [(-12, -3, -9)]


def test_a_small_parenthesized_number_may_be_a_mark_or_a_negative():
    """`Bad Debts 10,000 10,000 (1)` was dropped; `Texas (1) 40 60 100` needs (1) read as a mark."""
    assert readings("10,000 10,000 (1)", 3) == [(10000, 10000, -1)]
    assert readings("(1) 40 60 100", 3, SUM3) == [(40, 60, 100)]
    # in a fused run both are alternatives, published only where they agree
    assert readings("(1)1234", 2, fmt=NumberFormat(None)) == [(-1, 1234), (1, 234), (12, 34), (123, 4)]


def test_footnote_marks_are_not_digits():
    """`500*` was dropped; a mark must never become a digit."""
    assert readings("500* 20 520", 3, SUM3) == [(500, 20, 520)]
    assert readings("5†1,0001,005", 3, SUM3) == [(5, 1000, 1005)]
    assert split_tail("Ohio* 7 8 15", COMMA) == ("Ohio* ", "7 8 15")


def test_a_header_with_letters_between_digits_is_not_a_row():
    """`RegionC0C1C2`, a fused header, read as numbers with letter marks once marks were allowed."""
    assert split_tail("RegionC0C1C2", COMMA)[1] == "2"


def test_rows_in_another_format_are_alternatives():
    """A row printed without separators in a `,` table: read under each declared format, merged."""
    fmt = NumberFormat(",", also=(NumberFormat(None),))
    sol = region_to_solution(region([("A", "193119312")], glued=True), spec(), fmt)
    assert sol.rows[0].readings_count == 2 and sol.rows[0].cells == [None, None, None]  # 193|119|312 or 1|9311|9312
    # printed apart from its label, a token that is one number under some format is that number there
    sol = region_to_solution(region([("A", "193119312")]), spec(), fmt)
    assert sol.rows[0].readings == [(193, 119, 312)]


# ----------------------------------------------------------------------------- blanks in the table solve


def test_a_blank_is_never_filled_from_the_rules_or_the_totals():
    """Suppressed cells stay suppressed: the totals row and the rule would pin Beta's active to 4."""
    reg = region([("Alpha", "1|2|3"), ("Beta", "|5|9"), ("Total", "5|7|12")], cells=True)
    sol = region_to_solution(reg, spec(values=("Alpha", "Beta"), totals_row="Total"), COMMA)
    assert [r.cells for r in sol.rows] == [[1, 2, 3], [BLANK, 5, 9], [5, 7, 12]]
    assert [r.status for r in sol.rows] == ["recovered"] * 3
    assert not sol.problems  # a blank the page printed is not a cell left empty


def test_totals_over_a_column_with_a_blank_are_bounds():
    """With a blank in the body, `active` sums to at most its total: Gamma's fused run still resolves."""
    reg = region([("Alpha", "-  2  3"), ("Gamma", "11112"), ("Total", "2 13 15")])  # Alpha's hidden active is 1
    sol = region_to_solution(reg, spec(values=("Alpha", "Gamma"), totals_row="Total"), COMMA)
    # Gamma is 1|11|12 or 11|1|12; resolved has no blank, so its total is exact: 2 + 11 = 13
    assert sol.rows[1].cells == [1, 11, 12]
    assert sol.rows[0].cells == [BLANK, 2, 3]


def test_negative_column_totals_use_bounds_not_bitsets():
    """A column holding negatives crashed the bitset propagation (a negative shift)."""
    reg = region([("A", "10 12 -2"), ("B", "5 3 2"), ("Total", "15 15 0")])
    s = spec(
        rules=("variance = budget - actual",),
        columns=("budget", "actual", "variance"),
        values=("A", "B"),
        totals_row="Total",
    )
    sol = region_to_solution(reg, s, COMMA)
    assert [r.cells for r in sol.rows] == [[10, 12, -2], [5, 3, 2], [15, 15, 0]]


# ----------------------------------------------------------------------------- rows


def test_a_repeated_row_keeps_its_own_label():
    """A second `North Dakota` was published as South Dakota, a state not on the page (one-to-one assignment)."""
    scores = np.array([[100.0, 80.0], [100.0, 80.0]])  # North Dakota, South Dakota
    assert assign(scores) == [(0, 0), (1, 0)]
    near = np.array([[90.0, 89.0], [89.0, 90.0]])
    assert assign(near) == [(0, 0), (1, 1)]


def test_seed_printed_to_a_narrow_pdf_wraps_digit_runs_and_keeps_every_cell(run_cli, tmp_path):
    """A long run cut at the margin (`…Total4511512,9849,4795,345951` / `0,2321,04529,782`) was read
    as a row without a label and left out: the age/race table kept 23 of 72 cells."""
    from tests.fixtures import damaged_pdf

    pdf = damaged_pdf(tmp_path / "narrow.pdf", width=60, break_long_words=True)
    status, _out, err = run_cli("run", pdf, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, err
    for table in ("age_race", "case_type_status", "state", "cvip_requests"):
        assert (tmp_path / "o" / f"{table}.csv").read_bytes() == (EXPECTED / f"{table}.csv").read_bytes(), table


def test_facts_are_read_whole_or_not_at_all():
    """`21.7 million` under rules without a decimal mark was published as 21."""
    from recover.facts import lines_to_facts
    from recover.rules import FactSpec

    facts, warnings = lines_to_facts(
        [FactSpec("reports", "the hotline received {value} reports")],
        (Line("In 2022, the hotline received 21.7 million reports.", 1),),
        COMMA,
    )
    assert facts == [] and warnings


# ----------------------------------------------------------------------------- property


PLACEHOLDERS = ["-", "—", "..", "n/a", "(D)", "x"]
cell = st.one_of(st.just(BLANK), st.integers(-999, 99_999))


def brute_spaced(tokens: list[str], k: int) -> set[tuple]:
    """An independent reading of a row that kept its boundaries: each token is one cell, by regex."""
    import re

    if len(tokens) != k:
        return set()
    out = []
    for t in tokens:
        if t in PLACEHOLDERS:
            out.append(BLANK)
            continue
        m = re.fullmatch(r"(\(|-)?(0|[1-9]\d{0,2}(?:,\d{3})*)\)?", t)
        if not m:
            return set()
        v = int(m.group(2).replace(",", ""))
        out.append(-v if m.group(1) else v)
    return {tuple(out)}


@settings(max_examples=300, deadline=None)
@given(values=st.lists(cell, min_size=1, max_size=5), data=st.data())
def test_a_spaced_row_reads_as_printed(values, data):
    """Whatever the page printed in a row that kept its boundaries is its only reading: blanks blank, signs kept."""
    tokens = []
    for v in values:
        if v is BLANK:
            tokens.append(data.draw(st.sampled_from(PLACEHOLDERS)))
        elif v < 0:
            tokens.append(data.draw(st.sampled_from([f"-{-v:,}", f"({-v:,})"])))
        else:
            tokens.append(f"{v:,}")
    if len(tokens) == 2 and tokens[0] in ("-", "—"):
        return  # a lone dash before one number is read as the label's decoration (tested above)
    got = set(readings(" ".join(tokens), len(values)))
    assert got == brute_spaced(tokens, len(values)) == {tuple(values)}


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 3_000), min_size=2, max_size=4), blank_at=st.integers(0, 3))
def test_a_rule_is_not_enforced_across_a_blank(values, blank_at):
    """A row rule over a blank cell cannot hold or fail: the row's other cells are read as printed."""
    values = values[:-1] + [sum(values[:-1])]
    j = blank_at % len(values)
    shown = [BLANK if i == j else v for i, v in enumerate(values)]
    tokens = ["-" if v is BLANK else f"{v:,}" for v in shown]
    if len(tokens) == 2 and tokens[0] == "-":
        return
    rule = [(tuple([1] * (len(values) - 1) + [-1]), 0)]
    assert set(readings(" ".join(tokens), len(values), rule)) == {tuple(shown)}
    # a reviewer's pin on the blank cell can never hold: nothing is published for it
    pins = rule + [(tuple(1 if i == j else 0 for i in range(len(values))), 1)]
    pieces = text_to_pieces(" ".join(tokens), COMMA)
    assert RowLattice(pieces, len(values), COMMA).readings(pins, firm=1)[0] == []


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 20_000), min_size=2, max_size=3))
def test_a_fused_row_has_the_brute_force_readings(values):
    """A fused run's readings are exactly the brute force's splits (the grammar did not change)."""
    from tests.brute import splits

    run = "".join(f"{v:,}" for v in values)
    got = set(readings(run, len(values), glued=True))  # fused onto its label, as the seed prints it
    assert got == set(splits(run, len(values), ","))
    assert tuple(values) in got
    assert all(isinstance(x, int) for r in got for x in r) and not any(
        itertools.chain(*[[x is BLANK for x in r] for r in got])
    )


def test_a_header_row_of_years_is_no_row():
    """`State 2019 2020` under the title was read as a row outside the vocabulary and published with its years."""
    from recover.locate import lines_to_region

    lines = tuple(
        Line(t, i + 1) for i, t in enumerate(["Cases by state", "State 2019 2020", "Alabama 5 16", "Alaska 7 9"])
    )
    s = spec(columns=("y2019", "y2020"), rules=(), values=("Alabama", "Alaska"))
    s.title = "Cases by state"
    region_ = lines_to_region(s, lines, COMMA)
    assert [r.label for r in region_.rows] == ["Alabama", "Alaska"] and region_.strays == 0


def test_a_totals_row_past_the_work_bound_is_read_within_the_bounds_the_body_implies():
    """A fused totals row of 12 four-digit sums has far more readings than DEFAULT_MAX_READINGS; the body rows,
    printed apart, imply each of its cells, and reading it within those bounds leaves exactly one reading."""
    import random

    rng = random.Random(3)
    cols = [f"c{j}" for j in range(12)]
    body = [[rng.randint(100, 999) for _ in cols] for _ in range(5)]
    total = [sum(r[j] for r in body) for j in range(12)]
    fmt = NumberFormat(None)
    rows = [
        SourceRow(Line(f"Row {i} " + " ".join(map(str, r)), i + 1), f"Row {i}", 100.0, " ".join(map(str, r)))
        for i, r in enumerate(body)
    ]
    run = "".join(map(str, total))
    rows.append(SourceRow(Line("Total" + run, 6), "Total", 100.0, run, glued=True))
    s = spec(columns=cols, rules=(), values=tuple(f"Row {i}" for i in range(5)), totals_row="Total")
    sol = region_to_solution(TableRegion("t", rows, True), s, fmt)
    assert sol.rows[-1].cells == total and sol.rows[-1].status == "recovered"
    assert RowLattice(run, 12, fmt).readings(max_readings=20_000)[1]  # on its own, it passes the bound


def test_a_memory_error_inside_c_code_is_the_memory_bound():
    """A PDF decompression bomb ended as "not a document: ... SystemError: ... returned NULL without setting an
    exception": an allocation failing in C under the worker's memory limit surfaces as SystemError, not MemoryError."""
    import pytest as _pytest

    from recover.extractors.pdf_worker import _classify

    with _pytest.raises(MemoryError):
        _classify(SystemError("<function Page.objects at 0x1> returned NULL without setting an exception"), "page 1")
    assert _classify(ValueError("bad xref"), "page 1")["error"] == "kind"


def test_a_system_error_outside_a_page_is_the_memory_bound(tmp_path, monkeypatch, capsys):
    """CI's decompression bomb ended as "not a document: the PDF could not be read (SystemError: error return without
    exception set)": the failed allocation surfaced outside the page's handler (between pages, or while the result was
    serialised), where only MemoryError was caught, so the worker died with a traceback and the parent read its last line
    as a bad file. The worker now catches MemoryError and SystemError around everything it does, and the parent reads a
    SystemError on a worker's stderr as the memory bound too.

    A failure at that exact point cannot be provoked on demand (it depends on where the cap is hit), so ``read`` is made
    to raise it here; the parent's side is a pure function, given a real traceback's text.
    """
    import pytest as _pytest

    from recover.errors import BoundError, SourceKindError
    from recover.extractors import pdf_worker
    from recover.extractors.pdf import worker_output_to_result

    def failing_read(path):
        raise SystemError("error return without exception set")

    monkeypatch.setattr(pdf_worker, "read", failing_read)
    assert pdf_worker.main(["pdf_worker", str(tmp_path / "bomb.pdf")]) == 3
    assert capsys.readouterr() == ("", "MemoryError\n")

    traceback = (
        'Traceback (most recent call last):\n  File "x.py", line 1\nSystemError: error return without exception set\n'
    )
    with _pytest.raises(BoundError, match="DEFAULT_MAX_PDF_MEMORY"):
        worker_output_to_result("bomb.pdf", 1, "", traceback)
    with _pytest.raises(BoundError, match="DEFAULT_MAX_PDF_MEMORY"):
        worker_output_to_result("bomb.pdf", 3, "", "MemoryError\n")
    with _pytest.raises(SourceKindError, match=r"could not be read \(ValueError: bad\)"):
        worker_output_to_result("bad.pdf", 1, "", "Traceback ...\nValueError: bad\n")
    assert worker_output_to_result("ok.pdf", 0, '{"pages": []}\n', "") == {"pages": []}


def _fused_county_table(seed: int, rows: int, k: int, two_digit_share: float):
    """A table of ``rows`` counties and ``k`` columns of one- and two-digit counts, every row fused (no separators), with
    a fused Total row: (its region, spec, the true rows, the Total row's values), all made here from the generator."""
    import random

    rng = random.Random(seed)
    body = [
        [rng.randint(10, 99) if rng.random() < two_digit_share else rng.randint(0, 9) for _ in range(k)]
        for _ in range(rows)
    ]
    total = [sum(r[j] for r in body) for j in range(k)]
    names = [f"County {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(rows)]
    fmt = NumberFormat(None)
    src = [
        SourceRow(Line(n + "".join(map(str, r)), i + 1), n, 100.0, "".join(map(str, r)), glued=True)
        for i, (n, r) in enumerate(zip(names, body))
    ]
    run = "".join(map(str, total))
    src.append(SourceRow(Line("Total" + run, rows + 1), "Total", 100.0, run, glued=True))
    s = spec(columns=tuple(f"c{j}" for j in range(k)), rules=(), values=(*names, "Total"), totals_row="Total")
    return TableRegion("t", src, True), s, fmt, body + [total]


def test_a_fused_table_the_totals_pin_down_is_solved_cell_by_cell():
    """Issue 9's 50x10 case: 50 fused rows of ten one- and two-digit counts under a fused Total row. The Total row alone
    passes the row bound and is read within the bounds the body implies (one reading), but the table search then
    branched on whole rows, found its conflicts only many rows deeper, and ran out of DEFAULT_MAX_TABLE_WORK before one
    solution: all 510 cells were left empty. Branching on cells, the leftmost column first, meets each column's total
    while its choices are made: the table is solved, and only the cells its solutions disagree on stay empty."""
    region_, s, fmt, truth = _fused_county_table(seed=2, rows=50, k=10, two_digit_share=0.05)
    sol = region_to_solution(region_, s, fmt)
    assert all(r.status in ("recovered", "ambiguous") for r in sol.rows), {r.status for r in sol.rows}
    assert sol.rows[-1].status == "recovered" and sol.rows[-1].cells == truth[-1]
    for r, true in zip(sol.rows, truth):
        assert tuple(true) in r.readings  # the truth is among the solutions
        assert all(c is None or c == t for c, t in zip(r.cells, true))  # a determined cell is the truth
    filled = sum(c is not None for r in sol.rows for c in r.cells)
    assert filled >= 0.9 * 510, filled


def test_a_table_too_hard_to_solve_still_publishes_only_what_every_candidate_agrees_on():
    """Where the search does hit DEFAULT_MAX_TABLE_WORK (a 30-row table with more two-digit counts), a cell is still
    written where every candidate left by sound propagation agrees, once one solution shows the totals can be met;
    each such cell is the truth."""
    region_, s, fmt, truth = _fused_county_table(seed=1, rows=30, k=8, two_digit_share=0.1)
    sol = region_to_solution(region_, s, fmt)
    assert any(r.status == "too_ambiguous" for r in sol.rows)
    assert sol.rows[-1].cells == truth[-1]
    for r, true in zip(sol.rows, truth):
        assert all(c is None or c == t for c, t in zip(r.cells, true))


# ----------------------------------------------------------------------------- issue 17: with a rules file


def run_rules(run_cli, tmp_path, doc: str, rules: str, table: str) -> tuple[int, str, list[list[str]], str]:
    """Run ``recover run`` on a text document and its rules; return (status, the table's CSV, its provenance, stderr)."""
    import csv
    import textwrap

    src, path = tmp_path / "doc.txt", tmp_path / "rules.yaml"
    src.write_text(textwrap.dedent(doc), encoding="utf-8")
    path.write_text(textwrap.dedent(rules), encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli("run", src, "--rules", path, "--out", out, "--no-validate")
    prov = list(csv.reader((out / f"{table}.provenance.csv").open(encoding="utf-8")))
    return status, (out / f"{table}.csv").read_text(encoding="utf-8"), prov, err


AGES_RULES = """\
    document: ages
    number_format:
      thousands: "."
    tables:
      - id: ages
        title: "Population by age group"
        header: "Age group Total Men Women"
        label:
          column: age_group
          values: [Under 5, 5 to 9, 10 to 14, Total]
        columns: [total, men, women]
        row_rules:
          - total = men + women
        totals:
          row: Total
    """


def test_a_separator_dash_after_a_label_ending_in_figures_is_not_a_blank(run_cli, tmp_path):
    """`Under 5 - 505` (truth 5 | 0 | 5) was published `5, blank, 505`: the label's own `5` was read as the first cell
    and the separator dash (the seed's `international - 15287` style) as a blank placeholder, so the rule was not
    enforced across the "blank" and women = 505 was published. A label's trailing figures are moved into it only where
    digits followed them; a separator dash then one run must be allowed too: `Under 5` | `- 505`, the run fused."""
    doc = """\
    Population by age group

    Age group Total Men Women
    Under 5 - 505
    5 to 9 - 1.234612622
    10 to 14 - 2.0101.0001.010
    Total 3.2491.6121.637
    """
    status, table, prov, err = run_rules(run_cli, tmp_path, doc, AGES_RULES, "ages")
    assert table == (
        "age_group,total,men,women\nUnder 5,5,0,5\n5 to 9,1234,612,622\n10 to 14,2010,1000,1010\nTotal,3249,1612,1637\n"
    ), err
    assert status == 0, err
    assert [r[8] for r in prov[1:]] == ["[]"] * 4  # no blank on the page


STATES_RULES = """\
    document: states
    tables:
      - id: state
        title: "Data: State by State"
        header: "Missing State Case Status Total"
        label:
          column: state
          values: [Idaho, Kansas, Virginia]
        columns: [active, resolved, total]
        row_rules:
          - total = active + resolved
    """


def test_a_label_with_whole_words_or_letters_left_over_is_another_place(run_cli, tmp_path):
    """`West Virginia2,0424,1016,143` with `Virginia` in the vocabulary (not `West Virginia`) was published as a row
    `Virginia` (score 76), and `Arkansas` as `Kansas` (86): a vocabulary label that is the end of the printed one
    with letters left over is not the same place (a spinner swaps words, it does not add `West`). Both rows keep
    their printed labels, are reported as unmatched, and the run exits 1."""
    doc = """\
    Data: State by State
    Missing State Case Status Total
    Arkansas1,0101,2022,212
    Idaho3001,0001,300
    West Virginia2,0424,1016,143
    """
    status, table, prov, err = run_rules(run_cli, tmp_path, doc, STATES_RULES, "state")
    assert table == (
        "state,active,resolved,total\n"
        "Arkansas,1010,1202,2212\n"
        "Idaho,300,1000,1300\n"
        "West Virginia,2042,4101,6143\n"
        "Kansas,,,\n"  # named by the rules, matched by no line: listed empty (missing), never given a place's numbers
        "Virginia,,,\n"
    )
    assert [(r[3], r[5]) for r in prov[4:]] == [("Kansas", "missing"), ("Virginia", "missing")]
    assert status == 1
    assert "2 row(s) whose label matches no label value, published as printed (line 3, 5)" in err


def test_a_title_line_is_not_a_row_of_a_label_it_shares_no_word_with(run_cli, tmp_path):
    """A title `Table 1` above a table whose vocabulary holds `Total` was read as a row (`table` | `1`: score 60 for
    `total`), so the real totals row repeated a label and was read on its own, its totals unused. A line that shares
    no word with a label and scores below DEFAULT_NO_SHARED_WORD_CUTOFF is no match: the title is no row."""
    doc = """\
    Table 1
    Country Arrivals Nights Total
    Italy1.2003.4004.600
    Spain5006001.100
    Total1.7004.0005.700
    """
    rules = """\
    document: c
    number_format:
      thousands: "."
    tables:
      - id: arrivals
        label:
          column: country
          values: [Italy, Spain, Total]
        columns: [arrivals, nights, total]
        row_rules:
          - total = arrivals + nights
        totals:
          row: Total
    """
    status, table, prov, err = run_rules(run_cli, tmp_path, doc, rules, "arrivals")
    assert table == "country,arrivals,nights,total\nItaly,1200,3400,4600\nSpain,500,600,1100\nTotal,1700,4000,5700\n"
    assert [r[0] for r in prov[1:]] == ["3", "4", "5"]
    assert (status, err) == (0, "")


def test_label_may_be_refuses_places_and_titles_and_keeps_spinner_damage():
    """The matching rule itself: spinner damage and typos still match; another place and a title do not."""
    from recover.labels import label_may_be, normalize

    def may(printed: str, label: str) -> bool:
        from rapidfuzz import fuzz

        a, b = normalize(printed), normalize(label)
        return label_may_be(a, b, fuzz.ratio(a, b))

    assert may("District the Columbia", "District of Columbia")
    assert may("Less 보다 1 come 2", "Less than 1 to 2")
    assert may("Alabma", "Alabama")
    assert may("Totals", "Total")
    assert not may("West Virginia", "Virginia")
    assert not may("Arkansas", "Kansas")
    assert not may("Table 1", "Total")
    assert not may("Table 8", "Italy")


COURT_DOC = """\
    Criminal caseload

    Investigative Matters Received 1,2341,4562,690
    Defendants Charged 8009001,700
    Cases Charged 6007001,300
    Defendants Sentenced 7508501,600
    No Prison Term 100150250
    1-12 Months 200250450
    13-60 Months 300300600
    Over 60 Months 150150300
    """
SENTENCES = """\
  - id: sentences
    label:
      column: sentence
      values: [Defendants Sentenced, No Prison Term, 1-12 Months, 13-60 Months, Over 60 Months]
    columns: [fy2019, fy2020, total]
    row_rules:
      - total = fy2019 + fy2020
    totals:
      row: Defendants Sentenced
"""
COURT_RULES = "document: court\ntables:\n" + SENTENCES


def test_a_line_that_is_one_tables_label_exactly_is_that_tables_row(run_cli, tmp_path):
    """Two tables one after the other without titles: `Defendants Sentenced` (the second table's totals row, exactly)
    also read as a row of the first (`Defendants Charged`, fuzzily), was "left out of both", and the second table's
    totals were lost (35 of 35 cells left empty on the court's page). An exact match in one vocabulary beats a fuzzy
    match in another: only lines both tables match alike are left out."""
    rules = """\
    document: court
    tables:
      - id: charges
        label:
          column: measure
          values: [Investigative Matters Received, Defendants Charged, Cases Charged]
        columns: [fy2019, fy2020, total]
        row_rules:
          - total = fy2019 + fy2020
    """
    import textwrap

    rules = textwrap.dedent(rules) + SENTENCES
    status, table, _, err = run_rules(run_cli, tmp_path, COURT_DOC, rules, "sentences")
    assert table == (
        "sentence,fy2019,fy2020,total\n"
        "Defendants Sentenced,750,850,1600\n"
        "No Prison Term,100,150,250\n"
        "1-12 Months,200,250,450\n"
        "13-60 Months,300,300,600\n"
        "Over 60 Months,150,150,300\n"
    )
    assert (status, err) == (0, "")
    charges = (tmp_path / "out" / "charges.csv").read_text(encoding="utf-8")
    assert "Sentenced" not in charges and charges.count("\n") == 4


def test_a_repeated_label_stays_with_the_line_that_prints_it(run_cli, tmp_path):
    """With the second table alone, `Defendants Charged` (74 points for `Defendants Sentenced`) came first and kept
    the label, and the line that prints it was read on its own: the Charged numbers published as the totals row's.
    The line that matches the label clearly better keeps it; the other keeps its printed label."""
    status, table, _, err = run_rules(run_cli, tmp_path, COURT_DOC, COURT_RULES, "sentences")
    assert table.splitlines()[:3] == [
        "sentence,fy2019,fy2020,total",
        "Defendants Charged,800,900,1700",
        "Defendants Sentenced,750,850,1600",
    ]
    assert status == 1 and "line 4 repeats the label 'Defendants Sentenced' of line 6" in err


def test_a_vocabulary_label_no_line_matched_is_a_missing_row(run_cli, tmp_path):
    """A label of the vocabulary that no line matched was dropped silently: exit 0 and "42 of 42 cells recovered"
    on a page whose 14 rows gave 3. It is a row the page shows (``label.printed: all``, the default): listed in the
    CSV with empty cells, status `missing` and no line in the provenance, named on stderr, exit 1, counted in the
    summary; and since a row of the table went unread, the totals row only bounds the others."""
    rules = COURT_RULES.replace("Over 60 Months]", "Over 60 Months, Probation Only]")
    src, path = tmp_path / "doc.txt", tmp_path / "rules.yaml"
    import textwrap

    src.write_text(textwrap.dedent(COURT_DOC), encoding="utf-8")
    path.write_text(rules, encoding="utf-8")
    status, stdout, err = run_cli("run", src, "--rules", path, "--out", tmp_path / "out", "--no-validate")
    table = (tmp_path / "out" / "sentences.csv").read_text(encoding="utf-8")
    assert table.splitlines()[-1] == "Probation Only,,,"
    prov = (tmp_path / "out" / "sentences.provenance.csv").read_text(encoding="utf-8").splitlines()
    assert prov[-1] == ",,,Probation Only,,missing,0,[],[],,no line of the page matched this label"
    assert status == 1
    assert (
        "table sentences: 1 label(s) of the vocabulary matched no line, listed empty as missing: Probation Only" in err
    )
    assert "of 21 cells recovered, 1 rows missing" in stdout
    assert "Defendants Sentenced,750,850,1600" in table  # its totals now bound the rows read, the row rule reads it


def test_a_vocabulary_the_page_prints_some_of_lists_no_missing_row(run_cli, tmp_path):
    """`printed: some`: the values are a list the page draws from (every state, for a page of a few, as the seed's
    state table): a value no line matches is not on the page, and no row."""
    rules = COURT_RULES.replace("Over 60 Months]", "Over 60 Months, Probation Only]\n      printed: some")
    import textwrap

    src, path = tmp_path / "doc.txt", tmp_path / "rules.yaml"
    src.write_text(textwrap.dedent(COURT_DOC), encoding="utf-8")
    path.write_text(rules, encoding="utf-8")
    status, _, err = run_cli("run", src, "--rules", path, "--out", tmp_path / "out", "--no-validate")
    assert status == 1  # line 4 (Defendants Charged) is no label of the vocabulary
    assert "Probation Only" not in (tmp_path / "out" / "sentences.csv").read_text(encoding="utf-8")
    assert "missing" not in err


def test_the_seed_as_html_paragraphs_keeps_its_grand_total_row(run_cli, tmp_path):
    """The seed printed as an HTML page of <p> lines (`<p>Videos Included Grand total - 3,22015,058,113696,552</p>`,
    the header's last words fused with the totals row, above the title) lost its `Grand Total` row with rules: the
    HTML page sets a blank line around every line, and a table reached above its title only the line right against
    it. On a page spaced so, one blank line above the title is no gap: all 138 cells come back."""
    import html

    from tests.conftest import SEED

    lines = SEED.read_text(encoding="utf-8").splitlines()
    page = tmp_path / "seed.html"
    page.write_text(
        "<html><body>\n" + "\n".join(f"<p>{html.escape(l)}</p>" for l in lines if l.strip()) + "\n</body></html>\n",
        encoding="utf-8",
    )
    status, stdout, err = run_cli("run", page, "--rules", SEED_RULES, "--out", tmp_path / "out", "--no-validate")
    assert "138 of 138 cells recovered" in stdout, err
    for name in ("case_type_status.csv", "age_race.csv", "state.csv", "cvip_requests.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (EXPECTED / name).read_bytes(), name
    assert status == 0, err


def test_a_line_two_tables_read_alike_is_a_row_to_decide_in_each(run_cli, tmp_path):
    """A true tie (a `Total` both vocabularies hold exactly, as near one table's rows as the other's) was "left out of
    both" and gone from both CSVs. It is still no table's row alone (that would publish one table's numbers as the
    other's), but it is a row to decide: each table lists its label empty, status `missing`, showing the line."""
    doc = """\
    Alpha 1 2 3
    Beta 4 5 9
    Total 5 7 12
    Gamma 1 1 2
    Delta 2 2 4
    """
    rules = """\
    document: tie
    tables:
      - id: first
        label: {column: name, values: [Alpha, Beta, Total]}
        columns: [a, b, total]
        row_rules: [total = a + b]
        totals: {row: Total}
      - id: second
        label: {column: name, values: [Gamma, Delta, Total]}
        columns: [a, b, total]
        row_rules: [total = a + b]
        totals: {row: Total}
    """
    status, table, prov, err = run_rules(run_cli, tmp_path, doc, rules, "first")
    assert table == "name,a,b,total\nAlpha,1,2,3\nBeta,4,5,9\nTotal,,,\n"
    assert prov[-1][:6] == ["3", "", "Total 5 7 12", "Total", "100", "missing"]
    second = (tmp_path / "out" / "second.csv").read_text(encoding="utf-8")
    assert second == "name,a,b,total\nGamma,1,1,2\nDelta,2,2,4\nTotal,,,\n"
    assert status == 1 and "table second: line 3 also reads as a row of table first: left out of both" in err


def test_a_bad_printed_value_is_one_line_naming_the_key(run_cli, tmp_path):
    """`label.printed` takes `all` (the default: each value is a row) or `some`; anything else is a bad rules file."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(COURT_RULES.replace("Over 60 Months]", "Over 60 Months]\n      printed: maybe"), encoding="utf-8")
    status, out, err = run_cli("check", rules)
    assert (status, out) == (2, "")
    assert err == f"{rules}:7: tables[0].label.printed: 'maybe' is not one of 'all' or 'some' [rules-bad-value]\n"


def test_a_title_between_blank_lines_never_reaches_the_table_above(run_cli, tmp_path):
    """One blank line above a title is no gap only on a page that spaces every line (HTML <p> lines, the rows under
    the title spaced too); on a text page the `Total` of the table above, past a blank line, is not this table's."""
    doc = """\
    Crimes
    Burglary 1 2 3
    Total 1 2 3

    Table 2: Ages

    Under 18 4 5 9
    18 and over 1 1 2
    """
    rules = """\
    document: sp
    tables:
      - id: ages
        title: "Table 2: Ages"
        label: {column: age, values: [Under 18, 18 and over, Total]}
        columns: [a, b, total]
        row_rules: [total = a + b]
        totals: {row: Total}
    """
    status, table, _, _ = run_rules(run_cli, tmp_path, doc, rules, "ages")
    assert table == "age,a,b,total\nUnder 18,4,5,9\n18 and over,1,1,2\nTotal,,,\n"
    assert status == 1


def test_currency_signs_are_decoration_and_boundaries(run_cli, tmp_path):
    """Recall given back (issue 17): a grant budget printing `$45,000` kept 6 of its 40 cells: a token with a currency
    sign was no number, so the row's numbers stopped at the last `$` (`Personnel $45,000 $47,250 $` published as a
    label). A currency sign is never part of a number, and it starts one: `Personnel$45,000$47,250$92,250` is three
    cells, whatever their digits; a sign printed alone is decoration that no two numbers join across."""
    from recover.numbers import NumberFormat, RowLattice, text_to_pieces

    def read(tail: str, k: int, fmt: NumberFormat) -> list:
        pieces = text_to_pieces(tail, fmt, True)
        assert pieces is not None, tail
        return RowLattice(pieces, k, fmt).readings()[0]

    assert read("$45,000$47,250$92,250", 3, COMMA) == [(45000, 47250, 92250)]
    assert read("$ 93,736 $ (765)", 2, COMMA) == [(93736, -765)]
    assert read("($700) -$5", 2, COMMA) == [(-700, -5)]
    assert read("45.000€ 7.000€", 2, NumberFormat(".")) == [(45000, 7000)]
    assert read("1 234 $ 5 678", 2, NumberFormat(" ")) == [(1234, 5678)]
    doc = """\
    Project Budget
    Category Year 1 Year 2 Total
    Personnel$45,000$47,250$92,250
    Fringe Benefits $13,500 $14,175 $27,675
    Travel$2,400$2,400$4,800
    Supplies $1,100 $600 $1,700
    Total$62,000$64,425$126,425
    """
    rules = """\
    document: grant
    tables:
      - id: budget
        title: "Project Budget"
        label: {column: category, values: [Personnel, Fringe Benefits, Travel, Supplies, Total]}
        columns: [year_1, year_2, total]
        row_rules: [total = year_1 + year_2]
        totals: {row: Total}
    """
    status, table, _, err = run_rules(run_cli, tmp_path, doc, rules, "budget")
    assert table == (
        "category,year_1,year_2,total\n"
        "Personnel,45000,47250,92250\n"
        "Fringe Benefits,13500,14175,27675\n"
        "Travel,2400,2400,4800\n"
        "Supplies,1100,600,1700\n"
        "Total,62000,64425,126425\n"
    )
    assert (status, err) == (0, "")
