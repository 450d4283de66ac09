"""Tables printed one cell a line: real pages flattened by BeautifulSoup's ``get_text()`` (issue "Real documents: read
every table a peer reads", item "One cell per line").

``get_text()`` keeps a page's cells apart, one a line, and what tells its rows apart is the empty lines between them:
their number depends on how the page's markup is laid out, so each gap size is tried. Each fixture is reduced from the
flattened text of the page named in the test (``bench/real.py --only html-flat --work DIR`` keeps those texts), keeping
its own characters; expected values are written by hand from the page.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import recover
from extractors import lines_to_cell_line_tables
from extractors.text import text_to_lines

# edgar-aapl-R4 (Apple's statement of comprehensive income, an SEC R page), flattened: one empty line between the cells
# of a row (none between the label and its first cell), three between rows, two between the header's rows; a blank
# cell is a line holding a no-break space
R4 = (
    "v3.24.3\n\nCONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME - USD ($) $ in Millions\n12 Months Ended\n\n\n"
    "Sep. 28, 2024\nSep. 30, 2023\nSep. 24, 2022\n\n\n"
    "Statement of Comprehensive Income [Abstract]\n\xa0\n\n\xa0\n\n\xa0\n\n\n\n"
    "Net income\n$ 93,736\n\n$ 96,995\n\n$ 99,803\n\n\n\n"
    "Other comprehensive income/(loss):\n\xa0\n\n\xa0\n\n\xa0\n\n\n\n"
    "Change in foreign currency translation, net of tax\n395\n\n(765)\n\n(1,511)\n\n\n\n"
    "Total comprehensive income\n$ 98,016\n\n$ 96,652\n\n$ 88,531\n\n\n\n\n\nX\n\n"
    "- DefinitionAmount, after tax, of reclassification of gain (loss) from accumulated other comprehensive income "
    "(AOCI) for derivative instrument designated and qualifying as accounting hedge.\n"
)


def test_rows_told_apart_by_the_gaps_between_them(tmp_path: Path) -> None:
    """edgar-aapl-R4 flattened: 0 of 30 cells. Only "a header block of N names, then blocks of N lines" was read as a
    table printed one cell a line, and an SEC R page prints one empty line between the cells of a row, three between
    rows, the label right above its first cell, and a header of three dates over four columns. A gap of some size ends
    a row (each size up to DEFAULT_MAX_CELL_LINE_ROW_GAP tried), a no-break-space line is a blank cell, and a header one
    cell short over columns of figures names those columns (the label column's header left blank)."""
    doc = tmp_path / "edgar-aapl-R4.txt"
    doc.write_text(R4, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert list(df.columns) == ["sep_28_2024", "sep_30_2023", "sep_24_2022"]
    assert df.loc["Net income"].tolist() == [93736, 96995, 99803]
    assert df.loc["Change in foreign currency translation, net of tax"].tolist() == [395, -765, -1511]
    assert df.loc["Total comprehensive income"].tolist() == [98016, 96652, 88531]
    assert df.loc["Other comprehensive income/(loss):"].isna().all()  # a section: its cells blank on the page
    assert "X" not in df.index and len(df) == 5  # the page's link after the table and its definition are no rows


# edgar-msft-10k-property-R-page flattened: each cell on its own line, no empty line between them, two between rows; a
# blank cell is a line of one space (`<td> </td>`) or a no-break space; rows of blank cells space the table out
MSFT = (
    "(In millions)\n \n\n\n \n\xa0\n\n\n \n\xa0\n\xa0\n\xa0\n\n\n"
    "June 30,\n \n2024\n \n \n2023\n \n\n\n \n\xa0\n\xa0\n\n\n"
    "Land\n \n$\n8,163\n \n \n$\n5,683\n \n\n\n"
    "Buildings and improvements\n \n \n93,943\n \n \n \n68,465\n \n\n\n"
    "Furniture and equipment\n \n \n6,532\n \n \n \n6,246\n \n\n\n"
    " \n\xa0\n\xa0\n\xa0\n\xa0\n\xa0\n\n\n \n\xa0\n \n \n\xa0\n\xa0\n\n\n"
    "Total, at cost\n \n \n212,012\n \n \n \n163,892\n \n\n\n"
    "Accumulated depreciation\n \n \n(76,421\n)\n \n \n(68,251\n)\n\n\n"
    " \n\xa0\n\xa0\n\xa0\n\xa0\n\xa0\n\n\n \n\xa0\n \n \n\xa0\n\xa0\n\n\n"
    "Total, net\n \n$\n135,591\n \n \n$\n95,641\n \n\n\n \n \n \n \n\xa0\n \n \n \n\xa0\n\n"
    "\xa0During fiscal years 2024, 2023, and 2022, depreciation expense was $15.2 billion, $11.0 billion, and $12.6 "
    "billion, respectively. As of June 30, 2024, we have committed $35.4 billion for the construction of new "
    "buildings, building improvements, and leasehold improvements, primarily related to datacenters. \n\n\n\nX\n"
)


def test_a_line_of_one_space_is_a_blank_cell(tmp_path: Path) -> None:
    """edgar-msft-10k-property-R-page flattened: 0 of 16 cells. Its cells stand on consecutive lines and its blank
    cells print one space (`<td> </td>`): taken for nothing, the rows were 5, 3 and 3 cells wide and no table. A line
    of one or two spaces or a no-break space is a blank cell (a longer run of spaces or tabs is a pretty-printed page's
    indentation inside a cell), rows of blank cells are left out, the `$` beside a figure and the `)` of a negative
    on a line of its own are signs of the number beside them (as in the HTML table: `(76,421` | `)` is -76,421), and
    the sentence after the table is no row."""
    doc = tmp_path / "edgar-msft-10k-property-R-page.txt"
    doc.write_text(MSFT, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    numbers = df.iloc[:, :2]
    assert numbers.loc["Land"].tolist() == [8163, 5683]
    assert numbers.loc["Buildings and improvements"].tolist() == [93943, 68465]
    assert numbers.loc["Total, at cost"].tolist() == [212012, 163892]
    assert numbers.loc["Total, net"].tolist() == [135591, 95641]
    assert numbers.loc["Accumulated depreciation"].tolist() == [-76421, -68251]
    assert list(df.index) == [
        "Land",
        "Buildings and improvements",
        "Furniture and equipment",
        "Total, at cost",
        "Accumulated depreciation",
        "Total, net",
    ]
    prov = result.provenance["table_1"].set_index("label")
    assert prov.loc["Accumulated depreciation", "status"] == "recovered"


# wiki-us-states-by-area flattened: each cell a line, two empty lines between rows; the District of Columbia ranks
# nothing, and its empty rank cells (`<td></td>`) print one empty line each
STATES = (
    "Total area[2]\nLand area[2]\nWater[2]\n\n\nState/territory\nRank\nsq mi\nkm²\nRank\nsq mi\nkm²\n\xa0% land\n"
    "sq mi\nkm²\n\xa0% water\n\n\n"
    "\xa0Delaware\n!B9954242509439\xa049\n2,488.72\n6,446\n!B9954242509439\xa049\n1,948.54\n5,047\n"
    "700178300000000000078.30%\n540.18\n1,399\n700121700000000000021.70%\n\n\n"
    "\xa0Rhode Island\n!B9950620250565\xa050\n1,544.89\n4,001\n!B9950620250565\xa050\n1,033.81\n2,678\n"
    "700166920000000000066.92%\n511.07\n1,324\n700133080000000000033.08%\n\n\n"
    "\xa0District of Columbia\n\n68.34\n177\n\n61.05\n158\n700189330000000000089.33%\n7.29\n19\n"
    "700110670000000000010.67%\n\n\n"
    "\xa0Puerto Rico\n\n5,324.84\n13,791\n\n3,423.78\n8,868\n700164300000000000064.30%\n1,901.07\n4,924\n"
    "700135700000000000035.70%\n\n\n"
    "Area by division[edit]\n"
)


def test_an_empty_line_inside_a_row_is_an_empty_cell(tmp_path: Path) -> None:
    """wiki-us-states-by-area flattened: the table's rows stopped at the District of Columbia (ten rows dropped): its
    empty rank cells print one empty line each, so its row was nine lines where the others are eleven. Where the cells
    of a row stand on consecutive lines, each empty line between two cells of a row is an empty cell: the row is eleven
    cells wide like the others, its figures under their own columns (the page, reduced)."""
    doc = tmp_path / "wiki-us-states-by-area.txt"
    doc.write_text(STATES, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert df.loc["District of Columbia", ["sq_mi", "km", "sq_mi_2", "km_2", "sq_mi_3", "km_3"]].tolist() == [
        Decimal("68.34"),
        177,
        Decimal("61.05"),
        158,
        Decimal("7.29"),
        19,
    ]
    assert df.loc["Puerto Rico", ["sq_mi", "km_3"]].tolist() == [Decimal("5324.84"), 4924]
    assert df.loc["Rhode Island", ["sq_mi", "km", "sq_mi_3"]].tolist() == [Decimal("1544.89"), 4001, Decimal("511.07")]
    assert df.loc["District of Columbia", ["rank", "rank_2"]].isna().all()  # blank on the page, never filled
    assert list(df.index) == ["Delaware", "Rhode Island", "District of Columbia", "Puerto Rico"]


# pandas-nyse_wsj (pandas' read_html test page) flattened: an indented `<a>` leaves a run of spaces on a line of its own
# inside the name's cell; one empty line between cells where the markup breaks, two between rows
NYSE = (
    "SEARCH\n\n\n\n\n\n\n\n\n\n\n\xa0\nIssue(Roll over for charts and headlines)\n\nVolume\nPrice\nChg\n% Chg\n\n\n"
    "1\n\nJ.C. Penney (JCP)\n            \n\n250,697,455\n$9.05\n-1.37\n-13.15\n\n\n"
    "2\n\nBank of America (BAC)\n            \n\n77,162,103\n13.90\n-0.18\n-1.28\n\n\n"
    "3\n\nRite Aid (RAD)\n            \n\n52,140,382\n4.70\n-0.08\n-1.67\n\n\n\n\n\n\n\n"
    "An Advertising Feature\xa0\xa0\xa0\xa0PARTNER CENTER\n"
)


def test_indentation_inside_a_cell_is_no_cell(tmp_path: Path) -> None:
    """pandas-nyse_wsj flattened: 0 of 500 cells. A line of twelve spaces (the indentation after a name inside its
    `<a>`) is neither a cell nor a gap; the reading that gives each row as many cells as its header (six) is taken
    over the one that reads every single empty line as an empty cell (eight, the header seven): the header names its
    columns, and `$9.05` is one number (never `9.0` and `5`)."""
    doc = tmp_path / "pandas-nyse_wsj.txt"
    doc.write_text(NYSE, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert df.to_dict("index")["J.C. Penney (JCP)"] == {
        "c1": 1,
        "volume": 250697455,
        "price": Decimal("9.05"),
        "chg": Decimal("-1.37"),
        "chg_2": Decimal("-13.15"),
    }
    assert list(df.index) == ["J.C. Penney (JCP)", "Bank of America (BAC)", "Rite Aid (RAD)"]


# wiki-de-chur-climate flattened: one empty line between cells, two or more between rows, `,` decimals
CHUR = (
    "Monatliche Durchschnittstemperaturen und -niederschläge für Chur 1981–2010\n\n\n\n\n"
    "Jan\n\nFeb\n\nMär\n\nApr\n\nMai\n\nJun\n\nJul\n\nAug\n\nSep\n\nOkt\n\nNov\n\nDez\n\n\n\n\n\n\n"
    "Max. Temperatur (°C)\n\n4,8\n\n6,4\n\n11,2\n\n15,1\n\n20,0\n\n22,7\n\n24,9\n\n24,1\n\n20,0\n\n16,1\n\n9,5\n\n"
    "5,3\n\nØ\n\n15,1\n\n\n"
    "Min. Temperatur (°C)\n\n−2,6\n\n−2,0\n\n1,6\n\n4,6\n\n8,9\n\n11,8\n\n13,8\n\n13,7\n\n10,3\n\n6,6\n\n1,7\n\n"
    "−1,4\n\nØ\n\n5,6\n\n\n\n\n\n"
    "Niederschlag (mm)\n\n51\n\n47\n\n55\n\n49\n\n71\n\n92\n\n109\n\n112\n\n81\n\n56\n\n70\n\n55\n\nΣ\n\n848\n"
)


def test_a_header_that_does_not_fit_names_no_column(tmp_path: Path) -> None:
    """wiki-de-chur-climate flattened: 0 of 78 cells. One empty line between cells and two or more between rows; the
    twelve month names stand over fifteen cells (the label, twelve months, `Ø` and the year's figure), so which
    columns they name is not printed: the columns keep plain names, the figures are read, `−2,6` a negative decimal."""
    doc = tmp_path / "wiki-de-chur-climate.txt"
    doc.write_text(CHUR, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    df = df.drop(columns=[c for c in df.columns if df[c].dtype == "string"])  # the `Ø` column, text, in its place
    assert df.loc["Min. Temperatur (°C)"].iloc[:13].tolist() == [
        Decimal(x)
        for x in ("-2.6", "-2.0", "1.6", "4.6", "8.9", "11.8", "13.8", "13.7", "10.3", "6.6", "1.7", "-1.4", "5.6")
    ]
    assert df.loc["Niederschlag (mm)"].iloc[:13].tolist() == [51, 47, 55, 49, 71, 92, 109, 112, 81, 56, 70, 55, 848]
    assert "jan" not in df.columns


# edgar-aapl-10q-tax-rate flattened (a 10-Q's table: gaps of one to four empty lines inside and between rows)
TAX = (
    "Provision for income taxes\n\n$\n\n4,046\xa0\n\n\n\n$\n\n2,852\xa0\n\n\n\n$\n\n14,875\xa0\n\n\n\n$\n\n"
    "12,699\xa0\n\n\n\n\nEffective tax rate\n\n15.9\xa0\n\n%\n\n\n12.5\xa0\n\n%\n\n\n15.8\xa0\n\n%\n\n\n14.6\xa0\n\n"
    "%\n\n\n\nStatutory federal income tax rate\n\n21\xa0\n\n%\n\n\n21\xa0\n\n%\n\n\n21\xa0\n\n%\n\n\n21\xa0\n\n%\n"
)


def test_a_lone_currency_sign_labels_no_row() -> None:
    """edgar-aapl-10q-tax-rate flattened: where three empty lines end a row, the provision's cells fall apart into
    blocks `$` / `2,852`, `$` / `14,875`, `$` / `12,699`, alike enough to make a table labelled `$` (a label the page
    does not show). A first cell with no letter or figure labels no row: only the two rows the gaps do keep whole are
    a table."""
    tables = lines_to_cell_line_tables(text_to_lines(TAX, "tax"))
    assert [t.rows[0][0] for t in tables] == ["Effective tax rate"]
    assert [r[0] for r in tables[0].rows] == ["Effective tax rate", "Statutory federal income tax rate"]


def test_a_sort_key_before_a_rank_is_not_printed(tmp_path: Path) -> None:
    """wiki-us-states-by-area flattened: the ranks were printed `!B9954242509439 49` (Wikipedia's sort key, hidden by
    the page's CSS, a no-break space, then the rank the page shows), so the rank columns were text, published with
    the key (139 ranks missed on the page's three tables). A cell opening with such a key (`!`, a capital letter,
    digits, a space) reads as what follows it: 49; a cell that only looks like one stays what it is."""
    from recover.numbers import NumberFormat
    from recover.printed import printed_to_cell

    doc = tmp_path / "wiki-us-states-by-area.txt"
    doc.write_text(STATES, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert df.loc["Delaware", ["rank", "rank_2"]].tolist() == [49, 49]
    assert df.loc["Rhode Island", ["rank", "rank_2"]].tolist() == [50, 50]
    assert df.loc["District of Columbia", ["rank", "rank_2"]].isna().all()  # blank on the page, never filled
    us = NumberFormat(",", ".")
    assert printed_to_cell("!C\xa01", us)[0] == 1
    assert printed_to_cell("!C\xa0Total", us)[0] is None
    assert printed_to_cell("a !C 1", us)[0] is None
    assert printed_to_cell("!1 2", us)[0] is None


def test_a_sort_key_before_a_share_under_one_percent_is_not_printed(tmp_path: Path) -> None:
    """wiki-us-states-by-area flattened: the water share of New Mexico prints `69992400000000000000.24%`, Wikipedia's
    hidden `{{nts}}` key of 0.24 run into the 0.24 the page shows. Keys of values of 1 and more (`7001…` before
    `99.76%`) were known; a value under 1 opens with `6` and its exponent plus 1000 (`6999` is 10^-1), so the nine
    states with less than 1 % water had that cell published empty (9 missed). The key is read only where it encodes the
    very value that follows it (the rows of the page, reduced; values by hand)."""
    from recover.numbers import NumberFormat
    from recover.printed import printed_to_cell

    states = STATES.replace(
        "\xa0Delaware\n",
        "\xa0New Mexico\n!B9983905620875\xa05\n121,590.30\n314,917\n!B9983905620875\xa05\n121,298.15\n314,161\n"
        "700199760000000000099.76%\n292.15\n757\n69992400000000000000.24%\n\n\n"
        "\xa0Arizona\n!B9982082405307\xa06\n113,990.30\n295,234\n!B9982082405307\xa06\n113,594.08\n294,207\n"
        "700199650000000000099.65%\n396.22\n1,026\n69993500000000000000.35%\n\n\n"
        "\xa0Delaware\n",
    )
    doc = tmp_path / "wiki-us-states-by-area.txt"
    doc.write_text(states, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert df.loc["New Mexico"].iloc[-1] == Decimal("0.24")
    assert df.loc["Arizona"].iloc[-1] == Decimal("0.35")
    assert df.loc["Delaware"].iloc[-1] == Decimal("21.70")
    us = NumberFormat(",", ".")
    assert printed_to_cell("69982400000000000000.024%", us)[0] == Decimal("0.024")
    assert printed_to_cell("69992400000000000000.25%", us)[0] is None  # a key of another value: no number
    assert printed_to_cell("6999240000000000000", us)[0] is None  # a key alone prints nothing


# wiki-medieval-demography flattened: one cell a line, two empty lines between rows; the page left the `Absolute growth
# per century` of 1300, 1400 and 1500 empty, and its empty `<td>` printed nothing at all (no line, no gap)
MEDIEVAL = (
    "European population dynamics, years 1000–1500\n\n\nYear\nTotal European population,millions\n"
    "Absolute growth per period,millions\nAverage growth per year,thousands\nAbsolute growth per century,%\n"
    "Average growth per year,%\n\n\n1000\n56.4\n—\n—\n—\n—\n\n\n1100\n62.1\n5.7\n57\n10.1\n0.10\n\n\n"
    "1250\n72.9\n4.9\n98\n15.7\n0.14\n\n\n1300\n78.7\n5.8\n116\n0.15\n\n\n1350\n70.7\n−8.0\n−160\n−0.8\n−0.21\n\n\n"
    "1400\n78.1\n7.4\n148\n0.20\n\n\n1450\n83.0\n4.9\n98\n16.1\n0.12\n\n\n1500\n90.7\n7.7\n154\n0.18\n\n\n"
    "European population by country or region in millions, years 1000-1500\n"
)


def test_a_row_a_cell_short_is_left_empty_and_the_table_goes_on(tmp_path: Path) -> None:
    """wiki-medieval-demography flattened: 16 of 38 cells, five rows dropped. The 1300 row prints five cells where the
    table has six (an empty cell printed nothing), so the table ended there. Which of its columns the page left empty
    is not printed: the row keeps its label, its cells are left empty and said (`unreadable`), never shifted into
    columns; the table goes on below it (1350, 1450 read). The 1500 row, a cell short after the last full row, was
    dropped (the table ended at its last full row): a row the page shows is never dropped, so a short row right after
    it that prints a figure is the table's last row, its cells left empty and said likewise."""
    doc = tmp_path / "wiki-medieval-demography.txt"
    doc.write_text(MEDIEVAL, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert df.loc["1350"].tolist() == [1350, Decimal("70.7"), Decimal("-8.0"), -160, Decimal("-0.8"), Decimal("-0.21")]
    assert df.loc["1450"].tolist() == [1450, Decimal("83.0"), Decimal("4.9"), 98, Decimal("16.1"), Decimal("0.12")]
    assert df.loc["1300"].isna().all() and df.loc["1400"].isna().all() and df.loc["1500"].isna().all()
    assert list(df.index) == ["1000", "1100", "1250", "1300", "1350", "1400", "1450", "1500"]
    prov = result.provenance["table_1"].set_index("label")
    assert prov.loc["1300", "status"] == "unreadable" and prov.loc["1500", "status"] == "unreadable"
    assert "do not stand under the table's columns" in prov.loc["1300", "reason"]
    assert prov.loc["1100", "status"] == "recovered"


def test_a_word_once_in_a_column_of_figures_makes_its_row_unreadable(tmp_path: Path) -> None:
    """A guard, not a page's miss: where an empty cell prints nothing (wiki-medieval-demography's 1300 row) and a cell
    prints on two lines (a note under the year, as a `<br>` prints it: `1300` / `(est.)`), the row has the table's
    width and every figure stands one column off: 78.7 would be published as the growth of 1300. A word printed once
    in a column of figures (a word repeated down it, `Total`, is the column's own) makes its row stray: its label kept,
    its cells left empty and said (the medieval page's rows, the 1300 row so wrapped)."""
    doc = tmp_path / "medieval-wrapped.txt"
    doc.write_text(MEDIEVAL.replace("1300\n78.7", "1300\n(est.)\n78.7"), encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert df.loc["1300"].isna().all()
    assert df.loc["1350"].tolist() == [1350, Decimal("70.7"), Decimal("-8.0"), -160, Decimal("-0.8"), Decimal("-0.21")]
    prov = result.provenance["table_1"].set_index("label")
    assert prov.loc["1300", "status"] == "unreadable"


# ----------------------------------------------------------------------------- a property of the reader


_WORDS = st.sampled_from(["Land", "Net income", "Alaska", "Water", "Total, net", "RSUs granted", "Max. (°C)"])
_FIGURES = st.sampled_from(["8,163", "(765)", "$ 93,736", "12.5", "−2,6", "0", "17%", "\xa0", "—"])


@st.composite
def _printed_grids(draw: st.DrawFn) -> tuple[list[list[str]], str]:
    """A grid of a label column and columns of figures, printed one cell a line the ways get_text() prints it: some
    empty lines between the cells of a row (cell_gap), more between rows (row_gap), the header's names over the
    figures; now and then a row's empty cell printed nothing (that row is expected with no cell placed)."""
    width = draw(st.integers(2, 5))
    rows = [[draw(_WORDS)] + [draw(_FIGURES) for _ in range(width - 1)] for _ in range(draw(st.integers(2, 6)))]
    cell_gap = draw(st.integers(0, 1))
    row_gap = draw(st.integers(cell_gap + 1, 4))
    header = [f"Col {k}" for k in range(1, width)]
    printed = [list(r) for r in rows]
    for r, row in enumerate(printed):
        # an empty cell that printed nothing, in a row between two full ones (rows all short alike print a narrower
        # table: nothing on the page tells them apart): the row is unreadable
        if width > 2 and r % 2 and r + 1 < len(printed) and draw(st.integers(0, 2)) == 0:
            del row[draw(st.integers(1, width - 1))]
            rows[r] = [row[0]] + ["\xa0"] * (width - 1)
    text = ("\n" * (row_gap + 1)).join(("\n" * (cell_gap + 1)).join(r) for r in [header, *printed])
    return (
        rows,
        "Title\n\n\n\n\n" + text + "\n\n\n\n\nA closing sentence of the page, long enough to be prose and no cell.\n",
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_printed_grids())
def test_a_table_printed_one_cell_a_line_is_read_as_printed_or_not_at_all(printed: tuple[list[list[str]], str]) -> None:
    """Whatever the gaps, each row read from cells printed one a line is a row as printed (blank cells blank, each
    cell in its column; a row a cell short, none placed): never a cell moved to another row or column."""
    rows, text = printed
    tables = lines_to_cell_line_tables(text_to_lines(text, "grid"))
    want = [tuple("" if c == "\xa0" else c for c in r) for r in rows]
    labels = {w[0] for w in want}
    read = [r for t in tables for r in t.rows if r[0] in labels]
    event("read" if read else "not read")
    for got in read:  # each row read is one printed, every cell where it was printed (a short row: none placed)
        assert got in want
    assert all(len(r) == len(want[0]) for t in tables for r in t.rows if r[0] in labels)
