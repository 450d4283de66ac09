"""The PDF worker: ``python -m recover.extractors.pdf_worker FILE`` prints {"pages": [[line, ...], ...], "tables": [...]} as JSON
(``--serve``: a long-lived worker that forks one child per PDF, see ``serve``). Each page is parsed once, by playa.

Each line is ``{"text": str, "cells": [str, ...] | null}``: cells where the page's geometry
shows the line's cell boundaries (see pdf_columns), null elsewhere. Glyphs drawn twice a
fraction of a point apart (fake bold) are read once.

It runs in a child process with a memory limit (set by the parent); here each page gets an
alarm, and the page count is capped. Errors are printed as {"error": ...} JSON.
"""

from __future__ import annotations

import itertools
import json
import re
import signal
import sys
from collections import Counter
from collections.abc import Collection
from statistics import median
from typing import Any

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
    from playa.exceptions import PDFEncryptionError, PDFPasswordIncorrect

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


def char_to_dict(char: Any, height: float) -> dict:
    """Given a laid-out glyph (``LTChar``: bbox with y up) and its page's height, return it as pdfplumber's char dict
    (``top`` and ``bottom`` measured down from the top of the page), the form pdfplumber's word functions take."""
    x0, y0, x1, y1 = char.bbox
    return {
        "text": char.get_text(),
        "x0": x0,
        "x1": x1,
        "top": height - y1,
        "bottom": height - y0,
        "doctop": height - y1,
        "upright": char.upright,
        "fontname": char.fontname,
        "size": char.size,
        "matrix": char.matrix,
    }


def chars_to_words(chars: list[dict], tolerance: float = DEFAULT_DEDUPE_TOLERANCE) -> list[dict]:
    """Given a page's char dicts, return its words: each glyph drawn twice within ``tolerance`` (fake bold) kept once
    ("1", never "11"), blanks kept inside words (a font's space metrics can make them go missing), gaps splitting."""
    from pdfplumber.utils import extract_words

    kept = chars_to_deduped(chars, tolerance)
    return list(extract_words(kept, x_tolerance=1.5, y_tolerance=DEFAULT_LINE_TOLERANCE, keep_blank_chars=True))


def _chain(items: list[tuple[float, int]], tolerance: float) -> list[list[int]]:
    """Given (value, index) pairs, return the indexes in clusters: sorted by value, a value within ``tolerance`` of the
    one before it joins its cluster (pdfplumber's ``cluster_list``)."""
    out: list[list[int]] = []
    last = 0.0
    for value, i in sorted(items):
        if out and value <= last + tolerance:
            out[-1].append(i)
        else:
            out.append([i])
        last = value
    return out


def chars_to_deduped(chars: list[dict], tolerance: float = DEFAULT_DEDUPE_TOLERANCE) -> list[dict]:
    """Given a page's char dicts, return them with each glyph drawn twice within ``tolerance`` (fake bold) kept once:
    the same chars, in the same order, as pdfplumber's ``dedupe_chars`` (same upright, text, font and size; clusters
    of ``doctop`` then of ``x0``, each chained within the tolerance; the first by position kept), without building its
    cluster dictionaries (4 s of the ICDAR documents' 24)."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c["upright"], c["text"], c["fontname"], c["size"]), []).append(i)
    keep: list[int] = []
    for members in groups.values():
        if len(members) == 1:
            keep.append(members[0])
            continue
        for ys in _chain([(chars[i]["doctop"], i) for i in members], tolerance):
            for xs in _chain([(chars[i]["x0"], i) for i in ys], tolerance):
                keep.append(min(xs, key=lambda i: (chars[i]["doctop"], chars[i]["x0"], i)))
    return [chars[i] for i in sorted(keep)]


#: Most lines in a row printing only a label (a section, a wrapped label) that a stream table still takes below its last
#: row, where a row of figures under its columns follows them.
DEFAULT_MAX_TAIL_LABEL_LINES = 3
#: Largest vertical gap (in the table's median row pitch) between a stream table's last row and a line below that
#: continues it.
DEFAULT_MAX_TAIL_GAP_ROWS = 3.0
#: Fewest figures a column of a stream table must print to count as a column of figures that rows below may continue.
DEFAULT_MIN_TAIL_ANCHORS = 2

_CURRENCY_SIGN = re.compile(r"\s*[$€£¥]\s*")


def cell_is_figure(text: str) -> bool:
    """Given a cell's text, return whether it prints one figure (``5,111,372``, ``(106,870)``, ``8 €``) or a placeholder."""
    t = _CURRENCY_SIGN.sub("", " ".join(text.split())).strip()
    return bool(t) and pdf_columns.text_to_is_numeric(t)


def word_to_column(word: dict, cols: list[tuple[float, float]]) -> int | None:
    """Given a word and a table's columns (x ranges), return the column Camelot sets it in: the one it covers the
    largest share of (None: it touches none)."""
    best, at = 0.0, None
    for j, (a, b) in enumerate(cols):
        overlap = min(b, word["x1"]) - max(a, word["x0"])
        if overlap > 0 and b > a and overlap / (b - a) > best:
            best, at = overlap / (b - a), j
    return at


def table_to_tail(
    cols: list[tuple[float, float]],
    rows: list[list[str]],
    at: list[int],
    page_rows: list[list[dict]],
    taken: Collection[int],
) -> tuple[list[list[str]], list[int]]:
    """Given a stream table's columns (x ranges), its rows, the page line each was printed on, the page's lines (words
    with positions) and the lines any table of the page took, return the rows the page prints below its last row under
    its columns, and their lines: Camelot ends some tables early (edge_tol.pdf stops at `Class B`, the page's figures
    go on to `Total investment result per unit 3.78`).

    A line below continues the table while each figure on it stands in one column of figures of the table (one that
    prints DEFAULT_MIN_TAIL_ANCHORS figures or more), lined up with that column's figures (right edge, left edge or
    centre, as ``pdf_columns`` lines them up), beside a label in the table's columns left of its figures; a line with
    a label only is taken where a row of figures follows it (at most DEFAULT_MAX_TAIL_LABEL_LINES of them in a row).
    Anything else (a word across two columns, text among the figures, a line another table took, a gap of more than
    DEFAULT_MAX_TAIL_GAP_ROWS rows) ends the table."""
    if not at or not cols:
        return [], []
    width = len(cols)
    figures = {
        j: [w for i in set(at) for w in page_rows[i] if cell_is_figure(w["text"]) and word_to_column(w, cols) == j]
        for j in range(width)
    }
    numeric = sorted(
        j
        for j in range(1, width)
        if len(figures[j]) >= DEFAULT_MIN_TAIL_ANCHORS
        and 2 * sum(cell_is_figure(r[j]) for r in rows if j < len(r))
        >= sum(bool(r[j].strip()) for r in rows if j < len(r))
    )
    if not numeric:
        return [], []
    anchors = {j: [w for w in figures[j] if w["text"].strip() not in pdf_columns.PLACEHOLDERS] for j in numeric}
    numeric = [j for j in numeric if anchors[j]]  # a column of placeholders only lines nothing up
    if not numeric:
        return [], []
    digit = pdf_columns.words_to_digit_width([w for j in numeric for w in anchors[j]])
    tolerance = pdf_columns.DEFAULT_ALIGN_TOLERANCE_DIGITS * digit

    def aligned(w: dict, j: int) -> bool:
        keys = (lambda v: v["x1"], lambda v: v["x0"], lambda v: (v["x0"] + v["x1"]) / 2)
        return any(abs(key(w) - median(key(v) for v in anchors[j])) <= tolerance for key in keys)

    tops = sorted({page_rows[i][0]["top"] for i in set(at) if page_rows[i]})
    pitch = median([b - a for a, b in itertools.pairwise(tops)]) if len(tops) >= 2 else float("inf")
    last_top = page_rows[max(at)][0]["top"] if page_rows[max(at)] else tops[-1]
    out: list[list[str]] = []
    lines: list[int] = []
    pending: list[tuple[list[str], int]] = []
    for i in range(max(at) + 1, len(page_rows)):
        words = [w for w in page_rows[i] if w["text"].strip()]
        if i in taken:
            break
        if not words:
            continue
        if words[0]["top"] - last_top > DEFAULT_MAX_TAIL_GAP_ROWS * pitch:
            break
        cells: list[list[dict]] = [[] for _ in range(width)]
        ok = True
        for w in words:
            j = word_to_column(w, cols)
            touches = [k for k, (a, b) in enumerate(cols) if w["x0"] < b and w["x1"] > a]
            if j is None:
                ok = False
            elif cell_is_figure(w["text"]) and j in numeric:
                ok = ok and touches == [j] and (w["text"].strip() in pdf_columns.PLACEHOLDERS or aligned(w, j))
            else:  # text: a label, in the columns left of the figures only
                ok = ok and all(k < numeric[0] for k in touches)
            cells[j if j is not None else 0].append(w)
        if not ok or any(len(cells[j]) > 1 for j in numeric):
            break
        row = [" ".join(" ".join(w["text"] for w in ws).split()) for ws in cells]
        last_top = words[0]["top"]
        if not any(row[j] for j in numeric):
            pending.append((row, i))
            if len(pending) > DEFAULT_MAX_TAIL_LABEL_LINES:
                break
            continue
        if not any(row[j] for j in range(numeric[0])):
            break  # figures with no label: a page number, a figure of the text below
        for r, k in [*pending, (row, i)]:
            out.append(r)
            lines.append(k)
        pending = []
    return out, lines


def page_to_layout(page: Any) -> tuple[Any, tuple[float, float], list, list, list, list, str]:
    """Given a playa page, return its layout as Camelot lays it out (``layout, (width, height), images, chars,
    horizontal text lines, vertical text lines, rotation``): a page whose text runs up or down the sheet is turned
    upright first, as Camelot does, so that its rows read left to right."""
    from camelot.utils import get_image_char_and_text_objects, get_page_layout, get_rotation

    layout, dim = get_page_layout(page)
    images, chars, horizontal, vertical = get_image_char_and_text_objects(layout)
    rotation = get_rotation(chars, horizontal, vertical)
    if rotation:
        page.set_initial_ctm(page.space, page.rotate + (-90 if rotation == "clockwise" else 90))
        layout, dim = get_page_layout(page)
        images, chars, horizontal, vertical = get_image_char_and_text_objects(layout)
    return layout, dim, images, chars, horizontal, vertical, rotation


def _bound_page(n: int | str) -> dict:
    return {
        "error": "bound",
        "what": f"page {n}",
        "limit": f"{DEFAULT_MAX_PDF_PAGE_SECONDS} s",
        "setting": "DEFAULT_MAX_PDF_PAGE_SECONDS",
    }


def read(path: str) -> dict:
    """Given a PDF's path, return ``{"pages": [[line, ...], ...], "tables": [...]}`` (or ``{"error": ...}``).

    The file is parsed once, by playa (Camelot's parser): each page's glyphs give its lines, and the same layout
    gives Camelot's stream-mode tables, so no page is parsed twice.
    """
    import playa

    def alarm(signum: int, frame: Any) -> None:
        raise _PageTimeout

    signal.signal(signal.SIGALRM, alarm)
    try:
        pdf = playa.open(path, space="page")
    except Exception as e:  # the parser raises many kinds on broken files
        return _classify(e, "damaged or truncated PDF")
    pages = []
    tables: list[dict] = []
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
        for n in range(1, count + 1):
            signal.alarm(DEFAULT_MAX_PDF_PAGE_SECONDS)
            try:
                layout, dim, images, chars, horizontal, vertical, rotation = page_to_layout(pdf.pages[n - 1])
                height = float(dim[1])
                glyphs = [char_to_dict(c, height) for c in chars]
                turned = chars_to_true_order(glyphs, float(dim[0]))  # drawn flipped or mirrored: read in true order
                words = chars_to_words(glyphs)
                lines = words_to_lines(words)
                pages.append(lines)
                page_rows = pdf_columns.words_to_rows(words, DEFAULT_LINE_TOLERANCE)
                tops = [row[0]["top"] for row in page_rows]
            except _Mirrored as e:
                return {
                    "error": "kind",
                    "detail": f"page {n}: {e.args[0]:,} glyphs drawn mirrored or turned (right to left) among upright "
                    "text; their order cannot be told",
                }
            except _PageTimeout:
                return _bound_page(n)
            except MemoryError:
                raise
            except Exception as e:
                try:
                    return _classify(e, f"page {n} could not be read")
                except _PageTimeout:
                    return _bound_page(n)
            finally:
                signal.alarm(0)
            if not lines or turned:
                continue  # Camelot reads the glyphs as drawn: the lines of a page drawn flipped or mirrored stand alone
            signal.alarm(DEFAULT_MAX_PDF_PAGE_SECONDS)
            try:
                laid = (layout, dim, images, horizontal, vertical, rotation)
                tables += layout_to_stream_tables(path, n, laid, tops, [line["text"] for line in lines], page_rows)
            except _PageTimeout:
                pass  # the page's lines are read; its tables by alignment are not (the run-together path still reads them)
            except MemoryError:
                raise
            except Exception:
                pass  # Camelot could not read the page's tables: the lines stand
            finally:
                signal.alarm(0)
    return {"pages": pages, "tables": tables}


def layout_to_stream_tables(
    path: str, n: int, laid: tuple, tops: list[float], texts: list[str], page_rows: list[list[dict]] | None = None
) -> list[dict]:
    """Given a PDF's path, a page number, the page as ``page_to_layout`` laid it out (without its chars), the tops
    of its lines, their texts and their words, return the tables Camelot's stream mode finds on it by the alignment of
    its text: ``{"page", "rows": [[cell, ...]], "lines": [index of the page's line each row was printed on]}`` (a row
    that stands on no line of the page is left out). Each table takes the rows the page prints under its columns below
    its last row (``table_to_tail``), and two tables that read one line alike are one (``tables_to_joined``)."""
    import warnings

    from camelot.parsers import Stream

    layout, dim, images, horizontal, vertical, rotation = laid
    height = float(dim[1])
    parser = Stream()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parser.prepare_page_parse(path, layout, dim, n, images, horizontal, vertical, rotation, layout_kwargs={})
        found = parser.extract_tables()
    read: list[tuple[list[list[str]], list[int], list[tuple[float, float]]]] = []
    for table in found:
        rows: list[list[str]] = []
        at: list[int] = []
        scrambled: set[int] = set()  # lines a row of which Camelot dealt out of order: their other pieces go too
        for cells, (y_top, y_bottom) in zip(table.df.values.tolist(), table.rows):
            top = height - max(y_top, y_bottom)
            bottom = height - min(y_top, y_bottom)
            near = [i for i, t in enumerate(tops) if top - DEFAULT_LINE_TOLERANCE <= t <= bottom]
            if not near:
                continue
            row = [" ".join(str(c).split()) for c in cells]
            line = row_to_line(row, near, texts, at)
            if not _shared_words(row, texts[line]):  # none of its words on the lines of its height: the next line?
                line = row_to_line(row, [i for i in (near[0] - 1, near[-1] + 1) if 0 <= i < len(texts)] + [line], texts)
            row = row_to_label_restored(
                row_to_joined_words(row_to_own_numbers(row, texts[line]), texts[line]), texts[line]
            )
            ordered = row_to_line_order(row, texts[line])
            if ordered is None:
                scrambled.add(line)
                continue  # Camelot dealt a line's words out of order (``χ = 61.24,`` | ``= < v 11, p 0.0005``): not a row
            row = ordered
            rows.append(row)
            at.append(line)
        pieces = [k for k, line in enumerate(at) if line in scrambled and _is_piece(rows[k], texts[line])]
        rows, at = [r for k, r in enumerate(rows) if k not in pieces], [a for k, a in enumerate(at) if k not in pieces]
        rows, at = rows_to_one_a_line(rows, at, texts)
        read.append((rows, at, [(float(a), float(b)) for a, b in table.cols]))
    if page_rows is not None:
        taken = {i for _, at, _ in read for i in at}
        for rows, at, cols in read:
            more, lines = table_to_tail(cols, rows, at, page_rows, taken)
            rows += more
            at += lines
    return [{"page": n, "rows": rows, "lines": at} for rows, at in tables_to_joined([(r, a) for r, a, _ in read])]


def tables_to_joined(tables: list[tuple[list[list[str]], list[int]]]) -> list[tuple[list[list[str]], list[int]]]:
    """Given a page's stream tables (rows, the line of each row) in Camelot's order, return them with each table whose
    first row reads its line as the row of another table that ends on that line does, cell for cell, joined to it
    (that row once), and those of fewer than two rows left out: Camelot cuts one table in two at a row it reads in
    both (detect_vertical_false.pdf: `Château Léoube 2016 | 10 €` ends the first and starts the second)."""
    out: list[tuple[list[list[str]], list[int]]] = []
    for rows, at in tables:
        if not rows:
            continue
        host = next(
            (
                k
                for k, (r, a) in enumerate(out)
                if a and a[-1] == at[0] and r[-1] == rows[0] and len(r[-1]) == len(rows[0])
            ),
            None,
        )
        if host is None:
            out.append((list(rows), list(at)))
        else:
            out[host] = (out[host][0] + rows[1:], out[host][1] + at[1:])
    return [(rows, at) for rows, at in out if len(rows) >= 2]


def row_to_label_restored(row: list[str], line: str) -> list[str]:
    """Given a row of Camelot's cells and the text of its line, return the row with the words its line prints before
    its cells set in its first column, where that column is empty, the row's first cell stands in the second column
    and the line is those words then the row's cells: Camelot leaves a label out of its row (eu-015.pdf: `EIT 119`
    is the row `'' | 119`)."""
    filled = [j for j, c in enumerate(row) if c.strip()]
    if not filled or filled[0] != 1 or row[0].strip():
        return row
    tail = " ".join(row[j] for j in filled)
    text = " ".join(line.split())
    if not text.endswith(" " + tail):
        return row
    head = text[: -len(tail) - 1].strip()
    if not any(ch.isalpha() for ch in head) or cell_is_figure(head):
        return row
    return [head, *row[1:]]


def rows_to_one_a_line(rows: list[list[str]], at: list[int], texts: list[str]) -> tuple[list[list[str]], list[int]]:
    """Given a table's rows, the line each was placed on and the page's line texts, return them with each row that
    shares its line with a longer row and prints nothing that line does not (a superscript ``2`` of ``χ2`` that Camelot
    set on a row of its own) left out. Rows that still share a line are kept: such a table is not read as printed."""
    size = [len("".join(r).replace(" ", "")) for r in rows]
    keep = []
    for k, line in enumerate(at):
        rivals = [m for m in range(len(rows)) if at[m] == line and m != k]
        piece = _is_piece(rows[k], texts[line])
        if rivals and piece and any(size[m] > size[k] or (size[m] == size[k] and m < k) for m in rivals):
            continue
        keep.append(k)
    return [rows[k] for k in keep], [at[k] for k in keep]


def _is_piece(row: list[str], line: str) -> bool:
    """Whether a row prints nothing its line does not print."""
    return not Counter("".join(row).replace(" ", "")) - Counter(line.replace(" ", ""))


def row_is_scrambled(row: list[str], line: str) -> bool:
    """Given a row of Camelot's cells and the text of its line, return whether the row prints only what the line
    prints, but not in the line's order, even with the words of each cell taken in any order: Camelot cut the line's
    words across its columns out of order (a formula line such as ``χ2 = 61.24, v =11, p < 0.0005``), so no cell of it
    stands where the page printed it. A row with text from other lines (a wrapped cell) is not judged here."""
    return row_to_line_order(row, line) is None


#: Most words of one cell whose orders are tried against its line (``row_to_line_order``).
DEFAULT_MAX_REORDERED_CELL_WORDS = 4


def _end_in(flat: str, text: str, start: int) -> int | None:
    """Where ``text`` (no spaces) ends as a subsequence of ``flat`` from ``start``, or None."""
    pos = start
    for c in text:
        pos = flat.find(c, pos) + 1
        if pos == 0:
            return None
    return pos


def row_to_line_order(row: list[str], line: str) -> list[str] | None:
    """Given a row of Camelot's cells and the text of its line, return the row with each cell's words in the order its
    line prints them, or None when no order of each cell's words (up to DEFAULT_MAX_REORDERED_CELL_WORDS of them) reads
    the row in the line's order. Camelot sets a label centred over several rows after the row's own words in the cell
    (row_span_1.pdf: `San Francisco PCCM` for the line `PCCM San Francisco Family Mosaic 25`), and the row was then taken
    for a scrambled one and dropped. A row in the line's order, or with text from other lines, is returned as it is."""
    if not _is_piece(row, line):
        return row
    flat = line.replace(" ", "")
    if _end_in(flat, "".join(row).replace(" ", ""), 0) is not None:
        return row
    out: list[str] = []
    pos = 0
    for cell in row:
        words = cell.split()
        orders = [words]
        if 1 < len(words) <= DEFAULT_MAX_REORDERED_CELL_WORDS:
            orders += [list(p) for p in itertools.permutations(words) if list(p) != words]
        best: tuple[int, list[str]] | None = None
        for order in orders:  # the order that ends first leaves the most line to the cells after it
            end = _end_in(flat, "".join(order), pos)
            if end is not None and (best is None or end < best[0]):
                best = (end, order)
        if best is None:
            return None
        pos = best[0]
        out.append(cell if best[1] == words else " ".join(best[1]))
    return out


def row_to_line(row: list[str], near: list[int], texts: list[str], taken: Collection[int] = ()) -> int:
    """Given a row of Camelot's cells, the page's lines within the row's height, the page's line texts and the lines
    earlier rows took, return the line the row was printed on: the one holding most of its words, of those lines and
    the one above and below them (on a tie, one within its height, then one no earlier row took, then the first).

    Camelot stretches a row over lines above it that no other row takes (a header drawn up the page): the row is still
    the line that printed its numbers, not the first line of its stretch. A line an earlier row took can still be the
    row's own: Camelot sets a word printed a little higher on the same line (a chart's `non-EU` beside `France 136`) on
    a row of its own, which took the line first. And Camelot's bounds of a row can miss its own line: an empty row above
    took the height of `Grand Total 1.726 Unspecified 182`, whose bounds then held only the line below it."""
    around = [i for i in (near[0] - 1, near[-1] + 1) if 0 <= i < len(texts) and i not in near]
    return max([*near, *around], key=lambda i: (_shared_words(row, texts[i]), i in near, i not in taken, -i))


def _shared_words(row: list[str], line: str) -> int:
    """How many of a row's words its line prints."""
    return sum((Counter(" ".join(row).split()) & Counter(line.split())).values())


def row_to_joined_words(row: list[str], line: str) -> list[str]:
    """Given a row of Camelot's cells and the text of its line, return the row with each cell that ends inside a word of
    the line joined to the next cell (which is left empty): Camelot cuts a kerned first letter off its word
    (``N`` | ``et Asset Value``), while the glyphs of the line print ``Net Asset Value`` with no gap."""
    out = list(row)
    for j in range(len(out) - 1):
        a, b = out[j], out[j + 1]
        if not a or not b:
            continue
        padded = f" {' '.join(line.split())} "  # cells are words joined by single spaces
        if f" {a}{b} " in padded and f" {a} {b} " not in padded:
            out[j], out[j + 1] = a + b, ""
    return out


def row_to_own_numbers(row: list[str], line: str) -> list[str]:
    """Given a row of Camelot's cells and the text of the line it was printed on, return the row with each cell that
    holds words from other lines cut to the words its own line printed, where those are one number (``Brian Calley 55``,
    a name of a header drawn up the page merged into the cell under it, is ``55``). Other cells are kept whole (a
    label wrapped over two lines stays one label)."""
    have = Counter(line.split())
    out = []
    for cell in row:
        words = cell.split()
        own = [w for w in words if have[w] > 0]
        if len(own) < len(words) and len(own) == 1 and pdf_columns.text_to_is_numeric(own[0]):
            cell = own[0]
        out.append(cell)
    return out


def serve() -> int:
    """Read requests ``{"pdf": path, "out": path}`` from stdin, one JSON line each; for each, fork a child that reads
    the PDF under the memory cap, writes what ``main`` would print to ``out`` and exits with ``main``'s status; answer
    with that status on a line of its own (a child killed by a signal: minus the signal's number). Ends at EOF.

    The modules are imported here once; each child starts with them.
    """
    import os

    import camelot  # noqa: F401  (imported once, for every child)
    import pdfplumber.utils  # noqa: F401
    import playa  # noqa: F401

    from recover.extractors.pdf import _limit_memory

    for request in sys.stdin:
        job = json.loads(request)
        pid = os.fork()
        if pid == 0:  # the child
            code = 70
            try:
                _limit_memory()
                with open(job["out"], "w", encoding="utf-8") as out:
                    os.dup2(out.fileno(), 1)  # whatever a library prints goes there, not into the answers
                    sys.stdout = out
                    code = main(["pdf_worker", job["pdf"]])
                    out.flush()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        sys.stdout.write(f"{code}\n")
        sys.stdout.flush()
    return 0


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
    sys.exit(serve() if sys.argv[1:] == ["--serve"] else main(sys.argv))
