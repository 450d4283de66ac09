"""The plain data that flows between the stages: fetch → extract → recover → publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

Number = Union[int, Decimal]
Reading = tuple  # one value per numeric column, a tuple of Number


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
    """One line of extracted text; ``number`` is 1-based in the source, ``page`` is 1-based (PDF)."""

    text: str
    number: int
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """The lines of one source."""

    source: Source
    lines: tuple[Line, ...]


@dataclass
class SourceRow:
    """A line read as a table row: its label and the digit run that holds its numbers."""

    line: Line
    label: str  # canonical label (or the raw label text without a vocabulary)
    score: float | None  # match score 0-100, None without a vocabulary
    digits: str  # the run of digits and separators holding the row's numbers


@dataclass
class TableRegion:
    """The rows found for one table of the rules, in source order."""

    table_id: str
    rows: list[SourceRow]
    found: bool
    notes: list[str] = field(default_factory=list)
    strays: int = 0  # lines inside the table that hold numbers but could not be read as rows


STATUSES = ("recovered", "ambiguous", "unsatisfiable", "corrected", "too_ambiguous")


@dataclass
class RowSolution:
    """What the solve says of one row: cells (None where undetermined), status, readings."""

    row: SourceRow
    cells: list[Number | None]
    status: str
    readings: list[Reading]  # the readings some whole-table solution uses (capped)
    readings_count: int
    readings_capped: bool = False
    reason: str = ""


@dataclass
class TableSolution:
    """The solved table: a RowSolution per source row, and the problems to report."""

    table_id: str
    columns: list[str]
    label_column: str
    rows: list[RowSolution]
    found: bool
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.found and not self.problems


@dataclass(frozen=True)
class Fact:
    id: str
    value: Number
    sentence: str
    line: int
