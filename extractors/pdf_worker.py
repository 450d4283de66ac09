"""The PDF worker: ``python -m recover.extractors.pdf_worker FILE`` prints {"pages": [[line, ...], ...]} as JSON.

Each line is ``{"text": str, "cells": [str, ...] | null}``: cells where the page's geometry
shows the line's cell boundaries (see pdf_columns), null elsewhere. Glyphs drawn twice a
fraction of a point apart (fake bold) are read once.

It runs in a child process with a memory limit (set by the parent); here each page gets an
alarm, and the page count is capped. Errors are printed as {"error": ...} JSON.
"""

from __future__ import annotations

import json
import signal
import sys

from recover.extractors import pdf_columns
from recover.extractors.pdf import (
    DEFAULT_DEDUPE_TOLERANCE,
    DEFAULT_LINE_TOLERANCE,
    DEFAULT_MAX_PDF_PAGE_SECONDS,
    DEFAULT_MAX_PDF_PAGES,
)


class _PageTimeout(Exception):
    pass


class _IndexedChars(list):
    """A page's chars whose ``index`` is a look-up: pdfplumber's dedupe_chars sorts its result by it (quadratic on a list)."""

    def __init__(self, chars: list[dict]):
        super().__init__(chars)
        self._at = {id(c): i for i, c in enumerate(chars)}

    def index(self, char: dict, *args) -> int:
        return self._at[id(char)]


def page_to_deduped(page, tolerance: float = DEFAULT_DEDUPE_TOLERANCE):
    """Given a pdfplumber page, return it with each glyph drawn twice within ``tolerance`` (fake bold) kept once.

    The same as ``page.dedupe_chars(tolerance=...)`` (pdfplumber's utils.dedupe_chars, first copy kept),
    without its quadratic ``list.index`` sort: 13 s on a page of 17,600 chars, against the page alarm.
    """
    from pdfplumber.utils import dedupe_chars

    keep = {id(c) for c in dedupe_chars(_IndexedChars(page.chars), tolerance=tolerance)}
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)


class _Mirrored(Exception):
    """A page whose glyphs run right to left (drawn mirrored or turned) among upright text: its order cannot be told."""


#: Largest share of a text matrix's off-diagonal terms (b, c) against its diagonal ones at which a glyph still counts
#: as drawn level (flipped or mirrored, not rotated).
DEFAULT_LEVEL_GLYPH_SLANT = 0.01


def chars_to_true_order(chars: list[dict], width: float) -> bool:
    """Given a page's chars (pdfplumber dicts, changed in place) and its width, make each level glyph drawn flipped or
    mirrored read in its true order; return whether any was; raise _Mirrored for a page that mixes glyphs running right
    to left with upright ones.

    A glyph's text matrix ``[a b c d]`` with ``d < 0`` is drawn upside down (flipped top to bottom): its text still
    runs left to right where it stands, but pdfplumber calls it not upright and reads it as vertical text, one glyph
    per word (``N o r t h``, cells ``1, 0, 2, 0``). It is marked upright. With ``a < 0`` the text runs right to left
    (mirrored, or turned half round): where every glyph of the page does, the page is read in a mirror (each x
    becomes ``width - x``), so words and cells come in the order they were drawn; where upright text shares the page,
    which glyphs belong together cannot be told, and the page is refused. Rotated glyphs (``b``, ``c`` not 0) are
    left to pdfplumber.
    """
    level = [
        c
        for c in chars
        if (m := c.get("matrix"))
        and abs(m[1]) + abs(m[2]) <= DEFAULT_LEVEL_GLYPH_SLANT * (abs(m[0]) + abs(m[3]))
        and (m[0] < 0 or m[3] < 0)
    ]
    if not level:
        return False
    backwards = [c for c in level if c["matrix"][0] < 0]
    if backwards and len(backwards) < len(chars):
        raise _Mirrored(len(backwards))
    for c in level:
        c["upright"] = True
    for c in backwards:
        c["x0"], c["x1"] = width - c["x1"], width - c["x0"]
    return True


def words_to_lines(words: list[dict], tolerance: float = DEFAULT_LINE_TOLERANCE) -> list[dict]:
    """Given pdfplumber words (text, x0, x1, top, bottom), return the page's lines as {"text", "cells"}: words that share a baseline, left to right."""
    return [
        {"text": text, "cells": list(cells) if cells is not None else None}
        for text, cells in pdf_columns.words_to_lines(words, tolerance)
    ]


def _classify(e: BaseException, where: str) -> dict:
    """Given an exception from pdfplumber (which wraps pdfminer's), return the error to report."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = (
        e.args[0] if type(e).__name__ == "PdfminerException" and e.args and isinstance(e.args[0], BaseException) else e
    )
    # under the worker's memory limit an allocation that fails inside C code (zlib, pdfminer's decoders) can surface
    # as "SystemError: ... returned NULL without setting an exception" (or "error return without exception set"):
    # that is the memory bound, not a bad file
    if isinstance(inner, (MemoryError, SystemError)):
        raise MemoryError
    if isinstance(inner, _PageTimeout):
        raise inner
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return {"error": "kind", "detail": "the PDF is encrypted"}
    return {"error": "kind", "detail": f"{where} ({type(inner).__name__}: {str(inner)[:120]})".replace(": )", ")")}


def read(path: str) -> dict:
    import pdfplumber

    def alarm(signum, frame):
        raise _PageTimeout

    signal.signal(signal.SIGALRM, alarm)
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many kinds on broken files
        return _classify(e, "damaged or truncated PDF")
    pages = []
    tops: list[list[float]] = []  # per page, the top of each of its lines (pdfplumber's coordinates)
    heights: list[float] = []
    turned: set[int] = set()  # pages whose glyphs were drawn flipped or mirrored
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as e:
            return _classify(e, "damaged or truncated PDF")
        if count > DEFAULT_MAX_PDF_PAGES:
            return {
                "error": "bound",
                "what": f"{count:,} pages",
                "limit": f"{DEFAULT_MAX_PDF_PAGES:,} pages",
                "setting": "DEFAULT_MAX_PDF_PAGES",
            }
        for n, page in enumerate(pdf.pages, start=1):
            signal.alarm(DEFAULT_MAX_PDF_PAGE_SECONDS)
            try:
                # blanks stay inside words (a font's space metrics can make pdfplumber drop them); gaps still split cells
                # a glyph drawn twice a fraction of a point apart (fake bold) is one glyph: "1", never "11"
                if chars_to_true_order(page.chars, float(page.width)):
                    turned.add(n)  # its glyphs were drawn flipped or mirrored: read here in their true order
                words = page_to_deduped(page).extract_words(
                    x_tolerance=1.5, y_tolerance=DEFAULT_LINE_TOLERANCE, keep_blank_chars=True
                )
                pages.append(words_to_lines(words))
                tops.append([row[0]["top"] for row in pdf_columns.words_to_rows(words, DEFAULT_LINE_TOLERANCE)])
                heights.append(float(page.height))
            except _Mirrored as e:
                return {
                    "error": "kind",
                    "detail": f"page {n}: {e.args[0]:,} glyphs drawn mirrored or turned (right to left) among upright "
                    "text; their order cannot be told",
                }
            except _PageTimeout:
                return {
                    "error": "bound",
                    "what": f"page {n}",
                    "limit": f"{DEFAULT_MAX_PDF_PAGE_SECONDS} s",
                    "setting": "DEFAULT_MAX_PDF_PAGE_SECONDS",
                }
            except MemoryError:
                raise
            except Exception as e:
                try:
                    return _classify(e, f"page {n} could not be read")
                except _PageTimeout:
                    return {
                        "error": "bound",
                        "what": f"page {n}",
                        "limit": f"{DEFAULT_MAX_PDF_PAGE_SECONDS} s",
                        "setting": "DEFAULT_MAX_PDF_PAGE_SECONDS",
                    }
            finally:
                signal.alarm(0)
                page.flush_cache() if hasattr(page, "flush_cache") else None
    tables = []
    for n in range(1, len(pages) + 1):
        if not pages[n - 1] or n in turned:  # Camelot reads the glyphs as drawn: the lines read here stand alone
            continue
        signal.alarm(DEFAULT_MAX_PDF_PAGE_SECONDS)
        try:
            tables += page_to_stream_tables(path, n, heights[n - 1], tops[n - 1])
        except _PageTimeout:
            pass  # the page's lines are read; its tables by alignment are not (the run-together path still reads them)
        except MemoryError:
            raise
        except Exception:
            pass  # Camelot could not read the page's tables: the lines stand
        finally:
            signal.alarm(0)
    return {"pages": pages, "tables": tables}


def page_to_stream_tables(path: str, n: int, height: float, tops: list[float]) -> list[dict]:
    """Given a PDF's path, a page number, its height and the tops of its lines, return the tables Camelot's stream
    mode finds on it by the alignment of its text: ``{"page", "rows": [[cell, ...]], "lines": [index of the page's
    line each row was printed on]}`` (a row that stands on no line of the page is left out)."""
    import warnings

    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(path, flavor="stream", pages=str(n), suppress_stdout=True)
    out = []
    for table in found:
        rows, at = [], []
        for cells, (y_top, y_bottom) in zip(table.df.values.tolist(), table.rows):
            top = height - max(y_top, y_bottom)
            bottom = height - min(y_top, y_bottom)
            near = [i for i, t in enumerate(tops) if top - DEFAULT_LINE_TOLERANCE <= t <= bottom]
            if not near:
                continue
            rows.append([" ".join(str(c).split()) for c in cells])
            at.append(near[0])
        if len(rows) >= 2:
            out.append({"page": n, "rows": rows, "lines": at})
    return out


def main(argv: list[str]) -> int:
    """Given the worker's argv (the PDF's path), print its pages (or its error) as one JSON line; return the exit status.

    Exit 3, with ``MemoryError`` on stderr, is the memory bound. Under the parent's cap a failed
    allocation inside C code (zlib, pdfminer's decoders, the interpreter's own signal and
    exception machinery) surfaces as ``MemoryError`` or as ``SystemError`` ("error return
    without exception set"), wherever it happens: in a page, between pages, or while the
    result is serialised. So both are caught here, around everything the worker does.
    """
    try:
        try:
            result = read(argv[1])
        except _PageTimeout:  # an alarm that fired outside a page's own handler (between its steps)
            result = {
                "error": "bound",
                "what": "a page",
                "limit": f"{DEFAULT_MAX_PDF_PAGE_SECONDS} s",
                "setting": "DEFAULT_MAX_PDF_PAGE_SECONDS",
            }
        text = json.dumps(result) + "\n"
    except (MemoryError, SystemError):
        sys.stderr.write("MemoryError\n")
        return 3
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
