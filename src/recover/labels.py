"""Labels: where a row's label ends and its numbers begin, and which canonical label it is.

A line such as ``3 come 5665012885110510391`` is a label (``3 come 5``, spun from
``3 to 5``) and a digit run. The boundary is not known: a label may end in digits and a
header fragment may stand before it. We read each line as a few *variants* (label text,
digit run), score every variant against every spelling of the vocabulary with
rapidfuzz, and assign lines to canonical labels jointly (one line to one label) with
``scipy.optimize.linear_sum_assignment``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .numbers import (
    CURRENCY_CHARS,
    DECORATION_DASHES,
    DIGITS,
    MINUS_CHARS,
    NumberFormat,
    blank_run_least,
    token_to_pieces,
)

#: Lowest match score (0-100) for a line to be read as a row of a vocabulary.
DEFAULT_LABEL_CUTOFF = 60.0
#: Labels a line matches within this many points of its best are near-best: only those are settled jointly.
DEFAULT_LABEL_MARGIN = 3.0
#: Below this score, a line sharing no word with a label is no match for it (``Table 1`` for ``Total`` scores 60).
DEFAULT_NO_SHARED_WORD_CUTOFF = 75.0
#: Fewest letters left over that make a printed label another place than the label it ends or starts with.
DEFAULT_MIN_LEFTOVER_LETTERS = 2
#: Fewest words on each side, printed label and spelling, that the other lacks for them to name different things
#: (``Change in fair value of derivative instruments`` is not ``... of marketable debt securities``); a spinner swaps
#: one word for one (``Missing`` for ``Lacking``).
DEFAULT_MIN_UNLIKE_WORDS = 2
#: Fewest letters a word needs to count as one the other label lacks (``of``, ``the``, ``보다`` are what spinners swap).
DEFAULT_UNLIKE_WORD_LETTERS = 4
#: Lowest score for two words to be one word misspelt (``improvments``, ``improvements``).
DEFAULT_LIKE_WORD_SCORE = 80.0
#: Lowest partial-match score for dropping a line's leading words as a header fragment.
DEFAULT_HEADER_FRAGMENT_CUTOFF = 90.0
#: Fewest characters a dropped header fragment may have.
DEFAULT_HEADER_FRAGMENT_MIN_CHARS = 4
#: Most leading words tried as a header fragment.
DEFAULT_MAX_HEADER_DROPS = 40

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # "TypeCase", "TOTALLess"
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TRAILING_DIGITS = re.compile(r"(\d+)\s*$")


def normalize(text: str) -> str:
    """Given label text, return it lower-cased, split at camel-case joins, punctuation as spaces."""
    return " ".join(_NON_WORD.sub(" ", _CAMEL.sub(" ", text)).lower().split())


def is_numeric_token(token: str, fmt: NumberFormat, times: bool = False) -> bool:
    """Given a whitespace-free token, return whether it reads as numbers or a placeholder under one of the formats
    (with ``times``, times among them: ``2113:00``)."""
    return any(token_to_pieces(token, f, times) is not None for f in fmt.formats)


def _numeric_suffix(token: str, fmt: NumberFormat, times: bool = False) -> int:
    """Given a token that is not numeric as a whole, return where its longest numeric suffix starts (len: none)."""
    for i in range(1, len(token)):
        if token[i - 1].isalpha() and blank_run_least(token[i:], fmt) >= 2:
            return i  # placeholders run into the label (`Finland........`, `Greecen.a.n.a.`)
    for i in range(len(token)):
        c = token[i]
        starts = c in DIGITS or c == "(" or c in CURRENCY_CHARS
        if (starts or (c in MINUS_CHARS and i + 1 < len(token) and token[i + 1] in DIGITS)) and i > 0:
            if c == "(" and token.endswith(")") and token[i:] in fmt.placeholders:
                return i
            if c != "(" and c not in CURRENCY_CHARS and token[i - 1] in DIGITS:
                continue  # never start inside a run of digits
            if c in MINUS_CHARS and token[i - 1].isalpha():
                continue  # a dash right after a letter is a hyphen of the label ("EU-15522"), never a minus sign
            if is_numeric_token(token[i:], fmt, times):
                return i
    return len(token)


def split_tail(text: str, fmt: NumberFormat, times: bool = False) -> tuple[str, str]:
    """Given a line, return (text before its trailing numbers, the numbers as printed); the tail is '' if none.

    The tail is the longest run of tokens that read as numbers, placeholders or marked numbers
    (``500*``, ``(700)``, ``-12``, ``—``), plus the numeric end of the token before it when
    that one is glued to the label (``Runaway2,04225,03027,072``). A tail must hold a digit or
    two placeholders, so a sentence ending in ``-`` is no row. With ``times`` (a table with a time column), a time
    is numeric too (``1Lawson Crouse101101001000250.02113:00``: the tail ends in the time ``13:00``).
    """
    text = text.rstrip()
    tokens = list(re.finditer(r"\S+", text))
    start = len(text)
    t = len(tokens)
    while t > 0 and is_numeric_token(tokens[t - 1].group(), fmt, times):
        t -= 1
        start = tokens[t].start()
    if t > 0:
        tok = tokens[t - 1]
        cut = _numeric_suffix(tok.group(), fmt, times)
        if cut < len(tok.group()):
            start = tok.start() + cut
    tail = text[start:]
    if not tail or not (any(c in DIGITS for c in tail) or len(tail.split()) >= 2 or blank_run_least(tail, fmt) >= 2):
        return text, ""
    return text[:start], tail


def clean_label(text: str) -> str:
    """Given raw label text, return it with surrounding spaces and dangling punctuation removed."""
    return re.sub(r"[\s\-–—:;,|*†‡§¶#¹²³⁰⁴⁵⁶⁷⁸⁹]+$", "", text).strip()


@dataclass(frozen=True)
class Variant:
    """One way to read a line: the label text, the digit run, and the trailing digits moved into the label."""

    label: str
    digits: str
    moved: str  # digits taken from the run into the label ('' if none)


def header_drops(base: str, header_norm: str | None) -> list[str]:
    """Given a line's label text and a header, return the label with each header-fragment prefix dropped."""
    out = [base]
    if not header_norm:
        return out
    # word starts, at spaces and camel-case joins
    # word starts: after a space, and at the joins a fused header leaves ("TypeCase", "TOTALLess", "TOTAL9", "C2East")
    starts = [
        m.start()
        for m in re.finditer(
            r"(?<=\s)\S|(?<=[a-z])[A-Z]|(?<=[A-Z])[A-Z](?=[a-z])|(?<=[A-Za-z])\d|(?<=\d)[A-Za-z]", base
        )
    ]
    header_tight = header_norm.replace(" ", "")
    for s in starts[:DEFAULT_MAX_HEADER_DROPS]:
        dropped = normalize(base[:s]).replace(" ", "")  # a fused header has lost its spaces
        if len(dropped) < DEFAULT_HEADER_FRAGMENT_MIN_CHARS:
            continue
        if fuzz.partial_ratio(dropped, header_tight) >= DEFAULT_HEADER_FRAGMENT_CUTOFF:
            rest = base[s:]
            if normalize(rest):
                out.append(rest)
    return out


def _separator_then_digits(rest: str, after_moved: str) -> bool:
    """Given what is left of a tail once a label's trailing figures are moved into it, and the character right after
    them, return whether it is a separator dash then one run of digits (``Under 5 - 505``: the label ``Under 5``,
    then ``- 505``, the seed's ``international - 15287`` style), not a placeholder among cells."""
    tokens = rest.split()
    return after_moved.isspace() and len(tokens) == 2 and tokens[0] in DECORATION_DASHES and tokens[1][0] in DIGITS


def line_variants(base: str, tail: str, header_norm: str | None, moved_options: set[str]) -> list[Variant]:
    """Given a line split by ``split_tail``, return its readings as (label, digit run): header fragments dropped, label digits moved.

    The digits a label may take are tried in sorted order, never a set's: its order changes with the interpreter's
    hash seed, and with it the order of a row's partings, its readings in the provenance, and which of two variants
    that score alike is taken (issue 19: a rerun listed the alternatives in another order)."""
    if not tail:
        return []
    out = []
    for label in header_drops(base, header_norm):
        out.append(Variant(label, tail, ""))
        for d in sorted(moved_options):
            rest = tail[len(d) :].lstrip(" ") if tail.startswith(d) else ""
            if rest and (rest[0] in DIGITS or _separator_then_digits(rest, tail[len(d) : len(d) + 1])):
                out.append(Variant(label + d, rest, d))
            if tail[:1] in MINUS_CHARS and tail[1:].startswith(d) and tail[1 + len(d) : 2 + len(d)].isdigit():
                # the label's own dash before its figures, read as a minus sign (`TotalEU-151.178`: `Total EU-15`)
                out.append(Variant(label + tail[0] + d, tail[1 + len(d) :], d))
    return out


def trailing_digits(spelling: str) -> str:
    """Given a vocabulary spelling, return the digits it ends with ('' if none)."""
    m = _TRAILING_DIGITS.search(spelling)
    return m.group(1) if m else ""


@dataclass(frozen=True)
class Vocabulary:
    """A table's spellings, normalized once: the choices label variants are scored against."""

    spellings: tuple[str, ...]
    choices: tuple[str, ...]
    ends: np.ndarray  # each spelling's trailing digits ('' if none)

    @classmethod
    def of(cls, spellings: list[str]) -> Vocabulary:
        return cls(
            tuple(spellings),
            tuple(normalize(s) for s in spellings),
            np.array([trailing_digits(s) for s in spellings], dtype=object),
        )


def label_may_be(printed: str, spelling: str, score: float) -> bool:
    """Given a line's label and a spelling of the vocabulary (both normalized) and their fuzzy score, return whether
    the line may print that label: spinner damage swaps words and letters, it does not add a place or a title.

    No: the spelling is the printed label's end or start with whole letters left over (``West Virginia`` is not
    ``Virginia``, ``Arkansas`` is not ``Kansas``, ``Grand total`` is not ``Total``), or they share no word and
    score below DEFAULT_NO_SHARED_WORD_CUTOFF (a title ``Table 1`` scores 60 for ``Total`` and is no row), or
    each has DEFAULT_MIN_UNLIKE_WORDS words or more the other lacks (``… derivative instruments`` is not ``…
    marketable debt securities``: a spinner swaps a word for one, it does not rewrite the label).
    """
    if printed != spelling and (printed.endswith(spelling) or printed.startswith(spelling)):
        left = printed[len(spelling) :] if printed.startswith(spelling) else printed[: -len(spelling)]
        if sum(ch.isalpha() for ch in left) >= DEFAULT_MIN_LEFTOVER_LETTERS:
            return False
    if unlike_words(printed, spelling) >= DEFAULT_MIN_UNLIKE_WORDS and unlike_words(spelling, printed) >= (
        DEFAULT_MIN_UNLIKE_WORDS
    ):
        return False
    return score >= DEFAULT_NO_SHARED_WORD_CUTOFF or bool(set(printed.split()) & set(spelling.split()))


def unlike_words(text: str, other: str) -> int:
    """Given two normalized labels, return how many words of the first (of DEFAULT_UNLIKE_WORD_LETTERS letters or
    more) are no word of the other, nor a misspelling of one: the words that make it another label."""
    others = set(other.split())
    return sum(
        1
        for w in set(text.split())
        if sum(ch.isalpha() for ch in w) >= DEFAULT_UNLIKE_WORD_LETTERS
        and w not in others
        and not any(fuzz.ratio(w, o) >= DEFAULT_LIKE_WORD_SCORE for o in others)
    )


def refuse_unlike_labels(queries: list[str], choices: tuple[str, ...], scores: np.ndarray) -> None:
    """Given normalized label texts, the vocabulary's normalized spellings and their scores (text x spelling), set to 0
    the scores of the pairs ``label_may_be`` refuses, among those that matter: each text's best and the scores
    within DEFAULT_LABEL_MARGIN of it (again where one was refused), so a vocabulary of 10,000 like labels costs a
    few checks per text, not thousands."""
    floor = DEFAULT_LABEL_CUTOFF - DEFAULT_LABEL_MARGIN
    if not scores.size:
        return
    tops = scores.max(axis=1)
    near = (scores >= np.maximum(floor, tops - DEFAULT_LABEL_MARGIN)[:, None]) & (scores < 100)
    again: set[int] = set()
    for q, c in np.argwhere(near):
        if not label_may_be(queries[q], choices[c], float(scores[q, c])):
            scores[q, c] = 0.0
            again.add(int(q))
    for q in sorted(again):  # a refused best: the next ones now matter
        row = scores[q]
        while True:
            top = float(row.max())
            if top < floor:
                break
            cands = np.flatnonzero((row >= max(floor, top - DEFAULT_LABEL_MARGIN)) & (row < 100))
            refused = [int(c) for c in cands if not label_may_be(queries[q], choices[c], float(row[c]))]
            if not refused:
                break
            row[refused] = 0.0


def score_variants(variants: list[list[Variant]], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """Given each line's variants and the vocabulary, return (best score, best variant index) per line x spelling.

    A variant that moved digits into its label is only scored against spellings ending in those digits,
    and a line that carries a spelling's trailing digits is scored for it only with them moved.
    """
    flat = [(li, vi, v) for li, vs in enumerate(variants) for vi, v in enumerate(vs)]
    nlines, nsp = len(variants), len(vocab.spellings)
    best = np.zeros((nlines, nsp))
    which = np.zeros((nlines, nsp), dtype=int)
    if not flat or not nsp:
        return best, which
    queries = [normalize(v.label) for _, _, v in flat]
    scores = process.cdist(queries, vocab.choices, scorer=fuzz.ratio, processor=None, dtype=np.float32, workers=1)
    refuse_unlike_labels(queries, vocab.choices, scores)
    plain = vocab.ends == ""
    for row, (li, vi, v) in enumerate(flat):
        if v.moved:
            allowed = vocab.ends == v.moved
        else:
            carried = {w.moved for w in variants[li] if w.moved}
            allowed = plain | ~np.isin(vocab.ends, list(carried)) if carried else np.ones(nsp, dtype=bool)
        s = np.where(allowed, scores[row], -1.0)
        better = s > best[li]
        best[li] = np.where(better, s, best[li])
        which[li] = np.where(better, vi, which[li])
    return best, which


def assign(
    scores: np.ndarray | list[dict[int, float]],
    cutoff: float = DEFAULT_LABEL_CUTOFF,
    margin: float = DEFAULT_LABEL_MARGIN,
) -> list[tuple[int, int]]:
    """Given each line's label scores (a line x label matrix, or per line a dict label -> score), return (line, label)
    pairs: each line and the label it matches best.

    A line is never given a label it matches worse than another (a repeated ``North Dakota``
    stays North Dakota, never becomes ``South Dakota``). Only lines whose best labels are
    within ``margin`` of each other are settled jointly, one line to one label
    (``linear_sum_assignment``), among those near-best labels alone; a line still tied is left out.
    """
    rows = [{int(c): float(v) for c, v in enumerate(r)} for r in scores] if isinstance(scores, np.ndarray) else scores
    out: list[tuple[int, int]] = []
    tied: list[tuple[int, list[int]]] = []
    for r, row in enumerate(rows):
        best = max(row.values(), default=0.0)
        if best < cutoff:
            continue
        near = sorted(c for c, v in row.items() if v >= max(best - margin, cutoff))
        if len(near) == 1:
            out.append((r, near[0]))
        else:
            tied.append((r, near))
    if tied:
        from scipy.optimize import linear_sum_assignment

        taken = {c for _, c in out}
        cols = sorted({c for _, near in tied for c in near} - taken)
        if cols:
            where = {c: j for j, c in enumerate(cols)}
            sub = np.zeros((len(tied), len(cols)))
            for a, (r, near) in enumerate(tied):
                for c in near:
                    if c in where:
                        sub[a, where[c]] = rows[r][c]
            picked_rows, picked_cols = linear_sum_assignment(sub, maximize=True)
            for pa, pj in zip(picked_rows, picked_cols):
                if sub[pa, pj] >= cutoff:
                    out.append((tied[int(pa)][0], cols[int(pj)]))
    return sorted(out)
