"""Row rules: a small grammar for linear equations over a row's columns, parsed, never evaluated.

    rule  : expr "=" expr
    expr  : ["-"] term (("+" | "-") term)*
    term  : INT "*" atom | atom | INT
    atom  : NAME | "sum" "(" NAME ".." NAME ")"
    ratio : NAME "=" [INT "*"] NAME "/" (NAME | "(" NAME "+" NAME ")")

A rule becomes a :class:`LinearRule`: an integer coefficient per column and a constant,
meaning ``sum(coeff[c] * c) == const``; a ratio (``s_pct = 100 * g / s``, ``w_l_pct = w / (w + l)``) a
:class:`RatioRule`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

GRAMMAR = r"""
?start: equation
equation: expr "=" expr
expr: first_term (ADDOP term)*
first_term: NEG? term
term: INT "*" atom   -> scaled
    | atom           -> unit
    | INT            -> constant
atom: SUM "(" NAME ".." NAME ")" -> range
    | NAME                       -> column
SUM.2: "sum"
ADDOP: "+" | "-"
NEG: "-"
NAME: /[A-Za-z_][A-Za-z0-9_]*/
INT: /[0-9]+/
%import common.WS_INLINE
%ignore WS_INLINE
"""

#: Longest rule text accepted.
DEFAULT_MAX_RULE_CHARS = 2_000

_parser = Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


class RuleParseError(ValueError):
    """A rule that is not a linear equation over the table's columns; the message is one line."""


@dataclass(frozen=True)
class LinearRule:
    """sum(coeffs[c] * c) == const, over the named columns."""

    text: str
    coeffs: tuple[tuple[str, int], ...]
    const: int

    def vector(self, columns: Sequence[str]) -> tuple[tuple[int, ...], int]:
        """Given the table's columns in order, return (a coefficient per column, constant)."""
        c = dict(self.coeffs)
        return tuple(c.get(name, 0) for name in columns), self.const


#: A linear expression: ({column: coefficient}, constant).
_Linear = tuple[dict[str, int], int]


@v_args(inline=True)
class _ToLinear(Transformer[Token, _Linear]):
    """Turn a parse tree into ({column: coefficient}, constant) pairs."""

    def __init__(self, columns: Sequence[str]):
        super().__init__()
        self.columns = list(columns)

    def column(self, name: Token) -> _Linear:
        if str(name) not in self.columns:
            raise RuleParseError(f"unknown column '{name}' (columns: {', '.join(self.columns)})")
        return {str(name): 1}, 0

    def range(self, _sum: Token, first: Token, last: Token) -> _Linear:
        for name in (first, last):
            if str(name) not in self.columns:
                raise RuleParseError(f"unknown column '{name}' in sum({first}..{last})")
        i, j = self.columns.index(str(first)), self.columns.index(str(last))
        if i > j:
            raise RuleParseError(f"sum({first}..{last}): '{first}' comes after '{last}' in columns")
        return {c: 1 for c in self.columns[i : j + 1]}, 0

    def scaled(self, factor: Token, atom: _Linear) -> _Linear:
        coeffs, const = atom
        return {c: int(factor) * a for c, a in coeffs.items()}, int(factor) * const

    def unit(self, atom: _Linear) -> _Linear:
        return atom

    def constant(self, value: Token) -> _Linear:
        return {}, int(value)

    def first_term(self, *parts: Token | _Linear) -> _Linear:
        term = parts[-1]
        assert isinstance(term, tuple)  # the term is the last child (a NEG token may come before it)
        if len(parts) == 2:  # negated
            return {c: -a for c, a in term[0].items()}, -term[1]
        return term

    def expr(self, first: _Linear, *rest: Token | _Linear) -> _Linear:
        coeffs, const = dict(first[0]), first[1]
        for op, term in zip(rest[::2], rest[1::2]):
            assert isinstance(term, tuple)  # the children after the first alternate: an ADDOP token, a term
            sign = 1 if op == "+" else -1
            for c, a in term[0].items():
                coeffs[c] = coeffs.get(c, 0) + sign * a
            const += sign * term[1]
        return coeffs, const

    def equation(self, left: _Linear, right: _Linear) -> _Linear:
        coeffs = dict(left[0])
        for c, a in right[0].items():
            coeffs[c] = coeffs.get(c, 0) - a
        return coeffs, right[1] - left[1]


def parse_rule(text: str, columns: Sequence[str]) -> LinearRule:
    """Given a rule's text and the table's columns, return its LinearRule or raise RuleParseError."""
    if len(text) > DEFAULT_MAX_RULE_CHARS:
        raise RuleParseError(f"rule longer than {DEFAULT_MAX_RULE_CHARS} characters")
    try:
        tree = _parser.parse(text)
        coeffs, const = _ToLinear(columns).transform(tree)
    except VisitError as e:
        if isinstance(e.orig_exc, RuleParseError):
            raise e.orig_exc from None
        raise RuleParseError(str(e.orig_exc)) from None
    except UnexpectedEOF:
        raise RuleParseError(f"'{text}' ends too early: expected a column, a number or sum(a..b)") from None
    except UnexpectedCharacters as e:
        raise RuleParseError(f"'{text}': unexpected '{text[e.column - 1]}' at column {e.column}") from None
    except UnexpectedInput as e:
        tok = getattr(e, "token", None)
        if tok is not None and tok.type == "$END":
            raise RuleParseError(f"'{text}' ends too early: expected a column, a number or sum(a..b)") from None
        raise RuleParseError(f"'{text}': unexpected '{tok}' at column {getattr(e, 'column', '?')}") from None
    except LarkError as e:  # pragma: no cover - any other parser failure is still one line
        raise RuleParseError(f"'{text}': {e}".splitlines()[0]) from None
    coeffs = {c: a for c, a in coeffs.items() if a != 0}
    if not coeffs:
        raise RuleParseError(f"'{text}' constrains no column")
    order = {c: i for i, c in enumerate(columns)}
    return LinearRule(text=text, coeffs=tuple(sorted(coeffs.items(), key=lambda kv: order[kv[0]])), const=const)


_RATIO = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:([0-9]{1,12})\s*\*\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*/\s*([A-Za-z_][A-Za-z0-9_]*)\s*$"
)
#: A ratio over a sum of two columns: ``w_l_pct = w / (w + l)`` (a share of a whole the page does not print).
_RATIO_OF_SUM = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:([0-9]{1,12})\s*\*\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*/\s*"
    r"\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\+\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$"
)


@dataclass(frozen=True)
class RatioRule:
    """``result = factor * numerator / denominator``, ``result`` rounded to the decimals it prints (a percentage
    ``s_pct = 100 * g / s``): where the denominator is 0 the page leaves ``result`` blank, and only there."""

    text: str
    result: str
    factor: int
    numerator: str
    denominator: str
    #: Columns added to the denominator (``w / (w + l)``: ``l``), none for a plain ratio.
    addends: tuple[str, ...] = ()

    def holds(self, values: Mapping[str, object]) -> bool:
        """Given a reading's cells by column (a blank is None), return whether it meets the ratio: not enforced where
        the numerator or the denominator is blank; a blank result exactly where the denominator is 0; else the
        result within half a unit of its last printed decimal of factor * numerator / denominator."""
        c, a, b = values.get(self.result), values.get(self.numerator), values.get(self.denominator)
        extra = [values.get(x) for x in self.addends]
        if not all(isinstance(x, int | Decimal) for x in (a, b, *extra)):
            return True
        assert isinstance(a, int | Decimal) and isinstance(b, int | Decimal)
        b = b + sum(x for x in extra if isinstance(x, int | Decimal))
        if b == 0:
            return c is None
        if not isinstance(c, int | Decimal):
            return False
        exponent = c.as_tuple().exponent if isinstance(c, Decimal) else 0
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        exact = Fraction(self.factor) * Fraction(a) / Fraction(b)
        return abs(Fraction(c) - exact) <= Fraction(1, 2 * 10**decimals)


def parse_ratio(text: str, columns: Sequence[str]) -> RatioRule | None:
    """Given a rule's text and the table's columns, return its RatioRule, None where the text has no ``/`` (a linear
    rule), or raise RuleParseError."""
    if "/" not in text:
        return None
    if len(text) > DEFAULT_MAX_RULE_CHARS:
        raise RuleParseError(f"rule longer than {DEFAULT_MAX_RULE_CHARS} characters")
    m = _RATIO.match(text)
    summed = _RATIO_OF_SUM.match(text) if m is None else None
    if m is None and summed is None:
        raise RuleParseError(
            f"'{text}': a ratio reads c = a / b or c = N * a / b (N a whole number), or c = a / (a + b)"
        )
    if summed is not None:
        result, factor, numerator, denominator, addend = summed.groups()
        for name in (result, numerator, denominator, addend):
            if name not in columns:
                raise RuleParseError(f"unknown column '{name}' (columns: {', '.join(columns)})")
        if len({result, denominator, addend}) < 3 or numerator == result:
            raise RuleParseError(f"'{text}': a ratio of a sum is over three different columns")
        return RatioRule(text, result, int(factor) if factor else 1, numerator, denominator, (addend,))
    assert m is not None
    result, factor, numerator, denominator = m.group(1), m.group(2), m.group(3), m.group(4)
    for name in (result, numerator, denominator):
        if name not in columns:
            raise RuleParseError(f"unknown column '{name}' (columns: {', '.join(columns)})")
    if len({result, numerator, denominator}) < 3:
        raise RuleParseError(f"'{text}': a ratio is over three different columns")
    return RatioRule(text, result, int(factor) if factor else 1, numerator, denominator)
