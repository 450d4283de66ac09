"""Documents made from the seed for the extractor tests: real HTML and PDF tables, and the damaged page in each format.

The clean versions are built from the expected CSVs (checked by hand and by brute force in
test_seed.py), with the seed's own prose around them, so the same rules file must give
the same cells back from every format.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from tests.conftest import EXPECTED, SEED

TITLES = {
    "case_type_status": "Full Data: Case Type and Case Status",
    "age_race": "Full Data: Age and Race",
    "state": "Data: State by State",
    "cvip_requests": "Number of Requests by Agency",
}


def expected(table: str) -> list[list[str]]:
    with open(EXPECTED / f"{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def fmt(v: str) -> str:
    return f"{int(v):,}" if v else ""


def prose() -> list[str]:
    """The seed's paragraphs that hold no table rows."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    keep = list(range(19)) + list(range(28, 30)) + list(range(69, 137))
    return [lines[i] for i in keep if lines[i].strip()]


def _header_html(table: str) -> str:
    if table in ("case_type_status", "state"):
        first = "Case Type" if table == "case_type_status" else "Missing State"
        return (
            f'<tr><th rowspan="2">{first}</th><th colspan="2">Case Status</th><th rowspan="2">Total</th></tr>'
            "<tr><th>Active</th><th>Resolved</th></tr>"
        )
    if table == "age_race":
        cols = [
            "Age Group",
            "Native American",
            "Asian",
            "Multiracial",
            "Black",
            "Hispanic",
            "Pacific Islander",
            "White",
            "Unknown",
            "Total",
        ]
        return "<tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>"
    return "<tr><th>Agency</th><th>Requests</th><th>Images and Videos</th><th>Videos Included</th></tr>"


def clean_html() -> str:
    """A page with real <table>s: two-level headers, spans, formatted numbers, the seed's prose."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Our Impact</title>",
        "<style>td{padding:2px}</style><script>var tracking = 1;</script></head><body>",
    ]
    parts += [f"<p>{html.escape(p)}</p>" for p in prose()]
    for table, title in TITLES.items():
        rows = expected(table)[1:]
        parts.append(f"<h3>{html.escape(title)}</h3><table><thead>{_header_html(table)}</thead><tbody>")
        for row in rows:
            parts.append(
                "<tr><td>" + html.escape(row[0]) + "</td>" + "".join(f"<td>{fmt(v)}</td>" for v in row[1:]) + "</tr>"
            )
        parts.append("</tbody></table>")
    parts.append("<div style='display:none'>Endangered Runaway 9 9 18</div></body></html>")
    return "\n".join(parts)


def damaged_html() -> str:
    """The damaged seed as a re-publisher's page: paragraphs and <br> lines, a big script, hidden junk."""
    paras = SEED.read_text(encoding="utf-8").split("\n\n")
    body = "\n".join("<p>" + "<br>\n".join(html.escape(l) for l in p.split("\n")) + "</p>" for p in paras)
    script = "<script>" + "var x = 1;\n" * 1000 + "</script>"
    return f"<!DOCTYPE html><html><head><title>Impact</title>{script}</head><body><div hidden>Military 1 2 3</div>{body}</body></html>"


def wrap(line: str, width: int = 150, break_long_words: bool = False) -> list[str]:
    """Given a long line, return it wrapped at spaces, as a PDF lays out a paragraph (and, with
    ``break_long_words``, a run-together word cut at the margin, as a narrow page does)."""
    import textwrap

    return textwrap.wrap(line, width, break_long_words=break_long_words, break_on_hyphens=False) or [""]


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _canvas(path: Path):
    """A reportlab canvas whose setFont picks DejaVu Sans (embedded), or a CID font for Hangul."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))  # Hangul without a font file
    latin = "Helvetica"
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
        latin = "DejaVuSans"
    c = canvas.Canvas(str(path))
    draw = c.drawString

    def draw_string(x, y, s):
        hangul = any("\uac00" <= ch <= "\ud7a3" for ch in s)
        c.setFont("HYSMyeongJo-Medium" if hangul else latin, c._fontsize)
        draw(x, y, s if hangul or latin != "Helvetica" else s.encode("latin-1", "replace").decode("latin-1"))

    c.drawString = draw_string
    return c


def damaged_pdf(path: Path, width: int = 150, break_long_words: bool = False) -> Path:
    """The damaged seed printed to PDF: each line drawn as one run-together string, wrapped at ``width`` characters."""
    c = _canvas(path)
    y = 800
    for line in (w for l in SEED.read_text(encoding="utf-8").splitlines() for w in wrap(l, width, break_long_words)):
        if y < 40:
            c.showPage()
            y = 800
        c.setFont("HYSMyeongJo-Medium", 7)
        c.drawString(20, y, line)
        y -= 10
    c.save()
    return path


def tables_pdf(path: Path) -> Path:
    """A report with real tables: each cell drawn at its column; the state table split across two pages."""
    c = _canvas(path)
    y = 800

    def text(x, s, size=8):
        c.setFont("HYSMyeongJo-Medium", size)
        c.drawString(x, y, s)

    for p in prose()[:6]:
        for w in wrap(p):
            text(20, w, 7)
            y -= 10
        y -= 6
    for table, title in TITLES.items():
        rows = expected(table)
        width = 60 if table == "age_race" else 100
        header = rows[0]
        if table == "cvip_requests":
            header = ["Agency", "Requests", "Images and Videos", "Videos Included"]
        elif table != "age_race":
            header = [("Case Type" if table == "case_type_status" else "Missing State"), "Case Status", "", "Total"]
        else:
            header = [
                "Age Group",
                "Native American",
                "Asian",
                "Multiracial",
                "Black",
                "Hispanic",
                "Pacific Islander",
                "White",
                "Unknown",
                "Total",
            ]

        def draw_header():
            nonlocal y
            text(20, title, 10)
            y -= 14
            for j, h in enumerate(header):
                text(
                    20 + (170 if table != "age_race" else 70) + (j - 1) * width if j else 20,
                    h,
                    6 if table == "age_race" else 8,
                )
            y -= 12

        draw_header()
        for i, row in enumerate(rows[1:]):
            if table == "state" and i == 6:  # split the state table over two pages, header repeated
                text(20, "Page 1")
                c.showPage()
                y = 800
                text(20, "Our Impact, continued")
                y -= 14
                draw_header()
            text(20, row[0], 8)
            for j, v in enumerate(row[1:], start=1):
                text(20 + (170 if table != "age_race" else 70) + (j - 1) * width, fmt(v), 8)
            y -= 11
        y -= 16
    c.showPage()
    y = 800
    for p in prose()[6:]:
        for w in wrap(p):
            if y < 40:
                c.showPage()
                y = 800
            text(20, w, 7)
            y -= 10
        y -= 6
    c.save()
    return path
