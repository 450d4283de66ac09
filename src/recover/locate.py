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
from .numbers import NumberFormat
from .rules import TableSpec

#: Lowest score for a line to be a table's title.
DEFAULT_TITLE_CUTOFF = 70.0
#: Lowest score for a line to be a (repeated) header of a table.
DEFAULT_HEADER_CUTOFF = 85.0
#: Most consecutive blank lines inside one table.
DEFAULT_MAX_BLANK_RUN = 2
#: Most consecutive lines inside one table that hold numbers but match no label (reported, not read).
DEFAULT_MAX_UNMATCHED_RUN = 2
#: Most lines without numbers right after a header (the lower rows of a multi-level header).
DEFAULT_MAX_HEADER_LINES = 2
#: Most lines of page furniture (footer, running head) a table may skip where it crosses a page break.
DEFAULT_MAX_PAGE_FURNITURE_LINES = 4
#: Longest line read as a title, header or row label, in characters (its digit run is kept whole).
DEFAULT_MAX_LINE_CHARS = 20_000
#: Most rows one table may have.
DEFAULT_MAX_TABLE_ROWS = 100_000


@dataclass
class _LineInfo:
    variants: list[Variant]
    scores: np.ndarray | None  # best score per canonical label (vocabulary) or None
    which: np.ndarray | None  # the variant index giving that score


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


class LineIndex:
    """A document's lines split once into (text before the digit run, digit run), shared by its tables."""

    def __init__(self, lines: tuple[Line, ...], fmt: NumberFormat):
        self.lines, self.fmt = lines, fmt
        self.bases = [(b[-DEFAULT_MAX_LINE_CHARS:], t) for b, t in (split_tail(l.text, fmt) for l in lines)]
        self.norms = [normalize(b) for b, _ in self.bases]


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
        self.bases = index.bases
        self._info: dict[int, _LineInfo] = {}

    def info(self, i: int) -> _LineInfo:
        """Return the variants of line i and, with a vocabulary, its best score per canonical label."""
        if i not in self._info:
            self._fill([i])
        return self._info[i]

    def _fill(self, idx: list[int]) -> None:
        idx = [i for i in idx if i not in self._info]
        variants = [line_variants(*self.bases[i], self.header_norm, self.moved) for i in idx]
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
            self._info[i] = _LineInfo(vs, np.maximum(scores, 0.0), wh)

    def is_row(self, i: int) -> bool:
        info = self.info(i)
        if not info.variants:
            return False
        if info.scores is None:
            return any(normalize(clean_label(v.label)) for v in info.variants)
        return float(info.scores.max()) >= DEFAULT_LABEL_CUTOFF

    def has_numbers(self, i: int) -> bool:
        return bool(self.bases[i][1])

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
        if self.title_norm and norm and fuzz.ratio(norm, self.title_norm) >= DEFAULT_TITLE_CUTOFF:
            return self.same_figures_as_title(norm)
        return bool(self.header_norm and header_score(self.bases[i][0], self.header_norm) >= DEFAULT_HEADER_CUTOFF)

    def is_header_fragment(self, i: int) -> bool:
        norm, tail = self.index.norms[i], self.bases[i][1]
        return bool(self.header_norm and norm and not tail and fuzz.partial_ratio(norm, self.header_norm) >= DEFAULT_HEADER_FRAGMENT_CUTOFF)

    def anchors(self) -> tuple[int | None, list[int], bool]:
        """Return the title line (or None), the header lines, and whether a title or header was asked for."""
        spec, out, title_line = self.spec, [], None
        if self.title_norm:
            hits = process.extract(self.title_norm, self.index.norms, scorer=fuzz.ratio, processor=None, score_cutoff=DEFAULT_TITLE_CUTOFF, limit=20)
            hits = [h for h in hits if self.same_figures_as_title(h[0])]
            if hits:
                title_line = max(hits, key=lambda h: (h[1], -h[2]))[2]
        if self.header_norm:
            coarse = process.cdist([self.header_norm], self.index.norms, scorer=fuzz.partial_ratio, processor=None, workers=1)[0]
            scores = [
                max(header_score(self.bases[i][0], self.header_norm), header_score(self.lines[i].text[:DEFAULT_MAX_LINE_CHARS], self.header_norm))
                if coarse[i] >= DEFAULT_HEADER_CUTOFF - 15 else 0.0
                for i in range(len(self.bases))
            ]
            top = max(scores, default=0.0)
            out += [i for i, s in enumerate(scores) if s >= DEFAULT_HEADER_CUTOFF and s >= top - 10]
        return title_line, sorted(set(out)), bool(spec.title or spec.header)

    def region(self, starts: list[int], anchors: list[int] | None = None) -> tuple[list[int], list[int]]:
        """Given lines to grow from (and other anchors the walk may pass), return the region and its unmatched lines."""
        n = len(self.lines)
        keep: set[int] = set()
        unmatched: set[int] = set()
        anchor_set = set(starts) | set(anchors or ())
        for a in starts:
            keep.add(a)
            for step in (1, -1):
                i, blanks, strays, after_header = a + step, 0, [], 0
                while 0 <= i < n:
                    text = self.lines[i].text.strip()
                    if not text:
                        blanks += 1
                        if blanks > DEFAULT_MAX_BLANK_RUN:
                            break
                    elif i in anchor_set or self.is_row(i) or (step == 1 and (self.is_header_fragment(i) or self.is_title_or_header(i))):
                        blanks = 0
                        keep.add(i)
                        unmatched.update(strays)  # a stray line between rows is inside the table
                        strays = []
                        after_header = DEFAULT_MAX_HEADER_LINES if (i in anchor_set and i != a) or not self.has_numbers(i) else 0
                    elif step == 1 and (after_header or (i - 1 in anchor_set and i - 1 >= a)) and not self.has_numbers(i):
                        after_header = max(after_header, DEFAULT_MAX_HEADER_LINES) - 1  # a lower header row
                    elif step == 1 and (resume := self._page_break_ahead(i)):
                        i = resume  # footer and running head of a page break: skipped
                        continue
                    elif self.spec.canonical and self.has_numbers(i) and len(strays) < DEFAULT_MAX_UNMATCHED_RUN:
                        strays.append(i)
                    else:
                        break
                    i += step
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
            more, more_unmatched = t.region([after[0]], headers)
            region, unmatched = sorted(set(region) | set(more)), sorted(set(unmatched) | set(more_unmatched))
        anchors = [a for a in anchors if a in region]
    candidates = [i for i in region if i not in anchors or t.has_numbers(i)]
    candidates = [i for i in candidates if t.is_row(i)]
    notes: list[str] = [
        f"line {lines[i].number} holds numbers inside the table but its label '{clean_label(t.bases[i][0])}' matches no label value "
        "(add it to the vocabulary or as an alias): left out"
        for i in unmatched
    ]
    if len(candidates) > DEFAULT_MAX_TABLE_ROWS:
        return TableRegion(spec.id, [], found=False, notes=[f"{len(candidates):,} rows exceed the bound of {DEFAULT_MAX_TABLE_ROWS:,} (DEFAULT_MAX_TABLE_ROWS)"])
    rows: list[SourceRow] = []
    if spec.canonical:
        scores = np.array([t.info(i).scores for i in candidates]) if candidates else np.zeros((0, len(spec.canonical)))
        pairs = assign(scores)
        taken = {ci for ci, _ in pairs}
        for ci, cj in pairs:
            i = candidates[ci]
            info = t.info(i)
            v = info.variants[int(info.which[cj])]
            rows.append(SourceRow(lines[i], spec.canonical[cj], round(float(info.scores[cj]), 1), v.digits))
        for ci, i in enumerate(candidates):
            if ci not in taken:
                best = spec.canonical[int(np.argmax(scores[ci]))]
                notes.append(f"line {lines[i].number} also matches '{best}', already read from another line: left out")
    else:
        for i in candidates:
            info = t.info(i)
            # without a vocabulary, drop the longest header fragment that leaves a label
            v = max(info.variants, key=lambda v: (bool(normalize(clean_label(v.label))), -len(v.label), -len(v.moved)))
            rows.append(SourceRow(lines[i], clean_label(v.label), None, v.digits))
    rows.sort(key=lambda r: r.line.number)
    found = bool(rows)
    if not found:
        notes.append("no rows found" + (" near its title/header" if asked else ""))
    return TableRegion(spec.id, rows, found=found, notes=notes, strays=len(unmatched))


def regions_to_disjoint(regions: list[TableRegion]) -> list[TableRegion]:
    """Given every table's region, return them with any line read as a row of two tables left out of both.

    Reading one line into two tables would publish one table's numbers as another's.
    """
    owners: dict[int, list[str]] = {}
    for reg in regions:
        for row in reg.rows:
            owners.setdefault(row.line.number, []).append(reg.table_id)
    shared = {n: ids for n, ids in owners.items() if len(ids) > 1}
    if not shared:
        return regions
    for reg in regions:
        mine = [n for n in sorted(shared) if reg.table_id in shared[n]]
        if mine:
            reg.rows = [r for r in reg.rows if r.line.number not in shared]
            for n in mine:
                others = ", ".join(t for t in shared[n] if t != reg.table_id)
                reg.notes.append(f"line {n} also reads as a row of table {others}: left out of both")
            reg.found = bool(reg.rows)
            reg.strays += len(mine)
    return regions
