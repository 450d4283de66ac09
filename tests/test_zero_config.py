"""Zero-config: `recover run SOURCE --out DIR` without a rules file, `recover infer`, and the Python API.

Expected values come from the hand-checked expected CSVs (the seed's, and the real-table
fixtures' in tests/real/): zero-config must give the same numbers where it fills a cell,
and never another number.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXPECTED, SEED

REAL = Path(__file__).parent / "real"


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_seed_without_rules_recovers_its_four_tables(run_cli, tmp_path):
    """The seed's four tables, with no rules file: the partial totals row that stands first with the header fused
    into it, labels ending in figures (`3 come 5`), and a totals row meeting three fused columns."""
    out = tmp_path / "o"
    status, stdout, err = run_cli("run", SEED, "--out", out, "--no-validate")
    assert status == 0, err
    assert "138 of 138 cells recovered" in stdout
    for i, table in enumerate(["case_type_status", "age_race", "state", "cvip_requests"], start=1):
        want = [r[1:] for r in _rows(EXPECTED / f"{table}.csv")[1:]]
        got = [r[1:] for r in _rows(out / f"table_{i}.csv")[1:]]
        assert got == want, table
    age = _rows(out / "table_2.csv")
    assert age[0] == [
        "age_group",
        "native_american",
        "asian",
        "multiracial",
        "black",
        "hispanic",
        "pacific_islander",
        "white",
        "unknown",
        "total",
    ]
    assert [r[0] for r in age[1:4]] == [
        "Total",
        "Less 보다 1 come 2",
        "3 come 5",
    ]  # the labels as printed, figures included
    rules = (out / "inferred-rules.yaml").read_text()
    assert "total = sum(native_american..unknown)" in rules and "complete: false" in rules
    assert "# holds on all 8 rows" in rules  # each inferred rule says what evidence adopted it


def test_inferred_rules_pass_check_and_reproduce_the_csvs(run_cli, tmp_path):
    """`--rules DIR/inferred-rules.yaml` gives byte for byte the same CSVs; `recover infer` writes the same file."""
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("run", SEED, "--out", first, "--no-validate")[0] == 0
    inferred = first / "inferred-rules.yaml"
    assert run_cli("check", inferred)[0] == 0
    assert run_cli("run", SEED, "--rules", inferred, "--out", second, "--no-validate")[0] == 0
    csvs = sorted(p.name for p in first.glob("*.csv"))
    assert csvs == sorted(p.name for p in second.glob("*.csv")) and len(csvs) == 9
    for name in csvs:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    status, stdout, _ = run_cli("infer", SEED)
    assert status == 0 and stdout == inferred.read_text()
    status, stdout, _ = run_cli("infer", SEED, "-o", tmp_path / "r.yaml")
    assert status == 0 and (tmp_path / "r.yaml").read_text() == inferred.read_text()


def test_run_without_rules_or_source_is_a_usage_error(run_cli, tmp_path):
    status, _, err = run_cli("run", "--out", tmp_path / "o")
    assert status == 2
    assert err == "recover run: no SOURCE given and no rules file (--rules FILE) to take one from [usage]\n"
    assert not (tmp_path / "o").exists()


REAL_FIXTURES = sorted(p.name for p in REAL.iterdir() if (p / "expected").is_dir())


@pytest.mark.parametrize("name", REAL_FIXTURES)
def test_zero_config_on_real_tables_never_publishes_a_wrong_number(run_cli, tmp_path, name):
    """Every real-table fixture without its rules: each table zero-config reads gives the hand-written numbers
    wherever it fills a cell (rows in source order), and a table it cannot pin down is reported, not guessed."""
    if name == "schools_pdf":
        from tests.test_real_tables import build_schools_pdf

        doc = build_schools_pdf(tmp_path / "schools.pdf")
    else:
        (doc,) = sorted((REAL / name).glob("document.*"))
    out = tmp_path / "o"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status in (0, 1), err
    got = {p.name: _rows(p)[1:] for p in out.glob("table_*.csv") if not p.name.endswith(".provenance.csv")}
    for exp in sorted((REAL / name / "expected").glob("*.csv")):
        if exp.name == "facts.csv":
            continue
        want = _rows(exp)[1:]
        same_shape = [g for g in got.values() if len(g) == len(want) and len(g[0]) == len(want[0])]
        for g in same_shape:
            wrong = [(w[0], j) for gr, w in zip(g, want) for j, (a, b) in enumerate(zip(gr[1:], w[1:])) if a and a != b]
            filled = sum(1 for gr in g for a in gr[1:] if a)
            if filled and not wrong:
                break
        else:
            # not read (reported), or read with another shape: then no cell may be published at all for it
            assert not same_shape or all(not a for g in same_shape for gr in g for a in gr[1:]), (exp.name, same_shape)
            assert "not read" in err or not same_shape, err


def test_python_api_reads_tables_as_dataframes():
    """recover.read: DataFrames with the label as index, nullable integers, the report; recover.infer: the rules."""
    import pandas as pd

    import recover

    result = recover.read(SEED, rules=Path(__file__).parent.parent / "rules" / "ncmec-2020.yaml")
    state = result.tables["state"]
    assert state.index.name == "state" and str(state["active"].dtype) == "Int64"
    assert state.loc["New York"].tolist() == [143, 2359, 2502]
    assert result.facts["cases_assisted_2020"] == 29782 and result.complete and result.report == []
    assert result.provenance["state"].iloc[0]["status"] == "recovered"

    zero = recover.read(str(REAL / "budget_html" / "document.html"))
    table = zero.tables["table_1"]
    assert table.isna().any().any()  # the page's blank cells are NA, never filled
    rules = recover.infer(str(SEED))
    assert len(rules.tables) == 4 and rules.text.startswith("# Rules inferred by recover")
    tenure = recover.read(str(REAL / "tenure_percent" / "document.txt")).tables["table_1"]
    from decimal import Decimal

    assert tenure.loc["Owner occupied", "share"] == Decimal("64.60") and pd.isna(pd.NA)


# ----------------------------------------------------------------------------- property: inferred rules are true


@st.composite
def ruled_tables(draw):
    """A table with a known sum rule (last = sum of the others), rendered with its rows run together."""
    k = draw(st.integers(3, 5))
    n = draw(st.integers(4, 12))
    rows = []
    for i in range(n):
        body = [draw(st.integers(0, 40_000)) for _ in range(k - 1)]
        rows.append((f"Area {chr(65 + i)}{chr(97 + i)}", body + [sum(body)]))
    return k, rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ruled_tables())
def test_inferred_rules_are_true_and_strong_rules_are_found(tmp_path_factory, table):
    """Tables with a known rule, rendered run together: an inferred rule is never false on the truth, and a sum
    over 3+ columns holding on 10+ rows is found."""
    from recover.inference import document_to_rules_text
    from recover.model import Document, Line, Source

    k, rows = table
    text = ["Cases by area", "Area " + " ".join(f"C{j}" for j in range(1, k + 1))]
    text += [label + "".join(f"{v:,}" for v in values) for label, values in rows]
    doc = Document(Source(b"", "text", "0" * 64, "t.txt", "t"), tuple(Line(t, i + 1) for i, t in enumerate(text)))
    rules_text, _ = document_to_rules_text(doc)
    import yaml

    data = yaml.safe_load(rules_text)
    for t in data["tables"]:
        cols = t["columns"]
        if len(cols) != k:
            assert not t.get("row_rules"), "a rule was adopted under a wrong column count"
            continue
        for rule in t.get("row_rules", []):
            target, expr = (s.strip() for s in rule.split("="))
            for _, values in rows:
                v = dict(zip(cols, values))
                if expr.startswith("sum("):
                    a, b = expr[4:-1].split("..")
                    total = sum(v[c] for c in cols[cols.index(a) : cols.index(b) + 1])
                elif " - " in expr:
                    a, b = expr.split(" - ")
                    total = v[a] - v[b]
                else:
                    total = sum(v[c.strip()] for c in expr.split("+"))
                assert v[target] == total, (rule, values)
    long_rows = sum(1 for _, vs in rows if sum(len(f"{x:,}") - f"{x:,}".count(",") for x in vs) >= k + 3)
    if k >= 3 and len(rows) >= 10 and long_rows >= 10:
        assert any(len(t["columns"]) == k and t.get("row_rules") for t in data["tables"]), rules_text


def test_a_control_character_in_a_label_still_gives_loadable_rules(run_cli, tmp_path):
    """The fuzz harness found it: a C1 control character (U+0086) in a label made the inferred rules a YAML file our own
    loader refused (`inferred-rules.yaml:32: not valid YAML`); such characters are now escaped in the file."""
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "Cases by area\nArea A B Total\nNorth\u0086 1,234 5,678 6,912\nSouth 2,000 3,000 5,000\nEast 10 20 30\nWest 7 8 15\n",
        encoding="utf-8",
    )
    status, _, err = run_cli("run", doc, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, err
    assert "\\u0086" in (tmp_path / "o" / "inferred-rules.yaml").read_text()
    assert run_cli("check", tmp_path / "o" / "inferred-rules.yaml")[0] == 0
