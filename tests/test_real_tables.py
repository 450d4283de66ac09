"""Acceptance tests on realistic statistical tables: a number is published only where the page printed it.

Each fixture is a folder ``tests/real/<name>/``: the document (``document.txt`` or
``document.html``; the PDF is drawn here with reportlab), a hand-written ``rules.yaml`` and
``expected/<table>.csv`` written by hand from what the page prints. Every run goes through
the real CLI (``recover run ... --no-validate``) and must give those CSVs byte for byte.
A cell the evidence does not pin down is empty; a cell the page left blank stays empty and
is named in the provenance's ``blanks`` column; a label the page does not show never
appears; no printed row is dropped.

``test_expected_tables_satisfy_their_rules`` checks the hand-written truth against its own
rules without the library, so a failure elsewhere is the tool's, not the fixture's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

REAL = Path(__file__).resolve().parent / "real"

FIXTURES = [
    "state_text",
    "budget_html",
    "variance_text",
    "tourism_eu",
    "effectifs_fr",
    "wrapped_labels",
    "two_tables",
    "schools_pdf",
    "tenure_percent",
    "helpline_facts",
    "mixed_formats",
    "export_wrapped",
]

#: Printed labels that are deliberately outside their table's vocabulary.
UNLISTED_LABELS = {"state_text": {"Out of country"}}

PROVENANCE_HEADER = [
    "line",
    "page",
    "raw",
    "label",
    "score",
    "status",
    "solutions",
    "alternatives",
    "blanks",
    "marks",
    "reason",  # issue 18: why the row has its status (a reviewer's override was dropped)
]


# ----------------------------------------------------------------------------- the PDF fixture


SCHOOLS_PAGE_1 = [
    ("Alabama", ["812", "402", "41", "1,255"], False),
    ("Alaska", ["281", "110", "95", "486"], True),  # fake bold
    ("Arizona", ["1,104", "512", "", "1,616"], False),  # combined: nothing drawn
    ("Arkansas", ["620", "355", "\u2013", "975"], False),  # combined: an en dash
    ("California", ["7,012", "3,380", "1,005", "11,397"], False),
    ("Colorado", ["1,210", "540", "112", "1,862"], False),
]
SCHOOLS_PAGE_2 = [
    ("Connecticut", ["701", "284", "25", "1,010"], False),
    ("Delaware", ["140", "62", "", "202"], False),  # combined: nothing drawn
    ("Florida", ["2,505", "980", "610", "4,095"], False),
    ("Georgia", ["1,601", "703", "18", "2,322"], False),
]


def build_schools_pdf(path: Path) -> Path:
    """Draw a two-page report: the schools table cell by cell, right-aligned at fixed column positions.

    Undrawn cells and an en dash are blanks; the table continues on page 2 under a repeated
    title and header; Alaska's row is fake bold (each glyph drawn twice, 0.3 pt apart).
    """
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(612, 792))
    columns_x = [250, 330, 410, 490]

    def row(y, label, cells, bold=False, font="Helvetica", size=9):
        for dx in (0.0, 0.3) if bold else (0.0,):
            c.setFont(font, size)
            c.drawString(50 + dx, y, label)
            for x, cell in zip(columns_x, cells):
                if cell:
                    c.drawRightString(x + dx, y, cell)

    def title_and_header(y, title):
        c.setFont("Helvetica-Bold", 12)
        c.drawString(50, y, title)
        row(y - 24, "State", ["Elementary", "Secondary", "Combined", "Total"], font="Helvetica-Bold")
        return y - 42

    c.setFont("Helvetica", 10)
    c.drawString(50, 760, "Public Education Statistics: schools operating in the school year")
    y = title_and_header(730, "Schools by level and state")
    for label, cells, bold in SCHOOLS_PAGE_1:
        row(y, label, cells, bold)
        y -= 16
    c.setFont("Helvetica", 8)
    c.drawString(50, 50, "Source: State education agencies. Continued on the next page.")
    c.showPage()
    y = title_and_header(740, "Schools by level and state (continued)")
    for label, cells, bold in SCHOOLS_PAGE_2:
        row(y, label, cells, bold)
        y -= 16
    c.setFont("Helvetica", 8)
    c.drawString(50, y - 20, "A dash or an empty cell: the state reports no combined schools separately.")
    c.save()
    return path


# ----------------------------------------------------------------------------- helpers


def document(name: str, tmp_path: Path) -> Path:
    """Given a fixture's name, return its document (the PDF is built into tmp_path)."""
    if name == "schools_pdf":
        return build_schools_pdf(tmp_path / "schools.pdf")
    (doc,) = sorted((REAL / name).glob("document.*"))
    return doc


def run_fixture(run_cli, tmp_path: Path, name: str, validate: bool = False):
    """Run ``recover run`` on a fixture; return (status, stdout, stderr, out dir, document)."""
    doc = document(name, tmp_path)
    out = tmp_path / "out"
    args = ["run", doc, "--rules", REAL / name / "rules.yaml", "--out", out]
    if not validate:
        args.append("--no-validate")
    status, stdout, stderr = run_cli(*args)
    return status, stdout, stderr, out, doc


def assert_csvs_equal_expected(name: str, out: Path, stderr: str) -> None:
    """Every hand-written CSV of the fixture equals the run's, byte for byte."""
    for want in sorted((REAL / name / "expected").glob("*.csv")):
        got = out / want.name
        assert got.exists(), f"{want.name} not written; stderr:\n{stderr}"
        assert got.read_text(encoding="utf-8") == want.read_text(encoding="utf-8"), want.name
        assert got.read_bytes() == want.read_bytes(), want.name


def provenance(out: Path, table: str) -> list[dict[str, str]]:
    text = (out / f"{table}.provenance.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == PROVENANCE_HEADER
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def blanks_by_label(out: Path, table: str) -> dict[str, list[str]]:
    """Given a run's table, return the printed-blank columns of each published (non-duplicate) row."""
    return {r["label"]: json.loads(r["blanks"]) for r in provenance(out, table) if r["status"] != "duplicate"}


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


# ----------------------------------------------------------------------------- the truth, checked without the library


def _terms(expr: str, columns: list[str]) -> list[tuple[int, str]]:
    """Given the right side of a row rule, return its (coefficient, column) terms."""
    terms, sign = [], 1
    for tok in re.findall(r"[+-]|sum\([a-z0-9_]+\.\.[a-z0-9_]+\)|(?:\d+\*)?[a-z0-9_]+", expr.replace(" ", "")):
        if tok in "+-":
            sign = 1 if tok == "+" else -1
            continue
        m = re.fullmatch(r"sum\(([a-z0-9_]+)\.\.([a-z0-9_]+)\)", tok)
        if m:
            i, j = columns.index(m.group(1)), columns.index(m.group(2))
            terms += [(sign, col) for col in columns[i : j + 1]]
            continue
        k, _, col = tok.rpartition("*")
        terms.append((sign * int(k or 1), col))
    return terms


@pytest.mark.parametrize("name", FIXTURES)
def test_expected_tables_satisfy_their_rules(name):
    """The hand-written expected CSVs meet their own rules (independent of the library).

    Row rules hold on every row without a blank; a complete totals row equals the column
    sums, a partial one bounds them, and a column with a blank is bounded only; known totals
    match; labels are the vocabulary's (or deliberately unlisted) and printed in the document.
    """
    rules = yaml.safe_load((REAL / name / "rules.yaml").read_text(encoding="utf-8"))
    doc_files = sorted((REAL / name).glob("document.*"))
    text = doc_files[0].read_text(encoding="utf-8") if doc_files else None
    # a word hyphenated at a line's end is printed too (`car-` / `nes`: `carnes`)
    doc_words = " ".join(text.split() + re.sub(r"(?<=[^\W\d_])-\n(?=[a-zà-ÿ])", "", text).split()) if text else None
    for spec in rules["tables"]:
        table = read_csv(REAL / name / "expected" / f"{spec['id']}.csv")
        header, rows = table[0], table[1:]
        columns = spec["columns"]
        assert header == [spec["label"]["column"], *columns]
        assert all(len(r) == len(header) for r in rows)
        labels = [r[0] for r in rows]
        assert len(set(labels)) == len(labels), "a label twice"
        vocab = set(spec["label"].get("values", labels))
        assert set(labels) <= vocab | UNLISTED_LABELS.get(name, set())
        if doc_words is not None:
            for label in labels:
                assert all(word in doc_words for word in label.split()), f"{label!r} is not printed"
        cells = [{c: (Decimal(v) if v else None) for c, v in zip(columns, r[1:])} for r in rows]
        for rule in spec.get("row_rules", []):
            lhs, rhs = (s.strip() for s in rule.split("="))
            terms = [(1, lhs)] + [(-k, c) for k, c in _terms(rhs, columns)]
            for label, row in zip(labels, cells):
                if any(row[c] is None for _, c in terms):
                    continue  # a row rule involving a blank is not enforced
                assert sum(k * row[c] for k, c in terms) == 0, f"{name}: {label}: {rule}"
        totals = spec.get("totals") or {}
        if "row" in totals:
            total = cells[labels.index(totals["row"])]
            others = [row for label, row in zip(labels, cells) if label != totals["row"]]
            for c in columns:
                if total[c] is None:
                    continue
                parts = [row[c] for row in others]
                partial = sum(p for p in parts if p is not None)
                if totals.get("complete", True) and None not in parts:
                    assert partial == total[c], f"{name}: total of {c}"
                else:
                    assert partial <= total[c], f"{name}: bound on {c}"
            for c, v in (totals.get("known") or {}).items():
                assert total[c] == Decimal(v)


# ----------------------------------------------------------------------------- one test per fixture


def test_state_text(run_cli, tmp_path):
    """Spaced, tab, NBSP and run-together rows; placeholders published empty and never filled by the rule.

    Guards: `Alabama — 5 16` keeps active empty (not 11); `n/a` and an empty tab field are
    blanks; whitespace is a hard boundary (`Arkansas 1 234 235` is 1 | 234 | 235); `Ohio*` and
    `Texas (1)` are footnote marks; North Dakota repeated after the page-break header is
    published once (status `duplicate`); South Dakota, in the vocabulary but not on the page,
    never appears; `Out of country` keeps its printed label, and since that label is not in the
    vocabulary the run says so and exits 1 (its cells are still published: the page printed them).
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "state_text")
    assert_csvs_equal_expected("state_text", out, err)
    assert status == 1, err
    assert "1 row(s) whose label matches no label value, published as printed (line 22)" in err
    blanks = blanks_by_label(out, "state")
    assert blanks["Alabama"] == ["active"]
    assert blanks["Arizona"] == ["active", "resolved"]
    assert blanks["Hawaii"] == ["resolved"]
    assert all(v == [] for k, v in blanks.items() if k not in ("Alabama", "Arizona", "Hawaii"))
    prov = provenance(out, "state")
    assert [(r["raw"], r["label"]) for r in prov if r["status"] == "duplicate"] == [
        ("North Dakota 12 30 42", "North Dakota")
    ]
    assert "South Dakota" not in (out / "state.csv").read_text() + (out / "state.provenance.csv").read_text()


def test_budget_html(run_cli, tmp_path):
    """An HTML table: empty <td> and `-` are blanks, `(700)` is −700, `500*` is 500, spans read right.

    Guards: the two-level header (colspan/rowspan) and the rowspan group label (`Public
    safety`) do not shift cells; Hospitals' empty revised/balance stay empty even though
    the Total row and the rule could fill them; totals over a column with a blank are bounds.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "budget_html")
    assert_csvs_equal_expected("budget_html", out, err)
    assert status == 0, err
    blanks = blanks_by_label(out, "budget")
    assert blanks["Hospitals"] == ["revised", "balance"]
    assert blanks["Parks"] == ["enacted"]
    assert all(v == [] for k, v in blanks.items() if k not in ("Hospitals", "Parks"))


def test_variance_text(run_cli, tmp_path):
    """A run-together variance table: `(500)`, glued `-50` and `−90` are negatives; the rule splits Central.

    Guards: `North3,0002,500(500)` → 3000 | 2500 | −500; `South4,5005,200700` → 4500 | 5200 | 700;
    `Central12013515` → 120 | 135 | 15 (not 120 | 13 | 515, which breaks the rule).
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "variance_text")
    assert_csvs_equal_expected("variance_text", out, err)
    assert status == 0, err
    assert {r["status"] for r in provenance(out, "variance")} == {"recovered"}


def test_variance_text_with_validation(run_cli, tmp_path):
    """The same variance table with Great Expectations validation on: it passes and the report is written."""
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "variance_text", validate=True)
    assert_csvs_equal_expected("variance_text", out, err)
    assert status == 0, err
    assert (out / "validation" / "index.html").exists()


def test_tourism_eu(run_cli, tmp_path):
    """European format (`.` thousands, `,` decimal), a `(D)` suppressed cell, a partial totals row.

    Guards: `Tirol5.10244.87149.97335,1` → 5102 | 44871 | 49973 | 35.1; `(D)` is an empty
    cell named in `blanks`; decimals are written with `.` in the CSV; the national row
    bounds the listed states (complete: false) without being forced to equal their sum.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "tourism_eu")
    assert_csvs_equal_expected("tourism_eu", out, err)
    assert status == 0, err
    blanks = blanks_by_label(out, "nights")
    assert blanks["Burgenland"] == ["foreign"]
    assert all(v == [] for k, v in blanks.items() if k != "Burgenland")


def test_effectifs_fr(run_cli, tmp_path):
    """French format (`thousands: " "`): whitespace, NBSP and narrow NBSP may sit inside a number.

    Guards: `Corse 1 234 567 1 801` → 1234 | 567 | 1801, chosen by the rule among three
    groupings; `nd` (added by `number_format.blank`) is a blank; `Mayotte nd nd 3 512` keeps
    3512 whole and its two blanks empty.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "effectifs_fr")
    assert_csvs_equal_expected("effectifs_fr", out, err)
    assert status == 0, err
    blanks = blanks_by_label(out, "effectifs")
    assert blanks["Mayotte"] == ["hommes", "femmes"]
    assert all(v == [] for k, v in blanks.items() if k != "Mayotte")


def test_wrapped_labels(run_cli, tmp_path):
    """Labels wrapped over two lines are one row each, numbers on the first or on the last line.

    Guards: no row is dropped or split in two; `extraction51287599` → 512 | 87 | 599 and
    `Construction3,1014123,513` → 3101 | 412 | 3513 by the rule.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "wrapped_labels")
    assert_csvs_equal_expected("wrapped_labels", out, err)
    assert status == 0, err
    assert len(provenance(out, "employment")) == 8


def test_two_tables(run_cli, tmp_path):
    """Two tables located by vocabulary alone (no title, no header), each with its own Total line.

    Guards: each Total belongs to the table it ends; only that Total pins Robbery (11 | 2 | 13,
    not 1 | 12 | 13) and `45 and over` (22 | 3 | 25, not 2 | 23 | 25).
    """
    status, _, err, out, doc = run_fixture(run_cli, tmp_path, "two_tables")
    assert_csvs_equal_expected("two_tables", out, err)
    assert status == 0, err
    lines = doc.read_text(encoding="utf-8").splitlines()
    for table, raw in (("offences", "Total 4,725 2,469 7,194"), ("clearance", "Total 3,824 1,828 5,652")):
        (total,) = [r for r in provenance(out, table) if r["label"] == "Total"]
        assert (total["line"], total["raw"]) == (str(lines.index(raw) + 1), raw)


def test_schools_pdf(run_cli, tmp_path):
    """A PDF drawn cell by cell: undrawn cells and an en dash are blanks, page 2 continues the table, fake bold reads once.

    Guards: the blank lands in its column (combined) by position, not by guess; the
    continued rows keep their page; Alaska's doubled glyphs give 281 | 110 | 95 | 486.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "schools_pdf")
    assert_csvs_equal_expected("schools_pdf", out, err)
    assert status == 0, err
    prov = provenance(out, "schools")
    assert [r["page"] for r in prov] == ["1"] * 6 + ["2"] * 4
    blanks = blanks_by_label(out, "schools")
    assert {k for k, v in blanks.items() if v} == {"Arizona", "Arkansas", "Delaware"}
    assert blanks["Arizona"] == blanks["Arkansas"] == blanks["Delaware"] == ["combined"]


def test_tenure_percent(run_cli, tmp_path):
    """Decimal percentages under `decimal: "."`: `64.60%` is 64.60, written as printed; `−0.25` is negative.

    Guards: decimals keep their written digits (`100.00`, `0.00`); the run-together row
    `Social rented3,18015.90%−0.15` → 3180 | 15.90 | −0.15.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "tenure_percent")
    assert_csvs_equal_expected("tenure_percent", out, err)
    assert status == 0, err


def test_helpline_facts(run_cli, tmp_path):
    """`21.7 million` under rules without `decimal:` is not found (a warning), never 21; a zero placeholder is 0.

    Guards: facts.csv holds only the fact the prose states in the rules' format; the
    missing fact is one warning on stderr; `Chat 1,250 – 1,250` with `zero: ["–"]` publishes 0
    and is not a blank.
    """
    status, _, err, out, doc = run_fixture(run_cli, tmp_path, "helpline_facts")
    assert_csvs_equal_expected("helpline_facts", out, err)
    assert status == 0, err
    warnings = [l for l in err.splitlines() if l.startswith(f"warning: {doc}: fact reports_2022")]
    assert len(warnings) == 1 and "not found" in warnings[0]
    assert "calls_december" not in err
    assert blanks_by_label(out, "calls")["Chat"] == []


def test_mixed_formats(run_cli, tmp_path):
    """Rows with and without thousands separators (`number_format.also`): a cell is published only if every reading agrees.

    Guards: `Kent 1234 567 1801` and `Cornwall21009003000` read under the separator-free
    format; Hampshire (193 | 119 | 312 with separators, 1 | 9311 | 9312 without) stays empty
    and ambiguous, so the run exits 1; `x` is a blank.
    """
    status, _, err, out, doc = run_fixture(run_cli, tmp_path, "mixed_formats")
    assert_csvs_equal_expected("mixed_formats", out, err)
    assert status == 1, err
    assert [l for l in err.splitlines() if l.startswith(f"{doc}: table planning")], err
    prov = {r["label"]: r for r in provenance(out, "planning")}
    assert prov["Hampshire"]["status"] == "ambiguous"
    assert sorted(json.loads(prov["Hampshire"]["alternatives"])) == [[1, 9311, 9312], [193, 119, 312]]
    assert json.loads(prov["Rutland"]["blanks"]) == ["granted", "refused"]


def test_export_wrapped(run_cli, tmp_path):
    """Issue 17: a customs export table copied out of a PDF gave 3 of its 14 rows, the other 11 dropped with exit 0.

    Its descriptions wrap over two to four lines, hyphenated at the line ends (`Filetes y demás car-` / `nes de
    pescado 105.434 98.220 101.870`), the numbers on each label's last line; the walk down the table stopped at the
    first label longer than two lines (and a line of numbers did not end the lines of the label before it), so the
    rows below it were never read. A line of numbers is a row where the lines above it, joined to its label (a
    hyphenated word joined again), match a label of the vocabulary; rows that print `7.704` and rows that print `1,710`
    are read under `number_format.also`. Guards: all 14 rows, each cell the page printed, the totals row met.
    """
    status, _, err, out, _ = run_fixture(run_cli, tmp_path, "export_wrapped")
    assert_csvs_equal_expected("export_wrapped", out, err)
    assert status == 0, err
    prov = provenance(out, "exportaciones")
    assert len(prov) == 14 and {r["status"] for r in prov} == {"recovered"}
    (fish,) = [r for r in prov if r["label"] == "Filetes y demás carnes de pescado"]
    assert fish["raw"] == "0304 Filetes y demás car- / nes de pescado 105.434 98.220 101.870"
