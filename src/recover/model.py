"""The plain data that flows between the stages: fetch → extract → recover → publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class Source:
    """The bytes of one document, its kind told from its content, and where it came from."""

    data: bytes
    kind: str  # "text" | "html" | "pdf"
    sha256: str
    origin: str  # the path or URL as the user gave it
    name: str  # the document's name: the file's stem or the URL's last path segment


@dataclass(frozen=True)
class Line:
    """One line of extracted text; ``number`` is 1-based in the source, ``page`` is 1-based (PDF).

    ``cells`` is set when the source itself kept the line's cell boundaries (an HTML ``<tr>``,
    tab-separated text, a PDF row whose words stand under columns found from the page's
    geometry): the printed cells in order, ``""`` for a cell the page left empty. Each is
    hard evidence: one printed cell is one cell of the table, never split and never joined.
    """

    text: str
    number: int
    page: int | None = None
    cells: tuple[str, ...] | None = None


class _Blank:
    """A cell the page left blank or filled with a placeholder (``-``, ``..``, ``(D)`` …): published empty, never filled."""

    _instance: _Blank | None = None

    def __new__(cls) -> _Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "BLANK"

    def __reduce__(self) -> str:
        return "BLANK"

    def __hash__(self) -> int:
        return hash("recover.BLANK")

    def __eq__(self, other: object) -> bool:
        return other is self

    def __lt__(self, other: object) -> bool:  # sorts before every number, so readings stay sortable
        return other is not self


#: The value of a blank cell in a reading (the page printed nothing, or a placeholder, there).
BLANK = _Blank()

#: What one cell of a row reads as: a number, or BLANK.
Cell = Number | _Blank
#: One value per numeric column.
Reading = tuple[Cell, ...]


@dataclass(frozen=True)
class PrintedTable:
    """A table whose cells the page kept: an HTML ``<table>``, a PDF block whose words stand in columns found from
    the page's geometry, a run of tab-separated lines.

    ``rows`` is its grid top to bottom, spans expanded (a spanned cell's text repeated over the cells it covers),
    every row as wide as the table; ``lines`` the number of the Line each row was printed on; ``header`` how many
    of the first rows the source marks as its header (HTML ``<th>`` rows and ``<thead>``; ``None``: the source does
    not say). ``caption`` is the table's caption or title where the source names one.
    """

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    header: int | None = None
    caption: str = ""
    kind: str = "html"  # "html" | "pdf" | "text"
    spanned: tuple[tuple[bool, ...], ...] = ()  # per row, per cell: the cell continues a span from its left or above
    covers: tuple[int, ...] = ()  # every line the table was printed on, where a row spans several (one cell a line)
    unplaced: tuple[int, ...] = ()  # rows whose cells cannot be placed under its columns (one cell a line): unreadable


@dataclass(frozen=True)
class Document:
    """The lines of one source, and the tables whose cells it kept (``tables``, in source order)."""

    source: Source
    lines: tuple[Line, ...]
    tables: tuple[PrintedTable, ...] = ()


@dataclass
class SourceRow:
    """A line read as a table row: its label and the printed numbers that hold its cells.

    ``digits`` is the row's numbers as printed (a run, tokens, placeholders); ``tails`` lists
    every other way the label and the numbers may part (a label ending in digits, a sign
    glued to the label, a digit run wrapped onto the next line): the row's readings are those
    of all of them. ``cells`` holds the printed cells where the source kept them.
    """

    line: Line
    label: str  # canonical label (or the printed label text without a vocabulary)
    score: float | None  # match score 0-100, None without a vocabulary
    digits: str  # the row's numbers as printed
    tails: tuple[str, ...] = ()  # alternatives to ``digits`` (it included); empty: ``digits`` alone
    tails_glued: tuple[bool, ...] = ()  # per tail, whether it was cut from a digit run (else ``glued`` holds for all)
    cells: tuple[str, ...] | None = None  # the printed cells after the label, where the source kept them
    more: tuple[Line, ...] = ()  # further lines of the row (a wrapped label or digit run)
    matched: bool = True  # False: the label matches no value of the vocabulary; it is published as printed
    duplicate_of: int | None = None  # the line number of an identical row printed before (published once)
    glued: bool = False  # the numbers start right after the label, no whitespace between (the first token is fused)
    rank: str | None = None  # the number printed before the label (``label.rank``; "" where none), else None

    @property
    def raw(self) -> str:
        """Return the row's text as printed, its lines in the page's order joined by ' / '."""
        return " / ".join(l.text for l in sorted([self.line, *self.more], key=lambda l: l.number))


@dataclass
class TableRegion:
    """The rows found for one table of the rules, in source order."""

    table_id: str
    rows: list[SourceRow]
    found: bool
    notes: list[str] = field(default_factory=list)
    strays: int = 0  # rows of the table read on their own, outside its totals (a label not in the vocabulary)
    warnings: list[str] = field(default_factory=list)  # worth saying, not a failure (an identical repeated row)
    left_out: dict[str, SourceRow] = field(default_factory=dict)  # label -> a row several tables read alike (to decide)
    title_line: int | None = None  # the line number of the table's title, where the rules name one and it was found


STATUSES = (
    "recovered",
    "ambiguous",
    "unsatisfiable",
    "corrected",
    "too_ambiguous",
    "unreadable",
    "duplicate",
    "missing",
)

#: The line of a ``missing`` row: a label of the vocabulary that no line of the page matched (no line, no page).
NO_LINE = Line("", 0)


@dataclass
class RowSolution:
    """What the solve says of one row: cells (None where undetermined), status, readings."""

    row: SourceRow
    cells: list[Cell | None]  # BLANK where the page left the cell blank
    status: str
    readings: list[Reading]  # the readings some whole-table solution uses (capped)
    readings_count: int
    readings_capped: bool = False
    reason: str = ""
    marks: str = ""  # footnote marks printed on the row's label or numbers, space-separated
    texts: tuple[str, ...] = ()  # a table whose cells the page kept: its text columns' cells, as printed
    blank_texts: tuple[str, ...] = ()  # the time columns whose cell the page left blank (published empty)
    time_cells: tuple[Cell | None, ...] = ()  # a run-together row's time cells as solved (None: not determined)

    @property
    def all_cells(self) -> tuple[Cell | None, ...]:
        """Return the row's numeric cells and then its time cells: every cell the solve decides."""
        return (*self.cells, *self.time_cells)


@dataclass
class TableSolution:
    """The solved table: a RowSolution per source row, and the problems to report."""

    table_id: str
    columns: list[str]
    label_column: str
    rows: list[RowSolution]
    found: bool
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)  # a printed table's columns of text, as printed
    order: list[str] = field(
        default_factory=list
    )  # numeric and text columns as the page prints them (empty: numeric first)

    @property
    def complete(self) -> bool:
        return self.found and not self.problems

    def published_columns(self) -> list[tuple[str, int, bool]]:
        """Return the columns after the label as published, in the page's order: (name, its index among the numeric
        or the text columns, whether it is a text column)."""
        at = {c: (j, False) for j, c in enumerate(self.columns)} | {
            c: (j, True) for j, c in enumerate(self.text_columns)
        }
        names = self.order if sorted(self.order) == sorted(at) else self.columns + self.text_columns
        return [(c, *at[c]) for c in names]


@dataclass(frozen=True)
class Fact:
    id: str
    value: Number
    sentence: str
    line: int
