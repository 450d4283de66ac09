"""Printed numbers for the real-document benchmark (`bench/real.py`): read a cell's text the way a person reads it.

Shared by the truth side and by the peers' cells, and independent of `recover`'s own number grammar: a number is
digits with optional thousands separators (`,` `.` or a space), an optional decimal part, an optional sign (`-`
`−` `+`, or parentheses `(765)`), an optional `%`, a `$` `€` `£` glued or apart, and footnote marks aside (`1.0*`,
`12[3]`, `2006 (*)`, `7†`). A cell holding two numbers (`12 (3.2%)`, `1988-92`) or words is not a number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class NumberFormat:
    """How a table prints numbers: its thousands separators (any of them; `" "` stands for every kind of space) and
    its decimal mark."""

    thousands: tuple[str, ...] = (",",)
    decimal: str = "."

    def __str__(self) -> str:
        seps = "".join("␣" if t == " " else t for t in self.thousands) or "none"
        return f"thousands {seps} decimal {self.decimal}"


ENGLISH = NumberFormat((",",), ".")

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007]+")
_FOOTNOTE = re.compile(
    r"(?:\s*(?:\[[^\]]{1,12}\]|\(\*+\)|[*†‡§#¹²³⁴⁵⁶⁷⁸⁹⁰]+|\((?:[a-z]|\d)\)(?=$)|(?<=\d)[abcefpr](?=$)))+$"
)
_SHAPE = re.compile(
    r"^(?P<sign>[-−–+]?)\s?(?P<cur>[$€£]?)\s?(?P<open>\(?)\s?(?P<sign2>[-−+]?)\s?(?P<cur2>[$€£]?)\s?"
    r"(?P<body>\d[\d., ]*|[.,]\d+)"
    r"\s?(?P<close>\)?)\s?(?P<pct>%?)\s?(?P<cur3>[$€£]?)$"
)


def text_to_clean(text: str) -> str:
    """Given a cell's text, return it with every kind of space made one plain space and the ends stripped."""
    return _SPACES.sub(" ", text).strip()


def marks_to_stripped(text: str) -> str:
    """Given a cell's clean text, return it without the footnote marks that end it (`1.0*`, `12[3]`, `2006 (*)`,
    `7†`, a statistical flag glued to the digits `410a` `12p`, but not a unit `25g`), unless nothing would be left (`(3)` is a number)."""
    stripped = _FOOTNOTE.sub("", text).strip()
    return stripped or text


def _body_pattern(fmt: NumberFormat) -> re.Pattern[str]:
    """Given a number format, return the pattern of an unsigned number's digits under it."""
    dec = re.escape(fmt.decimal)
    alternatives = [r"\d+"]
    for sep in fmt.thousands:
        alternatives.append(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+")
    return re.compile(r"^(?:(?:" + "|".join(alternatives) + r")(?:" + dec + r"\d+)?|" + dec + r"\d+)$")


_PATTERNS: dict[NumberFormat, re.Pattern[str]] = {}


def body_to_format(body: str) -> NumberFormat | None:
    """Given the digits of one number with no format known, return the format it reads under by itself (the last of
    `,`/`.` is the decimal mark when both occur; a lone `,` or `.` followed by three digits is a thousands separator
    only when it repeats or, for `,`, by the English default), or None when no format reads it."""
    has_comma, has_dot, has_space = "," in body, "." in body, " " in body
    if has_comma and has_dot:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        return NumberFormat(("." if dec == "," else ",", " "), dec)
    if has_comma:
        if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+", body):
            return NumberFormat((",", " "), ".")
        return NumberFormat((" ",), ",")
    if has_dot:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", body):
            return NumberFormat((".", " "), ",")
        return NumberFormat((" ",), ".")
    if has_space:
        return NumberFormat((" ",), ".")
    return ENGLISH


def printed_to_number(text: str, fmt: NumberFormat | None = None) -> Decimal | None:
    """Given a cell's text as printed (and the table's number format, or None to read the number by itself), return
    the number it prints, or None when it prints no single number: `(765)` is -765, `−8.0` is -8.0, `$ 93,736` is
    93736, `12.5%` is 12.5, `.364` is 0.364, `1.0*` is 1.0; `<0.1`, `1988-92`, `11 (3.2%)`, `25g`, `n/a` are None."""
    s = marks_to_stripped(text_to_clean(text))
    m = _SHAPE.match(s)
    if not m:
        return None
    signs = [g for g in (m["sign"], m["sign2"]) if g]
    currencies = [g for g in (m["cur"], m["cur2"], m["cur3"]) if g]
    if len(signs) > 1 or len(currencies) > 1 or bool(m["open"]) != bool(m["close"]):
        return None
    if m["open"] and signs:
        return None
    body = m["body"].strip()
    fmt = fmt or body_to_format(body)
    if fmt is None:
        return None
    pattern = _PATTERNS.get(fmt)
    if pattern is None:
        pattern = _PATTERNS[fmt] = _body_pattern(fmt)
    if not pattern.match(body):
        return None
    digits = body
    for sep in fmt.thousands:
        digits = digits.replace(sep, "")
    digits = digits.replace(fmt.decimal, ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    negative = bool(m["open"]) or (bool(signs) and signs[0] in "-−–")
    return -value if negative else value


def texts_to_format(texts: Iterable[str]) -> tuple[NumberFormat, list[str]]:
    """Given the texts of a table's cells, return the number format the table prints (decided from the cells that
    tell: `1.234,5` `0,5` `1.234.567` say `,` decimal; `1,234.5` `0.25` say `.` decimal; `1 234` says space
    thousands) and the doubts met (cells saying both, or nothing telling the decimal mark of `1.234`)."""
    votes: Counter[str] = Counter()
    spaces = commas = dots = 0
    for raw in texts:
        s = marks_to_stripped(text_to_clean(raw))
        m = _SHAPE.match(s)
        if not m:
            continue
        body = m["body"].strip()
        if "," in body and "." in body:
            votes["," if body.rfind(",") > body.rfind(".") else "."] += 1
        elif "," in body:
            if re.fullmatch(r"\d{1,3}(?:,\d{3})+", body) and not body.startswith("0,"):
                commas += 1
            else:
                votes[","] += 1
        elif "." in body:
            if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", body):
                votes[","] += 1
            elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", body):
                dots += 1
            else:
                votes["."] += 1
        if re.fullmatch(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", body):
            spaces += 1
    doubts = []
    if votes["."] and votes[","]:
        doubts.append(f"both decimal marks ({votes['.']} `.`, {votes[',']} `,`)")
    decimal = "," if votes[","] > votes["."] else "."
    if not votes and dots and not commas:
        doubts.append(f"{dots} cells like `1.234` and no decimal evidence: read `.` as decimal")
    thousands: list[str] = []
    if decimal == "." and (commas or not spaces):
        thousands.append(",")
    if decimal == "," and (dots or not spaces):
        thousands.append(".")
    if spaces:
        thousands.append(" ")
    return NumberFormat(tuple(thousands), decimal), doubts


def text_to_tokens(text: str) -> set[Decimal]:
    """Given a page's text, return every number printed on it as a whole token (whitespace-separated, surrounding
    punctuation aside, and space-grouped thousands `1 234` whole), read under each common format, with its sign
    both ways: the values a tool may publish without splitting a printed token."""
    values: set[Decimal] = set()
    clean = text_to_clean(text.replace("\n", "  "))
    candidates = [t.strip("()[]{};:,.\"'“”’") for t in clean.split(" ")]
    candidates += re.findall(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:[.,]\d+)?", clean)
    candidates += clean.split(" ")
    candidates += [t.strip("()[]{};:,.\"'“”’") for t in re.split(r"[ =]", clean)]  # `p=0.152`
    formats = (None, ENGLISH, NumberFormat((".", " "), ","), NumberFormat((" ",), ","), NumberFormat((" ",), "."))
    for token in candidates:
        if not token or not any(ch.isdigit() for ch in token):
            continue
        for fmt in formats:
            v = printed_to_number(token, fmt)
            if v is not None:
                values.add(v)
                values.add(-v)
    return values
