"""PDF geometry as evidence: a line's cells read from where its words stand on the page.

Each PDF is drawn here with reportlab the way a statistical report is: the label at the left
margin, each number right-aligned (drawRightString) at its column's x. The expected cells are
written by hand from what is drawn, and read back through the real extractor (the bounded
worker process), never from the geometry functions alone.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from recover.extractors import source_to_document
from recover.fetch import location_to_source

FONT, SIZE = "Helvetica", 9
LABEL_X = 50
COLUMNS = (250, 330, 410, 490)  # right edges of the numeric columns
STEP = 14


def _document(path):
    return source_to_document(location_to_source(str(path)))


def _draw_row(c, y, label, cells, columns=COLUMNS, twice=False):
    """Draw one table row: the label at the margin, each non-empty cell right-aligned at its column."""
    c.setFont(FONT, SIZE)
    for dx in (0, 0.3) if twice else (0,):
        if label:
            c.drawString(LABEL_X + dx, y, label)
        for x, cell in zip(columns, cells):
            if cell:
                c.drawRightString(x + dx, y, cell)


def _table_pdf(path, header, rows, title="Table 1. Expenditure by line", twice=False):
    c = canvas.Canvas(str(path))
    y = 780
    c.setFont(FONT, 11)
    c.drawString(LABEL_X, y, title)
    y -= 20
    _draw_row(c, y, header[0], header[1:], twice=twice)
    y -= STEP
    for row in rows:
        _draw_row(c, y, row[0], row[1:], twice=twice)
        y -= STEP
    c.save()
    return path


def _cells(doc):
    return [line.cells for line in doc.lines if line.text]


def test_blank_cell_stays_an_empty_cell_in_its_column(tmp_path):
    """A row with nothing printed in one column gets "" there, and its other cells keep their columns and their text (94,000 intact)."""
    rows = [
        ("Salaries", "120,000", "15,500", "8,250", "143,750"),
        ("Staff Travel", "94,000", "", "20,000", "114,000"),
        ("Supplies", "3,400", "1,200", "600", "5,200"),
        ("Contracts", "45,000", "2,000", "12,000", "59,000"),
    ]
    doc = _document(_table_pdf(tmp_path / "budget.pdf", ("Line", "Federal", "State", "Local", "Total"), rows))
    got = {line.text: line.cells for line in doc.lines}
    assert got["Staff Travel 94,000 20,000 114,000"] == ("Staff Travel", "94,000", "", "20,000", "114,000")
    assert got["Salaries 120,000 15,500 8,250 143,750"] == ("Salaries", "120,000", "15,500", "8,250", "143,750")
    assert got["Supplies 3,400 1,200 600 5,200"] == ("Supplies", "3,400", "1,200", "600", "5,200")
    assert got["Contracts 45,000 2,000 12,000 59,000"] == ("Contracts", "45,000", "2,000", "12,000", "59,000")
    assert got["Line Federal State Local Total"] is None  # the header is no row of numbers
    assert got["Table 1. Expenditure by line"] is None


def test_fake_bold_glyphs_drawn_twice_are_read_once(tmp_path):
    """Every glyph drawn twice 0.3 pt apart (fake bold) must not double a digit: Alaska 1 2 3, never 11 22 33."""
    rows = [("Alaska", "1", "2", "3", "6"), ("Arizona", "10", "20", "30", "60"), ("Arkansas", "4", "5", "9", "18")]
    doc = _document(
        _table_pdf(tmp_path / "bold.pdf", ("State", "Active", "Resolved", "Other", "Total"), rows, twice=True)
    )
    got = {line.text: line.cells for line in doc.lines}
    assert got["Alaska 1 2 3 6"] == ("Alaska", "1", "2", "3", "6")
    assert got["Arizona 10 20 30 60"] == ("Arizona", "10", "20", "30", "60")
    assert got["Arkansas 4 5 9 18"] == ("Arkansas", "4", "5", "9", "18")
    assert "State Active Resolved Other Total" in got


def test_digits_kerned_apart_in_one_column_are_one_cell(tmp_path):
    """A total drawn as "1" and "4.862" with a small extra gap, under a column whose other rows print 12.345-wide numbers, is one cell 14.862; the line's text keeps the gap."""
    path = tmp_path / "kerned.pdf"
    c = canvas.Canvas(str(path))
    y = 780
    _draw_row(c, y, "Region", ("Urban", "Rural", "Other", "Total"))
    for label, cells in [
        ("North", ("5.120", "4.200", "3.025", "12.345")),
        ("South", ("3.001", "4.000", "3.000", "10.001")),
    ]:
        y -= STEP
        _draw_row(c, y, label, cells)
    y -= STEP
    _draw_row(c, y, "East", ("6.000", "5.000", "3.862", ""))
    c.setFont(FONT, SIZE)
    c.drawRightString(COLUMNS[3], y, "4.862")
    c.drawRightString(
        COLUMNS[3] - stringWidth("4.862", FONT, SIZE) - 3.0, y, "1"
    )  # 3 pt of extra kerning inside the cell
    y -= STEP
    _draw_row(c, y, "West", ("2.000", "2.500", "7.100", "11.600"))
    c.save()
    got = {line.text: line.cells for line in _document(path).lines}
    assert got["East 6.000 5.000 3.862 1 4.862"] == ("East", "6.000", "5.000", "3.862", "14.862")
    assert got["North 5.120 4.200 3.025 12.345"] == ("North", "5.120", "4.200", "3.025", "12.345")
    assert got["West 2.000 2.500 7.100 11.600"] == ("West", "2.000", "2.500", "7.100", "11.600")


def test_two_cells_far_apart_in_one_column_are_never_joined(tmp_path):
    """Two words under one column with a wide gap between them are not one kerned number: that line is left to the text path."""
    path = tmp_path / "wide.pdf"
    c = canvas.Canvas(str(path))
    y = 780
    _draw_row(c, y, "Region", ("Urban", "Rural", "Other", "Total"))
    for label, cells in [
        ("North", ("5,120", "4,200", "3,025", "12,345,678")),
        ("South", ("3,001", "4,000", "3,000", "10,001,000")),
        ("West", ("2,000", "2,500", "7,100", "11,600,000")),
    ]:
        y -= STEP
        _draw_row(c, y, label, cells)
    y -= STEP
    _draw_row(c, y, "East", ("6,000", "5,000", "3,862", "862"))
    c.setFont(FONT, SIZE)
    c.drawString(
        COLUMNS[3] - stringWidth("12,345,678", FONT, SIZE), y, "1"
    )  # "1" at the column's left, 862 at its right
    c.save()
    got = {line.text: line.cells for line in _document(path).lines}
    assert got["East 6,000 5,000 3,862 1 862"] is None
    assert got["North 5,120 4,200 3,025 12,345,678"] == ("North", "5,120", "4,200", "3,025", "12,345,678")


def test_placeholders_are_kept_as_the_cell_text(tmp_path):
    """Cells printed as "-", "(D)" or ".." (nothing, withheld, not available) are cells, kept as printed."""
    rows = [
        ("Farms", "1,204", "-", "310", "1,514"),
        ("Ranches", "(D)", "88", "12", "(D)"),
        ("Orchards", "45", "..", "7", "52"),
        ("Dairies", "300", "20", "1", "321"),
    ]
    doc = _document(_table_pdf(tmp_path / "placeholders.pdf", ("Kind", "North", "South", "West", "Total"), rows))
    got = {line.text: line.cells for line in doc.lines}
    assert got["Farms 1,204 - 310 1,514"] == ("Farms", "1,204", "-", "310", "1,514")
    assert got["Ranches (D) 88 12 (D)"] == ("Ranches", "(D)", "88", "12", "(D)")
    assert got["Orchards 45 .. 7 52"] == ("Orchards", "45", "..", "7", "52")
    assert got["Dairies 300 20 1 321"] == ("Dairies", "300", "20", "1", "321")


def test_negatives_and_footnote_marks_are_kept_as_the_cell_text(tmp_path):
    """Accounting negatives (700), signed -12 and a footnote mark 500* are each one cell, kept as printed."""
    rows = [
        ("Opening balance", "1,000", "250", "500*", "1,750"),
        ("Transfers", "(700)", "-12", "40", "(672)"),
        ("Closing balance", "300", "238", "540", "1,078"),
    ]
    doc = _document(_table_pdf(tmp_path / "negatives.pdf", ("Account", "Q1", "Q2", "Q3", "Year"), rows))
    got = {line.text: line.cells for line in doc.lines}
    assert got["Opening balance 1,000 250 500* 1,750"] == ("Opening balance", "1,000", "250", "500*", "1,750")
    assert got["Transfers (700) -12 40 (672)"] == ("Transfers", "(700)", "-12", "40", "(672)")
    assert got["Closing balance 300 238 540 1,078"] == ("Closing balance", "300", "238", "540", "1,078")


def test_table_continued_on_page_two_gets_cells_on_both_pages(tmp_path):
    """A table split over two pages (header repeated) gets cells on each page, each line keeping its page."""
    path = tmp_path / "continued.pdf"
    c = canvas.Canvas(str(path))
    pages = [
        [("Alabama", "12", "340", "352"), ("Alaska", "3", "45", "48"), ("Arizona", "27", "209", "236")],
        [("Arkansas", "18", "88", "106"), ("California", "143", "2,359", "2,502"), ("Colorado", "42", "455", "497")],
    ]
    for n, rows in enumerate(pages):
        y = 780
        c.setFont(FONT, 11)
        c.drawString(LABEL_X, y, "Table 2. Cases by state" + (", continued" if n else ""))
        y -= 20
        _draw_row(c, y, "State", ("Active", "Resolved", "Total"))
        for row in rows:
            y -= STEP
            _draw_row(c, y, row[0], row[1:])
        c.showPage()
    c.save()
    got = {line.text: (line.page, line.cells) for line in _document(path).lines if line.text}
    assert got["Alaska 3 45 48"] == (1, ("Alaska", "3", "45", "48"))
    assert got["Alabama 12 340 352"] == (1, ("Alabama", "12", "340", "352"))
    assert got["Arizona 27 209 236"] == (1, ("Arizona", "27", "209", "236"))
    assert got["Arkansas 18 88 106"] == (2, ("Arkansas", "18", "88", "106"))
    assert got["California 143 2,359 2,502"] == (2, ("California", "143", "2,359", "2,502"))
    assert got["Colorado 42 455 497"] == (2, ("Colorado", "42", "455", "497"))


def test_run_together_text_gets_no_cells(tmp_path):
    """A page printed from damaged text (label and digits run together) shows no columns: every line is left to the text path."""
    path = tmp_path / "damaged.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, SIZE)
    y = 780
    for line in [
        "Case Type Case Status Total",
        "Endangered Runaway2,04225,03027,072",
        "Family Abduction2871,1091,396",
        "Lost, Injured, or Otherwise Missing20219239",
        "Missing Young Adult75921996",
        "Nonfamily Abduction97079",
    ]:
        c.drawString(LABEL_X, y, line)
        y -= STEP
    c.save()
    doc = _document(path)
    assert [line.text for line in doc.lines if line.text][1] == "Endangered Runaway2,04225,03027,072"
    assert _cells(doc) == [None] * 6


def test_prose_with_numbers_gets_no_cells(tmp_path):
    """A paragraph with a few numbers, each word drawn on its own (no space glyphs), is no table: no cells."""
    path = tmp_path / "prose.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, SIZE)
    y = 780
    paragraph = [
        "In 2020 the hotline took 21,700 calls, up from 16,900 in 2019 and",
        "12,400 in 2018. Of those, 3,220 came from 140 agencies in 12 states",
        "and 1,053 were resolved within 30 days, against 980 and 870 before.",
        "The remaining 2,167 stay open; 45 of them date back 10 years or 20.",
    ]
    for text in paragraph:
        x = LABEL_X
        for word in text.split():
            c.drawString(x, y, word)
            x += stringWidth(word + " ", FONT, SIZE)
        y -= STEP
    c.save()
    doc = _document(path)
    assert [line.text for line in doc.lines if line.text] == paragraph
    assert _cells(doc) == [None] * 4
