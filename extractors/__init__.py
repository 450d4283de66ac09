"""Extract: turn a fetched Source into a Document of lines, one extractor per kind.

Each extractor also says which tables kept their cells (``Document.tables``): HTML finds them as
``<table>`` elements; for PDF and text they are the runs of consecutive lines whose cells the source
kept (words under columns found from the page's geometry, tab-separated fields), grouped here.
"""

from __future__ import annotations

from dataclasses import replace

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


def _blocks(lines: tuple[Line, ...]) -> list[list[Line]]:
    """Given lines, return the runs of consecutive non-blank lines."""
    out: list[list[Line]] = []
    run: list[Line] = []
    for line in lines:
        if line.text.strip():
            run.append(line)
        elif run:
            out.append(run)
            run = []
    if run:
        out.append(run)
    return out


def lines_to_cell_line_tables(lines: tuple[Line, ...]) -> tuple[PrintedTable, ...]:
    """Given a text's lines, return the tables printed one cell a line, as a page flattened by ``get_text()`` prints
    them: a header of N names, then rows of N cells (blank lines between rows, or none, the rows then taken N lines at
    a time). Every line must be short; a row's cells then stand apart, as printed. Whether its columns hold numbers is
    the reader's to say (recover.printed)."""
    blocks = _blocks(lines)
    out: list[PrintedTable] = []
    i = 0
    while i < len(blocks):
        head = blocks[i]
        n = len(head)
        if n < 2 or any(len(l.text.strip()) > DEFAULT_MAX_CELL_LINE_CHARS or l.cells is not None for l in head):
            i += 1
            continue
        rows: list[list[Line]] = []
        j = i + 1
        while j < len(blocks):
            block = blocks[j]
            if any(len(l.text.strip()) > DEFAULT_MAX_CELL_LINE_CHARS or l.cells is not None for l in block):
                break
            if len(block) == n:
                rows.append(block)
            elif len(block) % n == 0 and len(block) >= 2 * n and not rows:
                rows += [block[k : k + n] for k in range(0, len(block), n)]
            else:
                break
            j += 1
        if len(rows) >= DEFAULT_MIN_CELL_LINE_ROWS:
            grid = [tuple(l.text.strip() for l in head)] + [tuple(l.text.strip() for l in r) for r in rows]
            numbers = tuple([head[0].number] + [r[0].number for r in rows])
            covers = tuple(l.number for b in [head, *rows] for l in b)
            out.append(PrintedTable(tuple(grid), numbers, 1, "", "lines", covers=covers))
            i = j
        else:
            i += 1
    return tuple(out)


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
