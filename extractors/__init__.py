"""Extract: turn a fetched Source into a Document of lines, one extractor per kind.

Each extractor also says which tables kept their cells (``Document.tables``): HTML finds them as
``<table>`` elements; for PDF and text they are the runs of consecutive lines whose cells the source
kept (words under columns found from the page's geometry, tab-separated fields), grouped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from recover.model import Document, Line, PrintedTable, Source


def lines_to_printed_tables(lines: tuple[Line, ...], kind: str) -> tuple[PrintedTable, ...]:
    """Given a document's lines, return the runs of consecutive lines with printed cells, on one page and of one
    width (at least two lines), as tables whose cells the page kept."""
    out: list[PrintedTable] = []
    run: list[Line] = []

    def close() -> None:
        if len(run) >= 2:
            out.append(PrintedTable(tuple(l.cells or () for l in run), tuple(l.number for l in run), None, "", kind))
        run.clear()

    for line in lines:
        if line.cells is not None and len(line.cells) >= 2:
            if run and (line.page != run[-1].page or len(line.cells) != len(run[-1].cells or ())):
                close()
            run.append(line)
        else:
            close()
    close()
    return tuple(out)


#: Longest line read as one cell of a table printed one cell a line.
DEFAULT_MAX_CELL_LINE_CHARS = 60
#: Fewest rows (beside its header) of a table printed one cell a line.
DEFAULT_MIN_CELL_LINE_ROWS = 2


#: Most empty lines between two cells of one row printed one cell a line: each gap size up to this is tried as the one
#: that ends a row (``get_text()`` of an SEC R page: one empty line between cells, three between rows).
DEFAULT_MAX_CELL_LINE_ROW_GAP = 4
#: Longest line read as the first cell (the label) of a row printed one cell a line.
DEFAULT_MAX_CELL_LINE_LABEL_CHARS = 120
#: Longest line read as a section label standing alone between the rows of such a table.
DEFAULT_MAX_CELL_LINE_SECTION_CHARS = 80
#: Most rows a few cells short in a row between the rows of a table printed one cell a line (each read as unreadable).
DEFAULT_MAX_CELL_LINE_UNPLACED = 1
#: Share of a column's printed cells with a figure above which a word printed once in it makes its row stray.
DEFAULT_MIN_CELL_LINE_FIGURE_SHARE = 0.6
#: Most blocks above a table printed one cell a line read as its header.
DEFAULT_MAX_CELL_LINE_HEADER_BLOCKS = 3
#: Most empty lines between a table printed one cell a line and a block above it read as its header or title.
DEFAULT_MAX_CELL_LINE_HEADER_GAP = 6
#: A reading of a stretch of lines is taken over another that groups the same lines otherwise only when it reads at
#: least this many times as many cells; otherwise neither is read.
DEFAULT_CELL_LINE_MARGIN = 2


_FIGURE = re.compile(r"[\s$€£(+\-−–]*\d[\d.,\s]*[)%]?")


def _has_figure(text: str) -> bool:
    """Whether a cell prints a figure 0-9 (``km²`` prints none)."""
    return any("0" <= ch <= "9" for ch in text)


def _cell_line_kind(text: str) -> str:
    """Given a line of a text flattened by ``get_text()``, return what it is: ``empty`` (nothing: the gaps between cells
    and rows are counted in these), ``indent`` (a run of spaces or tabs, a pretty-printed page's indentation inside a
    cell: neither a cell nor a gap), ``blank`` (a no-break space, or one or two spaces: a blank cell) or ``cell``."""
    if not text:
        return "empty"
    if text.strip():
        return "cell"
    if "\xa0" in text or (len(text) <= 2 and "\t" not in text):
        return "blank"
    return "indent"


@dataclass
class _Block:
    """Lines of one row printed one cell a line and its cells (``""`` a blank cell, an empty line's among them)."""

    lines: list[Line]
    cells: list[str]
    width: int = 0
    gap: int = 0  # empty lines above it
    row: bool = True  # False: a tab-separated line or a long cell beside the first (no row of cells)


def _items(lines: tuple[Line, ...]) -> list[tuple[int, Line, str]]:
    """Given lines, return the lines that print a cell or a blank cell, each with the empty lines just above it and its
    cell's text (a tab-separated line's: a tab)."""
    out: list[tuple[int, Line, str]] = []
    gap = 0
    for line in lines:
        kind = "cell" if line.cells is not None else _cell_line_kind(line.text)
        if kind == "empty":
            gap += 1
        elif kind != "indent":
            out.append((gap, line, line.text.strip() if line.cells is None else "\t"))
            gap = 0
    return out


def _to_blocks(items: list[tuple[int, Line, str]], row_gap: int, cell_gap: int) -> list[_Block]:
    """Given the cell lines with their gaps, return the rows they make when a gap of ``row_gap`` empty lines or more
    ends a row and each empty line beyond ``cell_gap`` between two cells of a row stands for a blank cell."""
    out: list[_Block] = []
    block = _Block([], [])
    for gap, line, text in items:
        if gap >= row_gap or not block.lines:
            block = _Block([], [], 0, gap)
            out.append(block)
        else:
            if gap > cell_gap:
                block.cells.extend([""] * (gap - cell_gap))
            if len(text) > DEFAULT_MAX_CELL_LINE_CHARS or text == "\t":
                block.row = False  # a long cell beside the first, or a tab-separated line: no row of cells
        if text == "\t":
            block.row = False
        block.lines.append(line)
        block.cells.append(text)
    for b in out:
        b.width = len(b.cells)
    return out


def _is_row(block: _Block) -> bool:
    """Whether a block can be a row of cells: no tab-separated line in it, a label line and short cells."""
    if not block.row:
        return False
    first = block.cells[0]
    if first and not any(ch.isalnum() for ch in first):
        return False  # a lone `$` or `%` labels no row: the cells of a row the gaps cut apart
    return len(first) <= DEFAULT_MAX_CELL_LINE_LABEL_CHARS


def _is_section(block: _Block) -> bool:
    """Whether a block of one line is a section label between rows (short text, not a sentence, no figure alone)."""
    t = block.cells[0] if block.width == 1 else ""
    return (
        bool(t)
        and len(t) <= DEFAULT_MAX_CELL_LINE_SECTION_CHARS
        and not t.endswith(".")
        and any(ch.isalpha() for ch in t)
        and block.lines[0].cells is None
    )


def _digit_columns(rows: list[_Block], n: int) -> bool:
    """Whether every column but the first prints a figure in every non-blank cell of the rows, and some figure."""
    return all(
        all(_has_figure(r.cells[j]) for r in rows if r.cells[j].strip()) and any(r.cells[j].strip() for r in rows)
        for j in range(1, n)
    )


def _runs(blocks: list[_Block]) -> list[tuple[int, int, int]]:
    """Given blocks, return the runs that are a table's body: (first block, end, width): consecutive rows of one width
    (two or more cells), section labels and blank rows between them, and a row of fewer cells (more than half) between
    two of them (a cell the page left empty printed nothing: its cells cannot be placed); at least
    DEFAULT_MIN_CELL_LINE_ROWS rows with a cell beyond their first that is a figure (``8,163``, ``(765)``, ``12.5%``:
    a header's ``Col 1`` or ``Sep. 28, 2024`` is none)."""
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.width < 2 or not _is_row(b) or not b.cells[0] or not any(c.strip() for c in b.cells):
            i += 1
            continue
        n, j, last, off = b.width, i, i, 0
        while j < len(blocks):
            c = blocks[j]
            if c.width == n and _is_row(c):
                last, off = j, 0
            elif n / 2 < c.width < n and _is_row(c) and c.cells[0] and off < DEFAULT_MAX_CELL_LINE_UNPLACED:
                off += 1  # a row a few cells short between rows of the table's: its cells cannot be placed
            elif not (_is_section(c) or not any(x.strip() for x in c.cells)):
                break
            j += 1
        # a row a few cells short right after the last full one is the table's last row (eu medieval's `1500`, whose
        # rowspan cell printed nothing): kept, its cells unplaced, where it prints a figure beyond its label
        tail = last + 1
        while (
            tail < len(blocks)
            and tail - last <= DEFAULT_MAX_CELL_LINE_UNPLACED
            and n / 2 < blocks[tail].width < n
            and _is_row(blocks[tail])
            and blocks[tail].cells[0]
            and any(_FIGURE.fullmatch(x) for x in blocks[tail].cells[1:])
        ):
            tail += 1
        after = blocks[tail] if tail < len(blocks) else None
        if after is not None and after.width >= 2 and _is_row(after) and after.cells[0]:
            tail = last + 1  # rows go on below: the short row starts them (the next table's first row), not ends this
        rows = [blocks[k] for k in range(i, last + 1) if blocks[k].width == n]
        last = tail - 1
        figures = sum(1 for r in rows if any(_FIGURE.fullmatch(x) for x in r.cells[1:]))
        if figures >= DEFAULT_MIN_CELL_LINE_ROWS:
            out.append((i, last + 1, n))
        i = last + 1  # a run that is no table holds none either (each block is read once)
    return out


def _stray_rows(rows: list[_Block], n: int) -> set[int]:
    """Given the full rows of a table printed one cell a line, return (by id) those whose cells may stand shifted: a
    word printed once in a column of figures (``Chicago`` / ``Heights`` / ``1,234`` / ``567``: a label on two lines
    and a cell that printed nothing make a row of the table's width, its figures one column off). A word repeated down
    the column (``Total``) is the column's own."""
    out: set[int] = set()
    for j in range(1, n):
        cells = [r.cells[j] for r in rows if r.cells[j].strip()]
        figures = sum(1 for c in cells if _has_figure(c))
        if not cells or figures < DEFAULT_MIN_CELL_LINE_FIGURE_SHARE * len(cells):
            continue
        words = [c for c in cells if not _has_figure(c) and any(ch.isalpha() for ch in c)]
        once = {w for w in words if words.count(w) == 1}
        # a row that prints no figure publishes none (a header row of names is printed.py's to find)
        out.update(id(r) for r in rows if r.cells[j] in once and any(_has_figure(c) for c in r.cells[1:]))
    return out


def _run_to_table(blocks: list[_Block], start: int, end: int, n: int, prev_end: int) -> tuple[PrintedTable, set[int]]:
    """Given blocks and a run of them (its width), return its table and the lines it covers: the rows of the run (a
    section label padded with blank cells, blank rows left out), and above it the header: blocks of the run's width,
    or of one cell fewer over columns of figures (a header over the numbers, the label column's header left blank)."""
    body = [b for b in blocks[start:end] if any(x.strip() for x in b.cells)]
    head: list[_Block] = []
    caption = ""
    k = start - 1
    while (
        k >= max(prev_end, start - DEFAULT_MAX_CELL_LINE_HEADER_BLOCKS)
        and _is_row(blocks[k])
        and blocks[k + 1].gap <= DEFAULT_MAX_CELL_LINE_HEADER_GAP
    ):
        b = blocks[k]
        if b.width == n:
            head.insert(0, b)
        elif b.width == n - 1 and _digit_columns([r for r in body if r.width == n], n):
            head.insert(0, _Block(b.lines, ["", *b.cells], n))
        else:
            if b.width <= 3 and all(x.strip() and not _FIGURE.fullmatch(x) for x in b.cells):
                caption = " ".join(b.cells)
                head.insert(0, _Block(b.lines, [], 0))
            break
        k -= 1
    header = sum(1 for b in head if b.width)
    grid = [tuple(b.cells) + ("",) * (n - len(b.cells)) for b in head if b.width]
    unplaced = []
    stray = _stray_rows([b for b in body if b.width == n], n)
    for b in body:
        if (b.width > 1 and b.width != n) or id(b) in stray:
            unplaced.append(len(grid))  # its label, its cells left empty and said (printed.py)
            grid.append((b.cells[0],) + ("",) * (n - 1))
        else:
            grid.append(tuple(b.cells) + ("",) * (n - b.width))
    numbers = tuple(b.lines[0].number for b in head if b.width) + tuple(b.lines[0].number for b in body)
    covers = {l.number for b in [*head, *body] for l in b.lines}
    table = PrintedTable(
        tuple(grid), numbers, header or None, caption, "lines", covers=tuple(sorted(covers)), unplaced=tuple(unplaced)
    )
    return table, covers


def lines_to_gap_tables(lines: tuple[Line, ...]) -> tuple[PrintedTable, ...]:
    """Given a text's lines, return the tables printed one cell a line whose rows the empty lines between them tell
    apart, as ``get_text()`` prints a page's tables: a gap of some size ends a row (two empty lines on an SEC R page,
    one elsewhere), a shorter one parts two cells; a line holding a no-break space is a blank cell, and where the
    cells of a row stand on consecutive lines (a Wikipedia table) an empty line between two is a blank cell (an empty
    ``<td>``). Each gap size up to DEFAULT_MAX_CELL_LINE_ROW_GAP is tried; a stretch two readings group otherwise is
    read the way that reads DEFAULT_CELL_LINE_MARGIN times as many cells, else not at all."""
    items = _items(lines)
    found: list[tuple[int, PrintedTable, set[int], tuple[tuple[int, ...], ...]]] = []
    sizes = {gap for gap, _, _ in items}
    tried: set[tuple[frozenset[int], frozenset[int]]] = set()
    for row_gap in range(1, DEFAULT_MAX_CELL_LINE_ROW_GAP + 1):
        for cell_gap in sorted({0, 1} & set(range(row_gap))):
            # two gap sizes that part the same rows and the same blank cells read the same: read once
            key = (
                frozenset(g for g in sizes if g >= row_gap),
                frozenset(g - cell_gap for g in sizes if cell_gap < g < row_gap),
            )
            if key in tried:
                continue
            tried.add(key)
            blocks = _to_blocks(items, row_gap, cell_gap)
            prev = 0
            for start, end, n in _runs(blocks):
                table, covers = _run_to_table(blocks, start, end, n, prev)
                prev = end
                rows = tuple(tuple(l.number for l in b.lines) for b in blocks[start:end] if any(b.cells))
                cells = sum(1 for r in table.rows for c in r if c.strip())
                found.append((cells, table, covers, rows))
    # the readings that read most first; one over the lines of another is its equal (the same rows) or its rival
    found.sort(key=lambda f: (-f[0], sum(len(r) for r in f[1].rows), f[1].lines[0]))
    kept: list[tuple[int, PrintedTable, set[int], tuple[tuple[int, ...], ...]]] = []
    owner: dict[int, int] = {}  # line -> the kept reading that covers it
    dropped: set[int] = set()
    for f in found:
        rivals = {owner[n] for n in f[2] if n in owner}
        if not rivals:
            owner.update(dict.fromkeys(f[2], len(kept)))
            kept.append(f)
            continue
        for r in rivals:
            g = kept[r]
            same = set(f[3]) <= set(g[3]) or set(g[3]) <= set(f[3])
            if not same and g[0] < DEFAULT_CELL_LINE_MARGIN * f[0]:
                dropped.add(r)
    return tuple(sorted((f[1] for k, f in enumerate(kept) if k not in dropped), key=lambda t: t.lines[0]))


def lines_to_cell_line_tables(lines: tuple[Line, ...]) -> tuple[PrintedTable, ...]:
    """Given a text's lines, return the tables printed one cell a line (``lines_to_gap_tables``: a header of N names
    then rows of N lines, one empty line between rows, is the case of one-line gaps). Rows printed back to back with no
    gap between them (N lines at a time) are not cut: a row of another width there moves every cell after it."""
    return lines_to_gap_tables(lines)


def table_to_extended(table: PrintedTable, own: tuple[PrintedTable, ...]) -> PrintedTable:
    """Given a table Camelot found and the runs of lines whose cells the page's geometry shows (``pdf_columns``), return
    the table with the rows of a run that goes on below it appended: Camelot ends some tables early (eu-025: six of
    twelve rows), while the run holds the rest. Each cell of the run goes to the column of Camelot's table that printed
    the same text on every line both read; without such a column for every cell, the table is returned as it is."""
    at = {n: i for i, n in enumerate(table.lines)}
    for run in own:
        both = [(k, n) for k, n in enumerate(run.lines) if n in at]
        after = [k for k, n in enumerate(run.lines) if n > table.lines[-1]]
        if not both or not after or both[-1][0] + 1 != after[0]:
            continue
        width = max(len(r) for r in table.rows)
        where: list[int] = []
        for c in range(len(run.rows[0])):
            fits = [
                j
                for j in range(width)
                if all(
                    j < len(table.rows[at[n]]) and table.rows[at[n]][j].strip() == run.rows[k][c].strip()
                    for k, n in both
                )
            ]
            if len(fits) != 1 or fits[0] in where:
                return table
            where.append(fits[0])
        rows = list(table.rows)
        for k in after:
            row = [""] * width
            for c, j in enumerate(where):
                row[j] = run.rows[k][c]
            rows.append(tuple(row))
        return replace(table, rows=tuple(rows), lines=table.lines + tuple(run.lines[k] for k in after))
    return table


def source_to_document(source: Source) -> Document:
    """Given a fetched source, return its lines, using the extractor for its kind."""
    if source.kind == "pdf":
        from . import pdf

        doc = pdf.source_to_document(source)  # the tables Camelot's stream mode finds by alignment
        own = lines_to_printed_tables(doc.lines, "pdf")
        found = [table_to_extended(t, own) for t in doc.tables]
        covered = {n for t in found for n in t.lines}
        rest = [t for t in own if not covered.intersection(t.lines)]
        return replace(doc, tables=tuple(sorted([*found, *rest], key=lambda t: t.lines[0])))
    if source.kind == "html":
        from . import html

        return html.source_to_document(source)
    from . import text

    doc = text.source_to_document(source)
    tables = [*lines_to_printed_tables(doc.lines, "text"), *lines_to_cell_line_tables(doc.lines)]
    return replace(doc, tables=tuple(sorted(tables, key=lambda t: t.lines[0])))
