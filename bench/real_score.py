"""Scoring for the real-document benchmark (`bench/real.py`): a tool's tables against the truth tables of a document.

Each numeric cell of a truth table is **right** (the tool published that number there), **wrong** (it published
another number there) or **missed** (nothing there; for `recover`, a cell left empty). A tool row matches a truth
row by label (casefolded, letters and digits only, footnote marks aside; then rapidfuzz ratio ≥ 90; then one label
starting the other where they share a number; then, for the rows left, by their numbers in order). In a matched
pair the truth row's numbers are aligned with the tool row's cells in column order by the longest common
subsequence of equal values (right); the truth numbers left between two aligned ones face the tool's numbers left
between the same two, in order: a number there is wrong, none is missed. A truth row with numbers that no tool row
matches is a **row dropped**. Each truth table takes the tool table that scores it best; a tool table already taken
serves a second truth table only where it reads more right than wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from rapidfuzz import fuzz

from bench.real_tools import ToolRow, ToolTable
from bench.real_truth import TruthRow, TruthTable

_MARKS = re.compile(r"\[[^\]]{0,12}\]|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]|\(\*+\)")


def label_to_key(label: str) -> str:
    """Given a label, return the key rows are matched on: NFKC, casefolded, footnote marks dropped, letters and digits
    only (the truth of a PDF may run words together that the page spaces: `UnitedKingdom`)."""
    s = _MARKS.sub("", unicodedata.normalize("NFKC", label)).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def lcs_pairs(a: list[Decimal], b: list[Decimal | None]) -> list[tuple[int, int]]:
    """Given two sequences, return the index pairs of a longest common subsequence of equal (non-None) values."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if b[j] is not None and a[i] == b[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if b[j] is not None and a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def numbers_to_verdicts(truth: list[Decimal], tool: list[Decimal | None]) -> tuple[list[str], list[int]]:
    """Given a truth row's numbers and a tool row's cells, return a verdict per truth number ("right", "wrong",
    "missed") and the tool positions judged wrong."""
    pairs = lcs_pairs(truth, tool)
    verdicts = ["missed"] * len(truth)
    wrong_at: list[int] = []
    bounds = [(-1, -1), *pairs, (len(truth), len(tool))]
    for (i0, j0), (i1, j1) in pairwise(bounds):
        if i1 < len(truth):
            verdicts[i1] = "right"
        published = [j for j in range(j0 + 1, j1) if tool[j] is not None]
        for i, j in zip(range(i0 + 1, i1), published):
            verdicts[i] = "wrong"
            wrong_at.append(j)
    return verdicts, wrong_at


def keys_to_pairs(
    keys_t: list[str], keys_o: list[str], truth: list[TruthRow], tool: list[ToolRow]
) -> list[tuple[int, int]]:
    """Given the label keys of truth and tool rows (and the rows), return the pairs of equal keys: in order where a
    key occurs as often on both sides; where not (a repeated label such as `Percentage`, and a tool that dropped or
    added one), each truth row takes the same-key tool row sharing most numbers with it, then the nearest in order."""
    groups_t: dict[str, list[int]] = {}
    groups_o: dict[str, list[int]] = {}
    for i, k in enumerate(keys_t):
        if k:
            groups_t.setdefault(k, []).append(i)
    for j, k in enumerate(keys_o):
        if k:
            groups_o.setdefault(k, []).append(j)
    pairs: list[tuple[int, int]] = []
    for key, ts in groups_t.items():
        os_ = groups_o.get(key, [])
        if len(ts) == len(os_) or not os_:
            pairs += list(zip(ts, os_))
            continue
        ranked = sorted(
            (
                (len(lcs_pairs(truth[i].numbers, tool[j].values)), -abs(a - b), i, j)
                for a, i in enumerate(ts)
                for b, j in enumerate(os_)
            ),
            reverse=True,
        )
        done_t: set[int] = set()
        done_o: set[int] = set()
        for _, _, i, j in ranked:
            if i not in done_t and j not in done_o:
                pairs.append((i, j))
                done_t.add(i)
                done_o.add(j)
    return pairs


def rows_to_matches(truth: list[TruthRow], tool: list[ToolRow]) -> list[tuple[int, int]]:
    """Given a truth table's data rows and a tool table's rows, return matched (truth index, tool index) pairs: by
    equal label keys in order, then by rapidfuzz ratio ≥ 90, then where one key starts the other (`Nestle` and
    `Nestle Switzerland`, a text column the truth's label run took in) and they share a number, then by the longest
    run of equal numbers in order (at least two, or the row's only number where a label is absent)."""
    keys_t = [label_to_key(r.label) for r in truth]
    keys_o = [label_to_key(r.label) for r in tool]
    used_t: set[int] = set()
    used_o: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for i, j in keys_to_pairs(keys_t, keys_o, truth, tool):
        pairs.append((i, j))
        used_t.add(i)
        used_o.add(j)
    fuzzy = []
    for i, kt in enumerate(keys_t):
        if i in used_t or not kt:
            continue
        for j, ko in enumerate(keys_o):
            if j not in used_o and ko:
                score = fuzz.ratio(kt, ko)
                if score >= 90:
                    fuzzy.append((score, i, j))
    for _, i, j in sorted(fuzzy, key=lambda x: -x[0]):
        if i not in used_t and j not in used_o:
            pairs.append((i, j))
            used_t.add(i)
            used_o.add(j)
    prefixed = []
    for i, kt in enumerate(keys_t):
        if i in used_t or not kt:
            continue
        for j, ko in enumerate(keys_o):
            short, long = sorted((kt, ko), key=len)
            if j not in used_o and len(short) >= 3 and long.startswith(short):
                common = len(lcs_pairs(truth[i].numbers, tool[j].values))
                if common:
                    prefixed.append((common, -abs(i - j), i, j))
    for _, _, i, j in sorted(prefixed, reverse=True):
        if i not in used_t and j not in used_o:
            pairs.append((i, j))
            used_t.add(i)
            used_o.add(j)
    by_numbers = []
    for i, row in enumerate(truth):
        if i in used_t:
            continue
        for j, other in enumerate(tool):
            if j in used_o:
                continue
            common = len(lcs_pairs(row.numbers, other.values))
            unlabelled = not keys_t[i] or not keys_o[j]
            if common >= 2 or (common == 1 and len(row.numbers) == 1 and unlabelled):
                by_numbers.append((common, i, j))
    for _, i, j in sorted(by_numbers, key=lambda x: -x[0]):
        if i not in used_t and j not in used_o:
            pairs.append((i, j))
            used_t.add(i)
            used_o.add(j)
    return pairs


@dataclass
class PairScore:
    """How one tool table reads one truth table."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    dropped: int = 0
    matched: int = 0
    wrong_cells: set[tuple[int, int]] = field(default_factory=set)  # (id of the tool row, position)
    examples: list[str] = field(default_factory=list)


def table_to_pairscore(truth: TruthTable, tool: ToolTable) -> PairScore:
    """Given a truth table and a tool table, score every numeric cell of the truth table against it."""
    rows = truth.data_rows
    matches = dict(rows_to_matches(rows, tool.rows))
    score = PairScore(matched=len(matches))
    for i, row in enumerate(rows):
        j = matches.get(i)
        if j is None:
            score.dropped += 1
            score.missed += len(row.numbers)
            continue
        verdicts, wrong_at = numbers_to_verdicts(row.numbers, tool.rows[j].values)
        score.right += verdicts.count("right")
        score.wrong += verdicts.count("wrong")
        score.missed += verdicts.count("missed")
        score.wrong_cells.update((id(tool.rows[j]), k) for k in wrong_at)
        if "wrong" in verdicts and len(score.examples) < 3:
            published = [str(v) if v is not None else "·" for v in tool.rows[j].values]
            score.examples.append(f"{row.label[:40]!r}: truth {[str(v) for v in row.numbers]} vs {published}")
    return score


@dataclass
class TableResult:
    """The score of one truth table for one tool, and the tool table it took (None: none found)."""

    truth: TruthTable
    tool_table: str | None
    score: PairScore
    preview: list[str] = field(default_factory=list)


def tool_rows_on_page(table: ToolTable, page: int | None) -> ToolTable:
    """Given a tool table and a truth table's page (None: any), return the table with only the rows on that page (rows
    of unknown page kept)."""
    if page is None:
        return table
    return ToolTable(table.id, [r for r in table.rows if r.page is None or r.page == page])


def tables_to_results(truths: list[TruthTable], tools: list[ToolTable]) -> list[TableResult]:
    """Given a document's truth tables and a tool's tables, return each truth table's result: it takes the tool table
    that reads it best (most right, then most rows matched, then least wrong); a tool table taken already serves
    another truth table only where it reads more right than wrong there; a truth table no tool table matches a row of
    is all missed."""
    candidates = []
    for ti, truth in enumerate(truths):
        for oi, tool in enumerate(tools):
            on_page = tool_rows_on_page(tool, truth.page)
            if not on_page.rows:
                continue
            score = table_to_pairscore(truth, on_page)
            if score.matched:
                candidates.append((ti, oi, score))
    candidates.sort(key=lambda c: (-c[2].right, -c[2].matched, c[2].wrong))
    taken: dict[int, int] = {}
    used: set[int] = set()
    chosen: dict[int, PairScore] = {}
    for ti, oi, score in candidates:
        if ti in taken or (oi in used and score.right <= score.wrong):
            continue
        taken[ti], chosen[ti] = oi, score
        used.add(oi)
    results = []
    for ti, truth in enumerate(truths):
        if ti in taken:
            oi = taken[ti]
            preview = [
                f"{r.label[:30]!r} {[str(v) if v is not None else '·' for v in r.values][:8]}"
                for r in tools[oi].rows[:4]
            ]
            results.append(TableResult(truth, tools[oi].id, chosen[ti], preview))
        else:
            rows = truth.data_rows
            results.append(TableResult(truth, None, PairScore(missed=truth.numeric_cells, dropped=len(rows))))
    return results


def tools_to_splits(
    tools: list[ToolTable], tokens: dict[int | None, set[Decimal]]
) -> list[tuple[tuple[int, int], str]]:
    """Given a tool's tables and the numbers printed whole on each page (key None: the whole document), return the
    published numbers that are no whole printed token of their page (a split of a printed number, such as 2, 0, 1, 1
    out of `2011`), each as ((id of the row, position), "table: label: value")."""
    everywhere = set().union(*tokens.values()) if tokens else set()
    splits = []
    for table in tools:
        for row in table.rows:
            printed = tokens.get(row.page, everywhere) if row.page is not None else everywhere
            for k, v in enumerate(row.values):
                if v is not None and v not in printed:
                    splits.append(((id(row), k), f"{table.id}: {row.label[:40]!r}: {v}"))
    return splits
