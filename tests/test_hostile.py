"""Hostile documents, round 2 (issue 19): names and text from a document are data wherever they go.

Each test builds its input as the issue describes and runs it through the CLI; its docstring
says what went wrong before. The escaping functions (``recover.escape``: one per target) are
round-trip tested over arbitrary Unicode with Hypothesis.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.escape import text_to_folder_name, text_to_markdown, text_to_yaml, text_to_yaml_comment, text_to_yaml_key

WARDS = """Ward report

Cases by ward
Ward Opened Closed Total
Northgate 5 7 12
Westgate 2 11 13
Eastgate 3 4 7
Total 10 22 32
"""

#: Every character YAML or the file system treats specially, and the ones the issue found.
HOSTILE = "\u2028\u2029\x85\x00\x01\x7f\x9b\ufffe\ufeff\ud800\n\r\t#:'\"\\{}[]|>&*!%@` -?,./"


# ----------------------------------------------------------------------------- the escaping functions


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None) | st.sampled_from(HOSTILE), max_size=60))
def test_yaml_scalar_and_comment_round_trip(text):
    """Write a text as a scalar, a key and a comment, load the YAML back: the same text, and nothing else.

    Before, a label holding U+2028 or U+0085 was written raw in a double-quoted scalar (YAML
    folds a line break in one to a space: two labels became one, `repeated value(s)`) and raw in
    a comment (YAML ends the comment there: the rest became keys of the rules file)."""
    doc = f"k: {text_to_yaml(text)}    # {text_to_yaml_comment(text)}\n{text_to_yaml_key(text)}: 1\n"
    loaded = yaml.load(doc, Loader=yaml.SafeLoader)
    expected = {"k": text, text: 1} if text != "k" else None
    if expected is not None:
        assert loaded == expected
    assert "\n" not in text_to_yaml_comment(text) and "\u2028" not in text_to_yaml_comment(text)


@pytest.mark.parametrize("label", ["Yes", "No", "null", "~", "2019", "on", "1_000", "0x1F", ".inf", "- x", "True"])
def test_yaml_11_bare_scalars_are_quoted_as_keys(label):
    """`Yes`, `No`, `null`, `~`, `2019` written bare are read back by YAML 1.1 as a boolean, None, an int."""
    assert text_to_yaml_key(label).startswith('"')
    assert yaml.safe_load(f"{text_to_yaml_key(label)}: 1") == {label: 1}


def test_ordinary_labels_stay_plain_keys():
    assert [text_to_yaml_key(x) for x in ["Westgate", "Less than 1", "São Paulo"]] == [
        "Westgate",
        "Less than 1",
        "São Paulo",
    ]


@given(st.text(max_size=40))
def test_folder_names_are_safe(text):
    """A folder name from a document's stem is never `.`, `..`, empty, nor holds a separator or a line break."""
    name = text_to_folder_name(text)
    assert name and name not in (".", "..") and set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789_-")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=40))
def test_markdown_escaping_renders_the_text_in_one_table_cell(text):
    """A label in the Prefect summary table renders as its own text, in its own cell: `a | b` split the row,
    `<img onerror=…>` and `[x](javascript:…)` passed through."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(f"| a | b |\n| --- | --- |\n| {text_to_markdown(text)} | z |\n")
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4
    rendered = "".join(c.content if c.type == "text" else "" for c in cells[2].children or [])
    others = [c.type for c in cells[2].children or [] if c.type not in ("text", "softbreak")]
    assert not others, others  # no link, image, emphasis, html
    assert rendered == " ".join(text.split())
    assert cells[3].content == "z"


# ----------------------------------------------------------------------------- security: names and rules


def _flow_batch(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_HOME": str(folder.parent / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "recover.cli", "flow", "batch", str(folder), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_a_batch_document_named_dot_dot_writes_inside_out(tmp_path):
    """`recover flow batch in --out p/out` with one document `...txt` (stem `..`): its outputs were swapped into
    `p/`, the parent of --out, and `p/out` was never created (a single document's folder name was its raw stem;
    only two or more went through `document_names`). Now every name goes through one sanitiser."""
    folder, parent = tmp_path / "in", tmp_path / "p"
    folder.mkdir()
    (folder / "...txt").write_text(WARDS, encoding="utf-8")
    done = _flow_batch(folder, parent / "out", "--no-validate")
    assert done.returncode in (0, 1), done.stderr
    assert sorted(p.name for p in parent.iterdir()) == ["out"]
    assert (parent / "out" / "--" / "table_1.csv").is_file()


def test_batch_items_never_name_a_folder_dot_or_data_docs(tmp_path):
    """`..txt` (stem `.`) landed in OUT itself; `_data_docs.txt` alone was published to OUT/_data_docs/, then
    replaced by the shared Data Docs site (no table anywhere, exit 0)."""
    from recover.flows.cli import batch_items

    for name, folder_name in [
        ("..txt", "-"),
        ("...txt", "--"),
        ("_data_docs.txt", "_data_docs-2"),
        ("a\nb.txt", "a-b"),
    ]:
        folder = tmp_path / f"in-{len(folder_name)}-{folder_name}"
        folder.mkdir()
        (folder / name).write_text(WARDS, encoding="utf-8")
        assert [i.rpartition("::")[2] for i in batch_items(folder)] == [folder_name]


def test_a_file_name_with_line_breaks_adds_no_key_to_the_inferred_rules(run_cli, tmp_path):
    """The source's file name lands in the first comment of inferred-rules.yaml: a newline (or U+2028) in it ended
    the comment, and `source: evil.txt` and `schedule: "* * * * *"` became top-level keys of the document's rules."""
    doc = tmp_path / 'w\nsource: evil.txt\nschedule: "* * * * *"\n#.txt'
    doc.write_text(WARDS, encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 0, err
    data = yaml.safe_load((out / "inferred-rules.yaml").read_text(encoding="utf-8"))
    assert sorted(data) == ["document", "number_format", "tables"]
    assert run_cli("check", out / "inferred-rules.yaml")[0] == 0


def test_a_totals_label_with_u2028_adds_no_known_total(run_cli, tmp_path):
    """A totals label holding U+2028 landed raw in the comment saying what adopted the totals row: YAML ended the
    comment there, so `known: {total: 5}` after it became a rule of the table (no cell of `total` recovered)."""
    label = "Sum\u2028      known: {total: 5}\u2028# Total"
    doc = tmp_path / "wards.txt"
    doc.write_text(
        "Cases by ward\nWard Opened Closed Total\nNorthgate 5 7 12\nWestgate 2 11 13\nEastgate 3 4 7\n"
        f"{label} 10 22 32\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 0, err
    rules = yaml.safe_load((out / "inferred-rules.yaml").read_text(encoding="utf-8"))
    assert rules["tables"][0]["totals"] == {"row": label, "complete": True}
    assert (out / "table_1.csv").read_text(encoding="utf-8").splitlines()[:4] == [
        "ward,opened,closed,total",
        "Northgate,5,7,12",
        "Westgate,2,11,13",
        "Eastgate,3,4,7",
    ]


def test_labels_that_fold_or_yaml_refuses_still_give_loadable_rules(run_cli, tmp_path):
    """Labels with U+2028, U+0085, U+FFFE, U+009B, U+007F: `inferred-rules.yaml` could not be loaded back (YAML folds
    a raw line break in a double-quoted scalar to a space: `North\u2028East` and `North East` became one label,
    `repeated value(s)`), and a readable document was refused with exit 2."""
    doc = tmp_path / "wards.txt"
    doc.write_text(
        "Cases by ward\nWard Opened Closed Total\nNorth\u2028East 5 7 12\nNorth East 2 11 13\n"
        "West\x85Side 3 4 7\nWest Side 1 1 2\nOdd\ufffe 2 2 4\nCsi\x9b 1 2 3\nDel\x7f 3 3 6\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 0, err
    assert (out / "table_1.csv").read_text(encoding="utf-8") == (
        "ward,opened,closed,total\nNorth\u2028East,5,7,12\nNorth East,2,11,13\nWest\x85Side,3,4,7\n"
        "West Side,1,1,2\nOdd\ufffe,2,2,4\nCsi\x9b,1,2,3\nDel\x7f,3,3,6\n"
    )
    assert run_cli("check", out / "inferred-rules.yaml")[0] == 0
    status, _, err = run_cli("run", doc, "--rules", out / "inferred-rules.yaml", "--out", tmp_path / "again")
    assert status == 0, err
    assert (tmp_path / "again" / "table_1.csv").read_bytes() == (out / "table_1.csv").read_bytes()


def test_a_document_without_tables_writes_no_rules_file_and_says_so(run_cli, tmp_path):
    """`inferred-rules.yaml` with no table (`tables: []`) failed `recover check`: a file that loads, or none."""
    doc = tmp_path / "prose.txt"
    doc.write_text("Nothing here but words.\nAnd more words.\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 1
    assert f"{doc}: no table read: no inferred-rules.yaml written" in err.splitlines()
    assert not (out / "inferred-rules.yaml").exists()
    status, stdout, err = run_cli("infer", doc, "-o", tmp_path / "r.yaml")
    assert (status, stdout) == (1, "") and not (tmp_path / "r.yaml").exists()
    assert f"{doc}: no table read: no inferred-rules.yaml written" in err.splitlines()


def test_a_table_over_the_loaders_column_bound_is_not_read_and_the_others_are(run_cli, tmp_path):
    """A table of 250 columns was written into inferred-rules.yaml, which the loader refuses (200 columns at
    most): the whole document failed. It is left out with one line naming the bound; the other table is read."""
    wide = "<tr><th>Where</th>" + "".join(f"<th>c{j}</th>" for j in range(250)) + "</tr>"
    wide += "".join("<tr><td>" + x + "</td>" + "<td>1</td>" * 250 + "</tr>" for x in ["North", "South", "East"])
    small = "<tr><th>Where</th><th>A</th></tr><tr><td>North</td><td>4</td></tr><tr><td>South</td><td>5</td></tr>"
    doc = tmp_path / "page.html"
    doc.write_text(f"<html><body><table>{wide}</table><p>and</p><table>{small}</table></body></html>")
    out = tmp_path / "out"
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 1
    assert "250 columns exceed the bound of 200 (DEFAULT_MAX_RULES_COLUMNS): not read" in err
    assert run_cli("check", out / "inferred-rules.yaml")[0] == 0
    assert (out / "table_1.csv").read_text() == "where,a\nNorth,4\nSouth,5\n"


# ----------------------------------------------------------------------------- recover review

ANSWERS = "Answers\nAnswer Opened Closed Total\nYes 5 7 12\nNo 2 11 13\nnull 3 4 7\n~ 1 1 2\n2019 4 4 8\nOn 11112\n"
ANSWERS_RULES = """document: answers
tables:
  - id: answers
    title: "Answers"
    label:
      column: answer
      values: ["Yes", "No", "null", "~", "2019", "On"]
    columns: [opened, closed, total]
    row_rules:
      - total = opened + closed
"""


@pytest.fixture
def answers(tmp_path, run_cli):
    doc, rules, out = tmp_path / "answers.txt", tmp_path / "rules.yaml", tmp_path / "out"
    doc.write_text(ANSWERS, encoding="utf-8")
    rules.write_text(ANSWERS_RULES, encoding="utf-8")
    status, _, err = run_cli("run", doc, "--rules", rules, "--out", out, "--no-validate")
    assert status == 1 and "2 of 18 cells left empty (1 ambiguous rows)" in err
    return doc, rules, out


def test_yaml_11_labels_are_quoted_in_decisions(run_cli, answers):
    """Labels `Yes`, `No`, `null`, `~`, `2019` were written bare under overrides: and read back by YAML 1.1 as
    booleans, None, an int: the documented decision could not be written (exit 2)."""
    doc, rules, out = answers
    for label, value in [("Yes", 5), ("No", 2), ("null", 3), ("~", 1), ("2019", 4), ("On", 1)]:
        status, _, err = run_cli("review", out, "--rules", rules, "--pick", f"answers:{label}:opened={value}")
        assert (status, err) == (0, "")
    assert rules.read_text().splitlines()[-7:] == [
        "    overrides:                       # a reviewer's decisions (recover review)",
        '      "Yes": {opened: 5}',
        '      "No": {opened: 2}',
        '      "null": {opened: 3}',
        '      "~": {opened: 1}',
        '      "2019": {opened: 4}',
        '      "On": {opened: 1}',
    ]
    status, _, err = run_cli("run", doc, "--rules", rules, "--out", out, "--no-validate")
    assert (status, err) == (0, "")
    assert (out / "answers.csv").read_text().splitlines()[-1] == "On,1,11,12"


@pytest.mark.parametrize("label", ["Yes", "No", "null", "~", "2019"])
def test_the_review_pages_snippets_load_back_as_the_label(label):
    """The review page's `overrides:` snippets had the same flaw: `Yes: {opened: 5}` pasted is `True: …`."""
    from recover.review import snippet

    assert yaml.safe_load(snippet("answers", label, ["opened"], [5])) == {"overrides": {label: {"opened": 5}}}


def test_review_writes_through_a_symlink_and_keeps_the_mode(run_cli, answers, tmp_path):
    """A rules file that is a symlink was replaced by a regular file, mode 0600 (mkstemp's): the decision was not
    written where the rules live, and a file the team shares became unreadable to it."""
    _doc, rules, out = answers
    kept = tmp_path / "kept"
    kept.mkdir()
    real = kept / "answers.yaml"
    rules.rename(real)
    real.chmod(0o644)
    rules.symlink_to(real)
    status, _, err = run_cli("review", out, "--rules", rules, "--pick", "answers:On:opened=1")
    assert (status, err) == (0, "")
    assert rules.is_symlink() and Path(os.readlink(rules)) == real
    assert real.read_text().endswith('      "On": {opened: 1}\n')
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert sorted(p.name for p in kept.iterdir()) == ["answers.yaml"]


def test_infer_to_a_file_keeps_its_mode(run_cli, tmp_path):
    """`recover infer -o FILE` replaced FILE by a file of mode 0600 (mkstemp's)."""
    doc, target = tmp_path / "wards.txt", tmp_path / "rules.yaml"
    doc.write_text(WARDS, encoding="utf-8")
    target.write_text("old\n")
    target.chmod(0o664)
    assert run_cli("infer", doc, "-o", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o664 and target.read_text().startswith("# Rules inferred")
    fresh = tmp_path / "fresh.yaml"
    assert run_cli("infer", doc, "-o", fresh)[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_three_concurrent_reviews_keep_all_three_decisions(answers):
    """Three concurrent `recover review` runs each said "1 decision(s) written" and the file kept 1 or 2 of the 3:
    each read the file, edited it and replaced it without the others'. The read-modify-replace is locked now."""
    _doc, rules, out = answers
    picks = ["answers:On:opened=1", "answers:Yes:closed=7", "answers:No:closed=11"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "recover.cli", "review", str(out), "--rules", str(rules), "--pick", p],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in picks
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert (p.returncode, err) == (0, "")
    data = yaml.safe_load(rules.read_text())
    assert data["tables"][0]["overrides"] == {"On": {"opened": 1}, "Yes": {"closed": 7}, "No": {"closed": 11}}


def test_a_zero_config_decision_survives_the_rerun_it_suggests(run_cli, tmp_path):
    """The review page of a zero-config run prints `recover review OUT --rules OUT/inferred-rules.yaml …`; the rerun
    it suggests replaced OUT and with it the rules file holding the decision: the decision was deleted. It is
    written beside OUT now (OUT-rules.yaml), and the message says so and names the rerun's --rules."""
    doc, out = tmp_path / "wards.txt", tmp_path / "out"
    doc.write_text(
        "Cases by ward\nWard Opened Closed Total\nNorthgate 5 7 12\nWestgate 21223\nEastgate 3 4 7\n"
        "Southgate 6 2 8\nMidgate 10 5 15\n"
    )
    status, _, err = run_cli("run", doc, "--out", out, "--no-validate")
    assert status == 1, err
    inferred = out / "inferred-rules.yaml"
    before = inferred.read_bytes()
    status, stdout, err = run_cli("review", out, "--rules", inferred, "--pick", "table_1:Westgate:opened=2")
    kept = tmp_path / "out-rules.yaml"
    assert (status, err) == (0, "")
    assert stdout == (
        f"{kept}: 1 decision(s) written to overrides: (not {inferred}, which the next run replaces); "
        f"run again with --rules {kept} to apply them\n"
    )
    assert inferred.read_bytes() == before
    status, _, err = run_cli("run", doc, "--rules", kept, "--out", out, "--no-validate")
    assert "Westgate: {opened: 2}" in kept.read_text()
    with open(out / "table_1.provenance.csv", newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["label"] == "Westgate")
    assert row["status"] == "corrected" and json.loads(row["alternatives"])[0][0] == 2


# ----------------------------------------------------------------------------- exit 70 and wrong data


def test_a_table_of_1200_columns_is_one_line_not_a_recursion_error(run_cli, tmp_path):
    """A tab-separated table of 1,000+ columns: `internal error: RecursionError` in numbers.RowLattice.readings,
    which recursed once per column. The walk is iterative now; a lattice of 1,200 columns costs more than the
    inference's work bound, so the table is not read, with one line naming the bound."""
    cols = 1200
    text = "Wide\n" + "\t".join(["Name"] + [f"c{j}" for j in range(cols)]) + "\n"
    text += "".join("\t".join([r] + ["1"] * cols) + "\n" for r in ["North", "South", "East"])
    doc = tmp_path / "wide.txt"
    doc.write_text(text, encoding="utf-8")
    status, _, err = run_cli("run", doc, "--out", tmp_path / "out", "--no-validate")
    assert status == 1
    assert err.splitlines() == [
        f"{doc}: table at lines 3-5: inferring it took over 1,000,000 steps and 6,000 per row "
        "(DEFAULT_MAX_INFER_WORK): not read",
        f"{doc}: no table read: no inferred-rules.yaml written",
    ]


def test_a_row_lattice_of_1500_cells_reads_without_recursion():
    """The same cause, below the CLI: one reading of 1,500 printed cells, with a rule over all of them."""
    from recover.numbers import NumberFormat, RowLattice, cells_to_pieces

    fmt = NumberFormat()
    pieces = cells_to_pieces(["7"] * 1499 + ["10,493"], fmt)
    assert pieces is not None
    readings, bound = RowLattice(pieces, 1500, fmt).readings([(tuple([1] * 1499 + [-1]), 0)])
    assert (len(readings), bound) == (1, "") and readings[0][-1] == 10_493


def test_rows_whose_labels_are_punctuation_are_one_line_not_a_key_error(run_cli, tmp_path):
    """Labels `.` and `..` under a row, with a Total row, rules without a vocabulary: exit 70 `KeyError` in
    locate.lines_to_region (`..` was taken as the wrapped digits of `.`, itself the wrapped digits of the row above,
    which was not a row any more). The lines join the row above; it is reported, nothing is dropped."""
    doc, rules = tmp_path / "punct.txt", tmp_path / "punct.yaml"
    doc.write_text("Data\nName A B C\nNorth 1 2 3\n. 4 5 9\n.. 1 1 2\nTotal 6 8 14\n", encoding="utf-8")
    rules.write_text(
        'document: punct\ntables:\n  - id: t\n    title: "Data"\n    label: {column: name}\n'
        "    columns: [a, b, c]\n    row_rules: [c = a + b]\n    totals: {row: Total}\n"
    )
    status, _, err = run_cli("run", doc, "--rules", rules, "--out", tmp_path / "out", "--no-validate")
    assert status == 1
    assert (
        err
        == f"{doc}: table t: 3 of 6 cells left empty (1 unreadable rows): its printed numbers cannot be read as 3 cells\n"
    )
    provenance = (tmp_path / "out" / "t.provenance.csv").read_text().splitlines()
    assert provenance[1].startswith("3,,North 1 2 3 / . 4 5 9 / .. 1 1 2,North,,unreadable,0,[]")


def test_a_stated_total_of_5000_digits_is_not_an_internal_error(run_cli, tmp_path):
    """A total stated in the prose with 5,000 digits: exit 70 (`ValueError: Exceeds the limit (4300 digits) for
    integer string conversion`). A number over DEFAULT_MAX_TOKEN_DIGITS is no stated total."""
    doc = tmp_path / "big.txt"
    doc.write_text(
        "Table 1: Cases by ward\nWard Opened Closed Total\nNorthgate 5 7 12\nWestgate 2 11 13\nEastgate 3 4 7\n"
        f"In all, {'9' * 5000} cases were counted in table 1.\n",
        encoding="utf-8",
    )
    status, _, err = run_cli("run", doc, "--out", tmp_path / "out", "--no-validate")
    assert (status, err) == (0, "")
    assert (tmp_path / "out" / "table_1.csv").read_text() == (
        "ward,opened,closed,total\nNorthgate,5,7,12\nWestgate,2,11,13\nEastgate,3,4,7\n"
    )


@pytest.mark.parametrize("sep", [" ", "\t"])
def test_a_row_with_a_16_digit_cell_is_kept_as_unreadable_in_rules_mode(run_cli, tmp_path, sep):
    """Rules mode: a row with a 16-digit cell (over DEFAULT_MAX_TOKEN_DIGITS) was absent from the CSV and the
    provenance, `9 of 9 cells recovered`, exit 0. It is kept, `unreadable`, exit 1 (as zero-config does)."""
    doc, rules = tmp_path / "d16.txt", tmp_path / "d16.yaml"
    rows = [["Northgate", "5", "7", "12"], ["Westgate", "1234567890123456", "1", "1234567890123457"]]
    rows.append(["Eastgate", "3", "4", "7"])
    doc.write_text("Cases by ward\nWard Opened Closed Total\n" + "".join(sep.join(r) + "\n" for r in rows))
    rules.write_text(
        'document: d16\ntables:\n  - id: wards\n    title: "Cases by ward"\n'
        "    label: {column: ward, values: [Northgate, Westgate, Eastgate]}\n"
        "    columns: [opened, closed, total]\n    row_rules: [total = opened + closed]\n"
    )
    status, _, err = run_cli("run", doc, "--rules", rules, "--out", tmp_path / "out", "--no-validate")
    assert status == 1, err
    assert (tmp_path / "out" / "wards.csv").read_text() == (
        "ward,opened,closed,total\nNorthgate,5,7,12\nWestgate,,,\nEastgate,3,4,7\n"
    )
    assert ",Westgate,100,unreadable,0,[]," in (tmp_path / "out" / "wards.provenance.csv").read_text()


def test_a_row_whose_label_has_no_letter_neither_cuts_the_table_nor_relabels_a_row(run_cli, tmp_path):
    """Zero-config: a row whose label has no letter (`~ 21 41 62`) cut the table, and a later printed `West 3 4 7`
    was published as `East` (a second East). The row stays in its table, published as printed, and said so."""
    doc = tmp_path / "regions.txt"
    doc.write_text(
        "Cases by region\nRegion A B Total\nNorth 12 23 35\nSouth 41 52 93\nEast 21 21 42\n~ 21 41 62\nWest 3 4 7\n"
        "Total 98 141 239\n"
    )
    status, _, err = run_cli("run", doc, "--out", tmp_path / "out", "--no-validate")
    assert status == 1
    assert "1 row(s) whose label matches no label value, published as printed (line 6)" in err
    assert (tmp_path / "out" / "table_1.csv").read_text() == (
        "region,a,b,total\nNorth,12,23,35\nSouth,41,52,93\nEast,21,21,42\n~,21,41,62\nWest,3,4,7\nTotal,98,141,239\n"
    )


# ----------------------------------------------------------------------------- bounded zero-config inference


def test_inference_is_bounded_in_work_and_the_other_tables_are_still_read(run_cli, tmp_path):
    """Rows of `RowXY` + 40 random digits, no header, no totals, no rules: 20 such rows took 54 s, 300 ran for 15
    minutes at 1.1 GB and growing (every column count and rule tried on readings without end). Inference now counts
    its steps per table (DEFAULT_MAX_INFER_WORK and DEFAULT_MAX_INFER_ROW_WORK per row): past them the table is not
    read, one line says so, and the document's other table is read."""
    import random
    import time

    rng = random.Random(1)
    noise = "".join(
        f"Row{chr(65 + i // 26)}{chr(65 + i % 26)}" + "".join(rng.choice("0123456789") for _ in range(40)) + "\n"
        for i in range(60)
    )
    doc = tmp_path / "mix.txt"
    doc.write_text(WARDS.replace("Ward report\n\n", "") + "\n\n\n\nNoise\n" + noise, encoding="utf-8")
    started = time.monotonic()
    status, _, err = run_cli("run", doc, "--out", tmp_path / "out", "--no-validate")
    assert time.monotonic() - started < 60
    assert status == 1
    assert err == (
        f"{doc}: table at lines 12-71: inferring it took over 1,000,000 steps and 6,000 per row "
        "(DEFAULT_MAX_INFER_WORK): not read\n"
    )
    assert (tmp_path / "out" / "table_1.csv").read_text() == (
        "ward,opened,closed,total\nNorthgate,5,7,12\nWestgate,2,11,13\nEastgate,3,4,7\nTotal,10,22,32\n"
    )


# ----------------------------------------------------------------------------- markdown, spreadsheets


def test_the_prefect_summary_escapes_labels_for_markdown(tmp_path):
    """`report_to_markdown` (the `recover-summary` artifact) put labels and raw lines into its table as they were:
    `a | b` split the row, `<img onerror=…>` and `[x](javascript:…)` passed through as HTML and a link."""
    from markdown_it import MarkdownIt

    from recover.flows.pipeline import report_to_markdown
    from recover.pipeline import run

    labels = ["a | b", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold** `code`"]
    doc, rules = tmp_path / "evil.txt", tmp_path / "evil.yaml"
    doc.write_text("Evil\nName A B C\n" + "".join(f"{x} 1112\n" for x in labels), encoding="utf-8")
    rules.write_text(
        'document: evil\ntables:\n  - id: t\n    title: "Evil"\n    label: {column: name}\n'
        "    columns: [a, b, c]\n    row_rules: [c = a + b]\n"
    )
    from recover.rules import load_rules

    report = run([str(doc)], load_rules(rules), tmp_path / "out", validate=False)
    text = report_to_markdown(report)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c.type for c in inline if c.type not in ("text", "softbreak", "code_inline")]
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 2 + 1 + len(labels)  # the tables' heads, the table row, one row per label to decide
    cells = ["".join(c.content for c in t.children or []) for t in tokens if t.type == "inline"]
    for x in labels:
        assert x in cells and f"{x} 1112" in cells


def test_spreadsheet_safe_csvs_on_request(run_cli, tmp_path):
    """Labels starting with `=`, `+`, `@`, `-` were written verbatim to the CSVs, which a spreadsheet evaluates as
    formulas. They still are by default (the data as printed), and `--spreadsheet-safe` writes them with a leading
    `'`, which spreadsheets show as text."""
    doc, rules = tmp_path / "f.txt", tmp_path / "f.yaml"
    doc.write_text("Formulas\nName A B C\n=SUM(B1) 1 2 3\n+cmd 4 5 9\n@SUM(A1) 1 1 2\n-x 2 2 4\nPlain 1 0 1\n")
    rules.write_text(
        'document: f\ntables:\n  - id: t\n    title: "Formulas"\n    label: {column: name}\n'
        "    columns: [a, b, c]\n    row_rules: [c = a + b]\n"
    )
    status, _, err = run_cli("run", doc, "--rules", rules, "--out", tmp_path / "plain", "--no-validate")
    assert (status, err) == (0, "")
    assert (tmp_path / "plain" / "t.csv").read_text() == (
        "name,a,b,c\n=SUM(B1),1,2,3\n+cmd,4,5,9\n@SUM(A1),1,1,2\n-x,2,2,4\nPlain,1,0,1\n"
    )
    status, _, err = run_cli(
        "run", doc, "--rules", rules, "--out", tmp_path / "safe", "--no-validate", "--spreadsheet-safe"
    )
    assert (status, err) == (0, "")
    assert (tmp_path / "safe" / "t.csv").read_text() == (
        "name,a,b,c\n'=SUM(B1),1,2,3\n'+cmd,4,5,9\n'@SUM(A1),1,1,2\n'-x,2,2,4\nPlain,1,0,1\n"
    )
    assert "\n3,,'=SUM(B1) 1 2 3,'=SUM(B1),,recovered" in (tmp_path / "safe" / "t.provenance.csv").read_text()


# ----------------------------------------------------------------------------- glyphs drawn flipped or mirrored

REGIONS = ["Regions by quarter", "Region First Second Total", "North 10 20 30", "South 5 6 11", "East 7 8 15"]
REGIONS_RULES = """document: regions
tables:
  - id: regions
    title: Regions by quarter
    label: {column: region, values: [North, South, East]}
    columns: [first, second, total]
    row_rules: [total = first + second]
"""


def _pdf_drawn_with(path: Path, matrix: tuple[int, int, int, int], upright_lines: int = 0) -> Path:
    """A one-page PDF of the regions table, each line drawn with the text matrix ``matrix`` (``[1 0 0 -1]`` upside
    down, ``[-1 0 0 1]`` mirrored, ``[-1 0 0 -1]`` turned half round; a mirrored line starts at the right, where its
    text runs leftwards from), the first ``upright_lines`` of them drawn upright."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(400, 300))
    y = 260
    for n, line in enumerate(REGIONS):
        a, b, cc, d = (1, 0, 0, 1) if n < upright_lines else matrix
        t = c.beginText()
        t.setFont("Helvetica", 10)
        t.setTextTransform(a, b, cc, d, 40 if a > 0 else 360, y)
        t.textOut(line)
        c.drawText(t)
        y -= 20
    c.save()
    return path


@pytest.mark.parametrize(
    "matrix", [(1, 0, 0, -1), (-1, 0, 0, 1), (-1, 0, 0, -1)], ids=["flipped", "mirrored", "turned"]
)
def test_a_pdf_drawn_upside_down_or_mirrored_is_read_in_its_true_order(run_cli, tmp_path, matrix):
    """Issue 19, bug: a PDF whose text matrix flips glyphs (`[1 0 0 -1]`) gave `N o r t h` with cells `1, 0, 2, 0, 3, 0`,
    exit 0. Cause: pdfplumber calls a glyph with a negative matrix term not upright and reads it as vertical text, one
    glyph per word (and a mirrored line right to left). The worker now marks level flipped glyphs upright and reads a
    page of mirrored glyphs in a mirror: each line in the order it was drawn, with rules and without."""
    pdf = _pdf_drawn_with(tmp_path / "regions.pdf", matrix)
    rules = tmp_path / "rules.yaml"
    rules.write_text(REGIONS_RULES, encoding="utf-8")
    status, _, err = run_cli("run", pdf, "--rules", rules, "--out", tmp_path / "out", "--no-validate")
    assert (status, err) == (0, "")
    expected = "region,first,second,total\nNorth,10,20,30\nSouth,5,6,11\nEast,7,8,15\n"
    assert (tmp_path / "out" / "regions.csv").read_text(encoding="utf-8") == expected
    status, _, err = run_cli("run", pdf, "--out", tmp_path / "zero", "--no-validate")
    published = "".join(
        p.read_text(encoding="utf-8") for p in sorted((tmp_path / "zero").glob("*.csv")) if p.name != "facts.csv"
    )
    assert "N o r t h" not in published and "North,10,20,30" in published and "East,7,8,15" in published, (
        err,
        published,
    )


def test_a_pdf_page_mixing_mirrored_and_upright_text_is_refused_in_one_line(run_cli, tmp_path):
    """Issue 19: where mirrored glyphs (text running right to left) share a page with upright text, which glyphs
    belong together cannot be told: the page is refused in one line naming it and the glyphs, exit 2, nothing
    written; never split per glyph. (37 glyphs: `North 10 20 30`, `South 5 6 11`, `East 7 8 15`, spaces included.)"""
    pdf = _pdf_drawn_with(tmp_path / "regions.pdf", (-1, 0, 0, 1), upright_lines=2)
    rules = tmp_path / "rules.yaml"
    rules.write_text(REGIONS_RULES, encoding="utf-8")
    status, _, err = run_cli("run", pdf, "--rules", rules, "--out", tmp_path / "out")
    assert status == 2 and err == (
        f"{pdf}: not a document: page 1: 37 glyphs drawn mirrored or turned (right to left) among upright text; "
        "their order cannot be told [source-not-a-document]\n"
    )
    assert not (tmp_path / "out").exists()


def test_upside_down_lines_among_upright_ones_are_read_where_they_stand(run_cli, tmp_path):
    """Issue 19: a line drawn upside down (`[1 0 0 -1]`) still runs left to right where it stands: among upright lines
    it is read in place, never split per glyph."""
    pdf = _pdf_drawn_with(tmp_path / "regions.pdf", (1, 0, 0, -1), upright_lines=3)
    rules = tmp_path / "rules.yaml"
    rules.write_text(REGIONS_RULES, encoding="utf-8")
    status, _, err = run_cli("run", pdf, "--rules", rules, "--out", tmp_path / "out", "--no-validate")
    assert (status, err) == (0, "")
    assert (tmp_path / "out" / "regions.csv").read_text(encoding="utf-8") == (
        "region,first,second,total\nNorth,10,20,30\nSouth,5,6,11\nEast,7,8,15\n"
    )


# ----------------------------------------------------------------------------- byte-for-byte reruns

#: A row whose label may keep its last figures (``Cape 1``, ``Cape 18`` are inferred as aliases of Cape): its
#: readings come from three partings of the line.
PARTED = """Report

Table 1: Things
Name C0 C1 C2 C3 Total
Upton 0 0 1 10 11
Central 13 10 0 11 34
- 14 12 13 2 41
Cape 1843174199
"""


def _run_with_hash_seed(seed: str, *args: object) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    cmd = [sys.executable, "-m", "recover.cli", "run", *map(str, args), "--no-validate"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_a_rerun_with_the_inferred_rules_lists_the_alternatives_in_the_same_order(tmp_path):
    """Issue 19, bug: a rerun with the inferred rules listed provenance alternatives in another order. Cause: the
    figures a label may keep (``Cape 1``, ``Cape 18``) were tried in a set's order, which changes with the hash seed
    of each process: the row's partings, and so its readings, came in another order from run to run (and a tie
    between two variants could go either way). They are tried sorted: the zero-config run, a zero-config run in
    another process and the rerun with its inferred rules write the same bytes."""
    doc = tmp_path / "parted.txt"
    doc.write_text(PARTED, encoding="utf-8")
    first = _run_with_hash_seed("1", doc, "--out", tmp_path / "a")
    assert first.returncode == 1, first.stderr
    rules = tmp_path / "a" / "inferred-rules.yaml"
    assert '"Cape": ["Cape 1", "Cape 18"]' in rules.read_text(encoding="utf-8")
    kept = tmp_path / "rules.yaml"
    kept.write_bytes(rules.read_bytes())
    again = _run_with_hash_seed("2", doc, "--out", tmp_path / "b")
    rerun = _run_with_hash_seed("3", doc, "--rules", kept, "--out", tmp_path / "c")
    assert (again.returncode, rerun.returncode) == (1, 1)
    names = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert "table_1.provenance.csv" in names
    for name in names:
        want = (tmp_path / "a" / name).read_bytes()
        assert (tmp_path / "b" / name).read_bytes() == want and (tmp_path / "c" / name).read_bytes() == want, name
    cape = (tmp_path / "a" / "table_1.provenance.csv").read_text(encoding="utf-8").splitlines()[-1]
    # the partings in sorted order: Cape 1 (its readings spell 843174199) before Cape 18 (43174199)
    assert cape.startswith('8,,Cape 1843174199,Cape,100,ambiguous,105,"[[8,4,3,1,74199],')


def test_one_folder_lock_serves_review_and_publish(tmp_path):
    """`review.rules_lock` and `publish._swap_lock` repeated one flock loop; both now use `publish.folder_lock`. A lock
    held elsewhere is waited for, then the caller's own one-line error is raised; released, it is taken at once."""
    import fcntl
    import time

    from recover.errors import OutputError
    from recover.publish import folder_lock

    held = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    started = time.monotonic()
    lock = folder_lock(tmp_path, 0.2, lambda: OutputError(str(tmp_path), detail="kept it locked"))
    with pytest.raises(OutputError, match="kept it locked"), lock:
        pass
    assert time.monotonic() - started >= 0.2
    os.close(held)  # released: taken at once
    entered = []
    with folder_lock(tmp_path, 0.2, lambda: OutputError(str(tmp_path), detail="kept it locked")):
        entered.append(True)
    assert entered == [True]
