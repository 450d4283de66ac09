"""The printed row: each row to decide as its source printed it, for the review page (so a reviewer decides without
opening the source).

- PDF: an image of the row's strip of its page (pdfplumber's ``page.crop(...).to_image(...)``, rendered by
  pypdfium2, offline), as a PNG embedded in the page (a ``data:`` URI: the page stays one self-contained file);
  rendered in a worker process under the PDF reader's memory limit and a time bound, like the extraction;
- HTML: the row's cells as the page had them, in a one-row table;
- text: the line with its neighbours, numbered, the row's own line marked.

Anything that cannot be shown (a strip not found, a worker over its bound) is left out: the card keeps the source
line's text. Every piece of document text is HTML-escaped here.
"""

from __future__ import annotations

import base64
import html
import json
import os
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import RowSolution, TableSolution
    from .pipeline import DocumentResult

#: Rows of one document shown as printed (the first ones to decide; the others keep their source line only).
DEFAULT_MAX_PRINTED_ROWS = 40
#: Lines shown above and below a text row.
DEFAULT_NEIGHBOUR_LINES = 2
#: Resolution (dpi) of a PDF row's strip, and the points of page kept above and below the row.
DEFAULT_STRIP_RESOLUTION = 110
DEFAULT_STRIP_MARGIN = 4.0
#: Seconds the worker rendering a document's strips may take, all strips together.
DEFAULT_MAX_STRIP_SECONDS = 60


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def lines_to_html(lines: list[str], number: int, neighbours: int = DEFAULT_NEIGHBOUR_LINES) -> str:
    """Given a text document's lines and a row's line number (1-based), return the line with its neighbours as HTML:
    numbered, the row's own line marked."""
    start, end = max(1, number - neighbours), min(len(lines), number + neighbours)
    shown = [
        f"<span class='{'this' if n == number else 'near'}'>{n:>6}  {_e(lines[n - 1])}</span>"
        for n in range(start, end + 1)
    ]
    return "<div class='printed'><pre>" + "\n".join(shown) + "</pre></div>" if shown else ""


def cells_to_html(label: str | None, cells: tuple[str, ...]) -> str:
    """Given the cells an HTML (or tab-separated) row printed, return them as a one-row table, as the page had them."""
    tds = "".join(f"<td>{_e(c)}</td>" for c in cells)
    return f"<div class='printed'><table class='as-printed'><tr>{tds}</tr></table></div>" if cells else ""


def png_to_html(png: bytes, what: str) -> str:
    """Given a PNG of a row's strip, return it embedded in the page (a data: URI)."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return f"<div class='printed'><img alt='{_e(what)}' src='{uri}'></div>"


def _rows_to_show(result: DocumentResult) -> list[tuple[TableSolution, RowSolution]]:
    from .report import _needs_review

    rows = [(s, r) for s in result.solutions for r in s.rows if _needs_review(r) and r.status != "duplicate"]
    return rows[:DEFAULT_MAX_PRINTED_ROWS]


def result_to_printed(result: DocumentResult) -> dict[tuple[str, int], str]:
    """Given a recovered document, return the HTML of each row to decide as the source printed it, by (table, line)."""
    rows = _rows_to_show(result)
    if not rows:
        return {}
    source = result.source
    out: dict[tuple[str, int], str] = {}
    if source.kind == "pdf":
        wanted = [(r.row.line.page or 1, r.row.line.text) for _, r in rows]
        strips = pdf_strips(source.data, wanted)
        for (s, r), png in zip(rows, strips):
            if png:
                out[(s.table_id, r.row.line.number)] = png_to_html(
                    png, f"line {r.row.line.number} as printed on page {r.row.line.page}"
                )
        return out
    if source.kind == "html":
        for s, r in rows:
            cells = r.row.line.cells
            if cells:
                out[(s.table_id, r.row.line.number)] = cells_to_html(r.row.label, cells)
        return out
    from .extractors.text import bytes_to_text

    try:
        text = bytes_to_text(source.data, source.origin)
    except Exception:  # the document was read once already; a second reading that fails shows nothing more
        return out
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for s, r in rows:
        n = r.row.line.number
        if 1 <= n <= len(lines) and lines[n - 1] == r.row.line.text:
            out[(s.table_id, n)] = lines_to_html(lines, n)
    return out


def pdf_strips(data: bytes, wanted: list[tuple[int, str]]) -> list[bytes | None]:
    """Given a PDF's bytes and rows as (page, printed text), return each row's strip as PNG bytes (None where it was
    not found or could not be rendered), rendered in a worker process under the PDF reader's memory limit."""
    from .extractors.pdf import _limit_memory

    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(data)
        path = f.name
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "recover.printed_rows", path],
            input=json.dumps(wanted),
            capture_output=True,
            text=True,
            timeout=DEFAULT_MAX_STRIP_SECONDS,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        if proc.returncode != 0:
            return [None] * len(wanted)
        found = json.loads(proc.stdout)
        return [base64.b64decode(x) if x else None for x in found]
    except (subprocess.TimeoutExpired, ValueError):
        return [None] * len(wanted)
    finally:
        os.unlink(path)


def _page_rows(pdf: Any, page_no: int, cache: dict[int, list[list[dict[str, Any]]]]) -> list[list[dict[str, Any]]]:
    """Given an open pdfplumber PDF and a page number, return its lines' words as the PDF reader groups them (the
    same words, so the same line texts), read once per page."""
    from .extractors.pdf_columns import words_to_rows
    from .extractors.pdf_worker import DEFAULT_LINE_TOLERANCE, page_to_deduped

    if page_no not in cache:
        words = page_to_deduped(pdf.pages[page_no - 1]).extract_words(
            x_tolerance=1.5, y_tolerance=DEFAULT_LINE_TOLERANCE, keep_blank_chars=True
        )
        cache[page_no] = words_to_rows(words, DEFAULT_LINE_TOLERANCE)
    return cache[page_no]


def _strip(pdf: Any, page_no: int, text: str, cache: dict[int, list[list[dict[str, Any]]]]) -> bytes | None:
    """Given an open pdfplumber PDF, a page number and a line's printed text, return the PNG of that line's strip."""
    import io

    from .extractors.pdf_columns import row_to_text

    if not 1 <= page_no <= len(pdf.pages):
        return None
    page = pdf.pages[page_no - 1]
    row = next((r for r in _page_rows(pdf, page_no, cache) if row_to_text(r) == text), None)
    if row is None:
        return None
    top = max(0.0, min(float(w["top"]) for w in row) - DEFAULT_STRIP_MARGIN)
    bottom = min(float(page.height), max(float(w["bottom"]) for w in row) + DEFAULT_STRIP_MARGIN)
    bbox = (float(page.bbox[0]), float(page.bbox[1]) + top, float(page.bbox[2]), float(page.bbox[1]) + bottom)
    image = page.crop(bbox).to_image(resolution=DEFAULT_STRIP_RESOLUTION)
    buf = io.BytesIO()
    image.original.save(buf, format="PNG")
    return buf.getvalue()


def main(argv: list[str]) -> int:
    """The worker: a PDF's path as argument, [[page, text], …] on stdin; a JSON list of base64 PNGs (or null) out."""
    import pdfplumber

    wanted = json.loads(sys.stdin.read())
    found: list[str | None] = []
    cache: dict[int, list[list[dict[str, Any]]]] = {}
    with pdfplumber.open(argv[0]) as pdf:
        for page_no, text in wanted:
            try:
                png = _strip(pdf, int(page_no), str(text), cache)
            except MemoryError:
                raise
            except Exception:
                png = None
            found.append(base64.b64encode(png).decode("ascii") if png else None)
    sys.stdout.write(json.dumps(found))
    return 0


if __name__ == "__main__":  # pragma: no cover - the worker process
    sys.exit(main(sys.argv[1:]))
