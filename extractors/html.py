"""HTML: beautifulsoup4 with lxml. Real tables become one line per row, cells apart; the rest becomes text lines.

A ``<table>`` row is written as its cells joined by spaces, so the space between two cells
is hard evidence of a boundary for the solver (its numbers still pass the number grammar
and the rules: a damaged cell is caught, not trusted). ``colspan`` and ``rowspan`` are
expanded, so a two-level header (``Case Status`` over ``Active``, ``Resolved``) keeps its
columns. Text outside tables, and pages whose tables were flattened into ``<p>`` or
``<br>`` lines, are split at block elements and ``<br>``. Scripts, styles, templates and
hidden elements are dropped.
"""

from __future__ import annotations

import re
import sys

from recover.errors import BoundError, SourceKindError
from recover.model import Document, Line, Source

from .text import bytes_to_text

#: Deepest element nesting read; deeper documents are refused.
DEFAULT_MAX_HTML_DEPTH = 2_000
#: Most cells one table may expand to (rows x columns after colspan/rowspan).
DEFAULT_MAX_TABLE_CELLS = 2_000_000
#: Largest colspan or rowspan honoured.
DEFAULT_MAX_SPAN = 1_000

DROP = {"script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object"}
BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "header", "footer", "main", "nav", "aside", "blockquote", "pre", "hr", "dt", "dd", "dl", "figure", "figcaption",
    "caption", "form", "fieldset", "address", "body", "html", "thead", "tbody", "tfoot",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden(tag) -> bool:
    attrs = tag.attrs or {}
    return "hidden" in attrs or attrs.get("aria-hidden") == "true" or bool(_HIDDEN_STYLE.search(attrs.get("style", "") or ""))


def _depth_ok(text: str) -> bool:
    """Return whether the markup nests no deeper than DEFAULT_MAX_HTML_DEPTH (a cheap tag count, before parsing)."""
    depth = 0
    void = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "param", "embed", "track"}
    for m in re.finditer(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>", text):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in void or selfclose:
            continue
        depth += -1 if closing else 1
        if depth > DEFAULT_MAX_HTML_DEPTH:
            return False
    return True


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or 1), DEFAULT_MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    return " ".join(cell.get_text(" ").split())


#: Letters that make a cell's text a label rather than a number or a placeholder (``n/a``, ``NA``).
_LABEL_TEXT = re.compile(r"[^\W\d_]{3,}")


def table_to_rows(table, where: str) -> list[list[str]]:
    """Given a <table> element, return its grid of cell texts with colspan and rowspan expanded."""
    return table_to_grid(table, where)[0]


def table_to_grid(table, where: str) -> tuple[list[list[str]], list[list[bool]]]:
    """Given a <table> element, return its grid of cell texts (colspan and rowspan expanded) and, per
    position, whether it continues a label spanned across columns (not a cell of its own)."""
    grid: dict[tuple[int, int], str] = {}
    label_span: set[tuple[int, int]] = set()
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            if _hidden(cell):
                continue
            while (r, c) in grid:
                c += 1
            text, cs, rs = _cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan")
            for dr in range(rs):
                for dc in range(cs):
                    # a spanned header repeats its text over its columns; a spanned data cell is written once
                    grid[(r + dr, c + dc)] = text if (dr == 0 and dc == 0) or cell.name == "th" else ""
                    if dc and _LABEL_TEXT.search(text):
                        label_span.add((r + dr, c + dc))
            if len(grid) > DEFAULT_MAX_TABLE_CELLS:
                raise BoundError(where, what="a table", limit=f"{DEFAULT_MAX_TABLE_CELLS:,} cells", setting="DEFAULT_MAX_TABLE_CELLS")
            c += cs
    nrows = max((r for r, _ in grid), default=-1) + 1
    ncols = max((c for _, c in grid), default=-1) + 1
    return ([[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)],
            [[(r, c) in label_span for c in range(ncols)] for r in range(nrows)])


def _header_rows_to_text(rows: list[list[str]]) -> list[str]:
    """Given the header rows of a table, return one line per row, repeated spanned texts said once."""
    out = []
    for row in rows:
        cells = [t for i, t in enumerate(row) if t and (i == 0 or t != row[i - 1])]
        out.append(" ".join(cells))
    return out


def _is_header_row(tr_cells: list, row: list[str]) -> bool:
    return all(c.name == "th" for c in tr_cells) and not any(re.fullmatch(r"[\d.,\s]+", t or "x") for t in row[1:])


def html_to_lines(text: str, where: str) -> list[str | tuple[str, tuple[str, ...]]]:
    """Given HTML text, return its lines: a table row as (its text, its cells), other text split at blocks."""
    from bs4 import BeautifulSoup

    if not _depth_ok(text):
        raise BoundError(where, what="element nesting", limit=f"{DEFAULT_MAX_HTML_DEPTH:,} levels", setting="DEFAULT_MAX_HTML_DEPTH")
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, DEFAULT_MAX_HTML_DEPTH * 4 + 1000))
    try:
        soup = BeautifulSoup(text, "lxml")
        for tag in soup.find_all(DROP):
            tag.decompose()
        for tag in soup.find_all(_hidden):
            tag.decompose()
        lines: list = []
        buf: list[str] = []

        def flush() -> None:
            line = " ".join("".join(buf).split())
            buf.clear()
            if line:
                lines.append(line)

        def walk(node) -> None:
            name = getattr(node, "name", None)
            if name is None:
                if type(node).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                    return
                buf.append(str(node))
                return
            if name == "table":
                flush()
                grid, spans = table_to_grid(node, where)
                trs = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
                caption = node.find("caption")
                if caption is not None:
                    lines.append(_cell_text(caption))
                heads, body_started = [], False
                for tr, row, span in zip(trs, grid, spans):
                    cells = tr.find_all(["td", "th"], recursive=False)
                    if not body_started and _is_header_row(cells, row):
                        heads.append(row)
                        continue
                    if heads:
                        lines.extend(_header_rows_to_text(heads))
                        heads = []
                    body_started = True
                    line = " ".join(t for t in row if t)
                    if line:
                        # the row's cells, each one printed cell (an empty <td> is a blank cell)
                        lines.append((line, tuple(t for t, cont in zip(row, span) if not cont)))
                if heads:
                    lines.extend(_header_rows_to_text(heads))
                lines.append("")
                return
            if name in BLOCK:
                flush()
            if name == "br":
                return
            for child in node.children:
                walk(child)
            if name in BLOCK:
                flush()
                if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"):
                    lines.append("")

        walk(soup)
        flush()
    except RecursionError:
        raise BoundError(where, what="element nesting", limit=f"{DEFAULT_MAX_HTML_DEPTH:,} levels", setting="DEFAULT_MAX_HTML_DEPTH") from None
    finally:
        sys.setrecursionlimit(old)
    # collapse runs of blank lines
    out: list = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out


def source_to_document(source: Source) -> Document:
    """Given an HTML source, return its lines (numbered from 1)."""
    text = bytes_to_text(source.data, source.origin)
    lines = html_to_lines(text, source.origin)
    if not any(l if isinstance(l, tuple) else l.strip() for l in lines):
        raise SourceKindError(source.origin, detail="the HTML page holds no text")
    return Document(source, tuple(Line(l[0], i + 1, None, l[1]) if isinstance(l, tuple) else Line(l, i + 1) for i, l in enumerate(lines)))
