"""Property tests on quirky statistical tables (bench/quirks.py), through the real CLI.

Small tables are generated with their truth (what the page printed in each cell: a number
or a blank) and rendered as text (spaced, tab-separated and fused rows), HTML and PDF, with
blanks and placeholders, negatives, footnote marks, a repeated row, wrapped labels and a
totals row. Each is run through ``recover run --no-validate`` in-process, and:

- no published cell differs from what the page printed (a number where the page printed a
  blank included);
- every cell the page left blank is published empty;
- no printed row is dropped (a repeated row counts once);
- the true reading of every row is among the provenance's alternatives (rows marked
  ``duplicate`` or ``unreadable`` aside, and rows whose alternatives were capped).

Failures are not shrunk unless ``QUIRKS_SHRINK=1`` (shrinking through the CLI takes minutes).
``test_truth_is_a_solution_of_the_brute_force`` checks the bench itself, without the library:
the generator's truth must be one of the brute force's solutions.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bench.quirks import FORMAT_SUFFIX, evidence_readings, make_document, rule_to_vector, table_oracle, write_document

#: Shrinking a failure through the CLI takes minutes; CI reports the first failing document as generated
#: (it prints the document). QUIRKS_SHRINK=1 shrinks it to a minimal one.
PHASES = tuple(Phase) if os.environ.get("QUIRKS_SHRINK") else (Phase.explicit, Phase.reuse, Phase.generate)
QUICK = settings(max_examples=100, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])


def run_recover(doc: Path, rules: Path, out: Path) -> tuple[int, str]:
    """Run the real CLI in-process; return (exit status, stderr)."""
    from recover.cli import main

    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        status = main(["run", str(doc), "--rules", str(rules), "--out", str(out), "--no-validate"])
    return status, err.getvalue()


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def reading(values: list) -> tuple:
    return tuple(None if v is None else int(v) for v in values)


def violations(folder: Path, doc_id: str, fmt: str) -> list[str]:
    """Given a written quirky document, run recover on one rendering; return every property it breaks."""
    rules, doc = folder / f"{doc_id}.yaml", folder / f"{doc_id}{FORMAT_SUFFIX[fmt]}"
    truth = json.loads((folder / f"{doc_id}.truth.json").read_text(encoding="utf-8"))
    out = folder / f"out-{fmt}"
    status, err = run_recover(doc, rules, out)
    assert status in (0, 1), err
    bad: list[str] = []
    for table_id, table in truth["tables"].items():
        columns = table["columns"]
        published: dict[str, list[list[str]]] = {}
        for row in read_csv(out / f"{table_id}.csv")[1:]:
            published.setdefault(row[0], []).append(row[1:])
        prov = [
            dict(zip(["line", "page", "raw", "label", "score", "status", "solutions", "alternatives"], r))
            for r in read_csv(out / f"{table_id}.provenance.csv")[1:]
        ]
        labels = {r["label"] for r in table["rows"]}
        for label, rows in published.items():
            if label not in labels and any(c for cells in rows for c in cells):
                bad.append(f"{table_id}: row {label!r}, which the page did not print, published with numbers {rows}")
        for row in table["rows"]:
            label, values = row["label"], row["values"]
            if label not in published:
                bad.append(f"{table_id}: row {label!r} dropped")
                continue
            for cells in published[label]:
                for col, cell, value in zip(columns, cells, values):
                    if value is None and cell != "":
                        bad.append(f"{table_id}: {label!r} {col}: the page printed a blank, published {cell}")
                    elif value is not None and cell not in ("", str(value)):
                        bad.append(f"{table_id}: {label!r} {col}: the page printed {value}, published {cell}")
            true = reading(values)
            for p in prov:
                if p["label"] != label or p["status"] in ("duplicate", "unreadable") or p["solutions"].endswith("+"):
                    continue
                alternatives = {reading(a) for a in json.loads(p["alternatives"] or "[]")}
                if true not in alternatives:
                    bad.append(
                        f"{table_id}: {label!r} ({p['status']}): true reading {list(true)} not among the alternatives {sorted(alternatives, key=repr)}"
                    )
    if bad:
        bad.insert(
            0,
            (folder / f"{doc_id}{FORMAT_SUFFIX[fmt]}").read_text(encoding="utf-8") if fmt != "pdf" else f"(PDF {doc})",
        )
    return bad


def check_rendering(rng: random.Random, fmt: str, small: bool = True) -> None:
    tables, thousands, title = make_document(rng, small=small)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_document(folder, "doc", tables, thousands, title, (fmt,), random.Random(rng.random()))
        bad = violations(folder, "doc", fmt)
        assert not bad, "\n".join(bad)


# ----------------------------------------------------------------------------- the bench itself


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False))
def test_truth_is_a_solution_of_the_brute_force(rng):
    """The generator's truth meets its rules and is a solution of the brute force in every rendering;
    a printed cell (tab field, <td>, PDF cell) reads as exactly one value."""
    tables, thousands, _ = make_document(rng, small=rng.random() < 0.5)
    from bench.quirks import truth_of

    truth = truth_of(tables, thousands)
    for table in truth["tables"].values():
        vectors = [rule_to_vector(r, table["columns"]) for r in table["rules"]]
        for fmt in ("text", "html", "pdf"):
            det, used = table_oracle(table, fmt, thousands)
            for i, row in enumerate(table["rows"]):
                true = reading(row["values"])
                assert true in used[i], (fmt, row)
                if "cells" in row["evidence"][fmt]:
                    assert evidence_readings(row["evidence"][fmt], len(table["columns"]), thousands, vectors) == {true}
            if fmt == "html":
                assert det == [list(reading(r["values"])) for r in table["rows"]]


# ----------------------------------------------------------------------------- through the CLI


@QUICK
@given(st.randoms(use_true_random=False))
def test_text_tables_publish_only_what_the_page_printed(rng):
    """Spaced, tab-separated and fused text rows: no wrong cell, no filled blank, no dropped row, the truth among the alternatives."""
    check_rendering(rng, "text")


@QUICK
@given(st.randoms(use_true_random=False))
def test_html_tables_publish_only_what_the_page_printed(rng):
    """HTML tables (empty <td>, placeholders, a rowspan group label, <sup> marks, a repeated row): the same properties."""
    check_rendering(rng, "html")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_pdf_tables_publish_only_what_the_page_printed(seed):
    """PDF tables drawn cell by cell (undrawn blanks, placeholders drawn as '-'): the same properties, on fixed seeds."""
    check_rendering(random.Random(seed), "pdf", small=False)
