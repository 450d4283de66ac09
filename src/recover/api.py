"""The Python API, for notebooks and scripts: ``recover.read`` and ``recover.infer``.

    import recover
    result = recover.read("report.pdf")                # zero-config: the rules are inferred
    result = recover.read("page.html", rules="rules/my.yaml")
    result.tables["state"]                             # a pandas DataFrame, the label as index
    result.report                                      # what was left empty, and why
    print(recover.infer("report.pdf").text)            # the rules zero-config mode would use

``read`` runs fetch → extract → (infer) → recover, in-process, and writes nothing; use
``recover run`` (or ``recover.pipeline.run``) for the published outputs and validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import BLANK, Fact, TableSolution
from .rules import Rules

if TYPE_CHECKING:  # pandas is imported when a result is built, not with the package
    import pandas as pd


@dataclass
class Result:
    """One document read: each table as a DataFrame (nullable integers, or exact decimals; the label as index),
    its provenance as a DataFrame, the facts, the rules used, and the report (one line per table that did not
    fully recover: what was left empty and why)."""

    tables: dict[str, pd.DataFrame]
    provenance: dict[str, pd.DataFrame]
    facts: dict[str, int | Decimal]
    rules: Rules
    report: list[str]
    warnings: list[str] = field(default_factory=list)
    solutions: list[TableSolution] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every table was found and every cell determined (a cell the page left blank counts as determined)."""
        return not self.report


def _cell(v: Any) -> Any:
    import pandas as pd

    return pd.NA if v is None or v is BLANK else v


def solution_to_frame(sol: TableSolution) -> pd.DataFrame:
    """Given a solved table, return its published rows as a DataFrame: Int64 columns, or object columns of exact
    Decimals where the page printed decimals; empty cells (undetermined, or blank on the page) are ``pd.NA``."""
    import pandas as pd

    rows = [r for r in sol.rows if r.status != "duplicate"]
    data: dict[str, Any] = {}
    for col, j, text in sol.published_columns():  # in the page's order
        if text:  # a printed table's text column, as printed ("" where empty)
            data[col] = pd.array([r.texts[j] if j < len(r.texts) else "" for r in rows], dtype="string")
            continue
        values = [_cell(r.cells[j]) for r in rows]
        if any(isinstance(v, Decimal) for v in values):
            data[col] = pd.array(values, dtype=object)
        else:
            data[col] = pd.array(values, dtype="Int64")
    return pd.DataFrame(data, index=pd.Index([r.row.label for r in rows], name=sol.label_column))


def solution_to_provenance(sol: TableSolution) -> pd.DataFrame:
    """Given a solved table, return one row per source row: line, page, raw, label, score, status, readings, blanks, marks, reason."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "line": r.row.line.number or None,  # a missing row has no line
                "page": r.row.line.page,
                "raw": r.row.raw,
                "label": r.row.label,
                "score": r.row.score,
                "status": r.status,
                "solutions": r.readings_count,
                "alternatives": [[None if v is BLANK else v for v in x] for x in r.readings],
                "blanks": [c for c, v in zip(sol.columns, r.cells) if v is BLANK],
                "marks": r.marks,
                "reason": r.reason,
            }
            for r in sol.rows
        ]
    )


def infer(source: str | Path) -> Rules:
    """Given a document (path or URL), return the rules zero-config mode infers for it; their file text is ``.text``."""
    from .pipeline import extract, fetch
    from .pipeline import infer as infer_rules

    rules, text, notes = infer_rules(extract(fetch(str(source))))
    rules.text, rules.notes = text or "", notes
    return rules


def read(source: str | Path, rules: str | Path | Rules | None = None) -> Result:
    """Given a document (path or URL) and its rules (a rules file, loaded Rules, or None to infer them), return the
    document's tables, provenance, facts and report. Bad input raises a ``recover.errors.RecoverError``."""
    from .pipeline import extract, fetch, recover, recover_inferred
    from .rules import load_rules

    document = extract(fetch(str(source)))
    if rules is None:
        result = recover_inferred(document)
        result.rules.text = result.inferred_rules or ""
    else:
        loaded = rules if isinstance(rules, Rules) else load_rules(rules)
        result = recover(document, loaded)
    facts: dict[str, int | Decimal] = {f.id: f.value for f in result.facts}
    return Result(
        tables={s.table_id: solution_to_frame(s) for s in result.solutions},
        provenance={s.table_id: solution_to_provenance(s) for s in result.solutions},
        facts=facts,
        rules=result.rules,
        report=result.problems,
        warnings=result.warnings,
        solutions=result.solutions,
    )


__all__ = ["Fact", "Result", "infer", "read", "solution_to_frame", "solution_to_provenance"]
