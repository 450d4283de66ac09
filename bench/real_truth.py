"""Truth tables for the real-document benchmark (`bench/real.py`), read without `recover`.

- ICDAR 2013: the human structure ground truth (`X-str.xml`): each `<table>`'s cells, rows by `start-row`, columns
  by `start-col`, a spanning cell at its start.
- HTML: the page's own innermost `<table>`s read with lxml (colspan/rowspan expanded, a spanned cell at its start;
  hidden `display:none` elements, scripts and styles dropped).
- Tab-separated text (USGS RDB and the like): blocks of lines with tabs, `#` comments aside.

A table's number format is decided from its own cells; a numeric cell is one whose text prints one number
(`bench.real_numbers.printed_to_number`). A row's label is its leftmost run of non-numeric cells. The header is the
rows above the first row that has both a label and a number (column numbers, years over the columns: not data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from bench.real_numbers import NumberFormat, printed_to_number, text_to_clean, texts_to_format


@dataclass
class TruthRow:
    """One row of a truth table: its printed cells (one per grid column, "" where empty), their values, its label."""

    cells: list[str]
    values: list[Decimal | None]
    label: str
    header: bool = False

    @property
    def numbers(self) -> list[Decimal]:
        """The row's numeric cells' values, in column order."""
        return [v for v in self.values if v is not None]


@dataclass
class TruthTable:
    """One truth table of a document: an id, the page it is on (PDF) or None, its rows and its number format."""

    id: str
    doc: Path
    page: int | None
    rows: list[TruthRow]
    fmt: NumberFormat
    doubts: list[str] = field(default_factory=list)
    relation: str = ""

    @property
    def data_rows(self) -> list[TruthRow]:
        """The rows below the header that print at least one number: the rows scored."""
        return [r for r in self.rows if not r.header and r.numbers]

    @property
    def numeric_cells(self) -> int:
        """How many numbers the table's data rows print."""
        return sum(len(r.numbers) for r in self.data_rows)

    @property
    def numeric_columns(self) -> int:
        """How many grid columns hold a number in some data row."""
        return len({j for r in self.data_rows for j, v in enumerate(r.values) if v is not None})


PLACEHOLDER = re.compile(r"^(?:[-–—−‒.…:x×*]+|n\.?a\.?|n/a|na|nd|\(d\)|\(na\)|nil|none|null|-+\s*-+)$", re.I)


def cells_to_label_indices(cells: list[str], values: list[Decimal | None]) -> list[int]:
    """Given a row's cells and their values, return the positions of its label's cells: the leftmost run of non-empty
    non-numeric cells that are not placeholders (`—`, `n/a`, `..`); an empty cell inside the run does not end it, a
    number does."""
    run: list[int] = []
    for j, (text, value) in enumerate(zip(cells, values)):
        if value is not None or (text and PLACEHOLDER.match(text)):
            if run:
                break
            continue
        if text:
            run.append(j)
    return run


def numbers_are_years(numbers: list[Decimal]) -> bool:
    """Given a row's numbers, return whether they read as a header of years over the columns (at least two whole
    numbers from 1800 to 2100, increasing or decreasing: statements print the latest year first, `2024 2023`)."""
    return (
        len(numbers) >= 2
        and all(n == n.to_integral_value() and 1800 <= n <= 2100 for n in numbers)
        and numbers in (sorted(numbers), sorted(numbers, reverse=True))
    )


def cells_to_label(cells: list[str], values: list[Decimal | None]) -> str:
    """Given a row's cells and their values, return its label: its label cells' texts joined by a space."""
    return " ".join(cells[j] for j in cells_to_label_indices(cells, values))


def grid_to_table(
    table_id: str, doc: Path, page: int | None, grid: list[list[str]], header_rows: int = 0
) -> TruthTable:
    """Given a table's grid of printed cells (rows of equal length), return the truth table: its format decided from
    its cells, each row's values and label, the header marked (the first `header_rows` rows, and every row above the
    first one with both a label and a number), and the relation it carries, if any."""
    width = max((len(r) for r in grid), default=0)
    grid = [[text_to_clean(c) for c in r] + [""] * (width - len(r)) for r in grid]
    fmt, doubts = texts_to_format(c for r in grid for c in r)
    table = _grid_to_rows(table_id, doc, page, grid, header_rows, fmt, doubts)
    if any("no decimal evidence" in d for d in doubts):
        # `3.597` with no decimal evidence: `.` groups thousands when a relation holds only so, or when every other
        # number of the table is a whole number
        alt = _grid_to_rows(table_id, doc, page, grid, header_rows, NumberFormat((".",), ","), doubts)
        whole = all(v == v.to_integral_value() for r in alt.data_rows for v in r.numbers)
        if (alt.relation and not table.relation) or (whole and (alt.relation or not table.relation)):
            alt.doubts = [*doubts, f"read `.` as thousands ({'a relation holds' if alt.relation else 'all whole'})"]
            return alt
    return table


def _grid_to_rows(
    table_id: str,
    doc: Path,
    page: int | None,
    grid: list[list[str]],
    header_rows: int,
    fmt: NumberFormat,
    doubts: list[str],
) -> TruthTable:
    """Given a table's clean grid, header row count and number format, return the truth table read under it."""
    rows = []
    for cells in grid:
        values = [printed_to_number(c, fmt) if c else None for c in cells]
        rows.append(TruthRow(cells, values, cells_to_label(cells, values)))
    first = next((i for i, r in enumerate(rows) if r.label and r.numbers and not numbers_are_years(r.numbers)), None)
    if first is None:  # no label text at all: the first column is the key (a year, a code), not a number of the row
        for r in rows:
            r.label, r.values = r.cells[0] if r.cells else "", [None, *r.values[1:]]
        first = next((i for i, r in enumerate(rows) if r.label and r.numbers), 0)
    for i, r in enumerate(rows):
        r.header = i < max(first, header_rows)
    table = TruthTable(table_id, doc, page, rows, fmt, list(doubts))
    table.relation = table_to_relation(table)
    return table


def icdar_to_tables(str_xml: Path) -> list[TruthTable]:
    """Given an ICDAR 2013 structure file (`X-str.xml`), return its tables (id `X#n`, page from the region)."""
    from lxml import etree

    doc = str_xml.with_name(str_xml.name.replace("-str.xml", ".pdf"))
    tables = []
    for t in etree.parse(str(str_xml)).getroot().iter("table"):
        for k, region in enumerate(t.iter("region")):
            cells = {}
            for c in region.iter("cell"):
                content = c.findtext("content") or ""
                cells[(int(c.get("start-row")), int(c.get("start-col")))] = content.replace("\n", " ")
            if not cells:
                continue
            row_ids = sorted({r for r, _ in cells})
            width = max(col for _, col in cells) + 1
            grid = [[cells.get((r, j), "") for j in range(width)] for r in row_ids]
            suffix = f".{k + 1}" if k else ""
            tables.append(grid_to_table(f"{doc.stem}#{t.get('id')}{suffix}", doc, int(region.get("page")), grid))
    return tables


def html_to_root(html: bytes):  # type: ignore[no-untyped-def]
    """Given a page's bytes, return its lxml root (the encoding told by its meta or BOM, else detected, as a browser
    does) with scripts, styles, comments and hidden elements gone (`display:none`, and Wikipedia's `sortkey` spans
    that its style sheet hides)."""
    import lxml.html
    from bs4.dammit import UnicodeDammit

    text = UnicodeDammit(html, is_html=True).unicode_markup or html.decode("utf-8", "replace")
    root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    hidden = [el for el in root.xpath("//*[@style]") if re.search(r"display\s*:\s*none", el.get("style") or "", re.I)]
    hidden += root.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' sortkey ')]"
    )  # hidden by Wikipedia's CSS
    for el in [*root.xpath("//script|//style|//comment()|//noscript|//template"), *hidden]:
        if el.getparent() is not None:
            el.drop_tree()
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    return root


def _span(cell, name: str) -> int:  # type: ignore[no-untyped-def]
    """Given a cell and `colspan` or `rowspan`, return the span (1 when absent or unreadable, at most 100)."""
    m = re.match(r"\s*(\d+)", cell.get(name) or "")
    return min(max(int(m.group(1)), 1), 100) if m else 1


def html_table_to_grid(table) -> tuple[list[list[str]], int]:  # type: ignore[no-untyped-def]
    """Given an lxml `<table>`, return the grid of its own rows (spans expanded, a spanned cell's text at its start, ""
    in the slots it covers, "" for a cell holding another table: that table is read on its own) and how many leading
    rows are header rows (in `<thead>`)."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    header_rows = 0
    own = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    for i, tr in enumerate(own):
        row: dict[int, str] = {j: t for (r, j), t in pending.items() if r == i}
        j = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while j in row:
                j += 1
            text = "" if cell.find(".//table") is not None else cell.text_content()  # a nested table is a table
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for dj in range(colspan):
                row[j + dj] = text if dj == 0 else ""
                for di in range(1, rowspan):
                    pending[(i + di, j + dj)] = ""
            j += colspan
        width = max(row, default=-1) + 1
        grid.append([row.get(k, "") for k in range(width)])
        parent = tr.getparent()
        if parent is not None and parent.tag == "thead" and header_rows == i:
            header_rows = i + 1
    return grid, header_rows


def html_to_tables(path: Path, min_numbers: int = 3) -> list[TruthTable]:
    """Given an HTML page, return its truth tables: each `<table>` whose own data rows (those of the tables in its
    cells aside) print at least `min_numbers` numbers in at least two rows (id `page.html#k`, k counting every
    `<table>` in document order). A table that holds tables counts only where at least `min_numbers` of its own rows
    print a number: one that lays out the page (a text block around the real table) is no table of data."""
    root = html_to_root(path.read_bytes())
    tables = []
    for k, table in enumerate(root.iter("table")):
        grid, header_rows = html_table_to_grid(table)
        if (
            table.find(".//table") is not None
            and sum(any(re.fullmatch(r"[\s$(−–-]*\d[\d.,\s]*[)%]?\s*", c) for c in r) for r in grid) < min_numbers
        ):
            continue
        truth = grid_to_table(f"{path.name}#{k}", path, None, grid, header_rows)
        if truth.numeric_cells >= min_numbers and len(truth.data_rows) >= 2:
            tables.append(truth)
    return tables


def tsv_to_tables(path: Path, min_numbers: int = 3) -> list[TruthTable]:
    """Given a text file, return the truth tables of its tab-separated blocks (consecutive lines with a tab; lines
    starting with `#` are comments): each cell as printed between tabs."""
    text = path.read_text(encoding="utf-8", errors="replace")
    blocks: list[list[list[str]]] = [[]]
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if "\t" in line:
            blocks[-1].append(line.split("\t"))
        elif blocks[-1]:
            blocks.append([])
    tables = []
    for k, grid in enumerate(b for b in blocks if b):
        truth = grid_to_table(f"{path.name}#{k}", path, None, grid)
        if truth.numeric_cells >= min_numbers and len(truth.data_rows) >= 2:
            tables.append(truth)
    return tables


def _totals_row(values: list[list[Decimal | None]], r: int, totals_like: bool) -> bool:
    """Given a table's value grid, a row and whether its label reads as a total, return whether the row is the column
    sums of a run of at least two rows right above or right below it, in every column where it prints a number (at
    least two columns, or one for a row labelled as a total)."""
    cols = [j for j, v in enumerate(values[r]) if v is not None]
    if not cols or (len(cols) < 2 and not totals_like):
        return False
    for step in (-1, 1):
        sums = dict.fromkeys(cols, Decimal(0))
        i, n = r + step, 0
        while 0 <= i < len(values):
            for j in cols:
                v = values[i][j] if j < len(values[i]) else None
                sums[j] += v or 0
            n += 1
            if n >= 2 and all(sums[j] == values[r][j] for j in cols) and any(sums[j] for j in cols):
                return True
            i += step
    return False


TOTALS_LABEL = re.compile(r"total|\bsum\b|\ball\b|overall|insgesamt|gesamt|totaal|\beu[- ]?\d+", re.I)


def _column_relation(values: list[list[Decimal | None]]) -> str:
    """Given a table's value grid, return a column relation that holds on every row with the columns printed (at
    least three such rows): `c = a + b`, `c = a - b`, or `c = sum(a..b)` over adjacent columns; "" if none."""
    width = max((len(r) for r in values), default=0)
    cols = [[r[j] if j < len(r) else None for r in values] for j in range(width)]

    def holds(target: int, parts: list[int], signs: list[int]) -> bool:
        rows = [i for i in range(len(values)) if all(cols[j][i] is not None for j in [target, *parts])]
        if len(rows) < 3:
            return False
        ok = all(sum(s * cols[j][i] for j, s in zip(parts, signs)) == cols[target][i] for i in rows)  # type: ignore[misc]
        return ok and any(cols[target][i] for i in rows)

    numeric = [j for j in range(width) if sum(v is not None for v in cols[j]) >= 3]
    for c in numeric:
        for a, b in combinations([j for j in numeric if j != c], 2):
            if holds(c, [a, b], [1, 1]):
                return f"column {c} = {a} + {b}"
            if holds(c, [a, b], [1, -1]):
                return f"column {c} = {a} - {b}"
            if holds(c, [b, a], [1, -1]):
                return f"column {c} = {b} - {a}"
        for lo in range(len(numeric)):
            for hi in range(lo + 2, len(numeric)):
                run = numeric[lo : hi + 1]
                if c not in run and holds(c, run, [1] * len(run)):
                    return f"column {c} = sum({run[0]}..{run[-1]})"
    return ""


def table_to_relation(table: TruthTable) -> str:
    """Given a truth table, return the relation it carries, exactly as printed: a totals row (the column sums of a run
    of rows above or below it) or a column the sum or difference of others; "" if none."""
    rows = table.data_rows
    values = [r.values for r in rows]
    for r, row in enumerate(rows):
        if _totals_row(values, r, bool(TOTALS_LABEL.search(row.label))):
            return f"totals row {row.label or r!r}"
    return _column_relation(values)


def table_to_runtogether(table: TruthTable) -> str:
    """Given a truth table, return it flattened the way a scraper loses cell boundaries: each header row as its cells
    joined by a space, then each other row as its cells in column order with NO separator (the label followed
    immediately by the first number), one line per row."""
    lines = []
    for row in table.rows:
        cells = [c for c in row.cells if c]
        if not cells:
            continue
        if row.header:
            lines.append(" ".join(cells))
            continue
        label = cells_to_label_indices(row.cells, row.values)
        pieces = [
            row.label if label and j == label[0] else c for j, c in enumerate(row.cells) if c and j not in label[1:]
        ]
        lines.append("".join(pieces))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------------------
# Camelot's own test PDFs: the tables its authors expect (`data.py`), placed by its test modules


CAMELOT_TEST_MODULES = ("test_common.py", "test_lattice.py", "test_hybrid.py", "test_network.py")
CAMELOT_ROTATED = re.compile(r"clockwise")  # clockwise_table_*, anticlockwise_table_*: text turned 90°
CAMELOT_ENCRYPTED = ("health_protected.pdf",)


@dataclass
class CamelotCase:
    """One expected table of Camelot's tests: the `data.py` name, the PDF (relative to the tests folder), the page,
    the flavour and options the test passes to `camelot.read_pdf`, the index of the table it compares, the test."""

    data: str
    pdf: str
    page: int
    flavor: str
    options: dict[str, object]
    index: int
    test: str


def _data_value(node: object, env: dict[str, list[list[str]]]) -> list[list[str]] | None:
    """Given an assignment's value in `data.py`, return the grid it makes (a list literal, another name, a slice of
    one, `list(name)`), or None when it is anything else."""
    import ast

    if isinstance(node, ast.Name):
        return env.get(node.id)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "list"
        and len(node.args) == 1
    ):
        inner = _data_value(node.args[0], env)
        return None if inner is None else list(inner)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        inner = _data_value(node.value, env)
        try:
            bounds = [None if b is None else ast.literal_eval(b) for b in (node.slice.lower, node.slice.upper)]
        except ValueError:
            return None
        return None if inner is None or node.slice.step is not None else inner[bounds[0] : bounds[1]]
    try:
        value = ast.literal_eval(node)  # type: ignore[arg-type]
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(r, list) and all(isinstance(c, str) for c in r) for r in value):
        return value
    return None


def camelot_data_to_grids(data_py: Path) -> dict[str, list[list[str]]]:
    """Given Camelot's `tests/data.py`, return its expected tables by name, read with `ast` (never imported): each
    module-level assignment of a list of rows of strings, or of a slice of / `list()` of an earlier one; a name
    assigned twice keeps its last value, as an import would."""
    import ast

    env: dict[str, list[list[str]]] = {}
    for stmt in ast.parse(data_py.read_text(encoding="utf-8")).body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = _data_value(stmt.value, env)
            if value is not None:
                env[stmt.targets[0].id] = value
        elif (  # data_network_flag_size.extend(data_stream_flag_size)
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute)
            and stmt.value.func.attr == "extend"
            and isinstance(stmt.value.func.value, ast.Name)
            and stmt.value.func.value.id in env
            and len(stmt.value.args) == 1
        ):
            more = _data_value(stmt.value.args[0], env)
            if more is not None:
                env[stmt.value.func.value.id] = env[stmt.value.func.value.id] + more
    return env


def _test_path(node: object, names: dict[str, str]) -> str | None:
    """Given the file argument of `camelot.read_pdf` in a test, return the PDF path it names relative to the tests
    folder (`os.path.join(testdir, "x.pdf")`, possibly inside `Path(...)`, or a variable holding one), else None."""
    import ast

    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Path" and len(node.args) == 1:
            return _test_path(node.args[0], names)
        if isinstance(func, ast.Attribute) and func.attr == "join":
            parts = [a.value for a in node.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if len(parts) == len(node.args) - 1 and parts:
                return "/".join(parts)
    return None


def _compared(node: object) -> tuple[str, str, int] | None:
    """Given a call in a test, return (frame variable, tables variable, index) when it compares an expected frame with
    a table Camelot read: `assert_frame_equal(df, tables[0].df)` or `df.equals(tables[1].df)`."""
    import ast

    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name) and node.func.id == "assert_frame_equal" and len(node.args) >= 2:
        frame, other = node.args[0], node.args[1]
    elif isinstance(node.func, ast.Attribute) and node.func.attr == "equals" and len(node.args) == 1:
        frame, other = node.func.value, node.args[0]
    else:
        return None
    if (
        isinstance(frame, ast.Name)
        and isinstance(other, ast.Attribute)
        and other.attr == "df"
        and isinstance(other.value, ast.Subscript)
        and isinstance(other.value.value, ast.Name)
        and isinstance(other.value.slice, ast.Constant)
        and isinstance(other.value.slice.value, int)
    ):
        return frame.id, other.value.value.id, other.value.slice.value
    return None


def camelot_test_to_cases(module: Path) -> tuple[list[CamelotCase], list[str]]:
    """Given one of Camelot's test modules, return the expected tables its tests compare (read with `ast`, statement
    by statement: `df = pd.DataFrame(data_x)`, `filename = os.path.join(testdir, "x.pdf")`, `tables =
    camelot.read_pdf(filename, flavor=..., pages=..., ...)`, then `assert_frame_equal(df, tables[i].df)`), and a note
    for each comparison it cannot place (options that are no literal, pages other than one page)."""
    import ast

    cases, notes = [], []
    for fn in ast.parse(module.read_text(encoding="utf-8")).body:
        if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test"):
            continue
        frames: dict[str, str] = {}
        names: dict[str, str] = {}
        reads: dict[str, tuple[str, dict[str, object]] | str] = {}  # a read, or why it cannot be placed
        for stmt in ast.walk(fn):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target, value = stmt.targets[0].id, stmt.value
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
                    if value.func.attr == "DataFrame" and value.args and isinstance(value.args[0], ast.Name):
                        frames[target] = value.args[0].id
                        continue
                    if value.func.attr == "read_pdf" and value.args:
                        path = _test_path(value.args[0], names)
                        try:
                            options = {k.arg: ast.literal_eval(k.value) for k in value.keywords if k.arg}
                        except ValueError:
                            reads[target] = "an option that is no literal"
                            continue
                        reads[target] = (path, options) if path else "a file that is no literal path"
                        continue
                path = _test_path(value, names)
                if path:
                    names[target] = path
            elif isinstance(stmt, ast.Expr | ast.Assert):
                compared = _compared(stmt.value if isinstance(stmt, ast.Expr) else stmt.test)
                if compared is None:
                    continue
                frame, tables, index = compared
                data, read = frames.get(frame), reads.get(tables)
                where = f"{module.name}::{fn.name}"
                if data is None or read is None:
                    notes.append(f"{where}: cannot tell which expected table or read is compared")
                    continue
                if isinstance(read, str):
                    notes.append(f"{where}: {data}: {read}")
                    continue
                path, options = read
                pages = str(options.pop("pages", "1"))
                flavor = str(options.pop("flavor", "lattice"))
                if not pages.isdigit():
                    notes.append(f"{where}: {data}: pages {pages!r} (tables[{index}] of several pages)")
                    continue
                cases.append(CamelotCase(data, path, int(pages), flavor, options, index, where))
    return cases, notes


DEFAULT_CAMELOT_SAME_TABLE = 0.8  # share of a table's numbers found in an earlier one on its page: the same table


def case_to_rank(case: CamelotCase) -> tuple[bool, int]:
    """Given a test case, return its rank among the readings of one table: a reading that rewrites the text
    (`strip_text`) last, then fewer options first (the page as printed, Camelot left to its defaults)."""
    return "strip_text" in case.options, len(case.options)


def camelot_to_tables(folder: Path) -> tuple[dict[Path, list[tuple[TruthTable, CamelotCase]]], list[str]]:
    """Given the camelot-tests folder, return each scorable PDF's truth tables (id `pdf#data_name`, numeric cells
    only; of the tables of one page that share at least `DEFAULT_CAMELOT_SAME_TABLE` of their numbers, the same
    table as several tests read it, only the best-ranked reading, `case_to_rank`) with the test case each comes
    from, and the fixtures and tables skipped, each with its reason."""
    grids = camelot_data_to_grids(folder / "data.py")
    cases: list[CamelotCase] = []
    skipped: list[str] = []
    for name in CAMELOT_TEST_MODULES:
        if (folder / name).exists():
            found, notes = camelot_test_to_cases(folder / name)
            cases += found
            skipped += notes
    from collections import Counter

    out: dict[Path, list[tuple[TruthTable, CamelotCase]]] = {}
    placed: set[str] = set()
    for case in sorted(cases, key=case_to_rank):
        pdf = folder / case.pdf
        placed.add(case.pdf)
        why = (
            "not in the corpus"
            if not pdf.exists()
            else "not a PDF"
            if pdf.suffix.lower() != ".pdf"
            else "rotated page (text turned 90°)"
            if CAMELOT_ROTATED.search(pdf.name)
            else "encrypted (password)"
            if pdf.name in CAMELOT_ENCRYPTED
            else "no such table in data.py"
            if case.data not in grids
            else ""
        )
        if why:
            skipped.append(f"{case.pdf} ({case.data}, {case.test}): {why}")
            continue
        truth = grid_to_table(f"{pdf.name}#{case.data}", pdf, case.page, grids[case.data])
        if not truth.numeric_cells:
            skipped.append(f"{case.pdf} ({case.data}, {case.test}): no numeric cell")
            continue
        mine = Counter(v for r in truth.data_rows for v in r.numbers)
        same = [
            t
            for t, _ in out.get(pdf, [])
            if t.page == truth.page
            and sum((mine & Counter(v for r in t.data_rows for v in r.numbers)).values())
            >= DEFAULT_CAMELOT_SAME_TABLE * min(truth.numeric_cells, t.numeric_cells)
        ]
        if same:
            skipped.append(f"{case.pdf} ({case.data}, {case.test}): the same table as {same[0].id}")
            continue
        out.setdefault(pdf, []).append((truth, case))
    for pdf in sorted(folder.iterdir()):
        if pdf.name in placed or pdf.suffix in (".py",) or pdf.name == "LICENSE":
            continue
        skipped.append(f"{pdf.name}: no expected table of data.py is compared with it by a test of the four modules")
    used = {c.data for c in cases}
    skipped += [f"data.py {name}: no test of the four modules compares it" for name in grids if name not in used]
    return out, skipped
