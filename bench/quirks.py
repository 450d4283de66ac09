"""Quirky statistical tables with their truth, rendered as text, HTML and PDF, and an independent brute force.

Real statistical tables carry quirks the plain bench corpus (``bench/generate.py``) does not:
cells left blank or filled with a placeholder (``-``, ``..``, ``(D)``, an empty ``<td>``, an
empty tab field, an undrawn PDF cell), negatives in a ``variance = actual - budget`` table
(``-50``, ``−90``, ``–5``, ``(500)``), footnote marks on labels and numbers (``Ohio*``,
``Texas (1)``, ``500*``, ``500†``, ``500a``), a row repeated identically after a page break,
labels wrapped over two lines, and a totals row (complete, or partial) over columns that may
hold blanks. Each generated document comes with its rules file (the public format) and its
truth: for every row, what the page printed in each cell (a number, or ``null`` for a blank)
and, per rendering, the evidence the page gives (the printed numeric tail of a text line, or
the printed cells of a tab line, an HTML row or a PDF row).

    python bench/generate.py --quirks --docs 20 --seed 3 --out bench/out/quirks

The brute force at the end (``evidence_readings``, ``table_oracle``) shares no code with
``src/recover``: it reads each row's printed tokens with its own regexes per the rules of the
number grammar and enumerates every combination of rows under the row rules and totals.
"""

from __future__ import annotations

import html as htmllib
import itertools
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# ----------------------------------------------------------------------------- vocabularies

STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
]
INDUSTRIES = [
    "Agriculture, forestry and fishing",
    "Mining, quarrying and oil and gas extraction",
    "Utilities",
    "Construction",
    "Manufacturing",
    "Wholesale trade",
    "Retail trade",
    "Transportation and warehousing",
    "Information and cultural industries",
    "Finance and insurance",
    "Real estate and rental and leasing",
    "Professional, scientific and technical services",
    "Administrative and support services",
    "Educational services",
    "Health care and social assistance",
    "Arts, entertainment and recreation",
    "Accommodation and food services",
    "Public administration",
]
DEPARTMENTS = [
    "Police",
    "Fire",
    "Hospitals",
    "Clinics",
    "Parks",
    "Libraries",
    "Roads",
    "Housing",
    "Water supply",
    "Public transit",
    "Waste collection",
    "Courts",
]
REGIONS = [
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Coastal",
    "Highlands",
    "Islands",
]
OFFENCES = [
    "Burglary",
    "Robbery",
    "Assault",
    "Fraud",
    "Theft from vehicles",
    "Arson",
    "Criminal damage",
    "Drug offences",
    "Public order offences",
    "Sexual offences",
]

#: vocabulary name -> (label column, label heading, labels, label of the totals row)
VOCABS = {
    "state": ("state", "State", STATES, "Total"),
    "industry": ("industry", "Industry", INDUSTRIES, "All industries"),
    "department": ("department", "Department", DEPARTMENTS, "Total"),
    "region": ("region", "Region", REGIONS, "Total"),
    "offence": ("offence", "Offence", OFFENCES, "Total"),
}
#: columns of count tables whose last column is the sum of the others
SUM_COLUMNS = [
    ["active", "resolved", "total"],
    ["men", "women", "total"],
    ["urban", "rural", "total"],
    ["elementary", "secondary", "combined", "total"],
    ["new", "reopened", "transferred", "closed", "total"],
]
#: columns of tables without a row rule
PLAIN_COLUMNS = [
    ["male", "female"],
    ["reported", "cleared", "pending"],
    ["applications", "approvals"],
    ["cases", "victims", "offenders", "arrests"],
]
#: columns of variance tables: (columns, rule); the last column may be negative
VARIANCE_COLUMNS = [
    (["budget", "actual", "variance"], "variance = actual - budget"),
    (["enacted", "spent", "balance"], "balance = enacted - spent"),
]
SUBJECTS = {"sum": "Cases", "plain": "Counts", "variance": "Budget variance"}
GROUPS = ["Section A", "Section B", "Section C"]
PROSE = [
    "The figures are provisional and may be revised when late returns arrive from the field offices.",
    "A dash, two dots, an x or a letter in brackets marks a figure that was not reported or is suppressed.",
    "Footnote marks refer to the notes below the table; negative amounts are shown with a minus sign or in brackets.",
]

#: What a page prints in a cell instead of a number: each one blank cell.
PLACEHOLDERS = ("-", "–", "—", "..", "...", "x", "X", "n/a", "N/A", "NA", "(D)", "(NA)", "(X)", "(S)", "(Z)", "*")
NUMBER_MARKS = ("*", "†", "a")
LABEL_MARKS = ("*", "†", " (1)")


def format_int(value: int, thousands: str | None) -> str:
    """Given a non-negative integer and a thousands separator (or None), return it as the page prints it."""
    digits = str(value)
    if not thousands:
        return digits
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return thousands.join([digits] + groups[::-1])


# ----------------------------------------------------------------------------- the truth


@dataclass
class QRow:
    """One printed row: its label, what the page printed per cell (None: blank) and how it is printed."""

    label: str
    values: list  # int, or None where the page printed no number
    hidden: list[int]  # the values before blanking (what the totals were computed from)
    is_total: bool = False
    label_mark: str = ""  # "", "*", "†", " (1)"
    marks: list[str] = field(default_factory=list)  # per cell: a footnote mark glued after the number
    neg: list[str] = field(default_factory=list)  # per cell: how a negative is printed: "-", "−", "–", "()"
    text_blank: list[str] = field(default_factory=list)  # per cell: placeholder in a spaced text row
    cell_blank: list[str] = field(default_factory=list)  # per cell: "" or a placeholder, in a tab field / <td>
    pdf_blank: list[str] = field(default_factory=list)  # per cell: "" (not drawn) or a placeholder drawn
    style: str = "spaced"  # text: spaced | tab | fused
    deco: bool = False  # fused: a lone dash between the label and the run
    wrap: tuple[int, str] | None = None  # (words on the first line, "first" | "last": the line with the numbers)
    dup: bool = False  # repeated identically after a page break
    sup: list[bool] = field(default_factory=list)  # HTML: the mark as <sup>

    @property
    def has_blank(self) -> bool:
        return any(v is None for v in self.values)


@dataclass
class QTable:
    id: str
    title: str
    vocab: str
    kind: str  # sum | plain | variance
    columns: list[str]
    rules: list[str]
    rows: list[QRow]
    totals_row: str | None
    complete: bool
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # HTML: (group label, first body row, rows)

    @property
    def label_column(self) -> str:
        return VOCABS[self.vocab][0]

    @property
    def header(self) -> str:
        return " ".join([VOCABS[self.vocab][1]] + [c.capitalize() for c in self.columns])

    def rule_vectors(self) -> list[list[int]]:
        return [rule_to_vector(r, self.columns) for r in self.rules]


def rule_to_vector(rule: str, columns: list[str]) -> list[int]:
    """Given a rule 'a = b + c' / 'a = b - c' / 'a = sum(b..c)', return its coefficients (sum a_j x_j = 0)."""
    lhs, rhs = (s.strip() for s in rule.split("="))
    vec = [0] * len(columns)
    vec[columns.index(lhs)] += 1
    m = re.fullmatch(r"sum\((\w+)\.\.(\w+)\)", rhs.replace(" ", ""))
    if m:
        for c in columns[columns.index(m.group(1)) : columns.index(m.group(2)) + 1]:
            vec[columns.index(c)] -= 1
        return vec
    sign = 1
    for tok in re.findall(r"[+-]|\w+", rhs):
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        else:
            vec[columns.index(tok)] -= sign
    return vec


def rules_hold(values: list, vectors: list[list[int]]) -> bool:
    """Whether every rule holds on a row, a rule with a blank in its columns not counting."""
    for vec in vectors:
        if any(a and values[j] is None for j, a in enumerate(vec)):
            continue
        if sum(a * values[j] for j, a in enumerate(vec) if a):
            return False
    return True


def make_table(rng: random.Random, index: int, thousands: str | None, small: bool = False) -> QTable:
    """Given a random generator and the table's index, return a quirky table consistent with its rules.

    ``small``: at most 4 rows and 3 columns and small values (the property tests).
    """
    kind = rng.choice(["sum", "sum", "variance", "plain"])
    if kind == "variance":
        vocab = rng.choice(["department", "region"])
        columns, rule = rng.choice(VARIANCE_COLUMNS)
        columns, rules = list(columns), [rule]
    elif kind == "sum":
        vocab = rng.choice(list(VOCABS))
        columns = list(rng.choice([c for c in SUM_COLUMNS if not small or len(c) <= 3]))
        rules = [
            f"{columns[-1]} = sum({columns[0]}..{columns[-2]})"
            if len(columns) > 3
            else f"{columns[2]} = {columns[0]} + {columns[1]}"
        ]
    else:
        vocab = rng.choice(list(VOCABS))
        columns, rules = list(rng.choice([c for c in PLAIN_COLUMNS if not small or len(c) <= 3])), []
    _label_column, _, labels_all, total_label = VOCABS[vocab]
    k = len(columns)
    n = rng.randint(2, 4) if small else rng.randint(3, 7)
    labels = rng.sample(labels_all, n)
    scale = rng.choice([9, 99, 999] if small else [9, 99, 999, 30_000])
    vectors = [rule_to_vector(r, columns) for r in rules]

    def draw_row() -> list[int]:
        if kind == "variance":
            first = rng.randint(1, max(scale, 1))
            second = max(0, first + rng.randint(-first // 2 - 1, first // 2 + 1))
            if columns[0] == "budget":  # variance = actual - budget
                return [first, second, second - first]
            return [first, second, first - second]  # balance = enacted - spent
        vals = [rng.choice([rng.randint(0, 9), rng.randint(0, scale)]) for _ in range(k - 1 if kind == "sum" else k)]
        return vals + [sum(vals)] if kind == "sum" else vals

    hidden = [draw_row() for _ in range(n)]
    mode = rng.choice(["none", "complete", "complete", "partial"])
    totals_row, complete = None, True
    if mode != "none":
        totals_row = total_label
        sums = [sum(r[j] for r in hidden) for j in range(k)]
        if mode == "partial":  # the totals row covers rows not printed: every column grows
            complete = False
            extra = draw_row() if kind != "variance" else None
            if kind == "variance":
                first = rng.randint(0, 30)
                second = first + rng.randint(0, 30)
                extra = [first, second, second - first] if columns[0] == "budget" else [second, first, second - first]
            sums = [s + e for s, e in zip(sums, extra)]
        hidden.append(sums)
        labels.append(total_label)
    rows = [
        QRow(label, list(vals), list(vals), is_total=(totals_row is not None and i == len(hidden) - 1))
        for i, (label, vals) in enumerate(zip(labels, hidden))
    ]
    for r in rows:
        assert rules_hold(r.values, vectors)

    # blanks: a body cell now and then, a totals cell rarely
    p_blank = rng.choice([0.0, 0.1, 0.2])
    for r in rows:
        p = p_blank / 4 if r.is_total else p_blank
        for j in range(k):
            if rng.random() < p:
                r.values[j] = None
    if totals_row:
        _keep_bounds(rows)
    # how each row is printed
    for r in rows:
        r.marks = [
            rng.choice(NUMBER_MARKS) if v is not None and v >= 0 and rng.random() < 0.05 else "" for v in r.values
        ]
        r.sup = [rng.random() < 0.5 for _ in r.values]
        r.neg = [rng.choice(["-", "−", "–", "()", "()"]) for _ in r.values]
        r.text_blank = [rng.choice(PLACEHOLDERS) for _ in r.values]
        r.cell_blank = [rng.choice(("",) * 3 + PLACEHOLDERS) for _ in r.values]
        r.pdf_blank = [rng.choice(["", "", "-", "-", "–", "..", "x", "(D)"]) for _ in r.values]
        if rng.random() < 0.12:
            r.label_mark = rng.choice(LABEL_MARKS)
        if r.has_blank:
            r.style = rng.choice(["spaced", "spaced", "tab"])
        else:
            r.style = rng.choice(["spaced", "tab", "fused", "fused"])
            r.deco = r.style == "fused" and rng.random() < 0.15
        words = r.label.split()
        if len(words) >= 4 and rng.random() < 0.5:
            r.wrap = (rng.randint(2, len(words) - 1), rng.choice(["first", "last"]))
            if r.style == "tab":
                r.style = "spaced"
        if r.label_mark == " (1)" and (r.style == "fused" or r.wrap):
            r.label_mark = "*"  # a bracketed footnote number stands apart from the numbers only in a spaced row
    body = [i for i, r in enumerate(rows) if not r.is_total and r.wrap is None]
    if body and rng.random() < 0.35:
        rows[rng.choice(body[:-1] or body)].dup = True
    groups = []
    nbody = sum(not r.is_total for r in rows)
    if nbody >= 3 and rng.random() < 0.4:
        first = rng.randint(0, nbody - 2)
        size = rng.randint(2, min(3, nbody - first))
        groups.append((rng.choice(GROUPS), first, size))
    title = f"Table {index + 1}: {SUBJECTS[kind]} by {vocab}"
    return QTable(f"table_{index}", title, vocab, kind, columns, rules, rows, totals_row, complete, groups)


def _keep_bounds(rows: list[QRow]) -> None:
    """Unblank cells until the truth meets the totals the rules allow: a column with a blank in the body
    and no negative printed is bounded by its printed total (a blank hiding a negative could break that)."""
    total = rows[-1]
    body = rows[:-1]
    for j in range(len(total.values)):
        while True:
            t = total.values[j]
            col = [r.values[j] for r in body]
            if t is None or None not in col:
                break
            printed = [v for v in col if v is not None]
            if any(v < 0 for v in printed) or t < 0 or sum(printed) <= t:
                break
            r = next(r for r in body if r.values[j] is None)
            r.values[j] = r.hidden[j]


# ----------------------------------------------------------------------------- rendering


def cell_text(row: QRow, j: int, thousands: str | None, pdf: bool = False) -> str:
    """Given a row and a column, return the number as printed (with its sign or brackets and its mark); '' for a blank."""
    v = row.values[j]
    if v is None:
        return ""
    body = format_int(abs(v), thousands)
    if v < 0:
        style = row.neg[j]
        if pdf and style == "−":
            style = "-"  # not in the PDF's standard fonts
        return f"({body})" if style == "()" else style + body
    return body + row.marks[j]


def label_parts(row: QRow) -> tuple[str, str | None]:
    """Given a row, return its printed label: (first line, second line or None)."""
    label = row.label + row.label_mark
    if row.wrap is None:
        return label, None
    words = label.split()
    cut = row.wrap[0]
    return " ".join(words[:cut]), " ".join(words[cut:])


def text_tail(row: QRow, thousands: str | None) -> str:
    """Given a row, return the numeric part of its text line as printed (spaced or fused; tab rows: see tab_fields)."""
    cells = [cell_text(row, j, thousands) or row.text_blank[j] for j in range(len(row.values))]
    if row.style == "fused":
        assert not row.has_blank
        return ("- " if row.deco else "") + "".join(cells)
    return " ".join(cells)


def tab_fields(row: QRow, thousands: str | None) -> list[str]:
    return [cell_text(row, j, thousands) or row.cell_blank[j] for j in range(len(row.values))]


def row_text_lines(row: QRow, thousands: str | None) -> list[str]:
    """Given a row, return its text line(s)."""
    first, second = label_parts(row)
    if row.style == "tab":
        return ["\t".join([first] + tab_fields(row, thousands))]
    tail = text_tail(row, thousands)
    if row.style == "fused":
        joined = lambda lab: lab + (" " + tail if row.deco else tail)  # noqa: E731
    else:
        joined = lambda lab: lab + " " + tail  # noqa: E731
    if second is None:
        return [joined(first)]
    if row.wrap[1] == "first":
        return [joined(first), "  " + second]
    return [first, "  " + joined(second)]


def table_to_text(t: QTable, thousands: str | None, rng: random.Random) -> list[str]:
    """Given a table, return its lines as a text page prints them."""
    header_style = rng.choice(["spaced", "tab", "fused"])
    words = t.header.split(" ")
    head_label = VOCABS[t.vocab][1]
    heads = [c.capitalize() for c in t.columns]
    header = {"spaced": t.header, "tab": "\t".join([head_label] + heads), "fused": "".join(words)}[header_style]
    out = [t.title, header]
    for r in t.rows:
        lines = row_text_lines(r, thousands)
        out += lines
        if r.dup:  # a page break: the header again, then the same row
            out += ["", header] + lines
    return out


def document_text(doc_title: str, tables: list[QTable], thousands: str | None, rng: random.Random) -> str:
    out = [doc_title, "", rng.choice(PROSE), ""]
    for i, t in enumerate(tables):
        out += table_to_text(t, thousands, rng)
        # after a table: a note, or (between tables, now and then) just a blank line
        out += [""] if i + 1 < len(tables) and rng.random() < 0.3 else ["", rng.choice(PROSE), ""]
    return "\n".join(out)


def _td(text: str, attrs: str = "") -> str:
    return f"<td{attrs}>{text}</td>"


def html_cell(row: QRow, j: int, thousands: str | None) -> tuple[str, str]:
    """Given a row and a column, return (the <td>'s inner HTML, its visible text)."""
    v = row.values[j]
    if v is None:
        return htmllib.escape(row.cell_blank[j]), row.cell_blank[j]
    text = cell_text(row, j, thousands)
    mark = row.marks[j]
    if mark and row.sup[j]:
        return htmllib.escape(text[: -len(mark)]) + f"<sup>{htmllib.escape(mark)}</sup>", text
    return htmllib.escape(text), text


def table_to_html(t: QTable, thousands: str | None) -> list[str]:
    """Given a table, return its HTML: caption, header, body rows (a rowspan group label), empty <td> blanks."""
    grouped = bool(t.groups)
    span = ' colspan="2"' if grouped else ""
    heads = "".join(f"<th>{c.capitalize()}</th>" for c in t.columns)
    header_tr = f"<tr><th{span}>{VOCABS[t.vocab][1]}</th>{heads}</tr>"
    out = ["<table>", f"<caption>{htmllib.escape(t.title)}</caption>", f"<thead>{header_tr}</thead>", "<tbody>"]
    starts = {first: (name, size) for name, first, size in t.groups}
    inside = {first + d for _, first, size in t.groups for d in range(size)}
    body_index = 0
    for r in t.rows:
        first, second = label_parts(r)
        label = htmllib.escape(first) + (f"<br>{htmllib.escape(second)}" if second else "")
        cells = "".join(_td(html_cell(r, j, thousands)[0]) for j in range(len(r.values)))
        if r.is_total:
            tr = f"<tr><td{span}>{label}</td>{cells}</tr>"
            out += ["</tbody>", f"<tfoot>{tr}</tfoot>"]
            continue
        if body_index in starts:
            name, size = starts[body_index]
            tr = f'<tr><td rowspan="{size}">{htmllib.escape(name)}</td><td>{label}</td>{cells}</tr>'
        elif body_index in inside:
            tr = f"<tr><td>{label}</td>{cells}</tr>"
        else:
            tr = f"<tr><td{span}>{label}</td>{cells}</tr>"
        out.append(tr)
        if r.dup and body_index not in inside:
            out += [header_tr, tr]  # a long table repeats its header row, and here the row before it
        body_index += 1
    if not any(r.is_total for r in t.rows):
        out.append("</tbody>")
    out.append("</table>")
    return out


def document_html(doc_title: str, tables: list[QTable], thousands: str | None, rng: random.Random) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{htmllib.escape(doc_title)}</title></head><body>",
        f"<h1>{htmllib.escape(doc_title)}</h1>",
        f"<p>{rng.choice(PROSE)}</p>",
    ]
    for t in tables:
        out += table_to_html(t, thousands) + [f"<p>{rng.choice(PROSE)}</p>"]
    out.append("</body></html>")
    return "\n".join(out)


def document_pdf(path: Path, doc_title: str, tables: list[QTable], thousands: str | None) -> None:
    """Draw the tables with reportlab, cell by cell right-aligned at fixed column x positions.

    Blank cells are not drawn, or drawn as a placeholder; a repeated row starts page 2 under
    the title (continued) and the header; a wrapped label takes two lines.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setTitle(doc_title)
    y = 760
    c.setFont("Helvetica-Bold", 13)
    c.drawString(50, y, doc_title)
    y -= 30

    for t in tables:
        width = max(stringWidth("  " + (p or ""), "Helvetica", 9) for r in t.rows for p in label_parts(r))
        step = 62 if len(t.columns) >= 5 else 72
        xs = [50 + width + 70 + step * j for j in range(len(t.columns))]

        def title_and_header(y: float, title: str) -> float:
            c.setFont("Helvetica-Bold", 11)
            c.drawString(50, y, title)
            y -= 22
            c.setFont("Helvetica-Bold", 9)
            c.drawString(50, y, VOCABS[t.vocab][1])
            for x, col in zip(xs, t.columns):
                c.drawRightString(x, y, col.capitalize())
            return y - 18

        def draw_row(y: float, r: QRow) -> float:
            c.setFont("Helvetica", 9)
            first, second = label_parts(r)
            lines = [first] if second is None else [first, "  " + second]
            at = 0 if second is None or r.wrap[1] == "first" else 1
            for i, text in enumerate(lines):
                c.drawString(50, y - 11 * i, text)
            ny = y - 11 * at
            for j, x in enumerate(xs):
                text = cell_text(r, j, thousands, pdf=True) or r.pdf_blank[j]
                if text:
                    c.drawRightString(x, ny, text)
            return y - 11 * (len(lines) - 1) - 16

        if y < 250:
            c.showPage()
            y = 740
        y = title_and_header(y, t.title)
        for r in t.rows:
            if y < 70:  # the table goes on over a page break, under its title (continued) and header
                c.showPage()
                y = title_and_header(740, t.title + " (continued)")
            y = draw_row(y, r)
            if r.dup:
                c.setFont("Helvetica", 8)
                c.drawString(50, 40, "Continued on the next page.")
                c.showPage()
                y = title_and_header(740, t.title + " (continued)")
                y = draw_row(y, r)
        c.setFont("Helvetica", 8)
        c.drawString(50, y - 6, PROSE[0])
        y -= 50
    c.save()


# ----------------------------------------------------------------------------- documents, rules and truth


def rules_of(doc_id: str, tables: list[QTable], thousands: str | None) -> dict:
    """Given a document's tables, return its rules file (the public format)."""
    out: dict = {"document": doc_id, "number_format": {"thousands": thousands}, "tables": []}
    for t in tables:
        label_column, _, labels_all, total_label = VOCABS[t.vocab]
        spec: dict = {
            "id": t.id,
            "title": t.title,
            "header": t.header,
            # the whole vocabulary, of which the table prints some rows
            "label": {
                "column": label_column,
                "values": labels_all + ([total_label] if t.totals_row else []),
                "printed": "some",
            },
            "columns": t.columns,
        }
        if t.rules:
            spec["row_rules"] = list(t.rules)
        if t.totals_row:
            spec["totals"] = {"row": t.totals_row, "complete": t.complete}
        out["tables"].append(spec)
    return out


def evidence_of(row: QRow, thousands: str | None) -> dict:
    """Given a row, return what each rendering prints of its numbers: a text tail, or printed cells."""
    text = (
        {"cells": tab_fields(row, thousands)}
        if row.style == "tab"
        else {"tail": ((row.label_mark.strip() + " ") if row.label_mark == " (1)" else "") + text_tail(row, thousands)}
    )
    return {
        "text": text,
        "html": {"cells": [html_cell(row, j, thousands)[1] for j in range(len(row.values))]},
        "pdf": {"cells": [cell_text(row, j, thousands, pdf=True) or row.pdf_blank[j] for j in range(len(row.values))]},
    }


def truth_of(tables: list[QTable], thousands: str | None) -> dict:
    return {
        "thousands": thousands,
        "tables": {
            t.id: {
                "label_column": t.label_column,
                "columns": t.columns,
                "rules": t.rules,
                "totals": {"row": t.totals_row, "complete": t.complete},
                "rows": [
                    {
                        "label": r.label,
                        "values": r.values,
                        "total": r.is_total,
                        "duplicated": r.dup,
                        "evidence": evidence_of(r, thousands),
                    }
                    for r in t.rows
                ],
            }
            for t in tables
        },
    }


FORMAT_SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf"}


def make_document(rng: random.Random, small: bool = False) -> tuple[list[QTable], str | None, str]:
    """Given a random generator, return (tables, thousands separator, document title)."""
    thousands = "," if rng.random() < 0.85 else None
    tables = [
        make_table(rng, i, thousands, small) for i in range(rng.choice([1, 1, 2]) if small else rng.randint(1, 2))
    ]
    return tables, thousands, rng.choice(["Annual Statistical Report", "Statistical Bulletin", "Budget in Brief"])


def write_document(
    out: Path,
    doc_id: str,
    tables: list[QTable],
    thousands: str | None,
    title: str,
    formats: tuple[str, ...],
    rng: random.Random,
) -> Path:
    """Write the document in each format, its rules and its truth; return the rules file."""
    out.mkdir(parents=True, exist_ok=True)
    if "text" in formats:
        (out / f"{doc_id}.txt").write_text(document_text(title, tables, thousands, rng), encoding="utf-8")
    if "html" in formats:
        (out / f"{doc_id}.html").write_text(document_html(title, tables, thousands, rng), encoding="utf-8")
    if "pdf" in formats:
        document_pdf(out / f"{doc_id}.pdf", title, tables, thousands)
    rules = out / f"{doc_id}.yaml"
    rules.write_text(
        yaml.safe_dump(rules_of(doc_id, tables, thousands), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    (out / f"{doc_id}.truth.json").write_text(
        json.dumps(truth_of(tables, thousands), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return rules


def generate_quirks(
    docs: int, seed: int, out: Path, formats: tuple[str, ...] = ("text", "html", "pdf"), pdf_docs: int | None = None
) -> list[Path]:
    """Given a count, a seed and a folder, write quirky documents (each in every format asked), rules and truth.

    ``pdf_docs``: only the first that many documents are also drawn as PDF (PDF runs are slower).
    """
    rng = random.Random(seed)
    written = []
    for d in range(docs):
        doc_id = f"quirk-{seed}-{d:04d}"
        tables, thousands, title = make_document(rng)
        fmts = tuple(f for f in formats if f != "pdf" or pdf_docs is None or d < pdf_docs)
        written.append(write_document(out, doc_id, tables, thousands, title, fmts, random.Random(rng.random())))
    return written


# ----------------------------------------------------------------------------- the brute force (no code shared with recover)

BF_PLACEHOLDERS = frozenset(PLACEHOLDERS)
BF_DASHES = frozenset("-–—")
BF_MINUS = "-−–"
_BF_PART = re.compile(
    r"\((?P<paren>[0-9][0-9,]*)\)|(?P<sign>[-−–]?)(?P<body>[0-9](?:[0-9,]*[0-9])?)(?P<mark>[*†‡]|[a-z]{1,2})?"
)


def bf_number_regex(thousands: str | None) -> re.Pattern:
    """The regex one number fully matches: '0' or no leading zero; under a separator, groups of three and the separator required."""
    if thousands:
        return re.compile(r"0|[1-9][0-9]{0,2}(?:" + re.escape(thousands) + r"[0-9]{3})*")
    return re.compile(r"0|[1-9][0-9]{0,14}")


def bf_value(text: str, thousands: str | None) -> int:
    return int(text.replace(thousands, "") if thousands else text)


def bf_splits(body: str, thousands: str | None, most: int) -> list[tuple[int, ...]]:
    """Every way to cut a fused run of digits into 1..most numbers of the grammar."""
    rx = bf_number_regex(thousands)
    out: list[tuple[int, ...]] = []

    def rec(rest: str, acc: tuple) -> None:
        if not rest:
            if acc:
                out.append(acc)
            return
        if len(acc) >= most:
            return
        for cut in range(1, len(rest) + 1):
            if rx.fullmatch(rest[:cut]):
                rec(rest[cut:], acc + (bf_value(rest[:cut], thousands),))

    rec(body, ())
    return out


def bf_token_options(token: str, thousands: str | None, spaced: bool, k: int) -> list[list[tuple]] | None:
    """Given one printed token, return per part its options (tuples of cell values; () skips a footnote mark), or None if not numeric."""
    if token in BF_PLACEHOLDERS:
        return [[(None,)]]
    rx = bf_number_regex(thousands)
    parts, pos = [], 0
    while pos < len(token):
        m = _BF_PART.match(token, pos)
        if not m or m.end() == pos:
            return None
        pos = m.end()
        parts.append(m)
    single = len(parts) == 1
    out = []
    for m in parts:
        if m.group("paren") is not None:
            inner = m.group("paren")
            opts = [(-bf_value(inner, thousands),)] if rx.fullmatch(inner) else []
            if inner.isdigit() and len(inner) <= 2:
                opts.append(())  # (1): a footnote mark, or minus one
            out.append(opts)
            continue
        body, neg = m.group("body"), m.group("sign") != ""
        if spaced and single and rx.fullmatch(body):
            opts = [(bf_value(body, thousands),)]
        else:
            opts = bf_splits(body, thousands, k)
        if neg:
            opts = [(-s[0],) + s[1:] for s in opts]
        out.append(opts)
    return out


def bf_cell_options(text: str, thousands: str | None) -> list[tuple]:
    """Given one printed cell (a tab field, a <td>, a PDF cell), return its one value (None: blank), or [] if not a number."""
    t = " ".join(text.split())
    if t == "" or t in BF_PLACEHOLDERS:
        return [(None,)]
    rx = bf_number_regex(thousands)
    m = re.fullmatch(r"\((?P<n>[0-9,]+)\)", t) or re.fullmatch(r"(?P<s>[-−–]?)(?P<n>[0-9,]+) ?(?:[*†‡]|[a-z]{1,2})?", t)
    if not m or not rx.fullmatch(m.group("n")):
        return []
    v = bf_value(m.group("n"), thousands)
    negative = t.startswith("(") or bool(m.groupdict().get("s"))
    return [(-v if negative else v,)]


def evidence_readings(evidence: dict, k: int, thousands: str | None, vectors: list[list[int]]) -> set[tuple]:
    """Given a row's printed evidence, return every reading into k cells (None: blank) that meets the row rules."""
    if "cells" in evidence:
        per_part = [bf_cell_options(c, thousands) for c in evidence["cells"]]
    else:
        per_part = None
    found: set[tuple] = set()

    def collect(parts: list[list[tuple]]) -> None:
        for combo in itertools.product(*parts):
            reading = tuple(v for piece in combo for v in piece)
            if len(reading) == k and rules_hold(list(reading), vectors):
                found.add(reading)

    if per_part is not None:
        collect(per_part)
        return found
    tokens = evidence["tail"].split()
    ways = [(tokens, len(tokens) > 1)]
    if len(tokens) == 2 and tokens[0] in BF_DASHES and tokens[1] not in BF_PLACEHOLDERS:
        # a lone dash before one fused run is decoration; before one number it may also be a blank cell
        # (a fused row has all its numbers, so a blank beside a run that is no single number cannot be)
        single = bf_number_regex(thousands).fullmatch(
            tokens[1].lstrip(BF_MINUS).rstrip("*†‡abcdefghijklmnopqrstuvwxyz")
        )
        ways = [(tokens[1:], False)] + ([(tokens, True)] if single else [])
    for toks, spaced in ways:
        parts: list[list[tuple]] = []
        for tok in toks:
            got = bf_token_options(tok, thousands, spaced, k)
            if got is None:
                parts = []
                break
            parts += got
        if parts:
            collect(parts)
    return found


#: Largest product of row readings the brute force enumerates per table.
ORACLE_LIMIT = 200_000


def table_oracle(table: dict, fmt: str, thousands: str | None) -> tuple[list[list] | None, list[set[tuple]]]:
    """Given a table's truth and a rendering, return (each cell's value where every solution agrees, else
    the marker UNDETERMINED; None if too large) and each row's readings that some solution uses."""
    columns = table["columns"]
    k = len(columns)
    vectors = [rule_to_vector(r, columns) for r in table["rules"]]
    rows = table["rows"]
    readings = [sorted(evidence_readings(r["evidence"][fmt], k, thousands, vectors), key=repr) for r in rows]
    size = 1
    for rs in readings:
        size *= max(1, len(rs))
    if size > ORACLE_LIMIT:
        return None, [set(rs) for rs in readings]
    t_idx = next((i for i, r in enumerate(rows) if r["total"]), None)
    complete = table["totals"]["complete"]

    def ok(combo) -> bool:
        if t_idx is None:
            return True
        total = combo[t_idx]
        body = [x for i, x in enumerate(combo) if i != t_idx]
        for j in range(k):
            t = total[j]
            if t is None:
                continue  # a blank total bounds nothing
            col = [x[j] for x in body]
            printed = [v for v in col if v is not None]
            negative = t < 0 or any(v < 0 for v in printed)
            if None in col or not complete:
                if not negative and sum(printed) > t:
                    return False
            elif sum(col) != t:
                return False
        return True

    sols = [combo for combo in itertools.product(*readings) if ok(combo)]
    used = [{s[i] for s in sols} for i in range(len(rows))]
    det = []
    for i in range(len(rows)):
        row = []
        for j in range(k):
            vals = {s[i][j] for s in sols}
            row.append(vals.pop() if len(vals) == 1 else UNDETERMINED)
        det.append(row)
    return det, used


class _Undetermined:
    def __repr__(self) -> str:
        return "UNDETERMINED"


UNDETERMINED = _Undetermined()
