"""Our own fuzzing harness: Hypothesis over every place where user or server input enters.

Targets: the rules loader (mutated YAML and values), the rule grammar, the number grammar
(``text_to_pieces``, ``RowLattice``), the text and HTML extractors (generated documents,
malformed markup, spans), fetch against hostile servers on 127.0.0.1 (endless, trickling,
compressed, redirecting), and whole ``recover run``s on mutated documents and rules.

Properties, everywhere: no exit 70 and no exception but a RecoverError (one line naming the
file); no traceback; each call within its time bound; outputs whole or absent. The short
profile (``RECOVER_FUZZ=ci``, the default) runs in CI; ``bench/fuzz.py --minutes N`` runs the
same targets for longer, with random seeds, and prints inputs tried and findings per target.
Each target is a plain function of one drawn input, so bench/fuzz.py calls the same code.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import io
import os
import random
import re
import shutil
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recover.errors import RecoverError
from tests.conftest import SEED, SEED_RULES
from tests.test_bounds import RawServer, gzip_bytes

#: Inputs tried per target (bench/fuzz.py reports them).
TRIED: collections.Counter = collections.Counter()

PROFILES = {
    # examples per target; CI keeps the whole file well under 90 s on two cores
    "ci": {
        "rules": 200,
        "grammar": 300,
        "numbers": 300,
        "text": 60,
        "html": 120,
        "fetch": 40,
        "runs": 40,
        "names": 25,
        "page": 15,
        "cost": 3,
    },
    "long": {
        k: 1_000_000 for k in ("rules", "grammar", "numbers", "text", "html", "fetch", "runs", "names", "page", "cost")
    },
}
PROFILE = os.environ.get("RECOVER_FUZZ", "ci")


def fuzz_settings(target: str, **more) -> settings:
    return settings(
        max_examples=PROFILES[PROFILE][target],
        deadline=None,
        database=None,
        derandomize=PROFILE == "ci",
        suppress_health_check=list(HealthCheck),
        **more,
    )


def one_line(e: RecoverError, where: str | None = None) -> None:
    """A user error is one line per problem, each naming the file (``where``) and a slug."""
    for line in e.line.splitlines():
        assert line.strip() and line.endswith("]"), line
        if where is not None:
            assert where in line, (where, line)


@contextlib.contextmanager
def within(seconds: float, what: str):
    t = time.monotonic()
    yield
    took = time.monotonic() - t
    assert took < seconds, f"{what} took {took:.1f} s (bound {seconds} s)"


# ============================================================================= the rules loader

SEED_RULES_TEXT = SEED_RULES.read_text(encoding="utf-8").replace("source: ../samples", f"source: {SEED.parent.parent}")
_SCALAR = re.compile(r"(?<=: )[^\s{}\[\],#][^\n,}\]#]*|(?<=\[)[^\[\],\n]+|(?<=, )[^\[\],\n{}]+")
ODD_VALUES = [
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "!!int abc",
    "!!float x",
    "!!bool maybe",
    "!!timestamp soon",
    "!!binary '%%'",
    "!!str",
    "!!null",
    "!!python/object:os.system",
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "[[[[[[]]]]]]",
    "1e400",
    "1.0e+400",
    "9" * 5000,
    "-1",
    "-0.0",
    "0x1F",
    "0o17",
    "1_000",
    "2020-01-01",
    "yes",
    "no",
    "'\\x00'",
    '"\\0"',
    '"\\u0000"',
    '"\\ud800"',
    "a" * 20_000,
    "sum(a..b)",
    "total = total",
    "total = 2 * total",
    "*anchor",
    "&anchor x",
    "|\n  block",
    ">-",
    "? x",
    "'unterminated",
    '"unterminated',
    "{a: 1, a: 2}",
    "[a, b",
    "é",
    "보다",
    "\t",
    "- - -",
    "%YAML 1.1",
    "---",
    "...",
]
ODD_INSERTS = [
    "\x00",
    "\x01",
    "\t",
    "\r",
    "\ufeff",
    "\u2028",
    ":",
    "- ",
    "  ",
    "\n",
    "#",
    "&a ",
    "*a",
    "!!",
    "{",
    "[",
    "'",
    '"',
    "\nextra: 1\n",
    "\n  - id: x\n",
    "\n    overrides: {Nobody: {total: .inf}}\n",
    "\n    totals: {known: {total: .nan}}\n",
]


@st.composite
def mutated_rules(draw) -> str:
    """Return the seed rules file with a few mutations: values replaced, tokens inserted, spans cut or doubled."""
    text = SEED_RULES_TEXT
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["value", "value", "insert", "delete", "dup_line", "indent"]))
        if op == "value":
            spots = [m.span() for m in _SCALAR.finditer(text)]
            a, b = draw(st.sampled_from(spots))
            new = draw(st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=30)))
            text = text[:a] + new + text[b:]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(st.sampled_from(ODD_INSERTS), st.text(max_size=10))) + text[at:]
        elif op == "delete":
            a = draw(st.integers(0, len(text)))
            text = text[:a] + text[a + draw(st.integers(1, 200)) :]
        elif op == "dup_line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i] = [lines[i]] * draw(st.integers(1, 3))
            text = "\n".join(lines)
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = " " * draw(st.integers(0, 9)) + lines[i].lstrip()
            text = "\n".join(lines)
    return text


def target_rules(text: str) -> None:
    """Load a mutated rules file: checked Rules (every number finite) or one line per problem; never another exception."""
    from recover.rules import load_rules

    TRIED["rules"] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-rules-"))
    try:
        path = folder / "rules.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with within(10, "loading the rules"):
            try:
                rules = load_rules(path)
            except RecoverError as e:
                one_line(e, str(path))
                return
        for spec in rules.tables:
            spec.rule_vectors()
            for v in list(spec.known.values()) + [v for pins in spec.overrides.values() for v in pins.values()]:
                assert v == v and abs(v) != float("inf"), v
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings("rules")
@given(mutated_rules())
def test_fuzz_rules_loader(text):
    target_rules(text)


# ============================================================================= the rule grammar

GRAMMAR_COLUMNS = ["a", "b", "c", "d", "total"]


@st.composite
def linear_rules(
    draw,
) -> tuple[str, list[tuple[int, str | tuple[str, str] | None]], list[tuple[int, str | tuple[str, str] | None]]]:
    """Return (rule text, left terms, right terms): a term is (signed factor, column | (first, last) | None for a constant)."""

    def side():
        terms = []
        for n in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["col", "col", "scaled", "sum", "const"]))
            sign = -1 if (n == 0 and draw(st.booleans()) and draw(st.booleans())) or (n and draw(st.booleans())) else 1
            if kind == "col":
                terms.append((sign, 1, draw(st.sampled_from(GRAMMAR_COLUMNS))))
            elif kind == "scaled":
                terms.append((sign, draw(st.integers(0, 10**6)), draw(st.sampled_from(GRAMMAR_COLUMNS))))
            elif kind == "sum":
                i = draw(st.integers(0, len(GRAMMAR_COLUMNS) - 1))
                j = draw(st.integers(i, len(GRAMMAR_COLUMNS) - 1))
                terms.append((sign, 1, (GRAMMAR_COLUMNS[i], GRAMMAR_COLUMNS[j])))
            else:
                terms.append((sign, draw(st.integers(0, 10**9)), None))
        return terms

    def text(terms):
        out = ""
        for n, (sign, factor, atom) in enumerate(terms):
            op = ("-" if sign < 0 else "") if n == 0 else (" - " if sign < 0 else " + ")
            body = (
                (f"sum({atom[0]}..{atom[1]})" if isinstance(atom, tuple) else atom) if atom is not None else str(factor)
            )
            if atom is not None and factor != 1:
                body = f"{factor} * {body}" if draw(st.booleans()) else f"{factor}*{body}"
            out += op + body
        return out

    left, right = side(), side()
    return f"{text(left)} = {text(right)}", left, right


def _value(terms, x: dict) -> int:
    total = 0
    for sign, factor, atom in terms:
        if atom is None:
            total += sign * factor
        elif isinstance(atom, tuple):
            i, j = GRAMMAR_COLUMNS.index(atom[0]), GRAMMAR_COLUMNS.index(atom[1])
            total += sign * factor * sum(x[c] for c in GRAMMAR_COLUMNS[i : j + 1])
        else:
            total += sign * factor * x[atom]
    return total


def target_grammar(case: tuple) -> None:
    """A generated linear rule parses to the equation it means; garbage gives a one-line RuleParseError."""
    from recover.rulegrammar import RuleParseError, parse_rule

    TRIED["grammar"] += 1
    kind, payload, assignment = case
    if kind == "garbage":
        try:
            parse_rule(payload, GRAMMAR_COLUMNS)
        except RuleParseError as e:
            assert " ".join(str(e).split())  # the rules loader prints it on one line
        return
    text, left, right = payload
    x = dict(zip(GRAMMAR_COLUMNS, assignment))
    try:
        rule = parse_rule(text, GRAMMAR_COLUMNS)
    except RuleParseError as e:
        # only when every column cancels out (or the rule is too long)
        assert "constrains no column" in str(e) or "longer than" in str(e), (text, str(e))
        return
    coeffs, const = rule.vector(GRAMMAR_COLUMNS)
    assert sum(a * x[c] for a, c in zip(coeffs, GRAMMAR_COLUMNS)) - const == _value(left, x) - _value(right, x), text


GARBAGE_RULE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="abcdtotalsum()=+-*.0123456789 _", max_size=60),
    st.sampled_from(
        [
            "a = b = c",
            "sum(total..a) = 1",
            "sum(a..z) = 1",
            "a ** b = c",
            "= a",
            "a =",
            "9" * 5000 + " * a = b",
            "a" * 3000 + " = b",
            "-(-a) = b",
            "sum(a..b)..c = d",
            "a = b\n= c",
            "\x00 = a",
            "a = ٣",
        ]
    ),
)


GRAMMAR_CASES = st.one_of(
    st.tuples(st.just("rule"), linear_rules(), st.lists(st.integers(-(10**6), 10**6), min_size=5, max_size=5)),
    st.tuples(st.just("garbage"), GARBAGE_RULE, st.just([0] * 5)),
)


@fuzz_settings("grammar")
@given(GRAMMAR_CASES)
def test_fuzz_rule_grammar(case):
    target_grammar(case)


# ============================================================================= the number grammar

NUMBER_FORMATS = [(",", None), (",", "."), (".", ","), (" ", ","), (None, None), (None, "."), ("'", ".")]
NUMBER_ALPHABET = "0123456789" * 3 + ",. -−–()*†¹%xn/a…\t" + "\u00a0"


def target_numbers(case: tuple) -> None:
    """text_to_pieces never raises; a RowLattice's readings are k cells each, meet the rules, and agree with count()."""
    from recover.model import BLANK
    from recover.numbers import NumberFormat, RowLattice, text_to_pieces

    TRIED["numbers"] += 1
    (thousands, decimal), tail, glued, k, rule = case
    try:
        fmt = NumberFormat(thousands, decimal)
    except Exception:
        return
    with within(20, "reading a row's numbers"):
        pieces = text_to_pieces(tail, fmt, glued)
        if pieces is None:
            return
        lattice = RowLattice(pieces, k, fmt)
        count = lattice.count()
        assert lattice.feasible == (count > 0)
        readings, stop = lattice.readings(max_readings=500, max_steps=50_000)
        assert all(len(r) == k for r in readings)
        if not stop:
            assert len(readings) == count
        values = lattice.cell_values()
        assert all(r[j] in values[j] for r in readings for j in range(k))
        coeffs = tuple(rule[:k]) + (0,) * max(0, k - len(rule))
        ruled, stop = lattice.readings([(coeffs, 0)], max_readings=500, max_steps=50_000)
        for r in ruled:
            if BLANK not in [v for v, a in zip(r, coeffs) if a]:
                assert sum(a * v for a, v in zip(coeffs, r) if a) == 0, (tail, r)


NUMBER_CASES = st.tuples(
    st.sampled_from(NUMBER_FORMATS),
    st.one_of(
        st.text(alphabet=NUMBER_ALPHABET, max_size=40),
        st.text(max_size=20),
        st.sampled_from(["(1)" * 60, "1" * 2001, "1,0" * 300, "- " * 100, ".. " * 50 + "1", "(1) " * 400]),
    ),
    st.booleans(),
    st.integers(1, 9),
    st.lists(st.integers(-3, 3), min_size=1, max_size=9),
)


@fuzz_settings("numbers")
@given(NUMBER_CASES)
def test_fuzz_number_grammar(case):
    target_numbers(case)


# ============================================================================= the extractors


def _extract(data: bytes, name: str, seconds: float = 30) -> None:
    """Fetch a local file and extract it: a Document, or a RecoverError naming the file; within ``seconds``."""
    from recover.pipeline import extract, fetch

    folder = Path(tempfile.mkdtemp(prefix="fuzz-doc-"))
    try:
        path = folder / name
        path.write_bytes(data)
        with within(seconds, f"extracting {name}"):
            try:
                doc = extract(fetch(str(path)))
            except RecoverError as e:
                one_line(e, str(path))
                return
        for line in doc.lines:
            assert isinstance(line.text, str)
            assert line.cells is None or all(isinstance(c, str) for c in line.cells)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "shift_jis", "koi8-r", "utf-32"]


@st.composite
def text_documents(draw) -> bytes:
    lines = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SEED_LINES),
                st.text(max_size=80),
                st.sampled_from(["\t".join(["Alabama", "1", "2", "3"]), "\t\t\t", "9" * 3000, "\x00" * 10, "\x0c"]),
            ),
            min_size=1,
            max_size=60,
        )
    )
    sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    text = sep.join(lines) * draw(st.sampled_from([1, 1, 1, 50]))
    return text.encode(draw(st.sampled_from(ENCODINGS)), "replace")


def target_text(data: bytes) -> None:
    TRIED["text"] += 1
    _extract(data, "doc.txt")


@fuzz_settings("text")
@given(text_documents())
def test_fuzz_text_extractor(data):
    target_text(data)


SPAN_VALUES = [
    "1",
    "2",
    "3",
    "0",
    "-1",
    "1000",
    "1001",
    "65534",
    "99999999",
    "abc",
    " 2 ",
    "1_0",
    "٣",
    "２",
    "1e3",
    "",
    "9" * 5000,
]
TAGS = [
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "p",
    "div",
    "br",
    "li",
    "ul",
    "span",
    "b",
    "h3",
    "script",
    "style",
    "template",
    "svg",
    "colgroup",
    "col",
    "select",
    "option",
    "textarea",
    "title",
    "pre",
    "form",
]
MALFORMED = [
    "<",
    "</",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&#x0;",
    "&#1114112;",
    "&",
    "<td colspan=",
    "<tr",
    "</table",
    "<?xml ?>",
    "<!DOCTYPE",
    "\x00",
    "<p " * 50,
    "<div>" * 50,
    "</div>" * 50,
    "<td>" * 50,
    "<table>" * 10,
    "<br/>" * 20,
    "<tr><td>Alabama<td>1<td>2<td>3",
    "<th colspan=1000>Case Status",
    "<td rowspan=1000>x",
    "<<<>>>",
    "<a href='",
]


def _element(draw, depth: int) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = ""
    for name in draw(
        st.lists(st.sampled_from(["colspan", "rowspan", "hidden", "style", "aria-hidden", "class"]), max_size=3)
    ):
        value = draw(st.sampled_from(SPAN_VALUES + ["display:none", "true", "x" * 100]))
        attrs += f' {name}="{value}"' if draw(st.booleans()) else f" {name}={value}"
    children = "".join(_node(draw, depth + 1) for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{draw(st.sampled_from(TAGS))}>"]))
    return f"<{tag}{attrs}>{children}{close}"


def _node(draw, depth: int) -> str:
    kind = draw(st.sampled_from(["element", "element", "text", "number", "malformed", "comment"]))
    if kind == "element":
        return _element(draw, depth)
    if kind == "text":
        return draw(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=20)))
    if kind == "number":
        return draw(st.sampled_from(["1", "2,042", "25,030", "n/a", "-", "(3)", "1.5", "27,072*"]))
    if kind == "comment":
        return "<!--" + draw(st.text(max_size=10)) + "-->"
    return draw(st.sampled_from(MALFORMED))


def _table(draw) -> str:
    """A table of a drawn shape (rows x cells, a few drawn row patterns repeated): spans from a hostile list,
    end tags kept or left out (HTML lets a page omit them). Few draws, whatever its size."""
    closed = draw(st.booleans())
    nrows, ncells = draw(st.sampled_from([1, 2, 5, 60, 400])), draw(st.sampled_from([1, 3, 10, 1000]))
    patterns = []
    for _ in range(draw(st.integers(1, 3))):
        cells = []
        for _ in range(draw(st.integers(1, 4))):
            span = draw(
                st.sampled_from(
                    ["", "", "", ' colspan="1000"', ' rowspan="1000"', ' colspan="3" rowspan="2"', ' colspan="0"']
                )
            )
            tag = draw(st.sampled_from(["td", "td", "th"]))
            text = draw(st.sampled_from(["1", "2,042", "Alabama", "Case Status", "", "n/a"]))
            cells.append(f"<{tag}{span}>{text}" + (f"</{tag}>" if closed else ""))
        patterns.append("<tr>" + "".join(cells[k % len(cells)] for k in range(ncells)) + ("</tr>" if closed else ""))
    return "<table>" + "".join(patterns[r % len(patterns)] for r in range(nrows)) + "</table>"


#: Largest generated page: CI keeps each input fast; the long profile goes to several megabytes (the bounds' scale).
HTML_MAX_CHARS = {"ci": 300_000, "long": 8_000_000}


@st.composite
def html_documents(draw) -> bytes:
    body = "".join(
        _table(draw) if draw(st.integers(0, 3)) == 0 else _node(draw, 0) for _ in range(draw(st.integers(1, 8)))
    )
    # an amplifier: whatever was drawn, repeated (as a hostile page repeats one construct), up to HTML_MAX_CHARS
    repeat = min(
        draw(st.sampled_from([1, 1, 1, 20, 300, 5_000, 20_000])), max(1, HTML_MAX_CHARS[PROFILE] // max(len(body), 1))
    )
    page = ("<!DOCTYPE html><html><body>" + body * repeat)[: HTML_MAX_CHARS[PROFILE]] + "</body></html>"
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    return ("<html><p>" + page).encode("utf-8", "surrogatepass")


def target_html(data: bytes) -> None:
    """HTML through the extractor, and each table's grid rectangular, its cells one per printed cell."""
    from bs4 import BeautifulSoup

    from recover.extractors.html import table_to_grid

    TRIED["html"] += 1
    _extract(data, "page.html")
    try:
        soup = BeautifulSoup(data[:30_000].decode("utf-8", "replace"), "lxml")  # the start: a second parse costs
    except Exception:
        return
    for table in soup.find_all("table")[:20]:
        try:
            grid, spans = table_to_grid(table, "page.html")
        except RecoverError as e:
            one_line(e, "page.html")
            continue
        assert len({len(r) for r in grid}) <= 1 and [len(r) for r in spans] == [len(r) for r in grid]


@fuzz_settings("html")
@given(html_documents())
def test_fuzz_html_extractor(data):
    target_html(data)


# ============================================================================= fetch against hostile servers

HOSTILE_KINDS = [
    "page",
    "page",
    "garbage",
    "endless",
    "trickle_headers",
    "trickle_body",
    "redirect",
    "bad_status",
    "no_headers",
    "huge_header",
    "many_headers",
    "close_early",
    "chunked",
    "bomb",
    "empty",
]
CODINGS = ["gzip", "deflate", "identity", "x-gzip", "GZIP", "br", "compress", "zstd", "", "gzip;q=1"]


@dataclass
class Hostile:
    """How the server answers: a kind, content codings (applied in order), a corruption, a Content-Length lie, a status."""

    kind: str
    codings: tuple[str, ...]
    corrupt: str
    length: str
    status: int
    location: str


hostile = st.builds(
    Hostile,
    kind=st.sampled_from(HOSTILE_KINDS),
    codings=st.lists(st.sampled_from(CODINGS), max_size=3).map(tuple),
    corrupt=st.sampled_from(["", "", "truncate", "flip", "trailing"]),
    length=st.sampled_from(["exact", "exact", "absent", "more", "less", "garbage", "huge"]),
    status=st.sampled_from([200, 200, 200, 203, 204, 206, 301, 302, 303, 307, 308, 400, 404, 429, 500, 503, 599]),
    location=st.sampled_from(
        [
            "/next",
            "/",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
            "",
            "//127.0.0.1:1/x",
            "/loop?%zz",
            "http://[::1",
            "http://127.0.0.1:1/",
            "\x00",
        ]
    ),
)

_PAGE = None


def _encode(body: bytes, codings: tuple[str, ...]) -> bytes:
    for c in codings:
        name = c.split(";")[0].strip().lower()
        if name in ("gzip", "x-gzip"):
            body = gzip_bytes(body)
        elif name == "deflate":
            body = zlib.compress(body)
    return body


def _serve_hostile(conn, server) -> None:
    global _PAGE
    h: Hostile = server.behaviour
    epoch, started = server.epoch, time.monotonic()

    def live() -> bool:
        return server.running and server.epoch == epoch and time.monotonic() - started < 5

    if _PAGE is None:
        from tests import fixtures

        _PAGE = fixtures.damaged_html().encode("utf-8")
    body = {"page": _PAGE, "garbage": os.urandom(3000), "empty": b"", "bomb": gzip_bytes(bytes(1 << 24)) * 8}.get(
        h.kind, _PAGE
    )
    codings = h.codings + (("gzip",) if h.kind == "bomb" else ())
    body = _encode(body, codings)
    if h.corrupt == "truncate":
        body = body[: len(body) // 2]
    elif h.corrupt == "flip" and body:
        body = body[:10] + bytes([body[10 % len(body)] ^ 0xFF]) + body[11:]
    elif h.corrupt == "trailing":
        body += b"\x00junk"
    headers = [f"Content-Encoding: {', '.join(codings)}"] if codings else []
    length = {
        "exact": len(body),
        "more": len(body) + 100,
        "less": max(len(body) - 100, 0),
        "garbage": "abc",
        "huge": 10**12,
    }.get(h.length)
    if length is not None:
        headers.append(f"Content-Length: {length}")
    status = h.status if h.kind != "redirect" else 302
    if h.kind == "redirect" or 300 <= status < 400:
        headers.append(f"Location: {h.location}")
    if h.kind == "no_headers":
        conn.sendall(body)
        return
    if h.kind == "bad_status":
        conn.sendall(b"HTTP/1.1 abc\r\n\r\n" + body)
        return
    if h.kind == "close_early":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + body[:100])
        return
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{x}\r\n" for x in headers)
    if h.kind == "huge_header":
        head += "X-Big: " + "a" * 200_000 + "\r\n"
    if h.kind == "many_headers":
        head += "".join(f"X-{i}: 1\r\n" for i in range(20_000))
    if h.kind == "chunked":
        head = head.replace(f"Content-Length: {length}\r\n", "") + "Transfer-Encoding: chunked\r\n"
    data = head.encode("latin-1", "replace")
    if h.kind == "trickle_headers":
        conn.sendall(data)
        while live():
            time.sleep(0.05)
            conn.sendall(b"X-Slow: 1\r\n")
        return
    conn.sendall(data + b"\r\n")
    if h.kind == "endless":
        while live():
            conn.sendall(b"<p>1</p>" * 8192)
        return
    if h.kind == "trickle_body":
        for i in range(0, len(body), 64):
            if not live():
                return
            conn.sendall(body[i : i + 64])
            time.sleep(0.02)
        return
    if h.kind == "chunked":
        for i in range(0, len(body), 1000):
            chunk = body[i : i + 1000]
            conn.sendall(
                f"{len(chunk) if h.length != 'garbage' else 'zz':x}\r\n".encode()
                if h.length != "garbage"
                else b"zz\r\n"
            )
            conn.sendall(chunk + b"\r\n")
        conn.sendall(b"0\r\n\r\n")
        return
    conn.sendall(body)


_SERVER: RawServer | None = None
_SERVER_LOCK = threading.Lock()


def hostile_server() -> RawServer:
    """One hostile server for the process (on 127.0.0.1), its behaviour set per input."""
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None:
            _SERVER = RawServer(_serve_hostile)
            _SERVER.epoch = 0
        return _SERVER


#: The fetch bounds used against hostile servers: small, so each input ends quickly.
FETCH_SECONDS, FETCH_TIMEOUT, FETCH_BYTES = 1.0, 0.5, 2_000_000


def target_fetch(h: Hostile) -> None:
    """A URL served by a hostile server: a Source within the bounds, or one line naming the URL; never longer than the deadline."""
    import recover.fetch as fetch

    TRIED["fetch"] += 1
    server = hostile_server()
    server.behaviour, server.epoch = h, server.epoch + 1
    url = f"{server.url}/doc-{server.epoch}.html"
    saved = fetch.DEFAULT_MAX_FETCH_SECONDS
    fetch.DEFAULT_MAX_FETCH_SECONDS = FETCH_SECONDS
    try:
        with within(FETCH_SECONDS + 2.5, f"fetching from a {h.kind} server"):
            try:
                source = fetch.location_to_source(
                    url, max_bytes=FETCH_BYTES, timeout=FETCH_TIMEOUT, tries=2, backoff=0.01
                )
            except RecoverError as e:
                one_line(e, url)
                return
        assert 0 < len(source.data) <= FETCH_BYTES
    finally:
        fetch.DEFAULT_MAX_FETCH_SECONDS = saved
        server.epoch += 1  # ends the handler's loops


@fuzz_settings("fetch")
@given(hostile)
def test_fuzz_fetch_against_hostile_servers(h):
    target_fetch(h)


# ============================================================================= whole runs

DOC_SPECIALS = [
    "",
    "\x00",
    "\r",
    "\t",
    "\u200b",
    "\ufeff",
    "\u2028",
    "<p>",
    "<table><tr><td>",
    "</td>",
    "Total",
    "Case TypeCase StatusTotal",
    "Age GroupNative AmericanAsianMultiracialBlackHispanicPacific IslanderWhiteUnknownTotal",
    "Data: State by State",
    "Missing StateCase StatusTotal",
    "9" * 2001,
    "1,2,3,4,5,6",
    "(1)" * 50,
    "-",
    "n/a",
    "..",
    "1.5e3",
    "½",
    "٣٤٥",
    "１２３",
    "Alabama",
    "Alabama\t1\t2\t3",
    "Alabama\t\t\t",
    "\x0c",
    "—",
    "%PDF-1.4",
    "Endangered Runaway2,04225,03027,072",
    "Total4511512,9849,4795,3459510,2321,04529,782",
    "7" * 20_000,
    "Family Abduction" + "1," * 500,
]


@st.composite
def mutated_documents(draw) -> tuple[bytes, str]:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["dup", "del", "insert", "splice", "digits", "tabs"]))
        if op == "dup":
            lines[i:i] = [lines[i]] * draw(st.sampled_from([1, 2, 5, 300]))
        elif op == "del":
            del lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.one_of(st.sampled_from(DOC_SPECIALS), st.text(max_size=40))))
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = (
                lines[i][:at] + draw(st.one_of(st.sampled_from(DOC_SPECIALS), st.text(max_size=10))) + lines[i][at:]
            )
        elif op == "digits":
            lines[i] = re.sub(r"\d", lambda m: draw(st.sampled_from("0123456789,. ")), lines[i])
        else:
            lines[i] = re.sub(r"(?<=\D)(?=\d)|(?<=\d)(?=\D)", "\t", lines[i])
        if not lines:
            lines = [""]
    text = "\n".join(lines)
    form = draw(st.sampled_from(["txt", "txt", "txt", "html", "latin-1"]))
    if form == "html":
        import html as html_lib

        paras = text.split("\n\n")
        return (
            "<html><body>"
            + "".join("<p>" + "<br>".join(html_lib.escape(l) for l in p.split("\n")) + "</p>" for p in paras)
            + "</body></html>"
        ).encode("utf-8", "surrogatepass"), "page.html"
    if form == "latin-1":
        return text.encode("latin-1", "replace"), "doc.txt"
    return text.encode("utf-8", "surrogatepass"), "doc.txt"


def check_outputs(out: Path, status: int) -> None:
    """Outputs whole or absent: a failed run writes nothing; a complete one writes every file, each CSV readable."""
    if status == 2:
        assert not out.exists()
    else:
        names = {p.name for p in out.iterdir()}
        assert {".recover-run", "facts.csv", "datapackage.json"} <= names, names
        for p in out.glob("*.csv"):
            with open(p, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))  # Python's default field limit
            assert rows and len({len(r) for r in rows}) == 1, p.name
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")] == []


def recover_main(*args: str) -> tuple[int, str, str]:
    """Run the real CLI in-process; return (status, stdout, stderr)."""
    from recover.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


def target_run(case: tuple) -> None:
    """A whole ``recover run`` on a mutated document (or with mutated rules): exit 0, 1 or 2, no traceback, outputs whole or absent."""
    TRIED["runs"] += 1
    (data, name), rules_text = case
    folder = Path(tempfile.mkdtemp(prefix="fuzz-run-"))
    try:
        doc = folder / name
        doc.write_bytes(data)
        rules = SEED_RULES
        if rules_text not in (None, "infer"):
            rules = folder / "rules.yaml"
            rules.write_bytes(rules_text.encode("utf-8", "surrogatepass"))
        out = folder / "out"
        with within(60, "a whole run"):
            given_rules = () if rules_text == "infer" else ("--rules", rules)
            status, _, err = recover_main("run", doc, *given_rules, "--out", out, "--no-validate")
        assert status in (0, 1, 2), err
        assert "Traceback" not in err and "internal error" not in err, err
        for line in err.splitlines():
            assert line.startswith((f"{doc}", f"warning: {doc}", f"{rules}")), line
        check_outputs(out, status)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: The rules of a run: None for the seed's, "infer" for none (zero-config), else a mutated rules file's text.
RUN_CASES = st.tuples(mutated_documents(), st.one_of(st.none(), st.none(), st.just("infer"), mutated_rules()))


@fuzz_settings("runs")
@given(RUN_CASES)
def test_fuzz_whole_runs(case):
    target_run(case)


# ----------------------------------------------------------------------------- names and text from documents (issue 19)

#: Characters that end a YAML comment or line, that YAML refuses, that mean something to a path, markdown or HTML.
NAME_SPECIALS = "\u2028\u2029\x85\x00\x01\x1b\x7f\x9b\ufffe\ufeff\n\r\t#:'\"\\{}[]|>&*!%@`-?,./<=+~"
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(NAME_SPECIALS), st.characters(blacklist_categories=("Cs",))), max_size=30
)


@st.composite
def named_documents(draw) -> tuple[str, str]:
    """A small table whose file name, title, header, labels and totals label are hostile text: (file name, text)."""
    stem = draw(st.one_of(st.sampled_from([".", "..", "...", "_data_docs", "-", "a\nb", "con"]), hostile_text))
    labels = draw(st.lists(hostile_text.filter(lambda x: any(c.isalpha() for c in x)), min_size=2, max_size=5))
    rows = []
    for label in labels:
        a, b = draw(st.integers(0, 999)), draw(st.integers(0, 999))
        rows.append(f"{' '.join(label.split()) or 'x'} {a} {b} {a + b}")
    title, header = draw(hostile_text), draw(hostile_text)
    total = draw(st.sampled_from(["Total", "Grand total", "All " + draw(hostile_text)]))
    text = "\n".join([title, f"Name A B C{header}", *rows, f"{total} 1 2 3"]) + "\n"
    return stem.replace("/", "-").replace("\x00", "") + ".txt", text


def target_names(case: tuple[str, str]) -> None:
    """Zero-config on a document whose names and labels are hostile: exit 0, 1 or 2 in one line each, nothing written
    outside --out, and an inferred-rules.yaml that `recover check` loads, with no key the document added."""
    import yaml

    TRIED["names"] += 1
    name, text = case
    folder = Path(tempfile.mkdtemp(prefix="fuzz-names-"))
    try:
        doc = folder / "in" / name
        doc.parent.mkdir()
        try:
            doc.write_text(text, encoding="utf-8", errors="surrogatepass")
        except (OSError, ValueError):
            return  # a name this file system refuses
        out = folder / "p" / "out"
        status, _, err = recover_main("run", doc, "--out", out, "--no-validate")
        assert status in (0, 1, 2), err
        assert "Traceback" not in err and "internal error" not in err, err
        assert sorted(p.name for p in folder.iterdir()) == ["in", "p"]
        assert sorted(p.name for p in (folder / "in").iterdir()) == [name]
        if status != 2:
            assert sorted(p.name for p in (folder / "p").iterdir()) == ["out"]
            rules = out / "inferred-rules.yaml"
            if rules.exists():
                assert recover_main("check", rules)[0] == 0
                data = yaml.safe_load(rules.read_text(encoding="utf-8"))
                assert set(data) <= {"document", "number_format", "tables"}, sorted(data)
                for t in data["tables"]:
                    assert set(t) <= {"id", "title", "header", "label", "columns", "row_rules", "totals"}, sorted(t)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: The elements the review page is made of (a document's text never adds one).
PAGE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "script",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "code",
    "div",
    "b",
}
PAGE_TAGS |= {
    "ul",
    "li",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "details",
    "summary",
    "pre",
    "input",
}
PAGE_TAGS |= {"select", "option", "label", "em", "section", "nav", "small", "caption", "strong", "br"}


def target_page(case: tuple[str, str]) -> None:
    """The review page and the markdown summary of a document with hostile labels: the page holds no element or
    attribute the document wrote; the summary no link, image or HTML."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    from recover.flows.pipeline import report_to_markdown
    from recover.pipeline import run
    from recover.report import result_to_page

    TRIED["page"] += 1
    _, text = case
    folder = Path(tempfile.mkdtemp(prefix="fuzz-page-"))
    try:
        doc = folder / "doc.txt"
        doc.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            report = run([str(doc)], None, folder / "out", validate=False)
        except RecoverError:
            return
        result = report.documents[0][1]
        page = result_to_page(result, [], None)
        tags: list[tuple[str, list]] = []

        class Tags(HTMLParser):
            def handle_starttag(self, tag, attrs):
                tags.append((tag, attrs))

        Tags().feed(page)
        assert [t for t, _ in tags].count("script") == 1
        # the page's own filter controls carry handlers; nothing a document wrote does
        assert not [
            (t, a) for t, attrs in tags for a, _ in attrs if a.startswith("on") and t not in ("input", "select")
        ]
        assert not [v for _, attrs in tags for a, v in attrs if a == "href" and (v or "").lower().startswith("javas")]
        assert {t for t, _ in tags} <= PAGE_TAGS, {t for t, _ in tags} - PAGE_TAGS
        tokens = MarkdownIt("commonmark").enable("table").parse(report_to_markdown(report))
        kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
        assert kinds <= {"text", "softbreak", "code_inline"}, kinds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@st.composite
def costly_documents(draw) -> str:
    """Zero-config's cost: rows of random digit runs, spaced numbers, fused values and their total, wide rows."""
    kind = draw(st.sampled_from(["runs", "spaced", "fused", "wide", "long"]))
    n = draw(st.integers(2, {"runs": 80, "spaced": 400, "fused": 60, "wide": 20, "long": 12}[kind]))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    digits = lambda k: "".join(rnd.choice("0123456789") for _ in range(k))  # noqa: E731
    rows = []
    for i in range(n):
        label = f"Row{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
        if kind == "runs":
            rows.append(label + digits(draw(st.integers(5, 40))))
        elif kind == "spaced":
            rows.append(label + " " + " ".join(str(rnd.randint(1, 999)) for _ in range(15)))
        elif kind == "fused":
            v = [rnd.randint(1, 999) for _ in range(15)]
            rows.append(label + "".join(map(str, v)) + str(sum(v)))
        elif kind == "wide":
            rows.append(label + "\t" + "\t".join(str(rnd.randint(0, 99)) for _ in range(300)))
        else:
            rows.append(label + " " + digits(draw(st.integers(100, 1999))))
    return "\n".join(rows) + "\n"


def target_cost(text: str) -> None:
    """`recover infer` on a costly document ends in bounded time, exit 0 or 1, one line per note."""
    TRIED["cost"] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-cost-"))
    try:
        doc = folder / "doc.txt"
        doc.write_text(text, encoding="utf-8")
        with within(90, "zero-config inference"):
            status, _, err = recover_main("infer", doc, "-o", folder / "rules.yaml")
        assert status in (0, 1), err
        assert "internal error" not in err, err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings("names")
@given(named_documents())
def test_fuzz_names_into_yaml_and_folders(case):
    target_names(case)


@fuzz_settings("page")
@given(named_documents())
def test_fuzz_names_into_html_and_markdown(case):
    target_page(case)


@fuzz_settings("cost")
@given(costly_documents())
def test_fuzz_zero_config_cost(text):
    target_cost(text)


#: The targets, for bench/fuzz.py: name -> (strategy of one input, function of that input).
TARGETS = {
    "rules": (mutated_rules(), target_rules),
    "grammar": (GRAMMAR_CASES, target_grammar),
    "numbers": (NUMBER_CASES, target_numbers),
    "text": (text_documents(), target_text),
    "html": (html_documents(), target_html),
    "fetch": (hostile, target_fetch),
    "runs": (RUN_CASES, target_run),
    "names": (named_documents(), target_names),
    "page": (named_documents(), target_page),
    "cost": (costly_documents(), target_cost),
}
