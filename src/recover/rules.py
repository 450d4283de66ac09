"""The rules file: loaded safely, checked strictly, every error naming the file, line and key.

YAML is composed with PyYAML's safe loader (no Python tags, no aliases: an alias bomb is
refused before it expands), then checked against pydantic models that forbid unknown
keys; each problem is reported as ``file:line: key: message``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import (
    RuleExpressionError,
    RulesError,
    RulesKeyError,
    RulesSyntaxError,
    RulesValueError,
    SourceMissingError,
)
from .numbers import ANY_KIND, ColumnKind, Duration, NumberFormat, text_is_time, time_to_seconds
from .rulegrammar import LinearRule, RatioRule, RuleParseError, parse_ratio, parse_rule

#: Largest rules file read, in bytes.
DEFAULT_MAX_RULES_BYTES = 1_000_000

DOCUMENT_ID = r"^[a-z0-9][a-z0-9_-]*$"
TABLE_ID = r"^[a-z0-9_]+$"
COLUMN = r"^[A-Za-z_][A-Za-z0-9_]*$"
RESERVED_TABLE_IDS = {"facts", "datapackage"}

#: Longest text (a label, a title, a header, a rule) of a rules file, in characters.
DEFAULT_MAX_RULES_TEXT_CHARS = 10_000
#: Most numeric columns of one table in a rules file.
DEFAULT_MAX_RULES_COLUMNS = 200

Text = Annotated[str, Field(min_length=1, max_length=DEFAULT_MAX_RULES_TEXT_CHARS)]


def _finite(v: int | float) -> int | float:
    """Given a number from the rules, return it if it is finite (YAML's .inf and .nan are refused)."""
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        raise ValueError(f"{v!r} is not a finite number")
    return v


Numberish = Annotated[int | float, AfterValidator(_finite)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


#: Longest placeholder a rules file may declare, in characters.
DEFAULT_MAX_PLACEHOLDER_CHARS = 20
Placeholder = Annotated[str, Field(min_length=1, max_length=DEFAULT_MAX_PLACEHOLDER_CHARS, pattern=r"^[^\s\d]+$")]


class AltFormatModel(_Strict):
    thousands: Literal[",", ".", " "] | None = ","
    decimal: Literal[".", ","] | None = None

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if self.decimal is not None and self.decimal == self.thousands:
            raise ValueError("decimal and thousands separators must differ")
        return self


class NumberFormatModel(AltFormatModel):
    blank: Annotated[list[Placeholder], Field(max_length=100)] | None = None  # placeholders beside the built-in ones
    zero: Annotated[list[Placeholder], Field(max_length=100)] | None = None  # placeholders that mean 0
    also: Annotated[list[AltFormatModel], Field(max_length=4)] | None = None  # other formats some rows use


class LabelModel(_Strict):
    column: Annotated[str, Field(pattern=COLUMN)]
    values: list[Text] | None = None
    aliases: dict[str, list[Text]] | None = None
    printed: Literal["all", "some"] = "all"  # all: each value is a row of the table; some: a list the page draws from
    # a number printed before each label (a rank `1`, `1.`): read off before the label, published in this column
    rank: Annotated[str, Field(pattern=COLUMN)] | None = None

    @model_validator(mode="after")
    def _aliases_known(self) -> Self:
        if self.aliases:
            if not self.values:
                raise ValueError("aliases need values: an alias maps a canonical value to other spellings")
            for key in self.aliases:
                if key not in self.values:
                    raise ValueError(f"alias for '{key}', which is not one of values")
        if self.values and len(set(self.values)) != len(self.values):
            dup = sorted({v for v in self.values if self.values.count(v) > 1})
            raise ValueError(f"repeated value(s): {', '.join(dup)}")
        return self


ColumnList = Annotated[list[Annotated[str, Field(pattern=COLUMN)]], Field(max_length=DEFAULT_MAX_RULES_COLUMNS)]


class TotalsModel(_Strict):
    known: dict[str, Numberish] | None = None
    row: Text | None = None
    complete: bool = True
    printed: ColumnList | None = None  # the columns the totals row prints; it leaves the others blank
    columns: ColumnList | None = None  # the columns the body rows add up to the totals (default: every numeric one)
    # what a cell the page left blank (or a placeholder) adds to the totals: unknown (it may hide a count: the totals
    # only bound its column) or nothing (the totals add up the printed cells, as a statistics office sums what it has)
    blanks: Literal["unknown", "nothing"] = "unknown"


#: Most digits after the decimal mark a ``decimal N`` column type may ask for.
DEFAULT_MAX_TYPE_DECIMALS = 6
_COLUMN_TYPE = re.compile(r"^(?:integer|time|decimal \.?([1-9]\d*))$")
COLUMN_TYPES_HELP = (
    f"integer, decimal N (N from 1 to {DEFAULT_MAX_TYPE_DECIMALS}), decimal .N (printed without the whole part: "
    ".923), time"
)


def _column_type(v: str) -> str:
    """Given a column type of the rules, return it, or raise naming the types there are."""
    m = _COLUMN_TYPE.match(v)
    if m is None or (m.group(1) is not None and int(m.group(1)) > DEFAULT_MAX_TYPE_DECIMALS):
        raise ValueError(f"'{v}' is not a column type: {COLUMN_TYPES_HELP}")
    return v


ColumnType = Annotated[str, Field(max_length=40), AfterValidator(_column_type)]


class TableModel(_Strict):
    id: Annotated[str, Field(pattern=TABLE_ID)]
    title: Text | None = None
    header: Text | None = None
    label: LabelModel
    columns: Annotated[list[Annotated[str, Field(pattern=COLUMN)]], Field(max_length=DEFAULT_MAX_RULES_COLUMNS)]
    row_rules: list[Text] | None = None
    totals: TotalsModel | None = None
    overrides: dict[str, dict[str, Numberish | Text]] | None = None  # a time column's decision: a time in quotes
    # a table whose cells the page kept: the document's Nth such table (HTML <table>, PDF columns, tab-separated
    # lines), read cell by cell; its text columns (published as printed) and the format its cells are written in
    printed: Annotated[int, Field(ge=1, le=100_000)] | None = None
    text_columns: Annotated[list[Annotated[str, Field(pattern=COLUMN)]], Field(max_length=200)] | None = None
    number_format: AltFormatModel | None = None
    # run-together rows: what a column's cells are (integer, decimal N, time), the columns the page may leave blank
    # printing nothing, and the bounds of a column's values
    column_types: dict[str, ColumnType] | None = None
    may_be_blank: ColumnList | None = None
    minimum: dict[str, Numberish | Text] | None = None
    maximum: dict[str, Numberish | Text] | None = None

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, v: str) -> str:
        if v in RESERVED_TABLE_IDS:
            raise ValueError(f"'{v}' is reserved (it names another output file)")
        return v

    @field_validator("columns")
    @classmethod
    def _unique_columns(cls, v: list[str]) -> list[str]:
        dup = sorted({c for c in v if v.count(c) > 1})
        if dup:
            raise ValueError(f"repeated column(s): {', '.join(dup)}")
        if "sum" in v:
            raise ValueError("'sum' cannot name a column (it is a word of the rule grammar)")
        return v


class FactModel(_Strict):
    id: Annotated[str, Field(pattern=TABLE_ID)]
    pattern: Text

    @field_validator("pattern")
    @classmethod
    def _one_value(cls, v: str) -> str:
        if v.count("{value}") != 1:
            raise ValueError("a fact pattern holds {value} exactly once")
        return v


class RulesModel(_Strict):
    document: Annotated[str, Field(pattern=DOCUMENT_ID, max_length=200)]
    source: Text | None = None
    schedule: Text | None = None
    number_format: NumberFormatModel = NumberFormatModel()
    tables: Annotated[list[TableModel], Field(min_length=1)]
    facts: list[FactModel] | None = None

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\s*\S+(\s+\S+){4}\s*", v):
            raise ValueError(f"'{v}' is not a cron expression of five fields")
        return v


# ----------------------------------------------------------------------------- runtime form


@dataclass
class TableSpec:
    """One table of the rules, compiled: vocabulary, rules as linear equations, totals."""

    id: str
    title: str | None
    header: str | None
    label_column: str
    columns: list[str]
    canonical: list[str]  # the vocabulary (empty: none), totals row included
    spellings: dict[str, str]  # spelling -> canonical, canonical included
    rules: list[LinearRule]
    totals_row: str | None
    known: dict[str, Decimal | int]
    complete: bool
    overrides: dict[str, dict[str, Decimal | int]]
    printed: int | None = None  # the document's Nth table whose cells the page kept, read cell by cell
    text_columns: list[str] = field(default_factory=list)  # a printed table's text columns, published as printed
    number_format: NumberFormat | None = (
        None  # the format of this table's numbers, where it differs from the document's
    )
    #: Each value of the vocabulary is a row of the table (``label.printed: all``): one no line matches is ``missing``.
    #: False (``printed: some``): the values are a list the page prints some of (every state, for a page of a few).
    every_value_printed: bool = True
    #: The column a number printed before each label (a rank) is published in (``label.rank``), first of ``columns``.
    rank_column: str | None = None
    #: The cells of a run-together row in the order the page prints them (the rank, then ``columns`` of the rules
    #: file, time columns among them), where that differs from ``columns``: time columns are published as printed
    #: (``text_columns``), in this order (the solved table's ``order``).
    row_columns: list[str] = field(default_factory=list)
    #: What each column's cells may read as, where the rules say (``column_types``, ``may_be_blank``, bounds).
    kinds: dict[str, ColumnKind] = field(default_factory=dict)
    totals_printed: list[str] | None = None  # the columns a totals row prints (None: all of them)
    totals_columns: list[str] | None = None  # the columns the body adds up to the totals (None: all numeric ones)
    #: A blank cell adds nothing to the totals (``totals.blanks: nothing``): they stay exact over a column with blanks.
    blanks_add_nothing: bool = False
    #: Row rules that are ratios (``s_pct = 100 * g / s``): checked on each reading of a row, not linear.
    ratios: list[RatioRule] = field(default_factory=list)

    def rule_vectors(self) -> list[tuple[tuple[int, ...], int]]:
        """Return each row rule as (a coefficient per column, constant)."""
        return [r.vector(self.columns) for r in self.rules]

    def kind_of(self, column: str) -> ColumnKind:
        """Return what a column's cells may read as (any number of the format, where the rules do not say)."""
        return self.kinds.get(column, ANY_KIND)

    @property
    def time_columns(self) -> list[str]:
        """Return the table's time columns, in the order the page prints them."""
        return [c for c in self.row_columns if self.kind_of(c).form == "time"]


@dataclass
class FactSpec:
    id: str
    pattern: str


@dataclass
class Rules:
    """A checked rules file."""

    path: Path
    document: str
    source: str | None
    schedule: str | None
    number_format: NumberFormat
    tables: list[TableSpec]
    facts: list[FactSpec] = field(default_factory=list)
    sha256: str = ""
    text: str = ""  # the rules file's text, where it was made here (zero-config) rather than read from disk
    notes: list[str] = field(default_factory=list)  # zero-config: tables seen but not read

    def source_location(self) -> str | None:
        """Return the rules' source as a URL or a path taken from the rules file's folder."""
        if self.source is None:
            return None
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", self.source):
            return self.source
        # normalised: `samples/x.txt`, never `rules/../samples/x.txt`, in every line, log and output that names it
        return os.path.normpath(self.path.parent / self.source)


# ----------------------------------------------------------------------------- YAML with lines


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (so alias bombs never expand)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves peek_event unannotated
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in a rules file", event.start_mark
            )
        return super().compose_node(parent, index)


#: Where a value is in the rules file: its keys and list positions from the top.
KeyPath = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _node_to_value(node: yaml.Node, loader: _Loader, path: KeyPath, lines: dict[KeyPath, int], where: str) -> Any:
    """Given a composed YAML node, return plain Python data and record the line of each path."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise RulesValueError(
                f"{where}:{node.start_mark.line + 1}",
                key=_keypath(path) or "(top)",
                detail=f"tag {node.tag} is not allowed",
            )
        out: dict[str | int, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise RulesValueError(
                    f"{where}:{knode.start_mark.line + 1}",
                    key=_keypath(path) or "(top)",
                    detail="keys must be plain text",
                )
            key = _construct_scalar(knode, loader, path, where)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in out:
                raise RulesValueError(
                    f"{where}:{knode.start_mark.line + 1}", key=_keypath(path + (key,)), detail="key given twice"
                )
            lines[path + (key,)] = knode.start_mark.line + 1
            out[key] = _node_to_value(vnode, loader, path + (key,), lines, where)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise RulesValueError(
                f"{where}:{node.start_mark.line + 1}",
                key=_keypath(path) or "(top)",
                detail=f"tag {node.tag} is not allowed",
            )
        return [_node_to_value(n, loader, path + (i,), lines, where) for i, n in enumerate(node.value)]
    return _construct_scalar(node, loader, path, where)


def _construct_scalar(node: yaml.Node, loader: _Loader, path: KeyPath, where: str) -> Any:
    """Given a scalar node, return its value, or raise a RulesValueError (``!!int abc`` is a bad value, not a crash)."""
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as e:
        raise RulesValueError(
            f"{where}:{node.start_mark.line + 1}", key=_keypath(path) or "(top)", detail=_one_line(e.problem or str(e))
        ) from None
    except Exception:
        # PyYAML's constructors raise bare errors on a value their tag cannot take: int('abc'), float('x'),
        # a bool 'maybe', a timestamp 'nope' (AttributeError); each is a bad value of the file, never a crash
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise RulesValueError(
            f"{where}:{node.start_mark.line + 1}",
            key=_keypath(path) or "(top)",
            detail=f"'{_one_line(str(node.value))[:80]}' is not a valid {tag}",
        ) from None


def _keypath(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _line_of(path: KeyPath, lines: dict[KeyPath, int]) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def load_yaml(path: Path, raw: bytes | None = None) -> tuple[dict[str | int, Any], dict[KeyPath, int]]:
    """Given a rules file, return its data and the line of each key path, or raise a RulesError."""
    where = str(path)
    try:
        raw = path.read_bytes() if raw is None else raw
    except FileNotFoundError:
        raise SourceMissingError(where) from None
    except OSError as e:
        raise RulesError(where, detail=f"cannot read: {e.strerror}") from None
    if len(raw) > DEFAULT_MAX_RULES_BYTES:
        raise RulesError(
            where,
            detail=f"file of {len(raw):,} bytes exceeds the bound of {DEFAULT_MAX_RULES_BYTES:,} (DEFAULT_MAX_RULES_BYTES)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RulesError(where, detail=f"not UTF-8 text (byte {e.start})") from None
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as e:  # a control character (a NUL byte): refused before anything is parsed
        line = text.count("\n", 0, max(e.position, 0)) + 1
        code = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "\0")
        raise RulesSyntaxError(f"{where}:{line}", detail=f"character U+{code:04X} is not allowed in YAML") from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise RulesError(f"{where}:1", detail="the rules file is empty")
        lines: dict[KeyPath, int] = {}
        data = _node_to_value(node, loader, (), lines, where)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise RulesSyntaxError(f"{where}:{line}", detail=_one_line(e.problem or e.context or "")) from None
    except yaml.YAMLError as e:
        raise RulesSyntaxError(where, detail=_one_line(str(e))) from None
    except RecursionError:
        raise RulesError(where, detail="nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RulesValueError(
            f"{where}:1", key="(top)", detail="a rules file is a mapping of keys (document, tables, ...)"
        )
    return data, lines


def _pydantic_errors(exc: ValidationError, where: str, lines: dict[KeyPath, int]) -> list[RulesError]:
    out: list[RulesError] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        # pydantic adds the union branch or the validator name to a location: keep keys only
        loc = tuple(
            p
            for p in loc
            if not (
                isinstance(p, str)
                and ("[" in p or p in ("int", "float", "str", "constrained-str", "bool", "list", "dict", "none"))
            )
        )
        line = _line_of(loc, lines)
        key = _keypath(loc) or "(top)"
        if err["type"] == "extra_forbidden":
            out.append(RulesKeyError(f"{where}:{line}", key=key))
            continue
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required key is missing"
        elif err["type"] == "string_pattern_mismatch":
            msg = f"'{err.get('input')}' does not match {err['ctx']['pattern']}"
        elif err["type"] == "literal_error":
            msg = f"{err.get('input')!r} is not one of {err['ctx']['expected']}"
        out.append(RulesValueError(f"{where}:{line}", key=key, detail=msg))
    # one error per location, in file order
    seen, unique = set(), []
    for e in sorted(out, key=lambda e: int(e.where.rsplit(":", 1)[-1])):
        if (e.where, e.fields.get("key")) not in seen:  # a union's branches each fail: the first says it
            seen.add((e.where, e.fields.get("key")))
            unique.append(e)
    return unique


class RulesProblems(RulesError):
    """Several problems in one rules file; ``problems`` holds one RulesError each."""

    def __init__(self, problems: list[RulesError]):
        self.problems = problems
        super().__init__(problems[0].where, detail=problems[0].message)

    @property
    def line(self) -> str:
        return "\n".join(p.line for p in self.problems)


def _number(v: Numberish) -> int | Decimal:
    if isinstance(v, float):
        d = Decimal(str(v))
        return int(d) if d == d.to_integral_value() else d
    return v


def _bound_to_value(v: int | float | str, time: bool) -> int | Decimal | None:
    """Given a bound of the rules (``minimum``, ``maximum``) and whether its column holds times, return it as the
    lattice compares it (a time in seconds), or None where it is not a value of that column."""
    if time:
        return time_to_seconds(v) if isinstance(v, str) and text_is_time(v) else None
    return None if isinstance(v, str) else _number(v)


def _table_to_kinds(t: TableModel, base: KeyPath, problem: Any) -> tuple[dict[str, ColumnKind], list[str]]:
    """Given a table of the rules file (and where to say a problem), return each column's kind where the rules say one
    (``column_types``, ``may_be_blank``, ``minimum``, ``maximum``; the rank is a whole number) and its time columns."""
    known = set(t.columns) | ({t.label.rank} if t.label.rank else set())
    types = dict(t.column_types or {})
    for col in types:
        if col not in t.columns:
            problem(RulesValueError, base + ("column_types", col), detail=f"unknown column '{col}'")
    for col in t.may_be_blank or []:
        if col not in t.columns:  # a rank is read off before the label: never a blank the row's text lacks
            problem(RulesValueError, base + ("may_be_blank",), detail=f"unknown column '{col}'")
    times = [c for c in t.columns if types.get(c) == "time"]
    bounds: dict[str, dict[str, int | Decimal]] = {}
    for key in ("minimum", "maximum"):
        for col, v in (getattr(t, key) or {}).items():
            if col not in known:
                problem(RulesValueError, base + (key, col), detail=f"unknown column '{col}'")
                continue
            value = _bound_to_value(v, col in times)
            if value is None:
                want = (
                    'a time in quotes ("65:00": unquoted, YAML reads 65:00 as a number)' if col in times else "a number"
                )
                problem(RulesValueError, base + (key, col), detail=f"{v!r} is not {want}")
                continue
            bounds.setdefault(col, {})[key] = value
    if t.printed is not None:
        for key in ("column_types", "may_be_blank", "minimum", "maximum"):
            if getattr(t, key):
                problem(RulesValueError, base + (key,), detail="read from run-together rows only (not a printed table)")
        if t.label.rank:
            problem(
                RulesValueError,
                base + ("label", "rank"),
                detail="read from run-together rows only (not a printed table)",
            )
    kinds: dict[str, ColumnKind] = {}
    blank = set(t.may_be_blank or [])
    for col in sorted(known):
        text = "integer" if col == t.label.rank else types.get(col, "any")
        form, _, n = text.partition(" ")
        kind = ColumnKind(
            form,
            int(n.lstrip(".")) if n else 0,
            bare=n.startswith("."),
            may_be_blank=col in blank,
            minimum=bounds.get(col, {}).get("minimum"),
            maximum=bounds.get(col, {}).get("maximum"),
        )
        if kind != ANY_KIND:
            kinds[col] = kind
    return kinds, times


def load_rules(path: str | Path, text: str | None = None) -> Rules:
    """Given a rules file's path (and its text, when it is not on disk yet), return the checked Rules or raise RulesProblems."""
    import hashlib

    path = Path(path)
    where = str(path)
    raw = text.encode("utf-8") if text is not None else None
    data, lines = load_yaml(path, raw)
    try:
        model = RulesModel.model_validate(data)
    except ValidationError as e:
        raise RulesProblems(_pydantic_errors(e, where, lines)) from None

    problems: list[RulesError] = []

    def problem(cls: type[RulesError], loc: KeyPath, **fields: object) -> None:
        problems.append(cls(f"{where}:{_line_of(loc, lines)}", key=_keypath(loc), **fields))

    ids = [t.id for t in model.tables]
    for i, t in enumerate(model.tables):
        if ids.count(t.id) > 1 and ids.index(t.id) != i:
            problem(RulesValueError, ("tables", i, "id"), detail=f"table id '{t.id}' is used twice")
    if model.facts:
        fids = [f.id for f in model.facts]
        for i, f in enumerate(model.facts):
            if fids.count(f.id) > 1 and fids.index(f.id) != i:
                problem(RulesValueError, ("facts", i, "id"), detail=f"fact id '{f.id}' is used twice")

    tables: list[TableSpec] = []
    for i, t in enumerate(model.tables):
        base = ("tables", i)
        if t.label.column in t.columns:
            problem(RulesValueError, base + ("label", "column"), detail=f"'{t.label.column}' is also a numeric column")
        for c in t.text_columns or []:
            if c in t.columns or c == t.label.column or (t.text_columns or []).count(c) > 1:
                problem(RulesValueError, base + ("text_columns",), detail=f"'{c}' names another column too")
        if not t.columns and not (t.printed is not None and t.text_columns):
            problem(
                RulesValueError,
                base + ("columns",),
                detail="a table needs at least one column (only a printed table of codes may have text columns only)",
            )
        if t.text_columns and t.printed is None:
            problem(RulesValueError, base + ("text_columns",), detail="text columns are read from a printed table only")
        kinds, times = _table_to_kinds(t, base, problem)
        rank = t.label.rank
        if rank is not None and (rank in t.columns or rank == t.label.column):
            problem(RulesValueError, base + ("label", "rank"), detail=f"'{rank}' names another column too")
        numeric = ([rank] if rank else []) + [c for c in t.columns if c not in times]
        rules: list[LinearRule] = []
        ratios: list[RatioRule] = []
        for j, text in enumerate(t.row_rules or []):
            try:
                everything = ([rank] if rank else []) + list(t.columns)
                ratio = parse_ratio(text, everything)
                rule = parse_rule(text, everything) if ratio is None else None
            except RuleParseError as e:
                problem(RuleExpressionError, base + ("row_rules", j), detail=str(e))
                continue
            named = [c for c, _ in rule.coeffs] if rule is not None else []
            if ratio is not None:
                named = [ratio.result, ratio.numerator, ratio.denominator, *ratio.addends]
            timed = [c for c in named if c in times]
            if timed:
                problem(
                    RuleExpressionError,
                    base + ("row_rules", j),
                    detail=f"'{timed[0]}' is a time column: a row rule is over numbers",
                )
            elif rule is not None:
                rules.append(rule)
            elif ratio is not None:
                ratios.append(ratio)
        canonical = list(t.label.values or [])
        totals = t.totals or TotalsModel()
        if totals.row and canonical and totals.row not in canonical:
            canonical.append(totals.row)
        for key in ("printed", "columns"):
            for col in getattr(totals, key) or []:
                if col not in numeric:
                    what = "a time column" if col in times else "no numeric column"
                    problem(RulesValueError, base + ("totals", key), detail=f"'{col}' is {what} of the table")
            if getattr(totals, key) is not None and not totals.row:
                problem(
                    RulesValueError, base + ("totals", key), detail="needs totals.row: the row that prints the totals"
                )
        known: dict[str, int | Decimal] = {}
        for col, v in (totals.known or {}).items():
            if col not in numeric:
                problem(RulesValueError, base + ("totals", "known", col), detail=f"unknown column '{col}'")
            elif v < 0:
                problem(RulesValueError, base + ("totals", "known", col), detail="a total cannot be negative")
            else:
                known[col] = _number(v)
        overrides: dict[str, dict[str, int | Decimal]] = {}
        for label, pins in (t.overrides or {}).items():
            if canonical and label not in canonical:
                problem(
                    RulesValueError, base + ("overrides", label), detail=f"'{label}' is not one of the label values"
                )
            pinned: dict[str, int | Decimal] = {}
            for col, pin in pins.items():
                at = base + ("overrides", label, col)
                if col not in numeric and col not in times:
                    problem(RulesValueError, at, detail=f"unknown column '{col}'")
                elif col in times and not (isinstance(pin, str) and text_is_time(pin.strip())):
                    problem(
                        RulesValueError,
                        at,
                        detail=f'{pin!r} is not a time in quotes ("13:00": unquoted, YAML reads 13:00 as a number)',
                    )
                elif col in times:
                    assert isinstance(pin, str)  # just checked
                    pinned[col] = Duration(time_to_seconds(pin.strip()), pin.strip())
                elif isinstance(pin, str):
                    problem(RulesValueError, at, detail=f"{pin!r} is not a number")
                else:
                    pinned[col] = _number(pin)
            overrides[label] = pinned
        spellings = {c: c for c in canonical}
        for canon, extra in (t.label.aliases or {}).items():
            for s in extra:
                spellings.setdefault(s, canon)
        tables.append(
            TableSpec(
                id=t.id,
                title=t.title,
                header=t.header,
                label_column=t.label.column,
                columns=numeric,
                canonical=canonical,
                spellings=spellings,
                rules=rules,
                totals_row=totals.row,
                known=known,
                complete=totals.complete,
                overrides=overrides,
                printed=t.printed,
                text_columns=list(t.text_columns or []) + times,
                number_format=(
                    NumberFormat(
                        t.number_format.thousands,
                        t.number_format.decimal,
                        tuple(model.number_format.blank or ()),
                        tuple(model.number_format.zero or ()),
                    )
                    if t.number_format is not None
                    else None
                ),
                every_value_printed=t.label.printed == "all",
                rank_column=rank,
                row_columns=(([rank] if rank else []) + list(t.columns)) if rank or times else [],
                kinds=kinds,
                totals_printed=list(totals.printed) if totals.printed is not None else None,
                totals_columns=list(totals.columns) if totals.columns is not None else None,
                blanks_add_nothing=totals.blanks == "nothing",
                ratios=ratios,
            )
        )
    if problems:
        raise RulesProblems(sorted(problems, key=lambda e: int(e.where.rsplit(":", 1)[-1])))
    nf = model.number_format
    return Rules(
        path=path,
        document=model.document,
        source=model.source,
        schedule=model.schedule,
        number_format=NumberFormat(
            thousands=nf.thousands,
            decimal=nf.decimal,
            blank=tuple(nf.blank or ()),
            zero=tuple(nf.zero or ()),
            also=tuple(NumberFormat(a.thousands, a.decimal) for a in nf.also or ()),
        ),
        tables=tables,
        facts=[FactSpec(f.id, f.pattern) for f in model.facts or []],
        sha256=hashlib.sha256(raw if raw is not None else path.read_bytes()).hexdigest(),
    )
