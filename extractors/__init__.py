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


def source_to_document(source: Source) -> Document:
    """Given a fetched source, return its lines, using the extractor for its kind."""
    if source.kind == "pdf":
        from . import pdf

        doc = pdf.source_to_document(source)  # the tables Camelot's stream mode finds by alignment
        covered = {n for t in doc.tables for n in t.lines}
        own = [t for t in lines_to_printed_tables(doc.lines, "pdf") if not covered.intersection(t.lines)]
        return replace(doc, tables=tuple(sorted([*doc.tables, *own], key=lambda t: t.lines[0])))
    if source.kind == "html":
        from . import html

        return html.source_to_document(source)
    from . import text

    doc = text.source_to_document(source)
    return replace(doc, tables=lines_to_printed_tables(doc.lines, "text"))
