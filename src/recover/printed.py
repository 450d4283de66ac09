"""Read: the tables whose cells the page kept (HTML ``<table>``, PDF columns, tab-separated lines), cell by cell.

A stage of its own, beside the run-together inference: a table whose cells were printed needs no
rule to be read, the way ``pandas.read_html`` and Camelot read them. Its column count is its
cells; each printed cell is one cell of the table, never split and never joined; a cell that is
not a number (``13:00``, ``<0.1``) is never made one. What is found in it (a totals row that
the other rows meet exactly, a column that is the sum of a range of others) is written to the
rules as a check, and validated like any rule.

The data flows ``PrintedTable`` → ``table_to_layout`` (header rows, the label column, numeric
and text columns, the number format of its cells) → ``layout_to_guess`` (the rules zero-config
writes for it) and ``layout_to_solution`` (the published table). The same layout is found on
a rerun with ``--rules inferred-rules.yaml``, so the CSVs are the same byte for byte.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .model import BLANK, Cell, Document, Line, Number, PrintedTable, RowSolution, SourceRow, TableSolution
from .numbers import DEFAULT_MAX_DECIMALS, DEFAULT_MAX_TOKEN_DIGITS, MARK_CHARS, MINUS_CHARS, NumberFormat

if TYPE_CHECKING:
    from .rules import TableSpec

#: Share of a column's non-blank body cells that must read as numbers for the column to be numeric.
DEFAULT_MIN_NUMERIC_SHARE = 0.6
#: Most leading rows read as header rows where the source does not mark its header.
DEFAULT_MAX_HEADER_ROWS = 10
#: Fewest rows a relation (a sum column, a totals row) must hold on, each with every cell a number, to be reported.
DEFAULT_MIN_RELATION_ROWS = 3
#: Printed cells whose reading is remembered (a table's columns are classified once per candidate header row).
DEFAULT_CELL_CACHE = 65_536
#: Longest column name made from a header, in characters.
DEFAULT_MAX_COLUMN_NAME_CHARS = 60
#: Most columns of one table tried as a sum of a range of others (the search is quadratic in them).
DEFAULT_MAX_RELATION_COLUMNS = 40
#: Most significant digits of one printed number (about what a float64 holds exactly). A longer figure is not a number
#: the page shows: it is a hidden sort key run into the value (Wikipedia's ``7001857600000000000`` before ``85.76%``).
DEFAULT_MAX_SIGNIFICANT_DIGITS = 15

_CURRENCY = re.compile(r"^(?:US\$|[A-Z]{0,2}\$|€|£|¥|₹|EUR|USD|GBP)\s*|\s*(?:\$|€|£|¥|₹|EUR|USD|GBP)$")
_RANK = re.compile(r"\d{1,4}\.")
_TOTALS = re.compile(r"^\s*((grand\s+)?totals?|all\s+\w[\w\s]*|overall|sum|total\s+\w[\w\s]*)\s*[:.]?\s*$", re.I)
_SPEC = re.compile(r"\d+[a-z]")
_RESERVED_NAMES = frozenset({"sum", "y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
_CODE = re.compile(r"0\d+")
_SORT_KEY = re.compile(r"^![A-Z]\d{0,20} (?=\S)")
_NTS_KEY = re.compile(r"([67])(\d{3})(\d{15})(?=\d)")
_NUMBERISH = re.compile(r"[\s(+\-−–$€£¥]*\d[\d.,\s]*[)%‰*†‡a-z]?\)?")


# ----------------------------------------------------------------------------- one printed cell


def _digits_ok(body: str, thousands: str | None, decimal: str | None) -> Number | None:
    """Given a number's body (digits, separators), return its value under the separators, or None if it is not one number.

    Digits grouped by the thousands mark must be grouped throughout (``1,234,567``); a body with no
    mark at all is one number too (a printed ``2011`` is 2011: a cell is never split).
    """
    whole, frac = body, ""
    if decimal and decimal in body:
        whole, _, frac = body.partition(decimal)
        if not frac.isdigit() or len(frac) > DEFAULT_MAX_DECIMALS or (decimal in frac):
            return None
        if not whole:
            whole = "0"  # ".364": a decimal with no leading zero
    if thousands and thousands in whole:
        groups = whole.split(thousands)
        if not (
            1 <= len(groups[0]) <= 3 and groups[0].isdigit() and all(len(g) == 3 and g.isdigit() for g in groups[1:])
        ):
            return None
        whole = "".join(groups)
    if not whole.isdigit() or len(whole) > DEFAULT_MAX_TOKEN_DIGITS or (len(whole) > 1 and whole[0] == "0"):
        return None  # "007" is a code, not a number
    if len((whole + frac).lstrip("0")) > DEFAULT_MAX_SIGNIFICANT_DIGITS:
        return None
    if frac:
        try:
            return Decimal(f"{int(whole)}.{frac}")
        except InvalidOperation:  # pragma: no cover - digits only
            return None
    return int(whole)


def _sort_key_value(text: str, fmt: NumberFormat) -> tuple[Cell | None, str] | None:
    """Given a cell that opens with 19 digits, return the value after them when they are Wikipedia's hidden sort key of
    that very value (``{{nts}}``: ``7``, a three-digit exponent, fifteen digits of mantissa; ``7001857600000000000``
    is 85.76; a value under 1 opens with ``6`` and its exponent plus 1000: ``6999240000000000000`` is 0.24), else
    None: a key ``get_text()`` ran into the value the page shows (``700185760000000000085.76%``)."""
    m = _NTS_KEY.match(text)
    if m is None:
        return None
    value, marks = printed_to_cell(text[m.end() :], fmt)
    if not isinstance(value, (int, Decimal)) or value <= 0:
        return None
    mantissa = m.group(3)
    power = int(m.group(2)) - (1000 if m.group(1) == "6" else 0)
    key = Decimal(f"{mantissa[0]}.{mantissa[1:]}").scaleb(power)
    exponent = Decimal(value).as_tuple().exponent
    step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return (value, marks) if abs(key - value) * 2 <= step else None


@functools.lru_cache(maxsize=DEFAULT_CELL_CACHE)
def printed_to_cell(text: str, fmt: NumberFormat) -> tuple[Cell | None, str]:
    """Given one printed cell and the number format, return its value and its marks.

    The value is a number (``$ 93,736``, ``(765)``, ``−8.0``, ``12.5%``, ``.364``, ``1.`` as a rank,
    ``500*``), BLANK (an empty cell or a placeholder), 0 (a placeholder the rules say means zero), or
    None: the cell printed something that is not one number (``13:00``, ``<0.1``, ``1 2``, words).
    The marks are what was read around the number (footnote marks, ``%``), for the provenance.
    """
    t = " ".join(text.split())
    if t.startswith("!"):
        t = _SORT_KEY.sub("", t, count=1)  # Wikipedia's sort key (``!B9993068528194``, hidden by its CSS) before it
    elif t.startswith(("6", "7")) and (keyed := _sort_key_value(t, fmt)) is not None:
        return keyed
    if not t:
        return BLANK, ""
    if t in fmt.placeholders:
        return (0 if t in fmt.zero else BLANK), ""
    marks: list[str] = []
    negative = False
    # a footnote mark before or after the number, a sign, parentheses, a currency, a percent
    while t and t[-1] in MARK_CHARS:
        marks.append(t[-1])
        t = t[:-1].rstrip()
    t = _CURRENCY.sub("", t)
    if t.endswith(("%", "‰")):
        marks.append(t[-1])
        t = t[:-1].rstrip()
    if t.startswith("(") and t.endswith(")"):
        t, negative = t[1:-1].strip(), True
    if t[:1] in MINUS_CHARS:
        if negative:
            return None, ""
        t, negative = t[1:].lstrip(), True
    elif t[:1] == "+":
        t = t[1:].lstrip()
    t = _CURRENCY.sub("", t)
    if t.endswith(("%", "‰")):
        marks.append(t[-1])
        t = t[:-1].rstrip()
    m = re.fullmatch(r"(.*?\d)([a-z])", t)
    if m and not (fmt.decimal and m.group(1).endswith(fmt.decimal)):
        t = m.group(1)  # one lower-case letter on a number is a footnote mark ("7a")
        marks.append(m.group(2))
    if not t or not t[-1].isdigit():
        if _RANK.fullmatch(t) and not negative:  # "12." ranks a row
            return int(t[:-1]), "".join(reversed(marks))
        return None, ""
    if t[0] not in "0123456789" and not (fmt.decimal and t[0] == fmt.decimal):
        return None, ""
    thousands = fmt.thousands
    if thousands == " ":
        body = t
    else:
        if " " in t:
            return None, ""
        body = t
    value = _digits_ok(body, thousands, fmt.decimal)
    if value is None:
        return None, ""
    if negative:
        value = -value
    return value, "".join(reversed(marks))


def printed_to_overlong(text: str) -> bool:
    """Given one printed cell, return whether it prints one figure of more than DEFAULT_MAX_SIGNIFICANT_DIGITS digits.

    Such a cell stands where a number stands (its column stays numeric) but is no number: it is left empty and said
    (``unreadable``), never published, not even as text (``700185760000000000085.76%`` shows ``85.76%``).
    """
    t = " ".join(text.split())
    if not _NUMBERISH.fullmatch(t) or re.search(r"\d\s+\d", t):
        return False
    return len(re.sub(r"\D", "", t).lstrip("0")) > DEFAULT_MAX_SIGNIFICANT_DIGITS


def cells_to_format(cells: list[str], fallback: NumberFormat) -> tuple[NumberFormat, str]:
    """Given a table's printed cells and the document's format, return the format the table's numbers are written in, and why.

    A cell decides when only one format reads it: ``1,234.5`` and ``12,345,678`` (``,`` thousands),
    ``1.234,5`` and ``12.345.678`` (``.`` thousands), ``3,14`` and ``0,323`` (``,`` decimal), ``3.14`` and
    ``0.323`` (``.`` decimal: no group of thousands starts with a lone 0); a table whose cells do not decide keeps
    the document's format.
    """
    votes = {"us": 0, "eu": 0, "space": 0}
    for c in cells:
        t = " ".join(c.split())
        if not t or not _NUMBERISH.fullmatch(t):
            continue  # words ("1,2-dichloroethane") say nothing of the format
        if re.search(r"\d,\d{3}\.\d|\d,\d{3},\d{3}(?!\d)|\d\.\d{1,2}(?!\d)|\d\.\d{4,}|(?<![\d.,])0\.\d", t):
            votes["us"] += 1
        if re.search(r"\d\.\d{3},\d|\d\.\d{3}\.\d{3}(?!\d)|\d,\d{1,2}(?!\d)|\d,\d{4,}|(?<![\d.,])0,\d", t):
            votes["eu"] += 1
        if re.search(r"(?<![\d.,])\d{1,3} \d{3}(?!\d)", t):
            votes["space"] += 1
    blank, zero = fallback.blank, fallback.zero
    if votes["us"] and not votes["eu"]:
        return NumberFormat(",", ".", blank, zero), f"{votes['us']} cells written 1,234.5 or 3.14"
    if votes["eu"] and not votes["us"]:
        thousands = " " if votes["space"] else "."
        return NumberFormat(thousands, ",", blank, zero), f"{votes['eu']} cells written 1.234,5 or 3,14"
    if votes["space"] and not votes["us"] and not votes["eu"]:
        return NumberFormat(" ", fallback.decimal or ".", blank, zero), f"{votes['space']} cells written 1 234"
    return fallback, "the document's format (the table's cells do not decide)"


# ----------------------------------------------------------------------------- the layout of a table


@dataclass
class Layout:
    """How a printed table is read: its header rows, label column, numeric and text columns, format."""

    table: PrintedTable
    fmt: NumberFormat
    why_fmt: str
    header_rows: int  # the first rows that are its header
    label: int | None  # the grid column of the label (None: the table prints no text column)
    numeric: list[int]  # grid columns read as numbers, left to right
    text: list[int]  # other grid columns read as text, left to right
    body: list[int]  # grid rows read as the table's rows (a header printed again inside it left out)
    names: dict[int, str] = field(default_factory=dict)  # column -> its header's text
    wraps: dict[int, list[int]] = field(default_factory=dict)  # body row -> all its grid rows (a wrapped label)
    unplaced: frozenset[int] = frozenset()  # grid rows whose cells cannot be placed (``PrintedTable.unplaced``)


def _column_share(rows: list[tuple[str, ...]], j: int, fmt: NumberFormat) -> tuple[int, int]:
    """Given rows and a column, return (cells that read as numbers, non-blank cells)."""
    numbers = filled = placeholders = lettered = 0
    for row in rows:
        v, mark = printed_to_cell(row[j], fmt)
        if v is BLANK:
            placeholders += bool(row[j].strip())
            continue
        filled += 1
        numbers += v is not None or printed_to_overlong(row[j])
        lettered += v is not None and any(c.isalpha() for c in mark)
    if numbers and lettered * 2 > numbers:
        return 0, filled  # most numbers carry a letter ("25g", "10g"): a unit, the cells are text
    if not filled and placeholders:
        return 1, 1  # a column the page filled with placeholders only stands where numbers would
    return numbers, filled


def _is_number(text: str, fmt: NumberFormat) -> bool:
    """Whether a cell reads as one number (a blank or a placeholder does not)."""
    return isinstance(printed_to_cell(text, fmt)[0], (int, Decimal))


def rows_to_counted(rows: list[tuple[str, ...]], j: int, used: list[int], fmt: NumberFormat) -> list[tuple[str, ...]]:
    """Given body rows, a column and the columns that print something, return the rows that tell whether the column is
    one of numbers: all but a row that prints no number at all and, in that column, a figure that is no number (a
    duration ``1 year``, a date ``2025-03-30``). SEC R pages print such facts of another type in the columns of
    amounts (``Deferred revenue, period`` | ``1 year`` under ``percentage`` | ``66.00%``); the row neither makes nor
    unmakes the column, and its cell is still read (not a number: left empty, said)."""
    out = []
    for r in rows:
        cell = r[j]
        dated = any("0" <= ch <= "9" for ch in cell) and printed_to_cell(cell, fmt)[0] is None
        if dated and not any(_is_number(r[k], fmt) for k in used):
            continue
        out.append(r)
    return out


def _code_columns(rows: tuple[tuple[str, ...], ...], used: list[int]) -> list[int]:
    """Given body rows and the columns that print something, return the columns of codes: at least
    DEFAULT_MIN_NUMERIC_SHARE of their non-blank cells plain digits, some with a leading zero (``01``, ``001``,
    ``0094``: a state, a municipality, a place). A code is no quantity: it is published as printed, leading zeros kept."""
    out = []
    for j in used:
        cells = [" ".join(r[j].split()) for r in rows if r[j].strip()]
        digits = [c for c in cells if c.isdigit() and c.isascii()]
        if digits and len(digits) >= DEFAULT_MIN_NUMERIC_SHARE * len(cells) and any(_CODE.fullmatch(c) for c in digits):
            out.append(j)
    return out


def names_to_shifted(
    names: dict[int, str], used: list[int], body: list[tuple[str, ...]]
) -> tuple[dict[int, str], list[int]]:
    """Given the columns' header names, the columns that print something and the body rows, return the names and
    columns with each header set one column off its cells moved onto them: a column that prints only its name, beside
    a column with cells and no name (Camelot puts ``Nombre Municipio`` right of the municipalities it names)."""
    names, used = dict(names), list(used)
    for j in list(used):
        if not names.get(j) or any(r[j].strip() for r in body):
            continue
        near = [k for k in (j - 1, j + 1) if k in used and not names.get(k) and any(r[k].strip() for r in body)]
        if len(near) == 1:
            names[near[0]] = names.pop(j)
            used.remove(j)
    return names, used


_BEFORE_NUMBER = frozenset({"$", "€", "£", "¥", "US$", "(", "$(", "$ ("})
_AFTER_NUMBER = frozenset({")", "%", ")%", "%)", "‰"})


def rows_to_affixed(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Given a table's rows, return them with each cell that prints only a number's sign joined to the number beside
    it: a currency or an opening parenthesis to the number right of it, a closing parenthesis or a percent to the
    number left of it. SEC filings print ``$`` | ``8,163`` and ``( 76,421`` | ``)`` in cells of their own; the sign
    is part of the number (``(76,421)`` is negative), and the column of signs is no column of the table."""
    out = []
    for row in rows:
        cells = list(row)
        for j, cell in enumerate(cells):
            t = cell.strip()
            if t in _BEFORE_NUMBER and j + 1 < len(cells) and _NUMBERISH.fullmatch(cells[j + 1].strip()):
                cells[j + 1], cells[j] = t + cells[j + 1].strip(), ""
            elif t in _AFTER_NUMBER and j > 0 and cells[j - 1].strip()[-1:].isdigit():
                cells[j - 1], cells[j] = cells[j - 1].strip() + t, ""
        out.append(tuple(cells))
    return tuple(out)


def _is_year_row(row: tuple[str, ...], numeric: list[int], first: bool = False) -> bool:
    """Whether a row names columns by year (``1000 1500 2011 …``): every numeric cell a year, no other number.

    One year names its column only on the table's first row with nothing else printed (``2016`` over a statement's
    one column of figures)."""
    texts = [" ".join(row[j].split()) for j in numeric if row[j].strip()]
    if first and len(texts) == 1 and sum(1 for c in row if c.strip()) == 1:
        return bool(_YEAR.fullmatch(texts[0]))
    return len(texts) >= 2 and all(_YEAR.fullmatch(t) for t in texts)


def _data_follows(rows: tuple[tuple[str, ...], ...], s: int, cols: list[int], fmt: NumberFormat) -> bool:
    """Whether the row after row ``s`` prints a number under one of the numeric columns (years naming them aside)."""
    if s + 1 >= len(rows) or _is_year_row(rows[s + 1], cols):
        return False  # years naming the columns are no data
    return any(isinstance(printed_to_cell(rows[s + 1][j], fmt)[0], (int, Decimal)) for j in cols)


def _is_spec_row(row: tuple[str, ...]) -> bool:
    """Whether every cell of a row is a figure with a letter (``5s 15s 10d``): column specs, not numbers with marks."""
    filled = [c.strip() for c in row if c.strip()]
    return len(filled) >= 2 and all(_SPEC.fullmatch(c) for c in filled)


def table_to_layout(table: PrintedTable, fallback: NumberFormat, fixed: NumberFormat | None = None) -> Layout | None:
    """Given a printed table and the document's number format, return how to read it, or None when it holds no number.

    Header rows: those the source marks (``<th>``, ``<thead>``), then leading rows with no number in
    a numeric column, or naming the columns by year. A column is numeric where at least
    DEFAULT_MIN_NUMERIC_SHARE of its non-blank body cells read as one number each. The label is the
    leftmost text column that prints something.
    """
    if not table.rows:
        return None
    width = max(len(r) for r in table.rows)
    rows = rows_to_affixed(tuple(tuple(r) + ("",) * (width - len(r)) for r in table.rows))
    table = replace(table, rows=rows)  # padded, the signs printed in cells of their own joined to their numbers
    used = [j for j in range(width) if any(r[j].strip() for r in rows)]
    start = min(table.header or 0, len(rows))
    if fixed is not None:
        fmt, why = fixed, "the rules' format"
    else:
        fmt, why = cells_to_format([r[j] for r in rows[start:] for j in used], fallback)

    def classify(first: int) -> list[int]:
        body = rows[first:]
        out = []
        for j in used:
            numbers, filled = _column_share(rows_to_counted(list(body), j, used, fmt), j, fmt)
            if numbers and numbers >= DEFAULT_MIN_NUMERIC_SHARE * filled:
                out.append(j)
        return out

    # leading rows with no number where numbers stand, or years naming the columns, are header rows
    first, numeric = start, classify(start)
    for s in range(first, min(len(rows) - 1, first + DEFAULT_MAX_HEADER_ROWS) + 1):
        cols = classify(s)
        if not cols:
            continue
        row = rows[s]
        if _is_spec_row(row):
            continue  # a row of column specs (USGS RDB's ``5s 15s 10d``) under the names: a header row
        values = [printed_to_cell(row[j], fmt)[0] for j in cols]
        # a number, or a placeholder where a number would stand: data (years naming the columns aside)
        data = any(v is not None and (v is not BLANK or row[j].strip()) for j, v in zip(cols, values))
        if data and not _is_year_row(row, cols, first=s == 0):
            start, numeric = s, cols
            break
        if row[used[0]].strip() and not any(row[j].strip() for j in used[1:]) and _data_follows(rows, s, cols, fmt):
            start, numeric = s, cols
            break  # a label alone right above numbers: a section or a wrapped label, a row of the body
    codes: list[int] = []
    if not numeric:
        # no column of quantities: a table of codes (``01 Aguascalientes 001 … 0094 Granja Adelita``) is still a
        # table the page printed; its codes are text columns, published as printed, under the rows above the first code
        for s in range(start, min(len(rows) - 1, start + DEFAULT_MAX_HEADER_ROWS) + 1):
            codes = _code_columns(rows[s:], used)
            if codes and any(_CODE.fullmatch(" ".join(rows[s][j].split())) for j in codes):
                start = s
                break
        else:
            return None
    text_cols = [j for j in used if j not in numeric]
    # the label is the leftmost column of text that prints something (of a table of codes: the leftmost name)
    label = next(
        (j for j in text_cols if any(r[j].strip() for r in rows[start:]) and (numeric or j not in codes)), None
    )
    if label is not None and len(numeric) > 1 and label > numeric[1]:
        label = None  # text right of the numbers (a note) names no row; a rank before the name does not count
    if label is None:
        if not numeric:
            return None
        label = numeric[0]  # no column of text: the first column's printed text names the rows (and stays a number)
    header = rows[:start]
    body = []
    for i in range(start, len(rows)):
        if not any(c.strip() for c in rows[i]):
            continue
        if header and any(rows[i] == h for h in header):
            continue  # the header printed again over a later chunk
        body.append(i)
    if not body:
        return None
    names: dict[int, str] = {}
    for j in used:
        parts: list[str] = []
        for h in header:
            if _is_spec_row(h):
                continue
            t = " ".join(h[j].split())
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        names[j] = " ".join(parts)
    names, used = names_to_shifted(names, used, [rows[i] for i in body])
    text_cols = [j for j in text_cols if j in used]
    layout = Layout(table, fmt, why, start, label, numeric, [j for j in text_cols if j != label], body, names)
    layout.unplaced = frozenset(table.unplaced)
    rows_to_wraps(layout)
    return layout


def _has_numbers(layout: Layout, i: int) -> bool:
    if i in layout.unplaced:
        return True  # it printed cells, none of which can be placed
    row = layout.table.rows[i]
    return any(row[j].strip() for j in layout.numeric if j != layout.label)


def _label_text(layout: Layout, i: int) -> str:
    return "" if layout.label is None else " ".join(layout.table.rows[i][layout.label].split())


def rows_to_wraps(layout: Layout) -> None:
    """Given a layout, join each label the page wrapped over several lines to its row, in place.

    A row that prints numbers under an empty label takes the label-only line above it and the one below it
    (``Chlorine and inorganic compounds`` / ``10 000 - -`` / ``(as HCl)``), and the label-only lines that go on from
    those (one ending with a comma, or the next continuing it: eu-015's `Other specific policies including
    Competition, External` / `trade, ...` / three more lines / `4.330` / ... / `and Environment`); a row that prints
    both takes the label-only line below it that continues it (starting lower-case or with a parenthesis). Text columns other
    than the label must be empty on the lines joined.
    """
    body = layout.body
    if layout.label is None or layout.label in layout.numeric:
        return
    others = [j for j in layout.text]

    def label_only(i: int) -> bool:
        row = layout.table.rows[i]
        return bool(_label_text(layout, i)) and not _has_numbers(layout, i) and not any(row[j].strip() for j in others)

    def continues(i: int) -> bool:
        t = _label_text(layout, i)
        return label_only(i) and (
            t[:1].islower() or t[:1] in "(-&" or t.split(" ", 1)[0].lower() in ("and", "or", "of")
        )

    def goes_on(i: int, k: int) -> bool:
        """Whether label-only line k goes on from label line i: i ends with a comma, or k continues."""
        return _label_text(layout, i).endswith(",") or continues(k)

    used: set[int] = set()
    keep: list[int] = []
    for n, i in enumerate(body):
        if i in used:
            continue
        if not _has_numbers(layout, i):
            keep.append(i)
            continue
        group = [i]
        after = body[n + 1] if n + 1 < len(body) else None
        if not _label_text(layout, i):
            k = n - 1
            while (
                k >= 0
                and body[k] not in used
                and keep
                and keep[-1] == body[k]
                and label_only(body[k])
                and (k == n - 1 or goes_on(body[k], body[k + 1]))
            ):
                keep.pop()
                group.insert(0, body[k])
                k -= 1
            if (
                after is not None
                and label_only(after)
                and (
                    continues(after)
                    or (n + 2 < len(body) and _has_numbers(layout, body[n + 2]) and _label_text(layout, body[n + 2]))
                    or (len(group) > 1 and goes_on(group[-2], after))
                )
            ):
                group.append(after)
                m = n + 2
                while m < len(body) and label_only(body[m]) and goes_on(group[-1], body[m]):
                    group.append(body[m])
                    m += 1
        elif after is not None and continues(after):
            group.append(after)
        used.update(group)
        keep.append(group[0])
        if len(group) > 1:
            layout.wraps[group[0]] = group
    layout.body = keep


# ----------------------------------------------------------------------------- names


def text_to_column_name(text: str, taken: set[str], fallback: str) -> str:
    """Given a header's text, the names taken and a name for an empty header, return a column name (``[A-Za-z_][A-Za-z0-9_]*``), unique."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:DEFAULT_MAX_COLUMN_NAME_CHARS].strip("_")
    if not slug.isascii():
        slug = ""
    if not slug:
        slug = fallback
    if slug[0].isdigit():
        slug = f"c_{slug}"
    if slug in _RESERVED_NAMES:
        slug = f"{slug}_"  # 'sum' is a word of the rule grammar; 'no', 'on', 'null' … YAML 1.1 reads as values
    name, n = slug, 2
    while name in taken:
        name, n = f"{slug}_{n}", n + 1
    taken.add(name)
    return name


def layout_to_names(layout: Layout) -> tuple[str, list[str], list[str]]:
    """Given a layout, return the label column's name, the numeric columns' names and the text columns' names."""
    taken: set[str] = set()
    named = layout.label is not None and layout.label not in layout.numeric  # a numeric first column keeps its name
    label = text_to_column_name(
        layout.names.get(layout.label, "") if named and layout.label is not None else "", taken, "label"
    )
    numeric = [text_to_column_name(layout.names.get(j, ""), taken, f"c{k + 1}") for k, j in enumerate(layout.numeric)]
    text = [text_to_column_name(layout.names.get(j, ""), taken, f"text{k + 1}") for k, j in enumerate(layout.text)]
    return label, numeric, text


# ----------------------------------------------------------------------------- reading the rows


def _label_of(layout: Layout, i: int) -> str:
    if layout.label is None:
        return ""
    return " ".join(t for t in (_label_text(layout, g) for g in layout.wraps.get(i, [i])) if t)


def _numbers_row(layout: Layout, i: int) -> tuple[str, ...]:
    """Given a body row, return the grid row that prints its numbers (a wrapped label's lines print none)."""
    for g in layout.wraps.get(i, [i]):
        if _has_numbers(layout, g):
            return layout.table.rows[g]
    return layout.table.rows[i]


def layout_to_values(layout: Layout) -> list[tuple[list[Cell | None], str]]:
    """Given a layout, return each body row's numeric cells (None: printed, but not a number) and marks."""
    out: list[tuple[list[Cell | None], str]] = []
    for i in layout.body:
        if any(g in layout.unplaced for g in layout.wraps.get(i, [i])):
            out.append(([None] * len(layout.numeric), ""))  # its label names it; none of its cells can be placed
            continue
        row = _numbers_row(layout, i)
        cells: list[Cell | None] = []
        marks: list[str] = []
        for j in layout.numeric:
            v, mark = printed_to_cell(row[j] if j < len(row) else "", layout.fmt)
            cells.append(v)
            if mark:
                marks.append(mark)
        out.append((cells, " ".join(marks)))
    return out


@dataclass
class Relations:
    """What holds in a printed table: a totals row, and row rules (``total = sum(a..c)``), each with its evidence."""

    totals_row: str | None = None
    totals_why: str = ""
    rules: list[tuple[str, str]] = field(default_factory=list)  # (rule text, evidence)


def _sum(values: list[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return total


def layout_to_relations(layout: Layout, numeric_names: list[str]) -> Relations:
    """Given a layout and its numeric columns' names, return the relations that hold exactly on it.

    A totals row (labelled Total, Grand total, All …, first or last) is adopted where every numeric
    column with a number in it equals the sum of the other rows, none of them blank, on at least one
    column that could have failed it; a column equal to the sum of a contiguous range of two or more
    others beside it, on every row where all of them are numbers (at least DEFAULT_MIN_RELATION_ROWS,
    some of them non-zero).
    """
    rel = Relations()
    values = layout_to_values(layout)
    labels = [_label_of(layout, i) for i in layout.body]
    k = len(layout.numeric)
    for pos in (len(values) - 1, 0) if len(values) >= DEFAULT_MIN_RELATION_ROWS else ():
        if not _TOTALS.match(labels[pos]) or labels.count(labels[pos]) > 1:
            continue
        others = [v for n, (v, _) in enumerate(values) if n != pos]
        checked = 0
        ok = True
        for j in range(k):
            total = values[pos][0][j]
            column = [row[j] for row in others]
            if total is None or total is BLANK:
                continue
            if any(not isinstance(c, (int, Decimal)) for c in column):
                ok = False
                break
            if _sum([c for c in column if isinstance(c, (int, Decimal))]) != total:
                ok = False
                break
            checked += 1
        if ok and checked:
            rel.totals_row = labels[pos]
            rel.totals_why = f"the other {len(others)} rows add up to it exactly in {checked} column(s)"
            break
    if k >= 3 and k <= DEFAULT_MAX_RELATION_COLUMNS:
        body = [v for n, (v, _) in enumerate(values) if labels[n] != rel.totals_row] + (
            [values[labels.index(rel.totals_row)][0]] if rel.totals_row else []
        )
        for target in range(k):
            for a, b in [(a, target - 1) for a in range(target - 2, -1, -1)] + [
                (target + 1, b) for b in range(target + 2, k)
            ]:
                cols = list(range(a, b + 1))
                rows_ok = nonzero = 0
                holds = True
                for row in body:
                    cells = [row[target]] + [row[c] for c in cols]
                    if not all(isinstance(c, (int, Decimal)) for c in cells):
                        continue
                    nums = [c for c in cells if isinstance(c, (int, Decimal))]
                    if nums[0] != _sum(nums[1:]):
                        holds = False
                        break
                    rows_ok += 1
                    nonzero += sum(1 for c in nums[1:] if c != 0) >= 2
                if holds and rows_ok >= DEFAULT_MIN_RELATION_ROWS and nonzero:
                    first, last = numeric_names[a], numeric_names[b]
                    text = f"{numeric_names[target]} = sum({first}..{last})"
                    rel.rules.append((text, f"holds exactly on the {rows_ok} rows that print all its cells"))
                    break
            # one rule per target column is enough: the first (nearest range) that holds
    return rel


def cells_off_line(
    layout: Layout, cells: list[Cell | None], printed: Sequence[str], lines: Sequence[Line]
) -> list[tuple[int, int]]:
    """Given a row of a table read from a page's text (a PDF: its cells from the table finder, its lines from the text
    layer), its numeric cells, its printed cells and its lines, return (numeric column, printed cell) for each number
    none of the row's lines prints (spaces aside: kerned figures `1 4.862` are `14.862`): a figure the finder set in the
    row from another line (a chart's axis tick below it) is no cell of this row. Rows whose lines are the cells (HTML)
    are not checked."""
    if layout.table.kind != "pdf" or not lines or any(line.cells is not None for line in lines):
        return []
    text = "".join("".join(line.text.split()) for line in lines)
    return [
        (n, j)
        for n, (j, c) in enumerate(zip(layout.numeric, cells))
        if c is not None and c is not BLANK and "".join(printed[j].split()) not in text
    ]


def layout_to_solution(layout: Layout, spec: TableSpec, document: Document) -> TableSolution:
    """Given a layout, the table's spec and its document, return the table as the page printed it.

    A numeric cell is published when it reads as one number; a blank or placeholder stays blank; a
    cell that printed something else is left empty and the row says so (``unreadable``). A
    reviewer's override fills a cell that is empty, and marks a row whose printed cell disagrees
    ``unsatisfiable``.
    """
    by_number = {line.number: line for line in document.lines}
    rows: list[RowSolution] = []
    problems: list[str] = []
    columns, text_columns = list(spec.columns), list(spec.text_columns)
    k = len(columns)
    if len(layout.numeric) != k or len(layout.text) != len(text_columns):
        problems.append(
            f"table '{spec.id}': the page's table {spec.printed} prints {len(layout.numeric)} numeric and "
            f"{len(layout.text)} text columns, the rules name {k} and {len(text_columns)}: not read"
        )
        return TableSolution(spec.id, columns, spec.label_column, [], False, problems, text_columns=text_columns)
    values = layout_to_values(layout)
    empty = unplaced = off_line = 0
    for i, (cells, marks) in zip(layout.body, values):
        group = layout.wraps.get(i, [i])
        lines = [
            by_number.get(layout.table.lines[g])
            or Line(" ".join(c for c in layout.table.rows[g] if c), layout.table.lines[g])
            for g in group
        ]
        label = _label_of(layout, i)
        printed = _numbers_row(layout, i)
        row = SourceRow(lines[0], label, None, "", cells=tuple(printed), more=tuple(lines[1:]), matched=True)
        status, reason = "recovered", ""
        bad = [
            f"{columns[n]} printed {printed[j]!r}" for n, (j, c) in enumerate(zip(layout.numeric, cells)) if c is None
        ]
        off = []
        for n, j in cells_off_line(layout, cells, printed, lines):
            cells[n] = None
            off.append(f"{columns[n]} {printed[j]!r}")
        off_line += len(off)
        pins = spec.overrides.get(label, {})
        if pins:
            for n, col in enumerate(columns):
                if col not in pins:
                    continue
                if cells[n] is None:
                    cells[n] = pins[col]
                    status = "corrected"
                elif cells[n] != pins[col]:
                    status, reason = (
                        "unsatisfiable",
                        f"the page printed {col}={cells[n]}, the override says {pins[col]}",
                    )
            bad = [b for b in bad if b.split(" ", 1)[0] not in pins]
            off = [b for b in off if b.split(" ", 1)[0] not in pins]
        cut = any(g in layout.unplaced for g in group) and None in cells and status != "unsatisfiable"
        if cut:
            unplaced += 1
            status, reason = "unreadable", "its cells do not stand under the table's columns (another count of cells)"
        elif (bad or off) and status != "unsatisfiable":
            why = (["not a number: " + "; ".join(bad)] if bad else []) + (
                ["no line of the row prints " + "; ".join(off)] if off else []
            )
            status, reason = "unreadable", "; ".join(why)
        if status == "unsatisfiable":
            cells = [None] * k
        empty += 0 if cut else sum(c is None for c in cells)  # a row whose cells cannot be placed is counted apart
        reading = tuple(c for c in cells)
        texts = tuple(" ".join(printed[j].split()) for j in layout.text)
        rows.append(
            RowSolution(
                row,
                cells,
                status,
                [reading] if None not in reading else [],  # type: ignore[list-item]
                1 if None not in reading else 0,
                reason=reason,
                marks=marks,
                texts=texts,
            )
        )
    if empty - off_line > 0:
        problems.append(
            f"table '{spec.id}': {empty - off_line} cell(s) printed something that is not a number: left empty"
        )
    if off_line:
        problems.append(
            f"table '{spec.id}': {off_line} cell(s) set in a row from another line (no line of the row prints them): "
            "left empty"
        )
    if unplaced:
        problems.append(
            f"table '{spec.id}': {unplaced} row(s) printed another count of cells than the table has: left empty"
        )
    at = dict(zip(layout.numeric, columns)) | dict(zip(layout.text, text_columns))
    order = [at[j] for j in sorted(at)]  # as the page prints them
    return TableSolution(
        spec.id, columns, spec.label_column, rows, True, problems, text_columns=text_columns, order=order
    )


# ----------------------------------------------------------------------------- the document


def document_to_layouts(document: Document, fallback: NumberFormat) -> list[tuple[int, Layout]]:
    """Given a document and its number format, return each printed table that holds numbers (its 1-based index) and its layout."""
    out = []
    for n, table in enumerate(document.tables, start=1):
        layout = table_to_layout(table, fallback)
        if layout is not None:
            out.append((n, layout))
    return out


def layout_to_title(layout: Layout, document: Document) -> str | None:
    """Given a layout, return its caption, or the text line just above it (a short line, not a sentence)."""
    if layout.table.caption:
        return layout.table.caption
    first = layout.table.lines[0] if layout.table.lines else 0
    for line in reversed(document.lines[max(0, first - 4) : first - 1]):
        t = line.text.strip()
        if t and line.cells is None:
            return t if len(t) <= 120 else None
    return None


def document_to_printed_solution(document: Document, spec: TableSpec, fmt: NumberFormat) -> TableSolution:
    """Given a document, the spec of one of its printed tables (``printed: N``) and the document's format, return the
    table read cell by cell (not found: the page has no such table, or it holds no number)."""
    n = spec.printed or 0
    layout = None
    if 1 <= n <= len(document.tables):
        layout = table_to_layout(document.tables[n - 1], fmt, spec.number_format)
    if layout is None:
        why = f"table '{spec.id}': the page has no table {n} whose cells it kept (it has {len(document.tables)})"
        if 1 <= n <= len(document.tables):
            why = f"table '{spec.id}': the page's table {n} holds no number"
        return TableSolution(
            spec.id, list(spec.columns), spec.label_column, [], False, [why], text_columns=list(spec.text_columns)
        )
    return layout_to_solution(layout, spec, document)
