"""Generate damaged documents with known truth: the bench corpus for `recover run`.

Each document is plain text as a careless re-publisher would leave it: prose, a spun
title, a header (sometimes fused with the first row, sometimes repeated over chunks), and
rows whose label and numbers run together. Each comes with its rules file and the true
tables, so a run can be scored cell by cell.

    python bench/generate.py --docs 50 --seed 1 --out bench/out/corpus
    python bench/generate.py --quirks --docs 20 --seed 3 --out bench/out/quirks   # see bench/quirks.py
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from recover.numbers import NumberFormat, format_number

SPIN = {
    "of": "the",
    "to": "come",
    "than": "보다",
    "and": "and also",
    "Missing": "Lacking",
    "Law": "Legislation",
    "Total": "Complete",
    "State": "Area",
    "Region": "Area",
    "Cases": "Instances",
    "Children": "Youngsters",
}
VOCABS = {
    "region": [
        "North Region",
        "South Region",
        "East Region",
        "West Region",
        "Central Region",
        "Capital District",
        "Coastal District",
        "Mountain District",
        "River Valley",
        "Lake Shore",
        "High Plains",
        "Islands",
    ],
    "category": [
        "Family Abduction",
        "Nonfamily Abduction",
        "Endangered Runaway",
        "Lost or Injured",
        "Missing Young Adult",
        "Critically Missing",
        "Other Cases",
        "Unknown Status",
    ],
    "age": ["Less than 1 to 2", "3 to 5", "6 to 8", "9 to 11", "12 to 14", "15 to 17", "18 to 20", "21 to 24"],
    "agency": [
        "Federal Law Enforcement",
        "Local Police",
        "State Police",
        "Military",
        "International",
        "Tribal Police",
        "Child Welfare",
        "Schools",
    ],
}
FORMATS = {"comma": NumberFormat(","), "dot": NumberFormat("."), "space": NumberFormat(" "), "none": NumberFormat(None)}
PROSE = [
    "This report summarises the cases reported during the year, and it is published every spring.",
    "Figures are provisional and may be revised when late reports arrive from the field offices.",
    "For more information about a particular area, contact the clearinghouse for that area.",
]


def spin(text: str, rng: random.Random, p: float = 0.5) -> str:
    """Given a phrase, return it with some words swapped as an article spinner would."""
    return " ".join(SPIN[w] if w in SPIN and rng.random() < p else w for w in text.split())


@dataclass
class Table:
    id: str
    title: str
    vocab: str
    columns: list[str]
    labels: list[str]
    rows: list[list[int]]
    row_rule: bool
    totals_row: str | None  # label of the totals row
    totals_first: bool
    complete: bool
    known: dict[str, int]
    chunks: int
    fused_header: bool


def make_table(rng: random.Random, index: int) -> Table:
    """Given a random generator, return a table that satisfies its own rules."""
    vocab = rng.choice(list(VOCABS))
    k = rng.choice([2, 3, 3, 4, 5])
    row_rule = rng.random() < 0.75
    columns = [f"c{j}" for j in range(k - 1)] + ["total"] if row_rule else [f"c{j}" for j in range(k)]
    n = rng.randint(3, min(7, len(VOCABS[vocab])))
    labels = rng.sample(VOCABS[vocab], n)
    scale = rng.choice([30, 900, 30_000])
    rows = []
    for _ in range(n):
        vals = [rng.choice([rng.randint(0, 9), rng.randint(0, scale)]) for _ in range(k - 1 if row_rule else k)]
        rows.append(vals + [sum(vals)] if row_rule else vals)
    mode = rng.choice(["none", "row", "row_partial", "known"])
    totals_row, complete, known = None, True, {}
    sums = [sum(r[j] for r in rows) for j in range(k)]
    if mode in ("row", "row_partial"):
        totals_row = "Total"
        total = list(sums)
        if mode == "row_partial":
            complete = False
            extra = [rng.randint(1, 40) for _ in range(k)]
            if row_rule:
                extra[-1] = sum(extra[:-1])
            total = [t + e for t, e in zip(total, extra)]
        first = rng.random() < 0.5
        (rows.insert(0, total), labels.insert(0, "Total")) if first else (rows.append(total), labels.append("Total"))
    elif mode == "known":
        known = {columns[-1]: sums[-1]}
    return Table(
        id=f"table_{index}",
        title=f"Table {index + 1}: Cases by {vocab.title()}",
        vocab=vocab,
        columns=columns,
        labels=labels,
        rows=rows,
        row_rule=row_rule,
        totals_row=totals_row,
        totals_first=bool(totals_row) and labels[0] == "Total",
        complete=complete,
        known=known,
        chunks=rng.choice([1, 1, 2]) if len(rows) >= 4 else 1,
        fused_header=rng.random() < 0.3,
    )


def render(tables: list[Table], fmt: NumberFormat, rng: random.Random) -> str:
    """Given tables and a number format, return the damaged document's text."""
    out = [rng.choice(PROSE), ""]
    for t in tables:
        for value in t.known.values():
            out += [f"In all, {format_number(value, fmt)} cases were counted in {t.title.lower()}.", ""]
        header = f"{t.vocab.title()} " + " ".join(c.upper() for c in t.columns)
        out.append(spin(t.title, rng, 0.3))
        per_chunk = -(-len(t.rows) // t.chunks)
        for c in range(t.chunks):
            part = list(zip(t.labels, t.rows))[c * per_chunk : (c + 1) * per_chunk]
            lines = [spin(label, rng) + "".join(format_number(v, fmt) for v in row) for label, row in part]
            if t.fused_header and c == 0 and lines:
                lines[0] = header.replace(" ", "") + lines[0]
            else:
                lines.insert(0, header.replace(" ", ""))
            out += lines + [""]
        out += [rng.choice(PROSE), ""]
    return "\n".join(out)


def rules_of(doc_id: str, tables: list[Table], fmt_name: str) -> dict:
    fmt = FORMATS[fmt_name]
    out = {"document": doc_id, "source": f"{doc_id}.txt", "number_format": {"thousands": fmt.thousands}, "tables": []}
    for t in tables:
        spec = {
            "id": t.id,
            "title": t.title,
            "header": f"{t.vocab.title()} " + " ".join(c.upper() for c in t.columns),
            # the whole vocabulary, of which the table prints some rows
            "label": {
                "column": t.vocab,
                "values": VOCABS[t.vocab] + (["Total"] if t.totals_row else []),
                "printed": "some",
            },
            # what a rules writer adds after one look at the page: the spinner's word for "Total"
            **(
                {
                    "label": {
                        "column": t.vocab,
                        "values": VOCABS[t.vocab] + ["Total"],
                        "aliases": {"Total": ["Complete"]},
                        "printed": "some",
                    }
                }
                if t.totals_row
                else {}
            ),
            "columns": t.columns,
        }
        if t.row_rule:
            spec["row_rules"] = [f"total = sum(c0..c{len(t.columns) - 2})"]
        if t.totals_row or t.known:
            spec["totals"] = {"complete": t.complete}
            if t.totals_row:
                spec["totals"]["row"] = t.totals_row
            if t.known:
                spec["totals"]["known"] = t.known
        out["tables"].append(spec)
    return out


def generate(docs: int, seed: int, out: Path) -> list[Path]:
    """Given a count, a seed and a folder, write documents, rules and truth; return the rules files."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for d in range(docs):
        doc_id = f"doc-{seed}-{d:04d}"
        fmt_name = rng.choice(list(FORMATS))
        tables = [make_table(rng, i) for i in range(rng.randint(1, 3))]
        (out / f"{doc_id}.txt").write_text(render(tables, FORMATS[fmt_name], rng), encoding="utf-8")
        rules = out / f"{doc_id}.yaml"
        rules.write_text(
            yaml.safe_dump(rules_of(doc_id, tables, fmt_name), sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        truth = {
            t.id: {"columns": [t.vocab] + t.columns, "rows": [[l] + r for l, r in zip(t.labels, t.rows)]}
            for t in tables
        }
        (out / f"{doc_id}.truth.json").write_text(json.dumps(truth), encoding="utf-8")
        written.append(rules)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    ap.add_argument(
        "--quirks",
        action="store_true",
        help="quirky tables (blanks, placeholders, negatives, marks, repeated rows, wrapped labels) as text, HTML and PDF",
    )
    ap.add_argument("--formats", default="text,html,pdf", help="with --quirks: the renderings to write")
    args = ap.parse_args()
    if args.quirks:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from bench.quirks import generate_quirks

        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        print(f"wrote {len(generate_quirks(args.docs, args.seed, args.out, formats))} quirky documents to {args.out}")
        return
    print(f"wrote {len(generate(args.docs, args.seed, args.out))} documents to {args.out}")


if __name__ == "__main__":
    main()
