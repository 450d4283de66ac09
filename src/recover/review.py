"""Review: a reviewer's decisions written back into the rules file's ``overrides:``.

    recover review OUT --rules FILE --pick TABLE:LABEL:COLUMN=VALUE [--pick ...]

A decision names a table, a row (its label as published), a column and the value the reviewer
read on the page. It is checked against the rules (the table, the label in the vocabulary, the
column) and against the run in OUT (the row exists; a value none of the row's readings has is
still written, with a warning: the next run marks that row ``unsatisfiable`` and publishes
nothing of it). The rules file is edited with ruamel.yaml's round trip, so its comments, order
and layout stay as the user wrote them, and it is replaced whole (a temporary file renamed) only
once the edited text loads as valid rules.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import UsageError
from .model import Cell, Number
from .numbers import Duration, text_is_time, time_to_seconds
from .rules import load_rules

#: Most decisions one `recover review` takes.
DEFAULT_MAX_PICKS = 1_000


@dataclass(frozen=True)
class Pick:
    """One decision: in table ``table``, the row labelled ``label``, column ``column`` holds ``value``."""

    table: str
    label: str
    column: str
    value: int | Decimal
    text: str


def text_to_pick(text: str) -> Pick:
    """Given ``TABLE:LABEL:COLUMN=VALUE`` (the label may hold ':'), return the decision, or raise a one-line UsageError."""
    m = re.fullmatch(
        r"([a-z0-9_]+):(.+):([A-Za-z_][A-Za-z0-9_]*)=(-?[0-9]+(?:\.[0-9]+)?|[0-9]+(?::[0-9]{2}){1,2})", text.strip()
    )
    if not m:
        raise UsageError(
            "recover review",
            detail=f"--pick '{text}' is not TABLE:LABEL:COLUMN=VALUE (VALUE a plain number, e.g. 1250 or 3.5, or a time "
            "for a time column, e.g. 13:00)",
        )
    table, label, column, raw = m.groups()
    if ":" in raw:
        if not text_is_time(raw):
            raise UsageError("recover review", detail=f"--pick '{text}': '{raw}' is not a time (m:ss or h:mm:ss)")
        return Pick(table, label, column, Duration(time_to_seconds(raw), raw), text)
    try:
        value: int | Decimal = Decimal(raw) if "." in raw else int(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise UsageError("recover review", detail=f"--pick '{text}': '{raw}' is not a number") from None
    return Pick(table, label, column, value, text)


def _provenance(out: Path, table: str) -> list[dict[str, str]]:
    path = out / f"{table}.provenance.csv"
    if not path.is_file():
        raise UsageError(
            str(out), detail=f"no {table}.provenance.csv here: is this the --out folder of a run with these rules?"
        )
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_picks(
    picks: list[Pick],
    rules_path: Path,
    out: Path,
    text: str | None = None,
    spellings: dict[tuple[str, str], list[str]] | None = None,
) -> list[str]:
    """Given decisions, the rules file (``text``: its text as it will be written) and a run's output folder (and the
    spellings added as aliases of a label, by table and label: the run published that row under such a spelling),
    raise a UsageError for a decision that names no table, row or column; return a warning per decision that none
    of the row's readings holds."""
    rules = load_rules(rules_path, text)
    tables = {t.id: t for t in rules.tables}
    warnings = []
    for p in picks:
        spec = tables.get(p.table)
        if spec is None:
            raise UsageError(
                str(rules_path), detail=f"--pick '{p.text}': no table '{p.table}' (tables: {', '.join(tables)})"
            )
        times = spec.time_columns
        if p.column not in spec.columns and p.column not in times:
            raise UsageError(
                str(rules_path),
                detail=f"--pick '{p.text}': table '{p.table}' has no column '{p.column}' (columns: "
                f"{', '.join(spec.columns + times)})",
            )
        if (p.column in times) != isinstance(p.value, Duration):
            want = "a time (e.g. 13:00)" if p.column in times else "a number"
            raise UsageError(str(rules_path), detail=f"--pick '{p.text}': column '{p.column}' takes {want}")
        if spec.canonical and p.label not in spec.canonical:
            raise UsageError(
                str(rules_path),
                detail=f"--pick '{p.text}': '{p.label}' is not one of table '{p.table}''s label values "
                f"(--add-label '{p.table}:{p.label}' adds it)",
            )
        names = {p.label, *(spellings or {}).get((p.table, p.label), [])}
        rows = [r for r in _provenance(out, p.table) if r["label"] in names]
        if not rows:
            raise UsageError(str(out), detail=f"--pick '{p.text}': the run has no row '{p.label}' in table '{p.table}'")
        # a reading lists the numeric columns, then the time columns (the provenance's order)
        j = spec.columns.index(p.column) if p.column in spec.columns else len(spec.columns) + times.index(p.column)
        seen = {
            str(x[j]) for r in rows for x in json.loads(r["alternatives"] or "[]") if j < len(x) and x[j] is not None
        }
        if seen and str(p.value) not in seen:
            warnings.append(
                f"--pick '{p.text}': none of the row's readings has {p.column} = {p.value} (they have {', '.join(sorted(seen))}): "
                "the next run will mark the row unsatisfiable and publish nothing of it"
            )
    return warnings


def _pin_text(v: object) -> str:
    """Given a decided value, return it as a YAML flow value: a number plainly, a time in quotes (unquoted, YAML 1.1
    reads ``13:00`` as the number 780)."""
    if isinstance(v, Duration):
        return f'"{v.text}"'
    if isinstance(v, str):  # a time the file already holds, in quotes
        return json.dumps(v)
    return format(v, "f") if isinstance(v, Decimal) else str(v)


def _flow(pins: dict[str, Number]) -> str:
    return "{" + ", ".join(f"{c}: {_pin_text(v)}" for c, v in pins.items()) + "}"


def _key(label: str) -> str:
    """Given a label, return it as a YAML key that loads back as that very text (``escape.text_to_yaml_key``)."""
    from .escape import text_to_yaml_key

    return text_to_yaml_key(label)


def _insert_overrides(text: str, table_id: str, pins: dict[str, dict[str, Number]]) -> str | None:
    """Given a rules file's text, a table without ``overrides:`` and its decisions, return the text with an
    ``overrides:`` block added at the end of that table, every other byte as it was; None where the table cannot be
    found that way (then the round trip edits it)."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    tables = data.get("tables") if hasattr(data, "get") else None
    if not tables:
        return None
    idx = next((i for i, t in enumerate(tables) if hasattr(t, "get") and t.get("id") == table_id), None)
    if idx is None:
        return None
    table = tables[idx]
    lines = text.splitlines(keepends=True)
    if "overrides" in table:
        return _edit_overrides(lines, table["overrides"], pins)
    first_line, col = table.lc.key("id")
    if idx + 1 < len(tables):
        end = tables.lc.item(idx + 1)[0]
    else:
        after = [data.lc.key(k)[0] for k in data if data.lc.key(k)[0] > first_line]
        end = min(after, default=len(lines))
    while end - 1 > first_line and (
        not lines[end - 1].strip()
        or (lines[end - 1].lstrip().startswith("#") and len(lines[end - 1]) - len(lines[end - 1].lstrip()) < col)
    ):
        end -= 1  # blank lines and the next item's comments stay below
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    pad = " " * col
    block = [f"{pad}overrides:                       # a reviewer's decisions (recover review)\n"]
    block += [f"{pad}  {_key(label)}: {_flow(cols)}\n" for label, cols in pins.items()]
    return "".join(lines[:end] + block + lines[end:])


def _edit_overrides(lines: list[str], overrides: Any, pins: dict[str, dict[str, Number]]) -> str | None:
    """Given a rules file's lines, a table's existing ``overrides:`` mapping and decisions, return the text with each
    decision on its label's line (one line per label, as ``Label: {col: value}``), or None if the mapping is laid out
    otherwise (then the round trip edits it)."""
    if not hasattr(overrides, "lc") or not len(overrides):
        return None
    keys = list(overrides)
    col = overrides.lc.key(keys[0])[1]
    for label, cols in pins.items():
        if label in overrides:
            line = overrides.lc.key(label)[0]
            old = overrides[label]
            if (
                not hasattr(old, "items")
                or lines[line].count("{") != 1
                or not lines[line].rstrip().split("#")[0].rstrip().endswith("}")
            ):
                return None
            merged = {**{c: v for c, v in old.items()}, **cols}
            comment = lines[line][lines[line].index("}") + 1 :]
            lines[line] = f"{' ' * col}{_key(label)}: {_flow(merged)}{comment if comment.strip() else chr(10)}"
        else:
            last = overrides.lc.key(keys[-1])[0]
            if not lines[last].rstrip().split("#")[0].rstrip().endswith("}"):
                return None
            lines.insert(last + 1, f"{' ' * col}{_key(label)}: {_flow(cols)}\n")
            keys.append(label)
    return "".join(lines)


def text_to_round_trip(text: str) -> tuple[Any, Any]:
    """Given a rules file's text, return a ruamel.yaml round-trip loader set to write it back in its own layout
    (quotes kept, long lines whole, the file's indentation of block sequences: "tables:\n  - id:" or
    "tables:\n- id:") and the text loaded with it (the safe round-trip loader: no object is constructed)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    m = re.search(r"^[ \t]*[\w\"'][^\n]*:[ \t]*(?:#[^\n]*)?\n([ ]*)- ", text, re.MULTILINE)
    offset = len(m.group(1)) if m else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml, yaml.load(text)


def picks_to_rules_text(text: str, picks: list[Pick], where: str) -> str:
    """Given a rules file's text and decisions, return the text with each decision in its table's ``overrides:``,
    comments and layout kept (ruamel.yaml round trip)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    by_table: dict[str, dict[str, dict[str, Number]]] = {}
    for p in picks:
        by_table.setdefault(p.table, {}).setdefault(p.label, {})[p.column] = p.value
    done = text
    for table_id, pins in list(by_table.items()):
        inserted = _insert_overrides(done, table_id, pins)
        if inserted is not None:
            done = inserted
            del by_table[table_id]
    if not by_table:
        return done
    text, picks = done, [p for p in picks if p.table in by_table]
    yaml, data = text_to_round_trip(text)
    for p in picks:
        table = next((t for t in data.get("tables", []) if isinstance(t, dict) and t.get("id") == p.table), None)
        if table is None:
            raise UsageError(where, detail=f"--pick '{p.text}': no table '{p.table}'")
        if table.get("overrides") is None:
            table["overrides"] = CommentedMap()
        row = table["overrides"].get(p.label)
        if row is None:
            row = CommentedMap()
            row.fa.set_flow_style()
            # ruamel writes YAML 1.2, where a bare Yes or 2019 is text; the loader reads 1.1: quoted where it must be
            key = p.label if _key(p.label) == p.label else DoubleQuotedScalarString(p.label)
            table["overrides"][key] = row
        if isinstance(p.value, Duration):
            row[p.column] = DoubleQuotedScalarString(p.value.text)
        else:
            row[p.column] = float(p.value) if isinstance(p.value, Decimal) else p.value
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def text_to_label_add(text: str) -> tuple[str, str]:
    """Given ``TABLE:LABEL`` (an --add-label), return (table, label), or raise a one-line UsageError."""
    m = re.fullmatch(r"([a-z0-9_]+):(.+)", text.strip())
    if not m or not m.group(2).strip():
        raise UsageError("recover review", detail=f"--add-label '{text}' is not TABLE:LABEL")
    return m.group(1), m.group(2).strip()


def _flow_end(text: str, start: int) -> int | None:
    """Given a text and the offset of a flow sequence's ``[``, return the offset of its closing ``]`` (quoted strings
    and nested brackets skipped), or None."""
    depth, i, quote = 0, start, ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and text[i - 1] in " \t\n":
            i = text.find("\n", i)
            if i < 0:
                return None
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _append_value(text: str, values: Any, label: str) -> str | None:
    """Given a rules file's text, a table's ``label.values`` as loaded by ruamel.yaml and a label, return the text with
    the label appended to that list, every other byte as it was; None where the list is laid out otherwise."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    if values.fa.flow_style():
        start = offsets[values.lc.line] + values.lc.col
        end = _flow_end(text, start) if text[start : start + 1] == "[" else None
        if end is None:
            return None
        sep = ", " if text[start + 1 : end].strip() else ""
        return text[:end].rstrip() + sep + _key(label) + text[end:]
    if not len(values):
        return None
    last_line, col = values.lc.item(len(values) - 1)
    if not lines[last_line].rstrip("\n").rstrip().endswith(str(values[-1])) and "#" not in lines[last_line]:
        return None  # the last item runs over several lines
    dash = lines[last_line].index("-") if "-" in lines[last_line][:col] else None
    if dash is None:
        return None
    item = f"{' ' * dash}- {_key(label)}\n"
    if not lines[last_line].endswith("\n"):
        lines[last_line] += "\n"
    return "".join(lines[: last_line + 1] + [item] + lines[last_line + 1 :])


def labels_to_rules_text(text: str, adds: list[tuple[str, str]], where: str) -> str:
    """Given a rules file's text and labels to add, each to its table's ``label.values`` (a row the page prints under
    a label the vocabulary lacks), return the edited text: the label appended to the list, every other byte as it was,
    or else (a list laid out otherwise) through ruamel.yaml's round trip, comments kept."""
    from ruamel.yaml import YAML

    for table_id, label in adds:
        data = YAML(typ="rt").load(text)
        table = next((t for t in data.get("tables", []) if hasattr(t, "get") and t.get("id") == table_id), None)
        lab: Any = table.get("label") if table is not None else None
        values = lab.get("values") if hasattr(lab, "get") else None
        if values is None or not hasattr(values, "lc"):
            break
        if label in values:
            continue
        edited = _append_value(text, values, label)
        if edited is None:
            break
        text = edited
    else:
        return text

    yaml, data = text_to_round_trip(text)
    for table_id, label in adds:
        table = next((t for t in data.get("tables", []) if hasattr(t, "get") and t.get("id") == table_id), None)
        if table is None:
            raise UsageError(where, detail=f"--add-label '{table_id}:{label}': no table '{table_id}'")
        values = (table.get("label") or {}).get("values") if hasattr(table.get("label"), "get") else None
        if values is None:
            raise UsageError(
                where, detail=f"--add-label '{table_id}:{label}': table '{table_id}' has no label.values to add it to"
            )
        if label not in values:
            values.append(label)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def text_to_alias_add(table_label: str, spelling: str) -> tuple[str, str, str]:
    """Given an --add-alias's two values (``TABLE:LABEL``, a label of the vocabulary, and ``SPELLING``, how the page
    prints it), return (table, label, spelling), or raise a one-line UsageError."""
    m = re.fullmatch(r"([a-z0-9_]+):(.+)", table_label.strip())
    if not m or not m.group(2).strip() or not spelling.strip():
        raise UsageError(
            "recover review", detail=f"--add-alias '{table_label}' '{spelling}' is not TABLE:LABEL SPELLING"
        )
    return m.group(1), m.group(2).strip(), spelling.strip()


def _insert_aliases(text: str, table_id: str, label: str, spelling: str) -> str | None:
    """Given a rules file's text and an alias to add to a table whose ``label:`` is a block mapping without
    ``aliases:``, return the text with ``aliases: {LABEL: [SPELLING]}`` as the last key of ``label:``, every other
    byte as it was; None where the file is laid out otherwise (then the round trip edits it)."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    table: Any = next((t for t in data.get("tables", []) if hasattr(t, "get") and t.get("id") == table_id), None)
    lab: Any = table.get("label") if table is not None else None
    if not hasattr(lab, "lc") or "aliases" in lab or lab.fa.flow_style() or label not in (lab.get("values") or []):
        return None
    keys = list(table)
    lines = text.splitlines(keepends=True)
    first, col = lab.lc.key(next(iter(lab)))
    at = keys.index("label")
    if at + 1 < len(keys):
        end = table.lc.key(keys[at + 1])[0]
    else:
        tables = data["tables"]
        idx = next(i for i, t in enumerate(tables) if t is table)
        if idx + 1 < len(tables):
            end = tables.lc.item(idx + 1)[0]
        else:
            after = [data.lc.key(k)[0] for k in data if data.lc.key(k)[0] > first]
            end = min(after, default=len(lines))
    while end - 1 > first and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # blank lines and comments stay below
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    line = f"{' ' * col}aliases: {{{_key(label)}: [{_key(spelling)}]}}\n"
    return "".join(lines[:end] + [line] + lines[end:])


def _yaml_11_safe(text: str) -> Any:
    """Given a label, return it for ruamel.yaml to write: as is, or double-quoted where YAML 1.1 (the loader's) would
    read it bare as something else (ruamel writes YAML 1.2, where a bare ``Yes`` or ``2019`` is text)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return text if _key(text) == text else DoubleQuotedScalarString(text)


def aliases_to_rules_text(text: str, adds: list[tuple[str, str, str]], where: str) -> str:
    """Given a rules file's text and aliases to add (table, a label of its ``label.values``, a spelling the page
    prints it as), return the edited text: a new ``aliases:`` line at the end of ``label:`` where it has none (every
    other byte as it was), else through ruamel.yaml's round trip, comments kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    pending = []
    for table_id, label, spelling in adds:
        edited = _insert_aliases(text, table_id, label, spelling)
        if edited is None:
            pending.append((table_id, label, spelling))
        else:
            text = edited
    if not pending:
        return text
    yaml, data = text_to_round_trip(text)
    for table_id, label, spelling in pending:
        table = next((t for t in data.get("tables", []) if hasattr(t, "get") and t.get("id") == table_id), None)
        if table is None:
            raise UsageError(where, detail=f"--add-alias '{table_id}:{label}': no table '{table_id}'")
        lab = table.get("label")
        if not hasattr(lab, "get") or not lab.get("values") or label not in lab["values"]:
            raise UsageError(
                where,
                detail=f"--add-alias '{table_id}:{label}': '{label}' is not one of table '{table_id}''s label values",
            )
        if lab.get("aliases") is None:
            lab["aliases"] = CommentedMap()
        known = lab["aliases"].get(label)
        if known is None:
            known = lab["aliases"][_yaml_11_safe(label)] = CommentedSeq()
            known.fa.set_flow_style()
        if spelling not in known:
            known.append(_yaml_11_safe(spelling))
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


#: Most seconds a `recover review` waits for another one writing the same rules file.
DEFAULT_MAX_REVIEW_WAIT_SECONDS = 60.0


def replace_file(path: Path, data: bytes) -> None:
    """Given a file's path and bytes, replace it whole (a temporary file beside it, renamed): through a symlink (the
    file it leads to is replaced, the link stays), keeping the file's mode (a new file takes the umask's)."""
    import contextlib
    import stat

    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def rules_lock(path: Path) -> contextlib.AbstractContextManager[None]:
    """Hold an advisory lock on the folder of the rules file (where a symlink leads), so that concurrent reviews read,
    edit and replace it one after the other (each keeps the others' decisions)."""
    from .publish import folder_lock

    return folder_lock(
        Path(os.path.realpath(path)).parent,
        DEFAULT_MAX_REVIEW_WAIT_SECONDS,
        lambda: UsageError(
            str(path),
            detail=f"another review kept it locked for over {DEFAULT_MAX_REVIEW_WAIT_SECONDS:g} s "
            "(DEFAULT_MAX_REVIEW_WAIT_SECONDS); nothing was written",
        ),
    )


def rules_outside_out(rules_path: Path) -> Path | None:
    """Given a rules file, return where its decisions are kept if it lies inside a run's output folder (zero-config's
    ``OUT/inferred-rules.yaml``, which the next run replaces): ``OUT-rules.yaml`` beside OUT (``OUT-name-rules.yaml``
    for a document of several); None for a rules file kept elsewhere."""
    from .publish import MARKER

    folder = Path(os.path.abspath(rules_path)).parent
    for root in (folder, *folder.parents):
        if (root / MARKER).is_file() and root.parent != root:
            parts = folder.relative_to(root).parts
            return root.parent / ("-".join((root.name, *parts)) + "-rules.yaml")
    return None


def review(
    out: Path,
    rules_path: Path,
    pick_texts: list[str],
    label_adds: Sequence[str] = (),
    alias_adds: Sequence[tuple[str, str]] = (),
) -> tuple[list[str], Path]:
    """Given a run's output folder, its rules file and decisions (and labels to add to a table's ``label.values``
    first, ``TABLE:LABEL``, or spellings to add as aliases of a label, ``(TABLE:LABEL, SPELLING)``: a row the page
    prints under another spelling), write them into the rules file (whole or not at all); return the warnings to
    print and the file written.

    A rules file inside a run's output folder (zero-config) is never written: the next run would replace it, and
    the decision with it. It is copied beside OUT (``rules_outside_out``, or that copy is taken if it exists) and the
    decision goes there."""
    if not pick_texts:
        raise UsageError("recover review", detail="no decision given (--pick TABLE:LABEL:COLUMN=VALUE)")
    if len(pick_texts) > DEFAULT_MAX_PICKS:
        raise UsageError(
            "recover review",
            detail=f"{len(pick_texts):,} decisions exceed the bound of {DEFAULT_MAX_PICKS:,} (DEFAULT_MAX_PICKS)",
        )
    picks = [text_to_pick(t) for t in pick_texts]
    kept = rules_outside_out(rules_path)
    target = kept or rules_path
    with rules_lock(target):
        source = target if kept is not None and kept.is_file() else rules_path
        text = source.read_text(encoding="utf-8")
        adds = [text_to_label_add(t) for t in label_adds]
        if adds:
            text = labels_to_rules_text(text, adds, str(source))
        aliases = [text_to_alias_add(t, sp) for t, sp in alias_adds]
        if aliases:
            text = aliases_to_rules_text(text, aliases, str(source))
        spellings: dict[tuple[str, str], list[str]] = {}
        for table_id, label, spelling in aliases:
            spellings.setdefault((table_id, label), []).append(spelling)
        warnings = check_picks(picks, source, out, text if adds or aliases else None, spellings)
        new = picks_to_rules_text(text, picks, str(source))
        load_rules(target, new)  # the edited rules must load, or nothing is written
        replace_file(target, new.encode("utf-8"))
    return warnings, target


def snippet(table: str, label: str, columns: list[str], reading: Sequence[Cell | None]) -> str:
    """Given a row and one of its readings, return the ``overrides:`` lines that pin it (to paste under the table)."""
    pins = ", ".join(f"{c}: {_pin_text(v)}" for c, v in zip(columns, reading) if v is not None)
    key = _key(label)
    return f"overrides:\n  {key}: {{{pins}}}"


def pick_command(
    out: str, rules: str, table: str, label: str, columns: list[str], reading: Sequence[Cell | None]
) -> str:
    """Given a row and one of its readings, return the `recover review` command that writes that decision."""
    import shlex

    picks = " ".join(
        f"--pick {shlex.quote(f'{table}:{label}:{c}={v}')}" for c, v in zip(columns, reading) if v is not None
    )
    return f"recover review {shlex.quote(out)} --rules {shlex.quote(rules)} {picks}"
