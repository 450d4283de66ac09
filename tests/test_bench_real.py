"""The real-document benchmark's truth for Camelot's own test PDFs (`bench/real.py --only camelot`): the expected
tables of camelot-dev/camelot's `tests/data.py`, placed on their PDF, page and flavour by its test modules, read with
`ast` (never imported). Expected values are written by hand from `data.py` and the test modules."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from bench.real import corpora_dir
from bench.real_truth import camelot_data_to_grids, camelot_test_to_cases, camelot_to_tables

CAMELOT_TESTS = corpora_dir() / "camelot-tests"


@pytest.mark.skipif(not (CAMELOT_TESTS / "data.py").exists(), reason="the shared corpora are not beside the checkout")
def test_twotables_2_first_expected_table_is_read_from_data_py() -> None:
    """`test_lattice_two_tables` compares `data_lattice_two_tables_1` with Camelot's first lattice table of
    twotables_2.pdf (page 1, the default): its two header rows stay aside, its 11 state rows carry 7 numbers each."""
    found, skipped = camelot_to_tables(CAMELOT_TESTS)
    pairs = dict((t.id, (t, c)) for t, c in found[CAMELOT_TESTS / "twotables_2.pdf"])
    truth, case = pairs["twotables_2.pdf#data_lattice_two_tables_1"]
    assert (case.flavor, case.page, case.index, case.options) == ("lattice", 1, 0, {})
    assert truth.page == 1
    assert [r.label for r in truth.data_rows] == [
        "Kerala",
        "Tamil Nadu",
        "Karnataka",
        "Andhra Pradesh",
        "Maharashtra",
        "Gujarat",
        "Madhya Pradesh",
        "Orissa",
        "West Bengal",
        "Uttar Pradesh",
        "Pooled",
    ]
    kerala, pooled = truth.data_rows[0], truth.data_rows[-1]
    assert kerala.numbers == [Decimal(x) for x in ("2400", "7.2", "0.5", "25.3", "20.1", "41.5", "5.5")]
    assert pooled.numbers == [Decimal(x) for x in ("23889", "30.9", "1.9", "12.3", "23.2", "25.2", "6.4")]
    assert truth.numeric_cells == 77
    # the same table read through a hand-given area is one table, not two; a rotated page is skipped, said so
    assert "twotables_2.pdf#data_lattice_table_areas" not in pairs
    assert any(s.startswith("clockwise_table_1.pdf (data_lattice_table_rotated") and "rotated" in s for s in skipped)


def test_test_modules_place_each_compared_table(tmp_path: Path) -> None:
    """The `ast` reading: slices, `list()` and `.extend()` in data.py as an import would run them; in a test, the
    frame, the file, the flavour (default lattice), the page (default 1) and the options of the read it is compared
    with; a read over several pages cannot be placed and says so."""
    (tmp_path / "data.py").write_text(
        textwrap.dedent(
            """
            data_a = [["", "2019"], ["Apples", "1,200"], ["Pears", "30"]]
            data_b = data_a[1:]
            data_c = list(data_b)
            data_c.extend([["Plums", "4"]])
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "test_x.py").write_text(
        textwrap.dedent(
            """
            def test_one(testdir):
                df = pd.DataFrame(data_b)
                filename = os.path.join(testdir, "fruit.pdf")
                tables = camelot.read_pdf(filename, flavor="network", pages="2", edge_tol=500)
                assert_frame_equal(df, tables[0].df)

            def test_two(testdir):
                df2 = pd.DataFrame(data_c)
                tables = camelot.read_pdf(os.path.join(testdir, "other.pdf"))
                assert df2.equals(tables[1].df)

            def test_pages(testdir):
                df = pd.DataFrame(data_a)
                tables = camelot.read_pdf(os.path.join(testdir, "fruit.pdf"), pages="1-2")
                assert_frame_equal(df, tables[0].df)
            """
        ),
        encoding="utf-8",
    )
    grids = camelot_data_to_grids(tmp_path / "data.py")
    assert grids["data_b"] == [["Apples", "1,200"], ["Pears", "30"]]
    assert grids["data_c"] == [["Apples", "1,200"], ["Pears", "30"], ["Plums", "4"]]
    cases, notes = camelot_test_to_cases(tmp_path / "test_x.py")
    assert [(c.data, c.pdf, c.page, c.flavor, c.options, c.index) for c in cases] == [
        ("data_b", "fruit.pdf", 2, "network", {"edge_tol": 500}, 0),
        ("data_c", "other.pdf", 1, "lattice", {}, 1),
    ]
    assert notes == ["test_x.py::test_pages: data_a: pages '1-2' (tables[0] of several pages)"]
