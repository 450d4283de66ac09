"""Column geometry of a PDF page: which words of a line stand under which numeric column.

Pure functions over word dicts (``text, x0, x1, top, bottom``, as pdfplumber's ``extract_words``
gives them), so they run and test without a PDF. The idea is Camelot's stream mode: a table
without ruling lines still shows its columns in the alignment of its numbers across rows.

A block is a run of consecutive lines that each end in numeric-looking words. Its columns are
the x-ranges the numbers cover when the overlapping extents of all rows are merged; each
column must be backed by several rows (or by a header word above it) and its numbers must
line up on their right edge, left edge or centre. A line of the block gets its cells only when
every word right of its label falls in exactly one column; anything less certain leaves it to
the text path (``None``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from statistics import median

from recover.extractors.pdf import DEFAULT_LINE_TOLERANCE

#: Fewest consecutive lines that make a table block.
DEFAULT_MIN_BLOCK_LINES = 3
#: Fewest consecutive lines that make a table block whose columns a header names: a line of years over them, or a
#: line above with one name per column (eu-025's `Very healthy Quite healthy Unhealthy` over `Male 36 102 16` and
#: `Female 33 270 32`).
DEFAULT_MIN_NAMED_BLOCK_LINES = 2
#: Fewest numeric-looking words a line must end with to be a line of a block.
DEFAULT_MIN_NUMERIC_WORDS = 2
#: Fewest lines of a block with a word in a column, unless a header word stands over it alone.
DEFAULT_MIN_COLUMN_ROWS = 2
#: How far (in digit widths) the lone numbers of one column may stray from a shared right edge, left edge or centre.
DEFAULT_ALIGN_TOLERANCE_DIGITS = 1.5
#: Widest gap (in digit widths) between two words in one column of one line that are joined as one kerned cell.
DEFAULT_KERN_GAP_DIGITS = 2.0

_GROUPED = r"\d{1,3}([,.\u2009\u202f\u00a0 ])\d{3}(?:\1\d{3})*"  # 12,345 / 12.345 / 12 345 (one separator throughout)
_NUMBER = rf"(?:(?:{_GROUPED}|\d+)(?:[.,]\d+)?|[.,]\d+)"
_MARK = r"(?:[*†‡§¶#]|[A-Za-z])"
_NUMERIC = re.compile(rf"(?:[-−–+]?{_NUMBER}%?|\({_NUMBER}%?\)%?){_MARK}?")
#: Texts a table prints in a cell that has no number (suppressed, not available, zero, ...).
PLACEHOLDERS = frozenset(
    {"-", "–", "—", "..", "...", "x", "X", "n/a", "N/A", "NA", "(D)", "(NA)", "(X)", "(S)", "(Z)", "*"}
)


def text_to_is_numeric(text: str) -> bool:
    """Given a word's text, return whether it reads as one numeric cell: a number (sign, groups, decimals, ``)``, ``%``, one footnote mark) or a placeholder."""
    text = text.strip()
    return text in PLACEHOLDERS or _NUMERIC.fullmatch(text) is not None


def words_to_rows(words: list[dict], tolerance: float = DEFAULT_LINE_TOLERANCE) -> list[list[dict]]:
    """Given a page's words, return its lines: the words that share a baseline, each line left to right, lines top to bottom."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= tolerance:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def row_to_text(row: list[dict]) -> str:
    """Given a line's words, return its text: the words joined by single spaces."""
    return " ".join(" ".join(w["text"] for w in row).split())


def row_to_tail(row: list[dict]) -> list[dict]:
    """Given a line's words (left to right), return the numeric-looking words it ends with."""
    n = len(row)
    while n and text_to_is_numeric(row[n - 1]["text"]):
        n -= 1
    return row[n:]


def rows_to_blocks(
    rows: list[list[dict]], min_lines: int = DEFAULT_MIN_BLOCK_LINES, min_numeric: int = DEFAULT_MIN_NUMERIC_WORDS
) -> list[range]:
    """Given a page's lines, return the runs (of at least ``min_lines``) of consecutive lines that end in ``min_numeric`` or more numeric-looking words."""
    blocks, start = [], None
    for i, row in enumerate([*rows, []]):
        if len(row_to_tail(row)) >= min_numeric:
            start = i if start is None else start
            continue
        if start is not None and i - start >= min_lines:
            blocks.append(range(start, i))
        start = None
    return blocks


def row_to_label_edge(row: list[dict]) -> float:
    """Given a line's words (left to right), return where its leading non-numeric words end (-inf when it starts with a number)."""
    edge = float("-inf")
    for w in row:
        if text_to_is_numeric(w["text"]):
            break
        edge = w["x1"]
    return edge


def words_to_digit_width(words: list[dict]) -> float:
    """Given numeric words, return the width of one character: the median of width / length over the words with digits."""
    widths = [(w["x1"] - w["x0"]) / len(w["text"]) for w in words if any(c.isdigit() for c in w["text"]) and w["text"]]
    return median(widths) if widths else 5.0


def words_to_extents(words: list[dict]) -> list[tuple[float, float, list[dict]]]:
    """Given words, return the x-ranges their overlapping extents merge into, left to right, each with its words."""
    groups: list[list] = []
    for w in sorted(words, key=lambda w: w["x0"]):
        if groups and w["x0"] < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], w["x1"])
            groups[-1][2].append(w)
        else:
            groups.append([w["x0"], w["x1"], [w]])
    return [(x0, x1, members) for x0, x1, members in groups]


def words_to_is_aligned(words: list[dict], tolerance: float) -> bool:
    """Given the words of one column, return whether they share a right edge, a left edge or a centre within ``tolerance``."""
    for key in (lambda w: w["x1"], lambda w: w["x0"], lambda w: (w["x0"] + w["x1"]) / 2):
        values = [key(w) for w in words]
        if not values or max(values) - min(values) <= tolerance:
            return True
    return False


def block_to_columns(
    rows: list[list[dict]],
    header: list[dict] | None = None,
    min_rows: int = DEFAULT_MIN_COLUMN_ROWS,
    align_digits: float = DEFAULT_ALIGN_TOLERANCE_DIGITS,
) -> list[tuple[float, float, float]] | None:
    """Given the lines of a block (and the line above it, if any), return its numeric columns left to right as (x0, x1, widest lone number), or None when they are not certain.

    The numbers each line ends with are merged by overlap into x-ranges. A range that ends
    inside the span of the lines' leading words (a number inside a label: ``Under 18`` above
    ``District of Columbia``) is label text. Every other range is a column when at least
    ``min_rows`` lines have a word in it, or one header word stands over it and no other
    range, and when the numbers of the lines with one word in it line up (placeholders such
    as a centred ``-`` aside). Any range failing that makes the whole block uncertain.
    """
    tails = [row_to_tail(row) for row in rows]
    label_edge = max((row_to_label_edge(row) for row in rows), default=float("-inf"))
    numbers = [(i, w) for i, tail in enumerate(tails) for w in tail]
    row_of = {id(w): i for i, w in numbers}
    digit = words_to_digit_width([w for _, w in numbers])
    groups = [g for g in words_to_extents([w for _, w in numbers]) if g[1] > label_edge]
    if not groups:
        return None
    columns = []
    for x0, x1, members in groups:
        rows_in = [row_of[id(w)] for w in members]
        if len(set(rows_in)) < min_rows and not header_to_confirms(header, (x0, x1), groups):
            return None
        counts = Counter(rows_in)
        lone = [w for w, i in zip(members, rows_in) if counts[i] == 1]
        if not words_to_is_aligned([w for w in lone if w["text"].strip() not in PLACEHOLDERS], align_digits * digit):
            return None
        columns.append((x0, x1, max((w["x1"] - w["x0"] for w in lone), default=0.0)))
    return columns


def header_to_confirms(
    header: list[dict] | None, span: tuple[float, float], groups: list[tuple[float, float, list[dict]]]
) -> bool:
    """Given the header line, a column's span and all spans, return whether one header word stands over this span and no other."""
    for w in header or []:
        over = [g for g in groups if w["x0"] < g[1] and w["x1"] > g[0]]
        if len(over) == 1 and (over[0][0], over[0][1]) == span:
            return True
    return False


def row_to_cells(
    row: list[dict],
    columns: list[tuple[float, float, float]],
    digit: float,
    kern_digits: float = DEFAULT_KERN_GAP_DIGITS,
) -> tuple[str, ...] | None:
    """Given a line's words, the block's columns and the width of a digit, return (label, cell per column), or None when any word is uncertain.

    Words wholly left of the first column are the label. Every other word must be numeric-looking
    and overlap exactly one column. Words sharing a column (digits kerned apart) are joined with
    no space when each gap is under ``kern_digits`` digits, the joined text is numeric-looking
    and it spans no more than the column's widest lone number (printed by other lines) plus
    that gap; otherwise None.
    """
    label: list[str] = []
    cells: list[list[dict]] = [[] for _ in columns]
    for w in row:
        over = [k for k, (a, b, _) in enumerate(columns) if w["x0"] < b and w["x1"] > a]
        if not over and w["x1"] <= columns[0][0] and not any(cells):
            label.append(w["text"])
        elif len(over) == 1 and text_to_is_numeric(w["text"]):
            cells[over[0]].append(w)
        else:
            return None
    if not any(cells):
        return None
    out = [" ".join(" ".join(label).split())]
    for (_, _, widest), ws in zip(columns, cells):
        cell = words_to_cell(ws, digit, widest, kern_digits)
        if cell is None:
            return None
        out.append(cell)
    return tuple(out)


def words_to_cell(
    words: list[dict], digit: float, widest: float, kern_digits: float = DEFAULT_KERN_GAP_DIGITS
) -> str | None:
    """Given the words of one line under one column (left to right), the digit width and the column's widest lone number, return the cell's text ("" for none), or None when they are not one kerned number."""
    if len(words) <= 1:
        return words[0]["text"].strip() if words else ""
    for left, right in itertools.pairwise(words):
        if right["x0"] - left["x1"] >= kern_digits * digit:
            return None
    text = "".join(w["text"].strip() for w in words)
    if not text_to_is_numeric(text) or text in PLACEHOLDERS:
        return None
    if words[-1]["x1"] - words[0]["x0"] > widest + kern_digits * digit:
        return None
    return text


_YEAR = re.compile(r"(1[89]|20)\d\d")


def row_is_years(row: list[dict]) -> bool:
    """Given a line's words, return whether the numbers it ends with are two years or more and nothing else (``Years
    1990 1992 1993``, ``2001 2002 2003``): a header naming the columns under it."""
    tail = [w["text"].strip() for w in row_to_tail(row)]
    return len(tail) >= 2 and all(_YEAR.fullmatch(t) for t in tail)


def header_to_names(header: list[dict] | None, columns: list[tuple[float, float, float]], label_edge: float) -> bool:
    """Given the line above a block, the block's columns and where its labels end, return whether that line names each
    column once: as many words right of the labels as there are columns, none of them a number, each nearer (by its
    centre) to its own column than to any other, in order. Names centred over numbers that keep to their right edge
    need not overlap them (eu-025's `Unhealthy` ends left of the `16` under it)."""
    if header is None or len(columns) < 2:
        return False
    names = [w for w in header if w["text"].strip() and w["x0"] > label_edge]
    if len(names) != len(columns) or any(text_to_is_numeric(w["text"]) for w in names):
        return False
    centres = [(a + b) / 2 for a, b, _ in columns]
    for k, w in enumerate(names):
        mid = (w["x0"] + w["x1"]) / 2
        if min(range(len(centres)), key=lambda j: abs(centres[j] - mid)) != k:
            return False
    return True


def words_to_lines(
    words: list[dict], tolerance: float = DEFAULT_LINE_TOLERANCE, min_lines: int = DEFAULT_MIN_BLOCK_LINES
) -> list[tuple[str, tuple[str, ...] | None]]:
    """Given a page's words, return its lines top to bottom, each as (text, cells), cells None where the geometry does not decide.

    A block of fewer than ``min_lines`` lines (at least DEFAULT_MIN_NAMED_BLOCK_LINES) is a table only where a header
    names its columns: its first line prints years only (``2001 2002 ... 2005`` over `On labour market training 29 300
    25 800 ...`), or the line above prints one name per column (``header_to_names``)."""
    rows = words_to_rows(words, tolerance)
    cells: list[tuple[str, ...] | None] = [None] * len(rows)
    for block in rows_to_blocks(rows, min(min_lines, DEFAULT_MIN_NAMED_BLOCK_LINES)):
        block_rows = [rows[i] for i in block]
        header = rows[block.start - 1] if block.start > 0 else None
        columns = block_to_columns(block_rows, header)
        if columns is None:
            continue
        if len(block) < min_lines:
            label_edge = max(row_to_label_edge(row) for row in block_rows)
            named = (row_is_years(block_rows[0]) and not row_is_years(block_rows[1])) or header_to_names(
                header, columns, label_edge
            )
            if not named:
                continue
        digit = words_to_digit_width([w for row in block_rows for w in row_to_tail(row)])
        for i in block:
            cells[i] = row_to_cells(rows[i], columns, digit)
    return [(row_to_text(row), c) for row, c in zip(rows, cells)]
