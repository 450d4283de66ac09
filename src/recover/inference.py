"""Infer: the rules of a document that came without a rules file (zero-config mode).

A stage of its own, between extract and recover: a Document in, a rules file out (its text,
in the public format, each inferred rule with a comment saying what evidence adopted it).
The pipeline then loads that text like any rules file, so a run without ``--rules`` and a
rerun with ``--rules DIR/inferred-rules.yaml`` give the same CSVs byte for byte.

What is inferred, and when a hypothesis is adopted (only where a coincidence is negligible
and no alternative fits as well; otherwise it is left out: fewer cells, never a wrong one):

- the number format, from the numbers the document prints (``1,234``, ``1.234,5``, ``1 234``);
- tables: blocks of lines that carry a label and numbers (HTML/PDF rows with printed cells,
  text rows), with repeated headers between chunks, under a header and a title line;
- the number of numeric columns: from rows that kept their cell boundaries (every such row
  agreeing), else from a row rule that holds on every row (see below), else from a totals
  row that only one column count can meet (one printing no ``%`` where every other row prints
  runs each ending in one leaves the columns the ``%`` ends blank: ``totals.printed``, where one
  placing of them only meets it), else from a header printed one name a line (``Tm`` / ``W`` / ``L`` /
  ``W-L%`` …, its names after the label's), where one typing of the columns (``integer``, ``decimal 1``, ``decimal
  .3``) reads every row with a share printed without its whole part (``.813``) that is a ratio of two columns on every
  row (``w_l = w / (w + l)``) and a row rule holding under it; a table none of these decides is reported, not read;
- row rules, the way AggreCol finds aggregations in verbose CSV files but over readings:
  ``last = sum(others)``, ``first = sum(others)``, ``c = a - b``, ``c = b - a``, and, where the
  column count is known, sums over a range of columns or over every second column; compared as
  linear relations (``a = b + c`` is ``c = a - b``); adopted when the rule has a reading on
  every row and at least DEFAULT_MIN_RULE_ROWS rows could have failed it (a fused run long
  enough, or a row read as printed), several together when each holds on its own evidence,
  none implies another and they hold together on every row;
- a totals row (``Total``, ``Totals``, ``Grand Total``, ``All …``, first or last): complete
  when the body meets it exactly, else partial (an upper bound) when it meets it as a bound;
- subtotals (a totals row before the last, ``Total EU-15`` … ``Total EU-12`` … ``Grand Total``): each
  section a table of its own with its totals row (a rules file holds one per table), tried on its own
  lines, where one section at least meets its total exactly; the others take its column count and names;
- the label column and column names from the header where its parts match the column count (a
  header of years printed apart, ``2011 2012 … 2013–2017``, counts the columns; so do two header
  lines, years over the same names repeated under each, and one column more, whose difference of
  one name's first and last year is then tried as its rule), or its last words each read as one name;
- the number format: thousands marked both ways and no decimals (``7.704`` and ``1,710``) is read
  under both (``number_format.also``);
- the vocabulary: the labels as printed (a header fused with the first row split off, or run into
  its totals label; a label wrapped with a hyphen joined, a code before it kept), and,
  where a fused run after a space may begin with the label's last figures (``3 to 5665…``),
  those figures joined to the label when only one boundary is read under the rules, or kept
  as alternatives (aliases) when several are;
- a wide table (a box score flattened: ``1Lawson Crouse101…250.02113:00``) no other reading adopts: its header
  printed one name a line counts the columns, a rank increasing from 1 before the labels, a time ending every row,
  whole numbers where no row prints a decimal mark but for a percentage, and a percentage's ratio
  (``s_pct = 100 * g / s``, blank where ``s`` is 0) or sums that hold on every row that reads
  (``block_to_wide_guess``); a row printing fewer cells is left empty.
"""

from __future__ import annotations

import re
import weakref
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise, product
from math import gcd
from typing import TYPE_CHECKING, Any

from .labels import clean_label, normalize
from .locate import DEFAULT_MAX_PAGE_FURNITURE_LINES, DEFAULT_MAX_TABLE_ROWS, LineIndex, label_to_headerish
from .model import BLANK, Document, Line, Reading, TableRegion
from .numbers import Piece

if TYPE_CHECKING:
    from .printed import Layout
    from .rules import TableSpec
from .numbers import (
    DEFAULT_MAX_TOKEN_DIGITS,
    ColumnKind,
    NumberFormat,
    RowLattice,
    cell_to_piece,
    cells_to_pieces,
    text_to_piece_options,
)

#: Fewest digit groups after each of ',' and '.' (no decimals either way) for a document to be read under both.
DEFAULT_MIN_MIXED_GROUPS = 3
#: Fewest rows a block of lines needs to be read as a table.
DEFAULT_MIN_TABLE_ROWS = 2
#: Most numeric columns tried for a table whose rows lost their boundaries.
DEFAULT_MAX_INFER_COLUMNS = 16
#: Fewest rows a row rule must be seen to hold on, each of which could have failed it.
DEFAULT_MIN_RULE_ROWS = 3
#: Digits beyond one per column a fused run needs before a rule holding on it counts as evidence.
DEFAULT_MIN_RULE_SLACK = 3
#: The same, where the header names that many columns (one unknown fewer).
DEFAULT_MIN_RULE_SLACK_NAMED = 2
#: Most leading figures of a fused run that may belong to the label before it.
DEFAULT_MAX_LABEL_DIGITS = 2
#: Most lines without numbers (blank lines, a repeated header, a title) inside one table.
DEFAULT_MAX_GAP_LINES = 3
#: Longest label of a row, in characters (a longer line is prose that ends in a number).
DEFAULT_MAX_INFER_LABEL_CHARS = 90
#: Most readings of one row enumerated while testing a hypothesis.
DEFAULT_MAX_INFER_READINGS = 2_000
#: Most row steps spent on one row while testing a hypothesis.
DEFAULT_MAX_INFER_STEPS = 20_000
#: Most steps (row-lattice steps, counted as the solver counts them) spent inferring one table, beyond
#: DEFAULT_MAX_INFER_ROW_WORK per row: past it, the table is not read (one line names this bound) and the document's
#: other tables still are. (The seed's largest table takes 215,000 steps; 1,000 fused rows 5.2 million.)
DEFAULT_MAX_INFER_WORK = 1_000_000
#: Steps allowed per row of a table on top of DEFAULT_MAX_INFER_WORK.
DEFAULT_MAX_INFER_ROW_WORK = 6_000
#: Units of a lattice's construction (a figure, a column, a number length) that cost what one step of its walk costs.
DEFAULT_BUILD_STEPS_PER_STEP = 5
#: Bytes of an inferred rules file kept for its notes on tables not read (the rest of the loader's bound: tables).
DEFAULT_MAX_NOTES_BYTES = 100_000

TOTALS = re.compile(r"(?:^|\s)((?:grand\s+)?totals?|all\s+\w[\w\s]*|overall|combined|complete)\s*$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=\d)")


#: A row rule as the lattice takes it: coefficients (one per column) and the constant their sum equals.
_Rule = tuple[tuple[int, ...], int]


@dataclass
class Block:
    """Lines read as one table: its rows (line indices), header and title lines, and a header fused with its first row."""

    rows: list[int]
    header: int | None = None
    title: int | None = None
    fused_header: str | None = None
    header_parts: list[str] | None = None
    fused_label: str | None = None  # the first row's label, as parted from a header fused with it
    header_tail: str | None = None  # the header's last words, printed on the first row's line before its totals label
    header_shared: str | None = (
        None  # the fused row's label, which may also be the header's last name ("…UnknownTotal451…")
    )
    known: tuple[int, ...] = ()  # lines of prose that state a total of this table ("... in table 3.")
    section: bool = False  # one section of a table with subtotals: its last row is its totals row
    columns: int | None = None  # the column count the table's sections above read, where nothing here tells it


@dataclass
class TableGuess:
    """What zero-config mode adopted for one table, with the evidence for each part (comments in the rules file)."""

    id: str
    title: str | None
    header: str | None
    label_column: str
    columns: list[str]
    values: list[str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    totals_row: str | None = None
    complete: bool = True
    evidence: dict[str, str] = field(default_factory=dict)
    known: dict[str, int | Decimal] = field(default_factory=dict)
    blanks_add_nothing: bool = False  # the totals add up the printed cells exactly, a blank cell adding nothing
    pending: str | None = None  # a count that only exact totals may confirm (the format is in doubt): why
    partings: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # see _settle_partings
    totals_printed: list[int] | None = None  # the columns (positions) its totals row prints, where not all of them
    rank: str | None = None  # the column of a rank printed before each label (``label.rank``)
    column_types: dict[str, str] = field(default_factory=dict)  # what a column's cells are (``column_types``)
    may_be_blank: list[str] = field(default_factory=list)  # columns the page may leave blank printing nothing


# ----------------------------------------------------------------------------- the number format


def lines_to_format(lines: tuple[Line, ...]) -> tuple[NumberFormat, str]:
    """Given a document's lines, return the number format its numbers are printed in, and why.

    Separators are counted where they stand between digits, so fused runs (``3,0002,500``)
    count too: ``,`` or ``.`` before exactly three digits groups thousands; before one or two
    digits at the end of a number it marks decimals; thin and no-break spaces between digit
    groups group thousands (French style).
    """
    text = "\n".join(l.text if l.cells is None else " ".join(l.cells) for l in lines)
    # a group whose digits run on into a time (``…250.02113:00``: a box score's row) tells nothing: the time's minutes
    # may take them
    comma = len(re.findall(r"\d,\d{3}(?!\d\b)(?!\d*:[0-5]\d)", text))
    dot = len(re.findall(r"\d\.\d{3}(?!\d\b)(?!\d*:[0-5]\d)", text))
    comma_dec = len(re.findall(r"\d,\d{1,2}(?![\d,.])", text))
    dot_dec = len(re.findall(r"\d\.\d{1,2}(?![\d,.])", text))
    space = len(re.findall(r"\d[\u00a0\u202f\u2009]\d{3}(?!\d)", text))
    if min(comma, dot) >= DEFAULT_MIN_MIXED_GROUPS and not comma_dec and not dot_dec and not space:
        # thousands marked both ways, no decimals either way (an export table prints 7.704 and 1,710 in one column):
        # each row is read under both formats, and a cell published only where the readings agree
        major, minor = (".", ",") if dot > comma else (",", ".")
        return NumberFormat(major, None, also=(NumberFormat(minor, None),)), (
            f"{max(dot, comma)} digit groups after '{major}', {min(dot, comma)} after '{minor}' (read both ways)"
        )
    if space > max(comma, dot):
        return NumberFormat(
            " ", "," if comma_dec > dot_dec else ("." if dot_dec else None)
        ), f"{space} numbers grouped by thin or no-break spaces"
    if dot > comma:
        return NumberFormat(".", "," if comma_dec else None), f"{dot} digit groups after '.'" + (
            f", {comma_dec} ',' decimals" if comma_dec else ""
        )
    if comma:
        return NumberFormat(",", "." if dot_dec else None), f"{comma} digit groups after ','" + (
            f", {dot_dec} '.' decimals" if dot_dec else ""
        )
    if comma_dec > dot_dec:
        return NumberFormat(None, ","), f"no grouped numbers; {comma_dec} ',' decimals"
    return NumberFormat(None, "." if dot_dec else None), "no grouped numbers" + (
        f"; {dot_dec} '.' decimals" if dot_dec else ""
    )


# ----------------------------------------------------------------------------- tables


def _is_row(index: LineIndex, i: int) -> bool:
    label, tail = index.bases[i]
    if not tail:
        return False
    if index.cells[i] is not None:
        return True
    label = clean_label(label)
    return bool(label) and len(label) <= DEFAULT_MAX_INFER_LABEL_CHARS and any(c.isalpha() for c in label)


def index_to_blocks(index: LineIndex) -> list[Block]:
    """Given a document's line index, return the blocks of lines that read as tables.

    A block is a run of row lines (a label and numbers) whose gaps are at most
    DEFAULT_MAX_GAP_LINES lines without numbers: blank lines, a header repeated over a chunk,
    a short title. Its header is the line right above its first row; its title the line above that.
    """
    lines = index.lines
    n = len(lines)
    rows = [i for i in range(n) if _is_row(index, i)]
    blocks: list[Block] = []
    for i in rows:
        if blocks:
            last = blocks[-1].rows[-1]
            gap = range(last + 1, i)
            page_break = lines[last].page is not None and lines[i].page != lines[last].page
            # a table continued on the next page: its footer and running head, and the header repeated, between
            most = DEFAULT_MAX_GAP_LINES + 2 * DEFAULT_MAX_PAGE_FURNITURE_LINES if page_break else DEFAULT_MAX_GAP_LINES
            texts = sum(bool(lines[j].text.strip()) for j in gap)
            if (
                len(gap) <= most
                and texts <= (DEFAULT_MAX_PAGE_FURNITURE_LINES + 1 if page_break else 1)
                and all(len(lines[j].text.strip()) <= 2 * DEFAULT_MAX_INFER_LABEL_CHARS for j in gap)
            ):
                blocks[-1].rows.append(i)
                continue
        blocks.append(Block([i]))
    out = []
    for b in blocks:
        if len(b.rows) < DEFAULT_MIN_TABLE_ROWS:
            continue
        above = [
            j
            for j in range(b.rows[0] - 1, max(-1, b.rows[0] - 4), -1)
            if lines[j].text.strip()
            and len(lines[j].text.strip()) <= DEFAULT_MAX_INFER_LABEL_CHARS
            and not lines[j].text.strip().endswith(".")
        ]
        fused = header_runs_into_first_row([clean_label(index.bases[i][0]) for i in b.rows])
        if above and above[0] == b.rows[0] - 1 and not fused:
            b.header = above[0]
            b.title = above[1] if len(above) > 1 and above[1] >= b.rows[0] - 3 else None
        elif above:
            b.title = above[0]
        out.append(b)
    return out


def _camel_parts(text: str) -> list[str]:
    return [p.strip() for p in _CAMEL.split(text) if p.strip()]


#: Fewest parts at case changes in a first row's label for it to be read as a header run into that row.
DEFAULT_MIN_FUSED_HEADER_PARTS = 4


def header_runs_into_first_row(labels: list[str]) -> bool:
    """Given the labels of a block's rows, return whether the first is a header run into the first row's label
    (``Age GroupNative…UnknownTotal`` then ``4511…``): DEFAULT_MIN_FUSED_HEADER_PARTS or more parts at case changes,
    where most other rows' labels have fewer. A first row like the others is a row.

    (cfbref-michigan-2017-schedule flattened: every row runs its date, time, day, school, opponent and conference
    together, ``1Sep 2, 20173:30 PMSat(11) MichiganN(17) FloridaSECW``; the first was read as a header of 3 columns
    and the streak ``L 1`` after each row published as a cell.)"""
    if not labels or len(_camel_parts(labels[0])) < DEFAULT_MIN_FUSED_HEADER_PARTS:
        return False
    alike = sum(len(_camel_parts(label)) >= DEFAULT_MIN_FUSED_HEADER_PARTS for label in labels[1:])
    return 2 * alike < len(labels) - 1


#: Bare words YAML reads as booleans or null: a column named so is written with a trailing "_".
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _slug(text: str, taken: set[str]) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", normalize(text)).strip("_") or "column"
    if not s[0].isalpha():
        s = "c_" + s
    if s == "sum" or s in _YAML_WORDS:  # a header word `No` written bare is YAML's false: the rules would not load
        s = s + "_"
    base, k = s, 2
    while s in taken:
        s, k = f"{base}_{k}", k + 1
    taken.add(s)
    return s


#: The end of a label text that may go on in figures the run after it starts with: a hyphen right after a letter.
_HYPHENED = re.compile(r"[^\W\d_][-\u2010\u2011\u2013]$")


@dataclass
class _Row:
    """One row line: its printed label, its numbers' alternatives (figures moved to the label, tail), its printed cells."""

    line: int
    label: str
    tails: list[tuple[str, str]]
    cells: tuple[str, ...] | None
    glued: bool = False  # the numbers start right after the label, no whitespace between


def _rows(index: LineIndex, block: Block, fmt: NumberFormat) -> list[_Row]:
    out = []
    for i in block.rows:
        base, tail = index.bases[i]
        alts = [("", tail)]
        text = index.lines[i].text
        tokens = tail.split()
        fused = len(tokens) == 1 and index.cells[i] is None
        # a label ending in a hyphen after a letter ("Total EU-" before "15522") may end in figures too: "EU-15"
        if fused and (base.endswith(" ") or _HYPHENED.search(base)) and base.strip():
            for m in range(1, DEFAULT_MAX_LABEL_DIGITS + 1):
                if len(tail) > m and tail[:m].isdigit() and tail[m].isdigit() and tail[0] != "0":
                    alts.append((tail[:m], tail[m:]))
        elif index.cells[i] is None and base.strip():
            first = tokens[0] if tokens else ""
            if base.endswith(" ") and first.isdigit() and (fmt.thousands == " " or cell_to_piece(first, fmt) is None):
                # a first token that is no one number is a fused run, and under spaces grouping thousands it may
                # begin one: the label's figures may start it ("15 to 17726 301…": "15 to 17" | "7" | "26 301";
                # "3 to 526 069…": "3 to 5" | "26 069")
                rest = tail[len(first) :]
                for m in range(1, DEFAULT_MAX_LABEL_DIGITS + 1):
                    if len(first) > m and first[0] != "0":
                        alts.append((first[:m], first[m:] + rest))
            # a spaced row: its first plain figures may end the label ("Under 18 412 130 542")
            for m in range(1, min(DEFAULT_MAX_LABEL_DIGITS, len(tokens) - 1) + 1):
                if all(t.isdigit() and len(t) <= 3 for t in tokens[:m]):
                    alts.append((" ".join(tokens[:m]), " ".join(tokens[m:])))
        out.append(_Row(i, clean_label(base), alts, index.cells[i], bool(base) and not base[-1].isspace()))
        del text
    return out


def _pieces(row: _Row, moved: str, tail: str, fmt: NumberFormat) -> list[list[Piece]]:
    """Given a row and one way to part its label and numbers, return each way to read the numbers as pieces."""
    return [pieces for _, pieces in _format_pieces(row, moved, tail, fmt)]


def _format_pieces(row: _Row, moved: str, tail: str, fmt: NumberFormat) -> list[tuple[NumberFormat, list[Piece]]]:
    """Given a row and one way to part its label and numbers, return each way to read the numbers as pieces, under
    each format the page shows (the format and its ``also``), with the format read under."""
    out: list[tuple[NumberFormat, list[Piece]]] = []
    for f in fmt.formats:
        if row.cells is not None:
            pieces = cells_to_pieces(row.cells, f)
            out += [(f, pieces)] if pieces is not None else []
        else:
            out += [(f, p) for p in text_to_piece_options(tail, f, bool(moved) or row.glued) or []]
    return out


def _readings(
    row: _Row, k: int, fmt: NumberFormat, rule: _Rule | list[_Rule] | None
) -> dict[str, list[Reading | None]]:
    """Given a row, a column count, the format and a rule (coefficients, constant) or several, return its readings per
    label boundary."""
    rules = rule if isinstance(rule, list) else [rule] if rule else []
    out: dict[str, list[Reading | None]] = {}
    for moved, tail in row.tails:
        for f, pieces in _format_pieces(row, moved, tail, fmt):
            # building the lattice costs about a step per figure, column and number length (charged before it is built)
            size = (
                len(pieces) if row.cells is not None else len(tail) * DEFAULT_MAX_TOKEN_DIGITS
            )  # printed cells: one each
            _charge(size * (k + 1) // DEFAULT_BUILD_STEPS_PER_STEP)
            lattice = RowLattice(pieces, k, f, _kinds_for(k))
            if not lattice.feasible:
                continue
            found, stop = lattice.readings(
                rules, max_readings=DEFAULT_MAX_INFER_READINGS, max_steps=DEFAULT_MAX_INFER_STEPS
            )
            _charge(lattice.steps_used)
            got: list[Reading | None] = list(found)
            if stop:
                got = got or [None]  # too many to say: not evidence either way
            if got:
                out.setdefault(moved, []).extend(got)
    return out


def _printed_k(rows: list[_Row], fmt: NumberFormat, trust_spaces: bool = True) -> int | None:
    """Given rows, return the column count the rows that kept their boundaries show: when they all agree, they are
    at least half the rows (and two), and every other row can be read as that many cells."""
    counts: list[set[int]] = []
    for r in rows:
        if r.cells is not None:
            counts.append({len(r.cells)})
            continue
        if trust_spaces and len(r.tails[0][1].split()) > 1:
            ks = set()
            for moved, tail in r.tails:
                for pieces in _pieces(r, moved, tail, fmt):
                    if pieces and all(p.kind != "run" and not p.optional for p in pieces):
                        ks.add(len(pieces))
            if ks:
                counts.append(ks)
    common = set.intersection(*counts) if counts else set()
    if len(common) != 1 or len(counts) < max(2, (len(rows) + 1) // 2):
        return None
    k = common.pop()
    return k if all(_readings(r, k, fmt, None) for r in rows) else None


def rule_to_relation(rule: _Rule) -> tuple[int, ...]:
    """Given a rule (coefficients, constant), return it as a linear relation: its coefficients and constant divided by
    their greatest common divisor, the first non-zero one positive. Two rules are the same relation exactly when their
    relations are equal (``c3 = c1 - c2`` and ``c1 = c2 + c3`` are both ``(1, -1, -1, 0)``)."""
    coeffs, const = rule
    v = (*coeffs, const)
    g = 0
    for x in v:
        g = gcd(g, abs(x))
    if g == 0:
        return v
    v = tuple(x // g for x in v)
    first = next(x for x in v if x)
    return v if first > 0 else tuple(-x for x in v)


def rules_to_distinct(rules: list[tuple[str, _Rule]]) -> list[tuple[str, _Rule]]:
    """Given named rules, return the first of each relation: rules that are one relation spelled two ways (``first =
    sum(others)`` and ``third = first - second`` under 3 columns) are one candidate, never rivals."""
    seen: set[tuple[int, ...]] = set()
    out = []
    for name, rule in rules:
        rel = rule_to_relation(rule)
        if rel not in seen:
            seen.add(rel)
            out.append((name, rule))
    return out


def _candidate_rules(k: int) -> list[tuple[str, _Rule]]:
    """Given a column count, return the row rules tried: (a name, (coefficients, constant)), one per relation.

    (Bug, issue 16: under 3 columns ``first = sum(others)`` and ``third = first - second`` are one relation, ``a = b +
    c`` is ``c = a - b``; both fitted, and a table whose rule held was reported as 'several column counts and rules
    fit' and not read. Candidates are now compared as relations.)"""
    out: list[tuple[str, _Rule]] = []
    if k == 2:
        out.append(("second = first", ((1, -1), 0)))
    if k >= 3:
        out.append(("last = sum(others)", (tuple([1] * (k - 1) + [-1]), 0)))
        out.append(("first = sum(others)", (tuple([-1] + [1] * (k - 1)), 0)))
    if k == 3:
        out.append(("third = first - second", ((1, -1, -1), 0)))
        out.append(("third = second - first", ((-1, 1, -1), 0)))
    return rules_to_distinct(out)


#: Fewest columns a range sum adds up (a range of one column is a copy, tried as ``second = first`` only).
DEFAULT_MIN_RANGE_COLUMNS = 2
#: Most readings of one row the range-sum sieve looks at (a row with more says nothing to it).
DEFAULT_MAX_SIEVE_READINGS = 8


def _range_candidates(k: int) -> list[tuple[str, _Rule]]:
    """Given a column count, return the range sums tried where the count is known: a column that is the sum of a
    contiguous range of others (``c_2013_2017 = sum(c_2013..c_2017)``), and a column that is the sum of every second
    column before or after it (tonnes and dollars per year, a total of each). O(k^2) ranges, each with the columns
    outside it as targets: at most DEFAULT_MAX_INFER_COLUMNS^3 candidates, sieved by arithmetic on the rows' few
    readings before any is tried on the lattice (see _sieve_rules)."""
    out: list[tuple[str, _Rule]] = []
    for a in range(k):
        for b in range(a + DEFAULT_MIN_RANGE_COLUMNS - 1, k):
            for t in range(k):
                if a <= t <= b or (a == 0 and b == k - 1):
                    continue
                coeffs = [0] * k
                for j in range(a, b + 1):
                    coeffs[j] = 1
                coeffs[t] = -1
                out.append((f"column {t + 1} = sum(columns {a + 1}..{b + 1})", (tuple(coeffs), 0)))
    for t in range(k):
        for step in (-2, 2):
            src = list(range(t - step, -1 if step > 0 else k, -step))
            for n in range(DEFAULT_MIN_RANGE_COLUMNS, len(src) + 1):
                coeffs = [0] * k
                for j in src[:n]:
                    coeffs[j] = 1
                coeffs[t] = -1
                cols = sorted(src[:n])
                out.append(
                    (f"column {t + 1} = sum(every second column {cols[0] + 1}..{cols[-1] + 1})", (tuple(coeffs), 0))
                )
    return out


def _sieve_rules(
    rows: list[_Row], k: int, fmt: NumberFormat, cands: list[tuple[str, _Rule]]
) -> list[tuple[str, _Rule]]:
    """Given rows, a column count and candidate rules, return those some reading of every row with at most
    DEFAULT_MAX_SIEVE_READINGS readings meets, and that at least DEFAULT_MIN_RULE_ROWS rows that read one way only meet
    with a non-zero target (a rule met by zeros only, or by one of a row's many readings, is no evidence: among hundreds
    of candidates some would meet a fused run by chance): arithmetic only, so hundreds of range sums cost little."""
    few: list[list[Reading]] = []
    for r in rows:
        got = _readings(r, k, fmt, None)
        flat = [x for v in got.values() for x in v]
        if flat and all(x is not None for x in flat) and len(flat) <= DEFAULT_MAX_SIEVE_READINGS:
            few.append([x for x in flat if x is not None])
    out = []
    for name, (coeffs, const) in cands:
        t = coeffs.index(-1)
        cols = [j for j, a in enumerate(coeffs) if a]
        strong = 0
        for readings in few:
            told = [x for x in readings if all(x[j] is not BLANK for j in cols)]  # a blank in its columns: not enforced
            met = [x for x in told if sum(coeffs[j] * x[j] for j in cols) == const]  # type: ignore[misc,operator]
            if told and not met:
                break
            strong += len(readings) == 1 and any(x[t] != 0 for x in met)
        else:
            if strong >= DEFAULT_MIN_RULE_ROWS:
                out.append((name, (coeffs, const)))
    return out


def _could_fail(row: _Row, k: int, fmt: NumberFormat, slack: int = DEFAULT_MIN_RULE_SLACK) -> bool:
    """Whether a rule holding on this row is evidence: the row is read as printed, or its fused run is long enough to fail it."""
    if row.cells is not None or len(row.tails[0][1].split()) > 1:
        return True
    digits = sum(c.isdigit() for c in row.tails[0][1])
    return digits >= k + slack


def _rule_fits(
    rows: list[_Row], k: int, fmt: NumberFormat, rule: _Rule | list[_Rule], slack: int = DEFAULT_MIN_RULE_SLACK
) -> tuple[bool, int]:
    """Return (the rule has a reading on every row the grammar can read as k cells, how many rows that could have
    failed it hold it). At most a quarter of the rows may be unreadable as k cells (a placeholder the grammar does
    not know, ``nd``); a row that is readable but breaks the rule rejects it."""
    evidence = unreadable = 0
    rules = rule if isinstance(rule, list) else [rule]
    for r in rows:
        got = _readings(r, k, fmt, rule)
        if not got:
            if _readings(r, k, fmt, None):
                return False, 0
            unreadable += 1
            if 4 * unreadable > len(rows):
                return False, 0
            continue
        if any(x is None for v in got.values() for x in v):
            continue
        if not all(_blank_in(x, rules) for v in got.values() for x in v if x) and (
            _could_fail(r, k, fmt, slack) or _keeps_one_of_many(r, k, fmt, got)
        ):
            evidence += 1
    return True, evidence


#: Fewest readings of a short run of which a rule must keep one only for the run to count as evidence for it.
DEFAULT_MIN_SHORT_RUN_READINGS = 4


def _keeps_one_of_many(row: _Row, k: int, fmt: NumberFormat, kept: dict[str, list[Reading | None]]) -> bool:
    """Whether a rule that keeps ``kept`` of a row's readings was tested by a run too short for DEFAULT_MIN_RULE_SLACK:
    the rule keeps one reading of at least DEFAULT_MIN_SHORT_RUN_READINGS (``836219`` under 5 columns reads 5 ways,
    ``8, 3, 6, 2, 19`` alone meets ``last = sum(others)``).

    (ICDAR eu-003 table 3 flattened: three rows, ``2716231581``, ``33%20%28%19%100%`` and ``836219``; the third held
    the rule but did not count, two rows could not adopt it, and the table was not read.)"""
    flat = [x for v in kept.values() for x in v]
    if len(flat) != 1 or flat[0] is None:
        return False
    every = [x for v in _readings(row, k, fmt, None).values() for x in v]
    return None not in every and len(every) >= DEFAULT_MIN_SHORT_RUN_READINGS


def _blank_in(reading: Reading, rules: list[_Rule]) -> bool:
    """Whether a reading has a blank cell in a column a rule names (the rule is not enforced on it: no evidence).

    (Issue 16: a row whose first cell is a placeholder met `first = sum(others)` and `last = sum(others)` alike, so
    both were adopted together, as rules each row could have failed.)"""
    return any(c is BLANK for coeffs, _ in rules for a, c in zip(coeffs, reading, strict=True) if a)


def _fitting_rules(
    rows: list[_Row], k: int, fmt: NumberFormat, slack: int, ranges: bool, named: list[tuple[str, _Rule]] | None = None
) -> list[tuple[str, _Rule, int]]:
    """Given rows and a column count, return the candidate rules (with range sums where the count is known, and the
    few rules the header itself suggests, ``named``, tried on every row unsieved) that hold on every row with at least
    DEFAULT_MIN_RULE_ROWS rows that could have failed them: (name, rule, those rows)."""
    cands = _candidate_rules(k)
    if ranges:
        # range sums are tried up to DEFAULT_MAX_INFER_COLUMNS columns: their candidates grow with the cube of k
        wide_ok = _range_candidates(k) if k <= DEFAULT_MAX_INFER_COLUMNS else []
        cands = rules_to_distinct(cands + _sieve_rules(rows, k, fmt, wide_ok) + (named or []))
    out = []
    for name, cand in cands:
        ok, ev = _rule_fits(rows, k, fmt, cand, slack)
        if ok and ev >= DEFAULT_MIN_RULE_ROWS:
            out.append((name, cand, ev))
    return out


def _adopted_rules(
    rows: list[_Row], k: int, fmt: NumberFormat, fits: list[tuple[str, _Rule, int]], slack: int = DEFAULT_MIN_RULE_SLACK
) -> list[tuple[str, _Rule, int]]:
    """Given the rules that hold under one column count, each on its own evidence, return those adopted: one relation,
    or several that also hold together on every row (a table with two totals, or a range sum beside a row total);
    rules that no reading meets together are rivals, and none is adopted."""
    seen: set[tuple[int, ...]] = set()
    distinct = []
    for f in fits:
        rel = rule_to_relation(f[1])
        if rel not in seen:
            seen.add(rel)
            distinct.append(f)
    if len(distinct) <= 1:
        return distinct
    # a rule the others imply adds nothing ("2013–2022 = 2018..2022 + 2013–2017"): rules over printed columns only
    # (no other rule's total among their terms) and the fewest terms first, each kept only where it is independent of
    # those kept before
    targets = {f[1][0].index(-1) for f in distinct if f[1][0].count(-1) == 1}

    def plain_first(f: tuple[str, _Rule, int]) -> tuple[int, int]:
        coeffs = f[1][0]
        sums = sum(1 for j, c in enumerate(coeffs) if c == 1 and j in targets) if coeffs.count(-1) == 1 else 0
        return sums, sum(1 for c in coeffs if c)

    kept: list[tuple[str, _Rule, int]] = []
    for f in sorted(distinct, key=plain_first):
        if _rank([(*g[1][0], g[1][1]) for g in [*kept, f]]) > len(kept):
            kept.append(f)
    kept.sort(key=distinct.index)
    if len(kept) == 1:
        return kept
    ok, _ = _rule_fits(rows, k, fmt, [f[1] for f in kept], slack)
    return kept if ok else []


def _rank(vectors: list[tuple[int, ...]]) -> int:
    """Given integer vectors, return their rank (Gaussian elimination over the rationals)."""
    from fractions import Fraction

    rows = [[Fraction(x) for x in v] for v in vectors]
    rank = 0
    for col in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


# ----------------------------------------------------------------------------- one table


#: Fewest other rows an unlabelled totals row must be the exact sum of.
DEFAULT_MIN_AGGREGATED_ROWS = 3


def _unlabelled_totals(rows: list[_Row], fmt: NumberFormat) -> list[int]:
    """Given a table's rows and the format, return the last and first positions, to try as a totals row no label names.

    None where numbers carry no thousands mark: a run such as ``200100100`` then parts at every digit, and some row
    meets the others' sums by coincidence (eu-001's heavy metals flattened: ``Zinc …200100100`` read as the total of
    six rows under 2 columns, where the page prints 3 and no total)."""
    if len(rows) <= DEFAULT_MIN_AGGREGATED_ROWS or _totals_candidates(rows) or fmt.thousands is None:
        return []
    return [len(rows) - 1, 0]


def _totals_candidates(rows: list[_Row], section: bool = False) -> list[int]:
    """Given a table's rows, return the positions (first, last) whose label names a totals row (the last one only in a
    section of a table with subtotals: see ``labels_to_sections``)."""
    if section and rows:
        return [len(rows) - 1]
    return [p for p in sorted({0, len(rows) - 1}) if TOTALS.search(rows[p].label or "")]


#: A label that names a totals row at its start or its end: ``Total EU-15``, ``TotalEU-15``, ``GrandTotal``, ``EU Total``
#: (a word after ``Total`` starts with a capital or is no word: ``Totally`` is none).
_SECTION_TOTAL = re.compile(
    r"^(?:grand\s*)?totals?(?-i:(?![a-z]))|(?:^|\s)(?:grand\s+)?totals?\s*$",
    re.IGNORECASE,
)


def labels_to_sections(labels: list[str]) -> list[tuple[int, int]] | None:
    """Given the labels of a block's rows, return its sections as (first, past last) positions, each ending in a totals
    row, where the block holds a totals row before its last one (a subtotal: ``Total EU-15`` over the EU-15 rows, then
    the EU-12 rows and ``Total EU-12``, then ``Grand Total``) and ends in one; else None (no subtotal, or rows after
    the last total, or a totals row with no row above it in its section)."""
    ends = [p for p, label in enumerate(labels) if _SECTION_TOTAL.search(label)]
    if len(ends) < 2 or ends[-1] != len(labels) - 1:
        return None
    spans = [(a + 1, b + 1) for a, b in pairwise([-1, *ends])]
    return spans if all(b - a >= 2 for a, b in spans) else None


def _split_fused_header(rows: list[_Row], block: Block) -> None:
    """A header fused with the first row (``Age GroupNative…UnknownTotal4511…``): keep the last part as the label."""
    first = rows[0]
    parts = _camel_parts(first.label)
    if header_runs_into_first_row([r.label for r in rows]):
        block.fused_header = " ".join(parts[:-1])
        block.header_parts = parts[:-1]
        block.header_shared = parts[-1] if TOTALS.search(parts[-1]) else None
        block.fused_label = parts[-1]
        first.label = parts[-1]


#: A column's name in one word of a spaced header: a year or range of years, a capitalised word, a unit.
_NAME_WORD = re.compile(r"(?:19|20)\d\d(?:[-\u2013\u2014/](?:19|20)?\d\d)?|[A-Z\u00c0-\u00de][\w.$%]*|US\$|\$|%|t")


def header_to_names(header: str, k: int) -> list[str] | None:
    """Given a spaced header and the column count, return a name per column where the header's last k words each read
    as one column's name (``Partida Descripción 2021 2022 Total``: 2021, 2022, Total) and a word is left for the
    label's column, else None (``Number of cases`` is one name in three words: never parted).

    (Issue 16: columns were numbered c1, c2, … wherever the header's parts did not match the count, though the header
    printed a name over each.)"""
    words = header.split()
    if k == 1 and len(words) >= 2 and all(_NAME_WORD.fullmatch(w) for w in words):
        return [" ".join(words[1:])]  # "Provider Videos Included": the label's column, then one name
    if k < 2 or len(words) < k + 1:
        return None
    names = words[-k:]
    return names if all(_NAME_WORD.fullmatch(w) for w in names) else None


#: A totals label after the header's last words on one line ("Videos Included Grand total").
_TOTALS_AFTER_HEADER = re.compile(r"^(?P<head>.*?\S)\s+(?P<total>(?:grand\s+)?totals?)$", re.IGNORECASE)


def _split_header_from_totals(rows: list[_Row], block: Block) -> str | None:
    """Where the first row's label is the header's last words run into a totals label (``Videos Included Grand
    total``: the text layer put the header and the totals row on one line), keep the totals label as the row's and the
    words as the header's; return the label as printed (kept as the row's alias, so the line is still found), else None.

    (Issue 16: the row was published as ``Videos Included Grand total``, a label the page does not show, and the
    column had no name.)"""
    if not rows or rows[0].cells is not None:
        return None
    m = _TOTALS_AFTER_HEADER.match(rows[0].label)
    if m is None or not all(w[0].isupper() for w in m["head"].split()) or len(m["head"].split()) < 2:
        return None
    printed = rows[0].label
    block.header_tail = m["head"]
    if block.header is not None and block.title is None:  # the line above is then the table's title
        block.header, block.title = None, block.header
    rows[0].label = m["total"]
    return printed


def _header_options(block: Block, lines: tuple[Line, ...]) -> tuple[list[list[str]], bool]:
    """Given a block, return the ways to read its header as parts (the label column's name first) and whether they
    tell the column count: a header printed as cells, or one whose cells ran together (``RegionActiveClosed``,
    ``Age GroupTotal``), parted at the case changes. A spaced header does not: ``Number of cases`` is one name in
    three words. A header fused with a totals row may end in a word both share (``…UnknownTotal451…``): two ways."""
    if block.header_parts:
        shared = [[*block.header_parts, block.header_shared]] if block.header_shared else []
        # the fused row's label may start with the header's last name ("AgeC0C1C29 to 11326": "C2" | "9 to 11",
        # or "C29 to 1"): where a name-like part ends in figures that run into the label, the count is in doubt
        doubt = bool(_NAME_INTO_LABEL.match(block.fused_label or ""))
        return [list(block.header_parts), *shared], not doubt
    if block.header is None:
        return [], False
    line = lines[block.header]
    if line.cells is not None:
        return [[c.strip() for c in line.cells if c.strip()]], True
    text = line.text.strip()
    if _CAMEL.search(text):
        return [_camel_parts(text)], True
    spaced = spaced_header_to_parts(text)
    if spaced is not None:
        return [spaced], True
    return [text.split()], False


#: A column name printed apart that spaces cannot be thousands marks of: a year, or a range of years.
_YEARISH = re.compile(r"(?:19|20)\d\d(?:\s*[-\u2013\u2014/]\s*(?:(?:19|20)?\d\d))?\*?")


def spaced_header_to_parts(text: str) -> list[str] | None:
    """Given a header printed with spaces, return its parts (the label column's name first, "" where it has none) when
    it names each column apart: words, then two or more years or ranges of years (``2011 2012 … 2013–2017``), each a
    column. Four figures after a space never group thousands (a group has three), so such a header counts the
    columns as surely as cells would; a header of words does not (``Number of cases`` is one name in three words).

    (Issue 16: a budget table headed ``2011 2012 … 2022 2013–2017 2013–2022`` was not read: its 14 names, printed
    apart, counted nothing, and no totals row could say the count alone.)"""
    tokens = re.sub(r"\s*([-\u2013\u2014/])\s*", r"\1", text).split()
    j = len(tokens)
    while j > 0 and _YEARISH.fullmatch(tokens[j - 1]):
        j -= 1
    names = tokens[j:]
    if len(names) < 2 or any(not any(c.isalpha() for c in t) for t in tokens[:j]):
        return None
    return [" ".join(tokens[:j]), *names]


def two_line_header_to_names(upper: str | None, lower: list[str], k: int | None) -> tuple[str, list[str], str] | None:
    """Given the line above a table's header, the header's parts and the column count, return the label column's name,
    the columns' names and the group's name where the two lines are one header of two levels: the upper line ends in
    a totals name and has a group name before it (``Case TypeCase StatusTotal``), the lower one names the k-1 columns
    the group spans (``ActiveResolved``), else None.

    (Issue 16: such columns were named ``case_status_1``, ``case_status_2``, though the second header line printed
    their names.)"""
    if k is None or k < 3 or not upper or len(lower) != k - 1 or not all(lower):
        return None
    top = _camel_parts(upper)
    if len(top) < 3 or not TOTALS.search(top[-1]) or len(top) > 3:
        return None
    return top[0], [*lower, top[-1]], top[1]


#: A word that starts a column's name in a header of lowercase words: a capital, a sign or bracket, or a short
#: abbreviation (``% of national turnover``, ``no. of stores``, ``(% points)``); other words go on with the name.
_NAME_START = re.compile(r"[A-Z\u00c0-\u00de%(#$\u20ac\u00a3]|[a-z]{1,3}\.$")


def lower_header_to_names(text: str) -> list[str]:
    """Given a header line of names printed apart, return its names: each starts at a word ``_NAME_START`` matches and
    goes on over the words after it that do not (``% of national turnover no. of stores``: two names)."""
    names: list[str] = []
    for word in text.split():
        if _NAME_START.match(word) or not names:
            names.append(word)
        else:
            names[-1] += " " + word
    return names


@dataclass
class YearGroups:
    """A header of two lines: years above, the same names under each year below, then a last column after them."""

    names: list[str]  # one per column: each year's names, then the last column's
    years: list[str]
    group: int  # how many columns each year spans


def year_groups_header(upper: str, lower: str) -> YearGroups | None:
    """Given the two lines of a header, return its columns where the upper line prints two or more years (then, maybe,
    words naming one more column) and the lower line the same names under each year (then that column's), else None.

    The lower line's names, repeated once per year, count the columns as surely as printed cells: ``1996 1991 growth in
    share`` over ``% of national turnover no. of stores % of national turnover no. of stores (% points)`` is 2 years
    of 2 names and one column more: 5.

    (ICDAR eu-004 table 7 flattened: a difference column, ``growth = share 1996 - share 1991``; a header of words
    counted nothing, and the difference fits by chance under 6, 7, 8 and 9 columns too: the table was not read.)"""
    tokens = upper.split()
    first = next((j for j, t in enumerate(tokens) if _YEARISH.fullmatch(t)), None)
    if first is None:
        return None
    end = first
    while end < len(tokens) and _YEARISH.fullmatch(tokens[end]):
        end += 1
    years, rest = tokens[first:end], tokens[end:]
    if len(years) < 2 or any(_YEARISH.fullmatch(t) or not any(c.isalpha() for c in t) for t in rest):
        return None
    names = lower_header_to_names(lower)
    extra = 1 if rest else 0
    group, left = divmod(len(names) - extra, len(years))
    if group < 1 or left:
        return None
    if any(names[j] != names[j % group] for j in range(group * len(years))) or len(set(names[:group])) != group:
        return None
    cols = [f"{n} {y}" for y in years for n in names[:group]] + ([f"{' '.join(rest)} {names[-1]}"] if extra else [])
    return YearGroups(cols, years, group) if len(cols) <= DEFAULT_MAX_INFER_COLUMNS else None


def year_groups_to_rules(groups: YearGroups) -> list[tuple[str, _Rule]]:
    """Given a header of names repeated under years with one column after them, return the rules tried for that column:
    it is the difference of one name's columns under the first and the last year, either way (``growth in share =
    share 1996 - share 1991``)."""
    k = len(groups.names)
    if k != groups.group * len(groups.years) + 1:
        return []
    out: list[tuple[str, _Rule]] = []
    last = (len(groups.years) - 1) * groups.group
    for j in range(groups.group):
        for sign in (1, -1):
            coeffs = [0] * k
            coeffs[j], coeffs[last + j], coeffs[-1] = sign, -sign, -1
            a, b = (j, last + j) if sign == 1 else (last + j, j)
            out.append((f"column {k} = column {a + 1} - column {b + 1}", (tuple(coeffs), 0)))
    return out


def _is_year_header(base: str, tail: str) -> bool:
    """Given a line's label text and figures, return whether it is a header naming the columns by year after words:
    every figure a year or a range of years, its dash spaced or not (``Program 2013 2014 … 2013 – 2017``).

    (Issue 16: with a spaced dash, ``2013 – 2017`` is no range under the row reading: the header line was read as a
    row ``Program``, a label the page does not show, unreadable, and the columns were numbered c1 … c6.)"""
    names = re.sub(r"\s*([-\u2013\u2014/])\s*", r"\1", tail).split()
    return any(c.isalpha() for c in base) and len(names) >= 2 and all(_YEARISH.fullmatch(t) for t in names)


def _table_spec(guess: TableGuess, fmt: NumberFormat) -> TableSpec:
    from .rulegrammar import parse_rule
    from .rules import TableSpec

    canonical = list(guess.values)
    spellings = {c: c for c in canonical}
    for canon, extra in guess.aliases.items():
        for s in extra:
            spellings.setdefault(s, canon)
    return TableSpec(
        id=guess.id,
        title=guess.title,
        header=guess.header,
        label_column=guess.label_column,
        columns=guess.columns,
        canonical=canonical,
        spellings=spellings,
        rules=[parse_rule(r, guess.columns) for r in guess.rules],
        totals_row=guess.totals_row,
        known=dict(guess.known),
        totals_printed=None if guess.totals_printed is None else [guess.columns[j] for j in guess.totals_printed],
        complete=guess.complete,
        overrides={},
        blanks_add_nothing=guess.blanks_add_nothing,
        kinds={c: type_to_kind(t) for c, t in guess.column_types.items()},
    )


def _solves(rows: list[_Row], guess: TableGuess, index: LineIndex, fmt: NumberFormat) -> bool:
    """Whether the table, read under the guess, has a whole-table solution (no row or totals conflict)."""
    from .solve import region_has_solution

    spec = _table_spec(guess, fmt)
    region = _region(spec, index, fmt)
    return region.found and region_has_solution(region, spec, fmt)


#: Tables located per line index, by what locating reads of a spec (its id, title, header and labels): the
#: hypotheses tried on one table (column counts, rules, totals) differ in nothing locating reads, so each table is
#: located once, not once per hypothesis (a 2,000-row table was located 60 times).
_REGIONS: weakref.WeakKeyDictionary[LineIndex, dict[tuple[object, ...], TableRegion]] = weakref.WeakKeyDictionary()


def _region(spec: TableSpec, index: LineIndex, fmt: NumberFormat) -> TableRegion:
    """Given a spec, a document's line index and the format, return the table located (once per index and labels)."""
    from .locate import lines_to_region

    key = (spec.id, spec.title, spec.header, tuple(spec.canonical), tuple(sorted(spec.spellings.items())), fmt)
    cache = _REGIONS.setdefault(index, {})
    if key not in cache:
        cache[key] = lines_to_region(spec, index, fmt)
    return cache[key]


def _settle_partings(guess: TableGuess, index: LineIndex, fmt: NumberFormat) -> None:
    """Where a row's label may end at more than one figure ("21 come 2" | "42321", "21 come 24" | "2321"), and the whole
    table's solutions (its rule and totals) read its numbers under one parting only, that parting's label is the row's
    label: it becomes the value, and the other partings are no longer read.

    (Bug, found by a helper's hunt over the corpus: the label was the first parting, kept as the value with the others
    as aliases, so a row whose totals pinned the numbers 23, 21 of "21 come 24" was published as "21 come 2": a label
    the page does not show.) Where the solutions use several partings, the label stays the part they share, the row's
    cells stay empty where the readings differ, and the aliases keep every parting read."""
    if not guess.partings:
        return
    from .solve import region_to_solution

    spec = _table_spec(guess, fmt)
    region = _region(spec, index, fmt)
    if not region.found:
        return
    k = len(guess.columns)
    for rs in region_to_solution(region, spec, fmt).rows:
        options = guess.partings.get(rs.row.line.number)
        if not options or rs.status not in ("recovered", "ambiguous") or rs.readings_capped:
            continue
        used = set(rs.readings)
        labels = []
        for label, tails in options.items():
            read = {
                x
                for tail in tails
                for pieces in text_to_piece_options(tail, fmt, True) or []
                for x in RowLattice(pieces, k, fmt).readings(max_readings=DEFAULT_MAX_INFER_READINGS)[0]
            }
            if read & used:
                labels.append(label)
        canon = rs.row.label
        if len(labels) != 1 or canon not in guess.aliases or (labels[0] != canon and labels[0] in guess.values):
            continue
        guess.values[guess.values.index(canon)] = labels[0]
        del guess.aliases[canon]
        if guess.totals_row == canon:
            guess.totals_row = labels[0]


class _OverWork(Exception):
    """Inferring one table took more than DEFAULT_MAX_INFER_WORK steps."""


#: The steps spent so far on the table being inferred and the most it may spend, or None outside ``block_to_guess``.
_WORK: ContextVar[list[int] | None] = ContextVar("recover_infer_work", default=None)


def _charge(steps: int) -> None:
    """Count steps against the table being inferred; raise _OverWork past DEFAULT_MAX_INFER_WORK."""
    spent = _WORK.get()
    if spent is None:
        return
    spent[0] += steps
    if spent[0] > spent[1]:
        raise _OverWork


#: The end of a label's first line that a word broken at the margin leaves: a letter, then a hyphen ("car-").
_WRAPPED = re.compile(r"[^\W\d_]-$")


def _wraps_into_next(line: Line) -> bool:
    """Whether a line without numbers is the first part of a label wrapped with a hyphen onto the next line."""
    text = line.text.strip()
    return line.cells is None and bool(_WRAPPED.search(text)) and len(text) <= DEFAULT_MAX_INFER_LABEL_CHARS


def _unwrap_header(block: Block, lines: tuple[Line, ...]) -> Block:
    """Given a block, return it with the line taken for its header moved up where that line is the first part of the
    first row's label, wrapped with a hyphen (``0304.29 Filetes y demás car-`` over ``nes de pescado 105.434 …``):
    the header is then the line above it, and the title the one above that."""
    if block.header is None or not _wraps_into_next(lines[block.header]):
        return block
    above = [j for j in range(block.header - 1, max(-1, block.header - 3), -1) if lines[j].text.strip()]
    header = above[0] if above and above[0] == block.header - 1 else None
    title = above[1] if header is not None and len(above) > 1 else (above[0] if above and header is None else None)
    return replace(block, header=header, title=title)


def _join_wrapped_labels(rows: list[_Row], block: Block, lines: tuple[Line, ...]) -> None:
    """A row whose label begins on the line above, broken with a hyphen, gets the whole label: the two parts joined
    where the word was broken (``Filetes y demás car-`` and ``nes de pescado`` are ``Filetes y demás carnes de
    pescado``), a code before it kept as part of it.

    (Issue 16: the first part was read as the table's header, or skipped as a gap, and the row published as ``nes de
    pescado``: a label the page does not show.)"""
    for r in rows:
        j = r.line - 1
        if j < 0 or j == block.header or j in block.rows or not _wraps_into_next(lines[j]) or not r.label:
            continue
        r.label = lines[j].text.strip()[:-1] + r.label


def block_to_guess(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool = True
) -> tuple[TableGuess | None, str]:
    """Given a block of lines, return the table adopted for it (or None) and why; a first line that only a header
    can be (its figures fit no reading the other rows share, as ``Area 2019 2020``) is tried as the header.

    Bounded: past DEFAULT_MAX_INFER_WORK steps on one table, it is not read (one note names the bound)."""
    shared = _WORK.get()  # a section of a table with subtotals spends the whole table's budget
    token = _WORK.set(shared or [0, DEFAULT_MAX_INFER_WORK + DEFAULT_MAX_INFER_ROW_WORK * len(block.rows)])
    try:
        return _block_to_guess_or_header(block, index, fmt, number, trust_spaces)
    except _OverWork:
        where = f"lines {index.lines[block.rows[0]].number}-{index.lines[block.rows[-1]].number}"
        return None, (
            f"table at {where}: inferring it took over {DEFAULT_MAX_INFER_WORK:,} steps and "
            f"{DEFAULT_MAX_INFER_ROW_WORK:,} per row (DEFAULT_MAX_INFER_WORK): not read"
        )
    finally:
        _WORK.reset(token)


def _block_to_guess_or_header(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool = True
) -> tuple[TableGuess | None, str]:
    """``block_to_guess`` without its work bound."""
    if len(block.rows) > DEFAULT_MAX_TABLE_ROWS:
        # each hypothesis is tried on the whole table: a table the pipeline would refuse costs nothing to infer
        where = f"lines {index.lines[block.rows[0]].number}-{index.lines[block.rows[-1]].number}"
        return None, (
            f"table at {where}: {len(block.rows):,} rows exceed the bound of {DEFAULT_MAX_TABLE_ROWS:,} "
            "(DEFAULT_MAX_TABLE_ROWS): not read"
        )
    first = block.rows[0]
    base, tail = index.bases[first]
    if (
        len(block.rows) > DEFAULT_MIN_TABLE_ROWS
        and index.cells[first] is None
        and _is_year_header(base, tail)
        and not _is_year_header(*index.bases[block.rows[1]])
    ):
        # a first line that names the columns by year (``Program 2013 2014 … 2013 – 2017``) is the header, where the
        # table reads under it and the next line is no such line (a table of years); the line above is then the title
        title = block.title if block.header is None else block.header
        trial = Block(block.rows[1:], header=first, title=title)
        again, _ = _block_to_guess(trial, index, fmt, number, trust_spaces)
        if again is not None:
            return again, ""
    guess, note = _block_to_guess(replace(block), index, fmt, number, trust_spaces)
    if (
        guess is None
        and len(block.rows) > DEFAULT_MIN_TABLE_ROWS
        and label_to_headerish(*index.bases[first])  # never a row the page shows: years, or names ending in one figure
    ):
        # the line above, taken for the header, is then the title ("Table 1" over "RegionC0C1")
        title = block.title if block.header is None else block.header
        trial = Block(block.rows[1:], header=block.rows[0], title=title)
        again, _ = _block_to_guess(trial, index, fmt, number, trust_spaces)
        if again is not None:
            return again, ""
    if guess is None and lines_to_cell_names(index.lines, block.rows[0]) is not None:
        # a header printed one name a line counts the columns, where one typing only reads the rows under it (with a
        # budget of its own: DEFAULT_MAX_INFER_WORK and DEFAULT_MAX_INFER_ROW_WORK per row, as the table's)
        token = _WORK.set([0, DEFAULT_MAX_INFER_WORK + DEFAULT_MAX_INFER_ROW_WORK * len(block.rows)])
        try:
            typed, _ = _cell_header_guess(block, index, fmt, number, trust_spaces)
        finally:
            _WORK.reset(token)
        if typed is not None:
            return typed, ""
    return guess, note


# ----------------------------------------------------------------------------- a header printed one name a line


#: Longest column name of a header printed one name a line (``W-L%``, ``OSRS``): a longer line is no such name.
DEFAULT_MAX_CELL_NAME_CHARS = 12
#: Fewest names a header printed one name a line holds for it to count the columns.
DEFAULT_MIN_CELL_NAMES = 3
#: Most lines between such a header and the table's first row (empty lines, a section line such as `` AFC East``).
DEFAULT_MAX_CELL_HEADER_GAP = 6
#: Most typings (the kind of each cell: integer, ``decimal 1``, ``decimal .3``) one row's readings are collected into.
DEFAULT_MAX_ROW_TYPINGS = 2_000


def _is_cell_name(line: Line) -> bool:
    text = line.text.strip()
    return (
        line.cells is None
        and 0 < len(text) <= DEFAULT_MAX_CELL_NAME_CHARS
        and not any(c.isspace() for c in text)
        and any(c.isalpha() for c in text)
    )


def lines_to_cell_names(lines: tuple[Line, ...], first: int) -> list[str] | None:
    """Given a document's lines and the position of a table's first row, return the names of a header printed one name
    a line above it (what ``get_text()`` makes of a row of ``<th>``: ``Tm`` / ``W`` / ``L`` / ``W-L%`` …), in order,
    where at least DEFAULT_MIN_CELL_NAMES names stand on consecutive lines, each one short word, at most
    DEFAULT_MAX_CELL_HEADER_GAP lines above the row (empty lines and one line of text between: a section's name),
    else None."""
    j, texts = first - 1, 0
    while j >= 0 and first - 1 - j < DEFAULT_MAX_CELL_HEADER_GAP and not _is_cell_name(lines[j]):
        if lines[j].text.strip():
            texts += 1
            if texts > 1 or any(c.isdigit() for c in lines[j].text):
                return None
        j -= 1
    names: list[str] = []
    while j >= 0 and _is_cell_name(lines[j]):
        names.append(lines[j].text.strip())
        j -= 1
    return names[::-1] if len(names) >= DEFAULT_MIN_CELL_NAMES else None


def value_to_type(value: object) -> str:
    """Given a value a reading gives a cell, return its column type as a rules file writes it (``integer``, ``decimal
    1`` for ``50.0``, ``decimal .3`` for ``.923``), or "" for a blank or a placeholder (any column takes it)."""
    from .numbers import BareDecimal

    if isinstance(value, BareDecimal):
        return f"decimal .{-int(value.as_tuple().exponent)}"
    if isinstance(value, Decimal):
        return f"decimal {-int(value.as_tuple().exponent)}"
    if isinstance(value, int):
        return "integer"
    return ""


def _row_typings(row: _Row, k: int, fmt: NumberFormat, share: bool = False) -> set[tuple[str, ...]] | None:
    """Given a row, a column count and the format, return the typings its readings into k cells have (each cell's
    column type, "" where a blank fits any; with ``share``, a number printed without its whole part, ``.813``, read in
    one column at most, with at least DEFAULT_MIN_SHARE_DECIMALS decimals), or None where there are over
    DEFAULT_MAX_ROW_TYPINGS (the row then tells nothing of the typing)."""
    from .numbers import BareDecimal, pieces_to_edges

    out: set[tuple[str, ...]] = set()
    for moved, tail in row.tails:
        for f, pieces in _format_pieces(row, moved, tail, fmt):
            edges, n = pieces_to_edges(pieces, f, bare=True)
            _charge(len(edges) * (k + 1) // DEFAULT_BUILD_STEPS_PER_STEP)
            states: list[dict[int, set[tuple[str, ...]]]] = [{} for _ in range(n + 1)]
            states[0][0] = {()}
            for p in range(n):
                # each edge's type once (a share: one with too few decimals, or without ``share``, is no edge here)
                typed = [
                    (q, c, value_to_type(v) if c else "")
                    for q, v, c in edges[p]
                    if not (
                        c
                        and isinstance(v, BareDecimal)
                        and (not share or -int(v.as_tuple().exponent) < DEFAULT_MIN_SHARE_DECIMALS)
                    )
                ]
                for i, prefixes in states[p].items():
                    for q, c, kind in typed:
                        if i + c > k:
                            continue
                        if kind.startswith("decimal ."):
                            more = {(*t, kind) for t in prefixes if not any(x.startswith("decimal .") for x in t)}
                        else:
                            more = {(*t, kind) for t in prefixes} if c else prefixes
                        _charge(len(more))
                        got = states[q].setdefault(i + c, set())
                        got |= more
                        if len(got) > DEFAULT_MAX_ROW_TYPINGS:
                            return None
            out |= states[n].get(k, set())
    return out


def rows_to_typings(rows: list[_Row], k: int, fmt: NumberFormat, share: bool = False) -> set[tuple[str, ...]]:
    """Given a table's rows, a column count and the format, return the typings (one column type per column) under
    which every row reads as k cells, each column typed by some row: a column of a printed table prints one kind of
    number (``.813`` in every row of ``W-L%``, one decimal in every row of ``SRS``), so a typing no reading of some row
    has is no typing of the table. A row with over DEFAULT_MAX_ROW_TYPINGS typings tells nothing here."""
    every: list[set[tuple[str, ...]]] = []
    for r in rows:
        typings = _row_typings(r, k, fmt, share)
        if typings is not None and not typings:
            return set()
        every += [typings] if typings is not None else []
    common = {t for typings in every for t in typings if all(t)}
    for typings in sorted(every, key=len):
        common = {t for t in common if any(all(a in ("", b) for a, b in zip(u, t, strict=True)) for u in typings)}
    return common


#: Most typings of a table tried for a ratio (each is a reading of every row under it).
DEFAULT_MAX_TYPINGS_TRIED = 100
#: Fewest decimals of a share (a number printed without its whole part) tried as a ratio: one decimal meets a ratio
#: within 0.05, too often by chance.
DEFAULT_MIN_SHARE_DECIMALS = 2


def _ratio_candidates(typing: tuple[str, ...]) -> list[tuple[str, int, int, int]]:
    """Given a typing, return the ratios tried: (form, result, numerator, other), a column printed without its whole
    part (``.813``: a share) as ``a / (a + b)`` or ``a / b`` of two whole-number columns."""
    shares = [j for j, t in enumerate(typing) if t.startswith("decimal .")]
    whole = [j for j, t in enumerate(typing) if t == "integer"]
    return [(form, c, a, b) for c in shares for a in whole for b in whole if a != b for form in ("sum", "plain")]


def _ratio_holds(form: str, c: int, a: int, b: int, reading: Reading) -> bool | None:
    """Whether a reading meets a ratio (``c = a / (a + b)`` or ``c = a / b``, c within half a unit of its last printed
    decimal), None where a cell of it is blank or its denominator is 0 (no evidence either way)."""
    from fractions import Fraction

    x, y, z = reading[c], reading[a], reading[b]
    if not isinstance(x, Decimal) or not isinstance(y, int | Decimal) or not isinstance(z, int | Decimal):
        return None
    den = y + z if form == "sum" else z
    if den == 0:
        return None
    exponent = x.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    if isinstance(y, int) and isinstance(den, int):  # whole numbers (the columns a share is tried over): exact in ints
        return bool(abs(2 * int(x.scaleb(decimals)) * den - 2 * y * 10**decimals) <= abs(den))
    return abs(Fraction(x) - Fraction(y) / Fraction(den)) <= Fraction(1, 2 * 10**decimals)


def _values_meet_ratio(cand: tuple[str, int, int, int], values: list[set[Any]]) -> bool:
    """Whether some values of a row's cells (each column's, over its readings) meet a ratio, or leave it unsaid."""
    form, c, a, b = cand
    tried = 0
    for x in values[c]:
        for y in values[a]:
            tried += len(values[b])
            if any(_ratio_holds(form, 0, 1, 2, (x, y, z)) is not False for z in values[b]):
                _charge(tried)
                return True
    _charge(tried)
    return False


def _typing_ratios(
    rows: list[_Row], k: int, fmt: NumberFormat, typing: tuple[str, ...]
) -> list[tuple[str, int, int, int]]:
    """Given a table's rows, a column count and a typing, return the ratios that some reading of every row meets
    under that typing, at least DEFAULT_MIN_RULE_ROWS rows with a non-zero share."""
    cands = _ratio_candidates(typing)
    if not cands:
        return []
    kinds = tuple(type_to_kind(t) for t in typing)
    for r in rows:  # each cell's values first: a ratio no values of the row's cells meet is out, at little cost
        for moved, tail in r.tails[:1]:
            values: list[set[Any]] = [set() for _ in range(k)]
            for f, pieces in _format_pieces(r, moved, tail, fmt):
                lattice = RowLattice(pieces, k, f, kinds)
                _charge(lattice.n * (k + 1))
                for j, seen in enumerate(lattice.cell_values()):
                    values[j] |= seen
            cands = [cand for cand in cands if _values_meet_ratio(cand, values)]
        if not cands:
            return []
    token = _KINDS.set(kinds)
    try:
        strong = dict.fromkeys(cands, 0)
        for r in rows:
            got = [x for v in _readings(r, k, fmt, None).values() for x in v]
            if not got:
                return []
            if any(x is None for x in got):
                continue
            _charge(len(strong) * len(got))
            for cand in list(strong):
                met = [x for x in got if x is not None and _ratio_holds(*cand, x) is not False]
                if not met:
                    del strong[cand]
                elif any(x[cand[1]] and _ratio_holds(*cand, x) for x in met):
                    strong[cand] += 1
            if not strong:
                return []
    finally:
        _KINDS.reset(token)
    return [c for c, n in strong.items() if n >= DEFAULT_MIN_RULE_ROWS]


def _typed_rules(
    rows: list[_Row], k: int, fmt: NumberFormat, ratio: tuple[str, int, int, int]
) -> list[tuple[str, _Rule, int]]:
    """Given a table's rows, a column count and a ratio, return the candidate row rules (with range sums) that some
    reading of every row meets (under the column types set, and the ratio), each with the rows that could have failed
    it (some reading of theirs does not meet it): those with at least DEFAULT_MIN_RULE_ROWS."""
    every: list[list[Reading]] = []
    for r in rows:
        got = [x for v in _readings(r, k, fmt, None).values() for x in v]
        if None in got:
            continue
        every.append([x for x in got if x is not None and _ratio_holds(*ratio, x) is not False])
    out = []
    for name, (coeffs, const) in rules_to_distinct(_candidate_rules(k) + _range_candidates(k)):
        cols = [j for j, a in enumerate(coeffs) if a]
        evidence = 0
        for readings in every:
            _charge(len(readings))  # arithmetic on each reading
            told = [x for x in readings if all(x[j] is not BLANK for j in cols)]
            met = [x for x in told if sum(coeffs[j] * x[j] for j in cols) == const]  # type: ignore[misc,operator]
            if told and not met:
                break
            evidence += len(met) < len(told)
        else:
            if evidence >= DEFAULT_MIN_RULE_ROWS:
                out.append((name, (coeffs, const), evidence))
    return out


#: The column types of the table being inferred, one per column, or None: ``_readings`` reads its rows under them.
_KINDS: ContextVar[tuple[ColumnKind, ...] | None] = ContextVar("recover_infer_kinds", default=None)


def _kinds_for(k: int) -> tuple[ColumnKind, ...] | None:
    """Return the column kinds the table being inferred is read under, where they are set for k columns."""
    kinds = _KINDS.get()
    return kinds if kinds is not None and len(kinds) == k else None


def type_to_kind(text: str) -> ColumnKind:
    """Given a column type as a rules file writes it (``integer``, ``decimal 1``, ``decimal .3``), return its kind."""
    form, _, n = text.partition(" ")
    return ColumnKind(form, int(n.lstrip(".")) if n else 0, bare=n.startswith("."))


def _cell_header_guess(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool
) -> tuple[TableGuess | None, str]:
    """Given a block no other evidence read, return the table adopted where a header printed one name a line above it
    counts its columns (its first name the label column's) and one typing only reads every row under that count (and
    why not, else).

    (pfr-afc-2017-standings flattened: ``New England Patriots*133.81345829616210.1-1.28.96.32.6`` under ``Tm`` / ``W``
    / ``L`` / ``W-L%`` / … / ``DSRS``, one name a line; no row rule or totals row told the count, and the table was
    not read. The 12 names count 11 columns, ``.813`` is a column printed without its whole part, the last five
    print one decimal, and ``PF = PA + PD`` holds under that count and typing only.)"""
    names = lines_to_cell_names(index.lines, block.rows[0])
    if names is None:
        return None, ""
    rows = _rows(index, block, fmt)
    found: list[tuple[int, tuple[str, ...], list[tuple[str, int, int, int]]]] = []
    for k in (len(names) - 1, len(names)):
        if not 2 <= k <= DEFAULT_MAX_INFER_COLUMNS:
            continue
        # a number printed without its whole part (``.813``) is a share: the typings that read one column so, and
        # under which it is a ratio of two others on every row
        typings = [t for t in rows_to_typings(rows, k, fmt, True) if any(x.startswith("decimal .") for x in t)]
        if len(typings) <= DEFAULT_MAX_TYPINGS_TRIED:
            found += [(k, t, got) for t in sorted(typings) if (got := _typing_ratios(rows, k, fmt, t))]
    adopted: list[TableGuess] = []
    for k, typing, ratios in found:
        if len(ratios) > 1:
            return None, ""
        parts = names if k == len(names) - 1 else ["", *names]
        trial = replace(block, header_parts=parts, fused_header=None)
        token = _KINDS.set(tuple(type_to_kind(t) for t in typing))
        try:
            chosen = _adopted_rules(rows, k, fmt, _typed_rules(rows, k, fmt, ratios[0]))
            guess = _block_to_guess(trial, index, fmt, number, trust_spaces)[0] if chosen else None
        finally:
            _KINDS.reset(token)
        # the count, the types and the share stand where a row rule holds under them too, under one of them only
        if guess is not None and chosen and len(guess.columns) == k:
            guess.rules = [_rule_text(coeffs, guess.columns) for _, (coeffs, _), _ in chosen]
            for text, (_, _, ev) in zip(guess.rules, chosen, strict=True):
                guess.evidence[f"rule: {text}"] = (
                    f"holds on all {len(rows)} rows under these column types, {ev} of which read another way break it"
                )
            adopted.append(guess)
    if len(adopted) != 1:
        return None, ""
    guess = adopted[0]
    k, typing, ratios = next(f for f in found if f[0] == len(guess.columns))
    cols = guess.columns
    guess.column_types = dict(zip(cols, typing, strict=True))
    guess.evidence["types"] = (
        f"{'the only column types' if not ratios else 'the column types'} under which every row reads as {k} cells"
        + (" and a share is a ratio of two columns" if ratios else "")
        + f" (the header prints {len(names)} names, one a line)"
    )
    for form, c, a, b in ratios:
        text = (
            f"{cols[c]} = {cols[a]} / ({cols[a]} + {cols[b]})"
            if form == "sum"
            else f"{cols[c]} = {cols[a]} / {cols[b]}"
        )
        guess.rules.append(text)
        guess.evidence[f"rule: {text}"] = (
            f"a share printed without its whole part: holds on all {len(rows)} rows (rounded to its decimals), under "
            "these column types only"
        )
    return guess, ""


def _label_joined(r: _Row, figures: str, index: LineIndex) -> str:
    """Given a row and figures that may end its label, return the label with them, as printed: after a hyphen the
    figures follow it (``Total EU-`` and ``15``: ``Total EU-15``), else after a space (``3 to`` and ``5``)."""
    if not figures:
        return r.label
    base = index.bases[r.line][0]
    if _HYPHENED.search(base) and r.label and base.rstrip(" -\u2010\u2011\u2013") == r.label:
        return r.label + base[len(r.label) :] + figures
    return (r.label + " " + figures).strip()


def _rows_to_labels(
    rows: list[_Row], k: int | None, fmt: NumberFormat, rule: list[_Rule] | None, index: LineIndex
) -> tuple[list[str], dict[str, list[str]], dict[int, dict[str, list[str]]], list[str]]:
    """Given a table's rows, its column count (None: not known yet) and rules, return its vocabulary, the aliases of
    labels whose last figures are in doubt, those rows' partings (line number -> each label -> its numbers' tails),
    and each row's label: a label takes its figures where only one boundary reads under the count and rules."""
    labels: list[str] = []
    values: list[str] = []
    aliases: dict[str, list[str]] = {}
    partings: dict[int, dict[str, list[str]]] = {}
    for r in rows:
        label = r.label
        if k is not None and len(r.tails) > 1:
            got = _readings(r, k, fmt, rule)
            if len(got) == 1:
                label = _label_joined(r, next(iter(got)), index)
            elif len(got) > 1:
                # the label is the part every parting shares, its figures in doubt left off ("12 come", not
                # "12 come 1" of "12 come 14"): each parting is an alias, read as the row's alternatives, and
                # _settle_partings gives the row its whole label where the table's solutions use one parting only
                alts = [_label_joined(r, m, index) for m in got if m]
                if not r.label:
                    label, alts = alts[0], alts[1:]
                aliases.setdefault(label, []).extend(a for a in alts if a != label)
                partings[index.lines[r.line].number] = {
                    _label_joined(r, m, index): [t for moved, t in r.tails if moved == m] for m in got
                }
        labels.append(label)
        if label and label not in values:
            values.append(label)
    return values, aliases, partings, labels


def _block_to_guess(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool = True
) -> tuple[TableGuess | None, str]:
    """Given a block of lines, the document's index and format, return the table adopted for it (or None) and why.

    Without ``trust_spaces`` (a space may group thousands), text rows' spaces do not tell the column count."""
    lines = index.lines
    block = _unwrap_header(block, lines)
    rows = _rows(index, block, fmt)
    _join_wrapped_labels(rows, block, lines)
    printed_first = _split_header_from_totals(rows, block)
    if block.header is None and block.header_tail is None:
        _split_fused_header(rows, block)
    # the header printed again over a later chunk ("AgencyC0C1C2": its last name ends in a figure, so it looks like a
    # row) is no row: later lines that print exactly the header, or the names of a header fused with the first row
    repeated = {lines[block.header].text.replace(" ", "")} if block.header is not None else set()
    if block.header_parts:
        repeated.add("".join(block.header_parts).replace(" ", ""))
    rows = [r for n, r in enumerate(rows) if n == 0 or lines[r.line].text.replace(" ", "") not in repeated]
    where = f"lines {lines[block.rows[0]].number}-{lines[block.rows[-1]].number}"
    evidence: dict[str, str] = {}

    # the column count and the row rule
    pending: str | None = None
    printed_totals: list[int] | None = None
    options, counted = _header_options(block, lines)
    groups = (
        year_groups_header(lines[block.title].text, lines[block.header].text)
        if not counted and block.title is not None and block.header is not None and lines[block.header].cells is None
        else None
    )
    if groups is not None:  # two header lines: years over the same names repeated, they count the columns
        options, counted = [["", *groups.names]], True
    header_rules = year_groups_to_rules(groups) if groups is not None else []
    named = {len(p) - 1 for p in options if counted and 2 <= len(p) <= DEFAULT_MAX_INFER_COLUMNS + 1}
    k = _printed_k(rows, fmt, trust_spaces)
    rule_name: str | None = None
    rule: list[_Rule] | None = None
    rule_notes: list[str] = []
    if k is not None:
        evidence["columns"] = f"every row that kept its cell boundaries prints {k} cells"
        chosen = _adopted_rules(rows, k, fmt, _fitting_rules(rows, k, fmt, DEFAULT_MIN_RULE_SLACK, True))
        if chosen:
            rule_name, rule = chosen[0][0], [c for _, c, _ in chosen]
            rule_notes = [f"holds on all {len(rows)} rows, {ev} of which could have failed it" for _, _, ev in chosen]
            if len(chosen) > 1:
                rule_notes = [n + f" (one of {len(chosen)} rules, each on its own evidence)" for n in rule_notes]
    else:
        found: list[tuple[int, str, _Rule, int, int]] = []
        for kk in range(2, DEFAULT_MAX_INFER_COLUMNS + 1):
            if _KINDS.get() is not None and _kinds_for(kk) is None:
                continue  # column types set: for their count only (see _cell_header_guess)
            slack = DEFAULT_MIN_RULE_SLACK_NAMED if kk in named else DEFAULT_MIN_RULE_SLACK
            wide = len(named) == 1 and kk in named
            found += [
                (kk, *f, slack) for f in _fitting_rules(rows, kk, fmt, slack, wide, header_rules if wide else None)
            ]
        # the header, where it counts the columns, settles between rules that fit under different counts
        fits = [f for f in found if f[0] in named] if len(found) > 1 and named else found
        fit_counts = {f[0] for f in fits}
        chosen = []
        if len(fit_counts) == 1:
            k = fit_counts.pop()
            chosen = _adopted_rules(rows, k, fmt, [(f[1], f[2], f[3]) for f in fits], fits[0][4])
            if not chosen:
                k = None
        if chosen and k is not None:
            slack = fits[0][4]
            rule_name, rule = chosen[0][0], [c for _, c, _ in chosen]
            evidence["columns"] = (
                f"{k} columns: the only count under which a row rule holds on every row"
                if k not in named
                else f"{k} columns: the header names {k}, and a row rule holds on every row under that count"
            )
            rule_notes = [
                f"holds on all {len(rows)} rows, {ev} of which (fused runs of {k + slack}+ digits, or read "
                f"{DEFAULT_MIN_SHORT_RUN_READINGS}+ ways) could have failed it"
                + (f" (one of {len(chosen)} rules, each on its own evidence)" if len(chosen) > 1 else "")
                for _, _, ev in chosen
            ]
        elif len(fits) > 1:
            return (
                None,
                f"table at {where}: several column counts and rules fit ({', '.join(f'{f[0]}: {f[1]}' for f in fits[:4])}): not read",
            )
        elif named:
            # no rule: a header whose cells ran together still names each column (every row must read as that many,
            # under one way to read the header only)
            readable = [m for m in sorted(named) if all(_readings(r, m, fmt, None) for r in rows)]
            if len(readable) == 1:
                k = readable[0]
                names = next(p for p in options if len(p) == k + 1)[1:]
                evidence["columns"] = f"{k} columns: the header names {k} after the label's ({', '.join(names)})"
                if not trust_spaces and any(_SPACE_GROUP.search(r.tails[0][1]) for r in rows):
                    # "1 586" is one number or two cells: only totals the rows meet exactly settle it
                    pending = "a space in its rows may group digits or part cells, and no exact total settles it"
    if k is None and block.columns is not None:
        k = block.columns
        evidence["columns"] = f"{k} columns: as the sections of this table above it, each meeting its totals row"
    parts = next((p for p in options if k is not None and len(p) == k + 1), options[0] if options else [])
    if block.header_parts:
        block.fused_header = " ".join(parts)

    # names
    header_text = block.fused_header or (lines[block.header].text.strip() if block.header is not None else None)
    if block.header_tail:
        header_text = f"{header_text} {block.header_tail}" if header_text else block.header_tail
    title = lines[block.title].text.strip() if block.title is not None else None
    taken: set[str] = set()
    label_column, columns = "label", None
    spanned = two_line_header_to_names(title, parts, k) if rule_name == "last = sum(others)" else None
    if spanned is not None:
        # a two-level header: a group name over the columns its total adds up, their names on the line below
        label_name, columns, group = spanned
        label_column = _slug(label_name, taken) if label_name else "label"
        columns = [_slug(c, taken) for c in columns]
        evidence["names"] = f"from the two header lines: '{group}' over the {len(columns) - 1} columns named below it"
    elif header_text:
        if k is not None and len(parts) == k + 1:
            label_column = _slug(parts[0], taken)
            columns = [_slug(p, taken) for p in parts[1:]]
            evidence["names"] = "from the header, one part per column"
        elif (
            k is not None
            and len(parts) == k
            and rule_name == "last = sum(others)"
            and TOTALS.search(parts[-1])
            and k >= 3
        ):
            # a two-level header: one part over the columns the total adds up ("Case Status" over two)
            label_column = _slug(parts[0], taken)
            columns = [_slug(f"{parts[1]} {j}", taken) for j in range(1, k)] + [_slug(parts[-1], taken)]
            evidence["names"] = f"from the header: '{parts[1]}' spans the {k - 1} columns its total adds up"
        elif parts and parts[0]:
            label_column = _slug(parts[0], taken)
    if label_column == "column":  # a header that names the numbers only ("2011 2012 …"): the label's column
        taken.discard("column")
        label_column = "label"
    if label_column == "label":
        taken.add("label")

    # the rows' labels, with the label's figures where only one boundary reads under the rule
    values, aliases, partings, row_labels = _rows_to_labels(rows, k, fmt, rule, index)
    if k is None:
        # no boundaries and no rule: a totals row may still tell the column count (an unlabelled one: the first or
        # last row, if the others add up to it exactly in every column, under one column count only)
        tot = [(p, 1) for p in _totals_candidates(rows, block.section)][-1:] or [
            (p, 2) for p in _unlabelled_totals(rows, fmt)
        ]
        if not tot:
            return (
                None,
                f"table at {where}: its rows lost their cell boundaries and no row rule or totals row tells how many columns it has: not read",
            )
        counted_by: tuple[int, int] | None = None
        for p, first_k in tot:
            counts: list[int] = []
            for kk in range(first_k, DEFAULT_MAX_INFER_COLUMNS + 1):
                # in a section, a label whose last figures may start the run ("Total EU-" and "151.178") is read both
                # ways under kk (elsewhere the freedom lets prose and page footers meet an unlabelled total by chance)
                kk_values, kk_aliases, _, kk_labels = (
                    _rows_to_labels(rows, kk, fmt, rule, index)
                    if block.section and any(len(r.tails) > 1 for r in rows)
                    else (values, aliases, {}, row_labels)
                )
                g = TableGuess(
                    f"t{number}",
                    title,
                    header_text,
                    label_column,
                    [f"c{j}" for j in range(1, kk + 1)],
                    kk_values,
                    kk_aliases,
                    [],
                    kk_labels[p],
                    True,
                )
                if _solves(rows, g, index, fmt):
                    counts.append(kk)
                if len(counts) > 1:
                    break
            if len(counts) == 1:
                counted_by = (p, counts[0])
                break
        shares = None
        if counted_by is None and len(tot) == 1 and tot[0][1] == 1:
            # a totals row printing no % where every other row prints p of them, each ending a run: it may leave
            # the rows' percent columns blank (a count and its share, a count and its share, a total of each count)
            shares = _percent_totals(
                rows, tot[0][0], values, aliases, row_labels, index, fmt, number, title, header_text
            )
            if shares is not None:
                counted_by, printed_totals = (tot[0][0], len(shares[0])), shares[1]
        if counted_by is None:
            return (
                None,
                f"table at {where}: its rows lost their cell boundaries and no column count is the only one a totals row meets: not read",
            )
        p, k = counted_by
        if block.section:
            values, aliases, partings, row_labels = _rows_to_labels(rows, k, fmt, rule, index)
        evidence["columns"] = (
            f"{k} columns: the only count under which the other rows add up to the '{row_labels[p]}' row"
        )
        if shares is not None:
            evidence["columns"] += (
                f", which prints no % where each other row prints {len(shares[0]) - len(shares[1])}: it leaves the "
                "columns the % ends blank, and no other count and place of them meets it"
            )
    if columns is None:
        words = header_to_names(header_text, k) if header_text else None
        if words is not None:
            if label_column == "label" and header_text and k == 1:
                taken.discard("label")
                label_column = _slug(header_text.split()[0], taken)
            columns = [_slug(w, taken) for w in words]
            evidence["names"] = (
                f"from the header's last {k} words, one name each"
                if k > 1
                else "from the header: the label column's name, then the column's"
            )
        else:
            columns = [_slug(f"c{j}", taken) for j in range(1, k + 1)]
            if header_text:
                evidence["names"] = "the header does not name one part per column: columns numbered"
    if printed_first is not None and rows and rows[0].label in values:
        aliases.setdefault(rows[0].label, []).append(printed_first)
    guess = TableGuess(f"table_{number}", title, header_text, label_column, columns, values, aliases, evidence=evidence)
    guess.totals_printed = printed_totals
    guess.pending = pending
    guess.partings = partings
    if rule_name and rule is not None:
        guess.rules = [_rule_text(coeffs, columns) for coeffs, _ in rule]
        for text, note in zip(guess.rules, rule_notes, strict=True):
            guess.evidence[f"rule: {text}"] = note

    # a totals row: complete if the body meets it exactly, else partial if it meets it as a bound
    for p in reversed(_totals_candidates(rows, block.section)):
        label = row_labels[p] if block.section else rows[p].label  # a section's totals label may end in figures
        if label not in values:
            continue
        for complete in (True, False):
            trial = TableGuess(**{**guess.__dict__, "totals_row": label, "complete": complete, "evidence": {}})
            if _solves(rows, trial, index, fmt):
                guess.totals_row, guess.complete = label, complete
                where_row = "first" if p == 0 else "last"
                guess.evidence["totals"] = (
                    f"the {where_row} row, '{label}': the other rows add up to it exactly"
                    if complete
                    else f"the {where_row} row, '{label}': the other rows add up to at most it (not exactly: some rows are not listed)"
                )
                if complete and _has_blank_cells(rows, fmt):
                    # a blank may hide a count, so the totals only bound its column; where the printed cells add up
                    # to the totals exactly in every column, a blank adds nothing (as a statistics office sums)
                    trial.blanks_add_nothing = True
                    if _solves(rows, trial, index, fmt):
                        guess.blanks_add_nothing = True
                        guess.evidence["totals"] = (
                            f"the {where_row} row, '{label}': the other rows' printed cells add up to it exactly in "
                            "every column (a blank cell adds nothing)"
                        )
                break
        if guess.totals_row:
            break
    if not guess.totals_row and k >= 2:
        for p in _unlabelled_totals(
            rows, fmt
        ):  # an aggregation row the label does not name: exact in every column, or nothing
            trial = TableGuess(**{**guess.__dict__, "totals_row": rows[p].label, "complete": True, "evidence": {}})
            if rows[p].label in values and _solves(rows, trial, index, fmt):
                guess.totals_row, guess.complete = rows[p].label, True
                guess.evidence["totals"] = (
                    f"the {'first' if p == 0 else 'last'} row, '{rows[p].label}': the other "
                    f"{len(rows) - 1} rows add up to it exactly in all {k} columns"
                )
                break
    if guess.pending and guess.totals_row and guess.complete:
        guess.pending = None
    return guess, ""


#: Most cells a row may print before each of its percentages (a count and its share: 1) tried for a partial totals row.
DEFAULT_MAX_CELLS_PER_SHARE = 2
#: Most percentages a row may print for its partial totals row to be tried (the placings tried grow as their power).
DEFAULT_MAX_SHARES = 4
_SHARES_ROW = re.compile(r"(?:\d[\d.,]*%)+")


def _percent_totals(
    rows: list[_Row],
    p: int,
    values: list[str],
    aliases: dict[str, list[str]],
    labels: list[str],
    index: LineIndex,
    fmt: NumberFormat,
    number: int,
    title: str | None,
    header: str | None,
) -> tuple[list[str], list[int]] | None:
    """Given a table's rows whose totals row (at p) no column count meets whole, return its columns and those its totals
    row prints, where every other row prints only runs each ending in a % (``5252%1464%``), as many each, the totals row
    none (``Total10022``), and exactly one placing of the percentages (a run's last cell; 1 to
    DEFAULT_MAX_CELLS_PER_SHARE cells before each) makes the table meet its totals row, printing the other columns only.

    (ICDAR eu-003 table 2 flattened: companies and their share, twice; the totals row prints the two counts only, 100
    and 22: read as a row of every column, it met no count, and the table was not read.)"""
    body = [r for n, r in enumerate(rows) if n != p]
    if rows[p].cells is not None or "%" in rows[p].tails[0][1] or any(r.cells is not None for r in body):
        return None
    ends = {r.tails[0][1].count("%") for r in body if _SHARES_ROW.fullmatch(r.tails[0][1])}
    if len(ends) != 1 or sum(1 for r in body if _SHARES_ROW.fullmatch(r.tails[0][1])) != len(body):
        return None
    shares = ends.pop()
    if shares > DEFAULT_MAX_SHARES:
        return None
    met: list[tuple[list[str], list[int]]] = []
    for before in product(range(1, DEFAULT_MAX_CELLS_PER_SHARE + 1), repeat=shares):
        k = sum(before) + shares
        if k > DEFAULT_MAX_INFER_COLUMNS:
            continue
        pct = {sum(before[: j + 1]) + j for j in range(shares)}
        printed = [j for j in range(k) if j not in pct]
        cols = [f"c{j}" for j in range(1, k + 1)]
        g = TableGuess(f"t{number}", title, header, "label", cols, values, aliases, [], labels[p], True)
        g.totals_printed = printed
        if _solves(rows, g, index, fmt):
            met.append((cols, printed))
        if len(met) > 1:
            return None
    return met[0] if met else None


def _rule_text(coeffs: tuple[int, ...], columns: list[str]) -> str:
    """Given a rule's coefficients (sum a_j x_j = 0 with one -1 or a +1 target), return it as `target = ...` text."""
    if coeffs.count(-1) == 1 and all(c in (0, 1) for c in coeffs if c != -1):
        t = coeffs.index(-1)
        others = [c for j, c in enumerate(columns) if coeffs[j] == 1]
        if len(others) > 2 and [columns.index(o) for o in others] == list(
            range(columns.index(others[0]), columns.index(others[-1]) + 1)
        ):
            return f"{columns[t]} = sum({others[0]}..{others[-1]})"
        return f"{columns[t]} = " + " + ".join(others)
    if coeffs.count(1) == 1 and coeffs.count(-1) == len(coeffs) - 1:
        t = coeffs.index(1)
        return f"{columns[t]} = " + " + ".join(c for j, c in enumerate(columns) if coeffs[j] == -1)
    # c = a - b: a - b - c = 0 → coefficient +1 on a, -1 on b and c
    pos = [columns[j] for j, c in enumerate(coeffs) if c == 1]
    neg = [columns[j] for j, c in enumerate(coeffs) if c == -1]
    return f"{neg[-1]} = {pos[0]} - {neg[0]}"


# ----------------------------------------------------------------------------- wide run-together rows (box scores)

#: A row that ends in a time (``…2113:00``): its last column holds times.
_TIME_END = re.compile(r"\d:[0-5]\d$")
#: Header names spelled as words in a column's name (``S%``: s_pct; ``+/-``: plus_minus).
_NAME_WORDS = (("+/-", " plus minus "), ("%", " pct"))


def lines_to_name_header(lines: tuple[Line, ...], first: int) -> list[str] | None:
    """Given a document's lines and the position of a table's first row, return the names of a header printed one
    name a line right above it (blank lines between allowed, up to DEFAULT_MAX_HEADER_GAP_LINES): a run of at least
    DEFAULT_MIN_HEADER_NAME_LINES lines, each a short text of at most DEFAULT_MAX_HEADER_NAME_CHARS characters and no
    figure (what ``get_text()`` makes of a ``<thead>``); else None."""
    from .locate import DEFAULT_MAX_HEADER_GAP_LINES, DEFAULT_MAX_HEADER_NAME_CHARS, DEFAULT_MIN_HEADER_NAME_LINES

    j, gap = first - 1, 0
    while j >= 0 and not lines[j].text.strip() and gap < DEFAULT_MAX_HEADER_GAP_LINES:
        j, gap = j - 1, gap + 1
    names: list[str] = []
    while j >= 0 and lines[j].cells is None:
        text = lines[j].text.strip()
        if not text or len(text) > DEFAULT_MAX_HEADER_NAME_CHARS or any(c.isdigit() for c in text):
            break
        names.append(text)
        j -= 1
    return names[::-1] if len(names) >= DEFAULT_MIN_HEADER_NAME_LINES else None


def _name_to_slug(name: str, taken: set[str]) -> str:
    """Given a header name printed one a line and the names taken, return its column name (``S%``: ``s_pct``)."""
    for sign, words in _NAME_WORDS:
        name = name.replace(sign, words)
    return _slug(name, taken)


@dataclass
class _WideRow:
    """One row of a wide table: its label (the rank read off), its rank as printed ("" where none), its numbers, and
    its label with the figures before it (where they are no rank)."""

    label: str
    rank: str
    tail: str
    printed: str


def _wide_rows(index: LineIndex, block: Block, fmt: NumberFormat) -> list[_WideRow]:
    """Given a block, return its rows read for a wide table: a time ending the row is numeric, a rank before the
    label is read off (``1Lawson Crouse101…2113:00``: 1, ``Lawson Crouse``, ``101…2113:00``)."""
    from .labels import split_tail
    from .locate import base_to_rank

    out = []
    for i in block.rows:
        base, tail = split_tail(index.lines[i].text.strip(), fmt, times=True)
        rank, label = base_to_rank(base)
        out.append(_WideRow(clean_label(label), rank, tail, clean_label(base)))
    return out


def _wide_readings(row: _WideRow, k: int, fmt: NumberFormat, kinds: list[Any], timed: bool) -> list[Reading] | None:
    """Given a wide row, the column count, the format and each column's kind, return its readings (empty: none; None:
    too many to say, no evidence either way)."""
    from .numbers import RowLattice, text_to_pieces

    pieces = text_to_pieces(row.tail, fmt, glued=True, times=timed)
    if not pieces:
        return []
    _charge(len(row.tail) * DEFAULT_MAX_TOKEN_DIGITS * (k + 1) // DEFAULT_BUILD_STEPS_PER_STEP)
    lattice = RowLattice(pieces, k, fmt, kinds)
    if not lattice.feasible:
        return []
    found, stop = lattice.readings(max_readings=DEFAULT_MAX_INFER_READINGS, max_steps=DEFAULT_MAX_INFER_STEPS)
    _charge(lattice.steps_used)
    return None if stop else found


def _readings_to_array(readings: list[Reading]) -> Any:
    """Given readings, return them as a float matrix (a blank: NaN)."""
    import numpy as np

    return np.array([[np.nan if c is BLANK else float(c) for c in x] for x in readings], dtype=float)  # type: ignore[arg-type]


def _wide_linear_rules(
    rows: list[list[Reading] | None], k: int, skip: set[int]
) -> tuple[list[tuple[str, _Rule, int]], list[Any]]:
    """Given each row's readings (None: too many), the column count and the columns no linear rule may name (a time, a
    percentage), return the candidate rules (``_candidate_rules``, ``_range_candidates``) that some reading of every
    readable row meets and that at least DEFAULT_MIN_RULE_ROWS rows could have failed (their readings give the rule's
    columns at most DEFAULT_MAX_SIEVE_READINGS sets of values, of which the rule keeps one, its total not 0: a rule that
    keeps one reading among hundreds may do so by chance, as ``a = sum(ev..sh)`` did where a column's cells could be
    decimals), with which readings of each row meet each: arithmetic over the readings (numpy), so the cube of
    candidates costs little."""
    import numpy as np

    cands = [
        (name, rule)
        for name, rule in rules_to_distinct(_candidate_rules(k) + _range_candidates(k))
        if not any(rule[0][j] for j in skip) and rule[0].count(-1) == 1
    ]
    if not cands:
        return [], []
    coeffs = np.array([rule[0] for _, rule in cands], dtype=float)
    named = (coeffs != 0).astype(float)
    alive = np.ones(len(cands), dtype=bool)
    arrays: list[Any] = []
    mets: list[Any] = []
    for readings in rows:
        if not readings:
            arrays.append(None)
            mets.append(None)
            continue
        x = _readings_to_array(readings)
        hit = (np.isnan(x).astype(float) @ named.T) > 0  # a blank in the rule's columns: not enforced
        met = hit | (np.abs(np.nan_to_num(x) @ coeffs.T) < 1e-9)
        alive &= met.any(axis=0)
        arrays.append(x)
        mets.append(met)
    fits: list[tuple[str, _Rule, int]] = []
    keep: list[int] = []
    for j in np.flatnonzero(alive):
        rule = cands[j][1]
        cols = [c for c, a in enumerate(rule[0]) if a]
        target = rule[0].index(-1)
        pinned = 0
        for x, met in zip(arrays, mets, strict=True):
            if x is None:
                continue
            sets = {tuple(v) for v in x[:, cols].tolist()}
            kept = {tuple(v) for v in x[met[:, j]][:, cols].tolist()}
            value = next(iter(kept))[cols.index(target)] if len(kept) == 1 else 0
            pinned += len(sets) <= DEFAULT_MAX_SIEVE_READINGS and len(kept) == 1 and value != 0 and value == value
        if pinned >= DEFAULT_MIN_RULE_ROWS:
            fits.append((cands[j][0], rule, pinned))
            keep.append(int(j))
    return fits, [None if m is None else m[:, keep] for m in mets]


def _wide_independent(fits: list[tuple[str, _Rule, int]], mets: list[Any]) -> list[tuple[str, _Rule, int]]:
    """Given the rules that hold each on its own evidence and which readings of each row meet each, return those
    adopted: the fewest terms first, each kept where no rule kept before implies it, and all of them only where some
    reading of every readable row meets them together (else they are rivals: none)."""
    order = sorted(range(len(fits)), key=lambda j: sum(1 for c in fits[j][1][0] if c))
    kept: list[int] = []
    for j in order:
        if _rank([(*fits[i][1][0], fits[i][1][1]) for i in [*kept, j]]) > len(kept):
            kept.append(j)
    kept.sort()
    for met in mets:
        if met is not None and not met[:, kept].all(axis=1).any():
            return []
    return [fits[j] for j in kept]


def _wide_ratio(
    rows: list[list[Reading] | None], columns: list[str], results: list[int], skip: set[int]
) -> tuple[tuple[int, int, int] | None, int]:
    """Given each row's readings that meet the linear rules, the columns, the columns a ratio may give (named as
    percentages: ``S%``) and the columns it never takes (a time), return the one ratio ``c = 100 * a / b`` some reading
    of every readable row meets (blank exactly where ``b`` is 0), at least DEFAULT_MIN_RULE_ROWS rows could have failed
    (a reading of the row breaks it, and every reading that meets it gives ``a`` and ``b`` values other than 0), and
    how many did; None where no ratio or several do."""
    from .rulegrammar import RatioRule

    found: list[tuple[tuple[int, int, int], int]] = []
    ratio = RatioRule("", "c", 100, "a", "b")
    for c in results:
        for a in range(len(columns)):
            for b in range(len(columns)):
                if len({a, b, c}) < 3 or {a, b} & (skip | set(results)):
                    continue
                strong, ok = 0, True
                for readings in rows:
                    if not readings:
                        continue
                    met = [
                        x
                        for x in readings
                        if ratio.holds(
                            {n: (None if x[j] is BLANK else x[j]) for n, j in (("c", c), ("a", a), ("b", b))}
                        )
                    ]
                    if not met:
                        ok = False
                        break
                    strong += len(met) < len(readings) and all(
                        x[a] not in (0, BLANK) and x[b] not in (0, BLANK) for x in met
                    )
                if ok and strong >= DEFAULT_MIN_RULE_ROWS:
                    found.append(((c, a, b), strong))
    return found[0] if len(found) == 1 else (None, 0)


def block_to_wide_guess(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, others: list[Block] | None = None
) -> TableGuess | None:
    """Given a block of lines no other reading adopted, return it as a wide table (a box score flattened by
    ``get_text()``) where the page's own evidence says so, else None:

    - a header printed one name a line right above it names the columns (``Rk``, ``Player``, ``G`` … ``TOI``);
    - a rank before each label, increasing from 1 (rows without one are totals rows: ``TOTAL``), takes the header's
      first name, the label its second;
    - where every ranked row ends in a time (``13:00``), the last column holds times;
    - row rules: sums (``pts = g + a``, ``g = sum(ev..sh)``) and percentages (``s_pct = 100 * g / s``, of a column the
      header names with ``%``: blank exactly where ``s`` is 0, the one blank the page may leave printing nothing)
      adopted as elsewhere, each holding on every row the hypothesis reads and could have failed on at least
      DEFAULT_MIN_RULE_ROWS of them; a table without one is not read.

    A row printing fewer cells than the header names (a cell left blank, printing nothing) cannot be read as that
    many: it is kept, its cells empty, never guessed (at most a quarter of the rows). Tables of the page under the
    same header (``others``: the visitors' and the home team's) are one kind of table: a rule must hold on the rows of
    each, and the evidence of all of them counts.

    (Issue 15: the NHL box score flattened, two tables of 16 columns, was not read without a rules file.)"""
    from .numbers import ColumnKind

    names = lines_to_name_header(index.lines, block.rows[0])
    if names is None:
        return None
    rows = _wide_rows(index, block, fmt)
    ranked = [r for r in rows if r.rank]
    with_rank = (
        len(ranked) >= DEFAULT_MIN_RULE_ROWS
        and ranked[0].rank == "1"
        and all(int(a.rank) < int(b.rank) for a, b in pairwise(ranked))
        and all(r.rank or TOTALS.search(r.label) for r in rows)
    )
    if not with_rank:
        rows = [replace(r, label=r.printed, rank="") for r in rows]
    if any(not r.label or not r.tail for r in rows):
        return None
    k = len(names) - (2 if with_rank else 1)
    if not 2 <= k <= DEFAULT_MAX_INFER_COLUMNS:
        return None
    body = ranked if with_rank else [r for r in rows if not TOTALS.search(r.label)]
    timed = bool(body) and all(_TIME_END.search(r.tail) for r in body)
    taken: set[str] = set()
    rank = _name_to_slug(names[0], taken) if with_rank else None
    label_column = _name_to_slug(names[1 if with_rank else 0], taken)
    columns = [_name_to_slug(n, taken) for n in names[-k:]]
    skip = {k - 1} if timed else set()
    pcts = [j for j, n in enumerate(names[-k:]) if n.endswith("%") and j not in skip]
    if fmt.decimal and any(r.tail.count(fmt.decimal) > len(pcts) for r in rows):
        return None  # a decimal outside the percentages: the columns' kinds are not known
    # the other columns hold whole numbers: no row prints more decimal marks than the percentages take
    kinds = [
        ColumnKind(form="time")
        if j in skip
        else ColumnKind(may_be_blank=True)
        if j in pcts
        else ColumnKind(form="integer")
        for j in range(k)
    ]
    readings = [_wide_readings(r, k, fmt, kinds, timed) for r in rows]
    if 4 * sum(x == [] for x in readings) > len(rows):
        return None
    for other in others or []:
        if other.rows != block.rows and lines_to_name_header(index.lines, other.rows[0]) == names:
            readings += [_wide_readings(r, k, fmt, kinds, timed) for r in _wide_rows(index, other, fmt)]
    fits, mets = _wide_linear_rules(readings, k, skip | set(pcts))
    chosen = _wide_independent(fits, mets) if fits else []
    if chosen:
        rules = [c for _, c, _ in chosen]
        readings = [
            None if x is None else [y for y in x if all(_rule_holds(y, rule) for rule in rules)] for x in readings
        ]
    ratio, ratio_rows = _wide_ratio(readings, columns, pcts, skip)
    if not chosen and ratio is None:
        return None
    evidence: dict[str, str] = {
        "columns": f"{k} columns: the header names {k}, one name a line, after the label's"
        + (" and the rank's" if with_rank else ""),
        "names": "from the header, one name a line",
    }
    guess = TableGuess(
        f"table_{number}",
        None,
        " ".join(names),
        label_column,
        columns,
        list(dict.fromkeys(r.label for r in rows)),
        evidence=evidence,
    )
    guess.rules = [_rule_text(coeffs, columns) for _, (coeffs, _), _ in chosen]
    for text, (_, _, ev) in zip(guess.rules, chosen, strict=True):
        guess.evidence[f"rule: {text}"] = f"holds on every row read as {k} cells, {ev} of which could have failed it"
    if with_rank:
        guess.rank = rank
        guess.evidence["rank"] = f"each of {len(ranked)} rows prints a whole number before its label, increasing from 1"
    guess.column_types = {c: "integer" for j, c in enumerate(columns) if j not in skip and j not in pcts}
    guess.evidence["column_types"] = "whole numbers: no row prints a decimal mark but for " + (
        ", ".join(names[-k:][j] for j in pcts) if pcts else "none"
    )
    if timed:
        guess.column_types[columns[-1]] = "time"
        guess.evidence["column_types"] += f"; {columns[-1]}: each of {len(body)} rows ends in a time (m:ss)"
    if ratio is not None:
        c, a, b = ratio
        text = f"{columns[c]} = 100 * {columns[a]} / {columns[b]}"
        guess.rules.append(text)
        guess.evidence[f"rule: {text}"] = (
            f"'{names[-k:][c]}' is a percentage: holds on every row read as {k} cells, {ratio_rows} of which could "
            "have failed it"
        )
        guess.may_be_blank = [columns[c]]
        guess.evidence["may_be_blank"] = f"the percentage is blank exactly where {columns[b]} is 0"
    return guess


def _wide_guess(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, blocks: list[Block]
) -> TableGuess | None:
    """``block_to_wide_guess`` within a work budget of its own (DEFAULT_MAX_INFER_WORK): past it, None."""
    if len(block.rows) > DEFAULT_MAX_TABLE_ROWS:
        return None
    rows = sum(len(b.rows) for b in blocks)
    token = _WORK.set([0, DEFAULT_MAX_INFER_WORK + DEFAULT_MAX_INFER_ROW_WORK * rows])
    try:
        return block_to_wide_guess(block, index, fmt, number, blocks)
    except _OverWork:
        return None
    finally:
        _WORK.reset(token)


def _rule_holds(reading: Reading, rule: _Rule) -> bool:
    """Whether a reading meets a linear rule (a blank in its columns: not enforced)."""
    coeffs, const = rule
    if any(a and reading[j] is BLANK for j, a in enumerate(coeffs)):
        return True
    return sum(a * reading[j] for j, a in enumerate(coeffs) if a) == const  # type: ignore[operator,misc]


# ----------------------------------------------------------------------------- the rules file


def _q(text: str) -> str:
    """Given text, return it as a YAML double-quoted scalar (``escape.text_to_yaml``: it loads back as that text)."""
    from .escape import text_to_yaml

    return text_to_yaml(text)


def _c(text: str) -> str:
    """Given text, return it as the text of one YAML comment (``escape.text_to_yaml_comment``: it cannot end early)."""
    from .escape import text_to_yaml_comment

    return text_to_yaml_comment(text)


def _unloadable(g: TableGuess) -> str | None:
    """Given a table adopted, return why a rules file holding it would not load (a bound of the loader), or None."""
    from .rules import DEFAULT_MAX_RULES_COLUMNS, DEFAULT_MAX_RULES_TEXT_CHARS

    if len(g.columns) > DEFAULT_MAX_RULES_COLUMNS:
        return f"{len(g.columns):,} columns exceed the bound of {DEFAULT_MAX_RULES_COLUMNS} (DEFAULT_MAX_RULES_COLUMNS)"
    texts = [g.title or "x", g.header or "x", g.totals_row or "x", *g.values]
    texts += [e for extra in g.aliases.values() for e in extra]
    if any(not t or len(t) > DEFAULT_MAX_RULES_TEXT_CHARS for t in texts):
        return f"a label or header empty or over {DEFAULT_MAX_RULES_TEXT_CHARS:,} characters (DEFAULT_MAX_RULES_TEXT_CHARS)"
    if len(set(g.values)) != len(g.values):
        return "a label printed twice as two rows of its vocabulary"
    if any(len(format(v, "f").lstrip("-").split(".")[0]) > DEFAULT_MAX_TOKEN_DIGITS for v in g.known.values()):
        return f"a stated total of over {DEFAULT_MAX_TOKEN_DIGITS} digits (DEFAULT_MAX_TOKEN_DIGITS)"
    return None


def _table_lines(g: TableGuess, table_id: str) -> list[str]:
    """Given a table adopted and its id, return its lines of the rules file, each inferred rule with its evidence."""
    out = [f"  - id: {table_id}"]
    if g.title:
        out.append(f"    title: {_q(g.title)}")
    if g.header:
        out.append(f"    header: {_q(g.header)}")
    out.append("    label:")
    out.append(f"      column: {g.label_column}")
    if g.rank:
        out.append(f"      rank: {g.rank}    # {_c(g.evidence.get('rank', ''))}")
    out.append("      values:            # the labels as printed")
    out += [f"        - {_q(v)}" for v in g.values]
    if g.aliases:
        out.append(
            "      aliases:           # other ways a label is printed: its last figures in doubt, or the header run into it"
        )
        for canon, extra in g.aliases.items():
            out.append(f"        {_q(canon)}: [{', '.join(_q(e) for e in extra)}]")
    out.append(
        f"    columns: [{', '.join(g.columns)}]    # {_c(g.evidence.get('columns', ''))}"
        + (f"; names {_c(g.evidence['names'])}" if "names" in g.evidence else "")
    )
    if g.column_types:
        types = ", ".join(f"{c}: {t}" for c, t in g.column_types.items())
        out.append(
            f"    column_types: {{{types}}}    # {_c(g.evidence.get('column_types', g.evidence.get('types', '')))}"
        )
    if g.may_be_blank:
        out.append(f"    may_be_blank: [{', '.join(g.may_be_blank)}]    # {_c(g.evidence.get('may_be_blank', ''))}")
    if g.rules:
        out.append("    row_rules:")
        out += [f"      - {r}    # {_c(g.evidence.get('rule: ' + r, g.evidence.get('rule', '')))}" for r in g.rules]
    if g.totals_row or g.known:
        out.append("    totals:")
        if g.totals_row:
            out.append(f"      row: {_q(g.totals_row)}    # {_c(g.evidence.get('totals', ''))}")
            if g.totals_printed is not None:
                printed = ", ".join(g.columns[j] for j in g.totals_printed)
                out.append(f"      printed: [{printed}]    # it leaves the columns whose cells print a % blank")
        for col, value in g.known.items():
            out.append(f"      known: {{{col}: {value}}}    # {_c(g.evidence.get('known', ''))}")
        out.append(f"      complete: {'true' if g.complete else 'false'}")
        if g.blanks_add_nothing:
            out.append("      blanks: nothing    # a cell the page left blank adds nothing to the totals")
    return out


def _has_blank_cells(rows: list[_Row], fmt: NumberFormat) -> bool:
    """Whether some row of the table prints a placeholder among its numbers (``..``, ``-``)."""
    for r in rows:
        if r.cells is not None:
            if any(c.strip() in fmt.placeholders for c in r.cells):
                return True
            continue
        for _, tail in r.tails:
            for option in text_to_piece_options(tail, fmt, r.glued) or []:
                if any(p.kind == "blank" for p in option):
                    return True
    return False


_NAME_INTO_LABEL = re.compile(r"[A-Z]+\d")  # "C29 to 1": a column name's figures may run into the label
_SPACE_GROUP = re.compile(r"\d \d{3}")  # a space between cells, or grouping thousands: a doubt of the format
_TABLE_REF = re.compile(r"\btable\s+(\d+)\b", re.IGNORECASE)
_TOTAL_WORDS = re.compile(r"\b(in all|a total of|totals?|altogether|overall|combined)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def lines_to_stated_totals(lines: tuple[Line, ...], fmt: NumberFormat) -> dict[str, list[tuple[int, int | Decimal]]]:
    """Given a document's lines and number format, return the totals its prose states, by table number: a sentence
    that names one table (``table 3``), says it counts a total (``In all``, ``a total of``) and holds one number."""
    from .facts import number_pattern, parse_number

    pattern = number_pattern(fmt)
    out: dict[str, list[tuple[int, int | Decimal]]] = {}
    for line in lines:
        if line.cells is not None or not _TABLE_REF.search(line.text):
            continue
        for sentence in _SENTENCE.split(line.text):
            refs = {m.lower() for m in _TABLE_REF.findall(sentence)}
            if len(refs) != 1 or not _TOTAL_WORDS.search(sentence):
                continue
            numbers = list(pattern.finditer(_TABLE_REF.sub(" ", sentence)))
            if len(numbers) == 1 and sum(c.isdigit() for c in numbers[0]["num"]) <= DEFAULT_MAX_TOKEN_DIGITS:
                value = parse_number(numbers[0]["num"], numbers[0]["scale"], fmt)
                out.setdefault(refs.pop(), []).append((line.number, value))
    return out


def _adopt_stated_total(
    guess: TableGuess, stated: dict[str, list[tuple[int, int | Decimal]]], index: LineIndex, fmt: NumberFormat
) -> None:
    """A total the prose states of this table is adopted for the one column whose rows add up to it exactly (columns
    a copy rule makes equal count as one); where several columns or none do, it is left out."""
    ref = _TABLE_REF.search(guess.title or "")
    if ref is None or (guess.totals_row and not guess.complete):
        return
    claims = stated.get(ref.group(1).lower(), [])
    if len(claims) != 1:
        return
    line, value = claims[0]
    copies = {guess.columns[0]} if len(guess.columns) == 2 and guess.rules else set()  # "second = first"
    fits = []
    for col in reversed(guess.columns):
        trial = TableGuess(**{**guess.__dict__, "known": {col: value}, "complete": True, "evidence": {}})
        if _solves([], trial, index, fmt):
            fits.append(col)
    if copies and fits and set(fits) <= copies | {guess.columns[-1]}:
        col = guess.columns[-1] if guess.columns[-1] in fits else fits[0]
    elif len(fits) == 1:
        col = fits[0]
    else:
        return
    guess.known, guess.complete = {col: value}, True
    guess.evidence["known"] = (
        f"stated on line {line} ('table {ref.group(1)}'): the rows of {col} add up to it exactly, no other column's do"
    )


#: Most sections (a totals row closing each) a block is read in; a block with more is read whole. Each section is
#: located on a copy of the document's index, and all of them share the block's DEFAULT_MAX_INFER_WORK.
DEFAULT_MAX_SECTIONS = 30


def section_to_index(index: LineIndex, first: int, last: int) -> LineIndex:
    """Given a document's line index and a range of its lines (positions), return the index of the same lines with
    every line outside the range left blank: a table located in it is found in that range only."""
    lines = tuple(l if first <= n <= last else replace(l, text="", cells=None) for n, l in enumerate(index.lines))
    return LineIndex(lines, index.fmt)


def _section_guesses(
    block: Block, index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool
) -> tuple[list[TableGuess] | None, str]:
    """Given a block whose rows hold subtotals (``labels_to_sections``), return a table per section, each with its
    totals row where its rows meet it, where every section is read under one column count and one section at least
    meets its totals row exactly; else None (the block is then read whole), with the bound that stopped it if one did.
    A section that nothing else counts takes the count of the sections above it; the sections below the first take
    its names where they have no header.

    (ICDAR eu-015 flattened: ``Total EU-15``, ``Total EU-12`` and ``Grand Total`` in one column of enquiries by
    country; read whole, no count met the last row, whose body also holds the subtotals, and the table was not read.
    A rules file holds one totals row per table, so each section is a table of its own, as a person writes it.)"""
    labels = [clean_label(index.bases[i][0]) for i in block.rows]
    spans = labels_to_sections(labels)
    if spans is None:
        return None, ""
    if len(spans) > DEFAULT_MAX_SECTIONS:
        return None, (
            f"its {len(spans):,} sections (a totals row closing each) exceed the bound of {DEFAULT_MAX_SECTIONS} "
            "(DEFAULT_MAX_SECTIONS), so it was read whole"
        )
    token = _WORK.set([0, DEFAULT_MAX_INFER_WORK + DEFAULT_MAX_INFER_ROW_WORK * len(block.rows)])
    try:
        return _sections_to_guesses(block, spans, index, fmt, number, trust_spaces), ""
    except _OverWork:
        return None, (  # the block is then read whole, under a budget of its own
            f"reading its sections took over {DEFAULT_MAX_INFER_WORK:,} steps (DEFAULT_MAX_INFER_WORK), so it was "
            "read whole"
        )
    finally:
        _WORK.reset(token)


def _sections_to_guesses(
    block: Block, spans: list[tuple[int, int]], index: LineIndex, fmt: NumberFormat, number: int, trust_spaces: bool
) -> list[TableGuess] | None:
    """``_section_guesses`` within its work budget."""
    out: list[TableGuess] = []
    k: int | None = None
    for j, (a, b) in enumerate(spans):
        first = j == 0
        part = Block(
            block.rows[a:b],
            header=block.header if first else None,
            title=block.title if first else None,
            section=True,
            columns=k,
        )
        # each section is tried on its own lines only: its labels (``Total EU``) may be printed in another section too
        lo = min(x for x in (part.rows[0], part.header, part.title) if x is not None)
        alone = section_to_index(index, lo, part.rows[-1])
        guess, _ = block_to_guess(part, alone, fmt, number + j, trust_spaces)
        if guess is None or (k is not None and len(guess.columns) != k):
            return None
        _settle_partings(guess, alone, fmt)
        k = len(guess.columns)
        out.append(guess)
    labels_seen = [normalize(v) for g in out for v in g.values]
    if not any(g.totals_row and g.complete for g in out) or len(set(labels_seen)) != len(labels_seen):
        return None  # a label printed in two sections would be read in either when the whole page is searched
    head = out[0]
    for g in out[1:]:
        if g.header is None and (g.label_column, g.columns) != (head.label_column, head.columns):
            guess_to_names(g, head.label_column, head.columns)
            g.evidence["names"] = "from the header over the table's first section"
    return out


def guess_to_names(guess: TableGuess, label_column: str, columns: list[str]) -> None:
    """Given a table adopted and other names for its label column and columns (as many, in order), give it those
    names, in its rules and their evidence too (a rule's names are whole words: ``c3 = c1 + c2``)."""
    names = dict(zip(guess.columns, columns, strict=True))

    def renamed(text: str) -> str:
        return re.sub(r"\b[a-z_][a-z0-9_]*\b", lambda m: names.get(m.group(), m.group()), text)

    guess.evidence = {(renamed(k) if k.startswith("rule: ") else k): v for k, v in guess.evidence.items()}
    guess.rules = [renamed(r) for r in guess.rules]
    guess.known = {names.get(c, c): v for c, v in guess.known.items()}
    guess.label_column, guess.columns = label_column, list(columns)


def _guesses(document: Document, fmt: NumberFormat, trust_spaces: bool) -> tuple[list[TableGuess], list[str]]:
    """Given a document and a number format, return the tables adopted under it and a note per table not read."""
    index = LineIndex(document.lines, fmt)
    notes: list[str] = []
    guesses: list[TableGuess] = []
    blocks = index_to_blocks(index)
    for n, block in enumerate(blocks, start=1):
        sections, bound = _section_guesses(block, index, fmt, n, trust_spaces)
        if sections:
            for g in sections:
                g.id = f"table_{len(guesses) + 1}"
                guesses.append(g)
            continue
        guess, note = block_to_guess(block, index, fmt, n, trust_spaces)
        if guess is None:
            guess = _wide_guess(block, index, fmt, n, blocks)
        if guess is None:
            notes.append(note.replace(": not read", f"; {bound}: not read", 1) if bound else note)
            continue
        guess.id = f"table_{len(guesses) + 1}"
        guesses.append(guess)
    stated = lines_to_stated_totals(document.lines, fmt)
    kept: list[TableGuess] = []
    for guess in guesses:
        _adopt_stated_total(guess, stated, index, fmt)
        if guess.pending and not guess.known:
            notes.append(f"table '{guess.title or guess.header or guess.id}': {guess.pending}: not read")
            continue
        _settle_partings(guess, index, fmt)
        guess.id = f"table_{len(kept) + 1}"
        kept.append(guess)
    return kept, notes


#: Fewest figures run together with a mark before one or two digits and then another mark (``2.33.25.5``) for the
#: mark to be tried as a decimal mark instead of the thousands mark the digit groups suggest.
DEFAULT_MIN_FUSED_DECIMALS = 3


def text_to_fused_decimals(text: str, fmt: NumberFormat) -> tuple[NumberFormat, str] | None:
    """Given the text left to the run-together inference and the format its digit groups suggest, return the format
    that reads the same mark as decimals instead (and why), where at least DEFAULT_MIN_FUSED_DECIMALS runs show it
    before one or two figures and then another mark (``2.33.25.5``: no thousands mark stands there), else None.

    (eu-008 flattened: ``58.9986.70145.69`` counted as digit groups after ``.``, so every row of decimals, ``2.33.25.5``
    for 2.3, 3.2 and 5.5, was unreadable and the table with its ``Total = a + b`` rule not read.)"""
    sep = fmt.thousands
    if sep not in (".", ",") or fmt.decimal or fmt.also:
        return None
    s = re.escape(sep)
    found = len(re.findall(rf"\d{s}\d{{1,2}}{s}\d", text))
    if found < DEFAULT_MIN_FUSED_DECIMALS:
        return None
    return NumberFormat(None, sep), f"{found} runs of decimals after '{sep}' (a row rule or totals confirm it)"


def printed_to_rules_lines(layouts: list[tuple[int, Layout]], document: Document, later: int) -> list[str]:
    """Given the layouts of the tables whose cells the page kept, return their entries of the rules file (ids
    ``table_1`` … in order; the run-together tables come after)."""
    from .printed import layout_to_names, layout_to_relations, layout_to_title

    out: list[str] = []
    kinds = {
        "html": "an HTML <table>",
        "pdf": "PDF words in columns",
        "text": "tab-separated lines",
        "lines": "one cell a line",
    }
    for k, (n, layout) in enumerate(layouts, start=1):
        label, numeric, text = layout_to_names(layout)
        rel = layout_to_relations(layout, numeric)
        title = layout_to_title(layout, document)
        out.append(f"  - id: table_{k}")
        out.append(
            f"    printed: {n}    # the page's table {n}: {kinds.get(layout.table.kind, 'printed cells')}, read cell by cell"
        )
        if title:
            out.append(f"    title: {_q(title[:200])}")
        out.append("    label:")
        out.append(f"      column: {label}")
        named = sum(bool(layout.names.get(j)) for j in layout.numeric)
        out.append(
            f"    columns: [{', '.join(numeric)}]    # the {len(numeric)} columns whose cells read as numbers"
            + (f"; names from the header ({named} named)" if named else "")
        )
        if text:
            out.append(f"    text_columns: [{', '.join(text)}]    # columns of text, published as printed")
        f = layout.fmt
        out.append(
            f"    number_format: {{thousands: {_q(f.thousands) if f.thousands else 'null'}, "
            f"decimal: {_q(f.decimal) if f.decimal else 'null'}}}    # {layout.why_fmt}"
        )
        if rel.rules:
            out.append("    row_rules:          # checks: they hold on the printed cells")
            out += [f"      - {r}    # {why}" for r, why in rel.rules]
        if rel.totals_row:
            out.append("    totals:")
            out.append(f"      row: {_q(rel.totals_row)}    # {rel.totals_why}")
            out.append("      complete: true")
    return out


def _best_trial(results: list[Any]) -> Any:
    """Given the guesses under each trial number format (``(format, why, guesses, notes)``), return the trial under which
    more tables are adopted on rule or totals evidence, then more of their values (ties: the first)."""
    return max(
        results,
        key=lambda r: (
            sum(bool(g.rules or g.totals_row or g.known) for g in r[2]),
            sum(len(g.values) for g in r[2] if g.rules or g.totals_row or g.known),
        ),
    )


def document_to_rules_text(document: Document, name: str | None = None) -> tuple[str, list[str]]:
    """Given a document, return the rules file zero-config mode infers for it (YAML text) and a note per table not read.

    The text always loads back: a table the loader would refuse (its bounds) is left out with a note naming the bound."""
    from .printed import document_to_layouts
    from .rules import DEFAULT_MAX_RULES_BYTES

    index_fmt, why_fmt = lines_to_format(document.lines)
    # the tables whose cells the page kept are read cell by cell (recover.printed); the rest of the lines are
    # searched for tables whose rows lost their boundaries
    from .rules import DEFAULT_MAX_RULES_COLUMNS

    # a table wider than a rules file may name is left to the run-together path, which says which bound it hit
    layouts = [
        (n, layout)
        for n, layout in document_to_layouts(document, index_fmt)
        if len(layout.numeric) + len(layout.text) < DEFAULT_MAX_RULES_COLUMNS
    ]
    if layouts:
        taken = {n for _, layout in layouts for n in (*layout.table.lines, *layout.table.covers)}
        document = replace(
            document,
            lines=tuple(replace(l, text="", cells=None) if l.number in taken else l for l in document.lines),
        )
    text = "\n".join(l.text for l in document.lines if l.cells is None)
    if index_fmt.thousands is None and re.search(r"\d \d{3}", text):
        # "10 587" may be one number grouped by a space or two cells: both formats are hypotheses, and the
        # one under which more tables are adopted on rule or totals evidence is kept; spaces are not
        # trusted as cell boundaries under either
        spaced = NumberFormat(" ", index_fmt.decimal)
        trials = [(index_fmt, why_fmt), (spaced, "digit groups after plain spaces (a row rule or totals confirm it)")]
        results = [(f, why, *_guesses(document, f, trust_spaces=False)) for f, why in trials]
        index_fmt, why_fmt, guesses, notes = _best_trial(results)
    elif (decimals := text_to_fused_decimals(text, index_fmt)) is not None:
        # "2.33.25.5": a mark before one or two figures and then another mark groups no thousands; runs of decimals
        # counted as digit groups ("58.9986.70145.69") are both hypotheses, kept as for spaces above (ties: the first)
        trials = [(index_fmt, why_fmt), decimals]
        results = [(f, why, *_guesses(document, f, trust_spaces=True)) for f, why in trials]
        index_fmt, why_fmt, guesses, notes = _best_trial(results)
    else:
        guesses, notes = _guesses(document, index_fmt, trust_spaces=True)
    printed_out = printed_to_rules_lines(layouts, document, len(guesses))
    doc_id = (
        re.sub(r"[^a-z0-9_-]+", "-", (name or document.source.name or "document").lower()).strip("-_") or "document"
    )
    if not doc_id[0].isalnum():
        doc_id = "d" + doc_id
    out = [
        f"# Rules inferred by recover (zero-config) from {_c(document.source.origin)}",
        f"# source sha256: {document.source.sha256}",
        "# Edit this file to take over: add or fix a vocabulary, a rule, a total; then run with --rules.",
        f"document: {doc_id}",
        "number_format:",
        f"  thousands: {_q(index_fmt.thousands) if index_fmt.thousands else 'null'}    # {_c(why_fmt)}",
    ]
    if index_fmt.decimal:
        out.append(f"  decimal: {_q(index_fmt.decimal)}")
    if index_fmt.also:
        out.append("  also:                  # another format some rows are printed in: each row is read under both")
        out += [
            f"    - {{thousands: {_q(a.thousands or '') if a.thousands else 'null'}, decimal: null}}"
            for a in index_fmt.also
        ]
    if not guesses and not notes and not printed_out:
        notes.append("no table found: no block of lines that carry a label and numbers")
    chunks: list[list[str]] = []
    size, over = sum(len(x.encode("utf-8")) + 1 for x in out) + 16, 0
    for g in guesses:
        why = _unloadable(g)
        lines = [] if why else _table_lines(g, f"table_{len(layouts) + len(chunks) + 1}")
        more = sum(len(x.encode("utf-8")) + 1 for x in lines)
        if not why and (over or size + more > DEFAULT_MAX_RULES_BYTES - DEFAULT_MAX_NOTES_BYTES):
            over += 1
            continue
        if why:
            notes.append(f"table '{_c(g.title or g.header or g.id)[:80]}': {why}: not read")
            continue
        size += more
        chunks.append(lines)
    if over:
        notes.append(
            f"{over:,} more table(s): the inferred rules would exceed the bound of {DEFAULT_MAX_RULES_BYTES:,} bytes "
            "(DEFAULT_MAX_RULES_BYTES): not read"
        )
    out.append("tables:" if chunks or printed_out else "tables: []")
    out += printed_out
    for lines in chunks:
        out += lines
    written = 0
    for note in notes:
        line = f"# not read: {_c(note)}"
        if written + len(line.encode("utf-8")) > DEFAULT_MAX_NOTES_BYTES - 200:
            out.append(f"# not read: … {len(notes) - notes.index(note):,} more (on the command's output)")
            break
        written += len(line.encode("utf-8")) + 1
        out.append(line)
    return "\n".join(out) + "\n", notes
