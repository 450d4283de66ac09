"""Properties of where a run-together row's label ends and its numbers start, end to end.

A row printed with its label and its numbers glued (``Endangered Runaway2,04225,03027,072``, ``TotalEU-151.178``,
``15 come 191.010505505``) is parted by ``labels.split_tail`` and ``locate`` (the label's own figures may start the
run), then read by the solver and by zero-config. The tables below have labels that end in figures, hyphens, codes
or dashes, rows whose numbers run on glued to them, and a true column relation (``c = a + b`` or a totals row), so
zero-config reads them. Whatever is read: every published cell is the page's own (or empty), never a number formed
from a label's figures and the row's digits, and every published label is one the page printed on that line.

The documents are written here with a formatter of the test's own (``_fmt``), not the project's.

Known limits the generators leave out (found by these properties, not fixed): a placeholder glued to the figures
after it (``EU-15-10``, ``EU-15—10``: a blank then 10) is misread (``-`` as a minus sign), and where no reading then
meets the totals the row is read alone (``0511.91 Prod.-1100`` published 0 where the page printed 100; ``EU-15—10``
published 1 and 0; ``EU-15- 10``, the placeholder glued to the label's figures, published 1 and 0: placeholders are
printed here in spaced rows only, never a whole row of them: zero-config cut ``Class 21`` / ``Ireland ..`` /
``EU-151`` / ``Total2`` at the placeholder row and published ``Class`` 21 from one row); without a vocabulary, a label's figures glued to a first cell that prints its marks among cells
the spaces keep (``Class 20.0 0.0``) are the cell's.
"""

from __future__ import annotations

import csv
import os
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import recover
from recover.model import BLANK
from tests.test_rules_real import run_rules

#: Examples per property: few in CI (each example reads a document end to end); set PARTING_EXAMPLES for a long run.
#: (Each zero-config example infers a table's rules, up to half a second on a busy machine; CI keeps each test
#: under 2 s. Long runs: ``PARTING_EXAMPLES=60 pytest tests/test_parting.py --hypothesis-seed=N``.)
EXAMPLES = int(os.environ.get("PARTING_EXAMPLES", "2"))

#: Labels that end in figures, hyphens, codes or dashes, beside plain ones (a table needs some to be found).
ODD_LABELS = [
    "EU-15",
    "EU-12",
    "Class 2",
    "Class 23",
    "0511.91 Prod.",
    "15 to 19",
    "20 to 24",
    "Under 5",
    "Area C2",
    "Group A-1",
    "Zone 7",
    "Type B -",
    "Sector 12-",
    "Total EU-",
    "15 come 19",
    "Route 66",
]
PLAIN_LABELS = ["Ireland", "Spain", "Endangered Runaway", "Family Abduction", "Norway", "Others"]
TOTAL_LABELS = ["Total", "Total EU-15", "TotalEU-12", "Grand total 2", "Total EU-"]

#: Placeholders pages print for a blank cell.
PLACEHOLDERS = ["-", "..", "...", "n/a", "—"]

#: The formats pages print: (thousands mark, decimal mark).
FORMATS = [(",", "."), (".", ","), (" ", ","), (",", None), (".", None)]


def _fmt(value: int, places: int, thousands: str, decimal: str | None) -> str:
    """Given a value in units of 10**-places, return it as a page prints it: thousands marked from 1,000 on."""
    whole, frac = divmod(value, 10**places) if places else (value, 0)
    digits = str(whole)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    text = thousands.join(groups)
    if places:
        assert decimal is not None
        text += decimal + str(frac).rjust(places, "0")
    return text


def _beyond_model(label: str, printed: list[str], cell_sep: str) -> bool:
    """Whether a label glued to its row prints something no reader without the vocabulary can part: a dash after a
    space before figures (``Type B -1``: a minus sign), figures glued to a letter (``Area C2000``: ``Spain268`` is
    Spain and 268, never ``Spain2``), or a label's figures glued to a first cell printing its marks among cells the
    spaces keep (``Class 20.0 0.0``: the token ``20.0`` is one printed number). The rules property prints them all."""
    if re.search(r"\s[-–—]$", label) or re.search(r"[^\W\d_]\d+$", label):
        return True
    return bool(re.search(r"\s\d+$", label)) and bool(cell_sep) and not printed[0].isdigit()


@st.composite
def parted_tables(draw, max_rows: int = 6, model: bool = False):
    """A table whose rows run their numbers on glued to labels that may end in figures: (document text, the number
    format, places, column names, rows as (label, values or None per cell, printed line)), the relation it keeps
    ("rule": last = sum of the others; "totals": a last row adding up the rows above), and each row's line number.
    With ``model``, a label is glued to its row only where a reader without the vocabulary can part them at all
    (``_beyond_model``)."""
    thousands, decimal = draw(st.sampled_from(FORMATS))
    places = draw(st.sampled_from([0, 1, 2])) if decimal else 0
    relation = draw(st.sampled_from(["rule", "totals"]))
    k = draw(st.integers(2, 3)) if relation == "rule" else draw(st.integers(1, 3))
    n = draw(st.integers(3, max_rows))
    pool = ODD_LABELS + PLAIN_LABELS
    labels = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n, unique=True))
    # mostly non-zero (a relation met by zeros only is no evidence: zero-config would read nothing); a 0 of a totals
    # table may be printed as a placeholder below
    big = st.one_of(st.integers(1, 99), st.integers(100, 9_999), st.integers(10_000, 2_000_000), st.just(0))
    values: list[list[int]] = []
    for _ in range(n):
        row = [draw(big) for _ in range(k - 1 if relation == "rule" else k)]
        if relation == "rule":
            row.append(sum(row))
        values.append(row)
    if relation == "totals":
        total_label = draw(st.sampled_from([t for t in TOTAL_LABELS if t not in labels]))
        labels.append(total_label)
        values.append([sum(col) for col in zip(*values)])
    names = ["Active", "Closed", "Pending"][: k - 1] + ["Total"] if k > 1 else ["Enquiries"]
    lines = ["Cases by category and status", "Category " + " ".join(names)]
    rows = []
    for r, (label, vals) in enumerate(zip(labels, values)):
        label_sep = draw(st.sampled_from(["", " "]))
        cell_sep = draw(st.sampled_from(["", " "]))
        # a cell the page left blank with a placeholder (``Ireland20......``, ``Under 5 - 505``), where its value is 0
        # so the relation and the totals still hold; never in the totals row
        blank = [v == 0 and r < n and relation == "totals" and draw(st.booleans()) for v in vals]
        printed = [
            draw(st.sampled_from(PLACEHOLDERS)) if b else _fmt(v, places, thousands, decimal)
            for v, b in zip(vals, blank)
        ]
        if all(blank):
            blank = [False] * len(blank)  # a row of placeholders only is a known limit (the module's docstring)
        if any(blank):
            label_sep = cell_sep = " "  # a placeholder glued to figures is a known limit (the module's docstring)
        run = cell_sep.join(printed)
        if label_sep and len(printed) > 1 and _one_number(run, thousands, decimal):
            label_sep = ""  # after a space, a token that reads as one number is one cell (a printed 16 is not split)
        if model and not label_sep and _beyond_model(label, printed, cell_sep):
            label_sep = " "
        text = label + label_sep + run
        lines.append(text)
        truth = [None if b else Decimal(v).scaleb(-places) if places else v for v, b in zip(vals, blank)]
        rows.append((label, truth, text, len(lines)))
    doc = "\n".join(lines) + "\n"
    return doc, (thousands, decimal), places, names, rows, relation


def _one_number(text: str, thousands: str, decimal: str | None) -> bool:
    """Whether a token reads as one number under the format: thousands marked from 1,000 on, then any decimals."""
    t, d = re.escape(thousands), re.escape(decimal or "")
    return (
        re.fullmatch(rf"(?:0|[1-9]\d{{0,2}}(?:{t}\d{{3}})*)" + (rf"(?:{d}\d+)?" if decimal else ""), text) is not None
    )


def _printed_labels(label: str) -> set[str]:
    """Given a label as the page printed it, return the spellings of it a run may publish: as printed, with a dangling
    dash or space dropped (``Total EU-`` as ``Total EU``), or with its last figures left off where they are in doubt
    (``15 to 19`` as ``15 to``, ``EU-15`` as ``EU``: the part every parting shares)."""
    out = {label, label.strip(), _clean(label)}
    for i in range(1, len(label)):
        if label[i].isdigit() and not label[i - 1].isdigit() and re.fullmatch(r"[\d\s\-–—]+", label[i:]):
            out.add(_clean(label[:i]))
    return out - {""}


def _clean(label: str) -> str:
    return re.sub(r"[\s\-–—]+$", "", label).strip()


def _check_zero_config(tmp_path: Path, table) -> None:
    doc, _, _, _, rows, _ = table
    path = tmp_path / "doc.txt"
    path.write_text(doc, encoding="utf-8")
    result = recover.read(path)
    by_line = {line: (label, truth, text) for label, truth, text, line in rows}
    published = 0
    for sol in result.solutions:
        numeric = [j for _, j, text in sol.published_columns() if not text]
        for r in sol.rows:
            if r.status == "duplicate" or not r.row.line.number:
                continue
            line = r.row.line.number
            assert line in by_line, (line, r.row.label, doc)
            label, truth, text = by_line[line]
            assert r.row.label in _printed_labels(label), (r.row.label, text, doc)
            cells = [r.cells[j] for j in numeric]
            got = [c for c in cells if c is not None and c is not BLANK]
            if not got:
                continue
            assert len(cells) == len(truth), (text, cells, truth, doc)
            for c, t in zip(cells, truth):
                assert c is None or c is BLANK or c == t, (text, cells, truth, doc)
            published += len(got)
    event("cells published" if published else "nothing published")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=parted_tables(model=True))
def test_zero_config_publishes_only_printed_cells_and_labels(tmp_path: Path, table) -> None:
    """Zero-config on a table whose labels end in figures, hyphens or codes and whose numbers run on glued to them:
    every published cell is the page's (or empty), every published label is the one its line printed."""
    _check_zero_config(tmp_path, table)


@st.composite
def ruled_tables(draw):
    """A parted table and its rules file naming the vocabulary, the columns, the rule and the totals row."""
    table = draw(parted_tables())
    _, (thousands, decimal), places, names, rows, relation = table
    cols = [f"c{j + 1}" for j in range(len(names))]
    labels = ", ".join('"' + label + '"' for label, _, _, _ in rows)
    fmt = f'{{thousands: "{thousands}"' + (f', decimal: "{decimal}"' if decimal else "") + "}"
    rules = [
        "document: parting",
        f"number_format: {fmt}",
        "tables:",
        "  - id: t",
        f"    label: {{column: category, values: [{labels}]}}",
        f"    columns: [{', '.join(cols)}]",
    ]
    if places:
        rules.append("    column_types: {" + ", ".join(f"{c}: decimal {places}" for c in cols) + "}")
    if relation == "rule":
        rules.append(f'    row_rules: ["{cols[-1]} = {" + ".join(cols[:-1])}"]')
    else:
        rules.append(f'    totals: {{row: "{rows[-1][0]}"}}')
    return table, "\n".join(rules) + "\n"


def _check_rules(run_cli, tmp_path: Path, table, rules: str) -> None:
    doc, _, _, _, rows, _ = table
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli(
        "run", tmp_path / "doc.txt", "--rules", tmp_path / "rules.yaml", "--out", out, "--no-validate"
    )
    assert status in (0, 1), err
    truth = {label: values for label, values, _, _ in rows}
    lines = (out / "t.csv").read_text(encoding="utf-8").splitlines()[1:]
    published = 0
    for line in lines:
        label, *cells = next(csv.reader([line]))
        assert label in truth, (label, doc, rules)
        for c, t in zip(cells, truth[label], strict=True):
            assert c == "" or (t is not None and Decimal(c) == Decimal(t)), (label, cells, truth[label], doc, rules)
            published += c != ""
    assert len(lines) == len(rows), (lines, doc)  # every row the page shows, once
    event("cells published" if published else "nothing published")


@settings(max_examples=EXAMPLES + 2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ruled=ruled_tables())
def test_rules_naming_the_vocabulary_publish_only_printed_cells(run_cli, tmp_path: Path, ruled) -> None:
    """The same tables with a rules file naming the vocabulary, the columns and the relation: every determined cell
    is the page's."""
    table, rules = ruled
    _check_rules(run_cli, tmp_path, table, rules)


# The reduced examples the properties found, each a fixed test.


def _read_rows(tmp_path: Path, doc: str) -> dict[str, list]:
    """Given a document's text, return its rows read zero-config: line text -> (label, cells; None where empty)."""
    path = tmp_path / "doc.txt"
    path.write_text(doc, encoding="utf-8")
    out = {}
    for sol in recover.read(path).solutions:
        for r in sol.rows:
            if r.row.line.number:
                out[r.row.line.text] = [r.row.label, *[None if c is BLANK else c for c in r.cells]]
    return out


def test_a_labels_figures_glued_after_a_letter_are_joined_without_a_space(tmp_path: Path) -> None:
    """``Area C2 000``: a label whose last figures are in doubt took them after a space (``_label_joined``): the row
    was published as ``Area C 2``, a label the page does not show. The figures follow the label as printed."""
    doc = "Cases by category and status\nCategory Active Closed Total\nArea C2 000\nEU-15000\nClass 20 0 0\n"
    rows = _read_rows(tmp_path, doc)
    assert rows.get("Area C2 000", ["Area C2"])[0] in ("Area C2", "Area C")


def test_rows_sharing_a_label_in_doubt_settle_together(tmp_path: Path) -> None:
    """``Class 20`` and ``Class 230`` under their totals row ``Total EU-0``: both rows were read as the label ``Class``
    (their last figures in doubt); the totals pinned ``Class 2`` | 0 and ``Class 23`` | 0, but the first row settled
    alone replaced the shared label with ``Class 2``, and the rules re-read ``Class 230`` as ``Class 2`` and 30 (read
    on its own as a repeat): a number the page does not print. Rows sharing a label in doubt settle only together."""
    doc = (
        "Cases by category and status\nCategory Enquiries\nClass 20\nClass 230\nTotal EU-0\nEndangered Runaway2\n"
        "15 to 190\nTotal 2\n"
    )
    rows = _read_rows(tmp_path, doc)
    assert rows["Class 230"][1] in (0, None)
    assert rows["Class 230"][0] in ("Class 23", "Class")
    assert rows["Class 20"][1] in (0, None)


def test_a_hyphened_or_ranged_labels_figures_may_start_a_spaced_row(tmp_path: Path) -> None:
    """``EU-151 2 3`` and ``20 to 241 3 4`` (labels ``EU-15`` and ``20 to 24``) in a table whose spaces keep its
    cells: the label's figures were tried as a prefix of the first token only where that token was no one number, so
    the rows were read as ``EU`` | 151 2 3 and ``20 to`` | 241 3 4, and 151 and 241 were published (the count told by
    the spaced rows, no rule needed): numbers formed from a label's figures and a cell's. After a hyphen, or a space
    before plain figures, the first token's leading figures may be the label's; the rule (Total = Active + Closed)
    and the totals row then read 1 2 3 and 1 3 4 (hand check: 3 + 1 + 1 + 4 = 9, 5 + 2 + 3 + 4 = 14)."""
    doc = (
        "Cases by category and status\nCategory Active Closed Total\nIreland 3 5 8\nEU-151 2 3\n20 to 241 3 4\n"
        "Spain 4 4 8\nTotal 9 14 23\n"
    )
    rows = _read_rows(tmp_path, doc)
    assert rows["EU-151 2 3"] == ["EU-15", 1, 2, 3]
    assert rows["20 to 241 3 4"] == ["20 to 24", 1, 3, 4]
    assert rows["Total 9 14 23"] == ["Total", 9, 14, 23]
    # the reduced example the property found: read or not, 151 and 242 are never published
    doc = (
        "Cases by category and status\nCategory Active Total cases\nFamily Abduction1 1\nEU-151 1\nClass 2 22\n"
        "20 to 242 2\n"
    )
    rows = _read_rows(tmp_path, doc)
    assert rows.get("EU-151 1", [None, None, None])[1:] in ([1, 1], [None, 1], [None, None])
    assert rows.get("20 to 242 2", [None, None, None])[1:] in ([2, 2], [None, 2], [None, None])


def test_a_labels_last_figure_may_start_a_spaced_rows_first_cell(tmp_path: Path) -> None:
    """``Zone 71 2 3`` (the label ``Zone 7``, cells 1 2 3) among rows whose cells the spaces keep: only ``Zone`` | 71 2
    3 and ``Zone 71`` | 2 3 were read, and 71 was published where ``Zone 7`` | 1 2 3 meets the rule as well. After a
    space, the first token's leading figures may be the label's where it prints plain figures; the rule, read on the
    other rows, then picks 1 2 3 (and ``Zone 70 0 0``, the reduced example, never publishes 70)."""
    doc = (
        "Cases by category and status\nCategory Active Closed Total\nZone 71 2 3\nIreland 4 4 8\nSpain 1 2 3\n"
        "Norway 5 6 11\n"
    )
    assert _read_rows(tmp_path, doc)["Zone 71 2 3"] == ["Zone 7", 1, 2, 3]
    doc = (
        "Cases by category and status\nCategory Active Closed Total cases\nEU-15000\nZone 70 0 0\nEU-12000\n"
        "Family Abduction 0 0 0\n"
    )
    assert _read_rows(tmp_path, doc).get("Zone 70 0 0", [None, None])[1] in (0, None)


def test_a_labels_own_figures_printed_apart_are_no_column(tmp_path: Path) -> None:
    """Every row's label ends in figures printed apart (``15 to 19 1 2 3``, ``Class 2 4 4 8``): the parting that
    moves them into the label was read glued (its first cell a run), so it gave no reading the spaces keep, every row
    "kept its boundaries" as 4 cells, and the labels' figures were published as a first column (19, 2, 5, 66) under
    the labels ``15 to``, ``Class``: numbers and labels the page does not print. Whole tokens moved leave the next
    printed whole; the rule Total = Active + Closed then reads 3 columns (and the reduced example ``Class 2 0 0 0``
    is not read as 4)."""
    doc = (
        "Cases by category and status\nCategory Active Closed Total\n15 to 19 1 2 3\nClass 2 4 4 8\nUnder 5 2 3 5\n"
        "Route 66 1 6 7\n"
    )
    rows = _read_rows(tmp_path, doc)
    assert list(rows.values()) == [
        ["15 to 19", 1, 2, 3],
        ["Class 2", 4, 4, 8],
        ["Under 5", 2, 3, 5],
        ["Route 66", 1, 6, 7],
    ]
    doc = "Cases by category and status\nCategory Active Closed Total\nClass 23000\n15 to 19 0 0 0\nClass 2 0 0 0\n"
    assert all(len(cells) == 4 for cells in _read_rows(tmp_path, doc).values())


def test_a_figure_glued_to_a_letter_before_a_space_may_end_the_label(tmp_path: Path) -> None:
    """(Found by the property on this branch's first fix, not on main.) ``Area C2 1110`` (the label ``Area C2``, cells
    1 1 10) above a totals row: the figure glued to the letter was no
    longer tried as the label's, so every reading began with 2 and 2 was published as its first cell. The label may
    take it (as in base ``Under 18 412``), except before a space that groups thousands, where it begins a number
    (``River Valley1 2004``: 1 200 and 4); the rows whose partings read as runs then tell no count, and the table is
    not read (hand check of the truth: 1 + 1 + 1 + 1 + 10,000 = 10,004; 0 + 1 + 0 + 1 + 1 = 3; 0 + 1 + 1 + 10 + 1 =
    13)."""
    doc = (
        "Cases by category and status\nCategory Active Closed Total\nEU-15 1 0 0\nEU-12 1 1 1\nGroup A-1101\n"
        "Area C2 1110\nClass 2 10,000 1 1\nTotal10,004313\n"
    )
    row = _read_rows(tmp_path, doc).get("Area C2 1110")
    assert row is None or (row[1:] in ([1, 1, 10], [None, None, None]) and row[0] in ("Area C2", "Area C"))


def test_a_row_whose_partings_read_as_runs_tells_no_count(tmp_path: Path) -> None:
    """(Found by the property on this branch's first fix, not on main.) ``EU-150 0`` (``EU-15`` and 0 0), ``Class 21
    1`` (``Class 2`` and 1 1): of ``EU-150 0``'s partings only
    ``EU-150`` | 0 printed its cells whole, the others start with a run; the count was taken from that one alone (1
    column), and the labels ``EU-150`` and ``Class 21`` were published with one cell each: labels and a reading the
    page does not show. A parting read as a run adds the counts it may read as; no count is the only one, and no
    rule or totals row tells one: not read."""
    doc = "Cases by category and status\nCategory Active Total\nEU-150 0\nClass 21 1\n15 to 1911\n"
    rows = _read_rows(tmp_path, doc)
    assert rows.get("EU-150 0", ["EU-15"])[0] in ("EU-15", "EU")
    assert rows.get("Class 21 1", ["Class 2"])[0] in ("Class 2", "Class")


def test_a_label_two_labels_normalize_alike_keeps_its_partings(tmp_path: Path) -> None:
    """``TotalEU-121,000,0001010`` (``TotalEU-12`` and 1,000,000 10 10) in a table that also prints ``Total EU- 1 1
    0``: the label in doubt ``TotalEU`` took the partings ``TotalEU-1`` and ``TotalEU-12`` as aliases, but the parting
    that keeps no figure (``TotalEU-``) normalizes like the other label ``Total EU``, so it was no spelling of one
    label, the row was read under it alone, and 121,000,000 was published: the label's figures 12 in a number. The
    variant that won the label is read beside the other partings."""
    doc = (
        "Cases by category and status\nCategory Active Closed Total\nTotal EU- 1 1 0\nEU-15 - 7 0\nEU-12999,99701\n"
        "Class 21 1 1\nClass 23118\nTotalEU-121,000,0001010\n"
    )
    row = _read_rows(tmp_path, doc).get("TotalEU-121,000,0001010")
    assert row is None or row[1] in (1_000_000, None)


def test_a_vocabulary_labels_figures_are_never_a_cell(run_cli, tmp_path: Path) -> None:
    """The property's reduced examples: ``Sector 12-11`` under ``Sector 12-`` (cells 1 1) was read as 12 and -11;
    ``Class 2-1`` under ``Class 2`` (a ``-`` placeholder, then 1) as 2 and -1: the label's figures published as
    cells, because no reading moved them into the label (the dash after them, or the dash after them being a
    cell's). Hand check: 1 + 1 + 1 = 3."""
    doc = "Cases\nCategory Active Total\nEU-1511\nEU-1211\nSector 12-11\nTotal33\n"
    rules = (
        'document: parting\nnumber_format: {thousands: ","}\ntables:\n  - id: t\n'
        '    label: {column: category, values: ["EU-15", "EU-12", "Sector 12-", "Total"]}\n'
        '    columns: [c1, c2]\n    totals: {row: "Total"}\n'
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, csvs, _, err = run_rules(run_cli, tmp_path / "a", doc, rules)
    assert csvs["t"] == "category,c1,c2\nEU-15,1,1\nEU-12,1,1\nSector 12-,1,1\nTotal,3,3\n", err
    doc = "Cases\nCategory Active Total\nEU-1501\nEU-1201\nClass 2-1\nTotal03\n"
    rules = rules.replace('"Sector 12-"', '"Class 2"')
    _, csvs, _, err = run_rules(run_cli, tmp_path / "b", doc, rules)
    assert "Class 2,2" not in csvs["t"] and ",-1" not in csvs["t"], csvs["t"]


def test_a_vocabulary_labels_dash_is_no_minus_sign(run_cli, tmp_path: Path) -> None:
    """``Type B -1 0 0`` under the rules label ``Type B -``: the label's dash was read as a minus sign and -1
    published, a number the page printed as 1 (its totals left open by an unreadable row). A spelling ending in a
    dash is read with the dash moved into the label too, so the cell is 1 or left empty, never -1. And ``Sector
    12-11`` under ``Sector 12-`` was read as ``Sector`` and 12, -11 (the label's figures and dash as cells): a
    spelling's figures, with a dash after them, are moved into the label, and a reading that leaves them as the
    row's first cell is never that spelling's."""
    doc = "Cases\nCategory Active Closed Total\nEU-15000\nSector 12-000\nType B -1 0 0\nEU-12000\nTotal100\n"
    rules = (
        'document: parting\nnumber_format: {thousands: ","}\ntables:\n  - id: t\n'
        '    label: {column: category, values: ["EU-15", "Sector 12-", "Type B -", "EU-12", "Total"]}\n'
        '    columns: [c1, c2, c3]\n    totals: {row: "Total"}\n'
    )
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    status, _, err = run_cli(
        "run", tmp_path / "doc.txt", "--rules", tmp_path / "rules.yaml", "--out", tmp_path / "out", "--no-validate"
    )
    csv_text = (tmp_path / "out" / "t.csv").read_text(encoding="utf-8")
    # hand-read: the dash and ``Sector 12-``'s figures are the labels'; 0 + 0 + 1 + 0 = 1
    assert csv_text == "category,c1,c2,c3\nEU-15,0,0,0\nSector 12-,0,0,0\nType B -,1,0,0\nEU-12,0,0,0\nTotal,1,0,0\n"
    assert status == 0, err
