"""The number grammar: which numbers a run of digits can be read as, and in how many ways.

A digit run such as ``2,04225,03027,072`` and a :class:`NumberFormat` give, at each
position, the tokens the grammar allows to start there (``2``, ``2,042``). A row's
readings are the paths through that lattice made of exactly ``k`` tokens. Whitespace
inside a run is hard evidence of a cell boundary (unless the format's thousands
separator is a space, when it may be either).

Everything here is pure: a string and a format in, numbers out.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .model import BLANK, Cell, Number, Reading, _Blank

DIGITS = frozenset("0123456789")
#: Longest integer part, in digits, of one number when the format has no thousands separator.
DEFAULT_MAX_TOKEN_DIGITS = 15
#: Most digits after the decimal separator of one number.
DEFAULT_MAX_DECIMALS = 6
#: Longest digit run one row may have; a longer run is not split (the row is too ambiguous).
DEFAULT_MAX_RUN_CHARS = 2_000
#: Most search steps spent enumerating one row's readings.
DEFAULT_MAX_ROW_STEPS = 300_000


#: Placeholders statistical tables print in a cell instead of a number (suppressed, not available, not
#: applicable, nil): each is one blank cell, published empty and never filled from the rules or totals.
DEFAULT_PLACEHOLDERS = (
    "-",
    "–",
    "—",
    "−",
    "--",
    "---",
    ".",
    "..",
    "...",
    "…",
    "x",
    "X",
    "xx",
    "n/a",
    "N/A",
    "n.a.",
    "N.A.",
    "NA",
    "na",
    "(D)",
    "(NA)",
    "(X)",
    "(S)",
    "(Z)",
    "(B)",
    "(N)",
    "(*)",
    "*",
    "**",
    "***",
    "†",
    "‡",
    ":",
)
#: Footnote marks a number or a label may carry: kept in the provenance, never part of a cell.
MARK_CHARS = frozenset("*†‡§¶#^'\"¹²³⁰⁴⁵⁶⁷⁸⁹⁺ᵃᵇᶜᵈᵉ")
#: Minus signs a negative number may start with.
MINUS_CHARS = frozenset("-−–")
#: Currency signs printed beside a number (``$45,000``, ``45.000 €``): never part of it, and a hard boundary, so a
#: number a sign starts is one cell (``Personnel$45,000$47,250$92,250`` is three), and a sign alone is decoration.
CURRENCY_CHARS = frozenset("$€£¥₹")
#: Most digits of a parenthesized number that may be a footnote mark, ``(1)``, rather than a negative.
DEFAULT_MAX_MARK_DIGITS = 2


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are written: thousands separator (or None) and decimal separator (or None).

    ``blank`` lists extra placeholders (beside DEFAULT_PLACEHOLDERS), ``zero`` the placeholders that
    mean 0, and ``also`` other formats some rows are written in (each row is read under every one).
    """

    thousands: str | None = ","
    decimal: str | None = None
    blank: tuple[str, ...] = ()
    zero: tuple[str, ...] = ()
    also: tuple[NumberFormat, ...] = ()

    @functools.cached_property
    def placeholders(self) -> frozenset[str]:
        """Given the format, return every placeholder that stands for one blank (or zero) cell (once per format: a
        300,000-line document asked 1,200,000 times)."""
        return (frozenset(DEFAULT_PLACEHOLDERS) | frozenset(self.blank) | frozenset(self.zero)) - {
            self.thousands,
            self.decimal,
        }

    @property
    def formats(self) -> tuple[NumberFormat, ...]:
        """Given the format, return it and its alternatives (each with this one's placeholders)."""
        return (self,) + tuple(NumberFormat(f.thousands, f.decimal, self.blank, self.zero) for f in self.also)

    @functools.cached_property
    def run_chars(self) -> frozenset[str]:
        """Given the format, return the characters a digit run may hold."""
        extra = {c for c in (self.thousands, self.decimal) if c}
        return DIGITS | extra | {" "}


def format_number(value: Number, fmt: NumberFormat) -> str:
    """Given a non-negative number and a format, return it as the source would write it."""
    if isinstance(value, Decimal):
        _sign, _digits, _exp = value.as_tuple()
        text = format(value, "f")
        whole, _, frac = text.partition(".")
    else:
        whole, frac = str(int(value)), ""
    if fmt.thousands and len(whole) > 3:
        groups = []
        while len(whole) > 3:
            groups.append(whole[-3:])
            whole = whole[:-3]
        whole = fmt.thousands.join([whole] + groups[::-1])
    if frac:
        return f"{whole}{fmt.decimal or '.'}{frac}"
    return whole


class Duration(int):
    """A time the page printed in a time column (``13:00``, ``59:57``, ``1:02:03``): its seconds as the int (so two
    readings that give the cell the same time agree), its text as printed (what is published)."""

    text: str

    def __new__(cls, seconds: int, text: str) -> Duration:
        obj = super().__new__(cls, seconds)
        obj.text = text
        return obj

    def __repr__(self) -> str:
        return f"Duration({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[Duration], tuple[int, str]]:
        return (Duration, (int(self), self.text))


class BareDecimal(Decimal):
    """A number printed without its whole part (``.923``: a save percentage), in a column of type ``decimal .N``."""


#: Most digits of a time's leading field (minutes in ``m:ss``, hours in ``h:mm:ss``).
DEFAULT_MAX_TIME_LEAD_DIGITS = 3
_TIME = re.compile(rf"^(?:0|[1-9]\d{{0,{DEFAULT_MAX_TIME_LEAD_DIGITS - 1}}})(?::[0-5]\d){{1,2}}$")


def text_is_time(text: str) -> bool:
    """Given a token, return whether it is exactly one time: ``m:ss`` or ``h:mm:ss``, its leading field without a
    leading zero (like every number of the grammar) and at most DEFAULT_MAX_TIME_LEAD_DIGITS digits, each later field
    two digits from 00 to 59."""
    return _TIME.match(text) is not None


def time_to_seconds(text: str) -> int:
    """Given a time (``text_is_time``), return its seconds."""
    total = 0
    for part in text.split(":"):
        total = total * 60 + int(part)
    return total


@dataclass(frozen=True)
class ColumnKind:
    """What one column's cells may read as in a run-together row (``column_types``, ``may_be_blank`` of the rules).

    ``form``: ``any`` (any number of the format), ``integer`` (a whole number), ``decimal`` (exactly ``decimals``
    digits after the decimal mark: ``50.0``; with ``bare``, printed without the whole part: ``.923``), ``time``
    (``text_is_time``: one cell, never split into numbers).
    ``may_be_blank``: the page may leave the cell blank printing nothing, so the row's text lacks it.
    ``blank_only``: the cell is blank (a totals row's column it does not print). ``minimum``, ``maximum``: the
    smallest and largest value the column holds (a time's in seconds)."""

    form: str = "any"
    decimals: int = 0
    bare: bool = False
    may_be_blank: bool = False
    blank_only: bool = False
    minimum: Number | None = None
    maximum: Number | None = None


#: A column that takes any number of the format (a column of no declared type).
ANY_KIND = ColumnKind()


def kind_fits(kind: ColumnKind, value: Cell | None) -> bool:
    """Given a column's kind and a value a reading would give its cell, return whether the cell may hold it (a blank
    the page printed, a placeholder, fits every column; a skipped footnote mark, None, takes no cell)."""
    if value is None or isinstance(value, _Blank):
        return True
    if (
        kind.blank_only
        or (kind.maximum is not None and value > kind.maximum)
        or (kind.minimum is not None and value < kind.minimum)
    ):
        return False
    if isinstance(value, Duration):
        return kind.form == "time"
    if kind.form == "time" or isinstance(value, BareDecimal) != kind.bare:
        return False
    if kind.form == "integer":
        return not isinstance(value, Decimal)
    if kind.form == "decimal":
        return isinstance(value, Decimal) and value.as_tuple().exponent == -kind.decimals
    return True


def _time_ends(run: str, i: int) -> list[tuple[int, Duration]]:
    """Given a run and a start position, return the times (end, value) starting there (``13:00`` in ``2113:00``)."""
    n, out = len(run), list[tuple[int, Duration]]()
    if run[i] not in DIGITS:
        return out
    lead_max = 1 if run[i] == "0" else DEFAULT_MAX_TIME_LEAD_DIGITS
    for length in range(1, lead_max + 1):
        end = i + length
        if end > n or run[end - 1] not in DIGITS:
            break
        for _ in range(2):  # m:ss, then h:mm:ss
            if end + 3 <= n and run[end] == ":" and run[end + 1] in "012345" and run[end + 2] in DIGITS:
                end += 3
                out.append((end, Duration(time_to_seconds(run[i:end]), run[i:end])))
            else:
                break
    return out


def _integer_ends(run: str, i: int, fmt: NumberFormat, max_digits: int) -> list[int]:
    """Given a run and a start position, return the ends of the integer parts starting there."""
    n = len(run)
    if run[i] not in DIGITS:
        return []
    if run[i] == "0":
        return [i + 1]
    ends: list[int] = []
    sep = fmt.thousands
    lead_max = 3 if sep else max_digits
    for length in range(1, lead_max + 1):
        end = i + length
        if end > n or run[end - 1] not in DIGITS:
            break
        ends.append(end)
        if sep:
            while end + 4 <= n and run[end] == sep and all(c in DIGITS for c in run[end + 1 : end + 4]):
                end += 4
                ends.append(end)
    return ends


def run_to_edges(
    run: str, fmt: NumberFormat, max_digits: int = DEFAULT_MAX_TOKEN_DIGITS, times: bool = False, bare: bool = False
) -> list[list[tuple[int, Number]]]:
    """Given a digit run and a format, return for each position the tokens (end, value) starting there (with
    ``times``, the times too: ``2113:00`` holds ``13:00``, ``3:00`` and ``113:00``, as Duration values; with
    ``bare``, the numbers printed without their whole part: ``36.923`` holds ``.923``, a BareDecimal)."""
    n = len(run)
    edges: list[list[tuple[int, Number]]] = [[] for _ in range(n)]
    sep = fmt.thousands
    for i in range(n):
        if times:
            edges[i].extend(_time_ends(run, i))
        if bare and fmt.decimal and run[i] == fmt.decimal and i + 1 < n and run[i + 1] in DIGITS:
            j = i + 1
            while j < n and run[j] in DIGITS and j - i <= DEFAULT_MAX_DECIMALS:
                j += 1
                edges[i].append((j, BareDecimal(f"0.{run[i + 1 : j]}")))
        for end in _integer_ends(run, i, fmt, max_digits):
            whole = run[i:end].replace(sep, "") if sep else run[i:end]
            edges[i].append((end, int(whole)))
            if fmt.decimal and end + 1 < n and run[end] == fmt.decimal and run[end + 1] in DIGITS:
                j = end + 1
                while j < n and run[j] in DIGITS and j - end <= DEFAULT_MAX_DECIMALS:
                    j += 1
                    edges[i].append((j, Decimal(f"{whole}.{run[end + 1 : j]}")))
    return edges


# ----------------------------------------------------------------------------- pieces: what a row printed


@dataclass(frozen=True)
class Piece:
    """One printed piece of a row's numbers, between hard boundaries (whitespace, a cell, a sign, a mark).

    ``kind``: ``run`` digits and separators that may hold one number or several run together;
    ``cell`` exactly one number (a printed cell: an HTML ``<td>``, a tab field, a PDF column);
    ``blank`` one cell the page left blank or filled with a placeholder; ``zero`` a placeholder
    meaning 0. ``negative``: the piece's first number carries a minus sign or parentheses.
    ``optional``: the piece may be a footnote mark rather than a cell (``(1)``), so a reading
    may take it as a cell or skip it. ``mark``: a footnote mark printed on it, for the provenance.
    """

    text: str
    kind: str = "run"
    negative: bool = False
    optional: bool = False
    mark: str = ""


#: Placeholders a page may print several times with nothing between (``........``: four ``..``; ``n.a.n.a.``), alone or
#: right after a number (``5570....``, ``102360..6010``). Where several counts fit a run (``......``: three ``..`` or two
#: ``...``), each is a reading of the row (``token_to_piece_options``): the table's column count decides, or nothing.
RUN_PLACEHOLDERS = ("..", "...", "…", "n.a.", "N.A.", "n/a", "N/A")
#: Most readings of one token's placeholder runs where several counts fit them (``......``: 3 or 2 blanks each).
DEFAULT_MAX_BLANK_RUN_OPTIONS = 16


def blank_run_units(text: str, fmt: NumberFormat) -> list[str]:
    """Given text that may be placeholders printed back to back, return each placeholder it is a run of, longest count
    first (``......``: ``..`` three times, ``...`` twice); none: not such a run."""
    units = [
        u
        for u in RUN_PLACEHOLDERS
        if u in fmt.placeholders and text and len(text) % len(u) == 0 and text == u * (len(text) // len(u))
    ]
    by_count = {len(text) // len(u): u for u in sorted(units, key=len, reverse=True)}  # one unit per count
    return [by_count[n] for n in sorted(by_count, reverse=True)]


def blank_run_count(text: str, fmt: NumberFormat) -> int:
    """Given text that may be placeholders printed back to back, return how many (0: not such a run, or no one count
    fits it)."""
    units = blank_run_units(text, fmt)
    return len(text) // len(units[0]) if len(units) == 1 else 0


def blank_run_least(text: str, fmt: NumberFormat) -> int:
    """Given text that may be placeholders printed back to back, return the fewest blanks it may be (0: not a run)."""
    units = blank_run_units(text, fmt)
    return len(text) // len(units[-1]) if units else 0


def _blank_run_end(token: str, i: int, fmt: NumberFormat) -> int:
    """Return where a run of placeholders printed back to back, starting at i, ends before the next digit (i: none)."""
    j = i
    while j < len(token) and token[j] not in DIGITS:
        j += 1
    return j if j > i and blank_run_units(token[i:j], fmt) else i


def _time_colon(token: str, j: int) -> bool:
    """Whether the character at j is the colon of a time (a digit before it, two digits after: ``2113:00``)."""
    return (
        token[j] == ":"
        and j > 0
        and token[j - 1] in DIGITS
        and j + 2 < len(token)
        and token[j + 1] in DIGITS
        and token[j + 2] in DIGITS
    )


def token_to_pieces(
    token: str,
    fmt: NumberFormat,
    times: bool = False,
    picks: Sequence[int] = (),
    forks: list[int] | None = None,
) -> list[Piece] | None:
    """Given one whitespace-free token of a row's numbers, return its pieces, or None if it is not numeric.

    Parentheses and signs are hard boundaries: ``4,5005,200(700)`` is a run and a negative cell. With ``times`` (a
    table with a time column), a time's colon stays inside the run (``2113:00``), where the lattice reads it. A run of
    placeholders several counts fit (``......``) is read as the n-th one's ``picks[n]``-th count (the most blanks
    where ``picks`` has no n-th entry); ``forks`` gets how many counts fit each such run.
    """
    places = fmt.placeholders
    if token in places:
        return [Piece(token, "zero" if token in fmt.zero else "blank")]
    if text_is_bound(token, fmt):
        return [Piece(token, "blank")]
    chars = fmt.run_chars - {" "}
    out: list[Piece] = []
    i, n = 0, len(token)
    signed = False  # a currency sign stands right before the next number: it starts a cell
    runs = 0  # placeholder runs several counts fit, so far
    while i < n:
        c = token[i]
        if c not in DIGITS and (end := _blank_run_end(token, i, fmt)) > i:
            units = blank_run_units(token[i:end], fmt)
            unit = units[0]
            if len(units) > 1:
                if runs < len(picks):
                    unit = units[picks[runs]]
                runs += 1
                if forks is not None:
                    forks.append(len(units))
            kind = "zero" if unit in fmt.zero else "blank"
            out += [Piece(unit, kind) for _ in range((end - i) // len(unit))]
            i = end
            continue
        if c in CURRENCY_CHARS:
            i, signed = i + 1, True
            continue
        if c in MINUS_CHARS and i + 2 < n and token[i + 1] in CURRENCY_CHARS and token[i + 2] in DIGITS:
            token = token[: i + 1] + token[i + 2 :]  # -$700: a negative number with its sign
            n, signed = n - 1, True
            continue
        if c == "(" and i + 1 < n and token[i + 1] in CURRENCY_CHARS:
            token = token[: i + 1] + token[i + 2 :]  # ($700)
            n = n - 1
            continue
        if c == "(":
            j = token.find(")", i)
            if j < 0:
                return None
            inner = token[i + 1 : j]
            if not inner or any(ch not in chars for ch in inner) or inner[0] not in DIGITS or inner[-1] not in DIGITS:
                if f"({inner})" in places:
                    out.append(Piece(f"({inner})", "zero" if f"({inner})" in fmt.zero else "blank"))
                    i = j + 1
                    continue
                return None
            small = all(ch in DIGITS for ch in inner) and len(inner) <= DEFAULT_MAX_MARK_DIGITS
            out.append(Piece(inner, "cell", negative=True, optional=small))
            i = j + 1
            continue
        neg = False
        if c in MINUS_CHARS and i + 1 < n and token[i + 1] in DIGITS:
            neg, i = True, i + 1
        j = i
        while j < n and (token[j] in chars or (times and _time_colon(token, j))):
            j += 1
        if j == i:
            return None
        body = token[i:j]
        while body and body[-1] not in DIGITS:  # a separator ending the piece belongs to what follows
            body, j = body[:-1], j - 1
        if not body or body[0] not in DIGITS:
            return None
        if j < n and _blank_run_end(token, j, fmt) > j:  # placeholders right after the number (`5570....`)
            out.append(Piece(body, "run", negative=neg))
            i, signed = j, False
            continue
        k = j
        while (
            k < n
            and token[k] not in chars
            and token[k] not in MINUS_CHARS
            and token[k] != "("
            and token[k] not in CURRENCY_CHARS
        ):
            k += 1
        mark = token[j:k]
        if mark and not all(ch in MARK_CHARS or ch.isalpha() or ch in "%‰" for ch in mark):
            return None
        letters = [ch for ch in mark if ch.isalpha()]
        if letters and (len(letters) > 1 or (k < n and not letters[0].islower())):
            return None  # one letter marks a number ("123p", "7a35"); more letters, or a capital between numbers, are words
        # a number a currency sign starts is one cell (but where a space groups thousands, the next group may follow)
        kind = "cell" if signed and fmt.thousands != " " and _single_number(body, fmt) else "run"
        out.append(Piece(body, kind, negative=neg, mark=mark.strip("%‰")))
        i, signed = k, False
    return out


#: Dashes that, standing alone between a label and one run of digits, separate them ("international - 15287").
DECORATION_DASHES = frozenset("-–—")


def _single_number(text: str, fmt: NumberFormat) -> bool:
    """Given a digit group and the format, return whether the grammar reads it as exactly one number."""
    ends = _integer_ends(text, 0, fmt, DEFAULT_MAX_TOKEN_DIGITS) if text else []
    if len(text) in ends:
        return True
    if fmt.decimal and fmt.decimal in text:
        whole, _, frac = text.partition(fmt.decimal)
        return (
            bool(whole)
            and len(whole) in _integer_ends(whole, 0, fmt, DEFAULT_MAX_TOKEN_DIGITS)
            and frac.isdigit()
            and len(frac) <= DEFAULT_MAX_DECIMALS
        )
    return False


def text_to_piece_options(
    tail: str, fmt: NumberFormat, glued: bool = False, times: bool = False
) -> list[list[Piece]] | None:
    """Given the numeric tail of a text row, the format, and whether the tail is glued to the label (no
    whitespace between), return each way to read it as pieces (None: not numeric).

    Whitespace is a hard boundary (except where the format's thousands mark is a space: then digit
    tokens form one run whose spaces the grammar reads either way). A token that stands between
    whitespace and reads as exactly one number is one cell: a printed ``16`` is never split. Only a
    run the page fused (not one number, or glued to the label: ``Runaway2,04225,03027,072``) is
    split by the grammar. A placeholder is one blank cell; a lone dash before a single token may
    also only separate it from the label and the run the page fused (``international - 15287``):
    where that token is not one number, that is the only reading; where it is one, both are. With ``times`` (a table
    with a time column), a time is read too: a token that is one time (``13:00``) is one cell.
    """
    tokens = tail.split()
    options = [(tokens, glued)]
    if len(tokens) == 2 and tokens[0] in DECORATION_DASHES and fmt.thousands != " ":
        # a separator dash stands before a run the page fused: read as fused (as if glued to the label)
        one = token_to_pieces(tokens[1], fmt)
        single = one is not None and len(one) == 1 and one[0].kind == "run" and _single_number(one[0].text, fmt)
        options = [(tokens, glued), (tokens[1:], True)] if single else [(tokens[1:], True)]
    out = []
    for toks, first_glued in options:
        forks: list[list[int]] = []
        pieces = _tokens_to_pieces(toks, fmt, first_glued, times, forks=forks)
        if pieces is None:
            return None
        out.append(pieces)
        if not any(forks):
            continue
        picks_options = forks_to_picks(forks)
        if picks_options is None:
            return None
        for picks in picks_options[1:]:  # the first (each run's first count) is the reading above
            again = _tokens_to_pieces(toks, fmt, first_glued, times, picks)
            if again is None:
                return None
            out.append(again)
    return out


def forks_to_picks(forks: list[list[int]]) -> list[list[Sequence[int]]] | None:
    """Given, per token of a row, how many counts fit each of its placeholder runs that several counts fit
    (``......``), return each choice of count, per token (the first choice: each run's first count); None past
    DEFAULT_MAX_BLANK_RUN_OPTIONS choices (no reading is kept then: a reading left out could be the page's)."""
    choices: list[list[Sequence[int]]] = [[]]
    for token_forks in forks:
        combos = list(itertools.product(*(range(k) for k in token_forks)))
        choices = [c + [p] for c in choices for p in combos]
        if len(choices) > DEFAULT_MAX_BLANK_RUN_OPTIONS:
            return None
    return choices


def _tokens_to_pieces(
    tokens: list[str],
    fmt: NumberFormat,
    glued: bool,
    times: bool = False,
    picks: Sequence[Sequence[int]] = (),
    forks: list[list[int]] | None = None,
) -> list[Piece] | None:
    """Given a row's tokens, the format and whether the first is glued to the label, return the row's pieces (see
    ``text_to_piece_options``); ``picks`` and ``forks`` as ``token_to_pieces``'s, one per token."""
    pieces: list[Piece] = []
    apart = False  # a currency sign printed alone stands between two numbers: they never join
    for n, tok in enumerate(tokens):
        token_forks: list[int] = []
        got = token_to_pieces(tok, fmt, times, picks[n] if n < len(picks) else (), token_forks)
        if forks is not None:
            forks.append(token_forks)
        if got is None:
            return None
        if not got:  # a currency sign alone: decoration, and a hard boundary
            apart = True
            continue
        whole = not (glued and n == 0)  # the token stands between whitespace (or the line's end)
        if (
            whole
            and fmt.thousands != " "
            and len(got) == 1
            and got[0].kind == "run"
            and (_single_number(got[0].text, fmt) or (times and text_is_time(got[0].text)))
        ):
            got = [Piece(got[0].text, "cell", got[0].negative, False, got[0].mark)]
        if (
            fmt.thousands == " "
            and not apart
            and tok.lstrip("-−–(")[:1] not in CURRENCY_CHARS  # a sign starts another number
            and pieces
            and got
            and pieces[-1].kind == "run"
            and got[0].kind == "run"
            and not got[0].negative
            and not pieces[-1].mark
        ):
            pieces[-1] = Piece(pieces[-1].text + " " + got[0].text, "run", pieces[-1].negative, False, got[0].mark)
            got = got[1:]
        pieces.extend(got)
        apart = False
    return pieces


def text_to_pieces(tail: str, fmt: NumberFormat, glued: bool = False, times: bool = False) -> list[Piece] | None:
    """Given the numeric tail of a text row, return its first reading as pieces (see ``text_to_piece_options``)."""
    options = text_to_piece_options(tail, fmt, glued, times)
    return options[0] if options else None


#: Signs that print a bound, not a value, before a number (``<0.1``: less than a tenth).
BOUND_SIGNS = frozenset("<>≤≥")


def text_is_bound(text: str, fmt: NumberFormat) -> bool:
    """Given a printed cell's text, return whether it is a bound (``<0.1``, ``> 1,000``): a sign, then one number. The
    page printed no value there: the cell is published empty, like a placeholder, and never read as its number."""
    if len(text) < 2 or text[0] not in BOUND_SIGNS:
        return False
    rest = text[1:].strip()
    return bool(rest) and rest[0] in DIGITS and _single_number(rest, fmt)


def cell_to_piece(text: str, fmt: NumberFormat) -> Piece | None:
    """Given one printed cell's text and the format, return its piece: one number, a blank (a placeholder, or a bound
    such as ``<0.1``: no value printed), or None (not a number)."""
    text = " ".join(text.split())
    if not text:
        return Piece("", "blank")
    if text in fmt.placeholders:
        return Piece(text, "zero" if text in fmt.zero else "blank")
    if text_is_bound(text, fmt):
        return Piece(text, "blank")
    negative = False
    if text.startswith("(") and ")" in text:
        close = text.index(")")
        text, negative = text[1:close] + text[close + 1 :], True
    elif text[0] in MINUS_CHARS:
        text, negative = text[1:].lstrip(), True
    text = text.strip("".join(CURRENCY_CHARS) + " ")  # $45,000, 45.000 €
    if text.startswith("(") and text.endswith(")") and not negative:  # $(700)
        text, negative = text[1:-1], True
    elif text[:1] in MINUS_CHARS and not negative:  # $-700
        text, negative = text[1:], True
    body = text
    while body and body[-1] not in DIGITS:
        body = body[:-1]
    mark = text[len(body) :].strip()
    if mark and not (all(c in MARK_CHARS or c in "%‰" for c in mark) or (mark.isalpha() and len(mark) <= 2)):
        return None
    if fmt.thousands != " " and " " in body:
        return None
    if not body or not _single_number(body, fmt):
        return None
    return Piece(body, "cell", negative, False, mark.strip("%‰"))


def cells_to_pieces(cells: Sequence[str], fmt: NumberFormat) -> list[Piece] | None:
    """Given printed cells (an HTML row, a tab-separated line, PDF columns), return one piece each (None: a cell is not a number)."""
    out = [cell_to_piece(c, fmt) for c in cells]
    return None if any(p is None for p in out) else out  # type: ignore[return-value]


# ----------------------------------------------------------------------------- the lattice of readings

#: An edge of the lattice: (end position, value, cells taken: 1, or 0 for a skipped footnote mark).
Edge = tuple[int, Cell | None, int]  # the value is None on a skip edge (0 cells taken)


def _negate(v: Number) -> Number:
    return -v


def pieces_to_edges(
    pieces: Sequence[Piece], fmt: NumberFormat, times: bool = False, bare: bool = False
) -> tuple[list[list[Edge]], int]:
    """Given a row's pieces and the format, return the lattice's edges per position and its end position.

    A run's tokens are the grammar's (and its times, with ``times``); a cell piece is one edge (or none if its text is
    not one number); a blank or zero piece is one edge; an optional piece also has a skip edge.
    """
    edges: list[list[Edge]] = []
    pos = 0
    for piece in pieces:
        text = piece.text
        size = max(len(text), 1)
        local: list[list[Edge]] = [[] for _ in range(size)]
        if piece.kind == "blank":
            local[0].append((size, BLANK, 1))
        elif piece.kind == "zero":
            local[0].append((size, 0, 1))
        else:
            raw = run_to_edges(text, fmt, times=times, bare=bare)
            skip = list(range(size + 1))
            for p in range(size - 1, -1, -1):
                if text[p] == " ":
                    skip[p] = skip[p + 1]
            for p in range(len(text)):
                for end, v in raw[p]:
                    if piece.kind == "cell" and (p != 0 or end != len(text)):
                        continue
                    if piece.negative and p == 0:
                        v = _negate(v)
                    local[p].append((skip[end], v, 1))
        if piece.optional:
            local[0].append((size, None, 0))
        edges.extend([[(pos + q, v, c) for q, v, c in es] for es in local])
        pos += size
    return edges + [[]], pos


class RowLattice:
    """The readings of a row's pieces into ``k`` cells, as a lattice over (position, cells taken).

    Built from a digit run (as the grammar's only input, the solver's original form) or from
    pieces; the end state is (end, k). A value may be BLANK (a cell the page left blank).
    ``kinds`` (one per column) says what each column's cells may read as (``ColumnKind``): a value
    no kind of its column fits is no reading, and a column the page may leave blank printing
    nothing also takes a blank that spans no text (an edge from a position to itself).
    """

    def __init__(
        self, run: str | Sequence[Piece], k: int, fmt: NumberFormat, kinds: Sequence[ColumnKind] | None = None
    ):
        times = kinds is not None and any(kd.form == "time" for kd in kinds)
        pieces = (
            text_to_pieces(run, fmt, glued=True, times=times) if isinstance(run, str) else list(run)
        )  # a bare run: fused
        self.k, self.fmt = k, fmt
        self.kinds = list(kinds) if kinds is not None and any(kd != ANY_KIND for kd in kinds) else None
        # the columns' distinct kinds: the edges a kind may take are kept once per position and kind, not per column
        self._kind_at = [0] * (k + 1)
        if self.kinds is not None:
            distinct = {kd: n for n, kd in enumerate(dict.fromkeys(self.kinds))}
            self._kind_at = [distinct[kd] + 1 for kd in self.kinds] + [0]  # 0: no column left
        self.pieces = pieces or []
        bare = kinds is not None and any(kd.bare for kd in kinds)
        self.edges, self.n = pieces_to_edges(self.pieces, fmt, times, bare)
        self.start = 0
        self._typed: dict[tuple[int, int], list[Edge]] = {}
        self._alive = self._backward_alive()
        self.steps_used = 0  # steps the last readings() took

    def out(self, p: int, i: int) -> list[Edge]:
        """Return the edges from position p that column i (i == k: no column left) may take: those whose value fits
        its kind, and a blank spanning no text where the page may leave the column blank."""
        if self.kinds is None:
            return self.edges[p]
        key = (p, self._kind_at[min(i, self.k)])
        got = self._typed.get(key)
        if got is None:
            if i >= self.k:
                got = [e for e in self.edges[p] if e[2] == 0]
            else:
                kind = self.kinds[i]
                got = [e for e in self.edges[p] if e[2] == 0 or kind_fits(kind, e[1])]
                if kind.may_be_blank or kind.blank_only:
                    got.append((p, BLANK, 1))
            self._typed[key] = got
        return got

    def _backward_alive(self) -> list[list[bool]]:
        """Return alive[p][i]: whether (p, i) reaches the end state (n, k)."""
        n, k = self.n, self.k
        alive = [[False] * (k + 2) for _ in range(n + 1)]
        alive[n][k] = True
        for p in range(n, -1, -1):
            row = alive[p]
            for i in range(k, -1, -1):
                for q, _, c in self.edges[p] if self.kinds is None else self.out(p, i):
                    if i + c <= k and alive[q][i + c]:
                        row[i] = True
                        break
        return alive

    @property
    def feasible(self) -> bool:
        """Whether the pieces can be read as exactly k cells at all."""
        return self._alive[self.start][0]

    def count(self) -> int:
        """Return how many readings the grammar alone allows (paths; a skipped mark counts as a path)."""
        n, k = self.n, self.k
        ways = [[0] * (k + 2) for _ in range(n + 1)]
        ways[n][k] = 1
        for p in range(n, -1, -1):
            for i in range(k, -1, -1):  # downwards: a blank spanning no text leads from (p, i) to (p, i + 1)
                if p < n or i < k:
                    es = self.edges[p] if self.kinds is None else self.out(p, i)
                    ways[p][i] = sum(ways[q][i + c] for q, _, c in es if i + c <= k)
        return ways[self.start][0]

    def cell_values(self) -> list[set[Cell]]:
        """Return, for each column, the values some grammatical reading gives it."""
        n, k = self.n, self.k
        fwd = [[False] * (k + 2) for _ in range(n + 1)]
        fwd[self.start][0] = True
        values: list[set[Cell]] = [set() for _ in range(k)]
        for p in range(n + 1):
            for i in range(k + 1):
                if not fwd[p][i]:
                    continue
                for q, v, c in self.edges[p] if self.kinds is None else self.out(p, i):
                    if i + c <= k and self._alive[q][i + c]:
                        fwd[q][i + c] = True
                        if v is not None:  # c is 1 (a skip edge, c 0, has no value)
                            values[i].add(v)
        return values

    def _bounds(self, coeffs: Sequence[int]) -> tuple[list[list[Number]], list[list[Number]], list[list[bool]]]:
        """Given a rule's coefficient per column, return lo, hi of the rest of its sum from each state,
        and whether a blank may still fall in one of its columns (then the rule may not hold there).
        Only the states that reach the end state are set (the others are never read)."""
        n, k = self.n, self.k
        lo: list[list[Number]] = [[0] * (k + 2) for _ in range(n + 1)]
        hi: list[list[Number]] = [[0] * (k + 2) for _ in range(n + 1)]
        blank: list[list[bool]] = [[False] * (k + 2) for _ in range(n + 1)]
        lo[n][k] = hi[n][k] = 0
        for p in range(n, -1, -1):
            for i in range(k, -1, -1):
                if not self._alive[p][i] or (p == n and i == k):
                    continue
                best_lo: Number | None = None
                best_hi: Number | None = None
                b = False
                for q, v, c in self.edges[p] if self.kinds is None else self.out(p, i):
                    j = i + c
                    if j > k or not self._alive[q][j]:
                        continue
                    a = coeffs[i] if c else 0
                    x: Number
                    if isinstance(v, _Blank):  # BLANK
                        b = b or a != 0
                        x = 0
                    else:
                        x = a * v if c and a and v is not None else 0  # v is None only where c is 0
                    b = b or blank[q][j]
                    l, h = x + lo[q][j], x + hi[q][j]
                    if best_lo is None or l < best_lo:
                        best_lo = l
                    if best_hi is None or h > best_hi:
                        best_hi = h
                assert best_lo is not None and best_hi is not None  # an alive state has an edge to another
                lo[p][i], hi[p][i], blank[p][i] = best_lo, best_hi, b
        return lo, hi, blank

    def readings(
        self,
        rules: Sequence[tuple[Sequence[int], Number]] = (),
        max_readings: int = 10_000,
        max_steps: int = DEFAULT_MAX_ROW_STEPS,
        firm: int = 0,
        cell_bounds: Sequence[tuple[Number, Number] | None] | None = None,
    ) -> tuple[list[Reading], str]:
        """Given linear rules (coefficients, constant: sum a_j x_j = c), return the readings that meet them.

        A rule with a blank cell in one of its columns is not enforced on that reading, except
        the last ``firm`` rules (a reviewer's pins: a blank can never meet them).
        ``cell_bounds`` gives a column's (lowest, highest) value where the rest of the table implies one.
        The second item is "" when the enumeration is complete, else the name of the bound hit.
        """
        if not self.feasible:
            return [], ""
        cb = list(cell_bounds) if cell_bounds else [None] * self.k
        k = self.k
        nrules = len(rules)
        bounds = [self._bounds(a) for a, _ in rules]
        coeffs = [a for a, _ in rules]
        consts = [c for _, c in rules]
        soft = [r < nrules - firm for r in range(nrules)]
        out: list[Reading] = []
        steps = 0
        end = self.n
        alive = self._alive
        edges = self.edges
        typed = self.kinds

        class _Stop(Exception):
            pass

        stop_reason = ""
        dead: set[tuple[int, int, tuple[Number | None, ...]]] = set()

        prefix: list[Cell] = []
        # a frame: node, column, partial sums, next edge, readings found on entry, whether its child pushed a value
        # (iterative, not recursive: a row of 1,000+ cells is 1,000+ frames deep)
        frames: list[list[Any]] = []

        def enter(p: int, i: int, partial: tuple[Number | None, ...]) -> bool:
            nonlocal stop_reason
            if p == end and i == k:
                if all(partial[r] is None or partial[r] == consts[r] for r in range(nrules)):
                    out.append(tuple(prefix))
                    if len(out) > max_readings:
                        stop_reason = "max_readings"
                        raise _Stop
                return False
            if (p, i, partial) in dead:
                return False
            frames.append([p, i, partial, 0, len(out), False])
            return True

        def walk() -> None:
            nonlocal stop_reason, steps
            enter(self.start, 0, tuple([0] * nrules))
            while frames:
                fr = frames[-1]
                if fr[5]:  # back from a child that took a value
                    prefix.pop()
                    fr[5] = False
                p, i, partial = fr[0], fr[1], fr[2]
                out_edges = edges[p] if typed is None else self.out(p, i)
                descended = False
                while fr[3] < len(out_edges):
                    q, v, c = out_edges[fr[3]]
                    fr[3] += 1
                    j = i + c
                    if j > k or not alive[q][j]:
                        continue
                    steps += 1
                    if steps > max_steps:
                        stop_reason = "max_steps"
                        raise _Stop
                    bound = cb[i] if c else None
                    if (
                        bound is not None
                        and v is not None
                        and not isinstance(v, _Blank)
                        and not (bound[0] <= v <= bound[1])
                    ):
                        continue  # outside what the rest of the table allows this column (v is None only where c is 0)
                    new: list[Number | None] = []
                    ok = True
                    for r in range(nrules):
                        s = partial[r]
                        if s is None:
                            new.append(None)
                            continue
                        a = coeffs[r][i] if c else 0
                        if a:  # so c is 1, and v is a value
                            if isinstance(v, _Blank):  # BLANK
                                if not soft[r]:
                                    ok = False
                                    break
                                new.append(None)  # a blank in the rule's columns: not enforced on this reading
                                continue
                            assert v is not None
                            s = s + a * v
                        lo, hi, blank = bounds[r]
                        if not blank[q][j] and not (s + lo[q][j] <= consts[r] <= s + hi[q][j]):
                            ok = False
                            break
                        new.append(s)
                    if not ok:
                        continue
                    if v is not None:  # c is 1 (a skip edge, c 0, has no value)
                        prefix.append(v)
                    if enter(q, j, tuple(new)):
                        fr[5] = v is not None
                        descended = True
                        break
                    if v is not None:
                        prefix.pop()
                if descended:
                    continue
                if len(out) == fr[4]:
                    dead.add((p, i, partial))
                frames.pop()

        try:
            walk()
        except _Stop:
            return out[:max_readings], stop_reason
        finally:
            self.steps_used = steps  # the work this call took (zero-config charges it to DEFAULT_MAX_INFER_WORK)
        return out, ""
