"""HTML: lxml's HTML parser (libxml2). Real tables become one line per row, cells apart; the rest becomes text lines.

A ``<table>`` row is written as its cells joined by spaces, so the space between two cells
is hard evidence of a boundary for the solver (its numbers still pass the number grammar
and the rules: a damaged cell is caught, not trusted). ``colspan`` and ``rowspan`` are
expanded, so a two-level header (``Case Status`` over ``Active``, ``Resolved``) keeps its
columns. Text outside tables, and pages whose tables were flattened into ``<p>`` or
``<br>`` lines, are split at block elements and ``<br>``. Scripts, styles, templates and
hidden elements are dropped.

The page is parsed once, by lxml's HTML parser feeding a small tree builder of our own (``_TreeBuilder``): the
same parse events beautifulsoup4's lxml tree builder is given, so the same tree as ``BeautifulSoup(text, "lxml")``
(each run of text between two tags or comments one string, text in ``<rt>``/``<rp>`` kept apart as beautifulsoup4
does), in the one parse that checks the bounds, at about a tenth of beautifulsoup4's cost (the HTML benchmark's 14
pages: 0.07 s against 0.6 s). Dropped and hidden elements are left out as they are parsed, each leaving the text
around it as two strings, as ``decompose`` does (lxml's own tree would join them: ``1<span hidden>x</span>2`` is
the cell ``1 2``, never ``12``). ``table_to_grid`` also takes a beautifulsoup4 table.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from recover.errors import BoundError, SourceKindError
from recover.model import Document, Line, PrintedTable, Source

from .text import bytes_to_text

#: Deepest element nesting read, measured on the parsed tree (end tags HTML lets a page omit are implied); deeper pages are refused.
DEFAULT_MAX_HTML_DEPTH = 2_000
#: Most elements (and comments) one page may hold; the parse stops there. Real pages hold a few thousand (the
#: benchmark's largest, 2,358); beautifulsoup4 built about 20,000 a second here (our parse target: 150,000), so 250,000
#: keep an 8 MB page of tables read in well under 30 s (500,000 took 40 s: a fuzz finding, `bench/fuzz.py --targets
#: html --seed 20`; 40,000 small tables, 200,000 elements: 14 s with beautifulsoup4's tree, 4.5 s now).
DEFAULT_MAX_HTML_ELEMENTS = 250_000
#: Most cells one table may expand to: its rows x its columns after colspan/rowspan.
DEFAULT_MAX_TABLE_CELLS = 2_000_000
#: Most cells all the tables of one page may expand to together.
DEFAULT_MAX_PAGE_CELLS = 5_000_000
#: Most characters the tables of one page may expand to (a spanned header's text is repeated over its columns).
DEFAULT_MAX_PAGE_TABLE_CHARS = 50_000_000
#: Largest colspan or rowspan honoured (a rowspan also ends with its table's rows, as in browsers).
DEFAULT_MAX_SPAN = 1_000

DROP = {"script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object"}
BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "hr",
    "dt",
    "dd",
    "dl",
    "figure",
    "figcaption",
    "caption",
    "form",
    "fieldset",
    "address",
    "body",
    "html",
    "thead",
    "tbody",
    "tfoot",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden_attrs(attrs: dict) -> bool:
    """Given an element's attributes, return whether they hide it (``hidden``, ``aria-hidden="true"``, a style of
    ``display: none`` or ``visibility: hidden``)."""
    if not attrs:
        return False  # most elements
    style = attrs.get("style")
    return "hidden" in attrs or attrs.get("aria-hidden") == "true" or bool(style and _HIDDEN_STYLE.search(style))


def _hidden(tag) -> bool:
    return _hidden_attrs(tag.attrs or {})


class _Ruby(str):
    """Text in an ``<rt>`` or ``<rp>`` (a ruby annotation): read in the page's text lines, left out of a cell's text,
    as beautifulsoup4 does (its ``RubyTextString``, not one of the string types ``get_text`` joins)."""


class _Node:
    """An element of the parsed page, with what beautifulsoup4's ``Tag`` gave the reading: its name, attributes and
    contents (elements and strings, in order), ``get`` and ``get_text``; and, set as the page is parsed, whether it
    holds a table, whether it is or stands in a ``<thead>``, whether its text is ruby text, and (a table) its first
    ``<caption>``."""

    __slots__ = ("attrs", "caption", "contents", "holds_table", "in_thead", "name", "ruby")

    def __init__(self, name: str, attrs: dict, in_thead: bool, ruby: bool) -> None:
        self.name = name
        self.attrs = attrs
        self.contents: list[_Node | str] = []
        self.holds_table = False
        self.in_thead = in_thead
        self.ruby = ruby
        self.caption: _Node | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """Return the attribute's value, or the default."""
        return self.attrs.get(key, default)

    def get_text(self, separator: str = "") -> str:
        """Return the text of the strings under this element, in order, joined with the separator (ruby text left
        out): beautifulsoup4's ``get_text``."""
        if all(type(c) is str for c in self.contents):
            return separator.join(self.contents)  # type: ignore[arg-type]  # a cell of text only: most cells
        out: list[str] = []
        stack: list[_Node | str] = list(reversed(self.contents))
        while stack:
            node = stack.pop()
            if type(node) is str:
                out.append(node)
            elif type(node) is _Node:
                stack.extend(reversed(node.contents))
        return separator.join(out)


class _TreeBound(Exception):
    """Raised from inside the parse when the tree passes a bound; ``args`` = (what, limit, setting)."""


class _TreeBuilder:
    """An lxml parser target that builds the page's tree of ``_Node`` and strings, leaving out dropped and hidden
    elements, and stops the parse at a bound on the parsed tree's depth and size.

    It is given the same events as beautifulsoup4's lxml builder (libxml2's HTML parser, end tags implied), so
    ``<tr><td>`` left open a thousand times is depth 5, not 2,000; the bounds count every element, dropped or not.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.nodes = 0
        self.root = _Node("[document]", {}, False, False)
        self.stack = [self.root]  # the open elements kept
        self.tables: list[_Node] = []  # the open tables kept
        self.text: list[str] = []  # the string being read
        self.skip = 0  # how deep inside a dropped or hidden element the parse is (0: in none)

    def count(self, *_args: Any) -> None:
        self.nodes += 1
        if self.nodes > DEFAULT_MAX_HTML_ELEMENTS:
            raise _TreeBound("the page's elements", f"{DEFAULT_MAX_HTML_ELEMENTS:,}", "DEFAULT_MAX_HTML_ELEMENTS")
        if self.text:
            self.flush()  # a comment ends a string, as a tag does

    comment = pi = count

    def doctype(self, *_args: Any) -> None:
        if self.text:
            self.flush()

    def flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        parent = self.stack[-1]
        parent.contents.append(_Ruby(text) if parent.ruby else text)

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        self.nodes += 1  # count()'s work, without a call per tag
        if self.nodes > DEFAULT_MAX_HTML_ELEMENTS:
            raise _TreeBound("the page's elements", f"{DEFAULT_MAX_HTML_ELEMENTS:,}", "DEFAULT_MAX_HTML_ELEMENTS")
        if self.text:
            self.flush()
        if self.depth > DEFAULT_MAX_HTML_DEPTH:
            raise _TreeBound("element nesting", f"{DEFAULT_MAX_HTML_DEPTH:,} levels", "DEFAULT_MAX_HTML_DEPTH")
        if self.skip:
            self.skip += 1
            return
        if type(attrib) is not dict:
            attrib = dict(attrib) if attrib else {}  # lxml gives a tag without attributes an immutable mapping, slow
        if tag in DROP or (attrib and _hidden_attrs(attrib)):
            self.skip = 1
            return
        stack = self.stack
        parent = stack[-1]
        node = _Node(tag, attrib, parent.in_thead or tag == "thead", parent.ruby or tag in ("rt", "rp"))
        parent.contents.append(node)
        if tag == "table":
            for up in reversed(stack):
                if up.holds_table:
                    break
                up.holds_table = True
            self.tables.append(node)
        elif tag == "caption" and self.tables and self.tables[-1].caption is None:
            self.tables[-1].caption = node  # a data table holds no table: its first caption is the first in it
        stack.append(node)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.text:
            self.flush()
        if self.skip:
            self.skip -= 1
        elif len(self.stack) > 1 and self.stack.pop().name == "table":
            self.tables.pop()

    def data(self, text: str) -> None:
        if not self.skip:
            self.text.append(text)

    def close(self) -> _Node:
        if self.text:
            self.flush()
        return self.root


def _parse(text: str, where: str) -> _Node:
    """Given HTML text, return its tree (dropped and hidden elements left out); raise a BoundError if the parsed tree
    is too deep or too big, at the first bound passed (the parse stops there)."""
    from lxml import etree

    if text.startswith("\ufeff"):
        text = text[1:]  # as beautifulsoup4 does before lxml is given the text
    builder = _TreeBuilder()
    # types-lxml's ParserTarget protocol asks for every event method; lxml calls those a target has
    parser = etree.HTMLParser(target=builder, recover=True)  # type: ignore[call-overload]
    try:
        parser.feed(text)
        parser.close()
    except _TreeBound as e:
        what, limit, setting = e.args
        raise BoundError(where, what=what, limit=limit, setting=setting) from None
    except etree.LxmlError:
        pass  # lxml gives up on some damaged markup: what it read is the page
    return builder.close()


def _span(cell, attr: str) -> int:
    value = cell.get(attr)
    if value is None:
        return 1  # most cells
    try:
        return max(1, min(int(str(value).strip() or 1), DEFAULT_MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    return " ".join(cell.get_text(" ").split())


def _holds_table(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether an element holds a <table> (set as the page is parsed; a beautifulsoup4 tag's descendants looked at)."""
    flag = getattr(node, "holds_table", None)
    if flag is not None:
        return bool(flag)
    return any(getattr(d, "name", None) == "table" for d in node.descendants)


def _own_cell_text(cell, nested: bool) -> str:  # type: ignore[no-untyped-def]
    """Given a cell and whether its table holds tables, return its text: none where it holds a table (a table of its
    own, read after this one)."""
    return "" if nested and _holds_table(cell) else _cell_text(cell)


def _nested_tables(table) -> list:  # type: ignore[no-untyped-def]
    """Given a <table>, return the outermost tables in its cells, in document order."""
    return _own(table, "table")


#: Fewest rows of a table's own (its nested tables' aside) that print a number in a cell, for a table that holds other
#: tables in its cells to be read as data (an SEC "R" page's statement keeps its footnotes' table in its last row).
DEFAULT_MIN_DATA_ROWS_BESIDE_TABLES = 3
_NUMBER_CELL = re.compile(r"[\s$€£(−–-]*\d[\d.,\s]*[)%]?\s*")


def _is_layout(table) -> bool:  # type: ignore[no-untyped-def]
    """Whether a <table> lays out the page rather than holding data: it holds another table in its cells, and fewer
    than DEFAULT_MIN_DATA_ROWS_BESIDE_TABLES of its own rows print a number in a cell of their own."""
    if not _holds_table(table):
        return False
    data = 0
    for tr in _rows_of(table):
        if any(_NUMBER_CELL.fullmatch(_own_cell_text(c, True)) for c in _cells_of(tr)):
            data += 1
            if data >= DEFAULT_MIN_DATA_ROWS_BESIDE_TABLES:
                return False
    return True


#: Letters that make a cell's text a label rather than a number or a placeholder (``n/a``, ``NA``).
_LABEL_TEXT = re.compile(r"[^\W\d_]{3,}")


def table_to_rows(table, where: str) -> list[list[str]]:
    """Given a <table> element, return its grid of cell texts with colspan and rowspan expanded."""
    return table_to_grid(table, where)[0]


def _rows_of(table) -> list:
    """Given a <table> element, return its <tr> rows, those of tables nested in its cells left out.

    The same rows as ``[tr for tr in table.find_all("tr") if tr.find_parent("table") is table]``,
    found in one walk that does not enter nested tables, so nested tables cost linear time.
    """
    return _own(table, "tr")


def _own(table, name: str) -> list:  # type: ignore[no-untyped-def]
    """Given a <table> and a tag name, return the elements of that name under it, in document order, found in one walk
    that does not enter the tables in its cells (a nested table itself is found, where the name is ``table``)."""
    out, stack = [], list(reversed(table.contents))
    while stack:
        node = stack.pop()
        tag = getattr(node, "name", None)
        if tag is None:
            continue
        if tag == name:
            out.append(node)
        if tag != "table":
            stack.extend(reversed(node.contents))
    return out


def _cells_of(tr) -> list:
    """Given a <tr>, return its <td> and <th> children: ``tr.find_all(["td", "th"], recursive=False)`` without
    beautifulsoup4's filter objects (a page of 19,000 tables spent half its 40 s building them)."""
    return [c for c in tr.contents if getattr(c, "name", None) in ("td", "th")]


class _PageBudget:
    """What the tables of one page may still expand to: cells and characters."""

    def __init__(self) -> None:
        self.cells = DEFAULT_MAX_PAGE_CELLS
        self.chars = DEFAULT_MAX_PAGE_TABLE_CHARS


def table_to_grid(table, where: str, budget: _PageBudget | None = None) -> tuple[list[list[str]], list[list[bool]]]:
    """Given a <table> element, return its grid of cell texts (colspan and rowspan expanded) and, per
    position, whether it continues a label spanned across columns (not a cell of its own).

    Spans are bounded by the grid they make: before a cell is placed, the grid's rows x columns
    with it are checked against DEFAULT_MAX_TABLE_CELLS (and the page's DEFAULT_MAX_PAGE_CELLS),
    so the work, and the memory, never pass the bound. A rowspan ends with the table's rows.
    """
    rows = _rows_of(table)
    return rows_to_grid([_cells_of(tr) for tr in rows], where, budget, _holds_table(table))


def rows_to_grid(
    rows: list[list], where: str, budget: _PageBudget | None = None, nested: bool = False
) -> tuple[list[list[str]], list[list[bool]]]:
    """Given a table's rows, each as its <td> and <th> elements (``nested``: the table holds tables in its cells),
    return ``table_to_grid``'s grid and span flags (a cell holding a table is empty: that table is read on its own)."""
    budget = budget or _PageBudget()
    # one list per row, None where no cell was placed: a span is one slice assignment, not a cell at a time
    grid: list[list[str | None]] = [[] for _ in rows]
    label_span: list[list[bool]] = [[] for _ in rows]
    height = width = 0  # the grid's extent so far
    limit = min(DEFAULT_MAX_TABLE_CELLS, budget.cells)
    for r, cells in enumerate(rows):
        c, line = 0, grid[r]
        for cell in cells:
            if _hidden(cell):
                continue
            while c < len(line) and line[c] is not None:
                c += 1
            text, cs, rs = _own_cell_text(cell, nested), _span(cell, "colspan"), _span(cell, "rowspan")
            rs = min(rs, len(rows) - r)
            h, w = max(height, r + rs), max(width, c + cs)
            if h * w > limit:
                if h * w > DEFAULT_MAX_TABLE_CELLS:
                    raise BoundError(
                        where,
                        what=f"a table of {h:,} rows x {w:,} columns",
                        limit=f"{DEFAULT_MAX_TABLE_CELLS:,} cells",
                        setting="DEFAULT_MAX_TABLE_CELLS",
                    )
                raise BoundError(
                    where,
                    what=f"a table that brings the page to {DEFAULT_MAX_PAGE_CELLS - budget.cells + h * w:,} cells",
                    limit=f"{DEFAULT_MAX_PAGE_CELLS:,} cells",
                    setting="DEFAULT_MAX_PAGE_CELLS",
                )
            height, width = h, w
            copies = cs * rs if cell.name == "th" else 1
            budget.chars -= len(text) * copies
            if budget.chars < 0:
                raise BoundError(
                    where,
                    what="the text of the page's tables",
                    limit=f"{DEFAULT_MAX_PAGE_TABLE_CHARS:,} characters",
                    setting="DEFAULT_MAX_PAGE_TABLE_CHARS",
                )
            spanned = cs > 1 and bool(_LABEL_TEXT.search(text))  # a label spanned over columns (most cells span none)
            for dr in range(rs):
                row, flags = grid[r + dr], label_span[r + dr]
                if len(row) < c + cs:
                    row.extend([None] * (c + cs - len(row)))
                    flags.extend([False] * (c + cs - len(flags)))
                # a spanned header repeats its text over its columns; a spanned data cell is written once
                row[c : c + cs] = [text] * cs if cell.name == "th" else [text if dr == 0 else ""] + [""] * (cs - 1)
                if spanned and cs > 1:
                    flags[c + 1 : c + cs] = [True] * (cs - 1)
            c += cs
    budget.cells -= height * width
    return (
        [[t or "" for t in row] + [""] * (width - len(row)) for row in grid[:height]],
        [flags + [False] * (width - len(flags)) for flags in label_span[:height]],
    )


def _header_rows_to_text(rows: list[list[str]]) -> list[str]:
    """Given the header rows of a table, return one line per row, repeated spanned texts said once."""
    out = []
    for row in rows:
        cells = [t for i, t in enumerate(row) if t and (i == 0 or t != row[i - 1])]
        out.append(" ".join(cells))
    return out


_NUMBERS_ONLY = re.compile(r"[\d.,\s]+")


def _is_header_row(tr_cells: list, row: list[str]) -> bool:
    return all(c.name == "th" for c in tr_cells) and not any(_NUMBERS_ONLY.fullmatch(t or "x") for t in row[1:])


def html_to_lines(text: str, where: str, tables: list | None = None) -> list[str | tuple[str, tuple[str, ...]]]:
    """Given HTML text, return its lines: a table row as (its text, its cells), other text split at blocks.

    With ``tables``, each data table found is appended to it as (its grid, the index in the returned lines of the
    line each grid row was printed on, how many first rows are header rows, its caption, its span flags). A layout
    table (one whose cells hold another table, and whose own rows print few numbers) is read as blocks of text, so
    the tables inside it are tables.
    """
    root = _parse(text, where)  # depth and size bounded as it is parsed
    budget = _PageBudget()
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, DEFAULT_MAX_HTML_DEPTH * 4 + 1000))
    found: list[tuple[list[list[str]], list[int], int, str, list[list[bool]]]] = []
    lines: list = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        buf.clear()
        if line:
            lines.append(line)

    def table_to_lines(node: _Node) -> None:
        """Given a data table, print its caption, header and rows to the lines, and add it to the tables found."""
        flush()
        trs = _rows_of(node)
        cells = [_cells_of(tr) for tr in trs]
        grid, spans = rows_to_grid(cells, where, budget, node.holds_table)
        caption_text = _cell_text(node.caption) if node.caption is not None else ""
        if caption_text:
            lines.append(caption_text)
        heads: list[int] = []
        at: list[int] = [-1] * len(grid)  # the line each grid row is printed on
        body_started, header_rows = False, 0
        for r, (tr, row, span) in enumerate(zip(trs, grid, spans)):
            if not body_started and (_is_header_row(cells[r], row) or tr.in_thead):
                heads.append(r)
                header_rows = r + 1
                continue
            if heads:
                for h, t in zip(heads, _header_rows_to_text([grid[h] for h in heads])):
                    at[h] = len(lines)
                    lines.append(t)
                heads = []
            body_started = True
            line = " ".join(t for t in row if t)
            if line:
                # the row's cells, each one printed cell (an empty <td> is a blank cell)
                at[r] = len(lines)
                lines.append((line, tuple(t for t, cont in zip(row, span) if not cont)))
        if heads:
            for h, t in zip(heads, _header_rows_to_text([grid[h] for h in heads])):
                at[h] = len(lines)
                lines.append(t)
        keep = [r for r in range(len(grid)) if at[r] >= 0]
        if keep:
            found.append(
                (
                    [grid[r] for r in keep],
                    [at[r] for r in keep],
                    sum(r < header_rows for r in keep),
                    caption_text,
                    [spans[r] for r in keep],
                )
            )
        lines.append("")

    def walk(node: _Node) -> None:
        name = node.name
        if name == "table" and not _is_layout(node):  # a layout table holds another table: read as blocks of text
            table_to_lines(node)
            for inner in _nested_tables(node):  # tables in its cells (a statement's footnotes): each read after it
                walk(inner)
            return
        block = name in BLOCK
        if block:
            flush()
        if name == "br":
            return
        for child in node.contents:
            if type(child) is _Node:
                walk(child)
            else:
                buf.append(child)  # type: ignore[arg-type]
        if block:
            flush()
            if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"):
                lines.append("")

    try:
        walk(root)
        flush()
    except RecursionError:
        raise BoundError(
            where, what="element nesting", limit=f"{DEFAULT_MAX_HTML_DEPTH:,} levels", setting="DEFAULT_MAX_HTML_DEPTH"
        ) from None
    finally:
        sys.setrecursionlimit(old)
    # collapse runs of blank lines
    out: list = []
    moved: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line or (out and out[-1]):
            moved[i] = len(out)
            out.append(line)
    if tables is not None:
        for grid, at, header_rows, caption_text, spans in found:
            keep = [r for r, i in enumerate(at) if i in moved]  # an empty header row printed no line
            tables.append(
                (
                    [grid[r] for r in keep],
                    [moved[at[r]] for r in keep],
                    sum(r < header_rows for r in keep),
                    caption_text,
                    [spans[r] for r in keep],
                )
            )
    return out


def source_to_document(source: Source) -> Document:
    """Given an HTML source, return its lines (numbered from 1)."""
    text = bytes_to_text(source.data, source.origin)
    found: list = []
    lines = html_to_lines(text, source.origin, found)
    if not any(l if isinstance(l, tuple) else l.strip() for l in lines):
        raise SourceKindError(source.origin, detail="the HTML page holds no text")
    tables = tuple(
        PrintedTable(
            tuple(tuple(row) for row in grid),
            tuple(i + 1 for i in at),
            header_rows,
            caption_text,
            "html",
            tuple(tuple(f) for f in spans),
        )
        for grid, at, header_rows, caption_text, spans in found
    )
    return Document(
        source,
        tuple(Line(l[0], i + 1, None, l[1]) if isinstance(l, tuple) else Line(l, i + 1) for i, l in enumerate(lines)),
        tables,
    )
