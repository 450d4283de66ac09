"""The pipeline: fetch → extract → recover → validate → publish, composed from plain stage functions.

Each stage is a plain function over plain data, so the CLI, the tests and the Prefect flows
(``recover.flows``) call the same code. Nothing here imports Prefect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .facts import lines_to_facts
from .fetch import location_to_source
from .locate import LineIndex, lines_to_cell_rows, lines_to_region, regions_to_disjoint
from .model import BLANK, Cell, Document, Fact, Source, TableSolution
from .numbers import NumberFormat
from .publish import staged_output, write_datapackage, write_document
from .rules import Rules
from .solve import region_to_solution


@dataclass
class DocumentResult:
    """One document recovered: its source, the rules used, its solved tables and facts."""

    source: Source
    rules: Rules
    solutions: list[TableSolution]
    facts: list[Fact]
    warnings: list[str] = field(default_factory=list)
    validation_problems: list[str] = field(default_factory=list)
    inferred_rules: str | None = None  # zero-config: the rules file inferred for this document, written beside its CSVs
    inference_problems: list[str] = field(default_factory=list)  # zero-config: tables seen but not read
    out_hint: str | None = None  # the output folder as the user named it (for the commands the reviewer page shows)

    @property
    def problems(self) -> list[str]:
        """Return one line per table that did not fully recover or validate (or was seen but not read)."""
        return self.inference_problems + [p for s in self.solutions for p in s.problems] + self.validation_problems

    def _published(self) -> list[Cell | None]:
        # a time column's cells are published cells too (as printed, where the readings agree)
        return [c for s in self.solutions for r in s.rows if r.status != "duplicate" for c in r.all_cells]

    @property
    def cells(self) -> tuple[int, int]:
        """Return (cells determined, cells in all) over the published rows; a cell the page left blank is determined."""
        cells = self._published()
        return sum(c is not None for c in cells), len(cells)

    @property
    def missing(self) -> int:
        """Return how many rows of the tables no line of the page was read as (status ``missing``, listed empty)."""
        return sum(r.status == "missing" for s in self.solutions for r in s.rows)

    @property
    def blanks(self) -> int:
        """Return how many published cells the page left blank (or filled with a placeholder)."""
        return sum(c is BLANK for c in self._published())


@dataclass
class RunReport:
    """What a run wrote and what went wrong: the CLI's exit status is 1 when ``problems`` is not empty."""

    out: Path
    documents: list[tuple[str, DocumentResult]]
    started: str

    @property
    def problems(self) -> list[str]:
        return [f"{r.source.origin}: {p}" for _, r in self.documents for p in r.problems]

    @property
    def warnings(self) -> list[str]:
        return [f"{r.source.origin}: {w}" for _, r in self.documents for w in r.warnings]


def fetch(location: str) -> Source:
    """Given a path or URL, return its Source."""
    return location_to_source(location)


def extract(source: Source) -> Document:
    """Given a Source, return its Document of lines."""
    from recover.extractors import source_to_document

    return source_to_document(source)


def recover(document: Document, rules: Rules) -> DocumentResult:
    """Given a document and its rules, return every table solved and every fact found."""
    from .printed import document_to_printed_solution

    fmt = rules.number_format
    run_together = [spec for spec in rules.tables if spec.printed is None]
    # no table read from run-together lines (zero-config read none, or only printed tables): no index
    # a row printed one cell a line (get_text() of a table) is joined into one line of cells first
    labels = [s for spec in run_together for s in spec.spellings]
    index = LineIndex(lines_to_cell_rows(document.lines, fmt, labels), fmt) if run_together else None
    regions = regions_to_disjoint([lines_to_region(spec, index, fmt) for spec in run_together]) if index else []
    solved = {spec.id: region_to_solution(region, spec, fmt) for region, spec in zip(regions, run_together)}
    solutions = [
        solved[spec.id] if spec.printed is None else document_to_printed_solution(document, spec, fmt)
        for spec in rules.tables
    ]
    facts, warnings = lines_to_facts(rules.facts, document.lines, fmt)
    return DocumentResult(
        document.source, rules, solutions, facts, [w for s in solutions for w in s.warnings] + warnings
    )


#: The file zero-config mode writes its rules to, beside the document's CSVs.
INFERRED_RULES = "inferred-rules.yaml"


def infer(document: Document) -> tuple[Rules, str | None, list[str]]:
    """Given a document that came without rules, return the rules zero-config mode infers for it, their text, and a
    line per table seen but not read. The rules are loaded from that text like any rules file.

    The text is None where no table was read (a rules file needs one) or, as a last resort, where it would not load:
    no rules file is written then, and a note says so; a file that is written always loads."""
    from .errors import RecoverError
    from .inference import document_to_rules_text
    from .rules import load_rules

    text, notes = document_to_rules_text(document)
    empty = Rules(Path(INFERRED_RULES), document.source.name or "document", None, None, NumberFormat(), [])
    if "\ntables: []" in text:  # no table found: nothing to recover, and no rules file (it would not load)
        return empty, None, notes + [f"no table read: no {INFERRED_RULES} written"]
    try:
        return load_rules(INFERRED_RULES, text), text, notes
    except RecoverError as e:
        return (
            empty,
            None,
            notes + [f"the inferred rules would not load ({e.line}): no table read, no {INFERRED_RULES} written"],
        )


def recover_inferred(document: Document) -> DocumentResult:
    """Given a document without rules, infer them and recover the document with them (zero-config mode)."""
    rules, text, notes = infer(document)
    result = recover(document, rules)
    result.inferred_rules = text
    result.inference_problems = [f"{n}" for n in notes]
    return result


def document_names(locations: list[str]) -> list[str]:
    """Given several sources, return each one's output folder name, '-2', '-3' … added to repeats.

    The names are unique: a repeat takes the first suffix that is neither taken nor another
    source's own name (``a.txt a-2.txt x/a.txt`` gives ``a``, ``a-2``, ``a-3``).
    """
    from .fetch import source_name
    from .validate import SHARED_DOCS

    own = [source_name(loc) for loc in locations]
    reserved = set(own)  # each source's own name goes to the first source that has it
    taken: set[str] = {SHARED_DOCS}  # the run's shared Data Docs site
    out = []
    for name in own:
        if name not in taken:
            taken.add(name)
            out.append(name)
            continue
        n = 2
        while f"{name}-{n}" in taken or f"{name}-{n}" in reserved:
            n += 1
        taken.add(f"{name}-{n}")
        out.append(f"{name}-{n}")
    return out


def validate(folder: Path, result: DocumentResult, shared_site: Path | None = None) -> None:
    """Given a staging folder and a recovered document, run its Great Expectations suites into folder/validation/
    (with ``shared_site``, the site several documents share is built later, once: ``build_shared_docs``)."""
    from . import validate as validation  # imports Great Expectations: seconds, so only here

    validation.validate_document(folder, result, shared_site)


def build_shared_docs(site: Path, folders: list[Path]) -> None:
    """Given a (staging) folder for the shared Data Docs site and the documents' folders, build the site once."""
    from . import validate as validation

    validation.build_shared_docs(site, folders)


def publish(
    folder: Path,
    result: DocumentResult,
    created: str,
    validate_outputs: bool = True,
    shared_site: Path | None = None,
    spreadsheet_safe: bool = False,
) -> None:
    """Given a staging folder and a recovered document, write its CSVs, validation and datapackage.json
    (``spreadsheet_safe``: labels that start like a formula get a leading ``'`` in the CSVs)."""
    write_document(folder, result.solutions, result.facts, spreadsheet_safe)
    if result.inferred_rules is not None:
        from .publish import write_bytes

        write_bytes(folder, INFERRED_RULES, result.inferred_rules.encode("utf-8"))
    if validate_outputs:
        validate(folder, result, shared_site)
    write_datapackage(folder, result, created)


def sources_or_default(locations: list[str], rules: Rules) -> list[str]:
    """Given the SOURCEs asked for and the rules, return them, or the rules' source: when none was given."""
    if locations:
        return list(locations)
    default = rules.source_location()
    if default is None:
        from .errors import UsageError

        raise UsageError(str(rules.path), detail="no SOURCE given and the rules file has no source: key")
    return [default]


def run(
    locations: list[str],
    rules: Rules | None,
    out: Path,
    validate: bool = True,
    shared_site: Path | None = None,
    spreadsheet_safe: bool = False,
) -> RunReport:
    """Given sources (or none: the rules' source), rules (or None: zero-config) and an output folder, run the pipeline;
    outputs appear together. ``shared_site``: the Data Docs site this run's documents join (built by the caller)."""
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if rules is None:
        if not locations:
            from .errors import UsageError

            raise UsageError("recover run", detail="no SOURCE given and no rules file (--rules FILE) to take one from")
        results = [recover_inferred(extract(fetch(loc))) for loc in locations]
    else:
        locations = sources_or_default(locations, rules)
        results = [recover(extract(fetch(loc)), rules) for loc in locations]
    return publish_all(locations, results, Path(out), validate, started, shared_site, spreadsheet_safe)


def publish_all(
    locations: list[str],
    results: list[DocumentResult],
    out: Path,
    validate: bool = True,
    started: str | None = None,
    shared_site: Path | None = None,
    spreadsheet_safe: bool = False,
) -> RunReport:
    """Given the sources and their recovered documents, write all outputs together; return the run's report.

    Several documents share one Data Docs site, ``OUT/_data_docs/``, built once for the run."""
    from .validate import SHARED_DOCS

    started = started or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    names = document_names(locations) if len(locations) > 1 else [""]
    own_site = validate and shared_site is None and len(names) > 1
    with staged_output(out) as stage:
        for name, result in zip(names, results):
            result.out_hint = str(out / name) if name else str(out)  # the folder the reviewer page's commands name
            site = Path(out) / SHARED_DOCS if own_site else shared_site
            publish(stage / name if name else stage, result, started, validate, site, spreadsheet_safe)
        if own_site:
            build_shared_docs(stage / SHARED_DOCS, [stage / n for n in names])
    return RunReport(Path(out), list(zip(names, results)), started)
