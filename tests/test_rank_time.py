"""Issue 17 / issue 15 ("wide run-together tables: rank and time columns, blanks"), on the Hockey-Reference box score
of the real-document benchmark (``../shared/corpora/html-dev/sportsipy-nhl-box-202003040VAN.html``) flattened by
BeautifulSoup's ``get_text()``: each skater's row runs together with a rank before the name and a time on ice after
the numbers (``1Lawson Crouse101101001000250.02113:00``). The fixtures are the page's own lines; the expected cells
are written by hand from the page's HTML table (the cells the evidence does not settle are empty, and said why)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.numbers import NumberFormat, RowLattice, text_is_time, text_to_pieces
from recover.rulegrammar import RuleParseError, parse_ratio
from tests.test_cli import write
from tests.test_rules_real import run_rules

# the page's lines: a goal of the scoring summary (a player's name and his season's goal count), then the Arizona
# skaters' table: its title, the header's upper row and column names one a line, the rows run together, the TOTAL row
SUMMARY = "\n\n12:39\nARI\n\n\n\nLawson Crouse (15)\n\t\t\n\nOliver Ekman-Larsson, Vinnie Hinostroza\n\n\n"
HEADER = (
    "Arizona Coyotes Table\n\n\n\n\nScoring\nGoals\nAssists\n\n\n\n"
    "Rk\nPlayer\nG\nA\nPTS\n+/-\nPIM\nEV\nPP\nSH\nGW\nEV\nPP\nSH\nS\nS%\nSHFT\nTOI\n\n\n\n"
)
ROWS = """\
1Lawson Crouse101101001000250.02113:00
2Jason Demers000-12000000002415:37
3Christian Dvorak000-10000000002215:52
4Oliver Ekman-Larsson112301000100333.32924:10
5Conor Garland00000000000010.02012:03
6Alex Goligoski00002000000010.02621:50
7Taylor Hall000-10000000030.02317:47
8Barrett Hayton00000000000001711:56
9Vinnie Hinostroza01110000010040.01711:59
10Niklas Hjalmarsson01110000010010.02621:26
11Clayton Keller000-12000000030.02215:22
12Phil Kessel00000000000030.02014:27
13Ilya Lyubushkin00020000000002317:51
14Jordan Oesterle000-10000000020.02416:35
15Brad Richardson00020000000030.02515:30
16Nick Schmaltz101101000000520.02315:49
17Carl Soderberg112200100100616.72618:32
18Derek Stepan01120000010030.02616:03
19Darcy Kuemper00000000000059:57

TOTAL45963104010.0
"""
PLAYERS = (
    "Lawson Crouse, Jason Demers, Christian Dvorak, Oliver Ekman-Larsson, Conor Garland, Alex Goligoski, Taylor Hall, "
    "Barrett Hayton, Vinnie Hinostroza, Niklas Hjalmarsson, Clayton Keller, Phil Kessel, Ilya Lyubushkin, "
    "Jordan Oesterle, Brad Richardson, Nick Schmaltz, Carl Soderberg, Derek Stepan, Darcy Kuemper"
)
COLUMNS = "g, a, pts, plus_minus, pim, g_ev, g_pp, g_sh, gw, a_ev, a_pp, a_sh, s, s_pct, shft, toi"
INTEGERS = "g, a, pts, plus_minus, pim, g_ev, g_pp, g_sh, gw, a_ev, a_pp, a_sh, s, shft"


def rules(
    extra: str = "",
    row_rules: str = "",
    title: bool = True,
    values: str = PLAYERS + ", TOTAL",
    blank: str = "plus_minus, s_pct, shft",
) -> str:
    """The box score's rules file: the rank, the column types, the cells left blank, the bounds of this game (counts are
    never negative; under 100 shifts, 60 minutes and a 5-minute overtime at most) and the row rules; ``extra`` adds
    keys to the table. ``blank``: the columns a row may lack (a goalie's +/-; a fixture of skaters alone prints
    every +/-)."""
    types = ", ".join(f"{c}: integer" for c in INTEGERS.split(", "))
    head = (
        "    title: Arizona Coyotes Table\n    header: Rk Player G A PTS +/- PIM EV PP SH GW EV PP SH S S% SHFT TOI\n"
        if title
        else ""
    )
    return (
        "document: nhl\nnumber_format: {thousands: ',', decimal: '.'}\ntables:\n  - id: ari_skaters\n"
        + head
        + f"    label: {{column: player, rank: rk, values: [{values}]}}\n"
        + f"    columns: [{COLUMNS}]\n"
        + f"    column_types: {{{types}, s_pct: decimal 1, toi: time}}\n"
        + f"    may_be_blank: [{blank}]\n"
        + "    minimum: {g: 0, a: 0, pts: 0, pim: 0, g_ev: 0, g_pp: 0, g_sh: 0, gw: 0, a_ev: 0, a_pp: 0, a_sh: 0, s: 0}\n"
        + "    maximum: {s_pct: 100, shft: 99, toi: '65:00'}\n"
        + "    row_rules: [pts = g + a, g = g_ev + g_pp + g_sh, a = a_ev + a_pp + a_sh"
        + row_rules
        + "]\n"
        + extra
    )


def table(text: str) -> list[list[str]]:
    """Given a CSV's text, return its rows."""
    return list(csv.reader(io.StringIO(text)))


HEAD = ["player", "rk", *COLUMNS.split(", ")]
# two rows as the page prints them (rank, G A PTS +/- PIM, goals EV PP SH GW, assists EV PP SH, S S% SHFT TOI)
HINOSTROZA = [
    "Vinnie Hinostroza",
    "9",
    "0",
    "1",
    "1",
    "1",
    "0",
    "0",
    "0",
    "0",
    "0",
    "1",
    "0",
    "0",
    "4",
    "0.0",
    "17",
    "11:59",
]
HJALMARSSON = [
    "Niklas Hjalmarsson",
    "10",
    "0",
    "1",
    "1",
    "1",
    "0",
    "0",
    "0",
    "0",
    "0",
    "1",
    "0",
    "0",
    "1",
    "0.0",
    "26",
    "21:26",
]


def test_a_box_score_with_rank_and_time_columns_is_read_whole(run_cli, tmp_path):
    """Cause: nothing in the rules file could describe a rank printed before the label or a time column after the
    numbers, so the rank broke every label (``1Lawson Crouse`` matched no player), the time's colon was read as a
    placeholder, and no row parsed (0 of 306 cells). Now ``label.rank`` reads the rank off, ``column_types`` makes
    ``13:00`` one cell (a time) and ``50.0`` the one-decimal S%, ``may_be_blank`` lets a row lack the cells the page
    left empty (a goalie's +/-, S% and SHFT), the ratio ``s_pct = 100 * g / s`` parts S from S%, and the TOTAL row
    prints the columns ``totals.printed`` names, the skaters adding up to it in ``totals.columns`` (S% is no sum).
    Darcy Kuemper's shifts and time stay empty: ``…0000059:57`` reads as no shifts and 59:57, or as 5 shifts and 9:57,
    and nothing on the page tells which."""
    extra = (
        "    totals:\n      row: TOTAL\n"
        "      printed: [g, a, pts, pim, g_ev, g_pp, g_sh, s, s_pct]\n"
        "      columns: [g, a, pts, pim, g_ev, g_pp, g_sh, s]\n"
    )
    status, csvs, provs, err = run_rules(
        run_cli, tmp_path, SUMMARY + HEADER + ROWS, rules(extra, ", s_pct = 100 * g / s")
    )
    assert table(csvs["ari_skaters"]) == [
        HEAD,
        ["Lawson Crouse", "1", "1", "0", "1", "1", "0", "1", "0", "0", "1", "0", "0", "0", "2", "50.0", "21", "13:00"],
        ["Jason Demers", "2", "0", "0", "0", "-1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "", "24", "15:37"],
        ["Christian Dvorak", "3", "0", "0", "0", "-1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "22", "15:52"],
        [
            "Oliver Ekman-Larsson",
            "4",
            "1",
            "1",
            "2",
            "3",
            "0",
            "1",
            "0",
            "0",
            "0",
            "1",
            "0",
            "0",
            "3",
            "33.3",
            "29",
            "24:10",
        ],
        ["Conor Garland", "5", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0.0", "20", "12:03"],
        ["Alex Goligoski", "6", "0", "0", "0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "1", "0.0", "26", "21:50"],
        ["Taylor Hall", "7", "0", "0", "0", "-1", "0", "0", "0", "0", "0", "0", "0", "0", "3", "0.0", "23", "17:47"],
        ["Barrett Hayton", "8", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "17", "11:56"],
        HINOSTROZA,
        HJALMARSSON,
        [
            "Clayton Keller",
            "11",
            "0",
            "0",
            "0",
            "-1",
            "2",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "3",
            "0.0",
            "22",
            "15:22",
        ],
        ["Phil Kessel", "12", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "3", "0.0", "20", "14:27"],
        ["Ilya Lyubushkin", "13", "0", "0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "23", "17:51"],
        [
            "Jordan Oesterle",
            "14",
            "0",
            "0",
            "0",
            "-1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "2",
            "0.0",
            "24",
            "16:35",
        ],
        [
            "Brad Richardson",
            "15",
            "0",
            "0",
            "0",
            "2",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "3",
            "0.0",
            "25",
            "15:30",
        ],
        ["Nick Schmaltz", "16", "1", "0", "1", "1", "0", "1", "0", "0", "0", "0", "0", "0", "5", "20.0", "23", "15:49"],
        [
            "Carl Soderberg",
            "17",
            "1",
            "1",
            "2",
            "2",
            "0",
            "0",
            "1",
            "0",
            "0",
            "1",
            "0",
            "0",
            "6",
            "16.7",
            "26",
            "18:32",
        ],
        ["Derek Stepan", "18", "0", "1", "1", "2", "0", "0", "0", "0", "0", "1", "0", "0", "3", "0.0", "26", "16:03"],
        ["Darcy Kuemper", "19", "0", "0", "0", "", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "", ""],
        ["TOTAL", "", "4", "5", "9", "", "6", "3", "1", "0", "", "", "", "", "40", "10.0", "", ""],
    ]
    kuemper = next(p for p in provs["ari_skaters"] if p["label"] == "Darcy Kuemper")
    assert kuemper["status"] == "ambiguous"
    assert '"59:57"' in kuemper["alternatives"] and '"9:57"' in kuemper["alternatives"]
    total = next(p for p in provs["ari_skaters"] if p["label"] == "TOTAL")
    assert (total["status"], total["blanks"]) == (
        "recovered",
        '["rk", "plus_minus", "gw", "a_ev", "a_pp", "a_sh", "shft", "toi"]',
    )
    assert status == 1 and "table ari_skaters: 2 of 340 cells left empty (1 ambiguous rows)" in err


def test_a_rank_is_read_off_before_the_label(run_cli, tmp_path):
    """Cause: a rank printed before the name (``10Niklas Hjalmarsson``) made the line's label ``10Niklas Hjalmarsson``,
    which matched no player. ``label.rank: rk`` reads the rank off before the label (a whole number, a `.` after it
    aside) and publishes it as the first numeric column; a row that prints none (TOTAL) has it blank."""
    doc = HEADER + "9Vinnie Hinostroza01110000010040.01711:59\n10Niklas Hjalmarsson01110000010010.02621:26\n"
    status, csvs, _, err = run_rules(
        run_cli,
        tmp_path,
        doc,
        rules(row_rules=", s_pct = 100 * g / s", values="Vinnie Hinostroza, Niklas Hjalmarsson", blank="s_pct, shft"),
    )
    assert table(csvs["ari_skaters"])[1:] == [
        HINOSTROZA,
        HJALMARSSON,
    ]
    assert (status, err) == (0, "")


def test_a_time_ending_the_row_is_one_cell_never_split(run_cli, tmp_path):
    """Cause: the time on ice fused to the shifts (``…2014:27``) has no column of numbers to go to: its colon was read as
    a placeholder and ``27`` as a cell. A ``time`` column reads ``m:ss`` / ``h:mm:ss`` as one cell, published as
    printed; where the shifts and the minutes could part in two places (``20|14:27`` or ``201|4:27``), the bound the
    rules give (shifts under 100) settles it, and without it both cells stay empty, never a guess."""
    doc = HEADER + "12Phil Kessel00000000000030.02014:27\n"
    bounded = rules(values="Phil Kessel", blank="s_pct, shft")
    status, csvs, _, _ = run_rules(run_cli, tmp_path, doc, bounded)
    assert (status, table(csvs["ari_skaters"])[1][-3:]) == (0, ["0.0", "20", "14:27"])
    unbounded = bounded.replace("shft: 99, ", "")
    _, csvs, provs, _ = run_rules(run_cli, tmp_path, doc, unbounded)
    assert table(csvs["ari_skaters"])[1][-3:] == ["0.0", "", ""]
    alternatives = provs["ari_skaters"][0]["alternatives"]
    assert '20,"14:27"' in alternatives and '201,"4:27"' in alternatives
    assert '"27"' not in alternatives and ",27]" not in alternatives


def test_a_cell_the_page_left_blank_printing_nothing_is_blank(run_cli, tmp_path):
    """Cause: a player with no shot has no S% (``8Barrett Hayton00000000000001711:56``: the page's cell is empty and
    ``get_text()`` prints nothing for it), so the row's figures are one short of the columns and no reading fit.
    ``may_be_blank: [s_pct]`` lets the row lack that cell: published empty, listed in the provenance's blanks."""
    doc = HEADER + "8Barrett Hayton00000000000001711:56\n"
    _, csvs, provs, _ = run_rules(
        run_cli, tmp_path, doc, rules(row_rules=", s_pct = 100 * g / s", values="Barrett Hayton")
    )
    assert table(csvs["ari_skaters"])[1] == [
        "Barrett Hayton", "8", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "17", "11:56",
    ]  # fmt: skip
    row = provs["ari_skaters"][0]
    assert (row["status"], row["blanks"]) == ("recovered", '["s_pct"]')


def test_a_ratio_parts_the_shots_from_their_percentage(run_cli, tmp_path):
    """Cause: ``…250.0…`` reads as 2 shots and 50.0 % or as 25 shots and 0.0 %; the linear rules cannot tell them apart,
    so both cells were left empty. The page's S% is goals per shot: the ratio ``s_pct = 100 * g / s`` (rounded to the
    decimals S% prints, blank exactly where S is 0) keeps 2 and 50.0 (1 goal in 25 shots is 4.0 %)."""
    doc = HEADER + "1Lawson Crouse101101001000250.02113:00\n"
    _, csvs, _, _ = run_rules(run_cli, tmp_path, doc, rules(values="Lawson Crouse"))
    assert table(csvs["ari_skaters"])[1][-4:] == ["", "", "21", "13:00"]
    _, csvs, _, _ = run_rules(run_cli, tmp_path, doc, rules(row_rules=", s_pct = 100 * g / s", values="Lawson Crouse"))
    assert table(csvs["ari_skaters"])[1][-4:] == ["2", "50.0", "21", "13:00"]


def test_a_header_printed_one_name_a_line_anchors_the_table(run_cli, tmp_path):
    """Cause: ``get_text()`` prints the header one column name a line (``Rk`` / ``Player`` / ``G`` …), so no line
    matched the rules' header and the table was read over the whole page, where the scoring summary's ``Lawson Crouse
    (15)`` (his season's goals) was taken as his row. The names joined read as the header: the table starts under it,
    its blank lines before the first row are no gap, and the summary's line is no row of the table."""
    doc = SUMMARY + HEADER + "1Lawson Crouse101101001000250.02113:00\n"
    status, csvs, provs, err = run_rules(
        run_cli, tmp_path, doc, rules(row_rules=", s_pct = 100 * g / s", values="Lawson Crouse", blank="s_pct, shft")
    )
    assert [p["raw"] for p in provs["ari_skaters"]] == ["1Lawson Crouse101101001000250.02113:00"]
    assert table(csvs["ari_skaters"])[1][:3] == ["Lawson Crouse", "1", "1"]
    assert (status, err) == (0, "")


GOALIES = (
    "Goalies Table\n\n\n\n\nGoalie Stats\n\n\nRk\nPlayer\nDEC\nGA\nSA\nSV\nSV%\nSO\nPIM\nTOI\n\n\n\n"
    "1Thatcher DemkoL33936.9230058:33\n2Empty Net110.00000\n"
)


def test_a_fraction_printed_without_its_whole_part_is_read(run_cli, tmp_path):
    """Cause: a save percentage prints without its whole part (``.923`` in ``…36.9230058:33``), which no number of the
    grammar starts with, so the row read as ``36.923`` or not at all. The type ``decimal .3`` reads ``.923`` (and only
    that form) in that column; with ``sv = sa - ga`` and the ratio ``sv_pct = sv / sa`` Demko's row is whole, and the
    empty net's time on ice, a cell the page left empty, is blank. The decision letter ``L`` after the name stays with
    the label, which still matches ``Thatcher Demko``."""
    goalies = (
        "document: nhl\nnumber_format: {thousands: ',', decimal: '.'}\ntables:\n  - id: van_goalies\n"
        "    header: Rk Player DEC GA SA SV SV% SO PIM TOI\n"
        "    label: {column: goalie, rank: rk, values: [Thatcher Demko, Empty Net]}\n"
        "    columns: [ga, sa, sv, sv_pct, so, pim, toi]\n"
        "    column_types: {ga: integer, sa: integer, sv: integer, sv_pct: decimal .3, so: integer, pim: integer,"
        " toi: time}\n"
        "    may_be_blank: [toi]\n"
        "    maximum: {toi: '65:00'}\n"
        "    row_rules: [sv = sa - ga, sv_pct = sv / sa]\n"
    )
    status, csvs, provs, err = run_rules(run_cli, tmp_path, GOALIES, goalies)
    assert table(csvs["van_goalies"]) == [
        ["goalie", "rk", "ga", "sa", "sv", "sv_pct", "so", "pim", "toi"],
        ["Thatcher Demko", "1", "3", "39", "36", "0.923", "0", "0", "58:33"],
        ["Empty Net", "2", "1", "1", "0", "0.000", "0", "0", ""],
    ]
    assert [(p["status"], p["blanks"]) for p in provs["van_goalies"]] == [("recovered", "[]"), ("recovered", '["toi"]')]
    assert (status, err) == (0, "")


def test_a_bare_fraction_is_its_own_form():
    """A ``decimal .3`` column takes ``.923`` only, a ``decimal 3`` column ``0.923`` only: a page prints one form in a
    column, and taking the other would part a run elsewhere (``0`` of the column before, then ``.923``)."""
    from decimal import Decimal

    from recover.numbers import BareDecimal, ColumnKind, kind_fits

    bare, whole = ColumnKind("decimal", 3, bare=True), ColumnKind("decimal", 3)
    assert kind_fits(bare, BareDecimal("0.923")) and not kind_fits(bare, Decimal("0.923"))
    assert kind_fits(whole, Decimal("0.923")) and not kind_fits(whole, BareDecimal("0.923"))
    assert not kind_fits(ColumnKind(), BareDecimal("0.923"))


def test_a_time_is_read_whole_or_not_at_all():
    """Cause: a time's fields are not numbers of the grammar. ``text_is_time`` takes ``m:ss`` and ``h:mm:ss``, the
    leading field without a leading zero, each later one 00-59; in a run a time is one cell of a time column."""
    assert [
        t for t in ["13:00", "59:57", "1:02:03", "0:45", "07:27", "13:75", "1234:00", "13:0"] if text_is_time(t)
    ] == [
        "13:00",
        "59:57",
        "1:02:03",
        "0:45",
    ]
    from recover.numbers import ColumnKind

    fmt = NumberFormat(",", ".")
    pieces = text_to_pieces("2113:00", fmt, glued=True, times=True)
    assert pieces is not None
    lattice = RowLattice(pieces, 2, fmt, [ColumnKind("integer"), ColumnKind("time")])
    readings, _ = lattice.readings()
    assert sorted((x[0], str(x[1])) for x in readings) == [(2, "113:00"), (21, "13:00"), (211, "3:00")]


def test_a_ratio_is_parsed_never_evaluated():
    """A ratio rule is read by a pattern, never evaluated: three columns of the table, a whole factor."""
    rule = parse_ratio("s_pct = 100 * g / s", ["g", "s", "s_pct"])
    assert rule is not None and (rule.result, rule.factor, rule.numerator, rule.denominator) == ("s_pct", 100, "g", "s")
    assert parse_ratio("pts = g + a", ["g", "a", "pts"]) is None
    from decimal import Decimal

    assert rule.holds({"g": 1, "s": 6, "s_pct": Decimal("16.7")})
    assert not rule.holds({"g": 1, "s": 25, "s_pct": Decimal("0.0")})
    assert rule.holds({"g": 0, "s": 0, "s_pct": None}) and not rule.holds({"g": 0, "s": 0, "s_pct": Decimal("0.0")})
    with pytest.raises(RuleParseError):
        parse_ratio("s_pct = __import__('os') / s", ["g", "s", "s_pct"])


BAD = """\
document: t
tables:
  - id: t
    label: {column: name, rank: rk}
    columns: [a, b, c, toi]
    column_types: {a: integer, toi: time}
    row_rules: [c = a + b]
"""


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            BAD.replace("toi: time}", "toi: clock}"),
            [
                "{f}:6: tables[0].column_types.toi: 'clock' is not a column type: integer, decimal N (N from 1 to 6), "
                "decimal .N (printed without the whole part: .923), time [rules-bad-value]"
            ],
        ),
        (
            BAD.replace("a: integer", "a: decimal 9"),
            [
                "{f}:6: tables[0].column_types.a: 'decimal 9' is not a column type: integer, decimal N (N from 1 to 6), "
                "decimal .N (printed without the whole part: .923), time [rules-bad-value]"
            ],
        ),
        (
            BAD.replace("a: integer", "z: integer"),
            ["{f}:6: tables[0].column_types.z: unknown column 'z' [rules-bad-value]"],
        ),
        (
            BAD.replace("c = a + b", "c = a + toi"),
            [
                "{f}:7: tables[0].row_rules[0]: 'toi' is a time column: a row rule is over numbers [rules-bad-expression]"
            ],
        ),
        (
            BAD.replace("c = a + b", "c = 100 * a ** b"),
            ["{f}:7: tables[0].row_rules[0]: 'c = 100 * a ** b': unexpected '*' at column 13 [rules-bad-expression]"],
        ),
        (
            BAD.replace("c = a + b", "c = 100 * a / b / b"),
            [
                "{f}:7: tables[0].row_rules[0]: 'c = 100 * a / b / b': a ratio reads c = a / b or c = N * a / b "
                "(N a whole number), or c = a / (a + b) [rules-bad-expression]"
            ],
        ),
        (
            BAD.replace("c = a + b", "c = a / (a + a)"),
            [
                "{f}:7: tables[0].row_rules[0]: 'c = a / (a + a)': a ratio of a sum is over three different columns "
                "[rules-bad-expression]"
            ],
        ),
        (
            BAD.replace("c = a + b", "c = a / (a + toi)"),
            [
                "{f}:7: tables[0].row_rules[0]: 'toi' is a time column: a row rule is over numbers [rules-bad-expression]"
            ],
        ),
        (
            BAD.replace("rank: rk", "rank: a"),
            ["{f}:4: tables[0].label.rank: 'a' names another column too [rules-bad-value]"],
        ),
        (
            BAD + "    maximum: {toi: 65:00}\n",
            [
                '{f}:8: tables[0].maximum.toi: 3900 is not a time in quotes ("65:00": unquoted, YAML reads 65:00 as '
                "a number) [rules-bad-value]"
            ],
        ),
        (BAD + "    may_be_blank: [rk]\n", ["{f}:8: tables[0].may_be_blank: unknown column 'rk' [rules-bad-value]"]),
        (
            BAD + "    totals: {printed: [a, b]}\n",
            ["{f}:8: tables[0].totals.printed: needs totals.row: the row that prints the totals [rules-bad-value]"],
        ),
        (
            BAD.replace("    label:", "    printed: 1\n    label:"),
            [
                "{f}:5: tables[0].label.rank: read from run-together rows only (not a printed table) [rules-bad-value]",
                "{f}:7: tables[0].column_types: read from run-together rows only (not a printed table) "
                "[rules-bad-value]",
            ],
        ),
        (
            BAD + "    totals: {row: Total, columns: [a, toi]}\n",
            ["{f}:8: tables[0].totals.columns: 'toi' is a time column of the table [rules-bad-value]"],
        ),
    ],
)
def test_bad_rank_and_time_keys_are_one_line_each(run_cli, tmp_path, body, expected):
    """Each bad value of the new keys is one line naming the file, the line and the key (exit 2), never a traceback."""
    f = write(tmp_path, "rules.yaml", body)
    status, _out, err = run_cli("check", f)
    assert status == 2
    assert err.splitlines() == [e.format(f=f) for e in expected]
    assert "Traceback" not in err


def test_the_rank_and_time_keys_are_checked_ok(run_cli):
    """The benchmark's box score rules use every new key and are valid under ``recover check``."""
    status, out, err = run_cli("check", "bench/real-rules/sportsipy-nhl-box-202003040VAN.yaml")
    assert (status, err) == (0, "")
    assert "ok (4 tables" in out


@given(
    st.lists(st.integers(0, 999), min_size=1, max_size=5),
    st.integers(0, 119),
    st.integers(0, 59),
)
@settings(max_examples=100, deadline=None)
def test_every_reading_of_a_fused_row_ending_in_a_time_prints_the_row_back(numbers, minutes, seconds):
    """Property: a row of whole numbers run together with a time at its end (``…2113:00``) is read only in ways that
    print it back exactly, the time one cell whose text is the row's end (never split into digits, never a number in
    another column), and the page's own reading is one of them."""
    from recover.numbers import ColumnKind, Duration

    time = f"{minutes}:{seconds:02d}"
    run = "".join(str(n) for n in numbers) + time
    fmt = NumberFormat(",", None)  # whole numbers below 1,000 print no separator
    pieces = text_to_pieces(run, fmt, glued=True, times=True)
    assert pieces is not None
    kinds = [ColumnKind("integer")] * len(numbers) + [ColumnKind("time")]
    readings, why = RowLattice(pieces, len(kinds), fmt, kinds).readings()
    assert why == ""
    assert (*numbers, time) in [(*x[:-1], str(x[-1])) for x in readings]
    for x in readings:
        assert isinstance(x[-1], Duration) and run.endswith(str(x[-1]))
        assert not any(isinstance(v, Duration) for v in x[:-1])
        assert "".join(str(v) for v in x) == run


def test_a_time_column_is_text_in_the_package_and_a_string_in_the_provenance(run_cli, tmp_path):
    """Cause: a time is no number: written bare into the provenance's JSON list of readings (``[…,21,13:00]``) it made
    the list unreadable, and typed as a number in the data package it would fail every reader. A time column is a
    string column of the package, after the numeric ones, and each reading lists the time as a JSON string; a
    ``decimal 1`` column is a number even where every cell read is blank (it was typed by its cells: integer)."""
    import json

    doc = HEADER + "19Darcy Kuemper00000000000059:57\n"
    src, rules_path, out = tmp_path / "doc.txt", tmp_path / "rules.yaml", tmp_path / "out"
    src.write_text(doc, encoding="utf-8")
    rules_path.write_text(rules(row_rules=", s_pct = 100 * g / s", values="Darcy Kuemper"), encoding="utf-8")
    status, _, _ = run_cli("run", src, "--rules", rules_path, "--out", out, "--no-validate")
    assert status == 1  # the goalie's shifts and time: two readings, both left empty
    prov = list(csv.DictReader((out / "ari_skaters.provenance.csv").open(encoding="utf-8")))
    readings = json.loads(prov[0]["alternatives"])
    assert sorted((r[-2:] for r in readings), key=str) == [[5, "9:57"], [None, "59:57"]]
    fields = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields][:2] + [(f["name"], f["type"]) for f in fields][-3:] == [
        ("player", "string"),
        ("rk", "integer"),
        ("s_pct", "number"),
        ("shft", "integer"),
        ("toi", "string"),
    ]


@pytest.mark.parametrize(
    "base, expected",
    [
        ("1Lawson Crouse", ("1", "Lawson Crouse")),
        ("12. Phil Kessel", ("12", "Phil Kessel")),
        ("TOTAL", ("", "TOTAL")),
        ("2019", ("", "2019")),  # a number alone is no rank: no label follows it
    ],
)
def test_a_rank_is_a_whole_number_before_a_word(base, expected):
    """A rank is read off only where a word follows it (``12.`` included); a line of figures keeps them."""
    from recover.locate import base_to_rank

    assert base_to_rank(base) == expected


def test_a_time_column_is_published_where_the_page_prints_it(run_cli, tmp_path):
    """Cause: a run-together table's time column came out after every numeric column (`player,g,pts,toi` for a page
    printing G, TOI, PTS), while a printed table keeps the page's order: the CSV and the data package now list the
    columns as the rules file names them, the order the row prints them. Expected values from the rows by hand."""
    import json

    doc = "Skaters\nPlayer G TOI PTS\nLawson Crouse113:002\nJason Demers015:371\nTaylor Hall217:473\n"
    rules_text = """\
    document: skaters
    tables:
      - id: skaters
        label: {column: player, values: [Lawson Crouse, Jason Demers, Taylor Hall]}
        columns: [g, toi, pts]
        column_types: {g: integer, toi: time, pts: integer}
        maximum: {toi: "65:00", g: 9}
    """
    status, csvs, _, err = run_rules(run_cli, tmp_path, doc, rules_text)
    assert (status, err) == (0, "")
    assert csvs["skaters"] == (
        "player,g,toi,pts\nLawson Crouse,1,13:00,2\nJason Demers,0,15:37,1\nTaylor Hall,2,17:47,3\n"
    )
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    fields = package["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [
        ("player", "string"),
        ("g", "integer"),
        ("toi", "string"),
        ("pts", "integer"),
    ]


def test_a_reviewer_pins_a_time_and_the_next_run_applies_it(run_cli, tmp_path):
    """Cause: `recover review --pick` took a plain number only and the rules' `overrides:` numeric columns only, so the
    goalie's `…0000059:57` (no shifts and 59:57, or 5 shifts and 9:57) could not be decided: `toi` was "no column".
    A time column's decision is a time (`toi=59:57`), written in quotes (unquoted, YAML 1.1 reads 59:57 as 3597), and
    the next run applies it like any override: the row is `corrected`, its shifts blank as the page left them."""
    doc = HEADER + "19Darcy Kuemper00000000000059:57\n"
    src, rules_path, out = tmp_path / "doc.txt", tmp_path / "rules.yaml", tmp_path / "out"
    src.write_text(doc, encoding="utf-8")
    rules_path.write_text(rules(row_rules=", s_pct = 100 * g / s", values="Darcy Kuemper"), encoding="utf-8")
    status, stdout, err = run_cli("run", src, "--rules", rules_path, "--out", out, "--no-validate")
    # the summary counts the time cells too, as the problem line does: 1 row of a rank, 15 numbers and a time
    assert status == 1 and "1 tables, 15 of 17 cells recovered (2 blank on the page)" in stdout
    assert "table ari_skaters: 2 of 17 cells left empty (1 ambiguous rows)" in err
    status, _, err = run_cli("review", out, "--rules", rules_path, "--pick", "ari_skaters:Darcy Kuemper:toi=59:57")
    assert (status, err) == (0, "")
    assert 'Darcy Kuemper: {toi: "59:57"}' in rules_path.read_text(encoding="utf-8")
    status, _, err = run_cli("run", src, "--rules", rules_path, "--out", out, "--no-validate")
    assert (status, err) == (0, "")
    row = table((out / "ari_skaters.csv").read_text(encoding="utf-8"))[1]
    assert row[0] == "Darcy Kuemper" and row[-2:] == ["", "59:57"]
    prov = list(csv.DictReader((out / "ari_skaters.provenance.csv").open(encoding="utf-8")))
    assert prov[0]["status"] == "corrected" and prov[0]["reason"] == "overrides: toi=59:57"


@pytest.mark.parametrize(
    "pick, expected",
    [
        (
            "ari_skaters:Darcy Kuemper:toi=59:75",
            "recover review: --pick 'ari_skaters:Darcy Kuemper:toi=59:75': '59:75' is not a time (m:ss or h:mm:ss) [usage]",
        ),
        (
            "ari_skaters:Darcy Kuemper:toi=12",
            "{rules}: --pick 'ari_skaters:Darcy Kuemper:toi=12': column 'toi' takes a time (e.g. 13:00) [usage]",
        ),
        (
            "ari_skaters:Darcy Kuemper:shft=1:00",
            "{rules}: --pick 'ari_skaters:Darcy Kuemper:shft=1:00': column 'shft' takes a number [usage]",
        ),
    ],
)
def test_a_time_pick_is_checked_in_one_line(run_cli, tmp_path, pick, expected):
    """A decision on a time column is a time, and a time goes to a time column only: one line each, exit 2."""
    doc = HEADER + "19Darcy Kuemper00000000000059:57\n"
    src, rules_path, out = tmp_path / "doc.txt", tmp_path / "rules.yaml", tmp_path / "out"
    src.write_text(doc, encoding="utf-8")
    rules_path.write_text(rules(values="Darcy Kuemper"), encoding="utf-8")
    run_cli("run", src, "--rules", rules_path, "--out", out, "--no-validate")
    status, _, err = run_cli("review", out, "--rules", rules_path, "--pick", pick)
    assert (status, err.strip()) == (2, expected.format(rules=rules_path))


def test_a_time_override_is_a_time_in_quotes(run_cli, tmp_path):
    """`overrides:` of a time column: a time in quotes; YAML 1.1 reads an unquoted 59:57 as the number 3597, which is
    no time of the column: one line naming the key, exit 2."""
    path = tmp_path / "rules.yaml"
    path.write_text(
        rules(values="Darcy Kuemper", extra="    overrides: {Darcy Kuemper: {toi: 59:57}}\n"), encoding="utf-8"
    )
    status, _, err = run_cli("check", path)
    assert status == 2
    assert err.strip() == (
        f'{path}:14: tables[0].overrides.Darcy Kuemper.toi: 3597 is not a time in quotes ("13:00": unquoted, YAML '
        "reads 13:00 as a number) [rules-bad-value]"
    )


def test_a_share_of_a_sum_is_rounded_to_its_printed_decimals() -> None:
    """``w_l = w / (w + l)`` (issue 15/16: W-L% of a standings page, a share of the games the page does not print):
    13 wins, 3 losses print .813 (13 / 16 = .8125, within half a unit of .813); .812 too (the same half unit); .814
    and a parting 1 | 33 (1 / 34) do not; a blank cell leaves it unsaid; 0 games leave it blank only."""
    from decimal import Decimal

    from recover.rulegrammar import parse_ratio

    rule = parse_ratio("w_l = w / (w + l)", ["w", "l", "w_l"])
    assert rule is not None and rule.addends == ("l",)
    d = Decimal
    assert rule.holds({"w": 13, "l": 3, "w_l": d(".813")})
    assert rule.holds({"w": 13, "l": 3, "w_l": d(".812")})
    assert not rule.holds({"w": 13, "l": 3, "w_l": d(".814")})
    assert not rule.holds({"w": 1, "l": 33, "w_l": d(".813")})
    assert rule.holds({"w": 13, "l": None, "w_l": d(".5")})
    assert rule.holds({"w": 0, "l": 0, "w_l": None}) and not rule.holds({"w": 0, "l": 0, "w_l": d(".000")})
