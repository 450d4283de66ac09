"""The seed document, end to end: every one of its 138 table cells and 22 facts comes back exactly.

The expected CSVs under samples/ncmec-2020/expected/ are checked here in two ways that
share no code with the solver: each row against the seed's README facts (row rules,
totals), and a brute force that derives every table again from digit runs copied by hand
from the seed text.
"""

from __future__ import annotations

import csv

import pytest

from tests import brute
from tests.conftest import EXPECTED, SEED, SEED_RULES

# digit runs copied by hand from samples/ncmec-2020/ncmec-2020-impact-spun.txt
HAND_RUNS = {
    "case_type_status": [
        ("Endangered Runaway", "2,04225,03027,072"),
        ("Family Abduction", "2871,1091,396"),
        ("Lost, Injured, or Otherwise Missing", "20219239"),
        ("Missing Young Adult", "75921996"),
        ("Nonfamily Abduction", "97079"),
    ],
    "age_race": [
        ("Total", "4511512,9849,4795,3459510,2321,04529,782"),
        ("Less than 1 to 2", "4172215109113920561"),
        ("3 to 5", "665012885110510391"),
        ("6 to 8", "6239745721129301"),
        ("9 to 11", "515112775111420394"),
        ("12 to 14", "96297161,9281,155181,9232346,099"),
        ("15 to 17", "3261081,9896,5743,735707,52165820,981"),
        ("18 to 20", "54654161232305821,002"),
    ],
    "state": [
        ("District of Columbia", "34548"),
        ("New Hampshire", "09696"),
        ("New Jersey", "27209236"),
        ("New Mexico", "1888106"),
        ("New York", "1432,3592,502"),
        ("North Carolina", "42455497"),
        ("North Dakota", "36972"),
        ("Puerto Rico", "253459"),
        ("Rhode Island", "19424443"),
        ("South Carolina", "42330372"),
        ("South Dakota", "178"),
        ("West Virginia", "204161"),
    ],
    "cvip_requests": [
        ("Grand Total", "3,22015,058,113696,552"),
        ("US Federal Law Enforcement", "1,24011,598,925472,640"),
        ("Local/State/ICAC", "1,8523,368,659215,203"),
        ("Military", "11390,5018,702"),
        ("International", "15287"),
    ],
}


# what the seed's README and prose say must hold, written out by hand
def _row_ok(table: str, r: tuple) -> bool:
    if table in ("case_type_status", "state"):
        return r[0] + r[1] == r[2]
    if table == "age_race":
        return sum(r[:8]) == r[8]
    return True


def _table_ok(table: str, rows: tuple) -> bool:
    if table == "case_type_status":
        return sum(r[2] for r in rows) == 29782
    if table == "age_race":
        total, body = rows[0], rows[1:]
        return total[8] == 29782 and all(sum(r[j] for r in body) <= total[j] for j in range(9))
    if table == "cvip_requests":
        total, body = rows[0], rows[1:]
        return total[0] == 3220 and all(sum(r[j] for r in body) == total[j] for j in range(3))
    return True


def _read(name: str) -> list[list[str]]:
    with open(EXPECTED / name, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("table", sorted(HAND_RUNS))
def test_expected_csv_is_the_brute_force_unique_solution(table):
    rows = HAND_RUNS[table]
    k = 9 if table == "age_race" else 3
    readings = [[s for s in brute.splits(run, k, ",") if _row_ok(table, s)] for _, run in rows]
    solutions = brute.table_solutions(readings, lambda combo: _table_ok(table, combo))
    assert len(solutions) == 1, f"{table}: {len(solutions)} solutions"
    expected = _read(f"{table}.csv")
    assert [r[0] for r in expected[1:]] == [label for label, _ in rows]
    assert [tuple(int(v) for v in r[1:]) for r in expected[1:]] == list(solutions[0])


def test_expected_cells_count_is_138():
    cells = sum(len(r) - 1 for t in HAND_RUNS for r in _read(f"{t}.csv")[1:])
    assert cells == 138


HAND_FACTS = {  # read off the seed's prose by hand
    "ncic_entries_2020": "365348",
    "ncic_entries_2019": "421394",
    "cases_assisted_2020": "29782",
    "amber_recoveries": "1053",
    "age_progressions_2020": "195",
    "age_progressions_since_1989": "7100",
    "facial_reconstructions_2020": "49",
    "facial_reconstructions_to_date": "600",
    "identifications_facilitated": "185",
    "team_adam_deployments_2020": "29",
    "team_adam_deployments_since_2003": "1200",
    "team_adam_virtual_consultations_2020": "28",
    "lead_requests_2020": "4234",
    "attempted_abductions_2020": "720",
    "attempted_abductions_since_2005": "18335",
    "cybertipline_reports_2020": "21700000",
    "cybertipline_reports_2019": "16900000",
    "cybertipline_public_reports_2020": "303299",
    "cybertipline_esp_reports_2020": "21400000",
    "cvip_images_reviewed_since_2002": "330000000",
    "cvip_requests_2020": "3220",
    "cvip_request_images_2020": "15000000",
}


def test_expected_facts_are_the_hand_read_figures():
    rows = _read("facts.csv")
    assert rows[0] == ["id", "value", "sentence"]
    assert {r[0]: r[1] for r in rows[1:]} == HAND_FACTS


def test_run_on_the_seed_reproduces_the_expected_outputs(run_cli, tmp_path):
    out = tmp_path / "out"
    status, stdout, stderr = run_cli("run", SEED, "--rules", SEED_RULES, "--out", out, "--no-validate")
    assert status == 0, stderr
    assert "138 of 138 cells recovered, 22 of 22 facts" in stdout
    for expected in sorted(EXPECTED.glob("*.csv")):
        assert (out / expected.name).read_bytes() == expected.read_bytes(), expected.name


def test_run_without_source_uses_the_rules_source(run_cli, tmp_path):
    status, _stdout, stderr = run_cli("run", "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 0, stderr
    assert (tmp_path / "o" / "age_race.csv").read_bytes() == (EXPECTED / "age_race.csv").read_bytes()


def test_provenance_records_every_source_row():
    rows = _read("age_race.provenance.csv")
    assert rows[0] == [
        "line",
        "page",
        "raw",
        "label",
        "score",
        "status",
        "solutions",
        "alternatives",
        "blanks",
        "marks",
        "reason",  # issue 18: an override's reason, `overrides: opened=1`, was dropped
    ]
    assert all(r[10] == "" for r in rows[1:])  # every row recovered: nothing to explain
    assert [r[0] for r in rows[1:]] == ["37", "38", "39", "40", "41", "42", "43", "44"]
    assert all(r[8] == "[]" and r[9] == "" for r in rows[1:])  # the seed prints no blank cell and no mark
    assert all(r[5] == "recovered" and r[6] == "1" for r in rows[1:])
    assert rows[2][3] == "Less than 1 to 2" and rows[2][2] == "Less 보다 1 come 24172215109113920561"
