"""The real-document benchmark, the team's scoreboard (issue 15): `recover` and the tools a user would pick instead,
on documents nobody on the team wrote, scored cell by cell against truth that does not come from `recover`.

    .venv/bin/python bench/real.py                         # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/real.py --only html --docs 2    # a quick look: html and html-flat, 2 pages
    .venv/bin/python bench/real.py --only pdf-flat --per-table --verbose
    .venv/bin/python bench/real.py --only html --check-truth   # the HTML truth against pandas.read_html
    .venv/bin/python bench/real.py --json real.json --worst 10

Variants (`--only` takes names or prefixes, comma-separated):

| variant | documents | tools |
| --- | --- | --- |
| html | `../shared/corpora/html-dev/*.html` and `bench/real-docs/*.htm(l)`, as is | recover, pandas.read_html |
| html-flat | the same pages flattened by `BeautifulSoup(html, "lxml").get_text()` (no separator), as `.txt` | recover, greedy split |
| pdf | ICDAR 2013 EU PDFs (`../shared/corpora/icdar2013-eu/`, truth `X-str.xml`) and `bench/real-docs/*.pdf` with an `X-str.xml` beside | recover, Camelot stream, Camelot lattice (on the truth tables' pages), pdfplumber `extract_tables` |
| pdf-flat | each ICDAR truth table flattened to run-together text (header rows spaced, then each row's non-empty cells, placeholders such as `-` included, with no separator: the label runs into the first number) | recover, greedy split |
| camelot | camelot-dev/camelot's own test PDFs (`../shared/corpora/camelot-tests/`) whose expected table in `data.py` a test of `test_{common,lattice,hybrid,network}.py` compares, placed by reading those modules with `ast` (PDF, page, flavour, options); truth: those expected tables (rotated, encrypted, absent fixtures and repeated readings of one table skipped and listed) | recover, camelot-test (Camelot with the flavour and options of the test: its best case, the reading the truth was recorded from), Camelot stream, pdfplumber `extract_tables` |
| text | `bench/real-docs/*.txt` (tab-separated blocks are the truth) | recover |
| rules | a flattened page (html-flat) or ICDAR table (pdf-flat) with a hand-written rules file `bench/real-rules/<stem of the flattened .txt>.yaml` | recover with the rules |

The corpora are found at `RECOVER_CORPORA`, else `../shared/corpora` beside the checkout. Truth: `bench/real_truth.py`;
numbers as printed: `bench/real_numbers.py`; scoring: `bench/real_score.py`; the tools and the worker process that
runs them (per-document time limit, a crash or a hang scored as missed): `bench/real_tools.py`.

A peer's cell strings are read with the same `printed_to_number` as the truth, under the number format of the truth
tables on their page (`1.234` on a page that groups thousands with `.` is 1234); pandas' own conversions are kept as
they are. The greedy split is given each truth table's numeric column count and number format.

Figures per variant and tool: tables found (truth tables of which the tool matched a row), right / wrong / missed
numeric cells of the truth, rows dropped, split (published numbers that are no whole number printed on their page,
counted as wrong too; as-is variants only), seconds (the tool's time over the documents, in one process). For the
flattened variants a second line scores only the tables that carry a relation (a totals row, a sum or difference
column). `recover run DOC --out DIR` is also timed on a few documents with and without validation (`--cli N`: a process
each, start-up included), and the whole pipeline (publishing, with and without validation) per document in one process
(`--validation N`: N documents of each as-is variant asked, html and pdf). The HTML speed note sets recover's seconds
against `pandas.read_html`'s over the same pages in the same run (the issue's target: at most 2x, the workers' start-up
apart).
Always exits 0 unless the harness itself breaks: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_numbers import NumberFormat, text_to_tokens  # noqa: E402
from bench.real_score import TableResult, tables_to_results, tools_to_splits  # noqa: E402
from bench.real_tools import ToolTable, Worker, text_to_greedy  # noqa: E402
from bench.real_truth import (  # noqa: E402
    CamelotCase,
    TruthTable,
    camelot_to_tables,
    html_to_root,
    html_to_tables,
    icdar_to_tables,
    table_to_runtogether,
    tsv_to_tables,
)

VARIANTS = ["html", "html-flat", "pdf", "pdf-flat", "camelot", "text", "rules"]
TOOLS = {
    "html": ["recover", "pandas"],
    "html-flat": ["recover", "greedy"],
    "pdf": ["recover", "camelot-stream", "camelot-lattice", "pdfplumber"],
    "pdf-flat": ["recover", "greedy"],
    "camelot": ["recover", "camelot-test", "camelot-stream", "pdfplumber"],
    "text": ["recover"],
    "rules": ["recover-rules"],
}
FLAT = {"html-flat", "pdf-flat"}
AS_IS = ("html", "pdf", "camelot", "text")
PDF_VARIANTS = ("pdf", "camelot")  # pdfplumber runs first: its page text gives the numbers printed whole


def corpora_dir() -> Path:
    """Return the shared corpora folder: `RECOVER_CORPORA`, else `shared/corpora` beside the checkout."""
    env = os.environ.get("RECOVER_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


@dataclass
class Doc:
    """One document of a variant: the file the tools read, its truth tables, the numbers printed whole on each page
    (None: no split check), for the rules variant its rules file, and for the camelot variant the Camelot test each
    truth table comes from (by truth id)."""

    variant: str
    path: Path
    truths: list[TruthTable]
    tokens: dict[int | None, set[Decimal]] | None = None
    rules: Path | None = None
    cases: dict[str, CamelotCase] = field(default_factory=dict)


@dataclass
class Tally:
    """The figures of one tool on one variant (or on its relation tables)."""

    tables: int = 0
    found: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    dropped: int = 0
    split: int = 0
    seconds: float = 0.0
    docs: int = 0
    failed: list[str] = field(default_factory=list)
    doc_seconds: dict[str, float] = field(default_factory=dict)

    def add(self, results: list[TableResult]) -> None:
        """Add a document's table results."""
        for r in results:
            self.tables += 1
            self.found += r.tool_table is not None and (r.score.right + r.score.wrong) > 0
            self.right += r.score.right
            self.wrong += r.score.wrong
            self.missed += r.score.missed
            self.dropped += r.score.dropped


# ----------------------------------------------------------------------------------------------------------------
# documents


def html_flattened(path: Path) -> str:
    """Given an HTML page, return it flattened the way a scraper does: BeautifulSoup's `get_text()`, no separator."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_bytes(), "lxml").get_text()


def html_to_tokens(path: Path) -> dict[int | None, set[Decimal]]:
    """Given an HTML page, return the numbers printed whole in it (each text node on its own), under key None."""
    root = html_to_root(path.read_bytes())
    return {None: text_to_tokens(" \n ".join(root.itertext()))}


def docs_to_variants(
    only: list[str], limit: int | None, work: Path, match: str = "", skipped: dict[str, list[str]] | None = None
) -> dict[str, list[Doc]]:
    """Given the variants asked for, the number of documents per corpus, a work folder (for the flattened files) and
    a part of the file names to keep ("" for all), return each variant's documents with their truth; the documents
    and tables a variant cannot score go to `skipped` (by variant), each with its reason."""
    corpora, real_docs = corpora_dir(), ROOT / "bench" / "real-docs"
    wanted = [v for v in VARIANTS if any(v.startswith(o) for o in only)]
    out: dict[str, list[Doc]] = {v: [] for v in wanted}
    html_paths = sorted((corpora / "html-dev").glob("*.html")) + sorted(
        p for p in real_docs.glob("*") if p.suffix.lower() in (".html", ".htm")
    )
    pdf_paths = [
        p
        for p in sorted((corpora / "icdar2013-eu").glob("*.pdf")) + sorted(real_docs.glob("*.pdf"))
        if p.with_name(p.stem + "-str.xml").exists()
    ]
    if match:
        html_paths = [p for p in html_paths if match in p.name]
        pdf_paths = [p for p in pdf_paths if match in p.name]
    html_paths, pdf_paths = html_paths[:limit], pdf_paths[:limit]
    if {"html", "html-flat", "rules"} & set(wanted):
        (work / "html-flat").mkdir(parents=True, exist_ok=True)
        rules_dir = ROOT / "bench" / "real-rules"
        for path in html_paths:
            truths = safe(lambda: html_to_tables(path), [], f"truth of {path.name}")
            if "html" in out:
                out["html"].append(Doc("html", path, truths, safe(lambda: html_to_tokens(path), None, "tokens")))
            flat = work / "html-flat" / (path.stem + ".txt")
            if {"html-flat", "rules"} & set(wanted):
                flat.write_text(safe(lambda: html_flattened(path), "", f"get_text of {path.name}"), encoding="utf-8")
            if "html-flat" in out:
                out["html-flat"].append(Doc("html-flat", flat, truths))
            rules = rules_dir / (path.stem + ".yaml")
            if "rules" in out and rules.exists():
                out["rules"].append(Doc("rules", flat, truths, rules=rules))
    if {"pdf", "pdf-flat", "rules"} & set(wanted):
        (work / "pdf-flat").mkdir(parents=True, exist_ok=True)
        rules_dir = ROOT / "bench" / "real-rules"
        for path in pdf_paths:
            xml = path.with_name(path.stem + "-str.xml")
            truths = [t for t in safe(lambda: icdar_to_tables(xml), [], f"truth of {xml.name}") if t.numeric_cells]
            if "pdf" in out:
                out["pdf"].append(Doc("pdf", path, truths))
            for t in truths if {"pdf-flat", "rules"} & set(out) else []:
                flat = work / "pdf-flat" / (t.id.replace("#", "-t") + ".txt")
                rules = rules_dir / (flat.stem + ".yaml")
                if "pdf-flat" in out or rules.exists():
                    flat.write_text(table_to_runtogether(t), encoding="utf-8")
                if "pdf-flat" in out:
                    out["pdf-flat"].append(Doc("pdf-flat", flat, [t]))
                if "rules" in out and rules.exists():
                    out["rules"].append(Doc("rules", flat, [t], rules=rules))
    if "camelot" in out:
        folder = corpora / "camelot-tests"
        found, why = safe(lambda: camelot_to_tables(folder), ({}, []), f"truth of {folder}")
        if skipped is not None:
            skipped["camelot"] = list(dict.fromkeys(why))
        for path, pairs in [(p, t) for p, t in sorted(found.items()) if match in p.name][:limit]:
            truths = [t for t, _ in pairs]
            out["camelot"].append(Doc("camelot", path, truths, cases={t.id: c for t, c in pairs}))
    if "text" in out:
        for path in [p for p in sorted(real_docs.glob("*.txt")) if match in p.name][:limit]:
            truths = safe(lambda: tsv_to_tables(path), [], f"truth of {path.name}")
            text = path.read_text(encoding="utf-8", errors="replace")
            out["text"].append(Doc("text", path, truths, {None: text_to_tokens(text)}))
    return out


def safe(make: Any, default: Any, what: str) -> Any:
    """Return make(), or the default (saying so on stderr) when it raises: one bad file never ends the benchmark."""
    try:
        return make()
    except Exception as e:
        print(f"warning: {what}: {type(e).__name__}: {e}", file=sys.stderr)
        return default


# ----------------------------------------------------------------------------------------------------------------
# running the tools


@dataclass
class Run:
    """One tool's output on one document: its tables (empty when it failed), seconds, and why it failed ("" if not)."""

    tables: list[ToolTable]
    seconds: float
    failure: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def truths_to_formats(truths: list[TruthTable]) -> dict[int | None, NumberFormat]:
    """Given a document's truth tables, return the number format of each page whose truth tables agree on one (key
    None: the whole document, where they all agree; tables of plain integers tell none): the format a peer's strings
    are read under."""
    by_page: dict[int | None, set[NumberFormat]] = defaultdict(set)
    for t in truths:
        if not any(re.search(r"\d[., ]\d", c) for r in t.data_rows for c in r.cells):
            continue  # only plain integers: the table tells no format
        by_page[t.page].add(t.fmt)
        by_page[None].add(t.fmt)
    return {page: next(iter(fmts)) for page, fmts in by_page.items() if len(fmts) == 1}


def run_tool(tool: str, doc: Doc, workers: dict[str, Worker], timeout: float, lattice_all: bool) -> Run:
    """Given a tool name and a document, run the tool (in its worker process, or here for the greedy split, which
    yields one table per truth table) and return what it published."""
    path = str(doc.path)
    formats = truths_to_formats(doc.truths)
    if tool == "greedy":
        t0 = time.perf_counter()
        text = doc.path.read_text(encoding="utf-8", errors="replace")
        tables = []
        for truth in doc.truths:
            table = text_to_greedy(text, truth.numeric_columns, truth.fmt)
            table.id = f"greedy#{truth.id}"
            tables.append(table)
        return Run(tables, time.perf_counter() - t0)
    if tool == "recover":
        call: tuple[str, str, tuple[Any, ...]] = ("recover", "recover", (path,))
    elif tool == "recover-rules":
        call = ("recover", "recover-rules", (path, str(doc.rules)))
    elif tool == "pandas":
        call = ("peers", "pandas", (path, formats))
    elif tool == "camelot-test":
        return camelot_test_run(doc, workers, timeout, formats)
    elif tool.startswith("camelot-"):
        flavor = tool.removeprefix("camelot-")
        pages = sorted({t.page for t in doc.truths if t.page})
        which = "all" if flavor == "stream" or lattice_all or not pages else ",".join(map(str, pages))
        call = ("peers", "camelot", (path, flavor, which, formats))
    elif tool == "pdfplumber":
        call = ("peers", "pdfplumber", (path, formats))
    else:
        raise ValueError(tool)
    worker, name, args = call
    status, result, seconds = workers[worker].call(name, args, timeout)
    if status != "ok":
        return Run([], seconds, str(result))
    tables, extra = result
    return Run(tables, seconds, "", extra)


def camelot_test_run(
    doc: Doc, workers: dict[str, Worker], timeout: float, formats: dict[int | None, NumberFormat]
) -> Run:
    """Given a camelot-tests document, run Camelot once per reading its tests make of it (flavour, page and options
    of the test each truth table comes from: Camelot's best case, the reading its expectations were recorded from);
    return all tables, with extra["groups"]: each reading's truth ids and its own tables (a truth table is scored
    only against its own reading's tables)."""
    groups: dict[str, tuple[CamelotCase, list[str]]] = {}
    for truth in doc.truths:
        case = doc.cases[truth.id]
        key = json.dumps([case.flavor, case.page, case.options], sort_keys=True, default=str)
        groups.setdefault(key, (case, []))[1].append(truth.id)
    run = Run([], 0.0, "", {"groups": []})
    for case, ids in groups.values():
        args = (str(doc.path), case.flavor, str(case.page), formats, case.options)
        status, result, seconds = workers["peers"].call("camelot", args, timeout)
        run.seconds += seconds
        tables = result[0] if status == "ok" else []
        if status != "ok":
            run.failure = "; ".join(filter(None, [run.failure, f"{case.test}: {result}"]))
        for t in tables:
            t.id = f"{case.flavor}{'+options' if case.options else ''}:{t.id}"
        run.tables += tables
        run.extra["groups"].append((ids, tables))
    return run


def run_to_results(tool: str, doc: Doc, run: Run) -> list[TableResult]:
    """Given a tool, a document and the tool's run, return each truth table's result (in the truth's order)."""
    if tool == "greedy":
        return greedy_results(doc, run)
    if tool == "camelot-test":
        by_id = {}
        for ids, tables in run.extra["groups"]:
            truths = [t for t in doc.truths if t.id in ids]
            by_id.update({r.truth.id: r for r in tables_to_results(truths, tables)})
        return [by_id[t.id] for t in doc.truths]
    return tables_to_results(doc.truths, run.tables)


def greedy_results(doc: Doc, run: Run) -> list[TableResult]:
    """Given a document and the greedy split's output (one table per truth table), score each truth table against
    its own greedy table."""
    results = []
    for truth, table in zip(doc.truths, run.tables):
        results += tables_to_results([truth], [table])
    return results


def cli_times(docs: list[Doc], work: Path, timeout: float) -> list[dict[str, Any]]:
    """Given a few documents, time `recover run DOC --out DIR` on each with validation and with `--no-validate`."""
    exe = Path(sys.executable).with_name("recover")
    rows = []
    for doc in docs:
        row: dict[str, Any] = {"doc": doc.path.name}
        for mode, flags in (("validate", []), ("no-validate", ["--no-validate"])):
            out = work / "cli" / f"{doc.path.stem}-{mode}"
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(
                    [str(exe), "run", str(doc.path), "--out", str(out), *flags],
                    capture_output=True,
                    timeout=timeout,
                    check=False,
                )
                code: int | str = proc.returncode
            except (subprocess.TimeoutExpired, OSError) as e:
                code = type(e).__name__
            row[mode] = {"seconds": round(time.perf_counter() - t0, 2), "exit": code}
        rows.append(row)
    return rows


def validation_times(docs: list[Doc], worker: Worker, work: Path, timeout: float) -> list[dict[str, Any]]:
    """Given a few documents, time the whole pipeline on each in one worker process (its imports paid once, at its
    start), without validation and then with it, publishing to the work folder. A first validated run of the first
    document, not counted, pays what Great Expectations does once per process (it is the first row, "start-up")."""
    rows: list[dict[str, Any]] = []
    for doc in docs[:1] + docs:
        row: dict[str, Any] = {"doc": doc.path.name if rows else f"start-up ({doc.path.name})"}
        for mode, on in (("no-validate", False), ("validate", True)):
            out = str(work / "pipeline" / f"{doc.variant}-{doc.path.stem}-{mode}-{len(rows)}")
            status, result, seconds = worker.call("recover-run", (str(doc.path), out, on), timeout)
            row[mode] = {"seconds": round(seconds, 2), "status": status if status == "ok" else str(result)}
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------------------------------
# the run


def table_record(variant: str, tool: str, r: TableResult) -> dict[str, Any]:
    """Given a table result, return its record for the per-table list and the JSON file."""
    return {
        "variant": variant,
        "tool": tool,
        "table": r.truth.id,
        "page": r.truth.page,
        "cells": r.truth.numeric_cells,
        "relation": r.truth.relation,
        "right": r.score.right,
        "wrong": r.score.wrong,
        "missed": r.score.missed,
        "dropped": r.score.dropped,
        "tool_table": r.tool_table,
        "examples": r.score.examples,
        "preview": r.preview,
    }


def run_benchmark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every asked variant and tool; return all figures (totals, per table, per document, failures)."""
    only = [o.strip() for o in args.only.split(",") if o.strip()]
    tools_wanted = [t.strip() for t in args.tools.split(",")] if args.tools else None
    skipped: dict[str, list[str]] = {}
    variants = docs_to_variants(only, args.docs, work, args.match, skipped)
    workers = {
        # the modules a read imports on first use are start-up too (0.17 s of the first HTML page's time, else)
        "recover": Worker(
            work / "recover-worker.log",
            (
                "pandas",
                "recover",
                "recover.pipeline",
                "recover.api",
                "recover.extractors.html",
                "recover.inference",
                "recover.printed",
                "lxml.etree",
            ),
        ),
        "peers": Worker(work / "peers-worker.log", ("pandas", "camelot", "pdfplumber", "lxml.html", "bs4")),
    }
    totals: dict[tuple[str, str], Tally] = defaultdict(Tally)
    per_table: list[dict[str, Any]] = []
    splits: dict[str, list[str]] = defaultdict(list)
    try:
        for variant, docs in variants.items():
            tools = [t for t in TOOLS[variant] if tools_wanted is None or any(t.startswith(w) for w in tools_wanted)]
            for n, doc in enumerate(docs, 1):
                print(f"[{variant} {n}/{len(docs)}] {doc.path.name}", file=sys.stderr, flush=True)
                order = ["pdfplumber", *[t for t in tools if t != "pdfplumber"]] if variant in PDF_VARIANTS else tools
                for tool in order:
                    if tool not in tools and tool != "pdfplumber":
                        continue
                    run = run_tool(tool, doc, workers, args.timeout, args.lattice_all)
                    if tool == "pdfplumber" and variant in PDF_VARIANTS:
                        doc.tokens = run.extra.get("tokens")
                        if doc.tokens is not None:
                            truth_values = {v for t in doc.truths for r in t.rows for v in r.numbers}
                            doc.tokens = {p: s | truth_values for p, s in doc.tokens.items()}
                        if tool not in tools:
                            continue
                    results = run_to_results(tool, doc, run)
                    tally = totals[(variant, tool)]
                    tally.add(results)
                    tally.docs += 1
                    tally.seconds += run.seconds
                    tally.doc_seconds[doc.path.name] = round(run.seconds, 3)
                    if run.failure:
                        tally.failed.append(f"{doc.path.name}: {run.failure}")
                    if variant in FLAT:
                        totals[(variant, tool + " (relation tables)")].add([r for r in results if r.truth.relation])
                    if doc.tokens is not None and tool != "greedy":
                        wrong_keys = set().union(*(r.score.wrong_cells for r in results)) if results else set()
                        found = tools_to_splits(run.tables, doc.tokens)
                        tally.split += len(found)
                        tally.wrong += sum(1 for key, _ in found if key not in wrong_keys)
                        splits[f"{variant}|{tool}"] += [f"{doc.path.name}: {text}" for _, text in found]
                    per_table += [table_record(variant, tool, r) for r in results]
        cli = []
        if args.cli:
            picks = [d for v in ("html", "pdf") for d in variants.get(v, [])[: args.cli]]
            cli = cli_times(picks, work, args.timeout)
        pipeline = []
        if args.validation:
            picks = [d for v in ("html", "pdf") for d in variants.get(v, [])[: args.validation]]
            # a worker of its own, so that Great Expectations' imports never weigh on the other tools' figures
            workers["pipeline"] = Worker(
                work / "pipeline-worker.log", ("pandas", "recover.pipeline", "recover.validate")
            )
            pipeline = validation_times(picks, workers["pipeline"], work, args.timeout)
    finally:
        for w in workers.values():
            w.stop()
    truth_summary = {
        v: {
            "documents": len(docs),
            "tables": sum(len(d.truths) for d in docs),
            "numeric_cells": sum(t.numeric_cells for d in docs for t in d.truths),
            "relation_tables": sum(1 for d in docs for t in d.truths if t.relation),
            "doubts": {t.id: t.doubts for d in docs for t in d.truths if t.doubts},
        }
        for v, docs in variants.items()
    }
    return {
        "totals": {f"{v}|{t}": tally.__dict__ for (v, t), tally in totals.items()},
        "per_table": per_table,
        "splits": dict(splits),
        "cli": cli,
        "pipeline": pipeline,
        "truth": truth_summary,
        "skipped": skipped,
        "startup": {name: w.startup for name, w in workers.items()},
    }


# ----------------------------------------------------------------------------------------------------------------
# printing


def figures_to_lines(figures: dict[str, Any]) -> list[str]:
    """Given the figures, return the printed table: variant | tool | tables found | right | wrong | missed | rows
    dropped | split | seconds | failed documents."""
    head = ["variant", "tool", "tables found", "right", "wrong", "missed", "rows dropped", "split", "seconds", "failed"]
    rows = [head]
    rank = {f"{v}|{t}": (i, j) for i, v in enumerate(VARIANTS) for j, t in enumerate(TOOLS[v])}
    for key, t in sorted(figures["totals"].items(), key=lambda kv: (rank.get(kv[0].split(" (")[0], (99, 99)), kv[0])):
        variant, tool = key.split("|")
        relation = "relation" in tool
        rows.append(
            [
                variant,
                tool,
                f"{t['found']}/{t['tables']}",
                str(t["right"]),
                str(t["wrong"]),
                str(t["missed"]),
                str(t["dropped"]),
                "" if relation or variant in FLAT else str(t["split"]),
                "" if relation else f"{t['seconds']:.1f}",
                "" if relation else str(len(t["failed"])),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [" | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


def figures_to_notes(figures: dict[str, Any]) -> list[str]:
    """Given the figures, return the lines that set recover against the issue's targets."""
    t = figures["totals"]
    notes = []

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.0f} %" if b else "n/a"

    if "html|recover" in t and "html|pandas" in t:
        r, p = t["html|recover"], t["html|pandas"]
        notes.append(
            f"html as is: recover {r['right']} right, {r['wrong']} wrong = {pct(r['right'], p['right'])} of pandas.read_html's "
            f"{p['right']} (target ≥ 95 %, 0 wrong); time {r['seconds']:.1f} s vs {p['seconds']:.1f} s"
        )
        if p["seconds"]:
            notes.append(
                f"html speed: recover {r['seconds']:.2f} s vs pandas.read_html {p['seconds']:.2f} s over the same "
                f"{r['docs']} pages, {r['seconds'] / p['seconds']:.1f}x (target ≤ 2x; each in one process, its "
                "start-up apart, below)"
            )
    if "pdf|recover" in t:
        r = t["pdf|recover"]
        peers = {k: v for k, v in t.items() if k.startswith("pdf|camelot")}
        if peers:
            best_key = max(peers, key=lambda k: peers[k]["right"])
            b = peers[best_key]
            notes.append(
                f"pdf: recover {r['right']} right, {r['wrong']} wrong vs {best_key.split('|')[1]} {b['right']} right, "
                f"{b['wrong']} wrong (target ≥ Camelot's better mode, 0 wrong)"
            )
        if "pdf|camelot-stream" in t and r["docs"]:
            s = t["pdf|camelot-stream"]
            notes.append(
                f"pdf speed: recover {r['seconds'] / r['docs']:.2f} s per document vs Camelot stream "
                f"{s['seconds'] / max(s['docs'], 1):.2f} s (target ≤ 2x)"
            )
    if "camelot|recover" in t:
        r = t["camelot|recover"]
        line = f"camelot: recover {r['right']} right, {r['wrong']} wrong, {r['missed']} missed"
        for peer, what in (
            (
                "camelot-test",
                "Camelot with each test's own flavour and options: its best case, the very reading "
                "its expectations (the truth) were recorded from, hand-given areas and columns included",
            ),
            ("camelot-stream", "Camelot stream, zero-config"),
        ):
            if f"camelot|{peer}" in t:
                p = t[f"camelot|{peer}"]
                line += f"; {peer} {p['right']} right, {p['wrong']} wrong ({what})"
        notes.append(line)
    for v in sorted(FLAT):
        key = f"{v}|recover (relation tables)"
        if key in t:
            a, rel = t[f"{v}|recover"], t[key]
            cells = rel["right"] + rel["wrong"] + rel["missed"]
            notes.append(
                f"{v}: relation tables {pct(rel['right'], cells)} right ({rel['right']}/{cells}, {rel['wrong']} wrong; "
                f"target ≥ 80 %, 0 wrong); all tables {a['right']} right, {a['wrong']} wrong"
            )
    for name, starts in figures["startup"].items():
        if starts:
            notes.append(f"{name} worker start-up (imports; not counted to any document): {starts} s")
    pipeline = figures.get("pipeline", [])
    for c in pipeline:
        notes.append(
            f"pipeline {c['doc']} (in one process): {c['no-validate']['seconds']} s without validation, "
            f"{c['validate']['seconds']} s with it"
            + "".join(f" ({m}: {c[m]['status']})" for m in ("no-validate", "validate") if c[m]["status"] != "ok")
        )
    timed = pipeline[1:]  # the first row is the start-up run
    if timed:
        off, on = (sum(c[m]["seconds"] for c in timed) for m in ("no-validate", "validate"))
        notes.append(
            f"pipeline over {len(timed)} documents: {off:.1f} s without validation, {on:.1f} s with it "
            f"({off / len(timed):.2f} s and {on / len(timed):.2f} s per document; the start-up run apart)"
        )
    for c in figures["cli"]:
        notes.append(
            f"recover run {c['doc']}: {c['validate']['seconds']} s with validation (exit {c['validate']['exit']}), "
            f"{c['no-validate']['seconds']} s with --no-validate"
        )
    return notes


def worst_lines(figures: dict[str, Any], n: int) -> list[str]:
    """Given the figures, return the n truth tables (as-is variants) where recover reads the fewest cells right
    against the best peer, with what recover published there."""
    by_table: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for rec in figures["per_table"]:
        if rec["variant"] in AS_IS:
            by_table[(rec["variant"], rec["table"])][rec["tool"]] = rec
    gaps = []
    for (variant, table), tools in by_table.items():
        mine = tools.get("recover")
        peers = [r for t, r in tools.items() if t != "recover"]
        if mine is None or not peers:
            continue
        best = max(peers, key=lambda r: r["right"])
        gaps.append((best["right"] - mine["right"], variant, table, mine, best))
    gaps.sort(key=lambda g: -g[0])
    lines = []
    for gap, variant, table, mine, best in gaps[:n]:
        if gap <= 0:
            break
        lines.append(
            f"{variant} {table} (page {mine['page']}, {mine['cells']} cells): recover {mine['right']} right "
            f"{mine['wrong']} wrong vs {best['tool']} {best['right']} right {best['wrong']} wrong; recover's table: "
            f"{mine['tool_table'] or 'none'} {'; '.join(mine['preview'][:2])}"
        )
    return lines


def check_truth(docs: list[Doc]) -> list[str]:
    """Given the HTML documents, return a short diff of each truth table against the pandas.read_html table that
    shares most numbers with it."""
    from collections import Counter

    from bench.real_tools import pandas_read_html

    lines = []
    for doc in docs:
        peers, _ = safe(lambda: pandas_read_html(str(doc.path)), ([], {}), f"pandas on {doc.path.name}")
        for truth in doc.truths:
            mine = Counter(v for r in truth.data_rows for v in r.numbers)
            best, best_common, best_theirs = None, 0, Counter()
            for table in peers:
                theirs = Counter(v for r in table.rows for v in r.values if v is not None)
                common = sum((mine & theirs).values())
                if common > best_common:
                    best, best_common, best_theirs = table.id, common, theirs
            only_truth = list((mine - best_theirs).elements())[:5]
            only_pandas = list((best_theirs - mine).elements())[:5]
            lines.append(
                f"{truth.id}: {len(truth.data_rows)} rows, {truth.numeric_cells} numbers; {best}: {best_common} in common; "
                f"truth only {[str(v) for v in only_truth]}; pandas only {[str(v) for v in only_pandas]}"
                + (f"; doubts {truth.doubts}" if truth.doubts else "")
            )
        lines.append(f"{doc.path.name}: {len(doc.truths)} truth tables, pandas.read_html {len(peers)} tables")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark, print the table (and what was asked), save the JSON; return 0."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(VARIANTS), help="variants (names or prefixes, comma-separated)")
    parser.add_argument("--tools", default="", help="tools to run (prefixes, comma-separated; default all)")
    parser.add_argument("--docs", type=int, default=None, help="at most N documents per corpus")
    parser.add_argument("--match", default="", help="only the documents whose file name contains this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per document and tool (default 120)")
    parser.add_argument(
        "--lattice-all", action="store_true", help="Camelot lattice on every page, not only the truth's"
    )
    parser.add_argument("--cli", type=int, default=1, help="time `recover run` on N html and N pdf documents (0: none)")
    parser.add_argument(
        "--validation",
        type=int,
        default=0,
        help="time the pipeline in one process, with and without validation, on N html and N pdf documents (0: none)",
    )
    parser.add_argument("--per-table", action="store_true", help="one line per truth table and tool")
    parser.add_argument("--worst", type=int, default=0, help="the N tables where recover trails the best peer most")
    parser.add_argument("--verbose", action="store_true", help="wrong cells and split numbers, with examples")
    parser.add_argument("--check-truth", action="store_true", help="the HTML truth against pandas.read_html, then stop")
    parser.add_argument("--json", type=Path, default=None, help="save every figure to this file")
    parser.add_argument("--work", type=Path, default=None, help="keep the flattened documents and logs here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="recover-real-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.check_truth:
            docs = docs_to_variants(["html"], args.docs, work, args.match).get("html", [])
            print("\n".join(check_truth(docs)))
            return 0
        t0 = time.perf_counter()
        figures = run_benchmark(args, work)
        figures["seconds"] = round(time.perf_counter() - t0, 1)
    print("\n".join(figures_to_lines(figures)))
    print()
    for v, s in figures["truth"].items():
        print(
            f"truth {v}: {s['documents']} documents, {s['tables']} tables, {s['numeric_cells']} numbers, {s['relation_tables']} with a relation"
        )
    print("\n".join(figures_to_notes(figures)))
    for key, t in figures["totals"].items():
        for f in t["failed"]:
            print(f"failed {key}: {f}")
    for variant, why in figures["skipped"].items():
        for line in why:
            print(f"skipped {variant}: {line}")
    if args.per_table:
        print()
        for rec in figures["per_table"]:
            print(
                f"{rec['variant']:9} {rec['tool']:15} {rec['table']:45} p{rec['page'] or '-':<3} {rec['cells']:5} cells: "
                f"{rec['right']:4} right {rec['wrong']:3} wrong {rec['missed']:4} missed {rec['dropped']:3} rows dropped"
                f"  [{rec['tool_table'] or 'no table'}]{'  relation' if rec['relation'] else ''}"
            )
    if args.worst:
        print()
        print("\n".join(worst_lines(figures, args.worst)))
    if args.verbose:
        print()
        for rec in figures["per_table"]:
            for ex in rec["examples"]:
                print(f"wrong {rec['variant']} {rec['tool']} {rec['table']}: {ex}")
        for key, found in figures["splits"].items():
            for text in found[:10]:
                print(f"split {key}: {text}")
    print(f"\n(benchmark ran {figures['seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
