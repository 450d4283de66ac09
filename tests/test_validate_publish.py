"""Validate and publish, for real: Great Expectations checkpoints and Data Docs, a Frictionless data package."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import EXPECTED, ROOT, SEED, SEED_RULES


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    from recover.cli import main

    out = tmp_path_factory.mktemp("v") / "out"
    status = main(["run", str(SEED), "--rules", str(SEED_RULES), "--out", str(out)])
    return status, out


def test_validation_passes_and_writes_data_docs(seed_run):
    status, out = seed_run
    assert status == 0
    results = json.loads((out / "validation" / "results.json").read_text())
    # per table: columns, labels (not null, unique, in the vocabulary), each numeric column's type; the rules; the totals
    # (a totals row is checked per column since issue 18: age_race 9 checks, not 1, cvip_requests 3: 42 + 8 + 2)
    assert len(results) == 52 and all(r["success"] for r in results)
    assert (out / "validation" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()
    page = (out / "validation" / "index.html").read_text()
    assert "0 violated, 0 not evaluated, 52 passed." in page
    assert "http://" not in page and "https://" not in page  # our page is self-contained


def test_the_csvs_are_the_same_with_validation(seed_run):
    _, out = seed_run
    for expected in EXPECTED.glob("*.csv"):
        assert (out / expected.name).read_bytes() == expected.read_bytes()


def test_datapackage_is_valid_under_frictionless(seed_run):
    from frictionless import Package, validate

    _, out = seed_run
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    pkg = json.loads((out / "datapackage.json").read_text())
    assert pkg["sources"][0]["recover:sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    state = next(r for r in pkg["resources"] if r["name"] == "state")
    assert state["schema"]["primaryKey"] == ["state"]
    assert state["recover:row_rules"] == ["total = active + resolved"]
    rows = Package(out / "datapackage.json").get_resource("cvip_requests").read_rows()
    assert rows[0]["images_and_videos"] == 15058113


def test_an_empty_cell_is_an_abstention_not_a_validation_failure(run_cli, tmp_path):
    """A cell the evidence does not determine is reported once, by the solve; it is not a failed expectation.

    The suites used to expect every numeric cell not null, so an honest abstention read as a
    validation failure, one stderr line per column.
    """
    doc = tmp_path / "bad-row.txt"
    doc.write_text(SEED.read_text(encoding="utf-8").replace("New Mexico1888106", "New Mexico1888107"), encoding="utf-8")
    status, _out, err = run_cli("run", doc, "--rules", SEED_RULES, "--out", tmp_path / "o")
    assert status == 1
    assert err.splitlines() == [
        f"{doc}: table state: 3 of 36 cells left empty (1 unsatisfiable rows): its digits cannot be read as 3 numbers meeting the row rules"
    ]


def test_a_published_value_that_breaks_a_row_rule_fails_validation(tmp_path):
    """A value the validate stage is handed that breaks a row rule is a real failure (the run's worst news)."""
    from recover.pipeline import extract, fetch, recover
    from recover.rules import load_rules
    from recover.validate import validate_document

    result = recover(extract(fetch(str(SEED))), load_rules(SEED_RULES))
    state = next(s for s in result.solutions if s.table_id == "state")
    state.rows[0].cells[0] += 1  # active no longer adds up with resolved to total
    validate_document(tmp_path, result)
    assert any(
        "table state: validation failed: expect_column_values_to_be_between(rule: total = active + resolved)" in p
        for p in result.validation_problems
    ), result.validation_problems
    page = (tmp_path / "validation" / "index.html").read_text()
    # the red box names the check that failed (issue 18: it said "a published value breaks a rule or a total")
    assert "<h4>Violated: the row rule total = active + resolved</h4>" in page and "1 violated" in page


def test_committed_suites_are_the_ones_the_rules_generate(tmp_path):
    from recover.rules import load_rules
    from recover.validate import write_suites

    for path in write_suites(load_rules(SEED_RULES), tmp_path):
        committed = ROOT / "expectations" / "ncmec-2020" / path.name
        assert committed.read_text() == path.read_text(), f"regenerate {committed}"


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium():
    import os
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return exe


def _dump_dom(exe, page, tmp_path) -> str:
    import subprocess

    proc = subprocess.run(
        [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-1000:]
    return proc.stdout


def test_data_docs_work_offline_in_headless_chromium(seed_run, tmp_path):
    """Every stylesheet and script is local, and bootstrap-table's JavaScript really ran (it wraps the table)."""
    import re

    _, out = seed_run
    site = out / "validation" / "gx" / "uncommitted" / "data_docs" / "local_site"
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(link|script|img)[^>]*(href|src)="https?://', text), page
        for ref in re.findall(r'<(?:link|script)[^>]*(?:href|src)="([^"#?]+\.(?:css|js))"', text):
            assert (page.parent / ref).exists(), (page, ref)  # (GX's own favicon link is mis-nested on deep pages)
    dom = _dump_dom(_chromium(), site / "index.html", tmp_path)
    assert "fixed-table-container" in dom  # added by bootstrap-table.min.js, loaded from static/vendor
    assert "ncmec-2020.cvip_requests.totals" in dom


def test_summary_page_renders_in_headless_chromium(seed_run, tmp_path):
    _, out = seed_run
    dom = _dump_dom(_chromium(), out / "validation" / "index.html", tmp_path)
    assert "0 violated, 0 not evaluated, 52 passed." in dom


def test_several_documents_share_one_data_docs_site(tmp_path):
    """Issue 9: Data Docs built once per run. A run of two documents validates each into its own stores and builds one
    site, OUT/_data_docs/, holding both documents' suites and results; each document's page links to it, and the
    site renders offline in headless chromium."""
    import re
    import shutil

    from recover.cli import main

    shutil.copy(SEED, tmp_path / "impact.txt")
    (tmp_path / "wards.txt").write_text(
        "Table 1: Beds by ward\nWard Open Closed Total\nNorth 12 3 15\nSouth 7 4 11\nEast 1,204 15 1,219\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "impact.txt"), str(tmp_path / "wards.txt"), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["_data_docs", "impact", "wards"]
    site = out / "_data_docs" / "gx" / "uncommitted" / "data_docs" / "local_site"
    for doc in ("impact", "wards"):
        assert not (
            out / doc / "validation" / "gx" / "uncommitted" / "data_docs" / "local_site"
        ).exists()  # no site of its own
        page = (out / doc / "validation" / "index.html").read_text()
        link = re.search(r"href='([^']*local_site/index.html)'", page).group(1)
        assert (out / doc / "validation" / link).resolve() == (site / "index.html").resolve()
    dom = _dump_dom(_chromium(), site / "index.html", tmp_path)
    assert "fixed-table-container" in dom
    assert "impact.table_1" in dom and "wards.table_1" in dom  # both documents' suites, in one site
