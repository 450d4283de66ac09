"""The reviewer page (``OUT/validation/index.html``): what was recovered, what was left empty and why, what to decide.

One self-contained HTML file (inline CSS and a few lines of inline JavaScript, no CDN), readable
offline in any browser:

1. a summary: cells recovered, left empty (abstentions: the evidence does not decide), blank on
   the page, checks violated and checks not evaluated;
2. **to decide**: every row that is not ``recovered``, with its source line (raw text, line,
   page), the row as the source printed it (``recover.printed_rows``: a PDF strip, HTML cells, a text
   line among its neighbours), its status and reason in words, its readings side by side (the cells
   they disagree on marked, the label parting each takes), and for each reading the ``overrides:``
   snippet and the ``recover review`` command that feed the decision back (for a label outside the
   vocabulary, the one command that adds it: ``--add-label``, and where it is near a label of the vocabulary no line
   was read as, the one that adds it as that label's alias: ``--add-alias``); a missing row says how to fix it, and
   a totals row not found is a card too (the missing row's own, where it is that row); a run with problems never
   says "Nothing to decide";
3. each table as published, empty cells marked (``?`` undetermined, ``blank`` as printed), with a
   filter box and a "rows to decide only" switch so 3 rows are found among 5,000;
4. the facts with their sentences;
5. the validation results in three outcomes, violated first: *violated* (a published value breaks
   a rule or a total: the run's worst news), *not evaluated* (a check over a column with empty
   cells cannot run: never shown as passed), *passed*; and a link to the Great Expectations Data Docs.

Pure: a recovered document and the validation outcomes in, HTML text out.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import BLANK, RowSolution, TableSolution
from .review import pick_command, snippet

if TYPE_CHECKING:
    from .pipeline import DocumentResult

#: Most readings shown side by side for one row (the provenance CSV lists up to its own cap).
DEFAULT_PAGE_READINGS = 12
#: Most rows of one table written into the page (the CSV holds them all).
DEFAULT_PAGE_ROWS = 20_000
#: Least fuzzy score (rapidfuzz WRatio, 0-100) of a label outside the vocabulary for a free label of the vocabulary
#: (one no line was read as) that the page offers to add it as an alias of (``Westgate Ward`` → ``Westgate``: 90).
DEFAULT_ALIAS_SUGGESTION_CUTOFF = 70.0

STATUS_WORDS = {
    "recovered": "recovered: one reading fits all the evidence",
    "corrected": "corrected: pinned by a reviewer's decision (overrides:)",
    "ambiguous": "left empty where its readings disagree: the evidence allows several",
    "unsatisfiable": "no reading of its printed numbers meets the rules and totals",
    "too_ambiguous": "too many readings to decide within the work bound",
    "unreadable": "its printed numbers cannot be read as the table's cells",
    "duplicate": "repeats an earlier row: published once",
    "missing": "a label of the vocabulary that no line of the page was read as: listed with empty cells",
}


@dataclass(frozen=True)
class Check:
    """One validation result: the batch, the expectation, its column, and its outcome ("violated", "not evaluated" or "passed")."""

    batch: str
    expectation: str
    column: str
    outcome: str


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cell(v: object) -> str:
    if v is None:
        return "<td class='empty' title='left empty: the evidence does not decide'>?</td>"
    if v is BLANK:
        return "<td class='blank' title='the page printed no number here'>blank</td>"
    return f"<td class='num'>{_e(format(v, 'f') if isinstance(v, Decimal) else v)}</td>"


def _text_cell(r: RowSolution, j: int) -> str:
    """Given a row and one of its text columns (a printed table's text, a run-together row's time), return its cell:
    the text as published; a time the page left blank as blank; a time the readings disagree on as left empty."""
    text = r.texts[j] if j < len(r.texts) else ""
    if text:
        return f"<td class='text'>{_e(text)}</td>"
    if j < len(r.time_cells):  # a run-together row's time: BLANK, or None where its readings disagree
        return _cell(r.time_cells[j])
    return "<td class='text'></td>"


def _value(v: object) -> str:
    return "blank" if v is BLANK else (format(v, "f") if isinstance(v, Decimal) else str(v))


def _needs_review(r: RowSolution) -> bool:
    return (
        r.status not in ("recovered", "corrected", "duplicate")
        or any(c is None for c in r.all_cells)
        or not r.row.matched
    )


def _anchor(sol: TableSolution, r: RowSolution) -> str:
    """Given a table and one of its rows, return the id of its card: by line, or by label for a missing row."""
    import re

    return f"{sol.table_id}-{r.row.line.number or 'missing-' + re.sub(r'[^A-Za-z0-9]+', '-', r.row.label)}"


def _row_card(
    sol: TableSolution,
    r: RowSolution,
    out: str,
    rules: str,
    vocabulary: bool = True,
    printed: str = "",
    totals_problem: str = "",
    alias_of: str | None = None,
) -> str:
    """Given a table and one of its rows to decide (``vocabulary``: its table has label values; ``printed``: the HTML
    of the row as the source printed it; ``totals_problem``: for a missing row that is also the totals row the rules
    name, that problem; ``alias_of``: for a row whose label is outside the vocabulary, the free label of the
    vocabulary it may print), return its card: source line, the printed row, status in words, readings side by side,
    and for a missing row what to do."""
    where = (
        f"line {r.row.line.number}" + (f", page {r.row.line.page}" if r.row.line.page else "")
        if r.row.line.number
        else "no line of the page"
    )
    why = STATUS_WORDS.get(r.status, r.status)
    if not r.row.matched:
        why += "; its label matches no value of the vocabulary (published as printed)"
    reason = f"<p class='reason'>{_e(r.reason)}</p>" if r.reason else ""
    readings = r.readings[:DEFAULT_PAGE_READINGS]
    outside_vocabulary = not r.row.matched and vocabulary
    body = ""
    if readings:
        # a reading lists the numeric columns, then the time columns of a run-together row (its text columns)
        names = (sol.columns + sol.text_columns)[: len(readings[0])]
        differ = [len({_value(x[j]) for x in readings}) > 1 for j in range(len(names))]
        head = "".join(f"<th>{_e(c)}</th>" for c in names)
        rows = []
        for n, x in enumerate(readings, start=1):
            cells = "".join(f"<td class='num{' differ' if d else ''}'>{_e(_value(v))}</td>" for v, d in zip(x, differ))
            values = [None if v is BLANK else v for v in x]
            # the decision pins the cells the readings disagree on (all of them where there is one reading)
            cols = [c for c, d in zip(names, differ) if d] or names
            vals = [v for v, d in zip(values, differ) if d] or values
            cmd = pick_command(out, rules, sol.table_id, r.row.label, cols, vals)
            if outside_vocabulary:  # an override needs a label of the vocabulary: the command adds it first
                offer = (
                    f"<p>Its label is not in <code>label.values</code>: this adds it there and writes the decision:</p>"
                    f"<pre class='copy'>{_e(add_label_command(cmd, sol.table_id, r.row.label))}</pre>"
                )
                if alias_of is not None:
                    to = pick_command(out, rules, sol.table_id, alias_of, cols, vals)
                    offer += (
                        f"<p>or, if this row is <code>{_e(alias_of)}</code> printed otherwise, this adds "
                        f"<code>{_e(r.row.label)}</code> as an alias of it (<code>label.aliases</code>) and writes "
                        f"the decision for <code>{_e(alias_of)}</code>:</p>"
                        f"<pre class='copy'>{_e(add_alias_command(to, sol.table_id, alias_of, r.row.label))}</pre>"
                    )
            else:
                snip = snippet(sol.table_id, r.row.label, cols, vals)
                offer = (
                    f"<p>Paste under table <code>{_e(sol.table_id)}</code> in the rules file:</p><pre class='copy'>{_e(snip)}</pre>"
                    f"<p>or run:</p><pre class='copy'>{_e(cmd)}</pre>"
                )
            rows.append(
                f"<tr><th>reading {n}{_e(parting_of(r, x))}</th>{cells}<td class='decide'><details><summary>take this reading</summary>"
                f"{offer}</details></td></tr>"
            )
        more = (
            f"<p class='more'>{r.readings_count - len(readings):,} more readings in {_e(sol.table_id)}.provenance.csv</p>"
            if r.readings_count > len(readings)
            else ""
        )
        body = f"<table class='readings'><thead><tr><th></th>{head}<th></th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"
    if r.status == "missing":
        body += missing_row_advice(r.row.label, rules, totals_problem)
    return (
        f"<div class='card' id='{_e(_anchor(sol, r))}'><h4>{_e(sol.table_id)} · {_e(r.row.label or '(no label)')} "
        f"<span class='status {_e(r.status)}'>{_e(r.status)}</span></h4>"
        f"<p class='src'>{_e(where)}{f': <code>{_e(r.row.raw)}</code>' if r.row.raw else ''}</p>{printed}"
        f"<p>{_e(why)}</p>{reason}{body}</div>"
    )


def add_label_command(command: str, table: str, label: str) -> str:
    """Given the `recover review` command of a decision on a row whose label is not in the vocabulary, return it
    with ``--add-label TABLE:LABEL`` (the label added to ``label.values``, so the decision is accepted)."""
    import shlex

    head, sep, picks = command.partition(" --pick ")
    return f"{head} --add-label {shlex.quote(f'{table}:{label}')}{sep}{picks}"


def add_alias_command(command: str, table: str, label: str, spelling: str) -> str:
    """Given the `recover review` command of a decision on a label of the vocabulary, return it with ``--add-alias
    TABLE:LABEL SPELLING`` (the page's spelling added to that label's ``label.aliases``, so the next run reads the row
    as that label)."""
    import shlex

    head, sep, picks = command.partition(" --pick ")
    return f"{head} --add-alias {shlex.quote(f'{table}:{label}')} {shlex.quote(spelling)}{sep}{picks}"


def alias_suggestion(label: str, free: Sequence[str]) -> str | None:
    """Given a label outside the vocabulary and the labels of the vocabulary no line was read as, return the one it
    most likely prints (fuzzy score at least DEFAULT_ALIAS_SUGGESTION_CUTOFF, ties to the first), or None."""
    from rapidfuzz import fuzz

    from .labels import normalize

    best, score = None, DEFAULT_ALIAS_SUGGESTION_CUTOFF
    for c in free:
        x = fuzz.WRatio(normalize(label), normalize(c))
        if x >= score and (best is None or x > score):
            best, score = c, x
    return best


def _free_labels(sol: TableSolution, canonical: Sequence[str]) -> list[str]:
    """Given a solved table and its vocabulary, return the labels of the vocabulary no line of the page was read as."""
    taken = {r.row.label for r in sol.rows if r.row.matched and r.status != "missing"}
    return [c for c in canonical if c not in taken]


def parting_of(r: RowSolution, reading: Sequence[object]) -> str:
    """Given a row whose label may end in figures its numbers could start with (several partings of its printed text:
    ``row.tails``) and one of its readings, return the label that reading leaves (`` · label 12 come 14``): the printed
    text before the one tail whose digits the reading's numbers spell; "" where the parting is not in doubt."""
    tails = r.row.tails
    if len(tails) < 2:
        return ""
    spelled = "".join(ch for v in reading if v is not None and v is not BLANK for ch in _value(v) if ch.isdigit())
    fits = [t for t in tails if "".join(ch for ch in t if ch.isdigit()) == spelled]
    if len(fits) != 1 or fits[0] not in r.row.raw:
        return ""
    label = r.row.raw[: r.row.raw.rindex(fits[0])].strip()
    return f" · label {label}" if label else ""


#: What each kind of check guards, in the words of the red box that names a violated one.
CHECK_WORDS = {
    "expect_column_values_to_be_in_set": "the label set (label.values)",
    "expect_column_values_to_be_unique": "labels published once",
    "expect_column_values_to_not_be_null": "a label on every row",
    "expect_table_columns_to_match_ordered_list": "the table's columns",
    "expect_column_values_to_be_in_type_list": "the cells' number type",
}


def check_to_words(c: Check) -> str:
    """Given a validation check, return in words what it guards: the label set, a row rule, the totals row …"""
    if c.expectation in CHECK_WORDS:
        return CHECK_WORDS[c.expectation]
    if c.column.startswith("rule: "):
        return f"the row rule {c.column.removeprefix('rule: ')}"
    if c.column.startswith("body_minus_totals_row"):
        return "the totals row" + c.column.removeprefix("body_minus_totals_row")
    if c.column.startswith("body_sum"):
        return "a total stated in the prose" + c.column.removeprefix("body_sum")
    return c.expectation


def missing_row_advice(label: str, rules: str, totals_problem: str = "") -> str:
    """Given the label of a missing row (a value of the vocabulary no line of the page was read as), the rules file's
    name and, where that label is also the totals row the rules name, that problem (``totals row … not found``),
    return what the reviewer can do, as HTML: one paragraph for the row, and for the totals too."""
    totals = (
        f"<p>{_e(totals_problem)}. It is also the table's totals row (<code>totals.row</code>).</p>"
        if totals_problem
        else ""
    )
    remove = (
        f"remove <code>totals.row</code> and <code>{_e(label)}</code> from <code>label.values</code>"
        if totals_problem
        else f"remove <code>{_e(label)}</code> from <code>label.values</code>, or say <code>printed: some</code> under "
        "<code>label:</code> when the page prints only some of the values"
    )
    uses = "the row and its totals are read" if totals_problem else "the row is read"
    return (
        f"{totals}<p>Read the page: if it prints this row under another label, add that label as an alias of "
        f"<code>{_e(label)}</code> (<code>label.aliases</code>) in <code>{_e(rules)}</code>; if it prints none, "
        f"{remove} there. The next run then {uses}, or no longer looks for it.</p>"
    )


def _table_problem_card(sol: TableSolution, problem: str, rules: str) -> str:
    """Given a table and one of its problems that is no row's (a totals row not found), return its card: what to
    decide, and how."""
    return (
        f"<div class='card' id='{_e(sol.table_id)}-table'><h4>{_e(sol.table_id)} · table "
        f"<span class='status unsatisfiable'>to decide</span></h4><p>{_e(problem)}.</p>"
        "<p>Read the page: if it prints that row under another label, add that label as an alias of it "
        f"(<code>label.aliases</code>) in <code>{_e(rules)}</code>; if it prints none, remove <code>totals.row</code> "
        "there. The next run then uses the totals, or no longer looks for them.</p></div>"
    )


def _undecided_table_problems(sol: TableSolution) -> list[str]:
    """Given a solved table, return its problems that are no row's: a totals row the rules name but the page lacks."""
    return [p for p in sol.problems if p.startswith(f"table {sol.table_id}: totals row ") and " not found" in p]


def _table_section(sol: TableSolution) -> str:
    """Given a solved table, return its section: the published table with every empty cell marked, filterable."""
    rows = [r for r in sol.rows if r.status != "duplicate"][:DEFAULT_PAGE_ROWS]
    published = sol.published_columns()  # the CSV's columns, in the page's order, text and time columns among them
    head = (
        f"<th>{_e(sol.label_column)}</th>" + "".join(f"<th>{_e(c)}</th>" for c, _, _ in published) + "<th>status</th>"
    )
    lines = []
    for r in rows:
        first = (
            f"<tr class='todo'><th><a href='#{_e(_anchor(sol, r))}'>{_e(r.row.label or '(no label)')}</a></th>"
            if _needs_review(r)
            else f"<tr class='ok'><th>{_e(r.row.label)}</th>"
        )
        cells = "".join(_text_cell(r, j) if text else _cell(r.cells[j]) for _, j, text in published)
        lines.append(first + cells + f"<td class='st'>{_e(r.status)}</td></tr>")
    empty = sum(c is None for r in rows for c in r.all_cells)
    blank = sum(c is BLANK for r in rows for c in r.all_cells)
    todo = sum(_needs_review(r) for r in rows)
    state = (
        "not found"
        if not sol.found
        else f"{len(rows):,} rows, {empty:,} cells left empty, {blank:,} blank on the page, {todo:,} rows to decide"
    )
    return (
        f"<details class='table' {'open' if len(rows) <= 60 or todo else ''}><summary><strong>{_e(sol.table_id)}</strong> — {_e(state)}</summary>"
        f"<div class='tools'><input type='search' placeholder='filter rows' oninput='filterRows(this)'> "
        f"<label><input type='checkbox' onchange='onlyTodo(this)'> rows to decide only</label></div>"
        f"<div class='scroll'><table class='data'><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table></div></details>"
    )


SCRIPT = """
function filterRows(box){var q=box.value.toLowerCase();var t=box.closest('details').querySelectorAll('table.data tbody tr');
for(var i=0;i<t.length;i++){var show=t[i].textContent.toLowerCase().indexOf(q)>=0;t[i].dataset.f=show?'':'1';t[i].style.display=(show&&t[i].dataset.t!=='1')?'':'none';}}
function onlyTodo(box){var t=box.closest('details').querySelectorAll('table.data tbody tr');
for(var i=0;i<t.length;i++){var hide=box.checked&&!t[i].classList.contains('todo');t[i].dataset.t=hide?'1':'';t[i].style.display=(hide||t[i].dataset.f==='1')?'none':'';}}
"""

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5em auto;max-width:80em;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}
h4{margin:.1em 0 .4em} code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace} pre{background:#f4f4f6;padding:.5em;overflow-x:auto;white-space:pre-wrap}
.summary{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0} .pill{border-radius:6px;padding:.4em .8em;background:#eef1f5}
.pill b{font-size:1.2em;display:block} .pill.bad{background:#fde2e1;color:#8a1010} .pill.warn{background:#fff3cd;color:#6d5200} .pill.good{background:#e3f4e6;color:#155724}
.card{border:1px solid #d9d9de;border-left:5px solid #e0a800;border-radius:6px;padding:.6em .9em;margin:.8em 0;background:#fff}
.card .src code{background:#f4f4f6;padding:0 .3em;word-break:break-all} .reason{color:#555;font-size:.92em}
.status{font-size:.75em;padding:.1em .5em;border-radius:10px;background:#eee;vertical-align:middle}
.status.unsatisfiable,.status.unreadable{background:#fde2e1;color:#8a1010} .status.ambiguous,.status.too_ambiguous{background:#fff3cd;color:#6d5200}
table{border-collapse:collapse} td,th{border:1px solid #d9d9de;padding:3px 8px;text-align:left} thead th{background:#f0f0f3;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums} td.differ{background:#fff3cd;font-weight:600}
td.empty{background:#fde2e1;color:#8a1010;text-align:center;font-weight:700} td.blank{color:#888;font-style:italic;text-align:center;background:#f7f7f7}
tr.todo th a{color:#8a1010;font-weight:600} td.st{color:#666;font-size:.85em} td.decide{border:none}
details.table{margin:.8em 0;border:1px solid #e4e4e8;border-radius:6px;padding:.4em .8em} details.table>summary{cursor:pointer}
.tools{margin:.5em 0} .tools input[type=search]{padding:.3em .5em;width:16em}
.scroll{max-height:34em;overflow:auto} .checks td:first-child{font-weight:700;white-space:nowrap}
tr.violated td{background:#fde2e1} tr.violated td:first-child{color:#8a1010} tr.not-evaluated td:first-child{color:#6d5200} tr.passed td:first-child{color:#155724}
.more{color:#666;font-size:.9em} .card.violated{border-left-color:#c0392b;background:#fff5f5}
.printed{margin:.4em 0} .printed img{max-width:100%;border:1px solid #ccc} .printed pre{margin:0} .printed .this{background:#fff3cd;font-weight:600}
"""


def problems_card(problems: Sequence[str], violated: bool) -> str:
    """Given a run's problems where no row and no table is left to decide, and whether a check was violated, return
    what the To decide section says: "Nothing to decide" only for a run without problems (exit 0); for a run that
    exits 1, a card naming each problem, so the page never reads as all good when the run is not."""
    if not problems:
        return "<p>Nothing to decide: every row was recovered.</p>"
    items = "".join(f"<li>{_e(p)}</li>" for p in problems)
    see = " The violated checks are listed above (<a href='#violated'>Violated</a>)." if violated else ""
    return (
        "<div class='card' id='problems'><h4>No row to decide, but the run has problems</h4>"
        f"<p>Every row was read, yet the run completed with these problems (exit status 1):{see}</p><ul>{items}</ul></div>"
    )


def source_to_html(origin: str) -> str:
    """Given a source's path or URL, return it for the page: a URL as a link, a path as code."""
    import re

    if re.match(r"^https?://", origin):
        return f"<a href='{_e(origin)}'><code>{_e(origin)}</code></a>"
    return f"<code>{_e(origin)}</code>"


def result_to_page(
    result: DocumentResult,
    checks: list[Check],
    docs_link: str | None,
    out: str = "OUT",
    rules_path: str | None = None,
    printed: dict[tuple[str, int], str] | None = None,
) -> str:
    """Given a recovered document (pipeline.DocumentResult), its validation checks and the Data Docs link (and the
    HTML of each row to decide as the source printed it, by table and line: ``recover.printed_rows``), return the page."""
    rules = result.rules
    rules_shown = rules_path or (str(rules.path) if rules.path else "RULES")
    published = [r for s in result.solutions for r in s.rows if r.status != "duplicate"]
    cells = [c for r in published for c in r.all_cells]
    empty = sum(c is None for c in cells)
    blank = sum(c is BLANK for c in cells)
    violated = [c for c in checks if c.outcome == "violated"]
    not_eval = [c for c in checks if c.outcome == "not evaluated"]
    passed = [c for c in checks if c.outcome == "passed"]
    printed = printed or {}
    vocabularies = {t.id: bool(t.canonical) for t in rules.tables}
    specs = {t.id: t for t in rules.tables}
    free = {s.table_id: _free_labels(s, specs[s.table_id].canonical) for s in result.solutions if s.table_id in specs}
    totals_rows = {t.id: t.totals_row for t in rules.tables}
    # a totals row not found that is also a missing row of the vocabulary: one card, the row's, says both
    merged = {
        (s.table_id, totals_rows[s.table_id]): p
        for s in result.solutions
        for p in _undecided_table_problems(s)
        if any(r.status == "missing" and r.row.label == totals_rows.get(s.table_id) for r in s.rows)
    }
    cards = [
        _row_card(
            s,
            r,
            out,
            rules_shown,
            vocabularies.get(s.table_id, True),
            printed.get((s.table_id, r.row.line.number), ""),
            merged.get((s.table_id, r.row.label), "") if r.status == "missing" else "",
            alias_suggestion(r.row.label, free.get(s.table_id, [])) if not r.row.matched else None,
        )
        for s in result.solutions
        for r in s.rows
        if _needs_review(r) and r.status != "duplicate"
    ]
    cards += [
        _table_problem_card(s, p, rules_shown)
        for s in result.solutions
        for p in _undecided_table_problems(s)
        if p not in merged.values()
    ]
    missing = [s.table_id for s in result.solutions if not s.found]
    pills = [
        ("good" if not empty else "", f"{len(cells) - empty:,} of {len(cells):,}", "cells recovered"),
        ("warn" if empty else "good", f"{empty:,}", "left empty (the evidence does not decide)"),
        ("", f"{blank:,}", "blank on the page (kept blank)"),
        ("bad" if violated else "good", f"{len(violated):,}", "checks violated"),
        ("warn" if not_eval else "", f"{len(not_eval):,}", "checks not evaluated"),
        ("warn" if cards else "good", f"{len(cards):,}", "rows to decide"),
    ]
    summary = "".join(f"<div class='pill {cls}'><b>{_e(n)}</b>{_e(what)}</div>" for cls, n, what in pills)
    problems = "".join(f"<li>{_e(p)}</li>" for p in result.problems)
    decide = "".join(cards)
    if missing:
        decide = (
            f"<div class='card' id='not-found'><h4>Tables not found</h4><p>Not found in the document: "
            f"{_e(', '.join(missing))}.</p></div>" + decide
        )
    if not decide:
        decide = problems_card(result.problems, bool(violated))
    facts = "".join(
        f"<tr><td>{_e(f.id)}</td><td class='num'>{_e(_value(f.value))}</td><td>{_e(f.sentence)}</td></tr>"
        for f in result.facts
    )
    order = {"violated": 0, "not evaluated": 1, "passed": 2}
    zero_config_note = (
        " These rules were inferred (zero-config) and live inside the output folder, which the next run replaces:"
        " <code>recover review</code> writes the decision to a copy beside that folder instead"
        " (<code>OUT-rules.yaml</code>; it prints the name) and says to run again with <code>--rules</code> that copy."
        if result.inferred_rules is not None
        else ""
    )
    check_rows = "".join(
        f"<tr class='{c.outcome.replace(' ', '-')}'><td>{_e(c.outcome)}</td><td>{_e(c.batch)}</td><td>{_e(c.expectation)}</td><td>{_e(c.column)}</td></tr>"
        for c in sorted(checks, key=lambda c: order.get(c.outcome, 3))
    )
    docs = (
        f"<p><a href='{_e(docs_link)}'>Great Expectations Data Docs</a> (the suites and every result, per batch)</p>"
        if docs_link
        else ""
    )
    violations = ""
    if violated:
        items = "".join(
            f"<li>{_e(check_to_words(c))}: <code>{_e(c.expectation)}</code> on <code>{_e(c.column)}</code> ({_e(c.batch)})</li>"
            for c in violated
        )
        guarded = ", ".join(dict.fromkeys(check_to_words(c) for c in violated))
        violations = (
            f"<div class='card violated' id='violated'><h4>Violated: {_e(guarded)}</h4>"
            f"<p>The worst news a run can give: check these against the page first.</p><ul>{items}</ul></div>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Review: {_e(rules.document)}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>
<h1>Review of {_e(rules.document)}</h1>
<p>Source: {source_to_html(result.source.origin)} (sha256 {_e(result.source.sha256[:12])}…) · rules: <code>{_e(rules_shown)}</code></p>
<div class="summary" id="summary">{summary}</div>
{f"<ul class='problems'>{problems}</ul>" if problems else ""}
{violations}
<h2 id="decide">To decide</h2>
<p>A cell is published only where every reading that fits the evidence agrees. For each row below, read the page,
then take the reading it printed: paste its <code>overrides:</code> snippet under the table in the rules file, or run the
<code>recover review</code> command. The next run marks the row <em>corrected</em>, or <em>unsatisfiable</em> if its
printed digits contradict the decision.{zero_config_note}</p>
{decide}
<h2 id="tables">Tables</h2>
<p>Labels are published as printed: one that starts with <code>=</code>, <code>+</code>, <code>-</code> or
<code>@</code> is a formula to a spreadsheet that opens the CSV; <code>recover run --spreadsheet-safe</code> writes
such labels with a leading <code>'</code>.</p>
{"".join(_table_section(s) for s in result.solutions)}
<h2 id="facts">Facts</h2>
{f"<table><thead><tr><th>id</th><th>value</th><th>sentence</th></tr></thead><tbody>{facts}</tbody></table>" if facts else "<p>No facts.</p>"}
<h2 id="checks">Validation</h2>
<p id="checks-summary">{len(violated)} violated, {len(not_eval)} not evaluated, {len(passed)} passed.</p>
{docs}
<table class="checks"><thead><tr><th>outcome</th><th>batch</th><th>expectation</th><th>column</th></tr></thead><tbody>{check_rows}</tbody></table>
</body></html>
"""
