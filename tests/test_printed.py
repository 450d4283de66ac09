"""Tables whose cells the page kept (recover.printed): read cell by cell, with no rule, as pandas.read_html and Camelot
read them (issue: "Real documents: read every table a peer reads").

Fixtures are reduced from real pages (the files in ../shared/corpora/html-dev/ and icdar2013-eu/), keeping the page's
own markup; expected values are written by hand from the page.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recover
from recover.model import BLANK
from recover.numbers import NumberFormat
from recover.printed import cells_to_format, printed_to_cell

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
US = NumberFormat(",", ".")


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("$ 93,736", 93736),
        ("$9.05", Decimal("9.05")),
        ("(765)", -765),
        ("$ (1,511)", -1511),
        ("−8.0", Decimal("-8.0")),
        ("-13.15", Decimal("-13.15")),
        (".364", Decimal("0.364")),
        ("12.5%", Decimal("12.5")),
        ("1,234.5", Decimal("1234.5")),
        ("250,697,455", 250697455),
        ("2011", 2011),  # a printed 2011 is one number, never 2, 0, 1, 1
        ("1.", 1),  # a rank
        ("500*", 500),
        ("7a", 7),
        ("+5", 5),
        ("—", BLANK),
        ("", BLANK),
        ("n/a", BLANK),
    ],
)
def test_a_printed_cell_reads_as_the_number_the_page_printed(printed: str, value: object) -> None:
    """Number forms real pages print (issue 15): ``.364`` rows vanished, ``$9.05`` was split into 9.0 and 5."""
    got, _ = printed_to_cell(printed, US)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("printed", ["13:00", "<0.1", "1 2", "Febuary 2011", "10-12", "1,23", "100 million", "(D"])
def test_a_printed_cell_that_is_not_one_number_is_none(printed: str) -> None:
    """A cell that printed a time, a bound, two numbers or words is never made a number (issue 15: 'Febuary 2011'
    became a row with cells 2, 0, 1, 1)."""
    assert printed_to_cell(printed, US)[0] is None


def test_the_format_of_a_table_comes_from_its_cells_not_its_labels() -> None:
    """A label such as ``1,2-dichloroethane`` printed beside ``0,1`` says nothing of the format (eu-001's table read
    ``.`` thousands from its labels)."""
    fmt, _ = cells_to_format(["1,2-dichloroethane (EDC)", "1,1,1-trichloroethane", "0,1", "1 000"], NumberFormat())
    assert fmt.decimal == "," and fmt.thousands == " "
    fmt, _ = cells_to_format(["$ 93,736", "(1,511)", "9.05"], NumberFormat(None))
    assert (fmt.thousands, fmt.decimal) == (",", ".")


def test_a_figure_starting_with_a_lone_zero_decides_the_decimal_mark() -> None:
    """eu-007.pdf p.2 (ICDAR 2013): `Budget Coefficient for Coffee, 0.323 0.272 0.265 0.290 0.340 0.346` under a
    header of years. The document groups thousands with `.` (`6 digit groups after '.'`) and `0.323` decided nothing
    (three figures after the mark), so under the document's format no cell was a number and the table's one row was
    dropped. No group of thousands starts with a lone 0: `0.323` is read only with `.` as the decimal mark, `0,323`
    only with `,`. Cells copied from the page."""
    fmt, _ = cells_to_format(["0.323", "0.272", "0.265", "0.290", "0.340", "0.346"], NumberFormat(".", None))
    assert (fmt.thousands, fmt.decimal) == (",", ".")
    assert printed_to_cell("0.290", fmt)[0] == Decimal("0.290")
    fmt, _ = cells_to_format(["0,323", "0,272"], NumberFormat(",", "."))
    assert fmt.decimal == ","
    # a thousands group after a figure other than a lone 0 still decides nothing
    assert cells_to_format(["1.323", "10.272"], NumberFormat(".", None))[0] == NumberFormat(".", None)


NYSE = """<html><body>
<table class="autocompleteContainer"><tbody><tr><td><div>SEARCH</div></td></tr></tbody></table>
<table class="mdcTable" width="100%"><tbody><tr>
  <td class="colhead"> </td>
  <td class="colhead">Issue<span class="textb10gray">(Roll over for charts and headlines)</span></td>
  <td class="colhead">Volume</td><td class="colhead">Price</td><td class="colhead">Chg</td><td class="colhead">% Chg</td>
</tr><tr>
  <td class="num">1</td>
  <td class="text"><a class="linkb" href="/q?JCP">J.C. Penney (JCP)
  </a></td>
  <td align="right" class="num">250,697,455</td><td class="nnum">$9.05</td><td class="nnum">-1.37</td>
  <td class="nnum">-13.15</td>
</tr><tr>
  <td class="num">2</td><td class="text"><a href="/q?BAC">Bank of America (BAC)</a></td>
  <td class="num">77,162,103</td><td class="nnum">$13.90</td><td class="nnum">-0.18</td><td class="nnum">-1.28</td>
</tr><tr>
  <td class="num">3</td><td class="text"><a href="/q?RAD">Rite Aid (RAD)</a></td>
  <td class="num">52,140,382</td><td class="nnum">$4.70</td><td class="nnum">.364</td><td class="nnum">8.40</td>
</tr></tbody></table></body></html>
"""


def test_a_stock_table_is_read_cell_by_cell_and_no_printed_cell_is_split(tmp_path: Path) -> None:
    """pandas' nyse_wsj.html, reduced: ``J.C. Penney (JCP)`` had ``250,697,455 $`` folded into its label and ``$9.05``
    published as 9.0 and 5, status recovered. A table whose cells the page kept needs no rule: rank, volume, price,
    change and % change come back as printed, ``.364`` included."""
    page = tmp_path / "nyse.html"
    page.write_text(NYSE, encoding="utf-8")
    result = recover.read(page)
    assert list(result.tables) == ["table_1"]
    df = result.tables["table_1"]
    assert list(df.index) == ["J.C. Penney (JCP)", "Bank of America (BAC)", "Rite Aid (RAD)"]
    assert list(df.columns) == ["c1", "volume", "price", "chg", "chg_2"]
    row = df.loc["J.C. Penney (JCP)"]
    assert [row["c1"], row["volume"], row["price"], row["chg"], row["chg_2"]] == [
        1,
        250697455,
        Decimal("9.05"),
        Decimal("-1.37"),
        Decimal("-13.15"),
    ]
    assert df.loc["Rite Aid (RAD)", "chg"] == Decimal("0.364")
    assert result.report == []


MEDIEVAL = """<html><body><h2>Population</h2>
<table class="wikitable sortable">
<thead><tr><th>Year</th><th>Total European population,<br>millions</th><th>Absolute growth per century,<br>%</th>
<th>Note</th></tr></thead>
<tbody>
<tr><td>1000</td><td>56.4</td><td>—</td><td>first</td></tr>
<tr><td>1100</td><td>62.1</td><td>10.1</td><td></td></tr>
<tr><td>1350</td><td>70.7</td><td>−8.0</td><td>plague</td></tr>
<tr><td>1400</td><td>&lt;0.1</td><td>−0.8</td><td></td></tr>
</tbody></table>
<table class="wikitable">
<thead><tr><th>Country/Region</th><th>1000</th><th>1100</th></tr></thead>
<tbody>
<tr><td>German Empire <sup>[a]</sup></td><td>5.4</td><td>6.4</td></tr>
<tr><td>France</td><td>9</td><td>11</td></tr>
<tr><td>England and Wales</td><td>1.6</td><td>1.8</td></tr>
<tr><th>Total</th><th>16.0</th><th>19.2</th></tr>
</tbody></table></body></html>
"""


def test_a_wikipedia_population_table_keeps_blanks_negatives_text_and_its_total(tmp_path: Path) -> None:
    """Wikipedia's Medieval demography, reduced: year columns named by a header of years, ``—`` a blank, ``−8.0`` a
    negative, ``<0.1`` not a number (left empty, said), a text column published as printed, and a Total row of
    ``<th>`` cells that the other rows meet exactly, reported as a check."""
    page = tmp_path / "medieval.html"
    page.write_text(MEDIEVAL, encoding="utf-8")
    result = recover.read(page)
    first, second = result.tables["table_1"], result.tables["table_2"]
    assert list(first.columns) == [
        "year",
        "total_european_population_millions",
        "absolute_growth_per_century",
        "note",
    ]
    assert first["year"].tolist() == [1000, 1100, 1350, 1400]
    assert first["absolute_growth_per_century"].isna().tolist() == [True, False, False, False]
    assert first.loc["1350", "absolute_growth_per_century"] == Decimal("-8.0")
    assert first["total_european_population_millions"].isna().tolist() == [False, False, False, True]
    assert first["note"].tolist() == ["first", "", "plague", ""]
    assert list(second.columns) == ["c_1000", "c_1100"]
    assert second.loc["Total", "c_1100"] == Decimal("19.2")
    assert second.index.tolist() == ["German Empire [a]", "France", "England and Wales", "Total"]
    assert 'row: "Total"' in result.rules.text
    assert any("not a number" in line for line in result.report)


def test_a_data_table_inside_a_layout_table_is_a_table(tmp_path: Path) -> None:
    """Nested layout tables (issue 15): a data table inside an outer layout ``<table>`` became one cell of it."""
    page = tmp_path / "nested.html"
    page.write_text(
        "<table><tr><td>Menu</td><td><table><tr><th>Region</th><th>Active</th><th>Closed</th></tr>"
        "<tr><td>North</td><td>1,204</td><td>33</td></tr><tr><td>South</td><td>980</td><td>41</td></tr>"
        "</table></td></tr></table>",
        encoding="utf-8",
    )
    df = recover.read(page).tables["table_1"]
    assert df.to_dict("index") == {"North": {"active": 1204, "closed": 33}, "South": {"active": 980, "closed": 41}}


def test_a_statement_that_holds_its_footnotes_table_is_a_table() -> None:
    """SEC "R" pages (bench/real-docs/edgar-adi-2019-income-R2.htm, Analog Devices' FY2019 income statement) keep a
    table of footnotes in the statement's last row. Any table holding another was taken for a layout table and read
    as text, so the statement was lost (pandas.read_html reads it): 0 of its 196 numbers. A table whose own rows print
    numbers (at least DEFAULT_MIN_DATA_ROWS_BESIDE_TABLES of them) is data; a cell holding a table is read as empty,
    and the nested table after it, on its own. Values read by hand from the page's markup."""
    page = Path(__file__).resolve().parents[1] / "bench" / "real-docs" / "edgar-adi-2019-income-R2.htm"
    result = recover.read(page)
    df = result.tables["table_1"]
    row = df.loc["Cost of sales"]
    assert row.iloc[0] == 501028  # 3 months ended Nov. 02, 2019
    assert [v for v in df.loc["Net income"].tolist() if not pd.isna(v) and v != ""] == [1363011, 1506980, 805379]
    revenue = [v for v in df.loc["Revenue"].to_numpy().ravel().tolist() if isinstance(v, int)]  # a section row too
    assert revenue[:2] == [1443219, 1480143]


def test_a_layout_table_around_a_data_table_is_still_layout(tmp_path: Path) -> None:
    """The other side of the test above: a table holding a table, whose own rows print fewer than
    DEFAULT_MIN_DATA_ROWS_BESIDE_TABLES numbers (a page number, a year), lays the page out: the table inside is the
    table (the Microsoft note 7 R page prints its real table inside a text block's cell)."""
    page = tmp_path / "nested.html"
    page.write_text(
        "<table><tr><td>Note 7</td><td>2024</td></tr><tr><td>Page</td><td>12</td></tr><tr><td>Text</td><td>"
        "<table><tr><th>Region</th><th>Active</th><th>Closed</th></tr>"
        "<tr><td>North</td><td>1,204</td><td>33</td></tr><tr><td>South</td><td>980</td><td>41</td></tr>"
        "</table></td></tr></table>",
        encoding="utf-8",
    )
    result = recover.read(page)
    assert list(result.tables) == ["table_1"]
    assert result.tables["table_1"].to_dict("index") == {
        "North": {"active": 1204, "closed": 33},
        "South": {"active": 980, "closed": 41},
    }


def test_signs_printed_in_cells_of_their_own_belong_to_their_numbers() -> None:
    """SEC filings print `$` | `8,163` and `( 76,421` | `)` in cells of their own (bench/real-docs/
    edgar-msft-10k-property-R-page.html, Microsoft's note 7). The `$` cells made text columns named by the years
    (the header's `2024` spans the `$` and the number: its text stands over the `$`), the numbers were named `c1`,
    `c2`, and `( 76,421` was no number: Accumulated depreciation was left empty. A sign alone in a cell is joined to
    the number beside it; a header set over a column that is then empty names the column of numbers beside it; and
    `(In millions)` above the row of years is no row of the body. Values read by hand from the page."""
    page = Path(__file__).resolve().parents[1] / "bench" / "real-docs" / "edgar-msft-10k-property-R-page.html"
    df = recover.read(page).tables["table_1"]
    assert list(df.columns) == ["c_2024", "c_2023"]
    assert df.loc["Land"].tolist() == [8163, 5683]
    assert df.loc["Accumulated depreciation"].tolist() == [-76421, -68251]
    assert df.loc["Total, net"].tolist() == [135591, 95641]


def test_a_tab_separated_table_needs_no_rule(tmp_path: Path) -> None:
    """Tab-separated lines kept their cells: read as printed with no row rule (today's run-together inference needed
    one, or a totals row, to adopt the table)."""
    doc = tmp_path / "t.txt"
    doc.write_text("Region\tOpened\tClosed\nNorth\t1,204\t33\nSouth\t980\t-\nWest\t7\t12\n", encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert df["opened"].tolist() == [1204, 980, 7]
    assert df["closed"].isna().tolist() == [False, True, False]


def test_inferred_rules_reproduce_a_printed_table_byte_for_byte(tmp_path: Path) -> None:
    """Zero-config writes ``printed: N`` for a table whose cells the page kept; rerunning with those rules gives the
    same CSVs byte for byte (the contract of ``recover run`` without rules)."""
    page = tmp_path / "medieval.html"
    page.write_text(MEDIEVAL, encoding="utf-8")
    exe = [sys.executable, "-m", "recover.cli"]
    first = subprocess.run([*exe, "run", str(page), "--out", str(tmp_path / "a"), "--no-validate"], capture_output=True)
    assert first.returncode == 1, first.stderr  # the <0.1 cell is said
    rules = tmp_path / "rules.yaml"
    rules.write_bytes((tmp_path / "a" / "inferred-rules.yaml").read_bytes())
    assert subprocess.run([*exe, "check", str(rules)], capture_output=True).returncode == 0
    second = subprocess.run(
        [*exe, "run", str(page), "--rules", str(rules), "--out", str(tmp_path / "b"), "--no-validate"],
        capture_output=True,
    )
    assert second.returncode == 1, second.stderr
    for name in ("table_1.csv", "table_2.csv", "table_1.provenance.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "table_1.csv").read_text().splitlines()[0] == (
        "label,year,total_european_population_millions,absolute_growth_per_century,note"
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.integers(-(10**9), 10**9), st.none()), min_size=3, max_size=3),
        min_size=2,
        max_size=8,
    )
)
def test_every_printed_number_comes_back_as_printed(tmp_path_factory: pytest.TempPathFactory, grid: list) -> None:
    """Property: in an HTML table of printed integers (thousands marked, negatives in parentheses, blanks as ``—``),
    every cell comes back equal to what the page printed, and a blank stays empty: nothing the page did not print."""

    def show(v: int | None) -> str:
        if v is None:
            return "—"
        text = f"{abs(v):,}"
        return f"({text})" if v < 0 else text

    rows = "".join(
        f"<tr><td>Row {i}</td>" + "".join(f"<td>{show(v)}</td>" for v in row) + "</tr>" for i, row in enumerate(grid)
    )
    page = tmp_path_factory.mktemp("p") / "p.html"
    page.write_text(f"<table><tr><th>Name</th><th>A</th><th>B</th><th>C</th></tr>{rows}</table>", encoding="utf-8")
    df = recover.read(page).tables["table_1"]
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            got = df.iloc[i, j]
            assert pd.isna(got) if v is None else (not pd.isna(got) and got == v)


@pytest.mark.skipif(not (SHARED / "icdar2013-eu" / "eu-001.pdf").exists(), reason="the shared corpora are beside")
def test_a_real_pdf_table_is_read_by_the_alignment_of_its_columns() -> None:
    """ICDAR 2013 eu-001.pdf (E-PRTR pollutants): the heavy metals table, written by hand from the page; ``-`` blank,
    a wrapped label joined (``1,2,3,4,5,6- hexachlorocyclohexane (HCH)``: its figures are the label's, never cells)."""
    result = recover.read(SHARED / "icdar2013-eu" / "eu-001.pdf")
    metals = next(df for df in result.tables.values() if "Zinc and compounds (as Zn)" in df.index)
    assert metals.loc["Zinc and compounds (as Zn)"].tolist() == [200, 100, 100]
    assert metals.loc["Mercury and compounds (as Hg)"].tolist() == [10, 1, 1]
    pesticides = next(df for df in result.tables.values() if "Aldrin" in df.index)
    assert pesticides.loc["1,2,3,4,5,6- hexachlorocyclohexane (HCH)"].tolist() == [10, 1, 1]
    assert pesticides.loc["Alachlor"].isna().tolist() == [True, False, False]


def test_a_table_printed_one_cell_a_line_is_a_table(tmp_path: Path) -> None:
    """``get_text()`` of markup with whitespace between cells puts each cell on a line of its own (issue 15): a header
    of N names, then rows of N lines. Its boundaries were kept, so it is read cell by cell (the sportsipy box score's
    header and rows, reduced)."""
    doc = tmp_path / "flat.txt"
    doc.write_text(
        "Arizona Coyotes Table\n\nRk\nPlayer\nG\nA\nPTS\n\n1\nLawson Crouse\n1\n0\n1\n\n"
        "2\nJason Demers\n0\n0\n0\n\n4\nOliver Ekman-Larsson\n1\n1\n2\n",
        encoding="utf-8",
    )
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert df.to_dict("index") == {
        "Lawson Crouse": {"rk": 1, "g": 1, "a": 0, "pts": 1},
        "Jason Demers": {"rk": 2, "g": 0, "a": 0, "pts": 0},
        "Oliver Ekman-Larsson": {"rk": 4, "g": 1, "a": 1, "pts": 2},
    }
    assert "one cell a line" in result.rules.text


def test_a_row_of_column_specs_is_no_row(tmp_path: Path) -> None:
    """USGS RDB files print a row of column specs under the names (``5s 15s 10d``): read with a letter as a footnote
    mark it published 5, 15, 10 … in a row ``5s`` (bench/real-docs/usgs-annual-peaks-01594440.txt, reduced)."""
    doc = tmp_path / "peaks.txt"
    doc.write_text(
        "agency_cd\tsite_no\tpeak_va\tgage_ht\n5s\t15s\t8s\t8s\nUSGS\t01594440\t3640\t11.90\nUSGS\t01594440\t3800\t12.05\n",
        encoding="utf-8",
    )
    df = recover.read(doc).tables["table_1"]
    assert df["peak_va"].tolist() == [3640, 3800]
    assert df["gage_ht"].tolist() == [Decimal("11.90"), Decimal("12.05")]
    assert df["site_no"].tolist() == ["01594440", "01594440"]  # a code with a leading zero is text


def test_columns_are_published_in_the_pages_order(tmp_path: Path) -> None:
    """USGS national water use (bench/real-docs/usgs-water-use-national.txt, reduced): the 2010 column prints a
    footnote letter on most cells (`354a`), so it is read as text, and text columns were published after the numeric
    ones: the CSV ran 2005, 2015, 2010 under a page that prints 2005, 2010, 2015. Every published form (CSV,
    datapackage.json, the DataFrame of recover.read) now keeps the page's order."""
    import json

    from recover.cli import main

    doc = tmp_path / "water.txt"
    doc.write_text(
        "National Totals\t2005\t2010\t2015\n"
        "Population, in millions\t300.7\t312.6\t325.0\n"
        "Total withdrawals, in Bgal/d\t410a\t354a\t322\n"
        "Self-supplied domestic, in Bgal/d\t3.73a\t3.53a\t3.26\n"
        "Irrigation, in Bgal/d\t127\t116a\t118\n",
        encoding="utf-8",
    )
    df = recover.read(doc).tables["table_1"]
    assert list(df.columns) == ["c_2005", "c_2010", "c_2015"]
    out = tmp_path / "out"
    assert main(["run", str(doc), "--out", str(out), "--no-validate"]) == 0
    lines = (out / "table_1.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "national_totals,c_2005,c_2010,c_2015"
    assert lines[2] == '"Total withdrawals, in Bgal/d",410,354a,322'
    fields = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == ["national_totals", "c_2005", "c_2010", "c_2015"]
    assert fields[2]["type"] == "string"


def test_a_header_of_seven_rows_is_read_as_the_header():
    """anticlockwise_table_1.pdf (Camelot's tests, a page turned a quarter round): Camelot's grid opens with seven rows
    of column names (`Nutritional Assessment`, `(No. of mothers:`, `2011-12)`, `1975-79` ...). Only six leading rows
    were tried as the header, so the table was read from its first row: seven rows published empty, 16 cells said
    `unreadable`. DEFAULT_MAX_HEADER_ROWS is now 10. Rows copied from the page."""
    from recover.model import PrintedTable
    from recover.printed import table_to_layout

    e = ""
    rows = (
        (e, e, e, e, e, e, e, "Blood Pressure", e, "Fasting Blood Sugar"),
        (e, e, "Nutritional Assessment", e, e, e, e, e, e, e),
        (e, e, e, e, e, "IYCF Practices", e, e, e, e),
        ("State", e, e, e, e, "(No. of mothers:", e, e, e, e),
        (e, e, e, e, e, e, e, "2011-12)", e, "2011-12)"),
        (e, e, e, e, e, "2011-12)", e, e, e, e),
        (e, "1975-79", "1988-90", "1996-97", "2011-12", e, "Men", "Women", "Men", "Women"),
        ("Kerala", "5738", "6633", "8864", "8297", "245", "2161", "3195", "1645", "2391"),
        ("Tamil Nadu", "7387", "10217", "5813", "7851", "413", "2134", "2858", "1119", "1739"),
    )
    layout = table_to_layout(PrintedTable(rows, tuple(range(1, 10)), kind="pdf"), US)
    assert layout is not None and layout.header_rows == 7
    assert [layout.table.rows[i][0] for i in layout.body] == ["Kerala", "Tamil Nadu"]


# bench/real-docs/edgar-aapl-10q-2025q2-deferred-revenue-R29.htm flattened by get_text(), reduced to its first two
# start dates: one column of amounts printed one cell a line, whose rows alternate a percentage and a duration
_AXIS = "Revenue, Remaining Performance Obligation, Expected Timing of Satisfaction"
DEFERRED_R29 = (
    "Revenue - Deferred Revenue, Expected Timing of Realization (Details)\nMar. 29, 2025\n\n\n"
    f"{_AXIS}, Start Date [Axis]: 2025-03-30\n\xa0\n\n\n\n{_AXIS} [Line Items]\n\xa0\n\n\n\n"
    "Deferred revenue, expected timing of realization, percentage\n66.00%\n\n\n\n"
    "Deferred revenue, expected timing of realization, period\n1 year\n\n\n\n"
    f"{_AXIS}, Start Date [Axis]: 2026-03-29\n\xa0\n\n\n\n{_AXIS} [Line Items]\n\xa0\n\n\n\n"
    "Deferred revenue, expected timing of realization, percentage\n24.00%\n\n\n\n"
    "Deferred revenue, expected timing of realization, period\n1 year\n\n\n\n"
)


def test_a_duration_in_a_column_of_amounts_does_not_unmake_it(tmp_path: Path) -> None:
    """SEC R page "Deferred Revenue, Expected Timing of Realization" (Apple 10-Q, Q2 2025; issue 15's new real
    documents), flattened: its one column prints ``66.00%`` and ``1 year`` on alternate rows. Half its cells were no
    number, under the DEFAULT_MIN_NUMERIC_SHARE of 0.6, so the page's table was no table and its 4 percentages were
    missed (pandas and the greedy split read them). A row that prints no number at all and, in the column, a figure
    that is no number (a duration, a date) now neither makes nor unmakes the column; its cell is still no number: left
    empty, the row said ``unreadable``."""
    doc = tmp_path / "r29.txt"
    doc.write_text(DEFERRED_R29, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    pct = df.loc[["Deferred revenue, expected timing of realization, percentage"]].iloc[:, 0].tolist()
    assert pct == [Decimal("66.00"), Decimal("24.00")]
    period = df.loc[["Deferred revenue, expected timing of realization, period"]].iloc[:, 0]
    assert period.isna().all() and len(period) == 2  # "1 year": published as no number, never as 1


def test_a_text_column_with_a_few_dates_stays_text() -> None:
    """The other side of the rule above: a column of words where a row with numbers elsewhere prints a date still
    counts that date against the column (the rows of numbers decide), so a column of notes stays text."""
    from recover.model import PrintedTable
    from recover.printed import table_to_layout

    rows = (
        ("Item", "Amount", "Note"),
        ("Rent", "1,200", "paid 2024-01-05"),
        ("Power", "310", "estimate"),
        ("Water", "95", "meter read"),
    )
    layout = table_to_layout(PrintedTable(rows, (1, 2, 3, 4), 1, kind="html"), US)
    assert layout is not None and layout.numeric == [1] and layout.text == [2]
