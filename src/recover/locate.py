"""Locate: find each table of the rules in a document's lines, and read its rows.

A table is anchored by its title (the best fuzzy match) and by every line that matches
its header (a table may come in several chunks, each under a repeated header). From each
anchor the region grows forwards and backwards over rows, header fragments and short runs
of blank lines. The region's lines are then assigned to the vocabulary jointly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .labels import (
    DEFAULT_HEADER_FRAGMENT_CUTOFF,
    DEFAULT_LABEL_CUTOFF,
    DEFAULT_LABEL_MARGIN,
    Variant,
    Vocabulary,
    assign,
    clean_label,
    line_variants,
    normalize,
    score_variants,
    split_tail,
    trailing_digits,
)
from .model import Line, SourceRow, TableRegion
from .numbers import DEFAULT_MAX_MARK_DIGITS, NumberFormat, cell_to_piece, text_is_bound
from .rules import TableSpec

#: Lowest score for a line to be a table's title.
DEFAULT_TITLE_CUTOFF = 70.0
#: Lowest score for a line to be a (repeated) header of a table.
DEFAULT_HEADER_CUTOFF = 85.0
#: Most consecutive blank lines inside one table.
DEFAULT_MAX_BLANK_RUN = 2
#: Most consecutive lines inside one table that hold numbers but match no label (reported, not read).
DEFAULT_MAX_UNMATCHED_RUN = 2
#: Most lines one row's label may wrap onto beside the line holding its numbers (a label printed on four lines).
DEFAULT_MAX_WRAP_LINES = 3
#: Longest line taken for a part of a wrapped label (a longer one, or a sentence, is prose under the table).
DEFAULT_MAX_WRAP_CHARS = 60
#: Fewest points a wrapped label must gain over its line's own label to be joined with it.
DEFAULT_WRAP_GAIN = 5.0
#: Most lines without numbers right after a header (the lower rows of a multi-level header).
DEFAULT_MAX_HEADER_LINES = 2
#: Most lines of page furniture (footer, running head) a table may skip where it crosses a page break.
DEFAULT_MAX_PAGE_FURNITURE_LINES = 4
#: Longest line read as a title, header or row label, in characters (its digit run is kept whole).
DEFAULT_MAX_LINE_CHARS = 20_000
#: Most rows one table may have.
DEFAULT_MAX_TABLE_ROWS = 100_000


#: Most digits of a rank printed before a row's label (``label.rank``: ``1Lawson Crouse…``, ``12. Phil Kessel``).
DEFAULT_MAX_RANK_DIGITS = 6
_RANK = re.compile(rf"^\s*(\d{{1,{DEFAULT_MAX_RANK_DIGITS}}})\.?\s*(?=\S*[^\W\d_])")
#: Longest line taken for one column name of a header printed one name a line (``Rk`` / ``Player`` / ``G`` …).
DEFAULT_MAX_HEADER_NAME_CHARS = 24
#: Fewest lines of a header printed one column name a line.
DEFAULT_MIN_HEADER_NAME_LINES = 3
#: Most lines of a header printed one column name a line (the last ones of a longer run of short lines).
DEFAULT_MAX_HEADER_NAME_LINES = 200
#: Most blank lines between a header printed one name a line and the table's first row (``get_text()`` leaves the
#: markup's line breaks between them).
DEFAULT_MAX_HEADER_GAP_LINES = 6


def base_to_rank(base: str) -> tuple[str, str]:
    """Given the text before a row's numbers, return (the rank printed before its label, the label's text): a whole
    number of up to DEFAULT_MAX_RANK_DIGITS digits, a `.` after it aside, where a word follows (``1Lawson Crouse``: 1,
    ``Lawson Crouse``); ("", the text) where none is printed (``TOTAL``)."""
    m = _RANK.match(base)
    return (m.group(1), base[m.end() :]) if m else ("", base)


#: Scores below this are not kept per line (no label that low can be assigned, or tie with one that can).
DEFAULT_SCORE_FLOOR = DEFAULT_LABEL_CUTOFF - DEFAULT_LABEL_MARGIN


@dataclass
class _LineInfo:
    """A line's variants and, with a vocabulary, its scores: kept sparse (the labels within DEFAULT_LABEL_MARGIN of
    its best, at least DEFAULT_SCORE_FLOOR), so a table of 10,000 rows against 10,000 labels stays small."""

    variants: list[Variant]
    scores: dict[int, float] | None  # canonical label -> best score (vocabulary), or None
    which: dict[int, int] | None  # canonical label -> the variant index giving that score
    best: float = 0.0  # the best score over every label


def header_score(base: str, header_norm: str) -> float:
    """Given a line's text and a header, return how well the line starts with the header, spaces ignored.

    Fused pages lose the spaces of a header ("Case TypeCase StatusTotal"), and a header may
    run into the row after it, so the best prefix of the line counts too.
    """
    norm = normalize(base)
    if not norm:
        return 0.0
    target, tight = header_norm.replace(" ", ""), norm.replace(" ", "")
    best = fuzz.ratio(tight, target)
    for length in range(int(0.8 * len(target)), min(len(tight), int(1.2 * len(target))) + 1):
        best = max(best, fuzz.ratio(tight[:length], target))
    return best


def cells_to_label(cells: tuple[str, ...], fmt: NumberFormat) -> tuple[list[str], tuple[str, ...]] | None:
    """Given a line's printed cells, return (its label cells, the cells after the label), or None to read it as text.

    The first cell is the label, and so is every non-empty cell after it that is not a number
    or a placeholder (a group label spanned over rows, then the row's own). A line whose other
    cells are not all numbers, placeholders or empty is read as text. A row whose cells after
    its label are all empty is a row the page left blank (published blank, never dropped).
    """

    def numeric(c: str) -> bool:
        return any(cell_to_piece(c, f) is not None for f in fmt.formats)

    j = 1
    while j < len(cells) and cells[j].strip() and not numeric(cells[j]):
        j += 1
    rest = tuple(cells[j:])
    if not rest or not all(numeric(c) for c in rest):
        return None
    return [c.strip() for c in cells[:j] if c.strip()], rest


def _cell_variants(label_cells: list[str], tail: str) -> list[Variant]:
    """Given a row's label cells (a group label, then the row's own) and its numbers, return a variant per trailing run of label cells."""
    return [Variant(" ".join(label_cells[k:]), tail, "") for k in range(max(len(label_cells), 1))]


#: Most lines of one cell each joined to the label line above them (a row printed one cell a line).
DEFAULT_MAX_CELL_LINES = 200
#: Longest line read as one printed cell of a row printed one cell a line.
DEFAULT_MAX_CELL_CHARS = 64
#: Lines that only decorate the cell beside them on a page printed one cell a line: a currency sign before its number,
#: a percent sign or a closing parenthesis after it (``$`` / ``8,163``, ``15.9`` / ``%``, ``(76,421`` / ``)``).
_BEFORE_CELL = frozenset("$€£¥₹")
_AFTER_CELL = frozenset({"%", ")", "‰"})


def _cell_line(text: str, fmt: NumberFormat) -> bool:
    """Whether a line's text is one printed cell: one number (or a placeholder) and nothing else."""
    piece = None if not text or len(text) > DEFAULT_MAX_CELL_CHARS or " " in text.strip() else cell_to_piece(text, fmt)
    return (piece is not None and piece.kind != "blank") or text in fmt.placeholders or text_is_bound(text, fmt)


def _no_number(tail: str) -> bool:
    """Whether a line's numeric tail holds no number: none, or a footnote mark (``Research and development(1)``)."""
    return not tail or re.fullmatch(rf"\(\d{{1,{DEFAULT_MAX_MARK_DIGITS}}}\)", tail) is not None


#: Most blank lines between two cells of a row printed one cell a line (the page's spacer cells).
DEFAULT_MAX_BLANK_CELL_LINES = 12


def _cell_lines(lines: tuple[Line, ...], j: int, fmt: NumberFormat) -> tuple[list[str], int]:
    """Given a document's lines and where a row's cells would start, return the cells printed one a line from there (a
    lone ``$`` joined to the number after it, a lone ``%`` or ``)`` to the one before) and the line after them."""
    cells: list[str] = []
    pending, pending_at, blanks, n = "", j, 0, len(lines)  # a currency sign waiting for its number
    while j < n and len(cells) < DEFAULT_MAX_CELL_LINES and lines[j].cells is None:
        t = lines[j].text.strip()
        if t[:1] in _BEFORE_CELL:
            t = t[0] + t[1:].strip()  # `$ 93,736`
        if not t:
            blanks += 1
            if blanks > DEFAULT_MAX_BLANK_CELL_LINES:
                break
            j += 1
            continue
        blanks = 0
        if t in _BEFORE_CELL and not pending:
            pending, pending_at, j = t, j, j + 1
        elif t in _AFTER_CELL and cells and not pending:
            cells[-1], j = cells[-1] + t, j + 1
        elif _cell_line(t, fmt) or (t.startswith("(") and _cell_line(t + ")", fmt)):
            cells.append(pending + t)
            pending, j = "", j + 1
        else:
            break
    if pending:
        j = pending_at  # the sign belongs to what follows
    cells = [c for c in cells if _cell_line(c, fmt)]
    while cells and cells[-1] in fmt.placeholders and any(ch.isalpha() for ch in cells[-1]):
        cells.pop()  # a lone `X` or `n/a` ending the run: the next thing on the page (a link), unless a number follows
    return cells, j


def lines_to_cell_rows(lines: tuple[Line, ...], fmt: NumberFormat, labels: list[str]) -> tuple[Line, ...]:
    """Given a document's lines, its format and the labels of the rules' vocabularies, return the lines with each
    row printed one cell a line joined into one line whose cells the page kept.

    ``get_text()`` of an HTML table writes every cell on a line of its own (``Land`` / ``$`` / ``8,163`` / ``$`` /
    ``5,683``): a line that is a label of the vocabulary and holds no number (a footnote mark ``(1)`` aside; a label's own figures,
    where the line is that label), followed by lines that each print one
    number (blank lines and a lone ``$``, ``%`` or ``)`` beside a number aside), is one row whose cells are those
    lines: each a cell no reading splits or joins (``cells``). The blank lines right above such a row (the empty cells
    of a group's title row) count as one. Any other line is kept as it is."""
    if not labels:
        return lines
    norms = sorted({normalize(x) for x in labels} - {""})
    exact = set(norms)
    found: dict[int, tuple[list[str], int]] = {}  # line -> the cells printed one a line under it, and the line after
    for i, line in enumerate(lines):
        text = line.text.strip()
        if line.cells is None and text and len(text) <= DEFAULT_MAX_WRAP_CHARS * 4:
            cells, j = _cell_lines(lines, i + 1, fmt)
            if cells:
                found[i] = (cells, j)
    # the lines above them that are labels of the vocabulary, scored in one call
    fuzzy = [
        i
        for i in found
        if normalize(lines[i].text) not in exact and _no_number(split_tail(lines[i].text.strip(), fmt)[1])
    ]
    heads = {i for i in found if normalize(lines[i].text) in exact}
    for k in range(0, len(fuzzy) if norms else 0, 256):  # in blocks: a block x the vocabulary stays small
        block = fuzzy[k : k + 256]
        best = process.cdist(
            [normalize(lines[i].text) for i in block],
            norms,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=DEFAULT_LABEL_CUTOFF,
            dtype=np.uint8,
            workers=1,
        ).max(axis=1)
        heads |= {i for i, b in zip(block, best) if b >= DEFAULT_LABEL_CUTOFF}
    out: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if i not in heads:
            out.append(line)
            i += 1
            continue
        cells, j = found[i]
        text = line.text.strip()
        while len(out) > 1 and not out[-1].text.strip() and not out[-2].text.strip():
            out.pop()  # the empty cells of the line above (a group's title row) are one blank line, not a gap
        out.append(Line(" ".join([text, *cells]), line.number, line.page, (text, *cells)))
        i = j
    return tuple(out)


class LineIndex:
    """A document's lines split once into (label text, its numbers as printed), shared by its tables.

    ``cells`` keeps, per line, the printed cells after the label where the source kept them (else None).
    """

    def __init__(self, lines: tuple[Line, ...], fmt: NumberFormat):
        self.lines, self.fmt = lines, fmt
        self.bases: list[tuple[str, str]] = []
        self.cells: list[tuple[str, ...] | None] = []
        self.label_cells: dict[int, list[str]] = {}
        for n, line in enumerate(lines):
            split = cells_to_label(line.cells, fmt) if line.cells is not None and len(line.cells) > 1 else None
            if split is not None:
                label, rest = split
                self.label_cells[n] = label
                self.bases.append((" ".join(label)[-DEFAULT_MAX_LINE_CHARS:], " ".join(c.strip() or "∅" for c in rest)))
                self.cells.append(rest)
            else:
                b, t = split_tail(line.text, fmt)
                self.bases.append((b[-DEFAULT_MAX_LINE_CHARS:], t))
                self.cells.append(None)
        self.norms = [normalize(b) for b, _ in self.bases]
        self._whole_norms: list[str] | None = None

    @property
    def whole_norms(self) -> list[str]:
        """Return each line's whole text normalized (figures kept), computed once for the document's tables."""
        if self._whole_norms is None:
            self._whole_norms = [normalize(l.text[:DEFAULT_MAX_LINE_CHARS]) for l in self.lines]
        return self._whole_norms


class _Table:
    """The per-table state of a locate: the spec, the format, and the lines' readings."""

    def __init__(self, spec: TableSpec, index: LineIndex):
        self.spec, self.lines, self.index = spec, index.lines, index
        self.header_norm = normalize(spec.header) if spec.header else None
        self.title_norm = normalize(spec.title) if spec.title else None
        self.title_figures = re.findall(r"\d+", self.title_norm or "")
        self.spellings = list(spec.spellings)
        self.vocab = Vocabulary.of(self.spellings)
        self.canon_index = {c: i for i, c in enumerate(spec.canonical)}
        self.spelling_canon = np.array([self.canon_index[spec.spellings[s]] for s in self.spellings], dtype=int)
        assert list(self.spellings[: len(spec.canonical)]) == list(spec.canonical)
        self.moved = {d for d in (trailing_digits(s) for s in self.spellings) if d}
        # spellings of one canonical label that differ only in trailing figures ("18 to 2", "18 to 20"): a line
        # parted after either is read both ways
        by_norm: dict[str, set[int]] = {}
        for sp in self.spellings:
            by_norm.setdefault(normalize(sp), set()).add(self.canon_index[spec.spellings[sp]])
        self.spelling_norm = {n: next(iter(cs)) for n, cs in by_norm.items() if len(cs) == 1}
        self.bases = index.bases
        self.ranks: list[str] | None = None  # per line, the rank printed before its label (``label.rank``)
        timed = bool(spec.time_columns)
        if timed or spec.rank_column:
            self.bases = list(index.bases)
            for n, line in enumerate(self.lines):
                if index.cells[n] is not None:
                    continue
                if timed and ":" in line.text:  # a time ends the row: its colon is no label's
                    b, tail = split_tail(line.text, index.fmt, times=True)
                    self.bases[n] = (b[-DEFAULT_MAX_LINE_CHARS:], tail)
            if spec.rank_column:
                self.ranks = [""] * len(self.lines)
                for n, (b, tail) in enumerate(self.bases):
                    if index.cells[n] is None:
                        self.ranks[n], rest = base_to_rank(b)
                        self.bases[n] = (rest, tail)
        self.header_blocks: set[int] = set()  # the last lines of headers printed one column name a line
        self._info: dict[int, _LineInfo] = {}
        self.fragments: set[int] = set()  # lines without numbers inside the table: perhaps lines of wrapped labels
        self.wrapped_rows: set[int] = set()  # lines whose numbers stand under a label wrapped onto the lines above
        self.over = False  # a region walk passed DEFAULT_MAX_TABLE_ROWS

    def info(self, i: int) -> _LineInfo:
        """Return the variants of line i and, with a vocabulary, its best score per canonical label."""
        if i not in self._info:
            self._fill(
                list(range(max(0, i - 128), min(len(self.lines), i + 128)))
            )  # one scoring call per block of lines
        return self._info[i]

    def _fill(self, idx: list[int]) -> None:
        idx = [i for i in idx if i not in self._info]
        variants = [
            line_variants(*self.bases[i], self.header_norm, self.moved)
            if self.index.cells[i] is None
            else _cell_variants(self.index.label_cells[i], self.bases[i][1])
            for i in idx
        ]
        if not self.spec.canonical:
            for i, vs in zip(idx, variants):
                self._info[i] = _LineInfo(vs, None, None)
            return
        best, which = score_variants(variants, self.vocab)
        ncanon = len(self.spec.canonical)
        for k, (i, vs) in enumerate(zip(idx, variants)):
            # the first ncanon spellings are the canonical labels themselves; aliases follow
            scores, wh = best[k, :ncanon].copy(), which[k, :ncanon].copy()
            for sj in range(ncanon, len(self.spellings)):
                c = self.spelling_canon[sj]
                if best[k, sj] > scores[c]:
                    scores[c], wh[c] = best[k, sj], which[k, sj]
            top = float(scores.max()) if len(scores) else 0.0
            keep = np.flatnonzero(
                scores >= max(DEFAULT_SCORE_FLOOR, top - DEFAULT_LABEL_MARGIN)
            )  # the near-best alone matter
            self._info[i] = _LineInfo(
                vs,
                {int(c): float(scores[c]) for c in keep},
                {int(c): int(wh[c]) for c in keep},
                max(float(scores.max()), 0.0) if len(scores) else 0.0,
            )

    def is_row(self, i: int) -> bool:
        info = self.info(i)
        if not info.variants:
            return False
        if info.scores is None:
            return any(normalize(clean_label(v.label)) for v in info.variants)
        return info.best >= DEFAULT_LABEL_CUTOFF

    def is_wrapped_row(self, i: int, above: list[int]) -> bool:
        """Whether line i, holding numbers, is a row once the lines without numbers right above it are joined to its
        label (``Filetes y demás car-`` / ``nes de pescado 105.434 …``): the walk goes on under it."""
        if not self.spec.canonical or not self.has_numbers(i) or not above:
            return False
        base, tail = self.bases[i]
        parts = [self.lines[p].text.strip() for p in above]
        variants = [[Variant(join_wrapped([*parts[k:], base.strip()]), tail, "")] for k in range(len(parts))]
        best, _ = score_variants(variants, self.vocab)
        if best.size and float(best.max()) >= DEFAULT_LABEL_CUTOFF:
            self.wrapped_rows.add(i)
            return True
        return False

    def has_numbers(self, i: int) -> bool:
        return bool(self.bases[i][1])

    def headerish(self, i: int) -> bool:
        """Whether line i, holding figures, reads as a header row: its figures are years (``State 2019 2020``), or one
        digit ending a fused run of column names (``AreaC0C1C2``)."""
        return label_to_headerish(*self.bases[i])

    def _page_break_ahead(self, i: int) -> int:
        """Return the first line after a page break within a few lines of i (page furniture between), else 0."""
        page = self.lines[i].page
        if page is None:
            return 0
        for j in range(i, min(i + 2 * DEFAULT_MAX_PAGE_FURNITURE_LINES, len(self.lines))):
            if self.lines[j].page != page:
                # skip the running head of the new page, up to the table's next header or row
                for k in range(j, min(j + DEFAULT_MAX_PAGE_FURNITURE_LINES + 1, len(self.lines))):
                    if self.is_row(k) or self.is_title_or_header(k):
                        return k
                return 0
        return 0

    def same_figures_as_title(self, norm: str) -> bool:
        """Whether a line carries the title's figures: spinners swap words, not figures ("Table 2" is never "Table 1")."""
        return re.findall(r"\d+", norm) == self.title_figures

    def is_title_or_header(self, i: int) -> bool:
        """Whether line i repeats the table's title or header (as a table continued on a new page does)."""
        norm = self.index.norms[i]
        if self.title_figures and self.bases[i][1]:
            norm = self.index.whole_norms[i]  # the title's figures read as numbers
        if self.title_norm and norm and fuzz.ratio(norm, self.title_norm) >= DEFAULT_TITLE_CUTOFF:
            return self.same_figures_as_title(norm)
        return bool(self.header_norm and header_score(self.bases[i][0], self.header_norm) >= DEFAULT_HEADER_CUTOFF)

    def is_header_fragment(self, i: int) -> bool:
        norm, tail = self.index.norms[i], self.bases[i][1]
        return bool(
            self.header_norm
            and norm
            and not tail
            and fuzz.partial_ratio(norm, self.header_norm) >= DEFAULT_HEADER_FRAGMENT_CUTOFF
        )

    def anchors(self) -> tuple[int | None, list[int], bool]:
        """Return the title line (or None), the header lines, and whether a title or header was asked for."""
        spec, out, title_line = self.spec, [], None
        if self.title_norm:
            norms = self.index.norms
            # a title ending in figures (``…, years 1000-1500``): its figures are no row's numbers
            if self.title_figures:
                whole = self.index.whole_norms
                norms = [whole[i] if self.bases[i][1] else norm for i, norm in enumerate(norms)]
            hits = process.extract(
                self.title_norm,
                norms,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=DEFAULT_TITLE_CUTOFF,
                limit=20,
            )
            hits = [h for h in hits if self.same_figures_as_title(h[0])]
            if hits:
                title_line = max(hits, key=lambda h: (h[1], -h[2]))[2]
        if self.header_norm:
            coarse = process.cdist(
                [self.header_norm], self.index.norms, scorer=fuzz.partial_ratio, processor=None, workers=1
            )[0]
            if re.search(r"\d", self.header_norm):  # a header of figures (`1996 1993`) reads as a row's numbers
                whole = self.index.whole_norms
                coarse = [
                    max(a, b)
                    for a, b in zip(
                        coarse,
                        process.cdist([self.header_norm], whole, scorer=fuzz.partial_ratio, processor=None, workers=1)[
                            0
                        ],
                    )
                ]
            scores = [
                max(
                    header_score(self.bases[i][0], self.header_norm),
                    header_score(self.lines[i].text[:DEFAULT_MAX_LINE_CHARS], self.header_norm),
                )
                if coarse[i] >= DEFAULT_HEADER_CUTOFF - 15
                else 0.0
                for i in range(len(self.bases))
            ]
            if max(scores, default=0.0) < DEFAULT_HEADER_CUTOFF:  # no line prints the header: one name a line, perhaps
                for last, score in self._header_block_scores().items():
                    if score > scores[last]:
                        scores[last] = score
                        self.header_blocks.add(last)
            top = max(scores, default=0.0)
            out += [i for i, s in enumerate(scores) if s >= DEFAULT_HEADER_CUTOFF and s >= top - 10]
        return title_line, sorted(set(out)), bool(spec.title or spec.header)

    def _header_block_scores(self) -> dict[int, float]:
        """Return, for each run of DEFAULT_MIN_HEADER_NAME_LINES or more lines that each print one short text and no
        number (a header printed one column name a line: what ``get_text()`` makes of a ``<thead>``), its last line and
        how well the names, joined, read as the table's header."""
        assert self.header_norm is not None
        out: dict[int, float] = {}
        run: list[int] = []
        # a text much shorter than the header scores below DEFAULT_HEADER_CUTOFF whatever it holds: not scored
        shortest = len(self.header_norm.replace(" ", "")) * DEFAULT_HEADER_CUTOFF / (200 - DEFAULT_HEADER_CUTOFF)
        for i in range(len(self.lines) + 1):
            text = self.lines[i].text.strip() if i < len(self.lines) else ""
            if text and len(text) <= DEFAULT_MAX_HEADER_NAME_CHARS and not self.bases[i][1]:
                run.append(i)
                continue
            if len(run) >= DEFAULT_MIN_HEADER_NAME_LINES:
                joined = " ".join(self.lines[j].text.strip() for j in run[-DEFAULT_MAX_HEADER_NAME_LINES:])
                if len(joined) >= shortest:
                    out[run[-1]] = header_score(joined, self.header_norm)
            run = []
        return out

    def region(self, starts: list[int], anchors: list[int] | None = None) -> tuple[list[int], list[int]]:
        """Given lines to grow from (and other anchors the walk may pass), return the region and its unmatched lines."""
        n = len(self.lines)
        keep: set[int] = set()
        unmatched: set[int] = set()
        anchor_set = set(starts) | set(anchors or ())
        start_set = set(starts)
        strays: list[int]  # lines with numbers that read as no row, since the last row
        texts: list[int]  # lines without numbers, since the last row
        for a in starts:
            keep.add(a)
            # a page that sets a blank line around every line (an HTML page of <p> lines: the anchor and the row under
            # it each between blank lines) keeps a row one blank above
            spaced = all(0 <= j < n and not self.lines[j].text.strip() for j in (a - 1, a + 1, a + 3)) and bool(
                a + 2 < n and self.lines[a + 2].text.strip()
            )
            for step in (1, -1):
                # walking down from a title or header, the next lines without numbers are the header's rows
                i, blanks, strays, texts, adjacent = a + step, 0, [], [], set()
                after_header = DEFAULT_MAX_HEADER_LINES if step == 1 and not self.has_numbers(a) else 0
                # under a header printed one name a line, the blank lines before the first row are no gap
                gap = DEFAULT_MAX_HEADER_GAP_LINES if step == 1 and a in self.header_blocks else 0
                while 0 <= i < n:
                    text = self.lines[i].text.strip()
                    if not text:
                        blanks += 1
                        self.fragments.update(texts)  # the last row's label may have wrapped onto them
                        texts = []  # a label does not wrap over a blank line
                        if blanks > (DEFAULT_MAX_BLANK_RUN + gap if step == 1 else int(spaced)):
                            break  # above its anchor a table reaches only the lines right against it
                    elif (
                        i in anchor_set
                        or self.is_row(i)
                        or (step == 1 and (self.is_header_fragment(i) or self.is_title_or_header(i)))
                        or (step == 1 and self.is_wrapped_row(i, texts))
                    ):
                        blanks, gap = 0, 0
                        keep.add(i)
                        unmatched.update(strays)  # a stray line between rows is inside the table
                        self.fragments.update(texts)  # and so is a line of a wrapped label
                        strays, texts = [], []
                        if i in start_set:
                            break  # another start: its own walks cover what lies beyond it
                        if len(keep) > DEFAULT_MAX_TABLE_ROWS + len(anchor_set):
                            self.over = True  # the row bound, checked where the work happens
                            break
                        after_header = (
                            DEFAULT_MAX_HEADER_LINES if (i in anchor_set and i != a) or not self.has_numbers(i) else 0
                        )
                    elif (
                        step == 1 and (after_header or (i - 1 in anchor_set and i - 1 >= a)) and not self.has_numbers(i)
                    ):
                        after_header = max(after_header, DEFAULT_MAX_HEADER_LINES) - 1  # a lower header row
                        self.fragments.add(i)  # or the first line of a label wrapped onto the row below
                    elif step == 1 and (resume := self._page_break_ahead(i)):
                        i = resume  # footer and running head of a page break: skipped
                        continue
                    elif step == 1 and (after_header or i - 1 in anchor_set) and self.headerish(i):
                        after_header = (
                            max(after_header, DEFAULT_MAX_HEADER_LINES) - 1
                        )  # a header row whose column names are years
                    elif (
                        self.has_numbers(i)
                        and len(strays) < DEFAULT_MAX_UNMATCHED_RUN
                        and (self.spec.canonical or not self.bases[i][0].strip())
                    ):
                        strays.append(
                            i
                        )  # numbers under no label of the vocabulary, or a digit run wrapped onto its own line
                        after_header = 0  # a line of numbers ends the header: what follows is no header row
                        if i - step in keep or i - step in adjacent or i - step in texts:
                            adjacent.add(i)  # right under the table's rows: one of them, even if no row follows
                        self.fragments.update(texts)  # a line of its wrapped label, perhaps
                        texts = []  # the lines of the next row's label start after it
                    elif (
                        not self.has_numbers(i)
                        and len(texts) < DEFAULT_MAX_WRAP_LINES
                        and (keep & {i - step} or strays or texts)
                        and len(text) <= DEFAULT_MAX_WRAP_CHARS
                        and not text.endswith((".", ":"))
                    ):
                        texts.append(i)  # perhaps a line of a label wrapped over several lines
                    else:
                        break
                    i += step
                unmatched.update(adjacent & set(strays))
        if keep:
            # a wrapped label's last line, or a wrapped digit run, may follow the table's last row
            last = max(keep | unmatched)
            for j in range(last + 1, min(last + 1 + DEFAULT_MAX_WRAP_LINES, n)):
                line = self.lines[j].text.strip()
                if (
                    not line
                    or len(line) > DEFAULT_MAX_WRAP_CHARS
                    or line.endswith((".", ":"))
                    or self.is_title_or_header(j)
                ):
                    break
                if self.has_numbers(j):
                    if not self.bases[j][0].strip():
                        unmatched.add(j)
                    break
                self.fragments.add(j)
        return sorted(keep), sorted(unmatched - keep)


def lines_to_region(spec: TableSpec, lines: tuple[Line, ...] | LineIndex, fmt: NumberFormat) -> TableRegion:
    """Given a table's spec and a document's lines (or their LineIndex), return the table's rows in source order."""
    index = lines if isinstance(lines, LineIndex) else LineIndex(lines, fmt)
    lines = index.lines
    t = _Table(spec, index)
    title_line, headers, asked = t.anchors()
    anchors = sorted(set(headers) | ({title_line} if title_line is not None else set()))
    if asked and not anchors:
        what = " and ".join(w for w in ("title", "header") if getattr(spec, w))
        return TableRegion(spec.id, [], found=False, notes=[f"no line matches its {what}"])
    unmatched: list[int]
    if not asked:
        region, unmatched = list(range(len(lines))), []
    elif title_line is None:
        region, unmatched = t.region(anchors)  # every header: a table may come in chunks
    else:
        # grow from the title: a repeated header is a chunk of this table only if the walk reaches it,
        # so another table with the same header (and its own title) is never read as this one
        region, unmatched = t.region([title_line], headers)
        if headers and not set(headers) & set(region) and not any(t.is_row(i) for i in region):
            after = [h for h in headers if h > title_line] or headers
            chunk, chunk_unmatched = t.region([after[0]], headers)
            region, unmatched = sorted(set(region) | set(chunk)), sorted(set(unmatched) | set(chunk_unmatched))
        anchors = [a for a in anchors if a in region]
    if t.over:
        return TableRegion(
            spec.id,
            [],
            found=False,
            notes=[
                f"over {DEFAULT_MAX_TABLE_ROWS:,} rows exceed the bound of {DEFAULT_MAX_TABLE_ROWS:,} (DEFAULT_MAX_TABLE_ROWS)"
            ],
        )
    anchor_set = set(anchors)
    candidates = [i for i in region if i not in anchor_set or t.has_numbers(i)]
    candidates = [i for i in candidates if t.is_row(i) or i in t.wrapped_rows]
    if len(candidates) + len(unmatched) > DEFAULT_MAX_TABLE_ROWS:
        what = f"{len(candidates) + len(unmatched):,} rows"
        return TableRegion(
            spec.id,
            [],
            found=False,
            notes=[f"{what} exceed the bound of {DEFAULT_MAX_TABLE_ROWS:,} (DEFAULT_MAX_TABLE_ROWS)"],
        )
    notes: list[str] = []
    # a line of digits alone right under a row is that row's digit run, wrapped at a margin: joined to it
    numeric = set(candidates) | set(unmatched)
    conts = {
        u: u - 1
        for u in unmatched
        if not clean_label(t.bases[u][0]) and u - 1 in numeric and index.cells[u - 1] is None
    }
    row_lines = sorted(numeric - set(conts))
    more: dict[int, list[int]] = {i: [] for i in row_lines}
    for u, i in sorted(conts.items()):
        while i in conts:  # a run wrapped over several lines (`.` then `..`, labels cleaned away): to the row above all
            i = conts[i]
        more[i].append(u)
    rows: list[SourceRow] = []
    if spec.canonical:
        scores = [dict(t.info(i).scores or {}) for i in row_lines]
        bests = [t.info(i).best for i in row_lines]
        labels = {i: t.bases[i][0] for i in row_lines}
        wrapped = _wrapped_labels(t, row_lines, bests)
        for r, (pre, post, better) in wrapped.items():
            i = row_lines[r]
            scores[r], bests[r] = better, max(better.values())
            more[i] = sorted(more[i] + pre + post)
            labels[i] = " ".join(
                [lines[p].text.strip() for p in pre] + [labels[i].strip()] + [lines[p].text.strip() for p in post]
            )
        pairs = dict(assign(scores))
        for r, i in enumerate(row_lines):
            info = t.info(i)
            cj = pairs.get(r)
            if cj is None:
                rows.append(
                    SourceRow(
                        lines[i],
                        clean_label(labels[i]),
                        round(bests[r], 1),
                        info.variants[0].digits if info.variants else t.bases[i][1],
                        cells=index.cells[i],
                        matched=False,
                        glued=_glued(info.variants[0].label if info.variants else ""),
                    )
                )
                continue
            v = (
                info.variants[info.which[cj]]
                if info.variants and info.which and r not in wrapped
                else Variant(labels[i], t.bases[i][1], "")
            )
            if r in wrapped and info.variants:
                v = info.variants[0]
            row = SourceRow(
                lines[i],
                spec.canonical[cj],
                round(scores[r][cj], 1),
                v.digits,
                cells=index.cells[i],
                glued=_glued(v.label),
            )
            if r not in wrapped and index.cells[i] is None:
                partings = _label_partings(t, info.variants, cj)
                if v.digits in partings and len(partings) > 1:
                    row.tails = tuple(partings)
                    row.tails_glued = tuple(partings[d] for d in row.tails)
            rows.append(row)
    else:
        for i in row_lines:
            info = t.info(i)
            if not info.variants:
                rows.append(SourceRow(lines[i], "", None, t.bases[i][1], cells=index.cells[i], matched=False))
                continue
            # without a vocabulary, drop the longest header fragment that leaves a label
            v = max(info.variants, key=lambda v: (bool(normalize(clean_label(v.label))), -len(v.label), -len(v.moved)))
            rows.append(
                SourceRow(lines[i], clean_label(v.label), None, v.digits, cells=index.cells[i], glued=_glued(v.label))
            )
    by_line = {r.line.number: r for r in rows}
    for i in row_lines:
        row = by_line[lines[i].number]
        if t.ranks is not None:
            row.rank = t.ranks[i]
        if more[i]:
            row.more = tuple(lines[j] for j in more[i])
            tail = " ".join(t.bases[j][1] for j in more[i] if j in conts)
            if tail:
                row.tails = (
                    row.digits + tail,
                    row.digits + " " + tail,
                )  # the wrap may or may not have cut between two cells
    rows.sort(key=lambda r: r.line.number)
    found = bool(rows)
    if not found:
        notes.append("no rows found" + (" near its title/header" if asked else ""))
    return TableRegion(
        spec.id,
        rows,
        found=found,
        notes=notes,
        strays=sum(not r.matched for r in rows),
        title_line=lines[title_line].number if title_line is not None else None,
    )


def _label_partings(t: _Table, variants: list[Variant], cj: int) -> dict[str, bool]:
    """Given a line's variants and its canonical label, return the digit runs left by each parting whose label text is a
    spelling of that label, each with whether it was cut from a run (glued): two where the label's last figures may
    stay with it or not (``18 to 2`` | ``013``, ``18 to 20`` | ``13``), both to be read."""
    out: dict[str, bool] = {}
    for w in variants:
        if t.spelling_norm.get(normalize(clean_label(w.label))) == cj and w.digits not in out:
            out[w.digits] = bool(w.moved) or _glued(w.label)
    return out


def join_wrapped(parts: list[str]) -> str:
    """Given the lines of a label wrapped over several lines, return it on one line: a word the line's end
    hyphenated is joined again (``car-`` / ``nes de pescado``: ``carnes de pescado``)."""
    out = ""
    for part in parts:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].isalpha() and part[:1].islower():
            out = out[:-1] + part
        else:
            out = f"{out} {part}" if out else part
    return out


def label_to_headerish(base: str, tail: str) -> bool:
    """Given a line's label text and figures, return whether it reads as a header row: its figures are years
    (``State 2019 2020``) or ranges of years (``2013–2017``: issue 16), or one digit ending a fused run of column names
    (``AreaC0C1C2``)."""
    tokens = tail.split()
    if tokens and all(re.fullmatch(r"(?:19|20)\d\d(?:[-\u2013\u2014/](?:19|20)?\d\d)?", t) for t in tokens):
        return True
    return len(tail) == 1 and bool(base) and base[-1].isupper()


def _glued(label: str) -> bool:
    """Given the label text before a row's numbers, return whether the numbers start right after it (no whitespace)."""
    return bool(label) and not label[-1].isspace()


def _wrapped_labels(
    t: _Table, row_lines: list[int], bests: list[float]
) -> dict[int, tuple[list[int], list[int], dict[int, float]]]:
    """Given a table's row lines and their label scores, return the rows whose label wraps onto lines without numbers.

    For each row, the lines without numbers just above and below it (``t.fragments``) are tried
    as parts of its label; a join is kept when it matches a label of the vocabulary clearly
    better (DEFAULT_WRAP_GAIN) than the line alone, each line joining one row at most.
    """
    if not t.fragments or not len(row_lines):
        return {}
    options: list[tuple[float, int, list[int], list[int], dict[int, float]]] = []
    frag = t.fragments
    for r, i in enumerate(row_lines):
        before = [p for p in range(i - DEFAULT_MAX_WRAP_LINES, i) if p in frag and all(q in frag for q in range(p, i))]
        after = [
            p
            for p in range(i + 1, i + 1 + DEFAULT_MAX_WRAP_LINES)
            if p in frag and all(q in frag for q in range(i + 1, p + 1))
        ]
        combos: list[tuple[list[int], list[int]]] = [(before[k:], []) for k in range(len(before))] + [
            ([], after[: k + 1]) for k in range(len(after))
        ]
        if before and after:
            combos.append((before[-1:], after[:1]))
        if not combos:
            continue
        base, tail = t.bases[i]
        variants = [
            [
                Variant(
                    join_wrapped(
                        [t.lines[p].text.strip() for p in pre]
                        + [base.strip()]
                        + [t.lines[p].text.strip() for p in post]
                    ),
                    tail,
                    "",
                )
            ]
            for pre, post in combos
        ]
        best, _ = score_variants(variants, t.vocab)
        ncanon = len(t.spec.canonical)
        plain = bests[r]
        for (pre, post), row in zip(combos, best):
            canon = row[:ncanon].copy()
            for sj in range(ncanon, len(t.spellings)):
                c = t.spelling_canon[sj]
                canon[c] = max(canon[c], row[sj])
            top = float(canon.max())
            if top >= DEFAULT_LABEL_CUTOFF and top >= plain + DEFAULT_WRAP_GAIN:
                near = np.flatnonzero(canon >= max(DEFAULT_SCORE_FLOOR, top - DEFAULT_LABEL_MARGIN))
                options.append((top - plain, r, pre, post, {int(c): float(canon[c]) for c in near}))
    chosen: dict[int, tuple[list[int], list[int], dict[int, float]]] = {}
    used: set[int] = set()
    for _, r, pre, post, canon in sorted(options, key=lambda o: -o[0]):
        if r in chosen or used & set(pre + post):
            continue
        chosen[r] = (pre, post, canon)
        used.update(pre + post)
    return chosen


def _printed(row: SourceRow) -> tuple[str, ...]:
    """Given a row, return the numbers it printed, as tokens: the same whether the source kept its cells or not."""
    if row.cells is not None:
        return tuple(" ".join(c.split()) for c in row.cells if c.strip())
    return tuple((row.digits if not row.tails else " / ".join(row.tails)).split())


def repeat_warning(line: int, first: int, label: str) -> str:
    """Given an identical repeated row's line, the line it repeats and its label, return the warning said of it."""
    return f"line {line} repeats line {first} ('{label}'): published once"


def _printed_label(row: SourceRow) -> str:
    """Given a row, return its label as the page printed it (its first cell, or its line before its numbers)."""
    if row.line.cells is not None:
        return next((c.strip() for c in row.line.cells if c.strip()), row.label)
    cut = row.line.text.rfind(row.digits) if row.digits else -1
    return clean_label(row.line.text[:cut]) if cut > 0 else row.label


def _mark_repeats(rows: list[SourceRow], notes: list[str], warnings: list[str]) -> None:
    """Given a table's rows, mark an identical repeat of an earlier row as its duplicate (published once),
    and read a row that repeats another row's label with other numbers on its own, outside the totals, under its
    printed label: the row that matches the label better keeps it (``Defendants Sentenced``, printed, over
    ``Defendants Charged``, 74 points like it), the earlier one where they match it alike."""
    first: dict[str, SourceRow] = {}
    for row in sorted(rows, key=lambda r: r.line.number):
        if not row.matched or not row.label:
            continue
        seen = first.get(row.label)
        if seen is None:
            first[row.label] = row
        elif _printed(seen) == _printed(row):
            row.duplicate_of = seen.line.number
            warnings.append(repeat_warning(row.line.number, seen.line.number, row.label))
        else:
            keep, other = (
                (row, seen) if (row.score or 0.0) > (seen.score or 0.0) + DEFAULT_LABEL_MARGIN else (seen, row)
            )
            first[row.label] = keep
            other.matched = False
            label, other.label = other.label, _printed_label(other)
            notes.append(
                f"line {other.line.number} repeats the label '{label}' of line {keep.line.number} with other numbers: read on its own"
            )


def line_to_title_owner(n: int, regs: list[TableRegion]) -> str | None:
    """Given a line several tables read alike and those tables' regions, return the table whose title is the last one
    printed above the line, where each of them has a title the page prints (a table's rows follow its title: the
    ``Adjustment for net (gains)/losses …`` line under ``… derivative instruments, net of tax:`` is that block's, not
    the next block's), else None."""
    titles = [(reg.title_line, reg.table_id) for reg in regs]
    if any(t is None for t, _ in titles):
        return None
    above = sorted(((t, tid) for t, tid in titles if t is not None and t < n), reverse=True)
    if not above or (len(above) > 1 and above[0][0] == above[1][0]):
        return None
    return above[0][1]


def regions_to_disjoint(regions: list[TableRegion]) -> list[TableRegion]:
    """Given every table's region, return them with each line read as a row of one table at most.

    A line that several tables read belongs to the one whose label it matches clearly best
    (``Defendants Sentenced`` is that label of one table, only near ``Defendants Charged`` of
    another: more than DEFAULT_LABEL_MARGIN apart); where they match it alike (a ``Total`` every
    vocabulary has), to the table whose rows it stands with: the one with a row nearest to it,
    within a few lines, where no other table has one as near. Otherwise it is left out of all
    of them (reported; its label is then a ``missing`` row of each): reading one line into two
    tables would publish one table's numbers as another's. Then each table's repeated rows are
    marked (an identical repeat is published once).
    """
    owners: dict[int, list[TableRegion]] = {}
    for reg in regions:
        for row in reg.rows:
            owners.setdefault(row.line.number, []).append(reg)
    shared = {n: regs for n, regs in owners.items() if len(regs) > 1}
    for n, regs in sorted(shared.items()):
        scores = sorted(
            ((next(r.score or 0.0 for r in reg.rows if r.line.number == n), reg.table_id) for reg in regs), reverse=True
        )
        if scores[0][0] > scores[1][0] + DEFAULT_LABEL_MARGIN:  # the line is one table's label, only like another's
            for reg in regs:
                if reg.table_id != scores[0][1]:
                    reg.rows = [r for r in reg.rows if r.line.number != n]
                    reg.found = bool(reg.rows)
            continue
        near = {}
        for reg in regs:
            others = [abs(r.line.number - n) for r in reg.rows if r.line.number not in shared]
            near[reg.table_id] = min(others, default=None)
        ranked = sorted((d, t) for t, d in near.items() if d is not None)
        owner = (
            ranked[0][1]
            if ranked
            and ranked[0][0] <= DEFAULT_MAX_BLANK_RUN + 1
            and (len(ranked) == 1 or ranked[1][0] > ranked[0][0])
            else None
        )
        if owner is None:
            owner = line_to_title_owner(n, regs)
        for reg in regs:
            if reg.table_id == owner:
                continue
            if owner is None:  # its label in each table is a row to decide (a missing row showing this line)
                tied = next(r for r in reg.rows if r.line.number == n)
                if tied.matched:
                    reg.left_out.setdefault(tied.label, tied)
            reg.rows = [r for r in reg.rows if r.line.number != n]
            if owner is None:
                other_ids = ", ".join(r.table_id for r in regs if r is not reg)
                reg.notes.append(f"line {n} also reads as a row of table {other_ids}: left out of both")
                reg.strays += 1
            reg.found = bool(reg.rows)
    for reg in regions:
        warnings: list[str] = []
        _mark_repeats(reg.rows, reg.notes, warnings)
        reg.warnings += warnings
        reg.strays = sum(not r.matched for r in reg.rows) + sum(1 for note in reg.notes if "left out of both" in note)
    return regions
