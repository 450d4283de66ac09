"""Facts: single figures stated in prose, found by a pattern such as ``... with {value} cases``.

Every number in the document is a candidate; its score is how well the text before it
ends like the pattern's prefix and the text after it starts like the pattern's suffix
(rapidfuzz, so spun wording still matches). The best candidate wins only when it clears
the cutoff and no other value comes close: a fact is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz

from .labels import normalize
from .model import Fact, Line
from .numbers import NumberFormat
from .rules import FactSpec

#: Lowest score (0-100) for a number to be taken as a fact's value.
DEFAULT_FACT_CUTOFF = 75.0
#: A fact is ambiguous when another value scores within this margin of the best.
DEFAULT_FACT_MARGIN = 3.0
#: Longest line searched for facts, in characters.
DEFAULT_MAX_FACT_LINE_CHARS = 20_000

SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")


def number_pattern(fmt: NumberFormat) -> re.Pattern:
    """Given a number format, return a regex for one number in prose (with an optional scale word)."""
    sep = re.escape(fmt.thousands) if fmt.thousands else None
    whole = rf"\d{{1,3}}(?:{sep}\d{{3}})+|\d+" if sep else r"\d+"
    frac = rf"(?:{re.escape(fmt.decimal)}\d+)?" if fmt.decimal else ""
    scale = r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    return re.compile(rf"(?<![\w.,])(?P<num>(?:{whole}){frac}){scale}(?!\d)", re.IGNORECASE)


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


def lines_to_facts(specs: list[FactSpec], lines: tuple[Line, ...], fmt: NumberFormat) -> tuple[list[Fact], list[str]]:
    """Given fact patterns and a document's lines, return the facts found and a warning per fact not found."""
    pattern = number_pattern(fmt)
    occurrences = []
    for line in lines:
        text = line.text[:DEFAULT_MAX_FACT_LINE_CHARS]
        for m in pattern.finditer(text):
            occurrences.append((line, text, m))
    facts, warnings = [], []
    for spec in specs:
        prefix, suffix = (normalize(p) for p in spec.pattern.split("{value}"))
        weight = len(prefix) + len(suffix) or 1
        best: dict[object, _Candidate] = {}
        for line, text, m in occurrences:
            before, after = normalize(text[: m.start()]), normalize(text[m.end() :])
            score = (len(prefix) * _end_similarity(prefix, before) + len(suffix) * _start_similarity(suffix, after)) / weight
            if score < DEFAULT_FACT_CUTOFF:
                continue
            value = parse_number(m.group("num"), m.group("scale"), fmt)
            if value not in best or best[value].score < score:
                best[value] = _Candidate(score, value, _sentence_at(text, m.start()), line.number)
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
