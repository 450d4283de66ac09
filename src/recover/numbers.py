"""The number grammar: which numbers a run of digits can be read as, and in how many ways.

A digit run such as ``2,04225,03027,072`` and a :class:`NumberFormat` give, at each
position, the tokens the grammar allows to start there (``2``, ``2,042``). A row's
readings are the paths through that lattice made of exactly ``k`` tokens. Whitespace
inside a run is hard evidence of a cell boundary (unless the format's thousands
separator is a space, when it may be either).

Everything here is pure: a string and a format in, numbers out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .model import Number, Reading

DIGITS = frozenset("0123456789")
#: Longest integer part, in digits, of one number when the format has no thousands separator.
DEFAULT_MAX_TOKEN_DIGITS = 15
#: Most digits after the decimal separator of one number.
DEFAULT_MAX_DECIMALS = 6
#: Longest digit run one row may have; a longer run is not split (the row is too ambiguous).
DEFAULT_MAX_RUN_CHARS = 2_000
#: Most search steps spent enumerating one row's readings.
DEFAULT_MAX_ROW_STEPS = 300_000


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are written: thousands separator (or None) and decimal separator (or None)."""

    thousands: str | None = ","
    decimal: str | None = None

    @property
    def run_chars(self) -> frozenset[str]:
        """Given the format, return the characters a digit run may hold."""
        extra = {c for c in (self.thousands, self.decimal) if c}
        return DIGITS | extra | {" "}


def format_number(value: Number, fmt: NumberFormat) -> str:
    """Given a non-negative number and a format, return it as the source would write it."""
    if isinstance(value, Decimal):
        sign, digits, exp = value.as_tuple()
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


def run_to_edges(run: str, fmt: NumberFormat, max_digits: int = DEFAULT_MAX_TOKEN_DIGITS) -> list[list[tuple[int, Number]]]:
    """Given a digit run and a format, return for each position the tokens (end, value) starting there."""
    n = len(run)
    edges: list[list[tuple[int, Number]]] = [[] for _ in range(n)]
    sep = fmt.thousands
    for i in range(n):
        for end in _integer_ends(run, i, fmt, max_digits):
            whole = run[i:end].replace(sep, "") if sep else run[i:end]
            edges[i].append((end, int(whole)))
            if fmt.decimal and end < n and run[end] == fmt.decimal:
                j = end + 1
                while j < n and run[j] in DIGITS and j - end <= DEFAULT_MAX_DECIMALS:
                    j += 1
                    edges[i].append((j, Decimal(f"{whole}.{run[end + 1 : j]}")))
    return edges


class RowLattice:
    """The readings of one digit run into ``k`` numbers, as a lattice over (position, tokens used).

    Positions holding a space are skipped between tokens; the end state is (len(run), k).
    """

    def __init__(self, run: str, k: int, fmt: NumberFormat):
        self.run = run
        self.k = k
        self.fmt = fmt
        self.n = n = len(run)
        raw = run_to_edges(run, fmt)
        # next non-space position at or after p
        skip = list(range(n + 1))
        for p in range(n - 1, -1, -1):
            if run[p] == " ":
                skip[p] = skip[p + 1]
        self.start = skip[0]
        self.edges = [[(skip[end], v) for end, v in raw[p]] for p in range(n)] + [[]]
        self._alive = self._backward_alive()

    def _backward_alive(self) -> list[list[bool]]:
        """Return alive[p][i]: whether (p, i) reaches the end state (n, k)."""
        n, k = self.n, self.k
        alive = [[False] * (k + 1) for _ in range(n + 1)]
        alive[n][k] = True
        for p in range(n - 1, -1, -1):
            row = alive[p]
            for i in range(k - 1, -1, -1):
                for q, _ in self.edges[p]:
                    if alive[q][i + 1]:
                        row[i] = True
                        break
        return alive

    @property
    def feasible(self) -> bool:
        """Whether the run can be read as exactly k numbers at all."""
        return self._alive[self.start][0]

    def count(self) -> int:
        """Return how many readings the grammar alone allows."""
        n, k = self.n, self.k
        ways = [[0] * (k + 1) for _ in range(n + 1)]
        ways[n][k] = 1
        for p in range(n - 1, -1, -1):
            for i in range(k):
                ways[p][i] = sum(ways[q][i + 1] for q, _ in self.edges[p])
        return ways[self.start][0]

    def cell_values(self) -> list[set[Number]]:
        """Return, for each column, the values some grammatical reading gives it."""
        n, k = self.n, self.k
        fwd = [[False] * (k + 1) for _ in range(n + 1)]
        fwd[self.start][0] = True
        values: list[set[Number]] = [set() for _ in range(k)]
        for p in range(n):
            for i in range(k):
                if not fwd[p][i]:
                    continue
                for q, v in self.edges[p]:
                    if self._alive[q][i + 1]:
                        fwd[q][i + 1] = True
                        values[i].add(v)
        return values

    def _bounds(self, coeffs: Sequence[int]) -> tuple[list[list], list[list]]:
        """Given a rule's coefficient per column, return lo, hi of the rest of the sum from each state."""
        n, k = self.n, self.k
        inf = None
        lo = [[inf] * (k + 1) for _ in range(n + 1)]
        hi = [[inf] * (k + 1) for _ in range(n + 1)]
        lo[n][k] = hi[n][k] = 0
        for p in range(n - 1, -1, -1):
            for i in range(k - 1, -1, -1):
                if not self._alive[p][i]:
                    continue
                a = coeffs[i]
                best_lo = best_hi = None
                for q, v in self.edges[p]:
                    if not self._alive[q][i + 1]:
                        continue
                    l, h = a * v + lo[q][i + 1], a * v + hi[q][i + 1]
                    if best_lo is None or l < best_lo:
                        best_lo = l
                    if best_hi is None or h > best_hi:
                        best_hi = h
                lo[p][i], hi[p][i] = best_lo, best_hi
        return lo, hi

    def readings(
        self,
        rules: Sequence[tuple[Sequence[int], Number]] = (),
        max_readings: int = 10_000,
        max_steps: int = DEFAULT_MAX_ROW_STEPS,
    ) -> tuple[list[Reading], str]:
        """Given linear rules (coefficients, constant: sum a_j x_j = c), return the readings that meet them.

        The second item is "" when the enumeration is complete, else the name of the bound hit.
        """
        if not self.feasible:
            return [], ""
        k = self.k
        bounds = [self._bounds(a) for a, _ in rules]
        out: list[Reading] = []
        steps = 0
        end = self.n
        nrules = len(rules)
        coeffs = [a for a, _ in rules]
        consts = [c for _, c in rules]

        class _Stop(Exception):
            pass

        stop_reason = ""
        dead: set = set()  # states (position, tokens, partial sums) known to lead to no reading

        def dfs(p: int, i: int, partial: list, prefix: list) -> None:
            nonlocal stop_reason
            if i == k:
                if p == end and all(partial[r] == consts[r] for r in range(nrules)):
                    out.append(tuple(prefix))
                    if len(out) > max_readings:
                        stop_reason = "max_readings"
                        raise _Stop
                return
            key = (p, i, *partial)
            if key in dead:
                return
            found = len(out)
            self._expand(p, i, partial, prefix, dfs, step)
            if len(out) == found:
                dead.add(key)

        def step(i: int, q: int, v, partial: list):
            nonlocal steps, stop_reason
            steps += 1
            if steps > max_steps:
                stop_reason = "max_steps"
                raise _Stop
            if not nrules:
                return partial
            new = []
            for r in range(nrules):
                s = partial[r] + coeffs[r][i] * v
                lo, hi = bounds[r]
                if not (s + lo[q][i + 1] <= consts[r] <= s + hi[q][i + 1]):
                    return None
                new.append(s)
            return new

        try:
            dfs(self.start, 0, [0] * nrules, [])
        except _Stop:
            return out[:max_readings], stop_reason
        return out, ""

    def _expand(self, p: int, i: int, partial: list, prefix: list, dfs, step) -> None:
        """Try each token from state (p, i): extend the prefix and recurse where the rules still allow."""
        alive = self._alive
        for q, v in self.edges[p]:
            if not alive[q][i + 1]:
                continue
            new = step(i, q, v, partial)
            if new is not None:
                prefix.append(v)
                dfs(q, i + 1, new, prefix)
                prefix.pop()
