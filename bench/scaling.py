"""How the cost of `recover run` grows: rows, width, and a pathological row.

    python bench/scaling.py

Each case is a generated document and rules file run through the real command
(`recover run … --no-validate`, a fresh process each time, best of --repeat runs):

- rows-10, rows-100, rows-1000: three columns (total = a + b), no thousands separators,
  the column total known from the prose;
- wide: 22 numeric columns, 55 rows of 40-65 digits under "," (thousands of grammatical
  splits per row), a row-sum rule and a complete totals row that couples all rows;
- pathological: one 60-digit row into 12 columns, no separators and no rules: it must end,
  abstaining, in seconds;
- totals-50x10: issue 9's case, 50 fused rows of ten one- and two-digit counts (no separators,
  no rule) under a fused Total row: the Total row alone passes the row bound, the body's bounds
  leave it one reading, and the table search must then solve the table under its totals;
- totals-30x8-hard: the same with more two-digit counts, where the search does hit
  DEFAULT_MAX_TABLE_WORK: what it costs to say so, and what is still published.

    python bench/scaling.py --rows 1000,10000 --only rows   # the 10,000-row figure (peak memory too)
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from recover.numbers import NumberFormat, RowLattice, format_number  # noqa: E402

WORDS = [
    "Alder",
    "Birch",
    "Cedar",
    "Dogwood",
    "Elm",
    "Fir",
    "Ginkgo",
    "Hazel",
    "Ivy",
    "Juniper",
    "Kapok",
    "Larch",
    "Maple",
    "Nutmeg",
    "Oak",
    "Pine",
    "Quince",
    "Rowan",
    "Spruce",
    "Teak",
    "Umbrella",
    "Viburnum",
    "Willow",
    "Yew",
]


def labels(n: int) -> list[str]:
    """Given a count, return that many distinct labels made of words (no digits)."""
    out = []
    for i in range(n):
        a, b, c = WORDS[i % 24], WORDS[(i // 24) % 24], WORDS[(i // 576) % 24]
        out.append(f"{a} {b} {c} County")
    return out


def rows_case(n: int, rng: random.Random, folder: Path) -> tuple[Path, Path]:
    fmt = NumberFormat(None)
    names = labels(n)
    rows = []
    for _ in range(n):
        a, b = rng.randint(0, 5000), rng.randint(0, 5000)
        rows.append((a, b, a + b))
    total = sum(r[2] for r in rows)
    lines = ["County statistics", "", f"In all there were {total} cases.", "", "Cases by County", "County A B Total"]
    lines += [name + "".join(format_number(v, fmt) for v in r) for name, r in zip(names, rows)]
    doc = folder / f"rows-{n}.txt"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = {
        "document": f"rows-{n}",
        "number_format": {"thousands": None},
        "tables": [
            {
                "id": "counties",
                "title": "Cases by County",
                "header": "County A B Total",
                "label": {"column": "county", "values": names},
                "columns": ["a", "b", "total"],
                "row_rules": ["total = a + b"],
                "totals": {"known": {"total": total}},
            }
        ],
    }
    path = folder / f"rows-{n}.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return doc, path


def wide_case(rng: random.Random, folder: Path) -> tuple[Path, Path, list[int]]:
    fmt = NumberFormat(",")
    names = labels(55)
    cols = [f"c{j:02d}" for j in range(21)] + ["total"]
    rows, splits = [], []
    while len(rows) < 55:  # like a federal report: many four-digit figures (their commas anchor the splits)
        vals = [rng.choice([rng.randint(1000, 9999), rng.randint(1000, 9999), rng.randint(0, 99)]) for _ in range(21)]
        row = vals + [sum(vals)]
        run = "".join(format_number(v, fmt) for v in row)
        splits_here = RowLattice(run, 22, fmt).count()
        if 40 <= sum(c.isdigit() for c in run) <= 65 and 1_000 <= splits_here <= 100_000:
            rows.append(row)
            splits.append(splits_here)
    total = [sum(r[j] for r in rows) for j in range(22)]
    lines = ["Federal report, table 7", "", "Table 7: Cases by County and Program", " ".join(["County"] + cols)]
    lines += [name + "".join(format_number(v, fmt) for v in r) for name, r in zip(names, rows)]
    lines.append("Total" + "".join(format_number(v, fmt) for v in total))
    doc = folder / "wide.txt"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = {
        "document": "wide",
        "number_format": {"thousands": ","},
        "tables": [
            {
                "id": "programs",
                "title": "Table 7: Cases by County and Program",
                "header": " ".join(["County"] + cols),
                "label": {"column": "county", "values": names + ["Total"]},
                "columns": cols,
                "row_rules": ["total = sum(c00..c20)"],
                "totals": {"row": "Total", "complete": True},
            }
        ],
    }
    path = folder / "wide.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return doc, path, splits


def pathological_case(rng: random.Random, folder: Path) -> tuple[Path, Path]:
    digits = "".join(rng.choice("123456789") for _ in range(60))
    doc = folder / "pathological.txt"
    doc.write_text(f"Pathological\nRow{digits}\n", encoding="utf-8")
    rules = {
        "document": "pathological",
        "number_format": {"thousands": None},
        "tables": [
            {
                "id": "p",
                "title": "Pathological",
                "label": {"column": "name", "values": ["Row"]},
                "columns": [f"c{j}" for j in range(12)],
            }
        ],
    }
    path = folder / "pathological.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return doc, path


def totals_case(
    name: str, seed: int, n: int, k: int, two_digit_share: float, folder: Path
) -> tuple[Path, Path, list[list[int]]]:
    """Given a size and a share of two-digit counts, write a fused table of one- and two-digit counts under a fused
    Total row (no separators, no rule); return the document, its rules and the true rows (Total last)."""
    rng = random.Random(seed)
    names = labels(n)
    body = [
        [rng.randint(10, 99) if rng.random() < two_digit_share else rng.randint(0, 9) for _ in range(k)] for _ in names
    ]
    total = [sum(r[j] for r in body) for j in range(k)]
    cols = [f"c{j}" for j in range(k)]
    lines = ["Table 1: Cases by county", "County " + " ".join(cols)]
    lines += [nm + "".join(map(str, r)) for nm, r in zip(names, body)]
    lines.append("Total" + "".join(map(str, total)))
    doc = folder / f"{name}.txt"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = {
        "document": name,
        "number_format": {"thousands": None},
        "tables": [
            {
                "id": "t",
                "title": "Table 1: Cases by county",
                "header": "County " + " ".join(cols),
                "label": {"column": "county", "values": names + ["Total"]},
                "columns": cols,
                "totals": {"row": "Total", "complete": True},
            }
        ],
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return doc, path, body + [total]


def time_run(doc: Path, rules: Path, out: Path, repeat: int) -> tuple[float, float, int, str]:
    """Given a document and its rules, return (best wall seconds, peak MB, exit status, stderr) of `recover run`."""
    import os

    exe = Path(sys.executable).parent / "recover"
    best, peak, status, err = float("inf"), 0.0, 0, ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        with open(out.parent / f"{out.name}.stderr", "w+") as errf:
            proc = subprocess.Popen(
                [str(exe), "run", str(doc), "--rules", str(rules), "--out", str(out), "--no-validate"],
                stdout=subprocess.DEVNULL,
                stderr=errf,
            )
            _, code, usage = os.wait4(proc.pid, 0)
            errf.seek(0)
            err = errf.read().strip()
        best = min(best, time.perf_counter() - t0)
        peak = max(peak, usage.ru_maxrss / 1024)
        status = os.waitstatus_to_exitcode(code)
    return best, peak, status, err


def wrong_cells(out: Path, truth: list[list[int]]) -> int:
    """Given a run's output folder and the true rows, return how many published cells differ from the truth."""
    rows = list(csv.reader(open(out / "t.csv", encoding="utf-8")))[1:]
    return sum(1 for r, t in zip(rows, truth) for a, v in zip(r[1:], t) if a != "" and a != str(v))


def cells_filled(out: Path) -> tuple[int, int]:
    filled = total = 0
    for f in out.glob("*.csv"):
        if f.name.endswith("provenance.csv") or f.name == "facts.csv":
            continue
        for row in list(csv.reader(open(f, encoding="utf-8")))[1:]:
            total += len(row) - 1
            filled += sum(1 for c in row[1:] if c != "")
    return filled, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", default="10,100,1000", help="row counts of the rows case, comma-separated")
    ap.add_argument("--only", default="", help="cases to run: rows, wide, pathological, totals (comma-separated)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "scaling")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    rng = random.Random(2020)
    counts = [int(n) for n in args.rows.split(",")]
    cases: list[tuple[str, Path, Path]] = []
    truths: dict[str, list[list[int]]] = {}
    if not only or "rows" in only:
        cases += [(f"rows-{n}", *rows_case(n, rng, args.work)) for n in counts]
    splits: list[int] = []
    if not only or "wide" in only:
        doc, rules, splits = wide_case(rng, args.work)
        cases.append(("wide", doc, rules))
    if not only or "pathological" in only:
        cases.append(("pathological", *pathological_case(rng, args.work)))
    if not only or "totals" in only:
        for name, seed, n, k, share in (("totals-50x10", 2, 50, 10, 0.05), ("totals-30x8-hard", 1, 30, 8, 0.1)):
            doc, rules, truths[name] = totals_case(name, seed, n, k, share, args.work)
            cases.append((name, doc, rules))
    results = {}
    for name, doc, rules in cases:
        secs, peak, status, err = time_run(doc, rules, args.work / f"out-{name}", args.repeat)
        filled, total = cells_filled(args.work / f"out-{name}")
        results[name] = secs
        wrong = f"  wrong {wrong_cells(args.work / f'out-{name}', truths[name])}" if name in truths else ""
        print(
            f"{name:16s} {secs:6.2f} s  {peak:6.0f} MB peak  exit {status}  cells {filled}/{total}{wrong}"
            + (f"  [{err.splitlines()[-1][:110]}]" if err else "")
        )
    if splits:
        print(
            f"wide: grammatical splits per row min {min(splits):,} median {sorted(splits)[len(splits) // 2]:,} "
            f"max {max(splits):,}"
        )
    rows = [n for n in counts if f"rows-{n}" in results]
    if len(rows) > 1:
        print(f"rows-{rows[-1]} / rows-{rows[0]} = {results[f'rows-{rows[-1]}'] / results[f'rows-{rows[0]}']:.2f}x")


if __name__ == "__main__":
    main()
