"""Run `recover run` over a generated corpus and score every cell against the truth.

    python bench/corpus.py --docs 200 --seed 7

Reports cells in all, cells determined (by an independent brute force over the true
digit runs and rules, where it is small enough), cells recovered, cells wrong (written
but not the truth: must be 0), cells guessed (written though the evidence does not
determine them: must be 0), and documents per second.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import FORMATS, generate  # noqa: E402
from recover.cli import main as recover_main  # noqa: E402
from tests import brute  # noqa: E402

#: Largest product of row readings the brute-force oracle enumerates.
ORACLE_LIMIT = 200_000


def oracle(table: dict, spec: dict, fmt) -> list[list] | None:
    """Given a true table and its rules, return each cell's value where the evidence determines it, else None."""
    from recover.numbers import format_number

    cols = spec["columns"]
    k = len(cols)
    rule = bool(spec.get("row_rules"))
    rows = [r[1:] for r in table["rows"]]
    labels = [r[0] for r in table["rows"]]
    readings = []
    for r in rows:
        run = "".join(format_number(v, fmt) for v in r)
        rs = [s for s in brute.splits(run, k, fmt.thousands) if not rule or sum(s[:-1]) == s[-1]]
        readings.append(rs)
    size = 1
    for rs in readings:
        size *= max(1, len(rs))
    if size > ORACLE_LIMIT:
        return None
    totals = spec.get("totals", {})
    t_idx = labels.index(totals["row"]) if totals.get("row") in labels else None
    known = totals.get("known", {})
    complete = totals.get("complete", True)

    def ok(combo):
        body = [x for i, x in enumerate(combo) if i != t_idx]
        for j, c in enumerate(cols):
            s = sum(x[j] for x in body)
            if t_idx is not None:
                t = combo[t_idx][j]
                if (s != t) if complete else (s > t):
                    return False
                if c in known and t != known[c]:
                    return False
            elif c in known and ((s != known[c]) if complete else s > known[c]):
                return False
        return True

    sols = brute.table_solutions(readings, ok)
    return brute.determined(sols, len(rows), k)


def score(corpus: Path, out: Path, docs: list[Path]) -> dict:
    stats = dict(cells=0, determined=0, oracle_cells=0, recovered=0, wrong=0, guessed=0, missed=0, docs=0, seconds=0.0)
    wrong_examples = []
    for rules_path in docs:
        doc = rules_path.with_suffix(".txt")
        truth = json.loads(rules_path.with_suffix("").with_suffix(".truth.json").read_text()) if False else json.loads(
            (rules_path.parent / (rules_path.stem + ".truth.json")).read_text())
        import yaml

        rules = yaml.safe_load(rules_path.read_text())
        fmt = next(f for f in FORMATS.values() if f.thousands == rules["number_format"]["thousands"])
        target = out / rules_path.stem
        t0 = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            status = recover_main(["run", str(doc), "--rules", str(rules_path), "--out", str(target), "--no-validate"])
        stats["seconds"] += time.perf_counter() - t0
        stats["docs"] += 1
        if status == 2:
            raise SystemExit(f"{doc}: recover run exited 2")
        for spec in rules["tables"]:
            table = truth[spec["id"]]
            got = {r[0]: r[1:] for r in list(csv.reader(open(target / f"{spec['id']}.csv", encoding="utf-8")))[1:]}
            det = oracle(table, spec, fmt)
            for i, row in enumerate(table["rows"]):
                label, values = row[0], row[1:]
                out_row = got.get(label, [""] * len(values))
                for j, v in enumerate(values):
                    stats["cells"] += 1
                    cell = out_row[j]
                    if det is not None:
                        stats["oracle_cells"] += 1
                        stats["determined"] += det[i][j] is not None
                    if cell == "":
                        if det is not None and det[i][j] is not None:
                            stats["missed"] += 1
                        continue
                    if cell != str(v):
                        stats["wrong"] += 1
                        wrong_examples.append(f"{doc}:{spec['id']}:{label}:{spec['columns'][j]} got {cell} want {v}")
                    else:
                        stats["recovered"] += 1
                        if det is not None and det[i][j] is None:
                            stats["guessed"] += 1
    stats["wrong_examples"] = wrong_examples[:10]
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    corpus, out = args.work / f"corpus-{args.seed}", args.work / f"runs-{args.seed}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    docs = generate(args.docs, args.seed, corpus)
    s = score(corpus, out, docs)
    print(f"documents: {s['docs']}  ({s['docs'] / s['seconds']:.1f} runs/s in-process, {s['seconds']:.1f} s)")
    print(f"cells: {s['cells']}  with an oracle: {s['oracle_cells']}  determined: {s['determined']}")
    print(f"recovered: {s['recovered']}  missed (determined but empty): {s['missed']}")
    print(f"wrong: {s['wrong']}  guessed: {s['guessed']}")
    for w in s["wrong_examples"]:
        print("  WRONG", w)
    if s["wrong"] or s["guessed"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
