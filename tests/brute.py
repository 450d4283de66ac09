"""An independent brute force for tiny tables: regex pieces and itertools, no code shared with the solver.

It is slow on purpose and written differently on purpose: tests compare the solver with it.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal


def token_regex(thousands: str | None, decimal: str | None) -> re.Pattern:
    """Return the regex one number must fully match under a format."""
    if thousands:
        whole = r"(?:0|[1-9][0-9]{0,2}(?:" + re.escape(thousands) + r"[0-9]{3})*)"
    else:
        whole = r"(?:0|[1-9][0-9]{0,14})"
    frac = r"(?:" + re.escape(decimal) + r"[0-9]{1,6})?" if decimal else ""
    return re.compile(whole + frac)


def value_of(piece: str, thousands: str | None, decimal: str | None):
    if thousands:
        piece = piece.replace(thousands, "")
    if decimal and decimal in piece:
        return Decimal(piece.replace(decimal, "."))
    return int(piece)


def splits(run: str, k: int, thousands: str | None = ",", decimal: str | None = None) -> list[tuple]:
    """Return every way to cut ``run`` into k pieces that each read as a number (spaces are boundaries)."""
    rx = token_regex(thousands, decimal)
    out = []

    def rec(rest: str, acc: list) -> None:
        rest = rest.lstrip(" ")
        if len(acc) == k:
            if not rest:
                out.append(tuple(acc))
            return
        for cut in range(1, len(rest) + 1):
            piece = rest[:cut]
            if rx.fullmatch(piece):
                rec(rest[cut:], acc + [value_of(piece, thousands, decimal)])

    rec(run, [])
    return sorted(set(out), key=str)


def table_solutions(rows_readings: list[list[tuple]], check) -> list[tuple]:
    """Return every choice of one reading per row that ``check`` accepts."""
    return [combo for combo in itertools.product(*rows_readings) if check(combo)]


def determined(solutions: list[tuple], nrows: int, k: int) -> list[list]:
    """Return each cell's value where every solution agrees, else None."""
    out = []
    for r in range(nrows):
        row = []
        for j in range(k):
            vals = {s[r][j] for s in solutions}
            row.append(vals.pop() if len(vals) == 1 else None)
        out.append(row)
    return out
