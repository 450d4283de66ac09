"""Zero-config on real pages flattened by BeautifulSoup's ``get_text()`` and on ICDAR 2013 tables run together (issues
"Real documents: read every table a peer reads" and "Zero-config on run-together tables that we did not generate").

Each fixture is reduced from the flattened text of the page named in the test (``bench/real.py --work DIR`` keeps those
texts), keeping its own characters; expected values are written by hand from the page.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import recover
from recover.inference import (
    DEFAULT_MAX_SECTIONS,
    TableGuess,
    guess_to_names,
    header_runs_into_first_row,
    labels_to_sections,
    year_groups_header,
)
from recover.numbers import NumberFormat
from recover.printed import printed_to_cell

US = NumberFormat(",", ".")


def test_a_sort_key_run_into_a_value_is_no_part_of_it(tmp_path: Path) -> None:
    """Wikipedia hides a sort key before a value (``<span data-sort-value>``); ``get_text()`` runs the two together:
    ``700185760000000000085.76%`` where the page shows ``85.76%``. Read as too long for a number, those cells made the
    columns text, published as printed: 50 wrong numbers on wiki-us-states-by-area. A figure of more significant digits
    than a float64 holds exactly (DEFAULT_MAX_SIGNIFICANT_DIGITS) stands where a number stands but is none. Left empty,
    112 percentages the page shows were missed: the key is Wikipedia's ``{{nts}}`` (``7``, a three-digit exponent,
    fifteen digits of mantissa: ``7001857600000000000`` is 85.76), so where the 19 digits encode the very value after
    them, they are the hidden key and the value is read; where they do not, the cell stays empty and said (the page,
    reduced)."""
    doc = tmp_path / "wiki-us-states-by-area.txt"
    doc.write_text(
        "Total area[2]\nLand area[2]\nWater[2]\n\n\nState/territory\nRank\nsq mi\nkm²\nRank\nsq mi\nkm²\n\xa0% land\n"
        "sq mi\nkm²\n\xa0% water\n\n\n\xa0Alaska\n!C\xa01\n665,384.04\n1,723,337\n!C\xa01\n570,640.95\n1,477,953\n"
        "700185760000000000085.76%\n94,743.10\n245,384\n700114240000000000014.24%\n\n\n\xa0Texas\n!B9993068528194\xa02\n"
        "268,596.46\n695,662\n!B9993068528194\xa02\n261,231.71\n676,587\n700197260000000000097.26%\n7,364.75\n19,075\n"
        "70002740000000000002.74%\n\n\n\xa0California\n!B9989013877113\xa03\n163,694.74\n423,967\n!B9989013877113\xa03\n"
        "155,779.22\n403,466\n700195160000000000095.16%\n7,915.52\n20,501\n70004840000000000004.84%\n",
        encoding="utf-8",
    )
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert df.loc["Texas", "sq_mi"] == Decimal("268596.46")
    assert df.loc["Texas", "km_3"] == 19075
    # never 700197260000000000097.26, as a number or as text: the value the page shows
    assert df.loc["Texas", ["land", "water"]].tolist() == [Decimal("97.26"), Decimal("2.74")]
    assert df.loc["Alaska", ["land", "water"]].tolist() == [Decimal("85.76"), Decimal("14.24")]
    assert result.provenance["table_1"]["status"].tolist() == ["recovered"] * 3
    assert printed_to_cell("700185760000000000085.77%", US)[0] is None  # a key of another value: no number
    assert printed_to_cell("7001857600000000000", US)[0] is None


def test_a_figure_longer_than_a_float64_holds_is_no_number() -> None:
    """The bound itself: 15 significant digits read, 16 do not (DEFAULT_MAX_SIGNIFICANT_DIGITS)."""
    assert printed_to_cell("123,456,789,012.345", US)[0] == Decimal("123456789012.345")
    assert printed_to_cell("1,234,567,890,123.456", US)[0] is None
    assert printed_to_cell("0.000012", US)[0] == Decimal("0.000012")  # leading zeros are no significant digits


CFBREF = (
    "13 Games Table\n\n\n\nG\nDate\nTime\nDay\nSchool\n\nOpponent\nConf\n\nPts\nOpp\nW\nL\nStreak\nTV\nNotes\n\n\n\n"
    "1Sep 2, 20173:30 PMSat(11)\xa0MichiganN(17)\xa0FloridaSECW331710W 1\n"
    "2Sep 9, 201712:00 PMSat(8)\xa0MichiganCincinnatiAmericanW361420W 2\n"
    "3Sep 16, 201712:00 PMSat(7)\xa0MichiganAir ForceMWCW291330W 3\n"
    "4Sep 23, 20174:00 PMSat(8)\xa0Michigan@PurdueBig TenW281040W 4\n"
    "5Oct 7, 20177:30 PMSat(7)\xa0MichiganMichigan StateBig TenL101441L 1\n"
    "6Oct 14, 201712:00 PMSat(17)\xa0Michigan@IndianaBig TenW272051W 1\n"
    "7Oct 21, 20177:30 PMSat(19)\xa0Michigan@(2)\xa0Penn StateBig TenL134252L 1\n"
    "8Oct 28, 201712:00 PMSatMichiganRutgersBig TenW351462W 1\n"
)


#: eu-008's table 1 flattened (ICDAR 2013): decimals run together under a header of spaced words.
EU008_T1 = (
    "Country/Heading Cohesion Fund EURbn ERDF Convergence EURbn Total EURbn\n"
    "Bulgaria2.33.25.5\nCyprus0.2100.21\nCzech Republic8.813.422.2\nEstonia1.11.93.0\nHungary8.611.219.8\n"
    "Latvia1.52.43.9\nLithuania2.33.45.7\nMalta0.280.440.72\nPoland223355\nRomania6.5915.5\nSlovakia4610\n"
    "Slovenia1.41.93.3\nTechnical Assistance0.87\nTOTAL58.9986.70145.69\n"
)


def test_a_data_row_like_the_others_is_no_header_run_into_it(tmp_path: Path) -> None:
    """cfbref-michigan-2017-schedule flattened: every row runs date, time, day, school, opponent and conference
    together (``1Sep 2, 20173:30 PMSat(11) MichiganN(17) FloridaSECW331710W 1``). Its first row, four parts or more at
    case changes, was taken for a header run into the first row: a header of 3 names, so 3 columns, and the streak
    ``L 1`` after each row published as a cell (5 wrong numbers). A first row whose label looks like most other rows'
    is a row (``header_runs_into_first_row``); nothing else counts this table's columns, so nothing is published."""
    doc = tmp_path / "cfbref-michigan-2017-schedule.txt"
    doc.write_text(CFBREF, encoding="utf-8")
    result = recover.read(doc)
    for df in result.tables.values():
        assert df.select_dtypes("number").isna().all().all(), df
    assert "Sep 2, 20173" not in result.rules.text


def test_a_header_run_into_the_first_row_is_still_found() -> None:
    """The case the fused-header reading is for (the seed's style): only the first row's label runs into names."""
    assert header_runs_into_first_row(["Age GroupNativeAsianBlackWhiteUnknownTotal", "Under 5", "5 to 9", "10 to 14"])
    assert not header_runs_into_first_row(
        [
            "1Sep 2, 20173:30 PMSat(11)\xa0MichiganN(17)\xa0FloridaSECW",
            "2Sep 9, 201712:00 PMSat(8)\xa0MichiganCincinnatiAmericanW",
            "3Sep 16, 201712:00 PMSat(7)\xa0MichiganAir ForceMWCW",
        ]
    )


def test_decimals_run_together_are_not_read_as_digit_groups(tmp_path: Path) -> None:
    """ICDAR eu-008 flattened: ``58.9986.70145.69`` holds ``.`` before three figures four times, so the document was
    read under ``.`` thousands, every row of decimals (``2.33.25.5``: 2.3, 3.2, 5.5) unreadable and the table not read.
    A mark before one or two figures and then another mark groups no thousands: the format reading it as decimals is
    tried too and kept where a rule or totals confirm it (``text_to_fused_decimals``); the row printing one figure of
    three (``Technical Assistance0.87``) is left empty (the whole page)."""
    doc = tmp_path / "eu-008-t1.txt"
    doc.write_text(EU008_T1, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert [list(df.loc[label]) for label in ("Bulgaria", "Cyprus", "Romania", "TOTAL")] == [
        [Decimal("2.3"), Decimal("3.2"), Decimal("5.5")],
        [Decimal("0.21"), 0, Decimal("0.21")],
        [Decimal("6.5"), 9, Decimal("15.5")],
        [Decimal("58.99"), Decimal("86.70"), Decimal("145.69")],
    ]
    assert df.loc["Technical Assistance"].isna().all()
    assert "runs of decimals after '.'" in result.rules.text


def test_a_rule_over_decimals_is_checked_exactly(tmp_path: Path) -> None:
    """The same table, validated: ``Estonia 1.1 + 1.9 = 3.0`` left a residual of 4e-16 in floats, and the check
    ``rule residual between 0 and 0`` failed on a rule the page meets exactly (``validation failed`` on eu-008).
    Residuals and column sums are computed on the numbers as read, then made floats."""
    from recover.validate import _frames

    doc = tmp_path / "eu-008-t1.txt"
    doc.write_text(EU008_T1, encoding="utf-8")
    result = recover.read(doc)
    spec = result.rules.tables[0]
    frames = _frames(result.solutions[0], spec)
    residuals = frames[f"{spec.id}.rules"].iloc[:, 0]
    assert residuals.dropna().tolist() == [0.0] * 13


def test_a_header_of_years_with_a_spaced_dash_is_the_header(tmp_path: Path) -> None:
    """Issue 16's leftover: a budget table headed ``Program 2013 2014 2015 2016 2017 2013 – 2017`` (a range printed
    with a spaced dash, as budget tables print it, over a column that sums the five years). The header line, words then
    years, was read as a row ``Program`` (a label the page does not show, unreadable) and the columns numbered c1 … c6.
    A first line naming the columns by year, its dash spaced or not, is the header where the table reads under it."""
    doc = tmp_path / "budget.txt"
    doc.write_text(
        "Budget outlays by program (millions)\nProgram 2013 2014 2015 2016 2017 2013 – 2017\n"
        "Defense1,2341,3001,4121,5061,6107,062\nHealth8209159881,0411,1024,866\nEducation4124334514704882,254\n"
        "Transport2,0102,1002,2502,3012,40011,061\nHousing3063113293403511,637\n",
        encoding="utf-8",
    )
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert list(df.index) == ["Defense", "Health", "Education", "Transport", "Housing"]
    assert list(df.columns) == ["c_2013", "c_2014", "c_2015", "c_2016", "c_2017", "c_2013_2017"]
    assert list(df.loc["Transport"]) == [2010, 2100, 2250, 2301, 2400, 11061]
    rules = tmp_path / "inferred-rules.yaml"
    rules.write_text(result.rules.text, encoding="utf-8")
    again = recover.read(doc, rules=rules).tables["table_1"]
    assert again.equals(df)


def test_a_second_header_line_names_the_columns_a_group_spans(tmp_path: Path) -> None:
    """Issue 16's leftover: a header of two levels (``<th colspan=2>Case Status</th>`` over ``Active`` and
    ``Resolved``) flattened prints ``Case TypeCase StatusTotal`` over ``ActiveResolved``. The columns were named
    ``case_status_1``, ``case_status_2`` though the second line printed their names
    (``two_line_header_to_names``)."""
    doc = tmp_path / "two-level.txt"
    doc.write_text(
        "Data: Case Type and Case Status\nCase TypeCase StatusTotal\nActiveResolved\n"
        "Endangered Runaway2,04225,03027,072\nFamily Abduction2871,1091,396\n"
        "Lost, Injured, or Otherwise Missing20219239\nMissing Young Adult75921996\nNonfamily Abduction97079\n",
        encoding="utf-8",
    )
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert df.index.name == "case_type"
    assert list(df.columns) == ["active", "resolved", "total"]
    assert list(df.loc["Endangered Runaway"]) == [2042, 25030, 27072]
    rules = tmp_path / "inferred-rules.yaml"
    rules.write_text(result.rules.text, encoding="utf-8")
    assert recover.read(doc, rules=rules).tables["table_1"].equals(df)


EU_003_T3 = (
    "Reclassification from Fair value through profit and loss to loans and receivables Reclassification from "
    "Available for Sale to loans and receivables Reclassification from Fair value through profit and loss to "
    "Available for sale Reclassification from Fair value through profit and loss to Held to Maturity Total\n"
    "Number of financial companies who applied the option for this category2716231581\n"
    "Percentage of all financial companies analysed who applied the option for this category33%20%28%19%100%\n"
    "Number of financial companies where the disclosure requirements were stricter836219\n"
)


def test_a_short_run_the_rule_reads_one_way_of_many_is_evidence(tmp_path: Path) -> None:
    """ICDAR eu-003 table 3 flattened (the whole table): three rows whose last cell totals the four before. A rule
    counted a row as evidence only where its run had three digits more than columns; ``836219`` (8, 3, 6, 2, 19) has
    one, so two rows of three held it as evidence and the table was not read. A run the rule reads one way of its 4+
    readings (``_keeps_one_of_many``) could have failed it as surely."""
    doc = tmp_path / "eu-003-t3.txt"
    doc.write_text(EU_003_T3, encoding="utf-8")
    df = recover.read(doc).tables["table_1"]
    assert [list(row) for _, row in df.iterrows()] == [[27, 16, 23, 15, 81], [33, 20, 28, 19, 100], [8, 3, 6, 2, 19]]


def test_a_hyphen_after_a_letter_is_no_minus_sign(tmp_path: Path) -> None:
    """ICDAR eu-015 table 5 flattened: ``TotalEU-15522`` is the row ``Total EU-15`` and 522. The dash after ``EU`` was
    read as a minus sign: -15522 and -1297 published, numbers the page never printed. A dash right after a letter is
    a hyphen of the label, and the figures after it may still be the label's (``EU-15``, ``EU-1``): the row reads
    15522, 5522 or 522, so its cell is left empty (the page, reduced)."""
    doc = tmp_path / "eu-015-t5.txt"
    doc.write_text(
        "Treatyreform/IGC/ LisbonTreaty Enquiries\nGermany91\nSpain85\nUnitedKingdom74\nBelgium56\nFrance53\n"
        "TotalEU-15522\nPoland29\nCzechRepublic13\nRomania12\nTotalEU-1297\nnon-EU40\nUnspecified196\nGrandTotal855\n",
        encoding="utf-8",
    )
    result = recover.read(doc)
    values = [v for df in result.tables.values() for v in df.select_dtypes("number").stack().dropna().tolist()]
    assert values and all(v > 0 for v in values)
    assert not {15522, 1297, 5522, 297} & set(values)


#: eu-015's table 4 flattened (ICDAR 2013), the whole page: enquiries by country in one column, under ``.`` thousands,
#: a subtotal after the EU-15 rows and one after the EU-12 rows, then two more rows and the grand total.
EU015_T4 = (
    "Freemovementof persons/workers Enquiries\nSpain153\nGermany119\nUnitedKingdom114\nFrance99\nItaly82\n"
    "Belgium49\nNetherlands45\nGreece40\nPortugal26\nIreland23\nAustria22\nSweden20\nFinland10\nDenmark9\n"
    "Luxembourg2\nTotalEU-15813\nBulgaria32\nRomania30\nCyprus22\nPoland20\nCzechRepublic12\nHungary11\nLatvia11\n"
    "Slovakia8\nLithuania7\nEstonia4\nSlovenia2\nMalta1\nTotalEU-12159\nnon-EU102\nUnspecified182\nGrandTotal1.256\n"
)


def test_a_table_with_subtotals_is_read_a_section_at_a_time(tmp_path: Path) -> None:
    """ICDAR eu-015 flattened: one column of enquiries with ``TotalEU-15`` under the EU-15 rows, ``TotalEU-12`` under
    the EU-12 rows and ``GrandTotal`` last. Read whole, the last row is no sum of the rows above (they hold the
    subtotals), no other count was told, and the table was not read (63 numbers on two pages). A totals row before
    the last one closes a section; each section is a table of its own (a rules file holds one totals row per table),
    tried on its own lines: the EU-15 rows add up to 813 under one column only, the sections below take that count,
    a section whose rows miss its printed total (the EU-12 rows add up to 160, the page prints 159) is read without
    it, and the label's figures after its hyphen stay with it (``TotalEU-15``, never ``TotalEU 15``)."""
    doc = tmp_path / "eu-015-t4.txt"
    doc.write_text(EU015_T4, encoding="utf-8")
    result = recover.read(doc)
    assert sorted(result.tables) == ["table_1", "table_2", "table_3"]
    eu15, eu12, other = (result.tables[t] for t in ("table_1", "table_2", "table_3"))
    assert eu15.loc["Spain"].tolist() == [153]
    assert eu15.loc["TotalEU-15"].tolist() == [813]
    assert eu12.loc["Malta"].tolist() == [1]
    assert eu12.loc["TotalEU-12"].tolist() == [159]
    assert other.loc["GrandTotal"].tolist() == [1256]
    assert len(eu15) + len(eu12) + len(other) == 32  # every row the page shows
    assert eu15.index.name == eu12.index.name == other.index.name  # one table's sections, named alike
    assert 'row: "TotalEU-15"' in result.rules.text and "complete: true" in result.rules.text
    assert 'row: "TotalEU-12"' not in result.rules.text  # its rows do not meet it: no totals for that section
    # the inferred rules, loaded back, give the same tables
    rules = tmp_path / "inferred-rules.yaml"
    rules.write_text(result.rules.text, encoding="utf-8")
    again = recover.read(doc, rules=rules)
    for table_id, frame in result.tables.items():
        assert frame.equals(again.tables[table_id])


def test_sections_end_at_totals_rows() -> None:
    """A block is parted at a totals row before its last row, where every part ends in a totals row and has a row above
    it: a total first, or rows after the last total, leave the block whole."""
    labels = ["Spain", "Italy", "TotalEU-15", "Malta", "Total EU-12", "non-EU", "GrandTotal"]
    assert labels_to_sections(labels) == [(0, 3), (3, 5), (5, 7)]
    assert labels_to_sections(["Spain", "Italy", "Total"]) is None  # one total only: no subtotal
    assert labels_to_sections(["Spain", "Total", "Italy"]) is None  # rows after the last total
    assert labels_to_sections(["Total", "Spain", "Total"]) is None  # a total with no row above it
    assert labels_to_sections(["Spain", "Totally new", "Italy", "Grand total"]) is None  # "Totally" is no total


def test_a_section_takes_the_first_sections_names_in_its_rules_too() -> None:
    """The sections below the first print no header: they take the first section's names, and a rule of theirs is
    written with those names (a rule naming ``c1`` under columns ``active, closed, total`` would not load)."""
    g = TableGuess("table_2", None, None, "label", ["c1", "c2", "c3"], ["North", "Total"], rules=["c3 = c1 + c2"])
    g.evidence = {"rule: c3 = c1 + c2": "holds on all 2 rows", "columns": "3 columns"}
    guess_to_names(g, "region", ["active", "closed", "total"])
    assert (g.label_column, g.columns, g.rules) == (
        "region",
        ["active", "closed", "total"],
        ["total = active + closed"],
    )
    assert g.evidence == {"rule: total = active + closed": "holds on all 2 rows", "columns": "3 columns"}


EU026 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "icdar2013-eu" / "eu-026.pdf"


@pytest.mark.skipif(not EU026.exists(), reason="../shared/corpora is not beside the checkout")
def test_a_page_footer_never_meets_an_unlabelled_total_by_its_figures_in_doubt() -> None:
    """ICDAR eu-026 as a PDF: the footer ``Working Paper Series No 1299`` under each page number may end its label in
    ``1`` or ``12``. Where such labels were read both ways while a count was sought for a block with no rule (as the
    sections of a table with subtotals are), the footers and a line of prose met an unlabelled totals row under 2
    columns and 9, a figure of ``1299``, was published 6 times. A label's figures in doubt are tried under each count
    in a section only, whose count a printed totals row tells."""
    result = recover.read(EU026)
    for frame in result.tables.values():
        assert not any("Working Paper" in str(label) for label in frame.index), frame


def test_a_block_of_more_sections_than_the_bound_is_read_whole_and_says_so(tmp_path: Path) -> None:
    """Each section of a table with subtotals is located on a copy of the document's index: a block of more than
    DEFAULT_MAX_SECTIONS sections is read whole, and the note of a block not read names the bound (a page built to
    hit it: one line a row, a subtotal after every two)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lines = ["Region Cases"]
    for n in range(DEFAULT_MAX_SECTIONS + 1):
        tag = letters[n % 26] + letters[n // 26].lower()
        lines += [f"North {tag}{n + 10}", f"South {tag}{n + 20}", f"Total {tag}{2 * n + 30}"]
    doc = tmp_path / "sections.txt"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = recover.read(doc)
    assert len(result.tables) <= 1
    assert any(f"exceed the bound of {DEFAULT_MAX_SECTIONS} (DEFAULT_MAX_SECTIONS)" in p for p in result.report), (
        result.report
    )


#: eu-004's table 7 flattened (ICDAR 2013, page 8), reduced: share of national turnover and stores in 1996 and 1991,
#: then the growth in share (% points), each row's five cells run together, ``n.a.`` and ``..`` for no data.
EU004_T7 = (
    "1996 1991 growth in share\n"
    "% of national turnover no. of stores % of national turnover no. of stores (% points)\n"
    "Austria17568145303\nBelgium/Luxembourg25762185877\nDenmark20739155445\nFrance7194014366\n"
    "Greecen.a.n.a.n.a.n.a.n.a.\nItaly102360..6010\nPortugal93142307\nUK111440611295\n"
)


def test_a_difference_column_under_a_header_of_years_is_read(tmp_path: Path) -> None:
    """ICDAR eu-004 table 7 flattened: the growth in share is the 1996 share minus the 1991 share. No printed cell,
    no totals row and no header word counted the columns, and ``c1 = c3 + c5`` is no rule tried, so the table was not
    read (and the difference fits by chance under 6 to 9 columns too). The two header lines count 5: two years, the
    same two names under each, one column more (``year_groups_header``); under that count the difference of one
    name's columns is tried, and it reads each row one way (the page, reduced). Italy's ``..`` leaves its rule
    unchecked: its other cells read several ways and stay empty."""
    doc = tmp_path / "eu-004-t7.txt"
    doc.write_text(EU004_T7, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    rows = {label: [None if pd.isna(v) else int(v) for v in row] for label, row in df.iterrows()}
    assert rows["Austria"] == [17, 568, 14, 530, 3]
    assert rows["Belgium/Luxembourg"] == [25, 762, 18, 587, 7]
    assert rows["Denmark"] == [20, 739, 15, 544, 5]
    assert rows["France"] == [7, 1940, 1, 436, 6]
    assert rows["Portugal"] == [9, 314, 2, 30, 7]
    assert rows["UK"] == [11, 1440, 6, 1129, 5]
    assert rows["Greece"] == [None] * 5
    assert rows["Italy"] == [None] * 5  # 10 | 2360 | .. | 60 | 10 on the page, but 102 | 360 … reads too
    assert "growth_in_share_points = of_national_turnover_1996 - of_national_turnover_1991" in result.rules.text


def test_a_header_of_words_under_years_counts_its_columns_only_where_its_names_repeat() -> None:
    """The count ``year_groups_header`` reads: the lower line's names once per year above, then one more column's."""
    got = year_groups_header(EU004_T7.splitlines()[0], EU004_T7.splitlines()[1])
    assert got is not None and len(got.names) == 5 and got.group == 2
    assert year_groups_header("1996 1991", "% of national turnover no. of stores % of national turnover") is None
    assert year_groups_header("Country Region", "% of national turnover no. of stores") is None
    assert year_groups_header("1996 1991 growth", "Sales Stores Sales Shops Growth") is None


#: eu-003's table 2 flattened (ICDAR 2013, page 1), the whole table: a count and its share, twice; the totals row
#: prints the two counts only.
EU003_T2 = (
    "Number of financial companies Pct of all companies analysed Number of financial companies on FTSE Eurotop 100 "
    "Pct of FTSE Eurotop 100 companies\n"
    "0 reclassifications5252%1464%\n1 reclassification2828%418%\n2 reclassifications1111%29%\n"
    "3 reclassifications88%29%\n4 reclassifications11%00%\nTotal10022\n"
)


def test_a_totals_row_that_leaves_the_percent_columns_blank_counts_the_columns(tmp_path: Path) -> None:
    """ICDAR eu-003 table 2 flattened: each row prints a count and its share twice (``5252%1464%``), the totals row
    the two counts only (``Total10022``: 100 and 22). Read as a row of every column, the totals row met no column
    count, and no rule or header counted them: the table was not read. A totals row printing no % where every other
    row prints runs each ending in one leaves the columns the % ends blank; one placing only (a count before each
    share, 4 columns) meets it, and the two totals pin every cell (the page)."""
    doc = tmp_path / "eu-003-t2.txt"
    doc.write_text(EU003_T2, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    rows = {label: [None if pd.isna(v) else int(v) for v in row] for label, row in df.iterrows()}
    assert rows == {
        "0 reclassifications": [52, 52, 14, 64],
        "1 reclassification": [28, 28, 4, 18],
        "2 reclassifications": [11, 11, 2, 9],
        "3 reclassifications": [8, 8, 2, 9],
        "4 reclassifications": [1, 1, 0, 0],
        "Total": [100, None, 22, None],
    }
    assert "printed: [c1, c3]" in result.rules.text


def test_a_partial_totals_row_is_tried_only_where_every_row_ends_its_runs_in_a_percent(tmp_path: Path) -> None:
    """The totals row is read as leaving the percent columns blank only where every other row prints runs each ending
    in a %: one row printed without them (``4 reclassifications1100``) tells nothing of where its shares stand, and
    the table is not read (eu-003 table 2, one row changed)."""
    doc = tmp_path / "shares.txt"
    doc.write_text(EU003_T2.replace("4 reclassifications11%00%", "4 reclassifications1100"), encoding="utf-8")
    result = recover.read(doc)
    assert "printed:" not in result.rules.text
    assert not result.tables


# sportsipy-nhl-box-202003040VAN flattened, reduced: the Arizona skaters' table (its title, the header's upper row, the
# column names one a line, seven skaters, the goalie and the TOTAL row), the page's own lines
NHL_BOX = (
    "Arizona Coyotes Table\n\n\n\n\nScoring\nGoals\nAssists\n\n\n\n"
    "Rk\nPlayer\nG\nA\nPTS\n+/-\nPIM\nEV\nPP\nSH\nGW\nEV\nPP\nSH\nS\nS%\nSHFT\nTOI\n\n\n\n"
    "1Lawson Crouse101101001000250.02113:00\n"
    "2Jason Demers000-12000000002415:37\n"
    "4Oliver Ekman-Larsson112301000100333.32924:10\n"
    "8Barrett Hayton00000000000001711:56\n"
    "16Nick Schmaltz101101000000520.02315:49\n"
    "17Carl Soderberg112200100100616.72618:32\n"
    "18Derek Stepan01120000010030.02616:03\n"
    "19Darcy Kuemper00000000000059:57\n\nTOTAL45963104010.0\n"
)


def test_a_box_score_is_read_under_its_header_printed_one_name_a_line(tmp_path: Path) -> None:
    """Issue 15: the NHL box score flattened (two skaters' tables, 611 numbers) was not read without a rules file:
    its header prints one name a line, so nothing counted its 16 columns; the run ending in a time (``…250.02113:00``)
    made ``0.021`` a digit group, so the page was read under ``.`` thousands; no rule held on its rows read as any
    numbers. Zero-config now takes the evidence the page prints: the header's names count the columns (a rank, 1, 2,
    3 … before each label, takes the first, the label the second), each row ends in a time (the last column's), no
    row prints a decimal mark but for the percentage ``S%`` (the others hold whole numbers), and ``S% = 100 * G / S``
    holds on every row that reads, blank exactly where S is 0 (the one cell a row may leave blank printing nothing).
    Cells the evidence does not settle stay empty: shifts and time on ice (``2113:00`` is 21 and 13:00, or 2 and
    113:00: no bound says), the goalie's row (it prints 13 numbers for 16 columns: which are blank?) and the TOTAL row
    (it prints some columns only). Expected cells by hand from the page (rank, G … S, S%)."""
    doc = tmp_path / "sportsipy-nhl-box-202003040VAN.txt"
    doc.write_text(NHL_BOX, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert "s_pct = 100 * g / s" in result.rules.text and "may_be_blank: [s_pct]" in result.rules.text
    counts = ["rk", "g", "a", "pts", "plus_minus", "pim", "ev", "pp", "sh", "gw", "ev_2", "pp_2", "sh_2", "s"]
    expected = {
        "Lawson Crouse": [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 2, Decimal("50.0")],
        "Jason Demers": [2, 0, 0, 0, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, None],
        "Oliver Ekman-Larsson": [4, 1, 1, 2, 3, 0, 1, 0, 0, 0, 1, 0, 0, 3, Decimal("33.3")],
        "Barrett Hayton": [8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None],
        "Nick Schmaltz": [16, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 5, Decimal("20.0")],
        "Carl Soderberg": [17, 1, 1, 2, 2, 0, 0, 1, 0, 0, 1, 0, 0, 6, Decimal("16.7")],
        "Derek Stepan": [18, 0, 1, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 3, Decimal("0.0")],
    }
    for player, cells in expected.items():
        got = [None if pd.isna(v) else v for v in df.loc[player, [*counts, "s_pct"]].tolist()]
        assert got == cells, player
        assert pd.isna(df.loc[player, "shft"]) and df.loc[player, "toi"] == "", player  # a time: text
    for row in ("Darcy Kuemper", "TOTAL"):  # fewer cells printed than the header names: never guessed
        assert df.loc[row, counts[1:] + ["s_pct", "shft"]].isna().all() and df.loc[row, "toi"] == "", row
    status = dict(zip(result.provenance["table_1"]["label"], result.provenance["table_1"]["status"], strict=True))
    assert status["Darcy Kuemper"] == status["TOTAL"] == "unreadable"
    assert len(df) == 9  # every row the page shows


#: pfr-afc-2017-standings flattened by get_text(), reduced to its header and two divisions (the page's own text).
PFR_AFC = (
    "AFC Standings Table\n\n\n\nTm\nW\nL\nW-L%\nPF\nPA\nPD\nMoV\nSoS\nSRS\nOSRS\nDSRS\n\n\n\n"
    " AFC East\n"
    "New England Patriots*133.81345829616210.1-1.28.96.32.6\n"
    "Buffalo Bills+97.563302359-57-3.6-0.5-4.0-3.0-1.0\n"
    "Miami Dolphins610.375281393-112-7.00.7-6.3-3.9-2.4\n"
    "New York Jets511.313298382-84-5.30.3-4.9-2.9-2.1\n"
    " AFC North\n"
    "Pittsburgh Steelers*133.813406308986.1-1.15.03.21.8\n"
    "Baltimore Ravens97.563395303925.8-2.43.42.21.2\n"
    "Cincinnati Bengals79.438290349-59-3.7-1.3-5.0-4.1-0.9\n"
    "Cleveland Browns016.000234410-176-11.00.0-11.0-6.8-4.1\n"
)


def test_a_header_printed_one_name_a_line_counts_the_columns_of_fused_rows(tmp_path: Path) -> None:
    """Issue 15/16: Pro-Football-Reference's standings flattened (``New England Patriots*133.81345829616210.1-1.2…``
    under ``Tm`` / ``W`` / ``L`` / ``W-L%`` / … / ``DSRS``, one name a line) were not read (0 of 176 cells, "no column
    count is the only one a totals row meets"): the header, printed one name a line, was not seen as counting the
    columns; ``.813`` (W-L%, printed without its whole part) was no number the run-together grammar read; and no row
    rule was tried under column types. Now the 12 names count 11 columns after the label's, the one typing under which
    every row reads with a share (``.813``) that is a ratio of two columns on every row is adopted (``w_l = w / (w +
    l)``: 13 / 16 = .8125, printed .813; it parts ``133`` as 13 and 3, not 1 and 33), and ``pf = pa + pd`` holds under
    it; SRS = MoV + SoS and SRS = OSRS + DSRS are one decimal off on some rows of the page, so they are not adopted."""
    doc = tmp_path / "pfr-afc-2017-standings.txt"
    doc.write_text(PFR_AFC, encoding="utf-8")
    result = recover.read(doc)
    df = result.tables["table_1"]
    assert list(df.columns) == ["w", "l", "w_l", "pf", "pa", "pd", "mo_v", "so_s", "srs", "osrs", "dsrs"]
    d = Decimal
    assert list(df.loc["New England Patriots"]) == [
        13,
        3,
        d(".813"),
        458,
        296,
        162,
        d("10.1"),
        d("-1.2"),
        d("8.9"),
        d("6.3"),
        d("2.6"),
    ]
    assert list(df.loc["Miami Dolphins"]) == [
        6,
        10,
        d(".375"),
        281,
        393,
        -112,
        d("-7.0"),
        d("0.7"),
        d("-6.3"),
        d("-3.9"),
        d("-2.4"),
    ]
    assert list(df.loc["Cleveland Browns"]) == [
        0,
        16,
        d(".000"),
        234,
        410,
        -176,
        d("-11.0"),
        d("0.0"),
        d("-11.0"),
        d("-6.8"),
        d("-4.1"),
    ]
    assert list(df.loc["Cincinnati Bengals"]) == [
        7,
        9,
        d(".438"),
        290,
        349,
        -59,
        d("-3.7"),
        d("-1.3"),
        d("-5.0"),
        d("-4.1"),
        d("-0.9"),
    ]
    assert int(df.notna().sum().sum()) == 8 * 11
    assert "w_l = w / (w + l)" in result.rules.text and "pf = pa + pd" in result.rules.text
    rules = tmp_path / "inferred-rules.yaml"
    rules.write_text(result.rules.text, encoding="utf-8")
    again = recover.read(doc, rules=rules).tables["table_1"]
    assert again.equals(df)


def test_a_share_one_count_off_is_no_ratio_and_the_table_is_not_read(tmp_path: Path) -> None:
    """The same page with Miami's W-L% printed ``.395`` (6 / 16 = .375, and no parting of ``610`` meets .395): the share
    is then a ratio on no typing, nothing else counts the columns, and the table is not read: no cell is guessed."""
    doc = tmp_path / "pfr-afc-2017-standings.txt"
    doc.write_text(PFR_AFC.replace("610.375", "610.395"), encoding="utf-8")
    result = recover.read(doc)
    assert "table_1" not in result.tables


def test_a_header_of_years_is_found_though_it_reads_as_numbers(tmp_path: Path) -> None:
    """ICDAR eu-004 (eu-005 table 1) flattened: `1996 1993` over `Austria5954` … The header counts two columns, but
    the run then said `table table_1: no line matches its header` and listed no row at all: the header line was
    compared by its label part only, and a line of years has none (its figures read as numbers). A header that holds
    figures is compared with the line's whole text; every row is then listed, its runs left empty (`59|54`, `5|954`
    and `595|4` all read, and nothing on the page tells them apart)."""
    doc = tmp_path / "eu-005-t1.txt"
    doc.write_text("1996 1993\nAustria5954\nBelgium/Lux6260\nDenmark5954\nFinland8994\nFrance5148\n", encoding="utf-8")
    result = recover.read(doc)
    assert not any("no line matches its header" in p for p in result.report), result.report
    df = result.tables["table_1"]
    assert list(df.index) == ["Austria", "Belgium/Lux", "Denmark", "Finland", "France"]
    assert df.isna().all().all()  # nothing the evidence does not decide is published
    assert set(result.provenance["table_1"]["status"]) == {"ambiguous"}
