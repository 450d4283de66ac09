"""The PDF worker: one parse per page (playa, Camelot's parser, for both the lines and the stream tables), and a
long-lived worker that imported its modules once and forks a bounded child per PDF."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.errors import BoundError
from recover.extractors import pdf, pdf_worker
from recover.fetch import location_to_source as path_to_source

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
EU001 = CORPORA / "icdar2013-eu" / "eu-001.pdf"

needs_corpora = pytest.mark.skipif(not EU001.exists(), reason="../shared/corpora is not beside the checkout")


@needs_corpora
def test_lines_from_the_one_parse_read_the_page_as_printed():
    """The worker parsed each page twice (pdfplumber for the lines, Camelot again for its tables): 3.1 s a document
    against Camelot's 0.41 s. Lines now come from the glyphs of Camelot's own layout. Expected lines are copied by
    hand from eu-001's first page (the heavy-metals table)."""
    result = pdf_worker.read(str(EU001))
    texts = [line["text"] for line in result["pages"][0]]
    assert any(t.startswith("Cadmium") for t in texts), texts[:40]
    assert result["tables"], "Camelot's stream tables come from the same layout"
    assert all(table["page"] >= 1 and len(table["rows"]) == len(table["lines"]) for table in result["tables"])


@needs_corpora
def test_two_threads_read_pdfs_at_once_and_get_what_one_gets_alone():
    """The long-lived worker serves one PDF at a time; a second thread (a Prefect flow's task runner) reads its PDF in
    a process of its own and must get the same document."""
    source = path_to_source(str(EU001))
    alone = pdf.source_to_document(source)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(pdf.source_to_document(source))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [alone, alone]


@needs_corpora
def test_a_pdf_over_the_time_bound_names_it_and_the_next_pdf_is_read(monkeypatch):
    """A worker past DEFAULT_MAX_PDF_SECONDS is killed with its child: the error names the bound, and the next PDF
    starts a new worker rather than reading the dead one's answer."""
    source = path_to_source(str(EU001))
    monkeypatch.setattr(pdf, "DEFAULT_MAX_PDF_SECONDS", 0.001)
    with pytest.raises(BoundError, match="DEFAULT_MAX_PDF_SECONDS"):
        pdf.source_to_document(source)
    monkeypatch.undo()
    assert pdf.source_to_document(source).lines


REAL = Path(__file__).resolve().parent / "real" / "camelot_pdfs"


def test_a_header_drawn_up_the_page_does_not_hide_the_table(run_cli, tmp_path):
    """vertical_header.pdf (Camelot's tests): the candidates' names are drawn up the page above the first row, and
    Camelot's stream row for `Alcona` stretched over those lines. The row was placed on the first line of its stretch
    (a line of mirrored names), two rows then shared a line and the whole table was dropped: 0 of its numbers. A row
    is now the line that printed most of its words, and a cell merged with a name (`Brian Calley 55`) keeps the one
    number its own line printed. Expected rows copied by hand from the page."""
    out = tmp_path / "out"
    run_cli("run", str(REAL / "vertical_header.pdf"), "--out", str(out))
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert rows[1][:10] == ["Alcona", "963", "439", "55", "26", "47", "164", "173", "111", ""]
    assert rows[-1][:5] == ["Totals", "9237", "3396", "371", "373"]


def test_a_kerned_first_letter_stays_in_its_label_and_one_year_heads_its_column(run_cli, tmp_path):
    """edge_tol.pdf (Camelot's tests): Camelot cut each label's kerned first letter into a column of its own (`N` |
    `et Asset Value at 31 December`), so every row was labelled `N` or `C`; and `2016`, printed alone over the one
    column of figures, was published as a number of the row `(all amounts in EUR)`. The line's glyphs print `Net`
    with no gap, so the cells are joined; a lone year on a table's first row, with nothing else on it, names its
    column. Expected rows copied by hand from the page."""
    out = tmp_path / "out"
    run_cli("run", str(REAL / "edge_tol.pdf"), "--out", str(out))
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert rows[0][1] == "c_2016"
    assert ["Net Asset Value at 31 December", "5111372"] in rows
    assert ["Number of outstanding units at 31 December", "471555"] in rows
    assert not any(r[1] == "2016" for r in rows[1:])


def test_rows_spanned_by_one_cell_are_read(run_cli, tmp_path):
    """row_span_1.pdf (Camelot's tests): a plan type cell spans several rows, and Camelot's rows for it shared a line
    with the next: the table was dropped and the text path read none of it (0 of 38 numbers). Expected numbers copied
    by hand from the page."""
    out = tmp_path / "out"
    run_cli("run", str(REAL / "row_span_1.pdf"), "--out", str(out))
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    at = rows[0].index("totals")  # the page's order: the plan type and county, the plan's name, the totals
    got = {(r[0], r[at]) for r in rows}
    assert {("Sacramento", "74620"), ("Marin", "36006"), ("Orange", "783079"), ("", "1091255")} <= got


def test_a_table_of_codes_is_read_with_its_leading_zeros(run_cli, tmp_path):
    """mexican_towns.pdf (Camelot's tests): a table of codes and names (`01 Aguascalientes 001 Aguascalientes 0094
    Granja Adelita`) has no column of quantities, so no column was numeric and the table was not read at all ("no
    table found"; Camelot stream reads its 123 codes). Codes are published as printed, leading zeros kept, as text
    columns; the label is the first name; a header Camelot set one column right of its cells (`Nombre Municipio`)
    names them. Expected rows from Camelot's own expected table (data.py, data_stream_columns), which copies the page;
    and the inferred rules reproduce the CSV byte for byte."""
    out, again = tmp_path / "out", tmp_path / "again"
    run_cli("run", str(REAL / "mexican_towns.pdf"), "--out", str(out))
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert rows[0] == [
        "nombre_entidad",
        "clave_entidad",
        "clave_municipio",
        "nombre_municipio",
        "clave_localidad",
        "nombre_localidad",
    ]
    assert rows[1] == ["Aguascalientes", "01", "001", "Aguascalientes", "0094", "Granja Adelita"]
    assert ["Aguascalientes", "01", "001", "Aguascalientes", "0112", "Bajío los Vázquez"] in rows
    assert len(rows) == 1 + 41
    status, _, err = run_cli(
        "run", str(REAL / "mexican_towns.pdf"), "--rules", str(out / "inferred-rules.yaml"), "--out", str(again)
    )
    assert status == 0, err
    assert (again / "table_1.csv").read_bytes() == (out / "table_1.csv").read_bytes()


@needs_corpora
def test_a_row_is_placed_on_its_own_line_though_another_row_took_it_first(run_cli, tmp_path):
    """eu-015 (ICDAR 2013), page 2: three tables side by side beside pie charts. A chart's label `non-EU`, printed a
    little higher on the line `France 136 France 99 Belgium 56`, is a Camelot row of its own and took that line first;
    the France row was then placed on the next line (`Italy 92 Italy 82 France 46`, which shares `France`), two rows
    shared it, and `Italy 92` / `Italy 82` were dropped. And an empty Camelot row took the height of `Grand Total 1.726
    Unspecified 182`, whose bounds then held only the line below: `Grand Total 1.256` was dropped. A row is now the line
    that prints most of its words, taken or not, within its bounds or just beside them. Expected rows from the page."""
    out = tmp_path / "out"
    run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-015.pdf"), "--out", str(out), "--no-validate")
    first = list(csv.reader(open(out / "table_2.csv", encoding="utf-8")))
    second = list(csv.reader(open(out / "table_3.csv", encoding="utf-8")))
    assert first[4:7] == [["France", "136"], ["Italy", "92"], ["Netherlands", "79"]]
    assert first[-1] == ["Grand Total", "1726"]
    assert second[4:7] == [["France", "99"], ["Italy", "82"], ["Belgium", "49"]]
    assert second[-2:] == [["Unspecified", "182"], ["Grand Total", "1256"]]


def test_a_superscript_on_a_row_of_its_own_does_not_cost_the_table():
    """eu-021.pdf p.3: Camelot set the `2` of `χ2 = 61.24, v =11, p < 0.0005` on a row of its own, at the same line as
    the rest of it; two rows on one line drop the table (recover then read it as six small ones: 52 -> 14 numbers). A
    row that prints nothing its line does not, beside a longer row on that line, is left out. Rows copied from the
    page."""
    texts = ["Percentage 1.2% 1.0%", "χ2 = 61.24, v =11, p < 0.0005"]
    rows = [["", "Percentage", "1.2%", "1.0%"], ["2", "", "", ""], ["χ = 61.24,", "= < v 11, p 0.0005", "", ""]]
    assert pdf_worker.rows_to_one_a_line(rows, [0, 1, 1], texts) == ([rows[0], rows[2]], [0, 1])
    # two rows that each print something the other does not stay: the table is then not read as printed
    other = [["", "Percentage", "1.2%", "1.0%"], ["Total", "9", "", ""]]
    assert pdf_worker.rows_to_one_a_line(other, [0, 0], texts)[1] == [0, 0]


def test_a_line_camelot_dealt_out_of_order_is_no_row():
    """eu-025.pdf p.2: Camelot cut `χ2 = 876.6, v =16, p < 0.0005` across its columns out of order (`χ = = < 876.6, v
    16, p` | `0.0005`), and the row was published with 0.0005 as a cell of a table it is no row of. A row that prints
    only its line's characters, but not in the line's order, is left out of the table. Texts copied from the page."""
    line = "χ2 = 876.6, v =16, p < 0.0005"
    assert pdf_worker.row_is_scrambled(["χ = = < 876.6, v 16, p", "0.0005"], line)
    assert not pdf_worker.row_is_scrambled(["Headache", "239", "119", "128"], "Headache 239 119 128")
    assert not pdf_worker.row_is_scrambled(["Chronic fatigue syndrome", "19"], "Chronic fatigue 19")  # wrapped label


def test_tables_side_by_side_are_told_apart_by_their_repeated_header():
    """eu-015.pdf p.2 (ICDAR 2013): three `country | Enquiries` tables side by side share their lines; Camelot reads one
    grid, and each number was published in the row of the first table's label (`Spain` with 91, which the page prints
    for Germany in the third table): 0 of their 95 numbers right. Two numeric columns or more with one name, each with
    labels to its left, make one table each. Rows copied from the page."""
    from recover.extractors.pdf import rows_to_side_by_side

    rows = [
        ["", "", "Free movement of", "", "Treaty reform / IGC /", ""],
        ["Air passengers rights", "Enquiries", "persons / workers", "Enquiries", "Lisbon Treaty", "Enquiries"],
        ["Spain", "268", "Spain", "153", "Germany", "91"],
        ["Germany", "233", "Germany", "119", "Spain", "85"],
        ["Total EU-15", "1.178", "Total EU-15", "813", "Total EU-15", "522"],
    ]
    parts = rows_to_side_by_side(rows)
    assert [p[2] for p in parts] == [["Spain", "268"], ["Spain", "153"], ["Germany", "91"]]
    assert parts[2][1] == ["Lisbon Treaty", "Enquiries"]
    # one label column with repeated names over its numbers (count and share per group) is one table
    one = [["Region", "Count", "%", "Count", "%"], ["North", "12", "40", "18", "60"], ["South", "9", "30", "21", "70"]]
    assert rows_to_side_by_side(one) == [one]


def test_a_table_camelot_ended_early_takes_the_rest_of_its_column_run():
    """eu-025.pdf p.3 (ICDAR 2013): Camelot's table ends at `Diabetes`, six of twelve rows; the page's geometry shows
    the same columns on down to `Endometriosis`, but a run of lines that touched a Camelot table was dropped whole, so
    the six rows below were read by no one (12 of 24 numbers). The run's rows below the table are appended, each
    cell in the column of Camelot's table that printed the same text on the lines both read. Rows copied from the
    page."""
    from recover.extractors import table_to_extended
    from recover.model import PrintedTable

    camelot = PrintedTable(
        (("Illnesses", "Male", "Female", ""), ("Asthma", "6", "25", ""), ("Diabetes", "1", "0", "")),
        (5, 8, 11),
        kind="pdf",
    )
    run = PrintedTable(
        (("Asthma", "6", "25"), ("Diabetes", "1", "0"), ("Back pain", "46", "156"), ("Endometriosis", "0", "6")),
        (8, 11, 14, 17),
        kind="pdf",
    )
    got = table_to_extended(camelot, (run,))
    assert got.rows[-2:] == (("Back pain", "46", "156", ""), ("Endometriosis", "0", "6", ""))
    assert got.lines == (5, 8, 11, 14, 17)
    # a run whose cells stand in no one column of the table (the same text twice) leaves the table as it is
    twice = PrintedTable((("Asthma", "6", "6"), ("Back pain", "46", "156")), (8, 14), kind="pdf")
    same = PrintedTable((("Asthma", "6", "6", ""), ("Diabetes", "1", "1", "")), (8, 11), kind="pdf")
    assert table_to_extended(same, (twice,)) == same


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "7", "a", " "]),
            st.sampled_from(["F1", "F2"]),
            st.sampled_from([9.0, 10.0]),
            st.booleans(),
            st.floats(0, 12, allow_nan=False).map(lambda v: round(v, 1)),
            st.floats(0, 12, allow_nan=False).map(lambda v: round(v, 1)),
        ),
        max_size=40,
    ),
    st.sampled_from([0, 0.5, 1.0, 1.5]),
)
def test_deduped_glyphs_are_pdfplumbers(glyphs, tolerance):
    """chars_to_deduped replaces pdfplumber's dedupe_chars (4 s of the ICDAR documents' 24 went to its cluster
    dictionaries): over any glyphs, near or far, in one font or two, upright or not, it keeps the very chars
    dedupe_chars keeps, in the same order, first copies kept (the independent reference is pdfplumber itself)."""
    from pdfplumber.utils import dedupe_chars

    chars = [
        {
            "text": t,
            "fontname": f,
            "size": z,
            "upright": u,
            "x0": x,
            "x1": x + 5,
            "top": y,
            "bottom": y + 9,
            "doctop": y,
        }
        for t, f, z, u, x, y in glyphs
    ]
    want = dedupe_chars(chars, tolerance=tolerance)
    got = pdf_worker.chars_to_deduped(chars, tolerance)
    assert [id(c) for c in got] == [id(c) for c in want]


def test_a_stream_table_takes_the_rows_its_columns_go_on_to(run_cli, tmp_path):
    """edge_tol.pdf (Camelot's tests): Camelot's stream table ends at `Net Asset Value per unit at 31 December 104.22`
    (Class B), while the page goes on printing its rows under the same column of figures down to `Total investment
    result per unit 3.78`; each line prints one figure, so no run of lines of two figures or more (``pdf_columns``)
    held them either, and 8 rows with their figures were dropped. A line below a stream table whose figures stand in
    its column of figures, lined up with them, beside a label, is a row of it; the footnotes below (`1 The results
    cover the period ... 2016.`) and the page number `4` are not. Expected rows copied by hand from the page."""
    out = tmp_path / "out"
    run_cli("run", str(REAL / "edge_tol.pdf"), "--out", str(out), "--no-validate")
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert rows[9:] == [
        ["Total for the Fund", ""],
        ["Net Asset Value at 31 December", "54256197"],
        ["Number of outstanding units at 31 December", "520691"],
        ["Investment result", ""],
        ["Direct result", ""],
        ["Revaluation", "2076667"],
        ["Costs", "-106870"],
        ["Total investment result for the period1", "1969797"],
        ["Investment result per unit2", ""],
        ["Direct result", ""],
        ["Revaluation", "3.99"],
        ["Costs", "-0.21"],
        ["Total investment result per unit", "3.78"],
    ]


def test_two_stream_tables_that_read_one_row_alike_are_one(run_cli, tmp_path):
    """detect_vertical_false.pdf (Camelot's tests): Camelot's stream mode cuts the page's one wine list in two, both
    tables reading the row `Château Léoube 2016 | 10 €`, and its second table ends at `A.O.P Châteauneuf du Pape`; the
    second table's rows were published as a table of their own and `Domaine de Beaurenard 2011 15 €` and `Domaine
    Lionnet « Terre Brûlée » 2012 15 €` by no table (8 of 20 prices). A table whose first row reads its line as the last
    row of another does is that table's continuation; the rows below under its columns are its own. The vintage stays
    in the label, as printed. Expected rows copied by hand from the page."""
    out = tmp_path / "out"
    run_cli("run", str(REAL / "detect_vertical_false.pdf"), "--out", str(out), "--no-validate")
    assert not (out / "table_2.csv").exists()
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert rows[22:] == [
        ["Château Léoube 2016", "10"],
        ["L es Rouges", ""],
        ["A.O.P Côtes du Rhône", ""],
        ["Domaine de Dionysos « La Cigalette »", "8"],
        ["Château Saint Estève d’Uchaux « Grande Réserve » 2014", "9"],
        ["Domaine de la Guicharde « Cuvée Massillan » 2016", "9"],
        ["Domaine de la Florane « Terre Pourpre » 2014", "10"],
        ["L’Oratoire St Martin « Réserve des Seigneurs » 2015", "11"],
        ["A.O.P Saint Joseph", ""],
        ["Domaine Monier Perréol « Châtelet » 2015", "13"],
        ["A.O.P Châteauneuf du Pape", ""],
        ["Domaine de Beaurenard 2011", "15"],
        ["A.O.P Cornas", ""],
        ["Domaine Lionnet « Terre Brûlée » 2012", "15"],
    ]


def test_a_label_camelot_left_out_of_its_row_is_taken_from_its_line():
    """eu-015.pdf p.1 (ICDAR 2013): Camelot read the lines `EIT 119`, `Research enquiry service 2.003` and `Export
    Helpdesk 169` as rows with an empty first cell (`'' | 119`), so the figures were published under no label (or the
    label of the line above) and the rows were lost. Where the first column is empty, the row's cells start in the
    second and its line prints words before them, those words are its label. Texts copied from the page."""
    assert pdf_worker.row_to_label_restored(["", "119", "", ""], "EIT 119") == ["EIT", "119", "", ""]
    assert pdf_worker.row_to_label_restored(["", "2.003", "", ""], "Research enquiry service 2.003")[0] == (
        "Research enquiry service"
    )
    # a figure alone on its line, a row whose label Camelot kept, a line that prints more than the cells: unchanged
    assert pdf_worker.row_to_label_restored(["", "4.330", "", ""], "4.330") == ["", "4.330", "", ""]
    assert pdf_worker.row_to_label_restored(["Total", "14.862"], "Total 14.862") == ["Total", "14.862"]
    assert pdf_worker.row_to_label_restored(["", "", "0"], "Customs 556 0") == ["", "", "0"]


@needs_corpora
def test_eu015_rows_keep_their_labels_and_wrapped_labels_their_lines(run_cli, tmp_path):
    """eu-015.pdf p.1 (ICDAR 2013), the whole run: `EIT`, `Research enquiry service` and `Export Helpdesk` are
    published with their figures (see ``row_to_label_restored``). And a label wrapped over seven lines, its figure
    printed alone beside the middle ones (`Other specific policies including Competition, External` / `trade, ...` /
    `Regional policy, ..., Culture,` / `4.330` / `Economic and monetary affairs, ...,` / `Fisheries ... services` /
    `and Environment`), was cut to the line above the figure: the row kept its figure under a label the page does not
    give it, and its other lines were rows of their own. A row with no label takes the label-only lines that go on
    from its lines above and below (a line ending with a comma, a line continuing it). Expected rows copied by hand
    from the page."""
    out = tmp_path / "out"
    run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-015.pdf"), "--out", str(out), "--no-validate")
    rows = [r[:2] for r in csv.reader(open(out / "table_1.csv", encoding="utf-8"))]
    assert ["EIT", "119"] in rows
    assert ["Research enquiry service", "2003"] in rows
    assert ["Export Helpdesk", "169"] in rows
    other = (
        "Other specific policies including Competition, External trade, Enlargement, Agriculture and rural "
        "development, Regional policy, Information Society and media, Culture, Economic and monetary affairs, Research "
        "and innovation, Fisheries and maritime affairs, Internal Market and services and Environment"
    )
    practicalities = (
        "Practicalities (Including complaints, OPOCE, mission, history, issues not related to the EU, bilateral "
        "agreements, national authorities, request for contact details and request for clarification)"
    )
    assert rows[-6:] == [
        [other, "4330"],
        ["EIT", "119"],
        ["Research enquiry service", "2003"],
        ["Export Helpdesk", "169"],
        [practicalities, "2417"],
        ["Grand Total", "23900"],
    ]


@needs_corpora
def test_two_rows_under_a_header_naming_their_columns_are_a_table(run_cli, tmp_path):
    """eu-025.pdf p.2 and eu-013.pdf p.5 (ICDAR 2013): a table of two lines under a header (`Very healthy Quite healthy
    Unhealthy` over `Male 36 102 16` and `Female 33 270 32`; `2001 2002 2003 2004 2005` over `On labour market training
    29 300 25 800 33 300 33 500 33 000`) was no run of lines in columns (three lines at least), Camelot found none
    either, and its rows were dropped. Two lines are a table where a header names their columns: a line of years over
    them, or the line above with one name per column, each nearest its own column (`Unhealthy` is centred left of the
    `16` under it). Expected rows copied by hand from the pages."""
    out = tmp_path / "out"
    run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-025.pdf"), "--out", str(out), "--no-validate")
    rows = [r for f in sorted(out.glob("table_*.csv")) if "provenance" not in f.name for r in csv.reader(open(f))]
    assert ["Male", "36", "102", "16"] in rows
    assert ["Female", "33", "270", "32"] in rows


@needs_corpora
def test_one_row_under_a_line_of_years_is_a_table(run_cli, tmp_path):
    """eu-013.pdf p.5 (ICDAR 2013): the same for a line of years over one row (see the test above); the years name the
    columns. Expected rows copied by hand from the page."""
    out = tmp_path / "out13"
    run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-013.pdf"), "--out", str(out), "--no-validate")
    tables = [list(csv.reader(open(f))) for f in sorted(out.glob("table_*.csv")) if "provenance" not in f.name]
    assert [
        ["label", "c_2001", "c_2002", "c_2003", "c_2004", "c_2005"],
        ["On labour market training", "29300", "25800", "33300", "33500", "33000"],
    ] in tables


def test_a_header_names_each_column_once_or_not_at_all():
    """The header check of a two-line block (``pdf_columns.header_to_names``), on eu-025 p.2's words (positions copied
    from the page): one name per column, each nearest its own, in order; a prose line (one word of many glyphs), a
    header of fewer names, or names that are figures name nothing."""
    from recover.extractors import pdf_columns

    def w(text: str, x0: float, x1: float) -> dict:
        return {"text": text, "x0": x0, "x1": x1, "top": 132.9, "bottom": 141.0}

    columns = [(196.1, 208.7, 12.6), (269.0, 286.7, 17.7), (352.1, 364.7, 12.6)]
    header = [w("Very healthy ", 143.6, 196.2), w("Quite healthy ", 220.1, 275.6), w("Unhealthy ", 304.3, 347.4)]
    assert pdf_columns.header_to_names(header, columns, 91.8)
    assert not pdf_columns.header_to_names([w("How healthy do you think you are? ", 177.5, 318.2)], columns, 91.8)
    assert not pdf_columns.header_to_names(header[:2], columns, 91.8)
    assert not pdf_columns.header_to_names([w("1990", 143.6, 196.2), *header[1:]], columns, 91.8)
    assert not pdf_columns.header_to_names([header[1], header[0], header[2]], columns, 91.8)
    assert pdf_columns.row_is_years([w("Years ", 70, 100), w("1990 ", 200, 220), w("1992 ", 250, 270)])
    assert not pdf_columns.row_is_years([w("Male ", 59.2, 81.1), w("36 ", 196.1, 208.7), w("102 ", 269.0, 286.7)])


def test_a_cell_whose_words_camelot_set_out_of_order_keeps_its_row(run_cli, tmp_path):
    """row_span_1.pdf (Camelot's tests): the plan type `PCCM`, printed once over two rows, is set by Camelot after
    `San Francisco` in the cell of the line `PCCM San Francisco Family Mosaic 25`; the row printed only its line's
    characters but not in their order, so it was taken for a formula Camelot cut out of order and dropped with its
    figure (25). A row reads in its line's order when some order of each cell's words does; the cell then takes the
    line's order. A formula cut across columns out of order still does not. Texts copied from the pages."""
    line = "PCCM San Francisco Family Mosaic 25"
    row = ["San Francisco PCCM", "Family Mosaic", "25", ""]
    assert pdf_worker.row_to_line_order(row, line) == ["PCCM San Francisco", "Family Mosaic", "25", ""]
    assert not pdf_worker.row_is_scrambled(row, line)
    assert pdf_worker.row_to_line_order(["χ = = < 876.6, v 16, p", "0.0005"], "χ2 = 876.6, v =16, p < 0.0005") is None
    assert pdf_worker.row_to_line_order(["Total", "853"], "Total 853") == ["Total", "853"]
    out = tmp_path / "out"
    run_cli("run", str(REAL / "row_span_1.pdf"), "--out", str(out), "--no-validate")
    rows = list(csv.reader(open(out / "table_1.csv", encoding="utf-8")))
    assert ["PCCM San Francisco", "Family Mosaic", "25", ""] in rows


@needs_corpora
def test_a_figure_set_in_a_row_from_another_line_is_left_empty(run_cli, tmp_path):
    """eu-015.pdf p.1 and eu-027.pdf (ICDAR 2013): Camelot set a figure from another line in a row: `Customs and
    taxation 556` was published `556,,0`, the `0` a tick of the chart's axis below it, and `Febuary 2011` (a chart's
    caption) got `37` and `40`. Numbers published in a cell the page does not print them in. A cell of a PDF table is
    published only where a line of its row prints it (spaces aside: kerned `1 4.862` is `14.862`); else it is left
    empty and said. Expected values read from the pages."""
    out = tmp_path / "out"
    _, _, err = run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-015.pdf"), "--out", str(out), "--no-validate")
    rows = [r for r in csv.reader(open(out / "table_1.csv", encoding="utf-8"))]
    assert ["Customs and taxation", "556", "", ""] in rows
    assert "1 cell(s) set in a row from another line (no line of the row prints them): left empty" in err
    prov = {r["raw"]: r for r in csv.DictReader(open(out / "table_1.provenance.csv", encoding="utf-8"))}
    assert prov["Customs and taxation 556"]["reason"] == "no line of the row prints c2 '0'"
    out = tmp_path / "out27"
    run_cli("run", str(CORPORA / "icdar2013-eu" / "eu-027.pdf"), "--out", str(out), "--no-validate")
    published = [r for p in out.glob("table_*.csv") if "provenance" not in p.name for r in csv.reader(open(p))]
    assert not any(r and r[0] == "Febuary 2011" and any(c in ("37", "40") for c in r[1:]) for r in published)
