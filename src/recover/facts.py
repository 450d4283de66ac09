"""Facts: single figures stated in prose, found by a pattern such as ``... with {value} cases``.

Every number in the document is a candidate; its score is how well the text before it
ends like the pattern's prefix and the text after it starts like the pattern's suffix
(rapidfuzz, so spun wording still matches). The best candidate wins only when it clears
the cutoff and no other value comes close: a fact is never guessed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from rapidfuzz import fuzz

from .labels import normalize
from .model import Fact, Line, Number
from .numbers import NumberFormat
from .rules import FactSpec

#: Lowest score (0-100) for a number to be taken as a fact's value.
DEFAULT_FACT_CUTOFF = 75.0
#: A fact is ambiguous when another value scores within this margin of the best.
DEFAULT_FACT_MARGIN = 3.0
#: Longest paragraph searched for facts, in characters (longer runs of lines are cut into pieces).
DEFAULT_MAX_FACT_LINE_CHARS = 2_000
#: Lines given a partial match per fact, chosen by a fast LCS over all lines.
DEFAULT_FACT_PREFILTER_LINES = 400
#: Lines scored in detail per fact: the best of a fast partial match over all lines.
DEFAULT_FACT_CANDIDATE_LINES = 20

SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")


def number_pattern(fmt: NumberFormat) -> re.Pattern[str]:
    """Given a number format, return a regex for one number in prose (with an optional scale word)."""
    sep = re.escape(fmt.thousands) if fmt.thousands else None
    whole = rf"\d{{1,3}}(?:{sep}\d{{3}})+|\d+" if sep else r"\d+"
    frac = rf"(?:{re.escape(fmt.decimal)}\d+)?" if fmt.decimal else ""
    scale = r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    # a number may be glued to the word before it ("from16.9", as PDFs extract), never to digits; it is read
    # whole or not at all: "21.7 million" without a declared decimal mark is no number, never 21
    return re.compile(rf"(?<![\d.,])(?P<num>(?:{whole}){frac})(?![.,]?\d){scale}", re.IGNORECASE)


def parse_number(text: str, scale: str | None, fmt: NumberFormat) -> int | Decimal:
    """Given a number as written and its scale word, return its value."""
    if fmt.thousands:
        text = text.replace(fmt.thousands, "")
    if fmt.decimal and fmt.decimal in text:
        value: int | Decimal = Decimal(text.replace(fmt.decimal, "."))
    else:
        value = int(text)
    if scale:
        value = value * SCALES[scale.lower()]
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
    return value


def _end_similarity(part: str, text: str) -> float:
    """Given a pattern part and the text before a number, return how well the text ends like the part."""
    if not part:
        return 100.0
    if not text:
        return 0.0
    n = len(part)
    best = 0.0
    for length in range(max(1, int(n * 0.6)), int(n * 1.5) + 2, max(1, n // 12)):
        best = max(best, fuzz.ratio(part, text[-length:]))
    return best


def _start_similarity(part: str, text: str) -> float:
    if not part:
        return 100.0
    return _end_similarity(part[::-1], text[::-1])


def _coarse_scores(patterns: list[str], texts: list[str]) -> np.ndarray:
    """Given patterns and lines, return a pattern x line score: how much of the pattern the line holds.

    A bit-parallel LCS picks DEFAULT_FACT_PREFILTER_LINES lines per pattern; only those get the
    slower partial_ratio. Lines outside that shortlist score 0.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import LCSseq

    lcs = process.cdist(patterns, texts, scorer=LCSseq.similarity, processor=None, workers=1)
    out = np.zeros((len(patterns), len(texts)), dtype=np.float32)
    for pi, pat in enumerate(patterns):
        short = np.argsort(-lcs[pi], kind="stable")[:DEFAULT_FACT_PREFILTER_LINES]
        for li in short:
            out[pi, li] = fuzz.partial_ratio(pat, texts[li])
    return out


@dataclass(frozen=True)
class _Candidate:
    score: float
    value: int | Decimal
    sentence: str
    line: int


def _sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > pos:
            return text[start : m.start()].strip()
        start = m.end()
    return text[start:].strip()


@dataclass(frozen=True)
class Paragraph:
    """Consecutive non-blank lines joined by spaces (prose wrapped by a PDF or an editor), with where each line starts."""

    starts: tuple[int, ...]
    numbers: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        """Given an offset in the paragraph's text, return the source line number it falls on."""
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]


def lines_to_paragraphs(lines: tuple[Line, ...]) -> list[tuple[Paragraph, str]]:
    """Given lines, return the paragraphs they form (a blank line ends one), bounded in length."""
    out: list[tuple[Paragraph, str]] = []
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal parts, starts, numbers, size
        if parts:
            out.append((Paragraph(tuple(starts), tuple(numbers)), " ".join(parts)))
        parts, starts, numbers, size = [], [], [], 0

    for line in lines:
        text = line.text.strip()[:DEFAULT_MAX_FACT_LINE_CHARS]
        if not text or size + len(text) > DEFAULT_MAX_FACT_LINE_CHARS:
            flush()
            if not text:
                continue
        starts.append(size)
        numbers.append(line.number)
        parts.append(text)
        size += len(text) + 1
    flush()
    return out


def lines_to_facts(specs: list[FactSpec], lines: tuple[Line, ...], fmt: NumberFormat) -> tuple[list[Fact], list[str]]:
    """Given fact patterns and a document's lines, return the facts found and a warning per fact not found."""
    pattern = number_pattern(fmt)
    numbered = [(para, text) for para, text in lines_to_paragraphs(lines) if pattern.search(text)]
    facts: list[Fact] = []
    warnings: list[str] = []
    if not specs:
        return facts, warnings
    patterns = [normalize(s.pattern.replace("{value}", " ")) for s in specs]
    line_norms = [normalize(text) for _, text in numbered]
    coarse = _coarse_scores(patterns, line_norms) if line_norms else None
    reach = 2 * max(len(sp.pattern) for sp in specs) + 40  # context beyond a pattern's length cannot help its score
    contexts: dict[tuple[int, int], tuple[str, str, Number]] = {}

    def context(li: int, text: str, m: re.Match[str]) -> tuple[str, str, Number]:
        key = (li, m.start())
        if key not in contexts:
            contexts[key] = (
                normalize(text[max(0, m.start() - reach) : m.start()]),
                normalize(text[m.end() : m.end() + reach]),
                parse_number(m.group("num"), m.group("scale"), fmt),
            )
        return contexts[key]

    for fi, spec in enumerate(specs):
        prefix, suffix = (normalize(p) for p in spec.pattern.split("{value}"))
        weight = len(prefix) + len(suffix) or 1
        best: dict[Number, _Candidate] = {}
        top: np.ndarray | list[int] = (
            np.argsort(-coarse[fi], kind="stable")[:DEFAULT_FACT_CANDIDATE_LINES] if coarse is not None else []
        )
        for li in sorted(int(i) for i in top):
            para, text = numbered[li]
            for m in pattern.finditer(text):
                before, after, value = context(li, text, m)
                score = (
                    len(prefix) * _end_similarity(prefix, before) + len(suffix) * _start_similarity(suffix, after)
                ) / weight
                if score < DEFAULT_FACT_CUTOFF:
                    continue
                if value not in best or best[value].score < score:
                    best[value] = _Candidate(score, value, _sentence_at(text, m.start()), para.line_at(m.start()))
        ranked = sorted(best.values(), key=lambda c: -c.score)
        if not ranked:
            warnings.append(f"fact {spec.id}: not found (no number in the text matches its pattern)")
        elif len(ranked) > 1 and ranked[0].score - ranked[1].score < DEFAULT_FACT_MARGIN:
            warnings.append(
                f"fact {spec.id}: ambiguous between {ranked[0].value} (line {ranked[0].line}) and {ranked[1].value} (line {ranked[1].line}): left out"
            )
        else:
            c = ranked[0]
            facts.append(Fact(spec.id, c.value, c.sentence, c.line))
    return facts, warnings
