"""Run `recover run` over a generated corpus and score every cell against the truth.

    python bench/corpus.py --docs 200 --seed 7
    python bench/corpus.py --quirks --docs 60 --seed 3        # quirky tables as text, HTML and PDF

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
        truth = (
            json.loads(rules_path.with_suffix("").with_suffix(".truth.json").read_text())
            if False
            else json.loads((rules_path.parent / (rules_path.stem + ".truth.json")).read_text())
        )
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


# ----------------------------------------------------------------------------- quirky tables (--quirks)


def _read_csv(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _reading_of(values: list) -> tuple:
    return tuple(None if v is None else int(v) for v in values)


def score_quirks(out: Path, docs: list[Path], fmt: str, keep: bool = True) -> dict:
    """Given quirky documents' rules files and a rendering, run `recover run` on each and score every cell.

    wrong: published but not what the page printed (a value where the page printed a blank
    included); blanks kept: page blanks published empty; dropped: truth rows missing from the
    CSV; extra: CSV rows the page did not print (or printed once); guessed: published though the
    brute force (bench/quirks.py) finds solutions that disagree on the cell; missed: determined
    by the brute force but left empty; not_alternative: rows (not duplicate/unreadable) whose
    true reading the provenance does not list.
    """
    import yaml

    from bench.quirks import FORMAT_SUFFIX, UNDETERMINED, table_oracle

    stats = dict(
        docs=0,
        seconds=0.0,
        tables=0,
        rows=0,
        cells=0,
        blanks=0,
        blanks_kept=0,
        recovered=0,
        wrong=0,
        oracle_cells=0,
        determined=0,
        guessed=0,
        missed=0,
        dropped=0,
        extra=0,
        not_alternative=0,
        exit_2=0,
        oracle_inconsistent=0,
    )
    examples: list[str] = []
    for rules_path in docs:
        doc = rules_path.with_suffix(FORMAT_SUFFIX[fmt])
        if not doc.exists():
            continue
        truth = json.loads((rules_path.parent / (rules_path.stem + ".truth.json")).read_text(encoding="utf-8"))
        thousands = truth["thousands"]
        target = out / f"{rules_path.stem}-{fmt}"
        t0 = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
            status = recover_main(["run", str(doc), "--rules", str(rules_path), "--out", str(target), "--no-validate"])
        stats["seconds"] += time.perf_counter() - t0
        stats["docs"] += 1
        if status == 2:
            stats["exit_2"] += 1
            examples.append(f"{doc}: exit 2: {err.getvalue().strip()[:200]}")
            continue
        rules = yaml.safe_load(rules_path.read_text(encoding="utf-8"))
        for spec in rules["tables"]:
            table = truth["tables"][spec["id"]]
            stats["tables"] += 1
            got = _read_csv(target / f"{spec['id']}.csv")[1:]
            prov = [
                dict(zip(["line", "page", "raw", "label", "score", "status", "solutions", "alternatives"], r[:8]))
                for r in _read_csv(target / f"{spec['id']}.provenance.csv")[1:]
            ]
            by_label: dict[str, list[list[str]]] = {}
            for r in got:
                by_label.setdefault(r[0], []).append(r[1:])
            det, used = table_oracle(table, fmt, thousands)
            where = f"{doc.name}:{spec['id']}"
            truth_labels = {r["label"] for r in table["rows"]}
            for label, published in by_label.items():
                if label not in truth_labels:
                    stats["extra"] += len(published)
                    for cells in published:
                        bad = [c for c in cells if c != ""]
                        stats["wrong"] += len(bad)
                        examples.append(f"{where}: row '{label}' the page did not print, published {cells}")
            for i, row in enumerate(table["rows"]):
                stats["rows"] += 1
                published = by_label.get(row["label"])
                if published is None:
                    stats["dropped"] += 1
                    examples.append(f"{where}: row '{row['label']}' dropped")
                if published and len(published) > 1:
                    stats["extra"] += len(published) - 1
                    examples.append(f"{where}: row '{row['label']}' published {len(published)} times")
                for cells in (published or [None])[1:]:
                    for j, v in enumerate(row["values"]):
                        if cells[j] != "" and (v is None or cells[j] != str(v)):
                            stats["wrong"] += 1
                            examples.append(
                                f"{where}: '{row['label']}' (again) {spec['columns'][j]}: published {cells[j]}, page printed {'a blank' if v is None else v}"
                            )
                cells = published[0] if published else [""] * len(row["values"])
                for j, v in enumerate(row["values"]):
                    stats["cells"] += 1
                    cell = cells[j]
                    d = det[i][j] if det is not None else UNDETERMINED
                    if det is not None:
                        stats["oracle_cells"] += 1
                        stats["determined"] += d is not UNDETERMINED
                    if v is None:
                        stats["blanks"] += 1
                        if cell == "":
                            stats["blanks_kept"] += 1
                        else:
                            stats["wrong"] += 1
                            examples.append(
                                f"{where}: '{row['label']}' {spec['columns'][j]}: published {cell}, page printed a blank"
                            )
                        continue
                    if cell == "":
                        if det is not None and d is not UNDETERMINED:
                            stats["missed"] += 1
                        continue
                    if cell != str(v):
                        stats["wrong"] += 1
                        examples.append(
                            f"{where}: '{row['label']}' {spec['columns'][j]}: published {cell}, page printed {v}"
                        )
                        continue
                    stats["recovered"] += 1
                    if det is not None and d is UNDETERMINED:
                        stats["guessed"] += 1
                        examples.append(
                            f"{where}: '{row['label']}' {spec['columns'][j]}: published {cell}, not determined by the evidence"
                        )
                truth_reading = _reading_of(row["values"])
                if truth_reading not in used[i]:  # the generator's truth must be one of the brute force's solutions
                    stats["oracle_inconsistent"] += 1
                    examples.append(
                        f"{where}: '{row['label']}': BENCH BUG: truth {list(truth_reading)} not among the brute force's readings"
                    )
                for p in prov:
                    if (
                        p["label"] == row["label"]
                        and p["status"] not in ("duplicate", "unreadable")
                        and not p["solutions"].endswith("+")
                    ):
                        alts = {_reading_of(a) for a in json.loads(p["alternatives"] or "[]")}
                        if truth_reading not in alts:
                            stats["not_alternative"] += 1
                            examples.append(
                                f"{where}: '{row['label']}' ({p['status']}): true reading {list(truth_reading)} not among {sorted(alts, key=repr)[:5]}"
                            )
                        break
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
    stats["examples"] = examples
    return stats


QUIRK_COLUMNS = [
    "format",
    "docs",
    "docs/s",
    "cells",
    "recovered",
    "wrong",
    "guessed",
    "oracle cells",
    "blanks kept",
    "rows",
    "dropped",
    "extra",
    "missed",
    "not alt.",
]


def quirks_main(args) -> None:
    from bench.quirks import generate_quirks

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    pdf_docs = args.pdf_docs if args.pdf_docs is not None else max(1, args.docs // 4)
    corpus, out = args.work / f"quirks-{args.seed}", args.work / f"quirk-runs-{args.seed}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    docs = generate_quirks(args.docs, args.seed, corpus, formats, pdf_docs)
    print("command: python bench/corpus.py " + " ".join(sys.argv[1:]))
    rows, failed = [], False
    for fmt in formats:
        s = score_quirks(out, docs, fmt)
        rows.append(
            [
                fmt,
                s["docs"],
                f"{s['docs'] / max(s['seconds'], 1e-9):.1f}",
                s["cells"],
                s["recovered"],
                s["wrong"],
                s["guessed"],
                s["oracle_cells"],
                f"{s['blanks_kept']}/{s['blanks']}",
                s["rows"],
                s["dropped"],
                s["extra"],
                s["missed"],
                s["not_alternative"],
            ]
        )
        bad = (
            s["wrong"]
            or s["guessed"]
            or s["dropped"]
            or s["blanks_kept"] != s["blanks"]
            or s["exit_2"]
            or s["oracle_inconsistent"]
        )
        failed = failed or bool(bad)
        s["examples_shown"] = s["examples"][:12]
        rows[-1].append(s)
    widths = [max(len(str(r[i])) for r in [QUIRK_COLUMNS] + [r[:-1] for r in rows]) for i in range(len(QUIRK_COLUMNS))]
    print("  ".join(str(c).rjust(w) for c, w in zip(QUIRK_COLUMNS, widths)))
    for r in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(r[:-1], widths)))
    report = out / "report.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("".join(f"{r[0]}: {e}\n" for r in rows for e in r[-1]["examples"]), encoding="utf-8")
    for r in rows:
        for e in r[-1]["examples_shown"]:
            print(f"  {r[0]}: {e}")
        if len(r[-1]["examples"]) > len(r[-1]["examples_shown"]):
            print(f"  {r[0]}: ... {len(r[-1]['examples']) - len(r[-1]['examples_shown'])} more in {report}")
    print(f"corpus: {corpus}  runs: {out}")
    if failed:
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument(
        "--quirks",
        action="store_true",
        help="quirky tables (blanks, negatives, marks, repeats, wraps) as text, HTML and PDF",
    )
    ap.add_argument("--formats", default="text,html,pdf", help="with --quirks: renderings to score (text,html,pdf)")
    ap.add_argument(
        "--pdf-docs", type=int, default=None, help="with --quirks: documents also drawn as PDF (default: a quarter)"
    )
    args = ap.parse_args()
    if args.quirks:
        quirks_main(args)
        return
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
