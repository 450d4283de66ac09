"""The command line, through the real entry point: user errors verbatim, exit codes, atomic outputs.

Each bad input gets one line naming the file (and line, key or bound), exit 2, and no
output folder; a completed run that could not recover everything exits 1 with one line
per table.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import EXPECTED, SEED, SEED_RULES

MINIMAL = """\
document: tiny
tables:
  - id: t
    label: {column: name}
    columns: [a, b, c]
    row_rules: [c = a + b]
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            MINIMAL.replace("columns:", "colums:"),
            [
                "{f}:3: tables[0].columns: required key is missing [rules-bad-value]",
                "{f}:5: tables[0].colums: unknown key [rules-unknown-key]",
            ],
        ),
        (MINIMAL + "extra: 1\n", ["{f}:7: extra: unknown key [rules-unknown-key]"]),
        (
            # a table with no column at all; only a printed table of codes may have text columns only
            MINIMAL.replace("[a, b, c]", "[]").replace("    row_rules: [c = a + b]\n", ""),
            [
                "{f}:5: tables[0].columns: a table needs at least one column (only a printed table of codes may have "
                "text columns only) [rules-bad-value]"
            ],
        ),
        (
            # what a blank adds to the totals: two words only
            MINIMAL + "    totals: {row: Total, blanks: zero}\n",
            ["{f}:7: tables[0].totals.blanks: 'zero' is not one of 'unknown' or 'nothing' [rules-bad-value]"],
        ),
        (
            MINIMAL.replace("id: t", "id: ../etc"),
            ["{f}:3: tables[0].id: '../etc' does not match ^[a-z0-9_]+$ [rules-bad-value]"],
        ),
        (
            MINIMAL.replace("id: t", "id: a/b"),
            ["{f}:3: tables[0].id: 'a/b' does not match ^[a-z0-9_]+$ [rules-bad-value]"],
        ),
        (
            MINIMAL.replace("id: t", "id: facts"),
            ["{f}:3: tables[0].id: 'facts' is reserved (it names another output file) [rules-bad-value]"],
        ),
        (
            MINIMAL.replace("[a, b, c]", "a"),
            ["{f}:5: tables[0].columns: Input should be a valid list [rules-bad-value]"],
        ),
        (
            MINIMAL.replace("c = a + b", "c = a + d"),
            ["{f}:6: tables[0].row_rules[0]: unknown column 'd' (columns: a, b, c) [rules-bad-expression]"],
        ),
        (
            MINIMAL.replace("c = a + b", "c = a ** b"),
            ["{f}:6: tables[0].row_rules[0]: 'c = a ** b': unexpected '*' at column 7 [rules-bad-expression]"],
        ),
        (
            MINIMAL.replace("c = a + b", "__import__('os').system('id')"),
            [
                "{f}:6: tables[0].row_rules[0]: '__import__('os').system('id')': unexpected '(' at column 11 [rules-bad-expression]"
            ],
        ),
        (
            "document: !!python/object/apply:os.system ['echo pwned']\ntables: []\n",
            ["{f}:1: document: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed [rules-bad-value]"],
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
            ["{f}:2: not valid YAML: anchors and aliases are not allowed in a rules file [rules-syntax]"],
        ),
        ("document: x\n  bad: [\n", ["{f}:2: not valid YAML: mapping values are not allowed here [rules-syntax]"]),
        ("", ["{f}:1: the rules file is empty [rules-invalid]"]),
        (
            "- just\n- a list\n",
            ["{f}:1: (top): a rules file is a mapping of keys (document, tables, ...) [rules-bad-value]"],
        ),
        (
            MINIMAL + "number_format: {thousands: ',', decimal: ','}\n",
            ["{f}:7: number_format: decimal and thousands separators must differ [rules-bad-value]"],
        ),
        (
            MINIMAL + "    overrides:\n      Nobody: {z: 1}\n",
            ["{f}:8: tables[0].overrides.Nobody.z: unknown column 'z' [rules-bad-value]"],
        ),
    ],
)
def test_bad_rules_file_is_one_line_per_problem(run_cli, tmp_path, body, expected):
    f = write(tmp_path, "rules.yaml", body)
    status, _out, err = run_cli("check", f)
    assert status == 2
    assert err.splitlines() == [e.format(f=f) for e in expected]
    assert "Traceback" not in err


def test_check_accepts_the_seed_rules(run_cli):
    status, out, err = run_cli("check", SEED_RULES)
    assert (status, err) == (0, "")
    assert out == f"{SEED_RULES}: ok (4 tables, 22 facts)\n"


def test_missing_rules_file_is_named(run_cli, tmp_path):
    status, _, err = run_cli("check", tmp_path / "nope.yaml")
    assert status == 2 and err == f"{tmp_path / 'nope.yaml'}: no such file [source-missing]\n"


def test_run_without_out_is_a_usage_error(run_cli):
    status, _, err = run_cli("run", SEED, "--rules", SEED_RULES)
    assert status == 2 and err == "recover run: Missing option '--out'. [usage]\n"


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("missing.txt", None, "{f}: no such file [source-missing]"),
        ("empty.txt", b"  \n\n", "{f}: not a document: the document is empty [source-not-a-document]"),
        (
            "binary.txt",
            bytes(range(256)) * 40,
            "{f}: not a document: binary data, not text, HTML or PDF [source-not-a-document]",
        ),
    ],
)
def test_unreadable_source_exits_2_and_writes_nothing(run_cli, tmp_path, name, data, expected):
    f = tmp_path / name
    if data is not None:
        f.write_bytes(data)
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 2
    assert err == expected.format(f=f) + "\n"
    assert not (tmp_path / "o").exists()


def test_latin1_text_is_decoded(run_cli, tmp_path):
    text = (
        SEED.read_text(encoding="utf-8").replace("보다", "than").replace("’", "'").replace("“", '"').replace("”", '"')
    )
    f = tmp_path / "latin1.txt"
    f.write_bytes(text.encode("latin-1"))
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, err
    assert (tmp_path / "o" / "state.csv").read_bytes() == (EXPECTED / "state.csv").read_bytes()


def test_two_million_digit_row_is_bounded_and_reported(run_cli, tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "Family Abduction2871,1091,396", "Family Abduction" + "7" * 2_000_000
    )
    f = tmp_path / "huge-row.txt"
    f.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 1
    assert err.splitlines() == [
        f"{f}: table case_type_status: 3 of 15 cells left empty (1 too_ambiguous rows): "
        "digit run of 2,000,000 characters exceeds the bound of 2,000 (DEFAULT_MAX_RUN_CHARS)"
    ]
    assert (tmp_path / "o" / "age_race.csv").read_bytes() == (EXPECTED / "age_race.csv").read_bytes()
    assert "Family Abduction,,," in (tmp_path / "o" / "case_type_status.csv").read_text()


def test_300000_lines_are_read_and_bounded(run_cli, tmp_path):
    text = SEED.read_text(encoding="utf-8") + "\n" + "Lorem ipsum 123 dolor sit amet\n" * 300_000
    f = tmp_path / "long.txt"
    f.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert (status, err) == (0, "")


def test_a_table_not_found_exits_1_with_its_header_alone(run_cli, tmp_path):
    f = tmp_path / "no-tables.txt"
    f.write_text("Nothing here but prose.\nAnd more prose.\n", encoding="utf-8")
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 1
    assert f"{f}: table state: no line matches its title and header" in err.splitlines()
    assert (tmp_path / "o" / "state.csv").read_text() == "state,active,resolved,total\n"
    assert len([l for l in err.splitlines() if l.startswith(f"warning: {f}: fact ")]) == 22


def test_unsatisfiable_row_is_reported(run_cli, tmp_path):
    """A row whose digits cannot meet total = active + resolved is left empty and says so."""
    text = SEED.read_text(encoding="utf-8").replace("New Mexico1888106", "New Mexico1888107")
    f = tmp_path / "bad-row.txt"
    f.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("run", f, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 1
    assert err.splitlines() == [
        f"{f}: table state: 3 of 36 cells left empty (1 unsatisfiable rows): its digits cannot be read as 3 numbers meeting the row rules"
    ]
    prov = (tmp_path / "o" / "state.provenance.csv").read_text().splitlines()
    assert any(l.startswith("58,,New Mexico1888107,New Mexico,100,unsatisfiable,0,[],[],,") for l in prov)


def test_override_pins_a_cell_and_marks_the_row_corrected(run_cli, tmp_path):
    rules = SEED_RULES.read_text().replace(
        '    totals:\n      known: {total: 29782}       # "NCMEC',
        '    overrides:\n      Missing Young Adult: {active: 75}\n    totals:\n      known: {total: 29782}       # "NCMEC',
    )
    r = tmp_path / "rules.yaml"
    r.write_text(rules.replace("source: ../samples", f"source: {SEED.parent.parent}"), encoding="utf-8")
    status, _out, err = run_cli("run", SEED, "--rules", r, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, err
    prov = (tmp_path / "o" / "case_type_status.provenance.csv").read_text()
    assert ',Missing Young Adult,100,corrected,1,"[[75,921,996]]"' in prov
    # an override the digits disagree with makes the row unsatisfiable
    r.write_text(rules.replace("{active: 75}", "{active: 76}"), encoding="utf-8")
    status, _out, err = run_cli("run", SEED, "--rules", r, "--out", tmp_path / "o2", "--no-validate")
    assert status == 1
    assert "Missing Young Adult,,," in (tmp_path / "o2" / "case_type_status.csv").read_text()


def test_several_sources_each_get_a_folder(run_cli, tmp_path):
    a = tmp_path / "a" / "Report 2020.txt"
    b = tmp_path / "b" / "Report 2020.txt"
    for p in (a, b):
        p.parent.mkdir()
        p.write_bytes(SEED.read_bytes())
    status, _out, err = run_cli("run", a, b, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")) == [
        "report-2020",
        "report-2020-2",
    ]
    assert (tmp_path / "o" / "report-2020-2" / "state.csv").read_bytes() == (EXPECTED / "state.csv").read_bytes()


def test_a_failed_run_leaves_the_previous_outputs_whole(run_cli, tmp_path):
    out = tmp_path / "o"
    assert run_cli("run", SEED, "--rules", SEED_RULES, "--out", out, "--no-validate")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, _, _err = run_cli(
        "run", SEED, tmp_path / "missing.txt", "--rules", SEED_RULES, "--out", out, "--no-validate"
    )
    assert status == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".o.")] == []


def test_an_error_while_publishing_leaves_the_previous_outputs_whole(run_cli, tmp_path, monkeypatch):
    """The publish stage fails after writing some files: the staging folder goes, the old set stays."""
    out = tmp_path / "o"
    assert run_cli("run", SEED, "--rules", SEED_RULES, "--out", out, "--no-validate")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import recover.publish as publish

    real = publish.solution_to_provenance_csv
    calls = []

    def failing(sol, *more):
        calls.append(sol.table_id)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(sol, *more)

    monkeypatch.setattr(publish, "solution_to_provenance_csv", failing)
    status, _, err = run_cli("run", SEED, "--rules", SEED_RULES, "--out", out, "--no-validate")
    assert status == 70 and "No space left on device" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "o"] == []


def test_a_killed_run_leaves_the_previous_outputs_whole(tmp_path):
    """SIGKILL while the new set is being written: the old folder is untouched."""
    out = tmp_path / "o"
    cmd = [
        sys.executable,
        "-m",
        "recover.cli",
        "run",
        str(SEED),
        "--rules",
        str(SEED_RULES),
        "--out",
        str(out),
        "--no-validate",
    ]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    slow = tmp_path / "slow.py"
    slow.write_text(
        "import os, signal, sys, recover.publish as p\n"
        "real = p.write_bytes\n"
        "def w(folder, name, data):\n"
        "    real(folder, name, data)\n"
        "    if name.endswith('provenance.csv'): os.kill(os.getpid(), signal.SIGKILL)\n"
        "p.write_bytes = w\n"
        "from recover.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run([sys.executable, str(slow)] + cmd[3:], capture_output=True)
    assert proc.returncode == -9
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_refuses_to_replace_a_folder_it_did_not_write(run_cli, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    status, _, err = run_cli("run", SEED, "--rules", SEED_RULES, "--out", out, "--no-validate")
    assert status == 2
    assert (
        err
        == f"{out}: refusing to replace a folder that is not empty and was not written by recover [output-refused]\n"
    )
    assert (out / "thesis.tex").read_text() == "years of work"


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "recover"
    proc = subprocess.run([str(script), "check", str(SEED_RULES)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_decimal_numbers_keep_their_written_precision(run_cli, tmp_path):
    """Checked by hand: 12.5 + 4.5 = 17.0, 3.25 + 9.75 = 13.00; columns add to 15.75, 14.25, 30.00."""
    doc = write(
        tmp_path,
        "rates.txt",
        """\
        Table 4: Rates per 1,000 children
        Region Urban Rural Total
        North Region12.54.517.0
        South Region3.259.7513.00
        Total15.7514.2530.00
        """,
    )
    rules = write(
        tmp_path,
        "rules.yaml",
        """\
        document: rates
        number_format: {thousands: ",", decimal: "."}
        tables:
          - id: rates
            title: "Table 4: Rates per 1,000 children"
            header: "Region Urban Rural Total"
            label: {column: region, values: [North Region, South Region, Total]}
            columns: [urban, rural, total]
            row_rules: [total = urban + rural]
            totals: {row: Total}
        """,
    )
    status, _out, err = run_cli("run", doc, "--rules", rules, "--out", tmp_path / "o")
    assert (status, err) == (0, "")
    assert (tmp_path / "o" / "rates.csv").read_text() == (
        "region,urban,rural,total\nNorth Region,12.5,4.5,17.0\nSouth Region,3.25,9.75,13.00\nTotal,15.75,14.25,30.00\n"
    )


def test_repeated_rows_are_one_warning_per_table(run_cli, tmp_path):
    """Cause: every identical repeat of a row was warned of on its own line, so a table printing one row 30 times
    flooded stderr with 30 warnings. The CLI now says them once per table: how many, and the first few lines."""
    rows = ["North Region 12 4 16"] * 30
    doc = tmp_path / "counts.txt"
    doc.write_text(
        "\n".join(["Table 4: Counts", "Region Urban Rural Total", "North Region 12 4 16", "South Region 3 9 12"])
        + "\n"
        + "\n".join(rows)
        + "\nTotal 15 13 28\n",
        encoding="utf-8",
    )
    rules = write(
        tmp_path,
        "rules.yaml",
        """\
        document: counts
        tables:
          - id: counts
            title: "Table 4: Counts"
            header: "Region Urban Rural Total"
            label: {column: region, values: [North Region, South Region, Total]}
            columns: [urban, rural, total]
            row_rules: [total = urban + rural]
            totals: {row: Total}
        """,
    )
    status, _out, err = run_cli("run", doc, "--rules", rules, "--out", tmp_path / "o", "--no-validate")
    assert (status, err.splitlines()) == (
        0,
        [f"warning: {doc}: table counts: 30 repeated rows published once (lines 5, 6, 7, …)"],
    )
    assert (tmp_path / "o" / "counts.csv").read_text() == (
        "region,urban,rural,total\nNorth Region,12,4,16\nSouth Region,3,9,12\nTotal,15,13,28\n"
    )
    prov = (tmp_path / "o" / "counts.provenance.csv").read_text()
    assert prov.count(",duplicate,") == 30


def test_paths_are_normalised_and_the_package_names_its_source_from_its_own_folder(run_cli, tmp_path, monkeypatch):
    """Issue 18, bug: the rules' `source: ../samples/…` printed as `rules/../samples/…` in the CLI, Prefect's logs and
    artifacts and datapackage.json, whose `sources.path` was relative to where the run started (wrong from anywhere
    else). Paths are normalised, and the package's paths are relative to its own folder."""
    import json
    import os

    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    out = tmp_path / "o"
    status, stdout, _ = run_cli("run", "--rules", "rules/ncmec-2020.yaml", "--out", out, "--no-validate")
    assert status == 0
    assert stdout.startswith("samples/ncmec-2020/ncmec-2020-impact-spun.txt: 4 tables, 138 of 138 cells recovered")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    source, rules = package["sources"][0], package["recover:rules"]
    assert source["title"] == "samples/ncmec-2020/ncmec-2020-impact-spun.txt"
    assert (out / source["path"]).resolve() == ROOT / "samples" / "ncmec-2020" / "ncmec-2020-impact-spun.txt"
    assert (out / rules["path"]).resolve() == ROOT / "rules" / "ncmec-2020.yaml"
    assert source["path"] == os.path.relpath(ROOT / "samples/ncmec-2020/ncmec-2020-impact-spun.txt", out)
