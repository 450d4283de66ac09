"""Zero-config on the generated corpus: `recover run` WITHOUT the rules files, scored cell by cell.

    python bench/zero_config.py --docs 150 --seed 3
    python bench/zero_config.py --timing              # inference on the seed and on a 1,000-row table

Each generated document comes with its true table and the rules it was made under. Zero-config
never sees those rules. A truth table is matched to the inferred table whose rows and columns it
has (rows in source order); then, per cell: **recovered** (the true value), **wrong** (another value:
must be 0), and, where the independent brute force (`bench/corpus.py`'s oracle, over the true
rules) can say so, **determined** cells and **guessed** ones (filled, though even the true rules do
not determine them: must be 0). Prints the share of the cells the true rules determine that
zero-config gives back.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from bench.corpus import oracle  # noqa: E402
from bench.generate import FORMATS, SPIN, generate  # noqa: E402
from recover.cli import main as recover_main  # noqa: E402


def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def label_verdict(published: str, truth: str) -> str:
    """Given a published label and the true one, return "right" (the truth as printed: some of its words may be
    spun), "incomplete" (the first words of it, the figures in doubt left off) or "wrong" (any other label)."""
    import itertools

    printed = [" ".join(c) for c in itertools.product(*([w, SPIN[w]] if w in SPIN else [w] for w in truth.split()))]
    words = published.split()
    if published in printed:
        return "right"
    return "incomplete" if words and any(p.split()[: len(words)] == words for p in printed) else "wrong"


def score(corpus: Path, out: Path, docs: list[Path]) -> dict:
    """Given a corpus and its rules files (never shown to recover), run zero-config on each document and score it."""
    import yaml

    s = dict(
        cells=0,
        oracle_cells=0,
        determined=0,
        recovered=0,
        recovered_determined=0,
        wrong=0,
        guessed=0,
        tables=0,
        tables_read=0,
        labels_right=0,
        labels_incomplete=0,
        labels_wrong=0,
        docs=0,
        seconds=0.0,
    )
    wrong_examples: list[str] = []
    for rules_path in docs:
        doc = rules_path.with_suffix(".txt")
        truth = json.loads((rules_path.parent / (rules_path.stem + ".truth.json")).read_text())
        rules = yaml.safe_load(rules_path.read_text())
        fmt = next(f for f in FORMATS.values() if f.thousands == rules["number_format"]["thousands"])
        target = out / rules_path.stem
        t0 = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            status = recover_main(["run", str(doc), "--out", str(target), "--no-validate"])
        s["seconds"] += time.perf_counter() - t0
        s["docs"] += 1
        if status == 2:
            raise SystemExit(f"{doc}: recover run exited 2")
        rules_file = target / "inferred-rules.yaml"  # none where no table was read
        inferred = (yaml.safe_load(rules_file.read_text()) or {}) if rules_file.exists() else {}
        titles = {t["id"]: t.get("title") or "" for t in inferred.get("tables") or []}
        got_by_id = {
            p.stem: _read(p)[1:] for p in sorted(target.glob("table_*.csv")) if not p.name.endswith(".provenance.csv")
        }
        for spec in rules["tables"]:
            table = truth[spec["id"]]
            rows = [r[1:] for r in table["rows"]]
            det = oracle(table, spec, fmt)
            s["tables"] += 1
            s["cells"] += sum(len(r) for r in rows)
            if det is not None:
                s["oracle_cells"] += sum(len(r) for r in rows)
                s["determined"] += sum(v is not None for r in det for v in r)
            # the inferred table of the same title (figures equal: "Table 2" is never "Table 1") and shape
            same = [
                tid
                for tid, title in titles.items()
                if re.findall(r"\d+", title) == re.findall(r"\d+", spec["title"])
                and fuzz.ratio(title.lower(), spec["title"].lower()) >= 70
            ]
            got = [got_by_id[tid] for tid in same if tid in got_by_id]
            shaped = [g for g in got if len(g) == len(rows) and g and len(g[0]) == len(rows[0]) + 1]
            best = max(
                shaped,
                key=lambda g: sum(a == str(v) for gr, r in zip(g, rows) for a, v in zip(gr[1:], r)),
                default=None,
            )
            if best is None:
                continue
            s["tables_read"] += 1
            for i, (gr, r) in enumerate(zip(best, rows)):
                said = label_verdict(gr[0], table["rows"][i][0])
                s[f"labels_{said}"] += 1
                if said == "wrong":
                    wrong_examples.append(f"{doc}:{spec['id']} row {i}: label {gr[0]!r}, want {table['rows'][i][0]!r}")
                for j, (a, v) in enumerate(zip(gr[1:], r)):
                    if not a:
                        continue
                    if a != str(v):
                        s["wrong"] += 1
                        wrong_examples.append(f"{doc}:{spec['id']} row {i} col {j}: got {a} want {v}")
                        continue
                    s["recovered"] += 1
                    if det is not None:
                        if det[i][j] is None:
                            s["guessed"] += 1
                        else:
                            s["recovered_determined"] += 1
    s["wrong_examples"] = wrong_examples[:10]
    return s


def timing() -> None:
    """Print the time inference takes on the seed and on a generated 1,000-row table (best of 3, in-process)."""
    from recover.inference import document_to_rules_text
    from recover.pipeline import extract, fetch

    def best(doc) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            document_to_rules_text(doc)
            times.append(time.perf_counter() - t0)
        return min(times)

    seed = extract(fetch(str(ROOT / "samples" / "ncmec-2020" / "ncmec-2020-impact-spun.txt")))
    import random
    import tempfile

    rng = random.Random(5)
    lines = ["Cases by district", "District Active Resolved Total"]
    for i in range(1000):
        a, b = rng.randint(0, 5000), rng.randint(0, 5000)
        lines.append(f"District {i:04d} x{''.join(f'{v:,}' for v in (a, b, a + b))}")
    path = Path(tempfile.mkdtemp()) / "rows-1000.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    big = extract(fetch(str(path)))
    print(f"inference, seed (4 tables, 32 rows): {best(seed):.3f} s")
    print(f"inference, one table of 1,000 fused rows: {best(big):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "zero-config")
    ap.add_argument("--timing", action="store_true")
    args = ap.parse_args()
    if args.timing:
        timing()
        return
    docs = generate(args.docs, args.seed, args.out / "corpus")
    s = score(args.out / "corpus", args.out / "runs", docs)
    share = s["recovered_determined"] / s["determined"] if s["determined"] else 0.0
    print(f"python bench/zero_config.py --docs {args.docs} --seed {args.seed}")
    print(f"documents: {s['docs']}  tables: {s['tables']} (read: {s['tables_read']})  cells: {s['cells']}")
    print(f"determined by the true rules (oracle, {s['oracle_cells']} cells): {s['determined']}")
    print(f"recovered without rules: {s['recovered']} ({s['recovered_determined']} of the determined: {share:.1%})")
    print(f"wrong: {s['wrong']}  guessed: {s['guessed']}  ({s['docs'] / s['seconds']:.1f} runs/s)")
    print(
        f"labels of the rows read: {s['labels_right']} as printed, {s['labels_incomplete']} incomplete "
        f"(figures in doubt left off), {s['labels_wrong']} wrong"
    )
    for w in s["wrong_examples"]:
        print("  wrong:", w)


if __name__ == "__main__":
    main()
